"""The TIC instructor in the terminal: the queue of the sent demandes (drafts never), and
the instruction of one of them from mise à disposition to mise en paiement or rejet — the
domain's refusals under the field, nothing stored; only the actions the status allows."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, LoadingIndicator, Select, Static

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.instruction_tic import (
    EcranFileInstructionTic,
    EcranInstructionDemandeTic,
    reference_evenement,
)
from chorus.adapters.tui.widgets.instruction_tic import DetailDemandeTic
from chorus.adapters.tui.widgets.modales import EnregistrerSous
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain.organisation import Adresse, TypeIdentifiant, TypeStructure
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import ActionInstructionTic, StatutDemandeTic
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.services.tic import SaisieEnTeteTic, SaisieLigneTic
from tests.monde import BIC, IBAN, PDF, Monde, construire_monde
from tests.tui.aides import (
    MOT_DE_PASSE,
    TAILLE,
    application,
    attendre,
    cliquer,
    connecter,
    erreur_de,
    saisir,
)

SIRET_FERME = "44234567400018"
RAISON_SOCIALE = "EARL des Trois Chênes"
FACTURE = PDF + b"facture GNR 2023-117"


@attrs.frozen
class MondeTic:
    instructeur: Utilisateur
    exploitant: Utilisateur
    structure_id: str
    coordonnee_id: str


def _monde_tic(monde: Monde) -> MondeTic:
    """An instructeur TIC, and a farm of the Marne (eligible) with the TIC espace and a
    bank account, whose manager files demandes."""
    chorus = monde.chorus
    instructeur = chorus.comptes.creer_agent(
        email="instructeur@douane.gouv.fr",
        mot_de_passe=MOT_DE_PASSE,
        role=RoleAgent.INSTRUCTEUR_TIC,
        nom="Lefèvre",
        prenom="Anne",
    )
    exploitant = chorus.utilisateurs.creer_compte(
        email="exploitant@ferme.fr", nom="Martin", prenom="Paul", actif=True
    )
    s = chorus.structures
    structure = s.creer(
        exploitant.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=SIRET_FERME,
        raison_sociale=RAISON_SOCIALE,
        adresse=Adresse.creer(ligne1="2 chemin des Vignes", code_postal="51100", ville="Reims"),
    )
    s.activer_espace_tic(exploitant.id, structure.id)
    rib = s.deposer_piece(
        exploitant.id,
        structure.id,
        contenu=PDF + b"RIB ferme",
        nom_fichier="RIB-ferme.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    coordonnee = s.ajouter_coordonnee_bancaire(
        exploitant.id,
        structure.id,
        libelle="Compte de l'exploitation",
        iban=IBAN,
        bic=BIC,
        piece_jointe_id=rib.id,
    )
    return MondeTic(instructeur, exploitant, structure.id, coordonnee.id)


def _brouillon(monde: Monde, tic: MondeTic, annee: int = 2023) -> DemandeTic:
    """A draft for `annee`: one invoice of 1 000 l of gazole non routier, attached."""
    service = monde.chorus.tic
    qui = tic.exploitant.id
    demande = service.creer(
        qui,
        SaisieEnTeteTic(
            structure_id=tic.structure_id,
            annee=annee,
            coordonnee_bancaire_id=tic.coordonnee_id,
            attestation_non_difficulte=True,
        ),
    )
    demande, ligne = service.ajouter_ligne(
        qui,
        demande.id,
        SaisieLigneTic(
            numero_facture=f"F-{annee}-117",
            fournisseur="Coopérative de Champagne",
            date_livraison=date(annee, 3, 12),
            produit=ProduitTic.GAZOLE_NON_ROUTIER,
            quantite="1000",
        ),
    )
    service.joindre_piece(
        qui,
        demande.id,
        contenu=FACTURE,
        nom_fichier=f"facture-{annee}-117.pdf",
        numero_ligne=ligne.numero_ligne,
    )
    return service.obtenir(qui, demande.id)


def _envoyee(monde: Monde, tic: MondeTic, annee: int = 2023) -> DemandeTic:
    demande = monde.chorus.tic.envoyer(tic.exploitant.id, _brouillon(monde, tic, annee).id)
    # The instructor works later than the sending.
    monde.horloge.avancer(timedelta(hours=2))
    return demande


def _stockee(monde: Monde, tic: MondeTic, demande: DemandeTic) -> DemandeTic:
    return monde.chorus.instruction_tic.obtenir(tic.instructeur.id, demande.id)


def _instruire(
    monde: Monde, tic: MondeTic, demande: DemandeTic, action: ActionInstructionTic
) -> DemandeTic:
    return monde.chorus.instruction_tic.appliquer_evenement(
        tic.instructeur.id,
        demande.id,
        EvenementInstructionTic.creer(
            action=action,
            reference=f"TEST-{action.value}",
            date_evenement=monde.horloge.maintenant(),
        ),
    )


def _file(app: ChorusApp) -> EcranFileInstructionTic:
    assert isinstance(app.screen, EcranFileInstructionTic)
    return app.screen


def _lignes(app: ChorusApp) -> set[str]:
    table = app.screen.query_one("#file-demandes-tic", DataTable)
    return {str(cle.value) for cle in table.rows}


async def _ouvrir(
    pilot: Pilot[None], app: ChorusApp, demande: DemandeTic
) -> EcranInstructionDemandeTic:
    """From the queue, choose the demande's row and press Entrée."""
    ecran = _file(app)
    await attendre(pilot, lambda: demande.id in _lignes(app))
    table = ecran.query_one("#file-demandes-tic", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(demande.id))
    await pilot.press("enter")
    await attendre(
        pilot,
        lambda: (
            isinstance(app.screen, EcranInstructionDemandeTic)
            and app.screen.demande is not None
            and app.screen.demande.id == demande.id
        ),
    )
    assert isinstance(app.screen, EcranInstructionDemandeTic)
    return app.screen


