"""The activity feed of a files store, stored under ``activite/`` (one document per event);
a feed reads the events of the user's structures through the cache's index by structure,
the retention purge those of a mémoire through its index by object.

Each event's rank (`EvenementActivite.rang`) is in its document, given from a counter among
the store's sequences: commits run one after the other under the folder's lock, so ranks
follow the commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import attrs

from chorus.adapters.storage.activite import RANG_ACTIVITE, ActivitesParParcours
from chorus.adapters.storage.files.instantane import INDEX_OBJET, INDEX_STRUCTURE
from chorus.adapters.storage.files.transaction import Transaction
from chorus.domain.activite import EvenementActivite, cle_recente


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

    def _rang_suivant(self) -> int:
        transaction = self._transaction()
        dernier = transaction.valeur_de_sequence(RANG_ACTIVITE)
        if dernier == 0:
            dernier = self._ranger_les_anciens(transaction)
        transaction.poser_sequence(RANG_ACTIVITE, dernier + 1)
        return dernier + 1

    @staticmethod
    def _ranger_les_anciens(transaction: Transaction) -> int:
        """Rank, in the order they were recorded, the events a store written before ranks
        existed holds (the first event ranked finds them), so that the cycle-de-vie feed
        has them too; the last rank given."""
        anciens = sorted(
            (e for e in transaction.activites.tous() if e.rang is None), key=cle_recente
        )
        for rang, evenement in enumerate(anciens, start=1):
            transaction.activites.poser(attrs.evolve(evenement, rang=rang))
        return len(anciens)
