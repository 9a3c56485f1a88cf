"""A sent mémoire's documents, for the prestataire: the certificat de dépôt (the PDF stored at
sending, byte for byte), the mémoire as sent, and the Archives tab of what was transmitted
over the last ten years.

The documents exist once the mémoire is sent (a draft: 409). Who may read the mémoire may
download them: a member habilitated on its structure (and service); the agents of its
juridiction have their own routes under ``/traitement/memoires``, as they have for the
mémoire itself.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.params import PathParameter

from chorus.adapters.web.controleurs.memoires import CritereTexte, critere
from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services
from chorus.adapters.web.openapi import TAG_CONSULTATION, TAG_MEMOIRES
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.adapters.web.schemas.documents import ArchiveSortie, LiensDocuments, archive_sortie
from chorus.adapters.web.telechargements import (
    NON_MODIFIE,
    OperationPdf,
    SiAucunCorrespond,
    reponse_pdf,
)
from chorus.domain.errors import AccesRefuse, NonTrouve, TransitionInvalide, ValidationError
from chorus.ports.requetes import ResumeMemoire

_ID = Annotated[str, PathParameter(max_length=64, description="Identifiant du mémoire.")]

CERTIFICAT_DEPOT = "telecharger_certificat_depot"
DOCUMENT = "telecharger_memoire"

_REFUS_TELECHARGEMENT = {**reponses(AccesRefuse, NonTrouve, TransitionInvalide), **NON_MODIFIE}


class DocumentsControleur(Controller):
    path = "/memoires"
    tags = (TAG_MEMOIRES,)

    @get(
        "/{memoire_id:str}/certificat-depot",
        name=CERTIFICAT_DEPOT,
        operation_id=CERTIFICAT_DEPOT,
        summary="Télécharger le certificat de dépôt (PDF)",
        description="Le certificat de dépôt tel qu'il a été produit à l'envoi, octet pour "
        "octet (PDF/A). ETag : SHA-256 du fichier ; If-None-Match → 304. Mémoire envoyé "
        "seulement (409 pour un brouillon).",
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
        document = services.documents.certificat_depot(acteur.utilisateur.id, memoire_id)
        return reponse_pdf(document, si_aucun_correspond)

    @get(
        "/{memoire_id:str}/document",
        name=DOCUMENT,
        operation_id=DOCUMENT,
        summary="Télécharger le mémoire tel qu'envoyé (PDF)",
        description="Le mémoire tel qu'il a été envoyé : en-tête, lignes, récapitulatif de "
        "TVA, totaux, pièces. Le même fichier à chaque téléchargement. ETag : SHA-256 du "
        "fichier ; If-None-Match → 304. Mémoire envoyé seulement (409 pour un brouillon).",
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
        document = services.documents.memoire(acteur.utilisateur.id, memoire_id)
        return reponse_pdf(document, si_aucun_correspond)

    @get(
        "/archives",
        operation_id="archives_memoires",
        summary="Archives : les mémoires transmis depuis dix ans",
        description="Les mémoires visibles de l'utilisateur transmis (tout état sauf "
        "brouillon) et déposés depuis dix ans au plus, les derniers déposés d'abord ; chacun "
        "avec le dernier jour de sa conservation (dépôt + 10 ans, jour de Paris) et les "
        "liens de ses documents PDF. Critères facultatifs : numero, structure_id.",
        tags=[TAG_MEMOIRES, TAG_CONSULTATION],
        responses=reponses(ValidationError),
        sync_to_thread=True,
    )
    def archives(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        pagination: PaginationDemandee,
        numero: CritereTexte = None,
        structure_id: CritereTexte = None,
    ) -> PageDe[ArchiveSortie]:
        page = services.documents.archives(
            acteur.utilisateur.id,
            pagination,
            numero=critere(numero),
            structure_id=critere(structure_id),
        )
        chemin = request.app.route_reverse

        def sortie(resume: ResumeMemoire) -> ArchiveSortie:
            liens = LiensDocuments(
                certificat_depot=chemin(CERTIFICAT_DEPOT, memoire_id=resume.id),
                document=chemin(DOCUMENT, memoire_id=resume.id),
            )
            return archive_sortie(resume, liens)

        return page_de(page, sortie)
