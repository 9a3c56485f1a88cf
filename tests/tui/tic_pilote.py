"""A world for the TIC/TICGN screens of the terminal UI, and how the tests drive them.

The clock stands on 14 June 2022: the 2022 campaign (every département, an avance of 25 %)
takes the deliveries of 2019, 2020 and 2021, so that the seed's example — 1 234,56 l of
gazole non routier delivered in 2019 at 14,96 €/hl → 184,69 € — can be filed."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, Static

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.formulaires import id_champ, id_erreur
from chorus.bootstrap import Chorus
from chorus.domain.organisation import Adresse, Structure, TypeIdentifiant, TypeStructure
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import ActionInstructionTic
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.tic import FiltresDemandeTic, TriTic
from chorus.services.tic import SaisieEnTeteTic, SaisieLigneTic
from tests.monde import BIC, IBAN, PDF, construire_chorus
from tests.tui.aides import MOT_DE_PASSE, services_tui

MAINTENANT_TIC = datetime(2022, 6, 14, 10, 0, tzinfo=UTC)
SIRET_EARL = "41234567000019"
SIRET_GAEC = "52345678800018"


@attrs.define
class MondeTic:
    """Chorus with a farm filing TIC demandes (the TIC espace only), a second structure of
    the same farmer with both spaces, and a TIC instructor."""

    chorus: Chorus
    horloge: HorlogeFixe
    agriculteur: Utilisateur
    structure: Structure
    instructeur: Utilisateur
    references: itertools.count[int] = attrs.field(factory=lambda: itertools.count(1))

    def brouillon(self, annee: int = 2019, lignes: int = 1) -> DemandeTic:
        tic = self.chorus.tic
        demande = tic.creer(
            self.agriculteur.id,
            SaisieEnTeteTic(
                structure_id=self.structure.id,
                annee=annee,
                coordonnee_bancaire_id=self.structure.coordonnees_bancaires[0].id,
                attestation_non_difficulte=True,
            ),
        )
        for rang in range(lignes):
            demande, _ = tic.ajouter_ligne(
                self.agriculteur.id,
                demande.id,
                SaisieLigneTic(
                    numero_facture=f"F-{annee}-{rang + 1:03d}",
                    fournisseur="Coopérative du Maine",
                    date_livraison=date(annee, 3, 15),
                    produit=ProduitTic.GAZOLE_NON_ROUTIER,
                    quantite="1234.56",
                ),
            )
        return demande

    def envoyee(self, annee: int = 2019) -> DemandeTic:
        demande = self.brouillon(annee)
        self.chorus.tic.joindre_piece(
            self.agriculteur.id,
            demande.id,
            contenu=PDF + b"% factures de la demande\n",
            nom_fichier="factures.pdf",
        )
        # A minute between events, so that « Mon suivi » has an order to show.
        self.horloge.avancer(timedelta(minutes=1))
        return self.chorus.tic.envoyer(self.agriculteur.id, demande.id)

    def instruire(
        self, demande: DemandeTic, action: ActionInstructionTic, motif: str | None = None
    ) -> DemandeTic:
        self.horloge.avancer(timedelta(minutes=1))
        return self.chorus.instruction_tic.appliquer_evenement(
            self.instructeur.id,
            demande.id,
            EvenementInstructionTic.creer(
                action=action,
                reference=f"EVT-TIC-{next(self.references):04d}",
                date_evenement=self.horloge.maintenant(),
                motif=motif,
            ),
        )

    def rejetee(
        self, motif: str = "Factures illisibles : joignez des copies nettes."
    ) -> DemandeTic:
        demande = self.instruire(self.envoyee(), ActionInstructionTic.MISE_A_DISPOSITION)
        demande = self.instruire(demande, ActionInstructionTic.PRISE_EN_CHARGE)
        return self.instruire(demande, ActionInstructionTic.REJET, motif)


def construire_monde_tic(stockage: str = "memoire", dossier: Path | None = None) -> MondeTic:
    if stockage == "sqlite":
        assert dossier is not None
        chorus = construire_chorus(
            UniteDeTravailSqlite(dossier / "chorus.db"),
            BlobsSurDisque(dossier / "pieces"),
            MAINTENANT_TIC,
        )
    else:
        chorus = construire_chorus(debut=MAINTENANT_TIC)
    horloge = chorus.ports.clock
    assert isinstance(horloge, HorlogeFixe)
    agriculteur = chorus.utilisateurs.creer_compte(
        email="earl.bocage@exemple.fr", nom="Lemaire", prenom="Anne", actif=True
    )
    instructeur = chorus.utilisateurs.creer_agent(
        email="tic@dgfip.finances.gouv.fr",
        nom="Instructeur",
        prenom="TIC",
        role=RoleAgent.INSTRUCTEUR_TIC,
    )
    for utilisateur in (agriculteur, instructeur):
        chorus.comptes.definir_mot_de_passe(utilisateur.id, MOT_DE_PASSE)
    structure = _ferme(chorus, agriculteur, SIRET_EARL, "EARL du Bocage")
    return MondeTic(
        chorus=chorus,
        horloge=horloge,
        agriculteur=agriculteur,
        structure=structure,
        instructeur=instructeur,
    )


def _ferme(chorus: Chorus, gestionnaire: Utilisateur, siret: str, nom: str) -> Structure:
    """A farm in the Sarthe with the TIC espace, its bank account (and RIB), and an invoice
    saved in its pièces."""
    s = chorus.structures
    structure = s.creer(
        gestionnaire.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret,
        raison_sociale=nom,
        adresse=Adresse.creer(ligne1="La Grande Noë", code_postal="72000", ville="Le Mans"),
    )
    s.activer_espace_tic(gestionnaire.id, structure.id)
    rib = s.deposer_piece(
        gestionnaire.id,
        structure.id,
        contenu=PDF + siret.encode(),
        nom_fichier="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    s.deposer_piece(
        gestionnaire.id,
        structure.id,
        contenu=PDF + b"% facture enregistree sur le compte\n",
        nom_fichier="facture-compte.pdf",
        type_piece=TypePiece.FACTURE,
    )
    s.ajouter_coordonnee_bancaire(
        gestionnaire.id,
        structure.id,
        libelle="Compte exploitation",
        iban=IBAN,
        bic=BIC,
        piece_jointe_id=rib.id,
    )
    return s.obtenir(gestionnaire.id, structure.id)


def deux_espaces(monde: MondeTic) -> Structure:
    """A second structure of the farmer, with both spaces (mémoires and TIC)."""
    structure = _ferme(monde.chorus, monde.agriculteur, SIRET_GAEC, "GAEC des Deux Rives")
    monde.chorus.structures.definir_espace_frais_de_justice(
        monde.agriculteur.id, structure.id, categorie_prestataire="PSYCHIATRE", regime=None
    )
    return monde.chorus.structures.obtenir(monde.agriculteur.id, structure.id)


def application_tic(monde: MondeTic) -> ChorusApp:
    return ChorusApp(services_tui(monde.chorus))


def stockee(monde: MondeTic, demande_id: str) -> DemandeTic:
    return monde.chorus.tic.obtenir(monde.agriculteur.id, demande_id)


def demandes(monde: MondeTic) -> list[DemandeTic]:
    """The farmer's demandes, the latest status change first."""
    resumes = monde.chorus.tic.tous(monde.agriculteur.id, FiltresDemandeTic(), TriTic())
    return [stockee(monde, r.id) for r in resumes]


