"""Accounts and sessions through the HTTP API: captcha, sign-up, activation, forgotten
password, login with lock-out, logout, and the user's own profile."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.securite.secrets_systeme import SecretsDuSysteme
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.adapters.web import ReglagesWeb, creer_app
from chorus.bootstrap import Chorus, assembler
from chorus.domain.organisation import Profil
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import RenduSommaire
from tests.web.aides import (
    MOT_DE_PASSE,
    QUESTION,
    REPONSE,
    champs_en_erreur,
    connecter,
    creer_compte_actif,
    entetes_de,
    exiger_probleme,
    jeton_du_courriel,
    rattacher,
    structure_prete,
)
from tests.web.conftest import BASE_URL, MAINTENANT, Banc, services_web

Client = TestClient[Litestar]

EMAIL = "claire.martin@exemple.fr"


def inscription(**changements: Any) -> dict[str, Any]:
    corps: dict[str, Any] = {
        "email": EMAIL,
        "mot_de_passe": MOT_DE_PASSE,
        "nom": "Martin",
        "prenom": "Claire",
        "question_secrete": QUESTION,
        "reponse_secrete": REPONSE,
        "captcha_id": "sans-objet",
        "captcha_reponse": "sans-objet",
    }
    corps.update(changements)
    return corps


def inscrire_et_activer(client: Client, chorus: Chorus, email: str = EMAIL) -> None:
    assert client.post("/comptes", json=inscription(email=email)).status_code == 201
    reponse = client.post("/comptes/activation", json={"jeton": jeton_du_courriel(chorus, email)})
    assert reponse.status_code == 200, reponse.text


# -- captcha and sign-up --------------------------------------------------------------------


def test_le_captcha_est_une_image_png_a_usage_unique(client: Client) -> None:
    reponse = client.get("/captcha")

    assert reponse.status_code == 200
    corps = reponse.json()
    assert base64.b64decode(corps["image_png_base64"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert corps["expire_le"].startswith("2024-06-14T10:10:00")
    assert corps["id"] != client.get("/captcha").json()["id"]


def test_l_inscription_cree_un_compte_en_attente_et_envoie_le_lien(
    client: Client, chorus: Chorus
) -> None:
    reponse = client.post("/comptes", json=inscription(telephone="0102030405"))

    assert reponse.status_code == 201, reponse.text
    corps = reponse.json()
    assert corps == {"id": corps["id"], "email": EMAIL, "statut": "EN_ATTENTE_ACTIVATION"}
    assert jeton_du_courriel(chorus, EMAIL)
    # Not active yet: no login.
    refus = client.post("/sessions", json={"email": EMAIL, "mot_de_passe": MOT_DE_PASSE})
    exiger_probleme(refus, 401)


def test_une_adresse_deja_inscrite_est_un_conflit(client: Client) -> None:
    assert client.post("/comptes", json=inscription()).status_code == 201

    corps = exiger_probleme(client.post("/comptes", json=inscription()), 409)

    assert champs_en_erreur(corps) == ["email"]


@pytest.mark.parametrize(
    ("changement", "champ"),
    [
        ({"mot_de_passe": "court"}, "mot_de_passe"),
        ({"mot_de_passe": "toutenminuscules"}, "mot_de_passe"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"nom": "   "}, "nom"),
        ({"question_secrete": ""}, "question_secrete"),
    ],
)
def test_une_inscription_invalide_est_refusee_en_nommant_le_champ(
    client: Client, chorus: Chorus, changement: dict[str, str], champ: str
) -> None:
    corps = exiger_probleme(client.post("/comptes", json=inscription(**changement)), 422)

    assert champ in champs_en_erreur(corps)
    with chorus.ports.uow as uow:
        assert uow.utilisateurs.par_email(EMAIL) is None


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({k: v for k, v in inscription().items() if k != "nom"}, "nom"),
        (inscription(inconnu="x"), "inconnu"),
        (inscription(nom=12), "nom"),
        (inscription(telephone=["0102"]), "telephone"),
    ],
)
def test_une_inscription_mal_formee_est_une_requete_invalide(
    client: Client, corps: dict[str, Any], champ: str
) -> None:
    probleme = exiger_probleme(client.post("/comptes", json=corps), 400)

    assert champs_en_erreur(probleme) == [champ]
    assert champ in probleme["detail"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    corps=st.dictionaries(
        st.sampled_from([*inscription(), "autre"]),
        st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.lists(st.none()),
    )
)
def test_aucun_corps_d_inscription_ne_provoque_d_erreur_interne(
    client: Client, corps: dict[str, Any]
) -> None:
    reponse = client.post("/comptes", json=corps)

    assert reponse.status_code in (201, 400, 409, 422), reponse.text
    if reponse.status_code != 201:
        probleme = exiger_probleme(reponse, reponse.status_code)
        assert champs_en_erreur(probleme)


class SecretsConnus(SecretsDuSysteme):
    """Captchas that always show the same code, so that a test can solve them."""

    def code_captcha(self) -> str:
        return "KXT7PM"


@pytest.fixture
def client_avec_captcha() -> Iterator[Client]:
    chorus = assembler(
        Ports(
            uow=UniteDeTravailEnMemoire(),
            clock=HorlogeFixe(MAINTENANT),
            ids=IdsSequentiels(),
            blobs=BlobsEnMemoire(),
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=RenduSommaire(),
        ),
        reglages=ReglagesComptes(captcha_actif=True),
        hacheur=HacheurArgon2id(memoire_kib=64, passes=1),
        secrets=SecretsConnus(),
    )
    app = creer_app(services_web(chorus), ReglagesWeb(limite_comptes=("minute", 1000)))
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


def test_le_captcha_protege_l_inscription(client_avec_captcha: Client) -> None:
    client = client_avec_captcha
    captcha = client.get("/captcha").json()

    faux = client.post("/comptes", json=inscription(captcha_id=captcha["id"], captcha_reponse="X"))
    assert champs_en_erreur(exiger_probleme(faux, 422)) == ["captcha_reponse"]
    # One image, one guess: the right answer no longer works on the same captcha.
    brule = client.post(
        "/comptes", json=inscription(captcha_id=captcha["id"], captcha_reponse="KXT7PM")
    )
    exiger_probleme(brule, 422)

    nouveau = client.get("/captcha").json()
    juste = client.post(
        "/comptes", json=inscription(captcha_id=nouveau["id"], captcha_reponse="kxt7pm")
    )
    assert juste.status_code == 201, juste.text


# -- activation -----------------------------------------------------------------------------


def test_l_activation_rend_le_compte_actif_une_seule_fois(client: Client, chorus: Chorus) -> None:
    client.post("/comptes", json=inscription())
    jeton = jeton_du_courriel(chorus, EMAIL)

    reponse = client.post("/comptes/activation", json={"jeton": jeton})

    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ACTIF"}
    assert connecter(client, EMAIL)
    exiger_probleme(client.post("/comptes/activation", json={"jeton": jeton}), 410)


def test_un_lien_d_activation_expire_apres_une_heure(
    client: Client, chorus: Chorus, horloge: HorlogeFixe
) -> None:
    client.post("/comptes", json=inscription())
    horloge.avancer(timedelta(minutes=61))

    corps = exiger_probleme(
        client.post("/comptes/activation", json={"jeton": jeton_du_courriel(chorus, EMAIL)}), 410
    )

    assert "expiré" in corps["detail"]


def test_un_lien_inconnu_est_perime(client: Client) -> None:
    exiger_probleme(client.post("/comptes/activation", json={"jeton": "inconnu"}), 410)


# -- sessions -------------------------------------------------------------------------------


def test_la_connexion_donne_un_jeton_porteur(client: Client, chorus: Chorus) -> None:
    inscrire_et_activer(client, chorus)

    reponse = client.post("/sessions", json={"email": EMAIL, "mot_de_passe": MOT_DE_PASSE})

    assert reponse.status_code == 201
    corps = reponse.json()
    assert corps["expire_le"].startswith("2024-06-14T18:00:00")
    moi = client.get("/moi", headers=entetes_de(corps["jeton"]))
    assert moi.status_code == 200
    assert moi.json()["email"] == EMAIL


def test_un_mauvais_mot_de_passe_est_refuse_sans_dire_pourquoi(
    client: Client, chorus: Chorus
) -> None:
    inscrire_et_activer(client, chorus)

    mauvais = client.post("/sessions", json={"email": EMAIL, "mot_de_passe": "Faux-mot-2-passe"})
    inconnu = client.post(
        "/sessions", json={"email": "personne@exemple.fr", "mot_de_passe": MOT_DE_PASSE}
    )

    assert exiger_probleme(mauvais, 401)["detail"] == exiger_probleme(inconnu, 401)["detail"]
    assert mauvais.headers["www-authenticate"].startswith("Bearer")


def test_cinq_echecs_verrouillent_le_compte_une_heure(
    client: Client, chorus: Chorus, horloge: HorlogeFixe
) -> None:
    inscrire_et_activer(client, chorus)
    faux = {"email": EMAIL, "mot_de_passe": "Faux-mot-2-passe"}
    for _ in range(4):
        exiger_probleme(client.post("/sessions", json=faux), 401)

    verrou = client.post("/sessions", json=faux)

    exiger_probleme(verrou, 423)
    assert verrou.headers["retry-after"] == "3600"
    juste = {"email": EMAIL, "mot_de_passe": MOT_DE_PASSE}
    horloge.avancer(timedelta(minutes=30))
    encore = client.post("/sessions", json=juste)
    exiger_probleme(encore, 423)
    assert encore.headers["retry-after"] == "1800"
    horloge.avancer(timedelta(minutes=31))
    assert client.post("/sessions", json=juste).status_code == 201


def test_la_deconnexion_ferme_la_session(client: Client, chorus: Chorus) -> None:
    inscrire_et_activer(client, chorus)
    entetes = connecter(client, EMAIL)
    autre = connecter(client, EMAIL)

    reponse = client.delete("/sessions/courante", headers=entetes)

    assert reponse.status_code == 204
    exiger_probleme(client.get("/moi", headers=entetes), 401)
    assert client.get("/moi", headers=autre).status_code == 200


@pytest.mark.parametrize(
    "entetes",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer inconnu"},
        {"Authorization": "Bearer " + "x" * 600},
    ],
)
def test_sans_jeton_valide_pas_d_acces(client: Client, entetes: dict[str, str]) -> None:
    for reponse in (
        client.get("/moi", headers=entetes),
        client.patch("/moi", json={}, headers=entetes),
        client.delete("/sessions/courante", headers=entetes),
    ):
        exiger_probleme(reponse, 401)
        assert reponse.headers["www-authenticate"].startswith("Bearer")


def test_une_session_expire(client: Client, chorus: Chorus, horloge: HorlogeFixe) -> None:
    inscrire_et_activer(client, chorus)
    entetes = connecter(client, EMAIL)

    horloge.avancer(timedelta(hours=8, seconds=1))

    exiger_probleme(client.get("/moi", headers=entetes), 401)


# -- forgotten password ---------------------------------------------------------------------


def test_mot_de_passe_oublie_repond_pareil_que_l_adresse_existe_ou_non(
    client: Client, chorus: Chorus
) -> None:
    inscrire_et_activer(client, chorus)

    connu = client.post("/comptes/mot-de-passe-oublie", json={"email": EMAIL})
    inconnu = client.post("/comptes/mot-de-passe-oublie", json={"email": "x@exemple.fr"})

    assert connu.status_code == inconnu.status_code == 202
    assert connu.json() == inconnu.json()
    assert jeton_du_courriel(chorus, EMAIL, "reinitialisation")
    with chorus.ports.uow as uow:
        assert list(uow.courriels.pour_destinataire("x@exemple.fr")) == []


def test_la_reinitialisation_passe_par_la_question_secrete(client: Client, chorus: Chorus) -> None:
    inscrire_et_activer(client, chorus)
    ancienne = connecter(client, EMAIL)
    client.post("/comptes/mot-de-passe-oublie", json={"email": EMAIL})
    jeton = jeton_du_courriel(chorus, EMAIL, "reinitialisation")

    question = client.get("/comptes/reinitialisation/question", params={"jeton": jeton})
    assert question.status_code == 200
    assert question.json() == {"question_secrete": QUESTION}

    nouveau = "Nouveau-secret-42"
    faux = client.post(
        "/comptes/reinitialisation",
        json={"jeton": jeton, "reponse_secrete": "Rex", "nouveau_mot_de_passe": nouveau},
    )
    assert champs_en_erreur(exiger_probleme(faux, 422)) == ["reponse_secrete"]

    juste = client.post(
        "/comptes/reinitialisation",
        json={"jeton": jeton, "reponse_secrete": "  médor ", "nouveau_mot_de_passe": nouveau},
    )
    assert juste.status_code == 204, juste.text
    assert juste.content == b""
    exiger_probleme(client.get("/moi", headers=ancienne), 401)
    exiger_probleme(
        client.post("/sessions", json={"email": EMAIL, "mot_de_passe": MOT_DE_PASSE}), 401
    )
    assert connecter(client, EMAIL, nouveau)
    exiger_probleme(client.get("/comptes/reinitialisation/question", params={"jeton": jeton}), 410)


def test_la_question_secrete_demande_son_jeton(client: Client) -> None:
    corps = exiger_probleme(client.get("/comptes/reinitialisation/question"), 400)

    assert champs_en_erreur(corps) == ["jeton"]


# -- /moi -----------------------------------------------------------------------------------


def test_moi_montre_rattachements_et_habilitations(banc: Banc) -> None:
    gestionnaire = banc.connecte("gestion@exemple.fr")
    consultant = banc.connecte("consult@exemple.fr")
    structure = banc.structure_prete("gestion@exemple.fr")
    rattacher(
        banc.chorus,
        structure,
        banc.id_de("gestion@exemple.fr"),
        banc.id_de("consult@exemple.fr"),
        Profil.CONSULTATION,
    )

    moi = banc.client.get("/moi", headers=consultant)
    chef = banc.client.get("/moi", headers=gestionnaire).json()

    assert moi.status_code == 200
    corps = moi.json()
    assert moi.headers["etag"] == f'"{corps["version"]}"'
    assert moi.headers["cache-control"] == "no-store"
    assert corps["rattachements"] == [
        {
            "structure_id": structure.id,
            "raison_sociale": "Cabinet Durand",
            "statut": "VALIDEE",
            "gestionnaire": False,
        }
    ]
    assert corps["habilitations"] == [
        {
            "structure_id": structure.id,
            "service_id": None,
            "application": "FRAIS_DE_JUSTICE",
            "profil": "CONSULTATION",
        }
    ]
    assert chef["rattachements"][0]["gestionnaire"] is True
    assert {(h["application"], h["profil"]) for h in chef["habilitations"]} == {
        ("FRAIS_DE_JUSTICE", "MODIFICATION"),
        ("TIC", "MODIFICATION"),
    }
    assert "empreinte_mot_de_passe" not in corps
    assert "question_secrete" not in corps


def test_moi_ne_montre_que_ses_propres_structures(banc: Banc) -> None:
    banc.connecte("gestion@exemple.fr")
    autre = banc.connecte("autre@exemple.fr")
    banc.structure_prete("gestion@exemple.fr")

    corps = banc.client.get("/moi", headers=autre).json()

    assert corps["rattachements"] == []
    assert corps["habilitations"] == []


def test_modifier_moi(banc: Banc) -> None:
    entetes = banc.connecte()
    avant = banc.client.get("/moi", headers=entetes)

    reponse = banc.client.patch(
        "/moi",
        json={"nom": "Dupont", "telephone": "0607080910", "suivi_hebdomadaire": False},
        headers={**entetes, "If-Match": avant.headers["etag"]},
    )

    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    assert (corps["nom"], corps["prenom"], corps["telephone"]) == (
        "Dupont",
        "Camille",
        "0607080910",
    )
    assert (corps["suivi_quotidien"], corps["suivi_hebdomadaire"]) == (True, False)
    assert corps["version"] == avant.json()["version"] + 1
    assert reponse.headers["etag"] == f'"{corps["version"]}"'
    vide = banc.client.patch("/moi", json={"telephone": ""}, headers=entetes)
    assert vide.json()["telephone"] is None


def test_modifier_moi_avec_une_version_perimee_ne_change_rien(banc: Banc) -> None:
    entetes = banc.connecte()
    version = banc.client.get("/moi", headers=entetes).json()["version"]
    banc.client.patch("/moi", json={"prenom": "Jeanne"}, headers=entetes)

    refus = banc.client.patch(
        "/moi", json={"nom": "Perdu"}, headers={**entetes, "If-Match": f'W/"{version}"'}
    )

    exiger_probleme(refus, 409)
    assert banc.client.get("/moi", headers=entetes).json()["nom"] == "Durand"


@pytest.mark.parametrize(
    ("corps", "entete", "statut", "champ"),
    [
        ({"nom": ""}, None, 422, "nom"),
        ({"prenom": "x" * 81}, None, 422, "prenom"),
        ({"email": "autre@exemple.fr"}, None, 400, "email"),
        ({"suivi_quotidien": "oui"}, None, 400, "suivi_quotidien"),
        ({"nom": "Dupont"}, "trois", 400, "If-Match"),
        ({"nom": "Dupont"}, '"3', 400, "If-Match"),
    ],
)
def test_modifier_moi_refuse_une_saisie_invalide(
    banc: Banc, corps: dict[str, Any], entete: str | None, statut: int, champ: str
) -> None:
    entetes = banc.connecte()
    if entete is not None:
        entetes["If-Match"] = entete

    probleme = exiger_probleme(banc.client.patch("/moi", json=corps, headers=entetes), statut)

    assert champs_en_erreur(probleme) == [champ]
    assert banc.client.get("/moi", headers=entetes).json()["nom"] == "Durand"


def test_un_agent_voit_son_role_et_ses_juridictions(banc: Banc) -> None:
    entetes = banc.agent()

    corps = banc.client.get("/moi", headers=entetes).json()

    assert corps["role"] == "AGENT_JURIDICTION"
    assert corps["juridictions"] == ["TJ-69123"]
    assert corps["rattachements"] == []


def test_les_aides_de_test_font_un_monde_utilisable(banc: Banc) -> None:
    """The helpers other test modules rely on: a logged-in gestionnaire of a ready
    structure."""
    entetes = banc.connecte()
    structure = banc.structure_prete("camille.durand@exemple.fr")

    assert structure.espace_frais_de_justice is not None
    assert len(structure.coordonnees_bancaires) == 1
    assert banc.client.get("/moi", headers=entetes).json()["rattachements"]
    creer_compte_actif(banc.chorus, "deux@exemple.fr")
    assert structure_prete(banc.chorus, banc.id_de("deux@exemple.fr"), siret="52345678800018")
