"""Migration of support tickets (CPROCS), their full-text index and the blob-store addresses
their pièces hold.

One row per ticket: the columns the lists filter and sort on, the list's row itself
(`resume`, the codec's JSON of a `ResumeTicket`, so that a page is read without decoding
whole tickets) and the whole aggregate in `document`. The keyword search reads
`tickets_fts`, an FTS5 table whose rowid is the ticket's `rang` (an integer primary key: unlike a
plain rowid, VACUUM never renumbers it); the repository writes it with the
row (its text is the number, the résumé, the description and every activity's text).
"""

from __future__ import annotations


def _inserer_adresses(ligne: str) -> str:
    """Record the addresses a ticket's document holds: its pièces'."""
    return (
        "INSERT OR IGNORE INTO contenus_tickets (sha256, ticket_id) "
        f"SELECT a.sha256, {ligne}.id FROM (SELECT json_extract(p.value, '$.sha256') AS sha256 "
        f"FROM json_each({ligne}.document, '$.pieces') AS p) AS a WHERE a.sha256 IS NOT NULL"
    )


INSTRUCTIONS: tuple[str, ...] = (
    """
    CREATE TABLE tickets (
        rang INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL CHECK (version >= 0),
        numero TEXT NOT NULL UNIQUE,
        structure_id TEXT NOT NULL,
        destinataire TEXT NOT NULL,
        juridiction_code TEXT,
        statut TEXT NOT NULL,
        date_creation INTEGER NOT NULL,
        date_maj INTEGER NOT NULL,
        nombre_activites INTEGER NOT NULL CHECK (nombre_activites >= 1),
        resume TEXT NOT NULL CHECK (json_valid(resume)),
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # « Mes tickets »: a user's structures, the latest update first.
    "CREATE INDEX tickets_structure_date_maj ON tickets (structure_id, date_maj)",
    # The back office's queues: a service's tickets in a status.
    "CREATE INDEX tickets_destinataire_statut ON tickets (destinataire, statut)",
    # The support's queue, every service's: the latest update first.
    "CREATE INDEX tickets_date_maj ON tickets (date_maj, numero)",
    # The same queue limited to the statuses still to handle, once most tickets are closed.
    "CREATE INDEX tickets_statut_date_maj ON tickets (statut, date_maj, numero)",
    """
    CREATE VIRTUAL TABLE tickets_fts USING fts5 (
        texte, tokenize = 'unicode61 remove_diacritics 2'
    )
    """,
    # The addresses each ticket's pièces refer to, for the retention purge; kept by
    # triggers.
    """
    CREATE TABLE contenus_tickets (
        sha256 TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        PRIMARY KEY (sha256, ticket_id)
    ) STRICT, WITHOUT ROWID
    """,
    f"CREATE TRIGGER tickets_contenus_ajout AFTER INSERT ON tickets "
    f"BEGIN {_inserer_adresses('NEW')}; END",
    f"CREATE TRIGGER tickets_contenus_changement AFTER UPDATE OF document ON tickets "
    f"BEGIN {_inserer_adresses('NEW')}; END",
    # A ticket is never deleted, and what it was opened with never changes: its history
    # only grows.
    """
    CREATE TRIGGER tickets_non_supprimes BEFORE DELETE ON tickets
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a ticket cannot be deleted');
    END
    """,
    """
    CREATE TRIGGER tickets_historique_croissant BEFORE UPDATE ON tickets
    WHEN NEW.id IS NOT OLD.id
        OR NEW.rang IS NOT OLD.rang
        OR NEW.numero IS NOT OLD.numero
        OR NEW.structure_id IS NOT OLD.structure_id
        OR NEW.destinataire IS NOT OLD.destinataire
        OR NEW.juridiction_code IS NOT OLD.juridiction_code
        OR NEW.date_creation IS NOT OLD.date_creation
        OR NEW.nombre_activites < OLD.nombre_activites
        OR json_extract(NEW.document, '$.emetteur') IS NOT json_extract(OLD.document, '$.emetteur')
        OR json_extract(NEW.document, '$.description')
            IS NOT json_extract(OLD.document, '$.description')
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a ticket cannot be rewritten');
    END
    """,
)
