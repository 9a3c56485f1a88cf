"""The certificat de dépôt of a demande TIC/TICGN as a reader sees it: the demande as sent,
its lines with the rates as published, the amount asked, the pièces with their SHA-256, the
empreinte and how to check it; PDF/A-3b with the canonical serialisation joined; the same
bytes at every rendering; long demandes over pages with the table's header repeated."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from chorus.adapters.pdf import ecriture
from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.tic.bareme import BaremeTic, ProduitTic
from chorus.domain.tic.demande import (
    NOMBRE_MAXIMUM_DE_LIGNES_TIC,
    DemandeTic,
    DemandeurEnvoye,
    EnTeteDemandeTic,
    LigneDemandeTic,
)
from chorus.domain.tic.document import CertificatTicAImprimer
from tests.adapters.pdf.lecture import (
    catalogue,
    dictionnaire,
    fichiers_joints_declares,
    identifiant,
    lecteur,
    metadonnees_xmp,
    normaliser,
    pages,
    polices,
    tableau,
    texte,
)
from tests.doubles import RenduSommaire

BAREME: BaremeTic = BaremeTicDuPaquet().bareme()
# 09:00 UTC on 2 March 2026 is 10:00 in Paris (winter time).
ENVOI = datetime(2026, 3, 2, 9, tzinfo=UTC)
ANNEE = 2023
SIRET = "73282932000074"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DEMANDEUR = DemandeurEnvoye(
    siret=SIRET,
    raison_sociale="EARL des Tilleuls",
    adresse="2 route de Laval 72000 Le Mans",
    departement="72",
    libelle_coordonnee="Compte courant",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPP882",
)
# (invoice, supplier, delivery, product, quantity) → amount, rate as printed:
# 1 234,56 l = 12,3456 hl × 14,96 = 184,69; 25 000,50 kg = 250,005 × 100 kg × 13,765 =
# 3 441,32; 125 000 kWh = 125 MWh × 7,83 = 978,75. Total 4 604,76, avance (50 % in the
# 2026 campaign) 2 302,38.
LIGNES = (
    (
        "F-2023-0412",
        "Coopérative du Maine",
        date(2023, 6, 15),
        ProduitTic.GAZOLE_NON_ROUTIER,
        "1234.56",
    ),
    ("F-2023-0977", "Fiouls de l'Ouest", date(2023, 9, 1), ProduitTic.FIOUL_LOURD, "25000.50"),
    ("GN-118", "Gaz de Sarthe", date(2023, 11, 20), ProduitTic.GAZ_NATUREL_COMBUSTIBLE, "125000"),
)
ATTENDU = (
    ("1 234,56 l", "14,96 €/hl", "184,69 EUR"),
    ("25 000,50 kg", "13,765 €/100 kg", "3 441,32 EUR"),
    ("125 000,00 kWh", "7,83 €/MWh", "978,75 EUR"),
)
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def _piece(id: str, nom: str, type_piece: TypePiece, numero_ligne: int | None) -> PieceJointe:
    return PieceJointe.depuis_contenu(
        id=id,
        contenu=PDF + id.encode(),
        nom_fichier=nom,
        type_piece=type_piece,
        designation=None,
        date_ajout=ENVOI,
        numero_ligne=numero_ligne,
    )


def _ligne(
    numero: int, facture: str, fournisseur: str, livraison: date, produit: ProduitTic, quantite: str
) -> LigneDemandeTic:
    return LigneDemandeTic.creer(
        numero_ligne=numero,
        numero_facture=facture,
        fournisseur=fournisseur,
        date_livraison=livraison,
        produit=produit,
        quantite=quantite,
        annee=ANNEE,
        bareme=BAREME,
    )


def envoyer(
    lignes: tuple[LigneDemandeTic, ...], pieces: tuple[PieceJointe, ...], *, avance: bool = True
) -> DemandeTic:
    """A demande of `lignes` and `pieces` sent at ENVOI (the RIB joined at sending)."""
    entete = EnTeteDemandeTic.creer(
        structure_id="s-1",
        annee=ANNEE,
        coordonnee_bancaire_id="cb-1",
        attestation_non_difficulte=True,
        avance=avance,
        aujourdhui=ENVOI.date(),
    )
    demande = DemandeTic.creer(
        id="d-1",
        numero="DT2026000000012",
        entete=entete,
        campagne=2026,
        taux_avance=BAREME.taux_avance(2026),
        acteur="Jeanne Martin",
        maintenant=ENVOI,
    )
    for ligne in lignes:
        demande = demande.ajouter_ligne(ligne)
    for piece in pieces:
        demande = demande.joindre_piece(piece)
    return demande.envoyer(
        acteur="Jeanne Martin",
        maintenant=ENVOI,
        bareme=BAREME,
        piece_rib=_piece("rib", "RIB.pdf", TypePiece.COORDONNEE_BANCAIRE, None),
        demandeur=DEMANDEUR,
    )


def demande_realiste() -> DemandeTic:
    """The three lines of LIGNES, an invoice on line 1 and one on the whole demande."""
    lignes = tuple(_ligne(numero, *valeurs) for numero, valeurs in enumerate(LIGNES, start=1))
    pieces = (
        _piece("f-1", "facture-0412.pdf", TypePiece.FACTURE, 1),
        _piece("f-2", "factures-2023.pdf", TypePiece.FACTURE, None),
    )
    return envoyer(lignes, pieces)


@pytest.fixture(scope="module")
def document() -> CertificatTicAImprimer:
    return CertificatTicAImprimer.depuis(demande_realiste())


@pytest.fixture(scope="module")
def pdf(document: CertificatTicAImprimer) -> bytes:
    return RenduWeasyPrint().certificat_depot_tic(document)


def test_le_certificat_porte_la_demande_telle_qu_envoyee(pdf: bytes) -> None:
    lu = texte(pdf)
    premiere = pages(pdf)[0]
    assert (
        "Certificat de dépôt — Demande de remboursement partiel de TIC/TICGN "
        "Demande n°DT2026000000012 – livraisons de 2023" in premiere
    )
    for attendu in (
        "Numéro de la demande DT2026000000012",
        "Date et heure d'envoi 02/03/2026 à 10:00 (heure de Paris)",
        f"Demandeur {SIRET} – EARL des Tilleuls",
        "Adresse 2 route de Laval 72000 Le Mans",
        "Département 72",
        "Type de bénéficiaire Exploitant agricole (à titre individuel)",
        "Année des livraisons 2023",
        "Campagne 2026",
        # The demandeur's own document, and the joined serialisation holds it in full: the
        # IBAN as sent, as the mémoire prints it.
        "Coordonnées bancaires Compte courant IBAN FR76 3000 6000 0112 3456 7890 189 – BIC "
        "AGRIFRPP882",
    ):
        assert attendu in lu
    # The running header names the document on every page.
    assert all("TIC/TICGN – DT2026000000012" in page for page in pages(pdf))


def test_chaque_ligne_avec_son_taux_tel_que_publie(pdf: bytes) -> None:
    lu = texte(pdf)
    assert "N° Facture Fournisseur Date de livraison Produit Quantité Taux Montant" in lu
    for numero, (
        (facture, fournisseur, livraison, produit, _),
        (quantite, taux, montant),
    ) in enumerate(zip(LIGNES, ATTENDU, strict=True), start=1):
        assert (
            f"{numero} {facture} {fournisseur} {livraison:%d/%m/%Y} {produit.libelle} "
            f"{quantite} {taux} {montant}" in lu
        )
    # Fioul lourd: the rate of the law, three decimals, not rounded to the cent.
    assert "13,765 €/100 kg" in lu
    assert "13,77" not in lu


def test_le_montant_demande_l_avance_et_les_phrases(
    pdf: bytes, document: CertificatTicAImprimer
) -> None:
    lu = texte(pdf)
    certificat = document.certificat
    assert certificat.montant_total == Decimal("4604.76")
    assert "Nombre de lignes 3" in lu
    assert "Montant demandé 4 604,76 EUR" in lu
    assert "Dont avance demandée 2 302,38 EUR" in lu
    assert normaliser(certificat.texte) in lu
    assert (
        "La demande de remboursement partiel de TIC/TICGN n°DT2026000000012, pour les "
        "livraisons de 2023, d'un montant de 4 604,76 EUR, a été transmise au service "
        "instructeur." in lu
    )
    assert normaliser(document.attestation) in lu


def test_sans_avance_pas_de_ligne_d_avance() -> None:
    ligne = _ligne(1, *LIGNES[0])
    sans = CertificatTicAImprimer.depuis(
        envoyer((ligne,), (_piece("f-1", "f.pdf", TypePiece.FACTURE, 1),), avance=False)
    )
    lues = pages(RenduWeasyPrint().certificat_depot_tic(sans))
    lu = " ".join(lues)
    assert "Montant demandé 184,69 EUR" in lu
    assert "avance" not in lu
    # A small demande holds on one page, its empreinte included.
    assert len(lues) == 1
    assert sans.certificat.empreinte in lu


def test_les_pieces_avec_leur_sha256_et_leur_ligne(
    pdf: bytes, document: CertificatTicAImprimer
) -> None:
    lu = texte(pdf)
    pieces = document.certificat.pieces
    assert [(p.nom_fichier, p.numero_ligne) for p in pieces] == [
        ("facture-0412.pdf", 1),
        ("factures-2023.pdf", None),
        ("RIB.pdf", None),
    ]
    assert "Fichier Type de pièce Ligne SHA-256" in lu
    for piece in pieces:
        ligne = "Demande" if piece.numero_ligne is None else str(piece.numero_ligne)
        assert piece.nom_fichier in lu
        assert f"{ligne} {piece.sha256}" in lu


def test_l_empreinte_et_comment_la_verifier(pdf: bytes, document: CertificatTicAImprimer) -> None:
    lu = texte(pdf)
    empreinte = document.certificat.empreinte
    assert f"Empreinte {empreinte}" in lu
    assert "« demande-DT2026000000012.json »" in lu
    assert "openssl dgst -sha256 -binary demande-DT2026000000012.json | base64" in lu
    # The public check of GET /certificats answers for mémoires only: not promised here.
    assert "/api/v1/certificats" not in lu


def test_la_serialisation_canonique_est_jointe_et_donne_l_empreinte(
    pdf: bytes, document: CertificatTicAImprimer
) -> None:
    joints = lecteur(pdf).attachments
    assert list(joints) == ["demande-DT2026000000012.json"]
    (contenu,) = joints["demande-DT2026000000012.json"]
    assert contenu == document.serialisation
    assert base64.b64encode(hashlib.sha256(contenu).digest()).decode() == (
        document.certificat.empreinte
    )
    lu = json.loads(contenu)
    assert lu["numero"] == "DT2026000000012"
    assert [ligne["taux"] for ligne in lu["lignes"]] == ["14.96", "13.765", "7.83"]

    (joint,) = fichiers_joints_declares(pdf)
    assert str(joint["/AFRelationship"]) == "/Data"
    assert str(joint["/F"]) == "demande-DT2026000000012.json"
    parametres = dictionnaire(dictionnaire(dictionnaire(joint["/EF"])["/F"])["/Params"])
    assert str(parametres["/CreationDate"]) == "D:20260302090000Z"
    assert str(parametres["/ModDate"]) == "D:20260302090000Z"


def test_pdf_a_3b_date_de_l_envoi(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-1.7")
    flux = metadonnees_xmp(pdf)
    xmp = ET.fromstring(flux[flux.index(b"<rdf:RDF") : flux.index(b"</rdf:RDF>") + 10])
    parties = [
        (description.get(f"{PDFAID}part"), description.get(f"{PDFAID}conformance"))
        for description in xmp
        if description.get(f"{PDFAID}part") is not None
    ]
    assert parties == [("3", "B")]
    racine = catalogue(pdf)
    assert str(racine["/Lang"]) == "fr"
    (intention,) = tableau(racine["/OutputIntents"])
    assert str(dictionnaire(intention)["/S"]) == "/GTS_PDFA1"

    info = lecteur(pdf).metadata
    assert info is not None
    assert info.title == (
        "Certificat de dépôt — Demande de remboursement partiel de TIC/TICGN DT2026000000012"
    )
    assert info.author == f"{SIRET} – EARL des Tilleuls"
    assert info.subject is not None
    assert info.subject.startswith("La demande de remboursement partiel de TIC/TICGN")
    assert info.creation_date == ENVOI
    assert info.modification_date == ENVOI


def test_le_meme_certificat_donne_les_memes_octets(
    pdf: bytes, document: CertificatTicAImprimer
) -> None:
    assert RenduWeasyPrint().certificat_depot_tic(document) == pdf
    # The same demande built and sent again: the same bytes.
    encore = CertificatTicAImprimer.depuis(demande_realiste())
    assert RenduWeasyPrint().certificat_depot_tic(encore) == pdf
    premiere, seconde = identifiant(pdf)
    assert premiere == seconde
    assert re.fullmatch(r"[0-9a-f]{32}", premiere)


def test_seule_la_police_embarquee_est_utilisee(pdf: bytes) -> None:
    # « — », « € » and « × » included: no glyph falls back to a font of the machine.
    noms = polices(pdf)
    assert noms
    for police in noms:
        assert re.fullmatch(r"/[A-Z]{6}\+Chorus-Sans(-Bold|-Italic)?", police), police


# -- a demande of 50 lines ---------------------------------------------------------------


def _facture(numero: int) -> str:
    return f"FAC-{numero:04d}"


@pytest.fixture(scope="module")
def pages_longues() -> list[str]:
    produits = tuple(ProduitTic)
    lignes = tuple(
        _ligne(
            numero,
            _facture(numero),
            "Coopérative agricole du Maine et de la Sarthe",
            date(2023, 6, 15),
            # Every product has a rate for 2023: the five take turns.
            produits[numero % len(produits)],
            "25000.50",
        )
        for numero in range(1, NOMBRE_MAXIMUM_DE_LIGNES_TIC + 1)
    )
    demande = envoyer(lignes, (_piece("f", "factures.pdf", TypePiece.FACTURE, None),))
    return pages(RenduWeasyPrint().certificat_depot_tic(CertificatTicAImprimer.depuis(demande)))


def test_cinquante_lignes_continuent_sur_plusieurs_pages(pages_longues: list[str]) -> None:
    assert len(pages_longues) > 1
    lu = " ".join(pages_longues)
    for numero in range(1, NOMBRE_MAXIMUM_DE_LIGNES_TIC + 1):
        # Each line once: none lost or printed twice where a page breaks.
        assert lu.count(_facture(numero)) == 1, numero
    # In order, each invoice beside its line number: a row never splits.
    rangees = [(int(a), int(b)) for a, b in re.findall(r"(\d+) FAC-(\d{4})", lu)]
    assert rangees == [(n, n) for n in range(1, NOMBRE_MAXIMUM_DE_LIGNES_TIC + 1)]
    pages_du_tableau = [page for page in pages_longues if "FAC-" in page]
    assert len(pages_du_tableau) > 1
    for page in pages_du_tableau:
        assert "N° Facture Fournisseur Date de livraison Produit Quantité Taux Montant" in page
    for numero, page in enumerate(pages_longues, start=1):
        assert f"Page {numero} / {len(pages_longues)}" in page
    # The empreinte stays with its explanation.
    assert "Empreinte" in pages_longues[-1]


# -- what the demandeur typed is text --------------------------------------------------------

FOURNISSEUR = "<b>Gras</b></td></tr><tr><td>99</td><td>Ligne ajoutée & <script>x</script>"


def test_le_balisage_saisi_est_imprime_tel_quel() -> None:
    ligne = _ligne(1, "<i>F-1</i>", FOURNISSEUR, date(2023, 6, 15), ProduitTic.FIOUL_LOURD, "1000")
    demande = envoyer((ligne,), (_piece("f", "f.pdf", TypePiece.FACTURE, 1),))
    lu = texte(RenduWeasyPrint().certificat_depot_tic(CertificatTicAImprimer.depuis(demande)))
    # The supplier wraps in its column (a line break reads as a space): compared without.
    ligne_lue = f"1 <i>F-1</i> {FOURNISSEUR} 15/06/2023 Fioul lourd 1 000,00 kg 13,765"
    assert ligne_lue.replace(" ", "") in lu.replace(" ", "")
    assert "Montant demandé 137,65 EUR" in lu
    assert "Nombre de lignes 1" in lu


# -- the writing of rates, and the test double -------------------------------------------

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (Decimal("13.765"), f"13,765{NBSP}€/100 kg"),
        (Decimal("14.96"), f"14,96{NBSP}€/100 kg"),
        (Decimal("5.00"), f"5,00{NBSP}€/100 kg"),
        (Decimal("20"), f"20,00{NBSP}€/100 kg"),
        (Decimal("0.5"), f"0,50{NBSP}€/100 kg"),
        (Decimal("1.23456"), f"1,23456{NBSP}€/100 kg"),
        (Decimal("1234.5"), f"1{NBSP}234,50{NBSP}€/100 kg"),
    ],
)
def test_un_taux_s_ecrit_tel_que_publie(valeur: Decimal, attendu: str) -> None:
    assert ecriture.taux_publie(valeur, "€/100 kg") == attendu


def test_le_double_sans_mise_en_page(document: CertificatTicAImprimer) -> None:
    contenu = RenduSommaire().certificat_depot_tic(document)
    assert contenu.startswith(b"%PDF-")
    lu = contenu.decode()
    for attendu in ("DT2026000000012", SIRET, "2023", "F-2023-0977 3441.32", "4604.76"):
        assert attendu in lu
    assert RenduSommaire().certificat_depot_tic(document) == contenu
