"""A background thread that delivers the outbox every few seconds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from chorus.services.courriels import BilanDEnvoi

journal = logging.getLogger(__name__)


class BoucleDEnvoi:
    """Calls `distribuer` at once, then every `intervalle` seconds, in a daemon thread.

    `reveiller` asks for a pass now (an email was just queued); a pass whose batch was full
    (`BilanDEnvoi.lot_complet`) is followed by another straight away. A pass that raises is
    logged and the loop goes on: a storage or network hiccup must not stop the mail for
    good. `arreter` waits for the pass under way, runs a last one (so that what was queued
    just before shutdown leaves), and joins the thread.
    """

    def __init__(self, distribuer: Callable[[], object], intervalle: float = 2.0) -> None:
        if intervalle <= 0:
            raise ValueError("intervalle must be positive")
        self._distribuer = distribuer
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
                raise RuntimeError("BoucleDEnvoi already started")
            self._arret.clear()
            self._fil = threading.Thread(
                target=self._tourner, name="chorus-envoi-courriels", daemon=True
            )
            self._fil.start()

    def reveiller(self) -> None:
        self._reveil.set()

    def arreter(self, delai: float | None = None) -> None:
        """Stop after a last pass; waits at most `delai` seconds for it (forever if None).
        Does nothing if the loop is not running."""
        with self._verrou:
            fil, self._fil = self._fil, None
        if fil is None:
            return
        self._arret.set()
        self._reveil.set()
        fil.join(delai)
        if fil.is_alive():
            journal.warning("La boucle d'envoi des courriels ne s'est pas arrêtée à temps.")

    def _tourner(self) -> None:
        while True:
            # Cleared before the pass: a wake-up asked during the pass is not lost.
            self._reveil.clear()
            dernier = self._arret.is_set()
            encore = self._passe()
            if dernier:
                return
            if not encore:
                self._reveil.wait(self.intervalle)

    def _passe(self) -> bool:
        """One delivery pass; true when more may be waiting right now."""
        try:
            bilan = self._distribuer()
        except Exception:
            journal.exception("Échec d'une passe d'envoi des courriels ; nouvel essai plus tard.")
            return False
        return isinstance(bilan, BilanDEnvoi) and bilan.lot_complet
