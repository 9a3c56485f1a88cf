"""What the batches of status events need from the outside: a reader of the documented
batch formats, and a store of the batches' reports and of the events waiting to apply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chorus.domain.lots_statuts import (
    EvenementEnAttente,
    EvenementLu,
    FormatLot,
    LotStatuts,
    ResultatEvenement,
)
from chorus.ports.requetes import Page, Pagination


class LecteurLotStatuts(Protocol):
    """Reads the documented batch formats; knows their syntax, none of the rules."""

    def lire(self, format: FormatLot, contenu: bytes) -> Sequence[EvenementLu]:
        """Every event of the file, in file order. Raise `LotIllisible` (French message)
        when the file cannot be read at all."""
        ...


class LotStatutsRepository(Protocol):
    """The imported batches (their reports) and the events waiting to apply."""

    def ajouter(self, lot: LotStatuts) -> None:
        """Store a batch's report; `Conflit` if its number (or id) is taken."""
        ...

    def obtenir(self, numero: str) -> LotStatuts:
        """The batch numbered `numero`; `NonTrouve` if there is none."""
        ...

    def mettre_en_attente(self, evenement: EvenementEnAttente) -> None:
        """Keep an event until it can apply; `Conflit` if that mémoire already has a waiting
        event with its reference (or the id is taken)."""
        ...

    def en_attente_du_memoire(self, memoire_id: str) -> Sequence[EvenementEnAttente]:
        """The events waiting for that mémoire, in event order (`ordre_evenement`)."""
        ...

    def retirer_de_l_attente(self, evenement_id: str) -> None:
        """Forget a waiting event (applied or refused at last); nothing if there is none."""
        ...

    def noter_issue_differee(self, numero_lot: str, resultat: ResultatEvenement) -> None:
        """Write in batch `numero_lot`'s report the final outcome of its event waiting at
        `resultat.position` (`lots_statuts.avec_issue_differee`); nothing if that batch is
        not stored or that line no longer waits."""
        ...

    def en_attente(
        self, juridictions: frozenset[str] | None, pagination: Pagination
    ) -> Page[EvenementEnAttente]:
        """The waiting events of the mémoires of `juridictions` (all when None), by mémoire
        number then event order."""
        ...
