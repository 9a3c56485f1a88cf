"""The certificat de dépôt as a reader sees it: every element of DESIGN §3.2, the pièces with
their SHA-256, the empreinte, the sentence and how to check it; the canonical serialisation
joined to the file."""

from __future__ import annotations

import base64
import hashlib
import json

from chorus.adapters.pdf.ecriture import montant, parametre_url
from chorus.domain.documents import CertificatAImprimer
from chorus.domain.memoire import Memoire
from tests.adapters.pdf.lecture import (
    dictionnaire,
    fichiers_joints_declares,
    lecteur,
    normaliser,
    pages,
    texte,
)
from tests.monde import SIRET_CABINET


def _certificat(envoye: Memoire) -> CertificatAImprimer:
    return CertificatAImprimer.depuis(envoye)


def test_le_certificat_tient_sur_une_page(certificat_pdf: bytes) -> None:
    assert len(pages(certificat_pdf)) == 1


def test_le_certificat_porte_le_depot_et_ses_montants(
    certificat_pdf: bytes, envoye: Memoire
) -> None:
    lu = texte(certificat_pdf)
    certificat = _certificat(envoye).certificat
    assert f"Numéro du mémoire {envoye.numero}" in lu
    # 10:00 UTC on 14 June 2024 is noon in Paris.
    assert "Date et heure d'envoi 14/06/2024 à 12:00 (heure de Paris)" in lu
    assert f"Prestataire {SIRET_CABINET} – Cabinet Durand" in lu
    assert "Juridiction destinataire Tribunal judiciaire de Lyon" in lu
    # The amounts of `fabrique.memoire_realiste`, in French: HT after the remise is
    # 6 808,25 × 8 061,31 / 8 161,31 = 6 724,83.
    for libelle, attendu in (
        ("Montant HT après remise globale", "6 724,83 EUR"),
        ("Montant TVA", "1 317,98 EUR"),
        ("Remise globale TTC", "100,00 EUR"),
        ("Montant TTC avant remise globale", "8 161,31 EUR"),
        ("Net à payer", "8 061,31 EUR"),
    ):
        assert f"{libelle} {attendu}" in lu
    assert normaliser(montant(certificat.net_a_payer)) == "8 061,31 EUR"


def test_le_certificat_porte_la_phrase_l_empreinte_et_chaque_piece(
    certificat_pdf: bytes, envoye: Memoire
) -> None:
    lu = texte(certificat_pdf)
    certificat = _certificat(envoye).certificat
    assert normaliser(certificat.texte) in lu
    assert (
        f"Le mémoire de frais de justice n°{envoye.numero} d'un montant de 8 061,31 EUR est en "
        "cours de transfert au Tribunal judiciaire de Lyon." in lu
    )
    assert certificat.empreinte in lu
    assert len(certificat.pieces) == 3
    for piece in certificat.pieces:
        # A long type label wraps in its cell: the extracted text interleaves it with the
        # next cell, so each is looked for on its own.
        assert piece.sha256 in lu
        assert piece.nom_fichier in lu
        assert piece.type_piece.libelle.split(" (")[0] in lu
    assert len({piece.sha256 for piece in certificat.pieces}) == 3


def test_le_certificat_dit_comment_le_verifier(certificat_pdf: bytes, envoye: Memoire) -> None:
    lu = texte(certificat_pdf)
    empreinte = _certificat(envoye).certificat.empreinte
    assert f"GET /api/v1/certificats?empreinte={parametre_url(empreinte)}" in lu
    assert f"« memoire-{envoye.numero}.json »" in lu


def test_la_serialisation_canonique_est_jointe_et_donne_l_empreinte(
    certificat_pdf: bytes, envoye: Memoire
) -> None:
    document = _certificat(envoye)
    joints = lecteur(certificat_pdf).attachments
    assert list(joints) == [f"memoire-{envoye.numero}.json"]
    (contenu,) = joints[f"memoire-{envoye.numero}.json"]
    assert contenu == document.serialisation
    assert base64.b64encode(hashlib.sha256(contenu).digest()).decode() == (
        document.certificat.empreinte
    )
    assert json.loads(contenu)["numero"] == envoye.numero


def test_le_fichier_joint_est_declare_pour_pdf_a_3(certificat_pdf: bytes, envoye: Memoire) -> None:
    (joint,) = fichiers_joints_declares(certificat_pdf)
    assert str(joint["/AFRelationship"]) == "/Data"
    assert str(joint["/F"]) == f"memoire-{envoye.numero}.json"
    parametres = dictionnaire(dictionnaire(dictionnaire(joint["/EF"])["/F"])["/Params"])
    # Dated at the sending, like the document: never at the rendering.
    assert str(parametres["/CreationDate"]) == "D:20240614100000Z"
    assert str(parametres["/ModDate"]) == "D:20240614100000Z"
