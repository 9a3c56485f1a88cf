"""The dépôts flux over one SQLite connection (tables of migration 0012).

A chunk of a flux's integration writes its report entries and its registry entries with
one `executemany` each, and reads the registry for the chunk's references in one query
(the list travels as JSON), joined to the mémoires so that an entry whose mémoire was
deleted since (a draft) counts as absent.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import attrs

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.flux import INTROUVABLE, flux_termine, numero_pris, rang_pris
from chorus.adapters.storage.sqlite.depots import _Depot
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_json,
    instant_en_entier,
)
from chorus.adapters.storage.sqlite.schema import PREFIXE_DES_REFUS
from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve
from chorus.domain.flux.flux import (
    Flux,
    IssueReference,
    ReferenceIntegree,
    ResultatReference,
)
from chorus.domain.flux.lecture import ErreurFlux
from chorus.ports.requetes import Page, Pagination

_COLONNES = "id, version, document"


def ligne_flux(flux: Flux) -> dict[str, Any]:
    return {
        "id": flux.id,
        "version": flux.version,
        "numero": flux.numero,
        "structure_id": flux.structure_id,
        "statut": flux.statut.value,
        "date_depot": instant_en_entier(flux.date_depot),
        "document": en_json(vers_donnees(flux)),
    }


def flux_de(ligne: sqlite3.Row) -> Flux:
    try:
        return depuis_donnees(_document(ligne), Flux)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un flux", ligne["id"], erreur) from erreur


def ligne_resultat(flux_id: str, resultat: ResultatReference) -> tuple[Any, ...]:
    return (
        flux_id,
        resultat.rang,
        resultat.reference,
        resultat.issue.value,
        resultat.numero_memoire,
        resultat.memoire_id,
        en_json([[e.ligne, e.champ, e.message] for e in resultat.erreurs]),
    )


def _resultat_de(flux_id: str, ligne: sqlite3.Row) -> ResultatReference:
    try:
        return ResultatReference(
            rang=ligne["rang"],
            reference=ligne["reference"],
            issue=IssueReference(ligne["issue"]),
            numero_memoire=ligne["numero_memoire"],
            memoire_id=ligne["memoire_id"],
            erreurs=tuple(
                ErreurFlux(ligne=str(p), champ=c, message=str(m))
                for p, c, m in json.loads(ligne["erreurs"])
            ),
        )
    except (ValueError, TypeError) as erreur:
        raise _illisible("un compte rendu de flux", flux_id, erreur) from erreur


class DepotFlux(_Depot):
    def ajouter(self, flux: Flux) -> None:
        if self._une("SELECT 1 FROM flux WHERE id = ?", (flux.id,)) is not None:
            raise Conflit("Ce flux existe déjà.", champ="id")
        if self._une("SELECT 1 FROM flux WHERE numero = ?", (flux.numero,)) is not None:
            raise numero_pris(flux.numero)
        self._inserer("flux", ligne_flux(flux))

    def obtenir(self, flux_id: str) -> Flux:
        ligne = self._une(f"SELECT {_COLONNES} FROM flux WHERE id = ?", (flux_id,))
        if ligne is None:
            raise NonTrouve(INTROUVABLE, champ="numero_flux")
        return flux_de(ligne)

    def par_numero(self, numero: str) -> Flux | None:
        ligne = self._une(f"SELECT {_COLONNES} FROM flux WHERE numero = ?", (numero,))
        return None if ligne is None else flux_de(ligne)

    def enregistrer(self, flux: Flux) -> Flux:
        stocke = self.obtenir(flux.id)
        if stocke.version != flux.version:
            raise ConflitDeVersion(attendue=flux.version, actuelle=stocke.version)
        if stocke.statut.termine:
            raise flux_termine(stocke)
        suivant = attrs.evolve(flux, version=flux.version + 1)
        try:
            self._remplacer("flux", ligne_flux(suivant), flux.version)
        except sqlite3.IntegrityError as erreur:  # pragma: no cover - checked just above
            if str(erreur).startswith(PREFIXE_DES_REFUS):
                raise flux_termine(stocke) from None
            raise
        return suivant

    def pour_structure(self, structure_id: str, pagination: Pagination) -> Page[Flux]:
        total: int = self._db.execute(
            "SELECT count(*) FROM flux WHERE structure_id = ?", (structure_id,)
        ).fetchone()[0]
        lignes = self._db.execute(
            f"SELECT {_COLONNES} FROM flux WHERE structure_id = ? "
            "ORDER BY date_depot DESC, numero DESC LIMIT ? OFFSET ?",
            (structure_id, pagination.par_page, pagination.decalage),
        ).fetchall()
        return Page(
            elements=tuple(flux_de(ligne) for ligne in lignes),
            total=total,
            page=pagination.page,
            par_page=pagination.par_page,
        )

    def en_attente(self) -> Sequence[Flux]:
        lignes = self._db.execute(
            f"SELECT {_COLONNES} FROM flux WHERE statut NOT IN "
            "('IN_INTEGRE', 'IN_INTEGRE_PARTIEL', 'IN_REJETE') ORDER BY date_depot, numero"
        ).fetchall()
        return [flux_de(ligne) for ligne in lignes]

    def ajouter_resultats(self, flux_id: str, resultats: Sequence[ResultatReference]) -> None:
        try:
            self._db.conn.executemany(
                "INSERT INTO flux_resultats (flux_id, rang, reference, issue, numero_memoire, "
                "memoire_id, erreurs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [ligne_resultat(flux_id, r) for r in resultats],
            )
        except sqlite3.IntegrityError:
            pris = self._une(
                "SELECT min(rang) FROM flux_resultats WHERE flux_id = ? AND rang IN "
                "(SELECT value FROM json_each(?))",
                (flux_id, json.dumps([r.rang for r in resultats])),
            )
            rang = pris[0] if pris is not None and pris[0] is not None else resultats[0].rang
            raise rang_pris(flux_id, rang) from None

    def resultats(self, flux_id: str) -> Sequence[ResultatReference]:
        lignes = self._db.execute(
            "SELECT rang, reference, issue, numero_memoire, memoire_id, erreurs "
            "FROM flux_resultats WHERE flux_id = ? ORDER BY rang",
            (flux_id,),
        )
        return [_resultat_de(flux_id, ligne) for ligne in lignes]

    def references(
        self, structure_id: str, references: Collection[str]
    ) -> Mapping[str, ReferenceIntegree]:
        if not references:
            return {}
        lignes = self._db.execute(
            "SELECT r.reference, r.empreinte, r.memoire_id, m.numero, r.flux_numero "
            "FROM flux_references AS r JOIN memoires AS m ON m.id = r.memoire_id "
            "WHERE r.structure_id = ? AND r.reference IN (SELECT value FROM json_each(?))",
            (structure_id, json.dumps(sorted(set(references)))),
        )
        return {
            ligne[0]: ReferenceIntegree(
                structure_id=structure_id,
                reference=ligne[0],
                empreinte=ligne[1],
                memoire_id=ligne[2],
                numero_memoire=ligne[3],
                flux_numero=ligne[4],
            )
            for ligne in lignes
        }

    def enregistrer_references(self, entrees: Sequence[ReferenceIntegree]) -> None:
        self._db.conn.executemany(
            "INSERT OR REPLACE INTO flux_references (structure_id, reference, empreinte, "
            "memoire_id, numero_memoire, flux_numero) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    e.structure_id,
                    e.reference,
                    e.empreinte,
                    e.memoire_id,
                    e.numero_memoire,
                    e.flux_numero,
                )
                for e in entrees
            ],
        )