async def _choisir(pilot: Pilot[None], action: ActionInstructionTic) -> None:
    pilot.app.screen.query_one("#champ-action", Select).value = action
    await pilot.pause()


async def _enregistrer(
    pilot: Pilot[None],
    ecran: EcranInstructionDemandeTic,
    action: ActionInstructionTic,
    statut: StatutDemandeTic,
) -> None:
    """Record `action` at the keyboard and wait until the screen shows `statut`."""
    await _choisir(pilot, action)
    await pilot.press("ctrl+s")
    await attendre(pilot, lambda: ecran.demande is not None and ecran.demande.statut is statut)


def _historique_affiche(ecran: EcranInstructionDemandeTic) -> list[str]:
    tableau = ecran.query_one("#tic-historique", TableauPagine)
    return [str(tableau.cellules(cle)[0]) for cle in tableau.cles]


@pytest.mark.ecrans_sur_sqlite
@pytest.mark.anyio
async def test_instruction_jusqu_a_la_mise_en_paiement(monde: Monde) -> None:
    tic = _monde_tic(monde)
    demande = _envoyee(monde, tic)
    assert demande.montant_total == Decimal("149.60")  # 10 hl at 14,96 €/hl
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, tic.instructeur.email)
        file = _file(app)
        await attendre(pilot, lambda: _lignes(app) == {demande.id})
        assert "Envoyée : 1" in str(file.query_one("#compteurs-tic", Static).render())
        table = file.query_one("#file-demandes-tic", DataTable)
        rangee = [str(c) for c in table.get_row(demande.id)]
        assert rangee[:5] == [demande.numero, SIRET_FERME, "2023", "14/06/2024", "Envoyée"]
        assert rangee[6:] == ["149,60 €", ""]

        ecran = await _ouvrir(pilot, app, demande)
        entete = str(ecran.query_one("#tic-entete", Static).render())
        assert f"{SIRET_FERME} – {RAISON_SOCIALE}" in entete
        assert IBAN in entete
        assert "Reims" in entete
        lignes = ecran.query_one("#tic-lignes", TableauPagine)
        cellules = [str(c) for c in lignes.cellules(lignes.cles[0])]
        assert cellules[1:3] == ["F-2023-117", "12/03/2023"]
        assert cellules[4:] == [
            "1\u00a0000,00 l",
            "14,96 €/hl",
            "149,60 €",
            "Coopérative de Champagne",
        ]
        # Only what the status allows.
        assert ecran.actions == [ActionInstructionTic.MISE_A_DISPOSITION]

        await _enregistrer(
            pilot,
            ecran,
            ActionInstructionTic.MISE_A_DISPOSITION,
            StatutDemandeTic.MISE_A_DISPOSITION,
        )
        assert ecran.actions == [ActionInstructionTic.PRISE_EN_CHARGE, ActionInstructionTic.REJET]
        await _enregistrer(
            pilot, ecran, ActionInstructionTic.PRISE_EN_CHARGE, StatutDemandeTic.EN_INSTRUCTION
        )
        assert ecran.actions == [ActionInstructionTic.VALIDATION, ActionInstructionTic.REJET]

        # Validation: the amount is prefilled with the total; less without a motif is
        # refused under the motif, and nothing is stored.
        await _choisir(pilot, ActionInstructionTic.VALIDATION)
        assert ecran.query_one("#bloc-montant_accorde").display
        montant = ecran.query_one("#champ-montant_accorde", Input)
        assert montant.value == "149,60"
        avant = _stockee(monde, tic, demande)
        await saisir(pilot, "montant_accorde", "100,00")
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "motif")))
        assert "motif est obligatoire" in erreur_de(pilot, "motif")
        assert _stockee(monde, tic, demande) == avant
        assert montant.value == "100,00"

        await saisir(pilot, "motif", "Facture n°F-2023-117 partiellement éligible")
        await pilot.press("ctrl+s")
        await attendre(
            pilot, lambda: _stockee(monde, tic, demande).statut is StatutDemandeTic.VALIDEE
        )
        validee = _stockee(monde, tic, demande)
        assert validee.montant_accorde == Decimal("100.00")
        assert validee.historique[-1].montant == Decimal("100.00")
        assert validee.historique[-1].motif == "Facture n°F-2023-117 partiellement éligible"
        assert validee.historique[-1].reference_evenement == reference_evenement(
            avant, ActionInstructionTic.VALIDATION
        )
        await attendre(pilot, lambda: ecran.actions == [ActionInstructionTic.MISE_EN_PAIEMENT])
        assert erreur_de(pilot, "motif") == ""

        await _enregistrer(
            pilot, ecran, ActionInstructionTic.MISE_EN_PAIEMENT, StatutDemandeTic.MISE_EN_PAIEMENT
        )
        payee = _stockee(monde, tic, demande)
        assert payee.statut is StatutDemandeTic.MISE_EN_PAIEMENT
        assert payee.date_paiement == monde.horloge.aujourdhui()
        assert [e.statut for e in payee.historique] == [
            StatutDemandeTic.BROUILLON,
            StatutDemandeTic.ENVOYEE,
            StatutDemandeTic.MISE_A_DISPOSITION,
            StatutDemandeTic.EN_INSTRUCTION,
            StatutDemandeTic.VALIDEE,
            StatutDemandeTic.MISE_EN_PAIEMENT,
        ]
        for evenement in payee.historique[2:]:
            assert tic.instructeur.email in evenement.acteur
            assert evenement.date_evenement == monde.horloge.maintenant()
        assert payee.historique[-1].montant == Decimal("100.00")
        await attendre(pilot, lambda: _historique_affiche(ecran)[-1] == "Mise en paiement")
        # Paid: nothing more to do.
        assert ecran.actions == []
        assert ecran.query_one("#aucune-action").display
        assert not ecran.query_one("#saisie-evenement").display

        # F2 leads back to the queue, which shows the new state.
        await pilot.press("f2")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFileInstructionTic))
        table = app.screen.query_one("#file-demandes-tic", DataTable)
        await attendre(
            pilot,
            lambda: (
                demande.id in _lignes(app)
                and str(table.get_row(demande.id)[4]) == "Mise en paiement"
            ),
        )
        assert str(table.get_row(demande.id)[7]) == "100,00 €"


