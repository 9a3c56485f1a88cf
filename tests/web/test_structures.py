"""The Structures area of the HTTP API: a structure, its services, bank details, espaces,
members, habilitations, reusable pièces and API tokens, through the test client."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.domain.pieces import TAILLE_MAXIMUM
from tests.web.aides import (
    BIC,
    IBAN,
    PDF,
    PNG,
    SIRET_AUTRE,
    SIRET_CABINET,
    Client,
    Entetes,
    champs_en_erreur,
    exiger_probleme,
)
from tests.web.conftest import MAINTENANT, Banc

GESTIONNAIRE = "gestion@exemple.fr"
MEMBRE = "membre@exemple.fr"
ETRANGER = "etranger@exemple.fr"

IBAN_2 = "FR1420041010050500013M02606"

ADRESSE = {"ligne1": "8 quai Saint-Vincent", "code_postal": "69001", "ville": "Lyon"}


def corps_structure(**changements: Any) -> dict[str, Any]:
    corps: dict[str, Any] = {
        "type_structure": "ENTREPRISE",
        "type_identifiant": "SIRET",
        "identifiant": SIRET_CABINET,
        "raison_sociale": "Cabinet Durand",
        "adresse": dict(ADRESSE),
    }
    corps.update(changements)
    return corps


def creer_structure(client: Client, entetes: Entetes, **changements: Any) -> dict[str, Any]:
    reponse = client.post("/structures", json=corps_structure(**changements), headers=entetes)
    assert reponse.status_code == 201, reponse.text
    corps: dict[str, Any] = reponse.json()
    return corps


def deposer(
    client: Client,
    entetes: Entetes,
    structure_id: str,
    contenu: bytes = PDF,
    nom: str = "RIB.pdf",
    type_piece: str = "COORDONNEE_BANCAIRE",
    **champs: str,
) -> Any:
    return client.post(
        f"/structures/{structure_id}/pieces-jointes",
        files={"fichier": (nom, contenu, "application/octet-stream")},
        data={"type_piece": type_piece, **champs},
        headers=entetes,
    )


def rattacher_par_api(
    client: Client, gestionnaire: Entetes, membre: Entetes, structure_id: str
) -> str:
    """The member asks to join, the gestionnaire validates: the rattachement's id."""
    demande = client.post(f"/structures/{structure_id}/rattachements", headers=membre)
    assert demande.status_code == 201, demande.text
    rid: str = demande.json()["id"]
    validation = client.post(
        f"/structures/{structure_id}/rattachements/{rid}/validation", headers=gestionnaire
    )
    assert validation.status_code == 200, validation.text
    return rid


def habiliter(
    client: Client,
    gestionnaire: Entetes,
    structure_id: str,
    utilisateur_id: str,
    profil: str = "CONSULTATION",
    application: str = "FRAIS_DE_JUSTICE",
    **champs: Any,
) -> dict[str, Any]:
    reponse = client.post(
        f"/structures/{structure_id}/habilitations",
        json={
            "utilisateur_id": utilisateur_id,
            "application": application,
            "profil": profil,
            **champs,
        },
        headers=gestionnaire,
    )
    assert reponse.status_code == 201, reponse.text
    corps: dict[str, Any] = reponse.json()
    return corps


# -- the structure ------------------------------------------------------------------------


def test_creer_puis_lire_une_structure(banc: Banc) -> None:
    client, h = banc.client, banc.connecte(GESTIONNAIRE)

    cree = creer_structure(client, h)

    assert cree["identifiant"] == SIRET_CABINET
    assert cree["type_structure"] == "ENTREPRISE"
    assert cree["type_identifiant"] == "SIRET"
    assert cree["departement"] == "69"
    assert cree["adresse"]["pays"] == "FR"
    assert cree["services"] == []
    assert cree["coordonnees_bancaires"] == []
    assert cree["espaces"] == {"frais_de_justice": None, "tic": False}
    assert datetime.fromisoformat(cree["date_creation"]) == MAINTENANT
    lu = client.get(f"/structures/{cree['id']}", headers=h)
    assert lu.status_code == 200
    assert lu.headers["etag"] == f'"{lu.json()["version"]}"'
    assert lu.json() == cree
    mes = client.get("/structures", headers=h).json()
    assert mes["total"] == 1
    assert mes["page"] == 1
    assert [s["id"] for s in mes["elements"]] == [cree["id"]]
    # The creator is gestionnaire principal with every habilitation.
    moi = client.get("/moi", headers=h).json()
    assert [(r["structure_id"], r["statut"], r["gestionnaire"]) for r in moi["rattachements"]] == [
        (cree["id"], "VALIDEE", True)
    ]
    assert {(x["application"], x["profil"]) for x in moi["habilitations"]} == {
        ("FRAIS_DE_JUSTICE", "MODIFICATION"),
        ("TIC", "MODIFICATION"),
    }


def test_departement_de_corse_et_adresse_a_l_etranger(banc: Banc) -> None:
    client, h = banc.client, banc.connecte(GESTIONNAIRE)
    corse = creer_structure(client, h, adresse={**ADRESSE, "code_postal": "20200"})
    assert corse["departement"] == "2B"
    suisse = creer_structure(
        client,
        h,
        type_identifiant="HORS_UE",
        identifiant="CH-123",
        adresse={"ligne1": "Rue Haute 1", "code_postal": "1000", "ville": "Genève", "pays": "CH"},
    )
    assert suisse["departement"] is None


