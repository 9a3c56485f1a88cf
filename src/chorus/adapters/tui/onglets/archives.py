"""The « Archives » tab of the mémoire space: the mémoires transmitted over the last ten
years (every status but « Brouillon »), newest first, each with the day until which it is
kept, and the download of its certificat de dépôt and of the mémoire as sent."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from chorus.adapters.tui.affichage import jour, ou_rien
from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, effacer_erreurs, montrer_erreur
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    DATE_DEPOT,
    ETAT,
    JURIDICTION,
    NUMERO,
    STRUCTURE,
    TTC,
    ColonneMemoire,
    ListePaginee,
    Pagineur,
    TableMemoires,
    affaires,
    lancer_bouton,
)
from chorus.adapters.tui.widgets.documents import DocumentDuMemoire, telecharger
from chorus.domain import conservation
from chorus.domain.conservation import DUREE_DE_CONSERVATION_ANNEES
from chorus.ports.requetes import Page, Pagination, ResumeMemoire

CHAMP_NUMERO = "archives.numero"
"""Prefixed: the Rechercher tab, on the same screen, has a « numero » too."""


def conserve_jusqu_au(resume: ResumeMemoire) -> str:
    """The last day the mémoire is kept: ten years after its deposit, day for day in Paris."""
    if resume.date_depot is None:
        return ""
    return jour(conservation.conserve_jusqu_au(resume.date_depot))


CONSERVATION = ColonneMemoire(
    "conservation", "Conservé jusqu'au", 17, lambda r, _: conserve_jusqu_au(r)
)

COLONNES_ARCHIVES = (
    NUMERO,
    STRUCTURE,
    JURIDICTION,
    ETAT,
    DATE_DEPOT,
    CONSERVATION,
    TTC,
    affaires(22),
)
"""138 columns, as the other tables: the retention day takes the place of the dates of
update and the net à payer."""


class OngletArchives(ListePaginee[str]):
    """The criteria are the numéro typed (empty: every archived mémoire)."""

    PREFIXE = "archives"

    DEFAULT_CSS = """
    OngletArchives { padding: 0 1; }
    OngletArchives > .titre { margin-bottom: 0; }
    OngletArchives #archives-filtre { height: auto; }
    OngletArchives #archives-filtre > Champ { width: 40; margin-right: 2; }
    OngletArchives #archives-filtre > Button { margin: 1 1 0 0; }
    OngletArchives TableMemoires { height: 1fr; }
    OngletArchives > .barre-actions { margin: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("f5", "rechercher", "Rechercher"),
        Binding("ctrl+t", "telecharger_certificat", "Certificat de dépôt"),
        Binding("ctrl+p", "telecharger_memoire", "Mémoire (PDF)"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Archives", classes="titre")
        yield Static(
            f"Les mémoires transmis restent consultables et téléchargeables "
            f"{DUREE_DE_CONSERVATION_ANNEES} ans ; les plus récemment déposés d'abord. "
            "Entrée ouvre le mémoire choisi.",
            classes="aide",
        )
        with Horizontal(id="archives-filtre"):
            yield Champ("Numéro du mémoire", CHAMP_NUMERO, Input(placeholder="MJ…"))
            yield Button("Rechercher", id="archives-rechercher", variant="primary")
            yield Button("Tout afficher", id="archives-tout")
        yield ErreurGenerale()
        yield TableMemoires(id="archives-resultats", colonnes=COLONNES_ARCHIVES)
        with Horizontal(classes="barre-actions"):
            yield Button("Ouvrir", id="archives-ouvrir")
            for document in DocumentDuMemoire:
                yield Button(document.libelle, id=f"archives-{document.value}")
        yield Pagineur(self.PREFIXE)

    def on_show(self) -> None:
        if self.criteres is None:
            self.action_rechercher()
        else:
            self.recharger()

    def lecture(self, criteres: str) -> Callable[[Pagination], Page[ResumeMemoire]]:
        app = chorus(self)
        # The use case decides what the archives hold (the API lists the same).
        return partial(
            app.services.documents.archives, app.utilisateur_id, numero=ou_rien(criteres)
        )

    def action_rechercher(self) -> None:
        self.chercher(self.query_one(Input).value.strip())

    @on(Input.Submitted)
    def _entree(self, evenement: Input.Submitted) -> None:
        evenement.stop()
        self.action_rechercher()

    def _tout(self) -> None:
        self.query_one(Input).value = ""
        self.action_rechercher()

    def _ouvrir_choisi(self) -> None:
        resume = self._choisi()
        if resume is not None:
            chorus(self).ouvrir_memoire(resume.id)

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        # The page buttons are the base class's: Textual calls its handler too.
        lancer_bouton(
            evenement,
            {
                "archives-rechercher": self.action_rechercher,
                "archives-tout": self._tout,
                "archives-ouvrir": self._ouvrir_choisi,
                "archives-telecharger_certificat": self.action_telecharger_certificat,
                "archives-telecharger_memoire": self.action_telecharger_memoire,
            },
        )

    # -- downloads ---------------------------------------------------------------------

    def _choisi(self) -> ResumeMemoire | None:
        resume = self.table.courant
        if resume is None:
            self.notify("Aucun mémoire n'est choisi dans la liste.", severity="warning")
        return resume

    def action_telecharger_certificat(self) -> None:
        self._telecharger(DocumentDuMemoire.CERTIFICAT_DEPOT)

    def action_telecharger_memoire(self) -> None:
        self._telecharger(DocumentDuMemoire.MEMOIRE)

    @work(exclusive=True, group="document")
    async def _telecharger(self, document: DocumentDuMemoire) -> None:
        resume = self._choisi()
        if resume is None:
            return
        effacer_erreurs(self)
        await telecharger(
            self, document.lecture(chorus(self), resume.id), partial(montrer_erreur, self)
        )
