"""Use cases of user accounts (authentication itself arrives with the HTTP API)."""

from __future__ import annotations

from collections.abc import Iterable

from chorus.domain.errors import AccesRefuse, Conflit, ValidationError
from chorus.domain.identifiants import valider_email
from chorus.domain.textes import exiger_texte
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur
from chorus.services.contexte import Ports, verifier_version


class UtilisateurService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def _creer(self, utilisateur: Utilisateur) -> Utilisateur:
        with self._p.uow as uow:
            if uow.utilisateurs.par_email(utilisateur.email) is not None:
                raise Conflit(
                    "Un compte existe déjà avec cette adresse électronique.", champ="email"
                )
            uow.utilisateurs.ajouter(utilisateur)
            uow.commit()
            return utilisateur

    def creer_compte(
        self,
        *,
        email: str,
        nom: str,
        prenom: str,
        telephone: str | None = None,
        actif: bool = False,
    ) -> Utilisateur:
        """A prestataire's account, pending activation unless `actif`."""
        return self._creer(
            Utilisateur.creer(
                id=self._p.ids.nouveau(),
                email=email,
                nom=nom,
                prenom=prenom,
                telephone=telephone,
                maintenant=self._p.clock.maintenant(),
                statut=StatutUtilisateur.ACTIF
                if actif
                else StatutUtilisateur.EN_ATTENTE_ACTIVATION,
            )
        )

    def creer_agent(
        self,
        *,
        email: str,
        nom: str,
        prenom: str,
        role: RoleAgent,
        juridictions: Iterable[str] = (),
    ) -> Utilisateur:
        """An active back-office account (operators create them; agents own no structure)."""
        if not isinstance(juridictions, list | tuple | set | frozenset):
            raise ValidationError(
                "Les juridictions forment une liste de codes.", champ="juridictions"
            )
        codes = frozenset(exiger_texte(code, "juridictions") for code in juridictions)
        for code in sorted(codes):
            if self._p.referentiels.juridiction(code) is None:
                raise ValidationError(f"La juridiction {code} n'existe pas.", champ="juridictions")
        return self._creer(
            Utilisateur.creer(
                id=self._p.ids.nouveau(),
                email=email,
                nom=nom,
                prenom=prenom,
                role=role,
                juridictions=codes,
                maintenant=self._p.clock.maintenant(),
                statut=StatutUtilisateur.ACTIF,
            )
        )

    def modifier(
        self,
        acteur_id: str,
        *,
        nom: str | None = None,
        prenom: str | None = None,
        telephone: str | None = None,
        suivi_quotidien: bool | None = None,
        suivi_hebdomadaire: bool | None = None,
        version_attendue: int | None = None,
    ) -> Utilisateur:
        """A user changes their own names, phone and activity-summary preferences."""
        with self._p.uow as uow:
            utilisateur = uow.utilisateurs.obtenir(acteur_id)
            if utilisateur.est_technique:
                # Its name is what histories show for the token's actions.
                raise AccesRefuse(
                    "Un jeton d'API ne modifie pas son compte : le gestionnaire de la "
                    "structure crée un nouveau jeton si besoin."
                )
            verifier_version(utilisateur.version, version_attendue)
            enregistre = uow.utilisateurs.enregistrer(
                utilisateur.modifier(
                    nom=nom,
                    prenom=prenom,
                    telephone=telephone,
                    suivi_quotidien=suivi_quotidien,
                    suivi_hebdomadaire=suivi_hebdomadaire,
                )
            )
            uow.commit()
            return enregistre

    def activer(self, utilisateur_id: str) -> Utilisateur:
        with self._p.uow as uow:
            utilisateur = uow.utilisateurs.enregistrer(
                uow.utilisateurs.obtenir(utilisateur_id).activer()
            )
            uow.commit()
            return utilisateur

    def obtenir(self, utilisateur_id: str) -> Utilisateur:
        with self._p.uow.lecture() as uow:
            return uow.utilisateurs.obtenir(utilisateur_id)

    def par_email(self, email: str) -> Utilisateur | None:
        with self._p.uow.lecture() as uow:
            return uow.utilisateurs.par_email(valider_email(email))
