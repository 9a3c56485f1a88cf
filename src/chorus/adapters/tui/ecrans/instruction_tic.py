"""The TIC instructor's back office: the queue of the sent demandes de remboursement
TIC/TICGN, and the instruction of one of them — mise à disposition, prise en charge,
validation (possibly for less than asked, with a motif), rejet, mise en paiement — each as
an event of the domain."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from chorus.adapters.tui.affichage import euros, instant, jour, lire_montant, ou_rien
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.widgets.detail_memoire import taille_lisible
from chorus.adapters.tui.widgets.documents import telecharger
from chorus.adapters.tui.widgets.instruction_tic import DetailDemandeTic
from chorus.adapters.tui.widgets.modales import AEnregistrer, EnregistrerSous
from chorus.adapters.tui.widgets.tableau import nombre_de_pages
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.montants import en_francais
from chorus.domain.pieces import PieceJointe
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import (
    TRANSITIONS_TIC,
    ActionInstructionTic,
    IntervenantTic,
    StatutDemandeTic,
)
from chorus.ports.requetes import PAR_PAGE_DEFAUT, Page, Pagination
from chorus.ports.tic import CleDeTriTic, FiltresDemandeTic, ResumeDemandeTic, TriTic

PAR_PAGE = PAR_PAGE_DEFAUT

STATUTS_ENVOYES = [s for s in StatutDemandeTic if s.envoyee]

ENREGISTREE = {
    ActionInstructionTic.MISE_A_DISPOSITION: "Mise à disposition enregistrée",
    ActionInstructionTic.PRISE_EN_CHARGE: "Prise en charge enregistrée",
    ActionInstructionTic.VALIDATION: "Validation enregistrée",
    ActionInstructionTic.REJET: "Rejet enregistré",
    ActionInstructionTic.MISE_EN_PAIEMENT: "Mise en paiement enregistrée",
}

# The actions whose form has a motif (required for a rejet, and for a validation below the
# amount asked); the others record no reason.
AVEC_MOTIF = frozenset({ActionInstructionTic.VALIDATION, ActionInstructionTic.REJET})


def actions_permises(statut: StatutDemandeTic) -> list[ActionInstructionTic]:
    """The events an instructor may record on a demande at `statut`, read from the
    domain's transition table."""
    return [
        action
        for action in ActionInstructionTic
        if TRANSITIONS_TIC[action.statut][1] is IntervenantTic.INSTRUCTEUR
        and statut in TRANSITIONS_TIC[action.statut][0]
    ]


def reference_evenement(demande: DemandeTic, action: ActionInstructionTic) -> str:
    """The event's reference: the same form submitted twice on the same version of the
    demande gives the same reference, which the domain applies only once."""
    return f"TUI-{demande.id}-v{demande.version}-{action.value}"


def lire_annee(texte: str, champ: str = "annee") -> int | None:
    """A year typed in a filter (None when left empty)."""
    brut = texte.strip()
    if not brut:
        return None
    if not (brut.isascii() and brut.isdigit() and len(brut) == 4):
        raise ValidationError(
            f"« {brut[:20]} » n'est pas une année : écrivez-la sur quatre chiffres (2023).",
            champ=champ,
        )
    return int(brut)


def texte_compteurs(compteurs: dict[StatutDemandeTic, int]) -> str:
    total = sum(compteurs.values())
    parts = " · ".join(f"{s.libelle} : {compteurs.get(s, 0)}" for s in STATUTS_ENVOYES)
    return f"{parts} — {total} demande{'s' if total > 1 else ''} en tout"


# -- the queue ----------------------------------------------------------------------------


