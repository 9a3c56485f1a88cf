"""The back office on mémoires: the agents of a juridiction and the comptables search the
sent mémoires they may see and apply their processing events.

An agent only ever sees the mémoires of their juridictions: any other is « introuvable »
(404), as is any draft. A user with no back-office role is refused (403). The agent
downloads a mémoire's pièces and its PDF documents (certificat de dépôt, mémoire as sent)
under the same rules.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK

from chorus.adapters.web.controleurs.memoires import (
    FILTRES,
    OperationTelechargerPiece,
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
from chorus.adapters.web.telechargements import (
    NON_MODIFIE,
    OperationPdf,
    SiAucunCorrespond,
    reponse_pdf,
    reponse_piece,
)
from chorus.domain.errors import (
    AccesRefuse,
    Conflit,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant du mémoire.")]
_PIECE = Annotated[str, PathParameter(max_length=64, description="Identifiant de la pièce jointe.")]
_REFUS_TELECHARGEMENT = {**reponses(AccesRefuse, NonTrouve), **NON_MODIFIE}


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

    @get(
        "/{memoire_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_memoire_a_traiter",
        summary="Télécharger une pièce jointe d'un mémoire transmis",
        description="Le fichier tel que déposé, avec son type de contenu (404 hors des "
        "juridictions de l'agent).",
        operation_class=OperationTelechargerPiece,
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self, services: Services, acteur: Acteur, memoire_id: _ID, piece_id: _PIECE
    ) -> Response[bytes]:
        piece, contenu = services.traitement.lire_piece(acteur.utilisateur.id, memoire_id, piece_id)
        return reponse_piece(piece, contenu)

    @get(
        "/{memoire_id:str}/certificat-depot",
        operation_id="telecharger_certificat_depot_a_traiter",
        summary="Télécharger le certificat de dépôt d'un mémoire transmis (PDF)",
        description="Le certificat de dépôt produit à l'envoi, octet pour octet. ETag : "
        "SHA-256 du fichier ; If-None-Match → 304. 404 hors des juridictions de l'agent.",
        operation_class=OperationPdf,
        responses=_REFUS_TELECHARGEMENT,
        sync_to_thread=True,
    )
    def certificat_depot(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        si_aucun_correspond: SiAucunCorrespond = None,
    ) -> Response[bytes]:
        document = services.documents.certificat_depot(
            acteur.utilisateur.id, memoire_id, back_office=True
        )
        return reponse_pdf(document, si_aucun_correspond)

    @get(
        "/{memoire_id:str}/document",
        operation_id="telecharger_memoire_a_traiter",
        summary="Télécharger un mémoire transmis tel qu'envoyé (PDF)",
        description="Le mémoire tel qu'il a été envoyé, le même fichier à chaque "
        "téléchargement. ETag : SHA-256 du fichier ; If-None-Match → 304. 404 hors des "
        "juridictions de l'agent.",
        operation_class=OperationPdf,
        responses=_REFUS_TELECHARGEMENT,
        sync_to_thread=True,
    )
    def document(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        si_aucun_correspond: SiAucunCorrespond = None,
    ) -> Response[bytes]:
        document = services.documents.memoire(acteur.utilisateur.id, memoire_id, back_office=True)
        return reponse_pdf(document, si_aucun_correspond)
