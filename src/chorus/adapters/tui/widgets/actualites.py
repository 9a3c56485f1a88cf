"""The sign-in screen's side panel: the latest actualités' titles with their dates, as the
portal's home page shows them; F7 opens them all."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from chorus.adapters.tui.noyau import chorus
from chorus.domain.errors import DomainError


class PanneauActualites(Vertical):
    DEFAULT_CSS = """
    PanneauActualites {
        width: 38;
        height: auto;
        max-height: 100%;
        margin: 2 2 0 2;
        padding: 1 2;
        border: round $primary-background;
        background: $panel;
    }
    PanneauActualites > .titre { margin-bottom: 0; }
    PanneauActualites .titre-actualite { text-style: bold; margin-top: 1; }
    PanneauActualites .date-actualite { color: $text-muted; }
    PanneauActualites .pied { color: $text-muted; margin-top: 1; }
    PanneauActualites #actualites-recentes-liste { height: auto; }
    """

    def __init__(self) -> None:
        super().__init__(id="actualites-recentes")
        self.charge = False
        """Whether the latest items have been read and shown (what a test waits on)."""

    def compose(self) -> ComposeResult:
        yield Static("Actualités", classes="titre")
        yield Vertical(id="actualites-recentes-liste")
        yield Static("F7 : toutes les actualités", classes="pied")

    def on_mount(self) -> None:
        self.charger()

    @work(exclusive=True, group="actualites-recentes")
    async def charger(self) -> None:
        app = chorus(self)
        try:
            recentes = await app.appeler(app.services.actualites.recentes)
        except DomainError:
            # The panel is a convenience: signing in must work whatever it could not read.
            recentes = ()
        liste = self.query_one("#actualites-recentes-liste", Vertical)
        await liste.remove_children()
        lignes: list[Static] = []
        for actualite in recentes:
            lignes.append(Static(actualite.titre, classes="titre-actualite", markup=False))
            lignes.append(Static(actualite.mention_de_publication, classes="date-actualite"))
        if not lignes:
            lignes.append(Static("Aucune actualité.", classes="date-actualite"))
        await liste.mount_all(lignes)
        self.charge = True
