"""Repositories of the aggregates, and the unit of work that makes one transaction of them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import Courriel
from chorus.domain.jetons import Jeton, NatureJeton
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure, TypeIdentifiant
from chorus.domain.statuts import StatutMemoire
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.activite import ActiviteRepository
from chorus.ports.actualites import ActualiteRepository
from chorus.ports.flux import FluxRepository
from chorus.ports.lots_statuts import LotStatutsRepository
from chorus.ports.requetes import MemoireQueries, ResumeMemoire
from chorus.ports.support import TicketRepository
from chorus.ports.tic import DemandeTicRepository


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

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        """Those of the blob-store addresses `sha256s` that a structure's pool of pièces
        holds (its RIBs among them)."""
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

    def abonnes_au_suivi(
        self, quotidien: bool, apres: str | None, limite: int
    ) -> Sequence[Utilisateur]:
        """Up to `limite` active users who receive the daily (`quotidien`) or else the
        weekly « suivi d'activité », by id, only those whose id comes after `apres` when
        it is given; agents and API tokens' accounts never."""
        ...


class MemoireRepository(Protocol):
    def ajouter(self, memoire: Memoire) -> None:
        """Store a new mémoire; `Conflit` if its number is already used."""
        ...

    def ajouter_plusieurs(self, memoires: Sequence[Memoire]) -> None:
        """Store new mémoires at once, as `ajouter` each (`Conflit` if any number or id is
        already used, among them or in the store, and then none is stored)."""
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
        """Delete a draft; `TransitionInvalide` for a sent mémoire, which only the
        retention purge removes (`purger`)."""
        ...

    # -- retention (DESIGN 3.4) --------------------------------------------------------

    def a_purger(
        self,
        *,
        deposes_avant: datetime,
        statuts: frozenset[StatutMemoire],
        apres: ResumeMemoire | None,
        limite: int,
    ) -> Sequence[ResumeMemoire]:
        """The purge's candidates, a batch at a time: up to `limite` mémoires deposited
        before `deposes_avant` and in one of `statuts`, the oldest deposit first (ties by
        id), and only those after `apres` in that order when it is given."""
        ...

    def purger(self, memoire_id: str, date_purge: datetime) -> MemoirePurgee:
        """Remove a sent mémoire for good — its lines and pièces with it, and from every
        count — and write its entry in the register of purges, in this unit of work;
        returns that entry. `NonTrouve` if there is none, `TransitionInvalide` for a draft
        (drafts go by `supprimer`). Whether its retention has run out is the caller's rule
        (`conservation.peut_etre_purge`): the store only makes sure that no sent mémoire
        goes without its entry in the register, and that a purged id never comes back
        (`ajouter` refuses it with `Conflit`)."""
        ...

    def purgee(self, memoire_id: str) -> MemoirePurgee | None:
        """The register's entry of a purged mémoire; None if it was never purged."""
        ...

    def contenus_references(
        self, sha256s: Collection[str], *, sauf: Collection[str] = ()
    ) -> frozenset[str]:
        """Those of the blob-store addresses `sha256s` that a stored mémoire, other than
        those whose ids are in `sauf`, refers to (`conservation.contenus`: its pièces and
        its certificate's PDF), drafts included."""
        ...


class JetonRepository(Protocol):
    """Secrets' records (sessions, API tokens, single-use links, captchas), by id and by the
    hash of the secret."""

    def ajouter(self, jeton: Jeton) -> None:
        """Store a new record; `Conflit` if its id or its empreinte is already stored."""
        ...

    def obtenir(self, jeton_id: str) -> Jeton:
        """The record; `NonTrouve` if there is none."""
        ...

    def par_empreinte(self, empreinte: str) -> Jeton | None:
        """The record of the secret whose SHA-256 is `empreinte`."""
        ...

    def enregistrer(self, jeton: Jeton) -> Jeton:
        """As `StructureRepository.enregistrer`."""
        ...

    def supprimer(self, jeton_id: str) -> None:
        """Forget a record (logout, revocation); nothing happens if there is none."""
        ...

    def pour_structure(self, structure_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        """The structure's records of that nature, oldest first."""
        ...

    def pour_utilisateur(self, utilisateur_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        """The user's records of that nature, oldest first."""
        ...

    def purger(self, avant: datetime) -> int:
        """Delete the records that expired before `avant`; how many went."""
        ...


class CourrielRepository(Protocol):
    """The outbox."""

    def ajouter(self, courriel: Courriel) -> None:
        """Queue a new email; `Conflit` if its id is taken."""
        ...

    def obtenir(self, courriel_id: str) -> Courriel:
        """The email; `NonTrouve` if there is none."""
        ...

    def enregistrer(self, courriel: Courriel) -> Courriel:
        """As `StructureRepository.enregistrer`."""
        ...

    def a_envoyer(self, maintenant: datetime, limite: int) -> Sequence[Courriel]:
        """Up to `limite` unsent emails available at `maintenant` (`disponible_le` ≤
        `maintenant`) and not given up, oldest `disponible_le` first."""
        ...

    def pour_destinataire(self, destinataire: str) -> Sequence[Courriel]:
        """Every email to that address, sent or not, oldest first."""
        ...


class Sequences(Protocol):
    """Named counters that never hand out a value twice, whatever the concurrency."""

    def suivant(self, nom: str) -> int:
        """The next value of sequence `nom`, starting at 1."""
        ...

    def reserver(self, nom: str, nombre: int) -> range:
        """The next `nombre` values of sequence `nom` at once, as that many `suivant` would
        hand out (an empty range, changing nothing, when `nombre` ≤ 0)."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository: all of it is written by `commit`, or nothing.

    Used as ``with uow: ...; uow.commit()``; leaving the block without committing (or on an
    exception) rolls back. The same object can be entered again for the next transaction.
    Use cases that only read use ``with uow.lecture() as uow: ...`` instead.
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

    @property
    def jetons(self) -> JetonRepository: ...

    @property
    def courriels(self) -> CourrielRepository: ...

    @property
    def demandes_tic(self) -> DemandeTicRepository: ...

    @property
    def tickets(self) -> TicketRepository: ...

    @property
    def activites(self) -> ActiviteRepository: ...

    @property
    def actualites(self) -> ActualiteRepository: ...

    @property
    def lots_statuts(self) -> LotStatutsRepository: ...

    @property
    def flux(self) -> FluxRepository: ...

    def __enter__(self) -> Self: ...

    def lecture(self) -> AbstractContextManager[Self]:
        """A read-only unit of work: ``with uow.lecture() as uow: ...``.

        It sees one consistent committed state (what was committed when it first read),
        and, where the storage allows it, neither waits for writing units of work nor makes
        them wait (SQLite in WAL mode, memory; the files store serialises it with them).
        `commit` raises `RuntimeError`, and so does a write through a repository or a
        sequence (at once, or at the latest when the block ends): writing in a read is a
        bug of the use case, never something a user's input causes (hence no
        `DomainError`), and nothing of it is stored. `rollback` starts over on the latest
        committed state; the end of the block discards it. Like ``with uow``, it cannot be
        opened inside another unit of work of the same thread (`RuntimeError`), and the
        object can be used again afterwards.
        """
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
