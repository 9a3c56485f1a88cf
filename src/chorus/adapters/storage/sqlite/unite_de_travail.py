"""The SQLite unit of work: one `BEGIN IMMEDIATE … COMMIT` per `with` block, or one
`BEGIN DEFERRED … ROLLBACK` per `with uow.lecture()` block.

One object serves every thread of a process (the web server shares it): each thread gets
its own connections, opened on first use and kept, and its own transaction. A writing
transaction takes the write lock at once, so that two writers never both read a version
and then race to save it; a writer waits for the lock (busy timeout) rather than failing.
A reading transaction takes no lock: in WAL mode it reads the snapshot committed when its
first statement ran, while writers go on committing beside it.

Reads run on a second connection of the thread, `query_only` for its whole life, so that
SQLite itself refuses any write statement of a read, whichever repository issues it.
Switching one connection between the two modes would cost more than the read: changing
`query_only` makes SQLite prepare every statement again.

Decoded structures, users, mémoires and jetons are kept in caches shared by the threads
(see `cache`); each read still checks the row in its own transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlite_utils import Database

from chorus.adapters.storage.erreurs import LectureSeule
from chorus.adapters.storage.sqlite.activite import DepotActivites
from chorus.adapters.storage.sqlite.actualites import DepotActualites
from chorus.adapters.storage.sqlite.cache import (
    JETONS_PAR_DEFAUT,
    MEMOIRES_PAR_DEFAUT,
    STRUCTURES_PAR_DEFAUT,
    UTILISATEURS_PAR_DEFAUT,
    CacheDeDecodage,
)
from chorus.adapters.storage.sqlite.connexion import ouvrir, stockage_en_panne
from chorus.adapters.storage.sqlite.demandes_tic import DEMANDES_TIC_PAR_DEFAUT, DepotDemandesTic
from chorus.adapters.storage.sqlite.depots import (
    DepotCourriels,
    DepotJetons,
    DepotMemoires,
    DepotStructures,
    DepotUtilisateurs,
    RequetesMemoires,
    SequencesSqlite,
)
from chorus.adapters.storage.sqlite.flux import DepotFlux
from chorus.adapters.storage.sqlite.lots_statuts import DepotLotsStatuts
from chorus.adapters.storage.sqlite.tickets import DepotTickets
from chorus.domain.jetons import Jeton
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur


class _Fil(threading.local):
    # The thread's connection for writing units of work, and the one for reading ones.
    db: Database | None = None
    lecteur: Database | None = None
    ouverte: bool = False
    lecture: bool = False


def _ecriture_refusee(erreur: BaseException | None) -> bool:
    """Whether `erreur` is SQLite refusing a write on a `query_only` connection."""
    return (
        isinstance(erreur, sqlite3.OperationalError)
        and erreur.sqlite_errorcode == sqlite3.SQLITE_READONLY
    )


class UniteDeTravailSqlite:
    """A `UnitOfWork` over the SQLite database at `chemin` (created if missing).

    The constructor opens the database once, so that a file that is not a Chorus database
    is refused at start (`StockageInutilisable`), and applies pending migrations.

    `cache_memoires` and the others bound how many decoded aggregates of each kind the
    object keeps for all its threads (least recently used evicted; 0 keeps none).
    """

    def __init__(
        self,
        chemin: Path,
        *,
        cache_memoires: int = MEMOIRES_PAR_DEFAUT,
        cache_structures: int = STRUCTURES_PAR_DEFAUT,
        cache_utilisateurs: int = UTILISATEURS_PAR_DEFAUT,
        cache_jetons: int = JETONS_PAR_DEFAUT,
        cache_demandes_tic: int = DEMANDES_TIC_PAR_DEFAUT,
    ) -> None:
        self.chemin = chemin
        self.cache_memoires = CacheDeDecodage[Memoire](cache_memoires)
        self.cache_structures = CacheDeDecodage[Structure](cache_structures)
        self.cache_utilisateurs = CacheDeDecodage[Utilisateur](cache_utilisateurs)
        self.cache_jetons = CacheDeDecodage[Jeton](cache_jetons)
        self.cache_demandes_tic = CacheDeDecodage[DemandeTic](cache_demandes_tic)
        self._fil = _Fil()
        self._fil.db = ouvrir(chemin)
        self.structures = DepotStructures(self._db, self.cache_structures)
        self.utilisateurs = DepotUtilisateurs(self._db, self.cache_utilisateurs)
        self.memoires = DepotMemoires(self._db, self.cache_memoires)
        self.requetes = RequetesMemoires(self._db)
        self.sequences = SequencesSqlite(self._db)
        self.jetons = DepotJetons(self._db, self.cache_jetons)
        self.courriels = DepotCourriels(self._db)
        self.demandes_tic = DepotDemandesTic(self._db, self.cache_demandes_tic)
        self.actualites = DepotActualites(self._db)
        self.activites = DepotActivites(self._db)
        self.tickets = DepotTickets(self._db)
        self.flux = DepotFlux(self._db)
        self.lots_statuts = DepotLotsStatuts(self._db)

    def _connexion(self) -> Database | None:
        """The connection of this thread's current or next transaction."""
        return self._fil.lecteur if self._fil.lecture else self._fil.db

    def _db(self) -> Database:
        """This thread's connection, inside its transaction."""
        db = self._connexion()
        if not self._fil.ouverte or db is None:
            raise RuntimeError("storage used outside a unit of work")
        return db

    def _debut(self) -> str:
        return "BEGIN DEFERRED" if self._fil.lecture else "BEGIN IMMEDIATE"

    def _entrer(self, *, lecture: bool) -> None:
        fil = self._fil
        if fil.ouverte:
            raise RuntimeError("unit of work entered twice in the same thread")
        if lecture:
            if fil.lecteur is None:
                lecteur = ouvrir(self.chemin)
                lecteur.execute("PRAGMA query_only = ON")
                fil.lecteur = lecteur
            db = fil.lecteur
        else:
            if fil.db is None:
                fil.db = ouvrir(self.chemin)
            db = fil.db
        fil.lecture = lecture
        try:
            db.execute(self._debut())
        except BaseException:
            fil.lecture = False
            raise
        fil.ouverte = True

    def __enter__(self) -> Self:
        self._entrer(lecture=False)
        return self

    @contextmanager
    def lecture(self) -> Iterator[Self]:
        """A read-only unit of work (see `UnitOfWork.lecture`): ``BEGIN DEFERRED`` on the
        thread's `query_only` connection, rolled back at the end."""
        self._entrer(lecture=True)
        try:
            yield self
        except BaseException as erreur:
            self.__exit__(type(erreur), erreur, erreur.__traceback__)
            raise
        self.__exit__(None, None, None)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        lecture = self._fil.lecture
        try:
            self._annuler()
        finally:
            self._fil.ouverte = False
            self._fil.lecture = False
        if lecture and _ecriture_refusee(exc):
            raise LectureSeule("write inside a read-only unit of work") from exc
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
            raise stockage_en_panne(self.chemin, exc) from exc

    def commit(self) -> None:
        db = self._db()
        if self._fil.lecture:
            raise LectureSeule("commit of a read-only unit of work")
        try:
            db.execute("COMMIT")
        except sqlite3.DatabaseError as erreur:
            raise stockage_en_panne(self.chemin, erreur) from erreur
        # The same `with` block may go on reading or writing: it does so in a new
        # transaction, which the end of the block rolls back if it is not committed.
        db.execute("BEGIN IMMEDIATE")

    def rollback(self) -> None:
        db = self._db()
        self._annuler()
        # In a read, the next statement starts a fresh snapshot.
        db.execute(self._debut())

    def _annuler(self) -> None:
        db = self._connexion()
        if db is not None and db.conn.in_transaction:
            try:
                db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                # A damaged file can refuse even this; the error that led here says why.
                self.fermer()

    def fermer(self) -> None:
        """Close this thread's connections (others close with their threads)."""
        for db in (self._fil.db, self._fil.lecteur):
            if db is not None:
                db.close()
        self._fil.db = None
        self._fil.lecteur = None
