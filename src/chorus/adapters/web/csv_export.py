"""CSV exports of the lists (``Accept: text/csv``), streamed page after page.

The format (French spreadsheets, formula neutralisation, page-by-page rows) is
`chorus.adapters.tableurs.csv_francais`, shared with the terminal UI; this module adds what
HTTP needs: content negotiation, the streamed attachment, the OpenAPI description.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.response import Stream

from chorus.adapters.tableurs.csv_francais import (
    BOM,
    ENTETE_LISTE_FISCALE,
    ENTETE_MEMOIRES,
    FIN_DE_LIGNE,
    PAGE_EXPORT,
    Cellule,
    cellule,
    encoder,
    ligne_memoire,
    lignes_liste_fiscale,
    lignes_memoires,
    neutraliser,
    toutes_les_pages,
)
from chorus.adapters.web.negociation import MEDIA_TYPE_JSON, format_demande
from chorus.ports.requetes import Page, Pagination, ResumeMemoire
from chorus.services.consultation import ListeFiscale

__all__ = [
    "BOM",
    "ENTETE_LISTE_FISCALE",
    "ENTETE_MEMOIRES",
    "FIN_DE_LIGNE",
    "MEDIA_TYPE_CSV",
    "PAGE_EXPORT",
    "Cellule",
    "OperationAvecCsv",
    "cellule",
    "encoder",
    "export_liste_fiscale",
    "export_memoires",
    "flux_csv",
    "format_csv_demande",
    "ligne_memoire",
    "lignes_liste_fiscale",
    "neutraliser",
    "toutes_les_pages",
]

MEDIA_TYPE_CSV = "text/csv"


def format_csv_demande(request: Request[Any, Any, Any]) -> bool:
    """Whether the client asked for CSV (``Accept``), JSON being the default; 406 when it
    accepts neither."""
    return format_demande(request, (MEDIA_TYPE_JSON, MEDIA_TYPE_CSV)) == MEDIA_TYPE_CSV


def flux_csv(contenu: Iterator[bytes], nom_fichier: str) -> Stream:
    """The streamed answer: an attachment the browser saves as `nom_fichier`."""
    return Stream(
        contenu,
        media_type=MEDIA_TYPE_CSV,
        headers={"Content-Disposition": f'attachment; filename="{nom_fichier}"'},
    )


def export_memoires(
    premiere: Page[ResumeMemoire], charger: Callable[[Pagination], Page[ResumeMemoire]]
) -> Stream:
    """Every mémoire of a search, as ``memoires.csv``."""
    return flux_csv(encoder(ENTETE_MEMOIRES, lignes_memoires(premiere, charger)), "memoires.csv")


def export_liste_fiscale(
    premiere: ListeFiscale, charger: Callable[[Pagination], ListeFiscale]
) -> Stream:
    """The liste fiscale as ``liste-fiscale.csv``: its mémoires, then the totals row."""
    lignes = lignes_liste_fiscale(premiere, charger)
    return flux_csv(encoder(ENTETE_LISTE_FISCALE, lignes), "liste-fiscale.csv")


# -- OpenAPI -----------------------------------------------------------------------------


@dataclass
class OperationAvecCsv(Operation):
    """An operation whose 200 answer is JSON, or CSV when the client sends
    ``Accept: text/csv``: the second media type is added to the generated document (Litestar
    derives one media type per answer from the handler's return annotation)."""

    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            contenu = dict(reponse.content or {})
            contenu[MEDIA_TYPE_CSV] = OpenAPIMediaType(
                schema=Schema(
                    type=OpenAPIType.STRING,
                    description=(
                        "Export CSV (UTF-8 avec BOM, séparateur « ; », virgule décimale, dates "
                        "JJ/MM/AAAA) de tous les résultats, sans pagination."
                    ),
                )
            )
            reponse.content = contenu
            reponse.description = (
                f"{reponse.description} — JSON, ou CSV avec l'en-tête « Accept: text/csv »."
            )
