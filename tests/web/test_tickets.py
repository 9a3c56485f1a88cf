"""The support tickets through the API: the whole life of a ticket with the back office's
replies, the routing by sous-catégorie, the numéro d'objet, who sees what, the tabs, the
keyword search, the CSV export, the pièces, ``If-Match`` and the référentiels."""

from __future__ import annotations

import csv
import io

from chorus.adapters.tableurs.tickets import ENTETE_TICKETS
from chorus.domain.utilisateur import RoleAgent
from tests.web import aides
from tests.web.aides_memoires import AGENT
from tests.web.aides_tic import monter_ferme
from tests.web.aides_tickets import INSTRUCTEUR, Json, monter_guichet
from tests.web.conftest import Banc


def _natures(ticket: Json) -> list[tuple[str, str, str]]:
    return [(a["cote"], a["nature"], a["statut"]) for a in ticket["activites"]]


def _actions(ticket: Json) -> list[str]:
    return [a["code"] for a in ticket["actions"]]


def _numeros(reponse: object) -> list[str]:
    corps = reponse.json()  # type: ignore[attr-defined]
    assert reponse.status_code == 200, corps  # type: ignore[attr-defined]
    return [t["numero"] for t in corps["elements"]]


def _courriels(banc: Banc, email: str) -> list[str]:
    with banc.chorus.ports.uow as uow:
        return [c.sujet for c in uow.courriels.pour_destinataire(email)]


def test_cycle_de_vie_complet_avec_les_reponses_du_support(banc: Banc) -> None:
    g = monter_guichet(banc)
    client, moi = g.client, g.cabinet.gestionnaire
    reponse = client.post(
        "/tickets",
        json=g.corps(telephone="+33 4 78 12 34 56"),
        headers=moi,
    )
    assert reponse.status_code == 201, reponse.text
    ticket = reponse.json()
    numero = ticket["numero"]
    assert numero == "CPROCS0000001"
    assert reponse.headers["location"] == f"/api/v1/tickets/{numero}"
    assert reponse.headers["etag"] == '"0"'
    assert ticket["statut"] == "OUVERT"
    assert ticket["destinataire"] == {
        "code": "SUPPORT",
        "libelle": "Support Chorus Portail Pro",
        "juridiction_code": None,
    }
    assert ticket["emetteur"]["telephone"] == "04 78 12 34 56"
    assert _actions(ticket) == ["COMMENTER", "AJOUTER_PIECE", "CLOTURER"]

    # The support's queue shows it; the support takes it and asks for information.
    assert _numeros(client.get("/support/tickets", headers=g.support)) == [numero]
    vu = client.get(f"/support/tickets/{numero}", headers=g.support).json()
    assert _actions(vu) == [
        "PRENDRE_EN_CHARGE",
        "COMMENTER_AGENT",
        "PROPOSER_SOLUTION",
        "DEMANDER_INFORMATION",
    ]
    base = f"/support/tickets/{numero}"
    ticket = g.agir(g.support, f"{base}/prise-en-charge", version=0)
    assert ticket["statut"] == "EN_COURS"
    ticket = g.agir(
        g.support,
        f"{base}/demande-information",
        {"texte": "Quel est le format du fichier refusé ?"},
        version=ticket["version"],
    )
    assert (ticket["statut"], ticket["attente"]) == ("ACTION_REQUISE", "INFORMATION")
    assert any(
        "informations vous sont demandées" in s
        for s in _courriels(banc, ticket["emetteur"]["email"])
    )

    # The user finds it in « Actions requises » and answers.
    assert _numeros(client.get("/tickets?onglet=actions-requises", headers=moi)) == [numero]
    lu = g.lire(numero)
    assert "FOURNIR_INFORMATION" in _actions(lu)
    ticket = g.agir(
        moi,
        f"/tickets/{numero}/informations",
        {"texte": "Un PDF de 2 Mo."},
        version=lu["version"],
    )
    assert ticket["statut"] == "EN_COURS"
    assert _numeros(client.get("/tickets?onglet=actions-requises", headers=moi)) == []

    # A solution, refused with a reason, then another, accepted; then closed.
    ticket = g.agir(g.support, f"{base}/solution", {"texte": "Videz le cache du navigateur."})
    assert (ticket["statut"], ticket["attente"]) == ("ACTION_REQUISE", "SOLUTION")
    assert any(
        "solution vous est proposée" in s for s in _courriels(banc, ticket["emetteur"]["email"])
    )
    lu = g.lire(numero)
    assert {"ACCEPTER_SOLUTION", "REFUSER_SOLUTION"} <= set(_actions(lu))
    assert "FOURNIR_INFORMATION" not in _actions(lu)
    ticket = g.agir(moi, f"/tickets/{numero}/refus-solution", {"commentaire": "Toujours refusé."})
    assert ticket["statut"] == "EN_COURS"
    ticket = g.agir(g.support, f"{base}/commentaires", {"texte": "Nous regardons de notre côté."})
    ticket = g.agir(g.support, f"{base}/solution", {"texte": "Le correctif est en ligne."})
    ticket = g.agir(moi, f"/tickets/{numero}/acceptation-solution", None)
    assert ticket["statut"] == "RESOLU"
    ticket = g.agir(moi, f"/tickets/{numero}/cloture", {"commentaire": "Merci."})
    assert ticket["statut"] == "CLOS"
    assert ticket["actions"] == []

    assert _natures(ticket) == [
        ("UTILISATEUR", "CREATION", "OUVERT"),
        ("AGENT", "PRISE_EN_CHARGE", "EN_COURS"),
        ("AGENT", "DEMANDE_INFORMATION", "ACTION_REQUISE"),
        ("UTILISATEUR", "INFORMATION", "EN_COURS"),
        ("AGENT", "SOLUTION", "ACTION_REQUISE"),
        ("UTILISATEUR", "REFUS", "EN_COURS"),
        ("AGENT", "COMMENTAIRE", "EN_COURS"),
        ("AGENT", "SOLUTION", "ACTION_REQUISE"),
        ("UTILISATEUR", "ACCEPTATION", "RESOLU"),
        ("UTILISATEUR", "CLOTURE", "CLOS"),
    ]
    assert [a["texte"] for a in ticket["activites"]][3:6] == [
        "Un PDF de 2 Mo.",
        "Videz le cache du navigateur.",
        "Toujours refusé.",
    ]
    # Closed: out of the tabs, found by its status, never reopened.
    assert _numeros(client.get("/tickets", headers=moi)) == []
    assert _numeros(client.get("/tickets?statut=CLOS", headers=moi)) == [numero]
    assert _numeros(client.get("/support/tickets", headers=g.support)) == []
    refus = client.post(f"/tickets/{numero}/commentaires", json={"texte": "Et ?"}, headers=moi)
    corps = aides.exiger_probleme(refus, 409)
    assert "clôturé" in corps["detail"]
    refus = client.post(f"{base}/solution", json={"texte": "Encore"}, headers=g.support)
    aides.exiger_probleme(refus, 409)
    assert g.lire(numero)["version"] == ticket["version"]