# -- driving the screens -----------------------------------------------------------------


def ecrire(pilot: Pilot[None], champ: str, texte: str, dans: str | None = None) -> None:
    racine = pilot.app.screen if dans is None else pilot.app.screen.query_one(dans)
    racine.query_one(f"#{id_champ(champ)}", Input).value = texte


def choisir(pilot: Pilot[None], champ: str, valeur: str, dans: str | None = None) -> None:
    racine = pilot.app.screen if dans is None else pilot.app.screen.query_one(dans)
    select: Select[str] = racine.query_one(f"#{id_champ(champ)}", Select)
    select.value = valeur


def saisi(pilot: Pilot[None], champ: str) -> str:
    return pilot.app.screen.query_one(f"#{id_champ(champ)}", Input).value


def erreur(pilot: Pilot[None], champ: str, dans: str | None = None) -> str:
    racine = pilot.app.screen if dans is None else pilot.app.screen.query_one(dans)
    return str(racine.query_one(f"#{id_erreur(champ)}", Static).render())


def texte(pilot: Pilot[None], selecteur: str) -> str:
    return str(pilot.app.screen.query_one(selecteur, Static).render())


async def presser(pilot: Pilot[None], selecteur: str) -> None:
    pilot.app.screen.query_one(selecteur, Button).press()
    await pilot.pause()
