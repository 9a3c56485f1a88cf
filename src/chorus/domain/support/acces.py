"""Who in the back office answers which ticket.

- The support (role SUPPORT) sees and answers every ticket.
- A juridiction's agents (AGENT_JURIDICTION) answer the tickets routed to the service
  centralisateur of one of their juridictions.
- The comptable answers the tickets routed to the comptable; the TIC instructors those
  routed to the service instructeur TIC.
- Anyone else (a prestataire, an administrator) is refused the back office's ticket
  screens (`AccesRefuse`); an agent asking for a ticket outside their perimeter is told it
  does not exist (`NonTrouve`).
"""

from __future__ import annotations

import attrs

from chorus.domain.errors import AccesRefuse, NonTrouve
from chorus.domain.support.referentiel import Destinataire
from chorus.domain.utilisateur import RoleAgent, Utilisateur

INTROUVABLE = "Introuvable : ce ticket n'existe pas ou ne vous est pas accessible."


@attrs.frozen
class PerimetreSupport:
    """The tickets an agent answers: those routed to one of `destinataires` (None: every
    one), and, for the service centralisateur, of one of `juridictions` (None: any)."""

    destinataires: frozenset[Destinataire] | None
    juridictions: frozenset[str] | None = None

    def couvre(self, destinataire: Destinataire, juridiction_code: str | None) -> bool:
        if self.destinataires is not None and destinataire not in self.destinataires:
            return False
        if destinataire is Destinataire.SERVICE_CENTRALISATEUR and self.juridictions is not None:
            return juridiction_code in self.juridictions
        return True


_PAR_ROLE: dict[RoleAgent, frozenset[Destinataire] | None] = {
    RoleAgent.SUPPORT: None,
    RoleAgent.AGENT_JURIDICTION: frozenset({Destinataire.SERVICE_CENTRALISATEUR}),
    RoleAgent.COMPTABLE: frozenset({Destinataire.COMPTABLE}),
    RoleAgent.INSTRUCTEUR_TIC: frozenset({Destinataire.INSTRUCTION_TIC}),
}


def traite_les_tickets(utilisateur: Utilisateur) -> bool:
    """Whether `utilisateur` is a back-office agent who answers tickets (the support, a
    service centralisateur, the comptable, a TIC instructor)."""
    return utilisateur.role is not None and utilisateur.role in _PAR_ROLE


def perimetre_support(utilisateur: Utilisateur) -> PerimetreSupport:
    """The tickets `utilisateur` answers; `AccesRefuse` for anyone who answers none."""
    if utilisateur.role is None or utilisateur.role not in _PAR_ROLE:
        raise AccesRefuse(
            "Le traitement des tickets d'assistance est réservé au support et aux services "
            "de l'administration."
        )
    juridictions = (
        # Never "all": an agent without a juridiction answers no service centralisateur.
        utilisateur.juridictions if utilisateur.role is RoleAgent.AGENT_JURIDICTION else None
    )
    return PerimetreSupport(_PAR_ROLE[utilisateur.role], juridictions)


def exiger_perimetre_support(
    utilisateur: Utilisateur, destinataire: Destinataire, juridiction_code: str | None
) -> None:
    """Refuse unless `utilisateur` answers tickets routed there (a ticket outside their
    perimeter is, to them, one that does not exist)."""
    if not perimetre_support(utilisateur).couvre(destinataire, juridiction_code):
        raise NonTrouve(INTROUVABLE)
