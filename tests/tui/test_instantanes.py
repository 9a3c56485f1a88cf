"""Snapshots of the main screens (pytest-textual-snapshot), on a world with a fixed clock and
sequential ids, so that every run draws the same screen. After a deliberate change of a
screen: ``pytest tests/tui/test_instantanes.py --snapshot-update``, then look at the SVGs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from chorus.adapters.tui.ecrans.aide import EcranAide
from tests.monde import Monde, construire_monde
from tests.tui.aides import MOT_DE_PASSE, TAILLE, application, attendre, connecter, saisir

Comparer = Callable[..., bool]


@pytest.fixture
def monde() -> Monde:
    """Always the in-memory world: the snapshot is of the screen, not of the storage."""
    return construire_monde()


def _avant(
    *etapes: Callable[[Pilot[Any]], Awaitable[None]],
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def executer(pilot: Pilot[Any]) -> None:
        for etape in etapes:
            await etape(pilot)
        await pilot.pause()

    return executer


def test_connexion(snap_compare: Comparer, monde: Monde) -> None:
    assert snap_compare(application(monde), terminal_size=TAILLE)


def test_connexion_refusee(snap_compare: Comparer, monde: Monde) -> None:
    async def refuser(pilot: Pilot[Any]) -> None:
        await saisir(pilot, "email", monde.gestionnaire.email)
        await saisir(pilot, "mot_de_passe", MOT_DE_PASSE + "x")
        await pilot.click("#se-connecter")
        await attendre(pilot, lambda: bool(pilot.app.screen.query(".erreur.visible")))

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=_avant(refuser))


def test_aide(snap_compare: Comparer, monde: Monde) -> None:
    async def aide(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.gestionnaire.email)
        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranAide))

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=_avant(aide))
