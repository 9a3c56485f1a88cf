"""The TIC/TICGN barème shipped as OpenFisca-style YAML files in `chorus/data/tic/`.

Each file holds one dated parameter::

    description: ...
    metadata: {produit: GPL, unit: EUR/100 kg}
    values:
      2018-04-01: {value: "5.72", reference: "Art. 32, II, C ..."}
      2024-01-01: {value: null, reference: "Taux non publié ..."}

The files are checked strictly: they are packaging, not user input, so a malformed one is a
bug that must stop the application with the file and date to fix rather than yield a rate
nobody wrote. In particular a rate must be a quoted string: an unquoted ``5.7`` would go
through a binary float before becoming a Decimal.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Mapping
from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from chorus.domain.tic.bareme import (
    BaremeTic,
    DatedSchedule,
    Departements,
    ProduitTic,
    TousDepartements,
)

T = TypeVar("T")

DEPARTEMENTS = "departements_eligibles.yaml"
AVANCE = "avance.yaml"

_CLES = frozenset({"description", "metadata", "values"})
_CLES_VALEUR = frozenset({"value", "reference"})
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")
# Metropolitan codes only: overseas départements are outside TICPE/TICGN altogether.
_DEPARTEMENT = re.compile(r"0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]")


def fichier_des_taux(produit: ProduitTic) -> str:
    """The name of the file holding `produit`'s rates (gazole_non_routier.yaml ...)."""
    return f"{produit.value.lower()}.yaml"


def fichiers() -> tuple[str, ...]:
    """Every file the barème is read from, rates first."""
    return (*(fichier_des_taux(p) for p in ProduitTic), DEPARTEMENTS, AVANCE)


class BaremeTicDuPaquet:
    """The `SourceDuBaremeTic` reading `chorus/data/tic/` (or `source`, a directory holding
    the same files, for tests) once, on the first call."""

    def __init__(self, source: Traversable | str | None = None) -> None:
        if source is None:
            self._racine: Traversable = files("chorus.data").joinpath("tic")
        else:
            self._racine = Path(source) if isinstance(source, str) else source
        self._verrou = threading.Lock()
        self._bareme: BaremeTic | None = None

    def bareme(self) -> BaremeTic:
        with self._verrou:
            if self._bareme is None:
                self._bareme = lire_bareme(self._racine)
            return self._bareme


def lire_bareme(racine: Traversable) -> BaremeTic:
    """The barème of the files in `racine`; `ValueError` naming the file when one is
    malformed."""
    taux = {produit: _taux(racine, produit) for produit in ProduitTic}
    departements = _calendrier(DEPARTEMENTS, _document(racine, DEPARTEMENTS)[1], _departements)
    avance = _calendrier(AVANCE, _document(racine, AVANCE)[1], _part)
    return BaremeTic(taux=taux, departements=departements, avance=avance)


def _taux(racine: Traversable, produit: ProduitTic) -> DatedSchedule[Decimal]:
    nom = fichier_des_taux(produit)
    metadata, valeurs = _document(racine, nom)
    code = metadata.get("produit")
    if code not in {p.value for p in ProduitTic}:
        raise _erreur(nom, f"metadata.produit {code!r} is not a product code")
    if code != produit.value:
        raise _erreur(nom, f"metadata.produit is {code!r}, expected {produit.value!r}")
    unite = produit.unite_taux.replace("€", "EUR")
    if metadata.get("unit") != unite:
        raise _erreur(nom, f"metadata.unit is {metadata.get('unit')!r}, expected {unite!r}")
    return _calendrier(nom, valeurs, _montant)


def _calendrier(
    nom: str,
    valeurs: Mapping[date, Mapping[str, object]],
    convertir: Callable[[str, date, object], T],
) -> DatedSchedule[T]:
    periodes: dict[date, tuple[T | None, str | None]] = {}
    for jour, entree in valeurs.items():
        brute = entree["value"]
        reference = entree.get("reference")
        if reference is not None and not (isinstance(reference, str) and reference.strip()):
            raise _erreur(nom, "reference must be a non-empty string", jour)
        if brute is not None and reference is None:
            raise _erreur(nom, "a value needs its legal reference (reference:)", jour)
        valeur = None if brute is None else convertir(nom, jour, brute)
        periodes[jour] = (valeur, None if reference is None else " ".join(reference.split()))
    return DatedSchedule.depuis(nom.removesuffix(".yaml"), periodes)


