"""What the stores that keep everything at hand (memory, files) do alike for the activity
feed: the repository by scan, in the ports' reference semantics, and the users subscribed
to the « suivi d'activité »."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs

from chorus.domain.activite import (
    EvenementActivite,
    PerimetreActivite,
    TypeObjet,
    dans_la_periode,
    plus_recents,
)
from chorus.domain.errors import Conflit
from chorus.domain.utilisateur import StatutUtilisateur, Utilisateur
from chorus.ports.requetes import Page, Pagination

RANG_ACTIVITE = "rang-activite"
"""The sequence the stores rank the activity events from (`EvenementActivite.rang`)."""


def evenement_existant(evenement_id: str) -> Conflit:
    return Conflit(f"L'événement d'activité {evenement_id} est déjà enregistré.", champ="id")


def abonne(utilisateur: Utilisateur, quotidien: bool) -> bool:
    """Whether `utilisateur` receives that « suivi d'activité »: an active person (neither
    an agent nor an API token's account) who left it on."""
    return (
        utilisateur.statut is StatutUtilisateur.ACTIF
        and not utilisateur.est_agent
        and not utilisateur.est_technique
        and (utilisateur.suivi_quotidien if quotidien else utilisateur.suivi_hebdomadaire)
    )


def abonnes(
    utilisateurs: Iterable[Utilisateur], quotidien: bool, apres: str | None, limite: int
) -> list[Utilisateur]:
    """`UtilisateurRepository.abonnes_au_suivi` by scan."""
    choisis = sorted(
        (u for u in utilisateurs if (apres is None or u.id > apres) and abonne(u, quotidien)),
        key=lambda u: u.id,
    )
    return choisis[: max(0, limite)]


def rang_de(evenement: EvenementActivite) -> int:
    return evenement.rang or 0


class ActivitesParParcours:
    """`ActiviteRepository` over the events a store reads by structure."""

    def _evenements_des(self, structures: frozenset[str]) -> Iterable[EvenementActivite]:
        """Every stored event of those structures (this transaction's included)."""
        raise NotImplementedError

    def _existe(self, evenement_id: str) -> bool:
        raise NotImplementedError

    def _poser(self, evenement: EvenementActivite) -> None:
        raise NotImplementedError

    def _evenements_de_l_objet(self, objet_id: str) -> Iterable[EvenementActivite]:
        """Every stored event of that object (this transaction's included)."""
        raise NotImplementedError

    def _retirer(self, evenement_id: str) -> None:
        raise NotImplementedError

    def _rang_suivant(self) -> int:
        """The next rank, from a counter of the transaction (rolled back with it)."""
        raise NotImplementedError

    def supprimer_objet(self, objet_id: str) -> int:
        # Listed before the first removal: the listing may read what it changes.
        ids = [e.id for e in self._evenements_de_l_objet(objet_id)]
        for evenement_id in ids:
            self._retirer(evenement_id)
        return len(ids)

    def ajouter(self, evenements: Sequence[EvenementActivite]) -> None:
        ids = [e.id for e in evenements]
        for evenement_id in ids:
            if self._existe(evenement_id) or ids.count(evenement_id) > 1:
                raise evenement_existant(evenement_id)
        for evenement in evenements:
            self._poser(attrs.evolve(evenement, rang=self._rang_suivant()))

    def cycle_de_vie(
        self, structure_id: str, apres: int, limite: int
    ) -> Sequence[EvenementActivite]:
        suivants = (
            e
            for e in self._evenements_des(frozenset({structure_id}))
            if e.type_objet is TypeObjet.MEMOIRE and e.rang is not None and e.rang > apres
        )
        return heapq.nsmallest(max(0, limite), suivants, key=rang_de)

    def _couverts(
        self, perimetre: PerimetreActivite, du: datetime | None, au: datetime | None
    ) -> list[EvenementActivite]:
        if perimetre.vide:
            return []
        return [
            e
            for e in self._evenements_des(perimetre.structures)
            if perimetre.couvre(e) and dans_la_periode(e, du, au)
        ]

    def fil(
        self,
        perimetre: PerimetreActivite,
        pagination: Pagination,
        *,
        du: datetime | None = None,
        au: datetime | None = None,
    ) -> Page[EvenementActivite]:
        couverts = plus_recents(self._couverts(perimetre, du, au))
        debut = pagination.decalage
        return Page(
            elements=tuple(couverts[debut : debut + pagination.par_page]),
            total=len(couverts),
            page=pagination.page,
            par_page=pagination.par_page,
        )

    def compter(
        self,
        perimetre: PerimetreActivite,
        *,
        du: datetime | None = None,
        au: datetime | None = None,
    ) -> dict[tuple[TypeObjet, str], int]:
        nombres: dict[tuple[TypeObjet, str], int] = {}
        for e in self._couverts(perimetre, du, au):
            nombres[e.type_objet, e.statut] = nombres.get((e.type_objet, e.statut), 0) + 1
        return nombres
