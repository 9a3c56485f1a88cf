"""The CSV flux: one row per line of prestation, the mémoires' rows grouped by `reference`.

UTF-8 (with or without the byte order mark spreadsheets write), ``;`` between cells, a
header row naming the columns (any order; every column but `reference` may be left out).
The en-tête columns, and `pieces` (the pièces of the mémoire as a whole), repeat on every
row of a mémoire and must agree. The rows of a reference need not follow each other: a
mémoire takes the rank of its first row. Each row also carries its line's
`frais_divers` (``libellé=montant|libellé=montant``) and `pieces_ligne` (the pièces of that
line), both lists in one cell; a pièce is written ``TYPE:fichier`` or
``TYPE:fichier:désignation``.

Positions are the file's row numbers as a spreadsheet shows them, the header being
« ligne 1 ».
"""

from __future__ import annotations

import csv
import difflib
import io
import operator
from typing import Any

import attrs

from chorus.adapters.flux.champs import (
    CHAMPS_ENTETE,
    CHAMPS_LIGNE,
    LONGUEUR_MAXIMUM_VALEUR,
    extrait,
    trop_long,
)
from chorus.domain.flux.lecture import (
    ErreurFlux,
    FichierIllisible,
    LigneLue,
    MemoireLue,
    PieceLue,
)

SEPARATEUR = ";"
SEPARATEUR_LISTE = "|"

COLONNES_ENTETE = (*CHAMPS_ENTETE, "pieces")
"""The columns that repeat, identical, on every row of a mémoire."""
COLONNES_LIGNE = (*CHAMPS_LIGNE, "frais_divers", "pieces_ligne")
"""The columns of the row's own line."""
COLONNES = (*COLONNES_ENTETE, *COLONNES_LIGNE)


@attrs.define
class _Groupe:
    """The rows of one reference read so far."""

    premiere: int
    # The values of COLONNES_ENTETE on its first row.
    entete: tuple[str | None, ...]
    pieces: list[PieceLue]
    lignes: list[LigneLue] = attrs.Factory(list)
    erreurs: list[ErreurFlux] = attrs.Factory(list)


class _Disposition:
    """Where each documented column sits in the file's rows.

    A row is read as the list of its cells, trimmed (None when blank), with one None more
    at its end: the index of a column the file leaves out points to that None. The values
    of a row are then picked by `operator.itemgetter`, in C: the hot path of a flux of
    10,000 mémoires does no Python work per cell."""

    def __init__(self, colonnes: list[str]) -> None:
        self.colonnes = colonnes
        self.largeur = len(colonnes)
        index = {nom: i for i, nom in enumerate(colonnes) if nom}
        absente = self.largeur
        self.sans_nom = tuple(i for i, nom in enumerate(colonnes) if not nom)

        def prendre(noms: tuple[str, ...]) -> operator.itemgetter[Any]:
            return operator.itemgetter(*(index.get(nom, absente) for nom in noms))

        self.entete = prendre(COLONNES_ENTETE)
        self.ligne = prendre(CHAMPS_LIGNE)
        self.reference = index["reference"]
        self.frais_divers = index.get("frais_divers", absente)
        self.pieces = index.get("pieces", absente)
        self.pieces_ligne = index.get("pieces_ligne", absente)


def _decoder(contenu: bytes) -> str:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as erreur:
        ligne = contenu.count(b"\n", 0, erreur.start) + 1
        raise FichierIllisible(
            f"Le fichier n'est pas encodé en UTF-8 (octet invalide ligne {ligne}) : "
            "enregistrez-le au format « CSV UTF-8 »."
        ) from None
    nul = texte.find("\x00")
    if nul >= 0:
        # Python's csv module reads NUL since 3.11; no text file holds one.
        ligne = texte.count("\n", 0, nul) + 1
        raise FichierIllisible(
            f"Le fichier CSV est illisible (ligne {ligne}) : le fichier contient un caractère "
            "nul (ce n'est pas un fichier texte)."
        )
    return texte


