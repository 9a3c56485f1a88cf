"""The « Liste fiscale » tab of the mémoire space: for one structure, the mémoires put into
payment over a period of at most one year (by the date the status was recorded), their
totals, and the CSV and PDF exports the Code général des impôts asks to keep."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Select, Static

from chorus.adapters.tableurs.csv_francais import (
    ENTETE_LISTE_FISCALE,
    PAGE_EXPORT,
    encoder,
    enregistrer,
    lignes_liste_fiscale,
)
from chorus.adapters.tui.affichage import euros, jour, lire_jour
from chorus.adapters.tui.ecrans.fichier import Ecrit, Ecriture, Progression
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    PAR_PAGE,
    Compteur,
    Pagineur,
    a_droite,
    exporter_csv,
    lancer_bouton,
    mes_structures,
    prefixer,
)
from chorus.adapters.tui.widgets.documents import telecharger
from chorus.domain.calendrier import ajouter_annees
from chorus.domain.errors import DomainError, ErreurDeChamp, ValidationError
from chorus.ports.requetes import Pagination
from chorus.services.consultation import ListeFiscale

PREFIXE_CHAMPS = "liste_fiscale"
CHAMP_STRUCTURE = f"{PREFIXE_CHAMPS}.structure_id"
CHAMP_DU = f"{PREFIXE_CHAMPS}.du"
CHAMP_AU = f"{PREFIXE_CHAMPS}.au"

Criteres = tuple[str, date, date]
"""Structure id, du, au."""


def periode_par_defaut(aujourdhui: date) -> tuple[date, date]:
    """The twelve months ending today: the longest period the liste fiscale accepts."""
    return ajouter_annees(aujourdhui, -1) + timedelta(days=1), aujourdhui


def ecriture_liste_fiscale(app: AppChorus, criteres: Criteres) -> Ecriture:
    """The liste fiscale into a French CSV file, page after page, with its totals row."""
    consultation = app.services.consultation
    acteur_id = app.utilisateur_id
    structure_id, du, au = criteres

    def ecrire(chemin: Path, progression: Progression) -> int:
        def charger(pagination: Pagination) -> ListeFiscale:
            return consultation.liste_fiscale(acteur_id, structure_id, du, au, pagination)

        premiere = charger(Pagination(1, PAGE_EXPORT))
        # The totals row is a row of the file too.
        compteur = Compteur(progression, premiere.totaux.nombre + 1)
        lignes = compteur.suivre(lignes_liste_fiscale(premiere, charger))
        enregistrer(chemin, encoder(ENTETE_LISTE_FISCALE, lignes))
        return premiere.totaux.nombre

    return ecrire


class OngletListeFiscale(Vertical):
    DEFAULT_CSS = """
    OngletListeFiscale { padding: 0 1; }
    OngletListeFiscale > .titre { margin-bottom: 0; }
    OngletListeFiscale #liste-fiscale-criteres { height: auto; }
    OngletListeFiscale #liste-fiscale-criteres > Champ { width: 1fr; margin-right: 2; }
    OngletListeFiscale #liste-fiscale-criteres > Champ.court { width: 24; }
    OngletListeFiscale > .barre-actions { margin: 0; }
    OngletListeFiscale DataTable { height: 1fr; }
    OngletListeFiscale #liste-fiscale-totaux { text-style: bold; margin: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("f5", "afficher", "Afficher"),
        Binding("f6", "exporter", "Exporter en CSV"),
        Binding("ctrl+p", "exporter_pdf", "Exporter en PDF"),
        Binding("[,f7", "page_precedente", "Page précédente"),
        Binding("],f8", "page_suivante", "Page suivante"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.criteres: Criteres | None = None
        """What the rows shown were fetched by (None before the first display)."""
        self.page = 1
        self.total = 0

    def compose(self) -> ComposeResult:
        du, au = periode_par_defaut(chorus(self).services.clock.aujourdhui())
        yield Static("Liste fiscale", classes="titre")
        yield Static(
            "Les mémoires mis en paiement d'une structure sur une période d'un an au plus, "
            "selon la date de mise à jour de leur état.",
            classes="aide",
        )
        with Horizontal(id="liste-fiscale-criteres"):
            yield Champ("Structure", CHAMP_STRUCTURE, Select((), prompt="Choisissez"))
            champ_du = Champ("Date de l'état du", CHAMP_DU, Input(jour(du)), obligatoire=True)
            champ_au = Champ("au", CHAMP_AU, Input(jour(au)), obligatoire=True)
            champ_du.add_class("court")
            champ_au.add_class("court")
            yield champ_du
            yield champ_au
        yield ErreurGenerale()
        with Horizontal(classes="barre-actions"):
            yield Button("Afficher", id="liste-fiscale-afficher", variant="primary")
            yield Button("Exporter en CSV", id="liste-fiscale-exporter")
            yield Button("Exporter en PDF", id="liste-fiscale-exporter-pdf")
        table: DataTable[str | Text] = DataTable(
            id="liste-fiscale-lignes", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="liste-fiscale-totaux")
        yield Pagineur("liste-fiscale")

    def on_mount(self) -> None:
        table = self.query_one("#liste-fiscale-lignes", DataTable)
        for colonne in (
            "Numéro",
            "Date de dépôt",
            "Juridiction",
            "Montant HT",
            "TVA",
            "Montant TTC",
            "Remise globale",
            "Net à payer",
            "Mise en paiement",
            "Montant payé",
        ):
            table.add_column(colonne)
        self._charger_structures()

    def on_show(self) -> None:
        if self.criteres is None:
            self.action_afficher()

    def _select(self) -> Select[str]:
        return self.query_one(f"#{id_champ(CHAMP_STRUCTURE)}", Select)

    @work(group="structures")
    async def _charger_structures(self) -> None:
        structures = await mes_structures(self)
        if structures is None:
            return
        select = self._select()
        select.set_options((f"{s.raison_sociale} ({s.identifiant})", s.id) for s in structures)
        # The structure shown, else the current one.
        voulue = self.criteres[0] if self.criteres is not None else chorus(self).structure_id
        if voulue is not None and any(s.id == voulue for s in structures):
            select.value = voulue

    # -- criteria ----------------------------------------------------------------------

    def _lire_criteres(self) -> Criteres:
        """The criteria typed, or a `ValidationError` naming each faulty field."""
        fautes: list[ErreurDeChamp] = []
        choisie = self._select().value
        structure_id = choisie if isinstance(choisie, str) else None
        if structure_id is None and self.criteres is None:
            # The list of structures has not arrived yet: the current one is meant.
            structure_id = chorus(self).structure_id
        if structure_id is None:
            fautes.append(ErreurDeChamp(CHAMP_STRUCTURE, "Choisissez une structure."))
        dates: dict[str, date] = {}
        for champ in (CHAMP_DU, CHAMP_AU):
            try:
                dates[champ] = lire_jour(valeur(self, champ), champ)
            except DomainError as erreur:
                fautes += erreur.erreurs
        if fautes or structure_id is None:
            raise ValidationError(fautes[0].message, champ=fautes[0].champ, erreurs=fautes)
        return structure_id, dates[CHAMP_DU], dates[CHAMP_AU]

    def _criteres_saisis(self) -> Criteres | None:
        """The criteria typed; None once the faulty fields are marked."""
        try:
            return self._lire_criteres()
        except DomainError as erreur:
            montrer_erreur(self, erreur)
            return None

    def action_afficher(self) -> None:
        criteres = self._criteres_saisis()
        if criteres is not None:
            self._charger(criteres, 1)

    @on(Input.Submitted)
    def _entree(self, evenement: Input.Submitted) -> None:
        evenement.stop()
        self.action_afficher()

    @work(exclusive=True, group="liste-fiscale")
    async def _charger(self, criteres: Criteres, page: int) -> None:
        await self._montrer(criteres, page)

    def _refuser(self, erreur: DomainError) -> None:
        """A refusal of the use case (a period over a year…), under the field it names."""
        montrer_erreur(self, prefixer(erreur, PREFIXE_CHAMPS))

    async def _montrer(self, criteres: Criteres, page: int) -> bool:
        """Show `page` of the liste fiscale of `criteres`; whether it was accepted."""
        app = chorus(self)
        table = self.query_one("#liste-fiscale-lignes", DataTable)
        table.loading = True
        structure_id, du, au = criteres
        try:
            liste = await app.appeler(
                app.services.consultation.liste_fiscale,
                app.utilisateur_id,
                structure_id,
                du,
                au,
                Pagination(page, PAR_PAGE),
            )
        except DomainError as erreur:
            # Refused: the rows of the last period shown stay.
            self._refuser(erreur)
            return False
        finally:
            table.loading = False
        effacer_erreurs(self)
        self.criteres, self.page, self.total = criteres, page, liste.totaux.nombre
        table.clear()
        for ligne in liste.lignes:
            table.add_row(
                ligne.numero,
                jour(ligne.date_depot),
                ligne.juridiction_code,
                a_droite(euros(ligne.montant_ht)),
                a_droite(euros(ligne.montant_tva)),
                a_droite(euros(ligne.montant_ttc)),
                a_droite(euros(ligne.remise_globale_ttc)),
                a_droite(euros(ligne.net_a_payer)),
                jour(ligne.date_mise_en_paiement),
                a_droite(euros(ligne.montant_paye)),
                key=ligne.numero,
            )
        t = liste.totaux
        s = "s" if t.nombre > 1 else ""
        self.query_one("#liste-fiscale-totaux", Static).update(
            f"{liste.structure.raison_sociale}, du {jour(liste.periode.du)} au "
            f"{jour(liste.periode.au)} — total ({t.nombre} mémoire{s}) : "
            f"HT {euros(t.montant_ht)} · TVA {euros(t.montant_tva)} · "
            f"TTC {euros(t.montant_ttc)} · remise {euros(t.remise_globale_ttc)} · "
            f"net à payer {euros(t.net_a_payer)} · payé {euros(t.montant_paye)}"
        )
        self.query_one(Pagineur).afficher(page, t.nombre)
        return True

    # -- pages and export --------------------------------------------------------------

    def action_page_precedente(self) -> None:
        if self.criteres is not None and self.page > 1:
            self._charger(self.criteres, self.page - 1)

    def action_page_suivante(self) -> None:
        if self.criteres is not None and self.page * PAR_PAGE < self.total:
            self._charger(self.criteres, self.page + 1)

    async def _criteres_a_exporter(self) -> Criteres | None:
        """The criteria typed, once the list shows them: a file holds what the screen
        shows. None when they are refused (under their fields)."""
        criteres = self._criteres_saisis()
        if criteres is None:
            return None
        if criteres != self.criteres and not await self._montrer(criteres, 1):
            return None
        return criteres

    @work(exclusive=True, group="export")
    async def action_exporter(self) -> None:
        criteres = await self._criteres_a_exporter()
        if criteres is None:
            return
        _, du, au = criteres
        exporter_csv(
            self,
            titre="Exporter la liste fiscale en CSV",
            defaut=f"liste-fiscale-{du:%Y%m%d}-{au:%Y%m%d}.csv",
            ecrire=ecriture_liste_fiscale(chorus(self), criteres),
            succes=_exportee,
            aide="La liste affichée (structure et période), avec sa ligne de totaux ; "
            "un chemin relatif part du dossier courant.",
        )

    @work(exclusive=True, group="export")
    async def action_exporter_pdf(self) -> None:
        criteres = await self._criteres_a_exporter()
        if criteres is None:
            return
        app = chorus(self)
        structure_id, du, au = criteres
        await telecharger(
            self,
            partial(app.services.documents.liste_fiscale, app.utilisateur_id, structure_id, du, au),
            self._refuser,
        )

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        lancer_bouton(
            evenement,
            {
                "liste-fiscale-afficher": self.action_afficher,
                "liste-fiscale-exporter": self.action_exporter,
                "liste-fiscale-exporter-pdf": self.action_exporter_pdf,
                "liste-fiscale-precedente": self.action_page_precedente,
                "liste-fiscale-suivante": self.action_page_suivante,
            },
        )


def _exportee(ecrit: Ecrit) -> str:
    s = "s" if ecrit.nombre > 1 else ""
    return (
        f"Liste fiscale exportée dans « {ecrit.chemin} » : {ecrit.nombre} mémoire{s} "
        "et la ligne des totaux."
    )
