"""Bodies of the activity feed."""

from __future__ import annotations

from datetime import datetime

import msgspec

from chorus.adapters.web.schemas.memoires import montant_ou_rien
from chorus.domain.activite import EvenementActivite, TypeObjet

_CHEMINS = {
    TypeObjet.MEMOIRE: "/api/v1/memoires/",
    TypeObjet.DEMANDE_TIC: "/api/v1/tic/demandes/",
}


class EvenementActiviteSortie(msgspec.Struct, frozen=True):
    """A status a mémoire (`type_objet` MEMOIRE) or a demande TIC (DEMANDE_TIC) reached:
    `date` is when the portal recorded it; `montant` the amount the step states (certified,
    paid, granted), else the amount asked; `lien` the object in this API."""

    id: str
    structure_id: str
    application: str
    service_id: str | None
    type_objet: str
    libelle_type_objet: str
    objet_id: str
    numero: str
    statut: str
    libelle_statut: str
    date: datetime
    motif: str | None
    montant: str | None
    lien: str

    @staticmethod
    def depuis(evenement: EvenementActivite) -> EvenementActiviteSortie:
        return EvenementActiviteSortie(
            id=evenement.id,
            structure_id=evenement.structure_id,
            application=evenement.application.value,
            service_id=evenement.service_id,
            type_objet=evenement.type_objet.value,
            libelle_type_objet=evenement.type_objet.libelle,
            objet_id=evenement.objet_id,
            numero=evenement.numero,
            statut=evenement.statut,
            libelle_statut=evenement.libelle_statut,
            date=evenement.date,
            motif=evenement.motif,
            montant=montant_ou_rien(evenement.montant),
            lien=_CHEMINS[evenement.type_objet] + evenement.objet_id,
        )
