"""The seed's whole journey through the HTTP API, on the in-memory store and on SQLite.

A prestataire signs up (captcha, activation link read from the outbox), opens a structure
with its bank details and the Frais de justice espace, brings a colleague in as a
consultation user, files a mémoire of two lines with pièces, sends it; the juridiction
refuses it; the prestataire duplicates it and sends it again; it is certified and paid,
and shows in the liste fiscale and the tableau de bord. Every step goes through HTTP, as an
integrator's program would; only the agents are created by the operator's use case (as
`chorus admin creer-agent` does).
"""

from __future__ import annotations

import base64
import csv
import io
import re
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsAleatoires
from chorus.adapters.web import ReglagesWeb, creer_app
from chorus.bootstrap import Chorus, assembler
from chorus.domain.utilisateur import RoleAgent
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import CODE_CAPTCHA, DessinateurFactice, SecretsPrevisibles, hacheur_rapide
from tests.web.conftest import services_web

MAINTENANT = datetime(2024, 6, 14, 8, 30, tzinfo=UTC)
MOT_DE_PASSE = "Expertise-2024!"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
SIRET = "41234567000019"
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP882"

Client = TestClient[Litestar]


@pytest.fixture(params=["memoire", "sqlite"], ids=lambda s: f"stockage={s}")
def chorus(request: pytest.FixtureRequest, tmp_path: Path) -> Chorus:
    if request.param == "sqlite":
        uow: Any = UniteDeTravailSqlite(tmp_path / "chorus.db")
        blobs: Any = BlobsSurDisque(tmp_path / "chorus-pieces")
    else:
        uow, blobs = UniteDeTravailEnMemoire(), BlobsEnMemoire()
    return assembler(
        Ports(
            uow=uow,
            clock=HorlogeFixe(MAINTENANT),
            ids=IdsAleatoires(),
            blobs=blobs,
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=RenduWeasyPrint(),
        ),
        # The captcha is on: the test reads the code the image shows, as a person would.
        reglages=ReglagesComptes(url_de_base="https://chorus.exemple.fr"),
        hacheur=hacheur_rapide(),
        secrets=SecretsPrevisibles(),
        dessinateur=DessinateurFactice(),
    )


@pytest.fixture
def client(chorus: Chorus) -> Iterator[Client]:
    app = creer_app(services_web(chorus), ReglagesWeb(limite_comptes=("minute", 1000)))
    with TestClient(app, base_url="http://testserver.local/api/v1") as test_client:
        yield test_client


def _ok(reponse: Any, statut: int = 200) -> Any:
    assert reponse.status_code == statut, (reponse.status_code, reponse.text)
    return reponse.json() if reponse.content else None


def _lien(chorus: Chorus, email: str, nature: str) -> str:
    with chorus.ports.uow as uow:
        courriels = list(uow.courriels.pour_destinataire(email))
    assert courriels, f"aucun courriel pour {email}"
    trouve = re.search(rf"https://chorus\.exemple\.fr/{nature}\?jeton=(\S+)", courriels[-1].corps)
    assert trouve is not None, courriels[-1].corps
    return trouve[1]


def _inscrire(client: Client, chorus: Chorus, email: str, prenom: str, nom: str) -> str:
    """Sign up through the API with the captcha, activate from the emailed link, log in:
    the bearer header's value."""
    captcha = _ok(client.get("/captcha"))
    assert base64.b64decode(captcha["image_png_base64"]).startswith(b"\x89PNG")
    compte = _ok(
        client.post(
            "/comptes",
            json={
                "email": email,
                "mot_de_passe": MOT_DE_PASSE,
                "nom": nom,
                "prenom": prenom,
                "question_secrete": "Ville de naissance ?",
                "reponse_secrete": "Valence",
                "captcha_id": captcha["id"],
                "captcha_reponse": CODE_CAPTCHA.lower(),
            },
        ),
        201,
    )
    assert compte["statut"] == "EN_ATTENTE_ACTIVATION"
    # Before activation, no login.
    assert (
        client.post("/sessions", json={"email": email, "mot_de_passe": MOT_DE_PASSE}).status_code
        == 401
    )
    jeton = _lien(chorus, email, "activation")
    assert _ok(client.post("/comptes/activation", json={"jeton": jeton}))["statut"] == "ACTIF"
    # The link is single use.
    assert client.post("/comptes/activation", json={"jeton": jeton}).status_code == 410
    session = _ok(
        client.post("/sessions", json={"email": email, "mot_de_passe": MOT_DE_PASSE}), 201
    )
    return f"Bearer {session['jeton']}"


