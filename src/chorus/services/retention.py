"""The retention purge (DESIGN 3.4): what was sent more than ten years ago and will never
move again is removed, with its pièces and its certificate, and the purge says what it
removed.

It works in batches, one unit of work each, so that a purge of a hundred thousand
mémoires never holds the store's write lock for long: each batch lists its candidates,
checks the domain's rule again on each mémoire as stored, and purges it (the store writes
its entry in the register of purges) with its events of the activity feed. Only once a
batch is committed are its contents looked at: those nothing refers to any more — no
remaining mémoire, no structure's pool of pièces — are deleted from the blob store, unless
deposited again lately (an upload of the same bytes may be about to refer to them: see
`BlobStore.supprimer`).

A simulation lists what a purge would remove (contents deposited again lately aside), and
writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.conservation import (
    STATUTS_FINAUX,
    MemoirePurgee,
    contenus,
    debut_du_jour_a_paris,
    peut_etre_purge,
    premier_jour_conserve,
)
from chorus.domain.errors import ValidationError
from chorus.domain.memoire import Memoire
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import ResumeMemoire
from chorus.services.contexte import Ports

# Measured on the benchmark's million mémoires: purging takes 3 to 4 ms a mémoire (its row
# leaves some thirty indexes), so a batch holds the write lock about a third of a second.
TAILLE_DES_LOTS = 100
# Far longer than any upload takes to commit, far shorter than ten years.
DELAI_DE_GRACE = timedelta(days=1)


@attrs.frozen
class RapportPurge:
    """What a purge removed (or, in a simulation, would remove)."""

    limite: date
    """The first day of deposit kept: every mémoire listed was deposited before it."""
    simulation: bool
    memoires: tuple[MemoirePurgee, ...]
    contenus_supprimes: int
    """Pièces and certificates deleted from the blob store (nothing else referred to them)."""
    octets_supprimes: int


@attrs.frozen
class _Lot:
    candidats: tuple[ResumeMemoire, ...]
    purgees: tuple[MemoirePurgee, ...]
    contenus: frozenset[str]


class RetentionService:
    def __init__(
        self,
        ports: Ports,
        *,
        taille_des_lots: int = TAILLE_DES_LOTS,
        delai_de_grace: timedelta = DELAI_DE_GRACE,
    ) -> None:
        self._p = ports
        self._taille_des_lots = taille_des_lots
        self._delai_de_grace = delai_de_grace

    def premier_jour_conserve(self) -> date:
        """Today's limit: mémoires deposited from this day on are still kept."""
        return premier_jour_conserve(self._p.clock.aujourdhui())

    def purger(self, *, avant: date | None = None, simulation: bool = False) -> RapportPurge:
        """Remove the sent mémoires in a final status whose ten years have run out, and
        deposited before `avant` when given (which may only bring the limit earlier:
        `ValidationError` on « avant » otherwise). With `simulation`, nothing changes."""
        aujourdhui = self._p.clock.aujourdhui()
        limite = premier_jour_conserve(aujourdhui)
        if avant is not None:
            if avant > limite:
                raise ValidationError(
                    f"Date limite trop récente ({avant:%d/%m/%Y}) : les mémoires déposés à "
                    f"partir du {limite:%d/%m/%Y} sont encore conservés (dix ans à compter de "
                    f"leur transmission) ; indiquez le {limite:%d/%m/%Y} au plus tard.",
                    champ="avant",
                )
            limite = avant
        purgees: list[MemoirePurgee] = []
        tailles: list[int] = []
        # A simulation removes nothing: it asks at the end which contents nothing but the
        # mémoires listed refers to — what the batches of a purge delete one by one.
        a_verifier: set[str] = set()
        apres: ResumeMemoire | None = None
        while True:
            if simulation:
                with self._p.uow.lecture() as uow:
                    lot = self._lot(uow, aujourdhui, limite, apres, simulation=True)
                a_verifier |= lot.contenus
            else:
                with self._p.uow as uow:
                    lot = self._lot(uow, aujourdhui, limite, apres, simulation=False)
                    uow.commit()
                tailles += self._contenus_liberes(lot.contenus, simulation=False)
            if not lot.candidats:
                break
            apres = lot.candidats[-1]
            purgees += lot.purgees
        if simulation:
            tailles = self._contenus_liberes(
                frozenset(a_verifier),
                simulation=True,
                sauf=frozenset(p.memoire_id for p in purgees),
            )
        return RapportPurge(
            limite=limite,
            simulation=simulation,
            memoires=tuple(purgees),
            contenus_supprimes=len(tailles),
            octets_supprimes=sum(tailles),
        )

    def _lot(
        self,
        uow: UnitOfWork,
        aujourdhui: date,
        limite: date,
        apres: ResumeMemoire | None,
        *,
        simulation: bool,
    ) -> _Lot:
        candidats = tuple(
            uow.memoires.a_purger(
                deposes_avant=debut_du_jour_a_paris(limite),
                statuts=STATUTS_FINAUX,
                apres=apres,
                limite=self._taille_des_lots,
            )
        )
        maintenant = self._p.clock.maintenant()
        purgees: list[MemoirePurgee] = []
        adresses: set[str] = set()
        for candidat in candidats:
            memoire = uow.memoires.obtenir(candidat.id)
            # The rule again, on the mémoire as stored in the unit of work that removes it.
            if not _purgeable(memoire, aujourdhui, limite):
                continue
            if simulation:
                purgees.append(MemoirePurgee.de(memoire, maintenant))
            else:
                purgees.append(uow.memoires.purger(memoire.id, maintenant))
                # Its activity goes with it: no feed links to what is gone, and nothing of
                # it outlives the retention.
                uow.activites.supprimer_objet(memoire.id)
            adresses |= contenus(memoire)
        return _Lot(candidats, tuple(purgees), frozenset(adresses))

    def _contenus_liberes(
        self, adresses: frozenset[str], *, simulation: bool, sauf: frozenset[str] = frozenset()
    ) -> list[int]:
        """The sizes of the contents deleted among `adresses`: those no mémoire (but those
        of `sauf`, in a simulation, where they are listed but still there), no
        structure's pool, no demande TIC and no support ticket refers to."""
        if not adresses:
            return []
        with self._p.uow.lecture() as uow:
            references = (
                uow.memoires.contenus_references(adresses, sauf=sauf)
                | uow.structures.contenus_references(adresses)
                | uow.demandes_tic.contenus_references(adresses)
                | uow.tickets.contenus_references(adresses)
            )
        tailles: list[int] = []
        for adresse in sorted(adresses - references):
            if simulation:
                taille = self._p.blobs.taille(adresse)
            else:
                taille = self._p.blobs.supprimer(adresse, delai_de_grace=self._delai_de_grace)
            if taille is not None:
                tailles.append(taille)
        return tailles


def _purgeable(memoire: Memoire, aujourdhui: date, limite: date) -> bool:
    return (
        peut_etre_purge(memoire, aujourdhui)
        and memoire.date_depot is not None
        and jour_a_paris(memoire.date_depot) < limite
    )
