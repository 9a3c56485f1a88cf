"""The support ticket (`CPROCS` + 7 digits) and its status machine.

A ticket is opened by a user of a structure and answered by the back office (the support,
or the business service its sous-catégorie routes it to). Everything that happens to it is
an `Activite`, appended to its history and never changed; the status moves only along
`TRANSITIONS`, the table below, which states for each action who performs it and, for each
state it may start from, the state it leads to.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import datetime

import attrs

from chorus.domain.errors import TransitionInvalide, ValidationError
from chorus.domain.identifiants import valider_email
from chorus.domain.pieces import NOMBRE_MAXIMUM_PAR_MEMOIRE, PieceJointe
from chorus.domain.support.referentiel import (
    CategorieTicket,
    DefinitionSousCategorie,
    Destinataire,
    SousCategorieTicket,
    TypeObjet,
    libelle_destinataire,
)
from chorus.domain.textes import texte_obligatoire, texte_optionnel

PREFIXE_NUMERO = "CPROCS"
LONGUEUR_RESUME = 100
LONGUEUR_DESCRIPTION = 4000
LONGUEUR_TEXTE = 4000
NOMBRE_MAXIMUM_PIECES = NOMBRE_MAXIMUM_PAR_MEMOIRE

_NUMERO = re.compile(r"CPROCS\d{7}")


def numero_ticket(sequence: int) -> str:
    """« CPROCS » + the sequence's value on 7 digits: CPROCS0000012."""
    if not 1 <= sequence <= 9_999_999:
        raise ValueError(f"ticket sequence out of range: {sequence}")
    return f"{PREFIXE_NUMERO}{sequence:07d}"


def est_un_numero_de_ticket(texte: str) -> bool:
    return _NUMERO.fullmatch(texte) is not None


_SEPARATEURS_TELEPHONE = re.compile(r"[\s.\-]")


def valider_telephone(valeur: object, champ: str = "telephone") -> str | None:
    """A French phone number (« 04 78 12 34 56 », « +33 4 78 12 34 56 », « 0478123456 »),
    written back as « 04 78 12 34 56 »; blank is None."""
    texte = texte_optionnel(valeur, champ, maximum=30)
    if texte is None:
        return None
    compact = _SEPARATEURS_TELEPHONE.sub("", texte)
    if compact.startswith("+33"):
        compact = "0" + compact[3:].removeprefix("(0)")
    elif compact.startswith("0033"):
        compact = "0" + compact[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", compact):
        raise ValidationError(
            "Numéro de téléphone invalide : saisissez un numéro français à 10 chiffres "
            "(par exemple 04 78 12 34 56 ou +33 4 78 12 34 56).",
            champ=champ,
        )
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))


class StatutTicket(enum.Enum):
    OUVERT = "OUVERT"
    EN_COURS = "EN_COURS"
    ACTION_REQUISE = "ACTION_REQUISE"
    RESOLU = "RESOLU"
    CLOS = "CLOS"

    @property
    def libelle(self) -> str:
        return {
            StatutTicket.OUVERT: "Ouvert",
            StatutTicket.EN_COURS: "En cours",
            StatutTicket.ACTION_REQUISE: "Action requise",
            StatutTicket.RESOLU: "Résolu",
            StatutTicket.CLOS: "Clôturé",
        }[self]


class Attente(enum.Enum):
    """What a ticket in ACTION_REQUISE waits for from its émetteur."""

    SOLUTION = "SOLUTION"
    INFORMATION = "INFORMATION"

    @property
    def libelle(self) -> str:
        return {
            Attente.SOLUTION: "Réponse à la solution proposée",
            Attente.INFORMATION: "Informations demandées",
        }[self]


class Cote(enum.Enum):
    """Who wrote an activity: the émetteur's side or the back office's."""

    UTILISATEUR = "UTILISATEUR"
    AGENT = "AGENT"

    @property
    def libelle(self) -> str:
        return "Utilisateur" if self is Cote.UTILISATEUR else "Support"


