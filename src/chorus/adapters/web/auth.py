"""Who is calling: ``Authorization: Bearer <secret>`` resolved by the accounts use case.

A handler that needs a user declares ``acteur: Authentification`` and nothing else: the
dependency answers 401 (problem, ``WWW-Authenticate: Bearer``) when the header is missing,
malformed, or the secret unknown or expired; the OpenAPI document marks such operations as
secured by `SCHEMA_DE_SECURITE` automatically. Handlers that need no user do not declare it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request

from chorus.adapters.web.services import ServicesWeb
from chorus.domain.errors import NonAuthentifie
from chorus.services.comptes import Authentification

SCHEMA_DE_SECURITE = "jeton"
"""Name of the HTTP bearer scheme in the OpenAPI components."""

ACTEUR = "acteur"
"""Name of the dependency (and handler parameter) giving the `Authentification`."""


def extraire_secret(entete: str | None) -> str:
    """The secret of an ``Authorization: Bearer <secret>`` header; `NonAuthentifie` else."""
    if entete is None or not entete.strip():
        raise NonAuthentifie(
            "Authentification requise : envoyez l'en-tête « Authorization: Bearer <jeton> » "
            "avec le jeton obtenu par POST /api/v1/sessions."
        )
    schema, _, secret = entete.strip().partition(" ")
    secret = secret.strip()
    if schema.lower() != "bearer" or not secret or len(secret) > 512:
        raise NonAuthentifie(
            "En-tête Authorization invalide : la forme attendue est « Bearer <jeton> »."
        )
    return secret


def fournir_acteur(request: Request[Any, Any, Any], services: ServicesWeb) -> Authentification:
    """The `acteur` dependency (run in a worker thread: it reads the store)."""
    secret = extraire_secret(request.headers.get("authorization"))
    return services.comptes.authentifier(secret)


def secret_de_la_requete(request: Request[Any, Any, Any]) -> str:
    """The bearer secret of an authenticated request (to close its own session)."""
    return extraire_secret(request.headers.get("authorization"))
