"""The command line of the benchmark: ``python -m bench [options]`` (``make bench`` runs it
at full size)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bench.api import ResultatApi, mesurer_api
from bench.charge import Tir, WrkIntrouvable, trouver_wrk
from bench.documents import ResultatDocuments, mesurer_documents
from bench.flux import ResultatFlux, mesurer_flux
from bench.generateur import chemins, preparer
from bench.insertion import mesurer_insertion
from bench.mesures import CIBLE_MS, diagnostiquer, mesurer, scenarios
from bench.monde import Monde, Parametres, construire_monde
from bench.progression import chrono
from bench.rapport import (
    KO,
    afficher_api,
    afficher_bilan,
    afficher_diagnostics,
    afficher_documents,
    afficher_donnees,
    afficher_flux,
    afficher_insertion,
    afficher_mesures,
    afficher_tui,
    ecrire,
    machine,
)
from bench.tui import ResultatTui, mesurer_tui


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
        "--sans-flux",
        dest="flux",
        action="store_false",
        help="ne pas mesurer l'intégration d'un dépôt flux",
    )
    parseur.add_argument(
        "--flux-memoires",
        type=int,
        default=20_000,
        help="mémoires (de 2 lignes) du flux intégré (20 000)",
    )
    parseur.add_argument(
        "--flux-seulement",
        action="store_true",
        help=(
            "ne mesurer que l'intégration d'un dépôt flux contre du SQL brut, sans la base du banc"
        ),
    )
    parseur.add_argument(
        "--base",
        type=Path,
        default=None,
        help=(
            "mesurer cette base plutôt que celle du cache : une copie de la base générée "
            "avec les mêmes paramètres, où l'on essaie un index ou ANALYZE"
        ),
    )
    parseur.add_argument(
        "--api",
        action="store_true",
        default=True,
        help="mesurer l'API HTTP sous charge avec wrk, contre un point nu (par défaut)",
    )
    parseur.add_argument(
        "--sans-api", dest="api", action="store_false", help="ne pas mesurer l'API HTTP"
    )
    parseur.add_argument(
        "--api-seulement",
        action="store_true",
        help="ne mesurer que l'API (ni latences des cas d'usage, ni insertion)",
    )
    parseur.add_argument(
        "--api-duree", type=float, default=10.0, help="secondes de charge par mesure (10)"
    )
    parseur.add_argument(
        "--api-echauffement",
        type=float,
        default=2.0,
        help="secondes de charge non mesurées avant chaque mesure (2)",
    )
    parseur.add_argument(
        "--api-connexions", type=int, default=16, help="connexions simultanées de wrk (16)"
    )
    parseur.add_argument("--api-fils", type=int, default=2, help="fils de wrk (2)")
    parseur.add_argument(
        "--sans-tui", dest="tui", action="store_false", help="ne pas mesurer l'interface"
    )
    parseur.add_argument(
        "--tui-seulement",
        action="store_true",
        help="ne mesurer que l'interface en terminal (démarrage, première page)",
    )
    parseur.add_argument(
        "--sans-documents",
        dest="documents",
        action="store_false",
        help="ne pas mesurer le rendu des documents PDF",
    )
    parseur.add_argument(
        "--documents-seulement",
        action="store_true",
        help=(
            "ne mesurer que les documents PDF (certificat, mémoire, certificat stocké servi), "
            "sans la base du banc"
        ),
    )
    options = parseur.parse_args(arguments)
    # « --X-seulement »: that part alone, none of the storage figures.
    parties = ("api", "tui", "documents", "flux")
    for seule in parties:
        if getattr(options, f"{seule}_seulement"):
            for partie in parties:
                setattr(options, partie, partie == seule)
            options.sans_latences = True
            options.insertion = 0
    return options


def _tui(donnees_chemin: Path, monde: Monde) -> ResultatTui | str:
    """The terminal UI's figures, or why they were not measured (said on the terminal)."""
    print()
    print("Mesure de l'interface en terminal")
    try:
        resultat = mesurer_tui(donnees_chemin, monde)
    except Exception as erreur:  # the other figures are still written
        print(f"  {KO} Partie interface en échec : {type(erreur).__name__}: {erreur}")
        return f"échec : {type(erreur).__name__}: {erreur}"
    afficher_tui(resultat)
    return resultat


def _documents() -> ResultatDocuments | str:
    """The PDF documents' figures, or why they were not measured (said on the terminal)."""
    print()
    print("Mesure des documents PDF")
    try:
        resultat = mesurer_documents()
    except Exception as erreur:  # the other figures are still written
        print(f"  {KO} Partie documents en échec : {type(erreur).__name__}: {erreur}")
        return f"échec : {type(erreur).__name__}: {erreur}"
    afficher_documents(resultat)
    return resultat


