"""Retention: ten years from transmission, and drafts never deleted silently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from chorus.domain.conservation import brouillon_oublie, fin_de_conservation, peut_etre_purge
from tests.unit.fabrique import brouillon, envoye


def test_un_memoire_envoye_est_garde_dix_ans_jour_pour_jour() -> None:
    # sent at 23:30 UTC on 31 December 2023: already 1 January 2024 in Paris
    memoire = envoye(maintenant=datetime(2023, 12, 31, 23, 30, tzinfo=UTC))
    assert fin_de_conservation(memoire) == date(2034, 1, 1)
    assert not peut_etre_purge(memoire, date(2033, 12, 31))
    assert not peut_etre_purge(memoire, date(2034, 1, 1))
    assert peut_etre_purge(memoire, date(2034, 1, 2))


def test_un_brouillon_n_est_jamais_purge_par_la_conservation() -> None:
    memoire = brouillon()
    assert fin_de_conservation(memoire) is None
    assert not peut_etre_purge(memoire, date(2099, 1, 1))


def test_un_brouillon_oublie_est_signale_selon_sa_derniere_modification() -> None:
    memoire = brouillon()
    debut = memoire.date_modification
    assert debut == memoire.date_creation
    delai = timedelta(days=90)
    assert not brouillon_oublie(memoire, debut + delai - timedelta(seconds=1), delai)
    assert brouillon_oublie(memoire, debut + delai, delai)
    retouche = memoire.modifie_le(debut + timedelta(days=60))
    assert not brouillon_oublie(retouche, debut + delai, delai)


def test_un_memoire_envoye_n_est_pas_un_brouillon_oublie() -> None:
    memoire = envoye()
    assert memoire.date_modification == memoire.date_statut
    assert not brouillon_oublie(
        memoire, memoire.date_modification + timedelta(days=3650), timedelta(days=1)
    )
