"""``python -m tests.adapters.pdf.rendre_ailleurs DOSSIER``: in a fresh process, the world
of `tests.monde` sends the realistic mémoire of `fabrique`, then renders its certificate and
the mémoire again into DOSSIER (``certificat.pdf``, ``memoire.pdf``), for the parent to
compare byte for byte with its own."""

from __future__ import annotations

import sys
from pathlib import Path

from chorus.adapters.pdf.rendu import RenduWeasyPrint
from chorus.domain.documents import CertificatAImprimer
from tests.adapters.pdf.fabrique import memoire_realiste
from tests.monde import construire_monde


def main(dossier: Path) -> None:
    monde = construire_monde(documents=RenduWeasyPrint())
    envoye = memoire_realiste(monde)
    rendu = monde.chorus.ports.documents
    (dossier / "certificat.pdf").write_bytes(
        rendu.certificat_depot(CertificatAImprimer.depuis(envoye))
    )
    (dossier / "memoire.pdf").write_bytes(
        monde.chorus.documents.memoire(monde.gestionnaire.id, envoye.id).contenu
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