def _agent(client: Client, chorus: Chorus, email: str, role: RoleAgent) -> dict[str, str]:
    chorus.comptes.creer_agent(
        email=email,
        mot_de_passe=MOT_DE_PASSE,
        role=role,
        juridictions=("TJ-69123",) if role is RoleAgent.AGENT_JURIDICTION else (),
        nom="Agent",
        prenom=role.libelle,
    )
    session = _ok(
        client.post("/sessions", json={"email": email, "mot_de_passe": MOT_DE_PASSE}), 201
    )
    return {"Authorization": f"Bearer {session['jeton']}"}


def _ligne(affaire: str, quantite: str, tarif: str, taux: str, jour: date) -> dict[str, Any]:
    return {
        "numero_affaire": affaire,
        "date_requisition": (jour - timedelta(days=10)).isoformat(),
        "autorite_requerante": "PROCUREUR_REPUBLIQUE",
        "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
        "date_prestation": jour.isoformat(),
        "quantite": quantite,
        "tarif_ht": tarif,
        "taux_tva": taux,
        "frais_divers": [],
        "debours": "0",
    }


def _evenement(
    client: Client,
    chorus: Chorus,
    entetes: dict[str, str],
    memoire_id: str,
    action: str,
    **champs: str,
) -> dict[str, Any]:
    """Apply a back-office event that happened half an hour before the portal records it."""
    horloge = chorus.ports.clock
    assert isinstance(horloge, HorlogeFixe)
    horloge.avancer(timedelta(hours=1))
    corps = {
        "action": action,
        "date_evenement": (horloge.maintenant() - timedelta(minutes=30)).isoformat(),
        "reference_evenement": f"{action}-{memoire_id}",
        **champs,
    }
    chemin = f"/traitement/memoires/{memoire_id}/evenements"
    memoire: dict[str, Any] = _ok(client.post(chemin, json=corps, headers=entetes))
    # Back-office events may arrive twice: the replay changes nothing.
    rejoue = _ok(client.post(chemin, json=corps, headers=entetes))
    assert rejoue["version"] == memoire["version"]
    assert rejoue["statut"] == memoire["statut"]
    return memoire


