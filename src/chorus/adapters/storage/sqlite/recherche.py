"""Search criteria and sort orders as SQL, with the semantics of `ResumeMemoire.correspond`
and `trier` (the reference the contract suite holds every adapter to), and the choice of a
plan that stays fast on a million mémoires.

Three kinds of search, measured on the benchmark:
- a criterion that matches few rows by nature (a number, an engagement, a case number, a
  service) drives the search; every other term is only checked on those rows;
- otherwise the matches are counted from an index and, when there are too many of them to
  sort, the page is read by walking an index in the requested order and keeping the rows
  that match (a few thousand index entries instead of sorting tens of thousands of rows);
- a count that only depends on structure, service and status is read from the counters.

A term written ``+colonne`` cannot use an index (SQLite's documented idiom): that is how a
plan is chosen without naming indexes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs

from chorus.adapters.storage.sqlite.lignes_sql import instant_en_entier
from chorus.domain.acces import Perimetre
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
    "juridiction_code",
    "categorie_prestataire",
    "texte_reference",
)


@attrs.frozen
class Condition:
    """A WHERE clause and its parameters, in the three forms the plans need.

    `sql` lets SQLite pick its indexes; `sql_parcours` keeps only the anchors usable (to
    walk an index in the sort order); `selective` says a criterion matching few rows is in
    `sql`, which then drives the search. `compteurs` is set when the count can be read
    from the counters instead.
    """

    sql: str
    parametres: tuple[Any, ...]
    sql_parcours: str
    parametres_parcours: tuple[Any, ...]
    selective: bool = False
    impossible: bool = False
    compteurs: Compteurs | None = None
    fusion: tuple[tuple[str, ...], str, tuple[Any, ...]] | None = None
    """For a périmètre of several whole structures: the structures, and the rest of the
    condition to apply within each (its filters may use that structure's indexes)."""


@attrs.frozen
class Compteurs:
    """A count to read from the per-status counters: within `perimetre` (optionally one
    structure and one service of it), or within `juridictions`, the given statuses (None:
    all)."""

    perimetre: Perimetre | None
    juridictions: frozenset[str] | None
    structure_id: str | None
    service_id: str | None
    statuts: frozenset[str] | None


# Up to this many structures, a page is merged from each structure's ordered rows.
STRUCTURES_FUSIONNEES = 64

_IMPOSSIBLE = Condition("0", (), "0", (), impossible=True)


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


class _Clauses:
    """Terms of a WHERE clause; ``{p}`` before a column becomes "" (it may use an index) or
    "+" (it may not)."""

    def __init__(self) -> None:
        self.termes: list[tuple[str, tuple[Any, ...], str]] = []

    def ajouter(self, gabarit: str, parametres: tuple[Any, ...], genre: str) -> None:
        """`genre`: "selectif" (matches few rows by nature), "ancre" (one structure,
        service or court, which an index can hold with a sort order) or "autre"."""
        self.termes.append((gabarit, parametres, genre))

    def ecrire(
        self, garder: Callable[[str], bool], sans_perimetre: bool = False
    ) -> tuple[str, tuple[Any, ...]]:
        morceaux: list[str] = []
        parametres: list[Any] = []
        for n, (gabarit, valeurs, genre) in enumerate(self.termes):
            if sans_perimetre and n == self.perimetre:
                continue
            morceaux.append(gabarit.replace("{p}", "" if garder(genre) else "+"))
            parametres.extend(valeurs)
        return " AND ".join(morceaux) or "1", tuple(parametres)

    perimetre: int | None = None
    """The index of the périmètre's term, which a merge replaces by one structure."""


def condition(criteres: CriteresMemoire) -> Condition:
    c = _Clauses()
    f = criteres.filtres

    perimetre = criteres.perimetre
    if perimetre is not None:
        if perimetre.vide:
            return _IMPOSSIBLE
        structures = sorted(perimetre.structures)
        services = sorted(perimetre.services)
        couvertures: list[str] = []
        valeurs: list[Any] = []
        if structures:
            couvertures.append(f"{{p}}structure_id IN ({_place(len(structures))})")
            valeurs.extend(structures)
        if services:
            paires = ", ".join(["(?, ?)"] * len(services))
            couvertures.append(f"({{p}}structure_id, {{p}}service_id) IN (VALUES {paires})")
            for structure_id, service_id in services:
                valeurs.extend((structure_id, service_id))
        c.perimetre = len(c.termes)
        c.ajouter(
            f"({' OR '.join(couvertures)})",
            tuple(valeurs),
            "ancre" if len(structures) == 1 and not services else "autre",
        )
    if criteres.juridictions is not None:
        if not criteres.juridictions:
            return _IMPOSSIBLE
        juridictions = sorted(criteres.juridictions)
        # An agent's single court anchors a walk in sort order as a structure does.
        c.ajouter(
            f"{{p}}juridiction_code IN ({_place(len(juridictions))})",
            tuple(juridictions),
            "ancre" if len(juridictions) == 1 else "autre",
        )
    if not criteres.inclure_brouillons:
        c.ajouter("{p}statut <> ?", (StatutMemoire.BROUILLON.value,), "autre")

    if f.numero is not None:
        numero = f.numero.strip().upper()
        c.ajouter(
            "{p}id IN (SELECT id FROM memoires WHERE numero = ? "
            "UNION ALL SELECT id FROM memoires WHERE numero_brouillon = ?)",
            (numero, numero),
            "selectif",
        )
    if f.numero_engagement_juridique is not None:
        c.ajouter(
            "{p}numero_engagement_juridique = ?",
            (f.numero_engagement_juridique,),
            "selectif",
        )
    if f.numero_affaire is not None:
        c.ajouter(
            "{p}id IN (SELECT memoire_id FROM lignes_prestation WHERE numero_affaire = ?)",
            (f.numero_affaire,),
            "selectif",
        )
    if f.service_id is not None:
        # A service belongs to one structure, but may hold most of a large one's mémoires:
        # it drives the search unless that structure anchors it already.
        une_structure = f.structure_id is not None or (
            perimetre is not None and len(perimetre.structures) == 1 and not perimetre.services
        )
        c.ajouter("{p}service_id = ?", (f.service_id,), "ancre" if une_structure else "selectif")
    for colonne in _EGALITES:
        valeur = getattr(f, colonne)
        if valeur is not None:
            genre = "ancre" if colonne in ("structure_id", "juridiction_code") else "autre"
            c.ajouter(f"{{p}}{colonne} = ?", (valeur,), genre)
    if f.statuts:
        statuts = sorted(s.value for s in f.statuts)
        c.ajouter(f"{{p}}statut IN ({_place(len(statuts))})", tuple(statuts), "autre")
    for colonne, du, au in (
        ("date_depot", f.date_depot_du, f.date_depot_au),
        ("date_statut", f.date_statut_du, f.date_statut_au),
    ):
        if du is not None or au is not None:
            # A row with no value never matches a bound, as in the reference.
            c.ajouter(f"{{p}}{colonne} IS NOT NULL", (), "autre")
        if du is not None and (debut := _debut_du_jour(du)) is not None:
            c.ajouter(f"{{p}}{colonne} >= ?", (debut,), "autre")
        if au is not None and (fin := _lendemain(au)) is not None:
            c.ajouter(f"{{p}}{colonne} < ?", (fin,), "autre")

    selective = any(genre == "selectif" for _, _, genre in c.termes)
    if selective:
        sql, parametres = c.ecrire(lambda genre: genre == "selectif")
    else:
        sql, parametres = c.ecrire(lambda genre: True)
    # Walking an index in the sort order: only anchors (one structure, one service, one
    # court) may narrow the walk, through an index that also holds the order.
    sql_parcours, parametres_parcours = c.ecrire(lambda genre: genre == "ancre")
    # Merging the structures' own ordered pages: each branch walks one structure's index.
    fusion: tuple[tuple[str, ...], str, tuple[Any, ...]] | None = None
    if (
        perimetre is not None
        and not perimetre.services
        and 1 < len(perimetre.structures) <= STRUCTURES_FUSIONNEES
    ):
        # Within one structure the filters may use its indexes (which hold the order too).
        reste, parametres_reste = c.ecrire(lambda genre: genre != "selectif", sans_perimetre=True)
        fusion = (tuple(sorted(perimetre.structures)), reste, parametres_reste)
    return Condition(
        sql,
        parametres,
        sql_parcours,
        parametres_parcours,
        selective=selective,
        compteurs=_compteurs(criteres),
        fusion=fusion,
    )


def _compteurs(criteres: CriteresMemoire) -> Compteurs | None:
    """The counters' terms, when structure, service and statuses are the only criteria."""
    f = criteres.filtres
    autres = (
        f.numero,
        f.juridiction_code,
        f.numero_engagement_juridique,
        f.categorie_prestataire,
        f.texte_reference,
        f.numero_affaire,
        f.date_depot_du,
        f.date_depot_au,
        f.date_statut_du,
        f.date_statut_au,
    )
    if any(v is not None for v in autres):
        return None
    if criteres.perimetre is None:
        # An agent's court: counted by court and status only.
        if criteres.juridictions is None or (f.structure_id, f.service_id) != (None, None):
            return None
    elif criteres.juridictions is not None:
        return None
    statuts: set[str] | None = {s.value for s in f.statuts} if f.statuts else None
    if not criteres.inclure_brouillons:
        statuts = (statuts or {s.value for s in StatutMemoire}) - {StatutMemoire.BROUILLON.value}
    return Compteurs(
        criteres.perimetre,
        None if criteres.perimetre is not None else criteres.juridictions,
        f.structure_id,
        f.service_id,
        None if statuts is None else frozenset(statuts),
    )


def ordre(tri: Tri) -> str:
    """ORDER BY with ties broken by id, and rows without a value last either way."""
    colonne = _COLONNE_DE_TRI[tri.cle]
    sens = "DESC" if tri.descendant else "ASC"
    # SQLite puts NULLs first in ascending order and last in descending order.
    nulls = " NULLS LAST" if sans_valeur_a_la_fin(tri) else ""
    return f"{colonne} {sens}{nulls}, id {sens}"


def sans_valeur_a_la_fin(tri: Tri) -> bool:
    """Whether the order puts rows without a value after the others where no index does
    (ascending dates de dépôt): such a page is read in two parts, with and without."""
    return _COLONNE_DE_TRI[tri.cle] in _SANS_VALEUR_POSSIBLE and not tri.descendant


def avec_valeur(tri: Tri, avec: bool) -> str:
    """The term keeping the rows with (or without) a value of the sort key."""
    return f"{_COLONNE_DE_TRI[tri.cle]} IS {'NOT ' if avec else ''}NULL"


def vaut_un_parcours(total: int, taille_de_la_table: int, jusqu_a: int) -> bool:
    """Whether walking an index in the sort order beats sorting the `total` matches.

    A walk reads about `jusqu_a × taille / total` index entries to find the rows up to the
    end of the page; a sort reads and orders all `total` matches.
    """
    return total * total > taille_de_la_table * jusqu_a
