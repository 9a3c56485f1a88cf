"""Forms of the terminal UI: a labelled field with its error line, and how a refusal of the
domain is shown next to the field it names (nothing typed is ever cleared by a refusal)."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from chorus.domain.errors import DomainError


def ident(champ: str) -> str:
    """A field name of the domain (``lignes[0].quantite``) as a Textual id fragment."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", champ)


def id_champ(champ: str) -> str:
    return f"champ-{ident(champ)}"


def id_erreur(champ: str) -> str:
    return f"erreur-{ident(champ)}"


class Champ(Vertical):
    """A label, the input widget (its id derived from the domain's field name) and the line
    where a refusal naming that field is written."""

    DEFAULT_CSS = """
    Champ { height: auto; margin: 0 0 0 0; }
    Champ > Label { color: $text-muted; }
    """

    def __init__(
        self, libelle: str, champ: str, widget: Widget, *, obligatoire: bool = False
    ) -> None:
        super().__init__(classes="champ")
        widget.id = id_champ(champ)
        self._libelle = f"{libelle} *" if obligatoire else libelle
        self._champ = champ
        self._widget = widget

    def compose(self) -> ComposeResult:
        yield Label(self._libelle)
        yield self._widget
        yield Static("", id=id_erreur(self._champ), classes="erreur")


class ErreurGenerale(Static):
    """Where a refusal that names no field of the form is written."""

    def __init__(self) -> None:
        super().__init__("", classes="erreur erreur-generale")


def effacer_erreurs(conteneur: Widget) -> None:
    for zone in conteneur.query(".erreur"):
        if isinstance(zone, Static):
            zone.update("")
            zone.remove_class("visible")
    for saisie in conteneur.query(".invalide"):
        saisie.remove_class("invalide")


def montrer_erreur(conteneur: Widget, erreur: DomainError) -> None:
    """Write each field error of `erreur` under its field in `conteneur`, the rest in the
    form's general error line; focus the first faulty field."""
    effacer_erreurs(conteneur)
    restes: list[str] = []
    premier: Widget | None = None
    for faute in erreur.erreurs:
        try:
            zone = conteneur.query_one(f"#{id_erreur(faute.champ)}", Static)
        except NoMatches:
            restes.append(faute.message)
            continue
        zone.update(faute.message)
        zone.add_class("visible")
        try:
            saisie = conteneur.query_one(f"#{id_champ(faute.champ)}")
        except NoMatches:
            continue
        saisie.add_class("invalide")
        premier = premier or saisie
    if not erreur.erreurs:
        restes.append(erreur.message)
    generales = list(conteneur.query(ErreurGenerale))
    if restes and generales:
        generales[0].update("\n".join(dict.fromkeys(restes)))
        generales[0].add_class("visible")
    elif restes:
        conteneur.notify("\n".join(dict.fromkeys(restes)), severity="error", timeout=8)
    if premier is not None and premier.focusable:
        premier.focus()


def valeur(conteneur: Widget, champ: str) -> str:
    """The text of the `Input` for `champ`."""
    return conteneur.query_one(f"#{id_champ(champ)}", Input).value
