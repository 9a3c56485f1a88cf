"""Structures: their data, services, bank details, espaces, members (rattachements),
habilitations, reusable pièces and API tokens.

Who may do what is the use cases' business (`StructureService`, `CompteService`): someone
outside a structure learns nothing of it (404), a member lacking the right is refused (403).
Two list routes have no use case of their own (rattachements, habilitations); they read the
structure through `StructureService.obtenir` and apply the domain's gestionnaire rule
(`chorus.domain.acces`) before answering.

An id in the path that names nothing in the structure (a service, bank details, a pièce)
answers 404, although the domain words it as an invalid field (it is one when it travels in
a body, e.g. `piece_jointe_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
)
from litestar.params import Body, JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services, VersionAttendue
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.openapi import TAG_STRUCTURES
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.reglages import TAILLE_MAX_MULTIPART
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.structures import (
    CoordonneeBancaireSortie,
    CreationCoordonneeBancaire,
    CreationHabilitation,
    CreationJetonApi,
    CreationService,
    CreationStructure,
    DesignationGestionnaire,
    EspaceFraisDeJusticeEntree,
    EspaceTicEntree,
    HabilitationSortie,
    JetonApiCreeSortie,
    JetonApiSortie,
    ModificationService,
    ModificationStructure,
    PieceJointeSortie,
    RattachementSortie,
    ServiceSortie,
    StructureSortie,
    coordonnee_sortie,
    habilitation_sortie,
    jeton_cree_sortie,
    jeton_sortie,
    piece_sortie,
    rattachement_sortie,
    service_sortie,
    structure_sortie,
)
from chorus.adapters.web.services import ServicesWeb
from chorus.adapters.web.telechargements import reponse_piece
from chorus.domain.errors import (
    AccesRefuse,
    Conflit,
    ConflitDeVersion,
    FichierTropVolumineux,
    FormatNonAccepte,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.organisation import Rattachement, StatutRattachement, Structure
from chorus.domain.pieces import FormatFichier, TypePiece
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import Pagination

T = TypeVar("T")
U = TypeVar("U")

_Id = Annotated[str, PathParameter(max_length=64, description="Identifiant de la structure.")]
_IdService = Annotated[str, PathParameter(max_length=64, description="Identifiant du service.")]
_IdCoordonnee = Annotated[
    str, PathParameter(max_length=64, description="Identifiant des coordonnées bancaires.")
]
_IdRattachement = Annotated[
    str, PathParameter(max_length=64, description="Identifiant du rattachement.")
]
_IdHabilitation = Annotated[
    str, PathParameter(max_length=64, description="Identifiant de l'habilitation.")
]
_IdPiece = Annotated[str, PathParameter(max_length=64, description="Identifiant de la pièce.")]
_IdJeton = Annotated[str, PathParameter(max_length=64, description="Identifiant du jeton d'API.")]

_GESTION = (AccesRefuse, NonTrouve, ValidationError)
"""What a gestionnaire's action may answer besides its own conflicts."""


# -- answers ------------------------------------------------------------------------------


def _reponse_structure(
    structure: Structure, statut: int = HTTP_200_OK
) -> Response[StructureSortie]:
    """A structure with its version as ``ETag`` (for the next ``If-Match``)."""
    return Response(
        structure_sortie(structure), status_code=statut, headers=etag(structure.version)
    )


def _page(elements: Sequence[U], pagination: Pagination, convertir: Callable[[U], T]) -> PageDe[T]:
    """One page of a list held whole in memory (a structure's services, pièces…)."""
    debut = pagination.decalage
    return PageDe(
        elements=[convertir(e) for e in elements[debut : debut + pagination.par_page]],
        total=len(elements),
        page=pagination.page,
        par_page=pagination.par_page,
    )


@contextmanager
def _introuvable_si(champ: str) -> Iterator[None]:
    """An id taken from the path that names nothing in the structure: 404, not 422."""
    try:
        yield
    except ValidationError as erreur:
        if erreur.champ == champ:
            raise NonTrouve(erreur.message, champ=champ) from None
        raise


def _rattachement(structure: Structure, rattachement_id: str) -> Rattachement:
    for rattachement in structure.rattachements:
        if rattachement.id == rattachement_id:
            return rattachement
    raise NonTrouve("Cette demande de rattachement n'existe pas.", champ="rattachement_id")


def _utilisateur(services: ServicesWeb, utilisateur_id: str) -> Utilisateur | None:
    try:
        return services.utilisateurs.obtenir(utilisateur_id)
    except NonTrouve:
        return None


