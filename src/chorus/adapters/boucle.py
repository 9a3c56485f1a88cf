"""A background thread that runs a pass of work at once, then every few seconds or when
woken: the outbox's delivery, the hourly purge, the integration of deposited flux.

Shared by the adapters that drive such work (like the codec, it imports nothing of them):
each subclass says what a pass is (`_passe`, which returns true when more work is waiting
right now) and whether stopping runs one last pass (`PASSE_FINALE`).
"""

from __future__ import annotations

import abc
import logging
import threading

journal = logging.getLogger(__name__)


class BoucleDeFond(abc.ABC):
    """Calls `_passe` at once, then every `intervalle` seconds, in a daemon thread.

    `reveiller` asks for a pass now; a pass that says more is waiting is followed by another
    straight away. A pass must not raise (log and return instead): a storage or network
    hiccup must not stop the work for good. `arreter` sets `_arret`, wakes the thread and
    joins it; with `PASSE_FINALE` one last pass runs first.
    """

    NOM = "chorus-boucle"
    PASSE_FINALE = False
    ARRET_EN_RETARD = "Une boucle de fond ne s'est pas arrêtée à temps."

    def __init__(self, intervalle: float = 2.0) -> None:
        if intervalle <= 0:
            raise ValueError("intervalle must be positive")
        self.intervalle = intervalle
        self._reveil = threading.Event()
        self._arret = threading.Event()
        self._fil: threading.Thread | None = None
        self._verrou = threading.Lock()

    @property
    def en_marche(self) -> bool:
        return self._fil is not None and self._fil.is_alive()

    def demarrer(self) -> None:
        with self._verrou:
            if self._fil is not None:
                raise RuntimeError(f"{type(self).__name__} already started")
            self._arret.clear()
            self._fil = threading.Thread(target=self._tourner, name=self.NOM, daemon=True)
            self._fil.start()

    def reveiller(self) -> None:
        self._reveil.set()

    def arreter(self, delai: float | None = None) -> None:
        """Stop; waits at most `delai` seconds for the pass under way (forever if None).
        Does nothing if the loop is not running."""
        with self._verrou:
            fil, self._fil = self._fil, None
        if fil is None:
            return
        self._arret.set()
        self._reveil.set()
        fil.join(delai)
        if fil.is_alive():
            journal.warning(self.ARRET_EN_RETARD)

    def _tourner(self) -> None:
        while True:
            # Cleared before the pass: a wake-up asked during the pass is not lost.
            self._reveil.clear()
            dernier = self._arret.is_set()
            if dernier and not self.PASSE_FINALE:
                return
            encore = self._passe()
            if dernier:
                return
            if not encore:
                self._reveil.wait(self.intervalle)

    @abc.abstractmethod
    def _passe(self) -> bool:
        """One pass of work; true when more may be waiting right now."""
