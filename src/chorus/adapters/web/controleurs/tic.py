"""Demandes de remboursement partiel de TIC/TICGN (DémaTIC), for the demandeur: the public
rate and eligibility lookups, the draft, its invoice lines and pièces, sending and the
certificat de dépôt, duplication after a rejection, the search with its CSV, XLSX and ODS
exports, « Mon suivi » and the tableau de bord.

Reading needs the TIC habilitation « consultation » on the demande's structure, writing
« modification »; another structure's demande is « introuvable » (404). Every write to an
existing demande honours ``If-Match`` (a stale version: 409, nothing changed) and every
answer carrying a demande carries its ``ETag``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated, Any, TypeAlias, TypeVar, cast

import anyio.to_thread
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
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

from chorus.adapters.tableurs.demandes_tic import (
    ENTETES_DEMANDES_TIC,
    FEUILLE_DEMANDES_TIC,
    ligne_demande_tic,
)
from chorus.adapters.tableurs.formats import FormatTableur, exporter
from chorus.adapters.web.controleurs.memoires import OperationTelechargerPiece
from chorus.adapters.web.csv_export import MEDIA_TYPE_CSV
from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services, VersionAttendue
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.negociation import MEDIA_TYPE_JSON, format_demande
from chorus.adapters.web.problemes import RequeteInvalide, reponses
from chorus.adapters.web.reglages import TAILLE_MAX_JSON, TAILLE_MAX_MULTIPART
from chorus.adapters.web.requete import lire_json
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.memoires import ImportPieceEntree, PieceSortie, piece_sortie
from chorus.adapters.web.schemas.tic import (
    CreationDemandeTic,
    DemandeTicSortie,
    EligibiliteSortie,
    LigneTicSortie,
    ModificationDemandeTic,
    ResumeDemandeTicSortie,
    SaisieLigneTicEntree,
    SuiviTicSortie,
    TableauDeBordTicSortie,
    TauxSortie,
    compteurs_tic,
    demande_tic_sortie,
    eligibilite_sortie,
    evenement_suivi_sortie,
    liens_demande,
    ligne_tic_sortie,
    page_resumes_tic,
    taux_sortie,
    total_des,
)
from chorus.adapters.web.services import ServicesWeb
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
    ConflitDeVersion,
    FichierTropVolumineux,
    FormatNonAccepte,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.bareme import TauxNonPublie, produit_tic
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.requetes import Page
from chorus.ports.tic import FiltresDemandeTic, ResumeDemandeTic, TriTic

TAG_TIC = "TIC / TICGN"

BASE_API = "/api/v1"
CHEMIN_DEMANDES = f"{BASE_API}/tic/demandes"

ANNEE_MINIMUM = 1900
ANNEE_MAXIMUM = 2999
"""Years a query may name: anything beyond is no year of this portal (400)."""

# -- search criteria (shared with the back office) ----------------------------------------

_Texte = Annotated[str | None, QueryParameter(required=False, max_length=100)]
_Jour = Annotated[date | None, QueryParameter(required=False)]


def _critere(valeur: str | None) -> str | None:
    """An empty criterion (an HTML form's blank field) is no criterion."""
    if valeur is None or not valeur.strip():
        return None
    return valeur.strip()


def _statuts(valeurs: Sequence[str] | None) -> frozenset[StatutDemandeTic]:
    """``?statut=A&statut=B`` or ``?statut=A,B`` (or both); an unknown code is refused."""
    statuts: set[StatutDemandeTic] = set()
    for valeur in valeurs or ():
        for code in valeur.split(","):
            code = code.strip()
            if not code:
                continue
            try:
                statuts.add(StatutDemandeTic(code))
            except ValueError:
                possibles = ", ".join(s.value for s in StatutDemandeTic)
                raise ValidationError(
                    f"État « {code[:50]} » inconnu ; états possibles : {possibles}.",
                    champ="statut",
                ) from None
    return frozenset(statuts)


def fournir_filtres_tic(
    numero: _Texte = None,
    structure_id: _Texte = None,
    annee: Annotated[
        int | None,
        QueryParameter(
            required=False,
            ge=ANNEE_MINIMUM,
            le=ANNEE_MAXIMUM,
            description="Année des livraisons.",
        ),
    ] = None,
    produit: Annotated[
        str | None,
        QueryParameter(
            required=False,
            max_length=100,
            description="Code d'un produit (référentiel produits-tic) : les demandes ayant au "
            "moins une ligne de ce produit.",
        ),
    ] = None,
    statut: Annotated[
        list[str] | None,
        QueryParameter(
            required=False,
            description="État courant (référentiel statuts-demande-tic) ; répétable "
            "(?statut=A&statut=B) ou liste séparée par des virgules (?statut=A,B).",
        ),
    ] = None,
    date_depot_du: _Jour = None,
    date_depot_au: _Jour = None,
) -> FiltresDemandeTic:
    """The search criteria of ``GET /tic/demandes`` and ``GET /traitement/tic/demandes``."""
    code_produit = _critere(produit)
    return FiltresDemandeTic(
        numero=_critere(numero),
        structure_id=_critere(structure_id),
        annee=annee,
        produit=None if code_produit is None else produit_tic(code_produit),
        statuts=_statuts(statut),
        date_depot_du=date_depot_du,
        date_depot_au=date_depot_au,
    )


def fournir_tri_tic(
    texte: Annotated[
        str | None,
        QueryParameter(
            name="tri",
            required=False,
            description="Clé de tri (numero, annee, date_creation, date_depot, date_statut, "
            "montant_total, statut), précédée de « - » pour l'ordre décroissant ; par défaut "
            "-date_statut.",
        ),
    ] = None,
) -> TriTic:
    return TriTic.depuis(texte)


FiltresTic: TypeAlias = NamedDependency[FiltresDemandeTic]
TriTicDemande: TypeAlias = NamedDependency[TriTic]

DEPENDANCES_RECHERCHE = {
    "filtres_tic": Provide(fournir_filtres_tic, sync_to_thread=False),
    "tri_tic": Provide(fournir_tri_tic, sync_to_thread=False),
}


# -- exports ------------------------------------------------------------------------------

MEDIA_TYPE_XLSX = FormatTableur.XLSX.type_media
MEDIA_TYPE_ODS = FormatTableur.ODS.type_media
FORMATS_RECHERCHE = (MEDIA_TYPE_JSON, MEDIA_TYPE_CSV, MEDIA_TYPE_XLSX, MEDIA_TYPE_ODS)


def export_demandes_tic(
    format_: str,
    resumes: Iterable[ResumeDemandeTic],
    noms: Mapping[str, tuple[str, str]] | None = None,
) -> Response[bytes]:
    """Every demande of a search as a file of `format_` (CSV, XLSX or ODS): the same rows
    and columns in each."""
    format_tableur = FormatTableur.du_type_media(format_)
    assert format_tableur is not None, format_
    lignes = (ligne_demande_tic(r, noms) for r in resumes)
    contenu = exporter(format_tableur, ENTETES_DEMANDES_TIC, lignes, feuille=FEUILLE_DEMANDES_TIC)
    nom = f"demandes-tic{format_tableur.extension}"
    return Response(
        contenu,
        media_type=format_tableur.type_media,
        headers={"Content-Disposition": f'attachment; filename="{nom}"'},
    )


@dataclass
class OperationAvecExports(Operation):
    """A search whose 200 answer is JSON, or a CSV, XLSX or ODS file by ``Accept``."""

    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            contenu = dict(reponse.content or {})
            contenu[MEDIA_TYPE_CSV] = OpenAPIMediaType(
                schema=Schema(
                    type=OpenAPIType.STRING,
                    description="Export CSV (UTF-8 avec BOM, séparateur « ; », virgule "
                    "décimale, dates JJ/MM/AAAA) de tous les résultats, sans pagination.",
                )
            )
            for media in (MEDIA_TYPE_XLSX, MEDIA_TYPE_ODS):
                contenu[media] = OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                )
            reponse.content = contenu
            reponse.description = (
                f"{reponse.description} — JSON ; avec l'en-tête Accept, tous les résultats en "
                "CSV (text/csv), XLSX ou ODS (mêmes lignes et colonnes)."
            )