def _rattachement_sortie(
    services: ServicesWeb, structure: Structure, rattachement: Rattachement
) -> RattachementSortie:
    return rattachement_sortie(
        structure.id, rattachement, _utilisateur(services, rattachement.utilisateur_id)
    )


# -- bodies Litestar reads itself ---------------------------------------------------------


class DepotPiece(msgspec.Struct, forbid_unknown_fields=True):
    """The multipart form of a pièce: the file, its type and an optional désignation (the
    file name when absent)."""

    fichier: UploadFile
    type_piece: TypePiece
    designation: str | None = None


@dataclass
class OperationTelechargerPiece(Operation):
    """The file's own media type, one of the accepted formats."""

    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            reponse.description = "Le fichier, en pièce jointe (Content-Disposition)."
            reponse.content = {
                f.value: OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                )
                for f in FormatFichier
            }


# -- the controller -----------------------------------------------------------------------


class StructuresControleur(Controller):
    path = "/structures"
    tags = (TAG_STRUCTURES,)

    # -- the structure ----------------------------------------------------------------

    @post(
        "/",
        operation_id="creer_structure",
        summary="Créer une structure",
        description="Crée une structure (entreprise, particulier, association, entité "
        "publique) ; son créateur en devient le gestionnaire principal, avec toutes les "
        "habilitations. Le département est déduit du code postal. Un identifiant déjà "
        "enregistré est refusé (409) : demandez alors votre rattachement.",
        status_code=HTTP_201_CREATED,
        responses=reponses(AccesRefuse, Conflit, ValidationError),
        sync_to_thread=True,
    )
    def creer(
        self, services: Services, acteur: Acteur, data: JSONBody[CreationStructure]
    ) -> Response[StructureSortie]:
        structure = services.structures.creer(
            acteur.utilisateur.id,
            type_structure=data.type_structure,
            type_identifiant=data.type_identifiant,
            identifiant=data.identifiant,
            raison_sociale=data.raison_sociale,
            adresse=data.adresse.vers_domaine(),
        )
        return _reponse_structure(structure, HTTP_201_CREATED)

    @get(
        "/",
        operation_id="lister_structures",
        summary="Mes structures",
        description="Les structures que l'utilisateur gère ou sur lesquelles il a une "
        "habilitation, par raison sociale.",
        sync_to_thread=True,
    )
    def lister(
        self, services: Services, acteur: Acteur, pagination: PaginationDemandee
    ) -> PageDe[StructureSortie]:
        structures = services.structures.mes_structures(acteur.utilisateur.id)
        return _page(structures, pagination, structure_sortie)

    @get(
        "/{structure_id:str}",
        operation_id="obtenir_structure",
        summary="Consulter une structure",
        description="Identité, adresse, services, coordonnées bancaires et espaces. L'en-tête "
        "ETag porte la version (pour If-Match).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(
        self, services: Services, acteur: Acteur, structure_id: _Id
    ) -> Response[StructureSortie]:
        return _reponse_structure(services.structures.obtenir(acteur.utilisateur.id, structure_id))

    @patch(
        "/{structure_id:str}",
        operation_id="modifier_structure",
        summary="Modifier une structure",
        description="Raison sociale et adresse (remplacée en entier) ; un champ absent garde "
        "sa valeur. `recevoir_cycles_de_vie` (true ou false) active ou coupe l'option "
        "« Recevoir les cycles de vie » de l'espace Frais de justice (GET "
        "…/cycle-de-vie) ; l'espace doit être souscrit (409 sinon). Gestionnaire seulement. "
        "Avec If-Match, une version périmée est refusée (409) et rien ne change.",
        responses=reponses(*_GESTION, Conflit, ConflitDeVersion),
        sync_to_thread=True,
    )
    def modifier(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        version_attendue: VersionAttendue,
        data: JSONBody[ModificationStructure],
    ) -> Response[StructureSortie]:
        structure = services.structures.modifier(
            acteur.utilisateur.id,
            structure_id,
            raison_sociale=data.raison_sociale,
            adresse=None if data.adresse is None else data.adresse.vers_domaine(),
            recevoir_cycles_de_vie=data.recevoir_cycles_de_vie,
            version_attendue=version_attendue,
        )
        return _reponse_structure(structure)

    # -- services ---------------------------------------------------------------------

    @post(
        "/{structure_id:str}/services",
        operation_id="ajouter_service_structure",
        summary="Ajouter un service",
        description="Un service sert à orienter les mémoires dans la structure ; son code "
        "(mis en majuscules) est unique dans la structure (409 sinon). Gestionnaire "
        "seulement.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_GESTION, Conflit),
        sync_to_thread=True,
    )
    def ajouter_service(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: JSONBody[CreationService],
    ) -> Response[ServiceSortie]:
        structure = services.structures.ajouter_service(
            acteur.utilisateur.id, structure_id, code=data.code, libelle=data.libelle
        )
        # The domain appends the new service: it is the last one.
        return Response(
            service_sortie(structure.services[-1]),
            status_code=HTTP_201_CREATED,
            headers=etag(structure.version),
        )

    @get(
        "/{structure_id:str}/services",
        operation_id="lister_services_structure",
        summary="Services de la structure",
        description="Actifs et désactivés, dans l'ordre de création.",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def lister_services(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        pagination: PaginationDemandee,
    ) -> PageDe[ServiceSortie]:
        structure = services.structures.obtenir(acteur.utilisateur.id, structure_id)
        return _page(structure.services, pagination, service_sortie)

    @patch(
        "/{structure_id:str}/services/{service_id:str}",
        operation_id="modifier_service_structure",
        summary="Renommer, désactiver ou réactiver un service",
        description="Un service désactivé ne reçoit plus de nouveau mémoire. Un champ absent "
        "garde sa valeur. Gestionnaire seulement.",
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def modifier_service(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        service_id: _IdService,
        data: JSONBody[ModificationService],
    ) -> Response[ServiceSortie]:
        with _introuvable_si("service_id"):
            structure = services.structures.modifier_service(
                acteur.utilisateur.id,
                structure_id,
                service_id,
                libelle=data.libelle,
                actif=data.actif,
            )
        return Response(
            service_sortie(structure.service(service_id)), headers=etag(structure.version)
        )

    # -- bank details -----------------------------------------------------------------

    @post(
        "/{structure_id:str}/coordonnees-bancaires",
        operation_id="ajouter_coordonnee_bancaire",
        summary="Ajouter des coordonnées bancaires",
        description="IBAN (clé vérifiée), BIC, et le RIB : une pièce de la structure de type "
        "COORDONNEE_BANCAIRE déposée avant (POST …/pieces-jointes). Un IBAN déjà enregistré "
        "est refusé (409). Gestionnaire seulement.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_GESTION, Conflit),
        sync_to_thread=True,
    )
    def ajouter_coordonnee_bancaire(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: JSONBody[CreationCoordonneeBancaire],
    ) -> Response[CoordonneeBancaireSortie]:
        coordonnee = services.structures.ajouter_coordonnee_bancaire(
            acteur.utilisateur.id,
            structure_id,
            libelle=data.libelle,
            iban=data.iban,
            bic=data.bic,
            piece_jointe_id=data.piece_jointe_id,
        )
        return Response(coordonnee_sortie(coordonnee), status_code=HTTP_201_CREATED)

    @get(
        "/{structure_id:str}/coordonnees-bancaires",
        operation_id="lister_coordonnees_bancaires",
        summary="Coordonnées bancaires de la structure",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def lister_coordonnees_bancaires(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        pagination: PaginationDemandee,
    ) -> PageDe[CoordonneeBancaireSortie]:
        structure = services.structures.obtenir(acteur.utilisateur.id, structure_id)
        return _page(structure.coordonnees_bancaires, pagination, coordonnee_sortie)

    @delete(
        "/{structure_id:str}/coordonnees-bancaires/{coordonnee_id:str}",
        operation_id="retirer_coordonnee_bancaire",
        summary="Retirer des coordonnées bancaires",
        description="Les mémoires déjà envoyés gardent les leurs. Gestionnaire seulement.",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def retirer_coordonnee_bancaire(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        coordonnee_id: _IdCoordonnee,
    ) -> None:
        with _introuvable_si("coordonnee_bancaire_id"):
            services.structures.retirer_coordonnee_bancaire(
                acteur.utilisateur.id, structure_id, coordonnee_id
            )

    # -- espaces ----------------------------------------------------------------------

    @put(
        "/{structure_id:str}/espaces/frais-de-justice",
        operation_id="definir_espace_frais_de_justice",
        summary="Souscrire ou modifier l'espace Frais de justice",
        description="Catégorie de prestataire par défaut des nouveaux mémoires (référentiel "
        "categories-prestataire) et régime (INDEPENDANT ou COSP, obligatoire pour une "
        "structure de type PARTICULIER). Gestionnaire seulement.",
        status_code=HTTP_200_OK,
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def definir_espace_frais_de_justice(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: JSONBody[EspaceFraisDeJusticeEntree],
    ) -> Response[StructureSortie]:
        structure = services.structures.definir_espace_frais_de_justice(
            acteur.utilisateur.id,
            structure_id,
            categorie_prestataire=data.categorie_prestataire,
            regime=data.regime,
        )
        return _reponse_structure(structure)

    @put(
        "/{structure_id:str}/espaces/tic",
        operation_id="activer_espace_tic",
        summary="Souscrire l'espace TIC/TICGN",
        description="Corps : {} (sans option). Gestionnaire seulement.",
        status_code=HTTP_200_OK,
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def activer_espace_tic(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: JSONBody[EspaceTicEntree],
    ) -> Response[StructureSortie]:
        structure = services.structures.activer_espace_tic(acteur.utilisateur.id, structure_id)
        return _reponse_structure(structure)

    # -- rattachements ----------------------------------------------------------------

    @post(
        "/{structure_id:str}/rattachements",
        operation_id="demander_rattachement",
        summary="Demander son rattachement à la structure",
        description="L'utilisateur connecté demande à rejoindre la structure ; un "
        "gestionnaire valide ou refuse. 409 si l'utilisateur est déjà rattaché ou si sa "
        "demande est en cours. Ouvert à tout utilisateur qui connaît l'identifiant de la "
        "structure (comptes d'agents exceptés).",
        status_code=HTTP_201_CREATED,
        responses=reponses(AccesRefuse, NonTrouve, Conflit),
        sync_to_thread=True,
    )
    def demander_rattachement(
        self, services: Services, acteur: Acteur, structure_id: _Id
    ) -> Response[RattachementSortie]:
        qui = acteur.utilisateur
        structure = services.structures.demander_rattachement(qui.id, structure_id)
        rattachement = structure.rattachement_de(qui.id)
        assert rattachement is not None
        # Only the caller's own request is shown: they are not a member yet.
        return Response(
            rattachement_sortie(structure.id, rattachement, qui), status_code=HTTP_201_CREATED
        )

    @get(
        "/{structure_id:str}/rattachements",
        operation_id="lister_rattachements",
        summary="Rattachements de la structure",
        description="Demandes en cours, membres, refus et départs, avec l'adresse "
        "électronique et le nom de chacun ; filtre facultatif par statut. Gestionnaire "
        "seulement.",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def lister_rattachements(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        pagination: PaginationDemandee,
        statut: Annotated[
            StatutRattachement | None,
            QueryParameter(required=False, description="Seulement les rattachements de ce statut."),
        ] = None,
    ) -> PageDe[RattachementSortie]:
        qui = acteur.utilisateur.id
        structure = services.structures.obtenir_pour_gestion(qui, structure_id)
        retenus = [r for r in structure.rattachements if statut is None or r.statut is statut]
        return _page(retenus, pagination, lambda r: _rattachement_sortie(services, structure, r))

    @post(
        "/{structure_id:str}/rattachements/{rattachement_id:str}/validation",
        operation_id="valider_rattachement",
        summary="Valider une demande de rattachement",
        description="L'utilisateur devient membre, sans habilitation : accordez-la ensuite "
        "(POST …/habilitations). 409 pour une demande déjà traitée. Gestionnaire seulement.",
        status_code=HTTP_200_OK,
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide),
        sync_to_thread=True,
    )
    def valider_rattachement(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        rattachement_id: _IdRattachement,
    ) -> RattachementSortie:
        structure = services.structures.valider_rattachement(
            acteur.utilisateur.id, structure_id, rattachement_id
        )
        return _rattachement_sortie(services, structure, _rattachement(structure, rattachement_id))

    @post(
        "/{structure_id:str}/rattachements/{rattachement_id:str}/refus",
        operation_id="refuser_rattachement",
        summary="Refuser une demande de rattachement",
        description="409 pour une demande déjà traitée. Gestionnaire seulement.",
        status_code=HTTP_200_OK,
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide),
        sync_to_thread=True,
    )
    def refuser_rattachement(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        rattachement_id: _IdRattachement,
    ) -> RattachementSortie:
        structure = services.structures.refuser_rattachement(
            acteur.utilisateur.id, structure_id, rattachement_id
        )
        return _rattachement_sortie(services, structure, _rattachement(structure, rattachement_id))

    @post(
        "/{structure_id:str}/rattachements/{rattachement_id:str}/gestionnaire",
        operation_id="designer_gestionnaire",
        summary="Nommer un membre gestionnaire, ou lui retirer ce rôle",
        description="Corps {gestionnaire: true|false} (true par défaut). La structure garde "
        "toujours au moins un gestionnaire (422 sinon). Gestionnaire seulement.",
        status_code=HTTP_200_OK,
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def designer_gestionnaire(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        rattachement_id: _IdRattachement,
        data: JSONBody[DesignationGestionnaire],
    ) -> RattachementSortie:
        qui = acteur.utilisateur.id
        cible = _rattachement(services.structures.obtenir(qui, structure_id), rattachement_id)
        structure = services.structures.definir_gestionnaire(
            qui, structure_id, cible.utilisateur_id, gestionnaire=data.gestionnaire
        )
        return _rattachement_sortie(services, structure, _rattachement(structure, rattachement_id))

    @delete(
        "/{structure_id:str}/rattachements/{rattachement_id:str}",
        operation_id="detacher_membre",
        summary="Détacher un membre de la structure",
        description="Un gestionnaire détache un membre, ou un membre se détache lui-même ; "
        "ses habilitations disparaissent, le rattachement reste en trace (DESACTIVEE). Le "
        "dernier gestionnaire ne peut pas partir (422).",
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def detacher(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        rattachement_id: _IdRattachement,
    ) -> None:
        services.structures.detacher_rattachement(
            acteur.utilisateur.id, structure_id, rattachement_id
        )

    # -- habilitations ----------------------------------------------------------------

    @get(
        "/{structure_id:str}/habilitations",
        operation_id="lister_habilitations",
        summary="Habilitations accordées dans la structure",
        description="Gestionnaire seulement (chacun voit les siennes dans GET /moi).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def lister_habilitations(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        pagination: PaginationDemandee,
    ) -> PageDe[HabilitationSortie]:
        qui = acteur.utilisateur.id
        structure = services.structures.obtenir_pour_gestion(qui, structure_id)
        return _page(
            structure.habilitations,
            pagination,
            lambda h: habilitation_sortie(structure.id, h),
        )

    @post(
        "/{structure_id:str}/habilitations",
        operation_id="accorder_habilitation",
        summary="Accorder une habilitation",
        description="À un membre de la structure : une application (FRAIS_DE_JUSTICE ou "
        "TIC), un profil (CONSULTATION ou MODIFICATION), sur toute la structure ou un seul "
        "service. Accorder de nouveau pour la même application et le même service remplace "
        "le profil. On ne modifie pas ses propres habilitations (422). Gestionnaire "
        "seulement.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def accorder_habilitation(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: JSONBody[CreationHabilitation],
    ) -> Response[HabilitationSortie]:
        habilitation = services.structures.accorder_habilitation(
            acteur.utilisateur.id,
            structure_id,
            utilisateur_id=data.utilisateur_id,
            application=data.application,
            profil=data.profil,
            service_id=data.service_id,
        )
        return Response(
            habilitation_sortie(structure_id, habilitation), status_code=HTTP_201_CREATED
        )

    @delete(
        "/{structure_id:str}/habilitations/{habilitation_id:str}",
        operation_id="retirer_habilitation",
        summary="Retirer une habilitation",
        description="Gestionnaire seulement ; pas les siennes (422).",
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def retirer_habilitation(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        habilitation_id: _IdHabilitation,
    ) -> None:
        services.structures.retirer_habilitation(
            acteur.utilisateur.id, structure_id, habilitation_id
        )

    # -- pièces -----------------------------------------------------------------------

    @post(
        "/{structure_id:str}/pieces-jointes",
        operation_id="deposer_piece_structure",
        summary="Déposer une pièce réutilisable",
        description="Formulaire multipart/form-data : « fichier » (PDF, JPEG, PNG, TIFF, ODT, "
        "ODS, DOC(X), XLS(X), XML ou ZIP, reconnu sur son contenu — 415 sinon ; 10 Mo au "
        "plus — 413 sinon), « type_piece », « designation » facultative. Le nom du fichier "
        "est nettoyé (ni dossier, ni caractère réservé, 100 caractères au plus). Gestionnaire "
        "ou habilitation « Frais de justice modification » sur toute la structure.",
        status_code=HTTP_201_CREATED,
        request_max_body_size=TAILLE_MAX_MULTIPART,
        responses=reponses(*_GESTION, FichierTropVolumineux, FormatNonAccepte),
        sync_to_thread=True,
    )
    def deposer_piece(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: Annotated[DepotPiece, Body(media_type=RequestEncodingType.MULTI_PART.value)],
    ) -> Response[PieceJointeSortie]:
        try:
            contenu = data.fichier.file.read()
        finally:
            data.fichier.file.close()
        piece = services.structures.deposer_piece(
            acteur.utilisateur.id,
            structure_id,
            contenu=contenu,
            nom_fichier=data.fichier.filename or "",
            type_piece=data.type_piece,
            designation=data.designation,
        )
        return Response(piece_sortie(piece), status_code=HTTP_201_CREATED)

    @get(
        "/{structure_id:str}/pieces-jointes",
        operation_id="lister_pieces_structure",
        summary="Pièces réutilisables de la structure",
        description="Elles s'importent dans un mémoire (POST /memoires/{id}/pieces-jointes "
        "en JSON {piece_structure_id}).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def lister_pieces(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        pagination: PaginationDemandee,
    ) -> PageDe[PieceJointeSortie]:
        structure = services.structures.obtenir(acteur.utilisateur.id, structure_id)
        return _page(structure.pieces, pagination, piece_sortie)

    @get(
        "/{structure_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_structure",
        summary="Télécharger une pièce de la structure",
        description="Le fichier tel que déposé, avec le type de contenu reconnu au dépôt.",
        operation_class=OperationTelechargerPiece,
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        piece_id: _IdPiece,
    ) -> Response[bytes]:
        with _introuvable_si("piece_id"):
            piece, contenu = services.structures.lire_piece(
                acteur.utilisateur.id, structure_id, piece_id
            )
        return reponse_piece(piece, contenu)

    @delete(
        "/{structure_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="retirer_piece_structure",
        summary="Retirer une pièce de la structure",
        description="Les mémoires qui l'ont importée gardent leur copie. Le RIB de "
        "coordonnées bancaires enregistrées ne se retire pas (409) : retirez d'abord ces "
        "coordonnées.",
        responses=reponses(AccesRefuse, NonTrouve, Conflit),
        sync_to_thread=True,
    )
    def retirer_piece(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        piece_id: _IdPiece,
    ) -> None:
        with _introuvable_si("piece_id"):
            services.structures.retirer_piece(acteur.utilisateur.id, structure_id, piece_id)

    # -- API tokens -------------------------------------------------------------------

    @post(
        "/{structure_id:str}/jetons-api",
        operation_id="creer_jeton_api",
        summary="Créer un jeton d'API",
        description="Un jeton pour un logiciel agissant sur l'espace Frais de justice de la "
        "structure, avec un profil (CONSULTATION ou MODIFICATION), jusqu'à « expire_le » "
        "(instant futur avec décalage horaire, un an au plus). Le secret « jeton » n'est "
        "montré qu'ici, une fois : il s'envoie en « Authorization: Bearer <jeton> ». "
        "Gestionnaire seulement.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_GESTION),
        sync_to_thread=True,
    )
    def creer_jeton_api(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        data: JSONBody[CreationJetonApi],
    ) -> Response[JetonApiCreeSortie]:
        cree = services.comptes.creer_jeton_api(
            acteur.utilisateur.id,
            structure_id,
            libelle=data.libelle,
            profil=data.profil,
            expire_le=data.expire_le,
        )
        return Response(jeton_cree_sortie(cree), status_code=HTTP_201_CREATED)

    @get(
        "/{structure_id:str}/jetons-api",
        operation_id="lister_jetons_api",
        summary="Jetons d'API de la structure",
        description="Expirés compris, sans leur secret. Gestionnaire seulement.",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def lister_jetons_api(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        pagination: PaginationDemandee,
    ) -> PageDe[JetonApiSortie]:
        jetons = services.comptes.jetons_api(acteur.utilisateur.id, structure_id)
        return _page(jetons, pagination, jeton_sortie)

    @delete(
        "/{structure_id:str}/jetons-api/{jeton_id:str}",
        operation_id="revoquer_jeton_api",
        summary="Révoquer un jeton d'API",
        description="Le jeton cesse aussitôt d'authentifier (401). Gestionnaire seulement.",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def revoquer_jeton_api(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        jeton_id: _IdJeton,
    ) -> None:
        services.comptes.revoquer_jeton_api(acteur.utilisateur.id, structure_id, jeton_id)
