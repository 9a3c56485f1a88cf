"""Request and response bodies of the TIC/TICGN area (DémaTIC), and the domain → schema
mappings.

As for the mémoires: amounts travel as strings with two decimals (``"184.69"``), rates and
quantities as strings as published or typed (``"14.96"``, ``"1234.56"``), days as
``YYYY-MM-DD``, instants as ISO 8601 with their offset, enumerations as their codes. The
product of a line is a plain string the domain reads, so that an unknown one is refused
with the list of the products (422 naming ``produit``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.adapters.web.schemas.memoires import (
    PieceSortie,
    montant,
    montant_ou_rien,
    piece_sortie,
)
from chorus.domain.tic.bareme import ProduitTic, TauxTic, produit_tic
from chorus.domain.tic.demande import (
    CertificatDepotTic,
    DemandeTic,
    EvenementDemandeTic,
    EvenementInstructionTic,
    LigneDemandeTic,
)
from chorus.domain.tic.eligibilite import Eligibilite, TypeBeneficiaire
from chorus.domain.tic.statuts import ActionInstructionTic, IntervenantTic, StatutDemandeTic
from chorus.ports.requetes import Page
from chorus.ports.tic import EvenementSuiviTic, ResumeDemandeTic
from chorus.services.tic import SaisieEnTeteTic, SaisieLigneTic

# -- requests ------------------------------------------------------------------------------


class CreationDemandeTic(msgspec.Struct, forbid_unknown_fields=True):
    """The en-tête of a new draft (``POST /tic/demandes``). `annee` is the year of the
    deliveries claimed; only ``attestation_non_difficulte: true`` attests."""

    structure_id: str
    annee: int
    coordonnee_bancaire_id: str
    attestation_non_difficulte: bool
    avance: bool = False
    type_beneficiaire: TypeBeneficiaire = TypeBeneficiaire.EXPLOITANT_AGRICOLE

    def en_saisie(self) -> SaisieEnTeteTic:
        return SaisieEnTeteTic(
            structure_id=self.structure_id,
            annee=self.annee,
            coordonnee_bancaire_id=self.coordonnee_bancaire_id,
            attestation_non_difficulte=self.attestation_non_difficulte,
            avance=self.avance,
            type_beneficiaire=self.type_beneficiaire,
        )


class ModificationDemandeTic(msgspec.Struct, forbid_unknown_fields=True):
    """``PATCH /tic/demandes/{id}``: an absent field keeps its value. The structure of a
    demande never changes (a different `structure_id` is refused)."""

    structure_id: str | UnsetType = UNSET
    annee: int | UnsetType = UNSET
    coordonnee_bancaire_id: str | UnsetType = UNSET
    attestation_non_difficulte: bool | UnsetType = UNSET
    avance: bool | UnsetType = UNSET
    type_beneficiaire: TypeBeneficiaire | UnsetType = UNSET

    def appliquee_a(self, demande: DemandeTic) -> SaisieEnTeteTic:
        """The en-tête of `demande` with the fields given here replaced (checked again
        whole by the use case)."""
        entete = demande.entete
        valeurs: dict[str, Any] = {
            "structure_id": entete.structure_id,
            "annee": entete.annee,
            "coordonnee_bancaire_id": entete.coordonnee_bancaire_id,
            "attestation_non_difficulte": entete.attestation_non_difficulte,
            "avance": entete.avance,
            "type_beneficiaire": entete.type_beneficiaire,
        }
        for champ in self.__struct_fields__:
            valeur = getattr(self, champ)
            if valeur is not UNSET:
                valeurs[champ] = valeur
        return SaisieEnTeteTic(**valeurs)


class SaisieLigneTicEntree(msgspec.Struct, forbid_unknown_fields=True):
    """One invoice (``POST``/``PUT …/lignes``). `quantite` is in the product's unit (litres
    of GNR, kg of fioul lourd or GPL, kWh of natural gas), at most 8 digits of which 2
    decimals, as a decimal string (``"1234.56"``) or a whole number."""

    numero_facture: str
    fournisseur: str
    date_livraison: date
    produit: str
    quantite: str | int

    def en_saisie(self) -> SaisieLigneTic:
        return SaisieLigneTic(
            numero_facture=self.numero_facture,
            fournisseur=self.fournisseur,
            date_livraison=self.date_livraison,
            produit=produit_tic(self.produit),
            quantite=self.quantite,
        )


class EvenementTicEntree(msgspec.Struct, forbid_unknown_fields=True):
    """One instruction event of the back office. `reference_evenement` identifies it: the
    same reference sent again changes nothing. `date_evenement` is when it happened, with
    its offset. `montant_accorde` goes with VALIDATION only (the amount asked when absent);
    a lower amount needs a `motif`, as does a REJET."""

    action: ActionInstructionTic
    date_evenement: datetime
    reference_evenement: str
    motif: str | None = None
    montant_accorde: str | None = None

    def en_domaine(self) -> EvenementInstructionTic:
        return EvenementInstructionTic.creer(
            action=self.action,
            reference=self.reference_evenement,
            date_evenement=self.date_evenement,
            motif=self.motif,
            montant_accorde=self.montant_accorde,
        )


# -- public information --------------------------------------------------------------------


class EligibiliteSortie(msgspec.Struct):
    eligible: bool
    departement: str
    """As written in the postal code: ``"02"``, ``"2A"``, ``"974"``."""
    motif: str | None
    """Why not, when not eligible."""
    campagne: int


class PeriodeTauxSortie(msgspec.Struct):
    taux: str
    valable_du: date
    valable_au: date | None
    """Last day in force; null while no end is published."""
    reference: str | None


class TauxSortie(msgspec.Struct, omit_defaults=True):
    """The refund rate of a product for a year of delivery (or a day, with ``date=``)."""

    annee: int
    produit: ProduitTic
    libelle_produit: str
    taux: str
    unite: str
    """The unit the rate is published per (``€/hl``)."""
    unite_quantite: str
    """The unit quantities are typed in (``l``)."""
    taxe: str
    reference: str | None
    valable_du: date
    valable_au: date | None
    periodes: list[PeriodeTauxSortie] | None = None
    """Every rate in force during the year, when it changed within the year (GPL 2018:
    from 1 April only)."""


def _dernier_jour(taux: TauxTic) -> date | None:
    return None if taux.fin is None else taux.fin - timedelta(days=1)


def _periode(taux: TauxTic) -> PeriodeTauxSortie:
    return PeriodeTauxSortie(
        taux=format(taux.taux, "f"),
        valable_du=taux.debut,
        valable_au=_dernier_jour(taux),
        reference=taux.reference,
    )


def taux_sortie(annee: int, retenu: TauxTic, de_l_annee: Sequence[TauxTic] = ()) -> TauxSortie:
    """`retenu` as the answer; `de_l_annee` (every rate of the year) listed when the rate
    did not stay the same over the whole year."""
    produit = retenu.produit
    debut, fin = date(annee, 1, 1), date(annee + 1, 1, 1)
    change = len(de_l_annee) > 1 or any(
        t.debut > debut or (t.fin is not None and t.fin < fin) for t in de_l_annee
    )
    return TauxSortie(
        annee=annee,
        produit=produit,
        libelle_produit=produit.libelle,
        taux=format(retenu.taux, "f"),
        unite=produit.unite_taux,
        unite_quantite=produit.unite,
        taxe=produit.taxe,
        reference=retenu.reference,
        valable_du=retenu.debut,
        valable_au=_dernier_jour(retenu),
        periodes=[_periode(t) for t in de_l_annee] if change else None,
    )


def eligibilite_sortie(eligibilite: Eligibilite) -> EligibiliteSortie:
    return EligibiliteSortie(
        eligible=eligibilite.eligible,
        departement=eligibilite.departement,
        motif=eligibilite.motif,
        campagne=eligibilite.campagne,
    )


# -- the demande ---------------------------------------------------------------------------


class LigneTicSortie(msgspec.Struct):
    numero_ligne: int
    numero_facture: str
    fournisseur: str
    date_livraison: date
    produit: ProduitTic
    libelle_produit: str
    quantite: str
    unite: str
    """The unit of `quantite` (``l``, ``kg``, ``kWh``)."""
    taux: str
    unite_taux: str
    """The unit the rate is per (``€/hl``, ``€/100 kg``, ``€/MWh``)."""
    montant: str
    """`quantite` converted to the rate's unit × `taux`, rounded half-up to the cent."""
    reference_taux: str | None


