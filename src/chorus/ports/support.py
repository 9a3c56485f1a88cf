"""Storage and read side of the support tickets.

Lists return `ResumeTicket` rows, not whole tickets. `correspond` and `trier_tickets` are the
reference semantics for adapters that search by scan; the keyword search (`q`) is defined by
`mots` and `mots_du_ticket`: a ticket matches when every word of the query is the beginning
of one of its words, accents and case aside (SQLite's FTS5 `unicode61 remove_diacritics 2`
tokenizer with prefix queries gives the same answers).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol

import attrs

from chorus.domain.errors import ValidationError
from chorus.domain.support.referentiel import (
    CategorieTicket,
    Destinataire,
    SousCategorieTicket,
    TypeObjet,
)
from chorus.domain.support.ticket import (
    Attente,
    DestinataireTicket,
    StatutTicket,
    Ticket,
)
from chorus.domain.textes import texte_optionnel
from chorus.ports.requetes import Page, Pagination

LONGUEUR_RECHERCHE = 200
MOTS_MAXIMUM = 12


class OngletTicket(enum.Enum):
    """The lists' tabs; the value is the API's `onglet` parameter."""

    ACTIONS_REQUISES = "actions-requises"
    """The tickets waiting for their émetteur (ACTION_REQUISE)."""
    TOUS = "tous"
    """Every ticket but the closed ones."""
    A_TRAITER = "a-traiter"
    """The back office's queue: the tickets waiting for an agent (OUVERT, EN_COURS)."""

    @property
    def libelle(self) -> str:
        return {
            OngletTicket.ACTIONS_REQUISES: "Actions requises",
            OngletTicket.TOUS: "Tous (sauf clôturés)",
            OngletTicket.A_TRAITER: "À traiter",
        }[self]

    @property
    def statuts(self) -> frozenset[StatutTicket]:
        return {
            OngletTicket.ACTIONS_REQUISES: frozenset({StatutTicket.ACTION_REQUISE}),
            OngletTicket.TOUS: frozenset(StatutTicket) - {StatutTicket.CLOS},
            OngletTicket.A_TRAITER: frozenset({StatutTicket.OUVERT, StatutTicket.EN_COURS}),
        }[self]

    @staticmethod
    def lire(valeur: object, champ: str = "onglet") -> OngletTicket:
        """A tab from its API value (« actions-requises ») or its name (« ACTIONS_REQUISES »)."""
        if isinstance(valeur, OngletTicket):
            return valeur
        if isinstance(valeur, str):
            texte = valeur.strip()
            for onglet in OngletTicket:
                if texte in (onglet.value, onglet.name):
                    return onglet
        valeurs = ", ".join(o.value for o in OngletTicket)
        raise ValidationError(f"Onglet inconnu : choisissez parmi {valeurs}.", champ=champ)


# What a word is: letters and digits (the underscore, like any other sign, separates).
_MOT = re.compile(r"[^\W_]+")


def replier(texte: str) -> str:
    """`texte` in lower case without its accents (« Élève » → « eleve »)."""
    decompose = unicodedata.normalize("NFD", texte)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", sans_accents).lower()


def mots(texte: str) -> list[str]:
    """The words of `texte`, folded (`replier`), in order."""
    return _MOT.findall(replier(texte))


def lire_recherche(q: object, champ: str = "q") -> tuple[str, ...]:
    """The words of a keyword search (empty: no search); refused when too long."""
    texte = texte_optionnel(q, champ, maximum=LONGUEUR_RECHERCHE)
    if texte is None:
        return ()
    trouves = tuple(dict.fromkeys(mots(texte)))
    if len(trouves) > MOTS_MAXIMUM:
        raise ValidationError(f"La recherche porte sur {MOTS_MAXIMUM} mots au plus.", champ=champ)
    return trouves


def textes_du_ticket(ticket: Ticket) -> tuple[str, ...]:
    """What the keyword search reads: the number, the résumé, the description and the text
    of every activity."""
    return (
        ticket.numero,
        ticket.resume,
        ticket.description,
        *(a.texte for a in ticket.activites if a.texte),
    )


def mots_du_ticket(ticket: Ticket) -> frozenset[str]:
    return frozenset(m for texte in textes_du_ticket(ticket) for m in mots(texte))


def trouve(cherches: Iterable[str], presents: Collection[str]) -> bool:
    """Whether every searched word begins one of the words present."""
    return all(any(p.startswith(c) for p in presents) for c in cherches)


