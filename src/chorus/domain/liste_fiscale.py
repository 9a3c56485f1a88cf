"""The liste fiscale: the mémoires paid to a structure over a period of at most one year.

The Code général des impôts requires a recapitulative list of invoices exchanged
electronically; the portal keeps it from the mémoires in MIS_EN_PAIEMENT, selected by the date
their current status was recorded (the date of update, not of the event).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from chorus.domain.calendrier import ajouter_annees
from chorus.domain.errors import ValidationError
from chorus.domain.montants import ZERO


@attrs.frozen
class Periode:
    """A closed period of days [du, au], at most one year long: au < du + 1 year."""

    du: date
    au: date

    @staticmethod
    def creer(du: date, au: date) -> Periode:
        if au < du:
            raise ValidationError("La date de fin de période précède la date de début.", champ="au")
        # One year of days, both ends included: 1 January to 31 December, never the next
        # 1 January too.
        if au >= ajouter_annees(du, 1):
            raise ValidationError(
                "La période de la liste fiscale ne peut pas dépasser un an.", champ="au"
            )
        return Periode(du, au)

    def contient(self, jour: date) -> bool:
        return self.du <= jour <= self.au


@attrs.frozen
class LigneListeFiscale:
    """One paid mémoire as the liste fiscale shows it: HT + TVA + débours = TTC, then the
    remise globale and the net à payer it leaves, and what was actually paid."""

    numero: str
    date_depot: date
    juridiction_code: str
    montant_ht: Decimal
    montant_tva: Decimal
    montant_ttc: Decimal
    remise_globale_ttc: Decimal
    net_a_payer: Decimal
    date_mise_en_paiement: date
    montant_paye: Decimal


@attrs.frozen
class TotauxListeFiscale:
    montant_ht: Decimal
    montant_tva: Decimal
    montant_ttc: Decimal
    remise_globale_ttc: Decimal
    net_a_payer: Decimal
    montant_paye: Decimal
    nombre: int

    @staticmethod
    def calculer(lignes: Iterable[LigneListeFiscale]) -> TotauxListeFiscale:
        liste = tuple(lignes)
        return TotauxListeFiscale(
            montant_ht=sum((ligne.montant_ht for ligne in liste), ZERO),
            montant_tva=sum((ligne.montant_tva for ligne in liste), ZERO),
            montant_ttc=sum((ligne.montant_ttc for ligne in liste), ZERO),
            remise_globale_ttc=sum((ligne.remise_globale_ttc for ligne in liste), ZERO),
            net_a_payer=sum((ligne.net_a_payer for ligne in liste), ZERO),
            montant_paye=sum((ligne.montant_paye for ligne in liste), ZERO),
            nombre=len(liste),
        )