class NatureActivite(enum.Enum):
    CREATION = "CREATION"
    COMMENTAIRE = "COMMENTAIRE"
    PIECE_JOINTE = "PIECE_JOINTE"
    PRISE_EN_CHARGE = "PRISE_EN_CHARGE"
    SOLUTION = "SOLUTION"
    DEMANDE_INFORMATION = "DEMANDE_INFORMATION"
    INFORMATION = "INFORMATION"
    ACCEPTATION = "ACCEPTATION"
    REFUS = "REFUS"
    CLOTURE = "CLOTURE"

    @property
    def libelle(self) -> str:
        return {
            NatureActivite.CREATION: "Création du ticket",
            NatureActivite.COMMENTAIRE: "Commentaire",
            NatureActivite.PIECE_JOINTE: "Pièce jointe",
            NatureActivite.PRISE_EN_CHARGE: "Prise en charge",
            NatureActivite.SOLUTION: "Solution proposée",
            NatureActivite.DEMANDE_INFORMATION: "Demande d'informations",
            NatureActivite.INFORMATION: "Informations fournies",
            NatureActivite.ACCEPTATION: "Solution acceptée",
            NatureActivite.REFUS: "Solution refusée",
            NatureActivite.CLOTURE: "Clôture",
        }[self]


@attrs.frozen
class Etat:
    """Where a ticket stands: its status and, in ACTION_REQUISE, what it waits for."""

    statut: StatutTicket
    attente: Attente | None = None

    @property
    def libelle(self) -> str:
        if self.attente is None:
            return self.statut.libelle
        return f"{self.statut.libelle} ({self.attente.libelle.lower()})"


_T = StatutTicket
OUVERT = Etat(_T.OUVERT)
EN_COURS = Etat(_T.EN_COURS)
SOLUTION_PROPOSEE = Etat(_T.ACTION_REQUISE, Attente.SOLUTION)
INFORMATION_DEMANDEE = Etat(_T.ACTION_REQUISE, Attente.INFORMATION)
RESOLU = Etat(_T.RESOLU)
CLOS = Etat(_T.CLOS)
ETATS = (OUVERT, EN_COURS, SOLUTION_PROPOSEE, INFORMATION_DEMANDEE, RESOLU, CLOS)
_OUVERTS = (OUVERT, EN_COURS, SOLUTION_PROPOSEE, INFORMATION_DEMANDEE, RESOLU)


class ExigenceTexte(enum.Enum):
    AUCUN = "AUCUN"
    FACULTATIF = "FACULTATIF"
    OBLIGATOIRE = "OBLIGATOIRE"


class ActionTicket(enum.Enum):
    """Everything that can be done to an existing ticket, by either side."""

    # The émetteur's side.
    COMMENTER = "COMMENTER"
    AJOUTER_PIECE = "AJOUTER_PIECE"
    ACCEPTER_SOLUTION = "ACCEPTER_SOLUTION"
    REFUSER_SOLUTION = "REFUSER_SOLUTION"
    FOURNIR_INFORMATION = "FOURNIR_INFORMATION"
    CLOTURER = "CLOTURER"
    # The back office's side.
    PRENDRE_EN_CHARGE = "PRENDRE_EN_CHARGE"
    COMMENTER_AGENT = "COMMENTER_AGENT"
    PROPOSER_SOLUTION = "PROPOSER_SOLUTION"
    DEMANDER_INFORMATION = "DEMANDER_INFORMATION"

    @property
    def regle(self) -> RegleAction:
        return TRANSITIONS[self]


@attrs.frozen
class RegleAction:
    """One line of the table: who acts, what the activity records, whether a text is
    needed, which states the action starts from and the state each leads to, and the
    French sentence that refuses it from any other state."""

    cote: Cote
    nature: NatureActivite
    texte: ExigenceTexte
    vers: Mapping[Etat, Etat]
    libelle: str
    refus: str
    texte_manquant: str = "Ce champ est obligatoire."


def _meme(*etats: Etat) -> dict[Etat, Etat]:
    return {e: e for e in etats}


