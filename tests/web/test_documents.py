"""A sent mémoire's PDF documents through the API (certificat de dépôt, mémoire as sent),
the liste fiscale as PDF, the back office's downloads and the Archives tab.

The renderer is WeasyPrint's (real PDFs, read back with pypdf); only what any rendering of
these documents must show is asserted (the number, the certificate's sentence), not their
layout.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.domain.organisation import Profil
from chorus.ports.documents import DocumentRenderer
from tests.web import aides
from tests.web.aides import exiger_probleme
from tests.web.aides_memoires import GESTIONNAIRE, Cabinet, Json, monter_cabinet
from tests.web.conftest import BASE_URL, Banc

PDF = "application/pdf"
DOCUMENTS = ("certificat-depot", "document")
SANS_HABILITATION = "membre@exemple.fr"


@pytest.fixture
def rendu() -> DocumentRenderer:
    """These tests read the PDFs: the app renders them for real."""
    return RenduWeasyPrint()


@pytest.fixture
def cabinet(banc: Banc) -> Cabinet:
    return monter_cabinet(banc)


def texte_pdf(contenu: bytes) -> str:
    """The text of every page, blanks (line breaks, no-break spaces) made single spaces."""
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(page.extract_text() or "" for page in lecteur.pages).split())


def exiger_pdf(reponse: Any, nom_fichier: str) -> bytes:
    """Assert `reponse` is the download of a PDF named `nom_fichier`; its bytes."""
    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"] == PDF
    assert reponse.headers["content-disposition"] == f'attachment; filename="{nom_fichier}"'
    assert reponse.headers["cache-control"] == "private"
    contenu: bytes = reponse.content
    assert contenu.startswith(b"%PDF-")
    assert reponse.headers["etag"] == f'"{hashlib.sha256(contenu).hexdigest()}"'
    return contenu


def _sha_archive(cabinet: Cabinet, memoire_id: str) -> str:
    memoire = cabinet.banc.chorus.memoires.obtenir(cabinet.gestionnaire_id, memoire_id)
    assert memoire.certificat is not None
    assert memoire.certificat.document_sha256 is not None
    return memoire.certificat.document_sha256


# -- the certificat de dépôt -------------------------------------------------------------


def test_le_certificat_servi_est_celui_archive_a_l_envoi(
    cabinet: Cabinet, monkeypatch: pytest.MonkeyPatch
) -> None:
    envoye = cabinet.envoye()
    chorus = cabinet.banc.chorus
    stocke = chorus.ports.blobs.lire(_sha_archive(cabinet, envoye["id"]))

    def sans_rendu(*_: object) -> bytes:
        raise AssertionError("un certificat archivé ne se produit pas à nouveau")

    # Downloads serve the stored bytes: rendering again would fail the test.
    monkeypatch.setattr(type(chorus.ports.documents), "certificat_depot", sans_rendu)
    chemin = f"/memoires/{envoye['id']}/certificat-depot"
    nom = f"certificat-depot-{envoye['numero']}.pdf"
    premier = exiger_pdf(cabinet.client.get(chemin, headers=cabinet.gestionnaire), nom)
    second = exiger_pdf(cabinet.client.get(chemin, headers=cabinet.consultant), nom)

    assert premier == stocke
    assert second == premier
    texte = texte_pdf(premier)
    assert envoye["numero"] in texte
    assert " ".join(envoye["certificat"]["texte"].split()) in texte


def test_le_memoire_tel_qu_envoye(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    chemin = f"/memoires/{envoye['id']}/document"
    nom = f"memoire-{envoye['numero']}.pdf"

    premier = exiger_pdf(cabinet.client.get(chemin, headers=cabinet.gestionnaire), nom)
    second = exiger_pdf(cabinet.client.get(chemin, headers=cabinet.consultant), nom)

    assert second == premier
    assert envoye["numero"] in texte_pdf(premier)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_if_none_match_repond_304_sans_contenu(cabinet: Cabinet, document: str) -> None:
    envoye = cabinet.envoye()
    chemin = f"/memoires/{envoye['id']}/{document}"
    etag = cabinet.client.get(chemin, headers=cabinet.gestionnaire).headers["etag"]

    for valeur in (etag, f"W/{etag}", f'"autre", {etag}', "*"):
        reponse = cabinet.client.get(
            chemin, headers={**cabinet.gestionnaire, "If-None-Match": valeur}
        )
        assert reponse.status_code == 304, (valeur, reponse.text)
        assert reponse.content == b""
        assert reponse.headers["etag"] == etag
        assert reponse.headers["cache-control"] == "private"
    perime = cabinet.client.get(
        chemin, headers={**cabinet.gestionnaire, "If-None-Match": f'"{"0" * 64}"'}
    )
    assert perime.status_code == 200
    assert perime.headers["etag"] == etag


@pytest.mark.parametrize("document", DOCUMENTS)
def test_les_documents_d_un_memoire_refuses(cabinet: Cabinet, document: str) -> None:
    envoye = cabinet.envoye()
    brouillon = cabinet.brouillon()
    client = cabinet.client
    membre = cabinet.banc.connecte(SANS_HABILITATION, prenom="Sacha")
    aides.rattacher(
        cabinet.banc.chorus,
        cabinet.structure,
        cabinet.gestionnaire_id,
        cabinet.banc.id_de(SANS_HABILITATION),
        None,
    )

    exiger_probleme(client.get(f"/memoires/{envoye['id']}/{document}"), 401)
    autre = exiger_probleme(
        client.get(f"/memoires/{envoye['id']}/{document}", headers=cabinet.etranger), 404
    )
    assert envoye["numero"] not in autre["detail"]
    exiger_probleme(client.get(f"/memoires/{envoye['id']}/{document}", headers=membre), 403)
    exiger_probleme(client.get(f"/memoires/inconnu/{document}", headers=cabinet.gestionnaire), 404)
    brouillon_refuse = exiger_probleme(
        client.get(f"/memoires/{brouillon['id']}/{document}", headers=cabinet.gestionnaire), 409
    )
    assert "n'a pas été envoyé" in brouillon_refuse["detail"]
    assert brouillon["numero"] in brouillon_refuse["detail"]


# -- the back office ---------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENTS)
def test_l_agent_de_la_juridiction_telecharge_les_documents(
    cabinet: Cabinet, document: str
) -> None:
    envoye = cabinet.envoye()
    client = cabinet.client
    nom = ("certificat-depot" if document == "certificat-depot" else "memoire") + (
        f"-{envoye['numero']}.pdf"
    )
    chemin = f"/traitement/memoires/{envoye['id']}/{document}"

    pour_l_agent = exiger_pdf(client.get(chemin, headers=cabinet.agent), nom)
    pour_le_prestataire = exiger_pdf(
        client.get(f"/memoires/{envoye['id']}/{document}", headers=cabinet.gestionnaire), nom
    )
    assert pour_l_agent == pour_le_prestataire
    assert exiger_pdf(client.get(chemin, headers=cabinet.comptable), nom) == pour_l_agent
    etag = {"If-None-Match": f'"{hashlib.sha256(pour_l_agent).hexdigest()}"'}
    assert client.get(chemin, headers={**cabinet.agent, **etag}).status_code == 304

    exiger_probleme(client.get(chemin), 401)
    exiger_probleme(client.get(chemin, headers=cabinet.agent_ailleurs), 404)
    exiger_probleme(client.get(chemin, headers=cabinet.gestionnaire), 403)
    brouillon = cabinet.brouillon()
    exiger_probleme(
        client.get(f"/traitement/memoires/{brouillon['id']}/{document}", headers=cabinet.agent),
        404,
    )


def test_l_agent_telecharge_une_piece_d_un_memoire_transmis(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    rib = next(p for p in envoye["pieces_jointes"] if p["type_piece"] == "COORDONNEE_BANCAIRE")
    chemin = f"/traitement/memoires/{envoye['id']}/pieces-jointes/{rib['id']}"

    reponse = cabinet.client.get(chemin, headers=cabinet.agent)

    assert reponse.status_code == 200, reponse.text
    assert reponse.content == aides.PDF + aides.SIRET_CABINET.encode()
    assert hashlib.sha256(reponse.content).hexdigest() == rib["sha256"]
    assert reponse.headers["content-type"] == PDF
    assert reponse.headers["content-disposition"].startswith('attachment; filename="RIB.pdf"')
    exiger_probleme(cabinet.client.get(chemin, headers=cabinet.agent_ailleurs), 404)
    exiger_probleme(cabinet.client.get(chemin, headers=cabinet.gestionnaire), 403)
    exiger_probleme(cabinet.client.get(chemin), 401)
    inconnue = exiger_probleme(
        cabinet.client.get(
            f"/traitement/memoires/{envoye['id']}/pieces-jointes/inconnue", headers=cabinet.agent
        ),
        404,
    )
    assert aides.champs_en_erreur(inconnue) == ["piece_id"]


# -- the liste fiscale as PDF ------------------------------------------------------------


def _periode(cabinet: Cabinet, du: str = "2024-01-01", au: str = "2024-12-31") -> dict[str, str]:
    return {"structure_id": cabinet.structure.id, "du": du, "au": au}


def test_la_liste_fiscale_en_pdf(cabinet: Cabinet) -> None:
    cabinet.paye()
    reponse = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.consultant, "Accept": PDF},
    )

    contenu = exiger_pdf(reponse, f"liste-fiscale-{aides.SIRET_CABINET}-2024-01-01-2024-12-31.pdf")
    assert "Cabinet Durand" in texte_pdf(contenu)
    # JSON stays the default, and wins when preferred.
    for accept in ("*/*", f"application/json, {PDF};q=0.5"):
        en_json = cabinet.client.get(
            "/liste-fiscale",
            params=_periode(cabinet),
            headers={**cabinet.consultant, "Accept": accept},
        )
        assert en_json.json()["total"] == 1


def test_la_liste_fiscale_en_pdf_refusee(cabinet: Cabinet) -> None:
    client = cabinet.client
    en_pdf = {**cabinet.gestionnaire, "Accept": PDF}

    trop_longue = exiger_probleme(
        client.get("/liste-fiscale", params=_periode(cabinet, au="2025-01-01"), headers=en_pdf),
        422,
    )
    assert aides.champs_en_erreur(trop_longue) == ["au"]
    assert "un an" in trop_longue["detail"]
    exiger_probleme(
        client.get(
            "/liste-fiscale", params=_periode(cabinet), headers={**cabinet.etranger, "Accept": PDF}
        ),
        404,
    )
    exiger_probleme(client.get("/liste-fiscale", params=_periode(cabinet)), 401)
    xml = client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.gestionnaire, "Accept": "application/xml"},
    )
    probleme = exiger_probleme(xml, 406)
    assert aides.champs_en_erreur(probleme) == ["Accept"]
    assert "application/pdf" in probleme["detail"]


# -- the Archives tab --------------------------------------------------------------------


def _archives(cabinet: Cabinet, entetes: aides.Entetes | None = None, **params: str) -> Json:
    reponse = cabinet.client.get(
        "/memoires/archives", params=params, headers=entetes or cabinet.gestionnaire
    )
    assert reponse.status_code == 200, reponse.text
    page: Json = reponse.json()
    return page


def test_les_archives_listent_les_memoires_transmis_page_par_page(cabinet: Cabinet) -> None:
    envoyes = []
    for _ in range(3):
        envoyes.append(cabinet.envoye())
        cabinet.banc.horloge.avancer(timedelta(minutes=1))
    cabinet.refuse()  # transmitted, then refused: still archived
    cabinet.brouillon()

    premiere = _archives(cabinet, page="1", par_page="2")
    seconde = _archives(cabinet, page="2", par_page="2")

    assert (premiere["total"], premiere["page"], premiere["par_page"]) == (4, 1, 2)
    numeros = [e["numero"] for e in premiere["elements"] + seconde["elements"]]
    assert len(numeros) == 4
    assert all(n.startswith("MJ") for n in numeros), "un brouillon est archivé"
    # The latest deposit first.
    assert numeros[1:] == [m["numero"] for m in reversed(envoyes)]
    element = premiere["elements"][1]
    assert element["id"] == envoyes[-1]["id"]
    assert element["statut"] == "ENVOYE"
    assert element["montant_ttc"] == "158.25"
    assert element["conserve_jusqu_au"] == "2034-06-14"
    assert element["liens"] == {
        "certificat_depot": f"/api/v1/memoires/{element['id']}/certificat-depot",
        "document": f"/api/v1/memoires/{element['id']}/document",
    }
    racine = BASE_URL.removesuffix("/api/v1")
    lien = cabinet.client.get(
        racine + element["liens"]["certificat_depot"], headers=cabinet.gestionnaire
    )
    exiger_pdf(lien, f"certificat-depot-{element['numero']}.pdf")


def test_les_archives_se_filtrent(cabinet: Cabinet) -> None:
    premier = cabinet.envoye()
    cabinet.envoye()

    par_numero = _archives(cabinet, numero=premier["numero"])
    assert [e["id"] for e in par_numero["elements"]] == [premier["id"]]
    assert _archives(cabinet, structure_id=cabinet.structure.id)["total"] == 2
    assert _archives(cabinet, numero="", structure_id=" ")["total"] == 2
    # Nothing of another structure, filtered on it or not.
    assert _archives(cabinet, cabinet.etranger)["total"] == 0
    assert _archives(cabinet, cabinet.etranger, structure_id=cabinet.structure.id)["total"] == 0
    exiger_probleme(cabinet.client.get("/memoires/archives"), 401)
    refus = exiger_probleme(
        cabinet.client.get(
            "/memoires/archives", params={"par_page": "501"}, headers=cabinet.gestionnaire
        ),
        400,
    )
    assert aides.champs_en_erreur(refus) == ["par_page"]


def test_les_archives_gardent_dix_ans_jour_pour_jour(cabinet: Cabinet) -> None:
    banc = cabinet.banc
    envoye = cabinet.envoye()  # 14 June 2024, 12:00 in Paris
    depot = banc.horloge.maintenant()

    def archives_le(instant: datetime) -> list[str]:
        banc.horloge.regler(instant)
        # A session lasts hours, not years: log in again on that day.
        entetes = aides.connecter(banc.client, GESTIONNAIRE)
        return [e["numero"] for e in _archives(cabinet, entetes)["elements"]]

    assert archives_le(depot.replace(year=2034)) == [envoye["numero"]]
    assert archives_le(depot.replace(year=2034) + timedelta(days=1)) == []


def test_la_conservation_compte_le_jour_du_depot_a_paris(cabinet: Cabinet) -> None:
    banc = cabinet.banc
    # 22:30 UTC on 14 June is already 15 June in Paris (UTC+2).
    banc.horloge.regler(datetime(2024, 6, 14, 22, 30, tzinfo=UTC))
    cabinet.gestionnaire.update(aides.connecter(banc.client, GESTIONNAIRE))
    envoye = cabinet.envoye()

    element = _archives(cabinet, numero=envoye["numero"])["elements"][0]

    assert element["conserve_jusqu_au"] == "2034-06-15"


def test_l_agent_n_a_pas_d_archives_de_prestataire(cabinet: Cabinet) -> None:
    cabinet.envoye()
    assert _archives(cabinet, cabinet.agent)["total"] == 0


def test_un_consultant_voit_les_archives_de_sa_structure(cabinet: Cabinet) -> None:
    envoye = cabinet.envoye()
    page = _archives(cabinet, cabinet.consultant)
    assert [e["numero"] for e in page["elements"]] == [envoye["numero"]]


# -- the OpenAPI document ----------------------------------------------------------------


@pytest.fixture
def document_openapi(cabinet: Cabinet) -> Json:
    reponse = cabinet.client.get("/schema/openapi.json")
    assert reponse.status_code == 200
    corps: Json = reponse.json()
    return corps


def _operation(document: Json, chemin: str) -> Json:
    operation: Json = document["paths"][f"/api/v1{chemin}"]["get"]
    return operation


@pytest.mark.parametrize(
    ("chemin", "statuts"),
    [
        ("/memoires/{memoire_id}/certificat-depot", {"200", "304", "401", "403", "404", "409"}),
        ("/memoires/{memoire_id}/document", {"200", "304", "401", "403", "404", "409"}),
        (
            "/traitement/memoires/{memoire_id}/certificat-depot",
            {"200", "304", "401", "403", "404"},
        ),
        ("/traitement/memoires/{memoire_id}/document", {"200", "304", "401", "403", "404"}),
    ],
)
def test_les_telechargements_sont_documentes_en_pdf(
    document_openapi: Json, chemin: str, statuts: set[str]
) -> None:
    operation = _operation(document_openapi, chemin)

    assert statuts <= set(operation["responses"])
    assert list(operation["responses"]["200"]["content"]) == [PDF]
    assert "ETag" in operation["responses"]["200"]["headers"]
    assert "content" not in operation["responses"]["304"]
    assert "If-None-Match" in [p["name"] for p in operation["parameters"] if p["in"] == "header"]


def test_la_liste_fiscale_et_les_archives_sont_documentees(document_openapi: Json) -> None:
    liste = _operation(document_openapi, "/liste-fiscale")
    assert {"application/json", "text/csv", PDF} <= set(liste["responses"]["200"]["content"])
    assert "422" in liste["responses"]
    archives = _operation(document_openapi, "/memoires/archives")
    assert {"numero", "structure_id", "page", "par_page"} <= {
        p["name"] for p in archives["parameters"]
    }
    schemas = document_openapi["components"]["schemas"]
    element = next(s for nom, s in schemas.items() if nom.startswith("ArchiveSortie"))
    assert {"numero", "statut", "date_depot", "conserve_jusqu_au", "liens"} <= set(
        element["properties"]
    )


def test_la_verification_publique_n_expose_que_quatre_champs(document_openapi: Json) -> None:
    operation = document_openapi["paths"]["/api/v1/certificats"]["get"]
    assert "409" in operation["responses"]
    schema = document_openapi["components"]["schemas"]["CertificatVerifie"]
    assert set(schema["properties"]) == {"numero", "date_depot", "juridiction", "montant_ttc"}


# -- habilitations on a service ----------------------------------------------------------


def test_un_utilisateur_d_un_seul_service_n_a_pas_les_documents_des_autres(
    cabinet: Cabinet,
) -> None:
    """A member habilitated on no service of a mémoire filed for none: 403, as reading it."""
    banc = cabinet.banc
    structure = banc.chorus.structures.ajouter_service(
        cabinet.gestionnaire_id, cabinet.structure.id, code="PSY", libelle="Psychiatrie"
    )
    service = structure.services[-1]
    entetes = banc.connecte("psy@exemple.fr", prenom="Paz")
    aides.rattacher(
        banc.chorus,
        structure,
        cabinet.gestionnaire_id,
        banc.id_de("psy@exemple.fr"),
        Profil.CONSULTATION,
        service_id=service.id,
    )
    envoye = cabinet.envoye()

    for document in DOCUMENTS:
        exiger_probleme(
            cabinet.client.get(f"/memoires/{envoye['id']}/{document}", headers=entetes), 403
        )
    assert _archives(cabinet, entetes)["total"] == 0
