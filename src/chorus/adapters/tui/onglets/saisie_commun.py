"""What the steps of « Saisir mémoire » share: the draft they show, how they hand the stored
value back to the tab, the paginated table of lines, and small formatting helpers."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import ClassVar, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button, DataTable, Select, Static
from textual.widgets.select import InvalidSelectValueError

from chorus.adapters.tui.affichage import euros, jour
from chorus.adapters.tui.formulaires import effacer_erreurs, id_champ, id_erreur, montrer_erreur
from chorus.adapters.tui.noyau import chorus
from chorus.domain.errors import DomainError, ErreurDeChamp, ValidationError
from chorus.domain.lignes import LigneDePrestation, Totaux
from chorus.domain.memoire import Memoire
from chorus.domain.montants import TauxTva
from chorus.domain.organisation import Structure

T = TypeVar("T")

LIGNES_PAR_PAGE = 20
"""Rows of lines shown at once: a mémoire may hold up to 1,000 lines."""

Publier = Callable[[Memoire], None]

COLONNES_PIECES = ("Type", "Désignation", "Nom du fichier", "Ligne", "Taille", "SHA-256")
"""The columns of a draft's pièces jointes (step 3 and the récapitulatif)."""


class Etape(VerticalScroll):
    """One step of the entry, shown for the stored draft of a structure.

    A step never keeps its own copy of the draft for long: every successful use case hands
    the stored value to `publier`, and the tab shows it in every step (so each call carries
    the version just read as `version_attendue`).
    """

    DEFAULT_CSS = """
    Etape { height: 1fr; padding: 0 1; }
    Etape .sous-titre { text-style: bold; color: $accent; margin: 1 0 0 0; }
    Etape .grille { grid-size: 2; grid-gutter: 0 2; height: auto; grid-rows: auto; }
    Etape .grille-3 { grid-size: 3; grid-gutter: 0 2; height: auto; grid-rows: auto; }
    Etape Select { width: 1fr; }
    """

    def __init__(self, publier: Publier, *, id: str) -> None:
        super().__init__(id=id, classes="etape")
        self._publier = publier
        self.memoire: Memoire | None = None
        self.structure: Structure | None = None
        self._occupe = False

    def montrer(self, memoire: Memoire | None, structure: Structure | None) -> None:
        self.memoire = memoire
        self.structure = structure
        self.rafraichir()

    def rafraichir(self) -> None:
        """Show the stored draft; what the user is typing is left alone."""

    async def vider(self) -> None:
        """Clear the step's forms (a new mémoire, or another draft opened)."""

    def premier_champ(self) -> Widget | None:
        """Where the focus goes when the step is shown."""
        return None

    def publier(self, memoire: Memoire) -> None:
        self._publier(memoire)

    async def tenter(self, formulaire: Widget, fonction: Callable[[], T]) -> T | None:
        """Run a use case off the event loop for `formulaire`: on a refusal, write it under
        the field it names (a line's ``lignes[2].taux_tva`` under ``taux_tva``) and return
        None, leaving everything typed in place."""
        if self._occupe:
            # A second press while the first is stored would create a second draft.
            self.notify("Enregistrement en cours, patientez…", severity="warning")
            return None
        self._occupe = True
        try:
            resultat = await chorus(self).appeler(fonction)
        except DomainError as erreur:
            montrer_erreur(formulaire, sans_prefixe_de_ligne(erreur))
            return None
        finally:
            self._occupe = False
        effacer_erreurs(formulaire)
        return resultat

    def choix(self, champ: str, dans: Widget | None = None) -> Select[str]:
        """The `Select` of the field the domain names `champ`."""
        conteneur = dans or self
        return cast("Select[str]", conteneur.query_one(f"#{id_champ(champ)}", Select))


_PREFIXE_LIGNE = re.compile(r"^lignes\[\d+\]\.")


