"""File names for aggregate ids: an id never chooses where its document goes.

An id made of ``A-Z a-z 0-9 _ -`` (at most 120 of them) is its own file name, so that a
human finds ``memoires/m-1.json`` at once. Any other id is written ``~`` followed by the
hex of its UTF-8 bytes: reversible, and free of ``/``, ``..``, NUL and anything else a file
system would read as a path. An id too long for that (over 120 bytes) is named by its
SHA-256 instead, which cannot be reversed; the document itself still holds the id.
"""

from __future__ import annotations

import hashlib
import re

EXTENSION = ".json"

_SIMPLE = re.compile(r"[A-Za-z0-9_-]{1,120}")
_ENCODE = re.compile(r"~((?:[0-9a-f]{2}){0,120})")
_EMPREINTE = re.compile(r"~~[0-9a-f]{64}")
_OCTETS_MAXIMUM = 120


def nom_de_fichier(identifiant: str) -> str:
    """The file name (extension included) of the document of `identifiant`."""
    if _SIMPLE.fullmatch(identifiant):
        return identifiant + EXTENSION
    # "surrogatepass" so that even a lone surrogate (which a JSON document can carry)
    # gets a name rather than an error.
    octets = identifiant.encode("utf-8", "surrogatepass")
    if len(octets) <= _OCTETS_MAXIMUM:
        return "~" + octets.hex() + EXTENSION
    return "~~" + hashlib.sha256(octets).hexdigest() + EXTENSION


def est_un_nom_de_document(nom: str) -> bool:
    """Whether `nom` could be the name of a document (and not a temporary or foreign file)."""
    if not nom.endswith(EXTENSION):
        return False
    tige = nom[: -len(EXTENSION)]
    return bool(_SIMPLE.fullmatch(tige) or _ENCODE.fullmatch(tige) or _EMPREINTE.fullmatch(tige))


def identifiant_du_nom(nom: str) -> str | None:
    """The id a file name stands for; None when it is not reversible (a long id's digest)
    or not a document name."""
    if not est_un_nom_de_document(nom):
        return None
    tige = nom[: -len(EXTENSION)]
    if _SIMPLE.fullmatch(tige):
        return tige
    correspondance = _ENCODE.fullmatch(tige)
    if correspondance is None:
        return None
    try:
        return bytes.fromhex(correspondance.group(1)).decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
