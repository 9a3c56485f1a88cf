"""The FAQ search contract, held by the SQLite FTS5 adapter and its pure-Python twin: the
same ranking and the same BM25 scores (FTS5's formula, field weights included) for the same
documents and terms, whatever the terms hold."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

import pytest

from chorus.adapters.recherche.fts5 import RechercheFaqFts5
from chorus.adapters.recherche.memoire import RechercheFaqEnMemoire
from chorus.adapters.referentiels.faq_yaml import FaqDuPaquet
from chorus.domain.analyse_texte import termes
from chorus.domain.faq import DocumentFaq
from chorus.ports.recherche_faq import (
    POIDS_FORMULATIONS,
    POIDS_QUESTION,
    POIDS_REPONSE,
    RechercheFaq,
    Trouvaille,
)

RECHERCHES: dict[str, Callable[[], RechercheFaq]] = {
    "fts5": RechercheFaqFts5,
    "memoire": RechercheFaqEnMemoire,
}


@pytest.fixture(params=list(RECHERCHES), ids=lambda nom: f"recherche={nom}")
def recherche(request: pytest.FixtureRequest) -> RechercheFaq:
    return RECHERCHES[request.param]()


def _doc(id_: str, question: str, formulations: str = "", reponse: str = "") -> DocumentFaq:
    return DocumentFaq(
        id=id_,
        question=tuple(termes(question)),
        formulations=tuple(termes(formulations)),
        reponse=tuple(termes(reponse)),
    )


DOCUMENTS = [
    _doc("mdp", "Mot de passe oublié", "réinitialiser", "Un lien valable 60 minutes."),
    _doc("activation", "Activer le compte", "courriel d'activation", "Le lien du courriel."),
    _doc("refus", "Mémoire refusé", "motif de refus", "Dupliquer ou abandonner le mémoire."),
    _doc("paiement", "Mémoire payé", "virement", "Le comptable met le mémoire en paiement."),
    _doc("tic", "Taux TIC", "gazole non routier", "Le taux dépend de l'année."),
    _doc("vide", "Liste fiscale"),
]


def _bm25(documents: list[DocumentFaq], cherches: list[str]) -> dict[str, float]:
    """FTS5's bm25(), written out: the reference every adapter must give."""
    total = len(documents)
    longueurs = {d.id: len(d.question) + len(d.formulations) + len(d.reponse) for d in documents}
    moyenne = sum(longueurs.values()) / total
    scores: dict[str, float] = {}
    for terme in dict.fromkeys(cherches):
        n = sum(terme in d.tous for d in documents)
        idf = max(math.log((total - n + 0.5) / (n + 0.5)), 0) or 1e-6
        for d in documents:
            f = (
                POIDS_QUESTION * d.question.count(terme)
                + POIDS_FORMULATIONS * d.formulations.count(terme)
                + POIDS_REPONSE * d.reponse.count(terme)
            )
            if f:
                normalise = 1 - 0.75 + 0.75 * longueurs[d.id] / moyenne
                scores[d.id] = scores.get(d.id, 0.0) + idf * f * 2.2 / (f + 1.2 * normalise)
    return scores


@pytest.mark.parametrize(
    "cherches",
    [["pass"], ["memoir", "refus"], ["memoir"], ["courriel", "lien"], ["tic", "taux", "gazol"]],
)
def test_les_scores_sont_ceux_de_bm25_et_le_rang_suit_les_scores(
    recherche: RechercheFaq, cherches: list[str]
) -> None:
    recherche.indexer(DOCUMENTS)
    trouvees = recherche.rechercher(cherches, 10)
    attendus = _bm25(DOCUMENTS, cherches)
    assert {t.id for t in trouvees} == set(attendus)
    for trouvaille in trouvees:
        assert trouvaille.score == pytest.approx(attendus[trouvaille.id], rel=1e-9, abs=1e-12)
    assert trouvees == sorted(trouvees, key=lambda t: (-t.score, t.id))


def test_un_terme_de_la_question_compte_plus_que_dans_la_reponse(
    recherche: RechercheFaq,
) -> None:
    recherche.indexer(
        [
            _doc("dans-la-question", "Certificat de dépôt", reponse="Un document."),
            _doc("dans-la-reponse", "Un document", reponse="Le certificat de dépôt."),
            _doc("ailleurs", "Autre chose"),
        ]
    )
    ids = [t.id for t in recherche.rechercher(["certificat"], 5)]
    assert ids == ["dans-la-question", "dans-la-reponse"]


def test_limite_termes_absents_et_index_vide(recherche: RechercheFaq) -> None:
    assert recherche.rechercher(["memoir"], 5) == []
    recherche.indexer(DOCUMENTS)
    assert len(recherche.rechercher(["memoir", "pass", "tic"], 2)) == 2
    assert recherche.rechercher(["memoir"], 0) == []
    assert recherche.rechercher([], 5) == []
    assert recherche.rechercher(["inexistant"], 5) == []


@pytest.mark.parametrize(
    "hostiles",
    [['"'], ["NOT"], ["memoir*"], ["question:memoir"], ["a OR b"], ["(", ")"], ["é"], [""]],
)
def test_un_terme_n_est_jamais_lu_comme_une_syntaxe(
    recherche: RechercheFaq, hostiles: list[str]
) -> None:
    recherche.indexer(DOCUMENTS)
    # Only what the analysis makes is searched: anything else finds nothing, never fails.
    assert recherche.rechercher(hostiles, 5) == []
    assert [t.id for t in recherche.rechercher([*hostiles, "tic"], 5)] == ["tic"]


def test_reindexer_remplace_tout(recherche: RechercheFaq) -> None:
    recherche.indexer(DOCUMENTS)
    recherche.indexer([_doc("seul", "Tickets du support")])
    assert recherche.rechercher(["memoir"], 5) == []
    assert [t.id for t in recherche.rechercher(["ticket"], 5)] == ["seul"]


def test_les_deux_adaptateurs_s_accordent_sur_la_vraie_faq() -> None:
    documents = [DocumentFaq.depuis(e) for e in FaqDuPaquet().base().entrees]
    fts5, memoire = RechercheFaqFts5(), RechercheFaqEnMemoire()
    fts5.indexer(documents)
    memoire.indexer(documents)
    for question in ("mot de passe oublié", "mémoire refusé dupliquer", "taux gazole 2019"):
        cherches = termes(question)
        a, b = fts5.rechercher(cherches, 20), memoire.rechercher(cherches, 20)
        assert [t.id for t in a] == [t.id for t in b]
        assert [t.score for t in a] == pytest.approx([t.score for t in b], rel=1e-9)


def test_recherches_concurrentes(recherche: RechercheFaq) -> None:
    recherche.indexer(DOCUMENTS)
    attendu = recherche.rechercher(["memoir", "refus"], 5)
    resultats: list[list[Trouvaille]] = []

    def chercher() -> None:
        for _ in range(50):
            resultats.append(recherche.rechercher(["memoir", "refus"], 5))
            recherche.indexer(DOCUMENTS)

    fils = [threading.Thread(target=chercher) for _ in range(4)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert len(resultats) == 200
    assert all(r == attendu for r in resultats)
