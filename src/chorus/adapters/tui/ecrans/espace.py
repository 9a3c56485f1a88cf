"""The prestataire's mémoire space: the portal's tabs for the current structure."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from chorus.adapters.tui.onglets.archives import OngletArchives
from chorus.adapters.tui.onglets.liste_fiscale import OngletListeFiscale
from chorus.adapters.tui.onglets.recherche import OngletRecherche
from chorus.adapters.tui.onglets.saisie import OngletSaisie
from chorus.adapters.tui.onglets.synthese import OngletSynthese
from chorus.adapters.tui.onglets.tableau_de_bord import OngletTableauDeBord


class EspaceMemoires(Screen[None]):
    TITLE = "Mémoires de frais de justice"

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
        yield Footer()

    def montrer(self, onglet: str) -> None:
        """Bring the tab `onglet` (a TabPane id) to the front."""
        # A TabbedContent brings forward the pane holding the focus: let go of it first, or
        # hiding the old pane hands the focus to a neighbour there and brings it back.
        self.set_focus(None)
        self.query_one(TabbedContent).active = onglet
