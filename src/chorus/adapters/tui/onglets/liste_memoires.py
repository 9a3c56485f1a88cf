"""What the tabs listing mémoires share: the table of one page of mémoires, the page
navigation, the paged search behind Rechercher and Archives, and the writers behind
« Exporter en CSV » and « Télécharger » (run by `EcranFichier` in a worker thread)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

import attrs
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tableurs.csv_francais import (
    ENTETE_MEMOIRES,
    PAGE_EXPORT,
    Cellule,
    encoder,
    enregistrer,
    lignes_memoires,
)
from chorus.adapters.tui.affichage import euros, jour
from chorus.adapters.tui.ecrans.fichier import EcranFichier, Ecrit, Ecriture, Progression
from chorus.adapters.tui.formulaires import effacer_erreurs, montrer_erreur
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.widgets.tableau import nombre_de_pages
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.ports.requetes import FiltresMemoire, Page, Pagination, ResumeMemoire, Tri

PAR_PAGE = 50
"""Rows a table shows at once: a DataTable builds every cell when filled."""

MARQUE = "✔"

CelluleTable = str | Text
"""A cell of a table: text, or rich text aligned right for an amount."""

C = TypeVar("C")


def resultats(total: int) -> str:
    return f"{total} résultat{'s' if total > 1 else ''}"


def libelle_pages(page: int, total: int, par_page: int = PAR_PAGE) -> str:
    """« page 2 / 5 — 213 résultats »."""
    return f"page {page} / {nombre_de_pages(total, par_page)} — {resultats(total)}"


def a_droite(texte: str) -> Text:
    """A cell aligned right (amounts)."""
    return Text(texte, justify="right")


def prefixer(erreur: DomainError, prefixe: str) -> DomainError:
    """A refusal of the domain naming fields of a tab whose fields are prefixed.

    The tabs share one screen, and the Saisir tab already uses the domain's plain names
    (``numero_affaire``, ``service_id``…): the criteria of a list are named
    ``<prefixe>.<champ>`` so that each id is found once on the screen."""
    return erreur.prefixee(prefixe) if isinstance(erreur, ValidationError) else erreur


async def mes_structures(noeud: Widget) -> Sequence[Structure] | None:
    """The structures the user belongs to, or None after saying why in a notification."""
    app = chorus(noeud)
    try:
        return await app.appeler(app.services.structures.mes_structures, app.utilisateur_id)
    except DomainError as erreur:
        noeud.notify(erreur.message, severity="error", timeout=8)
        return None


async def noms_des_structures(app: AppChorus) -> dict[str, str]:
    """The raison sociale of each structure the user belongs to, by id."""
    structures = await app.appeler(app.services.structures.mes_structures, app.utilisateur_id)
    return {s.id: s.raison_sociale for s in structures}


@attrs.frozen
class ColonneMemoire:
    """A column of `TableMemoires`: its key, heading, fixed width and cell."""

    cle: str
    titre: str
    largeur: int
    cellule: Callable[[ResumeMemoire, Mapping[str, str]], CelluleTable]
    """The cell of a mémoire, given the structures' names by id."""


NUMERO = ColonneMemoire("numero", "Numéro", 16, lambda r, _: r.numero)  # TMP2024 + 9 digits
STRUCTURE = ColonneMemoire(
    "structure", "Structure", 15, lambda r, noms: noms.get(r.structure_id, r.structure_id)
)
JURIDICTION = ColonneMemoire("juridiction", "Juridiction", 11, lambda r, _: r.juridiction_code)
ETAT = ColonneMemoire("etat", "État", 19, lambda r, _: r.statut.libelle)  # « Dupliqué post refus »
DATE_STATUT = ColonneMemoire("date_statut", "Mise à jour", 11, lambda r, _: jour(r.date_statut))
DATE_DEPOT = ColonneMemoire("date_depot", "Dépôt", 10, lambda r, _: jour(r.date_depot))
TTC = ColonneMemoire("ttc", "Montant TTC", 12, lambda r, _: a_droite(euros(r.montant_ttc)))
NET = ColonneMemoire("net", "Net à payer", 12, lambda r, _: a_droite(euros(r.net_a_payer)))


