"""The consultation tabs from the terminal: Synthèse, Rechercher, Tableau de bord, Liste
fiscale, Archives, and the CSV exports — each checked against what the store holds."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from chorus.adapters.tableurs.csv_francais import BOM, ENTETE_LISTE_FISCALE, ENTETE_MEMOIRES
from chorus.adapters.tui.affichage import euros
from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.fichier import EcranFichier
from chorus.adapters.tui.formulaires import id_champ
from chorus.adapters.tui.onglets.liste_fiscale import periode_par_defaut
from chorus.adapters.tui.onglets.liste_memoires import TableMemoires
from chorus.adapters.tui.onglets.tableau_de_bord import TableCompteurs
from chorus.adapters.tui.widgets.modales import Confirmation
from chorus.domain.errors import NonTrouve
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import CleDeTri, FiltresMemoire, Pagination, ResumeMemoire, Tri
from tests.monde import AUJOURDHUI, Monde
from tests.tui.aides import (
    TAILLE,
    application,
    attendre,
    cles,
    cliquer,
    connecter,
    erreur_de,
    ouvrir_onglet,
    saisir,
)

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


# -- helpers -----------------------------------------------------------------------------


def table(pilot: Pilot[None], ident: str) -> DataTable[object]:
    return pilot.app.screen.query_one(f"#{ident}", DataTable)


def texte(pilot: Pilot[None], ident: str) -> str:
    return str(pilot.app.screen.query_one(f"#{ident}", Static).render())


def choisir(pilot: Pilot[None], champ: str, valeur: str) -> None:
    pilot.app.screen.query_one(f"#{id_champ(champ)}", Select).value = valeur


def tous(monde: Monde, filtres: FiltresMemoire, tri: Tri | None = None) -> list[ResumeMemoire]:
    """Every mémoire the gestionnaire finds by `filtres`, in the order of `tri`."""
    consultation = monde.chorus.consultation
    resultats: list[ResumeMemoire] = []
    page = 1
    while True:
        trouve = consultation.rechercher(
            monde.gestionnaire.id, filtres, tri or Tri(), Pagination(page, 500)
        )
        resultats += trouve.elements
        if page * 500 >= trouve.total:
            return resultats
        page += 1


def lire_csv(chemin: Path) -> list[list[str]]:
    brut = chemin.read_bytes().decode("utf-8")
    assert brut.startswith(BOM)
    assert "\r\n" in brut
    return list(csv.reader(io.StringIO(brut.removeprefix(BOM), newline=""), delimiter=";"))


async def espace(monde: Monde, pilot: Pilot[None]) -> ChorusApp:
    await connecter(pilot, monde.gestionnaire.email)
    app = pilot.app
    assert isinstance(app, ChorusApp)
    return app


async def exporter_vers(pilot: Pilot[None], chemin: Path) -> None:
    """Fill the export window open on the screen with `chemin` and wait until written."""
    app = pilot.app
    await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
    await saisir(pilot, "chemin", str(chemin))
    await cliquer(pilot, "#fichier-enregistrer")
    await attendre(pilot, lambda: not isinstance(app.screen, EcranFichier))


def focaliser(pilot: Pilot[None], ident: str) -> TableMemoires:
    t = pilot.app.screen.query_one(f"#{ident}", TableMemoires)
    t.focus()
    return t


# Each test drives one session through several actions: opening the mémoire space costs
# about as much as everything done in it.


# -- Synthèse ----------------------------------------------------------------------------


async def test_la_synthese_et_ses_actions(monde: Monde, tmp_path: Path) -> None:
    brouillon = monde.brouillon()
    garde = monde.brouillon()
    refuse = monde.refuse()  # sending attached the RIB of the coordonnée bancaire
    assert refuse.pieces
    monde.envoye()  # waits for the court: in no section
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await espace(monde, pilot)
        await ouvrir_onglet(pilot, "synthese")
        await attendre(pilot, lambda: len(cles(pilot, "synthese-brouillon")) == 2)
        assert set(cles(pilot, "synthese-brouillon")) == {brouillon.id, garde.id}
        assert cles(pilot, "synthese-refuse") == [refuse.id]
        assert cles(pilot, "synthese-suspendu") == []
        assert texte(pilot, "synthese-brouillon-titre") == "Brouillons (2)"
        assert texte(pilot, "synthese-refuse-titre") == "Mémoires refusés (1)"
        assert texte(pilot, "synthese-suspendu-titre") == "Mémoires suspendus (0)"

        # Télécharger: the refused mémoire's pièces, into a folder created for them.
        focaliser(pilot, "synthese-refuse")
        await pilot.press("t")
        dossier = tmp_path / "telechargement"  # tmp_path / "pieces" is the blob store
        await exporter_vers(pilot, dossier)
        for piece in refuse.pieces:
            _, contenu = monde.chorus.memoires.lire_piece(
                monde.gestionnaire.id, refuse.id, piece.id
            )
            assert (dossier / piece.nom_fichier).read_bytes() == contenu
        assert len(list(dossier.iterdir())) == len(refuse.pieces)

        # Supprimer: a refused mémoire is no draft — refused without asking, and kept.
        focaliser(pilot, "synthese-refuse")
        await pilot.press("delete")
        await pilot.pause()
        assert not isinstance(app.screen, Confirmation)
        lu = monde.chorus.memoires.obtenir(monde.gestionnaire.id, refuse.id)
        assert lu.statut is StatutMemoire.REFUSE

        # Supprimer a draft, once confirmed.
        brouillons = focaliser(pilot, "synthese-brouillon")
        brouillons.move_cursor(row=cles(pilot, "synthese-brouillon").index(brouillon.id))
        await pilot.press("delete")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await cliquer(pilot, "#oui")
        await attendre(pilot, lambda: cles(pilot, "synthese-brouillon") == [garde.id])
        with pytest.raises(NonTrouve):
            monde.chorus.memoires.obtenir(monde.gestionnaire.id, brouillon.id)
        assert monde.chorus.memoires.obtenir(monde.gestionnaire.id, garde.id).id == garde.id

        # Dupliquer the refused one: a new draft, opened in « Saisir mémoire ».
        focaliser(pilot, "synthese-refuse")
        await pilot.press("d")

        def copies() -> list[ResumeMemoire]:
            brouillons = FiltresMemoire(statuts=frozenset({StatutMemoire.BROUILLON}))
            return [r for r in tous(monde, brouillons) if r.parent_id == refuse.id]

        await attendre(pilot, lambda: len(copies()) == 1)
        original = monde.chorus.memoires.obtenir(monde.gestionnaire.id, refuse.id)
        assert original.statut is StatutMemoire.DUPLIQUE_POST_REFUS
        copie = monde.chorus.memoires.obtenir(monde.gestionnaire.id, copies()[0].id)
        assert copie.lignes == original.lignes
        await attendre(pilot, lambda: app.screen.query_one(TabbedContent).active == "saisir")


# -- Rechercher --------------------------------------------------------------------------


async def test_rechercher_et_exporter_en_csv(monde: Monde, tmp_path: Path) -> None:
    brouillon = monde.brouillon()
    envoye = monde.envoye()
    refuse = monde.refuse()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await espace(monde, pilot)
        await ouvrir_onglet(pilot, "rechercher")
        await attendre(pilot, lambda: len(cles(pilot, "recherche-resultats")) == 3)
        assert set(cles(pilot, "recherche-resultats")) == {brouillon.id, envoye.id, refuse.id}

        # Every result into a CSV file, as the store lists them.
        focaliser(pilot, "recherche-resultats")
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
        defaut = app.screen.query_one(f"#{id_champ('chemin')}", Input).value
        assert defaut == f"memoires-{AUJOURDHUI:%Y%m%d}.csv"
        sortie = tmp_path / "sortie"  # beside the world's database
        sortie.mkdir()
        chemin = sortie / "export.csv"
        await exporter_vers(pilot, chemin)
        lignes = lire_csv(chemin)
        assert lignes[0] == list(ENTETE_MEMOIRES)
        attendus = tous(monde, FiltresMemoire())
        assert [ligne[0] for ligne in lignes[1:]] == [r.numero for r in attendus]
        assert [ligne[2] for ligne in lignes[1:]] == [r.statut.libelle for r in attendus]
        assert [ligne[17] for ligne in lignes[1:]] == [
            f"{r.montant_ttc:.2f}".replace(".", ",") for r in attendus
        ]

        # A path that cannot be written is refused under the field, the window stays.
        await cliquer(pilot, "#recherche-exporter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
        absent = tmp_path / "absent" / "export.csv"
        await saisir(pilot, "chemin", str(absent))
        await cliquer(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: "n'existe pas" in erreur_de(pilot, "chemin"))
        assert not absent.parent.exists()
        await saisir(pilot, "chemin", str(sortie))
        await cliquer(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: "est un dossier" in erreur_de(pilot, "chemin"))
        ecrit = chemin.read_bytes()
        await saisir(pilot, "chemin", str(chemin))
        await cliquer(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: "existe déjà" in erreur_de(pilot, "chemin"))
        assert app.screen.query_one(f"#{id_champ('chemin')}", Input).value == str(chemin)
        assert chemin.read_bytes() == ecrit
        assert list(sortie.iterdir()) == [chemin]
        await pilot.press("escape")
        await attendre(pilot, lambda: not isinstance(app.screen, EcranFichier))

        # By état.
        choisir(pilot, "recherche.statut", StatutMemoire.REFUSE.value)
        await cliquer(pilot, "#recherche-lancer")
        await attendre(pilot, lambda: cles(pilot, "recherche-resultats") == [refuse.id])
        assert texte(pilot, "recherche-pages") == "page 1 / 1 — 1 résultat"

        # By numéro.
        pilot.app.screen.query_one(f"#{id_champ('recherche.statut')}", Select).clear()
        await saisir(pilot, "recherche.numero", envoye.numero)
        await pilot.press("f5")
        await attendre(pilot, lambda: cles(pilot, "recherche-resultats") == [envoye.id])

        # A malformed date is refused under its field; the results stay.
        await saisir(pilot, "recherche.date_depot_du", "31/02/2024")
        await cliquer(pilot, "#recherche-lancer")
        await attendre(
            pilot, lambda: "n'est pas une date" in erreur_de(pilot, "recherche.date_depot_du")
        )
        assert cles(pilot, "recherche-resultats") == [envoye.id]


async def test_les_pages_de_resultats_et_la_selection(monde: Monde) -> None:
    envoye = monde.envoye()
    for _ in range(51):
        monde.brouillon(lignes=0)
    attendus = tous(monde, FiltresMemoire())
    assert attendus[-1].id == envoye.id  # sent first: its status is the oldest
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await espace(monde, pilot)
        await ouvrir_onglet(pilot, "rechercher")
        await attendre(pilot, lambda: len(cles(pilot, "recherche-resultats")) == 50)
        assert cles(pilot, "recherche-resultats") == [r.id for r in attendus[:50]]
        assert texte(pilot, "recherche-pages") == "page 1 / 2 — 52 résultats"
        await cliquer(pilot, "#recherche-suivante")
        await attendre(pilot, lambda: len(cles(pilot, "recherche-resultats")) == 2)
        assert cles(pilot, "recherche-resultats") == [r.id for r in attendus[50:]]
        assert texte(pilot, "recherche-pages") == "page 2 / 2 — 52 résultats"

        # Both rows of page 2 marked: a draft and the sent one; only the draft goes.
        resultats = focaliser(pilot, "recherche-resultats")
        resultats.move_cursor(row=0)
        await pilot.press("space", "space")
        assert texte(pilot, "recherche-selection") == "2 mémoires sélectionnés"
        await pilot.press("delete")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await cliquer(pilot, "#oui")
        await attendre(pilot, lambda: cles(pilot, "recherche-resultats") == [envoye.id])
        with pytest.raises(NonTrouve):
            monde.chorus.memoires.obtenir(monde.gestionnaire.id, attendus[50].id)
        lu = monde.chorus.memoires.obtenir(monde.gestionnaire.id, envoye.id)
        assert lu.statut is StatutMemoire.ENVOYE
        assert texte(pilot, "recherche-pages") == "page 2 / 2 — 51 résultats"

        await pilot.press("left_square_bracket")
        await attendre(pilot, lambda: texte(pilot, "recherche-pages").startswith("page 1 "))
        assert cles(pilot, "recherche-resultats") == [r.id for r in attendus[:50]]


# -- Tableau de bord ---------------------------------------------------------------------


async def test_le_tableau_de_bord_compte_et_mene_a_la_liste(monde: Monde) -> None:
    monde.brouillon()
    monde.brouillon()
    refuse = monde.refuse()
    monde.paye()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await espace(monde, pilot)
        await ouvrir_onglet(pilot, "tableau")
        compteurs = pilot.app.screen.query_one(TableCompteurs)
        await attendre(pilot, lambda: compteurs.row_count == 1)
        attendu = monde.chorus.consultation.tableau_de_bord(monde.gestionnaire.id)
        assert [ligne.structure_id for ligne in attendu] == cles(pilot, "tableau-compteurs")
        statuts = list(StatutMemoire)
        affiches = [str(c) for c in compteurs.get_row_at(0)[1 : 1 + len(statuts)]]
        assert affiches == [str(attendu[0].compteurs[s]) for s in statuts]
        assert attendu[0].compteurs[StatutMemoire.BROUILLON] == 2

        compteurs.focus()
        compteurs.cursor_coordinate = Coordinate(0, 1 + statuts.index(StatutMemoire.REFUSE))
        await pilot.press("enter")
        await attendre(pilot, lambda: app.screen.query_one(TabbedContent).active == "rechercher")
        await attendre(pilot, lambda: cles(pilot, "recherche-resultats") == [refuse.id])
        statut = app.screen.query_one(f"#{id_champ('recherche.statut')}", Select)
        structure = app.screen.query_one(f"#{id_champ('recherche.structure_id')}", Select)
        assert statut.value == "REFUSE"
        assert structure.value == monde.structure.id


# -- Liste fiscale and Archives ----------------------------------------------------------


async def test_la_liste_fiscale_et_les_archives(monde: Monde, tmp_path: Path) -> None:
    paye = monde.paye()
    refuse = monde.refuse()  # not paid: not in the liste fiscale
    monde.brouillon()  # never sent: not in the archives
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await espace(monde, pilot)
        await ouvrir_onglet(pilot, "liste-fiscale")
        await attendre(pilot, lambda: cles(pilot, "liste-fiscale-lignes") == [paye.numero])
        liste = monde.chorus.consultation.liste_fiscale(
            monde.gestionnaire.id, monde.structure.id, *periode_par_defaut(AUJOURDHUI)
        )
        assert liste.totaux.nombre == 1
        totaux = texte(pilot, "liste-fiscale-totaux")
        assert "total (1 mémoire)" in totaux
        assert f"TTC {euros(liste.totaux.montant_ttc)}" in totaux
        assert f"payé {euros(liste.totaux.montant_paye)}" in totaux
        assert texte(pilot, "liste-fiscale-pages") == "page 1 / 1 — 1 résultat"

        await cliquer(pilot, "#liste-fiscale-exporter")
        sortie = tmp_path / "sortie"
        sortie.mkdir()
        await exporter_vers(pilot, sortie / "liste.csv")
        lignes = lire_csv(sortie / "liste.csv")
        assert lignes[0] == list(ENTETE_LISTE_FISCALE)
        assert [ligne[0] for ligne in lignes[1:]] == [paye.numero, "Total (1 mémoire)"]

        # Over a year: refused under the date; nothing typed is lost, the list stays.
        await saisir(pilot, "liste_fiscale.du", "01/01/2023")
        await saisir(pilot, "liste_fiscale.au", "14/06/2024")
        await cliquer(pilot, "#liste-fiscale-afficher")
        await attendre(pilot, lambda: "un an" in erreur_de(pilot, "liste_fiscale.au"))
        du = app.screen.query_one(f"#{id_champ('liste_fiscale.du')}", Input)
        assert du.value == "01/01/2023"
        assert cles(pilot, "liste-fiscale-lignes") == [paye.numero]

        # Archives: the sent ones only, newest first, filtered by numéro.
        await ouvrir_onglet(pilot, "archives")
        attendus = tous(
            monde,
            FiltresMemoire(statuts=frozenset(s for s in StatutMemoire if s.envoye)),
            Tri(CleDeTri.DATE_DEPOT, descendant=True),
        )
        assert {r.id for r in attendus} == {paye.id, refuse.id}
        await attendre(pilot, lambda: cles(pilot, "archives-resultats") == [r.id for r in attendus])
        await saisir(pilot, "archives.numero", refuse.numero)
        await cliquer(pilot, "#archives-rechercher")
        await attendre(pilot, lambda: cles(pilot, "archives-resultats") == [refuse.id])
