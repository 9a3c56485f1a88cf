"""Emails waiting in the outbox, and what became of them.

An email is written to the outbox in the same unit of work as the change that causes it
(an account created, a password reset asked), so that it exists if and only if the change
does. A sender delivers it later and records the outcome.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

RESERVATION = timedelta(minutes=10)
"""How long a sender holds an email it is delivering; past that, another may retry it."""

ESSAIS_MAXIMUM = 20


@attrs.frozen
class Courriel:
    """One email. `disponible_le` is when a sender may take it next (creation, then after a
    reservation or a retry delay); `envoye_le` is set once the SMTP server accepted it."""

    id: str
    destinataire: str
    sujet: str
    corps: str
    cree_le: datetime
    disponible_le: datetime
    envoye_le: datetime | None = None
    tentatives: int = 0
    derniere_erreur: str | None = None
    version: int = 0

    @staticmethod
    def nouveau(
        *, id: str, destinataire: str, sujet: str, corps: str, maintenant: datetime
    ) -> Courriel:
        return Courriel(
            id=id,
            destinataire=destinataire,
            sujet=sujet,
            corps=corps,
            cree_le=maintenant,
            disponible_le=maintenant,
        )

    @property
    def abandonne(self) -> bool:
        """Given up after `ESSAIS_MAXIMUM` failures (kept, for an operator to look at)."""
        return self.envoye_le is None and self.tentatives >= ESSAIS_MAXIMUM

    def reserver(self, maintenant: datetime) -> Courriel:
        """A sender takes it: nobody else will before `RESERVATION` has passed."""
        return attrs.evolve(
            self, disponible_le=maintenant + RESERVATION, tentatives=self.tentatives + 1
        )

    def envoye(self, maintenant: datetime) -> Courriel:
        return attrs.evolve(self, envoye_le=maintenant, derniere_erreur=None)

    def echec(self, maintenant: datetime, erreur: str) -> Courriel:
        """Delivery failed: retry later, waiting longer after each failure (1 min … 1 h)."""
        attente = timedelta(minutes=min(60, 2 ** max(0, self.tentatives - 1)))
        return attrs.evolve(self, disponible_le=maintenant + attente, derniere_erreur=erreur[:500])
