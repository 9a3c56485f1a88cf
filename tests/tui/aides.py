"""Driving the terminal UI in tests: the application on a test world, sign-in, waiting for
the worker threads, filling fields."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TabbedContent

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.formulaires import id_champ, id_erreur
from chorus.adapters.tui.services import ServicesTui
from chorus.bootstrap import Chorus
from chorus.domain.memoire import Memoire
from tests.monde import Monde

if TYPE_CHECKING:
    from chorus.adapters.tui.ecrans.memoire import EcranMemoire

MOT_DE_PASSE = "Terminal-Chorus-2024"
TAILLE = (140, 45)


def services_tui(chorus: Chorus) -> ServicesTui:
    return ServicesTui(
        comptes=chorus.comptes,
        utilisateurs=chorus.utilisateurs,
        structures=chorus.structures,
        memoires=chorus.memoires,
        traitement=chorus.traitement,
        consultation=chorus.consultation,
        documents=chorus.documents,
        tic=chorus.tic,
        instruction_tic=chorus.instruction_tic,
        inscription_tic=chorus.inscription_tic,
        assistant=chorus.assistant,
        actualites=chorus.actualites,
        activite=chorus.activite,
        cycle_de_vie=chorus.cycle_de_vie,
        tickets=chorus.tickets,
        support=chorus.support,
        flux=chorus.flux,
        lots_statuts=chorus.lots_statuts,
        referentiels=chorus.ports.referentiels,
        clock=chorus.ports.clock,
    )


def application(monde: Monde) -> ChorusApp:
    """The terminal UI on the world, every user of which signs in with `MOT_DE_PASSE`."""
    for utilisateur in (
        monde.gestionnaire,
        monde.modificateur,
        monde.consultant,
        monde.sans_habilitation,
        monde.service_psy,
        monde.etranger,
        monde.agent,
        monde.agent_ailleurs,
        monde.comptable,
    ):
        monde.chorus.comptes.definir_mot_de_passe(utilisateur.id, MOT_DE_PASSE)
    return ChorusApp(services_tui(monde.chorus))


async def attendre(
    pilot: Pilot[None], condition: Callable[[], bool], *, delai: float = 30.0
) -> None:
    """Let the application work (worker threads included) until `condition` holds."""
    boucle = asyncio.get_running_loop()
    fin = boucle.time() + delai
    while True:
        await pilot.pause()
        if condition():
            return
        if boucle.time() > fin:
            messages = [str(z.render()) for z in pilot.app.screen.query(".erreur.visible")]
            raise AssertionError(
                f"condition jamais remplie ; écran : {pilot.app.screen!r} ; erreurs : {messages}"
            )
        await asyncio.sleep(0.02)


async def cliquer(pilot: Pilot[None], selecteur: str) -> None:
    """Press the button `selecteur` of the current screen. Unlike a mouse click at its place
    on the screen, it cannot land on a notification covering it in a slow run."""
    from textual.widgets import Button

    pilot.app.screen.query_one(selecteur, Button).press()
    await pilot.pause()


async def saisir(pilot: Pilot[None], champ: str, texte: str) -> None:
    """Replace the text of the field the domain names `champ`."""
    saisie = pilot.app.screen.query_one(f"#{id_champ(champ)}", Input)
    saisie.value = texte
    await pilot.pause()


def erreur_de(pilot: Pilot[None], champ: str) -> str:
    """The refusal written under the field `champ` ('' when none)."""
    from textual.widgets import Static

    return str(pilot.app.screen.query_one(f"#{id_erreur(champ)}", Static).render())


async def connecter(pilot: Pilot[None], email: str, mot_de_passe: str = MOT_DE_PASSE) -> None:
    """Sign in from the login screen and wait until it is gone."""
    from chorus.adapters.tui.ecrans.connexion import EcranConnexion

    app = pilot.app
    assert isinstance(app, ChorusApp)
    await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
    await saisir(pilot, "email", email)
    await saisir(pilot, "mot_de_passe", mot_de_passe)
    await cliquer(pilot, "#se-connecter")
    # Until the next screen is mounted, not just on the stack: a test touching its widgets
    # earlier may fail and quit the application while its tabs are still being mounted.
    await attendre(
        pilot,
        lambda: (
            app.session is not None
            and not isinstance(app.screen, EcranConnexion)
            and app.screen.is_mounted
        ),
    )


async def ouvrir_detail(pilot: Pilot[None], memoire: Memoire) -> EcranMemoire:
    """Open the prestataire's detail of `memoire` and wait until it is shown."""
    from chorus.adapters.tui.ecrans.memoire import EcranMemoire

    app = pilot.app
    assert isinstance(app, ChorusApp)
    app.ouvrir_memoire(memoire.id)
    await attendre(
        pilot,
        lambda: (
            isinstance(app.screen, EcranMemoire)
            and app.screen.memoire is not None
            and app.screen.memoire.id == memoire.id
        ),
    )
    assert isinstance(app.screen, EcranMemoire)
    return app.screen


async def ouvrir_onglet(pilot: Pilot[None], onglet: str) -> None:
    """Bring the tab `onglet` of the mémoire space forward."""
    pilot.app.screen.query_one(TabbedContent).active = onglet
    await pilot.pause()


def cles(pilot: Pilot[None], ident: str) -> list[str | None]:
    """The keys (mémoire ids, numbers…) of the rows a table shows, top to bottom."""
    t = pilot.app.screen.query_one(f"#{ident}", DataTable)
    return [t.coordinate_to_cell_key(Coordinate(i, 0)).row_key.value for i in range(t.row_count)]
