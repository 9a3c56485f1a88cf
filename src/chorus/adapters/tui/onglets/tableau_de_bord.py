"""The « Tableau de bord » tab of the mémoire space: for each structure, how many mémoires
are in each status; choosing a count opens the list of those mémoires in « Rechercher »."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tui.noyau import chorus
from chorus.domain.errors import DomainError
from chorus.domain.statuts import StatutMemoire

COLONNE_STRUCTURE = "structure"
COLONNE_TOTAL = "total"


def sur_deux_lignes(libelle: str) -> str:
    """A long heading cut at its middle space, so that every status fits on the screen."""
    if len(libelle) <= 10 or " " not in libelle:
        return libelle
    milieu = len(libelle) // 2
    coupure = min((i for i, c in enumerate(libelle) if c == " "), key=lambda i: abs(i - milieu))
    return f"{libelle[:coupure]}\n{libelle[coupure + 1 :]}"


class TableCompteurs(DataTable[str | Text]):
    """A row per structure, a column per status; Entrée on a count opens its list."""

    BINDINGS = [Binding("enter", "select_cursor", "Voir la liste")]

    DEFAULT_CSS = """
    TableCompteurs { height: auto; max-height: 100%; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, header_height=2)

    def on_mount(self) -> None:
        self.add_column("Structure", key=COLONNE_STRUCTURE)
        for statut in StatutMemoire:
            self.add_column(sur_deux_lignes(statut.libelle), key=statut.value)
        self.add_column("Total", key=COLONNE_TOTAL)


class OngletTableauDeBord(Vertical):
    DEFAULT_CSS = """
    OngletTableauDeBord { padding: 0 1; }
    OngletTableauDeBord > .titre { margin-bottom: 0; }
    """

    BINDINGS = [Binding("f5", "actualiser", "Actualiser")]

    def compose(self) -> ComposeResult:
        yield Static("Tableau de bord des mémoires", classes="titre")
        yield Static(
            "Le nombre de mémoires de chaque structure dans chaque état. Choisissez un nombre "
            "(Entrée) pour voir la liste des mémoires correspondants.",
            classes="aide",
        )
        yield TableCompteurs(id="tableau-compteurs")
        with Horizontal(classes="barre-actions"):
            yield Button("Voir la liste", id="tableau-voir", variant="primary")
            yield Button("Actualiser", id="tableau-actualiser")

    def on_show(self) -> None:
        self.action_actualiser()

    @work(exclusive=True, group="tableau")
    async def action_actualiser(self) -> None:
        app = chorus(self)
        if app.session is None:
            return
        try:
            lignes = await app.appeler(
                app.services.consultation.tableau_de_bord, app.utilisateur_id
            )
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        table = self.query_one(TableCompteurs)
        position = table.cursor_coordinate
        table.clear()
        for ligne in lignes:
            table.add_row(
                ligne.raison_sociale,
                *(Text(str(ligne.compteurs[s]), justify="right") for s in StatutMemoire),
                Text(str(sum(ligne.compteurs.values())), justify="right"),
                key=ligne.structure_id,
            )
        if lignes:
            table.cursor_coordinate = position
        if not lignes:
            self.notify("Vous n'avez accès aux mémoires d'aucune structure.", severity="warning")

    def _ouvrir(self, structure_id: str | None, colonne: str | None) -> None:
        if structure_id is None:
            return
        statut = colonne if colonne in {s.value for s in StatutMemoire} else None
        chorus(self).ouvrir_liste(structure_id, statut)

    @on(DataTable.CellSelected)
    def _choisi(self, evenement: DataTable.CellSelected) -> None:
        evenement.stop()
        self._ouvrir(evenement.cell_key.row_key.value, evenement.cell_key.column_key.value)

    @on(Button.Pressed, "#tableau-voir")
    def _voir(self) -> None:
        table = self.query_one(TableCompteurs)
        if not table.row_count:
            return
        cle = table.coordinate_to_cell_key(table.cursor_coordinate)
        self._ouvrir(cle.row_key.value, cle.column_key.value)

    @on(Button.Pressed, "#tableau-actualiser")
    def _actualiser(self) -> None:
        self.action_actualiser()
