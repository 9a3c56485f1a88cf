"""A mémoire's detail: en-tête, lines, pièces, totals, certificate and history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class EcranMemoire(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def __init__(self, memoire_id: str) -> None:
        super().__init__()
        self.memoire_id = memoire_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.memoire_id)
        yield Footer()
