"""Use cases of accounts: sign-up with captcha, activation, forgotten password, login
sessions with lock-out, and a structure's API tokens.

Secrets (session tokens, links, API tokens) are random values from `GenerateurDeSecrets`; only
their SHA-256 is stored (`chorus.domain.jetons`). Passwords and secret answers are hashed
with `HacheurDeMotsDePasse` (argon2id): slow on purpose, so the HTTP adapter calls these use
cases off its event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from chorus.domain.jetons import Jeton
from chorus.domain.organisation import Profil
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.securite import DessinateurDeCaptcha, GenerateurDeSecrets, HacheurDeMotsDePasse
from chorus.services.contexte import Ports


@attrs.frozen
class ReglagesComptes:
    url_de_base: str = "http://127.0.0.1:8000"
    """Where the links in emails point (`CHORUS_BASE_URL`)."""
    captcha_actif: bool = True
    """False only with `CHORUS_CAPTCHA=desactive` (automated tests): any answer passes."""
    duree_session: timedelta = timedelta(hours=8)
    duree_lien: timedelta = timedelta(minutes=60)
    duree_captcha: timedelta = timedelta(minutes=10)
    duree_maximale_jeton_api: timedelta = timedelta(days=366)


@attrs.frozen
class Captcha:
    id: str
    image_png: bytes
    expire_le: datetime


@attrs.frozen
class Session:
    jeton: str
    """The secret, shown once: the client sends it as `Authorization: Bearer <jeton>`."""
    expire_le: datetime
    utilisateur_id: str


@attrs.frozen
class Authentification:
    """Who a bearer secret stands for."""

    utilisateur: Utilisateur
    jeton: Jeton


@attrs.frozen
class JetonApiCree:
    jeton: Jeton
    secret: str
    """Shown once, never stored."""


class CompteService:
    def __init__(
        self,
        ports: Ports,
        *,
        hacheur: HacheurDeMotsDePasse,
        secrets: GenerateurDeSecrets,
        dessinateur: DessinateurDeCaptcha,
        reglages: ReglagesComptes,
    ) -> None:
        self._p = ports
        self._hacheur = hacheur
        self._secrets = secrets
        self._dessinateur = dessinateur
        self._reglages = reglages

    @property
    def reglages(self) -> ReglagesComptes:
        return self._reglages

    def nouveau_captcha(self) -> Captcha:
        """A single-use challenge valid `duree_captcha`; only the hash of (id, answer) is
        stored."""
        raise NotImplementedError

    def inscrire(
        self,
        *,
        email: str,
        mot_de_passe: str,
        nom: str,
        prenom: str,
        question_secrete: str,
        reponse_secrete: str,
        captcha_id: str,
        captcha_reponse: str,
        telephone: str | None = None,
    ) -> Utilisateur:
        """A new account pending activation; in the same unit of work, the captcha is spent,
        an ACTIVATION jeton is stored and the activation email (link
        ``<url_de_base>/activation?jeton=<secret>``) is queued in the outbox.
        Wrong or spent captcha → `ValidationError(champ="captcha_reponse")`; email taken →
        `Conflit(champ="email")`; password rule → `ValidationError(champ="mot_de_passe")`."""
        raise NotImplementedError

    def activer(
        self,
        *,
        jeton: str,
        mot_de_passe: str | None = None,
        question_secrete: str | None = None,
        reponse_secrete: str | None = None,
    ) -> Utilisateur:
        """Spend an activation link: the account becomes ACTIF. An account created without a
        password (TIC inscription) must set it and its secret question here. Unknown secret →
        `JetonPerime` too (410: nothing tells a wrong link from an expired one)."""
        raise NotImplementedError

    def mot_de_passe_oublie(self, email: str) -> None:
        """Queue a reset email (link ``<url_de_base>/reinitialisation?jeton=<secret>``, valid
        60 minutes) if an active account has that email; nothing otherwise, with the same
        outcome for the caller."""
        raise NotImplementedError

    def question_secrete(self, jeton: str) -> str:
        """The secret question a reset link leads to (the reset form shows it)."""
        raise NotImplementedError

    def reinitialiser(self, *, jeton: str, reponse_secrete: str, nouveau_mot_de_passe: str) -> None:
        """Spend a reset link: a wrong secret answer is refused (`ValidationError`, champ
        `reponse_secrete`) and counts as a failed login; a right one sets the password, lifts
        the lock and closes the user's sessions."""
        raise NotImplementedError

    def ouvrir_session(self, email: str, mot_de_passe: str) -> Session:
        """Log in. Wrong email or password → `NonAuthentifie` (same message for both);
        the 5th failure in a row locks the account one hour → `CompteVerrouille`; a locked
        or not yet activated account cannot log in."""
        raise NotImplementedError

    def fermer_session(self, jeton: str) -> None:
        """Log out: the session's record is deleted (idempotent)."""
        raise NotImplementedError

    def authentifier(self, jeton: str) -> Authentification:
        """The user a bearer secret (session or API token) stands for; `NonAuthentifie` when
        it is unknown, expired, revoked, or its account is locked."""
        raise NotImplementedError

    def creer_jeton_api(
        self,
        acteur_id: str,
        structure_id: str,
        *,
        libelle: str,
        profil: Profil,
        expire_le: datetime,
    ) -> JetonApiCree:
        """A gestionnaire creates an API token for the structure's Frais de justice space. It
        acts as a technical account (`Utilisateur.technique_pour`) attached to that structure
        only, with the one habilitation `profil`, until `expire_le` (at most
        `duree_maximale_jeton_api` ahead, in the future)."""
        raise NotImplementedError

    def jetons_api(self, acteur_id: str, structure_id: str) -> Sequence[Jeton]:
        """The structure's API tokens (gestionnaire only)."""
        raise NotImplementedError

    def revoquer_jeton_api(self, acteur_id: str, structure_id: str, jeton_id: str) -> None:
        """Delete the token; its technical account loses its rattachement and habilitation."""
        raise NotImplementedError

    def creer_agent(
        self,
        *,
        email: str,
        mot_de_passe: str,
        role: RoleAgent,
        juridictions: Sequence[str] = (),
        nom: str = "Agent",
        prenom: str = "",
    ) -> Utilisateur:
        """An active back-office account with a password (`chorus admin creer-agent`)."""
        raise NotImplementedError

    def definir_mot_de_passe(self, utilisateur_id: str, mot_de_passe: str) -> Utilisateur:
        """Set a password directly (operators, demo data); the password rule applies."""
        raise NotImplementedError
