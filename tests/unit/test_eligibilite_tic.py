"""Eligibility by the siège's département, campaign by campaign."""

from __future__ import annotations

import pytest

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.domain.errors import ValidationError
from chorus.domain.tic.eligibilite import TypeBeneficiaire, evaluer_eligibilite, type_beneficiaire

BAREME = BaremeTicDuPaquet().bareme()

PILOTE = ("51", "59", "62", "72", "76", "77", "95")
VINGT = (
    "02", "14", "27", "50", "51", "59", "60", "61", "62", "72",
    "75", "76", "77", "78", "80", "91", "92", "93", "94", "95",
)  # fmt: skip


@pytest.mark.parametrize("departement", VINGT)
@pytest.mark.parametrize("campagne", [2016, 2017])
def test_les_vingt_departements_des_campagnes_2016_et_2017(departement: str, campagne: int) -> None:
    resultat = evaluer_eligibilite(BAREME, f"{departement}100", campagne)
    assert resultat.eligible
    assert resultat.departement == departement
    assert resultat.motif is None


@pytest.mark.parametrize("departement", ["28", "10", "13", "45", "2A", "2B"])
def test_leurs_voisins_sont_refuses_en_2016(departement: str) -> None:
    code = {"2A": "20000", "2B": "20200"}.get(departement, f"{departement}000")
    resultat = evaluer_eligibilite(BAREME, code, 2016)
    assert not resultat.eligible
    assert resultat.departement == departement
    assert resultat.motif is not None
    assert f"département {departement}" in resultat.motif
    assert "campagne 2016" in resultat.motif


def test_le_pilote_de_2015() -> None:
    assert {d for d in VINGT if evaluer_eligibilite(BAREME, f"{d}100", 2015).eligible} == set(
        PILOTE
    )


def test_avant_2015_aucune_campagne() -> None:
    resultat = evaluer_eligibilite(BAREME, "72000", 2014)
    assert not resultat.eligible
    assert resultat.motif is not None
    assert "Aucune campagne" in resultat.motif


@pytest.mark.parametrize("code", ["20000", "20200", "28000", "13000", "01000", "02100", "90000"])
def test_toute_la_metropole_a_partir_de_2018(code: str) -> None:
    assert evaluer_eligibilite(BAREME, code, 2018).eligible
    assert evaluer_eligibilite(BAREME, code, 2026).eligible


def test_le_zero_initial_est_garde() -> None:
    assert evaluer_eligibilite(BAREME, "02100", 2016).departement == "02"


@pytest.mark.parametrize(
    ("code", "departement"),
    [("97100", "971"), ("97200", "972"), ("97300", "973"), ("97400", "974"), ("97600", "976")],
)
def test_l_outre_mer_n_est_jamais_eligible(code: str, departement: str) -> None:
    resultat = evaluer_eligibilite(BAREME, code, 2026)
    assert not resultat.eligible
    assert resultat.departement == departement
    assert resultat.motif is not None
    assert "outre-mer" in resultat.motif


@pytest.mark.parametrize("code", ["7500", "ABCDE", "20900", "00100", ""])
def test_un_code_postal_invalide_est_refuse(code: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        evaluer_eligibilite(BAREME, code, 2026)
    assert erreur.value.champ == "code_postal"


def test_types_de_beneficiaire() -> None:
    assert type_beneficiaire("CUMA") is TypeBeneficiaire.CUMA
    assert "CUMA" in TypeBeneficiaire.CUMA.libelle
    with pytest.raises(ValidationError, match="inconnu") as erreur:
        type_beneficiaire("PECHEUR")
    assert erreur.value.champ == "type_beneficiaire"
