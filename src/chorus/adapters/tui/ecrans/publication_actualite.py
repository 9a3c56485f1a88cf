"""« Publier une actualité » (administrators): a title and a Markdown body; the use case
dates it now and refuses anyone else. A refusal is written under the field it names and
nothing typed is lost; answers the item published (None when cancelled)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static, TextArea

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, valeur
from chorus.adapters.tui.noyau import chorus
from chorus.domain.actualites import Actualite


class FenetrePublicationActualite(ModalScreen[Actualite | None]):
    DEFAULT_CSS = """
    FenetrePublicationActualite { align: center middle; }
    FenetrePublicationActualite #publication-actualite { width: 100; }
    FenetrePublicationActualite TextArea { height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "annuler", "Annuler"),
        Binding("ctrl+s", "publier", "Publier"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="publication-actualite"):
            yield Static("Publier une actualité", classes="titre")
            yield Static(
                "Visible de tous dès sa publication, datée de maintenant, et non modifiable "
                "ensuite. Corps en Markdown : **gras**, *italique*, listes « - », liens "
                "[texte](https://…) ; le HTML s'affiche comme du texte.",
                classes="aide",
                markup=False,
            )
            yield Champ("Titre (une ligne, 200 caractères)", "titre", Input(), obligatoire=True)
            yield Champ(
                "Corps (Markdown, 20 000 caractères)", "corps", TextArea(), obligatoire=True
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Publier", id="publier-actualite", variant="primary")
                yield Button("Annuler", id="annuler-actualite")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#annuler-actualite")
    def _annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#publier-actualite")
    async def action_publier(self) -> None:
        app = chorus(self)
        actualite = await app.tenter(
            self.query_one("#publication-actualite", Vertical),
            app.services.actualites.publier,
            app.utilisateur_id,
            valeur(self, "titre"),
            self.query_one(TextArea).text,
        )
        if actualite is not None:
            self.dismiss(actualite)
