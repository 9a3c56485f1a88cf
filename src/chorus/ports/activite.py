"""Storage of the activity feed (`chorus.domain.activite`).

Events are appended in the unit of work of the change they record, and never changed. A
feed is read slice by slice of the user's perimeter (`PerimetreActivite.unites`), newest
first: a store keeps them by (structure, date) so that a page costs the same with ten
events or ten million.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chorus.domain.activite import EvenementActivite, PerimetreActivite, TypeObjet
from chorus.ports.requetes import Page, Pagination


class ActiviteRepository(Protocol):
    def ajouter(self, evenements: Sequence[EvenementActivite]) -> None:
        """Append events; `Conflit` if one of their ids is already stored (then none of
        them is written). Each gets its `rang`, in the order given, inside the transaction:
        greater than every rank committed before, so that ranks follow the commits."""
        ...

    def cycle_de_vie(
        self, structure_id: str, apres: int, limite: int
    ) -> Sequence[EvenementActivite]:
        """The cycle-de-vie feed (`chorus.domain.cycle_de_vie`): at most `limite` events of
        the mémoires of `structure_id` ranked after `apres` (0: from the first), by rank,
        each with its `rang`."""
        ...

    def fil(
        self,
        perimetre: PerimetreActivite,
        pagination: Pagination,
        *,
        du: datetime | None = None,
        au: datetime | None = None,
    ) -> Page[EvenementActivite]:
        """One page of the events `perimetre` covers (`PerimetreActivite.couvre`), recorded
        in [`du`, `au`[ (a bound None is open), in `plus_recents` order, with their total."""
        ...

    def compter(
        self,
        perimetre: PerimetreActivite,
        *,
        du: datetime | None = None,
        au: datetime | None = None,
    ) -> dict[tuple[TypeObjet, str], int]:
        """How many of those events there are per type of object and status code
        (absent: none)."""
        ...

    def supprimer_objet(self, objet_id: str) -> int:
        """Delete every event of the object `objet_id` (a mémoire or a demande TIC), and
        say how many there were. For the retention purge only (DESIGN 3.4): the events of
        a purged mémoire go with it, in its unit of work; otherwise events never change."""
        ...
