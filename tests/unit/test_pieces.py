"""Pièces jointes: format recognised by content, size limit, file names, SHA-256."""

from __future__ import annotations

import hashlib
import io
import random
import unicodedata
import zipfile
from datetime import UTC, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chorus.domain.errors import ValidationError
from chorus.domain.pieces import (
    LONGUEUR_MAXIMUM_NOM,
    TAILLE_MAXIMUM,
    FormatFichier,
    PieceJointe,
    TypePiece,
    detecter_format,
    empreinte_sha256,
    nettoyer_nom_fichier,
    nom_selon_format,
)
from tests.unit.fabrique import MAINTENANT, PDF, PNG

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 16
TIFF_II = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 16
TIFF_MM = b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 16
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _entree(nom: str, compression: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    # A fixed date: these archives are test parameters, and the pytest-xdist workers must
    # collect the same bytes (`writestr` with a bare name stamps the current time).
    entree = zipfile.ZipInfo(nom, date_time=(2024, 6, 14, 10, 0, 0))
    entree.compress_type = compression
    return entree


def _zip(fichiers: dict[str, bytes], *, mimetype: str | None = None) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            # OpenDocument: the first entry, stored uncompressed.
            archive.writestr(_entree("mimetype", zipfile.ZIP_STORED), mimetype)
        for nom, contenu in fichiers.items():
            archive.writestr(_entree(nom), contenu)
    return tampon.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/"/>'
DOCX = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"})
ODT = _zip(
    {"content.xml": b"<office:document-content/>"},
    mimetype="application/vnd.oasis.opendocument.text",
)
ODS = _zip(
    {"content.xml": b"<office:document-content/>"},
    mimetype="application/vnd.oasis.opendocument.spreadsheet",
)
ZIP = _zip({"photo.txt": b"bonjour", "dossier/rapport.txt": b"texte"})
ZIP_VIDE = _zip({})
XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<memoire numero="MJ00000021178"/>'


@pytest.mark.parametrize(
    ("contenu", "nom", "attendu"),
    [
        (PDF, "x.pdf", FormatFichier.PDF),
        (JPEG, "photo.jpg", FormatFichier.JPEG),
        (PNG, "capture.png", FormatFichier.PNG),
        (TIFF_II, "scan.tif", FormatFichier.TIFF),
        (TIFF_MM, "scan.tiff", FormatFichier.TIFF),
        (OLE2, "rapport.doc", FormatFichier.DOC),
        (OLE2, "frais.xls", FormatFichier.XLS),
        (OLE2, "FRAIS.XLS", FormatFichier.XLS),
        (OLE2, "", FormatFichier.DOC),
        (DOCX, "rapport.docx", FormatFichier.DOCX),
        (XLSX, "frais.xlsx", FormatFichier.XLSX),
        (ODT, "rapport.odt", FormatFichier.ODT),
        (ODS, "frais.ods", FormatFichier.ODS),
        (ZIP, "pieces.zip", FormatFichier.ZIP),
        (ZIP_VIDE, "vide.zip", FormatFichier.ZIP),
        (XML, "flux.xml", FormatFichier.XML),
        (b"\xef\xbb\xbf" + XML, "flux.xml", FormatFichier.XML),
        (b"\n  " + XML, "flux.xml", FormatFichier.XML),
    ],
)
def test_format_reconnu_au_contenu(contenu: bytes, nom: str, attendu: FormatFichier) -> None:
    assert detecter_format(contenu, nom) is attendu


@pytest.mark.parametrize(
    ("contenu", "nom", "attendu"),
    [
        (PDF, "photo.jpg", FormatFichier.PDF),
        (PNG, "document.pdf", FormatFichier.PNG),
        (DOCX, "archive.zip", FormatFichier.DOCX),
        (ZIP, "rapport.docx", FormatFichier.ZIP),
    ],
)
def test_le_contenu_decide_pas_le_nom(contenu: bytes, nom: str, attendu: FormatFichier) -> None:
    assert detecter_format(contenu, nom) is attendu


@pytest.mark.parametrize(
    ("contenu", "nom"),
    [
        (b"Ceci est un simple texte.\n", "rapport.pdf"),
        (b"<html><body>x</body></html>", "page.xml"),
        (b"GIF89a\x01\x00\x01\x00", "image.png"),
        (b"MZ\x90\x00", "programme.pdf"),
        (b"%PD", "tronque.pdf"),
    ],
)
def test_contenu_non_accepte_refuse(contenu: bytes, nom: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        detecter_format(contenu, nom)
    assert erreur.value.champ == "fichier"


def test_fichier_vide_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        detecter_format(b"", "vide.pdf")
    assert erreur.value.champ == "fichier"
    assert "vide" in erreur.value.message


def test_zip_endommage_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        detecter_format(b"PK\x03\x04" + b"\x00" * 40, "x.zip")
    assert erreur.value.champ == "fichier"


def test_odt_avec_mimetype_inconnu_est_un_zip() -> None:
    contenu = _zip({"content.xml": b"<x/>"}, mimetype="application/x-autre")
    assert detecter_format(contenu, "x.odt") is FormatFichier.ZIP


# -- PieceJointe.depuis_contenu ----------------------------------------------------------


def _piece(contenu: bytes, nom: str = "piece.pdf", designation: str | None = None) -> PieceJointe:
    return PieceJointe.depuis_contenu(
        id="p-1",
        contenu=contenu,
        nom_fichier=nom,
        type_piece=TypePiece.ATTESTATION_MISSION,
        designation=designation,
        date_ajout=MAINTENANT,
        numero_ligne=2,
    )


def test_piece_depuis_contenu() -> None:
    piece = _piece(PDF, "../dossier/Attestation.pdf", "Attestation de mission du 12 avril")
    assert piece.nom_fichier == "Attestation.pdf"
    assert piece.format is FormatFichier.PDF
    assert piece.taille == len(PDF)
    assert piece.sha256 == hashlib.sha256(PDF).hexdigest()
    assert piece.designation == "Attestation de mission du 12 avril"
    assert piece.numero_ligne == 2
    assert piece.date_ajout == MAINTENANT


def test_designation_par_defaut_le_nom() -> None:
    assert _piece(PDF, "Requisition.pdf").designation == "Requisition.pdf"


def test_piece_trop_grande_refusee() -> None:
    trop = b"%PDF-1.4\n" + b"0" * (TAILLE_MAXIMUM - 9 + 1)
    assert len(trop) == TAILLE_MAXIMUM + 1 == 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as erreur:
        _piece(trop)
    assert erreur.value.champ == "fichier"


def test_piece_de_10_mio_exactement_acceptee() -> None:
    juste = b"%PDF-1.4\n" + b"0" * (TAILLE_MAXIMUM - 9)
    assert _piece(juste).taille == TAILLE_MAXIMUM


def test_piece_texte_nommee_pdf_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        _piece(b"pas un pdf", "faux.pdf")
    assert erreur.value.champ == "fichier"


def test_piece_xls_reconnue_apres_nettoyage_du_nom() -> None:
    assert _piece(OLE2, "C:\\Mes documents\\frais.xls").format is FormatFichier.XLS


# -- file names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/tmp/rapport final.pdf", "rapport final.pdf"),
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("ligne\x00nulle\x1f.pdf", "ligne_nulle_.pdf"),
        ("  .cache.pdf. ", "cache.pdf"),
        ("", "piece"),
        ("...", "piece"),
        ("dossier/", "piece"),
        ("\xa0", "piece"),
        ("\u3000rapport.pdf\xa0", "rapport.pdf"),
        ("Re\u0301quisition.pdf", "R\u00e9quisition.pdf"),
    ],
)
def test_nettoyer_nom_fichier(nom: str, attendu: str) -> None:
    assert nettoyer_nom_fichier(nom) == attendu


