"""The back office in the terminal: the agent's queue of their juridictions, and the events
they record — refusals of the domain under the field, nothing stored; a double submission
applied once."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.traitement import (
    EcranFileTraitement,
    EcranTraitementMemoire,
    reference_evenement,
)
from chorus.adapters.tui.widgets.detail_memoire import DetailMemoire
from chorus.adapters.tui.widgets.modales import EnregistrerSous
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import Utilisateur
from tests.monde import Monde
from tests.tui.aides import TAILLE, application, attendre, cliquer, connecter, erreur_de, saisir

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


def _file(app: ChorusApp) -> EcranFileTraitement:
    assert isinstance(app.screen, EcranFileTraitement)
    return app.screen


def _lignes(app: ChorusApp) -> set[str]:
    table = app.screen.query_one("#file-memoires", DataTable)
    return {str(cle.value) for cle in table.rows}


def _stocke(monde: Monde, memoire: Memoire, agent: Utilisateur | None = None) -> Memoire:
    return monde.chorus.traitement.obtenir((agent or monde.agent).id, memoire.id)


async def _ouvrir(pilot: Pilot[None], app: ChorusApp, memoire: Memoire) -> EcranTraitementMemoire:
    """From the queue, choose the mémoire's row and press Entrée."""
    ecran = _file(app)
    await attendre(pilot, lambda: memoire.id in _lignes(app))
    table = ecran.query_one("#file-memoires", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(memoire.id))
    await pilot.press("enter")
    await attendre(
        pilot,
        lambda: (
            isinstance(app.screen, EcranTraitementMemoire)
            and app.screen.memoire is not None
            and app.screen.memoire.id == memoire.id
        ),
    )
    assert isinstance(app.screen, EcranTraitementMemoire)
    return app.screen


async def _choisir(pilot: Pilot[None], action: ActionTraitement) -> None:
    pilot.app.screen.query_one("#champ-action", Select).value = action
    await pilot.pause()


def _historique_affiche(ecran: EcranTraitementMemoire) -> list[str]:
    tableau = ecran.query_one("#detail-historique", TableauPagine)
    return [str(tableau.cellules(cle)[0]) for cle in tableau.cles]


async def test_l_agent_ne_voit_que_les_memoires_envoyes_de_sa_juridiction(monde: Monde) -> None:
    envoye = monde.envoye()
    mis_a_disposition = monde.mis_a_disposition()
    brouillon = monde.brouillon()
    ailleurs = monde.envoye(juridiction_code="TJ-75056")
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        ecran = _file(app)
        await attendre(pilot, lambda: bool(_lignes(app)))
        assert _lignes(app) == {envoye.id, mis_a_disposition.id}
        assert brouillon.id not in _lignes(app)
        assert ailleurs.id not in _lignes(app)
        assert "page 1 / 1 — 2 mémoires" in str(ecran.query_one("#pagination", Static).render())

        # By état: only the one still « Envoyé ».
        ecran.query_one("#champ-statut", Select).value = StatutMemoire.ENVOYE
        await attendre(pilot, lambda: _lignes(app) == {envoye.id})

        # By number, whatever the état.
        ecran.query_one("#champ-statut", Select).clear()
        await saisir(pilot, "numero", mis_a_disposition.numero)
        await pilot.press("f5")
        await attendre(pilot, lambda: _lignes(app) == {mis_a_disposition.id})

        # The other court's mémoire stays out of reach even by its number.
        await saisir(pilot, "numero", ailleurs.numero)
        await pilot.press("f5")
        await attendre(
            pilot,
            lambda: "0 mémoire" in str(ecran.query_one("#pagination", Static).render()),
        )
        assert _lignes(app) == set()


async def test_la_file_se_parcourt_par_pages_de_50(monde: Monde) -> None:
    envoyes = [monde.envoye() for _ in range(51)]
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        ecran = _file(app)
        pagination = ecran.query_one("#pagination", Static)
        await attendre(pilot, lambda: "page 1 / 2 — 51 mémoires" in str(pagination.render()))
        premiere = _lignes(app)
        assert len(premiere) == 50
        await pilot.press("f8")
        await attendre(pilot, lambda: "page 2 / 2" in str(pagination.render()))
        seconde = _lignes(app)
        assert len(seconde) == 1
        assert premiere | seconde == {m.id for m in envoyes}
        await pilot.press("f7")
        await attendre(pilot, lambda: _lignes(app) == premiere)


