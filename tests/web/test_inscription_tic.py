"""``POST /tic/inscriptions`` (seed 004): the 201 body, the activation that follows, 422
problems naming each field, 409 on a SIRET or an email already registered."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from chorus.bootstrap import Chorus
from tests.web.aides import (
    MOT_DE_PASSE,
    QUESTION,
    REPONSE,
    SIRET_CABINET,
    champs_en_erreur,
    connecter,
    exiger_probleme,
    jeton_du_courriel,
)
from tests.web.conftest import Banc

Client = TestClient[Litestar]

SIRET = "80112233400015"
EMAIL = "jean.terre@gaec-des-pres.fr"


def corps(**changements: Any) -> dict[str, Any]:
    valeurs: dict[str, Any] = {
        "siret": SIRET,
        "captcha_id": "sans-objet",
        "captcha_reponse": "sans-objet",
        "service": "TIC",
        "option": "FOURNISSEUR_PRINCIPAL",
        "utilisateur": {"email": EMAIL, "nom": "Terre", "prenom": "Jean"},
        "structure": {
            "raison_sociale": "GAEC des Prés",
            "adresse": {"ligne1": "La Grande Pièce", "code_postal": "72000", "ville": "Le Mans"},
            "type_beneficiaire": "SOCIETE_AGRICOLE",
        },
    }
    valeurs.update(changements)
    return valeurs


def test_l_inscription_cree_compte_structure_et_espace_tic(client: Client, chorus: Chorus) -> None:
    reponse = client.post("/tic/inscriptions", json=corps())

    assert reponse.status_code == 201, reponse.text
    inscrit = reponse.json()
    utilisateur = inscrit["utilisateur"]
    assert utilisateur["email"] == EMAIL
    assert utilisateur["statut"] == "EN_ATTENTE_ACTIVATION"
    assert utilisateur["suivi_quotidien"] is True
    assert utilisateur["suivi_hebdomadaire"] is True
    structure = inscrit["structure"]
    assert structure["identifiant"] == SIRET
    assert structure["type_structure"] == "ENTREPRISE"
    assert structure["type_identifiant"] == "SIRET"
    assert structure["raison_sociale"] == "GAEC des Prés"
    assert structure["departement"] == "72"
    assert structure["adresse"]["pays"] == "FR"
    assert structure["espaces"] == {"frais_de_justice": None, "tic": True}
    assert inscrit["option"] == "FOURNISSEUR_PRINCIPAL"
    assert inscrit["eligibilite"] == {
        "eligible": True,
        "departement": "72",
        "motif": None,
        "campagne": 2024,
    }
    assert inscrit["type_beneficiaire"] == "SOCIETE_AGRICOLE"

    # The activation link sets the password and the secret question; then the user logs in
    # and manages the structure.
    activation = client.post(
        "/comptes/activation",
        json={
            "jeton": jeton_du_courriel(chorus, EMAIL),
            "mot_de_passe": MOT_DE_PASSE,
            "question_secrete": QUESTION,
            "reponse_secrete": REPONSE,
        },
    )
    assert activation.status_code == 200, activation.text
    assert activation.json() == {"statut": "ACTIF"}
    entetes = connecter(client, EMAIL)
    moi = client.get("/moi", headers=entetes).json()
    assert moi["rattachements"] == [
        {
            "structure_id": structure["id"],
            "raison_sociale": "GAEC des Prés",
            "statut": "VALIDEE",
            "gestionnaire": True,
        }
    ]
    assert {(h["application"], h["profil"]) for h in moi["habilitations"]} == {
        ("TIC", "MODIFICATION"),
        ("FRAIS_DE_JUSTICE", "MODIFICATION"),
    }


def test_un_tiers_deposant_n_a_pas_d_espace_tic(client: Client) -> None:
    reponse = client.post("/tic/inscriptions", json=corps(option="TIERS_DEPOSANT"))

    assert reponse.status_code == 201, reponse.text
    assert reponse.json()["structure"]["espaces"]["tic"] is False
    assert reponse.json()["eligibilite"] is None


def test_une_saisie_fausse_est_un_probleme_422_par_champ(client: Client, chorus: Chorus) -> None:
    reponse = client.post(
        "/tic/inscriptions",
        json=corps(
            siret="80112233400016",
            service="FRAIS_DE_JUSTICE",
            option="AUTRE",
            utilisateur={"email": "pas-une-adresse", "nom": "", "prenom": "Jean"},
        ),
    )

    probleme = exiger_probleme(reponse, 422)
    assert champs_en_erreur(probleme) == [
        "siret",
        "service",
        "option",
        "utilisateur.email",
        "utilisateur.nom",
    ]
    assert "clé de contrôle" in probleme["errors"][0]["message"]
    assert chorus.utilisateurs.par_email(EMAIL) is None


def test_un_siege_hors_campagne_est_refuse_avec_son_motif(client: Client) -> None:
    structure = corps()["structure"]
    structure["adresse"]["code_postal"] = "97100"

    probleme = exiger_probleme(
        client.post("/tic/inscriptions", json=corps(structure=structure)), 422
    )

    assert champs_en_erreur(probleme) == ["structure.adresse.code_postal"]
    assert "outre-mer" in probleme["detail"]


def test_un_champ_inconnu_ou_manquant_est_une_requete_invalide(client: Client) -> None:
    sans_structure = corps()
    del sans_structure["structure"]
    assert client.post("/tic/inscriptions", json=sans_structure).status_code == 400
    assert client.post("/tic/inscriptions", json=corps(autre="x")).status_code == 400


def test_un_siret_deja_enregistre_est_en_conflit(banc: Banc) -> None:
    banc.connecte("gestionnaire@exemple.fr")
    banc.structure_prete("gestionnaire@exemple.fr")

    probleme = exiger_probleme(
        banc.client.post("/tic/inscriptions", json=corps(siret=SIRET_CABINET)), 409
    )

    assert champs_en_erreur(probleme) == ["siret"]
    assert "rattachement" in probleme["detail"]


def test_une_adresse_deja_inscrite_est_en_conflit(client: Client) -> None:
    assert client.post("/tic/inscriptions", json=corps()).status_code == 201

    probleme = exiger_probleme(
        client.post("/tic/inscriptions", json=corps(siret="32812345000012")), 409
    )

    assert champs_en_erreur(probleme) == ["utilisateur.email"]


def test_l_operation_est_documentee(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"]["/api/v1/tic/inscriptions"]["post"]
    assert operation["operationId"] == "inscrire_tic"
    assert {"201", "409", "422", "429"} <= set(operation["responses"])
