"""Pièces jointes: their metadata, the accepted formats (checked by content) and file names.

The content itself lives in a blob store, addressed by its SHA-256; the domain only sees the
bytes long enough to recognise their format and compute that fingerprint.
"""

from __future__ import annotations

import enum
import hashlib
import io
import re
import unicodedata
import zipfile
from datetime import datetime

import attrs

from chorus.domain.errors import FichierTropVolumineux, FormatNonAccepte, ValidationError
from chorus.domain.textes import exiger_entier, exiger_texte, texte_obligatoire

TAILLE_MAXIMUM = 10 * 1024 * 1024
NOMBRE_MAXIMUM_PAR_MEMOIRE = 50
LONGUEUR_MAXIMUM_NOM = 100


class TypePiece(enum.Enum):
    REQUISITION = "REQUISITION"
    ATTESTATION_MISSION = "ATTESTATION_MISSION"
    ATTESTATION_SERVICE_FAIT = "ATTESTATION_SERVICE_FAIT"
    BORDEREAU_FRAIS = "BORDEREAU_FRAIS"
    DEVIS = "DEVIS"
    COORDONNEE_BANCAIRE = "COORDONNEE_BANCAIRE"
    FACTURE = "FACTURE"
    AUTRE = "AUTRE"

    @property
    def libelle(self) -> str:
        return {
            TypePiece.REQUISITION: "Réquisition (ou ordonnance, jugement, commission rogatoire)",
            TypePiece.ATTESTATION_MISSION: "Attestation de mission",
            TypePiece.ATTESTATION_SERVICE_FAIT: "Attestation de service fait",
            TypePiece.BORDEREAU_FRAIS: "Bordereau des frais de déplacement et d'affranchissement",
            TypePiece.DEVIS: "Devis ou bon de commande",
            TypePiece.COORDONNEE_BANCAIRE: "Coordonnée bancaire",
            TypePiece.FACTURE: "Facture de livraison (TIC/TICGN)",
            TypePiece.AUTRE: "Autre",
        }[self]


class FormatFichier(enum.Enum):
    """Accepted formats; the value is the media type the file is served with."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"
    TIFF = "image/tiff"
    ODT = "application/vnd.oasis.opendocument.text"
    ODS = "application/vnd.oasis.opendocument.spreadsheet"
    DOC = "application/msword"
    XLS = "application/vnd.ms-excel"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    XML = "application/xml"
    ZIP = "application/zip"


_FORMATS_ACCEPTES = "PDF, JPEG, PNG, TIFF, ODT, ODS, DOC, DOCX, XLS, XLSX, XML ou ZIP"


def _format_zip(contenu: bytes) -> FormatFichier:
    """Tell ODF and Office Open XML documents from plain ZIP archives.

    Only the archive's directory is read, plus the ODF `mimetype` entry when it is small and
    stored uncompressed as the format requires: nothing here inflates what a sender packed,
    so a small upload can never expand into gigabytes.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            noms = archive.namelist()
            if "mimetype" in noms:
                info = archive.getinfo("mimetype")
                if info.compress_type == zipfile.ZIP_STORED and info.file_size <= 100:
                    with archive.open(info) as entree:
                        mimetype = entree.read(100).decode("ascii", "replace").strip()
                    for candidat in (FormatFichier.ODT, FormatFichier.ODS):
                        if mimetype == candidat.value:
                            return candidat
            if "[Content_Types].xml" in noms:
                if any(n.startswith("word/") for n in noms):
                    return FormatFichier.DOCX
                if any(n.startswith("xl/") for n in noms):
                    return FormatFichier.XLSX
    except NotImplementedError:
        raise ValidationError(
            "L'archive ZIP utilise une méthode de compression non prise en charge.",
            champ="fichier",
        ) from None
    except Exception:
        # A forged archive makes zipfile fail in many ways (BadZipFile, zlib.error,
        # EOFError, OverflowError, struct.error…): all mean the same to the sender.
        raise ValidationError(
            "L'archive ZIP est endommagée ou illisible.", champ="fichier"
        ) from None
    return FormatFichier.ZIP


