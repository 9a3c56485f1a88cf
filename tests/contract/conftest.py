"""The storage adapters the contract runs over: one entry per adapter in `FABRIQUES`.

Each entry builds, in a fresh folder, a `Fabrique` that creates stores. A `Magasin` is one
store: the unit of work and blob store the test starts with, and `rouvrir()` /
`rouvrir_blobs()`, which open the *same* store again with new objects (another
connection, another process for a real database), so that a test proves what it wrote
survives the unit of work that wrote it.

To put a new adapter under contract, add one line to `FABRIQUES`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import attrs
import pytest

from chorus.adapters.storage.memory import BlobsEnMemoire, MemoireVive, UniteDeTravailEnMemoire
from chorus.ports.depots import UnitOfWork
from chorus.ports.systeme import BlobStore


@attrs.frozen
class Magasin:
    """One store under test."""

    uow: UnitOfWork
    blobs: BlobStore
    _rouvrir: Callable[[], UnitOfWork]
    _rouvrir_blobs: Callable[[], BlobStore]

    def rouvrir(self) -> UnitOfWork:
        """A new unit of work over the same stored data."""
        return self._rouvrir()

    def rouvrir_blobs(self) -> BlobStore:
        """A new blob store over the same stored contents."""
        return self._rouvrir_blobs()


class Fabrique(Protocol):
    nom: str

    def creer(self) -> Magasin:
        """A new, empty store."""
        ...


class FabriqueMemoire:
    nom = "memoire"

    def creer(self) -> Magasin:
        vive = MemoireVive()
        blobs = BlobsEnMemoire()
        return Magasin(
            uow=UniteDeTravailEnMemoire(vive),
            blobs=blobs,
            rouvrir=lambda: UniteDeTravailEnMemoire(vive),
            rouvrir_blobs=lambda: blobs,
        )


@attrs.frozen
class FabriqueSqlite:
    """Each store is a new database file; reopening means a new connection to it."""

    dossier: Path
    nom = "sqlite"

    def creer(self) -> Magasin:
        from chorus.adapters.storage.blobs import BlobsSurDisque
        from chorus.adapters.storage.sqlite import UniteDeTravailSqlite

        dossier = Path(tempfile.mkdtemp(dir=self.dossier))
        base = dossier / "chorus.db"
        return Magasin(
            uow=UniteDeTravailSqlite(base),
            blobs=BlobsSurDisque(dossier / "pieces"),
            rouvrir=lambda: UniteDeTravailSqlite(base),
            rouvrir_blobs=lambda: BlobsSurDisque(dossier / "pieces"),
        )


@attrs.frozen
class FabriqueFichiers:
    """Each store is a new folder of JSON documents; reopening reads it afresh."""

    dossier: Path
    nom = "fichiers"

    def creer(self) -> Magasin:
        from chorus.adapters.storage.blobs import BlobsSurDisque
        from chorus.adapters.storage.files import UniteDeTravailFichiers

        dossier = Path(tempfile.mkdtemp(dir=self.dossier)) / "chorus-fichiers"
        return Magasin(
            uow=UniteDeTravailFichiers(dossier),
            blobs=BlobsSurDisque(dossier / "pieces"),
            rouvrir=lambda: UniteDeTravailFichiers(dossier),
            rouvrir_blobs=lambda: BlobsSurDisque(dossier / "pieces"),
        )


# adapter name → how to build its fabrique in a fresh, empty folder
FABRIQUES: dict[str, Callable[[Path], Fabrique]] = {
    "memoire": lambda _dossier: FabriqueMemoire(),
    "sqlite": FabriqueSqlite,
    "fichiers": FabriqueFichiers,
}


@pytest.fixture(params=list(FABRIQUES), ids=lambda nom: f"stockage={nom}")
def fabrique(request: pytest.FixtureRequest, tmp_path: Path) -> Fabrique:
    construire: Callable[[Path], Fabrique] = FABRIQUES[request.param]
    return construire(tmp_path)


@pytest.fixture
def magasin(fabrique: Fabrique) -> Magasin:
    return fabrique.creer()
