"""The dated parameters of the TIC/TICGN refund: rates per product, the campaign's
départements and the avance, each a `DatedSchedule` read from `chorus/data/tic/`.

A schedule is a list of periods, each starting on a date and running until the next one
starts; a period whose value is None ends the validity of the previous one (OpenFisca's
``null``). A date no period covers has no value: it is refused, never guessed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

import attrs

from chorus.domain.errors import ValidationError
from chorus.domain.montants import CENTIME

T = TypeVar("T")


@attrs.frozen
class Periode(Generic[T]):
    """One value of a schedule: `valeur` from `debut` (inclusive) until `fin` (exclusive,
    None when open-ended); `valeur` None means « no value » from `debut` on."""

    debut: date
    valeur: T | None
    reference: str | None = None
    fin: date | None = None


@attrs.frozen
class DatedSchedule(Generic[T]):
    """A parameter whose value changes on given dates (see the module's documentation)."""

    nom: str
    periodes: tuple[Periode[T], ...]

    @staticmethod
    def depuis(nom: str, valeurs: Mapping[date, tuple[T | None, str | None]]) -> DatedSchedule[T]:
        """The schedule of `valeurs` (start date → (value, legal reference)), each period
        ending where the next one starts."""
        debuts = sorted(valeurs)
        periodes = tuple(
            Periode(
                debut=debut,
                valeur=valeurs[debut][0],
                reference=valeurs[debut][1],
                fin=debuts[rang + 1] if rang + 1 < len(debuts) else None,
            )
            for rang, debut in enumerate(debuts)
        )
        return DatedSchedule(nom, periodes)

    def periode_au(self, jour: date) -> Periode[T] | None:
        """The period in force on `jour`, None when no value is published for that day."""
        trouvee: Periode[T] | None = None
        for periode in self.periodes:
            if periode.debut > jour:
                break
            trouvee = periode
        if trouvee is None or trouvee.valeur is None:
            return None
        return trouvee

    def valeur_au(self, jour: date) -> T | None:
        periode = self.periode_au(jour)
        return None if periode is None else periode.valeur

    def periodes_de_l_annee(self, annee: int) -> tuple[Periode[T], ...]:
        """The periods with a value in force on at least one day of `annee`, in order."""
        debut, fin = date(annee, 1, 1), date(annee + 1, 1, 1)
        return tuple(
            p
            for p in self.periodes
            if p.valeur is not None and p.debut < fin and (p.fin is None or p.fin > debut)
        )


class ProduitTic(enum.Enum):
    """The products whose TIC/TICGN is partly refunded; the value is the code.

    Quantities are typed in the unit on the invoice (`unite`); the rate is published per
    `unite_taux`, `diviseur` units of the former (litres → hectolitres, kg → 100 kg,
    kWh → MWh)."""

    GAZOLE_NON_ROUTIER = "GAZOLE_NON_ROUTIER"
    FIOUL_LOURD = "FIOUL_LOURD"
    GAZ_NATUREL_COMBUSTIBLE = "GAZ_NATUREL_COMBUSTIBLE"
    GAZ_NATUREL_CARBURANT = "GAZ_NATUREL_CARBURANT"
    GPL = "GPL"

    @property
    def libelle(self) -> str:
        return _PRODUITS[self][0]

    @property
    def unite(self) -> str:
        """The unit the quantity is typed in."""
        return _PRODUITS[self][1]

    @property
    def unite_taux(self) -> str:
        """The unit the rate is published per."""
        return _PRODUITS[self][2]

    @property
    def diviseur(self) -> int:
        return _PRODUITS[self][3]

    @property
    def taxe(self) -> str:
        return "TICGN" if self.value.startswith("GAZ_NATUREL") else "TICPE"


_PRODUITS: dict[ProduitTic, tuple[str, str, str, int]] = {
    ProduitTic.GAZOLE_NON_ROUTIER: ("Gazole non routier", "l", "€/hl", 100),
    ProduitTic.FIOUL_LOURD: ("Fioul lourd", "kg", "€/100 kg", 100),
    ProduitTic.GAZ_NATUREL_COMBUSTIBLE: ("Gaz naturel combustible", "kWh", "€/MWh", 1000),
    ProduitTic.GAZ_NATUREL_CARBURANT: ("Gaz naturel carburant", "kWh", "€/MWh", 1000),
    ProduitTic.GPL: ("Gaz de pétrole liquéfié (GPL)", "kg", "€/100 kg", 100),
}


def produit_tic(code: object, champ: str = "produit") -> ProduitTic:
    """The product of a code, refused with the list of codes when unknown."""
    try:
        return ProduitTic(code)
    except ValueError:
        codes = ", ".join(p.value for p in ProduitTic)
        raise ValidationError(
            f"Produit inconnu « {code} » : les produits sont {codes}.", champ=champ
        ) from None


class TauxNonPublie(ValidationError):
    """No refund rate is published for that product and date: it is refused, never guessed
    (HTTP 422 on a line, 404 on the rate lookup)."""


@attrs.frozen
class TauxTic:
    """A refund rate in force: `taux` € per `produit.unite_taux`, from `debut` until `fin`
    (exclusive; None when no end is published)."""

    produit: ProduitTic
    taux: Decimal
    debut: date
    fin: date | None
    reference: str | None

    def montant(self, quantite: Decimal) -> Decimal:
        """`quantite` (in the product's unit) converted to the rate's unit × the rate,
        rounded half-up to the cent: 1 234.56 l of GNR at 14.96 €/hl → 184.69 €."""
        return (quantite / self.produit.diviseur * self.taux).quantize(
            CENTIME, rounding=ROUND_HALF_UP
        )


class TousDepartements(enum.Enum):
    """The value of the départements parameter once every metropolitan département takes
    part (from the 2018 campaign)."""

    METROPOLE = "METROPOLE"


Departements = frozenset[str] | TousDepartements


@attrs.frozen
class BaremeTic:
    """Every dated parameter of the refund, as published in `chorus/data/tic/`."""

    taux: Mapping[ProduitTic, DatedSchedule[Decimal]]
    departements: DatedSchedule[Departements]
    avance: DatedSchedule[Decimal]

    def taux_au(self, produit: ProduitTic, jour: date, champ: str = "produit") -> TauxTic:
        """The rate for a delivery on `jour`; `TauxNonPublie` when there is none."""
        periode = self.taux[produit].periode_au(jour)
        if periode is None or periode.valeur is None:
            raise TauxNonPublie(
                f"Taux non publié : aucun taux de remboursement du produit « {produit.libelle} »"
                f" n'est publié pour une livraison du {jour:%d/%m/%Y}.",
                champ=champ,
            )
        return TauxTic(produit, periode.valeur, periode.debut, periode.fin, periode.reference)

    def taux_de_l_annee(self, produit: ProduitTic, annee: int) -> tuple[TauxTic, ...]:
        """The rates in force during `annee` (one, or more when it changed in the year, as
        GPL from 1 April 2018); `TauxNonPublie` when none is."""
        periodes = self.taux[produit].periodes_de_l_annee(annee)
        if not periodes:
            raise TauxNonPublie(
                f"Taux non publié : aucun taux de remboursement du produit « {produit.libelle} »"
                f" n'est publié pour l'année {annee}.",
                champ="annee",
            )
        return tuple(
            TauxTic(produit, p.valeur, p.debut, p.fin, p.reference)
            for p in periodes
            if p.valeur is not None
        )

    def departements_de_la_campagne(self, campagne: int) -> Departements | None:
        """The départements taking part in `campagne` (named by the year it opens); None
        when the portal held no campaign that year."""
        return self.departements.valeur_au(date(campagne, 1, 1))

    def taux_avance(self, campagne: int) -> Decimal | None:
        """The share of the refund an avance may reach in `campagne`; None when the
        campaign offers none."""
        return self.avance.valeur_au(date(campagne, 1, 1))
