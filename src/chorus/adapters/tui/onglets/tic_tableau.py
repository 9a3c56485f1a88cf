"""« Tableau de bord » of the TIC/TICGN space: for each structure, how many demandes are in
each status; Entrée on a count opens « Rechercher » filtered by that structure and status."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import noms_des_structures
from chorus.adapters.tui.onglets.tableau_de_bord import (
    COLONNE_STRUCTURE,
    COLONNE_TOTAL,
    sur_deux_lignes,
)
from chorus.domain.errors import DomainError
from chorus.domain.tic.statuts import StatutDemandeTic

OuvrirListe = Callable[[str, StatutDemandeTic | None], None]


class TableCompteursTic(DataTable[str | Text]):
    """A row per structure, a column per status; Entrée on a count opens its list."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Voir la liste")]
    DEFAULT_CSS = """
    TableCompteursTic { height: auto; max-height: 100%; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, header_height=2)

    def on_mount(self) -> None:
        self.add_column("Structure", key=COLONNE_STRUCTURE)
        for statut in StatutDemandeTic:
            self.add_column(sur_deux_lignes(statut.libelle), key=statut.value)
        self.add_column("Total", key=COLONNE_TOTAL)


class OngletTableauTic(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "actualiser", "Actualiser")]
    DEFAULT_CSS = """
    OngletTableauTic { padding: 0 1; }
    OngletTableauTic > .titre { margin-bottom: 0; }
    """

    def __init__(self, ouvrir: OuvrirListe, *, id: str) -> None:
        super().__init__(id=id)
        self._ouvrir_liste = ouvrir
        self.charge = False

    def compose(self) -> ComposeResult:
        yield Static("Mon tableau de bord", classes="titre")
        yield Static(
            "Le nombre de demandes de remboursement de chaque structure dans chaque statut. "
            "Choisissez un nombre (Entrée) pour voir la liste des demandes correspondantes.",
            classes="aide",
        )
        yield TableCompteursTic(id="tableau-tic-compteurs")
        with Horizontal(classes="barre-actions"):
            yield Button("Voir la liste", id="tableau-tic-voir", variant="primary")
            yield Button("Actualiser", id="tableau-tic-actualiser")

    def on_show(self) -> None:
        self.action_actualiser()

    @work(exclusive=True, group="tableau-tic")
    async def action_actualiser(self) -> None:
        app = chorus(self)
        if app.session is None:
            return
        try:
            comptes = await app.appeler(app.services.tic.tableau_de_bord, app.utilisateur_id)
            noms = await noms_des_structures(app)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        table = self.query_one(TableCompteursTic)
        position = table.cursor_coordinate
        table.clear()
        for structure_id in sorted(comptes, key=lambda s: noms.get(s, s)):
            compteurs = comptes[structure_id]
            table.add_row(
                noms.get(structure_id, structure_id),
                *(Text(str(compteurs.get(s, 0)), justify="right") for s in StatutDemandeTic),
                Text(str(sum(compteurs.values())), justify="right"),
                key=structure_id,
            )
        if comptes:
            table.cursor_coordinate = position
        else:
            self.notify(
                "Vous n'avez accès aux demandes TIC/TICGN d'aucune structure.", severity="warning"
            )
        self.charge = True

    def _ouvrir(self, structure_id: str | None, colonne: str | None) -> None:
        if structure_id is None:
            return
        statuts = {s.value: s for s in StatutDemandeTic}
        self._ouvrir_liste(structure_id, statuts.get(colonne or ""))

    @on(DataTable.CellSelected)
    def _choisi(self, evenement: DataTable.CellSelected) -> None:
        evenement.stop()
        self._ouvrir(evenement.cell_key.row_key.value, evenement.cell_key.column_key.value)

    @on(Button.Pressed, "#tableau-tic-voir")
    def _voir(self) -> None:
        table = self.query_one(TableCompteursTic)
        if not table.row_count:
            return
        cle = table.coordinate_to_cell_key(table.cursor_coordinate)
        self._ouvrir(cle.row_key.value, cle.column_key.value)

    @on(Button.Pressed, "#tableau-tic-actualiser")
    def _actualiser(self) -> None:
        self.action_actualiser()
