"""A `DocumentRenderer` through WeasyPrint: Jinja2 templates (``modeles/``), the embedded
Source Sans Pro font, PDF/A-3b.

Every date a document carries comes from its description (the sending, or when a liste
fiscale was issued), its metadata included: rendering the same description twice gives the
same bytes, in this process or another, on this machine or another with the same versions
of WeasyPrint and its libraries. Nothing is imported before the first document is rendered
(see `chorus.adapters.pdf.moteur`).
"""

from __future__ import annotations

from chorus.adapters.pdf.moteur import FichierJoint, Gabarit, moteur, sous_ensemble_rapide
from chorus.domain.documents import (
    CertificatAImprimer,
    ListeFiscaleAImprimer,
    MemoireAImprimer,
    NatureDocument,
)
from chorus.domain.tic.document import CertificatTicAImprimer

__all__ = [
    "RenduWeasyPrint",
    "gabarit_certificat_depot",
    "gabarit_certificat_depot_tic",
    "gabarit_liste_fiscale",
    "gabarit_memoire",
    "sous_ensemble_rapide",
]

AUTEUR_PORTAIL = "Chorus"
TITRE_CERTIFICAT_TIC = "Certificat de dépôt — Demande de remboursement partiel de TIC/TICGN"


def nom_serialisation(numero: str) -> str:
    """The name of the canonical serialisation joined to a certificate."""
    return f"memoire-{numero}.json"


def gabarit_certificat_depot(document: CertificatAImprimer) -> Gabarit:
    certificat = document.certificat
    fichier = nom_serialisation(certificat.numero)
    return Gabarit(
        "certificat_depot.html",
        {
            "titre": NatureDocument.CERTIFICAT_DEPOT.libelle,
            "numero": certificat.numero,
            "auteur": certificat.prestataire,
            "sujet": certificat.texte,
            "date_document": certificat.date_depot,
            "certificat": certificat,
            "pieces": certificat.pieces,
            "empreinte": certificat.empreinte,
            "fichier_serialisation": fichier,
        },
        (
            FichierJoint(
                nom=fichier,
                contenu=document.serialisation,
                description=(
                    f"Sérialisation canonique du mémoire n°{certificat.numero} : l'empreinte "
                    "est la base64 de son SHA-256."
                ),
                date=certificat.date_depot,
            ),
        ),
    )


def gabarit_certificat_depot_tic(document: CertificatTicAImprimer) -> Gabarit:
    certificat = document.certificat
    fichier = document.nom_serialisation
    return Gabarit(
        "certificat_depot_tic.html",
        {
            "titre": TITRE_CERTIFICAT_TIC,
            "numero": certificat.numero,
            "auteur": certificat.demandeur,
            "sujet": certificat.texte,
            "date_document": certificat.date_depot,
            "document": document,
            "certificat": certificat,
            "demandeur": document.demandeur,
            "pieces": certificat.pieces,
            "empreinte": certificat.empreinte,
            "fichier_serialisation": fichier,
        },
        (
            FichierJoint(
                nom=fichier,
                contenu=document.serialisation,
                description=(
                    "Sérialisation canonique de la demande de remboursement TIC/TICGN "
                    f"n°{certificat.numero} : l'empreinte est la base64 de son SHA-256."
                ),
                date=certificat.date_depot,
            ),
        ),
    )


def gabarit_memoire(document: MemoireAImprimer) -> Gabarit:
    memoire = document.memoire
    certificat = document.certificat
    return Gabarit(
        "memoire.html",
        {
            "titre": NatureDocument.MEMOIRE.libelle,
            "numero": memoire.numero,
            "auteur": certificat.prestataire,
            "sujet": (
                f"Mémoire de frais de justice n°{memoire.numero} – {document.libelles.juridiction}"
            ),
            "date_document": certificat.date_depot,
            "memoire": memoire,
            "certificat": certificat,
            "libelles": document.libelles,
        },
    )


def gabarit_liste_fiscale(document: ListeFiscaleAImprimer) -> Gabarit:
    periode = f"du {document.periode.du:%d/%m/%Y} au {document.periode.au:%d/%m/%Y}"
    return Gabarit(
        "liste_fiscale.html",
        {
            "titre": NatureDocument.LISTE_FISCALE.libelle,
            "numero": f"{document.identifiant} – {periode}",
            "auteur": AUTEUR_PORTAIL,
            "sujet": (
                f"Liste fiscale de {document.raison_sociale} ({document.identifiant}) {periode}"
            ),
            "date_document": document.edite_le,
            "liste": document,
        },
    )


class RenduWeasyPrint:
    """Renders the portal's documents as PDF/A-3b."""

    def prechauffer(self) -> None:
        """Pay now what the first document of a process costs (WeasyPrint's import, the
        templates, the font: about 0.7 s), so that the first sending does not: a server
        calls it in the background as it starts."""
        moteur().prechauffer()

    def certificat_depot(self, document: CertificatAImprimer) -> bytes:
        return moteur().rendre(gabarit_certificat_depot(document))

    def certificat_depot_tic(self, document: CertificatTicAImprimer) -> bytes:
        return moteur().rendre(gabarit_certificat_depot_tic(document))

    def memoire(self, document: MemoireAImprimer) -> bytes:
        return moteur().rendre(gabarit_memoire(document))

    def liste_fiscale(self, document: ListeFiscaleAImprimer) -> bytes:
        return moteur().rendre(gabarit_liste_fiscale(document))
