from __future__ import annotations

from pathlib import Path

import pytest

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
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
def monde(request: pytest.FixtureRequest, tmp_path: Path) -> Monde:
    if getattr(request, "param", "memoire") == "sqlite":
        return construire_monde(
            UniteDeTravailSqlite(tmp_path / "chorus.db"), BlobsSurDisque(tmp_path / "pieces")
        )
    return construire_monde()
