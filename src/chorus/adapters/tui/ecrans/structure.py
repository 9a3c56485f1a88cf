"""Structure management (for its gestionnaire) and the user's own structures."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class EcranStructure(Screen[None]):
    """The current structure: informations, services, coordonnées bancaires, espaces,
    utilisateurs and rattachements, habilitations."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Structure")
        yield Footer()


class EcranMesStructures(Screen[None]):
    """The user's rattachements; create a structure or ask to join one."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Retour")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Mes structures")
        yield Footer()
