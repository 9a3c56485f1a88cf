"""The XML flux: ``<flux version="1.0" xmlns="urn:chorus:flux:memoires:1">`` and its
``<memoire>`` children, every value the text of its own element (schema: ``memoires.xsd``).

The document is parsed by defusedxml with DTDs forbidden: no entity can expand (billion
laughs) and nothing outside the file is ever fetched (external entities). Positions are
XPath-like and counted from 1: ``/flux/memoire[4]``, ``/flux/memoire[4]/ligne[1]``,
``/flux/memoire[4]/ligne[1]/frais[2]``, ``/flux/memoire[4]/piece[1]``.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml import ElementTree

from chorus.adapters.flux.champs import (
    CHAMPS_ENTETE,
    CHAMPS_FRAIS,
    CHAMPS_LIGNE,
    CHAMPS_PIECE,
    ESPACE_DE_NOMS,
    LONGUEUR_MAXIMUM_VALEUR,
    VERSION,
    champ_en_double,
    champ_inconnu,
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

_NS = "{" + ESPACE_DE_NOMS + "}"
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


def _noms(*noms: str) -> dict[str, str]:
    return {_NS + nom: nom for nom in noms}


_ENTETE = _noms(*CHAMPS_ENTETE)
_LIGNE = _noms(*CHAMPS_LIGNE)
_PIECE = _noms(*CHAMPS_PIECE)
_FRAIS = _noms(*CHAMPS_FRAIS)
_CHAMPS_MEMOIRE = (*CHAMPS_ENTETE, "lignes", "pieces")
_CHAMPS_LIGNE = (*CHAMPS_LIGNE, "frais_divers")

_FLUX = _NS + "flux"
_MEMOIRE = _NS + "memoire"
_LIGNES = _NS + "lignes"
_LIGNE_ = _NS + "ligne"
_PIECES = _NS + "pieces"
_PIECE_ = _NS + "piece"
_FRAIS_DIVERS = _NS + "frais_divers"
_FRAIS_ = _NS + "frais"


def _nom_local(balise: str) -> str:
    """The element's name as its author wrote it (``x:truc`` loses only its prefix)."""
    if balise.startswith("{"):
        espace, _, local = balise[1:].partition("}")
        if espace != ESPACE_DE_NOMS:
            return f"{local} ({espace})"
        return local
    return balise


_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


