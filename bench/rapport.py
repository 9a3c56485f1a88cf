"""The run's figures as a table on the terminal and as JSON in `bench/results/`."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.api import CIBLE_RATIO_API, ResultatApi
from bench.documents import (
    CIBLE_CERTIFICAT_MS,
    CIBLE_RATIO_NU,
    CIBLE_SERVICE_MS,
    ResultatDocuments,
)
from bench.flux import CIBLE_DEBIT, CIBLE_RATIO_FLUX, ResultatFlux
from bench.generateur import Donnees
from bench.insertion import CIBLE_RATIO, ResultatInsertion
from bench.mesures import CIBLE_MS, Mesure
from bench.tui import CIBLE_DEMARRAGE_S, CIBLE_PREMIERE_PAGE_MS, ResultatTui
from chorus.adapters.systeme.horloges import HorlogeSysteme

RESULTATS = Path(__file__).resolve().parent / "results"

OK, KO = "✓", "✗"


def machine() -> dict[str, Any]:
    memoire_ko = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fichier:
            for ligne in fichier:
                if ligne.startswith("MemTotal:"):
                    memoire_ko = int(ligne.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "plateforme": platform.platform(),
        "memoire_gio": round(memoire_ko / 1024 / 1024, 1),
        "charge_moyenne": [round(c, 2) for c in os.getloadavg()],
    }


def _nombre(valeur: float) -> str:
    return f"{valeur:,.0f}".replace(",", "\u202f")


def _octets(valeur: int) -> str:
    return f"{valeur / 1024**3:.2f} Gio" if valeur >= 1024**3 else f"{valeur / 1024**2:.0f} Mio"


def _ms(valeur: float) -> str:
    return f"{valeur:.1f}" if valeur < 100 else f"{valeur:.0f}"


def afficher_donnees(donnees: Donnees) -> None:
    p = donnees.parametres
    print()
    print("Données")
    print(
        f"  {_nombre(donnees.memoires)} mémoires, {_nombre(donnees.lignes)} lignes, "
        f"{p.structures} structures, {p.annees} ans jusqu'au {p.fin:%d/%m/%Y} (graine {p.graine})"
    )
    origine = (
        f"base en cache réutilisée (générée en {donnees.duree_generation_s:.0f} s)"
        if donnees.reutilisee
        else f"générée en {donnees.duree_generation_s:.0f} s"
    )
    print(f"  {origine} : {donnees.chemin}")
    print(f"  taille de la base : {_octets(donnees.taille_octets)}")
    print(
        f"  {donnees.verifies} mémoires tirés au hasard relus par le dépôt "
        "(memoires.obtenir) : conformes à leur ligne, empreinte recalculée ✓"
    )


def afficher_mesures(mesures: Sequence[Mesure]) -> None:
    largeur_nom = max(len(m.nom) for m in mesures)
    largeur_couche = max(len(m.couche) for m in mesures)
    entete = (
        f"  {'mesure':<{largeur_nom}}  {'couche mesurée':<{largeur_couche}}  "
        f"{'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  {'n':>4}  cible {CIBLE_MS:.0f} ms"
    )
    groupe = None
    for m in mesures:
        if m.groupe != groupe:
            groupe = m.groupe
            print()
            print(groupe)
            print(entete)
        print(
            f"  {m.nom:<{largeur_nom}}  {m.couche:<{largeur_couche}}  {_ms(m.p50):>8}  "
            f"{_ms(m.p95):>8}  {_ms(m.max):>8}  {m.n:>4}  {OK if m.atteint else KO}"
        )


def afficher_diagnostics(mesures: Sequence[Mesure]) -> None:
    manquees = [m for m in mesures if m.diagnostic is not None]
    if not manquees:
        return
    print()
    print(
        "Diagnostic des recherches hors cible : l'adaptateur seul (requetes.rechercher), puis "
        "chaque requête SQL qu'il exécute, chronométrée à part, avec son plan"
    )
    for m in manquees:
        d = m.diagnostic or {}
        print(
            f"  {m.groupe} — {m.nom} : service p50 {_ms(m.p50)} ms ; "
            f"requetes.rechercher p50 {_ms(d['adaptateur_p50_ms'])} ms"
        )
        for requete in d["requetes"]:
            sql = " ".join(requete["sql"].split())
            if len(sql) > 150:
                sql = sql[:147] + "…"
            print(f"      {_ms(requete['p50_ms']):>6} ms  {sql}")
            print(f"                plan : {' | '.join(requete['plan'])}")


def afficher_insertion(r: ResultatInsertion) -> None:
    print()
    print(
        f"Insertion de {_nombre(r.memoires)} mémoires ({_nombre(r.lignes)} lignes), "
        f"unités de travail de {_nombre(r.par_unite_de_travail)}"
    )
    print(
        f"  construction par le domaine        {r.construction_s:7.1f} s  "
        f"({_nombre(r.memoires / r.construction_s)} mémoires/s)"
    )
    print(
        f"  adaptateur (memoires.ajouter)      {min(r.adaptateur_s):7.1f} s  "
        f"({_nombre(r.debit_adaptateur)} mémoires/s)"
    )
    print(
        f"  SQL brut (executemany)             {min(r.brut_s):7.1f} s  "
        f"({_nombre(r.debit_brut)} mémoires/s)"
    )
    print(
        f"  ratio adaptateur / SQL brut        {r.ratio:7.3f}    "
        f"cible ≥ {CIBLE_RATIO} {OK if r.ratio >= CIBLE_RATIO else KO}"
    )
    print(
        f"  ratio avec la construction         {r.ratio_avec_construction:7.3f}    "
        f"(domaine + adaptateur, contre SQL brut) "
        f"{OK if r.ratio_avec_construction >= CIBLE_RATIO else KO}"
    )


def afficher_flux(r: ResultatFlux) -> None:
    print()
    print(
        f"Dépôt flux : {_nombre(r.memoires)} mémoires de 2 lignes (JSON, "
        f"{r.octets / 1024**2:.1f} Mio), lots de {_nombre(r.par_lot)} par unité de travail"
    )
    print(
        f"  intégration (FluxService.traiter)  {min(r.flux_s):7.2f} s  "
        f"({_nombre(r.debit_flux)} mémoires/s)  cible ≥ {_nombre(CIBLE_DEBIT)} "
        f"{OK if r.debit_atteint else KO}"
    )
    print(
        f"  SQL brut (executemany)             {min(r.brut_s):7.2f} s  "
        f"({_nombre(r.debit_brut)} mémoires/s)"
    )
    print(
        f"  ratio flux / SQL brut              {r.ratio:7.3f}    "
        f"cible ≥ {CIBLE_RATIO_FLUX} {OK if r.ratio_atteint else KO}"
    )
    print(
        f"  en temps processeur : flux {min(r.flux_cpu_s):.2f} s, SQL brut "
        f"{min(r.brut_cpu_s):.2f} s, ratio {r.ratio_processeur:.3f} (hors attente du disque)"
    )
    ecrites = ", ".join(f"{nom} {_nombre(n)}" for nom, n in r.lignes_brutes)
    print(f"  lignes écrites par le SQL brut : {ecrites}")
    if r.ecarts:
        print(f"  ⚠ tables dont le flux a écrit un autre nombre de lignes : {', '.join(r.ecarts)}")
    meilleur = min(r.flux_s)
    parts = " ; ".join(
        f"{nom} {s:.2f} s ({s / meilleur:.0%})" for nom, s in r.profil if s >= 0.0005
    )
    print(f"  où va le temps (cProfile, parts appliquées au meilleur temps) : {parts}")
    print(f"  lecture seule du fichier (LecteurDeFlux.lire, hors profil) : {r.lecture_s:.2f} s")


def afficher_api(r: ResultatApi) -> None:
    print()
    print(
        f"API HTTP sous charge (wrk : {r.connexions} connexions, {r.fils} fils, "
        f"{r.duree_s:.0f} s par mesure après {r.echauffement_s:.0f} s d'échauffement)"
    )
    print(f"  serveur : {r.serveur} ; utilisateur : {r.utilisateur}")
    print(
        "  point nu : application Litestar sans travail sur les mêmes chemins, réponse JSON "
        "de la taille de celle de l'API"
    )
    largeur = max(len(c.nom) for c in r.comparaisons)
    print()
    print(
        f"  {'requête':<{largeur}}  {'octets':>7}  {'API req/s':>9}  {'p50 ms':>7}  "
        f"{'p99 ms':>7}  {'nu req/s':>9}  {'p50 ms':>7}  {'p99 ms':>7}  {'API/nu':>6}  cible"
    )
    for c in r.comparaisons:
        cible = "—" if c.atteint is None else f"≥ {c.cible} {OK if c.atteint else KO}"
        print(
            f"  {c.nom:<{largeur}}  {_nombre(c.taille_octets):>7}  {_nombre(c.api.debit):>9}  "
            f"{_ms(c.api.p50_ms):>7}  {_ms(c.api.p99_ms):>7}  {_nombre(c.nue.debit):>9}  "
            f"{_ms(c.nue.p50_ms):>7}  {_ms(c.nue.p99_ms):>7}  {c.ratio:>6.2f}  {cible}"
        )
    for c in r.comparaisons:
        print(f"    {c.nom} : {c.description}")
        for cote, charge in (("API", c.api), ("point nu", c.nue)):
            if charge.en_erreur:
                detail = ", ".join(f"{k} {v}" for k, v in charge.erreurs.items() if v)
                print(
                    f"    {KO} {cote} : {_nombre(charge.en_erreur)} requêtes en erreur "
                    f"({detail}) : mesure invalide"
                )
    print(
        f"  {_nombre(r.lignes_ajoutees)} lignes ajoutées pendant la mesure dans "
        f"{r.brouillons} brouillons créés pour elle, supprimés ensuite "
        "(MemoireService.supprimer)"
    )


def afficher_tui(r: ResultatTui) -> None:
    print()
    print("Interface en terminal (Textual)")
    demarrage = r.demarrage_median_s <= CIBLE_DEMARRAGE_S
    page = r.premiere_page_mediane_ms <= CIBLE_PREMIERE_PAGE_MS
    print(
        f"  démarrage à froid jusqu'à l'écran de connexion : médiane "
        f"{r.demarrage_median_s * 1000:.0f} ms (min {min(r.demarrages_s) * 1000:.0f}, max "
        f"{max(r.demarrages_s) * 1000:.0f}, {len(r.demarrages_s)} processus) — cible ≤ "
        f"{CIBLE_DEMARRAGE_S * 1000:.0f} ms {OK if demarrage else KO}"
    )
    print(
        f"  première page d'une recherche ({r.lignes_affichees} lignes affichées sur "
        f"{_nombre(r.total_affiche)}) : médiane {_ms(r.premiere_page_mediane_ms)} ms (min "
        f"{_ms(min(r.premieres_pages_ms))}, max {_ms(max(r.premieres_pages_ms))}) — cible ≤ "
        f"{CIBLE_PREMIERE_PAGE_MS:.0f} ms {OK if page else KO}"
    )


def afficher_documents(r: ResultatDocuments) -> None:
    print()
    print("Documents PDF (WeasyPrint, PDF/A-3b, police embarquée)")
    harfbuzz = (
        f"HarfBuzz {OK}"
        if r.harfbuzz
        else f"fontTools {KO} (installez libharfbuzz-subset0 : environ cinq fois plus rapide)"
    )
    print(f"  sous-ensembles de polices : {harfbuzz}")
    print(
        f"  mise en route (import de WeasyPrint, modèles et police, une fois par processus) : "
        f"{_ms(r.mise_en_route_ms)} ms"
    )
    print(
        f"  certificat de dépôt, une page ({_nombre(r.octets_certificat)} octets) : médiane "
        f"{_ms(r.certificat_ms)} ms (min {_ms(min(r.certificats_ms))}, max "
        f"{_ms(max(r.certificats_ms))}, {len(r.certificats_ms)} rendus ; temps processeur "
        f"{_ms(r.certificat_cpu_ms)} ms) — cible ≤ "
        f"{CIBLE_CERTIFICAT_MS:.0f} ms {OK if r.certificat_ms <= CIBLE_CERTIFICAT_MS else KO}"
    )
    print(
        f"  la même page nue (sans feuille de style ni police embarquée, hors PDF/A) : médiane "
        f"{_ms(r.nu_ms)} ms ; ratio certificat / page nue {r.ratio:.2f} (en temps processeur "
        f"{r.ratio_cpu:.2f}) — cible ≤ {CIBLE_RATIO_NU:.0f} "
        f"{OK if r.ratio <= CIBLE_RATIO_NU else KO}"
    )
    print(
        f"  page minimale nue (un titre, une phrase) : médiane {_ms(r.minimal_ms)} ms ; ratio "
        f"certificat / page minimale {r.ratio_minimal:.2f} (pour information)"
    )
    print(
        f"  mémoire de {r.lignes_memoire} lignes ({r.pages_memoire} pages) : médiane "
        f"{_ms(r.memoire_ms)} ms (min {_ms(min(r.memoires_ms))}, max "
        f"{_ms(max(r.memoires_ms))}, {len(r.memoires_ms)} rendus)"
    )
    print(
        f"  certificat stocké servi (DocumentService.certificat_depot, SQLite) : médiane "
        f"{r.service_ms:.2f} ms (max {max(r.services_ms):.2f}, {len(r.services_ms)} appels) — "
        f"cible ≤ {CIBLE_SERVICE_MS:.0f} ms {OK if r.service_ms <= CIBLE_SERVICE_MS else KO}"
    )


def afficher_bilan(
    mesures: Sequence[Mesure],
    insertion: ResultatInsertion | None,
    charge: dict[str, Any],
    api: ResultatApi | None = None,
    tui: ResultatTui | None = None,
    *,
    documents: ResultatDocuments | None = None,
    flux: ResultatFlux | None = None,
) -> None:
    manquees = [m for m in mesures if not m.atteint]
    print()
    ciblees = [] if api is None else [c for c in api.comparaisons if c.cible is not None]
    parties: list[str] = []
    if mesures:
        parties.append(
            f"{len(mesures) - len(manquees)}/{len(mesures)} latences p95 ≤ {CIBLE_MS:.0f} ms"
        )
    if insertion is not None:
        parties.append(f"insertion {insertion.ratio:.3f} (cible ≥ {CIBLE_RATIO})")
    if flux is not None:
        parties.append(
            f"flux {_nombre(flux.debit_flux)} mémoires/s (cible ≥ {_nombre(CIBLE_DEBIT)}), "
            f"ratio {flux.ratio:.3f} (cible ≥ {CIBLE_RATIO_FLUX})"
        )
    if ciblees:
        parties.append(
            "API/nu en lecture "
            + ", ".join(f"{c.ratio:.2f}" for c in ciblees)
            + f" (cible ≥ {CIBLE_RATIO_API} : {sum(1 for c in ciblees if c.atteint)}"
            + f"/{len(ciblees)})"
        )
    if tui is not None:
        parties.append(
            f"interface : démarrage {tui.demarrage_median_s * 1000:.0f} ms (cible ≤ "
            f"{CIBLE_DEMARRAGE_S * 1000:.0f}), première page "
            f"{_ms(tui.premiere_page_mediane_ms)} ms (cible ≤ {CIBLE_PREMIERE_PAGE_MS:.0f})"
        )
    if documents is not None:
        parties.append(
            f"documents : certificat {_ms(documents.certificat_ms)} ms (cible ≤ "
            f"{CIBLE_CERTIFICAT_MS:.0f}), ratio page nue {documents.ratio:.2f} (cible ≤ "
            f"{CIBLE_RATIO_NU:.0f}), certificat stocké servi {documents.service_ms:.2f} ms "
            f"(cible ≤ {CIBLE_SERVICE_MS:.0f})"
        )
    print("Bilan : " + (" ; ".join(parties) or "rien de mesuré"))
    print(
        f"Machine : {charge['nproc']} cœurs, Python {charge['python']}, SQLite "
        f"{charge['sqlite']}, charge moyenne {charge['charge_moyenne']} au début, "
        f"{charge['charge_fin']} à la fin"
    )
    if max(charge["charge_moyenne"][0], charge["charge_fin"][0]) > (charge["nproc"] or 1) / 2:
        print(
            "  ⚠ la machine était chargée par d'autres processus pendant la mesure : les "
            "durées en sont allongées."
        )


def ecrire(
    donnees: Donnees | None,
    mesures: Sequence[Mesure],
    insertion: ResultatInsertion | None,
    infos_machine: dict[str, Any],
    duree_totale_s: float,
    api: ResultatApi | str | None = None,
    tui: ResultatTui | str | None = None,
    *,
    documents: ResultatDocuments | str | None = None,
    flux: ResultatFlux | str | None = None,
) -> Path:
    RESULTATS.mkdir(parents=True, exist_ok=True)
    maintenant = HorlogeSysteme().maintenant()
    chemin = RESULTATS / f"{maintenant:%Y%m%dT%H%M%SZ}.json"
    contenu = {
        "date": maintenant.isoformat(),
        "commande": " ".join(sys.argv),
        "machine": infos_machine,
        # None when only the documents were measured: they need no benchmark database.
        "donnees": None
        if donnees is None
        else {
            "parametres": donnees.parametres.en_dict(),
            "cle": donnees.parametres.cle,
            "chemin": str(donnees.chemin),
            "reutilisee": donnees.reutilisee,
            "duree_generation_s": round(donnees.duree_generation_s, 1),
            "memoires": donnees.memoires,
            "lignes": donnees.lignes,
            "taille_octets": donnees.taille_octets,
            "verifies": donnees.verifies,
        },
        "cible_ms": CIBLE_MS,
        "latences": [m.en_dict() for m in mesures],
        "insertion": None if insertion is None else insertion.en_dict(),
        # The dépôt flux's figures, or why that part was not measured.
        "flux": flux.en_dict() if isinstance(flux, ResultatFlux) else flux,
        # The API's figures, or why that part was not measured.
        "api": api.en_dict() if isinstance(api, ResultatApi) else api,
        "tui": tui.en_dict() if isinstance(tui, ResultatTui) else tui,
        "documents": documents.en_dict() if isinstance(documents, ResultatDocuments) else documents,
        "duree_totale_s": round(duree_totale_s, 1),
    }
    chemin.write_text(json.dumps(contenu, indent=2, ensure_ascii=False), encoding="utf-8")
    return chemin
