"""Support tickets built from the domain alone, at any state, for the unit and contract
tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.support.referentiel import Destinataire, SousCategorieTicket, TypeObjet
from chorus.domain.support.ticket import (
    CLOS,
    EN_COURS,
    INFORMATION_DEMANDEE,
    OUVERT,
    RESOLU,
    SOLUTION_PROPOSEE,
    ActionTicket,
    Cote,
    DestinataireTicket,
    Emetteur,
    Etat,
    ObjetTicket,
    Ticket,
    numero_ticket,
)

T0 = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
AUTEUR = "Paul Durand (paul@cabinet.fr)"
AGENT = "Support – Nadia Roussel (support@chorus.fr)"


def emetteur(structure_id: str = "s-1", utilisateur_id: str = "u-1") -> Emetteur:
    return Emetteur(
        structure_id=structure_id,
        raison_sociale="Cabinet d'expertises Durand",
        utilisateur_id=utilisateur_id,
        nom="Paul Durand",
        email="paul@cabinet.fr",
        telephone="04 78 12 34 56",
    )


def piece(identifiant: str, etiquette: str = "", quand: datetime = T0) -> PieceJointe:
    return PieceJointe.depuis_contenu(
        id=identifiant,
        contenu=PDF + etiquette.encode(),
        nom_fichier=f"piece-{identifiant}.pdf",
        type_piece=TypePiece.AUTRE,
        designation=None,
        date_ajout=quand,
    )


def ticket(
    identifiant: str = "t-1",
    sequence: int = 1,
    *,
    structure_id: str = "s-1",
    sous_categorie: SousCategorieTicket = SousCategorieTicket.A_QUESTION,
    juridiction: str | None = None,
    resume: str = "Question sur le portail",
    description: str = "Comment déposer un mémoire ?",
    quand: datetime = T0,
    pieces: tuple[PieceJointe, ...] = (),
) -> Ticket:
    """A new OUVERT ticket (a mémoire's number is made up for the sous-catégories that need
    one)."""
    definition = sous_categorie.definition
    objet = None
    if definition.type_objet is not None and definition.objet_obligatoire:
        numero = "MJ00000000001" if definition.type_objet is TypeObjet.MEMOIRE else "DT1"
        objet = ObjetTicket(definition.type_objet, numero, f"o-{identifiant}")
    code = definition.destinataire
    return Ticket.creer(
        id=identifiant,
        numero=numero_ticket(sequence),
        sous_categorie=sous_categorie,
        emetteur=emetteur(structure_id),
        destinataire=DestinataireTicket.de(
            code,
            juridiction or ("TJ-69123" if code is Destinataire.SERVICE_CENTRALISATEUR else None),
            "Tribunal judiciaire de Lyon" if code is Destinataire.SERVICE_CENTRALISATEUR else None,
        ),
        resume=resume,
        description=description,
        auteur=AUTEUR,
        maintenant=quand,
        objet=objet,
        pieces=pieces,
    )


# The actions that lead from a new ticket to each state.
CHEMINS: dict[Etat, tuple[ActionTicket, ...]] = {
    OUVERT: (),
    EN_COURS: (ActionTicket.PRENDRE_EN_CHARGE,),
    SOLUTION_PROPOSEE: (ActionTicket.PROPOSER_SOLUTION,),
    INFORMATION_DEMANDEE: (ActionTicket.DEMANDER_INFORMATION,),
    RESOLU: (ActionTicket.PROPOSER_SOLUTION, ActionTicket.ACCEPTER_SOLUTION),
    CLOS: (ActionTicket.CLOTURER,),
}


def agir(ticket: Ticket, action: ActionTicket, quand: datetime, texte: str = "Texte") -> Ticket:
    auteur = AGENT if action.regle.cote is Cote.AGENT else AUTEUR
    return ticket.agir(
        action,
        auteur=auteur,
        maintenant=quand,
        texte=texte,
        piece=piece(f"p-{len(ticket.pieces)}-{ticket.id}", ticket.id)
        if action is ActionTicket.AJOUTER_PIECE
        else None,
    )


def a_l_etat(etat: Etat, identifiant: str = "t-1", sequence: int = 1, **kwargs: Any) -> Ticket:
    """A ticket brought to `etat` along `CHEMINS`, one minute per step."""
    courant = ticket(identifiant, sequence, **kwargs)
    quand = courant.date_creation
    for action in CHEMINS[etat]:
        quand += timedelta(minutes=1)
        courant = agir(courant, action, quand)
    assert courant.etat == etat
    return courant
