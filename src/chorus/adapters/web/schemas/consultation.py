"""Answers of the prestataire's read screens: tableau de bord and liste fiscale, and the
domain → schema mappings."""

from __future__ import annotations

from datetime import date

import msgspec

from chorus.adapters.web.schemas.memoires import montant
from chorus.domain.liste_fiscale import LigneListeFiscale, TotauxListeFiscale
from chorus.domain.statuts import StatutMemoire
from chorus.services.consultation import CompteursStructure, ListeFiscale


class CompteursSortie(msgspec.Struct):
    """The number of mémoires in each status, every status present (zeros included)."""

    BROUILLON: int
    ENVOYE: int
    MIS_A_DISPOSITION: int
    SUSPENDU: int
    COMPLETE: int
    CERTIFIE: int
    REFUSE: int
    MIS_EN_PAIEMENT: int
    ABANDONNE: int
    DUPLIQUE_POST_REFUS: int


class CompteursStructureSortie(msgspec.Struct):
    structure_id: str
    raison_sociale: str
    compteurs: CompteursSortie


class LigneListeFiscaleSortie(msgspec.Struct):
    numero: str
    date_depot: date
    juridiction_code: str
    montant_ht: str
    montant_tva: str
    montant_ttc: str
    remise_globale_ttc: str
    net_a_payer: str
    date_mise_en_paiement: date
    montant_paye: str


class TotauxListeFiscaleSortie(msgspec.Struct):
    nombre: int
    montant_ht: str
    montant_tva: str
    montant_ttc: str
    remise_globale_ttc: str
    net_a_payer: str
    montant_paye: str


class ListeFiscaleSortie(msgspec.Struct):
    """The paid mémoires of a period: `elements` (one page when `page`/`par_page` were asked,
    else all), `totaux` over the whole period, `total` the number of mémoires in it."""

    structure_id: str
    raison_sociale: str
    du: date
    au: date
    elements: list[LigneListeFiscaleSortie]
    totaux: TotauxListeFiscaleSortie
    total: int
    page: int | None
    par_page: int | None


def compteurs_sortie(ligne: CompteursStructure) -> CompteursStructureSortie:
    return CompteursStructureSortie(
        structure_id=ligne.structure_id,
        raison_sociale=ligne.raison_sociale,
        compteurs=CompteursSortie(
            **{statut.value: ligne.compteurs.get(statut, 0) for statut in StatutMemoire}
        ),
    )


def ligne_liste_fiscale_sortie(ligne: LigneListeFiscale) -> LigneListeFiscaleSortie:
    return LigneListeFiscaleSortie(
        numero=ligne.numero,
        date_depot=ligne.date_depot,
        juridiction_code=ligne.juridiction_code,
        montant_ht=montant(ligne.montant_ht),
        montant_tva=montant(ligne.montant_tva),
        montant_ttc=montant(ligne.montant_ttc),
        remise_globale_ttc=montant(ligne.remise_globale_ttc),
        net_a_payer=montant(ligne.net_a_payer),
        date_mise_en_paiement=ligne.date_mise_en_paiement,
        montant_paye=montant(ligne.montant_paye),
    )


def totaux_liste_fiscale_sortie(totaux: TotauxListeFiscale) -> TotauxListeFiscaleSortie:
    return TotauxListeFiscaleSortie(
        nombre=totaux.nombre,
        montant_ht=montant(totaux.montant_ht),
        montant_tva=montant(totaux.montant_tva),
        montant_ttc=montant(totaux.montant_ttc),
        remise_globale_ttc=montant(totaux.remise_globale_ttc),
        net_a_payer=montant(totaux.net_a_payer),
        montant_paye=montant(totaux.montant_paye),
    )


def liste_fiscale_sortie(liste: ListeFiscale) -> ListeFiscaleSortie:
    return ListeFiscaleSortie(
        structure_id=liste.structure.id,
        raison_sociale=liste.structure.raison_sociale,
        du=liste.periode.du,
        au=liste.periode.au,
        elements=[ligne_liste_fiscale_sortie(ligne) for ligne in liste.lignes],
        totaux=totaux_liste_fiscale_sortie(liste.totaux),
        total=liste.totaux.nombre,
        page=liste.pagination.page if liste.pagination else None,
        par_page=liste.pagination.par_page if liste.pagination else None,
    )
