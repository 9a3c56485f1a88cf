"""Storage URLs: every `chorus` command opens the store they name, and keeps its data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.memory import UniteDeTravailEnMemoire
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.bootstrap import STOCKAGE_PAR_DEFAUT, ErreurDeConfiguration, ouvrir_stockage
from chorus.cli import main


@pytest.fixture
def ici(tmp_path: Path) -> Iterator[Path]:
    """Run in an empty folder, as relative URLs are relative to the current one."""
    avant = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(avant)


def test_le_stockage_par_defaut_est_la_base_sqlite_de_var() -> None:
    assert STOCKAGE_PAR_DEFAUT == "sqlite:///var/chorus.db"


def test_sqlite_relatif_et_absolu(ici: Path) -> None:
    relatif = ouvrir_stockage("sqlite:///donnees/chorus.db")
    assert isinstance(relatif.uow, UniteDeTravailSqlite)
    assert (ici / "donnees" / "chorus.db").is_file()
    assert isinstance(relatif.blobs, BlobsSurDisque)
    adresse = relatif.blobs.deposer(b"%PDF-1.4 piece")
    assert (ici / "donnees" / "chorus-pieces" / adresse[:2] / adresse[2:]).is_file()
    absolu = ouvrir_stockage(f"sqlite:///{ici}/autre%20base.db")
    assert isinstance(absolu.uow, UniteDeTravailSqlite)
    assert (ici / "autre base.db").is_file()


def test_memoire(ici: Path) -> None:
    assert isinstance(ouvrir_stockage("memory://").uow, UniteDeTravailEnMemoire)
    assert list(ici.iterdir()) == []


@pytest.mark.parametrize(
    ("adresse", "message"),
    [
        ("postgres://hote/base", "non reconnue"),
        ("var/chorus.db", "non reconnue"),
        ("", "non reconnue"),
        ("sqlite://", "invalide"),
        ("sqlite:///", "invalide"),
        ("sqlite://hote/chorus.db", "sans nom d'hôte"),
        ("files://hote/dossier", "sans nom d'hôte"),
        ("sqlite:///a%00b.db", "invalide"),
        ("memory:///x", "non reconnue"),
    ],
)
def test_une_adresse_incorrecte_est_refusee_clairement(
    ici: Path, adresse: str, message: str
) -> None:
    with pytest.raises(ErreurDeConfiguration, match=message):
        ouvrir_stockage(adresse)
    assert list(ici.iterdir()) == []


def test_la_demo_reste_dans_la_base_d_une_commande_a_l_autre(ici: Path) -> None:
    premiere = CliRunner().invoke(main, ["demo", "--storage", "sqlite:///var/chorus.db"])
    assert premiere.exit_code == 0, premiere.output
    assert "déjà chargées" not in premiere.output
    seconde = CliRunner().invoke(main, ["demo"], env={"CHORUS_STORAGE": "sqlite:///var/chorus.db"})
    assert seconde.exit_code == 0, seconde.output
    assert "déjà chargées" in seconde.output
    # The same mémoires, numbers and empreintes, read back from the database.
    assert seconde.output.split("Comptes", 1)[1] == premiere.output.split("Comptes", 1)[1]


def test_par_defaut_la_demo_va_dans_var_chorus_db(ici: Path) -> None:
    resultat = CliRunner().invoke(main, ["demo"], env={"CHORUS_STORAGE": None})
    assert resultat.exit_code == 0, resultat.output
    assert (ici / "var" / "chorus.db").is_file()
    assert resultat.output.startswith("Stockage : sqlite:///var/chorus.db\n")


def test_un_fichier_etranger_est_refuse_sans_trace_ni_changement(ici: Path) -> None:
    etranger = ici / "notes.db"
    etranger.write_text("Ceci n'est pas une base.\n", encoding="utf-8")
    resultat = CliRunner().invoke(main, ["demo", "--storage", "sqlite:///notes.db"])
    assert resultat.exit_code == 2
    assert "n'est pas une base SQLite" in resultat.output
    assert "Traceback" not in resultat.output
    assert etranger.read_text(encoding="utf-8") == "Ceci n'est pas une base.\n"
