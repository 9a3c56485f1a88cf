"""The référentiels shipped in `chorus.data`, read through `ReferentielsDuPaquet`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import pytest

from chorus.adapters.referentiels.donnees_paquet import (
    JURIDICTIONS,
    TYPES_PRESTATION,
    ReferentielsDuPaquet,
)
from chorus.domain.referentiels import TypeJuridiction
from chorus.ports.referentiels import Referentiels

DATA_FILES = (
    "juridictions.csv",
    "types_prestation.csv",
    "autorites_requerantes.csv",
    "categories_prestataire.csv",
    "textes_reference.csv",
)


@pytest.fixture(scope="module")
def referentiels() -> ReferentielsDuPaquet:
    return ReferentielsDuPaquet()


def test_satisfies_the_port(referentiels: ReferentielsDuPaquet) -> None:
    port: Referentiels = referentiels
    assert port.juridictions()


def test_lists_the_205_juridictions_ordered_by_code(referentiels: ReferentielsDuPaquet) -> None:
    codes = [j.code for j in referentiels.juridictions()]
    assert len(codes) == 205
    assert codes == sorted(codes)


def test_counts_juridictions_by_type(referentiels: ReferentielsDuPaquet) -> None:
    counts = Counter(j.type for j in referentiels.juridictions())
    assert counts == {
        TypeJuridiction.CA: 36,
        TypeJuridiction.TSA: 1,
        TypeJuridiction.TJ: 164,
        TypeJuridiction.TPI: 4,
    }


def test_finds_bourg_en_bresse(referentiels: ReferentielsDuPaquet) -> None:
    tj = referentiels.juridiction("TJ-01053")
    assert tj is not None
    assert tj.type is TypeJuridiction.TJ
    assert tj.nom == "Tribunal judiciaire de Bourg-en-Bresse"
    assert tj.libelle == tj.nom
    assert tj.departement == "01"
    assert tj.cour_appel_code == "CA-LYON"
    assert tj.commune_siege_insee == "01053"


def test_appellate_courts_have_no_cour_appel(referentiels: ReferentielsDuPaquet) -> None:
    appellate = [
        j
        for j in referentiels.juridictions()
        if j.type in (TypeJuridiction.CA, TypeJuridiction.TSA)
    ]
    assert len(appellate) == 37
    assert all(j.cour_appel_code is None for j in appellate)


def test_first_instance_courts_point_to_an_appellate_court(
    referentiels: ReferentielsDuPaquet,
) -> None:
    for juridiction in referentiels.juridictions():
        if juridiction.type in (TypeJuridiction.TJ, TypeJuridiction.TPI):
            assert juridiction.cour_appel_code is not None
            cour = referentiels.juridiction(juridiction.cour_appel_code)
            assert cour is not None, juridiction.code
            assert cour.type in (TypeJuridiction.CA, TypeJuridiction.TSA)


def test_saint_pierre_depends_on_the_tsa(referentiels: ReferentielsDuPaquet) -> None:
    tpi = referentiels.juridiction("TPI-97502")
    assert tpi is not None
    assert tpi.cour_appel_code == "TSA-SAINT-PIERRE"


def test_corsica_2a_is_kept_as_text(referentiels: ReferentielsDuPaquet) -> None:
    in_2a = [j for j in referentiels.juridictions() if j.departement == "2A"]
    assert in_2a
    ajaccio = referentiels.juridiction("TJ-2A004")
    assert ajaccio is not None
    assert ajaccio.departement == "2A"
    assert ajaccio.commune_siege_insee == "2A004"


def _assert_unique(codes: Sequence[str]) -> None:
    assert codes
    assert len(set(codes)) == len(codes)


def test_codes_are_unique_in_every_list(referentiels: ReferentielsDuPaquet) -> None:
    _assert_unique([j.code for j in referentiels.juridictions()])
    _assert_unique([t.code for t in referentiels.types_prestation()])
    _assert_unique([e.code for e in referentiels.autorites_requerantes()])
    _assert_unique([e.code for e in referentiels.categories_prestataire()])
    _assert_unique([e.code for e in referentiels.textes_reference()])


def test_types_prestation_refer_to_known_categories_and_textes(
    referentiels: ReferentielsDuPaquet,
) -> None:
    categories = {e.code for e in referentiels.categories_prestataire()}
    textes = {e.code for e in referentiels.textes_reference()}
    for type_prestation in referentiels.types_prestation():
        assert type_prestation.categorie_prestataire in categories, type_prestation.code
        assert type_prestation.texte_reference in textes, type_prestation.code
        assert type_prestation.unite, type_prestation.code


def test_codes_other_modules_rely_on(referentiels: ReferentielsDuPaquet) -> None:
    categories = {e.code for e in referentiels.categories_prestataire()}
    assert categories >= {
        "INTERPRETE_TRADUCTEUR",
        "EXPERT_MEDICAL",
        "PSYCHIATRE",
        "PSYCHOLOGUE",
        "ENQUETEUR_SOCIAL",
        "ENQUETEUR_PERSONNALITE",
        "DELEGUE_MEDIATEUR_PROCUREUR",
        "LABORATOIRE",
        "GARDIEN_SCELLES",
        "DEPANNEUR",
        "OPERATEUR_TELECOM",
        "COMMISSAIRE_DE_JUSTICE",
        "ADMINISTRATEUR_AD_HOC",
        "EXPERT",
        "AUTRE",
    }
    autorites = {e.code for e in referentiels.autorites_requerantes()}
    assert autorites >= {
        "OFFICIER_POLICE_JUDICIAIRE",
        "PROCUREUR_REPUBLIQUE",
        "JUGE_INSTRUCTION",
        "JUGE_ENFANTS",
    }
    expected = {
        "INTERPRETARIAT_HEURE_JOUR": ("INTERPRETE_TRADUCTEUR", "A.43-7", "heure"),
        "TRADUCTION_PAGE": ("INTERPRETE_TRADUCTEUR", "A.43-7", "page"),
        "EXPERTISE_PSYCHIATRIQUE": ("PSYCHIATRE", "A.43-6", "acte"),
        "ENQUETE_SOCIALE": ("ENQUETEUR_SOCIAL", "A.43-12", "mesure"),
        "GARDE_SCELLES_VEHICULE": ("GARDIEN_SCELLES", "R.147", "jour"),
    }
    for code, (categorie, texte, unite) in expected.items():
        type_prestation = referentiels.type_prestation(code)
        assert type_prestation is not None, code
        assert (
            type_prestation.categorie_prestataire,
            type_prestation.texte_reference,
            type_prestation.unite,
        ) == (categorie, texte, unite)


def test_textes_reference_are_cpp_articles(referentiels: ReferentielsDuPaquet) -> None:
    texte = next(e for e in referentiels.textes_reference() if e.code == "R.92")
    assert texte.libelle.startswith("Article R.92 du code de procédure pénale – ")


def test_other_lists_keep_file_order(referentiels: ReferentielsDuPaquet) -> None:
    assert referentiels.types_prestation()[0].code == "INTERPRETARIAT_HEURE_JOUR"
    assert referentiels.categories_prestataire()[0].code == "INTERPRETE_TRADUCTEUR"
    assert referentiels.textes_reference()[0].code == "R.92"


def test_unknown_codes_give_none(referentiels: ReferentielsDuPaquet) -> None:
    assert referentiels.juridiction("TJ-99999") is None
    assert referentiels.juridiction("") is None
    assert referentiels.type_prestation("PRESTATION_INCONNUE") is None


def _copy_data(destination: Path) -> Path:
    for name in DATA_FILES:
        text = files("chorus.data").joinpath(name).read_text(encoding="utf-8")
        (destination / name).write_text(text, encoding="utf-8")
    return destination


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copy_of_the_package_data_loads(tmp_path: Path) -> None:
    referentiels = ReferentielsDuPaquet(_copy_data(tmp_path))
    assert len(referentiels.juridictions()) == 205


def test_rejects_an_unknown_categorie(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace_in(data / TYPES_PRESTATION, ",INTERPRETE_TRADUCTEUR,A.43-7,", ",INCONNUE,A.43-7,")
    with pytest.raises(RuntimeError, match=r"types_prestation\.csv, line 2 .*'INCONNUE'"):
        ReferentielsDuPaquet(data)


def test_rejects_an_unknown_texte(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace_in(
        data / TYPES_PRESTATION, ",INTERPRETE_TRADUCTEUR,A.43-7,", ",INTERPRETE_TRADUCTEUR,Z.1,"
    )
    with pytest.raises(RuntimeError, match=r"types_prestation\.csv, line 2 .*'Z\.1'"):
        ReferentielsDuPaquet(data)


def test_rejects_an_unknown_cour_appel(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace_in(data / JURIDICTIONS, ",01,CA-LYON,01053", ",01,CA-NULLE-PART,01053")
    with pytest.raises(RuntimeError, match=r"juridictions\.csv, line \d+ .*'CA-NULLE-PART'"):
        ReferentielsDuPaquet(data)


def test_rejects_a_duplicate_code(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _replace_in(data / "autorites_requerantes.csv", "JUGE_ENFANTS,", "JUGE_INSTRUCTION,")
    with pytest.raises(
        RuntimeError, match=r"autorites_requerantes\.csv, line \d+ .*'JUGE_INSTRUCTION'"
    ):
        ReferentielsDuPaquet(data)