def repondre_recherche_tic(
    request: Request[Any, Any, Any],
    rechercher: Callable[[], Page[ResumeDemandeTic]],
    tous: Callable[[], Sequence[ResumeDemandeTic]],
    noms: Callable[[], Mapping[str, tuple[str, str]]] | None = None,
) -> Response[PageDe[ResumeDemandeTicSortie]]:
    """The page asked for, or — by ``Accept`` — every match as a file (406 for any other
    format). `rechercher()` gives the page, `tous()` every match, `noms()` the structures'
    names for the files."""
    format_ = format_demande(request, FORMATS_RECHERCHE)
    if format_ == MEDIA_TYPE_JSON:
        return Response(page_resumes_tic(rechercher()))
    reponse = export_demandes_tic(format_, tous(), None if noms is None else noms())
    return cast("Response[PageDe[ResumeDemandeTicSortie]]", reponse)


# -- bodies read strictly -----------------------------------------------------------------

T = TypeVar("T")


async def corps_strict(request: Request[Any, Any, Any], type_: type[T]) -> T:
    """The JSON body decoded strictly: Litestar's own decoding converts ``"2023"`` to an
    integer and ``"true"`` to a boolean, and an attestation must be the JSON ``true``
    itself (the handler's ``data`` parameter still documents and pre-validates the body)."""
    return lire_json(await request.body(), type_)


