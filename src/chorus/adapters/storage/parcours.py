"""The read side by scan, for the stores that keep every résumé at hand (memory, files):
the ports' reference semantics applied as they are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chorus.domain.acces import Perimetre
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import (
    CriteresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
    Sommes,
    Tri,
    trier,
)


class RequetesParParcours:
    """`MemoireQueries` over the résumés `_resumes()` gives (those the transaction sees)."""

    def _resumes(self) -> Iterable[ResumeMemoire]:
        raise NotImplementedError

    def tous(self, criteres: CriteresMemoire, tri: Tri) -> Sequence[ResumeMemoire]:
        return trier([r for r in self._resumes() if r.correspond(criteres)], tri)

    def rechercher(
        self, criteres: CriteresMemoire, tri: Tri, pagination: Pagination
    ) -> Page[ResumeMemoire]:
        resultats = self.tous(criteres, tri)
        debut = pagination.decalage
        return Page(
            elements=tuple(resultats[debut : debut + pagination.par_page]),
            total=len(resultats),
            page=pagination.page,
            par_page=pagination.par_page,
        )

    def sommer(self, criteres: CriteresMemoire) -> Sommes:
        return Sommes.de(r for r in self._resumes() if r.correspond(criteres))

    def compter_par_statut(self, perimetre: Perimetre) -> dict[str, dict[StatutMemoire, int]]:
        comptes: dict[str, dict[StatutMemoire, int]] = {}
        for resume in self._resumes():
            if perimetre.couvre(resume.structure_id, resume.service_id):
                par_statut = comptes.setdefault(resume.structure_id, {})
                par_statut[resume.statut] = par_statut.get(resume.statut, 0) + 1
        return comptes
