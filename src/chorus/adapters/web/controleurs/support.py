"""Support tickets, for the back office: the queue of the tickets an agent answers, a
ticket with its history, and the answers (take in charge, comment, propose a solution, ask
for information — the émetteur is emailed for the last two).

Reserved to the agents who answer tickets (403 for anyone else): the support (role
SUPPORT) answers every ticket; a juridiction's agents those routed to the service
centralisateur of one of their juridictions; the comptable and the TIC instructors those
routed to them. A ticket outside the agent's perimeter does not exist for them (404).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from chorus.adapters.web.controleurs.memoires import OperationTelechargerPiece
from chorus.adapters.web.controleurs.tickets import (
    TAG_SUPPORT,
    Numero,
    PieceId,
    Recherche,
    Statut,
    avec_champ,
    lire_destinataire,
    lire_onglet,
    lire_statut,
    repondre_liste,
    reponse_ticket,
)
from chorus.adapters.web.csv_export import OperationAvecCsv
from chorus.adapters.web.dependances import Acteur, PaginationDemandee, Services, VersionAttendue
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.communs import PageDe
from chorus.adapters.web.schemas.tickets import (
    CommentaireFacultatifEntree,
    ResumeTicketSortie,
    TexteEntree,
    TicketSortie,
)
from chorus.adapters.web.telechargements import reponse_piece
from chorus.domain.errors import (
    AccesRefuse,
    ConflitDeVersion,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.support.ticket import Cote
from chorus.ports.support import OngletTicket

CHEMIN_SUPPORT = "/api/v1/support/tickets"

_ECRITURE = (AccesRefuse, NonTrouve, TransitionInvalide, ConflitDeVersion, ValidationError)


class SupportTicketsControleur(Controller):
    path = "/support/tickets"
    tags = (TAG_SUPPORT,)

    @get(
        "/",
        operation_id="file_tickets_support",
        summary="File des tickets à traiter (agents)",
        description="Les tickets du périmètre de l'agent, la dernière mise à jour d'abord. "
        "onglet : « a-traiter » (par défaut : OUVERT et EN_COURS), « actions-requises » "
        "(en attente de l'émetteur) ou « tous » (tous sauf les clôturés) ; statut seul : "
        "parmi tous les tickets, clôturés compris ; destinataire : SUPPORT, "
        "SERVICE_CENTRALISATEUR, COMPTABLE ou INSTRUCTION_TIC. Avec « Accept: text/csv » : "
        "export CSV de tous les résultats. Réservé aux agents qui traitent des tickets (403).",
        operation_class=OperationAvecCsv,
        responses=reponses(AccesRefuse, ValidationError, 406),
        sync_to_thread=True,
    )
    def file(
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
                description="a-traiter (par défaut), actions-requises ou tous.",
            ),
        ] = None,
        destinataire: Annotated[
            str | None,
            QueryParameter(
                required=False,
                max_length=40,
                description="Destinataire des tickets (SUPPORT, SERVICE_CENTRALISATEUR, "
                "COMPTABLE, INSTRUCTION_TIC), dans le périmètre de l'agent.",
            ),
        ] = None,
    ) -> Response[PageDe[ResumeTicketSortie]]:
        qui = acteur.utilisateur.id
        etat = lire_statut(statut)
        choisi = lire_onglet(onglet, etat, OngletTicket.A_TRAITER)
        pour = lire_destinataire(destinataire)
        return repondre_liste(
            request,
            lambda: services.support.file(
                qui, onglet=choisi, q=q, statut=etat, destinataire=pour, pagination=pagination
            ),
            lambda: services.support.tous(qui, onglet=choisi, q=q, statut=etat, destinataire=pour),
        )

    @get(
        "/{numero:str}",
        operation_id="obtenir_ticket_support",
        summary="Consulter un ticket (agents)",
        description="Le ticket, ses pièces, son historique et les actions que l'agent peut y "
        "faire maintenant. ETag : la version (pour If-Match).",
        responses=reponses(AccesRefuse, NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def obtenir(self, services: Services, acteur: Acteur, numero: Numero) -> Response[TicketSortie]:
        ticket = services.support.obtenir(acteur.utilisateur.id, numero)
        return reponse_ticket(ticket, Cote.AGENT, CHEMIN_SUPPORT)

    @get(
        "/{numero:str}/pieces-jointes/{piece_id:str}",
        operation_id="telecharger_piece_ticket_support",
        summary="Télécharger une pièce jointe d'un ticket (agents)",
        description="Le fichier tel que déposé, avec son type de contenu.",
        operation_class=OperationTelechargerPiece,
        responses=reponses(AccesRefuse, NonTrouve, ValidationError),
        sync_to_thread=True,
    )
    def telecharger_piece(
        self, services: Services, acteur: Acteur, numero: Numero, piece_id: PieceId
    ) -> Response[bytes]:
        piece, contenu = services.support.lire_piece(acteur.utilisateur.id, numero, piece_id)
        return reponse_piece(piece, contenu)

    @post(
        "/{numero:str}/prise-en-charge",
        operation_id="prendre_en_charge_ticket",
        summary="Prendre un ticket en charge",
        description="Un ticket OUVERT passe EN_COURS ; commentaire facultatif. Sinon : 409.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def prendre_en_charge(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[CommentaireFacultatifEntree | None] = None,
    ) -> Response[TicketSortie]:
        ticket = avec_champ(
            "commentaire",
            partial(
                services.support.prendre_en_charge,
                acteur.utilisateur.id,
                numero,
                commentaire=None if data is None else data.commentaire,
                version_attendue=version_attendue,
            ),
        )
        return reponse_ticket(ticket, Cote.AGENT, CHEMIN_SUPPORT)

    @post(
        "/{numero:str}/commentaires",
        operation_id="commenter_ticket_support",
        summary="Commenter un ticket (agents)",
        description="Un commentaire du support (texte obligatoire) ; un ticket OUVERT est "
        "pris en charge du même coup. Ticket clôturé : 409.",
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
        ticket = services.support.commenter(
            acteur.utilisateur.id, numero, data.texte, version_attendue=version_attendue
        )
        return reponse_ticket(ticket, Cote.AGENT, CHEMIN_SUPPORT)

    @post(
        "/{numero:str}/solution",
        operation_id="proposer_solution_ticket",
        summary="Proposer une solution",
        description="Sur un ticket OUVERT ou EN_COURS (409 sinon) : la solution (texte "
        "obligatoire) ; le ticket passe ACTION_REQUISE en attendant que l'émetteur l'accepte "
        "ou la refuse, et l'émetteur en est averti par courriel.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def proposer_solution(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[TexteEntree],
    ) -> Response[TicketSortie]:
        ticket = services.support.proposer_solution(
            acteur.utilisateur.id, numero, data.texte, version_attendue=version_attendue
        )
        return reponse_ticket(ticket, Cote.AGENT, CHEMIN_SUPPORT)

    @post(
        "/{numero:str}/demande-information",
        operation_id="demander_information_ticket",
        summary="Demander des informations à l'émetteur",
        description="Sur un ticket OUVERT ou EN_COURS (409 sinon) : la question (texte "
        "obligatoire) ; le ticket passe ACTION_REQUISE jusqu'à la réponse de l'émetteur "
        "(POST /tickets/{numero}/informations), qui en est averti par courriel.",
        status_code=HTTP_200_OK,
        responses=reponses(*_ECRITURE),
        sync_to_thread=True,
    )
    def demander_information(
        self,
        services: Services,
        acteur: Acteur,
        numero: Numero,
        version_attendue: VersionAttendue,
        data: JSONBody[TexteEntree],
    ) -> Response[TicketSortie]:
        ticket = services.support.demander_information(
            acteur.utilisateur.id, numero, data.texte, version_attendue=version_attendue
        )
        return reponse_ticket(ticket, Cote.AGENT, CHEMIN_SUPPORT)
