"""Sent mémoires as a prestataire files them, through the use cases of a `Monde`: lines at
several TVA rates, frais divers and débours, a remise globale, pièces on a line and on the
whole mémoire, amounts in the thousands."""

from __future__ import annotations

from datetime import timedelta

from chorus.domain.memoire import Memoire
from chorus.domain.pieces import TypePiece
from tests.monde import AUJOURDHUI, PDF, PNG, Monde, saisie_ligne


def affaire(numero_ligne: int) -> str:
    """The case number of a line: unique, so a line can be found in the text."""
    return f"AFF-{numero_ligne:04d}"


def memoire_realiste(monde: Monde, **entete: object) -> Memoire:
    """Three lines (20 %, 5,5 % with frais divers, 0 % with débours), a remise globale, a
    réquisition on line 1 and an attestation on the whole mémoire; the RIB comes at sending.

    Amounts: line 1 = 10 × 654,50 = 6 545,00 HT + 1 309,00 TVA = 7 854,00 TTC; line 2 =
    150,00 + 12,50 + 0,75 frais = 163,25 HT, TVA 8,98, TTC 172,23; line 3 = 2,5 × 40,00 =
    100,00 HT, 0 TVA, + 35,08 débours = 135,08 TTC. TTC 8 161,31, remise 100,00, net
    8 061,31.
    """
    qui = monde.gestionnaire.id
    valeurs: dict[str, object] = {"remise_globale_ttc": "100.00", "numero_facture": "F-2024-117"}
    valeurs.update(entete)
    memoire = monde.chorus.memoires.creer(qui, monde.entete(**valeurs))
    jour = AUJOURDHUI - timedelta(days=20)
    for saisie in (
        saisie_ligne(
            numero_affaire=affaire(1),
            quantite="10",
            tarif_ht="654.50",
            taux_tva="20",
            date_prestation=jour,
        ),
        saisie_ligne(
            numero_affaire=affaire(2),
            frais_divers=(
                ("Déplacement Lyon – Villeurbanne", "12.50"),
                ("Affranchissement", "0.75"),
            ),
            date_prestation=jour,
        ),
        saisie_ligne(
            numero_affaire=affaire(3),
            quantite="2.5",
            tarif_ht="40",
            taux_tva="0",
            debours="35.08",
            date_prestation=jour,
        ),
    ):
        memoire = monde.chorus.memoires.ajouter_ligne(qui, memoire.id, saisie)
    for contenu, nom, type_piece, designation, numero_ligne in (
        (PDF + b"requisition", "réquisition-parquet.pdf", TypePiece.REQUISITION, None, 1),
        (
            PNG + b"attestation",
            "attestation.png",
            TypePiece.ATTESTATION_SERVICE_FAIT,
            "Attestation de service fait signée",
            None,
        ),
    ):
        monde.chorus.memoires.joindre_piece(
            qui,
            memoire.id,
            contenu=contenu,
            nom_fichier=nom,
            type_piece=type_piece,
            designation=designation,
            numero_ligne=numero_ligne,
        )
    return monde.chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)


def memoire_de(monde: Monde, lignes: int) -> Memoire:
    """A sent mémoire of `lignes` identical lines (but for their case number): every row of
    the table is as tall as the others."""
    qui = monde.gestionnaire.id
    memoire = monde.chorus.memoires.creer(qui, monde.entete())
    for numero in range(1, lignes + 1):
        memoire = monde.chorus.memoires.ajouter_ligne(
            qui, memoire.id, saisie_ligne(numero_affaire=affaire(numero))
        )
    return monde.chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)