@pytest.mark.ecrans_sur_sqlite
@pytest.mark.anyio
async def test_rejet_avec_motif(monde: Monde) -> None:
    tic = _monde_tic(monde)
    demande = _instruire(monde, tic, _envoyee(monde, tic), ActionInstructionTic.MISE_A_DISPOSITION)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, tic.instructeur.email)
        ecran = await _ouvrir(pilot, app, demande)
        assert ActionInstructionTic.REJET in ecran.actions
        await _choisir(pilot, ActionInstructionTic.REJET)
        assert ecran.query_one("#bloc-motif").display
        assert not ecran.query_one("#bloc-montant_accorde").display
        await cliquer(pilot, "#enregistrer-evenement")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "motif")))
        assert "motif est obligatoire" in erreur_de(pilot, "motif")
        assert _stockee(monde, tic, demande) == demande

        await saisir(pilot, "motif", "Exploitation hors du champ du remboursement")
        await cliquer(pilot, "#enregistrer-evenement")
        await attendre(
            pilot, lambda: _stockee(monde, tic, demande).statut is StatutDemandeTic.REJETEE
        )
        rejetee = _stockee(monde, tic, demande)
        assert rejetee.motif_rejet == "Exploitation hors du champ du remboursement"
        assert rejetee.historique[-1].motif == rejetee.motif_rejet
        assert rejetee.montant_accorde is None
        await attendre(pilot, lambda: _historique_affiche(ecran)[-1] == "Rejetée")
        assert ecran.actions == []


