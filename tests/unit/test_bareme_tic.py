"""The dated parameters of the TIC/TICGN refund: schedules, rates and their amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chorus.domain.errors import ValidationError
from chorus.domain.tic.bareme import (
    BaremeTic,
    DatedSchedule,
    Periode,
    ProduitTic,
    TauxNonPublie,
    TauxTic,
    TousDepartements,
    produit_tic,
)

# A rate starting mid-year, changing once, then ending: the shapes of GPL and GNR.
CALENDRIER = DatedSchedule.depuis(
    "essai",
    {
        date(2018, 4, 1): (Decimal("5.72"), "Art. A"),
        date(2019, 1, 1): (Decimal("6.00"), "Art. B"),
        date(2020, 7, 1): (Decimal("7.00"), "Art. C"),
        date(2021, 1, 1): (None, "Taux non publié"),
    },
)

# -- DatedSchedule --------------------------------------------------------------------------


def test_each_period_ends_where_the_next_starts() -> None:
    assert [(p.debut, p.fin) for p in CALENDRIER.periodes] == [
        (date(2018, 4, 1), date(2019, 1, 1)),
        (date(2019, 1, 1), date(2020, 7, 1)),
        (date(2020, 7, 1), date(2021, 1, 1)),
        (date(2021, 1, 1), None),
    ]


def test_periods_are_sorted_whatever_the_order_given() -> None:
    calendrier = DatedSchedule.depuis(
        "desordre", {date(2020, 1, 1): (2, None), date(2019, 1, 1): (1, None)}
    )
    assert [p.valeur for p in calendrier.periodes] == [1, 2]


@pytest.mark.parametrize(
    ("jour", "attendu"),
    [
        (date(2018, 3, 31), None),  # before the first period
        (date(2018, 4, 1), Decimal("5.72")),  # first day, inclusive
        (date(2018, 12, 31), Decimal("5.72")),  # last day before the next period
        (date(2019, 1, 1), Decimal("6.00")),
        (date(2020, 6, 30), Decimal("6.00")),
        (date(2020, 7, 1), Decimal("7.00")),
        (date(2020, 12, 31), Decimal("7.00")),
        (date(2021, 1, 1), None),  # null ends the validity
        (date(2030, 1, 1), None),  # and nothing comes back after it
    ],
)
def test_valeur_au_respects_the_boundaries(jour: date, attendu: Decimal | None) -> None:
    assert CALENDRIER.valeur_au(jour) == attendu


def test_periode_au_carries_the_reference_and_the_bounds() -> None:
    assert CALENDRIER.periode_au(date(2019, 5, 5)) == Periode(
        date(2019, 1, 1), Decimal("6.00"), "Art. B", date(2020, 7, 1)
    )
    assert CALENDRIER.periode_au(date(2021, 5, 5)) is None


def test_an_open_ended_period_runs_forever() -> None:
    calendrier = DatedSchedule.depuis("ouvert", {date(2024, 1, 1): (Decimal("0.50"), "Décret")})
    assert calendrier.valeur_au(date(2099, 12, 31)) == Decimal("0.50")
    assert calendrier.periodes_de_l_annee(2099)[0].fin is None


@pytest.mark.parametrize(
    ("annee", "debuts"),
    [
        (2017, []),
        (2018, [date(2018, 4, 1)]),  # starts mid-year
        (2019, [date(2019, 1, 1)]),
        (2020, [date(2019, 1, 1), date(2020, 7, 1)]),  # changes mid-year
        (2021, []),  # the null period is no value
    ],
)
def test_periodes_de_l_annee(annee: int, debuts: list[date]) -> None:
    assert [p.debut for p in CALENDRIER.periodes_de_l_annee(annee)] == debuts


def test_a_period_ending_on_1_january_is_not_in_that_year() -> None:
    calendrier = DatedSchedule.depuis(
        "fin", {date(2023, 1, 1): (Decimal("1"), "A"), date(2024, 1, 1): (None, None)}
    )
    assert calendrier.periodes_de_l_annee(2024) == ()
    assert len(calendrier.periodes_de_l_annee(2023)) == 1


# -- TauxTic.montant ------------------------------------------------------------------------


def _taux(produit: ProduitTic, taux: str) -> TauxTic:
    return TauxTic(produit, Decimal(taux), date(2019, 1, 1), date(2020, 1, 1), "Art.")


@pytest.mark.parametrize(
    ("produit", "taux", "quantite", "attendu"),
    [
        (ProduitTic.GAZOLE_NON_ROUTIER, "14.96", "1234.56", "184.69"),  # 184.690176
        (ProduitTic.GAZOLE_NON_ROUTIER, "5.00", "0.50", "0.03"),  # 0.025: half-up, not even
        (ProduitTic.GAZOLE_NON_ROUTIER, "5.00", "0.70", "0.04"),  # 0.035
        (ProduitTic.FIOUL_LOURD, "1.665", "100", "1.67"),  # 1.665 (half-even: 1.66)
        (ProduitTic.FIOUL_LOURD, "13.765", "1000", "137.65"),
        (ProduitTic.GPL, "5.72", "12345678.99", "706172.84"),  # the largest quantity typed
        (ProduitTic.GAZ_NATUREL_COMBUSTIBLE, "1.071", "500", "0.54"),  # 0.5355, kWh → MWh
        (ProduitTic.GAZ_NATUREL_CARBURANT, "4.69", "1000", "4.69"),
        (ProduitTic.GAZOLE_NON_ROUTIER, "14.96", "0", "0.00"),
    ],
)
def test_montant_converts_to_the_rate_unit_and_rounds_half_up(
    produit: ProduitTic, taux: str, quantite: str, attendu: str
) -> None:
    montant = _taux(produit, taux).montant(Decimal(quantite))
    assert montant == Decimal(attendu)
    assert montant.as_tuple().exponent == -2


# -- ProduitTic -----------------------------------------------------------------------------


def test_units_of_the_products() -> None:
    assert (ProduitTic.GAZOLE_NON_ROUTIER.unite, ProduitTic.GAZOLE_NON_ROUTIER.diviseur) == (
        "l",
        100,
    )
    assert ProduitTic.GAZ_NATUREL_CARBURANT.unite_taux == "€/MWh"
    assert ProduitTic.GAZ_NATUREL_CARBURANT.taxe == "TICGN"
    assert ProduitTic.GPL.taxe == "TICPE"


def test_an_unknown_product_code_lists_the_codes() -> None:
    assert produit_tic("GPL") is ProduitTic.GPL
    with pytest.raises(ValidationError) as refus:
        produit_tic("KEROSENE", champ="lignes[0].produit")
    assert refus.value.champ == "lignes[0].produit"
    assert "« KEROSENE »" in refus.value.message
    assert "GAZOLE_NON_ROUTIER" in refus.value.message


# -- BaremeTic ------------------------------------------------------------------------------


@pytest.fixture
def bareme() -> BaremeTic:
    return BaremeTic(
        taux=dict.fromkeys(ProduitTic, CALENDRIER),
        departements=DatedSchedule.depuis(
            "departements",
            {
                date(2015, 1, 1): (frozenset({"51", "72"}), "Pilote"),
                date(2018, 1, 1): (TousDepartements.METROPOLE, "Généralisation"),
            },
        ),
        avance=DatedSchedule.depuis(
            "avance",
            {
                date(2022, 1, 1): (Decimal("0.25"), "Acompte"),
                date(2023, 1, 1): (None, None),
            },
        ),
    )


def test_taux_au_gives_the_rate_and_its_period(bareme: BaremeTic) -> None:
    assert bareme.taux_au(ProduitTic.GPL, date(2020, 7, 1)) == TauxTic(
        ProduitTic.GPL, Decimal("7.00"), date(2020, 7, 1), date(2021, 1, 1), "Art. C"
    )


@pytest.mark.parametrize("jour", [date(2018, 3, 31), date(2021, 1, 1)])
def test_taux_au_refuses_a_day_without_rate(bareme: BaremeTic, jour: date) -> None:
    with pytest.raises(TauxNonPublie) as refus:
        bareme.taux_au(ProduitTic.GPL, jour, champ="lignes[2].date_livraison")
    assert isinstance(refus.value, ValidationError)
    assert refus.value.champ == "lignes[2].date_livraison"
    assert refus.value.message.startswith("Taux non publié")
    assert f"{jour:%d/%m/%Y}" in refus.value.message
    assert "Gaz de pétrole liquéfié (GPL)" in refus.value.message


def test_taux_de_l_annee(bareme: BaremeTic) -> None:
    taux = bareme.taux_de_l_annee(ProduitTic.FIOUL_LOURD, 2020)
    assert [(t.taux, t.debut, t.fin) for t in taux] == [
        (Decimal("6.00"), date(2019, 1, 1), date(2020, 7, 1)),
        (Decimal("7.00"), date(2020, 7, 1), date(2021, 1, 1)),
    ]
    with pytest.raises(TauxNonPublie, match="l'année 2021") as refus:
        bareme.taux_de_l_annee(ProduitTic.FIOUL_LOURD, 2021)
    assert refus.value.champ == "annee"


def test_departements_and_avance_by_campaign(bareme: BaremeTic) -> None:
    assert bareme.departements_de_la_campagne(2014) is None
    assert bareme.departements_de_la_campagne(2017) == frozenset({"51", "72"})
    assert bareme.departements_de_la_campagne(2018) is TousDepartements.METROPOLE
    assert bareme.taux_avance(2021) is None
    assert bareme.taux_avance(2022) == Decimal("0.25")
    assert bareme.taux_avance(2023) is None