def affaires(largeur: int) -> ColonneMemoire:
    return ColonneMemoire(
        "affaires", "N° d'affaire", largeur, lambda r, _: ", ".join(r.numeros_affaire)
    )


COLONNES = (NUMERO, STRUCTURE, JURIDICTION, ETAT, DATE_STATUT, DATE_DEPOT, TTC, NET, affaires(14))
"""138 columns in all (each has one space of padding on both sides), the width of a
140-column terminal: a longer name is cut."""


class TableMemoires(DataTable[CelluleTable]):
    """One page of mémoires, a row per mémoire keyed by its id; Entrée opens the row's
    mémoire (the tab handles `DataTable.RowSelected`)."""

    BINDINGS = [Binding("enter", "select_cursor", "Ouvrir")]

    DEFAULT_CSS = """
    TableMemoires { height: auto; max-height: 100%; }
    """

    def __init__(
        self,
        *,
        id: str,
        marquable: bool = False,
        colonnes: Sequence[ColonneMemoire] = COLONNES,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._marquable = marquable
        self._colonnes = tuple(colonnes)
        self.resumes: dict[str, ResumeMemoire] = {}

    def on_mount(self) -> None:
        # Fixed widths: auto-sized columns are measured on a later refresh than the rows,
        # and a page shown while its tab is hidden kept the headers' widths (cells cut).
        if self._marquable:
            self.add_column(" ", key="marque", width=1)
        for colonne in self._colonnes:
            self.add_column(colonne.titre, key=colonne.cle, width=colonne.largeur)

    def afficher(
        self,
        resumes: Sequence[ResumeMemoire],
        structures: Mapping[str, str],
        marques: Set[str] = frozenset(),
    ) -> None:
        """Replace the rows by `resumes`, keeping the cursor's place when it can."""
        ligne = self.cursor_row
        self.clear()
        self.resumes = {r.id: r for r in resumes}
        for r in resumes:
            cellules: list[CelluleTable] = (
                [MARQUE if r.id in marques else ""] if self._marquable else []
            )
            cellules += [colonne.cellule(r, structures) for colonne in self._colonnes]
            self.add_row(*cellules, key=r.id)
        if resumes:
            self.move_cursor(row=min(max(ligne, 0), len(resumes) - 1))

    @property
    def courant(self) -> ResumeMemoire | None:
        """The mémoire of the cursor's row."""
        if not self.resumes or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        cle = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if cle is None else self.resumes.get(cle)

    def marquer(self, memoire_id: str, marque: bool) -> None:
        self.update_cell(memoire_id, "marque", MARQUE if marque else "")


class Pagineur(Horizontal):
    """« ◀ Page précédente », « page X / Y — N résultats », « Page suivante ▶ »; the tab
    handles the buttons (ids ``<prefixe>-precedente``, ``<prefixe>-suivante``)."""

    DEFAULT_CSS = """
    Pagineur { height: auto; margin: 1 0 0 0; }
    Pagineur > Static { width: auto; padding: 1 2; }
    """

    def __init__(self, prefixe: str) -> None:
        super().__init__(id=f"{prefixe}-pagination")
        self._prefixe = prefixe

    def compose(self) -> ComposeResult:
        yield Button("◀ Page précédente", id=f"{self._prefixe}-precedente", disabled=True)
        yield Static("", id=f"{self._prefixe}-pages")
        yield Button("Page suivante ▶", id=f"{self._prefixe}-suivante", disabled=True)

    def afficher(self, page: int, total: int, par_page: int = PAR_PAGE) -> None:
        self.query_one(f"#{self._prefixe}-pages", Static).update(
            libelle_pages(page, total, par_page)
        )
        self.query_one(f"#{self._prefixe}-precedente", Button).disabled = page <= 1
        self.query_one(f"#{self._prefixe}-suivante", Button).disabled = page >= nombre_de_pages(
            total, par_page
        )


class ListePaginee(Vertical, Generic[C]):
    """Base of the tabs showing a search of mémoires one page at a time (Rechercher,
    Archives): the criteria of the rows shown, the page, the table and its navigation.

    A subclass composes a `TableMemoires` with id ``<PREFIXE>-resultats`` and a
    ``Pagineur(PREFIXE)``, says in `lecture` which use case reads a page for its criteria
    (of type C), and calls `chercher` with them."""

    PREFIXE: ClassVar[str]

    BINDINGS = [
        Binding("[,f7", "page_precedente", "Page précédente"),
        Binding("],f8", "page_suivante", "Page suivante"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.criteres: C | None = None
        """What the rows shown were searched by (None before the first search)."""
        self.page = 1
        self.total = 0
        self.noms: dict[str, str] = {}
        self.pages_affichees = 0
        """Pages shown since the tab was mounted: what a test or the benchmark waits on."""
        self._generation = 0
        self._focaliser = False

    @property
    def table(self) -> TableMemoires:
        return self.query_one(f"#{self.PREFIXE}-resultats", TableMemoires)

    def marques(self) -> Set[str]:
        """The ids of the rows shown marked."""
        return frozenset()

    def lecture(self, criteres: C) -> Callable[[Pagination], Page[ResumeMemoire]]:
        """The use case call answering a page of the mémoires `criteres` select (run in a
        worker thread; a refusal naming a field is shown under the tab's prefixed field)."""
        raise NotImplementedError

    def chercher(self, criteres: C, page: int = 1, *, focaliser: bool = False) -> None:
        """Search by these criteria from now on, and show `page` of the results; with
        `focaliser`, the results get the focus once shown (a loading table cannot take it)."""
        self.criteres = criteres
        self.page = page
        self._focaliser = self._focaliser or focaliser
        self._charger(page)

    def recharger(self) -> None:
        """The current page again (after a change of the mémoires)."""
        if self.criteres is not None:
            self._charger(self.page)

    @work(exclusive=True, group="liste")
    async def _charger(self, page: int) -> None:
        if self.criteres is None:
            return
        lecture = self.lecture(self.criteres)
        app = chorus(self)
        self._generation += 1
        generation = self._generation
        table = self.table
        table.loading = True
        try:
            if not self.noms:
                try:
                    self.noms = await noms_des_structures(app)
                except DomainError as erreur:
                    # The rows still show, with the structures' ids.
                    self.notify(erreur.message, severity="error", timeout=8)
            try:
                resultat = await app.appeler(lecture, Pagination(page, PAR_PAGE))
            except DomainError as erreur:
                montrer_erreur(self, prefixer(erreur, self.PREFIXE))
                return
            effacer_erreurs(self)
            derniere = nombre_de_pages(resultat.total, PAR_PAGE)
            if not resultat.elements and page > derniere:
                # Rows were deleted meanwhile: the page asked is gone, show the last one.
                self._charger(derniere)
                return
            self.page, self.total = page, resultat.total
            table.afficher(resultat.elements, self.noms, self.marques())
            self.query_one(Pagineur).afficher(page, resultat.total)
            self.pages_affichees += 1
            self.apres_chargement()
        finally:
            if generation == self._generation:
                table.loading = False
                if self._focaliser:
                    # At once: `focus()` waits for the next turn, when another reload
                    # (the tab shown meanwhile) may have made the table unfocusable again.
                    self._focaliser = False
                    self.screen.set_focus(table)

    def apres_chargement(self) -> None:
        """Called once a page is shown."""

    def action_page_precedente(self) -> None:
        if self.criteres is not None and self.page > 1:
            self._charger(self.page - 1)

    def action_page_suivante(self) -> None:
        if self.criteres is not None and self.page < nombre_de_pages(self.total, PAR_PAGE):
            self._charger(self.page + 1)

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        if evenement.button.id == f"{self.PREFIXE}-precedente":
            evenement.stop()
            self.action_page_precedente()
        elif evenement.button.id == f"{self.PREFIXE}-suivante":
            evenement.stop()
            self.action_page_suivante()

    @on(DataTable.RowSelected)
    def _ouvrir(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        if evenement.row_key.value is not None:
            chorus(self).ouvrir_memoire(evenement.row_key.value)


# -- writers run by EcranFichier ---------------------------------------------------------


def lancer_bouton(evenement: Button.Pressed, actions: Mapping[str, Callable[[], object]]) -> None:
    """Run the action `actions` gives for the pressed button's id, and stop the event
    there; a button not in `actions` is left to the other handlers."""
    action = actions.get(evenement.button.id or "")
    if action is not None:
        evenement.stop()
        action()


def exporter_csv(
    noeud: Widget,
    *,
    titre: str,
    defaut: str,
    ecrire: Ecriture,
    succes: Callable[[Ecrit], str],
    aide: str = "",
) -> None:
    """Ask where to write a CSV export (`EcranFichier`, pre-filled with `defaut`), write it
    with `ecrire`, then tell the user `succes` of what was written (nothing if cancelled)."""

    def exporte(ecrit: Ecrit | None) -> None:
        if ecrit is not None:
            noeud.notify(succes(ecrit))

    noeud.app.push_screen(
        EcranFichier(titre=titre, libelle="Fichier CSV", defaut=defaut, ecrire=ecrire, aide=aide),
        exporte,
    )


class Compteur:
    """Counts the rows flowing to the file and reports every `pas` of them."""

    def __init__(self, progression: Progression, total: int | None, pas: int = 100) -> None:
        self.nombre = 0
        self._progression = progression
        self._total = total
        self._pas = pas

    def suivre(self, lignes: Iterator[tuple[Cellule, ...]]) -> Iterator[tuple[Cellule, ...]]:
        for ligne in lignes:
            self.nombre += 1
            if self.nombre % self._pas == 0:
                self._progression(self.nombre, self._total)
            yield ligne
        self._progression(self.nombre, self._total)


def ecriture_memoires(app: AppChorus, filtres: FiltresMemoire, tri: Tri) -> Ecriture:
    """Every mémoire of a search into a French CSV file, fetched page after page."""
    consultation = app.services.consultation
    acteur_id = app.utilisateur_id

    def ecrire(chemin: Path, progression: Progression) -> int:
        def charger(pagination: Pagination) -> Page[ResumeMemoire]:
            return consultation.rechercher(acteur_id, filtres, tri, pagination)

        premiere = charger(Pagination(1, PAGE_EXPORT))
        compteur = Compteur(progression, premiere.total)
        enregistrer(
            chemin, encoder(ENTETE_MEMOIRES, compteur.suivre(lignes_memoires(premiere, charger)))
        )
        return compteur.nombre

    return ecrire


def nom_libre(dossier: Path, nom: str, pris: set[str]) -> Path:
    """`nom` in `dossier`, numbered « nom (2).ext » when taken (by a file already there or
    by another pièce of the same name): a download never overwrites anything."""
    chemin = Path(nom)
    candidat, rang = nom, 1
    while candidat in pris or (dossier / candidat).exists():
        rang += 1
        candidat = f"{chemin.stem} ({rang}){chemin.suffix}"
    pris.add(candidat)
    return dossier / candidat


def ecriture_pieces(app: AppChorus, memoire: Memoire) -> Ecriture:
    """The pièces jointes of a mémoire (complements included) written into a folder."""
    memoires = app.services.memoires
    acteur_id = app.utilisateur_id
    pieces = (*memoire.pieces, *memoire.pieces_complementaires)

    def ecrire(dossier: Path, progression: Progression) -> int:
        dossier.mkdir(parents=True, exist_ok=True)
        pris: set[str] = set()
        for rang, piece in enumerate(pieces, start=1):
            _, contenu = memoires.lire_piece(acteur_id, memoire.id, piece.id)
            enregistrer(nom_libre(dossier, piece.nom_fichier, pris), (contenu,))
            progression(rang, len(pieces))
        return len(pieces)

    return ecrire
