"""Batches of back-office status events: an agent of a juridiction or a comptable sends a
batch of processing events (the documented file format, as a JSON body or a CSV/JSON file),
reads its report again, and lists the events still waiting to apply.

Each event is checked as `POST /traitement/memoires/{id}/evenements` checks it — the role
the action needs, the agent's juridictions — and an event outside them is refused in the
report (the batch itself is accepted: 200 with the report). A file that cannot be read at
all: 422, nothing applied. See ``docs/statuts.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import PurePath
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.params import PathParameter
from litestar.status_codes import HTTP_200_OK

from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services
from chorus.adapters.web.openapi import TAG_TRAITEMENT
from chorus.adapters.web.problemes import RequeteInvalide, reponses
from chorus.adapters.web.requete import lire_json
from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.adapters.web.schemas.lots_statuts import (
    EvenementEnAttenteSortie,
    LotStatutsEntree,
    LotStatutsSortie,
    attente_sortie,
    lot_sortie,
)
from chorus.domain.errors import AccesRefuse, FichierTropVolumineux, NonTrouve, ValidationError
from chorus.domain.lots_statuts import CHAMPS_DU_LOT, FormatLot
from chorus.domain.traitement import ActionTraitement

TAILLE_MAX_LOT = 20 * 1024 * 1024
"""Largest batch body (a JSON document or a form with the file): about 100,000 events."""

NumeroLot = Annotated[
    str, PathParameter(max_length=64, description="Numéro du lot (LS et 9 chiffres).")
]

_EXTENSIONS = {".json": FormatLot.JSON, ".csv": FormatLot.CSV}
_POSSIBLES = ", ".join(f.value for f in FormatLot)
_CHAMPS_DU_FORMULAIRE = frozenset({"fichier", "format"})


@dataclass(frozen=True)
class Envoi:
    format: FormatLot
    contenu: bytes


def _un_seul(formulaire: Any, nom: str) -> Any:
    valeurs = formulaire.getall(nom) if nom in formulaire else []
    if len(valeurs) > 1:
        raise RequeteInvalide(f"Le champ « {nom} » est envoyé plusieurs fois.", champ=nom)
    return valeurs[0] if valeurs else None


def lire_format(valeur: str | None, nom_fichier: str) -> FormatLot:
    """The format named, or the one the file's extension tells; 422 naming `format` else."""
    if valeur is not None and valeur.strip():
        try:
            return FormatLot(valeur.strip().upper())
        except ValueError:
            raise ValidationError(
                f"Format « {valeur.strip()[:20]} » inconnu ; formats possibles : {_POSSIBLES}.",
                champ="format",
            ) from None
    deduit = _EXTENSIONS.get(PurePath(nom_fichier).suffix.lower())
    if deduit is None:
        raise ValidationError(
            f"Indiquez le format du lot ({_POSSIBLES}) : il ne se déduit pas du nom du "
            f"fichier « {nom_fichier[:100]} ».",
            champ="format",
        )
    return deduit


async def lire_envoi(request: Request[Any, Any, Any]) -> Envoi:
    """The batch: a JSON body, or the form's ``fichier`` (+ ``format``); 415 otherwise."""
    type_de_contenu = request.content_type[0].lower()
    if type_de_contenu == "application/json":
        corps = await request.body()
        # A malformed envelope is the request's fault (400), as for any JSON body.
        lire_json(corps, LotStatutsEntree)
        return Envoi(FormatLot.JSON, corps)
    if type_de_contenu != "multipart/form-data":
        raise RequeteInvalide(
            f"Type de contenu « {type_de_contenu or 'absent'} » non accepté ici : envoyez le "
            "lot en « application/json », ou en « multipart/form-data » avec le fichier dans "
            "la partie « fichier ».",
            champ="Content-Type",
            statut=415,
        )
    formulaire = await request.form()
    inconnus = sorted(set(formulaire.keys()) - _CHAMPS_DU_FORMULAIRE)
    if inconnus:
        raise RequeteInvalide(
            f"Champ inconnu « {inconnus[0]} » : retirez-le du formulaire.", champ=inconnus[0]
        )
    format_demande = _un_seul(formulaire, "format")
    if format_demande is not None and not isinstance(format_demande, str):
        raise RequeteInvalide("Le champ « format » doit être un texte.", champ="format")
    fichier = _un_seul(formulaire, "fichier")
    if not isinstance(fichier, UploadFile):
        raise RequeteInvalide(
            "Joignez le lot dans la partie « fichier » du formulaire (avec son nom).",
            champ="fichier",
        )
    contenu = await fichier.read()
    await fichier.close()
    return Envoi(lire_format(format_demande, fichier.filename or ""), contenu)


