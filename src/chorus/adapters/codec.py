"""The one serialisation layer: a cattrs converter shared by the storage and web adapters.

Aggregates become plain JSON-ready structures and come back equal: `Decimal` travels as a
string that keeps its exponent (``"12.10"`` stays ``12.10``, never a float), dates as
``YYYY-MM-DD``, instants as ISO 8601 with their offset, enumerations as their codes,
tuples and frozensets as lists (frozensets sorted, so the output is deterministic).
It is the only adapter module other adapters may import.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import cattrs
from cattrs.preconf.json import make_converter

from chorus.domain.montants import TauxTva

T = TypeVar("T")


class ErreurDeDecodage(ValueError):
    """Stored or received data that does not describe the expected object."""


def _decimal(valeur: Any, _: type) -> Decimal:
    if isinstance(valeur, float | bool):
        raise ErreurDeDecodage(f"a decimal must travel as a string, got {valeur!r}")
    try:
        return Decimal(str(valeur))
    except InvalidOperation:
        raise ErreurDeDecodage(f"not a decimal: {valeur!r}") from None


def _datetime(valeur: Any, _: type) -> datetime:
    instant = datetime.fromisoformat(str(valeur))
    if instant.tzinfo is None:
        raise ErreurDeDecodage(f"an instant needs its offset: {valeur!r}")
    return instant


def _creer_convertisseur() -> cattrs.Converter:
    convertisseur = make_converter()
    convertisseur.register_unstructure_hook(Decimal, str)
    convertisseur.register_structure_hook(Decimal, _decimal)
    convertisseur.register_unstructure_hook(datetime, lambda d: d.isoformat())
    convertisseur.register_structure_hook(datetime, _datetime)
    convertisseur.register_unstructure_hook(date, lambda d: d.isoformat())
    convertisseur.register_structure_hook(date, lambda v, _: date.fromisoformat(str(v)))
    # A TVA rate's value is a Decimal; it travels as its code ("5.5"), like any decimal.
    convertisseur.register_unstructure_hook(TauxTva, lambda t: t.code)
    convertisseur.register_structure_hook(TauxTva, lambda v, _: TauxTva.depuis(str(v)))
    convertisseur.register_unstructure_hook_func(
        lambda t: getattr(t, "__origin__", None) is frozenset,
        lambda valeurs: sorted(convertisseur.unstructure(v) for v in valeurs),
    )
    return convertisseur


CONVERTISSEUR = _creer_convertisseur()


def vers_donnees(objet: object) -> Any:
    """The object as JSON-ready data (dicts, lists, strings, numbers, booleans, None)."""
    return CONVERTISSEUR.unstructure(objet)


def depuis_donnees(donnees: Any, type_: type[T]) -> T:
    """The object of type `type_` that `donnees` describes; `ErreurDeDecodage` otherwise."""
    try:
        return CONVERTISSEUR.structure(donnees, type_)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as erreur:
        raise ErreurDeDecodage(f"cannot read a {type_.__name__}: {erreur}") from erreur
