"""Decoded aggregates kept between units of work, so that a hot one is decoded once.

Decoding a stored document into an aggregate (JSON, then the codec) costs far more than
reading the row: a large structure takes about 0.3 ms, a mémoire with its lines 0.25 ms.
Aggregates are frozen, so one decoded object can serve every thread of the process.

The cache never decides what is current: each read still fetches the row in its own
transaction, and the cache only answers « I already decoded exactly this ». An entry is
the object with the stored text it was decoded from (version, document, and for a mémoire
its lines); it is served only when the row just read carries that very text, and decoding
is a pure function of the text. Hence nothing can be served stale, whoever wrote and
whatever happened since: another process's commit, a write rolled back (its version
number reused by another content), a row deleted then added again under the same id. No
write path has to tell the cache anything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

_T = TypeVar("_T")

# Default bounds. Measured on the benchmark's data (object and kept text): a mémoire with
# its lines about 17 kB, a structure 5 kB (22 kB for the largest), a user or a jeton under
# 2 kB; full, the caches take about 90 MB, up to 130 MB with only large structures.
MEMOIRES_PAR_DEFAUT = 4096
STRUCTURES_PAR_DEFAUT = 2048
UTILISATEURS_PAR_DEFAUT = 4096
JETONS_PAR_DEFAUT = 4096


class CacheDeDecodage(Generic[_T]):
    """At most `capacite` decoded objects by id, the least recently used evicted first.

    Thread-safe: the lock covers only the dictionary's operations, never a decoding (two
    threads that miss the same entry both decode it, and either result is right). A
    capacity of 0 keeps nothing.
    """

    def __init__(self, capacite: int) -> None:
        if capacite < 0:
            raise ValueError(f"a cache's capacity cannot be negative, got {capacite}")
        self.capacite = capacite
        self._entrees: OrderedDict[str, tuple[Hashable, _T]] = OrderedDict()
        self._verrou = threading.Lock()

    def obtenir(self, cle: str, texte: Hashable, decoder: Callable[[], _T]) -> _T:
        """The object decoded from `texte` (what the row of id `cle` holds now): the cached
        one if it was decoded from an equal text, else `decoder()`, then kept."""
        with self._verrou:
            entree = self._entrees.get(cle)
            if entree is not None and entree[0] == texte:
                self._entrees.move_to_end(cle)
                return entree[1]
        objet = decoder()
        if self.capacite:
            with self._verrou:
                self._entrees[cle] = (texte, objet)
                self._entrees.move_to_end(cle)
                while len(self._entrees) > self.capacite:
                    self._entrees.popitem(last=False)
        return objet

    def vider(self) -> None:
        with self._verrou:
            self._entrees.clear()

    def __len__(self) -> int:
        with self._verrou:
            return len(self._entrees)

    def __contains__(self, cle: object) -> bool:
        with self._verrou:
            return cle in self._entrees
