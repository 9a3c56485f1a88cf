"""Flux files for the tests of the deposit (API, command line, crash): JSON documents of the
published format, each mémoire valid for a structure ready to file (the juridiction, texte
and TVA of the other tests' mémoires, the structure's IBAN) unless a test spoils it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

Json = dict[str, Any]

JURIDICTION = "TJ-69123"


def lignes(aujourdhui: date, nombre: int = 2) -> list[Json]:
    """`nombre` valid lines (1 or 2): 1 × 150.00 at 5.5 %, then 2 × 42.00 at 20 %."""
    prestation = aujourdhui - timedelta(days=10)
    modeles: list[Json] = [
        {
            "numero_affaire": "PARQUET-24-001",
            "date_requisition": (prestation - timedelta(days=3)).isoformat(),
            "autorite_requerante": "PROCUREUR_REPUBLIQUE",
            "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
            "date_prestation": prestation.isoformat(),
            "quantite": "1",
            "tarif_ht": "150.00",
            "taux_tva": "5.5",
        },
        {
            "numero_affaire": "PARQUET-24-002",
            "date_requisition": (prestation - timedelta(days=2)).isoformat(),
            "autorite_requerante": "PROCUREUR_REPUBLIQUE",
            "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
            "date_prestation": prestation.isoformat(),
            "quantite": "2",
            "tarif_ht": "42.00",
            "taux_tva": "20",
        },
    ]
    return [dict(m) for m in modeles[:nombre]]


def memoire(reference: str, iban: str, aujourdhui: date, *, nombre_de_lignes: int = 2) -> Json:
    return {
        "reference": reference,
        "juridiction_code": JURIDICTION,
        "texte_reference": "A.43-6",
        "type_tva": "TVA_SUR_DEBITS",
        "iban": iban,
        "lignes": lignes(aujourdhui, nombre_de_lignes),
    }


def document(memoires: Iterable[Json]) -> bytes:
    return json.dumps({"version": "1.0", "memoires": list(memoires)}).encode()


def flux_json(
    nombre: int, iban: str, aujourdhui: date, *, prefixe: str = "REF", nombre_de_lignes: int = 2
) -> bytes:
    """`nombre` valid mémoires referenced ``REF-000001``, ``REF-000002``…"""
    return document(
        memoire(f"{prefixe}-{i:06d}", iban, aujourdhui, nombre_de_lignes=nombre_de_lignes)
        for i in range(1, nombre + 1)
    )
