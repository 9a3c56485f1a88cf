"""Let pytest explain failed assertions of the shared checks, as it does in test modules."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("tests.fiabilite.commun")
