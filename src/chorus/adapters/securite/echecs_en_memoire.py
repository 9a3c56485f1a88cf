"""Failed logins of unknown addresses, counted in the process's memory."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime

from chorus.domain.utilisateur import DUREE_VERROUILLAGE, ECHECS_AVANT_VERROUILLAGE


class CompteurDEchecsEnMemoire:
    """Counts per key, with the same rule as `Utilisateur.connexion_echouee`; the oldest keys
    are forgotten beyond `capacite`, so that a flood of invented addresses cannot grow it
    without bound. Per process, like the rate limiter in front of it."""

    def __init__(self, capacite: int = 100_000) -> None:
        self._capacite = capacite
        self._etats: OrderedDict[str, tuple[int, datetime | None]] = OrderedDict()
        self._verrou = threading.Lock()

    def verrouille_jusqu_au(self, cle: str, maintenant: datetime) -> datetime | None:
        with self._verrou:
            _, fin = self._etats.get(cle, (0, None))
        return fin if fin is not None and maintenant < fin else None

    def echec(self, cle: str, maintenant: datetime) -> datetime | None:
        with self._verrou:
            echecs, fin = self._etats.pop(cle, (0, None))
            if fin is not None and maintenant >= fin:
                echecs, fin = 0, None
            echecs += 1
            if echecs >= ECHECS_AVANT_VERROUILLAGE:
                echecs, fin = 0, maintenant + DUREE_VERROUILLAGE
            self._etats[cle] = (echecs, fin)
            while len(self._etats) > self._capacite:
                self._etats.popitem(last=False)
        return fin if fin is not None and echecs == 0 and fin > maintenant else None
