"""Migration of the cycle-de-vie feed (filled by that work)."""

from __future__ import annotations

INSTRUCTIONS: tuple[str, ...] = ()
