"""The SQLite unit of work: one `BEGIN IMMEDIATE … COMMIT` per `with` block.

One object serves every thread of a process (the web server shares it): each thread gets
its own connection, opened on first use and kept, and its own transaction. The transaction
takes the write lock at once, so that two writers never both read a version and then race
to save it; readers of other connections are not blocked (WAL), and a writer waits for the
lock (busy timeout) rather than failing.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlite_utils import Database

from chorus.adapters.storage.sqlite.connexion import ouvrir, stockage_en_panne
from chorus.adapters.storage.sqlite.depots import (
    DepotCourriels,
    DepotJetons,
    DepotMemoires,
    DepotStructures,
    DepotUtilisateurs,
    RequetesMemoires,
    SequencesSqlite,
)


class _Fil(threading.local):
    db: Database | None = None
    ouverte: bool = False


class UniteDeTravailSqlite:
    """A `UnitOfWork` over the SQLite database at `chemin` (created if missing).

    The constructor opens the database once, so that a file that is not a Chorus database
    is refused at start (`StockageInutilisable`), and applies pending migrations.
    """

    def __init__(self, chemin: Path) -> None:
        self.chemin = chemin
        self._fil = _Fil()
        self._fil.db = ouvrir(chemin)
        self.structures = DepotStructures(self._db)
        self.utilisateurs = DepotUtilisateurs(self._db)
        self.memoires = DepotMemoires(self._db)
        self.requetes = RequetesMemoires(self._db)
        self.sequences = SequencesSqlite(self._db)
        self.jetons = DepotJetons(self._db)
        self.courriels = DepotCourriels(self._db)

    def _db(self) -> Database:
        """This thread's connection, inside its transaction."""
        if not self._fil.ouverte or self._fil.db is None:
            raise RuntimeError("storage used outside a unit of work")
        return self._fil.db

    def __enter__(self) -> Self:
        if self._fil.ouverte:
            raise RuntimeError("unit of work entered twice in the same thread")
        if self._fil.db is None:
            self._fil.db = ouvrir(self.chemin)
        self._fil.db.execute("BEGIN IMMEDIATE")
        self._fil.ouverte = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._annuler()
        finally:
            self._fil.ouverte = False
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
            raise stockage_en_panne(self.chemin, exc) from exc

    def commit(self) -> None:
        db = self._db()
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
        db.execute("BEGIN IMMEDIATE")

    def _annuler(self) -> None:
        db = self._fil.db
        if db is not None and db.conn.in_transaction:
            try:
                db.execute("ROLLBACK")
            except sqlite3.DatabaseError:
                # A damaged file can refuse even this; the error that led here says why.
                self.fermer()

    def fermer(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        if self._fil.db is not None:
            self._fil.db.close()
            self._fil.db = None
