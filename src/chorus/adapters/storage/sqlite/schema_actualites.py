"""Migration of news items (actualités): one row per item, its publication instant as a
column (what the listing sorts on), the rest in the codec's JSON document."""

from __future__ import annotations

INSTRUCTIONS: tuple[str, ...] = (
    """
    CREATE TABLE actualites (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        date_publication INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # The listing reads a page in this order, newest first, straight from the index.
    "CREATE INDEX actualites_date_publication ON actualites (date_publication, id)",
    # A published item is never changed: what users read on a given day stays as it was.
    """
    CREATE TRIGGER actualites_publiees_figees BEFORE UPDATE ON actualites
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a published actualite cannot be changed');
    END
    """,
)
