"""The back office's events on a sent mémoire, and who in the back office performs them."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from chorus.domain.errors import ValidationError
from chorus.domain.montants import valider_euros
from chorus.domain.statuts import TRANSITIONS, Intervenant, StatutMemoire
from chorus.domain.textes import texte_obligatoire, texte_optionnel
from chorus.domain.utilisateur import RoleAgent

# Back-office clocks drift: an event stamped a few minutes ahead of ours is not "future".
TOLERANCE_HORLOGE = timedelta(minutes=5)


class ActionTraitement(enum.Enum):
    """What the back office does to a mémoire, and the status it leads to."""

    MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
    SUSPENSION = "SUSPENSION"
    CERTIFICATION = "CERTIFICATION"
    REFUS = "REFUS"
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"

    @property
    def statut(self) -> StatutMemoire:
        return {
            ActionTraitement.MISE_A_DISPOSITION: StatutMemoire.MIS_A_DISPOSITION,
            ActionTraitement.SUSPENSION: StatutMemoire.SUSPENDU,
            ActionTraitement.CERTIFICATION: StatutMemoire.CERTIFIE,
            ActionTraitement.REFUS: StatutMemoire.REFUSE,
            ActionTraitement.MISE_EN_PAIEMENT: StatutMemoire.MIS_EN_PAIEMENT,
        }[self]

    @property
    def libelle(self) -> str:
        return {
            ActionTraitement.MISE_A_DISPOSITION: "mise à disposition",
            ActionTraitement.SUSPENSION: "suspension",
            ActionTraitement.CERTIFICATION: "certification",
            ActionTraitement.REFUS: "refus",
            ActionTraitement.MISE_EN_PAIEMENT: "mise en paiement",
        }[self]

    @property
    def avec_article(self) -> str:
        """The action's name with its article: « la suspension », « le refus »."""
        return f"le {self.libelle}" if self is ActionTraitement.REFUS else f"la {self.libelle}"

    @property
    def motif_obligatoire(self) -> bool:
        return self in (ActionTraitement.SUSPENSION, ActionTraitement.REFUS)


@attrs.frozen
class EvenementTraitement:
    """A back-office event, identified by its reference so that a replay changes nothing."""

    action: ActionTraitement
    reference: str
    date_evenement: datetime
    motif: str | None = None
    montant_certifie: Decimal | None = None
    montant_paye: Decimal | None = None

    @staticmethod
    def creer(
        *,
        action: ActionTraitement,
        reference: str,
        date_evenement: datetime,
        motif: str | None = None,
        montant_certifie: Decimal | int | str | None = None,
        montant_paye: Decimal | int | str | None = None,
    ) -> EvenementTraitement:
        if date_evenement.tzinfo is None:
            raise ValidationError(
                "La date de l'événement doit préciser son fuseau horaire.",
                champ="date_evenement",
            )
        motif_propre = texte_optionnel(motif, "motif", maximum=2000)
        if action.motif_obligatoire and motif_propre is None:
            raise ValidationError(
                f"Le motif est obligatoire pour {action.avec_article}.", champ="motif"
            )
        return EvenementTraitement(
            action=action,
            reference=texte_obligatoire(reference, "reference_evenement", maximum=100),
            date_evenement=date_evenement,
            motif=motif_propre,
            montant_certifie=(
                valider_euros(montant_certifie, "montant_certifie")
                if montant_certifie is not None
                else None
            ),
            montant_paye=(
                valider_euros(montant_paye, "montant_paye") if montant_paye is not None else None
            ),
        )


# Who performs each back-office action: read from the status table, never restated.
INTERVENANT_PAR_ACTION = {action: TRANSITIONS[action.statut][1] for action in ActionTraitement}

# Which back-office role plays each part of the circuit.
ROLE_PAR_INTERVENANT = {
    Intervenant.ACHEMINEMENT: RoleAgent.AGENT_JURIDICTION,
    Intervenant.SERVICE_CENTRALISATEUR: RoleAgent.AGENT_JURIDICTION,
    Intervenant.COMPTABLE: RoleAgent.COMPTABLE,
}
