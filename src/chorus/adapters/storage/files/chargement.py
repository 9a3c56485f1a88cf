"""Reading the documents into the cache: all of them once, then only what others changed.

Called under the store's lock, after any interrupted commit was finished or cleared, so
the documents on disk are exactly those of the last commit.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.files import generation
from chorus.adapters.storage.files.disposition import (
    ACTIVITE,
    ACTUALITES,
    COURRIELS,
    DEMANDES_TIC,
    EVENEMENTS_EN_ATTENTE,
    FLUX,
    FLUX_RAPPORTS,
    FLUX_REFERENCES,
    GENERATION,
    JETONS,
    LOTS_STATUTS,
    MEMOIRES,
    PREFIXE_TEMPORAIRE,
    PURGES,
    SEQUENCES,
    STRUCTURES,
    TICKETS,
    UTILISATEURS,
    decoder,
    illisible,
    lire_json,
    relatif,
)
from chorus.adapters.storage.files.instantane import Collection, Instantane
from chorus.adapters.storage.files.noms import (
    est_un_nom_de_document,
    identifiant_du_nom,
    nom_de_fichier,
)
from chorus.adapters.storage.flux import EntreeDuRegistre, LotDeRapport
from chorus.domain.activite import EvenementActivite
from chorus.domain.actualites import Actualite
from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import Courriel
from chorus.domain.flux.flux import Flux
from chorus.domain.jetons import Jeton
from chorus.domain.lots_statuts import EvenementEnAttente, LotStatuts
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.support.ticket import Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur

_A = TypeVar(
    "_A",
    Structure,
    Utilisateur,
    Memoire,
    Jeton,
    Courriel,
    MemoirePurgee,
    DemandeTic,
    Actualite,
    EvenementActivite,
    Ticket,
    Flux,
    LotDeRapport,
    EntreeDuRegistre,
    LotStatuts,
    EvenementEnAttente,
)


def rafraichir(cache: Instantane | None, racine: Path) -> Instantane:
    """`cache` brought up to the documents on disk (a new cache if there is none)."""
    octets = generation.lire_octets(racine)
    if cache is not None and octets == cache.octets_generation:
        return cache
    sur_disque = generation.decoder(octets, racine)
    if cache is not None:
        changes = sur_disque.changes_depuis(cache.generation.jeton)
        if changes is not None:
            for document in sorted(changes):
                _relire(cache, racine, document)
            cache.generation, cache.octets_generation = sur_disque, octets
            return cache
    return charger(racine, sur_disque, octets)


def charger(racine: Path, sur_disque: generation.Generation, octets: bytes) -> Instantane:
    """Every document of the store, read afresh."""
    cache = Instantane(sur_disque, octets)
    for nom in _documents(racine, STRUCTURES):
        cache.structures.poser(_lire(racine, STRUCTURES, nom, Structure))
    for nom in _documents(racine, UTILISATEURS):
        cache.utilisateurs.poser(_lire(racine, UTILISATEURS, nom, Utilisateur))
    for nom in _documents(racine, MEMOIRES):
        cache.poser_memoire(_lire(racine, MEMOIRES, nom, Memoire))
    for nom in _documents(racine, JETONS):
        cache.jetons.poser(_lire(racine, JETONS, nom, Jeton))
    for nom in _documents(racine, COURRIELS):
        cache.courriels.poser(_lire(racine, COURRIELS, nom, Courriel))
    for nom in _documents(racine, PURGES):
        cache.purges.poser(_lire(racine, PURGES, nom, MemoirePurgee))
    for nom in _documents(racine, DEMANDES_TIC):
        cache.demandes_tic.poser(_lire(racine, DEMANDES_TIC, nom, DemandeTic))
    for nom in _documents(racine, ACTUALITES):
        cache.actualites.poser(_lire(racine, ACTUALITES, nom, Actualite))
    for nom in _documents(racine, TICKETS):
        cache.tickets.poser(_lire(racine, TICKETS, nom, Ticket))
    for nom in _documents(racine, FLUX):
        cache.flux.poser(_lire(racine, FLUX, nom, Flux))
    for nom in _documents(racine, FLUX_RAPPORTS):
        cache.flux_rapports.poser(_lire(racine, FLUX_RAPPORTS, nom, LotDeRapport))
    for nom in _documents(racine, FLUX_REFERENCES):
        cache.flux_references.poser(_lire(racine, FLUX_REFERENCES, nom, EntreeDuRegistre))
    for nom in _documents(racine, LOTS_STATUTS):
        cache.lots_statuts.poser(_lire(racine, LOTS_STATUTS, nom, LotStatuts))
    for nom in _documents(racine, EVENEMENTS_EN_ATTENTE):
        cache.evenements_en_attente.poser(
            _lire(racine, EVENEMENTS_EN_ATTENTE, nom, EvenementEnAttente)
        )
    for nom in _documents(racine, ACTIVITE):
        cache.activites.poser(_lire(racine, ACTIVITE, nom, EvenementActivite))
    cache.sequences = _lire_sequences(racine)
    return cache


def _documents(racine: Path, dossier: str) -> Iterable[str]:
    """The document names of `dossier`, deleting on the way the temporary files of commits
    that never happened (the journal, if any, was replayed first)."""
    for entree in os.scandir(racine / dossier):
        if entree.name.startswith(PREFIXE_TEMPORAIRE):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entree.path)
        elif est_un_nom_de_document(entree.name):
            yield entree.name


def _lire(racine: Path, dossier: str, nom: str, type_: type[_A]) -> _A:
    chemin = racine / dossier / nom
    agregat = decoder(lire_json(chemin, racine), type_, chemin, racine)
    if nom_de_fichier(agregat.id) != nom:
        raise StockageInutilisable(
            f"Le document {relatif(chemin, racine)} du stockage {racine} décrit l'objet "
            f"« {agregat.id} », qui doit être rangé sous le nom {nom_de_fichier(agregat.id)} : "
            "remettez-le à sa place ou restaurez-le depuis une sauvegarde, puis relancez Chorus."
        )
    return agregat


def _lire_sequences(racine: Path) -> dict[str, int]:
    chemin = racine / SEQUENCES
    if not chemin.exists():
        return {}
    donnees = lire_json(chemin, racine)
    if not isinstance(donnees, dict) or not all(
        isinstance(valeur, int) and not isinstance(valeur, bool) and valeur >= 0
        for valeur in donnees.values()
    ):
        raise illisible(chemin, racine, "un objet « nom : dernière valeur » est attendu")
    return dict(donnees)


def _relire(cache: Instantane, racine: Path, document: str) -> None:
    """Bring one changed document (path relative to the store) into `cache`."""
    if document == SEQUENCES:
        cache.sequences = _lire_sequences(racine)
        return
    if document == GENERATION:
        return
    dossier, _, nom = document.partition("/")
    if not est_un_nom_de_document(nom):
        raise illisible(
            racine / GENERATION, racine, f"document inconnu {document!r} dans l'historique"
        )
    present = (racine / document).exists()
    if dossier == STRUCTURES:
        if present:
            cache.structures.poser(_lire(racine, dossier, nom, Structure))
        else:
            _oublier(cache.structures, nom)
    elif dossier == UTILISATEURS:
        if present:
            cache.utilisateurs.poser(_lire(racine, dossier, nom, Utilisateur))
        else:
            _oublier(cache.utilisateurs, nom)
    elif dossier == MEMOIRES:
        if present:
            cache.poser_memoire(_lire(racine, dossier, nom, Memoire))
        else:
            identifiant = _identifiant(cache.memoires, nom)
            if identifiant is not None:
                cache.retirer_memoire(identifiant)
    elif dossier == JETONS:
        if present:
            cache.jetons.poser(_lire(racine, dossier, nom, Jeton))
        else:
            _oublier(cache.jetons, nom)
    elif dossier == COURRIELS:
        if present:
            cache.courriels.poser(_lire(racine, dossier, nom, Courriel))
        else:
            _oublier(cache.courriels, nom)
    elif dossier == PURGES:
        # The register only grows: an entry is never deleted.
        if present:
            cache.purges.poser(_lire(racine, dossier, nom, MemoirePurgee))
    elif dossier == DEMANDES_TIC:
        if present:
            cache.demandes_tic.poser(_lire(racine, dossier, nom, DemandeTic))
        else:
            _oublier(cache.demandes_tic, nom)
    elif dossier == ACTUALITES:
        if present:
            cache.actualites.poser(_lire(racine, dossier, nom, Actualite))
        else:
            _oublier(cache.actualites, nom)
    elif dossier == TICKETS:
        # A ticket is never deleted.
        if present:
            cache.tickets.poser(_lire(racine, dossier, nom, Ticket))
    elif dossier == FLUX:
        if present:
            cache.flux.poser(_lire(racine, dossier, nom, Flux))
        else:
            _oublier(cache.flux, nom)
    elif dossier == FLUX_RAPPORTS:
        if present:
            cache.flux_rapports.poser(_lire(racine, dossier, nom, LotDeRapport))
        else:
            _oublier(cache.flux_rapports, nom)
    elif dossier == FLUX_REFERENCES:
        if present:
            cache.flux_references.poser(_lire(racine, dossier, nom, EntreeDuRegistre))
        else:
            _oublier(cache.flux_references, nom)
    elif dossier == LOTS_STATUTS:
        # A batch's report is written once and never deleted.
        if present:
            cache.lots_statuts.poser(_lire(racine, dossier, nom, LotStatuts))
    elif dossier == EVENEMENTS_EN_ATTENTE:
        if present:
            cache.evenements_en_attente.poser(_lire(racine, dossier, nom, EvenementEnAttente))
        else:
            _oublier(cache.evenements_en_attente, nom)
    elif dossier == ACTIVITE:
        # An event is written once (once more to get its rank, in a store written before
        # ranks existed); the retention purge deletes those of a purged mémoire.
        if present:
            cache.activites.poser(_lire(racine, dossier, nom, EvenementActivite))
        else:
            _oublier(cache.activites, nom)
    else:
        raise illisible(
            racine / GENERATION, racine, f"document inconnu {document!r} dans l'historique"
        )


def _oublier(collection: Collection[_A], nom: str) -> None:
    identifiant = _identifiant(collection, nom)
    if identifiant is not None:
        collection.retirer(identifiant)


def _identifiant(collection: Collection[_A], nom: str) -> str | None:
    """The id of the cached aggregate stored under `nom`."""
    identifiant = identifiant_du_nom(nom)
    if identifiant is not None:
        return identifiant
    # A long id's name is a digest, which cannot be reversed: look for it (such ids are rare).
    return next((i for i in collection.par_id if nom_de_fichier(i) == nom), None)
