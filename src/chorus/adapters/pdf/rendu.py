"""A `DocumentRenderer` through WeasyPrint (provisional minimal version)."""

from __future__ import annotations

import html

from chorus.domain.documents import CertificatAImprimer, ListeFiscaleAImprimer, MemoireAImprimer


def _pdf(titre: str, corps: str) -> bytes:
    # WeasyPrint takes 0.6 s to import: only a command that renders pays for it.
    from weasyprint import HTML

    page = (
        f'<html lang="fr"><head><meta charset="utf-8"><title>{html.escape(titre)}</title>'
        f"</head><body>{corps}</body></html>"
    )
    resultat: bytes = HTML(string=page).write_pdf(pdf_variant="pdf/a-3b")
    return resultat


class RenduWeasyPrint:
    def certificat_depot(self, document: CertificatAImprimer) -> bytes:
        return _pdf("Certificat de dépôt", f"<p>{html.escape(document.certificat.texte)}</p>")

    def memoire(self, document: MemoireAImprimer) -> bytes:
        return _pdf("Mémoire", f"<p>{html.escape(document.memoire.numero)}</p>")

    def liste_fiscale(self, document: ListeFiscaleAImprimer) -> bytes:
        return _pdf("Liste fiscale", f"<p>{html.escape(document.raison_sociale)}</p>")
