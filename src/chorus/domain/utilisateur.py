"""Users: natural persons known by their login email, prestataires or agents of the
administration."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from chorus.domain.errors import TransitionInvalide, ValidationError
from chorus.domain.identifiants import valider_email
from chorus.domain.textes import texte_obligatoire, texte_optionnel


class RoleAgent(enum.Enum):
    """Back-office roles; agents have no structure of their own."""

    AGENT_JURIDICTION = "AGENT_JURIDICTION"
    COMPTABLE = "COMPTABLE"
    INSTRUCTEUR_TIC = "INSTRUCTEUR_TIC"
    SUPPORT = "SUPPORT"
    ADMINISTRATEUR = "ADMINISTRATEUR"

    @property
    def libelle(self) -> str:
        return {
            RoleAgent.AGENT_JURIDICTION: "Service centralisateur",
            RoleAgent.COMPTABLE: "Comptable",
            RoleAgent.INSTRUCTEUR_TIC: "Instructeur TIC",
            RoleAgent.SUPPORT: "Support",
            RoleAgent.ADMINISTRATEUR: "Administrateur",
        }[self]


class StatutUtilisateur(enum.Enum):
    EN_ATTENTE_ACTIVATION = "EN_ATTENTE_ACTIVATION"
    ACTIF = "ACTIF"


@attrs.frozen
class Utilisateur:
    """A natural person, known by the email used to log in (unique across the portal)."""

    id: str
    email: str
    nom: str
    prenom: str
    date_creation: datetime
    statut: StatutUtilisateur = StatutUtilisateur.EN_ATTENTE_ACTIVATION
    telephone: str | None = None
    role: RoleAgent | None = None
    juridictions: frozenset[str] = frozenset()
    suivi_quotidien: bool = True
    suivi_hebdomadaire: bool = True
    version: int = 0

    @staticmethod
    def creer(
        *,
        id: str,
        email: str,
        nom: str,
        prenom: str,
        maintenant: datetime,
        telephone: str | None = None,
        role: RoleAgent | None = None,
        juridictions: frozenset[str] = frozenset(),
        statut: StatutUtilisateur = StatutUtilisateur.EN_ATTENTE_ACTIVATION,
    ) -> Utilisateur:
        if role is RoleAgent.AGENT_JURIDICTION and not juridictions:
            raise ValidationError(
                "Un agent de juridiction doit être affecté à au moins une juridiction.",
                champ="juridictions",
            )
        return Utilisateur(
            id=id,
            email=valider_email(email),
            nom=texte_obligatoire(nom, "nom", maximum=80),
            prenom=texte_obligatoire(prenom, "prenom", maximum=80),
            telephone=texte_optionnel(telephone, "telephone", maximum=20),
            date_creation=maintenant,
            role=role,
            juridictions=juridictions,
            statut=statut,
        )

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def est_agent(self) -> bool:
        return self.role is not None

    def modifier(
        self,
        *,
        nom: str | None = None,
        prenom: str | None = None,
        telephone: str | None = None,
        suivi_quotidien: bool | None = None,
        suivi_hebdomadaire: bool | None = None,
    ) -> Utilisateur:
        """Change names, phone (blank removes it) and the activity-summary preferences;
        what is None stays as it is. The email, the login, does not change here."""
        return attrs.evolve(
            self,
            nom=texte_obligatoire(nom, "nom", maximum=80) if nom is not None else self.nom,
            prenom=(
                texte_obligatoire(prenom, "prenom", maximum=80)
                if prenom is not None
                else self.prenom
            ),
            telephone=(
                texte_optionnel(telephone, "telephone", maximum=20)
                if telephone is not None
                else self.telephone
            ),
            suivi_quotidien=self.suivi_quotidien if suivi_quotidien is None else suivi_quotidien,
            suivi_hebdomadaire=(
                self.suivi_hebdomadaire if suivi_hebdomadaire is None else suivi_hebdomadaire
            ),
        )

    def activer(self) -> Utilisateur:
        if self.statut is StatutUtilisateur.ACTIF:
            raise TransitionInvalide("Ce compte est déjà actif.")
        return attrs.evolve(self, statut=StatutUtilisateur.ACTIF)
