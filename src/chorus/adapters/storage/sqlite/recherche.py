"""Search criteria and sort orders as SQL, with the semantics of `ResumeMemoire.correspond`
and `trier` (the reference the contract suite holds every adapter to)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import attrs

from chorus.adapters.storage.sqlite.lignes_sql import instant_en_entier
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import CleDeTri, CriteresMemoire, Tri

_COLONNE_DE_TRI = {
    CleDeTri.NUMERO: "numero",
    CleDeTri.DATE_CREATION: "date_creation",
    CleDeTri.DATE_DEPOT: "date_depot",
    CleDeTri.DATE_STATUT: "date_statut",
    CleDeTri.MONTANT_TTC: "montant_ttc_centimes",
    CleDeTri.NET_A_PAYER: "net_a_payer_centimes",
    CleDeTri.JURIDICTION: "juridiction_code",
    CleDeTri.STATUT: "statut",
}

# Columns that may hold no value; those rows come last in either direction.
_SANS_VALEUR_POSSIBLE = frozenset({"date_depot"})

_EGALITES = (
    "structure_id",
    "service_id",
    "juridiction_code",
    "numero_engagement_juridique",
    "categorie_prestataire",
    "texte_reference",
)


@attrs.frozen
class Condition:
    """A WHERE clause and its parameters; `impossible` when nothing can match."""

    sql: str
    parametres: tuple[Any, ...]
    impossible: bool = False


def _place(n: int) -> str:
    return ", ".join("?" * n)


def _debut_du_jour(jour: date) -> int | None:
    """The first instant of `jour` in Paris, or None below the calendar's first day."""
    try:
        return instant_en_entier(datetime.combine(jour, time(0), tzinfo=FUSEAU_PORTAIL))
    except OverflowError:
        return None


def _lendemain(jour: date) -> int | None:
    """The first instant after `jour` in Paris, or None after the calendar's last day."""
    try:
        return _debut_du_jour(jour + timedelta(days=1))
    except OverflowError:
        return None


def condition(criteres: CriteresMemoire) -> Condition:
    clauses: list[str] = []
    parametres: list[Any] = []

    perimetre = criteres.perimetre
    if perimetre is not None:
        if perimetre.vide:
            return Condition("0", (), impossible=True)
        couvertures: list[str] = []
        if perimetre.structures:
            structures = sorted(perimetre.structures)
            couvertures.append(f"structure_id IN ({_place(len(structures))})")
            parametres.extend(structures)
        if perimetre.services:
            services = sorted(perimetre.services)
            couvertures.append(
                f"(structure_id, service_id) IN (VALUES {', '.join(['(?, ?)'] * len(services))})"
            )
            for structure_id, service_id in services:
                parametres.extend((structure_id, service_id))
        clauses.append(f"({' OR '.join(couvertures)})")
    if criteres.juridictions is not None:
        if not criteres.juridictions:
            return Condition("0", (), impossible=True)
        juridictions = sorted(criteres.juridictions)
        clauses.append(f"juridiction_code IN ({_place(len(juridictions))})")
        parametres.extend(juridictions)
    if not criteres.inclure_brouillons:
        clauses.append("statut <> ?")
        parametres.append(StatutMemoire.BROUILLON.value)

    f = criteres.filtres
    if f.numero is not None:
        numero = f.numero.strip().upper()
        clauses.append("(numero = ? OR numero_brouillon = ?)")
        parametres.extend((numero, numero))
    for colonne in _EGALITES:
        valeur = getattr(f, colonne)
        if valeur is not None:
            clauses.append(f"{colonne} = ?")
            parametres.append(valeur)
    if f.numero_affaire is not None:
        clauses.append("id IN (SELECT memoire_id FROM lignes_prestation WHERE numero_affaire = ?)")
        parametres.append(f.numero_affaire)
    if f.statuts:
        statuts = sorted(s.value for s in f.statuts)
        clauses.append(f"statut IN ({_place(len(statuts))})")
        parametres.extend(statuts)
    for colonne, du, au in (
        ("date_depot", f.date_depot_du, f.date_depot_au),
        ("date_statut", f.date_statut_du, f.date_statut_au),
    ):
        if du is not None or au is not None:
            # A row with no value never matches a bound, as in the reference.
            clauses.append(f"{colonne} IS NOT NULL")
        if du is not None and (debut := _debut_du_jour(du)) is not None:
            clauses.append(f"{colonne} >= ?")
            parametres.append(debut)
        if au is not None and (fin := _lendemain(au)) is not None:
            clauses.append(f"{colonne} < ?")
            parametres.append(fin)
    return Condition(" AND ".join(clauses) or "1", tuple(parametres))


def ordre(tri: Tri) -> str:
    """ORDER BY with ties broken by id, and rows without a value last either way."""
    colonne = _COLONNE_DE_TRI[tri.cle]
    sens = "DESC" if tri.descendant else "ASC"
    # SQLite puts NULLs first in ascending order and last in descending order.
    nulls = " NULLS LAST" if colonne in _SANS_VALEUR_POSSIBLE and not tri.descendant else ""
    return f"{colonne} {sens}{nulls}, id {sens}"
