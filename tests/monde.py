"""A small world for use-case tests: Chorus on memory storage with a fixed clock, a
structure ready to file mémoires, its users at every level of habilitation, and agents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.bootstrap import Chorus, assembler
from chorus.domain.courriels import Courriel
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.lignes import SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.depots import UnitOfWork
from chorus.ports.documents import DocumentRenderer
from chorus.ports.systeme import BlobStore
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import DessinateurFactice, RenduSommaire, SecretsPrevisibles, hacheur_rapide

MAINTENANT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)
AUJOURDHUI = date(2024, 6, 14)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

SIRET_CABINET = "41234567000019"
SIRET_AUTRE = "52345678800018"
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP882"


def construire_chorus(
    uow: UnitOfWork | None = None,
    blobs: BlobStore | None = None,
    debut: datetime = MAINTENANT,
    *,
    reglages: ReglagesComptes | None = None,
    documents: DocumentRenderer | None = None,
) -> Chorus:
    """Chorus on memory storage (unless given another) at a fixed instant, with the account
    doubles of `tests.doubles`: a fast argon2id, predictable secrets, every captcha showing
    `CODE_CAPTCHA`; documents without layout (`RenduSommaire`) unless given a renderer."""
    return assembler(
        Ports(
            uow=uow or UniteDeTravailEnMemoire(),
            clock=HorlogeFixe(debut),
            ids=IdsSequentiels(),
            blobs=blobs or BlobsEnMemoire(),
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=documents or RenduSommaire(),
        ),
        reglages=reglages,
        hacheur=hacheur_rapide(),
        secrets=SecretsPrevisibles(),
        dessinateur=DessinateurFactice(),
    )


def courriels_pour(chorus: Chorus, destinataire: str) -> list[Courriel]:
    """The outbox's emails to `destinataire`, oldest first."""
    with chorus.ports.uow as uow:
        return list(uow.courriels.pour_destinataire(destinataire))


def saisie_ligne(
    *,
    quantite: str = "1",
    tarif_ht: str = "150.00",
    taux_tva: str = "5.5",
    date_prestation: date = AUJOURDHUI - timedelta(days=10),
    numero_affaire: str = "PARQUET-24-001",
    frais_divers: tuple[tuple[str, str], ...] = (),
    debours: str = "0",
) -> SaisieLigne:
    return SaisieLigne(
        numero_affaire=numero_affaire,
        date_requisition=date_prestation - timedelta(days=3),
        autorite_requerante="PROCUREUR_REPUBLIQUE",
        type_prestation="EXPERTISE_PSYCHIATRIQUE",
        date_prestation=date_prestation,
        quantite=quantite,
        tarif_ht=tarif_ht,
        taux_tva=taux_tva,
        frais_divers=frais_divers,
        debours=debours,
    )


@attrs.define
class Monde:
    """Chorus with one structure (services PSY and MED) and a user at each level."""

    chorus: Chorus
    horloge: HorlogeFixe
    structure: Structure
    autre_structure: Structure
    gestionnaire: Utilisateur
    modificateur: Utilisateur
    consultant: Utilisateur
    sans_habilitation: Utilisateur
    service_psy: Utilisateur
    etranger: Utilisateur
    agent: Utilisateur
    agent_ailleurs: Utilisateur
    comptable: Utilisateur
    references: int = 0

    def courriels(self, destinataire: str) -> list[Courriel]:
        """The outbox's emails to `destinataire`, oldest first."""
        return courriels_pour(self.chorus, destinataire)

    def dernier_courriel(self, destinataire: str) -> Courriel:
        courriels = self.courriels(destinataire)
        assert courriels, f"aucun courriel pour {destinataire}"
        return courriels[-1]

    @property
    def psy_id(self) -> str:
        return next(s.id for s in self.structure.services if s.code == "PSY")

    @property
    def med_id(self) -> str:
        return next(s.id for s in self.structure.services if s.code == "MED")

    def entete(self, **changements: object) -> EnTete:
        valeurs: dict[str, object] = {
            "structure_id": self.structure.id,
            "juridiction_code": "TJ-69123",
            "texte_reference": "A.43-6",
            "type_tva": TypeTva.TVA_SUR_DEBITS,
            "coordonnee_bancaire_id": self.structure.coordonnees_bancaires[0].id,
        }
        valeurs.update(changements)
        return EnTete.creer(**valeurs)  # type: ignore[arg-type]

    def brouillon(
        self, acteur: Utilisateur | None = None, lignes: int = 1, **entete: object
    ) -> Memoire:
        qui = acteur or self.gestionnaire
        memoire = self.chorus.memoires.creer(qui.id, self.entete(**entete))
        for _ in range(lignes):
            memoire = self.chorus.memoires.ajouter_ligne(qui.id, memoire.id, saisie_ligne())
        return memoire

    def envoye(self, acteur: Utilisateur | None = None, **entete: object) -> Memoire:
        qui = acteur or self.gestionnaire
        memoire = self.brouillon(qui, 1, **entete)
        return self.chorus.memoires.envoyer(qui.id, memoire.id, attestation_sur_honneur=True)

    def evenement(
        self,
        memoire: Memoire,
        action: ActionTraitement,
        *,
        motif: str | None = None,
        montant: str | None = None,
        agent: Utilisateur | None = None,
    ) -> Memoire:
        self.references += 1
        qui = agent or (
            self.comptable if action is ActionTraitement.MISE_EN_PAIEMENT else self.agent
        )
        return self.chorus.traitement.appliquer_evenement(
            qui.id,
            memoire.id,
            EvenementTraitement.creer(
                action=action,
                reference=f"EVT-{self.references:05d}",
                date_evenement=self.horloge.maintenant(),
                motif=motif or ("Motif de test" if self._motif_requis(action, montant) else None),
                montant_certifie=montant if action is ActionTraitement.CERTIFICATION else None,
                montant_paye=montant if action is ActionTraitement.MISE_EN_PAIEMENT else None,
            ),
        )

    @staticmethod
    def _motif_requis(action: ActionTraitement, montant: str | None) -> bool:
        # A certification below the amount asked needs its reason, as a refusal does.
        certification_minoree = action is ActionTraitement.CERTIFICATION and montant is not None
        return action.motif_obligatoire or certification_minoree

    def mis_a_disposition(self) -> Memoire:
        return self.evenement(self.envoye(), ActionTraitement.MISE_A_DISPOSITION)

    def refuse(self) -> Memoire:
        return self.evenement(self.mis_a_disposition(), ActionTraitement.REFUS)

    def suspendu(self) -> Memoire:
        return self.evenement(self.mis_a_disposition(), ActionTraitement.SUSPENSION)

    def paye(self) -> Memoire:
        certifie = self.evenement(self.mis_a_disposition(), ActionTraitement.CERTIFICATION)
        return self.evenement(certifie, ActionTraitement.MISE_EN_PAIEMENT)


