"""Dates as French law and the portal count them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

FUSEAU_PORTAIL = ZoneInfo("Europe/Paris")


def ajouter_annees(jour: date, annees: int) -> date:
    """The same day `annees` years later; a 29 February falls on the 28th (as art. 641 of the
    code de procédure civile counts a delay expressed in years)."""
    annee = jour.year + annees
    # Past the calendar's end it stays on its last day, which no real deadline reaches.
    if annee > date.max.year:
        return date.max
    if annee < date.min.year:
        return date.min
    try:
        return jour.replace(year=annee)
    except ValueError:
        return jour.replace(year=annee, day=28)


def jour_a_paris(instant: datetime) -> date:
    """The calendar day an aware instant falls on in metropolitan France."""
    return instant.astimezone(FUSEAU_PORTAIL).date()
