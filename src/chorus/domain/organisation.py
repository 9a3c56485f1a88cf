"""Structures, their services, bank details and espaces; rattachements; habilitations.

Every provider, natural or legal person, is a *structure*. Users are natural persons known by
their email; a user joins a structure by a *rattachement* the structure's gestionnaire accepts,
and acts on it through *habilitations* (an application × a profile, optionally one service).
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.identifiants import (
    departement_du_code_postal,
    valider_bic,
    valider_iban,
    valider_siret,
    valider_tva_intracommunautaire,
)
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.textes import texte_obligatoire, texte_optionnel


class TypeStructure(enum.Enum):
    ENTREPRISE = "ENTREPRISE"
    PARTICULIER = "PARTICULIER"
    ASSOCIATION = "ASSOCIATION"
    ENTITE_PUBLIQUE = "ENTITE_PUBLIQUE"

    @property
    def libelle(self) -> str:
        return {
            TypeStructure.ENTREPRISE: "Entreprise",
            TypeStructure.PARTICULIER: "Particulier",
            TypeStructure.ASSOCIATION: "Association",
            TypeStructure.ENTITE_PUBLIQUE: "Entité publique",
        }[self]


class TypeIdentifiant(enum.Enum):
    SIRET = "SIRET"
    RIDET = "RIDET"
    TAHITI = "TAHITI"
    UE_HORS_FRANCE = "UE_HORS_FRANCE"
    HORS_UE = "HORS_UE"
    PARTICULIER = "PARTICULIER"


class Regime(enum.Enum):
    """Social régime of a natural person working for the courts (drives CPP tariff columns)."""

    INDEPENDANT = "INDEPENDANT"
    COSP = "COSP"

    @property
    def libelle(self) -> str:
        if self is Regime.INDEPENDANT:
            return "Indépendant"
        return "Collaborateur occasionnel du service public (COSP)"


class Application(enum.Enum):
    FRAIS_DE_JUSTICE = "FRAIS_DE_JUSTICE"
    TIC = "TIC"

    @property
    def libelle(self) -> str:
        return "Frais de justice" if self is Application.FRAIS_DE_JUSTICE else "TIC/TICGN"


class Profil(enum.Enum):
    CONSULTATION = "CONSULTATION"
    MODIFICATION = "MODIFICATION"

    def couvre(self, requis: Profil) -> bool:
        """Modification includes consultation; consultation covers only itself."""
        return self is Profil.MODIFICATION or requis is Profil.CONSULTATION


class StatutRattachement(enum.Enum):
    EN_COURS_DE_VALIDATION = "EN_COURS_DE_VALIDATION"
    VALIDEE = "VALIDEE"
    REFUSEE = "REFUSEE"
    DESACTIVEE = "DESACTIVEE"


def _identifiant(type_identifiant: TypeIdentifiant, valeur: str, champ: str) -> str:
    brut = texte_obligatoire(valeur, champ, maximum=80)
    match type_identifiant:
        case TypeIdentifiant.SIRET:
            return valider_siret(brut, champ)
        case TypeIdentifiant.UE_HORS_FRANCE:
            return valider_tva_intracommunautaire(brut, champ)
        case TypeIdentifiant.RIDET:
            # Nouvelle-Calédonie: 7-digit company number, optionally its 3-digit establishment.
            compact = brut.replace(" ", "").replace(".", "")
            if not (compact.isascii() and compact.isdigit() and len(compact) in (6, 7, 9, 10)):
                raise ValidationError(
                    "Le RIDET comporte 6 ou 7 chiffres, suivis éventuellement des 3 chiffres "
                    "de l'établissement.",
                    champ=champ,
                )
            return compact
        case TypeIdentifiant.TAHITI:
            compact = brut.replace(" ", "").upper()
            if not (len(compact) in (6, 9) and compact.isascii() and compact.isalnum()):
                raise ValidationError(
                    "Le numéro TAHITI comporte 6 caractères, suivis éventuellement des 3 "
                    "chiffres de l'établissement.",
                    champ=champ,
                )
            return compact
        case TypeIdentifiant.HORS_UE | TypeIdentifiant.PARTICULIER:
            return brut


@attrs.frozen
class Adresse:
    """A postal address; the département is derived from a French postal code."""

    ligne1: str
    code_postal: str
    ville: str
    pays: str = "FR"
    ligne2: str | None = None

    @staticmethod
    def creer(
        *,
        ligne1: str,
        code_postal: str,
        ville: str,
        pays: str = "FR",
        ligne2: str | None = None,
        champ: str = "adresse",
    ) -> Adresse:
        pays_code = texte_obligatoire(pays, f"{champ}.pays", maximum=10).upper()
        if len(pays_code) != 2 or not pays_code.isalpha():
            raise ValidationError(
                "Le pays s'écrit avec son code ISO à deux lettres (FR, BE, …).",
                champ=f"{champ}.pays",
            )
        adresse = Adresse(
            ligne1=texte_obligatoire(ligne1, f"{champ}.ligne1", maximum=100),
            ligne2=texte_optionnel(ligne2, f"{champ}.ligne2", maximum=100),
            code_postal=texte_obligatoire(code_postal, f"{champ}.code_postal", maximum=10),
            ville=texte_obligatoire(ville, f"{champ}.ville", maximum=80),
            pays=pays_code,
        )
        if pays_code == "FR":
            departement_du_code_postal(adresse.code_postal, f"{champ}.code_postal")
        return adresse

    @property
    def departement(self) -> str | None:
        """The département of the address, for a French one; None abroad."""
        if self.pays != "FR":
            return None
        return departement_du_code_postal(self.code_postal)


@attrs.frozen
class Service:
    """A service of a structure, used to route mémoires inside it."""

    id: str
    code: str
    libelle: str
    actif: bool = True


@attrs.frozen
class CoordonneeBancaire:
    """Bank details of a structure, with the RIB file kept in the structure's pièces."""

    id: str
    libelle: str
    iban: str
    bic: str
    piece_jointe_id: str

    @staticmethod
    def creer(
        *, id: str, libelle: str, iban: str, bic: str, piece_jointe_id: str
    ) -> CoordonneeBancaire:
        return CoordonneeBancaire(
            id=id,
            libelle=texte_obligatoire(libelle, "libelle", maximum=100),
            iban=valider_iban(iban),
            bic=valider_bic(bic),
            piece_jointe_id=texte_obligatoire(piece_jointe_id, "piece_jointe_id", maximum=64),
        )

    @property
    def iban_masque(self) -> str:
        """The IBAN as shown in lists: country, key and last four characters."""
        return f"{self.iban[:4]} **** **** {self.iban[-4:]}"


