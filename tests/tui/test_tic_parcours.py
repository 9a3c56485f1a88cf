"""The farmer's journey in the terminal (seed 004), on SQLite: sign in, the TIC
space, a draft with two invoice lines (the rate and amount shown as they are typed), two
pièces (one on a line, one on the demande), « Envoyer » after the warning, the certificate
exported to a file, then the demande in « Mon suivi » and the « Tableau de bord »."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.espace_tic import CREER, SUIVI, TABLEAU, EspaceTic
from chorus.adapters.tui.ecrans.ligne_tic import FenetreLigneTic
from chorus.adapters.tui.ecrans.saisie_tic import RESULTAT, EcranSaisieTic
from chorus.adapters.tui.formulaires import id_champ
from chorus.adapters.tui.onglets.tic_commun import DEMANDE_ENTIERE
from chorus.adapters.tui.onglets.tic_suivi import OngletSuiviTic
from chorus.adapters.tui.onglets.tic_tableau import OngletTableauTic, TableCompteursTic
from chorus.adapters.tui.widgets.modales import Confirmation, EnregistrerSous
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.statuts import StatutDemandeTic
from tests.monde import PDF
from tests.tui.aides import TAILLE, attendre, connecter
from tests.tui.tic_pilote import (
    MondeTic,
    application_tic,
    choisir,
    construire_monde_tic,
    demandes,
    ecrire,
    erreur,
    presser,
    saisi,
    stockee,
    texte,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def monde_tic(tmp_path: Path) -> MondeTic:
    """The TIC world on SQLite, the storage of `chorus tui` (see `tests/tui/conftest.py`)."""
    return construire_monde_tic("sqlite", tmp_path)


def _saisie(pilot: Pilot[None]) -> EcranSaisieTic:
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranSaisieTic)
    return ecran


async def _nouvelle_demande(pilot: Pilot[None], monde: MondeTic, annee: str = "2019") -> str:
    """From the TIC space: « Créer une nouvelle demande », the en-tête saved; the draft's id."""
    espace = pilot.app.screen
    assert isinstance(espace, EspaceTic)
    espace.montrer(CREER)
    await pilot.pause()
    await presser(pilot, "#gestion-tic-creer")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranSaisieTic))
    saisie = _saisie(pilot)
    await attendre(pilot, lambda: saisie.pret)
    # A single bank account: proposed; the structure is the one acted for.
    assert saisie.query_one(f"#{id_champ('coordonnee_bancaire_id')}").value == (  # type: ignore[attr-defined]
        monde.structure.coordonnees_bancaires[0].id
    )
    choisir(pilot, "annee", annee)
    saisie.query_one(f"#{id_champ('attestation_non_difficulte')}", Checkbox).value = True
    await presser(pilot, "#entete-tic-enregistrer")
    await attendre(pilot, lambda: saisie.etape == 2 and saisie.demande is not None)
    assert saisie.demande is not None
    return saisie.demande.id


async def _ligne(
    pilot: Pilot[None],
    *,
    facture: str,
    livraison: str,
    produit: ProduitTic,
    quantite: str,
    fournisseur: str = "Coopérative du Maine",
) -> FenetreLigneTic:
    fenetre = pilot.app.screen
    assert isinstance(fenetre, FenetreLigneTic)
    ecrire(pilot, "numero_facture", facture)
    ecrire(pilot, "fournisseur", fournisseur)
    ecrire(pilot, "date_livraison", livraison)
    choisir(pilot, "produit", produit.value)
    ecrire(pilot, "quantite", quantite)
    await pilot.pause()
    return fenetre


