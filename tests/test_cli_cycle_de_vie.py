"""`chorus cycle-de-vie exporter`: the operator exports the feed of a structure that opted in,
to a file or the standard output, and is told the cursor to resume from; nothing for a
structure that did not opt in, nor past a malformed cursor."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.cli import main
from chorus.domain.traitement import ActionTraitement
from tests.monde import Monde, construire_monde


def _monde(base: Path) -> Monde:
    return construire_monde(UniteDeTravailSqlite(base), BlobsSurDisque(base.parent / "pieces"))


def _exporter(base: Path, *options: str) -> tuple[int, str, str]:
    resultat = CliRunner().invoke(
        main, ["cycle-de-vie", "exporter", *options, "--storage", f"sqlite:///{base}"]
    )
    return resultat.exit_code, resultat.stdout, resultat.stderr


def _curseur(sortie: str) -> str:
    [ligne] = [x for x in sortie.splitlines() if x.startswith("Curseur suivant : ")]
    return ligne.removeprefix("Curseur suivant : ")


def test_exporter_dans_un_fichier_puis_reprendre_au_curseur(tmp_path: Path) -> None:
    base = tmp_path / "chorus.db"
    monde = _monde(base)
    structure = monde.structure.id
    code, _, erreur = _exporter(base, "--structure", structure)
    assert code == 1
    assert "Recevoir les cycles de vie" in erreur
    assert "Rien n'a été exporté" in erreur

    monde.chorus.structures.modifier(monde.gestionnaire.id, structure, recevoir_cycles_de_vie=True)
    envoye = monde.envoye()
    monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION)
    fichier = tmp_path / "cycle.csv"
    code, sortie, erreur = _exporter(base, "--structure", structure, "--sortie", str(fichier))
    assert code == 0, erreur
    assert f"2 événements exportés dans {fichier}." in sortie
    lignes = list(csv.reader(io.StringIO(fichier.read_text("utf-8-sig")), delimiter=";"))
    assert [(x[1], x[3]) for x in lignes[1:]] == [
        (envoye.numero, "ENVOYE"),
        (envoye.numero, "MIS_A_DISPOSITION"),
    ]
    curseur = _curseur(sortie)
    assert curseur == lignes[-1][0]

    # Nothing new: an empty export, the same cursor.
    code, sortie, erreur = _exporter(
        base, "--structure", structure, "--apres", curseur, "--sortie", str(fichier)
    )
    assert code == 0, erreur
    assert "0 événement exporté" in sortie
    assert _curseur(sortie) == curseur

    # Then one more, in JSON lines on the standard output, the cursor on the error output.
    monde.evenement(envoye, ActionTraitement.CERTIFICATION)
    code, sortie, erreur = _exporter(
        base, "--structure", structure, "--apres", curseur, "--format", "json"
    )
    assert code == 0, erreur
    [evenement] = [json.loads(x) for x in sortie.splitlines()]
    assert (evenement["numero_memoire"], evenement["statut"]) == (envoye.numero, "CERTIFIE")
    assert _curseur(erreur) == evenement["curseur"] != curseur


def test_un_curseur_mal_forme_ou_une_structure_inconnue(tmp_path: Path) -> None:
    base = tmp_path / "chorus.db"
    monde = _monde(base)
    structure = monde.structure.id
    monde.chorus.structures.modifier(monde.gestionnaire.id, structure, recevoir_cycles_de_vie=True)
    fichier = tmp_path / "cycle.csv"
    code, _, erreur = _exporter(
        base, "--structure", structure, "--apres", "n'importe-quoi", "--sortie", str(fichier)
    )
    assert code == 1
    assert "Refusé (apres)" in erreur
    assert not fichier.exists()
    code, _, erreur = _exporter(base, "--structure", "inconnue")
    assert code == 1
    assert "Introuvable" in erreur
