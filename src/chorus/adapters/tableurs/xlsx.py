"""Excel workbooks (XLSX) of the lists, holding the rows of the French CSV file.

Amounts are numbers shown ``# ##0,00``, days are dates shown ``JJ/MM/AAAA``: the user can
sum and sort them, which the CSV file only allows once Excel has guessed right. The workbook
is written in openpyxl's write-only mode: each row goes to a temporary file as soon as it is
fetched, so 100,000 rows never sit in memory as cell objects.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from chorus.adapters.tableurs.classeur import (
    DATE_DES_ENTREES,
    DECIMALES_MAXIMUM,
    DECIMALES_MONTANT,
    decimales,
    entree_zip,
    lignes_preparees,
    nom_de_feuille,
    texte_xml,
)
from chorus.adapters.tableurs.csv_francais import Cellule

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder

FORMAT_DATE = "DD/MM/YYYY"
_FORMATS_NOMBRE = {n: "#,##0." + "0" * n for n in range(DECIMALES_MONTANT, DECIMALES_MAXIMUM + 1)}
_GRAS = Font(bold=True)
_MARGE = 2
"""Characters added to a column's measured width, for some air."""


def classeur_xlsx(
    entetes: Sequence[str], lignes: Iterable[Sequence[Cellule]], *, feuille: str
) -> bytes:
    """The workbook of one sheet named `feuille`: the header row in bold, frozen above the
    rows, then `lignes` (read once, as they come)."""
    classeur = Workbook(write_only=True)
    # Not the time of the export (openpyxl cannot leave it out): the same rows give the
    # same file.
    fige = datetime(*DATE_DES_ENTREES, tzinfo=UTC)
    classeur.properties.created = classeur.properties.modified = fige
    classeur.properties.creator = "Chorus"
    onglet: WriteOnlyWorksheet = classeur.create_sheet(title=nom_de_feuille(feuille))
    mesures, preparees = lignes_preparees(entetes, lignes)
    # The write-only sheet has the column dimensions of the full one (its stub misses them).
    dimensions: DimensionHolder[str, ColumnDimension] = onglet.column_dimensions  # type: ignore[attr-defined]
    for colonne, mesure in enumerate(mesures, start=1):
        dimensions[get_column_letter(colonne)].width = mesure + _MARGE
    onglet.freeze_panes = "A2"
    try:
        onglet.append([_entete(onglet, entete) for entete in entetes])
        for ligne in preparees:
            onglet.append([_cellule(onglet, valeur) for valeur in ligne])
    except BaseException:
        _abandonner(onglet)
        raise
    sortie = io.BytesIO()
    # `ExcelWriter` rather than `Workbook.save`, which stamps the time of the save.
    ExcelWriter(classeur, _ArchiveDatee(sortie, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return sortie.getvalue()


def _entete(onglet: WriteOnlyWorksheet, entete: str) -> Cell:
    cellule = _texte(onglet, texte_xml(entete))
    cellule.font = _GRAS
    return cellule


def _cellule(onglet: WriteOnlyWorksheet, valeur: Cellule) -> Cell | Cellule:
    if isinstance(valeur, str):
        if valeur.startswith("=") or valeur in ERROR_CODES:
            # openpyxl would write a formula or an error value: the user's text is a text.
            return _texte(onglet, valeur)
        return valeur
    if isinstance(valeur, Decimal):
        return _nombre(onglet, valeur, _FORMATS_NOMBRE[decimales(valeur)])
    if isinstance(valeur, date):
        return _nombre(onglet, valeur, FORMAT_DATE)
    return valeur


def _texte(onglet: WriteOnlyWorksheet, texte: str) -> Cell:
    cellule = WriteOnlyCell(onglet)
    cellule.value = texte
    cellule.data_type = "s"
    return cellule


def _nombre(onglet: WriteOnlyWorksheet, valeur: Decimal | date, format_nombre: str) -> Cell:
    cellule = WriteOnlyCell(onglet)
    cellule.value = valeur
    cellule.number_format = format_nombre
    return cellule


def _abandonner(onglet: WriteOnlyWorksheet) -> None:
    """Remove the temporary file of the rows written so far: openpyxl removes it once the
    workbook is saved, or when the process exits, which for a server is much later."""
    with contextlib.suppress(Exception):
        onglet.close()
        ecrivain = getattr(onglet, "_writer", None)
        if ecrivain is not None:
            ecrivain.cleanup()


class _ArchiveDatee(ZipFile):
    """The zip openpyxl writes into, its entries dated `DATE_DES_ENTREES` rather than now
    (or, for the sheet, the time of its temporary file)."""

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = entree_zip(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        entree = entree_zip(os.fspath(filename if arcname is None else arcname))
        # Known in advance, the size tells `open` whether the entry needs ZIP64.
        entree.file_size = os.path.getsize(filename)
        with open(filename, "rb") as source, self.open(entree, "w") as destination:
            shutil.copyfileobj(source, destination, 1 << 20)
