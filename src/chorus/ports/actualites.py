"""Storage of the actualités (news items).

`plus_recentes_d_abord` is the reference order of every listing, for adapters that sort
in memory; SQL adapters reproduce it with ``ORDER BY date_publication DESC, id DESC``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Protocol

from chorus.domain.actualites import Actualite
from chorus.ports.requetes import Page, Pagination


def plus_recentes_d_abord(actualites: Iterable[Actualite]) -> list[Actualite]:
    """The reference order: the latest publication first; two items published at the same
    instant come by decreasing id, so that the order never depends on the store."""
    return sorted(
        actualites,
        key=lambda a: (a.date_publication.astimezone(UTC), a.id),
        reverse=True,
    )


def page_de(actualites: Iterable[Actualite], pagination: Pagination) -> Page[Actualite]:
    """One page of `actualites` in the reference order, with the total (for adapters that
    hold every item in memory)."""
    ordonnees = plus_recentes_d_abord(actualites)
    debut = pagination.decalage
    return Page(
        elements=tuple(ordonnees[debut : debut + pagination.par_page]),
        total=len(ordonnees),
        page=pagination.page,
        par_page=pagination.par_page,
    )


class ActualiteRepository(Protocol):
    """The news items, in the same unit of work as everything else. Items are only ever
    added: a published item is not changed."""

    def ajouter(self, actualite: Actualite) -> None:
        """Store a new item; `Conflit` if its id is already used."""
        ...

    def obtenir(self, actualite_id: str) -> Actualite:
        """The item; `NonTrouve` if there is none."""
        ...

    def lister(self, pagination: Pagination) -> Page[Actualite]:
        """One page of the items, newest first (`plus_recentes_d_abord`), with the total."""
        ...
