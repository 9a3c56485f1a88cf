"""Use cases of the support tickets: the user's side (`TicketService`: open a ticket about a
mémoire, a demande TIC, an account…, follow it, answer the back office) and the back
office's (`SupportService`: the queue, and the answers — take in charge, comment, propose a
solution, ask for information).

A ticket is visible to the validated members of its émetteur's structure, and to the agents
whose perimeter covers its destinataire (see `chorus.domain.support.acces`). Each use case
loads what it needs in one unit of work, lets the domain's status machine decide, and
commits once; the emails an answer causes are queued in the same unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import attrs

from chorus.domain import acces
from chorus.domain.courriels import Courriel
from chorus.domain.errors import NonTrouve, ValidationError
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.support.acces import (
    INTROUVABLE,
    exiger_perimetre_support,
    perimetre_support,
    traite_les_tickets,
)
from chorus.domain.support.referentiel import (
    SOUS_CATEGORIES,
    CategorieTicket,
    DefinitionSousCategorie,
    Destinataire,
    TypeObjet,
    lire_categorie,
    lire_sous_categorie,
    lire_type_objet,
    sous_categories_de,
)
from chorus.domain.support.ticket import (
    ActionTicket,
    DestinataireTicket,
    Emetteur,
    NatureActivite,
    ObjetTicket,
    StatutTicket,
    Ticket,
    exiger_numero_objet,
    numero_ticket,
    valider_telephone,
)
from chorus.domain.textes import exiger_texte, texte_optionnel
from chorus.domain.utilisateur import StatutUtilisateur, Utilisateur
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Page, Pagination
from chorus.ports.support import CriteresTicket, OngletTicket, ResumeTicket, lire_recherche
from chorus.services.contexte import Ports, libelle_acteur, verifier_version

SEQUENCE_TICKETS = "tickets"


@attrs.frozen
class CategorieAvecSousCategories:
    """One catégorie of the référentiel with its sous-catégories, in the form's order."""

    categorie: CategorieTicket
    sous_categories: tuple[DefinitionSousCategorie, ...]


def referentiel_tickets() -> tuple[CategorieAvecSousCategories, ...]:
    """The catégories and sous-catégories a ticket is opened under (with each one's
    object and destinataire)."""
    return tuple(CategorieAvecSousCategories(c, sous_categories_de(c)) for c in CategorieTicket)


@attrs.frozen
class FichierJoint:
    """A file sent with a new ticket."""

    nom_fichier: str
    contenu: bytes


@attrs.frozen
class SaisieTicket:
    """The form « Nous contacter » as typed: codes may be given as text (checked here)."""

    structure_id: object
    categorie: object
    sous_categorie: object
    resume: object
    description: object
    type_objet: object = None
    numero_objet: object = None
    telephone: object = None
    pieces: Sequence[FichierJoint] = ()


def _numero(numero: object, champ: str = "numero") -> str:
    return exiger_texte(numero, champ).strip().upper()


class _Commun:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def _par_numero(self, uow: UnitOfWork, numero: object) -> Ticket:
        ticket = uow.tickets.par_numero(_numero(numero))
        if ticket is None:
            raise NonTrouve(INTROUVABLE)
        return ticket

    def _piece(self, ticket: Ticket, piece_id: str) -> tuple[PieceJointe, bytes]:
        piece = ticket.piece(piece_id)
        if piece is None:
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return piece, self._p.blobs.lire(piece.sha256)

    def _nouvelle_piece(self, fichier: FichierJoint, designation: str | None = None) -> PieceJointe:
        return self._p.nouvelle_piece(
            contenu=fichier.contenu,
            nom_fichier=fichier.nom_fichier,
            type_piece=TypePiece.AUTRE,
            designation=designation,
        )


