"""The reference lists the use cases validate codes against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chorus.domain.referentiels import EntreeReferentiel, Juridiction, TypePrestation


class Referentiels(Protocol):
    """Read-only reference data (juridictions, catalogue of prestations, …).

    Lookups by code return `None` for an unknown code; the caller words the refusal, since
    only it knows which field carried the code.
    """

    def juridictions(self) -> Sequence[Juridiction]:
        """Every juridiction, ordered by code."""
        ...

    def juridiction(self, code: str) -> Juridiction | None: ...

    def types_prestation(self) -> Sequence[TypePrestation]: ...

    def type_prestation(self, code: str) -> TypePrestation | None: ...

    def autorites_requerantes(self) -> Sequence[EntreeReferentiel]: ...

    def autorite_requerante(self, code: str) -> EntreeReferentiel | None: ...

    def categories_prestataire(self) -> Sequence[EntreeReferentiel]: ...

    def categorie_prestataire(self, code: str) -> EntreeReferentiel | None: ...

    def textes_reference(self) -> Sequence[EntreeReferentiel]: ...

    def texte_reference(self, code: str) -> EntreeReferentiel | None: ...
