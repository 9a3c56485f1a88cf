"""Clocks: the system's, and a fixed one that tests and snapshots move by hand."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from chorus.domain.calendrier import jour_a_paris


class HorlogeSysteme:
    """The real time, in UTC; « today » is the day in Paris."""

    def maintenant(self) -> datetime:
        return datetime.now(UTC)

    def aujourdhui(self) -> date:
        return jour_a_paris(self.maintenant())


class HorlogeFixe:
    """A clock that stays where it is set; `avancer` moves it forward (thread-safe)."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("HorlogeFixe needs an aware datetime")
        self._instant = instant
        self._verrou = threading.Lock()

    def maintenant(self) -> datetime:
        with self._verrou:
            return self._instant

    def aujourdhui(self) -> date:
        return jour_a_paris(self.maintenant())

    def regler(self, instant: datetime) -> None:
        with self._verrou:
            self._instant = instant

    def avancer(self, duree: timedelta) -> None:
        with self._verrou:
            self._instant += duree