def _colonnes(entete: list[str]) -> list[str]:
    noms = [nom.strip() for nom in entete]
    vus: set[str] = set()
    for nom in noms:
        if not nom:
            continue
        if nom not in COLONNES:
            proches = difflib.get_close_matches(nom.lower(), COLONNES, n=1, cutoff=0.75)
            if len(noms) == 1 and ("," in nom or "\t" in nom):
                conseil = " Les colonnes sont séparées par « ; »."
            elif proches:
                conseil = f" Vouliez-vous dire « {proches[0]} » ?"
            else:
                conseil = ""
            raise FichierIllisible(
                f"Colonne inconnue « {extrait(nom)} » dans la ligne d'en-tête.{conseil}"
            )
        if nom in vus:
            raise FichierIllisible(f"La colonne « {nom} » figure deux fois dans l'en-tête.")
        vus.add(nom)
    if "reference" not in vus:
        raise FichierIllisible(
            "La colonne « reference » est obligatoire : elle regroupe les lignes de chaque mémoire."
        )
    return noms


def lire_csv(contenu: bytes) -> list[MemoireLue]:
    """Every mémoire of a CSV flux, in the order of their first rows."""
    if not contenu.strip(b" \t\r\n\xef\xbb\xbf;"):
        raise FichierIllisible("Le fichier est vide.")
    # strict: an unclosed quote is an error, not the rest of the file read as one cell.
    lecteur = csv.reader(
        io.StringIO(_decoder(contenu), newline=""), delimiter=SEPARATEUR, strict=True
    )
    # The last row read whole: a csv.Error is raised while reading the next one.
    numero = 0
    try:
        disposition = _Disposition(_colonnes(next(lecteur)))
        numero = 1
        groupes: dict[str, _Groupe] = {}
        ordre: list[_Groupe] = []
        for numero, cellules in enumerate(lecteur, start=2):
            if "".join(cellules).strip():
                _rangee(numero, disposition, cellules, groupes, ordre)
    except csv.Error as erreur:
        raise FichierIllisible(_message_csv(numero + 1, erreur)) from None
    memoires: list[MemoireLue] = []
    for rang, groupe in enumerate(ordre):
        entete = dict(zip(COLONNES_ENTETE, groupe.entete, strict=True))
        del entete["pieces"]
        memoires.append(
            MemoireLue(
                rang,
                f"ligne {groupe.premiere}",
                entete["reference"],
                entete,
                tuple(groupe.lignes),
                tuple(groupe.pieces),
                tuple(groupe.erreurs),
            )
        )
    return memoires


def _message_csv(numero: int, erreur: csv.Error) -> str:
    raison = str(erreur)
    if "field larger than field limit" in raison:
        detail = f"une cellule dépasse {csv.field_size_limit():_} caractères".replace("_", "\u202f")
    elif "unexpected end of data" in raison or "EOF" in raison:
        detail = "des guillemets ouverts ne sont jamais refermés"
    elif "expected after" in raison:
        detail = "une cellule entre guillemets doit être suivie de « ; » ou de la fin de ligne"
    else:
        detail = "syntaxe CSV invalide"
    return f"Le fichier CSV est illisible (ligne {numero}) : {detail}."


