"""The back office on mémoires through the API: what an agent sees (their juridictions'
sent mémoires only), and the processing events (idempotent by their reference)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chorus.domain.traitement import ActionTraitement
from tests.web import aides
from tests.web.aides import exiger_probleme
from tests.web.aides_memoires import Cabinet, Json, instant, monter_cabinet
from tests.web.conftest import Banc


@pytest.fixture
def cabinet(banc: Banc) -> Cabinet:
    return monter_cabinet(banc)


def _evenement(cabinet: Cabinet, action: str, reference: str = "EVT-1", **champs: Any) -> Json:
    corps: Json = {
        "action": action,
        "date_evenement": instant(cabinet.banc),
        "reference_evenement": reference,
    }
    corps.update(champs)
    return corps


def _poster(cabinet: Cabinet, memoire_id: str, corps: Json, entetes: aides.Entetes) -> Any:
    return cabinet.client.post(
        f"/traitement/memoires/{memoire_id}/evenements", json=corps, headers=entetes
    )


def test_l_agent_ne_voit_que_les_memoires_transmis_de_ses_juridictions(cabinet: Cabinet) -> None:
    lyon = cabinet.envoye()
    paris = cabinet.envoye(juridiction_code="TJ-75056")
    cabinet.brouillon()
    client = cabinet.client
    vus = client.get("/traitement/memoires", headers=cabinet.agent)
    assert vus.status_code == 200, vus.text
    assert [e["numero"] for e in vus.json()["elements"]] == [lyon["numero"]]
    assert vus.json()["total"] == 1
    ailleurs = client.get("/traitement/memoires", headers=cabinet.agent_ailleurs).json()
    assert [e["numero"] for e in ailleurs["elements"]] == [paris["numero"]]
    # A comptable without juridiction sees every sent mémoire, never a draft.
    tous = client.get("/traitement/memoires", headers=cabinet.comptable).json()
    assert {e["numero"] for e in tous["elements"]} == {lyon["numero"], paris["numero"]}
    filtre = client.get(
        "/traitement/memoires",
        params={"statut": "MIS_A_DISPOSITION"},
        headers=cabinet.comptable,
    )
    assert filtre.json()["total"] == 0


def test_la_recherche_du_back_office_refuse_les_prestataires(cabinet: Cabinet) -> None:
    cabinet.envoye()
    exiger_probleme(cabinet.client.get("/traitement/memoires", headers=cabinet.gestionnaire), 403)
    exiger_probleme(cabinet.client.get("/traitement/memoires"), 401)
    refus = cabinet.client.get(
        "/traitement/memoires", params={"statut": "NON"}, headers=cabinet.agent
    )
    exiger_probleme(refus, 400)


def test_consulter_un_memoire_transmis(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    brouillon = cabinet.brouillon()
    lu = cabinet.client.get(f"/traitement/memoires/{envoye['id']}", headers=cabinet.agent)
    assert lu.status_code == 200
    assert lu.json()["numero"] == envoye["numero"]
    assert lu.headers["etag"] == f'"{envoye["version"]}"'
    for chemin, entetes in (
        (envoye["id"], cabinet.agent_ailleurs),
        (brouillon["id"], cabinet.agent),
        ("inexistant", cabinet.agent),
    ):
        exiger_probleme(cabinet.client.get(f"/traitement/memoires/{chemin}", headers=entetes), 404)
    exiger_probleme(
        cabinet.client.get(f"/traitement/memoires/{envoye['id']}", headers=cabinet.gestionnaire),
        403,
    )


def test_le_circuit_jusqu_a_la_mise_en_paiement(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    mid = envoye["id"]
    etapes = (
        (cabinet.agent, _evenement(cabinet, "MISE_A_DISPOSITION", "E1"), "MIS_A_DISPOSITION"),
        (
            cabinet.agent,
            _evenement(cabinet, "CERTIFICATION", "E2", montant_certifie="150.00", motif="Taxé"),
            "CERTIFIE",
        ),
        (
            cabinet.comptable,
            _evenement(cabinet, "MISE_EN_PAIEMENT", "E3", montant_paye="150.00"),
            "MIS_EN_PAIEMENT",
        ),
    )
    for entetes, corps, statut in etapes:
        reponse = _poster(cabinet, mid, corps, entetes)
        assert reponse.status_code == 200, reponse.text
        assert reponse.json()["statut"] == statut
        assert reponse.headers["etag"] == f'"{reponse.json()["version"]}"'
    paye = cabinet.lire(mid)
    assert paye["montant_certifie"] == "150.00"
    assert paye["montant_paye"] == "150.00"
    assert paye["date_paiement"] == "2024-06-14"
    historique = cabinet.client.get(f"/memoires/{mid}/historique", headers=cabinet.gestionnaire)
    derniers = historique.json()[-3:]
    assert [e["statut"] for e in derniers] == ["MIS_A_DISPOSITION", "CERTIFIE", "MIS_EN_PAIEMENT"]
    assert derniers[1]["motif"] == "Taxé"
    assert derniers[1]["montant"] == "150.00"
    for entree in derniers:
        assert entree["date_evenement"] == "2024-06-14T12:00:00+02:00"
        assert entree["date_maj"] == "2024-06-14T10:00:00Z"


def test_un_evenement_rejoue_ne_change_rien(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    corps = _evenement(cabinet, "MISE_A_DISPOSITION", "EVT-42")
    premier = _poster(cabinet, envoye["id"], corps, cabinet.agent)
    assert premier.status_code == 200
    avant = cabinet.lire(envoye["id"])
    cabinet.banc.horloge.avancer(timedelta(hours=2))
    rejoue = _poster(cabinet, envoye["id"], corps, cabinet.agent)
    assert rejoue.status_code == 200, rejoue.text
    assert rejoue.json() == premier.json()
    assert cabinet.lire(envoye["id"]) == avant
    historique = cabinet.client.get(
        f"/memoires/{envoye['id']}/historique", headers=cabinet.gestionnaire
    ).json()
    assert [e["reference_evenement"] for e in historique].count("EVT-42") == 1
    autre_action = _poster(
        cabinet,
        envoye["id"],
        _evenement(cabinet, "REFUS", "EVT-42", motif="Doublon"),
        cabinet.agent,
    )
    assert "reference_evenement" in aides.champs_en_erreur(exiger_probleme(autre_action, 409))
    assert cabinet.lire(envoye["id"]) == avant


def test_un_agent_d_une_autre_juridiction_recoit_404(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    reponse = _poster(
        cabinet, envoye["id"], _evenement(cabinet, "MISE_A_DISPOSITION"), cabinet.agent_ailleurs
    )
    exiger_probleme(reponse, 404)
    assert cabinet.lire(envoye["id"]) == envoye
    brouillon = cabinet.brouillon()
    exiger_probleme(
        _poster(cabinet, brouillon["id"], _evenement(cabinet, "MISE_A_DISPOSITION"), cabinet.agent),
        404,
    )


@pytest.mark.parametrize(
    ("changement", "statut", "champ"),
    [
        ({"action": "SUSPENSION"}, 422, "motif"),
        ({"action": "REFUS", "motif": "  "}, 422, "motif"),
        ({"action": "VALIDATION"}, 400, "action"),
        ({"date_evenement": "2024-06-14T12:00:00"}, 422, "date_evenement"),
        ({"date_evenement": "2024-06-13T12:00:00+02:00"}, 422, "date_evenement"),
        ({"date_evenement": "2024-06-15T12:00:00+02:00"}, 422, "date_evenement"),
        ({"date_evenement": "hier"}, 400, "date_evenement"),
        ({"reference_evenement": ""}, 422, "reference_evenement"),
        ({"montant_certifie": "1.001", "action": "CERTIFICATION"}, 422, "montant_certifie"),
        ({"montant_certifie": "999.00", "action": "CERTIFICATION"}, 422, "montant_certifie"),
        ({"montant_certifie": "100.00", "action": "CERTIFICATION"}, 422, "motif"),
        ({"inconnu": 1}, 400, "inconnu"),
    ],
)
def test_evenement_invalide(cabinet: Cabinet, changement: Json, statut: int, champ: str) -> None:
    memoire = cabinet.mis_a_disposition()
    corps = _evenement(cabinet, "CERTIFICATION", "EVT-X")
    corps.update(changement)
    reponse = _poster(cabinet, memoire["id"], corps, cabinet.agent)
    assert champ in aides.champs_en_erreur(exiger_probleme(reponse, statut))
    assert cabinet.lire(memoire["id"]) == memoire


def test_evenements_hors_circuit(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    # Paying a mémoire that is not certified: the status table refuses it.
    trop_tot = _poster(
        cabinet, envoye["id"], _evenement(cabinet, "MISE_EN_PAIEMENT"), cabinet.comptable
    )
    exiger_probleme(trop_tot, 409)
    # The comptable does not make mémoires available; the agent does not pay them.
    exiger_probleme(
        _poster(
            cabinet, envoye["id"], _evenement(cabinet, "MISE_A_DISPOSITION"), cabinet.comptable
        ),
        403,
    )
    cabinet.evenement(envoye["id"], ActionTraitement.MISE_A_DISPOSITION)
    cabinet.evenement(envoye["id"], ActionTraitement.CERTIFICATION)
    exiger_probleme(
        _poster(cabinet, envoye["id"], _evenement(cabinet, "MISE_EN_PAIEMENT"), cabinet.agent),
        403,
    )
    exiger_probleme(
        _poster(
            cabinet, envoye["id"], _evenement(cabinet, "MISE_A_DISPOSITION"), cabinet.gestionnaire
        ),
        403,
    )
    assert cabinet.lire(envoye["id"])["statut"] == "CERTIFIE"


def test_export_csv_du_back_office(cabinet: Cabinet) -> None:
    lyon = cabinet.envoye()
    cabinet.envoye(juridiction_code="TJ-75056")
    reponse = cabinet.client.get(
        "/traitement/memoires", headers={**cabinet.agent, "Accept": "text/csv"}
    )
    assert reponse.status_code == 200
    assert reponse.headers["content-disposition"] == 'attachment; filename="memoires.csv"'
    texte = reponse.content.decode("utf-8-sig")
    lignes = texte.split("\r\n")
    assert lignes[0].startswith("Numéro;")
    assert [ligne.split(";")[0] for ligne in lignes[1:] if ligne] == [lyon["numero"]]
    refus = cabinet.client.get(
        "/traitement/memoires", headers={**cabinet.gestionnaire, "Accept": "text/csv"}
    )
    exiger_probleme(refus, 403)
