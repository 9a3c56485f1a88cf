"""Snapshots of the actualités (pytest-textual-snapshot): the F7 screen and the sign-in
screen's panel, on the in-memory world with its fixed clock and sequential ids. After a
deliberate change: ``pytest tests/tui/test_actualites_instantanes.py --snapshot-update``,
then look at the SVGs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Markdown

from chorus.adapters.tui.ecrans.actualites import EcranActualites
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.widgets.actualites import PanneauActualites
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.services.demo_actualites import _ACTUALITES
from tests.monde import AUJOURDHUI, Monde, construire_monde
from tests.tui.aides import TAILLE, application, attendre

Comparer = Callable[..., bool]


def _monde_des_actualites() -> Monde:
    """The demo's three items, at fixed dates (the recent ones counted from the world's
    fixed clock)."""
    monde = construire_monde()
    for titre, corps, jour in _ACTUALITES:
        if isinstance(jour, int):
            jour = AUJOURDHUI - timedelta(days=jour)
        monde.horloge.regler(datetime.combine(jour, time(9, 0), tzinfo=FUSEAU_PORTAIL))
        monde.chorus.actualites.publier_en_exploitation(titre, corps)
    return monde


async def _stable(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    for saisie in pilot.app.screen.query(Input):
        saisie.cursor_blink = False
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


def test_ecran_des_actualites(snap_compare: Comparer) -> None:
    monde = _monde_des_actualites()

    async def actualites(pilot: Pilot[Any]) -> None:
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranConnexion))
        await pilot.press("f7")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranActualites))
        ecran = pilot.app.screen
        assert isinstance(ecran, EcranActualites)
        await attendre(pilot, lambda: ecran.charge)
        await attendre(pilot, lambda: all(m.children for m in ecran.query(Markdown)))
        await _stable(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=actualites)


def test_panneau_des_actualites_a_la_connexion(snap_compare: Comparer) -> None:
    monde = _monde_des_actualites()

    async def connexion(pilot: Pilot[Any]) -> None:
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranConnexion))
        panneau = pilot.app.screen.query_one(PanneauActualites)
        await attendre(pilot, lambda: panneau.charge)
        await _stable(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=connexion)
