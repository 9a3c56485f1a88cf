"""The back office on demandes TIC/TICGN: the instructors (role « Instructeur TIC ») search
the sent demandes of every structure, read them with their pièces and certificat de dépôt,
and apply the instruction events (mise à disposition, prise en charge, validation —
possibly for less than asked, with a motif —, rejet with its motif, mise en paiement).

Anyone else is refused (403). A draft was never transmitted: the back office does not know
it exists (404), and its searches and counts leave drafts out.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK

from chorus.adapters.tableurs.csv_francais import PAGE_EXPORT, toutes_les_pages
from chorus.adapters.web.controleurs.memoires import OperationTelechargerPiece
from chorus.adapters.web.controleurs.tic import (
    BASE_API,
    DEPENDANCES_RECHERCHE,
    TAG_TIC,
    FiltresTic,
    OperationAvecExports,
    TriTicDemande,
    repondre_recherche_tic,
)
from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.openapi import TAG_TRAITEMENT
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.tic import (
    DemandeTicSortie,
    EvenementTicEntree,
    ResumeDemandeTicSortie,
    TableauDeBordInstructionSortie,
    compteurs_tic,
    demande_tic_sortie,
    liens_demande,
    total_des,
)
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
from chorus.domain.tic.demande import DemandeTic
from chorus.ports.requetes import Page, Pagination
from chorus.ports.tic import ResumeDemandeTic

CHEMIN_TRAITEMENT = f"{BASE_API}/traitement/tic/demandes"

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant de la demande.")]
_PIECE = Annotated[str, PathParameter(max_length=64, description="Identifiant de la pièce jointe.")]
_REFUS_TELECHARGEMENT = {**reponses(AccesRefuse, NonTrouve), **NON_MODIFIE}
_TAGS = [TAG_TRAITEMENT, TAG_TIC]


def reponse_demande_instruite(demande: DemandeTic) -> Response[DemandeTicSortie]:
    """A demande as the back office sees it (its links under the back office's path), with
    its version as ``ETag``."""
    sortie = demande_tic_sortie(demande, liens_demande(demande, CHEMIN_TRAITEMENT, demandeur=False))
    return Response(sortie, headers=etag(demande.version))


class TraitementTicControleur(Controller):
    path = "/traitement/tic"
    tags = _TAGS
    dependencies = DEPENDANCES_RECHERCHE

    @get(
        "/demandes",
        operation_id="rechercher_demandes_tic_a_instruire",
        summary="Rechercher les demandes TIC transmises",
        description="Les demandes envoyées de toutes les structures (jamais les brouillons), "
        "avec les critères de la recherche des demandeurs ; instructeurs TIC seulement "
        "(403). Avec l'en-tête Accept : export CSV, XLSX ou ODS de tous les résultats.",
        operation_class=OperationAvecExports,
        responses=reponses(AccesRefuse, ValidationError, 406),
        sync_to_thread=True,
    )
    def rechercher(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        filtres_tic: FiltresTic,
        tri_tic: TriTicDemande,
        pagination: PaginationDemandee,
    ) -> Response[PageDe[ResumeDemandeTicSortie]]:
        qui = acteur.utilisateur.id
        instruction = services.instruction_tic

        def page(numero: Pagination) -> Page[ResumeDemandeTic]:
            return instruction.rechercher(qui, filtres_tic, tri_tic, numero)

        def tous() -> list[ResumeDemandeTic]:
            # Page after page: the back office has no « every match » use case of its own.
            return list(toutes_les_pages(page(Pagination(1, PAGE_EXPORT)), page))

        return repondre_recherche_tic(
            request,
            lambda: page(pagination),
            tous,
        )

    @get(
        "/tableau-de-bord",
        operation_id="tableau_de_bord_instruction_tic",
        summary="Tableau de bord de l'instruction TIC",
        description="Le nombre de demandes transmises dans chaque état (zéros compris ; "
        "BROUILLON toujours 0) et leur total ; instructeurs TIC seulement (403).",
        responses=reponses(AccesRefuse),
        sync_to_thread=True,
    )
    def tableau_de_bord(self, services: Services, acteur: Acteur) -> TableauDeBordInstructionSortie:
        par_statut = services.instruction_tic.compter_par_statut(acteur.utilisateur.id)
        return TableauDeBordInstructionSortie(
            statuts=compteurs_tic(par_statut), total=total_des(par_statut)
        )

    @get(
        "/demandes/{demande_id:str}",
        operation_id="obtenir_demande_tic_a_instruire",
        summary="Consulter une demande transmise",
        description="Toute demande envoyée (404 pour un brouillon) ; instructeurs TIC "
        "seulement (403).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(
        self, services: Services, acteur: Acteur, demande_id: _ID
    ) -> Response[DemandeTicSortie]:
        return reponse_demande_instruite(
            services.instruction_tic.obtenir(acteur.utilisateur.id, demande_id)
        )

    @post(
        "/demandes/{demande_id:str}/evenements",
        operation_id="appliquer_evenement_tic",
        summary="Appliquer un événement d'instruction",
        description="MISE_A_DISPOSITION (ENVOYEE → MISE_A_DISPOSITION), PRISE_EN_CHARGE (→ "
        "EN_INSTRUCTION), VALIDATION (montant_accorde, le montant demandé par défaut ; "
        "inférieur : motif obligatoire ; supérieur : 422), REJET (motif obligatoire), "
        "MISE_EN_PAIEMENT (après la validation). Action impossible dans l'état : 409. Un "
        "événement rejoué (même reference_evenement) ne change rien ; la même référence pour "
        "une autre action : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, Conflit, ValidationError),
        sync_to_thread=True,
    )
    def appliquer_evenement(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        data: JSONBody[EvenementTicEntree],
    ) -> Response[DemandeTicSortie]:
        demande = services.instruction_tic.appliquer_evenement(
            acteur.utilisateur.id, demande_id, data.en_domaine()
        )
        return reponse_demande_instruite(demande)

    @get(
        "/demandes/{demande_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_tic_a_instruire",
        summary="Télécharger une pièce jointe d'une demande transmise",
        description="Le fichier tel que déposé, avec son type de contenu.",
        operation_class=OperationTelechargerPiece,
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self, services: Services, acteur: Acteur, demande_id: _ID, piece_id: _PIECE
    ) -> Response[bytes]:
        piece, contenu = services.instruction_tic.lire_piece(
            acteur.utilisateur.id, demande_id, piece_id
        )
        return reponse_piece(piece, contenu)

    @get(
        "/demandes/{demande_id:str}/certificat-depot",
        operation_id="telecharger_certificat_depot_tic_a_instruire",
        summary="Télécharger le certificat de dépôt d'une demande transmise (PDF)",
        description="Le certificat de dépôt produit à l'envoi, octet pour octet. ETag : "
        "SHA-256 du fichier ; If-None-Match → 304.",
        operation_class=OperationPdf,
        responses=_REFUS_TELECHARGEMENT,
        sync_to_thread=True,
    )
    def certificat_depot(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        si_aucun_correspond: SiAucunCorrespond = None,
    ) -> Response[bytes]:
        document = services.instruction_tic.certificat_depot(acteur.utilisateur.id, demande_id)
        return reponse_pdf(document, si_aucun_correspond)
