"""The demo data set, built through the use cases as real users would (so it obeys every rule).

Dates are relative to the clock's today, so the demo never runs into the forclusion.
Loading it twice changes nothing: an existing demo account means the set is already there.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from chorus.domain.actualites import Actualite
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.lignes import SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Regime,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.support.ticket import Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.requetes import PAR_PAGE_MAXIMUM, CleDeTri, FiltresMemoire, Pagination, Tri
from chorus.services.comptes import CompteService
from chorus.services.consultation import ConsultationService
from chorus.services.contexte import Ports
from chorus.services.demo_actualites import EMAILS_DEMO_ACTUALITES, charger_demo_actualites
from chorus.services.demo_support import EMAILS_DEMO_SUPPORT, charger_demo_support
from chorus.services.demo_tic import EMAILS_DEMO_TIC, charger_demo_tic
from chorus.services.memoires import MemoireService
from chorus.services.structures import StructureService
from chorus.services.traitement import TraitementService
from chorus.services.utilisateurs import UtilisateurService

EMAIL_TEMOIN = "claire.martin@demo.chorus.fr"

MOT_DE_PASSE_DEMO = "Demo-Chorus-2026"
"""Every demo account's password (printed by `chorus demo`): a demo, not a secret."""

# The frais de justice part's accounts, in the order they are created and shown.
_EMAILS_FRAIS_DE_JUSTICE = (
    EMAIL_TEMOIN,
    "paul.durand@expertises-durand.fr",
    "sophie.bernard@expertises-durand.fr",
    "hugo.lambert@expertises-durand.fr",
    "lea.petit@enquetes-nord.fr",
    "greffe.frais@tj-paris.justice.fr",
    "greffe.frais@tj-lyon.justice.fr",
    "greffe.frais@tj-lille.justice.fr",
    "comptable@dgfip.finances.gouv.fr",
)
# Every demo account, in the order they are created and shown.
EMAILS_DEMO = (
    *_EMAILS_FRAIS_DE_JUSTICE,
    *EMAILS_DEMO_TIC,
    *EMAILS_DEMO_SUPPORT,
    *EMAILS_DEMO_ACTUALITES,
)

