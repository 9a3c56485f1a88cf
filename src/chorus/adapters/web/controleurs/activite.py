"""« Mon activité »: the status changes of the mémoires and demandes TIC the caller may see
(their habilitations « Frais de justice » and « TIC/TICGN », whole structures or single
services), newest first, a page at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.activite import EvenementActiviteSortie
from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.domain.errors import ValidationError

TAG_ACTIVITE = "Activité"


class ActiviteControleur(Controller):
    path = "/activite"
    tags = (TAG_ACTIVITE,)

    @get(
        "/",
        operation_id="fil_d_activite",
        summary="Mon activité",
        description="Les changements d'état des mémoires et des demandes TIC/TICGN des "
        "structures (ou des services) où l'utilisateur est habilité, du plus récent au plus "
        "ancien (à date égale, par identifiant décroissant), par pages : `{elements, total, "
        "page, par_page}`. `depuis` (date et heure ISO 8601 avec fuseau, par exemple "
        "`2026-11-16T00:00:00+01:00`) ne garde que les changements enregistrés à partir de "
        "cet instant ; sans fuseau : 422 nommant `depuis`. Un agent du back-office n'a pas "
        "de fil (liste vide) : il suit sa file de traitement.",
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def fil(
        self,
        services: Services,
        acteur: Acteur,
        pagination: PaginationDemandee,
        depuis: Annotated[
            datetime | None,
            QueryParameter(
                required=False,
                description="Ne garder que les changements enregistrés à partir de cet instant.",
            ),
        ] = None,
    ) -> PageDe[EvenementActiviteSortie]:
        page = services.activite.fil(
            acteur.utilisateur.id, pagination.page, pagination.par_page, depuis
        )
        return page_de(page, EvenementActiviteSortie.depuis)
