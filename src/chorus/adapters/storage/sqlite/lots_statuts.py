"""The batches of status events over one SQLite connection (tables of migration 0013)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.lots_statuts import (
    deja_en_attente,
    lot_introuvable,
    numero_de_lot_pris,
)
from chorus.adapters.storage.sqlite.depots import _Depot
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_json,
    instant_en_entier,
)
from chorus.domain.lots_statuts import (
    RANG_DANS_LE_CYCLE,
    EvenementEnAttente,
    LotStatuts,
    ResultatEvenement,
    avec_issue_differee,
)
from chorus.ports.requetes import Page, Pagination

# `ordre_evenement`, then the id: the instants as integers sort like the instants.
_ORDRE_DU_MEMOIRE = "ORDER BY date_evenement, rang, reference, id"
_ORDRE_DE_LA_LISTE = "ORDER BY numero_memoire, date_evenement, rang, reference, id"


def ligne_lot(lot: LotStatuts) -> dict[str, Any]:
    return {
        "id": lot.id,
        "numero": lot.numero,
        "date_import": instant_en_entier(lot.date_import),
        "document": en_json(vers_donnees(lot)),
    }


def ligne_attente(evenement: EvenementEnAttente) -> dict[str, Any]:
    return {
        "id": evenement.id,
        "memoire_id": evenement.memoire_id,
        "numero_memoire": evenement.numero_memoire,
        "juridiction_code": evenement.juridiction_code,
        "reference": evenement.evenement.reference,
        "date_evenement": instant_en_entier(evenement.evenement.date_evenement),
        "rang": RANG_DANS_LE_CYCLE[evenement.evenement.action],
        "document": en_json(vers_donnees(evenement)),
    }


def _lot_de(ligne: sqlite3.Row) -> LotStatuts:
    try:
        return depuis_donnees(_document(ligne), LotStatuts)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un lot de statuts", ligne["id"], erreur) from erreur


def _attente_de(ligne: sqlite3.Row) -> EvenementEnAttente:
    try:
        return depuis_donnees(_document(ligne), EvenementEnAttente)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un événement en attente", ligne["id"], erreur) from erreur


class DepotLotsStatuts(_Depot):
    def ajouter(self, lot: LotStatuts) -> None:
        if (
            self._une("SELECT 1 FROM lots_statuts WHERE id = ? OR numero = ?", (lot.id, lot.numero))
            is not None
        ):
            raise numero_de_lot_pris(lot.numero)
        self._inserer("lots_statuts", ligne_lot(lot))

    def obtenir(self, numero: str) -> LotStatuts:
        ligne = self._une("SELECT id, document FROM lots_statuts WHERE numero = ?", (numero,))
        if ligne is None:
            raise lot_introuvable(numero)
        return _lot_de(ligne)

    def mettre_en_attente(self, evenement: EvenementEnAttente) -> None:
        if (
            self._une(
                "SELECT 1 FROM evenements_en_attente WHERE id = ? "
                "OR (memoire_id = ? AND reference = ?)",
                (evenement.id, evenement.memoire_id, evenement.evenement.reference),
            )
            is not None
        ):
            raise deja_en_attente(evenement)
        self._inserer("evenements_en_attente", ligne_attente(evenement))

    def en_attente_du_memoire(self, memoire_id: str) -> Sequence[EvenementEnAttente]:
        lignes = self._db.execute(
            "SELECT id, document FROM evenements_en_attente WHERE memoire_id = ? "
            + _ORDRE_DU_MEMOIRE,
            (memoire_id,),
        ).fetchall()
        return [_attente_de(ligne) for ligne in lignes]

    def noter_issue_differee(self, numero_lot: str, resultat: ResultatEvenement) -> None:
        ligne = self._une("SELECT id, document FROM lots_statuts WHERE numero = ?", (numero_lot,))
        if ligne is None:
            return
        lot = _lot_de(ligne)
        nouveau = avec_issue_differee(lot, resultat)
        if nouveau is not lot:
            self._db.execute(
                "UPDATE lots_statuts SET document = ? WHERE id = ?",
                (ligne_lot(nouveau)["document"], lot.id),
            )

    def retirer_de_l_attente(self, evenement_id: str) -> None:
        self._db.execute("DELETE FROM evenements_en_attente WHERE id = ?", (evenement_id,))

    def en_attente(
        self, juridictions: frozenset[str] | None, pagination: Pagination
    ) -> Page[EvenementEnAttente]:
        condition = "1"
        parametres: list[Any] = []
        if juridictions is not None:
            tries = sorted(juridictions)
            condition = f"juridiction_code IN ({', '.join('?' * len(tries))})" if tries else "0"
            parametres.extend(tries)
        total: int = self._db.execute(
            f"SELECT count(*) FROM evenements_en_attente WHERE {condition}", parametres
        ).fetchone()[0]
        lignes = self._db.execute(
            f"SELECT id, document FROM evenements_en_attente WHERE {condition} "
            f"{_ORDRE_DE_LA_LISTE} LIMIT ? OFFSET ?",
            [*parametres, pagination.par_page, pagination.decalage],
        ).fetchall()
        return Page(
            elements=tuple(_attente_de(ligne) for ligne in lignes),
            total=total,
            page=pagination.page,
            par_page=pagination.par_page,
        )
