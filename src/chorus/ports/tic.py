"""Storage and read side of the demandes de remboursement TIC/TICGN.

Searches return `ResumeDemandeTic` rows, not whole aggregates; `ResumeDemandeTic.correspond`
and `trier_tic` are the reference semantics for adapters that search by scan.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

import attrs

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.errors import ValidationError
from chorus.domain.textes import exiger_texte
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.requetes import Page, Pagination, lire_tri, trier_selon


@attrs.frozen
class FiltresDemandeTic:
    """What a user searches by; every filter given must match (dates are days in Paris)."""

    numero: str | None = None
    structure_id: str | None = None
    annee: int | None = None
    produit: ProduitTic | None = None
    statuts: frozenset[StatutDemandeTic] = frozenset()
    date_depot_du: date | None = None
    date_depot_au: date | None = None

    def __attrs_post_init__(self) -> None:
        for champ in ("numero", "structure_id"):
            valeur = getattr(self, champ)
            if valeur is not None:
                exiger_texte(valeur, champ)
        if (
            self.date_depot_du is not None
            and self.date_depot_au is not None
            and self.date_depot_au < self.date_depot_du
        ):
            raise ValidationError("La date de fin précède la date de début.", champ="date_depot_au")


@attrs.frozen
class CriteresDemandeTic:
    """The filters, within what the searching user may see: `structures` None means every
    structure (an instructor, who never sees drafts)."""

    filtres: FiltresDemandeTic
    structures: frozenset[str] | None
    inclure_brouillons: bool = True


class CleDeTriTic(enum.Enum):
    NUMERO = "numero"
    ANNEE = "annee"
    DATE_CREATION = "date_creation"
    DATE_DEPOT = "date_depot"
    DATE_STATUT = "date_statut"
    MONTANT_TOTAL = "montant_total"
    STATUT = "statut"


@attrs.frozen
class TriTic:
    """A sort order; `depuis("-date_depot")` reads the API's notation. Ties break on id."""

    cle: CleDeTriTic = CleDeTriTic.DATE_STATUT
    descendant: bool = True

    @staticmethod
    def depuis(texte: str | None) -> TriTic:
        if texte is None or texte == "":
            return TriTic()
        return TriTic(*lire_tri(texte, CleDeTriTic))


@attrs.frozen
class ResumeDemandeTic:
    """A demande as lists show it."""

    id: str
    numero: str
    structure_id: str
    annee: int
    campagne: int
    statut: StatutDemandeTic
    date_creation: datetime
    date_depot: datetime | None
    date_statut: datetime
    montant_total: Decimal
    montant_accorde: Decimal | None
    date_paiement: date | None
    nombre_lignes: int
    produits: tuple[ProduitTic, ...]
    parent_id: str | None
    # Who filed it, as frozen at sending (None for a draft): the instructor's queue shows it.
    siret: str | None = None
    raison_sociale: str | None = None

    @staticmethod
    def depuis(demande: DemandeTic) -> ResumeDemandeTic:
        demandeur = demande.demandeur
        return ResumeDemandeTic(
            id=demande.id,
            numero=demande.numero,
            structure_id=demande.structure_id,
            annee=demande.annee,
            campagne=demande.campagne,
            statut=demande.statut,
            date_creation=demande.date_creation,
            date_depot=demande.date_depot,
            date_statut=demande.date_statut,
            montant_total=demande.montant_total,
            montant_accorde=demande.montant_accorde,
            date_paiement=demande.date_paiement,
            nombre_lignes=len(demande.lignes),
            produits=tuple(
                sorted({ligne.produit for ligne in demande.lignes}, key=lambda p: p.value)
            ),
            parent_id=demande.parent_id,
            siret=None if demandeur is None else demandeur.siret,
            raison_sociale=None if demandeur is None else demandeur.raison_sociale,
        )

    def correspond(self, criteres: CriteresDemandeTic) -> bool:
        """The reference semantics of `CriteresDemandeTic`, for adapters that scan."""
        if criteres.structures is not None and self.structure_id not in criteres.structures:
            return False
        if not criteres.inclure_brouillons and self.statut is StatutDemandeTic.BROUILLON:
            return False
        c = criteres.filtres
        if c.numero is not None and c.numero.strip().upper() != self.numero:
            return False
        if c.structure_id is not None and c.structure_id != self.structure_id:
            return False
        if c.annee is not None and c.annee != self.annee:
            return False
        if c.produit is not None and c.produit not in self.produits:
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
        return True


