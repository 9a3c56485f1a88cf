"""The JSON flux: ``{"version": "1.0", "memoires": [{…en-tête…, "lignes": […], "pieces": […]}]}``.

Numbers are read as the text they are written with (``12.10`` stays ``"12.10"``, never a
float). Positions are JSON paths from the root: ``memoires[3]``, ``memoires[3].lignes[0]``,
``memoires[3].lignes[0].frais_divers[1]``, ``memoires[3].pieces[1]``.

What makes the whole document unreadable (not JSON, not the documented root, an unknown
version) raises `FichierIllisible`; what is wrong inside one mémoire (an unknown field, a
list where a value was expected…) goes into that mémoire's `erreurs`, so that the others
are still integrated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NoReturn

from chorus.adapters.flux.champs import (
    CHAMPS_ENTETE,
    CHAMPS_FRAIS,
    CHAMPS_LIGNE,
    CHAMPS_PIECE,
    LONGUEUR_MAXIMUM_VALEUR,
    VERSION,
    champ_en_double,
    champ_inconnu,
    extrait,
    texte,
)
from chorus.domain.flux.lecture import (
    ErreurFlux,
    FichierIllisible,
    LigneLue,
    MemoireLue,
    PieceLue,
)

_ENTETE = frozenset(CHAMPS_ENTETE)
_CHAMPS_MEMOIRE = (*CHAMPS_ENTETE, "lignes", "pieces")
_LIGNE = frozenset(CHAMPS_LIGNE)
_CHAMPS_LIGNE = (*CHAMPS_LIGNE, "frais_divers")
_PIECE = frozenset(CHAMPS_PIECE)
_FRAIS = frozenset(CHAMPS_FRAIS)

# The messages of Python's JSON parser, as a French reader should see them.
_MESSAGES = (
    ("Expecting value", "une valeur est attendue"),
    ("Expecting ',' delimiter", "une virgule est attendue"),
    ("Expecting ':' delimiter", "deux-points sont attendus"),
    (
        "Expecting property name enclosed in double quotes",
        "un nom de champ entre guillemets doubles est attendu",
    ),
    ("Unterminated string", "une chaîne n'est pas refermée"),
    ("Invalid control character", "caractère de contrôle interdit dans une chaîne"),
    ("Invalid \\escape", "séquence d'échappement invalide"),
    ("Invalid \\uXXXX escape", "séquence \\u invalide"),
    ("Extra data", "du contenu suit la fin du document"),
)


class _ObjetAvecDoublons(dict[str, Any]):
    """A JSON object in which some names appear more than once (the last value is kept,
    as everywhere in JSON, and each repeated name is reported)."""

    doublons: tuple[str, ...] = ()


def _objet(paires: list[tuple[str, Any]]) -> dict[str, Any]:
    objet = dict(paires)
    if len(objet) == len(paires):
        return objet
    avec_doublons = _ObjetAvecDoublons(objet)
    vus: set[str] = set()
    doublons: list[str] = []
    for nom, _ in paires:
        if nom in vus and nom not in doublons:
            doublons.append(nom)
        vus.add(nom)
    avec_doublons.doublons = tuple(doublons)
    return avec_doublons


class _ConstanteInterdite(ValueError):
    pass


def _constante(nom: str) -> NoReturn:
    # NaN and Infinity are JavaScript, not JSON: Python's parser accepts them by default.
    raise _ConstanteInterdite(nom)


def _charger(contenu: bytes) -> Any:
    if not contenu.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FichierIllisible("Le fichier est vide.")
    try:
        return json.loads(
            contenu,
            parse_float=str,
            parse_int=str,
            parse_constant=_constante,
            object_pairs_hook=_objet,
        )
    except UnicodeDecodeError as erreur:
        ligne = contenu.count(b"\n", 0, erreur.start) + 1
        raise FichierIllisible(
            f"Le fichier n'est pas encodé en UTF-8 (octet invalide ligne {ligne}) : "
            "enregistrez-le en UTF-8."
        ) from None
    except json.JSONDecodeError as erreur:
        raison = next((fr for en, fr in _MESSAGES if erreur.msg.startswith(en)), "syntaxe invalide")
        raise FichierIllisible(
            f"Le fichier n'est pas un document JSON valide (ligne {erreur.lineno}, "
            f"colonne {erreur.colno}) : {raison}."
        ) from None
    except _ConstanteInterdite as erreur:
        raise FichierIllisible(
            f"Le fichier n'est pas un document JSON valide : « {erreur} » n'est pas un nombre JSON."
        ) from None
    except RecursionError:
        raise FichierIllisible(
            "Le fichier n'est pas un flux de mémoires : ses données sont imbriquées trop "
            "profondément."
        ) from None


def lire_json(contenu: bytes) -> list[MemoireLue]:
    """Every mémoire of a JSON flux, in file order."""
    document = _charger(contenu)
    if not isinstance(document, dict):
        raise FichierIllisible(
            'Le document doit être un objet JSON {"version": "1.0", "memoires": […]}.'
        )
    for nom in document:
        if nom not in ("version", "memoires"):
            raise FichierIllisible(
                f"Champ inconnu « {extrait(nom)} » à la racine du document : seuls "
                "« version » et « memoires » y sont permis."
            )
    if isinstance(document, _ObjetAvecDoublons):
        raise FichierIllisible(
            f"Le champ « {extrait(document.doublons[0])} » est donné plusieurs fois à la "
            "racine du document."
        )
    version = document.get("version")
    if version is None:
        raise FichierIllisible(f"Le champ « version » est obligatoire (« {VERSION} »).")
    if version != VERSION:
        lue = extrait(version) if isinstance(version, str) else json.dumps(version)[:40]
        raise FichierIllisible(
            f"Version de format « {lue} » inconnue : la version prise en charge est « {VERSION} »."
        )
    memoires = document.get("memoires")
    if memoires is None:
        raise FichierIllisible("Le champ « memoires » est obligatoire : la liste des mémoires.")
    if not isinstance(memoires, list):
        raise FichierIllisible("Le champ « memoires » doit être une liste ([…]) de mémoires.")
    return [_memoire(rang, brut) for rang, brut in enumerate(memoires)]


def _nature(valeur: object) -> str:
    if isinstance(valeur, bool):
        return "un booléen"
    if isinstance(valeur, list):
        return "une liste"
    return "un objet"


def _scalaire(valeur: Any, position: str, champ: str, erreurs: list[ErreurFlux]) -> str | None:
    # Numbers arrive as str (parse_int / parse_float): both kinds are read alike.
    if type(valeur) is str:
        return texte(valeur, position, champ, erreurs)
    if valeur is None:
        return None
    erreurs.append(
        ErreurFlux(
            position,
            champ,
            f"Ce champ doit être un texte ou un nombre, pas {_nature(valeur)}.",
        )
    )
    return None


def _doublons(objet: dict[str, Any], position: str, erreurs: list[ErreurFlux]) -> None:
    if isinstance(objet, _ObjetAvecDoublons):
        erreurs.extend(champ_en_double(position, nom) for nom in objet.doublons)


def _liste(valeur: Any, position: str, champ: str, erreurs: list[ErreurFlux]) -> Sequence[Any]:
    if isinstance(valeur, list):
        return valeur
    if valeur is not None:
        erreurs.append(ErreurFlux(position, champ, "Ce champ doit être une liste ([…])."))
    return ()


def _memoire(rang: int, brut: Any) -> MemoireLue:
    position = f"memoires[{rang}]"
    entete: dict[str, str | None] = dict.fromkeys(CHAMPS_ENTETE)
    if not isinstance(brut, dict):
        erreur = ErreurFlux(position, None, "Un mémoire doit être un objet JSON ({…}).")
        return MemoireLue(rang, position, None, entete, erreurs=(erreur,))
    erreurs: list[ErreurFlux] = []
    _doublons(brut, position, erreurs)
    lignes: tuple[LigneLue, ...] = ()
    pieces: tuple[PieceLue, ...] = ()
    for nom, valeur in brut.items():
        if nom in _ENTETE:
            # `_scalaire`, inlined for the common case: run for every value of the file. A
            # non-ASCII text takes `_scalaire`, which refuses lone surrogates (« \ud800 »).
            if type(valeur) is str and valeur.isascii() and len(valeur) <= LONGUEUR_MAXIMUM_VALEUR:
                entete[nom] = valeur.strip() or None
            else:
                entete[nom] = _scalaire(valeur, position, nom, erreurs)
        elif nom == "lignes":
            lignes = tuple(
                _ligne(f"{position}.lignes[{j}]", b, erreurs)
                for j, b in enumerate(_liste(valeur, position, nom, erreurs))
            )
        elif nom == "pieces":
            pieces = tuple(
                _piece(f"{position}.pieces[{k}]", b, erreurs)
                for k, b in enumerate(_liste(valeur, position, nom, erreurs))
            )
        else:
            erreurs.append(champ_inconnu(position, nom, _CHAMPS_MEMOIRE))
    return MemoireLue(
        rang,
        position,
        entete["reference"],
        entete,
        lignes,
        pieces,
        tuple(erreurs),
    )


def _ligne(position: str, brut: Any, erreurs: list[ErreurFlux]) -> LigneLue:
    valeurs: dict[str, str | None] = dict.fromkeys(CHAMPS_LIGNE)
    if not isinstance(brut, dict):
        erreurs.append(ErreurFlux(position, None, "Une ligne doit être un objet JSON ({…})."))
        return LigneLue(position, valeurs)
    _doublons(brut, position, erreurs)
    frais: list[tuple[str | None, str | None]] = []
    for nom, valeur in brut.items():
        if nom in _LIGNE:
            if type(valeur) is str and valeur.isascii() and len(valeur) <= LONGUEUR_MAXIMUM_VALEUR:
                valeurs[nom] = valeur.strip() or None
            else:
                valeurs[nom] = _scalaire(valeur, position, nom, erreurs)
        elif nom == "frais_divers":
            for k, item in enumerate(_liste(valeur, position, nom, erreurs)):
                frais.append(_frais(f"{position}.frais_divers[{k}]", item, erreurs))
        else:
            erreurs.append(champ_inconnu(position, nom, _CHAMPS_LIGNE))
    return LigneLue(position, valeurs, tuple(frais))


def _frais(position: str, brut: Any, erreurs: list[ErreurFlux]) -> tuple[str | None, str | None]:
    if not isinstance(brut, dict):
        erreurs.append(
            ErreurFlux(
                position,
                None,
                'Un frais divers doit être un objet JSON {"libelle": …, "montant": …}.',
            )
        )
        return (None, None)
    _doublons(brut, position, erreurs)
    for nom in brut:
        if nom not in _FRAIS:
            erreurs.append(champ_inconnu(position, nom, CHAMPS_FRAIS))
    return (
        _scalaire(brut.get("libelle"), position, "libelle", erreurs),
        _scalaire(brut.get("montant"), position, "montant", erreurs),
    )


def _piece(position: str, brut: Any, erreurs: list[ErreurFlux]) -> PieceLue:
    if not isinstance(brut, dict):
        erreurs.append(ErreurFlux(position, None, "Une pièce doit être un objet JSON ({…})."))
        return PieceLue(position, None, None)
    _doublons(brut, position, erreurs)
    for nom in brut:
        if nom not in _PIECE:
            erreurs.append(champ_inconnu(position, nom, CHAMPS_PIECE))
    return PieceLue(
        position,
        _scalaire(brut.get("fichier"), position, "fichier", erreurs),
        _scalaire(brut.get("type_piece"), position, "type_piece", erreurs),
        _scalaire(brut.get("designation"), position, "designation", erreurs),
        _scalaire(brut.get("numero_ligne"), position, "numero_ligne", erreurs),
    )
