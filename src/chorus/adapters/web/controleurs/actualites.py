"""Actualités: anyone reads the portal's news items, newest first, a page at a time
(no authentication); administrators publish them (401 without a session, 403 for anyone
else)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED

from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.actualites import ActualiteEntree, ActualiteSortie
from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.domain.errors import AccesRefuse, NonTrouve, ValidationError

TAG_ACTUALITES = "Actualités"

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant de l'actualité.")]


class ActualitesControleur(Controller):
    path = "/actualites"
    tags = (TAG_ACTUALITES,)

    @get(
        "/",
        operation_id="lister_actualites",
        summary="Lister les actualités",
        description="Public. Les actualités du portail, de la plus récente à la plus "
        "ancienne (à date égale, par identifiant décroissant), par pages : "
        "`{elements, total, page, par_page}`. Chaque actualité donne son corps en Markdown "
        "(`corps`) et son rendu HTML sûr (`corps_html`).",
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def lister(self, services: Services, pagination: PaginationDemandee) -> PageDe[ActualiteSortie]:
        page = services.actualites.lister(pagination.page, pagination.par_page)
        return page_de(page, ActualiteSortie.depuis)

    @get(
        "/{actualite_id:str}",
        operation_id="obtenir_actualite",
        summary="Consulter une actualité",
        description="Public. Une actualité, ou 404.",
        responses=reponses(NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(self, services: Services, actualite_id: _ID) -> Response[ActualiteSortie]:
        actualite = services.actualites.obtenir(actualite_id)
        return Response(ActualiteSortie.depuis(actualite), headers=etag(actualite.version))

    @post(
        "/",
        operation_id="publier_actualite",
        summary="Publier une actualité",
        description="Administrateurs seulement (403 pour tout autre compte). L'actualité est "
        "datée de sa publication et ne se modifie plus. Titre d'une ligne (200 caractères "
        "au plus) et corps Markdown (20 000 caractères au plus), obligatoires : sinon 422 "
        "nommant `titre` ou `corps`. Le HTML brut du corps est affiché comme du texte ; les "
        "liens ne mènent qu'à http, https, mailto ou une adresse relative ; les images ne "
        "sont pas affichées.",
        status_code=HTTP_201_CREATED,
        responses=reponses(AccesRefuse, ValidationError),
        sync_to_thread=True,
    )
    def publier(
        self, services: Services, acteur: Acteur, data: JSONBody[ActualiteEntree]
    ) -> Response[ActualiteSortie]:
        actualite = services.actualites.publier(acteur.utilisateur.id, data.titre, data.corps)
        return Response(
            ActualiteSortie.depuis(actualite),
            status_code=HTTP_201_CREATED,
            headers={**etag(actualite.version), "Location": f"/api/v1/actualites/{actualite.id}"},
        )
