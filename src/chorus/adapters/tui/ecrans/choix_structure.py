"""The structure selector, when the signed-in user belongs to several."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from chorus.domain.organisation import Structure


class ChoixStructure(ModalScreen[str | None]):
    """Answers the chosen structure's id (None when dismissed with Échap)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Annuler")]

    def __init__(self, structures: Sequence[Structure], actuelle: str | None = None) -> None:
        super().__init__()
        self._structures = list(structures)
        self._actuelle = actuelle

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="choix-structure"):
            yield Static("Pour quelle structure agissez-vous ?", classes="titre")
            yield OptionList(
                *(
                    Option(
                        f"{s.raison_sociale}  ({s.type_identifiant.value} {s.identifiant})", s.id
                    )
                    for s in self._structures
                ),
                id="structures",
            )

    def on_mount(self) -> None:
        liste = self.query_one(OptionList)
        ids = [s.id for s in self._structures]
        liste.highlighted = ids.index(self._actuelle) if self._actuelle in ids else 0
        liste.focus()

    @on(OptionList.OptionSelected)
    def _choisi(self, evenement: OptionList.OptionSelected) -> None:
        self.dismiss(evenement.option.id)