def _flux(options: argparse.Namespace) -> ResultatFlux | str:
    """The dépôt flux's figures, or why they were not measured (said on the terminal)."""
    print()
    print("Mesure du dépôt flux")
    try:
        resultat = mesurer_flux(options.flux_memoires)
    except Exception as erreur:  # the other figures are still written
        print(f"  {KO} Partie flux en échec : {type(erreur).__name__}: {erreur}")
        return f"échec : {type(erreur).__name__}: {erreur}"
    afficher_flux(resultat)
    return resultat


def _sans_base(options: argparse.Namespace, debut: float, infos_machine: dict[str, Any]) -> None:
    """The documents or the dépôt flux part alone: they need no benchmark database."""
    flux = _flux(options) if options.flux else None
    documents = _documents() if options.documents else None
    infos_machine["charge_fin"] = [round(c, 2) for c in os.getloadavg()]
    duree = chrono() - debut
    afficher_bilan(
        [],
        None,
        infos_machine,
        documents=documents if isinstance(documents, ResultatDocuments) else None,
        flux=flux if isinstance(flux, ResultatFlux) else None,
    )
    chemin = ecrire(None, [], None, infos_machine, duree, documents=documents, flux=flux)
    print(f"Durée totale : {duree:.0f} s ; résultats écrits dans {chemin}")
    if isinstance(documents, str) or isinstance(flux, str):
        sys.exit(1)


def _api(options: argparse.Namespace, donnees_chemin: Path, monde: Monde) -> ResultatApi | str:
    """The API part's figures, or why it was not measured (said on the terminal)."""
    print()
    print("Mesure de l'API HTTP")
    try:
        tir = Tir(
            wrk=trouver_wrk(),
            connexions=options.api_connexions,
            fils=options.api_fils,
            duree_s=options.api_duree,
            echauffement_s=options.api_echauffement,
        )
    except WrkIntrouvable as erreur:
        print(f"  Partie API ignorée : {erreur}.")
        return f"ignorée : {erreur}"
    try:
        resultat = mesurer_api(donnees_chemin, monde, tir)
    except Exception as erreur:  # the storage figures are still written
        print(f"  {KO} Partie API en échec : {type(erreur).__name__}: {erreur}")
        return f"échec : {type(erreur).__name__}: {erreur}"
    afficher_api(resultat)
    return resultat


def main(arguments: Sequence[str] | None = None) -> None:
    options = _options(arguments)
    debut = chrono()
    infos_machine = machine()
    if options.documents_seulement or options.flux_seulement:
        _sans_base(options, debut, infos_machine)
        return
    parametres = Parametres(
        memoires=options.memoires,
        structures=options.structures,
        annees=options.annees,
        graine=options.graine,
        fin=options.fin,
    )
    if (
        (options.api_seulement or options.tui_seulement)
        and options.base is None
        and not options.regenerer
    ):
        base, description = chemins(parametres)
        if not (base.exists() and description.exists()):
            # A quick look at the API must not start a generation (13 min at full size).
            sys.exit(
                f"Pas de base en cache pour la clé {parametres.cle} ({base}) : lancez d'abord "
                "python -m bench avec les mêmes paramètres (ou --regenerer, ou --base)."
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
    flux: ResultatFlux | str | None = None
    if options.flux:
        flux = _flux(options)
    api: ResultatApi | str | None = None
    if options.api:
        api = _api(options, donnees.chemin, monde)
    tui: ResultatTui | str | None = None
    if options.tui:
        tui = _tui(donnees.chemin, monde)
    documents: ResultatDocuments | str | None = None
    if options.documents:
        documents = _documents()
    infos_machine["charge_fin"] = [round(c, 2) for c in os.getloadavg()]
    duree = chrono() - debut
    afficher_bilan(
        mesures,
        insertion,
        infos_machine,
        api if isinstance(api, ResultatApi) else None,
        tui if isinstance(tui, ResultatTui) else None,
        documents=documents if isinstance(documents, ResultatDocuments) else None,
        flux=flux if isinstance(flux, ResultatFlux) else None,
    )
    chemin = ecrire(
        donnees,
        mesures,
        insertion,
        infos_machine,
        duree,
        api,
        tui,
        documents=documents,
        flux=flux,
    )
    print(f"Durée totale : {duree:.0f} s ; résultats écrits dans {chemin}")
    if any(isinstance(r, str) and r.startswith("échec") for r in (api, tui, documents, flux)):
        sys.exit(1)
