"""Request and response bodies of the mémoires area, and the domain → schema mappings.

Amounts travel as strings with two decimals (``"158.25"``), TVA rates as their code
(``"5.5"``), dates as ``YYYY-MM-DD``, instants as ISO 8601 with their offset; enumerations as
their codes (the domain's enums are reused as the vocabulary: their values are the codes
API.md promises). Request amounts are strings the domain reads, so that a refusal names the
field in French.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.domain.certificat import CertificatDepot
from chorus.domain.entete import EnTete, ModeDepot, TypeTva
from chorus.domain.lignes import LigneDePrestation, SaisieLigne, Totaux
from chorus.domain.memoire import EvenementHistorique, Memoire
from chorus.domain.montants import arrondir
from chorus.domain.pieces import FormatFichier, PieceJointe, TypePiece
from chorus.domain.statuts import Intervenant, StatutMemoire
from chorus.ports.requetes import Page, ResumeMemoire


def montant(valeur: Decimal) -> str:
    """An amount as the API writes it: always two decimals (``"8.25"``, ``"0.00"``)."""
    return format(arrondir(valeur), "f")


def montant_ou_rien(valeur: Decimal | None) -> str | None:
    return None if valeur is None else montant(valeur)


# -- requests ------------------------------------------------------------------------------


class CreationMemoire(msgspec.Struct, forbid_unknown_fields=True):
    """The en-tête of a new draft (``POST /memoires``)."""

    structure_id: str
    juridiction_code: str
    coordonnee_bancaire_id: str
    texte_reference: str
    type_tva: TypeTva
    devise: str = "EUR"
    service_id: str | None = None
    categorie_prestataire: str | None = None
    numero_facture: str | None = None
    numero_engagement_juridique: str | None = None
    commentaire: str | None = None
    motif_exoneration: str | None = None
    remise_globale_ttc: str = "0"

    def en_domaine(self) -> EnTete:
        return EnTete.creer(
            structure_id=self.structure_id,
            juridiction_code=self.juridiction_code,
            texte_reference=self.texte_reference,
            type_tva=self.type_tva,
            devise=self.devise,
            service_id=self.service_id,
            coordonnee_bancaire_id=self.coordonnee_bancaire_id,
            categorie_prestataire=self.categorie_prestataire,
            numero_facture=self.numero_facture,
            numero_engagement_juridique=self.numero_engagement_juridique,
            commentaire=self.commentaire,
            motif_exoneration=self.motif_exoneration,
            remise_globale_ttc=self.remise_globale_ttc,
        )


class ModificationMemoire(msgspec.Struct, forbid_unknown_fields=True):
    """``PATCH /memoires/{id}``: an absent field keeps its value, ``null`` clears an optional
    one. The structure of a mémoire never changes (duplicate it instead)."""

    juridiction_code: str | UnsetType = UNSET
    coordonnee_bancaire_id: str | UnsetType | None = UNSET
    texte_reference: str | UnsetType = UNSET
    type_tva: TypeTva | UnsetType = UNSET
    devise: str | UnsetType = UNSET
    service_id: str | UnsetType | None = UNSET
    categorie_prestataire: str | UnsetType | None = UNSET
    numero_facture: str | UnsetType | None = UNSET
    numero_engagement_juridique: str | UnsetType | None = UNSET
    commentaire: str | UnsetType | None = UNSET
    motif_exoneration: str | UnsetType | None = UNSET
    remise_globale_ttc: str | UnsetType = UNSET

    def appliquee_a(self, entete: EnTete) -> EnTete:
        """The header `entete` with the fields given here replaced, checked again whole."""
        valeurs: dict[str, Any] = {
            "structure_id": entete.structure_id,
            "juridiction_code": entete.juridiction_code,
            "texte_reference": entete.texte_reference,
            "type_tva": entete.type_tva,
            "devise": entete.devise,
            "service_id": entete.service_id,
            "coordonnee_bancaire_id": entete.coordonnee_bancaire_id,
            "categorie_prestataire": entete.categorie_prestataire,
            "numero_facture": entete.numero_facture,
            "numero_engagement_juridique": entete.numero_engagement_juridique,
            "commentaire": entete.commentaire,
            "motif_exoneration": entete.motif_exoneration,
            "remise_globale_ttc": entete.remise_globale_ttc,
        }
        for champ in self.__struct_fields__:
            valeur = getattr(self, champ)
            if valeur is not UNSET:
                valeurs[champ] = valeur
        return EnTete.creer(**valeurs)


class FraisDiversEntree(msgspec.Struct, forbid_unknown_fields=True):
    libelle: str
    montant_ht: str


class SaisieLigneEntree(msgspec.Struct, forbid_unknown_fields=True):
    """A line of prestation as the prestataire enters it (``POST``/``PUT …/lignes``)."""

    numero_affaire: str
    date_requisition: date
    autorite_requerante: str
    type_prestation: str
    date_prestation: date
    quantite: str
    tarif_ht: str
    taux_tva: str
    frais_divers: list[FraisDiversEntree] = msgspec.field(default_factory=list)
    debours: str = "0"

    def en_domaine(self) -> SaisieLigne:
        return SaisieLigne(
            numero_affaire=self.numero_affaire,
            date_requisition=self.date_requisition,
            autorite_requerante=self.autorite_requerante,
            type_prestation=self.type_prestation,
            date_prestation=self.date_prestation,
            quantite=self.quantite,
            tarif_ht=self.tarif_ht,
            taux_tva=self.taux_tva,
            frais_divers=tuple((f.libelle, f.montant_ht) for f in self.frais_divers),
            debours=self.debours,
        )


class ImportPieceEntree(msgspec.Struct, forbid_unknown_fields=True):
    """The JSON form of ``POST …/pieces-jointes``: a pièce of the structure's pool."""

    piece_structure_id: str
    numero_ligne: int | None = None


