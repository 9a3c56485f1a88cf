"""The Litestar application of the HTTP API: `creer_app(services, reglages)`.

Conventions every controller follows (see also `chorus.adapters.web.controleurs`):

- Base path ``/api/v1`` (controllers' paths are relative to it). OpenAPI document at
  ``/api/v1/schema/openapi.json``, browsable page (Swagger UI) at ``/api/v1/schema``.
- Handlers are plain ``def`` with ``sync_to_thread=True`` (use cases block: SQLite, argon2),
  each with ``operation_id`` (snake_case French), ``tags``, ``summary``/``description`` in
  French and ``responses=reponses(NonTrouve, AccesRefuse, …)`` for the refusals it can give.
  The status code of success is the one API.md promises.
- Dependencies, marked with the aliases of `chorus.adapters.web.dependances` (Litestar 3
  drops inferred dependencies): ``services: Services``; ``acteur: Acteur`` (an
  `Authentification`; bearer, 401 else — looked up in the handler's own thread, see
  `chorus.adapters.web.auth`); ``pagination: PaginationDemandee``; ``tri: TriDemande``;
  ``version_attendue: VersionAttendue`` (If-Match). A handler that declares ``acteur`` is
  documented as secured (bearer) automatically. Parameters are marked too: path ones with
  ``PathParameter``, query ones with ``QueryParameter`` (or ``FromQuery``).
- Request bodies are ``msgspec.Struct(forbid_unknown_fields=True)`` declared ``data:
  JSONBody[…]`` (or ``Annotated[…, Body(media_type=…)]``); JSON bodies must come as
  ``application/json`` (415 otherwise) and weigh at most ``ReglagesWeb.taille_max_json``;
  routes taking a file set ``request_max_body_size=TAILLE_MAX_MULTIPART``.
- Routes rate-limited per client address (login, sign-up, links): ``opt={LIMITE: True}``.
- Every answer carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``
  and ``Cache-Control: no-store`` unless the handler set its own ``Cache-Control``; an
  OPTIONS answer lists all the methods of its path in ``Allow``.
- Errors are problems (`chorus.adapters.web.problemes`); nothing a client sends may reach
  the last-resort 500 handler (`chorus.adapters.web.requete` reads JSON bodies).

What runs on every request is kept cheap (it is the API's overhead over its use cases): the
hooks read raw ASGI headers, the rate limit passes unmarked routes at once, and a request
makes one hop to a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from litestar import Litestar, Request, Response, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.params import BodyKwarg
from litestar.routes import HTTPRoute
from litestar.stores.memory import MemoryStore
from litestar.types import (
    ASGIApp,
    BeforeMessageSendHookHandler,
    ExceptionHandler,
    Message,
    Receive,
    Scope,
    Send,
)

from chorus.adapters.web.auth import (
    ACTEUR,
    SCHEMA_DE_SECURITE,
    authentifier_dans_le_fil,
    entete_brut,
    fournir_acteur,
    refus_d_authentification,
    verifier_avant_refus,
)
from chorus.adapters.web.controleurs import CONTROLEURS
from chorus.adapters.web.entrees import (
    fournir_pagination,
    fournir_tri,
    fournir_version_attendue,
)
from chorus.adapters.web.openapi import TAGS, openapi_complet
from chorus.adapters.web.problemes import (
    GESTIONNAIRES_D_ERREURS,
    RequeteInvalide,
    traiter_erreur_du_domaine,
)
from chorus.adapters.web.reglages import LIMITE, ReglagesWeb
from chorus.adapters.web.requete import RequeteChorus
from chorus.adapters.web.services import ServicesWeb

BASE = "/api/v1"
SCHEMA = f"{BASE}/schema"

_ENTETES_DE_SECURITE: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
)


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
    if attendu is None:
        return
    entete = entete_brut(request.scope, b"content-type")
    if entete is None:
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


def _methodes_des_chemins(app: Litestar) -> dict[int, bytes]:
    """The ``Allow`` answer of each route's OPTIONS handler, by the handler's id.

    Litestar builds the route of a path anew each time a handler joins it, but keeps the
    OPTIONS handler made for the first one, which still lists that first route's methods
    (Litestar 2.25: ``OPTIONS /memoires`` answered ``Allow: OPTIONS, POST``)."""
    methodes: dict[int, bytes] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute) and (options := route.route_handler_map.get("OPTIONS")):
            methodes[id(options[0])] = ", ".join(sorted(route.methods)).encode("latin-1")
    return methodes


def _avant_l_envoi(methodes_des_chemins: dict[int, bytes]) -> BeforeMessageSendHookHandler:
    async def completer_les_entetes(message: Message, scope: Scope) -> None:
        """Every answer: the security headers and ``Cache-Control: no-store`` unless set;
        an OPTIONS answer: the methods of its path."""
        if message["type"] != "http.response.start":
            return
        # Raw ASGI headers: this runs for every answer, `MutableScopeHeaders` costs more.
        entetes = list(message.get("headers") or ())
        presents = {cle.lower() for cle, _ in entetes}
        entetes.extend(entete for entete in _ENTETES_DE_SECURITE if entete[0] not in presents)
        if scope.get("method") == "OPTIONS" and (
            methodes := methodes_des_chemins.get(id(scope.get("route_handler")))
        ):
            entetes = [(cle, valeur) for cle, valeur in entetes if cle.lower() != b"allow"]
            entetes.append((b"allow", methodes))
        message["headers"] = entetes

    return completer_les_entetes


def _authentification_d_abord(gestionnaire: ExceptionHandler[Any]) -> ExceptionHandler[Any]:
    """An error handler answering 401 instead when the request's bearer secret, looked up
    after its refusal (`auth.verifier_avant_refus`), turned out invalid."""

    def traiter(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        refus = refus_d_authentification(request)
        if refus is not None and exc is not refus:
            return traiter_erreur_du_domaine(request, refus)
        return gestionnaire(request, exc)

    return traiter


def _limiter_les_routes_marquees(config: RateLimitConfig) -> Callable[[ASGIApp], ASGIApp]:
    """Litestar's rate limit, on the handlers marked ``opt={LIMITE: True}`` only.

    As app middleware, `RateLimitMiddleware` would build a `Request` and call its throttle
    check on every request of every route; here the others pass with one dict lookup. The
    counter is the same for all marked routes (its key is the client's address)."""

    def middleware(app: ASGIApp) -> ASGIApp:
        # Litestar calls a middleware factory with ``app=`` (the next ASGI app).
        limitee = RateLimitMiddleware(app, config)

        async def appel(scope: Scope, receive: Receive, send: Send) -> None:
            handler = scope.get("route_handler")
            if handler is not None and handler.opt.get(LIMITE):
                await limitee(scope, receive, send)
            else:
                await app(scope, receive, send)

        return appel

    return middleware


def _services(state: State) -> ServicesWeb:
    # Read from the app's state rather than captured: the use cases are the app's data, so
    # one built app can serve another set of them (the tests reuse apps: building one costs
    # a third of a second).
    services: ServicesWeb = state["services"]
    return services


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
            _limiter_les_routes_marquees(
                RateLimitConfig(rate_limit=reglages.limite_comptes, store="limite_comptes")
            )
        )
    methodes_des_chemins: dict[int, bytes] = {}
    api = Router(
        path=BASE,
        route_handlers=list(CONTROLEURS if controleurs is None else controleurs),
    )
    app = Litestar(
        route_handlers=[api],
        dependencies={
            "services": Provide(_services, sync_to_thread=False),
            # Reads the header only: the lookup runs in the handler's thread (see `auth`).
            ACTEUR: Provide(fournir_acteur, sync_to_thread=False),
            "pagination": Provide(fournir_pagination, sync_to_thread=False),
            "tri": Provide(fournir_tri, sync_to_thread=False),
            "version_attendue": Provide(fournir_version_attendue, sync_to_thread=False),
        },
        exception_handlers={
            classe: _authentification_d_abord(gestionnaire)
            for classe, gestionnaire in GESTIONNAIRES_D_ERREURS.items()
        },
        after_exception=[verifier_avant_refus],
        request_class=RequeteChorus,
        before_request=avant_chaque_requete,
        before_send=[_avant_l_envoi(methodes_des_chemins)],
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
    methodes_des_chemins.update(_methodes_des_chemins(app))
    authentifier_dans_le_fil(app)
    return app
