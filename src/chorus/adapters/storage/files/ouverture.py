"""Opening a files store: a new one in a missing or empty folder, else a checked existing one.

The marker is written first, before any other file of ours, so that a crash while creating
a store leaves either an empty folder or a store, never a folder we would then refuse as
foreign. Only the marker is checked here, so that a wrong folder fails at start; documents
are checked when they are read.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from chorus.adapters.storage.blobs import ecrire_atomiquement
from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.files.disposition import (
    DOSSIERS_DE_DOCUMENTS,
    FORMAT,
    MARQUEUR,
    PIECES,
    PREFIXE_TEMPORAIRE,
    VERROU,
    VERSION,
    encoder,
    lire_json,
)
from chorus.adapters.storage.files.verrous import VerrouDeDossier, verrou_du_dossier

# What may already be in a folder that becomes a new store: our lock file, the blob store's
# folder (its adapter may have been opened first), a marker write cut short.
_TOLERES_DANS_UN_DOSSIER_VIDE = frozenset({VERROU, PIECES})


def ouvrir(dossier: Path) -> VerrouDeDossier:
    """Check (or create) the store in `dossier` and return this process's lock over it."""
    try:
        dossier.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StockageInutilisable(
            f"{dossier} est un fichier, pas un dossier : indiquez un dossier vide ou un "
            "stockage Chorus existant."
        ) from None
    except OSError as erreur:
        raise _inaccessible(dossier, erreur) from erreur
    try:
        verrou = verrou_du_dossier(dossier, VERROU)
        marqueur = dossier / MARQUEUR
        if not marqueur.exists():
            # Checked before taking the lock too, so as not to leave our lock file in a
            # folder that is not ours.
            _refuser_si_occupe(dossier)
            verrou.acquerir()
            try:
                # Another process may have created the store while we waited.
                if not marqueur.exists():
                    _refuser_si_occupe(dossier)
                    _creer(dossier)
            finally:
                verrou.relacher()
        _verifier_marqueur(dossier)
        for nom in DOSSIERS_DE_DOCUMENTS:
            (dossier / nom).mkdir(exist_ok=True)
    except OSError as erreur:
        raise _inaccessible(dossier, erreur) from erreur
    return verrou


def _refuser_si_occupe(dossier: Path) -> None:
    if any(
        nom not in _TOLERES_DANS_UN_DOSSIER_VIDE and not nom.startswith(PREFIXE_TEMPORAIRE)
        for nom in os.listdir(dossier)
    ):
        raise StockageInutilisable(
            f"Le dossier {dossier} n'est pas un stockage Chorus (fichier {MARQUEUR} absent) : "
            "choisissez un dossier vide ou un stockage existant."
        )


def _creer(dossier: Path) -> None:
    for nom in os.listdir(dossier):
        if nom.startswith(PREFIXE_TEMPORAIRE):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(dossier / nom)
    ecrire_atomiquement(dossier / MARQUEUR, encoder({"format": FORMAT, "version": VERSION}))


def _verifier_marqueur(dossier: Path) -> None:
    donnees = lire_json(dossier / MARQUEUR, dossier)
    format_ = donnees.get("format") if isinstance(donnees, dict) else None
    if format_ != FORMAT:
        raise StockageInutilisable(
            f"Le dossier {dossier} ne contient pas un stockage Chorus fichiers (son fichier "
            f"{MARQUEUR} indique le format {format_!r}, « {FORMAT} » attendu) : choisissez un "
            "dossier vide ou un stockage Chorus existant."
        )
    version = donnees.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise StockageInutilisable(
            f"Le stockage {dossier} est au format version {version}, plus récent que celui "
            f"que cette version de Chorus sait lire (version {VERSION}) : mettez Chorus à jour."
        )
    if version != VERSION or isinstance(version, bool):
        raise StockageInutilisable(
            f"Le fichier {MARQUEUR} du dossier {dossier} indique une version {version!r} "
            f"inconnue (version {VERSION} attendue) : restaurez le stockage depuis une "
            "sauvegarde ou choisissez un autre dossier."
        )


def _inaccessible(dossier: Path, erreur: OSError) -> StockageInutilisable:
    return StockageInutilisable(
        f"Le dossier {dossier} est inaccessible ({erreur.strerror or erreur}) : vérifiez le "
        "chemin et les droits d'accès."
    )