def test_transitions_refusees_par_l_etat(banc: Banc) -> None:
    g = monter_guichet(banc)
    numero = g.ouvrir()["numero"]
    moi = g.cabinet.gestionnaire
    for chemin, corps in (
        ("acceptation-solution", None),
        ("refus-solution", {"commentaire": "Non"}),
        ("informations", {"texte": "Voici"}),
    ):
        reponse = g.client.post(f"/tickets/{numero}/{chemin}", json=corps, headers=moi)
        detail = aides.exiger_probleme(reponse, 409)["detail"]
        assert f"Le ticket n°{numero} est à l'état « Ouvert »" in detail
    g.agir(g.support, f"/support/tickets/{numero}/prise-en-charge")
    reponse = g.client.post(f"/support/tickets/{numero}/prise-en-charge", headers=g.support)
    aides.exiger_probleme(reponse, 409)
    assert g.lire(numero)["statut"] == "EN_COURS"
    assert len(g.lire(numero)["activites"]) == 2


def test_routage_vers_le_service_centralisateur_de_la_juridiction(banc: Banc) -> None:
    g = monter_guichet(banc)
    c = g.cabinet
    memoire = c.envoye()
    suivi = g.ouvrir(
        categorie="MEMOIRE",
        sous_categorie="M_SUIVI",
        type_objet="MEMOIRE",
        numero_objet=memoire["numero"].lower(),
    )
    assert suivi["numero_objet"] == memoire["numero"]
    assert suivi["type_objet"] == "MEMOIRE"
    destinataire = suivi["destinataire"]
    assert destinataire["code"] == "SERVICE_CENTRALISATEUR"
    assert destinataire["juridiction_code"] == "TJ-69123"
    assert destinataire["libelle"].startswith("Service centralisateur – ")
    assert "Lyon" in destinataire["libelle"]
    paiement = g.ouvrir(
        categorie="MEMOIRE", sous_categorie="M_PAIEMENT", numero_objet=memoire["numero"]
    )
    assert paiement["destinataire"]["code"] == "COMPTABLE"
    question = g.ouvrir()
    instructeur = banc.agent(INSTRUCTEUR, role=RoleAgent.INSTRUCTEUR_TIC)

    files = {
        "agent de Lyon": (c.agent, [suivi["numero"]]),
        "agent de Paris": (c.agent_ailleurs, []),
        "comptable": (c.comptable, [paiement["numero"]]),
        "instructeur TIC": (instructeur, []),
        "support": (g.support, [question["numero"], paiement["numero"], suivi["numero"]]),
    }
    for qui, (entetes, attendus) in files.items():
        assert _numeros(g.client.get("/support/tickets", headers=entetes)) == attendus, qui
    # The right juridiction's agent answers; no other agent of the business services may
    # read or answer it (it does not exist for them).
    numero = suivi["numero"]
    assert g.client.get(f"/support/tickets/{numero}", headers=c.agent).status_code == 200
    for entetes in (c.agent_ailleurs, c.comptable, instructeur):
        aides.exiger_probleme(g.client.get(f"/support/tickets/{numero}", headers=entetes), 404)
        reponse = g.client.post(
            f"/support/tickets/{numero}/solution", json={"texte": "X"}, headers=entetes
        )
        aides.exiger_probleme(reponse, 404)
    ticket = g.agir(c.agent, f"/support/tickets/{numero}/solution", {"texte": "Mis en paiement."})
    assert ticket["activites"][-1]["auteur"].endswith(f"({AGENT})")
    # The destinataire filter stays within the agent's perimeter.
    assert _numeros(g.client.get("/support/tickets?destinataire=COMPTABLE", headers=c.agent)) == []
    assert _numeros(g.client.get("/support/tickets?destinataire=comptable", headers=g.support)) == [
        paiement["numero"]
    ]
    # A user of the portal is no agent.
    aides.exiger_probleme(g.client.get("/support/tickets", headers=c.gestionnaire), 403)
    reponse = g.client.post(
        f"/support/tickets/{numero}/commentaires", json={"texte": "X"}, headers=c.gestionnaire
    )
    aides.exiger_probleme(reponse, 403)


