"""Markdown of the actualités, rendered safely: shared by the API (HTML) and the terminal UI
(Textual's `Markdown` widget takes `analyseur` as its parser).

What an administrator types is CommonMark, nothing more:
- raw HTML is never passed through: ``<script>``, ``<img onerror=…>`` or an HTML block come
  out as text (escaped);
- a link or autolink goes only to ``http:``, ``https:``, ``mailto:`` or a relative address;
  any other scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:``…), however it is
  disguised (entities, control characters, letter case), leaves the text as plain text;
- images are not rendered (no content fetched from elsewhere when a page is read): the
  syntax ``![texte](adresse)`` becomes a mere link, checked as any other;
- every link carries ``rel="nofollow noopener noreferrer"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

SCHEMAS_AUTORISES = frozenset({"http", "https", "mailto"})

# What a browser drops from an address before reading its scheme: ASCII whitespace and
# control characters (``java\tscript:`` is ``javascript:`` to it).
_IGNORES = re.compile(r"[\x00-\x20\x7f]+")
# A scheme: a letter, then letters, digits, « + », « - », « . », up to the first colon
# that comes before any « / », « ? » or « # ».
_SCHEMA = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_REL = "nofollow noopener noreferrer"


def lien_autorise(adresse: str) -> bool:
    """Whether a link may point to `adresse`: an allowed scheme, or none (relative)."""
    nettoyee = _IGNORES.sub("", adresse)
    schema = _SCHEMA.match(nettoyee)
    if schema is not None:
        return schema.group(1).lower() in SCHEMAS_AUTORISES
    # No scheme before the first « / », « ? » or « # »: a relative address — unless a
    # colon still comes first (« :x »), which some browsers read in their own ways.
    debut = re.split(r"[/?#]", nettoyee, maxsplit=1)[0]
    return ":" not in debut


class _AnalyseurSur(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return lien_autorise(url)


def analyseur() -> MarkdownIt:
    """A CommonMark parser with raw HTML off, images off and links restricted."""
    md = _AnalyseurSur("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.add_render_rule("link_open", _ouvrir_lien)
    return md


def _ouvrir_lien(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("rel", _REL)
    return self.renderToken(tokens, idx, options, env)


_ANALYSEUR = analyseur()


def en_html(markdown: str) -> str:
    """The HTML of `markdown`, safe to insert in a page as is."""
    rendu: Any = _ANALYSEUR.render(markdown)
    return str(rendu)
