"""The demandes TIC/TICGN over one SQLite connection (tables of migration 0008).

Searches filter and sort in SQL with the semantics of `ResumeDemandeTic.correspond` and
`trier_tic`; the year's uniqueness is the partial unique index's, so that it holds whatever
the concurrency and whoever writes; a sent demande is refused deletion or change by the
triggers as well as here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from chorus.adapters.storage.demandes_tic import (
    INTROUVABLE,
    deja_une_demande,
    numero_pris,
    verifier_changement,
)
from chorus.adapters.storage.sqlite import lignes_tic
from chorus.adapters.storage.sqlite.cache import CacheDeDecodage
from chorus.adapters.storage.sqlite.depots import _Depot
from chorus.adapters.storage.sqlite.lignes_sql import instant_en_entier
from chorus.adapters.storage.sqlite.lignes_tic import COLONNES_DU_RESUME
from chorus.adapters.storage.sqlite.schema import PREFIXE_DES_REFUS
from chorus.adapters.storage.versions import version_suivante
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.errors import NonTrouve, TransitionInvalide
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.requetes import Page, Pagination
from chorus.ports.tic import (
    CleDeTriTic,
    CriteresDemandeTic,
    EvenementSuiviTic,
    ResumeDemandeTic,
    TriTic,
)

# A demande with 50 lines decodes in about a millisecond; farmers read theirs again and
# again while they fill them in.
DEMANDES_TIC_PAR_DEFAUT = 1024

_DECODEES = "id, version, document"

_COLONNES_DE_TRI = {
    CleDeTriTic.NUMERO: "numero",
    CleDeTriTic.ANNEE: "annee",
    CleDeTriTic.DATE_CREATION: "date_creation",
    CleDeTriTic.DATE_DEPOT: "date_depot",
    CleDeTriTic.DATE_STATUT: "date_statut",
    # Amounts are rounded to the cent: their cents sort as the decimals do.
    CleDeTriTic.MONTANT_TOTAL: "montant_total_centimes",
    CleDeTriTic.STATUT: "statut",
}


def _ordre(tri: TriTic) -> str:
    """`trier_tic`'s order: by the key, ties by id, both in the tri's direction, rows
    without a value last either way."""
    colonne = _COLONNES_DE_TRI[tri.cle]
    sens = "DESC" if tri.descendant else "ASC"
    # Only the date de dépôt can be missing; elsewhere the order stays one an index holds.
    nulles_a_la_fin = f"{colonne} IS NULL, " if tri.cle is CleDeTriTic.DATE_DEPOT else ""
    return f"{nulles_a_la_fin}{colonne} {sens}, id {sens}"


def _places(nombre: int) -> str:
    # Listed rather than a JSON array: the planner then reads each structure's rows from
    # the index (it cannot see through `json_each`).
    return ", ".join("?" * nombre)


def _debut_du_jour(jour: date) -> int | None:
    """The first instant of `jour` in Paris; None when the calendar cannot hold it."""
    try:
        return instant_en_entier(datetime.combine(jour, time(0), tzinfo=FUSEAU_PORTAIL))
    except OverflowError:
        return None


def _lendemain(jour: date) -> int | None:
    try:
        return _debut_du_jour(jour + timedelta(days=1))
    except OverflowError:
        return None


def _condition(criteres: CriteresDemandeTic) -> tuple[str, list[Any]] | None:
    """The WHERE clause of `criteres` and its parameters; None when nothing can match."""
    termes: list[str] = []
    parametres: list[Any] = []
    if criteres.structures is not None:
        if not criteres.structures:
            return None
        termes.append(f"structure_id IN ({_places(len(criteres.structures))})")
        parametres.extend(sorted(criteres.structures))
    if not criteres.inclure_brouillons:
        termes.append("statut <> 'BROUILLON'")
    f = criteres.filtres
    if f.numero is not None:
        termes.append("numero = ?")
        parametres.append(f.numero.strip().upper())
    if f.structure_id is not None:
        termes.append("structure_id = ?")
        parametres.append(f.structure_id)
    if f.annee is not None:
        termes.append("annee = ?")
        parametres.append(f.annee)
    if f.produit is not None:
        termes.append("EXISTS (SELECT 1 FROM json_each(produits) WHERE value = ?)")
        parametres.append(f.produit.value)
    if f.statuts:
        statuts = sorted(s.value for s in f.statuts)
        termes.append(f"statut IN ({_places(len(statuts))})")
        parametres.extend(statuts)
    if f.date_depot_du is not None or f.date_depot_au is not None:
        # A draft has no date de dépôt: it never matches a bound, as in the reference.
        termes.append("date_depot IS NOT NULL")
        if f.date_depot_du is not None and (debut := _debut_du_jour(f.date_depot_du)) is not None:
            termes.append("date_depot >= ?")
            parametres.append(debut)
        if f.date_depot_au is not None and (fin := _lendemain(f.date_depot_au)) is not None:
            termes.append("date_depot < ?")
            parametres.append(fin)
    return " AND ".join(termes) or "1", parametres


class DepotDemandesTic(_Depot):
    def __init__(
        self, connexion: Callable[[], Database], cache: CacheDeDecodage[DemandeTic]
    ) -> None:
        super().__init__(connexion)
        self._cache = cache

    # -- writing -------------------------------------------------------------------------

    def _ecrire_evenements(self, demande: DemandeTic) -> None:
        # A history has a handful of entries: written again whole with the row.
        self._db.execute("DELETE FROM evenements_tic WHERE demande_id = ?", (demande.id,))
        self._db.conn.executemany(
            "INSERT INTO evenements_tic (demande_id, rang, structure_id, numero, date_maj, "
            "document) VALUES (:demande_id, :rang, :structure_id, :numero, :date_maj, "
            ":document)",
            lignes_tic.lignes_evenements(demande),
        )

    def ajouter(self, demande: DemandeTic) -> None:
        if (
            self._une(
                "SELECT 1 FROM demandes_tic WHERE id = ? OR numero = ?",
                (demande.id, demande.numero),
            )
            is not None
        ):
            raise numero_pris(demande.numero)
        try:
            self._inserer("demandes_tic", lignes_tic.ligne_demande_tic(demande))
            self._ecrire_evenements(demande)
        except sqlite3.IntegrityError as erreur:
            raise self._traduire(erreur, demande) from None

    def obtenir(self, demande_id: str) -> DemandeTic:
        demande = self._charger("id = ?", demande_id)
        if demande is None:
            raise NonTrouve(INTROUVABLE)
        return demande

    def _charger(self, ou: str, valeur: str) -> DemandeTic | None:
        ligne = self._une(f"SELECT {_DECODEES} FROM demandes_tic WHERE {ou}", (valeur,))
        if ligne is None:
            return None
        return self._cache.obtenir(
            ligne["id"],
            (ligne["version"], ligne["document"]),
            lambda: lignes_tic.demande_tic_de(ligne),
        )

    def par_numero(self, numero: str) -> DemandeTic | None:
        return self._charger("numero = ?", numero)

    def enregistrer(self, demande: DemandeTic) -> DemandeTic:
        stockee = self._une("SELECT version, statut FROM demandes_tic WHERE id = ?", (demande.id,))
        suivante = version_suivante(None if stockee is None else stockee["version"], demande)
        assert stockee is not None
        if stockee["statut"] != StatutDemandeTic.BROUILLON.value:
            verifier_changement(self.obtenir(demande.id), suivante)
        try:
            self._remplacer("demandes_tic", lignes_tic.ligne_demande_tic(suivante), demande.version)
            self._ecrire_evenements(suivante)
        except sqlite3.IntegrityError as erreur:
            raise self._traduire(erreur, suivante) from None
        return suivante

    def supprimer(self, demande_id: str) -> None:
        demande = self.obtenir(demande_id)
        demande.verifier_suppression()
        try:
            self._db.execute("DELETE FROM demandes_tic WHERE id = ?", (demande_id,))
        except sqlite3.IntegrityError as erreur:  # pragma: no cover - checked just above
            raise self._traduire(erreur, demande) from None

    def _traduire(self, erreur: sqlite3.IntegrityError, demande: DemandeTic) -> Exception:
        """The domain's error for a constraint the database enforced."""
        message = str(erreur)
        if message.startswith(PREFIXE_DES_REFUS):
            return TransitionInvalide(
                f"La demande n°{demande.numero} a été envoyée : son contenu ne peut plus "
                "changer ni être supprimé ; elle reste consultable pendant 10 ans."
            )
        if "demandes_tic.structure_id" in message:
            autre = self._une(
                f"SELECT {COLONNES_DU_RESUME} FROM demandes_tic WHERE structure_id = ? "
                "AND annee = ? AND statut <> 'REJETEE' AND id <> ?",
                (demande.structure_id, demande.annee, demande.id),
            )
            if autre is not None:
                return deja_une_demande(demande.annee, lignes_tic.resume_tic_de(autre))
        if "demandes_tic.numero" in message or "demandes_tic.id" in message:
            return numero_pris(demande.numero)
        return erreur

    # -- reading -------------------------------------------------------------------------

    def actives(self, structure_id: str, annee: int) -> Sequence[ResumeDemandeTic]:
        lignes = self._db.execute(
            f"SELECT {COLONNES_DU_RESUME} FROM demandes_tic WHERE structure_id = ? "
            "AND annee = ? AND statut <> 'REJETEE' ORDER BY id",
            (structure_id, annee),
        )
        return [lignes_tic.resume_tic_de(ligne) for ligne in lignes]

    def rechercher(
        self, criteres: CriteresDemandeTic, tri: TriTic, pagination: Pagination
    ) -> Page[ResumeDemandeTic]:
        ou = _condition(criteres)
        if ou is None:
            return Page((), 0, pagination.page, pagination.par_page)
        sql, parametres = ou
        total: int = self._db.execute(
            f"SELECT count(*) FROM demandes_tic WHERE {sql}", parametres
        ).fetchone()[0]
        lignes = self._db.execute(
            f"SELECT {COLONNES_DU_RESUME} FROM demandes_tic WHERE {sql} "
            f"ORDER BY {_ordre(tri)} LIMIT ? OFFSET ?",
            (*parametres, pagination.par_page, pagination.decalage),
        )
        return Page(
            tuple(lignes_tic.resume_tic_de(ligne) for ligne in lignes),
            total,
            pagination.page,
            pagination.par_page,
        )

    def tous(self, criteres: CriteresDemandeTic, tri: TriTic) -> Sequence[ResumeDemandeTic]:
        ou = _condition(criteres)
        if ou is None:
            return []
        sql, parametres = ou
        lignes = self._db.execute(
            f"SELECT {COLONNES_DU_RESUME} FROM demandes_tic WHERE {sql} ORDER BY {_ordre(tri)}",
            parametres,
        )
        return [lignes_tic.resume_tic_de(ligne) for ligne in lignes]

    def compter_par_statut(
        self, structures: frozenset[str] | None
    ) -> dict[str, dict[StatutDemandeTic, int]]:
        parametres: tuple[str, ...] = ()
        if structures is None:
            ou = "statut <> 'BROUILLON'"
        elif not structures:
            return {}
        else:
            ou = f"structure_id IN ({_places(len(structures))})"
            parametres = tuple(sorted(structures))
        comptes: dict[str, dict[StatutDemandeTic, int]] = {}
        for ligne in self._db.execute(
            f"SELECT structure_id, statut, count(*) AS nombre FROM demandes_tic WHERE {ou} "
            "GROUP BY structure_id, statut",
            parametres,
        ):
            comptes.setdefault(ligne["structure_id"], {})[StatutDemandeTic(ligne["statut"])] = (
                ligne["nombre"]
            )
        return comptes

    def evenements_recents(
        self, structures: frozenset[str], limite: int
    ) -> Sequence[EvenementSuiviTic]:
        if not structures or limite <= 0:
            return []
        # `recents`' order: latest first, ties by number, then in the history's order.
        lignes = self._db.execute(
            "SELECT e.demande_id, e.numero, e.structure_id, d.annee, e.document "
            "FROM evenements_tic AS e JOIN demandes_tic AS d ON d.id = e.demande_id "
            f"WHERE e.structure_id IN ({_places(len(structures))}) "
            "ORDER BY e.date_maj DESC, e.numero DESC, e.rang ASC LIMIT ?",
            (*sorted(structures), limite),
        )
        return [lignes_tic.evenement_suivi_de(ligne) for ligne in lignes]

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        lignes = self._db.execute(
            "SELECT c.value FROM json_each(?) AS c "
            "WHERE EXISTS (SELECT 1 FROM contenus_tic AS r WHERE r.sha256 = c.value)",
            (json.dumps(sorted(set(sha256s))),),
        )
        return frozenset(ligne[0] for ligne in lignes)
