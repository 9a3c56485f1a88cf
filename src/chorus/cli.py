"""The `chorus` command."""

from __future__ import annotations

import os
import sys

import click

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.bootstrap import STOCKAGE_PAR_DEFAUT, ErreurDeConfiguration, construire
from chorus.domain.errors import DomainError
from chorus.domain.montants import en_francais
from chorus.services.demo import DonneesDemo, charger_demo


def afficher_demo(donnees: DonneesDemo) -> str:
    """The demo summary as plain French text."""
    lignes: list[str] = []
    if donnees.deja_chargee:
        lignes.append("Les données de démonstration étaient déjà chargées.")
    lignes.append("Comptes")
    for u in donnees.utilisateurs:
        role = u.role.libelle if u.role else "Prestataire"
        juridictions = f" ({', '.join(sorted(u.juridictions))})" if u.juridictions else ""
        lignes.append(f"  {u.email:<42} {u.nom_complet:<18} {role}{juridictions}")
    lignes.append("")
    lignes.append("Structures")
    noms = {}
    for s in donnees.structures:
        noms[s.id] = s.raison_sociale
        lignes.append(
            f"  {s.identifiant:<20} {s.raison_sociale:<44} {s.type_structure.libelle}, "
            f"département {s.departement}, {len(s.services)} service(s), "
            f"{len(s.rattachements)} utilisateur(s)"
        )
    if donnees.memoires:
        lignes.append("")
        lignes.append("Mémoires de frais de justice")
        lignes.append(
            f"  {'Numéro':<16} {'État':<20} {'Net à payer':>13}  {'Juridiction':<11} Structure"
        )
        for m in donnees.memoires:
            net = f"{en_francais(m.totaux.net_a_payer)} €"
            lignes.append(
                f"  {m.numero:<16} {m.statut.libelle:<20} {net:>13}  "
                f"{m.entete.juridiction_code:<11} {noms.get(m.structure_id, '')}"
            )
            if m.certificat is not None:
                lignes.append(f"  {'':<16} empreinte {m.certificat.empreinte}")
    return "\n".join(lignes)


@click.group()
def main() -> None:
    """Chorus : mémoires de frais de justice et remboursements TIC/TICGN."""


@main.command()
@click.option(
    "--storage",
    "stockage",
    default=lambda: os.environ.get("CHORUS_STORAGE", STOCKAGE_PAR_DEFAUT),
    show_default=STOCKAGE_PAR_DEFAUT,
    help="Adresse du stockage : sqlite:///chemin.db, files:///dossier ou memory:// "
    "(ou la variable CHORUS_STORAGE).",
)
def demo(stockage: str) -> None:
    """Charge le jeu de démonstration et en affiche le résumé."""
    try:
        chorus = construire(stockage)
        donnees = charger_demo(chorus.ports)
    except ErreurDeConfiguration as erreur:
        click.echo(f"Erreur de configuration : {erreur}", err=True)
        sys.exit(2)
    except StockageInutilisable as erreur:
        click.echo(f"Stockage inutilisable : {erreur}", err=True)
        sys.exit(2)
    except DomainError as erreur:
        click.echo(f"Le jeu de démonstration n'a pas pu être chargé : {erreur}", err=True)
        sys.exit(1)
    click.echo(f"Stockage : {stockage}")
    click.echo(afficher_demo(donnees))


if __name__ == "__main__":
    main()
