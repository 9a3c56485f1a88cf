"""The dépôts flux of the in-memory store: dicts of the unit of work's state, searched by
scan in the ports' reference semantics (see `storage.flux`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from chorus.adapters.storage.flux import FluxParParcours
from chorus.domain.flux.flux import Flux, ReferenceIntegree, ResultatReference
from chorus.domain.memoire import Memoire

if TYPE_CHECKING:
    from chorus.adapters.storage.memory.stockage import UniteDeTravailEnMemoire


class DepotFlux(FluxParParcours):
    def __init__(self, uow: UniteDeTravailEnMemoire) -> None:
        self._uow = uow

    def _tous(self) -> Iterable[Flux]:
        return self._uow.etat.flux.values()

    def _stocke(self, flux_id: str) -> Flux | None:
        return self._uow.etat.flux.get(flux_id)

    def _poser(self, flux: Flux) -> None:
        self._uow.etat_a_ecrire().flux[flux.id] = flux

    def _resultats(self, flux_id: str) -> Iterable[ResultatReference]:
        return self._uow.etat.flux_resultats.get(flux_id, ())

    def _poser_resultats(self, flux_id: str, resultats: Sequence[ResultatReference]) -> None:
        etat = self._uow.etat_a_ecrire()
        etat.flux_resultats[flux_id] = (*etat.flux_resultats.get(flux_id, ()), *resultats)

    def _entree(self, cle: str) -> ReferenceIntegree | None:
        return self._uow.etat.flux_references.get(cle)

    def _poser_entree(self, cle: str, entree: ReferenceIntegree) -> None:
        self._uow.etat_a_ecrire().flux_references[cle] = entree

    def _memoire(self, memoire_id: str) -> Memoire | None:
        return self._uow.etat.memoires.get(memoire_id)
