"""The Chorus terminal application: sign-in, then the prestataire's mémoire space or the
agent's processing queue, with the structure screens and the help a key away."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from chorus.adapters.tui.ecrans.choix_structure import ChoixStructure
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.noyau import AppChorus
from chorus.domain.errors import DomainError

if TYPE_CHECKING:
    from chorus.adapters.tui.ecrans.espace import EspaceMemoires

# Only the sign-in screen is imported at start-up: the others (and the libraries they pull
# in, such as the Markdown renderer of the help) load when first opened, which keeps
# `chorus tui` under a second to its first screen.


class ChorusApp(AppChorus):
    TITLE = "Chorus Portail Pro"
    CSS_PATH = Path(__file__).with_name("chorus.tcss")
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "aide", "Aide"),
        Binding("f2", "espace", "Mémoires"),
        Binding("f3", "structure", "Structure"),
        Binding("f4", "changer_structure", "Changer de structure"),
        Binding("f9", "deconnexion", "Déconnexion"),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
    ]

    # Before sign-in, only help and quit mean something: the other keys are hidden; an
    # agent acts for no structure.
    _APRES_CONNEXION = frozenset({"espace", "structure", "changer_structure", "deconnexion"})
    _PRESTATAIRE = frozenset({"structure", "changer_structure"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:
            return action not in self._APRES_CONNEXION
        return not (action in self._PRESTATAIRE and self.session.est_agent)

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
            from chorus.adapters.tui.ecrans.traitement import EcranFileTraitement

            self.switch_screen(EcranFileTraitement())
            return
        structures = await self.appeler(
            self.services.structures.mes_structures, session.utilisateur.id
        )
        if not structures:
            from chorus.adapters.tui.ecrans.structure import EcranMesStructures

            self.switch_screen(EcranMesStructures())
            return
        if len(structures) == 1:
            self._choisir(structures[0].id)
            return
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        # Not awaited: this runs in a handler of the screen being replaced.
        self.switch_screen(EspaceMemoires())
        self.push_screen(ChoixStructure(structures), self._choisir)

    def _choisir(self, structure_id: str | None) -> None:
        if structure_id is None or self.session is None:
            return
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

        self.session.structure_id = structure_id
        self.switch_screen(EspaceMemoires())

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

    def action_espace(self) -> None:
        if self.session is None:
            return
        if self.session.est_agent:
            while len(self.screen_stack) > 2:
                self.pop_screen()
            return
        from chorus.adapters.tui.ecrans.espace import EspaceMemoires

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
        if len(structures) > 1:
            self._revenir_a_l_espace()
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
        self.refresh_bindings()
        self.sub_title = self.services.stockage
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(EcranConnexion())

    async def action_quit(self) -> None:
        if self.session is not None:
            with contextlib.suppress(DomainError):
                await self.appeler(self.services.comptes.fermer_session, self.session.jeton)
        self.exit()
