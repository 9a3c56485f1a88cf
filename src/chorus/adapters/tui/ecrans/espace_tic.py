"""The « Demandes de remboursement TIC/TICGN » space of the current structure: « Mon suivi »,
« Tableau de bord », « Rechercher » and « Créer une demande »."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane

from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.tic_gestion import OngletGestionTic
from chorus.adapters.tui.onglets.tic_recherche import OngletRechercheTic
from chorus.adapters.tui.onglets.tic_suivi import OngletSuiviTic
from chorus.adapters.tui.onglets.tic_tableau import OngletTableauTic
from chorus.domain.tic.statuts import StatutDemandeTic

SUIVI = "suivi-tic"
TABLEAU = "tableau-tic"
RECHERCHER = "rechercher-tic"
CREER = "creer-tic"


class EspaceTic(Screen[None]):
    TITLE = "Demandes de remboursement TIC/TICGN"

    def __init__(self) -> None:
        super().__init__()
        self.structure_id: str | None = None
        """The structure the space was opened for."""

    def on_mount(self) -> None:
        self.structure_id = chorus(self).structure_id

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="onglets-tic", initial=SUIVI):
            with TabPane("Mon suivi", id=SUIVI):
                yield OngletSuiviTic(id="onglet-suivi-tic")
            with TabPane("Tableau de bord", id=TABLEAU):
                yield OngletTableauTic(self.ouvrir_liste, id="onglet-tableau-tic")
            with TabPane("Rechercher", id=RECHERCHER):
                yield OngletRechercheTic(id="onglet-recherche-tic")
            with TabPane("Créer une demande", id=CREER):
                yield OngletGestionTic(lambda: self.montrer(RECHERCHER), id="onglet-gestion-tic")
        yield Footer()

    def on_screen_resume(self) -> None:
        # Back from a demande (sent, duplicated, deleted…): the tab in front shows it.
        onglets = self.query_one(TabbedContent)
        actif = onglets.active
        if not actif:
            return
        for onglet in onglets.get_pane(actif).children:
            if isinstance(onglet, OngletSuiviTic | OngletTableauTic | OngletGestionTic):
                onglet.action_actualiser()
            elif isinstance(onglet, OngletRechercheTic):
                onglet.recharger()

    def ouvrir_liste(self, structure_id: str, statut: StatutDemandeTic | None) -> None:
        """« Rechercher » filtered by a structure and a status (the dashboard's choice)."""
        self.montrer(RECHERCHER)
        self.query_one(OngletRechercheTic).rechercher_par(structure_id, statut)

    def montrer(self, onglet: str) -> None:
        """Bring the tab `onglet` (a TabPane id) forward, the focus inside it."""
        onglets = self.query_one(TabbedContent)
        panneau = onglets.get_pane(onglet)
        focus = self.focused
        if focus is not None and panneau in focus.ancestors:
            onglets.active = onglet
            return
        # A TabbedContent brings forward the pane holding the focus: let go of it first.
        self.set_focus(None)
        onglets.active = onglet
        self.call_after_refresh(self._focaliser, panneau)

    def _focaliser(self, panneau: Widget) -> None:
        if self.focused is not None and panneau in self.focused.ancestors:
            return
        for widget in panneau.query(Widget):
            if widget.focusable:
                widget.focus()
                return
