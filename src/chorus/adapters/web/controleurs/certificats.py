"""Public check of a certificat de dépôt: anyone holding one can verify its empreinte."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from chorus.adapters.web.dependances import Services
from chorus.adapters.web.openapi import TAG_CERTIFICATS
from chorus.adapters.web.problemes import reponses
from chorus.adapters.web.schemas.certificats import CertificatVerifie
from chorus.domain.errors import EmpreinteAlteree, NonTrouve, ValidationError


class CertificatsControleur(Controller):
    path = "/certificats"
    tags = (TAG_CERTIFICATS,)

    @get(
        "/",
        operation_id="verifier_certificat",
        summary="Vérifier l'empreinte d'un certificat de dépôt",
        description="Public. L'empreinte (base64, 44 caractères, peut contenir « / » et "
        "« + » : à encoder dans l'URL) du certificat ; réponse : le numéro, la date de dépôt, "
        "la juridiction et le montant du mémoire déposé qu'il atteste, ou 404. 409 si les "
        "données enregistrées du mémoire ne correspondent plus à l'empreinte (altérées hors "
        "du portail) : le certificat n'est alors pas confirmé.",
        sync_to_thread=True,
        responses=reponses(NonTrouve, EmpreinteAlteree, ValidationError),
    )
    def verifier_certificat(
        self,
        services: Services,
        empreinte: Annotated[
            str, QueryParameter(description="Empreinte du certificat (base64).", max_length=200)
        ],
    ) -> CertificatVerifie:
        return CertificatVerifie.depuis(services.consultation.verifier_empreinte(empreinte))