def detecter_format(contenu: bytes, nom_fichier: str = "") -> FormatFichier:
    """The format of a file, recognised from its first bytes (never from its name).

    The name only tells apart the two Office 97 formats, which share one container.
    """
    if not contenu:
        raise ValidationError("Le fichier est vide.", champ="fichier")
    if contenu.startswith(b"%PDF-"):
        return FormatFichier.PDF
    if contenu.startswith(b"\xff\xd8\xff"):
        return FormatFichier.JPEG
    if contenu.startswith(b"\x89PNG\r\n\x1a\n"):
        return FormatFichier.PNG
    if contenu.startswith((b"II*\x00", b"MM\x00*")):
        return FormatFichier.TIFF
    if contenu.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if nom_fichier.lower().endswith((".xls", ".xlt")):
            return FormatFichier.XLS
        return FormatFichier.DOC
    if contenu.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _format_zip(contenu)
    debut = contenu[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if debut.startswith(b"<?xml"):
        return FormatFichier.XML
    raise FormatNonAccepte(
        f"Ce type de fichier n'est pas accepté ; formats acceptés : {_FORMATS_ACCEPTES}.",
        champ="fichier",
    )


_INTERDITS = re.compile(r'[<>:"|?*\x00-\x1f\x7f-\x9f]')


_BORDS_VIDES = re.compile(r"^[\s.]+|[\s.]+$")


def nettoyer_nom_fichier(nom: str) -> str:
    """A file name safe to store and serve: no folder, no control or reserved character,
    at most 100 characters with its extension kept."""
    texte = exiger_texte(nom, "nom_fichier")
    base = unicodedata.normalize("NFC", texte).replace("\\", "/").rsplit("/", 1)[-1]
    # Lone surrogates cannot be stored as UTF-8: they become "_" like reserved characters.
    # Format characters (bidi overrides, zero-width joiners) go: "é\u202eFDP.exe" would
    # otherwise display as a PDF.
    base = "".join(
        "_" if unicodedata.category(c) == "Cs" else c
        for c in base
        if unicodedata.category(c) != "Cf"
    )
    # Any Unicode space counts (a lone no-break space is no name), as does a final dot.
    base = _BORDS_VIDES.sub("", _INTERDITS.sub("_", base))
    if not base:
        base = "piece"
    if len(base) > LONGUEUR_MAXIMUM_NOM:
        racine, point, extension = base.rpartition(".")
        if point and 0 < len(extension) <= 10 and racine:
            base = racine[: LONGUEUR_MAXIMUM_NOM - len(extension) - 1] + "." + extension
        else:
            base = base[:LONGUEUR_MAXIMUM_NOM]
        # Cutting may leave a final dot or space, which some file systems drop or refuse.
        base = _BORDS_VIDES.sub("", base) or "piece"
    return base


_EXTENSIONS: dict[FormatFichier, tuple[str, ...]] = {
    FormatFichier.PDF: ("pdf",),
    FormatFichier.JPEG: ("jpg", "jpeg", "jpe", "jfif"),
    FormatFichier.PNG: ("png",),
    FormatFichier.TIFF: ("tif", "tiff"),
    FormatFichier.ODT: ("odt",),
    FormatFichier.ODS: ("ods",),
    FormatFichier.DOC: ("doc", "dot"),
    FormatFichier.XLS: ("xls", "xlt"),
    FormatFichier.DOCX: ("docx",),
    FormatFichier.XLSX: ("xlsx",),
    FormatFichier.XML: ("xml",),
    FormatFichier.ZIP: ("zip",),
}


def nom_selon_format(nom: str, format_fichier: FormatFichier) -> str:
    """The name with an extension that matches the content: a PDF sent as « note.html »
    is kept as « note.html.pdf », so that whoever downloads it opens it as what it is,
    never as a page or a program."""
    _, point, extension = nom.rpartition(".")
    if point and extension.lower() in _EXTENSIONS[format_fichier]:
        return nom
    suffixe = "." + _EXTENSIONS[format_fichier][0]
    return nom[: LONGUEUR_MAXIMUM_NOM - len(suffixe)].rstrip(" .") + suffixe


def empreinte_sha256(contenu: bytes) -> str:
    """The hex SHA-256 of a content: its address in the blob store."""
    return hashlib.sha256(contenu).hexdigest()


@attrs.frozen
class PieceJointe:
    """The metadata of an attached file; its content is found by `sha256`."""

    id: str
    nom_fichier: str
    type_piece: TypePiece
    designation: str
    sha256: str
    taille: int
    format: FormatFichier
    date_ajout: datetime
    numero_ligne: int | None = None

    @staticmethod
    def depuis_contenu(
        *,
        id: str,
        contenu: bytes,
        nom_fichier: str,
        type_piece: TypePiece,
        designation: str | None,
        date_ajout: datetime,
        numero_ligne: int | None = None,
    ) -> PieceJointe:
        """Check an uploaded file (size, format by content) and describe it."""
        if len(contenu) > TAILLE_MAXIMUM:
            raise FichierTropVolumineux(
                f"Le fichier dépasse la taille maximale de 10 Mo ({len(contenu)} octets).",
                champ="fichier",
            )
        if numero_ligne is not None and exiger_entier(numero_ligne, "numero_ligne") < 1:
            raise ValidationError("Les lignes sont numérotées à partir de 1.", champ="numero_ligne")
        nom = nettoyer_nom_fichier(nom_fichier)
        format_fichier = detecter_format(contenu, nom)
        return PieceJointe(
            id=id,
            nom_fichier=nom_selon_format(nom, format_fichier),
            type_piece=type_piece,
            designation=texte_obligatoire(designation or nom, "designation", maximum=200),
            sha256=empreinte_sha256(contenu),
            taille=len(contenu),
            format=format_fichier,
            date_ajout=date_ajout,
            numero_ligne=numero_ligne,
        )
