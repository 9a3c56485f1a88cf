"""The public check of a certificate's empreinte: what the holder of the certificate may
confirm, and nothing more (API.md: number, date, juridiction, amount; no prestataire)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from chorus.domain.certificat import CertificatDepot


class CertificatVerifie(msgspec.Struct, frozen=True):
    numero: str
    date_depot: datetime
    juridiction: str
    montant_ttc: str
    """TTC before the remise globale, as the mémoire's `totaux.montant_ttc`."""

    @staticmethod
    def depuis(certificat: CertificatDepot) -> CertificatVerifie:
        return CertificatVerifie(
            numero=certificat.numero,
            date_depot=certificat.date_depot,
            juridiction=certificat.juridiction,
            montant_ttc=str(certificat.montant_ttc_avant_remise),
        )
