"""Mémoire numbers: TMP + year + 9 digits for drafts, MJ + 11 digits once sent."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.domain.numerotation import (
    numero_brouillon,
    numero_definitif,
    sequence_brouillon,
)


def test_numeros() -> None:
    assert numero_brouillon(2019, 10) == "TMP2019000000010"
    assert numero_definitif(21178) == "MJ00000021178"
    assert sequence_brouillon(2019) == "TMP2019"
    assert numero_brouillon(2024, 1) == "TMP2024000000001"
    assert numero_brouillon(2024, 10**9 - 1) == "TMP2024999999999"
    assert numero_definitif(1) == "MJ00000000001"
    assert numero_definitif(10**11 - 1) == "MJ99999999999"


@pytest.mark.parametrize("valeur", [0, -1, 10**9])
def test_numero_brouillon_hors_limites(valeur: int) -> None:
    with pytest.raises(ValueError, match="épuisée"):
        numero_brouillon(2019, valeur)


@pytest.mark.parametrize("valeur", [0, -5, 10**11])
def test_numero_definitif_hors_limites(valeur: int) -> None:
    with pytest.raises(ValueError, match="épuisée"):
        numero_definitif(valeur)


@settings(max_examples=60)
@given(st.integers(1, 10**11 - 1))
def test_numero_definitif_toujours_13_caracteres(valeur: int) -> None:
    numero = numero_definitif(valeur)
    assert len(numero) == 13
    assert numero.startswith("MJ")
    assert int(numero[2:]) == valeur
