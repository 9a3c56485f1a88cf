"""What every store does alike for the support tickets: the refusals (a number taken, a
history rewritten), the blob-store addresses a ticket holds, and, for the stores that keep
every ticket at hand (memory, files), the whole repository by scan in the ports' reference
semantics."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from chorus.adapters.storage.versions import version_suivante
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide
from chorus.domain.support.acces import INTROUVABLE
from chorus.domain.support.ticket import Ticket
from chorus.ports.requetes import Page, Pagination
from chorus.ports.support import (
    CriteresTicket,
    ResumeTicket,
    correspond,
    paginer_tickets,
    trier_tickets,
)


def numero_pris(numero: str) -> Conflit:
    return Conflit(f"Le numéro de ticket {numero} est déjà attribué.", champ="numero")


def contenus_ticket(ticket: Ticket) -> frozenset[str]:
    """The blob-store addresses a ticket refers to: its pièces'."""
    return frozenset(p.sha256 for p in ticket.pieces)


def _fige(ticket: Ticket) -> tuple[object, ...]:
    """What a ticket keeps from its creation on."""
    return (
        ticket.numero,
        ticket.categorie,
        ticket.sous_categorie,
        ticket.type_objet,
        ticket.numero_objet,
        ticket.objet_id,
        ticket.emetteur,
        ticket.destinataire,
        ticket.resume,
        ticket.description,
        ticket.date_creation,
    )


def verifier_changement(stocke: Ticket, suivant: Ticket) -> None:
    """Refuse to store a change that rewrites what was written: the history and the pièces
    only grow, and what the ticket was opened with stays."""
    if (
        _fige(stocke) != _fige(suivant)
        or suivant.activites[: len(stocke.activites)] != stocke.activites
        or suivant.pieces[: len(stocke.pieces)] != stocke.pieces
    ):
        raise TransitionInvalide(
            f"Le ticket n°{stocke.numero} ne peut pas être réécrit : son historique ne fait "
            "que s'allonger."
        )


class TicketsParParcours:
    """A `TicketRepository` over the tickets the transaction sees, by scan; the store gives
    the primitives below and runs them under its write lock."""

    def _tickets(self) -> Iterable[Ticket]:
        raise NotImplementedError

    def _resumes(self) -> Iterable[ResumeTicket]:
        return (ResumeTicket.depuis(t) for t in self._tickets())

    def _stocke(self, ticket_id: str) -> Ticket | None:
        raise NotImplementedError

    def _poser(self, ticket: Ticket) -> None:
        raise NotImplementedError

    def par_numero(self, numero: str) -> Ticket | None:
        return next((t for t in self._tickets() if t.numero == numero), None)

    def ajouter(self, ticket: Ticket) -> None:
        if self._stocke(ticket.id) is not None or self.par_numero(ticket.numero) is not None:
            raise numero_pris(ticket.numero)
        self._poser(ticket)

    def obtenir(self, ticket_id: str) -> Ticket:
        ticket = self._stocke(ticket_id)
        if ticket is None:
            raise NonTrouve(INTROUVABLE)
        return ticket

    def enregistrer(self, ticket: Ticket) -> Ticket:
        stocke = self._stocke(ticket.id)
        suivant = version_suivante(None if stocke is None else stocke.version, ticket)
        assert stocke is not None
        verifier_changement(stocke, suivant)
        self._poser(suivant)
        return suivant

    def tous(self, criteres: CriteresTicket) -> Sequence[ResumeTicket]:
        return trier_tickets(
            ResumeTicket.depuis(t) for t in self._tickets() if correspond(t, criteres)
        )

    def rechercher(self, criteres: CriteresTicket, pagination: Pagination) -> Page[ResumeTicket]:
        return paginer_tickets(self.tous(criteres), pagination)

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        cherches = frozenset(sha256s)
        trouves: set[str] = set()
        for ticket in self._tickets():
            trouves |= contenus_ticket(ticket) & cherches
        return frozenset(trouves)
