"""The « Saisir mémoire » tab of the mémoire space."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class OngletSaisie(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("Saisir mémoire")

    def charger(self, memoire_id: str | None) -> None:
        """Open the draft `memoire_id` at its first step (a new draft for None)."""
