"""The repositories, the queries and the sequences over one SQLite connection.

Each works inside the transaction its unit of work opened; none commits. A stale save is
refused by comparing versions under the write lock the transaction already holds.

Structures, users, mémoires and jetons are read through a `CacheDeDecodage` (see
`cache`): the row is always read in the transaction, its document decoded only when the
cache holds no object decoded from that very text.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlite_utils import Database

from chorus.adapters.storage import purges
from chorus.adapters.storage.sqlite import lignes_comptes, lignes_purges, lignes_sql
from chorus.adapters.storage.sqlite.cache import CacheDeDecodage
from chorus.adapters.storage.sqlite.lignes_sql import instant_en_entier
from chorus.adapters.storage.sqlite.recherche import (
    Compteurs,
    Condition,
    avec_valeur,
    condition,
    ordre,
    sans_valeur_a_la_fin,
    vaut_un_parcours,
)
from chorus.adapters.storage.sqlite.schema import PREFIXE_DES_REFUS
from chorus.adapters.storage.versions import version_suivante
from chorus.domain.acces import Perimetre
from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import ESSAIS_MAXIMUM, Courriel
from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve, TransitionInvalide
from chorus.domain.jetons import Jeton, NatureJeton
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure, TypeIdentifiant
from chorus.domain.statuts import StatutMemoire
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import (
    CriteresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
    Sommes,
    Tri,
)

_A = TypeVar("_A", Structure, Utilisateur, Memoire, Jeton, Courriel)


class _Depot:
    def __init__(self, connexion: Callable[[], Database]) -> None:
        self._connexion = connexion

    @property
    def _db(self) -> Database:
        return self._connexion()

    def _une(self, requete: str, parametres: Sequence[Any] = ()) -> sqlite3.Row | None:
        ligne: sqlite3.Row | None = self._db.execute(requete, parametres).fetchone()
        return ligne

    def _inserer(self, table: str, ligne: dict[str, Any]) -> None:
        colonnes = ", ".join(ligne)
        places = ", ".join(f":{c}" for c in ligne)
        self._db.execute(f"INSERT INTO {table} ({colonnes}) VALUES ({places})", ligne)

    def _remplacer(self, table: str, ligne: dict[str, Any], version_lue: int) -> None:
        """UPDATE the row read at `version_lue`; the caller has checked that version."""
        affectations = ", ".join(f"{c} = :{c}" for c in ligne if c != "id")
        curseur = self._db.execute(
            f"UPDATE {table} SET {affectations} WHERE id = :id AND version = :version_lue",
            {**ligne, "version_lue": version_lue},
        )
        if curseur.rowcount != 1:  # pragma: no cover - the write lock makes this impossible
            raise ConflitDeVersion(attendue=version_lue, actuelle=version_lue + 1)

    def _suivante(self, table: str, agregat: _A) -> _A:
        ligne = self._une(f"SELECT version FROM {table} WHERE id = ?", (agregat.id,))
        return version_suivante(None if ligne is None else ligne["version"], agregat)


# What a cached aggregate is checked against: the columns its decoding reads.
_DECODEES = "id, version, document"


def _decodee(
    cache: CacheDeDecodage[_A], ligne: sqlite3.Row, decoder: Callable[[sqlite3.Row], _A]
) -> _A:
    """The aggregate of a row of `_DECODEES`, decoded unless the cache already has it."""
    return cache.obtenir(ligne["id"], (ligne["version"], ligne["document"]), lambda: decoder(ligne))


class DepotStructures(_Depot):
    def __init__(
        self, connexion: Callable[[], Database], cache: CacheDeDecodage[Structure]
    ) -> None:
        super().__init__(connexion)
        self._cache = cache

    def ajouter(self, structure: Structure) -> None:
        if self.par_identifiant(structure.type_identifiant, structure.identifiant) is not None:
            raise Conflit("Une structure existe déjà avec cet identifiant.", champ="identifiant")
        if self._une("SELECT 1 FROM structures WHERE id = ?", (structure.id,)) is not None:
            raise Conflit("Une structure existe déjà avec cet identifiant.", champ="identifiant")
        self._inserer("structures", lignes_sql.ligne_structure(structure))
        self._rattacher(structure)

    def _rattacher(self, structure: Structure) -> None:
        self._db.execute("DELETE FROM rattachements WHERE structure_id = ?", (structure.id,))
        self._db.conn.executemany(
            "INSERT OR IGNORE INTO rattachements (utilisateur_id, structure_id) VALUES (?, ?)",
            [(r.utilisateur_id, structure.id) for r in structure.rattachements],
        )

    def obtenir(self, structure_id: str) -> Structure:
        ligne = self._une(f"SELECT {_DECODEES} FROM structures WHERE id = ?", (structure_id,))
        if ligne is None:
            raise NonTrouve(
                "Introuvable : cette structure n'existe pas ou ne vous est pas accessible."
            )
        return _decodee(self._cache, ligne, lignes_sql.structure_de)

    def par_identifiant(
        self, type_identifiant: TypeIdentifiant, identifiant: str
    ) -> Structure | None:
        ligne = self._une(
            f"SELECT {_DECODEES} FROM structures WHERE type_identifiant = ? AND identifiant = ?",
            (type_identifiant.value, identifiant),
        )
        return None if ligne is None else _decodee(self._cache, ligne, lignes_sql.structure_de)

    def enregistrer(self, structure: Structure) -> Structure:
        suivante = self._suivante("structures", structure)
        try:
            self._remplacer("structures", lignes_sql.ligne_structure(suivante), structure.version)
        except sqlite3.IntegrityError:
            raise Conflit(
                "Une structure existe déjà avec cet identifiant.", champ="identifiant"
            ) from None
        self._rattacher(suivante)
        return suivante

    def pour_utilisateur(self, utilisateur_id: str) -> Sequence[Structure]:
        lignes = self._db.execute(
            "SELECT s.id, s.version, s.document FROM rattachements r "
            "JOIN structures s ON s.id = r.structure_id WHERE r.utilisateur_id = ?",
            (utilisateur_id,),
        ).fetchall()
        return sorted(
            (_decodee(self._cache, ligne, lignes_sql.structure_de) for ligne in lignes),
            key=lambda s: (s.raison_sociale.casefold(), s.id),
        )

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        return _references(self._db, "structure", sha256s, ())


def _references(
    db: Database, detenteur: str, sha256s: Collection[str], sauf: Collection[str]
) -> frozenset[str]:
    """Those of `sha256s` a holder of that kind (other than those of `sauf`) refers to;
    the lists travel as JSON, whatever their length."""
    lignes = db.execute(
        "SELECT c.value FROM json_each(:cherches) AS c WHERE EXISTS ("
        "SELECT 1 FROM contenus_references AS r WHERE r.sha256 = c.value "
        "AND r.detenteur = :detenteur "
        "AND r.detenteur_id NOT IN (SELECT value FROM json_each(:sauf)))",
        {
            "cherches": json.dumps(sorted(set(sha256s))),
            "detenteur": detenteur,
            "sauf": json.dumps(sorted(set(sauf))),
        },
    )
    return frozenset(ligne[0] for ligne in lignes)


class DepotUtilisateurs(_Depot):
    def __init__(
        self, connexion: Callable[[], Database], cache: CacheDeDecodage[Utilisateur]
    ) -> None:
        super().__init__(connexion)
        self._cache = cache

    def ajouter(self, utilisateur: Utilisateur) -> None:
        if (
            self.par_email(utilisateur.email) is not None
            or self._une("SELECT 1 FROM utilisateurs WHERE id = ?", (utilisateur.id,)) is not None
        ):
            raise Conflit("Un compte existe déjà avec cette adresse électronique.", champ="email")
        self._inserer("utilisateurs", lignes_sql.ligne_utilisateur(utilisateur))

    def obtenir(self, utilisateur_id: str) -> Utilisateur:
        ligne = self._une(f"SELECT {_DECODEES} FROM utilisateurs WHERE id = ?", (utilisateur_id,))
        if ligne is None:
            raise NonTrouve("Introuvable : cet utilisateur n'existe pas.")
        return _decodee(self._cache, ligne, lignes_sql.utilisateur_de)

    def par_email(self, email: str) -> Utilisateur | None:
        ligne = self._une(f"SELECT {_DECODEES} FROM utilisateurs WHERE email = ?", (email.lower(),))
        return None if ligne is None else _decodee(self._cache, ligne, lignes_sql.utilisateur_de)

    def enregistrer(self, utilisateur: Utilisateur) -> Utilisateur:
        suivant = self._suivante("utilisateurs", utilisateur)
        try:
            self._remplacer(
                "utilisateurs", lignes_sql.ligne_utilisateur(suivant), utilisateur.version
            )
        except sqlite3.IntegrityError:
            raise Conflit(
                "Un compte existe déjà avec cette adresse électronique.", champ="email"
            ) from None
        return suivant

    def abonnes_au_suivi(
        self, quotidien: bool, apres: str | None, limite: int
    ) -> Sequence[Utilisateur]:
        # A daily or weekly batch walks the table by id once; no index is worth its upkeep.
        preference = "$.suivi_quotidien" if quotidien else "$.suivi_hebdomadaire"
        lignes = self._db.execute(
            f"SELECT {_DECODEES} FROM utilisateurs WHERE id > ? "
            "AND json_extract(document, '$.statut') = 'ACTIF' "
            "AND json_extract(document, '$.role') IS NULL "
            "AND json_extract(document, '$.technique_pour') IS NULL "
            "AND json_extract(document, ?) = 1 ORDER BY id LIMIT ?",
            ("" if apres is None else apres, preference, max(0, limite)),
        )
        return [_decodee(self._cache, ligne, lignes_sql.utilisateur_de) for ligne in lignes]


_REFUS_APRES_ENVOI = (
    "Ce mémoire a été transmis : son contenu ne peut plus être modifié ; il reste "
    "consultable pendant 10 ans."
)


# A mémoire's lines live in their own table: the cache checks them too, as one text (the
# columns its decoding reads, in the table's order), read in the same statement as the row.
_LIGNES_EN_TEXTE = (
    "SELECT json_group_array(json_array("
    + ", ".join(lignes_sql.colonnes_des_lignes()[1:])
    + ")) FROM lignes_prestation WHERE memoire_id = m.id"
)


# The columns a `ResumeMemoire` is read from (`lignes_sql.resume_de`).
_COLONNES_DU_RESUME = (
    "id, numero, numero_brouillon, structure_id, service_id, juridiction_code, "
    "categorie_prestataire, texte_reference, numero_engagement_juridique, numero_facture, "
    "statut, mode_depot, date_creation, date_depot, date_statut, montant_ht, montant_tva, "
    "montant_ttc, net_a_payer, montant_paye, date_paiement, numeros_affaire, parent_id"
)


class DepotMemoires(_Depot):
    def __init__(self, connexion: Callable[[], Database], cache: CacheDeDecodage[Memoire]) -> None:
        super().__init__(connexion)
        self._cache = cache

    def _ecrire_lignes(self, memoire: Memoire) -> None:
        colonnes = lignes_sql.colonnes_des_lignes()
        self._db.conn.executemany(
            f"INSERT INTO lignes_prestation ({', '.join(colonnes)}) "
            f"VALUES ({', '.join(':' + c for c in colonnes)})",
            lignes_sql.lignes_de_prestation(memoire),
        )

    def ajouter(self, memoire: Memoire) -> None:
        if self.purgee(memoire.id) is not None:
            raise purges.id_purge(memoire.id)
        if (
            self._une(
                "SELECT 1 FROM memoires WHERE id = ? OR numero = ?", (memoire.id, memoire.numero)
            )
            is not None
        ):
            raise Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
        try:
            # Lines first: their key to the mémoire is checked at commit (see the schema).
            self._ecrire_lignes(memoire)
            self._inserer("memoires", lignes_sql.ligne_memoire(memoire))
        except sqlite3.IntegrityError as erreur:
            raise _traduire(erreur, memoire) from None

    def ajouter_plusieurs(self, memoires: Sequence[Memoire]) -> None:
        """As `ajouter` each, with three indexed queries for the checks and one
        `executemany` per table (a flux integrates hundreds at a time)."""
        if not memoires:
            return
        par_id = {m.id: m for m in memoires}
        par_numero = {m.numero: m for m in memoires}
        if len(par_id) != len(memoires) or len(par_numero) != len(memoires):
            doublon = next(
                m for m in memoires if par_numero[m.numero] is not m or par_id[m.id] is not m
            )
            raise Conflit(f"Le numéro {doublon.numero} est déjà attribué.", champ="numero")
        ids = json.dumps(list(par_id))
        purge = self._une(
            "SELECT memoire_id FROM purges WHERE memoire_id IN (SELECT value FROM json_each(?)) "
            "LIMIT 1",
            (ids,),
        )
        if purge is not None:
            raise purges.id_purge(purge[0])
        # Two lookups, each through its unique index (an OR would scan the table).
        pris = self._une(
            "SELECT id, numero FROM memoires WHERE id IN (SELECT value FROM json_each(?)) LIMIT 1",
            (ids,),
        ) or self._une(
            "SELECT id, numero FROM memoires WHERE numero IN (SELECT value FROM json_each(?)) "
            "LIMIT 1",
            (json.dumps(list(par_numero)),),
        )
        if pris is not None:
            memoire = par_id.get(pris["id"]) or par_numero[pris["numero"]]
            raise Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
        colonnes = lignes_sql.colonnes_des_lignes()
        rangees = [lignes_sql.ligne_memoire(m) for m in memoires]
        try:
            # Lines first: their key to the mémoire is checked at commit (see the schema).
            self._db.conn.executemany(
                f"INSERT INTO lignes_prestation ({', '.join(colonnes)}) "
                f"VALUES ({', '.join(':' + c for c in colonnes)})",
                [ligne for m in memoires for ligne in lignes_sql.lignes_de_prestation(m)],
            )
            self._db.conn.executemany(
                f"INSERT INTO memoires ({', '.join(rangees[0])}) "
                f"VALUES ({', '.join(':' + c for c in rangees[0])})",
                rangees,
            )
        except sqlite3.IntegrityError as erreur:
            raise _traduire(erreur, memoires[0]) from None

    def obtenir(self, memoire_id: str) -> Memoire:
        memoire = self._charger("id = ?", memoire_id)
        if memoire is None:
            raise NonTrouve("Introuvable : ce mémoire n'existe pas ou ne vous est pas accessible.")
        return memoire

    def _charger(self, ou: str, valeur: str) -> Memoire | None:
        ligne = self._une(
            f"SELECT {_DECODEES}, ({_LIGNES_EN_TEXTE}) AS lignes FROM memoires AS m WHERE {ou}",
            (valeur,),
        )
        if ligne is None:
            return None
        texte = (ligne["version"], ligne["document"], ligne["lignes"])
        return self._cache.obtenir(ligne["id"], texte, lambda: self._decoder(ligne))

    def _decoder(self, ligne: sqlite3.Row) -> Memoire:
        # Same transaction as `ligne`: these are the lines its text was read from.
        lignes = self._db.execute(
            "SELECT * FROM lignes_prestation WHERE memoire_id = ? ORDER BY numero_ligne",
            (ligne["id"],),
        ).fetchall()
        return lignes_sql.memoire_de(ligne, lignes)

    def par_numero(self, numero: str) -> Memoire | None:
        return self._charger("numero = ?", numero)

    def par_empreinte(self, empreinte: str) -> Memoire | None:
        return self._charger("empreinte = ?", empreinte)

    def enregistrer(self, memoire: Memoire) -> Memoire:
        stockee = self._une("SELECT version, statut FROM memoires WHERE id = ?", (memoire.id,))
        suivant = version_suivante(None if stockee is None else stockee["version"], memoire)
        assert stockee is not None
        try:
            if stockee["statut"] == StatutMemoire.BROUILLON.value:
                # A draft's lines are few and may all have changed: write them again
                # (before the row, while the stored mémoire is still a draft).
                self._db.execute(
                    "DELETE FROM lignes_prestation WHERE memoire_id = ?", (memoire.id,)
                )
                self._ecrire_lignes(suivant)
            self._remplacer("memoires", lignes_sql.ligne_memoire(suivant), memoire.version)
        except sqlite3.IntegrityError as erreur:
            raise _traduire(erreur, suivant) from None
        return suivant

    def supprimer(self, memoire_id: str) -> None:
        self.obtenir(memoire_id).verifier_suppression()
        try:
            self._db.execute("DELETE FROM memoires WHERE id = ?", (memoire_id,))
        except sqlite3.IntegrityError as erreur:  # pragma: no cover - checked just above
            raise TransitionInvalide(_REFUS_APRES_ENVOI) from erreur

    def a_purger(
        self,
        *,
        deposes_avant: datetime,
        statuts: frozenset[StatutMemoire],
        apres: ResumeMemoire | None,
        limite: int,
    ) -> Sequence[ResumeMemoire]:
        codes = sorted(s.value for s in statuts)
        if not codes:
            return []
        parametres: list[Any] = [instant_en_entier(deposes_avant), *codes]
        suite = ""
        if apres is not None and apres.date_depot is not None:
            suite = "AND date_depot >= ? AND (date_depot > ? OR id > ?) "
            depuis = instant_en_entier(apres.date_depot)
            parametres += [depuis, depuis, apres.id]
        # Walked in the order of deposits (`+statut`: not through the index of statuses,
        # which would sort every paid mémoire of the store at each batch).
        lignes = self._db.execute(
            f"SELECT {_COLONNES_DU_RESUME} FROM memoires "
            f"WHERE date_depot < ? AND +statut IN ({', '.join('?' * len(codes))}) {suite}"
            "ORDER BY date_depot, id LIMIT ?",
            (*parametres, max(0, limite)),
        )
        return [lignes_sql.resume_de(ligne) for ligne in lignes]

    def purger(self, memoire_id: str, date_purge: datetime) -> MemoirePurgee:
        purgee = MemoirePurgee.de(self.obtenir(memoire_id), date_purge)
        # The entry's trigger removes the mémoire, lines first, in this same statement
        # (see the schema): the register and the removal cannot part.
        self._inserer("purges", lignes_purges.ligne_purge(purgee))
        return purgee

    def purgee(self, memoire_id: str) -> MemoirePurgee | None:
        ligne = self._une(
            "SELECT memoire_id, document FROM purges WHERE memoire_id = ?", (memoire_id,)
        )
        return None if ligne is None else lignes_purges.purgee_de(ligne)

    def contenus_references(
        self, sha256s: Collection[str], *, sauf: Collection[str] = ()
    ) -> frozenset[str]:
        return _references(self._db, "memoire", sha256s, sauf)


def _traduire(erreur: sqlite3.IntegrityError, memoire: Memoire) -> Exception:
    """The domain's error for a constraint the database enforced."""
    message = str(erreur)
    if message.startswith(PREFIXE_DES_REFUS):
        return TransitionInvalide(_REFUS_APRES_ENVOI)
    if "memoires.numero" in message or "memoires.id" in message:
        return Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
    if "memoires.empreinte" in message:
        return Conflit("Cette empreinte est déjà celle d'un autre mémoire.", champ="empreinte")
    return erreur


