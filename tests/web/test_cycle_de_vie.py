"""`GET /structures/{id}/cycle-de-vie` and its export: opting in through the structure's
PATCH, paging with the cursor across new events, and the refusals (409, 403, 404, 422)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.organisation import Profil, Structure
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from tests.monde import saisie_ligne
from tests.web import aides
from tests.web.conftest import Banc

PAUL = "paul@exemple.fr"


def _envoyer(banc: Banc, structure: Structure) -> str:
    m = banc.chorus.memoires
    gestionnaire = banc.id_de(PAUL)
    brouillon = m.creer(
        gestionnaire,
        EnTete.creer(
            structure_id=structure.id,
            juridiction_code="TJ-69123",
            texte_reference="A.43-6",
            type_tva=TypeTva.TVA_SUR_DEBITS,
            coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
        ),
    )
    m.ajouter_ligne(gestionnaire, brouillon.id, saisie_ligne())
    return m.envoyer(gestionnaire, brouillon.id, attestation_sur_honneur=True).numero


def _mettre_a_disposition(banc: Banc, numero: str) -> None:
    memoire = banc.chorus.ports.uow
    with memoire.lecture() as uow:
        trouve = uow.memoires.par_numero(numero)
    assert trouve is not None
    agent = aides.utilisateur(banc.chorus, "greffe@tj-lyon.fr")
    banc.horloge.avancer(timedelta(minutes=1))
    banc.chorus.traitement.appliquer_evenement(
        agent.id,
        trouve.id,
        EvenementTraitement.creer(
            action=ActionTraitement.MISE_A_DISPOSITION,
            reference=f"EVT-{numero}",
            date_evenement=banc.horloge.maintenant(),
        ),
    )


def test_activer_l_option_puis_lire_le_fil_avec_le_curseur(banc: Banc) -> None:
    client = banc.client
    entetes = banc.connecte(PAUL)
    structure = banc.structure_prete(PAUL)
    aides.creer_agent(banc.chorus)
    chemin = f"/structures/{structure.id}/cycle-de-vie"
    premier = _envoyer(banc, structure)

    refus = aides.exiger_probleme(client.get(chemin, headers=entetes), 409)
    assert "Recevoir les cycles de vie" in refus["detail"]
    lu = client.get(f"/structures/{structure.id}", headers=entetes).json()
    assert lu["espaces"]["frais_de_justice"]["recevoir_cycles_de_vie"] is False

    active = client.patch(
        f"/structures/{structure.id}", json={"recevoir_cycles_de_vie": True}, headers=entetes
    )
    assert active.status_code == 200, active.text
    assert active.json()["espaces"]["frais_de_justice"]["recevoir_cycles_de_vie"] is True
    assert active.json()["raison_sociale"] == "Cabinet Durand"

    reponse = client.get(chemin, params={"limite": 1}, headers=entetes)
    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    [envoi] = corps["evenements"]
    assert envoi["numero_memoire"] == premier
    assert (envoi["statut"], envoi["libelle_statut"]) == ("ENVOYE", "Envoyé")
    assert envoi["montant"] == "158.25"
    # The sending's motif is the sworn statement, as in the mémoire's history.
    assert envoi["motif"].startswith("Attestation sur l'honneur")
    assert envoi["service_id"] is None
    assert envoi["date"].startswith("2024-06-14T")
    assert set(envoi) == {
        "curseur",
        "numero_memoire",
        "memoire_id",
        "statut",
        "libelle_statut",
        "date",
        "motif",
        "montant",
        "service_id",
    }
    assert corps["curseur"] == envoi["curseur"]

    # Nothing new yet: empty, same cursor.
    rien = client.get(chemin, params={"apres": corps["curseur"]}, headers=entetes).json()
    assert rien == {"evenements": [], "curseur": corps["curseur"]}

    # New events between two calls: all of them, once, in order.
    second = _envoyer(banc, structure)
    _mettre_a_disposition(banc, premier)
    suite = client.get(chemin, params={"apres": corps["curseur"]}, headers=entetes).json()
    assert [(e["numero_memoire"], e["statut"]) for e in suite["evenements"]] == [
        (second, "ENVOYE"),
        (premier, "MIS_A_DISPOSITION"),
    ]
    depuis_le_debut = client.get(chemin, headers=entetes).json()
    assert len(depuis_le_debut["evenements"]) == 3
    assert depuis_le_debut["curseur"] == suite["curseur"]


def test_les_refus(banc: Banc) -> None:
    client = banc.client
    entetes = banc.connecte(PAUL)
    etranger = banc.connecte("eve@exemple.fr")
    service = banc.connecte("sam@exemple.fr")
    consultant = banc.connecte("lea@exemple.fr")
    structure = banc.structure_prete(PAUL)
    gestionnaire = banc.id_de(PAUL)
    structure = banc.chorus.structures.ajouter_service(
        gestionnaire, structure.id, code="PSY", libelle="Psychiatrie"
    )
    aides.rattacher(
        banc.chorus,
        structure,
        gestionnaire,
        banc.id_de("sam@exemple.fr"),
        Profil.MODIFICATION,
        service_id=structure.services[0].id,
    )
    aides.rattacher(
        banc.chorus, structure, gestionnaire, banc.id_de("lea@exemple.fr"), Profil.CONSULTATION
    )
    chemin = f"/structures/{structure.id}/cycle-de-vie"

    # Only a gestionnaire turns it on.
    aides.exiger_probleme(
        client.patch(
            f"/structures/{structure.id}", json={"recevoir_cycles_de_vie": True}, headers=consultant
        ),
        403,
    )
    aides.exiger_probleme(
        client.patch(
            f"/structures/{structure.id}", json={"recevoir_cycles_de_vie": "oui"}, headers=entetes
        ),
        400,
    )
    assert (
        client.patch(
            f"/structures/{structure.id}", json={"recevoir_cycles_de_vie": True}, headers=entetes
        ).status_code
        == 200
    )

    assert client.get(chemin, headers=consultant).status_code == 200
    refus = aides.exiger_probleme(client.get(chemin, headers=service), 403)
    assert "toute la structure" in refus["detail"]
    aides.exiger_probleme(client.get(chemin, headers=etranger), 404)
    aides.exiger_probleme(client.get("/structures/inconnue/cycle-de-vie", headers=entetes), 404)
    assert client.get(chemin).status_code == 401

    for mauvais in ("pas-un-curseur", "Y2R2MTo1OmF1dHJl"):  # the latter: another structure's
        corps = aides.exiger_probleme(
            client.get(chemin, params={"apres": mauvais}, headers=entetes), 422
        )
        assert aides.champs_en_erreur(corps) == ["apres"], corps
    for limite in (0, 1001):
        aides.exiger_probleme(client.get(chemin, params={"limite": limite}, headers=entetes), 400)
    aides.exiger_probleme(
        client.get(f"{chemin}/export", params={"format": "xml"}, headers=entetes), 400
    )
    aides.exiger_probleme(client.get(f"{chemin}/export", headers=service), 403)


def test_l_option_sans_espace_frais_de_justice_est_refusee(banc: Banc) -> None:
    entetes = banc.connecte(PAUL)
    reponse = banc.client.post(
        "/structures",
        json={
            "type_structure": "ASSOCIATION",
            "type_identifiant": "HORS_UE",
            "identifiant": "ASSO-42",
            "raison_sociale": "Association sans espace",
            "adresse": {"ligne1": "1 rue Haute", "code_postal": "69002", "ville": "Lyon"},
        },
        headers=entetes,
    )
    assert reponse.status_code == 201, reponse.text
    structure_id = reponse.json()["id"]
    corps = aides.exiger_probleme(
        banc.client.patch(
            f"/structures/{structure_id}", json={"recevoir_cycles_de_vie": True}, headers=entetes
        ),
        409,
    )
    assert "espace Frais de justice" in corps["detail"]


def test_l_export_csv_et_json_reprend_au_curseur(banc: Banc) -> None:
    client = banc.client
    entetes = banc.connecte(PAUL)
    structure = banc.structure_prete(PAUL)
    aides.creer_agent(banc.chorus)
    banc.chorus.structures.modifier(banc.id_de(PAUL), structure.id, recevoir_cycles_de_vie=True)
    premier = _envoyer(banc, structure)
    _mettre_a_disposition(banc, premier)
    chemin = f"/structures/{structure.id}/cycle-de-vie/export"

    en_csv = client.get(chemin, headers=entetes)
    assert en_csv.status_code == 200, en_csv.text
    assert en_csv.headers["content-type"].startswith("text/csv")
    assert "cycle-de-vie" in en_csv.headers["content-disposition"]
    assert en_csv.content.startswith(b"\xef\xbb\xbf")
    lignes = list(csv.reader(io.StringIO(en_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:4] == ["Curseur", "Numéro du mémoire", "Identifiant du mémoire", "Statut"]
    assert [(ligne[1], ligne[3]) for ligne in lignes[1:]] == [
        (premier, "ENVOYE"),
        (premier, "MIS_A_DISPOSITION"),
    ]
    assert lignes[1][7] == "158,25"
    assert lignes[1][5].startswith("14/06/2024 ")

    en_json = client.get(chemin, params={"format": "json", "apres": lignes[1][0]}, headers=entetes)
    assert en_json.status_code == 200, en_json.text
    assert en_json.headers["content-type"].startswith("application/x-ndjson")
    [seul] = [json.loads(ligne) for ligne in en_json.text.splitlines()]
    assert (seul["numero_memoire"], seul["statut"]) == (premier, "MIS_A_DISPOSITION")
    assert seul["curseur"] == lignes[2][0]
    assert seul["montant"] == "158.25"

    vide = client.get(chemin, params={"format": "json", "apres": seul["curseur"]}, headers=entetes)
    assert vide.status_code == 200
    assert vide.text == ""
