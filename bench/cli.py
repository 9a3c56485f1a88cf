"""The command line of the benchmark: ``python -m bench [options]`` (``make bench`` runs it
at full size)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bench.generateur import preparer
from bench.insertion import mesurer_insertion
from bench.mesures import CIBLE_MS, diagnostiquer, mesurer, scenarios
from bench.monde import Parametres, construire_monde
from bench.progression import chrono
from bench.rapport import (
    afficher_bilan,
    afficher_diagnostics,
    afficher_donnees,
    afficher_insertion,
    afficher_mesures,
    ecrire,
    machine,
)


def _options(arguments: Sequence[str] | None) -> argparse.Namespace:
    defaut = Parametres()
    parseur = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Banc d'essai de Chorus sur SQLite : génère (ou reprend du cache bench/donnees/) "
            "un jeu de mémoires déterministe, mesure les latences des cas d'usage de "
            "consultation et le débit d'insertion de l'adaptateur contre du SQL brut. "
            "Variante rapide pour le développement : --memoires 20000."
        ),
    )
    parseur.add_argument(
        "--memoires", type=int, default=defaut.memoires, help="mémoires du jeu (1 000 000)"
    )
    parseur.add_argument(
        "--structures", type=int, default=defaut.structures, help="structures (2 000)"
    )
    parseur.add_argument("--annees", type=int, default=defaut.annees, help="années (10)")
    parseur.add_argument("--graine", type=int, default=defaut.graine, help="graine du tirage")
    parseur.add_argument(
        "--fin",
        type=date.fromisoformat,
        default=defaut.fin,
        help="dernier jour du jeu, AAAA-MM-JJ (2025-06-30)",
    )
    parseur.add_argument(
        "--regenerer", action="store_true", help="regénérer la base même si elle est en cache"
    )
    parseur.add_argument(
        "--processus",
        type=int,
        default=os.cpu_count() or 1,
        help="processus de génération (autant que de cœurs)",
    )
    parseur.add_argument(
        "--repetitions", type=int, default=30, help="appels mesurés par scénario (30)"
    )
    parseur.add_argument(
        "--budget",
        type=float,
        default=2.0,
        help="secondes au plus par scénario, au-delà de 5 appels (2)",
    )
    parseur.add_argument(
        "--insertion",
        type=int,
        default=20_000,
        help="mémoires du test d'insertion, 0 pour s'en passer (20 000)",
    )
    parseur.add_argument("--sans-latences", action="store_true", help="ne pas mesurer les latences")
    parseur.add_argument(
        "--base",
        type=Path,
        default=None,
        help=(
            "mesurer cette base plutôt que celle du cache : une copie de la base générée "
            "avec les mêmes paramètres, où l'on essaie un index ou ANALYZE"
        ),
    )
    return parseur.parse_args(arguments)


def main(arguments: Sequence[str] | None = None) -> None:
    options = _options(arguments)
    debut = chrono()
    infos_machine = machine()
    parametres = Parametres(
        memoires=options.memoires,
        structures=options.structures,
        annees=options.annees,
        graine=options.graine,
        fin=options.fin,
    )
    donnees = preparer(parametres, options.regenerer, options.processus, options.base)
    afficher_donnees(donnees)
    monde = construire_monde(parametres)
    mesures = []
    if not options.sans_latences:
        print()
        _, liste = scenarios(donnees.chemin, monde)
        mesures = mesurer(liste, options.repetitions, options.budget)
        for index, (scenario, mesure) in enumerate(zip(liste, mesures, strict=True)):
            if mesure.p95 > CIBLE_MS and scenario.recherche is not None:
                mesures[index] = diagnostiquer(
                    donnees.chemin, scenario, mesure, 5, options.budget / 2
                )
        afficher_mesures(mesures)
        afficher_diagnostics(mesures)
    insertion = None
    if options.insertion > 0:
        print()
        insertion = mesurer_insertion(monde, options.insertion)
        afficher_insertion(insertion)
    infos_machine["charge_fin"] = [round(c, 2) for c in os.getloadavg()]
    duree = chrono() - debut
    afficher_bilan(mesures, insertion, infos_machine)
    chemin = ecrire(donnees, mesures, insertion, infos_machine, duree)
    print(f"Durée totale : {duree:.0f} s ; résultats écrits dans {chemin}")
