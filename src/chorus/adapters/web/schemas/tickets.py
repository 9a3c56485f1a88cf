"""Bodies of the support tickets: the form « Nous contacter », the answers of either side,
the ticket with its history and the actions its reader may take, the list rows and the
référentiel of catégories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec

from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.adapters.web.schemas.memoires import PieceSortie, piece_sortie
from chorus.domain.support.referentiel import (
    CategorieTicket,
    Destinataire,
    SousCategorieTicket,
    TypeObjet,
)
from chorus.domain.support.ticket import (
    ActionTicket,
    Activite,
    Attente,
    Cote,
    DestinataireTicket,
    ExigenceTexte,
    NatureActivite,
    StatutTicket,
    Ticket,
)
from chorus.ports.requetes import Page
from chorus.ports.support import ResumeTicket
from chorus.services.support import CategorieAvecSousCategories, SaisieTicket

# -- what clients send --------------------------------------------------------------------


class CreationTicketEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """« Nous contacter »: codes of the référentiel ``categories-ticket``; `numero_objet`
    names the mémoire or demande TIC the ticket is about (required by some sous-catégories,
    refused by those about no object)."""

    categorie: str
    sous_categorie: str
    structure_id: str
    resume: str
    description: str
    type_objet: str | None = None
    numero_objet: str | None = None
    telephone: str | None = None

    def en_saisie(self) -> SaisieTicket:
        return SaisieTicket(
            structure_id=self.structure_id,
            categorie=self.categorie,
            sous_categorie=self.sous_categorie,
            resume=self.resume,
            description=self.description,
            type_objet=self.type_objet,
            numero_objet=self.numero_objet,
            telephone=self.telephone,
        )


class TexteEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A required text: a comment, the information asked for, a solution, a question."""

    texte: str


class CommentaireEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The refusal of a solution says why (required)."""

    commentaire: str


class CommentaireFacultatifEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An optional comment (accepting a solution, closing, taking in charge)."""

    commentaire: str | None = None


# -- what the API answers -----------------------------------------------------------------


class DestinataireSortie(msgspec.Struct, frozen=True):
    code: Destinataire
    libelle: str
    juridiction_code: str | None


class EmetteurSortie(msgspec.Struct, frozen=True):
    structure_id: str
    raison_sociale: str
    utilisateur_id: str
    nom: str
    email: str
    telephone: str | None


class ActiviteSortie(msgspec.Struct, frozen=True):
    """One entry of the history, oldest first; `statut` is the ticket's once it was written."""

    date: datetime
    auteur: str
    cote: Cote
    nature: NatureActivite
    libelle_nature: str
    statut: StatutTicket
    texte: str | None
    piece_id: str | None


class ActionSortie(msgspec.Struct, frozen=True):
    """An action the reader may take now: what to POST where, and whether a text is
    needed (`texte`: AUCUN, FACULTATIF or OBLIGATOIRE, sent as `champ`)."""

    code: ActionTicket
    libelle: str
    methode: str
    chemin: str
    texte: ExigenceTexte
    champ: str | None


class TicketSortie(msgspec.Struct, frozen=True):
    """A ticket with its pièces, its history and the actions its reader may take; `version`
    (also the ETag) is what ``If-Match`` names."""

    id: str
    numero: str
    categorie: CategorieTicket
    libelle_categorie: str
    sous_categorie: SousCategorieTicket
    libelle_sous_categorie: str
    type_objet: TypeObjet | None
    numero_objet: str | None
    emetteur: EmetteurSortie
    destinataire: DestinataireSortie
    resume: str
    description: str
    statut: StatutTicket
    libelle_statut: str
    attente: Attente | None
    libelle_attente: str | None
    date_creation: datetime
    date_maj: datetime
    pieces: list[PieceSortie]
    activites: list[ActiviteSortie]
    actions: list[ActionSortie]
    version: int


class ResumeTicketSortie(msgspec.Struct, frozen=True):
    """A ticket as lists show it."""

    id: str
    numero: str
    categorie: CategorieTicket
    sous_categorie: SousCategorieTicket
    libelle_sous_categorie: str
    type_objet: TypeObjet | None
    numero_objet: str | None
    structure_id: str
    raison_sociale: str
    utilisateur_id: str
    email: str
    destinataire: DestinataireSortie
    resume: str
    statut: StatutTicket
    libelle_statut: str
    attente: Attente | None
    date_creation: datetime
    date_maj: datetime
    nombre_pieces: int
    version: int


class SousCategorieSortie(msgspec.Struct, frozen=True):
    code: SousCategorieTicket
    libelle: str
    type_objet: TypeObjet | None
    libelle_type_objet: str | None
    objet_obligatoire: bool
    destinataire: Destinataire
    libelle_destinataire: str


class CategorieTicketSortie(msgspec.Struct, frozen=True):
    """A catégorie with its sous-catégories, each with its object and destinataire."""

    code: CategorieTicket
    libelle: str
    sous_categories: list[SousCategorieSortie]


class StatutTicketSortie(msgspec.Struct, frozen=True):
    code: StatutTicket
    libelle: str


# -- conversions --------------------------------------------------------------------------

