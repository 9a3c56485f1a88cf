"""The `chorus` command."""

from __future__ import annotations

import re
import sys
from datetime import date
from typing import NoReturn

import attrs
import click

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.bootstrap import (
    STOCKAGE_PAR_DEFAUT,
    ErreurDeConfiguration,
    construire,
    construire_distributeur,
    construire_serveur,
    construire_tui,
)
from chorus.config import Configuration
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.errors import DomainError
from chorus.domain.montants import en_francais
from chorus.domain.organisation import Structure
from chorus.domain.utilisateur import RoleAgent
from chorus.services.demo import MOT_DE_PASSE_DEMO, DonneesDemo, charger_demo
from chorus.services.retention import RapportPurge


def _droits(structure: Structure, utilisateur_id: str) -> str:
    """What a member may do, as the demo summary says it."""
    if structure.est_gestionnaire(utilisateur_id):
        return "gestionnaire"
    profils = sorted({h.profil.value.lower() for h in structure.habilitations_de(utilisateur_id)})
    return " et ".join(profils) or "sans habilitation"


def afficher_demo(donnees: DonneesDemo) -> str:
    """The demo summary as plain French text."""
    lignes: list[str] = []
    if donnees.deja_chargee:
        lignes.append("Les données de démonstration étaient déjà chargées.")
    lignes.append(f"Comptes (mot de passe de chacun : {MOT_DE_PASSE_DEMO})")
    for u in donnees.utilisateurs:
        if u.role is not None:
            juridictions = f" ({', '.join(sorted(u.juridictions))})" if u.juridictions else ""
            role = f"{u.role.libelle}{juridictions}"
        else:
            role = "Prestataire" + "".join(
                f" — {_droits(s, u.id)} de « {s.raison_sociale} »"
                for s in donnees.structures
                if s.est_membre(u.id)
            )
        lignes.append(f"  {u.email:<42} {u.nom_complet:<18} {role}")
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
    if donnees.demandes_tic:
        lignes.append("")
        lignes.append("Demandes de remboursement TIC/TICGN")
        lignes.append(
            f"  {'Numéro':<16} {'État':<22} {'Année':<6} {'Demandé':>12} {'Accordé':>12}  Structure"
        )
        for d in donnees.demandes_tic:
            accorde = "" if d.montant_accorde is None else f"{en_francais(d.montant_accorde)} €"
            lignes.append(
                f"  {d.numero:<16} {d.statut.libelle:<22} {d.annee:<6} "
                f"{en_francais(d.montant_total) + ' €':>12} {accorde:>12}  "
                f"{noms.get(d.structure_id, '')}"
            )
    return "\n".join(lignes)


_OPTION_STOCKAGE = click.option(
    "--storage",
    "stockage",
    default=None,
    show_default=STOCKAGE_PAR_DEFAUT,
    help="Adresse du stockage : sqlite:///chemin.db, files:///dossier ou memory:// "
    "(ou la variable CHORUS_STORAGE).",
)


def _configuration(stockage: str | None) -> Configuration:
    try:
        configuration = Configuration.depuis_environnement()
    except ErreurDeConfiguration as erreur:
        _quitter_configuration(erreur)
    if stockage is not None:
        configuration = attrs.evolve(configuration, stockage=stockage)
    return configuration


def _quitter_configuration(erreur: Exception) -> NoReturn:
    click.echo(f"Erreur de configuration : {erreur}", err=True)
    sys.exit(2)


def _quitter_refus(erreur: DomainError, suite: str = "") -> NoReturn:
    champ = f" ({erreur.champ})" if erreur.champ else ""
    click.echo(f"Refusé{champ} : {erreur}{' ' + suite if suite else ''}", err=True)
    sys.exit(1)


@click.group()
def main() -> None:
    """Chorus : mémoires de frais de justice et remboursements TIC/TICGN."""


@main.command()
@_OPTION_STOCKAGE
def demo(stockage: str | None) -> None:
    """Charge le jeu de démonstration et en affiche le résumé."""
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        donnees = charger_demo(chorus.ports, chorus.comptes)
    except ErreurDeConfiguration as erreur:
        _quitter_configuration(erreur)
    except StockageInutilisable as erreur:
        click.echo(f"Stockage inutilisable : {erreur}", err=True)
        sys.exit(2)
    except DomainError as erreur:
        click.echo(f"Le jeu de démonstration n'a pas pu être chargé : {erreur}", err=True)
        sys.exit(1)
    click.echo(f"Stockage : {configuration.stockage}")
    click.echo(afficher_demo(donnees))


