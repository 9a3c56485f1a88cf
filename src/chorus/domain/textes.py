"""Free-text fields: trimmed, bounded, and refused with the field's name when wrong."""

from __future__ import annotations

import unicodedata

from chorus.domain.errors import ValidationError


def _propre(valeur: object, champ: str, maximum: int) -> str:
    if not isinstance(valeur, str):
        raise ValidationError("Ce champ doit être un texte.", champ=champ)
    if len(valeur) > 4 * maximum + 100:
        # Refuse before normalising: no need to process megabytes to say "too long".
        raise ValidationError(f"Le texte ne peut pas dépasser {maximum} caractères.", champ=champ)
    texte = unicodedata.normalize("NFC", valeur).strip()
    # A printable text holds no control character nor surrogate: skip the per-character
    # scan, which dominated the checking of large flux (one call per field of every line).
    for caractere in "" if texte.isprintable() else texte:
        categorie = unicodedata.category(caractere)
        if categorie == "Cc" and caractere not in "\n\t":
            raise ValidationError("Le texte contient des caractères de contrôle.", champ=champ)
        if categorie == "Cs":
            # A lone surrogate is no character: it cannot even be written as UTF-8.
            raise ValidationError("Le texte contient des caractères invalides.", champ=champ)
    if len(texte) > maximum:
        raise ValidationError(
            f"Le texte ne peut pas dépasser {maximum} caractères ({len(texte)} saisis).",
            champ=champ,
        )
    return texte


def texte_obligatoire(valeur: object, champ: str, *, maximum: int) -> str:
    """A mandatory text: refused when missing, blank or not a text."""
    texte = _propre("" if valeur is None else valeur, champ, maximum)
    if not texte:
        raise ValidationError("Ce champ est obligatoire.", champ=champ)
    return texte


def exiger_texte(valeur: object, champ: str) -> str:
    """`valeur` itself if it is a text; refused with the field's name otherwise."""
    if not isinstance(valeur, str):
        raise ValidationError("Ce champ doit être un texte.", champ=champ)
    return valeur


def exiger_entier(valeur: object, champ: str) -> int:
    """`valeur` itself if it is a whole number (a boolean is not one)."""
    if isinstance(valeur, bool) or not isinstance(valeur, int):
        raise ValidationError("Ce champ doit être un nombre entier.", champ=champ)
    return valeur


def texte_optionnel(valeur: object, champ: str, *, maximum: int) -> str | None:
    """An optional text: blank becomes None."""
    if valeur is None:
        return None
    return _propre(valeur, champ, maximum) or None
