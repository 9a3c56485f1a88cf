"""The tickets' reference data: catégories, sous-catégories, the object a ticket may be
about, and the service each sous-catégorie is routed to (the destinataire).

Kept as Python constants: the routing is a rule of the portal, not a setting, and every
adapter exposes it from here (the référentiel of the API, the TUI's lists).
"""

from __future__ import annotations

import enum

import attrs

from chorus.domain.errors import ValidationError


class CategorieTicket(enum.Enum):
    MEMOIRE = "MEMOIRE"
    TIC = "TIC"
    COMPTE = "COMPTE"
    STRUCTURE = "STRUCTURE"
    AUTRE = "AUTRE"

    @property
    def libelle(self) -> str:
        return {
            CategorieTicket.MEMOIRE: "Mémoire de frais de justice",
            CategorieTicket.TIC: "Demande de remboursement TIC/TICGN",
            CategorieTicket.COMPTE: "Compte utilisateur",
            CategorieTicket.STRUCTURE: "Structure",
            CategorieTicket.AUTRE: "Autre demande",
        }[self]


class TypeObjet(enum.Enum):
    """What a ticket may be about, by its number."""

    MEMOIRE = "MEMOIRE"
    DEMANDE_TIC = "DEMANDE_TIC"

    @property
    def libelle(self) -> str:
        return {
            TypeObjet.MEMOIRE: "Mémoire de frais de justice",
            TypeObjet.DEMANDE_TIC: "Demande de remboursement TIC/TICGN",
        }[self]


class Destinataire(enum.Enum):
    """The service that answers a ticket."""

    SUPPORT = "SUPPORT"
    SERVICE_CENTRALISATEUR = "SERVICE_CENTRALISATEUR"
    COMPTABLE = "COMPTABLE"
    INSTRUCTION_TIC = "INSTRUCTION_TIC"

    @property
    def libelle(self) -> str:
        """The generic label; a service centralisateur's is completed with its juridiction
        (see `libelle_destinataire`)."""
        return {
            Destinataire.SUPPORT: "Support Chorus Portail Pro",
            Destinataire.SERVICE_CENTRALISATEUR: "Service centralisateur",
            Destinataire.COMPTABLE: "Pôle Chorus – comptable",
            Destinataire.INSTRUCTION_TIC: "Service instructeur TIC/TICGN",
        }[self]


def libelle_destinataire(destinataire: Destinataire, juridiction: str | None = None) -> str:
    """« Service centralisateur – Tribunal judiciaire de Lyon » for a service centralisateur
    with its juridiction's name; the generic label otherwise."""
    if destinataire is Destinataire.SERVICE_CENTRALISATEUR and juridiction:
        return f"{destinataire.libelle} – {juridiction}"
    return destinataire.libelle


class SousCategorieTicket(enum.Enum):
    M_SAISIE = "M_SAISIE"
    M_SUIVI = "M_SUIVI"
    M_REFUS = "M_REFUS"
    M_PAIEMENT = "M_PAIEMENT"
    M_LISTE_FISCALE = "M_LISTE_FISCALE"
    T_ELIGIBILITE = "T_ELIGIBILITE"
    T_SUIVI = "T_SUIVI"
    T_PAIEMENT = "T_PAIEMENT"
    C_CONNEXION = "C_CONNEXION"
    C_NOTIFICATIONS = "C_NOTIFICATIONS"
    S_GESTION = "S_GESTION"
    S_HABILITATIONS = "S_HABILITATIONS"
    S_BANCAIRE = "S_BANCAIRE"
    A_QUESTION = "A_QUESTION"

    @property
    def definition(self) -> DefinitionSousCategorie:
        return SOUS_CATEGORIES[self]

    @property
    def libelle(self) -> str:
        return SOUS_CATEGORIES[self].libelle

    @property
    def categorie(self) -> CategorieTicket:
        return SOUS_CATEGORIES[self].categorie


@attrs.frozen
class DefinitionSousCategorie:
    """One sous-catégorie: its label, its catégorie, the object a ticket of it is about
    (None: none; `objet_obligatoire` when the number must be given) and where it goes."""

    code: SousCategorieTicket
    libelle: str
    categorie: CategorieTicket
    type_objet: TypeObjet | None
    objet_obligatoire: bool
    destinataire: Destinataire


_C = CategorieTicket
_S = SousCategorieTicket
_D = Destinataire


def _def(
    code: SousCategorieTicket,
    libelle: str,
    categorie: CategorieTicket,
    destinataire: Destinataire,
    type_objet: TypeObjet | None = None,
    *,
    obligatoire: bool = False,
) -> DefinitionSousCategorie:
    return DefinitionSousCategorie(code, libelle, categorie, type_objet, obligatoire, destinataire)


