"""The dépôts flux of a files store: the flux under ``flux/``, their reports under
``flux_rapports/`` (one document per unit of work that wrote entries) and the registry of
references under ``flux_references/``; searched by scan in the ports' reference semantics
(see `storage.flux`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from chorus.adapters.storage.files.instantane import INDEX_FLUX, INDEX_NUMERO
from chorus.adapters.storage.files.transaction import Transaction
from chorus.adapters.storage.flux import (
    EntreeDuRegistre,
    FluxParParcours,
    LotDeRapport,
)
from chorus.domain.flux.flux import Flux, ReferenceIntegree, ResultatReference
from chorus.domain.memoire import Memoire


class DepotFlux(FluxParParcours):
    def __init__(self, transaction: Callable[[], Transaction]) -> None:
        self._transaction = transaction

    def _tous(self) -> Iterable[Flux]:
        return self._transaction().flux.tous()

    def _stocke(self, flux_id: str) -> Flux | None:
        return self._transaction().flux.obtenir(flux_id)

    def _poser(self, flux: Flux) -> None:
        self._transaction().flux.poser(flux)

    def par_numero(self, numero: str) -> Flux | None:
        return self._transaction().flux.chercher(INDEX_NUMERO, numero)

    def _resultats(self, flux_id: str) -> Iterable[ResultatReference]:
        for lot in self._transaction().flux_rapports.tous_pour(INDEX_FLUX, flux_id):
            yield from lot.resultats

    def _poser_resultats(self, flux_id: str, resultats: Sequence[ResultatReference]) -> None:
        self._transaction().flux_rapports.poser(LotDeRapport.de(flux_id, resultats))

    def _entree(self, cle: str) -> ReferenceIntegree | None:
        document = self._transaction().flux_references.obtenir(cle)
        return None if document is None else document.entree

    def _poser_entree(self, cle: str, entree: ReferenceIntegree) -> None:
        self._transaction().flux_references.poser(EntreeDuRegistre(cle, entree))

    def _memoire(self, memoire_id: str) -> Memoire | None:
        return self._transaction().memoires.obtenir(memoire_id)
