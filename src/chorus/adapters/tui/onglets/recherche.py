"""The « Rechercher » tab of the mémoire space: every criterion of the portal, the results
page after page, the CSV export of all of them, and the deletion of marked drafts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.widgets import Button, Input, Select, Static

from chorus.adapters.tui.affichage import lire_jour_facultatif, ou_rien
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    ListePaginee,
    Pagineur,
    TableMemoires,
    ecriture_memoires,
    exporter_csv,
    lancer_bouton,
    mes_structures,
    prefixer,
)
from chorus.adapters.tui.widgets.modales import Confirmation
from chorus.domain.errors import DomainError, ErreurDeChamp, ValidationError
from chorus.domain.organisation import Structure
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import FiltresMemoire, Page, Pagination, ResumeMemoire, Tri

TRI_DEFAUT = "-date_statut"

TRIS = (
    ("Date de l'état (récents)", "-date_statut"),
    ("Date de l'état (anciens)", "date_statut"),
    ("Date de dépôt (récents)", "-date_depot"),
    ("Date de dépôt (anciens)", "date_depot"),
    ("Création (récents)", "-date_creation"),
    ("Numéro (croissant)", "numero"),
    ("Numéro (décroissant)", "-numero"),
    ("Montant TTC (décroissant)", "-montant_ttc"),
    ("Montant TTC (croissant)", "montant_ttc"),
    ("Net à payer (décroissant)", "-net_a_payer"),
    ("Juridiction", "juridiction_code"),
    ("État", "statut"),
)

_TEXTES = ("numero", "numero_engagement_juridique", "numero_affaire")
_CHOIX = (
    "juridiction_code",
    "structure_id",
    "service_id",
    "categorie_prestataire",
    "texte_reference",
    "statut",
)
_DATES = ("date_depot_du", "date_depot_au")

PREFIXE_CHAMPS = "recherche"


def champ(nom: str) -> str:
    """The name of a criterion's field: the domain's, prefixed (see `prefixer`)."""
    return f"{PREFIXE_CHAMPS}.{nom}"


CriteresRecherche = tuple[FiltresMemoire, Tri]


class OngletRecherche(ListePaginee[CriteresRecherche]):
    PREFIXE = "recherche"

    DEFAULT_CSS = """
    OngletRecherche { padding: 0 1; }
    OngletRecherche > .titre { margin-bottom: 0; }
    OngletRecherche #recherche-criteres {
        grid-size: 4; grid-gutter: 0 2; height: auto;
    }
    OngletRecherche > .barre-actions { margin: 0; }
    OngletRecherche #recherche-selection { padding: 1 2; color: $text-muted; width: auto; }
    OngletRecherche TableMemoires { height: 1fr; }
    """

    BINDINGS = [
        Binding("f5", "rechercher", "Rechercher"),
        Binding("f6", "exporter", "Exporter en CSV"),
        Binding("space", "marquer", "Marquer"),
        Binding("delete", "supprimer_selection", "Supprimer la sélection"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._structures: list[Structure] = []
        self._structures_chargees = False
        self._demande: tuple[str | None, str | None] | None = None
        self._marques: dict[str, ResumeMemoire] = {}

    def compose(self) -> ComposeResult:
        ref = chorus(self).services.referentiels
        yield Static("Recherche de mémoires de frais de justice", classes="titre")
        with Grid(id="recherche-criteres"):
            yield Champ("Numéro du mémoire", champ("numero"), Input(placeholder="MJ… ou TMP…"))
            yield Champ(
                "Juridiction",
                champ("juridiction_code"),
                Select(
                    ((f"{j.nom} ({j.code})", j.code) for j in ref.juridictions()),
                    prompt="Toutes",
                ),
            )
            yield Champ(
                "Numéro d'engagement juridique", champ("numero_engagement_juridique"), Input()
            )
            yield Champ("Structure", champ("structure_id"), Select((), prompt="Toutes"))
            yield Champ("Service", champ("service_id"), Select((), prompt="Tous"))
            yield Champ(
                "Catégorie de prestataire",
                champ("categorie_prestataire"),
                Select(
                    ((c.libelle, c.code) for c in ref.categories_prestataire()), prompt="Toutes"
                ),
            )
            yield Champ(
                "Texte de référence",
                champ("texte_reference"),
                Select(
                    ((f"{t.code} — {t.libelle}", t.code) for t in ref.textes_reference()),
                    prompt="Tous",
                ),
            )
            yield Champ(
                "État courant",
                champ("statut"),
                Select(((s.libelle, s.value) for s in StatutMemoire), prompt="Tous"),
            )
            yield Champ("Date de dépôt du", champ("date_depot_du"), Input(placeholder="JJ/MM/AAAA"))
            yield Champ("au", champ("date_depot_au"), Input(placeholder="JJ/MM/AAAA"))
            yield Champ("Numéro d'affaire", champ("numero_affaire"), Input())
            yield Champ(
                "Trier par", champ("tri"), Select(TRIS, allow_blank=False, value=TRI_DEFAUT)
            )
        yield ErreurGenerale()
        with Horizontal(classes="barre-actions"):
            yield Button("Rechercher", id="recherche-lancer", variant="primary")
            yield Button("Effacer les critères", id="recherche-effacer")
            yield Button("Exporter en CSV", id="recherche-exporter")
            yield Button("Supprimer la sélection", id="recherche-supprimer", variant="error")
            yield Static("", id="recherche-selection")
        yield TableMemoires(id="recherche-resultats", marquable=True)
        yield Pagineur(self.PREFIXE)

    def on_mount(self) -> None:
        self._charger_structures()

    def on_show(self) -> None:
        if self.criteres is None:
            self.action_rechercher()
        else:
            self.recharger()

    # -- the criteria ------------------------------------------------------------------

    def _select(self, nom: str) -> Select[str]:
        return self.query_one(f"#{id_champ(champ(nom))}", Select)

    def _input(self, nom: str) -> Input:
        return self.query_one(f"#{id_champ(champ(nom))}", Input)

    def _choix(self, nom: str) -> str | None:
        choisi = self._select(nom).value
        return choisi if isinstance(choisi, str) else None

    @work(group="structures")
    async def _charger_structures(self) -> None:
        structures = await mes_structures(self)
        if structures is None:
            return
        self._structures = list(structures)
        self.noms = {s.id: s.raison_sociale for s in structures}
        self._select("structure_id").set_options(
            (f"{s.raison_sociale} ({s.identifiant})", s.id) for s in structures
        )
        self._options_services()
        self._structures_chargees = True
        if self._demande is not None:
            self._remplir(*self._demande)
            self._demande = None

    def _options_services(self) -> None:
        choisie = self._choix("structure_id")
        options: list[tuple[str, str]] = []
        for structure in self._structures:
            if choisie is not None and structure.id != choisie:
                continue
            prefixe = "" if choisie is not None else f"{structure.raison_sociale} — "
            options += [(f"{prefixe}{s.libelle} ({s.code})", s.id) for s in structure.services]
        self._select("service_id").set_options(options)

    @on(Select.Changed, "#champ-recherche-structure_id")
    def _structure_changee(self) -> None:
        self._options_services()

    def lecture(self, criteres: CriteresRecherche) -> Callable[[Pagination], Page[ResumeMemoire]]:
        app = chorus(self)
        return partial(app.services.consultation.rechercher, app.utilisateur_id, *criteres)

    def _lire_criteres(self) -> CriteresRecherche:
        """The criteria typed, or a `ValidationError` naming each faulty field."""
        fautes: list[ErreurDeChamp] = []
        dates = {}
        for nom in _DATES:
            try:
                dates[nom] = lire_jour_facultatif(self._input(nom).value, champ(nom))
            except DomainError as erreur:
                fautes += erreur.erreurs
        if fautes:
            raise ValidationError(fautes[0].message, champ=fautes[0].champ, erreurs=fautes)
        statut = self._choix("statut")
        try:
            filtres = self._filtres(statut, dates)
        except DomainError as erreur:
            raise prefixer(erreur, PREFIXE_CHAMPS) from None
        return filtres, Tri.depuis(self._choix("tri") or TRI_DEFAUT)

    def _filtres(self, statut: str | None, dates: dict[str, date | None]) -> FiltresMemoire:
        return FiltresMemoire(
            numero=ou_rien(self._input("numero").value),
            numero_engagement_juridique=ou_rien(self._input("numero_engagement_juridique").value),
            numero_affaire=ou_rien(self._input("numero_affaire").value),
            juridiction_code=self._choix("juridiction_code"),
            structure_id=self._choix("structure_id"),
            service_id=self._choix("service_id"),
            categorie_prestataire=self._choix("categorie_prestataire"),
            texte_reference=self._choix("texte_reference"),
            statuts=frozenset() if statut is None else frozenset({StatutMemoire(statut)}),
            date_depot_du=dates["date_depot_du"],
            date_depot_au=dates["date_depot_au"],
        )

    def _effacer_criteres(self) -> None:
        for nom in (*_TEXTES, *_DATES):
            self._input(nom).value = ""
        for nom in _CHOIX:
            self._select(nom).clear()
        self._select("tri").value = TRI_DEFAUT
        effacer_erreurs(self)

    def _remplir(self, structure_id: str | None, statut: str | None) -> None:
        self._effacer_criteres()
        if structure_id is not None and structure_id in self.noms:
            self._select("structure_id").value = structure_id
        if statut is not None:
            self._select("statut").value = statut

    # -- searching ---------------------------------------------------------------------

    def action_rechercher(self) -> None:
        try:
            filtres, tri = self._lire_criteres()
        except DomainError as erreur:
            montrer_erreur(self, erreur)
            return
        effacer_erreurs(self)
        self.chercher((filtres, tri))

    @on(Input.Submitted)
    def _entree(self, evenement: Input.Submitted) -> None:
        evenement.stop()
        self.action_rechercher()

    def rechercher_par(self, *, structure_id: str | None, statut: str | None) -> None:
        """Fill the criteria with a structure and a status (a StatutMemoire value) and search."""
        statuts = frozenset() if statut is None else frozenset({StatutMemoire(statut)})
        if self._structures_chargees:
            self._remplir(structure_id, statut)
        else:
            # The structures' list is not there yet: it fills the form when it arrives.
            self._demande = (structure_id, statut)
        self.chercher(
            (FiltresMemoire(structure_id=structure_id, statuts=statuts), Tri()), focaliser=True
        )

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        # The page buttons are the base class's: Textual calls its handler too.
        lancer_bouton(
            evenement,
            {
                "recherche-lancer": self.action_rechercher,
                "recherche-effacer": self._effacer_criteres,
                "recherche-exporter": self.action_exporter,
                "recherche-supprimer": self.action_supprimer_selection,
            },
        )

    # -- marks -------------------------------------------------------------------------

    def marques(self) -> set[str]:
        return set(self._marques)

    def apres_chargement(self) -> None:
        self._maj_selection()

    def _maj_selection(self) -> None:
        nombre = len(self._marques)
        s = "s" if nombre > 1 else ""
        texte = f"{nombre} mémoire{s} sélectionné{s}" if nombre else ""
        self.query_one("#recherche-selection", Static).update(texte)

    def action_marquer(self) -> None:
        table = self.table
        resume = table.courant
        if resume is None:
            return
        if resume.id in self._marques:
            del self._marques[resume.id]
        else:
            self._marques[resume.id] = resume
        table.marquer(resume.id, resume.id in self._marques)
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)
        self._maj_selection()

    @work(exclusive=True, group="action")
    async def action_supprimer_selection(self) -> None:
        marques: Sequence[ResumeMemoire] = list(self._marques.values())
        if not marques:
            self.notify(
                "Sélectionnez d'abord les mémoires à supprimer (Espace sur une ligne).",
                severity="warning",
            )
            return
        brouillons = [r for r in marques if r.statut is StatutMemoire.BROUILLON]
        transmis = [r for r in marques if r.statut is not StatutMemoire.BROUILLON]
        raison = ""
        if len(transmis) == 1:
            raison = (
                f"Le mémoire n°{transmis[0].numero} a été transmis : il ne peut pas être "
                "supprimé ; il reste consultable pendant 10 ans."
            )
        elif transmis:
            raison = (
                f"{len(transmis)} mémoires sélectionnés ont été transmis : ils ne peuvent pas "
                "être supprimés ; ils restent consultables pendant 10 ans."
            )
        if not brouillons:
            self.notify(raison, severity="error", timeout=8)
            return
        detail = f"Les brouillons sont supprimés définitivement. {raison}".strip()
        if not await self.app.push_screen_wait(
            Confirmation(
                f"Supprimer {len(brouillons)} brouillon{'s' if len(brouillons) > 1 else ''} ?"
                f"\n\n{detail}",
                oui="Oui, supprimer",
            )
        ):
            return
        app = chorus(self)
        supprimes: list[str] = []
        refus: list[str] = []
        # Every marked mémoire goes to the use case: the domain says why one is kept.
        for resume in marques:
            try:
                await app.appeler(app.services.memoires.supprimer, app.utilisateur_id, resume.id)
            except DomainError as erreur:
                refus.append(erreur.message)
            else:
                supprimes.append(resume.numero)
        self._marques.clear()
        if supprimes:
            self.notify(
                f"{len(supprimes)} brouillon{'s' if len(supprimes) > 1 else ''} "
                f"supprimé{'s' if len(supprimes) > 1 else ''} : {', '.join(supprimes)}."
            )
        if refus:
            self.notify("\n".join(refus), severity="error", timeout=10)
        self.recharger()
        self._maj_selection()

    # -- export ------------------------------------------------------------------------

    def action_exporter(self) -> None:
        if self.criteres is None:
            self.notify("Lancez d'abord une recherche.", severity="warning")
            return
        app = chorus(self)
        filtres, tri = self.criteres
        aujourdhui = app.services.clock.aujourdhui()
        exporter_csv(
            self,
            titre="Exporter les résultats de la recherche en CSV",
            defaut=f"memoires-{aujourdhui:%Y%m%d}.csv",
            ecrire=ecriture_memoires(app, filtres, tri),
            succes=lambda ecrit: (
                f"{ecrit.nombre} mémoire{'s' if ecrit.nombre > 1 else ''} "
                f"exporté{'s' if ecrit.nombre > 1 else ''} dans « {ecrit.chemin} »."
            ),
        )
