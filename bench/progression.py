"""A progress bar (rich's when it is installed, plain lines otherwise) and timing helpers."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Self

try:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
except ImportError:  # pragma: no cover - rich comes with the dev tools
    Progress = None  # type: ignore[assignment,misc]
    TaskID = int  # type: ignore[assignment,misc]


def chrono() -> float:
    """A monotonic clock for durations (seconds)."""
    return time.perf_counter()


class Barre:
    """``with Barre("Génération", total) as barre: barre.avancer(n)``."""

    def __init__(self, description: str, total: int) -> None:
        self.description = description
        self.total = total
        self.fait = 0
        self._debut = chrono()
        self._dernier_affichage = -1
        self._progress: Progress | None = None
        self._tache: TaskID | None = None

    def __enter__(self) -> Self:
        if Progress is not None and sys.stdout.isatty():
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("reste"),
                TimeRemainingColumn(),
            )
            self._progress.start()
            self._tache = self._progress.add_task(self.description, total=self.total)
        return self

    def avancer(self, n: int) -> None:
        self.fait += n
        if self._progress is not None and self._tache is not None:
            self._progress.update(self._tache, advance=n)
            return
        # Without a terminal (make, CI logs): one line every 10 %.
        dixiemes = self.fait * 10 // max(self.total, 1)
        if dixiemes != self._dernier_affichage:
            self._dernier_affichage = dixiemes
            ecoule = chrono() - self._debut
            print(
                f"  {self.description} : {self.fait:,}/{self.total:,} ({ecoule:.0f} s)".replace(
                    ",", "\u202f"
                ),
                flush=True,
            )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
