"""Trying again a mémoire's waiting events once another of its events applied.

Shared by the import of batches and by the single-event route of the back office (which
cannot import the former: it is imported by it).
"""

from __future__ import annotations

from datetime import datetime

from chorus.domain.lots_statuts import (
    Candidat,
    Deroulement,
    IssueEvenement,
    derouler,
    resultat_differe,
)
from chorus.domain.memoire import Memoire
from chorus.ports.depots import UnitOfWork


def reprendre_en_attente(
    uow: UnitOfWork, memoire: Memoire, maintenant: datetime
) -> tuple[Memoire, Deroulement | None]:
    """`memoire` (not saved yet) after the events waiting for it that now apply, in event
    order; those applied or now refused leave the waiting list, in `uow`, their outcome
    written in the report of the batch they came from (never dropped unseen). The caller
    saves the mémoire and notes its activity."""
    attentes = {a.id: a for a in uow.lots_statuts.en_attente_du_memoire(memoire.id)}
    if not attentes:
        return memoire, None
    deroulement = derouler(
        memoire,
        [Candidat(a.id, a.evenement, a.acteur) for a in attentes.values()],
        maintenant=maintenant,
    )
    for issue in deroulement.issues:
        if issue.issue is not IssueEvenement.EN_ATTENTE:
            attente = attentes[issue.cle]
            uow.lots_statuts.retirer_de_l_attente(attente.id)
            uow.lots_statuts.noter_issue_differee(
                attente.numero_lot,
                resultat_differe(attente, issue.issue, champ=issue.champ, message=issue.message),
            )
    return deroulement.memoire, deroulement
