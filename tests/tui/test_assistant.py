"""F5 « Assistant virtuel ClaudIA » in the terminal: from the sign-in screen and once signed
in, a question answered with its guide section opened in the Markdown viewer; a question it
does not know offers « Créer un ticket », which asks to sign in first, then posts
`TicketPropose` with the question."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Markdown, Static

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.assistant import (
    MESSAGE_AGENT,
    MESSAGE_CONNEXION,
    CarteReponse,
    EcranAssistant,
    EcranGuide,
)
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.messages import TicketPropose
from tests.monde import construire_monde
from tests.tui.aides import TAILLE, application, attendre, cliquer, connecter

pytestmark = pytest.mark.anyio

INCONNUE = "Quelle est la recette de la tarte aux pommes ?"


class AppTemoin(ChorusApp):
    """The application, keeping the tickets the assistant proposes."""

    proposes: list[str]

    def on_ticket_propose(self, message: TicketPropose) -> None:
        self.proposes.append(message.question)


def _panneau(pilot: Pilot[Any]) -> EcranAssistant:
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranAssistant)
    return ecran


async def _demander(pilot: Pilot[Any], question: str) -> EcranAssistant:
    panneau = _panneau(pilot)
    panneau.reponse = None
    panneau.query_one(Input).value = question
    await pilot.press("enter")
    await attendre(pilot, lambda: panneau.reponse is not None)
    return panneau


def _message(pilot: Pilot[Any]) -> str:
    return str(pilot.app.screen.query_one("#assistant-message", Static).render())


async def test_f5_avant_la_connexion_repond_et_ouvre_le_guide() -> None:
    monde = construire_monde()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        await pilot.press("f5")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAssistant))

        panneau = await _demander(pilot, "j'ai oublie mon mot de pase")
        assert panneau.reponse is not None
        assert not panneau.reponse.proposer_ticket
        cartes = list(panneau.query(CarteReponse))
        assert cartes[0].reponse.id == "mot-de-passe-oublie"
        assert not panneau.query_one("#creer-ticket", Button).display
        # The first guide link opens its section in the Markdown viewer.
        await cliquer(pilot, "#lien-0-0")
        await attendre(
            pilot, lambda: isinstance(app.screen, EcranGuide) and app.screen.markdown is not None
        )
        guide = app.screen
        assert isinstance(guide, EcranGuide)
        assert guide.markdown is not None
        assert guide.markdown.startswith("## Mot de passe oublié")
        assert "question secrète" in guide.query_one(Markdown).source
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAssistant))

        # Unknown: « Créer un ticket » asks to sign in first.
        panneau = await _demander(pilot, INCONNUE)
        assert "ne connais pas" in _message(pilot)
        assert panneau.query_one("#creer-ticket", Button).display
        await cliquer(pilot, "#creer-ticket")
        assert _message(pilot) == MESSAGE_CONNEXION
        assert isinstance(app.screen, EcranAssistant)

        # An empty question is refused under the field.
        panneau.query_one(Input).value = "   "
        await pilot.press("enter")
        await attendre(pilot, lambda: "vide" in str(panneau.query_one(".erreur.visible").render()))
        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))


async def test_f5_une_fois_connecte_propose_le_ticket_avec_la_question() -> None:
    monde = construire_monde()
    # The world's users get their passwords; the same use cases drive the witness app.
    app = AppTemoin(application(monde).services)
    app.proposes = []
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        await pilot.press("f5")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAssistant))
        panneau = await _demander(pilot, INCONNUE)
        assert panneau.reponse is not None
        assert panneau.reponse.proposer_ticket
        await cliquer(pilot, "#creer-ticket")
        await attendre(pilot, lambda: app.proposes == [INCONNUE])
        # The panel is gone; the application opens the ticket's creation (the support's).
        await attendre(pilot, lambda: not isinstance(app.screen, EcranAssistant))


async def test_f1_mene_a_l_assistant_et_au_support_la_ou_f5_et_f6_sont_pris() -> None:
    """The structure screen gives F5 « Actualiser » and F6 « Mes structures »: there, F1
    leads to the assistant and the support, through its keys and its buttons."""
    from chorus.adapters.tui.ecrans.aide import EcranAide
    from chorus.adapters.tui.ecrans.structure import EcranMesStructures, EcranStructure
    from chorus.adapters.tui.ecrans.support import EspaceSupport

    monde = construire_monde()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        await pilot.press("f3")
        await attendre(pilot, lambda: isinstance(app.screen, EcranStructure))
        structure = app.screen

        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAide))
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceSupport))
        # The help is gone: the support opened over the screen F1 came from.
        assert app.screen_stack[-2] is structure
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is structure)

        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAide))
        await cliquer(pilot, "#aide-assistant")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAssistant))
        assert app.screen_stack[-2] is structure
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is structure)

        # Outside the help, the screen's own F6 still does its own action.
        await pilot.press("f6")
        await attendre(pilot, lambda: isinstance(app.screen, EcranMesStructures))


async def test_un_agent_ne_perd_ni_le_panneau_ni_sa_question() -> None:
    """Tickets are opened by prestataires: an agent is told so on the panel, which stays."""
    monde = construire_monde()
    app = AppTemoin(application(monde).services)
    app.proposes = []
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        await pilot.press("f1")
        await cliquer(pilot, "#aide-assistant")
        await attendre(pilot, lambda: isinstance(app.screen, EcranAssistant))
        panneau = await _demander(pilot, INCONNUE)
        await cliquer(pilot, "#creer-ticket")
        assert _message(pilot) == MESSAGE_AGENT
        assert app.screen is panneau
        assert panneau.query_one(Input).value == INCONNUE
        assert app.proposes == []
