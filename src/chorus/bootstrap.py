"""The composition root: the only module that picks adapters and wires them to the use cases."""

from __future__ import annotations

import attrs

from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeSysteme
from chorus.adapters.systeme.identifiants import IdsAleatoires
from chorus.ports.systeme import Clock, IdGenerator
from chorus.services.consultation import ConsultationService
from chorus.services.contexte import Ports
from chorus.services.memoires import MemoireService
from chorus.services.structures import StructureService
from chorus.services.traitement import TraitementService
from chorus.services.utilisateurs import UtilisateurService

STOCKAGE_PAR_DEFAUT = "memory://"


class ErreurDeConfiguration(Exception):
    """A setting Chorus cannot start with; the message says what to change (in French)."""


@attrs.frozen
class Chorus:
    """The use cases, wired to one set of ports."""

    ports: Ports
    utilisateurs: UtilisateurService
    structures: StructureService
    memoires: MemoireService
    traitement: TraitementService
    consultation: ConsultationService


def assembler(ports: Ports) -> Chorus:
    return Chorus(
        ports=ports,
        utilisateurs=UtilisateurService(ports),
        structures=StructureService(ports),
        memoires=MemoireService(ports),
        traitement=TraitementService(ports),
        consultation=ConsultationService(ports),
    )


def construire(
    stockage: str = STOCKAGE_PAR_DEFAUT,
    *,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
) -> Chorus:
    """Chorus on the storage named by `stockage` (a URL: ``memory://``)."""
    if stockage != "memory://":
        schema = stockage.split(":", 1)[0]
        if schema in ("sqlite", "files"):
            raise ErreurDeConfiguration(
                f"Le stockage « {stockage} » n'est pas encore disponible dans cette version : "
                "utilisez --storage memory://."
            )
        raise ErreurDeConfiguration(
            f"Adresse de stockage « {stockage} » non reconnue : utilisez memory://."
        )
    return assembler(
        Ports(
            uow=UniteDeTravailEnMemoire(),
            clock=clock or HorlogeSysteme(),
            ids=ids or IdsAleatoires(),
            blobs=BlobsEnMemoire(),
            referentiels=ReferentielsDuPaquet(),
        )
    )
