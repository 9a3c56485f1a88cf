"""Flux files for the dépôt flux's tests: JSON documents of the world's structure
(`tests.monde`), built mémoire by mémoire, and a ZIP of pièces."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from tests.monde import AUJOURDHUI, IBAN


def ligne_flux(numero: int = 1, **changements: Any) -> dict[str, Any]:
    date_prestation = AUJOURDHUI - timedelta(days=10)
    valeurs: dict[str, Any] = {
        "numero_affaire": f"PARQUET-24-{numero:03d}",
        "date_requisition": (date_prestation - timedelta(days=3)).isoformat(),
        "autorite_requerante": "PROCUREUR_REPUBLIQUE",
        "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
        "date_prestation": date_prestation.isoformat(),
        "quantite": "1",
        "tarif_ht": "150.00",
        "taux_tva": "5.5",
    }
    valeurs.update(changements)
    return {k: v for k, v in valeurs.items() if v is not None}


def memoire_flux(
    reference: str,
    *,
    lignes: Sequence[Mapping[str, Any]] | None = None,
    pieces: Sequence[Mapping[str, Any]] = (),
    **changements: Any,
) -> dict[str, Any]:
    valeurs: dict[str, Any] = {
        "reference": reference,
        "juridiction_code": "TJ-69123",
        "texte_reference": "A.43-6",
        "type_tva": "TVA_SUR_DEBITS",
        "iban": IBAN,
    }
    valeurs.update(changements)
    valeurs = {k: v for k, v in valeurs.items() if v is not None}
    valeurs["lignes"] = [
        dict(x) for x in (lignes if lignes is not None else [ligne_flux(1), ligne_flux(2)])
    ]
    if pieces:
        valeurs["pieces"] = [dict(p) for p in pieces]
    return valeurs


def fichier_json(memoires: Sequence[Mapping[str, Any]]) -> bytes:
    return json.dumps({"version": "1.0", "memoires": list(memoires)}).encode()


def archive_zip(fichiers: Mapping[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        for nom, contenu in fichiers.items():
            archive.writestr(nom, contenu)
    return tampon.getvalue()
