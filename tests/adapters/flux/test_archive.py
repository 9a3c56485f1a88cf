"""The ZIP of pièces beside a flux: read on access, names and sizes checked, zip bombs and
path traversal refused."""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile

import pytest

from chorus.adapters.flux import LecteurDeFlux
from chorus.adapters.flux.archive import lire_archive
from chorus.domain.flux.lecture import FichierIllisible

PDF = b"%PDF-1.7\n" + b"0" * 1000


def zip_de(*fichiers: tuple[str, bytes], methode: int = zipfile.ZIP_DEFLATED) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", methode) as archive:
        for nom, contenu in fichiers:
            archive.writestr(nom, contenu)
    return tampon.getvalue()


def refus(archive: bytes, **limites: int) -> str:
    with pytest.raises(FichierIllisible) as erreur:
        lire_archive(archive, **limites)
    return erreur.value.message


def test_les_fichiers_par_leur_nom_dans_l_archive() -> None:
    archive = zip_de(("EXP-118/requisition.pdf", PDF), ("notes.txt", b"texte"))
    pieces = LecteurDeFlux().pieces(archive)
    assert sorted(pieces) == ["EXP-118/requisition.pdf", "notes.txt"]
    assert len(pieces) == 2
    assert "notes.txt" in pieces
    assert "absent.pdf" not in pieces
    assert pieces["EXP-118/requisition.pdf"] == PDF
    assert pieces.get("absent.pdf") is None
    with pytest.raises(KeyError):
        pieces["absent.pdf"]


def test_les_dossiers_ne_sont_pas_des_pieces() -> None:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.mkdir("EXP-118")
        archive.writestr("EXP-118/a.pdf", PDF)
    assert list(lire_archive(tampon.getvalue())) == ["EXP-118/a.pdf"]


def test_les_noms_sont_normalises_en_nfc_comme_ceux_du_flux() -> None:
    # macOS writes « é » as « e » + combining accent; the flux names it in one character.
    decompose = unicodedata.normalize("NFD", "réquisition.pdf")
    pieces = lire_archive(zip_de((decompose, PDF)))
    assert pieces["réquisition.pdf"] == PDF


@pytest.mark.parametrize(
    "nom",
    ["../../etc/cron.d/x", "pieces/../../x.pdf", "/etc/passwd", "C:/Windows/x.pdf", "..\\x.pdf"],
)
def test_un_nom_qui_sort_de_l_archive_la_fait_refuser(nom: str) -> None:
    assert refus(zip_de(("ok.pdf", PDF), (nom, PDF))).startswith(
        "Nom refusé dans l'archive des pièces : « "
    )


def test_un_nom_en_double_fait_refuser_l_archive() -> None:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("a.pdf", PDF)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("a.pdf", b"autre")
    assert refus(tampon.getvalue()) == (
        "Le fichier « a.pdf » figure deux fois dans l'archive des pièces."
    )
    # Two spellings of one name are one name too.
    nfd = unicodedata.normalize("NFD", "é.pdf")
    assert refus(zip_de(("é.pdf", PDF), (nfd, PDF))) == (
        "Le fichier « é.pdf » figure deux fois dans l'archive des pièces."
    )


@pytest.mark.parametrize(
    "contenu", [b"", b"%PDF-1.7 pas une archive", b"PK\x03\x04" + b"\x00" * 40]
)
def test_ce_qui_n_est_pas_un_zip_est_refuse(contenu: bytes) -> None:
    assert refus(contenu) in (
        "L'archive des pièces est vide.",
        "L'archive des pièces n'est pas un fichier ZIP lisible.",
    )


def test_un_fichier_chiffre_est_refuse() -> None:
    archive = bytearray(zip_de(("secret.pdf", PDF)))
    # Set the "encrypted" flag in the central directory, as a password-protected ZIP does.
    centrale = archive.index(b"PK\x01\x02")
    (drapeaux,) = struct.unpack_from("<H", archive, centrale + 8)
    struct.pack_into("<H", archive, centrale + 8, drapeaux | 0x1)
    assert refus(bytes(archive)) == (
        "Le fichier « secret.pdf » de l'archive est chiffré : les pièces doivent être lisibles "
        "sans mot de passe."
    )


def test_une_piece_trop_grande_est_refusee_avant_d_etre_decompressee() -> None:
    # 11 MB of zeros deflate to about 11 KB: the declared size is enough to refuse it.
    bombe = zip_de(("bombe.pdf", b"\x00" * (11 * 1024 * 1024)))
    assert len(bombe) < 100_000
    assert refus(bombe) == (
        "Le fichier « bombe.pdf » de l'archive dépasse la taille maximale d'une pièce (10 Mo)."
    )


def test_le_total_decompresse_est_borne() -> None:
    archive = zip_de(*((f"{i}.pdf", b"\x00" * 400_000) for i in range(3)))
    assert refus(archive, taille_maximum_totale=1024 * 1024) == (
        "Les fichiers de l'archive des pièces dépassent ensemble 1 Mo une fois décompressés."
    )
    assert len(lire_archive(archive, taille_maximum_totale=2 * 1024 * 1024)) == 3


def _mentir_sur_la_taille(archive: bytes, taille: int) -> bytes:
    """The archive with its only file's uncompressed size replaced, in the local header and
    in the central directory, as a zip bomb does."""
    modifiee = bytearray(archive)
    struct.pack_into("<I", modifiee, modifiee.index(b"PK\x03\x04") + 22, taille)
    struct.pack_into("<I", modifiee, modifiee.index(b"PK\x01\x02") + 24, taille)
    return bytes(modifiee)


def test_une_bombe_qui_ment_sur_sa_taille_n_est_jamais_decompressee_en_entier() -> None:
    vraie = zip_de(("bombe.pdf", b"\x00" * (50 * 1024 * 1024)))
    # The header's 1,000 bytes pass the size checks; inflating stops there and the stream,
    # longer than announced, fails its check instead of filling the memory.
    assert refus(_mentir_sur_la_taille(vraie, 1000)) == (
        "Le fichier « bombe.pdf » de l'archive des pièces est endommagé."
    )


def test_un_fichier_corrompu_fait_refuser_l_archive_avant_toute_integration() -> None:
    archive = bytearray(zip_de(("a.pdf", PDF), ("b.pdf", PDF), methode=zipfile.ZIP_STORED))
    position = archive.index(PDF)
    archive[position + 10] ^= 0xFF
    # Refused when opened, not when the integration reaches the mémoire announcing it.
    assert refus(bytes(archive)) == ("Le fichier « a.pdf » de l'archive des pièces est endommagé.")


def test_une_methode_de_compression_inconnue_est_refusee() -> None:
    archive = bytearray(zip_de(("a.pdf", PDF), methode=zipfile.ZIP_STORED))
    struct.pack_into("<H", archive, archive.index(b"PK\x01\x02") + 10, 99)
    assert refus(bytes(archive)) == (
        "Le fichier « a.pdf » de l'archive utilise une méthode de compression non prise en charge."
    )
