"""What the three flux formats share: the field names, the values as text, the messages.

Every reader hands over each value as the text it found, trimmed, or None when the file has
none (absent, empty, ``null``): the rules (dates, amounts, codes, required fields) belong to
the conversion, which names its errors with the positions the readers give.
"""

from __future__ import annotations

import difflib

from chorus.domain.flux.lecture import ErreurFlux

VERSION = "1.0"
"""The only version of the JSON and XML formats so far."""

ESPACE_DE_NOMS = "urn:chorus:flux:memoires:1"
"""The XML namespace of every element of a flux."""

CHAMPS_ENTETE = (
    "reference",
    "juridiction_code",
    "texte_reference",
    "type_tva",
    "devise",
    "service_code",
    "iban",
    "categorie_prestataire",
    "numero_facture",
    "numero_engagement_juridique",
    "commentaire",
    "motif_exoneration",
    "remise_globale_ttc",
)
"""The en-tête fields, in the documented order; `MemoireLue.entete` has every one as key
(``reference`` included, also given apart as `MemoireLue.reference`)."""

CHAMPS_LIGNE = (
    "numero_affaire",
    "date_requisition",
    "autorite_requerante",
    "type_prestation",
    "date_prestation",
    "quantite",
    "tarif_ht",
    "taux_tva",
    "debours",
)
"""The scalar fields of a line; `LigneLue.valeurs` has every one as key. Its frais divers
come apart, in `LigneLue.frais_divers`."""

CHAMPS_FRAIS = ("libelle", "montant")
CHAMPS_PIECE = ("fichier", "type_piece", "designation", "numero_ligne")

LONGUEUR_MAXIMUM_VALEUR = 10_000
"""No documented field is anywhere near this long (the longest, `commentaire`, allows
2,000 characters): a longer value is refused by the reader itself, so that no megabyte of
text travels into the conversion or into the messages of a report."""

_EXTRAIT = 40


TEXTE_INVALIDE = "Le texte contient des caractères invalides."


def est_invalide(valeur: str) -> bool:
    """Whether `valeur` holds a lone surrogate (JSON's ``"\\ud800"``): no character, it
    cannot be written as UTF-8, so neither stored nor quoted in a report."""
    if valeur.isascii():
        return False
    try:
        valeur.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def extrait(valeur: str) -> str:
    """A value short enough to quote in a message (a lone surrogate shown as « ? »)."""
    if est_invalide(valeur):
        valeur = valeur.encode("utf-8", "replace").decode("utf-8")
    if len(valeur) <= _EXTRAIT:
        return valeur
    return valeur[: _EXTRAIT - 1] + "…"


def champ_inconnu(position: str, nom: str, connus: tuple[str, ...]) -> ErreurFlux:
    """« Champ inconnu », with the documented name the author most likely meant."""
    proches = difflib.get_close_matches(nom, connus, n=1, cutoff=0.75)
    suggestion = f" (vouliez-vous dire « {proches[0]} » ?)" if proches else ""
    return ErreurFlux(position, extrait(nom), f"Champ inconnu « {extrait(nom)} »{suggestion}.")


def champ_en_double(position: str, nom: str) -> ErreurFlux:
    return ErreurFlux(
        position,
        extrait(nom),
        f"Le champ « {extrait(nom)} » est donné plusieurs fois : une seule valeur est permise.",
    )


def trop_long(position: str, champ: str | None) -> ErreurFlux:
    return ErreurFlux(
        position,
        champ,
        f"La valeur dépasse {LONGUEUR_MAXIMUM_VALEUR:_} caractères.".replace("_", "\u202f"),
    )


def texte(brut: str, position: str, champ: str, erreurs: list[ErreurFlux]) -> str | None:
    """`brut` trimmed, None when blank; a value beyond the maximum length or holding an
    invalid character is reported in `erreurs` (and read as None)."""
    valeur = brut.strip()
    if not valeur:
        return None
    if len(valeur) > LONGUEUR_MAXIMUM_VALEUR:
        erreurs.append(trop_long(position, champ))
        return None
    if est_invalide(valeur):
        erreurs.append(ErreurFlux(position, champ, TEXTE_INVALIDE))
        return None
    return valeur
