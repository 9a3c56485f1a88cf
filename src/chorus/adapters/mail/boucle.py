"""A background thread that delivers the outbox every few seconds."""

from __future__ import annotations

import logging
from collections.abc import Callable

from chorus.adapters.boucle import BoucleDeFond
from chorus.services.courriels import BilanDEnvoi

journal = logging.getLogger(__name__)


class BoucleDEnvoi(BoucleDeFond):
    """Calls `distribuer` at once, then every `intervalle` seconds, in a daemon thread.

    `reveiller` asks for a pass now (an email was just queued); a pass whose batch was full
    (`BilanDEnvoi.lot_complet`) is followed by another straight away. A pass that raises is
    logged and the loop goes on: a storage or network hiccup must not stop the mail for
    good. `arreter` waits for the pass under way, runs a last one (so that what was queued
    just before shutdown leaves), and joins the thread.
    """

    NOM = "chorus-envoi-courriels"
    PASSE_FINALE = True
    ARRET_EN_RETARD = "La boucle d'envoi des courriels ne s'est pas arrêtée à temps."

    def __init__(self, distribuer: Callable[[], object], intervalle: float = 2.0) -> None:
        super().__init__(intervalle)
        self._distribuer = distribuer

    def _passe(self) -> bool:
        """One delivery pass; true when more may be waiting right now."""
        try:
            bilan = self._distribuer()
        except Exception:
            journal.exception("Échec d'une passe d'envoi des courriels ; nouvel essai plus tard.")
            return False
        return isinstance(bilan, BilanDEnvoi) and bilan.lot_complet
