"""What the dépôt flux needs from the outside: a reader of the documented file formats
(and of the ZIP of pièces beside a flux), and a store of the flux and their reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from chorus.domain.flux.flux import FormatFlux
from chorus.domain.flux.lecture import MemoireLue


class LecteurFlux(Protocol):
    """Reads the documented flux formats; knows their syntax, none of the rules."""

    def lire(self, format: FormatFlux, contenu: bytes) -> Sequence[MemoireLue]:
        """Every mémoire of the file, in file order (`rang` 0, 1, …), each with what the
        reader found wrong in it. Raise `FichierIllisible` (French message) when the file
        cannot be read at all."""
        ...

    def pieces(self, archive: bytes) -> Mapping[str, bytes]:
        """The files of the ZIP beside a flux, by their name inside it (read on access).
        Raise `FichierIllisible` for a file that is not a ZIP, an unsafe or duplicate
        name, or content beyond the sizes allowed."""
        ...
