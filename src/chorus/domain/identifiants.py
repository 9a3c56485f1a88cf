"""Identifiers of the outside world: SIRET/SIREN, IBAN/BIC, email, postal code → département.

Each function returns the normalised value or raises `ValidationError` naming the field.
python-stdnum does the checksums; we add the portal's own rules on top.
"""

from __future__ import annotations

import re

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from chorus.domain.errors import ValidationError
from chorus.domain.textes import exiger_texte

# La Poste's establishments share the SIREN 356000000 and do not follow the Luhn key;
# python-stdnum knows the exception and checks their own rule (sum of digits ÷ 5).

_ESPACES = re.compile(r"[\s.\-]")


def _compact(valeur: object, champ: str) -> str:
    return _ESPACES.sub("", exiger_texte(valeur, champ)).upper()


def valider_siret(valeur: str, champ: str = "identifiant") -> str:
    """A SIRET: 14 digits with a valid key (La Poste's establishments excepted)."""
    numero = _compact(valeur, champ)
    if not (numero.isascii() and numero.isdigit()) or len(numero) != 14:
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", champ=champ)
    try:
        return str(stdnum_siret.validate(numero))
    except StdnumError:
        raise ValidationError(
            f"Le SIRET {numero} n'est pas valide (clé de contrôle incorrecte).", champ=champ
        ) from None


def valider_siren(valeur: str, champ: str = "siren") -> str:
    """A SIREN: 9 digits with a valid Luhn key (La Poste's 356000000 included)."""
    numero = _compact(valeur, champ)
    if not (numero.isascii() and numero.isdigit()) or len(numero) != 9:
        raise ValidationError("Le SIREN doit comporter exactement 9 chiffres.", champ=champ)
    try:
        return str(stdnum_siren.validate(numero))
    except StdnumError:
        raise ValidationError(
            f"Le SIREN {numero} n'est pas valide (clé de contrôle incorrecte).", champ=champ
        ) from None


def valider_iban(valeur: str, champ: str = "iban") -> str:
    """An IBAN of any country, checked by its ISO 13616 key and national format."""
    numero = _compact(valeur, champ)
    try:
        return str(stdnum_iban.validate(numero))
    except StdnumError:
        raise ValidationError(
            "L'IBAN n'est pas valide : vérifiez le code pays, la clé et la longueur.", champ=champ
        ) from None


def valider_bic(valeur: str, champ: str = "bic") -> str:
    """A BIC/SWIFT code of 8 or 11 characters."""
    code = _compact(valeur, champ)
    try:
        return str(stdnum_bic.validate(code))
    except StdnumError:
        raise ValidationError(
            "Le BIC n'est pas valide : 8 ou 11 caractères, soit 4 lettres pour la banque, 2 "
            "pour le pays, 2 caractères pour la localité et 3 facultatifs pour l'agence.",
            champ=champ,
        ) from None


def valider_tva_intracommunautaire(valeur: str, champ: str = "identifiant") -> str:
    """An EU VAT number (for structures of type UE_HORS_FRANCE)."""
    numero = _compact(valeur, champ)
    try:
        return str(stdnum_vat.validate(numero))
    except StdnumError:
        raise ValidationError(
            "Le numéro de TVA intracommunautaire n'est pas valide.", champ=champ
        ) from None


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def valider_email(valeur: str, champ: str = "email") -> str:
    """An email address, lower-cased: it is the user's login, unique across the portal."""
    adresse = exiger_texte(valeur, champ).strip()
    if len(adresse) > 254 or not _EMAIL.fullmatch(adresse) or ".." in adresse:
        raise ValidationError(
            f"L'adresse électronique « {adresse} » n'est pas valide.", champ=champ
        )
    return adresse.lower()


_DEPARTEMENTS_OUTRE_MER = frozenset({"971", "972", "973", "974", "975", "976", "986", "987", "988"})


def departement_du_code_postal(code_postal: str, champ: str = "code_postal") -> str:
    """The département of a French postal code.

    Corsica's ``20xxx`` codes split into 2A (200–201) and 2B (202–206); overseas codes
    (``97x``, ``98x``) give three characters; elsewhere the first two digits, leading zero
    kept (``02100`` → ``02``).
    """
    code = exiger_texte(code_postal, champ).strip()
    if not re.fullmatch(r"[0-9]{5}", code):
        raise ValidationError("Le code postal doit comporter exactement 5 chiffres.", champ=champ)
    if code.startswith("20"):
        prefixe = int(code[:3])
        if prefixe in (200, 201):
            return "2A"
        if 202 <= prefixe <= 206:
            return "2B"
        raise ValidationError(f"Le code postal {code} n'existe pas en Corse.", champ=champ)
    if code[:2] in ("97", "98"):
        departement = code[:3]
        if departement not in _DEPARTEMENTS_OUTRE_MER:
            raise ValidationError(
                f"Le code postal {code} ne correspond à aucun département ou collectivité "
                "d'outre-mer.",
                champ=champ,
            )
        return departement
    if code.startswith("00") or code.startswith("96") or code.startswith("99"):
        raise ValidationError(f"Le code postal {code} n'existe pas.", champ=champ)
    return code[:2]
