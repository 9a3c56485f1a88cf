"""The cycle-de-vie feed's rules: the opaque cursor, the page size, the opt-in of a
structure and the page's next cursor."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import attrs
import pytest

from chorus.domain.activite import EvenementActivite, TypeObjet
from chorus.domain.cycle_de_vie import (
    LIMITE_MAXIMUM,
    curseur,
    exiger_abonnement,
    page,
    rang_du_curseur,
    valider_limite,
)
from chorus.domain.errors import Conflit, ValidationError
from chorus.domain.organisation import Application, Regime
from tests.unit.fabrique import structure


def _b64(texte: str) -> str:
    return base64.urlsafe_b64encode(texte.encode()).decode().rstrip("=")


def evenement(rang: int | None) -> EvenementActivite:
    return EvenementActivite(
        id=f"m-1-{rang or 0:04d}",
        structure_id="s-1",
        application=Application.FRAIS_DE_JUSTICE,
        service_id=None,
        type_objet=TypeObjet.MEMOIRE,
        objet_id="m-1",
        numero="MJ00000000001",
        statut="ENVOYE",
        libelle_statut="Envoyé",
        date=datetime(2024, 6, 14, 10, tzinfo=UTC),
        rang=rang,
    )


@pytest.mark.parametrize("rang", [0, 1, 42, 10**12])
def test_un_curseur_redonne_son_rang(rang: int) -> None:
    texte = curseur("s-1", rang)
    assert texte.isascii()
    assert " " not in texte
    assert "=" not in texte
    assert rang_du_curseur("s-1", texte) == rang
    assert rang_du_curseur("s-1", f"  {texte} ") == rang


@pytest.mark.parametrize("vide", [None, "", "   "])
def test_sans_curseur_le_fil_part_du_debut(vide: str | None) -> None:
    assert rang_du_curseur("s-1", vide) == 0


@pytest.mark.parametrize(
    "valeur",
    [
        "12",  # base64 of nothing meaningful
        "n'importe quoi",
        "a" * 401,
        _b64("cdv1:-3:s-1"),
        _b64("cdv1:douze:s-1"),
        _b64("cdv2:3:s-1"),
        _b64("cdv1:3"),
        "%%%",
        "\u00e9t\u00e9",
    ],
)
def test_un_curseur_mal_forme_est_refuse_en_nommant_apres(valeur: str) -> None:
    with pytest.raises(ValidationError) as refus:
        rang_du_curseur("s-1", valeur)
    assert refus.value.champ == "apres"
    assert "curseur" in refus.value.message


def test_le_curseur_d_une_autre_structure_est_refuse() -> None:
    with pytest.raises(ValidationError) as refus:
        rang_du_curseur("s-2", curseur("s-1", 5))
    assert refus.value.champ == "apres"
    assert "autre structure" in refus.value.message


@pytest.mark.parametrize("limite", [0, -1, LIMITE_MAXIMUM + 1])
def test_la_limite_est_bornee(limite: int) -> None:
    with pytest.raises(ValidationError) as refus:
        valider_limite(limite)
    assert refus.value.champ == "limite"
    assert valider_limite(1) == 1
    assert valider_limite(LIMITE_MAXIMUM) == LIMITE_MAXIMUM


def test_la_page_donne_le_curseur_du_dernier_evenement_ou_garde_celui_recu() -> None:
    vide = page("s-1", 7, ())
    assert vide.vide
    assert rang_du_curseur("s-1", vide.curseur) == 7
    pleine = page("s-1", 7, (evenement(8), evenement(11)))
    assert rang_du_curseur("s-1", pleine.curseur) == 11
    assert [rang_du_curseur("s-1", pleine.curseur_de(e)) for e in pleine.evenements] == [8, 11]


def test_le_rang_n_entre_pas_dans_l_egalite_d_un_evenement() -> None:
    # Written without a rank, read back with the one the store gave: the same event.
    assert evenement(None) == attrs.evolve(evenement(None), rang=12)


def test_l_option_demande_l_espace_frais_de_justice() -> None:
    sans_espace = structure()
    assert not sans_espace.recoit_cycles_de_vie
    with pytest.raises(Conflit) as refus:
        sans_espace.definir_cycles_de_vie(True)
    assert refus.value.champ == "recevoir_cycles_de_vie"
    assert "espace Frais de justice" in refus.value.message
    # Turning off what was never on changes nothing.
    assert sans_espace.definir_cycles_de_vie(False) == sans_espace


def test_l_option_s_active_se_coupe_et_survit_a_l_espace() -> None:
    avec_espace = structure().definir_espace_frais_de_justice("PSYCHIATRE", None)
    assert not avec_espace.recoit_cycles_de_vie
    active = avec_espace.definir_cycles_de_vie(True)
    assert active.recoit_cycles_de_vie
    # Saving the espace's form keeps the option.
    modifiee = active.definir_espace_frais_de_justice("INTERPRETE", Regime.INDEPENDANT)
    assert modifiee.recoit_cycles_de_vie
    assert modifiee.espace_frais_de_justice is not None
    assert modifiee.espace_frais_de_justice.categorie_prestataire == "INTERPRETE"
    assert not modifiee.definir_cycles_de_vie(False).recoit_cycles_de_vie


def test_sans_l_option_le_fil_est_refuse_en_disant_comment_l_activer() -> None:
    avec_espace = structure().definir_espace_frais_de_justice(None, None)
    with pytest.raises(Conflit) as refus:
        exiger_abonnement(avec_espace)
    assert "« Recevoir les cycles de vie »" in refus.value.message
    assert f"/structures/{avec_espace.id}" in refus.value.message
    exiger_abonnement(avec_espace.definir_cycles_de_vie(True))
