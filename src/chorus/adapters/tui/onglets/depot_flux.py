"""The « Dépôt flux » tab of the mémoire space: deposit a file of many mémoires (JSON, XML
or CSV, with an optional ZIP of pièces), watch its integration, read its report, and find
the structure's previous flux.

The integration runs in a worker thread (`FluxService.traiter`), which tells the progress
bar after each committed chunk: the other tabs stay usable meanwhile. The report of a flux
may hold ten thousand mémoires: it is kept in memory and shown one page at a time, the
refused mémoires first, each one's errors in the panel below the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from chorus.adapters.tableurs.csv_francais import Cellule, encoder, enregistrer
from chorus.adapters.tui.affichage import instant, jour
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
    Pagineur,
    exporter_csv,
    lancer_bouton,
    mes_structures,
)
from chorus.adapters.tui.widgets.choix_fichier import ChoixFichier, dossier_de_depart
from chorus.adapters.tui.widgets.tableau import Colonne, TableauPagine, nombre_de_pages
from chorus.domain import acces
from chorus.domain.errors import (
    DomainError,
    ErreurDeChamp,
    FichierTropVolumineux,
    ValidationError,
)
from chorus.domain.flux.flux import Flux, FormatFlux, IssueReference, ResultatReference
from chorus.domain.organisation import Application, Profil, Structure
from chorus.ports.requetes import Pagination
from chorus.services.flux import TAILLE_MAXIMUM_FICHIER, TAILLE_MAXIMUM_PIECES

PREFIXE = "flux"
"""The tab's fields are named ``flux.<champ>``: the Saisir tab, on the same screen, already
uses ``attestation_sur_honneur`` and ``structure_id``."""
CHAMP_STRUCTURE = f"{PREFIXE}.structure_id"
CHAMP_FICHIER = f"{PREFIXE}.fichier"
CHAMP_FORMAT = f"{PREFIXE}.format"
CHAMP_PIECES = f"{PREFIXE}.pieces"
CHAMP_ENVOI = f"{PREFIXE}.envoi_direct"
CHAMP_ATTESTATION = f"{PREFIXE}.attestation_sur_honneur"

ONGLET = "depot-flux"
"""The TabPane id of the tab in the mémoire space."""

ATTESTATION_FLUX = (
    "En envoyant directement les mémoires de ce flux, j'en atteste sur l'honneur la sincérité "
    "en ce qui concerne les informations transmises."
)
"""The portal's sworn statement (« En validant le présent mémoire, vous en attestez sur
l'honneur la sincérité… »), said of the mémoires of the flux."""

FORMATS = {".json": FormatFlux.JSON, ".xml": FormatFlux.XML, ".csv": FormatFlux.CSV}
EXTENSIONS_PIECES = (".zip",)

PAR_PAGE_RAPPORT = 10
PAR_PAGE_HISTORIQUE = 8

ENTETE_RAPPORT = (
    "Rang",
    "Référence",
    "Issue",
    "Numéro du mémoire",
    "Position",
    "Champ",
    "Message",
)


def format_du_nom(nom: str) -> FormatFlux | None:
    """The format a file's extension announces (None for another extension)."""
    return FORMATS.get(Path(nom).suffix.lower())


def octets(taille: int) -> str:
    """``50 Mo`` for the size limits, counted as the service counts them."""
    return f"{taille // (1024 * 1024)} Mo"


def lire_fichier_flux(texte: str, champ: str, maximum: int, quoi: str) -> tuple[Path, bytes]:
    """The path typed and the bytes of that file, or a French refusal naming `champ`: a
    missing path, a folder, a file too big (refused before reading it), unreadable."""
    if not texte.strip():
        raise ValidationError(f"Indiquez {quoi}.", champ=champ)
    chemin = Path(texte.strip()).expanduser()
    if not chemin.is_absolute():
        chemin = Path.cwd() / chemin
    try:
        if chemin.is_dir():
            raise ValidationError(
                f"« {chemin} » est un dossier : indiquez un fichier.", champ=champ
            )
        taille = chemin.stat().st_size
        if taille > maximum:
            raise FichierTropVolumineux(
                f"Le fichier dépasse la taille maximale de {octets(maximum)} ({taille} octets).",
                champ=champ,
            )
        return chemin, chemin.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Le fichier « {chemin} » n'existe pas.", champ=champ) from None
    except PermissionError:
        raise ValidationError(
            f"Vous n'avez pas le droit de lire « {chemin} ».", champ=champ
        ) from None
    except OSError as erreur:
        raise ValidationError(
            f"Impossible de lire « {chemin} » (erreur système n°{erreur.errno}).", champ=champ
        ) from None


