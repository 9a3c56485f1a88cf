"""Who is calling: ``Authorization: Bearer <secret>`` resolved by the accounts use case.

A handler that needs a user declares ``acteur: Acteur`` (an `Authentification`) and nothing
else; the OpenAPI document marks such operations as secured by `SCHEMA_DE_SECURITE`
automatically. Handlers that need no user do not declare it. A missing or malformed header,
an unknown, expired or revoked secret answer 401 (problem, ``WWW-Authenticate: Bearer``).

The secret is looked up in the store, which blocks: that lookup runs in the handler's own
worker thread rather than in a thread of its own (one thread hop per request, not two):

- the ``acteur`` dependency, on the event loop, only reads the header (401 at once when it is
  missing or malformed) and gives an `AuthentificationAttendue`;
- `authentifier_dans_le_fil(app)` wraps every handler taking ``acteur`` so that, in its
  thread and before its body runs, the secret is resolved and the handler receives the
  `Authentification` itself (or the request is answered 401);
- a request refused before its handler runs (a body that fails validation…) is answered 401
  all the same when its secret is not valid, as when the lookup came first:
  `verifier_avant_refus` (an ``after_exception`` hook) resolves the secret in a thread, and
  `refus_d_authentification` tells the error handlers to answer that instead.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import Any

from litestar import Litestar, Request
from litestar.concurrency import sync_to_thread
from litestar.routes import HTTPRoute
from litestar.types import Scope
from litestar.utils.sync import AsyncCallable

from chorus.adapters.web.dependances import Services
from chorus.domain.errors import NonAuthentifie
from chorus.services.comptes import Authentification, CompteService

SCHEMA_DE_SECURITE = "jeton"
"""Name of the HTTP bearer scheme in the OpenAPI components."""

ACTEUR = "acteur"
"""Name of the dependency (and handler parameter) giving the `Authentification`."""

_ATTENDUE = "chorus.authentification_attendue"
"""Key of the request's `AuthentificationAttendue` in its ASGI scope (one per request; not
``scope["state"]``, which a server may share between requests)."""

_ENVELOPPE = "_chorus_authentifie_d_abord"


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


class AuthentificationAttendue:
    """A well-formed bearer secret, not yet looked up (what the ``acteur`` dependency gives
    before the handler's thread resolves it). A handler never sees one: it has no
    ``utilisateur``, so a handler left unwrapped fails loudly instead of running unchecked."""

    __slots__ = ("_comptes", "_refus", "_resultat", "_secret")

    def __init__(self, comptes: CompteService, secret: str) -> None:
        self._comptes = comptes
        self._secret = secret
        self._resultat: Authentification | None = None
        self._refus: NonAuthentifie | None = None

    @property
    def en_attente(self) -> bool:
        return self._resultat is None and self._refus is None

    @property
    def refus(self) -> NonAuthentifie | None:
        return self._refus

    def resoudre(self) -> Authentification:
        """Look the secret up (blocking: in a worker thread), once."""
        if self._refus is not None:
            raise self._refus
        if self._resultat is None:
            try:
                self._resultat = self._comptes.authentifier(self._secret)
            except NonAuthentifie as refus:
                self._refus = refus
                raise
        return self._resultat

    def verifier(self) -> None:
        """`resoudre`, keeping a refusal for `refus` rather than raising it."""
        with contextlib.suppress(NonAuthentifie):
            self.resoudre()


def entete_brut(scope: Scope, nom: bytes) -> str | None:
    """A request header read from the scope (`request.headers` would build them all)."""
    for cle, valeur in scope["headers"]:
        if cle.lower() == nom:
            return str(valeur.decode("latin-1"))
    return None


def fournir_acteur(request: Request[Any, Any, Any], services: Services) -> AuthentificationAttendue:
    """The `acteur` dependency, on the event loop: reads the header only."""
    secret = extraire_secret(entete_brut(request.scope, b"authorization"))
    attendue = AuthentificationAttendue(services.comptes, secret)
    request.scope[_ATTENDUE] = attendue  # type: ignore[literal-required]
    return attendue


def secret_de_la_requete(request: Request[Any, Any, Any]) -> str:
    """The bearer secret of an authenticated request (to close its own session)."""
    return extraire_secret(request.headers.get("authorization"))


def _attendue(scope: Scope) -> AuthentificationAttendue | None:
    attendue = scope.get(_ATTENDUE)
    return attendue if isinstance(attendue, AuthentificationAttendue) else None


# -- resolving in the handler's thread --------------------------------------------------------


def _avec_acteur_resolu(kwargs: dict[str, Any]) -> dict[str, Any]:
    attendue = kwargs.get(ACTEUR)
    if isinstance(attendue, AuthentificationAttendue):
        return {**kwargs, ACTEUR: attendue.resoudre()}
    return kwargs


def _authentifie_d_abord(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A sync handler function resolving its ``acteur`` first (in its worker thread)."""

    @functools.wraps(fn)
    def appel(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **_avec_acteur_resolu(kwargs))

    setattr(appel, _ENVELOPPE, True)
    return appel


def _authentifie_d_abord_async(fn: Callable[..., Any]) -> Callable[..., Any]:
    """An async handler function resolving its ``acteur`` first, in a worker thread."""

    @functools.wraps(fn)
    async def appel(*args: Any, **kwargs: Any) -> Any:
        attendue = kwargs.get(ACTEUR)
        if isinstance(attendue, AuthentificationAttendue):
            kwargs = {**kwargs, ACTEUR: await sync_to_thread(attendue.resoudre)}
        return await fn(*args, **kwargs)

    setattr(appel, _ENVELOPPE, True)
    return appel


def authentifier_dans_le_fil(app: Litestar) -> None:
    """Wrap every handler of `app` that takes ``acteur`` (see the module's docstring).

    Litestar runs a ``sync_to_thread`` handler through an `AsyncCallable` whose ``func`` is
    the function called in the worker thread: that function is wrapped; an async handler's
    function is wrapped as a whole. Anything else is refused here, at start-up."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if ACTEUR not in handler.parsed_fn_signature.parameters:
                continue
            fn = handler.fn
            if isinstance(fn, AsyncCallable):
                if not getattr(fn.func, _ENVELOPPE, False):
                    fn.func = _authentifie_d_abord(fn.func)
            elif not getattr(fn, _ENVELOPPE, False):
                if handler.has_sync_callable:
                    raise TypeError(
                        f"{handler.handler_name} : un handler synchrone qui prend « acteur » "
                        "doit s'exécuter dans un fil (sync_to_thread=True)."
                    )
                handler._fn = _authentifie_d_abord_async(fn)


# -- refusals decided before the handler ------------------------------------------------------


async def verifier_avant_refus(exc: BaseException, scope: Scope) -> None:
    """``after_exception`` hook: a request refused before its handler looked its secret up
    gets it looked up now (in a thread), so that an invalid secret is what is answered."""
    attendue = _attendue(scope)
    if attendue is not None and attendue.en_attente and not isinstance(exc, NonAuthentifie):
        await sync_to_thread(attendue.verifier)


def refus_d_authentification(request: Request[Any, Any, Any]) -> NonAuthentifie | None:
    """The 401 to answer instead of the error being handled, if any (see the docstring)."""
    attendue = _attendue(request.scope)
    return attendue.refus if attendue is not None else None
