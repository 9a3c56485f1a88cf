"""The mémoire de frais de justice: en-tête, lines, pièces, status, history and certificate.

A `Memoire` is immutable; each change returns the next value or raises a `DomainError`.
Only a draft (BROUILLON) can be edited or deleted; once sent, its content, pièces and
certificate never change again — only its status moves, by the table of `statuts`, and its
history grows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import attrs

from chorus.domain.calendrier import ajouter_annees, jour_a_paris
from chorus.domain.certificat import (
    ATTESTATION_SUR_HONNEUR,
    CertificatDepot,
    PieceCertifiee,
    PrestataireEnvoye,
)
from chorus.domain.empreinte import calculer_empreinte
from chorus.domain.entete import EnTete, ModeDepot
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.lignes import NOMBRE_MAXIMUM_DE_LIGNES, LigneDePrestation, Totaux
from chorus.domain.montants import ZERO
from chorus.domain.pieces import NOMBRE_MAXIMUM_PAR_MEMOIRE, PieceJointe, TypePiece
from chorus.domain.statuts import Intervenant, StatutMemoire, verifier_transition
from chorus.domain.textes import texte_obligatoire
from chorus.domain.traitement import TOLERANCE_HORLOGE, ActionTraitement, EvenementTraitement

# Art. 800 CPP: a request for payment is foreclosed one year after the end of the mission,
# for missions ended from 31 December 2020 on.
DEBUT_FORCLUSION = date(2020, 12, 31)


@attrs.frozen
class EvenementHistorique:
    """One entry of a mémoire's history (append-only).

    `date_evenement` is when it happened (in the back office for their events);
    `date_maj` is when the portal recorded it — searches and the liste fiscale use the latter.
    """

    statut: StatutMemoire
    intervenant: Intervenant
    acteur: str
    date_evenement: datetime
    date_maj: datetime
    motif: str | None = None
    reference_evenement: str | None = None
    montant: Decimal | None = None


def _immuable(memoire: Memoire) -> None:
    if memoire.statut is not StatutMemoire.BROUILLON:
        raise TransitionInvalide(
            f"Le mémoire n°{memoire.numero} est à l'état « {memoire.statut.libelle} » : "
            "seul un brouillon peut être modifié."
        )


@attrs.frozen
class Memoire:
    """The mémoire aggregate."""

    id: str
    numero: str
    entete: EnTete
    date_creation: datetime
    historique: tuple[EvenementHistorique, ...]
    # The last change of any kind, edits of a draft included (the history records statuses).
    date_modification: datetime = attrs.field()
    lignes: tuple[LigneDePrestation, ...] = ()
    pieces: tuple[PieceJointe, ...] = ()
    pieces_complementaires: tuple[PieceJointe, ...] = ()
    # How many of the complements went to the court with a « compléter »: those stay.
    complements_transmis: int = 0
    statut: StatutMemoire = StatutMemoire.BROUILLON
    mode_depot: ModeDepot = ModeDepot.PORTAIL
    parent_id: str | None = None
    numero_brouillon: str | None = None
    prestataire: PrestataireEnvoye | None = None
    certificat: CertificatDepot | None = None
    montant_certifie: Decimal | None = None
    montant_paye: Decimal | None = None
    date_paiement: date | None = None
    version: int = 0

    @staticmethod
    def creer(
        *,
        id: str,
        numero: str,
        entete: EnTete,
        acteur: str,
        maintenant: datetime,
        mode_depot: ModeDepot = ModeDepot.PORTAIL,
    ) -> Memoire:
        """A new draft, numbered `TMP…`."""
        return Memoire(
            id=id,
            numero=numero,
            numero_brouillon=numero,
            entete=entete,
            date_creation=maintenant,
            mode_depot=mode_depot,
            historique=(
                EvenementHistorique(
                    statut=StatutMemoire.BROUILLON,
                    intervenant=Intervenant.PRESTATAIRE,
                    acteur=acteur,
                    date_evenement=maintenant,
                    date_maj=maintenant,
                ),
            ),
        )

    @date_modification.default
    def _depuis_la_creation(self) -> datetime:
        return self.date_creation

    def modifie_le(self, maintenant: datetime) -> Memoire:
        """This mémoire, stamped as changed at `maintenant`."""
        return attrs.evolve(self, date_modification=maintenant)

    # -- derived values ------------------------------------------------------------------

    @functools.cached_property
    def totaux(self) -> Totaux:
        return Totaux.calculer(self.lignes, self.entete.remise_globale_ttc)

    @property
    def structure_id(self) -> str:
        return self.entete.structure_id

    @property
    def date_statut(self) -> datetime:
        """When the portal recorded the current status (the « date de mise à jour »)."""
        return self.historique[-1].date_maj

    @property
    def date_depot(self) -> datetime | None:
        return self.certificat.date_depot if self.certificat else None

    @property
    def references_evenements(self) -> frozenset[str]:
        return frozenset(
            e.reference_evenement for e in self.historique if e.reference_evenement is not None
        )

    def ligne(self, numero_ligne: int) -> LigneDePrestation:
        """The line numbered `numero_ligne`; `NonTrouve` if the mémoire has none."""
        for ligne in self.lignes:
            if ligne.numero_ligne == numero_ligne:
                return ligne
        raise NonTrouve(f"Le mémoire n'a pas de ligne n°{numero_ligne}.", champ="numero_ligne")

    def piece(self, piece_id: str) -> PieceJointe | None:
        for piece in (*self.pieces, *self.pieces_complementaires):
            if piece.id == piece_id:
                return piece
        return None

    def lignes_forcloses(self, date_envoi: date) -> tuple[LigneDePrestation, ...]:
        """Lines whose prestation ended more than one year before `date_envoi` (art. 800)."""
        return tuple(
            ligne
            for ligne in self.lignes
            if ligne.date_prestation >= DEBUT_FORCLUSION
            and date_envoi > ajouter_annees(ligne.date_prestation, 1)
        )

    # -- editing a draft -----------------------------------------------------------------

    def _verifier_tva(self, entete: EnTete, lignes: Sequence[LigneDePrestation]) -> None:
        if not entete.type_tva.sans_taxe:
            return
        for index, ligne in enumerate(lignes):
            if ligne.taux_tva.value != 0:
                raise ValidationError(
                    f"Avec le type de TVA « {entete.type_tva.libelle} », le taux de TVA de "
                    f"chaque ligne doit être 0 (ligne n°{ligne.numero_ligne}).",
                    champ=f"lignes[{index}].taux_tva",
                )

    def modifier_entete(self, entete: EnTete) -> Memoire:
        _immuable(self)
        if entete.structure_id != self.entete.structure_id:
            raise ValidationError(
                "La structure d'un mémoire ne peut pas changer : dupliquez-le dans l'autre "
                "structure.",
                champ="structure_id",
            )
        self._verifier_tva(entete, self.lignes)
        return attrs.evolve(self, entete=entete)

    def exiger_brouillon(self) -> Memoire:
        """This draft; `TransitionInvalide` once sent (checked before any input is)."""
        _immuable(self)
        return self

    def verifier_suppression(self) -> None:
        if self.statut is not StatutMemoire.BROUILLON:
            raise TransitionInvalide(
                f"Le mémoire n°{self.numero} a été transmis : il ne peut pas être supprimé ; il "
                "reste consultable pendant 10 ans."
            )

    def prochain_numero_ligne(self) -> int:
        return max((ligne.numero_ligne for ligne in self.lignes), default=0) + 1

    def ajouter_ligne(self, ligne: LigneDePrestation) -> Memoire:
        _immuable(self)
        if len(self.lignes) >= NOMBRE_MAXIMUM_DE_LIGNES:
            raise ValidationError(
                f"Un mémoire ne peut pas compter plus de {NOMBRE_MAXIMUM_DE_LIGNES} lignes.",
                champ="lignes",
            )
        if any(existante.numero_ligne == ligne.numero_ligne for existante in self.lignes):
            raise Conflit(f"La ligne n°{ligne.numero_ligne} existe déjà.", champ="numero_ligne")
        lignes = (*self.lignes, ligne)
        self._verifier_tva(self.entete, lignes)
        return attrs.evolve(self, lignes=lignes)

    def remplacer_ligne(self, ligne: LigneDePrestation) -> Memoire:
        _immuable(self)
        self.ligne(ligne.numero_ligne)
        lignes = tuple(ligne if x.numero_ligne == ligne.numero_ligne else x for x in self.lignes)
        self._verifier_tva(self.entete, lignes)
        return attrs.evolve(self, lignes=lignes)

    def supprimer_ligne(self, numero_ligne: int) -> Memoire:
        """Remove a line; its pièces stay, attached to the whole mémoire (nothing is lost)."""
        _immuable(self)
        self.ligne(numero_ligne)
        return attrs.evolve(
            self,
            lignes=tuple(x for x in self.lignes if x.numero_ligne != numero_ligne),
            pieces=tuple(
                attrs.evolve(p, numero_ligne=None) if p.numero_ligne == numero_ligne else p
                for p in self.pieces
            ),
        )

    def _verifier_piece(self, piece: PieceJointe, deja: int) -> None:
        if deja >= NOMBRE_MAXIMUM_PAR_MEMOIRE:
            raise ValidationError(
                f"Un mémoire ne peut pas compter plus de {NOMBRE_MAXIMUM_PAR_MEMOIRE} pièces "
                "jointes.",
                champ="fichier",
            )
        if piece.numero_ligne is not None and not any(
            ligne.numero_ligne == piece.numero_ligne for ligne in self.lignes
        ):
            # Here the line number comes with the file: bad input, not a missing resource.
            raise ValidationError(
                f"Le mémoire n'a pas de ligne n°{piece.numero_ligne}.", champ="numero_ligne"
            )

    def joindre_piece(self, piece: PieceJointe) -> Memoire:
        """Attach a pièce to a draft, or — as a complement — to a suspended mémoire."""
        if self.statut is StatutMemoire.SUSPENDU:
            total = len(self.pieces) + len(self.pieces_complementaires)
            self._verifier_piece(piece, total)
            return attrs.evolve(self, pieces_complementaires=(*self.pieces_complementaires, piece))
        _immuable(self)
        self._verifier_piece(piece, len(self.pieces))
        return attrs.evolve(self, pieces=(*self.pieces, piece))

    def retirer_piece(self, piece_id: str) -> Memoire:
        """Remove a pièce from a draft, or a complement not yet transmitted from a suspended
        mémoire (one added since the suspension, before « compléter »)."""
        if self.statut is StatutMemoire.SUSPENDU:
            return self._retirer_complement(piece_id)
        _immuable(self)
        if not any(p.id == piece_id for p in self.pieces):
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return attrs.evolve(self, pieces=tuple(p for p in self.pieces if p.id != piece_id))

    def _retirer_complement(self, piece_id: str) -> Memoire:
        en_attente = self.pieces_complementaires[self.complements_transmis :]
        if not any(p.id == piece_id for p in en_attente):
            if self.piece(piece_id) is None:
                raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
            raise TransitionInvalide(
                "Cette pièce a déjà été transmise au service centralisateur : elle ne peut plus "
                "être retirée."
            )
        return attrs.evolve(
            self,
            pieces_complementaires=tuple(
                p for p in self.pieces_complementaires if p.id != piece_id
            ),
        )

    # -- status changes ------------------------------------------------------------------

    def _passer(
        self,
        vers: StatutMemoire,
        *,
        intervenant: Intervenant,
        acteur: str,
        maintenant: datetime,
        date_evenement: datetime | None = None,
        motif: str | None = None,
        reference: str | None = None,
        montant: Decimal | None = None,
    ) -> Memoire:
        verifier_transition(self.numero, self.statut, vers, intervenant)
        entree = EvenementHistorique(
            statut=vers,
            intervenant=intervenant,
            acteur=acteur,
            date_evenement=date_evenement or maintenant,
            date_maj=maintenant,
            motif=motif,
            reference_evenement=reference,
            montant=montant,
        )
        return attrs.evolve(
            self,
            statut=vers,
            historique=(*self.historique, entree),
            date_modification=maintenant,
        )

    def verifier_envoi(self, *, aujourdhui: date, attestation_sur_honneur: bool) -> None:
        """Every precondition of sending, each refused with its own message."""
        _immuable(self)
        # Only an explicit « oui » attests: a truthy string such as "false" does not.
        if attestation_sur_honneur is not True:
            raise ValidationError(
                "Vous devez attester sur l'honneur l'exactitude des informations saisies.",
                champ="attestation_sur_honneur",
            )
        if not self.lignes:
            raise ValidationError(
                "Le mémoire doit comporter au moins une ligne de prestation.", champ="lignes"
            )
        if self.entete.coordonnee_bancaire_id is None:
            raise ValidationError(
                "Choisissez les coordonnées bancaires sur lesquelles le mémoire sera payé.",
                champ="coordonnee_bancaire_id",
            )
        if self.entete.categorie_prestataire is None:
            raise ValidationError(
                "La catégorie de prestataire est obligatoire.", champ="categorie_prestataire"
            )
        forcloses = self.lignes_forcloses(aujourdhui)
        if forcloses:
            numeros = ", ".join(f"n°{ligne.numero_ligne}" for ligne in forcloses)
            index = self.lignes.index(forcloses[0])
            raise ValidationError(
                f"Forclusion (article 800 du code de procédure pénale) : la prestation de la "
                f"ligne {numeros} s'est achevée plus d'un an avant l'envoi ; la demande de "
                "paiement ne peut plus être présentée.",
                champ=f"lignes[{index}].date_prestation",
            )
        if self.totaux.remise_globale_ttc > self.totaux.montant_ttc:
            raise ValidationError(
                "La remise globale ne peut pas dépasser le montant TTC du mémoire.",
                champ="remise_globale_ttc",
            )
        if self.totaux.net_a_payer <= 0:
            raise ValidationError(
                "Le montant net à payer doit être supérieur à zéro.", champ="lignes"
            )

    def envoyer(
        self,
        *,
        numero_definitif: str,
        acteur: str,
        maintenant: datetime,
        aujourdhui: date,
        attestation_sur_honneur: bool,
        piece_rib: PieceJointe,
        prestataire: PrestataireEnvoye,
        juridiction: str,
    ) -> Memoire:
        """Send the draft: definitive number, the RIB attached, the prestataire and bank
        details frozen as sent, the certificate and its empreinte issued."""
        self.verifier_envoi(aujourdhui=aujourdhui, attestation_sur_honneur=attestation_sur_honneur)
        envoye = attrs.evolve(
            self.memoire_a_envoyer(
                numero_definitif=numero_definitif, piece_rib=piece_rib, maintenant=maintenant
            ),
            prestataire=prestataire,
        )
        totaux = envoye.totaux
        certificat = CertificatDepot(
            numero=numero_definitif,
            date_depot=maintenant,
            prestataire=prestataire.libelle,
            juridiction=juridiction,
            montant_ht_apres_remise=totaux.montant_ht_apres_remise,
            montant_tva=totaux.montant_tva,
            remise_globale_ttc=totaux.remise_globale_ttc,
            montant_ttc_avant_remise=totaux.montant_ttc,
            net_a_payer=totaux.net_a_payer,
            pieces=tuple(
                PieceCertifiee(p.nom_fichier, p.type_piece, p.sha256) for p in envoye.pieces
            ),
            empreinte=calculer_empreinte(envoye, date_depot=maintenant),
        )
        return attrs.evolve(envoye, certificat=certificat)._passer(
            StatutMemoire.ENVOYE,
            intervenant=Intervenant.PRESTATAIRE,
            acteur=acteur,
            maintenant=maintenant,
            motif=ATTESTATION_SUR_HONNEUR,
        )

    def avec_certificat_archive(self, document_sha256: str) -> Memoire:
        """The mémoire just sent, with the address of its certificate's PDF: set once, in
        the sending's own transaction, and never again."""
        if self.certificat is None or self.statut is not StatutMemoire.ENVOYE:
            raise TransitionInvalide(f"Le mémoire n°{self.numero} n'a pas été envoyé.")
        if self.certificat.document_sha256 is not None:
            raise TransitionInvalide(
                f"Le certificat de dépôt du mémoire n°{self.numero} est déjà archivé."
            )
        return attrs.evolve(
            self, certificat=attrs.evolve(self.certificat, document_sha256=document_sha256)
        )

    def empreinte_recalculee(self) -> str:
        """The empreinte recomputed from the stored mémoire: equal to the certificate's as
        long as nothing sent has changed."""
        if self.certificat is None:
            raise TransitionInvalide(f"Le mémoire n°{self.numero} n'a pas été envoyé.")
        return calculer_empreinte(self, date_depot=self.certificat.date_depot)

    def memoire_a_envoyer(
        self, *, numero_definitif: str, piece_rib: PieceJointe, maintenant: datetime
    ) -> Memoire:
        """The draft as it will be sent: definitive number, RIB attached (once)."""
        pieces = self.pieces
        if not any(
            p.type_piece is TypePiece.COORDONNEE_BANCAIRE and p.sha256 == piece_rib.sha256
            for p in pieces
        ):
            rib = attrs.evolve(piece_rib, numero_ligne=None, date_ajout=maintenant)
            pieces = (*pieces, rib)
            if len(pieces) > NOMBRE_MAXIMUM_PAR_MEMOIRE:
                raise ValidationError(
                    f"Avec le RIB joint automatiquement, le mémoire dépasserait "
                    f"{NOMBRE_MAXIMUM_PAR_MEMOIRE} pièces jointes : retirez-en une.",
                    champ="pieces_jointes",
                )
        return attrs.evolve(self, numero=numero_definitif, pieces=pieces)

    def completer(self, *, commentaire: str, acteur: str, maintenant: datetime) -> Memoire:
        """Answer a suspension: the pièces added meanwhile and a comment go to the court."""
        texte = texte_obligatoire(commentaire, "commentaire", maximum=2000)
        transmis = attrs.evolve(self, complements_transmis=len(self.pieces_complementaires))
        return transmis._passer(
            StatutMemoire.COMPLETE,
            intervenant=Intervenant.PRESTATAIRE,
            acteur=acteur,
            maintenant=maintenant,
            motif=texte,
        )

    def abandonner(self, *, acteur: str, maintenant: datetime) -> Memoire:
        return self._passer(
            StatutMemoire.ABANDONNE,
            intervenant=Intervenant.PRESTATAIRE,
            acteur=acteur,
            maintenant=maintenant,
        )

    def dupliquer(
        self,
        *,
        id: str,
        numero: str,
        acteur: str,
        maintenant: datetime,
        pieces: Sequence[PieceJointe],
        entete: EnTete | None = None,
    ) -> tuple[Memoire, Memoire]:
        """Copy into a new draft (lines and pièces included, `parent_id` set).

        Returns (this mémoire after duplication, the copy): a refused mémoire becomes
        DUPLIQUE_POST_REFUS; any other stays as it is. `pieces` are the copies (new ids) of
        `pieces_a_dupliquer()`, made by the caller; `entete` the header of the copy when the
        caller had to drop references that no longer hold (bank details since removed…).
        """
        copie = Memoire.creer(
            id=id,
            numero=numero,
            entete=entete if entete is not None else self.entete,
            acteur=acteur,
            maintenant=maintenant,
        )
        copie = attrs.evolve(
            copie,
            lignes=self.lignes,
            pieces=tuple(pieces),
            parent_id=self.id,
        )
        if self.statut is not StatutMemoire.REFUSE:
            return self, copie
        original = self._passer(
            StatutMemoire.DUPLIQUE_POST_REFUS,
            intervenant=Intervenant.PRESTATAIRE,
            acteur=acteur,
            maintenant=maintenant,
            motif=f"Dupliqué en {numero}",
        )
        return original, copie

    def pieces_a_dupliquer(self) -> tuple[PieceJointe, ...]:
        """Every pièce a duplicate copies (sent ones and complements); the bank RIB is left
        out, since sending attaches the current one again."""
        return tuple(
            p
            for p in (*self.pieces, *self.pieces_complementaires)
            if p.type_piece is not TypePiece.COORDONNEE_BANCAIRE
        )

    def traiter(
        self,
        evenement: EvenementTraitement,
        *,
        intervenant: Intervenant,
        acteur: str,
        maintenant: datetime,
    ) -> Memoire:
        """Apply a back-office event. Replaying an event already applied changes nothing."""
        for passe in self.historique:
            if passe.reference_evenement == evenement.reference:
                if passe.statut is not evenement.action.statut:
                    raise Conflit(
                        f"La référence d'événement {evenement.reference} a déjà servi pour une "
                        "autre action.",
                        champ="reference_evenement",
                    )
                return self
        # The status comes first: an amount is only worth checking on a move that may happen.
        verifier_transition(self.numero, self.statut, evenement.action.statut, intervenant)
        if self.certificat is not None and evenement.date_evenement < self.certificat.date_depot:
            raise ValidationError(
                "La date de l'événement ne peut pas précéder l'envoi du mémoire.",
                champ="date_evenement",
            )
        if evenement.date_evenement > maintenant + TOLERANCE_HORLOGE:
            raise ValidationError(
                "La date de l'événement ne peut pas être dans le futur.", champ="date_evenement"
            )
        suivant = self
        montant: Decimal | None = None
        action = evenement.action
        if action is ActionTraitement.CERTIFICATION:
            montant = (
                evenement.montant_certifie
                if evenement.montant_certifie is not None
                else self.totaux.net_a_payer
            )
            if montant > self.totaux.net_a_payer:
                raise ValidationError(
                    f"Le montant certifié ({montant} EUR) ne peut pas dépasser le montant "
                    f"demandé ({self.totaux.net_a_payer} EUR).",
                    champ="montant_certifie",
                )
            if montant < self.totaux.net_a_payer and evenement.motif is None:
                # Taxation below the amount asked: the prestataire is owed the reason.
                raise ValidationError(
                    "Le motif est obligatoire quand le montant certifié est inférieur au "
                    "montant demandé.",
                    champ="motif",
                )
            suivant = attrs.evolve(self, montant_certifie=montant)
        elif action is ActionTraitement.MISE_EN_PAIEMENT:
            certifie = self.montant_certifie if self.montant_certifie is not None else ZERO
            montant = evenement.montant_paye if evenement.montant_paye is not None else certifie
            if montant > certifie:
                raise ValidationError(
                    f"Le montant payé ({montant} EUR) ne peut pas dépasser le montant certifié "
                    f"({certifie} EUR).",
                    champ="montant_paye",
                )
            suivant = attrs.evolve(
                self, montant_paye=montant, date_paiement=jour_a_paris(evenement.date_evenement)
            )
        return suivant._passer(
            action.statut,
            intervenant=intervenant,
            acteur=acteur,
            maintenant=maintenant,
            date_evenement=evenement.date_evenement,
            motif=evenement.motif,
            reference=evenement.reference,
            montant=montant,
        )
