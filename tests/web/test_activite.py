"""`GET /activite`: the caller's feed, newest first, a page at a time; nothing of others'."""

from __future__ import annotations

from datetime import timedelta

from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.organisation import Profil
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from tests.monde import saisie_ligne
from tests.web import aides
from tests.web.conftest import Banc


def _memoire_envoye(banc: Banc, gestionnaire_id: str, structure_id: str, rib: str) -> str:
    m = banc.chorus.memoires
    brouillon = m.creer(
        gestionnaire_id,
        EnTete.creer(
            structure_id=structure_id,
            juridiction_code="TJ-69123",
            texte_reference="A.43-6",
            type_tva=TypeTva.TVA_SUR_DEBITS,
            coordonnee_bancaire_id=rib,
        ),
    )
    m.ajouter_ligne(gestionnaire_id, brouillon.id, saisie_ligne())
    return m.envoyer(gestionnaire_id, brouillon.id, attestation_sur_honneur=True).id


def test_le_fil_d_activite(banc: Banc) -> None:
    client = banc.client
    entetes = banc.connecte("paul@exemple.fr")
    autre = banc.connecte("eve@exemple.fr")
    consultant = banc.connecte("lea@exemple.fr")
    gestionnaire = banc.id_de("paul@exemple.fr")
    structure = banc.structure_prete("paul@exemple.fr")
    aides.rattacher(
        banc.chorus, structure, gestionnaire, banc.id_de("lea@exemple.fr"), Profil.CONSULTATION
    )
    rib = structure.coordonnees_bancaires[0].id
    premier = _memoire_envoye(banc, gestionnaire, structure.id, rib)
    banc.horloge.avancer(timedelta(hours=1))
    depuis = banc.horloge.maintenant()
    agent = aides.creer_agent(banc.chorus)
    banc.chorus.traitement.appliquer_evenement(
        agent.id,
        premier,
        EvenementTraitement.creer(
            action=ActionTraitement.MISE_A_DISPOSITION,
            reference="EVT-1",
            date_evenement=depuis,
        ),
    )

    reponse = client.get("/activite", headers=entetes)
    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    assert (corps["total"], corps["page"], corps["par_page"]) == (2, 1, 50)
    dernier, envoi = corps["elements"]
    assert (dernier["statut"], dernier["libelle_statut"]) == (
        "MIS_A_DISPOSITION",
        "Mis à disposition",
    )
    assert envoi["statut"] == "ENVOYE"
    assert envoi["numero"].startswith("MJ")
    assert envoi["type_objet"] == "MEMOIRE"
    assert envoi["application"] == "FRAIS_DE_JUSTICE"
    assert envoi["montant"] == "158.25"
    assert envoi["lien"] == f"/api/v1/memoires/{premier}"
    assert envoi["structure_id"] == structure.id

    assert client.get("/activite", headers=consultant).json()["total"] == 2
    assert client.get("/activite", headers=autre).json() == {
        "elements": [],
        "total": 0,
        "page": 1,
        "par_page": 50,
    }
    page = client.get("/activite", params={"page": 2, "par_page": 1}, headers=entetes).json()
    assert [e["statut"] for e in page["elements"]] == ["ENVOYE"]
    recents = client.get("/activite", params={"depuis": depuis.isoformat()}, headers=entetes).json()
    assert [e["statut"] for e in recents["elements"]] == ["MIS_A_DISPOSITION"]


def test_les_refus_du_fil(banc: Banc) -> None:
    client = banc.client
    assert client.get("/activite").status_code == 401
    entetes = banc.connecte("paul@exemple.fr")
    sans_fuseau = client.get("/activite", params={"depuis": "2024-06-14T10:00:00"}, headers=entetes)
    assert sans_fuseau.status_code == 422
    assert aides.champs_en_erreur(sans_fuseau.json()) == ["depuis"]
    assert client.get("/activite", params={"par_page": 501}, headers=entetes).status_code == 400
    assert client.get("/activite", params={"depuis": "hier"}, headers=entetes).status_code == 400
    # The preferences of the « suivi d'activité » emails are the user's own.
    reponse = client.patch("/moi", json={"suivi_quotidien": False}, headers=entetes)
    assert reponse.status_code == 200, reponse.text
    assert aides.utilisateur(banc.chorus, "paul@exemple.fr").suivi_quotidien is False