@pytest.mark.parametrize(
    ("changements", "statut", "champ"),
    [
        ({"identifiant": "41234567000018"}, 422, "identifiant"),
        ({"identifiant": "abc"}, 422, "identifiant"),
        ({"type_structure": "PARTICULIER"}, 422, "type_identifiant"),
        ({"raison_sociale": "   "}, 422, "raison_sociale"),
        ({"adresse": {**ADRESSE, "code_postal": "99999"}}, 422, "adresse.code_postal"),
        ({"adresse": {**ADRESSE, "pays": "France"}}, 422, "adresse.pays"),
        ({"adresse": {"ligne1": "x", "code_postal": "69001"}}, 400, "adresse.ville"),
        ({"type_structure": "MULTINATIONALE"}, 400, "type_structure"),
        ({"identifiant": 41234567000019}, 400, "identifiant"),
        ({"inconnu": 1}, 400, "inconnu"),
    ],
)
def test_creation_refusee_nommant_le_champ(
    banc: Banc, changements: dict[str, Any], statut: int, champ: str
) -> None:
    h = banc.connecte(GESTIONNAIRE)
    reponse = banc.client.post("/structures", json=corps_structure(**changements), headers=h)
    corps = exiger_probleme(reponse, statut)
    assert champ in champs_en_erreur(corps)
    assert banc.client.get("/structures", headers=h).json()["total"] == 0


def test_identifiant_deja_enregistre_conflit(banc: Banc) -> None:
    client = banc.client
    creer_structure(client, banc.connecte(GESTIONNAIRE))
    autre = banc.connecte(ETRANGER)
    corps = exiger_probleme(client.post("/structures", json=corps_structure(), headers=autre), 409)
    assert "rattachement" in corps["detail"]
    assert client.get("/structures", headers=autre).json()["total"] == 0


def test_anonyme_et_agent(banc: Banc) -> None:
    exiger_probleme(banc.client.post("/structures", json=corps_structure()), 401)
    exiger_probleme(banc.client.get("/structures"), 401)
    agent = banc.agent()
    exiger_probleme(banc.client.post("/structures", json=corps_structure(), headers=agent), 403)


def test_modifier_avec_if_match(banc: Banc) -> None:
    client, h = banc.client, banc.connecte(GESTIONNAIRE)
    cree = creer_structure(client, h)
    url = f"/structures/{cree['id']}"
    v0 = cree["version"]

    modifiee = client.patch(
        url,
        json={"raison_sociale": "Cabinet Durand & associés"},
        headers={**h, "If-Match": f'"{v0}"'},
    )
    assert modifiee.status_code == 200, modifiee.text
    assert modifiee.json()["raison_sociale"] == "Cabinet Durand & associés"
    assert modifiee.json()["version"] == v0 + 1
    assert modifiee.headers["etag"] == f'"{v0 + 1}"'
    assert modifiee.json()["adresse"]["ville"] == "Lyon"

    perimee = client.patch(
        url,
        json={"raison_sociale": "Perdu", "adresse": {**ADRESSE, "ville": "Paris"}},
        headers={**h, "If-Match": str(v0)},
    )
    assert "version" in champs_en_erreur(exiger_probleme(perimee, 409))
    apres = client.get(url, headers=h).json()
    assert apres["raison_sociale"] == "Cabinet Durand & associés"
    assert apres["adresse"]["ville"] == "Lyon"
    assert apres["version"] == v0 + 1

    faux = client.patch(url, json={"raison_sociale": "X"}, headers={**h, "If-Match": "trois"})
    assert "If-Match" in champs_en_erreur(exiger_probleme(faux, 400))

    adresse = client.patch(
        url, json={"adresse": {**ADRESSE, "code_postal": "75001", "ville": "Paris"}}, headers=h
    )
    assert adresse.status_code == 200
    assert adresse.json()["departement"] == "75"
    invalide = client.patch(url, json={"raison_sociale": ""}, headers=h)
    assert "raison_sociale" in champs_en_erreur(exiger_probleme(invalide, 422))


# -- a member's journey -------------------------------------------------------------------


