"""Rows of `purges`, the register of what the retention purge removed, through the shared
codec (kept apart from `lignes_sql`, whose text keys the benchmark's data cache)."""

from __future__ import annotations

import sqlite3
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_json,
    instant_en_entier,
)
from chorus.domain.conservation import MemoirePurgee


def ligne_purge(purgee: MemoirePurgee) -> dict[str, Any]:
    return {
        "memoire_id": purgee.memoire_id,
        "numero": purgee.numero,
        "structure_id": purgee.structure_id,
        "juridiction_code": purgee.juridiction_code,
        "date_depot": instant_en_entier(purgee.date_depot),
        "statut": purgee.statut.value,
        "date_purge": instant_en_entier(purgee.date_purge),
        "document": en_json(vers_donnees(purgee)),
    }


def purgee_de(ligne: sqlite3.Row) -> MemoirePurgee:
    try:
        return depuis_donnees(_document(ligne), MemoirePurgee)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible(
            "une entrée du registre des purges", ligne["memoire_id"], erreur
        ) from erreur
