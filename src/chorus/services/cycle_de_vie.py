"""The cycle-de-vie feed of a structure (`chorus.domain.cycle_de_vie`): read page by page
with a cursor, or exported whole from a cursor on.

Who may read it: a gestionnaire of the structure, or a member holding a « Frais de justice »
habilitation on the whole structure (the feed covers all its services); an API token with
such a habilitation is the usual reader. Anyone else outside the structure learns nothing
of it (`NonTrouve`), a member without that right is refused (`AccesRefuse`). A structure
that did not opt in (« Recevoir les cycles de vie ») has no feed: `Conflit`, saying how to
turn it on. The operator's command line (`chorus cycle-de-vie exporter`) reads it for the
structure without a user, still only if the structure opted in.

Each page is its own read-only unit of work: an export of a million events never holds a
transaction open, and the cursor makes the pages one consistent sequence anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from chorus.domain import acces
from chorus.domain.cycle_de_vie import (
    LIMITE_MAXIMUM,
    LIMITE_PAR_DEFAUT,
    PageCycleDeVie,
    exiger_abonnement,
    page,
    rang_du_curseur,
    valider_limite,
)
from chorus.domain.errors import AccesRefuse
from chorus.domain.organisation import Application, Profil, Structure
from chorus.services.contexte import Ports


def exiger_lecteur(structure: Structure, acteur_id: str) -> None:
    """Refuse unless `acteur_id` may read the structure's cycle-de-vie feed."""
    acces.exiger_membre(structure, acteur_id)
    if structure.est_gestionnaire(acteur_id):
        return
    if not acces.peut(structure, acteur_id, Application.FRAIS_DE_JUSTICE, Profil.CONSULTATION):
        raise AccesRefuse(
            "Le cycle de vie des mémoires de la structure est réservé à son gestionnaire et "
            "aux utilisateurs habilités « Frais de justice » sur toute la structure (une "
            "habilitation limitée à un service ne suffit pas)."
        )


class CycleDeVieService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def lire(
        self,
        acteur_id: str,
        structure_id: str,
        apres: str | None = None,
        limite: int = LIMITE_PAR_DEFAUT,
    ) -> PageCycleDeVie:
        """The events of the structure's mémoires recorded after the cursor `apres` (from
        the first when None), at most `limite` (1 to 1,000), in the order recorded; the
        page's cursor resumes after them."""
        return self._lire(acteur_id, structure_id, apres, limite)

    def pages(
        self, acteur_id: str, structure_id: str, apres: str | None = None
    ) -> Iterator[PageCycleDeVie]:
        """Every page from `apres` on, until the last recorded (the export). The first page
        is read now, so that a refusal comes before anything is written."""
        return self._pages(acteur_id, structure_id, apres)

    def pages_pour_exploitation(
        self, structure_id: str, apres: str | None = None
    ) -> Iterator[PageCycleDeVie]:
        """`pages` for the operator (command line): no user, but only for a structure
        that opted in."""
        return self._pages(None, structure_id, apres)

    def _pages(
        self, acteur_id: str | None, structure_id: str, apres: str | None
    ) -> Iterator[PageCycleDeVie]:
        premiere = self._lire(acteur_id, structure_id, apres, LIMITE_MAXIMUM)

        def suite() -> Iterator[PageCycleDeVie]:
            courante = premiere
            yield courante
            # A short page is the end: everything recorded so far has been read.
            while len(courante.evenements) == LIMITE_MAXIMUM:
                courante = self._lire(acteur_id, structure_id, courante.curseur, LIMITE_MAXIMUM)
                yield courante

        return suite()

    def _lire(
        self, acteur_id: str | None, structure_id: str, apres: str | None, limite: int
    ) -> PageCycleDeVie:
        valider_limite(limite)
        with self._p.uow.lecture() as uow:
            structure = uow.structures.obtenir(structure_id)
            if acteur_id is not None:
                exiger_lecteur(structure, acteur_id)
            exiger_abonnement(structure)
            rang = rang_du_curseur(structure.id, apres)
            evenements = tuple(uow.activites.cycle_de_vie(structure.id, rang, limite))
        return page(structure.id, rang, evenements)