def test_numero_d_objet_verifie(banc: Banc) -> None:
    g = monter_guichet(banc)
    c = g.cabinet
    memoire = c.envoye()
    sans_habilitation = banc.connecte("stagiaire@exemple.fr", prenom="Sacha")
    aides.rattacher(
        banc.chorus, c.structure, c.gestionnaire_id, banc.id_de("stagiaire@exemple.fr"), None
    )
    autre = banc.chorus.structures.mes_structures(banc.id_de("etranger@exemple.fr"))[0]
    avant = g.nombre_de_tickets()
    cas = {
        "inconnu": (c.gestionnaire, c.structure.id, "MJ99999999"),
        "d'une autre structure": (c.etranger, autre.id, memoire["numero"]),
        "non visible": (sans_habilitation, c.structure.id, memoire["numero"]),
    }
    for nom, (entetes, structure_id, numero_objet) in cas.items():
        reponse = g.client.post(
            "/tickets",
            json=g.corps(
                categorie="MEMOIRE",
                sous_categorie="M_REFUS",
                structure_id=structure_id,
                numero_objet=numero_objet,
            ),
            headers=entetes,
        )
        corps = aides.exiger_probleme(reponse, 404)
        assert aides.champs_en_erreur(corps) == ["numero_objet"], nom
        assert numero_objet in corps["detail"], nom
    assert g.nombre_de_tickets() == avant
    # The member without habilitation may still open a ticket about no mémoire.
    assert g.ouvrir(sans_habilitation)["emetteur"]["nom"] == "Sacha Durand"


