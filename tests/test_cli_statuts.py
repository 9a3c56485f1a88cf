"""`chorus statuts importer`: the back office's system applies a batch file and reads what
applied and what was refused and why; exit 0 when nothing was refused, 1 otherwise (or for
a file that cannot be read: nothing applied), 2 for a file it cannot open or whose format it
cannot tell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.cli import main
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from tests.monde import construire_monde

DATE = "2024-06-14T14:00:00+02:00"
"""After the world's sendings (10:00 UTC), long before the command runs."""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return tmp_path / "chorus.db"


def _memoires(base: Path, nombre: int = 2) -> list[Memoire]:
    monde = construire_monde(UniteDeTravailSqlite(base), BlobsSurDisque(base.parent / "pieces"))
    return [monde.envoye() for _ in range(nombre)]


def _statut(base: Path, memoire: Memoire) -> tuple[StatutMemoire, str]:
    uow = UniteDeTravailSqlite(base)
    with uow.lecture() as lecture:
        relu = lecture.memoires.obtenir(memoire.id)
    return relu.statut, relu.historique[-1].acteur


def _importer(base: Path, fichier: Path, *options: str) -> tuple[int, str]:
    resultat = CliRunner().invoke(
        main, ["statuts", "importer", str(fichier), *options, "--storage", f"sqlite:///{base}"]
    )
    return resultat.exit_code, resultat.output


def test_un_lot_csv_applique_et_refus_explique(base: Path, tmp_path: Path) -> None:
    premier, second = _memoires(base)
    fichier = tmp_path / "lot.csv"
    fichier.write_text(
        "numero_memoire;action;date_evenement;reference_evenement;motif\n"
        f"{premier.numero};MISE_A_DISPOSITION;{DATE};M-1;\n"
        f"{second.numero};REFUS;{DATE};R-1;\n"
        f"{second.numero};CERTIFICATION;{DATE};C-1;\n",
        encoding="utf-8",
    )
    code, sortie = _importer(base, fichier)
    assert code == 1, sortie
    assert (
        "Lot de statuts n° LS000000001 : 1 appliqué, 0 déjà appliqué, 1 en attente, 1 refusé."
        in sortie
    )
    assert f"ligne 2          {premier.numero} MISE_A_DISPOSITION M-1 : Appliqué" in sortie
    assert "ligne 3" in sortie
    assert "Refusé (motif) : Le motif est obligatoire pour le refus." in sortie
    assert "En attente : le mémoire" in sortie
    assert _statut(base, premier) == (
        StatutMemoire.MIS_A_DISPOSITION,
        "Import de lot de statuts n° LS000000001",
    )

    # The missing event arrives: the certification that waited applies, nothing refused.
    suite = tmp_path / "suite.json"
    suite.write_text(
        json.dumps(
            {
                "evenements": [
                    {
                        "numero_memoire": second.numero,
                        "action": "MISE_A_DISPOSITION",
                        "date_evenement": "2024-06-14T13:00:00+02:00",
                        "reference_evenement": "M-2",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    code, sortie = _importer(base, suite)
    assert code == 0, sortie
    assert "Lot de statuts n° LS000000002 : 2 appliqués" in sortie
    assert "Appliqué (en attente depuis le lot n° LS000000001)" in sortie
    assert _statut(base, second) == (
        StatutMemoire.CERTIFIE,
        "Import de lot de statuts n° LS000000001",
    )


def test_un_fichier_illisible_n_applique_rien(base: Path, tmp_path: Path) -> None:
    (memoire,) = _memoires(base, 1)
    fichier = tmp_path / "lot.json"
    fichier.write_text('{"evenements": [{"numero_memoire": "', encoding="utf-8")
    code, sortie = _importer(base, fichier)
    assert code == 1
    assert "Refusé (fichier) : Le fichier n'est pas un document JSON valide" in sortie
    assert "Rien n'a été appliqué." in sortie
    assert _statut(base, memoire)[0] is StatutMemoire.ENVOYE


def test_format_indique_ou_deduit(base: Path, tmp_path: Path) -> None:
    (memoire,) = _memoires(base, 1)
    fichier = tmp_path / "lot.txt"
    fichier.write_text(
        "numero_memoire;action;date_evenement;reference_evenement\n"
        f"{memoire.numero};MISE_A_DISPOSITION;{DATE};M-1\n",
        encoding="utf-8",
    )
    code, sortie = _importer(base, fichier)
    assert code == 2
    assert "Indiquez le format du lot" in sortie
    code, sortie = _importer(base, fichier, "--format", "csv")
    assert code == 0, sortie
    code, sortie = _importer(base, tmp_path / "absent.csv")
    assert code == 2
    assert "ne peut pas être lu" in sortie