class EnvoiEntree(msgspec.Struct, forbid_unknown_fields=True):
    """« Valider et envoyer »: only an explicit ``true`` attests (else 422 naming the field)."""

    attestation_sur_honneur: bool = False


class ComplementEntree(msgspec.Struct, forbid_unknown_fields=True):
    commentaire: str


# -- responses -----------------------------------------------------------------------------


class FraisDiversSortie(msgspec.Struct):
    libelle: str
    montant_ht: str


class LigneSortie(msgspec.Struct):
    numero_ligne: int
    numero_affaire: str
    date_requisition: date
    autorite_requerante: str
    type_prestation: str
    date_prestation: date
    quantite: str
    tarif_ht: str
    taux_tva: str
    frais_divers: list[FraisDiversSortie]
    debours: str
    montant_frais_divers: str
    montant_ht: str
    """The TVA base: quantité × tarif HT + frais divers."""
    montant_tva: str
    montant_ttc: str


class PieceSortie(msgspec.Struct):
    id: str
    nom_fichier: str
    taille: int
    sha256: str
    type_piece: TypePiece
    numero_ligne: int | None
    designation: str
    format: FormatFichier
    """The media type the file is served with, recognised from its content."""
    date_ajout: datetime


class RecapitulatifTvaSortie(msgspec.Struct):
    taux: str
    base_ht: str
    montant_tva: str


class TotauxSortie(msgspec.Struct):
    montant_ht: str
    montant_tva: str
    recapitulatif_tva: list[RecapitulatifTvaSortie]
    montant_debours: str
    montant_ttc: str
    """TTC before the remise globale."""
    remise_globale_ttc: str
    net_a_payer: str


class CertificatSortie(msgspec.Struct):
    empreinte: str
    """Base64 of the SHA-256 of the mémoire as sent (44 characters)."""
    date_depot: datetime
    numero: str
    prestataire: str
    juridiction: str
    montant_ht_apres_remise: str
    montant_tva: str
    remise_globale_ttc: str
    montant_ttc_avant_remise: str
    net_a_payer: str
    texte: str


class MemoireSortie(msgspec.Struct):
    """A mémoire: its en-tête, lines, pièces, totals, status and, once sent, its certificate."""

    id: str
    numero: str
    numero_brouillon: str | None
    statut: StatutMemoire
    date_statut: datetime
    """When the portal recorded the current status (searches use this date)."""
    version: int
    parent_id: str | None
    mode_depot: ModeDepot
    date_creation: datetime
    date_modification: datetime
    date_depot: datetime | None
    structure_id: str
    service_id: str | None
    juridiction_code: str
    coordonnee_bancaire_id: str | None
    categorie_prestataire: str | None
    devise: str
    texte_reference: str
    type_tva: TypeTva
    mention_tva: str | None
    numero_facture: str | None
    numero_engagement_juridique: str | None
    commentaire: str | None
    motif_exoneration: str | None
    remise_globale_ttc: str
    lignes: list[LigneSortie]
    pieces_jointes: list[PieceSortie]
    pieces_complementaires: list[PieceSortie]
    """Pièces added in answer to a suspension."""
    totaux: TotauxSortie
    certificat: CertificatSortie | None
    montant_certifie: str | None
    montant_paye: str | None
    date_paiement: date | None