def modifier_entete(
    services: ServicesWeb,
    acteur_id: str,
    demande_id: str,
    modification: ModificationDemandeTic,
    version_attendue: int | None,
) -> DemandeTic:
    """The PATCH: the fields given applied over the en-tête read, at the version read (so
    that a change made meanwhile is refused with 409 rather than overwritten)."""
    actuelle = services.tic.obtenir(acteur_id, demande_id)
    return services.tic.modifier_entete(
        acteur_id,
        demande_id,
        modification.appliquee_a(actuelle),
        version_attendue=actuelle.version if version_attendue is None else version_attendue,
    )


# -- answers ------------------------------------------------------------------------------


def reponse_demande(demande: DemandeTic, statut: int = HTTP_200_OK) -> Response[DemandeTicSortie]:
    """A demande with its version as ``ETag`` (for the next ``If-Match``)."""
    sortie = demande_tic_sortie(demande, liens_demande(demande, CHEMIN_DEMANDES, demandeur=True))
    return Response(sortie, status_code=statut, headers=etag(demande.version))


# -- pièces: the two bodies of the upload route -------------------------------------------

_SCHEMA_NUMERO_LIGNE = Schema(
    type=OpenAPIType.INTEGER,
    minimum=1,
    description="La ligne (la facture) à laquelle la pièce se rattache ; absente : toute la "
    "demande.",
)


