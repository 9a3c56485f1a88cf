"""Read side of the mémoires: search criteria, sorting, pages, the summary row, counts.

Searches return `ResumeMemoire` rows (what a list shows), not whole aggregates, so that an
adapter can answer them from an index without loading lines and pièces.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

import attrs

from chorus.domain.acces import Perimetre
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.entete import ModeDepot
from chorus.domain.errors import ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.textes import exiger_entier, exiger_texte

T = TypeVar("T")

PAR_PAGE_DEFAUT = 50
PAR_PAGE_MAXIMUM = 500


@attrs.frozen
class FiltresMemoire:
    """What a user searches by; every filter given must match (dates are days in Paris)."""

    numero: str | None = None
    structure_id: str | None = None
    service_id: str | None = None
    juridiction_code: str | None = None
    numero_engagement_juridique: str | None = None
    categorie_prestataire: str | None = None
    texte_reference: str | None = None
    numero_affaire: str | None = None
    statuts: frozenset[StatutMemoire] = frozenset()
    date_depot_du: date | None = None
    date_depot_au: date | None = None
    date_statut_du: date | None = None
    date_statut_au: date | None = None

    def __attrs_post_init__(self) -> None:
        for champ in (
            "numero",
            "structure_id",
            "service_id",
            "juridiction_code",
            "numero_engagement_juridique",
            "categorie_prestataire",
            "texte_reference",
            "numero_affaire",
        ):
            valeur = getattr(self, champ)
            if valeur is not None:
                exiger_texte(valeur, champ)
        for du, au, champ in (
            (self.date_depot_du, self.date_depot_au, "date_depot_au"),
            (self.date_statut_du, self.date_statut_au, "date_statut_au"),
        ):
            if du is not None and au is not None and au < du:
                raise ValidationError("La date de fin précède la date de début.", champ=champ)


@attrs.frozen
class CriteresMemoire:
    """The filters, within what the searching user may see.

    `perimetre` restricts by structure and service (a prestataire); `juridictions` by court
    (an agent). None means no restriction of that kind; the use cases always set one.
    """

    filtres: FiltresMemoire
    perimetre: Perimetre | None = None
    juridictions: frozenset[str] | None = None
    inclure_brouillons: bool = True


class CleDeTri(enum.Enum):
    NUMERO = "numero"
    DATE_CREATION = "date_creation"
    DATE_DEPOT = "date_depot"
    DATE_STATUT = "date_statut"
    MONTANT_TTC = "montant_ttc"
    NET_A_PAYER = "net_a_payer"
    JURIDICTION = "juridiction_code"
    STATUT = "statut"


E = TypeVar("E", bound=enum.Enum)


def lire_tri(texte: object, cles: type[E]) -> tuple[E, bool]:
    """The key and direction of the API's sort notation (``-date_depot``: descending),
    among `cles` (an enum whose values are the names); refused with the possible ones."""
    texte = exiger_texte(texte, "tri")
    descendant = texte.startswith("-")
    nom = texte.lstrip("-+")
    for cle in cles:
        if cle.value == nom:
            return cle, descendant
    possibles = ", ".join(str(c.value) for c in cles)
    raise ValidationError(
        f"Tri « {texte[:50]} » inconnu ; tris possibles : {possibles} (précédé de - pour "
        "l'ordre décroissant).",
        champ="tri",
    )


@attrs.frozen
class Tri:
    """A sort order; `depuis("-date_depot")` reads the API's notation. Ties break on id."""

    cle: CleDeTri = CleDeTri.DATE_STATUT
    descendant: bool = True

    @staticmethod
    def depuis(texte: str | None) -> Tri:
        if texte is None or texte == "":
            return Tri()
        return Tri(*lire_tri(texte, CleDeTri))


