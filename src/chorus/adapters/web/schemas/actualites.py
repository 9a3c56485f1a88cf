"""Bodies of the actualités: what an administrator sends, what everyone reads."""

from __future__ import annotations

from datetime import datetime

import msgspec

from chorus.adapters.markdown import en_html
from chorus.domain.actualites import Actualite


class ActualiteEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A news item to publish: a one-line `titre` (at most 200 characters) and a `corps` in
    Markdown (CommonMark, at most 20,000 characters; raw HTML is shown as text, links go
    only to http, https, mailto or a relative address). Its date is the publication's."""

    titre: str
    corps: str


class ActualiteSortie(msgspec.Struct, frozen=True):
    """A published item: `corps` as typed (Markdown) and `corps_html`, its safe HTML
    rendering, ready to insert in a page."""

    id: str
    titre: str
    corps: str
    corps_html: str
    date_publication: datetime
    auteur: str
    version: int

    @staticmethod
    def depuis(actualite: Actualite) -> ActualiteSortie:
        return ActualiteSortie(
            id=actualite.id,
            titre=actualite.titre,
            corps=actualite.corps,
            corps_html=en_html(actualite.corps),
            date_publication=actualite.date_publication,
            auteur=actualite.auteur,
            version=actualite.version,
        )
