"""Reference lists (référentiels) the portal ships as data: juridictions, prestations, …

The domain only describes their entries; loading them from `chorus/data/` is an adapter's job
(`chorus.adapters.referentiels`), behind the `Referentiels` port.
"""

from __future__ import annotations

import enum

import attrs


class TypeJuridiction(enum.Enum):
    CA = "CA"
    TSA = "TSA"
    TJ = "TJ"
    TPI = "TPI"

    @property
    def libelle(self) -> str:
        return {
            TypeJuridiction.CA: "Cour d'appel",
            TypeJuridiction.TSA: "Tribunal supérieur d'appel",
            TypeJuridiction.TJ: "Tribunal judiciaire",
            TypeJuridiction.TPI: "Tribunal de première instance",
        }[self]


@attrs.frozen
class Juridiction:
    """A court that receives mémoires (cour d'appel, tribunal judiciaire, …)."""

    code: str
    type: TypeJuridiction
    nom: str
    departement: str
    cour_appel_code: str | None
    commune_siege_insee: str

    @property
    def libelle(self) -> str:
        return self.nom


@attrs.frozen
class EntreeReferentiel:
    """A plain coded entry: autorité requérante, catégorie de prestataire, texte de référence."""

    code: str
    libelle: str


@attrs.frozen
class TypePrestation:
    """A kind of prestation of the catalogue, with the CPP text that founds it and its unit."""

    code: str
    libelle: str
    categorie_prestataire: str
    texte_reference: str
    unite: str
