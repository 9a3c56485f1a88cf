"""The support portal (F6): for a user, « Accueil portail de support » with « Créer un ticket »
and « Tickets émis » in two tabs, « Actions requises » and « Tous (sauf clôturés) »; for an
agent of the back office, the queue of the tickets routed to them."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static, TabbedContent, TabPane

from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.widgets.tickets import ListeTickets
from chorus.domain.errors import DomainError
from chorus.domain.support.acces import perimetre_support
from chorus.domain.support.referentiel import Destinataire
from chorus.ports.support import OngletTicket

ACTIONS_REQUISES = "tickets-actions-requises"
TOUS = "tickets-tous"


class EspaceSupport(Screen[None]):
    """« Accueil portail de support » of a user: their structures' tickets, and a new one."""

    TITLE = "Support – Accueil portail de support"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "retour", "Retour"),
        Binding("ctrl+n", "creer", "Créer un ticket"),
    ]
    DEFAULT_CSS = """
    EspaceSupport #accueil-support { height: auto; padding: 0 1; }
    EspaceSupport #accueil-support .barre-actions { margin: 0; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="accueil-support"):
            yield Static(
                "Retrouvez vos tickets émis et ceux de vos structures ; créez un ticket pour "
                "toute question propre à votre compte, à votre structure, à un mémoire ou à "
                "une demande de remboursement TIC/TICGN.",
                classes="aide",
            )
            with Horizontal(classes="barre-actions"):
                yield Button("Créer un ticket", id="creer-ticket", variant="primary")
            yield Static("Tickets émis", classes="titre")
        with TabbedContent(id="onglets-tickets", initial=ACTIONS_REQUISES):
            with TabPane(OngletTicket.ACTIONS_REQUISES.libelle, id=ACTIONS_REQUISES):
                yield ListeTickets(
                    "tar", onglet=OngletTicket.ACTIONS_REQUISES, id="liste-actions-requises"
                )
            with TabPane(OngletTicket.TOUS.libelle, id=TOUS):
                yield ListeTickets("tto", onglet=OngletTicket.TOUS, id="liste-tous")
        yield Footer()

    def on_screen_resume(self) -> None:
        # Back from a ticket (answered, closed…): the tab in front shows the change.
        for liste in self.query(ListeTickets):
            if liste.criteres is not None:
                liste.recharger()

    def liste(self, onglet: str) -> ListeTickets:
        """The list of the tab `onglet` (a TabPane id)."""
        return self.query_one(TabbedContent).get_pane(onglet).query_one(ListeTickets)

    def montrer(self, onglet: str) -> None:
        self.set_focus(None)
        self.query_one(TabbedContent).active = onglet

    def action_retour(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def action_creer(self) -> None:
        from chorus.adapters.tui.ecrans.creer_ticket import EcranCreerTicket

        self.app.push_screen(EcranCreerTicket())

    @on(Button.Pressed, "#creer-ticket")
    def _creer(self) -> None:
        self.action_creer()


class EcranFileSupport(Screen[None]):
    """The back office's queue: the tickets routed to the agent (by default those waiting
    for them), filtered by status, destinataire and keywords."""

    TITLE = "Support – File des tickets"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "retour", "Retour")]

    def _destinataires(self) -> tuple[Destinataire, ...]:
        """The destinataires the agent answers: only those are worth a filter."""
        session = chorus(self).session
        if session is None:
            return ()
        try:
            perimetre = perimetre_support(session.utilisateur)
        except DomainError:
            return ()
        return tuple(
            d
            for d in Destinataire
            if perimetre.destinataires is None or d in perimetre.destinataires
        )

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Tickets d'assistance adressés à votre service ; Entrée ouvre le ticket choisi.",
            classes="aide",
        )
        yield ListeTickets(
            "file-support", agent=True, destinataires=self._destinataires(), id="file-support"
        )
        yield Footer()

    def on_screen_resume(self) -> None:
        liste = self.query_one(ListeTickets)
        if liste.criteres is not None:
            liste.recharger()

    def action_retour(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
