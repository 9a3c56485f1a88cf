"""Use cases of the demandeur on demandes de remboursement TIC/TICGN: rates and eligibility,
draft, lines, pièces, sending, certificate, duplication, and the follow-up screens (Mon
suivi, Tableau de bord, Rechercher).

Each use case loads what it needs in one unit of work, checks the acting user's TIC
habilitation on the demande's structure, lets the domain decide, and commits once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal

import attrs

from chorus.domain import acces
from chorus.domain.documents import DocumentPdf, NatureDocument
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.organisation import Application, Profil, Structure, TypeIdentifiant
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.tic.bareme import BaremeTic, ProduitTic, TauxTic
from chorus.domain.tic.demande import (
    DemandeTic,
    DemandeurEnvoye,
    EnTeteDemandeTic,
    LigneDemandeTic,
)
from chorus.domain.tic.document import CertificatTicAImprimer
from chorus.domain.tic.eligibilite import Eligibilite, TypeBeneficiaire, evaluer_eligibilite
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Page, Pagination
from chorus.ports.tic import (
    CriteresDemandeTic,
    EvenementSuiviTic,
    FiltresDemandeTic,
    ResumeDemandeTic,
    TriTic,
)
from chorus.services.activite import noter_activite
from chorus.services.contexte import Ports, libelle_acteur, verifier_version

SEQUENCE_DEMANDES_TIC = "demandes_tic"
_OBJET = "cette demande"
SUIVI_PAR_DEFAUT = 50


def numero_demande_tic(campagne: int, sequence: int) -> str:
    """« DT » + the campaign's year + a 9-digit sequence: DT2026000000012."""
    return f"DT{campagne:04d}{sequence:09d}"


@attrs.frozen
class _Contexte:
    structure: Structure
    acteur: str
    maintenant: datetime


@attrs.frozen
class SaisieEnTeteTic:
    """The en-tête as typed (checked by `EnTeteDemandeTic.creer`)."""

    structure_id: str
    annee: object
    coordonnee_bancaire_id: object
    attestation_non_difficulte: object
    avance: object = False
    type_beneficiaire: TypeBeneficiaire = TypeBeneficiaire.EXPLOITANT_AGRICOLE


@attrs.frozen
class SaisieLigneTic:
    """A line as typed (checked by `LigneDemandeTic.creer`)."""

    numero_facture: object
    fournisseur: object
    date_livraison: date
    produit: ProduitTic
    quantite: Decimal | int | str


