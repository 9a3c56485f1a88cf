"""Reading back the PDFs the renderer writes, as a reader (or a court) would: the text of
each page through pypdf, the metadata, the embedded files."""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject


def lecteur(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def normaliser(texte: str) -> str:
    """Whitespace folded to single spaces: a line break of the layout, or the no-break space
    of ``6 545,08 EUR``, reads as one space."""
    return " ".join(texte.split())


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded."""
    return [normaliser(page.extract_text()) for page in lecteur(pdf).pages]


def texte(pdf: bytes) -> str:
    """The text of the whole document, whitespace folded."""
    return " ".join(pages(pdf))


def dictionnaire(objet: object) -> DictionaryObject:
    """A PDF dictionary, through an indirect reference if need be."""
    if isinstance(objet, IndirectObject):
        objet = objet.get_object()
    assert isinstance(objet, DictionaryObject), objet
    return objet


def tableau(objet: object) -> ArrayObject:
    if isinstance(objet, IndirectObject):
        objet = objet.get_object()
    assert isinstance(objet, ArrayObject), objet
    return objet


def catalogue(pdf: bytes) -> DictionaryObject:
    return dictionnaire(lecteur(pdf).trailer["/Root"])


def identifiant(pdf: bytes) -> list[str]:
    """The file identifier of the trailer (``/ID``), both halves."""
    return [str(partie) for partie in tableau(lecteur(pdf).trailer["/ID"])]


def metadonnees_xmp(pdf: bytes) -> bytes:
    flux = catalogue(pdf)["/Metadata"].get_object()
    assert isinstance(flux, StreamObject)
    return flux.get_data()


def fichiers_joints_declares(pdf: bytes) -> list[DictionaryObject]:
    """The file specifications the catalogue's ``/AF`` lists (PDF/A-3), each once."""
    vus: dict[int, DictionaryObject] = {}
    for reference in tableau(catalogue(pdf)["/AF"]):
        assert isinstance(reference, IndirectObject)
        vus.setdefault(reference.idnum, dictionnaire(reference))
    return list(vus.values())


def polices(pdf: bytes) -> set[str]:
    """The base names of the fonts the pages use."""
    return {
        str(dictionnaire(police)["/BaseFont"])
        for page in lecteur(pdf).pages
        for police in dictionnaire(dictionnaire(page["/Resources"])["/Font"]).values()
    }
