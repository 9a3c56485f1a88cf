"""« Créer une demande » — the portal's « Gestion des demandes » block: « Créer une nouvelle
demande », « Rechercher », and the drafts saved so far, each entirely modifiable (Entrée)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import PAR_PAGE, noms_des_structures
from chorus.adapters.tui.onglets.tic_recherche import TableDemandesTic
from chorus.domain.errors import DomainError
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.requetes import Pagination
from chorus.ports.tic import CleDeTriTic, FiltresDemandeTic, TriTic


class OngletGestionTic(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "creer", "Créer une nouvelle demande"),
        Binding("f5", "actualiser", "Actualiser"),
    ]
    DEFAULT_CSS = """
    OngletGestionTic { padding: 0 1; }
    OngletGestionTic > .titre { margin-bottom: 0; }
    OngletGestionTic > .sous-titre { text-style: bold; color: $accent; margin: 1 0 0 0; }
    """

    def __init__(self, rechercher: Callable[[], None], *, id: str) -> None:
        super().__init__(id=id)
        self._rechercher = rechercher
        self.charge = False

    def compose(self) -> ComposeResult:
        yield Static("Gestion des demandes", classes="titre")
        yield Static(
            "Créez une demande de remboursement partiel de TIC/TICGN : en-tête, une ligne par "
            "facture, pièces justificatives, puis « Envoyer ». Une demande enregistrée en "
            "brouillon reste entièrement modifiable ; une fois envoyée, elle ne l'est plus.",
            classes="aide",
        )
        with Horizontal(classes="barre-actions"):
            yield Button("Créer une nouvelle demande", id="gestion-tic-creer", variant="primary")
            yield Button("Rechercher", id="gestion-tic-rechercher")
        yield Static(
            "DEMANDES EN BROUILLON (Entrée pour reprendre la saisie)", classes="sous-titre"
        )
        yield TableDemandesTic(id="gestion-tic-brouillons")
        yield Static("", id="gestion-tic-vide", classes="aide")

    def on_show(self) -> None:
        self.action_actualiser()

    @work(exclusive=True, group="gestion-tic")
    async def action_actualiser(self) -> None:
        app = chorus(self)
        if app.session is None:
            return
        try:
            page = await app.appeler(
                app.services.tic.rechercher,
                app.utilisateur_id,
                FiltresDemandeTic(statuts=frozenset({StatutDemandeTic.BROUILLON})),
                TriTic(CleDeTriTic.DATE_CREATION, descendant=True),
                Pagination(1, PAR_PAGE),
            )
            noms = await noms_des_structures(app)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        table = self.query_one(TableDemandesTic)
        table.afficher(page.elements, noms)
        table.display = bool(page.elements)
        self.query_one("#gestion-tic-vide", Static).update(
            "" if page.elements else "Aucune demande en brouillon."
        )
        self.charge = True

    @on(Button.Pressed, "#gestion-tic-creer")
    def action_creer(self) -> None:
        from chorus.adapters.tui.ecrans.saisie_tic import EcranSaisieTic

        self.app.push_screen(EcranSaisieTic())

    @on(Button.Pressed, "#gestion-tic-rechercher")
    def _rechercher_bouton(self) -> None:
        self._rechercher()

    @on(DataTable.RowSelected, "#gestion-tic-brouillons")
    def _reprendre(self, evenement: DataTable.RowSelected) -> None:
        from chorus.adapters.tui.ecrans.saisie_tic import EcranSaisieTic

        evenement.stop()
        if evenement.row_key.value is not None:
            self.app.push_screen(EcranSaisieTic(evenement.row_key.value))
