"""The support tickets of the demo: a support agent, and tickets of the demo structures at
different stages (one being handled by a service centralisateur, one waiting for its
émetteur's answer to a proposed solution, one closed after the comptable's answer).

Built through the use cases, like the rest of the demo, and loaded once: the support
agent's account says it is there. It also loads on a store whose demo was loaded before
tickets existed.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.support.ticket import Ticket
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.services.contexte import Ports
from chorus.services.support import SaisieTicket, SupportService, TicketService
from chorus.services.utilisateurs import UtilisateurService

EMAIL_SUPPORT = "support@chorus-pro.gouv.fr"
EMAILS_DEMO_SUPPORT = (EMAIL_SUPPORT,)

_PAUL = "paul.durand@expertises-durand.fr"
_SOPHIE = "sophie.bernard@expertises-durand.fr"
_LEA = "lea.petit@enquetes-nord.fr"
_GREFFE_LYON = "greffe.frais@tj-lyon.justice.fr"
_COMPTABLE = "comptable@dgfip.finances.gouv.fr"


@attrs.frozen
class DonneesDemoSupport:
    utilisateurs: tuple[Utilisateur, ...]
    tickets: tuple[Ticket, ...]


def charger_demo_support(ports: Ports, memoires: Sequence[Memoire]) -> DonneesDemoSupport:
    """The support agent and the demo tickets (created once); `memoires` are the demo's,
    which some tickets are about."""
    utilisateurs = UtilisateurService(ports)
    support = SupportService(ports)
    agent = utilisateurs.par_email(EMAIL_SUPPORT)
    if agent is None:
        agent = utilisateurs.creer_agent(
            email=EMAIL_SUPPORT, nom="Roussel", prenom="Nadia", role=RoleAgent.SUPPORT
        )
    else:
        # Loaded when the tickets are there, not when the agent is: a load stopped between
        # the two gets its tickets on the next run.
        tickets = support.tous(agent.id, onglet=None)
        if tickets:
            return DonneesDemoSupport(
                (agent,),
                tuple(sorted((support.obtenir(agent.id, r.numero) for r in tickets), key=_ordre)),
            )
    demandeurs = {
        email: u
        for email in (_PAUL, _SOPHIE, _LEA, _GREFFE_LYON, _COMPTABLE)
        if (u := utilisateurs.par_email(email)) is not None
    }
    return DonneesDemoSupport((agent,), _tickets(ports, agent, demandeurs, memoires))


def _ordre(ticket: Ticket) -> str:
    return ticket.numero


def _memoire(memoires: Sequence[Memoire], statut: StatutMemoire, juridiction: str) -> Memoire:
    return next(
        m for m in memoires if m.statut is statut and m.entete.juridiction_code == juridiction
    )


def _tickets(
    ports: Ports,
    agent: Utilisateur,
    comptes: dict[str, Utilisateur],
    memoires: Sequence[Memoire],
) -> tuple[Ticket, ...]:
    if not {_PAUL, _SOPHIE, _LEA, _GREFFE_LYON, _COMPTABLE} <= set(comptes):
        # Not the demo's accounts (a store with other data): no tickets to make up.
        return ()
    tickets = TicketService(ports)
    support = SupportService(ports)
    paul, sophie, lea = comptes[_PAUL], comptes[_SOPHIE], comptes[_LEA]
    cabinet = _memoire(memoires, StatutMemoire.SUSPENDU, "TJ-69123")
    enquete = _memoire(memoires, StatutMemoire.MIS_EN_PAIEMENT, "TJ-59350")

    # Paul asks the service centralisateur of Lyon about his suspended mémoire: taken in
    # charge, EN_COURS.
    suspendu = tickets.creer(
        paul.id,
        SaisieTicket(
            structure_id=cabinet.structure_id,
            categorie="MEMOIRE",
            sous_categorie="M_SUIVI",
            type_objet="MEMOIRE",
            numero_objet=cabinet.numero,
            resume="Mémoire suspendu : comment transmettre le rapport d'expertise signé ?",
            description=(
                f"Bonjour,\n\nLe mémoire n°{cabinet.numero} a été suspendu avec le motif "
                "« Merci de joindre le rapport d'expertise signé ». Le rapport a été remis au "
                "juge d'instruction le mois dernier : dois-je le joindre au mémoire ou vous "
                "l'adresser directement ?\n\nCordialement,\nPaul Durand"
            ),
            telephone="04 78 12 34 56",
        ),
    )
    suspendu = support.commenter(
        comptes[_GREFFE_LYON].id,
        suspendu.numero,
        "Nous avons bien reçu votre demande et vérifions auprès du cabinet d'instruction la "
        "réception du rapport.",
    )

    # Sophie cannot find the activity emails: the support proposes a solution, which waits
    # for her answer (ACTION_REQUISE).
    courriels = tickets.creer(
        sophie.id,
        SaisieTicket(
            structure_id=cabinet.structure_id,
            categorie="COMPTE",
            sous_categorie="C_NOTIFICATIONS",
            resume="Je ne reçois plus les courriels de suivi d'activité",
            description=(
                "Depuis deux semaines je ne reçois plus le récapitulatif quotidien des "
                "changements d'état des mémoires du cabinet. Mon adresse n'a pas changé."
            ),
        ),
    )
    support.prendre_en_charge(agent.id, courriels.numero)
    courriels = support.proposer_solution(
        agent.id,
        courriels.numero,
        "Les courriels du portail sont envoyés par une adresse « ne-pas-repondre » que "
        "votre messagerie a peut-être classée comme indésirable : vérifiez ce dossier et "
        "ajoutez l'expéditeur à vos contacts. Vos préférences de suivi (quotidien et "
        "hebdomadaire) sont bien activées dans « Mon compte ».",
    )

    # Léa asked the comptable about a payment: answered, accepted, then closed (CLOS).
    paiement = tickets.creer(
        lea.id,
        SaisieTicket(
            structure_id=enquete.structure_id,
            categorie="MEMOIRE",
            sous_categorie="M_PAIEMENT",
            type_objet="MEMOIRE",
            numero_objet=enquete.numero,
            resume="Date de virement du mémoire d'enquête sociale",
            description=(
                f"Le mémoire n°{enquete.numero} est indiqué « Mis en paiement » mais le "
                "virement n'apparaît pas encore sur notre compte. Pouvez-vous nous indiquer "
                "sa date ?"
            ),
        ),
    )
    paiement = support.proposer_solution(
        comptes[_COMPTABLE].id,
        paiement.numero,
        "Le virement a été émis à la date de mise en paiement ; il apparaît sur le compte "
        "sous trois à cinq jours ouvrés, avec la référence du mémoire en libellé.",
    )
    tickets.accepter_solution(lea.id, paiement.numero, commentaire="Bien reçu, merci.")
    paiement = tickets.cloturer(lea.id, paiement.numero)
    return (suspendu, courriels, paiement)
