"""« Mon suivi »: the latest events of the demandes TIC/TICGN of the user's structures —
date, numéro, année, statut, motif or amount — newest first; Entrée opens the demande."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tui.affichage import euros, instant
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.widgets.tableau import Cellule, Colonne, TableauPagine
from chorus.domain.errors import DomainError
from chorus.ports.tic import EvenementSuiviTic

COLONNES_SUIVI = [
    Colonne("Date"),
    Colonne("Numéro"),
    Colonne("Année"),
    Colonne("Statut"),
    Colonne("Motif / montant", 60),
]


def motif_ou_montant(evenement: EvenementSuiviTic) -> str:
    morceaux = [m for m in (evenement.motif, euros(evenement.montant)) if m]
    return " — ".join(morceaux)


def rangee_suivi(evenement: EvenementSuiviTic) -> tuple[Cellule, ...]:
    return (
        instant(evenement.date_maj),
        evenement.numero,
        str(evenement.annee),
        evenement.statut.libelle,
        Text(motif_ou_montant(evenement)),
    )


class OngletSuiviTic(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "actualiser", "Actualiser")]
    DEFAULT_CSS = """
    OngletSuiviTic { padding: 0 1; }
    OngletSuiviTic > .titre { margin-bottom: 0; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._demandes: dict[str, str] = {}
        self.charge = False
        """Whether the feed has been read once (what a test waits on)."""

    def compose(self) -> ComposeResult:
        yield Static("Mon suivi", classes="titre")
        yield Static(
            "Les derniers événements de vos demandes de remboursement : réception, mise en "
            "instruction, validation, rejet, mise en paiement. Entrée ouvre la demande.",
            classes="aide",
        )
        yield TableauPagine(
            COLONNES_SUIVI,
            unite="événements",
            vide="Aucun événement : vos demandes apparaîtront ici.",
            hauteur_variable=True,
            id="suivi-tic-evenements",
        )
        with Horizontal(classes="barre-actions"):
            yield Button("Actualiser", id="suivi-tic-actualiser")

    def on_show(self) -> None:
        self.action_actualiser()

    @on(Button.Pressed, "#suivi-tic-actualiser")
    def _actualiser(self) -> None:
        self.action_actualiser()

    @work(exclusive=True, group="suivi-tic")
    async def action_actualiser(self) -> None:
        app = chorus(self)
        if app.session is None:
            return
        try:
            evenements = await app.appeler(app.services.tic.suivi, app.utilisateur_id)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        self._demandes = {}
        rangees: list[tuple[str, tuple[Cellule, ...]]] = []
        for rang, evenement in enumerate(evenements):
            cle = f"{rang}"
            self._demandes[cle] = evenement.demande_id
            rangees.append((cle, rangee_suivi(evenement)))
        self.query_one(TableauPagine).remplir(rangees)
        self.charge = True

    @on(DataTable.RowSelected)
    def _ouvrir(self, evenement: DataTable.RowSelected) -> None:
        from chorus.adapters.tui.ecrans.demande_tic import EcranDemandeTic

        evenement.stop()
        demande_id = self._demandes.get(evenement.row_key.value or "")
        if demande_id is not None:
            self.app.push_screen(EcranDemandeTic(demande_id))
