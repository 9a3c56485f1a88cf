"""Users: natural persons known by their login email, prestataires or agents of the
administration."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from chorus.domain.errors import CompteVerrouille, TransitionInvalide, ValidationError
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
    empreinte_mot_de_passe: str | None = None
    """The argon2id hash of the password (None: no password yet, login impossible)."""
    question_secrete: str | None = None
    empreinte_reponse_secrete: str | None = None
    """The argon2id hash of the normalised answer (see `normaliser_reponse_secrete`)."""
    echecs_connexion: int = 0
    verrouille_jusqu_au: datetime | None = None
    technique_pour: str | None = None
    """The structure whose API token this account acts for; such an account never logs in
    with a password."""
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

    @staticmethod
    def creer_technique(
        *, id: str, structure_id: str, libelle: str, maintenant: datetime
    ) -> Utilisateur:
        """The account an API token of `structure_id` acts as: active, without password,
        named after the token's `libelle`, with an address nobody can own (the reserved
        `.invalid` top-level domain) so that it never collides with a person's."""
        return attrs.evolve(
            Utilisateur.creer(
                id=id,
                email=f"jeton-{id}@{DOMAINE_COMPTES_TECHNIQUES}",
                nom=texte_obligatoire(libelle, "libelle", maximum=100)[:80],
                prenom="Jeton d'API",
                maintenant=maintenant,
                statut=StatutUtilisateur.ACTIF,
            ),
            technique_pour=structure_id,
        )

    @property
    def est_agent(self) -> bool:
        return self.role is not None

    @property
    def est_technique(self) -> bool:
        """An API token's account: it acts only through its token, never logs in."""
        return self.technique_pour is not None

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

    def verrouille(self, maintenant: datetime) -> bool:
        return self.verrouille_jusqu_au is not None and maintenant < self.verrouille_jusqu_au

    def exiger_non_verrouille(self, maintenant: datetime) -> None:
        """`CompteVerrouille` while the lock that 5 failed logins set is running.

        The lock also holds back a password reset: a reset asks the secret answer, which the
        lock protects from guessing as much as the password."""
        if self.verrouille_jusqu_au is not None and maintenant < self.verrouille_jusqu_au:
            raise CompteVerrouille(MESSAGE_VERROU, jusqu_au=self.verrouille_jusqu_au)

    def connexion_echouee(self, maintenant: datetime) -> Utilisateur:
        """Count a failed login; the 5th in a row locks the account for one hour."""
        echecs = self.echecs_connexion + 1
        if echecs >= ECHECS_AVANT_VERROUILLAGE:
            return attrs.evolve(
                self, echecs_connexion=0, verrouille_jusqu_au=maintenant + DUREE_VERROUILLAGE
            )
        return attrs.evolve(self, echecs_connexion=echecs)

    def connexion_reussie(self) -> Utilisateur:
        return attrs.evolve(self, echecs_connexion=0, verrouille_jusqu_au=None)

    def avec_mot_de_passe(self, empreinte: str) -> Utilisateur:
        """A new password (its hash); a reset also lifts the lock."""
        return attrs.evolve(
            self, empreinte_mot_de_passe=empreinte, echecs_connexion=0, verrouille_jusqu_au=None
        )

    def avec_question_secrete(self, question: str, empreinte_reponse: str) -> Utilisateur:
        return attrs.evolve(
            self,
            question_secrete=texte_obligatoire(question, "question_secrete", maximum=200),
            empreinte_reponse_secrete=empreinte_reponse,
        )


ECHECS_AVANT_VERROUILLAGE = 5
MESSAGE_VERROU = "Ce compte est verrouillé après 5 échecs de connexion : réessayez dans une heure."
DOMAINE_COMPTES_TECHNIQUES = "api.chorus.invalid"
"""Where the addresses of API tokens' accounts live; refused to people signing up."""
DUREE_VERROUILLAGE = timedelta(hours=1)
LONGUEUR_MINIMALE_MOT_DE_PASSE = 10


def valider_mot_de_passe(mot_de_passe: object, champ: str = "mot_de_passe") -> str:
    """The password rule: at least 10 characters and 3 of the 4 classes (upper case, lower
    case, digit, special character). Returns the password unchanged."""
    if not isinstance(mot_de_passe, str):
        raise ValidationError("Le mot de passe doit être un texte.", champ=champ)
    if len(mot_de_passe) > 256:
        raise ValidationError("Le mot de passe dépasse 256 caractères.", champ=champ)
    classes = (
        any(c.isupper() for c in mot_de_passe),
        any(c.islower() for c in mot_de_passe),
        any(c.isdigit() for c in mot_de_passe),
        any(not c.isalnum() for c in mot_de_passe),
    )
    if len(mot_de_passe) < LONGUEUR_MINIMALE_MOT_DE_PASSE or sum(classes) < 3:
        raise ValidationError(
            "Le mot de passe doit compter au moins 10 caractères et 3 des 4 types suivants : "
            "majuscule, minuscule, chiffre, caractère spécial.",
            champ=champ,
        )
    return mot_de_passe


def normaliser_reponse_secrete(reponse: object, champ: str = "reponse_secrete") -> str:
    """The answer as compared: trimmed, inner spaces collapsed, case-folded (a user typing
    « Paris » once and « paris  » later gave the same answer)."""
    texte = texte_obligatoire(reponse, champ, maximum=200)
    return " ".join(texte.split()).casefold()
