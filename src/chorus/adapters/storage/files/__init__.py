"""Files storage adapter (`fichiers://`): one JSON document per aggregate in a folder,
multi-file commits made atomic by a redo journal."""

from chorus.adapters.storage.files.unite import UniteDeTravailFichiers

__all__ = ["UniteDeTravailFichiers"]