def test_un_utilisateur_ne_voit_que_les_tickets_de_ses_structures(banc: Banc) -> None:
    g = monter_guichet(banc)
    c = g.cabinet
    ticket = g.ouvrir(description="Le numéro de SIRET affiché est faux.")
    numero = ticket["numero"]
    piece = g.client.post(
        f"/tickets/{numero}/pieces-jointes",
        files={"fichier": ("capture.pdf", aides.PDF, "application/pdf")},
        headers=c.gestionnaire,
    ).json()
    autre = banc.chorus.structures.mes_structures(banc.id_de("etranger@exemple.fr"))[0]
    a_lui = g.ouvrir(c.etranger, structure_id=autre.id, resume="Question sur le SIRET")

    # A colleague of the same structure sees it and may act on it.
    assert _numeros(g.client.get("/tickets", headers=c.consultant)) == [numero]
    assert g.lire(numero, c.consultant)["numero"] == numero
    g.agir(c.consultant, f"/tickets/{numero}/commentaires", {"texte": "Je complète."})

    # Another structure's user: not in the list, the search, the CSV; 404 everywhere else.
    etranger = c.etranger
    assert _numeros(g.client.get("/tickets", headers=etranger)) == [a_lui["numero"]]
    assert _numeros(g.client.get("/tickets?q=siret", headers=etranger)) == [a_lui["numero"]]
    assert _numeros(g.client.get(f"/tickets?q={numero}", headers=etranger)) == []
    export = g.client.get("/tickets", headers={**etranger, "Accept": "text/csv"})
    assert numero not in export.text
    assert a_lui["numero"] in export.text
    interdits = [
        g.client.get(f"/tickets/{numero}", headers=etranger),
        g.client.get(f"/tickets/{numero}/pieces-jointes/{piece['id']}", headers=etranger),
        g.client.post(f"/tickets/{numero}/commentaires", json={"texte": "X"}, headers=etranger),
        g.client.post(f"/tickets/{numero}/cloture", headers=etranger),
        g.client.post(
            f"/tickets/{numero}/pieces-jointes",
            files={"fichier": ("x.pdf", aides.PDF, "application/pdf")},
            headers=etranger,
        ),
    ]
    for reponse in interdits:
        corps = aides.exiger_probleme(reponse, 404)
        assert "Introuvable" in corps["detail"]
    inconnu = g.client.get("/tickets/CPROCS9999999", headers=etranger)
    assert aides.exiger_probleme(inconnu, 404)["detail"] == corps["detail"]
    lu = g.lire(numero)
    assert lu["statut"] == "OUVERT"
    assert [a["nature"] for a in lu["activites"]] == ["CREATION", "PIECE_JOINTE", "COMMENTAIRE"]


def test_pieces_jointes(banc: Banc) -> None:
    g = monter_guichet(banc)
    moi = g.cabinet.gestionnaire
    ticket = g.ouvrir()
    numero = ticket["numero"]
    reponse = g.client.post(
        f"/tickets/{numero}/pieces-jointes",
        files={"fichier": ("capture.png", aides.PNG, "image/png")},
        data={"designation": "Capture de l'écran d'erreur"},
        headers={**moi, "If-Match": '"0"'},
    )
    assert reponse.status_code == 201, reponse.text
    piece = reponse.json()
    assert reponse.headers["etag"] == '"1"'
    assert reponse.headers["location"] == f"/api/v1/tickets/{numero}/pieces-jointes/{piece['id']}"
    assert (piece["nom_fichier"], piece["format"]) == ("capture.png", "image/png")
    assert piece["designation"] == "Capture de l'écran d'erreur"
    lu = g.lire(numero)
    assert [p["id"] for p in lu["pieces"]] == [piece["id"]]
    derniere = lu["activites"][-1]
    assert (derniere["nature"], derniere["piece_id"], derniere["texte"]) == (
        "PIECE_JOINTE",
        piece["id"],
        "Capture de l'écran d'erreur",
    )
    for chemin, entetes in (
        (f"/tickets/{numero}/pieces-jointes/{piece['id']}", moi),
        (f"/support/tickets/{numero}/pieces-jointes/{piece['id']}", g.support),
    ):
        telecharge = g.client.get(chemin, headers=entetes)
        assert telecharge.status_code == 200, telecharge.text
        assert telecharge.content == aides.PNG
        assert telecharge.headers["content-type"].startswith("image/png")
    inconnue = g.client.get(f"/tickets/{numero}/pieces-jointes/id-inconnu", headers=moi)
    assert aides.champs_en_erreur(aides.exiger_probleme(inconnue, 404)) == ["piece_id"]
    # A stale version: refused, nothing added.
    perime = g.client.post(
        f"/tickets/{numero}/pieces-jointes",
        files={"fichier": ("b.pdf", aides.PDF, "application/pdf")},
        headers={**moi, "If-Match": '"0"'},
    )
    aides.exiger_probleme(perime, 409)
    assert len(g.lire(numero)["pieces"]) == 1


