"""What the terminal UI drives: the use cases, wired by the composition root."""

from __future__ import annotations

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
class ServicesTui:
    """The use cases the screens call, plus the two ports they read directly: the
    référentiels (to offer choices) and the clock (to propose today's dates)."""

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
    tickets: TicketService
    support: SupportService
    flux: FluxService
    lots_statuts: LotsStatutsService
    referentiels: Referentiels
    clock: Clock
    stockage: str = ""
    """Where the data lives, in words, for the title bar."""
