"""The activity feed of a files store, stored under ``activite/`` (one document per event);
a feed reads the events of the user's structures through the cache's index by structure,
the retention purge those of a mémoire through its index by object."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from chorus.adapters.storage.activite import ActivitesParParcours
from chorus.adapters.storage.files.instantane import INDEX_OBJET, INDEX_STRUCTURE
from chorus.adapters.storage.files.transaction import Transaction
from chorus.domain.activite import EvenementActivite


class DepotActivites(ActivitesParParcours):
    def __init__(self, transaction: Callable[[], Transaction]) -> None:
        self._transaction = transaction

    def _evenements_des(self, structures: frozenset[str]) -> Iterable[EvenementActivite]:
        vue = self._transaction().activites

        def tous() -> Iterator[EvenementActivite]:
            for structure_id in sorted(structures):
                yield from vue.tous_pour(INDEX_STRUCTURE, structure_id)

        return tous()

    def _existe(self, evenement_id: str) -> bool:
        return self._transaction().activites.obtenir(evenement_id) is not None

    def _poser(self, evenement: EvenementActivite) -> None:
        self._transaction().activites.poser(evenement)

    def _evenements_de_l_objet(self, objet_id: str) -> Iterable[EvenementActivite]:
        return self._transaction().activites.tous_pour(INDEX_OBJET, objet_id)

    def _retirer(self, evenement_id: str) -> None:
        self._transaction().activites.retirer(evenement_id)
