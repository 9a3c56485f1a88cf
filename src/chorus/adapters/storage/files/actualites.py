"""The actualités of a files store, stored under ``actualites/``; sorted when listed (news
items are few, and all in the cache)."""

from __future__ import annotations

from collections.abc import Callable

from chorus.adapters.storage.files.transaction import Transaction
from chorus.domain.actualites import Actualite
from chorus.domain.errors import Conflit, NonTrouve
from chorus.ports.actualites import page_de
from chorus.ports.requetes import Page, Pagination


class DepotActualites:
    def __init__(self, transaction: Callable[[], Transaction]) -> None:
        self._transaction = transaction

    def ajouter(self, actualite: Actualite) -> None:
        vue = self._transaction().actualites
        if vue.obtenir(actualite.id) is not None:
            raise Conflit("Cette actualité existe déjà.", champ="id")
        vue.poser(actualite)

    def obtenir(self, actualite_id: str) -> Actualite:
        actualite = self._transaction().actualites.obtenir(actualite_id)
        if actualite is None:
            raise NonTrouve("Introuvable : cette actualité n'existe pas.")
        return actualite

    def lister(self, pagination: Pagination) -> Page[Actualite]:
        return page_de(self._transaction().actualites.tous(), pagination)
