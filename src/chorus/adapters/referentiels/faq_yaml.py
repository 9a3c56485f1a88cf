"""The assistant's FAQ (`chorus/data/faq/*.yaml`) and user guide (`chorus/data/guide/*.md`).

A FAQ file holds a list of entries::

    entrees:
      - id: activer-son-compte
        question: Comment activer mon compte ?
        formulations: [lien d'activation, je n'ai pas reçu le courriel d'activation]
        reponse: >-
          Le courriel d'activation ...
        liens: [guide/compte#activation]

Like the TIC barème, these files are packaging: they are checked strictly when first read
(an unknown or missing field, an empty text, an id used twice, a link to a section the guide
does not have) and a fault stops the application with the file and the entry to fix.
"""

from __future__ import annotations

import threading
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from chorus.domain.faq import (
    BaseFaq,
    EntreeFaq,
    GuideInvalide,
    LienGuide,
    decouper_page,
    nom_valide,
    pages_triees,
)

# The order in which the guide's pages are listed (the others follow by name).
ORDRE_DU_GUIDE = ("compte", "structures", "memoires", "suivi", "tic", "support")

# libyaml's safe loader when the system has it: ten times faster than the Python one.
_CHARGEUR: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CHAMPS = frozenset({"id", "question", "formulations", "reponse", "liens"})


class FaqDuPaquet:
    """The `SourceFaq` reading `chorus/data/faq` and `chorus/data/guide` (or the `faq` and
    `guide` folders of `racine`, for tests) once, on the first call."""

    def __init__(self, racine: Traversable | str | None = None) -> None:
        if racine is None:
            self._racine: Traversable = files("chorus.data")
        else:
            self._racine = Path(racine) if isinstance(racine, str) else racine
        self._verrou = threading.Lock()
        self._base: BaseFaq | None = None

    def base(self) -> BaseFaq:
        with self._verrou:
            if self._base is None:
                self._base = lire_base(self._racine)
            return self._base


def _fichiers(dossier: Traversable, suffixe: str) -> list[Traversable]:
    if not dossier.is_dir():
        raise GuideInvalide(f"{dossier.name}/ is missing from the package")
    return sorted(
        (f for f in dossier.iterdir() if f.is_file() and f.name.endswith(suffixe)),
        key=lambda f: f.name,
    )


def lire_base(racine: Traversable) -> BaseFaq:
    """The FAQ and guide of `racine` (which holds `faq/` and `guide/`), checked;
    `GuideInvalide` naming the file and the entry at fault."""
    pages = []
    for fichier in _fichiers(racine.joinpath("guide"), ".md"):
        pages.append(decouper_page(fichier.name.removesuffix(".md"), fichier.read_text("utf-8")))
    if not pages:
        raise GuideInvalide("guide/: no page")
    sections = {f"guide/{p.nom}#{s.ancre}" for p in pages for s in p.sections}
    entrees: list[EntreeFaq] = []
    origines: dict[str, str] = {}
    for fichier in _fichiers(racine.joinpath("faq"), ".yaml"):
        nom = f"faq/{fichier.name}"
        for entree in _entrees(fichier):
            ou = f"{nom}: entry {entree.id!r}"
            if not nom_valide(entree.id):
                raise GuideInvalide(f"{ou}: an id is lower-case words and hyphens")
            if entree.id in origines:
                raise GuideInvalide(f"{ou}: the id is used twice (also in {origines[entree.id]})")
            origines[entree.id] = nom
            for lien in entree.liens:
                if str(lien) not in sections:
                    raise GuideInvalide(f"{ou}: dead link {lien} (no such guide section)")
            entrees.append(entree)
    if not entrees:
        raise GuideInvalide("faq/: no entry")
    return BaseFaq(entrees=tuple(entrees), guide=pages_triees(pages, ORDRE_DU_GUIDE))


def _entrees(fichier: Traversable) -> list[EntreeFaq]:
    nom = f"faq/{fichier.name}"
    try:
        document = yaml.load(fichier.read_text("utf-8"), Loader=_CHARGEUR)
    except yaml.YAMLError as erreur:
        raise GuideInvalide(f"{nom}: not YAML ({erreur})") from erreur
    if not isinstance(document, dict) or set(document) != {"entrees"}:
        raise GuideInvalide(f"{nom}: the file must hold exactly one key, entrees")
    brutes = document["entrees"]
    if not isinstance(brutes, list) or not brutes:
        raise GuideInvalide(f"{nom}: entrees must be a non-empty list")
    return [_entree(nom, rang, brute) for rang, brute in enumerate(brutes)]


def _texte(nom: str, ou: str, valeur: Any) -> str:
    if not isinstance(valeur, str) or not valeur.strip():
        raise GuideInvalide(f"{nom}: {ou} must be a non-empty string")
    return " ".join(valeur.split())


def _entree(nom: str, rang: int, brute: Any) -> EntreeFaq:
    if not isinstance(brute, dict):
        raise GuideInvalide(f"{nom}: entry {rang} is not a mapping")
    ou = f"entry {brute.get('id', rang)!r}"
    manquants = _CHAMPS - set(brute)
    if manquants:
        raise GuideInvalide(f"{nom}: {ou} lacks {', '.join(sorted(manquants))}")
    inconnus = set(brute) - _CHAMPS
    if inconnus:
        raise GuideInvalide(f"{nom}: {ou} has unknown fields {', '.join(sorted(inconnus))}")
    formulations = brute["formulations"]
    if not isinstance(formulations, list) or not formulations:
        raise GuideInvalide(f"{nom}: {ou} formulations must be a non-empty list")
    liens = brute["liens"]
    if not isinstance(liens, list) or not 1 <= len(liens) <= 2:
        raise GuideInvalide(f"{nom}: {ou} liens must list one or two guide sections")
    try:
        return EntreeFaq(
            id=_texte(nom, f"{ou} id", brute["id"]),
            question=_texte(nom, f"{ou} question", brute["question"]),
            formulations=tuple(
                _texte(nom, f"{ou} formulations[{i}]", f) for i, f in enumerate(formulations)
            ),
            # The answer keeps its paragraphs: only each line's spaces are tidied.
            reponse=_paragraphes(nom, ou, brute["reponse"]),
            liens=tuple(LienGuide.lire(_texte(nom, f"{ou} liens", lien)) for lien in liens),
        )
    except GuideInvalide as erreur:
        raise GuideInvalide(f"{nom}: {ou}: {erreur}") from erreur


def _paragraphes(nom: str, ou: str, valeur: Any) -> str:
    texte = _texte(nom, f"{ou} reponse", valeur)
    assert isinstance(valeur, str)
    blocs = [" ".join(bloc.split()) for bloc in valeur.split("\n\n") if bloc.strip()]
    return "\n\n".join(blocs) or texte
