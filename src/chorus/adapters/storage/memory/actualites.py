"""The actualités of the in-memory store: a dict of the unit of work's state, sorted when
listed (news items are few)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chorus.domain.actualites import Actualite
from chorus.domain.errors import Conflit, NonTrouve
from chorus.ports.actualites import page_de
from chorus.ports.requetes import Page, Pagination

if TYPE_CHECKING:
    from chorus.adapters.storage.memory.stockage import UniteDeTravailEnMemoire


class DepotActualites:
    def __init__(self, uow: UniteDeTravailEnMemoire) -> None:
        self._uow = uow

    def _stockees(self) -> dict[str, Actualite]:
        return self._uow.etat.actualites

    def ajouter(self, actualite: Actualite) -> None:
        if actualite.id in self._stockees():
            raise Conflit("Cette actualité existe déjà.", champ="id")
        self._uow.etat_a_ecrire().actualites[actualite.id] = actualite

    def obtenir(self, actualite_id: str) -> Actualite:
        try:
            return self._stockees()[actualite_id]
        except KeyError:
            raise NonTrouve("Introuvable : cette actualité n'existe pas.") from None

    def lister(self, pagination: Pagination) -> Page[Actualite]:
        return page_de(self._stockees().values(), pagination)
