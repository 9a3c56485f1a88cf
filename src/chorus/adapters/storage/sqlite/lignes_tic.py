"""Rows of `demandes_tic` and `evenements_tic`, through the shared codec.

Kept apart from `lignes_sql` on purpose: the benchmark keys its cached database on that
module's source, and these tables hold nothing the benchmark generates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees

# The row helpers are shared with lignes_sql.py, whose text keys the benchmark's data cache:
# it is imported from, not edited.
from chorus.adapters.storage.sqlite.lignes_sql import (
    _document,
    _illisible,
    en_centimes,
    en_json,
    entier_en_instant,
    instant_en_entier,
    texte_monetaire,
)
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EvenementDemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.tic import EvenementSuiviTic, ResumeDemandeTic

# The columns a `ResumeDemandeTic` is read from (`resume_tic_de`).
COLONNES_DU_RESUME = (
    "id, numero, structure_id, annee, campagne, statut, date_creation, date_depot, "
    "date_statut, montant_total, montant_accorde, date_paiement, nombre_lignes, produits, "
    "parent_id, siret, raison_sociale"
)


def ligne_demande_tic(demande: DemandeTic) -> dict[str, Any]:
    """The row of `demandes_tic`: the résumé's columns, and the whole aggregate."""
    resume = ResumeDemandeTic.depuis(demande)
    return {
        "id": demande.id,
        "version": demande.version,
        "numero": resume.numero,
        "structure_id": resume.structure_id,
        "annee": resume.annee,
        "campagne": resume.campagne,
        "statut": resume.statut.value,
        "date_creation": instant_en_entier(resume.date_creation),
        "date_depot": None if resume.date_depot is None else instant_en_entier(resume.date_depot),
        "date_statut": instant_en_entier(resume.date_statut),
        "montant_total": texte_monetaire(resume.montant_total),
        "montant_total_centimes": en_centimes(resume.montant_total),
        "montant_accorde": None if resume.montant_accorde is None else str(resume.montant_accorde),
        "date_paiement": None if resume.date_paiement is None else resume.date_paiement.isoformat(),
        "nombre_lignes": resume.nombre_lignes,
        "produits": en_json([p.value for p in resume.produits]),
        "parent_id": resume.parent_id,
        "siret": resume.siret,
        "raison_sociale": resume.raison_sociale,
        "document": en_json(vers_donnees(demande)),
    }


def demande_tic_de(ligne: sqlite3.Row) -> DemandeTic:
    try:
        return depuis_donnees(_document(ligne), DemandeTic)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("une demande TIC", ligne["id"], erreur) from erreur


def resume_tic_de(ligne: Mapping[str, Any] | sqlite3.Row) -> ResumeDemandeTic:
    """A résumé straight from the row's columns, without decoding the document."""
    try:
        date_depot = ligne["date_depot"]
        montant_accorde = ligne["montant_accorde"]
        date_paiement = ligne["date_paiement"]
        return ResumeDemandeTic(
            id=ligne["id"],
            numero=ligne["numero"],
            structure_id=ligne["structure_id"],
            annee=ligne["annee"],
            campagne=ligne["campagne"],
            statut=StatutDemandeTic(ligne["statut"]),
            date_creation=entier_en_instant(ligne["date_creation"]),
            date_depot=None if date_depot is None else entier_en_instant(date_depot),
            date_statut=entier_en_instant(ligne["date_statut"]),
            montant_total=Decimal(ligne["montant_total"]),
            montant_accorde=None if montant_accorde is None else Decimal(montant_accorde),
            date_paiement=None if date_paiement is None else date.fromisoformat(date_paiement),
            nombre_lignes=ligne["nombre_lignes"],
            produits=tuple(ProduitTic(p) for p in json.loads(ligne["produits"])),
            parent_id=ligne["parent_id"],
            siret=ligne["siret"],
            raison_sociale=ligne["raison_sociale"],
        )
    except (ValueError, ArithmeticError, TypeError) as erreur:
        raise _illisible("une demande TIC", ligne["id"], erreur) from erreur


def lignes_evenements(demande: DemandeTic) -> list[dict[str, Any]]:
    """The rows of `evenements_tic`: each history entry, ranked in the history's order."""
    return [
        {
            "demande_id": demande.id,
            "rang": rang,
            "structure_id": demande.structure_id,
            "numero": demande.numero,
            "date_maj": instant_en_entier(evenement.date_maj),
            "document": en_json(vers_donnees(evenement)),
        }
        for rang, evenement in enumerate(demande.historique)
    ]


def evenement_suivi_de(ligne: sqlite3.Row) -> EvenementSuiviTic:
    """An entry of the feed from a row of `evenements_tic` joined to its demande's
    `annee`."""
    try:
        evenement = depuis_donnees(_document(ligne), EvenementDemandeTic)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("une demande TIC", ligne["demande_id"], erreur) from erreur
    return EvenementSuiviTic(
        demande_id=ligne["demande_id"],
        numero=ligne["numero"],
        structure_id=ligne["structure_id"],
        annee=ligne["annee"],
        statut=evenement.statut,
        date_evenement=evenement.date_evenement,
        date_maj=evenement.date_maj,
        motif=evenement.motif,
        montant=evenement.montant,
    )
