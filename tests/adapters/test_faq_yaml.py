"""The assistant's FAQ and guide as shipped, and the strict checks of their files: a fault
is a packaging error naming the file and the entry to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from chorus.adapters.referentiels.faq_yaml import FaqDuPaquet, lire_base
from chorus.domain.analyse_texte import plier
from chorus.domain.faq import GuideInvalide, decouper_page
from chorus.domain.statuts import StatutMemoire
from chorus.domain.tic.statuts import StatutDemandeTic

PAGE = """\
# Le guide

Introduction.

## Première section {#premiere}

Texte.

```
## Pas une section (dans un bloc de code)
```

## Seconde section {#seconde}

Autre texte.
"""

ENTREE = """\
entrees:
  - id: une-entree
    question: Une question ?
    formulations: [une autre façon de la poser]
    reponse: >-
      Une réponse
      sur deux lignes.
    liens: [guide/guide#premiere]
"""


def _racine(tmp_path: Path, faq: str = ENTREE, page: str = PAGE) -> Path:
    (tmp_path / "faq").mkdir()
    (tmp_path / "guide").mkdir()
    (tmp_path / "faq" / "a.yaml").write_text(faq, encoding="utf-8")
    (tmp_path / "guide" / "guide.md").write_text(page, encoding="utf-8")
    return tmp_path


def test_la_faq_livree_couvre_le_portail() -> None:
    base = FaqDuPaquet().base()
    assert len(base.entrees) >= 45
    assert [p.nom for p in base.guide] == [
        "compte",
        "structures",
        "memoires",
        "suivi",
        "tic",
        "support",
    ]
    for entree in base.entrees:
        assert 1 <= len(entree.liens) <= 2
        assert all(base.resoudre(lien) is not None for lien in entree.liens)
    # Every status a user can meet is explained somewhere.
    texte = plier(" ".join(e.reponse for e in base.entrees))
    for statut in (*StatutMemoire, *StatutDemandeTic):
        assert plier(statut.libelle) in texte, statut
    for statut_ticket in ("ouvert", "en cours", "action requise", "resolu", "cloture"):
        assert statut_ticket in texte


def test_une_page_et_ses_sections(tmp_path: Path) -> None:
    base = lire_base(_racine(tmp_path))
    page = base.guide[0]
    assert (page.nom, page.titre) == ("guide", "Le guide")
    assert [(s.ancre, s.titre) for s in page.sections] == [
        ("premiere", "Première section"),
        ("seconde", "Seconde section"),
    ]
    assert page.sections[0].markdown.startswith("## Première section\n")
    assert "## Pas une section" in page.sections[0].markdown
    assert "{#" not in page.markdown
    (entree,) = base.entrees
    assert entree.reponse == "Une réponse sur deux lignes."
    assert str(entree.liens[0]) == "guide/guide#premiere"


@pytest.mark.parametrize(
    ("faq", "attendu"),
    [
        (ENTREE.replace("    question: Une question ?\n", ""), "lacks question"),
        (ENTREE.replace("liens:", "source: x\n    liens:"), "unknown fields source"),
        (ENTREE.replace("question: Une question ?", "question: ''"), "question must be"),
        (ENTREE.replace("[une autre façon de la poser]", "[]"), "formulations"),
        (ENTREE.replace("guide/guide#premiere", "guide/guide#absente"), "dead link"),
        (ENTREE.replace("guide/guide#premiere", "guide/absente#premiere"), "dead link"),
        (ENTREE.replace("guide/guide#premiere", "http://ailleurs"), "guide/<page>#<ancre>"),
        (ENTREE.replace("[guide/guide#premiere]", "[]"), "liens"),
        (ENTREE + ENTREE.removeprefix("entrees:\n"), "used twice"),
        (ENTREE.replace("id: une-entree", "id: Une Entrée"), "lower-case words"),
        ("entrees: []\n", "non-empty list"),
        ("autre: 1\n", "exactly one key"),
        ("entrees: [\n", "not YAML"),
    ],
)
def test_une_faq_fautive_est_une_erreur_de_paquet(tmp_path: Path, faq: str, attendu: str) -> None:
    with pytest.raises(GuideInvalide, match=r"une-entree|faq/a\.yaml") as erreur:
        lire_base(_racine(tmp_path, faq=faq))
    assert attendu in str(erreur.value)


@pytest.mark.parametrize(
    ("page", "attendu"),
    [
        (PAGE.replace("{#seconde}", ""), "needs an anchor"),
        (PAGE.replace("{#seconde}", "{#premiere}"), "used twice"),
        (PAGE.replace("{#seconde}", "{#Seconde Section}"), "needs an anchor"),
        (PAGE.replace("# Le guide\n", "Pas de titre\n"), "title"),
        ("# Titre seul\n\nRien.\n", "no section"),
    ],
)
def test_une_page_fautive_est_une_erreur_de_paquet(page: str, attendu: str) -> None:
    with pytest.raises(GuideInvalide, match=attendu):
        decouper_page("guide", page)


def test_un_dossier_manquant(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    with pytest.raises(GuideInvalide, match="guide/ is missing"):
        lire_base(tmp_path)