def test_parcours_complet_du_prestataire_et_de_la_juridiction(
    client: Client, chorus: Chorus
) -> None:
    # 1. Accounts: the gestionnaire and a colleague sign up.
    claire = {"Authorization": _inscrire(client, chorus, "claire@expertises.fr", "Claire", "Roy")}
    marc = {"Authorization": _inscrire(client, chorus, "marc@expertises.fr", "Marc", "Blanc")}
    assert _ok(client.get("/moi", headers=claire))["email"] == "claire@expertises.fr"

    # 2. The structure, its RIB and bank details, its Frais de justice espace.
    structure = _ok(
        client.post(
            "/structures",
            headers=claire,
            json={
                "type_structure": "ENTREPRISE",
                "type_identifiant": "SIRET",
                "identifiant": SIRET,
                "raison_sociale": "Expertises Roy",
                "adresse": {
                    "ligne1": "8 quai Saint-Vincent",
                    "code_postal": "69001",
                    "ville": "Lyon",
                    "pays": "FR",
                },
            },
        ),
        201,
    )
    sid = structure["id"]
    assert structure["departement"] == "69"
    rib = _ok(
        client.post(
            f"/structures/{sid}/pieces-jointes",
            headers=claire,
            files={"fichier": ("RIB Roy.pdf", PDF + b"RIB", "application/pdf")},
            data={"type_piece": "COORDONNEE_BANCAIRE", "designation": "RIB du cabinet"},
        ),
        201,
    )
    compte = _ok(
        client.post(
            f"/structures/{sid}/coordonnees-bancaires",
            headers=claire,
            json={
                "libelle": "Compte courant",
                "iban": IBAN,
                "bic": BIC,
                "piece_jointe_id": rib["id"],
            },
        ),
        201,
    )
    _ok(
        client.put(
            f"/structures/{sid}/espaces/frais-de-justice",
            headers=claire,
            json={"categorie_prestataire": "PSYCHIATRE"},
        )
    )

    # 3. Marc asks to join; Claire validates and habilitates him in consultation.
    demande = _ok(client.post(f"/structures/{sid}/rattachements", headers=marc), 201)
    assert demande["statut"] == "EN_COURS_DE_VALIDATION"
    _ok(client.post(f"/structures/{sid}/rattachements/{demande['id']}/validation", headers=claire))
    marc_id = _ok(client.get("/moi", headers=marc))["id"]
    _ok(
        client.post(
            f"/structures/{sid}/habilitations",
            headers=claire,
            json={
                "utilisateur_id": marc_id,
                "application": "FRAIS_DE_JUSTICE",
                "profil": "CONSULTATION",
            },
        ),
        201,
    )
    habilitations = _ok(client.get("/moi", headers=marc))["habilitations"]
    assert [(h["structure_id"], h["profil"]) for h in habilitations] == [(sid, "CONSULTATION")]

    # 4. A mémoire of two lines: the seed's 1 × 150.00 at 5.5 %, and 2 × 40.00 at 20 %.
    memoire = _ok(
        client.post(
            "/memoires",
            headers=claire,
            json={
                "structure_id": sid,
                "juridiction_code": "TJ-69123",
                "coordonnee_bancaire_id": compte["id"],
                "texte_reference": "A.43-6",
                "type_tva": "TVA_SUR_DEBITS",
                "devise": "EUR",
            },
        ),
        201,
    )
    mid = memoire["id"]
    assert memoire["statut"] == "BROUILLON"
    assert memoire["numero"].startswith("TMP2024")
    assert memoire["mode_depot"] == "PORTAIL"
    ligne = _ok(
        client.post(
            f"/memoires/{mid}/lignes",
            headers=claire,
            json=_ligne("24/0001", "1", "150.00", "5.5", date(2024, 5, 21)),
        ),
        201,
    )
    assert (ligne["numero_ligne"], ligne["montant_tva"], ligne["montant_ttc"]) == (
        1,
        "8.25",
        "158.25",
    )
    _ok(
        client.post(
            f"/memoires/{mid}/lignes",
            headers=claire,
            json=_ligne("24/0002", "2", "40.00", "20", date(2024, 5, 28)),
        ),
        201,
    )
    requisition = _ok(
        client.post(
            f"/memoires/{mid}/pieces-jointes",
            headers=claire,
            files={"fichier": ("réquisition.pdf", PDF + b"REQ", "application/pdf")},
            data={"type_piece": "REQUISITION", "designation": "Réquisition", "numero_ligne": "1"},
        ),
        201,
    )
    assert requisition["numero_ligne"] == 1
    assert requisition["sha256"] == _sha256(PDF + b"REQ")
    photo = _ok(
        client.post(
            f"/memoires/{mid}/pieces-jointes",
            headers=claire,
            files={"fichier": ("rapport.jpg", JPEG, "image/jpeg")},
            data={"type_piece": "AUTRE", "designation": "Rapport"},
        ),
        201,
    )
    assert photo["numero_ligne"] is None
    telecharge = client.get(f"/memoires/{mid}/pieces-jointes/{photo['id']}", headers=marc)
    assert telecharge.status_code == 200
    assert telecharge.content == JPEG
    assert telecharge.headers["content-type"].startswith("image/jpeg")
    assert "attachment" in telecharge.headers["content-disposition"]

    brouillon = _ok(client.get(f"/memoires/{mid}", headers=claire))
    totaux = brouillon["totaux"]
    assert totaux["montant_ht"] == "230.00"
    assert totaux["montant_tva"] == "24.25"
    assert totaux["montant_ttc"] == "254.25"
    assert totaux["net_a_payer"] == "254.25"
    assert [(r["taux"], r["base_ht"], r["montant_tva"]) for r in totaux["recapitulatif_tva"]] in (
        [("5.5", "150.00", "8.25"), ("20", "80.00", "16.00")],
        [("20", "80.00", "16.00"), ("5.5", "150.00", "8.25")],
    )

    # Marc, in consultation, sees it but cannot change or send it.
    assert client.get(f"/memoires/{mid}", headers=marc).status_code == 200
    assert (
        client.post(
            f"/memoires/{mid}/envoi", headers=marc, json={"attestation_sur_honneur": True}
        ).status_code
        == 403
    )

    # 5. Sent: the definitive number and the certificate's empreinte.
    envoye = _ok(
        client.post(
            f"/memoires/{mid}/envoi",
            headers={**claire, "If-Match": str(brouillon["version"])},
            json={"attestation_sur_honneur": True},
        )
    )
    assert envoye["statut"] == "ENVOYE"
    assert re.fullmatch(r"MJ\d{11}", envoye["numero"])
    empreinte = envoye["certificat"]["empreinte"]
    assert len(empreinte) == 44
    public = _ok(client.get("/certificats", params={"empreinte": empreinte}))
    assert public["numero"] == envoye["numero"]
    assert public["montant_ttc"] == "254.25"
    # Nothing sent can be changed.
    assert (
        client.post(
            f"/memoires/{mid}/lignes",
            headers=claire,
            json=_ligne("24/0003", "1", "10", "20", date(2024, 6, 1)),
        ).status_code
        == 409
    )

    # 6. The juridiction makes it available, then refuses it with a motif.
    greffe = _agent(client, chorus, "greffe@tj-lyon.justice.fr", RoleAgent.AGENT_JURIDICTION)
    comptable = _agent(client, chorus, "comptable@dgfip.fr", RoleAgent.COMPTABLE)
    file = _ok(client.get("/traitement/memoires", headers=greffe))
    assert [m["id"] for m in file["elements"]] == [mid]
    _evenement(client, chorus, greffe, mid, "MISE_A_DISPOSITION")
    refuse = _evenement(client, chorus, greffe, mid, "REFUS", motif="Réquisition illisible")
    assert refuse["statut"] == "REFUSE"
    historique = _ok(client.get(f"/memoires/{mid}/historique", headers=marc))
    assert [h["statut"] for h in historique] == [
        "BROUILLON",
        "ENVOYE",
        "MIS_A_DISPOSITION",
        "REFUSE",
    ]
    assert historique[-1]["motif"] == "Réquisition illisible"
    assert historique[-1]["date_evenement"] != historique[-1]["date_maj"]
    synthese = _ok(client.get("/memoires/synthese", headers=claire))
    assert mid in _ids(synthese)

    # 7. Duplicated: a new draft with the same lines and pièces; the original is closed.
    copie = _ok(client.post(f"/memoires/{mid}/duplication", headers=claire), 201)
    cid = copie["id"]
    assert copie["parent_id"] == mid
    assert copie["statut"] == "BROUILLON"
    assert [ligne["montant_ttc"] for ligne in copie["lignes"]] == ["158.25", "96.00"]
    assert sorted(p["sha256"] for p in copie["pieces_jointes"]) == sorted(
        [_sha256(PDF + b"REQ"), _sha256(JPEG)]
    )
    assert _ok(client.get(f"/memoires/{mid}", headers=claire))["statut"] == "DUPLIQUE_POST_REFUS"

    # 8. Sent again, certified, paid.
    renvoye = _ok(
        client.post(
            f"/memoires/{cid}/envoi", headers=claire, json={"attestation_sur_honneur": True}
        )
    )
    assert renvoye["numero"] != envoye["numero"]
    _evenement(client, chorus, greffe, cid, "MISE_A_DISPOSITION")
    _evenement(client, chorus, greffe, cid, "CERTIFICATION", montant_certifie="254.25")
    paye = _evenement(client, chorus, comptable, cid, "MISE_EN_PAIEMENT", montant_paye="254.25")
    assert paye["statut"] == "MIS_EN_PAIEMENT"

    # 9. The liste fiscale and the tableau de bord show it.
    liste = _ok(
        client.get(
            "/liste-fiscale",
            headers=marc,
            params={"structure_id": sid, "du": "2024-01-01", "au": "2024-12-31"},
        )
    )
    assert [e["numero"] for e in liste["elements"]] == [renvoye["numero"]]
    assert liste["totaux"]["montant_ttc"] == "254.25"
    export = client.get(
        "/liste-fiscale",
        headers={**marc, "Accept": "text/csv"},
        params={"structure_id": sid, "du": "2024-01-01", "au": "2024-12-31"},
    )
    assert export.status_code == 200
    assert export.content.startswith(b"\xef\xbb\xbf")
    rangees = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert any(renvoye["numero"] in r for r in rangees)
    assert any("254,25" in r for r in rangees)

    tableau = _ok(client.get("/tableau-de-bord/memoires", headers=claire))
    (ligne_structure,) = [t for t in tableau if t["structure_id"] == sid]
    compteurs = ligne_structure["compteurs"]
    assert compteurs["MIS_EN_PAIEMENT"] == 1
    assert compteurs["DUPLIQUE_POST_REFUS"] == 1
    assert compteurs["BROUILLON"] == 0
    assert sum(compteurs.values()) == 2

    # The search finds both, newest status first, and exports them.
    trouves = _ok(client.get("/memoires", headers=marc, params={"structure_id": sid}))
    assert trouves["total"] == 2
    assert {m["id"] for m in trouves["elements"]} == {mid, cid}


