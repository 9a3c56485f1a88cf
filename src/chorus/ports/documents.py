"""Turning the portal's documents into PDF files."""

from __future__ import annotations

from typing import Protocol

from chorus.domain.documents import CertificatAImprimer, ListeFiscaleAImprimer, MemoireAImprimer
from chorus.domain.tic.document import CertificatTicAImprimer


class DocumentRenderer(Protocol):
    """Renders the documents of `chorus.domain.documents` as archival PDF (PDF/A-3b).

    Rendering is a pure function of the description: the same description gives the same
    bytes (the document's creation date is a date it carries, never the rendering's). All
    text is French; amounts are written ``6 545,08 EUR`` and dates ``25/07/2019``.
    """

    def certificat_depot(self, document: CertificatAImprimer) -> bytes:
        """The certificat de dépôt, dated at the sending; the canonical serialisation of the
        mémoire is joined to the file."""
        ...

    def memoire(self, document: MemoireAImprimer) -> bytes:
        """The mémoire as sent, dated at the sending; long tables continue over pages with
        their headers repeated."""
        ...

    def liste_fiscale(self, document: ListeFiscaleAImprimer) -> bytes:
        """The liste fiscale of a period with its totals, dated when it was issued."""
        ...

    def certificat_depot_tic(self, document: CertificatTicAImprimer) -> bytes:
        """The certificat de dépôt of a demande de remboursement TIC/TICGN (« Exporter en
        pdf »), dated at the sending, with its lines, totals and pièces; the canonical
        serialisation of the demande is joined to the file."""
        ...
