"""What the dépôt flux needs from the outside: a reader of the documented file formats
(and of the ZIP of pièces beside a flux), and a store of the flux and their reports."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from chorus.domain.flux.flux import Flux, FormatFlux, ReferenceIntegree, ResultatReference
from chorus.domain.flux.lecture import MemoireLue
from chorus.ports.requetes import Page, Pagination


class LecteurFlux(Protocol):
    """Reads the documented flux formats; knows their syntax, none of the rules."""

    def lire(self, format: FormatFlux, contenu: bytes) -> Sequence[MemoireLue]:
        """Every mémoire of the file, in file order (`rang` 0, 1, …), each with what the
        reader found wrong in it. Raise `FichierIllisible` (French message) when the file
        cannot be read at all."""
        ...

    def pieces(self, archive: bytes) -> Mapping[str, bytes]:
        """The files of the ZIP beside a flux, by their name inside it (read on access).
        Raise `FichierIllisible` for a file that is not a ZIP, an unsafe or duplicate
        name, or content beyond the sizes allowed."""
        ...


class FluxRepository(Protocol):
    """The flux, their reports and the registry of the references they integrated, in the
    same unit of work as the mémoires they create."""

    def ajouter(self, flux: Flux) -> None:
        """Store a new flux; `Conflit` if its id or number is taken."""
        ...

    def obtenir(self, flux_id: str) -> Flux:
        """The flux; `NonTrouve` if there is none."""
        ...

    def par_numero(self, numero: str) -> Flux | None: ...

    def enregistrer(self, flux: Flux) -> Flux:
        """Save a changed flux read at `flux.version`; returns it at the next version.
        `ConflitDeVersion` if it changed meanwhile, `TransitionInvalide` if the stored one
        is terminated (a terminated flux never changes again); nothing is written then."""
        ...

    def pour_structure(self, structure_id: str, pagination: Pagination) -> Page[Flux]:
        """The structure's flux, the latest deposit first (ties by number, descending)."""
        ...

    def en_attente(self) -> Sequence[Flux]:
        """Every flux received or being integrated, the oldest deposit first (ties by
        number)."""
        ...

    def ajouter_resultats(self, flux_id: str, resultats: Sequence[ResultatReference]) -> None:
        """Append report entries of the flux; `Conflit` if one of their ranks is already
        there (an entry is written once)."""
        ...

    def resultats(self, flux_id: str) -> Sequence[ResultatReference]:
        """The flux's report, by rank."""
        ...

    def references(
        self, structure_id: str, references: Collection[str]
    ) -> Mapping[str, ReferenceIntegree]:
        """The registry's entries of those of `references` the structure's flux integrated,
        by reference — only those whose mémoire is still stored, each with the mémoire's
        current number (a draft sent since by hand carries its MJ number)."""
        ...

    def enregistrer_references(self, entrees: Sequence[ReferenceIntegree]) -> None:
        """Write registry entries, replacing any of the same (structure, reference)."""
        ...
