"""The `chorus` command: the demo the README promises, and clear refusals."""

from __future__ import annotations

from click.testing import CliRunner

from chorus.bootstrap import Chorus
from chorus.cli import main
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Tri
from chorus.services.demo import charger_demo
from tests.monde import construire_chorus


def test_la_demo_montre_comptes_structures_et_memoires() -> None:
    resultat = CliRunner().invoke(main, ["demo", "--storage", "memory://"])
    assert resultat.exit_code == 0, resultat.output
    sortie = resultat.output
    for attendu in (
        "claire.martin@demo.chorus.fr",
        "Cabinet d'expertises Durand",
        "département 69",
        "Mis en paiement",
        "Dupliqué post refus",
        "Suspendu",
        "Brouillon",
        "158,25 €",  # the seed's worked example: 1 × 150.00 HT at 5.5 %
        "empreinte ",
    ):
        assert attendu in sortie, attendu
    assert "MJ00000000001" in sortie
    assert "TMP2" in sortie


def _compter(chorus: Chorus) -> tuple[int, int, int]:
    with chorus.ports.uow as uow:
        requete = CriteresMemoire(filtres=FiltresMemoire())
        memoires = len(uow.requetes.tous(requete, Tri()))
    demo = charger_demo(chorus.ports)  # a reload reports what is there
    return len(demo.utilisateurs), len(demo.structures), memoires


def test_la_demo_est_idempotente() -> None:
    chorus = construire_chorus()
    premiere = charger_demo(chorus.ports)
    assert not premiere.deja_chargee
    assert len(premiere.memoires) == 8
    avant = _compter(chorus)
    seconde = charger_demo(chorus.ports)
    assert seconde.deja_chargee
    assert _compter(chorus) == avant
    assert avant[2] == len(premiere.memoires)
    # A reload shows the same set, as the first load did.
    assert seconde.utilisateurs == premiere.utilisateurs
    assert seconde.structures == premiere.structures
    assert seconde.memoires == premiere.memoires


def test_un_stockage_inconnu_est_refuse_clairement() -> None:
    resultat = CliRunner().invoke(main, ["demo", "--storage", "postgres://x"])
    assert resultat.exit_code == 2
    assert "non reconnue" in resultat.output
