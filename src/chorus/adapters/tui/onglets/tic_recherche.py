"""« Rechercher » in the TIC/TICGN space: the demandes by numéro, structure, année, produit,
statut and date de dépôt, 50 a page; every match exported to CSV, XLSX or ODS (« exporté
sous Excel ou Calc ») into a file the user names, never over an existing one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Select, Static

from chorus.adapters.tableurs.csv_francais import enregistrer
from chorus.adapters.tableurs.demandes_tic import (
    ENTETES_DEMANDES_TIC,
    FEUILLE_DEMANDES_TIC,
    ligne_demande_tic,
)
from chorus.adapters.tableurs.formats import FormatTableur, exporter
from chorus.adapters.tui.affichage import euros, jour, lire_jour_facultatif, ou_rien
from chorus.adapters.tui.ecrans.fichier import EcranFichier, Ecrit, Ecriture, Progression
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
)
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    PAR_PAGE,
    Pagineur,
    lancer_bouton,
    mes_structures,
    prefixer,
)
from chorus.adapters.tui.onglets.saisie_commun import choisir, valeur_choisie
from chorus.adapters.tui.widgets.tableau import nombre_de_pages
from chorus.domain.errors import DomainError, ErreurDeChamp, ValidationError
from chorus.domain.organisation import Structure
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.requetes import Pagination
from chorus.ports.tic import FiltresDemandeTic, ResumeDemandeTic, TriTic

PREFIXE = "rtic"
TRI_DEFAUT = "-date_statut"
TRIS_TIC = (
    ("Date du statut (récents)", "-date_statut"),
    ("Date du statut (anciens)", "date_statut"),
    ("Date de dépôt (récents)", "-date_depot"),
    ("Date de dépôt (anciens)", "date_depot"),
    ("Création (récents)", "-date_creation"),
    ("Numéro", "numero"),
    ("Année (récentes)", "-annee"),
    ("Montant (décroissant)", "-montant_total"),
    ("Montant (croissant)", "montant_total"),
    ("Statut", "statut"),
)
_TEXTES = ("numero", "annee", "date_depot_du", "date_depot_au")
_CHOIX = ("structure_id", "produit", "statut")


def champ(nom: str) -> str:
    """A criterion's field name: the domain's, prefixed (the screen's other tabs have
    fields of the same names)."""
    return f"{PREFIXE}.{nom}"


def ecriture_tic(
    app: AppChorus,
    format_tableur: FormatTableur,
    filtres: FiltresDemandeTic,
    tri: TriTic,
    structures: Mapping[str, Structure],
) -> Ecriture:
    """Every demande of a search into a file of `format_tableur` (run in a worker thread)."""
    tic = app.services.tic
    acteur_id = app.utilisateur_id

    def ecrire(chemin: Path, progression: Progression) -> int:
        resumes = tic.tous(acteur_id, filtres, tri)
        progression(0, len(resumes))
        connues = {i: (s.identifiant, s.raison_sociale) for i, s in structures.items()}
        lignes = [ligne_demande_tic(r, connues) for r in resumes]
        contenu = exporter(
            format_tableur, ENTETES_DEMANDES_TIC, lignes, feuille=FEUILLE_DEMANDES_TIC
        )
        enregistrer(chemin, (contenu,))
        progression(len(resumes), len(resumes))
        return len(resumes)

    return ecrire


def _a_droite(texte: str) -> Text:
    return Text(texte, justify="right")


class TableDemandesTic(DataTable[str | Text]):
    """One page of demandes, a row per demande keyed by its id; Entrée opens it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "Ouvrir")]
    DEFAULT_CSS = """
    TableDemandesTic { height: auto; max-height: 100%; }
    """

    COLONNES = (
        ("Numéro", 16),
        ("Structure", 20),
        ("Année", 6),
        ("Statut", 22),
        ("Mise à jour", 11),
        ("Dépôt", 10),
        ("Lignes", 6),
        ("Montant demandé", 15),
        ("Montant accordé", 15),
    )

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for titre, largeur in self.COLONNES:
            self.add_column(titre, width=largeur)

    def afficher(self, resumes: Sequence[ResumeDemandeTic], noms: Mapping[str, str]) -> None:
        ligne = self.cursor_row
        self.clear()
        for r in resumes:
            self.add_row(
                r.numero,
                noms.get(r.structure_id, r.structure_id),
                str(r.annee),
                r.statut.libelle,
                jour(r.date_statut),
                jour(r.date_depot),
                _a_droite(str(r.nombre_lignes)),
                _a_droite(euros(r.montant_total)),
                _a_droite(euros(r.montant_accorde)),
                key=r.id,
            )
        if resumes:
            self.move_cursor(row=min(max(ligne, 0), len(resumes) - 1))


