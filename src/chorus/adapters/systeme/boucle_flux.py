"""The server's background integration of deposited flux, in a thread of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable

from chorus.adapters.boucle import BoucleDeFond
from chorus.domain.flux.flux import Flux

journal = logging.getLogger(__name__)

Traitement = Callable[[Callable[[Flux], None]], object]
"""Integrates every pending flux, calling the given function after each committed chunk
(`FluxService.traiter_en_attente` with its ``progression``)."""


class _ArretDemande(Exception):
    """Raised from the progress callback to leave an integration between two chunks."""


class BoucleDesFlux(BoucleDeFond):
    """Integrates the pending flux at once, then every `intervalle` seconds, in a daemon
    thread; `reveiller` asks for a pass now (a flux was just deposited).

    The first pass resumes any flux a killed process left ``IN_EN_TRAITEMENT``: what it had
    committed is kept, the integration goes on from there. A pass that raises is logged and
    the loop goes on (a storage hiccup must not stop the integrations for good).

    `arreter` does not wait for a long integration to end: the pass under way stops after
    its current chunk (each chunk is committed whole), and the next start resumes it.
    """

    NOM = "chorus-integration-flux"
    ARRET_EN_RETARD = "L'intégration des flux ne s'est pas arrêtée à temps."

    def __init__(self, traiter: Traitement, intervalle: float = 2.0) -> None:
        super().__init__(intervalle)
        self._traiter = traiter

    def _verifier_l_arret(self, _flux: Flux) -> None:
        if self._arret.is_set():
            raise _ArretDemande

    def _passe(self) -> bool:
        try:
            self._traiter(self._verifier_l_arret)
        except _ArretDemande:
            journal.info("Intégration des flux interrompue par l'arrêt ; reprise au démarrage.")
        except Exception:
            journal.exception("Échec d'une passe d'intégration des flux ; nouvel essai plus tard.")
        # A pass integrates every pending flux: what arrives meanwhile wakes the loop.
        return False