class TicketService(_Commun):
    """The user's side: « Nous contacter » and « Mes tickets »."""

    def referentiel(self) -> tuple[CategorieAvecSousCategories, ...]:
        return referentiel_tickets()

    # -- access ----------------------------------------------------------------------------

    def _structures(self, uow: UnitOfWork, acteur_id: str) -> frozenset[str]:
        return frozenset(
            s.id for s in uow.structures.pour_utilisateur(acteur_id) if s.est_membre(acteur_id)
        )

    def _charger(self, uow: UnitOfWork, acteur_id: str, numero: object) -> Ticket:
        """The ticket, if the user is a validated member of its structure; to anyone
        else it does not exist."""
        ticket = self._par_numero(uow, numero)
        if ticket.emetteur.structure_id not in self._structures(uow, acteur_id):
            raise NonTrouve(INTROUVABLE)
        return ticket

    # -- opening a ticket ------------------------------------------------------------------

    def _objet(
        self,
        uow: UnitOfWork,
        acteur_id: str,
        structure: Structure,
        definition: DefinitionSousCategorie,
        type_objet: TypeObjet | None,
        numero_objet: str | None,
    ) -> tuple[ObjetTicket | None, str | None]:
        """The mémoire or demande the ticket is about, and its juridiction's code for a
        mémoire; unknown, another structure's or not visible to the user all read the same."""
        if type_objet is not None and type_objet is not definition.type_objet:
            attendu = (
                "aucun objet"
                if definition.type_objet is None
                else f"le type d'objet {definition.type_objet.value}"
            )
            raise ValidationError(
                f"La sous-catégorie « {definition.libelle} » porte sur {attendu}.",
                champ="type_objet",
            )
        exiger_numero_objet(definition, numero_objet)
        if numero_objet is None:
            return None, None
        if definition.type_objet is None:
            raise ValidationError(
                f"La sous-catégorie « {definition.libelle} » ne porte sur aucun mémoire ni "
                "aucune demande : laissez le numéro d'objet vide.",
                champ="numero_objet",
            )
        if definition.type_objet is TypeObjet.MEMOIRE:
            memoire = uow.memoires.par_numero(numero_objet)
            if (
                memoire is not None
                and memoire.entete.structure_id == structure.id
                and acces.peut(
                    structure,
                    acteur_id,
                    Application.FRAIS_DE_JUSTICE,
                    Profil.CONSULTATION,
                    memoire.entete.service_id,
                )
            ):
                return (
                    ObjetTicket(TypeObjet.MEMOIRE, memoire.numero, memoire.id),
                    memoire.entete.juridiction_code,
                )
            raise NonTrouve(
                f"Introuvable : le mémoire n°{numero_objet} n'existe pas ou ne vous est pas "
                "accessible pour cette structure.",
                champ="numero_objet",
            )
        demande = uow.demandes_tic.par_numero(numero_objet)
        if (
            demande is not None
            and demande.structure_id == structure.id
            and acces.peut(structure, acteur_id, Application.TIC, Profil.CONSULTATION)
        ):
            return ObjetTicket(TypeObjet.DEMANDE_TIC, demande.numero, demande.id), None
        raise NonTrouve(
            f"Introuvable : la demande n°{numero_objet} n'existe pas ou ne vous est pas "
            "accessible pour cette structure.",
            champ="numero_objet",
        )

    def _destinataire(
        self, definition: DefinitionSousCategorie, juridiction_code: str | None
    ) -> DestinataireTicket:
        nom = None
        if juridiction_code is not None:
            juridiction = self._p.referentiels.juridiction(juridiction_code)
            nom = None if juridiction is None else juridiction.libelle
        return DestinataireTicket.de(definition.destinataire, juridiction_code, nom)

    def creer(self, acteur_id: str, saisie: SaisieTicket) -> Ticket:
        """« Nous contacter »: a new OUVERT ticket of the user for one of their structures,
        routed by its sous-catégorie (to the mémoire's juridiction for the service
        centralisateur), with its pièces."""
        categorie = lire_categorie(saisie.categorie)
        sous_categorie = lire_sous_categorie(saisie.sous_categorie)
        definition = SOUS_CATEGORIES[sous_categorie]
        if definition.categorie is not categorie:
            raise ValidationError(
                f"La sous-catégorie « {definition.libelle} » n'appartient pas à la catégorie "
                f"« {categorie.libelle} ».",
                champ="sous_categorie",
            )
        type_objet = lire_type_objet(saisie.type_objet)
        numero_objet = texte_optionnel(saisie.numero_objet, "numero_objet", maximum=40)
        if numero_objet is not None:
            numero_objet = numero_objet.upper()
        structure_id = exiger_texte(saisie.structure_id, "structure_id")
        fichiers = list(saisie.pieces)
        pieces = tuple(self._nouvelle_piece(f) for f in fichiers)
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_membre(structure, acteur_id)
            utilisateur = uow.utilisateurs.obtenir(acteur_id)
            objet, juridiction = self._objet(
                uow, acteur_id, structure, definition, type_objet, numero_objet
            )
            maintenant = self._p.clock.maintenant()
            ticket = Ticket.creer(
                id=self._p.ids.nouveau(),
                numero=numero_ticket(uow.sequences.suivant(SEQUENCE_TICKETS)),
                categorie=categorie,
                sous_categorie=sous_categorie,
                emetteur=Emetteur(
                    structure_id=structure.id,
                    raison_sociale=structure.raison_sociale,
                    utilisateur_id=utilisateur.id,
                    nom=utilisateur.nom_complet,
                    email=utilisateur.email,
                    telephone=valider_telephone(saisie.telephone),
                ),
                destinataire=self._destinataire(definition, juridiction),
                resume=saisie.resume,
                description=saisie.description,
                auteur=libelle_acteur(utilisateur),
                maintenant=maintenant,
                objet=objet,
                pieces=pieces,
            )
            for fichier in fichiers:
                self._p.blobs.deposer(fichier.contenu)
            uow.tickets.ajouter(ticket)
            uow.commit()
            return ticket

    # -- reading ---------------------------------------------------------------------------

    def _criteres(
        self,
        uow: UnitOfWork,
        acteur_id: str,
        onglet: OngletTicket | None,
        q: object,
        statut: StatutTicket | None,
    ) -> CriteresTicket:
        return CriteresTicket(
            structures=self._structures(uow, acteur_id),
            onglet=onglet,
            statut=statut,
            mots=lire_recherche(q),
        )

    def lister(
        self,
        acteur_id: str,
        *,
        onglet: OngletTicket | None = OngletTicket.TOUS,
        q: object = None,
        statut: StatutTicket | None = None,
        pagination: Pagination | None = None,
    ) -> Page[ResumeTicket]:
        """« Mes tickets »: the tickets of the user's structures (their own and their
        colleagues'), in a tab, matching the keywords, the latest update first."""
        with self._p.uow.lecture() as uow:
            criteres = self._criteres(uow, acteur_id, onglet, q, statut)
            return uow.tickets.rechercher(criteres, pagination or Pagination())

    def tous(
        self,
        acteur_id: str,
        *,
        onglet: OngletTicket | None = OngletTicket.TOUS,
        q: object = None,
        statut: StatutTicket | None = None,
    ) -> Sequence[ResumeTicket]:
        """Every ticket `lister` would show, for the CSV export."""
        with self._p.uow.lecture() as uow:
            return uow.tickets.tous(self._criteres(uow, acteur_id, onglet, q, statut))

    def obtenir(self, acteur_id: str, numero: object) -> Ticket:
        with self._p.uow.lecture() as uow:
            return self._charger(uow, acteur_id, numero)

    def lire_piece(
        self, acteur_id: str, numero: object, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        """A pièce of the ticket, with its content."""
        return self._piece(self.obtenir(acteur_id, numero), piece_id)

    # -- the user's answers ----------------------------------------------------------------

    def _agir(
        self,
        acteur_id: str,
        numero: object,
        version_attendue: int | None,
        changement: Callable[[Ticket, str, datetime], Ticket],
    ) -> Ticket:
        with self._p.uow as uow:
            ticket = self._charger(uow, acteur_id, numero)
            verifier_version(ticket.version, version_attendue)
            auteur = libelle_acteur(uow.utilisateurs.obtenir(acteur_id))
            change = changement(ticket, auteur, self._p.clock.maintenant())
            enregistre = uow.tickets.enregistrer(change)
            uow.commit()
            return enregistre

    def _action(
        self,
        action: ActionTicket,
        acteur_id: str,
        numero: object,
        texte: object,
        version_attendue: int | None,
    ) -> Ticket:
        return self._agir(
            acteur_id,
            numero,
            version_attendue,
            lambda t, auteur, maintenant: t.agir(
                action, auteur=auteur, maintenant=maintenant, texte=texte
            ),
        )

    def commenter(
        self, acteur_id: str, numero: object, texte: object, *, version_attendue: int | None = None
    ) -> Ticket:
        return self._action(ActionTicket.COMMENTER, acteur_id, numero, texte, version_attendue)

    def ajouter_piece(
        self,
        acteur_id: str,
        numero: object,
        *,
        contenu: bytes,
        nom_fichier: str,
        designation: str | None = None,
        commentaire: object = None,
        version_attendue: int | None = None,
    ) -> Ticket:
        """Attach a file to the ticket (its content is stored with the change), described
        by `designation` (its file name when None); the new pièce is the ticket's last."""
        piece = self._nouvelle_piece(FichierJoint(nom_fichier, contenu), designation)

        def joindre(ticket: Ticket, auteur: str, maintenant: datetime) -> Ticket:
            change = ticket.ajouter_piece(
                piece, auteur=auteur, maintenant=maintenant, texte=commentaire
            )
            self._p.blobs.deposer(contenu)
            return change

        return self._agir(acteur_id, numero, version_attendue, joindre)

    def accepter_solution(
        self,
        acteur_id: str,
        numero: object,
        *,
        commentaire: object = None,
        version_attendue: int | None = None,
    ) -> Ticket:
        """The proposed solution suits the user: RESOLU."""
        return self._action(
            ActionTicket.ACCEPTER_SOLUTION, acteur_id, numero, commentaire, version_attendue
        )

    def refuser_solution(
        self,
        acteur_id: str,
        numero: object,
        commentaire: object,
        *,
        version_attendue: int | None = None,
    ) -> Ticket:
        """The proposed solution does not suit: back to EN_COURS, saying why."""
        return self._action(
            ActionTicket.REFUSER_SOLUTION, acteur_id, numero, commentaire, version_attendue
        )

    def fournir_information(
        self, acteur_id: str, numero: object, texte: object, *, version_attendue: int | None = None
    ) -> Ticket:
        """The information the back office asked for: back to EN_COURS."""
        return self._action(
            ActionTicket.FOURNIR_INFORMATION, acteur_id, numero, texte, version_attendue
        )

    def cloturer(
        self,
        acteur_id: str,
        numero: object,
        *,
        commentaire: object = None,
        version_attendue: int | None = None,
    ) -> Ticket:
        return self._action(ActionTicket.CLOTURER, acteur_id, numero, commentaire, version_attendue)


_SUJETS = {
    NatureActivite.SOLUTION: "une solution vous est proposée",
    NatureActivite.DEMANDE_INFORMATION: "des informations vous sont demandées",
}


class SupportService(_Commun):
    """The back office's side: the queue of the tickets an agent answers, and the answers."""

    def __init__(self, ports: Ports, *, url_de_base: str = "http://127.0.0.1:8000") -> None:
        super().__init__(ports)
        self._url_de_base = url_de_base.rstrip("/")

    @staticmethod
    def traite_les_tickets(utilisateur: Utilisateur) -> bool:
        """Whether `utilisateur` gets the back office's ticket screens."""
        return traite_les_tickets(utilisateur)

    def _agent(self, uow: UnitOfWork, acteur_id: str) -> Utilisateur:
        agent = uow.utilisateurs.obtenir(acteur_id)
        perimetre_support(agent)
        return agent

    def _charger(self, uow: UnitOfWork, agent: Utilisateur, numero: object) -> Ticket:
        ticket = self._par_numero(uow, numero)
        exiger_perimetre_support(
            agent, ticket.destinataire.code, ticket.destinataire.juridiction_code
        )
        return ticket

    def _criteres(
        self,
        agent: Utilisateur,
        onglet: OngletTicket | None,
        q: object,
        statut: StatutTicket | None,
        destinataire: Destinataire | None,
    ) -> CriteresTicket:
        perimetre = perimetre_support(agent)
        destinataires = perimetre.destinataires
        if destinataire is not None:
            destinataires = (
                frozenset({destinataire})
                if destinataires is None or destinataire in destinataires
                else frozenset()
            )
        return CriteresTicket(
            structures=None,
            destinataires=destinataires,
            juridictions=perimetre.juridictions,
            onglet=onglet,
            statut=statut,
            mots=lire_recherche(q),
        )

    def file(
        self,
        acteur_id: str,
        *,
        onglet: OngletTicket | None = OngletTicket.A_TRAITER,
        q: object = None,
        statut: StatutTicket | None = None,
        destinataire: Destinataire | None = None,
        pagination: Pagination | None = None,
    ) -> Page[ResumeTicket]:
        """The agent's queue: the tickets of their perimeter (by default those waiting for
        the back office), the latest update first."""
        with self._p.uow.lecture() as uow:
            agent = self._agent(uow, acteur_id)
            criteres = self._criteres(agent, onglet, q, statut, destinataire)
            return uow.tickets.rechercher(criteres, pagination or Pagination())

    def tous(
        self,
        acteur_id: str,
        *,
        onglet: OngletTicket | None = OngletTicket.A_TRAITER,
        q: object = None,
        statut: StatutTicket | None = None,
        destinataire: Destinataire | None = None,
    ) -> Sequence[ResumeTicket]:
        """Every ticket `file` would show, for the CSV export."""
        with self._p.uow.lecture() as uow:
            agent = self._agent(uow, acteur_id)
            return uow.tickets.tous(self._criteres(agent, onglet, q, statut, destinataire))

    def obtenir(self, acteur_id: str, numero: object) -> Ticket:
        with self._p.uow.lecture() as uow:
            return self._charger(uow, self._agent(uow, acteur_id), numero)

    def lire_piece(
        self, acteur_id: str, numero: object, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        return self._piece(self.obtenir(acteur_id, numero), piece_id)

    def _action(
        self,
        action: ActionTicket,
        acteur_id: str,
        numero: object,
        texte: object,
        version_attendue: int | None,
    ) -> Ticket:
        with self._p.uow as uow:
            agent = self._agent(uow, acteur_id)
            ticket = self._charger(uow, agent, numero)
            verifier_version(ticket.version, version_attendue)
            maintenant = self._p.clock.maintenant()
            change = ticket.agir(
                action, auteur=libelle_acteur(agent), maintenant=maintenant, texte=texte
            )
            enregistre = uow.tickets.enregistrer(change)
            activite = enregistre.activites[-1]
            if activite.nature in _SUJETS:
                self._prevenir(uow, enregistre, activite.nature, activite.texte or "", maintenant)
            uow.commit()
            return enregistre

    def _prevenir(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        nature: NatureActivite,
        texte: str,
        maintenant: datetime,
    ) -> None:
        """Queue the email telling the émetteur the back office waits for their answer, at
        the address their account has now (not the one frozen in the ticket); none to an
        account no longer active."""
        try:
            emetteur = uow.utilisateurs.obtenir(ticket.emetteur.utilisateur_id)
        except NonTrouve:
            return
        if emetteur.statut is not StatutUtilisateur.ACTIF:
            return
        if nature is NatureActivite.SOLUTION:
            suite = (
                "Si elle répond à votre demande, acceptez-la ; sinon, refusez-la en "
                "expliquant pourquoi : le ticket sera repris."
            )
        else:
            suite = "Répondez depuis le ticket : son traitement reprendra dès votre réponse."
        uow.courriels.ajouter(
            Courriel.nouveau(
                id=self._p.ids.nouveau(),
                destinataire=emetteur.email,
                sujet=f"Chorus Pro – ticket {ticket.numero} : {_SUJETS[nature]}",
                corps=(
                    f"Bonjour {ticket.emetteur.nom},\n\n"
                    f"Votre ticket n°{ticket.numero} « {ticket.resume} » "
                    f"({ticket.destinataire.libelle}) attend votre action : "
                    f"{_SUJETS[nature]}.\n\n"
                    f"{texte}\n\n"
                    f"{suite}\n\n"
                    f"Retrouvez-le dans l'espace Support du portail : {self._url_de_base}\n\n"
                    "Chorus Pro"
                ),
                maintenant=maintenant,
            )
        )

    def prendre_en_charge(
        self,
        acteur_id: str,
        numero: object,
        *,
        commentaire: object = None,
        version_attendue: int | None = None,
    ) -> Ticket:
        return self._action(
            ActionTicket.PRENDRE_EN_CHARGE, acteur_id, numero, commentaire, version_attendue
        )

    def commenter(
        self, acteur_id: str, numero: object, texte: object, *, version_attendue: int | None = None
    ) -> Ticket:
        """A comment of the back office (an OUVERT ticket is taken in charge with it)."""
        return self._action(
            ActionTicket.COMMENTER_AGENT, acteur_id, numero, texte, version_attendue
        )

    def proposer_solution(
        self, acteur_id: str, numero: object, texte: object, *, version_attendue: int | None = None
    ) -> Ticket:
        """ACTION_REQUISE, waiting for the émetteur to accept or refuse; they are emailed."""
        return self._action(
            ActionTicket.PROPOSER_SOLUTION, acteur_id, numero, texte, version_attendue
        )

    def demander_information(
        self, acteur_id: str, numero: object, texte: object, *, version_attendue: int | None = None
    ) -> Ticket:
        """ACTION_REQUISE, waiting for the émetteur's information; they are emailed."""
        return self._action(
            ActionTicket.DEMANDER_INFORMATION, acteur_id, numero, texte, version_attendue
        )