def test_rattachement_valide_habilite_en_consultation(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}"

    demande = client.post(f"{url}/rattachements", headers=m)
    assert demande.status_code == 201
    assert demande.json()["statut"] == "EN_COURS_DE_VALIDATION"
    assert demande.json()["utilisateur_id"] == banc.id_de(MEMBRE)
    rid = demande.json()["id"]
    exiger_probleme(client.post(f"{url}/rattachements", headers=m), 409)
    # Not a member yet: nothing of the structure shows.
    exiger_probleme(client.get(url, headers=m), 404)

    en_cours = client.get(
        f"{url}/rattachements", params={"statut": "EN_COURS_DE_VALIDATION"}, headers=g
    ).json()
    assert [(r["id"], r["email"]) for r in en_cours["elements"]] == [(rid, MEMBRE)]

    valide = client.post(f"{url}/rattachements/{rid}/validation", headers=g)
    assert valide.status_code == 200
    assert valide.json()["statut"] == "VALIDEE"
    assert valide.json()["gestionnaire"] is False
    exiger_probleme(client.post(f"{url}/rattachements/{rid}/validation", headers=g), 409)
    exiger_probleme(client.post(f"{url}/rattachements/{rid}/refus", headers=g), 409)

    # A member without any habilitation is told so.
    exiger_probleme(client.get(url, headers=m), 403)

    habilitation = habiliter(client, g, sid, banc.id_de(MEMBRE))
    assert habilitation["profil"] == "CONSULTATION"
    assert habilitation["application"] == "FRAIS_DE_JUSTICE"
    assert habilitation["service_id"] is None
    assert habilitation["id"]

    vu = client.get(url, headers=m)
    assert vu.status_code == 200
    assert [s["id"] for s in client.get("/structures", headers=m).json()["elements"]] == [sid]
    avant = vu.json()
    exiger_probleme(client.patch(url, json={"raison_sociale": "Pirate"}, headers=m), 403)
    assert client.get(url, headers=m).json() == avant
    for chemin in ("rattachements", "habilitations", "jetons-api"):
        exiger_probleme(client.get(f"{url}/{chemin}", headers=m), 403)
    exiger_probleme(
        client.post(f"{url}/services", json={"code": "X", "libelle": "X"}, headers=m), 403
    )
    exiger_probleme(client.put(f"{url}/espaces/tic", json={}, headers=m), 403)
    exiger_probleme(deposer(client, m, sid), 403)
    # What a consultation member may read.
    for chemin in ("services", "coordonnees-bancaires", "pieces-jointes"):
        assert client.get(f"{url}/{chemin}", headers=m).status_code == 200