def vers_formulaire(erreur: DomainError) -> DomainError:
    """A refusal of the service, its fields named as the tab's: the file's name is the file
    field's, everything under ``flux.``."""
    if not isinstance(erreur, ValidationError):
        return erreur
    fautes = tuple(
        ErreurDeChamp("fichier" if e.champ == "nom_fichier" else e.champ, e.message)
        for e in erreur.erreurs
    )
    champ = "fichier" if erreur.champ == "nom_fichier" else erreur.champ
    return ValidationError(erreur.message, champ=champ, erreurs=fautes).prefixee(PREFIXE)


def peut_deposer(structure: Structure, utilisateur_id: str) -> bool:
    """The structure has its espace « frais de justice » and the user may file there: the
    habilitation Frais de justice modification on the whole structure, as the service
    asks."""
    return structure.espace_frais_de_justice is not None and acces.peut(
        structure, utilisateur_id, Application.FRAIS_DE_JUSTICE, Profil.MODIFICATION
    )


def pluriel(nombre: int, mot: str) -> str:
    return f"{nombre} {mot}{'s' if nombre > 1 else ''}"


def resume_flux(flux: Flux) -> str:
    """Who deposited what and when, where the flux stands, and its counts."""
    lignes = [
        f"Flux n° {flux.numero} — « {flux.nom_fichier} » ({flux.format.value}), déposé le "
        f"{instant(flux.date_depot)} par {flux.deposant}"
        + (" — envoi direct des mémoires" if flux.envoi_direct else " — mémoires en brouillon"),
        f"Statut : {flux.statut.libelle}",
    ]
    if flux.total is not None:
        lignes.append(
            f"{pluriel(flux.total, 'mémoire')} : {pluriel(flux.integres, 'intégré')} · "
            f"{pluriel(flux.deja_integres, 'déjà intégré')} · {pluriel(flux.refuses, 'refusé')}"
        )
    if flux.motif_rejet:
        lignes.append(f"Motif du rejet : {flux.motif_rejet}")
    return "\n".join(lignes)


def bilan(flux: Flux) -> str:
    """« intégrés (or already) / refusés » of the previous flux' table."""
    return f"{flux.integres + flux.deja_integres}/{flux.refuses}" if flux.total is not None else ""


def avancement(flux: Flux) -> str:
    """« Flux n° … — En traitement : 500 / 1 000 mémoires traités »."""
    if flux.total is None:
        return f"Flux n° {flux.numero} — {flux.statut.libelle} : lecture du fichier…"
    return (
        f"Flux n° {flux.numero} — {flux.statut.libelle} : {flux.traites} / "
        f"{pluriel(flux.total, 'mémoire')} traité{'s' if flux.traites > 1 else ''}"
    )


def ordre_du_rapport(rapport: Sequence[ResultatReference]) -> list[ResultatReference]:
    """The refused mémoires first, then the others, each in file order."""
    return sorted(rapport, key=lambda r: (r.issue is not IssueReference.REFUSE, r.rang))


def cle_resultat(resultat: ResultatReference) -> str:
    return str(resultat.rang)


def cellules_resultat(resultat: ResultatReference) -> tuple[str, ...]:
    """A row of the report: rank, reference, issue, number given, how many errors (they
    are read in the panel below the table)."""
    return (
        str(resultat.rang + 1),
        resultat.reference or "—",
        resultat.issue.libelle,
        resultat.numero_memoire or "",
        str(len(resultat.erreurs)) if resultat.erreurs else "",
    )


def erreurs_lisibles(resultat: ResultatReference) -> str:
    """Every error of a mémoire of the report, one per line: where, which field, why."""
    if not resultat.erreurs:
        if resultat.numero_memoire:
            return f"Mémoire n° {resultat.numero_memoire} : aucune erreur."
        return "Aucune erreur."
    return "\n".join(
        f"• {e.ligne} — {e.champ or 'mémoire'} : {e.message}" for e in resultat.erreurs
    )