@pytest.mark.ecrans_sur_sqlite
@pytest.mark.anyio
async def test_une_double_soumission_ne_change_rien(monde: Monde) -> None:
    tic = _monde_tic(monde)
    demande = _envoyee(monde, tic)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, tic.instructeur.email)
        ecran = await _ouvrir(pilot, app, demande)
        await _choisir(pilot, ActionInstructionTic.MISE_A_DISPOSITION)
        # Two submissions of the same form before the first is answered.
        ecran.action_enregistrer()
        ecran.action_enregistrer()
        await attendre(
            pilot,
            lambda: not any(w.group == "evenement" and not w.is_finished for w in app.workers),
        )
        stockee = _stockee(monde, tic, demande)
        assert stockee.statut is StatutDemandeTic.MISE_A_DISPOSITION
        assert len(stockee.historique) == len(demande.historique) + 1
        assert stockee.version == demande.version + 1
        # Once reloaded, no action is chosen: a third press records nothing.
        await attendre(pilot, lambda: _historique_affiche(ecran)[-1] == "Mise à disposition")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _stockee(monde, tic, demande) == stockee


@pytest.mark.ecrans_sur_sqlite
@pytest.mark.anyio
async def test_un_brouillon_n_apparait_jamais(monde: Monde) -> None:
    tic = _monde_tic(monde)
    envoyee = _envoyee(monde, tic, 2023)
    brouillon = _brouillon(monde, tic, 2022)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, tic.instructeur.email)
        file = _file(app)
        pagination = file.query_one("#pagination", Static)
        await attendre(pilot, lambda: "1 demande" in str(pagination.render()))
        assert _lignes(app) == {envoyee.id}
        compteurs = str(file.query_one("#compteurs-tic", Static).render())
        assert "Brouillon" not in compteurs
        assert "1 demande en tout" in compteurs

        # Not even by its number, nor by its year.
        await saisir(pilot, "numero", brouillon.numero)
        await pilot.press("f5")
        await attendre(pilot, lambda: "0 demande" in str(pagination.render()))
        await saisir(pilot, "numero", "")
        await saisir(pilot, "annee", "2022")
        await pilot.press("f5")
        await attendre(pilot, lambda: "0 demande" in str(pagination.render()))
        await saisir(pilot, "annee", "2023")
        await pilot.press("f5")
        await attendre(pilot, lambda: _lignes(app) == {envoyee.id})
        await saisir(pilot, "annee", "vingt")
        await pilot.press("f5")
        await attendre(pilot, lambda: "pas une année" in erreur_de(pilot, "annee"))

        # Opened by its id all the same: unknown to the back office.
        app.push_screen(EcranInstructionDemandeTic(brouillon.id))
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, EcranInstructionDemandeTic)
                and "Introuvable" in str(app.screen.query_one("#aucune-action", Static).render())
            ),
        )
        assert isinstance(app.screen, EcranInstructionDemandeTic)
        assert app.screen.demande is None
        assert not app.screen.query_one("#saisie-evenement").display