class RequetesMemoires(_Depot):
    def rechercher(
        self, criteres: CriteresMemoire, tri: Tri, pagination: Pagination
    ) -> Page[ResumeMemoire]:
        ou = condition(criteres)
        if ou.impossible:
            return Page((), 0, pagination.page, pagination.par_page)
        total = self._compter(ou)
        elements: list[ResumeMemoire] = []
        if pagination.decalage < total and not sans_valeur_a_la_fin(tri):
            elements = self._page(ou, tri, pagination.decalage, pagination.par_page, total)
        elif pagination.decalage < total:
            # Rows with a value first, in an order an index holds; then those without.
            # Rows without a value are drafts, few: count those.
            avec = total - self._compter_en_plus(ou, avec_valeur(tri, False))
            if pagination.decalage < avec:
                elements = self._page(
                    ou, tri, pagination.decalage, pagination.par_page, avec, avec_valeur(tri, True)
                )
            reste = pagination.par_page - len(elements)
            if reste > 0:
                elements += self._page(
                    ou,
                    tri,
                    max(0, pagination.decalage - avec),
                    reste,
                    total - avec,
                    avec_valeur(tri, False),
                )
        return Page(tuple(elements), total, pagination.page, pagination.par_page)

    def _page(
        self,
        ou: Condition,
        tri: Tri,
        decalage: int,
        nombre: int,
        total: int,
        en_plus: str = "1",
    ) -> list[ResumeMemoire]:
        sql, parametres = ou.sql, ou.parametres
        if not ou.selective and vaut_un_parcours(total, self._taille(), decalage + nombre):
            if ou.fusion is not None:
                return self._page_fusionnee(ou.fusion, tri, decalage, nombre, en_plus)
            sql, parametres = ou.sql_parcours, ou.parametres_parcours
        lignes = self._db.execute(
            f"SELECT {_COLONNES_DU_RESUME} FROM memoires WHERE {sql} AND {en_plus} "
            f"ORDER BY {ordre(tri)} LIMIT ? OFFSET ?",
            (*parametres, nombre, decalage),
        )
        return [lignes_sql.resume_de(ligne) for ligne in lignes]

    def _page_fusionnee(
        self,
        fusion: tuple[tuple[str, ...], str, tuple[Any, ...]],
        tri: Tri,
        decalage: int,
        nombre: int,
        en_plus: str,
    ) -> list[ResumeMemoire]:
        """The page merged from each structure's first rows in the order: every branch reads
        at most `decalage + nombre` rows through its structure's ordered index."""
        structures, reste, parametres_reste = fusion
        branche = (
            f"SELECT * FROM (SELECT {_COLONNES_DU_RESUME}, montant_ttc_centimes, "
            f"net_a_payer_centimes FROM memoires WHERE structure_id = ? AND {reste} "
            f"AND {en_plus} ORDER BY {ordre(tri)} LIMIT {decalage + nombre})"
        )
        parametres: list[Any] = []
        for structure_id in structures:
            parametres.extend((structure_id, *parametres_reste))
        lignes = self._db.execute(
            f"SELECT * FROM ({' UNION ALL '.join([branche] * len(structures))}) "
            f"ORDER BY {ordre(tri)} LIMIT ? OFFSET ?",
            (*parametres, nombre, decalage),
        )
        return [lignes_sql.resume_de(ligne) for ligne in lignes]

    def _compter_en_plus(self, ou: Condition, en_plus: str) -> int:
        nombre: int = self._db.execute(
            f"SELECT count(*) FROM memoires WHERE {ou.sql} AND {en_plus}", ou.parametres
        ).fetchone()[0]
        return nombre

    def _taille(self) -> int:
        """About how many mémoires there are (rowids only grow; drafts deleted are few)."""
        taille: int | None = self._db.execute("SELECT max(rowid) FROM memoires").fetchone()[0]
        return taille or 0

    def _compter(self, ou: Condition) -> int:
        if ou.compteurs is not None:
            return self._compter_par_compteurs(ou.compteurs)
        total: int = self._db.execute(
            f"SELECT count(*) FROM memoires WHERE {ou.sql}", ou.parametres
        ).fetchone()[0]
        return total

    def _compter_par_compteurs(self, c: Compteurs) -> int:
        if c.perimetre is None:
            juridictions = sorted(c.juridictions or ())
            if not juridictions:
                return 0
            lignes = self._db.execute(
                "SELECT statut, nombre FROM comptes_par_juridiction "
                f"WHERE juridiction_code IN ({', '.join('?' * len(juridictions))})",
                juridictions,
            )
            return sum(
                ligne["nombre"]
                for ligne in lignes
                if c.statuts is None or ligne["statut"] in c.statuts
            )
        return sum(
            nombre
            for structure_id, service_id, statut, nombre in self._comptes(c.perimetre)
            if (c.structure_id is None or structure_id == c.structure_id)
            and (c.service_id is None or service_id == c.service_id)
            and (c.statuts is None or statut in c.statuts)
        )

    def _comptes(self, perimetre: Perimetre) -> Iterator[tuple[str, str | None, str, int]]:
        """The non-zero counters (structure, service, status, count) the périmètre covers."""
        structures = sorted(perimetre.toutes_structures)
        if not structures:
            return
        for ligne in self._db.execute(
            "SELECT structure_id, service_id, statut, nombre FROM comptes_par_statut "
            f"WHERE nombre > 0 AND structure_id IN ({', '.join('?' * len(structures))})",
            structures,
        ):
            service_id = ligne["service_id"] or None
            if perimetre.couvre(ligne["structure_id"], service_id):
                yield ligne["structure_id"], service_id, ligne["statut"], ligne["nombre"]

    def tous(self, criteres: CriteresMemoire, tri: Tri) -> Sequence[ResumeMemoire]:
        ou = condition(criteres)
        if ou.impossible:
            return []
        lignes = self._db.execute(
            f"SELECT {_COLONNES_DU_RESUME} FROM memoires WHERE {ou.sql} ORDER BY {ordre(tri)}",
            ou.parametres,
        )
        return [lignes_sql.resume_de(ligne) for ligne in lignes]

    def sommer(self, criteres: CriteresMemoire) -> Sommes:
        ou = condition(criteres)
        if ou.impossible:
            return Sommes.de(())
        # Amounts are stored with exactly two decimals (see `lignes_sql.texte_monetaire`):
        # without the point they are whole cents, added up exactly.
        colonnes = ("montant_ht", "montant_tva", "montant_ttc", "net_a_payer")
        sommes = ", ".join(
            f"coalesce(sum(CAST(replace({c}, '.', '') AS INTEGER)), 0)"
            for c in (*colonnes, "coalesce(montant_paye, net_a_payer)")
        )
        ligne = self._db.execute(
            f"SELECT count(*), {sommes} FROM memoires WHERE {ou.sql}", ou.parametres
        ).fetchone()
        ht, tva, ttc, net, paye = (Decimal(ligne[i]).scaleb(-2) for i in range(1, 6))
        return Sommes(ligne[0], ht, tva, ttc, net, paye)

    def compter_par_statut(self, perimetre: Perimetre) -> dict[str, dict[StatutMemoire, int]]:
        comptes: dict[str, dict[StatutMemoire, int]] = {}
        for structure_id, _, code, nombre in self._comptes(perimetre):
            par_statut = comptes.setdefault(structure_id, {})
            statut = StatutMemoire(code)
            par_statut[statut] = par_statut.get(statut, 0) + nombre
        return comptes


