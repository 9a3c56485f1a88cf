"""Content negotiation (``Accept``) of the routes that answer in more than one format: the
lists (JSON or CSV) and the liste fiscale (JSON, CSV or PDF)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from litestar import Request
from litestar.datastructures import Accept

from chorus.adapters.web.problemes import RequeteInvalide

MEDIA_TYPE_JSON = "application/json"

_QUALITE_NULLE = re.compile(r";\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)", re.IGNORECASE)


def _en_francais(offerts: Sequence[str]) -> str:
    if len(offerts) == 1:
        return offerts[0]
    return f"{', '.join(offerts[:-1])} ou {offerts[-1]}"


def format_demande(request: Request[Any, Any, Any], offerts: Sequence[str]) -> str:
    """The media type of `offerts` the client prefers (the first one on a tie, or without
    ``Accept``); 406 naming ``Accept`` when it accepts none of them."""
    entete = request.headers.get("accept", "*/*")
    # Litestar's matching ignores a zero quality, which means "not this one" (RFC 9110).
    acceptes = ",".join(p for p in entete.split(",") if not _QUALITE_NULLE.search(p))
    choix = Accept(acceptes).best_match(list(offerts))
    if choix is None:
        raise RequeteInvalide(
            "Format de réponse non disponible : cette ressource est servie en "
            f"{_en_francais(offerts)} (en-tête Accept).",
            champ="Accept",
            statut=406,
        )
    return choix
