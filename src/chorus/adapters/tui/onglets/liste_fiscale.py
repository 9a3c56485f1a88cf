"""The « Liste fiscale » tab of the mémoire space."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class OngletListeFiscale(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("Liste fiscale")
