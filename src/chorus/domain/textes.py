"""Free-text fields: trimmed, bounded, and refused with the field's name when wrong."""

from __future__ import annotations

import unicodedata

from chorus.domain.errors import ValidationError


def _propre(valeur: str, champ: str, maximum: int) -> str:
    texte = unicodedata.normalize("NFC", valeur).strip()
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in texte):
        raise ValidationError("Le texte contient des caractères de contrôle.", champ=champ)
    if len(texte) > maximum:
        raise ValidationError(
            f"Le texte ne peut pas dépasser {maximum} caractères ({len(texte)} saisis).",
            champ=champ,
        )
    return texte


def texte_obligatoire(valeur: str | None, champ: str, *, maximum: int) -> str:
    """A mandatory text: refused when missing or blank."""
    texte = _propre(valeur or "", champ, maximum)
    if not texte:
        raise ValidationError("Ce champ est obligatoire.", champ=champ)
    return texte


def texte_optionnel(valeur: str | None, champ: str, *, maximum: int) -> str | None:
    """An optional text: blank becomes None."""
    if valeur is None:
        return None
    return _propre(valeur, champ, maximum) or None