class CertificatTicSortie(msgspec.Struct):
    numero: str
    date_depot: datetime
    empreinte: str
    """Base64 of the SHA-256 of the demande as sent (44 characters)."""
    demandeur: str
    annee: int
    campagne: int
    nombre_lignes: int
    montant_total: str
    montant_avance: str | None
    texte: str


class EvenementTicSortie(msgspec.Struct):
    statut: StatutDemandeTic
    libelle: str
    intervenant: IntervenantTic
    acteur: str
    date_evenement: datetime
    """When it happened (in the back office, for the instructor's events)."""
    date_maj: datetime
    """When the portal recorded it."""
    motif: str | None
    montant: str | None
    reference_evenement: str | None


class LiensDemandeTic(msgspec.Struct):
    soi: str = msgspec.field(name="self")
    lignes: str | None
    pieces_jointes: str | None
    envoi: str | None
    duplication: str | None
    certificat_depot: str | None
    """Each link is null when the action or document does not apply in the current
    status."""


class DemandeTicSortie(msgspec.Struct):
    """A demande: its en-tête, lines, pièces, amounts, status, history and, once sent, its
    certificate."""

    id: str
    numero: str
    statut: StatutDemandeTic
    libelle_statut: str
    date_statut: datetime
    version: int
    parent_id: str | None
    structure_id: str
    annee: int
    """The year of the deliveries claimed."""
    campagne: int
    """The campaign the demande was created in (named by the year it opens)."""
    coordonnee_bancaire_id: str
    attestation_non_difficulte: bool
    avance: bool
    taux_avance: str | None
    montant_avance: str | None
    type_beneficiaire: TypeBeneficiaire
    libelle_type_beneficiaire: str
    lignes: list[LigneTicSortie]
    pieces_jointes: list[PieceSortie]
    montant_total: str
    montant_accorde: str | None
    motif_rejet: str | None
    date_paiement: date | None
    date_creation: datetime
    date_modification: datetime
    date_depot: datetime | None
    certificat: CertificatTicSortie | None
    historique: list[EvenementTicSortie]
    links: LiensDemandeTic


