"""The dépôt flux over HTTP: the deposit answers 202 without integrating anything, the
background integration (simulated here by calling the use case, as the server's loop does)
moves the flux on, and its report — JSON or CSV — names each refused mémoire's errors with
their positions and fields. Bad forms are refused in French, naming the field, storing
nothing; another structure's flux does not exist for its users."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import pytest

from chorus.domain.flux.flux import StatutFlux
from chorus.ports.requetes import Pagination
from chorus.services import flux as service_flux
from tests import flux_a_deposer as fichiers
from tests.web import aides
from tests.web.aides_memoires import AUJOURDHUI, Cabinet, monter_cabinet
from tests.web.conftest import Banc

Json = dict[str, Any]


@pytest.fixture
def cabinet(banc: Banc) -> Cabinet:
    return monter_cabinet(banc)


def _flux(*memoires: Json) -> bytes:
    return fichiers.document(memoires)


def _memoire(reference: str, **changements: Any) -> Json:
    corps = fichiers.memoire(reference, aides.IBAN, AUJOURDHUI)
    corps.update(changements)
    return corps


def deposer(
    cabinet: Cabinet,
    contenu: bytes,
    *,
    nom: str = "memoires.json",
    entetes: aides.Entetes | None = None,
    pieces: bytes | None = None,
    formulaire: dict[str, str] | None = None,
) -> Any:
    donnees = {"structure_id": cabinet.structure.id, **(formulaire or {})}
    fichiers_envoyes: dict[str, tuple[str, bytes, str]] = {
        "fichier": (nom, contenu, "application/octet-stream")
    }
    if pieces is not None:
        fichiers_envoyes["pieces"] = ("pieces.zip", pieces, "application/zip")
    return cabinet.client.post(
        "/flux",
        files=fichiers_envoyes,
        data={k: v for k, v in donnees.items() if v is not None},
        headers=entetes or cabinet.gestionnaire,
    )


def lire(cabinet: Cabinet, numero: str, entetes: aides.Entetes | None = None) -> Json:
    reponse = cabinet.client.get(f"/flux/{numero}", headers=entetes or cabinet.gestionnaire)
    assert reponse.status_code == 200, reponse.text
    corps: Json = reponse.json()
    return corps


def nombre_de_flux(cabinet: Cabinet) -> int:
    chorus = cabinet.banc.chorus
    return chorus.flux.lister(cabinet.gestionnaire_id, cabinet.structure.id, Pagination()).total


def test_le_depot_repond_202_et_l_integration_se_fait_en_arriere_plan(cabinet: Cabinet) -> None:
    contenu = _flux(
        _memoire("REF-1"),
        _memoire("REF-2", lignes=[{**fichiers.lignes(AUJOURDHUI, 1)[0], "tarif_ht": "cent"}]),
        _memoire("REF-3"),
    )
    reponse = deposer(cabinet, contenu)
    assert reponse.status_code == 202, reponse.text
    depose = reponse.json()
    numero = depose["numero_flux"]
    assert numero.startswith("FL")
    assert depose["statut"] == "IN_RECU"
    assert depose["libelle_statut"] == "Reçu"
    assert depose["format"] == "JSON"  # told by the file's extension
    assert depose["nom_fichier"] == "memoires.json"
    assert depose["total"] is None
    assert reponse.headers["location"] == f"/api/v1/flux/{numero}"

    # Nothing is integrated in the request.
    recu = lire(cabinet, numero)
    assert recu["statut"] == "IN_RECU"
    assert recu["rapport"] == []
    assert cabinet.client.get("/memoires", headers=cabinet.gestionnaire).json()["total"] == 0

    (traite,) = cabinet.banc.chorus.flux.traiter_en_attente()
    assert traite.statut is StatutFlux.IN_INTEGRE_PARTIEL

    lu = lire(cabinet, numero)
    assert lu["statut"] == "IN_INTEGRE_PARTIEL"
    assert lu["libelle_statut"] == "Intégré partiellement"
    assert (lu["total"], lu["traites"], lu["integres"], lu["refuses"]) == (3, 3, 2, 1)
    assert [r["reference"] for r in lu["rapport"]] == ["REF-1", "REF-2", "REF-3"]
    assert [r["issue"] for r in lu["rapport"]] == ["INTEGRE", "REFUSE", "INTEGRE"]
    refuse = lu["rapport"][1]
    assert refuse["numero_memoire"] is None
    assert [(e["ligne"], e["champ"]) for e in refuse["erreurs"]] == [
        ("memoires[1].lignes[0]", "tarif_ht")
    ]
    assert "« cent » n'est pas un nombre décimal" in refuse["erreurs"][0]["message"]
    integre = lu["rapport"][0]
    assert integre["erreurs"] == []
    memoire = cabinet.lire(integre["memoire_id"])
    assert memoire["numero"] == integre["numero_memoire"]
    assert memoire["mode_depot"] == "FLUX"
    assert memoire["statut"] == "BROUILLON"
    assert len(memoire["lignes"]) == 2


def test_le_rapport_en_csv(cabinet: Cabinet) -> None:
    contenu = _flux(
        _memoire("REF-1"),
        _memoire("REF-2", juridiction_code="TJ-00000", type_tva="AU_PIF"),
    )
    numero = deposer(cabinet, contenu).json()["numero_flux"]
    cabinet.banc.chorus.flux.traiter_en_attente()
    reponse = cabinet.client.get(
        f"/flux/{numero}", headers={**cabinet.gestionnaire, "Accept": "text/csv"}
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"].startswith("text/csv")
    assert f"rapport-{numero}.csv" in reponse.headers["content-disposition"]
    texte = reponse.content.decode("utf-8-sig")
    entete, *lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert entete[:3] == ["Rang", "Référence", "Résultat"]
    assert lignes[0][:3] == ["1", "REF-1", "Intégré"]
    assert lignes[0][3].startswith("TMP")
    refus = [ligne for ligne in lignes if ligne[1] == "REF-2"]
    assert {(ligne[4], ligne[5]) for ligne in refus} >= {
        ("memoires[1]", "juridiction_code"),
        ("memoires[1]", "type_tva"),
    }
    assert all(ligne[2] == "Refusé" and ligne[6] for ligne in refus)


def test_la_liste_des_flux_de_la_structure_le_plus_recent_d_abord(cabinet: Cabinet) -> None:
    premier = deposer(cabinet, _flux(_memoire("REF-1"))).json()["numero_flux"]
    second = deposer(cabinet, b"reference;juridiction_code\n", nom="m.csv").json()
    assert second["format"] == "CSV"
    reponse = cabinet.client.get(
        "/flux", params={"structure_id": cabinet.structure.id}, headers=cabinet.consultant
    )
    assert reponse.status_code == 200, reponse.text
    page = reponse.json()
    assert page["total"] == 2
    assert [f["numero_flux"] for f in page["elements"]] == [second["numero_flux"], premier]
    assert "rapport" not in page["elements"][0]
    autre = cabinet.client.get(
        "/flux", params={"structure_id": cabinet.structure.id}, headers=cabinet.etranger
    )
    aides.exiger_probleme(autre, 404)


def test_un_fichier_illisible_rejette_le_flux_avec_son_motif(cabinet: Cabinet) -> None:
    numero = deposer(cabinet, b"{ pas du json", nom="f.json").json()["numero_flux"]
    cabinet.banc.chorus.flux.traiter_en_attente()
    lu = lire(cabinet, numero)
    assert lu["statut"] == "IN_REJETE"
    assert lu["motif_rejet"]
    assert lu["integres"] == 0


def test_le_flux_d_une_autre_structure_est_introuvable(cabinet: Cabinet) -> None:
    numero = deposer(cabinet, _flux(_memoire("REF-1"))).json()["numero_flux"]
    probleme = aides.exiger_probleme(
        cabinet.client.get(f"/flux/{numero}", headers=cabinet.etranger), 404
    )
    assert cabinet.structure.raison_sociale not in json.dumps(probleme)
    aides.exiger_probleme(
        cabinet.client.get(f"/flux/{numero}", headers={**cabinet.etranger, "Accept": "text/csv"}),
        404,
    )
    aides.exiger_probleme(
        cabinet.client.get("/flux/FL2024000000999", headers=cabinet.gestionnaire), 404
    )
    # Consultation reads the flux, it does not deposit one.
    assert lire(cabinet, numero, cabinet.consultant)["numero_flux"] == numero
    aides.exiger_probleme(deposer(cabinet, _flux(_memoire("R")), entetes=cabinet.consultant), 403)
    # Another structure's user deposits nothing on A.
    aides.exiger_probleme(deposer(cabinet, _flux(_memoire("R")), entetes=cabinet.etranger), 404)
    aides.exiger_probleme(cabinet.client.get(f"/flux/{numero}"), 401)
    faux = {"Authorization": "Bearer faux"}
    aides.exiger_probleme(deposer(cabinet, b"", nom="x.txt", entetes=faux), 401)
    assert nombre_de_flux(cabinet) == 1


@pytest.mark.parametrize(
    ("nom", "champs", "statut", "champ"),
    [
        ("memoires.txt", {}, 422, "format"),
        ("memoires", {}, 422, "format"),
        ("memoires.json", {"format": "PDF"}, 422, "format"),
        ("memoires.json", {"envoi_direct": "true"}, 422, "attestation_sur_honneur"),
        ("memoires.json", {"envoi_direct": "peut-être"}, 400, "envoi_direct"),
        ("memoires.json", {"structure_id": ""}, 400, "structure_id"),
        ("memoires.json", {"commentaire": "x"}, 400, "commentaire"),
    ],
)
def test_un_formulaire_invalide_est_refuse_en_nommant_le_champ(
    cabinet: Cabinet, nom: str, champs: dict[str, str], statut: int, champ: str
) -> None:
    reponse = deposer(cabinet, _flux(_memoire("REF-1")), nom=nom, formulaire=champs)
    probleme = aides.exiger_probleme(reponse, statut)
    assert [e["champ"] for e in probleme.get("errors", [])] == [champ], probleme
    assert nombre_de_flux(cabinet) == 0


def test_un_fichier_vide_ou_absent_et_un_corps_json_sont_refuses(cabinet: Cabinet) -> None:
    vide = aides.exiger_probleme(deposer(cabinet, b""), 422)
    assert [e["champ"] for e in vide["errors"]] == ["fichier"]
    sans_fichier = cabinet.client.post(
        "/flux",
        files={"pieces": ("p.zip", b"PK", "application/zip")},
        data={"structure_id": cabinet.structure.id},
        headers=cabinet.gestionnaire,
    )
    assert [e["champ"] for e in aides.exiger_probleme(sans_fichier, 400)["errors"]] == ["fichier"]
    en_json = cabinet.client.post(
        "/flux", json={"structure_id": cabinet.structure.id}, headers=cabinet.gestionnaire
    )
    aides.exiger_probleme(en_json, 415)
    assert nombre_de_flux(cabinet) == 0


def test_un_fichier_trop_volumineux_est_refuse_413(
    cabinet: Cabinet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service_flux, "TAILLE_MAXIMUM_FICHIER", service_flux.MEGA_OCTET)
    contenu = _flux(_memoire("REF-1")).ljust(service_flux.MEGA_OCTET + 1)
    probleme = aides.exiger_probleme(deposer(cabinet, contenu), 413)
    assert [e["champ"] for e in probleme["errors"]] == ["fichier"]
    assert "1 Mo" in probleme["detail"]
    assert nombre_de_flux(cabinet) == 0


def test_le_format_donne_l_emporte_sur_l_extension(cabinet: Cabinet) -> None:
    reponse = deposer(
        cabinet, _flux(_memoire("REF-1")), nom="export.txt", formulaire={"format": "json"}
    )
    assert reponse.status_code == 202, reponse.text
    assert reponse.json()["format"] == "JSON"


def test_l_envoi_direct_et_les_pieces_du_zip(cabinet: Cabinet) -> None:
    piece = {"fichier": "requisition.pdf", "type_piece": "REQUISITION", "numero_ligne": "1"}
    absente = {**piece, "fichier": "absente.pdf"}
    contenu = _flux(_memoire("REF-1", pieces=[piece]), _memoire("REF-2", pieces=[absente]))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zip_:
        zip_.writestr("requisition.pdf", aides.PDF)
    formulaire = {"envoi_direct": "true", "attestation_sur_honneur": "true"}
    reponse = deposer(cabinet, contenu, pieces=archive.getvalue(), formulaire=formulaire)
    assert reponse.status_code == 202, reponse.text
    assert reponse.json()["envoi_direct"] is True
    cabinet.banc.chorus.flux.traiter_en_attente()
    lu = lire(cabinet, reponse.json()["numero_flux"])
    assert [r["issue"] for r in lu["rapport"]] == ["INTEGRE", "REFUSE"]
    assert [(e["ligne"], e["champ"]) for e in lu["rapport"][1]["erreurs"]] == [
        ("memoires[1].pieces[0]", "fichier")
    ]
    envoye = cabinet.lire(lu["rapport"][0]["memoire_id"])
    assert envoye["numero"] == lu["rapport"][0]["numero_memoire"]
    assert envoye["numero"].startswith("MJ")
    assert envoye["statut"] != "BROUILLON"
    # Sent as by hand: the pièce of the ZIP, and the RIB joined at the sending.
    types = [p["type_piece"] for p in envoye["pieces_jointes"]]
    assert types == ["REQUISITION", "COORDONNEE_BANCAIRE"]


@pytest.mark.parametrize(
    ("chemin", "type_attendu"),
    [
        ("/flux/schemas/memoires.schema.json", "application/schema+json"),
        ("/flux/schemas/memoires.xsd", "application/xml"),
    ],
)
def test_les_schemas_des_formats_sont_publies(banc: Banc, chemin: str, type_attendu: str) -> None:
    reponse = banc.client.get(chemin)
    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"].startswith(type_attendu)
    if chemin.endswith(".json"):
        schema = reponse.json()
        assert "memoires" in schema["properties"]
    else:
        assert b"schema" in reponse.content
        assert b"urn:chorus:flux:memoires:1" in reponse.content


def test_le_flux_et_son_rapport_sont_lus_d_une_seule_lecture(
    cabinet: Cabinet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lone surrogate in the file refuses its mémoire only (the flux ends), and
    ``GET /flux/{numero}`` reads the flux and its report together, never in two reads that
    could disagree while a chunk is integrated."""
    contenu = _flux(_memoire("\ud800"), _memoire("REF-2"))
    numero = deposer(cabinet, contenu).json()["numero_flux"]
    (traite,) = cabinet.banc.chorus.flux.traiter_en_attente()
    assert traite.statut is StatutFlux.IN_INTEGRE_PARTIEL

    def lecture_separee(*_: object) -> None:
        raise AssertionError("flux and report read apart")

    monkeypatch.setattr(service_flux.FluxService, "obtenir", lecture_separee)
    monkeypatch.setattr(service_flux.FluxService, "rapport", lecture_separee)
    lu = lire(cabinet, numero)
    assert (lu["traites"], lu["integres"], lu["refuses"]) == (2, 1, 1)
    refuse = lu["rapport"][0]
    assert refuse["reference"] is None
    assert [(e["ligne"], e["champ"], e["message"]) for e in refuse["erreurs"]] == [
        ("memoires[0]", "reference", "Le texte contient des caractères invalides.")
    ]
    reponse = cabinet.client.get(
        f"/flux/{numero}", headers={**cabinet.gestionnaire, "Accept": "text/csv"}
    )
    assert reponse.status_code == 200, reponse.text
