"""The seed's whole journey in the terminal, on SQLite: the prestataire signs in
and files a mémoire with two lines and two pièces; the court's agent makes it available and
refuses it with a motif; the prestataire duplicates it from the synthèse and sends the copy.
Every step is checked in the store, through the use cases."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Select, TabbedContent

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.ecrans.envoi import ConfirmationEnvoi
from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.ecrans.traitement import EcranFileTraitement, EcranTraitementMemoire
from chorus.adapters.tui.formulaires import id_champ
from chorus.adapters.tui.onglets.liste_memoires import TableMemoires
from chorus.adapters.tui.onglets.saisie_pieces import MEMOIRE_ENTIER
from chorus.domain.memoire import Memoire
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from tests.monde import PDF, Monde
from tests.tui.aides import TAILLE, application, attendre, connecter, saisir
from tests.tui.saisie_pilote import (
    appuyer,
    choisir,
    memoires_de,
    onglet,
    remplir,
    saisir_ligne,
    stocke,
    texte,
)

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


async def _deconnecter(pilot: Pilot[None]) -> None:
    await pilot.press("f9")
    await attendre(
        pilot, lambda: pilot.app.screen.__class__ is EcranConnexion and _app(pilot).session is None
    )


def _app(pilot: Pilot[None]) -> ChorusApp:
    assert isinstance(pilot.app, ChorusApp)
    return pilot.app


async def _envoyer_depuis_le_recapitulatif(pilot: Pilot[None]) -> None:
    saisie = onglet(pilot)
    saisie.query_one(f"#{id_champ('attestation_sur_honneur')}", Checkbox).value = True
    await appuyer(pilot, "valider-envoyer")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, ConfirmationEnvoi))
    pilot.app.screen.query_one("#confirmer-envoi", Button).press()
    await attendre(pilot, lambda: saisie.etape == 5)


async def _traiter(pilot: Pilot[None], action: ActionTraitement, motif: str | None = None) -> None:
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranTraitementMemoire)
    assert ecran.memoire is not None
    version = ecran.memoire.version
    ecran.query_one(f"#{id_champ('action')}", Select).value = action
    await pilot.pause()
    if motif is not None:
        await saisir(pilot, "motif", motif)
    await pilot.press("ctrl+s")
    await attendre(pilot, lambda: ecran.memoire is not None and ecran.memoire.version > version)


def _memoire(monde: Monde, memoire_id: str) -> Memoire:
    return monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire_id)


async def test_deposer_refuser_dupliquer_renvoyer(monde: Monde, tmp_path: Path) -> None:
    attestation = PDF + b"% attestation de service fait\n"
    rapport = PDF + b"% requisition du parquet\n"
    (tmp_path / "attestation.pdf").write_bytes(attestation)
    (tmp_path / "rapport.pdf").write_bytes(rapport)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        # 1. The prestataire files the mémoire: en-tête, two lines, two pièces, sending.
        await connecter(pilot, monde.gestionnaire.email)
        espace = app.screen
        assert isinstance(espace, EspaceMemoires)
        espace.montrer("saisir")
        saisie = onglet(pilot)
        await attendre(pilot, lambda: saisie.structure is not None)
        remplir(pilot, "juridiction_code", "TJ-69123")
        choisir(pilot, "texte_reference", "A.43-6")
        remplir(pilot, "numero_facture", "F-2024-21")
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 2)
        (brouillon,) = memoires_de(monde)

        saisir_ligne(pilot, quantite="1", tarif="150,00", taux="5.5")
        await appuyer(pilot, "ligne-valider-ajouter")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).lignes) == 1)
        saisir_ligne(pilot, quantite="2", tarif="40", taux="20", debours="3,50")
        await appuyer(pilot, "ligne-valider")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).lignes) == 2)

        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 3)
        remplir(pilot, "fichier", str(tmp_path / "attestation.pdf"))
        choisir(pilot, "type_piece", TypePiece.ATTESTATION_SERVICE_FAIT.value)
        choisir(pilot, "numero_ligne", "2", "#form-fichier")
        await appuyer(pilot, "piece-ajouter")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).pieces) == 1)
        remplir(pilot, "fichier", str(tmp_path / "rapport.pdf"))
        choisir(pilot, "type_piece", TypePiece.REQUISITION.value)
        choisir(pilot, "numero_ligne", MEMOIRE_ENTIER, "#form-fichier")
        await appuyer(pilot, "piece-ajouter")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).pieces) == 2)

        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 4)
        assert "Net à payer : 257,75 €" in texte(pilot, "#recap-totaux")
        await _envoyer_depuis_le_recapitulatif(pilot)
        envoye = _memoire(monde, brouillon.id)
        assert envoye.statut is StatutMemoire.ENVOYE
        assert envoye.numero.startswith("MJ")
        assert envoye.totaux.net_a_payer == Decimal("257.75")
        assert [(p.type_piece, p.numero_ligne, p.sha256) for p in envoye.pieces[:2]] == [
            (TypePiece.ATTESTATION_SERVICE_FAIT, 2, hashlib.sha256(attestation).hexdigest()),
            (TypePiece.REQUISITION, None, hashlib.sha256(rapport).hexdigest()),
        ]
        assert envoye.certificat is not None
        assert envoye.certificat.empreinte in texte(pilot, "#resultat-empreinte")
        await _deconnecter(pilot)

        # 2. The court's agent makes it available, then refuses it with a motif.
        await connecter(pilot, monde.agent.email)
        file = app.screen
        assert isinstance(file, EcranFileTraitement)
        table = file.query_one("#file-memoires", DataTable)
        await attendre(pilot, lambda: envoye.id in [k.value for k in table.rows])
        table.focus()
        table.move_cursor(row=table.get_row_index(envoye.id))
        await pilot.press("enter")
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, EcranTraitementMemoire) and app.screen.memoire is not None
            ),
        )
        await _traiter(pilot, ActionTraitement.MISE_A_DISPOSITION)
        await _traiter(pilot, ActionTraitement.REFUS, "Attestation de service fait non signée")
        refuse = _memoire(monde, envoye.id)
        assert refuse.statut is StatutMemoire.REFUSE
        assert refuse.historique[-1].motif == "Attestation de service fait non signée"
        await _deconnecter(pilot)

        # 3. The prestataire sees it in the synthèse, duplicates it and sends the copy.
        await connecter(pilot, monde.gestionnaire.email)
        refuses = app.screen.query_one("#synthese-refuse", TableMemoires)
        await attendre(pilot, lambda: envoye.id in [k.value for k in refuses.rows])
        refuses.focus()
        refuses.move_cursor(row=refuses.get_row_index(envoye.id))
        await pilot.press("d")
        await attendre(pilot, lambda: app.screen.query_one(TabbedContent).active == "saisir")
        saisie = onglet(pilot)
        await attendre(pilot, lambda: saisie.memoire is not None and saisie.memoire.id != envoye.id)
        assert saisie.memoire is not None
        copie_id = saisie.memoire.id
        for etape in (2, 3, 4):
            await appuyer(pilot, "saisie-suivant")
            await attendre(pilot, lambda e=etape: saisie.etape == e)  # type: ignore[misc]
        await _envoyer_depuis_le_recapitulatif(pilot)

    original = _memoire(monde, envoye.id)
    copie = _memoire(monde, copie_id)
    assert original.statut is StatutMemoire.DUPLIQUE_POST_REFUS
    assert copie.statut is StatutMemoire.ENVOYE
    assert copie.parent_id == envoye.id
    assert copie.numero.startswith("MJ")
    assert copie.numero != envoye.numero
    assert copie.lignes == envoye.lignes
    assert [p.sha256 for p in copie.pieces] == [p.sha256 for p in envoye.pieces]
    assert copie.totaux == envoye.totaux
