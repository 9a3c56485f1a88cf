"""Bodies of the TIC inscription (``POST /tic/inscriptions``, seed 004).

`service`, `option` and `type_beneficiaire` travel as plain texts: a wrong code is a 422
naming its field, as every other mistake of the form, not a 400 for the body's shape.
"""

from __future__ import annotations

import msgspec

from chorus.adapters.web.schemas.communs import AdresseEntree
from chorus.adapters.web.schemas.structures import StructureSortie, structure_sortie
from chorus.adapters.web.schemas.tic import EligibiliteSortie, eligibilite_sortie
from chorus.services.inscription_tic import (
    InscriptionTic,
    SaisieAdresse,
    SaisieEntreprise,
    SaisieTitulaire,
)


class TitulaireEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The account holder (« fournisseur principal » or the tiers' user)."""

    email: str
    nom: str
    prenom: str
    telephone: str | None = None

    def vers_service(self) -> SaisieTitulaire:
        return SaisieTitulaire(
            email=self.email, nom=self.nom, prenom=self.prenom, telephone=self.telephone
        )


class EntrepriseEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    raison_sociale: str
    adresse: AdresseEntree
    """The siège social: for a fournisseur principal, its département must take part in the
    current campagne."""
    type_beneficiaire: str | None = None
    """The applicant's type (EXPLOITANT_AGRICOLE, SOCIETE_AGRICOLE, CUMA…); echoed, not kept
    by the structure: each demande states it."""

    def vers_service(self) -> SaisieEntreprise:
        adresse = self.adresse
        return SaisieEntreprise(
            raison_sociale=self.raison_sociale,
            adresse=SaisieAdresse(
                ligne1=adresse.ligne1,
                ligne2=adresse.ligne2,
                code_postal=adresse.code_postal,
                ville=adresse.ville,
                pays=adresse.pays,
            ),
            type_beneficiaire=self.type_beneficiaire,
        )


class InscriptionTicEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    siret: str
    captcha_id: str
    captcha_reponse: str
    service: str
    """« TIC »."""
    option: str
    """FOURNISSEUR_PRINCIPAL or TIERS_DEPOSANT."""
    utilisateur: TitulaireEntree
    structure: EntrepriseEntree


class CompteInscrit(msgspec.Struct, frozen=True):
    id: str
    email: str
    statut: str
    """EN_ATTENTE_ACTIVATION: the activation email's link sets the password."""
    suivi_quotidien: bool
    suivi_hebdomadaire: bool


class InscriptionTicSortie(msgspec.Struct, frozen=True):
    utilisateur: CompteInscrit
    structure: StructureSortie
    option: str
    eligibilite: EligibiliteSortie | None
    """The siège's eligibility for the current campagne; null for a tiers déposant."""
    type_beneficiaire: str | None


def inscription_tic_sortie(inscription: InscriptionTic) -> InscriptionTicSortie:
    compte = inscription.utilisateur
    return InscriptionTicSortie(
        utilisateur=CompteInscrit(
            id=compte.id,
            email=compte.email,
            statut=compte.statut.value,
            suivi_quotidien=compte.suivi_quotidien,
            suivi_hebdomadaire=compte.suivi_hebdomadaire,
        ),
        structure=structure_sortie(inscription.structure),
        option=inscription.option.value,
        eligibilite=(
            None if inscription.eligibilite is None else eligibilite_sortie(inscription.eligibilite)
        ),
        type_beneficiaire=(
            None if inscription.type_beneficiaire is None else inscription.type_beneficiaire.value
        ),
    )