_JETON_EXISTANT = "Ce jeton existe déjà."


class DepotJetons(_Depot):
    def __init__(self, connexion: Callable[[], Database], cache: CacheDeDecodage[Jeton]) -> None:
        super().__init__(connexion)
        self._cache = cache

    def ajouter(self, jeton: Jeton) -> None:
        if (
            self._une(
                "SELECT 1 FROM jetons WHERE id = ? OR empreinte = ?", (jeton.id, jeton.empreinte)
            )
            is not None
        ):
            raise Conflit(_JETON_EXISTANT, champ="jeton")
        self._inserer("jetons", lignes_comptes.ligne_jeton(jeton))

    def obtenir(self, jeton_id: str) -> Jeton:
        ligne = self._une(f"SELECT {_DECODEES} FROM jetons WHERE id = ?", (jeton_id,))
        if ligne is None:
            raise NonTrouve("Introuvable : ce jeton n'existe pas.")
        return _decodee(self._cache, ligne, lignes_comptes.jeton_de)

    def par_empreinte(self, empreinte: str) -> Jeton | None:
        ligne = self._une(f"SELECT {_DECODEES} FROM jetons WHERE empreinte = ?", (empreinte,))
        return None if ligne is None else _decodee(self._cache, ligne, lignes_comptes.jeton_de)

    def enregistrer(self, jeton: Jeton) -> Jeton:
        suivant = self._suivante("jetons", jeton)
        try:
            self._remplacer("jetons", lignes_comptes.ligne_jeton(suivant), jeton.version)
        except sqlite3.IntegrityError:
            raise Conflit(_JETON_EXISTANT, champ="jeton") from None
        return suivant

    def supprimer(self, jeton_id: str) -> None:
        self._db.execute("DELETE FROM jetons WHERE id = ?", (jeton_id,))

    def _de(self, colonne: str, valeur: str, nature: NatureJeton) -> list[Jeton]:
        lignes = self._db.execute(
            f"SELECT * FROM jetons WHERE {colonne} = ? AND nature = ? ORDER BY cree_le, id",
            (valeur, nature.value),
        )
        return [lignes_comptes.jeton_de(ligne) for ligne in lignes]

    def pour_structure(self, structure_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        return self._de("structure_id", structure_id, nature)

    def pour_utilisateur(self, utilisateur_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        return self._de("utilisateur_id", utilisateur_id, nature)

    def purger(self, avant: datetime) -> int:
        curseur = self._db.execute(
            "DELETE FROM jetons WHERE expire_le < ?", (instant_en_entier(avant),)
        )
        nombre: int = curseur.rowcount
        return nombre


class DepotCourriels(_Depot):
    def ajouter(self, courriel: Courriel) -> None:
        if self._une("SELECT 1 FROM courriels WHERE id = ?", (courriel.id,)) is not None:
            raise Conflit("Ce courriel existe déjà.", champ="courriel")
        self._inserer("courriels", lignes_comptes.ligne_courriel(courriel))

    def obtenir(self, courriel_id: str) -> Courriel:
        ligne = self._une("SELECT * FROM courriels WHERE id = ?", (courriel_id,))
        if ligne is None:
            raise NonTrouve("Introuvable : ce courriel n'existe pas.")
        return lignes_comptes.courriel_de(ligne)

    def enregistrer(self, courriel: Courriel) -> Courriel:
        suivant = self._suivante("courriels", courriel)
        self._remplacer("courriels", lignes_comptes.ligne_courriel(suivant), courriel.version)
        return suivant

    def a_envoyer(self, maintenant: datetime, limite: int) -> Sequence[Courriel]:
        lignes = self._db.execute(
            "SELECT * FROM courriels WHERE envoye_le IS NULL AND disponible_le <= ? "
            "AND tentatives < ? ORDER BY disponible_le, id LIMIT ?",
            (instant_en_entier(maintenant), ESSAIS_MAXIMUM, max(0, limite)),
        )
        return [lignes_comptes.courriel_de(ligne) for ligne in lignes]

    def pour_destinataire(self, destinataire: str) -> Sequence[Courriel]:
        lignes = self._db.execute(
            "SELECT * FROM courriels WHERE destinataire = ? ORDER BY cree_le, id",
            (destinataire,),
        )
        return [lignes_comptes.courriel_de(ligne) for ligne in lignes]


class SequencesSqlite(_Depot):
    def suivant(self, nom: str) -> int:
        ligne = self._une(
            "INSERT INTO sequences (nom, valeur) VALUES (?, 1) "
            "ON CONFLICT (nom) DO UPDATE SET valeur = valeur + 1 RETURNING valeur",
            (nom,),
        )
        assert ligne is not None
        valeur: int = ligne["valeur"]
        return valeur

    def reserver(self, nom: str, nombre: int) -> range:
        if nombre <= 0:
            ligne = self._une("SELECT valeur FROM sequences WHERE nom = ?", (nom,))
            debut = (0 if ligne is None else int(ligne["valeur"])) + 1
            return range(debut, debut)
        ligne = self._une(
            "INSERT INTO sequences (nom, valeur) VALUES (?, ?) "
            "ON CONFLICT (nom) DO UPDATE SET valeur = valeur + ? RETURNING valeur",
            (nom, nombre, nombre),
        )
        assert ligne is not None
        fin = int(ligne["valeur"])
        return range(fin - nombre + 1, fin + 1)
