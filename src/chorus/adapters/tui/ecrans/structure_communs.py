"""What the structure screens share: a table showing one page of a list at a time, the
confirmation asked before an irreversible action, French labels of the organisation's codes,
and reading a file the user names by its path."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static, TabbedContent

from chorus.domain.errors import FichierTropVolumineux, ValidationError
from chorus.domain.organisation import (
    Application,
    Habilitation,
    Profil,
    Regime,
    StatutRattachement,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TAILLE_MAXIMUM, TypePiece
from chorus.ports.requetes import Pagination

PAR_PAGE = 15
"""Rows a structure list shows at once: a page fits the tab, and a DataTable builds every
cell it holds at mount."""

STATUTS_RATTACHEMENT = {
    StatutRattachement.EN_COURS_DE_VALIDATION: "En cours de validation",
    StatutRattachement.VALIDEE: "Validé",
    StatutRattachement.REFUSEE: "Refusé",
    StatutRattachement.DESACTIVEE: "Terminé (détaché)",
}

TYPES_IDENTIFIANT = {
    TypeIdentifiant.SIRET: "SIRET",
    TypeIdentifiant.RIDET: "RIDET (Nouvelle-Calédonie)",
    TypeIdentifiant.TAHITI: "Numéro TAHITI (Polynésie française)",
    TypeIdentifiant.UE_HORS_FRANCE: "TVA intracommunautaire (UE hors France)",
    TypeIdentifiant.HORS_UE: "Identifiant hors Union européenne",
    TypeIdentifiant.PARTICULIER: "Particulier (sans numéro d'entreprise)",
}

PROFILS = {Profil.CONSULTATION: "consultation", Profil.MODIFICATION: "modification"}

OPTIONS_TYPE_STRUCTURE = [(t.libelle, t.value) for t in TypeStructure]
OPTIONS_TYPE_IDENTIFIANT = [(libelle, t.value) for t, libelle in TYPES_IDENTIFIANT.items()]
OPTIONS_APPLICATION = [(a.libelle, a.value) for a in Application]
OPTIONS_PROFIL = [(p.capitalize(), profil.value) for profil, p in PROFILS.items()]
OPTIONS_REGIME = [(r.libelle, r.value) for r in Regime]
OPTIONS_TYPE_PIECE = [(t.libelle, t.value) for t in TypePiece]


def libelle_habilitation(habilitation: Habilitation) -> str:
    """« Frais de justice modification », as the portal's « Mes habilitations » writes it."""
    return f"{habilitation.application.libelle} {PROFILS[habilitation.profil]}"


def oui_non(valeur: bool) -> str:
    return "Oui" if valeur else "Non"


def taille(octets: int) -> str:
    if octets < 1024:
        return f"{octets} o"
    if octets < 1024 * 1024:
        return f"{octets / 1024:.0f} Ko".replace(".", ",")
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


def lire_fichier(chemin: str, champ: str = "fichier") -> tuple[bytes, str]:
    """The content and name of the file at `chemin` (``~`` allowed); a refusal naming
    `champ` when there is none, it cannot be read or it is over the portal's limit (checked
    before reading, so that a wrong path to a huge file costs nothing)."""
    brut = chemin.strip()
    if not brut:
        raise ValidationError("Indiquez le chemin du fichier à déposer.", champ=champ)
    fichier = Path(brut).expanduser()
    try:
        if not fichier.is_file():
            raise ValidationError(f"Aucun fichier à l'emplacement « {brut} ».", champ=champ)
        if fichier.stat().st_size > TAILLE_MAXIMUM:
            raise FichierTropVolumineux(
                "Le fichier dépasse la taille maximale de 10 Mo.", champ=champ
            )
        return fichier.read_bytes(), fichier.name
    except OSError as erreur:
        raise ValidationError(
            f"Le fichier « {brut} » ne peut pas être lu ({erreur.strerror or erreur}).",
            champ=champ,
        ) from None


def montrer_onglet(onglets: TabbedContent, onglet: str, *, focaliser: bool = True) -> None:
    """Bring the pane `onglet` to the front and (unless told not to) put the focus on its
    first field.

    The focus leaves the former pane first: TabbedContent brings back the pane holding the
    focused widget, so a key binding switching panes would otherwise be undone at once."""
    onglets.screen.set_focus(None)
    onglets.active = onglet
    if focaliser:
        onglets.call_after_refresh(_focaliser, onglets, onglet)


def _focaliser(onglets: TabbedContent, onglet: str) -> None:
    for widget in onglets.get_pane(onglet).query("*"):
        if widget.focusable:
            widget.focus()
            return


