"""Rows of `jetons` and `courriels`, through the shared codec.

Kept apart from `lignes_sql` on purpose: the benchmark keys its cached database on that
module's source, and these tables hold nothing the benchmark generates.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.sqlite.lignes_sql import en_json, instant_en_entier
from chorus.domain.courriels import Courriel
from chorus.domain.jetons import Jeton


def _illisible(quoi: str, identifiant: str, erreur: Exception) -> StockageInutilisable:
    return StockageInutilisable(
        f"La base contient {quoi} illisible (id {identifiant}) : {erreur}. Restaurez la base "
        "depuis une sauvegarde ou signalez l'anomalie."
    )


def _document(ligne: sqlite3.Row) -> dict[str, Any]:
    donnees = json.loads(ligne["document"])
    if not isinstance(donnees, dict):
        raise ErreurDeDecodage("the document is not an object")
    return donnees


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
