"""Reading and writing the user's files for the screens (pièces to attach, pièces to save):
every failure becomes a French refusal naming the field that holds the path."""

from __future__ import annotations

import errno
from pathlib import Path

from chorus.domain.errors import FichierTropVolumineux, ValidationError
from chorus.domain.pieces import TAILLE_MAXIMUM


def lire_fichier(chemin: Path, champ: str = "fichier") -> bytes:
    """The bytes of a file to attach; refused before reading when it is too big to be
    accepted anyway (a mistyped path to a disk image must not fill the memory)."""
    try:
        if chemin.is_dir():
            raise ValidationError(
                f"« {chemin} » est un dossier : indiquez un fichier.", champ=champ
            )
        taille = chemin.stat().st_size
        if taille > TAILLE_MAXIMUM:
            raise FichierTropVolumineux(
                f"Le fichier dépasse la taille maximale de 10 Mo ({taille} octets).",
                champ=champ,
            )
        return chemin.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Le fichier « {chemin} » n'existe pas.", champ=champ) from None
    except PermissionError:
        raise ValidationError(
            f"Vous n'avez pas le droit de lire « {chemin} ».", champ=champ
        ) from None
    except OSError as erreur:
        raise ValidationError(
            f"Impossible de lire « {chemin} » (erreur système n°{erreur.errno}).", champ=champ
        ) from None


def ecrire_fichier(chemin: Path, contenu: bytes) -> None:
    """Write a new file — an existing one is never overwritten — and leave nothing
    half-written behind."""
    with chemin.open("xb") as fichier:
        try:
            fichier.write(contenu)
        except BaseException:
            fichier.close()
            chemin.unlink(missing_ok=True)
            raise


def message_ecriture(erreur: OSError, chemin: Path) -> str:
    """Why `chemin` could not be written, in French."""
    dossier = chemin.parent
    if isinstance(erreur, FileExistsError):
        return f"Le fichier « {chemin} » existe déjà : choisissez un autre nom."
    if isinstance(erreur, FileNotFoundError):
        return f"Le dossier « {dossier} » n'existe pas."
    if isinstance(erreur, PermissionError):
        return f"Vous n'avez pas le droit d'écrire dans « {dossier} »."
    if isinstance(erreur, NotADirectoryError):
        return f"« {dossier} » n'est pas un dossier."
    if isinstance(erreur, IsADirectoryError):
        return f"« {chemin} » est un dossier : indiquez un nom de fichier."
    if erreur.errno == errno.ENOSPC:
        return f"Le disque est plein : « {chemin} » n'a pas pu être écrit."
    if erreur.errno == errno.EROFS:
        return f"« {dossier} » est en lecture seule."
    return f"Impossible d'écrire « {chemin} » (erreur système n°{erreur.errno})."
