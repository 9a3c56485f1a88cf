"""The confirmation asked before a mémoire is sent (« Confirmation d'envoi »)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from chorus.domain.montants import en_francais

AVERTISSEMENT = (
    "Toute escroquerie vous expose à une peine d'emprisonnement pouvant aller jusqu'à 5 ans "
    "et à une peine d'amende de 375 000 €.\n"
    "Tout faux et usage de faux vous exposent à une peine d'emprisonnement pouvant aller "
    "jusqu'à 3 ans et à une peine d'amende de 45 000 €.\n"
    "En validant le présent mémoire vous en attestez sur l'honneur la sincérité en ce qui "
    "concerne les informations saisies."
)


class ConfirmationEnvoi(ModalScreen[bool]):
    """Answers True when the user confirms the sending, False otherwise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "confirmer", "Confirmer et envoyer"),
        Binding("escape", "annuler", "Annuler"),
    ]
    DEFAULT_CSS = """
    ConfirmationEnvoi { align: center middle; }
    ConfirmationEnvoi #confirmation-envoi { width: 90; height: auto; }
    ConfirmationEnvoi #confirmation-objet { margin-bottom: 1; }
    ConfirmationEnvoi #confirmation-avertissement { color: $warning; }
    """

    def __init__(self, numero: str, net_a_payer: Decimal, juridiction: str) -> None:
        super().__init__()
        self._numero = numero
        self._net_a_payer = net_a_payer
        self._juridiction = juridiction

    def compose(self) -> ComposeResult:
        with Vertical(id="confirmation-envoi", classes="carte"):
            yield Static("Confirmation d'envoi", classes="titre")
            yield Static(
                f"Vous allez transmettre le mémoire n°{self._numero} d'un montant net de "
                f"{en_francais(self._net_a_payer)} EUR à : {self._juridiction}. Une fois "
                "envoyé, il ne pourra plus être modifié.",
                id="confirmation-objet",
                markup=False,
            )
            yield Static(AVERTISSEMENT, id="confirmation-avertissement")
            with Horizontal(classes="barre-actions"):
                yield Button("Confirmer et envoyer", id="confirmer-envoi", variant="success")
                yield Button("Annuler", id="annuler-envoi")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirmer-envoi", Button).focus()

    def action_confirmer(self) -> None:
        self.dismiss(True)

    def action_annuler(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirmer-envoi")
    def _confirmer(self) -> None:
        self.action_confirmer()

    @on(Button.Pressed, "#annuler-envoi")
    def _annuler(self) -> None:
        self.action_annuler()
