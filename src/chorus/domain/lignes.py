"""Lignes de prestation and the amounts of a mémoire.

Per line, each amount rounded half-up to the cent::

    base_ht = quantité × tarif_ht + Σ frais_divers_ht
    tva     = base_ht × taux
    ttc     = base_ht + tva + débours        (débours are outside the TVA base)

The mémoire's totals are sums of line amounts, so they always add up to what the lines show.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import attrs

from chorus.domain.errors import ValidationError
from chorus.domain.montants import (
    ZERO,
    TauxTva,
    arrondir,
    valider_euros,
    valider_montant,
)
from chorus.domain.textes import texte_obligatoire

NOMBRE_MAXIMUM_DE_LIGNES = 1000
NOMBRE_MAXIMUM_DE_FRAIS_DIVERS = 50


@attrs.frozen
class FraisDivers:
    """One item of a line's bordereau de frais (déplacement, affranchissement, …), HT."""

    libelle: str
    montant_ht: Decimal

    @staticmethod
    def creer(libelle: str, montant_ht: Decimal | int | str) -> FraisDivers:
        return FraisDivers(
            libelle=texte_obligatoire(libelle, "libelle", maximum=100),
            montant_ht=valider_euros(montant_ht, "montant_ht"),
        )


@attrs.frozen
class LigneDePrestation:
    """One prestation of a mémoire, with its own amounts."""

    numero_ligne: int
    numero_affaire: str
    date_requisition: date
    autorite_requerante: str
    type_prestation: str
    date_prestation: date
    quantite: Decimal
    tarif_ht: Decimal
    taux_tva: TauxTva
    frais_divers: tuple[FraisDivers, ...] = ()
    debours: Decimal = ZERO

    @staticmethod
    def creer(
        *,
        numero_ligne: int,
        numero_affaire: str,
        date_requisition: date,
        autorite_requerante: str,
        type_prestation: str,
        date_prestation: date,
        quantite: Decimal | int | str,
        tarif_ht: Decimal | int | str,
        taux_tva: TauxTva | Decimal | int | str,
        aujourdhui: date,
        frais_divers: Iterable[FraisDivers] = (),
        debours: Decimal | int | str = ZERO,
    ) -> LigneDePrestation:
        """A checked line: quantities, prices and the date order réquisition ≤ prestation ≤
        today. Codes (autorité, type de prestation) are checked by the use case against the
        référentiels."""
        frais = tuple(frais_divers)
        if len(frais) > NOMBRE_MAXIMUM_DE_FRAIS_DIVERS:
            raise ValidationError(
                f"Une ligne ne peut pas porter plus de {NOMBRE_MAXIMUM_DE_FRAIS_DIVERS} frais "
                "divers.",
                champ="frais_divers",
            )
        if date_requisition > date_prestation:
            raise ValidationError(
                "La date de réquisition ne peut pas être postérieure à la date de prestation.",
                champ="date_requisition",
            )
        if date_prestation > aujourdhui:
            raise ValidationError(
                "La date de prestation ne peut pas être dans le futur.", champ="date_prestation"
            )
        return LigneDePrestation(
            numero_ligne=numero_ligne,
            numero_affaire=texte_obligatoire(numero_affaire, "numero_affaire", maximum=50),
            date_requisition=date_requisition,
            autorite_requerante=texte_obligatoire(
                autorite_requerante, "autorite_requerante", maximum=50
            ),
            type_prestation=texte_obligatoire(type_prestation, "type_prestation", maximum=50),
            date_prestation=date_prestation,
            quantite=arrondir(
                valider_montant(
                    quantite, "quantite", strictement_positif=True, maximum=Decimal("99999999.99")
                )
            ),
            tarif_ht=valider_euros(tarif_ht, "tarif_ht"),
            taux_tva=TauxTva.depuis(taux_tva),
            frais_divers=frais,
            debours=valider_euros(debours, "debours"),
        )

    @functools.cached_property
    def montant_frais_divers(self) -> Decimal:
        return sum((f.montant_ht for f in self.frais_divers), ZERO)

    @functools.cached_property
    def montant_ht(self) -> Decimal:
        """The TVA base of the line: quantity × price plus the frais divers."""
        return arrondir(self.quantite * self.tarif_ht) + self.montant_frais_divers

    @functools.cached_property
    def montant_tva(self) -> Decimal:
        return self.taux_tva.appliquer(self.montant_ht)

    @functools.cached_property
    def montant_ttc(self) -> Decimal:
        return self.montant_ht + self.montant_tva + self.debours