async def test_refus_sans_motif_puis_avec_motif(monde: Monde) -> None:
    memoire = monde.envoye()
    monde.horloge.avancer(timedelta(days=3))
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        ecran = await _ouvrir(pilot, app, memoire)
        # An agent of the juridiction cannot put in payment; on « Envoyé » only the mise à
        # disposition is possible.
        assert ecran.actions == [ActionTraitement.MISE_A_DISPOSITION]

        # The date proposed is the clock's, in Paris; the event happened two days earlier.
        await _choisir(pilot, ActionTraitement.MISE_A_DISPOSITION)
        date = ecran.query_one("#champ-date_evenement", Input)
        assert date.value == "17/06/2024 12:00"
        await saisir(pilot, "date_evenement", "31/02/2024 10:00")
        await cliquer(pilot, "#enregistrer-evenement")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "date_evenement")))
        assert _stocke(monde, memoire).statut is StatutMemoire.ENVOYE

        await saisir(pilot, "date_evenement", "15/06/2024 09:30")
        await cliquer(pilot, "#enregistrer-evenement")
        await attendre(
            pilot, lambda: _stocke(monde, memoire).statut is StatutMemoire.MIS_A_DISPOSITION
        )
        dernier = _stocke(monde, memoire).historique[-1]
        assert dernier.date_evenement == datetime(2024, 6, 15, 7, 30, tzinfo=UTC)
        assert dernier.date_maj == monde.horloge.maintenant()
        tableau = ecran.query_one("#detail-historique", TableauPagine)
        await attendre(pilot, lambda: len(tableau.cles) == 3)
        cellules = [str(c) for c in tableau.cellules(tableau.cles[-1])]
        assert cellules[:3] == ["Mis à disposition", "15/06/2024 09:30", "17/06/2024 12:00"]
        assert ActionTraitement.REFUS in ecran.actions
        avant = _stocke(monde, memoire)

        await _choisir(pilot, ActionTraitement.REFUS)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "motif")))
        assert "motif est obligatoire" in erreur_de(pilot, "motif")
        assert _stocke(monde, memoire) == avant

        await saisir(pilot, "motif", "Réquisition absente du dossier")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: _stocke(monde, memoire).statut is StatutMemoire.REFUSE)
        refuse = _stocke(monde, memoire)
        assert refuse.historique[-1].motif == "Réquisition absente du dossier"
        assert refuse.historique[-1].reference_evenement == reference_evenement(
            avant, ActionTraitement.REFUS
        )
        await attendre(pilot, lambda: _historique_affiche(ecran)[-1] == "Refusé")
        assert "Réquisition absente du dossier" in [
            str(c) for c in tableau.cellules(tableau.cles[-1])
        ]
        assert erreur_de(pilot, "motif") == ""
        # Refused: nothing more for the service centralisateur.
        assert ecran.actions == []
        assert ecran.query_one("#aucune-action").display


