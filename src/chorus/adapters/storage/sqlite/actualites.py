"""The actualités over one SQLite connection (table of migration 0010)."""

from __future__ import annotations

import sqlite3
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.sqlite.depots import _Depot
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_json,
    instant_en_entier,
)
from chorus.domain.actualites import Actualite
from chorus.domain.errors import Conflit, NonTrouve
from chorus.ports.requetes import Page, Pagination

# `plus_recentes_d_abord`, which the index (date_publication, id) reads backwards.
_ORDRE = "ORDER BY date_publication DESC, id DESC"


def ligne_actualite(actualite: Actualite) -> dict[str, Any]:
    return {
        "id": actualite.id,
        "version": actualite.version,
        "date_publication": instant_en_entier(actualite.date_publication),
        "document": en_json(vers_donnees(actualite)),
    }


def actualite_de(ligne: sqlite3.Row) -> Actualite:
    try:
        return depuis_donnees(_document(ligne), Actualite)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("une actualité", ligne["id"], erreur) from erreur


class DepotActualites(_Depot):
    def ajouter(self, actualite: Actualite) -> None:
        if self._une("SELECT 1 FROM actualites WHERE id = ?", (actualite.id,)) is not None:
            raise Conflit("Cette actualité existe déjà.", champ="id")
        self._inserer("actualites", ligne_actualite(actualite))

    def obtenir(self, actualite_id: str) -> Actualite:
        ligne = self._une("SELECT id, document FROM actualites WHERE id = ?", (actualite_id,))
        if ligne is None:
            raise NonTrouve("Introuvable : cette actualité n'existe pas.")
        return actualite_de(ligne)

    def lister(self, pagination: Pagination) -> Page[Actualite]:
        total: int = self._db.execute("SELECT count(*) FROM actualites").fetchone()[0]
        lignes = self._db.execute(
            f"SELECT id, document FROM actualites {_ORDRE} LIMIT ? OFFSET ?",
            (pagination.par_page, pagination.decalage),
        ).fetchall()
        return Page(
            elements=tuple(actualite_de(ligne) for ligne in lignes),
            total=total,
            page=pagination.page,
            par_page=pagination.par_page,
        )
