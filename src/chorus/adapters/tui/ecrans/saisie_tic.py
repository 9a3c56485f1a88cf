"""« Créer une nouvelle demande » (or go on with a draft): a demande de remboursement
TIC/TICGN entered in four steps — en-tête, lignes, pièces jointes, récapitulatif — and sent
with « Envoyer ». A draft stays entirely modifiable until then."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Footer, Header, Static

from chorus.adapters.tui.affichage import euros
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import signaler
from chorus.adapters.tui.onglets.tic_commun import EtapeTic
from chorus.adapters.tui.onglets.tic_entete import EtapeEnTeteTic
from chorus.adapters.tui.onglets.tic_lignes import EtapeLignesTic
from chorus.adapters.tui.onglets.tic_pieces import EtapePiecesTic
from chorus.adapters.tui.onglets.tic_recap import EtapeRecapitulatifTic, ResultatEnvoiTic
from chorus.domain import acces
from chorus.domain.errors import DomainError
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic

ETAPES = ("En-tête", "Lignes de la demande", "Pièces jointes", "Récapitulatif")
RESULTAT = len(ETAPES) + 1


def structures_tic(structures: Sequence[Structure], utilisateur_id: str) -> list[Structure]:
    """The structures the user may file a demande for: the TIC espace opened and the TIC
    habilitation « modification »."""
    return [
        s
        for s in structures
        if s.espace_tic and acces.peut(s, utilisateur_id, Application.TIC, Profil.MODIFICATION)
    ]


class EcranSaisieTic(Screen[None]):
    """The entry of one demande; `demande_id` None for a new one."""

    TITLE = "Demande de remboursement TIC/TICGN"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "fermer", "Fermer"),
        Binding("f5", "precedent", "Précédent"),
        Binding("f6", "suivant", "Suivant"),
    ]
    DEFAULT_CSS = """
    EcranSaisieTic #saisie-tic-demande { height: auto; text-style: bold; padding: 0 1; }
    EcranSaisieTic #saisie-tic-etapes { height: auto; margin: 0 0 1 0; padding: 0 1; }
    EcranSaisieTic #saisie-tic-pages { height: 1fr; }
    EcranSaisieTic #saisie-tic-navigation { height: auto; margin: 0; padding: 0 1; }
    """

    def __init__(self, demande_id: str | None = None) -> None:
        super().__init__()
        self.demande_id = demande_id
        self.demande: DemandeTic | None = None
        self.structure: Structure | None = None
        self.etape = 1
        self.pret = False
        """Whether the form is loaded (what a test waits on)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="saisie-tic-demande", markup=False)
        yield Static("", id="saisie-tic-etapes")
        with ContentSwitcher(initial="etape-tic-1", id="saisie-tic-pages"):
            yield EtapeEnTeteTic(
                self._appliquer, id="etape-tic-1", enregistre=lambda: self._aller(2)
            )
            yield EtapeLignesTic(self._appliquer, id="etape-tic-2")
            yield EtapePiecesTic(self._appliquer, id="etape-tic-3")
            yield EtapeRecapitulatifTic(
                self._appliquer,
                id="etape-tic-4",
                envoyee=self._envoyee,
                refusee=self._envoi_refuse,
            )
            yield ResultatEnvoiTic(self.action_fermer, id="etape-tic-resultat")
        with Horizontal(id="saisie-tic-navigation", classes="barre-actions"):
            yield Button("◀ Précédent (F5)", id="saisie-tic-precedent")
            yield Button("Suivant (F6) ▶", id="saisie-tic-suivant", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self._montrer_etape()
        self._charger()

    # -- loading -------------------------------------------------------------------------

    @work(exclusive=True, group="saisie-tic")
    async def _charger(self) -> None:
        app = chorus(self)
        tic = app.services.tic
        pages = self.query_one(ContentSwitcher)
        pages.loading = True
        try:
            demande: DemandeTic | None = None
            if self.demande_id is not None:
                demande = await app.appeler(tic.obtenir, app.utilisateur_id, self.demande_id)
                if demande.statut is not StatutDemandeTic.BROUILLON:
                    self.notify(
                        f"La demande n°{demande.numero} est à l'état « {demande.statut.libelle} »"
                        " : une fois envoyée, elle n'est plus modifiable.",
                        severity="error",
                    )
                    self.app.pop_screen()
                    return
            toutes = await app.appeler(app.services.structures.mes_structures, app.utilisateur_id)
            taux_avance = await app.appeler(tic.taux_avance)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        finally:
            pages.loading = False
        possibles = structures_tic(toutes, app.utilisateur_id)
        voulue = demande.structure_id if demande is not None else app.structure_id
        structure = next((s for s in toutes if s.id == voulue), None)
        if structure is None or (demande is None and structure not in possibles):
            structure = possibles[0] if possibles else None
        if demande is None and structure is None:
            self.query_one("#saisie-tic-demande", Static).update(
                "Aucune de vos structures ne peut déposer de demande de remboursement TIC/TICGN "
                "(espace TIC ouvert et habilitation TIC « modification »)."
            )
        self.structure = structure
        entete = self.query_one(EtapeEnTeteTic)
        entete.preparer(possibles, structure, taux_avance)
        entete.remplir(demande)
        self._appliquer(demande)
        self.pret = True
        self._aller(1)

    # -- the draft, shown in every step --------------------------------------------------

    def _appliquer(self, demande: DemandeTic | None) -> None:
        self.demande = demande
        if demande is not None:
            self.demande_id = demande.id
            entete = self.query_one(EtapeEnTeteTic)
            self.structure = next(
                (s for s in entete.structures if s.id == demande.structure_id), self.structure
            )
        for etape in self.query(EtapeTic):
            etape.montrer(demande, self.structure)
        self._titre()

    def _titre(self) -> None:
        demande = self.demande
        nom = self.structure.raison_sociale if self.structure else ""
        if demande is None:
            texte = f"CRÉER UNE NOUVELLE DEMANDE — {nom}"
        else:
            texte = (
                f"DEMANDE N°{demande.numero} — {nom} — livraisons de {demande.annee} — "
                f"statut : {demande.statut.libelle} — total : {euros(demande.montant_total)}"
            )
        self.query_one("#saisie-tic-demande", Static).update(texte)
        self.sub_title = "Nouvelle demande" if demande is None else f"Demande n°{demande.numero}"

    def _envoyee(self, demande: DemandeTic) -> None:
        self.query_one(ResultatEnvoiTic).montrer(demande)
        self._aller(RESULTAT)

    def _envoi_refuse(self, erreur: DomainError) -> None:
        # A refusal naming a field of the en-tête (bank details…) is also written under it.
        signaler(self.query_one(EtapeEnTeteTic), erreur)

    # -- steps ---------------------------------------------------------------------------

    def _aller(self, etape: int) -> None:
        self.etape = etape
        self._montrer_etape()
        page = self.query_one("#etape-tic-resultat" if etape == RESULTAT else f"#etape-tic-{etape}")
        self.call_after_refresh(self._focaliser, page)

    def _focaliser(self, page: Widget) -> None:
        cible = page.premier_champ() if isinstance(page, EtapeTic | ResultatEnvoiTic) else None
        if cible is not None:
            cible.focus(scroll_visible=False)
        page.scroll_home(animate=False)

    def _montrer_etape(self) -> None:
        etape = self.etape
        self.query_one(ContentSwitcher).current = (
            "etape-tic-resultat" if etape == RESULTAT else f"etape-tic-{etape}"
        )
        morceaux = []
        for numero, nom in enumerate(ETAPES, 1):
            if etape == RESULTAT or numero < etape:
                morceaux.append(f"[$success]✓ {numero}. {nom}[/]")
            elif numero == etape:
                morceaux.append(f"[b reverse] {numero}. {nom} [/]")
            else:
                morceaux.append(f"[dim]{numero}. {nom}[/]")
        self.query_one("#saisie-tic-etapes", Static).update("  ›  ".join(morceaux))
        self.query_one("#saisie-tic-navigation").display = etape != RESULTAT
        self.query_one("#saisie-tic-precedent", Button).disabled = etape <= 1
        self.query_one("#saisie-tic-suivant", Button).disabled = etape >= len(ETAPES)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "precedent":
            return 1 < self.etape <= len(ETAPES)
        if action == "suivant":
            return self.etape < len(ETAPES)
        return True

    async def action_suivant(self) -> None:
        etape = self.etape
        if etape >= len(ETAPES):
            return
        if etape == 1 and not await self.query_one(EtapeEnTeteTic).enregistrer():
            return
        if self.demande is None:
            return
        self._aller(etape + 1)

    def action_precedent(self) -> None:
        if 1 < self.etape <= len(ETAPES):
            self._aller(self.etape - 1)

    def action_fermer(self) -> None:
        if self.demande is not None and self.etape != RESULTAT:
            self.notify(f"La demande n°{self.demande.numero} reste enregistrée en brouillon.")
        self.app.pop_screen()

    @on(Button.Pressed, "#saisie-tic-suivant")
    async def _suivant(self) -> None:
        await self.action_suivant()

    @on(Button.Pressed, "#saisie-tic-precedent")
    def _precedent(self) -> None:
        self.action_precedent()
