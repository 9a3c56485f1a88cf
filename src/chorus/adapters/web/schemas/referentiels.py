"""Entries of the référentiels: a code and its label, plus what a kind of entry adds."""

from __future__ import annotations

import msgspec


class EntreeReferentielSortie(msgspec.Struct, frozen=True, omit_defaults=True):
    """``{code, libelle}``; the other fields appear only on the référentiels that have them
    (juridictions: type, département, cour d'appel; types de prestation: catégorie, texte,
    unité; produits TIC: unité de la quantité, unité du taux, taxe)."""

    code: str
    libelle: str
    type: str | None = None
    type_libelle: str | None = None
    departement: str | None = None
    cour_appel_code: str | None = None
    commune_siege_insee: str | None = None
    categorie_prestataire: str | None = None
    texte_reference: str | None = None
    unite: str | None = None
    taux: str | None = None
    unite_taux: str | None = None
    taxe: str | None = None
