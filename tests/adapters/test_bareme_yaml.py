"""The TIC/TICGN barème shipped in `chorus/data/tic/`, read through `BaremeTicDuPaquet`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from chorus.adapters.referentiels.bareme_yaml import (
    AVANCE,
    DEPARTEMENTS,
    BaremeTicDuPaquet,
    fichier_des_taux,
    fichiers,
)
from chorus.domain.tic.bareme import (
    BaremeTic,
    DatedSchedule,
    ProduitTic,
    TauxNonPublie,
    TousDepartements,
)
from chorus.ports.bareme_tic import SourceDuBaremeTic

GNR = ProduitTic.GAZOLE_NON_ROUTIER
FL = ProduitTic.FIOUL_LOURD
GNC = ProduitTic.GAZ_NATUREL_COMBUSTIBLE
GNV = ProduitTic.GAZ_NATUREL_CARBURANT
GPL = ProduitTic.GPL

# DESIGN.md §3.5, by year of delivery: GNR, fioul lourd, gaz naturel combustible and
# carburant, GPL (None: no rate).
TABLEAU: dict[int, tuple[str, str, str, str, str | None]] = {
    2012: ("5.00", "1.665", "1.071", "1.071", None),
    2013: ("5.00", "1.665", "1.071", "1.071", None),
    2014: ("5.00", "2.005", "1.151", "1.151", None),
    2015: ("6.98", "4.345", "2.521", "2.521", None),
    2016: ("8.97", "6.695", "4.221", "4.221", None),
    2017: ("11.23", "9.355", "5.761", "5.761", None),
    2018: ("14.96", "13.765", "8.331", "8.331", "5.72"),
    2019: ("14.96", "13.765", "8.331", "8.331", "5.72"),
    2020: ("14.96", "13.765", "7.91", "4.69", "5.72"),
    2021: ("14.96", "13.765", "7.89", "4.69", "5.72"),
    2022: ("14.96", "13.765", "7.87", "4.69", "5.72"),
    2023: ("14.96", "13.765", "7.83", "4.69", "5.72"),
}
CELLULES = [
    (annee, produit, taux)
    for annee, ligne in TABLEAU.items()
    for produit, taux in zip((GNR, FL, GNC, GNV, GPL), ligne, strict=True)
]

VINGT = frozenset(
    {"02", "14", "27", "50", "51", "59", "60", "61", "62", "72"}
    | {"75", "76", "77", "78", "80", "91", "92", "93", "94", "95"}
)


@pytest.fixture(scope="module")
def bareme() -> BaremeTic:
    return BaremeTicDuPaquet().bareme()


def test_satisfies_the_port_and_reads_once() -> None:
    source: SourceDuBaremeTic = BaremeTicDuPaquet()
    assert source.bareme() is source.bareme()


@pytest.mark.parametrize(("annee", "produit", "taux"), CELLULES)
def test_every_cell_of_the_design_table(
    bareme: BaremeTic, annee: int, produit: ProduitTic, taux: str | None
) -> None:
    jour = date(annee, 6, 30)
    if taux is None:
        with pytest.raises(TauxNonPublie):
            bareme.taux_au(produit, jour)
    else:
        trouve = bareme.taux_au(produit, jour)
        assert trouve.taux == Decimal(taux)
        assert str(trouve.taux) == taux  # the digits as published, trailing zeros included
        assert trouve.reference


def test_gnr_2024_is_the_full_tariff_refund(bareme: BaremeTic) -> None:
    taux = bareme.taux_au(GNR, date(2024, 6, 30))
    assert taux.taux == Decimal("20.95")
    assert taux.reference is not None
    assert "2023-1322" in taux.reference


def test_gpl_starts_on_1_april_2018(bareme: BaremeTic) -> None:
    with pytest.raises(TauxNonPublie):
        bareme.taux_au(GPL, date(2018, 3, 31))
    taux = bareme.taux_au(GPL, date(2018, 4, 1))
    assert (taux.taux, taux.debut) == (Decimal("5.72"), date(2018, 4, 1))
    assert [t.debut for t in bareme.taux_de_l_annee(GPL, 2018)] == [date(2018, 4, 1)]


@pytest.mark.parametrize("produit", [FL, GNC, GNV, GPL])
def test_2024_is_not_published_except_gnr(bareme: BaremeTic, produit: ProduitTic) -> None:
    with pytest.raises(TauxNonPublie, match="Taux non publié"):
        bareme.taux_au(produit, date(2024, 6, 30))


@pytest.mark.parametrize("jour", [date(2011, 12, 31), date(2025, 1, 1), date(2025, 6, 30)])
def test_gnr_outside_2012_2024_is_refused(bareme: BaremeTic, jour: date) -> None:
    with pytest.raises(TauxNonPublie, match="Taux non publié"):
        bareme.taux_au(GNR, jour)


def test_a_rate_holds_until_31_december(bareme: BaremeTic) -> None:
    assert bareme.taux_au(GNR, date(2016, 12, 31)).taux == Decimal("8.97")
    assert bareme.taux_au(GNR, date(2017, 1, 1)).taux == Decimal("11.23")
    assert bareme.taux_au(FL, date(2023, 12, 31)).taux == Decimal("13.765")


def test_1234_56_litres_of_gnr_in_2019(bareme: BaremeTic) -> None:
    assert bareme.taux_au(GNR, date(2019, 3, 1)).montant(Decimal("1234.56")) == Decimal("184.69")


@pytest.mark.parametrize(
    ("campagne", "attendu"),
    [
        (2014, None),
        (2015, frozenset({"51", "59", "62", "72", "76", "77", "95"})),
        (2016, VINGT),
        (2017, VINGT),
        (2018, TousDepartements.METROPOLE),
        (2026, TousDepartements.METROPOLE),
    ],
)
def test_departements_by_campaign(
    bareme: BaremeTic, campagne: int, attendu: frozenset[str] | TousDepartements | None
) -> None:
    assert bareme.departements_de_la_campagne(campagne) == attendu


@pytest.mark.parametrize(
    ("campagne", "attendu"),
    [(2021, None), (2022, "0.25"), (2023, None), (2024, "0.50"), (2026, "0.50"), (2030, None)],
)
def test_avance_by_campaign(bareme: BaremeTic, campagne: int, attendu: str | None) -> None:
    assert bareme.taux_avance(campagne) == (None if attendu is None else Decimal(attendu))


def test_every_shipped_value_has_a_reference(bareme: BaremeTic) -> None:
    calendriers: list[DatedSchedule[Any]] = [*bareme.taux.values(), bareme.departements]
    references = [
        (calendrier.nom, periode.debut, periode.reference)
        for calendrier in (*calendriers, bareme.avance)
        for periode in calendrier.periodes
    ]
    assert len(references) == 13 + 13 + 13 + 14 + 7 + 4 + 4
    assert [r for r in references if not r[2]] == []


# -- malformed files ------------------------------------------------------------------------


def _copie(tmp_path: Path) -> Path:
    source = files("chorus.data").joinpath("tic")
    for nom in fichiers():
        (tmp_path / nom).write_text(source.joinpath(nom).read_text(encoding="utf-8"))
    return tmp_path


def _remplace(dossier: Path, nom: str, avant: str, apres: str) -> None:
    chemin = dossier / nom
    texte = chemin.read_text(encoding="utf-8")
    assert avant in texte
    chemin.write_text(texte.replace(avant, apres, 1), encoding="utf-8")


def test_a_copy_of_the_shipped_files_loads(tmp_path: Path) -> None:
    bareme = BaremeTicDuPaquet(str(_copie(tmp_path))).bareme()
    assert bareme.taux_au(GPL, date(2020, 1, 1)).taux == Decimal("5.72")


@pytest.mark.parametrize(
    ("nom", "avant", "apres", "message"),
    [
        (
            "gpl.yaml",
            'value: "5.72"',
            "value: 5.72",
            r"tic/gpl\.yaml, 2018-04-01: value must be a quoted decimal string.*float 5\.72",
        ),
        (
            "fioul_lourd.yaml",
            'value: "1.665"',
            "value: 2",
            r"tic/fioul_lourd\.yaml, 2012-01-01: .*quoted decimal string.*int 2",
        ),
        (
            "gazole_non_routier.yaml",
            'value: "6.98"',
            'value: "6,98"',
            r"tic/gazole_non_routier\.yaml, 2015-01-01: value '6,98' is not a decimal",
        ),
        (
            "gazole_non_routier.yaml",
            'value: "6.98"',
            'value: "0"',
            r"tic/gazole_non_routier\.yaml, 2015-01-01: a rate must be positive",
        ),
        (
            "gpl.yaml",
            'value: "5.72"\n    reference: >-',
            'value: "5.72"\n    comment: >-',
            r"tic/gpl\.yaml, 2018-04-01: expected a mapping with value and reference",
        ),
        (
            "gpl.yaml",
            '2019-01-01:\n    value: "5.72"\n    reference: >-\n      Art. 32, II, C de la loi'
            " n° 2013-1278 (LF 2014), tarif inchangé ; instruction technique\n"
            "      SG/SAFSL/SDABC/2020-326.\n",
            '2019-01-01:\n    value: "5.72"\n',
            r"tic/gpl\.yaml, 2019-01-01: a value needs its legal reference",
        ),
        (
            "gpl.yaml",
            "produit: GPL",
            "produit: GAZ_DE_SCHISTE",
            r"tic/gpl\.yaml: metadata\.produit 'GAZ_DE_SCHISTE' is not a product code",
        ),
        (
            "gpl.yaml",
            "produit: GPL",
            "produit: FIOUL_LOURD",
            r"tic/gpl\.yaml: metadata\.produit is 'FIOUL_LOURD', expected 'GPL'",
        ),
        (
            "gazole_non_routier.yaml",
            "unit: EUR/hl",
            "unit: EUR/l",
            r"tic/gazole_non_routier\.yaml: metadata\.unit is 'EUR/l', expected 'EUR/hl'",
        ),
        (
            "gpl.yaml",
            "2019-01-01:",
            '"2019-01-01":',
            r"tic/gpl\.yaml: key '2019-01-01' of values is not a date",
        ),
        (
            "gpl.yaml",
            "2019-01-01:",
            "2019:",
            r"tic/gpl\.yaml: key 2019 of values is not a date",
        ),
        (
            "gpl.yaml",
            "2019-01-01:",
            "2018-04-01:",
            r"tic/gpl\.yaml: not valid YAML: .*2018-04-01.* given twice",
        ),
        (
            "avance.yaml",
            'value: "0.50"',
            'value: "50"',
            r"tic/avance\.yaml, 2024-01-01: a share must be in \]0, 1\]",
        ),
        (
            DEPARTEMENTS,
            '"51", "59", "62"',
            '"51", 59, "62"',
            r"tic/departements_eligibles\.yaml, 2015-01-01: 59 is not a metropolitan",
        ),
        (
            DEPARTEMENTS,
            '"51", "59", "62"',
            '"51", "971", "62"',
            r"departements_eligibles\.yaml, 2015-01-01: '971' is not a metropolitan",
        ),
        (
            DEPARTEMENTS,
            "value: METROPOLE",
            "value: FRANCE",
            r"departements_eligibles\.yaml, 2018-01-01: value must be METROPOLE or a list",
        ),
        (
            AVANCE,
            "metadata:",
            "meta:",
            r"tic/avance\.yaml: expected exactly the keys description, metadata and values",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_it(
    tmp_path: Path, nom: str, avant: str, apres: str, message: str
) -> None:
    dossier = _copie(tmp_path)
    _remplace(dossier, nom, avant, apres)
    with pytest.raises(ValueError, match=message):
        BaremeTicDuPaquet(dossier).bareme()


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    dossier = _copie(tmp_path)
    (dossier / fichier_des_taux(GNV)).unlink()
    with pytest.raises(ValueError, match=r"tic/gaz_naturel_carburant\.yaml: file missing"):
        BaremeTicDuPaquet(dossier).bareme()
