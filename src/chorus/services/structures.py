"""Use cases of the organisation: structures, their services, bank details, espaces, pièces,
rattachements and habilitations."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from chorus.domain import acces
from chorus.domain.errors import AccesRefuse, Conflit, NonTrouve, ValidationError
from chorus.domain.organisation import (
    Adresse,
    Application,
    CoordonneeBancaire,
    Habilitation,
    Profil,
    Rattachement,
    Regime,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.utilisateur import Utilisateur
from chorus.services.contexte import Ports, verifier_version

_Changement = Callable[[Structure], Structure]


def _exiger_prestataire(utilisateur: Utilisateur) -> None:
    # Separation of duties: whoever certifies or pays mémoires files none.
    if utilisateur.est_agent:
        raise AccesRefuse(
            "Un compte d'agent de l'administration ne peut ni créer ni rejoindre une structure "
            "de prestataire : utilisez un compte personnel distinct."
        )
    # An API token acts for its one structure; it must not open or join others.
    if utilisateur.est_technique:
        raise AccesRefuse(
            "Un jeton d'API agit pour sa seule structure : il ne peut ni créer ni rejoindre "
            "une structure."
        )


@attrs.frozen
class MonRattachement:
    """A user's rattachement to a structure, as the user's account page shows it."""

    structure_id: str
    raison_sociale: str
    rattachement: Rattachement
    habilitations: tuple[Habilitation, ...]


class StructureService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    # -- reading -------------------------------------------------------------------------

    def obtenir(self, acteur_id: str, structure_id: str) -> Structure:
        """A structure, for its gestionnaires and its habilitated members."""
        with self._p.uow.lecture() as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_habilite(structure, acteur_id)
            return structure

    def obtenir_pour_gestion(self, acteur_id: str, structure_id: str) -> Structure:
        """A structure with its members' requests and habilitations, for its gestionnaires
        only (a member gets `AccesRefuse`, anyone else `NonTrouve`)."""
        with self._p.uow.lecture() as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_gestionnaire(structure, acteur_id)
            return structure

    def mes_structures(self, acteur_id: str) -> Sequence[Structure]:
        """The structures the user manages or holds a habilitation on."""
        with self._p.uow.lecture() as uow:
            return [
                s
                for s in uow.structures.pour_utilisateur(acteur_id)
                if s.est_gestionnaire(acteur_id) or s.habilitations_de(acteur_id)
            ]

    def mes_rattachements(self, acteur_id: str) -> Sequence[MonRattachement]:
        """Every rattachement of the user, whatever its status (pending, refused, ended
        included), with the user's own habilitations: what their account page shows. Of a
        structure they do not belong to yet, they learn only its name."""
        with self._p.uow.lecture() as uow:
            resultat: list[MonRattachement] = []
            for structure in uow.structures.pour_utilisateur(acteur_id):
                rattachement = structure.rattachement_de(acteur_id)
                if rattachement is None:
                    continue
                resultat.append(
                    MonRattachement(
                        structure_id=structure.id,
                        raison_sociale=structure.raison_sociale,
                        rattachement=rattachement,
                        habilitations=structure.habilitations_de(acteur_id),
                    )
                )
            return resultat

    def lire_piece(
        self, acteur_id: str, structure_id: str, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        structure = self.obtenir(acteur_id, structure_id)
        piece = structure.piece(piece_id, champ="piece_id")
        return piece, self._p.blobs.lire(piece.sha256)

    # -- creating and changing -----------------------------------------------------------

    def creer(
        self,
        acteur_id: str,
        *,
        type_structure: TypeStructure,
        type_identifiant: TypeIdentifiant,
        identifiant: str,
        raison_sociale: str,
        adresse: Adresse,
    ) -> Structure:
        """Create a structure; its creator becomes gestionnaire principal with every
        habilitation."""
        ids = self._p.ids
        with self._p.uow as uow:
            _exiger_prestataire(uow.utilisateurs.obtenir(acteur_id))
            structure = Structure.creer(
                id=ids.nouveau(),
                type_structure=type_structure,
                type_identifiant=type_identifiant,
                identifiant=identifiant,
                raison_sociale=raison_sociale,
                adresse=adresse,
                createur_id=acteur_id,
                rattachement_id=ids.nouveau(),
                habilitation_ids=(ids.nouveau(), ids.nouveau()),
                maintenant=self._p.clock.maintenant(),
            )
            if uow.structures.par_identifiant(type_identifiant, structure.identifiant):
                raise Conflit(
                    f"Une structure est déjà enregistrée avec l'identifiant "
                    f"{structure.identifiant} : demandez votre rattachement à son gestionnaire.",
                    champ="identifiant",
                )
            uow.structures.ajouter(structure)
            uow.commit()
            return structure

    def _gerer(
        self,
        acteur_id: str,
        structure_id: str,
        version_attendue: int | None,
        changement: _Changement,
    ) -> Structure:
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_gestionnaire(structure, acteur_id)
            verifier_version(structure.version, version_attendue)
            enregistree = uow.structures.enregistrer(changement(structure))
            uow.commit()
            return enregistree

    def modifier(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        raison_sociale: str | None = None,
        adresse: Adresse | None = None,
        recevoir_cycles_de_vie: bool | None = None,
        version_attendue: int | None = None,
    ) -> Structure:
        """Change what is given (None keeps it); `recevoir_cycles_de_vie` is the option
        « Recevoir les cycles de vie » of the Frais de justice espace."""

        def changer(structure: Structure) -> Structure:
            change = structure.modifier(raison_sociale=raison_sociale, adresse=adresse)
            if recevoir_cycles_de_vie is None:
                return change
            return change.definir_cycles_de_vie(recevoir_cycles_de_vie)

        return self._gerer(acteur_id, structure_id, version_attendue, changer)

    def ajouter_service(
        self, acteur_id: str, structure_id: str, *, code: str, libelle: str
    ) -> Structure:
        nouvel_id = self._p.ids.nouveau()
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.ajouter_service(id=nouvel_id, code=code, libelle=libelle),
        )

    def modifier_service(
        self,
        acteur_id: str,
        structure_id: str,
        service_id: str,
        *,
        libelle: str | None = None,
        actif: bool | None = None,
    ) -> Structure:
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.modifier_service(service_id, libelle=libelle, actif=actif),
        )

    def deposer_piece(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        contenu: bytes,
        nom_fichier: str,
        type_piece: TypePiece,
        designation: str | None = None,
    ) -> PieceJointe:
        """Add a reusable pièce (a RIB, a carte grise…) to the structure's pool.

        Those who file mémoires (Frais de justice modification on the whole structure) may
        add to it, as the gestionnaire may: the pool exists to save them uploading the same
        justificatif again and again."""
        piece = self._p.nouvelle_piece(
            contenu=contenu, nom_fichier=nom_fichier, type_piece=type_piece, designation=designation
        )
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            self._exiger_depot_de_pieces(structure, acteur_id)
            self._p.blobs.deposer(contenu)
            uow.structures.enregistrer(structure.ajouter_piece(piece))
            uow.commit()
            return piece

    def retirer_piece(self, acteur_id: str, structure_id: str, piece_id: str) -> Structure:
        """Remove a pièce from the structure's pool (those who may add may remove)."""
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            self._exiger_depot_de_pieces(structure, acteur_id)
            enregistree = uow.structures.enregistrer(structure.retirer_piece(piece_id))
            uow.commit()
            return enregistree

    def _exiger_depot_de_pieces(self, structure: Structure, acteur_id: str) -> None:
        if not structure.est_gestionnaire(acteur_id):
            acces.exiger(
                structure,
                acteur_id,
                Application.FRAIS_DE_JUSTICE,
                Profil.MODIFICATION,
                objet="les pièces de la structure",
            )

    def ajouter_coordonnee_bancaire(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        libelle: str,
        iban: str,
        bic: str,
        piece_jointe_id: str,
    ) -> CoordonneeBancaire:
        coordonnee = CoordonneeBancaire.creer(
            id=self._p.ids.nouveau(),
            libelle=libelle,
            iban=iban,
            bic=bic,
            piece_jointe_id=piece_jointe_id,
        )
        self._gerer(
            acteur_id, structure_id, None, lambda s: s.ajouter_coordonnee_bancaire(coordonnee)
        )
        return coordonnee

    def ajouter_coordonnee_bancaire_avec_rib(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        libelle: str,
        iban: str,
        bic: str,
        contenu_rib: bytes,
        nom_fichier_rib: str,
    ) -> CoordonneeBancaire:
        """Bank details and the RIB that proves them, in one transaction: the RIB joins the
        structure's pool as a « Coordonnée bancaire » pièce only if the bank details are
        accepted (a refusal of either leaves the structure as it was)."""
        # The bank details are checked first: the RIB is named after their libellé.
        proposee = CoordonneeBancaire.creer(
            id=self._p.ids.nouveau(), libelle=libelle, iban=iban, bic=bic, piece_jointe_id="-"
        )
        piece = self._p.nouvelle_piece(
            contenu=contenu_rib,
            nom_fichier=nom_fichier_rib,
            type_piece=TypePiece.COORDONNEE_BANCAIRE,
            designation=f"RIB – {proposee.libelle}",
        )
        coordonnee = attrs.evolve(proposee, piece_jointe_id=piece.id)

        def ajouter(structure: Structure) -> Structure:
            change = structure.ajouter_piece(piece).ajouter_coordonnee_bancaire(coordonnee)
            # Stored once the change is known to be accepted; a blob is kept by its hash, so
            # a refusal after this point leaves at most an unreferenced copy.
            self._p.blobs.deposer(contenu_rib)
            return change

        self._gerer(acteur_id, structure_id, None, ajouter)
        return coordonnee

    def retirer_coordonnee_bancaire(
        self, acteur_id: str, structure_id: str, coordonnee_id: str
    ) -> Structure:
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.retirer_coordonnee_bancaire(coordonnee_id),
        )

    def definir_espace_frais_de_justice(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        categorie_prestataire: str | None,
        regime: Regime | None,
    ) -> Structure:
        if (
            categorie_prestataire is not None
            and self._p.referentiels.categorie_prestataire(categorie_prestataire) is None
        ):
            raise ValidationError(
                f"La catégorie de prestataire {categorie_prestataire} n'existe pas.",
                champ="categorie_prestataire",
            )
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.definir_espace_frais_de_justice(categorie_prestataire, regime),
        )

    def activer_espace_tic(self, acteur_id: str, structure_id: str) -> Structure:
        return self._gerer(acteur_id, structure_id, None, lambda s: s.activer_espace_tic())

    # -- rattachements and habilitations -------------------------------------------------

    def demander_rattachement(self, acteur_id: str, structure_id: str) -> Structure:
        """Any user may ask to join a structure; a gestionnaire decides."""
        with self._p.uow as uow:
            _exiger_prestataire(uow.utilisateurs.obtenir(acteur_id))
            structure = uow.structures.obtenir(structure_id)
            changee = structure.demander_rattachement(
                id=self._p.ids.nouveau(),
                utilisateur_id=acteur_id,
                maintenant=self._p.clock.maintenant(),
            )
            enregistree = uow.structures.enregistrer(changee)
            uow.commit()
            return enregistree

    def valider_rattachement(
        self, acteur_id: str, structure_id: str, rattachement_id: str
    ) -> Structure:
        maintenant = self._p.clock.maintenant()
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.valider_rattachement(rattachement_id, maintenant),
        )

    def refuser_rattachement(
        self, acteur_id: str, structure_id: str, rattachement_id: str
    ) -> Structure:
        maintenant = self._p.clock.maintenant()
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.refuser_rattachement(rattachement_id, maintenant),
        )

    def definir_gestionnaire(
        self, acteur_id: str, structure_id: str, utilisateur_id: str, *, gestionnaire: bool
    ) -> Structure:
        """Share or withdraw the gestionnaire role (a structure always keeps one)."""
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.definir_gestionnaire(utilisateur_id, gestionnaire),
        )

    def detacher_rattachement(
        self, acteur_id: str, structure_id: str, rattachement_id: str
    ) -> Structure:
        """End the membership a rattachement records: one's own (any member, habilitated or
        not), or anyone's for a gestionnaire. A non-member learns nothing of the structure."""
        with self._p.uow.lecture() as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_membre(structure, acteur_id)
        cible = next((r for r in structure.rattachements if r.id == rattachement_id), None)
        if cible is None:
            raise NonTrouve("Cette demande de rattachement n'existe pas.", champ="rattachement_id")
        return self.detacher(acteur_id, structure_id, cible.utilisateur_id)

    def detacher(self, acteur_id: str, structure_id: str, utilisateur_id: str) -> Structure:
        """End a user's membership: a gestionnaire detaches anyone, a user detaches
        themself."""
        maintenant = self._p.clock.maintenant()
        if acteur_id != utilisateur_id:
            return self._gerer(
                acteur_id, structure_id, None, lambda s: s.detacher(utilisateur_id, maintenant)
            )
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_membre(structure, acteur_id)
            enregistree = uow.structures.enregistrer(structure.detacher(acteur_id, maintenant))
            uow.commit()
            return enregistree

    def accorder_habilitation(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        utilisateur_id: str,
        application: Application,
        profil: Profil,
        service_id: str | None = None,
    ) -> Habilitation:
        habilitation = Habilitation(
            id=self._p.ids.nouveau(),
            utilisateur_id=utilisateur_id,
            application=application,
            profil=profil,
            service_id=service_id,
        )
        self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.accorder_habilitation(habilitation, par=acteur_id),
        )
        return habilitation

    def retirer_habilitation(
        self, acteur_id: str, structure_id: str, habilitation_id: str
    ) -> Structure:
        return self._gerer(
            acteur_id,
            structure_id,
            None,
            lambda s: s.retirer_habilitation(habilitation_id, par=acteur_id),
        )