def test_nom_long_tronque_a_100_en_gardant_l_extension() -> None:
    nom = "r" * 150 + ".pdf"
    propre = nettoyer_nom_fichier(nom)
    assert len(propre) == LONGUEUR_MAXIMUM_NOM == 100
    assert propre == "r" * 96 + ".pdf"


def test_nom_long_sans_extension_tronque_a_100() -> None:
    assert nettoyer_nom_fichier("x" * 150) == "x" * 100


def test_nom_de_100_caracteres_intact() -> None:
    nom = "y" * 96 + ".pdf"
    assert nettoyer_nom_fichier(nom) == nom


_noms = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.lists(
    st.sampled_from(["a", "é", ".", " ", "/", "\\", ":", "x" * 40, ".pdf"])
).map("".join)


@settings(max_examples=200)
@given(_noms)
def test_nom_nettoye_toujours_sur(nom: str) -> None:
    propre = nettoyer_nom_fichier(nom)
    assert 0 < len(propre) <= LONGUEUR_MAXIMUM_NOM
    assert not any(c in propre for c in '/\\<>:"|?*')
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in propre)
    assert propre not in (".", "..")


@settings(max_examples=200)
@given(_noms)
@example("a" * 99 + " zzzz")
@example("a" * 99 + "." + "b" * 20)
def test_nettoyer_est_idempotent(nom: str) -> None:
    """A cleaned name is clean: cleaning it again changes nothing (in particular, cutting a
    long name leaves no trailing space or dot, which the cleaning itself removes)."""
    propre = nettoyer_nom_fichier(nom)
    assert nettoyer_nom_fichier(propre) == propre