@dataclass
class OperationJoindrePieceTic(Operation):
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
                        required=["fichier"],
                        properties={
                            "fichier": Schema(
                                type=OpenAPIType.STRING,
                                format=OpenAPIFormat.BINARY,
                                description="PDF, JPEG, PNG, TIFF, ODT, ODS, DOC(X), XLS(X), "
                                "XML ou ZIP ; 10 Mo au plus.",
                            ),
                            "type_piece": Schema(
                                type=OpenAPIType.STRING,
                                enum=[t.value for t in TypePiece],
                                default=TypePiece.FACTURE.value,
                            ),
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


_CHAMPS_DU_FORMULAIRE = frozenset({"fichier", "type_piece", "designation", "numero_ligne"})


@dataclass(frozen=True)
class _Televersement:
    contenu: bytes
    nom_fichier: str
    type_piece: TypePiece
    designation: str | None
    numero_ligne: int | None


def _un_seul(formulaire: Any, nom: str) -> Any:
    valeurs = formulaire.getall(nom) if nom in formulaire else []
    if len(valeurs) > 1:
        raise RequeteInvalide(f"Le champ « {nom} » est envoyé plusieurs fois.", champ=nom)
    return valeurs[0] if valeurs else None


def _numero_ligne(valeur: Any) -> int | None:
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return None
    if isinstance(valeur, str):
        texte = valeur.strip()
        if texte.isascii() and texte.isdigit() and len(texte) <= 9:
            return int(texte)
    raise RequeteInvalide("Le numéro de ligne doit être un entier (1, 2, …).", champ="numero_ligne")


def _type_piece(valeur: Any) -> TypePiece:
    """The type of an uploaded pièce: an invoice unless said otherwise."""
    if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
        return TypePiece.FACTURE
    if isinstance(valeur, str):
        try:
            return TypePiece(valeur.strip())
        except ValueError:
            pass
    possibles = ", ".join(t.value for t in TypePiece)
    raise RequeteInvalide(
        f"Type de pièce « {str(valeur)[:50]} » inconnu ; types possibles : {possibles}.",
        champ="type_piece",
    )


async def _lire_televersement(request: Request[Any, Any, Any]) -> _Televersement:
    formulaire = await request.form()
    inconnus = sorted(set(formulaire.keys()) - _CHAMPS_DU_FORMULAIRE)
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
    type_piece = _type_piece(_un_seul(formulaire, "type_piece"))
    designation = _un_seul(formulaire, "designation")
    if designation is not None and not isinstance(designation, str):
        raise RequeteInvalide("La désignation doit être un texte.", champ="designation")
    numero_ligne = _numero_ligne(_un_seul(formulaire, "numero_ligne"))
    contenu = await fichier.read()
    await fichier.close()
    return _Televersement(
        contenu=contenu,
        nom_fichier=fichier.filename or "",
        type_piece=type_piece,
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


# -- the controllers ----------------------------------------------------------------------

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant de la demande.")]
_PIECE = Annotated[str, PathParameter(max_length=64, description="Identifiant de la pièce jointe.")]
_LIGNE = Annotated[int, PathParameter(ge=1, le=1_000_000, description="Numéro de la ligne.")]
_ANNEE = Annotated[
    int | None,
    QueryParameter(
        required=False,
        ge=ANNEE_MINIMUM,
        le=ANNEE_MAXIMUM,
        description="Année de livraison (facultative avec date).",
    ),
]

_ECRITURE = (
    AccesRefuse,
    NonTrouve,
    TransitionInvalide,
    ConflitDeVersion,
    Conflit,
    ValidationError,
)
_REFUS_TELECHARGEMENT = {**reponses(AccesRefuse, NonTrouve, TransitionInvalide), **NON_MODIFIE}


class TicControleur(Controller):
    path = "/tic"
    tags = (TAG_TIC,)
    dependencies = DEPENDANCES_RECHERCHE

    # -- public information -----------------------------------------------------------

    @get(
        "/eligibilite",
        operation_id="eligibilite_tic",
        summary="Éligibilité d'un siège social à une campagne",
        description="Si un siège social situé à ce code postal peut déposer une demande de "
        "remboursement TIC/TICGN pendant la campagne (l'année en cours par défaut) ; sinon "
        "le motif. Campagne 2015 : 7 départements pilotes ; 2016 et 2017 : 20 départements ; "
        "à partir de 2018 : toute la métropole, Corse comprise (jamais l'outre-mer). Code "
        "postal invalide : 422.",
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def eligibilite(
        self,
        services: Services,
        code_postal: Annotated[
            str, QueryParameter(max_length=20, description="Code postal du siège social.")
        ],
        campagne: Annotated[
            int | None,
            QueryParameter(
                required=False,
                ge=ANNEE_MINIMUM,
                le=ANNEE_MAXIMUM,
                description="Campagne (année où elle ouvre) ; par défaut l'année en cours.",
            ),
        ] = None,
    ) -> EligibiliteSortie:
        return eligibilite_sortie(services.tic.eligibilite(code_postal, campagne))

    @get(
        "/taux",
        operation_id="taux_tic",
        summary="Taux de remboursement d'un produit",
        description="Le taux publié pour les livraisons d'une année (annee) ou d'un jour "
        "(date), avec son unité et sa référence légale ; « periodes » liste les taux de "
        "l'année quand il a changé en cours d'année (GPL 2018 : à partir du 1er avril). "
        "Aucun taux publié : 404 « taux non publié » (jamais deviné). Produit inconnu, ou "
        "ni annee ni date : 422.",
        responses=reponses(NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def taux(
        self,
        services: Services,
        produit: Annotated[
            str,
            QueryParameter(
                max_length=100, description="Code du produit (référentiel produits-tic)."
            ),
        ],
        annee: _ANNEE = None,
        # Named as the query parameter: Litestar names a refused parameter by its Python name.
        date: Annotated[
            date | None,
            QueryParameter(
                required=False, description="Date de livraison : le taux en vigueur ce jour-là."
            ),
        ] = None,
    ) -> TauxSortie:
        jour = date
        code = produit_tic(produit)
        if jour is not None and annee is not None and jour.year != annee:
            raise ValidationError(
                f"La date {jour:%d/%m/%Y} n'est pas dans l'année {annee}.", champ="date"
            )
        try:
            if jour is not None:
                retenu = services.tic.taux_au(code, jour)
                return taux_sortie(jour.year, retenu)
            if annee is None:
                raise ValidationError(
                    "Précisez l'année de livraison (annee) ou le jour (date).", champ="annee"
                )
            de_l_annee = services.tic.taux(code, annee)
        except TauxNonPublie as erreur:
            # A rate the portal does not know is a resource that does not exist.
            raise NonTrouve(erreur.message, champ=erreur.champ) from None
        return taux_sortie(annee, de_l_annee[-1], de_l_annee)

    # -- the draft --------------------------------------------------------------------

    @post(
        "/demandes",
        operation_id="creer_demande_tic",
        summary="Créer une demande de remboursement (brouillon)",
        description="Crée un brouillon numéroté DT… pour une structure (SIRET, espace TIC "
        "ouvert, siège dans un département de la campagne) où l'utilisateur a "
        "l'habilitation TIC « modification ». annee : l'année des livraisons, écoulée et "
        "déposable jusqu'au 31 décembre N+3. Une seule demande par structure et par année, "
        "sauf après un rejet (409). L'attestation de non-difficulté doit valoir true.",
        status_code=HTTP_201_CREATED,
        responses=reponses(AccesRefuse, NonTrouve, Conflit, ValidationError),
    )
    async def creer(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        data: JSONBody[CreationDemandeTic],
    ) -> Response[DemandeTicSortie]:
        saisie = (await corps_strict(request, CreationDemandeTic)).en_saisie()
        demande = await anyio.to_thread.run_sync(services.tic.creer, acteur.utilisateur.id, saisie)
        return reponse_demande(demande, HTTP_201_CREATED)

    @get(
        "/demandes/{demande_id:str}",
        operation_id="obtenir_demande_tic",
        summary="Consulter une demande",
        description="En-tête, lignes avec leur taux et montant, pièces jointes, montant "
        "total, état, historique et, après l'envoi, certificat de dépôt. L'en-tête ETag "
        "porte la version (pour If-Match).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(
        self, services: Services, acteur: Acteur, demande_id: _ID
    ) -> Response[DemandeTicSortie]:
        return reponse_demande(services.tic.obtenir(acteur.utilisateur.id, demande_id))

    @patch(
        "/demandes/{demande_id:str}",
        operation_id="modifier_demande_tic",
        summary="Modifier l'en-tête d'un brouillon",
        description="Un champ absent garde sa valeur. Une nouvelle année doit contenir la "
        "livraison de chaque ligne. Brouillon seulement (409 sinon).",
        responses=reponses(*_ECRITURE),
    )
    async def modifier(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        version_attendue: VersionAttendue,
        data: JSONBody[ModificationDemandeTic],
    ) -> Response[DemandeTicSortie]:
        modification = await corps_strict(request, ModificationDemandeTic)
        demande = await anyio.to_thread.run_sync(
            partial(
                modifier_entete,
                services,
                acteur.utilisateur.id,
                demande_id,
                modification,
                version_attendue,
            )
        )
        return reponse_demande(demande)

    @delete(
        "/demandes/{demande_id:str}",
        operation_id="supprimer_demande_tic",
        summary="Supprimer un brouillon",
        description="Brouillon seulement : une demande envoyée reste consultable 10 ans (409).",
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def supprimer(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        version_attendue: VersionAttendue,
    ) -> None:
        services.tic.supprimer(acteur.utilisateur.id, demande_id, version_attendue=version_attendue)

    # -- lines ------------------------------------------------------------------------

    @post(
        "/demandes/{demande_id:str}/lignes",
        operation_id="ajouter_ligne_tic",
        summary="Ajouter une ligne (une facture)",
        description="Le taux est celui publié pour le produit à la date de livraison (dans "
        "l'année de la demande) ; montant = quantité convertie dans l'unité du taux × taux, "
        "arrondi au centime. Aucun taux publié : 422 « taux non publié ». 50 lignes au plus ; "
        "une même facture (numéro, fournisseur, produit) une seule fois (409). L'ETag est la "
        "nouvelle version de la demande.",
        status_code=HTTP_201_CREATED,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def ajouter_ligne(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        version_attendue: VersionAttendue,
        data: JSONBody[SaisieLigneTicEntree],
    ) -> Response[LigneTicSortie]:
        demande, ligne = services.tic.ajouter_ligne(
            acteur.utilisateur.id, demande_id, data.en_saisie(), version_attendue=version_attendue
        )
        return Response(
            ligne_tic_sortie(ligne), status_code=HTTP_201_CREATED, headers=etag(demande.version)
        )

    @put(
        "/demandes/{demande_id:str}/lignes/{numero_ligne:int}",
        operation_id="modifier_ligne_tic",
        summary="Remplacer une ligne",
        description="Brouillon seulement (409 sinon) ; taux et montant recalculés.",
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def modifier_ligne(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        numero_ligne: _LIGNE,
        version_attendue: VersionAttendue,
        data: JSONBody[SaisieLigneTicEntree],
    ) -> Response[LigneTicSortie]:
        demande, ligne = services.tic.modifier_ligne(
            acteur.utilisateur.id,
            demande_id,
            numero_ligne,
            data.en_saisie(),
            version_attendue=version_attendue,
        )
        return Response(ligne_tic_sortie(ligne), headers=etag(demande.version))

    @delete(
        "/demandes/{demande_id:str}/lignes/{numero_ligne:int}",
        operation_id="supprimer_ligne_tic",
        summary="Supprimer une ligne",
        description="Brouillon seulement (409 sinon) ; les pièces de la ligne restent, "
        "rattachées à toute la demande.",
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def supprimer_ligne(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        numero_ligne: _LIGNE,
        version_attendue: VersionAttendue,
    ) -> Response[None]:
        demande = services.tic.supprimer_ligne(
            acteur.utilisateur.id, demande_id, numero_ligne, version_attendue=version_attendue
        )
        return Response(None, status_code=HTTP_204_NO_CONTENT, headers=etag(demande.version))

    # -- pièces -----------------------------------------------------------------------

    @post(
        "/demandes/{demande_id:str}/pieces-jointes",
        operation_id="joindre_piece_tic",
        summary="Joindre une pièce (fichier ou pièce de la structure)",
        description="En multipart/form-data : « fichier » (type reconnu sur le contenu, 10 Mo "
        "au plus), « type_piece » (FACTURE par défaut), « designation », « numero_ligne » "
        "facultatif (la facture d'une ligne ; sans : toute la demande). En JSON : "
        "{piece_structure_id, numero_ligne?} importe une pièce de la structure. Brouillon "
        "seulement (409 sinon).",
        status_code=HTTP_201_CREATED,
        request_max_body_size=TAILLE_MAX_MULTIPART,
        operation_class=OperationJoindrePieceTic,
        responses=reponses(*_ECRITURE, FichierTropVolumineux, FormatNonAccepte),
    )
    async def joindre_piece(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        version_attendue: VersionAttendue,
    ) -> Response[PieceSortie]:
        # One path, two bodies: the handler reads the body itself by its Content-Type (and
        # OperationJoindrePieceTic documents both), as the mémoires' route does.
        type_de_contenu = request.content_type[0].lower()
        qui = acteur.utilisateur.id
        if type_de_contenu == "multipart/form-data":
            envoi = await _lire_televersement(request)
            action = partial(
                services.tic.joindre_piece,
                qui,
                demande_id,
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
                services.tic.importer_piece,
                qui,
                demande_id,
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
        "/demandes/{demande_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_tic",
        summary="Télécharger une pièce jointe",
        description="Le fichier tel que déposé, avec son type de contenu.",
        operation_class=OperationTelechargerPiece,
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self, services: Services, acteur: Acteur, demande_id: _ID, piece_id: _PIECE
    ) -> Response[bytes]:
        piece, contenu = services.tic.lire_piece(acteur.utilisateur.id, demande_id, piece_id)
        return reponse_piece(piece, contenu)

    @delete(
        "/demandes/{demande_id:str}/pieces-jointes/{piece_id:str}",
        operation_id="retirer_piece_tic",
        summary="Retirer une pièce jointe",
        description="D'un brouillon seulement (409 sinon).",
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion),
        sync_to_thread=True,
    )
    def retirer_piece(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        piece_id: _PIECE,
        version_attendue: VersionAttendue,
    ) -> Response[None]:
        demande = services.tic.retirer_piece(
            acteur.utilisateur.id, demande_id, piece_id, version_attendue=version_attendue
        )
        return Response(None, status_code=HTTP_204_NO_CONTENT, headers=etag(demande.version))

    # -- sending and after ------------------------------------------------------------

    @post(
        "/demandes/{demande_id:str}/envoi",
        operation_id="envoyer_demande_tic",
        summary="Envoyer la demande",
        description="Au moins une ligne, la facture de chaque ligne jointe (sur la ligne ou "
        "sur la demande), dans le délai de dépôt (422 sinon). La demande devient ENVOYEE et "
        "ne change plus ; le RIB est joint, le certificat de dépôt (empreinte) délivré et "
        "archivé en PDF.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def envoyer(
        self,
        services: Services,
        acteur: Acteur,
        demande_id: _ID,
        version_attendue: VersionAttendue,
    ) -> Response[DemandeTicSortie]:
        demande = services.tic.envoyer(
            acteur.utilisateur.id, demande_id, version_attendue=version_attendue
        )
        return reponse_demande(demande)

    @post(
        "/demandes/{demande_id:str}/duplication",
        operation_id="dupliquer_demande_tic",
        summary="Dupliquer une demande rejetée",
        description="Un nouveau brouillon reprenant l'en-tête, les lignes (aux taux publiés) "
        "et les pièces de la demande rejetée (parent_id renseigné), à corriger puis envoyer. "
        "Demande rejetée seulement (409 sinon).",
        status_code=HTTP_201_CREATED,
        responses=reponses(AccesRefuse, NonTrouve, TransitionInvalide, Conflit, ValidationError),
        sync_to_thread=True,
    )
    def dupliquer(
        self, services: Services, acteur: Acteur, demande_id: _ID
    ) -> Response[DemandeTicSortie]:
        copie = services.tic.dupliquer(acteur.utilisateur.id, demande_id)
        return reponse_demande(copie, HTTP_201_CREATED)

    @get(
        "/demandes/{demande_id:str}/certificat-depot",
        operation_id="telecharger_certificat_depot_tic",
        summary="Télécharger le certificat de dépôt (PDF)",
        description="Le certificat de dépôt tel qu'il a été produit à l'envoi, octet pour "
        "octet (« Exporter en pdf »). ETag : SHA-256 du fichier ; If-None-Match → 304. "
        "Demande envoyée seulement (409 pour un brouillon).",
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
        document = services.tic.certificat_depot(acteur.utilisateur.id, demande_id)
        return reponse_pdf(document, si_aucun_correspond)

    # -- search and follow-up ---------------------------------------------------------

    @get(
        "/demandes",
        operation_id="rechercher_demandes_tic",
        summary="Rechercher des demandes",
        description="Les demandes des structures où l'utilisateur a une habilitation TIC, "
        "répondant à tous les critères. Avec « Accept: text/csv », « Accept: application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet » (XLSX) ou « Accept: "
        "application/vnd.oasis.opendocument.spreadsheet » (ODS) : export de tous les "
        "résultats (page et par_page ignorés), mêmes lignes et colonnes dans les trois "
        "formats.",
        operation_class=OperationAvecExports,
        responses=reponses(ValidationError, 406),
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
        return repondre_recherche_tic(
            request,
            lambda: services.tic.rechercher(qui, filtres_tic, tri_tic, pagination),
            lambda: services.tic.tous(qui, filtres_tic, tri_tic),
            lambda: {
                s.id: (s.identifiant, s.raison_sociale)
                for s in services.structures.mes_structures(qui)
            },
        )

    @get(
        "/suivi",
        operation_id="suivi_tic",
        summary="Mon suivi : les derniers événements",
        description="Les derniers changements d'état des demandes des structures de "
        "l'utilisateur, les plus récents d'abord (limite : 1 à 500, 50 par défaut).",
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def suivi(
        self,
        services: Services,
        acteur: Acteur,
        limite: Annotated[
            int,
            QueryParameter(ge=1, le=500, required=False, description="Nombre d'événements."),
        ] = 50,
    ) -> SuiviTicSortie:
        evenements = services.tic.suivi(acteur.utilisateur.id, limite)
        return SuiviTicSortie(evenements=[evenement_suivi_sortie(e) for e in evenements])


class TableauDeBordTicControleur(Controller):
    path = "/tableau-de-bord/tic"
    tags = (TAG_TIC,)

    @get(
        "/",
        operation_id="tableau_de_bord_tic",
        summary="Tableau de bord des demandes TIC",
        description="Pour chaque structure où l'utilisateur a une habilitation TIC, le "
        "nombre de demandes dans chaque état (tous les états, zéros compris) et leur total.",
        sync_to_thread=True,
    )
    def tableau_de_bord(self, services: Services, acteur: Acteur) -> list[TableauDeBordTicSortie]:
        qui = acteur.utilisateur.id
        comptes = services.tic.tableau_de_bord(qui)
        noms = {s.id: s.raison_sociale for s in services.structures.mes_structures(qui)}
        return [
            TableauDeBordTicSortie(
                structure_id=structure_id,
                raison_sociale=noms.get(structure_id),
                statuts=compteurs_tic(par_statut),
                total=total_des(par_statut),
            )
            for structure_id, par_statut in sorted(
                comptes.items(), key=lambda e: (noms.get(e[0], ""), e[0])
            )
        ]
