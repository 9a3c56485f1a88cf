"""The flux aggregate: its number, its status and its progress through integration.

A flux moves `IN_RECU` → `IN_EN_TRAITEMENT` → `IN_INTEGRE` | `IN_INTEGRE_PARTIEL` |
`IN_REJETE`. Its report is one `ResultatReference` per mémoire of the file, kept apart from
the flux (a flux may hold thousands) and written with the mémoires it reports on.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime

import attrs

from chorus.domain.errors import TransitionInvalide, ValidationError
from chorus.domain.flux.lecture import ErreurFlux

MOTIF_FLUX_VIDE = "Le fichier ne contient aucun mémoire."
MOTIF_TOUT_REFUSE = "Aucun mémoire du fichier n'a pu être intégré : consultez le compte rendu."


def sequence_flux(annee: int) -> str:
    """Flux are numbered per year of deposit."""
    return f"FL{annee}"


def numero_flux(annee: int, valeur: int) -> str:
    """``FL2026000000012`` for the 12th flux deposited in 2026."""
    if not 0 < valeur < 10**9:
        raise ValueError(f"Séquence des flux épuisée pour {annee} : {valeur}.")
    return f"FL{annee:04d}{valeur:09d}"


class FormatFlux(enum.Enum):
    JSON = "JSON"
    XML = "XML"
    CSV = "CSV"


class StatutFlux(enum.Enum):
    IN_RECU = "IN_RECU"
    IN_EN_TRAITEMENT = "IN_EN_TRAITEMENT"
    IN_INTEGRE = "IN_INTEGRE"
    IN_INTEGRE_PARTIEL = "IN_INTEGRE_PARTIEL"
    IN_REJETE = "IN_REJETE"

    @property
    def libelle(self) -> str:
        return {
            StatutFlux.IN_RECU: "Reçu",
            StatutFlux.IN_EN_TRAITEMENT: "En traitement",
            StatutFlux.IN_INTEGRE: "Intégré",
            StatutFlux.IN_INTEGRE_PARTIEL: "Intégré partiellement",
            StatutFlux.IN_REJETE: "Rejeté",
        }[self]

    @property
    def termine(self) -> bool:
        return self in (
            StatutFlux.IN_INTEGRE,
            StatutFlux.IN_INTEGRE_PARTIEL,
            StatutFlux.IN_REJETE,
        )


class IssueReference(enum.Enum):
    """What became of one mémoire of a flux."""

    INTEGRE = "INTEGRE"
    DEJA_INTEGRE = "DEJA_INTEGRE"
    REFUSE = "REFUSE"

    @property
    def libelle(self) -> str:
        return {
            IssueReference.INTEGRE: "Intégré",
            IssueReference.DEJA_INTEGRE: "Déjà intégré",
            IssueReference.REFUSE: "Refusé",
        }[self]


@attrs.frozen
class ResultatReference:
    """The report's entry for the mémoire of rank `rang` in the file."""

    rang: int
    reference: str | None
    issue: IssueReference
    numero_memoire: str | None = None
    memoire_id: str | None = None
    erreurs: tuple[ErreurFlux, ...] = ()


