"""The lists of support tickets: « Tickets émis » of a user (one per tab, « Actions
requises » and « Tous (sauf clôturés) ») and the back office's queue, each fetched one page
at a time through its use case, with the keyword search and « Exporter le tableau » (every
ticket of the list into a French CSV file, never over an existing one)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

import attrs
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Select, Static

from chorus.adapters.tableurs.csv_francais import enregistrer
from chorus.adapters.tableurs.tickets import csv_tickets
from chorus.adapters.tui.affichage import instant, ou_rien
from chorus.adapters.tui.ecrans.fichier import Ecrit, Progression
from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, effacer_erreurs, id_champ
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    PAR_PAGE,
    Pagineur,
    exporter_csv,
    lancer_bouton,
)
from chorus.adapters.tui.onglets.saisie_commun import valeur_choisie
from chorus.adapters.tui.widgets.tableau import nombre_de_pages
from chorus.domain.support.referentiel import Destinataire
from chorus.domain.support.ticket import StatutTicket
from chorus.ports.requetes import Page, Pagination
from chorus.ports.support import OngletTicket, ResumeTicket

VUE_A_TRAITER = OngletTicket.A_TRAITER.value
VUE_TOUS = OngletTicket.TOUS.value
VUE_TOUT = "*"
"""The agent's « Tous les statuts » (closed tickets included)."""

VUES_AGENT: tuple[tuple[str, str], ...] = (
    ("À traiter (ouverts et en cours)", VUE_A_TRAITER),
    ("Tous (sauf clôturés)", VUE_TOUS),
    ("Tous, clôturés compris", VUE_TOUT),
    *((s.libelle, s.value) for s in StatutTicket),
)


@attrs.frozen
class CriteresListe:
    """What a list shows: its tab (None: every status), a status, a destinataire (the
    back office's filters) and the keywords."""

    onglet: OngletTicket | None
    statut: StatutTicket | None = None
    destinataire: Destinataire | None = None
    q: str | None = None


def criteres_de_vue(vue: str | None, destinataire: str | None, q: str | None) -> CriteresListe:
    """The agent's queue criteria from the filters chosen on screen."""
    cible = Destinataire(destinataire) if destinataire else None
    if vue in (None, VUE_A_TRAITER):
        return CriteresListe(OngletTicket.A_TRAITER, destinataire=cible, q=q)
    if vue == VUE_TOUS:
        return CriteresListe(OngletTicket.TOUS, destinataire=cible, q=q)
    if vue == VUE_TOUT:
        return CriteresListe(None, destinataire=cible, q=q)
    return CriteresListe(None, statut=StatutTicket(vue), destinataire=cible, q=q)


def lecture_page(
    app: AppChorus, agent: bool, criteres: CriteresListe
) -> Callable[[Pagination], Page[ResumeTicket]]:
    """How one page of the list is read: the user's tickets, or the agent's queue."""
    acteur_id = app.utilisateur_id
    if agent:
        support = app.services.support

        def file(pagination: Pagination) -> Page[ResumeTicket]:
            return support.file(
                acteur_id,
                onglet=criteres.onglet,
                q=criteres.q,
                statut=criteres.statut,
                destinataire=criteres.destinataire,
                pagination=pagination,
            )

        return file
    tickets = app.services.tickets

    def lister(pagination: Pagination) -> Page[ResumeTicket]:
        return tickets.lister(
            acteur_id,
            onglet=criteres.onglet,
            q=criteres.q,
            statut=criteres.statut,
            pagination=pagination,
        )

    return lister


def lecture_tous(
    app: AppChorus, agent: bool, criteres: CriteresListe
) -> Callable[[], Sequence[ResumeTicket]]:
    """Every ticket of the list, for the export (through the use case's `tous`)."""
    acteur_id = app.utilisateur_id
    if agent:
        support = app.services.support
        return lambda: support.tous(
            acteur_id,
            onglet=criteres.onglet,
            q=criteres.q,
            statut=criteres.statut,
            destinataire=criteres.destinataire,
        )
    tickets = app.services.tickets
    return lambda: tickets.tous(
        acteur_id, onglet=criteres.onglet, q=criteres.q, statut=criteres.statut
    )


