"""Who may see and do what on a structure's objects (the habilitation policy).

- A user who is not a validated member of a structure knows nothing of it: `NonTrouve`.
- A member without the habilitation an action needs is refused explicitly: `AccesRefuse`.
- Consultation lets a user see; modification lets a user create, edit, send, duplicate,
  abandon, delete. A habilitation limited to a service covers only that service's objects.
- Managing the structure (its data, users, habilitations) is for its gestionnaires.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from chorus.domain.errors import AccesRefuse, NonTrouve
from chorus.domain.organisation import Application, Profil, Structure


@attrs.frozen
class Perimetre:
    """What a user may see: whole structures, and single services of other structures."""

    structures: frozenset[str] = frozenset()
    services: frozenset[tuple[str, str]] = frozenset()

    def couvre(self, structure_id: str, service_id: str | None) -> bool:
        if structure_id in self.structures:
            return True
        return service_id is not None and (structure_id, service_id) in self.services

    @property
    def vide(self) -> bool:
        return not self.structures and not self.services

    @property
    def toutes_structures(self) -> frozenset[str]:
        return self.structures | {s for s, _ in self.services}


def peut(
    structure: Structure,
    utilisateur_id: str,
    application: Application,
    profil: Profil,
    service_id: str | None = None,
) -> bool:
    """Whether the user holds a habilitation covering `profil` for that service (or the
    whole structure when `service_id` is None)."""
    return any(
        h.application is application
        and h.profil.couvre(profil)
        and (h.service_id is None or h.service_id == service_id)
        for h in structure.habilitations_de(utilisateur_id)
    )


_LIBELLE_PROFIL = {Profil.CONSULTATION: "consultation", Profil.MODIFICATION: "modification"}


def exiger(
    structure: Structure,
    utilisateur_id: str,
    application: Application,
    profil: Profil,
    service_id: str | None = None,
    *,
    objet: str = "cette structure",
) -> None:
    """Refuse unless the user may act with `profil`; a non-member learns nothing."""
    if not structure.est_membre(utilisateur_id):
        raise NonTrouve(f"Introuvable : {objet} n'existe pas ou ne vous est pas accessible.")
    if not peut(structure, utilisateur_id, application, profil, service_id):
        raise AccesRefuse(
            f"Vous n'avez pas l'habilitation « {application.libelle} "
            f"{_LIBELLE_PROFIL[profil]} » nécessaire pour agir sur {objet}."
        )


def exiger_membre(structure: Structure, utilisateur_id: str) -> None:
    if not structure.est_membre(utilisateur_id):
        raise NonTrouve("Introuvable : cette structure n'existe pas ou ne vous est pas accessible.")


def exiger_habilite(structure: Structure, utilisateur_id: str) -> None:
    """Reading a structure needs some habilitation on it (or being its gestionnaire): a
    member without any sees nothing of it but the refusal."""
    exiger_membre(structure, utilisateur_id)
    if not structure.est_gestionnaire(utilisateur_id) and not structure.habilitations_de(
        utilisateur_id
    ):
        raise AccesRefuse(
            "Vous êtes rattaché à cette structure, mais aucune habilitation ne vous y a encore "
            "été accordée : demandez-la à son gestionnaire."
        )


def exiger_perimetre(
    structure: Structure, utilisateur_id: str, application: Application
) -> Perimetre:
    """What the user may see of one structure for `application` (whole, or some services);
    refused when that is nothing."""
    exiger_membre(structure, utilisateur_id)
    vu = perimetre([structure], utilisateur_id, application)
    if vu.vide:
        raise AccesRefuse(
            f"Vous n'avez pas l'habilitation « {application.libelle} consultation » nécessaire "
            "pour agir sur cette structure."
        )
    return vu


def exiger_gestionnaire(structure: Structure, utilisateur_id: str) -> None:
    """Only a gestionnaire of the structure may manage it."""
    exiger_membre(structure, utilisateur_id)
    if not structure.est_gestionnaire(utilisateur_id):
        raise AccesRefuse("Seul un gestionnaire de la structure peut effectuer cette opération.")


def perimetre(
    structures: Iterable[Structure],
    utilisateur_id: str,
    application: Application,
    profil: Profil = Profil.CONSULTATION,
) -> Perimetre:
    """Everything of `structures` the user may see (or change, with MODIFICATION)."""
    entieres: set[str] = set()
    services: set[tuple[str, str]] = set()
    for structure in structures:
        for h in structure.habilitations_de(utilisateur_id):
            if h.application is not application or not h.profil.couvre(profil):
                continue
            if h.service_id is None:
                entieres.add(structure.id)
            else:
                services.add((structure.id, h.service_id))
    return Perimetre(
        frozenset(entieres),
        frozenset((s, svc) for s, svc in services if s not in entieres),
    )