def _ids(corps: Any) -> set[str]:
    """Every mémoire id in a list answer, whatever its grouping."""
    texte = repr(corps)
    return set(re.findall(r"'id': '([^']+)'", texte))


def _sha256(contenu: bytes) -> str:
    import hashlib

    return hashlib.sha256(contenu).hexdigest()


def test_deux_clients_sur_le_meme_brouillon_un_seul_gagne(client: Client, chorus: Chorus) -> None:
    """Two integrators edit the same draft with If-Match: one wins, the other gets 409 and
    its change is not applied over the first one's."""
    claire = {"Authorization": _inscrire(client, chorus, "claire@expertises.fr", "Claire", "Roy")}
    sid, compte_id = _structure_avec_compte(client, claire)
    memoire = _ok(
        client.post(
            "/memoires",
            headers=claire,
            json={
                "structure_id": sid,
                "juridiction_code": "TJ-69123",
                "coordonnee_bancaire_id": compte_id,
                "texte_reference": "A.43-6",
                "type_tva": "TVA_SUR_DEBITS",
            },
        ),
        201,
    )
    version = str(memoire["version"])
    premier = client.patch(
        f"/memoires/{memoire['id']}",
        headers={**claire, "If-Match": version},
        json={"numero_facture": "F-PREMIER"},
    )
    second = client.patch(
        f"/memoires/{memoire['id']}",
        headers={**claire, "If-Match": f'"{version}"'},
        json={"numero_facture": "F-SECOND"},
    )
    assert premier.status_code == 200, premier.text
    assert second.status_code == 409, second.text
    assert second.headers["content-type"].startswith("application/problem+json")
    relu = _ok(client.get(f"/memoires/{memoire['id']}", headers=claire))
    assert relu["numero_facture"] == "F-PREMIER"
    assert relu["version"] == premier.json()["version"]
    assert client.get(f"/memoires/{memoire['id']}", headers=claire).headers["etag"] == (
        f'"{relu["version"]}"'
    )


