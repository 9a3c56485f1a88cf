"""Writing emails as `.eml` files, for when no SMTP server is configured (`var/mail/`)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from email import policy
from pathlib import Path

from chorus.adapters.mail.message import construire_message
from chorus.domain.courriels import Courriel
from chorus.ports.courrier import EchecDEnvoi

# The id becomes a file name: nothing that could leave the folder or hide the file.
_ID_SUR = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


class ExpediteurEml:
    """An `Expediteur` writing each email to `dossier/<id>.eml` (created if missing).

    The file appears whole or not at all (written beside, flushed, then renamed over), so a
    reader never sees half an email; writing the same email again replaces the file with the
    same bytes. The lines end in CRLF, as a message on the wire does.
    """

    def __init__(self, dossier: Path) -> None:
        self.dossier = dossier

    def chemin(self, courriel: Courriel) -> Path:
        return self.dossier / f"{courriel.id}.eml"

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        if not _ID_SUR.fullmatch(courriel.id):
            raise EchecDEnvoi(
                f"Identifiant de courriel inutilisable comme nom de fichier : {courriel.id!r}."
            )
        try:
            contenu = construire_message(courriel, expediteur).as_bytes(policy=policy.SMTP)
        except ValueError as erreur:
            raise EchecDEnvoi(f"Courriel impossible à composer : {erreur}.") from erreur
        try:
            self._ecrire(self.chemin(courriel), contenu)
        except OSError as erreur:
            cause = erreur.strerror or erreur
            raise EchecDEnvoi(
                f"Impossible d'écrire le courriel dans {self.dossier} : {cause}."
            ) from erreur

    def _ecrire(self, chemin: Path, contenu: bytes) -> None:
        self.dossier.mkdir(parents=True, exist_ok=True)
        descripteur, temporaire = tempfile.mkstemp(
            dir=self.dossier, prefix=f".{chemin.stem}.", suffix=".tmp"
        )
        try:
            with os.fdopen(descripteur, "wb") as fichier:
                fichier.write(contenu)
                fichier.flush()
                os.fsync(fichier.fileno())
            os.replace(temporaire, chemin)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporaire)
            raise
        _synchroniser_dossier(self.dossier)


def _synchroniser_dossier(dossier: Path) -> None:
    """Make the rename durable: the email is marked sent right after."""
    try:
        descripteur = os.open(dossier, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descripteur)
    except OSError:
        pass
    finally:
        os.close(descripteur)
