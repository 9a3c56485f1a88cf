"""Support tickets, for the users of the portal (« Nous contacter », « Mes tickets »): open a
ticket about a mémoire, a demande TIC, an account or a structure; follow it in its two tabs,
search it by keywords, export the list as CSV; answer the back office (comment, join a
pièce, provide the information asked, accept or refuse the solution proposed, close it).

A ticket is visible to the validated members of its émetteur's structure and to no other
user: anyone else is told it does not exist (404). Tickets are addressed by their number
(``CPROCS0000012``). Every write honours ``If-Match`` (a stale version: 409, nothing
changed) and every answer carrying a ticket carries its version as ``ETag``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, cast

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from chorus.adapters.tableurs.tickets import csv_tickets
from chorus.adapters.web.controleurs.memoires import OperationTelechargerPiece
from chorus.adapters.web.csv_export import OperationAvecCsv, flux_csv, format_csv_demande
from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services, VersionAttendue
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.problemes import RequeteInvalide, reponses
from chorus.adapters.web.reglages import TAILLE_MAX_MULTIPART
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.memoires import PieceSortie, piece_sortie
from chorus.adapters.web.schemas.tickets import (
    CommentaireEntree,
    CommentaireFacultatifEntree,
    CreationTicketEntree,
    ResumeTicketSortie,
    TexteEntree,
    TicketSortie,
    page_tickets,
    ticket_sortie,
)
from chorus.adapters.web.telechargements import reponse_piece
from chorus.domain.errors import (
    ConflitDeVersion,
    FichierTropVolumineux,
    FormatNonAccepte,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.support.referentiel import Destinataire
from chorus.domain.support.ticket import Cote, StatutTicket, Ticket
from chorus.ports.requetes import Page
from chorus.ports.support import LONGUEUR_RECHERCHE, OngletTicket, ResumeTicket

TAG_SUPPORT = "Support"

BASE_API = "/api/v1"
CHEMIN_TICKETS = f"{BASE_API}/tickets"

# -- query parameters shared with the back office ------------------------------------------

Numero = Annotated[
    str,
    PathParameter(max_length=64, description="Numéro du ticket (CPROCS suivi de 7 chiffres)."),
]
PieceId = Annotated[
    str, PathParameter(max_length=64, description="Identifiant de la pièce jointe.")
]
Recherche = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=LONGUEUR_RECHERCHE,
        description="Mots-clés (12 au plus) : chacun doit commencer un mot du numéro, du "
        "résumé, de la description ou d'un échange ; accents et majuscules indifférents.",
    ),
]
Statut = Annotated[
    str | None,
    QueryParameter(
        required=False,
        max_length=40,
        description="État (référentiel statuts-ticket). Donné sans onglet, il cherche parmi "
        "tous les tickets, clôturés compris (statut=CLOS : les tickets clôturés).",
    ),
]


def lire_statut(valeur: str | None) -> StatutTicket | None:
    """A status code of the query (blank: none); an unknown one is refused naming it."""
    if valeur is None or not valeur.strip():
        return None
    try:
        return StatutTicket(valeur.strip().upper())
    except ValueError:
        possibles = ", ".join(s.value for s in StatutTicket)
        raise ValidationError(
            f"État « {valeur.strip()[:40]} » inconnu ; états possibles : {possibles}.",
            champ="statut",
        ) from None


def lire_destinataire(valeur: str | None) -> Destinataire | None:
    if valeur is None or not valeur.strip():
        return None
    try:
        return Destinataire(valeur.strip().upper())
    except ValueError:
        possibles = ", ".join(d.value for d in Destinataire)
        raise ValidationError(
            f"Destinataire « {valeur.strip()[:40]} » inconnu ; destinataires possibles : "
            f"{possibles}.",
            champ="destinataire",
        ) from None


def lire_onglet(
    valeur: str | None, statut: StatutTicket | None, defaut: OngletTicket
) -> OngletTicket | None:
    """The tab asked for; without one, `defaut`, or every status when a status is asked
    (the closed tickets are in no tab)."""
    if valeur is not None and valeur.strip():
        return OngletTicket.lire(valeur)
    return None if statut is not None else defaut


# -- CSV ----------------------------------------------------------------------------------

# The columns are the terminal's « Exporter le tableau »: one definition, whoever exports.


def repondre_liste(
    request: Request[Any, Any, Any],
    lister: Callable[[], Page[ResumeTicket]],
    tous: Callable[[], Sequence[ResumeTicket]],
) -> Response[PageDe[ResumeTicketSortie]]:
    """The page asked for, or — with ``Accept: text/csv`` — every match as ``tickets.csv``
    (read before the first byte is sent, so that a refusal is answered as a problem)."""
    if format_csv_demande(request):
        resumes = tous()
        export = flux_csv(csv_tickets(resumes), "tickets.csv")
        return cast("Response[PageDe[ResumeTicketSortie]]", export)
    return Response(page_tickets(lister()))


# -- answers and texts --------------------------------------------------------------------


def reponse_ticket(
    ticket: Ticket, cote: Cote, base: str, statut: int = HTTP_200_OK
) -> Response[TicketSortie]:
    """A ticket as `cote` reads it, with its version as ``ETag`` (for the next
    ``If-Match``)."""
    return Response(
        ticket_sortie(ticket, cote, base), status_code=statut, headers=etag(ticket.version)
    )


def avec_champ(champ: str, action: Callable[[], Ticket]) -> Ticket:
    """`action()`, a refusal of its text naming the body field that carries it (the domain
    calls every action's text « texte »)."""
    try:
        return action()
    except ValidationError as erreur:
        if erreur.champ == "texte":
            raise ValidationError(erreur.message, champ=champ) from None
        raise


# -- the pièce upload ---------------------------------------------------------------------


@dataclass
class OperationJoindrePieceTicket(Operation):
    """The form the route reads itself (for refusals worded in French)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            description="Le fichier à joindre au ticket (multipart/form-data).",
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
                            "designation": Schema(
                                type=OpenAPIType.STRING,
                                max_length=4000,
                                description="Ce que contient le fichier : inscrit avec lui "
                                "dans l'historique du ticket.",
                            ),
                        },
                    )
                )
            },
        )


_CHAMPS_DU_FORMULAIRE = frozenset({"fichier", "designation"})


@dataclass(frozen=True)
class Televersement:
    contenu: bytes
    nom_fichier: str
    designation: str | None


def _un_seul(formulaire: Any, nom: str) -> Any:
    valeurs = formulaire.getall(nom) if nom in formulaire else []
    if len(valeurs) > 1:
        raise RequeteInvalide(f"Le champ « {nom} » est envoyé plusieurs fois.", champ=nom)
    return valeurs[0] if valeurs else None


async def lire_televersement(request: Request[Any, Any, Any]) -> Televersement:
    """The form ``fichier`` (+ ``designation``); 415 for any other body."""
    type_de_contenu = request.content_type[0].lower()
    if type_de_contenu != "multipart/form-data":
        raise RequeteInvalide(
            f"Type de contenu « {type_de_contenu or 'absent'} » non accepté ici : envoyez "
            "« multipart/form-data » avec le fichier dans la partie « fichier ».",
            champ="Content-Type",
            statut=415,
        )
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
    designation = _un_seul(formulaire, "designation")
    if designation is not None and not isinstance(designation, str):
        raise RequeteInvalide("La désignation doit être un texte.", champ="designation")
    contenu = await fichier.read()
    await fichier.close()
    return Televersement(
        contenu=contenu, nom_fichier=fichier.filename or "", designation=designation
    )


# -- the controller -----------------------------------------------------------------------

_ECRITURE = (NonTrouve, TransitionInvalide, ConflitDeVersion, ValidationError)


class TicketsControleur(Controller):
    path = "/tickets"
    tags = (TAG_SUPPORT,)

    @post(
        "/",
        operation_id="creer_ticket",
        summary="Ouvrir un ticket (« Nous contacter »)",
        description="Un ticket OUVERT numéroté CPROCS…, pour une structure dont l'utilisateur "
        "est membre, adressé selon la sous-catégorie (référentiel categories-ticket) : au "
        "support, au service centralisateur de la juridiction du mémoire, au comptable ou au "
        "service instructeur TIC. numero_objet : le mémoire ou la demande TIC concerné, "
        "obligatoire pour certaines sous-catégories, refusé pour celles qui ne portent sur "
        "aucun objet (422) ; un numéro inconnu, d'une autre structure ou non visible : 404 "
        "nommant numero_objet. Résumé : 100 caractères au plus ; description : 4 000.",
        status_code=HTTP_201_CREATED,
        responses=reponses(NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def creer(
        self, services: Services, acteur: Acteur, data: JSONBody[CreationTicketEntree]
    ) -> Response[TicketSortie]:
        ticket = services.tickets.creer(acteur.utilisateur.id, data.en_saisie())
        reponse = reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS, HTTP_201_CREATED)
        reponse.headers["Location"] = f"{CHEMIN_TICKETS}/{ticket.numero}"
        return reponse

    @get(
        "/",
        operation_id="lister_tickets",
        summary="Mes tickets",
        description="Les tickets des structures de l'utilisateur (les siens et ceux de ses "
        "collègues), la dernière mise à jour d'abord. onglet : « tous » (par défaut : tous "
        "sauf les clôturés), « actions-requises » (ceux qui attendent une réponse de "
        "l'émetteur) ou « a-traiter » (ceux qui attendent le support). Avec « Accept: "
        "text/csv » : export CSV de tous les résultats (page et par_page ignorés).",
        operation_class=OperationAvecCsv,
        responses=reponses(ValidationError, 406),
        sync_to_thread=True,
    )
    def lister(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        pagination: PaginationDemandee,
        q: Recherche = None,
        statut: Statut = None,
        onglet: Annotated[
            str | None,
            QueryParameter(
                required=False,
                max_length=40,
                description="actions-requises, tous (par défaut) ou a-traiter.",
            ),
        ] = None,
    ) -> Response[PageDe[ResumeTicketSortie]]:
        qui = acteur.utilisateur.id
        etat = lire_statut(statut)
        choisi = lire_onglet(onglet, etat, OngletTicket.TOUS)
        return repondre_liste(
            request,
            lambda: services.tickets.lister(
                qui, onglet=choisi, q=q, statut=etat, pagination=pagination
            ),
            lambda: services.tickets.tous(qui, onglet=choisi, q=q, statut=etat),
        )

    @get(
        "/{numero:str}",
        operation_id="obtenir_ticket",
        summary="Consulter un ticket",
        description="Le ticket, ses pièces jointes, son historique (activites, du plus ancien "
        "au plus récent) et les actions que l'utilisateur peut y faire maintenant (actions : "
        "route, champ du texte et s'il est obligatoire). ETag : la version (pour If-Match).",
        responses=reponses(NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def obtenir(self, services: Services, acteur: Acteur, numero: Numero) -> Response[TicketSortie]:
        ticket = services.tickets.obtenir(acteur.utilisateur.id, numero)
        return reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS)

    @post(
        "/{numero:str}/commentaires",
        operation_id="commenter_ticket",
        summary="Commenter un ticket",
        description="Un commentaire (texte obligatoire, 4 000 caractères au plus) ajouté à "
        "l'historique ; l'état ne change pas. Ticket clôturé : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def commenter(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[TexteEntree],
    ) -> Response[TicketSortie]:
        ticket = services.tickets.commenter(
            acteur.utilisateur.id, numero, data.texte, version_attendue=version_attendue
        )
        return reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS)

    @post(
        "/{numero:str}/pieces-jointes",
        operation_id="joindre_piece_ticket",
        summary="Joindre une pièce à un ticket",
        description="En multipart/form-data : « fichier » (type reconnu sur le contenu, 10 Mo "
        "au plus, 50 pièces par ticket) et « designation » facultative (200 caractères au "
        "plus ; le nom du fichier à défaut), inscrite aussi dans l'historique. Ticket "
        "clôturé : 409. Réponse : la pièce ; ETag : la nouvelle version du ticket.",
        status_code=HTTP_201_CREATED,
        request_max_body_size=TAILLE_MAX_MULTIPART,
        operation_class=OperationJoindrePieceTicket,
        responses=reponses(*_ECRITURE, FichierTropVolumineux, FormatNonAccepte),
    )
    async def joindre_piece(
        self,
        request: Request[Any, Any, Any],
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
    ) -> Response[PieceSortie]:
        envoi = await lire_televersement(request)
        ajout = partial(
            services.tickets.ajouter_piece,
            acteur.utilisateur.id,
            numero,
            contenu=envoi.contenu,
            nom_fichier=envoi.nom_fichier,
            designation=envoi.designation,
            commentaire=envoi.designation,
            version_attendue=version_attendue,
        )
        ticket = await anyio.to_thread.run_sync(partial(avec_champ, "designation", ajout))
        piece = ticket.pieces[-1]
        return Response(
            piece_sortie(piece),
            status_code=HTTP_201_CREATED,
            headers={
                **etag(ticket.version),
                "Location": f"{CHEMIN_TICKETS}/{ticket.numero}/pieces-jointes/{piece.id}",
            },
        )

    @get(
        "/{numero:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_ticket",
        summary="Télécharger une pièce jointe d'un ticket",
        description="Le fichier tel que déposé, avec son type de contenu.",
        operation_class=OperationTelechargerPiece,
        responses=reponses(NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self, services: Services, acteur: Acteur, numero: Numero, piece_id: PieceId
    ) -> Response[bytes]:
        piece, contenu = services.tickets.lire_piece(acteur.utilisateur.id, numero, piece_id)
        return reponse_piece(piece, contenu)

    @post(
        "/{numero:str}/informations",
        operation_id="fournir_information_ticket",
        summary="Fournir les informations demandées",
        description="Extension d'API.md : la réponse (texte obligatoire) à une demande "
        "d'informations du support ; le ticket repasse EN_COURS. Aucune information "
        "demandée : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def fournir_information(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[TexteEntree],
    ) -> Response[TicketSortie]:
        ticket = services.tickets.fournir_information(
            acteur.utilisateur.id, numero, data.texte, version_attendue=version_attendue
        )
        return reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS)

    @post(
        "/{numero:str}/acceptation-solution",
        operation_id="accepter_solution_ticket",
        summary="Accepter la solution proposée",
        description="Le ticket devient RESOLU ; commentaire facultatif. Aucune solution "
        "proposée en attente : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def accepter_solution(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[CommentaireFacultatifEntree | None] = None,
    ) -> Response[TicketSortie]:
        commentaire = None if data is None else data.commentaire
        ticket = avec_champ(
            "commentaire",
            partial(
                services.tickets.accepter_solution,
                acteur.utilisateur.id,
                numero,
                commentaire=commentaire,
                version_attendue=version_attendue,
            ),
        )
        return reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS)

    @post(
        "/{numero:str}/refus-solution",
        operation_id="refuser_solution_ticket",
        summary="Refuser la solution proposée",
        description="Le commentaire (obligatoire) dit pourquoi ; le ticket repasse EN_COURS. "
        "Aucune solution proposée en attente : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def refuser_solution(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[CommentaireEntree],
    ) -> Response[TicketSortie]:
        ticket = avec_champ(
            "commentaire",
            partial(
                services.tickets.refuser_solution,
                acteur.utilisateur.id,
                numero,
                data.commentaire,
                version_attendue=version_attendue,
            ),
        )
        return reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS)

    @post(
        "/{numero:str}/cloture",
        operation_id="cloturer_ticket",
        summary="Clôturer un ticket",
        description="Le ticket devient CLOS (il ne se rouvre pas) ; commentaire facultatif. "
        "Déjà clôturé : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def cloturer(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[CommentaireFacultatifEntree | None] = None,
    ) -> Response[TicketSortie]:
        commentaire = None if data is None else data.commentaire
        ticket = avec_champ(
            "commentaire",
            partial(
                services.tickets.cloturer,
                acteur.utilisateur.id,
                numero,
                commentaire=commentaire,
                version_attendue=version_attendue,
            ),
        )
        return reponse_ticket(ticket, Cote.UTILISATEUR, CHEMIN_TICKETS)
