"""The unit of work of a files store (`fichiers://`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from chorus.adapters.storage.erreurs import LectureSeule
from chorus.adapters.storage.files import journal
from chorus.adapters.storage.files.activite import DepotActivites
from chorus.adapters.storage.files.actualites import DepotActualites
from chorus.adapters.storage.files.chargement import rafraichir
from chorus.adapters.storage.files.depots import (
    DepotCourriels,
    DepotDemandesTic,
    DepotJetons,
    DepotMemoires,
    DepotStructures,
    DepotUtilisateurs,
    RequetesMemoires,
    SequencesFichiers,
)
from chorus.adapters.storage.files.disposition import GENERATION
from chorus.adapters.storage.files.flux import DepotFlux
from chorus.adapters.storage.files.instantane import Instantane
from chorus.adapters.storage.files.lots_statuts import DepotLotsStatuts
from chorus.adapters.storage.files.ouverture import ouvrir
from chorus.adapters.storage.files.tickets import DepotTickets
from chorus.adapters.storage.files.transaction import Transaction


class UniteDeTravailFichiers:
    """A unit of work over a folder of JSON documents, one per aggregate.

    Re-enterable, one transaction per ``with``, and shareable between threads: each thread
    has its own transaction, and transactions on the same folder, from any thread of any
    process, run one after the other under the folder's lock. A commit is all or nothing
    even if the process is killed (see `journal`). Reads come from a cache of the decoded
    documents, reloaded in part or in whole when another process committed (see
    `generation`).

    A read-only unit of work (`lecture`) takes the folder's lock too: the cache it reads
    is brought up to date, and changed by commits, in place, so reading it while another
    unit of work commits could see half a commit.

    Opening a folder that is not a store (or a store of another format) raises
    `StockageInutilisable`; a missing or empty folder becomes a new store.
    """

    def __init__(self, dossier: Path) -> None:
        self._racine = Path(dossier)
        self._verrou = ouvrir(self._racine)
        self._cache: Instantane | None = None
        self._local = threading.local()
        self.structures = DepotStructures(self._transaction)
        self.utilisateurs = DepotUtilisateurs(self._transaction)
        self.memoires = DepotMemoires(self._transaction)
        self.requetes = RequetesMemoires(self._transaction)
        self.sequences = SequencesFichiers(self._transaction)
        self.jetons = DepotJetons(self._transaction)
        self.courriels = DepotCourriels(self._transaction)
        self.demandes_tic = DepotDemandesTic(self._transaction)
        self.actualites = DepotActualites(self._transaction)
        self.activites = DepotActivites(self._transaction)
        self.tickets = DepotTickets(self._transaction)
        self.flux = DepotFlux(self._transaction)
        self.lots_statuts = DepotLotsStatuts(self._transaction)

    def _en_cours(self) -> Transaction | None:
        transaction: Transaction | None = getattr(self._local, "transaction", None)
        return transaction

    def _transaction(self) -> Transaction:
        transaction = self._en_cours()
        if transaction is None:
            raise RuntimeError("storage used outside a unit of work")
        return transaction

    def __enter__(self) -> Self:
        self._entrer(lecture_seule=False)
        return self

    @contextmanager
    def lecture(self) -> Iterator[Self]:
        """A read-only unit of work (see `UnitOfWork.lecture`), under the folder's lock."""
        self._entrer(lecture_seule=True)
        try:
            yield self
        finally:
            self.__exit__(None, None, None)

    def _entrer(self, *, lecture_seule: bool) -> None:
        if self._en_cours() is not None:
            raise RuntimeError("unit of work entered twice in the same thread")
        self._verrou.acquerir()
        try:
            journal.reprendre(self._racine)
            try:
                self._cache = rafraichir(self._cache, self._racine)
            except BaseException:
                # Half brought up to date: read everything again next time.
                self._cache = None
                raise
        except BaseException:
            self._verrou.relacher()
            raise
        self._local.transaction = Transaction(self._cache, lecture_seule=lecture_seule)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._en_cours() is None:
            return
        self._local.transaction = None
        self._verrou.relacher()

    def commit(self) -> None:
        transaction = self._en_cours()
        if transaction is None:
            raise RuntimeError("commit outside a unit of work")
        if transaction.lecture_seule:
            raise LectureSeule("commit of a read-only unit of work")
        if not transaction.a_change():
            return
        base = transaction.base
        ecritures, suppressions = transaction.documents()
        generation = base.generation.suivante([*ecritures, *suppressions])
        octets = generation.octets()
        ecritures[GENERATION] = octets
        try:
            journal.valider(self._racine, ecritures, suppressions)
        except BaseException:
            # The commit may still happen (its journal replayed by the next unit of work):
            # the cache no longer knows what is on disk.
            self._cache = None
            raise
        transaction.integrer()
        base.generation, base.octets_generation = generation, octets
        self._local.transaction = Transaction(base)

    def rollback(self) -> None:
        transaction = self._en_cours()
        if transaction is not None:
            self._local.transaction = Transaction(
                transaction.base, lecture_seule=transaction.lecture_seule
            )
