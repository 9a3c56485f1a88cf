from __future__ import annotations

import pytest

from tests.monde import Monde, construire_monde


@pytest.fixture
def monde() -> Monde:
    return construire_monde()
