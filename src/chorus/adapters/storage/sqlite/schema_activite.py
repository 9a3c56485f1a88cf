"""Migration of the activity feed (status changes of mémoires and demandes), digests sent.

One row per event: the columns a feed filters and sorts by, and the whole event in
`document`. A feed is read slice by slice of the user's perimeter (a structure for one
application, or one service of it), newest first, each slice from an index that holds its
rows already in that order: a page reads a page's worth of rows however many millions the
table holds. The digests need nothing more: their emails are in the outbox, under an id
derived from the period and the user.
"""

from __future__ import annotations

INSTRUCTIONS: tuple[str, ...] = (
    """
    CREATE TABLE activites (
        id TEXT PRIMARY KEY,
        structure_id TEXT NOT NULL,
        application TEXT NOT NULL,
        service_id TEXT,
        type_objet TEXT NOT NULL,
        objet_id TEXT NOT NULL,
        statut TEXT NOT NULL,
        date INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # A structure's feed for one application, by date: the index of (structure_id, date),
    # with the application between them so that a user habilitated on one application of a
    # structure that has both never walks the other's rows; the id breaks ties in order.
    "CREATE INDEX activites_structure_date ON activites (structure_id, application, date, id)",
    # A service's feed (a habilitation limited to a service): only the rows that have one.
    "CREATE INDEX activites_service_date "
    "ON activites (structure_id, service_id, application, date, id) "
    "WHERE service_id IS NOT NULL",
    # The events of one mémoire, which the retention purge deletes with it.
    "CREATE INDEX activites_objet ON activites (objet_id)",
    # A feed's total without walking a large structure's million rows: the number of events
    # per slice (service '' for none), kept by the triggers below in the same transaction.
    """
    CREATE TABLE activites_comptes (
        structure_id TEXT NOT NULL,
        application TEXT NOT NULL,
        service_id TEXT NOT NULL,
        nombre INTEGER NOT NULL CHECK (nombre >= 0),
        PRIMARY KEY (structure_id, application, service_id)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TRIGGER activites_comptes_ajout AFTER INSERT ON activites
    BEGIN
        INSERT INTO activites_comptes (structure_id, application, service_id, nombre)
        VALUES (NEW.structure_id, NEW.application, coalesce(NEW.service_id, ''), 1)
        ON CONFLICT (structure_id, application, service_id) DO UPDATE SET nombre = nombre + 1;
    END
    """,
    """
    CREATE TRIGGER activites_comptes_suppression AFTER DELETE ON activites
    BEGIN
        UPDATE activites_comptes SET nombre = nombre - 1
        WHERE structure_id = OLD.structure_id AND application = OLD.application
        AND service_id = coalesce(OLD.service_id, '');
    END
    """,
    # Append-only: an event records what happened; nothing rewrites it. Only the retention
    # purge deletes the events of a purged mémoire (the counters follow, above).
    """
    CREATE TRIGGER activites_immuables BEFORE UPDATE ON activites
    BEGIN
        SELECT RAISE (ABORT, 'chorus: an activity event cannot be changed');
    END
    """,
)
