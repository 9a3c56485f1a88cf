"""The activity feed in SQLite (table `activites`, see `schema_activite`).

A page of a feed is read in two steps: for each slice of the perimeter, the ids and dates
of its newest rows straight from the slice's index (never more than the page needs), merged
and cut to the page; then the documents of that page only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import attrs
from sqlite_utils import Database

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.activite import RANG_ACTIVITE, evenement_existant
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_json,
    instant_en_entier,
)
from chorus.domain.activite import (
    EvenementActivite,
    PerimetreActivite,
    TypeObjet,
    UnitePerimetre,
)
from chorus.domain.organisation import Application
from chorus.ports.requetes import Page, Pagination

# Slices read by one statement: well under SQLite's limit of terms in a compound SELECT.
_TRANCHE = 100


def ligne_activite(evenement: EvenementActivite) -> dict[str, Any]:
    return {
        "id": evenement.id,
        "structure_id": evenement.structure_id,
        "application": evenement.application.value,
        "service_id": evenement.service_id,
        "type_objet": evenement.type_objet.value,
        "objet_id": evenement.objet_id,
        "statut": evenement.statut,
        "date": instant_en_entier(evenement.date),
        "document": en_json(vers_donnees(evenement)),
    }


def activite_de(ligne: sqlite3.Row) -> EvenementActivite:
    """The event of a row read with its `id`, `document` and `rang`: the column is the
    rank (the documents of the rows ranked by migration 0014 do not hold it)."""
    try:
        evenement = depuis_donnees(_document(ligne), EvenementActivite)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un événement d'activité", ligne["id"], erreur) from erreur
    return attrs.evolve(evenement, rang=ligne["rang"])


def _condition(
    unite: UnitePerimetre, du: datetime | None, au: datetime | None
) -> tuple[str, list[Any]]:
    """The WHERE clause of one slice and its parameters."""
    if unite.service_id is None:
        clause = "structure_id = ? AND application = ?"
        parametres: list[Any] = [unite.structure_id, unite.application.value]
    else:
        clause = "structure_id = ? AND service_id = ? AND application = ?"
        parametres = [unite.structure_id, unite.service_id, unite.application.value]
    if du is not None:
        clause += " AND date >= ?"
        parametres.append(instant_en_entier(du))
    if au is not None:
        clause += " AND date < ?"
        parametres.append(instant_en_entier(au))
    return clause, parametres


def _tranches(unites: Sequence[UnitePerimetre]) -> Iterator[Sequence[UnitePerimetre]]:
    for debut in range(0, len(unites), _TRANCHE):
        yield unites[debut : debut + _TRANCHE]


class DepotActivites:
    def __init__(self, connexion: Callable[[], Database]) -> None:
        self._connexion = connexion

    @property
    def _db(self) -> Database:
        return self._connexion()

    def ajouter(self, evenements: Sequence[EvenementActivite]) -> None:
        if not evenements:
            return
        ids = [e.id for e in evenements]
        doublons = {i for i in ids if ids.count(i) > 1}
        pris = self._db.execute(
            "SELECT value FROM json_each(?) WHERE value IN (SELECT id FROM activites)",
            (json.dumps(ids),),
        ).fetchone()
        if doublons or pris is not None:
            raise evenement_existant(pris[0] if pris is not None else sorted(doublons)[0])
        # The ranks, taken in this writing transaction (BEGIN IMMEDIATE: one writer at a
        # time), so that they follow the commits: the batch's last is the sequence's value.
        dernier = self._db.execute(
            "INSERT INTO sequences (nom, valeur) VALUES (?, ?) "
            "ON CONFLICT (nom) DO UPDATE SET valeur = valeur + excluded.valeur "
            "RETURNING valeur",
            (RANG_ACTIVITE, len(evenements)),
        ).fetchone()[0]
        premier = dernier - len(evenements) + 1
        lignes = [
            {**ligne_activite(attrs.evolve(e, rang=rang)), "rang": rang}
            for rang, e in enumerate(evenements, start=premier)
        ]
        colonnes = ", ".join(lignes[0])
        places = ", ".join(f":{c}" for c in lignes[0])
        self._db.conn.executemany(f"INSERT INTO activites ({colonnes}) VALUES ({places})", lignes)

    def fil(
        self,
        perimetre: PerimetreActivite,
        pagination: Pagination,
        *,
        du: datetime | None = None,
        au: datetime | None = None,
    ) -> Page[EvenementActivite]:
        unites = perimetre.unites
        besoin = pagination.decalage + pagination.par_page
        # The newest `besoin` of each slice, merged: the page is among them.
        candidats: list[tuple[int, str]] = []
        for tranche in _tranches(unites):
            requetes: list[str] = []
            parametres: list[Any] = []
            for unite in tranche:
                clause, valeurs = _condition(unite, du, au)
                requetes.append(
                    "SELECT date, id FROM (SELECT date, id FROM activites "
                    f"WHERE {clause} ORDER BY date DESC, id DESC LIMIT ?)"
                )
                parametres += [*valeurs, besoin]
            candidats += [
                (ligne[0], ligne[1])
                for ligne in self._db.execute(" UNION ALL ".join(requetes), parametres)
            ]
        candidats.sort(reverse=True)
        page_ids = [i for _, i in candidats[pagination.decalage : besoin]]
        documents = {
            ligne["id"]: activite_de(ligne)
            for ligne in self._db.execute(
                "SELECT id, document, rang FROM activites "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(page_ids),),
            )
        }
        return Page(
            elements=tuple(documents[i] for i in page_ids),
            total=self._total(unites, du, au),
            page=pagination.page,
            par_page=pagination.par_page,
        )

    def _total(
        self, unites: Sequence[UnitePerimetre], du: datetime | None, au: datetime | None
    ) -> int:
        total = 0
        for tranche in _tranches(unites):
            requetes: list[str] = []
            parametres: list[Any] = []
            for unite in tranche:
                if du is None and au is None:
                    # The whole feed: from the counters, whatever the number of rows.
                    requetes.append(
                        "SELECT coalesce(sum(nombre), 0) FROM activites_comptes "
                        "WHERE structure_id = ? AND application = ?"
                        + ("" if unite.service_id is None else " AND service_id = ?")
                    )
                    parametres += [unite.structure_id, unite.application.value]
                    if unite.service_id is not None:
                        parametres.append(unite.service_id)
                    continue
                clause, valeurs = _condition(unite, du, au)
                requetes.append(f"SELECT count(*) FROM activites WHERE {clause}")
                parametres += valeurs
            total += sum(
                ligne[0] for ligne in self._db.execute(" UNION ALL ".join(requetes), parametres)
            )
        return total

    def compter(
        self,
        perimetre: PerimetreActivite,
        *,
        du: datetime | None = None,
        au: datetime | None = None,
    ) -> dict[tuple[TypeObjet, str], int]:
        nombres: dict[tuple[TypeObjet, str], int] = {}
        for tranche in _tranches(perimetre.unites):
            requetes: list[str] = []
            parametres: list[Any] = []
            for unite in tranche:
                clause, valeurs = _condition(unite, du, au)
                requetes.append(
                    "SELECT type_objet, statut, count(*) FROM activites "
                    f"WHERE {clause} GROUP BY type_objet, statut"
                )
                parametres += valeurs
            for type_objet, statut, nombre in self._db.execute(
                " UNION ALL ".join(requetes), parametres
            ):
                cle = (TypeObjet(type_objet), statut)
                nombres[cle] = nombres.get(cle, 0) + nombre
        return nombres

    def cycle_de_vie(
        self, structure_id: str, apres: int, limite: int
    ) -> Sequence[EvenementActivite]:
        # From the index (structure_id, application, rang): a page reads its rows only.
        return [
            activite_de(ligne)
            for ligne in self._db.execute(
                "SELECT id, document, rang FROM activites "
                "WHERE structure_id = ? AND application = ? AND rang > ? "
                "ORDER BY rang LIMIT ?",
                (structure_id, Application.FRAIS_DE_JUSTICE.value, apres, max(0, limite)),
            )
        ]

    def supprimer_objet(self, objet_id: str) -> int:
        # Through the index by object; the counters follow by trigger.
        curseur = self._db.execute("DELETE FROM activites WHERE objet_id = ?", (objet_id,))
        return curseur.rowcount
