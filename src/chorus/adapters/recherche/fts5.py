"""The FAQ search on SQLite FTS5: an in-process ``:memory:`` database built from the FAQ.

The entries arrive already analysed (folded, stemmed, synonyms applied: see
`chorus.domain.analyse_texte`), so FTS5's tokenizer (``unicode61 remove_diacritics 2``) only
splits them on spaces; ranking is FTS5's own ``bm25()`` with one weight per field.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from chorus.domain.faq import DocumentFaq
from chorus.ports.recherche_faq import (
    POIDS_FORMULATIONS,
    POIDS_QUESTION,
    POIDS_REPONSE,
    Trouvaille,
    termes_cherchables,
)

_CREATION = (
    "CREATE VIRTUAL TABLE faq USING fts5("
    "id UNINDEXED, question, formulations, reponse, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
_RECHERCHE = (
    "SELECT id, bm25(faq, 0.0, ?, ?, ?) AS rang FROM faq WHERE faq MATCH ? "
    "ORDER BY rang, id LIMIT ?"
)


def _expression(termes: Sequence[str]) -> str:
    """An FTS5 query matching any of `termes`, each quoted as a string (a term is never
    read as FTS5 syntax: ``NOT``, ``*``, a column filter…)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in termes)


class RechercheFaqFts5:
    """The `RechercheFaq` on an FTS5 table in a private in-memory SQLite database, shared by
    the threads of the process under a lock (a search takes well under a millisecond)."""

    def __init__(self) -> None:
        self._verrou = threading.Lock()
        # Opened by the first indexing: every wiring of the use cases makes one of these, and
        # most never answer a question.
        self._base: sqlite3.Connection | None = None

    def indexer(self, documents: Sequence[DocumentFaq]) -> None:
        lignes = [
            (d.id, " ".join(d.question), " ".join(d.formulations), " ".join(d.reponse))
            for d in documents
        ]
        with self._verrou:
            if self._base is None:
                self._base = sqlite3.connect(
                    ":memory:", check_same_thread=False, isolation_level=None
                )
                self._base.execute(_CREATION)
            self._base.execute("BEGIN")
            try:
                self._base.execute("DELETE FROM faq")
                self._base.executemany(
                    "INSERT INTO faq (id, question, formulations, reponse) VALUES (?, ?, ?, ?)",
                    lignes,
                )
            except BaseException:
                self._base.execute("ROLLBACK")
                raise
            self._base.execute("COMMIT")

    def rechercher(self, termes: Sequence[str], limite: int) -> list[Trouvaille]:
        distincts = termes_cherchables(termes)
        if not distincts or limite <= 0:
            return []
        with self._verrou:
            if self._base is None:
                return []
            lignes = self._base.execute(
                _RECHERCHE,
                (POIDS_QUESTION, POIDS_FORMULATIONS, POIDS_REPONSE, _expression(distincts), limite),
            ).fetchall()
        # bm25() is negative, lower being better: the port's scores are higher-is-better.
        return [Trouvaille(str(id_), -float(rang)) for id_, rang in lignes]
