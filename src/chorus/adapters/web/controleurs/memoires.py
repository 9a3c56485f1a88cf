"""Mémoires de frais de justice, for the prestataire: the draft, its lines and pièces,
sending, what follows a refusal or a suspension, the history, the search and the synthèse.

Every write to an existing mémoire honours ``If-Match`` (a stale version: 409, nothing
changed) and every answer carrying a mémoire carries its ``ETag``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated, Any, cast

import anyio.to_thread
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from chorus.adapters.web.csv_export import (
    PAGE_EXPORT,
    OperationAvecCsv,
    export_memoires,
    format_csv_demande,
)
from chorus.adapters.web.dependances import (
    Acteur,
    Filtres,
    PaginationDemandee,
    Services,
    TriDemande,
    VersionAttendue,
)
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.openapi import TAG_CONSULTATION, TAG_MEMOIRES
from chorus.adapters.web.problemes import RequeteInvalide, reponses
from chorus.adapters.web.reglages import TAILLE_MAX_JSON, TAILLE_MAX_MULTIPART
from chorus.adapters.web.requete import lire_json
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.memoires import (
    ComplementEntree,
    CreationMemoire,
    EnvoiEntree,
    EvenementHistoriqueSortie,
    ImportPieceEntree,
    LigneSortie,
    MemoireSortie,
    ModificationMemoire,
    PieceSortie,
    ResumeMemoireSortie,
    SaisieLigneEntree,
    SyntheseSortie,
    historique_sortie,
    ligne_sortie,
    memoire_sortie,
    page_resumes,
    piece_sortie,
    synthese_sortie,
)
from chorus.adapters.web.telechargements import reponse_piece
from chorus.domain.errors import (
    AccesRefuse,
    ConflitDeVersion,
    FichierTropVolumineux,
    FormatNonAccepte,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.memoire import Memoire
from chorus.domain.pieces import FormatFichier, TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import (
    PAR_PAGE_MAXIMUM,
    FiltresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
)

# -- search criteria (shared with the back office) ----------------------------------------

CritereTexte = Annotated[str | None, QueryParameter(required=False, max_length=100)]
_Jour = Annotated[date | None, QueryParameter(required=False)]


def critere(valeur: str | None) -> str | None:
    """An empty criterion (an HTML form's blank field) is no criterion."""
    if valeur is None or not valeur.strip():
        return None
    return valeur.strip()


def fournir_filtres(
    numero: CritereTexte = None,
    structure_id: CritereTexte = None,
    service_id: CritereTexte = None,
    juridiction_code: CritereTexte = None,
    numero_engagement_juridique: CritereTexte = None,
    categorie_prestataire: CritereTexte = None,
    texte_reference: CritereTexte = None,
    numero_affaire: CritereTexte = None,
    statut: Annotated[
        list[StatutMemoire] | None,
        QueryParameter(
            required=False, description="État courant ; répétable (?statut=A&statut=B)."
        ),
    ] = None,
    date_depot_du: _Jour = None,
    date_depot_au: _Jour = None,
    date_statut_du: Annotated[
        date | None,
        QueryParameter(
            required=False,
            description="Date de mise à jour de l'état (et non de l'événement), à partir du.",
        ),
    ] = None,
    date_statut_au: _Jour = None,
) -> FiltresMemoire:
    """The search criteria of ``GET /memoires`` and ``GET /traitement/memoires``."""
    return FiltresMemoire(
        numero=critere(numero),
        structure_id=critere(structure_id),
        service_id=critere(service_id),
        juridiction_code=critere(juridiction_code),
        numero_engagement_juridique=critere(numero_engagement_juridique),
        categorie_prestataire=critere(categorie_prestataire),
        texte_reference=critere(texte_reference),
        numero_affaire=critere(numero_affaire),
        statuts=frozenset(statut or ()),
        date_depot_du=date_depot_du,
        date_depot_au=date_depot_au,
        date_statut_du=date_statut_du,
        date_statut_au=date_statut_au,
    )


FILTRES = {"filtres": Provide(fournir_filtres, sync_to_thread=False)}


# -- answers ------------------------------------------------------------------------------


def reponse_memoire(memoire: Memoire, statut: int = HTTP_200_OK) -> Response[MemoireSortie]:
    """A mémoire with its version as ``ETag`` (for the next ``If-Match``)."""
    return Response(memoire_sortie(memoire), status_code=statut, headers=etag(memoire.version))


# -- OpenAPI of the two routes Litestar cannot describe from their signature -------------

_SCHEMA_TYPE_PIECE = Schema(type=OpenAPIType.STRING, enum=[t.value for t in TypePiece])
_SCHEMA_NUMERO_LIGNE = Schema(
    type=OpenAPIType.INTEGER,
    minimum=1,
    description="La ligne à laquelle la pièce se rattache ; absente : tout le mémoire.",
)


@dataclass
class OperationJoindrePiece(Operation):
    """The two bodies the route reads, chosen by ``Content-Type``: a file upload
    (``multipart/form-data``) or the import of a pièce of the structure (JSON)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="Un fichier (multipart/form-data) ou une pièce de la structure à "
            "importer (JSON).",
            content={
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["fichier", "type_piece"],
                        properties={
                            "fichier": Schema(
                                type=OpenAPIType.STRING,
                                format=OpenAPIFormat.BINARY,
                                description="PDF, JPEG, PNG, TIFF, ODT, ODS, DOC(X), XLS(X), "
                                "XML ou ZIP ; 10 Mo au plus.",
                            ),
                            "type_piece": _SCHEMA_TYPE_PIECE,
                            "designation": Schema(type=OpenAPIType.STRING, max_length=200),
                            "numero_ligne": _SCHEMA_NUMERO_LIGNE,
                        },
                    )
                ),
                "application/json": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["piece_structure_id"],
                        additional_properties=False,
                        properties={
                            "piece_structure_id": Schema(type=OpenAPIType.STRING),
                            "numero_ligne": Schema(
                                one_of=[_SCHEMA_NUMERO_LIGNE, Schema(type=OpenAPIType.NULL)]
                            ),
                        },
                    )
                ),
            },
        )


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


# -- reading the two bodies of the pièces route -------------------------------------------


def _un_seul(formulaire: Any, nom: str) -> Any:
    valeurs = formulaire.getall(nom) if nom in formulaire else []
    if len(valeurs) > 1:
        raise RequeteInvalide(f"Le champ « {nom} » est envoyé plusieurs fois.", champ=nom)
    return valeurs[0] if valeurs else None


def _numero_ligne(valeur: Any) -> int | None:
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return None
    if isinstance(valeur, str) and valeur.strip().isascii() and valeur.strip().isdigit():
        texte = valeur.strip()
        if len(texte) <= 9:
            return int(texte)
    raise RequeteInvalide("Le numéro de ligne doit être un entier (1, 2, …).", champ="numero_ligne")


@dataclass(frozen=True)
class _Televersement:
    contenu: bytes
    nom_fichier: str
    type_piece: TypePiece
    designation: str | None
    numero_ligne: int | None


_CHAMPS_DU_FORMULAIRE = frozenset({"fichier", "type_piece", "designation", "numero_ligne"})


async def _lire_televersement(request: Request[Any, Any, Any]) -> _Televersement:
    formulaire = await request.form()
    inconnus = sorted(
        set(formulaire.keys()) - {"fichier", "type_piece", "designation", "numero_ligne"}
    )
    if inconnus:
        raise RequeteInvalide(
            f"Champ inconnu « {inconnus[0]} » : retirez-le du formulaire.", champ=inconnus[0]
        )
    fichier = _un_seul(formulaire, "fichier")
    if not isinstance(fichier, UploadFile):
        raise RequeteInvalide(
            "Joignez le fichier dans la partie « fichier » du formulaire (avec son nom).",
            champ="fichier",
        )
    type_piece = _un_seul(formulaire, "type_piece")
    if not isinstance(type_piece, str) or not type_piece.strip():
        raise RequeteInvalide("Précisez le type de la pièce.", champ="type_piece")
    try:
        genre = TypePiece(type_piece.strip())
    except ValueError:
        possibles = ", ".join(t.value for t in TypePiece)
        raise RequeteInvalide(
            f"Type de pièce « {type_piece[:50]} » inconnu ; types possibles : {possibles}.",
            champ="type_piece",
        ) from None
    designation = _un_seul(formulaire, "designation")
    if designation is not None and not isinstance(designation, str):
        raise RequeteInvalide("La désignation doit être un texte.", champ="designation")
    numero_ligne = _numero_ligne(_un_seul(formulaire, "numero_ligne"))
    contenu = await fichier.read()
    await fichier.close()
    return _Televersement(
        contenu=contenu,
        nom_fichier=fichier.filename or "",
        type_piece=genre,
        designation=designation,
        numero_ligne=numero_ligne,
    )


async def _lire_import(request: Request[Any, Any, Any]) -> ImportPieceEntree:
    corps = await request.body()
    reglages = request.app.state.get("reglages")
    limite = getattr(reglages, "taille_max_json", TAILLE_MAX_JSON)
    if len(corps) > limite:
        raise RequeteInvalide(
            "Le corps de la requête dépasse la taille maximale acceptée.",
            champ="corps",
            statut=413,
        )
    return lire_json(corps, ImportPieceEntree)


# -- the controller -----------------------------------------------------------------------

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant du mémoire.")]
_PIECE = Annotated[str, PathParameter(max_length=64, description="Identifiant de la pièce jointe.")]
_LIGNE = Annotated[int, PathParameter(ge=1, le=1_000_000, description="Numéro de la ligne.")]

_ECRITURE = (AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion, ValidationError)


def repondre_recherche(
    request: Request[Any, Any, Any],
    rechercher: Callable[[Pagination], Page[ResumeMemoire]],
    pagination: Pagination,
) -> Response[PageDe[ResumeMemoireSortie]]:
    """What a search route answers: the page asked for, or — with ``Accept: text/csv`` —
    every match as a streamed CSV. The first page is read before streaming starts, so that
    a refusal (criteria, habilitation) is answered as a problem, not cut into a file."""
    if format_csv_demande(request):
        export = export_memoires(rechercher(Pagination(1, PAGE_EXPORT)), rechercher)
        return cast("Response[PageDe[ResumeMemoireSortie]]", export)
    return Response(page_resumes(rechercher(pagination)))


class MemoiresControleur(Controller):
    path = "/memoires"
    tags = (TAG_MEMOIRES,)
    dependencies = FILTRES

    # -- the draft --------------------------------------------------------------------

    @post(
        "/",
        operation_id="creer_memoire",
        summary="Créer un mémoire (brouillon)",
        description="Crée un brouillon numéroté TMP… pour une structure où l'utilisateur a "
        "l'habilitation « modification ». La catégorie de prestataire par défaut est celle "
        "de l'espace Frais de justice de la structure.",
        status_code=HTTP_201_CREATED,
        responses=reponses(AccesRefuse, NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def creer(
        self, services: Services, acteur: Acteur, data: JSONBody[CreationMemoire]
    ) -> Response[MemoireSortie]:
        memoire = services.memoires.creer(acteur.utilisateur.id, data.en_domaine())
        return reponse_memoire(memoire, HTTP_201_CREATED)

    @get(
        "/{memoire_id:str}",
        operation_id="obtenir_memoire",
        summary="Consulter un mémoire",
        description="En-tête, lignes, pièces jointes, totaux, état et, après l'envoi, "
        "certificat de dépôt. L'en-tête ETag porte la version (pour If-Match).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(
        self, services: Services, acteur: Acteur, memoire_id: _ID
    ) -> Response[MemoireSortie]:
        return reponse_memoire(services.memoires.obtenir(acteur.utilisateur.id, memoire_id))

    @patch(
        "/{memoire_id:str}",
        operation_id="modifier_memoire",
        summary="Modifier l'en-tête d'un brouillon",
        description="Un champ absent garde sa valeur, null efface un champ facultatif. "
        "Brouillon seulement (409 sinon).",
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def modifier(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
        data: JSONBody[ModificationMemoire],
    ) -> Response[MemoireSortie]:
        memoire = services.memoires.modifier_entete(
            acteur.utilisateur.id,
            memoire_id,
            data.appliquee_a,
            version_attendue=version_attendue,
        )
        return reponse_memoire(memoire)

    @delete(
        "/{memoire_id:str}",
        operation_id="supprimer_memoire",
        summary="Supprimer un brouillon",
        description="Brouillon seulement : un mémoire transmis reste consultable 10 ans (409).",
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def supprimer(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
    ) -> None:
        services.memoires.supprimer(
            acteur.utilisateur.id, memoire_id, version_attendue=version_attendue
        )

    # -- lines ------------------------------------------------------------------------

    @post(
        "/{memoire_id:str}/lignes",
        operation_id="ajouter_ligne_memoire",
        summary="Ajouter une ligne de prestation",
        description="Montants par ligne arrondis au centime : base HT = quantité × tarif HT "
        "+ frais divers ; TVA = base × taux ; TTC = base + TVA + débours. L'ETag est la "
        "nouvelle version du mémoire.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def ajouter_ligne(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
        data: JSONBody[SaisieLigneEntree],
    ) -> Response[LigneSortie]:
        memoire = services.memoires.ajouter_ligne(
            acteur.utilisateur.id, memoire_id, data.en_domaine(), version_attendue=version_attendue
        )
        # The new line took the next number: the highest.
        ligne = max(memoire.lignes, key=lambda x: x.numero_ligne)
        return Response(
            ligne_sortie(ligne), status_code=HTTP_201_CREATED, headers=etag(memoire.version)
        )

    @put(
        "/{memoire_id:str}/lignes/{numero_ligne:int}",
        operation_id="modifier_ligne_memoire",
        summary="Remplacer une ligne de prestation",
        description="Brouillon seulement (409 sinon).",
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def modifier_ligne(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        numero_ligne: _LIGNE,
        version_attendue: VersionAttendue,
        data: JSONBody[SaisieLigneEntree],
    ) -> Response[LigneSortie]:
        memoire = services.memoires.modifier_ligne(
            acteur.utilisateur.id,
            memoire_id,
            numero_ligne,
            data.en_domaine(),
            version_attendue=version_attendue,
        )
        return Response(ligne_sortie(memoire.ligne(numero_ligne)), headers=etag(memoire.version))

    @delete(
        "/{memoire_id:str}/lignes/{numero_ligne:int}",
        operation_id="supprimer_ligne_memoire",
        summary="Supprimer une ligne de prestation",
        description="Brouillon seulement (409 sinon) ; les pièces de la ligne restent, "
        "rattachées à tout le mémoire.",
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def supprimer_ligne(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        numero_ligne: _LIGNE,
        version_attendue: VersionAttendue,
    ) -> Response[None]:
        memoire = services.memoires.supprimer_ligne(
            acteur.utilisateur.id, memoire_id, numero_ligne, version_attendue=version_attendue
        )
        return Response(None, status_code=HTTP_204_NO_CONTENT, headers=etag(memoire.version))

    # -- pièces -----------------------------------------------------------------------

    @post(
        "/{memoire_id:str}/pieces-jointes",
        operation_id="joindre_piece_memoire",
        summary="Joindre une pièce (fichier ou pièce de la structure)",
        description="En multipart/form-data : « fichier » (type reconnu sur le contenu, 10 Mo "
        "au plus), « type_piece », « designation », « numero_ligne » facultatif. En JSON : "
        "{piece_structure_id, numero_ligne?} importe une pièce de la structure. Sur un "
        "brouillon, ou en complément d'un mémoire suspendu.",
        status_code=HTTP_201_CREATED,
        request_max_body_size=TAILLE_MAX_MULTIPART,
        operation_class=OperationJoindrePiece,
        responses=reponses(*_ECRITURE, FichierTropVolumineux, FormatNonAccepte),
    )
    async def joindre_piece(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
    ) -> Response[PieceSortie]:
        # One path, two bodies: Litestar binds one body type per handler, so this handler
        # reads the body itself by its Content-Type (and OperationJoindrePiece documents both).
        type_de_contenu = request.content_type[0].lower()
        qui = acteur.utilisateur.id
        if type_de_contenu == "multipart/form-data":
            envoi = await _lire_televersement(request)
            action = partial(
                services.memoires.joindre_piece,
                qui,
                memoire_id,
                contenu=envoi.contenu,
                nom_fichier=envoi.nom_fichier,
                type_piece=envoi.type_piece,
                designation=envoi.designation,
                numero_ligne=envoi.numero_ligne,
                version_attendue=version_attendue,
            )
        elif type_de_contenu == "application/json":
            entree = await _lire_import(request)
            action = partial(
                services.memoires.importer_piece,
                qui,
                memoire_id,
                entree.piece_structure_id,
                numero_ligne=entree.numero_ligne,
                version_attendue=version_attendue,
            )
        else:
            raise RequeteInvalide(
                f"Type de contenu « {type_de_contenu or 'absent'} » non accepté ici : envoyez "
                "« multipart/form-data » (un fichier) ou « application/json » (une pièce de la "
                "structure).",
                champ="Content-Type",
                statut=415,
            )
        piece = await anyio.to_thread.run_sync(action)
        return Response(piece_sortie(piece), status_code=HTTP_201_CREATED)

    @get(
        "/{memoire_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_memoire",
        summary="Télécharger une pièce jointe",
        description="Le fichier tel que déposé, avec son type de contenu.",
        operation_class=OperationTelechargerPiece,
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        piece_id: _PIECE,
    ) -> Response[bytes]:
        piece, contenu = services.memoires.lire_piece(acteur.utilisateur.id, memoire_id, piece_id)
        return reponse_piece(piece, contenu)

    @delete(
        "/{memoire_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="retirer_piece_memoire",
        summary="Retirer une pièce jointe",
        description="D'un brouillon, ou un complément pas encore transmis d'un mémoire "
        "suspendu (409 sinon).",
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def retirer_piece(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        piece_id: _PIECE,
        version_attendue: VersionAttendue,
    ) -> Response[None]:
        memoire = services.memoires.retirer_piece(
            acteur.utilisateur.id, memoire_id, piece_id, version_attendue=version_attendue
        )
        return Response(None, status_code=HTTP_204_NO_CONTENT, headers=etag(memoire.version))

    # -- sending and after ------------------------------------------------------------

    @post(
        "/{memoire_id:str}/envoi",
        operation_id="envoyer_memoire",
        summary="Valider et envoyer",
        description="Avec l'attestation sur l'honneur (true ; sinon 422). Attribue le numéro "
        "définitif MJ…, joint le RIB et délivre le certificat de dépôt (empreinte).",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def envoyer(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
        data: JSONBody[EnvoiEntree | None] = None,
    ) -> Response[MemoireSortie]:
        # No body attests nothing: the use case refuses it naming `attestation_sur_honneur`.
        attestation = data.attestation_sur_honneur if data is not None else False
        memoire = services.memoires.envoyer(
            acteur.utilisateur.id,
            memoire_id,
            attestation_sur_honneur=attestation,
            version_attendue=version_attendue,
        )
        return reponse_memoire(memoire)

    @post(
        "/{memoire_id:str}/complement",
        operation_id="completer_memoire",
        summary="Compléter un mémoire suspendu",
        description="Transmet le commentaire et les pièces ajoutées depuis la suspension : "
        "SUSPENDU → COMPLETE.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def completer(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
        data: JSONBody[ComplementEntree],
    ) -> Response[MemoireSortie]:
        memoire = services.memoires.completer(
            acteur.utilisateur.id,
            memoire_id,
            commentaire=data.commentaire,
            version_attendue=version_attendue,
        )
        return reponse_memoire(memoire)

    @post(
        "/{memoire_id:str}/abandon",
        operation_id="abandonner_memoire",
        summary="Abandonner un mémoire refusé",
        description="REFUSE → ABANDONNE.",
        status_code=HTTP_200_OK,
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def abandonner(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
    ) -> Response[MemoireSortie]:
        memoire = services.memoires.abandonner(
            acteur.utilisateur.id, memoire_id, version_attendue=version_attendue
        )
        return reponse_memoire(memoire)

    @post(
        "/{memoire_id:str}/duplication",
        operation_id="dupliquer_memoire",
        summary="Dupliquer un mémoire",
        description="Un nouveau brouillon, lignes et pièces comprises (parent_id renseigné) ; "
        "un mémoire refusé passe à l'état DUPLIQUE_POST_REFUS.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def dupliquer(
        self,
        services: Services,
        acteur: Acteur,
        memoire_id: _ID,
        version_attendue: VersionAttendue,
    ) -> Response[MemoireSortie]:
        copie = services.memoires.dupliquer(
            acteur.utilisateur.id, memoire_id, version_attendue=version_attendue
        )
        return reponse_memoire(copie, HTTP_201_CREATED)

    @get(
        "/{memoire_id:str}/historique",
        operation_id="historique_memoire",
        summary="Historique d'un mémoire",
        description="Chaque changement d'état : état, acteur, motif, date de l'événement et "
        "date de mise à jour dans le portail.",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def historique(
        self, services: Services, acteur: Acteur, memoire_id: _ID
    ) -> list[EvenementHistoriqueSortie]:
        memoire = services.memoires.obtenir(acteur.utilisateur.id, memoire_id)
        return [historique_sortie(e) for e in memoire.historique]

    # -- search and synthèse ----------------------------------------------------------

    @get(
        "/",
        operation_id="rechercher_memoires",
        summary="Rechercher des mémoires",
        description="Les mémoires visibles de l'utilisateur répondant à tous les critères. "
        "Avec « Accept: text/csv » : export CSV de tous les résultats (page et par_page "
        "ignorés).",
        operation_class=OperationAvecCsv,
        responses=reponses(ValidationError, 406),
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
            lambda page: services.consultation.rechercher(qui, filtres, tri, page),
            pagination,
        )

    @get(
        "/synthese",
        operation_id="synthese_memoires",
        summary="Synthèse : ce qui attend une action",
        description="Les brouillons, les mémoires suspendus et les mémoires refusés, les plus "
        "récents d'abord (par_statut par état).",
        tags=[TAG_MEMOIRES, TAG_CONSULTATION],
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def synthese(
        self,
        services: Services,
        acteur: Acteur,
        par_statut: Annotated[
            int,
            QueryParameter(
                ge=1,
                le=PAR_PAGE_MAXIMUM,
                required=False,
                description="Mémoires montrés par état.",
            ),
        ] = 10,
    ) -> SyntheseSortie:
        return synthese_sortie(services.consultation.synthese(acteur.utilisateur.id, par_statut))
