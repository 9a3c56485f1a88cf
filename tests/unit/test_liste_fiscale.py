"""The liste fiscale's period and totals, and the calendar helpers it relies on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.domain.calendrier import ajouter_annees, jour_a_paris
from chorus.domain.errors import ValidationError
from chorus.domain.liste_fiscale import LigneListeFiscale, Periode, TotauxListeFiscale

D = Decimal

# -- Periode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("du", "au"),
    [
        (date(2019, 3, 1), date(2020, 2, 29)),
        (date(2019, 3, 1), date(2019, 3, 1)),
        (date(2020, 2, 29), date(2021, 2, 27)),
        (date(2023, 1, 1), date(2023, 12, 31)),
        (date(2023, 12, 31), date(2024, 12, 30)),
    ],
)
def test_periode_d_au_plus_un_an_acceptee(du: date, au: date) -> None:
    periode = Periode.creer(du, au)
    assert (periode.du, periode.au) == (du, au)


@pytest.mark.parametrize(
    ("du", "au"),
    [
        (date(2019, 3, 1), date(2020, 3, 1)),
        (date(2020, 2, 29), date(2021, 2, 28)),
        (date(2023, 1, 1), date(2024, 1, 1)),
        (date(2019, 1, 1), date(2021, 1, 1)),
    ],
)
def test_periode_de_plus_d_un_an_refusee(du: date, au: date) -> None:
    with pytest.raises(ValidationError) as erreur:
        Periode.creer(du, au)
    assert erreur.value.champ == "au"
    assert "un an" in erreur.value.message


def test_periode_a_l_envers_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        Periode.creer(date(2024, 5, 2), date(2024, 5, 1))
    assert erreur.value.champ == "au"


def test_periode_contient_ses_bornes() -> None:
    periode = Periode.creer(date(2024, 1, 1), date(2024, 3, 31))
    assert periode.contient(date(2024, 1, 1))
    assert periode.contient(date(2024, 3, 31))
    assert not periode.contient(date(2023, 12, 31))
    assert not periode.contient(date(2024, 4, 1))


@settings(max_examples=100)
@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)), st.integers(0, 800))
def test_periode_limite_a_un_an(du: date, jours: int) -> None:
    au = du + timedelta(days=jours)
    limite = ajouter_annees(du, 1)
    if au < limite:
        assert Periode.creer(du, au).au == au
    else:
        with pytest.raises(ValidationError):
            Periode.creer(du, au)


# -- Totaux --------------------------------------------------------------------------------


def _ligne(
    numero: str, ht: str, tva: str, ttc: str, paye: str, remise: str = "0.00"
) -> LigneListeFiscale:
    return LigneListeFiscale(
        numero=numero,
        date_depot=date(2024, 1, 10),
        juridiction_code="TJ-75056",
        montant_ht=D(ht),
        montant_tva=D(tva),
        montant_ttc=D(ttc),
        remise_globale_ttc=D(remise),
        net_a_payer=D(ttc) - D(remise),
        date_mise_en_paiement=date(2024, 2, 10),
        montant_paye=D(paye),
    )


def test_totaux_de_la_liste_fiscale() -> None:
    totaux = TotauxListeFiscale.calculer(
        iter(
            [
                _ligne("MJ00000000001", "150.00", "8.25", "158.25", "158.25"),
                _ligne("MJ00000000002", "100.00", "20.00", "120.00", "100.00", remise="20.00"),
                _ligne("MJ00000000003", "0.10", "0.01", "0.11", "0.11"),
            ]
        )
    )
    assert totaux == TotauxListeFiscale(
        montant_ht=D("250.10"),
        montant_tva=D("28.26"),
        montant_ttc=D("278.36"),
        remise_globale_ttc=D("20.00"),
        net_a_payer=D("258.36"),
        montant_paye=D("258.36"),
        nombre=3,
    )


def test_totaux_d_une_liste_vide() -> None:
    totaux = TotauxListeFiscale.calculer([])
    assert totaux.nombre == 0
    assert str(totaux.montant_ttc) == "0.00"
    assert str(totaux.montant_paye) == "0.00"


# -- calendrier ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jour", "annees", "attendu"),
    [
        (date(2023, 5, 1), 1, date(2024, 5, 1)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 28), 1, date(2025, 2, 28)),
        (date(2014, 5, 1), 10, date(2024, 5, 1)),
    ],
)
def test_ajouter_annees(jour: date, annees: int, attendu: date) -> None:
    assert ajouter_annees(jour, annees) == attendu


@pytest.mark.parametrize(
    ("instant", "jour"),
    [
        (datetime(2024, 5, 1, 21, 59, tzinfo=UTC), date(2024, 5, 1)),  # 23:59 summer time
        (datetime(2024, 5, 1, 22, 0, tzinfo=UTC), date(2024, 5, 2)),
        (datetime(2024, 1, 1, 22, 59, tzinfo=UTC), date(2024, 1, 1)),  # 23:59 winter time
        (datetime(2024, 1, 1, 23, 0, tzinfo=UTC), date(2024, 1, 2)),
        (datetime(2024, 5, 2, 1, 0, tzinfo=timezone(timedelta(hours=5))), date(2024, 5, 1)),
    ],
)
def test_jour_a_paris(instant: datetime, jour: date) -> None:
    assert jour_a_paris(instant) == jour
