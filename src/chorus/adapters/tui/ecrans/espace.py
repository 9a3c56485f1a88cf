"""The prestataire's mémoire space: the portal's tabs for the current structure."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane

from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.archives import OngletArchives
from chorus.adapters.tui.onglets.depot_flux import ONGLET as ONGLET_FLUX
from chorus.adapters.tui.onglets.depot_flux import OngletDepotFlux
from chorus.adapters.tui.onglets.liste_fiscale import OngletListeFiscale
from chorus.adapters.tui.onglets.recherche import OngletRecherche
from chorus.adapters.tui.onglets.saisie import OngletSaisie
from chorus.adapters.tui.onglets.synthese import OngletSynthese
from chorus.adapters.tui.onglets.tableau_de_bord import OngletTableauDeBord


class EspaceMemoires(Screen[None]):
    TITLE = "Mémoires de frais de justice"

    def __init__(self) -> None:
        super().__init__()
        self.structure_id: str | None = None
        """The structure the tabs were opened for."""

    def on_mount(self) -> None:
        self.structure_id = chorus(self).structure_id

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="onglets", initial="synthese"):
            with TabPane("Synthèse", id="synthese"):
                yield OngletSynthese(id="onglet-synthese")
            with TabPane("Rechercher", id="rechercher"):
                yield OngletRecherche(id="onglet-recherche")
            with TabPane("Saisir mémoire", id="saisir"):
                yield OngletSaisie(id="onglet-saisie")
            with TabPane("Tableau de bord", id="tableau"):
                yield OngletTableauDeBord(id="onglet-tableau")
            with TabPane("Liste fiscale", id="liste-fiscale"):
                yield OngletListeFiscale(id="onglet-liste-fiscale")
            with TabPane("Archives", id="archives"):
                yield OngletArchives(id="onglet-archives")
            with TabPane("Dépôt flux", id=ONGLET_FLUX):
                yield OngletDepotFlux(id="onglet-depot-flux")
        yield Footer()

    def montrer(self, onglet: str) -> None:
        """Bring the tab `onglet` (a TabPane id) to the front, the focus inside it so that its
        keys work at once."""
        onglets = self.query_one(TabbedContent)
        panneau = onglets.get_pane(onglet)
        focus = self.focused
        if focus is not None and panneau in focus.ancestors:
            onglets.active = onglet
            return
        # A TabbedContent brings forward the pane holding the focus: let go of it first, or
        # hiding the old pane hands the focus to a neighbour there and brings it back.
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
