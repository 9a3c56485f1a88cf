"""One world per module for the PDF tests: sending a mémoire renders its certificate, and
the mémoires here are long; each module builds what it reads once."""

from __future__ import annotations

import pytest

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.domain.memoire import Memoire
from chorus.ports.documents import DocumentRenderer
from tests.adapters.pdf.fabrique import memoire_realiste
from tests.monde import Monde, construire_monde


@pytest.fixture
def documents() -> DocumentRenderer:
    """The real renderer for the `monde` of these tests (the suite's default lays nothing
    out)."""
    return RenduWeasyPrint()


@pytest.fixture(scope="module")
def monde_pdf() -> Monde:
    return construire_monde(documents=RenduWeasyPrint())


@pytest.fixture(scope="module")
def envoye(monde_pdf: Monde) -> Memoire:
    """The realistic mémoire of `fabrique`, sent."""
    return memoire_realiste(monde_pdf)


@pytest.fixture(scope="module")
def certificat_pdf(monde_pdf: Monde, envoye: Memoire) -> bytes:
    """The certificate as stored at sending and served."""
    return monde_pdf.chorus.documents.certificat_depot(monde_pdf.gestionnaire.id, envoye.id).contenu


@pytest.fixture(scope="module")
def memoire_pdf(monde_pdf: Monde, envoye: Memoire) -> bytes:
    return monde_pdf.chorus.documents.memoire(monde_pdf.gestionnaire.id, envoye.id).contenu
