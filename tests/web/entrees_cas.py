"""How a malformed request of the table is written, and how it is sent.

A `Cas` names the request (method, path with ``{brouillon}``-style placeholders for the ids
of the `Monde`, who sends it, its body) and what the API must answer: the status and the
field the refusal names. Bodies may hold `Ref` placeholders, replaced by the world's ids
before sending; large bodies are built lazily (``Callable[[], bytes]``) so that the table
costs nothing to import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from tests.web.entrees_monde import Monde


@attrs.frozen
class Ref:
    """The id `nom` of the world (``Ref("structure")``), inside a body."""

    nom: str


class _Rien:
    def __repr__(self) -> str:
        return "RIEN"


RIEN: Any = _Rien()
"""No JSON body at all."""

Fichier = tuple[str, bytes | Callable[[], bytes], str]
"""A multipart file part: (file name, content or its maker, declared media type)."""


@attrs.frozen
class Cas:
    id: str
    methode: str
    chemin: str
    """Relative to ``/api/v1``; ``{brouillon}``, ``{structure}``… are the world's ids."""
    statut: int
    champ: str | None
    """The field the refusal must name (in ``errors[].champ`` or in ``detail``); None when
    the refusal is about no field (unknown route, wrong method, stale version)."""
    qui: str | None = "gestionnaire"
    """The role whose bearer header is sent (None: anonymous)."""
    json: Any = RIEN
    brut: bytes | Callable[[], bytes] | None = None
    """A raw body, sent as is (with `type_contenu`)."""
    type_contenu: str | None = None
    fichier: Fichier | None = None
    formulaire: Mapping[str, str] | None = None
    """The other multipart fields (a `fichier` or a `formulaire` makes the body multipart)."""
    entetes: Mapping[str, str] = attrs.field(factory=dict)

    def contenus(self) -> list[bytes]:
        """The file contents this request carries (none of them may be stored)."""
        if self.fichier is None:
            return []
        contenu = self.fichier[1]
        return [contenu() if callable(contenu) else contenu]


_FRONTIERE = "frontiere-de-test-7f3a"


def multipart(
    champs: Mapping[str, str], fichier: tuple[str, bytes, str] | None = None
) -> tuple[bytes, str]:
    """A multipart/form-data body written by hand, and its Content-Type: text fields and an
    optional ``fichier`` part whose file name is sent exactly as given (an HTTP client
    library might clean it; clients send form-urlencoded when there is no file at all)."""
    morceaux = [
        f'--{_FRONTIERE}\r\nContent-Disposition: form-data; name="{nom}"\r\n\r\n'
        f"{valeur}\r\n".encode()
        for nom, valeur in champs.items()
    ]
    if fichier is not None:
        nom_fichier, contenu, media = fichier
        entete = (
            f'--{_FRONTIERE}\r\nContent-Disposition: form-data; name="fichier"; '
            f'filename="{nom_fichier}"\r\nContent-Type: {media}\r\n\r\n'
        )
        morceaux.append(entete.encode() + contenu + b"\r\n")
    corps = b"".join(morceaux) + f"--{_FRONTIERE}--\r\n".encode()
    return corps, f"multipart/form-data; boundary={_FRONTIERE}"


def resoudre(valeur: Any, ids: Mapping[str, str]) -> Any:
    if isinstance(valeur, Ref):
        return ids[valeur.nom]
    if isinstance(valeur, dict):
        return {cle: resoudre(v, ids) for cle, v in valeur.items()}
    if isinstance(valeur, list):
        return [resoudre(v, ids) for v in valeur]
    return valeur


def envoyer(monde: Monde, cas: Cas) -> httpx.Response:
    entetes: dict[str, str] = {}
    if cas.qui is not None:
        entetes.update(monde.entetes[cas.qui])
    entetes.update(cas.entetes)
    chemin = cas.chemin.format(**monde.ids)
    client = monde.banc.client
    if cas.fichier is not None or cas.formulaire is not None:
        fichiers: dict[str, tuple[str, bytes, str]] | None = None
        if cas.fichier is not None:
            nom, contenu, media = cas.fichier
            fichiers = {"fichier": (nom, contenu() if callable(contenu) else contenu, media)}
        return client.request(
            cas.methode,
            chemin,
            headers=entetes,
            files=fichiers,
            data=dict(cas.formulaire or {}),
        )
    contenu_brut: bytes | None = None
    if cas.brut is not None:
        contenu_brut = cas.brut() if callable(cas.brut) else cas.brut
    elif cas.json is not RIEN:
        contenu_brut = json.dumps(resoudre(cas.json, monde.ids)).encode()
        entetes.setdefault("Content-Type", "application/json")
    if cas.type_contenu is not None:
        entetes["Content-Type"] = cas.type_contenu
    return client.request(cas.methode, chemin, headers=entetes, content=contenu_brut)