class TablePaginee(Vertical):
    """A list the screen already holds, shown one page at a time with « page X / Y — N
    résultats »; F7 and F8 turn the pages."""

    DEFAULT_CSS = """
    TablePaginee { height: auto; }
    TablePaginee > DataTable { height: auto; max-height: 18; }
    TablePaginee > .pagination { height: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("f7", "page(-1)", "Page précédente"),
        Binding("f8", "page(1)", "Page suivante"),
    ]

    def __init__(self, colonnes: Sequence[str], *, vide: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self._colonnes = list(colonnes)
        self._vide = vide
        self._lignes: list[tuple[str, tuple[str, ...]]] = []
        self._page = 1

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns(*self._colonnes)
        yield table
        yield Static("", classes="pagination")

    @property
    def table(self) -> DataTable[str]:
        return self.query_one(DataTable)

    @property
    def nombre_de_pages(self) -> int:
        return max(1, -(-len(self._lignes) // PAR_PAGE))

    def definir(self, lignes: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Replace the list (each row: its key, its cells); the page and the selected row
        stay where they were when they still exist."""
        choisie = self.selection
        self._lignes = [(cle, tuple(cellules)) for cle, cellules in lignes]
        cles = [cle for cle, _ in self._lignes]
        if choisie in cles:
            self._page = cles.index(choisie) // PAR_PAGE + 1
        self._page = min(self._page, self.nombre_de_pages)
        self._montrer(choisie)

    def _montrer(self, choisie: str | None = None) -> None:
        pagination = Pagination(page=self._page, par_page=PAR_PAGE)
        page = self._lignes[pagination.decalage : pagination.decalage + PAR_PAGE]
        table = self.table
        table.clear()
        for cle, cellules in page:
            table.add_row(*cellules, key=cle)
        cles = [cle for cle, _ in page]
        if choisie in cles:
            table.move_cursor(row=cles.index(choisie))
        total = len(self._lignes)
        if total == 0:
            texte = self._vide
        else:
            resultats = "1 résultat" if total == 1 else f"{total} résultats"
            texte = f"page {self._page} / {self.nombre_de_pages} — {resultats}"
        self.query_one(".pagination", Static).update(texte)

    def action_page(self, pas: int) -> None:
        page = min(max(1, self._page + pas), self.nombre_de_pages)
        if page != self._page:
            self._page = page
            self._montrer()

    @property
    def selection(self) -> str | None:
        """The key of the highlighted row (None for an empty page)."""
        table = self.table
        if table.row_count == 0:
            return None
        ligne = min(max(table.cursor_row, 0), table.row_count - 1)
        valeur = table.coordinate_to_cell_key(Coordinate(ligne, 0)).row_key.value
        return None if valeur is None else str(valeur)

    def selectionner(self, cle: str) -> bool:
        """Turn to the page holding `cle` and highlight it."""
        cles = [c for c, _ in self._lignes]
        if cle not in cles:
            return False
        self._page = cles.index(cle) // PAR_PAGE + 1
        self._montrer(cle)
        return True


class _Identifie(Protocol):
    @property
    def id(self) -> str: ...


E = TypeVar("E", bound=_Identifie)


def element_choisi(
    noeud: Widget, table: str, elements: Iterable[E], manque: str | None = None
) -> E | None:
    """The element of `elements` highlighted in the `TablePaginee` `table` (a selector);
    when there is none and `manque` is given, it is shown as a warning so that a key
    pressed on an empty list says why nothing happens."""
    cle = noeud.query_one(table, TablePaginee).selection
    trouve = next((e for e in elements if e.id == cle), None)
    if trouve is None and manque is not None:
        noeud.notify(manque, severity="warning")
    return trouve


def confirmer(
    noeud: Widget, question: str, action: str, agir: Callable[[], Awaitable[None]]
) -> None:
    """Ask `question` in a `Confirmation` whose button reads `action`, and run `agir` only
    once the user confirms (a dismissal does nothing)."""

    async def repondre(confirme: bool | None) -> None:
        if confirme:
            await agir()

    noeud.app.push_screen(Confirmation(question, action), repondre)


class Confirmation(ModalScreen[bool]):
    """Asks before an action that cannot be undone from the screen; answers True to go on."""

    DEFAULT_CSS = """
    Confirmation { align: center middle; }
    Confirmation > Vertical { width: 70; height: auto; }
    Confirmation Horizontal { height: auto; margin-top: 1; }
    Confirmation Button { margin-right: 2; }
    """

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Annuler"),
        Binding("ctrl+o", "dismiss(True)", "Confirmer"),
    ]

    def __init__(self, question: str, action: str) -> None:
        super().__init__()
        self._question = question
        self._action = action

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte"):
            yield Static(self._question)
            with Horizontal():
                yield Button(self._action, id="confirmer", variant="error")
                yield Button("Annuler", id="annuler")

    def on_mount(self) -> None:
        self.query_one("#annuler", Button).focus()

    @on(Button.Pressed, "#confirmer")
    def _confirmer(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#annuler")
    def _annuler(self) -> None:
        self.dismiss(False)
