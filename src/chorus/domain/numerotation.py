"""Mémoire numbers: `TMP` + year + 9 digits for a draft, `MJ` + 11 digits once sent.

The sequence values come from the `Sequences` port, which never hands out a value twice.
"""

from __future__ import annotations

SEQUENCE_DEFINITIVE = "MJ"


def sequence_brouillon(annee: int) -> str:
    """Drafts are numbered per year of creation."""
    return f"TMP{annee}"


def numero_brouillon(annee: int, valeur: int) -> str:
    """``TMP2019000000010`` for the 10th draft of 2019."""
    if not 0 < valeur < 10**9:
        raise ValueError(f"Séquence des brouillons épuisée pour {annee} : {valeur}.")
    return f"TMP{annee:04d}{valeur:09d}"


def numero_definitif(valeur: int) -> str:
    """``MJ00000021178`` for the 21,178th mémoire sent."""
    if not 0 < valeur < 10**11:
        raise ValueError(f"Séquence des mémoires épuisée : {valeur}.")
    return f"MJ{valeur:011d}"
