"""Retention: what is sent stays viewable and downloadable for ten years from its
transmission, and is never deleted earlier; drafts are never deleted silently.

The purge job itself (which removes what these rules allow and says what it removed) and the
notice sent to the owners of forgotten drafts are built on these two rules.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from chorus.domain.calendrier import ajouter_annees, jour_a_paris
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire

DUREE_DE_CONSERVATION_ANNEES = 10


def fin_de_conservation(memoire: Memoire) -> date | None:
    """The last day a sent mémoire must still be kept (ten years after its transmission,
    day for day in Paris); None for a draft, which was never transmitted."""
    if memoire.date_depot is None:
        return None
    return ajouter_annees(jour_a_paris(memoire.date_depot), DUREE_DE_CONSERVATION_ANNEES)


def peut_etre_purge(memoire: Memoire, aujourdhui: date) -> bool:
    """Whether the retention of a sent mémoire has run out (from the day after its last
    day). A draft is never purged by this rule: it belongs to its owner."""
    fin = fin_de_conservation(memoire)
    return fin is not None and aujourdhui > fin


def brouillon_oublie(memoire: Memoire, maintenant: datetime, delai: timedelta) -> bool:
    """Whether a draft has been left untouched for `delai`: its owner is told, nothing
    is deleted."""
    return (
        memoire.statut is StatutMemoire.BROUILLON
        and maintenant - memoire.date_modification >= delai
    )
