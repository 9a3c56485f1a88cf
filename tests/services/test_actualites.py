"""Use cases of the actualités, on memory and on SQLite: publication by administrators only,
dated by the clock; public reading, newest first, a page at a time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.bootstrap import Chorus
from chorus.domain.errors import AccesRefuse, NonTrouve, ValidationError
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.services.actualites import AUTEUR_EXPLOITATION
from tests.monde import MAINTENANT, construire_chorus


@pytest.fixture(params=["memoire", "sqlite"], ids=lambda s: f"stockage={s}")
def chorus(request: pytest.FixtureRequest, tmp_path: Path) -> Chorus:
    uow = UniteDeTravailSqlite(tmp_path / "chorus.db") if request.param == "sqlite" else None
    return construire_chorus(uow)


def _agent(chorus: Chorus, role: RoleAgent, email: str) -> Utilisateur:
    return chorus.utilisateurs.creer_agent(
        email=email,
        nom="Roux",
        prenom="Isabelle",
        role=role,
        juridictions=("TJ-69123",) if role is RoleAgent.AGENT_JURIDICTION else (),
    )


@pytest.fixture
def admin(chorus: Chorus) -> Utilisateur:
    return _agent(chorus, RoleAgent.ADMINISTRATEUR, "admin@exemple.fr")


def _horloge(chorus: Chorus) -> HorlogeFixe:
    horloge = chorus.ports.clock
    assert isinstance(horloge, HorlogeFixe)
    return horloge


def test_un_administrateur_publie_une_actualite_datee_de_maintenant(
    chorus: Chorus, admin: Utilisateur
) -> None:
    publiee = chorus.actualites.publier(
        admin.id, "  Maintenance du portail  ", "Le portail sera **indisponible** samedi.\r\n"
    )
    assert publiee.titre == "Maintenance du portail"
    assert publiee.corps == "Le portail sera **indisponible** samedi."
    assert publiee.date_publication == MAINTENANT
    assert publiee.auteur == "Isabelle Roux"
    assert chorus.actualites.obtenir(publiee.id) == publiee
    assert chorus.actualites.lister().elements == (publiee,)


@pytest.mark.parametrize(
    "role", [r for r in RoleAgent if r is not RoleAgent.ADMINISTRATEUR], ids=lambda r: r.value
)
def test_un_autre_agent_ne_publie_rien(chorus: Chorus, role: RoleAgent) -> None:
    agent = _agent(chorus, role, "agent@exemple.fr")
    with pytest.raises(AccesRefuse) as refus:
        chorus.actualites.publier(agent.id, "Titre", "Corps")
    assert "administrateurs" in refus.value.message
    assert chorus.actualites.lister().total == 0


def test_un_prestataire_ne_publie_rien_meme_avec_une_saisie_invalide(chorus: Chorus) -> None:
    prestataire = chorus.utilisateurs.creer_compte(
        email="paul@exemple.fr", nom="Durand", prenom="Paul", actif=True
    )
    # The habilitation comes first: a refusal on the field would tell nothing anyway.
    with pytest.raises(AccesRefuse):
        chorus.actualites.publier(prestataire.id, "", "")
    assert chorus.actualites.lister().total == 0


@pytest.mark.parametrize(
    ("titre", "corps", "champ", "extrait"),
    [
        ("", "Corps", "titre", "obligatoire"),
        ("   ", "Corps", "titre", "obligatoire"),
        ("x" * 201, "Corps", "titre", "200 caractères"),
        ("Deux\nlignes", "Corps", "titre", "une seule ligne"),
        (None, "Corps", "titre", "obligatoire"),
        (12, "Corps", "titre", "texte"),
        ("Titre", "", "corps", "obligatoire"),
        ("Titre", " \n\t ", "corps", "obligatoire"),
        ("Titre", "x" * 20_001, "corps", "20000 caractères"),
        ("Titre", "bip\x07", "corps", "contrôle"),
        ("Titre", ["liste"], "corps", "texte"),
    ],
)
def test_une_saisie_invalide_est_refusee_en_nommant_le_champ(
    chorus: Chorus, admin: Utilisateur, titre: object, corps: object, champ: str, extrait: str
) -> None:
    with pytest.raises(ValidationError) as refus:
        chorus.actualites.publier(admin.id, titre, corps)
    assert refus.value.champ == champ
    assert extrait in refus.value.message
    assert chorus.actualites.lister().total == 0


def test_les_limites_exactes_sont_acceptees(chorus: Chorus, admin: Utilisateur) -> None:
    publiee = chorus.actualites.publier(admin.id, "t" * 200, "c" * 20_000)
    assert (len(publiee.titre), len(publiee.corps)) == (200, 20_000)


def test_la_liste_est_publique_paginee_et_la_plus_recente_d_abord(
    chorus: Chorus, admin: Utilisateur
) -> None:
    horloge = _horloge(chorus)
    titres = [f"Actualité {n}" for n in range(5)]
    for titre in titres:
        chorus.actualites.publier(admin.id, titre, f"Corps de {titre}")
        horloge.avancer(timedelta(hours=1))
    premiere = chorus.actualites.lister(1, 2)
    assert [a.titre for a in premiere.elements] == ["Actualité 4", "Actualité 3"]
    assert (premiere.total, premiere.page, premiere.par_page) == (5, 1, 2)
    assert [a.titre for a in chorus.actualites.lister(3, 2).elements] == ["Actualité 0"]
    assert [a.titre for a in chorus.actualites.recentes()] == [
        "Actualité 4",
        "Actualité 3",
        "Actualité 2",
    ]


@pytest.mark.parametrize(
    ("page", "par_page", "champ"), [(0, 10, "page"), (1, 0, "par_page"), (1, 501, "par_page")]
)
def test_une_pagination_hors_limites_est_refusee(
    chorus: Chorus, page: int, par_page: int, champ: str
) -> None:
    with pytest.raises(ValidationError) as refus:
        chorus.actualites.lister(page, par_page)
    assert refus.value.champ == champ


def test_une_actualite_inconnue_est_introuvable(chorus: Chorus) -> None:
    with pytest.raises(NonTrouve):
        chorus.actualites.obtenir("inconnue")


def test_la_console_publie_au_nom_de_l_equipe(chorus: Chorus) -> None:
    publiee = chorus.actualites.publier_en_exploitation("Titre", "Corps")
    assert publiee.auteur == AUTEUR_EXPLOITATION
    assert publiee.date_publication == MAINTENANT
    with pytest.raises(ValidationError) as refus:
        chorus.actualites.publier_en_exploitation("Titre", "")
    assert refus.value.champ == "corps"
    assert chorus.actualites.lister().total == 1