def _octet_invalide(contenu: bytes) -> int | None:
    """The line of the first byte that is no UTF-8, in a document meant to be UTF-8 (it
    declares no other encoding and has no UTF-16 byte order mark); None otherwise."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    declaration = _DECLARATION.match(contenu.removeprefix(b"\xef\xbb\xbf"))
    if declaration and declaration[1].lower() not in (b"utf-8", b"utf8"):
        return None
    try:
        contenu.decode("utf-8")
    except UnicodeDecodeError as erreur:
        return contenu.count(b"\n", 0, erreur.start) + 1
    return None


def _analyser(contenu: bytes) -> Element:
    if not contenu.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FichierIllisible("Le fichier est vide.")
    try:
        return ElementTree.fromstring(contenu, forbid_dtd=True)
    except defusedxml.DefusedXmlException:
        raise FichierIllisible(
            "Le document XML contient une déclaration de type (DTD) ou des entités : "
            "refusé pour des raisons de sécurité."
        ) from None
    except ParseError as erreur:
        if mal_encode := _octet_invalide(contenu):
            raise FichierIllisible(
                f"Le fichier n'est pas encodé en UTF-8 (octet invalide ligne {mal_encode}) : "
                'enregistrez-le en UTF-8 ou déclarez son encodage (<?xml version="1.0" '
                'encoding="…"?>).'
            ) from None
        ligne, colonne = erreur.position
        raise FichierIllisible(
            f"Le fichier n'est pas un document XML bien formé (ligne {ligne}, colonne "
            f"{colonne + 1})."
        ) from None


def lire_xml(contenu: bytes) -> list[MemoireLue]:
    """Every mémoire of an XML flux, in file order."""
    racine = _analyser(contenu)
    if racine.tag != _FLUX:
        raise FichierIllisible(
            f"L'élément racine doit être <flux> dans l'espace de noms {ESPACE_DE_NOMS} "
            f"(trouvé : <{extrait(_nom_local(racine.tag))}>)."
        )
    for attribut in racine.attrib:
        if attribut != "version" and not attribut.startswith(_XSI):
            raise FichierIllisible(
                f"Attribut inconnu « {extrait(_nom_local(attribut))} » sur <flux>."
            )
    version = racine.get("version")
    if version is None:
        raise FichierIllisible(f"L'attribut « version » de <flux> est obligatoire (« {VERSION} »).")
    if version.strip() != VERSION:
        raise FichierIllisible(
            f"Version de format « {extrait(version)} » inconnue : la version prise en charge "
            f"est « {VERSION} »."
        )
    if racine.text and racine.text.strip():
        raise FichierIllisible("Texte inattendu dans <flux> : seuls des <memoire> y sont permis.")
    memoires: list[MemoireLue] = []
    for element in racine:
        if element.tag != _MEMOIRE:
            raise FichierIllisible(
                f"Élément inattendu <{extrait(_nom_local(element.tag))}> dans <flux> : "
                "seuls des <memoire> y sont permis."
            )
        if element.tail and element.tail.strip():
            raise FichierIllisible(
                "Texte inattendu dans <flux> : seuls des <memoire> y sont permis."
            )
        memoires.append(_memoire(len(memoires), element))
    return memoires


def _texte_parasite(position: str, champ: str) -> ErreurFlux:
    return ErreurFlux(
        position, champ, f"Texte inattendu dans <{champ}> : seuls des éléments y sont permis."
    )


def _lire(
    element: Element,
    position: str,
    champ: str,
    simples: dict[str, str],
    composes: dict[str, str],
    connus: tuple[str, ...],
    erreurs: list[ErreurFlux],
) -> tuple[dict[str, str | None], dict[str, Element]]:
    """The values of `element`'s simple children (by field name; a field absent from the
    file is absent here) and its compound children (by name), reporting everything else.

    One loop over the children does all the checks: this is the hot path of a flux of
    10,000 mémoires."""
    valeurs: dict[str, str | None] = {}
    trouves: dict[str, Element] = {}
    if element.attrib:
        erreurs.append(ErreurFlux(position, champ, f"<{champ}> ne porte aucun attribut."))
    debut = element.text
    parasite = bool(debut and not debut.isspace())
    for enfant in element:
        fin = enfant.tail
        if fin and not fin.isspace():
            parasite = True
        balise = enfant.tag
        nom = simples.get(balise)
        if nom is not None:
            if nom in valeurs:
                erreurs.append(champ_en_double(position, nom))
            elif len(enfant) or enfant.attrib:
                valeurs[nom] = None
                erreurs.append(
                    ErreurFlux(
                        position,
                        nom,
                        f"<{nom}> doit contenir une valeur simple, sans élément ni attribut.",
                    )
                )
            else:
                # `champs.texte`, inlined: called for every value of the file.
                brut = enfant.text
                if brut is not None:
                    brut = brut.strip()
                    if len(brut) > LONGUEUR_MAXIMUM_VALEUR:
                        erreurs.append(trop_long(position, nom))
                        brut = None
                valeurs[nom] = brut or None
            continue
        nom = composes.get(balise)
        if nom is None:
            erreurs.append(champ_inconnu(position, _nom_local(balise), connus))
        elif nom in trouves:
            erreurs.append(champ_en_double(position, nom))
        else:
            trouves[nom] = enfant
    if parasite:
        erreurs.append(_texte_parasite(position, champ))
    return valeurs, trouves


def _elements(
    conteneur: Element | None,
    position: str,
    champ: str,
    balise: str,
    attendu: str,
    erreurs: list[ErreurFlux],
) -> list[Element]:
    """The `attendu` children of a list element (``<lignes>``, ``<pieces>``,
    ``<frais_divers>``), reporting anything else in it."""
    if conteneur is None:
        return []
    if conteneur.attrib:
        erreurs.append(ErreurFlux(position, champ, f"<{champ}> ne porte aucun attribut."))
    debut = conteneur.text
    parasite = bool(debut and not debut.isspace())
    elements: list[Element] = []
    for enfant in conteneur:
        fin = enfant.tail
        if fin and not fin.isspace():
            parasite = True
        if enfant.tag == balise:
            elements.append(enfant)
        else:
            nom = extrait(_nom_local(enfant.tag))
            erreurs.append(
                ErreurFlux(
                    position,
                    champ,
                    f"Élément inattendu <{nom}> dans <{champ}> : seuls des <{attendu}> y "
                    "sont permis.",
                )
            )
    if parasite:
        erreurs.append(_texte_parasite(position, champ))
    return elements


_COMPOSES_MEMOIRE = {_LIGNES: "lignes", _PIECES: "pieces"}
_COMPOSES_LIGNE = {_FRAIS_DIVERS: "frais_divers"}
_AUCUN: dict[str, str] = {}


def _memoire(rang: int, element: Element) -> MemoireLue:
    position = f"/flux/memoire[{rang + 1}]"
    erreurs: list[ErreurFlux] = []
    valeurs, composes = _lire(
        element, position, "memoire", _ENTETE, _COMPOSES_MEMOIRE, _CHAMPS_MEMOIRE, erreurs
    )
    entete: dict[str, str | None] = dict.fromkeys(CHAMPS_ENTETE)
    entete.update(valeurs)
    lignes = tuple(
        _ligne(f"{position}/ligne[{j}]", item, erreurs)
        for j, item in enumerate(
            _elements(composes.get("lignes"), position, "lignes", _LIGNE_, "ligne", erreurs),
            start=1,
        )
    )
    pieces = tuple(
        _piece(f"{position}/piece[{k}]", item, erreurs)
        for k, item in enumerate(
            _elements(composes.get("pieces"), position, "pieces", _PIECE_, "piece", erreurs),
            start=1,
        )
    )
    return MemoireLue(rang, position, entete["reference"], entete, lignes, pieces, tuple(erreurs))


def _ligne(position: str, element: Element, erreurs: list[ErreurFlux]) -> LigneLue:
    valeurs, composes = _lire(
        element, position, "ligne", _LIGNE, _COMPOSES_LIGNE, _CHAMPS_LIGNE, erreurs
    )
    frais = tuple(
        _frais(f"{position}/frais[{k}]", item, erreurs)
        for k, item in enumerate(
            _elements(
                composes.get("frais_divers"), position, "frais_divers", _FRAIS_, "frais", erreurs
            ),
            start=1,
        )
    )
    tout: dict[str, str | None] = dict.fromkeys(CHAMPS_LIGNE)
    tout.update(valeurs)
    return LigneLue(position, tout, frais)


def _frais(
    position: str, element: Element, erreurs: list[ErreurFlux]
) -> tuple[str | None, str | None]:
    valeurs, _ = _lire(element, position, "frais", _FRAIS, _AUCUN, CHAMPS_FRAIS, erreurs)
    return (valeurs.get("libelle"), valeurs.get("montant"))


def _piece(position: str, element: Element, erreurs: list[ErreurFlux]) -> PieceLue:
    valeurs, _ = _lire(element, position, "piece", _PIECE, _AUCUN, CHAMPS_PIECE, erreurs)
    return PieceLue(
        position,
        valeurs.get("fichier"),
        valeurs.get("type_piece"),
        valeurs.get("designation"),
        valeurs.get("numero_ligne"),
    )
