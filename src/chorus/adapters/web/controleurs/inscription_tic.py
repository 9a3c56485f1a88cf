"""The TIC inscription (seed 004): SIRET, captcha, service « TIC », option, the account
holder's and the company's data in one body; « Finaliser l'inscription » makes the account
pending activation (no password yet: the activation link sets it with the secret question),
the structure with its TIC espace, and queues the activation email.

Rate-limited per client address like ``POST /comptes``; with ``CHORUS_CAPTCHA=desactive``
any captcha passes (`ReglagesComptes.captcha_actif`).
"""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from chorus.adapters.web.controleurs.tic import TAG_TIC
from chorus.adapters.web.dependances import Services
from chorus.adapters.web.openapi import TAG_COMPTES
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.reglages import LIMITE
from chorus.adapters.web.schemas.inscription_tic import (
    InscriptionTicEntree,
    InscriptionTicSortie,
    inscription_tic_sortie,
)
from chorus.domain.errors import Conflit, ValidationError


class InscriptionTicControleur(Controller):
    path = "/tic/inscriptions"

    @post(
        "/",
        operation_id="inscrire_tic",
        tags=[TAG_TIC, TAG_COMPTES],
        summary="S'inscrire au service TIC",
        description="Crée, d'un seul coup, un compte en attente d'activation sans mot de "
        "passe (le lien du courriel d'activation, valable 60 minutes, le fait choisir avec la "
        "question secrète : `POST /comptes/activation`), le suivi d'activité activé, et la "
        "structure de l'entreprise (SIRET) dont il devient gestionnaire principal, avec "
        "l'espace TIC pour l'option FOURNISSEUR_PRINCIPAL (pas pour TIERS_DEPOSANT). Saisie "
        "invalide, ou siège d'un fournisseur principal hors des départements de la campagne "
        "en cours : 422 avec chaque champ en erreur. SIRET déjà enregistré (demandez alors "
        "votre rattachement à la structure) ou adresse déjà inscrite : 409.",
        status_code=HTTP_201_CREATED,
        sync_to_thread=True,
        opt={LIMITE: True},
        responses=reponses(ValidationError, Conflit),
    )
    def inscrire(
        self, data: JSONBody[InscriptionTicEntree], services: Services
    ) -> InscriptionTicSortie:
        inscription = services.inscription_tic.inscrire(
            siret=data.siret,
            captcha_id=data.captcha_id,
            captcha_reponse=data.captcha_reponse,
            service=data.service,
            option=data.option,
            utilisateur=data.utilisateur.vers_service(),
            structure=data.structure.vers_service(),
        )
        return inscription_tic_sortie(inscription)
