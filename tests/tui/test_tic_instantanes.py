"""Snapshots of the TIC/TICGN screens (pytest-textual-snapshot), on the in-memory TIC world
with its fixed clock and sequential ids. After a deliberate change of a screen:
``pytest tests/tui/test_tic_instantanes.py --snapshot-update``, then look at the SVGs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, LoadingIndicator

from chorus.adapters.tui.ecrans.espace_tic import EspaceTic
from chorus.adapters.tui.ecrans.inscription_tic import EcranInscriptionTic
from chorus.adapters.tui.ecrans.ligne_tic import FenetreLigneTic
from chorus.adapters.tui.ecrans.saisie_tic import EcranSaisieTic
from chorus.adapters.tui.onglets.tic_suivi import OngletSuiviTic
from chorus.domain.tic.bareme import ProduitTic
from tests.tui.aides import TAILLE, attendre, connecter
from tests.tui.tic_pilote import (
    application_tic,
    choisir,
    construire_monde_tic,
    ecrire,
    presser,
    texte,
)

Comparer = Callable[..., bool]


async def _sans_chargement(pilot: Pilot[Any]) -> None:
    """Until every worker is done and no loading indicator is left; the text cursors stop
    blinking, or the picture would depend on the instant it is taken."""
    await attendre(pilot, lambda: not pilot.app.screen.query(LoadingIndicator))
    await pilot.app.workers.wait_for_complete()
    await attendre(pilot, lambda: not pilot.app.screen.query(LoadingIndicator))
    for saisie in pilot.app.screen.query(Input):
        saisie.cursor_blink = False
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


def _avant(
    etape: Callable[[Pilot[Any]], Awaitable[None]],
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def executer(pilot: Pilot[Any]) -> None:
        await etape(pilot)
        await _sans_chargement(pilot)

    return executer


def test_espace_tic_mon_suivi(snap_compare: Comparer) -> None:
    monde = construire_monde_tic()
    monde.rejetee()
    monde.brouillon(2021)

    async def suivi(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EspaceTic))
        onglet = pilot.app.screen.query_one(OngletSuiviTic)
        await attendre(pilot, lambda: onglet.charge)

    assert snap_compare(application_tic(monde), terminal_size=TAILLE, run_before=_avant(suivi))


def test_saisie_d_une_ligne_de_demande(snap_compare: Comparer) -> None:
    monde = construire_monde_tic()
    brouillon = monde.brouillon(2019)

    async def ligne(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.agriculteur.email)
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EspaceTic))
        pilot.app.push_screen(EcranSaisieTic(brouillon.id))
        await attendre(
            pilot, lambda: isinstance(pilot.app.screen, EcranSaisieTic) and pilot.app.screen.pret
        )
        await presser(pilot, "#saisie-tic-suivant")
        await presser(pilot, "#ligne-tic-ajouter")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, FenetreLigneTic))
        ecrire(pilot, "numero_facture", "F-2019-077")
        ecrire(pilot, "fournisseur", "Coopérative du Maine")
        ecrire(pilot, "date_livraison", "02/09/2019")
        choisir(pilot, "produit", ProduitTic.GAZOLE_NON_ROUTIER.value)
        ecrire(pilot, "quantite", "1234,56")
        await attendre(pilot, lambda: "184,69 €" in texte(pilot, "#apercu-ligne-tic"))
        # The notices of the steps fade after a few seconds: not in the picture.
        pilot.app.clear_notifications()

    assert snap_compare(application_tic(monde), terminal_size=TAILLE, run_before=_avant(ligne))


def test_inscription_tic(snap_compare: Comparer) -> None:
    monde = construire_monde_tic()

    async def inscription(pilot: Pilot[Any]) -> None:
        await presser(pilot, "#inscription-tic")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranInscriptionTic))
        ecran = pilot.app.screen
        assert isinstance(ecran, EcranInscriptionTic)
        await attendre(pilot, lambda: ecran._captcha is not None)

    assert snap_compare(
        application_tic(monde), terminal_size=TAILLE, run_before=_avant(inscription)
    )
