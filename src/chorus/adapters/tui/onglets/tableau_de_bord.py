"""The « Tableau de bord » tab of the mémoire space."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class OngletTableauDeBord(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("Tableau de bord")
