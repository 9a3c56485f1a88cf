"""Retention: ten years from transmission, only final statuses purged, and drafts never
deleted silently."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from chorus.domain.conservation import (
    STATUTS_FINAUX,
    MemoirePurgee,
    brouillon_oublie,
    conservation_echue,
    contenus,
    fin_de_conservation,
    peut_etre_purge,
    premier_jour_conserve,
)
from chorus.domain.errors import TransitionInvalide
from chorus.domain.statuts import StatutMemoire
from tests.unit.fabrique import MAINTENANT, a_l_etat, brouillon, envoye


def test_un_memoire_envoye_est_garde_dix_ans_jour_pour_jour() -> None:
    # sent at 23:30 UTC on 31 December 2023: already 1 January 2024 in Paris
    memoire = envoye(maintenant=datetime(2023, 12, 31, 23, 30, tzinfo=UTC))
    assert fin_de_conservation(memoire) == date(2034, 1, 1)
    assert not conservation_echue(memoire, date(2033, 12, 31))
    assert not conservation_echue(memoire, date(2034, 1, 1))
    assert conservation_echue(memoire, date(2034, 1, 2))


def test_les_statuts_finaux_sont_ceux_dont_aucune_transition_ne_sort() -> None:
    assert (
        frozenset(
            {
                StatutMemoire.MIS_EN_PAIEMENT,
                StatutMemoire.ABANDONNE,
                StatutMemoire.DUPLIQUE_POST_REFUS,
            }
        )
        == STATUTS_FINAUX
    )


@pytest.mark.parametrize("statut", list(StatutMemoire), ids=lambda s: s.value)
def test_seul_un_statut_final_se_purge_apres_dix_ans(statut: StatutMemoire) -> None:
    memoire = a_l_etat(statut)
    bien_apres = MAINTENANT.date() + timedelta(days=365 * 30)
    assert peut_etre_purge(memoire, bien_apres) is (statut in STATUTS_FINAUX)
    assert not peut_etre_purge(memoire, MAINTENANT.date() + timedelta(days=365 * 10))


def test_un_brouillon_n_est_jamais_purge_par_la_conservation() -> None:
    memoire = brouillon()
    assert fin_de_conservation(memoire) is None
    assert not conservation_echue(memoire, date(2099, 1, 1))
    assert not peut_etre_purge(memoire, date(2099, 1, 1))


@pytest.mark.parametrize(
    ("aujourdhui", "premier"),
    [
        (date(2034, 6, 15), date(2024, 6, 15)),
        # a 29 February: the 28th ten years back ended on 28 February, yesterday
        (date(2028, 2, 29), date(2018, 3, 1)),
        # deposited on 29 February 2016, kept until 28 February 2026
        (date(2026, 2, 28), date(2016, 2, 28)),
        (date(2026, 3, 1), date(2016, 3, 1)),
    ],
)
def test_le_premier_jour_conserve(aujourdhui: date, premier: date) -> None:
    assert premier_jour_conserve(aujourdhui) == premier


def test_le_premier_jour_conserve_suit_la_fin_de_conservation_chaque_jour() -> None:
    modele = envoye()
    assert modele.certificat is not None
    for decalage in range(0, 365 * 12, 3):
        # 23:30 UTC: the next day in Paris, which is the day that counts
        depot = datetime(2015, 1, 1, 23, 30, tzinfo=UTC) + timedelta(days=decalage)
        memoire = attrs.evolve(modele, certificat=attrs.evolve(modele.certificat, date_depot=depot))
        for jour in (date(2025, 1, 1) + timedelta(days=n) for n in range(0, 365 * 12, 97)):
            echue = depot.date() + timedelta(days=1) < premier_jour_conserve(jour)
            assert echue is conservation_echue(memoire, jour), (depot, jour)


def test_le_registre_garde_l_essentiel_du_memoire_purge() -> None:
    paye = a_l_etat(StatutMemoire.MIS_EN_PAIEMENT)
    assert paye.certificat is not None
    purge = MemoirePurgee.de(paye, MAINTENANT)
    assert purge.id == paye.id
    assert (purge.numero, purge.statut, purge.date_depot) == (
        paye.numero,
        StatutMemoire.MIS_EN_PAIEMENT,
        paye.certificat.date_depot,
    )
    assert purge.nombre_pieces == len(paye.pieces) == 1
    assert purge.empreinte == paye.certificat.empreinte
    assert contenus(paye) == {p.sha256 for p in paye.pieces}
    with pytest.raises(TransitionInvalide, match="brouillon"):
        MemoirePurgee.de(brouillon(), MAINTENANT)


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
