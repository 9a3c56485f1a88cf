"""The statuses of a mémoire, who may move it where, and from which status.

The table below is DESIGN.md §3.2 as data: every transition not written here is refused.
"""

from __future__ import annotations

import enum

from chorus.domain.errors import TransitionInvalide


class StatutMemoire(enum.Enum):
    """A mémoire's status; the value is the code, `libelle` what users read."""

    BROUILLON = "BROUILLON"
    ENVOYE = "ENVOYE"
    MIS_A_DISPOSITION = "MIS_A_DISPOSITION"
    SUSPENDU = "SUSPENDU"
    COMPLETE = "COMPLETE"
    CERTIFIE = "CERTIFIE"
    REFUSE = "REFUSE"
    MIS_EN_PAIEMENT = "MIS_EN_PAIEMENT"
    ABANDONNE = "ABANDONNE"
    DUPLIQUE_POST_REFUS = "DUPLIQUE_POST_REFUS"

    @property
    def libelle(self) -> str:
        return _LIBELLES[self]

    @property
    def envoye(self) -> bool:
        """True once the mémoire has left the prestataire: it is immutable from then on."""
        return self is not StatutMemoire.BROUILLON


_LIBELLES = {
    StatutMemoire.BROUILLON: "Brouillon",
    StatutMemoire.ENVOYE: "Envoyé",
    StatutMemoire.MIS_A_DISPOSITION: "Mis à disposition",
    StatutMemoire.SUSPENDU: "Suspendu",
    StatutMemoire.COMPLETE: "Complété",
    StatutMemoire.CERTIFIE: "Certifié",
    StatutMemoire.REFUSE: "Refusé",
    StatutMemoire.MIS_EN_PAIEMENT: "Mis en paiement",
    StatutMemoire.ABANDONNE: "Abandonné",
    StatutMemoire.DUPLIQUE_POST_REFUS: "Dupliqué post refus",
}

# What the synthèse shows the prestataire: the mémoires waiting for them.
STATUTS_A_TRAITER = (StatutMemoire.BROUILLON, StatutMemoire.SUSPENDU, StatutMemoire.REFUSE)


class Intervenant(enum.Enum):
    """Who acts on a mémoire."""

    PRESTATAIRE = "PRESTATAIRE"
    ACHEMINEMENT = "ACHEMINEMENT"
    SERVICE_CENTRALISATEUR = "SERVICE_CENTRALISATEUR"
    COMPTABLE = "COMPTABLE"

    @property
    def libelle(self) -> str:
        return {
            Intervenant.PRESTATAIRE: "Prestataire",
            Intervenant.ACHEMINEMENT: "Acheminement",
            Intervenant.SERVICE_CENTRALISATEUR: "Service centralisateur",
            Intervenant.COMPTABLE: "Comptable",
        }[self]


_S = StatutMemoire

# target status → (the statuses it may come from, who moves it there)
TRANSITIONS: dict[StatutMemoire, tuple[frozenset[StatutMemoire], Intervenant]] = {
    _S.ENVOYE: (frozenset({_S.BROUILLON}), Intervenant.PRESTATAIRE),
    _S.MIS_A_DISPOSITION: (frozenset({_S.ENVOYE}), Intervenant.ACHEMINEMENT),
    _S.SUSPENDU: (
        frozenset({_S.MIS_A_DISPOSITION, _S.COMPLETE}),
        Intervenant.SERVICE_CENTRALISATEUR,
    ),
    _S.COMPLETE: (frozenset({_S.SUSPENDU}), Intervenant.PRESTATAIRE),
    _S.CERTIFIE: (
        frozenset({_S.MIS_A_DISPOSITION, _S.COMPLETE}),
        Intervenant.SERVICE_CENTRALISATEUR,
    ),
    _S.REFUSE: (
        frozenset({_S.MIS_A_DISPOSITION, _S.SUSPENDU, _S.COMPLETE}),
        Intervenant.SERVICE_CENTRALISATEUR,
    ),
    _S.MIS_EN_PAIEMENT: (frozenset({_S.CERTIFIE}), Intervenant.COMPTABLE),
    _S.ABANDONNE: (frozenset({_S.REFUSE}), Intervenant.PRESTATAIRE),
    _S.DUPLIQUE_POST_REFUS: (frozenset({_S.REFUSE}), Intervenant.PRESTATAIRE),
}


def verifier_transition(
    numero: str, depuis: StatutMemoire, vers: StatutMemoire, intervenant: Intervenant
) -> None:
    """Raise `TransitionInvalide` unless `intervenant` may move a mémoire `depuis` → `vers`."""
    regle = TRANSITIONS.get(vers)
    if regle is None or depuis not in regle[0]:
        raise TransitionInvalide(
            f"Le mémoire n°{numero} est à l'état « {depuis.libelle} » : il ne peut pas passer "
            f"à l'état « {vers.libelle} »."
        )
    if regle[1] is not intervenant:
        raise TransitionInvalide(
            f"Seul l'intervenant « {regle[1].libelle} » peut faire passer un mémoire à l'état "
            f"« {vers.libelle} »."
        )
