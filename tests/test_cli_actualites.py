"""`chorus admin publier-actualite`: publication from the console, French output and
refusals, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chorus.bootstrap import construire
from chorus.cli import main
from chorus.services.actualites import AUTEUR_EXPLOITATION


def _stockage(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'chorus.db'}"


def test_publier_par_le_corps_puis_par_un_fichier(tmp_path: Path) -> None:
    stockage = _stockage(tmp_path)
    resultat = CliRunner().invoke(
        main,
        [
            "admin",
            "publier-actualite",
            "--titre",
            "Maintenance samedi",
            "--corps",
            "Le portail sera **fermé** samedi.",
            "--storage",
            stockage,
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    assert "Actualité publiée : « Maintenance samedi » — Actualité publiée le " in resultat.output

    fichier = tmp_path / "annonce.md"
    # A file saved on Windows: BOM and CR LF.
    fichier.write_bytes("\ufeffPremier paragraphe.\r\n\r\n- point é\r\n".encode())
    resultat = CliRunner().invoke(
        main,
        [
            "admin",
            "publier-actualite",
            "--titre",
            "Nouveautés",
            "--fichier",
            str(fichier),
            "--auteur",
            "Isabelle Roux",
            "--storage",
            stockage,
        ],
    )
    assert resultat.exit_code == 0, resultat.output

    page = construire(stockage).actualites.lister()
    assert page.total == 2
    titres = {a.titre: a for a in page.elements}
    assert titres["Nouveautés"].corps == "Premier paragraphe.\n\n- point é"
    assert titres["Nouveautés"].auteur == "Isabelle Roux"
    assert titres["Maintenance samedi"].corps == "Le portail sera **fermé** samedi."
    assert titres["Maintenance samedi"].auteur == AUTEUR_EXPLOITATION


@pytest.mark.parametrize(
    ("arguments", "code", "attendu"),
    [
        (["--titre", "", "--corps", "Corps"], 1, "Refusé (titre) : Ce champ est obligatoire."),
        (["--titre", "T" * 201, "--corps", "Corps"], 1, "Refusé (titre)"),
        (["--titre", "Titre", "--corps", "  "], 1, "Refusé (corps) : Ce champ est obligatoire."),
        (["--titre", "Titre"], 2, "indiquez le corps"),
        (["--corps", "Corps"], 2, "indiquez le titre"),
        (["--titre", "Titre", "--corps", "C", "--fichier", "x.md"], 2, "pas les deux"),
        (["--titre", "Titre", "--fichier", "absent.md"], 2, "ne peut pas être lu"),
    ],
)
def test_une_saisie_invalide_est_refusee_en_francais(
    tmp_path: Path, arguments: list[str], code: int, attendu: str
) -> None:
    stockage = _stockage(tmp_path)
    resultat = CliRunner().invoke(
        main, ["admin", "publier-actualite", *arguments, "--storage", stockage]
    )
    assert resultat.exit_code == code, resultat.output
    assert attendu in resultat.output
    assert construire(stockage).actualites.lister().total == 0


def test_un_fichier_qui_n_est_pas_du_texte_est_refuse(tmp_path: Path) -> None:
    fichier = tmp_path / "image.md"
    fichier.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    stockage = _stockage(tmp_path)
    resultat = CliRunner().invoke(
        main,
        [
            "admin",
            "publier-actualite",
            "--titre",
            "T",
            "--fichier",
            str(fichier),
            "--storage",
            stockage,
        ],
    )
    assert resultat.exit_code == 1
    assert "n'est pas un texte UTF-8" in resultat.output
    assert construire(stockage).actualites.lister().total == 0
