"""The activity feed and the « suivi d'activité » emails.

Every use case that saves a mémoire or a demande calls `noter_activite` in its own unit of
work: the status change and its events are committed together, or neither is.

The summaries are prepared by `NotificationService.preparer_suivis` (a scheduler runs
`chorus notifications envoyer` once a day, and once a week): one email per subscribed user
who has changes in the period, written into the outbox under an id derived from the period
and the user, so that running it again — or two runs at once — writes nothing twice. The
outbox's distributor then delivers them (and retries while the SMTP server is down).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import attrs

from chorus.domain import acces
from chorus.domain.activite import (
    CHANGEMENTS_MAXIMUM,
    EvenementActivite,
    NatureSuivi,
    PerimetreActivite,
    PeriodeSuivi,
    id_courriel_suivi,
    nouveaux_evenements,
    ordonner,
    rediger_suivi,
)
from chorus.domain.courriels import Courriel
from chorus.domain.errors import Conflit, NonTrouve, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Application, Structure
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import PAR_PAGE_DEFAUT, Page, Pagination
from chorus.services.contexte import Ports

# Subscribed users read per batch: one short read-only unit of work each.
_LOT_D_ABONNES = 200


def noter_activite(
    uow: UnitOfWork, avant: Memoire | DemandeTic | None, apres: Memoire | DemandeTic
) -> None:
    """Write, in `uow`, the events of the history entries `apres` gained over `avant` (None
    for a new object). A draft's edits add no entry, hence no event."""
    evenements = nouveaux_evenements(avant, apres)
    if evenements:
        uow.activites.ajouter(evenements)


def perimetre_de(
    uow: UnitOfWork, utilisateur_id: str, structures: Sequence[Structure] | None = None
) -> PerimetreActivite:
    """What of the activity the user may see, as their habilitations stand now (on
    `structures`, their structures as just read, when given)."""
    if structures is None:
        structures = uow.structures.pour_utilisateur(utilisateur_id)
    return PerimetreActivite(
        frais_de_justice=acces.perimetre(structures, utilisateur_id, Application.FRAIS_DE_JUSTICE),
        tic=acces.perimetre(structures, utilisateur_id, Application.TIC),
    )


class ActiviteService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def fil(
        self,
        utilisateur_id: str,
        page: int = 1,
        par_page: int = PAR_PAGE_DEFAUT,
        depuis: datetime | None = None,
    ) -> Page[EvenementActivite]:
        """The user's activity feed, newest first: the status changes of the mémoires and
        demandes they may see now (recorded at or after `depuis` when given). An agent of
        the back office follows their queue instead: their feed is empty."""
        pagination = Pagination(page, par_page)
        if depuis is not None and depuis.utcoffset() is None:
            raise ValidationError(
                "La date « depuis » doit préciser son fuseau horaire (par exemple "
                "2026-11-16T00:00:00+01:00).",
                champ="depuis",
            )
        with self._p.uow.lecture() as uow:
            perimetre = perimetre_de(uow, uow.utilisateurs.obtenir(utilisateur_id).id)
            return uow.activites.fil(perimetre, pagination, du=depuis)


@attrs.frozen
class BilanSuivis:
    """What one preparation did."""

    periode: PeriodeSuivi
    prepares: int = 0
    """Emails written into the outbox by this run."""
    deja_prepares: int = 0
    """Users whose email of this period was already in the outbox (an earlier run)."""
    sans_changement: int = 0
    """Subscribed users with nothing to tell in the period: no email."""
    courriels: tuple[str, ...] = ()
    """The outbox ids of this period's emails, this run's and earlier ones'."""


class NotificationService:
    def __init__(self, ports: Ports, *, url_de_base: str = "http://127.0.0.1:8000") -> None:
        self._p = ports
        self._url = url_de_base

    def preparer_suivis(self, nature: NatureSuivi, jour: date | None = None) -> BilanSuivis:
        """Write into the outbox the « suivi d'activité » of the period before `jour`
        (today in Paris by default; see `PeriodeSuivi.pour`) for every subscribed user who
        has changes in it. Idempotent: a user's email of a period is written once."""
        aujourdhui = self._p.clock.aujourdhui()
        jour = aujourdhui if jour is None else jour
        periode = PeriodeSuivi.pour(nature, jour)
        if periode.fin > self._p.clock.maintenant():
            # Its email would miss the rest of the period, and the next run could not
            # replace it.
            raise ValidationError(
                f"La période {periode.libelle} n'est pas terminée : son suivi d'activité ne "
                "peut être préparé qu'après sa fin.",
                champ="jour",
            )
        bilan = BilanSuivis(periode)
        ids: list[str] = []
        apres: str | None = None
        while True:
            with self._p.uow.lecture() as uow:
                lot = uow.utilisateurs.abonnes_au_suivi(
                    nature is NatureSuivi.QUOTIDIEN, apres, _LOT_D_ABONNES
                )
            if not lot:
                break
            apres = lot[-1].id
            for utilisateur in lot:
                issue = self._preparer(utilisateur, periode)
                if issue is None:
                    bilan = attrs.evolve(bilan, sans_changement=bilan.sans_changement + 1)
                    continue
                courriel_id, nouveau = issue
                ids.append(courriel_id)
                if nouveau:
                    bilan = attrs.evolve(bilan, prepares=bilan.prepares + 1)
                else:
                    bilan = attrs.evolve(bilan, deja_prepares=bilan.deja_prepares + 1)
        return attrs.evolve(bilan, courriels=tuple(ids))

    def _preparer(self, utilisateur: Utilisateur, periode: PeriodeSuivi) -> tuple[str, bool] | None:
        """(the email's id, whether this call wrote it), or None when the user has nothing
        in the period."""
        courriel_id = id_courriel_suivi(periode, utilisateur.id)
        with self._p.uow.lecture() as uow:
            try:
                uow.courriels.obtenir(courriel_id)
                return courriel_id, False
            except NonTrouve:
                pass
            structures = uow.structures.pour_utilisateur(utilisateur.id)
            perimetre = perimetre_de(uow, utilisateur.id, structures)
            if perimetre.vide:
                return None
            nombres = uow.activites.compter(perimetre, du=periode.debut, au=periode.fin)
            if not nombres:
                return None
            changements: Sequence[EvenementActivite] = uow.activites.fil(
                perimetre, Pagination(1, CHANGEMENTS_MAXIMUM), du=periode.debut, au=periode.fin
            ).elements
        redige = rediger_suivi(
            periode=periode,
            prenom=utilisateur.prenom,
            comptes=ordonner(nombres),
            changements=changements,
            structures={s.id: s.raison_sociale for s in structures},
            url_de_base=self._url,
        )
        with self._p.uow as uow:
            try:
                uow.courriels.ajouter(
                    Courriel.nouveau(
                        id=courriel_id,
                        destinataire=utilisateur.email,
                        sujet=redige.sujet,
                        corps=redige.corps,
                        maintenant=self._p.clock.maintenant(),
                    )
                )
            except Conflit:
                # Another run wrote it meanwhile: theirs stands.
                return courriel_id, False
            uow.commit()
        return courriel_id, True

    def restant_a_envoyer(self, courriels: Sequence[str]) -> int:
        """How many of those outbox emails are not delivered yet."""
        with self._p.uow.lecture() as uow:
            restants = 0
            for courriel_id in courriels:
                try:
                    if uow.courriels.obtenir(courriel_id).envoye_le is None:
                        restants += 1
                except NonTrouve:
                    continue
            return restants
