"""Pièce contents on disk, addressed by their SHA-256, beside the database.

Layout: ``<dossier>/ab/cdef…`` (the first two hex digits as a sub-folder, so that no folder
holds more than a few thousand files). A content is written to a temporary file in the same
folder, flushed to disk, then renamed into place, and the folder itself is synced: a crash
leaves either the whole content or nothing under its address, never a torn file. Writing a
content already stored only refreshes its modification time, so contents are deduplicated
across mémoires.

The retention purge deletes contents nothing refers to any more, but never one deposited
lately (see `BlobStore.supprimer`): the file's modification time says when it was last
deposited, and a lock file (``.verrou``, an OS lock that holds across processes) makes the
refresh of an existing content and the purge's « check, then delete » exclude each other.
A new content needs no lock: the purge only deletes what it finds, old.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from filelock import FileLock

from chorus.domain.errors import NonTrouve

_ADRESSE = re.compile(r"[0-9a-f]{64}")
VERROU = ".verrou"


def synchroniser_dossier(dossier: Path) -> None:
    """Make a rename or a creation in `dossier` durable (a no-op where folders cannot be
    opened, as on Windows)."""
    try:
        descripteur = os.open(dossier, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descripteur)
    finally:
        os.close(descripteur)


def ecrire_atomiquement(chemin: Path, contenu: bytes) -> None:
    """Replace `chemin` by `contenu` all at once: temporary file, fsync, rename, fsync of
    the folder. Readers see the old content or the new one, never a mix."""
    descripteur, temporaire = tempfile.mkstemp(dir=chemin.parent, prefix=".tmp-")
    try:
        with os.fdopen(descripteur, "wb") as fichier:
            fichier.write(contenu)
            fichier.flush()
            os.fsync(fichier.fileno())
        os.replace(temporaire, chemin)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporaire)
        raise
    synchroniser_dossier(chemin.parent)


class BlobsSurDisque:
    """A `BlobStore` in a folder."""

    def __init__(self, dossier: Path) -> None:
        self._dossier = dossier
        dossier.mkdir(parents=True, exist_ok=True)
        self._verrou = FileLock(dossier / VERROU)

    def _chemin(self, sha256: str) -> Path:
        if not _ADRESSE.fullmatch(sha256):
            raise NonTrouve("Le contenu de cette pièce jointe est introuvable.")
        return self._dossier / sha256[:2] / sha256[2:]

    def deposer(self, contenu: bytes) -> str:
        adresse = hashlib.sha256(contenu).hexdigest()
        chemin = self._chemin(adresse)
        if chemin.exists():
            with self._verrou:
                try:
                    # Deposited again: a purge running now must leave it alone.
                    os.utime(chemin)
                    return adresse
                except FileNotFoundError:
                    pass  # the purge took it just now: store it anew
        chemin.parent.mkdir(exist_ok=True)
        ecrire_atomiquement(chemin, contenu)
        return adresse

    def lire(self, sha256: str) -> bytes:
        chemin = self._chemin(sha256)
        try:
            contenu = chemin.read_bytes()
        except FileNotFoundError:
            raise NonTrouve("Le contenu de cette pièce jointe est introuvable.") from None
        if hashlib.sha256(contenu).hexdigest() != sha256:
            # Bit rot or a hand-edited file: better no content than a wrong one.
            raise NonTrouve(
                "Le contenu de cette pièce jointe est endommagé sur le disque ; "
                "restaurez-le depuis une sauvegarde."
            )
        return contenu

    def existe(self, sha256: str) -> bool:
        try:
            return self._chemin(sha256).is_file()
        except NonTrouve:
            return False

    def taille(self, sha256: str) -> int | None:
        try:
            return self._chemin(sha256).stat().st_size
        except (NonTrouve, FileNotFoundError):
            return None

    def supprimer(self, sha256: str, *, delai_de_grace: timedelta) -> int | None:
        try:
            chemin = self._chemin(sha256)
        except NonTrouve:
            return None
        with self._verrou:
            try:
                etat = chemin.stat()
            except FileNotFoundError:
                return None
            if time.time() - etat.st_mtime < delai_de_grace.total_seconds():
                return None
            chemin.unlink()
        synchroniser_dossier(chemin.parent)
        return etat.st_size
