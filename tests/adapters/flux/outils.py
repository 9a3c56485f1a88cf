"""What the flux reader tests share: the published files and a comparable form of a read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

from chorus.domain.flux.lecture import MemoireLue


def donnee(nom: str) -> bytes:
    """A file published in the package beside the formats (`chorus/data/flux/`)."""
    return files("chorus.data.flux").joinpath(nom).read_bytes()


_DATE_FRANCAISE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_DECIMAL_A_VIRGULE = re.compile(r"^-?\d+,\d+$")


def iso(valeur: str | None) -> str | None:
    """The ISO spelling of what a CSV may write the French way (01/03/2026, 12,50): the
    readers keep the text as written, the conversion reads both."""
    if valeur is None:
        return None
    if date := _DATE_FRANCAISE.match(valeur):
        return f"{date[3]}-{date[2]}-{date[1]}"
    if _DECIMAL_A_VIRGULE.match(valeur):
        return valeur.replace(",", ".")
    return valeur


def contenu(memoires: Sequence[MemoireLue]) -> list[dict[str, Any]]:
    """What the mémoires say, positions left aside (each format names them its own way),
    values in their ISO spelling, pièces in a stable order."""
    return [
        {
            "rang": m.rang,
            "reference": m.reference,
            "entete": {k: iso(v) for k, v in m.entete.items()},
            "lignes": [
                (
                    {k: iso(v) for k, v in ligne.valeurs.items()},
                    [(libelle, iso(montant)) for libelle, montant in ligne.frais_divers],
                )
                for ligne in m.lignes
            ],
            "pieces": sorted(
                (p.fichier or "", p.type_piece, p.designation, p.numero_ligne) for p in m.pieces
            ),
            "erreurs": list(m.erreurs),
        }
        for m in memoires
    ]
