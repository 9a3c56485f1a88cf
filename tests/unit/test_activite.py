"""The activity feed's pure parts: the periods of the summaries, the counts, the email."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from chorus.domain.activite import (
    CHANGEMENTS_MAXIMUM,
    CompteStatut,
    EvenementActivite,
    NatureSuivi,
    PeriodeSuivi,
    TypeObjet,
    compter,
    id_courriel_suivi,
    ordonner,
    rediger_suivi,
)
from chorus.domain.organisation import Application

Q, H = NatureSuivi.QUOTIDIEN, NatureSuivi.HEBDOMADAIRE


@pytest.mark.parametrize(
    ("nature", "jour", "du", "au", "libelle"),
    [
        (Q, date(2026, 11, 23), date(2026, 11, 22), date(2026, 11, 22), "du 22/11/2026"),
        (Q, date(2026, 1, 1), date(2025, 12, 31), date(2025, 12, 31), "du 31/12/2025"),
        (
            H,
            date(2026, 11, 23),
            date(2026, 11, 16),
            date(2026, 11, 22),
            "de la semaine du 16 au 22/11/2026",
        ),
        # Any day of a week gives the week before it.
        (
            H,
            date(2026, 11, 29),
            date(2026, 11, 16),
            date(2026, 11, 22),
            "de la semaine du 16 au 22/11/2026",
        ),
        (
            H,
            date(2026, 12, 9),
            date(2026, 11, 30),
            date(2026, 12, 6),
            "de la semaine du 30/11 au 06/12/2026",
        ),
        (
            H,
            date(2026, 1, 6),
            date(2025, 12, 29),
            date(2026, 1, 4),
            "de la semaine du 29/12/2025 au 04/01/2026",
        ),
    ],
)
def test_les_periodes(nature: NatureSuivi, jour: date, du: date, au: date, libelle: str) -> None:
    periode = PeriodeSuivi.pour(nature, jour)
    assert (periode.du, periode.au, periode.libelle) == (du, au, libelle)


def test_une_journee_de_changement_d_heure_compte_ses_heures_a_paris() -> None:
    # 25 October 2026: clocks go back at 3:00, the day lasts 25 hours.
    periode = PeriodeSuivi.pour(Q, date(2026, 10, 26))
    assert periode.debut == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert periode.fin == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert periode.fin - periode.debut == timedelta(hours=25)


def test_l_id_du_courriel_nomme_la_periode_et_l_utilisateur() -> None:
    semaine = PeriodeSuivi.pour(H, date(2026, 11, 23))
    assert id_courriel_suivi(semaine, "u-1") == "suivi-hebdomadaire-2026-11-16-u-1"
    jour = PeriodeSuivi.pour(Q, date(2026, 11, 17))
    assert id_courriel_suivi(jour, "u-1") == "suivi-quotidien-2026-11-16-u-1"


def _evenement(n: int, statut: str = "ENVOYE", tic: bool = False) -> EvenementActivite:
    type_objet = TypeObjet.DEMANDE_TIC if tic else TypeObjet.MEMOIRE
    return EvenementActivite(
        id=f"e-{n:04d}",
        structure_id="s-1",
        application=Application.TIC if tic else Application.FRAIS_DE_JUSTICE,
        service_id=None,
        type_objet=type_objet,
        objet_id=f"o-{n}",
        numero=f"MJ{n:011d}",
        statut=statut,
        libelle_statut=dict(type_objet.statuts).get(statut, statut),
        date=datetime(2026, 11, 20, 13, 5, tzinfo=UTC) - timedelta(minutes=n),
        montant=Decimal("1234.50"),
    )


def test_les_comptes_suivent_le_cycle_de_vie() -> None:
    evenements = [
        _evenement(1, "REFUSE"),
        _evenement(2, "ENVOYE"),
        _evenement(3, "VALIDEE", tic=True),
        _evenement(4, "ENVOYE"),
    ]
    assert compter(evenements) == (
        CompteStatut(TypeObjet.MEMOIRE, "ENVOYE", "Envoyé", 2),
        CompteStatut(TypeObjet.MEMOIRE, "REFUSE", "Refusé", 1),
        CompteStatut(TypeObjet.DEMANDE_TIC, "VALIDEE", "Validée", 1),
    )
    # A status this version does not know comes last, under its code.
    assert ordonner({(TypeObjet.MEMOIRE, "NOUVEAU"): 1, (TypeObjet.MEMOIRE, "ENVOYE"): 2}) == (
        CompteStatut(TypeObjet.MEMOIRE, "ENVOYE", "Envoyé", 2),
        CompteStatut(TypeObjet.MEMOIRE, "NOUVEAU", "NOUVEAU", 1),
    )


def test_le_courriel_detaille_et_se_limite() -> None:
    evenements = [_evenement(n) for n in range(CHANGEMENTS_MAXIMUM + 5)]
    courriel = rediger_suivi(
        periode=PeriodeSuivi.pour(Q, date(2026, 11, 21)),
        prenom="Paul",
        comptes=compter(evenements),
        changements=evenements,
        structures={"s-1": "Cabinet Durand"},
        url_de_base="https://chorus.example/",
    )
    assert courriel.sujet == "Chorus Portail Pro – suivi d'activité du 20/11/2026"
    corps = courriel.corps
    assert corps.startswith("Bonjour Paul,\n")
    assert "205 changements d'état" in corps
    assert "Mémoires de frais de justice : 205\n  - Envoyé : 205\n" in corps
    # 14:05 in Paris (13:05 UTC), the amount the French way.
    assert (
        "  - MJ00000000000 : Envoyé le 20/11/2026 à 14:05 – 1\u00a0234,50 EUR – Cabinet Durand"
        in corps
    )
    assert corps.count("  - MJ") == CHANGEMENTS_MAXIMUM
    assert "  … et 5 autres changements." in corps
    assert "https://chorus.example/activite" in corps
    assert '{"suivi_quotidien": false}' in corps