@attrs.frozen
class CriteresTicket:
    """Which tickets a list shows; every criterion given must match.

    - `structures`: the émetteur's structure is one of them (None: any structure — the back
      office, which `destinataires` and `juridictions` restrict instead).
    - `destinataires`: routed to one of them (None: any); `juridictions`: a ticket routed to
      the service centralisateur must be of one of them (None: any).
    - `onglet`: its tab (None: every status, closed ones included); `statut`: that status.
    - `mots`: the keyword search (see `lire_recherche`).
    """

    structures: frozenset[str] | None
    destinataires: frozenset[Destinataire] | None = None
    juridictions: frozenset[str] | None = None
    onglet: OngletTicket | None = OngletTicket.TOUS
    statut: StatutTicket | None = None
    mots: tuple[str, ...] = ()


@attrs.frozen
class ResumeTicket:
    """A ticket as lists and exports show it."""

    id: str
    numero: str
    categorie: CategorieTicket
    sous_categorie: SousCategorieTicket
    type_objet: TypeObjet | None
    numero_objet: str | None
    structure_id: str
    raison_sociale: str
    utilisateur_id: str
    email: str
    destinataire: DestinataireTicket
    resume: str
    statut: StatutTicket
    attente: Attente | None
    date_creation: datetime
    date_maj: datetime
    nombre_pieces: int
    version: int

    @staticmethod
    def depuis(ticket: Ticket) -> ResumeTicket:
        return ResumeTicket(
            id=ticket.id,
            numero=ticket.numero,
            categorie=ticket.categorie,
            sous_categorie=ticket.sous_categorie,
            type_objet=ticket.type_objet,
            numero_objet=ticket.numero_objet,
            structure_id=ticket.emetteur.structure_id,
            raison_sociale=ticket.emetteur.raison_sociale,
            utilisateur_id=ticket.emetteur.utilisateur_id,
            email=ticket.emetteur.email,
            destinataire=ticket.destinataire,
            resume=ticket.resume,
            statut=ticket.statut,
            attente=ticket.attente,
            date_creation=ticket.date_creation,
            date_maj=ticket.date_maj,
            nombre_pieces=len(ticket.pieces),
            version=ticket.version,
        )


def correspond(ticket: Ticket, criteres: CriteresTicket) -> bool:
    """The reference semantics of `CriteresTicket`, for adapters that scan."""
    if criteres.structures is not None and ticket.emetteur.structure_id not in criteres.structures:
        return False
    code = ticket.destinataire.code
    if criteres.destinataires is not None and code not in criteres.destinataires:
        return False
    if (
        criteres.juridictions is not None
        and code is Destinataire.SERVICE_CENTRALISATEUR
        and ticket.destinataire.juridiction_code not in criteres.juridictions
    ):
        return False
    if criteres.onglet is not None and ticket.statut not in criteres.onglet.statuts:
        return False
    if criteres.statut is not None and ticket.statut is not criteres.statut:
        return False
    return not criteres.mots or trouve(criteres.mots, mots_du_ticket(ticket))


def trier_tickets(resumes: Iterable[ResumeTicket]) -> list[ResumeTicket]:
    """The lists' order: the latest update first, then the highest number."""
    return sorted(resumes, key=lambda r: (r.date_maj.astimezone(UTC), r.numero), reverse=True)


def paginer_tickets(
    resultats: Sequence[ResumeTicket], pagination: Pagination
) -> Page[ResumeTicket]:
    debut = pagination.decalage
    return Page(
        elements=tuple(resultats[debut : debut + pagination.par_page]),
        total=len(resultats),
        page=pagination.page,
        par_page=pagination.par_page,
    )


class TicketRepository(Protocol):
    """The support tickets, in the same unit of work as everything else. A ticket is never
    deleted; its history only grows."""

    def ajouter(self, ticket: Ticket) -> None:
        """Store a new ticket; `Conflit` if its id or number is already used."""
        ...

    def obtenir(self, ticket_id: str) -> Ticket:
        """The ticket; `NonTrouve` if there is none."""
        ...

    def par_numero(self, numero: str) -> Ticket | None: ...

    def enregistrer(self, ticket: Ticket) -> Ticket:
        """Save a changed ticket read at `ticket.version`; returns it at the next version.
        `ConflitDeVersion` if it changed meanwhile, `TransitionInvalide` if the change
        rewrites its history or what was written at its creation (nothing is written)."""
        ...

    def rechercher(self, criteres: CriteresTicket, pagination: Pagination) -> Page[ResumeTicket]:
        """One page of the matches in `trier_tickets` order, with the total."""
        ...

    def tous(self, criteres: CriteresTicket) -> Sequence[ResumeTicket]:
        """Every match, in `trier_tickets` order (the CSV export)."""
        ...

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        """Those of the blob-store addresses `sha256s` a stored ticket's pièces refer to:
        the retention purge must keep them."""
        ...
