"""The data set in a SQLite database: generated once, in parallel, then kept under
`bench/donnees/` and reused while its parameters, the generator's version, the schema and
the row mapping stay the same.

Structures and users go through the adapter's repositories. Mémoires are built through the
domain by worker processes (`bench.memoires`), mapped to rows by the adapter's own mapping
(`lignes_sql.ligne_memoire`, `lignes_sql.lignes_de_prestation`), and written by the main
process with `executemany` in one transaction per slice, into the schema the adapter
created (its triggers keep the counters of the tableau de bord as they would).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from bench.memoires import Fabrique
from bench.monde import Monde, Parametres, affectation, construire_monde, rangs_locaux
from bench.progression import Barre, chrono
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.storage.sqlite import lignes_sql as sql
from chorus.adapters.storage.sqlite.connexion import ouvrir
from chorus.domain.memoire import Memoire
from chorus.domain.numerotation import SEQUENCE_DEFINITIVE, sequence_brouillon
from chorus.ports.requetes import ResumeMemoire

DOSSIER = Path(__file__).resolve().parent / "donnees"
TAILLE_DES_TRANCHES = 2_000


@attrs.frozen
class Lignes:
    """One slice of the data set as table rows, ready for `executemany`."""

    colonnes_memoires: tuple[str, ...]
    memoires: list[tuple[Any, ...]]
    lignes: list[tuple[Any, ...]]
    annees: frozenset[int]


@attrs.frozen
class Donnees:
    """A generated database and what is known of it."""

    chemin: Path
    parametres: Parametres
    reutilisee: bool
    duree_generation_s: float
    memoires: int
    lignes: int
    taille_octets: int
    verifies: int


def en_lignes(memoires: list[Memoire]) -> Lignes:
    """The rows the adapter writes for `memoires`, by its own mapping."""
    colonnes_lignes = sql.colonnes_des_lignes()
    lignes_memoires: list[tuple[Any, ...]] = []
    lignes: list[tuple[Any, ...]] = []
    colonnes: tuple[str, ...] = ()
    for memoire in memoires:
        ligne = sql.ligne_memoire(memoire)
        if not colonnes:
            colonnes = tuple(ligne)
        lignes_memoires.append(tuple(ligne[c] for c in colonnes))
        lignes.extend(
            tuple(l_[c] for c in colonnes_lignes) for l_ in sql.lignes_de_prestation(memoire)
        )
    annees = frozenset(
        int(m.numero_brouillon[3:7]) for m in memoires if m.numero_brouillon is not None
    )
    return Lignes(colonnes, lignes_memoires, lignes, annees)


def _tranche(tache: tuple[Parametres, int, bytes, bytes]) -> Lignes:
    """In a worker process: the rows of one slice."""
    parametres, debut, rangs, locaux = tache
    monde = construire_monde(parametres)
    fabrique = Fabrique(monde, random.Random(f"{parametres.graine}/tranche/{debut}"))
    memoires = fabrique.tranche(debut, array("I", rangs), array("I", locaux))
    resultat = en_lignes(memoires)
    del memoires
    gc.collect()
    return resultat


def _initialiser_processus() -> None:
    # The slices make many short-lived objects and no cycles worth collecting as they go.
    gc.disable()


def _taches(monde: Monde) -> Iterator[tuple[Parametres, int, bytes, bytes]]:
    rangs = affectation(monde)
    locaux = rangs_locaux(rangs)
    for debut in range(0, len(rangs), TAILLE_DES_TRANCHES):
        fin = debut + TAILLE_DES_TRANCHES
        yield monde.parametres, debut, rangs[debut:fin].tobytes(), locaux[debut:fin].tobytes()


def inserer(connexion: sqlite3.Connection, lot: Lignes) -> None:
    """Lines first, then the mémoires, as the adapter does (the lines' key is deferred and
    a sent mémoire refuses new lines)."""
    colonnes_lignes = sql.colonnes_des_lignes()
    connexion.executemany(
        f"INSERT INTO lignes_prestation ({', '.join(colonnes_lignes)}) "
        f"VALUES ({', '.join('?' * len(colonnes_lignes))})",
        lot.lignes,
    )
    connexion.executemany(
        f"INSERT INTO memoires ({', '.join(lot.colonnes_memoires)}) "
        f"VALUES ({', '.join('?' * len(lot.colonnes_memoires))})",
        lot.memoires,
    )


def _schema(connexion: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """Every table, index and trigger the adapter created, with its SQL."""
    return sorted(
        (ligne[0], ligne[1], ligne[2], ligne[3])
        for ligne in connexion.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        )
    )


def _fichiers(chemin: Path) -> list[Path]:
    return [chemin, chemin.with_name(chemin.name + "-wal"), chemin.with_name(chemin.name + "-shm")]


def _supprimer(chemin: Path) -> None:
    for fichier in _fichiers(chemin):
        fichier.unlink(missing_ok=True)


def taille(chemin: Path) -> int:
    return sum(f.stat().st_size for f in _fichiers(chemin) if f.exists())


def chemins(parametres: Parametres) -> tuple[Path, Path]:
    """The database and its description, named by the key of `parametres`."""
    nom = f"chorus-{parametres.memoires}-{parametres.cle}"
    return DOSSIER / f"{nom}.db", DOSSIER / f"{nom}.json"


def generer(parametres: Parametres, chemin: Path, processus: int) -> tuple[int, int]:
    """Write the data set of `parametres` into a new database at `chemin`; returns the
    numbers of mémoires and lines written."""
    _supprimer(chemin)
    monde = construire_monde(parametres)
    uow = UniteDeTravailSqlite(chemin)
    with uow:
        for utilisateur in (*monde.prestataires, monde.agent, monde.comptable):
            uow.utilisateurs.ajouter(utilisateur)
        for s in monde.structures:
            uow.structures.ajouter(s.structure)
        uow.commit()
    uow.fermer()
    memoires = lignes = 0
    ecriture = 0.0
    annees: set[int] = set()
    contexte = multiprocessing.get_context("fork")
    with (
        contexte.Pool(processus, initializer=_initialiser_processus) as pool,
        Barre("Génération des mémoires", parametres.memoires) as barre,
    ):
        db = ouvrir(chemin)
        connexion = db.conn
        # Loading, not serving: no sync at each commit, a large cache, and the secondary
        # indexes built once at the end (a sort) rather than row by row (4 times slower).
        connexion.execute("PRAGMA synchronous = OFF")
        connexion.execute("PRAGMA cache_size = -2000000")
        schema = _schema(connexion)
        index = [
            (nom, sql_index)
            for type_, nom, table, sql_index in schema
            if type_ == "index" and table in ("memoires", "lignes_prestation")
        ]
        for nom, _ in index:
            connexion.execute(f"DROP INDEX {nom}")
        for lot in pool.imap(_tranche, _taches(monde)):
            debut = chrono()
            connexion.execute("BEGIN IMMEDIATE")
            inserer(connexion, lot)
            connexion.execute("COMMIT")
            ecriture += chrono() - debut
            memoires += len(lot.memoires)
            lignes += len(lot.lignes)
            annees |= lot.annees
            barre.avancer(len(lot.memoires))
        print("  Construction des index…", flush=True)
        debut = chrono()
        for _, sql_index in index:
            connexion.execute(sql_index)
        print(f"  index construits en {chrono() - debut:.0f} s", flush=True)
        if _schema(connexion) != schema:
            raise AssertionError("le schéma de la base générée diffère de celui de l'adaptateur")
        # The sequences go on after the numbers given (positions in the set).
        connexion.execute("BEGIN IMMEDIATE")
        connexion.executemany(
            "INSERT INTO sequences (nom, valeur) VALUES (?, ?) "
            "ON CONFLICT (nom) DO UPDATE SET valeur = max(valeur, excluded.valeur)",
            [(SEQUENCE_DEFINITIVE, parametres.memoires)]
            + [(sequence_brouillon(annee), parametres.memoires) for annee in sorted(annees)],
        )
        connexion.execute("COMMIT")
        connexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    print(f"  dont écriture SQLite (processus principal) : {ecriture:.0f} s", flush=True)
    return memoires, lignes


def verifier(chemin: Path, echantillon: int, graine: int) -> int:
    """Read back `echantillon` mémoires drawn at random through the adapter's repository and
    check that each is the aggregate its row describes (every column of the summary: id,
    numero, structure, statut, dates, totals…) and that a sent one's certificate still
    matches its content (empreinte recomputed). Also checks the counts of the tableau de
    bord against the table. Returns how many mémoires were checked."""
    connexion = sqlite3.connect(f"file:{chemin}?mode=ro", uri=True)
    connexion.row_factory = sqlite3.Row
    try:
        (dernier,) = connexion.execute("SELECT max(rowid) FROM memoires").fetchone()
        rng = random.Random(f"{graine}/verification")
        rowids = sorted(rng.sample(range(1, dernier + 1), min(echantillon, dernier)))
        lignes = connexion.execute(
            f"SELECT * FROM memoires WHERE rowid IN ({', '.join('?' * len(rowids))})", rowids
        ).fetchall()
        (total,) = connexion.execute("SELECT count(*) FROM memoires").fetchone()
        (comptes,) = connexion.execute("SELECT sum(nombre) FROM comptes_par_statut").fetchone()
    finally:
        connexion.close()
    if comptes != total:
        raise AssertionError(f"comptes_par_statut totalise {comptes} mémoires, la table {total}")
    uow = UniteDeTravailSqlite(chemin)
    try:
        with uow:
            for ligne in lignes:
                memoire = uow.memoires.obtenir(ligne["id"])
                attendu = sql.resume_de(ligne)
                lu = ResumeMemoire.depuis(memoire)
                if lu != attendu:
                    raise AssertionError(f"le mémoire {ligne['id']} ne correspond pas à sa ligne")
                if memoire.certificat is not None and (
                    memoire.empreinte_recalculee() != memoire.certificat.empreinte
                ):
                    raise AssertionError(f"le certificat du mémoire {ligne['id']} est faux")
    finally:
        uow.fermer()
    return len(lignes)


def preparer(
    parametres: Parametres,
    regenerer: bool,
    processus: int | None = None,
    base: Path | None = None,
) -> Donnees:
    """The database of `parametres`: the cached one if there is one, else a new one; or
    `base`, a copy of it in which an index or a setting is being tried."""
    chemin, description = chemins(parametres)
    if base is not None:
        chemin = base
        print(f"Base donnée : {chemin} (copie de la base de la clé {parametres.cle})", flush=True)
    if base is not None or (not regenerer and chemin.exists() and description.exists()):
        meta = json.loads(description.read_text(encoding="utf-8"))
        if base is None:
            print(f"Base en cache réutilisée : {chemin} (clé {parametres.cle})", flush=True)
        verifies = verifier(chemin, 200, parametres.graine)
        return Donnees(
            chemin=chemin,
            parametres=parametres,
            reutilisee=True,
            duree_generation_s=float(meta["duree_generation_s"]),
            memoires=int(meta["memoires"]),
            lignes=int(meta["lignes"]),
            taille_octets=taille(chemin),
            verifies=verifies,
        )
    DOSSIER.mkdir(parents=True, exist_ok=True)
    for ancien in DOSSIER.glob(f"chorus-{parametres.memoires}-*"):
        # An older version of the same data set (and the pièces folder `construire` made
        # beside it): it would only take room.
        if ancien.is_dir() and ancien.name.endswith("-pieces"):
            shutil.rmtree(ancien)
        elif ancien.suffix in (".db", ".json", ".db-wal", ".db-shm"):
            ancien.unlink()
    print(f"Génération de la base : {chemin} (clé {parametres.cle})", flush=True)
    temporaire = chemin.with_name(chemin.stem + ".en-cours.db")
    debut = chrono()
    memoires, lignes = generer(parametres, temporaire, processus or os.cpu_count() or 1)
    duree = chrono() - debut
    temporaire.rename(chemin)
    _supprimer(temporaire)
    description.write_text(
        json.dumps(
            {
                "cle": parametres.cle,
                "parametres": parametres.en_dict(),
                "duree_generation_s": round(duree, 1),
                "memoires": memoires,
                "lignes": lignes,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    verifies = verifier(chemin, 200, parametres.graine)
    return Donnees(
        chemin=chemin,
        parametres=parametres,
        reutilisee=False,
        duree_generation_s=duree,
        memoires=memoires,
        lignes=lignes,
        taille_octets=taille(chemin),
        verifies=verifies,
    )
