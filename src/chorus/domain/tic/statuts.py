"""The statuses of a demande de remboursement TIC/TICGN and the instructor's actions.

DESIGN.md §3.5 as data: every transition not written here is refused.
"""

from __future__ import annotations

import enum

from chorus.domain.errors import TransitionInvalide


class StatutDemandeTic(enum.Enum):
    """A demande's status; the value is the code, `libelle` what users read."""

    BROUILLON = "BROUILLON"
    ENVOYEE = "ENVOYEE"
    MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
    EN_INSTRUCTION = "EN_INSTRUCTION"
    VALIDEE = "VALIDEE"
    REJETEE = "REJETEE"
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"

    @property
    def libelle(self) -> str:
        return _LIBELLES[self]

    @property
    def envoyee(self) -> bool:
        """True once the demande has been sent: it is immutable from then on."""
        return self is not StatutDemandeTic.BROUILLON


_LIBELLES = {
    StatutDemandeTic.BROUILLON: "Brouillon",
    StatutDemandeTic.ENVOYEE: "Envoyée",
    StatutDemandeTic.MISE_A_DISPOSITION: "Mise à disposition",
    StatutDemandeTic.EN_INSTRUCTION: "En cours d'instruction",
    StatutDemandeTic.VALIDEE: "Validée",
    StatutDemandeTic.REJETEE: "Rejetée",
    StatutDemandeTic.MISE_EN_PAIEMENT: "Mise en paiement",
}


class IntervenantTic(enum.Enum):
    DEMANDEUR = "DEMANDEUR"
    INSTRUCTEUR = "INSTRUCTEUR"

    @property
    def libelle(self) -> str:
        return "Demandeur" if self is IntervenantTic.DEMANDEUR else "Instructeur TIC"


_S = StatutDemandeTic

# target status → (the statuses it may come from, who moves it there)
TRANSITIONS_TIC: dict[StatutDemandeTic, tuple[frozenset[StatutDemandeTic], IntervenantTic]] = {
    _S.ENVOYEE: (frozenset({_S.BROUILLON}), IntervenantTic.DEMANDEUR),
    _S.MISE_A_DISPOSITION: (frozenset({_S.ENVOYEE}), IntervenantTic.INSTRUCTEUR),
    _S.EN_INSTRUCTION: (frozenset({_S.MISE_A_DISPOSITION}), IntervenantTic.INSTRUCTEUR),
    _S.VALIDEE: (frozenset({_S.EN_INSTRUCTION}), IntervenantTic.INSTRUCTEUR),
    _S.REJETEE: (
        frozenset({_S.MISE_A_DISPOSITION, _S.EN_INSTRUCTION}),
        IntervenantTic.INSTRUCTEUR,
    ),
    _S.MISE_EN_PAIEMENT: (frozenset({_S.VALIDEE}), IntervenantTic.INSTRUCTEUR),
}

STATUTS_FINAUX_TIC = frozenset(_S) - frozenset(
    depuis for depuis_tous, _ in TRANSITIONS_TIC.values() for depuis in depuis_tous
)


def verifier_transition_tic(
    numero: str, depuis: StatutDemandeTic, vers: StatutDemandeTic, intervenant: IntervenantTic
) -> None:
    """Raise `TransitionInvalide` unless `intervenant` may move a demande `depuis` → `vers`."""
    regle = TRANSITIONS_TIC.get(vers)
    if regle is None or depuis not in regle[0]:
        raise TransitionInvalide(
            f"La demande n°{numero} est à l'état « {depuis.libelle} » : elle ne peut pas passer "
            f"à l'état « {vers.libelle} »."
        )
    if regle[1] is not intervenant:
        raise TransitionInvalide(
            f"Seul l'intervenant « {regle[1].libelle} » peut faire passer une demande à l'état "
            f"« {vers.libelle} »."
        )


class ActionInstructionTic(enum.Enum):
    """What the instructor does to a sent demande, and the status it leads to."""

    MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
    PRISE_EN_CHARGE = "PRISE_EN_CHARGE"
    VALIDATION = "VALIDATION"
    REJET = "REJET"
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"

    @property
    def statut(self) -> StatutDemandeTic:
        return {
            ActionInstructionTic.MISE_A_DISPOSITION: StatutDemandeTic.MISE_A_DISPOSITION,
            ActionInstructionTic.PRISE_EN_CHARGE: StatutDemandeTic.EN_INSTRUCTION,
            ActionInstructionTic.VALIDATION: StatutDemandeTic.VALIDEE,
            ActionInstructionTic.REJET: StatutDemandeTic.REJETEE,
            ActionInstructionTic.MISE_EN_PAIEMENT: StatutDemandeTic.MISE_EN_PAIEMENT,
        }[self]

    @property
    def libelle(self) -> str:
        return {
            ActionInstructionTic.MISE_A_DISPOSITION: "Mise à disposition",
            ActionInstructionTic.PRISE_EN_CHARGE: "Prise en charge",
            ActionInstructionTic.VALIDATION: "Validation",
            ActionInstructionTic.REJET: "Rejet",
            ActionInstructionTic.MISE_EN_PAIEMENT: "Mise en paiement",
        }[self]

    @property
    def motif_obligatoire(self) -> bool:
        return self is ActionInstructionTic.REJET