@main.command()
@click.option("--host", "hote", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@_OPTION_STOCKAGE
def serve(hote: str, port: int, stockage: str | None) -> None:
    """Démarre l'API HTTP (uvicorn)."""
    import uvicorn

    configuration = _configuration(stockage)
    try:
        serveur = construire_serveur(configuration)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    adresse = f"http://{hote}:{port}"
    click.echo(f"Stockage : {configuration.stockage}")
    click.echo(f"Courriels : {serveur.courriels}")
    if not configuration.captcha_actif:
        click.echo(
            "ATTENTION : captcha désactivé (CHORUS_CAPTCHA=desactive) — réservé aux tests "
            "automatisés, jamais en production.",
            err=True,
        )
    click.echo(f"API : {adresse}/api/v1 — documentation : {adresse}/api/v1/schema")
    uvicorn.run(serveur.application, host=hote, port=port, log_level="info", access_log=False)


@main.command()
@_OPTION_STOCKAGE
def tui(stockage: str | None) -> None:
    """Ouvre le portail dans le terminal (prestataires et back office)."""
    configuration = _configuration(stockage)
    try:
        application = construire_tui(configuration)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    application.run()


@main.group()
def admin() -> None:
    """Administration : comptes du back office."""


@admin.command("creer-agent")
@click.option("--email", required=True, help="Adresse électronique (identifiant de connexion).")
@click.option("--mot-de-passe", "mot_de_passe", required=True, help="Mot de passe initial.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in RoleAgent]),
    help="Rôle du compte.",
)
@click.option(
    "--juridiction",
    "juridictions",
    multiple=True,
    help="Code d'une juridiction de l'agent (répétable ; obligatoire pour AGENT_JURIDICTION).",
)
@click.option("--nom", default="Agent", show_default=True)
@click.option("--prenom", default="", show_default=False)
@_OPTION_STOCKAGE
def creer_agent(
    email: str,
    mot_de_passe: str,
    role: str,
    juridictions: tuple[str, ...],
    nom: str,
    prenom: str,
    stockage: str | None,
) -> None:
    """Crée un compte actif du back office (agent, comptable, instructeur, support…)."""
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        agent = chorus.comptes.creer_agent(
            email=email,
            mot_de_passe=mot_de_passe,
            role=RoleAgent(role),
            juridictions=juridictions,
            nom=nom,
            prenom=prenom or role.replace("_", " ").title(),
        )
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur)
    juridictions_texte = ", ".join(sorted(agent.juridictions)) or "aucune"
    click.echo(
        f"Compte créé : {agent.email} — {RoleAgent(role).libelle} — juridictions : "
        f"{juridictions_texte}"
    )


@main.group()
def courriels() -> None:
    """La boîte d'envoi des courriels."""


@courriels.command("envoyer")
@_OPTION_STOCKAGE
def envoyer_courriels(stockage: str | None) -> None:
    """Envoie les courriels en attente (SMTP, ou fichiers .eml sans serveur SMTP)."""
    configuration = _configuration(stockage)
    try:
        distributeur = construire_distributeur(configuration)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    bilan = distributeur.distribuer()
    click.echo(f"Courriels envoyés : {bilan.envoyes} ; en échec : {bilan.echecs}.")
    if bilan.echecs:
        sys.exit(1)


def _accord(n: int, singulier: str, pluriel: str) -> str:
    # French counts 0 and 1 in the singular.
    return singulier if n < 2 else pluriel


def afficher_purge(rapport: RapportPurge) -> str:
    """What a purge removed (or would remove), as plain French text."""
    lignes = [
        f"Purge des archives : mémoires transmis avant le {rapport.limite:%d/%m/%Y} et dans "
        "un état final (mis en paiement, abandonné, dupliqué post refus)."
    ]
    if rapport.simulation:
        lignes.append("Simulation : rien n'est supprimé.")
    if rapport.memoires:
        lignes.append(
            f"  {'Numéro':<15} {'Dépôt':<10}  {'État':<20} {'Juridiction':<12} "
            f"{'Pièces':>6}  Prestataire"
        )
        for m in rapport.memoires:
            lignes.append(
                f"  {m.numero:<15} {jour_a_paris(m.date_depot):%d/%m/%Y}  "
                f"{m.statut.libelle:<20} {m.juridiction_code:<12} {m.nombre_pieces:>6}  "
                f"{m.prestataire}"
            )

    def supprimes(n: int, chose: str) -> str:
        if rapport.simulation:
            verbe = _accord(n, "serait supprimé", "seraient supprimés")
        else:
            verbe = _accord(n, "supprimé", "supprimés")
        return f"{n} {_accord(n, chose, chose + 's')} {verbe}"

    octets = f"{rapport.octets_supprimes:,}".replace(",", "\u00a0")
    lignes.append(
        f"Bilan : {supprimes(len(rapport.memoires), 'mémoire')} ; "
        f"{supprimes(rapport.contenus_supprimes, 'fichier')} (pièces et certificats, "
        f"{octets} {_accord(rapport.octets_supprimes, 'octet', 'octets')})."
    )
    return "\n".join(lignes)


_DATE_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@main.group()
def retention() -> None:
    """Conservation des archives : dix ans à compter de la transmission."""


@retention.command("purger")
@click.option(
    "--avant",
    default=None,
    metavar="AAAA-MM-JJ",
    help="Ne purger que les mémoires déposés avant ce jour (au plus tard : il y a dix ans).",
)
@click.option(
    "--simulation", is_flag=True, help="Lister ce qui serait supprimé, sans rien supprimer."
)
@_OPTION_STOCKAGE
def purger(avant: str | None, simulation: bool, stockage: str | None) -> None:
    """Supprime les mémoires transmis il y a plus de dix ans et dans un état final, avec
    leurs pièces et leur certificat, et liste ce qui a été supprimé."""
    jour: date | None = None
    if avant is not None:
        try:
            if not _DATE_ISO.fullmatch(avant.strip()):
                raise ValueError(avant)
            jour = date.fromisoformat(avant.strip())
        except ValueError:
            click.echo(
                f"Date invalide pour --avant : « {avant} » (attendue au format AAAA-MM-JJ, "
                "par exemple 2014-06-15) ; rien n'a été supprimé.",
                err=True,
            )
            sys.exit(2)
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        rapport = chorus.retention.purger(avant=jour, simulation=simulation)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur, "Rien n'a été supprimé.")
    click.echo(f"Stockage : {configuration.stockage}")
    click.echo(afficher_purge(rapport))


if __name__ == "__main__":
    main()
