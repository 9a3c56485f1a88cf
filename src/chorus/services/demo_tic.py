"""The TIC/TICGN part of the demo: two farms in Sarthe and Mayenne and a DDFiP instructor,
with demandes at every stage (a rejected one and its corrected duplicate paid for less than
asked, one waiting in the instructor's queue, a draft), built through the use cases.

It loads once, on its own (a store loaded before the TIC espace existed gains it), and
only with years whose rates are published: the latest claimable year that has them.
"""

from __future__ import annotations

from datetime import date

import attrs

from chorus.domain.organisation import Adresse, Structure, TypeIdentifiant, TypeStructure
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.bareme import ProduitTic, TauxNonPublie
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.tic.statuts import ActionInstructionTic
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.requetes import PAR_PAGE_MAXIMUM, Pagination
from chorus.ports.tic import CleDeTriTic, FiltresDemandeTic, TriTic
from chorus.services.contexte import Ports
from chorus.services.instruction_tic import InstructionTicService
from chorus.services.structures import StructureService
from chorus.services.tic import DemandeTicService, SaisieEnTeteTic, SaisieLigneTic
from chorus.services.utilisateurs import UtilisateurService

EMAIL_AGRICULTEUR = "jean.lefevre@earl-des-tilleuls.fr"
EMAILS_DEMO_TIC = (
    EMAIL_AGRICULTEUR,
    "gaec.bocage@orange.fr",
    "instruction.tic@dgfip.finances.gouv.fr",
)

_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@attrs.frozen
class DonneesDemoTic:
    utilisateurs: tuple[Utilisateur, ...]
    structures: tuple[Structure, ...]
    demandes: tuple[DemandeTic, ...]


class _ChargeurTic:
    def __init__(self, ports: Ports) -> None:
        self.ports = ports
        self.utilisateurs = UtilisateurService(ports)
        self.structures = StructureService(ports)
        self.tic = DemandeTicService(ports)
        self.instruction = InstructionTicService(ports)
        self.numero_facture = 100

    def exploitation(
        self, gestionnaire: Utilisateur, *, siret: str, raison_sociale: str, adresse: Adresse
    ) -> Structure:
        structure = self.structures.creer(
            gestionnaire.id,
            type_structure=TypeStructure.ENTREPRISE,
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=siret,
            raison_sociale=raison_sociale,
            adresse=adresse,
        )
        self.structures.activer_espace_tic(gestionnaire.id, structure.id)
        rib = self.structures.deposer_piece(
            gestionnaire.id,
            structure.id,
            contenu=_PDF + raison_sociale.encode(),
            nom_fichier="RIB.pdf",
            type_piece=TypePiece.COORDONNEE_BANCAIRE,
            designation=f"RIB {raison_sociale}",
        )
        self.structures.ajouter_coordonnee_bancaire(
            gestionnaire.id,
            structure.id,
            libelle="Compte de l'exploitation",
            iban="FR76 1790 6000 3200 0123 4567 872",
            bic="AGRIFRPP879",
            piece_jointe_id=rib.id,
        )
        return self.structures.obtenir(gestionnaire.id, structure.id)

    def demande(
        self,
        acteur: Utilisateur,
        structure: Structure,
        annee: int,
        lignes: tuple[tuple[ProduitTic, date, str], ...],
        *,
        type_beneficiaire: TypeBeneficiaire = TypeBeneficiaire.EXPLOITANT_AGRICOLE,
    ) -> DemandeTic:
        demande = self.tic.creer(
            acteur.id,
            SaisieEnTeteTic(
                structure_id=structure.id,
                annee=annee,
                coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
                attestation_non_difficulte=True,
                type_beneficiaire=type_beneficiaire,
            ),
        )
        for produit, livraison, quantite in lignes:
            self.numero_facture += 1
            demande, ligne = self.tic.ajouter_ligne(
                acteur.id,
                demande.id,
                SaisieLigneTic(
                    numero_facture=f"F-{annee}-{self.numero_facture}",
                    fournisseur="Coopérative agricole du Maine",
                    date_livraison=livraison,
                    produit=produit,
                    quantite=quantite,
                ),
            )
            self.tic.joindre_piece(
                acteur.id,
                demande.id,
                contenu=_PDF + f"facture {ligne.numero_facture}".encode(),
                nom_fichier=f"facture-{ligne.numero_facture}.pdf",
                numero_ligne=ligne.numero_ligne,
            )
        return self.tic.obtenir(acteur.id, demande.id)

    def instruire(
        self,
        agent: Utilisateur,
        demande: DemandeTic,
        action: ActionInstructionTic,
        *,
        motif: str | None = None,
        montant_accorde: str | None = None,
    ) -> DemandeTic:
        return self.instruction.appliquer_evenement(
            agent.id,
            demande.id,
            EvenementInstructionTic.creer(
                action=action,
                reference=f"DEMO-{demande.numero}-{action.value}",
                date_evenement=self.ports.clock.maintenant(),
                motif=motif,
                montant_accorde=montant_accorde,
            ),
        )


def _annee_publiee(
    c: _ChargeurTic,
    *,
    sauf: int | None = None,
    produits: tuple[ProduitTic, ...] = (ProduitTic.GAZOLE_NON_ROUTIER, ProduitTic.FIOUL_LOURD),
) -> int | None:
    """The latest year claimable today (other than `sauf`) whose rates of `produits` are
    published for the whole year."""
    aujourdhui = c.ports.clock.aujourdhui()
    for annee in range(aujourdhui.year - 1, aujourdhui.year - 4, -1):
        if annee == sauf:
            continue
        try:
            for produit in produits:
                c.tic.taux_au(produit, date(annee, 1, 1))
                c.tic.taux_au(produit, date(annee, 12, 31))
        except TauxNonPublie:
            continue
        return annee
    return None