CHEMINS_UTILISATEUR: dict[ActionTicket, str] = {
    ActionTicket.COMMENTER: "commentaires",
    ActionTicket.AJOUTER_PIECE: "pieces-jointes",
    ActionTicket.ACCEPTER_SOLUTION: "acceptation-solution",
    ActionTicket.REFUSER_SOLUTION: "refus-solution",
    ActionTicket.FOURNIR_INFORMATION: "informations",
    ActionTicket.CLOTURER: "cloture",
}
CHEMINS_AGENT: dict[ActionTicket, str] = {
    ActionTicket.PRENDRE_EN_CHARGE: "prise-en-charge",
    ActionTicket.COMMENTER_AGENT: "commentaires",
    ActionTicket.PROPOSER_SOLUTION: "solution",
    ActionTicket.DEMANDER_INFORMATION: "demande-information",
}
CHAMPS_DE_TEXTE: dict[ActionTicket, str] = {
    ActionTicket.COMMENTER: "texte",
    ActionTicket.AJOUTER_PIECE: "designation",
    ActionTicket.ACCEPTER_SOLUTION: "commentaire",
    ActionTicket.REFUSER_SOLUTION: "commentaire",
    ActionTicket.FOURNIR_INFORMATION: "texte",
    ActionTicket.CLOTURER: "commentaire",
    ActionTicket.PRENDRE_EN_CHARGE: "commentaire",
    ActionTicket.COMMENTER_AGENT: "texte",
    ActionTicket.PROPOSER_SOLUTION: "texte",
    ActionTicket.DEMANDER_INFORMATION: "texte",
}
"""The body field (or form part) that carries each action's text."""


def destinataire_sortie(destinataire: DestinataireTicket) -> DestinataireSortie:
    return DestinataireSortie(
        code=destinataire.code,
        libelle=destinataire.libelle,
        juridiction_code=destinataire.juridiction_code,
    )


def activite_sortie(activite: Activite) -> ActiviteSortie:
    return ActiviteSortie(
        date=activite.date,
        auteur=activite.auteur,
        cote=activite.cote,
        nature=activite.nature,
        libelle_nature=activite.nature.libelle,
        statut=activite.statut,
        texte=activite.texte,
        piece_id=activite.piece_id,
    )


def actions_sortie(ticket: Ticket, cote: Cote, base: str) -> list[ActionSortie]:
    """The actions `cote` may take on `ticket` now, each with its route under `base`."""
    chemins = CHEMINS_UTILISATEUR if cote is Cote.UTILISATEUR else CHEMINS_AGENT
    sorties = []
    for action in ticket.actions_possibles(cote):
        regle = action.regle
        sorties.append(
            ActionSortie(
                code=action,
                libelle=regle.libelle[:1].upper() + regle.libelle[1:],
                methode="POST",
                chemin=f"{base}/{ticket.numero}/{chemins[action]}",
                texte=regle.texte,
                champ=None if regle.texte is ExigenceTexte.AUCUN else CHAMPS_DE_TEXTE[action],
            )
        )
    return sorties


def ticket_sortie(ticket: Ticket, cote: Cote, base: str) -> TicketSortie:
    """`ticket` as `cote` reads it (the actions offered differ), routes under `base`."""
    e = ticket.emetteur
    return TicketSortie(
        id=ticket.id,
        numero=ticket.numero,
        categorie=ticket.categorie,
        libelle_categorie=ticket.categorie.libelle,
        sous_categorie=ticket.sous_categorie,
        libelle_sous_categorie=ticket.sous_categorie.libelle,
        type_objet=ticket.type_objet,
        numero_objet=ticket.numero_objet,
        emetteur=EmetteurSortie(
            structure_id=e.structure_id,
            raison_sociale=e.raison_sociale,
            utilisateur_id=e.utilisateur_id,
            nom=e.nom,
            email=e.email,
            telephone=e.telephone,
        ),
        destinataire=destinataire_sortie(ticket.destinataire),
        resume=ticket.resume,
        description=ticket.description,
        statut=ticket.statut,
        libelle_statut=ticket.statut.libelle,
        attente=ticket.attente,
        libelle_attente=None if ticket.attente is None else ticket.attente.libelle,
        date_creation=ticket.date_creation,
        date_maj=ticket.date_maj,
        pieces=[piece_sortie(p) for p in ticket.pieces],
        activites=[activite_sortie(a) for a in ticket.activites],
        actions=actions_sortie(ticket, cote, base),
        version=ticket.version,
    )


def resume_ticket_sortie(resume: ResumeTicket) -> ResumeTicketSortie:
    return ResumeTicketSortie(
        id=resume.id,
        numero=resume.numero,
        categorie=resume.categorie,
        sous_categorie=resume.sous_categorie,
        libelle_sous_categorie=resume.sous_categorie.libelle,
        type_objet=resume.type_objet,
        numero_objet=resume.numero_objet,
        structure_id=resume.structure_id,
        raison_sociale=resume.raison_sociale,
        utilisateur_id=resume.utilisateur_id,
        email=resume.email,
        destinataire=destinataire_sortie(resume.destinataire),
        resume=resume.resume,
        statut=resume.statut,
        libelle_statut=resume.statut.libelle,
        attente=resume.attente,
        date_creation=resume.date_creation,
        date_maj=resume.date_maj,
        nombre_pieces=resume.nombre_pieces,
        version=resume.version,
    )


def page_tickets(page: Page[ResumeTicket]) -> PageDe[ResumeTicketSortie]:
    return page_de(page, resume_ticket_sortie)


def categories_sortie(
    referentiel: Sequence[CategorieAvecSousCategories],
) -> list[CategorieTicketSortie]:
    return [
        CategorieTicketSortie(
            code=c.categorie,
            libelle=c.categorie.libelle,
            sous_categories=[
                SousCategorieSortie(
                    code=d.code,
                    libelle=d.libelle,
                    type_objet=d.type_objet,
                    libelle_type_objet=None if d.type_objet is None else d.type_objet.libelle,
                    objet_obligatoire=d.objet_obligatoire,
                    destinataire=d.destinataire,
                    libelle_destinataire=d.destinataire.libelle,
                )
                for d in c.sous_categories
            ],
        )
        for c in referentiel
    ]


def statuts_sortie() -> list[StatutTicketSortie]:
    return [StatutTicketSortie(code=s, libelle=s.libelle) for s in StatutTicket]
