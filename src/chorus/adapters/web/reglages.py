"""Settings of the HTTP adapter (the composition root fills them from the environment)."""

from __future__ import annotations

from typing import Literal

import attrs

from chorus.domain.pieces import TAILLE_MAXIMUM

UniteDeTemps = Literal["second", "minute", "hour", "day"]

TAILLE_MAX_JSON = 1024 * 1024
"""Largest JSON body accepted (1 MiB): far above any legitimate request."""

TAILLE_MAX_MULTIPART = TAILLE_MAXIMUM + 512 * 1024
"""Largest multipart body: one 10 MiB file plus its envelope (other fields, part headers).
Routes that take a file declare ``request_max_body_size=TAILLE_MAX_MULTIPART``; the domain
then words the refusal of a file just over 10 MiB (413, naming `fichier`)."""

LIMITE = "limite_comptes"
"""`opt` key of the handlers rate-limited per client address (``opt={LIMITE: True}``), by
`ReglagesWeb.limite_comptes`."""


@attrs.frozen
class ReglagesWeb:
    titre: str = "Chorus — API"
    version: str = "1.0.0"
    captcha_desactive: bool = False
    """Mirrors `CHORUS_CAPTCHA=desactive`: the OpenAPI description then says so loudly."""
    limite_comptes: tuple[UniteDeTemps, int] = ("minute", 10)
    """Requests per client address on `/sessions` and `/comptes*` (login, sign-up, links),
    counted together, per process (the counter lives in the process's memory store)."""
    limite_active: bool = True
    taille_max_json: int = TAILLE_MAX_JSON
    debug: bool = False
    """Never in production: Litestar would answer stack traces."""
