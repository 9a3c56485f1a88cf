"""Migration of the dépôts flux (filled by the flux work)."""

from __future__ import annotations

INSTRUCTIONS: tuple[str, ...] = ()
