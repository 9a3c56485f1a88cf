"""« Rechercher » and « Tableau de bord » of the TIC/TICGN space, on SQLite: the
criteria, a count of the dashboard opening the matching list, and the exports — CSV, XLSX
and ODS holding the same rows, written where the user says and never over a file."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, TabbedContent

from chorus.adapters.tableurs.demandes_tic import ENTETES_DEMANDES_TIC
from chorus.adapters.tui.ecrans.espace_tic import RECHERCHER, TABLEAU, EspaceTic
from chorus.adapters.tui.ecrans.fichier import EcranFichier
from chorus.adapters.tui.onglets.tic_recherche import (
    OngletRechercheTic,
    champ,
)
from chorus.adapters.tui.onglets.tic_tableau import OngletTableauTic, TableCompteursTic
from chorus.domain.tic.statuts import StatutDemandeTic
from tests.tui.aides import TAILLE, attendre, connecter
from tests.tui.tic_pilote import (
    MondeTic,
    application_tic,
    construire_monde_tic,
    ecrire,
    erreur,
    presser,
)

pytestmark = pytest.mark.anyio

_MONTANTS = {"Montant demandé", "Montant accordé"}
_JOURS = {"Date de l'état", "Date de création", "Date de dépôt", "Date de mise en paiement"}


@pytest.fixture
def monde_tic(tmp_path: Path) -> MondeTic:
    """The TIC world on SQLite, the storage of `chorus tui` (see `tests/tui/conftest.py`)."""
    return construire_monde_tic("sqlite", tmp_path / "monde")


def _nombre(valeur: Any) -> str:
    return format(Decimal(str(valeur)).normalize(), "f")


def lire_csv(contenu: bytes) -> list[list[str]]:
    texte = contenu.decode("utf-8")
    assert texte.startswith("\ufeff")
    entete, *lignes = list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))
    assert tuple(entete) == ENTETES_DEMANDES_TIC
    normalisees = []
    for ligne in lignes:
        cellules = []
        for titre, valeur in zip(ENTETES_DEMANDES_TIC, ligne, strict=True):
            if valeur and titre in _MONTANTS:
                valeur = _nombre(valeur.replace(",", "."))
            elif valeur and titre in _JOURS:
                jour, mois, annee = (int(x) for x in valeur.split("/"))
                valeur = date(annee, mois, jour).isoformat()
            cellules.append(valeur)
        normalisees.append(cellules)
    return normalisees


def lire_xlsx(contenu: bytes) -> list[list[str]]:
    onglet = openpyxl.load_workbook(io.BytesIO(contenu)).active
    assert onglet is not None
    entete, *lignes = list(onglet.iter_rows(values_only=True))
    assert entete == ENTETES_DEMANDES_TIC
    normalisees = []
    for ligne in lignes:
        cellules = []
        for valeur in ligne:
            if valeur is None:
                cellules.append("")
            elif isinstance(valeur, datetime):
                cellules.append(valeur.date().isoformat())
            elif isinstance(valeur, float | int):
                cellules.append(_nombre(valeur))
            else:
                cellules.append(str(valeur))
        normalisees.append(cellules)
    return normalisees


def lire_ods(contenu: bytes) -> list[list[str]]:
    (table,) = load(io.BytesIO(contenu)).spreadsheet.getElementsByType(Table)
    entete, *lignes = [
        list(rangee.getElementsByType(TableCell)) for rangee in table.getElementsByType(TableRow)
    ]
    assert tuple(teletype.extractText(c) for c in entete) == ENTETES_DEMANDES_TIC
    normalisees = []
    for ligne in lignes:
        cellules = []
        for cellule in ligne:
            genre = cellule.getAttribute("valuetype")
            if genre is None:
                cellules.append("")
            elif genre == "float":
                cellules.append(_nombre(cellule.getAttribute("value")))
            elif genre == "date":
                cellules.append(cellule.getAttribute("datevalue")[:10])
            else:
                cellules.append(teletype.extractText(cellule))
        normalisees.append(cellules)
    return normalisees


def _csv_normalise(lignes: list[list[str]]) -> list[list[str]]:
    """The CSV's integers as the spreadsheets' numbers are read back."""
    return [
        [
            _nombre(v)
            if v and titre in {"Année des livraisons", "Campagne", "Nombre de lignes"}
            else v
            for titre, v in zip(ENTETES_DEMANDES_TIC, ligne, strict=True)
        ]
        for ligne in lignes
    ]


async def _recherche(pilot: Pilot[None]) -> OngletRechercheTic:
    espace = pilot.app.screen
    assert isinstance(espace, EspaceTic)
    espace.montrer(RECHERCHER)
    recherche = espace.query_one(OngletRechercheTic)
    await attendre(pilot, lambda: recherche.pages_affichees > 0)
    return recherche


def _numeros(recherche: OngletRechercheTic) -> list[str]:
    table = recherche.query_one("#rtic-resultats", DataTable)
    return [str(table.get_cell_at(Coordinate(i, 0))) for i in range(table.row_count)]


async def _exporter(pilot: Pilot[None], bouton: str, chemin: Path) -> None:
    await presser(pilot, bouton)
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranFichier))
    ecrire(pilot, "chemin", str(chemin))
    await presser(pilot, "#fichier-enregistrer")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EspaceTic))


async def test_rechercher_puis_exporter_en_csv_xlsx_et_ods(
    monde_tic: MondeTic, tmp_path: Path
) -> None:
    monde = monde_tic
    envoyee = monde.envoyee(2019)
    brouillon = monde.brouillon(2020, lignes=2)
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        recherche = await _recherche(pilot)
        await attendre(pilot, lambda: len(_numeros(recherche)) == 2)
        assert set(_numeros(recherche)) == {envoyee.numero, brouillon.numero}

        # A criterion: the year; a wrong one is refused under its field.
        ecrire(pilot, champ("annee"), "20a9")
        await presser(pilot, "#rtic-lancer")
        await attendre(pilot, lambda: "quatre chiffres" in erreur(pilot, champ("annee")))
        ecrire(pilot, champ("annee"), "2019")
        vues = recherche.pages_affichees
        await presser(pilot, "#rtic-lancer")
        await attendre(pilot, lambda: recherche.pages_affichees > vues)
        assert _numeros(recherche) == [envoyee.numero]
        await presser(pilot, "#rtic-effacer")
        vues = recherche.pages_affichees
        await presser(pilot, "#rtic-lancer")
        await attendre(pilot, lambda: recherche.pages_affichees > vues)
        assert len(_numeros(recherche)) == 2

        # The three exports of the same search hold the same rows.
        fichiers = {
            "csv": tmp_path / "demandes.csv",
            "xlsx": tmp_path / "demandes.xlsx",
            "ods": tmp_path / "demandes.ods",
        }
        for format_, chemin in fichiers.items():
            await _exporter(pilot, f"#rtic-{format_}", chemin)
            await attendre(pilot, chemin.exists)
        en_csv = lire_csv(fichiers["csv"].read_bytes())
        assert sorted(ligne[0] for ligne in en_csv) == sorted([envoyee.numero, brouillon.numero])
        par_numero = {ligne[0]: ligne for ligne in en_csv}
        assert par_numero[envoyee.numero][1] == "EARL du Bocage"
        assert par_numero[envoyee.numero][5] == "Envoyée"
        assert par_numero[envoyee.numero][11] == "184.69"
        assert par_numero[brouillon.numero][11] == "369.38"
        assert lire_xlsx(fichiers["xlsx"].read_bytes()) == _csv_normalise(en_csv)
        assert lire_ods(fichiers["ods"].read_bytes()) == _csv_normalise(en_csv)

        # An existing file is never replaced: the refusal is under the path, kept as typed.
        avant = fichiers["csv"].read_bytes()
        await presser(pilot, "#rtic-csv")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
        ecrire(pilot, "chemin", str(fichiers["csv"]))
        await presser(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: "existe déjà" in erreur(pilot, "chemin"))
        assert fichiers["csv"].read_bytes() == avant
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))


async def test_un_nombre_du_tableau_de_bord_ouvre_la_liste(monde_tic: MondeTic) -> None:
    monde = monde_tic
    envoyee = monde.envoyee(2019)
    monde.brouillon(2020)
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))
        espace = app.screen
        assert isinstance(espace, EspaceTic)
        espace.montrer(TABLEAU)
        tableau = espace.query_one(OngletTableauTic)
        compteurs = tableau.query_one(TableCompteursTic)
        await attendre(pilot, lambda: tableau.charge and compteurs.row_count == 1)
        colonnes = [c.value for c in compteurs.columns]
        rangee = [str(c) for c in compteurs.get_row(monde.structure.id)]
        assert rangee[colonnes.index(StatutDemandeTic.BROUILLON.value)] == "1"
        assert rangee[colonnes.index(StatutDemandeTic.ENVOYEE.value)] == "1"
        assert rangee[-1] == "2"
        compteurs.focus()
        compteurs.cursor_coordinate = Coordinate(0, colonnes.index(StatutDemandeTic.ENVOYEE.value))
        await pilot.press("enter")
        await attendre(pilot, lambda: espace.query_one(TabbedContent).active == RECHERCHER)
        recherche = espace.query_one(OngletRechercheTic)
        await attendre(pilot, lambda: _numeros(recherche) == [envoyee.numero])
        assert recherche.criteres is not None
        filtres, _ = recherche.criteres
        assert filtres.statuts == frozenset({StatutDemandeTic.ENVOYEE})
        assert filtres.structure_id == monde.structure.id
