"""The part of the application every screen relies on: the use cases, who is signed in and
for which structure, and how a use case is called without freezing the screen."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar, cast

import attrs
from textual.app import App
from textual.widget import Widget

from chorus.adapters.tui.formulaires import effacer_erreurs, montrer_erreur
from chorus.adapters.tui.services import ServicesTui
from chorus.domain.errors import DomainError
from chorus.domain.utilisateur import Utilisateur

if TYPE_CHECKING:
    from textual.dom import DOMNode

P = ParamSpec("P")
T = TypeVar("T")


@attrs.define
class SessionTui:
    """The signed-in user, their session token and the structure they act for."""

    jeton: str
    utilisateur: Utilisateur
    structure_id: str | None = None

    @property
    def est_agent(self) -> bool:
        return self.utilisateur.role is not None


class AppChorus(App[None]):
    """What screens see of the application; `chorus.adapters.tui.app.ChorusApp` adds the
    navigation between screens."""

    def __init__(self, services: ServicesTui) -> None:
        super().__init__()
        self.services = services
        self.session: SessionTui | None = None

    @property
    def utilisateur_id(self) -> str:
        """The signed-in user's id (a screen past login always has one)."""
        if self.session is None:
            raise RuntimeError("aucun utilisateur connecté")
        return self.session.utilisateur.id

    @property
    def structure_id(self) -> str | None:
        return None if self.session is None else self.session.structure_id

    async def appeler(self, fonction: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a use case in a worker thread: the screen keeps answering while the store
        works (a search over a million mémoires, an argon2 hash, an export)."""
        return await asyncio.to_thread(functools.partial(fonction, *args, **kwargs))

    async def tenter(
        self,
        conteneur: Widget,
        fonction: Callable[P, T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T | None:
        """Call a use case for the form `conteneur`: on a refusal, write it next to the field
        it names and return None (what the user typed stays); on success clear the form's
        error lines."""
        try:
            resultat = await self.appeler(fonction, *args, **kwargs)
        except DomainError as erreur:
            montrer_erreur(conteneur, erreur)
            return None
        effacer_erreurs(conteneur)
        return resultat

    async def reussir(
        self,
        conteneur: Widget,
        fonction: Callable[P, object],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> bool:
        """`tenter` for a use case that answers nothing: whether it was accepted."""
        try:
            await self.appeler(fonction, *args, **kwargs)
        except DomainError as erreur:
            montrer_erreur(conteneur, erreur)
            return False
        effacer_erreurs(conteneur)
        return True

    # -- navigation, implemented by ChorusApp --------------------------------------------

    async def apres_connexion(self) -> None:
        raise NotImplementedError

    def ouvrir_memoire(self, memoire_id: str) -> None:
        raise NotImplementedError

    def ouvrir_traitement(self, memoire_id: str) -> None:
        raise NotImplementedError

    def modifier_brouillon(self, memoire_id: str) -> None:
        raise NotImplementedError

    def ouvrir_liste(self, structure_id: str | None, statut: str | None) -> None:
        raise NotImplementedError

    def action_espace(self) -> None:
        """Bring the mémoire space of the current structure (the agent's queue) forward."""
        raise NotImplementedError


def chorus(noeud: DOMNode) -> AppChorus:
    """The running application, typed."""
    return cast(AppChorus, noeud.app)
