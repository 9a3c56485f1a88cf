"""Downloading the PDF documents: a sent mémoire's certificat de dépôt and the mémoire as
sent, the liste fiscale. The document is asked of its use case first (it names the file and
may be refused), then saved where the user says with « Enregistrer sous… »."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual.widget import Widget

from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.widgets.detail_memoire import taille_lisible
from chorus.adapters.tui.widgets.modales import AEnregistrer, EnregistrerSous
from chorus.domain.documents import DocumentPdf, NatureDocument
from chorus.domain.errors import DomainError

ENREGISTRE = {
    NatureDocument.CERTIFICAT_DEPOT: "Certificat de dépôt enregistré",
    NatureDocument.MEMOIRE: "Mémoire enregistré en PDF",
    NatureDocument.LISTE_FISCALE: "Liste fiscale enregistrée en PDF",
}


class DocumentDuMemoire(enum.Enum):
    """The documents of a sent mémoire a screen offers; the value is the action's name (and
    its button's id)."""

    CERTIFICAT_DEPOT = "telecharger_certificat"
    MEMOIRE = "telecharger_memoire"

    @property
    def libelle(self) -> str:
        """The button's label."""
        if self is DocumentDuMemoire.CERTIFICAT_DEPOT:
            return "Télécharger le certificat de dépôt"
        return "Télécharger le mémoire (PDF)"

    def lecture(
        self, app: AppChorus, memoire_id: str, *, back_office: bool = False
    ) -> Callable[[], DocumentPdf]:
        """The use case call that answers this document of `memoire_id` (for the
        processing screen of an agent with `back_office`)."""
        documents = app.services.documents
        fonction = (
            documents.certificat_depot
            if self is DocumentDuMemoire.CERTIFICAT_DEPOT
            else documents.memoire
        )
        return partial(fonction, app.utilisateur_id, memoire_id, back_office=back_office)


ACTIONS_DOCUMENTS = tuple(d.value for d in DocumentDuMemoire)


def document_a_enregistrer(document: DocumentPdf) -> AEnregistrer:
    """A rendered document for « Enregistrer sous… »: exactly the bytes the use case gave."""
    contenu = document.contenu
    return AEnregistrer(
        titre=f"{document.nature.libelle} : enregistrer sous…",
        nom_fichier=document.nom_fichier,
        description=f"{document.nom_fichier} — PDF, {taille_lisible(len(contenu))}",
        lire=lambda: contenu,
        enregistre=ENREGISTRE[document.nature],
    )


async def telecharger(
    noeud: Widget,
    obtenir: Callable[[], DocumentPdf],
    refuser: Callable[[DomainError], None],
) -> Path | None:
    """Ask `obtenir` for the document (in a worker thread: it may be rendered), hand a
    refusal to `refuser`, then let the user save it. Answers the path written (None when
    refused or cancelled). Runs in a worker: it waits for the window."""
    app = chorus(noeud)
    try:
        document = await app.appeler(obtenir)
    except DomainError as erreur:
        refuser(erreur)
        return None
    return await app.push_screen_wait(EnregistrerSous(document_a_enregistrer(document)))
