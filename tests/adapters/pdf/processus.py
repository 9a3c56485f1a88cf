"""A fresh Python process from the project's root: what a first start or another machine
sees (nothing imported yet, nothing cached)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

RACINE = Path(__file__).resolve().parents[3]


def python_neuf(*arguments: str, environnement: Mapping[str, str] | None = None) -> str:
    """Run ``python ARGUMENTS`` (with these environment variables too) and return what it
    printed; fails with its errors."""
    sortie = subprocess.run(
        [sys.executable, *arguments],
        cwd=RACINE,
        env={**os.environ, **(environnement or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert sortie.returncode == 0, sortie.stderr
    return sortie.stdout
