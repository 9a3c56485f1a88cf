"""Migration of the dépôts flux: the flux, their reports and the registry of references.

One row per flux: the columns its lists filter and sort on, and the whole aggregate in
`document`. Its report has a row per mémoire of the file, keyed by (flux, rank), written
with the mémoires it reports on. The registry maps a structure's reference to what was
integrated under it (its empreinte and the mémoire), so that a file deposited again
integrates nothing twice.
"""

from __future__ import annotations

_TERMINES = "('IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE')"

INSTRUCTIONS: tuple[str, ...] = (
    """
    CREATE TABLE flux (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        numero TEXT NOT NULL UNIQUE,
        structure_id TEXT NOT NULL,
        statut TEXT NOT NULL,
        date_depot INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # « Mes flux »: a structure's, the latest first.
    "CREATE INDEX flux_structure_date_depot ON flux (structure_id, date_depot, numero)",
    # The server's loop: those still to integrate, the oldest first.
    f"CREATE INDEX flux_en_attente ON flux (date_depot, numero) WHERE statut NOT IN {_TERMINES}",
    """
    CREATE TABLE flux_resultats (
        flux_id TEXT NOT NULL REFERENCES flux (id),
        rang INTEGER NOT NULL CHECK (rang >= 0),
        reference TEXT,
        issue TEXT NOT NULL,
        numero_memoire TEXT,
        memoire_id TEXT,
        erreurs TEXT NOT NULL CHECK (json_valid(erreurs)),
        PRIMARY KEY (flux_id, rang)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TABLE flux_references (
        structure_id TEXT NOT NULL,
        reference TEXT NOT NULL,
        empreinte TEXT NOT NULL,
        memoire_id TEXT NOT NULL,
        numero_memoire TEXT NOT NULL,
        flux_numero TEXT NOT NULL,
        PRIMARY KEY (structure_id, reference)
    ) STRICT, WITHOUT ROWID
    """,
    # A terminated flux never changes again, and a report entry is written once.
    f"""
    CREATE TRIGGER flux_termines_figes BEFORE UPDATE ON flux
    WHEN OLD.statut IN {_TERMINES}
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a terminated flux cannot change');
    END
    """,
    """
    CREATE TRIGGER flux_resultats_figes BEFORE UPDATE ON flux_resultats
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a report entry cannot change');
    END
    """,
)
