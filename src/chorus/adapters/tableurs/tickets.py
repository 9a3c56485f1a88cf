"""The support tickets as rows of a French spreadsheet (« Exporter le tableau »): the
columns of the lists, plus the émetteur and the object, in the CSV convention of
`csv_francais`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chorus.adapters.tableurs.csv_francais import Cellule, encoder
from chorus.ports.support import ResumeTicket

ENTETE_TICKETS = (
    "Numéro",
    "Résumé",
    "Créé le",
    "Mis à jour le",
    "Catégorie",
    "Sous-catégorie",
    "Statut",
    "Action attendue",
    "Destinataire",
    "Type d'objet",
    "N° d'objet",
    "Structure émettrice",
    "E-mail du contact",
    "Pièces jointes",
)


def etat_ticket(resume: ResumeTicket) -> str:
    """« Action requise – Informations demandées », or the status alone."""
    if resume.attente is None:
        return resume.statut.libelle
    return f"{resume.statut.libelle} – {resume.attente.libelle}"


def ligne_ticket(resume: ResumeTicket) -> tuple[Cellule, ...]:
    return (
        resume.numero,
        resume.resume,
        resume.date_creation,
        resume.date_maj,
        resume.categorie.libelle,
        resume.sous_categorie.libelle,
        resume.statut.libelle,
        None if resume.attente is None else resume.attente.libelle,
        resume.destinataire.libelle,
        None if resume.type_objet is None else resume.type_objet.libelle,
        resume.numero_objet,
        resume.raison_sociale,
        resume.email,
        resume.nombre_pieces,
    )


def csv_tickets(resumes: Iterable[ResumeTicket]) -> Iterator[bytes]:
    """The CSV file of `resumes`, as chunks of bytes."""
    return encoder(ENTETE_TICKETS, (ligne_ticket(r) for r in resumes))