async def test_certification_puis_mise_en_paiement_par_le_comptable(monde: Monde) -> None:
    memoire = monde.mis_a_disposition()
    demande = memoire.totaux.net_a_payer
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        ecran = await _ouvrir(pilot, app, memoire)
        assert set(ecran.actions) == {
            ActionTraitement.SUSPENSION,
            ActionTraitement.CERTIFICATION,
            ActionTraitement.REFUS,
        }
        await _choisir(pilot, ActionTraitement.CERTIFICATION)
        assert ecran.query_one("#bloc-montant_certifie").display
        assert not ecran.query_one("#bloc-montant_paye").display

        # More than asked: refused under the amount.
        await saisir(pilot, "montant_certifie", "1 000,00")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "montant_certifie")))
        assert "ne peut pas dépasser" in erreur_de(pilot, "montant_certifie")

        # Less than asked without a motif: the domain asks for it; nothing typed is lost.
        await saisir(pilot, "montant_certifie", "100,00")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "motif")))
        assert _stocke(monde, memoire).statut is StatutMemoire.MIS_A_DISPOSITION
        assert ecran.query_one("#champ-montant_certifie", Input).value == "100,00"

        await saisir(pilot, "motif", "Taxation au tarif réglementaire")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: _stocke(monde, memoire).statut is StatutMemoire.CERTIFIE)
        certifie = _stocke(monde, memoire)
        assert certifie.montant_certifie == Decimal("100.00") < demande
        assert certifie.historique[-1].montant == Decimal("100.00")
        assert certifie.historique[-1].motif == "Taxation au tarif réglementaire"
        # The mise en paiement is the comptable's, not the agent's.
        await attendre(
            pilot, lambda: ecran.memoire is not None and ecran.memoire.version == certifie.version
        )
        assert ecran.actions == []

        # The comptable signs in: the mémoire is in their queue, with that one action.
        await pilot.press("f9")
        await connecter(pilot, monde.comptable.email)
        ecran = await _ouvrir(pilot, app, memoire)
        assert ecran.actions == [ActionTraitement.MISE_EN_PAIEMENT]
        await _choisir(pilot, ActionTraitement.MISE_EN_PAIEMENT)
        # More than certified: refused under the amount paid.
        await saisir(pilot, "montant_paye", "158,25")
        await cliquer(pilot, "#enregistrer-evenement")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "montant_paye")))
        assert _stocke(monde, memoire, monde.comptable).statut is StatutMemoire.CERTIFIE

        await saisir(pilot, "montant_paye", "100")
        await cliquer(pilot, "#enregistrer-evenement")
        await attendre(
            pilot,
            lambda: (
                _stocke(monde, memoire, monde.comptable).statut is StatutMemoire.MIS_EN_PAIEMENT
            ),
        )
        paye = _stocke(monde, memoire, monde.comptable)
        assert paye.montant_paye == Decimal("100.00")
        assert paye.date_paiement == monde.horloge.aujourdhui()
        # Back to the queue: the list shows the new state.
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFileTraitement))
        table = app.screen.query_one("#file-memoires", DataTable)
        await attendre(
            pilot,
            lambda: (
                memoire.id in _lignes(app)
                and str(table.get_row(memoire.id)[2]) == "Mis en paiement"
            ),
        )


async def test_une_double_soumission_ne_change_rien(monde: Monde) -> None:
    memoire = monde.mis_a_disposition()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        ecran = await _ouvrir(pilot, app, memoire)
        longueur = len(_stocke(monde, memoire).historique)
        await _choisir(pilot, ActionTraitement.REFUS)
        await saisir(pilot, "motif", "Doublon d'un mémoire déjà payé")
        # Two submissions of the same form before the first is answered.
        ecran.action_enregistrer()
        ecran.action_enregistrer()
        await attendre(pilot, lambda: _stocke(monde, memoire).statut is StatutMemoire.REFUSE)
        await attendre(
            pilot,
            lambda: not any(w.group == "evenement" and not w.is_finished for w in app.workers),
        )
        refuse = _stocke(monde, memoire)
        assert len(refuse.historique) == longueur + 1
        assert refuse.version == memoire.version + 1
        # Once reloaded, the form has no action chosen: a third press records nothing.
        await attendre(pilot, lambda: _historique_affiche(ecran)[-1] == "Refusé")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _stocke(monde, memoire) == refuse


async def test_l_agent_enregistre_une_piece_du_memoire(monde: Monde, tmp_path: Path) -> None:
    envoye = monde.envoye()
    rib = envoye.pieces[0]
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        ecran = await _ouvrir(pilot, app, envoye)
        ecran.query_one(DetailMemoire).pieces.table.focus()
        await pilot.press("ctrl+e")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        await saisir(pilot, "chemin", str(tmp_path))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: app.screen is ecran)
    contenu = (tmp_path / rib.nom_fichier).read_bytes()
    assert hashlib.sha256(contenu).hexdigest() == rib.sha256
