"""F7 « Actualités »: the portal's news items, newest first, a page at a time, each body
rendered from its Markdown (safely: see `chorus.adapters.markdown`). Open to anyone, signed
in or not; Échap goes back. It is also the administrators' screen after sign-in, with
« Publier une actualité »."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Markdown, Static

from chorus.adapters.markdown import SCHEMAS_AUTORISES, analyseur
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.widgets.tableau import nombre_de_pages
from chorus.domain.actualites import Actualite
from chorus.domain.errors import DomainError
from chorus.domain.utilisateur import RoleAgent

PAR_PAGE = 5
"""Items a page shows: each is a whole article, so few at a time."""

# The schemes the shared renderer lets a link keep: those open in the system's browser.
_SCHEMAS_OUVERTS = tuple(f"{schema}:" for schema in sorted(SCHEMAS_AUTORISES))


class ArticleActualite(Vertical):
    """One item: its title, « Actualité publiée le … » and its body."""

    DEFAULT_CSS = """
    ArticleActualite {
        height: auto;
        margin-bottom: 1;
        border-bottom: hkey $primary-background;
    }
    ArticleActualite > .titre-actualite { text-style: bold; color: $accent; }
    ArticleActualite > .date-actualite { color: $text-muted; }
    ArticleActualite > Markdown { padding: 0; margin: 1 0 0 0; }
    """

    def __init__(self, actualite: Actualite) -> None:
        super().__init__(id=f"actualite-{_id_sur(actualite.id)}")
        self.actualite = actualite

    def compose(self) -> ComposeResult:
        yield Static(self.actualite.titre, classes="titre-actualite", markup=False)
        yield Static(self.actualite.mention_de_publication, classes="date-actualite")
        # Links are followed by `EcranActualites`, which opens only web and mail ones.
        yield Markdown(self.actualite.corps, parser_factory=analyseur, open_links=False)


def _id_sur(identifiant: str) -> str:
    """An id Textual accepts (letters, digits, « - », « _ ») made of a stored id."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in identifiant)


class EcranActualites(Screen[None]):
    TITLE = "Actualités"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "fermer", "Retour"),
        Binding("ctrl+n", "publier", "Publier une actualité"),
        Binding("[", "page_precedente", "Page précédente"),
        Binding("]", "page_suivante", "Page suivante"),
    ]
    DEFAULT_CSS = """
    EcranActualites #actualites-cadre { padding: 0 2; }
    EcranActualites #actualites-liste { height: 1fr; }
    EcranActualites .navigation { height: auto; margin-top: 1; }
    EcranActualites .navigation Button { margin-right: 1; }
    EcranActualites #actualites-position { width: auto; padding: 1 1 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.total = 0
        self.charge = False
        """Whether the current page has been read and shown (what a test waits on)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="actualites-cadre"):
            yield Static("Actualités", classes="titre")
            yield Static(
                "Les actualités du portail, de la plus récente à la plus ancienne. "
                "[ et ] changent de page ; Échap revient à l'écran précédent.",
                classes="aide",
                markup=False,
            )
            yield VerticalScroll(id="actualites-liste")
            with Horizontal(classes="navigation"):
                yield Button("◀ Plus récentes", id="actualites-precedentes")
                yield Static("", id="actualites-position")
                yield Button("Plus anciennes ▶", id="actualites-suivantes")
                if self._administrateur():
                    yield Button(
                        "Publier une actualité", id="actualites-publier", variant="primary"
                    )
        yield Footer()

    def on_mount(self) -> None:
        self.charger(1)

    @property
    def nombre_de_pages(self) -> int:
        return nombre_de_pages(self.total, PAR_PAGE)

    @work(exclusive=True, group="actualites")
    async def charger(self, page: int) -> None:
        app = chorus(self)
        self.charge = False
        try:
            trouvees = await app.appeler(app.services.actualites.lister, page, PAR_PAGE)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        if not trouvees.elements and page > 1:
            # Items may have gone since the count (a page past the end): the last one.
            self.charger(nombre_de_pages(trouvees.total, PAR_PAGE))
            return
        self.page, self.total = page, trouvees.total
        liste = self.query_one("#actualites-liste", VerticalScroll)
        await liste.remove_children()
        if trouvees.elements:
            await liste.mount_all(ArticleActualite(a) for a in trouvees.elements)
        else:
            await liste.mount(Static("Aucune actualité n'a été publiée.", classes="aide"))
        liste.scroll_home(animate=False)
        self._montrer_position()
        self.charge = True

    def _montrer_position(self) -> None:
        mot = "actualité" if self.total <= 1 else "actualités"
        self.query_one("#actualites-position", Static).update(
            f"page {self.page} / {self.nombre_de_pages} — {self.total} {mot}"
        )
        self.query_one("#actualites-precedentes", Button).disabled = self.page <= 1
        self.query_one("#actualites-suivantes", Button).disabled = self.page >= self.nombre_de_pages
        self.refresh_bindings()

    def _administrateur(self) -> bool:
        session = chorus(self).session
        return session is not None and session.utilisateur.role is RoleAgent.ADMINISTRATEUR

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fermer":
            # The administrators' home screen after sign-in has nothing under it to go to.
            return len(self.app.screen_stack) > 2
        if action == "publier":
            return self._administrateur()
        if action == "page_precedente":
            return self.page > 1
        if action == "page_suivante":
            return self.page < self.nombre_de_pages
        return True

    @on(Button.Pressed, "#actualites-precedentes")
    def action_page_precedente(self) -> None:
        if self.page > 1:
            self.charger(self.page - 1)

    @on(Button.Pressed, "#actualites-suivantes")
    def action_page_suivante(self) -> None:
        if self.page < self.nombre_de_pages:
            self.charger(self.page + 1)

    def action_fermer(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    @on(Button.Pressed, "#actualites-publier")
    def action_publier(self) -> None:
        if not self._administrateur():
            return
        from chorus.adapters.tui.ecrans.publication_actualite import (
            FenetrePublicationActualite,
        )

        self.app.push_screen(FenetrePublicationActualite(), self._publiee)

    def _publiee(self, actualite: Actualite | None) -> None:
        if actualite is None:
            return
        self.notify(f"Actualité publiée : « {actualite.titre} ».", markup=False)
        self.charger(1)

    @on(Markdown.LinkClicked)
    def _suivre_le_lien(self, evenement: Markdown.LinkClicked) -> None:
        evenement.stop()
        adresse = evenement.href
        if adresse.lower().startswith(_SCHEMAS_OUVERTS):
            self.app.open_url(adresse)
        else:
            # A relative address names a page of the web portal, which the terminal has not.
            self.notify(f"Page du portail web : {adresse}", timeout=6)
