"""Use cases of the actualités: anyone reads them, newest first, a page at a time; the
administrators publish them (from the API or the TUI signed in, or from the console with
`chorus admin publier-actualite`). A published item is dated by the clock and never changed.
"""

from __future__ import annotations

from chorus.domain.actualites import Actualite
from chorus.domain.errors import AccesRefuse
from chorus.domain.utilisateur import RoleAgent
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Page, Pagination
from chorus.services.contexte import Ports

AUTEUR_EXPLOITATION = "Équipe Chorus Portail Pro"
"""How an item published from the console (`chorus admin`) is signed: whoever has the
machine's console acts for the portal's team, as when creating an agent."""

RECENTES = 3
"""How many items the sign-in screen shows."""


class ActualiteService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def publier(self, acteur_id: str, titre: object, corps: object) -> Actualite:
        """Publish an item now, signed with the administrator's name; anyone but an
        administrator is refused (`AccesRefuse`) whatever they sent."""
        with self._p.uow as uow:
            acteur = uow.utilisateurs.obtenir(acteur_id)
            if acteur.role is not RoleAgent.ADMINISTRATEUR:
                raise AccesRefuse(
                    "La publication des actualités est réservée aux administrateurs "
                    "(rôle « Administrateur »)."
                )
            return _publier(self._p, uow, titre, corps, acteur.nom_complet)

    def publier_en_exploitation(
        self, titre: object, corps: object, auteur: object = AUTEUR_EXPLOITATION
    ) -> Actualite:
        """Publish an item now from the console (`chorus admin publier-actualite`), which
        only the portal's operators reach; signed `auteur`."""
        with self._p.uow as uow:
            return _publier(self._p, uow, titre, corps, auteur)

    def lister(self, page: int = 1, par_page: int = 10) -> Page[Actualite]:
        """One page of the items, newest first, with the total; public. A page number or
        size out of range is refused naming `page` or `par_page`."""
        pagination = Pagination(page, par_page)
        with self._p.uow.lecture() as uow:
            return uow.actualites.lister(pagination)

    def recentes(self, nombre: int = RECENTES) -> tuple[Actualite, ...]:
        """The latest `nombre` items (the sign-in screen's panel)."""
        return self.lister(1, nombre).elements

    def obtenir(self, actualite_id: str) -> Actualite:
        """One item; `NonTrouve` if there is none. Public."""
        with self._p.uow.lecture() as uow:
            return uow.actualites.obtenir(actualite_id)


def _publier(
    ports: Ports, uow: UnitOfWork, titre: object, corps: object, auteur: object
) -> Actualite:
    """The item, dated now, stored and committed in `uow` (already entered)."""
    actualite = Actualite.publier(
        id=ports.ids.nouveau(),
        titre=titre,
        corps=corps,
        date_publication=ports.clock.maintenant(),
        auteur=auteur,
    )
    uow.actualites.ajouter(actualite)
    uow.commit()
    return actualite
