"""The back office on mémoires: the agents of a juridiction and the comptables search the
sent mémoires they may see and apply their processing events.

An agent only ever sees the mémoires of their juridictions: any other is « introuvable »
(404), as is any draft. A user with no back-office role is refused (403).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK

from chorus.adapters.web.controleurs.memoires import (
    FILTRES,
    repondre_recherche,
    reponse_memoire,
)
from chorus.adapters.web.csv_export import (
    OperationAvecCsv,
)
from chorus.adapters.web.dependances import (
    Acteur,
    Filtres,
    PaginationDemandee,
    Services,
    TriDemande,
)
from chorus.adapters.web.openapi import TAG_TRAITEMENT
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.memoires import (
    MemoireSortie,
    ResumeMemoireSortie,
)
from chorus.adapters.web.schemas.traitement import EvenementEntree
from chorus.domain.errors import (
    AccesRefuse,
    Conflit,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant du mémoire.")]


class TraitementMemoiresControleur(Controller):
    path = "/traitement/memoires"
    tags = (TAG_TRAITEMENT,)
    dependencies = FILTRES

    @get(
        "/",
        operation_id="rechercher_memoires_a_traiter",
        summary="Rechercher les mémoires des juridictions de l'agent",
        description="Les mémoires transmis aux juridictions de l'agent (tous pour un comptable "
        "sans juridiction), avec les critères de la recherche des prestataires. Avec "
        "« Accept: text/csv » : export CSV de tous les résultats.",
        operation_class=OperationAvecCsv,
        responses=reponses(AccesRefuse, ValidationError, 406),
        sync_to_thread=True,
    )
    def rechercher(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        filtres: Filtres,
        tri: TriDemande,
        pagination: PaginationDemandee,
    ) -> Response[PageDe[ResumeMemoireSortie]]:
        qui = acteur.utilisateur.id
        return repondre_recherche(
            request,
            lambda page: services.traitement.rechercher(qui, filtres, tri, page),
            pagination,
        )

    @get(
        "/{memoire_id:str}",
        operation_id="obtenir_memoire_a_traiter",
        summary="Consulter un mémoire transmis",
        description="Un mémoire d'une juridiction de l'agent (404 pour tout autre).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(
        self, services: Services, acteur: Acteur, memoire_id: _ID
    ) -> Response[MemoireSortie]:
        return reponse_memoire(services.traitement.obtenir(acteur.utilisateur.id, memoire_id))

    @post(
        "/{memoire_id:str}/evenements",
        operation_id="appliquer_evenement_memoire",
        summary="Appliquer un événement de traitement",
        description="MISE_A_DISPOSITION, SUSPENSION (motif), CERTIFICATION (montant_certifie, "
        "motif s'il est inférieur au montant demandé), REFUS (motif), MISE_EN_PAIEMENT "
        "(montant_paye). Un événement rejoué (même reference_evenement) ne change rien ; la "
        "même référence pour une autre action : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, Conflit, ValidationError),
        sync_to_thread=True,
    )
    def appliquer_evenement(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        data: JSONBody[EvenementEntree],
    ) -> Response[MemoireSortie]:
        memoire = services.traitement.appliquer_evenement(
            acteur.utilisateur.id, memoire_id, data.en_domaine()
        )
        return reponse_memoire(memoire)
