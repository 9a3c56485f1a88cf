"""Where the TIC/TICGN barème comes from."""

from __future__ import annotations

from typing import Protocol

from chorus.domain.tic.bareme import BaremeTic


class SourceDuBaremeTic(Protocol):
    """The published dated parameters of the refund (rates, départements, avance)."""

    def bareme(self) -> BaremeTic:
        """The barème as published; the same value on every call of one process."""
        ...