class ResumeDemandeTicSortie(msgspec.Struct):
    """A demande as lists show it."""

    id: str
    numero: str
    structure_id: str
    annee: int
    campagne: int
    statut: StatutDemandeTic
    libelle_statut: str
    date_creation: datetime
    date_depot: datetime | None
    date_statut: datetime
    montant_total: str
    montant_accorde: str | None
    date_paiement: date | None
    nombre_lignes: int
    produits: list[ProduitTic]
    parent_id: str | None


def ligne_tic_sortie(ligne: LigneDemandeTic) -> LigneTicSortie:
    return LigneTicSortie(
        numero_ligne=ligne.numero_ligne,
        numero_facture=ligne.numero_facture,
        fournisseur=ligne.fournisseur,
        date_livraison=ligne.date_livraison,
        produit=ligne.produit,
        libelle_produit=ligne.produit.libelle,
        quantite=format(ligne.quantite, "f"),
        unite=ligne.unite,
        taux=format(ligne.taux, "f"),
        unite_taux=ligne.unite_taux,
        montant=montant(ligne.montant),
        reference_taux=ligne.reference_taux,
    )


def certificat_tic_sortie(certificat: CertificatDepotTic) -> CertificatTicSortie:
    return CertificatTicSortie(
        numero=certificat.numero,
        date_depot=certificat.date_depot,
        empreinte=certificat.empreinte,
        demandeur=certificat.demandeur,
        annee=certificat.annee,
        campagne=certificat.campagne,
        nombre_lignes=certificat.nombre_lignes,
        montant_total=montant(certificat.montant_total),
        montant_avance=montant_ou_rien(certificat.montant_avance),
        texte=certificat.texte,
    )


def evenement_tic_sortie(evenement: EvenementDemandeTic) -> EvenementTicSortie:
    return EvenementTicSortie(
        statut=evenement.statut,
        libelle=evenement.statut.libelle,
        intervenant=evenement.intervenant,
        acteur=evenement.acteur,
        date_evenement=evenement.date_evenement,
        date_maj=evenement.date_maj,
        motif=evenement.motif,
        montant=montant_ou_rien(evenement.montant),
        reference_evenement=evenement.reference_evenement,
    )


def liens_demande(demande: DemandeTic, base: str, *, demandeur: bool) -> LiensDemandeTic:
    """The links of `demande` under `base` (``/api/v1/tic/demandes`` for the demandeur,
    the back office's own path for the instructor, who has no draft action)."""
    soi = f"{base}/{demande.id}"
    brouillon = demandeur and demande.statut is StatutDemandeTic.BROUILLON
    return LiensDemandeTic(
        soi=soi,
        lignes=f"{soi}/lignes" if brouillon else None,
        pieces_jointes=f"{soi}/pieces-jointes" if brouillon else None,
        envoi=f"{soi}/envoi" if brouillon else None,
        duplication=(
            f"{soi}/duplication"
            if demandeur and demande.statut is StatutDemandeTic.REJETEE
            else None
        ),
        certificat_depot=f"{soi}/certificat-depot" if demande.certificat is not None else None,
    )


