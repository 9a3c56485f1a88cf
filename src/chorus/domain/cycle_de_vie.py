"""The cycle-de-vie feed: the status events of a structure's mémoires, for the structures
that asked for it (« Recevoir les cycles de vie », an option of their Frais de justice
espace), read in the order the portal recorded them, page after page, with a cursor.

The events are those of the activity feed (`chorus.domain.activite`) about mémoires: each
status a mémoire reached beyond the draft. The store gives every event a rank when it
records it (`EvenementActivite.rang`), strictly increasing in commit order, so a reader
that asks for the events ranked after the last one it received never misses one committed
since, nor receives one twice, whatever is written between its pages. A mémoire purged by
the retention (DESIGN 3.4) takes its events with it: the others keep their ranks.

The cursor is an opaque string to its reader: it names the structure and the rank of the
last event received, so that a cursor of one structure is refused for another.
"""

from __future__ import annotations

import base64
import binascii
import re

import attrs

from chorus.domain.activite import EvenementActivite
from chorus.domain.errors import Conflit, ValidationError
from chorus.domain.organisation import Structure

LIMITE_PAR_DEFAUT = 100
"""Events per page when the reader does not say."""
LIMITE_MAXIMUM = 1000
"""The most events one page holds."""

_PREFIXE = "cdv1"
_CURSEUR = re.compile(r"[A-Za-z0-9_-]{1,400}")


def curseur(structure_id: str, rang: int) -> str:
    """The cursor that resumes the feed of `structure_id` after the event ranked `rang` (0:
    from the start)."""
    texte = f"{_PREFIXE}:{rang}:{structure_id}"
    return base64.urlsafe_b64encode(texte.encode("utf-8")).decode("ascii").rstrip("=")


def _mal_forme() -> ValidationError:
    return ValidationError(
        "Ce curseur n'est pas reconnu : reprenez celui de la dernière réponse (champ "
        "« curseur »), ou omettez-le pour lire le cycle de vie depuis le début.",
        champ="apres",
    )


def rang_du_curseur(structure_id: str, valeur: str | None) -> int:
    """The rank a cursor of `structure_id` stands for; None or empty: 0, the start.
    `ValidationError` on `apres` for anything that is not such a cursor."""
    if valeur is None or not valeur.strip():
        return 0
    brut = valeur.strip()
    if not _CURSEUR.fullmatch(brut):
        raise _mal_forme()
    try:
        texte = base64.urlsafe_b64decode(brut + "=" * (-len(brut) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        raise _mal_forme() from None
    prefixe, _, reste = texte.partition(":")
    rang_texte, _, structure = reste.partition(":")
    if prefixe != _PREFIXE or not rang_texte.isascii() or not rang_texte.isdigit():
        raise _mal_forme()
    # A forged rank beyond SQLite's integers would overflow the query: never given.
    if len(rang_texte) > 19 or int(rang_texte) > 2**63 - 1:
        raise _mal_forme()
    if structure != structure_id:
        raise ValidationError(
            "Ce curseur a été donné pour le cycle de vie d'une autre structure : reprenez "
            "celui de la dernière réponse pour cette structure.",
            champ="apres",
        )
    return int(rang_texte)


def valider_limite(limite: int) -> int:
    """The page size asked for, between 1 and `LIMITE_MAXIMUM`."""
    if not 1 <= limite <= LIMITE_MAXIMUM:
        raise ValidationError(
            f"La limite doit être comprise entre 1 et {LIMITE_MAXIMUM} événements.",
            champ="limite",
        )
    return limite


def exiger_abonnement(structure: Structure) -> None:
    """Refuse (`Conflit`) the feed of a structure that did not ask for it, saying how to."""
    if not structure.recoit_cycles_de_vie:
        raise Conflit(
            "Cette structure ne reçoit pas les cycles de vie de ses mémoires : un "
            "gestionnaire de la structure doit d'abord activer l'option « Recevoir les "
            f"cycles de vie » (PATCH /api/v1/structures/{structure.id} avec "
            '{"recevoir_cycles_de_vie": true}, ou l\'onglet « Espaces » de la structure).',
            champ="recevoir_cycles_de_vie",
        )


@attrs.frozen
class PageCycleDeVie:
    """One page of the feed: its events in rank order, each with its `rang`, and the cursor
    to ask for the next page with (the one given when nothing new was recorded)."""

    structure_id: str
    evenements: tuple[EvenementActivite, ...]
    curseur: str

    @property
    def vide(self) -> bool:
        return not self.evenements

    def curseur_de(self, evenement: EvenementActivite) -> str:
        """The cursor that resumes the feed right after `evenement`."""
        return curseur(self.structure_id, evenement.rang or 0)


def page(
    structure_id: str, apres: int, evenements: tuple[EvenementActivite, ...]
) -> PageCycleDeVie:
    """The page of `evenements` read after rank `apres`: its cursor is the last event's, or
    `apres`'s when there is none."""
    dernier = evenements[-1].rang if evenements else None
    return PageCycleDeVie(
        structure_id=structure_id,
        evenements=evenements,
        curseur=curseur(structure_id, apres if dernier is None else dernier),
    )
