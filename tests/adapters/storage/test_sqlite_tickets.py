"""What the SQLite store itself guarantees for the tickets, whoever writes to the database:
no deletion, no history rewritten, and a full-text index that a reopened database accepts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.ports.support import CriteresTicket, lire_recherche
from tests.unit.fabrique_tickets import ticket


def _base(tmp_path: Path) -> Path:
    base = tmp_path / "chorus.db"
    uow = UniteDeTravailSqlite(base)
    with uow:
        uow.tickets.ajouter(ticket("t-1", 1, description="Élévation des droits"))
        uow.commit()
    uow.fermer()
    return base


def test_la_base_refuse_de_supprimer_ou_de_reecrire_un_ticket(tmp_path: Path) -> None:
    base = _base(tmp_path)
    with sqlite3.connect(base) as brut:
        with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
            brut.execute("DELETE FROM tickets")
        with pytest.raises(sqlite3.IntegrityError, match="cannot be rewritten"):
            brut.execute("UPDATE tickets SET numero = 'CPROCS0000009'")
        with pytest.raises(sqlite3.IntegrityError, match="cannot be rewritten"):
            brut.execute("UPDATE tickets SET nombre_activites = 0")
        assert brut.execute("SELECT count(*) FROM tickets").fetchone()[0] == 1


def test_l_index_plein_texte_survit_a_la_reouverture_et_au_vacuum(tmp_path: Path) -> None:
    base = _base(tmp_path)
    with sqlite3.connect(base) as brut:
        noms = {n for (n,) in brut.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"tickets_fts", "tickets_fts_data", "tickets_fts_idx"} <= noms
    with sqlite3.connect(base) as brut:
        brut.execute("VACUUM")
    uow = UniteDeTravailSqlite(base)  # every opening check runs again over the FTS5 tables
    with uow.lecture() as lecture:
        (trouve,) = lecture.tickets.tous(
            CriteresTicket(None, onglet=None, mots=lire_recherche("elev droit"))
        )
    assert trouve.id == "t-1"
