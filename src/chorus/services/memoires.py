"""Use cases of the prestataire on mémoires: draft, lines, pièces, sending and what follows.

Each use case loads what it needs in one unit of work, checks the acting user's habilitation
on the mémoire's structure (and service), lets the domain decide, and commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from chorus.domain import acces
from chorus.domain.certificat import PrestataireEnvoye
from chorus.domain.documents import CertificatAImprimer
from chorus.domain.entete import EnTete, ModeDepot
from chorus.domain.errors import NonTrouve, ValidationError
from chorus.domain.lignes import LigneDePrestation, SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.numerotation import (
    SEQUENCE_DEFINITIVE,
    numero_brouillon,
    numero_definitif,
    sequence_brouillon,
)
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.ports.depots import UnitOfWork
from chorus.services.activite import noter_activite
from chorus.services.contexte import Ports, libelle_acteur, verifier_version
from chorus.services.evenements_en_attente import reprendre_en_attente

_OBJET = "ce mémoire"


@attrs.frozen
class _Contexte:
    """What a change of a mémoire may need besides the mémoire itself."""

    structure: Structure
    acteur: str
    maintenant: datetime


def envoyer_brouillon(
    ports: Ports,
    uow: UnitOfWork,
    memoire: Memoire,
    structure: Structure,
    *,
    acteur: str,
    attestation_sur_honneur: bool,
) -> Memoire:
    """The draft `memoire` of `structure` as sent, not yet saved: definitive MJ number (from
    `uow`'s sequence), the RIB attached, the certificate rendered and archived.

    Its en-tête and its lines' codes are checked against the référentiels by the caller;
    sending by hand and by flux share these steps, so that nothing sent differs."""
    maintenant = ports.clock.maintenant()
    aujourdhui = ports.clock.aujourdhui()
    memoire.verifier_envoi(aujourdhui=aujourdhui, attestation_sur_honneur=attestation_sur_honneur)
    entete = memoire.entete
    assert entete.coordonnee_bancaire_id is not None  # verifier_envoi guarantees it
    coordonnee = structure.coordonnee_bancaire(entete.coordonnee_bancaire_id)
    rib = attrs.evolve(
        structure.piece(coordonnee.piece_jointe_id, champ="coordonnee_bancaire_id"),
        id=ports.ids.nouveau(),
    )
    juridiction = ports.referentiels.juridiction(entete.juridiction_code)
    assert juridiction is not None  # checked with the en-tête
    numero = numero_definitif(uow.sequences.suivant(SEQUENCE_DEFINITIVE))
    envoye = memoire.envoyer(
        numero_definitif=numero,
        acteur=acteur,
        maintenant=maintenant,
        aujourdhui=aujourdhui,
        attestation_sur_honneur=attestation_sur_honneur,
        piece_rib=rib,
        prestataire=PrestataireEnvoye(
            identifiant=structure.identifiant,
            type_identifiant=structure.type_identifiant.value,
            raison_sociale=structure.raison_sociale,
            libelle_coordonnee=coordonnee.libelle,
            iban=coordonnee.iban,
            bic=coordonnee.bic,
        ),
        juridiction=juridiction.nom,
    )
    # The certificate is rendered once, now, and kept: every download serves these bytes
    # (DESIGN §3.2). Its content is stored before the mémoire that points to it.
    pdf = ports.documents.certificat_depot(CertificatAImprimer.depuis(envoye))
    return envoye.avec_certificat_archive(ports.blobs.deposer(pdf))


class MemoireService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    # -- shared steps --------------------------------------------------------------------

    def _charger(
        self, uow: UnitOfWork, acteur_id: str, memoire_id: str, profil: Profil
    ) -> tuple[Memoire, Structure]:
        memoire = uow.memoires.obtenir(memoire_id)
        structure = uow.structures.obtenir(memoire.structure_id)
        acces.exiger(
            structure,
            acteur_id,
            Application.FRAIS_DE_JUSTICE,
            profil,
            memoire.entete.service_id,
            objet=_OBJET,
        )
        return memoire, structure

    def _acteur(self, uow: UnitOfWork, acteur_id: str) -> str:
        return libelle_acteur(uow.utilisateurs.obtenir(acteur_id))

    def _verifier_entete(self, structure: Structure, entete: EnTete) -> EnTete:
        """Check the header's codes against the référentiels and the structure; fill the
        catégorie from the structure's espace when none is given."""
        ref = self._p.referentiels
        espace = structure.espace_frais_de_justice
        if espace is None:
            raise ValidationError(
                "L'espace « Mémoires de frais de justice » n'est pas ouvert pour cette "
                "structure : son gestionnaire doit l'ajouter.",
                champ="structure_id",
            )
        if ref.juridiction(entete.juridiction_code) is None:
            raise ValidationError(
                f"La juridiction {entete.juridiction_code} n'existe pas.", champ="juridiction_code"
            )
        if ref.texte_reference(entete.texte_reference) is None:
            raise ValidationError(
                f"Le texte de référence {entete.texte_reference} n'existe pas.",
                champ="texte_reference",
            )
        if entete.categorie_prestataire is None and espace.categorie_prestataire is not None:
            entete = attrs.evolve(entete, categorie_prestataire=espace.categorie_prestataire)
        if (
            entete.categorie_prestataire is not None
            and ref.categorie_prestataire(entete.categorie_prestataire) is None
        ):
            raise ValidationError(
                f"La catégorie de prestataire {entete.categorie_prestataire} n'existe pas.",
                champ="categorie_prestataire",
            )
        if entete.service_id is not None and not structure.service(entete.service_id).actif:
            raise ValidationError("Ce service n'est plus actif.", champ="service_id")
        if entete.coordonnee_bancaire_id is not None:
            structure.coordonnee_bancaire(entete.coordonnee_bancaire_id)
        return entete

    def _entete_pour_copie(self, structure: Structure, entete: EnTete) -> EnTete:
        """The header a duplicate starts from: what no longer holds (bank details removed,
        service deactivated, catégorie withdrawn) is dropped rather than blocking the copy —
        after a refusal for a wrong RIB, the copy is exactly how the prestataire fixes it.
        Sending asks for whatever is missing again."""
        if structure.espace_frais_de_justice is None:
            return self._verifier_entete(structure, entete)
        services_actifs = {s.id for s in structure.services if s.actif}
        coordonnees = {c.id for c in structure.coordonnees_bancaires}
        categorie = entete.categorie_prestataire
        if categorie is not None and self._p.referentiels.categorie_prestataire(categorie) is None:
            categorie = None
        return attrs.evolve(
            entete,
            service_id=entete.service_id if entete.service_id in services_actifs else None,
            coordonnee_bancaire_id=(
                entete.coordonnee_bancaire_id
                if entete.coordonnee_bancaire_id in coordonnees
                else None
            ),
            categorie_prestataire=categorie
            or structure.espace_frais_de_justice.categorie_prestataire,
        )

    def _ligne(self, saisie: SaisieLigne, numero_ligne: int) -> LigneDePrestation:
        ligne = saisie.en_ligne(numero_ligne, self._p.clock.aujourdhui())
        self._verifier_codes_ligne(ligne)
        return ligne

    def _verifier_codes_ligne(self, ligne: LigneDePrestation, champ: str = "") -> None:
        ref = self._p.referentiels
        if ref.type_prestation(ligne.type_prestation) is None:
            raise ValidationError(
                f"Le type de prestation {ligne.type_prestation} n'existe pas.",
                champ=f"{champ}type_prestation",
            )
        if ref.autorite_requerante(ligne.autorite_requerante) is None:
            raise ValidationError(
                f"L'autorité requérante {ligne.autorite_requerante} n'existe pas.",
                champ=f"{champ}autorite_requerante",
            )

    def _modifier(
        self,
        acteur_id: str,
        memoire_id: str,
        version_attendue: int | None,
        changement: Callable[[Memoire, _Contexte], Memoire],
        *,
        reprendre_attentes: bool = False,
    ) -> Memoire:
        """One transaction: load, check the habilitation and the version, change, save.
        `reprendre_attentes`: the change may let events of a batch waiting for the mémoire
        apply (`lots_statuts`), tried in that same transaction."""
        with self._p.uow as uow:
            memoire, structure = self._charger(uow, acteur_id, memoire_id, Profil.MODIFICATION)
            verifier_version(memoire.version, version_attendue)
            contexte = _Contexte(
                structure, self._acteur(uow, acteur_id), self._p.clock.maintenant()
            )
            change = changement(memoire, contexte).modifie_le(contexte.maintenant)
            if reprendre_attentes:
                change, _ = reprendre_en_attente(uow, change, contexte.maintenant)
            enregistre = uow.memoires.enregistrer(change)
            # A draft's edits add no history entry: only « compléter » and « abandonner » note.
            noter_activite(uow, memoire, enregistre)
            uow.commit()
            return enregistre

    def _nouveau_numero_brouillon(self, uow: UnitOfWork) -> str:
        annee = self._p.clock.aujourdhui().year
        return numero_brouillon(annee, uow.sequences.suivant(sequence_brouillon(annee)))

    # -- reading -------------------------------------------------------------------------

    def obtenir(self, acteur_id: str, memoire_id: str) -> Memoire:
        with self._p.uow.lecture() as uow:
            memoire, _ = self._charger(uow, acteur_id, memoire_id, Profil.CONSULTATION)
            return memoire

    def lire_piece(
        self, acteur_id: str, memoire_id: str, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        memoire = self.obtenir(acteur_id, memoire_id)
        piece = memoire.piece(piece_id)
        if piece is None:
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return piece, self._p.blobs.lire(piece.sha256)

    # -- the draft -----------------------------------------------------------------------

    def creer(
        self, acteur_id: str, entete: EnTete, *, mode_depot: ModeDepot = ModeDepot.PORTAIL
    ) -> Memoire:
        """A new draft, numbered TMP + year + sequence."""
        with self._p.uow as uow:
            structure = uow.structures.obtenir(entete.structure_id)
            acces.exiger(
                structure,
                acteur_id,
                Application.FRAIS_DE_JUSTICE,
                Profil.MODIFICATION,
                entete.service_id,
                objet="cette structure",
            )
            memoire = Memoire.creer(
                id=self._p.ids.nouveau(),
                numero=self._nouveau_numero_brouillon(uow),
                entete=self._verifier_entete(structure, entete),
                acteur=self._acteur(uow, acteur_id),
                maintenant=self._p.clock.maintenant(),
                mode_depot=mode_depot,
            )
            uow.memoires.ajouter(memoire)
            uow.commit()
            return memoire

    def modifier_entete(
        self,
        acteur_id: str,
        memoire_id: str,
        entete: EnTete | Callable[[EnTete], EnTete],
        *,
        version_attendue: int | None = None,
    ) -> Memoire:
        """Replace a draft's en-tête; given a function, apply it to the current en-tête in
        the same transaction (a partial change that cannot undo a concurrent one)."""

        def changer(memoire: Memoire, contexte: _Contexte) -> Memoire:
            structure = contexte.structure
            memoire.exiger_brouillon()
            voulue = entete(memoire.entete) if callable(entete) else entete
            nouvelle = self._verifier_entete(structure, voulue)
            if nouvelle.service_id != memoire.entete.service_id:
                acces.exiger(
                    structure,
                    acteur_id,
                    Application.FRAIS_DE_JUSTICE,
                    Profil.MODIFICATION,
                    nouvelle.service_id,
                    objet="ce service",
                )
            return memoire.modifier_entete(nouvelle)

        return self._modifier(acteur_id, memoire_id, version_attendue, changer)

    def supprimer(
        self, acteur_id: str, memoire_id: str, *, version_attendue: int | None = None
    ) -> None:
        """Delete a draft (it was never transmitted); anything sent is kept."""
        with self._p.uow as uow:
            memoire, _ = self._charger(uow, acteur_id, memoire_id, Profil.MODIFICATION)
            verifier_version(memoire.version, version_attendue)
            memoire.verifier_suppression()
            uow.memoires.supprimer(memoire.id)
            uow.commit()

    def ajouter_ligne(
        self,
        acteur_id: str,
        memoire_id: str,
        saisie: SaisieLigne,
        *,
        version_attendue: int | None = None,
    ) -> Memoire:
        return self._modifier(
            acteur_id,
            memoire_id,
            version_attendue,
            lambda m, _: m.exiger_brouillon().ajouter_ligne(
                self._ligne(saisie, m.prochain_numero_ligne())
            ),
        )

    def modifier_ligne(
        self,
        acteur_id: str,
        memoire_id: str,
        numero_ligne: int,
        saisie: SaisieLigne,
        *,
        version_attendue: int | None = None,
    ) -> Memoire:
        return self._modifier(
            acteur_id,
            memoire_id,
            version_attendue,
            lambda m, _: m.exiger_brouillon().remplacer_ligne(
                self._ligne(saisie, m.ligne(numero_ligne).numero_ligne)
            ),
        )

    def supprimer_ligne(
        self,
        acteur_id: str,
        memoire_id: str,
        numero_ligne: int,
        *,
        version_attendue: int | None = None,
    ) -> Memoire:
        return self._modifier(
            acteur_id, memoire_id, version_attendue, lambda m, _: m.supprimer_ligne(numero_ligne)
        )

    # -- pièces --------------------------------------------------------------------------

    def joindre_piece(
        self,
        acteur_id: str,
        memoire_id: str,
        *,
        contenu: bytes,
        nom_fichier: str,
        type_piece: TypePiece,
        designation: str | None = None,
        numero_ligne: int | None = None,
        version_attendue: int | None = None,
    ) -> PieceJointe:
        """Upload a file to a draft, or as a complement to a suspended mémoire."""
        piece = self._p.nouvelle_piece(
            contenu=contenu,
            nom_fichier=nom_fichier,
            type_piece=type_piece,
            designation=designation,
            numero_ligne=numero_ligne,
        )

        def joindre(memoire: Memoire, _: _Contexte) -> Memoire:
            change = memoire.joindre_piece(piece)
            self._p.blobs.deposer(contenu)
            return change

        self._modifier(acteur_id, memoire_id, version_attendue, joindre)
        return piece

    def importer_piece(
        self,
        acteur_id: str,
        memoire_id: str,
        piece_structure_id: str,
        *,
        numero_ligne: int | None = None,
        version_attendue: int | None = None,
    ) -> PieceJointe:
        """Attach a pièce of the structure's pool (stored once, referenced again)."""
        nouvel_id = self._p.ids.nouveau()
        copie: list[PieceJointe] = []

        def importer(memoire: Memoire, contexte: _Contexte) -> Memoire:
            piece = attrs.evolve(
                contexte.structure.piece(piece_structure_id),
                id=nouvel_id,
                numero_ligne=numero_ligne,
                date_ajout=contexte.maintenant,
            )
            copie.append(piece)
            return memoire.joindre_piece(piece)

        self._modifier(acteur_id, memoire_id, version_attendue, importer)
        return copie[0]

    def retirer_piece(
        self,
        acteur_id: str,
        memoire_id: str,
        piece_id: str,
        *,
        version_attendue: int | None = None,
    ) -> Memoire:
        return self._modifier(
            acteur_id, memoire_id, version_attendue, lambda m, _: m.retirer_piece(piece_id)
        )

    # -- sending and after ---------------------------------------------------------------

    def envoyer(
        self,
        acteur_id: str,
        memoire_id: str,
        *,
        attestation_sur_honneur: bool,
        version_attendue: int | None = None,
    ) -> Memoire:
        """« Valider et envoyer »: definitive MJ number, RIB attached, certificate issued."""
        with self._p.uow as uow:
            memoire, structure = self._charger(uow, acteur_id, memoire_id, Profil.MODIFICATION)
            verifier_version(memoire.version, version_attendue)
            aujourdhui = self._p.clock.aujourdhui()
            # The référentiels or the structure may have changed since the draft was written
            # (a catégorie set on the espace since is taken now).
            memoire = memoire.modifier_entete(self._verifier_entete(structure, memoire.entete))
            memoire.verifier_envoi(
                aujourdhui=aujourdhui, attestation_sur_honneur=attestation_sur_honneur
            )
            for index, ligne in enumerate(memoire.lignes):
                self._verifier_codes_ligne(ligne, champ=f"lignes[{index}].")
            envoye = envoyer_brouillon(
                self._p,
                uow,
                memoire,
                structure,
                acteur=self._acteur(uow, acteur_id),
                attestation_sur_honneur=attestation_sur_honneur,
            )
            enregistre = uow.memoires.enregistrer(envoye)
            noter_activite(uow, memoire, enregistre)
            uow.commit()
            return enregistre

    def completer(
        self,
        acteur_id: str,
        memoire_id: str,
        *,
        commentaire: str,
        version_attendue: int | None = None,
    ) -> Memoire:
        """Answer a suspension (pièces are added before, with `joindre_piece`)."""
        return self._modifier(
            acteur_id,
            memoire_id,
            version_attendue,
            lambda m, c: m.completer(
                commentaire=commentaire, acteur=c.acteur, maintenant=c.maintenant
            ),
            # A certification sent while the mémoire was suspended waits for this answer.
            reprendre_attentes=True,
        )

    def abandonner(
        self, acteur_id: str, memoire_id: str, *, version_attendue: int | None = None
    ) -> Memoire:
        return self._modifier(
            acteur_id,
            memoire_id,
            version_attendue,
            lambda m, c: m.abandonner(acteur=c.acteur, maintenant=c.maintenant),
        )

    def dupliquer(
        self, acteur_id: str, memoire_id: str, *, version_attendue: int | None = None
    ) -> Memoire:
        """A new draft copying the mémoire (lines and pièces); a refused original becomes
        « Dupliqué post refus »."""
        with self._p.uow as uow:
            memoire, structure = self._charger(uow, acteur_id, memoire_id, Profil.MODIFICATION)
            verifier_version(memoire.version, version_attendue)
            entete = self._entete_pour_copie(structure, memoire.entete)
            if entete.service_id != memoire.entete.service_id:
                acces.exiger(
                    structure,
                    acteur_id,
                    Application.FRAIS_DE_JUSTICE,
                    Profil.MODIFICATION,
                    entete.service_id,
                    objet="cette structure",
                )
            maintenant = self._p.clock.maintenant()
            pieces = tuple(
                attrs.evolve(p, id=self._p.ids.nouveau(), date_ajout=maintenant)
                for p in memoire.pieces_a_dupliquer()
            )
            original, copie = memoire.dupliquer(
                id=self._p.ids.nouveau(),
                numero=self._nouveau_numero_brouillon(uow),
                acteur=self._acteur(uow, acteur_id),
                maintenant=maintenant,
                pieces=pieces,
                entete=entete,
            )
            if original is not memoire:
                noter_activite(uow, memoire, uow.memoires.enregistrer(original))
            uow.memoires.ajouter(copie)
            uow.commit()
            return copie
