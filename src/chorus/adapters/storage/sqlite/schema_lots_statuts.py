"""Migration of the batches of back-office status events (filled by that work)."""

from __future__ import annotations

INSTRUCTIONS: tuple[str, ...] = ()
