"""The « Archives » tab of the mémoire space: the mémoires transmitted over the last ten
years (every status but « Brouillon »), newest first, kept viewable for that long."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from chorus.adapters.tui.affichage import ou_rien
from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, montrer_erreur, valeur
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    ListePaginee,
    Pagineur,
    TableMemoires,
    prefixer,
)
from chorus.domain.calendrier import ajouter_annees
from chorus.domain.errors import DomainError
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import CleDeTri, FiltresMemoire, Tri

DUREE_DE_CONSERVATION = 10
"""Years a transmitted mémoire stays viewable (DESIGN §3.4)."""

CHAMP_NUMERO = "archives.numero"
"""Prefixed: the Rechercher tab, on the same screen, has a « numero » too."""

STATUTS_TRANSMIS = frozenset(s for s in StatutMemoire if s.envoye)


class OngletArchives(ListePaginee):
    PREFIXE = "archives"

    DEFAULT_CSS = """
    OngletArchives { padding: 0 1; }
    OngletArchives > .titre { margin-bottom: 0; }
    OngletArchives #archives-filtre { height: auto; }
    OngletArchives #archives-filtre > Champ { width: 40; margin-right: 2; }
    OngletArchives #archives-filtre > Button { margin: 1 1 0 0; }
    OngletArchives TableMemoires { height: 1fr; }
    """

    BINDINGS = [Binding("f5", "rechercher", "Rechercher")]

    def compose(self) -> ComposeResult:
        yield Static("Archives", classes="titre")
        yield Static(
            f"Les mémoires transmis restent consultables et téléchargeables "
            f"{DUREE_DE_CONSERVATION} ans ; les plus récemment déposés d'abord. Entrée ouvre "
            "le mémoire.",
            classes="aide",
        )
        with Horizontal(id="archives-filtre"):
            yield Champ("Numéro du mémoire", CHAMP_NUMERO, Input(placeholder="MJ…"))
            yield Button("Rechercher", id="archives-rechercher", variant="primary")
            yield Button("Tout afficher", id="archives-tout")
        yield ErreurGenerale()
        yield TableMemoires(id="archives-resultats")
        yield Pagineur(self.PREFIXE)

    def on_show(self) -> None:
        if self.criteres is None:
            self.action_rechercher()
        else:
            self.recharger()

    def action_rechercher(self) -> None:
        depuis = ajouter_annees(chorus(self).services.clock.aujourdhui(), -DUREE_DE_CONSERVATION)
        try:
            filtres = FiltresMemoire(
                numero=ou_rien(valeur(self, CHAMP_NUMERO)),
                statuts=STATUTS_TRANSMIS,
                date_depot_du=depuis,
            )
        except DomainError as erreur:
            montrer_erreur(self, prefixer(erreur, "archives"))
            return
        self.chercher(filtres, Tri(CleDeTri.DATE_DEPOT, descendant=True))

    @on(Input.Submitted)
    def _entree(self, evenement: Input.Submitted) -> None:
        evenement.stop()
        self.action_rechercher()

    @on(Button.Pressed, "#archives-rechercher")
    def _rechercher(self) -> None:
        self.action_rechercher()

    @on(Button.Pressed, "#archives-tout")
    def _tout(self) -> None:
        self.query_one(Input).value = ""
        self.action_rechercher()
