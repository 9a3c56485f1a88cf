"""The machine's services the core needs: time, identifiers, number sequences, file contents."""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
    metadata points to is harmless. The retention purge deletes those of the mémoires it
    removes once nothing refers to them any more (`supprimer`).
    """

    def deposer(self, contenu: bytes) -> str:
        """Store `contenu` and return its hex SHA-256; a content already stored is only
        marked as deposited now (see `supprimer`)."""
        ...

    def lire(self, sha256: str) -> bytes:
        """The content of that address; `NonTrouve` if none is stored."""
        ...

    def existe(self, sha256: str) -> bool: ...

    def taille(self, sha256: str) -> int | None:
        """The size in bytes of the content stored at that address; None if there is none."""
        ...

    def supprimer(self, sha256: str, *, delai_de_grace: timedelta) -> int | None:
        """Delete a content nothing refers to any more; the bytes freed, or None when
        nothing was deleted: none was stored, or it was deposited (again) less than
        `delai_de_grace` ago, as the store's own clock counts.

        Why the grace: an upload deposits its content before its unit of work commits, and
        depositing a content already stored only refreshes it. A content the purge found
        unreferenced may thus be about to be referenced by a concurrent upload of the same
        bytes. The store makes « deposited lately? » and the deletion one step against
        `deposer`: an upload either refreshes the content before that step (it is kept)
        or finds it gone after it (and stores it anew).
        """
        ...
