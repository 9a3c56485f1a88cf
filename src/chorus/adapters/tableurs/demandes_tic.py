"""The rows of a demandes TIC search as the exports write them: the same columns in CSV,
XLSX and ODS, whether the API or the terminal writes the file."""

from __future__ import annotations

from collections.abc import Mapping

from chorus.adapters.tableurs.csv_francais import Cellule
from chorus.domain.montants import arrondir
from chorus.ports.tic import ResumeDemandeTic

ENTETES_DEMANDES_TIC = (
    "Numéro",
    "Structure",
    "SIRET",
    "Année des livraisons",
    "Campagne",
    "État",
    "Date de création",
    "Date de dépôt",
    "Date de l'état",
    "Nombre de lignes",
    "Produits",
    "Montant demandé",
    "Montant accordé",
    "Date de mise en paiement",
)

FEUILLE_DEMANDES_TIC = "Demandes TIC"


def ligne_demande_tic(
    resume: ResumeDemandeTic, structures: Mapping[str, tuple[str, str]] | None = None
) -> tuple[Cellule, ...]:
    """One demande as a row. The demandeur is the one frozen at sending; for a draft, the
    structure as `structures` (id → (SIRET, raison sociale)) knows it, else its id."""
    siret, nom = (structures or {}).get(resume.structure_id, (None, resume.structure_id))
    return (
        resume.numero,
        resume.raison_sociale or nom,
        resume.siret or siret,
        resume.annee,
        resume.campagne,
        resume.statut.libelle,
        resume.date_creation,
        resume.date_depot,
        resume.date_statut,
        resume.nombre_lignes,
        ", ".join(p.libelle for p in resume.produits),
        arrondir(resume.montant_total),
        None if resume.montant_accorde is None else arrondir(resume.montant_accorde),
        resume.date_paiement,
    )
