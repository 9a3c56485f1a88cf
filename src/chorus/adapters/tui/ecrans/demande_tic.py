"""A demande de remboursement TIC/TICGN in detail, for the demandeur: en-tête, lines with
their rate, unit and amount, pièces (« Enregistrer sous… »), total and status, with what the
status allows — « Historique » (the rejection motif), « Dupliquer » a rejected demande,
« Exporter en pdf » the certificate of a sent one, modify or delete a draft."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Static

from chorus.adapters.tui.formulaires import ErreurGenerale, effacer_erreurs, montrer_erreur
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.widgets.detail_demande_tic import (
    COLONNES_HISTORIQUE_TIC,
    DetailDemandeTic,
    historique_tic,
)
from chorus.adapters.tui.widgets.detail_memoire import taille_lisible
from chorus.adapters.tui.widgets.documents import telecharger
from chorus.adapters.tui.widgets.modales import AEnregistrer, Confirmation, EnregistrerSous
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain import acces
from chorus.domain.errors import DomainError
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.pieces import PieceJointe
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic

# The actions of the screen, each a button (same id) and a key of the footer.
ACTIONS_TIC = (
    "modifier",
    "historique",
    "dupliquer",
    "exporter_pdf",
    "enregistrer_piece",
    "supprimer",
)
_MODIFICATIONS = frozenset({"modifier", "dupliquer", "supprimer"})


def actions_tic(demande: DemandeTic, *, peut_modifier: bool = True) -> frozenset[str]:
    """What the screen offers for `demande`: only what its status allows (and only reading
    without the TIC « modification » habilitation)."""
    possibles = {"historique"}
    if demande.pieces:
        possibles.add("enregistrer_piece")
    if demande.certificat is not None:
        possibles.add("exporter_pdf")
    if demande.statut is StatutDemandeTic.BROUILLON:
        possibles |= {"modifier", "supprimer"}
    if demande.statut is StatutDemandeTic.REJETEE:
        possibles.add("dupliquer")
    if not peut_modifier:
        possibles -= _MODIFICATIONS
    return frozenset(possibles)


def piece_tic_a_enregistrer(app: AppChorus, demande_id: str, piece: PieceJointe) -> AEnregistrer:
    """A pièce of a demande, read through the use case once the user has said where."""
    tic = app.services.tic
    acteur_id = app.utilisateur_id

    def lire() -> bytes:
        _, contenu = tic.lire_piece(acteur_id, demande_id, piece.id)
        return contenu

    return AEnregistrer(
        titre="Enregistrer la pièce sous…",
        nom_fichier=piece.nom_fichier,
        description=f"{piece.nom_fichier} — {taille_lisible(piece.taille)}",
        lire=lire,
        enregistre="Pièce enregistrée",
    )


class FenetreHistoriqueTic(ModalScreen[None]):
    """« Historique »: every event of the demande — date, statut, acteur, motif."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,h", "dismiss", "Fermer")]
    DEFAULT_CSS = """
    FenetreHistoriqueTic { align: center middle; }
    FenetreHistoriqueTic #motif-rejet-tic { color: $error; text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, demande: DemandeTic) -> None:
        super().__init__()
        self.demande = demande

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="historique-tic"):
            yield Static(f"Historique de la demande n°{self.demande.numero}", classes="titre")
            if self.demande.motif_rejet:
                yield Static(
                    f"Motif du rejet : {self.demande.motif_rejet}",
                    id="motif-rejet-tic",
                    markup=False,
                )
            yield TableauPagine(
                COLONNES_HISTORIQUE_TIC,
                unite="événements",
                vide="Aucun événement.",
                hauteur_variable=True,
                id="table-historique-tic",
            )
            with Horizontal(classes="barre-actions"):
                yield Button("Fermer", id="fermer-historique-tic")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#historique-tic").styles.width = 130
        tableau = self.query_one(TableauPagine)
        tableau.remplir(historique_tic(self.demande))
        tableau.table.focus()

    @on(Button.Pressed, "#fermer-historique-tic")
    def _fermer(self) -> None:
        self.dismiss(None)


class EcranDemandeTic(Screen[None]):
    """The detail of one demande; Échap goes back to where it was opened from."""

    TITLE = "Demande de remboursement TIC/TICGN"
    DEFAULT_CSS = """
    EcranDemandeTic #actions-tic { height: auto; padding: 0 1; }
    EcranDemandeTic #actions-tic .barre-actions { margin: 0; }
    EcranDemandeTic #detail-tic { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "retour", "Retour"),
        Binding("f5", "actualiser", "Actualiser"),
        Binding("m", "modifier", "Modifier"),
        Binding("h", "historique", "Historique"),
        Binding("d", "dupliquer", "Dupliquer"),
        Binding("p", "exporter_pdf", "Exporter en pdf"),
        Binding("e", "enregistrer_piece", "Enregistrer la pièce sous…"),
        Binding("s", "supprimer", "Supprimer"),
    ]

    def __init__(self, demande_id: str) -> None:
        super().__init__()
        self.demande_id = demande_id
        self.demande: DemandeTic | None = None
        self._structure: Structure | None = None
        self._occupe = False
        self._offertes: frozenset[str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="actions-tic"):
            with Horizontal(classes="barre-actions"):
                yield Button("Modifier", id="modifier", variant="primary")
                yield Button("Historique", id="historique")
                yield Button("Dupliquer", id="dupliquer", variant="primary")
                yield Button("Exporter en pdf", id="exporter_pdf")
                yield Button("Enregistrer la pièce sous…", id="enregistrer_piece")
                yield Button("Supprimer", id="supprimer", variant="error")
                yield Button("Retour", id="retour")
            yield ErreurGenerale()
        with VerticalScroll(id="detail-tic"):
            yield DetailDemandeTic()
        yield Footer()

    def on_mount(self) -> None:
        self._montrer_actions()
        self.query_one(DetailDemandeTic).loading = True

    def on_screen_resume(self) -> None:
        if chorus(self).session is not None:
            self.charger()

    # -- loading -------------------------------------------------------------------------

    @work(exclusive=True, group="chargement-tic")
    async def charger(self) -> None:
        detail = self.query_one(DetailDemandeTic)
        try:
            demande, structure = await detail.attendre(self._lire())
        except DomainError as erreur:
            self.demande = None
            self._montrer_actions()
            montrer_erreur(self._zone, erreur)
            return
        self._afficher(demande, structure)

    async def _lire(self) -> tuple[DemandeTic, Structure | None]:
        app = chorus(self)
        demande = await app.appeler(app.services.tic.obtenir, app.utilisateur_id, self.demande_id)
        try:
            structure: Structure | None = await app.appeler(
                app.services.structures.obtenir, app.utilisateur_id, demande.structure_id
            )
        except DomainError:
            structure = None
        return demande, structure

    def _afficher(self, demande: DemandeTic, structure: Structure | None) -> None:
        self.demande = demande
        self._structure = structure
        self.sub_title = f"Demande n°{demande.numero} — {demande.statut.libelle}"
        self.query_one(DetailDemandeTic).afficher(demande, structure)
        self._montrer_actions()

    @property
    def _zone(self) -> Vertical:
        return self.query_one("#actions-tic", Vertical)

    # -- what may be done ----------------------------------------------------------------

    @property
    def actions(self) -> frozenset[str]:
        demande = self.demande
        app = chorus(self)
        if demande is None or app.session is None:
            return frozenset()
        peut_modifier = self._structure is None or acces.peut(
            self._structure, app.utilisateur_id, Application.TIC, Profil.MODIFICATION
        )
        return actions_tic(demande, peut_modifier=peut_modifier)

    def _montrer_actions(self) -> None:
        possibles = self.actions
        for action in ACTIONS_TIC:
            self.query_one(f"#{action}", Button).display = action in possibles
        if possibles != self._offertes:
            self._offertes = possibles
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS_TIC:
            return action in self.actions
        return True

    @on(Button.Pressed, "#actions-tic Button")
    async def _bouton(self, evenement: Button.Pressed) -> None:
        if evenement.button.id:
            await self.run_action(evenement.button.id)

    @contextmanager
    def _prendre(self) -> Iterator[DemandeTic | None]:
        """The demande to act on, unless an action is under way (None then)."""
        if self._occupe or self.demande is None:
            yield None
            return
        self._occupe = True
        effacer_erreurs(self._zone)
        try:
            yield self.demande
        finally:
            self._occupe = False

    # -- actions -------------------------------------------------------------------------

    def action_retour(self) -> None:
        self.app.pop_screen()

    def action_actualiser(self) -> None:
        self.charger()

    def action_modifier(self) -> None:
        from chorus.adapters.tui.ecrans.saisie_tic import EcranSaisieTic

        if "modifier" in self.actions:
            # The entry replaces the detail: closing it goes back to where the detail was
            # opened from.
            self.app.switch_screen(EcranSaisieTic(self.demande_id))

    def action_historique(self) -> None:
        if self.demande is not None:
            self.app.push_screen(FenetreHistoriqueTic(self.demande))

    def action_enregistrer_piece(self) -> None:
        demande = self.demande
        if demande is None or "enregistrer_piece" not in self.actions:
            return
        piece = self.query_one(DetailDemandeTic).piece_choisie(demande)
        if piece is not None:
            self.app.push_screen(
                EnregistrerSous(piece_tic_a_enregistrer(chorus(self), demande.id, piece))
            )

    def action_exporter_pdf(self) -> None:
        if "exporter_pdf" in self.actions:
            self._exporter()

    def action_dupliquer(self) -> None:
        if "dupliquer" in self.actions:
            self._dupliquer()

    def action_supprimer(self) -> None:
        if "supprimer" in self.actions:
            self._supprimer()

    @work(group="action-tic")
    async def _exporter(self) -> None:
        with self._prendre() as demande:
            if demande is None:
                return
            app = chorus(self)
            await telecharger(
                self,
                partial(app.services.tic.certificat_depot, app.utilisateur_id, demande.id),
                partial(montrer_erreur, self._zone),
            )

    @work(group="action-tic")
    async def _dupliquer(self) -> None:
        from chorus.adapters.tui.ecrans.saisie_tic import EcranSaisieTic

        with self._prendre() as demande:
            if demande is None:
                return
            app = chorus(self)
            question = (
                f"Dupliquer la demande rejetée n°{demande.numero} ? Un nouveau brouillon "
                "reprenant son en-tête, ses lignes et ses pièces sera créé, pour être corrigé "
                "puis envoyé."
            )
            if not await app.push_screen_wait(Confirmation(question, oui="Dupliquer")):
                return
            copie = await app.tenter(
                self._zone, app.services.tic.dupliquer, app.utilisateur_id, demande.id
            )
            if copie is None:
                return
            app.notify(
                f"Demande n°{demande.numero} dupliquée : le brouillon n°{copie.numero} est "
                "ouvert pour être corrigé."
            )
            app.switch_screen(EcranSaisieTic(copie.id))

    @work(group="action-tic")
    async def _supprimer(self) -> None:
        with self._prendre() as demande:
            if demande is None:
                return
            app = chorus(self)
            question = (
                f"Supprimer définitivement le brouillon n°{demande.numero} ? Il n'a jamais été "
                "envoyé : rien n'en sera conservé."
            )
            if not await app.push_screen_wait(Confirmation(question, oui="Supprimer")):
                return
            supprime = await app.reussir(
                self._zone,
                app.services.tic.supprimer,
                app.utilisateur_id,
                demande.id,
                version_attendue=demande.version,
            )
            if not supprime:
                self.charger()
                return
            app.notify(f"Le brouillon n°{demande.numero} a été supprimé.")
            app.pop_screen()
