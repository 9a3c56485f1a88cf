"""Bodies shared by every area: problem details, the list envelope, the postal address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import msgspec

from chorus.domain.organisation import Adresse
from chorus.ports.requetes import Page

T = TypeVar("T")
U = TypeVar("U")


class ErreurChamp(msgspec.Struct, frozen=True):
    """One invalid field: `champ` in snake_case and index notation (``lignes[0].quantite``)."""

    champ: str
    message: str


class Probleme(msgspec.Struct, frozen=True, omit_defaults=True):
    """An error answer (RFC 9457 problem details, ``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ErreurChamp] | None = None


class PageDe(msgspec.Struct, Generic[T], frozen=True):
    """One page of a list: ``{elements, total, page, par_page}``."""

    elements: list[T]
    total: int
    page: int
    par_page: int


def page_de(page: Page[U], convertir: Callable[[U], T]) -> PageDe[T]:
    """A domain page turned into the envelope, each element through `convertir`."""
    return PageDe(
        elements=[convertir(e) for e in page.elements],
        total=page.total,
        page=page.page,
        par_page=page.par_page,
    )


class AdresseEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    ligne1: str
    code_postal: str
    ville: str
    pays: str = "FR"
    ligne2: str | None = None

    def vers_domaine(self, champ: str = "adresse") -> Adresse:
        """The domain's address; a refusal names ``<champ>.<field>``."""
        return Adresse.creer(
            ligne1=self.ligne1,
            ligne2=self.ligne2,
            code_postal=self.code_postal,
            ville=self.ville,
            pays=self.pays,
            champ=champ,
        )


class AdresseSortie(msgspec.Struct, frozen=True):
    ligne1: str
    ligne2: str | None
    code_postal: str
    ville: str
    pays: str
    departement: str | None

    @staticmethod
    def depuis(adresse: Adresse) -> AdresseSortie:
        return AdresseSortie(
            ligne1=adresse.ligne1,
            ligne2=adresse.ligne2,
            code_postal=adresse.code_postal,
            ville=adresse.ville,
            pays=adresse.pays,
            departement=adresse.departement,
        )
