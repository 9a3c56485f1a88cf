"""The support tickets of a files store, stored under ``tickets/``: looked up by number
through the cache's index, searched by scan in the ports' reference semantics (see
`storage.tickets`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chorus.adapters.storage.files.instantane import INDEX_NUMERO
from chorus.adapters.storage.files.transaction import Transaction
from chorus.adapters.storage.tickets import TicketsParParcours
from chorus.domain.support.ticket import Ticket


class DepotTickets(TicketsParParcours):
    def __init__(self, transaction: Callable[[], Transaction]) -> None:
        self._transaction = transaction

    def _tickets(self) -> Iterable[Ticket]:
        return self._transaction().tickets.tous()

    def _stocke(self, ticket_id: str) -> Ticket | None:
        return self._transaction().tickets.obtenir(ticket_id)

    def _poser(self, ticket: Ticket) -> None:
        self._transaction().tickets.poser(ticket)

    def par_numero(self, numero: str) -> Ticket | None:
        return self._transaction().tickets.chercher(INDEX_NUMERO, numero)