def _rangee(
    numero: int,
    disposition: _Disposition,
    cellules: list[str],
    groupes: dict[str, _Groupe],
    ordre: list[_Groupe],
) -> None:
    position = f"ligne {numero}"
    erreurs: list[ErreurFlux] = []
    largeur = disposition.largeur
    valeurs: list[str | None] = [c.strip() or None for c in cellules[:largeur]]
    if len(cellules) != largeur:
        if len(cellules) < largeur or any(c.strip() for c in cellules[largeur:]):
            erreurs.append(
                ErreurFlux(
                    position,
                    None,
                    f"La ligne compte {len(cellules)} cellules alors que l'en-tête compte "
                    f"{largeur} colonnes.",
                )
            )
        valeurs.extend([None] * (largeur - len(valeurs)))
    valeurs.append(None)
    if max(map(len, cellules)) > LONGUEUR_MAXIMUM_VALEUR:
        for i, valeur in enumerate(valeurs):
            if valeur is not None and len(valeur) > LONGUEUR_MAXIMUM_VALEUR:
                erreurs.append(trop_long(position, disposition.colonnes[i] or None))
                valeurs[i] = None
    for i in disposition.sans_nom:
        if valeurs[i] is not None:
            erreurs.append(
                ErreurFlux(position, None, "Une valeur figure dans une colonne sans nom.")
            )

    entete: tuple[str | None, ...] = disposition.entete(valeurs)
    reference = valeurs[disposition.reference]
    groupe = groupes.get(reference) if reference is not None else None
    if groupe is None:
        groupe = _Groupe(
            numero,
            entete,
            _pieces(valeurs[disposition.pieces], position, "pieces", None, erreurs),
        )
        ordre.append(groupe)
        if reference is None:
            # Not merged with anything: the conversion cannot file it without a reference.
            erreurs.append(
                ErreurFlux(
                    position,
                    "reference",
                    "La référence du mémoire est obligatoire sur chaque ligne.",
                )
            )
        else:
            groupes[reference] = groupe
    elif entete != groupe.entete:
        for nom, valeur, premiere in zip(COLONNES_ENTETE, entete, groupe.entete, strict=True):
            if valeur != premiere:
                erreurs.append(_desaccord(position, nom, groupe.premiere, valeur, premiere))

    champs: tuple[str | None, ...] = disposition.ligne(valeurs)
    frais_divers = valeurs[disposition.frais_divers]
    pieces_ligne = valeurs[disposition.pieces_ligne]
    if frais_divers is not None or any(v is not None for v in champs):
        groupe.lignes.append(
            LigneLue(
                position,
                dict(zip(CHAMPS_LIGNE, champs, strict=True)),
                _frais(frais_divers, position, erreurs),
            )
        )
        if pieces_ligne is not None:
            groupe.pieces.extend(
                _pieces(pieces_ligne, position, "pieces_ligne", len(groupe.lignes), erreurs)
            )
    elif pieces_ligne is not None:
        erreurs.append(
            ErreurFlux(
                position,
                "pieces_ligne",
                "Des pièces de ligne sont données sur une ligne sans prestation : joignez-les "
                "au mémoire dans la colonne « pieces ».",
            )
        )
    if erreurs:
        groupe.erreurs.extend(erreurs)


def _desaccord(
    position: str, nom: str, premiere: int, valeur: str | None, attendue: str | None
) -> ErreurFlux:
    def citer(v: str | None) -> str:
        return "vide" if v is None else f"« {extrait(v)} »"

    return ErreurFlux(
        position,
        nom,
        f"Valeur {citer(valeur)} différente de celle de la ligne {premiere} "
        f"({citer(attendue)}) : les colonnes d'en-tête se répètent à l'identique sur chaque "
        "ligne d'un mémoire.",
    )


def _items(cellule: str | None) -> list[str]:
    if cellule is None:
        return []
    return [item.strip() for item in cellule.split(SEPARATEUR_LISTE) if item.strip()]


def _frais(
    cellule: str | None, position: str, erreurs: list[ErreurFlux]
) -> tuple[tuple[str | None, str | None], ...]:
    frais: list[tuple[str | None, str | None]] = []
    for item in _items(cellule):
        libelle, egal, montant = item.rpartition("=")
        if not egal:
            erreurs.append(
                ErreurFlux(
                    position,
                    "frais_divers",
                    f"Frais divers « {extrait(item)} » : écrire libellé=montant "
                    "(plusieurs frais séparés par « | »).",
                )
            )
            continue
        frais.append((libelle.strip() or None, montant.strip() or None))
    return tuple(frais)


def _pieces(
    cellule: str | None,
    position: str,
    colonne: str,
    numero_ligne: int | None,
    erreurs: list[ErreurFlux],
) -> list[PieceLue]:
    pieces: list[PieceLue] = []
    for item in _items(cellule):
        morceaux = [m.strip() for m in item.split(":", 2)]
        if len(morceaux) < 2 or not morceaux[1]:
            erreurs.append(
                ErreurFlux(
                    position,
                    colonne,
                    f"Pièce « {extrait(item)} » : écrire TYPE:fichier ou "
                    "TYPE:fichier:désignation (plusieurs pièces séparées par « | »).",
                )
            )
            continue
        pieces.append(
            PieceLue(
                position,
                morceaux[1],
                morceaux[0] or None,
                (morceaux[2] or None) if len(morceaux) == 3 else None,
                None if numero_ligne is None else str(numero_ligne),
            )
        )
    return pieces