async def test_deposer_une_demande_au_clavier(monde_tic: MondeTic, tmp_path: Path) -> None:
    monde = monde_tic
    facture_gnr = PDF + b"% facture gazole non routier\n"
    facture_fioul = PDF + b"% facture fioul lourd\n"
    (tmp_path / "facture-gnr.pdf").write_bytes(facture_gnr)
    (tmp_path / "facture-fioul.pdf").write_bytes(facture_fioul)
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        # 1. Signed in, the farmer of a structure with the TIC espace only is in its space.
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        demande_id = await _nouvelle_demande(pilot, monde)
        assert stockee(monde, demande_id).statut is StatutDemandeTic.BROUILLON

        # 2. Two lines; the rate and the amount show as they are typed.
        await presser(pilot, "#ligne-tic-ajouter")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreLigneTic))
        fenetre = await _ligne(
            pilot,
            facture="F-2019-031",
            livraison="15/03/2019",
            produit=ProduitTic.GAZOLE_NON_ROUTIER,
            quantite="1234,56",
        )
        await attendre(pilot, lambda: "184,69 €" in texte(pilot, "#apercu-ligne-tic"))
        assert "14,96 €/hl" in texte(pilot, "#apercu-ligne-tic")
        assert texte(pilot, "#unite-quantite") == "l"
        await presser(pilot, "#ligne-tic-valider-ajouter")
        await attendre(pilot, lambda: len(stockee(monde, demande_id).lignes) == 1)
        # The window stays open for the next invoice of the same supplier.
        assert app.screen is fenetre
        assert saisi(pilot, "numero_facture") == ""
        assert saisi(pilot, "fournisseur") == "Coopérative du Maine"
        await _ligne(
            pilot,
            facture="F-2019-118",
            livraison="20/11/2019",
            produit=ProduitTic.FIOUL_LOURD,
            quantite="2500",
            fournisseur="Raffinerie de l'Ouest",
        )
        assert texte(pilot, "#unite-quantite") == "kg"
        await attendre(pilot, lambda: "344,13 €" in texte(pilot, "#apercu-ligne-tic"))
        await presser(pilot, "#ligne-tic-valider")
        await attendre(pilot, lambda: isinstance(app.screen, EcranSaisieTic))
        demande = stockee(monde, demande_id)
        assert [(lg.produit, lg.taux, lg.montant) for lg in demande.lignes] == [
            (ProduitTic.GAZOLE_NON_ROUTIER, Decimal("14.96"), Decimal("184.69")),
            (ProduitTic.FIOUL_LOURD, Decimal("13.765"), Decimal("344.13")),
        ]
        # After saving, the table shows the stored line's rate, unit and amount.
        table = app.screen.query_one("#table-lignes-tic DataTable", DataTable)
        rangee = [str(c) for c in table.get_row_at(0)]
        assert "1\u00a0234,56 l" in rangee
        assert "14,96 €/hl" in rangee
        assert "184,69 €" in rangee
        assert "528,82 €" in texte(pilot, "#lignes-tic-total")

        # 3. One pièce on line 1, one on the whole demande.
        saisie = _saisie(pilot)
        await presser(pilot, "#saisie-tic-suivant")
        await attendre(pilot, lambda: saisie.etape == 3)
        ecrire(pilot, "fichier", str(tmp_path / "facture-gnr.pdf"), "#form-fichier-tic")
        choisir(pilot, "numero_ligne", "1", "#form-fichier-tic")
        await presser(pilot, "#piece-tic-ajouter")
        await attendre(pilot, lambda: len(stockee(monde, demande_id).pieces) == 1)
        ecrire(pilot, "fichier", str(tmp_path / "facture-fioul.pdf"), "#form-fichier-tic")
        choisir(pilot, "numero_ligne", DEMANDE_ENTIERE, "#form-fichier-tic")
        await presser(pilot, "#piece-tic-ajouter")
        await attendre(pilot, lambda: len(stockee(monde, demande_id).pieces) == 2)
        pieces = stockee(monde, demande_id).pieces
        assert [(p.nom_fichier, p.numero_ligne) for p in pieces] == [
            ("facture-gnr.pdf", 1),
            ("facture-fioul.pdf", None),
        ]

        # 4. The récapitulatif, « Envoyer » after the warning.
        await presser(pilot, "#saisie-tic-suivant")
        await attendre(pilot, lambda: saisie.etape == 4)
        assert "528,82 €" in texte(pilot, "#recap-tic-total")
        await presser(pilot, "#envoyer-tic")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        assert "n'est plus modifiable" in texte(pilot, "#question")
        await presser(pilot, "#oui")
        await attendre(pilot, lambda: saisie.etape == RESULTAT)
        envoyee = stockee(monde, demande_id)
        assert envoyee.statut is StatutDemandeTic.ENVOYEE
        assert envoyee.certificat is not None
        assert envoyee.certificat.texte in texte(pilot, "#resultat-tic-texte")
        assert envoyee.numero in texte(pilot, "#resultat-tic-numero")

        # 5. « Exporter en pdf »: the certificate as stored, byte for byte.
        await presser(pilot, "#exporter-pdf-tic")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        chemin = tmp_path / "certificat.pdf"
        ecrire(pilot, "chemin", str(chemin))
        await presser(pilot, "#enregistrer")
        await attendre(pilot, chemin.exists)
        attendu = monde.chorus.tic.certificat_depot(monde.agriculteur.id, demande_id).contenu
        assert chemin.read_bytes() == attendu

        # 6. « Fermer »: the space shows the demande in « Mon suivi » and the dashboard.
        await attendre(pilot, lambda: isinstance(app.screen, EcranSaisieTic))
        await presser(pilot, "#fermer-tic")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        espace = app.screen
        assert isinstance(espace, EspaceTic)
        espace.montrer(SUIVI)
        suivi = espace.query_one(OngletSuiviTic)
        table_suivi = suivi.query_one(DataTable)
        await attendre(
            pilot,
            lambda: any(
                envoyee.numero in [str(c) for c in table_suivi.get_row_at(i)]
                for i in range(table_suivi.row_count)
            ),
        )
        statuts = {str(table_suivi.get_row_at(i)[3]) for i in range(table_suivi.row_count)}
        assert {"Envoyée", "Brouillon"} <= statuts
        espace.montrer(TABLEAU)
        tableau = espace.query_one(OngletTableauTic)
        compteurs = tableau.query_one(TableCompteursTic)
        await attendre(pilot, lambda: tableau.charge and compteurs.row_count == 1)
        rangee = [str(c) for c in compteurs.get_row(monde.structure.id)]
        colonnes = [c.value for c in compteurs.columns]
        assert rangee[colonnes.index(StatutDemandeTic.ENVOYEE.value)] == "1"
        assert rangee[0] == "EARL du Bocage"


