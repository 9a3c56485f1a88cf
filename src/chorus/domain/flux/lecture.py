"""What a flux reader hands over: the mémoires of a file as read, values still text.

A reader (JSON, XML, CSV) knows the file's syntax and nothing of the rules: it gives each
mémoire its rank in the file, where it was found (`position`: « ligne 12 » of a CSV,
``memoires[3]`` of a JSON document, ``/flux/memoire[4]`` of an XML one) and every value as
the text it read, or None where the file has none. The conversion into domain objects,
which knows the rules, names each error with that position and the field.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from chorus.domain.errors import DomainError


@attrs.frozen
class ErreurFlux:
    """One error of a mémoire of a flux: where in the file (`ligne`, as the API names it:
    a CSV row « ligne 12 », a JSON path ``memoires[3].lignes[0]``, an XML path
    ``/flux/memoire[4]/ligne[1]``), the field at fault (None when none is) and why."""

    ligne: str
    champ: str | None
    message: str


@attrs.frozen
class LigneLue:
    """A line of prestation as read: field name → text (None when absent or empty)."""

    position: str
    valeurs: Mapping[str, str | None]
    # (libellé, montant) of each frais divers, in the file's order.
    frais_divers: tuple[tuple[str | None, str | None], ...] = ()


@attrs.frozen
class PieceLue:
    """A pièce announced by the flux: the name of its file inside the ZIP beside it."""

    position: str
    fichier: str | None
    type_piece: str | None
    designation: str | None = None
    # The rank (from 1) of the line of this mémoire the pièce belongs to, as text.
    numero_ligne: str | None = None


@attrs.frozen
class MemoireLue:
    """A mémoire as read from the flux.

    `rang` is its index in the file (from 0): the order of integration and of the report.
    `entete` maps the documented en-tête fields to their text. `erreurs` are what the
    reader itself found wrong (an unknown field, a value of the wrong kind, CSV rows of one
    reference that disagree on the en-tête): a mémoire with any is refused whole.
    """

    rang: int
    position: str
    reference: str | None
    entete: Mapping[str, str | None]
    lignes: tuple[LigneLue, ...] = ()
    pieces: tuple[PieceLue, ...] = ()
    erreurs: tuple[ErreurFlux, ...] = ()


class FichierIllisible(DomainError):
    """The file cannot be read at all (not JSON/XML/CSV, wrong encoding, not the documented
    root, a ZIP that is not one): the flux is rejected as a whole, with this message."""
