"""Identifier generators: random UUIDs in production, a predictable counter in tests."""

from __future__ import annotations

import itertools
import threading
import uuid


class IdsAleatoires:
    def nouveau(self) -> str:
        return uuid.uuid4().hex


class IdsSequentiels:
    """``id-000001``, ``id-000002``…: stable identifiers for snapshots and demos."""

    def __init__(self, prefixe: str = "id") -> None:
        self._prefixe = prefixe
        self._compteur = itertools.count(1)
        self._verrou = threading.Lock()

    def nouveau(self) -> str:
        with self._verrou:
            return f"{self._prefixe}-{next(self._compteur):06d}"
