"""Repositories of the aggregates, and the unit of work that makes one transaction of them."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self

from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure, TypeIdentifiant
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import MemoireQueries


class StructureRepository(Protocol):
    """Structures, with their services, bank details, rattachements and habilitations."""

    def ajouter(self, structure: Structure) -> None:
        """Store a new structure; `Conflit` if its identifier is already registered."""
        ...

    def obtenir(self, structure_id: str) -> Structure:
        """The structure; `NonTrouve` if there is none."""
        ...

    def par_identifiant(
        self, type_identifiant: TypeIdentifiant, identifiant: str
    ) -> Structure | None: ...

    def enregistrer(self, structure: Structure) -> Structure:
        """Save a changed structure read at `structure.version`; returns it at the next
        version. `ConflitDeVersion` if it changed meanwhile (nothing is written)."""
        ...

    def pour_utilisateur(self, utilisateur_id: str) -> Sequence[Structure]:
        """Structures the user has a rattachement to (any status), by raison sociale."""
        ...


class UtilisateurRepository(Protocol):
    def ajouter(self, utilisateur: Utilisateur) -> None:
        """Store a new user; `Conflit` if the email is taken."""
        ...

    def obtenir(self, utilisateur_id: str) -> Utilisateur:
        """The user; `NonTrouve` if there is none."""
        ...

    def par_email(self, email: str) -> Utilisateur | None: ...

    def enregistrer(self, utilisateur: Utilisateur) -> Utilisateur:
        """As `StructureRepository.enregistrer`."""
        ...


class MemoireRepository(Protocol):
    def ajouter(self, memoire: Memoire) -> None:
        """Store a new mémoire; `Conflit` if its number is already used."""
        ...

    def obtenir(self, memoire_id: str) -> Memoire:
        """The mémoire; `NonTrouve` if there is none."""
        ...

    def par_numero(self, numero: str) -> Memoire | None:
        """By its current number (TMP… for a draft, MJ… once sent)."""
        ...

    def par_empreinte(self, empreinte: str) -> Memoire | None: ...

    def enregistrer(self, memoire: Memoire) -> Memoire:
        """As `StructureRepository.enregistrer`."""
        ...

    def supprimer(self, memoire_id: str) -> None:
        """Delete a mémoire (the use case allows it for drafts only)."""
        ...


class Sequences(Protocol):
    """Named counters that never hand out a value twice, whatever the concurrency."""

    def suivant(self, nom: str) -> int:
        """The next value of sequence `nom`, starting at 1."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository: all of it is written by `commit`, or nothing.

    Used as ``with uow: ...; uow.commit()``; leaving the block without committing (or on an
    exception) rolls back. The same object can be entered again for the next transaction.
    """

    @property
    def structures(self) -> StructureRepository: ...

    @property
    def utilisateurs(self) -> UtilisateurRepository: ...

    @property
    def memoires(self) -> MemoireRepository: ...

    @property
    def requetes(self) -> MemoireQueries: ...

    @property
    def sequences(self) -> Sequences: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
