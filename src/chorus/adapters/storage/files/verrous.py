"""The lock a unit of work holds for its whole duration, against threads and processes.

Other processes are kept out by an OS file lock (`filelock`, `flock` on Unix: released by
the kernel when a process dies, so a crash never leaves the store locked). Threads of this
process queue on a plain `threading.Lock` first: it wakes a waiter at once, where the file
lock would make it poll, and it lets us refuse a thread that already holds the folder
instead of letting it wait for itself forever.

There is one `VerrouDeDossier` per folder and process, shared by every unit of work on that
folder, so that two units of work of one process on the same store exclude each other
exactly as two processes do.
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path

from filelock import FileLock, Timeout

from chorus.adapters.storage.erreurs import StockageInutilisable

# How often a process waiting for another one's unit of work retries, in seconds.
_ATTENTE_ENTRE_ESSAIS = 0.005

# How long a unit of work waits for the store before saying it is busy, in seconds: far
# above any unit of work, so that only a stuck process makes the others give up.
ATTENTE_MAXIMALE = 30.0


class VerrouDeDossier:
    """Mutual exclusion over one store folder, for every thread of every process."""

    def __init__(self, fichier: Path) -> None:
        self._fils = threading.Lock()
        self._detenteur: int | None = None
        # Shared between threads (thread_local=False): only the holder of `_fils` uses it.
        self._fichier = FileLock(fichier, thread_local=False, poll_interval=_ATTENTE_ENTRE_ESSAIS)

    def acquerir(self) -> None:
        if self._detenteur == threading.get_ident():
            raise RuntimeError("unit of work entered twice in the same thread")
        if not self._fils.acquire(timeout=ATTENTE_MAXIMALE):
            raise self._occupe()
        try:
            self._fichier.acquire(timeout=ATTENTE_MAXIMALE)
        except Timeout:
            self._fils.release()
            raise self._occupe() from None
        except BaseException:
            self._fils.release()
            raise
        self._detenteur = threading.get_ident()

    def _occupe(self) -> StockageInutilisable:
        return StockageInutilisable(
            f"Le stockage « {Path(self._fichier.lock_file).parent} » est resté occupé par une "
            f"autre opération plus de {ATTENTE_MAXIMALE:.0f} secondes : réessayez dans un "
            "instant ; si cela dure, un processus Chorus est peut-être bloqué."
        )

    def relacher(self) -> None:
        self._detenteur = None
        try:
            self._fichier.release()
        finally:
            self._fils.release()


_VERROUS: weakref.WeakValueDictionary[str, VerrouDeDossier] = weakref.WeakValueDictionary()
_REGISTRE = threading.Lock()


def verrou_du_dossier(dossier: Path, nom_du_fichier: str) -> VerrouDeDossier:
    """This process's lock over `dossier` (which must exist), the same for every caller."""
    cle = os.path.realpath(dossier)
    with _REGISTRE:
        verrou = _VERROUS.get(cle)
        if verrou is None:
            verrou = VerrouDeDossier(Path(cle) / nom_du_fichier)
            _VERROUS[cle] = verrou
        return verrou