def _structure_avec_compte(client: Client, entetes: dict[str, str]) -> tuple[str, str]:
    """A structure with its Frais de justice espace and bank details: its id and the bank
    details' id."""
    structure = _ok(
        client.post(
            "/structures",
            headers=entetes,
            json={
                "type_structure": "ENTREPRISE",
                "type_identifiant": "SIRET",
                "identifiant": SIRET,
                "raison_sociale": "Expertises Roy",
                "adresse": {"ligne1": "1 rue A", "code_postal": "69001", "ville": "Lyon"},
            },
        ),
        201,
    )
    sid: str = structure["id"]
    rib = _ok(
        client.post(
            f"/structures/{sid}/pieces-jointes",
            headers=entetes,
            files={"fichier": ("RIB.pdf", PDF, "application/pdf")},
            data={"type_piece": "COORDONNEE_BANCAIRE", "designation": "RIB"},
        ),
        201,
    )
    compte = _ok(
        client.post(
            f"/structures/{sid}/coordonnees-bancaires",
            headers=entetes,
            json={"libelle": "Compte", "iban": IBAN, "bic": BIC, "piece_jointe_id": rib["id"]},
        ),
        201,
    )
    _ok(
        client.put(
            f"/structures/{sid}/espaces/frais-de-justice",
            headers=entetes,
            json={"categorie_prestataire": "PSYCHIATRE"},
        )
    )
    return sid, compte["id"]


def test_des_ecritures_simultanees_ne_perdent_aucune_mise_a_jour(
    client: Client, chorus: Chorus
) -> None:
    """Eight clients at once, each changing the draft with If-Match of the version they
    read: exactly one wins, the others get 409, and the stored value is the winner's (a
    barrier releases the threads together so that they really overlap)."""
    claire = {"Authorization": _inscrire(client, chorus, "claire@expertises.fr", "Claire", "Roy")}
    sid, compte_id = _structure_avec_compte(client, claire)
    memoire = _ok(
        client.post(
            "/memoires",
            headers=claire,
            json={
                "structure_id": sid,
                "juridiction_code": "TJ-69123",
                "coordonnee_bancaire_id": compte_id,
                "texte_reference": "A.43-6",
                "type_tva": "TVA_SUR_DEBITS",
            },
        ),
        201,
    )
    chemin = f"/memoires/{memoire['id']}"
    depart = threading.Barrier(8)
    resultats: dict[str, int] = {}

    def ecrire(numero: int) -> None:
        depart.wait()
        reponse = client.patch(
            chemin,
            headers={**claire, "If-Match": str(memoire["version"])},
            json={"numero_facture": f"F-{numero}"},
        )
        resultats[f"F-{numero}"] = reponse.status_code

    fils = [threading.Thread(target=ecrire, args=(n,)) for n in range(8)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    gagnants = [numero for numero, statut in resultats.items() if statut == 200]
    assert len(gagnants) == 1, resultats
    assert sorted(resultats.values()) == [200] + [409] * 7
    relu = _ok(client.get(chemin, headers=claire))
    assert relu["numero_facture"] == gagnants[0]
    assert relu["version"] == memoire["version"] + 1
