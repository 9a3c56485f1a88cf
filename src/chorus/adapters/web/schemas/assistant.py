"""Answers of the assistant « ClaudIA » and of the user guide, and the domain → schema
mappings. A guide link travels three ways: ``cible`` as the FAQ writes it
(``guide/memoires#envoi``), ``page`` and ``ancre`` apart, and ``url``, the API route that
serves the section."""

from __future__ import annotations

import msgspec

from chorus.domain.faq import PageGuide, SectionGuide
from chorus.services.assistant import LienReponse, Reponse, ReponseFaq, TicketPrerempli

BASE_GUIDE = "/api/v1/guide"


def url_section(page: str, ancre: str) -> str:
    return f"{BASE_GUIDE}/{page}/{ancre}"


class LienGuideSortie(msgspec.Struct, kw_only=True):
    titre: str
    page: str
    ancre: str
    cible: str
    url: str

    @staticmethod
    def depuis(lien: LienReponse) -> LienGuideSortie:
        return LienGuideSortie(
            titre=lien.titre,
            page=lien.page,
            ancre=lien.ancre,
            cible=lien.cible,
            url=url_section(lien.page, lien.ancre),
        )


class ReponseFaqSortie(msgspec.Struct, kw_only=True):
    id: str
    question: str
    reponse: str
    liens: list[LienGuideSortie]
    score: float
    """The assistant's confidence in this answer, between 0 and 1."""

    @staticmethod
    def depuis(reponse: ReponseFaq) -> ReponseFaqSortie:
        return ReponseFaqSortie(
            id=reponse.id,
            question=reponse.question,
            reponse=reponse.reponse,
            liens=[LienGuideSortie.depuis(lien) for lien in reponse.liens],
            score=reponse.score,
        )


class TicketPrerempliSortie(msgspec.Struct, kw_only=True):
    categorie: str
    sous_categorie: str
    resume: str
    description: str

    @staticmethod
    def depuis(ticket: TicketPrerempli) -> TicketPrerempliSortie:
        return TicketPrerempliSortie(
            categorie=ticket.categorie,
            sous_categorie=ticket.sous_categorie,
            resume=ticket.resume,
            description=ticket.description,
        )


class AssistantSortie(msgspec.Struct, kw_only=True):
    reponses: list[ReponseFaqSortie]
    proposer_ticket: bool
    message: str
    ticket_prerempli: TicketPrerempliSortie | None

    @staticmethod
    def depuis(reponse: Reponse) -> AssistantSortie:
        return AssistantSortie(
            reponses=[ReponseFaqSortie.depuis(r) for r in reponse.reponses],
            proposer_ticket=reponse.proposer_ticket,
            message=reponse.message,
            ticket_prerempli=(
                None
                if reponse.ticket_prerempli is None
                else TicketPrerempliSortie.depuis(reponse.ticket_prerempli)
            ),
        )


class SectionGuideSortie(msgspec.Struct, kw_only=True):
    page: str
    ancre: str
    titre: str
    markdown: str
    url: str

    @staticmethod
    def depuis(page: str, section: SectionGuide) -> SectionGuideSortie:
        return SectionGuideSortie(
            page=page,
            ancre=section.ancre,
            titre=section.titre,
            markdown=section.markdown,
            url=url_section(page, section.ancre),
        )


class TitreSectionSortie(msgspec.Struct, kw_only=True):
    ancre: str
    titre: str
    url: str


class PageGuideResumeSortie(msgspec.Struct, kw_only=True):
    page: str
    titre: str
    url: str
    sections: list[TitreSectionSortie]

    @staticmethod
    def depuis(page: PageGuide) -> PageGuideResumeSortie:
        return PageGuideResumeSortie(
            page=page.nom,
            titre=page.titre,
            url=f"{BASE_GUIDE}/{page.nom}",
            sections=[
                TitreSectionSortie(ancre=s.ancre, titre=s.titre, url=url_section(page.nom, s.ancre))
                for s in page.sections
            ],
        )


class GuideSortie(msgspec.Struct, kw_only=True):
    pages: list[PageGuideResumeSortie]


class PageGuideSortie(msgspec.Struct, kw_only=True):
    page: str
    titre: str
    markdown: str
    """The whole page."""
    sections: list[SectionGuideSortie]

    @staticmethod
    def depuis(page: PageGuide) -> PageGuideSortie:
        return PageGuideSortie(
            page=page.nom,
            titre=page.titre,
            markdown=page.markdown,
            sections=[SectionGuideSortie.depuis(page.nom, s) for s in page.sections],
        )
