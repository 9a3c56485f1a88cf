"""What a storage adapter raises when the store itself cannot be used, or is misused."""

from __future__ import annotations


class StockageInutilisable(Exception):
    """The store cannot be opened or read: a corrupt or foreign file, a newer schema, a
    folder that is not a Chorus store. The message, in French, says what was found and
    what to do; the composition root shows it instead of a traceback."""


class LectureSeule(RuntimeError):
    """A write or a commit inside `UnitOfWork.lecture()`: a bug of the caller, never caused
    by what a user sent (hence not a `DomainError`, and no French message)."""