class EvenementHistoriqueSortie(msgspec.Struct):
    statut: StatutMemoire
    acteur: str
    motif: str | None
    date_evenement: datetime
    """When it happened (in the back office, for its events)."""
    date_maj: datetime
    """When the portal recorded it."""
    intervenant: Intervenant
    reference_evenement: str | None
    montant: str | None


class ResumeMemoireSortie(msgspec.Struct):
    """A mémoire as lists show it."""

    id: str
    numero: str
    numero_brouillon: str | None
    structure_id: str
    service_id: str | None
    juridiction_code: str
    categorie_prestataire: str | None
    texte_reference: str
    numero_engagement_juridique: str | None
    numero_facture: str | None
    statut: StatutMemoire
    mode_depot: ModeDepot
    date_creation: datetime
    date_depot: datetime | None
    date_statut: datetime
    montant_ht: str
    montant_tva: str
    montant_ttc: str
    net_a_payer: str
    montant_paye: str | None
    date_paiement: date | None
    numeros_affaire: list[str]
    parent_id: str | None


class SyntheseSortie(msgspec.Struct):
    """What needs the prestataire's action, one page (the most recent first) per status."""

    brouillons: PageDe[ResumeMemoireSortie] = msgspec.field(name="BROUILLON")
    suspendus: PageDe[ResumeMemoireSortie] = msgspec.field(name="SUSPENDU")
    refuses: PageDe[ResumeMemoireSortie] = msgspec.field(name="REFUSE")


# -- mappings ------------------------------------------------------------------------------


def ligne_sortie(ligne: LigneDePrestation) -> LigneSortie:
    return LigneSortie(
        numero_ligne=ligne.numero_ligne,
        numero_affaire=ligne.numero_affaire,
        date_requisition=ligne.date_requisition,
        autorite_requerante=ligne.autorite_requerante,
        type_prestation=ligne.type_prestation,
        date_prestation=ligne.date_prestation,
        quantite=format(ligne.quantite, "f"),
        tarif_ht=montant(ligne.tarif_ht),
        taux_tva=ligne.taux_tva.code,
        frais_divers=[
            FraisDiversSortie(libelle=f.libelle, montant_ht=montant(f.montant_ht))
            for f in ligne.frais_divers
        ],
        debours=montant(ligne.debours),
        montant_frais_divers=montant(ligne.montant_frais_divers),
        montant_ht=montant(ligne.montant_ht),
        montant_tva=montant(ligne.montant_tva),
        montant_ttc=montant(ligne.montant_ttc),
    )


def piece_sortie(piece: PieceJointe) -> PieceSortie:
    return PieceSortie(
        id=piece.id,
        nom_fichier=piece.nom_fichier,
        taille=piece.taille,
        sha256=piece.sha256,
        type_piece=piece.type_piece,
        numero_ligne=piece.numero_ligne,
        designation=piece.designation,
        format=piece.format,
        date_ajout=piece.date_ajout,
    )


def totaux_sortie(totaux: Totaux) -> TotauxSortie:
    return TotauxSortie(
        montant_ht=montant(totaux.montant_ht),
        montant_tva=montant(totaux.montant_tva),
        recapitulatif_tva=[
            RecapitulatifTvaSortie(
                taux=r.taux.code, base_ht=montant(r.base_ht), montant_tva=montant(r.montant_tva)
            )
            for r in totaux.recapitulatif_tva
        ],
        montant_debours=montant(totaux.montant_debours),
        montant_ttc=montant(totaux.montant_ttc),
        remise_globale_ttc=montant(totaux.remise_globale_ttc),
        net_a_payer=montant(totaux.net_a_payer),
    )


