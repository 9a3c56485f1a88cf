"""Accounts and sessions: captcha, sign-up, activation, forgotten password, login, logout,
and the user's own profile (``/moi``).

Sign-up, links and login are rate-limited per client address (`LIMITE`); the captcha too,
since each one is drawn and stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from chorus.adapters.web.auth import secret_de_la_requete
from chorus.adapters.web.dependances import Acteur, Services, VersionAttendue
from chorus.adapters.web.entrees import etag
from chorus.adapters.web.openapi import TAG_COMPTES, TAG_SESSIONS
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.reglages import LIMITE
from chorus.adapters.web.schemas.comptes import (
    ActivationEntree,
    CaptchaSortie,
    CompteCree,
    ConnexionEntree,
    InscriptionEntree,
    Message,
    ModificationMoi,
    MoiSortie,
    MotDePasseOublieEntree,
    QuestionSecreteSortie,
    ReinitialisationEntree,
    SessionSortie,
    StatutCompte,
    moi_sortie,
)
from chorus.adapters.web.services import ServicesWeb
from chorus.domain.errors import (
    CompteVerrouille,
    Conflit,
    ConflitDeVersion,
    JetonPerime,
    NonAuthentifie,
    TransitionInvalide,
    ValidationError,
)

_LIMITEE = {LIMITE: True}


def _moi(services: ServicesWeb, acteur_id: str) -> Response[MoiSortie]:
    utilisateur = services.utilisateurs.obtenir(acteur_id)
    rattachements = services.structures.mes_rattachements(acteur_id)
    return Response(moi_sortie(utilisateur, rattachements), headers=etag(utilisateur.version))


class ComptesControleur(Controller):
    path = "/"

    @get(
        "/captcha",
        operation_id="obtenir_captcha",
        tags=[TAG_COMPTES],
        summary="Obtenir un captcha",
        description="Une image à recopier (PNG en base64), à usage unique, valable 10 minutes. "
        "Sa réponse accompagne l'inscription (`captcha_id`, `captcha_reponse`).",
        sync_to_thread=True,
        opt=_LIMITEE,
    )
    def obtenir_captcha(self, services: Services) -> CaptchaSortie:
        return CaptchaSortie.depuis(services.comptes.nouveau_captcha())

    @post(
        "/comptes",
        operation_id="creer_compte",
        tags=[TAG_COMPTES],
        summary="Créer un compte",
        description="Crée un compte en attente d'activation et envoie le courriel "
        "d'activation (lien valable 60 minutes). Mot de passe : au moins 10 caractères et 3 "
        "des 4 types (majuscule, minuscule, chiffre, caractère spécial).",
        sync_to_thread=True,
        opt=_LIMITEE,
        responses=reponses(ValidationError, Conflit),
    )
    def creer_compte(self, data: JSONBody[InscriptionEntree], services: Services) -> CompteCree:
        compte = services.comptes.inscrire(
            email=data.email,
            mot_de_passe=data.mot_de_passe,
            nom=data.nom,
            prenom=data.prenom,
            telephone=data.telephone,
            question_secrete=data.question_secrete,
            reponse_secrete=data.reponse_secrete,
            captcha_id=data.captcha_id,
            captcha_reponse=data.captcha_reponse,
        )
        return CompteCree(id=compte.id, email=compte.email, statut=compte.statut.value)

    @post(
        "/comptes/activation",
        operation_id="activer_compte",
        tags=[TAG_COMPTES],
        summary="Activer un compte",
        description="Utilise le jeton du lien d'activation. Un compte créé sans mot de passe "
        "(inscription TIC) fixe ici son mot de passe et sa question secrète. Lien expiré ou "
        "déjà utilisé : 410.",
        status_code=HTTP_200_OK,
        sync_to_thread=True,
        opt=_LIMITEE,
        responses=reponses(ValidationError, JetonPerime, TransitionInvalide),
    )
    def activer_compte(self, data: JSONBody[ActivationEntree], services: Services) -> StatutCompte:
        compte = services.comptes.activer(
            jeton=data.jeton,
            mot_de_passe=data.mot_de_passe,
            question_secrete=data.question_secrete,
            reponse_secrete=data.reponse_secrete,
        )
        return StatutCompte(statut=compte.statut.value)

    @post(
        "/comptes/mot-de-passe-oublie",
        operation_id="signaler_mot_de_passe_oublie",
        tags=[TAG_COMPTES],
        summary="Mot de passe oublié",
        description="Envoie un lien de réinitialisation si un compte actif porte cette "
        "adresse. La réponse est la même que l'adresse soit connue ou non.",
        status_code=HTTP_202_ACCEPTED,
        sync_to_thread=True,
        opt=_LIMITEE,
        responses=reponses(ValidationError),
    )
    def mot_de_passe_oublie(
        self, data: JSONBody[MotDePasseOublieEntree], services: Services
    ) -> Message:
        services.comptes.mot_de_passe_oublie(data.email)
        return Message(
            "Si un compte correspond à cette adresse, un courriel vient de lui être envoyé."
        )

    @get(
        "/comptes/reinitialisation/question",
        operation_id="lire_question_secrete",
        tags=[TAG_COMPTES],
        summary="Question secrète d'un lien de réinitialisation",
        description="La question secrète à laquelle répondre pour réinitialiser le mot de "
        "passe avec ce lien (extension du contrat). Lien expiré ou utilisé : 410.",
        sync_to_thread=True,
        opt=_LIMITEE,
        responses=reponses(ValidationError, JetonPerime),
    )
    def lire_question_secrete(
        self,
        services: Services,
        jeton: Annotated[str, QueryParameter(description="Le jeton du lien reçu par courriel.")],
    ) -> QuestionSecreteSortie:
        return QuestionSecreteSortie(services.comptes.question_secrete(jeton))

    @post(
        "/comptes/reinitialisation",
        operation_id="reinitialiser_mot_de_passe",
        tags=[TAG_COMPTES],
        summary="Réinitialiser le mot de passe",
        description="Utilise le lien de réinitialisation et la réponse à la question secrète. "
        "Une mauvaise réponse compte comme un échec de connexion (5 : compte verrouillé une "
        "heure). Les sessions ouvertes sont fermées.",
        status_code=HTTP_204_NO_CONTENT,
        sync_to_thread=True,
        opt=_LIMITEE,
        responses=reponses(ValidationError, JetonPerime, CompteVerrouille),
    )
    def reinitialiser(self, data: JSONBody[ReinitialisationEntree], services: Services) -> None:
        services.comptes.reinitialiser(
            jeton=data.jeton,
            reponse_secrete=data.reponse_secrete,
            nouveau_mot_de_passe=data.nouveau_mot_de_passe,
        )

    @post(
        "/sessions",
        operation_id="ouvrir_session",
        tags=[TAG_SESSIONS],
        summary="Se connecter",
        description="Ouvre une session : le jeton s'envoie ensuite dans l'en-tête "
        "« Authorization: Bearer <jeton> ». Identifiants incorrects : 401 ; après 5 échecs, "
        "compte verrouillé une heure : 423.",
        sync_to_thread=True,
        opt=_LIMITEE,
        responses=reponses(ValidationError, NonAuthentifie, CompteVerrouille),
    )
    def ouvrir_session(self, data: JSONBody[ConnexionEntree], services: Services) -> SessionSortie:
        return SessionSortie.depuis(services.comptes.ouvrir_session(data.email, data.mot_de_passe))

    @delete(
        "/sessions/courante",
        operation_id="fermer_session",
        tags=[TAG_SESSIONS],
        summary="Se déconnecter",
        description="Ferme la session du jeton envoyé.",
        sync_to_thread=True,
    )
    def fermer_session(
        self, request: Request[Any, Any, Any], acteur: Acteur, services: Services
    ) -> None:
        services.comptes.fermer_session(secret_de_la_requete(request))

    @get(
        "/moi",
        operation_id="lire_moi",
        tags=[TAG_COMPTES],
        summary="Mon compte",
        description="L'utilisateur connecté, ses rattachements et ses habilitations ; "
        "l'en-tête ETag porte sa version.",
        sync_to_thread=True,
    )
    def lire_moi(self, acteur: Acteur, services: Services) -> Response[MoiSortie]:
        return _moi(services, acteur.utilisateur.id)

    @patch(
        "/moi",
        operation_id="modifier_moi",
        tags=[TAG_COMPTES],
        summary="Modifier mon compte",
        description="Nom, prénom, téléphone (vide : retiré) et préférences de suivi "
        "d'activité. Avec If-Match, une version périmée est refusée (409).",
        sync_to_thread=True,
        responses=reponses(ValidationError, ConflitDeVersion),
    )
    def modifier_moi(
        self,
        data: JSONBody[ModificationMoi],
        acteur: Acteur,
        services: Services,
        version_attendue: VersionAttendue,
    ) -> Response[MoiSortie]:
        services.utilisateurs.modifier(
            acteur.utilisateur.id,
            nom=data.nom,
            prenom=data.prenom,
            telephone=data.telephone,
            suivi_quotidien=data.suivi_quotidien,
            suivi_hebdomadaire=data.suivi_hebdomadaire,
            version_attendue=version_attendue,
        )
        return _moi(services, acteur.utilisateur.id)
