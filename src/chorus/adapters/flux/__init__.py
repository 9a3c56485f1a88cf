"""The readers of the documented flux formats (JSON, XML, CSV) and of the ZIP of pièces.

The formats are described for users in ``docs/flux.md``; the JSON Schema and the XSD are
published in the package (``chorus/data/flux/``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chorus.adapters.flux.archive import TAILLE_MAXIMUM_ARCHIVE, lire_archive
from chorus.adapters.flux.csv_flux import lire_csv
from chorus.adapters.flux.json_flux import lire_json
from chorus.adapters.flux.xml_flux import lire_xml
from chorus.domain.flux.flux import FormatFlux
from chorus.domain.flux.lecture import MemoireLue
from chorus.domain.pieces import TAILLE_MAXIMUM

__all__ = ["LecteurDeFlux"]


class LecteurDeFlux:
    """`LecteurFlux` for the three documented formats and the ZIP beside them."""

    def __init__(
        self,
        *,
        taille_maximum_archive: int = TAILLE_MAXIMUM_ARCHIVE,
        taille_maximum_piece: int = TAILLE_MAXIMUM,
    ) -> None:
        self._taille_maximum_archive = taille_maximum_archive
        self._taille_maximum_piece = taille_maximum_piece

    def lire(self, format: FormatFlux, contenu: bytes) -> Sequence[MemoireLue]:
        """Every mémoire of the file, in file order; `FichierIllisible` when the file cannot
        be read at all."""
        if format is FormatFlux.JSON:
            return lire_json(contenu)
        if format is FormatFlux.XML:
            return lire_xml(contenu)
        return lire_csv(contenu)

    def pieces(self, archive: bytes) -> Mapping[str, bytes]:
        """The files of the ZIP beside a flux, by name, each read on access."""
        return lire_archive(
            archive,
            taille_maximum_totale=self._taille_maximum_archive,
            taille_maximum_fichier=self._taille_maximum_piece,
        )
