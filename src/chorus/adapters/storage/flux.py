"""What every store does alike for the dépôts flux: the refusals (a number taken, a
terminated flux changed, a report entry written twice), the orders of the lists, and, for
the stores that keep everything at hand (memory, files), the whole repository over a few
primitives, in the ports' reference semantics."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve, TransitionInvalide
from chorus.domain.flux.flux import Flux, ReferenceIntegree, ResultatReference
from chorus.domain.memoire import Memoire
from chorus.ports.requetes import Page, Pagination

INTROUVABLE = "Introuvable : ce flux n'existe pas ou ne vous est pas accessible."


def numero_pris(numero: str) -> Conflit:
    return Conflit(f"Le numéro de flux {numero} est déjà attribué.", champ="numero_flux")


def flux_termine(flux: Flux) -> TransitionInvalide:
    return TransitionInvalide(
        f"Le flux n°{flux.numero} est terminé ({flux.statut.libelle}) : il ne change plus."
    )


def rang_pris(flux_id: str, rang: int) -> Conflit:
    return Conflit(
        f"Le compte rendu du flux {flux_id} a déjà une entrée de rang {rang}.", champ="rang"
    )


def suivant(stocke: Flux | None, flux: Flux) -> Flux:
    """`flux` at its next version, if the store holds it at the version it was read at and
    it is not terminated; else the refusal, and nothing is written."""
    if stocke is None:
        raise NonTrouve(INTROUVABLE, champ="numero_flux")
    if stocke.version != flux.version:
        raise ConflitDeVersion(attendue=flux.version, actuelle=stocke.version)
    if stocke.statut.termine:
        raise flux_termine(stocke)
    return attrs.evolve(flux, version=flux.version + 1)


def plus_recents_d_abord(flux: Iterable[Flux]) -> list[Flux]:
    return sorted(flux, key=lambda f: (f.date_depot, f.numero), reverse=True)


def plus_anciens_d_abord(flux: Iterable[Flux]) -> list[Flux]:
    return sorted(flux, key=lambda f: (f.date_depot, f.numero))


def page_de(flux: Iterable[Flux], pagination: Pagination) -> Page[Flux]:
    ordonnes = plus_recents_d_abord(flux)
    debut = pagination.decalage
    return Page(
        elements=tuple(ordonnes[debut : debut + pagination.par_page]),
        total=len(ordonnes),
        page=pagination.page,
        par_page=pagination.par_page,
    )


def cle_reference(structure_id: str, reference: str) -> str:
    """The id a registry entry is stored under (a NUL cannot appear in either part)."""
    return f"{structure_id}\x00{reference}"


class FluxParParcours(ABC):
    """`FluxRepository` over primitives of a store that holds everything at hand."""

    @abstractmethod
    def _tous(self) -> Iterable[Flux]: ...

    @abstractmethod
    def _stocke(self, flux_id: str) -> Flux | None: ...

    @abstractmethod
    def _poser(self, flux: Flux) -> None: ...

    @abstractmethod
    def _resultats(self, flux_id: str) -> Iterable[ResultatReference]: ...

    @abstractmethod
    def _poser_resultats(self, flux_id: str, resultats: Sequence[ResultatReference]) -> None: ...

    @abstractmethod
    def _entree(self, cle: str) -> ReferenceIntegree | None: ...

    @abstractmethod
    def _poser_entree(self, cle: str, entree: ReferenceIntegree) -> None: ...

    @abstractmethod
    def _memoire(self, memoire_id: str) -> Memoire | None: ...

    def ajouter(self, flux: Flux) -> None:
        if self._stocke(flux.id) is not None:
            raise Conflit("Ce flux existe déjà.", champ="id")
        if self.par_numero(flux.numero) is not None:
            raise numero_pris(flux.numero)
        self._poser(flux)

    def obtenir(self, flux_id: str) -> Flux:
        flux = self._stocke(flux_id)
        if flux is None:
            raise NonTrouve(INTROUVABLE, champ="numero_flux")
        return flux

    def par_numero(self, numero: str) -> Flux | None:
        return next((f for f in self._tous() if f.numero == numero), None)

    def enregistrer(self, flux: Flux) -> Flux:
        nouveau = suivant(self._stocke(flux.id), flux)
        self._poser(nouveau)
        return nouveau

    def pour_structure(self, structure_id: str, pagination: Pagination) -> Page[Flux]:
        return page_de((f for f in self._tous() if f.structure_id == structure_id), pagination)

    def en_attente(self) -> Sequence[Flux]:
        return plus_anciens_d_abord(f for f in self._tous() if not f.statut.termine)

    def ajouter_resultats(self, flux_id: str, resultats: Sequence[ResultatReference]) -> None:
        deja = {r.rang for r in self._resultats(flux_id)}
        nouveaux: set[int] = set()
        for resultat in resultats:
            if resultat.rang in deja or resultat.rang in nouveaux:
                raise rang_pris(flux_id, resultat.rang)
            nouveaux.add(resultat.rang)
        if resultats:
            self._poser_resultats(flux_id, resultats)

    def resultats(self, flux_id: str) -> Sequence[ResultatReference]:
        return sorted(self._resultats(flux_id), key=lambda r: r.rang)

    def references(
        self, structure_id: str, references: Collection[str]
    ) -> Mapping[str, ReferenceIntegree]:
        trouvees: dict[str, ReferenceIntegree] = {}
        for reference in references:
            entree = self._entree(cle_reference(structure_id, reference))
            if entree is None:
                continue
            memoire = self._memoire(entree.memoire_id)
            if memoire is not None:
                trouvees[reference] = attrs.evolve(entree, numero_memoire=memoire.numero)
        return trouvees

    def enregistrer_references(self, entrees: Sequence[ReferenceIntegree]) -> None:
        for entree in entrees:
            self._poser_entree(cle_reference(entree.structure_id, entree.reference), entree)


@attrs.frozen
class LotDeRapport:
    """Report entries of a flux written by one unit of work, stored as one document (a
    store of documents would otherwise hold one file per mémoire of every flux)."""

    id: str
    flux_id: str
    resultats: tuple[ResultatReference, ...]

    @staticmethod
    def de(flux_id: str, resultats: Sequence[ResultatReference]) -> LotDeRapport:
        # Named by the first rank it holds, zero-padded: the lots sort in file order.
        return LotDeRapport(f"{flux_id}-{resultats[0].rang:09d}", flux_id, tuple(resultats))


@attrs.frozen
class EntreeDuRegistre:
    """A registry entry as a document, under `cle_reference`'s key."""

    id: str
    entree: ReferenceIntegree
