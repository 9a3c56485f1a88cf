"""The référentiels shipped as CSV files in the `chorus.data` package."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import NamedTuple

from chorus.domain.referentiels import (
    EntreeReferentiel,
    Juridiction,
    TypeJuridiction,
    TypePrestation,
)

JURIDICTIONS = "juridictions.csv"
TYPES_PRESTATION = "types_prestation.csv"
AUTORITES_REQUERANTES = "autorites_requerantes.csv"
CATEGORIES_PRESTATAIRE = "categories_prestataire.csv"
TEXTES_REFERENCE = "textes_reference.csv"

_JURIDICTION_COLUMNS = (
    "code",
    "type",
    "nom",
    "departement",
    "cour_appel_code",
    "commune_siege_insee",
)
_TYPE_PRESTATION_COLUMNS = ("code", "libelle", "categorie_prestataire", "texte_reference", "unite")
_ENTRY_COLUMNS = ("code", "libelle")

_APPELLATE_TYPES = frozenset({TypeJuridiction.CA, TypeJuridiction.TSA})


class _Row(NamedTuple):
    line: int
    fields: dict[str, str]


class ReferentielsDuPaquet:
    """Read-only référentiels loaded from the CSV files of the `chorus.data` package.

    Every file is read and cross-checked once, when the object is built: a broken data file
    then stops the application at start-up, with the file and line to fix, instead of
    surfacing later as an unexplained refusal of a mémoire that happens to use the bad row.
    `source` lets a test point at another directory holding the same five files.
    """

    def __init__(self, source: Traversable | None = None) -> None:
        root = files("chorus.data") if source is None else source

        self._categories = _load_entries(root, CATEGORIES_PRESTATAIRE)
        self._textes = _load_entries(root, TEXTES_REFERENCE)
        self._autorites = _load_entries(root, AUTORITES_REQUERANTES)
        self._types = _load_types_prestation(
            root,
            categories={entry.code for entry in self._categories},
            textes={entry.code for entry in self._textes},
        )
        self._juridictions = _load_juridictions(root)

        self._types_by_code: Mapping[str, TypePrestation] = {t.code: t for t in self._types}
        self._juridictions_by_code: Mapping[str, Juridiction] = {
            j.code: j for j in self._juridictions
        }
        self._entries_by_code: Mapping[str, Mapping[str, EntreeReferentiel]] = {
            name: {e.code: e for e in entries}
            for name, entries in (
                (AUTORITES_REQUERANTES, self._autorites),
                (CATEGORIES_PRESTATAIRE, self._categories),
                (TEXTES_REFERENCE, self._textes),
            )
        }

    def juridictions(self) -> Sequence[Juridiction]:
        return self._juridictions

    def juridiction(self, code: str) -> Juridiction | None:
        return self._juridictions_by_code.get(code)

    def types_prestation(self) -> Sequence[TypePrestation]:
        return self._types

    def type_prestation(self, code: str) -> TypePrestation | None:
        return self._types_by_code.get(code)

    def autorites_requerantes(self) -> Sequence[EntreeReferentiel]:
        return self._autorites

    def categories_prestataire(self) -> Sequence[EntreeReferentiel]:
        return self._categories

    def textes_reference(self) -> Sequence[EntreeReferentiel]:
        return self._textes

    def autorite_requerante(self, code: str) -> EntreeReferentiel | None:
        return self._entries_by_code[AUTORITES_REQUERANTES].get(code)

    def categorie_prestataire(self, code: str) -> EntreeReferentiel | None:
        return self._entries_by_code[CATEGORIES_PRESTATAIRE].get(code)

    def texte_reference(self, code: str) -> EntreeReferentiel | None:
        return self._entries_by_code[TEXTES_REFERENCE].get(code)


def _load_entries(root: Traversable, filename: str) -> tuple[EntreeReferentiel, ...]:
    rows = _read(root, filename, _ENTRY_COLUMNS)
    return tuple(
        EntreeReferentiel(code=r.fields["code"], libelle=r.fields["libelle"]) for r in rows
    )


def _load_types_prestation(
    root: Traversable, *, categories: set[str], textes: set[str]
) -> tuple[TypePrestation, ...]:
    rows = _read(root, TYPES_PRESTATION, _TYPE_PRESTATION_COLUMNS)
    for row in rows:
        categorie = row.fields["categorie_prestataire"]
        if categorie not in categories:
            raise _error(
                TYPES_PRESTATION,
                row,
                f"categorie_prestataire {categorie!r} is not in {CATEGORIES_PRESTATAIRE}",
            )
        texte = row.fields["texte_reference"]
        if texte not in textes:
            raise _error(
                TYPES_PRESTATION, row, f"texte_reference {texte!r} is not in {TEXTES_REFERENCE}"
            )
    return tuple(
        TypePrestation(
            code=row.fields["code"],
            libelle=row.fields["libelle"],
            categorie_prestataire=row.fields["categorie_prestataire"],
            texte_reference=row.fields["texte_reference"],
            unite=row.fields["unite"],
        )
        for row in rows
    )


def _load_juridictions(root: Traversable) -> tuple[Juridiction, ...]:
    rows = _read(root, JURIDICTIONS, _JURIDICTION_COLUMNS, optional={"cour_appel_code"})
    types: dict[str, TypeJuridiction] = {}
    for row in rows:
        try:
            types[row.fields["code"]] = TypeJuridiction(row.fields["type"])
        except ValueError:
            raise _error(JURIDICTIONS, row, f"unknown type {row.fields['type']!r}") from None

    juridictions = []
    for row in rows:
        type_ = types[row.fields["code"]]
        cour_appel_code = row.fields["cour_appel_code"] or None
        if type_ in _APPELLATE_TYPES:
            if cour_appel_code is not None:
                raise _error(JURIDICTIONS, row, f"a {type_.value} has no cour_appel_code")
        elif cour_appel_code is None:
            raise _error(JURIDICTIONS, row, f"a {type_.value} needs a cour_appel_code")
        elif types.get(cour_appel_code) not in _APPELLATE_TYPES:
            raise _error(
                JURIDICTIONS,
                row,
                f"cour_appel_code {cour_appel_code!r} is not the code of a CA or TSA of this file",
            )
        juridictions.append(
            Juridiction(
                code=row.fields["code"],
                type=type_,
                nom=row.fields["nom"],
                departement=row.fields["departement"],
                cour_appel_code=cour_appel_code,
                commune_siege_insee=row.fields["commune_siege_insee"],
            )
        )
    return tuple(sorted(juridictions, key=lambda j: j.code))


def _read(
    root: Traversable,
    filename: str,
    columns: tuple[str, ...],
    *,
    optional: Iterable[str] = (),
) -> list[_Row]:
    """The data rows of `filename`, checked for shape, blanks and duplicate codes."""
    # Decoding the whole file first, rather than opening a stream, works the same for a
    # package inside a zip and for a plain directory; the files are a few kilobytes.
    text = root.joinpath(filename).read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(header) != columns:
        raise RuntimeError(
            f"{filename}, line 1: expected the header {','.join(columns)!r}, got {header!r}"
        )

    may_be_blank = frozenset(optional)
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for values in reader:
        if not values:
            continue
        row = _Row(reader.line_num, dict(zip(columns, values, strict=False)))
        if len(values) != len(columns):
            raise _error(filename, row, f"expected {len(columns)} fields, got {len(values)}")
        for column in columns:
            if column not in may_be_blank and not row.fields[column].strip():
                raise _error(filename, row, f"{column} is empty")
        code = row.fields["code"]
        if code in seen:
            raise _error(filename, row, f"code {code!r} already used on line {seen[code]}")
        seen[code] = row.line
        rows.append(row)
    return rows


def _error(filename: str, row: _Row, problem: str) -> RuntimeError:
    code = row.fields.get("code", "")
    return RuntimeError(f"{filename}, line {row.line} (code {code!r}): {problem}")
