"""The demande de remboursement partiel de TIC/TICGN: en-tête, invoice lines, pièces,
status, history and certificat de dépôt.

A `DemandeTic` is immutable; each change returns the next value or raises a `DomainError`.
Only a draft (BROUILLON) can be edited or deleted; once sent, its content never changes
again — only its status moves, by the table of `statuts`, and its history grows. A rejected
demande is corrected by duplicating it into a new draft.

Rules (DESIGN.md §3.5): deliveries of year N are claimed from the campaign N+1 and until
31 December N+3; every delivery date lies inside the demande's year; at most 50 lines; the
rate of a line is the one published for its product on its delivery date, and its amount
the quantity converted to the rate's unit × the rate, rounded half-up to the cent.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime
from decimal import Decimal

import attrs

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.empreinte import empreinte, instant_canonique
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.montants import ZERO, arrondir, en_decimal, en_francais, valider_euros
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.textes import exiger_entier, texte_obligatoire, texte_optionnel
from chorus.domain.tic.bareme import BaremeTic, ProduitTic
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.tic.statuts import (
    ActionInstructionTic,
    IntervenantTic,
    StatutDemandeTic,
    verifier_transition_tic,
)
from chorus.domain.traitement import TOLERANCE_HORLOGE

NOMBRE_MAXIMUM_DE_LIGNES_TIC = 50
NOMBRE_MAXIMUM_DE_PIECES_TIC = 50
# « jusqu'au 31 décembre N+3 » (prescription of restitution claims).
ANNEES_DE_DEPOT = 3
CHIFFRES_ENTIERS = 6
DECIMALES_QUANTITE = 2

ATTESTATION_NON_DIFFICULTE = (
    "Attestation sur l'honneur : le demandeur n'est pas une entreprise en difficulté au sens "
    "du droit de l'Union européenne, et les informations saisies sont exactes."
)


def _immuable(demande: DemandeTic) -> None:
    if demande.statut is not StatutDemandeTic.BROUILLON:
        raise TransitionInvalide(
            f"La demande n°{demande.numero} est à l'état « {demande.statut.libelle} » : seul "
            "un brouillon peut être modifié."
        )


def date_limite_de_depot(annee: int) -> date:
    """The last day a demande for deliveries of `annee` may be sent: 31 December N+3."""
    return date(annee + ANNEES_DE_DEPOT, 12, 31)


def verifier_annee(annee: object, aujourdhui: date, champ: str = "annee") -> int:
    """A delivery year that may be claimed today: past, and within its filing window."""
    valeur = exiger_entier(annee, champ)
    if valeur >= aujourdhui.year:
        raise ValidationError(
            f"Les livraisons de {valeur} ne peuvent être remboursées qu'à partir de la "
            f"campagne {valeur + 1} : choisissez une année écoulée.",
            champ=champ,
        )
    if aujourdhui > date_limite_de_depot(valeur):
        raise ValidationError(
            f"Le délai de dépôt des demandes pour les livraisons de {valeur} a expiré le "
            f"{date_limite_de_depot(valeur):%d/%m/%Y} (31 décembre N+3).",
            champ=champ,
        )
    return valeur


def valider_quantite(valeur: Decimal | int | str, champ: str = "quantite") -> Decimal:
    """A quantity of at most 8 digits, 2 of them decimals, greater than zero."""
    nombre = en_decimal(valeur, champ)
    if nombre <= 0:
        raise ValidationError("La quantité doit être supérieure à zéro.", champ=champ)
    exposant = nombre.normalize().as_tuple().exponent
    if isinstance(exposant, int) and -exposant > DECIMALES_QUANTITE:
        raise ValidationError(
            f"La quantité ne peut pas avoir plus de {DECIMALES_QUANTITE} décimales.", champ=champ
        )
    if nombre >= Decimal(10) ** CHIFFRES_ENTIERS:
        raise ValidationError(
            f"La quantité ne peut pas dépasser {CHIFFRES_ENTIERS} chiffres avant la virgule "
            "(8 chiffres en tout, dont 2 décimales).",
            champ=champ,
        )
    return nombre.quantize(Decimal("0.01"))


_REFERENCE = re.compile(r"[^\x00-\x1f]+")


@attrs.frozen
class EnTeteDemandeTic:
    """What the demandeur declares once for the whole demande."""

    structure_id: str
    annee: int
    coordonnee_bancaire_id: str
    attestation_non_difficulte: bool
    avance: bool = False
    type_beneficiaire: TypeBeneficiaire = TypeBeneficiaire.EXPLOITANT_AGRICOLE

    @staticmethod
    def creer(
        *,
        structure_id: str,
        annee: object,
        coordonnee_bancaire_id: object,
        attestation_non_difficulte: object,
        avance: object = False,
        type_beneficiaire: TypeBeneficiaire = TypeBeneficiaire.EXPLOITANT_AGRICOLE,
        aujourdhui: date,
    ) -> EnTeteDemandeTic:
        """The en-tête, each field checked (the year against today's filing window)."""
        if attestation_non_difficulte is not True:
            raise ValidationError(
                "Vous devez attester sur l'honneur que l'entreprise n'est pas en difficulté.",
                champ="attestation_non_difficulte",
            )
        if not isinstance(avance, bool):
            raise ValidationError("Ce champ doit valoir true ou false.", champ="avance")
        return EnTeteDemandeTic(
            structure_id=structure_id,
            annee=verifier_annee(annee, aujourdhui),
            coordonnee_bancaire_id=texte_obligatoire(
                coordonnee_bancaire_id, "coordonnee_bancaire_id", maximum=64
            ),
            attestation_non_difficulte=True,
            avance=avance,
            type_beneficiaire=type_beneficiaire,
        )


@attrs.frozen
class LigneDemandeTic:
    """One invoice: what was delivered, when, and the refund it gives."""

    numero_ligne: int
    numero_facture: str
    fournisseur: str
    date_livraison: date
    produit: ProduitTic
    quantite: Decimal
    taux: Decimal
    montant: Decimal
    reference_taux: str | None = None

    @property
    def unite(self) -> str:
        return self.produit.unite

    @property
    def unite_taux(self) -> str:
        return self.produit.unite_taux

    @staticmethod
    def creer(
        *,
        numero_ligne: int,
        numero_facture: object,
        fournisseur: object,
        date_livraison: date,
        produit: ProduitTic,
        quantite: Decimal | int | str,
        annee: int,
        bareme: BaremeTic,
    ) -> LigneDemandeTic:
        """A line with its rate and amount computed from the barème; refused when the
        delivery is outside `annee` or no rate is published for it."""
        numero = texte_obligatoire(numero_facture, "numero_facture", maximum=50)
        nom = texte_obligatoire(fournisseur, "fournisseur", maximum=100)
        if not isinstance(date_livraison, date) or isinstance(date_livraison, datetime):
            raise ValidationError("La date de livraison est invalide.", champ="date_livraison")
        if date_livraison.year != annee:
            raise ValidationError(
                f"La date de livraison ({date_livraison:%d/%m/%Y}) doit être dans l'année de "
                f"la demande ({annee}).",
                champ="date_livraison",
            )
        volume = valider_quantite(quantite)
        taux = bareme.taux_au(produit, date_livraison, champ="produit")
        return LigneDemandeTic(
            numero_ligne=numero_ligne,
            numero_facture=numero,
            fournisseur=nom,
            date_livraison=date_livraison,
            produit=produit,
            quantite=volume,
            taux=taux.taux,
            montant=taux.montant(volume),
            reference_taux=taux.reference,
        )

    def recalculee(self, bareme: BaremeTic, champ: str) -> LigneDemandeTic:
        """The line at the rate published now (a draft follows a corrected barème)."""
        try:
            taux = bareme.taux_au(self.produit, self.date_livraison, champ=f"{champ}.produit")
        except ValidationError as erreur:
            raise ValidationError(
                f"Ligne n°{self.numero_ligne} : {erreur.message}", champ=erreur.champ
            ) from None
        return attrs.evolve(
            self,
            taux=taux.taux,
            montant=taux.montant(self.quantite),
            reference_taux=taux.reference,
        )


@attrs.frozen
class EvenementDemandeTic:
    """One entry of a demande's history (append-only): `date_evenement` is when it happened
    (in the back office for the instructor's events), `date_maj` when the portal recorded
    it."""

    statut: StatutDemandeTic
    intervenant: IntervenantTic
    acteur: str
    date_evenement: datetime
    date_maj: datetime
    motif: str | None = None
    reference_evenement: str | None = None
    montant: Decimal | None = None


@attrs.frozen
class EvenementInstructionTic:
    """An instructor's event, identified by its reference so that a replay changes
    nothing."""

    action: ActionInstructionTic
    reference: str
    date_evenement: datetime
    motif: str | None = None
    montant_accorde: Decimal | None = None

    @staticmethod
    def creer(
        *,
        action: ActionInstructionTic,
        reference: object,
        date_evenement: datetime,
        motif: object = None,
        montant_accorde: Decimal | int | str | None = None,
    ) -> EvenementInstructionTic:
        if date_evenement.tzinfo is None:
            raise ValidationError(
                "La date de l'événement doit préciser son fuseau horaire.",
                champ="date_evenement",
            )
        motif_propre = texte_optionnel(motif, "motif", maximum=2000)
        if action.motif_obligatoire and motif_propre is None:
            raise ValidationError("Le motif est obligatoire pour un rejet.", champ="motif")
        if montant_accorde is not None and action is not ActionInstructionTic.VALIDATION:
            raise ValidationError(
                "Le montant accordé ne se donne qu'avec la validation.", champ="montant_accorde"
            )
        return EvenementInstructionTic(
            action=action,
            reference=texte_obligatoire(reference, "reference_evenement", maximum=100),
            date_evenement=date_evenement,
            motif=motif_propre,
            montant_accorde=(
                valider_euros(montant_accorde, "montant_accorde")
                if montant_accorde is not None
                else None
            ),
        )


@attrs.frozen
class DemandeurEnvoye:
    """Who filed the demande and where the refund is to be paid, frozen at sending."""

    siret: str
    raison_sociale: str
    adresse: str
    departement: str | None
    libelle_coordonnee: str
    iban: str
    bic: str

    @property
    def libelle(self) -> str:
        return f"{self.siret} – {self.raison_sociale}"


@attrs.frozen
class PieceCertifieeTic:
    nom_fichier: str
    type_piece: TypePiece
    sha256: str
    numero_ligne: int | None = None


@attrs.frozen
class CertificatDepotTic:
    """The receipt issued at sending (« Exporter en pdf »); it never changes."""

    numero: str
    date_depot: datetime
    demandeur: str
    annee: int
    campagne: int
    nombre_lignes: int
    montant_total: Decimal
    montant_avance: Decimal | None
    pieces: tuple[PieceCertifieeTic, ...]
    empreinte: str
    # The PDF rendered at sending, in the blob store (its SHA-256); None until stored.
    document_sha256: str | None = None

    @property
    def texte(self) -> str:
        return (
            f"La demande de remboursement partiel de TIC/TICGN n°{self.numero}, pour les "
            f"livraisons de {self.annee}, d'un montant de {en_francais(self.montant_total)} EUR, "
            "a été transmise au service instructeur."
        )


def serialisation_canonique_tic(demande: DemandeTic, *, date_depot: datetime) -> bytes:
    """The bytes a demande's empreinte is computed on: JSON, keys sorted, no spaces, UTF-8;
    amounts and quantities with two decimals, rates as published, dates ``YYYY-MM-DD``, the
    sending instant in UTC."""
    demandeur = demande.demandeur
    if demandeur is None:
        raise ValueError("the canonical serialisation needs the demandeur as sent")
    document = {
        "format": 1,
        "numero": demande.numero,
        "date_depot": instant_canonique(date_depot),
        "campagne": demande.campagne,
        "annee": demande.entete.annee,
        "avance": demande.entete.avance,
        "type_beneficiaire": demande.entete.type_beneficiaire.value,
        "demandeur": {"siret": demandeur.siret, "raison_sociale": demandeur.raison_sociale},
        "coordonnee_bancaire": {"iban": demandeur.iban, "bic": demandeur.bic},
        "lignes": [
            {
                "numero_ligne": ligne.numero_ligne,
                "numero_facture": ligne.numero_facture,
                "fournisseur": ligne.fournisseur,
                "date_livraison": ligne.date_livraison.isoformat(),
                "produit": ligne.produit.value,
                "quantite": format(ligne.quantite, "f"),
                "taux": format(ligne.taux, "f"),
                "montant": format(arrondir(ligne.montant), "f"),
            }
            for ligne in demande.lignes
        ],
        "montant_total": format(demande.montant_total, "f"),
        "pieces": [
            {
                "nom_fichier": p.nom_fichier,
                "type_piece": p.type_piece.value,
                "numero_ligne": p.numero_ligne,
                "taille": p.taille,
                "sha256": p.sha256,
            }
            for p in demande.pieces
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def empreinte_tic(demande: DemandeTic, *, date_depot: datetime) -> str:
    """Base64 of the SHA-256 of the demande's canonical serialisation (as for mémoires)."""
    return empreinte(serialisation_canonique_tic(demande, date_depot=date_depot))


@attrs.frozen
class DemandeTic:
    """The demande aggregate."""

    id: str
    numero: str
    entete: EnTeteDemandeTic
    campagne: int
    date_creation: datetime
    historique: tuple[EvenementDemandeTic, ...]
    date_modification: datetime = attrs.field()
    lignes: tuple[LigneDemandeTic, ...] = ()
    pieces: tuple[PieceJointe, ...] = ()
    statut: StatutDemandeTic = StatutDemandeTic.BROUILLON
    parent_id: str | None = None
    taux_avance: Decimal | None = None
    demandeur: DemandeurEnvoye | None = None
    certificat: CertificatDepotTic | None = None
    montant_accorde: Decimal | None = None
    motif_rejet: str | None = None
    date_paiement: date | None = None
    version: int = 0

    @date_modification.default
    def _depuis_la_creation(self) -> datetime:
        return self.date_creation

    @staticmethod
    def creer(
        *,
        id: str,
        numero: str,
        entete: EnTeteDemandeTic,
        campagne: int,
        taux_avance: Decimal | None,
        acteur: str,
        maintenant: datetime,
        parent_id: str | None = None,
    ) -> DemandeTic:
        """A new draft. `taux_avance` is the campaign's (None when it offers no avance):
        asking for an avance in a campaign without one is refused."""
        if entete.avance and taux_avance is None:
            raise ValidationError(
                f"La campagne {campagne} ne prévoit pas d'avance sur le remboursement.",
                champ="avance",
            )
        return DemandeTic(
            id=id,
            numero=numero,
            entete=entete,
            campagne=campagne,
            date_creation=maintenant,
            parent_id=parent_id,
            taux_avance=taux_avance if entete.avance else None,
            historique=(
                EvenementDemandeTic(
                    statut=StatutDemandeTic.BROUILLON,
                    intervenant=IntervenantTic.DEMANDEUR,
                    acteur=acteur,
                    date_evenement=maintenant,
                    date_maj=maintenant,
                    motif=None if parent_id is None else "Duplication d'une demande rejetée",
                ),
            ),
        )

    def modifie_le(self, maintenant: datetime) -> DemandeTic:
        return attrs.evolve(self, date_modification=maintenant)

    # -- derived values ------------------------------------------------------------------

    @functools.cached_property
    def montant_total(self) -> Decimal:
        """The refund asked: the sum of the lines' amounts."""
        return arrondir(sum((ligne.montant for ligne in self.lignes), ZERO))

    @property
    def montant_avance(self) -> Decimal | None:
        """The avance asked with the demande (its share of the total), if any."""
        if self.taux_avance is None:
            return None
        return arrondir(self.montant_total * self.taux_avance)

    @property
    def structure_id(self) -> str:
        return self.entete.structure_id

    @property
    def annee(self) -> int:
        return self.entete.annee

    @property
    def date_depot(self) -> datetime | None:
        return self.certificat.date_depot if self.certificat else None

    @property
    def date_statut(self) -> datetime:
        return self.historique[-1].date_maj

    def ligne(self, numero_ligne: int) -> LigneDemandeTic:
        for ligne in self.lignes:
            if ligne.numero_ligne == numero_ligne:
                return ligne
        raise NonTrouve(f"La demande n'a pas de ligne n°{numero_ligne}.", champ="numero_ligne")

    def piece(self, piece_id: str) -> PieceJointe | None:
        for piece in self.pieces:
            if piece.id == piece_id:
                return piece
        return None

    def prochain_numero_ligne(self) -> int:
        return max((ligne.numero_ligne for ligne in self.lignes), default=0) + 1

    # -- editing a draft -----------------------------------------------------------------

    def exiger_brouillon(self) -> DemandeTic:
        _immuable(self)
        return self

    def verifier_suppression(self) -> None:
        if self.statut is not StatutDemandeTic.BROUILLON:
            raise TransitionInvalide(
                f"La demande n°{self.numero} a été envoyée : elle ne peut pas être supprimée ; "
                "elle reste consultable pendant 10 ans."
            )

    def modifier_entete(
        self, entete: EnTeteDemandeTic, *, bareme: BaremeTic, taux_avance: Decimal | None
    ) -> DemandeTic:
        """Change the en-tête of a draft; a new year must hold every line's delivery, and
        the lines follow the barème."""
        _immuable(self)
        if entete.structure_id != self.entete.structure_id:
            raise ValidationError(
                "La structure d'une demande ne peut pas changer : créez une demande pour "
                "l'autre structure.",
                champ="structure_id",
            )
        if entete.avance and taux_avance is None:
            raise ValidationError(
                f"La campagne {self.campagne} ne prévoit pas d'avance sur le remboursement.",
                champ="avance",
            )
        for ligne in self.lignes:
            if ligne.date_livraison.year != entete.annee:
                raise ValidationError(
                    f"La ligne n°{ligne.numero_ligne} a une livraison du "
                    f"{ligne.date_livraison:%d/%m/%Y}, hors de l'année {entete.annee} : "
                    "modifiez ou supprimez-la d'abord.",
                    champ="annee",
                )
        return attrs.evolve(
            self,
            entete=entete,
            taux_avance=taux_avance if entete.avance else None,
            lignes=self._recalculees(bareme),
        )

    def _recalculees(self, bareme: BaremeTic) -> tuple[LigneDemandeTic, ...]:
        return tuple(
            ligne.recalculee(bareme, f"lignes[{index}]") for index, ligne in enumerate(self.lignes)
        )

    def _verifier_doublon(self, ligne: LigneDemandeTic) -> None:
        for autre in self.lignes:
            if (
                autre.numero_ligne != ligne.numero_ligne
                and autre.numero_facture == ligne.numero_facture
                and autre.fournisseur.casefold() == ligne.fournisseur.casefold()
                and autre.produit is ligne.produit
            ):
                raise Conflit(
                    f"La facture n°{ligne.numero_facture} de {ligne.fournisseur} pour le "
                    f"produit « {ligne.produit.libelle} » est déjà déclarée (ligne "
                    f"n°{autre.numero_ligne}).",
                    champ="numero_facture",
                )

    def ajouter_ligne(self, ligne: LigneDemandeTic) -> DemandeTic:
        _immuable(self)
        if len(self.lignes) >= NOMBRE_MAXIMUM_DE_LIGNES_TIC:
            raise ValidationError(
                f"Une demande ne peut pas compter plus de {NOMBRE_MAXIMUM_DE_LIGNES_TIC} lignes "
                "(une par facture).",
                champ="lignes",
            )
        if any(x.numero_ligne == ligne.numero_ligne for x in self.lignes):
            raise Conflit(f"La ligne n°{ligne.numero_ligne} existe déjà.", champ="numero_ligne")
        self._verifier_doublon(ligne)
        return attrs.evolve(self, lignes=(*self.lignes, ligne))

    def remplacer_ligne(self, ligne: LigneDemandeTic) -> DemandeTic:
        _immuable(self)
        self.ligne(ligne.numero_ligne)
        self._verifier_doublon(ligne)
        return attrs.evolve(
            self,
            lignes=tuple(ligne if x.numero_ligne == ligne.numero_ligne else x for x in self.lignes),
        )

    def supprimer_ligne(self, numero_ligne: int) -> DemandeTic:
        """Remove a line; its pièces stay, attached to the whole demande (nothing is lost)."""
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

    def joindre_piece(self, piece: PieceJointe) -> DemandeTic:
        _immuable(self)
        if len(self.pieces) >= NOMBRE_MAXIMUM_DE_PIECES_TIC:
            raise ValidationError(
                f"Une demande ne peut pas compter plus de {NOMBRE_MAXIMUM_DE_PIECES_TIC} pièces "
                "jointes.",
                champ="fichier",
            )
        if piece.numero_ligne is not None and not any(
            ligne.numero_ligne == piece.numero_ligne for ligne in self.lignes
        ):
            raise ValidationError(
                f"La demande n'a pas de ligne n°{piece.numero_ligne}.", champ="numero_ligne"
            )
        return attrs.evolve(self, pieces=(*self.pieces, piece))

    def retirer_piece(self, piece_id: str) -> DemandeTic:
        _immuable(self)
        if self.piece(piece_id) is None:
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return attrs.evolve(self, pieces=tuple(p for p in self.pieces if p.id != piece_id))

    # -- sending ---------------------------------------------------------------------------

    def lignes_sans_facture(self) -> tuple[LigneDemandeTic, ...]:
        """Lines with no invoice attached, when no pièce on the whole demande may hold it."""
        if any(p.numero_ligne is None for p in self.pieces):
            return ()
        avec = {p.numero_ligne for p in self.pieces}
        return tuple(ligne for ligne in self.lignes if ligne.numero_ligne not in avec)

    def verifier_envoi(self, *, aujourdhui: date) -> None:
        """Every precondition of sending, each refused with its own message."""
        _immuable(self)
        if not self.lignes:
            raise ValidationError(
                "La demande doit comporter au moins une ligne (une par facture).", champ="lignes"
            )
        if aujourdhui > date_limite_de_depot(self.annee):
            raise ValidationError(
                f"Le délai de dépôt des demandes pour les livraisons de {self.annee} a expiré le "
                f"{date_limite_de_depot(self.annee):%d/%m/%Y} : la demande ne peut plus être "
                "envoyée.",
                champ="annee",
            )
        sans = self.lignes_sans_facture()
        if sans:
            index = self.lignes.index(sans[0])
            numeros = ", ".join(f"n°{ligne.numero_ligne}" for ligne in sans)
            raise ValidationError(
                f"Joignez la facture de la ligne {numeros} (sur la ligne, ou sur la demande).",
                champ=f"lignes[{index}].pieces_jointes",
            )

    def envoyer(
        self,
        *,
        acteur: str,
        maintenant: datetime,
        bareme: BaremeTic,
        piece_rib: PieceJointe,
        demandeur: DemandeurEnvoye,
    ) -> DemandeTic:
        """Send the draft: rates as published now, the RIB attached, the demandeur and bank
        details frozen, the certificate and its empreinte issued."""
        self.verifier_envoi(aujourdhui=jour_a_paris(maintenant))
        pieces = self.pieces
        if not any(
            p.type_piece is TypePiece.COORDONNEE_BANCAIRE and p.sha256 == piece_rib.sha256
            for p in pieces
        ):
            if len(pieces) >= NOMBRE_MAXIMUM_DE_PIECES_TIC:
                raise ValidationError(
                    f"Avec le RIB joint automatiquement, la demande dépasserait "
                    f"{NOMBRE_MAXIMUM_DE_PIECES_TIC} pièces jointes : retirez-en une.",
                    champ="pieces_jointes",
                )
            pieces = (*pieces, attrs.evolve(piece_rib, numero_ligne=None, date_ajout=maintenant))
        envoyee = attrs.evolve(
            self, lignes=self._recalculees(bareme), pieces=pieces, demandeur=demandeur
        )
        if envoyee.montant_total <= 0:
            raise ValidationError("Le montant demandé doit être supérieur à zéro.", champ="lignes")
        certificat = CertificatDepotTic(
            numero=self.numero,
            date_depot=maintenant,
            demandeur=demandeur.libelle,
            annee=self.annee,
            campagne=self.campagne,
            nombre_lignes=len(envoyee.lignes),
            montant_total=envoyee.montant_total,
            montant_avance=envoyee.montant_avance,
            pieces=tuple(
                PieceCertifieeTic(p.nom_fichier, p.type_piece, p.sha256, p.numero_ligne)
                for p in envoyee.pieces
            ),
            empreinte=empreinte_tic(envoyee, date_depot=maintenant),
        )
        return attrs.evolve(envoyee, certificat=certificat)._passer(
            StatutDemandeTic.ENVOYEE,
            intervenant=IntervenantTic.DEMANDEUR,
            acteur=acteur,
            maintenant=maintenant,
            motif=ATTESTATION_NON_DIFFICULTE,
        )

    def avec_certificat_archive(self, document_sha256: str) -> DemandeTic:
        """The demande just sent, with the address of its certificate's PDF: set once."""
        if self.certificat is None or self.statut is not StatutDemandeTic.ENVOYEE:
            raise TransitionInvalide(f"La demande n°{self.numero} n'a pas été envoyée.")
        if self.certificat.document_sha256 is not None:
            raise TransitionInvalide(
                f"Le certificat de dépôt de la demande n°{self.numero} est déjà archivé."
            )
        return attrs.evolve(
            self, certificat=attrs.evolve(self.certificat, document_sha256=document_sha256)
        )

    def empreinte_recalculee(self) -> str:
        if self.certificat is None:
            raise TransitionInvalide(f"La demande n°{self.numero} n'a pas été envoyée.")
        return empreinte_tic(self, date_depot=self.certificat.date_depot)

    # -- status changes ------------------------------------------------------------------

    def _passer(
        self,
        vers: StatutDemandeTic,
        *,
        intervenant: IntervenantTic,
        acteur: str,
        maintenant: datetime,
        date_evenement: datetime | None = None,
        motif: str | None = None,
        reference: str | None = None,
        montant: Decimal | None = None,
    ) -> DemandeTic:
        verifier_transition_tic(self.numero, self.statut, vers, intervenant)
        entree = EvenementDemandeTic(
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
            self, statut=vers, historique=(*self.historique, entree), date_modification=maintenant
        )

    def instruire(
        self, evenement: EvenementInstructionTic, *, acteur: str, maintenant: datetime
    ) -> DemandeTic:
        """Apply an instructor's event. Replaying an event already applied changes nothing."""
        for passe in self.historique:
            if passe.reference_evenement == evenement.reference:
                if passe.statut is not evenement.action.statut:
                    raise Conflit(
                        f"La référence d'événement {evenement.reference} a déjà servi pour une "
                        "autre action.",
                        champ="reference_evenement",
                    )
                return self
        action = evenement.action
        verifier_transition_tic(self.numero, self.statut, action.statut, IntervenantTic.INSTRUCTEUR)
        if self.certificat is not None and evenement.date_evenement < self.certificat.date_depot:
            raise ValidationError(
                "La date de l'événement ne peut pas précéder l'envoi de la demande.",
                champ="date_evenement",
            )
        if evenement.date_evenement > maintenant + TOLERANCE_HORLOGE:
            raise ValidationError(
                "La date de l'événement ne peut pas être dans le futur.", champ="date_evenement"
            )
        suivant = self
        montant: Decimal | None = None
        if action is ActionInstructionTic.VALIDATION:
            montant = (
                evenement.montant_accorde
                if evenement.montant_accorde is not None
                else self.montant_total
            )
            if montant > self.montant_total:
                raise ValidationError(
                    f"Le montant accordé ({en_francais(montant)} EUR) ne peut pas dépasser le "
                    f"montant demandé ({en_francais(self.montant_total)} EUR).",
                    champ="montant_accorde",
                )
            if montant < self.montant_total and evenement.motif is None:
                raise ValidationError(
                    "Le motif est obligatoire quand le montant accordé est inférieur au "
                    "montant demandé.",
                    champ="motif",
                )
            suivant = attrs.evolve(self, montant_accorde=montant)
        elif action is ActionInstructionTic.REJET:
            suivant = attrs.evolve(self, motif_rejet=evenement.motif)
        elif action is ActionInstructionTic.MISE_EN_PAIEMENT:
            montant = self.montant_accorde
            suivant = attrs.evolve(self, date_paiement=jour_a_paris(evenement.date_evenement))
        return suivant._passer(
            action.statut,
            intervenant=IntervenantTic.INSTRUCTEUR,
            acteur=acteur,
            maintenant=maintenant,
            date_evenement=evenement.date_evenement,
            motif=evenement.motif,
            reference=evenement.reference,
            montant=montant,
        )

    # -- duplication ---------------------------------------------------------------------

    def dupliquer(
        self,
        *,
        id: str,
        numero: str,
        campagne: int,
        taux_avance: Decimal | None,
        acteur: str,
        maintenant: datetime,
        bareme: BaremeTic,
    ) -> DemandeTic:
        """A new draft copying a rejected demande's en-tête, lines and pièces (the RIB
        left out: sending attaches the current one), linked to it. The rejected demande
        itself does not change."""
        if self.statut is not StatutDemandeTic.REJETEE:
            raise TransitionInvalide(
                f"La demande n°{self.numero} est à l'état « {self.statut.libelle} » : seule une "
                "demande rejetée peut être dupliquée."
            )
        verifier_annee(self.annee, jour_a_paris(maintenant))
        entete = attrs.evolve(self.entete, avance=self.entete.avance and taux_avance is not None)
        copie = DemandeTic.creer(
            id=id,
            numero=numero,
            entete=entete,
            campagne=campagne,
            taux_avance=taux_avance,
            acteur=acteur,
            maintenant=maintenant,
            parent_id=self.id,
        )
        return attrs.evolve(
            copie,
            lignes=self._recalculees(bareme),
            pieces=tuple(
                attrs.evolve(p, date_ajout=maintenant)
                for p in self.pieces
                # The RIB that sending attached (on the whole demande) goes: sending the
                # copy attaches the current one.
                if p.type_piece is not TypePiece.COORDONNEE_BANCAIRE or p.numero_ligne is not None
            ),
        )
