"""What sending a mémoire freezes and issues: the prestataire as sent, and the certificat
de dépôt with its empreinte."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import attrs

from chorus.domain.montants import en_francais
from chorus.domain.pieces import TypePiece

ATTESTATION_SUR_HONNEUR = (
    "Attestation sur l'honneur de l'exactitude des informations saisies et de la réalité des "
    "prestations"
)


@attrs.frozen
class PrestataireEnvoye:
    """Who filed the mémoire and where it is to be paid, frozen as they were at sending:
    later changes to the structure or its bank details never reach a sent mémoire."""

    identifiant: str
    type_identifiant: str
    raison_sociale: str
    libelle_coordonnee: str
    iban: str
    bic: str

    @property
    def libelle(self) -> str:
        """« identifiant – raison sociale », as the certificate writes it."""
        return f"{self.identifiant} – {self.raison_sociale}"


@attrs.frozen
class PieceCertifiee:
    """A pièce as the certificate lists it."""

    nom_fichier: str
    type_piece: TypePiece
    sha256: str


@attrs.frozen
class CertificatDepot:
    """The receipt issued at sending; it never changes."""

    numero: str
    date_depot: datetime
    prestataire: str
    juridiction: str
    montant_ht_apres_remise: Decimal
    montant_tva: Decimal
    remise_globale_ttc: Decimal
    montant_ttc_avant_remise: Decimal
    net_a_payer: Decimal
    pieces: tuple[PieceCertifiee, ...]
    empreinte: str
    # Where the PDF rendered at sending is kept (its SHA-256 in the blob store): downloads
    # serve these bytes. None for a mémoire sent before certificates were stored as files.
    document_sha256: str | None = None

    @property
    def texte(self) -> str:
        """The certificate's sentence, in French as the portal words it."""
        article = "à la" if self.juridiction.startswith("Cour") else "au"
        return (
            f"Le mémoire de frais de justice n°{self.numero} d'un montant de "
            f"{en_francais(self.net_a_payer)} EUR est en cours de transfert {article} "
            f"{self.juridiction}."
        )
