"""Request bodies of the back office on mémoires (its answers are the mémoires' own schemas)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from chorus.domain.traitement import ActionTraitement, EvenementTraitement


class EvenementEntree(msgspec.Struct, forbid_unknown_fields=True):
    """One processing event of the back office. `reference_evenement` identifies it: the
    same reference sent again changes nothing. `date_evenement` is when it happened in the
    back office, with its offset."""

    action: ActionTraitement
    date_evenement: datetime
    reference_evenement: str
    motif: str | None = None
    montant_certifie: str | None = None
    montant_paye: str | None = None

    def en_domaine(self) -> EvenementTraitement:
        return EvenementTraitement.creer(
            action=self.action,
            reference=self.reference_evenement,
            date_evenement=self.date_evenement,
            motif=self.motif,
            montant_certifie=self.montant_certifie,
            montant_paye=self.montant_paye,
        )