def test_onglets_et_recherche_par_mots_cles(banc: Banc) -> None:
    g = monter_guichet(banc)
    moi = g.cabinet.gestionnaire
    ecran = g.ouvrir(resume="Écran blanc", description="Problème d'accès à l'écran de saisie.")
    rib = g.ouvrir(resume="Coordonnées bancaires", description="Mon RIB a changé.")
    clos = g.ouvrir(resume="Doublon", description="Ticket ouvert deux fois.")
    g.agir(moi, f"/tickets/{clos['numero']}/cloture")
    g.agir(g.support, f"/support/tickets/{rib['numero']}/solution", {"texte": "Déposez le RIB."})

    def liste(requete: str) -> list[str]:
        return _numeros(g.client.get(f"/tickets{requete}", headers=moi))

    assert set(liste("")) == {ecran["numero"], rib["numero"]}
    assert liste("?onglet=tous") == liste("")
    assert liste("?onglet=actions-requises") == [rib["numero"]]
    assert set(liste("?onglet=a-traiter")) == {ecran["numero"]}
    assert liste("?statut=CLOS") == [clos["numero"]]
    assert set(liste("?statut=ACTION_REQUISE")) == {rib["numero"]}
    # Accents and case folded, words as prefixes, every word required; activity texts too.
    assert liste("?q=ECRAN") == [ecran["numero"]]
    assert liste("?q=probleme acces") == [ecran["numero"]]
    assert liste("?q=probl%C3%A8me%20saisie") == [ecran["numero"]]
    assert liste("?q=probleme rib") == []
    assert liste("?q=deposez") == [rib["numero"]]
    assert liste(f"?q={rib['numero'].lower()}") == [rib["numero"]]
    assert liste("?q=doublon") == []
    assert liste("?q=doublon&statut=CLOS") == [clos["numero"]]
    # Paged: {elements, total, page, par_page}.
    page = g.client.get("/tickets?par_page=1&page=2", headers=moi).json()
    assert (page["total"], page["page"], page["par_page"], len(page["elements"])) == (2, 2, 1, 1)
    # The agents' queue: its own tabs and search.
    file = g.client.get("/support/tickets?q=ecran", headers=g.support)
    assert _numeros(file) == [ecran["numero"]]
    file = g.client.get("/support/tickets?onglet=actions-requises", headers=g.support)
    assert _numeros(file) == [rib["numero"]]


def test_export_csv_relu(banc: Banc) -> None:
    g = monter_guichet(banc)
    moi = g.cabinet.gestionnaire
    g.ouvrir(resume="=SOMME(A1)", description="Formule ; point-virgule et « guillemets ».")
    memoire = g.cabinet.envoye()
    g.ouvrir(categorie="MEMOIRE", sous_categorie="M_SUIVI", numero_objet=memoire["numero"])
    reponse = g.client.get("/tickets?par_page=1", headers={**moi, "Accept": "text/csv"})
    assert reponse.status_code == 200
    assert reponse.headers["content-type"].startswith("text/csv")
    assert 'filename="tickets.csv"' in reponse.headers["content-disposition"]
    assert reponse.content.startswith(b"\xef\xbb\xbf")
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0] == list(ENTETE_TICKETS)  # the terminal's columns
    assert lignes[0][:3] == ["Numéro", "Résumé", "Créé le"]
    assert len(lignes) == 3  # every ticket, whatever the page asked for
    par_numero = {ligne[0]: dict(zip(lignes[0], ligne, strict=True)) for ligne in lignes[1:]}
    suivi = par_numero["CPROCS0000002"]
    assert suivi["N° d'objet"] == memoire["numero"]
    assert suivi["Destinataire"].startswith("Service centralisateur – ")
    assert suivi["Créé le"] == "14/06/2024"
    assert suivi["Statut"] == "Ouvert"
    question = par_numero["CPROCS0000001"]
    assert question["Résumé"] == "'=SOMME(A1)"  # never run as a formula
    assert question["Sous-catégorie"] == "A – Question générale"
    # The support's export, and a format nobody serves.
    export = g.client.get("/support/tickets", headers={**g.support, "Accept": "text/csv"})
    assert export.text.count("CPROCS") == 2
    refuse = g.client.get("/tickets", headers={**moi, "Accept": "application/pdf"})
    aides.exiger_probleme(refuse, 406)


