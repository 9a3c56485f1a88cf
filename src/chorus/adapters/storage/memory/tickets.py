"""The support tickets of the in-memory store: a dict of the unit of work's state, searched
by scan in the ports' reference semantics (see `storage.tickets`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from chorus.adapters.storage.tickets import TicketsParParcours
from chorus.domain.support.ticket import Ticket

if TYPE_CHECKING:
    from chorus.adapters.storage.memory.stockage import UniteDeTravailEnMemoire


class DepotTickets(TicketsParParcours):
    def __init__(self, uow: UniteDeTravailEnMemoire) -> None:
        self._uow = uow

    def _tickets(self) -> Iterable[Ticket]:
        return self._uow.etat.tickets.values()

    def _stocke(self, ticket_id: str) -> Ticket | None:
        return self._uow.etat.tickets.get(ticket_id)

    def _poser(self, ticket: Ticket) -> None:
        self._uow.etat_a_ecrire().tickets[ticket.id] = ticket
