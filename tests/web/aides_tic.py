"""Helpers of the TIC/TICGN API tests: a farm (a SIRET structure with the TIC espace opened
through the API, a bank account with its RIB, its users at each level of habilitation, a
stranger farm, an instructor), demandes made through the API, and instruction events.

The tests' clock stands at 2024-06-14 (campaign 2024: deliveries of 2021 to 2023 may be
claimed); a test about other years moves it with `regler_horloge` *before* building the
farm (sessions are dated by that clock).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import attrs

from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.utilisateur import RoleAgent
from tests.web import aides
from tests.web.conftest import Banc

Json = dict[str, Any]

GESTIONNAIRE = "earl.des.tilleuls@exemple.fr"
CONSULTANT = "comptable.ferme@exemple.fr"
MODIFICATEUR = "associe.ferme@exemple.fr"
ETRANGER = "gaec.voisin@exemple.fr"
INSTRUCTEUR = "instructeur.tic@dgfip.finances.gouv.fr"

SIRET_FERME = "73282932000017"
SIRET_VOISIN = "73282933800019"
SIRET_SECONDE = "73282934600012"

GNR = "GAZOLE_NON_ROUTIER"
FL = "FIOUL_LOURD"
GNC = "GAZ_NATUREL_COMBUSTIBLE"
GNV = "GAZ_NATUREL_CARBURANT"
GPL = "GPL"

_FACTURES = itertools.count(1)


def corps_ligne(annee: int = 2023, **changements: Any) -> Json:
    """A valid line: 1 000 l of GNR delivered on 10 March of `annee`."""
    corps: Json = {
        "numero_facture": f"FAC-{annee}-{next(_FACTURES):05d}",
        "fournisseur": "Coopérative du Val",
        "date_livraison": date(annee, 3, 10).isoformat(),
        "produit": GNR,
        "quantite": "1000",
    }
    corps.update(changements)
    return corps


def pdf_unique(etiquette: str) -> bytes:
    """A PDF whose bytes no other call gives (the blob store is shared by a module)."""
    return aides.PDF + f"% {etiquette} {next(_FACTURES)}\n".encode()


def regler_horloge(banc: Banc, jour: date) -> None:
    """Put the clock at 10:00 UTC on `jour` (before anyone logs in)."""
    banc.horloge.regler(datetime(jour.year, jour.month, jour.day, 10, 0, tzinfo=UTC))


def instant(banc: Banc) -> str:
    """Now on the fixed clock, with a Paris offset."""
    return banc.horloge.maintenant().astimezone(FUSEAU_PORTAIL).isoformat()


def structure_agricole(
    banc: Banc,
    gestionnaire: aides.Entetes,
    email: str,
    *,
    siret: str,
    raison_sociale: str,
    code_postal: str = "69001",
    ville: str = "Lyon",
) -> Structure:
    """A farm's structure with a bank account and its RIB, made through the use cases, and
    its TIC espace opened through the API (``PUT /structures/{id}/espaces/tic``)."""
    chorus = banc.chorus
    gid = banc.id_de(email)
    s = chorus.structures
    structure = s.creer(
        gid,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret,
        raison_sociale=raison_sociale,
        adresse=Adresse.creer(ligne1="Lieu-dit Les Tilleuls", code_postal=code_postal, ville=ville),
    )
    reponse = banc.client.put(
        f"/structures/{structure.id}/espaces/tic", json={}, headers=gestionnaire
    )
    assert reponse.status_code == 200, reponse.text
    rib = s.deposer_piece(
        gid,
        structure.id,
        contenu=aides.PDF + b"RIB " + siret.encode(),
        nom_fichier="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    s.ajouter_coordonnee_bancaire(
        gid,
        structure.id,
        libelle="Compte de l'exploitation",
        iban=aides.IBAN,
        bic=aides.BIC,
        piece_jointe_id=rib.id,
    )
    return s.obtenir(gid, structure.id)


@attrs.define
class Ferme:
    """A farm ready to claim refunds, its users, a stranger farm and an instructor."""

    banc: Banc
    structure: Structure
    voisine: Structure
    gestionnaire: aides.Entetes
    consultant: aides.Entetes
    modificateur: aides.Entetes
    etranger: aides.Entetes
    instructeur: aides.Entetes
    references: itertools.count[int] = attrs.field(factory=lambda: itertools.count(1))

    @property
    def client(self) -> aides.Client:
        return self.banc.client

    @property
    def coordonnee_id(self) -> str:
        return self.structure.coordonnees_bancaires[0].id

    def corps_demande(self, annee: int = 2023, **changements: Any) -> Json:
        corps: Json = {
            "structure_id": self.structure.id,
            "annee": annee,
            "coordonnee_bancaire_id": self.coordonnee_id,
            "attestation_non_difficulte": True,
        }
        corps.update(changements)
        return corps

    def creer(self, annee: int = 2023, **changements: Any) -> Json:
        reponse = self.client.post(
            "/tic/demandes",
            json=self.corps_demande(annee, **changements),
            headers=self.gestionnaire,
        )
        assert reponse.status_code == 201, reponse.text
        corps: Json = reponse.json()
        return corps

    def lire(self, demande_id: str, entetes: aides.Entetes | None = None) -> Json:
        reponse = self.client.get(
            f"/tic/demandes/{demande_id}", headers=entetes or self.gestionnaire
        )
        assert reponse.status_code == 200, reponse.text
        corps: Json = reponse.json()
        return corps

    def ajouter_ligne(self, demande: Json, **changements: Any) -> Json:
        reponse = self.client.post(
            f"/tic/demandes/{demande['id']}/lignes",
            json=corps_ligne(demande["annee"], **changements),
            headers=self.gestionnaire,
        )
        assert reponse.status_code == 201, reponse.text
        corps: Json = reponse.json()
        return corps

    def joindre(
        self,
        demande_id: str,
        *,
        numero_ligne: int | None = None,
        nom: str = "facture.pdf",
        contenu: bytes | None = None,
        type_piece: str | None = None,
    ) -> Json:
        donnees: dict[str, str] = {"designation": "Facture du fournisseur"}
        if numero_ligne is not None:
            donnees["numero_ligne"] = str(numero_ligne)
        if type_piece is not None:
            donnees["type_piece"] = type_piece
        reponse = self.client.post(
            f"/tic/demandes/{demande_id}/pieces-jointes",
            headers=self.gestionnaire,
            files={"fichier": (nom, contenu or pdf_unique(nom), "application/pdf")},
            data=donnees,
        )
        assert reponse.status_code == 201, reponse.text
        corps: Json = reponse.json()
        return corps

    def prete(self, annee: int = 2023, lignes: int = 1) -> Json:
        """A draft with `lignes` lines and an invoice pièce on the whole demande."""
        demande = self.creer(annee)
        for _ in range(lignes):
            self.ajouter_ligne(demande)
        self.joindre(demande["id"])
        return self.lire(demande["id"])

    def envoyer(self, demande_id: str) -> Json:
        reponse = self.client.post(f"/tic/demandes/{demande_id}/envoi", headers=self.gestionnaire)
        assert reponse.status_code == 200, reponse.text
        corps: Json = reponse.json()
        return corps

    def envoyee(self, annee: int = 2023, lignes: int = 1) -> Json:
        return self.envoyer(self.prete(annee, lignes)["id"])

    def evenement(
        self,
        demande_id: str,
        action: str,
        *,
        entetes: aides.Entetes | None = None,
        **champs: Any,
    ) -> Any:
        """POST an instruction event (a fresh reference, dated now unless given)."""
        corps: Json = {
            "action": action,
            "date_evenement": instant(self.banc),
            "reference_evenement": f"DDFIP-{next(self.references):05d}",
            **champs,
        }
        return self.client.post(
            f"/traitement/tic/demandes/{demande_id}/evenements",
            json=corps,
            headers=entetes or self.instructeur,
        )

    def instruire(self, demande_id: str, *actions: str, **champs: Any) -> Json:
        corps: Json = {}
        for action in actions:
            reponse = self.evenement(
                demande_id, action, **(champs if action == actions[-1] else {})
            )
            assert reponse.status_code == 200, reponse.text
            corps = reponse.json()
        return corps


def monter_ferme(banc: Banc) -> Ferme:
    gestionnaire = banc.connecte(GESTIONNAIRE, nom="Martin", prenom="Louise")
    structure = structure_agricole(
        banc, gestionnaire, GESTIONNAIRE, siret=SIRET_FERME, raison_sociale="EARL des Tilleuls"
    )
    consultant = banc.connecte(CONSULTANT, prenom="Claude")
    modificateur = banc.connecte(MODIFICATEUR, prenom="Dominique")
    gid = banc.id_de(GESTIONNAIRE)
    for email, profil in ((CONSULTANT, Profil.CONSULTATION), (MODIFICATEUR, Profil.MODIFICATION)):
        structure = aides.rattacher(
            banc.chorus, structure, gid, banc.id_de(email), profil, application=Application.TIC
        )
    etranger = banc.connecte(ETRANGER, prenom="Eden")
    voisine = structure_agricole(
        banc, etranger, ETRANGER, siret=SIRET_VOISIN, raison_sociale="GAEC du Voisin"
    )
    instructeur = aides.agent_connecte(
        banc.client, banc.chorus, INSTRUCTEUR, role=RoleAgent.INSTRUCTEUR_TIC, juridictions=()
    )
    return Ferme(
        banc=banc,
        structure=structure,
        voisine=voisine,
        gestionnaire=gestionnaire,
        consultant=consultant,
        modificateur=modificateur,
        etranger=etranger,
        instructeur=instructeur,
    )