_A = ActionTicket
_U = Cote.UTILISATEUR
_G = Cote.AGENT
_N = NatureActivite
_X = ExigenceTexte

TRANSITIONS: dict[ActionTicket, RegleAction] = {
    _A.COMMENTER: RegleAction(
        _U,
        _N.COMMENTAIRE,
        _X.OBLIGATOIRE,
        _meme(*_OUVERTS),
        "commenter",
        "un ticket clôturé ne peut plus être commenté : ouvrez un nouveau ticket.",
        "Saisissez votre commentaire.",
    ),
    _A.AJOUTER_PIECE: RegleAction(
        _U,
        _N.PIECE_JOINTE,
        _X.FACULTATIF,
        _meme(*_OUVERTS),
        "ajouter une pièce jointe",
        "on ne peut plus joindre de pièce à un ticket clôturé : ouvrez un nouveau ticket.",
    ),
    _A.ACCEPTER_SOLUTION: RegleAction(
        _U,
        _N.ACCEPTATION,
        _X.FACULTATIF,
        {SOLUTION_PROPOSEE: RESOLU},
        "accepter la solution",
        "aucune solution n'attend votre réponse.",
    ),
    _A.REFUSER_SOLUTION: RegleAction(
        _U,
        _N.REFUS,
        _X.OBLIGATOIRE,
        {SOLUTION_PROPOSEE: EN_COURS},
        "refuser la solution",
        "aucune solution n'attend votre réponse.",
        "Expliquez pourquoi la solution proposée ne convient pas : le commentaire est "
        "obligatoire pour la refuser.",
    ),
    _A.FOURNIR_INFORMATION: RegleAction(
        _U,
        _N.INFORMATION,
        _X.OBLIGATOIRE,
        {INFORMATION_DEMANDEE: EN_COURS},
        "fournir des informations",
        "aucune information ne vous a été demandée.",
        "Saisissez les informations demandées.",
    ),
    _A.CLOTURER: RegleAction(
        _U,
        _N.CLOTURE,
        _X.FACULTATIF,
        dict.fromkeys(_OUVERTS, CLOS),
        "clôturer",
        "il est déjà clôturé.",
    ),
    _A.PRENDRE_EN_CHARGE: RegleAction(
        _G,
        _N.PRISE_EN_CHARGE,
        _X.FACULTATIF,
        {OUVERT: EN_COURS},
        "prendre en charge",
        "seul un ticket ouvert peut être pris en charge.",
    ),
    _A.COMMENTER_AGENT: RegleAction(
        _G,
        _N.COMMENTAIRE,
        _X.OBLIGATOIRE,
        {OUVERT: EN_COURS, **_meme(EN_COURS, SOLUTION_PROPOSEE, INFORMATION_DEMANDEE, RESOLU)},
        "commenter",
        "un ticket clôturé ne peut plus être commenté.",
        "Saisissez votre commentaire.",
    ),
    _A.PROPOSER_SOLUTION: RegleAction(
        _G,
        _N.SOLUTION,
        _X.OBLIGATOIRE,
        {OUVERT: SOLUTION_PROPOSEE, EN_COURS: SOLUTION_PROPOSEE},
        "proposer une solution",
        "une solution ne se propose que sur un ticket ouvert ou en cours.",
        "Décrivez la solution proposée.",
    ),
    _A.DEMANDER_INFORMATION: RegleAction(
        _G,
        _N.DEMANDE_INFORMATION,
        _X.OBLIGATOIRE,
        {OUVERT: INFORMATION_DEMANDEE, EN_COURS: INFORMATION_DEMANDEE},
        "demander des informations",
        "des informations ne se demandent que sur un ticket ouvert ou en cours.",
        "Précisez les informations demandées.",
    ),
}


def etat_apres(action: ActionTicket, depuis: Etat) -> Etat | None:
    """The state `action` leads to from `depuis`; None when the table refuses it."""
    return TRANSITIONS[action].vers.get(depuis)


