"""Helpers of the mémoires API tests: a cabinet (a structure and its users at each level of
habilitation), mémoires made through the API or — to reach a status quickly — through the
use cases, and the back office's events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs

from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.organisation import Profil, Structure
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import RoleAgent
from tests.web import aides
from tests.web.conftest import Banc

Json = dict[str, Any]

AUJOURDHUI = date(2024, 6, 14)

GESTIONNAIRE = "camille.durand@exemple.fr"
MODIFICATEUR = "modif@exemple.fr"
CONSULTANT = "consult@exemple.fr"
ETRANGER = "etranger@exemple.fr"
AGENT = "greffe@tj-lyon.fr"
AGENT_AILLEURS = "greffe@tj-paris.fr"
COMPTABLE = "comptable@dgfip.fr"


def corps_ligne(**changements: Any) -> Json:
    """The seed's worked example: 1 × 150.00 at 5.5 % → TVA 8.25, TTC 158.25."""
    prestation = AUJOURDHUI - timedelta(days=10)
    corps: Json = {
        "numero_affaire": "PARQUET-24-001",
        "date_requisition": (prestation - timedelta(days=3)).isoformat(),
        "autorite_requerante": "PROCUREUR_REPUBLIQUE",
        "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
        "date_prestation": prestation.isoformat(),
        "quantite": "1",
        "tarif_ht": "150.00",
        "taux_tva": "5.5",
    }
    corps.update(changements)
    return corps


@attrs.define
class Cabinet:
    """A structure ready to file mémoires, its users and the back office, over the API."""

    banc: Banc
    structure: Structure
    gestionnaire: aides.Entetes
    modificateur: aides.Entetes
    consultant: aides.Entetes
    etranger: aides.Entetes
    agent: aides.Entetes
    agent_ailleurs: aides.Entetes
    comptable: aides.Entetes
    references: int = 0

    @property
    def client(self) -> aides.Client:
        return self.banc.client

    @property
    def gestionnaire_id(self) -> str:
        return self.banc.id_de(GESTIONNAIRE)

    def corps_memoire(self, **changements: Any) -> Json:
        corps: Json = {
            "structure_id": self.structure.id,
            "juridiction_code": "TJ-69123",
            "coordonnee_bancaire_id": self.structure.coordonnees_bancaires[0].id,
            "devise": "EUR",
            "texte_reference": "A.43-6",
            "type_tva": "TVA_SUR_DEBITS",
        }
        corps.update(changements)
        return corps

    def creer(self, **changements: Any) -> Json:
        reponse = self.client.post(
            "/memoires", json=self.corps_memoire(**changements), headers=self.gestionnaire
        )
        assert reponse.status_code == 201, reponse.text
        corps: Json = reponse.json()
        return corps

    def ajouter_ligne(self, memoire_id: str, **changements: Any) -> Json:
        reponse = self.client.post(
            f"/memoires/{memoire_id}/lignes",
            json=corps_ligne(**changements),
            headers=self.gestionnaire,
        )
        assert reponse.status_code == 201, reponse.text
        corps: Json = reponse.json()
        return corps

    def lire(self, memoire_id: str, entetes: aides.Entetes | None = None) -> Json:
        reponse = self.client.get(f"/memoires/{memoire_id}", headers=entetes or self.gestionnaire)
        assert reponse.status_code == 200, reponse.text
        corps: Json = reponse.json()
        return corps

    def brouillon(self, lignes: int = 1, **changements: Any) -> Json:
        memoire = self.creer(**changements)
        for _ in range(lignes):
            self.ajouter_ligne(memoire["id"])
        return self.lire(memoire["id"])

    def envoye(self, **changements: Any) -> Json:
        memoire = self.brouillon(**changements)
        reponse = self.client.post(
            f"/memoires/{memoire['id']}/envoi",
            json={"attestation_sur_honneur": True},
            headers=self.gestionnaire,
        )
        assert reponse.status_code == 200, reponse.text
        corps: Json = reponse.json()
        return corps

    def evenement(
        self,
        memoire_id: str,
        action: ActionTraitement,
        *,
        motif: str | None = None,
        montant: str | None = None,
        email: str | None = None,
    ) -> None:
        """A back-office event through the use case (the API's own route is tested apart)."""
        self.references += 1
        qui = email or (COMPTABLE if action is ActionTraitement.MISE_EN_PAIEMENT else AGENT)
        if motif is None and action.motif_obligatoire:
            motif = "Pièce manquante"
        self.banc.chorus.traitement.appliquer_evenement(
            self.banc.id_de(qui),
            memoire_id,
            EvenementTraitement.creer(
                action=action,
                reference=f"REF-{self.references:05d}",
                date_evenement=self.banc.horloge.maintenant(),
                motif=motif,
                montant_certifie=montant if action is ActionTraitement.CERTIFICATION else None,
                montant_paye=montant if action is ActionTraitement.MISE_EN_PAIEMENT else None,
            ),
        )

    def mis_a_disposition(self) -> Json:
        memoire = self.envoye()
        self.evenement(memoire["id"], ActionTraitement.MISE_A_DISPOSITION)
        return self.lire(memoire["id"])

    def refuse(self) -> Json:
        memoire = self.mis_a_disposition()
        self.evenement(memoire["id"], ActionTraitement.REFUS, motif="RIB illisible")
        return self.lire(memoire["id"])

    def suspendu(self) -> Json:
        memoire = self.mis_a_disposition()
        self.evenement(memoire["id"], ActionTraitement.SUSPENSION, motif="Réquisition absente")
        return self.lire(memoire["id"])

    def paye(self, montant: str | None = None) -> Json:
        memoire = self.mis_a_disposition()
        self.evenement(memoire["id"], ActionTraitement.CERTIFICATION)
        self.evenement(memoire["id"], ActionTraitement.MISE_EN_PAIEMENT, montant=montant)
        return self.lire(memoire["id"])


def monter_cabinet(banc: Banc) -> Cabinet:
    gestionnaire = banc.connecte(GESTIONNAIRE)
    structure = banc.structure_prete(GESTIONNAIRE)
    modificateur = banc.connecte(MODIFICATEUR, prenom="Dominique")
    consultant = banc.connecte(CONSULTANT, prenom="Claude")
    etranger = banc.connecte(ETRANGER, prenom="Eden")
    gid = banc.id_de(GESTIONNAIRE)
    for email, profil in ((MODIFICATEUR, Profil.MODIFICATION), (CONSULTANT, Profil.CONSULTATION)):
        structure = aides.rattacher(banc.chorus, structure, gid, banc.id_de(email), profil)
    aides.structure_prete(
        banc.chorus, banc.id_de(ETRANGER), siret=aides.SIRET_AUTRE, raison_sociale="Autre cabinet"
    )
    return Cabinet(
        banc=banc,
        structure=structure,
        gestionnaire=gestionnaire,
        modificateur=modificateur,
        consultant=consultant,
        etranger=etranger,
        agent=banc.agent(AGENT),
        agent_ailleurs=banc.agent(AGENT_AILLEURS, juridictions=("TJ-75056",)),
        comptable=banc.agent(COMPTABLE, role=RoleAgent.COMPTABLE),
    )


def instant(banc: Banc) -> str:
    """Now on the fixed clock, written with a Paris offset (an event may not precede the
    sending nor lie in the future)."""
    return banc.horloge.maintenant().astimezone(FUSEAU_PORTAIL).isoformat()
