"""The Litestar application of the HTTP API: `creer_app(services, reglages)`.

Conventions every controller follows (see also `chorus.adapters.web.controleurs`):

- Base path ``/api/v1`` (controllers' paths are relative to it). OpenAPI document at
  ``/api/v1/schema/openapi.json``, browsable page (Swagger UI) at ``/api/v1/schema``.
- Handlers are plain ``def`` with ``sync_to_thread=True`` (use cases block: SQLite, argon2),
  each with ``operation_id`` (snake_case French), ``tags``, ``summary``/``description`` in
  French and ``responses=reponses(NonTrouve, AccesRefuse, …)`` for the refusals it can give.
  The status code of success is the one API.md promises.
- Dependencies: ``services: ServicesWeb``; ``acteur: Authentification`` (bearer, 401 else);
  ``pagination: Pagination``; ``tri: Tri``; ``version_attendue: int | None`` (If-Match).
  A handler that declares ``acteur`` is documented as secured (bearer) automatically.
- Request bodies are ``msgspec.Struct(forbid_unknown_fields=True)``; JSON bodies must come as
  ``application/json`` (415 otherwise) and weigh at most ``ReglagesWeb.taille_max_json``;
  routes taking a file set ``request_max_body_size=TAILLE_MAX_MULTIPART``.
- Routes rate-limited per client address (login, sign-up, links): ``opt={LIMITE: True}``.
- Every answer carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``
  and ``Cache-Control: no-store`` unless the handler set its own ``Cache-Control``.
- Errors are problems (`chorus.adapters.web.problemes`); nothing a client sends may reach
  the last-resort 500 handler.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Request, Router
from litestar.datastructures import MutableScopeHeaders, State
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.params import BodyKwarg
from litestar.stores.memory import MemoryStore
from litestar.types import Message, Scope

from chorus.adapters.web.auth import ACTEUR, SCHEMA_DE_SECURITE, fournir_acteur
from chorus.adapters.web.controleurs import CONTROLEURS
from chorus.adapters.web.entrees import (
    fournir_pagination,
    fournir_tri,
    fournir_version_attendue,
)
from chorus.adapters.web.openapi import TAGS, openapi_complet
from chorus.adapters.web.problemes import GESTIONNAIRES_D_ERREURS, RequeteInvalide
from chorus.adapters.web.reglages import LIMITE, ReglagesWeb
from chorus.adapters.web.services import ServicesWeb

BASE = "/api/v1"
SCHEMA = f"{BASE}/schema"

_ENTETES_DE_SECURITE = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def _media_attendu(handler: HTTPRouteHandler) -> str | None:
    """The media type of the handler's `data` body, if it declares one."""
    champ = handler.parsed_fn_signature.parameters.get("data")
    if champ is None:
        return None
    definition = champ.kwarg_definition
    if isinstance(definition, BodyKwarg):
        media = definition.media_type
        return media.value if isinstance(media, RequestEncodingType) else str(media)
    return RequestEncodingType.JSON.value


def _est_json(type_de_contenu: str) -> bool:
    return type_de_contenu == "application/json" or (
        type_de_contenu.startswith("application/") and type_de_contenu.endswith("+json")
    )


async def avant_chaque_requete(request: Request[Any, Any, Any]) -> None:
    """App-level `before_request`: completes the OpenAPI document before it is first served,
    then checks the body's media type."""
    if request.scope["path"].startswith(SCHEMA):
        openapi_complet(request.app)
    verifier_type_de_contenu(request)


def verifier_type_de_contenu(request: Request[Any, Any, Any]) -> None:
    """415 for a body whose ``Content-Type`` is not what the handler reads (Litestar would
    parse any body as JSON)."""
    attendu = _media_attendu(request.route_handler)
    entete = request.headers.get("content-type")
    if attendu is None or entete is None:
        return
    recu = entete.split(";", 1)[0].strip().lower()
    json_attendu = attendu == RequestEncodingType.JSON.value
    conforme = _est_json(recu) if json_attendu else recu == attendu
    if not conforme:
        raise RequeteInvalide(
            f"Type de contenu « {recu} » non accepté ici : envoyez « {attendu} ».",
            champ="Content-Type",
            statut=415,
        )


async def ajouter_entetes_de_securite(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    entetes = MutableScopeHeaders.from_message(message)
    for cle, valeur in _ENTETES_DE_SECURITE.items():
        if cle not in entetes:
            entetes[cle] = valeur
    if "cache-control" not in entetes:
        entetes["cache-control"] = "no-store"


def _limite(request: Request[Any, Any, Any]) -> bool:
    return bool(request.route_handler.opt.get(LIMITE, False))


def creer_app(
    services: ServicesWeb,
    reglages: ReglagesWeb | None = None,
    *,
    controleurs: Sequence[Any] | None = None,
) -> Litestar:
    """The API over `services`. `controleurs` replaces `CONTROLEURS` (tests of the skeleton)."""
    reglages = reglages or ReglagesWeb()
    description = (
        "API de Chorus : comptes, structures, mémoires de frais de justice, back-office. "
        "Erreurs au format application/problem+json (RFC 9457), messages en français."
    )
    if reglages.captcha_desactive:
        description += (
            "\n\n**ATTENTION : captcha désactivé (CHORUS_CAPTCHA=desactive) — "
            "réservé aux tests automatisés.**"
        )
    middleware = []
    if reglages.limite_active:
        middleware.append(
            RateLimitConfig(
                rate_limit=reglages.limite_comptes,
                check_throttle_handler=_limite,
                store="limite_comptes",
            ).middleware
        )
    api = Router(
        path=BASE,
        route_handlers=list(CONTROLEURS if controleurs is None else controleurs),
    )
    return Litestar(
        route_handlers=[api],
        dependencies={
            "services": Provide(lambda: services, use_cache=True, sync_to_thread=False),
            ACTEUR: Provide(fournir_acteur, sync_to_thread=True),
            "pagination": Provide(fournir_pagination, sync_to_thread=False),
            "tri": Provide(fournir_tri, sync_to_thread=False),
            "version_attendue": Provide(fournir_version_attendue, sync_to_thread=False),
        },
        exception_handlers=dict(GESTIONNAIRES_D_ERREURS),
        before_request=avant_chaque_requete,
        before_send=[ajouter_entetes_de_securite],
        middleware=middleware,
        stores={"limite_comptes": MemoryStore()},
        request_max_body_size=reglages.taille_max_json,
        openapi_config=OpenAPIConfig(
            title=reglages.titre,
            version=reglages.version,
            description=description,
            path=SCHEMA,
            render_plugins=[SwaggerRenderPlugin(path="/")],
            components=Components(
                security_schemes={
                    SCHEMA_DE_SECURITE: SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="Jeton de session (POST /api/v1/sessions) ou jeton d'API "
                        "d'une structure.",
                    )
                }
            ),
            tags=[Tag(name=nom, description=texte) for nom, texte in TAGS.items()],
            use_handler_docstrings=False,
        ),
        state=State({"services": services, "reglages": reglages}),
        debug=reglages.debug,
    )
