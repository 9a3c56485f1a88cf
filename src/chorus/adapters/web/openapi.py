"""Make the served OpenAPI document true to what the routes answer.

Litestar documents errors with its own JSON shape; ours are problems. Before the document is
first served (or when `openapi_complet(app)` is called: use it rather than
``app.openapi_schema``), `completer_openapi` walks every operation and:
- gives every error answer the ``application/problem+json`` `Probleme` schema;
- marks operations whose handler takes ``acteur`` as secured by the bearer scheme, with 401;
- adds 400 to any operation with parameters or a body, 413 and 415 to those with a body,
  429 to the rate-limited ones;
- documents no content for a 204 (nor 304).
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
)
from litestar.routes import HTTPRoute

from chorus.adapters.web.auth import ACTEUR, SCHEMA_DE_SECURITE
from chorus.adapters.web.problemes import DESCRIPTIONS, MEDIA_PROBLEME
from chorus.adapters.web.reglages import LIMITE

TAG_COMPTES = "Comptes"
TAG_SESSIONS = "Sessions"
TAG_REFERENTIELS = "Référentiels"
TAG_CERTIFICATS = "Certificats"
TAG_STRUCTURES = "Structures"
TAG_MEMOIRES = "Mémoires"
TAG_TRAITEMENT = "Traitement"
TAG_CONSULTATION = "Consultation"

TAGS: dict[str, str] = {
    TAG_COMPTES: "Inscription, activation, mot de passe oublié, profil de l'utilisateur.",
    TAG_SESSIONS: "Connexion et déconnexion (jetons porteurs).",
    TAG_REFERENTIELS: "Listes de référence : juridictions, prestations, statuts…",
    TAG_CERTIFICATS: "Vérification publique de l'empreinte d'un certificat de dépôt.",
    TAG_STRUCTURES: "Structures, services, coordonnées bancaires, rattachements, "
    "habilitations, pièces et jetons d'API.",
    TAG_MEMOIRES: "Mémoires de frais de justice : saisie, pièces, envoi, suivi.",
    TAG_TRAITEMENT: "Back-office des juridictions et des comptables.",
    TAG_CONSULTATION: "Synthèse, tableau de bord, liste fiscale.",
}

PROBLEME = "Probleme"
ERREUR_CHAMP = "ErreurChamp"

_SCHEMA_ERREUR_CHAMP = Schema(
    type=OpenAPIType.OBJECT,
    required=["champ", "message"],
    properties={
        "champ": Schema(type=OpenAPIType.STRING),
        "message": Schema(type=OpenAPIType.STRING),
    },
)

_SCHEMA_PROBLEME = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "title", "status", "detail"],
    properties={
        "type": Schema(type=OpenAPIType.STRING),
        "title": Schema(type=OpenAPIType.STRING),
        "status": Schema(type=OpenAPIType.INTEGER),
        "detail": Schema(type=OpenAPIType.STRING),
        "errors": Schema(
            type=OpenAPIType.ARRAY, items=Reference(f"#/components/schemas/{ERREUR_CHAMP}")
        ),
    },
    description="Problème (RFC 9457) : type, titre, statut, détail en français et, pour une "
    "saisie invalide, la liste des champs en erreur.",
)


def _reponse_probleme(statut: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=DESCRIPTIONS.get(statut, "Erreur."),
        content={
            MEDIA_PROBLEME: OpenAPIMediaType(schema=Reference(f"#/components/schemas/{PROBLEME}"))
        },
    )


def _handlers(app: Litestar) -> dict[str, HTTPRouteHandler]:
    par_operation: dict[str, HTTPRouteHandler] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if isinstance(handler.operation_id, str):
                par_operation[handler.operation_id] = handler
    return par_operation


def _operations(chemin: Any) -> list[Operation]:
    noms = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    return [op for nom in noms if (op := getattr(chemin, nom, None)) is not None]


_COMPLET = "openapi_complet"

_SANS_CORPS = frozenset({"204", "304"})
"""Answers that never carry a body (RFC 9110)."""


def openapi_complet(app: Litestar) -> OpenAPI:
    """The app's document, completed on first use (Litestar caches and serves this object).

    Building it costs a few hundred milliseconds, so `creer_app` does not: the first request
    for the document (or a call here) does."""
    if not app.state.get(_COMPLET):
        completer_openapi(app, limite=LIMITE)
        app.state[_COMPLET] = True
    return app.openapi_schema


def completer_openapi(app: Litestar, *, limite: str) -> None:
    """Rewrite the generated document in place."""
    document = app.openapi_schema
    composants = document.components
    schemas = composants.schemas if composants.schemas is not None else {}
    composants.schemas = schemas
    schemas[ERREUR_CHAMP] = _SCHEMA_ERREUR_CHAMP
    schemas[PROBLEME] = _SCHEMA_PROBLEME
    handlers = _handlers(app)
    for chemin in (document.paths or {}).values():
        for operation in _operations(chemin):
            handler = handlers.get(operation.operation_id or "")
            reponses = operation.responses if operation.responses is not None else {}
            operation.responses = reponses
            statuts: set[int] = {int(code) for code in reponses if code.isdigit()}
            if operation.parameters or operation.request_body:
                statuts.add(400)
            if operation.request_body:
                statuts.update((413, 415))
            if handler is not None:
                if ACTEUR in handler.parsed_fn_signature.parameters:
                    operation.security = [{SCHEMA_DE_SECURITE: []}]
                    statuts.add(401)
                if handler.opt.get(limite):
                    statuts.add(429)
            for statut in sorted(statuts):
                if statut >= 400:
                    reponses[str(statut)] = _reponse_probleme(statut)
            for code in _SANS_CORPS.intersection(reponses):
                # Litestar documents the `None` of a handler returning `Response[None]` (to
                # set an ETag) as a JSON null; these answers have no body at all.
                reponse = reponses[code]
                if isinstance(reponse, OpenAPIResponse):
                    reponse.content = None
            operation.responses = dict(sorted(reponses.items()))
