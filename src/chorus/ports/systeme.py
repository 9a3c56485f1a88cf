"""The machine's services the core needs: time, identifiers, number sequences, file contents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol


class Clock(Protocol):
    """The current time; the domain never reads the system clock itself."""

    def maintenant(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...

    def aujourdhui(self) -> date:
        """Today's date in metropolitan France (Europe/Paris)."""
        ...


class IdGenerator(Protocol):
    """Fresh identifiers for new objects (random in production, predictable in tests)."""

    def nouveau(self) -> str: ...


class BlobStore(Protocol):
    """File contents (pièces jointes), addressed by their SHA-256 and stored once.

    Contents are written before the unit of work that references them commits; a content no
    metadata points to is harmless and may be collected later.
    """

    def deposer(self, contenu: bytes) -> str:
        """Store `contenu` (idempotent) and return its hex SHA-256."""
        ...

    def lire(self, sha256: str) -> bytes:
        """The content of that address; `NonTrouve` if none is stored."""
        ...

    def existe(self, sha256: str) -> bool: ...
