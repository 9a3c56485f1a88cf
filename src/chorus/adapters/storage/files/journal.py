"""The redo journal that makes a commit of several files all or nothing, even under SIGKILL.

A commit (1) raises the ``ecriture-en-cours`` flag, (2) writes every new document to a
temporary file beside its final place and syncs it, (3) writes the journal, the list of
renames and deletions, atomically: that is the instant the commit happens, (4) applies it,
(5) deletes the journal and the flag. A crash before (3) leaves temporary files and the
flag: `reprendre` deletes them and nothing was committed. A crash after (3) leaves the
journal: `reprendre` applies it again, which is harmless for what was already done (a
temporary file already renamed is gone; deleting a deleted file does nothing).

The flag lets the next unit of work know that temporary files may lie around without
listing folders that may hold a million documents at every start.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

import attrs

from chorus.adapters.storage.blobs import ecrire_atomiquement, synchroniser_dossier
from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.files.disposition import (
    DOSSIERS_DE_DOCUMENTS,
    ECRITURE_EN_COURS,
    GENERATION,
    JOURNAL,
    PREFIXE_TEMPORAIRE,
    SEQUENCES,
    encoder,
    lire_json,
)
from chorus.adapters.storage.files.noms import est_un_nom_de_document


@attrs.frozen
class Journal:
    """What a commit does, as paths relative to the store's folder."""

    renommages: tuple[tuple[str, str], ...]
    suppressions: tuple[str, ...]

    def donnees(self) -> dict[str, object]:
        return {
            "renommages": [list(r) for r in self.renommages],
            "suppressions": list(self.suppressions),
        }


def valider(racine: Path, ecritures: Mapping[str, bytes], suppressions: Iterable[str]) -> None:
    """Write every document of `ecritures` (path relative to `racine` → content) and delete
    every path of `suppressions`, all at once."""
    drapeau = racine / ECRITURE_EN_COURS
    drapeau.touch()
    renommages: list[tuple[str, str]] = []
    try:
        for relatif, contenu in ecritures.items():
            temporaire = _ecrire_temporaire(racine / relatif, contenu)
            renommages.append((temporaire.relative_to(racine).as_posix(), relatif))
        # The temporary files' names must be on disk before the journal that needs them.
        for dossier in {(racine / relatif).parent for relatif in ecritures}:
            synchroniser_dossier(dossier)
        journal = Journal(tuple(renommages), tuple(suppressions))
        ecrire_atomiquement(racine / JOURNAL, encoder(journal.donnees()))
    except BaseException:
        if not (racine / JOURNAL).exists():
            for ecrit, _ in renommages:
                with contextlib.suppress(OSError):
                    os.unlink(racine / ecrit)
            with contextlib.suppress(OSError):
                os.unlink(drapeau)
        raise
    appliquer(racine, journal)


def reprendre(racine: Path) -> None:
    """Finish a commit a crash interrupted, or clear what an uncommitted one left; under the
    store's lock, before anything is read."""
    interrompue = (racine / ECRITURE_EN_COURS).exists()
    if (racine / JOURNAL).exists():
        appliquer(racine, lire(racine))
    if interrompue:
        effacer_les_temporaires(racine)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(racine / ECRITURE_EN_COURS)


def appliquer(racine: Path, journal: Journal) -> None:
    """Carry out `journal`, then forget it; doing it twice is doing it once."""
    touches: set[Path] = set()
    for temporaire, final in journal.renommages:
        # A temporary file that is gone was renamed before a crash.
        with contextlib.suppress(FileNotFoundError):
            os.replace(racine / temporaire, racine / final)
        touches.add((racine / final).parent)
    for supprime in journal.suppressions:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(racine / supprime)
        touches.add((racine / supprime).parent)
    for dossier in touches:
        synchroniser_dossier(dossier)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(racine / JOURNAL)
    synchroniser_dossier(racine)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(racine / ECRITURE_EN_COURS)


def lire(racine: Path) -> Journal:
    """The journal left in `racine`, checked so that replaying it cannot touch a file
    outside the store's documents."""
    donnees = lire_json(racine / JOURNAL, racine)
    try:
        if not isinstance(donnees, dict):
            raise ValueError("un objet JSON est attendu")
        renommages = tuple(_renommage(paire) for paire in donnees["renommages"])
        suppressions = tuple(_chemin(s, temporaire=False) for s in donnees["suppressions"])
    except (KeyError, TypeError, ValueError) as erreur:
        raise StockageInutilisable(
            f"Le journal {JOURNAL} du stockage {racine} est invalide ({erreur}) : la dernière "
            "validation n'a pas pu être rejouée ; restaurez le stockage depuis une sauvegarde."
        ) from erreur
    return Journal(renommages, suppressions)


def effacer_les_temporaires(racine: Path) -> None:
    """Delete the temporary files of commits that never reached their journal."""
    for dossier in (racine, *(racine / nom for nom in DOSSIERS_DE_DOCUMENTS)):
        try:
            entrees = list(os.scandir(dossier))
        except FileNotFoundError:
            continue
        for entree in entrees:
            if entree.name.startswith(PREFIXE_TEMPORAIRE) and entree.is_file():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entree.path)


def _renommage(paire: object) -> tuple[str, str]:
    if not isinstance(paire, list) or len(paire) != 2:
        raise ValueError(f"renommage inattendu {paire!r}")
    temporaire, final = _chemin(paire[0], temporaire=True), _chemin(paire[1], temporaire=False)
    if PurePosixPath(temporaire).parent != PurePosixPath(final).parent:
        raise ValueError(f"renommage hors de son dossier {paire!r}")
    return temporaire, final


def _chemin(valeur: object, *, temporaire: bool) -> str:
    """`valeur` if it names a temporary file or a document of ours, else ValueError."""
    if not isinstance(valeur, str) or "\\" in valeur:
        raise ValueError(f"chemin inattendu {valeur!r}")
    parties = PurePosixPath(valeur).parts
    if len(parties) == 1:
        nom, dans_un_dossier_de_documents = parties[0], False
    elif len(parties) == 2 and parties[0] in DOSSIERS_DE_DOCUMENTS:
        nom, dans_un_dossier_de_documents = parties[1], True
    else:
        raise ValueError(f"chemin inattendu {valeur!r}")
    if temporaire:
        valide = nom.startswith(PREFIXE_TEMPORAIRE) and nom not in (".", "..")
    elif dans_un_dossier_de_documents:
        valide = est_un_nom_de_document(nom)
    else:
        valide = nom in (SEQUENCES, GENERATION)
    if not valide:
        raise ValueError(f"chemin inattendu {valeur!r}")
    return valeur


def _ecrire_temporaire(final: Path, contenu: bytes) -> Path:
    # Not tempfile.mkstemp: its files are private (0600); documents keep the umask's rights.
    chemin = final.parent / f"{PREFIXE_TEMPORAIRE}{secrets.token_hex(8)}"
    descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descripteur, "wb") as fichier:
            fichier.write(contenu)
            fichier.flush()
            os.fsync(fichier.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(chemin)
        raise
    return chemin
