"""Demandes TIC for the storage contract (and the tests of what reads them), built only
through the domain — `DemandeTic.creer`, `ajouter_ligne`, `joindre_piece`, `envoyer`,
`instruire` — with the barème the package ships."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.tic.bareme import BaremeTic, ProduitTic
from chorus.domain.tic.demande import (
    DemandeTic,
    DemandeurEnvoye,
    EnTeteDemandeTic,
    EvenementInstructionTic,
    LigneDemandeTic,
)
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.tic.statuts import ActionInstructionTic, StatutDemandeTic
from tests.contract.agregats import BIC, GESTIONNAIRE, IBAN, PDF, SIRET, T0, piece

ANNEE = 2023
INSTRUCTEUR = "u-instructeur"


@functools.cache
def bareme() -> BaremeTic:
    return BaremeTicDuPaquet().bareme()


# -- demandes, through the domain --------------------------------------------------------


def brouillon_tic(
    id: str,
    numero: str,
    *,
    structure_id: str = "s-1",
    annee: int = ANNEE,
    lignes: Iterable[tuple[ProduitTic, str]] = ((ProduitTic.GAZOLE_NON_ROUTIER, "1234.56"),),
    maintenant: datetime = T0,
    avance: bool = False,
    type_beneficiaire: TypeBeneficiaire = TypeBeneficiaire.EXPLOITANT_AGRICOLE,
) -> DemandeTic:
    """A draft with one line per (product, quantity), each with its invoice attached."""
    entete = EnTeteDemandeTic.creer(
        structure_id=structure_id,
        annee=annee,
        coordonnee_bancaire_id=f"{structure_id}-cb-1",
        attestation_non_difficulte=True,
        avance=avance,
        type_beneficiaire=type_beneficiaire,
        aujourdhui=jour_a_paris(maintenant),
    )
    demande = DemandeTic.creer(
        id=id,
        numero=numero,
        entete=entete,
        campagne=annee + 1,
        taux_avance=Decimal("0.50") if avance else None,
        acteur=GESTIONNAIRE,
        maintenant=maintenant,
    )
    for rang, (produit, quantite) in enumerate(lignes, start=1):
        demande = demande.ajouter_ligne(
            LigneDemandeTic.creer(
                numero_ligne=rang,
                numero_facture=f"F-{id}-{rang}",
                fournisseur="Coopérative du Val",
                date_livraison=date(annee, 3, rang),
                produit=produit,
                quantite=quantite,
                annee=annee,
                bareme=bareme(),
            )
        )
        demande = demande.joindre_piece(
            piece(
                f"{id}-facture-{rang}",
                contenu=PDF + f"% facture {id} {rang}\n".encode(),
                nom=f"facture {rang}.pdf",
                type_piece=TypePiece.FACTURE,
                numero_ligne=rang,
                date_ajout=maintenant,
            )
        )
    return demande


def rib_tic(structure_id: str = "s-1") -> PieceJointe:
    return piece(
        f"{structure_id}-rib",
        contenu=PDF + f"% RIB {structure_id}\n".encode(),
        nom="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )


def envoyee_tic(demande: DemandeTic, maintenant: datetime) -> DemandeTic:
    return demande.envoyer(
        acteur=GESTIONNAIRE,
        maintenant=maintenant,
        bareme=bareme(),
        piece_rib=rib_tic(demande.structure_id),
        demandeur=DemandeurEnvoye(
            siret=SIRET,
            raison_sociale="EARL du Moulin",
            adresse="3 chemin des Prés, 51100 Reims",
            departement="51",
            libelle_coordonnee="Compte courant",
            iban=IBAN,
            bic=BIC,
        ),
    )


def instruite_tic(
    demande: DemandeTic,
    action: ActionInstructionTic,
    quand: datetime,
    *,
    motif: str | None = None,
    montant_accorde: str | None = None,
) -> DemandeTic:
    evenement = EvenementInstructionTic.creer(
        action=action,
        reference=f"EV-{demande.id}-{action.value}",
        date_evenement=quand,
        motif=motif,
        montant_accorde=montant_accorde,
    )
    return demande.instruire(evenement, acteur=INSTRUCTEUR, maintenant=quand)


_CHEMIN = {
    StatutDemandeTic.ENVOYEE: (),
    StatutDemandeTic.MISE_A_DISPOSITION: (ActionInstructionTic.MISE_A_DISPOSITION,),
    StatutDemandeTic.EN_INSTRUCTION: (
        ActionInstructionTic.MISE_A_DISPOSITION,
        ActionInstructionTic.PRISE_EN_CHARGE,
    ),
    StatutDemandeTic.VALIDEE: (
        ActionInstructionTic.MISE_A_DISPOSITION,
        ActionInstructionTic.PRISE_EN_CHARGE,
        ActionInstructionTic.VALIDATION,
    ),
    StatutDemandeTic.REJETEE: (
        ActionInstructionTic.MISE_A_DISPOSITION,
        ActionInstructionTic.PRISE_EN_CHARGE,
        ActionInstructionTic.REJET,
    ),
    StatutDemandeTic.MISE_EN_PAIEMENT: (
        ActionInstructionTic.MISE_A_DISPOSITION,
        ActionInstructionTic.PRISE_EN_CHARGE,
        ActionInstructionTic.VALIDATION,
        ActionInstructionTic.MISE_EN_PAIEMENT,
    ),
}


def demande_a(
    statut: StatutDemandeTic,
    id: str,
    numero: str,
    *,
    structure_id: str = "s-1",
    annee: int = ANNEE,
    lignes: Iterable[tuple[ProduitTic, str]] = ((ProduitTic.GAZOLE_NON_ROUTIER, "1234.56"),),
    creation: datetime = T0,
    envoi: datetime | None = None,
    pas: timedelta = timedelta(hours=1),
) -> DemandeTic:
    """A demande brought to `statut` by the domain: created at `creation`, sent at `envoi`
    (an hour later unless told), then one instructor's event every `pas`."""
    demande = brouillon_tic(
        id, numero, structure_id=structure_id, annee=annee, lignes=lignes, maintenant=creation
    )
    if statut is StatutDemandeTic.BROUILLON:
        return demande
    quand = envoi if envoi is not None else creation + timedelta(hours=1)
    demande = envoyee_tic(demande, quand)
    for action in _CHEMIN[statut]:
        quand += pas
        demande = instruite_tic(
            demande,
            action,
            quand,
            motif="Factures illisibles" if action is ActionInstructionTic.REJET else None,
        )
    return demande
