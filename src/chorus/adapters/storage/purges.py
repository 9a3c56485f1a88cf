"""What every store does alike for the retention purge: the refusal of a purged id, and, for
the stores that keep every aggregate at hand (memory, files), the candidates and the
references found by scan, in the ports' semantics."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime

from chorus.domain.conservation import contenus
from chorus.domain.errors import Conflit
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import ResumeMemoire


def id_purge(memoire_id: str) -> Conflit:
    """The refusal to store a mémoire under the id of a purged one."""
    return Conflit(
        f"L'identifiant {memoire_id} est celui d'un mémoire purgé : il ne peut pas resservir.",
        champ="id",
    )


def _ordre(resume: ResumeMemoire) -> tuple[datetime, str]:
    assert resume.date_depot is not None
    return resume.date_depot.astimezone(UTC), resume.id


class PurgeParParcours:
    """The purge's reads of a `MemoireRepository` over the résumés and mémoires the
    transaction sees, in the ports' semantics."""

    def _resumes_visibles(self) -> Iterable[ResumeMemoire]:
        raise NotImplementedError

    def _memoires_visibles(self) -> Iterable[Memoire]:
        raise NotImplementedError

    def a_purger(
        self,
        *,
        deposes_avant: datetime,
        statuts: frozenset[StatutMemoire],
        apres: ResumeMemoire | None,
        limite: int,
    ) -> Sequence[ResumeMemoire]:
        depart = None if apres is None else _ordre(apres)
        candidats = (
            r
            for r in self._resumes_visibles()
            if r.date_depot is not None
            and r.date_depot < deposes_avant
            and r.statut in statuts
            and (depart is None or _ordre(r) > depart)
        )
        return heapq.nsmallest(max(0, limite), candidats, key=_ordre)

    def contenus_references(
        self, sha256s: Collection[str], *, sauf: Collection[str] = ()
    ) -> frozenset[str]:
        cherches, exclus = frozenset(sha256s), frozenset(sauf)
        trouves: set[str] = set()
        for memoire in self._memoires_visibles():
            if memoire.id not in exclus:
                trouves |= contenus(memoire) & cherches
        return frozenset(trouves)


def references_des_structures(
    structures: Iterable[Structure], sha256s: Collection[str]
) -> frozenset[str]:
    """`StructureRepository.contenus_references` over `structures`."""
    cherches = frozenset(sha256s)
    return frozenset(
        p.sha256 for structure in structures for p in structure.pieces if p.sha256 in cherches
    )