# A minimal, well-formed one-page PDF: enough to be recognised by its content.
PDF_DEMO = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@attrs.frozen
class DonneesDemo:
    """What the demo created, for the command line to show."""

    utilisateurs: tuple[Utilisateur, ...]
    structures: tuple[Structure, ...]
    memoires: tuple[Memoire, ...]
    deja_chargee: bool = False
    demandes_tic: tuple[DemandeTic, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    actualites: tuple[Actualite, ...] = ()


class _Chargeur:
    def __init__(self, ports: Ports) -> None:
        self.ports = ports
        self.utilisateurs = UtilisateurService(ports)
        self.structures = StructureService(ports)
        self.memoires = MemoireService(ports)
        self.traitement = TraitementService(ports)
        self.consultation = ConsultationService(ports)
        self.aujourdhui = ports.clock.aujourdhui()
        self.compteur = 0

    def jour(self, il_y_a: int) -> date:
        return self.aujourdhui - timedelta(days=il_y_a)

    def structure(
        self,
        gestionnaire: Utilisateur,
        *,
        type_structure: TypeStructure,
        type_identifiant: TypeIdentifiant,
        identifiant: str,
        raison_sociale: str,
        adresse: Adresse,
        categorie: str,
        regime: Regime | None,
        iban: str,
        bic: str,
    ) -> Structure:
        structure = self.structures.creer(
            gestionnaire.id,
            type_structure=type_structure,
            type_identifiant=type_identifiant,
            identifiant=identifiant,
            raison_sociale=raison_sociale,
            adresse=adresse,
        )
        self.structures.definir_espace_frais_de_justice(
            gestionnaire.id, structure.id, categorie_prestataire=categorie, regime=regime
        )
        rib = self.structures.deposer_piece(
            gestionnaire.id,
            structure.id,
            contenu=PDF_DEMO + raison_sociale.encode(),
            nom_fichier="RIB.pdf",
            type_piece=TypePiece.COORDONNEE_BANCAIRE,
            designation=f"RIB {raison_sociale}",
        )
        self.structures.ajouter_coordonnee_bancaire(
            gestionnaire.id,
            structure.id,
            libelle="Compte principal",
            iban=iban,
            bic=bic,
            piece_jointe_id=rib.id,
        )
        return self.structures.obtenir(gestionnaire.id, structure.id)

    def memoire(
        self,
        acteur: Utilisateur,
        structure: Structure,
        juridiction: str,
        texte: str,
        type_tva: TypeTva,
        lignes: list[SaisieLigne],
        *,
        service_id: str | None = None,
    ) -> Memoire:
        memoire = self.memoires.creer(
            acteur.id,
            EnTete.creer(
                structure_id=structure.id,
                juridiction_code=juridiction,
                texte_reference=texte,
                type_tva=type_tva,
                service_id=service_id,
                coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
            ),
        )
        for saisie in lignes:
            memoire = self.memoires.ajouter_ligne(acteur.id, memoire.id, saisie)
        self.memoires.joindre_piece(
            acteur.id,
            memoire.id,
            contenu=PDF_DEMO + memoire.numero.encode(),
            nom_fichier="requisition.pdf",
            type_piece=TypePiece.REQUISITION,
            designation="Réquisition",
            numero_ligne=1,
        )
        return self.memoires.obtenir(acteur.id, memoire.id)

    def envoyer(self, acteur: Utilisateur, memoire: Memoire) -> Memoire:
        return self.memoires.envoyer(acteur.id, memoire.id, attestation_sur_honneur=True)

    def traiter(
        self,
        agent: Utilisateur,
        memoire: Memoire,
        action: ActionTraitement,
        *,
        motif: str | None = None,
        montant_certifie: str | None = None,
    ) -> Memoire:
        self.compteur += 1
        return self.traitement.appliquer_evenement(
            agent.id,
            memoire.id,
            EvenementTraitement.creer(
                action=action,
                reference=f"DEMO-{self.compteur:04d}",
                date_evenement=self.ports.clock.maintenant(),
                motif=motif,
                montant_certifie=montant_certifie,
            ),
        )


def _ligne(
    affaire: str,
    prestation: str,
    autorite: str,
    quantite: str,
    tarif: str,
    taux: str,
    prestation_le: date,
    *,
    frais: tuple[tuple[str, str], ...] = (),
    debours: str = "0",
) -> SaisieLigne:
    return SaisieLigne(
        numero_affaire=affaire,
        date_requisition=prestation_le - timedelta(days=7),
        autorite_requerante=autorite,
        type_prestation=prestation,
        date_prestation=prestation_le,
        quantite=quantite,
        tarif_ht=tarif,
        taux_tva=taux,
        frais_divers=frais,
        debours=debours,
    )


def _deja_chargee(c: _Chargeur) -> DonneesDemo:
    """What a previous load left (on a persistent store), shown as the first load was."""
    utilisateurs = tuple(
        u
        for u in (c.utilisateurs.par_email(email) for email in _EMAILS_FRAIS_DE_JUSTICE)
        if u is not None
    )
    structures: dict[str, Structure] = {}
    memoires: list[Memoire] = []
    for utilisateur in utilisateurs:
        for structure in c.structures.mes_structures(utilisateur.id):
            if structure.id in structures or not structure.est_gestionnaire(utilisateur.id):
                continue
            structures[structure.id] = structure
            page = 1
            while True:
                trouves = c.consultation.rechercher(
                    utilisateur.id,
                    FiltresMemoire(structure_id=structure.id),
                    Tri(CleDeTri.DATE_CREATION, descendant=False),
                    Pagination(page, PAR_PAGE_MAXIMUM),
                )
                memoires.extend(c.memoires.obtenir(utilisateur.id, r.id) for r in trouves.elements)
                if page * PAR_PAGE_MAXIMUM >= trouves.total:
                    break
                page += 1
    return DonneesDemo(
        utilisateurs=utilisateurs,
        structures=tuple(structures.values()),
        memoires=tuple(memoires),
        deja_chargee=True,
    )


def charger_demo(ports: Ports, comptes: CompteService | None = None) -> DonneesDemo:
    """Create the demo accounts, structures and mémoires (once); with `comptes`, give every
    demo account that has none the password `MOT_DE_PASSE_DEMO`, so that one can log in."""
    donnees = _charger(ports)
    tic = charger_demo_tic(ports)
    donnees = attrs.evolve(
        donnees,
        utilisateurs=(*donnees.utilisateurs, *tic.utilisateurs),
        structures=(*donnees.structures, *tic.structures),
        demandes_tic=tic.demandes,
    )
    support = charger_demo_support(ports, donnees.memoires)
    donnees = attrs.evolve(
        donnees,
        utilisateurs=(*donnees.utilisateurs, *support.utilisateurs),
        tickets=support.tickets,
    )
    actualites = charger_demo_actualites(ports)
    donnees = attrs.evolve(
        donnees,
        utilisateurs=(*donnees.utilisateurs, *actualites.utilisateurs),
        actualites=actualites.actualites,
    )
    if comptes is None:
        return donnees
    utilisateurs = UtilisateurService(ports)
    for utilisateur in donnees.utilisateurs:
        if utilisateur.empreinte_mot_de_passe is None:
            comptes.definir_mot_de_passe(utilisateur.id, MOT_DE_PASSE_DEMO)
    return attrs.evolve(
        donnees, utilisateurs=tuple(utilisateurs.obtenir(u.id) for u in donnees.utilisateurs)
    )


def _charger(ports: Ports) -> DonneesDemo:
    c = _Chargeur(ports)
    if c.utilisateurs.par_email(EMAIL_TEMOIN) is not None:
        return _deja_chargee(c)

    claire = c.utilisateurs.creer_compte(
        email=EMAIL_TEMOIN, nom="Martin", prenom="Claire", telephone="0601020304", actif=True
    )
    paul = c.utilisateurs.creer_compte(
        email="paul.durand@expertises-durand.fr", nom="Durand", prenom="Paul", actif=True
    )
    sophie = c.utilisateurs.creer_compte(
        email="sophie.bernard@expertises-durand.fr", nom="Bernard", prenom="Sophie", actif=True
    )
    hugo = c.utilisateurs.creer_compte(
        email="hugo.lambert@expertises-durand.fr", nom="Lambert", prenom="Hugo", actif=True
    )
    lea = c.utilisateurs.creer_compte(
        email="lea.petit@enquetes-nord.fr", nom="Petit", prenom="Léa", actif=True
    )
    greffe_paris = c.utilisateurs.creer_agent(
        email="greffe.frais@tj-paris.justice.fr",
        nom="Leroy",
        prenom="Marc",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-75056", "CA-PARIS"),
    )
    greffe_lyon = c.utilisateurs.creer_agent(
        email="greffe.frais@tj-lyon.justice.fr",
        nom="Moreau",
        prenom="Julie",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-69123",),
    )
    greffe_lille = c.utilisateurs.creer_agent(
        email="greffe.frais@tj-lille.justice.fr",
        nom="Fournier",
        prenom="Anne",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-59350",),
    )
    comptable = c.utilisateurs.creer_agent(
        email="comptable@dgfip.finances.gouv.fr",
        nom="Girard",
        prenom="Luc",
        role=RoleAgent.COMPTABLE,
    )

    atelier = c.structure(
        claire,
        type_structure=TypeStructure.PARTICULIER,
        type_identifiant=TypeIdentifiant.PARTICULIER,
        identifiant="MARTIN-CLAIRE-1980",
        raison_sociale="Claire Martin, interprète-traductrice",
        adresse=Adresse.creer(ligne1="12 rue des Lilas", code_postal="75011", ville="Paris"),
        categorie="INTERPRETE_TRADUCTEUR",
        regime=Regime.COSP,
        iban="FR76 3000 6000 0112 3456 7890 189",
        bic="AGRIFRPP882",
    )
    cabinet = c.structure(
        paul,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant="412 345 670 00019",
        raison_sociale="Cabinet d'expertises Durand",
        adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
        categorie="PSYCHIATRE",
        regime=None,
        iban="FR14 2004 1010 0505 0001 3M02 606",
        bic="PSSTFRPPLYO",
    )
    c.structures.ajouter_service(paul.id, cabinet.id, code="PSY", libelle="Pôle psychiatrie")
    cabinet = c.structures.ajouter_service(
        paul.id, cabinet.id, code="MED", libelle="Pôle médecine légale"
    )
    cabinet = c.structures.demander_rattachement(sophie.id, cabinet.id)
    demande = cabinet.rattachement_de(sophie.id)
    assert demande is not None
    c.structures.valider_rattachement(paul.id, cabinet.id, demande.id)
    c.structures.accorder_habilitation(
        paul.id,
        cabinet.id,
        utilisateur_id=sophie.id,
        application=Application.FRAIS_DE_JUSTICE,
        profil=Profil.CONSULTATION,
    )
    # A collaborator who files mémoires without managing the structure.
    cabinet = c.structures.demander_rattachement(hugo.id, cabinet.id)
    demande = cabinet.rattachement_de(hugo.id)
    assert demande is not None
    c.structures.valider_rattachement(paul.id, cabinet.id, demande.id)
    c.structures.accorder_habilitation(
        paul.id,
        cabinet.id,
        utilisateur_id=hugo.id,
        application=Application.FRAIS_DE_JUSTICE,
        profil=Profil.MODIFICATION,
    )
    association = c.structure(
        lea,
        type_structure=TypeStructure.ASSOCIATION,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant="52345678800018",
        raison_sociale="Association Enquêtes et Médiation du Nord",
        adresse=Adresse.creer(ligne1="3 place du Théâtre", code_postal="59000", ville="Lille"),
        categorie="ENQUETEUR_SOCIAL",
        regime=None,
        iban="FR76 3000 4000 0312 3456 7890 143",
        bic="BNPAFRPPLIL",
    )
    psy = next(s for s in cabinet.services if s.code == "PSY")

    a = ActionTraitement
    # Claire: a translation paid, an interpretation refused then duplicated, a draft.
    traduction = c.envoyer(
        claire,
        c.memoire(
            claire,
            atelier,
            "TJ-75056",
            "A.43-7",
            TypeTva.TVA_SUR_ENCAISSEMENTS,
            [
                _ligne(
                    "PARQUET-24-118",
                    "TRADUCTION_PAGE",
                    "JUGE_INSTRUCTION",
                    "12",
                    "25.00",
                    "20",
                    c.jour(40),
                )
            ],
        ),
    )
    for action in (a.MISE_A_DISPOSITION, a.CERTIFICATION):
        traduction = c.traiter(greffe_paris, traduction, action)
    traduction = c.traiter(comptable, traduction, a.MISE_EN_PAIEMENT)

    interpretariat = c.envoyer(
        claire,
        c.memoire(
            claire,
            atelier,
            "TJ-75056",
            "A.43-7",
            TypeTva.TVA_SUR_ENCAISSEMENTS,
            [
                _ligne(
                    "PV-2024-5567",
                    "INTERPRETARIAT_HEURE_JOUR",
                    "OFFICIER_POLICE_JUDICIAIRE",
                    "3",
                    "42.00",
                    "20",
                    c.jour(25),
                    frais=(("Déplacement aller-retour (métro)", "4.30"),),
                )
            ],
        ),
    )
    interpretariat = c.traiter(greffe_paris, interpretariat, a.MISE_A_DISPOSITION)
    interpretariat = c.traiter(
        greffe_paris,
        interpretariat,
        a.REFUS,
        motif="La réquisition jointe ne correspond pas à la prestation déclarée.",
    )
    copie = c.memoires.dupliquer(claire.id, interpretariat.id)
    interpretariat = c.memoires.obtenir(claire.id, interpretariat.id)
    brouillon = c.memoire(
        claire,
        atelier,
        "CA-PARIS",
        "A.43-7",
        TypeTva.TVA_SUR_ENCAISSEMENTS,
        [
            _ligne(
                "RG-24-03311",
                "TRADUCTION_PAGE",
                "PRESIDENT_JURIDICTION",
                "4",
                "25.00",
                "20",
                c.jour(5),
            )
        ],
    )

    # The cabinet: the seed's worked example certified, a suspended expertise, one waiting.
    exemple = c.envoyer(
        paul,
        c.memoire(
            paul,
            cabinet,
            "TJ-69123",
            "A.43-6",
            TypeTva.TVA_SUR_DEBITS,
            [
                _ligne(
                    "PARQUET-24-2201",
                    "EXPERTISE_PSYCHIATRIQUE",
                    "PROCUREUR_REPUBLIQUE",
                    "1",
                    "150.00",
                    "5.5",
                    c.jour(30),
                )
            ],
            service_id=psy.id,
        ),
    )
    for action in (a.MISE_A_DISPOSITION, a.CERTIFICATION):
        exemple = c.traiter(greffe_lyon, exemple, action)
    suspendu = c.envoyer(
        paul,
        c.memoire(
            paul,
            cabinet,
            "TJ-69123",
            "A.43-6",
            TypeTva.TVA_SUR_DEBITS,
            [
                _ligne(
                    "INSTR-23-0912",
                    "EXPERTISE_PSYCHIATRIQUE",
                    "JUGE_INSTRUCTION",
                    "1",
                    "312.00",
                    "20",
                    c.jour(60),
                    debours="18.60",
                )
            ],
            service_id=psy.id,
        ),
    )
    suspendu = c.traiter(greffe_lyon, suspendu, a.MISE_A_DISPOSITION)
    suspendu = c.traiter(
        greffe_lyon, suspendu, a.SUSPENSION, motif="Merci de joindre le rapport d'expertise signé."
    )
    en_attente = c.traiter(
        greffe_lyon,
        c.envoyer(
            paul,
            c.memoire(
                paul,
                cabinet,
                "TJ-69123",
                "A.43-6",
                TypeTva.TVA_SUR_DEBITS,
                [
                    _ligne(
                        "PARQUET-24-3104",
                        "EXPERTISE_PSYCHIATRIQUE",
                        "PROCUREUR_REPUBLIQUE",
                        "1",
                        "312.00",
                        "20",
                        c.jour(12),
                    )
                ],
                service_id=psy.id,
            ),
        ),
        a.MISE_A_DISPOSITION,
    )

    # The association: a civil social enquiry without TVA, paid.
    enquete = c.envoyer(
        lea,
        c.memoire(
            lea,
            association,
            "TJ-59350",
            "A.43-12",
            TypeTva.SANS_TVA,
            [
                _ligne(
                    "JAF-24-00457",
                    "ENQUETE_SOCIALE",
                    "JUGE_AFFAIRES_FAMILIALES",
                    "1",
                    "600.00",
                    "0",
                    c.jour(45),
                )
            ],
        ),
    )
    for action in (a.MISE_A_DISPOSITION, a.CERTIFICATION):
        enquete = c.traiter(greffe_lille, enquete, action)
    enquete = c.traiter(comptable, enquete, a.MISE_EN_PAIEMENT)

    return DonneesDemo(
        utilisateurs=(
            claire,
            paul,
            sophie,
            hugo,
            lea,
            greffe_paris,
            greffe_lyon,
            greffe_lille,
            comptable,
        ),
        structures=(
            c.structures.obtenir(claire.id, atelier.id),
            c.structures.obtenir(paul.id, cabinet.id),
            c.structures.obtenir(lea.id, association.id),
        ),
        memoires=(
            traduction,
            interpretariat,
            copie,
            brouillon,
            exemple,
            suspendu,
            en_attente,
            enquete,
        ),
    )
