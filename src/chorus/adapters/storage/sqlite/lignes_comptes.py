"""Rows of `jetons` and `courriels`, through the shared codec.

Kept apart from `lignes_sql` on purpose: the benchmark keys its cached database on that
module's source, and these tables hold nothing the benchmark generates.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees

# The row helpers are shared with lignes_sql.py, whose text keys the benchmark's data cache:
# it is imported from, not edited.
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_json,
    instant_en_entier,
)
from chorus.domain.courriels import Courriel
from chorus.domain.jetons import Jeton


def ligne_jeton(jeton: Jeton) -> dict[str, Any]:
    return {
        "id": jeton.id,
        "version": jeton.version,
        "nature": jeton.nature.value,
        "empreinte": jeton.empreinte,
        "utilisateur_id": jeton.utilisateur_id,
        "structure_id": jeton.structure_id,
        "cree_le": instant_en_entier(jeton.cree_le),
        "expire_le": instant_en_entier(jeton.expire_le),
        "document": en_json(vers_donnees(jeton)),
    }


def jeton_de(ligne: sqlite3.Row) -> Jeton:
    try:
        return depuis_donnees(_document(ligne), Jeton)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un jeton", ligne["id"], erreur) from erreur


def ligne_courriel(courriel: Courriel) -> dict[str, Any]:
    return {
        "id": courriel.id,
        "version": courriel.version,
        "destinataire": courriel.destinataire,
        "cree_le": instant_en_entier(courriel.cree_le),
        "disponible_le": instant_en_entier(courriel.disponible_le),
        "envoye_le": None if courriel.envoye_le is None else instant_en_entier(courriel.envoye_le),
        "tentatives": courriel.tentatives,
        "document": en_json(vers_donnees(courriel)),
    }


def courriel_de(ligne: sqlite3.Row) -> Courriel:
    try:
        return depuis_donnees(_document(ligne), Courriel)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un courriel", ligne["id"], erreur) from erreur
