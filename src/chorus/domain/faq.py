"""The assistant's knowledge: the FAQ entries and the user guide they point to.

The guide is Markdown, one page per file; a page starts with its title (``# Titre``) and is
cut into sections by second-level headings carrying a stable anchor::

    ## Envoyer un mémoire {#envoyer}

The anchor is what FAQ entries link to (``guide/memoires#envoyer``), so a section may be
renamed without breaking a link. `decouper_page` reads that format; what it hands out has the
``{#…}`` markers removed (they are the guide's addressing, not its text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from chorus.domain.analyse_texte import termes

_NOM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TITRE_PAGE = re.compile(r"#\s+(?P<titre>\S.*?)\s*")
_SECTION = re.compile(r"##\s+(?P<titre>\S.*?)\s+\{#(?P<ancre>[^}]*)\}\s*")
_MARQUE = re.compile(r"\s*\{#[^}]*\}[ \t]*$", re.MULTILINE)
_CLOTURE = re.compile(r"(```|~~~)")


class GuideInvalide(ValueError):
    """The shipped guide or FAQ breaks its format: a packaging error, in English, naming
    what to fix."""


def nom_valide(nom: str) -> bool:
    """True for a page name or an anchor: lower-case ASCII words joined by hyphens."""
    return _NOM.fullmatch(nom) is not None


@attrs.frozen
class SectionGuide:
    """A second-level section of a page: its anchor, its title and its Markdown (heading
    included)."""

    ancre: str
    titre: str
    markdown: str


@attrs.frozen
class PageGuide:
    """One page of the user guide."""

    nom: str
    titre: str
    markdown: str
    """The whole page, anchors markers removed."""
    sections: tuple[SectionGuide, ...]

    def section(self, ancre: str) -> SectionGuide | None:
        return next((s for s in self.sections if s.ancre == ancre), None)


def decouper_page(nom: str, texte: str) -> PageGuide:
    """The page `nom` of the guide from its Markdown `texte`; `GuideInvalide` when it has no
    title, a section without anchor, or the same anchor twice."""
    if not nom_valide(nom):
        raise GuideInvalide(f"guide page {nom!r}: a page name is lower-case words and hyphens")
    lignes = texte.splitlines()
    premiere = next((ligne for ligne in lignes if ligne.strip()), "")
    entete = _TITRE_PAGE.fullmatch(premiere.strip())
    if entete is None:
        raise GuideInvalide(f"guide page {nom!r}: the first line must be its title (# Titre)")
    sections: list[tuple[str, str, list[str]]] = []
    cloture: str | None = None
    for ligne in lignes:
        marque = _CLOTURE.match(ligne.lstrip())
        if marque is not None:
            cloture = None if cloture == marque.group(1) else (cloture or marque.group(1))
        if cloture is None and ligne.startswith("## "):
            section = _SECTION.fullmatch(ligne)
            if section is None or not nom_valide(section.group("ancre")):
                raise GuideInvalide(
                    f"guide page {nom!r}: the section {ligne!r} needs an anchor "
                    "(## Titre {#ancre}, lower-case words and hyphens)"
                )
            if any(s[0] == section.group("ancre") for s in sections):
                raise GuideInvalide(
                    f"guide page {nom!r}: the anchor {section.group('ancre')!r} is used twice"
                )
            sections.append((section.group("ancre"), section.group("titre"), []))
        if sections:
            sections[-1][2].append(ligne)
    if not sections:
        raise GuideInvalide(f"guide page {nom!r}: no section (## Titre {{#ancre}})")
    return PageGuide(
        nom=nom,
        titre=entete.group("titre"),
        markdown=_MARQUE.sub("", texte).strip() + "\n",
        sections=tuple(
            SectionGuide(
                ancre=ancre, titre=titre, markdown=_MARQUE.sub("", "\n".join(corps)).strip() + "\n"
            )
            for ancre, titre, corps in sections
        ),
    )


@attrs.frozen
class LienGuide:
    """A link of a FAQ entry to a section of the guide: ``guide/<page>#<ancre>``."""

    page: str
    ancre: str

    @staticmethod
    def lire(texte: str) -> LienGuide:
        """The link written `texte`; `GuideInvalide` when it is not ``guide/<page>#<ancre>``."""
        forme = re.fullmatch(r"guide/([^#/]+)#(.+)", texte)
        if forme is None or not (nom_valide(forme.group(1)) and nom_valide(forme.group(2))):
            raise GuideInvalide(f"link {texte!r} is not guide/<page>#<ancre>")
        return LienGuide(forme.group(1), forme.group(2))

    def __str__(self) -> str:
        return f"guide/{self.page}#{self.ancre}"


@attrs.frozen
class EntreeFaq:
    """One question of the FAQ and its answer, in French."""

    id: str
    question: str
    formulations: tuple[str, ...]
    """Other ways users ask it, and keywords."""
    reponse: str
    liens: tuple[LienGuide, ...]


@attrs.frozen
class DocumentFaq:
    """What the search indexes of an entry: the terms (see `analyse_texte.termes`) of its
    three fields, weighted differently by the search."""

    id: str
    question: tuple[str, ...]
    formulations: tuple[str, ...]
    reponse: tuple[str, ...]

    @staticmethod
    def depuis(entree: EntreeFaq) -> DocumentFaq:
        return DocumentFaq(
            id=entree.id,
            question=tuple(termes(entree.question)),
            formulations=tuple(t for f in entree.formulations for t in termes(f)),
            reponse=tuple(termes(entree.reponse)),
        )

    @property
    def tous(self) -> frozenset[str]:
        return frozenset((*self.question, *self.formulations, *self.reponse))


@attrs.frozen
class BaseFaq:
    """The FAQ and its guide, checked together: unique ids, every link resolving."""

    entrees: tuple[EntreeFaq, ...]
    guide: tuple[PageGuide, ...]

    def __attrs_post_init__(self) -> None:
        vus: set[str] = set()
        for entree in self.entrees:
            if not nom_valide(entree.id):
                raise GuideInvalide(f"FAQ id {entree.id!r}: lower-case words and hyphens")
            if entree.id in vus:
                raise GuideInvalide(f"FAQ id {entree.id!r} is used twice")
            vus.add(entree.id)
            for lien in entree.liens:
                if self.resoudre(lien) is None:
                    raise GuideInvalide(f"FAQ entry {entree.id!r}: dead link {lien}")
        pages = [p.nom for p in self.guide]
        if len(set(pages)) != len(pages):
            raise GuideInvalide("two guide pages have the same name")

    def page(self, nom: str) -> PageGuide | None:
        return next((p for p in self.guide if p.nom == nom), None)

    def resoudre(self, lien: LienGuide) -> SectionGuide | None:
        """The section `lien` points to, None when it points nowhere."""
        page = self.page(lien.page)
        return None if page is None else page.section(lien.ancre)

    def entree(self, id: str) -> EntreeFaq | None:
        return next((e for e in self.entrees if e.id == id), None)


def pages_triees(pages: Sequence[PageGuide], ordre: Sequence[str]) -> tuple[PageGuide, ...]:
    """`pages` in the order `ordre` names them, the others after in name order."""
    rang = {nom: i for i, nom in enumerate(ordre)}
    return tuple(sorted(pages, key=lambda p: (rang.get(p.nom, len(rang)), p.nom)))
