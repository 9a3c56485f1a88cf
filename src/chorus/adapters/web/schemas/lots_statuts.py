"""Answers of the batches of status events: a batch's report, the events waiting to apply.
(The batch itself is read by `chorus.adapters.lots_statuts`, see ``docs/statuts.md``.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from chorus.adapters.web.schemas.memoires import montant_ou_rien
from chorus.domain.lots_statuts import (
    EvenementEnAttente,
    FormatLot,
    IssueEvenement,
    LotStatuts,
    ResultatEvenement,
)
from chorus.domain.traitement import ActionTraitement


class LotStatutsEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The envelope of a batch sent as JSON. Only the envelope is checked here (a malformed
    one is a 400): each event is read, and refused in the report if need be, by the use
    case, from the raw body (numbers exactly as written)."""

    evenements: list[Any]
    version: str | None = None


class ResultatEvenementSortie(msgspec.Struct, frozen=True):
    """What became of one event: APPLIQUE, DEJA_APPLIQUE, EN_ATTENTE or REFUSE, with the
    field at fault and the reason; `en_attente_depuis`: the batch an event of an earlier
    batch had waited since, when it applied (or was refused) with this one."""

    position: str
    numero_memoire: str | None
    reference_evenement: str | None
    action: str | None
    issue: IssueEvenement
    libelle_issue: str
    champ: str | None
    message: str | None
    en_attente_depuis: str | None


class LotStatutsSortie(msgspec.Struct, frozen=True):
    """A batch's report: one line per event of the batch, in file order, then one per event
    of an earlier batch that left the waiting list with it."""

    numero_lot: str
    format: FormatLot
    date_import: datetime
    acteur: str
    appliques: int
    deja_appliques: int
    en_attente: int
    refuses: int
    resultats: list[ResultatEvenementSortie]


class EvenementEnAttenteSortie(msgspec.Struct, frozen=True):
    """An event waiting for its mémoire to reach a status that allows it."""

    id: str
    numero_memoire: str
    juridiction_code: str
    action: ActionTraitement
    date_evenement: datetime
    reference_evenement: str
    motif: str | None
    montant_certifie: str | None
    montant_paye: str | None
    numero_lot: str
    position: str
    acteur: str
    date_reception: datetime


def resultat_sortie(resultat: ResultatEvenement) -> ResultatEvenementSortie:
    return ResultatEvenementSortie(
        position=resultat.position,
        numero_memoire=resultat.numero_memoire,
        reference_evenement=resultat.reference_evenement,
        action=resultat.action,
        issue=resultat.issue,
        libelle_issue=resultat.issue.libelle,
        champ=resultat.champ,
        message=resultat.message,
        en_attente_depuis=resultat.en_attente_depuis,
    )


def lot_sortie(lot: LotStatuts) -> LotStatutsSortie:
    return LotStatutsSortie(
        numero_lot=lot.numero,
        format=lot.format,
        date_import=lot.date_import,
        acteur=lot.acteur,
        appliques=lot.appliques,
        deja_appliques=lot.deja_appliques,
        en_attente=lot.en_attente,
        refuses=lot.refuses,
        resultats=[resultat_sortie(r) for r in lot.resultats],
    )


def attente_sortie(attente: EvenementEnAttente) -> EvenementEnAttenteSortie:
    evenement = attente.evenement
    return EvenementEnAttenteSortie(
        id=attente.id,
        numero_memoire=attente.numero_memoire,
        juridiction_code=attente.juridiction_code,
        action=evenement.action,
        date_evenement=evenement.date_evenement,
        reference_evenement=evenement.reference,
        motif=evenement.motif,
        montant_certifie=montant_ou_rien(evenement.montant_certifie),
        montant_paye=montant_ou_rien(evenement.montant_paye),
        numero_lot=attente.numero_lot,
        position=attente.position,
        acteur=attente.acteur,
        date_reception=attente.date_reception,
    )
