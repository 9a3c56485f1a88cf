"""The XLSX and ODS writers: the same rows as the French CSV file, numbers as numbers, days
as dates, no text ever run as a formula."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from chorus.adapters.tableurs.classeur import LIGNES_MESUREES
from chorus.adapters.tableurs.csv_francais import BOM, Cellule, encoder, neutraliser
from chorus.adapters.tableurs.formats import FormatTableur, exporter
from chorus.adapters.tableurs.ods import classeur_ods
from chorus.adapters.tableurs.xlsx import classeur_xlsx
from chorus.domain.calendrier import jour_a_paris

ENTETES = ("Numéro", "Libellé", "Montant", "Taux", "Dépôt", "Horodatage", "Lignes", "Note")
TEXTE, MONTANT, JOUR, ENTIER = "texte", "montant", "jour", "entier"
GENRES = (TEXTE, TEXTE, MONTANT, MONTANT, JOUR, JOUR, ENTIER, TEXTE)

LIGNES: list[tuple[Cellule, ...]] = [
    (
        "TIC-2019-0001",
        "=SOMME(A1:A9)",
        Decimal("1234.56"),
        Decimal("0.543"),
        date(2019, 7, 25),
        # 23:30 UTC is already the 26th in Paris.
        datetime(2019, 7, 25, 22, 30, tzinfo=UTC),
        3,
        None,
    ),
    (
        "TIC-2019-0002",
        "+33 1 23 45 67 89",
        Decimal("-0.50"),
        Decimal("12"),
        date(2020, 2, 29),
        datetime(2020, 1, 1, 12, 0, tzinfo=UTC),
        0,
        "Gazole non routier — « expert »",
    ),
    (
        "@SUM(1)",
        "-2",
        Decimal("1000000.00"),
        None,
        None,
        None,
        123456,
        "  deux  espaces\tune tabulation\nune ligne ",
    ),
    ("#N/A", "<b>&amp;</b>", Decimal("0.00"), Decimal("1.5"), date(1999, 12, 31), None, 7, ""),
]


def _nombre(valeur: object) -> str:
    return format(Decimal(str(valeur)).normalize(), "f")


def attendu(lignes: Sequence[Sequence[Cellule]]) -> list[list[str]]:
    """The rows as every format must hold them, normalised."""
    resultat = []
    for ligne in lignes:
        cellules = []
        for valeur in ligne:
            if valeur is None:
                cellules.append("")
            elif isinstance(valeur, str):
                cellules.append(neutraliser(valeur))
            elif isinstance(valeur, Decimal):
                cellules.append(_nombre(valeur))
            elif isinstance(valeur, datetime):
                cellules.append(jour_a_paris(valeur).isoformat())
            elif isinstance(valeur, date):
                cellules.append(valeur.isoformat())
            else:
                cellules.append(str(valeur))
        resultat.append(cellules)
    return resultat


def lire_csv(contenu: bytes) -> list[list[str]]:
    texte = contenu.decode("utf-8")
    assert texte.startswith(BOM)
    rangees = list(csv.reader(io.StringIO(texte.removeprefix(BOM), newline=""), delimiter=";"))
    entete, *lignes = rangees
    assert tuple(entete) == ENTETES
    normalisees = []
    for ligne in lignes:
        cellules = []
        for genre, valeur in zip(GENRES, ligne, strict=True):
            if valeur and genre == MONTANT:
                valeur = _nombre(valeur.replace(",", "."))
            elif valeur and genre == JOUR:
                jour, mois, annee = (int(partie) for partie in valeur.split("/"))
                valeur = date(annee, mois, jour).isoformat()
            cellules.append(valeur)
        normalisees.append(cellules)
    return normalisees


def lire_xlsx(contenu: bytes) -> list[list[str]]:
    onglet = openpyxl.load_workbook(io.BytesIO(contenu)).active
    assert onglet is not None
    entete, *lignes = list(onglet.iter_rows(values_only=True))
    assert entete == ENTETES
    normalisees = []
    for ligne in lignes:
        cellules = []
        for valeur in ligne:
            if valeur is None:
                cellules.append("")
            elif isinstance(valeur, datetime):
                assert valeur.time() == datetime.min.time()
                cellules.append(valeur.date().isoformat())
            elif isinstance(valeur, float | int):
                cellules.append(_nombre(valeur))
            else:
                cellules.append(str(valeur))
        normalisees.append(cellules)
    return normalisees


def table_ods(contenu: bytes) -> Any:
    """The only table (an odfpy element) of the spreadsheet."""
    (table,) = load(io.BytesIO(contenu)).spreadsheet.getElementsByType(Table)
    return table


def rangees_ods(contenu: bytes) -> list[list[Any]]:
    """The cells (odfpy elements) of the only table, header included."""
    rangees = table_ods(contenu).getElementsByType(TableRow)
    return [list(rangee.getElementsByType(TableCell)) for rangee in rangees]


def lire_ods(contenu: bytes) -> list[list[str]]:
    entete, *lignes = rangees_ods(contenu)
    assert tuple(teletype.extractText(c) for c in entete) == ENTETES
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
                cellules.append(cellule.getAttribute("datevalue"))
            else:
                assert genre == "string"
                cellules.append(teletype.extractText(cellule))
        normalisees.append(cellules)
    return normalisees


def test_les_trois_formats_tiennent_les_memes_lignes() -> None:
    en_csv = lire_csv(exporter(FormatTableur.CSV, ENTETES, LIGNES, feuille="Demandes"))
    en_xlsx = lire_xlsx(classeur_xlsx(ENTETES, LIGNES, feuille="Demandes"))
    en_ods = lire_ods(classeur_ods(ENTETES, LIGNES, feuille="Demandes"))
    assert en_csv == attendu(LIGNES)
    assert en_xlsx == en_csv
    assert en_ods == en_csv


def test_un_texte_qui_ressemble_a_une_formule_reste_un_texte_en_xlsx() -> None:
    contenu = classeur_xlsx(ENTETES, LIGNES, feuille="Demandes")
    onglet = openpyxl.load_workbook(io.BytesIO(contenu)).active
    assert onglet is not None
    formule = onglet["B2"]
    assert formule.data_type == "s"
    assert formule.value == "'=SOMME(A1:A9)"
    # The error value too: a user's text « #N/A » is not Excel's #N/A.
    assert onglet["A5"].data_type == "s"
    assert onglet["A5"].value == "#N/A"
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        feuille = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in feuille
    assert b't="e"' not in feuille


def test_les_montants_sont_des_nombres_et_les_jours_des_dates_en_xlsx() -> None:
    onglet = openpyxl.load_workbook(
        io.BytesIO(classeur_xlsx(ENTETES, LIGNES, feuille="Demandes"))
    ).active
    assert onglet is not None
    assert all(cellule.font.b for cellule in onglet[1])
    assert onglet.freeze_panes == "A2"
    assert onglet["C2"].data_type == "n"
    assert onglet["C2"].number_format == "#,##0.00"
    # A rate keeps its three places.
    assert onglet["D2"].number_format == "#,##0.000"
    assert onglet["E2"].is_date
    assert onglet["E2"].number_format == "DD/MM/YYYY"
    assert onglet["F2"].value.date() == date(2019, 7, 26)
    assert onglet["G2"].data_type == "n"
    assert (onglet.column_dimensions["H"].width or 0) > (onglet.column_dimensions["G"].width or 0)


def test_les_montants_et_les_jours_s_affichent_a_la_francaise_en_ods() -> None:
    contenu = classeur_ods(ENTETES, LIGNES, feuille="Demandes")
    entete, premiere, *_ = rangees_ods(contenu)
    assert {c.getAttribute("stylename") for c in entete} == {"Entete"}
    montant, taux, depot = premiere[2], premiere[3], premiere[4]
    assert montant.getAttribute("value") == "1234.56"
    assert teletype.extractText(montant) == "1\u202f234,56"
    assert teletype.extractText(taux) == "0,543"
    assert depot.getAttribute("datevalue") == "2019-07-25"
    assert teletype.extractText(depot) == "25/07/2019"
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        premiere_entree = archive.infolist()[0]
        assert premiere_entree.filename == "mimetype"
        assert premiere_entree.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert b'"VerticalSplitPosition" config:type="int">1<' in archive.read("settings.xml")


@pytest.mark.parametrize("format_tableur", list(FormatTableur))
def test_une_liste_vide_ne_donne_que_l_entete(format_tableur: FormatTableur) -> None:
    contenu = exporter(format_tableur, ENTETES, [], feuille="Demandes")
    lire = {
        FormatTableur.CSV: lire_csv,
        FormatTableur.XLSX: lire_xlsx,
        FormatTableur.ODS: lire_ods,
    }[format_tableur]
    assert lire(contenu) == []


@pytest.mark.parametrize("format_tableur", list(FormatTableur))
def test_cinq_mille_lignes(format_tableur: FormatTableur) -> None:
    lignes = (
        (f"TIC-{n:05d}", f"Demande {n}", Decimal(n) / 100, None, date(2019, 1, 1), None, n, None)
        for n in range(5_000)
    )
    contenu = exporter(format_tableur, ENTETES, lignes, feuille="Demandes")
    lire = {
        FormatTableur.CSV: lire_csv,
        FormatTableur.XLSX: lire_xlsx,
        FormatTableur.ODS: lire_ods,
    }[format_tableur]
    relues = lire(contenu)
    assert len(relues) == 5_000
    assert relues[-1] == ["TIC-04999", "Demande 4999", "49.99", "", "2019-01-01", "", "4999", ""]


def test_un_caractere_que_xml_refuse_ne_fait_pas_echouer_l_export() -> None:
    lignes = [("a\x01b", None, None, None, None, None, None, None)]
    assert lire_xlsx(classeur_xlsx(ENTETES, lignes, feuille="Demandes"))[0][0] == "a\ufffdb"
    assert lire_ods(classeur_ods(ENTETES, lignes, feuille="Demandes"))[0][0] == "a\ufffdb"


def test_une_liste_qui_echoue_en_cours_ne_laisse_pas_de_fichier_temporaire() -> None:
    def lignes() -> Iterator[tuple[Cellule, ...]]:
        for n in range(LIGNES_MESUREES + 10):
            yield (f"TIC-{n:05d}", None, None, None, None, None, n, None)
        raise RuntimeError("la recherche a échoué à la deuxième page")

    temporaires = list(ALL_TEMP_FILES)
    with pytest.raises(RuntimeError):
        classeur_xlsx(ENTETES, lignes(), feuille="Demandes")
    assert temporaires == ALL_TEMP_FILES


def test_le_nom_de_feuille_est_accepte_par_les_tableurs() -> None:
    feuille = "Demandes [TIC] 2019/2020 : un nom bien trop long"
    onglet = openpyxl.load_workbook(io.BytesIO(classeur_xlsx(ENTETES, [], feuille=feuille))).active
    assert onglet is not None
    assert onglet.title == "Demandes  TIC  2019 2020   un n"
    assert table_ods(classeur_ods(ENTETES, [], feuille=feuille)).getAttribute("name") == (
        onglet.title
    )


def test_le_meme_export_xlsx_donne_le_meme_fichier() -> None:
    assert classeur_xlsx(ENTETES, LIGNES, feuille="Demandes") == classeur_xlsx(
        ENTETES, LIGNES, feuille="Demandes"
    )


def test_les_formats_et_leurs_types_de_media() -> None:
    assert [f.type_media for f in FormatTableur] == [
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
    ]
    assert [f.extension for f in FormatTableur] == [".csv", ".xlsx", ".ods"]
    assert FormatTableur.du_type_media("text/csv; charset=utf-8") is FormatTableur.CSV
    assert FormatTableur.du_type_media("application/json") is None
    assert exporter(FormatTableur.CSV, ENTETES, [], feuille="Demandes") == b"".join(
        encoder(ENTETES, [])
    )
    assert exporter(FormatTableur.XLSX, ENTETES, [], feuille="Demandes").startswith(b"PK")