@attrs.frozen
class Flux:
    """A deposited file of mémoires and where its integration stands.

    `traites` counts the mémoires of the file already handled, in file order: it is written
    in the same transaction as those mémoires and their report entries, so that an
    integration stopped at any instant resumes at the next one without doing anything twice.
    """

    id: str
    numero: str
    structure_id: str
    deposant_id: str
    deposant: str
    format: FormatFlux
    nom_fichier: str
    # SHA-256 of the file and of the ZIP of pièces (both kept in the blob store).
    fichier_sha256: str
    pieces_sha256: str | None
    envoi_direct: bool
    date_depot: datetime
    statut: StatutFlux = StatutFlux.IN_RECU
    total: int | None = None
    traites: int = 0
    integres: int = 0
    deja_integres: int = 0
    refuses: int = 0
    date_debut_traitement: datetime | None = None
    date_fin_traitement: datetime | None = None
    motif_rejet: str | None = None
    version: int = 0

    @property
    def termine(self) -> bool:
        return self.statut.termine

    @property
    def pourcentage(self) -> int:
        """How far the integration has gone, from 0 to 100 (100 once terminated)."""
        if self.statut.termine:
            return 100
        if not self.total:
            return 0
        return min(100, self.traites * 100 // self.total)

    def _exiger(self, *statuts: StatutFlux) -> None:
        if self.statut not in statuts:
            raise TransitionInvalide(
                f"Le flux n°{self.numero} est à l'état « {self.statut.libelle} » : cette "
                "étape de son traitement n'est pas possible."
            )

    def commencer(self, total: int, maintenant: datetime) -> Flux:
        """The file has been read and holds `total` mémoires: integration starts."""
        self._exiger(StatutFlux.IN_RECU)
        if total < 0:
            raise ValidationError("Le nombre de mémoires ne peut pas être négatif.", champ="total")
        return attrs.evolve(
            self,
            statut=StatutFlux.IN_EN_TRAITEMENT,
            total=total,
            date_debut_traitement=maintenant,
        )

    def avancer(self, resultats: Sequence[ResultatReference]) -> Flux:
        """Count the next mémoires of the file, handled in order from rank `traites` on."""
        self._exiger(StatutFlux.IN_EN_TRAITEMENT)
        assert self.total is not None  # set by commencer
        attendus = range(self.traites, self.traites + len(resultats))
        if [r.rang for r in resultats] != list(attendus) or attendus.stop > self.total:
            raise TransitionInvalide(
                f"Le flux n°{self.numero} reprend au mémoire de rang {self.traites} : ces "
                "résultats ne le suivent pas."
            )
        compte = dict.fromkeys(IssueReference, 0)
        for resultat in resultats:
            compte[resultat.issue] += 1
        return attrs.evolve(
            self,
            traites=attendus.stop,
            integres=self.integres + compte[IssueReference.INTEGRE],
            deja_integres=self.deja_integres + compte[IssueReference.DEJA_INTEGRE],
            refuses=self.refuses + compte[IssueReference.REFUSE],
        )

    def terminer(self, maintenant: datetime) -> Flux:
        """Every mémoire has been handled: the flux is integrated (wholly or in part), or
        rejected when none of it could be."""
        self._exiger(StatutFlux.IN_EN_TRAITEMENT)
        if self.total is None or self.traites != self.total:
            raise TransitionInvalide(
                f"Le flux n°{self.numero} n'a pas fini d'être traité "
                f"({self.traites} mémoires sur {self.total})."
            )
        acceptes = self.integres + self.deja_integres
        motif: str | None = None
        if self.total == 0:
            statut, motif = StatutFlux.IN_REJETE, MOTIF_FLUX_VIDE
        elif self.refuses == 0:
            statut = StatutFlux.IN_INTEGRE
        elif acceptes == 0:
            statut, motif = StatutFlux.IN_REJETE, MOTIF_TOUT_REFUSE
        else:
            statut = StatutFlux.IN_INTEGRE_PARTIEL
        return attrs.evolve(self, statut=statut, motif_rejet=motif, date_fin_traitement=maintenant)

    def rejeter(self, motif: str, maintenant: datetime) -> Flux:
        """Reject the whole file (it cannot be read): nothing of it was integrated."""
        self._exiger(StatutFlux.IN_RECU, StatutFlux.IN_EN_TRAITEMENT)
        if self.traites:
            raise TransitionInvalide(
                f"Le flux n°{self.numero} est en partie intégré : il ne peut plus être rejeté."
            )
        return attrs.evolve(
            self,
            statut=StatutFlux.IN_REJETE,
            motif_rejet=motif,
            date_debut_traitement=self.date_debut_traitement or maintenant,
            date_fin_traitement=maintenant,
        )


@attrs.frozen
class ReferenceIntegree:
    """The registry's entry of a reference a structure's flux integrated: what it held
    (`empreinte`, see `conversion.empreinte_memoire`) and the mémoire it became, so that a
    file deposited again integrates nothing twice."""

    structure_id: str
    reference: str
    empreinte: str
    memoire_id: str
    numero_memoire: str
    flux_numero: str
