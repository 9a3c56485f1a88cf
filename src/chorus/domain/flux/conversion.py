"""From a mémoire as read in a flux to the domain's objects, with every error it holds.

A hand-entered mémoire is refused at its first error; a flux's is reported with all of
them, so that the prestataire fixes the file once. Each field's syntax is checked on its
own (dates ISO ``2026-03-01`` or ``01/03/2026``, decimals with a point or a comma, codes of
the enumerations and of the référentiels), then the domain's constructors check what they
check for a hand-entered one (`EnTete.creer`, `SaisieLigne.en_ligne`), each line on its own.
Every error is an `ErreurFlux` naming where in the file it is and the flux's field name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from typing import TypeVar

import attrs

from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.flux.lecture import ErreurFlux, LigneLue, MemoireLue, PieceLue
from chorus.domain.lignes import (
    NOMBRE_MAXIMUM_DE_LIGNES,
    FraisDivers,
    LigneDePrestation,
    SaisieLigne,
)
from chorus.domain.montants import TauxTva, en_decimal
from chorus.domain.organisation import Structure
from chorus.domain.pieces import TypePiece
from chorus.domain.textes import texte_obligatoire, texte_optionnel

LONGUEUR_MAXIMUM_REFERENCE = 50

_T = TypeVar("_T")

_DATE_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_FRANCAISE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_ESPACES = re.compile(r"\s+")

# The en-tête's fields whose value the domain stores as text, with their maximum length
# (those of `EnTete.creer`), in the order errors are reported.
_TEXTES_ENTETE: tuple[tuple[str, int, bool], ...] = (
    ("juridiction_code", 30, True),
    ("texte_reference", 30, True),
    ("categorie_prestataire", 50, False),
    ("numero_facture", 50, False),
    ("numero_engagement_juridique", 50, False),
    ("commentaire", 2000, False),
    ("motif_exoneration", 200, False),
)

# A domain error's field → the flux's name of it, where they differ.
_CHAMPS_DU_FLUX = {"montant_ht": "montant", "service_id": "service_code"}


@attrs.frozen
class CodesReferentiels:
    """The codes of the référentiels a flux's mémoires are checked against, read once per
    integration (a set lookup per value, no call per mémoire)."""

    juridictions: frozenset[str]
    textes_reference: frozenset[str]
    categories_prestataire: frozenset[str]
    types_prestation: frozenset[str]
    autorites_requerantes: frozenset[str]


@attrs.frozen
class PieceAnnoncee:
    """A pièce of a converted mémoire: the file to take from the ZIP, and what it is."""

    position: str
    fichier: str
    type_piece: TypePiece
    designation: str | None
    numero_ligne: int | None


@attrs.frozen
class MemoireConvertie:
    """A mémoire of a flux that passed every check the conversion makes."""

    rang: int
    position: str
    reference: str
    entete: EnTete
    lignes: tuple[LigneDePrestation, ...]
    pieces: tuple[PieceAnnoncee, ...]


@attrs.frozen
class Conversion:
    """The outcome of converting one mémoire: the converted mémoire, or every error."""

    memoire: MemoireConvertie | None
    erreurs: tuple[ErreurFlux, ...]


def lire_reference(valeur: str | None) -> str:
    """The prestataire's reference of a mémoire as it is compared and stored: trimmed, in
    NFC (two spellings of « é » are one reference), without control characters, at most
    50 characters; `ValidationError` on `reference` otherwise."""
    return texte_obligatoire(valeur, "reference", maximum=LONGUEUR_MAXIMUM_REFERENCE)


def cle_de_reference(valeur: str | None) -> str | None:
    """The reference as `lire_reference` reads it, or None when it is refused (its mémoire
    is then refused by the conversion)."""
    try:
        return lire_reference(valeur)
    except ValidationError:
        return None


def normaliser_iban(valeur: str) -> str:
    """An IBAN as compared: without spaces, upper case."""
    return _ESPACES.sub("", valeur).upper()


def lire_date(texte: str, champ: str) -> date:
    """A date written ``2026-03-01`` or ``01/03/2026``."""
    texte = texte.strip()
    try:
        if len(texte) == 10 and texte[4] == "-" and texte[7] == "-" and _DATE_ISO.fullmatch(texte):
            return date.fromisoformat(texte)
        francaise = _DATE_FRANCAISE.fullmatch(texte)
        if francaise:
            jour, mois, annee = francaise.groups()
            return date(int(annee), int(mois), int(jour))
    except ValueError:
        raise ValidationError(f"La date « {texte} » n'existe pas.", champ=champ) from None
    raise ValidationError(
        f"« {texte} » n'est pas une date (attendu AAAA-MM-JJ ou JJ/MM/AAAA).", champ=champ
    )


def lire_entier(texte: str, champ: str) -> int:
    texte = texte.strip()
    if not (texte.isascii() and texte.isdigit()) or len(texte) > 9:
        raise ValidationError(f"« {texte} » n'est pas un nombre entier positif.", champ=champ)
    return int(texte)


def _champ_du_flux(champ: str | None, defaut: str | None) -> str | None:
    if champ is None:
        return defaut
    for nom, du_flux in _CHAMPS_DU_FLUX.items():
        if champ == nom or champ.endswith("." + nom):
            return champ[: len(champ) - len(nom)] + du_flux
    return champ


class _Collecte:
    """The errors of one mémoire, as they are found."""

    def __init__(self) -> None:
        self.erreurs: list[ErreurFlux] = []

    def ajouter(self, position: str, champ: str | None, message: str) -> None:
        self.erreurs.append(ErreurFlux(ligne=position, champ=champ, message=message))

    def manque(self, position: str, champ: str) -> None:
        """« Ce champ est obligatoire », unless the reader already refused the value it
        could not read (too long, invalid characters…): one error per field."""
        complet = f"{position}.{champ}"
        for erreur in self.erreurs:
            if erreur.champ is not None and (
                (erreur.ligne == position and erreur.champ == champ)
                or f"{erreur.ligne}.{erreur.champ}" == complet
            ):
                return
        self.ajouter(position, champ, "Ce champ est obligatoire.")

    def essayer(self, position: str, champ: str | None, fonction: Callable[[], _T]) -> _T | None:
        """`fonction()`, or None with its refusal noted under `champ` (or the error's)."""
        try:
            return fonction()
        except DomainError as erreur:
            self.ajouter(position, _champ_du_flux(erreur.champ, champ), erreur.message)
            return None


def _obligatoire(
    collecte: _Collecte, position: str, valeurs: Mapping[str, str | None], champ: str
) -> str | None:
    valeur = valeurs.get(champ)
    if valeur is None or not valeur.strip():
        collecte.manque(position, champ)
        return None
    return valeur


def _code(
    collecte: _Collecte,
    position: str,
    champ: str,
    valeur: str | None,
    codes: frozenset[str],
    message: str,
) -> None:
    if valeur is not None and valeur.strip() and valeur.strip() not in codes:
        collecte.ajouter(position, champ, message.format(valeur.strip()))


def _entete(
    lue: MemoireLue, structure: Structure, codes: CodesReferentiels, collecte: _Collecte
) -> EnTete | None:
    position = lue.position
    valeurs = lue.entete
    avant = len(collecte.erreurs)
    textes: dict[str, str | None] = {}
    for champ, maximum, requis in _TEXTES_ENTETE:
        valeur = valeurs.get(champ)
        if requis and (valeur is None or not valeur.strip()):
            textes[champ] = None
            collecte.manque(position, champ)
        elif requis:
            textes[champ] = collecte.essayer(
                position,
                champ,
                partial(texte_obligatoire, valeur, champ, maximum=maximum),
            )
        else:
            textes[champ] = collecte.essayer(
                position,
                champ,
                partial(texte_optionnel, valeur, champ, maximum=maximum),
            )
    _code(
        collecte,
        position,
        "juridiction_code",
        textes["juridiction_code"],
        codes.juridictions,
        "La juridiction {} n'existe pas.",
    )
    _code(
        collecte,
        position,
        "texte_reference",
        textes["texte_reference"],
        codes.textes_reference,
        "Le texte de référence {} n'existe pas.",
    )
    _code(
        collecte,
        position,
        "categorie_prestataire",
        textes["categorie_prestataire"],
        codes.categories_prestataire,
        "La catégorie de prestataire {} n'existe pas.",
    )
    type_tva: TypeTva | None = None
    texte_tva = _obligatoire(collecte, position, valeurs, "type_tva")
    if texte_tva is not None:
        try:
            type_tva = TypeTva(texte_tva.strip().upper())
        except ValueError:
            possibles = ", ".join(t.value for t in TypeTva)
            collecte.ajouter(
                position,
                "type_tva",
                f"Le type de TVA « {texte_tva.strip()} » n'existe pas ; valeurs possibles : "
                f"{possibles}.",
            )
    devise = valeurs.get("devise")
    devise = "EUR" if devise is None or not devise.strip() else devise
    remise_texte = valeurs.get("remise_globale_ttc")
    remise: Decimal | str = "0"
    if remise_texte is not None and remise_texte.strip():
        lue_remise = collecte.essayer(
            position, "remise_globale_ttc", lambda: en_decimal(remise_texte, "remise_globale_ttc")
        )
        remise = lue_remise if lue_remise is not None else "0"
    service_id = _service(lue, structure, collecte)
    coordonnee_id = _coordonnee(lue, structure, collecte)
    if len(collecte.erreurs) > avant or type_tva is None:
        return None
    if any(textes[champ] is None for champ, _, requis in _TEXTES_ENTETE if requis):
        return None  # refused by the reader already (see `_Collecte.manque`)
    categorie = textes["categorie_prestataire"]
    espace = structure.espace_frais_de_justice
    if categorie is None and espace is not None:
        categorie = espace.categorie_prestataire
    return collecte.essayer(
        position,
        None,
        lambda: EnTete.creer(
            structure_id=structure.id,
            juridiction_code=textes["juridiction_code"] or "",
            texte_reference=textes["texte_reference"] or "",
            type_tva=type_tva,
            devise=devise,
            service_id=service_id,
            coordonnee_bancaire_id=coordonnee_id,
            categorie_prestataire=categorie,
            numero_facture=textes["numero_facture"],
            numero_engagement_juridique=textes["numero_engagement_juridique"],
            commentaire=textes["commentaire"],
            motif_exoneration=textes["motif_exoneration"],
            remise_globale_ttc=remise,
        ),
    )


def _service(lue: MemoireLue, structure: Structure, collecte: _Collecte) -> str | None:
    code = lue.entete.get("service_code")
    if code is None or not code.strip():
        return None
    code = code.strip()
    service = next((s for s in structure.services if s.code == code), None)
    if service is None:
        collecte.ajouter(
            lue.position, "service_code", f"Le service {code} n'existe pas dans la structure."
        )
        return None
    if not service.actif:
        collecte.ajouter(lue.position, "service_code", f"Le service {code} n'est plus actif.")
        return None
    return service.id


def _coordonnee(lue: MemoireLue, structure: Structure, collecte: _Collecte) -> str | None:
    iban = lue.entete.get("iban")
    if iban is None or not iban.strip():
        return None
    cherche = normaliser_iban(iban)
    for coordonnee in structure.coordonnees_bancaires:
        if normaliser_iban(coordonnee.iban) == cherche:
            return coordonnee.id
    collecte.ajouter(
        lue.position,
        "iban",
        "Cet IBAN ne fait pas partie des coordonnées bancaires de la structure : ajoutez-les "
        "d'abord dans l'espace de la structure.",
    )
    return None


def _frais(libelle: str, montant: Decimal, champ: str) -> FraisDivers:
    try:
        return FraisDivers.creer(libelle, montant)
    except ValidationError as erreur:
        raise erreur.prefixee(champ) from None


def _ligne(
    ligne: LigneLue,
    numero_ligne: int,
    type_tva: TypeTva | None,
    codes: CodesReferentiels,
    aujourdhui: date,
    collecte: _Collecte,
) -> LigneDePrestation | None:
    position = ligne.position
    valeurs = ligne.valeurs
    avant = len(collecte.erreurs)
    textes: dict[str, str | None] = {}
    for champ in ("numero_affaire", "autorite_requerante", "type_prestation"):
        textes[champ] = _obligatoire(collecte, position, valeurs, champ)
    _code(
        collecte,
        position,
        "autorite_requerante",
        textes["autorite_requerante"],
        codes.autorites_requerantes,
        "L'autorité requérante {} n'existe pas.",
    )
    _code(
        collecte,
        position,
        "type_prestation",
        textes["type_prestation"],
        codes.types_prestation,
        "Le type de prestation {} n'existe pas.",
    )
    dates: dict[str, date | None] = {}
    for champ in ("date_requisition", "date_prestation"):
        texte = _obligatoire(collecte, position, valeurs, champ)
        dates[champ] = (
            None
            if texte is None
            else collecte.essayer(position, champ, partial(lire_date, texte, champ))
        )
    nombres: dict[str, Decimal | None] = {}
    for champ, requis in (("quantite", True), ("tarif_ht", True), ("debours", False)):
        texte = _obligatoire(collecte, position, valeurs, champ) if requis else valeurs.get(champ)
        if texte is None or not texte.strip():
            nombres[champ] = None if requis else Decimal(0)
            continue
        nombres[champ] = collecte.essayer(position, champ, partial(en_decimal, texte, champ))
    taux: TauxTva | None = None
    texte_taux = _obligatoire(collecte, position, valeurs, "taux_tva")
    if texte_taux is not None:
        taux = collecte.essayer(position, "taux_tva", lambda: TauxTva.depuis(texte_taux))
    if taux is not None and type_tva is not None and type_tva.sans_taxe and taux.value != 0:
        collecte.ajouter(
            position,
            "taux_tva",
            f"Avec le type de TVA « {type_tva.libelle} », le taux de TVA de chaque ligne doit "
            "être 0.",
        )
    frais: list[tuple[str, Decimal | str]] = []
    for index, (libelle, montant) in enumerate(ligne.frais_divers):
        champ = f"frais_divers[{index}]"
        if libelle is None or not libelle.strip():
            collecte.manque(position, f"{champ}.libelle")
        if montant is None or not montant.strip():
            collecte.manque(position, f"{champ}.montant")
            continue
        lu = collecte.essayer(
            position, f"{champ}.montant", partial(en_decimal, montant, f"{champ}.montant")
        )
        # Each item checked on its own by the domain, so that all their errors show.
        if (
            lu is not None
            and libelle is not None
            and libelle.strip()
            and collecte.essayer(position, champ, partial(_frais, libelle, lu, champ)) is not None
        ):
            frais.append((libelle, lu))
    numero_affaire = textes["numero_affaire"]
    autorite = textes["autorite_requerante"]
    type_prestation = textes["type_prestation"]
    date_requisition = dates["date_requisition"]
    date_prestation = dates["date_prestation"]
    quantite = nombres["quantite"]
    tarif_ht = nombres["tarif_ht"]
    debours = nombres["debours"]
    if (
        numero_affaire is None
        or autorite is None
        or type_prestation is None
        or date_requisition is None
        or date_prestation is None
        or quantite is None
        or tarif_ht is None
        or debours is None
        or taux is None
        or len(frais) != len(ligne.frais_divers)
    ):
        return None
    # Every value could be read: the domain's rules apply too (a wrong code does not hide
    # an inverted pair of dates).
    saisie = SaisieLigne(
        numero_affaire=numero_affaire,
        date_requisition=date_requisition,
        autorite_requerante=autorite,
        type_prestation=type_prestation,
        date_prestation=date_prestation,
        quantite=quantite,
        tarif_ht=tarif_ht,
        taux_tva=taux,
        frais_divers=tuple(frais),
        debours=debours,
    )
    construite = collecte.essayer(position, None, lambda: saisie.en_ligne(numero_ligne, aujourdhui))
    return construite if len(collecte.erreurs) == avant else None


def _piece(piece: PieceLue, nombre_de_lignes: int, collecte: _Collecte) -> PieceAnnoncee | None:
    position = piece.position
    avant = len(collecte.erreurs)
    fichier = piece.fichier.strip() if piece.fichier is not None else ""
    if not fichier:
        collecte.manque(position, "fichier")
    type_piece: TypePiece | None = None
    if piece.type_piece is None or not piece.type_piece.strip():
        collecte.manque(position, "type_piece")
    else:
        try:
            type_piece = TypePiece(piece.type_piece.strip().upper())
        except ValueError:
            possibles = ", ".join(t.value for t in TypePiece)
            collecte.ajouter(
                position,
                "type_piece",
                f"Le type de pièce « {piece.type_piece.strip()} » n'existe pas ; valeurs "
                f"possibles : {possibles}.",
            )
    designation = collecte.essayer(
        position,
        "designation",
        lambda: texte_optionnel(piece.designation, "designation", maximum=200),
    )
    numero_ligne: int | None = None
    if piece.numero_ligne is not None and piece.numero_ligne.strip():
        numero_ligne = collecte.essayer(
            position, "numero_ligne", lambda: lire_entier(piece.numero_ligne or "", "numero_ligne")
        )
        if numero_ligne is not None and not 1 <= numero_ligne <= nombre_de_lignes:
            collecte.ajouter(
                position,
                "numero_ligne",
                f"Le mémoire n'a pas de ligne n°{numero_ligne} "
                f"({nombre_de_lignes} ligne(s) dans le fichier).",
            )
            numero_ligne = None
    if len(collecte.erreurs) > avant or type_piece is None or not fichier:
        return None
    return PieceAnnoncee(position, fichier, type_piece, designation, numero_ligne)


class _Refus(Exception):
    """The fast path met something wrong: the detailed one says what, all of it."""


def _texte(valeurs: Mapping[str, str | None], champ: str) -> str:
    valeur = valeurs.get(champ)
    if valeur is None or not valeur.strip():
        raise _Refus
    return valeur


def _ligne_vite(
    ligne: LigneLue,
    numero_ligne: int,
    type_tva: TypeTva,
    codes: CodesReferentiels,
    aujourdhui: date,
) -> LigneDePrestation:
    valeurs = ligne.valeurs
    frais: list[tuple[str, str]] = []
    for libelle, montant in ligne.frais_divers:
        if libelle is None or not libelle.strip() or montant is None or not montant.strip():
            raise _Refus
        frais.append((libelle, montant))
    debours = valeurs.get("debours")
    resultat = SaisieLigne(
        numero_affaire=_texte(valeurs, "numero_affaire"),
        date_requisition=lire_date(_texte(valeurs, "date_requisition"), "date_requisition"),
        autorite_requerante=_texte(valeurs, "autorite_requerante"),
        type_prestation=_texte(valeurs, "type_prestation"),
        date_prestation=lire_date(_texte(valeurs, "date_prestation"), "date_prestation"),
        quantite=_texte(valeurs, "quantite"),
        tarif_ht=_texte(valeurs, "tarif_ht"),
        taux_tva=_texte(valeurs, "taux_tva"),
        frais_divers=tuple(frais),
        debours=debours if debours is not None and debours.strip() else "0",
    ).en_ligne(numero_ligne, aujourdhui)
    if (
        resultat.autorite_requerante not in codes.autorites_requerantes
        or resultat.type_prestation not in codes.types_prestation
        or (type_tva.sans_taxe and resultat.taux_tva.value != 0)
    ):
        raise _Refus
    return resultat


def _vite(
    lue: MemoireLue, structure: Structure, codes: CodesReferentiels, aujourdhui: date
) -> MemoireConvertie:
    """The conversion of a mémoire without any error, by the domain's constructors alone
    (each field checked once); `_Refus` or a `DomainError` at the first problem, for the
    detailed path to report every one. Most mémoires of a flux are right: they cost this
    only."""
    if lue.erreurs or len(lue.lignes) > NOMBRE_MAXIMUM_DE_LIGNES:
        raise _Refus
    reference = lire_reference(lue.reference)
    valeurs = lue.entete
    try:
        type_tva = TypeTva(_texte(valeurs, "type_tva").strip().upper())
    except ValueError:
        raise _Refus from None
    collecte = _Collecte()
    service_id = _service(lue, structure, collecte)
    coordonnee_id = _coordonnee(lue, structure, collecte)
    if collecte.erreurs:
        raise _Refus
    categorie = valeurs.get("categorie_prestataire")
    espace = structure.espace_frais_de_justice
    if (categorie is None or not categorie.strip()) and espace is not None:
        categorie = espace.categorie_prestataire
    devise = valeurs.get("devise")
    remise = valeurs.get("remise_globale_ttc")
    entete = EnTete.creer(
        structure_id=structure.id,
        juridiction_code=_texte(valeurs, "juridiction_code"),
        texte_reference=_texte(valeurs, "texte_reference"),
        type_tva=type_tva,
        devise="EUR" if devise is None or not devise.strip() else devise,
        service_id=service_id,
        coordonnee_bancaire_id=coordonnee_id,
        categorie_prestataire=categorie,
        numero_facture=valeurs.get("numero_facture"),
        numero_engagement_juridique=valeurs.get("numero_engagement_juridique"),
        commentaire=valeurs.get("commentaire"),
        motif_exoneration=valeurs.get("motif_exoneration"),
        remise_globale_ttc="0" if remise is None or not remise.strip() else remise,
    )
    if (
        entete.juridiction_code not in codes.juridictions
        or entete.texte_reference not in codes.textes_reference
        or (
            entete.categorie_prestataire is not None
            and entete.categorie_prestataire not in codes.categories_prestataire
        )
    ):
        raise _Refus
    lignes = tuple(
        _ligne_vite(ligne, numero, type_tva, codes, aujourdhui)
        for numero, ligne in enumerate(lue.lignes, start=1)
    )
    pieces: list[PieceAnnoncee] = []
    for piece in lue.pieces:
        annoncee = _piece(piece, len(lue.lignes), collecte)
        if annoncee is None:
            raise _Refus
        pieces.append(annoncee)
    return MemoireConvertie(
        rang=lue.rang,
        position=lue.position,
        reference=reference,
        entete=entete,
        lignes=lignes,
        pieces=tuple(pieces),
    )


def convertir(
    lue: MemoireLue,
    structure: Structure,
    codes: CodesReferentiels,
    *,
    aujourdhui: date,
    en_detail: bool = False,
) -> Conversion:
    """The mémoire `lue` as the domain's objects for `structure`, or every error found in
    it (those of the reader first).

    A mémoire goes first through a fast path that stops at its first error; only then is
    it checked field by field to report them all (`en_detail` forces that path, which
    gives the same mémoire when there is no error)."""
    if not en_detail:
        try:
            return Conversion(_vite(lue, structure, codes, aujourdhui), ())
        except (_Refus, DomainError):
            pass
    collecte = _Collecte()
    collecte.erreurs.extend(lue.erreurs)
    reference = ""
    try:
        reference = lire_reference(lue.reference)
    except ValidationError as erreur:
        # The reader may already have said why the reference is missing (a list given…).
        if lue.reference is not None or not any(e.champ == "reference" for e in lue.erreurs):
            collecte.ajouter(lue.position, "reference", erreur.message)
    entete = _entete(lue, structure, codes, collecte)
    type_tva = entete.type_tva if entete is not None else _type_tva_lu(lue)
    if len(lue.lignes) > NOMBRE_MAXIMUM_DE_LIGNES:
        collecte.ajouter(
            lue.position,
            "lignes",
            f"Un mémoire ne peut pas compter plus de {NOMBRE_MAXIMUM_DE_LIGNES} lignes.",
        )
    lignes = [
        _ligne(ligne, numero, type_tva, codes, aujourdhui, collecte)
        for numero, ligne in enumerate(lue.lignes, start=1)
    ]
    pieces = [_piece(piece, len(lue.lignes), collecte) for piece in lue.pieces]
    if collecte.erreurs or entete is None:
        return Conversion(None, tuple(collecte.erreurs))
    return Conversion(
        MemoireConvertie(
            rang=lue.rang,
            position=lue.position,
            reference=reference,
            entete=entete,
            lignes=tuple(x for x in lignes if x is not None),
            pieces=tuple(x for x in pieces if x is not None),
        ),
        (),
    )


def _type_tva_lu(lue: MemoireLue) -> TypeTva | None:
    texte = lue.entete.get("type_tva")
    try:
        return TypeTva(texte.strip().upper()) if texte else None
    except ValueError:
        return None


def premiers_rangs(memoires: Sequence[MemoireLue]) -> dict[str, int]:
    """The rank of each reference's first mémoire in the file: any later one with the same
    reference is refused."""
    rangs: dict[str, int] = {}
    for lue in memoires:
        reference = cle_de_reference(lue.reference)
        if reference is not None:
            rangs.setdefault(reference, lue.rang)
    return rangs


def _canonique(valeur: object) -> str:
    # Validated texts hold no control character but tab and newline: NUL stands for "no
    # value", and the separators below cannot occur inside a value.
    return "\x00" if valeur is None else str(valeur)


def empreinte_memoire(memoire: MemoireConvertie, pieces_sha256: Sequence[str]) -> str:
    """The SHA-256 of a canonical form of what the mémoire holds (its en-tête, lines and
    pièces, each pièce by the SHA-256 of its content, `pieces_sha256` in the same order):
    the same mémoire read from JSON, XML or CSV, with ``12,50`` or ``12.50``, has the same
    empreinte; any change of content gives another."""
    entete = memoire.entete
    parties: list[str] = [
        "\x1e".join(
            map(
                _canonique,
                (
                    memoire.reference,
                    entete.juridiction_code,
                    entete.texte_reference,
                    entete.type_tva.value,
                    entete.devise,
                    entete.service_id,
                    entete.coordonnee_bancaire_id,
                    entete.categorie_prestataire,
                    entete.numero_facture,
                    entete.numero_engagement_juridique,
                    entete.commentaire,
                    entete.motif_exoneration,
                    entete.remise_globale_ttc,
                ),
            )
        )
    ]
    for ligne in memoire.lignes:
        parties.append(
            "\x1e".join(
                map(
                    _canonique,
                    (
                        "L",
                        ligne.numero_affaire,
                        ligne.date_requisition,
                        ligne.autorite_requerante,
                        ligne.type_prestation,
                        ligne.date_prestation,
                        ligne.quantite,
                        ligne.tarif_ht,
                        ligne.taux_tva.code,
                        ligne.debours,
                        *(x for f in ligne.frais_divers for x in (f.libelle, f.montant_ht)),
                    ),
                )
            )
        )
    for piece, sha256 in zip(memoire.pieces, pieces_sha256, strict=True):
        parties.append(
            "\x1e".join(
                map(
                    _canonique,
                    ("P", piece.type_piece.value, piece.designation, piece.numero_ligne, sha256),
                )
            )
        )
    return hashlib.sha256("\x1d".join(parties).encode("utf-8")).hexdigest()
