"""Batches of status events through the API: a JSON body or a CSV/JSON file, the report,
the report read again, the waiting events; bad input refused in French, nothing changed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.web.aides import exiger_probleme
from tests.web.aides_memoires import Cabinet, Json, instant, monter_cabinet
from tests.web.conftest import Banc

CHEMIN = "/traitement/lots-statuts"


@pytest.fixture
def cabinet(banc: Banc) -> Cabinet:
    return monter_cabinet(banc)


def _evenement(cabinet: Cabinet, memoire: Json, action: str, reference: str, **champs: Any) -> Json:
    return {
        "numero_memoire": memoire["numero"],
        "action": action,
        "date_evenement": instant(cabinet.banc),
        "reference_evenement": reference,
        **champs,
    }


def _memoire(cabinet: Cabinet, memoire: Json) -> Json:
    reponse = cabinet.client.get(f"/traitement/memoires/{memoire['id']}", headers=cabinet.comptable)
    assert reponse.status_code == 200, reponse.text
    corps: Json = reponse.json()
    return corps


def test_un_lot_json_et_son_compte_rendu(cabinet: Cabinet) -> None:
    memoire = cabinet.envoye()
    cabinet.banc.horloge.avancer(timedelta(minutes=1))
    corps = {
        "evenements": [
            # The certification first in the file: event order puts it after.
            _evenement(
                cabinet, memoire, "CERTIFICATION", "C-1", montant_certifie=100.5, motif="Taxé"
            ),
            _evenement(cabinet, memoire, "MISE_A_DISPOSITION", "M-1"),
            _evenement(cabinet, memoire, "MISE_A_DISPOSITION", "M-1"),
            _evenement(cabinet, memoire, "REFUS", "R-1"),
        ]
    }
    reponse = cabinet.client.post(CHEMIN, json=corps, headers=cabinet.agent)
    assert reponse.status_code == 200, reponse.text
    rapport = reponse.json()
    assert rapport["numero_lot"] == "LS000000001"
    assert (
        rapport["appliques"],
        rapport["deja_appliques"],
        rapport["en_attente"],
        rapport["refuses"],
    ) == (2, 1, 0, 1)
    assert [(r["position"], r["issue"], r["champ"]) for r in rapport["resultats"]] == [
        ("evenements[0]", "APPLIQUE", None),
        ("evenements[1]", "APPLIQUE", None),
        ("evenements[2]", "DEJA_APPLIQUE", None),
        ("evenements[3]", "REFUSE", "motif"),
    ]
    assert rapport["resultats"][3]["message"] == "Le motif est obligatoire pour le refus."
    lu = _memoire(cabinet, memoire)
    assert lu["statut"] == "CERTIFIE"
    assert lu["montant_certifie"] == "100.50"

    relu = cabinet.client.get(f"{CHEMIN}/LS000000001", headers=cabinet.agent)
    assert relu.status_code == 200
    assert relu.json() == rapport
    exiger_probleme(
        cabinet.client.get(f"{CHEMIN}/LS000000001", headers=cabinet.agent_ailleurs), 404
    )
    exiger_probleme(cabinet.client.get(f"{CHEMIN}/LS999999999", headers=cabinet.agent), 404)


def test_un_fichier_csv_en_attente_puis_applique(cabinet: Cabinet) -> None:
    memoire = cabinet.envoye()
    cabinet.banc.horloge.avancer(timedelta(minutes=1))
    date = instant(cabinet.banc)
    csv = (
        "numero_memoire;action;date_evenement;reference_evenement;montant_certifie;motif\n"
        f"{memoire['numero']};CERTIFICATION;{date};C-1;120,00;Taxé\n"
    ).encode()
    premier = cabinet.client.post(
        CHEMIN, files={"fichier": ("lot.csv", csv, "text/csv")}, headers=cabinet.agent
    )
    assert premier.status_code == 200, premier.text
    assert [(r["position"], r["issue"]) for r in premier.json()["resultats"]] == [
        ("ligne 2", "EN_ATTENTE")
    ]
    attente = cabinet.client.get("/traitement/evenements-en-attente", headers=cabinet.agent)
    assert attente.status_code == 200
    page = attente.json()
    assert page["total"] == 1
    element = page["elements"][0]
    assert (element["reference_evenement"], element["montant_certifie"], element["numero_lot"]) == (
        "C-1",
        "120.00",
        "LS000000001",
    )
    vide = cabinet.client.get("/traitement/evenements-en-attente", headers=cabinet.agent_ailleurs)
    assert vide.json()["total"] == 0

    # The mise à disposition, by hand: the certification that waited applies with it.
    reponse = cabinet.client.post(
        f"/traitement/memoires/{memoire['id']}/evenements",
        json={
            "action": "MISE_A_DISPOSITION",
            "date_evenement": date,
            "reference_evenement": "M-1",
        },
        headers=cabinet.agent,
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["statut"] == "CERTIFIE"
    vide = cabinet.client.get("/traitement/evenements-en-attente", headers=cabinet.agent)
    assert vide.json()["total"] == 0


def test_un_fichier_json_et_son_format(cabinet: Cabinet) -> None:
    memoire = cabinet.envoye()
    cabinet.banc.horloge.avancer(timedelta(minutes=1))
    contenu = json.dumps(
        {
            "evenements": [
                {
                    "numero_memoire": memoire["numero"],
                    "action": "MISE_A_DISPOSITION",
                    "date_evenement": instant(cabinet.banc),
                    "reference_evenement": "M-1",
                }
            ]
        }
    )
    reponse = cabinet.client.post(
        CHEMIN,
        files={"fichier": ("lot.txt", contenu.encode(), "text/plain")},
        data={"format": "json"},
        headers=cabinet.agent,
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["appliques"] == 1


@pytest.mark.parametrize(
    ("envoi", "statut", "champ", "extrait"),
    [
        # The JSON body's envelope is the request's syntax: 400, as for any JSON body.
        (
            {"content": b'{"evenements": [', "headers": {"Content-Type": "application/json"}},
            400,
            "corps",
            "JSON valide",
        ),
        ({"json": {"lignes": []}}, 400, "lignes", "lignes"),
        ({"json": {"evenements": {}}}, 400, "evenements", "evenements"),
        ({"json": {"evenements": []}}, 422, "evenements", "aucun événement"),
        # A file's content is data: 422 naming the file.
        (
            {"files": {"fichier": ("lot.json", b'{"lignes": []}', "application/json")}},
            422,
            "fichier",
            "« evenements »",
        ),
        (
            {"files": {"fichier": ("lot.json", b'{"evenements": [', "application/json")}},
            422,
            "fichier",
            "JSON valide",
        ),
        (
            {"content": b"x", "headers": {"Content-Type": "text/plain"}},
            415,
            "Content-Type",
            "non accepté",
        ),
        (
            {"files": {"fichier": ("lot.txt", b"x", "text/plain")}},
            422,
            "format",
            "Indiquez le format",
        ),
        (
            {"files": {"fichier": ("lot.csv", b"a;b\n", "text/csv")}},
            422,
            "fichier",
            "Colonne inconnue",
        ),
        ({"files": {"fichier": ("lot.csv", b"\xff\xfe", "text/csv")}}, 422, "fichier", "UTF-8"),
        ({"files": {"autre": ("lot.csv", b"x", "text/csv")}}, 400, "autre", "Champ inconnu"),
        (
            {"data": {"format": "CSV"}, "files": {"x": ("a", b"", "text/plain")}},
            400,
            "x",
            "Champ inconnu",
        ),
        (
            {"files": {"fichier": ("lot.xml", b"<a/>", "text/xml")}, "data": {"format": "XML"}},
            422,
            "format",
            "inconnu",
        ),
    ],
)
def test_les_envois_fautifs_sont_refuses_sans_rien_changer(
    cabinet: Cabinet, envoi: dict[str, Any], statut: int, champ: str, extrait: str
) -> None:
    memoire = cabinet.envoye()
    avant = _memoire(cabinet, memoire)
    reponse = cabinet.client.post(
        CHEMIN, headers={**cabinet.agent, **envoi.pop("headers", {})}, **envoi
    )
    probleme = exiger_probleme(reponse, statut)
    assert extrait in probleme["detail"], probleme
    assert [e["champ"] for e in probleme.get("errors") or ()] in ([champ], [])
    assert _memoire(cabinet, memoire) == avant
    exiger_probleme(cabinet.client.get(f"{CHEMIN}/LS000000001", headers=cabinet.comptable), 404)


def test_un_prestataire_est_refuse(cabinet: Cabinet) -> None:
    memoire = cabinet.envoye()
    corps = {"evenements": [_evenement(cabinet, memoire, "MISE_A_DISPOSITION", "M-1")]}
    exiger_probleme(cabinet.client.post(CHEMIN, json=corps, headers=cabinet.gestionnaire), 403)
    exiger_probleme(cabinet.client.post(CHEMIN, json=corps), 401)
    exiger_probleme(
        cabinet.client.get("/traitement/evenements-en-attente", headers=cabinet.gestionnaire), 403
    )
    assert _memoire(cabinet, memoire)["statut"] == "ENVOYE"
