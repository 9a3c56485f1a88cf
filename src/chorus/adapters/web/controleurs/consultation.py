"""The prestataire's read screens beside the search: the tableau de bord (a count per status
for each structure) and the liste fiscale (JSON, CSV or PDF)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, cast

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery, QueryParameter

from chorus.adapters.web.csv_export import MEDIA_TYPE_CSV, PAGE_EXPORT, export_liste_fiscale
from chorus.adapters.web.dependances import Acteur, Services
from chorus.adapters.web.entrees import PAGE_MAXIMUM
from chorus.adapters.web.negociation import MEDIA_TYPE_JSON, format_demande
from chorus.adapters.web.openapi import TAG_CONSULTATION
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.consultation import (
    CompteursStructureSortie,
    ListeFiscaleSortie,
    compteurs_sortie,
    liste_fiscale_sortie,
)
from chorus.adapters.web.telechargements import (
    MEDIA_TYPE_PDF,
    OperationAvecCsvEtPdf,
    reponse_pdf,
)
from chorus.domain.errors import AccesRefuse, NonTrouve, ValidationError
from chorus.ports.requetes import PAR_PAGE_DEFAUT, PAR_PAGE_MAXIMUM, Pagination
from chorus.services.consultation import ListeFiscale


class ConsultationControleur(Controller):
    path = "/"
    tags = (TAG_CONSULTATION,)

    @get(
        "/tableau-de-bord/memoires",
        operation_id="tableau_de_bord_memoires",
        summary="Tableau de bord des mémoires",
        description="Pour chaque structure visible, le nombre de mémoires dans chaque état "
        "(tous les états, zéros compris).",
        sync_to_thread=True,
    )
    def tableau_de_bord(self, services: Services, acteur: Acteur) -> list[CompteursStructureSortie]:
        lignes = services.consultation.tableau_de_bord(acteur.utilisateur.id)
        return [compteurs_sortie(ligne) for ligne in lignes]

    @get(
        "/liste-fiscale",
        operation_id="liste_fiscale",
        summary="Liste fiscale",
        description="Les mémoires de la structure mis en paiement entre du et au (dates de "
        "mise à jour de l'état, période d'un an au plus : 422 sinon), avec leurs totaux. "
        "page/par_page facultatifs (sans eux : toute la liste). Avec « Accept: text/csv » : "
        "export CSV de toute la liste suivie d'une ligne de totaux ; avec « Accept: "
        "application/pdf » : la liste fiscale imprimable (PDF) de toute la période.",
        operation_class=OperationAvecCsvEtPdf,
        responses=reponses(AccesRefuse, NonTrouve, ValidationError, 406),
        sync_to_thread=True,
    )
    def liste_fiscale(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        structure_id: Annotated[str, QueryParameter(max_length=64)],
        du: FromQuery[date],
        au: FromQuery[date],
        page: Annotated[
            int | None,
            QueryParameter(ge=1, le=PAGE_MAXIMUM, required=False, description="Numéro de page."),
        ] = None,
        par_page: Annotated[
            int | None,
            QueryParameter(
                ge=1,
                le=PAR_PAGE_MAXIMUM,
                required=False,
                description=f"Éléments par page (au plus {PAR_PAGE_MAXIMUM}).",
            ),
        ] = None,
    ) -> Response[ListeFiscaleSortie]:
        qui = acteur.utilisateur.id

        def charger(pagination: Pagination | None) -> ListeFiscale:
            return services.consultation.liste_fiscale(qui, structure_id, du, au, pagination)

        format_ = format_demande(request, (MEDIA_TYPE_JSON, MEDIA_TYPE_CSV, MEDIA_TYPE_PDF))
        if format_ == MEDIA_TYPE_PDF:
            document = services.documents.liste_fiscale(qui, structure_id, du, au)
            return cast("Response[ListeFiscaleSortie]", reponse_pdf(document))
        if format_ == MEDIA_TYPE_CSV:
            # The first page is read here, so that a refusal is answered before streaming.
            premiere = charger(Pagination(1, PAGE_EXPORT))
            return cast("Response[ListeFiscaleSortie]", export_liste_fiscale(premiere, charger))
        pagination = None
        if page is not None or par_page is not None:
            pagination = Pagination(page or 1, par_page or PAR_PAGE_DEFAUT)
        return Response(liste_fiscale_sortie(charger(pagination)))
