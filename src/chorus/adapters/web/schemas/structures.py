"""Request and response bodies of the Structures area, and the domain → schema mappings.

Enumerations travel as their codes; the domain's enums are reused as the vocabulary (their
values are the codes API.md promises). Instants are ISO 8601 with their offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from chorus.adapters.web.schemas.communs import AdresseEntree, AdresseSortie
from chorus.domain.jetons import Jeton
from chorus.domain.organisation import (
    Application,
    CoordonneeBancaire,
    Habilitation,
    Profil,
    Rattachement,
    Regime,
    Service,
    StatutRattachement,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.utilisateur import Utilisateur
from chorus.services.comptes import JetonApiCree

# An instant without its offset would be compared with the clock's aware instants: refuse it
# at the door (400 naming the field) rather than guess a time zone.
InstantAvecFuseau = Annotated[datetime, msgspec.Meta(tz=True)]


# -- requests ------------------------------------------------------------------------------


class CreationStructure(msgspec.Struct, forbid_unknown_fields=True):
    type_structure: TypeStructure
    type_identifiant: TypeIdentifiant
    identifiant: str
    raison_sociale: str
    adresse: AdresseEntree


class ModificationStructure(msgspec.Struct, forbid_unknown_fields=True):
    """What is absent stays as it is; `adresse` replaces the whole address;
    `recevoir_cycles_de_vie` is the option of the Frais de justice espace."""

    raison_sociale: str | None = None
    adresse: AdresseEntree | None = None
    recevoir_cycles_de_vie: bool | None = None


class CreationService(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    libelle: str


class ModificationService(msgspec.Struct, forbid_unknown_fields=True):
    libelle: str | None = None
    actif: bool | None = None


class CreationCoordonneeBancaire(msgspec.Struct, forbid_unknown_fields=True):
    libelle: str
    iban: str
    bic: str
    piece_jointe_id: str


class EspaceFraisDeJusticeEntree(msgspec.Struct, forbid_unknown_fields=True):
    categorie_prestataire: str | None = None
    regime: Regime | None = None


class EspaceTicEntree(msgspec.Struct, forbid_unknown_fields=True):
    """No option yet: the body is `{}`."""


class DesignationGestionnaire(msgspec.Struct, forbid_unknown_fields=True):
    gestionnaire: bool = True


class CreationHabilitation(msgspec.Struct, forbid_unknown_fields=True):
    utilisateur_id: str
    application: Application
    profil: Profil
    service_id: str | None = None


class CreationJetonApi(msgspec.Struct, forbid_unknown_fields=True):
    libelle: str
    profil: Profil
    expire_le: InstantAvecFuseau


# -- responses -----------------------------------------------------------------------------


class ServiceSortie(msgspec.Struct):
    id: str
    code: str
    libelle: str
    actif: bool


class CoordonneeBancaireSortie(msgspec.Struct):
    id: str
    libelle: str
    iban: str
    iban_masque: str
    bic: str
    piece_jointe_id: str


class EspaceFraisDeJusticeSortie(msgspec.Struct):
    categorie_prestataire: str | None
    regime: Regime | None
    recevoir_cycles_de_vie: bool
    """« Recevoir les cycles de vie »: GET …/cycle-de-vie answers for this structure."""


class EspacesSortie(msgspec.Struct):
    frais_de_justice: EspaceFraisDeJusticeSortie | None
    """None while the structure has not subscribed to the Frais de justice espace."""
    tic: bool


class StructureSortie(msgspec.Struct):
    id: str
    type_structure: TypeStructure
    type_identifiant: TypeIdentifiant
    identifiant: str
    raison_sociale: str
    libelle: str
    adresse: AdresseSortie
    departement: str | None
    date_creation: datetime
    services: list[ServiceSortie]
    coordonnees_bancaires: list[CoordonneeBancaireSortie]
    espaces: EspacesSortie
    version: int


class RattachementSortie(msgspec.Struct):
    id: str
    structure_id: str
    utilisateur_id: str
    statut: StatutRattachement
    gestionnaire: bool
    date_demande: datetime
    date_decision: datetime | None
    email: str | None = None
    nom: str | None = None
    prenom: str | None = None
    technique: bool = False
    """True for the account an API token acts through."""


class HabilitationSortie(msgspec.Struct):
    id: str
    structure_id: str
    utilisateur_id: str
    application: Application
    profil: Profil
    service_id: str | None


class PieceJointeSortie(msgspec.Struct):
    id: str
    nom_fichier: str
    taille: int
    sha256: str
    type_piece: TypePiece
    designation: str
    format: str
    """The format recognised from the content, never from the name (`PDF`, `PNG`…)."""
    content_type: str
    """The media type the file is served with, from that format."""
    date_ajout: datetime


class JetonApiSortie(msgspec.Struct):
    id: str
    libelle: str | None
    profil: Profil | None
    expire_le: datetime
    cree_le: datetime
    cree_par: str | None


class JetonApiCreeSortie(msgspec.Struct):
    id: str
    libelle: str | None
    profil: Profil | None
    expire_le: datetime
    cree_le: datetime
    cree_par: str | None
    jeton: str
    """The secret, shown this once: send it as `Authorization: Bearer <jeton>`."""


# -- domain → schema -----------------------------------------------------------------------


def service_sortie(service: Service) -> ServiceSortie:
    return ServiceSortie(
        id=service.id, code=service.code, libelle=service.libelle, actif=service.actif
    )


def coordonnee_sortie(coordonnee: CoordonneeBancaire) -> CoordonneeBancaireSortie:
    return CoordonneeBancaireSortie(
        id=coordonnee.id,
        libelle=coordonnee.libelle,
        iban=coordonnee.iban,
        iban_masque=coordonnee.iban_masque,
        bic=coordonnee.bic,
        piece_jointe_id=coordonnee.piece_jointe_id,
    )


def structure_sortie(structure: Structure) -> StructureSortie:
    espace = structure.espace_frais_de_justice
    return StructureSortie(
        id=structure.id,
        type_structure=structure.type_structure,
        type_identifiant=structure.type_identifiant,
        identifiant=structure.identifiant,
        raison_sociale=structure.raison_sociale,
        libelle=structure.libelle,
        adresse=AdresseSortie.depuis(structure.adresse),
        departement=structure.departement,
        date_creation=structure.date_creation,
        services=[service_sortie(s) for s in structure.services],
        coordonnees_bancaires=[coordonnee_sortie(c) for c in structure.coordonnees_bancaires],
        espaces=EspacesSortie(
            frais_de_justice=(
                None
                if espace is None
                else EspaceFraisDeJusticeSortie(
                    categorie_prestataire=espace.categorie_prestataire,
                    regime=espace.regime,
                    recevoir_cycles_de_vie=espace.recevoir_cycles_de_vie,
                )
            ),
            tic=structure.espace_tic,
        ),
        version=structure.version,
    )


def rattachement_sortie(
    structure_id: str, rattachement: Rattachement, utilisateur: Utilisateur | None = None
) -> RattachementSortie:
    return RattachementSortie(
        id=rattachement.id,
        structure_id=structure_id,
        utilisateur_id=rattachement.utilisateur_id,
        statut=rattachement.statut,
        gestionnaire=rattachement.gestionnaire,
        date_demande=rattachement.date_demande,
        date_decision=rattachement.date_decision,
        email=None if utilisateur is None else utilisateur.email,
        nom=None if utilisateur is None else utilisateur.nom,
        prenom=None if utilisateur is None else utilisateur.prenom,
        technique=utilisateur is not None and utilisateur.est_technique,
    )


def habilitation_sortie(structure_id: str, habilitation: Habilitation) -> HabilitationSortie:
    return HabilitationSortie(
        id=habilitation.id,
        structure_id=structure_id,
        utilisateur_id=habilitation.utilisateur_id,
        application=habilitation.application,
        profil=habilitation.profil,
        service_id=habilitation.service_id,
    )


def piece_sortie(piece: PieceJointe) -> PieceJointeSortie:
    return PieceJointeSortie(
        id=piece.id,
        nom_fichier=piece.nom_fichier,
        taille=piece.taille,
        sha256=piece.sha256,
        type_piece=piece.type_piece,
        designation=piece.designation,
        format=piece.format.name,
        content_type=piece.format.value,
        date_ajout=piece.date_ajout,
    )


def jeton_sortie(jeton: Jeton) -> JetonApiSortie:
    return JetonApiSortie(
        id=jeton.id,
        libelle=jeton.libelle,
        profil=jeton.profil,
        expire_le=jeton.expire_le,
        cree_le=jeton.cree_le,
        cree_par=jeton.cree_par,
    )


def jeton_cree_sortie(cree: JetonApiCree) -> JetonApiCreeSortie:
    jeton = cree.jeton
    return JetonApiCreeSortie(
        id=jeton.id,
        libelle=jeton.libelle,
        profil=jeton.profil,
        expire_le=jeton.expire_le,
        cree_le=jeton.cree_le,
        cree_par=jeton.cree_par,
        jeton=cree.secret,
    )