SOUS_CATEGORIES: dict[SousCategorieTicket, DefinitionSousCategorie] = {
    d.code: d
    for d in (
        _def(_S.M_SAISIE, "M – Saisie d'un mémoire", _C.MEMOIRE, _D.SUPPORT, TypeObjet.MEMOIRE),
        _def(
            _S.M_SUIVI,
            "M – Suivi du traitement d'un mémoire",
            _C.MEMOIRE,
            _D.SERVICE_CENTRALISATEUR,
            TypeObjet.MEMOIRE,
            obligatoire=True,
        ),
        _def(
            _S.M_REFUS,
            "M – Refus ou montant taxé d'un mémoire",
            _C.MEMOIRE,
            _D.SERVICE_CENTRALISATEUR,
            TypeObjet.MEMOIRE,
            obligatoire=True,
        ),
        _def(
            _S.M_PAIEMENT,
            "M – Paiement d'un mémoire",
            _C.MEMOIRE,
            _D.COMPTABLE,
            TypeObjet.MEMOIRE,
            obligatoire=True,
        ),
        _def(_S.M_LISTE_FISCALE, "M – Liste fiscale", _C.MEMOIRE, _D.SUPPORT),
        _def(_S.T_ELIGIBILITE, "T – Éligibilité, taux et délais", _C.TIC, _D.SUPPORT),
        _def(
            _S.T_SUIVI,
            "T – Suivi de l'instruction d'une demande",
            _C.TIC,
            _D.INSTRUCTION_TIC,
            TypeObjet.DEMANDE_TIC,
            obligatoire=True,
        ),
        _def(
            _S.T_PAIEMENT,
            "T – Paiement d'une demande",
            _C.TIC,
            _D.INSTRUCTION_TIC,
            TypeObjet.DEMANDE_TIC,
            obligatoire=True,
        ),
        _def(
            _S.C_CONNEXION,
            "C – Activation, connexion et mot de passe",
            _C.COMPTE,
            _D.SUPPORT,
        ),
        _def(_S.C_NOTIFICATIONS, "C – Courriels et suivi d'activité", _C.COMPTE, _D.SUPPORT),
        _def(_S.S_GESTION, "S – Création et données d'une structure", _C.STRUCTURE, _D.SUPPORT),
        _def(_S.S_HABILITATIONS, "S – Rattachements et habilitations", _C.STRUCTURE, _D.SUPPORT),
        _def(_S.S_BANCAIRE, "S – Coordonnées bancaires", _C.STRUCTURE, _D.SUPPORT),
        _def(_S.A_QUESTION, "A – Question générale", _C.AUTRE, _D.SUPPORT),
    )
}


def sous_categories_de(categorie: CategorieTicket) -> tuple[DefinitionSousCategorie, ...]:
    """The sous-catégories of `categorie`, in the order the form lists them."""
    return tuple(d for d in SOUS_CATEGORIES.values() if d.categorie is categorie)


def lire_categorie(valeur: object, champ: str = "categorie") -> CategorieTicket:
    """A catégorie from its code (or itself); refused naming `champ` otherwise."""
    if isinstance(valeur, CategorieTicket):
        return valeur
    if isinstance(valeur, str):
        try:
            return CategorieTicket(valeur.strip().upper())
        except ValueError:
            pass
    codes = ", ".join(c.value for c in CategorieTicket)
    raise ValidationError(f"Catégorie inconnue : choisissez parmi {codes}.", champ=champ)


def lire_sous_categorie(valeur: object, champ: str = "sous_categorie") -> SousCategorieTicket:
    """A sous-catégorie from its code (or itself); refused naming `champ` otherwise."""
    if isinstance(valeur, SousCategorieTicket):
        return valeur
    if isinstance(valeur, str):
        try:
            return SousCategorieTicket(valeur.strip().upper())
        except ValueError:
            pass
    raise ValidationError(
        "Sous-catégorie inconnue : choisissez-en une de la catégorie (voir le référentiel "
        "des catégories de tickets).",
        champ=champ,
    )


def lire_type_objet(valeur: object, champ: str = "type_objet") -> TypeObjet | None:
    """A type d'objet from its code (None or blank: none given)."""
    if valeur is None or isinstance(valeur, TypeObjet):
        return valeur
    if isinstance(valeur, str):
        if not valeur.strip():
            return None
        try:
            return TypeObjet(valeur.strip().upper())
        except ValueError:
            pass
    codes = ", ".join(t.value for t in TypeObjet)
    raise ValidationError(f"Type d'objet inconnu : choisissez parmi {codes}.", champ=champ)