@attrs.frozen
class Pagination:
    page: int = 1
    par_page: int = PAR_PAGE_DEFAUT

    def __attrs_post_init__(self) -> None:
        exiger_entier(self.page, "page")
        exiger_entier(self.par_page, "par_page")
        if self.page < 1:
            raise ValidationError("La page commence à 1.", champ="page")
        if not 1 <= self.par_page <= PAR_PAGE_MAXIMUM:
            raise ValidationError(
                f"Le nombre de lignes par page va de 1 à {PAR_PAGE_MAXIMUM}.", champ="par_page"
            )

    @property
    def decalage(self) -> int:
        return (self.page - 1) * self.par_page


@attrs.frozen
class Page(Generic[T]):
    elements: tuple[T, ...]
    total: int
    page: int
    par_page: int


@attrs.frozen
class ResumeMemoire:
    """A mémoire as lists show it."""

    id: str
    numero: str
    numero_brouillon: str | None
    structure_id: str
    service_id: str | None
    juridiction_code: str
    categorie_prestataire: str | None
    texte_reference: str
    numero_engagement_juridique: str | None
    numero_facture: str | None
    statut: StatutMemoire
    mode_depot: ModeDepot
    date_creation: datetime
    date_depot: datetime | None
    date_statut: datetime
    montant_ht: Decimal
    montant_tva: Decimal
    montant_ttc: Decimal
    net_a_payer: Decimal
    montant_paye: Decimal | None
    date_paiement: date | None
    numeros_affaire: tuple[str, ...]
    parent_id: str | None

    @staticmethod
    def depuis(memoire: Memoire) -> ResumeMemoire:
        totaux = memoire.totaux
        entete = memoire.entete
        return ResumeMemoire(
            id=memoire.id,
            numero=memoire.numero,
            numero_brouillon=memoire.numero_brouillon,
            structure_id=entete.structure_id,
            service_id=entete.service_id,
            juridiction_code=entete.juridiction_code,
            categorie_prestataire=entete.categorie_prestataire,
            texte_reference=entete.texte_reference,
            numero_engagement_juridique=entete.numero_engagement_juridique,
            numero_facture=entete.numero_facture,
            statut=memoire.statut,
            mode_depot=memoire.mode_depot,
            date_creation=memoire.date_creation,
            date_depot=memoire.date_depot,
            date_statut=memoire.date_statut,
            montant_ht=totaux.montant_ht,
            montant_tva=totaux.montant_tva,
            montant_ttc=totaux.montant_ttc,
            net_a_payer=totaux.net_a_payer,
            montant_paye=memoire.montant_paye,
            date_paiement=memoire.date_paiement,
            numeros_affaire=tuple(dict.fromkeys(ligne.numero_affaire for ligne in memoire.lignes)),
            parent_id=memoire.parent_id,
        )

    def correspond(self, criteres: CriteresMemoire) -> bool:
        """The reference semantics of `CriteresMemoire`, for adapters that search by scan."""
        if criteres.perimetre is not None and not criteres.perimetre.couvre(
            self.structure_id, self.service_id
        ):
            return False
        if criteres.juridictions is not None and self.juridiction_code not in criteres.juridictions:
            return False
        if not criteres.inclure_brouillons and self.statut is StatutMemoire.BROUILLON:
            return False
        c = criteres.filtres
        if c.numero is not None and c.numero.strip().upper() not in (
            self.numero,
            self.numero_brouillon,
        ):
            return False
        egalites = (
            (c.structure_id, self.structure_id),
            (c.service_id, self.service_id),
            (c.juridiction_code, self.juridiction_code),
            (c.numero_engagement_juridique, self.numero_engagement_juridique),
            (c.categorie_prestataire, self.categorie_prestataire),
            (c.texte_reference, self.texte_reference),
        )
        if any(voulu is not None and voulu != valeur for voulu, valeur in egalites):
            return False
        if c.numero_affaire is not None and c.numero_affaire not in self.numeros_affaire:
            return False
        if c.statuts and self.statut not in c.statuts:
            return False
        if c.date_depot_du is not None or c.date_depot_au is not None:
            if self.date_depot is None:
                return False
            jour = jour_a_paris(self.date_depot)
            if (c.date_depot_du and jour < c.date_depot_du) or (
                c.date_depot_au and jour > c.date_depot_au
            ):
                return False
        jour_statut = jour_a_paris(self.date_statut)
        if c.date_statut_du is not None and jour_statut < c.date_statut_du:
            return False
        return not (c.date_statut_au is not None and jour_statut > c.date_statut_au)


