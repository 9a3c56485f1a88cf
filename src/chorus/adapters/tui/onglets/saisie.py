"""The « Saisir mémoire » tab of the mémoire space: a draft entered in four steps (en-tête,
lignes de prestation, pièces jointes, récapitulatif) and sent with « Valider et envoyer »."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Static

from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import Etape, signaler
from chorus.adapters.tui.onglets.saisie_entete import EtapeEntete
from chorus.adapters.tui.onglets.saisie_lignes import EtapeLignes
from chorus.adapters.tui.onglets.saisie_pieces import EtapePieces
from chorus.adapters.tui.onglets.saisie_recap import EtapeRecapitulatif, ResultatEnvoi
from chorus.domain.entete import ModeDepot
from chorus.domain.errors import DomainError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.statuts import StatutMemoire

ETAPES = ("En-tête", "Lignes de prestation", "Pièces jointes", "Récapitulatif")
RESULTAT = len(ETAPES) + 1
MODES_DE_DEPOT = {ModeDepot.PORTAIL: "saisie web", ModeDepot.API: "API", ModeDepot.FLUX: "flux"}


class OngletSaisie(Vertical):
    """The entry of one mémoire; `charger` opens a draft (or a new form)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "precedent", "Précédent"),
        Binding("f6", "suivant", "Suivant"),
        Binding("ctrl+l", "recharger", "Recharger"),
    ]
    DEFAULT_CSS = """
    OngletSaisie { height: 1fr; }
    OngletSaisie #saisie-memoire { height: auto; text-style: bold; }
    OngletSaisie #saisie-etapes { height: auto; margin: 0 0 1 0; }
    OngletSaisie #saisie-pages { height: 1fr; }
    OngletSaisie #saisie-navigation { height: auto; margin: 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._memoire: Memoire | None = None
        self._structure: Structure | None = None
        self._etape = 1

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="saisie-memoire", markup=False)
        yield Static("", id="saisie-etapes")
        with ContentSwitcher(initial="etape-1", id="saisie-pages"):
            yield EtapeEntete(self._appliquer, id="etape-1")
            yield EtapeLignes(self._appliquer, id="etape-2")
            yield EtapePieces(self._appliquer, id="etape-3")
            yield EtapeRecapitulatif(
                self._appliquer,
                id="etape-4",
                envoye=self._envoye,
                en_erreur=self._envoi_refuse,
            )
            yield ResultatEnvoi(lambda: self.charger(None), id="etape-resultat")
        with Horizontal(id="saisie-navigation", classes="barre-actions"):
            yield Button("◀ Précédent (F5)", id="saisie-precedent")
            yield Button("Suivant (F6) ▶", id="saisie-suivant", variant="primary")

    def on_mount(self) -> None:
        self._montrer_etape()
        self.charger(None)

    @property
    def memoire(self) -> Memoire | None:
        """The draft being entered (None before its en-tête is first saved)."""
        return self._memoire

    @property
    def structure(self) -> Structure | None:
        return self._structure

    @property
    def etape(self) -> int:
        """The step shown: 1 to 4, 5 once sent."""
        return self._etape

    def _etapes(self) -> list[Etape]:
        return list(self.query(Etape))

    # -- loading -------------------------------------------------------------------------

    def charger(self, memoire_id: str | None) -> None:
        """Open the draft `memoire_id` at its first step (a new draft for None)."""
        self.run_worker(self._charger(memoire_id), group="saisie-chargement", exclusive=True)

    async def _charger(self, memoire_id: str | None, *, garder_saisie: bool = False) -> None:
        app = chorus(self)
        # The loading indicator takes the focus from the field being typed in; it is given
        # back after, or the tab's keys (F6 « Suivant »…) would have no widget to reach.
        focus = self.screen.focused
        garde = focus if focus is not None and self in focus.ancestors else None
        self.loading = True
        try:
            memoire: Memoire | None = None
            structure_id = app.structure_id
            if memoire_id is not None:
                memoire = await app.appeler(
                    app.services.memoires.obtenir, app.utilisateur_id, memoire_id
                )
                if memoire.statut is not StatutMemoire.BROUILLON:
                    self.notify(
                        f"Le mémoire n°{memoire.numero} est à l'état "
                        f"« {memoire.statut.libelle} » : seul un brouillon peut être modifié.",
                        severity="error",
                    )
                    return
                structure_id = memoire.structure_id
            if structure_id is None:
                self.query_one("#saisie-memoire", Static).update(
                    "Choisissez d'abord la structure pour laquelle vous agissez (F4)."
                )
                return
            structure = await app.appeler(
                app.services.structures.obtenir, app.utilisateur_id, structure_id
            )
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        finally:
            # The tab may have been removed meanwhile (the space closed, the app quitting):
            # it then has no screen left to give the focus back on.
            if self.is_attached:
                self.loading = False
                ailleurs = self.screen.focused is None or self not in self.screen.focused.ancestors
                if garde is not None and garde.is_attached and ailleurs:
                    garde.focus(scroll_visible=False)
        if not self.is_attached:
            return
        self._structure = structure
        entete = self.query_one(EtapeEntete)
        entete.preparer(structure)
        if memoire is not None or not garder_saisie:
            entete.remplir(memoire)
        self._appliquer(memoire)
        if not garder_saisie:
            # After `_appliquer`: a cleared form takes the draft's defaults (its TVA rate).
            for etape in self._etapes():
                await etape.vider()
            self._aller(1)

    # -- the draft, shown everywhere -----------------------------------------------------

    def _appliquer(self, memoire: Memoire | None) -> None:
        """Show the stored draft in every step (the next change expects its version)."""
        self._memoire = memoire
        for etape in self._etapes():
            etape.montrer(memoire, self._structure)
        self._entete_memoire()

    def _entete_memoire(self) -> None:
        memoire = self._memoire
        structure = self._structure
        nom = structure.raison_sociale if structure else ""
        if memoire is None:
            texte = f"SAISIE MÉMOIRE DE FRAIS DE JUSTICE — {nom} — nouveau mémoire"
        else:
            texte = (
                f"SAISIE MÉMOIRE DE FRAIS DE JUSTICE — {nom} — Numéro du mémoire : "
                f"{memoire.numero} — État : {memoire.statut.libelle} — Mode de dépôt : "
                f"{MODES_DE_DEPOT[memoire.mode_depot]}"
            )
        self.query_one("#saisie-memoire", Static).update(texte)

    def _envoye(self, memoire: Memoire) -> None:
        self.query_one(ResultatEnvoi).montrer(memoire)
        self._aller(RESULTAT)

    def _envoi_refuse(self, erreur: DomainError) -> None:
        # A refusal naming a field of the en-tête (bank details, catégorie, remise) is also
        # written under that field, where the user goes to fix it.
        signaler(self.query_one(EtapeEntete), erreur)

    # -- steps ---------------------------------------------------------------------------

    def _aller(self, etape: int) -> None:
        self._etape = etape
        self._montrer_etape()
        page = self.query_one("#etape-resultat" if etape == RESULTAT else f"#etape-{etape}")
        self.call_after_refresh(self._focaliser, page)

    def _focaliser(self, page: Widget) -> None:
        # Loaded while another tab is in front: the focus stays where the user is.
        if not self.is_on_screen:
            return
        cible = None
        if isinstance(page, Etape | ResultatEnvoi):
            cible = page.premier_champ()
        if cible is not None:
            # Each step opens at its top (the récapitulatif's checkbox is at its bottom).
            cible.focus(scroll_visible=False)
        page.scroll_home(animate=False)

    def _montrer_etape(self) -> None:
        etape = self._etape
        self.query_one(ContentSwitcher).current = (
            "etape-resultat" if etape == RESULTAT else f"etape-{etape}"
        )
        morceaux = []
        for numero, nom in enumerate(ETAPES, 1):
            if etape == RESULTAT or numero < etape:
                morceaux.append(f"[$success]✓ {numero}. {nom}[/]")
            elif numero == etape:
                morceaux.append(f"[b reverse] {numero}. {nom} [/]")
            else:
                morceaux.append(f"[dim]{numero}. {nom}[/]")
        self.query_one("#saisie-etapes", Static).update("  ›  ".join(morceaux))
        envoye = etape == RESULTAT
        self.query_one("#saisie-navigation").display = not envoye
        self.query_one("#saisie-precedent", Button).disabled = etape <= 1
        self.query_one("#saisie-suivant", Button).disabled = etape >= len(ETAPES)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "precedent":
            return 1 < self._etape <= len(ETAPES)
        if action == "suivant":
            return self._etape < len(ETAPES)
        if action == "recharger":
            return self._etape != RESULTAT
        return True

    async def action_suivant(self) -> None:
        etape = self._etape
        if etape >= len(ETAPES):
            return
        if etape == 1 and not await self.query_one(EtapeEntete).enregistrer():
            return
        if self._memoire is None:
            return
        if etape == 2 and self.query_one(EtapeLignes).saisie_en_cours():
            self.notify(
                "La ligne en cours de saisie n'est pas validée : elle reste dans le "
                "formulaire de l'étape 2.",
                severity="warning",
            )
        self._aller(etape + 1)

    def action_precedent(self) -> None:
        if 1 < self._etape <= len(ETAPES):
            self._aller(self._etape - 1)

    def action_recharger(self) -> None:
        """Read the draft again (after a change made elsewhere): the en-tête shows what is
        stored, a line or a pièce being typed stays."""
        self.run_worker(
            self._charger(self._memoire.id if self._memoire else None, garder_saisie=True),
            group="saisie-chargement",
            exclusive=True,
        )

    @on(Button.Pressed, "#saisie-suivant")
    async def _suivant(self) -> None:
        await self.action_suivant()

    @on(Button.Pressed, "#saisie-precedent")
    def _precedent(self) -> None:
        self.action_precedent()
