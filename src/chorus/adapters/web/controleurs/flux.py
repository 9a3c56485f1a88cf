"""Dépôt flux: a structure deposits a file of mémoires (JSON, XML or CSV, with a ZIP of
pièces beside it) and follows its integration.

The deposit answers 202 at once with the flux's number: the integration runs in the
background (the server's loop, `chorus flux traiter`), never in the request. The flux then
moves ``IN_RECU`` → ``IN_EN_TRAITEMENT`` → ``IN_INTEGRE`` | ``IN_INTEGRE_PARTIEL`` |
``IN_REJETE``; its report gives, per mémoire of the file, the number it was given or every
error with its position in the file and its field (also as CSV, ``Accept: text/csv``).

A flux is visible to the members of its structure holding a Frais de justice habilitation
(consultation reads, modification deposits); anyone else is told it does not exist (404).
The published JSON Schema and XSD of the formats are public.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import PurePath
from typing import Annotated, Any, cast

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import PathParameter, QueryParameter
from litestar.status_codes import HTTP_202_ACCEPTED

from chorus.adapters.web.csv_export import OperationAvecCsv, encoder, flux_csv, format_csv_demande
from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services
from chorus.adapters.web.problemes import RequeteInvalide, reponses
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.flux import (
    ENTETE_RAPPORT,
    FluxSortie,
    ResumeFluxSortie,
    flux_sortie,
    lignes_rapport,
    page_flux,
    resume_flux_sortie,
)
from chorus.domain.errors import (
    AccesRefuse,
    FichierTropVolumineux,
    NonTrouve,
    ValidationError,
)
from chorus.domain.flux.flux import FormatFlux
from chorus.services.flux import TAILLE_MAXIMUM_FICHIER, TAILLE_MAXIMUM_PIECES

TAG_FLUX = "Dépôt flux"

BASE_API = "/api/v1"
CHEMIN_FLUX = f"{BASE_API}/flux"

TAILLE_MAX_DEPOT = TAILLE_MAXIMUM_FICHIER + TAILLE_MAXIMUM_PIECES + 1024 * 1024
"""Largest deposit body: the file and the ZIP of pièces at their largest plus the form's
envelope (Litestar's default would refuse any body over 10 MiB). Within it, the use case
words the refusal of a file or a ZIP too large, naming it (413)."""

NumeroFlux = Annotated[
    str,
    PathParameter(max_length=64, description="Numéro du flux (FL, l'année et 9 chiffres)."),
]

_EXTENSIONS = {".json": FormatFlux.JSON, ".xml": FormatFlux.XML, ".csv": FormatFlux.CSV}
_POSSIBLES = ", ".join(f.value for f in FormatFlux)


# -- reading the form ---------------------------------------------------------------------


@dataclass(frozen=True)
class Depot:
    """What the deposit form carries, read and checked for its syntax."""

    structure_id: str
    format: FormatFlux
    nom_fichier: str
    contenu: bytes
    pieces: bytes | None
    envoi_direct: bool
    attestation_sur_honneur: bool


_CHAMPS_DU_FORMULAIRE = frozenset(
    {"fichier", "pieces", "structure_id", "format", "envoi_direct", "attestation_sur_honneur"}
)
_VRAI = frozenset({"true", "1", "oui", "on"})
_FAUX = frozenset({"false", "0", "non", "off", ""})


def _un_seul(formulaire: Any, nom: str) -> Any:
    valeurs = formulaire.getall(nom) if nom in formulaire else []
    if len(valeurs) > 1:
        raise RequeteInvalide(f"Le champ « {nom} » est envoyé plusieurs fois.", champ=nom)
    return valeurs[0] if valeurs else None


def _texte(formulaire: Any, nom: str) -> str | None:
    valeur = _un_seul(formulaire, nom)
    if valeur is not None and not isinstance(valeur, str):
        raise RequeteInvalide(f"Le champ « {nom} » doit être un texte, pas un fichier.", champ=nom)
    return valeur


def _booleen(formulaire: Any, nom: str) -> bool:
    valeur = _texte(formulaire, nom)
    if valeur is None:
        return False
    texte = valeur.strip().lower()
    if texte in _VRAI:
        return True
    if texte in _FAUX:
        return False
    raise RequeteInvalide(
        f"Valeur « {valeur.strip()[:20]} » invalide pour « {nom} » : true ou false.", champ=nom
    )


def lire_format(valeur: str | None, nom_fichier: str) -> FormatFlux:
    """The format named, or the one the file's extension tells; 422 naming `format` else."""
    if valeur is not None and valeur.strip():
        try:
            return FormatFlux(valeur.strip().upper())
        except ValueError:
            raise ValidationError(
                f"Format « {valeur.strip()[:20]} » inconnu ; formats possibles : {_POSSIBLES}.",
                champ="format",
            ) from None
    extension = PurePath(nom_fichier).suffix.lower()
    deduit = _EXTENSIONS.get(extension)
    if deduit is None:
        raise ValidationError(
            f"Indiquez le format du flux ({_POSSIBLES}) : il ne se déduit pas du nom du "
            f"fichier « {nom_fichier[:100]} ».",
            champ="format",
        )
    return deduit


async def _fichier(formulaire: Any, nom: str, *, requis: bool) -> tuple[str, bytes] | None:
    fichier = _un_seul(formulaire, nom)
    if fichier is None and not requis:
        return None
    if not isinstance(fichier, UploadFile):
        raise RequeteInvalide(
            f"Joignez le fichier dans la partie « {nom} » du formulaire (avec son nom).",
            champ=nom,
        )
    contenu = await fichier.read()
    await fichier.close()
    return fichier.filename or "", contenu


async def lire_depot(request: Request[Any, Any, Any]) -> Depot:
    """The deposit form; 415 for any other body, 400 for a malformed part, 422 for a
    format neither given nor told by the file's name."""
    type_de_contenu = request.content_type[0].lower()
    if type_de_contenu != "multipart/form-data":
        raise RequeteInvalide(
            f"Type de contenu « {type_de_contenu or 'absent'} » non accepté ici : envoyez "
            "« multipart/form-data » avec le flux dans la partie « fichier ».",
            champ="Content-Type",
            statut=415,
        )
    formulaire = await request.form()
    inconnus = sorted(set(formulaire.keys()) - _CHAMPS_DU_FORMULAIRE)
    if inconnus:
        raise RequeteInvalide(
            f"Champ inconnu « {inconnus[0]} » : retirez-le du formulaire.", champ=inconnus[0]
        )
    structure_id = _texte(formulaire, "structure_id")
    if structure_id is None or not structure_id.strip():
        raise RequeteInvalide(
            "Indiquez la structure qui dépose le flux (champ « structure_id »).",
            champ="structure_id",
        )
    envoi_direct = _booleen(formulaire, "envoi_direct")
    attestation = _booleen(formulaire, "attestation_sur_honneur")
    format_demande = _texte(formulaire, "format")
    fichier = await _fichier(formulaire, "fichier", requis=True)
    assert fichier is not None
    nom_fichier, contenu = fichier
    pieces = await _fichier(formulaire, "pieces", requis=False)
    return Depot(
        structure_id=structure_id.strip(),
        format=lire_format(format_demande, nom_fichier),
        nom_fichier=nom_fichier,
        contenu=contenu,
        pieces=None if pieces is None else pieces[1],
        envoi_direct=envoi_direct,
        attestation_sur_honneur=attestation,
    )


# -- OpenAPI ------------------------------------------------------------------------------


@dataclass
class OperationDeposerFlux(Operation):
    """The form the route reads itself (for refusals worded in French)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="Le flux et ses options (multipart/form-data).",
            content={
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["fichier", "structure_id"],
                        properties={
                            "fichier": Schema(
                                type=OpenAPIType.STRING,
                                format=OpenAPIFormat.BINARY,
                                description="Le flux : JSON, XML ou CSV (formats publiés sous "
                                "/flux/schemas/).",
                            ),
                            "pieces": Schema(
                                type=OpenAPIType.STRING,
                                format=OpenAPIFormat.BINARY,
                                description="Facultatif : une archive ZIP des pièces que le "
                                "flux annonce (par leur nom dans l'archive).",
                            ),
                            "structure_id": Schema(
                                type=OpenAPIType.STRING,
                                max_length=64,
                                description="La structure qui dépose.",
                            ),
                            "format": Schema(
                                type=OpenAPIType.STRING,
                                enum=[f.value for f in FormatFlux],
                                description="Facultatif : déduit de l'extension du fichier "
                                "(.json, .xml, .csv) à défaut.",
                            ),
                            "envoi_direct": Schema(
                                type=OpenAPIType.BOOLEAN,
                                description="Envoyer chaque mémoire intégré (sinon : "
                                "brouillons). false par défaut.",
                            ),
                            "attestation_sur_honneur": Schema(
                                type=OpenAPIType.BOOLEAN,
                                description="Obligatoire (true) avec envoi_direct : "
                                "l'attestation sur l'honneur de l'envoi.",
                            ),
                        },
                    )
                )
            },
        )


@dataclass
class OperationSchemaJson(Operation):
    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            reponse.description = "Le schéma JSON (2020-12) du format JSON des flux."
            reponse.content = {
                "application/schema+json": OpenAPIMediaType(schema=Schema(type=OpenAPIType.OBJECT))
            }


@dataclass
class OperationSchemaXsd(Operation):
    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            reponse.description = "Le schéma XML (XSD) du format XML des flux."
            reponse.content = {
                "application/xml": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
            }


def _schema_publie(nom: str) -> bytes:
    return resources.files("chorus.data.flux").joinpath(nom).read_bytes()


_CACHE_PUBLIC = {"Cache-Control": "public, max-age=3600"}


# -- the controller -----------------------------------------------------------------------


class FluxControleur(Controller):
    path = "/flux"
    tags = (TAG_FLUX,)

    @post(
        "/",
        operation_id="deposer_flux",
        summary="Déposer un flux de mémoires",
        description="En multipart/form-data : « fichier » (le flux JSON, XML ou CSV ; 50 Mo au "
        "plus), « pieces » (facultatif : ZIP des pièces annoncées ; 200 Mo au plus), "
        "« structure_id », « format » (JSON, XML ou CSV ; déduit de l'extension du fichier à "
        "défaut), « envoi_direct » et « attestation_sur_honneur » (obligatoire avec "
        "envoi_direct). Réponse 202 : le flux IN_RECU, numéroté ; l'intégration se fait "
        "ensuite en arrière-plan (GET /flux/{numero_flux} pour la suivre). Habilitation "
        "Frais de justice en modification requise.",
        status_code=HTTP_202_ACCEPTED,
        request_max_body_size=TAILLE_MAX_DEPOT,
        operation_class=OperationDeposerFlux,
        responses=reponses(AccesRefuse, NonTrouve, ValidationError, FichierTropVolumineux),
    )
    async def deposer(
        self, request: Request[Any, Any, Any], services: Services, acteur: Acteur
    ) -> Response[ResumeFluxSortie]:
        depot = await lire_depot(request)
        action = partial(
            services.flux.deposer,
            acteur.utilisateur.id,
            structure_id=depot.structure_id,
            format=depot.format,
            nom_fichier=depot.nom_fichier,
            contenu=depot.contenu,
            pieces=depot.pieces,
            envoi_direct=depot.envoi_direct,
            attestation_sur_honneur=depot.attestation_sur_honneur,
        )
        flux = await anyio.to_thread.run_sync(action)
        services.reveiller_flux()
        return Response(
            resume_flux_sortie(flux),
            status_code=HTTP_202_ACCEPTED,
            headers={"Location": f"{CHEMIN_FLUX}/{flux.numero}"},
        )

    @get(
        "/",
        operation_id="lister_flux",
        summary="Les flux d'une structure",
        description="Les flux déposés pour la structure, le plus récent d'abord, avec leur "
        "avancement (sans leur rapport). Habilitation Frais de justice requise.",
        responses=reponses(AccesRefuse, NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def lister(
        self,
        services: Services,
        acteur: Acteur,
        pagination: PaginationDemandee,
        structure_id: Annotated[
            str, QueryParameter(max_length=64, description="La structure dont lister les flux.")
        ],
    ) -> PageDe[ResumeFluxSortie]:
        return page_flux(services.flux.lister(acteur.utilisateur.id, structure_id, pagination))

    @get(
        "/{numero_flux:str}",
        operation_id="obtenir_flux",
        summary="Suivre un flux et lire son rapport",
        description="Le flux, son avancement (traites sur total) et son rapport dans l'ordre "
        "du fichier : pour chaque mémoire, le numéro attribué ou chaque erreur avec sa "
        "position dans le fichier (ligne) et son champ. Avec « Accept: text/csv » : le "
        "rapport en CSV (une ligne par erreur, une par mémoire intégré).",
        operation_class=OperationAvecCsv,
        responses=reponses(NonTrouve, 406),
        sync_to_thread=True,
    )
    def obtenir(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        numero_flux: NumeroFlux,
    ) -> Response[FluxSortie]:
        csv_demande = format_csv_demande(request)
        qui = acteur.utilisateur.id
        flux, rapport = services.flux.obtenir_avec_rapport(qui, numero_flux)
        if csv_demande:
            export = flux_csv(
                encoder(ENTETE_RAPPORT, lignes_rapport(rapport)), f"rapport-{flux.numero}.csv"
            )
            return cast("Response[FluxSortie]", export)
        return Response(flux_sortie(flux, rapport))

    @get(
        "/schemas/memoires.schema.json",
        operation_id="schema_json_flux",
        summary="Schéma JSON des flux",
        description="Le schéma JSON (2020-12) publié du format JSON des flux de mémoires.",
        operation_class=OperationSchemaJson,
        media_type="application/schema+json",
    )
    async def schema_json(self) -> Response[bytes]:
        return Response(
            _schema_publie("memoires.schema.json"),
            media_type="application/schema+json",
            headers=_CACHE_PUBLIC,
        )

    @get(
        "/schemas/memoires.xsd",
        operation_id="schema_xsd_flux",
        summary="Schéma XSD des flux",
        description="Le schéma XML (XSD) publié du format XML des flux de mémoires.",
        operation_class=OperationSchemaXsd,
        media_type="application/xml",
    )
    async def schema_xsd(self) -> Response[bytes]:
        return Response(
            _schema_publie("memoires.xsd"), media_type="application/xml", headers=_CACHE_PUBLIC
        )