async def test_une_ligne_refusee_garde_la_saisie(monde_tic: MondeTic) -> None:
    monde = monde_tic
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        demande_id = await _nouvelle_demande(pilot, monde)
        await presser(pilot, "#ligne-tic-ajouter")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreLigneTic))
        await _ligne(
            pilot,
            facture="F-2020-004",
            livraison="15/01/2020",
            produit=ProduitTic.GAZOLE_NON_ROUTIER,
            quantite="800",
        )
        await attendre(
            pilot, lambda: "n'est pas dans l'année 2019" in texte(pilot, "#apercu-ligne-tic")
        )
        await presser(pilot, "#ligne-tic-valider")
        await attendre(pilot, lambda: "doit être dans l'année" in erreur(pilot, "date_livraison"))
        assert isinstance(app.screen, FenetreLigneTic)
        assert saisi(pilot, "date_livraison") == "15/01/2020"
        assert saisi(pilot, "numero_facture") == "F-2020-004"
        assert saisi(pilot, "quantite") == "800"
        assert stockee(monde, demande_id).lignes == ()
        # Too many decimals: refused by the domain under the quantity.
        ecrire(pilot, "date_livraison", "15/01/2019")
        ecrire(pilot, "quantite", "12,345")
        await presser(pilot, "#ligne-tic-valider")
        await attendre(pilot, lambda: "décimales" in erreur(pilot, "quantite"))
        assert erreur(pilot, "date_livraison") == ""
        assert saisi(pilot, "quantite") == "12,345"
        assert stockee(monde, demande_id).lignes == ()


async def test_dupliquer_une_demande_rejetee(monde_tic: MondeTic) -> None:
    monde = monde_tic
    motif = "Factures illisibles : joignez des copies nettes."
    rejetee = monde.rejetee(motif)
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        # « Mon suivi » shows the rejection with its motif; Entrée opens the demande.
        suivi = app.screen.query_one(OngletSuiviTic)
        table = suivi.query_one(DataTable)
        await attendre(pilot, lambda: suivi.charge and table.row_count > 0)
        assert motif in str(table.get_row_at(0)[4])
        assert str(table.get_row_at(0)[3]) == "Rejetée"
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        from chorus.adapters.tui.ecrans.demande_tic import EcranDemandeTic, FenetreHistoriqueTic

        await attendre(
            pilot,
            lambda: isinstance(app.screen, EcranDemandeTic) and app.screen.demande is not None,
        )
        detail = app.screen
        assert isinstance(detail, EcranDemandeTic)
        assert detail.actions == {"historique", "dupliquer", "exporter_pdf", "enregistrer_piece"}
        # « Historique »: each event, the motif of the rejection visible.
        await pilot.press("h")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreHistoriqueTic))
        assert motif in texte(pilot, "#motif-rejet-tic")
        historique = app.screen.query_one(DataTable)
        assert [str(historique.get_row_at(i)[1]) for i in range(historique.row_count)] == [
            "Brouillon",
            "Envoyée",
            "Mise à disposition",
            "En cours d'instruction",
            "Rejetée",
        ]
        assert motif in str(historique.get_row_at(4)[4])
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is detail)
        # « Dupliquer »: the new draft opens for correction.
        await pilot.press("d")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await presser(pilot, "#oui")
        await attendre(pilot, lambda: isinstance(app.screen, EcranSaisieTic) and app.screen.pret)
        copie = _saisie(pilot).demande
        assert copie is not None
        assert copie.parent_id == rejetee.id
        assert copie.statut is StatutDemandeTic.BROUILLON
        assert [lg.montant for lg in copie.lignes] == [lg.montant for lg in rejetee.lignes]
        assert {d.id for d in demandes(monde)} == {rejetee.id, copie.id}
        assert stockee(monde, rejetee.id).statut is StatutDemandeTic.REJETEE