def lignes_rapport(rapport: Sequence[ResultatReference]) -> Iterator[tuple[Cellule, ...]]:
    """The report as CSV rows, in file order: a row per error of a refused mémoire, one
    row for each other mémoire."""
    for resultat in rapport:
        debut: tuple[Cellule, ...] = (
            resultat.rang + 1,
            resultat.reference,
            resultat.issue.libelle,
            resultat.numero_memoire,
        )
        if not resultat.erreurs:
            yield (*debut, None, None, None)
        for erreur in resultat.erreurs:
            yield (*debut, erreur.ligne, erreur.champ, erreur.message)


def ecriture_rapport(app: AppChorus, numero: str) -> Ecriture:
    """The report of the flux `numero` into a French CSV file, read again from the store."""
    service = app.services.flux
    acteur_id = app.utilisateur_id

    def ecrire(chemin: Path, progression: Progression) -> int:
        rapport = service.rapport(acteur_id, numero)
        progression(0, len(rapport))
        enregistrer(chemin, encoder(ENTETE_RAPPORT, lignes_rapport(rapport)))
        progression(len(rapport), len(rapport))
        return len(rapport)

    return ecrire


class OngletDepotFlux(Horizontal):
    """On the left the deposit form, the integration's progress and the structure's
    previous flux; on the right the report of the flux shown."""

    DEFAULT_CSS = """
    OngletDepotFlux { padding: 0 1; }
    OngletDepotFlux #flux-gauche { width: 66; margin-right: 2; }
    OngletDepotFlux #flux-droite { width: 1fr; }
    OngletDepotFlux .sous-titre { text-style: bold; margin: 1 0 0 0; }
    OngletDepotFlux #flux-formulaire { height: auto; }
    OngletDepotFlux .ligne-champ { height: auto; }
    OngletDepotFlux .ligne-champ > Champ { width: 1fr; }
    OngletDepotFlux .ligne-champ > Champ.court { width: 18; margin-left: 1; }
    OngletDepotFlux .ligne-champ > Button { margin: 1 0 0 1; min-width: 14; }
    OngletDepotFlux Checkbox { width: 1fr; height: auto; }
    OngletDepotFlux #flux-bloc-attestation { height: auto; display: none; }
    OngletDepotFlux #flux-bloc-attestation.visible { display: block; }
    OngletDepotFlux #flux-attestation-texte { margin: 1 0 0 0; }
    OngletDepotFlux .barre-actions { margin: 0; }
    OngletDepotFlux #flux-avancement { height: auto; }
    OngletDepotFlux #flux-progression { display: none; }
    OngletDepotFlux #flux-progression.visible { display: block; }
    OngletDepotFlux #flux-reprendre { display: none; }
    OngletDepotFlux #flux-reprendre.visible { display: block; }
    OngletDepotFlux #flux-historique { height: auto; max-height: 10; }
    OngletDepotFlux #flux-historique-aide { margin: 0; }
    OngletDepotFlux #flux-historique-pagination { margin: 0; }
    OngletDepotFlux #flux-historique-pagination > Static { padding: 0 1; }
    OngletDepotFlux #flux-resume { height: auto; }
    OngletDepotFlux #flux-outils-rapport { height: auto; }
    OngletDepotFlux #flux-outils-rapport > Checkbox { width: auto; }
    OngletDepotFlux #flux-detail { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "deposer", "Déposer le flux"),
        Binding("f6", "exporter", "Exporter le rapport"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.structures: list[Structure] = []
        """The structures where the user may deposit a flux."""
        self.flux: Flux | None = None
        """The flux whose report is shown (or whose integration is watched)."""
        self.rapport: tuple[ResultatReference, ...] = ()
        self._par_cle: dict[str, ResultatReference] = {}
        self.en_cours: str | None = None
        """The number of the flux this tab is integrating (None when idle)."""
        self.page_historique = 1
        self.total_historique = 0
        self._format_choisi_a_la_main = False
        self._format_propose: FormatFlux | None = None
        self.compose_fait = False
        self._depot_en_cours = False
        """Whether the tab's widgets exist (they are composed when it is first shown)."""

    def compose(self) -> ComposeResult:
        if not self.compose_fait:
            # Composed the first time the tab is shown: the mémoire space opens at sign-in,
            # and these fifty widgets would lengthen it for every user.
            return
        with VerticalScroll(id="flux-gauche"):
            yield Static("Déposer un flux de mémoires", classes="titre")
            yield Static(
                "Un fichier JSON, XML ou CSV de mémoires au format documenté (docs/flux.md), "
                f"{octets(TAILLE_MAXIMUM_FICHIER)} au plus ; les pièces annoncées voyagent "
                f"dans un ZIP joint ({octets(TAILLE_MAXIMUM_PIECES)} au plus).",
                classes="aide",
            )
            with Vertical(id="flux-formulaire"):
                with Horizontal(classes="ligne-champ"):
                    yield Champ(
                        "Structure",
                        CHAMP_STRUCTURE,
                        Select[str]([], prompt="Sélectionner une structure"),
                        obligatoire=True,
                    )
                    format_ = Champ(
                        "Format",
                        CHAMP_FORMAT,
                        Select[str]([(f.value, f.value) for f in FormatFlux], prompt="Format"),
                        obligatoire=True,
                    )
                    format_.add_class("court")
                    yield format_
                with Horizontal(classes="ligne-champ"):
                    yield Champ(
                        "Fichier du flux (.json, .xml, .csv)",
                        CHAMP_FICHIER,
                        Input(placeholder="chemin du fichier"),
                        obligatoire=True,
                    )
                    yield Button("Parcourir…", id="flux-parcourir-fichier")
                with Horizontal(classes="ligne-champ"):
                    yield Champ(
                        "Pièces jointes (ZIP, facultatif)",
                        CHAMP_PIECES,
                        Input(placeholder="chemin du fichier .zip"),
                    )
                    yield Button("Parcourir…", id="flux-parcourir-pieces")
                yield Champ(
                    "Envoi",
                    CHAMP_ENVOI,
                    Checkbox("Envoyer directement les mémoires (sinon : brouillons)"),
                )
                with Vertical(id="flux-bloc-attestation"):
                    # The statement in full above a short box: a checkbox's label does not
                    # wrap, and the sentence is what the user swears to.
                    yield Static(ATTESTATION_FLUX, id="flux-attestation-texte", markup=False)
                    yield Champ(
                        "Attestation sur l'honneur",
                        CHAMP_ATTESTATION,
                        Checkbox("Je l'atteste sur l'honneur"),
                        obligatoire=True,
                    )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Déposer le flux", id="flux-deposer", variant="primary")
            with Vertical(id="flux-avancement"):
                yield Static("", id="flux-etat", markup=False)
                yield ProgressBar(id="flux-progression", show_eta=False)
                yield Button("Reprendre l'intégration", id="flux-reprendre")
            yield Static("Flux déposés de la structure", classes="sous-titre")
            yield Static(
                "Entrée affiche le rapport du flux choisi ; Int./Réf. : mémoires intégrés "
                "(ou déjà intégrés) / refusés.",
                id="flux-historique-aide",
                classes="aide",
            )
            historique: DataTable[str] = DataTable(
                id="flux-historique", cursor_type="row", zebra_stripes=True
            )
            yield historique
            yield Pagineur("flux-historique")
        with VerticalScroll(id="flux-droite"):
            yield Static("Rapport d'intégration", classes="titre")
            yield Static(
                "Choisissez un flux déposé (Entrée) ou déposez-en un pour lire son rapport.",
                id="flux-resume",
                markup=False,
            )
            with Horizontal(id="flux-outils-rapport"):
                yield Checkbox("Refusés seulement", id="flux-refuses-seulement")
                yield Button("Exporter le rapport", id="flux-exporter", disabled=True)
            yield TableauPagine(
                [
                    Colonne("N°", 5),
                    Colonne("Référence", 16),
                    Colonne("Issue", 12),
                    Colonne("N° de mémoire", 16),
                    Colonne("Erreurs", 7),
                ],
                unite="mémoires",
                vide="Aucun mémoire à afficher.",
                par_page=PAR_PAGE_RAPPORT,
                id="flux-rapport",
            )
            yield Static("", id="flux-detail-titre", classes="sous-titre", markup=False)
            yield Static("", id="flux-detail", markup=False)

    def on_mount(self) -> None:
        self._charger_structures()

    async def on_show(self) -> None:
        if self.compose_fait:
            return
        self.compose_fait = True
        await self.recompose()
        historique = self.query_one("#flux-historique", DataTable)
        for cle, titre, largeur in (
            ("numero", "Numéro", 15),
            ("depot", "Déposé le", 10),
            ("statut", "Statut", 21),
            ("bilan", "Int./Réf.", 9),
        ):
            historique.add_column(titre, key=cle, width=largeur)
        if self.structures:
            self._proposer_structures()
        focus = self.screen.focused
        if focus is None or self not in focus.ancestors:
            # The space gave the focus to the tab before its widgets existed.
            self._select_structure().focus()

    # -- the structures ------------------------------------------------------------------

    def _select_structure(self) -> Select[str]:
        return self.query_one(f"#{id_champ(CHAMP_STRUCTURE)}", Select)

    @property
    def structure_id(self) -> str | None:
        """The structure chosen (None until the tab has been shown)."""
        try:
            choisie = self._select_structure().value
        except NoMatches:
            return None
        return choisie if isinstance(choisie, str) else None

    @work(group="flux-structures")
    async def _charger_structures(self) -> None:
        structures = await mes_structures(self)
        if structures is None:
            return
        app = chorus(self)
        self.structures = [s for s in structures if peut_deposer(s, app.utilisateur_id)]
        if not self.structures:
            # Only a user who may file mémoires of a structure deposits a flux: for the
            # others the tab is not offered.
            self._masquer()
            return
        if self.compose_fait:
            self._proposer_structures()

    def _proposer_structures(self) -> None:
        """Offer the structures where the user may file, the current one chosen."""
        select = self._select_structure()
        select.set_options((f"{s.raison_sociale} ({s.identifiant})", s.id) for s in self.structures)
        courante = chorus(self).structure_id
        voulue = courante if any(s.id == courante for s in self.structures) else None
        if voulue is None and len(self.structures) == 1:
            voulue = self.structures[0].id
        if voulue is not None:
            select.value = voulue
        else:
            self._charger_historique(1)

    def _masquer(self) -> None:
        """Hide the tab holding this one (its TabPane in the space's TabbedContent)."""
        panneau = next((a for a in self.ancestors if isinstance(a, TabPane)), None)
        onglets = next((a for a in self.ancestors if isinstance(a, TabbedContent)), None)
        if panneau is not None and panneau.id is not None and onglets is not None:
            onglets.hide_tab(panneau.id)

    @on(Select.Changed, f"#{id_champ(CHAMP_STRUCTURE)}")
    def _structure_changee(self, evenement: Select.Changed) -> None:
        evenement.stop()
        self._charger_historique(1)

    # -- the form ------------------------------------------------------------------------

    @on(Input.Changed, f"#{id_champ(CHAMP_FICHIER)}")
    def _fichier_change(self, evenement: Input.Changed) -> None:
        """The format follows the file's extension, unless the user chose one by hand."""
        evenement.stop()
        format_ = format_du_nom(evenement.value.strip())
        if format_ is None or self._format_choisi_a_la_main:
            return
        self._format_propose = format_
        self.query_one(f"#{id_champ(CHAMP_FORMAT)}", Select).value = format_.value

    @on(Select.Changed, f"#{id_champ(CHAMP_FORMAT)}")
    def _format_change(self, evenement: Select.Changed) -> None:
        evenement.stop()
        choisi = evenement.value
        propose = self._format_propose.value if self._format_propose else None
        # A format other than the one the extension announced is the user's own choice:
        # typing another path no longer replaces it.
        self._format_choisi_a_la_main = isinstance(choisi, str) and choisi != propose

    @on(Checkbox.Changed, f"#{id_champ(CHAMP_ENVOI)}")
    def _envoi_change(self, evenement: Checkbox.Changed) -> None:
        evenement.stop()
        self.query_one("#flux-bloc-attestation").set_class(evenement.value, "visible")
        if not evenement.value:
            self.query_one(f"#{id_champ(CHAMP_ATTESTATION)}", Checkbox).value = False

    def _parcourir(self, champ: str, titre: str, extensions: Sequence[str]) -> None:
        def choisi(chemin: Path | None) -> None:
            if chemin is not None:
                saisie = self.query_one(f"#{id_champ(champ)}", Input)
                saisie.value = str(chemin)
                saisie.focus()

        depart = dossier_de_depart(valeur(self, champ))
        self.app.push_screen(
            ChoixFichier(titre=titre, extensions=extensions, depart=depart), choisi
        )

    def _formulaire(self) -> Vertical:
        return self.query_one("#flux-formulaire", Vertical)

    @work(group="depot-flux")
    async def action_deposer(self) -> None:
        # Not an exclusive worker: a second press must not cancel a deposit between its
        # storing and the start of its integration; it is ignored instead.
        if self._depot_en_cours:
            return
        self._depot_en_cours = True
        try:
            await self._deposer()
        finally:
            self._depot_en_cours = False

    async def _deposer(self) -> None:
        if self.en_cours is not None:
            self.notify(
                f"Le flux n° {self.en_cours} est en cours d'intégration : attendez sa fin.",
                severity="warning",
            )
            return
        app = chorus(self)
        formulaire = self._formulaire()
        fautes: list[ErreurDeChamp] = []
        structure_id = self.structure_id
        if structure_id is None:
            fautes.append(ErreurDeChamp(CHAMP_STRUCTURE, "Choisissez une structure."))
        format_choisi = self.query_one(f"#{id_champ(CHAMP_FORMAT)}", Select).value
        if not isinstance(format_choisi, str):
            fautes.append(
                ErreurDeChamp(CHAMP_FORMAT, "Choisissez le format du fichier : JSON, XML ou CSV.")
            )
        envoi_direct = self.query_one(f"#{id_champ(CHAMP_ENVOI)}", Checkbox).value
        atteste = self.query_one(f"#{id_champ(CHAMP_ATTESTATION)}", Checkbox).value
        if envoi_direct and not atteste:
            fautes.append(
                ErreurDeChamp(
                    CHAMP_ATTESTATION,
                    "Pour envoyer directement les mémoires, cochez l'attestation sur l'honneur.",
                )
            )
        texte_fichier = valeur(self, CHAMP_FICHIER)
        texte_pieces = valeur(self, CHAMP_PIECES)
        fichier: tuple[Path, bytes] | None = None
        pieces: bytes | None = None
        try:
            fichier = await app.appeler(
                lire_fichier_flux,
                texte_fichier,
                CHAMP_FICHIER,
                TAILLE_MAXIMUM_FICHIER,
                "le fichier du flux",
            )
        except DomainError as erreur:
            fautes += erreur.erreurs
        if texte_pieces.strip():
            try:
                _, pieces = await app.appeler(
                    lire_fichier_flux,
                    texte_pieces,
                    CHAMP_PIECES,
                    TAILLE_MAXIMUM_PIECES,
                    "le ZIP des pièces",
                )
            except DomainError as erreur:
                fautes += erreur.erreurs
        if fautes:
            montrer_erreur(
                formulaire,
                ValidationError(fautes[0].message, champ=fautes[0].champ, erreurs=fautes),
            )
            return
        if structure_id is None or fichier is None or not isinstance(format_choisi, str):
            return  # each of these is one of the faults above
        chemin, contenu = fichier
        try:
            flux = await app.appeler(
                app.services.flux.deposer,
                app.utilisateur_id,
                structure_id=structure_id,
                format=FormatFlux(format_choisi),
                nom_fichier=chemin.name,
                contenu=contenu,
                pieces=pieces,
                envoi_direct=envoi_direct,
                attestation_sur_honneur=atteste,
            )
        except DomainError as erreur:
            montrer_erreur(formulaire, vers_formulaire(erreur))
            return
        effacer_erreurs(formulaire)
        self.notify(f"Flux n° {flux.numero} déposé : son intégration commence.")
        self._montrer_flux(flux, ())
        self._charger_historique(1)
        self._suivre(flux)

    # -- the integration -----------------------------------------------------------------

    def _suivre(self, flux: Flux) -> None:
        """Integrate `flux` in a worker thread, the bar following it."""
        self.en_cours = flux.numero
        self.query_one("#flux-deposer", Button).disabled = True
        self.query_one("#flux-reprendre").remove_class("visible")
        barre = self.query_one("#flux-progression", ProgressBar)
        barre.add_class("visible")
        barre.update(total=flux.total, progress=flux.traites)
        self.query_one("#flux-etat", Static).update(avancement(flux))
        self._integrer(flux.numero)

    @work(thread=True, group="integration-flux")
    def _integrer(self, numero: str) -> None:
        app = chorus(self)
        travail = get_current_worker()

        def progression(flux: Flux) -> None:
            if travail.is_cancelled or not app.is_running:
                # The application is closing: stop after the chunk just committed rather
                # than hold the exit until the whole file is integrated; the next
                # `traiter` (the server's loop, « Reprendre l'intégration ») resumes there.
                raise _Abandon
            app.call_from_thread(self._avancer, flux)

        try:
            flux = app.services.flux.traiter(numero, progression=progression)
        except _Abandon:
            return
        except DomainError as erreur:
            app.call_from_thread(self._interrompu, numero, erreur.message)
        except Exception as erreur:
            # A store that fails midway (a locked or full disk…): what was committed stays,
            # the rest resumes later; the screen says so instead of closing the application.
            app.call_from_thread(
                self._interrompu,
                numero,
                f"erreur inattendue ({type(erreur).__name__} : {erreur}) ; les mémoires déjà "
                "intégrés le restent, « Reprendre l'intégration » poursuit.",
            )
        else:
            app.call_from_thread(self._termine, flux)

    def _avancer(self, flux: Flux) -> None:
        if flux.total is not None:
            self.query_one("#flux-progression", ProgressBar).update(
                total=flux.total, progress=flux.traites
            )
        self.query_one("#flux-etat", Static).update(avancement(flux))
        historique = self.query_one("#flux-historique", DataTable)
        if flux.numero in historique.rows:
            historique.update_cell(flux.numero, "statut", flux.statut.libelle)
            historique.update_cell(flux.numero, "bilan", bilan(flux))
        if self.flux is not None and self.flux.numero == flux.numero:
            self.flux = flux
            self.query_one("#flux-resume", Static).update(resume_flux(flux))

    def _fin_du_suivi(self) -> None:
        self.en_cours = None
        self.query_one("#flux-deposer", Button).disabled = False

    def _interrompu(self, numero: str, message: str) -> None:
        self._fin_du_suivi()
        self.query_one("#flux-etat", Static).update(
            f"Flux n° {numero} — intégration interrompue : {message}"
        )
        self.query_one("#flux-reprendre").add_class("visible")
        self.notify(message, severity="error", timeout=8)

    def _termine(self, flux: Flux) -> None:
        """`traiter` came back: the flux is terminated, or another process (the server's
        loop) holds its integration and this one let go."""
        self._fin_du_suivi()
        self._avancer(flux)
        self._ouvrir(flux.numero)
        self._charger_historique(self.page_historique)
        etat = self.query_one("#flux-etat", Static)
        if not flux.statut.termine:
            # Another process holds the integration: the report's reading says so.
            return
        barre = self.query_one("#flux-progression", ProgressBar)
        if flux.total:
            barre.update(total=flux.total, progress=flux.total)
        else:
            # A file rejected before any mémoire was read: no progress to show.
            barre.remove_class("visible")
        etat.update(f"Flux n° {flux.numero} — {flux.statut.libelle}.")
        self.notify(f"Flux n° {flux.numero} : {flux.statut.libelle.lower()}.")

    def action_reprendre(self) -> None:
        if self.en_cours is None and self.flux is not None and not self.flux.statut.termine:
            self._suivre(self.flux)

    # -- the report ----------------------------------------------------------------------

    @work(exclusive=True, group="flux-rapport")
    async def _ouvrir(self, numero: str) -> None:
        """Read the flux `numero` and its report, and show them."""
        app = chorus(self)
        try:
            flux, rapport = await app.appeler(
                app.services.flux.obtenir_avec_rapport, app.utilisateur_id, numero
            )
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        self._montrer_flux(flux, rapport)

    def _montrer_flux(self, flux: Flux, rapport: Sequence[ResultatReference]) -> None:
        self.flux = flux
        self.rapport = tuple(rapport)
        self._par_cle = {cle_resultat(r): r for r in self.rapport}
        self.query_one("#flux-resume", Static).update(resume_flux(flux))
        self.query_one("#flux-exporter", Button).disabled = not flux.statut.termine
        if self.en_cours is None:
            reprendre = not flux.statut.termine
            self.query_one("#flux-reprendre").set_class(reprendre, "visible")
            if reprendre:
                self.query_one("#flux-etat", Static).update(
                    f"{avancement(flux)} — en attente, ou intégré par un autre traitement "
                    "(le serveur) : « Reprendre l'intégration » le suit ici."
                )
        self._remplir_rapport()

    def _remplir_rapport(self) -> None:
        seulement = self.query_one("#flux-refuses-seulement", Checkbox).value
        resultats = [
            r
            for r in ordre_du_rapport(self.rapport)
            if not seulement or r.issue is IssueReference.REFUSE
        ]
        tableau = self.query_one("#flux-rapport", TableauPagine)
        tableau.page = 1
        tableau.remplir([(cle_resultat(r), cellules_resultat(r)) for r in resultats])
        self._montrer_detail(resultats[0] if resultats else None)

    def _montrer_detail(self, resultat: ResultatReference | None) -> None:
        titre = self.query_one("#flux-detail-titre", Static)
        detail = self.query_one("#flux-detail", Static)
        if resultat is None:
            titre.update("")
            detail.update("")
            return
        titre.update(
            f"Mémoire {resultat.rang + 1} — référence « {resultat.reference or '—'} » : "
            f"{resultat.issue.libelle}"
        )
        detail.update(erreurs_lisibles(resultat))

    def _resultat(self, cle: str | None) -> ResultatReference | None:
        return None if cle is None else self._par_cle.get(cle)

    @on(DataTable.RowHighlighted)
    def _ligne_choisie(self, evenement: DataTable.RowHighlighted) -> None:
        if evenement.data_table.parent is self.query_one("#flux-rapport", TableauPagine):
            evenement.stop()
            self._montrer_detail(self._resultat(evenement.row_key.value))

    @on(DataTable.RowSelected)
    def _ouvrir_memoire(self, evenement: DataTable.RowSelected) -> None:
        """Entrée on an integrated mémoire of the report opens it."""
        if evenement.data_table.parent is not self.query_one("#flux-rapport", TableauPagine):
            return
        evenement.stop()
        resultat = self._resultat(evenement.row_key.value)
        if resultat is not None and resultat.memoire_id is not None:
            chorus(self).ouvrir_memoire(resultat.memoire_id)

    @on(Checkbox.Changed, "#flux-refuses-seulement")
    def _filtre_change(self, evenement: Checkbox.Changed) -> None:
        evenement.stop()
        self._remplir_rapport()

    @work(exclusive=True, group="export-flux")
    async def action_exporter(self) -> None:
        flux = self.flux
        if flux is None or not flux.statut.termine:
            self.notify("Choisissez d'abord un flux intégré.", severity="warning")
            return
        exporter_csv(
            self,
            titre="Exporter le rapport du flux en CSV",
            defaut=f"rapport-{flux.numero}.csv",
            ecrire=ecriture_rapport(chorus(self), flux.numero),
            succes=_exporte,
            aide="Une ligne par erreur des mémoires refusés, une ligne par mémoire intégré ; "
            "un chemin relatif part du dossier courant.",
        )

    # -- the structure's previous flux ---------------------------------------------------

    @work(exclusive=True, group="flux-historique")
    async def _charger_historique(self, page: int) -> None:
        table = self.query_one("#flux-historique", DataTable)
        structure_id = self.structure_id
        if structure_id is None:
            table.clear()
            self.total_historique = 0
            self.query_one(Pagineur).afficher(1, 0, PAR_PAGE_HISTORIQUE)
            return
        app = chorus(self)
        try:
            resultat = await app.appeler(
                app.services.flux.lister,
                app.utilisateur_id,
                structure_id,
                Pagination(page, PAR_PAGE_HISTORIQUE),
            )
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        derniere = nombre_de_pages(resultat.total, PAR_PAGE_HISTORIQUE)
        if not resultat.elements and page > derniere:
            self._charger_historique(derniere)
            return
        self.page_historique, self.total_historique = page, resultat.total
        table.clear()
        for flux in resultat.elements:
            table.add_row(
                flux.numero,
                jour(flux.date_depot),
                flux.statut.libelle,
                bilan(flux),
                key=flux.numero,
            )
        self.query_one(Pagineur).afficher(page, resultat.total, PAR_PAGE_HISTORIQUE)

    @on(DataTable.RowSelected, "#flux-historique")
    def _flux_choisi(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        if evenement.row_key.value is not None:
            self._ouvrir(evenement.row_key.value)

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        lancer_bouton(
            evenement,
            {
                "flux-deposer": self.action_deposer,
                "flux-reprendre": self.action_reprendre,
                "flux-exporter": self.action_exporter,
                "flux-parcourir-fichier": lambda: self._parcourir(
                    CHAMP_FICHIER, "Choisir le fichier du flux", tuple(FORMATS)
                ),
                "flux-parcourir-pieces": lambda: self._parcourir(
                    CHAMP_PIECES, "Choisir le ZIP des pièces jointes", EXTENSIONS_PIECES
                ),
                "flux-historique-precedente": lambda: self._charger_historique(
                    self.page_historique - 1
                ),
                "flux-historique-suivante": lambda: self._charger_historique(
                    self.page_historique + 1
                ),
            },
        )


class _Abandon(Exception):
    """The integration followed by a closing application stops between two chunks."""


def _exporte(ecrit: Ecrit) -> str:
    return f"Rapport exporté dans « {ecrit.chemin} » : {pluriel(ecrit.nombre, 'mémoire')}."
