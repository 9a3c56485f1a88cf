"""The back office: the agent's (or comptable's) queue of the mémoires sent to their
juridictions, and the processing of one of them — mise à disposition, suspension,
certification, refus, mise en paiement — each as an event of the domain."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from chorus.adapters.tui.affichage import euros, instant, lire_montant, ou_rien
from chorus.adapters.tui.ecrans.lots_statuts import EcranLotStatuts
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.widgets.detail_memoire import DetailMemoire
from chorus.adapters.tui.widgets.documents import DocumentDuMemoire, telecharger
from chorus.adapters.tui.widgets.modales import EnregistrerSous, piece_a_enregistrer
from chorus.adapters.tui.widgets.tableau import nombre_de_pages
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import TRANSITIONS, StatutMemoire
from chorus.domain.traitement import (
    INTERVENANT_PAR_ACTION,
    ROLE_PAR_INTERVENANT,
    ActionTraitement,
    EvenementTraitement,
)
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import (
    PAR_PAGE_DEFAUT,
    CleDeTri,
    FiltresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
    Tri,
)

PAR_PAGE = PAR_PAGE_DEFAUT

ENREGISTREE = {
    ActionTraitement.MISE_A_DISPOSITION: "Mise à disposition enregistrée",
    ActionTraitement.SUSPENSION: "Suspension enregistrée",
    ActionTraitement.CERTIFICATION: "Certification enregistrée",
    ActionTraitement.REFUS: "Refus enregistré",
    ActionTraitement.MISE_EN_PAIEMENT: "Mise en paiement enregistrée",
}


def actions_permises(agent: Utilisateur, statut: StatutMemoire) -> list[ActionTraitement]:
    """The events `agent` may record on a mémoire at `statut`: those of their role (read
    from the domain's tables) that the status table allows from there."""
    return [
        action
        for action in ActionTraitement
        if ROLE_PAR_INTERVENANT.get(INTERVENANT_PAR_ACTION[action]) is agent.role
        and statut in TRANSITIONS[action.statut][0]
    ]


def reference_evenement(memoire: Memoire, action: ActionTraitement) -> str:
    """The event's reference: the same form submitted twice on the same version of the
    mémoire gives the same reference, which the domain applies only once."""
    return f"TUI-{memoire.id}-v{memoire.version}-{action.value}"


def lire_instant(texte: str, champ: str = "date_evenement") -> datetime:
    """An instant typed ``JJ/MM/AAAA HH:MM`` (or a day alone: midnight) in Paris time."""
    brut = " ".join(texte.split())
    if not brut:
        raise ValidationError("Ce champ est obligatoire : une date JJ/MM/AAAA HH:MM.", champ=champ)
    for forme in ("%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(brut, forme).replace(tzinfo=FUSEAU_PORTAIL)
        except ValueError:
            continue
    raise ValidationError(
        f"« {brut[:20]} » n'est pas une date : écrivez-la JJ/MM/AAAA HH:MM (heure de Paris).",
        champ=champ,
    )


def maintenant_a_paris(node: Screen[None]) -> str:
    return instant(chorus(node).services.clock.maintenant())


# -- the queue ----------------------------------------------------------------------------


class EcranFileTraitement(Screen[None]):
    """The agent's home: the sent mémoires of their juridictions, 50 a page."""

    TITLE = "Traitement des mémoires"
    DEFAULT_CSS = """
    EcranFileTraitement #file { padding: 0 1; height: 1fr; }
    EcranFileTraitement #criteres { height: auto; }
    EcranFileTraitement #criteres > Champ { width: 1fr; margin-right: 1; }
    EcranFileTraitement #criteres > .boutons { width: auto; height: auto; padding-top: 1; }
    EcranFileTraitement #criteres > .boutons Button { margin-right: 1; }
    EcranFileTraitement #navigation { height: auto; margin-bottom: 1; }
    EcranFileTraitement #navigation Button { min-width: 20; margin-right: 1; }
    EcranFileTraitement #pagination { width: auto; padding: 1 1 0 1; }
    EcranFileTraitement #file-memoires { height: 1fr; }
    """
    BINDINGS = [
        Binding("f5", "rechercher", "Rechercher"),
        Binding("f6", "effacer", "Effacer les critères"),
        Binding("f7", "page_precedente", "Page précédente"),
        Binding("f8", "page_suivante", "Page suivante"),
        Binding("f10", "ouvrir", "Traiter le mémoire choisi"),
        Binding("f11", "importer_lot", "Importer un lot de statuts"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page = 1
        self.total = 0
        self.resultat: Page[ResumeMemoire] | None = None
        self._navigation: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="file"):
            yield Static("Mémoires à traiter", classes="titre", id="titre-file")
            with Horizontal(id="criteres"):
                yield Champ(
                    "État",
                    "statut",
                    Select[StatutMemoire](
                        [(s.libelle, s) for s in StatutMemoire if s.envoye],
                        prompt="Tous les états",
                    ),
                )
                yield Champ("Numéro de mémoire", "numero", Input(placeholder="MJ…"))
                yield Champ(
                    "Juridiction",
                    "juridiction_code",
                    Select[str]([], prompt="Toutes mes juridictions"),
                )
                yield Champ(
                    "Ordre (date de mise à jour)",
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
                yield Button("Traiter le mémoire choisi", id="ouvrir", variant="primary")
                yield Button("Importer un lot de statuts", id="importer-lot")
            table: DataTable[str | Text] = DataTable(
                id="file-memoires", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield Static(
                "Entrée sur une ligne : traiter le mémoire. La date de mise à jour est celle à "
                "laquelle le portail a enregistré l'état, et non celle de l'événement.",
                classes="aide",
            )
        yield Footer()

    def on_mount(self) -> None:
        app = chorus(self)
        session = app.session
        assert session is not None
        agent = session.utilisateur
        referentiels = app.services.referentiels
        if agent.juridictions:
            juridictions = [
                (code, j.nom if (j := referentiels.juridiction(code)) else code)
                for code in sorted(agent.juridictions)
            ]
            titre = "Mémoires transmis à " + ", ".join(nom for _, nom in juridictions)
        else:
            juridictions = [(j.code, j.nom) for j in referentiels.juridictions()]
            titre = "Mémoires transmis à toutes les juridictions"
        self.query_one("#titre-file", Static).update(f"{titre} — {agent.nom_complet}")
        self.query_one("#champ-juridiction_code", Select).set_options(
            (f"{nom} ({code})", code) for code, nom in juridictions
        )
        table = self.query_one("#file-memoires", DataTable)
        table.add_columns(
            "Numéro",
            "Juridiction",
            "État",
            "Date de dépôt",
            "Mise à jour de l'état",
            "Montant TTC",
            "Net à payer",
            "Montant payé",
        )
        table.focus()

    def on_screen_resume(self) -> None:
        # Back from a mémoire just processed: its new state shows in the list. (Not on the
        # way out: signing out uncovers this screen once more, with nobody signed in.)
        if chorus(self).session is not None:
            self.rechercher(self.page)

    # -- searching --------------------------------------------------------------------

    def _filtres(self) -> FiltresMemoire:
        statut = self.query_one("#champ-statut", Select).value
        juridiction = self.query_one("#champ-juridiction_code", Select).value
        return FiltresMemoire(
            numero=ou_rien(valeur(self, "numero")),
            juridiction_code=juridiction if isinstance(juridiction, str) else None,
            statuts=frozenset({statut}) if isinstance(statut, StatutMemoire) else frozenset(),
        )

    def _tri(self) -> Tri:
        descendant = self.query_one("#champ-tri", Select).value
        return Tri(CleDeTri.DATE_STATUT, descendant=descendant is not False)

    @work(exclusive=True, group="recherche")
    async def rechercher(self, page: int = 1) -> None:
        app = chorus(self)
        criteres = self.query_one("#file", Vertical)
        table = self.query_one("#file-memoires", DataTable)
        try:
            filtres = self._filtres()
        except ValidationError as erreur:
            montrer_erreur(criteres, erreur)
            return
        table.loading = True
        try:
            resultat = await app.tenter(
                criteres,
                app.services.traitement.rechercher,
                app.utilisateur_id,
                filtres,
                self._tri(),
                Pagination(page, PAR_PAGE),
            )
            if resultat is not None and not resultat.elements and resultat.total and page > 1:
                # The last page emptied while away (mémoires processed): show the new last one.
                page = nombre_de_pages(resultat.total, PAR_PAGE)
                resultat = await app.tenter(
                    criteres,
                    app.services.traitement.rechercher,
                    app.utilisateur_id,
                    filtres,
                    self._tri(),
                    Pagination(page, PAR_PAGE),
                )
        finally:
            table.loading = False
        if resultat is not None:
            self._afficher(resultat)

    def _afficher(self, resultat: Page[ResumeMemoire]) -> None:
        self.resultat = resultat
        self.page = resultat.page
        self.total = resultat.total
        table = self.query_one("#file-memoires", DataTable)
        choisie = self.cle_choisie
        table.clear()
        for r in resultat.elements:
            table.add_row(
                r.numero,
                r.juridiction_code,
                r.statut.libelle,
                instant(r.date_depot),
                instant(r.date_statut),
                Text(euros(r.montant_ttc), justify="right"),
                Text(euros(r.net_a_payer), justify="right"),
                Text(euros(r.montant_paye), justify="right"),
                key=r.id,
            )
        if choisie is not None and choisie in table.rows:
            table.move_cursor(row=table.get_row_index(choisie))
        pages = nombre_de_pages(resultat.total, PAR_PAGE)
        self.query_one("#pagination", Static).update(
            f"page {self.page} / {pages} — {resultat.total} mémoire"
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
        table = self.query_one("#file-memoires", DataTable)
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
        self.query_one("#champ-juridiction_code", Select).clear()
        self.query_one("#champ-numero", Input).value = ""
        effacer_erreurs(self.query_one("#file", Vertical))
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
            chorus(self).ouvrir_traitement(cle)

    def action_importer_lot(self) -> None:
        self.app.push_screen(EcranLotStatuts())

    @on(Button.Pressed)
    def _bouton(self, evenement: Button.Pressed) -> None:
        # Each button does what its key does: one table rather than a handler apiece.
        actions = {
            "rechercher": self.action_rechercher,
            "effacer": self.action_effacer,
            "page-precedente": self.action_page_precedente,
            "page-suivante": self.action_page_suivante,
            "ouvrir": self.action_ouvrir,
            "importer-lot": self.action_importer_lot,
        }
        action = actions.get(evenement.button.id or "")
        if action is not None:
            action()

    @on(Input.Submitted, "#champ-numero")
    def _numero_saisi(self) -> None:
        self.action_rechercher()

    @on(Select.Changed)
    def _critere_choisi(self) -> None:
        if self.is_mounted and self.resultat is not None:
            self.rechercher(1)

    @on(DataTable.RowSelected, "#file-memoires")
    def _ligne_choisie(self, evenement: DataTable.RowSelected) -> None:
        if evenement.row_key.value is not None:
            chorus(self).ouvrir_traitement(evenement.row_key.value)


# -- one mémoire ----------------------------------------------------------------------------


class EcranTraitementMemoire(Screen[None]):
    """One sent mémoire as the back office sees it, and the event the agent records."""

    TITLE = "Traitement d'un mémoire"
    DEFAULT_CSS = """
    EcranTraitementMemoire #corps { height: 1fr; }
    EcranTraitementMemoire #detail { width: 1fr; padding: 0 1; }
    EcranTraitementMemoire #formulaire-traitement {
        width: 50; height: auto; max-height: 100%; margin: 0 1;
        border: round $primary; padding: 0 1; background: $panel;
    }
    EcranTraitementMemoire #aide-action { margin-top: 1; }
    EcranTraitementMemoire #fichiers-memoire { height: auto; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("f5", "actualiser", "Actualiser"),
        Binding("ctrl+s", "enregistrer", "Enregistrer l'événement"),
        Binding("ctrl+e", "enregistrer_piece", "Enregistrer la pièce sous…"),
        Binding("ctrl+t", "telecharger_certificat", "Certificat de dépôt"),
        Binding("ctrl+p", "telecharger_memoire", "Mémoire (PDF)"),
    ]

    def __init__(self, memoire_id: str) -> None:
        super().__init__()
        self.memoire_id = memoire_id
        self.memoire: Memoire | None = None
        self.actions: list[ActionTraitement] = []
        # References already announced: a replay is a no-op, said once.
        self._annoncees: set[str] = set()
        self._enregistrement_possible: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="corps"):
            with VerticalScroll(id="detail"):
                yield DetailMemoire()
            with VerticalScroll(id="formulaire-traitement"):
                yield Static("Enregistrer un événement", classes="titre")
                yield Static("", id="etat-courant", markup=False)
                with Vertical(id="saisie-evenement"):
                    yield Champ(
                        "Action",
                        "action",
                        Select[ActionTraitement]([], prompt="Choisissez l'action"),
                        obligatoire=True,
                    )
                    yield Champ(
                        "Date de l'événement, heure de Paris",
                        "date_evenement",
                        Input(placeholder="JJ/MM/AAAA HH:MM"),
                        obligatoire=True,
                    )
                    yield Champ("Motif", "motif", Input())
                    certifie = Champ("Montant certifié (€)", "montant_certifie", Input())
                    certifie.id = "bloc-montant_certifie"
                    yield certifie
                    paye = Champ("Montant payé (€)", "montant_paye", Input())
                    paye.id = "bloc-montant_paye"
                    yield paye
                    yield Static("", id="aide-action", classes="aide", markup=False)
                    yield ErreurGenerale()
                    yield Button(
                        "Enregistrer l'événement", id="enregistrer-evenement", variant="primary"
                    )
                yield Static("", id="aucune-action", classes="aide", markup=False)
                with Vertical(id="fichiers-memoire"):
                    yield Button("Enregistrer la pièce sous…", id="enregistrer_piece")
                    for document in DocumentDuMemoire:
                        yield Button(document.libelle, id=document.value)
                    yield ErreurGenerale()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DetailMemoire).loading = True
        self.query_one("#champ-date_evenement", Input).value = maintenant_a_paris(self)
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
        detail = self.query_one(DetailMemoire)
        try:
            memoire = await detail.attendre(
                app.appeler(app.services.traitement.obtenir, app.utilisateur_id, self.memoire_id)
            )
        except DomainError as erreur:
            self.memoire = None
            self.query_one("#aucune-action", Static).update(erreur.message)
            self._montrer_formulaire()
            return
        self._afficher(memoire)

    def _afficher(self, memoire: Memoire) -> None:
        app = chorus(self)
        session = app.session
        assert session is not None
        nouvelle_version = self.memoire is None or self.memoire.version != memoire.version
        self.memoire = memoire
        self.sub_title = f"Mémoire n°{memoire.numero} — {memoire.statut.libelle}"
        self.query_one(DetailMemoire).afficher(memoire)
        self.query_one("#etat-courant", Static).update(
            f"Mémoire n°{memoire.numero}\nÉtat : {memoire.statut.libelle}\n"
            f"Net à payer : {euros(memoire.totaux.net_a_payer)}"
            + (
                f"\nMontant certifié : {euros(memoire.montant_certifie)}"
                if memoire.montant_certifie is not None
                else ""
            )
        )
        actions = actions_permises(session.utilisateur, memoire.statut)
        if nouvelle_version or actions != self.actions:
            # A new state: the form starts afresh, with no action chosen, so that a stray
            # second « Enregistrer » can never apply some other event.
            self.actions = actions
            self.query_one("#champ-action", Select).set_options(
                (action.libelle.capitalize(), action) for action in actions
            )
            for champ in ("motif", "montant_certifie", "montant_paye"):
                self.query_one(f"#champ-{champ}", Input).value = ""
            self.query_one("#champ-date_evenement", Input).value = maintenant_a_paris(self)
        if not actions:
            role = session.utilisateur.role
            self.query_one("#aucune-action", Static).update(
                f"Aucune action n'est possible pour le rôle « {role.libelle if role else '—'} » "
                f"sur un mémoire à l'état « {memoire.statut.libelle} »."
            )
        self._montrer_formulaire()

    def _montrer_formulaire(self) -> None:
        actif = self.memoire is not None and bool(self.actions)
        self._saisie.display = actif
        self.query_one("#aucune-action").display = not actif
        choisie = self.query_one("#champ-action", Select).value
        action = choisie if isinstance(choisie, ActionTraitement) else None
        self.query_one("#bloc-montant_certifie").display = action is ActionTraitement.CERTIFICATION
        self.query_one("#bloc-montant_paye").display = action is ActionTraitement.MISE_EN_PAIEMENT
        self.query_one("#aide-action", Static).update(self._aide(action))
        if actif != self._enregistrement_possible:
            self._enregistrement_possible = actif
            self.refresh_bindings()

    def _aide(self, action: ActionTraitement | None) -> str:
        memoire = self.memoire
        if memoire is None or action is None:
            return ""
        net = euros(memoire.totaux.net_a_payer)
        if action is ActionTraitement.CERTIFICATION:
            return (
                f"Laissez le montant vide pour certifier le montant demandé ({net}). Un montant "
                "inférieur (taxation) exige un motif."
            )
        if action is ActionTraitement.MISE_EN_PAIEMENT:
            certifie = euros(memoire.montant_certifie) or net
            return f"Laissez le montant vide pour payer le montant certifié ({certifie})."
        if action.motif_obligatoire:
            return "Le motif est obligatoire ; le prestataire le lira dans l'historique."
        return ""

    @on(Select.Changed, "#champ-action")
    def _action_choisie(self) -> None:
        self._montrer_formulaire()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enregistrer":
            return self.memoire is not None and bool(self.actions)
        return True

    # -- recording the event ----------------------------------------------------------

    def _evenement(self, memoire: Memoire) -> EvenementTraitement:
        choisie = self.query_one("#champ-action", Select).value
        if not isinstance(choisie, ActionTraitement):
            raise ValidationError("Choisissez l'action à enregistrer.", champ="action")
        montant_certifie = (
            ou_rien(lire_montant(valeur(self, "montant_certifie")))
            if choisie is ActionTraitement.CERTIFICATION
            else None
        )
        montant_paye = (
            ou_rien(lire_montant(valeur(self, "montant_paye")))
            if choisie is ActionTraitement.MISE_EN_PAIEMENT
            else None
        )
        return EvenementTraitement.creer(
            action=choisie,
            reference=reference_evenement(memoire, choisie),
            date_evenement=lire_instant(valeur(self, "date_evenement")),
            motif=ou_rien(valeur(self, "motif")),
            montant_certifie=montant_certifie,
            montant_paye=montant_paye,
        )

    @on(Button.Pressed, "#enregistrer-evenement")
    @on(Input.Submitted, "#saisie-evenement Input")
    def action_enregistrer(self) -> None:
        memoire = self.memoire
        if memoire is None or not self.actions:
            return
        try:
            evenement = self._evenement(memoire)
        except ValidationError as erreur:
            montrer_erreur(self._saisie, erreur)
            return
        self._appliquer(memoire, evenement)

    # Not exclusive: a second submission must reach the store, where its reference makes it
    # a no-op, rather than cancel the first one half-way.
    @work(group="evenement")
    async def _appliquer(self, memoire: Memoire, evenement: EvenementTraitement) -> None:
        app = chorus(self)
        traite = await app.tenter(
            self._saisie,
            app.services.traitement.appliquer_evenement,
            app.utilisateur_id,
            memoire.id,
            evenement,
        )
        if traite is None:
            return
        if evenement.reference not in self._annoncees:
            self._annoncees.add(evenement.reference)
            app.notify(
                f"{ENREGISTREE[evenement.action]} : le mémoire n°{traite.numero} est à l'état "
                f"« {traite.statut.libelle} »."
            )
        self.charger()

    # -- navigation -------------------------------------------------------------------

    @on(Button.Pressed, "#enregistrer_piece")
    def action_enregistrer_piece(self) -> None:
        """Save the pièce chosen in the detail's list to a file (the agent checks the
        invoices and the RIB before deciding)."""
        memoire = self.memoire
        if memoire is None:
            return
        piece = self.query_one(DetailMemoire).piece_choisie(memoire)
        if piece is not None:
            self.app.push_screen(
                EnregistrerSous(
                    piece_a_enregistrer(chorus(self), memoire.id, piece, back_office=True)
                )
            )

    @on(Button.Pressed, "#telecharger_certificat")
    def action_telecharger_certificat(self) -> None:
        """The certificat de dépôt, as stored at sending: what the prestataire holds."""
        self._telecharger(DocumentDuMemoire.CERTIFICAT_DEPOT)

    @on(Button.Pressed, "#telecharger_memoire")
    def action_telecharger_memoire(self) -> None:
        self._telecharger(DocumentDuMemoire.MEMOIRE)

    @work(exclusive=True, group="document")
    async def _telecharger(self, document: DocumentDuMemoire) -> None:
        memoire = self.memoire
        if memoire is None:
            return
        zone = self.query_one("#fichiers-memoire", Vertical)
        effacer_erreurs(zone)
        await telecharger(
            self,
            document.lecture(chorus(self), memoire.id, back_office=True),
            partial(montrer_erreur, zone),
        )

    def action_retour(self) -> None:
        self.app.pop_screen()

    def action_actualiser(self) -> None:
        effacer_erreurs(self._saisie)
        self.charger()
