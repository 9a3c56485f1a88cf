"""SIRET/SIREN, IBAN/BIC, email and the département of a postal code."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chorus.domain.errors import ValidationError
from chorus.domain.identifiants import (
    departement_du_code_postal,
    valider_bic,
    valider_email,
    valider_iban,
    valider_siren,
    valider_siret,
    valider_tva_intracommunautaire,
)


def _cle_luhn(chiffres: str) -> str:
    """The digit that makes `chiffres` + digit pass the Luhn check (written here, not taken
    from the library under test)."""
    total = 0
    for rang, c in enumerate(reversed(chiffres)):
        n = int(c)
        if rang % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def _luhn_valide(numero: str) -> bool:
    return _cle_luhn(numero[:-1]) == numero[-1]


# -- SIRET ---------------------------------------------------------------------------------


def test_siret_valide_accepte() -> None:
    assert valider_siret("73282932000074") == "73282932000074"


@pytest.mark.parametrize(
    "saisi", ["732 829 320 00074", " 73282932000074 ", "732.829.320.00074", "732-829-320-00074"]
)
def test_siret_normalise_sans_separateurs(saisi: str) -> None:
    assert valider_siret(saisi) == "73282932000074"


def test_siret_cle_fausse_refusee_avec_son_champ() -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_siret("73282932000075", champ="identifiant")
    assert erreur.value.champ == "identifiant"
    assert "clé" in erreur.value.message


@pytest.mark.parametrize("saisi", ["7328293200007", "732829320000744", "7328293200007A", ""])
def test_siret_longueur_ou_caracteres_refuses(saisi: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_siret(saisi, champ="siret")
    assert erreur.value.champ == "siret"


@pytest.mark.parametrize(
    "siret",
    [
        "35600000049837",  # an establishment of La Poste: not Luhn, sum of digits ÷ 5
        "35600000000048",  # La Poste's head office: a plain Luhn number
    ],
)
def test_siret_la_poste_accepte(siret: str) -> None:
    assert valider_siret(siret) == siret


def test_siret_la_poste_accepte_bien_que_non_luhn() -> None:
    assert not _luhn_valide("35600000049837")
    assert valider_siret("356 000 000 49837") == "35600000049837"


@pytest.mark.parametrize("siret", ["35600000049838", "35600000049836"])
def test_siret_la_poste_somme_non_multiple_de_5_refuse(siret: str) -> None:
    assert sum(int(c) for c in siret) % 5 != 0
    with pytest.raises(ValidationError):
        valider_siret(siret)


_CHIFFRES = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def sirets_valides(draw: st.DrawFn) -> str:
    siren = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    siren += _cle_luhn(siren)
    nic = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    siret = siren + nic
    siret += _cle_luhn(siret)
    assume(not siret.startswith("356000000"))
    return siret


@settings(max_examples=60)
@given(sirets_valides())
def test_tout_siret_luhn_est_accepte(siret: str) -> None:
    espace = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    assert valider_siret(espace) == siret


@settings(max_examples=60)
@given(sirets_valides(), st.integers(0, 13), st.integers(1, 9))
def test_un_chiffre_change_rend_le_siret_invalide(siret: str, position: int, delta: int) -> None:
    chiffre = str((int(siret[position]) + delta) % 10)
    faux = siret[:position] + chiffre + siret[position + 1 :]
    assume(not faux.startswith("356000000"))
    with pytest.raises(ValidationError):
        valider_siret(faux)


@settings(max_examples=80)
@given(st.text(max_size=20))
def test_un_siret_quelconque_est_accepte_ou_refuse_proprement(saisi: str) -> None:
    resultat: str | None = None
    champ: str | None = None
    try:
        resultat = valider_siret(saisi)
    except ValidationError as erreur:
        champ = erreur.champ
    if resultat is None:
        assert champ == "identifiant"
    else:
        assert len(resultat) == 14
        assert all(c in "0123456789" for c in resultat)


# -- SIREN ---------------------------------------------------------------------------------


@pytest.mark.parametrize("siren", ["732829320", "732 829 320", "356000000"])
def test_siren_valide(siren: str) -> None:
    assert valider_siren(siren) == siren.replace(" ", "")


@pytest.mark.parametrize("siren", ["732829321", "73282932", "7328293200", "ABCDEFGHI"])
def test_siren_invalide_refuse(siren: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_siren(siren)
    assert erreur.value.champ == "siren"


# -- IBAN / BIC ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("FR7630006000011234567890189", "FR7630006000011234567890189"),
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ],
)
def test_iban_valide_normalise(saisi: str, attendu: str) -> None:
    assert valider_iban(saisi) == attendu


@pytest.mark.parametrize(
    "saisi",
    [
        "FR7630006000011234567890188",  # wrong key
        "FR763000600001123456789018",  # too short
        "XX7630006000011234567890189",  # unknown country
        "",
    ],
)
def test_iban_invalide_refuse(saisi: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_iban(saisi)
    assert erreur.value.champ == "iban"


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [("AGRIFRPP882", "AGRIFRPP882"), ("agrifrpp", "AGRIFRPP"), ("BNPA FR PP XXX", "BNPAFRPPXXX")],
)
def test_bic_valide(saisi: str, attendu: str) -> None:
    assert valider_bic(saisi) == attendu


@pytest.mark.parametrize("saisi", ["AGRI", "AGRIFRPP88", "AGRIFRPP8822", "1234FRPP"])
def test_bic_invalide_refuse(saisi: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_bic(saisi)
    assert erreur.value.champ == "bic"


def test_tva_intracommunautaire() -> None:
    assert valider_tva_intracommunautaire("BE 0403.170.701") == "BE0403170701"
    with pytest.raises(ValidationError) as erreur:
        valider_tva_intracommunautaire("BE0403170702")
    assert erreur.value.champ == "identifiant"


# -- email ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("Jean.Dupont@Example.FR", "jean.dupont@example.fr"),
        ("  expert+tj@cabinet-durand.fr  ", "expert+tj@cabinet-durand.fr"),
        ("a@b.co", "a@b.co"),
    ],
)
def test_email_valide_en_minuscules(saisi: str, attendu: str) -> None:
    assert valider_email(saisi) == attendu


@pytest.mark.parametrize(
    "saisi",
    [
        "jean",
        "jean@",
        "@example.fr",
        "jean@example",
        "jean..dupont@example.fr",
        "jean dupont@example.fr",
        "jean@exa mple.fr",
        "jean@-example.fr",
        "",
        "a" * 250 + "@b.fr",
    ],
)
def test_email_invalide_refuse(saisi: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        valider_email(saisi, champ="courriel")
    assert erreur.value.champ == "courriel"


# -- département ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code_postal", "departement"),
    [
        ("75011", "75"),
        ("02100", "02"),
        ("01000", "01"),
        ("69001", "69"),
        ("20000", "2A"),
        ("20090", "2A"),
        ("20167", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("20620", "2B"),
        ("97100", "971"),
        ("97200", "972"),
        ("97300", "973"),
        ("97400", "974"),
        ("97500", "975"),
        ("97600", "976"),
        ("98800", "988"),
        (" 75011 ", "75"),
    ],
)
def test_departement_du_code_postal(code_postal: str, departement: str) -> None:
    assert departement_du_code_postal(code_postal) == departement


@pytest.mark.parametrize(
    "code_postal",
    [
        "20700",  # no Corsican code after 206
        "98000",  # Monaco
        "97700",
        "7501",
        "750111",
        "ABCDE",
        "",
        "00100",
        "99000",
        "75 011",
    ],
)
def test_code_postal_invalide_refuse(code_postal: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        departement_du_code_postal(code_postal, champ="adresse.code_postal")
    assert erreur.value.champ == "adresse.code_postal"


@pytest.mark.parametrize(
    "code_postal",
    [
        "٧٥٠١١",  # 75011 in Arabic-Indic digits
        "７５０１１",  # 75011 in full-width digits
        "２０２００",  # 20200 in full-width digits
    ],
)
def test_code_postal_en_chiffres_non_ascii_refuse(code_postal: str) -> None:
    """A French postal code is five ASCII digits; other Unicode digits are no postal code
    (and would give a département nobody knows, such as « ７５ »)."""
    with pytest.raises(ValidationError):
        departement_du_code_postal(code_postal)


@settings(max_examples=150)
@given(st.integers(0, 99999).map(lambda n: f"{n:05d}"))
def test_departement_toujours_connu_ou_refuse(code_postal: str) -> None:
    champ: str | None = None
    try:
        departement = departement_du_code_postal(code_postal)
    except ValidationError as erreur:
        champ = erreur.champ
    if champ is not None:
        assert champ == "code_postal"
        return
    if code_postal.startswith("20"):
        assert departement in ("2A", "2B")
    elif code_postal[:2] in ("97", "98"):
        assert departement == code_postal[:3]
    else:
        assert departement == code_postal[:2]
