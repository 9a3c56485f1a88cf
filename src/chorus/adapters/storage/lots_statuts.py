"""What every store does alike for the batches of status events: the refusals, and for the
stores that keep everything at hand (memory, files) the whole repository by scan, in the
reference semantics of `chorus.ports.lots_statuts`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chorus.domain.errors import Conflit, NonTrouve
from chorus.domain.lots_statuts import (
    EvenementEnAttente,
    LotStatuts,
    ResultatEvenement,
    avec_issue_differee,
    ordre_evenement,
)
from chorus.ports.requetes import Page, Pagination


def numero_de_lot_pris(numero: str) -> Conflit:
    return Conflit(f"Le numéro de lot {numero} est déjà attribué.", champ="numero_lot")


def lot_introuvable(numero: str) -> NonTrouve:
    return NonTrouve(f"Introuvable : il n'y a pas de lot de statuts n° {numero}.", champ="numero")


def deja_en_attente(evenement: EvenementEnAttente) -> Conflit:
    return Conflit(
        f"L'événement {evenement.evenement.reference} du mémoire n°{evenement.numero_memoire} "
        "est déjà en attente.",
        champ="reference_evenement",
    )


def cle_de_liste(evenement: EvenementEnAttente) -> tuple[object, ...]:
    """The order of the list of waiting events: by mémoire number, then event order."""
    return (evenement.numero_memoire, *ordre_evenement(evenement.evenement), evenement.id)


class LotsStatutsParParcours:
    """The repository over `_lots()` and `_attentes()`, which the store provides."""

    def _lots(self) -> Iterable[LotStatuts]:
        raise NotImplementedError

    def _poser_lot(self, lot: LotStatuts) -> None:
        raise NotImplementedError

    def _attentes(self) -> Iterable[EvenementEnAttente]:
        raise NotImplementedError

    def _poser_attente(self, evenement: EvenementEnAttente) -> None:
        raise NotImplementedError

    def _retirer_attente(self, evenement_id: str) -> None:
        raise NotImplementedError

    def ajouter(self, lot: LotStatuts) -> None:
        if any(lot.numero == autre.numero or lot.id == autre.id for autre in self._lots()):
            raise numero_de_lot_pris(lot.numero)
        self._poser_lot(lot)

    def obtenir(self, numero: str) -> LotStatuts:
        for lot in self._lots():
            if lot.numero == numero:
                return lot
        raise lot_introuvable(numero)

    def mettre_en_attente(self, evenement: EvenementEnAttente) -> None:
        for autre in self._attentes():
            if autre.id == evenement.id or (
                autre.memoire_id == evenement.memoire_id
                and autre.evenement.reference == evenement.evenement.reference
            ):
                raise deja_en_attente(evenement)
        self._poser_attente(evenement)

    def en_attente_du_memoire(self, memoire_id: str) -> Sequence[EvenementEnAttente]:
        return sorted(
            (e for e in self._attentes() if e.memoire_id == memoire_id),
            key=lambda e: (*ordre_evenement(e.evenement), e.id),
        )

    def noter_issue_differee(self, numero_lot: str, resultat: ResultatEvenement) -> None:
        for lot in self._lots():
            if lot.numero == numero_lot:
                nouveau = avec_issue_differee(lot, resultat)
                if nouveau is not lot:
                    self._poser_lot(nouveau)
                return

    def retirer_de_l_attente(self, evenement_id: str) -> None:
        if any(e.id == evenement_id for e in self._attentes()):
            self._retirer_attente(evenement_id)

    def en_attente(
        self, juridictions: frozenset[str] | None, pagination: Pagination
    ) -> Page[EvenementEnAttente]:
        tries = sorted(
            (
                e
                for e in self._attentes()
                if juridictions is None or e.juridiction_code in juridictions
            ),
            key=cle_de_liste,
        )
        debut = pagination.decalage
        return Page(
            elements=tuple(tries[debut : debut + pagination.par_page]),
            total=len(tries),
            page=pagination.page,
            par_page=pagination.par_page,
        )
