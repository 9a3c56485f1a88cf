"""A writer process for the reliability tests: ``python -m tests.fiabilite.ecrivain …``.

Every line it prints is flushed at once, so that what the parent reads is what the writer
knew was committed when it was killed:

- ``boucle URL ACTEUR STRUCTURE``: waits for a line on its input (so that it can be started,
  and its imports done, while the parent is still busy with the store), opens the store,
  prints ``PRET``, then writes and sends mémoires until it is
  killed, printing ``BROUILLON id TMP…`` and ``ENVOYE id MJ…`` after each commit that names
  a number;
- ``lot URL ACTEUR STRUCTURE NOMBRE BARRIERE``: prints ``PRET``, waits for the file
  BARRIERE, sends NOMBRE mémoires between ``DEBUT ns`` and ``FIN ns`` (monotonic clock);
- ``editer URL ACTEUR STRUCTURE MEMOIRE VERSION MARQUE BARRIERE FACON``: reads the draft
  (which must be at VERSION), prints ``PRET``, waits for BARRIERE, then saves its own
  change and prints ``GAGNE version`` or ``CONFLIT attendue actuelle``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.bootstrap import construire
from tests.fiabilite.commun import (
    Monde,
    attendre_barriere,
    ecrire_un_memoire,
    entete,
    preparer_edition,
)


def dire(ligne: str) -> None:
    sys.stdout.write(ligne + "\n")
    sys.stdout.flush()


def _arguments(arguments: Sequence[str]) -> argparse.Namespace:
    analyseur = argparse.ArgumentParser(prog="ecrivain")
    commandes = analyseur.add_subparsers(dest="commande", required=True)
    for nom in ("boucle", "lot", "editer"):
        commande = commandes.add_parser(nom)
        commande.add_argument("url")
        commande.add_argument("acteur")
        commande.add_argument("structure")
        if nom == "lot":
            commande.add_argument("nombre", type=int)
            commande.add_argument("barriere", type=Path)
        if nom == "editer":
            commande.add_argument("memoire")
            commande.add_argument("version", type=int)
            commande.add_argument("marque")
            commande.add_argument("barriere", type=Path)
            commande.add_argument("facon", choices=("cas", "depot"))
    return analyseur.parse_args(arguments)


def main(arguments: Sequence[str]) -> None:
    args = _arguments(arguments)
    if args.commande == "boucle":
        sys.stdin.readline()
    chorus = construire(args.url)
    monde = Monde(acteur_id=args.acteur, structure_id=args.structure)
    if args.commande == "editer":
        lu = chorus.memoires.obtenir(monde.acteur_id, args.memoire)
        if lu.version != args.version:
            raise SystemExit(f"version {lu.version} lue, {args.version} attendue")
        tenter = preparer_edition(chorus, monde, lu, args.marque, args.facon)
        dire("PRET")
        attendre_barriere(args.barriere)
        dire(tenter())
        return
    en_tete = entete(chorus, monde)
    # Ready means ready to send: the first certificate would otherwise spend the first
    # kills on WeasyPrint's import.
    RenduWeasyPrint().prechauffer()
    dire("PRET")
    if args.commande == "boucle":
        while True:
            ecrire_un_memoire(chorus, monde, dire, en_tete)
    attendre_barriere(args.barriere)
    dire(f"DEBUT {time.monotonic_ns()}")
    for _ in range(args.nombre):
        ecrire_un_memoire(chorus, monde, dire, en_tete)
    dire(f"FIN {time.monotonic_ns()}")


if __name__ == "__main__":
    main(sys.argv[1:])