CriteresTic = tuple[FiltresDemandeTic, TriTic]


class OngletRechercheTic(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "rechercher", "Rechercher"),
        Binding("f6", "exporter('csv')", "Exporter en CSV"),
        Binding("[,f7", "page(-1)", "Page précédente"),
        Binding("],f8", "page(1)", "Page suivante"),
    ]
    DEFAULT_CSS = """
    OngletRechercheTic { padding: 0 1; }
    OngletRechercheTic > .titre { margin-bottom: 0; }
    OngletRechercheTic #rtic-criteres { grid-size: 4; grid-gutter: 0 2; height: auto; }
    OngletRechercheTic > .barre-actions { margin: 0; }
    OngletRechercheTic TableDemandesTic { height: 1fr; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.criteres: CriteresTic | None = None
        self.page = 1
        self.total = 0
        self.pages_affichees = 0
        """Pages shown since the tab was mounted (what a test waits on)."""
        self.structures: dict[str, Structure] = {}
        self._structures_chargees = False
        self._demande: tuple[str | None, StatutDemandeTic | None] | None = None
        self._focaliser = False

    def compose(self) -> ComposeResult:
        yield Static("Rechercher une demande de remboursement TIC/TICGN", classes="titre")
        with Grid(id="rtic-criteres"):
            yield Champ("Numéro de la demande", champ("numero"), Input(placeholder="DT…"))
            yield Champ("Structure", champ("structure_id"), Select[str]((), prompt="Toutes"))
            yield Champ("Année des livraisons", champ("annee"), Input(placeholder="AAAA"))
            yield Champ(
                "Produit",
                champ("produit"),
                Select[str](((p.libelle, p.value) for p in ProduitTic), prompt="Tous"),
            )
            yield Champ(
                "Statut",
                champ("statut"),
                Select[str](((s.libelle, s.value) for s in StatutDemandeTic), prompt="Tous"),
            )
            yield Champ("Date de dépôt du", champ("date_depot_du"), Input(placeholder="JJ/MM/AAAA"))
            yield Champ("au", champ("date_depot_au"), Input(placeholder="JJ/MM/AAAA"))
            yield Champ(
                "Trier par",
                champ("tri"),
                Select[str](TRIS_TIC, allow_blank=False, value=TRI_DEFAUT),
            )
        yield ErreurGenerale()
        with Horizontal(classes="barre-actions"):
            yield Button("Rechercher", id="rtic-lancer", variant="primary")
            yield Button("Effacer les critères", id="rtic-effacer")
            yield Button("Exporter en CSV", id="rtic-csv")
            yield Button("Exporter en XLSX (Excel)", id="rtic-xlsx")
            yield Button("Exporter en ODS (Calc)", id="rtic-ods")
        yield TableDemandesTic(id="rtic-resultats")
        yield Pagineur(PREFIXE)

    def on_mount(self) -> None:
        self._charger_structures()

    def on_show(self) -> None:
        if self.criteres is None:
            self.action_rechercher()
        else:
            self.recharger()

    # -- the criteria --------------------------------------------------------------------

    def _select(self, nom: str) -> Select[str]:
        return self.query_one(f"#{id_champ(champ(nom))}", Select)

    def _input(self, nom: str) -> Input:
        return self.query_one(f"#{id_champ(champ(nom))}", Input)

    @work(group="rtic-structures")
    async def _charger_structures(self) -> None:
        structures = await mes_structures(self)
        if structures is None:
            return
        self.structures = {s.id: s for s in structures}
        self._select("structure_id").set_options(
            (f"{s.raison_sociale} ({s.identifiant})", s.id) for s in structures if s.espace_tic
        )
        self._structures_chargees = True
        if self._demande is not None:
            self._remplir(*self._demande)
            self._demande = None

    @property
    def noms(self) -> dict[str, str]:
        return {i: s.raison_sociale for i, s in self.structures.items()}

    def lire_criteres(self) -> CriteresTic:
        """The criteria typed, or a `ValidationError` naming each faulty field."""
        fautes: list[ErreurDeChamp] = []
        dates: dict[str, date | None] = {}
        for nom in ("date_depot_du", "date_depot_au"):
            try:
                dates[nom] = lire_jour_facultatif(self._input(nom).value, champ(nom))
            except DomainError as erreur:
                fautes += erreur.erreurs
        annee_saisie = self._input("annee").value.strip()
        annee: int | None = None
        if annee_saisie:
            if annee_saisie.isascii() and annee_saisie.isdigit() and len(annee_saisie) == 4:
                annee = int(annee_saisie)
            else:
                fautes.append(
                    ErreurDeChamp(champ("annee"), "L'année s'écrit en quatre chiffres : AAAA.")
                )
        if fautes:
            raise ValidationError(fautes[0].message, champ=fautes[0].champ, erreurs=fautes)
        statut = valeur_choisie(self._select("statut"))
        produit = valeur_choisie(self._select("produit"))
        try:
            filtres = FiltresDemandeTic(
                numero=ou_rien(self._input("numero").value),
                structure_id=valeur_choisie(self._select("structure_id")),
                annee=annee,
                produit=ProduitTic(produit) if produit else None,
                statuts=frozenset({StatutDemandeTic(statut)}) if statut else frozenset(),
                date_depot_du=dates["date_depot_du"],
                date_depot_au=dates["date_depot_au"],
            )
            tri = TriTic.depuis(valeur_choisie(self._select("tri")) or TRI_DEFAUT)
        except DomainError as erreur:
            raise prefixer(erreur, PREFIXE) from None
        return filtres, tri

    def _effacer_criteres(self) -> None:
        for nom in _TEXTES:
            self._input(nom).value = ""
        for nom in _CHOIX:
            choisir(self._select(nom), None)
        self._select("tri").value = TRI_DEFAUT
        effacer_erreurs(self)

    def _remplir(self, structure_id: str | None, statut: StatutDemandeTic | None) -> None:
        self._effacer_criteres()
        choisir(self._select("structure_id"), structure_id)
        choisir(self._select("statut"), statut.value if statut else None)

    # -- searching -----------------------------------------------------------------------

    def action_rechercher(self) -> None:
        try:
            criteres = self.lire_criteres()
        except DomainError as erreur:
            montrer_erreur(self, erreur)
            return
        effacer_erreurs(self)
        self.chercher(criteres)

    def rechercher_par(self, structure_id: str | None, statut: StatutDemandeTic | None) -> None:
        """The demandes of a structure in a status (the dashboard's choice), the criteria
        filled accordingly."""
        if self._structures_chargees:
            self._remplir(structure_id, statut)
        else:
            self._demande = (structure_id, statut)
        self.chercher(
            (
                FiltresDemandeTic(
                    structure_id=structure_id,
                    statuts=frozenset({statut}) if statut else frozenset(),
                ),
                TriTic(),
            ),
            focaliser=True,
        )

    def chercher(self, criteres: CriteresTic, page: int = 1, *, focaliser: bool = False) -> None:
        self.criteres = criteres
        self._focaliser = self._focaliser or focaliser
        self._charger(page)

    def recharger(self) -> None:
        if self.criteres is not None:
            self._charger(self.page)

    @work(exclusive=True, group="rtic-liste")
    async def _charger(self, page: int) -> None:
        if self.criteres is None:
            return
        filtres, tri = self.criteres
        app = chorus(self)
        table = self.query_one(TableDemandesTic)
        table.loading = True
        try:
            resultat = await app.appeler(
                app.services.tic.rechercher,
                app.utilisateur_id,
                filtres,
                tri,
                Pagination(page, PAR_PAGE),
            )
        except DomainError as erreur:
            table.loading = False
            montrer_erreur(self, prefixer(erreur, PREFIXE))
            return
        table.loading = False
        derniere = nombre_de_pages(resultat.total, PAR_PAGE)
        if not resultat.elements and page > derniere:
            self._charger(derniere)
            return
        self.page, self.total = page, resultat.total
        table.afficher(resultat.elements, self.noms)
        self.query_one(Pagineur).afficher(page, resultat.total)
        self.pages_affichees += 1
        if self._focaliser:
            self._focaliser = False
            self.screen.set_focus(table)

    def action_page(self, sens: int) -> None:
        page = self.page + sens
        if self.criteres is not None and 1 <= page <= nombre_de_pages(self.total, PAR_PAGE):
            self._charger(page)

    @on(Input.Submitted)
    def _entree(self, evenement: Input.Submitted) -> None:
        evenement.stop()
        self.action_rechercher()

    @on(DataTable.RowSelected, "#rtic-resultats")
    def _ouvrir(self, evenement: DataTable.RowSelected) -> None:
        from chorus.adapters.tui.ecrans.demande_tic import EcranDemandeTic

        evenement.stop()
        if evenement.row_key.value is not None:
            self.app.push_screen(EcranDemandeTic(evenement.row_key.value))

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        lancer_bouton(
            evenement,
            {
                "rtic-lancer": self.action_rechercher,
                "rtic-effacer": self._effacer_criteres,
                "rtic-csv": lambda: self.action_exporter("csv"),
                "rtic-xlsx": lambda: self.action_exporter("xlsx"),
                "rtic-ods": lambda: self.action_exporter("ods"),
                f"{PREFIXE}-precedente": lambda: self.action_page(-1),
                f"{PREFIXE}-suivante": lambda: self.action_page(1),
            },
        )

    # -- exports -------------------------------------------------------------------------

    def action_exporter(self, format_choisi: str) -> None:
        """Every match of the criteria shown, into a file the user names."""
        if self.criteres is None:
            self.notify("Lancez d'abord une recherche.", severity="warning")
            return
        format_tableur = FormatTableur(format_choisi)
        app = chorus(self)
        filtres, tri = self.criteres
        aujourdhui = app.services.clock.aujourdhui()
        nom = format_tableur.value.upper()

        def exporte(ecrit: Ecrit | None) -> None:
            if ecrit is not None:
                s = "s" if ecrit.nombre > 1 else ""
                self.notify(f"{ecrit.nombre} demande{s} exportée{s} dans « {ecrit.chemin} ».")

        self.app.push_screen(
            EcranFichier(
                titre=f"Exporter les résultats de la recherche en {nom}",
                libelle=f"Fichier {nom}",
                defaut=f"demandes-tic-{aujourdhui:%Y%m%d}{format_tableur.extension}",
                ecrire=ecriture_tic(app, format_tableur, filtres, tri, dict(self.structures)),
                aide=(
                    "Toutes les demandes correspondant aux critères de la recherche affichée ; "
                    "un fichier existant n'est jamais remplacé."
                ),
            ),
            exporte,
        )
