"""Snapshot of the « Dépôt flux » tab showing a report (pytest-textual-snapshot), on the
in-memory world with its fixed clock and sequential ids. After a deliberate change:
``pytest tests/tui/test_depot_flux_instantanes.py --snapshot-update``, then look at the SVG."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.onglets.depot_flux import ONGLET, OngletDepotFlux
from chorus.domain.flux.flux import FormatFlux
from tests.monde import construire_monde
from tests.services.flux_aides import fichier_json, ligne_flux, memoire_flux
from tests.tui.aides import TAILLE, application, attendre, connecter

Comparer = Callable[..., bool]


def test_onglet_depot_flux_avec_un_rapport(snap_compare: Comparer) -> None:
    monde = construire_monde()
    flux = monde.chorus.flux.deposer(
        monde.gestionnaire.id,
        structure_id=monde.structure.id,
        format=FormatFlux.JSON,
        nom_fichier="memoires-juin.json",
        contenu=fichier_json(
            [
                memoire_flux("CAB-2024-001"),
                memoire_flux(
                    "CAB-2024-002",
                    lignes=[ligne_flux(1, quantite="-2"), ligne_flux(2, date_prestation="hier")],
                    iban="FR7630006000019999999999999",
                ),
                memoire_flux("CAB-2024-003"),
            ]
        ),
    )
    monde.chorus.flux.traiter(flux.numero)

    async def rapport(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.gestionnaire.email)
        espace = pilot.app.screen
        assert isinstance(espace, EspaceMemoires)
        espace.montrer(ONGLET)
        onglet = espace.query_one(OngletDepotFlux)
        # The tab's widgets are composed once it is shown.
        await attendre(pilot, lambda: bool(espace.query("#flux-historique")))
        historique = espace.query_one("#flux-historique", DataTable)
        await attendre(pilot, lambda: historique.row_count == 1)
        historique.focus()
        await pilot.press("enter")
        await attendre(pilot, lambda: len(onglet.rapport) == 3)
        await pilot.app.workers.wait_for_complete()
        for saisie in espace.query(Input):
            saisie.cursor_blink = False
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=rapport)
