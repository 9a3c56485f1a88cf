"""Reading the request parts shared by every area: pages, sort orders, ``If-Match``, and
the answer headers that go with them (``ETag``).

Dependencies (registered on the app; a handler names the parameter, marked with its alias
from `chorus.adapters.web.dependances`):
- ``pagination: PaginationDemandee`` — query ``?page=1&par_page=50`` (1 ≤ page ≤ 1 000 000,
  1 ≤ par_page ≤ 500, 400 else);
- ``tri: TriDemande`` — query ``?tri=-date_depot`` (mémoires' sort keys, `Tri.depuis`);
- ``version_attendue: VersionAttendue`` — header ``If-Match`` (``3``, ``"3"`` or ``W/"3"``,
  `MOTIF_IF_MATCH`; a malformed one → 400 naming ``If-Match``; absent → None).
"""

from __future__ import annotations

import re
from typing import Annotated

from litestar.openapi.spec import OpenAPIType
from litestar.params import HeaderParameter, QueryParameter

from chorus.adapters.web.problemes import RequeteInvalide
from chorus.ports.requetes import PAR_PAGE_DEFAUT, PAR_PAGE_MAXIMUM, Pagination, Tri

IF_MATCH = "If-Match"

PAGE_MAXIMUM = 1_000_000
"""Highest page number asked for: far beyond any list, low enough for every client's
integers (a 30-digit page would be echoed back in the answer)."""

MOTIF_IF_MATCH = r'^[ \t]*([0-9]{1,18}|(W/)?"[0-9]{1,18}")[ \t]*$'
"""What ``If-Match`` may hold, as documented (OpenAPI ``pattern``): a version, bare, quoted
(a strong ETag, as answered) or weak, between optional blanks. `lire_if_match` accepts
exactly this."""

_VERSION = re.compile(r'[ \t]*(?:(?P<nue>[0-9]{1,18})|(?:W/)?"(?P<citee>[0-9]{1,18})")[ \t]*')


def lire_if_match(valeur: str | None) -> int | None:
    """The version an ``If-Match`` header names; None without the header."""
    if valeur is None:
        return None
    m = _VERSION.fullmatch(valeur)
    if m is None:
        raise RequeteInvalide(
            "En-tête If-Match invalide : indiquez la version de l'objet lu (par exemple 3 ou "
            '"3").',
            champ=IF_MATCH,
        )
    return int(m["nue"] or m["citee"])


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
            # Documented as the optional string it is, with its form; the form itself is
            # checked by `lire_if_match` so that a refusal is worded like the others.
            schema_extra={"type": OpenAPIType.STRING, "one_of": None, "pattern": MOTIF_IF_MATCH},
        ),
    ] = None,
) -> int | None:
    return lire_if_match(if_match)


def fournir_pagination(
    page: Annotated[
        int,
        QueryParameter(
            ge=1,
            le=PAGE_MAXIMUM,
            description="Numéro de page, à partir de 1.",
            required=False,
        ),
    ] = 1,
    par_page: Annotated[
        int,
        QueryParameter(
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
        QueryParameter(
            name="tri",
            description="Clé de tri, précédée de « - » pour l'ordre décroissant (ex. -date_depot).",
            required=False,
        ),
    ] = None,
) -> Tri:
    return Tri.depuis(texte)