def _schema_evenement() -> Schema:
    texte = Schema(type=OpenAPIType.STRING)
    montant = Schema(
        one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NUMBER)],
        description="Montant en euros, deux décimales au plus (« 120.50 »).",
    )
    proprietes: dict[str, Reference | Schema] = {
        "numero_memoire": Schema(type=OpenAPIType.STRING, description="Numéro MJ du mémoire."),
        "action": Schema(type=OpenAPIType.STRING, enum=[a.value for a in ActionTraitement]),
        "date_evenement": Schema(
            type=OpenAPIType.STRING,
            format=OpenAPIFormat.DATE_TIME,
            description="Quand l'événement a eu lieu, avec son décalage horaire.",
        ),
        "reference_evenement": Schema(
            type=OpenAPIType.STRING, max_length=100, description="Identifie l'événement."
        ),
        "motif": texte,
        "montant_certifie": montant,
        "montant_paye": montant,
    }
    assert set(proprietes) == set(CHAMPS_DU_LOT)
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["numero_memoire", "action", "date_evenement", "reference_evenement"],
        properties=proprietes,
    )


@dataclass
class OperationImporterLot(Operation):
    """The body the route reads itself (positions and refusals worded in French)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="Le lot : un document JSON, ou un fichier CSV ou JSON "
            "(multipart/form-data). Formats : docs/statuts.md.",
            content={
                "application/json": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["evenements"],
                        properties={
                            "evenements": Schema(type=OpenAPIType.ARRAY, items=_schema_evenement())
                        },
                    )
                ),
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["fichier"],
                        properties={
                            "fichier": Schema(
                                type=OpenAPIType.STRING,
                                format=OpenAPIFormat.BINARY,
                                description="Le lot : CSV (séparateur « ; », ligne "
                                "d'en-tête) ou JSON.",
                            ),
                            "format": Schema(
                                type=OpenAPIType.STRING,
                                enum=[f.value for f in FormatLot],
                                description="Facultatif : déduit de l'extension du fichier "
                                "(.json, .csv) à défaut.",
                            ),
                        },
                    )
                ),
            },
        )


class LotsStatutsControleur(Controller):
    path = "/traitement"
    tags = (TAG_TRAITEMENT,)

    @post(
        "/lots-statuts",
        operation_id="importer_lot_statuts",
        summary="Importer un lot d'événements de traitement",
        description="Chaque événement s'applique une fois (sa reference_evenement), dans "
        "l'ordre des événements par mémoire (date_evenement, puis rang de l'action dans le "
        "cycle de vie, puis référence). Un événement qui ne peut pas encore s'appliquer est "
        "mis EN_ATTENTE et repris quand le mémoire change d'état ; un événement tardif ou "
        "impossible est REFUSE avec son motif. Réponse : le compte rendu, une ligne par "
        "événement. Fichier illisible ou lot vide : 422, rien n'est appliqué.",
        status_code=HTTP_200_OK,
        request_max_body_size=TAILLE_MAX_LOT,
        operation_class=OperationImporterLot,
        responses=reponses(AccesRefuse, ValidationError, FichierTropVolumineux, 415),
    )
    async def importer(
        self, request: Request[Any, Any, Any], services: Services, acteur: Acteur
    ) -> Response[LotStatutsSortie]:
        envoi = await lire_envoi(request)
        lot = await anyio.to_thread.run_sync(
            partial(
                services.lots_statuts.importer_fichier,
                envoi.contenu,
                envoi.format,
                acteur_id=acteur.utilisateur.id,
            )
        )
        return Response(lot_sortie(lot))

    @get(
        "/lots-statuts/{numero:str}",
        operation_id="obtenir_lot_statuts",
        summary="Relire le compte rendu d'un lot de statuts",
        description="Le compte rendu tel qu'établi à l'import : pour l'agent qui a envoyé le "
        "lot, ou un comptable de toutes les juridictions (404 pour tout autre).",
        responses=reponses(AccesRefuse, NonTrouve),
        sync_to_thread=True,
    )
    def obtenir(
        self, services: Services, acteur: Acteur, numero: NumeroLot
    ) -> Response[LotStatutsSortie]:
        return Response(lot_sortie(services.lots_statuts.obtenir(acteur.utilisateur.id, numero)))

    @get(
        "/evenements-en-attente",
        operation_id="lister_evenements_en_attente",
        summary="Lister les événements en attente",
        description="Les événements de lots qui attendent que leur mémoire atteigne un état "
        "qui les permette, pour les mémoires des juridictions de l'agent (toutes pour un "
        "comptable sans juridiction), par numéro de mémoire puis ordre des événements.",
        responses=reponses(AccesRefuse, ValidationError),
        sync_to_thread=True,
    )
    def en_attente(
        self, services: Services, acteur: Acteur, pagination: PaginationDemandee
    ) -> Response[PageDe[EvenementEnAttenteSortie]]:
        page = services.lots_statuts.en_attente(acteur.utilisateur.id, pagination)
        return Response(page_de(page, attente_sortie))
