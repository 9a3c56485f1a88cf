"""Opening a Chorus database: the connection's settings, the checks, the migrations.

A connection serves one thread (SQLite's rule), so the unit of work opens one per thread;
this module knows how to open one well.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.sqlite.schema import MIGRATIONS, NOMS_DES_MIGRATIONS, TABLES

# How long a writer waits for another one before giving up (milliseconds): well above the
# longest unit of work, so that concurrent writers queue rather than fail.
ATTENTE_VERROU_MS = 10_000

_EN_TETE_SQLITE = b"SQLite format 3\x00"


def _reglages(connexion: sqlite3.Connection) -> None:
    for pragma in (
        f"PRAGMA busy_timeout = {ATTENTE_VERROU_MS}",
        "PRAGMA foreign_keys = ON",
        # In WAL mode FULL syncs the log at each commit: a mémoire the portal said was sent
        # survives a power cut, not only a crash of the process.
        "PRAGMA synchronous = FULL",
        "PRAGMA cache_size = -65536",
        "PRAGMA mmap_size = 268435456",
        "PRAGMA temp_store = MEMORY",
    ):
        connexion.execute(pragma)


# Rows sampled per index by ANALYZE: enough for the planner, fast on a million rows.
LIMITE_D_ANALYSE = 1000


def _statistiques_perimees(db: Database, migree: bool) -> bool:
    """Whether the planner's statistics are missing or off by more than a factor of two.

    Without them SQLite takes any equality for selective and may walk a whole court's
    mémoires to find one number; they are refreshed at start when the store has grown.
    """
    nombre: int = db.execute("SELECT coalesce(max(rowid), 0) FROM memoires").fetchone()[0]
    if nombre < 1000:
        return False
    if migree or "sqlite_stat1" not in db.table_names():
        return True
    ligne = db.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'memoires' LIMIT 1").fetchone()
    if ligne is None:
        return True
    connu = int(str(ligne[0]).split()[0])
    return not connu / 2 <= nombre <= connu * 2


def _verifier_fichier(chemin: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not a database at all."""
    if chemin.is_dir():
        raise StockageInutilisable(
            f"« {chemin} » est un dossier : le stockage SQLite attend le chemin d'un fichier "
            "de base de données (par exemple var/chorus.db)."
        )
    if not chemin.exists() or chemin.stat().st_size == 0:
        return
    with chemin.open("rb") as fichier:
        en_tete = fichier.read(len(_EN_TETE_SQLITE))
    if en_tete != _EN_TETE_SQLITE:
        raise StockageInutilisable(
            f"Le fichier « {chemin} » n'est pas une base SQLite (fichier étranger ou "
            "endommagé) : indiquez une autre adresse de stockage, ou restaurez la base "
            "depuis une sauvegarde."
        )


def _verifier_schema(db: Database, chemin: Path) -> None:
    """Refuse a SQLite database that belongs to another program or to a newer Chorus."""
    tables = set(db.table_names())
    appliquees = {m.name for m in MIGRATIONS.applied(db)}
    inconnues = appliquees - NOMS_DES_MIGRATIONS
    if inconnues:
        raise StockageInutilisable(
            f"La base « {chemin} » a été mise à jour par une version plus récente de Chorus "
            f"(migrations {', '.join(sorted(inconnues))}) : utilisez cette version-là."
        )
    # Full-text indexes (FTS5 virtual tables and their shadow tables) come with the
    # migrations that create them: they are not listed in TABLES, and are no sign of a
    # foreign database.
    index_plein_texte = {
        ligne[0]
        for ligne in db.execute(
            "SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow')"
        )
    }
    etrangeres = tables - TABLES - index_plein_texte - {MIGRATIONS.migrations_table}
    if etrangeres and not appliquees:
        raise StockageInutilisable(
            f"La base « {chemin} » n'est pas une base Chorus (elle contient les tables "
            f"{', '.join(sorted(etrangeres)[:5])}) : indiquez une autre adresse de stockage."
        )


def stockage_en_panne(chemin: Path, erreur: sqlite3.DatabaseError) -> StockageInutilisable:
    """The French account of a database error that is not a refused constraint."""
    if isinstance(erreur, sqlite3.OperationalError) and "locked" in str(erreur):
        return StockageInutilisable(
            f"La base « {chemin} » est restée occupée par une autre opération plus de "
            f"{ATTENTE_VERROU_MS // 1000} secondes : réessayez dans un instant."
        )
    return StockageInutilisable(
        f"La base « {chemin} » est endommagée ou illisible ({erreur}) : restaurez-la depuis "
        "une sauvegarde, ou vérifiez le disque et les droits du fichier."
    )


def ouvrir(chemin: Path) -> Database:
    """A connection to the Chorus database at `chemin`, created and migrated if needed.

    Raises `StockageInutilisable` with a French message for a file that is not a Chorus
    database, and never leaves a half-migrated database behind.
    """
    _verifier_fichier(chemin)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: the unit of work issues BEGIN/COMMIT itself, the driver never
    # opens or commits a transaction behind its back.
    connexion = sqlite3.connect(chemin, isolation_level=None, timeout=ATTENTE_VERROU_MS / 1000)
    connexion.row_factory = sqlite3.Row
    try:
        _reglages(connexion)
        db = Database(connexion, execute_plugins=False)
        # Checked before anything is written: a foreign database is left byte for byte as
        # it was (switching it to WAL would already change its header).
        _verifier_schema(db, chemin)
        if db.journal_mode != "wal":
            db.enable_wal()
        # Every thread of a server opens its own connection: when there is nothing to
        # migrate or analyse, it must not take the write lock, or a new thread's first
        # read-only unit of work would wait for whichever writer holds it.
        # The checks read one snapshot, so that a newer process migrating meanwhile is seen
        # by all of them or by none.
        db.execute("BEGIN DEFERRED")
        try:
            _verifier_schema(db, chemin)
            rien_a_faire = not MIGRATIONS.pending(db) and not _statistiques_perimees(
                db, migree=False
            )
        finally:
            db.execute("ROLLBACK")
        if rien_a_faire:
            return db
        # One process migrates at a time: the others wait on the write lock, then find
        # nothing left to apply.
        db.execute("BEGIN IMMEDIATE")
        try:
            _verifier_schema(db, chemin)
            # New indexes need their statistics too: analyse after any migration.
            migree = bool(MIGRATIONS.pending(db))
            MIGRATIONS.apply(db)
            if _statistiques_perimees(db, migree):
                db.execute(f"PRAGMA analysis_limit = {LIMITE_D_ANALYSE}")
                db.execute("ANALYZE")
            db.execute("COMMIT")
        except BaseException:
            if connexion.in_transaction:
                db.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as erreur:
        connexion.close()
        raise stockage_en_panne(chemin, erreur) from erreur
    except BaseException:
        connexion.close()
        raise
    return db
