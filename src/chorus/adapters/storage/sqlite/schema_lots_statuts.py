"""Migration of the batches of back-office status events: their stored reports and the
events waiting to apply.

A batch is written once, whole (`document`, the codec's JSON of a `LotStatuts`). A waiting
event has the columns its lookups filter and sort on — a mémoire's events in event order,
and the back office's list by juridiction, then mémoire number and event order — and the
whole `EvenementEnAttente` in `document`. A mémoire never has two waiting events of one
reference.
"""

from __future__ import annotations

INSTRUCTIONS: tuple[str, ...] = (
    """
    CREATE TABLE lots_statuts (
        id TEXT PRIMARY KEY,
        numero TEXT NOT NULL UNIQUE,
        date_import INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    """
    CREATE TABLE evenements_en_attente (
        id TEXT PRIMARY KEY,
        memoire_id TEXT NOT NULL,
        numero_memoire TEXT NOT NULL,
        juridiction_code TEXT NOT NULL,
        reference TEXT NOT NULL,
        date_evenement INTEGER NOT NULL,
        rang INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document)),
        UNIQUE (memoire_id, reference)
    ) STRICT
    """,
    "CREATE INDEX evenements_en_attente_memoire ON evenements_en_attente "
    "(memoire_id, date_evenement, rang, reference)",
    "CREATE INDEX evenements_en_attente_liste ON evenements_en_attente "
    "(numero_memoire, date_evenement, rang, reference, id)",
    "CREATE INDEX evenements_en_attente_juridiction ON evenements_en_attente "
    "(juridiction_code, numero_memoire, date_evenement, rang, reference, id)",
)
