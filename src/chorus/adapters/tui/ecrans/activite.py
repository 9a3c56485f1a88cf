"""F8 « Mon activité »: the status changes of the mémoires and demandes TIC the user may
see, newest first, one page at a time read from the store; Entrée opens the object. The two
« suivi d'activité » emails (daily, weekly) are switched on or off here. Échap goes back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Label, Static, Switch

from chorus.adapters.tui.affichage import euros, instant
from chorus.adapters.tui.noyau import chorus
from chorus.domain.activite import EvenementActivite, TypeObjet
from chorus.domain.errors import DomainError

PAR_PAGE = 20

_TYPES = {TypeObjet.MEMOIRE: "Mémoire", TypeObjet.DEMANDE_TIC: "Demande TIC"}


def nombre_de_pages(total: int) -> int:
    return max(1, -(-total // PAR_PAGE))


def rangee(evenement: EvenementActivite) -> tuple[str | Text, ...]:
    return (
        instant(evenement.date),
        _TYPES[evenement.type_objet],
        evenement.numero,
        evenement.libelle_statut,
        euros(evenement.montant),
        Text(evenement.motif or ""),
    )


class EcranActivite(Screen[None]):
    TITLE = "Mon activité"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "fermer", "Retour"),
        Binding("[", "page_precedente", "Page précédente"),
        Binding("]", "page_suivante", "Page suivante"),
    ]
    DEFAULT_CSS = """
    EcranActivite #activite-cadre { padding: 0 2; }
    EcranActivite #activite-preferences { height: auto; margin-bottom: 1; }
    EcranActivite #activite-preferences Label { padding: 1 1 0 0; }
    EcranActivite #activite-preferences Switch { margin-right: 3; }
    EcranActivite DataTable { height: auto; max-height: 24; }
    EcranActivite .navigation { height: auto; margin-top: 1; }
    EcranActivite .navigation Button { margin-right: 1; }
    EcranActivite #activite-position { width: auto; padding: 1 1 0 1; }
    EcranActivite #activite-vide { color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.total = 0
        self._objets: dict[str, tuple[TypeObjet, str]] = {}
        self._preferences_lues = False
        self.charge = False
        """Whether the current page has been read and shown (what a test waits on)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="activite-cadre"):
            yield Static("Mon activité", classes="titre")
            yield Static(
                "Les changements d'état des mémoires et des demandes TIC/TICGN des structures "
                "où vous êtes habilité, du plus récent au plus ancien. Entrée ouvre la ligne "
                "choisie ; [ et ] changent de page ; Échap revient à l'écran précédent.",
                classes="aide",
                markup=False,
            )
            with Horizontal(id="activite-preferences"):
                yield Label("Suivi d'activité par courriel — quotidien")
                yield Switch(value=True, id="suivi-quotidien", disabled=True)
                yield Label("hebdomadaire")
                yield Switch(value=True, id="suivi-hebdomadaire", disabled=True)
            table: DataTable[str | Text] = DataTable(
                cursor_type="row", zebra_stripes=True, id="activite-table"
            )
            yield table
            yield Static(
                "Aucune activité : les changements d'état de vos mémoires et demandes "
                "apparaîtront ici.",
                id="activite-vide",
            )
            with Horizontal(classes="navigation"):
                yield Button("◀ Plus récents", id="activite-precedents")
                yield Static("", id="activite-position")
                yield Button("Plus anciens ▶", id="activite-suivants")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for titre in ("Date", "Type", "Numéro", "Statut", "Montant", "Motif"):
            table.add_column(titre)
        self.lire_preferences()
        self.charger(1)

    @property
    def nombre_de_pages(self) -> int:
        return nombre_de_pages(self.total)

    # -- the feed ------------------------------------------------------------------------

    @work(exclusive=True, group="activite")
    async def charger(self, page: int) -> None:
        app = chorus(self)
        if app.session is None:
            return
        self.charge = False
        try:
            trouves = await app.appeler(
                app.services.activite.fil, app.utilisateur_id, page, PAR_PAGE
            )
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        if not trouves.elements and page > 1:
            # Fewer changes than counted a moment ago cannot happen (they are never
            # removed), but a page typed past the end shows the last one.
            self.charger(nombre_de_pages(trouves.total))
            return
        self.page, self.total = page, trouves.total
        table = self.query_one(DataTable)
        table.clear()
        self._objets = {}
        for evenement in trouves.elements:
            self._objets[evenement.id] = (evenement.type_objet, evenement.objet_id)
            table.add_row(*rangee(evenement), key=evenement.id)
        vide = not trouves.elements
        table.display = not vide
        self.query_one("#activite-vide").display = vide
        mot = "changement" if self.total <= 1 else "changements"
        self.query_one("#activite-position", Static).update(
            f"page {self.page} / {self.nombre_de_pages} — {self.total} {mot}"
        )
        self.query_one("#activite-precedents", Button).disabled = self.page <= 1
        self.query_one("#activite-suivants", Button).disabled = self.page >= self.nombre_de_pages
        self.refresh_bindings()
        self.charge = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page_precedente":
            return self.page > 1
        if action == "page_suivante":
            return self.page < self.nombre_de_pages
        return True

    def action_page_precedente(self) -> None:
        if self.page > 1:
            self.charger(self.page - 1)

    def action_page_suivante(self) -> None:
        if self.page < self.nombre_de_pages:
            self.charger(self.page + 1)

    def action_fermer(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#activite-precedents")
    def _precedents(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        self.action_page_precedente()

    @on(Button.Pressed, "#activite-suivants")
    def _suivants(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        self.action_page_suivante()

    @on(DataTable.RowSelected)
    def _ouvrir(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        objet = self._objets.get(evenement.row_key.value or "")
        if objet is None:
            return
        type_objet, objet_id = objet
        if type_objet is TypeObjet.MEMOIRE:
            chorus(self).ouvrir_memoire(objet_id)
            return
        from chorus.adapters.tui.ecrans.demande_tic import EcranDemandeTic

        self.app.push_screen(EcranDemandeTic(objet_id))

    # -- the « suivi d'activité » preferences --------------------------------------------

    @work(exclusive=True, group="activite-preferences")
    async def lire_preferences(self) -> None:
        app = chorus(self)
        if app.session is None:
            return
        try:
            utilisateur = await app.appeler(app.services.utilisateurs.obtenir, app.utilisateur_id)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        quotidien = self.query_one("#suivi-quotidien", Switch)
        hebdomadaire = self.query_one("#suivi-hebdomadaire", Switch)
        # Set before they listen: reading them is no change to save.
        with quotidien.prevent(Switch.Changed), hebdomadaire.prevent(Switch.Changed):
            quotidien.value = utilisateur.suivi_quotidien
            hebdomadaire.value = utilisateur.suivi_hebdomadaire
        # An API token's account cannot change its preferences (nor receives the emails).
        quotidien.disabled = hebdomadaire.disabled = utilisateur.est_technique
        self._preferences_lues = True

    @on(Switch.Changed)
    async def _changer_preference(self, evenement: Switch.Changed) -> None:
        if not self._preferences_lues:
            return
        app = chorus(self)
        quotidien = evenement.switch.id == "suivi-quotidien"
        try:
            if quotidien:
                await app.appeler(
                    app.services.utilisateurs.modifier,
                    app.utilisateur_id,
                    suivi_quotidien=evenement.value,
                )
            else:
                await app.appeler(
                    app.services.utilisateurs.modifier,
                    app.utilisateur_id,
                    suivi_hebdomadaire=evenement.value,
                )
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            # Nothing was stored: the switch shows the preference as it still is.
            with evenement.switch.prevent(Switch.Changed):
                evenement.switch.value = not evenement.value
            return
        nature = "quotidien" if quotidien else "hebdomadaire"
        etat = "activé" if evenement.value else "désactivé"
        self.notify(f"Suivi d'activité {nature} par courriel {etat}.")
