"""The batches of status events of a files store, under ``lots_statuts/`` and
``evenements_en_attente/``: searched by scan of the cache (see `storage.lots_statuts`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chorus.adapters.storage.files.transaction import Transaction
from chorus.adapters.storage.lots_statuts import LotsStatutsParParcours
from chorus.domain.lots_statuts import EvenementEnAttente, LotStatuts


class DepotLotsStatuts(LotsStatutsParParcours):
    def __init__(self, transaction: Callable[[], Transaction]) -> None:
        self._transaction = transaction

    def _lots(self) -> Iterable[LotStatuts]:
        return self._transaction().lots_statuts.tous()

    def _poser_lot(self, lot: LotStatuts) -> None:
        self._transaction().lots_statuts.poser(lot)

    def _attentes(self) -> Iterable[EvenementEnAttente]:
        return self._transaction().evenements_en_attente.tous()

    def _poser_attente(self, evenement: EvenementEnAttente) -> None:
        self._transaction().evenements_en_attente.poser(evenement)

    def _retirer_attente(self, evenement_id: str) -> None:
        self._transaction().evenements_en_attente.retirer(evenement_id)