def actions_possibles(etat: Etat, cote: Cote) -> tuple[ActionTicket, ...]:
    """The actions `cote` may take on a ticket in `etat` (what a screen offers)."""
    return tuple(a for a, r in TRANSITIONS.items() if r.cote is cote and etat in r.vers)


@attrs.frozen
class Emetteur:
    """Who opened the ticket, for which structure, and how to reach them."""

    structure_id: str
    raison_sociale: str
    utilisateur_id: str
    nom: str
    email: str
    telephone: str | None = None


@attrs.frozen
class DestinataireTicket:
    """The service the ticket is routed to; a service centralisateur's carries its
    juridiction."""

    code: Destinataire
    libelle: str
    juridiction_code: str | None = None

    @staticmethod
    def de(
        code: Destinataire,
        juridiction_code: str | None = None,
        nom_juridiction: str | None = None,
    ) -> DestinataireTicket:
        if code is Destinataire.SERVICE_CENTRALISATEUR and not juridiction_code:
            raise ValidationError(
                "Un ticket adressé au service centralisateur doit porter la juridiction du "
                "mémoire.",
                champ="numero_objet",
            )
        if code is not Destinataire.SERVICE_CENTRALISATEUR:
            juridiction_code = None
        return DestinataireTicket(
            code=code,
            libelle=libelle_destinataire(code, nom_juridiction or juridiction_code),
            juridiction_code=juridiction_code,
        )


@attrs.frozen
class Activite:
    """One entry of a ticket's history, never changed once written."""

    date: datetime
    auteur: str
    cote: Cote
    nature: NatureActivite
    statut: StatutTicket
    """The ticket's status once the activity was recorded."""
    texte: str | None = None
    piece_id: str | None = None


@attrs.frozen
class ObjetTicket:
    """The mémoire or demande a ticket is about, as the use case found it."""

    type: TypeObjet
    numero: str
    id: str


