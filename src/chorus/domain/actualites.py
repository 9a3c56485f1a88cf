"""Actualités: the dated news items of the portal, shown to everyone, newest first.

An item is written once by an administrator and never changed afterwards: what the users
read on a given day stays what was published (the portal keeps no « edited » versions).
Its body is Markdown, kept as typed; turning it into HTML or terminal text, safely, is the
adapters' business.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.errors import ValidationError
from chorus.domain.textes import texte_obligatoire

TITRE_MAXIMUM = 200
CORPS_MAXIMUM = 20_000
AUTEUR_MAXIMUM = 200

_MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@attrs.frozen
class Actualite:
    """One news item: `corps` is Markdown; `auteur` is how the publisher is named (a
    person's name, or the portal's team for an item published from the console)."""

    id: str
    titre: str
    corps: str
    date_publication: datetime
    auteur: str
    version: int = 0

    @staticmethod
    def publier(
        *,
        id: str,
        titre: object,
        corps: object,
        date_publication: datetime,
        auteur: object,
    ) -> Actualite:
        """A new item, each field checked: a one-line title of at most `TITRE_MAXIMUM`
        characters, a body of at most `CORPS_MAXIMUM`, neither blank."""
        if date_publication.tzinfo is None or date_publication.utcoffset() is None:
            # An instant without its offset cannot be placed among the others.
            raise ValidationError(
                "La date de publication doit préciser son fuseau horaire.",
                champ="date_publication",
            )
        return Actualite(
            id=id,
            titre=_titre(titre),
            corps=_corps(corps),
            date_publication=date_publication,
            auteur=texte_obligatoire(auteur, "auteur", maximum=AUTEUR_MAXIMUM),
        )

    @property
    def jour_de_publication(self) -> str:
        """The day it was published in Paris, in words: « 20 octobre 2017 » (« 1er » for
        the first of a month)."""
        jour = jour_a_paris(self.date_publication)
        quantieme = "1er" if jour.day == 1 else str(jour.day)
        return f"{quantieme} {_MOIS[jour.month - 1]} {jour.year}"

    @property
    def mention_de_publication(self) -> str:
        """How the portal dates an item: « Actualité publiée le 20 octobre 2017 »."""
        return f"Actualité publiée le {self.jour_de_publication}"


def _titre(valeur: object) -> str:
    titre = texte_obligatoire(valeur, "titre", maximum=TITRE_MAXIMUM)
    if "\n" in titre or "\t" in titre:
        raise ValidationError(
            "Le titre tient sur une seule ligne (ni retour à la ligne ni tabulation).",
            champ="titre",
        )
    return titre


def _corps(valeur: object) -> str:
    if isinstance(valeur, str):
        # A file written on Windows ends its lines with CR LF: the same text, not a control
        # character to refuse.
        valeur = valeur.replace("\r\n", "\n").replace("\r", "\n")
    return texte_obligatoire(valeur, "corps", maximum=CORPS_MAXIMUM)
