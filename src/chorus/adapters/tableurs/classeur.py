"""What the XLSX and ODS writers share, so that both hold the cells the CSV file holds.

A cell is prepared once: a `datetime` becomes its day in Paris, a boolean « oui »/« non »,
a text is neutralised like the CSV's (a spreadsheet shows it, never evaluates it) and rid of
the characters XML cannot carry, which both formats are made of. The columns are sized from
the header and the first rows only: the rest of the list is written as it is fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from zipfile import ZIP_DEFLATED, ZipInfo

from chorus.adapters.tableurs.csv_francais import Cellule, neutraliser
from chorus.domain.calendrier import jour_a_paris

DECIMALES_MONTANT = 2
DECIMALES_MAXIMUM = 6
"""A decimal is shown with its own places (a rate may have more than a cent's), at least
two and at most this many; the cell's value itself is exact."""

LIGNES_MESUREES = 200
"""Rows read ahead to size the columns."""

LARGEUR_MINIMUM = 6
LARGEUR_MAXIMUM = 60
"""Column widths, in characters."""

DATE_DES_ENTREES = (1980, 1, 1, 0, 0, 0)
"""Every zip entry carries this date (the earliest a zip can hold), not the time of the
export: the same rows give the same file."""

_HORS_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_INTERDITS_DANS_UN_NOM_DE_FEUILLE = re.compile(r"[\[\]:*?/\\]")
_LONGUEUR_NOM_DE_FEUILLE = 31


def texte_xml(texte: str) -> str:
    """`texte` with each character XML 1.0 forbids (control characters but tab and line
    ends, lone surrogates) replaced by U+FFFD, rather than failing the whole export."""
    return _HORS_XML.sub("\ufffd", texte)


def preparer(valeur: Cellule) -> Cellule:
    """The value a spreadsheet cell holds: never a `datetime` (its day in Paris), never a
    boolean, a neutralised XML-safe text, `None` for an empty text (as in the CSV file)."""
    if valeur is None or valeur == "":
        return None
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):
        return jour_a_paris(valeur)
    if isinstance(valeur, str):
        return texte_xml(neutraliser(valeur))
    return valeur


def decimales(valeur: Decimal) -> int:
    """Places a decimal is shown with: a cent's for the amounts, more for a finer value."""
    exposant = valeur.as_tuple().exponent
    if not isinstance(exposant, int):
        return DECIMALES_MONTANT
    return min(max(DECIMALES_MONTANT, -exposant), DECIMALES_MAXIMUM)


def nombre_francais(valeur: Decimal) -> str:
    """A decimal as French spreadsheets show it: ``1 234,56`` (a narrow no-break space
    between the thousands)."""
    return format(valeur, f",.{decimales(valeur)}f").translate(_FRANCAIS)


_FRANCAIS = str.maketrans({",": "\u202f", ".": ","})


def jour_francais(jour: date) -> str:
    return jour.strftime("%d/%m/%Y")


def nom_de_feuille(feuille: str) -> str:
    """A sheet name both Excel and LibreOffice accept: none of ``[]:*?/\\``, no apostrophe
    at either end, at most 31 characters."""
    nom = _INTERDITS_DANS_UN_NOM_DE_FEUILLE.sub(" ", texte_xml(feuille))
    nom = nom[:_LONGUEUR_NOM_DE_FEUILLE].strip().strip("'").strip()
    return nom or "Feuille"


def _longueur(valeur: Cellule) -> int:
    if valeur is None:
        return 0
    if isinstance(valeur, Decimal):
        return len(nombre_francais(valeur))
    if isinstance(valeur, date):
        return len("JJ/MM/AAAA")
    if isinstance(valeur, str):
        return max(len(ligne) for ligne in valeur.splitlines() or [""])
    return len(str(valeur))


def largeurs(entetes: Sequence[str], lignes: Iterable[Sequence[Cellule]]) -> list[int]:
    """The width of each column in characters, from its header and `lignes`."""
    mesures = [len(entete) for entete in entetes]
    for ligne in lignes:
        for colonne, valeur in enumerate(ligne[: len(mesures)]):
            mesures[colonne] = max(mesures[colonne], _longueur(valeur))
    return [min(max(mesure, LARGEUR_MINIMUM), LARGEUR_MAXIMUM) for mesure in mesures]


def lignes_preparees(
    entetes: Sequence[str], lignes: Iterable[Sequence[Cellule]]
) -> tuple[list[int], Iterator[tuple[Cellule, ...]]]:
    """The columns' widths, measured on the first rows, and every row prepared; only the
    first `LIGNES_MESUREES` rows are read ahead."""
    preparees = (tuple(preparer(valeur) for valeur in ligne) for ligne in lignes)
    premieres = list(islice(preparees, LIGNES_MESUREES))
    return largeurs(entetes, premieres), chain(premieres, preparees)


def entree_zip(nom: str) -> ZipInfo:
    """A compressed zip entry dated `DATE_DES_ENTREES`."""
    entree = ZipInfo(nom, DATE_DES_ENTREES)
    entree.compress_type = ZIP_DEFLATED
    entree.external_attr = 0o644 << 16
    return entree