def test_if_match(banc: Banc) -> None:
    g = monter_guichet(banc)
    moi = g.cabinet.gestionnaire
    numero = g.ouvrir()["numero"]
    g.agir(moi, f"/tickets/{numero}/commentaires", {"texte": "Premier"}, version=0)
    for chemin, corps, entetes in (
        (f"/tickets/{numero}/commentaires", {"texte": "Second"}, moi),
        (f"/tickets/{numero}/cloture", None, moi),
        (f"/support/tickets/{numero}/prise-en-charge", None, g.support),
        (f"/support/tickets/{numero}/solution", {"texte": "S"}, g.support),
    ):
        reponse = g.client.post(chemin, json=corps, headers={**entetes, "If-Match": '"0"'})
        aides.exiger_probleme(reponse, 409)
    mal_forme = g.client.post(f"/tickets/{numero}/cloture", headers={**moi, "If-Match": "hier"})
    assert aides.champs_en_erreur(aides.exiger_probleme(mal_forme, 400)) == ["If-Match"]
    lu = g.lire(numero)
    assert (lu["version"], lu["statut"], len(lu["activites"])) == (1, "OUVERT", 2)
    assert g.client.get(f"/tickets/{numero}", headers=moi).headers["etag"] == '"1"'
    g.agir(moi, f"/tickets/{numero}/cloture", None, version=1)


def test_referentiels_des_tickets(banc: Banc) -> None:
    reponse = banc.client.get("/referentiels/categories-ticket")
    assert reponse.status_code == 200
    categories = {c["code"]: c for c in reponse.json()}
    assert list(categories) == ["MEMOIRE", "TIC", "COMPTE", "STRUCTURE", "AUTRE"]
    assert categories["TIC"]["libelle"] == "Demande de remboursement TIC/TICGN"
    sous = {s["code"]: s for c in categories.values() for s in c["sous_categories"]}
    assert len(sous) == 14
    assert sous["M_SUIVI"] == {
        "code": "M_SUIVI",
        "libelle": "M – Suivi du traitement d'un mémoire",
        "type_objet": "MEMOIRE",
        "libelle_type_objet": "Mémoire de frais de justice",
        "objet_obligatoire": True,
        "destinataire": "SERVICE_CENTRALISATEUR",
        "libelle_destinataire": "Service centralisateur",
    }
    assert (sous["M_SAISIE"]["objet_obligatoire"], sous["M_SAISIE"]["type_objet"]) == (
        False,
        "MEMOIRE",
    )
    assert sous["T_PAIEMENT"]["destinataire"] == "INSTRUCTION_TIC"
    assert sous["A_QUESTION"]["type_objet"] is None
    statuts = banc.client.get("/referentiels/statuts-ticket").json()
    assert [(s["code"], s["libelle"]) for s in statuts] == [
        ("OUVERT", "Ouvert"),
        ("EN_COURS", "En cours"),
        ("ACTION_REQUISE", "Action requise"),
        ("RESOLU", "Résolu"),
        ("CLOS", "Clôturé"),
    ]


def test_une_demande_tic_va_au_service_instructeur(banc: Banc) -> None:
    ferme = monter_ferme(banc)
    demande = ferme.envoyee(2023)
    support = banc.agent("support@chorus-pro.gouv.fr", role=RoleAgent.SUPPORT)
    greffe = banc.agent("greffe@tj-lyon.fr")
    corps = {
        "categorie": "TIC",
        "sous_categorie": "T_PAIEMENT",
        "type_objet": "DEMANDE_TIC",
        "numero_objet": demande["numero"],
        "structure_id": ferme.structure.id,
        "resume": "Remboursement non reçu",
        "description": "La demande est validée depuis deux mois.",
    }
    reponse = banc.client.post("/tickets", json=corps, headers=ferme.consultant)
    assert reponse.status_code == 201, reponse.text
    ticket = reponse.json()
    assert ticket["destinataire"]["code"] == "INSTRUCTION_TIC"
    assert ticket["destinataire"]["libelle"] == "Service instructeur TIC/TICGN"
    assert (ticket["type_objet"], ticket["numero_objet"]) == ("DEMANDE_TIC", demande["numero"])
    for entetes, attendus in ((ferme.instructeur, 1), (support, 1), (greffe, 0)):
        assert banc.client.get("/support/tickets", headers=entetes).json()["total"] == attendus
    # The neighbouring farm may not name this demande.
    voisin = {**corps, "structure_id": ferme.voisine.id}
    refus = banc.client.post("/tickets", json=voisin, headers=ferme.etranger)
    assert aides.champs_en_erreur(aides.exiger_probleme(refus, 404)) == ["numero_objet"]
