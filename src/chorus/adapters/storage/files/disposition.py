"""Where everything lives in a files store, and how its JSON documents are written and read.

::

    <dossier>/
      chorus-fichiers.json      the marker: {"format": "chorus-fichiers", "version": 1}
      chorus-fichiers.verrou    the inter-process lock
      structures/<id>.json      one document per aggregate (see `noms` for the file names)
      utilisateurs/<id>.json
      memoires/<id>.json
      jetons/<id>.json          secrets' records (only the SHA-256 of each secret)
      courriels/<id>.json       the outbox, sent emails included
      purges/<id>.json          the register of purges: one entry per mémoire the retention
                                purge removed (by the mémoire's id), kept for ever
      demandes_tic/<id>.json    the demandes de remboursement TIC/TICGN
      actualites/<id>.json      the news items (actualités)
      tickets/<id>.json         the support tickets (CPROCS…), never deleted
      flux/<id>.json            the dépôts flux (FL…)
      flux_rapports/<id>.json   their reports, one document per unit of work that wrote
                                entries (`<flux id>-<first rank>`)
      flux_references/<id>.json the registry of the references flux integrated, one per
                                (structure, reference)
      lots_statuts/<id>.json    the batches of status events (LS…) and their reports
      evenements_en_attente/<id>.json  events of a batch waiting to apply (deleted once
                                applied or refused)
      activite/<id>.json        the activity feed: one status change of a mémoire or a
                                demande each, never rewritten
      sequences.json            {"MJ": 12, ...}
      generation.json           which commit the documents are at (see `generation`)
      journal.json              only while a commit is being applied (see `journal`)
      ecriture-en-cours         only while a commit writes its temporary files
      pieces/                   the blob store's, not ours

Every document is pretty, key-sorted UTF-8 JSON, so that a human can read, diff and grep
the store. Anything unreadable stops the store with `StockageInutilisable` rather than
being skipped: a silently missing mémoire would be worse than a refusal to start.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees
from chorus.adapters.storage.erreurs import StockageInutilisable

MARQUEUR = "chorus-fichiers.json"
FORMAT = "chorus-fichiers"
VERSION = 1
VERROU = "chorus-fichiers.verrou"
SEQUENCES = "sequences.json"
GENERATION = "generation.json"
JOURNAL = "journal.json"
ECRITURE_EN_COURS = "ecriture-en-cours"
PIECES = "pieces"
PREFIXE_TEMPORAIRE = ".tmp-"

STRUCTURES = "structures"
UTILISATEURS = "utilisateurs"
MEMOIRES = "memoires"
JETONS = "jetons"
COURRIELS = "courriels"
PURGES = "purges"
DEMANDES_TIC = "demandes_tic"
ACTUALITES = "actualites"
ACTIVITE = "activite"
TICKETS = "tickets"
FLUX = "flux"
FLUX_RAPPORTS = "flux_rapports"
FLUX_REFERENCES = "flux_references"
LOTS_STATUTS = "lots_statuts"
EVENEMENTS_EN_ATTENTE = "evenements_en_attente"
# A store made before a folder existed gets it when it is next opened (see `ouverture`).
DOSSIERS_DE_DOCUMENTS = (
    STRUCTURES,
    UTILISATEURS,
    MEMOIRES,
    JETONS,
    COURRIELS,
    PURGES,
    DEMANDES_TIC,
    ACTUALITES,
    ACTIVITE,
    TICKETS,
    FLUX,
    FLUX_RAPPORTS,
    FLUX_REFERENCES,
    LOTS_STATUTS,
    EVENEMENTS_EN_ATTENTE,
)

T = TypeVar("T")


def encoder(donnees: Any) -> bytes:
    """The bytes of a document: readable by a human, identical for identical data."""
    texte = json.dumps(donnees, ensure_ascii=False, indent=2, sort_keys=True)
    return (texte + "\n").encode("utf-8")


def lire_json(chemin: Path, racine: Path) -> Any:
    """The JSON data of `chemin`; `StockageInutilisable` naming it if it cannot be read."""
    try:
        octets = chemin.read_bytes()
    except OSError as erreur:
        raise illisible(chemin, racine, f"lecture impossible : {erreur.strerror}") from erreur
    return analyser_json(octets, chemin, racine)


def analyser_json(octets: bytes, chemin: Path, racine: Path) -> Any:
    """The JSON data of `octets`, read from `chemin`; `StockageInutilisable` otherwise."""
    try:
        return json.loads(octets.decode("utf-8"))
    except UnicodeDecodeError as erreur:
        raise illisible(chemin, racine, "ce n'est pas du texte UTF-8") from erreur
    except json.JSONDecodeError as erreur:
        raise illisible(
            chemin, racine, f"JSON invalide ligne {erreur.lineno}, colonne {erreur.colno}"
        ) from erreur


def decoder(donnees: Any, type_: type[T], chemin: Path, racine: Path) -> T:
    """The object `donnees` describes; `StockageInutilisable` naming the file otherwise."""
    try:
        return depuis_donnees(donnees, type_)
    except ErreurDeDecodage as erreur:
        raise illisible(
            chemin, racine, f"ce n'est pas un objet {type_.__name__} valide : {erreur}"
        ) from erreur


def illisible(chemin: Path, racine: Path, detail: str) -> StockageInutilisable:
    return StockageInutilisable(
        f"Le document {relatif(chemin, racine)} du stockage {racine} est illisible ({detail}) : "
        "corrigez-le ou restaurez-le depuis une sauvegarde, puis relancez Chorus."
    )


def relatif(chemin: Path, racine: Path) -> str:
    try:
        return chemin.relative_to(racine).as_posix()
    except ValueError:
        return str(chemin)
