"""Bodies of the cycle-de-vie feed (``GET /structures/{id}/cycle-de-vie``)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from chorus.adapters.web.schemas.memoires import montant_ou_rien
from chorus.domain.activite import EvenementActivite
from chorus.domain.cycle_de_vie import PageCycleDeVie


class EvenementCycleDeVieSortie(msgspec.Struct, frozen=True):
    """A status a mémoire of the structure reached: `date` is when the portal recorded it;
    `montant` the amount the step states (certified, paid), else the amount asked;
    `curseur` resumes the feed right after this event."""

    curseur: str
    numero_memoire: str
    memoire_id: str
    statut: str
    libelle_statut: str
    date: datetime
    motif: str | None
    montant: str | None
    service_id: str | None

    @staticmethod
    def depuis(curseur: str, evenement: EvenementActivite) -> EvenementCycleDeVieSortie:
        return EvenementCycleDeVieSortie(
            curseur=curseur,
            numero_memoire=evenement.numero,
            memoire_id=evenement.objet_id,
            statut=evenement.statut,
            libelle_statut=evenement.libelle_statut,
            date=evenement.date,
            motif=evenement.motif,
            montant=montant_ou_rien(evenement.montant),
            service_id=evenement.service_id,
        )


class CycleDeVieSortie(msgspec.Struct, frozen=True):
    """One page of the feed, in the order recorded, and the cursor to pass as `apres` next
    (the same as given when nothing new was recorded)."""

    evenements: list[EvenementCycleDeVieSortie]
    curseur: str

    @staticmethod
    def depuis(page: PageCycleDeVie) -> CycleDeVieSortie:
        return CycleDeVieSortie(
            evenements=[
                EvenementCycleDeVieSortie.depuis(page.curseur_de(e), e) for e in page.evenements
            ],
            curseur=page.curseur,
        )