def _structure_prete(
    chorus: Chorus, gestionnaire: Utilisateur, siret: str, raison_sociale: str
) -> Structure:
    s = chorus.structures
    structure = s.creer(
        gestionnaire.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret,
        raison_sociale=raison_sociale,
        adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
    )
    s.definir_espace_frais_de_justice(
        gestionnaire.id, structure.id, categorie_prestataire="PSYCHIATRE", regime=None
    )
    rib = s.deposer_piece(
        gestionnaire.id,
        structure.id,
        contenu=PDF + siret.encode(),
        nom_fichier="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    s.ajouter_coordonnee_bancaire(
        gestionnaire.id,
        structure.id,
        libelle="Compte courant",
        iban=IBAN,
        bic=BIC,
        piece_jointe_id=rib.id,
    )
    return s.obtenir(gestionnaire.id, structure.id)


def construire_monde(
    uow: UnitOfWork | None = None,
    blobs: BlobStore | None = None,
    *,
    reglages: ReglagesComptes | None = None,
    documents: DocumentRenderer | None = None,
) -> Monde:
    chorus = construire_chorus(uow, blobs, reglages=reglages, documents=documents)
    horloge = chorus.ports.clock
    assert isinstance(horloge, HorlogeFixe)
    u = chorus.utilisateurs

    def compte(nom: str) -> Utilisateur:
        return u.creer_compte(
            email=f"{nom}@exemple.fr", nom=nom.capitalize(), prenom="Test", actif=True
        )

    gestionnaire = compte("gestionnaire")
    modificateur = compte("modificateur")
    consultant = compte("consultant")
    sans_habilitation = compte("sans")
    service_psy = compte("psy")
    etranger = compte("etranger")
    structure = _structure_prete(chorus, gestionnaire, SIRET_CABINET, "Cabinet Durand")
    autre = _structure_prete(chorus, etranger, SIRET_AUTRE, "Autre cabinet")
    s = chorus.structures
    s.ajouter_service(gestionnaire.id, structure.id, code="PSY", libelle="Psychiatrie")
    structure = s.ajouter_service(gestionnaire.id, structure.id, code="MED", libelle="Médecine")
    psy = next(x.id for x in structure.services if x.code == "PSY")
    for membre, profil, service in (
        (modificateur, Profil.MODIFICATION, None),
        (consultant, Profil.CONSULTATION, None),
        (sans_habilitation, None, None),
        (service_psy, Profil.MODIFICATION, psy),
    ):
        demande = s.demander_rattachement(membre.id, structure.id).rattachement_de(membre.id)
        assert demande is not None
        s.valider_rattachement(gestionnaire.id, structure.id, demande.id)
        if profil is not None:
            s.accorder_habilitation(
                gestionnaire.id,
                structure.id,
                utilisateur_id=membre.id,
                application=Application.FRAIS_DE_JUSTICE,
                profil=profil,
                service_id=service,
            )
    agent = u.creer_agent(
        email="greffe@tj-lyon.fr",
        nom="Greffe",
        prenom="Lyon",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-69123",),
    )
    agent_ailleurs = u.creer_agent(
        email="greffe@tj-paris.fr",
        nom="Greffe",
        prenom="Paris",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-75056",),
    )
    comptable = u.creer_agent(
        email="comptable@dgfip.fr", nom="Comptable", prenom="Public", role=RoleAgent.COMPTABLE
    )
    return Monde(
        chorus=chorus,
        horloge=horloge,
        structure=s.obtenir(gestionnaire.id, structure.id),
        autre_structure=autre,
        gestionnaire=gestionnaire,
        modificateur=modificateur,
        consultant=consultant,
        sans_habilitation=sans_habilitation,
        service_psy=service_psy,
        etranger=etranger,
        agent=agent,
        agent_ailleurs=agent_ailleurs,
        comptable=comptable,
    )
