"""Step 2 of a demande TIC/TICGN: the « Liste des demandes », one line per invoice, with the
rate, unit and amount the barème gave each; lines are added, changed and deleted in a window
(« Ajouter une ligne de demande »)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tui.affichage import euros
from chorus.adapters.tui.formulaires import ErreurGenerale
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.tic_commun import EtapeTic
from chorus.adapters.tui.widgets.detail_demande_tic import COLONNES_LIGNES_TIC, lignes_tic
from chorus.adapters.tui.widgets.modales import Confirmation
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain.tic.demande import NOMBRE_MAXIMUM_DE_LIGNES_TIC, LigneDemandeTic


class EtapeLignesTic(EtapeTic):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "ajouter", "Ajouter une ligne"),
        Binding("ctrl+e", "modifier", "Modifier la ligne"),
        Binding("ctrl+r", "supprimer", "Supprimer la ligne"),
    ]
    DEFAULT_CSS = """
    EtapeLignesTic #lignes-tic-total { height: auto; margin-top: 1; text-style: bold; }
    EtapeLignesTic #form-lignes-tic { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Liste des demandes", classes="titre")
        yield Static(
            "Saisissez les données de chaque facture pour laquelle vous demandez un "
            f"remboursement partiel ({NOMBRE_MAXIMUM_DE_LIGNES_TIC} lignes au plus). Entrée sur "
            "une ligne pour la modifier.",
            classes="aide",
        )
        with Vertical(id="form-lignes-tic"):
            with Horizontal(classes="barre-actions"):
                yield Button(
                    "Ajouter une ligne de demande", id="ligne-tic-ajouter", variant="primary"
                )
                yield Button("Modifier la ligne", id="ligne-tic-modifier")
                yield Button("Supprimer la ligne", id="ligne-tic-supprimer", variant="error")
            yield ErreurGenerale()
        yield TableauPagine(
            COLONNES_LIGNES_TIC,
            unite="lignes",
            vide="Aucune ligne : ajoutez la première facture.",
            id="table-lignes-tic",
        )
        yield Static("", id="lignes-tic-total")

    def premier_champ(self) -> Widget | None:
        return self.query_one("#ligne-tic-ajouter", Button)

    def rafraichir(self) -> None:
        demande = self.demande
        lignes = demande.lignes if demande else ()
        self.query_one("#table-lignes-tic", TableauPagine).remplir(
            lignes_tic(demande) if demande else []
        )
        self.query_one("#lignes-tic-total", Static).update(
            f"Montant total demandé : {euros(demande.montant_total)} "
            f"({len(lignes)} ligne{'s' if len(lignes) > 1 else ''})"
            if demande
            else ""
        )
        for bouton in ("#ligne-tic-modifier", "#ligne-tic-supprimer"):
            self.query_one(bouton, Button).disabled = not lignes

    def _ligne_choisie(self) -> LigneDemandeTic | None:
        demande = self.demande
        cle = self.query_one("#table-lignes-tic", TableauPagine).cle_choisie
        if demande is None or cle is None:
            return None
        return next((lg for lg in demande.lignes if str(lg.numero_ligne) == cle), None)

    def _ouvrir(self, ligne: LigneDemandeTic | None) -> None:
        from chorus.adapters.tui.ecrans.ligne_tic import FenetreLigneTic

        if self.demande is None:
            self.notify("Enregistrez d'abord l'en-tête de la demande.", severity="error")
            return
        self.app.push_screen(FenetreLigneTic(self.demande, self.publier, ligne))

    @on(Button.Pressed, "#ligne-tic-ajouter")
    def action_ajouter(self) -> None:
        self._ouvrir(None)

    @on(Button.Pressed, "#ligne-tic-modifier")
    def action_modifier(self) -> None:
        ligne = self._ligne_choisie()
        if ligne is not None:
            self._ouvrir(ligne)

    @on(DataTable.RowSelected)
    def _ligne_selectionnee(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        self.action_modifier()

    @on(Button.Pressed, "#ligne-tic-supprimer")
    def action_supprimer(self) -> None:
        self._supprimer()

    @work(exclusive=True, group="ligne-tic")
    async def _supprimer(self) -> None:
        demande = self.demande
        ligne = self._ligne_choisie()
        if demande is None or ligne is None:
            return
        if not await self.app.push_screen_wait(
            Confirmation(
                f"Supprimer la ligne n°{ligne.numero_ligne} (facture {ligne.numero_facture}) ?",
                oui="Supprimer",
            )
        ):
            return
        app = chorus(self)
        tic = app.services.tic
        utilisateur = app.utilisateur_id
        enregistree = await self.tenter(
            self.query_one("#form-lignes-tic"),
            lambda: tic.supprimer_ligne(
                utilisateur, demande.id, ligne.numero_ligne, version_attendue=demande.version
            ),
        )
        if enregistree is None:
            return
        self.publier(enregistree)
        self.notify(f"Ligne n°{ligne.numero_ligne} supprimée.")
