"""Bodies of the dépôt flux: a deposited flux with its progress, and its report (one entry
per mémoire of the file: the number it was given, or every error with its position in the
file and its field)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import msgspec

from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.domain.flux.flux import (
    Flux,
    FormatFlux,
    IssueReference,
    ResultatReference,
    StatutFlux,
)
from chorus.domain.flux.lecture import ErreurFlux
from chorus.ports.requetes import Page


class ErreurFluxSortie(msgspec.Struct, frozen=True):
    """Where in the file (`ligne`: « ligne 12 » of a CSV, ``memoires[3].lignes[0]`` of a
    JSON document, ``/flux/memoire[4]/ligne[1]`` of an XML one), the field at fault (none
    for an error of the mémoire as a whole) and why."""

    ligne: str
    champ: str | None
    message: str


class ResultatSortie(msgspec.Struct, frozen=True):
    """What became of the mémoire of rank `rang` (from 0, file order): INTEGRE (its number
    given), DEJA_INTEGRE (the same content deposited before: its number, nothing written)
    or REFUSE (every error found; nothing of it stored)."""

    rang: int
    reference: str | None
    issue: IssueReference
    libelle_issue: str
    numero_memoire: str | None
    memoire_id: str | None
    erreurs: list[ErreurFluxSortie]


class ResumeFluxSortie(msgspec.Struct, frozen=True):
    """A flux and where its integration stands (`traites` of `total` mémoires handled;
    `total` is unknown until the file has been read)."""

    numero_flux: str
    statut: StatutFlux
    libelle_statut: str
    structure_id: str
    format: FormatFlux
    nom_fichier: str
    envoi_direct: bool
    deposant: str
    date_depot: datetime
    date_debut_traitement: datetime | None
    date_fin_traitement: datetime | None
    total: int | None
    traites: int
    integres: int
    deja_integres: int
    refuses: int
    motif_rejet: str | None


class FluxSortie(ResumeFluxSortie, frozen=True):
    """A flux with its report, in file order (as far as the integration has gone)."""

    rapport: list[ResultatSortie]


# -- conversions --------------------------------------------------------------------------


def erreur_sortie(erreur: ErreurFlux) -> ErreurFluxSortie:
    return ErreurFluxSortie(ligne=erreur.ligne, champ=erreur.champ, message=erreur.message)


def resultat_sortie(resultat: ResultatReference) -> ResultatSortie:
    return ResultatSortie(
        rang=resultat.rang,
        reference=resultat.reference,
        issue=resultat.issue,
        libelle_issue=resultat.issue.libelle,
        numero_memoire=resultat.numero_memoire,
        memoire_id=resultat.memoire_id,
        erreurs=[erreur_sortie(e) for e in resultat.erreurs],
    )


def resume_flux_sortie(flux: Flux) -> ResumeFluxSortie:
    return ResumeFluxSortie(
        numero_flux=flux.numero,
        statut=flux.statut,
        libelle_statut=flux.statut.libelle,
        structure_id=flux.structure_id,
        format=flux.format,
        nom_fichier=flux.nom_fichier,
        envoi_direct=flux.envoi_direct,
        deposant=flux.deposant,
        date_depot=flux.date_depot,
        date_debut_traitement=flux.date_debut_traitement,
        date_fin_traitement=flux.date_fin_traitement,
        total=flux.total,
        traites=flux.traites,
        integres=flux.integres,
        deja_integres=flux.deja_integres,
        refuses=flux.refuses,
        motif_rejet=flux.motif_rejet,
    )


def flux_sortie(flux: Flux, rapport: Sequence[ResultatReference]) -> FluxSortie:
    resume = resume_flux_sortie(flux)
    return FluxSortie(
        **{champ: getattr(resume, champ) for champ in resume.__struct_fields__},
        rapport=[resultat_sortie(r) for r in rapport],
    )


def page_flux(page: Page[Flux]) -> PageDe[ResumeFluxSortie]:
    return page_de(page, resume_flux_sortie)


# -- the report as CSV ---------------------------------------------------------------------

ENTETE_RAPPORT = (
    "Rang",
    "Référence",
    "Résultat",
    "Numéro du mémoire",
    "Position",
    "Champ",
    "Message",
)
"""One row per error of a refused mémoire, one row per integrated one (its number)."""


def lignes_rapport(
    rapport: Sequence[ResultatReference],
) -> Iterator[tuple[int, str | None, str, str | None, str | None, str | None, str | None]]:
    """The rows of the report's CSV, in file order; `rang` counted from 1 as people do."""
    for resultat in rapport:
        if not resultat.erreurs:
            yield (
                resultat.rang + 1,
                resultat.reference,
                resultat.issue.libelle,
                resultat.numero_memoire,
                None,
                None,
                None,
            )
            continue
        for erreur in resultat.erreurs:
            yield (
                resultat.rang + 1,
                resultat.reference,
                resultat.issue.libelle,
                resultat.numero_memoire,
                erreur.ligne,
                erreur.champ,
                erreur.message,
            )
