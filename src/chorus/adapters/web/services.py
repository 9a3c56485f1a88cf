"""What the HTTP adapter drives: the use cases, wired by the composition root."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from chorus.ports.referentiels import Referentiels
from chorus.ports.systeme import Clock
from chorus.services.activite import ActiviteService
from chorus.services.actualites import ActualiteService
from chorus.services.assistant import AssistantService
from chorus.services.comptes import CompteService
from chorus.services.consultation import ConsultationService
from chorus.services.cycle_de_vie import CycleDeVieService
from chorus.services.documents import DocumentService
from chorus.services.flux import FluxService
from chorus.services.inscription_tic import InscriptionTicService
from chorus.services.instruction_tic import InstructionTicService
from chorus.services.lots_statuts import LotsStatutsService
from chorus.services.memoires import MemoireService
from chorus.services.structures import StructureService
from chorus.services.support import SupportService, TicketService
from chorus.services.tic import DemandeTicService
from chorus.services.traitement import TraitementService
from chorus.services.utilisateurs import UtilisateurService


@attrs.frozen
class ServicesWeb:
    """The use cases a handler reaches through its `services: ServicesWeb` dependency.

    Concrete classes, not Protocols: Litestar validates handler parameters, and a plain
    Protocol in a signature makes every request fail (DESIGN.md §7). `referentiels` and
    `clock` are ports; never put them in a handler signature, reach them through this object.
    """

    comptes: CompteService
    utilisateurs: UtilisateurService
    structures: StructureService
    memoires: MemoireService
    traitement: TraitementService
    consultation: ConsultationService
    documents: DocumentService
    tic: DemandeTicService
    instruction_tic: InstructionTicService
    inscription_tic: InscriptionTicService
    assistant: AssistantService
    actualites: ActualiteService
    activite: ActiviteService
    cycle_de_vie: CycleDeVieService
    lots_statuts: LotsStatutsService
    tickets: TicketService
    support: SupportService
    flux: FluxService
    referentiels: Referentiels
    clock: Clock
    reveiller_flux: Callable[[], None] = lambda: None
    """Asks the server's background integration of flux for a pass now (a flux was just
    deposited); does nothing where no loop runs (tests integrate by calling the use case)."""