def test_refus_de_rattachement(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    url = f"/structures/{creer_structure(client, g)['id']}"
    rid = client.post(f"{url}/rattachements", headers=m).json()["id"]

    refus = client.post(f"{url}/rattachements/{rid}/refus", headers=g)
    assert refus.status_code == 200
    assert refus.json()["statut"] == "REFUSEE"
    exiger_probleme(client.get(url, headers=m), 404)
    exiger_probleme(client.post(f"{url}/rattachements/inconnu/validation", headers=g), 404)
    # A refused user may ask again.
    assert client.post(f"{url}/rattachements", headers=m).status_code == 201


def test_gestionnaire_partage_et_detachement(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}"
    rid = rattacher_par_api(client, g, m, sid)
    rid_g = next(
        r["id"]
        for r in client.get(f"{url}/rattachements", headers=g).json()["elements"]
        if r["email"] == GESTIONNAIRE
    )

    # The only gestionnaire cannot step down nor leave.
    seul = client.post(
        f"{url}/rattachements/{rid_g}/gestionnaire", json={"gestionnaire": False}, headers=g
    )
    exiger_probleme(seul, 422)
    exiger_probleme(client.delete(f"{url}/rattachements/{rid_g}", headers=g), 422)

    nomme = client.post(f"{url}/rattachements/{rid}/gestionnaire", json={}, headers=g)
    assert nomme.status_code == 200
    assert nomme.json()["gestionnaire"] is True
    assert client.patch(url, json={"raison_sociale": "Par le second"}, headers=m).status_code == 200

    retire = client.post(
        f"{url}/rattachements/{rid}/gestionnaire", json={"gestionnaire": False}, headers=g
    )
    assert retire.json()["gestionnaire"] is False
    exiger_probleme(client.patch(url, json={"raison_sociale": "Non"}, headers=m), 403)

    habiliter(client, g, sid, banc.id_de(MEMBRE))
    assert client.delete(f"{url}/rattachements/{rid}", headers=g).status_code == 204
    exiger_probleme(client.get(url, headers=m), 404)
    statuts = {
        r["email"]: r["statut"]
        for r in client.get(f"{url}/rattachements", headers=g).json()["elements"]
    }
    assert statuts == {GESTIONNAIRE: "VALIDEE", MEMBRE: "DESACTIVEE"}
    assert client.get(f"{url}/habilitations", headers=g).json()["total"] == 2
    exiger_probleme(client.delete(f"{url}/rattachements/inconnu", headers=g), 404)


def test_un_membre_habilite_se_detache_lui_meme(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    sid = creer_structure(client, g)["id"]
    rid = rattacher_par_api(client, g, m, sid)
    habiliter(client, g, sid, banc.id_de(MEMBRE))
    assert client.delete(f"/structures/{sid}/rattachements/{rid}", headers=m).status_code == 204
    exiger_probleme(client.get(f"/structures/{sid}", headers=m), 404)


# -- services, bank details, espaces ------------------------------------------------------


def test_services(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}/services"

    cree = client.post(url, json={"code": "psy", "libelle": "Psychiatrie"}, headers=g)
    assert cree.status_code == 201
    assert cree.json()["code"] == "PSY"
    assert cree.json()["actif"] is True
    service_id = cree.json()["id"]
    assert (
        client.post(url, json={"code": "MED", "libelle": "Médecine"}, headers=g).status_code == 201
    )
    doublon = client.post(url, json={"code": "Psy", "libelle": "Autre"}, headers=g)
    assert "code" in champs_en_erreur(exiger_probleme(doublon, 409))
    exiger_probleme(client.post(url, json={"code": "", "libelle": "X"}, headers=g), 422)
    exiger_probleme(client.post(url, json={"code": "X"}, headers=g), 400)

    tous = client.get(url, headers=g).json()
    assert [s["code"] for s in tous["elements"]] == ["PSY", "MED"]
    page2 = client.get(url, params={"page": 2, "par_page": 1}, headers=g).json()
    assert page2 == {"elements": [tous["elements"][1]], "total": 2, "page": 2, "par_page": 1}
    exiger_probleme(client.get(url, params={"par_page": 501}, headers=g), 400)

    desactive = client.patch(f"{url}/{service_id}", json={"actif": False}, headers=g)
    assert desactive.status_code == 200
    assert desactive.json() == {**cree.json(), "actif": False}
    renomme = client.patch(f"{url}/{service_id}", json={"libelle": "Psy."}, headers=g).json()
    assert renomme["libelle"] == "Psy."
    assert renomme["actif"] is False
    exiger_probleme(client.patch(f"{url}/inconnu", json={"actif": True}, headers=g), 404)
    services = client.get(f"/structures/{sid}", headers=g).json()["services"]
    assert services[0] == renomme


def test_coordonnees_bancaires(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}/coordonnees-bancaires"
    rib = deposer(client, g, sid).json()["id"]
    autre_piece = deposer(client, g, sid, PNG, "carte.png", "AUTRE").json()["id"]

    def corps(**changements: str) -> dict[str, str]:
        return {
            "libelle": "Compte courant",
            "iban": IBAN,
            "bic": BIC,
            "piece_jointe_id": rib,
            **changements,
        }

    cree = client.post(url, json=corps(iban="fr76 3000 6000 0112 3456 7890 189"), headers=g)
    assert cree.status_code == 201, cree.text
    assert cree.json()["iban"] == IBAN
    assert cree.json()["iban_masque"] == "FR76 **** **** 0189"
    assert cree.json()["piece_jointe_id"] == rib
    cid = cree.json()["id"]

    for changements, statut, champ in (
        ({"iban": "FR7630006000011234567890180"}, 422, "iban"),
        ({"bic": "XX"}, 422, "bic"),
        ({"piece_jointe_id": autre_piece}, 422, "piece_jointe_id"),
        ({"piece_jointe_id": "inconnue"}, 422, "piece_jointe_id"),
        ({}, 409, "iban"),
    ):
        refus = client.post(url, json=corps(**changements), headers=g)
        assert champ in champs_en_erreur(exiger_probleme(refus, statut))

    assert (
        client.post(url, json=corps(iban=IBAN_2, libelle="Épargne"), headers=g).status_code == 201
    )
    liste = client.get(url, headers=g).json()
    assert [c["libelle"] for c in liste["elements"]] == ["Compte courant", "Épargne"]
    # The RIB of bank details on file stays.
    exiger_probleme(client.delete(f"/structures/{sid}/pieces-jointes/{rib}", headers=g), 409)

    assert client.delete(f"{url}/{cid}", headers=g).status_code == 204
    exiger_probleme(client.delete(f"{url}/{cid}", headers=g), 404)
    assert client.get(url, headers=g).json()["total"] == 1


def test_espaces(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}/espaces"

    fdj = client.put(
        f"{url}/frais-de-justice", json={"categorie_prestataire": "PSYCHIATRE"}, headers=g
    )
    assert fdj.status_code == 200, fdj.text
    assert fdj.json()["espaces"]["frais_de_justice"] == {
        "categorie_prestataire": "PSYCHIATRE",
        "regime": None,
        "recevoir_cycles_de_vie": False,
    }
    assert fdj.headers["etag"] == f'"{fdj.json()["version"]}"'
    inconnue = client.put(
        f"{url}/frais-de-justice", json={"categorie_prestataire": "ASTROLOGUE"}, headers=g
    )
    assert "categorie_prestataire" in champs_en_erreur(exiger_probleme(inconnue, 422))
    regime = client.put(f"{url}/frais-de-justice", json={"regime": "SALARIE"}, headers=g)
    assert "regime" in champs_en_erreur(exiger_probleme(regime, 400))

    tic = client.put(f"{url}/tic", json={}, headers=g)
    assert tic.status_code == 200
    assert tic.json()["espaces"]["tic"] is True
    assert tic.json()["espaces"]["frais_de_justice"]["categorie_prestataire"] == "PSYCHIATRE"


def test_particulier_doit_preciser_son_regime(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(
        client,
        g,
        type_structure="PARTICULIER",
        type_identifiant="PARTICULIER",
        identifiant="Camille Durand",
    )["id"]
    url = f"/structures/{sid}/espaces/frais-de-justice"
    sans = client.put(url, json={"categorie_prestataire": "INTERPRETE_TRADUCTEUR"}, headers=g)
    assert "regime" in champs_en_erreur(exiger_probleme(sans, 422))
    assert client.get(f"/structures/{sid}", headers=g).json()["espaces"]["frais_de_justice"] is None
    cosp = client.put(
        url, json={"categorie_prestataire": "INTERPRETE_TRADUCTEUR", "regime": "COSP"}, headers=g
    )
    assert cosp.status_code == 200
    assert cosp.json()["espaces"]["frais_de_justice"]["regime"] == "COSP"


# -- habilitations ------------------------------------------------------------------------


def test_habilitations(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    banc.connecte(ETRANGER)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}/habilitations"
    membre_id = banc.id_de(MEMBRE)
    rattacher_par_api(client, g, m, sid)
    service_id = client.post(
        f"/structures/{sid}/services", json={"code": "PSY", "libelle": "Psy"}, headers=g
    ).json()["id"]

    initiales = client.get(url, headers=g).json()
    assert initiales["total"] == 2
    assert {h["application"] for h in initiales["elements"]} == {"FRAIS_DE_JUSTICE", "TIC"}

    par_service = habiliter(client, g, sid, membre_id, "MODIFICATION", service_id=service_id)
    assert par_service["service_id"] == service_id
    tic = habiliter(client, g, sid, membre_id, "CONSULTATION", application="TIC")
    # Granting again for the same application and service replaces the profile.
    remplace = habiliter(client, g, sid, membre_id, "CONSULTATION", service_id=service_id)
    du_membre = [
        h for h in client.get(url, headers=g).json()["elements"] if h["utilisateur_id"] == membre_id
    ]
    assert sorted(h["id"] for h in du_membre) == sorted([tic["id"], remplace["id"]])

    for corps, statut, champ in (
        ({"utilisateur_id": banc.id_de(ETRANGER)}, 422, "utilisateur_id"),
        ({"utilisateur_id": banc.id_de(GESTIONNAIRE)}, 422, "utilisateur_id"),
        ({"utilisateur_id": membre_id, "service_id": "inconnu"}, 422, "service_id"),
        ({"utilisateur_id": membre_id, "application": "CHORUS"}, 400, "application"),
        ({"utilisateur_id": membre_id, "profil": "ADMIN"}, 400, "profil"),
    ):
        complet = {"application": "FRAIS_DE_JUSTICE", "profil": "CONSULTATION", **corps}
        refus = client.post(url, json=complet, headers=g)
        assert champ in champs_en_erreur(exiger_probleme(refus, statut))

    assert client.delete(f"{url}/{remplace['id']}", headers=g).status_code == 204
    exiger_probleme(client.delete(f"{url}/{remplace['id']}", headers=g), 404)
    assert client.delete(f"{url}/{tic['id']}", headers=g).status_code == 204
    # No habilitation left: the member is refused the structure.
    exiger_probleme(client.get(f"/structures/{sid}", headers=m), 403)
    propre = next(
        h["id"]
        for h in client.get(url, headers=g).json()["elements"]
        if h["utilisateur_id"] != membre_id
    )
    exiger_probleme(client.delete(f"{url}/{propre}", headers=g), 422)


# -- pièces -------------------------------------------------------------------------------


def test_depot_et_telechargement_d_une_piece(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    contenu = PDF + b"contenu unique"

    depot = deposer(client, g, sid, contenu, "Relevé d'identité.pdf", designation="RIB principal")
    assert depot.status_code == 201, depot.text
    piece = depot.json()
    assert piece["nom_fichier"] == "Relevé d'identité.pdf"
    assert piece["taille"] == len(contenu)
    assert piece["sha256"] == hashlib.sha256(contenu).hexdigest()
    assert piece["type_piece"] == "COORDONNEE_BANCAIRE"
    assert piece["designation"] == "RIB principal"
    assert piece["format"] == "PDF"
    assert piece["content_type"] == "application/pdf"

    liste = client.get(f"/structures/{sid}/pieces-jointes", headers=g).json()
    assert liste["elements"] == [piece]

    fichier = client.get(f"/structures/{sid}/pieces-jointes/{piece['id']}", headers=g)
    assert fichier.status_code == 200
    assert fichier.content == contenu
    assert fichier.headers["content-type"] == "application/pdf"
    assert fichier.headers["x-content-type-options"] == "nosniff"
    disposition = fichier.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Relev%C3%A9%20d%27identit%C3%A9.pdf" in disposition

    png = deposer(client, g, sid, PNG, "photo.bin", "AUTRE").json()
    assert png["content_type"] == "image/png"
    assert png["designation"] == "photo.bin"
    # The stored name ends as what the content is, so that it opens as an image.
    assert png["nom_fichier"] == "photo.bin.png"
    image = client.get(f"/structures/{sid}/pieces-jointes/{png['id']}", headers=g)
    assert image.headers["content-type"] == "image/png"
    assert image.content == PNG

    assert (
        client.delete(f"/structures/{sid}/pieces-jointes/{png['id']}", headers=g).status_code == 204
    )
    exiger_probleme(client.get(f"/structures/{sid}/pieces-jointes/{png['id']}", headers=g), 404)
    exiger_probleme(client.delete(f"/structures/{sid}/pieces-jointes/{png['id']}", headers=g), 404)
    assert client.get(f"/structures/{sid}/pieces-jointes", headers=g).json()["total"] == 1


def test_nom_de_fichier_nettoye(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    piece = deposer(client, g, sid, nom="../../etc/passwd.pdf").json()
    assert piece["nom_fichier"] == "passwd.pdf"
    windows = deposer(client, g, sid, nom="..\\..\\boot.pdf").json()
    assert windows["nom_fichier"] == "boot.pdf"
    long = deposer(client, g, sid, nom="a" * 300 + ".pdf").json()
    assert long["nom_fichier"] == "a" * 96 + ".pdf"


def test_fichier_de_plus_de_10_mo(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    juste = deposer(client, g, sid, PDF + b"0" * (TAILLE_MAXIMUM - len(PDF)), "gros.pdf")
    assert juste.status_code == 201, juste.text
    assert juste.json()["taille"] == TAILLE_MAXIMUM

    un_de_trop = deposer(client, g, sid, PDF + b"0" * (TAILLE_MAXIMUM + 1 - len(PDF)), "trop.pdf")
    assert "fichier" in champs_en_erreur(exiger_probleme(un_de_trop, 413))
    # Far beyond: the body itself is refused before it is read whole.
    enorme = deposer(client, g, sid, PDF + b"0" * (12 * 1024 * 1024), "enorme.pdf")
    exiger_probleme(enorme, 413)
    assert client.get(f"/structures/{sid}/pieces-jointes", headers=g).json()["total"] == 1


def test_type_reconnu_sur_le_contenu(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    texte = deposer(client, g, sid, b"Ceci n'est pas un PDF.\n", "x.pdf")
    assert "fichier" in champs_en_erreur(exiger_probleme(texte, 415))
    vide = deposer(client, g, sid, b"", "vide.pdf")
    assert "fichier" in champs_en_erreur(exiger_probleme(vide, 422))
    assert client.get(f"/structures/{sid}/pieces-jointes", headers=g).json()["total"] == 0


def test_formulaire_multipart_mal_rempli(banc: Banc) -> None:
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]
    url = f"/structures/{sid}/pieces-jointes"
    fichier = {"fichier": ("a.pdf", PDF, "application/pdf")}
    # (None, value): a plain form field, still sent as multipart/form-data.
    type_seul = {"type_piece": (None, "AUTRE")}
    cas: list[tuple[dict[str, Any], str]] = [
        ({"files": type_seul}, "fichier"),
        # A text part named "fichier" (no file name) is no file.
        ({"files": {**type_seul, "fichier": (None, "texte")}}, "fichier"),
        ({"files": fichier}, "type_piece"),
        ({"files": fichier, "data": {"type_piece": "BON_DE_LIVRAISON"}}, "type_piece"),
        ({"files": fichier, "data": {"type_piece": ["AUTRE", "DEVIS"]}}, "type_piece"),
        ({"files": {**fichier, "autre": ("b.pdf", PDF, "application/pdf")}}, "autre"),
    ]
    for envoi, champ in cas:
        reponse = client.post(url, headers=g, **envoi)
        corps = exiger_probleme(reponse, 400)
        assert champ in champs_en_erreur(corps), corps
    json = client.post(url, json={"type_piece": "AUTRE"}, headers=g)
    exiger_probleme(json, 415)
    assert client.get(url, headers=g).json()["total"] == 0


def test_tout_nom_de_fichier_revient_sain(banc: Banc) -> None:
    """Whatever name a client sends, the stored one has no folder nor control character, is
    at most 100 characters, and the download names it exactly (RFC 5987 encoding)."""
    client, g = banc.client, banc.connecte(GESTIONNAIRE)
    sid = creer_structure(client, g)["id"]

    @settings(max_examples=40, deadline=None)
    @given(
        nom=st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r\n"),
            min_size=1,
            max_size=150,
        )
    )
    def verifier(nom: str) -> None:
        depot = deposer(client, g, sid, nom=nom, type_piece="AUTRE")
        if depot.status_code == 400 and "\\" in nom:
            # A name read as a Windows path (``\\…``, ``C:\\…``) by the multipart parser
            # keeps what follows its last backslash; with nothing after it, the part
            # arrives without a file name, as a text field: the file is missing.
            assert champs_en_erreur(depot.json()) == ["fichier"], (nom, depot.text)
            return
        assert depot.status_code == 201, (nom, depot.text)
        stocke: str = depot.json()["nom_fichier"]
        assert stocke
        assert len(stocke) <= 100
        assert "/" not in stocke
        assert "\\" not in stocke
        assert all(unicodedata.category(c) != "Cc" for c in stocke)
        fichier = client.get(f"/structures/{sid}/pieces-jointes/{depot.json()['id']}", headers=g)
        assert fichier.content == PDF
        disposition = fichier.headers["content-disposition"]
        assert disposition.isascii()
        assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == stocke

    verifier()


# -- API tokens ---------------------------------------------------------------------------


def test_jetons_api(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    e = banc.connecte(ETRANGER)
    sid = creer_structure(client, g)["id"]
    autre_sid = creer_structure(client, e, identifiant=SIRET_AUTRE)["id"]
    url = f"/structures/{sid}/jetons-api"

    cree = client.post(
        url,
        json={
            "libelle": "Logiciel métier",
            "profil": "CONSULTATION",
            "expire_le": "2024-12-31T23:59:59+01:00",
        },
        headers=g,
    )
    assert cree.status_code == 201, cree.text
    jeton = cree.json()
    assert jeton["libelle"] == "Logiciel métier"
    assert jeton["profil"] == "CONSULTATION"
    assert datetime.fromisoformat(jeton["cree_le"]) == MAINTENANT
    assert jeton["jeton"]
    porteur = {"Authorization": f"Bearer {jeton['jeton']}"}

    liste = client.get(url, headers=g).json()
    assert liste["total"] == 1
    assert liste["elements"][0]["id"] == jeton["id"]
    assert "jeton" not in liste["elements"][0]
    assert jeton["jeton"] not in client.get(url, headers=g).text

    assert client.get(f"/structures/{sid}", headers=porteur).status_code == 200
    exiger_probleme(client.get(f"/structures/{autre_sid}", headers=porteur), 404)
    exiger_probleme(
        client.patch(f"/structures/{sid}", json={"raison_sociale": "Robot"}, headers=porteur), 403
    )
    exiger_probleme(client.get(url, headers=porteur), 403)
    assert client.get(f"/structures/{sid}", headers=g).json()["raison_sociale"] == "Cabinet Durand"
    # Its technical account shows among the members, marked as such.
    techniques = [
        r
        for r in client.get(f"/structures/{sid}/rattachements", headers=g).json()["elements"]
        if r["technique"]
    ]
    assert len(techniques) == 1

    assert client.delete(f"{url}/{jeton['id']}", headers=g).status_code == 204
    exiger_probleme(client.get(f"/structures/{sid}", headers=porteur), 401)
    exiger_probleme(client.delete(f"{url}/{jeton['id']}", headers=g), 404)
    assert client.get(url, headers=g).json()["total"] == 0


def test_jeton_api_refus(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    sid = creer_structure(client, g)["id"]
    rattacher_par_api(client, g, m, sid)
    habiliter(client, g, sid, banc.id_de(MEMBRE), "MODIFICATION")
    url = f"/structures/{sid}/jetons-api"
    valide = {"libelle": "Robot", "profil": "MODIFICATION", "expire_le": "2024-07-01T00:00:00Z"}

    exiger_probleme(client.post(url, json=valide, headers=m), 403)
    for changements, statut, champ in (
        ({"expire_le": "2024-07-01T00:00:00"}, 400, "expire_le"),
        ({"expire_le": "demain"}, 400, "expire_le"),
        ({"expire_le": "2024-01-01T00:00:00Z"}, 422, "expire_le"),
        ({"expire_le": "2030-01-01T00:00:00Z"}, 422, "expire_le"),
        ({"profil": "TOUT"}, 400, "profil"),
        ({"libelle": " "}, 422, "libelle"),
    ):
        refus = client.post(url, json={**valide, **changements}, headers=g)
        assert champ in champs_en_erreur(exiger_probleme(refus, statut)), refus.text
    assert client.get(url, headers=g).json()["total"] == 0

    modification = client.post(url, json=valide, headers=g).json()
    porteur = {"Authorization": f"Bearer {modification['jeton']}"}
    # A token acts for the Frais de justice space, never as a gestionnaire.
    exiger_probleme(
        client.patch(f"/structures/{sid}", json={"raison_sociale": "R"}, headers=porteur), 403
    )
    assert deposer(client, porteur, sid, type_piece="AUTRE").status_code == 201
    # Nor does it open or join another structure.
    exiger_probleme(
        client.post("/structures", json=corps_structure(identifiant=SIRET_AUTRE), headers=porteur),
        403,
    )
    autre_sid = creer_structure(client, m, identifiant=SIRET_AUTRE)["id"]
    exiger_probleme(client.post(f"/structures/{autre_sid}/rattachements", headers=porteur), 403)


# -- who sees what --------------------------------------------------------------------------


def _routes(sid: str, ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every ``/structures/{id}/…`` route, with a body valid enough to pass validation."""
    s = f"/structures/{sid}"
    fichier = {
        "files": {"fichier": ("a.pdf", PDF, "application/pdf")},
        "data": {"type_piece": "AUTRE"},
    }
    return [
        ("GET", s, {}),
        ("PATCH", s, {"json": {"raison_sociale": "X"}}),
        ("POST", f"{s}/services", {"json": {"code": "X", "libelle": "X"}}),
        ("GET", f"{s}/services", {}),
        ("PATCH", f"{s}/services/{ids['service']}", {"json": {"actif": False}}),
        (
            "POST",
            f"{s}/coordonnees-bancaires",
            {"json": {"libelle": "X", "iban": IBAN_2, "bic": BIC, "piece_jointe_id": ids["piece"]}},
        ),
        ("GET", f"{s}/coordonnees-bancaires", {}),
        ("DELETE", f"{s}/coordonnees-bancaires/{ids['coordonnee']}", {}),
        ("PUT", f"{s}/espaces/frais-de-justice", {"json": {"categorie_prestataire": "PSYCHIATRE"}}),
        ("PUT", f"{s}/espaces/tic", {"json": {}}),
        ("GET", f"{s}/rattachements", {}),
        ("POST", f"{s}/rattachements/{ids['rattachement']}/validation", {}),
        ("POST", f"{s}/rattachements/{ids['rattachement']}/refus", {}),
        ("POST", f"{s}/rattachements/{ids['rattachement']}/gestionnaire", {"json": {}}),
        ("DELETE", f"{s}/rattachements/{ids['rattachement']}", {}),
        ("GET", f"{s}/habilitations", {}),
        (
            "POST",
            f"{s}/habilitations",
            {
                "json": {
                    "utilisateur_id": ids["membre"],
                    "application": "TIC",
                    "profil": "CONSULTATION",
                }
            },
        ),
        ("DELETE", f"{s}/habilitations/{ids['habilitation']}", {}),
        ("POST", f"{s}/pieces-jointes", fichier),
        ("GET", f"{s}/pieces-jointes", {}),
        ("GET", f"{s}/pieces-jointes/{ids['piece']}", {}),
        ("DELETE", f"{s}/pieces-jointes/{ids['piece']}", {}),
        (
            "POST",
            f"{s}/jetons-api",
            {
                "json": {
                    "libelle": "X",
                    "profil": "CONSULTATION",
                    "expire_le": "2024-07-01T00:00:00Z",
                }
            },
        ),
        ("GET", f"{s}/jetons-api", {}),
        ("DELETE", f"{s}/jetons-api/{ids['jeton']}", {}),
    ]


def _structure_garnie(banc: Banc, g: Entetes, m: Entetes) -> tuple[str, dict[str, str]]:
    """A structure with one of everything, and the ids of those things."""
    client = banc.client
    sid = creer_structure(client, g)["id"]
    rid = client.post(f"/structures/{sid}/rattachements", headers=m).json()["id"]
    piece = deposer(client, g, sid).json()["id"]
    coordonnee = client.post(
        f"/structures/{sid}/coordonnees-bancaires",
        json={"libelle": "C", "iban": IBAN, "bic": BIC, "piece_jointe_id": piece},
        headers=g,
    ).json()["id"]
    service = client.post(
        f"/structures/{sid}/services", json={"code": "PSY", "libelle": "Psy"}, headers=g
    ).json()["id"]
    habilitation = client.get(f"/structures/{sid}/habilitations", headers=g).json()["elements"][0][
        "id"
    ]
    jeton = client.post(
        f"/structures/{sid}/jetons-api",
        json={"libelle": "J", "profil": "CONSULTATION", "expire_le": "2024-07-01T00:00:00Z"},
        headers=g,
    ).json()["id"]
    return sid, {
        "rattachement": rid,
        "piece": piece,
        "coordonnee": coordonnee,
        "service": service,
        "habilitation": habilitation,
        "jeton": jeton,
        "membre": banc.id_de(MEMBRE),
    }


def test_une_autre_structure_est_introuvable_et_l_anonyme_non_authentifie(banc: Banc) -> None:
    client = banc.client
    g = banc.connecte(GESTIONNAIRE)
    m = banc.connecte(MEMBRE)
    e = banc.connecte(ETRANGER)
    creer_structure(client, e, identifiant=SIRET_AUTRE)
    sid, ids = _structure_garnie(banc, g, m)
    avant = client.get(f"/structures/{sid}", headers=g).json()
    routes = _routes(sid, ids)
    assert len(routes) == 25

    for methode, chemin, envoi in routes:
        anonyme = client.request(methode, chemin, **envoi)
        assert anonyme.status_code == 401, (methode, chemin, anonyme.text)
        reponse = client.request(methode, chemin, headers=e, **envoi)
        corps = exiger_probleme(reponse, 404)
        # Nothing of the structure leaks into the refusal.
        assert "Cabinet Durand" not in str(corps), (methode, chemin)
        # An unknown structure answers the same.
        inconnue = client.request(methode, chemin.replace(sid, "inconnue", 1), headers=g, **envoi)
        exiger_probleme(inconnue, 404)

    assert client.get(f"/structures/{sid}", headers=g).json() == avant
    assert client.get(f"/structures/{sid}/pieces-jointes", headers=g).json()["total"] == 1
    assert client.get(f"/structures/{sid}/jetons-api", headers=g).json()["total"] == 1
    # Asking to join is the one thing open to anyone who knows the structure's id.
    assert client.post(f"/structures/{sid}/rattachements", headers=e).status_code == 201
    exiger_probleme(client.get(f"/structures/{sid}", headers=e), 404)
    assert sid not in [s["id"] for s in client.get("/structures", headers=e).json()["elements"]]


def test_le_schema_openapi_decrit_chaque_route(banc: Banc) -> None:
    document = banc.client.get("/schema/openapi.json").json()
    operations = {
        op["operationId"]: (chemin, methode, op)
        for chemin, methodes in document["paths"].items()
        if chemin.startswith("/api/v1/structures")
        for methode, op in methodes.items()
    }
    # 28 about the structure itself, 2 about its cycle-de-vie feed.
    assert len(operations) == 30
    for chemin, methode, op in operations.values():
        assert op["tags"] == ["Structures"], chemin
        assert op["summary"], chemin
        assert "401" in op["responses"], (methode, chemin)
        if "{structure_id}" in chemin and op["operationId"] != "demander_rattachement":
            assert "404" in op["responses"], (methode, chemin)
    televersement = operations["deposer_piece_structure"][2]
    assert "multipart/form-data" in televersement["requestBody"]["content"]
    assert {"413", "415", "422"} <= set(televersement["responses"])
    assert "409" in operations["modifier_structure"][2]["responses"]


def test_moi_montre_aussi_les_demandes_en_attente(banc: Banc) -> None:
    gestionnaire = banc.connecte("gestion@cabinet.fr")
    structure = banc.structure_prete("gestion@cabinet.fr")
    candidat = banc.connecte("candidat@exemple.fr")
    assert (
        banc.client.post(f"/structures/{structure.id}/rattachements", headers=candidat).status_code
        == 201
    )
    moi = banc.client.get("/moi", headers=candidat).json()
    assert moi["rattachements"] == [
        {
            "structure_id": structure.id,
            "raison_sociale": structure.raison_sociale,
            "statut": "EN_COURS_DE_VALIDATION",
            "gestionnaire": False,
        }
    ]
    assert moi["habilitations"] == []
    # The gestionnaire still sees only his own rattachement and habilitations.
    du_gestionnaire = banc.client.get("/moi", headers=gestionnaire).json()
    assert [r["statut"] for r in du_gestionnaire["rattachements"]] == ["VALIDEE"]
    assert {h["structure_id"] for h in du_gestionnaire["habilitations"]} == {structure.id}
