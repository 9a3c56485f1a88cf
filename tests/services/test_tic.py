"""The TIC/TICGN use cases: who may do what, the demande's journey, and refusals that store
nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.bootstrap import Chorus
from chorus.domain.errors import (
    AccesRefuse,
    Conflit,
    ConflitDeVersion,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.bareme import ProduitTic, TauxNonPublie
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import ActionInstructionTic, StatutDemandeTic
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.requetes import Pagination
from chorus.ports.tic import FiltresDemandeTic, TriTic
from chorus.services.tic import SaisieEnTeteTic, SaisieLigneTic
from tests.monde import construire_chorus

MAINTENANT = datetime(2024, 6, 14, 8, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SIRET = "52012345600003"
SIRET_VOISIN = "44306184100005"
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP882"


@attrs.frozen
class Ferme:
    chorus: Chorus
    horloge: HorlogeFixe
    exploitant: Utilisateur
    lecteur: Utilisateur
    voisin: Utilisateur
    instructeur: Utilisateur
    greffe: Utilisateur
    structure: Structure

    @property
    def coordonnee_id(self) -> str:
        return self.structure.coordonnees_bancaires[0].id

    def entete(self, annee: object = 2023, **autres: object) -> SaisieEnTeteTic:
        valeurs: dict[str, object] = {
            "structure_id": self.structure.id,
            "annee": annee,
            "coordonnee_bancaire_id": self.coordonnee_id,
            "attestation_non_difficulte": True,
        }
        valeurs.update(autres)
        return SaisieEnTeteTic(**valeurs)  # type: ignore[arg-type]

    def brouillon(self, annee: int = 2023) -> DemandeTic:
        return self.chorus.tic.creer(self.exploitant.id, self.entete(annee))

    def ligne(
        self,
        demande: DemandeTic,
        *,
        produit: ProduitTic = ProduitTic.GAZOLE_NON_ROUTIER,
        livraison: date | None = None,
        quantite: str = "1234.56",
        facture: str = "F-1",
    ) -> DemandeTic:
        demande, _ = self.chorus.tic.ajouter_ligne(
            self.exploitant.id,
            demande.id,
            SaisieLigneTic(
                numero_facture=facture,
                fournisseur="Coopérative du Maine",
                date_livraison=livraison or date(demande.annee, 6, 1),
                produit=produit,
                quantite=quantite,
            ),
        )
        return demande

    def prete(self, annee: int = 2023) -> DemandeTic:
        demande = self.ligne(self.brouillon(annee))
        self.chorus.tic.joindre_piece(
            self.exploitant.id, demande.id, contenu=PDF + b"facture", nom_fichier="facture.pdf"
        )
        return self.chorus.tic.obtenir(self.exploitant.id, demande.id)

    def envoyee(self, annee: int = 2023) -> DemandeTic:
        return self.chorus.tic.envoyer(self.exploitant.id, self.prete(annee).id)

    def instruire(
        self,
        demande: DemandeTic,
        action: ActionInstructionTic,
        *,
        motif: str | None = None,
        montant: str | None = None,
    ) -> DemandeTic:
        self.horloge.avancer(timedelta(minutes=1))
        return self.chorus.instruction_tic.appliquer_evenement(
            self.instructeur.id,
            demande.id,
            EvenementInstructionTic.creer(
                action=action,
                reference=f"{demande.numero}-{action.value}",
                date_evenement=self.horloge.maintenant(),
                motif=motif,
                montant_accorde=montant,
            ),
        )

    def nombre_de_demandes(self) -> int:
        return self.chorus.tic.rechercher(
            self.exploitant.id, FiltresDemandeTic(), TriTic(), Pagination()
        ).total


def _structure(
    chorus: Chorus, gestionnaire: Utilisateur, siret: str, code_postal: str
) -> Structure:
    s = chorus.structures.creer(
        gestionnaire.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret,
        raison_sociale=f"EARL {siret[:4]}",
        adresse=Adresse.creer(ligne1="La Tillerie", code_postal=code_postal, ville="Le Mans"),
    )
    chorus.structures.activer_espace_tic(gestionnaire.id, s.id)
    rib = chorus.structures.deposer_piece(
        gestionnaire.id,
        s.id,
        contenu=PDF + siret.encode(),
        nom_fichier="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    chorus.structures.ajouter_coordonnee_bancaire(
        gestionnaire.id, s.id, libelle="Compte", iban=IBAN, bic=BIC, piece_jointe_id=rib.id
    )
    return chorus.structures.obtenir(gestionnaire.id, s.id)


@pytest.fixture
def ferme() -> Ferme:
    chorus = construire_chorus(UniteDeTravailEnMemoire(), BlobsEnMemoire(), MAINTENANT)
    horloge = chorus.ports.clock
    assert isinstance(horloge, HorlogeFixe)
    u = chorus.utilisateurs
    exploitant = u.creer_compte(email="jean@ferme.fr", nom="Lefèvre", prenom="Jean", actif=True)
    lecteur = u.creer_compte(email="compta@ferme.fr", nom="Roy", prenom="Eve", actif=True)
    voisin = u.creer_compte(email="voisin@ferme.fr", nom="Blanc", prenom="Luc", actif=True)
    structure = _structure(chorus, exploitant, SIRET, "72000")
    _structure(chorus, voisin, SIRET_VOISIN, "53000")
    demandee = chorus.structures.demander_rattachement(lecteur.id, structure.id)
    rattachement = next(r for r in demandee.rattachements if r.utilisateur_id == lecteur.id)
    chorus.structures.valider_rattachement(exploitant.id, structure.id, rattachement.id)
    chorus.structures.accorder_habilitation(
        exploitant.id,
        structure.id,
        utilisateur_id=lecteur.id,
        application=Application.TIC,
        profil=Profil.CONSULTATION,
    )
    instructeur = u.creer_agent(
        email="tic@ddfip.fr", nom="Garnier", prenom="Tom", role=RoleAgent.INSTRUCTEUR_TIC
    )
    greffe = u.creer_agent(
        email="greffe@tj.fr",
        nom="Leroy",
        prenom="Marc",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-75056",),
    )
    return Ferme(
        chorus,
        horloge,
        exploitant,
        lecteur,
        voisin,
        instructeur,
        greffe,
        chorus.structures.obtenir(exploitant.id, structure.id),
    )


# -- public information ------------------------------------------------------------------


def test_les_taux_et_l_eligibilite_sont_publics(ferme: Ferme) -> None:
    (gpl,) = ferme.chorus.tic.taux(ProduitTic.GPL, 2018)
    assert (gpl.taux, gpl.debut) == (Decimal("5.72"), date(2018, 4, 1))
    with pytest.raises(TauxNonPublie):
        ferme.chorus.tic.taux(ProduitTic.FIOUL_LOURD, 2024)
    assert ferme.chorus.tic.eligibilite("72000").campagne == 2024
    assert not ferme.chorus.tic.eligibilite("28000", 2016).eligible


# -- the journey -------------------------------------------------------------------------


def test_de_la_demande_au_paiement_en_passant_par_un_rejet(ferme: Ferme) -> None:
    tic = ferme.chorus.tic
    demande = ferme.brouillon()
    assert demande.numero == "DT2024000000001"
    demande = ferme.ligne(demande, quantite="1234.56", livraison=date(2023, 2, 1))
    demande = ferme.ligne(demande, produit=ProduitTic.FIOUL_LOURD, quantite="1000", facture="F-2")
    assert demande.montant_total == Decimal("184.69") + Decimal("137.65")
    tic.joindre_piece(
        ferme.exploitant.id,
        demande.id,
        contenu=PDF + b"1",
        nom_fichier="facture-1.pdf",
        numero_ligne=1,
    )
    du_compte = ferme.chorus.structures.deposer_piece(
        ferme.exploitant.id,
        ferme.structure.id,
        contenu=PDF + b"facture annuelle",
        nom_fichier="facture-annuelle.pdf",
        type_piece=TypePiece.FACTURE,
    )
    tic.importer_piece(ferme.exploitant.id, demande.id, du_compte.id, numero_ligne=2)
    envoyee = tic.envoyer(ferme.exploitant.id, demande.id)
    assert envoyee.statut is StatutDemandeTic.ENVOYEE
    assert envoyee.certificat is not None
    stocke = tic.certificat_depot(ferme.exploitant.id, envoyee.id)
    assert stocke.contenu == ferme.chorus.ports.blobs.lire(envoyee.certificat.document_sha256 or "")
    assert envoyee.numero.encode() in stocke.contenu
    assert SIRET.encode() in stocke.contenu
    # Nothing sent can change.
    with pytest.raises(TransitionInvalide):
        ferme.ligne(envoyee, facture="F-3")

    ferme.instruire(envoyee, ActionInstructionTic.MISE_A_DISPOSITION)
    ferme.instruire(envoyee, ActionInstructionTic.PRISE_EN_CHARGE)
    rejetee = ferme.instruire(envoyee, ActionInstructionTic.REJET, motif="Facture F-2 illisible")
    assert tic.obtenir(ferme.exploitant.id, rejetee.id).historique[-1].motif == (
        "Facture F-2 illisible"
    )
    copie = tic.dupliquer(ferme.exploitant.id, rejetee.id)
    assert copie.parent_id == rejetee.id
    assert copie.statut is StatutDemandeTic.BROUILLON
    copie, _ = tic.modifier_ligne(
        ferme.exploitant.id,
        copie.id,
        2,
        SaisieLigneTic(
            numero_facture="F-2",
            fournisseur="Coopérative du Maine",
            date_livraison=date(2023, 6, 1),
            produit=ProduitTic.FIOUL_LOURD,
            quantite="900",
        ),
    )
    copie = tic.envoyer(ferme.exploitant.id, copie.id)
    ferme.instruire(copie, ActionInstructionTic.MISE_A_DISPOSITION)
    ferme.instruire(copie, ActionInstructionTic.PRISE_EN_CHARGE)
    validee = ferme.instruire(
        copie, ActionInstructionTic.VALIDATION, montant="250.00", motif="Quantité plafonnée"
    )
    assert validee.montant_accorde == Decimal("250.00")
    payee = ferme.instruire(validee, ActionInstructionTic.MISE_EN_PAIEMENT)
    assert payee.statut is StatutDemandeTic.MISE_EN_PAIEMENT

    suivi = tic.suivi(ferme.exploitant.id)
    assert suivi[0].statut is StatutDemandeTic.MISE_EN_PAIEMENT
    assert suivi[0].numero == copie.numero
    tableau = tic.tableau_de_bord(ferme.exploitant.id)
    assert tableau[ferme.structure.id] == {
        StatutDemandeTic.REJETEE: 1,
        StatutDemandeTic.MISE_EN_PAIEMENT: 1,
    }
    assert ferme.chorus.instruction_tic.compter_par_statut(ferme.instructeur.id) == {
        StatutDemandeTic.REJETEE: 1,
        StatutDemandeTic.MISE_EN_PAIEMENT: 1,
    }


def test_une_seule_demande_par_annee_sauf_apres_rejet(ferme: Ferme) -> None:
    premiere = ferme.envoyee()
    with pytest.raises(Conflit, match=premiere.numero) as erreur:
        ferme.brouillon()
    assert erreur.value.champ == "annee"
    ferme.brouillon(2022)  # another year is another demande
    ferme.instruire(premiere, ActionInstructionTic.MISE_A_DISPOSITION)
    ferme.instruire(premiere, ActionInstructionTic.REJET, motif="Pièces manquantes")
    nouvelle = ferme.brouillon()
    assert nouvelle.annee == 2023
    # The rejected one cannot be duplicated while a new demande for the year exists.
    with pytest.raises(Conflit):
        ferme.chorus.tic.dupliquer(ferme.exploitant.id, premiere.id)


def test_changer_l_annee_d_un_brouillon_respecte_l_unicite(ferme: Ferme) -> None:
    ferme.brouillon(2022)
    autre = ferme.brouillon(2023)
    with pytest.raises(Conflit):
        ferme.chorus.tic.modifier_entete(ferme.exploitant.id, autre.id, ferme.entete(2022))
    change = ferme.chorus.tic.modifier_entete(ferme.exploitant.id, autre.id, ferme.entete(2021))
    assert change.annee == 2021


def test_l_envoi_au_dela_du_delai_est_refuse(ferme: Ferme) -> None:
    demande = ferme.prete(2021)
    ferme.horloge.regler(datetime(2025, 1, 1, 12, tzinfo=UTC))
    with pytest.raises(ValidationError, match="délai de dépôt"):
        ferme.chorus.tic.envoyer(ferme.exploitant.id, demande.id)
    assert ferme.chorus.tic.obtenir(ferme.exploitant.id, demande.id).statut is (
        StatutDemandeTic.BROUILLON
    )


def test_un_brouillon_se_supprime_une_demande_envoyee_jamais(ferme: Ferme) -> None:
    brouillon = ferme.brouillon(2022)
    envoyee = ferme.envoyee(2023)
    ferme.chorus.tic.supprimer(ferme.exploitant.id, brouillon.id)
    with pytest.raises(NonTrouve):
        ferme.chorus.tic.obtenir(ferme.exploitant.id, brouillon.id)
    with pytest.raises(TransitionInvalide):
        ferme.chorus.tic.supprimer(ferme.exploitant.id, envoyee.id)


def test_une_version_perimee_ne_change_rien(ferme: Ferme) -> None:
    demande = ferme.ligne(ferme.brouillon())
    with pytest.raises(ConflitDeVersion):
        ferme.chorus.tic.supprimer_ligne(
            ferme.exploitant.id, demande.id, 1, version_attendue=demande.version - 1
        )
    assert len(ferme.chorus.tic.obtenir(ferme.exploitant.id, demande.id).lignes) == 1


# -- who may do what ---------------------------------------------------------------------


def test_les_droits(ferme: Ferme) -> None:
    tic = ferme.chorus.tic
    demande = ferme.brouillon()
    # Consultation reads, never writes.
    assert tic.obtenir(ferme.lecteur.id, demande.id).id == demande.id
    with pytest.raises(AccesRefuse):
        ferme.chorus.tic.supprimer(ferme.lecteur.id, demande.id)
    with pytest.raises(AccesRefuse):
        tic.creer(ferme.lecteur.id, ferme.entete(2022))
    # Another farm knows nothing of it.
    with pytest.raises(NonTrouve):
        tic.obtenir(ferme.voisin.id, demande.id)
    assert tic.rechercher(ferme.voisin.id, FiltresDemandeTic(), TriTic(), Pagination()).total == 0
    # The instructor never sees a draft; a juridiction's agent sees no demande at all.
    with pytest.raises(NonTrouve):
        ferme.chorus.instruction_tic.obtenir(ferme.instructeur.id, demande.id)
    with pytest.raises(AccesRefuse):
        ferme.chorus.instruction_tic.rechercher(
            ferme.greffe.id, FiltresDemandeTic(), TriTic(), Pagination()
        )
    # A farmer is no instructor.
    envoyee = ferme.envoyee(2022)
    with pytest.raises(AccesRefuse):
        ferme.chorus.instruction_tic.appliquer_evenement(
            ferme.exploitant.id,
            envoyee.id,
            EvenementInstructionTic.creer(
                action=ActionInstructionTic.MISE_A_DISPOSITION,
                reference="r",
                date_evenement=ferme.horloge.maintenant(),
            ),
        )
    file = ferme.chorus.instruction_tic.rechercher(
        ferme.instructeur.id, FiltresDemandeTic(), TriTic(), Pagination()
    )
    assert [r.numero for r in file.elements] == [envoyee.numero]


def test_une_structure_sans_espace_tic_ne_depose_pas(ferme: Ferme) -> None:
    chorus = ferme.chorus
    s = chorus.structures.creer(
        ferme.voisin.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant="41234567000019",
        raison_sociale="Cabinet",
        adresse=Adresse.creer(ligne1="1 rue", code_postal="75011", ville="Paris"),
    )
    with pytest.raises(ValidationError, match="espace") as erreur:
        chorus.tic.creer(
            ferme.voisin.id,
            SaisieEnTeteTic(
                structure_id=s.id,
                annee=2023,
                coordonnee_bancaire_id="x",
                attestation_non_difficulte=True,
            ),
        )
    assert erreur.value.champ == "structure_id"


# -- refusals store nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("changements", "champ"),
    [
        ({"annee": 2024}, "annee"),
        ({"annee": 2020}, "annee"),
        ({"annee": "2023"}, "annee"),
        ({"attestation_non_difficulte": False}, "attestation_non_difficulte"),
        ({"coordonnee_bancaire_id": "inconnue"}, "coordonnee_bancaire_id"),
        ({"avance": "oui"}, "avance"),
    ],
)
def test_un_en_tete_refuse_ne_cree_rien(
    ferme: Ferme, changements: dict[str, object], champ: str
) -> None:
    with pytest.raises(ValidationError) as erreur:
        ferme.chorus.tic.creer(ferme.exploitant.id, ferme.entete(**changements))
    assert erreur.value.champ == champ
    assert ferme.nombre_de_demandes() == 0


@pytest.mark.parametrize(
    ("ligne", "champ"),
    [
        ({"quantite": "1.234"}, "quantite"),
        ({"quantite": "1234567"}, "quantite"),
        ({"quantite": "0"}, "quantite"),
        ({"date_livraison": date(2022, 12, 31)}, "date_livraison"),
        ({"numero_facture": "  "}, "numero_facture"),
        ({"fournisseur": ""}, "fournisseur"),
    ],
)
def test_une_ligne_refusee_ne_change_rien(
    ferme: Ferme, ligne: dict[str, object], champ: str
) -> None:
    demande = ferme.brouillon()
    valeurs: dict[str, object] = {
        "numero_facture": "F-1",
        "fournisseur": "Coop",
        "date_livraison": date(2023, 5, 1),
        "produit": ProduitTic.GAZOLE_NON_ROUTIER,
        "quantite": "10",
    }
    valeurs.update(ligne)
    with pytest.raises(ValidationError) as erreur:
        ferme.chorus.tic.ajouter_ligne(
            ferme.exploitant.id,
            demande.id,
            SaisieLigneTic(**valeurs),  # type: ignore[arg-type]
        )
    assert erreur.value.champ == champ
    apres = ferme.chorus.tic.obtenir(ferme.exploitant.id, demande.id)
    assert apres == demande


def test_un_taux_non_publie_refuse_la_ligne(ferme: Ferme) -> None:
    ferme.horloge.regler(datetime(2025, 3, 1, 9, tzinfo=UTC))
    demande = ferme.ligne(ferme.brouillon(2024), livraison=date(2024, 2, 1))
    assert demande.lignes[0].taux == Decimal("20.95")
    with pytest.raises(TauxNonPublie, match="Taux non publié") as erreur:
        ferme.ligne(demande, produit=ProduitTic.FIOUL_LOURD, facture="F-2")
    assert erreur.value.champ == "produit"
    assert ferme.chorus.tic.obtenir(ferme.exploitant.id, demande.id) == demande