def demande_tic_sortie(demande: DemandeTic, liens: LiensDemandeTic) -> DemandeTicSortie:
    entete = demande.entete
    return DemandeTicSortie(
        id=demande.id,
        numero=demande.numero,
        statut=demande.statut,
        libelle_statut=demande.statut.libelle,
        date_statut=demande.date_statut,
        version=demande.version,
        parent_id=demande.parent_id,
        structure_id=entete.structure_id,
        annee=entete.annee,
        campagne=demande.campagne,
        coordonnee_bancaire_id=entete.coordonnee_bancaire_id,
        attestation_non_difficulte=entete.attestation_non_difficulte,
        avance=entete.avance,
        taux_avance=None if demande.taux_avance is None else format(demande.taux_avance, "f"),
        montant_avance=montant_ou_rien(demande.montant_avance),
        type_beneficiaire=entete.type_beneficiaire,
        libelle_type_beneficiaire=entete.type_beneficiaire.libelle,
        lignes=[ligne_tic_sortie(ligne) for ligne in demande.lignes],
        pieces_jointes=[piece_sortie(p) for p in demande.pieces],
        montant_total=montant(demande.montant_total),
        montant_accorde=montant_ou_rien(demande.montant_accorde),
        motif_rejet=demande.motif_rejet,
        date_paiement=demande.date_paiement,
        date_creation=demande.date_creation,
        date_modification=demande.date_modification,
        date_depot=demande.date_depot,
        certificat=(
            certificat_tic_sortie(demande.certificat) if demande.certificat is not None else None
        ),
        historique=[evenement_tic_sortie(e) for e in demande.historique],
        links=liens,
    )


def resume_tic_sortie(resume: ResumeDemandeTic) -> ResumeDemandeTicSortie:
    return ResumeDemandeTicSortie(
        id=resume.id,
        numero=resume.numero,
        structure_id=resume.structure_id,
        annee=resume.annee,
        campagne=resume.campagne,
        statut=resume.statut,
        libelle_statut=resume.statut.libelle,
        date_creation=resume.date_creation,
        date_depot=resume.date_depot,
        date_statut=resume.date_statut,
        montant_total=montant(resume.montant_total),
        montant_accorde=montant_ou_rien(resume.montant_accorde),
        date_paiement=resume.date_paiement,
        nombre_lignes=resume.nombre_lignes,
        produits=list(resume.produits),
        parent_id=resume.parent_id,
    )


def page_resumes_tic(page: Page[ResumeDemandeTic]) -> PageDe[ResumeDemandeTicSortie]:
    return page_de(page, resume_tic_sortie)


# -- follow-up screens ---------------------------------------------------------------------


class EvenementSuiviTicSortie(msgspec.Struct):
    demande_id: str
    numero: str
    structure_id: str
    annee: int
    statut: StatutDemandeTic
    libelle_statut: str
    date_evenement: datetime
    date_maj: datetime
    motif: str | None
    montant: str | None


class SuiviTicSortie(msgspec.Struct):
    """« Mon suivi »: the latest status changes of the user's demandes, newest first."""

    evenements: list[EvenementSuiviTicSortie]


class CompteursTicSortie(msgspec.Struct):
    """The number of demandes in each status, every status present (zeros included)."""

    BROUILLON: int
    ENVOYEE: int
    MISE_A_DISPOSITION: int
    EN_INSTRUCTION: int
    VALIDEE: int
    REJETEE: int
    MISE_EN_PAIEMENT: int


class TableauDeBordTicSortie(msgspec.Struct):
    """One structure of the « Tableau de bord »."""

    structure_id: str
    raison_sociale: str | None
    statuts: CompteursTicSortie
    total: int


class TableauDeBordInstructionSortie(msgspec.Struct):
    """The instructor's dashboard: sent demandes per status, all structures together
    (drafts are never counted: the back office does not know them)."""

    statuts: CompteursTicSortie
    total: int


def compteurs_tic(par_statut: Mapping[StatutDemandeTic, int]) -> CompteursTicSortie:
    return CompteursTicSortie(**{s.value: par_statut.get(s, 0) for s in StatutDemandeTic})


def evenement_suivi_sortie(evenement: EvenementSuiviTic) -> EvenementSuiviTicSortie:
    return EvenementSuiviTicSortie(
        demande_id=evenement.demande_id,
        numero=evenement.numero,
        structure_id=evenement.structure_id,
        annee=evenement.annee,
        statut=evenement.statut,
        libelle_statut=evenement.statut.libelle,
        date_evenement=evenement.date_evenement,
        date_maj=evenement.date_maj,
        motif=evenement.motif,
        montant=montant_ou_rien(evenement.montant),
    )


def total_des(par_statut: Mapping[StatutDemandeTic, int]) -> int:
    return sum(par_statut.values())