def charger_demo_tic(ports: Ports) -> DonneesDemoTic:
    """Create the TIC demo (once); what exists is shown again on later calls."""
    c = _ChargeurTic(ports)
    if c.utilisateurs.par_email(EMAIL_AGRICULTEUR) is not None:
        return _deja_chargee(c)
    annee = _annee_publiee(c)
    if annee is None:
        return DonneesDemoTic((), (), ())
    jean = c.utilisateurs.creer_compte(
        email=EMAIL_AGRICULTEUR, nom="Lefèvre", prenom="Jean", telephone="0243000000", actif=True
    )
    gaec = c.utilisateurs.creer_compte(
        email="gaec.bocage@orange.fr", nom="Renard", prenom="Sylvie", actif=True
    )
    instructeur = c.utilisateurs.creer_agent(
        email="instruction.tic@dgfip.finances.gouv.fr",
        nom="Garnier",
        prenom="Thomas",
        role=RoleAgent.INSTRUCTEUR_TIC,
    )
    tilleuls = c.exploitation(
        jean,
        siret="52012345600003",
        raison_sociale="EARL des Tilleuls",
        adresse=Adresse.creer(
            ligne1="La Tillerie, route de Laval", code_postal="72000", ville="Le Mans"
        ),
    )
    bocage = c.exploitation(
        gaec,
        siret="44306184100005",
        raison_sociale="GAEC du Bocage",
        adresse=Adresse.creer(ligne1="Le Haut-Bocage", code_postal="53000", ville="Laval"),
    )
    gnr, fioul = ProduitTic.GAZOLE_NON_ROUTIER, ProduitTic.FIOUL_LOURD
    rejetee = c.demande(
        jean,
        tilleuls,
        annee,
        ((gnr, date(annee, 3, 14), "4250"), (gnr, date(annee, 9, 2), "3180.5")),
    )
    rejetee = c.tic.envoyer(jean.id, rejetee.id)
    c.instruire(instructeur, rejetee, ActionInstructionTic.MISE_A_DISPOSITION)
    c.instruire(instructeur, rejetee, ActionInstructionTic.PRISE_EN_CHARGE)
    rejetee = c.instruire(
        instructeur,
        rejetee,
        ActionInstructionTic.REJET,
        motif="La facture de septembre est au nom d'un autre exploitant : joignez la bonne.",
    )
    corrigee = c.tic.dupliquer(jean.id, rejetee.id)
    corrigee = c.tic.envoyer(jean.id, corrigee.id)
    c.instruire(instructeur, corrigee, ActionInstructionTic.MISE_A_DISPOSITION)
    c.instruire(instructeur, corrigee, ActionInstructionTic.PRISE_EN_CHARGE)
    accorde = corrigee.montant_total - 100
    c.instruire(
        instructeur,
        corrigee,
        ActionInstructionTic.VALIDATION,
        montant_accorde=str(accorde),
        motif="Livraison du 2 septembre : 250 l utilisés hors travaux agricoles.",
    )
    corrigee = c.instruire(instructeur, corrigee, ActionInstructionTic.MISE_EN_PAIEMENT)
    autre = _annee_publiee(c, sauf=annee, produits=(gnr,))
    brouillons = (
        ()
        if autre is None
        else (c.demande(jean, tilleuls, autre, ((gnr, date(autre, 5, 20), "2890.75"),)),)
    )
    en_attente = c.demande(
        gaec,
        bocage,
        annee,
        ((gnr, date(annee, 4, 3), "6120"), (fioul, date(annee, 11, 18), "2400")),
        type_beneficiaire=TypeBeneficiaire.SOCIETE_AGRICOLE,
    )
    en_attente = c.tic.envoyer(gaec.id, en_attente.id)
    en_attente = c.instruire(instructeur, en_attente, ActionInstructionTic.MISE_A_DISPOSITION)
    return DonneesDemoTic(
        utilisateurs=(jean, gaec, instructeur),
        structures=(
            c.structures.obtenir(jean.id, tilleuls.id),
            c.structures.obtenir(gaec.id, bocage.id),
        ),
        demandes=(c.tic.obtenir(jean.id, rejetee.id), corrigee, *brouillons, en_attente),
    )


def _deja_chargee(c: _ChargeurTic) -> DonneesDemoTic:
    utilisateurs = tuple(
        u for u in (c.utilisateurs.par_email(e) for e in EMAILS_DEMO_TIC) if u is not None
    )
    structures: dict[str, Structure] = {}
    demandes: list[DemandeTic] = []
    for utilisateur in utilisateurs:
        if utilisateur.role is not None:
            continue
        for structure in c.structures.mes_structures(utilisateur.id):
            if structure.id in structures or not structure.est_gestionnaire(utilisateur.id):
                continue
            structures[structure.id] = structure
            trouvees = c.tic.rechercher(
                utilisateur.id,
                FiltresDemandeTic(structure_id=structure.id),
                TriTic(CleDeTriTic.DATE_CREATION, descendant=False),
                Pagination(1, PAR_PAGE_MAXIMUM),
            )
            demandes.extend(c.tic.obtenir(utilisateur.id, r.id) for r in trouvees.elements)
    return DonneesDemoTic(utilisateurs, tuple(structures.values()), tuple(demandes))
