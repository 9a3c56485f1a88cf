"""The mémoire as sent, as a reader sees it: en-tête, lines with their frais divers and
débours, TVA recap, totals and pièces; long tables continue over pages with their header."""

from __future__ import annotations

import re

import pytest

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.domain.memoire import Memoire
from tests.adapters.pdf.fabrique import affaire, memoire_de
from tests.adapters.pdf.lecture import pages, texte
from tests.monde import BIC, SIRET_CABINET, Monde, construire_monde

ENTETE_DES_LIGNES = (
    "N° Affaire et réquisition Prestation Quantité Tarif HT Taux TVA Montant HT TVA Débours "
    "Montant TTC"
)


def test_l_en_tete_tel_qu_envoye(memoire_pdf: bytes, envoye: Memoire) -> None:
    lu = texte(memoire_pdf)
    assert envoye.certificat is not None
    # Number, deposit and empreinte at the top of the first page.
    assert (
        f"Mémoire de frais de justice n°{envoye.numero} – déposé le 14/06/2024 à 12:00 "
        "(heure de Paris)" in pages(memoire_pdf)[0]
    )
    assert f"Empreinte du dépôt : {envoye.certificat.empreinte}" in lu
    for attendu in (
        f"Prestataire SIRET {SIRET_CABINET} – Cabinet Durand",
        "Catégorie de prestataire Psychiatre",
        "Juridiction destinataire Tribunal judiciaire de Lyon",
        "Texte de référence A.43-6 – Article A.43-6",
        "Devise EUR",
        "Type de TVA TVA sur les débits",
        "Numéro de facture F-2024-117",
        # The prestataire's own document: the IBAN in full, as sent.
        f"Compte courant IBAN FR76 3000 6000 0112 3456 7890 189 – BIC {BIC}",
    ):
        assert attendu in lu
    # The running header of every page names the document.
    assert all(
        f"Mémoire de frais de justice – {envoye.numero}" in page for page in pages(memoire_pdf)
    )


def test_les_lignes_frais_divers_et_debours(memoire_pdf: bytes) -> None:
    lu = texte(memoire_pdf)
    # Line 1: 10 × 654,50 at 20 %.
    assert (
        f"1 {affaire(1)} Procureur de la République, réquisition du 22/05/2024 Expertise "
        "psychiatrique du 25/05/2024 10,00 654,50 20 % 6 545,00 1 309,00 0,00 7 854,00" in lu
    )
    # Line 2: its frais divers are in its HT (150,00 + 12,50 + 0,75).
    assert "Frais divers : Déplacement Lyon – Villeurbanne, 12,50 HT" in lu
    assert "Frais divers : Affranchissement, 0,75 HT" in lu
    assert "1,00 150,00 5,5 % 163,25 8,98 0,00 172,23" in lu
    # Line 3: débours outside the TVA base.
    assert "2,50 40,00 0 % 100,00 0,00 35,08 135,08" in lu


def test_le_recapitulatif_de_tva_et_les_totaux(memoire_pdf: bytes) -> None:
    lu = texte(memoire_pdf)
    assert (
        "Récapitulatif de la TVA Taux Base HT Montant TVA 20 % 6 545,00 EUR 1 309,00 EUR "
        "5,5 % 163,25 EUR 8,98 EUR 0 % 100,00 EUR 0,00 EUR" in lu
    )
    assert (
        "Totaux Montant HT 6 808,25 EUR Montant TVA 1 317,98 EUR Débours 35,08 EUR "
        "Montant TTC avant remise globale 8 161,31 EUR Remise globale TTC 100,00 EUR "
        "Net à payer 8 061,31 EUR" in lu
    )


def test_les_pieces_avec_leur_sha256(memoire_pdf: bytes, envoye: Memoire) -> None:
    lu = texte(memoire_pdf)
    assert len(envoye.pieces) == 3
    for piece in envoye.pieces:
        assert piece.sha256 in lu
        assert piece.nom_fichier in lu
    assert "Attestation de service fait signée" in lu


# -- long mémoires over several pages ------------------------------------------------------


@pytest.fixture(scope="module")
def monde_long() -> Monde:
    return construire_monde(documents=RenduWeasyPrint())


def _pages_du_memoire(monde: Monde, lignes: int) -> list[str]:
    envoye = memoire_de(monde, lignes)
    return pages(monde.chorus.documents.memoire(monde.gestionnaire.id, envoye.id).contenu)


# What the layout gives, from the stylesheet (document.css) and the embedded font, the same
# on any machine: an A4 page leaves 297 − 22 − 18 = 257 mm between its margins. A row of
# these lines is three lines of 8 pt text (case number; autorité and réquisition; the
# prestation wraps in its 40 mm column) at a line height of 1.3, plus 2 × 0.8 mm of padding:
# 12.7 mm. The repeated header (« Montant TTC » on two lines) takes 9.1 mm, so a page that
# continues the table holds (257 − 9.1) / 12.7 = 19.5, that is 19 rows. The first page gives
# about 105 mm to the title, the empreinte and the en-tête: 11 rows. After the last row come
# the TVA recap, the totals and the pièces (about 110 mm).
# - 1 line: everything on 1 page.
# - 30 lines: 11 on page 1, 19 on page 2 (full), the recap and the rest on page 3.
# - 300 lines: 11 + 15 × 19 = 296 on pages 1 to 16, the last 4 and the rest on page 17.
PAGES_ATTENDUES = {1: 1, 30: 3, 300: 17}
PAGES_DU_TABLEAU = {1: 1, 30: 2, 300: 17}


@pytest.mark.parametrize(
    "lignes", [1, 30, pytest.param(300, marks=pytest.mark.slow)], ids=lambda n: f"{n}-lignes"
)
def test_un_long_memoire_continue_sur_plusieurs_pages(monde_long: Monde, lignes: int) -> None:
    textes = _pages_du_memoire(monde_long, lignes)
    assert len(textes) == PAGES_ATTENDUES[lignes]

    lu = " ".join(textes)
    for numero in range(1, lignes + 1):
        # Each line once: no row lost or printed twice where a page breaks.
        assert lu.count(affaire(numero)) == 1, numero
    # In order, each case number beside its line number: a row never splits.
    rangees = [(int(a), int(b)) for a, b in re.findall(r"(\d+) AFF-(\d{4})", lu)]
    assert rangees == [(numero, numero) for numero in range(1, lignes + 1)]

    pages_du_tableau = [page for page in textes if "AFF-" in page]
    assert len(pages_du_tableau) == PAGES_DU_TABLEAU[lignes]
    for page in pages_du_tableau:
        assert ENTETE_DES_LIGNES in page
    for numero, page in enumerate(textes, start=1):
        assert f"Page {numero} / {len(textes)}" in page
