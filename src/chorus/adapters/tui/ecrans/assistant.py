"""F5 « Assistant virtuel ClaudIA »: a panel over any screen, signed in or not. The user asks
a question in French; the answers of the FAQ come with their guide sections (opened in a
Markdown viewer); when the assistant does not know, « Créer un ticket » hands the question to
the support's ticket creation (`TicketPropose`, handled by the application)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Markdown, Static

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, montrer_erreur
from chorus.adapters.tui.messages import TicketPropose
from chorus.adapters.tui.noyau import chorus
from chorus.domain.errors import DomainError
from chorus.services.assistant import LienReponse, Reponse, ReponseFaq

MESSAGE_CONNEXION = (
    "Connectez-vous d'abord : un ticket se crée depuis votre compte. Fermez l'assistant "
    "(Échap), connectez-vous, puis reposez votre question (F5)."
)
MESSAGE_AGENT = (
    "Les tickets d'assistance se créent depuis un compte de prestataire ; les agents les "
    "traitent depuis la file du support (F6)."
)


class CarteReponse(Vertical):
    """One answer: the FAQ's question, its answer, the confidence and the guide links."""

    DEFAULT_CSS = """
    CarteReponse { height: auto; margin-bottom: 1; border-bottom: hkey $primary-background; }
    CarteReponse > .question-faq { text-style: bold; color: $accent; }
    CarteReponse > .confiance { color: $text-muted; }
    CarteReponse .liens-guide { height: auto; }
    CarteReponse .liens-guide Button { margin-right: 1; }
    """

    def __init__(self, rang: int, reponse: ReponseFaq) -> None:
        super().__init__(id=f"reponse-{rang}", classes="reponse-assistant")
        self.reponse = reponse
        self.liens: dict[str, LienReponse] = {
            f"lien-{rang}-{n}": lien for n, lien in enumerate(reponse.liens)
        }

    def compose(self) -> ComposeResult:
        yield Static(self.reponse.question, classes="question-faq", markup=False)
        yield Static(self.reponse.reponse, classes="texte-reponse", markup=False)
        yield Static(f"Confiance : {self.reponse.score:.0%}", classes="confiance")
        with Horizontal(classes="liens-guide"):
            for ident, lien in self.liens.items():
                yield Button(f"Guide : {lien.titre}", id=ident, classes="lien-guide")


