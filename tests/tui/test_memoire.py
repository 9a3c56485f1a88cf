"""A mémoire's detail in the terminal: what was sent and its history, a pièce saved to a
file byte for byte, and the actions its status allows — each checked in the store."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TabbedContent

from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.ecrans.memoire import EcranMemoire, FenetreCompleter
from chorus.adapters.tui.widgets.modales import Confirmation, EnregistrerSous
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain.errors import NonTrouve
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri
from tests.monde import PNG, Monde
from tests.tui.aides import (
    TAILLE,
    application,
    attendre,
    cliquer,
    connecter,
    erreur_de,
    ouvrir_detail,
    saisir,
)

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]

DOCUMENTS = {"telecharger_certificat", "telecharger_memoire"}
"""The downloads every sent mémoire offers."""


def _texte(ecran: EcranMemoire, selecteur: str) -> str:
    return str(ecran.query_one(selecteur, Static).render())


def _bouton_visible(ecran: EcranMemoire, action: str) -> bool:
    return bool(ecran.query_one(f"#{action}").display)


def _stocke(monde: Monde, memoire: Memoire) -> Memoire:
    return monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire.id)


async def test_le_detail_d_un_memoire_envoye(monde: Monde) -> None:
    envoye = monde.envoye()
    # The court records its event two days after it happened: both dates are kept.
    monde.horloge.avancer(timedelta(days=3))
    mis_a_disposition = monde.chorus.traitement.appliquer_evenement(
        monde.agent.id,
        envoye.id,
        EvenementTraitement.creer(
            action=ActionTraitement.MISE_A_DISPOSITION,
            reference="EVT-DETAIL",
            date_evenement=envoye.date_statut + timedelta(days=1),
        ),
    )
    certificat = mis_a_disposition.certificat
    assert certificat is not None
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        ecran = await ouvrir_detail(pilot, mis_a_disposition)

        entete = _texte(ecran, "#detail-entete")
        assert certificat.numero.startswith("MJ")
        assert certificat.numero in entete
        assert "Cabinet Durand" in entete
        assert "TJ-69123 – Tribunal judiciaire de Lyon" in entete
        assert "Mis à disposition" in entete

        texte_certificat = _texte(ecran, "#detail-certificat")
        assert certificat.empreinte in texte_certificat
        assert certificat.texte in texte_certificat
        assert "14/06/2024 12:00" in texte_certificat  # sent at 10:00 UTC, 12:00 in Paris
        assert "conforme" in texte_certificat
        # Kept ten years from its deposit, day for day.
        assert "Conservé jusqu'au" in texte_certificat
        assert "14/06/2034" in texte_certificat

        totaux = _texte(ecran, "#detail-totaux")
        assert "158,25 €" in totaux
        assert "Récapitulatif de la TVA" in totaux
        assert "5,5 %" in totaux

        pieces = ecran.query_one("#detail-pieces", TableauPagine)
        rib = mis_a_disposition.pieces[0]
        assert pieces.cles == [rib.id]
        assert rib.sha256 in [str(c) for c in pieces.cellules(rib.id)]

        historique = ecran.query_one("#detail-historique", TableauPagine)
        rangees = [[str(c) for c in historique.cellules(cle)] for cle in historique.cles]
        assert [r[0] for r in rangees] == ["Brouillon", "Envoyé", "Mis à disposition"]
        # État, date de l'événement, date de mise à jour.
        assert rangees[-1][:3] == ["Mis à disposition", "15/06/2024 12:00", "17/06/2024 12:00"]

        # Sent and in the court's hands: it can only be read, duplicated or saved.
        assert ecran.actions == {"dupliquer", "enregistrer_piece", *DOCUMENTS}
        for action in ("modifier", "supprimer", "abandonner", "completer"):
            assert not _bouton_visible(ecran, action)
        assert _bouton_visible(ecran, "dupliquer")

        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceMemoires))


async def test_enregistrer_une_piece_sous(monde: Monde, tmp_path: Path) -> None:
    envoye = monde.envoye()
    rib = envoye.pieces[0]
    _, attendu = monde.chorus.memoires.lire_piece(monde.gestionnaire.id, envoye.id, rib.id)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        # A member with the « consultation » habilitation: reading and saving only.
        await connecter(pilot, monde.consultant.email)
        ecran = await ouvrir_detail(pilot, envoye)
        assert ecran.actions == {"enregistrer_piece", *DOCUMENTS}
        assert not _bouton_visible(ecran, "dupliquer")
        await pilot.press("e")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))

        # A folder that does not exist: refused under the field, nothing written.
        absent = tmp_path / "absent" / "rib.pdf"
        await saisir(pilot, "chemin", str(absent))
        await cliquer(pilot, "#enregistrer")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "chemin")))
        assert "n'existe pas" in erreur_de(pilot, "chemin")
        assert not absent.parent.exists()
        assert isinstance(app.screen, EnregistrerSous)

        # A folder: the pièce keeps its name there.
        await saisir(pilot, "chemin", str(tmp_path))
        await cliquer(pilot, "#enregistrer")
        cible = tmp_path / rib.nom_fichier
        await attendre(pilot, lambda: app.screen is ecran)
        assert cible.read_bytes() == attendu
        assert hashlib.sha256(cible.read_bytes()).hexdigest() == rib.sha256

        # The same name again: never overwritten.
        await pilot.press("e")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        await saisir(pilot, "chemin", str(cible))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: "existe déjà" in erreur_de(pilot, "chemin"))
        assert cible.read_bytes() == attendu


async def test_dupliquer_un_memoire_refuse(monde: Monde) -> None:
    refuse = monde.refuse()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        ecran = await ouvrir_detail(pilot, refuse)
        assert ecran.actions == {"dupliquer", "abandonner", "enregistrer_piece", *DOCUMENTS}
        await pilot.press("d")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await cliquer(pilot, "#oui")
        await attendre(
            pilot,
            lambda: _stocke(monde, refuse).statut is StatutMemoire.DUPLIQUE_POST_REFUS,
        )
        brouillons = monde.chorus.consultation.rechercher(
            monde.gestionnaire.id,
            FiltresMemoire(statuts=frozenset({StatutMemoire.BROUILLON})),
            Tri(),
            Pagination(),
        ).elements
        copies = [r for r in brouillons if r.parent_id == refuse.id]
        assert len(copies) == 1
        copie = monde.chorus.memoires.obtenir(monde.gestionnaire.id, copies[0].id)
        assert copie.numero.startswith("TMP")
        assert copie.lignes == refuse.lignes
        original = _stocke(monde, refuse)
        assert original.historique[-1].motif == f"Dupliqué en {copie.numero}"
        # The copy opens in the « Saisir mémoire » tab.
        await attendre(pilot, lambda: isinstance(app.screen, EspaceMemoires))
        assert app.screen.query_one(TabbedContent).active == "saisir"


async def test_supprimer_un_brouillon(monde: Monde) -> None:
    brouillon = monde.brouillon()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        ecran = await ouvrir_detail(pilot, brouillon)
        assert ecran.actions == {"modifier", "supprimer", "dupliquer"}
        entete = _texte(ecran, "#detail-entete")
        assert brouillon.numero in entete
        assert "Compte courant" in entete

        # « Non »: the draft stays.
        await pilot.press("s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await cliquer(pilot, "#non")
        await attendre(pilot, lambda: app.screen is ecran)
        assert _stocke(monde, brouillon).version == brouillon.version

        await pilot.press("s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await cliquer(pilot, "#oui")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceMemoires))
        with pytest.raises(NonTrouve):
            _stocke(monde, brouillon)


async def test_completer_un_memoire_suspendu(monde: Monde, tmp_path: Path) -> None:
    suspendu = monde.evenement(monde.mis_a_disposition(), ActionTraitement.SUSPENSION)
    fichier = tmp_path / "attestation de service fait.png"
    fichier.write_bytes(PNG)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        ecran = await ouvrir_detail(pilot, suspendu)
        assert ecran.actions == {"completer", "dupliquer", "enregistrer_piece", *DOCUMENTS}
        await pilot.press("c")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreCompleter))
        fenetre = app.screen

        # A file that is not there: refused under the field.
        await saisir(pilot, "fichier", str(tmp_path / "absent.pdf"))
        await cliquer(pilot, "#joindre-piece")
        await attendre(pilot, lambda: "n'existe pas" in erreur_de(pilot, "fichier"))

        await saisir(pilot, "fichier", str(fichier))
        await cliquer(pilot, "#joindre-piece")
        await attendre(pilot, lambda: len(_stocke(monde, suspendu).pieces_complementaires) == 1)
        tableau = fenetre.query_one("#complements", TableauPagine)
        await attendre(pilot, lambda: len(tableau.cles) == 1)
        assert fenetre.query_one("#champ-fichier", Input).value == ""

        # No comment: the domain refuses, nothing is transmitted.
        await cliquer(pilot, "#transmettre")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "commentaire")))
        assert _stocke(monde, suspendu).statut is StatutMemoire.SUSPENDU

        await saisir(pilot, "commentaire", "Voici l'attestation de service fait demandée.")
        await cliquer(pilot, "#transmettre")
        await attendre(pilot, lambda: _stocke(monde, suspendu).statut is StatutMemoire.COMPLETE)
        complete = _stocke(monde, suspendu)
        assert complete.historique[-1].motif == "Voici l'attestation de service fait demandée."
        piece = complete.pieces_complementaires[0]
        assert complete.complements_transmis == 1
        assert piece.sha256 == hashlib.sha256(PNG).hexdigest()
        _, contenu = monde.chorus.memoires.lire_piece(monde.gestionnaire.id, suspendu.id, piece.id)
        assert contenu == PNG
        # Back on the detail, reloaded: « Complété », nothing more to complete.
        await attendre(
            pilot,
            lambda: (
                app.screen is ecran
                and ecran.memoire is not None
                and ecran.memoire.statut is StatutMemoire.COMPLETE
            ),
        )
        assert "completer" not in ecran.actions
        pieces = ecran.query_one("#detail-pieces", TableauPagine)
        assert "Complément transmis" in [str(c) for c in pieces.cellules(piece.id)]
