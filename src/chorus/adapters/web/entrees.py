"""Reading the request parts shared by every area: pages, sort orders, ``If-Match``, and
the answer headers that go with them (``ETag``).

Dependencies (registered on the app; a handler just names the parameter):
- ``pagination: Pagination`` — query ``?page=1&par_page=50`` (1 ≤ par_page ≤ 500, 422 else);
- ``tri: Tri`` — query ``?tri=-date_depot`` (mémoires' sort keys, `Tri.depuis`);
- ``version_attendue: int | None`` — header ``If-Match`` (``3``, ``"3"`` or ``W/"3"``; a
  malformed one → 400 naming ``If-Match``; absent → None).
"""

from __future__ import annotations

import re
from typing import Annotated

from litestar.params import HeaderParameter, Parameter

from chorus.adapters.web.problemes import RequeteInvalide
from chorus.ports.requetes import PAR_PAGE_DEFAUT, PAR_PAGE_MAXIMUM, Pagination, Tri

IF_MATCH = "If-Match"

_VERSION = re.compile(r'^(?:W/)?"?(\d{1,18})"?$')


def lire_if_match(valeur: str | None) -> int | None:
    """The version an ``If-Match`` header names; None without the header."""
    if valeur is None:
        return None
    texte = valeur.strip()
    m = _VERSION.match(texte)
    if m is None or texte.count('"') not in (0, 2):
        raise RequeteInvalide(
            "En-tête If-Match invalide : indiquez la version de l'objet lu (par exemple 3 ou "
            '"3").',
            champ=IF_MATCH,
        )
    return int(m[1])


def etag(version: int) -> dict[str, str]:
    """The headers of an aggregate's answer: its version as a strong ETag."""
    return {"ETag": f'"{version}"'}


def fournir_version_attendue(
    if_match: Annotated[
        str | None,
        HeaderParameter(
            name=IF_MATCH,
            required=False,
            description="Version de l'objet lue par le client (sinon : pas de contrôle).",
        ),
    ] = None,
) -> int | None:
    return lire_if_match(if_match)


def fournir_pagination(
    page: Annotated[
        int, Parameter(ge=1, description="Numéro de page, à partir de 1.", required=False)
    ] = 1,
    par_page: Annotated[
        int,
        Parameter(
            ge=1,
            le=PAR_PAGE_MAXIMUM,
            description=f"Éléments par page (au plus {PAR_PAGE_MAXIMUM}).",
            required=False,
        ),
    ] = PAR_PAGE_DEFAUT,
) -> Pagination:
    return Pagination(page=page, par_page=par_page)


def fournir_tri(
    # Not named `tri`: a dependency's own parameter may not bear the dependency's name.
    texte: Annotated[
        str | None,
        Parameter(
            query="tri",
            description="Clé de tri, précédée de « - » pour l'ordre décroissant (ex. -date_depot).",
            required=False,
        ),
    ] = None,
) -> Tri:
    return Tri.depuis(texte)
