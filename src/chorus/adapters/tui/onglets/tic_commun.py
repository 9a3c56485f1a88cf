"""What the steps of a demande TIC/TICGN's entry share: the stored draft they show, how a
step hands the value a use case stored back to the screen, and how a refusal is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Select

from chorus.adapters.tui.formulaires import effacer_erreurs, id_champ, montrer_erreur
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import sans_prefixe_de_ligne
from chorus.domain.errors import DomainError
from chorus.domain.organisation import Structure
from chorus.domain.tic.demande import DemandeTic

T = TypeVar("T")

PublierTic = Callable[[DemandeTic], None]

DEMANDE_ENTIERE = "demande"
"""The value of the « rattachée à » choice meaning the whole demande (not one line)."""


class EtapeTic(VerticalScroll):
    """One step of the entry of a demande, shown for the stored draft.

    Every successful use case hands the stored value to `publier`: the screen shows it in
    every step, so that each next call carries the version just read."""

    DEFAULT_CSS = """
    EtapeTic { height: 1fr; padding: 0 1; }
    EtapeTic .sous-titre { text-style: bold; color: $accent; margin: 1 0 0 0; }
    EtapeTic .grille { grid-size: 2; grid-gutter: 0 2; height: auto; grid-rows: auto; }
    EtapeTic Select { width: 1fr; }
    """

    def __init__(self, publier: PublierTic, *, id: str) -> None:
        super().__init__(id=id, classes="etape")
        self._publier = publier
        self.demande: DemandeTic | None = None
        self.structure: Structure | None = None
        self._occupe = False

    def montrer(self, demande: DemandeTic | None, structure: Structure | None) -> None:
        self.demande = demande
        self.structure = structure
        self.rafraichir()

    def rafraichir(self) -> None:
        """Show the stored draft; what the user is typing is left alone."""

    def premier_champ(self) -> Widget | None:
        """Where the focus goes when the step is shown."""
        return None

    def publier(self, demande: DemandeTic) -> None:
        self._publier(demande)

    async def tenter(self, formulaire: Widget, fonction: Callable[[], T]) -> T | None:
        """Run a use case in a worker thread for `formulaire`: a refusal is written under
        the field it names, everything typed stays, and None is answered."""
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
        return cast("Select[str]", (dans or self).query_one(f"#{id_champ(champ)}", Select))


def options_rattachement(demande: DemandeTic | None) -> list[tuple[str, str]]:
    """« Rattachée à »: the whole demande or one of its lines."""
    options = [("la demande entière", DEMANDE_ENTIERE)]
    for ligne in demande.lignes if demande else ():
        options.append(
            (
                f"ligne n°{ligne.numero_ligne} — facture {ligne.numero_facture}",
                str(ligne.numero_ligne),
            )
        )
    return options


def numero_de_ligne(choisi: str | None) -> int | None:
    """The line a « rattachée à » choice names (None for the whole demande)."""
    return None if choisi in (None, DEMANDE_ENTIERE) else int(choisi)
