"""The batches of status events of the in-memory store: dicts of the unit of work's state,
searched by scan (see `storage.lots_statuts`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from chorus.adapters.storage.lots_statuts import LotsStatutsParParcours
from chorus.domain.lots_statuts import EvenementEnAttente, LotStatuts

if TYPE_CHECKING:
    from chorus.adapters.storage.memory.stockage import UniteDeTravailEnMemoire


class DepotLotsStatuts(LotsStatutsParParcours):
    def __init__(self, uow: UniteDeTravailEnMemoire) -> None:
        self._uow = uow

    def _lots(self) -> Iterable[LotStatuts]:
        return self._uow.etat.lots_statuts.values()

    def _poser_lot(self, lot: LotStatuts) -> None:
        self._uow.etat_a_ecrire().lots_statuts[lot.id] = lot

    def _attentes(self) -> Iterable[EvenementEnAttente]:
        return self._uow.etat.evenements_en_attente.values()

    def _poser_attente(self, evenement: EvenementEnAttente) -> None:
        self._uow.etat_a_ecrire().evenements_en_attente[evenement.id] = evenement

    def _retirer_attente(self, evenement_id: str) -> None:
        del self._uow.etat_a_ecrire().evenements_en_attente[evenement_id]
