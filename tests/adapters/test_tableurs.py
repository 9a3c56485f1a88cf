"""The shared CSV writer: a file appears whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chorus.adapters.tableurs.csv_francais import BOM, encoder, enregistrer


def test_le_fichier_ecrit_est_le_csv_francais(tmp_path: Path) -> None:
    chemin = tmp_path / "export.csv"
    enregistrer(chemin, encoder(("Numéro", "Montant"), [("=1+1", None)], lot=1))
    assert chemin.read_bytes().decode("utf-8") == f"{BOM}Numéro;Montant\r\n'=1+1;\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_un_echec_en_cours_d_ecriture_ne_laisse_rien(tmp_path: Path) -> None:
    chemin = tmp_path / "export.csv"
    chemin.write_bytes(b"l'ancien fichier")

    def morceaux() -> Iterator[bytes]:
        yield b"debut;"
        raise RuntimeError("la recherche a échoué à la deuxième page")

    with pytest.raises(RuntimeError):
        enregistrer(chemin, morceaux())
    # The previous file is untouched and no temporary file is left behind.
    assert chemin.read_bytes() == b"l'ancien fichier"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_un_dossier_absent_est_une_erreur_du_systeme(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        enregistrer(tmp_path / "absent" / "export.csv", [b"x"])
