"""Référentiels: the coded lists clients show and validate against (``GET /referentiels/{nom}``).

An unknown name answers 404 listing the names available.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.params import PathParameter

from chorus.adapters.web.dependances import Services
from chorus.adapters.web.openapi import TAG_REFERENTIELS
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.referentiels import EntreeReferentielSortie
from chorus.adapters.web.schemas.tickets import CategorieTicketSortie, categories_sortie
from chorus.adapters.web.services import ServicesWeb
from chorus.domain.entete import TypeTva
from chorus.domain.errors import NonTrouve
from chorus.domain.montants import TauxTva
from chorus.domain.organisation import Regime, TypeStructure
from chorus.domain.pieces import TypePiece
from chorus.domain.referentiels import EntreeReferentiel
from chorus.domain.statuts import StatutMemoire
from chorus.domain.support.ticket import StatutTicket
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.services.support import referentiel_tickets

Liste = list[EntreeReferentielSortie]


def _simple(entrees: list[EntreeReferentiel]) -> Liste:
    return [EntreeReferentielSortie(code=e.code, libelle=e.libelle) for e in entrees]


def _juridictions(services: ServicesWeb) -> Liste:
    return [
        EntreeReferentielSortie(
            code=j.code,
            libelle=j.libelle,
            type=j.type.value,
            type_libelle=j.type.libelle,
            departement=j.departement,
            cour_appel_code=j.cour_appel_code,
            commune_siege_insee=j.commune_siege_insee,
        )
        for j in services.referentiels.juridictions()
    ]


def _types_prestation(services: ServicesWeb) -> Liste:
    return [
        EntreeReferentielSortie(
            code=t.code,
            libelle=t.libelle,
            categorie_prestataire=t.categorie_prestataire,
            texte_reference=t.texte_reference,
            unite=t.unite,
        )
        for t in services.referentiels.types_prestation()
    ]


def _produits_tic(_: ServicesWeb) -> Liste:
    """The products with the unit quantities are typed in and the unit rates are per."""
    return [
        EntreeReferentielSortie(
            code=p.value, libelle=p.libelle, unite=p.unite, unite_taux=p.unite_taux, taxe=p.taxe
        )
        for p in ProduitTic
    ]


def _taux_tva(_: ServicesWeb) -> Liste:
    return [EntreeReferentielSortie(code=t.code, libelle=t.libelle, taux=t.code) for t in TauxTva]


REFERENTIELS: dict[str, Callable[[ServicesWeb], Liste]] = {
    "juridictions": _juridictions,
    "types-prestation": _types_prestation,
    "autorites-requerantes": lambda s: _simple(list(s.referentiels.autorites_requerantes())),
    "textes-reference": lambda s: _simple(list(s.referentiels.textes_reference())),
    "categories-prestataire": lambda s: _simple(list(s.referentiels.categories_prestataire())),
    "types-piece-jointe": lambda _: [
        EntreeReferentielSortie(code=t.value, libelle=t.libelle) for t in TypePiece
    ],
    "taux-tva": _taux_tva,
    "statuts-memoire": lambda _: [
        EntreeReferentielSortie(code=s.value, libelle=s.libelle) for s in StatutMemoire
    ],
    # Extensions: the other coded fields of the API.
    "types-tva": lambda _: [
        EntreeReferentielSortie(code=t.value, libelle=t.libelle) for t in TypeTva
    ],
    "types-structure": lambda _: [
        EntreeReferentielSortie(code=t.value, libelle=t.libelle) for t in TypeStructure
    ],
    "regimes": lambda _: [EntreeReferentielSortie(code=r.value, libelle=r.libelle) for r in Regime],
    "statuts-demande-tic": lambda _: [
        EntreeReferentielSortie(code=s.value, libelle=s.libelle) for s in StatutDemandeTic
    ],
    "produits-tic": _produits_tic,
    "statuts-ticket": lambda _: [
        EntreeReferentielSortie(code=s.value, libelle=s.libelle) for s in StatutTicket
    ],
    "types-beneficiaire-tic": lambda _: [
        EntreeReferentielSortie(code=t.value, libelle=t.libelle) for t in TypeBeneficiaire
    ],
}

A_VENIR: tuple[str, ...] = ()
"""Names API.md promises that do not answer yet (404 saying so): none since the TIC espace."""


class ReferentielsControleur(Controller):
    path = "/referentiels"
    tags = (TAG_REFERENTIELS,)

    @get(
        "/categories-ticket",
        operation_id="lire_categories_ticket",
        summary="Catégories des tickets d'assistance",
        description="Les catégories d'un ticket et, pour chacune, ses sous-catégories : "
        "l'objet dont elle parle (type_objet, et s'il faut en donner le numéro) et le service "
        "qui y répond (destinataire).",
        sync_to_thread=False,
        cache_control=CacheControlHeader(max_age=3600, public=True),
    )
    def lire_categories_ticket(self) -> list[CategorieTicketSortie]:
        return categories_sortie(referentiel_tickets())

    @get(
        "/{nom:str}",
        operation_id="lire_referentiel",
        summary="Lire un référentiel",
        description="Les entrées d'un référentiel, `[{code, libelle, …}]`. Noms : "
        + ", ".join(REFERENTIELS)
        + ". Nom inconnu : 404.",
        sync_to_thread=True,
        cache_control=CacheControlHeader(max_age=3600, public=True),
        responses=reponses(NonTrouve),
    )
    def lire_referentiel(
        self,
        services: Services,
        nom: Annotated[str, PathParameter(description="Nom du référentiel (ex. juridictions).")],
    ) -> list[EntreeReferentielSortie]:
        lecture = REFERENTIELS.get(nom)
        if lecture is None:
            disponibles = ", ".join(REFERENTIELS)
            debut = (
                f"Le référentiel « {nom} » n'est pas encore disponible (espace TIC à venir)"
                if nom in A_VENIR
                else f"Référentiel « {nom} » inconnu"
            )
            raise NonTrouve(f"{debut} ; référentiels disponibles : {disponibles}.", champ="nom")
        return lecture(services)
