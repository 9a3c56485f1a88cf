"""Use cases of accounts: sign-up with captcha, activation, forgotten password, login
sessions with lock-out, and a structure's API tokens.

Secrets (session tokens, links, API tokens) are random values from `GenerateurDeSecrets`; only
their SHA-256 is stored (`chorus.domain.jetons`). Passwords and secret answers are hashed
with `HacheurDeMotsDePasse` (argon2id): slow on purpose, so the HTTP adapter calls these use
cases off its event loop.

Hashing happens outside the units of work: a SQLite unit of work holds the write lock from
its first statement, and 25 ms of argon2 inside it would make every login queue every other
writer. A use case that hashes therefore reads in one unit of work, hashes, then re-reads
and writes in a second one, where it checks again what may have changed meanwhile (a link
spent, a lock set, a password changed).

Refusals leave the store as it was, with two deliberate exceptions, both against guessing:
- a captcha presented with a complete sign-up form is spent even when the sign-up is
  refused (wrong answer, email taken): one image, one try;
- a wrong password, or a wrong secret answer on a reset link, counts as a failed login (the
  fifth in a row locks the account for an hour).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

import attrs

from chorus.domain import acces
from chorus.domain.courriels import Courriel
from chorus.domain.errors import (
    CompteVerrouille,
    Conflit,
    DomainError,
    ErreurDeChamp,
    JetonPerime,
    NonAuthentifie,
    NonTrouve,
    ValidationError,
)
from chorus.domain.identifiants import valider_email
from chorus.domain.jetons import Jeton, NatureJeton, empreinte_du_secret
from chorus.domain.organisation import Application, Habilitation, Profil
from chorus.domain.textes import texte_obligatoire
from chorus.domain.utilisateur import (
    DOMAINE_COMPTES_TECHNIQUES,
    MESSAGE_VERROU,
    RoleAgent,
    StatutUtilisateur,
    Utilisateur,
    normaliser_reponse_secrete,
    valider_mot_de_passe,
)
from chorus.ports.depots import UnitOfWork
from chorus.ports.securite import (
    CompteurDEchecs,
    DessinateurDeCaptcha,
    GenerateurDeSecrets,
    HacheurDeMotsDePasse,
)
from chorus.services.contexte import Ports
from chorus.services.utilisateurs import UtilisateurService

_T = TypeVar("_T")

_LONGUEUR_MAXIMALE_ESSAI = 256
_IDENTIFIANTS_INCORRECTS = "Adresse électronique ou mot de passe incorrect."
_LIEN_INVALIDE = "Ce lien n'est pas valide ou a expiré : demandez-en un nouveau."
_CAPTCHA_INCORRECT = (
    "Le code de vérification est incorrect ou a expiré : recopiez le code d'une nouvelle image."
)


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


class Formulaire:
    """Checks every field of a form and refuses once with all the faulty fields, so that a
    person filling it in corrects everything in one go."""

    def __init__(self) -> None:
        self._erreurs: list[ErreurDeChamp] = []
        self._premiere: ValidationError | None = None

    def lire(self, lecture: Callable[[], _T]) -> _T | None:
        try:
            return lecture()
        except ValidationError as erreur:
            self._premiere = self._premiere or erreur
            self._erreurs.extend(erreur.erreurs)
            return None

    def refuser(self, message: str, champ: str) -> None:
        self.lire(lambda: _refus(message, champ))

    def verifier(self) -> None:
        if self._premiere is not None:
            raise ValidationError(
                self._premiere.message, champ=self._premiere.champ, erreurs=self._erreurs
            )


def _refus(message: str, champ: str) -> None:
    raise ValidationError(message, champ=champ)


def _en_minutes(duree: timedelta) -> str:
    minutes = int(duree.total_seconds() // 60)
    return f"{minutes} minute" + ("s" if minutes > 1 else "")


def _code_captcha(reponse: str) -> str:
    # Upper case both ways: the image shows capitals, people type what they like.
    return reponse.strip().upper()


class _CreationDAgent(UtilisateurService):
    """`UtilisateurService.creer_agent`'s checks and storage, the password's hash set on the
    account before it is stored: one unit of work, no agent ever stored without password."""

    def __init__(self, ports: Ports, empreinte_mot_de_passe: str) -> None:
        super().__init__(ports)
        self._empreinte = empreinte_mot_de_passe

    def _creer(self, utilisateur: Utilisateur) -> Utilisateur:
        return super()._creer(utilisateur.avec_mot_de_passe(self._empreinte))


class CompteService:
    def __init__(
        self,
        ports: Ports,
        *,
        hacheur: HacheurDeMotsDePasse,
        secrets: GenerateurDeSecrets,
        dessinateur: DessinateurDeCaptcha,
        reglages: ReglagesComptes,
        echecs: CompteurDEchecs,
    ) -> None:
        self._p = ports
        self._hacheur = hacheur
        self._secrets = secrets
        self._dessinateur = dessinateur
        self._reglages = reglages
        self._echecs = echecs
        self._empreinte_factice: str | None = None

    @property
    def reglages(self) -> ReglagesComptes:
        return self._reglages

    # -- captcha -------------------------------------------------------------------------

    def nouveau_captcha(self) -> Captcha:
        """A single-use challenge valid `duree_captcha`; only the hash of (id, answer) is
        stored. The answer is compared without regard to case."""
        maintenant = self._p.clock.maintenant()
        code = _code_captcha(self._secrets.code_captcha())
        image = self._dessinateur.dessiner(code)
        jeton = Jeton(
            id=self._p.ids.nouveau(),
            nature=NatureJeton.CAPTCHA,
            empreinte="",
            cree_le=maintenant,
            expire_le=maintenant + self._reglages.duree_captcha,
        )
        jeton = attrs.evolve(jeton, empreinte=empreinte_du_secret(f"{jeton.id}:{code}"))
        with self._p.uow as uow:
            uow.jetons.ajouter(jeton)
            uow.commit()
        return Captcha(id=jeton.id, image_png=image, expire_le=jeton.expire_le)

    def _captcha_juste(
        self, uow: UnitOfWork, captcha_id: object, reponse: object, maintenant: datetime
    ) -> Jeton | None:
        """The unspent, unexpired captcha `captcha_id` if `reponse` is its answer."""
        if not isinstance(captcha_id, str) or not isinstance(reponse, str) or not captcha_id:
            return None
        try:
            captcha = uow.jetons.obtenir(captcha_id)
        except NonTrouve:
            return None
        if captcha.nature is not NatureJeton.CAPTCHA or not captcha.valide(maintenant):
            return None
        attendue = empreinte_du_secret(f"{captcha.id}:{_code_captcha(reponse)}")
        return captcha if hmac.compare_digest(attendue, captcha.empreinte) else None

    def depenser_captcha(
        self, uow: UnitOfWork, captcha_id: object, reponse: object, maintenant: datetime
    ) -> None:
        """Spend a sign-up's captcha inside the sign-up's writing unit of work (checked
        there, so that two requests with the same right answer cannot both spend it); wrong,
        expired or spent → `ValidationError(champ="captcha_reponse")`. Nothing is looked at
        with `captcha_actif` False. Used by `inscrire` and the TIC inscription."""
        if not self._reglages.captcha_actif:
            return
        captcha = self._captcha_juste(uow, captcha_id, reponse, maintenant)
        if captcha is None:
            raise ValidationError(_CAPTCHA_INCORRECT, champ="captcha_reponse")
        uow.jetons.enregistrer(captcha.utiliser(maintenant))

    def bruler_captcha(self, captcha_id: object) -> None:
        """Spend a captcha whatever became of the sign-up it came with (a unit of work of its
        own, committed although the sign-up is refused): one image allows one guess."""
        if not isinstance(captcha_id, str) or not captcha_id:
            return
        maintenant = self._p.clock.maintenant()
        try:
            with self._p.uow as uow:
                captcha = uow.jetons.obtenir(captcha_id)
                if captcha.nature is NatureJeton.CAPTCHA and captcha.valide(maintenant):
                    uow.jetons.enregistrer(captcha.utiliser(maintenant))
                    uow.commit()
        except (NonTrouve, Conflit, JetonPerime):
            pass  # gone or spent meanwhile: burnt either way

    # -- sign-up and activation ----------------------------------------------------------

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

        The form's own fields are checked first, all at once (`ValidationError` listing each
        faulty field); such a refusal writes nothing and leaves the captcha usable. Then the
        captcha: wrong, expired or spent → `ValidationError(champ="captcha_reponse")`; email
        taken → `Conflit(champ="email")`. From the captcha on, a refusal still spends the
        captcha (deliberately: otherwise one solved image would allow unlimited guesses of
        registered emails). With `captcha_actif` False, no captcha is looked at."""
        maintenant = self._p.clock.maintenant()
        formulaire = Formulaire()
        compte = formulaire.lire(
            lambda: Utilisateur.creer(
                id=self._p.ids.nouveau(),
                email=email,
                nom=nom,
                prenom=prenom,
                telephone=telephone,
                maintenant=maintenant,
            )
        )
        if compte is not None and compte.email.endswith(f"@{DOMAINE_COMPTES_TECHNIQUES}"):
            formulaire.refuser(
                "Cette adresse électronique est réservée aux jetons d'API.", champ="email"
            )
        formulaire.lire(lambda: valider_mot_de_passe(mot_de_passe))
        question = formulaire.lire(
            lambda: texte_obligatoire(question_secrete, "question_secrete", maximum=200)
        )
        reponse = formulaire.lire(lambda: normaliser_reponse_secrete(reponse_secrete))
        formulaire.verifier()
        assert compte is not None
        assert question is not None
        assert reponse is not None

        captcha_actif = self._reglages.captcha_actif
        if captcha_actif:
            # A first look, before any hashing: a bot's wrong guesses cost us no argon2.
            with self._p.uow as uow:
                juste = self._captcha_juste(uow, captcha_id, captcha_reponse, maintenant)
            if juste is None:
                self.bruler_captcha(captcha_id)
                raise ValidationError(_CAPTCHA_INCORRECT, champ="captcha_reponse")

        compte = compte.avec_mot_de_passe(self._hacheur.hacher(mot_de_passe))
        compte = compte.avec_question_secrete(question, self._hacheur.hacher(reponse))
        try:
            with self._p.uow as uow:
                # Again, in the writing unit of work: two requests with the same right answer
                # cannot both spend it.
                self.depenser_captcha(uow, captcha_id, captcha_reponse, maintenant)
                if uow.utilisateurs.par_email(compte.email) is not None:
                    raise Conflit(
                        "Un compte existe déjà avec cette adresse électronique.", champ="email"
                    )
                uow.utilisateurs.ajouter(compte)
                self.envoyer_activation(uow, compte, maintenant)
                uow.commit()
        except DomainError:
            if captcha_actif:
                self.bruler_captcha(captcha_id)
            raise
        return compte

    def envoyer_activation(
        self, uow: UnitOfWork, utilisateur: Utilisateur, maintenant: datetime
    ) -> None:
        """Store an ACTIVATION link for `utilisateur` and queue its email, in the caller's
        unit of work (`inscrire`, the TIC inscription, a pending account's « mot de passe
        oublié »)."""
        secret = self._nouveau_lien(uow, utilisateur, NatureJeton.ACTIVATION, maintenant)
        lien = f"{self._url_de_base}/activation?jeton={secret}"
        duree = _en_minutes(self._reglages.duree_lien)
        self._courriel(
            uow,
            utilisateur.email,
            "Chorus Pro – activez votre compte",
            f"Bonjour {utilisateur.nom_complet},\n\n"
            f"Un compte Chorus Pro a été créé avec l'adresse {utilisateur.email}.\n"
            f"Pour l'activer, ouvrez le lien suivant dans les {duree} :\n\n"
            f"{lien}\n\n"
            "Passé ce délai, le lien n'est plus valable : demandez-en un nouveau depuis la page "
            "« Mot de passe oublié » en indiquant votre adresse électronique.\n\n"
            "Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : sans "
            "activation, le compte reste inutilisable.\n\n"
            "Chorus Pro",
            maintenant,
        )

    def activer(
        self,
        *,
        jeton: str,
        mot_de_passe: str | None = None,
        question_secrete: str | None = None,
        reponse_secrete: str | None = None,
    ) -> Utilisateur:
        """Spend an activation link: the account becomes ACTIF. Unknown secret →
        `JetonPerime` too (410: nothing tells a wrong link from an expired one).

        An account created without a password (TIC inscription) must set the password and
        its secret question here: each missing one is named in the `ValidationError`. An
        account that has them must not be sent them (`ValidationError` on the first given):
        silently ignoring them would let a client believe it changed the password. A
        refusal leaves the link unspent."""
        maintenant = self._p.clock.maintenant()
        with self._p.uow as uow:
            lien = self._lien(uow, jeton, NatureJeton.ACTIVATION, maintenant)
            utilisateur = self._titulaire(uow, lien)
        a_choisir = utilisateur.empreinte_mot_de_passe is None
        if a_choisir:
            choix = self._mot_de_passe_et_question(mot_de_passe, question_secrete, reponse_secrete)
        else:
            for champ, valeur in (
                ("mot_de_passe", mot_de_passe),
                ("question_secrete", question_secrete),
                ("reponse_secrete", reponse_secrete),
            ):
                if valeur is not None:
                    raise ValidationError(
                        "Ce compte a déjà son mot de passe et sa question secrète, choisis à "
                        "l'inscription : n'envoyez que le jeton.",
                        champ=champ,
                    )
        with self._p.uow as uow:
            lien = self._lien(uow, jeton, NatureJeton.ACTIVATION, maintenant)
            actif = self._titulaire(uow, lien).activer()
            if a_choisir:
                empreinte, question, empreinte_reponse = choix
                actif = actif.avec_mot_de_passe(empreinte)
                actif = actif.avec_question_secrete(question, empreinte_reponse)
            uow.jetons.enregistrer(lien.utiliser(maintenant))
            enregistre = uow.utilisateurs.enregistrer(actif)
            uow.commit()
            return enregistre

    def _mot_de_passe_et_question(
        self, mot_de_passe: object, question_secrete: object, reponse_secrete: object
    ) -> tuple[str, str, str]:
        """Check and hash what an account without password chooses at activation: (hash of
        the password, question, hash of the normalised answer)."""
        formulaire = Formulaire()
        obligatoire = "Ce champ est obligatoire pour activer ce compte."
        if mot_de_passe is None:
            formulaire.refuser(obligatoire, "mot_de_passe")
        else:
            formulaire.lire(lambda: valider_mot_de_passe(mot_de_passe))
        question = formulaire.lire(
            lambda: texte_obligatoire(question_secrete, "question_secrete", maximum=200)
        )
        reponse = formulaire.lire(lambda: normaliser_reponse_secrete(reponse_secrete))
        formulaire.verifier()
        assert isinstance(mot_de_passe, str)
        assert question is not None
        assert reponse is not None
        return self._hacheur.hacher(mot_de_passe), question, self._hacheur.hacher(reponse)

    # -- forgotten password --------------------------------------------------------------

    def mot_de_passe_oublie(self, email: str) -> None:
        """Queue a reset email (link ``<url_de_base>/reinitialisation?jeton=<secret>``, valid
        `duree_lien`) if an active account has that email; nothing otherwise, with the same
        outcome for the caller. A malformed address is refused (`ValidationError`, champ
        `email`): that tells nothing about who is registered.

        Two more cases get an email instead of the reset link, the caller still seeing no
        difference: an account still pending activation gets a new activation link (the one
        way out for whoever let the first one expire), and an account without secret
        question (agents, demo accounts) is told to ask an administrator. API tokens'
        accounts get nothing."""
        adresse = valider_email(email)
        maintenant = self._p.clock.maintenant()
        with self._p.uow as uow:
            utilisateur = uow.utilisateurs.par_email(adresse)
            if utilisateur is None or utilisateur.est_technique:
                return
            if utilisateur.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION:
                self.envoyer_activation(uow, utilisateur, maintenant)
            elif utilisateur.empreinte_reponse_secrete is None:
                self._courriel(
                    uow,
                    utilisateur.email,
                    "Chorus Pro – mot de passe oublié",
                    f"Bonjour {utilisateur.nom_complet},\n\n"
                    "Une réinitialisation du mot de passe a été demandée pour votre compte "
                    "Chorus Pro. Ce compte n'a pas de question secrète : la réinitialisation "
                    "en ligne n'est pas possible. Adressez-vous à l'administrateur de Chorus "
                    "Pro, qui vous attribuera un nouveau mot de passe.\n\n"
                    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
                    "Chorus Pro",
                    maintenant,
                )
            else:
                secret = self._nouveau_lien(
                    uow, utilisateur, NatureJeton.REINITIALISATION, maintenant
                )
                lien = f"{self._url_de_base}/reinitialisation?jeton={secret}"
                duree = _en_minutes(self._reglages.duree_lien)
                self._courriel(
                    uow,
                    utilisateur.email,
                    "Chorus Pro – réinitialisation de votre mot de passe",
                    f"Bonjour {utilisateur.nom_complet},\n\n"
                    "Une réinitialisation du mot de passe a été demandée pour votre compte "
                    "Chorus Pro.\n"
                    f"Pour choisir un nouveau mot de passe, ouvrez le lien suivant dans les "
                    f"{duree} ; la réponse à votre question secrète vous sera demandée :\n\n"
                    f"{lien}\n\n"
                    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
                    "votre mot de passe actuel reste valable.\n\n"
                    "Chorus Pro",
                    maintenant,
                )
            uow.commit()

    def question_secrete(self, jeton: str) -> str:
        """The secret question a valid reset link leads to (the reset form shows it);
        `JetonPerime` for any other secret."""
        maintenant = self._p.clock.maintenant()
        with self._p.uow.lecture() as uow:
            utilisateur = self._titulaire(
                uow, self._lien(uow, jeton, NatureJeton.REINITIALISATION, maintenant)
            )
        if utilisateur.question_secrete is None:
            raise JetonPerime(_LIEN_INVALIDE)
        return utilisateur.question_secrete

    def reinitialiser(self, *, jeton: str, reponse_secrete: str, nouveau_mot_de_passe: str) -> None:
        """Spend a reset link: the link must be valid (`JetonPerime`), the account not locked
        (`CompteVerrouille`: the lock protects the secret answer from guessing as it does
        the password), the new password follow the rule (`ValidationError`, champ
        `nouveau_mot_de_passe`, nothing written).

        A wrong secret answer is refused (`ValidationError`, champ `reponse_secrete`) and
        counts as a failed login, which is written (the refusal's one write); the failure
        that locks the account answers `CompteVerrouille`. The link stays valid for another
        try. A right answer sets the password, clears the count of failures, spends the link
        (and the user's other reset links) and closes the user's sessions."""
        maintenant = self._p.clock.maintenant()
        with self._p.uow as uow:
            lien = self._lien(uow, jeton, NatureJeton.REINITIALISATION, maintenant)
            utilisateur = self._titulaire(uow, lien)
        utilisateur.exiger_non_verrouille(maintenant)
        valider_mot_de_passe(nouveau_mot_de_passe, champ="nouveau_mot_de_passe")
        reponse = normaliser_reponse_secrete(reponse_secrete)
        empreinte_reponse = utilisateur.empreinte_reponse_secrete
        juste = empreinte_reponse is not None and self._hacheur.verifier(empreinte_reponse, reponse)
        empreinte = self._hacheur.hacher(nouveau_mot_de_passe) if juste else None

        with self._p.uow as uow:
            lien = self._lien(uow, jeton, NatureJeton.REINITIALISATION, maintenant)
            actuel = self._titulaire(uow, lien)
            actuel.exiger_non_verrouille(maintenant)
            if empreinte is None or actuel.empreinte_reponse_secrete != empreinte_reponse:
                echoue = uow.utilisateurs.enregistrer(actuel.connexion_echouee(maintenant))
                uow.commit()
            else:
                uow.utilisateurs.enregistrer(actuel.avec_mot_de_passe(empreinte))
                for autre in uow.jetons.pour_utilisateur(actuel.id, NatureJeton.REINITIALISATION):
                    if autre.id != lien.id:
                        uow.jetons.supprimer(autre.id)
                uow.jetons.enregistrer(lien.utiliser(maintenant))
                self._fermer_sessions(uow, actuel.id)
                uow.commit()
                return
        echoue.exiger_non_verrouille(maintenant)
        raise ValidationError(
            "La réponse à la question secrète est incorrecte.", champ="reponse_secrete"
        )

    # -- sessions ------------------------------------------------------------------------

    def ouvrir_session(self, email: str, mot_de_passe: str) -> Session:
        """Log in. Wrong email or password → `NonAuthentifie` (same message for both, and
        about the same time: an unknown email costs a hash too); each wrong password is
        counted and the 5th in a row locks the account one hour → `CompteVerrouille`.

        A locked account is refused before its password is even checked (so a right
        password during the lock is refused too, and guessing goes no further). An account
        pending activation is told so only once its password proved right: whoever lacks
        the password learns nothing more than for a wrong one. API tokens' accounts and
        accounts without password never log in."""
        maintenant = self._p.clock.maintenant()
        essai = mot_de_passe if isinstance(mot_de_passe, str) else ""
        if len(essai) > _LONGUEUR_MAXIMALE_ESSAI:
            # No password is that long (the rule stops at 256): hashing megabytes sent by
            # anyone would only cost us time.
            essai = ""
        try:
            adresse: str | None = valider_email(email)
        except ValidationError:
            adresse = None
        with self._p.uow as uow:
            utilisateur = uow.utilisateurs.par_email(adresse) if adresse else None
        empreinte = None if utilisateur is None else utilisateur.empreinte_mot_de_passe
        if utilisateur is None or empreinte is None or utilisateur.est_technique:
            # Counted and locked like a real account, so that the lock tells nothing.
            cle = empreinte_du_secret(f"echecs:{adresse or str(email)[:320]}")
            fin = self._echecs.verrouille_jusqu_au(cle, maintenant)
            if fin is None:
                self._hacheur.verifier(self._factice(), essai)
                fin = self._echecs.echec(cle, maintenant)
            if fin is not None:
                raise CompteVerrouille(MESSAGE_VERROU, jusqu_au=fin)
            raise NonAuthentifie(_IDENTIFIANTS_INCORRECTS)
        utilisateur.exiger_non_verrouille(maintenant)
        juste = self._hacheur.verifier(empreinte, essai)
        rehachee = (
            self._hacheur.hacher(essai)
            if juste and self._hacheur.doit_rehacher(empreinte)
            else None
        )

        with self._p.uow as uow:
            actuel = uow.utilisateurs.obtenir(utilisateur.id)
            actuel.exiger_non_verrouille(maintenant)
            if actuel.empreinte_mot_de_passe != empreinte:
                # Changed while we were hashing: what we checked is no longer the password.
                raise NonAuthentifie(_IDENTIFIANTS_INCORRECTS)
            if not juste:
                echoue = uow.utilisateurs.enregistrer(actuel.connexion_echouee(maintenant))
                uow.commit()
            elif actuel.statut is not StatutUtilisateur.ACTIF:
                raise NonAuthentifie(
                    "Ce compte n'est pas encore activé : ouvrez le lien reçu par courriel, ou "
                    "demandez-en un nouveau depuis la page « Mot de passe oublié »."
                )
            else:
                connecte = actuel.connexion_reussie()
                if rehachee is not None:
                    connecte = connecte.avec_mot_de_passe(rehachee)
                uow.utilisateurs.enregistrer(connecte)
                secret = self._secrets.jeton()
                session = Jeton(
                    id=self._p.ids.nouveau(),
                    nature=NatureJeton.SESSION,
                    empreinte=empreinte_du_secret(secret),
                    cree_le=maintenant,
                    expire_le=maintenant + self._reglages.duree_session,
                    utilisateur_id=actuel.id,
                )
                uow.jetons.ajouter(session)
                uow.commit()
                return Session(jeton=secret, expire_le=session.expire_le, utilisateur_id=actuel.id)
        echoue.exiger_non_verrouille(maintenant)
        raise NonAuthentifie(_IDENTIFIANTS_INCORRECTS)

    def _factice(self) -> str:
        """A hash to check unknown emails against, made by the same hasher as real ones so
        that it costs the same time. Made once, lazily (two threads may both make one:
        harmless)."""
        if self._empreinte_factice is None:
            self._empreinte_factice = self._hacheur.hacher("mot de passe factice")
        return self._empreinte_factice

    def fermer_session(self, jeton: str) -> None:
        """Log out: the session's record is deleted (idempotent: an unknown or expired
        secret changes nothing). An API token is not revoked this way (it would be one
        careless call away from breaking a structure's integration): revocation is the
        gestionnaire's `revoquer_jeton_api`."""
        if not isinstance(jeton, str) or not jeton:
            return
        with self._p.uow as uow:
            session = uow.jetons.par_empreinte(empreinte_du_secret(jeton))
            if session is None or session.nature is not NatureJeton.SESSION:
                return
            uow.jetons.supprimer(session.id)
            uow.commit()

    def authentifier(self, jeton: str) -> Authentification:
        """The user a bearer secret (session or API token) stands for; `NonAuthentifie` when
        it is unknown, expired, revoked, or its account is not active. A lock (5 failed
        logins) refuses new sessions only."""
        refus = NonAuthentifie("Jeton d'authentification inconnu, expiré ou révoqué.")
        if not isinstance(jeton, str) or not jeton:
            raise refus
        maintenant = self._p.clock.maintenant()
        with self._p.uow.lecture() as uow:
            trouve = uow.jetons.par_empreinte(empreinte_du_secret(jeton))
            if (
                trouve is None
                or trouve.nature not in (NatureJeton.SESSION, NatureJeton.API)
                or trouve.utilisateur_id is None
                or maintenant >= trouve.expire_le
            ):
                raise refus
            try:
                utilisateur = uow.utilisateurs.obtenir(trouve.utilisateur_id)
            except NonTrouve:
                raise refus from None
        # The lock stops password guessing at login; it does not end the sessions already
        # open, or anyone could log a user out for an hour with five wrong passwords.
        if utilisateur.statut is not StatutUtilisateur.ACTIF or utilisateur.est_technique != (
            trouve.nature is NatureJeton.API
        ):
            raise refus
        return Authentification(utilisateur=utilisateur, jeton=trouve)

    # -- API tokens ----------------------------------------------------------------------

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
        `duree_maximale_jeton_api` ahead, in the future).

        A non-member gets `NonTrouve`, a member who is not gestionnaire `AccesRefuse`; the
        libellé is required (≤ 100 characters)."""
        maintenant = self._p.clock.maintenant()
        formulaire = Formulaire()
        libelle_propre = formulaire.lire(lambda: texte_obligatoire(libelle, "libelle", maximum=100))
        if not isinstance(profil, Profil):
            formulaire.refuser("Le profil est CONSULTATION ou MODIFICATION.", "profil")
        formulaire.lire(lambda: self._verifier_echeance(expire_le, maintenant))
        formulaire.verifier()
        assert libelle_propre is not None

        ids = self._p.ids
        secret = self._secrets.jeton()
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_gestionnaire(structure, acteur_id)
            compte = Utilisateur.creer_technique(
                id=ids.nouveau(),
                structure_id=structure.id,
                libelle=libelle_propre,
                maintenant=maintenant,
            )
            structure = structure.ajouter_compte_technique(
                utilisateur_id=compte.id,
                rattachement_id=ids.nouveau(),
                habilitation=Habilitation(
                    id=ids.nouveau(),
                    utilisateur_id=compte.id,
                    application=Application.FRAIS_DE_JUSTICE,
                    profil=profil,
                ),
                maintenant=maintenant,
            )
            jeton = Jeton(
                id=ids.nouveau(),
                nature=NatureJeton.API,
                empreinte=empreinte_du_secret(secret),
                cree_le=maintenant,
                expire_le=expire_le,
                utilisateur_id=compte.id,
                structure_id=structure.id,
                profil=profil,
                libelle=libelle_propre,
                cree_par=acteur_id,
            )
            uow.utilisateurs.ajouter(compte)
            uow.structures.enregistrer(structure)
            uow.jetons.ajouter(jeton)
            uow.commit()
        return JetonApiCree(jeton=jeton, secret=secret)

    def _verifier_echeance(self, expire_le: object, maintenant: datetime) -> None:
        champ = "expire_le"
        if not isinstance(expire_le, datetime) or expire_le.utcoffset() is None:
            raise ValidationError(
                "L'échéance est un instant avec son fuseau horaire (ISO 8601).", champ=champ
            )
        if expire_le <= maintenant:
            raise ValidationError("L'échéance du jeton doit être dans le futur.", champ=champ)
        maximum = self._reglages.duree_maximale_jeton_api
        if expire_le > maintenant + maximum:
            raise ValidationError(
                f"Un jeton d'API vaut au plus {maximum.days} jours : choisissez une échéance "
                "plus proche.",
                champ=champ,
            )

    def jetons_api(self, acteur_id: str, structure_id: str) -> Sequence[Jeton]:
        """The structure's API tokens, expired ones included, oldest first (gestionnaire
        only)."""
        with self._p.uow.lecture() as uow:
            acces.exiger_gestionnaire(uow.structures.obtenir(structure_id), acteur_id)
            return list(uow.jetons.pour_structure(structure_id, NatureJeton.API))

    def revoquer_jeton_api(self, acteur_id: str, structure_id: str, jeton_id: str) -> None:
        """Delete the token; its technical account loses its habilitation, and its
        rattachement stays as a trace, DESACTIVEE (the account itself stays too: the
        histories of what the token did name it). `NonTrouve` for a token that is not one of
        this structure's (or was revoked already)."""
        maintenant = self._p.clock.maintenant()
        with self._p.uow as uow:
            structure = uow.structures.obtenir(structure_id)
            acces.exiger_gestionnaire(structure, acteur_id)
            try:
                jeton = uow.jetons.obtenir(jeton_id)
            except NonTrouve:
                jeton = None
            if (
                jeton is None
                or jeton.nature is not NatureJeton.API
                or jeton.structure_id != structure.id
            ):
                raise NonTrouve("Ce jeton d'API n'existe pas.", champ="jeton_id")
            uow.jetons.supprimer(jeton.id)
            if jeton.utilisateur_id is not None and structure.est_membre(jeton.utilisateur_id):
                uow.structures.enregistrer(structure.detacher(jeton.utilisateur_id, maintenant))
            uow.commit()

    # -- operators -----------------------------------------------------------------------

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
        """An active back-office account with a password (`chorus admin creer-agent`): the
        checks of `UtilisateurService.creer_agent`, plus the password rule, checked first.
        Without a first name, the role's label stands for it."""
        valider_mot_de_passe(mot_de_passe)
        if not prenom and isinstance(role, RoleAgent):
            prenom = role.libelle
        return _CreationDAgent(self._p, self._hacheur.hacher(mot_de_passe)).creer_agent(
            email=email, nom=nom, prenom=prenom, role=role, juridictions=juridictions
        )

    def purger_jetons_expires(self) -> int:
        """Forget the records of expired secrets (sessions, links, captchas, API tokens);
        how many went. Anonymous visitors create captchas, so this runs periodically."""
        with self._p.uow as uow:
            nombre = uow.jetons.purger(self._p.clock.maintenant())
            uow.commit()
            return nombre

    def definir_mot_de_passe(self, utilisateur_id: str, mot_de_passe: str) -> Utilisateur:
        """Set a password directly (operators, demo data); the password rule applies. Like a
        reset, it lifts the lock and closes the user's sessions. An API token's account has
        no password (`ValidationError`)."""
        valider_mot_de_passe(mot_de_passe)
        empreinte = self._hacheur.hacher(mot_de_passe)
        with self._p.uow as uow:
            utilisateur = uow.utilisateurs.obtenir(utilisateur_id)
            if utilisateur.est_technique:
                raise ValidationError(
                    "Le compte d'un jeton d'API n'a pas de mot de passe.", champ="utilisateur_id"
                )
            enregistre = uow.utilisateurs.enregistrer(utilisateur.avec_mot_de_passe(empreinte))
            self._fermer_sessions(uow, utilisateur.id)
            uow.commit()
            return enregistre

    # -- shared steps --------------------------------------------------------------------

    @property
    def _url_de_base(self) -> str:
        return self._reglages.url_de_base.rstrip("/")

    def _lien(
        self, uow: UnitOfWork, secret: object, nature: NatureJeton, maintenant: datetime
    ) -> Jeton:
        """The valid single-use link `secret` of that nature; `JetonPerime` otherwise (the
        same answer for an unknown secret as for a wrong nature)."""
        if not isinstance(secret, str) or not secret:
            raise JetonPerime(_LIEN_INVALIDE)
        lien = uow.jetons.par_empreinte(empreinte_du_secret(secret))
        if lien is None or lien.nature is not nature or lien.utilisateur_id is None:
            raise JetonPerime(_LIEN_INVALIDE)
        lien.utiliser(maintenant)  # only to refuse a spent or expired one, with its reason
        return lien

    def _titulaire(self, uow: UnitOfWork, lien: Jeton) -> Utilisateur:
        assert lien.utilisateur_id is not None
        try:
            return uow.utilisateurs.obtenir(lien.utilisateur_id)
        except NonTrouve:
            raise JetonPerime(_LIEN_INVALIDE) from None

    def _nouveau_lien(
        self, uow: UnitOfWork, utilisateur: Utilisateur, nature: NatureJeton, maintenant: datetime
    ) -> str:
        secret = self._secrets.jeton()
        uow.jetons.ajouter(
            Jeton(
                id=self._p.ids.nouveau(),
                nature=nature,
                empreinte=empreinte_du_secret(secret),
                cree_le=maintenant,
                expire_le=maintenant + self._reglages.duree_lien,
                utilisateur_id=utilisateur.id,
            )
        )
        return secret

    def _courriel(
        self, uow: UnitOfWork, destinataire: str, sujet: str, corps: str, maintenant: datetime
    ) -> None:
        uow.courriels.ajouter(
            Courriel.nouveau(
                id=self._p.ids.nouveau(),
                destinataire=destinataire,
                sujet=sujet,
                corps=corps,
                maintenant=maintenant,
            )
        )

    def _fermer_sessions(self, uow: UnitOfWork, utilisateur_id: str) -> None:
        for session in uow.jetons.pour_utilisateur(utilisateur_id, NatureJeton.SESSION):
            uow.jetons.supprimer(session.id)
