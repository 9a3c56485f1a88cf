"""The flux aggregate: its number, its status and its progress through integration.

A flux moves `IN_RECU` → `IN_EN_TRAITEMENT` → `IN_INTEGRE` | `IN_INTEGRE_PARTIEL` |
`IN_REJETE`. Its report is one `ResultatReference` per mémoire of the file, kept apart from
the flux (a flux may hold thousands) and written with the mémoires it reports on.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from chorus.domain.flux.lecture import ErreurFlux


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
