"""In-memory storage adapter (`memory://`)."""

from chorus.adapters.storage.memory.stockage import (
    BlobsEnMemoire,
    MemoireVive,
    UniteDeTravailEnMemoire,
)

__all__ = ["BlobsEnMemoire", "MemoireVive", "UniteDeTravailEnMemoire"]