class DemandeTicService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    @property
    def _bareme(self) -> BaremeTic:
        return self._p.bareme_tic.bareme()

    # -- public information --------------------------------------------------------------

    def taux(self, produit: ProduitTic, annee: int) -> tuple[TauxTic, ...]:
        """The rates in force during `annee` (« taux non publié » when none)."""
        return self._bareme.taux_de_l_annee(produit, annee)

    def taux_au(self, produit: ProduitTic, jour: date) -> TauxTic:
        return self._bareme.taux_au(produit, jour, champ="date")

    def eligibilite(self, code_postal: str, campagne: int | None = None) -> Eligibilite:
        """Whether a siège social at `code_postal` may file in `campagne` (this year's by
        default)."""
        return evaluer_eligibilite(
            self._bareme, code_postal, self._campagne() if campagne is None else campagne
        )

    def taux_avance(self, campagne: int | None = None) -> Decimal | None:
        """The share of the refund an avance may reach in `campagne` (this year's by
        default); None when that campaign offers none (the form then offers no avance)."""
        return self._bareme.taux_avance(self._campagne() if campagne is None else campagne)

    def _campagne(self) -> int:
        return self._p.clock.aujourdhui().year

    # -- shared steps --------------------------------------------------------------------

    def _charger(
        self, uow: UnitOfWork, acteur_id: str, demande_id: str, profil: Profil
    ) -> tuple[DemandeTic, Structure]:
        demande = uow.demandes_tic.obtenir(demande_id)
        structure = uow.structures.obtenir(demande.structure_id)
        acces.exiger(structure, acteur_id, Application.TIC, profil, objet=_OBJET)
        return demande, structure

    def _acteur(self, uow: UnitOfWork, acteur_id: str) -> str:
        return libelle_acteur(uow.utilisateurs.obtenir(acteur_id))

    def _modifier(
        self,
        acteur_id: str,
        demande_id: str,
        version_attendue: int | None,
        changement: Callable[[DemandeTic, _Contexte, UnitOfWork], DemandeTic],
    ) -> DemandeTic:
        """One transaction: load, check the habilitation and the version, change, save."""
        with self._p.uow as uow:
            demande, structure = self._charger(uow, acteur_id, demande_id, Profil.MODIFICATION)
            demande.exiger_brouillon()
            verifier_version(demande.version, version_attendue)
            contexte = _Contexte(
                structure, self._acteur(uow, acteur_id), self._p.clock.maintenant()
            )
            change = changement(demande, contexte, uow).modifie_le(contexte.maintenant)
            enregistre = uow.demandes_tic.enregistrer(change)
            uow.commit()
            return enregistre

    def _verifier_structure(self, structure: Structure, campagne: int) -> None:
        """The structure may file: it has the TIC espace, a SIRET, and its siège is in a
        département of the campaign."""
        if not structure.espace_tic:
            raise ValidationError(
                "L'espace « Demandes de remboursement TIC/TICGN » n'est pas ouvert pour cette "
                "structure : son gestionnaire doit l'ajouter.",
                champ="structure_id",
            )
        if structure.type_identifiant is not TypeIdentifiant.SIRET:
            raise ValidationError(
                "Une demande de remboursement TIC/TICGN se dépose au titre d'un SIRET : cette "
                "structure n'en a pas.",
                champ="structure_id",
            )
        if structure.adresse.pays != "FR":
            raise ValidationError(
                "Le siège social de la structure doit être en France.", champ="structure_id"
            )
        resultat = evaluer_eligibilite(self._bareme, structure.adresse.code_postal, campagne)
        if not resultat.eligible:
            raise ValidationError(resultat.motif or "Structure non éligible.", champ="structure_id")

    def _verifier_unicite(
        self, uow: UnitOfWork, structure_id: str, annee: int, sauf: str | None = None
    ) -> None:
        for autre in uow.demandes_tic.actives(structure_id, annee):
            if autre.id != sauf:
                raise Conflit(
                    f"La structure a déjà une demande pour les livraisons de {annee} "
                    f"(n°{autre.numero}, « {autre.statut.libelle} ») : une seule demande par "
                    "année, sauf après un rejet.",
                    champ="annee",
                )

    def _entete(self, structure: Structure, saisie: SaisieEnTeteTic) -> EnTeteDemandeTic:
        entete = EnTeteDemandeTic.creer(
            structure_id=structure.id,
            annee=saisie.annee,
            coordonnee_bancaire_id=saisie.coordonnee_bancaire_id,
            attestation_non_difficulte=saisie.attestation_non_difficulte,
            avance=saisie.avance,
            type_beneficiaire=saisie.type_beneficiaire,
            aujourdhui=self._p.clock.aujourdhui(),
        )
        structure.coordonnee_bancaire(entete.coordonnee_bancaire_id)
        return entete

    # -- reading -------------------------------------------------------------------------

    def obtenir(self, acteur_id: str, demande_id: str) -> DemandeTic:
        with self._p.uow.lecture() as uow:
            demande, _ = self._charger(uow, acteur_id, demande_id, Profil.CONSULTATION)
            return demande

    def lire_piece(
        self, acteur_id: str, demande_id: str, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        demande = self.obtenir(acteur_id, demande_id)
        piece = demande.piece(piece_id)
        if piece is None:
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return piece, self._p.blobs.lire(piece.sha256)

    def _structures_visibles(self, uow: UnitOfWork, acteur_id: str) -> frozenset[str]:
        structures = uow.structures.pour_utilisateur(acteur_id)
        return acces.perimetre(structures, acteur_id, Application.TIC).toutes_structures

    def rechercher(
        self, acteur_id: str, filtres: FiltresDemandeTic, tri: TriTic, pagination: Pagination
    ) -> Page[ResumeDemandeTic]:
        """« Rechercher »: the demandes of the structures the user may see for TIC."""
        with self._p.uow.lecture() as uow:
            criteres = CriteresDemandeTic(filtres, self._structures_visibles(uow, acteur_id))
            return uow.demandes_tic.rechercher(criteres, tri, pagination)

    def tous(
        self, acteur_id: str, filtres: FiltresDemandeTic, tri: TriTic
    ) -> Sequence[ResumeDemandeTic]:
        """Every match of a search, for the CSV, XLSX and ODS exports."""
        with self._p.uow.lecture() as uow:
            criteres = CriteresDemandeTic(filtres, self._structures_visibles(uow, acteur_id))
            return uow.demandes_tic.tous(criteres, tri)

    def suivi(self, acteur_id: str, limite: int = SUIVI_PAR_DEFAUT) -> Sequence[EvenementSuiviTic]:
        """« Mon suivi »: the latest events of the user's demandes, newest first."""
        if isinstance(limite, bool) or not 1 <= limite <= 500:
            raise ValidationError("Le nombre d'événements va de 1 à 500.", champ="limite")
        with self._p.uow.lecture() as uow:
            return uow.demandes_tic.evenements_recents(
                self._structures_visibles(uow, acteur_id), limite
            )

    def tableau_de_bord(self, acteur_id: str) -> dict[str, dict[StatutDemandeTic, int]]:
        """« Tableau de bord »: per structure the user may see, a count per status."""
        with self._p.uow.lecture() as uow:
            visibles = self._structures_visibles(uow, acteur_id)
            comptes = uow.demandes_tic.compter_par_statut(visibles)
            return {structure_id: comptes.get(structure_id, {}) for structure_id in visibles}

    def certificat_depot(self, acteur_id: str, demande_id: str) -> DocumentPdf:
        """The certificat de dépôt as stored at sending, byte for byte (« Exporter en pdf »)."""
        return certificat_stocke(self._p, self.obtenir(acteur_id, demande_id))

    # -- the draft -----------------------------------------------------------------------

    def creer(self, acteur_id: str, saisie: SaisieEnTeteTic) -> DemandeTic:
        """« Créer une nouvelle demande »: a draft for the structure and year."""
        with self._p.uow as uow:
            structure = uow.structures.obtenir(saisie.structure_id)
            acces.exiger(
                structure, acteur_id, Application.TIC, Profil.MODIFICATION, objet="cette structure"
            )
            campagne = self._campagne()
            self._verifier_structure(structure, campagne)
            entete = self._entete(structure, saisie)
            self._verifier_unicite(uow, structure.id, entete.annee)
            demande = DemandeTic.creer(
                id=self._p.ids.nouveau(),
                numero=numero_demande_tic(campagne, uow.sequences.suivant(SEQUENCE_DEMANDES_TIC)),
                entete=entete,
                campagne=campagne,
                taux_avance=self._bareme.taux_avance(campagne),
                acteur=self._acteur(uow, acteur_id),
                maintenant=self._p.clock.maintenant(),
            )
            uow.demandes_tic.ajouter(demande)
            uow.commit()
            return demande

    def modifier_entete(
        self,
        acteur_id: str,
        demande_id: str,
        saisie: SaisieEnTeteTic,
        *,
        version_attendue: int | None = None,
    ) -> DemandeTic:
        def changer(demande: DemandeTic, contexte: _Contexte, uow: UnitOfWork) -> DemandeTic:
            if saisie.structure_id != demande.structure_id:
                raise ValidationError(
                    "La structure d'une demande ne peut pas changer : créez une demande pour "
                    "l'autre structure.",
                    champ="structure_id",
                )
            entete = self._entete(contexte.structure, saisie)
            if entete.annee != demande.annee:
                self._verifier_unicite(uow, demande.structure_id, entete.annee, sauf=demande.id)
            return demande.modifier_entete(
                entete,
                bareme=self._bareme,
                taux_avance=self._bareme.taux_avance(demande.campagne),
            )

        return self._modifier(acteur_id, demande_id, version_attendue, changer)

    def supprimer(
        self, acteur_id: str, demande_id: str, *, version_attendue: int | None = None
    ) -> None:
        """Delete a draft (never a sent demande)."""
        with self._p.uow as uow:
            demande, _ = self._charger(uow, acteur_id, demande_id, Profil.MODIFICATION)
            demande.verifier_suppression()
            verifier_version(demande.version, version_attendue)
            uow.demandes_tic.supprimer(demande.id)
            uow.commit()

    def _ligne(self, demande: DemandeTic, saisie: SaisieLigneTic, numero: int) -> LigneDemandeTic:
        return LigneDemandeTic.creer(
            numero_ligne=numero,
            numero_facture=saisie.numero_facture,
            fournisseur=saisie.fournisseur,
            date_livraison=saisie.date_livraison,
            produit=saisie.produit,
            quantite=saisie.quantite,
            annee=demande.annee,
            bareme=self._bareme,
        )

    def ajouter_ligne(
        self,
        acteur_id: str,
        demande_id: str,
        saisie: SaisieLigneTic,
        *,
        version_attendue: int | None = None,
    ) -> tuple[DemandeTic, LigneDemandeTic]:
        """« Ajouter une ligne de demande »: the invoice, its rate and amount computed."""
        ajoutee: list[LigneDemandeTic] = []

        def ajouter(demande: DemandeTic, _: _Contexte, __: UnitOfWork) -> DemandeTic:
            ligne = self._ligne(demande, saisie, demande.prochain_numero_ligne())
            ajoutee.append(ligne)
            return demande.ajouter_ligne(ligne)

        demande = self._modifier(acteur_id, demande_id, version_attendue, ajouter)
        return demande, ajoutee[0]

    def modifier_ligne(
        self,
        acteur_id: str,
        demande_id: str,
        numero_ligne: int,
        saisie: SaisieLigneTic,
        *,
        version_attendue: int | None = None,
    ) -> tuple[DemandeTic, LigneDemandeTic]:
        modifiee: list[LigneDemandeTic] = []

        def modifier(demande: DemandeTic, _: _Contexte, __: UnitOfWork) -> DemandeTic:
            demande.ligne(numero_ligne)
            ligne = self._ligne(demande, saisie, numero_ligne)
            modifiee.append(ligne)
            return demande.remplacer_ligne(ligne)

        demande = self._modifier(acteur_id, demande_id, version_attendue, modifier)
        return demande, modifiee[0]

    def supprimer_ligne(
        self,
        acteur_id: str,
        demande_id: str,
        numero_ligne: int,
        *,
        version_attendue: int | None = None,
    ) -> DemandeTic:
        return self._modifier(
            acteur_id,
            demande_id,
            version_attendue,
            lambda d, _, __: d.supprimer_ligne(numero_ligne),
        )

    # -- pièces --------------------------------------------------------------------------

    def joindre_piece(
        self,
        acteur_id: str,
        demande_id: str,
        *,
        contenu: bytes,
        nom_fichier: str,
        type_piece: TypePiece = TypePiece.FACTURE,
        designation: str | None = None,
        numero_ligne: int | None = None,
        version_attendue: int | None = None,
    ) -> PieceJointe:
        """Upload a file (an invoice, by default) to a draft, on a line or on the demande."""
        piece = self._p.nouvelle_piece(
            contenu=contenu,
            nom_fichier=nom_fichier,
            type_piece=type_piece,
            designation=designation,
            numero_ligne=numero_ligne,
        )

        def joindre(demande: DemandeTic, _: _Contexte, __: UnitOfWork) -> DemandeTic:
            change = demande.joindre_piece(piece)
            self._p.blobs.deposer(contenu)
            return change

        self._modifier(acteur_id, demande_id, version_attendue, joindre)
        return piece

    def importer_piece(
        self,
        acteur_id: str,
        demande_id: str,
        piece_structure_id: str,
        *,
        numero_ligne: int | None = None,
        version_attendue: int | None = None,
    ) -> PieceJointe:
        """« Sélectionner une PJ du compte »: attach a pièce of the structure's pool."""
        nouvel_id = self._p.ids.nouveau()
        copie: list[PieceJointe] = []

        def importer(demande: DemandeTic, contexte: _Contexte, _: UnitOfWork) -> DemandeTic:
            piece = attrs.evolve(
                contexte.structure.piece(piece_structure_id),
                id=nouvel_id,
                numero_ligne=numero_ligne,
                date_ajout=contexte.maintenant,
            )
            copie.append(piece)
            return demande.joindre_piece(piece)

        self._modifier(acteur_id, demande_id, version_attendue, importer)
        return copie[0]

    def retirer_piece(
        self,
        acteur_id: str,
        demande_id: str,
        piece_id: str,
        *,
        version_attendue: int | None = None,
    ) -> DemandeTic:
        return self._modifier(
            acteur_id, demande_id, version_attendue, lambda d, _, __: d.retirer_piece(piece_id)
        )

    # -- sending and after ---------------------------------------------------------------

    def envoyer(
        self, acteur_id: str, demande_id: str, *, version_attendue: int | None = None
    ) -> DemandeTic:
        """« Envoyer »: the demande becomes immutable; its certificate is issued, rendered
        and stored in the same transaction."""
        with self._p.uow as uow:
            demande, structure = self._charger(uow, acteur_id, demande_id, Profil.MODIFICATION)
            demande.exiger_brouillon()
            verifier_version(demande.version, version_attendue)
            maintenant = self._p.clock.maintenant()
            self._verifier_structure(structure, demande.campagne)
            coordonnee = structure.coordonnee_bancaire(
                demande.entete.coordonnee_bancaire_id, champ="coordonnee_bancaire_id"
            )
            rib = attrs.evolve(
                structure.piece(coordonnee.piece_jointe_id, champ="coordonnee_bancaire_id"),
                id=self._p.ids.nouveau(),
            )
            adresse = structure.adresse
            envoyee = demande.envoyer(
                acteur=self._acteur(uow, acteur_id),
                maintenant=maintenant,
                bareme=self._bareme,
                piece_rib=rib,
                demandeur=DemandeurEnvoye(
                    siret=structure.identifiant,
                    raison_sociale=structure.raison_sociale,
                    adresse=" ".join(
                        x
                        for x in (
                            adresse.ligne1,
                            adresse.ligne2,
                            adresse.code_postal,
                            adresse.ville,
                        )
                        if x
                    ),
                    departement=structure.departement,
                    libelle_coordonnee=coordonnee.libelle,
                    iban=coordonnee.iban,
                    bic=coordonnee.bic,
                ),
            )
            pdf = self._p.documents.certificat_depot_tic(CertificatTicAImprimer.depuis(envoyee))
            envoyee = envoyee.avec_certificat_archive(self._p.blobs.deposer(pdf))
            enregistre = uow.demandes_tic.enregistrer(envoyee)
            noter_activite(uow, demande, enregistre)
            uow.commit()
            return enregistre

    def dupliquer(self, acteur_id: str, demande_id: str) -> DemandeTic:
        """« Dupliquer » a rejected demande into a new draft to correct and send again."""
        with self._p.uow as uow:
            demande, structure = self._charger(uow, acteur_id, demande_id, Profil.MODIFICATION)
            if demande.statut is not StatutDemandeTic.REJETEE:
                raise TransitionInvalide(
                    f"La demande n°{demande.numero} est à l'état « {demande.statut.libelle} » : "
                    "seule une demande rejetée peut être dupliquée."
                )
            campagne = self._campagne()
            self._verifier_structure(structure, campagne)
            self._verifier_unicite(uow, structure.id, demande.annee)
            copie = demande.dupliquer(
                id=self._p.ids.nouveau(),
                numero=numero_demande_tic(campagne, uow.sequences.suivant(SEQUENCE_DEMANDES_TIC)),
                campagne=campagne,
                taux_avance=self._bareme.taux_avance(campagne),
                acteur=self._acteur(uow, acteur_id),
                maintenant=self._p.clock.maintenant(),
                bareme=self._bareme,
            )
            coordonnees = {c.id for c in structure.coordonnees_bancaires}
            if copie.entete.coordonnee_bancaire_id not in coordonnees:
                raise ValidationError(
                    "Les coordonnées bancaires de la demande rejetée ont été supprimées de la "
                    "structure : créez une nouvelle demande avec d'autres coordonnées.",
                    champ="coordonnee_bancaire_id",
                )
            uow.demandes_tic.ajouter(copie)
            uow.commit()
            return copie


def certificat_stocke(ports: Ports, demande: DemandeTic) -> DocumentPdf:
    """The certificate of a sent demande as stored at sending."""
    document = CertificatTicAImprimer.depuis(demande)
    adresse = document.certificat.document_sha256
    contenu = (
        ports.blobs.lire(adresse)
        if adresse is not None
        else ports.documents.certificat_depot_tic(document)
    )
    return DocumentPdf(NatureDocument.CERTIFICAT_DEPOT, document.nom_fichier, contenu)
