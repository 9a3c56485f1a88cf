"""What only some stores promise about the cycle-de-vie ranks: SQLite's migration ranks the
events a database already holds and its feed reads one index; a files store written before
ranks existed ranks its old events at the first new one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from chorus.adapters.storage.files import UniteDeTravailFichiers
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.storage.sqlite.activite import ligne_activite
from chorus.adapters.storage.sqlite.schema import MIGRATIONS
from chorus.ports.depots import UnitOfWork
from tests.contract.test_activite import ajouter, evenement


def _brut(base: Path) -> sqlite3.Connection:
    return sqlite3.connect(base, isolation_level=None)


def _ids(uow: UnitOfWork, apres: int = 0) -> list[tuple[str, int | None]]:
    with uow.lecture() as lecture:
        return [(e.id, e.rang) for e in lecture.activites.cycle_de_vie("s-1", apres, 100)]


def test_la_migration_range_les_evenements_deja_enregistres(tmp_path: Path) -> None:
    base = tmp_path / "chorus.db"
    with _brut(base) as brut:
        ancienne = Database(brut)
        MIGRATIONS.apply(ancienne, stop_before="0014_cycle_de_vie")
        # Inserted in this order, dates in another: the rank follows the insertion.
        for e in (evenement("c", minutes=3), evenement("a", minutes=1), evenement("b", "s-2")):
            ligne = ligne_activite(e)
            brut.execute(
                f"INSERT INTO activites ({', '.join(ligne)}) "
                f"VALUES ({', '.join('?' * len(ligne))})",
                list(ligne.values()),
            )
    uow = UniteDeTravailSqlite(base)
    try:
        assert _ids(uow) == [("c", 1), ("a", 2)]
        ajouter(uow, evenement("d"))
        assert _ids(uow, 2) == [("d", 4)]
    finally:
        uow.fermer()
    with _brut(base) as brut:
        # Still append-only, and no row without its rank.
        with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
            brut.execute("UPDATE activites SET rang = 99 WHERE id = 'c'")
        ligne = ligne_activite(evenement("e"))
        with pytest.raises(sqlite3.IntegrityError, match="needs its rank"):
            brut.execute(
                f"INSERT INTO activites ({', '.join(ligne)}) "
                f"VALUES ({', '.join('?' * len(ligne))})",
                list(ligne.values()),
            )


def test_une_base_vide_migree_commence_au_rang_un(tmp_path: Path) -> None:
    uow = UniteDeTravailSqlite(tmp_path / "chorus.db")
    try:
        ajouter(uow, evenement("a"))
        assert _ids(uow) == [("a", 1)]
    finally:
        uow.fermer()


def test_le_fil_sqlite_lit_un_index_sans_tri(tmp_path: Path) -> None:
    uow = UniteDeTravailSqlite(tmp_path / "chorus.db")
    try:
        ajouter(uow, *(evenement(f"e{i}") for i in range(5)))
        executees: list[str] = []
        with uow.lecture() as lecture:
            db = uow.activites._db
            db.conn.set_trace_callback(executees.append)
            try:
                lecture.activites.cycle_de_vie("s-1", 2, 10)
            finally:
                db.conn.set_trace_callback(None)
            [requete] = [r for r in executees if "rang >" in r]
            plan = " | ".join(
                ligne["detail"] for ligne in db.execute(f"EXPLAIN QUERY PLAN {requete}")
            )
        assert "activites_cycle_de_vie" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    finally:
        uow.fermer()


def test_un_stockage_fichiers_ancien_range_ses_evenements_au_premier_nouveau(
    tmp_path: Path,
) -> None:
    dossier = tmp_path / "chorus-fichiers"
    ajouter(
        UniteDeTravailFichiers(dossier),
        evenement("tard", minutes=9),
        evenement("tot", minutes=1),
        evenement("ailleurs", "s-2", minutes=5),
    )
    # As a version without ranks wrote it: no rank in the documents, no counter.
    for chemin in (dossier / "activite").glob("*.json"):
        document = json.loads(chemin.read_text(encoding="utf-8"))
        del document["rang"]
        chemin.write_text(json.dumps(document), encoding="utf-8")
    sequences = dossier / "sequences.json"
    compteurs = json.loads(sequences.read_text(encoding="utf-8"))
    del compteurs["rang-activite"]
    sequences.write_text(json.dumps(compteurs), encoding="utf-8")

    rouvert = UniteDeTravailFichiers(dossier)
    ajouter(rouvert, evenement("nouveau", minutes=0))
    # The old ones by date, then the new one.
    assert _ids(UniteDeTravailFichiers(dossier)) == [("tot", 1), ("tard", 3), ("nouveau", 4)]