_CLES: dict[CleDeTriTic, Callable[[ResumeDemandeTic], Any]] = {
    CleDeTriTic.NUMERO: lambda r: r.numero,
    CleDeTriTic.ANNEE: lambda r: r.annee,
    CleDeTriTic.DATE_CREATION: lambda r: r.date_creation.astimezone(UTC),
    CleDeTriTic.DATE_DEPOT: lambda r: (
        None if r.date_depot is None else r.date_depot.astimezone(UTC)
    ),
    CleDeTriTic.DATE_STATUT: lambda r: r.date_statut.astimezone(UTC),
    CleDeTriTic.MONTANT_TOTAL: lambda r: r.montant_total,
    CleDeTriTic.STATUT: lambda r: r.statut.value,
}


def trier_tic(resumes: Sequence[ResumeDemandeTic], tri: TriTic) -> list[ResumeDemandeTic]:
    """The reference order of `tri`: by the key, ties broken by id; rows without a value
    (a draft has no date de dépôt) come last in either direction."""
    return trier_selon(resumes, _CLES[tri.cle], tri.descendant)


@attrs.frozen
class EvenementSuiviTic:
    """One entry of « Mon suivi »: a status a demande reached, newest first."""

    demande_id: str
    numero: str
    structure_id: str
    annee: int
    statut: StatutDemandeTic
    date_evenement: datetime
    date_maj: datetime
    motif: str | None
    montant: Decimal | None

    @staticmethod
    def de(demande: DemandeTic) -> tuple[EvenementSuiviTic, ...]:
        """Every history entry of `demande`, as the feed shows them."""
        return tuple(
            EvenementSuiviTic(
                demande_id=demande.id,
                numero=demande.numero,
                structure_id=demande.structure_id,
                annee=demande.annee,
                statut=e.statut,
                date_evenement=e.date_evenement,
                date_maj=e.date_maj,
                motif=e.motif,
                montant=e.montant,
            )
            for e in demande.historique
        )


def recents(evenements: Sequence[EvenementSuiviTic], limite: int) -> list[EvenementSuiviTic]:
    """The reference order of the feed: latest `date_maj` first, ties by number then
    status order in the history (kept by a stable sort)."""
    return sorted(evenements, key=lambda e: (e.date_maj.astimezone(UTC), e.numero), reverse=True)[
        :limite
    ]


class DemandeTicRepository(Protocol):
    """The demandes TIC/TICGN, in the same unit of work as everything else."""

    def ajouter(self, demande: DemandeTic) -> None:
        """Store a new demande; `Conflit` if its id or number is already used, or if the
        structure already has a demande for that year that was not rejected (« une demande
        par structure et par année »), whatever the concurrency."""
        ...

    def obtenir(self, demande_id: str) -> DemandeTic:
        """The demande; `NonTrouve` if there is none."""
        ...

    def par_numero(self, numero: str) -> DemandeTic | None: ...

    def enregistrer(self, demande: DemandeTic) -> DemandeTic:
        """Save a changed demande read at `demande.version`; returns it at the next version.
        `ConflitDeVersion` if it changed meanwhile (nothing is written)."""
        ...

    def supprimer(self, demande_id: str) -> None:
        """Delete a draft; `TransitionInvalide` for a sent demande (kept 10 years)."""
        ...

    def actives(self, structure_id: str, annee: int) -> Sequence[ResumeDemandeTic]:
        """The structure's demandes for that delivery year that were not rejected."""
        ...

    def rechercher(
        self, criteres: CriteresDemandeTic, tri: TriTic, pagination: Pagination
    ) -> Page[ResumeDemandeTic]:
        """One page of the matches in `tri` order, with the total."""
        ...

    def tous(self, criteres: CriteresDemandeTic, tri: TriTic) -> Sequence[ResumeDemandeTic]:
        """Every match (exports)."""
        ...

    def compter_par_statut(
        self, structures: frozenset[str] | None
    ) -> dict[str, dict[StatutDemandeTic, int]]:
        """For each structure (every one when None, drafts then left out), the number of
        its demandes per status (statuses with none are absent)."""
        ...

    def evenements_recents(
        self, structures: frozenset[str], limite: int
    ) -> Sequence[EvenementSuiviTic]:
        """The latest history entries of the structures' demandes (`recents` order)."""
        ...

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        """Those of the blob-store addresses `sha256s` a stored demande refers to (its
        pièces and its certificate's PDF): the retention purge must keep them."""
        ...