@attrs.frozen
class EspaceFraisDeJustice:
    """The Frais de justice espace of a structure: default catégorie, and régime; and
    whether it asked for the cycle-de-vie feed of its mémoires (« Recevoir les cycles de
    vie », off until a gestionnaire turns it on)."""

    categorie_prestataire: str | None = None
    regime: Regime | None = None
    recevoir_cycles_de_vie: bool = False


@attrs.frozen
class Rattachement:
    """A user's membership of a structure, requested by the user, decided by a gestionnaire."""

    id: str
    utilisateur_id: str
    statut: StatutRattachement
    date_demande: datetime
    gestionnaire: bool = False
    date_decision: datetime | None = None
    technique: bool = False
    """The account of an API token: its rights are the token's, fixed at its creation."""


@attrs.frozen
class Habilitation:
    """A profile on an application for a structure, or for one service of it."""

    id: str
    utilisateur_id: str
    application: Application
    profil: Profil
    service_id: str | None = None


@attrs.frozen
class Structure:
    """A provider (natural or legal person) and everything the portal keeps about it."""

    id: str
    type_structure: TypeStructure
    type_identifiant: TypeIdentifiant
    identifiant: str
    raison_sociale: str
    adresse: Adresse
    date_creation: datetime
    services: tuple[Service, ...] = ()
    coordonnees_bancaires: tuple[CoordonneeBancaire, ...] = ()
    espace_frais_de_justice: EspaceFraisDeJustice | None = None
    espace_tic: bool = False
    rattachements: tuple[Rattachement, ...] = ()
    habilitations: tuple[Habilitation, ...] = ()
    pieces: tuple[PieceJointe, ...] = ()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        if (self.type_structure is TypeStructure.PARTICULIER) != (
            self.type_identifiant is TypeIdentifiant.PARTICULIER
        ):
            raise ValidationError(
                "Une structure de type Particulier s'identifie par le type d'identifiant "
                "PARTICULIER, et seulement elle.",
                champ="type_identifiant",
            )
        espace = self.espace_frais_de_justice
        if (
            espace is not None
            and self.type_structure is TypeStructure.PARTICULIER
            and espace.regime is None
        ):
            raise ValidationError(
                "Pour une structure de type Particulier, le régime (Indépendant ou COSP) est "
                "obligatoire.",
                champ="regime",
            )

    @staticmethod
    def creer(
        *,
        id: str,
        type_structure: TypeStructure,
        type_identifiant: TypeIdentifiant,
        identifiant: str,
        raison_sociale: str,
        adresse: Adresse,
        createur_id: str,
        rattachement_id: str,
        habilitation_ids: tuple[str, str],
        maintenant: datetime,
    ) -> Structure:
        """A new structure whose creator is its gestionnaire principal with every habilitation."""
        return Structure(
            id=id,
            type_structure=type_structure,
            type_identifiant=type_identifiant,
            identifiant=_identifiant(type_identifiant, identifiant, "identifiant"),
            raison_sociale=texte_obligatoire(raison_sociale, "raison_sociale", maximum=150),
            adresse=adresse,
            date_creation=maintenant,
            rattachements=(
                Rattachement(
                    id=rattachement_id,
                    utilisateur_id=createur_id,
                    statut=StatutRattachement.VALIDEE,
                    date_demande=maintenant,
                    gestionnaire=True,
                    date_decision=maintenant,
                ),
            ),
            habilitations=tuple(
                Habilitation(
                    id=habilitation_id,
                    utilisateur_id=createur_id,
                    application=application,
                    profil=Profil.MODIFICATION,
                )
                for habilitation_id, application in zip(habilitation_ids, Application, strict=True)
            ),
        )

    @property
    def departement(self) -> str | None:
        return self.adresse.departement

    @property
    def libelle(self) -> str:
        """« identifiant – raison sociale », as the certificate and the lists write it."""
        return f"{self.identifiant} – {self.raison_sociale}"

    # -- queries -------------------------------------------------------------------------

    def rattachement_de(self, utilisateur_id: str) -> Rattachement | None:
        for rattachement in self.rattachements:
            if rattachement.utilisateur_id == utilisateur_id:
                return rattachement
        return None

    def est_membre(self, utilisateur_id: str) -> bool:
        rattachement = self.rattachement_de(utilisateur_id)
        return rattachement is not None and rattachement.statut is StatutRattachement.VALIDEE

    def est_gestionnaire(self, utilisateur_id: str) -> bool:
        rattachement = self.rattachement_de(utilisateur_id)
        return (
            rattachement is not None
            and rattachement.statut is StatutRattachement.VALIDEE
            and rattachement.gestionnaire
        )

    def habilitations_de(self, utilisateur_id: str) -> tuple[Habilitation, ...]:
        if not self.est_membre(utilisateur_id):
            return ()
        return tuple(h for h in self.habilitations if h.utilisateur_id == utilisateur_id)

    def service(self, service_id: str, champ: str = "service_id") -> Service:
        for service in self.services:
            if service.id == service_id:
                return service
        raise ValidationError("Ce service n'existe pas dans la structure.", champ=champ)

    def coordonnee_bancaire(
        self, coordonnee_id: str, champ: str = "coordonnee_bancaire_id"
    ) -> CoordonneeBancaire:
        for coordonnee in self.coordonnees_bancaires:
            if coordonnee.id == coordonnee_id:
                return coordonnee
        raise ValidationError(
            "Ces coordonnées bancaires n'appartiennent pas à la structure.", champ=champ
        )

    def piece(self, piece_id: str, champ: str = "piece_structure_id") -> PieceJointe:
        for piece in self.pieces:
            if piece.id == piece_id:
                return piece
        raise ValidationError("Cette pièce n'existe pas dans la structure.", champ=champ)

    # -- changes -------------------------------------------------------------------------

    def modifier(
        self, *, raison_sociale: str | None = None, adresse: Adresse | None = None
    ) -> Structure:
        return attrs.evolve(
            self,
            raison_sociale=(
                texte_obligatoire(raison_sociale, "raison_sociale", maximum=150)
                if raison_sociale is not None
                else self.raison_sociale
            ),
            adresse=adresse if adresse is not None else self.adresse,
        )

    def ajouter_service(self, *, id: str, code: str, libelle: str) -> Structure:
        code_propre = texte_obligatoire(code, "code", maximum=30).upper()
        if any(s.code == code_propre for s in self.services):
            raise Conflit(f"Un service de code {code_propre} existe déjà.", champ="code")
        service = Service(
            id=id, code=code_propre, libelle=texte_obligatoire(libelle, "libelle", maximum=100)
        )
        return attrs.evolve(self, services=(*self.services, service))

    def modifier_service(
        self, service_id: str, *, libelle: str | None = None, actif: bool | None = None
    ) -> Structure:
        """Rename or (de)activate a service; a deactivated one takes no new mémoire."""
        cible = self.service(service_id)
        change = attrs.evolve(
            cible,
            libelle=(
                texte_obligatoire(libelle, "libelle", maximum=100)
                if libelle is not None
                else cible.libelle
            ),
            actif=cible.actif if actif is None else actif,
        )
        return attrs.evolve(
            self, services=tuple(change if s.id == service_id else s for s in self.services)
        )

    def ajouter_piece(self, piece: PieceJointe) -> Structure:
        if piece.numero_ligne is not None:
            raise ValidationError(
                "Une pièce de structure ne se rattache à aucune ligne.", champ="numero_ligne"
            )
        return attrs.evolve(self, pieces=(*self.pieces, piece))

    def retirer_piece(self, piece_id: str) -> Structure:
        """Remove a pièce from the pool; the RIB of bank details still on file stays.

        Mémoires keep their own copies of what was imported: removing it here changes
        nothing in them."""
        self.piece(piece_id, champ="piece_id")
        if any(c.piece_jointe_id == piece_id for c in self.coordonnees_bancaires):
            raise Conflit(
                "Cette pièce est le RIB de coordonnées bancaires enregistrées : retirez "
                "d'abord ces coordonnées.",
                champ="piece_id",
            )
        return attrs.evolve(self, pieces=tuple(p for p in self.pieces if p.id != piece_id))

    def ajouter_coordonnee_bancaire(self, coordonnee: CoordonneeBancaire) -> Structure:
        piece = self.piece(coordonnee.piece_jointe_id, champ="piece_jointe_id")
        if piece.type_piece is not TypePiece.COORDONNEE_BANCAIRE:
            raise ValidationError(
                "Le fichier du RIB doit être une pièce de type « Coordonnée bancaire ».",
                champ="piece_jointe_id",
            )
        if any(c.iban == coordonnee.iban for c in self.coordonnees_bancaires):
            raise Conflit("Cet IBAN est déjà enregistré pour la structure.", champ="iban")
        return attrs.evolve(self, coordonnees_bancaires=(*self.coordonnees_bancaires, coordonnee))

    def retirer_coordonnee_bancaire(self, coordonnee_id: str) -> Structure:
        self.coordonnee_bancaire(coordonnee_id)
        return attrs.evolve(
            self,
            coordonnees_bancaires=tuple(
                c for c in self.coordonnees_bancaires if c.id != coordonnee_id
            ),
        )

    def definir_espace_frais_de_justice(
        self, categorie_prestataire: str | None, regime: Regime | None
    ) -> Structure:
        # The cycle-de-vie choice is not part of this form: it stays as it was.
        actuel = self.espace_frais_de_justice or EspaceFraisDeJustice()
        return attrs.evolve(
            self,
            espace_frais_de_justice=attrs.evolve(
                actuel, categorie_prestataire=categorie_prestataire, regime=regime
            ),
        )

    @property
    def recoit_cycles_de_vie(self) -> bool:
        """Whether the structure asked for the cycle-de-vie feed of its mémoires."""
        espace = self.espace_frais_de_justice
        return espace is not None and espace.recevoir_cycles_de_vie

    def definir_cycles_de_vie(self, recevoir: bool) -> Structure:
        """Turn « Recevoir les cycles de vie » on or off; an option of the Frais de justice
        espace, which must be subscribed first."""
        espace = self.espace_frais_de_justice
        if espace is None:
            if not recevoir:
                return self
            raise Conflit(
                "Souscrivez d'abord l'espace Frais de justice de la structure : « Recevoir "
                "les cycles de vie » en est une option.",
                champ="recevoir_cycles_de_vie",
            )
        return attrs.evolve(
            self, espace_frais_de_justice=attrs.evolve(espace, recevoir_cycles_de_vie=recevoir)
        )

    def activer_espace_tic(self) -> Structure:
        return attrs.evolve(self, espace_tic=True)

    def demander_rattachement(
        self, *, id: str, utilisateur_id: str, maintenant: datetime
    ) -> Structure:
        existant = self.rattachement_de(utilisateur_id)
        if existant is not None and existant.statut is StatutRattachement.VALIDEE:
            raise Conflit("Vous êtes déjà rattaché à cette structure.")
        if existant is not None and existant.statut is StatutRattachement.EN_COURS_DE_VALIDATION:
            raise Conflit("Votre demande de rattachement est déjà en cours de validation.")
        nouveau = Rattachement(
            id=id,
            utilisateur_id=utilisateur_id,
            statut=StatutRattachement.EN_COURS_DE_VALIDATION,
            date_demande=maintenant,
        )
        autres = tuple(r for r in self.rattachements if r.utilisateur_id != utilisateur_id)
        return attrs.evolve(self, rattachements=(*autres, nouveau))

    def ajouter_compte_technique(
        self,
        *,
        utilisateur_id: str,
        rattachement_id: str,
        habilitation: Habilitation,
        maintenant: datetime,
    ) -> Structure:
        """Attach an API token's account: a member at once (no request to decide, the
        gestionnaire creating the token is the decision), never a gestionnaire, with the one
        habilitation the token grants."""
        if self.rattachement_de(utilisateur_id) is not None:
            raise Conflit("Ce compte est déjà rattaché à la structure.", champ="utilisateur_id")
        if habilitation.utilisateur_id != utilisateur_id:
            raise ValidationError(
                "L'habilitation d'un compte technique doit être la sienne.",
                champ="utilisateur_id",
            )
        if habilitation.service_id is not None:
            self.service(habilitation.service_id)
        rattachement = Rattachement(
            id=rattachement_id,
            utilisateur_id=utilisateur_id,
            statut=StatutRattachement.VALIDEE,
            date_demande=maintenant,
            date_decision=maintenant,
            technique=True,
        )
        return attrs.evolve(
            self,
            rattachements=(*self.rattachements, rattachement),
            habilitations=(*self.habilitations, habilitation),
        )

    def _pas_un_jeton(self, utilisateur_id: str, champ: str) -> None:
        # Widening a token's rights would bypass what its creator chose: make a new token.
        rattachement = self.rattachement_de(utilisateur_id)
        if rattachement is not None and rattachement.technique:
            raise ValidationError(
                "Ce compte est celui d'un jeton d'API : ses droits sont fixés à la création "
                "du jeton ; créez un nouveau jeton pour d'autres droits.",
                champ=champ,
            )

    def _decider(
        self, rattachement_id: str, statut: StatutRattachement, maintenant: datetime
    ) -> Structure:
        cible = next((r for r in self.rattachements if r.id == rattachement_id), None)
        if cible is None:
            raise NonTrouve("Cette demande de rattachement n'existe pas.")
        if cible.statut is not StatutRattachement.EN_COURS_DE_VALIDATION:
            raise TransitionInvalide("Cette demande de rattachement a déjà été traitée.")
        decide = attrs.evolve(cible, statut=statut, date_decision=maintenant)
        return attrs.evolve(
            self,
            rattachements=tuple(
                decide if r.id == rattachement_id else r for r in self.rattachements
            ),
        )

    def valider_rattachement(self, rattachement_id: str, maintenant: datetime) -> Structure:
        return self._decider(rattachement_id, StatutRattachement.VALIDEE, maintenant)

    def refuser_rattachement(self, rattachement_id: str, maintenant: datetime) -> Structure:
        return self._decider(rattachement_id, StatutRattachement.REFUSEE, maintenant)

    def _membre(self, utilisateur_id: str) -> Rattachement:
        rattachement = self.rattachement_de(utilisateur_id)
        if rattachement is None or rattachement.statut is not StatutRattachement.VALIDEE:
            raise ValidationError(
                "Cet utilisateur n'est pas rattaché à la structure.", champ="utilisateur_id"
            )
        return rattachement

    def _garder_un_gestionnaire(self, utilisateur_id: str) -> None:
        autres = [
            r
            for r in self.rattachements
            if r.gestionnaire
            and r.statut is StatutRattachement.VALIDEE
            and r.utilisateur_id != utilisateur_id
        ]
        if not autres:
            raise ValidationError(
                "La structure doit garder au moins un gestionnaire : nommez-en un autre d'abord.",
                champ="utilisateur_id",
            )

    def definir_gestionnaire(self, utilisateur_id: str, gestionnaire: bool) -> Structure:
        """Make a member a gestionnaire, or withdraw the role (never from the last one)."""
        self._pas_un_jeton(utilisateur_id, "utilisateur_id")
        rattachement = self._membre(utilisateur_id)
        if not gestionnaire and rattachement.gestionnaire:
            self._garder_un_gestionnaire(utilisateur_id)
        change = attrs.evolve(rattachement, gestionnaire=gestionnaire)
        return attrs.evolve(
            self,
            rattachements=tuple(
                change if r.id == rattachement.id else r for r in self.rattachements
            ),
        )

    def detacher(self, utilisateur_id: str, maintenant: datetime) -> Structure:
        """End a membership (a departure): the user's habilitations go with it; the
        rattachement stays, DESACTIVEE, as a trace, and the user may ask again later."""
        rattachement = self._membre(utilisateur_id)
        if rattachement.gestionnaire:
            self._garder_un_gestionnaire(utilisateur_id)
        change = attrs.evolve(
            rattachement,
            statut=StatutRattachement.DESACTIVEE,
            gestionnaire=False,
            date_decision=maintenant,
        )
        return attrs.evolve(
            self,
            rattachements=tuple(
                change if r.id == rattachement.id else r for r in self.rattachements
            ),
            habilitations=tuple(
                h for h in self.habilitations if h.utilisateur_id != utilisateur_id
            ),
        )

    def _pas_pour_soi(self, utilisateur_id: str, par: str, champ: str) -> None:
        if utilisateur_id == par:
            # The rights of the one acting are changed by another gestionnaire, never by
            # themself: one click must not leave a structure without anyone able to file.
            raise ValidationError(
                "Vous ne pouvez pas modifier vos propres habilitations : demandez-le à un autre "
                "gestionnaire de la structure.",
                champ=champ,
            )

    def accorder_habilitation(self, habilitation: Habilitation, *, par: str) -> Structure:
        """Grant (or replace) a habilitation; `par` is the gestionnaire acting."""
        self._pas_pour_soi(habilitation.utilisateur_id, par, "utilisateur_id")
        self._pas_un_jeton(habilitation.utilisateur_id, "utilisateur_id")
        if not self.est_membre(habilitation.utilisateur_id):
            raise ValidationError(
                "Cet utilisateur n'est pas rattaché à la structure : validez d'abord sa demande "
                "de rattachement.",
                champ="utilisateur_id",
            )
        if habilitation.service_id is not None:
            self.service(habilitation.service_id)
        # One habilitation per user, application and service: granting again replaces the
        # profile, so that a user never holds two contradicting rights.
        autres = tuple(
            h
            for h in self.habilitations
            if not (
                h.utilisateur_id == habilitation.utilisateur_id
                and h.application is habilitation.application
                and h.service_id == habilitation.service_id
            )
        )
        return attrs.evolve(self, habilitations=(*autres, habilitation))

    def retirer_habilitation(self, habilitation_id: str, *, par: str) -> Structure:
        """Revoke a habilitation; `par` is the gestionnaire acting."""
        cible = next((h for h in self.habilitations if h.id == habilitation_id), None)
        if cible is None:
            raise NonTrouve("Cette habilitation n'existe pas.", champ="habilitation_id")
        self._pas_pour_soi(cible.utilisateur_id, par, "habilitation_id")
        return attrs.evolve(
            self, habilitations=tuple(h for h in self.habilitations if h.id != habilitation_id)
        )
