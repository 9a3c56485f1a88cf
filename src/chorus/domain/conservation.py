"""Retention: what is sent stays viewable and downloadable for ten years from its
transmission, and is never deleted earlier; drafts are never deleted silently.

The purge job (`chorus.services.retention`) removes a sent mémoire only when both rules
below allow it — its ten years have run out and its status has no way out — and keeps a
`MemoirePurgee` of it for ever, in the register of purges. Drafts are not its business:
their owner deletes them, or is told about a forgotten one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import attrs

from chorus.domain.calendrier import FUSEAU_PORTAIL, ajouter_annees, jour_a_paris
from chorus.domain.errors import TransitionInvalide
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import TRANSITIONS, StatutMemoire

DUREE_DE_CONSERVATION_ANNEES = 10

# The statuses no transition leaves (mis en paiement, abandonné, dupliqué post refus): a
# mémoire still in another one may yet move, so it is kept however old it is.
STATUTS_FINAUX = frozenset(
    statut
    for statut in StatutMemoire
    if not any(statut in origines for origines, _ in TRANSITIONS.values())
)


def fin_de_conservation(memoire: Memoire) -> date | None:
    """The last day a sent mémoire must still be kept (ten years after its transmission,
    day for day in Paris); None for a draft, which was never transmitted."""
    if memoire.date_depot is None:
        return None
    return conserve_jusqu_au(memoire.date_depot)


def conserve_jusqu_au(date_depot: datetime) -> date:
    """The last day what was deposited at `date_depot` must still be kept: ten years later,
    day for day, counted on the day of the deposit in Paris."""
    return _dernier_jour(jour_a_paris(date_depot))


def _dernier_jour(jour_de_depot: date) -> date:
    return ajouter_annees(jour_de_depot, DUREE_DE_CONSERVATION_ANNEES)


def conservation_echue(memoire: Memoire, aujourdhui: date) -> bool:
    """Whether the ten years of a sent mémoire have run out (from the day after its last
    day). Never true of a draft."""
    fin = fin_de_conservation(memoire)
    return fin is not None and aujourdhui > fin


def peut_etre_purge(memoire: Memoire, aujourdhui: date) -> bool:
    """Whether the purge may remove this mémoire today: sent, kept its ten years, and in a
    final status. A draft is never purged by this rule: it belongs to its owner."""
    return memoire.statut in STATUTS_FINAUX and conservation_echue(memoire, aujourdhui)


def premier_jour_conserve(aujourdhui: date) -> date:
    """The first day of deposit whose mémoires are still kept today: those deposited
    before it (days in Paris) have kept their ten years."""
    jour = ajouter_annees(aujourdhui, -DUREE_DE_CONSERVATION_ANNEES)
    # Ten years on, a 29 February ends on the 28th: on a 29 February, the 28th ten years
    # back has already run out although it is « ten years ago ».
    if _dernier_jour(jour) < aujourdhui:
        jour += timedelta(days=1)
    return jour


def debut_du_jour_a_paris(jour: date) -> datetime:
    """The first instant of `jour` in Paris (deposits before it were made on earlier days)."""
    return datetime.combine(jour, time(0), tzinfo=FUSEAU_PORTAIL)


def contenus(memoire: Memoire) -> frozenset[str]:
    """The blob-store addresses a mémoire refers to: its pièces (complements included) and
    the PDF of its certificate."""
    adresses = {p.sha256 for p in (*memoire.pieces, *memoire.pieces_complementaires)}
    if memoire.certificat is not None and memoire.certificat.document_sha256 is not None:
        adresses.add(memoire.certificat.document_sha256)
    return frozenset(adresses)


@attrs.frozen
class MemoirePurgee:
    """What the register of purges keeps, for ever, of a mémoire the purge removed."""

    memoire_id: str
    numero: str
    structure_id: str
    prestataire: str
    juridiction_code: str
    date_depot: datetime
    statut: StatutMemoire
    nombre_pieces: int
    empreinte: str
    date_purge: datetime

    @property
    def id(self) -> str:
        return self.memoire_id

    @staticmethod
    def de(memoire: Memoire, date_purge: datetime) -> MemoirePurgee:
        """The register's entry of a sent mémoire purged at `date_purge`;
        `TransitionInvalide` for a draft, which only its owner deletes."""
        certificat = memoire.certificat
        if certificat is None:
            raise TransitionInvalide(
                f"Le mémoire n°{memoire.numero} est un brouillon : il n'a jamais été transmis, "
                "la purge des archives ne le concerne pas."
            )
        return MemoirePurgee(
            memoire_id=memoire.id,
            numero=memoire.numero,
            structure_id=memoire.structure_id,
            prestataire=certificat.prestataire,
            juridiction_code=memoire.entete.juridiction_code,
            date_depot=certificat.date_depot,
            statut=memoire.statut,
            nombre_pieces=len(memoire.pieces) + len(memoire.pieces_complementaires),
            empreinte=certificat.empreinte,
            date_purge=date_purge,
        )


def brouillon_oublie(memoire: Memoire, maintenant: datetime, delai: timedelta) -> bool:
    """Whether a draft has been left untouched for `delai`: its owner is told, nothing
    is deleted."""
    return (
        memoire.statut is StatutMemoire.BROUILLON
        and maintenant - memoire.date_modification >= delai
    )