@attrs.frozen
class Sommes:
    """The amounts of a set of mémoires added up (a liste fiscale's totals)."""

    nombre: int
    montant_ht: Decimal
    montant_tva: Decimal
    montant_ttc: Decimal
    net_a_payer: Decimal
    montant_paye: Decimal
    """What was paid; a mémoire with no paid amount recorded counts for its net à payer."""

    @staticmethod
    def de(resumes: Iterable[ResumeMemoire]) -> Sommes:
        """The reference sums, for adapters that add up by scan."""
        liste = tuple(resumes)
        zero = Decimal("0.00")
        return Sommes(
            nombre=len(liste),
            montant_ht=sum((r.montant_ht for r in liste), zero),
            montant_tva=sum((r.montant_tva for r in liste), zero),
            montant_ttc=sum((r.montant_ttc for r in liste), zero),
            net_a_payer=sum((r.net_a_payer for r in liste), zero),
            montant_paye=sum(
                (r.net_a_payer if r.montant_paye is None else r.montant_paye for r in liste), zero
            ),
        )


_CLES: dict[CleDeTri, Callable[[ResumeMemoire], Any]] = {
    CleDeTri.NUMERO: lambda r: r.numero,
    # Instants compare in UTC: an instant of a repeated hour in a ZoneInfo zone is neither
    # equal to nor before its UTC twin (PEP 495), which would leave ties unbroken.
    CleDeTri.DATE_CREATION: lambda r: r.date_creation.astimezone(UTC),
    CleDeTri.DATE_DEPOT: lambda r: None if r.date_depot is None else r.date_depot.astimezone(UTC),
    CleDeTri.DATE_STATUT: lambda r: r.date_statut.astimezone(UTC),
    CleDeTri.MONTANT_TTC: lambda r: r.montant_ttc,
    CleDeTri.NET_A_PAYER: lambda r: r.net_a_payer,
    CleDeTri.JURIDICTION: lambda r: r.juridiction_code,
    CleDeTri.STATUT: lambda r: r.statut.value,
}


def trier(resumes: Sequence[ResumeMemoire], tri: Tri) -> list[ResumeMemoire]:
    """The reference order of `tri`, for adapters that sort in Python: by the key, ties
    broken by id; rows without a value (a draft has no date de dépôt) come last in either
    direction."""
    return trier_selon(resumes, _CLES[tri.cle], tri.descendant)


class _AvecId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_AvecId)


def trier_selon(resumes: Sequence[R], cle: Callable[[R], Any], descendant: bool) -> list[R]:
    """Rows in the order of `cle`, ties broken by id; rows without a value come last in
    either direction (the reference order of every list's sort)."""
    avec = [r for r in resumes if cle(r) is not None]
    sans = [r for r in resumes if cle(r) is None]
    avec.sort(key=lambda r: (cle(r), r.id), reverse=descendant)
    sans.sort(key=lambda r: r.id, reverse=descendant)
    return avec + sans


class MemoireQueries(Protocol):
    """Searches and counts over the mémoires."""

    def rechercher(
        self, criteres: CriteresMemoire, tri: Tri, pagination: Pagination
    ) -> Page[ResumeMemoire]:
        """One page of the mémoires matching `criteres`, in `tri` order, with the total."""
        ...

    def tous(self, criteres: CriteresMemoire, tri: Tri) -> Sequence[ResumeMemoire]:
        """Every match, for exports and the liste fiscale (bounded by the criteria)."""
        ...

    def sommer(self, criteres: CriteresMemoire) -> Sommes:
        """The amounts of every match added up, without listing them."""
        ...

    def compter_par_statut(self, perimetre: Perimetre) -> dict[str, dict[StatutMemoire, int]]:
        """For each structure of the périmètre, the number of its visible mémoires per status
        (statuses with none are absent)."""
        ...