def certificat_sortie(certificat: CertificatDepot) -> CertificatSortie:
    return CertificatSortie(
        empreinte=certificat.empreinte,
        date_depot=certificat.date_depot,
        numero=certificat.numero,
        prestataire=certificat.prestataire,
        juridiction=certificat.juridiction,
        montant_ht_apres_remise=montant(certificat.montant_ht_apres_remise),
        montant_tva=montant(certificat.montant_tva),
        remise_globale_ttc=montant(certificat.remise_globale_ttc),
        montant_ttc_avant_remise=montant(certificat.montant_ttc_avant_remise),
        net_a_payer=montant(certificat.net_a_payer),
        texte=certificat.texte,
    )


def memoire_sortie(memoire: Memoire) -> MemoireSortie:
    entete = memoire.entete
    return MemoireSortie(
        id=memoire.id,
        numero=memoire.numero,
        numero_brouillon=memoire.numero_brouillon,
        statut=memoire.statut,
        date_statut=memoire.date_statut,
        version=memoire.version,
        parent_id=memoire.parent_id,
        mode_depot=memoire.mode_depot,
        date_creation=memoire.date_creation,
        date_modification=memoire.date_modification,
        date_depot=memoire.date_depot,
        structure_id=entete.structure_id,
        service_id=entete.service_id,
        juridiction_code=entete.juridiction_code,
        coordonnee_bancaire_id=entete.coordonnee_bancaire_id,
        categorie_prestataire=entete.categorie_prestataire,
        devise=entete.devise,
        texte_reference=entete.texte_reference,
        type_tva=entete.type_tva,
        mention_tva=entete.mention_tva,
        numero_facture=entete.numero_facture,
        numero_engagement_juridique=entete.numero_engagement_juridique,
        commentaire=entete.commentaire,
        motif_exoneration=entete.motif_exoneration,
        remise_globale_ttc=montant(entete.remise_globale_ttc),
        lignes=[ligne_sortie(ligne) for ligne in memoire.lignes],
        pieces_jointes=[piece_sortie(p) for p in memoire.pieces],
        pieces_complementaires=[piece_sortie(p) for p in memoire.pieces_complementaires],
        totaux=totaux_sortie(memoire.totaux),
        certificat=(
            certificat_sortie(memoire.certificat) if memoire.certificat is not None else None
        ),
        montant_certifie=montant_ou_rien(memoire.montant_certifie),
        montant_paye=montant_ou_rien(memoire.montant_paye),
        date_paiement=memoire.date_paiement,
    )


def historique_sortie(evenement: EvenementHistorique) -> EvenementHistoriqueSortie:
    return EvenementHistoriqueSortie(
        statut=evenement.statut,
        acteur=evenement.acteur,
        motif=evenement.motif,
        date_evenement=evenement.date_evenement,
        date_maj=evenement.date_maj,
        intervenant=evenement.intervenant,
        reference_evenement=evenement.reference_evenement,
        montant=montant_ou_rien(evenement.montant),
    )


def resume_sortie(resume: ResumeMemoire) -> ResumeMemoireSortie:
    return ResumeMemoireSortie(
        id=resume.id,
        numero=resume.numero,
        numero_brouillon=resume.numero_brouillon,
        structure_id=resume.structure_id,
        service_id=resume.service_id,
        juridiction_code=resume.juridiction_code,
        categorie_prestataire=resume.categorie_prestataire,
        texte_reference=resume.texte_reference,
        numero_engagement_juridique=resume.numero_engagement_juridique,
        numero_facture=resume.numero_facture,
        statut=resume.statut,
        mode_depot=resume.mode_depot,
        date_creation=resume.date_creation,
        date_depot=resume.date_depot,
        date_statut=resume.date_statut,
        montant_ht=montant(resume.montant_ht),
        montant_tva=montant(resume.montant_tva),
        montant_ttc=montant(resume.montant_ttc),
        net_a_payer=montant(resume.net_a_payer),
        montant_paye=montant_ou_rien(resume.montant_paye),
        date_paiement=resume.date_paiement,
        numeros_affaire=list(resume.numeros_affaire),
        parent_id=resume.parent_id,
    )


def page_resumes(page: Page[ResumeMemoire]) -> PageDe[ResumeMemoireSortie]:
    return page_de(page, resume_sortie)


def synthese_sortie(pages: Mapping[StatutMemoire, Page[ResumeMemoire]]) -> SyntheseSortie:
    return SyntheseSortie(
        brouillons=page_resumes(pages[StatutMemoire.BROUILLON]),
        suspendus=page_resumes(pages[StatutMemoire.SUSPENDU]),
        refuses=page_resumes(pages[StatutMemoire.REFUSE]),
    )