def _document(
    racine: Traversable, nom: str
) -> tuple[Mapping[str, object], dict[date, Mapping[str, object]]]:
    """The metadata and the values (by start date) of `nom`, checked for shape."""
    try:
        texte = racine.joinpath(nom).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _erreur(nom, "file missing") from None
    try:
        # As safe as yaml.safe_load: _ChargeurStrict is a SafeLoader that builds no object.
        document = yaml.load(texte, Loader=_ChargeurStrict)
    except yaml.YAMLError as exc:
        raise _erreur(nom, f"not valid YAML: {exc}") from None
    if not isinstance(document, dict) or set(document) != _CLES:
        raise _erreur(nom, "expected exactly the keys description, metadata and values")
    description, metadata, valeurs = (document[c] for c in ("description", "metadata", "values"))
    if not (isinstance(description, str) and description.strip()):
        raise _erreur(nom, "description must be a non-empty string")
    if not isinstance(metadata, dict):
        raise _erreur(nom, "metadata must be a mapping")
    if not (isinstance(valeurs, dict) and valeurs):
        raise _erreur(nom, "values must be a non-empty mapping of dates")
    for jour, entree in valeurs.items():
        # A datetime is a date too; an unquoted `2018-04-01 12:00` is no start date.
        if not isinstance(jour, date) or isinstance(jour, datetime):
            raise _erreur(nom, f"key {jour!r} of values is not a date (YYYY-MM-DD)")
        if not isinstance(entree, dict) or "value" not in entree or set(entree) - _CLES_VALEUR:
            raise _erreur(nom, "expected a mapping with value and reference", jour)
    return metadata, valeurs


def _decimal(nom: str, jour: date, brute: object) -> Decimal:
    if not isinstance(brute, str):
        raise _erreur(
            nom,
            f'value must be a quoted decimal string such as "5.72", got {type(brute).__name__}'
            f" {brute!r}",
            jour,
        )
    if not _DECIMAL.fullmatch(brute):
        raise _erreur(nom, f'value {brute!r} is not a decimal number such as "5.72"', jour)
    return Decimal(brute)


def _montant(nom: str, jour: date, brute: object) -> Decimal:
    taux = _decimal(nom, jour, brute)
    if taux <= 0:
        raise _erreur(nom, f"a rate must be positive, got {brute!r}", jour)
    return taux


def _part(nom: str, jour: date, brute: object) -> Decimal:
    part = _decimal(nom, jour, brute)
    if not 0 < part <= 1:
        raise _erreur(nom, f"a share must be in ]0, 1], got {brute!r}", jour)
    return part


def _departements(nom: str, jour: date, brute: object) -> Departements:
    if brute == TousDepartements.METROPOLE.value:
        return TousDepartements.METROPOLE
    if not (isinstance(brute, list) and brute):
        raise _erreur(nom, f"value must be METROPOLE or a list of codes, got {brute!r}", jour)
    for code in brute:
        if not (isinstance(code, str) and _DEPARTEMENT.fullmatch(code)):
            raise _erreur(
                nom,
                f'{code!r} is not a metropolitan département code (a quoted string: "02")',
                jour,
            )
    if len(set(brute)) != len(brute):
        raise _erreur(nom, "a département is listed twice", jour)
    return frozenset(brute)


def _erreur(nom: str, probleme: str, jour: date | None = None) -> ValueError:
    ou = f"tic/{nom}" if jour is None else f"tic/{nom}, {jour.isoformat()}"
    return ValueError(f"{ou}: {probleme}")


class _ChargeurStrict(yaml.SafeLoader):
    """`yaml.safe_load`'s loader, refusing a key given twice: PyYAML would silently keep
    the last one, so a copied date block would override a rate without a word."""


def _mapping_sans_doublon(loader: yaml.SafeLoader, noeud: yaml.MappingNode) -> dict[Any, Any]:
    vues: set[Hashable] = set()
    for noeud_cle, _ in noeud.value:
        cle = loader.construct_object(noeud_cle)
        if isinstance(cle, Hashable):
            if cle in vues:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {noeud_cle.value} given twice", noeud_cle.start_mark
                )
            vues.add(cle)
    return loader.construct_mapping(noeud)


_ChargeurStrict.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_sans_doublon
)
