"""Migration of the cycle-de-vie feed: a rank for every activity event.

The rank (`EvenementActivite.rang`) is taken from the sequence ``rang-activite`` in the
writing transaction (``BEGIN IMMEDIATE``: one writer at a time), so ranks follow the
commits and a reader resuming after a rank misses nothing committed since. It is a column
(the documents of the rows written since hold it too; the column is what is read). Not the
rowid: SQLite hands out again the largest rowid once its row is deleted (a purged mémoire's
events), and a reader past it would miss the next event.

The rows already there are ranked in the order they were inserted (their rowid), and the
sequence starts after them. The immutability trigger is lifted for that one update only.
The feed of a structure reads its Frais de justice rows by rank from one index.
"""

from __future__ import annotations

from chorus.adapters.storage.activite import RANG_ACTIVITE

_IMMUABLES = """
    CREATE TRIGGER activites_immuables BEFORE UPDATE ON activites
    BEGIN
        SELECT RAISE (ABORT, 'chorus: an activity event cannot be changed');
    END
    """

INSTRUCTIONS: tuple[str, ...] = (
    "DROP TRIGGER activites_immuables",
    "ALTER TABLE activites ADD COLUMN rang INTEGER",
    # The column only: the documents are left as written (the rank is read from it).
    "UPDATE activites SET rang = rowid",
    f"""
    INSERT INTO sequences (nom, valeur)
    SELECT '{RANG_ACTIVITE}', dernier FROM (SELECT max(rang) AS dernier FROM activites)
    WHERE dernier IS NOT NULL
    ON CONFLICT (nom) DO UPDATE SET valeur = max(valeur, excluded.valeur)
    """,
    _IMMUABLES,
    # ALTER TABLE cannot add a NOT NULL column without a default: a row without its rank
    # would be out of the feed for ever, so refuse it here.
    """
    CREATE TRIGGER activites_rang_obligatoire BEFORE INSERT ON activites
    WHEN NEW.rang IS NULL
    BEGIN
        SELECT RAISE (ABORT, 'chorus: an activity event needs its rank');
    END
    """,
    "CREATE UNIQUE INDEX activites_rang ON activites (rang)",
    # A structure's feed: its mémoires' events (application FRAIS_DE_JUSTICE) by rank.
    "CREATE INDEX activites_cycle_de_vie ON activites (structure_id, application, rang)",
)
