"""The « Rechercher » tab of the mémoire space."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class OngletRecherche(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("Rechercher")

    def rechercher_par(self, *, structure_id: str | None, statut: str | None) -> None:
        """Fill the criteria with a structure and a status (a StatutMemoire value) and search."""