@pytest.mark.parametrize("nom", ["a" * 99 + " zzzz", "a" * 99 + "." + "b" * 20])
def test_nom_tronque_ne_finit_ni_par_espace_ni_par_point(nom: str) -> None:
    propre = nettoyer_nom_fichier(nom)
    assert len(propre) <= LONGUEUR_MAXIMUM_NOM
    assert not propre.endswith((" ", "."))


def test_sha256_hexadecimal() -> None:
    assert empreinte_sha256(b"") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert empreinte_sha256(PDF) == hashlib.sha256(PDF).hexdigest()
    assert len(empreinte_sha256(PNG)) == 64


def test_libelles_des_types() -> None:
    assert TypePiece.COORDONNEE_BANCAIRE.libelle == "Coordonnée bancaire"
    assert all(t.libelle for t in TypePiece)


def test_une_bombe_zip_n_est_jamais_decompressee() -> None:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"a" * (50 * 1024 * 1024))
    contenu = tampon.getvalue()
    assert len(contenu) < 100_000
    assert detecter_format(contenu) is FormatFichier.ZIP


def test_une_archive_abimee_est_refusee_proprement() -> None:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document/>" * 50)
    sain = tampon.getvalue()
    generateur = random.Random(7)
    for _ in range(500):
        abime = bytearray(sain)
        for _ in range(4):
            abime[generateur.randrange(len(abime))] = generateur.randrange(256)
        # Either still recognised, or refused as a damaged file: never another exception.
        try:
            detecter_format(bytes(abime))
        except ValidationError as erreur:
            refus = erreur
            assert refus.champ == "fichier"


@pytest.mark.parametrize(
    ("nom", "contenu", "attendu"),
    [
        ("rapport.pdf", b"%PDF-1.4 x", "rapport.pdf"),
        ("RAPPORT.PDF", b"%PDF-1.4 x", "RAPPORT.PDF"),
        ("photo.JPEG", b"\xff\xd8\xff\xe0 x", "photo.JPEG"),
        ("note.html", b"%PDF-1.4 <script>", "note.html.pdf"),
        ("<script>alert(1)</script>.hta", b"%PDF-1.4 x", "script_.hta.pdf"),
        ("sans extension", b"\x89PNG\r\n\x1a\n x", "sans extension.png"),
        ("x.pdf", b"\x89PNG\r\n\x1a\n x", "x.pdf.png"),
        ("é\u202eFDP.exe", b"%PDF-1.4 x", "éFDP.exe.pdf"),
        ("a\u200bb\u2066c.pdf", b"%PDF-1.4 x", "abc.pdf"),
    ],
)
def test_le_nom_garde_finit_par_l_extension_du_contenu(
    nom: str, contenu: bytes, attendu: str
) -> None:
    piece = PieceJointe.depuis_contenu(
        id="p1",
        contenu=contenu,
        nom_fichier=nom,
        type_piece=TypePiece.AUTRE,
        designation=None,
        date_ajout=datetime(2024, 6, 14, tzinfo=UTC),
    )
    assert piece.nom_fichier == attendu


@given(st.text(min_size=1, max_size=300))
def test_un_nom_garde_est_sur_et_borne_quel_qu_il_soit(nom: str) -> None:
    try:
        nettoye = nettoyer_nom_fichier(nom)
    except ValidationError:
        return  # refused outright, with a French message (tested above)
    garde = nom_selon_format(nettoye, FormatFichier.PDF)
    assert garde.lower().endswith(".pdf")
    assert len(garde) <= LONGUEUR_MAXIMUM_NOM
    assert not any(unicodedata.category(c) in ("Cf", "Cc", "Cs") for c in garde)
    assert "/" not in garde
    assert "\\" not in garde