def sans_prefixe_de_ligne(erreur: DomainError) -> DomainError:
    """The refusal with ``lignes[i].`` removed from its fields: the form of one line names
    them without the line's index."""
    if not any(_PREFIXE_LIGNE.match(e.champ) for e in erreur.erreurs):
        return erreur
    erreurs = tuple(
        ErreurDeChamp(_PREFIXE_LIGNE.sub("", e.champ), e.message) for e in erreur.erreurs
    )
    return ValidationError(erreur.message, champ=erreurs[0].champ, erreurs=erreurs)


def signaler(conteneur: Widget, erreur: DomainError) -> None:
    """Write a refusal under the fields of `conteneur` it names, without moving the focus
    (the form is on another step, the user reads it when they go back)."""
    for faute in erreur.erreurs:
        try:
            zone = conteneur.query_one(f"#{id_erreur(faute.champ)}", Static)
        except NoMatches:
            continue
        zone.update(faute.message)
        zone.add_class("visible")


def valeur_choisie(select: Select[str]) -> str | None:
    """The chosen value of a `Select`, None when blank."""
    valeur = select.value
    return valeur if isinstance(valeur, str) else None


def choisir(select: Select[str], valeur: str | None) -> None:
    """Select `valeur` when it is one of the options (blank otherwise, when allowed): a
    draft may name a service since deactivated or bank details since removed."""
    if valeur is not None:
        try:
            select.value = valeur
        except InvalidSelectValueError:
            pass
        else:
            return
    with contextlib.suppress(InvalidSelectValueError):
        select.clear()


def plier(texte: str) -> str:
    """A text folded for searching: no case, no accent."""
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def taux(valeur: TauxTva) -> str:
    """``5,5 %``."""
    return format(valeur.value, "f").replace(".", ",") + " %"


def decimal_saisi(valeur: Decimal) -> str:
    """An amount or a quantity written back into a field as the user would type it."""
    return format(valeur, "f").replace(".", ",")


def quantite(valeur: Decimal) -> str:
    """A quantity without its useless zeros: ``1``, ``2,5``."""
    return decimal_saisi(valeur.normalize()) if valeur else "0"


def taille(octets: int) -> str:
    """A file size the French way: ``512 o``, ``34,2 Ko``, ``1,5 Mo``."""
    if octets < 1024:
        return f"{octets} o"
    unite, facteur = ("Ko", 1024) if octets < 1024 * 1024 else ("Mo", 1024 * 1024)
    return f"{Decimal(octets) / Decimal(facteur):.1f} {unite}".replace(".", ",")


def court(texte: str, longueur: int) -> str:
    """`texte` cut to `longueur` characters for a table cell."""
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


def texte_totaux(totaux: Totaux) -> str:
    return "  ·  ".join(
        (
            f"Total HT : {euros(totaux.montant_ht)}",
            f"TVA : {euros(totaux.montant_tva)}",
            f"Débours : {euros(totaux.montant_debours)}",
            f"TTC : {euros(totaux.montant_ttc)}",
            f"Remise globale TTC : {euros(totaux.remise_globale_ttc)}",
            f"Net à payer : {euros(totaux.net_a_payer)}",
        )
    )


class TableAColonnes(DataTable[str]):
    """A table that adds its own columns when mounted: its container does not query for it
    in `on_mount`, where it may be missing (a container removed while still mounting gets
    its Mount event though Textual no longer mounts its children)."""

    def __init__(self, *colonnes: str, id: str | None = None, curseur: bool = True) -> None:
        # With `curseur`, rows are chosen (striped, with a row cursor); without, only read.
        super().__init__(
            id=id,
            cursor_type="row" if curseur else "none",
            show_cursor=curseur,
            zebra_stripes=curseur,
        )
        self._colonnes = colonnes

    def on_mount(self) -> None:
        self.add_columns(*self._colonnes)