async def test_un_brouillon_se_supprime_apres_confirmation(monde_tic: MondeTic) -> None:
    monde = monde_tic
    brouillon = monde.brouillon()
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        from chorus.adapters.tui.ecrans.demande_tic import EcranDemandeTic

        app.push_screen(EcranDemandeTic(brouillon.id))
        await attendre(
            pilot,
            lambda: isinstance(app.screen, EcranDemandeTic) and app.screen.demande is not None,
        )
        detail = app.screen
        assert isinstance(detail, EcranDemandeTic)
        assert detail.actions == {"historique", "modifier", "supprimer"}
        await pilot.press("s")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await presser(pilot, "#oui")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        assert demandes(monde) == []


async def test_f12_ouvre_l_espace_tic_d_une_structure_aux_deux_espaces(
    monde_tic: MondeTic,
) -> None:
    from chorus.adapters.tui.ecrans.espace import EspaceMemoires
    from tests.tui.tic_pilote import deux_espaces

    monde = monde_tic
    structure = deux_espaces(monde)
    app = application_tic(monde)
    assert isinstance(app, ChorusApp)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        # Two structures: the chooser; the one with both spaces opens the mémoires' first.
        from chorus.adapters.tui.ecrans.choix_structure import ChoixStructure

        await attendre(pilot, lambda: isinstance(app.screen, ChoixStructure))
        from textual.widgets import OptionList

        liste = app.screen.query_one(OptionList)
        liste.highlighted = next(
            i for i in range(liste.option_count) if liste.get_option_at_index(i).id == structure.id
        )
        await pilot.press("enter")
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, EspaceMemoires)
                and app.session is not None
                and app.session.structure_id == structure.id
            ),
        )
        await pilot.pause()
        await pilot.press("f12")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        await pilot.press("f2")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceMemoires))
        assert len(app.screen_stack) == 2


async def test_modifier_supprimer_une_ligne_et_joindre_une_pj_du_compte(
    monde_tic: MondeTic,
) -> None:
    monde = monde_tic
    brouillon = monde.brouillon(2019, lignes=2)
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        # The draft is entirely modifiable: from « Créer une demande », Entrée resumes it.
        espace = app.screen
        assert isinstance(espace, EspaceTic)
        espace.montrer(CREER)
        brouillons = espace.query_one("#gestion-tic-brouillons", DataTable)
        await attendre(pilot, lambda: brouillons.row_count == 1)
        brouillons.focus()
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranSaisieTic) and app.screen.pret)
        saisie = _saisie(pilot)
        assert saisie.demande is not None
        assert saisie.demande.id == brouillon.id

        # The en-tête: the 2022 campaign offers an avance of 25 %.
        avance = saisie.query_one(f"#{id_champ('avance')}", Checkbox)
        assert avance.display
        assert saisie.query_one("#bloc-avance").display
        assert "25 %" in str(avance.label)
        avance.value = True
        await presser(pilot, "#entete-tic-enregistrer")
        await attendre(pilot, lambda: saisie.etape == 2)
        assert stockee(monde, brouillon.id).entete.avance

        # Line 2 changed (Entrée on it), then line 1 deleted after confirmation.
        table = saisie.query_one("#table-lignes-tic DataTable", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreLigneTic))
        assert saisi(pilot, "numero_facture") == "F-2019-002"
        ecrire(pilot, "quantite", "100")
        await presser(pilot, "#ligne-tic-valider")
        await attendre(
            pilot, lambda: stockee(monde, brouillon.id).ligne(2).montant == Decimal("14.96")
        )
        await attendre(pilot, lambda: app.screen is saisie)
        table.focus()
        table.move_cursor(row=0)
        await presser(pilot, "#ligne-tic-supprimer")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await presser(pilot, "#oui")
        await attendre(
            pilot, lambda: [lg.numero_ligne for lg in stockee(monde, brouillon.id).lignes] == [2]
        )

        # « Sélectionner une PJ du compte », on the remaining line.
        await presser(pilot, "#saisie-tic-suivant")
        await attendre(pilot, lambda: saisie.etape == 3)
        facture = next(p for p in monde.structure.pieces if p.nom_fichier == "facture-compte.pdf")
        choisir(pilot, "piece_structure_id", facture.id)
        choisir(pilot, "numero_ligne", "2", "#form-import-tic")
        await presser(pilot, "#piece-tic-importer")
        await attendre(pilot, lambda: len(stockee(monde, brouillon.id).pieces) == 1)
        (piece,) = stockee(monde, brouillon.id).pieces
        assert (piece.nom_fichier, piece.numero_ligne, piece.sha256) == (
            "facture-compte.pdf",
            2,
            facture.sha256,
        )
        await presser(pilot, "#saisie-tic-suivant")
        await attendre(pilot, lambda: saisie.etape == 4)
        assert "dont avance demandée : 3,74 €" in texte(pilot, "#recap-tic-total")
