"""The `chorus` command."""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import attrs
import click

from chorus.adapters.console import flux as console_flux
from chorus.adapters.lots_statuts.rapport import afficher_lot
from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.tableurs.csv_francais import enregistrer
from chorus.adapters.tableurs.cycle_de_vie import Export, FormatCycleDeVie
from chorus.bootstrap import (
    STOCKAGE_PAR_DEFAUT,
    Chorus,
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
from chorus.domain.flux.flux import FormatFlux
from chorus.domain.lots_statuts import FormatLot
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


@main.group()
def flux() -> None:
    """Dépôt flux : des mémoires en nombre, depuis un fichier JSON, XML ou CSV."""


_OPTION_UTILISATEUR = click.option(
    "--utilisateur",
    "email",
    default=None,
    metavar="EMAIL",
    help="Le compte au nom duquel agir (par défaut : le gestionnaire de la structure, s'il "
    "est seul actif ; pour un rapport : le déposant du flux).",
)


def _lire_fichier(chemin: str, option: str) -> bytes:
    try:
        with open(chemin, "rb") as fichier:
            return fichier.read()
    except OSError as erreur:
        click.echo(
            f"Erreur : le fichier « {chemin} » ({option}) ne peut pas être lu "
            f"({erreur.strerror or erreur}).",
            err=True,
        )
        sys.exit(2)


@flux.command("deposer")
@click.argument("fichier", metavar="FICHIER")
@click.option(
    "--structure",
    "structure_designee",
    required=True,
    metavar="ID",
    help="La structure qui dépose : son identifiant Chorus ou son SIRET.",
)
@click.option(
    "--format",
    "format_flux",
    type=click.Choice([f.value for f in FormatFlux], case_sensitive=False),
    default=None,
    help="Format du fichier (par défaut : déduit de son extension .json, .xml ou .csv).",
)
@click.option("--pieces", default=None, metavar="ZIP", help="Archive ZIP des pièces annoncées.")
@click.option(
    "--envoi-direct",
    is_flag=True,
    help="Envoyer chaque mémoire intégré (sinon ils restent en brouillon).",
)
@click.option(
    "--attestation-sur-honneur",
    is_flag=True,
    help="J'atteste sur l'honneur l'exactitude des mémoires envoyés (requis avec --envoi-direct).",
)
@_OPTION_UTILISATEUR
@_OPTION_STOCKAGE
def deposer_flux(
    fichier: str,
    structure_designee: str,
    format_flux: str | None,
    pieces: str | None,
    envoi_direct: bool,
    attestation_sur_honneur: bool,
    email: str | None,
    stockage: str | None,
) -> None:
    """Dépose FICHIER, l'intègre en montrant l'avancement, puis affiche le rapport : les
    nombres de mémoires intégrés, déjà intégrés et refusés, puis chaque mémoire refusé avec
    ses erreurs (position dans le fichier, champ, message).

    \b
    Code de sortie :
      0  flux intégré (chaque mémoire intégré ou déjà intégré) ;
      2  flux intégré partiellement (des mémoires refusés) ;
      1  flux rejeté, ou dépôt refusé (rien n'est intégré).
    Une erreur de configuration ou d'usage sort aussi avec le code 2, son message sur la
    sortie d'erreur.
    """
    contenu = _lire_fichier(fichier, "FICHIER")
    archive = None if pieces is None else _lire_fichier(pieces, "--pieces")
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        format_choisi = console_flux.format_du_fichier(format_flux, fichier)
        structure = console_flux.structure_designee(chorus.ports.uow, structure_designee)
        acteur = console_flux.deposant(chorus.ports.uow, structure, email)
        depose = chorus.flux.deposer(
            acteur,
            structure_id=structure.id,
            format=format_choisi,
            nom_fichier=os.path.basename(fichier),
            contenu=contenu,
            pieces=archive,
            envoi_direct=envoi_direct,
            attestation_sur_honneur=attestation_sur_honneur,
        )
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur, "Rien n'a été déposé.")
    click.echo(f"Flux {depose.numero} déposé ({depose.statut.libelle.lower()}) ; intégration…")
    progression = console_flux.Progression()
    try:
        termine = console_flux.integrer(chorus.flux, acteur, depose.numero, progression)
        progression.fermer()
        _afficher_rapport(chorus, acteur, termine.numero, tous=False)
    except DomainError as erreur:
        progression.fermer()
        _quitter_refus(erreur)
    sys.exit(console_flux.code_de_sortie([termine]))


@flux.command("traiter")
@_OPTION_STOCKAGE
def traiter_flux(stockage: str | None) -> None:
    """Intègre chaque flux en attente (reçu, ou interrompu en cours d'intégration : il
    reprend là où il s'était arrêté), en montrant l'avancement. Code de sortie : 0 si tous
    sont intégrés (ou aucun n'attendait), 2 si l'un est intégré partiellement, 1 si l'un
    est rejeté."""
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    progression = console_flux.Progression()
    try:
        traites = chorus.flux.traiter_en_attente(progression=progression)
    except DomainError as erreur:
        progression.fermer()
        _quitter_refus(erreur)
    progression.fermer()
    if not traites:
        click.echo("Aucun flux en attente.")
    for f in traites:
        if not f.statut.termine:
            click.echo(f"Flux {f.numero} — en cours d'intégration par un autre processus.")
            continue
        click.echo(
            f"Flux {f.numero} — {f.statut.libelle} : {f.integres} intégré(s), "
            f"{f.deja_integres} déjà intégré(s), {f.refuses} refusé(s)"
            + (f" — {f.motif_rejet}" if f.motif_rejet else "")
        )
    sys.exit(console_flux.code_de_sortie(traites))


