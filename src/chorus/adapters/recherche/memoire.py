"""The FAQ search in pure Python: FTS5's BM25, computed the same way over dictionaries."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence

import attrs

from chorus.domain.faq import DocumentFaq
from chorus.ports.recherche_faq import (
    POIDS_FORMULATIONS,
    POIDS_QUESTION,
    POIDS_REPONSE,
    Trouvaille,
    termes_cherchables,
)

K1 = 1.2
B = 0.75
IDF_MINIMUM = 1e-6


@attrs.frozen
class _Ligne:
    id: str
    frequences: tuple[Counter[str], Counter[str], Counter[str]]
    longueur: int


@attrs.frozen
class _Index:
    lignes: tuple[_Ligne, ...]
    moyenne: float
    """Average length of a row (FTS5's avgdl)."""
    presences: Counter[str]
    """In how many rows each term occurs."""


_VIDE = _Index(lignes=(), moyenne=0.0, presences=Counter())


class RechercheFaqEnMemoire:
    """The `RechercheFaq` on dictionaries: the reference semantics of the FTS5 adapter."""

    def __init__(self) -> None:
        self._verrou = threading.Lock()
        self._index = _VIDE

    def indexer(self, documents: Sequence[DocumentFaq]) -> None:
        lignes = tuple(
            _Ligne(
                id=d.id,
                frequences=(Counter(d.question), Counter(d.formulations), Counter(d.reponse)),
                longueur=len(d.question) + len(d.formulations) + len(d.reponse),
            )
            for d in documents
        )
        presences: Counter[str] = Counter()
        for ligne in lignes:
            presences.update(set().union(*ligne.frequences))
        moyenne = sum(ligne.longueur for ligne in lignes) / len(lignes) if lignes else 0.0
        with self._verrou:
            self._index = _Index(lignes=lignes, moyenne=moyenne, presences=presences)

    def rechercher(self, termes: Sequence[str], limite: int) -> list[Trouvaille]:
        index = self._index
        distincts = termes_cherchables(termes)
        if not distincts or not index.lignes or limite <= 0:
            return []
        total = len(index.lignes)
        idf = {}
        for terme in distincts:
            n = index.presences.get(terme, 0)
            valeur = math.log((total - n + 0.5) / (n + 0.5))
            idf[terme] = valeur if valeur > 0 else IDF_MINIMUM
        poids = (POIDS_QUESTION, POIDS_FORMULATIONS, POIDS_REPONSE)
        trouvailles = []
        for ligne in index.lignes:
            score = 0.0
            trouve = False
            for terme in distincts:
                frequence = sum(p * f[terme] for p, f in zip(poids, ligne.frequences, strict=True))
                if not any(f[terme] for f in ligne.frequences):
                    continue
                trouve = True
                normalise = 1 - B + B * ligne.longueur / index.moyenne
                score += idf[terme] * (frequence * (K1 + 1)) / (frequence + K1 * normalise)
            if trouve:
                trouvailles.append(Trouvaille(ligne.id, score))
        trouvailles.sort(key=lambda t: (-t.score, t.id))
        return trouvailles[:limite]
