"""Money: half-up rounding, amount validation, TVA rates; and the free-text fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.domain.errors import ValidationError
from chorus.domain.montants import (
    TauxTva,
    arrondir,
    en_decimal,
    en_francais,
    valider_euros,
    valider_montant,
)
from chorus.domain.textes import texte_obligatoire, texte_optionnel

# -- arrondir ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("montant", "attendu"),
    [
        ("8.245", "8.25"),
        ("0.005", "0.01"),
        ("2.675", "2.68"),  # exact in Decimal (a float would give 2.67)
        ("8.244999", "8.24"),
        ("8.2450001", "8.25"),
        ("-8.245", "-8.25"),
        ("12.1", "12.10"),
        ("7", "7.00"),
        ("0.004", "0.00"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # half-up, not half-even (which would give 0.02)
    ],
)
def test_arrondir_au_centime_superieur_a_partir_de_la_moitie(montant: str, attendu: str) -> None:
    resultat = arrondir(Decimal(montant))
    assert resultat == Decimal(attendu)
    assert str(resultat) == attendu


@settings(max_examples=100)
@given(st.integers(-(10**9), 10**9))
def test_arrondir_moitie_vers_le_haut_en_valeur_absolue(milliemes: int) -> None:
    montant = Decimal(milliemes).scaleb(-3)
    resultat = arrondir(montant)
    assert resultat.as_tuple().exponent == -2
    assert abs(resultat - montant) <= Decimal("0.005")
    if abs(milliemes) % 10 == 5:
        assert abs(resultat) > abs(montant)


# -- valider_montant / valider_euros ------------------------------------------------------


def test_float_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_montant(0.1, "tarif_ht")  # type: ignore[arg-type]
    assert erreur.value.champ == "tarif_ht"


def test_booleen_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        en_decimal(True, "quantite")
    assert erreur.value.champ == "quantite"


@pytest.mark.parametrize("valeur", ["1.234", Decimal("0.001"), "158.255"])
def test_plus_de_deux_decimales_refuse_avec_le_champ(valeur: str | Decimal) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_montant(valeur, "lignes[0].tarif_ht")
    assert erreur.value.champ == "lignes[0].tarif_ht"
    assert "décimales" in erreur.value.message


@pytest.mark.parametrize("valeur", ["-0.01", Decimal("-1"), -5])
def test_negatif_refuse(valeur: str | Decimal | int) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_montant(valeur, "debours")
    assert erreur.value.champ == "debours"


@pytest.mark.parametrize("valeur", ["abc", "", "NaN", "Infinity", "1,2,3"])
def test_pas_un_nombre_refuse(valeur: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_montant(valeur, "montant")
    assert erreur.value.champ == "montant"


def test_strictement_positif() -> None:
    with pytest.raises(ValidationError):
        valider_montant("0", "quantite", strictement_positif=True)
    assert valider_montant("0.01", "quantite", strictement_positif=True) == Decimal("0.01")
    assert valider_montant("0", "tarif_ht") == 0


def test_maximum() -> None:
    assert valider_montant("99999999.99", "m") == Decimal("99999999.99")
    with pytest.raises(ValidationError):
        valider_montant("100000000.00", "m")


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("12.1", "12.10"),
        ("12,10", "12.10"),
        (7, "7.00"),
        (Decimal("1.500"), "1.50"),
        (" 3 ", "3.00"),
    ],
)
def test_valider_euros_porte_deux_decimales(valeur: str | int | Decimal, attendu: str) -> None:
    resultat = valider_euros(valeur, "montant")
    assert str(resultat) == attendu


@pytest.mark.parametrize(
    "texte",
    ["1e999999999", "1e-9999999", "1_000.50", "\u0661\u0662\u0663", "12 500", "--1", "1.2.3"],
)
def test_seule_la_notation_decimale_simple_est_acceptee(texte: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_euros(texte, "tarif_ht")
    assert erreur.value.champ == "tarif_ht"


@pytest.mark.parametrize(
    ("valeur", "message"),
    [(Decimal("1E+999999999"), "dépasser"), (Decimal("1E-999999999"), "décimales")],
)
def test_les_exposants_extremes_sont_refuses_sans_planter(valeur: Decimal, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        valider_montant(valeur, "quantite", strictement_positif=True)


# -- TauxTva -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valeur", "taux"),
    [
        ("5,5", TauxTva.REDUIT),
        ("5.5", TauxTva.REDUIT),
        (Decimal("5.50"), TauxTva.REDUIT),
        (20, TauxTva.NORMAL),
        ("20.0", TauxTva.NORMAL),
        (Decimal("10"), TauxTva.INTERMEDIAIRE),
        ("2.1", TauxTva.PARTICULIER),
        (0, TauxTva.NUL),
        ("0", TauxTva.NUL),
        (TauxTva.REDUIT, TauxTva.REDUIT),
    ],
)
def test_taux_depuis(valeur: str | int | Decimal | TauxTva, taux: TauxTva) -> None:
    assert TauxTva.depuis(valeur) is taux


@pytest.mark.parametrize("valeur", ["19.6", Decimal("19.6"), "7", 21, "0.2", "abc"])
def test_taux_inconnu_refuse(valeur: str | int | Decimal) -> None:
    with pytest.raises(ValidationError) as erreur:
        TauxTva.depuis(valeur, champ="lignes[3].taux_tva")
    assert erreur.value.champ == "lignes[3].taux_tva"


def test_taux_flottant_refuse() -> None:
    with pytest.raises(ValidationError):
        TauxTva.depuis(5.5)  # type: ignore[arg-type]


def test_codes_des_taux() -> None:
    assert [t.code for t in TauxTva] == ["20", "10", "5.5", "2.1", "0"]


@pytest.mark.parametrize(
    ("taux", "base", "tva"),
    [
        (TauxTva.REDUIT, "150.00", "8.25"),
        (TauxTva.NORMAL, "100.00", "20.00"),
        (TauxTva.REDUIT, "1.05", "0.06"),  # 0.05775
        (TauxTva.PARTICULIER, "10.00", "0.21"),
        (TauxTva.NORMAL, "0.03", "0.01"),  # 0.006
        (TauxTva.NORMAL, "0.02", "0.00"),  # 0.004
        (TauxTva.REDUIT, "0.10", "0.01"),  # 0.0055
        (TauxTva.NUL, "999.99", "0.00"),
    ],
)
def test_appliquer_arrondit_la_tva(taux: TauxTva, base: str, tva: str) -> None:
    assert str(taux.appliquer(Decimal(base))) == tva


# -- textes --------------------------------------------------------------------------------


def test_texte_obligatoire() -> None:
    assert texte_obligatoire("  R.92  ", "texte", maximum=10) == "R.92"
    for vide in ("", "   ", None):
        with pytest.raises(ValidationError) as erreur:
            texte_obligatoire(vide, "texte", maximum=10)
        assert erreur.value.champ == "texte"


def test_texte_trop_long_refuse() -> None:
    assert texte_obligatoire("x" * 10, "t", maximum=10) == "x" * 10
    with pytest.raises(ValidationError) as erreur:
        texte_obligatoire("x" * 11, "t", maximum=10)
    assert erreur.value.champ == "t"


def test_texte_caracteres_de_controle_refuses() -> None:
    with pytest.raises(ValidationError):
        texte_obligatoire("a\x00b", "t", maximum=10)
    assert texte_obligatoire("a\nb\tc", "t", maximum=10) == "a\nb\tc"


def test_texte_normalise_nfc() -> None:
    assert texte_obligatoire("E\u0301coute", "t", maximum=10) == "\u00c9coute"


def test_texte_optionnel() -> None:
    assert texte_optionnel(None, "t", maximum=5) is None
    assert texte_optionnel("   ", "t", maximum=5) is None
    assert texte_optionnel(" ok ", "t", maximum=5) == "ok"
    with pytest.raises(ValidationError):
        texte_optionnel("abcdef", "t", maximum=5)


@pytest.mark.parametrize("valeur", ["-0", "-0.00", Decimal("-0"), "-0,0"])
def test_zero_negatif_devient_zero(valeur: str | Decimal) -> None:
    """« -0 » is zero: it is accepted, and carried (and printed) as 0.00, never as -0.00."""
    assert str(valider_euros(valeur, "debours")) == "0.00"


@pytest.mark.parametrize(
    ("montant", "texte"),
    [
        ("6545.08", "6\u00a0545,08"),
        ("158.25", "158,25"),
        ("0", "0,00"),
        ("1234567.5", "1\u00a0234\u00a0567,50"),
        ("-12.345", "-12,35"),
    ],
)
def test_montant_ecrit_a_la_francaise(montant: str, texte: str) -> None:
    assert en_francais(Decimal(montant)) == texte
