"""Lignes de prestation and the totals of a mémoire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.domain.errors import ValidationError
from chorus.domain.lignes import (
    NOMBRE_MAXIMUM_DE_FRAIS_DIVERS,
    FraisDivers,
    LigneDePrestation,
    SaisieLigne,
    Totaux,
)
from chorus.domain.montants import TauxTva
from tests.unit.fabrique import AUJOURDHUI, ligne

D = Decimal


def _cent(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# -- one line ------------------------------------------------------------------------------


def test_exemple_du_portail_150_a_5_5() -> None:
    une = ligne(quantite="1", tarif_ht="150.00", taux_tva="5.5")
    assert une.montant_ht == D("150.00")
    assert une.montant_tva == D("8.25")
    assert une.montant_ttc == D("158.25")
    assert str(une.montant_ttc) == "158.25"


def test_frais_divers_entrent_dans_la_base_de_tva() -> None:
    une = ligne(
        tarif_ht="100.00",
        taux_tva="20",
        frais_divers=(("Déplacement", "30.00"), ("Affranchissement", "5.50")),
    )
    assert une.montant_frais_divers == D("35.50")
    assert une.montant_ht == D("135.50")
    assert une.montant_tva == D("27.10")
    assert une.montant_ttc == D("162.60")


def test_debours_hors_base_de_tva_mais_dans_le_ttc() -> None:
    une = ligne(tarif_ht="100.00", taux_tva="20", debours="12.34")
    assert une.montant_ht == D("100.00")
    assert une.montant_tva == D("20.00")
    assert une.montant_ttc == D("132.34")


@pytest.mark.parametrize(
    ("quantite", "tarif", "taux", "ht", "tva", "ttc"),
    [
        ("3", "0.35", "5.5", "1.05", "0.06", "1.11"),  # TVA 0.05775 → 0.06
        ("1.5", "33.33", "20", "50.00", "10.00", "60.00"),  # 49.995 → 50.00
        ("0.5", "0.01", "20", "0.01", "0.00", "0.01"),  # 0.005 → 0.01; TVA 0.002 → 0
        ("2.25", "10.10", "10", "22.73", "2.27", "25.00"),  # 22.725 → 22.73; 2.273 → 2.27
        ("7", "12.99", "2.1", "90.93", "1.91", "92.84"),  # TVA 1.90953 → 1.91
        ("1", "0.00", "20", "0.00", "0.00", "0.00"),
    ],
)
def test_arrondi_par_ligne(
    quantite: str, tarif: str, taux: str, ht: str, tva: str, ttc: str
) -> None:
    une = ligne(quantite=quantite, tarif_ht=tarif, taux_tva=taux)
    assert (str(une.montant_ht), str(une.montant_tva), str(une.montant_ttc)) == (ht, tva, ttc)


def test_totaux_somment_les_lignes_arrondies() -> None:
    # Three lines of 3 × 0.35 at 5.5 %: each TVA is 0.06, so the total TVA is 0.18,
    # whereas the TVA of the summed base (3.15 × 5.5 % = 0.17325) would round to 0.17.
    lignes = [ligne(numero_ligne=i, quantite="3", tarif_ht="0.35") for i in (1, 2, 3)]
    totaux = Totaux.calculer(lignes, D("0.00"))
    assert totaux.montant_ht == D("3.15")
    assert totaux.montant_tva == D("0.18")
    assert totaux.montant_ttc == D("3.33")


def test_valeurs_normalisees_a_deux_decimales() -> None:
    une = ligne(quantite="2", tarif_ht="12.1", debours="3")
    assert str(une.quantite) == "2.00"
    assert str(une.tarif_ht) == "12.10"
    assert str(une.debours) == "3.00"
    assert une.taux_tva is TauxTva.REDUIT


# -- line validation -----------------------------------------------------------------------


@pytest.mark.parametrize("quantite", ["0", "0.00", "-1"])
def test_quantite_nulle_ou_negative_refusee(quantite: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        ligne(quantite=quantite)
    assert erreur.value.champ == "quantite"


def test_quantite_a_trois_decimales_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        ligne(quantite="1.125")
    assert erreur.value.champ == "quantite"


def test_tarif_negatif_ou_trop_precis_refuse() -> None:
    for tarif in ("-1.00", "1.001"):
        with pytest.raises(ValidationError) as erreur:
            ligne(tarif_ht=tarif)
        assert erreur.value.champ == "tarif_ht"


def test_debours_negatif_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        ligne(debours="-0.01")
    assert erreur.value.champ == "debours"


def test_taux_inconnu_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        ligne(taux_tva="19.6")
    assert erreur.value.champ == "taux_tva"


def test_requisition_apres_prestation_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        ligne(
            date_prestation=date(2024, 4, 10),
            date_requisition=date(2024, 4, 11),
        )
    assert erreur.value.champ == "date_requisition"


def test_prestation_dans_le_futur_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        ligne(date_prestation=AUJOURDHUI + timedelta(days=1))
    assert erreur.value.champ == "date_prestation"


def test_meme_jour_accepte() -> None:
    une = ligne(date_requisition=AUJOURDHUI, date_prestation=AUJOURDHUI)
    assert une.date_requisition == une.date_prestation == AUJOURDHUI


def test_texte_obligatoire_de_la_ligne() -> None:
    with pytest.raises(ValidationError) as erreur:
        LigneDePrestation.creer(
            numero_ligne=1,
            numero_affaire="  ",
            date_requisition=AUJOURDHUI,
            autorite_requerante="JUGE_INSTRUCTION",
            type_prestation="INTERPRETARIAT",
            date_prestation=AUJOURDHUI,
            quantite="1",
            tarif_ht="1",
            taux_tva="20",
            aujourdhui=AUJOURDHUI,
        )
    assert erreur.value.champ == "numero_affaire"


def test_trop_de_frais_divers_refuses() -> None:
    frais = tuple(("Frais", "1.00") for _ in range(NOMBRE_MAXIMUM_DE_FRAIS_DIVERS + 1))
    with pytest.raises(ValidationError) as erreur:
        ligne(frais_divers=frais)
    assert erreur.value.champ == "frais_divers"
    assert len(ligne(frais_divers=frais[:-1]).frais_divers) == NOMBRE_MAXIMUM_DE_FRAIS_DIVERS


def test_frais_divers_creer() -> None:
    frais = FraisDivers.creer(" Péage ", "4,2")
    assert frais == FraisDivers("Péage", D("4.20"))
    with pytest.raises(ValidationError) as erreur:
        FraisDivers.creer("", "1")
    assert erreur.value.champ == "libelle"


# -- SaisieLigne -------------------------------------------------------------------------


def _saisie(frais: tuple[tuple[str, Decimal | int | str], ...] = ()) -> SaisieLigne:
    return SaisieLigne(
        numero_affaire="INSTR-2024-17",
        date_requisition=date(2024, 4, 1),
        autorite_requerante="JUGE_INSTRUCTION",
        type_prestation="INTERPRETARIAT",
        date_prestation=date(2024, 4, 2),
        quantite="2.5",
        tarif_ht="42.00",
        taux_tva="20",
        frais_divers=frais,
        debours="1.50",
    )


def test_saisie_en_ligne() -> None:
    une = _saisie((("Déplacement", "10.00"),)).en_ligne(7, AUJOURDHUI)
    assert une.numero_ligne == 7
    assert une.frais_divers == (FraisDivers("Déplacement", D("10.00")),)
    assert une.montant_ht == D("115.00")
    assert une.montant_tva == D("23.00")
    assert une.montant_ttc == D("139.50")


def test_saisie_prefixe_les_erreurs_de_frais_divers() -> None:
    with pytest.raises(ValidationError) as erreur:
        _saisie((("Déplacement", "10.00"), ("Péage", "1.234"))).en_ligne(1, AUJOURDHUI)
    assert erreur.value.champ == "frais_divers[1].montant_ht"
    assert [e.champ for e in erreur.value.erreurs] == ["frais_divers[1].montant_ht"]


def test_saisie_prefixe_le_libelle_manquant() -> None:
    with pytest.raises(ValidationError) as erreur:
        _saisie((("", "10.00"),)).en_ligne(1, AUJOURDHUI)
    assert erreur.value.champ == "frais_divers[0].libelle"


def test_saisie_erreur_de_ligne_non_prefixee() -> None:
    saisie = SaisieLigne(
        numero_affaire="X",
        date_requisition=date(2024, 4, 1),
        autorite_requerante="A",
        type_prestation="T",
        date_prestation=date(2024, 4, 2),
        quantite="0",
        tarif_ht="1",
        taux_tva="20",
    )
    with pytest.raises(ValidationError) as erreur:
        saisie.en_ligne(1, AUJOURDHUI)
    assert erreur.value.champ == "quantite"


# -- Totaux ------------------------------------------------------------------------------


def test_totaux_vides() -> None:
    totaux = Totaux.calculer([], D("0.00"))
    assert totaux.montant_ht == totaux.montant_ttc == totaux.net_a_payer == D("0.00")
    assert totaux.recapitulatif_tva == ()
    assert totaux.montant_ht_apres_remise == D("0.00")


def test_recapitulatif_par_taux() -> None:
    lignes = [
        ligne(numero_ligne=1, tarif_ht="150.00", taux_tva="5.5"),
        ligne(numero_ligne=2, tarif_ht="100.00", taux_tva="20", debours="7.00"),
        ligne(numero_ligne=3, tarif_ht="10.10", taux_tva="5.5"),
        ligne(numero_ligne=4, tarif_ht="50.00", taux_tva="0"),
    ]
    totaux = Totaux.calculer(lignes, D("0.00"))
    recap = {r.taux: (r.base_ht, r.montant_tva) for r in totaux.recapitulatif_tva}
    assert recap == {
        TauxTva.NORMAL: (D("100.00"), D("20.00")),
        TauxTva.REDUIT: (D("160.10"), D("8.81")),  # 8.25 + 0.56 (10.10 × 5.5 % = 0.5555)
        TauxTva.NUL: (D("50.00"), D("0.00")),
    }
    assert [r.taux for r in totaux.recapitulatif_tva] == [
        TauxTva.NORMAL,
        TauxTva.REDUIT,
        TauxTva.NUL,
    ]
    assert totaux.montant_ht == D("310.10")
    assert totaux.montant_tva == D("28.81")
    assert totaux.montant_debours == D("7.00")
    assert totaux.montant_ttc == D("345.91")


def test_remise_globale_et_net_a_payer() -> None:
    lignes = [ligne(tarif_ht="100.00", taux_tva="20")]
    totaux = Totaux.calculer(lignes, D("12.00"))
    assert totaux.montant_ttc == D("120.00")
    assert totaux.remise_globale_ttc == D("12.00")
    assert totaux.net_a_payer == D("108.00")
    assert totaux.montant_ht_apres_remise == D("90.00")


def test_montant_ht_apres_remise_arrondi() -> None:
    totaux = Totaux.calculer([ligne()], D("10.00"))  # 158.25 TTC, 150.00 HT
    assert totaux.net_a_payer == D("148.25")
    # 150 × 148.25 / 158.25 = 140.5213…
    assert totaux.montant_ht_apres_remise == D("140.52")


def test_montant_ht_apres_remise_sans_remise() -> None:
    totaux = Totaux.calculer([ligne()], D("0.00"))
    assert totaux.montant_ht_apres_remise == D("150.00")


# -- property: totals are sums of lines ----------------------------------------------------


def _centimes(maximum: int, minimum: int = 0) -> st.SearchStrategy[Decimal]:
    return st.integers(minimum, maximum).map(lambda c: Decimal(c).scaleb(-2))


@dataclass(frozen=True)
class _Brut:
    quantite: Decimal
    tarif: Decimal
    taux: TauxTva
    frais: tuple[Decimal, ...]
    debours: Decimal


_bruts = st.builds(
    _Brut,
    quantite=_centimes(100_000, minimum=1),
    tarif=_centimes(1_000_000),
    taux=st.sampled_from(list(TauxTva)),
    frais=st.lists(_centimes(100_000), max_size=3).map(tuple),
    debours=_centimes(100_000),
)


def _ligne(numero: int, brut: _Brut) -> LigneDePrestation:
    return LigneDePrestation.creer(
        numero_ligne=numero,
        numero_affaire=f"A-{numero}",
        date_requisition=date(2024, 1, 1),
        autorite_requerante="PROCUREUR_REPUBLIQUE",
        type_prestation="INTERPRETARIAT",
        date_prestation=date(2024, 1, 2),
        quantite=brut.quantite,
        tarif_ht=brut.tarif,
        taux_tva=brut.taux,
        aujourdhui=AUJOURDHUI,
        frais_divers=[FraisDivers.creer("Frais", f) for f in brut.frais],
        debours=brut.debours,
    )


def _deux_decimales(montant: Decimal) -> bool:
    return montant.as_tuple().exponent == -2


@settings(max_examples=120, deadline=None)
@given(st.lists(_bruts, max_size=8), _centimes(10_000))
def test_totaux_egaux_aux_sommes_des_lignes(bruts: list[_Brut], remise: Decimal) -> None:
    lignes = [_ligne(i + 1, b) for i, b in enumerate(bruts)]
    totaux = Totaux.calculer(lignes, remise)

    for brut, une in zip(bruts, lignes, strict=True):
        base = _cent(brut.quantite * brut.tarif + sum(brut.frais, D(0)))
        tva = _cent(base * brut.taux.value / 100)
        assert une.montant_ht == base
        assert une.montant_tva == tva
        assert une.montant_ttc == base + tva + brut.debours

    assert totaux.montant_ht == sum((x.montant_ht for x in lignes), D(0))
    assert totaux.montant_tva == sum((x.montant_tva for x in lignes), D(0))
    assert totaux.montant_debours == sum((x.debours for x in lignes), D(0))
    assert totaux.montant_ttc == sum((x.montant_ttc for x in lignes), D(0))
    assert totaux.montant_ttc == totaux.montant_ht + totaux.montant_tva + totaux.montant_debours
    assert totaux.net_a_payer == totaux.montant_ttc - remise

    assert sum((r.base_ht for r in totaux.recapitulatif_tva), D(0)) == totaux.montant_ht
    assert sum((r.montant_tva for r in totaux.recapitulatif_tva), D(0)) == totaux.montant_tva
    assert {r.taux for r in totaux.recapitulatif_tva} == {x.taux_tva for x in lignes}
    for r in totaux.recapitulatif_tva:
        a_ce_taux = [x for x in lignes if x.taux_tva is r.taux]
        assert r.base_ht == sum((x.montant_ht for x in a_ce_taux), D(0))
        assert r.montant_tva == sum((x.montant_tva for x in a_ce_taux), D(0))

    montants = [
        totaux.montant_ht,
        totaux.montant_tva,
        totaux.montant_debours,
        totaux.montant_ttc,
        totaux.remise_globale_ttc,
        totaux.net_a_payer,
        totaux.montant_ht_apres_remise,
        *(r.base_ht for r in totaux.recapitulatif_tva),
        *(r.montant_tva for r in totaux.recapitulatif_tva),
        *(m for x in lignes for m in (x.montant_ht, x.montant_tva, x.montant_ttc)),
    ]
    assert all(_deux_decimales(m) for m in montants), montants
    if totaux.montant_ttc > 0 and totaux.net_a_payer >= 0:
        assert 0 <= totaux.montant_ht_apres_remise <= totaux.montant_ht
