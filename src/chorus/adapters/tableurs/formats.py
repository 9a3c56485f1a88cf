"""The three files a list is exported to, holding the same rows: CSV, XLSX, ODS."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

from chorus.adapters.tableurs.csv_francais import Cellule, encoder
from chorus.adapters.tableurs.ods import classeur_ods
from chorus.adapters.tableurs.xlsx import classeur_xlsx


class FormatTableur(enum.Enum):
    CSV = "csv"
    XLSX = "xlsx"
    ODS = "ods"

    @property
    def type_media(self) -> str:
        return _TYPES_MEDIA[self]

    @property
    def extension(self) -> str:
        """The file name's suffix, dot included."""
        return f".{self.value}"

    @classmethod
    def du_type_media(cls, type_media: str) -> FormatTableur | None:
        """The format a media type names (its parameters, e.g. ``charset``, ignored)."""
        essentiel = type_media.split(";", 1)[0].strip().lower()
        return next((f for f, t in _TYPES_MEDIA.items() if t == essentiel), None)


_TYPES_MEDIA = {
    FormatTableur.CSV: "text/csv",
    FormatTableur.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FormatTableur.ODS: "application/vnd.oasis.opendocument.spreadsheet",
}


def exporter(
    format_tableur: FormatTableur,
    entetes: Sequence[str],
    lignes: Iterable[Sequence[Cellule]],
    *,
    feuille: str,
) -> bytes:
    """The whole file of `lignes` in `format_tableur`; `feuille` names the sheet of the
    XLSX and ODS files (a CSV file has none). A CSV export that should not sit in memory
    streams `csv_francais.encoder` instead."""
    if format_tableur is FormatTableur.XLSX:
        return classeur_xlsx(entetes, lignes, feuille=feuille)
    if format_tableur is FormatTableur.ODS:
        return classeur_ods(entetes, lignes, feuille=feuille)
    return b"".join(encoder(entetes, lignes))