class EcranFileInstructionTic(Screen[None]):
    """The instructor's home: every sent demande TIC/TICGN, 50 a page."""

    TITLE = "Instruction des demandes TIC/TICGN"
    DEFAULT_CSS = """
    EcranFileInstructionTic #file-tic { padding: 0 1; height: 1fr; }
    EcranFileInstructionTic #compteurs-tic { margin-bottom: 1; }
    EcranFileInstructionTic #criteres { height: auto; }
    EcranFileInstructionTic #criteres > Champ { width: 1fr; margin-right: 1; }
    EcranFileInstructionTic #criteres > .boutons { width: auto; height: auto; padding-top: 1; }
    EcranFileInstructionTic #criteres > .boutons Button { margin-right: 1; }
    EcranFileInstructionTic #navigation { height: auto; margin-bottom: 1; }
    EcranFileInstructionTic #navigation Button { min-width: 20; margin-right: 1; }
    EcranFileInstructionTic #pagination { width: auto; padding: 1 1 0 1; }
    EcranFileInstructionTic #file-demandes-tic { height: 1fr; }
    """
    BINDINGS = [
        Binding("f5", "rechercher", "Rechercher"),
        Binding("f6", "effacer", "Effacer les critères"),
        Binding("f7", "page_precedente", "Page précédente"),
        Binding("f8", "page_suivante", "Page suivante"),
        Binding("f10", "ouvrir", "Instruire la demande choisie"),
        # The application's F2 says « Mémoires »: here it leads back to this queue.
        Binding("f2", "app.espace", "File des demandes"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.total = 0
        self.resultat: Page[ResumeDemandeTic] | None = None
        self.compteurs: dict[StatutDemandeTic, int] | None = None
        self._navigation: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="file-tic"):
            yield Static(
                "Instruction des demandes de remboursement TIC/TICGN",
                classes="titre",
                id="titre-file",
            )
            yield Static("", id="compteurs-tic", markup=False)
            with Horizontal(id="criteres"):
                yield Champ(
                    "État",
                    "statut",
                    Select[StatutDemandeTic](
                        [(s.libelle, s) for s in STATUTS_ENVOYES], prompt="Tous les états"
                    ),
                )
                yield Champ("Numéro de demande", "numero", Input(placeholder="DT…"))
                yield Champ("Année des livraisons", "annee", Input(placeholder="AAAA"))
                yield Champ(
                    "Ordre (mise à jour de l'état)",
                    "tri",
                    Select[bool](
                        [("Plus récentes d'abord", True), ("Plus anciennes d'abord", False)],
                        allow_blank=False,
                        value=True,
                    ),
                )
                with Vertical(classes="boutons"):
                    yield Button("Rechercher", id="rechercher", variant="primary")
                    yield Button("Effacer", id="effacer")
            yield ErreurGenerale()
            with Horizontal(id="navigation"):
                yield Button("◀ Page précédente", id="page-precedente")
                yield Static("", id="pagination")
                yield Button("Page suivante ▶", id="page-suivante")
                yield Button("Instruire la demande choisie", id="ouvrir", variant="primary")
            table: DataTable[str | Text] = DataTable(
                id="file-demandes-tic", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield Static(
                "Entrée sur une ligne : instruire la demande. Les brouillons des demandeurs "
                "n'apparaissent pas : seules les demandes envoyées sont instruites.",
                classes="aide",
            )
        yield Footer()

    def on_mount(self) -> None:
        session = chorus(self).session
        assert session is not None
        self.query_one("#titre-file", Static).update(
            "Instruction des demandes de remboursement TIC/TICGN — "
            f"{session.utilisateur.nom_complet}"
        )
        table = self.query_one("#file-demandes-tic", DataTable)
        table.add_columns(
            "Numéro",
            "SIRET",
            "Année",
            "Date de dépôt",
            "État",
            "Mise à jour",
            "Montant demandé",
            "Montant accordé",
        )
        table.focus()

    def on_screen_resume(self) -> None:
        # Back from a demande just instructed: its new state shows in the list. (Not on the
        # way out: signing out uncovers this screen once more, with nobody signed in.)
        if chorus(self).session is not None:
            self.rechercher(self.page)

    # -- searching --------------------------------------------------------------------

    def _filtres(self) -> FiltresDemandeTic:
        statut = self.query_one("#champ-statut", Select).value
        return FiltresDemandeTic(
            numero=ou_rien(valeur(self, "numero")),
            annee=lire_annee(valeur(self, "annee")),
            statuts=frozenset({statut}) if isinstance(statut, StatutDemandeTic) else frozenset(),
        )

    def _tri(self) -> TriTic:
        descendant = self.query_one("#champ-tri", Select).value
        return TriTic(CleDeTriTic.DATE_STATUT, descendant=descendant is not False)

    @work(exclusive=True, group="recherche")
    async def rechercher(self, page: int = 1) -> None:
        app = chorus(self)
        criteres = self.query_one("#file-tic", Vertical)
        table = self.query_one("#file-demandes-tic", DataTable)
        try:
            filtres = self._filtres()
        except ValidationError as erreur:
            montrer_erreur(criteres, erreur)
            return
        table.loading = True
        try:
            compteurs = await app.tenter(
                criteres, app.services.instruction_tic.compter_par_statut, app.utilisateur_id
            )
            resultat = await self._chercher(app, criteres, filtres, page)
            if resultat is not None and not resultat.elements and resultat.total and page > 1:
                # The last page emptied while away: show the new last one.
                page = nombre_de_pages(resultat.total, PAR_PAGE)
                resultat = await self._chercher(app, criteres, filtres, page)
        finally:
            table.loading = False
        if compteurs is not None:
            self.compteurs = compteurs
            self.query_one("#compteurs-tic", Static).update(texte_compteurs(compteurs))
        if resultat is not None:
            self._afficher(resultat)

    async def _chercher(
        self, app: AppChorus, criteres: Vertical, filtres: FiltresDemandeTic, page: int
    ) -> Page[ResumeDemandeTic] | None:
        return await app.tenter(
            criteres,
            app.services.instruction_tic.rechercher,
            app.utilisateur_id,
            filtres,
            self._tri(),
            Pagination(page, PAR_PAGE),
        )

    def _afficher(self, resultat: Page[ResumeDemandeTic]) -> None:
        self.resultat = resultat
        self.page = resultat.page
        self.total = resultat.total
        table = self.query_one("#file-demandes-tic", DataTable)
        choisie = self.cle_choisie
        table.clear()
        for r in resultat.elements:
            table.add_row(
                r.numero,
                r.siret or r.structure_id,
                str(r.annee),
                jour(r.date_depot),
                r.statut.libelle,
                instant(r.date_statut),
                Text(euros(r.montant_total), justify="right"),
                Text(euros(r.montant_accorde), justify="right"),
                key=r.id,
            )
        if choisie is not None and choisie in table.rows:
            table.move_cursor(row=table.get_row_index(choisie))
        pages = nombre_de_pages(resultat.total, PAR_PAGE)
        self.query_one("#pagination", Static).update(
            f"page {self.page} / {pages} — {resultat.total} demande"
            + ("s" if resultat.total > 1 else "")
        )
        self.query_one("#page-precedente", Button).disabled = self.page <= 1
        self.query_one("#page-suivante", Button).disabled = self.page >= pages
        self.query_one("#ouvrir", Button).disabled = not resultat.elements
        if (self.page, pages) != self._navigation:
            self._navigation = (self.page, pages)
            self.refresh_bindings()

    @property
    def cle_choisie(self) -> str | None:
        table = self.query_one("#file-demandes-tic", DataTable)
        if table.row_count == 0:
            return None
        cle, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return cle.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        pages = nombre_de_pages(self.total, PAR_PAGE)
        if action == "page_precedente":
            return self.page > 1
        if action == "page_suivante":
            return self.page < pages
        return True

    # -- actions ----------------------------------------------------------------------

    def action_rechercher(self) -> None:
        self.rechercher(1)

    def action_effacer(self) -> None:
        self.query_one("#champ-statut", Select).clear()
        self.query_one("#champ-numero", Input).value = ""
        self.query_one("#champ-annee", Input).value = ""
        effacer_erreurs(self.query_one("#file-tic", Vertical))
        self.rechercher(1)

    def action_page_precedente(self) -> None:
        if self.page > 1:
            self.rechercher(self.page - 1)

    def action_page_suivante(self) -> None:
        if self.page < nombre_de_pages(self.total, PAR_PAGE):
            self.rechercher(self.page + 1)

    def action_ouvrir(self) -> None:
        cle = self.cle_choisie
        if cle is not None:
            self.app.push_screen(EcranInstructionDemandeTic(cle))

    @on(Button.Pressed)
    def _bouton(self, evenement: Button.Pressed) -> None:
        # Each button does what its key does: one table rather than a handler apiece.
        actions = {
            "rechercher": self.action_rechercher,
            "effacer": self.action_effacer,
            "page-precedente": self.action_page_precedente,
            "page-suivante": self.action_page_suivante,
            "ouvrir": self.action_ouvrir,
        }
        action = actions.get(evenement.button.id or "")
        if action is not None:
            action()

    @on(Input.Submitted, "#criteres Input")
    def _critere_saisi(self) -> None:
        self.action_rechercher()

    @on(Select.Changed)
    def _critere_choisi(self) -> None:
        if self.is_mounted and self.resultat is not None:
            self.rechercher(1)

    @on(DataTable.RowSelected, "#file-demandes-tic")
    def _ligne_choisie(self, evenement: DataTable.RowSelected) -> None:
        if evenement.row_key.value is not None:
            self.app.push_screen(EcranInstructionDemandeTic(evenement.row_key.value))


# -- one demande ----------------------------------------------------------------------------


def piece_a_enregistrer(app: AppChorus, demande_id: str, piece: PieceJointe) -> AEnregistrer:
    """A pièce of a demande, read through the instructor's use case when saved."""
    lecture = app.services.instruction_tic.lire_piece
    acteur_id = app.utilisateur_id

    def lire() -> bytes:
        _, contenu = lecture(acteur_id, demande_id, piece.id)
        return contenu

    return AEnregistrer(
        titre="Enregistrer la pièce sous…",
        nom_fichier=piece.nom_fichier,
        description=f"{piece.nom_fichier} — {taille_lisible(piece.taille)}",
        lire=lire,
        enregistre="Pièce enregistrée",
    )


def _options(actions: Iterable[ActionInstructionTic]) -> list[tuple[str, ActionInstructionTic]]:
    return [(action.libelle, action) for action in actions]


class EcranInstructionDemandeTic(Screen[None]):
    """One sent demande as the instructor sees it, and the event they record."""

    TITLE = "Instruction d'une demande TIC/TICGN"
    DEFAULT_CSS = """
    EcranInstructionDemandeTic #corps { height: 1fr; }
    EcranInstructionDemandeTic #detail { width: 1fr; padding: 0 1; }
    EcranInstructionDemandeTic #formulaire-instruction {
        width: 50; height: auto; max-height: 100%; margin: 0 1;
        border: round $primary; padding: 0 1; background: $panel;
    }
    EcranInstructionDemandeTic #saisie-evenement { height: auto; }
    EcranInstructionDemandeTic #aide-action { margin-top: 1; }
    EcranInstructionDemandeTic #fichiers-demande { height: auto; margin-top: 1; }
    EcranInstructionDemandeTic #fichiers-demande Button { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("f5", "actualiser", "Actualiser"),
        Binding("ctrl+s", "enregistrer", "Enregistrer l'événement"),
        Binding("ctrl+e", "enregistrer_piece", "Enregistrer la pièce sous…"),
        Binding("ctrl+t", "telecharger_certificat", "Certificat de dépôt"),
        Binding("f2", "app.espace", "File des demandes"),
    ]

    def __init__(self, demande_id: str) -> None:
        super().__init__()
        self.demande_id = demande_id
        self.demande: DemandeTic | None = None
        self.actions: list[ActionInstructionTic] = []
        # References already announced: a replay is a no-op, said once.
        self._annoncees: set[str] = set()
        self._enregistrement_possible: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="corps"):
            with VerticalScroll(id="detail"):
                yield DetailDemandeTic()
            with VerticalScroll(id="formulaire-instruction"):
                yield Static("Enregistrer un événement", classes="titre")
                yield Static("", id="etat-courant", markup=False)
                with Vertical(id="saisie-evenement"):
                    yield Champ(
                        "Action",
                        "action",
                        Select[ActionInstructionTic]([], prompt="Choisissez l'action"),
                        obligatoire=True,
                    )
                    accorde = Champ("Montant accordé (€)", "montant_accorde", Input())
                    accorde.id = "bloc-montant_accorde"
                    yield accorde
                    motif = Champ("Motif", "motif", Input())
                    motif.id = "bloc-motif"
                    yield motif
                    yield Static("", id="aide-action", classes="aide", markup=False)
                    yield ErreurGenerale()
                    yield Button(
                        "Enregistrer l'événement", id="enregistrer-evenement", variant="primary"
                    )
                yield Static("", id="aucune-action", classes="aide", markup=False)
                with Vertical(id="fichiers-demande"):
                    yield Button("Enregistrer la pièce sous…", id="enregistrer-piece")
                    yield Button("Télécharger le certificat de dépôt", id="telecharger-certificat")
                    yield ErreurGenerale()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DetailDemandeTic).loading = True
        self._montrer_formulaire()

    def on_screen_resume(self) -> None:
        if chorus(self).session is not None:
            self.charger()

    @property
    def _saisie(self) -> Vertical:
        return self.query_one("#saisie-evenement", Vertical)

    # -- loading ----------------------------------------------------------------------

    @work(exclusive=True, group="chargement")
    async def charger(self) -> None:
        app = chorus(self)
        detail = self.query_one(DetailDemandeTic)
        try:
            demande = await app.appeler(
                app.services.instruction_tic.obtenir, app.utilisateur_id, self.demande_id
            )
        except DomainError as erreur:
            detail.loading = False
            self.demande = None
            self.actions = []
            self.query_one("#aucune-action", Static).update(erreur.message)
            self._montrer_formulaire()
            return
        detail.loading = False
        self._afficher(demande)

    def _afficher(self, demande: DemandeTic) -> None:
        nouvelle_version = self.demande is None or self.demande.version != demande.version
        self.demande = demande
        self.sub_title = f"Demande n°{demande.numero} — {demande.statut.libelle}"
        self.query_one(DetailDemandeTic).afficher(demande)
        etat = (
            f"Demande n°{demande.numero}\nÉtat : {demande.statut.libelle}\n"
            f"Montant demandé : {euros(demande.montant_total)}"
        )
        if demande.montant_accorde is not None:
            etat += f"\nMontant accordé : {euros(demande.montant_accorde)}"
        self.query_one("#etat-courant", Static).update(etat)
        actions = actions_permises(demande.statut)
        if nouvelle_version or actions != self.actions:
            # A new state: the form starts afresh, with no action chosen, so that a stray
            # second « Enregistrer » can never apply some other event.
            self.actions = actions
            self.query_one("#champ-action", Select).set_options(_options(actions))
            self.query_one("#champ-motif", Input).value = ""
            self.query_one("#champ-montant_accorde", Input).value = en_francais(
                demande.montant_total
            )
            effacer_erreurs(self._saisie)
        if not actions:
            self.query_one("#aucune-action", Static).update(
                "Aucune action n'est possible sur une demande à l'état "
                f"« {demande.statut.libelle} »."
            )
        self._montrer_formulaire()

    def _choisie(self) -> ActionInstructionTic | None:
        choisie = self.query_one("#champ-action", Select).value
        return choisie if isinstance(choisie, ActionInstructionTic) else None

    def _montrer_formulaire(self) -> None:
        actif = self.demande is not None and bool(self.actions)
        self._saisie.display = actif
        self.query_one("#aucune-action").display = not actif
        action = self._choisie()
        self.query_one("#bloc-montant_accorde").display = action is ActionInstructionTic.VALIDATION
        self.query_one("#bloc-motif").display = action in AVEC_MOTIF
        self.query_one("#aide-action", Static).update(self._aide(action))
        if actif != self._enregistrement_possible:
            self._enregistrement_possible = actif
            self.refresh_bindings()

    def _aide(self, action: ActionInstructionTic | None) -> str:
        demande = self.demande
        if demande is None or action is None:
            return ""
        texte = "L'événement sera daté de maintenant (heure de Paris)."
        if action is ActionInstructionTic.VALIDATION:
            return (
                f"Le montant accordé est prérempli avec le montant demandé "
                f"({euros(demande.montant_total)}). Un montant inférieur exige un motif. " + texte
            )
        if action is ActionInstructionTic.REJET:
            return "Le motif est obligatoire ; le demandeur le lira dans l'historique. " + texte
        if action is ActionInstructionTic.MISE_EN_PAIEMENT:
            return f"Paiement du montant accordé ({euros(demande.montant_accorde)}). " + texte
        return texte

    @on(Select.Changed, "#champ-action")
    def _action_choisie(self) -> None:
        self._montrer_formulaire()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enregistrer":
            return self.demande is not None and bool(self.actions)
        return True

    # -- recording the event ----------------------------------------------------------

    def _evenement(self, demande: DemandeTic) -> EvenementInstructionTic:
        action = self._choisie()
        if action is None:
            raise ValidationError("Choisissez l'action à enregistrer.", champ="action")
        montant_accorde = (
            ou_rien(lire_montant(valeur(self, "montant_accorde")))
            if action is ActionInstructionTic.VALIDATION
            else None
        )
        maintenant = chorus(self).services.clock.maintenant().astimezone(FUSEAU_PORTAIL)
        return EvenementInstructionTic.creer(
            action=action,
            reference=reference_evenement(demande, action),
            date_evenement=maintenant,
            motif=ou_rien(valeur(self, "motif")) if action in AVEC_MOTIF else None,
            montant_accorde=montant_accorde,
        )

    @on(Button.Pressed, "#enregistrer-evenement")
    @on(Input.Submitted, "#saisie-evenement Input")
    def action_enregistrer(self) -> None:
        demande = self.demande
        if demande is None or not self.actions:
            return
        try:
            evenement = self._evenement(demande)
        except ValidationError as erreur:
            montrer_erreur(self._saisie, erreur)
            return
        self._appliquer(demande, evenement)

    # Not exclusive: a second submission must reach the store, where its reference makes it
    # a no-op, rather than cancel the first one half-way.
    @work(group="evenement")
    async def _appliquer(self, demande: DemandeTic, evenement: EvenementInstructionTic) -> None:
        app = chorus(self)
        instruite = await app.tenter(
            self._saisie,
            app.services.instruction_tic.appliquer_evenement,
            app.utilisateur_id,
            demande.id,
            evenement,
        )
        if instruite is None:
            return
        if evenement.reference not in self._annoncees:
            self._annoncees.add(evenement.reference)
            app.notify(
                f"{ENREGISTREE[evenement.action]} : la demande n°{instruite.numero} est à "
                f"l'état « {instruite.statut.libelle} »."
            )
        self.charger()

    # -- files ------------------------------------------------------------------------

    @on(Button.Pressed, "#enregistrer-piece")
    def action_enregistrer_piece(self) -> None:
        """Save the pièce chosen in the list to a file (the instructor checks the invoices
        and the RIB before deciding)."""
        demande = self.demande
        if demande is None:
            return
        piece = self.query_one(DetailDemandeTic).piece_choisie(demande)
        if piece is not None:
            self.app.push_screen(
                EnregistrerSous(piece_a_enregistrer(chorus(self), demande.id, piece))
            )

    @on(Button.Pressed, "#telecharger-certificat")
    def action_telecharger_certificat(self) -> None:
        """The certificat de dépôt, as stored at sending: what the demandeur holds."""
        self._telecharger()

    @work(exclusive=True, group="document")
    async def _telecharger(self) -> None:
        demande = self.demande
        if demande is None:
            return
        app = chorus(self)
        zone = self.query_one("#fichiers-demande", Vertical)
        effacer_erreurs(zone)
        await telecharger(
            self,
            partial(app.services.instruction_tic.certificat_depot, app.utilisateur_id, demande.id),
            partial(montrer_erreur, zone),
        )

    # -- navigation -------------------------------------------------------------------

    def action_retour(self) -> None:
        self.app.pop_screen()

    def action_actualiser(self) -> None:
        effacer_erreurs(self._saisie)
        self.charger()
