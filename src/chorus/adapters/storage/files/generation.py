"""Which commit the documents on disk are at, so that a process knows when its cache is stale.

``generation.json`` holds a counter, a random token that names the last commit, and the
history of the last commits: for each, the token it started from and the documents it
changed. Every commit rewrites it within its own journal, so it always describes the
documents beside it. A process whose cache is at token T reloads only the documents changed
since T when T is still in the history, and everything otherwise (a store restored from a
backup, a cache older than the history, a commit too large to list).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection
from pathlib import Path

import attrs

from chorus.adapters.storage.files.disposition import GENERATION, analyser_json, illisible

# Enough for a process to catch up after a burst of commits by others, small enough to be
# read at the start of every unit of work after another process committed.
_HISTORIQUE_MAXIMUM = 64
# Beyond this, a commit (an import, say) is recorded as "reload everything".
_DOCUMENTS_MAXIMUM = 256


@attrs.frozen
class Changement:
    """One commit: from the state named `depuis`, it changed `documents` (None: too many
    to list)."""

    depuis: str
    documents: tuple[str, ...] | None


@attrs.frozen
class Generation:
    numero: int = 0
    jeton: str = ""
    historique: tuple[Changement, ...] = ()

    def suivante(self, documents: Collection[str]) -> Generation:
        """The generation after a commit that changes `documents`."""
        changement = Changement(
            depuis=self.jeton,
            documents=tuple(sorted(documents)) if len(documents) <= _DOCUMENTS_MAXIMUM else None,
        )
        return Generation(
            numero=self.numero + 1,
            jeton=secrets.token_hex(16),
            historique=(*self.historique, changement)[-_HISTORIQUE_MAXIMUM:],
        )

    def changes_depuis(self, jeton: str) -> frozenset[str] | None:
        """The documents changed since the state named `jeton`; None if unknown."""
        if jeton == self.jeton:
            return frozenset()
        for rang, changement in enumerate(self.historique):
            if changement.depuis == jeton:
                changes: set[str] = set()
                for suivant in self.historique[rang:]:
                    if suivant.documents is None:
                        return None
                    changes.update(suivant.documents)
                return frozenset(changes)
        return None

    def octets(self) -> bytes:
        # Compact, unlike the documents: it is rewritten by every commit and read after
        # every commit of another process, and no one needs to read it.
        donnees = {
            "generation": self.numero,
            "jeton": self.jeton,
            "historique": [
                {
                    "depuis": c.depuis,
                    "documents": None if c.documents is None else list(c.documents),
                }
                for c in self.historique
            ],
        }
        return json.dumps(donnees, separators=(",", ":")).encode("ascii") + b"\n"


def lire_octets(racine: Path) -> bytes:
    """The raw generation file (empty for a store no commit has written to yet): comparing
    bytes is enough to know that nothing changed."""
    chemin = racine / GENERATION
    try:
        return chemin.read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as erreur:
        raise illisible(chemin, racine, f"lecture impossible : {erreur.strerror}") from erreur


def decoder(octets: bytes, racine: Path) -> Generation:
    if not octets:
        return Generation()
    chemin = racine / GENERATION
    donnees = analyser_json(octets, chemin, racine)
    try:
        historique = tuple(
            Changement(
                depuis=_texte(c["depuis"]),
                documents=None
                if c["documents"] is None
                else tuple(_texte(d) for d in c["documents"]),
            )
            for c in donnees["historique"]
        )
        numero = donnees["generation"]
        if not isinstance(numero, int) or isinstance(numero, bool):
            raise TypeError("generation")
        return Generation(numero=numero, jeton=_texte(donnees["jeton"]), historique=historique)
    except (KeyError, TypeError) as erreur:
        raise illisible(chemin, racine, f"contenu inattendu : {erreur}") from erreur


def _texte(valeur: object) -> str:
    if not isinstance(valeur, str):
        raise TypeError(f"texte attendu, {valeur!r} trouvé")
    return valeur
