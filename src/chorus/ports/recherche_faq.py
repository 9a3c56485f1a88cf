"""What the assistant needs: its knowledge (the FAQ and the guide) and a full-text search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import attrs

from chorus.domain.faq import BaseFaq, DocumentFaq

# How much a term found in each field of an entry counts, relative to the answer's text:
# the question says what the entry is about, the other phrasings and keywords nearly as
# much, the answer only in passing. Both search adapters apply these.
POIDS_QUESTION = 4.0
POIDS_FORMULATIONS = 2.5
POIDS_REPONSE = 1.0


_TERME = re.compile(r"[a-z0-9]+")


def termes_cherchables(termes: Sequence[str]) -> tuple[str, ...]:
    """The distinct terms of `termes` an index can hold (lower-case ASCII letters and
    digits, as the analysis makes them), in order of first appearance."""
    return tuple(dict.fromkeys(t for t in termes if _TERME.fullmatch(t)))


@attrs.frozen
class Trouvaille:
    """An entry found, with its relevance (higher is better; comparable within one index)."""

    id: str
    score: float


class RechercheFaq(Protocol):
    """A full-text index of the FAQ's entries, already analysed into terms.

    Ranking is Okapi BM25 as SQLite's FTS5 computes it (k1 = 1.2, b = 0.75, the IDF of each
    term floored at 1e-6, a row's length the sum of its fields' lengths), the frequency of a
    term in an entry being the sum over the fields of its occurrences times the field's
    weight (`POIDS_QUESTION`, `POIDS_FORMULATIONS`, `POIDS_REPONSE`). Every adapter gives
    the same scores for the same documents and terms."""

    def indexer(self, documents: Sequence[DocumentFaq]) -> None:
        """Replace the whole index by `documents` (safe to call again, from any thread)."""
        ...

    def rechercher(self, termes: Sequence[str], limite: int) -> list[Trouvaille]:
        """The at most `limite` entries holding at least one of `termes`, best first (ties
        by id); an empty list for no terms or an empty index. Terms are what the analysis
        makes (`termes_cherchables`: lower-case ASCII letters and digits); anything else
        matches nothing and is never read as a query syntax."""
        ...


class SourceFaq(Protocol):
    """Where the FAQ and the guide come from (shipped with the package)."""

    def base(self) -> BaseFaq:
        """The FAQ and the guide, checked; the same value on every call of one process."""
        ...
