"""How the documents write amounts, dates and instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chorus.adapters.pdf import ecriture
from chorus.domain.montants import TauxTva

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (Decimal("6545.08"), f"6{NBSP}545,08{NBSP}EUR"),
        (Decimal("0"), f"0,00{NBSP}EUR"),
        (Decimal("1234567.5"), f"1{NBSP}234{NBSP}567,50{NBSP}EUR"),
        (Decimal("8.245"), f"8,25{NBSP}EUR"),
    ],
)
def test_un_montant_s_ecrit_a_la_francaise(valeur: Decimal, attendu: str) -> None:
    assert ecriture.montant(valeur) == attendu


def test_un_taux_une_quantite_un_jour() -> None:
    assert ecriture.taux(TauxTva.REDUIT) == f"5,5{NBSP}%"
    assert ecriture.taux(TauxTva.NORMAL) == f"20{NBSP}%"
    assert ecriture.nombre(Decimal("2.5")) == "2,50"
    assert ecriture.jour(date(2019, 7, 25)) == "25/07/2019"


@pytest.mark.parametrize(
    ("instant", "attendu"),
    [
        # Summer time: UTC+2.
        (datetime(2019, 7, 25, 8, 0, tzinfo=UTC), "25/07/2019 à 10:00"),
        # Winter time, and the day changes in Paris before it does in UTC.
        (datetime(2019, 12, 31, 23, 30, tzinfo=UTC), "01/01/2020 à 00:30"),
        # Whatever zone the instant comes in.
        (datetime(2019, 7, 25, 4, 0, tzinfo=ZoneInfo("America/New_York")), "25/07/2019 à 10:00"),
    ],
)
def test_un_instant_s_ecrit_a_l_heure_de_paris(instant: datetime, attendu: str) -> None:
    assert ecriture.instant(instant) == attendu


def test_les_dates_des_metadonnees_sont_en_utc() -> None:
    paris = datetime(2019, 7, 25, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert ecriture.instant_w3c(paris) == "2019-07-25T08:00:00Z"


def test_iban_taille_et_parametre_d_adresse() -> None:
    assert ecriture.iban("FR7630006000011234567890189") == "FR76 3000 6000 0112 3456 7890 189"
    assert ecriture.taille(512) == f"512{NBSP}o"
    assert ecriture.taille(12_595) == f"12,3{NBSP}Ko"
    assert ecriture.taille(1_572_864) == f"1,5{NBSP}Mo"
    assert ecriture.parametre_url("XOkh/n+G=") == "XOkh%2Fn%2BG%3D"
