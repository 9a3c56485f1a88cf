"""The Chorus terminal application: sign-in, then the prestataire's mémoire space or the
agent's processing queue, with the structure screens and the help a key away."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from chorus.adapters.tui.ecrans.choix_structure import ChoixStructure
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.messages import TicketPropose
from chorus.adapters.tui.noyau import AppChorus
from chorus.adapters.tui.services import ServicesTui
from chorus.domain import acces
from chorus.domain.errors import DomainError
from chorus.domain.organisation import Application, Structure

if TYPE_CHECKING:
    from chorus.adapters.tui.ecrans.espace import EspaceMemoires
    from chorus.adapters.tui.ecrans.espace_tic import EspaceTic

# Only the sign-in screen is imported at start-up: the others (and the libraries they pull
# in, such as the Markdown renderer of the help) load when first opened, which keeps
# `chorus tui` under a second to its first screen.


class ChorusApp(AppChorus):
    TITLE = "Chorus Portail Pro"
    CSS_PATH = Path(__file__).with_name("chorus.tcss")
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "aide", "Aide"),
        Binding("f5", "assistant", "Assistant"),
        Binding("f2", "espace", "Mémoires"),
        Binding("f12", "espace_tic", "TIC/TICGN"),
        Binding("f3", "structure", "Structure"),
        Binding("f4", "changer_structure", "Changer de structure"),
        Binding("f6", "support", "Support"),
        Binding("f7", "actualites", "Actualités"),
        Binding("f8", "activite", "Activité"),
        Binding("f9", "deconnexion", "Déconnexion"),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
    ]

    # Before sign-in, only help and quit mean something: the other keys are hidden; an
    # agent acts for no structure.
    _APRES_CONNEXION = frozenset(
        {"espace", "espace_tic", "structure", "changer_structure", "deconnexion", "activite"}
    )
    _PRESTATAIRE = frozenset({"structure", "changer_structure", "espace_tic", "activite"})

    def __init__(self, services: ServicesTui) -> None:
        super().__init__(services)
        self._structures: dict[str, Structure] = {}
        """The user's structures as last read (sign-in, change of structure): which spaces
        the current one opens."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:
            return action not in self._APRES_CONNEXION
        if action in self._PRESTATAIRE and self.session.est_agent:
            return False
        if action == "espace_tic":
            # F12 only for a structure with the TIC espace: nothing changes for the others.
            return self._tic_possible()
        if action == "espace" and not self.session.est_agent:
            return not self._tic_seulement()
        return True

    def on_mount(self) -> None:
        if self.services.stockage:
            self.sub_title = self.services.stockage
        self.push_screen(EcranConnexion())

    # -- after sign-in -------------------------------------------------------------------

    async def apres_connexion(self) -> None:
        session = self.session
        assert session is not None
        self.sub_title = session.utilisateur.nom_complet
        if session.est_agent:
            from chorus.domain.utilisateur import RoleAgent

            if session.utilisateur.role is RoleAgent.SUPPORT:
                # The support agent's work is the tickets' queue.
                from chorus.adapters.tui.ecrans.support import EcranFileSupport

                self.switch_screen(EcranFileSupport())
                return
            if session.utilisateur.role is RoleAgent.ADMINISTRATEUR:
                # An administrator files and processes nothing: their work is the news.
                from chorus.adapters.tui.ecrans.actualites import EcranActualites

                self.switch_screen(EcranActualites())
                return
            if session.utilisateur.role is RoleAgent.INSTRUCTEUR_TIC:
                # The TIC instructor works on demandes TIC, never on mémoires.
                from chorus.adapters.tui.ecrans.instruction_tic import EcranFileInstructionTic

                self.switch_screen(EcranFileInstructionTic())
                return
            from chorus.adapters.tui.ecrans.traitement import EcranFileTraitement

            self.switch_screen(EcranFileTraitement())
            return
        structures = await self.appeler(
            self.services.structures.mes_structures, session.utilisateur.id
        )
        self._structures = {s.id: s for s in structures}
        if not structures:
            from chorus.adapters.tui.ecrans.structure import EcranMesStructures

            self.switch_screen(EcranMesStructures())
            return
        if len(structures) == 1:
            self._choisir(structures[0].id)
            return
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        # Not awaited: this runs in a handler of the screen being replaced. The chooser is
        # pushed from the application's own queue: a screen's result goes to the queue that
        # pushed it, and the sign-in screen's is gone by then (the choice was lost).
        self.switch_screen(EspaceMemoires())
        self.call_later(self.push_screen, ChoixStructure(structures), self._choisir)

    def _choisir(self, structure_id: str | None) -> None:
        if structure_id is None or self.session is None:
            return
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        self.session.structure_id = structure_id
        self.refresh_bindings()
        if self._tic_seulement():
            from chorus.adapters.tui.ecrans.espace_tic import EspaceTic

            self.switch_screen(EspaceTic())
            return
        self.switch_screen(EspaceMemoires())

    # -- the TIC/TICGN space -------------------------------------------------------------

    def _structure_courante(self) -> Structure | None:
        session = self.session
        if session is None or session.structure_id is None:
            return None
        return self._structures.get(session.structure_id)

    def _tic_possible(self) -> bool:
        """The current structure has the TIC espace and the user a TIC habilitation."""
        structure = self._structure_courante()
        return (
            structure is not None
            and structure.espace_tic
            and not acces.perimetre([structure], self.utilisateur_id, Application.TIC).vide
        )

    def _tic_seulement(self) -> bool:
        """The TIC space is the only one the user has on the current structure: no space
        « frais de justice », or no habilitation on it."""
        structure = self._structure_courante()
        if structure is None or not self._tic_possible():
            return False
        return (
            structure.espace_frais_de_justice is None
            or acces.perimetre([structure], self.utilisateur_id, Application.FRAIS_DE_JUSTICE).vide
        )

    def _espace_tic(self) -> EspaceTic | None:
        from chorus.adapters.tui.ecrans.espace_tic import EspaceTic

        for ecran in reversed(self.screen_stack):
            if isinstance(ecran, EspaceTic):
                return ecran
        return None

    def action_espace_tic(self) -> None:
        session = self.session
        if session is None or session.est_agent or not self._tic_possible():
            return
        from chorus.adapters.tui.ecrans.espace_tic import EspaceTic

        espace = self._espace_tic()
        if espace is not None and espace.structure_id == session.structure_id:
            while self.screen is not espace:
                self.pop_screen()
            return
        # The space in front (the mémoires', or the TIC one of another structure) gives way.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(EspaceTic())

    # -- navigation ----------------------------------------------------------------------

    def _espace(self) -> EspaceMemoires | None:
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        for ecran in reversed(self.screen_stack):
            if isinstance(ecran, EspaceMemoires):
                return ecran
        return None

    def _revenir_a_l_espace(self) -> EspaceMemoires | None:
        espace = self._espace()
        if espace is None:
            return None
        while self.screen is not espace:
            self.pop_screen()
        return espace

    def ouvrir_memoire(self, memoire_id: str) -> None:
        from chorus.adapters.tui.ecrans.memoire import EcranMemoire

        self.push_screen(EcranMemoire(memoire_id))

    def ouvrir_traitement(self, memoire_id: str) -> None:
        from chorus.adapters.tui.ecrans.traitement import EcranTraitementMemoire

        self.push_screen(EcranTraitementMemoire(memoire_id))

    def modifier_brouillon(self, memoire_id: str) -> None:
        espace = self._revenir_a_l_espace()
        if espace is None:
            return
        from chorus.adapters.tui.onglets.saisie import OngletSaisie

        espace.montrer("saisir")
        espace.query_one(OngletSaisie).charger(memoire_id)

    def ouvrir_liste(self, structure_id: str | None, statut: str | None) -> None:
        espace = self._revenir_a_l_espace()
        if espace is None:
            return
        from chorus.adapters.tui.onglets.recherche import OngletRecherche

        espace.montrer("rechercher")
        espace.query_one(OngletRecherche).rechercher_par(structure_id=structure_id, statut=statut)

    # -- actions of the bindings ---------------------------------------------------------

    def action_aide(self) -> None:
        from chorus.adapters.tui.ecrans.aide import EcranAide

        if not isinstance(self.screen, EcranAide):
            self.push_screen(EcranAide())

    def action_support(self) -> None:
        """F6: the support portal — the user's tickets, or the agent's queue."""
        from chorus.adapters.tui.ecrans.support import EcranFileSupport, EspaceSupport
        from chorus.domain.support.acces import traite_les_tickets

        session = self.session
        if session is None:
            self.notify("Connectez-vous pour accéder au support.", severity="warning")
            return
        if session.est_agent and not traite_les_tickets(session.utilisateur):
            self.notify("Votre rôle ne traite pas de tickets d'assistance.", severity="warning")
            return
        cible = EcranFileSupport if session.est_agent else EspaceSupport
        from chorus.adapters.tui.ecrans.creer_ticket import EcranCreerTicket

        if isinstance(self.screen, EcranCreerTicket):
            # A ticket being written is not thrown away by a key: Échap leaves it.
            return
        for ecran in reversed(self.screen_stack):
            if isinstance(ecran, cible):
                while self.screen is not ecran:
                    self.pop_screen()
                return
        self.push_screen(cible())

    def on_ticket_propose(self, message: TicketPropose) -> None:
        """The assistant proposes a ticket: « Créer un ticket » pre-filled with the question."""
        from chorus.adapters.tui.ecrans.creer_ticket import EcranCreerTicket
        from chorus.domain.support.referentiel import CategorieTicket, SousCategorieTicket
        from chorus.services.assistant import ticket_prerempli

        message.stop()
        session = self.session
        if session is None or session.est_agent:
            # The assistant's panel offers it to neither (it says why there); whoever else
            # posts it is told the same.
            self.notify(
                "Connectez-vous pour créer un ticket au support : votre question y sera reprise."
                if session is None
                else "Les tickets d'assistance se créent depuis un compte de prestataire.",
                severity="warning",
            )
            return
        # The same proposal as the API's: catégorie AUTRE, sous-catégorie A_QUESTION.
        proposition = ticket_prerempli(message.question)
        self.push_screen(
            EcranCreerTicket(
                categorie=CategorieTicket(proposition.categorie),
                sous_categorie=SousCategorieTicket(proposition.sous_categorie),
                resume=proposition.resume,
                description=proposition.description,
            )
        )

    def action_actualites(self) -> None:
        from chorus.adapters.tui.ecrans.actualites import EcranActualites

        # Open to anyone, signed in or not; pressed again on the screen, it stays.
        if not isinstance(self.screen, EcranActualites):
            self.push_screen(EcranActualites())

    def action_activite(self) -> None:
        """F8: « Mon activité » — a prestataire's feed (agents follow their queues)."""
        session = self.session
        if session is None or session.est_agent:
            return
        from chorus.adapters.tui.ecrans.activite import EcranActivite

        if not isinstance(self.screen, EcranActivite):
            self.push_screen(EcranActivite())

    def action_assistant(self) -> None:
        from chorus.adapters.tui.ecrans.assistant import EcranAssistant, EcranGuide

        # From any screen, signed in or not; not a second panel over the first.
        if not isinstance(self.screen, (EcranAssistant, EcranGuide)):
            self.push_screen(EcranAssistant())

    def action_espace(self) -> None:
        if self.session is None:
            return
        if self.session.est_agent:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            return
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        if self.session.structure_id not in self._structures:
            # A structure chosen since the last reading (« Agir pour cette structure »):
            # read again, so that F12 appears when it has the TIC espace.
            self.run_worker(self._relire_structures(), group="structures-app", exclusive=True)
        if self._tic_seulement():
            self.action_espace_tic()
            return
        if self._espace_tic() is not None and self._espace() is None:
            # The TIC space is in front: the mémoires' takes its place.
            while len(self.screen_stack) > 2:
                self.pop_screen()
            if self.session.structure_id is not None:
                self.switch_screen(EspaceMemoires())
                return
        espace = self._revenir_a_l_espace()
        structure_id = self.session.structure_id
        if structure_id is None:
            # The user left the structure the space was showing: back to their structures.
            if espace is not None:
                from chorus.adapters.tui.ecrans.structure import EcranMesStructures

                self.switch_screen(EcranMesStructures())
            return
        # A space opened for another structure (before « Agir pour cette structure ») is
        # replaced: its tabs show that structure's drafts and lists.
        if espace is None or espace.structure_id != structure_id:
            self.switch_screen(EspaceMemoires())

    async def action_structure(self) -> None:
        if self.session is None or self.session.est_agent:
            return
        from chorus.adapters.tui.ecrans.structure import EcranMesStructures, EcranStructure

        if isinstance(self.screen, (EcranStructure, EcranMesStructures)):
            return
        if self.session.structure_id is None:
            self.push_screen(EcranMesStructures())
        else:
            self.push_screen(EcranStructure())

    async def action_changer_structure(self) -> None:
        session = self.session
        if session is None or session.est_agent:
            return
        structures = await self.appeler(
            self.services.structures.mes_structures, session.utilisateur.id
        )
        self._structures = {s.id: s for s in structures}
        if len(structures) > 1:
            if self._revenir_a_l_espace() is None and (espace_tic := self._espace_tic()):
                while self.screen is not espace_tic:
                    self.pop_screen()
            self.push_screen(ChoixStructure(structures, session.structure_id), self._choisir)
        else:
            self.notify("Vous n'êtes rattaché qu'à une structure.")

    async def action_deconnexion(self) -> None:
        session = self.session
        if session is None:
            return
        with contextlib.suppress(DomainError):  # an expired session is closed already
            await self.appeler(self.services.comptes.fermer_session, session.jeton)
        self.session = None
        self._structures = {}
        self.refresh_bindings()
        self.sub_title = self.services.stockage
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(EcranConnexion())

    async def _relire_structures(self) -> None:
        session = self.session
        if session is None:
            return
        with contextlib.suppress(DomainError):
            structures = await self.appeler(
                self.services.structures.mes_structures, session.utilisateur.id
            )
            self._structures = {s.id: s for s in structures}
            self.refresh_bindings()
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        if self._tic_seulement() and isinstance(self.screen, EspaceMemoires):
            self.action_espace_tic()

    async def action_quit(self) -> None:
        if self.session is not None:
            with contextlib.suppress(DomainError):
                await self.appeler(self.services.comptes.fermer_session, self.session.jeton)
        self.exit()
