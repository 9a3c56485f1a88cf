"""The controllers of the API, one module per area; `creer_app` mounts `CONTROLEURS` under
``/api/v1``.

To add an area: write ``controleurs/<area>.py`` with a ``litestar.Controller`` subclass
(``path`` relative to ``/api/v1``, ``tags=[TAG_…]`` from `chorus.adapters.web.openapi`) and
its bodies in ``schemas/<area>.py``; then add one import line and one list entry below.
Handler rules: see the docstring of `chorus.adapters.web.app`.
"""

from __future__ import annotations

from typing import Any

from chorus.adapters.web.controleurs.activite import ActiviteControleur
from chorus.adapters.web.controleurs.actualites import ActualitesControleur
from chorus.adapters.web.controleurs.assistant import AssistantControleur, GuideControleur
from chorus.adapters.web.controleurs.certificats import CertificatsControleur
from chorus.adapters.web.controleurs.comptes import ComptesControleur
from chorus.adapters.web.controleurs.consultation import ConsultationControleur
from chorus.adapters.web.controleurs.cycle_de_vie import CycleDeVieControleur
from chorus.adapters.web.controleurs.documents import DocumentsControleur
from chorus.adapters.web.controleurs.flux import FluxControleur
from chorus.adapters.web.controleurs.inscription_tic import InscriptionTicControleur
from chorus.adapters.web.controleurs.lots_statuts import LotsStatutsControleur
from chorus.adapters.web.controleurs.memoires import MemoiresControleur
from chorus.adapters.web.controleurs.referentiels import ReferentielsControleur
from chorus.adapters.web.controleurs.structures import StructuresControleur
from chorus.adapters.web.controleurs.support import SupportTicketsControleur
from chorus.adapters.web.controleurs.tic import TableauDeBordTicControleur, TicControleur
from chorus.adapters.web.controleurs.tickets import TicketsControleur
from chorus.adapters.web.controleurs.traitement import TraitementMemoiresControleur
from chorus.adapters.web.controleurs.traitement_tic import TraitementTicControleur

CONTROLEURS: list[Any] = [
    ComptesControleur,
    ReferentielsControleur,
    CertificatsControleur,
    MemoiresControleur,
    DocumentsControleur,
    TraitementMemoiresControleur,
    ConsultationControleur,
    StructuresControleur,
    TicControleur,
    InscriptionTicControleur,
    TableauDeBordTicControleur,
    TraitementTicControleur,
    ActualitesControleur,
    AssistantControleur,
    GuideControleur,
    TicketsControleur,
    SupportTicketsControleur,
    ActiviteControleur,
    CycleDeVieControleur,
    LotsStatutsControleur,
    FluxControleur,
]
