"""The batch file formats, read into `EvenementLu` values (the text as found).

JSON: ``{"evenements": [{"numero_memoire": …, "action": …, …}, …]}``, numbers kept exactly
as written (never through a float); positions ``evenements[3]``.
CSV: UTF-8 (a BOM is accepted), ``;`` between fields, a header row naming the columns (any
order, the optional ones may be left out); positions ``ligne 12`` (the header is line 1).
Values are checked by the domain (`lots_statuts.lire_evenement`), not here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from chorus.domain.lots_statuts import CHAMPS_DU_LOT, EvenementLu, FormatLot, LotIllisible

_OBLIGATOIRES = ("numero_memoire", "action", "date_evenement", "reference_evenement")


def _texte(contenu: bytes) -> str:
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError as erreur:
        raise LotIllisible(
            f"Le fichier n'est pas un texte UTF-8 (octet invalide en position {erreur.start})."
        ) from None


def _evenement(
    position: str,
    valeurs: Mapping[str, str | None],
    erreur: tuple[str | None, str] | None = None,
) -> EvenementLu:
    return EvenementLu(
        position=position,
        numero_memoire=valeurs.get("numero_memoire"),
        action=valeurs.get("action"),
        date_evenement=valeurs.get("date_evenement"),
        reference_evenement=valeurs.get("reference_evenement"),
        motif=valeurs.get("motif"),
        montant_certifie=valeurs.get("montant_certifie"),
        montant_paye=valeurs.get("montant_paye"),
        erreur=erreur,
    )


def _valeur_json(valeur: Any) -> str | None:
    if valeur is None:
        return None
    if isinstance(valeur, str):
        return valeur
    raise TypeError


def _lire_json(texte: str) -> list[EvenementLu]:
    try:
        # Numbers stay text: an amount is read exactly, never through a float.
        document = json.loads(texte, parse_float=str, parse_int=str)
    except json.JSONDecodeError as erreur:
        raise LotIllisible(
            f"Le fichier n'est pas un document JSON valide (ligne {erreur.lineno}, colonne "
            f"{erreur.colno} : {erreur.msg})."
        ) from None
    except RecursionError:
        # Nesting deeper than the parser's stack: no batch is shaped like that.
        raise LotIllisible(
            "Le fichier n'est pas un document JSON valide (imbrication trop profonde)."
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("evenements"), list):
        raise LotIllisible(
            "Le document JSON doit être un objet dont le champ « evenements » est la liste "
            "des événements."
        )
    inconnus = sorted(set(document) - {"evenements", "version"})
    if inconnus:
        raise LotIllisible(
            f"Champ inconnu à la racine du document JSON : « {inconnus[0]} » (seul "
            "« evenements » est attendu)."
        )
    lus: list[EvenementLu] = []
    for rang, entree in enumerate(document["evenements"]):
        position = f"evenements[{rang}]"
        if not isinstance(entree, dict):
            lus.append(
                EvenementLu(position, erreur=(None, "Chaque événement doit être un objet JSON."))
            )
            continue
        faute: tuple[str | None, str] | None = None
        valeurs: dict[str, str | None] = {}
        for champ, valeur in entree.items():
            if champ not in CHAMPS_DU_LOT:
                faute = faute or (champ, f"Champ inconnu : « {champ} ».")
                continue
            try:
                valeurs[champ] = _valeur_json(valeur)
            except TypeError:
                faute = faute or (champ, "La valeur doit être un texte ou un nombre.")
        lus.append(_evenement(position, valeurs, faute))
    return lus


def _lire_csv(texte: str) -> list[EvenementLu]:
    lignes = csv.reader(io.StringIO(texte, newline=""), delimiter=";")
    try:
        entete = next(lignes, None)
        if entete is None:
            raise LotIllisible("Le fichier CSV est vide : la ligne d'en-tête manque.")
        colonnes = [c.strip() for c in entete]
        for colonne in colonnes:
            if colonne not in CHAMPS_DU_LOT:
                raise LotIllisible(
                    f"Colonne inconnue dans l'en-tête du CSV : « {colonne} » (colonnes "
                    f"attendues, séparées par « ; » : {', '.join(CHAMPS_DU_LOT)})."
                )
        doublons = sorted({c for c in colonnes if colonnes.count(c) > 1})
        if doublons:
            raise LotIllisible(f"La colonne « {doublons[0]} » figure deux fois dans l'en-tête.")
        manquantes = [c for c in _OBLIGATOIRES if c not in colonnes]
        if manquantes:
            raise LotIllisible(
                f"Colonne obligatoire absente de l'en-tête du CSV : « {manquantes[0]} »."
            )
        lus: list[EvenementLu] = []
        while True:
            # The row starts on the line after the previous row's last one: a quoted field
            # may hold line breaks, so rows and the file's lines differ.
            numero = lignes.line_num + 1
            cellules = next(lignes, None)
            if cellules is None:
                break
            if not any(c.strip() for c in cellules):
                continue
            position = f"ligne {numero}"
            valeurs = {
                colonne: (cellule.strip() or None)
                for colonne, cellule in zip(colonnes, cellules, strict=False)
            }
            if len(cellules) > len(colonnes):
                lus.append(
                    EvenementLu(
                        position,
                        erreur=(
                            None,
                            f"La ligne a {len(cellules)} champs pour {len(colonnes)} colonnes "
                            "d'en-tête.",
                        ),
                    )
                )
                continue
            lus.append(_evenement(position, valeurs))
        return lus
    except csv.Error as erreur:
        raise LotIllisible(f"Le fichier CSV est mal formé : {erreur}.") from None


class LecteurLotsStatuts:
    """The `LecteurLotStatuts` of the documented formats."""

    def lire(self, format: FormatLot, contenu: bytes) -> Sequence[EvenementLu]:
        texte = _texte(contenu)
        if format is FormatLot.JSON:
            return _lire_json(texte)
        return _lire_csv(texte)
