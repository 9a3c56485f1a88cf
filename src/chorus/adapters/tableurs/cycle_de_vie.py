"""The file export of a structure's cycle-de-vie feed, shared by the HTTP API, the command
line and the terminal UI.

Two formats: a French CSV (as every export of the portal: see `csv_francais`) and JSON
lines (one event per line, the fields of ``GET /structures/{id}/cycle-de-vie``, amounts as
strings). Every row carries its own cursor: the last row's is where the next export
resumes (``apres``), so an export cut short loses nothing either. The pages are fetched one
at a time, each through the use case, and written as they come.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Iterator
from typing import Any

from chorus.adapters.tableurs.csv_francais import Cellule, encoder
from chorus.domain.activite import EvenementActivite
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.cycle_de_vie import PageCycleDeVie


class FormatCycleDeVie(enum.Enum):
    CSV = "csv"
    JSON = "json"

    @property
    def media_type(self) -> str:
        return "text/csv" if self is FormatCycleDeVie.CSV else "application/x-ndjson"

    @property
    def extension(self) -> str:
        return "csv" if self is FormatCycleDeVie.CSV else "jsonl"


ENTETE_CYCLE_DE_VIE = (
    "Curseur",
    "Numéro du mémoire",
    "Identifiant du mémoire",
    "Statut",
    "Libellé du statut",
    "Date",
    "Motif",
    "Montant",
    "Service",
)


def donnees_evenement(curseur: str, evenement: EvenementActivite) -> dict[str, Any]:
    """One event as the API and the JSON lines give it."""
    return {
        "curseur": curseur,
        "numero_memoire": evenement.numero,
        "memoire_id": evenement.objet_id,
        "statut": evenement.statut,
        "libelle_statut": evenement.libelle_statut,
        "date": evenement.date.isoformat(),
        "motif": evenement.motif,
        "montant": None if evenement.montant is None else format(evenement.montant, "f"),
        "service_id": evenement.service_id,
    }


def _ligne_csv(curseur: str, evenement: EvenementActivite) -> tuple[Cellule, ...]:
    # The time matters in a life cycle: the instant in Paris, to the second.
    instant = evenement.date.astimezone(FUSEAU_PORTAIL).strftime("%d/%m/%Y %H:%M:%S")
    return (
        curseur,
        evenement.numero,
        evenement.objet_id,
        evenement.statut,
        evenement.libelle_statut,
        instant,
        evenement.motif,
        evenement.montant,
        evenement.service_id,
    )


class Export:
    """The chunks of an export file, and once they are all written, the cursor to resume
    from (the last event's, or the one the export started from when nothing was new)."""

    def __init__(self, pages: Iterator[PageCycleDeVie], format_: FormatCycleDeVie) -> None:
        self._pages = pages
        self.format = format_
        self.curseur: str | None = None
        self.nombre = 0

    def _evenements(self) -> Iterator[tuple[str, EvenementActivite]]:
        for page in self._pages:
            self.curseur = page.curseur
            for evenement in page.evenements:
                self.nombre += 1
                yield page.curseur_de(evenement), evenement

    def morceaux(self) -> Iterator[bytes]:
        if self.format is FormatCycleDeVie.CSV:
            return encoder(ENTETE_CYCLE_DE_VIE, (_ligne_csv(c, e) for c, e in self._evenements()))
        return _lignes_json(self._evenements())


def _lignes_json(evenements: Iterable[tuple[str, EvenementActivite]]) -> Iterator[bytes]:
    lot: list[str] = []
    for curseur, evenement in evenements:
        lot.append(json.dumps(donnees_evenement(curseur, evenement), ensure_ascii=False))
        if len(lot) >= 1000:
            yield ("\n".join(lot) + "\n").encode("utf-8")
            lot = []
    if lot:
        yield ("\n".join(lot) + "\n").encode("utf-8")


def nom_de_fichier(structure_id: str, format_: FormatCycleDeVie) -> str:
    return f"cycle-de-vie-{structure_id}.{format_.extension}"
