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
from chorus.domain.activite import NatureSuivi
from chorus.domain.actualites import CORPS_MAXIMUM
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.errors import DomainError
from chorus.domain.montants import en_francais
from chorus.domain.organisation import Structure
from chorus.domain.utilisateur import RoleAgent
from chorus.services.activite import BilanSuivis
from chorus.services.actualites import AUTEUR_EXPLOITATION
from chorus.services.comptes import ReglagesComptes
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
    if donnees.tickets:
        lignes.append("")
        lignes.append("Tickets d'assistance")
        lignes.append(f"  {'Numéro':<16} {'État':<16} {'Destinataire':<52} Émetteur")
        for t in donnees.tickets:
            lignes.append(
                f"  {t.numero:<16} {t.statut.libelle:<16} {t.destinataire.libelle:<52} "
                f"{t.emetteur.email}"
            )
    if donnees.actualites:
        lignes.append("")
        lignes.append("Actualités (touche F7 du terminal, GET /api/v1/actualites)")
        for a in donnees.actualites:
            lignes.append(f"  {a.jour_de_publication:<18} {a.titre}")
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


@admin.command("publier-actualite")
@click.option("--titre", default=None, help="Titre de l'actualité (une ligne, 200 caractères).")
@click.option("--corps", default=None, help="Corps de l'actualité, en Markdown.")
@click.option(
    "--fichier",
    default=None,
    help="Fichier Markdown (UTF-8) dont le contenu est le corps de l'actualité.",
)
@click.option(
    "--auteur",
    default=AUTEUR_EXPLOITATION,
    show_default=True,
    help="Signature de l'actualité.",
)
@_OPTION_STOCKAGE
def publier_actualite(
    titre: str | None, corps: str | None, fichier: str | None, auteur: str, stockage: str | None
) -> None:
    """Publie une actualité, datée de maintenant, visible de tous sur le portail."""
    if titre is None:
        # Checked here rather than by click, whose message would be in English.
        click.echo("Erreur : indiquez le titre de l'actualité par --titre TITRE.", err=True)
        sys.exit(2)
    texte = _corps_d_actualite(corps, fichier)
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        actualite = chorus.actualites.publier_en_exploitation(titre, texte, auteur)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur)
    click.echo(
        f"Actualité publiée : « {actualite.titre} » — {actualite.mention_de_publication} "
        f"(identifiant {actualite.id})."
    )


def _corps_d_actualite(corps: str | None, fichier: str | None) -> str:
    """The body given by exactly one of ``--corps`` and ``--fichier``; exit code 2 else."""
    if (corps is None) == (fichier is None):
        click.echo(
            "Erreur : indiquez le corps de l'actualité par --corps TEXTE ou par --fichier "
            "F.md (l'un des deux, pas les deux).",
            err=True,
        )
        sys.exit(2)
    if corps is not None:
        return corps
    assert fichier is not None
    try:
        with open(fichier, "rb") as flux:
            octets = flux.read(_TAILLE_MAX_FICHIER_ACTUALITE + 1)
    except OSError as erreur:
        click.echo(
            f"Erreur : le fichier « {fichier} » ne peut pas être lu ({erreur.strerror or erreur}).",
            err=True,
        )
        sys.exit(2)
    if len(octets) > _TAILLE_MAX_FICHIER_ACTUALITE:
        click.echo(f"Refusé (corps) : le fichier « {fichier} » est trop volumineux.", err=True)
        sys.exit(1)
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        click.echo(f"Refusé (corps) : le fichier « {fichier} » n'est pas un texte UTF-8.", err=True)
        sys.exit(1)


# Four bytes a character at most: a larger file cannot hold a body the domain accepts.
_TAILLE_MAX_FICHIER_ACTUALITE = 4 * CORPS_MAXIMUM + 1024


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


@main.group()
def notifications() -> None:
    """Les courriels de suivi d'activité (quotidien et hebdomadaire)."""


@notifications.command("envoyer")
@click.option("--quotidien", "nature", flag_value="QUOTIDIEN", help="Le suivi de la veille.")
@click.option(
    "--hebdomadaire", "nature", flag_value="HEBDOMADAIRE", help="Le suivi de la semaine passée."
)
@click.option(
    "--jour",
    default=None,
    metavar="AAAA-MM-JJ",
    help="Le jour de l'exécution (aujourd'hui par défaut) : le suivi couvre la veille, ou "
    "la semaine du lundi au dimanche qui le précède.",
)
@_OPTION_STOCKAGE
def envoyer_notifications(nature: str | None, jour: str | None, stockage: str | None) -> None:
    """Prépare les suivis d'activité des abonnés, puis remet la boîte d'envoi ; à lancer
    chaque jour (--quotidien) et chaque lundi (--hebdomadaire). Relancé, il n'envoie rien
    deux fois."""
    if nature is None:
        raise click.UsageError("Indiquez --quotidien ou --hebdomadaire.")
    choisi: date | None = None
    if jour is not None:
        try:
            if not _DATE_ISO.fullmatch(jour.strip()):
                raise ValueError(jour)
            choisi = date.fromisoformat(jour.strip())
        except ValueError:
            click.echo(
                f"Date invalide pour --jour : « {jour} » (attendue au format AAAA-MM-JJ, par "
                "exemple 2026-11-23) ; rien n'a été préparé.",
                err=True,
            )
            sys.exit(2)
    configuration = _configuration(stockage)
    try:
        chorus = construire(
            configuration.stockage,
            reglages=ReglagesComptes(
                url_de_base=configuration.url_de_base, captcha_actif=configuration.captcha_actif
            ),
        )
        distributeur = construire_distributeur(configuration, chorus)
        bilan = chorus.notifications.preparer_suivis(NatureSuivi(nature), choisi)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur, "Rien n'a été préparé.")
    click.echo(afficher_suivis(bilan))
    envoyes = echecs = 0
    # Passes until the outbox is empty or the server refuses: a failed email waits for its
    # retry delay, which the server's loop or the next run honours.
    for _ in range(1000):
        passe = distributeur.distribuer()
        envoyes, echecs = envoyes + passe.envoyes, echecs + passe.echecs
        if not passe.lot_complet or passe.echecs:
            break
    restants = chorus.notifications.restant_a_envoyer(bilan.courriels)
    click.echo(f"Courriels envoyés : {envoyes} ; en échec : {echecs}.")
    if restants:
        click.echo(
            f"Suivis en attente d'un prochain passage : {restants} (ils restent dans la boîte "
            "d'envoi : `chorus serve` ou la prochaine exécution les remettra)."
        )
    else:
        click.echo("Aucun suivi en attente.")


def afficher_suivis(bilan: BilanSuivis) -> str:
    """What a preparation of the summaries did, in French."""
    p = bilan.periode
    return (
        f"Suivi d'activité {p.nature.adjectif} {p.libelle} : "
        f"{bilan.prepares} {_accord(bilan.prepares, 'courriel préparé', 'courriels préparés')}"
        f" ; {bilan.deja_prepares} déjà {_accord(bilan.deja_prepares, 'préparé', 'préparés')}"
        f" auparavant ; {bilan.sans_changement} "
        f"{_accord(bilan.sans_changement, 'abonné', 'abonnés')} sans changement."
    )


if __name__ == "__main__":
    main()