@attrs.frozen
class Ticket:
    """A support ticket; see the module's docstring."""

    id: str
    numero: str
    categorie: CategorieTicket
    sous_categorie: SousCategorieTicket
    type_objet: TypeObjet | None
    numero_objet: str | None
    objet_id: str | None
    emetteur: Emetteur
    destinataire: DestinataireTicket
    resume: str
    description: str
    statut: StatutTicket
    date_creation: datetime
    date_maj: datetime
    attente: Attente | None = None
    pieces: tuple[PieceJointe, ...] = ()
    activites: tuple[Activite, ...] = ()
    version: int = 0

    @staticmethod
    def creer(
        *,
        id: str,
        numero: str,
        sous_categorie: SousCategorieTicket,
        emetteur: Emetteur,
        destinataire: DestinataireTicket,
        resume: object,
        description: object,
        auteur: str,
        maintenant: datetime,
        objet: ObjetTicket | None = None,
        categorie: CategorieTicket | None = None,
        pieces: tuple[PieceJointe, ...] = (),
    ) -> Ticket:
        """A new OUVERT ticket, its creation as first activity. `objet` is the mémoire or
        demande found for the numéro d'objet: it must be of the sous-catégorie's type, and
        is required when the sous-catégorie says so."""
        definition = sous_categorie.definition
        if categorie is not None and categorie is not definition.categorie:
            raise ValidationError(
                f"La sous-catégorie « {definition.libelle} » n'appartient pas à la catégorie "
                f"« {categorie.libelle} ».",
                champ="sous_categorie",
            )
        exiger_numero_objet(definition, None if objet is None else objet.numero)
        if objet is not None and objet.type is not definition.type_objet:
            raise ValidationError(
                f"La sous-catégorie « {definition.libelle} » ne porte pas sur {_un(objet.type)}.",
                champ="type_objet",
            )
        if destinataire.code is not definition.destinataire:
            raise ValidationError(
                f"La sous-catégorie « {definition.libelle} » est traitée par « "
                f"{definition.destinataire.libelle} ».",
                champ="sous_categorie",
            )
        if not est_un_numero_de_ticket(numero):
            raise ValueError(f"not a ticket number: {numero!r}")
        if len(pieces) > NOMBRE_MAXIMUM_PIECES:
            raise ValidationError(
                f"Un ticket porte au plus {NOMBRE_MAXIMUM_PIECES} pièces jointes.",
                champ="pieces",
            )
        emetteur = attrs.evolve(
            emetteur,
            email=valider_email(emetteur.email),
            telephone=valider_telephone(emetteur.telephone),
        )
        creation = Activite(
            date=maintenant,
            auteur=auteur,
            cote=Cote.UTILISATEUR,
            nature=NatureActivite.CREATION,
            statut=StatutTicket.OUVERT,
        )
        return Ticket(
            id=id,
            numero=numero,
            categorie=definition.categorie,
            sous_categorie=sous_categorie,
            type_objet=None if objet is None else objet.type,
            numero_objet=None if objet is None else objet.numero,
            objet_id=None if objet is None else objet.id,
            emetteur=emetteur,
            destinataire=destinataire,
            resume=texte_obligatoire(resume, "resume", maximum=LONGUEUR_RESUME),
            description=texte_obligatoire(description, "description", maximum=LONGUEUR_DESCRIPTION),
            statut=StatutTicket.OUVERT,
            date_creation=maintenant,
            date_maj=maintenant,
            pieces=pieces,
            activites=(
                creation,
                *(
                    Activite(
                        date=maintenant,
                        auteur=auteur,
                        cote=Cote.UTILISATEUR,
                        nature=NatureActivite.PIECE_JOINTE,
                        statut=StatutTicket.OUVERT,
                        texte=p.nom_fichier,
                        piece_id=p.id,
                    )
                    for p in pieces
                ),
            ),
        )

    # -- reading -------------------------------------------------------------------------

    @property
    def etat(self) -> Etat:
        return Etat(self.statut, self.attente)

    @property
    def clos(self) -> bool:
        return self.statut is StatutTicket.CLOS

    def actions_possibles(self, cote: Cote) -> tuple[ActionTicket, ...]:
        return actions_possibles(self.etat, cote)

    def piece(self, piece_id: str) -> PieceJointe | None:
        return next((p for p in self.pieces if p.id == piece_id), None)

    def derniere(self, nature: NatureActivite) -> Activite | None:
        """The latest activity of that nature (the solution proposed, the question asked)."""
        return next((a for a in reversed(self.activites) if a.nature is nature), None)

    # -- the status machine --------------------------------------------------------------

    def agir(
        self,
        action: ActionTicket,
        *,
        auteur: str,
        maintenant: datetime,
        texte: object = None,
        piece: PieceJointe | None = None,
    ) -> Ticket:
        """`action` taken by `auteur` at `maintenant`, as `TRANSITIONS` allows it; one more
        activity in the history. `TransitionInvalide` from a state the table does not list,
        `ValidationError` for a missing text or pièce."""
        regle = TRANSITIONS[action]
        vers = regle.vers.get(self.etat)
        if vers is None:
            raise TransitionInvalide(
                f"Le ticket n°{self.numero} est à l'état « {self.etat.libelle} » : impossible "
                f"de {regle.libelle}, {regle.refus}"
            )
        if regle.texte is ExigenceTexte.OBLIGATOIRE:
            if texte is None or (isinstance(texte, str) and not texte.strip()):
                raise ValidationError(regle.texte_manquant, champ="texte")
            propre: str | None = texte_obligatoire(texte, "texte", maximum=LONGUEUR_TEXTE)
        else:
            propre = texte_optionnel(texte, "texte", maximum=LONGUEUR_TEXTE)
        pieces = self.pieces
        if action is ActionTicket.AJOUTER_PIECE:
            if piece is None:
                raise ValidationError("Choisissez le fichier à joindre.", champ="fichier")
            if len(self.pieces) >= NOMBRE_MAXIMUM_PIECES:
                raise ValidationError(
                    f"Un ticket porte au plus {NOMBRE_MAXIMUM_PIECES} pièces jointes.",
                    champ="fichier",
                )
            if self.piece(piece.id) is not None:
                raise ValueError(f"pièce id already used: {piece.id}")
            pieces = (*pieces, piece)
        elif piece is not None:
            raise ValueError(f"{action.value} takes no pièce")
        activite = Activite(
            date=maintenant,
            auteur=auteur,
            cote=regle.cote,
            nature=regle.nature,
            statut=vers.statut,
            texte=propre,
            piece_id=None if piece is None else piece.id,
        )
        return attrs.evolve(
            self,
            statut=vers.statut,
            attente=vers.attente,
            pieces=pieces,
            activites=(*self.activites, activite),
            date_maj=max(maintenant, self.date_maj),
        )

    # The émetteur's side -----------------------------------------------------------------

    def commenter(self, *, auteur: str, maintenant: datetime, texte: object) -> Ticket:
        return self.agir(ActionTicket.COMMENTER, auteur=auteur, maintenant=maintenant, texte=texte)

    def ajouter_piece(
        self, piece: PieceJointe, *, auteur: str, maintenant: datetime, texte: object = None
    ) -> Ticket:
        return self.agir(
            ActionTicket.AJOUTER_PIECE,
            auteur=auteur,
            maintenant=maintenant,
            texte=texte,
            piece=piece,
        )

    def accepter_solution(
        self, *, auteur: str, maintenant: datetime, texte: object = None
    ) -> Ticket:
        return self.agir(
            ActionTicket.ACCEPTER_SOLUTION, auteur=auteur, maintenant=maintenant, texte=texte
        )

    def refuser_solution(self, *, auteur: str, maintenant: datetime, texte: object) -> Ticket:
        return self.agir(
            ActionTicket.REFUSER_SOLUTION, auteur=auteur, maintenant=maintenant, texte=texte
        )

    def fournir_information(self, *, auteur: str, maintenant: datetime, texte: object) -> Ticket:
        return self.agir(
            ActionTicket.FOURNIR_INFORMATION, auteur=auteur, maintenant=maintenant, texte=texte
        )

    def cloturer(self, *, auteur: str, maintenant: datetime, texte: object = None) -> Ticket:
        return self.agir(ActionTicket.CLOTURER, auteur=auteur, maintenant=maintenant, texte=texte)

    # The back office's side --------------------------------------------------------------

    def prendre_en_charge(
        self, *, auteur: str, maintenant: datetime, texte: object = None
    ) -> Ticket:
        return self.agir(
            ActionTicket.PRENDRE_EN_CHARGE, auteur=auteur, maintenant=maintenant, texte=texte
        )

    def commenter_agent(self, *, auteur: str, maintenant: datetime, texte: object) -> Ticket:
        return self.agir(
            ActionTicket.COMMENTER_AGENT, auteur=auteur, maintenant=maintenant, texte=texte
        )

    def proposer_solution(self, *, auteur: str, maintenant: datetime, texte: object) -> Ticket:
        return self.agir(
            ActionTicket.PROPOSER_SOLUTION, auteur=auteur, maintenant=maintenant, texte=texte
        )

    def demander_information(self, *, auteur: str, maintenant: datetime, texte: object) -> Ticket:
        return self.agir(
            ActionTicket.DEMANDER_INFORMATION, auteur=auteur, maintenant=maintenant, texte=texte
        )


def exiger_numero_objet(definition: DefinitionSousCategorie, numero_objet: str | None) -> None:
    """Refuse a ticket without the numéro d'objet its sous-catégorie requires (checked
    before anything else is looked up for it: where it goes depends on that object)."""
    if numero_objet is None and definition.objet_obligatoire:
        assert definition.type_objet is not None
        raise ValidationError(
            f"Le numéro {_du(definition.type_objet)} est obligatoire pour la "
            f"sous-catégorie « {definition.libelle} ».",
            champ="numero_objet",
        )


def _du(type_objet: TypeObjet) -> str:
    return "du mémoire" if type_objet is TypeObjet.MEMOIRE else "de la demande TIC/TICGN"


def _un(type_objet: TypeObjet) -> str:
    return "un mémoire" if type_objet is TypeObjet.MEMOIRE else "une demande TIC/TICGN"
