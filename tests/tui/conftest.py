from __future__ import annotations

import pytest

# The storage of the terminal's journeys: the one `chorus tui` runs on. The storages' own
# behaviour is the contract suite's and the service tests' subject; these tests are about the
# screens, so each journey runs once, on SQLite (running it again on memory storage doubled
# the time of the TUI tests and checked nothing more of the screens).
STOCKAGE_DES_ECRANS = "sqlite"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ecrans_sur_sqlite: the `monde` fixture builds the world on SQLite (unless the test is"
        " marked `tous_stockages`, which runs it on every storage)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    definition = metafunc.definition
    if (
        "monde" in metafunc.fixturenames
        and definition.get_closest_marker("ecrans_sur_sqlite")
        and not definition.get_closest_marker("tous_stockages")
    ):
        metafunc.parametrize(
            "monde", [STOCKAGE_DES_ECRANS], indirect=True, ids=lambda s: f"stockage={s}"
        )


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"