class EcranAssistant(ModalScreen[None]):
    """The assistant's panel."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Fermer")]
    DEFAULT_CSS = """
    EcranAssistant { align: center middle; }
    EcranAssistant > #assistant-cadre {
        width: 90%; max-width: 110; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    EcranAssistant .titre { text-style: bold; }
    EcranAssistant .boutons { height: auto; }
    EcranAssistant .boutons Button { margin-right: 1; }
    EcranAssistant #assistant-message { margin: 1 0 0 0; }
    EcranAssistant #assistant-reponses { height: 1fr; }
    EcranAssistant #creer-ticket { display: none; }
    EcranAssistant.ticket-propose #creer-ticket { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.reponse: Reponse | None = None
        """The last answer shown (what a test waits on)."""
        self.question_posee = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="assistant-cadre"):
            yield Static("Assistant virtuel ClaudIA", classes="titre")
            yield Static(
                "Posez votre question en quelques mots (accents et fautes de frappe tolérés). "
                "Entrée pour demander, Échap pour fermer.",
                classes="aide",
            )
            yield Champ(
                "Votre question",
                "question",
                Input(placeholder="Exemple : comment dupliquer un mémoire refusé ?"),
            )
            with Horizontal(classes="boutons"):
                yield Button("Demander", id="demander", variant="primary")
                yield Button("Créer un ticket", id="creer-ticket", variant="warning")
                yield Button("Fermer", id="fermer")
            yield ErreurGenerale()
            yield Static("", id="assistant-message", markup=False)
            yield VerticalScroll(id="assistant-reponses")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.preparer()

    @work(thread=True, group="assistant-preparation")
    def preparer(self) -> None:
        # The FAQ's index is built while the user types the first question.
        chorus(self).services.assistant.preparer()

    @on(Input.Submitted)
    @on(Button.Pressed, "#demander")
    def demander(self) -> None:
        self.interroger(self.query_one(Input).value)

    @work(exclusive=True, group="assistant")
    async def interroger(self, question: str) -> None:
        app = chorus(self)
        cadre = self.query_one("#assistant-cadre")
        reponse = await app.tenter(cadre, app.services.assistant.repondre, question)
        if reponse is None:
            return
        self.question_posee = question
        liste = self.query_one("#assistant-reponses", VerticalScroll)
        await liste.remove_children()
        await liste.mount_all(CarteReponse(n, r) for n, r in enumerate(reponse.reponses))
        self.query_one("#assistant-message", Static).update(reponse.message)
        self.set_class(reponse.proposer_ticket, "ticket-propose")
        self.reponse = reponse

    @on(Button.Pressed, ".lien-guide")
    def ouvrir_lien(self, evenement: Button.Pressed) -> None:
        for carte in self.query(CarteReponse):
            lien = carte.liens.get(evenement.button.id or "")
            if lien is not None:
                self.app.push_screen(EcranGuide(lien.page, lien.ancre))
                return

    @on(Button.Pressed, "#creer-ticket")
    def creer_ticket(self) -> None:
        if self.reponse is None or not self.reponse.proposer_ticket:
            return
        session = chorus(self).session
        if session is None or session.est_agent:
            # Decided here, before the panel and the question are gone.
            message = MESSAGE_CONNEXION if session is None else MESSAGE_AGENT
            self.query_one("#assistant-message", Static).update(message)
            self.notify(message, severity="warning", timeout=8)
            return
        # Posted to the application, which opens the ticket's creation over what remains
        # once this panel is gone.
        self.app.post_message(TicketPropose(self.question_posee))
        self.dismiss()

    @on(Button.Pressed, "#fermer")
    def fermer(self) -> None:
        self.dismiss()


class EcranGuide(ModalScreen[None]):
    """A section of the user guide, or its whole page, in a Markdown viewer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Fermer")]
    DEFAULT_CSS = """
    EcranGuide { align: center middle; }
    EcranGuide > #guide-cadre {
        width: 90%; max-width: 110; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    EcranGuide #guide-texte { height: 1fr; }
    EcranGuide .boutons { height: auto; }
    EcranGuide .boutons Button { margin-right: 1; }
    """

    def __init__(self, page: str, ancre: str) -> None:
        super().__init__()
        self.page = page
        self.ancre = ancre
        self.markdown: str | None = None
        """The Markdown shown (what a test waits on)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="guide-cadre"):
            with VerticalScroll(id="guide-texte"):
                yield Markdown("", open_links=False)
            with Horizontal(classes="boutons"):
                yield Button("Page entière", id="page-entiere")
                yield Button("Fermer", id="fermer-guide")

    def on_mount(self) -> None:
        self.charger(entiere=False)

    @work(exclusive=True, group="guide")
    async def charger(self, *, entiere: bool) -> None:
        app = chorus(self)
        try:
            if entiere:
                texte = (await app.appeler(app.services.assistant.page, self.page)).markdown
            else:
                section = await app.appeler(app.services.assistant.section, self.page, self.ancre)
                texte = section.markdown
        except DomainError as erreur:
            montrer_erreur(self, erreur)
            self.notify(erreur.message, severity="error", timeout=8)
            return
        await self.query_one(Markdown).update(texte)
        self.markdown = texte

    @on(Button.Pressed, "#page-entiere")
    def page_entiere(self) -> None:
        self.charger(entiere=True)

    @on(Button.Pressed, "#fermer-guide")
    def fermer(self) -> None:
        self.dismiss()
