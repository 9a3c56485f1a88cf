"""The virtual assistant « ClaudIA » and the user guide its answers link to. Public: no
authentication (a user who cannot sign in is the first to need help).

- ``GET /assistant?question=…`` → ``{reponses: [{question, reponse, liens, score}],
  proposer_ticket, message, ticket_prerempli}``; an empty question or one over 500
  characters: 422 naming ``question``.
- ``GET /guide`` → the pages and their sections; ``GET /guide/{page}`` → a page in
  Markdown with its sections; ``GET /guide/{page}/{ancre}`` → one section.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.datastructures import CacheControlHeader
from litestar.params import PathParameter, QueryParameter

from chorus.adapters.web.dependances import Services
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.assistant import (
    AssistantSortie,
    GuideSortie,
    PageGuideResumeSortie,
    PageGuideSortie,
    SectionGuideSortie,
)
from chorus.domain.errors import NonTrouve, ValidationError

TAG_ASSISTANT = "Assistant et guide"

# The guide ships with the release: a client may keep it an hour.
_CACHE_GUIDE = CacheControlHeader(public=True, max_age=3600)

_PAGE = Annotated[
    str, PathParameter(max_length=64, description="Nom de la page du guide (`memoires`…).")
]
_ANCRE = Annotated[str, PathParameter(max_length=64, description="Ancre de la section (`envoi`…).")]


class AssistantControleur(Controller):
    path = "/assistant"
    tags = (TAG_ASSISTANT,)

    @get(
        "/",
        operation_id="interroger_assistant",
        summary="Poser une question à l'assistant virtuel ClaudIA",
        description="Public. Les réponses de la foire aux questions à une question en "
        "français (accents, fautes de frappe et synonymes tolérés), de la plus sûre à la "
        "moins sûre, chacune avec sa confiance (`score`, entre 0 et 1) et ses liens vers le "
        "guide. Sous le seuil de confiance, aucune réponse : `proposer_ticket` vaut true, "
        "`message` le dit et `ticket_prerempli` donne le ticket à créer (`POST /tickets`). "
        "Question vide ou de plus de 500 caractères : 422.",
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def interroger(
        self,
        services: Services,
        question: Annotated[str, QueryParameter(description="La question, en français.")],
    ) -> AssistantSortie:
        return AssistantSortie.depuis(services.assistant.repondre(question))


class GuideControleur(Controller):
    path = "/guide"
    tags = (TAG_ASSISTANT,)

    @get(
        "/",
        operation_id="lister_guide",
        summary="Les pages du guide utilisateur",
        description="Public. Les pages du guide dans l'ordre de lecture, avec leurs sections "
        "(ancre, titre, adresse).",
        cache_control=_CACHE_GUIDE,
        sync_to_thread=True,
    )
    def lister(self, services: Services) -> GuideSortie:
        return GuideSortie(
            pages=[PageGuideResumeSortie.depuis(page) for page in services.assistant.guide()]
        )

    @get(
        "/{page:str}",
        operation_id="obtenir_page_guide",
        summary="Une page du guide",
        description="Public. La page en Markdown (`markdown`) et chacune de ses sections. "
        "Page inconnue : 404.",
        responses=reponses(NonTrouve),
        cache_control=_CACHE_GUIDE,
        sync_to_thread=True,
    )
    def page(self, services: Services, page: _PAGE) -> Response[PageGuideSortie]:
        return Response(PageGuideSortie.depuis(services.assistant.page(page)))

    @get(
        "/{page:str}/{ancre:str}",
        operation_id="obtenir_section_guide",
        summary="Une section du guide",
        description="Public. La section d'ancre donnée, en Markdown, telle que les réponses "
        "de l'assistant y renvoient (`guide/<page>#<ancre>`). Page ou section inconnue : 404.",
        responses=reponses(NonTrouve),
        cache_control=_CACHE_GUIDE,
        sync_to_thread=True,
    )
    def section(
        self, services: Services, page: _PAGE, ancre: _ANCRE
    ) -> Response[SectionGuideSortie]:
        return Response(SectionGuideSortie.depuis(page, services.assistant.section(page, ancre)))
