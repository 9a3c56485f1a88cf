from __future__ import annotations

from pathlib import Path

import pytest

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.ports.documents import DocumentRenderer
from tests.doubles import RenduSommaire
from tests.monde import Monde, construire_monde

# Where a test marked `tous_stockages` runs its world: the fast fake and the real database.
STOCKAGES_DU_MONDE = ("memoire", "sqlite")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "monde" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "tous_stockages"
    ):
        metafunc.parametrize(
            "monde", STOCKAGES_DU_MONDE, indirect=True, ids=lambda s: f"stockage={s}"
        )


@pytest.fixture
def documents() -> DocumentRenderer:
    """How the world renders its PDF documents: without layout, fast, unless a module whose
    subject is the documents overrides this fixture with `RenduWeasyPrint`."""
    return RenduSommaire()


@pytest.fixture
def monde(request: pytest.FixtureRequest, tmp_path: Path, documents: DocumentRenderer) -> Monde:
    if getattr(request, "param", "memoire") == "sqlite":
        return construire_monde(
            UniteDeTravailSqlite(tmp_path / "chorus.db"),
            BlobsSurDisque(tmp_path / "pieces"),
            documents=documents,
        )
    return construire_monde(documents=documents)