@flux.command("rapport")
@click.argument("numero", metavar="NUMERO")
@click.option("--tous", is_flag=True, help="Lister aussi chaque mémoire intégré et son numéro.")
@_OPTION_UTILISATEUR
@_OPTION_STOCKAGE
def rapport_flux(numero: str, tous: bool, email: str | None, stockage: str | None) -> None:
    """Affiche l'état et le rapport du flux NUMERO : ses nombres de mémoires, puis chaque
    mémoire refusé avec ses erreurs (position dans le fichier, champ, message)."""
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        if email is None:
            acteur = console_flux.deposant_du_flux(chorus.ports.uow, numero)
        else:
            acteur = console_flux.compte(chorus.ports.uow, email)
        _afficher_rapport(chorus, acteur, numero.strip(), tous=tous)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur)


def _afficher_rapport(chorus: Chorus, acteur: str, numero: str, *, tous: bool) -> None:
    lu, rapport = chorus.flux.obtenir_avec_rapport(acteur, numero)
    for ligne in console_flux.texte_du_rapport(lu, rapport, tous=tous):
        click.echo(ligne)


@main.group("cycle-de-vie")
def cycle_de_vie() -> None:
    """Le cycle de vie des mémoires des structures qui ont choisi de le recevoir."""


@cycle_de_vie.command("exporter")
@click.option("--structure", "structure_id", required=True, metavar="ID", help="La structure.")
@click.option(
    "--apres",
    default=None,
    metavar="CURSEUR",
    help="Le curseur du dernier export (absent : depuis le premier événement).",
)
@click.option(
    "--format",
    "format_export",
    type=click.Choice([f.value for f in FormatCycleDeVie], case_sensitive=False),
    default=FormatCycleDeVie.CSV.value,
    show_default=True,
    help="CSV français ou JSON lines (un événement par ligne).",
)
@click.option(
    "--sortie",
    default=None,
    metavar="FICHIER",
    help="Le fichier à écrire (absent : la sortie standard, le curseur allant sur la sortie "
    "d'erreur).",
)
@_OPTION_STOCKAGE
def exporter_cycle_de_vie(
    structure_id: str,
    apres: str | None,
    format_export: str,
    sortie: str | None,
    stockage: str | None,
) -> None:
    """Exporte les changements d'état des mémoires de la structure enregistrés après
    CURSEUR, dans l'ordre, puis affiche le curseur à passer au prochain export."""
    configuration = _configuration(stockage)
    format_ = FormatCycleDeVie(format_export.lower())
    try:
        chorus = construire(configuration.stockage)
        export = Export(
            chorus.cycle_de_vie.pages_pour_exploitation(structure_id.strip(), apres), format_
        )
        if sortie is None:
            for morceau in export.morceaux():
                sys.stdout.buffer.write(morceau)
            sys.stdout.buffer.flush()
        else:
            enregistrer(Path(sortie), export.morceaux())
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur, "Rien n'a été exporté.")
    except OSError as erreur:
        click.echo(
            f"Erreur : le fichier « {sortie} » ne peut pas être écrit "
            f"({erreur.strerror or erreur}) ; rien n'a été exporté.",
            err=True,
        )
        sys.exit(2)
    bilan = (
        f"{export.nombre} {_accord(export.nombre, 'événement exporté', 'événements exportés')}"
        f"{f' dans {sortie}' if sortie else ''}.\nCurseur suivant : {export.curseur}"
    )
    click.echo(bilan, err=sortie is None)


@main.group()
def statuts() -> None:
    """Les lots d'événements de traitement du back-office (mises à jour de statut)."""


@statuts.command("importer")
@click.argument("fichier", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "format_",
    type=click.Choice([f.value for f in FormatLot], case_sensitive=False),
    default=None,
    help="JSON ou CSV (par défaut : selon l'extension du fichier).",
)
@_OPTION_STOCKAGE
def importer_statuts(fichier: str, format_: str | None, stockage: str | None) -> None:
    """Applique un lot d'événements de traitement (format : docs/statuts.md), au nom du
    système du back-office, et affiche ce qui a été appliqué, mis en attente ou refusé et
    pourquoi. Code de sortie : 0 si aucun événement n'est refusé, 1 sinon (ou si le fichier
    est illisible : rien n'est alors appliqué), 2 pour une erreur de configuration ou un
    fichier introuvable."""
    if format_ is not None:
        format_lot = FormatLot(format_.upper())
    elif fichier.lower().endswith((".json", ".csv")):
        format_lot = FormatLot(fichier.rsplit(".", 1)[1].upper())
    else:
        click.echo(
            f"Indiquez le format du lot (--format JSON ou CSV) : il ne se déduit pas du nom "
            f"du fichier « {fichier} ».",
            err=True,
        )
        sys.exit(2)
    try:
        with open(fichier, "rb") as lu:
            contenu = lu.read()
    except OSError as erreur:
        click.echo(
            f"Erreur : le fichier « {fichier} » ne peut pas être lu "
            f"({erreur.strerror or erreur}) ; rien n'a été appliqué.",
            err=True,
        )
        sys.exit(2)
    configuration = _configuration(stockage)
    try:
        chorus = construire(configuration.stockage)
        lot = chorus.lots_statuts.importer_fichier(contenu, format_lot)
    except (ErreurDeConfiguration, StockageInutilisable) as erreur:
        _quitter_configuration(erreur)
    except DomainError as erreur:
        _quitter_refus(erreur, "Rien n'a été appliqué.")
    click.echo(afficher_lot(lot))
    if lot.refuses:
        sys.exit(1)


if __name__ == "__main__":
    main()
