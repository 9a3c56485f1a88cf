"""A table of rows already in memory (a mémoire's lines, pièces, history), shown one page at
a time: Textual's DataTable builds every cell when rows are added, so a mémoire of a thousand
lines would otherwise take seconds to display."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from chorus.ports.requetes import PAR_PAGE_DEFAUT

Cellule = str | Text


class Colonne:
    """A column: its heading and, for long texts that must wrap, a fixed width."""

    def __init__(self, titre: str, largeur: int | None = None) -> None:
        self.titre = titre
        self.largeur = largeur


def nombre_de_pages(total: int, par_page: int) -> int:
    return max(1, -(-total // par_page))


class TableauPagine(Vertical):
    """A DataTable of at most `par_page` rows, with « page X / Y — N <unité> » and the page
    buttons; each row has a key (an id) for whoever acts on the chosen row."""

    DEFAULT_CSS = """
    TableauPagine { height: auto; margin-bottom: 1; }
    TableauPagine > DataTable { height: auto; max-height: 24; }
    TableauPagine > .navigation { height: auto; }
    TableauPagine > .navigation Button { min-width: 14; height: 1; border: none; margin-right: 1; }
    TableauPagine > .navigation .position { width: auto; color: $text-muted; padding: 0 1; }
    TableauPagine > .vide { color: $text-muted; }
    """

    BINDINGS = [
        Binding("[", "page_precedente", "Page précédente"),
        Binding("]", "page_suivante", "Page suivante"),
    ]

    def __init__(
        self,
        colonnes: Sequence[Colonne],
        *,
        unite: str,
        vide: str,
        par_page: int = PAR_PAGE_DEFAUT,
        hauteur_variable: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._colonnes = list(colonnes)
        self._unite = unite
        self._vide = vide
        self._par_page = par_page
        self._hauteur_variable = hauteur_variable
        self._lignes: list[tuple[str, Sequence[Cellule]]] = []
        self.page = 1
        self._navigation: tuple[bool, bool] | None = None

    def compose(self) -> ComposeResult:
        table: DataTable[Cellule] = DataTable(cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(self._vide, classes="vide")
        with Horizontal(classes="navigation"):
            yield Button("◀ Précédente", classes="precedente")
            yield Static("", classes="position")
            yield Button("Suivante ▶", classes="suivante")

    def on_mount(self) -> None:
        for colonne in self._colonnes:
            self.table.add_column(colonne.titre, width=colonne.largeur)
        self._afficher_page()

    @property
    def table(self) -> DataTable[Cellule]:
        return self.query_one(DataTable)

    @property
    def nombre_de_pages(self) -> int:
        return nombre_de_pages(len(self._lignes), self._par_page)

    @property
    def cles(self) -> list[str]:
        """The keys of every row, all pages included."""
        return [cle for cle, _ in self._lignes]

    def cellules(self, cle: str) -> Sequence[Cellule]:
        """The cells of the row `cle` (whatever its page)."""
        for autre, cellules in self._lignes:
            if autre == cle:
                return cellules
        raise KeyError(cle)

    @property
    def cle_choisie(self) -> str | None:
        """The key of the row under the cursor (None for an empty table)."""
        table = self.table
        if table.row_count == 0:
            return None
        cle, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return cle.value

    def remplir(self, lignes: Sequence[tuple[str, Sequence[Cellule]]]) -> None:
        """Replace the rows; the page shown stays the same when it still exists."""
        self._lignes = list(lignes)
        self.page = min(self.page, self.nombre_de_pages)
        if self.is_mounted:
            self._afficher_page()

    def _afficher_page(self) -> None:
        table = self.table
        choisie = self.cle_choisie
        table.clear()
        debut = (self.page - 1) * self._par_page
        hauteur = None if self._hauteur_variable else 1
        for cle, cellules in self._lignes[debut : debut + self._par_page]:
            table.add_row(*cellules, key=cle, height=hauteur)
        if choisie is not None and choisie in table.rows:
            table.move_cursor(row=table.get_row_index(choisie))
        vide = not self._lignes
        table.display = not vide
        self.query_one(".vide").display = vide
        navigation = self.query_one(".navigation")
        navigation.display = not vide
        self.query_one(".position", Static).update(
            f"page {self.page} / {self.nombre_de_pages} — {len(self._lignes)} {self._unite}"
        )
        navigation_possible = (self.page > 1, self.page < self.nombre_de_pages)
        self.query_one(".precedente", Button).disabled = not navigation_possible[0]
        self.query_one(".suivante", Button).disabled = not navigation_possible[1]
        # The footer rebuilds itself at each refresh: only when its keys change, and only
        # when they are ours to show.
        if navigation_possible != self._navigation and self.has_focus_within:
            self.refresh_bindings()
        self._navigation = navigation_possible

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page_precedente":
            return self.page > 1
        if action == "page_suivante":
            return self.page < self.nombre_de_pages
        return True

    def action_page_precedente(self) -> None:
        if self.page > 1:
            self.page -= 1
            self._afficher_page()

    def action_page_suivante(self) -> None:
        if self.page < self.nombre_de_pages:
            self.page += 1
            self._afficher_page()

    @on(Button.Pressed, ".precedente")
    def _precedente(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        self.action_page_precedente()

    @on(Button.Pressed, ".suivante")
    def _suivante(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        self.action_page_suivante()
