"""Archival quality: PDF/A-3b, metadata that say what the document is and when it was made
(the sending, never the rendering), and the same bytes at every rendering, in this process
or another."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.domain.documents import CertificatAImprimer
from chorus.domain.memoire import Memoire
from tests.adapters.pdf.lecture import (
    catalogue,
    dictionnaire,
    identifiant,
    lecteur,
    metadonnees_xmp,
    polices,
    tableau,
)
from tests.adapters.pdf.processus import python_neuf
from tests.monde import SIRET_CABINET, Monde

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
DEPOT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)


def _xmp(pdf: bytes) -> ET.Element:
    flux = metadonnees_xmp(pdf)
    debut = flux.index(b"<rdf:RDF")
    fin = flux.index(b"</rdf:RDF>") + len(b"</rdf:RDF>")
    return ET.fromstring(flux[debut:fin])


@pytest.mark.parametrize("nature", ["certificat", "memoire"])
def test_pdf_a_3b(nature: str, certificat_pdf: bytes, memoire_pdf: bytes) -> None:
    pdf = certificat_pdf if nature == "certificat" else memoire_pdf
    assert pdf.startswith(b"%PDF-1.7")
    parties = [
        (description.get(f"{PDFAID}part"), description.get(f"{PDFAID}conformance"))
        for description in _xmp(pdf)
        if description.get(f"{PDFAID}part") is not None
    ]
    assert parties == [("3", "B")]
    racine = catalogue(pdf)
    assert str(racine["/Lang"]) == "fr"
    # The colour profile PDF/A requires.
    (intention,) = tableau(racine["/OutputIntents"])
    assert str(dictionnaire(intention)["/S"]) == "/GTS_PDFA1"


def test_les_metadonnees_du_certificat(certificat_pdf: bytes, envoye: Memoire) -> None:
    info = lecteur(certificat_pdf).metadata
    assert info is not None
    assert info.title == f"Certificat de dépôt {envoye.numero}"
    assert info.author == f"{SIRET_CABINET} – Cabinet Durand"
    assert info.subject is not None
    assert info.subject.startswith(f"Le mémoire de frais de justice n°{envoye.numero}")
    assert info.creation_date == DEPOT
    assert info.modification_date == DEPOT
    xmp = _xmp(certificat_pdf)
    assert [e.text for e in xmp.iter(f"{XMP}CreateDate")] == ["2024-06-14T10:00:00Z"]
    assert [e.text for e in xmp.iter(f"{XMP}ModifyDate")] == ["2024-06-14T10:00:00Z"]


def test_le_memoire_est_date_de_son_envoi_pas_du_telechargement(
    monde_pdf: Monde, envoye: Memoire, memoire_pdf: bytes
) -> None:
    # Downloaded three years after it was sent, by a clock far from the sending.
    monde_pdf.horloge.avancer(timedelta(days=3 * 365))
    try:
        tard = monde_pdf.chorus.documents.memoire(monde_pdf.gestionnaire.id, envoye.id).contenu
    finally:
        monde_pdf.horloge.avancer(-timedelta(days=3 * 365))
    info = lecteur(tard).metadata
    assert info is not None
    assert envoye.date_depot == DEPOT
    assert info.creation_date == DEPOT
    assert info.modification_date == DEPOT
    assert info.title == f"Mémoire de frais de justice {envoye.numero}"
    assert info.author == f"{SIRET_CABINET} – Cabinet Durand"
    assert tard == memoire_pdf


def test_le_meme_certificat_donne_les_memes_octets(
    monde_pdf: Monde, envoye: Memoire, certificat_pdf: bytes
) -> None:
    document = CertificatAImprimer.depuis(envoye)
    premier = monde_pdf.chorus.ports.documents.certificat_depot(document)
    # Another renderer of the same process shares the parsed templates and fonts: same bytes.
    second = RenduWeasyPrint().certificat_depot(document)
    assert premier == second == certificat_pdf
    # The file identifier is the digest of the content, not a random or dated value.
    premiere, seconde = identifiant(premier)
    assert premiere == seconde
    assert re.fullmatch(r"[0-9a-f]{32}", premiere)


def test_un_autre_processus_rend_les_memes_octets(
    tmp_path: Path, certificat_pdf: bytes, memoire_pdf: bytes
) -> None:
    temporaire = tmp_path / "tmp"
    temporaire.mkdir()
    python_neuf(
        "-m",
        "tests.adapters.pdf.rendre_ailleurs",
        str(tmp_path),
        environnement={"TMPDIR": str(temporaire)},
    )
    # The fonts WeasyPrint copies for the process are removed when it ends.
    assert list(temporaire.iterdir()) == []
    ailleurs = (tmp_path / "certificat.pdf").read_bytes()
    assert identifiant(ailleurs) == identifiant(certificat_pdf)
    assert ailleurs == certificat_pdf
    assert (tmp_path / "memoire.pdf").read_bytes() == memoire_pdf


@pytest.mark.parametrize("nature", ["certificat", "memoire"])
def test_seule_la_police_embarquee_est_utilisee(
    nature: str, certificat_pdf: bytes, memoire_pdf: bytes
) -> None:
    # No glyph falls back to a font of the machine: the layout, hence the page count, is
    # the same wherever the document is rendered.
    pdf = certificat_pdf if nature == "certificat" else memoire_pdf
    noms = polices(pdf)
    assert noms
    for police in noms:
        assert re.fullmatch(r"/[A-Z]{6}\+Chorus-Sans(-Bold|-Italic)?", police), police
