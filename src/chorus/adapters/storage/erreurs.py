"""What a storage adapter raises when the store itself cannot be used."""

from __future__ import annotations


class StockageInutilisable(Exception):
    """The store cannot be opened or read: a corrupt or foreign file, a newer schema, a
    folder that is not a Chorus store. The message, in French, says what was found and
    what to do; the composition root shows it instead of a traceback."""