@attrs.frozen
class SaisieLigne:
    """A line as the prestataire enters it, before it is checked and numbered."""

    numero_affaire: str
    date_requisition: date
    autorite_requerante: str
    type_prestation: str
    date_prestation: date
    quantite: Decimal | int | str
    tarif_ht: Decimal | int | str
    taux_tva: TauxTva | Decimal | int | str
    frais_divers: tuple[tuple[str, Decimal | int | str], ...] = ()
    debours: Decimal | int | str = ZERO

    def en_ligne(self, numero_ligne: int, aujourdhui: date) -> LigneDePrestation:
        """The checked line; a frais divers error names its index (``frais_divers[1]``)."""
        frais: list[FraisDivers] = []
        for index, (libelle, montant) in enumerate(self.frais_divers):
            try:
                frais.append(FraisDivers.creer(libelle, montant))
            except ValidationError as erreur:
                raise erreur.prefixee(f"frais_divers[{index}]") from None
        return LigneDePrestation.creer(
            numero_ligne=numero_ligne,
            numero_affaire=self.numero_affaire,
            date_requisition=self.date_requisition,
            autorite_requerante=self.autorite_requerante,
            type_prestation=self.type_prestation,
            date_prestation=self.date_prestation,
            quantite=self.quantite,
            tarif_ht=self.tarif_ht,
            taux_tva=self.taux_tva,
            aujourdhui=aujourdhui,
            frais_divers=frais,
            debours=self.debours,
        )


@attrs.frozen
class RecapitulatifTva:
    """For one TVA rate: the base and the TVA, as sums of the lines at that rate."""

    taux: TauxTva
    base_ht: Decimal
    montant_tva: Decimal


@attrs.frozen
class Totaux:
    """The amounts of a whole mémoire."""

    montant_ht: Decimal
    montant_tva: Decimal
    recapitulatif_tva: tuple[RecapitulatifTva, ...]
    montant_debours: Decimal
    montant_ttc: Decimal
    remise_globale_ttc: Decimal
    net_a_payer: Decimal

    @staticmethod
    def calculer(lignes: Sequence[LigneDePrestation], remise_globale_ttc: Decimal) -> Totaux:
        par_taux: dict[TauxTva, tuple[Decimal, Decimal]] = {}
        for ligne in lignes:
            base, tva = par_taux.get(ligne.taux_tva, (ZERO, ZERO))
            par_taux[ligne.taux_tva] = (base + ligne.montant_ht, tva + ligne.montant_tva)
        recapitulatif = tuple(
            RecapitulatifTva(taux, base, tva)
            for taux, (base, tva) in sorted(par_taux.items(), key=lambda e: -e[0].value)
        )
        montant_ttc = sum((ligne.montant_ttc for ligne in lignes), ZERO)
        return Totaux(
            montant_ht=sum((ligne.montant_ht for ligne in lignes), ZERO),
            montant_tva=sum((ligne.montant_tva for ligne in lignes), ZERO),
            recapitulatif_tva=recapitulatif,
            montant_debours=sum((ligne.debours for ligne in lignes), ZERO),
            montant_ttc=montant_ttc,
            remise_globale_ttc=remise_globale_ttc,
            net_a_payer=montant_ttc - remise_globale_ttc,
        )

    @property
    def montant_ht_apres_remise(self) -> Decimal:
        """The HT amount once the global TTC discount is spread over the TTC in proportion.

        The remise is given TTC; the certificate shows the HT it leaves, so the discount is
        taken from HT in the same ratio as from TTC.
        """
        if self.montant_ttc == 0 or self.remise_globale_ttc == 0:
            return self.montant_ht
        return arrondir(self.montant_ht * self.net_a_payer / self.montant_ttc)
