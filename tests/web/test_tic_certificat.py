"""The certificat de dépôt of a demande TIC/TICGN rendered for real (WeasyPrint) and served
by the API, to the demandeur and to the instructor: the same stored bytes, showing what a
receipt must show (only that is asserted, not the layout)."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.ports.documents import DocumentRenderer
from tests.web import aides
from tests.web.aides_tic import FL, SIRET_FERME, Ferme, monter_ferme
from tests.web.conftest import Banc


@pytest.fixture
def rendu() -> DocumentRenderer:
    return RenduWeasyPrint()


@pytest.fixture
def ferme(banc: Banc) -> Ferme:
    return monter_ferme(banc)


def texte_pdf(contenu: bytes) -> str:
    lecteur = PdfReader(io.BytesIO(contenu))
    return " ".join(" ".join(page.extract_text() or "" for page in lecteur.pages).split())


def test_le_certificat_imprime_montre_la_demande_envoyee(ferme: Ferme) -> None:
    demande = ferme.creer(2023)
    ferme.ajouter_ligne(demande, numero_facture="F-2023-118", quantite="1000")
    ferme.ajouter_ligne(
        demande,
        numero_facture="F-2023-377",
        produit=FL,
        quantite="2500.50",
        date_livraison="2023-11-02",
    )
    ferme.joindre(demande["id"])
    envoyee = ferme.envoyer(demande["id"])
    nom = f"certificat-depot-{envoyee['numero']}.pdf"

    reponse = ferme.client.get(
        f"/tic/demandes/{demande['id']}/certificat-depot", headers=ferme.gestionnaire
    )

    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"] == "application/pdf"
    assert reponse.headers["content-disposition"] == f'attachment; filename="{nom}"'
    assert reponse.headers["etag"] == f'"{hashlib.sha256(reponse.content).hexdigest()}"'
    texte = texte_pdf(reponse.content)
    for attendu in (envoyee["numero"], SIRET_FERME, "2023", "F-2023-118", "F-2023-377", "493,79"):
        assert attendu in texte, (attendu, texte)
    # The stored bytes, every time and for the instructor too.
    assert (
        ferme.client.get(
            f"/tic/demandes/{demande['id']}/certificat-depot", headers=ferme.consultant
        ).content
        == reponse.content
    )
    instructeur = ferme.client.get(
        f"/traitement/tic/demandes/{demande['id']}/certificat-depot", headers=ferme.instructeur
    )
    assert instructeur.content == reponse.content
    non_modifie = ferme.client.get(
        f"/traitement/tic/demandes/{demande['id']}/certificat-depot",
        headers=ferme.instructeur | {"If-None-Match": reponse.headers["etag"]},
    )
    assert non_modifie.status_code == 304


def test_un_brouillon_n_a_pas_de_certificat(ferme: Ferme) -> None:
    demande = ferme.creer(2023)
    reponse = ferme.client.get(
        f"/tic/demandes/{demande['id']}/certificat-depot", headers=ferme.gestionnaire
    )
    assert "envoyée" in aides.exiger_probleme(reponse, 409)["detail"]