class TableauLignes(Vertical):
    """The lines of a draft, one page at a time, with their amounts.

    Selecting a row posts DataTable.RowSelected whose row key is the line number.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not ctrl+page up/down: the table scrolls sideways with those.
        Binding("ctrl+left", "page(-1)", "Page précédente"),
        Binding("ctrl+right", "page(1)", "Page suivante"),
    ]
    DEFAULT_CSS = """
    TableauLignes { height: auto; }
    TableauLignes DataTable { height: auto; max-height: 24; }
    TableauLignes .pagination { height: auto; }
    TableauLignes .pagination Static { width: auto; padding: 0 2; }
    """

    COLONNES = (
        "N°",
        "N° d'affaire",
        "Type de prestation",
        "Prestation",
        "Qté",
        "Tarif HT",
        "Taux",
        "Frais div.",
        "Débours",
        "HT",
        "TVA",
        "TTC",
        "Autorité requérante",
        "Réquisition",
    )

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._lignes: tuple[LigneDePrestation, ...] = ()
        self._page = 0
        self._plusieurs_pages = False

    def compose(self) -> ComposeResult:
        # Kept from here: `_afficher` works on these, never on a query that may find nothing.
        self._table = TableAColonnes(*self.COLONNES)
        self._pages = Static(self._texte_pages(), classes="pages")
        self._bouton_precedent = Button("◀", classes="page-precedente", compact=True, disabled=True)
        self._bouton_suivant = Button("▶", classes="page-suivante", compact=True, disabled=True)
        yield self._table
        with Horizontal(classes="pagination"):
            yield self._bouton_precedent
            yield self._pages
            yield self._bouton_suivant

    def on_mount(self) -> None:
        # The empty table is composed as such; lines given before mounting are shown now.
        if self._lignes and self._table.is_mounted:
            self._afficher()

    @property
    def nombre_de_pages(self) -> int:
        return max(1, -(-len(self._lignes) // LIGNES_PAR_PAGE))

    def montrer(self, lignes: Sequence[LigneDePrestation]) -> None:
        self._lignes = tuple(lignes)
        self._page = min(self._page, self.nombre_de_pages - 1)
        if self.is_mounted:
            self._afficher()

    def _texte_pages(self) -> str:
        nombre = len(self._lignes)
        return f"page {self._page + 1} / {self.nombre_de_pages} — {nombre} ligne" + (
            "s" if nombre > 1 else ""
        )

    def _afficher(self) -> None:
        table = self._table
        ligne_courante = table.cursor_row
        table.clear()
        referentiels = chorus(self).services.referentiels
        debut = self._page * LIGNES_PAR_PAGE
        for ligne in self._lignes[debut : debut + LIGNES_PAR_PAGE]:
            autorite = referentiels.autorite_requerante(ligne.autorite_requerante)
            prestation = referentiels.type_prestation(ligne.type_prestation)
            table.add_row(
                str(ligne.numero_ligne),
                ligne.numero_affaire,
                court(prestation.libelle if prestation else ligne.type_prestation, 26),
                jour(ligne.date_prestation),
                quantite(ligne.quantite),
                euros(ligne.tarif_ht),
                taux(ligne.taux_tva),
                euros(ligne.montant_frais_divers),
                euros(ligne.debours),
                euros(ligne.montant_ht),
                euros(ligne.montant_tva),
                euros(ligne.montant_ttc),
                court(autorite.libelle if autorite else ligne.autorite_requerante, 24),
                jour(ligne.date_requisition),
                key=str(ligne.numero_ligne),
            )
        if table.row_count:
            table.move_cursor(row=min(ligne_courante, table.row_count - 1))
        self._pages.update(self._texte_pages())
        self._bouton_precedent.disabled = self._page == 0
        self._bouton_suivant.disabled = self._page >= self.nombre_de_pages - 1
        plusieurs = self.nombre_de_pages > 1
        if plusieurs != self._plusieurs_pages:
            # The footer offers the page keys only when there are pages to turn.
            self._plusieurs_pages = plusieurs
            self.refresh_bindings()

    def action_page(self, sens: int) -> None:
        page = min(max(self._page + sens, 0), self.nombre_de_pages - 1)
        if page != self._page:
            self._page = page
            self._afficher()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            return self.nombre_de_pages > 1
        return True

    @on(Button.Pressed, ".page-precedente")
    def _precedente(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        self.action_page(-1)

    @on(Button.Pressed, ".page-suivante")
    def _suivante(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        self.action_page(1)
