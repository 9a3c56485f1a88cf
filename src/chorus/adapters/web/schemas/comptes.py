"""Bodies of accounts, sessions and the captcha."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime

import msgspec

from chorus.domain.utilisateur import Utilisateur
from chorus.services.comptes import Captcha, Session
from chorus.services.structures import MonRattachement


class CaptchaSortie(msgspec.Struct, frozen=True):
    id: str
    image_png_base64: str
    expire_le: datetime

    @staticmethod
    def depuis(captcha: Captcha) -> CaptchaSortie:
        return CaptchaSortie(
            id=captcha.id,
            image_png_base64=base64.b64encode(captcha.image_png).decode("ascii"),
            expire_le=captcha.expire_le,
        )


class InscriptionEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: str
    mot_de_passe: str
    nom: str
    prenom: str
    question_secrete: str
    reponse_secrete: str
    captcha_id: str
    captcha_reponse: str
    telephone: str | None = None


class CompteCree(msgspec.Struct, frozen=True):
    id: str
    email: str
    statut: str


class ActivationEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    jeton: str
    mot_de_passe: str | None = None
    question_secrete: str | None = None
    reponse_secrete: str | None = None


class StatutCompte(msgspec.Struct, frozen=True):
    statut: str


class MotDePasseOublieEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: str


class Message(msgspec.Struct, frozen=True):
    message: str


class QuestionSecreteSortie(msgspec.Struct, frozen=True):
    question_secrete: str


class ReinitialisationEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    jeton: str
    reponse_secrete: str
    nouveau_mot_de_passe: str


class ConnexionEntree(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: str
    mot_de_passe: str


class SessionSortie(msgspec.Struct, frozen=True):
    jeton: str
    expire_le: datetime

    @staticmethod
    def depuis(session: Session) -> SessionSortie:
        return SessionSortie(jeton=session.jeton, expire_le=session.expire_le)


class RattachementDeMoi(msgspec.Struct, frozen=True):
    structure_id: str
    raison_sociale: str
    statut: str
    gestionnaire: bool


class HabilitationDeMoi(msgspec.Struct, frozen=True):
    structure_id: str
    service_id: str | None
    application: str
    profil: str


class MoiSortie(msgspec.Struct, frozen=True):
    id: str
    email: str
    nom: str
    prenom: str
    telephone: str | None
    statut: str
    role: str | None
    juridictions: list[str]
    suivi_quotidien: bool
    suivi_hebdomadaire: bool
    rattachements: list[RattachementDeMoi]
    habilitations: list[HabilitationDeMoi]
    version: int


class ModificationMoi(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a user may change of their own account; absent fields stay as they are, an
    empty `telephone` removes it."""

    nom: str | None = None
    prenom: str | None = None
    telephone: str | None = None
    suivi_quotidien: bool | None = None
    suivi_hebdomadaire: bool | None = None


def moi_sortie(utilisateur: Utilisateur, rattachements: Sequence[MonRattachement]) -> MoiSortie:
    habilitations = [
        HabilitationDeMoi(
            structure_id=r.structure_id,
            service_id=h.service_id,
            application=h.application.value,
            profil=h.profil.value,
        )
        for r in rattachements
        for h in r.habilitations
    ]
    rattachements_de_moi = [
        RattachementDeMoi(
            structure_id=r.structure_id,
            raison_sociale=r.raison_sociale,
            statut=r.rattachement.statut.value,
            gestionnaire=r.rattachement.gestionnaire,
        )
        for r in rattachements
    ]
    return MoiSortie(
        id=utilisateur.id,
        email=utilisateur.email,
        nom=utilisateur.nom,
        prenom=utilisateur.prenom,
        telephone=utilisateur.telephone,
        statut=utilisateur.statut.value,
        role=utilisateur.role.value if utilisateur.role else None,
        juridictions=sorted(utilisateur.juridictions),
        suivi_quotidien=utilisateur.suivi_quotidien,
        suivi_hebdomadaire=utilisateur.suivi_hebdomadaire,
        rattachements=rattachements_de_moi,
        habilitations=habilitations,
        version=utilisateur.version,
    )
