"""The mémoires API of the prestataire, through the test client: the draft, its lines and
pièces, sending, what follows a refusal or a suspension, the history, the search with its
CSV export, and the synthèse."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorus.adapters.web.csv_export import (
    BOM,
    cellule,
    encoder,
    neutraliser,
    toutes_les_pages,
)
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.pieces import TAILLE_MAXIMUM
from chorus.ports.requetes import Page, Pagination
from tests.web import aides
from tests.web.aides import PDF, PNG, exiger_probleme
from tests.web.aides_memoires import Cabinet, Json, corps_ligne, monter_cabinet
from tests.web.conftest import Banc


@pytest.fixture
def cabinet(banc: Banc) -> Cabinet:
    return monter_cabinet(banc)


def _lire_csv(contenu: bytes) -> list[list[str]]:
    assert contenu.startswith(BOM.encode("utf-8"))
    texte = contenu.decode("utf-8")[1:]
    assert "\r\n" in texte
    # Every line ends with CRLF: no bare LF outside the CRLF pairs.
    assert texte.replace("\r\n", "").count("\n") == 0
    return list(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))


# -- the draft ------------------------------------------------------------------------------


def test_l_exemple_du_seed_par_l_api(cabinet: Cabinet) -> None:
    client = cabinet.client
    reponse = client.post("/memoires", json=cabinet.corps_memoire(), headers=cabinet.gestionnaire)
    assert reponse.status_code == 201, reponse.text
    memoire = reponse.json()
    assert memoire["numero"].startswith("TMP2024")
    assert memoire["statut"] == "BROUILLON"
    assert memoire["mode_depot"] == "PORTAIL"
    assert memoire["parent_id"] is None
    assert memoire["categorie_prestataire"] == "PSYCHIATRE"  # the espace's default
    assert reponse.headers["etag"] == f'"{memoire["version"]}"'

    ligne = client.post(
        f"/memoires/{memoire['id']}/lignes",
        json=corps_ligne(),
        headers={**cabinet.gestionnaire, "If-Match": reponse.headers["etag"]},
    )
    assert ligne.status_code == 201, ligne.text
    assert ligne.json()["numero_ligne"] == 1
    assert ligne.json()["montant_ht"] == "150.00"
    assert ligne.json()["montant_tva"] == "8.25"
    assert ligne.json()["montant_ttc"] == "158.25"
    assert ligne.json()["quantite"] == "1.00"
    assert ligne.json()["taux_tva"] == "5.5"

    lu = client.get(f"/memoires/{memoire['id']}", headers=cabinet.gestionnaire)
    assert lu.status_code == 200
    assert lu.headers["etag"] == ligne.headers["etag"] == f'"{lu.json()["version"]}"'
    assert lu.json()["totaux"] == {
        "montant_ht": "150.00",
        "montant_tva": "8.25",
        "recapitulatif_tva": [{"taux": "5.5", "base_ht": "150.00", "montant_tva": "8.25"}],
        "montant_debours": "0.00",
        "montant_ttc": "158.25",
        "remise_globale_ttc": "0.00",
        "net_a_payer": "158.25",
    }
    assert lu.json()["certificat"] is None
    assert lu.json()["lignes"][0]["numero_ligne"] == 1


def test_une_ligne_avec_frais_divers_debours_et_remise(cabinet: Cabinet) -> None:
    memoire = cabinet.creer(remise_globale_ttc="10")
    ligne = cabinet.ajouter_ligne(
        memoire["id"],
        quantite="2.5",
        tarif_ht="40",
        taux_tva="20",
        frais_divers=[{"libelle": "Déplacement", "montant_ht": "12.10"}],
        debours="3.2",
    )
    # 2.5 × 40 = 100.00 + 12.10 = 112.10 HT; TVA 22.42; TTC 112.10 + 22.42 + 3.20.
    assert ligne["montant_frais_divers"] == "12.10"
    assert ligne["montant_ht"] == "112.10"
    assert ligne["montant_tva"] == "22.42"
    assert ligne["montant_ttc"] == "137.72"
    assert ligne["debours"] == "3.20"
    totaux = cabinet.lire(memoire["id"])["totaux"]
    assert totaux["montant_debours"] == "3.20"
    assert totaux["remise_globale_ttc"] == "10.00"
    assert totaux["net_a_payer"] == "127.72"


@pytest.mark.parametrize(
    ("changement", "statut", "champ"),
    [
        ({"juridiction_code": "TJ-INCONNU"}, 422, "juridiction_code"),
        ({"texte_reference": "Z.999"}, 422, "texte_reference"),
        ({"type_tva": "TVA_MYSTERE"}, 400, "type_tva"),
        ({"devise": "USD"}, 422, "devise"),
        ({"remise_globale_ttc": "1.234"}, 422, "remise_globale_ttc"),
        ({"remise_globale_ttc": 12.5}, 400, "remise_globale_ttc"),
        ({"coordonnee_bancaire_id": "inconnue"}, 422, "coordonnee_bancaire_id"),
        ({"champ_inconnu": "x"}, 400, "champ_inconnu"),
    ],
)
def test_creer_refuse_une_saisie_invalide(
    cabinet: Cabinet, changement: Json, statut: int, champ: str
) -> None:
    reponse = cabinet.client.post(
        "/memoires", json=cabinet.corps_memoire(**changement), headers=cabinet.gestionnaire
    )
    corps = exiger_probleme(reponse, statut)
    assert champ in aides.champs_en_erreur(corps)
    recherche = cabinet.client.get("/memoires", headers=cabinet.gestionnaire).json()
    assert recherche["total"] == 0


def test_creer_sans_champ_obligatoire_400(cabinet: Cabinet) -> None:
    corps = cabinet.corps_memoire()
    del corps["juridiction_code"]
    reponse = cabinet.client.post("/memoires", json=corps, headers=cabinet.gestionnaire)
    assert "juridiction_code" in aides.champs_en_erreur(exiger_probleme(reponse, 400))


def test_creer_selon_l_habilitation(cabinet: Cabinet) -> None:
    client = cabinet.client
    corps = cabinet.corps_memoire()
    exiger_probleme(client.post("/memoires", json=corps), 401)
    exiger_probleme(client.post("/memoires", json=corps, headers=cabinet.consultant), 403)
    exiger_probleme(client.post("/memoires", json=corps, headers=cabinet.etranger), 404)
    exiger_probleme(client.post("/memoires", json=corps, headers=cabinet.agent), 404)
    assert client.post("/memoires", json=corps, headers=cabinet.modificateur).status_code == 201


def test_lire_selon_l_habilitation(cabinet: Cabinet) -> None:
    memoire = cabinet.creer()
    chemin = f"/memoires/{memoire['id']}"
    assert cabinet.client.get(chemin, headers=cabinet.consultant).status_code == 200
    exiger_probleme(cabinet.client.get(chemin, headers=cabinet.etranger), 404)
    exiger_probleme(cabinet.client.get(chemin), 401)
    exiger_probleme(cabinet.client.get("/memoires/inexistant", headers=cabinet.gestionnaire), 404)


def test_patch_garde_l_absent_et_efface_le_null(cabinet: Cabinet) -> None:
    memoire = cabinet.creer(numero_facture="F-1", commentaire="Premier jet")
    reponse = cabinet.client.patch(
        f"/memoires/{memoire['id']}",
        json={"numero_facture": "F-2", "commentaire": None},
        headers={**cabinet.gestionnaire, "If-Match": str(memoire["version"])},
    )
    assert reponse.status_code == 200, reponse.text
    change = reponse.json()
    assert change["numero_facture"] == "F-2"
    assert change["commentaire"] is None
    assert change["texte_reference"] == memoire["texte_reference"]
    assert change["version"] == memoire["version"] + 1
    assert reponse.headers["etag"] == f'"{change["version"]}"'


def test_patch_refuse_sans_rien_changer(cabinet: Cabinet) -> None:
    memoire = cabinet.creer(numero_facture="F-1")
    chemin = f"/memoires/{memoire['id']}"
    refus = cabinet.client.patch(
        chemin, json={"juridiction_code": "TJ-INCONNU"}, headers=cabinet.gestionnaire
    )
    assert aides.champs_en_erreur(exiger_probleme(refus, 422)) == ["juridiction_code"]
    inconnu = cabinet.client.patch(
        chemin, json={"structure_id": "autre"}, headers=cabinet.gestionnaire
    )
    exiger_probleme(inconnu, 400)
    exiger_probleme(cabinet.client.patch(chemin, json={}, headers=cabinet.consultant), 403)
    assert cabinet.lire(memoire["id"]) == memoire


def test_if_match_perime_409_et_rien_ne_change(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon()
    chemin = f"/memoires/{memoire['id']}"
    perime = {**cabinet.gestionnaire, "If-Match": f'"{memoire["version"] - 1}"'}
    tentatives = [
        cabinet.client.patch(chemin, json={"numero_facture": "X"}, headers=perime),
        cabinet.client.post(f"{chemin}/lignes", json=corps_ligne(), headers=perime),
        cabinet.client.put(f"{chemin}/lignes/1", json=corps_ligne(quantite="3"), headers=perime),
        cabinet.client.delete(f"{chemin}/lignes/1", headers=perime),
        cabinet.client.post(
            f"{chemin}/pieces-jointes",
            files={"fichier": ("a.pdf", PDF, "application/pdf")},
            data={"type_piece": "AUTRE"},
            headers=perime,
        ),
        cabinet.client.post(
            f"{chemin}/envoi", json={"attestation_sur_honneur": True}, headers=perime
        ),
        cabinet.client.post(f"{chemin}/duplication", headers=perime),
        cabinet.client.delete(chemin, headers=perime),
    ]
    for reponse in tentatives:
        corps = exiger_probleme(reponse, 409)
        assert corps["type"].endswith("conflit-de-version")
    assert cabinet.lire(memoire["id"]) == memoire
    assert cabinet.client.get("/memoires", headers=cabinet.gestionnaire).json()["total"] == 1
    malforme = {**cabinet.gestionnaire, "If-Match": "pas-une-version"}
    refus = cabinet.client.patch(chemin, json={}, headers=malforme)
    assert aides.champs_en_erreur(exiger_probleme(refus, 400)) == ["If-Match"]


def test_deux_clients_un_seul_gagne(cabinet: Cabinet) -> None:
    memoire = cabinet.creer()
    lu = {**cabinet.gestionnaire, "If-Match": str(memoire["version"])}
    premier = cabinet.client.patch(
        f"/memoires/{memoire['id']}", json={"numero_facture": "A"}, headers=lu
    )
    second = cabinet.client.patch(
        f"/memoires/{memoire['id']}", json={"numero_facture": "B"}, headers=lu
    )
    assert premier.status_code == 200
    exiger_probleme(second, 409)
    assert cabinet.lire(memoire["id"])["numero_facture"] == "A"


def test_supprimer_un_brouillon_seulement(cabinet: Cabinet) -> None:
    brouillon = cabinet.creer()
    exiger_probleme(
        cabinet.client.delete(f"/memoires/{brouillon['id']}", headers=cabinet.consultant), 403
    )
    reponse = cabinet.client.delete(f"/memoires/{brouillon['id']}", headers=cabinet.gestionnaire)
    assert reponse.status_code == 204
    exiger_probleme(
        cabinet.client.get(f"/memoires/{brouillon['id']}", headers=cabinet.gestionnaire), 404
    )
    envoye = cabinet.envoye()
    refus = cabinet.client.delete(f"/memoires/{envoye['id']}", headers=cabinet.gestionnaire)
    assert exiger_probleme(refus, 409)["type"].endswith("transition-invalide")
    assert cabinet.lire(envoye["id"])["statut"] == "ENVOYE"


def test_patch_d_un_memoire_envoye_409(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    for corps in ({"numero_facture": "X"}, {"devise": "USD"}):
        reponse = cabinet.client.patch(
            f"/memoires/{envoye['id']}", json=corps, headers=cabinet.gestionnaire
        )
        exiger_probleme(reponse, 409)
    assert cabinet.lire(envoye["id"]) == envoye


def test_patch_perime_409_avant_de_lire_la_saisie(cabinet: Cabinet) -> None:
    memoire = cabinet.creer()
    reponse = cabinet.client.patch(
        f"/memoires/{memoire['id']}",
        json={"devise": "USD"},
        headers={**cabinet.gestionnaire, "If-Match": "7"},
    )
    assert exiger_probleme(reponse, 409)["type"].endswith("conflit-de-version")


# -- lines ----------------------------------------------------------------------------------


def test_remplacer_et_supprimer_une_ligne(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon(lignes=2)
    chemin = f"/memoires/{memoire['id']}/lignes"
    remplacee = cabinet.client.put(
        f"{chemin}/2", json=corps_ligne(quantite="2"), headers=cabinet.gestionnaire
    )
    assert remplacee.status_code == 200, remplacee.text
    assert remplacee.json()["numero_ligne"] == 2
    assert remplacee.json()["montant_ttc"] == "316.50"
    supprimee = cabinet.client.delete(f"{chemin}/1", headers=cabinet.gestionnaire)
    assert supprimee.status_code == 204
    apres = cabinet.lire(memoire["id"])
    assert supprimee.headers["etag"] == f'"{apres["version"]}"'
    assert [ligne["numero_ligne"] for ligne in apres["lignes"]] == [2]
    assert apres["totaux"]["net_a_payer"] == "316.50"
    exiger_probleme(cabinet.client.delete(f"{chemin}/1", headers=cabinet.gestionnaire), 404)
    exiger_probleme(
        cabinet.client.put(f"{chemin}/9", json=corps_ligne(), headers=cabinet.gestionnaire), 404
    )


_CENTIME = Decimal("0.01")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quantite=st.decimals(min_value="0.01", max_value="999.99", places=2),
    tarif=st.decimals(min_value="0", max_value="9999.99", places=2),
    taux=st.sampled_from(["20", "10", "5.5", "2.1", "0"]),
    debours=st.decimals(min_value="0", max_value="99.99", places=2),
)
def test_les_montants_d_une_ligne_suivent_la_regle(
    cabinet: Cabinet, quantite: Decimal, tarif: Decimal, taux: str, debours: Decimal
) -> None:
    memoire = cabinet.creer()
    ligne = cabinet.ajouter_ligne(
        memoire["id"],
        quantite=str(quantite),
        tarif_ht=str(tarif),
        taux_tva=taux,
        debours=str(debours),
    )
    base = (quantite * tarif).quantize(_CENTIME, rounding=ROUND_HALF_UP)
    tva = (base * Decimal(taux) / 100).quantize(_CENTIME, rounding=ROUND_HALF_UP)
    assert ligne["montant_ht"] == str(base)
    assert ligne["montant_tva"] == str(tva)
    assert ligne["montant_ttc"] == str(base + tva + debours)
    totaux = cabinet.lire(memoire["id"])["totaux"]
    assert totaux["net_a_payer"] == ligne["montant_ttc"]
    assert totaux["recapitulatif_tva"] == [
        {"taux": taux, "base_ht": str(base), "montant_tva": str(tva)}
    ]


@pytest.mark.parametrize(
    ("changement", "statut", "champ"),
    [
        ({"quantite": "1.234"}, 422, "quantite"),
        ({"quantite": "0"}, 422, "quantite"),
        ({"quantite": 1}, 400, "quantite"),
        ({"tarif_ht": "-5"}, 422, "tarif_ht"),
        ({"taux_tva": "19.6"}, 422, "taux_tva"),
        ({"date_prestation": "2030-01-01"}, 422, "date_prestation"),
        ({"date_prestation": "pas une date"}, 400, "date_prestation"),
        ({"date_requisition": "2024-06-10"}, 422, "date_requisition"),
        ({"type_prestation": "INCONNU"}, 422, "type_prestation"),
        ({"autorite_requerante": "INCONNUE"}, 422, "autorite_requerante"),
        (
            {"frais_divers": [{"libelle": "Taxi", "montant_ht": "1.001"}]},
            422,
            "frais_divers[0].montant_ht",
        ),
    ],
)
def test_ligne_invalide(cabinet: Cabinet, changement: Json, statut: int, champ: str) -> None:
    memoire = cabinet.creer()
    reponse = cabinet.client.post(
        f"/memoires/{memoire['id']}/lignes",
        json=corps_ligne(**changement),
        headers=cabinet.gestionnaire,
    )
    assert champ in aides.champs_en_erreur(exiger_probleme(reponse, statut))
    assert cabinet.lire(memoire["id"]) == memoire


def test_lignes_d_un_memoire_envoye_409(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    chemin = f"/memoires/{envoye['id']}/lignes"
    g = cabinet.gestionnaire
    exiger_probleme(cabinet.client.post(chemin, json=corps_ligne(), headers=g), 409)
    exiger_probleme(cabinet.client.put(f"{chemin}/1", json=corps_ligne(), headers=g), 409)
    exiger_probleme(cabinet.client.delete(f"{chemin}/1", headers=g), 409)
    assert cabinet.lire(envoye["id"]) == envoye


# -- pièces ---------------------------------------------------------------------------------


def _joindre(
    cabinet: Cabinet,
    memoire_id: str,
    contenu: bytes = PDF,
    nom: str = "requisition.pdf",
    formulaire: dict[str, str] | None = None,
    **champs: str,
) -> Any:
    formulaire = {"type_piece": "REQUISITION", **(formulaire or {}), **champs}
    return cabinet.client.post(
        f"/memoires/{memoire_id}/pieces-jointes",
        files={"fichier": (nom, contenu, "application/octet-stream")},
        data=formulaire,
        headers=cabinet.gestionnaire,
    )


def test_joindre_telecharger_retirer_une_piece(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon()
    reponse = _joindre(
        cabinet,
        memoire["id"],
        nom="../../etc/Réquisition n°1.pdf",
        numero_ligne="1",
        designation="Réquisition du parquet",
    )
    assert reponse.status_code == 201, reponse.text
    piece = reponse.json()
    assert set(piece) >= {"id", "nom_fichier", "taille", "sha256", "type_piece", "numero_ligne"}
    assert piece["nom_fichier"] == "Réquisition n°1.pdf"  # no path
    assert piece["taille"] == len(PDF)
    assert len(piece["sha256"]) == 64
    assert piece["type_piece"] == "REQUISITION"
    assert piece["numero_ligne"] == 1
    assert piece["designation"] == "Réquisition du parquet"

    fichier = cabinet.client.get(
        f"/memoires/{memoire['id']}/pieces-jointes/{piece['id']}", headers=cabinet.consultant
    )
    assert fichier.status_code == 200
    assert fichier.content == PDF
    assert fichier.headers["content-type"] == "application/pdf"
    assert fichier.headers["x-content-type-options"] == "nosniff"
    disposition = fichier.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''R%C3%A9quisition%20n%C2%B01.pdf" in disposition
    exiger_probleme(
        cabinet.client.get(
            f"/memoires/{memoire['id']}/pieces-jointes/{piece['id']}", headers=cabinet.etranger
        ),
        404,
    )
    assert [p["id"] for p in cabinet.lire(memoire["id"])["pieces_jointes"]] == [piece["id"]]

    retrait = cabinet.client.delete(
        f"/memoires/{memoire['id']}/pieces-jointes/{piece['id']}", headers=cabinet.gestionnaire
    )
    assert retrait.status_code == 204
    assert cabinet.lire(memoire["id"])["pieces_jointes"] == []
    exiger_probleme(
        cabinet.client.get(
            f"/memoires/{memoire['id']}/pieces-jointes/{piece['id']}", headers=cabinet.gestionnaire
        ),
        404,
    )


def test_importer_une_piece_de_la_structure_en_json(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon()
    rib = cabinet.structure.pieces[0]
    reponse = cabinet.client.post(
        f"/memoires/{memoire['id']}/pieces-jointes",
        json={"piece_structure_id": rib.id, "numero_ligne": 1},
        headers=cabinet.gestionnaire,
    )
    assert reponse.status_code == 201, reponse.text
    assert reponse.json()["sha256"] == rib.sha256
    assert reponse.json()["numero_ligne"] == 1
    assert reponse.json()["id"] != rib.id
    inconnue = cabinet.client.post(
        f"/memoires/{memoire['id']}/pieces-jointes",
        json={"piece_structure_id": "inconnue"},
        headers=cabinet.gestionnaire,
    )
    assert aides.champs_en_erreur(exiger_probleme(inconnue, 422)) == ["piece_structure_id"]
    for corps, champ in (
        ({"piece_id": rib.id}, "piece_id"),
        ({"piece_structure_id": 3}, "piece_structure_id"),
        ({}, "piece_structure_id"),
    ):
        refus = cabinet.client.post(
            f"/memoires/{memoire['id']}/pieces-jointes", json=corps, headers=cabinet.gestionnaire
        )
        assert champ in aides.champs_en_erreur(exiger_probleme(refus, 400))
    malforme = cabinet.client.post(
        f"/memoires/{memoire['id']}/pieces-jointes",
        content=b"{pas du json",
        headers={**cabinet.gestionnaire, "Content-Type": "application/json"},
    )
    exiger_probleme(malforme, 400)
    assert len(cabinet.lire(memoire["id"])["pieces_jointes"]) == 1


def test_pieces_refusees(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon()
    mid = memoire["id"]
    texte = _joindre(cabinet, mid, contenu=b"bonjour, je suis un PDF", nom="faux.pdf")
    assert aides.champs_en_erreur(exiger_probleme(texte, 415)) == ["fichier"]
    trop_gros = _joindre(cabinet, mid, contenu=b"%PDF-" + b"0" * TAILLE_MAXIMUM)
    assert aides.champs_en_erreur(exiger_probleme(trop_gros, 413)) == ["fichier"]
    enorme = _joindre(cabinet, mid, contenu=b"%PDF-" + b"0" * (TAILLE_MAXIMUM + 1024 * 1024))
    exiger_probleme(enorme, 413)
    ligne_absente = _joindre(cabinet, mid, numero_ligne="7")
    assert aides.champs_en_erreur(exiger_probleme(ligne_absente, 422)) == ["numero_ligne"]
    for champs, champ in (
        ({"numero_ligne": "un"}, "numero_ligne"),
        ({"type_piece": "PHOTO"}, "type_piece"),
        ({"intrus": "x"}, "intrus"),
    ):
        refus = _joindre(cabinet, mid, formulaire=champs)
        assert aides.champs_en_erreur(exiger_probleme(refus, 400)) == [champ]
    sans_fichier = cabinet.client.post(
        f"/memoires/{mid}/pieces-jointes",
        data={"type_piece": "REQUISITION"},
        files={"autre": ("a.pdf", PDF, "application/pdf")},
        headers=cabinet.gestionnaire,
    )
    exiger_probleme(sans_fichier, 400)
    mauvais_type = cabinet.client.post(
        f"/memoires/{mid}/pieces-jointes",
        content=PDF,
        headers={**cabinet.gestionnaire, "Content-Type": "application/pdf"},
    )
    assert aides.champs_en_erreur(exiger_probleme(mauvais_type, 415)) == ["Content-Type"]
    consultant = cabinet.client.post(
        f"/memoires/{mid}/pieces-jointes",
        files={"fichier": ("a.pdf", PDF, "application/pdf")},
        data={"type_piece": "AUTRE"},
        headers=cabinet.consultant,
    )
    exiger_probleme(consultant, 403)
    assert cabinet.lire(mid) == memoire


def test_pieces_d_un_memoire_envoye(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon()
    piece = _joindre(cabinet, memoire["id"], contenu=PNG, nom="photo.png").json()
    envoye = cabinet.client.post(
        f"/memoires/{memoire['id']}/envoi",
        json={"attestation_sur_honneur": True},
        headers=cabinet.gestionnaire,
    ).json()
    assert {p["type_piece"] for p in envoye["pieces_jointes"]} == {
        "REQUISITION",
        "COORDONNEE_BANCAIRE",
    }
    exiger_probleme(_joindre(cabinet, memoire["id"]), 409)
    refus = cabinet.client.delete(
        f"/memoires/{memoire['id']}/pieces-jointes/{piece['id']}", headers=cabinet.gestionnaire
    )
    exiger_probleme(refus, 409)
    image = cabinet.client.get(
        f"/memoires/{memoire['id']}/pieces-jointes/{piece['id']}", headers=cabinet.gestionnaire
    )
    assert image.headers["content-type"] == "image/png"
    assert image.content == PNG
    assert cabinet.lire(memoire["id"]) == envoye


# -- sending and after ----------------------------------------------------------------------


@pytest.mark.parametrize("corps", [None, {}, {"attestation_sur_honneur": False}])
def test_envoi_sans_attestation_422(cabinet: Cabinet, corps: Json | None) -> None:
    memoire = cabinet.brouillon()
    reponse = cabinet.client.post(
        f"/memoires/{memoire['id']}/envoi", json=corps, headers=cabinet.gestionnaire
    )
    assert aides.champs_en_erreur(exiger_probleme(reponse, 422)) == ["attestation_sur_honneur"]
    assert cabinet.lire(memoire["id"]) == memoire


def test_envoi(cabinet: Cabinet) -> None:
    memoire = cabinet.brouillon()
    exiger_probleme(
        cabinet.client.post(
            f"/memoires/{memoire['id']}/envoi",
            json={"attestation_sur_honneur": True},
            headers=cabinet.consultant,
        ),
        403,
    )
    reponse = cabinet.client.post(
        f"/memoires/{memoire['id']}/envoi",
        json={"attestation_sur_honneur": True},
        headers={**cabinet.gestionnaire, "If-Match": str(memoire["version"])},
    )
    assert reponse.status_code == 200, reponse.text
    envoye = reponse.json()
    assert envoye["numero"].startswith("MJ")
    assert len(envoye["numero"]) == 13
    assert envoye["numero_brouillon"] == memoire["numero"]
    assert envoye["statut"] == "ENVOYE"
    assert len(envoye["certificat"]["empreinte"]) == 44
    assert envoye["certificat"]["date_depot"] == "2024-06-14T10:00:00Z"
    assert envoye["certificat"]["net_a_payer"] == "158.25"
    assert envoye["date_depot"] == envoye["certificat"]["date_depot"]
    assert reponse.headers["etag"] == f'"{envoye["version"]}"'
    again = cabinet.client.post(
        f"/memoires/{memoire['id']}/envoi",
        json={"attestation_sur_honneur": True},
        headers=cabinet.gestionnaire,
    )
    exiger_probleme(again, 409)


def test_envoi_sans_ligne_422(cabinet: Cabinet) -> None:
    memoire = cabinet.creer()
    reponse = cabinet.client.post(
        f"/memoires/{memoire['id']}/envoi",
        json={"attestation_sur_honneur": True},
        headers=cabinet.gestionnaire,
    )
    assert aides.champs_en_erreur(exiger_probleme(reponse, 422)) == ["lignes"]


def test_complement_d_un_memoire_suspendu(cabinet: Cabinet) -> None:
    suspendu = cabinet.suspendu()
    mid = suspendu["id"]
    piece = _joindre(cabinet, mid, nom="reponse.pdf")
    assert piece.status_code == 201, piece.text
    vide = cabinet.client.post(
        f"/memoires/{mid}/complement", json={"commentaire": "  "}, headers=cabinet.gestionnaire
    )
    assert aides.champs_en_erreur(exiger_probleme(vide, 422)) == ["commentaire"]
    reponse = cabinet.client.post(
        f"/memoires/{mid}/complement",
        json={"commentaire": "Voici la réquisition."},
        headers=cabinet.gestionnaire,
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["statut"] == "COMPLETE"
    assert [p["nom_fichier"] for p in reponse.json()["pieces_complementaires"]] == ["reponse.pdf"]
    brouillon = cabinet.creer()
    refus = cabinet.client.post(
        f"/memoires/{brouillon['id']}/complement",
        json={"commentaire": "x"},
        headers=cabinet.gestionnaire,
    )
    exiger_probleme(refus, 409)


def test_abandon_d_un_memoire_refuse(cabinet: Cabinet) -> None:
    refuse = cabinet.refuse()
    exiger_probleme(
        cabinet.client.post(f"/memoires/{refuse['id']}/abandon", headers=cabinet.consultant), 403
    )
    reponse = cabinet.client.post(f"/memoires/{refuse['id']}/abandon", headers=cabinet.gestionnaire)
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["statut"] == "ABANDONNE"
    brouillon = cabinet.creer()
    exiger_probleme(
        cabinet.client.post(f"/memoires/{brouillon['id']}/abandon", headers=cabinet.gestionnaire),
        409,
    )


def test_duplication_apres_refus(cabinet: Cabinet) -> None:
    refuse = cabinet.refuse()
    reponse = cabinet.client.post(
        f"/memoires/{refuse['id']}/duplication", headers=cabinet.gestionnaire
    )
    assert reponse.status_code == 201, reponse.text
    copie = reponse.json()
    assert copie["statut"] == "BROUILLON"
    assert copie["numero"].startswith("TMP")
    assert copie["parent_id"] == refuse["id"]
    assert [ligne["montant_ttc"] for ligne in copie["lignes"]] == ["158.25"]
    assert reponse.headers["etag"] == f'"{copie["version"]}"'
    assert cabinet.lire(refuse["id"])["statut"] == "DUPLIQUE_POST_REFUS"
    brouillon = cabinet.brouillon()
    autre = cabinet.client.post(
        f"/memoires/{brouillon['id']}/duplication", headers=cabinet.gestionnaire
    )
    assert autre.status_code == 201
    assert cabinet.lire(brouillon["id"])["statut"] == "BROUILLON"
    exiger_probleme(
        cabinet.client.post(f"/memoires/{brouillon['id']}/duplication", headers=cabinet.etranger),
        404,
    )


def test_historique(cabinet: Cabinet) -> None:
    refuse = cabinet.refuse()
    reponse = cabinet.client.get(f"/memoires/{refuse['id']}/historique", headers=cabinet.consultant)
    assert reponse.status_code == 200
    historique = reponse.json()
    assert [e["statut"] for e in historique] == [
        "BROUILLON",
        "ENVOYE",
        "MIS_A_DISPOSITION",
        "REFUSE",
    ]
    for entree in historique:
        assert set(entree) >= {"statut", "acteur", "motif", "date_evenement", "date_maj"}
    assert historique[-1]["motif"] == "RIB illisible"
    assert "greffe@tj-lyon.fr" in historique[-1]["acteur"]
    exiger_probleme(
        cabinet.client.get(f"/memoires/{refuse['id']}/historique", headers=cabinet.etranger), 404
    )


# -- search ---------------------------------------------------------------------------------


def _numeros(reponse: Any) -> set[str]:
    assert reponse.status_code == 200, reponse.text
    return {e["numero"] for e in reponse.json()["elements"]}


def test_rechercher_par_criteres(cabinet: Cabinet) -> None:
    brouillon = cabinet.brouillon(numero_facture="F-1")
    envoye = cabinet.envoye()
    refuse = cabinet.refuse()
    g = cabinet.gestionnaire
    client = cabinet.client
    tout = client.get("/memoires", headers=g)
    assert tout.json()["total"] == 3
    assert tout.json()["page"] == 1
    assert tout.json()["par_page"] == 50
    un = tout.json()["elements"][0]
    assert set(un) >= {"id", "numero", "statut", "montant_ttc", "date_statut", "juridiction_code"}
    assert un["montant_ttc"] == "158.25"
    assert _numeros(
        client.get("/memoires", params={"statut": ["ENVOYE", "REFUSE"]}, headers=g)
    ) == {envoye["numero"], refuse["numero"]}
    assert _numeros(client.get("/memoires", params={"numero": brouillon["numero"]}, headers=g)) == {
        brouillon["numero"]
    }
    assert _numeros(
        client.get("/memoires", params={"numero_affaire": "PARQUET-24-001"}, headers=g)
    ) == {brouillon["numero"], envoye["numero"], refuse["numero"]}
    assert _numeros(client.get("/memoires", params={"numero_affaire": "AUTRE"}, headers=g)) == set()
    depot = {"date_depot_du": "2024-06-14", "date_depot_au": "2024-06-14"}
    assert _numeros(client.get("/memoires", params=depot, headers=g)) == {
        envoye["numero"],
        refuse["numero"],
    }
    assert (
        _numeros(client.get("/memoires", params={"juridiction_code": "TJ-75056"}, headers=g))
        == set()
    )
    assert _numeros(
        client.get(
            "/memoires",
            params={"structure_id": cabinet.structure.id, "texte_reference": "A.43-6"},
            headers=g,
        )
    ) == {brouillon["numero"], envoye["numero"], refuse["numero"]}
    page = client.get("/memoires", params={"par_page": 2, "page": 2, "tri": "numero"}, headers=g)
    assert page.json()["total"] == 3
    assert len(page.json()["elements"]) == 1
    assert client.get("/memoires", headers=cabinet.etranger).json()["total"] == 0
    assert client.get("/memoires", headers=cabinet.consultant).json()["total"] == 3


@pytest.mark.parametrize(
    ("parametres", "statut", "champ"),
    [
        ({"statut": "INCONNU"}, 400, "statut"),
        ({"par_page": "501"}, 400, "par_page"),
        ({"par_page": "0"}, 400, "par_page"),
        ({"page": "zero"}, 400, "page"),
        ({"date_depot_du": "14/06/2024"}, 400, "date_depot_du"),
        ({"tri": "couleur"}, 422, "tri"),
        ({"date_statut_du": "2024-06-14", "date_statut_au": "2024-06-01"}, 422, "date_statut_au"),
    ],
)
def test_rechercher_criteres_invalides(
    cabinet: Cabinet, parametres: dict[str, str], statut: int, champ: str
) -> None:
    reponse = cabinet.client.get("/memoires", params=parametres, headers=cabinet.gestionnaire)
    assert champ in aides.champs_en_erreur(exiger_probleme(reponse, statut))


def test_synthese(cabinet: Cabinet) -> None:
    brouillon = cabinet.brouillon()
    cabinet.envoye()
    suspendu = cabinet.suspendu()
    refuse = cabinet.refuse()
    reponse = cabinet.client.get("/memoires/synthese", headers=cabinet.consultant)
    assert reponse.status_code == 200, reponse.text
    synthese = reponse.json()
    assert set(synthese) == {"BROUILLON", "SUSPENDU", "REFUSE"}
    assert [e["numero"] for e in synthese["BROUILLON"]["elements"]] == [brouillon["numero"]]
    assert [e["numero"] for e in synthese["SUSPENDU"]["elements"]] == [suspendu["numero"]]
    assert [e["numero"] for e in synthese["REFUSE"]["elements"]] == [refuse["numero"]]
    assert synthese["REFUSE"]["total"] == 1
    vide = cabinet.client.get("/memoires/synthese", headers=cabinet.etranger).json()
    assert all(page["total"] == 0 for page in vide.values())
    exiger_probleme(
        cabinet.client.get(
            "/memoires/synthese", params={"par_statut": 0}, headers=cabinet.gestionnaire
        ),
        400,
    )


# -- CSV ------------------------------------------------------------------------------------


def test_export_csv(cabinet: Cabinet) -> None:
    cabinet.envoye(numero_facture='=HYPERLINK("http://x")')
    cabinet.brouillon(numero_facture="-2+3")
    reponse = cabinet.client.get(
        "/memoires",
        params={"par_page": 1, "tri": "numero"},
        headers={**cabinet.gestionnaire, "Accept": "text/csv"},
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"].startswith("text/csv")
    assert reponse.headers["content-disposition"] == 'attachment; filename="memoires.csv"'
    lignes = _lire_csv(reponse.content)
    entete, *donnees = lignes
    assert entete[0] == "Numéro"
    assert "Montant TTC" in entete
    assert len(donnees) == 2  # page and par_page are ignored: every match
    par_colonne = [dict(zip(entete, ligne, strict=True)) for ligne in donnees]
    envoye = next(x for x in par_colonne if x["Numéro"].startswith("MJ"))
    assert envoye["Montant TTC"] == "158,25"
    assert envoye["Montant TVA"] == "8,25"
    assert envoye["Date de dépôt"] == "14/06/2024"
    assert envoye["État"] == "Envoyé"
    assert envoye["Numéro de facture"] == '\'=HYPERLINK("http://x")'
    brouillon = next(x for x in par_colonne if x["Numéro"].startswith("TMP"))
    assert brouillon["Numéro de facture"] == "'-2+3"
    assert brouillon["Date de dépôt"] == ""
    filtre = cabinet.client.get(
        "/memoires",
        params={"statut": "BROUILLON"},
        headers={**cabinet.gestionnaire, "Accept": "text/csv"},
    )
    assert len(_lire_csv(filtre.content)) == 2
    etranger = cabinet.client.get("/memoires", headers={**cabinet.etranger, "Accept": "text/csv"})
    assert len(_lire_csv(etranger.content)) == 1
    json_par_defaut = cabinet.client.get(
        "/memoires", headers={**cabinet.gestionnaire, "Accept": "*/*"}
    )
    assert json_par_defaut.json()["total"] == 2


@pytest.mark.parametrize(
    ("accept", "attendu"),
    [
        ("text/csv;q=0.9, application/json", "application/json"),
        ("application/json;q=0.5, text/csv", "text/csv"),
        ("text/*", "text/csv"),
        ("*/*", "application/json"),
        ("application/pdf, */*;q=0.1", "application/json"),
        ("text/csv;q=0, application/json;q=0.2", "application/json"),
    ],
)
def test_negociation_du_format(cabinet: Cabinet, accept: str, attendu: str) -> None:
    reponse = cabinet.client.get("/memoires", headers={**cabinet.gestionnaire, "Accept": accept})
    assert reponse.status_code == 200
    assert reponse.headers["content-type"].startswith(attendu)


@pytest.mark.parametrize("accept", ["application/pdf", "text/csv;q=0", "image/*"])
def test_export_csv_406_si_ni_json_ni_csv(cabinet: Cabinet, accept: str) -> None:
    reponse = cabinet.client.get("/memoires", headers={**cabinet.gestionnaire, "Accept": accept})
    assert aides.champs_en_erreur(exiger_probleme(reponse, 406)) == ["Accept"]
    invalide = cabinet.client.get(
        "/memoires",
        params={"statut": "FAUX"},
        headers={**cabinet.gestionnaire, "Accept": "text/csv"},
    )
    exiger_probleme(invalide, 400)


def test_export_de_1200_memoires_page_par_page(
    cabinet: Cabinet, monkeypatch: pytest.MonkeyPatch
) -> None:
    chorus = cabinet.banc.chorus
    gid = cabinet.gestionnaire_id
    entete = EnTete.creer(
        structure_id=cabinet.structure.id,
        juridiction_code="TJ-69123",
        texte_reference="A.43-6",
        type_tva=TypeTva.TVA_SUR_DEBITS,
    )
    for _ in range(1200):
        chorus.memoires.creer(gid, entete)
    pages: list[Pagination] = []
    rechercher = chorus.consultation.rechercher

    def espion(acteur_id: str, filtres: Any, tri: Any, pagination: Pagination) -> Any:
        pages.append(pagination)
        return rechercher(acteur_id, filtres, tri, pagination)

    monkeypatch.setattr(chorus.consultation, "rechercher", espion)
    reponse = cabinet.client.get(
        "/memoires", headers={**cabinet.gestionnaire, "Accept": "text/csv"}
    )
    assert reponse.status_code == 200
    lignes = _lire_csv(reponse.content)
    assert len(lignes) == 1 + 1200
    assert len({ligne[0] for ligne in lignes[1:]}) == 1200
    assert [p.page for p in pages] == [1, 2, 3]
    assert {p.par_page for p in pages} == {500}


def test_l_export_ne_lit_une_page_que_quand_il_en_a_besoin() -> None:
    lues: list[int] = []

    def charger(pagination: Pagination) -> Page[int]:
        lues.append(pagination.page)
        debut = pagination.decalage
        return Page(
            tuple(range(debut, min(debut + pagination.par_page, 25))),
            25,
            pagination.page,
            pagination.par_page,
        )

    elements = toutes_les_pages(charger(Pagination(1, 10)), charger)
    assert lues == [1]
    morceaux = encoder(("n",), ((e,) for e in elements), lot=10)
    premier = next(morceaux)
    assert premier.startswith(BOM.encode())
    assert lues == [1]
    next(morceaux)  # the first page's rows
    assert lues == [1]
    reste = list(morceaux)
    assert lues == [1, 2, 3]
    assert b"".join([premier, *reste]).count(b"\r\n") == 1 + 15  # header + pages 2 and 3


@given(st.text(min_size=1))
def test_une_cellule_de_texte_n_est_jamais_une_formule(texte: str) -> None:
    ecrit = neutraliser(texte)
    assert not ecrit.startswith(("=", "+", "-", "@", "\t", "\r"))
    if not texte.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert ecrit == texte
    else:
        assert ecrit == "'" + texte


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_un_montant_s_ecrit_avec_une_virgule(montant: Decimal) -> None:
    ecrit = cellule(montant)
    assert "." not in ecrit
    assert Decimal(ecrit.replace(",", ".")) == montant


def test_des_cellules_francaises() -> None:
    assert cellule(date(2024, 1, 5)) == "05/01/2024"
    # 23:30 UTC on 31 December is already 1 January in Paris.
    assert cellule(datetime(2023, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2024"
    assert cellule(None) == ""
    assert cellule(12) == "12"