@pytest.mark.ecrans_sur_sqlite
@pytest.mark.anyio
async def test_pieces_et_certificat_enregistres_sans_rien_ecraser(
    monde: Monde, tmp_path: Path
) -> None:
    tic = _monde_tic(monde)
    demande = _envoyee(monde, tic)
    facture = next(p for p in demande.pieces if p.type_piece is TypePiece.FACTURE)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, tic.instructeur.email)
        ecran = await _ouvrir(pilot, app, demande)
        pieces = ecran.query_one(DetailDemandeTic).pieces
        assert {str(pieces.cellules(c)[0]) for c in pieces.cles} == {
            p.nom_fichier for p in demande.pieces
        }
        pieces.table.focus()
        pieces.table.move_cursor(row=pieces.table.get_row_index(facture.id))
        for _ in range(2):
            await pilot.press("ctrl+e")
            await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
            await saisir(pilot, "chemin", str(tmp_path))
            await pilot.press("ctrl+s")
        # The second time the file exists: refused, the window stays open.
        await attendre(pilot, lambda: "existe déjà" in erreur_de(pilot, "chemin"))
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is ecran)

        await pilot.press("ctrl+t")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        await saisir(pilot, "chemin", str(tmp_path / "certificat.pdf"))
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: app.screen is ecran)
    contenu = (tmp_path / facture.nom_fichier).read_bytes()
    assert hashlib.sha256(contenu).hexdigest() == facture.sha256
    certificat = monde.chorus.instruction_tic.certificat_depot(tic.instructeur.id, demande.id)
    assert (tmp_path / "certificat.pdf").read_bytes() == certificat.contenu


# -- snapshot ------------------------------------------------------------------------------


async def _sans_chargement(pilot: Pilot[Any]) -> None:
    """Until the workers are done and nothing blinks: the picture must not depend on the
    instant it is taken (as in test_instantanes)."""
    await attendre(pilot, lambda: not pilot.app.screen.query(LoadingIndicator))
    await pilot.app.workers.wait_for_complete()
    await attendre(pilot, lambda: not pilot.app.screen.query(LoadingIndicator))
    for saisie in pilot.app.screen.query(Input):
        saisie.cursor_blink = False
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


def test_instantane_de_l_instruction(snap_compare: Any) -> None:
    """The processing screen of a demande en cours d'instruction, validation chosen."""
    monde = construire_monde()
    tic = _monde_tic(monde)
    demande = _envoyee(monde, tic)
    for action in (ActionInstructionTic.MISE_A_DISPOSITION, ActionInstructionTic.PRISE_EN_CHARGE):
        demande = _instruire(monde, tic, demande, action)

    async def ouvrir(pilot: Pilot[Any]) -> None:
        await connecter(pilot, tic.instructeur.email)
        app = pilot.app
        app.push_screen(EcranInstructionDemandeTic(demande.id))
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, EcranInstructionDemandeTic)
                and app.screen.demande is not None
            ),
        )
        await _choisir(pilot, ActionInstructionTic.VALIDATION)
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=ouvrir)
