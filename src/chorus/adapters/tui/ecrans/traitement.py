"""The back office: the agent's queue of mémoires and the processing of one of them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class EcranFileTraitement(Screen[None]):
    TITLE = "Traitement des mémoires"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("File de traitement")
        yield Footer()


class EcranTraitementMemoire(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def __init__(self, memoire_id: str) -> None:
        super().__init__()
        self.memoire_id = memoire_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.memoire_id)
        yield Footer()
