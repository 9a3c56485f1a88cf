"""Money: `Decimal` euros rounded half-up to the cent, TVA rates, and their validation.

No float ever touches an amount: inputs arrive as `Decimal` or as strings and are checked
for their number of decimals here, once.
"""

from __future__ import annotations

import enum
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from chorus.domain.errors import ValidationError

CENTIME = Decimal("0.01")
ZERO = Decimal("0.00")
# The portal caps amounts well above any real mémoire; it keeps arithmetic and storage sane.
MONTANT_MAXIMUM = Decimal("99999999.99")


def arrondir(montant: Decimal) -> Decimal:
    """Round half-up to the cent: 8.245 → 8.25, -8.245 → -8.25."""
    return montant.quantize(CENTIME, rounding=ROUND_HALF_UP)


_NOMBRE = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")


def en_decimal(valeur: Decimal | int | str, champ: str) -> Decimal:
    """Read an amount or a quantity given as `Decimal`, `int` or a string; never a float.

    A string is plain decimal notation with ASCII digits and a point or a comma
    (``"158.25"``, ``"158,25"``): no exponent, no digit grouping, nothing a user would not
    type, so nothing can smuggle in a huge or vanishing value.
    """
    if isinstance(valeur, bool | float):
        raise ValidationError(
            'Un montant doit être transmis sous forme de texte décimal (par exemple "158.25").',
            champ=champ,
        )
    if isinstance(valeur, Decimal):
        nombre = valeur
    elif isinstance(valeur, int):
        nombre = Decimal(valeur)
    else:
        texte = str(valeur).strip()
        if len(texte) > 40 or not _NOMBRE.fullmatch(texte):
            raise ValidationError(
                f"« {valeur} » n'est pas un nombre décimal (par exemple 158.25).", champ=champ
            )
        nombre = Decimal(texte.replace(",", "."))
    if not nombre.is_finite():
        raise ValidationError(f"« {valeur} » n'est pas un nombre.", champ=champ)
    if nombre.is_zero():
        # "-0" is zero: keep no sign, or equal amounts would serialise differently.
        nombre = abs(nombre)
    return nombre


def _a_plus_de_decimales(nombre: Decimal, decimales: int) -> bool:
    # Compare with the value cut to `decimales` places; unlike normalize(), this cannot
    # overflow or underflow whatever the exponent (the magnitude is bounded before).
    return nombre != nombre.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_DOWN)


def valider_montant(
    valeur: Decimal | int | str,
    champ: str,
    *,
    strictement_positif: bool = False,
    decimales: int = 2,
    maximum: Decimal = MONTANT_MAXIMUM,
) -> Decimal:
    """A non-negative amount with at most `decimales` decimals, returned as given (exact)."""
    nombre = en_decimal(valeur, champ)
    if nombre < 0:
        raise ValidationError("La valeur ne peut pas être négative.", champ=champ)
    if nombre > maximum:
        raise ValidationError(f"La valeur ne peut pas dépasser {maximum}.", champ=champ)
    if _a_plus_de_decimales(nombre, decimales):
        raise ValidationError(
            f"La valeur {nombre} comporte plus de {decimales} décimales.", champ=champ
        )
    if strictement_positif and nombre <= 0:
        raise ValidationError("La valeur doit être strictement positive.", champ=champ)
    return nombre


def en_francais(montant: Decimal) -> str:
    """An amount written the French way: ``6 545,08`` (non-breaking space between thousands)."""
    signe = "-" if montant < 0 else ""
    entier, _, centimes = format(abs(arrondir(montant)), "f").partition(".")
    groupes = f"{int(entier):,}".replace(",", "\u00a0")
    return f"{signe}{groupes},{centimes}"


def valider_euros(valeur: Decimal | int | str, champ: str) -> Decimal:
    """An amount in euros, ≥ 0, at most two decimals, carried with exactly two (12.1 → 12.10)."""
    return arrondir(valider_montant(valeur, champ))


class TauxTva(enum.Enum):
    """The TVA rates French law knows; the value is the rate in percent."""

    NORMAL = Decimal("20")
    INTERMEDIAIRE = Decimal("10")
    REDUIT = Decimal("5.5")
    PARTICULIER = Decimal("2.1")
    NUL = Decimal("0")

    @property
    def libelle(self) -> str:
        return {
            TauxTva.NORMAL: "20 % (taux normal)",
            TauxTva.INTERMEDIAIRE: "10 % (taux intermédiaire)",
            TauxTva.REDUIT: "5,5 % (taux réduit)",
            TauxTva.PARTICULIER: "2,1 % (taux particulier)",
            TauxTva.NUL: "0 % (pas de TVA)",
        }[self]

    @property
    def code(self) -> str:
        """The rate as the API writes it: ``"20"``, ``"5.5"``, ``"0"``."""
        return format(self.value, "f")

    @classmethod
    def depuis(cls, valeur: TauxTva | Decimal | int | str, champ: str = "taux_tva") -> TauxTva:
        """The rate named by `valeur` (``"5.5"``, ``"5,5"``, ``20``); anything else refused."""
        if isinstance(valeur, TauxTva):
            return valeur
        nombre = en_decimal(valeur, champ)
        for taux in cls:
            if taux.value == nombre:
                return taux
        autorises = ", ".join(t.code for t in cls)
        raise ValidationError(
            f"Le taux de TVA {nombre} % n'existe pas ; taux possibles : {autorises}.", champ=champ
        )

    def appliquer(self, base_ht: Decimal) -> Decimal:
        """The TVA on `base_ht`, rounded half-up to the cent."""
        return arrondir(base_ht * self.value / Decimal(100))
