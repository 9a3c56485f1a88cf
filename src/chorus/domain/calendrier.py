"""Dates as French law and the portal count them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

FUSEAU_PORTAIL = ZoneInfo("Europe/Paris")


def ajouter_annees(jour: date, annees: int) -> date:
    """The same day `annees` years later; a 29 February falls on the 28th (as art. 641 of the
    code de procédure civile counts a delay expressed in years)."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


def jour_a_paris(instant: datetime) -> date:
    """The calendar day an aware instant falls on in metropolitan France."""
    return instant.astimezone(FUSEAU_PORTAIL).date()