class TableTickets(DataTable[str | Text]):
    """One page of tickets, a row per ticket keyed by its numéro; Entrée opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Ouvrir")]
    DEFAULT_CSS = """
    TableTickets { height: auto; max-height: 100%; }
    """
    COLONNES = (
        ("Numéro", 13),
        ("Résumé", 24),
        ("Créé le", 16),
        ("Catégorie", 16),
        ("Sous-catégorie", 22),
        ("Statut", 14),
        ("Destinataire", 18),
    )

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for titre, largeur in self.COLONNES:
            self.add_column(titre, width=largeur)

    def afficher(self, resumes: Sequence[ResumeTicket]) -> None:
        ligne = self.cursor_row
        self.clear()
        for r in resumes:
            statut = Text(r.statut.libelle)
            if r.attente is not None:
                statut.stylize("bold")
            self.add_row(
                r.numero,
                r.resume,
                instant(r.date_creation),
                r.categorie.libelle,
                r.sous_categorie.libelle,
                statut,
                r.destinataire.libelle,
                key=r.numero,
            )
        if resumes:
            self.move_cursor(row=min(max(ligne, 0), len(resumes) - 1))


class ListeTickets(Vertical):
    """A list of tickets with its keyword search, page navigation and CSV export.

    `onglet` is the user's tab; `agent` gives the back office's queue instead, with its
    « Statut » and « Destinataire » filters. Entrée (or a click) on a row opens the ticket.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("[", "page(-1)", "Page précédente"),
        Binding("]", "page(1)", "Page suivante"),
    ]
    DEFAULT_CSS = """
    ListeTickets { padding: 0 1; height: 1fr; }
    ListeTickets .filtres { height: auto; }
    ListeTickets .filtres > Champ { width: 1fr; margin-right: 2; }
    ListeTickets > .barre-actions { margin: 0; }
    ListeTickets TableTickets { height: 1fr; }
    ListeTickets > .vide { color: $text-muted; padding: 1 0; }
    """

    def __init__(
        self,
        prefixe: str,
        *,
        onglet: OngletTicket | None = None,
        agent: bool = False,
        destinataires: Sequence[Destinataire] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.prefixe = prefixe
        self._onglet = onglet
        self.agent = agent
        self._destinataires = tuple(destinataires)
        self.criteres: CriteresListe | None = None
        self.page = 1
        self.total = 0
        self.pages_affichees = 0
        """Pages shown since mounted (what a test waits on)."""

    def champ(self, nom: str) -> str:
        """A field's name, prefixed: the two tabs of a screen have the same fields."""
        return f"{self.prefixe}.{nom}"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filtres"):
            yield Champ(
                "Recherche par mot clé",
                self.champ("q"),
                Input(placeholder="numéro, mots du résumé, de la description ou des échanges"),
            )
            if self.agent:
                yield Champ(
                    "Statut",
                    self.champ("vue"),
                    Select[str](VUES_AGENT, allow_blank=False, value=VUE_A_TRAITER),
                )
                yield Champ(
                    "Destinataire",
                    self.champ("destinataire"),
                    Select[str](((d.libelle, d.value) for d in self._destinataires), prompt="Tous"),
                )
        yield ErreurGenerale()
        with Horizontal(classes="barre-actions"):
            yield Button("Rechercher", id=f"{self.prefixe}-rechercher", variant="primary")
            yield Button("Réinitialiser les filtres", id=f"{self.prefixe}-reinitialiser")
            yield Button("Exporter le tableau", id=f"{self.prefixe}-exporter")
        yield TableTickets(id=f"{self.prefixe}-resultats")
        yield Static("Aucun ticket.", classes="vide")
        yield Pagineur(self.prefixe)

    def on_show(self) -> None:
        if self.criteres is None:
            self.action_rechercher()
        else:
            self.recharger()

    # -- the criteria --------------------------------------------------------------------

    def _input(self) -> Input:
        return self.query_one(f"#{id_champ(self.champ('q'))}", Input)

    def _select(self, nom: str) -> Select[str]:
        return self.query_one(f"#{id_champ(self.champ(nom))}", Select)

    def lire_criteres(self) -> CriteresListe:
        q = ou_rien(self._input().value)
        if self.agent:
            return criteres_de_vue(
                valeur_choisie(self._select("vue")), valeur_choisie(self._select("destinataire")), q
            )
        return CriteresListe(self._onglet, q=q)

    def action_rechercher(self) -> None:
        self.criteres = self.lire_criteres()
        self._charger(1)

    def _reinitialiser(self) -> None:
        self._input().value = ""
        if self.agent:
            self._select("vue").value = VUE_A_TRAITER
            self._select("destinataire").clear()
        effacer_erreurs(self)
        self.action_rechercher()

    def recharger(self) -> None:
        if self.criteres is not None:
            self._charger(self.page)

    @work(exclusive=True, group="liste-tickets")
    async def _charger(self, page: int) -> None:
        criteres = self.criteres
        if criteres is None:
            return
        app = chorus(self)
        table = self.query_one(TableTickets)
        table.loading = True
        resultat = await app.tenter(
            self, lecture_page(app, self.agent, criteres), Pagination(page, PAR_PAGE)
        )
        table.loading = False
        if resultat is None:
            return
        derniere = nombre_de_pages(resultat.total, PAR_PAGE)
        if not resultat.elements and page > derniere:
            self._charger(derniere)
            return
        self.page, self.total = page, resultat.total
        table.afficher(resultat.elements)
        table.display = bool(resultat.elements)
        self.query_one(".vide", Static).display = not resultat.elements
        self.query_one(Pagineur).afficher(page, resultat.total)
        self.pages_affichees += 1

    def action_page(self, sens: int) -> None:
        page = self.page + sens
        if self.criteres is not None and 1 <= page <= nombre_de_pages(self.total, PAR_PAGE):
            self._charger(page)

    @property
    def numeros(self) -> list[str]:
        """The numéros of the rows shown, top to bottom."""
        table = self.query_one(TableTickets)
        return [str(cle.value) for cle in table.rows]

    # -- events --------------------------------------------------------------------------

    @on(Input.Submitted)
    def _entree(self, evenement: Input.Submitted) -> None:
        evenement.stop()
        self.action_rechercher()

    @on(Select.Changed)
    def _filtre(self, evenement: Select.Changed) -> None:
        evenement.stop()
        if self.criteres is not None:
            self.action_rechercher()

    @on(DataTable.RowSelected)
    def _ouvrir(self, evenement: DataTable.RowSelected) -> None:
        from chorus.adapters.tui.ecrans.ticket import EcranTicket

        evenement.stop()
        if evenement.row_key.value is not None:
            self.app.push_screen(EcranTicket(evenement.row_key.value, agent=self.agent))

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        lancer_bouton(
            evenement,
            {
                f"{self.prefixe}-rechercher": self.action_rechercher,
                f"{self.prefixe}-reinitialiser": self._reinitialiser,
                f"{self.prefixe}-exporter": self.action_exporter,
                f"{self.prefixe}-precedente": lambda: self.action_page(-1),
                f"{self.prefixe}-suivante": lambda: self.action_page(1),
            },
        )

    # -- the export ----------------------------------------------------------------------

    def action_exporter(self) -> None:
        """Every ticket of the list shown (all its pages) into a CSV file."""
        criteres = self.criteres or self.lire_criteres()
        app = chorus(self)
        lire = lecture_tous(app, self.agent, criteres)

        def ecrire(chemin: Path, progression: Progression) -> int:
            resumes = lire()
            progression(0, len(resumes))
            enregistrer(chemin, csv_tickets(resumes))
            progression(len(resumes), len(resumes))
            return len(resumes)

        def succes(ecrit: Ecrit) -> str:
            s = "s" if ecrit.nombre > 1 else ""
            return f"{ecrit.nombre} ticket{s} exporté{s} dans « {ecrit.chemin} »."

        exporter_csv(
            self,
            titre="Exporter le tableau des tickets en CSV",
            defaut=f"tickets-{app.services.clock.aujourdhui():%Y%m%d}.csv",
            ecrire=ecrire,
            succes=succes,
            aide=(
                "Tous les tickets de la liste affichée (toutes ses pages) ; un fichier "
                "existant n'est jamais remplacé."
            ),
        )
