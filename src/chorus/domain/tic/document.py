"""The certificat de dépôt of a demande TIC/TICGN, described as data for the renderer."""

from __future__ import annotations

import attrs

from chorus.domain.errors import TransitionInvalide
from chorus.domain.tic.demande import (
    ATTESTATION_NON_DIFFICULTE,
    CertificatDepotTic,
    DemandeTic,
    DemandeurEnvoye,
    LigneDemandeTic,
    serialisation_canonique_tic,
)


@attrs.frozen
class CertificatTicAImprimer:
    """Everything the certificate prints: the demande as sent (its lines with their rates),
    the demandeur, the totals and pièces, the empreinte — and the canonical serialisation
    the empreinte was computed on, joined to the PDF."""

    certificat: CertificatDepotTic
    demandeur: DemandeurEnvoye
    type_beneficiaire: str
    lignes: tuple[LigneDemandeTic, ...]
    attestation: str
    serialisation: bytes

    @staticmethod
    def depuis(demande: DemandeTic) -> CertificatTicAImprimer:
        """The certificate of a sent demande; `TransitionInvalide` for a draft."""
        certificat, demandeur = demande.certificat, demande.demandeur
        if certificat is None or demandeur is None:
            raise TransitionInvalide(
                f"La demande n°{demande.numero} n'a pas été envoyée : elle n'a pas de "
                "certificat de dépôt."
            )
        return CertificatTicAImprimer(
            certificat=certificat,
            demandeur=demandeur,
            type_beneficiaire=demande.entete.type_beneficiaire.libelle,
            lignes=demande.lignes,
            attestation=ATTESTATION_NON_DIFFICULTE,
            serialisation=serialisation_canonique_tic(demande, date_depot=certificat.date_depot),
        )

    @property
    def nom_fichier(self) -> str:
        return f"certificat-depot-{self.certificat.numero}.pdf"

    @property
    def nom_serialisation(self) -> str:
        return f"demande-{self.certificat.numero}.json"
