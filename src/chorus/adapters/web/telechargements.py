"""Downloads: the documents the portal issues as PDF (the certificat de dépôt, the mémoire as
sent, the liste fiscale) and the pièces as they were uploaded.

A PDF download answers the bytes as an attachment named by the document, with an ``ETag``
(the quoted SHA-256 of the bytes: whoever saved the file can check it is the one served) and
``Cache-Control: private`` (a browser may keep a prestataire's documents, a shared cache
never). A client sending the ``ETag`` back in ``If-None-Match`` gets 304 without the bytes:
a sent mémoire's documents never change.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
)
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from chorus.adapters.web.csv_export import OperationAvecCsv
from chorus.domain.documents import TYPE_PDF, DocumentPdf
from chorus.domain.pieces import PieceJointe

MEDIA_TYPE_PDF = TYPE_PDF
IF_NONE_MATCH = "If-None-Match"
CACHE_PRIVE = "private"

SiAucunCorrespond = Annotated[
    str | None,
    HeaderParameter(
        name=IF_NONE_MATCH,
        required=False,
        description="ETag d'un téléchargement précédent : 304 sans contenu s'il est inchangé.",
        # Documented as the optional string it is (not « string or null »), as If-Match.
        schema_extra={"type": OpenAPIType.STRING, "one_of": None},
    ),
]


def etag_de(contenu: bytes) -> str:
    """The strong ETag of a document: its SHA-256, quoted."""
    return f'"{hashlib.sha256(contenu).hexdigest()}"'


def _correspond(si_aucun_correspond: str | None, etiquette: str) -> bool:
    """Whether ``If-None-Match`` names `etiquette` (weak comparison, RFC 9110 §13.1.2)."""
    if si_aucun_correspond is None:
        return False
    for candidate in si_aucun_correspond.split(","):
        valeur = candidate.strip()
        if valeur == "*" or valeur.removeprefix("W/") == etiquette:
            return True
    return False


def _nom_ascii(nom: str) -> str:
    """The fallback ``filename`` for clients ignoring ``filename*``: ASCII, no quote."""
    decompose = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode("ascii")
    propre = "".join(c if c.isprintable() and c not in '"\\;' else "_" for c in decompose)
    return propre.strip() or "piece"


def _disposition_utf8(nom: str) -> str:
    """``Content-Disposition`` of a download (RFC 6266, the UTF-8 name in ``filename*``)."""
    return f"attachment; filename=\"{_nom_ascii(nom)}\"; filename*=UTF-8''{quote(nom, safe='')}"


def _disposition(nom: str) -> str:
    """``attachment; filename="…"`` for the portal's own names; the RFC 6266 form should one
    ever leave plain ASCII."""
    if _nom_ascii(nom) == nom:
        return f'attachment; filename="{nom}"'
    return _disposition_utf8(nom)


def reponse_piece(piece: PieceJointe, contenu: bytes) -> Response[bytes]:
    """An uploaded pièce as it was deposited, with its own media type (recognised on its
    content at upload) and the uploader's file name."""
    return Response(
        contenu,
        media_type=piece.format.value,
        headers={
            "Content-Disposition": _disposition_utf8(piece.nom_fichier),
            "X-Content-Type-Options": "nosniff",
        },
    )


def reponse_pdf(document: DocumentPdf, si_aucun_correspond: str | None = None) -> Response[bytes]:
    """The document as a download, or 304 when the client already holds these bytes."""
    etiquette = etag_de(document.contenu)
    entetes = {"ETag": etiquette, "Cache-Control": CACHE_PRIVE}
    if _correspond(si_aucun_correspond, etiquette):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=entetes)
    entetes["Content-Disposition"] = _disposition(document.nom_fichier)
    return Response(document.contenu, media_type=document.type_media, headers=entetes)


# -- OpenAPI ------------------------------------------------------------------------------

_SCHEMA_PDF = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))

_ENTETE_ETAG = OpenAPIHeader(
    description="SHA-256 du document, entre guillemets.", schema=Schema(type=OpenAPIType.STRING)
)

NON_MODIFIE: dict[int, ResponseSpec] = {
    HTTP_304_NOT_MODIFIED: ResponseSpec(
        data_container=None,
        description="Non modifié : le document est celui désigné par If-None-Match.",
        generate_examples=False,
    )
}
"""The 304 answer, for ``responses={**reponses(…), **NON_MODIFIE}`` (documented without
content by `chorus.adapters.web.openapi`)."""


@dataclass
class OperationPdf(Operation):
    """An operation whose 200 answer is a PDF download (Litestar would describe the bytes
    as JSON), and whose 304 carries the ETag."""

    def __post_init__(self) -> None:
        reponses = self.responses or {}
        reponse: Any = reponses.get("200")
        if isinstance(reponse, OpenAPIResponse):
            reponse.content = {MEDIA_TYPE_PDF: _SCHEMA_PDF}
            reponse.description = "Le document PDF, en pièce jointe (Content-Disposition)."
            reponse.headers = {
                "ETag": _ENTETE_ETAG,
                "Content-Disposition": OpenAPIHeader(
                    description='attachment; filename="…" (nom du fichier).',
                    schema=Schema(type=OpenAPIType.STRING),
                ),
            }
        non_modifie: Any = reponses.get(str(HTTP_304_NOT_MODIFIED))
        if isinstance(non_modifie, OpenAPIResponse):
            non_modifie.headers = {"ETag": _ENTETE_ETAG}


@dataclass
class OperationAvecCsvEtPdf(OperationAvecCsv):
    """JSON, CSV (``Accept: text/csv``) or PDF (``Accept: application/pdf``)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            reponse.content = {**(reponse.content or {}), MEDIA_TYPE_PDF: _SCHEMA_PDF}
            reponse.description = (
                "JSON ; CSV avec l'en-tête « Accept: text/csv » ; PDF avec l'en-tête « Accept: "
                "application/pdf » (en pièce jointe)."
            )
