"""The cycle-de-vie feed of a structure: the status events of its mémoires, in the order the
portal recorded them, read with a cursor (``GET /structures/{id}/cycle-de-vie``) or
exported as a file from a cursor on (``…/cycle-de-vie/export``), for structures that opted
in (« Recevoir les cycles de vie »: ``PATCH /structures/{id}``).

Who may read it is the use case's business (`CycleDeVieService`): outside the structure 404,
a member without a Frais de justice habilitation on the whole structure 403, a structure
that did not opt in 409, a cursor that is not one of this structure 422 naming ``apres``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, get
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
)
from litestar.params import PathParameter, QueryParameter
from litestar.response import Stream

from chorus.adapters.tableurs.cycle_de_vie import Export, FormatCycleDeVie, nom_de_fichier
from chorus.adapters.web.dependances import Acteur, Services
from chorus.adapters.web.openapi import TAG_STRUCTURES
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.cycle_de_vie import CycleDeVieSortie
from chorus.domain.cycle_de_vie import LIMITE_MAXIMUM, LIMITE_PAR_DEFAUT
from chorus.domain.errors import AccesRefuse, Conflit, NonTrouve, ValidationError

_Id = Annotated[str, PathParameter(max_length=64, description="Identifiant de la structure.")]
_Apres = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=400,
        description="Le curseur de la réponse précédente (champ `curseur`, ou celui de la "
        "dernière ligne d'un export) ; absent : depuis le premier événement.",
    ),
]

_REFUS = (AccesRefuse, NonTrouve, Conflit, ValidationError)


@dataclass
class OperationExport(Operation):
    """The export's 200 answer is a file, CSV or JSON lines as `format` asks (Litestar
    cannot derive those media types from a `Stream`)."""

    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            reponse.description = "Le fichier, en pièce jointe (Content-Disposition)."
            reponse.content = {
                f.media_type: OpenAPIMediaType(
                    schema=Schema(type=OpenAPIType.STRING, description=f"format={f.value}")
                )
                for f in FormatCycleDeVie
            }


class CycleDeVieControleur(Controller):
    path = "/structures/{structure_id:str}/cycle-de-vie"
    tags = (TAG_STRUCTURES,)

    @get(
        "/",
        operation_id="cycle_de_vie_structure",
        summary="Cycle de vie des mémoires de la structure",
        description="Les changements d'état des mémoires de la structure (brouillons "
        "exclus), dans l'ordre où le portail les a enregistrés : `{evenements: [{curseur, "
        "numero_memoire, memoire_id, statut, libelle_statut, date, motif, montant, "
        "service_id}], curseur}`. Passez `curseur` en `apres` à l'appel suivant : aucun "
        "événement n'est sauté ni répété, même enregistré entre deux appels ; sans "
        "nouveauté, la liste est vide et le curseur inchangé. Réservé aux structures ayant "
        "activé « Recevoir les cycles de vie » (409 sinon, PATCH /structures/{id} avec "
        '`{"recevoir_cycles_de_vie": true}`), à leur gestionnaire et aux utilisateurs '
        "habilités « Frais de justice » sur toute la structure. Curseur non reconnu : 422 "
        "nommant `apres`.",
        responses=reponses(*_REFUS),
        sync_to_thread=True,
    )
    def lire(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        apres: _Apres = None,
        limite: Annotated[
            int,
            QueryParameter(
                ge=1,
                le=LIMITE_MAXIMUM,
                required=False,
                description=f"Événements au plus (1 à {LIMITE_MAXIMUM}).",
            ),
        ] = LIMITE_PAR_DEFAUT,
    ) -> CycleDeVieSortie:
        page = services.cycle_de_vie.lire(acteur.utilisateur.id, structure_id, apres, limite)
        return CycleDeVieSortie.depuis(page)

    @get(
        "/export",
        operation_id="exporter_cycle_de_vie_structure",
        summary="Exporter le cycle de vie des mémoires de la structure",
        description="Tous les événements enregistrés après `apres` (depuis le premier sans "
        "lui), en fichier : CSV français (`format=csv`, par défaut : UTF-8 avec BOM, `;`, "
        "virgule décimale) ou JSON lines (`format=json` : un événement par ligne, les champs "
        "de GET …/cycle-de-vie). Chaque ligne porte son curseur : celui de la dernière "
        "ligne est l'`apres` du prochain export. Mêmes droits et refus que la lecture.",
        responses=reponses(*_REFUS),
        operation_class=OperationExport,
        sync_to_thread=True,
    )
    def exporter(
        self,
        services: Services,
        acteur: Acteur,
        structure_id: _Id,
        apres: _Apres = None,
        format_: Annotated[
            FormatCycleDeVie,
            QueryParameter(name="format", required=False, description="csv (par défaut) ou json."),
        ] = FormatCycleDeVie.CSV,
    ) -> Stream:
        # The first page is read here: a refusal is answered before the first byte.
        pages = services.cycle_de_vie.pages(acteur.utilisateur.id, structure_id, apres)
        export = Export(pages, format_)
        return Stream(
            export.morceaux(),
            media_type=format_.media_type,
            headers={
                "Content-Disposition": "attachment; "
                f'filename="{nom_de_fichier(structure_id, format_)}"'
            },
        )
