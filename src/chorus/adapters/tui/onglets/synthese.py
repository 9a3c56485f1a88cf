"""The « Synthèse » tab of the mémoire space: what waits for the prestataire — drafts,
suspended and refused mémoires — with the actions each allows on its highlighted row."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.widgets import Button, DataTable, Static

from chorus.adapters.tui.ecrans.fichier import EcranFichier
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import (
    TableMemoires,
    ecriture_pieces,
    noms_des_structures,
)
from chorus.adapters.tui.widgets.modales import Confirmation
from chorus.domain.errors import DomainError
from chorus.domain.statuts import STATUTS_A_TRAITER, StatutMemoire
from chorus.ports.requetes import ResumeMemoire

PAR_SECTION = 10
"""The most recent mémoires each section shows; Rechercher lists them all."""

_SECTIONS = {
    StatutMemoire.BROUILLON: "Brouillons",
    StatutMemoire.SUSPENDU: "Mémoires suspendus",
    StatutMemoire.REFUSE: "Mémoires refusés",
}


_ACTIONS = (
    "ouvrir",
    "modifier",
    "supprimer",
    "abandonner",
    "dupliquer",
    "telecharger",
    "actualiser",
)


def id_table(statut: StatutMemoire) -> str:
    return f"synthese-{statut.value.lower()}"


class OngletSynthese(Vertical):
    """Three small tables; the actions apply to the row highlighted in the last table the
    cursor was in."""

    DEFAULT_CSS = """
    OngletSynthese { overflow-y: auto; padding: 0 1; }
    OngletSynthese > .titre { margin-bottom: 0; }
    OngletSynthese > .barre-actions { margin: 0 0 1 0; }
    OngletSynthese .section { text-style: bold; margin: 1 0 0 0; }
    OngletSynthese TableMemoires { max-height: 12; }
    OngletSynthese .vide { color: $text-muted; }
    """

    BINDINGS = [
        Binding("m", "modifier", "Modifier"),
        Binding("delete", "supprimer", "Supprimer"),
        Binding("a", "abandonner", "Abandonner"),
        Binding("d", "dupliquer", "Dupliquer"),
        Binding("t", "telecharger", "Télécharger"),
        Binding("f5", "actualiser", "Actualiser"),
    ]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._active: TableMemoires | None = None

    def compose(self) -> ComposeResult:
        yield Static("Mémoires à traiter", classes="titre")
        yield Static(
            "Les mémoires qui attendent une action de votre part. Les actions portent sur la "
            "ligne choisie ; Entrée ouvre le mémoire.",
            classes="aide",
        )
        with Horizontal(classes="barre-actions"):
            yield Button("Ouvrir", id="synthese-ouvrir", variant="primary")
            yield Button("Modifier", id="synthese-modifier")
            yield Button("Supprimer", id="synthese-supprimer", variant="error")
            yield Button("Abandonner", id="synthese-abandonner")
            yield Button("Dupliquer", id="synthese-dupliquer")
            yield Button("Télécharger", id="synthese-telecharger")
            yield Button("Actualiser", id="synthese-actualiser")
        for statut in STATUTS_A_TRAITER:
            yield Static(_SECTIONS[statut], id=f"{id_table(statut)}-titre", classes="section")
            yield TableMemoires(id=id_table(statut))
            yield Static("Aucun mémoire.", id=f"{id_table(statut)}-vide", classes="vide")

    def on_mount(self) -> None:
        self._maj_boutons()

    def on_show(self) -> None:
        self.action_actualiser()

    # -- which row ---------------------------------------------------------------------

    def table(self, statut: StatutMemoire) -> TableMemoires:
        return self.query_one(f"#{id_table(statut)}", TableMemoires)

    @property
    def courant(self) -> ResumeMemoire | None:
        """The mémoire the actions apply to: the highlighted row of the table last used,
        else the first row shown."""
        if self._active is not None and self._active.courant is not None:
            return self._active.courant
        for statut in STATUTS_A_TRAITER:
            resume = self.table(statut).courant
            if resume is not None:
                return resume
        return None

    @on(DescendantFocus)
    def _focus(self, evenement: DescendantFocus) -> None:
        if isinstance(evenement.widget, TableMemoires):
            self._active = evenement.widget
            self._maj_boutons()

    @on(DataTable.RowHighlighted)
    def _surligne(self, evenement: DataTable.RowHighlighted) -> None:
        if isinstance(evenement.data_table, TableMemoires) and evenement.data_table.has_focus:
            self._active = evenement.data_table
        self._maj_boutons()

    def _maj_boutons(self) -> None:
        resume = self.courant
        statut = None if resume is None else resume.statut
        brouillon = statut is StatutMemoire.BROUILLON
        for bouton, actif in (
            ("ouvrir", resume is not None),
            ("modifier", brouillon),
            ("supprimer", brouillon),
            ("abandonner", statut is StatutMemoire.REFUSE),
            ("dupliquer", resume is not None),
            ("telecharger", resume is not None),
        ):
            self.query_one(f"#synthese-{bouton}", Button).disabled = not actif

    # -- refresh -----------------------------------------------------------------------

    @work(exclusive=True, group="synthese")
    async def action_actualiser(self) -> None:
        app = chorus(self)
        if app.session is None:
            return
        try:
            synthese = await app.appeler(
                app.services.consultation.synthese, app.utilisateur_id, PAR_SECTION
            )
            noms = await noms_des_structures(app)
        except DomainError as erreur:
            self.notify(erreur.message, severity="error", timeout=8)
            return
        for statut in STATUTS_A_TRAITER:
            page = synthese[statut]
            self.table(statut).afficher(page.elements, noms)
            titre = f"{_SECTIONS[statut]} ({page.total})"
            if page.total > len(page.elements):
                titre += f" — les {len(page.elements)} plus récents ; tous dans « Rechercher »"
            self.query_one(f"#{id_table(statut)}-titre", Static).update(titre)
            self.query_one(f"#{id_table(statut)}-vide").display = not page.elements
            self.table(statut).display = bool(page.elements)
        self._maj_boutons()

    # -- actions -----------------------------------------------------------------------

    def _choisi(self) -> ResumeMemoire | None:
        resume = self.courant
        if resume is None:
            self.notify("Choisissez d'abord un mémoire dans une des listes.", severity="warning")
        return resume

    def on_button_pressed(self, evenement: Button.Pressed) -> None:
        nom = (evenement.button.id or "").removeprefix("synthese-")
        if nom in _ACTIONS:
            evenement.stop()
            getattr(self, f"action_{nom}")()

    def _refuser(self, message: str) -> None:
        self.notify(message, severity="error", timeout=8)

    def action_ouvrir(self) -> None:
        resume = self._choisi()
        if resume is not None:
            chorus(self).ouvrir_memoire(resume.id)

    @on(DataTable.RowSelected)
    def _ouvrir_ligne(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        if evenement.row_key.value is not None:
            chorus(self).ouvrir_memoire(evenement.row_key.value)

    def action_modifier(self) -> None:
        resume = self._choisi()
        if resume is None:
            return
        if resume.statut is not StatutMemoire.BROUILLON:
            self._refuser(
                f"Le mémoire n°{resume.numero} est à l'état « {resume.statut.libelle} » : seul "
                "un brouillon se modifie."
            )
            return
        chorus(self).modifier_brouillon(resume.id)

    @work(exclusive=True, group="action")
    async def action_supprimer(self) -> None:
        await self._conclure(
            StatutMemoire.BROUILLON,
            "Le mémoire n°{numero} a été transmis : il ne peut pas être supprimé ; "
            "il reste consultable pendant 10 ans.",
            "Supprimer le brouillon n°{numero} ?"
            "\n\n"
            "Le brouillon, ses lignes et ses pièces jointes sont supprimés définitivement.",
            "Oui, supprimer",
            chorus(self).services.memoires.supprimer,
            "Le brouillon n°{numero} est supprimé.",
        )

    @work(exclusive=True, group="action")
    async def action_abandonner(self) -> None:
        await self._conclure(
            StatutMemoire.REFUSE,
            "Le mémoire n°{numero} est à l'état « {statut} » : seul "
            "un mémoire refusé peut être abandonné.",
            "Abandonner le mémoire n°{numero} ?"
            "\n\n"
            "Vous renoncez à donner suite à ce mémoire refusé : il passe, définitivement, "
            "à l'état « Abandonné ».",
            "Oui, abandonner",
            chorus(self).services.memoires.abandonner,
            "Le mémoire n°{numero} est abandonné.",
        )

    async def _conclure(
        self,
        statut: StatutMemoire,
        refus: str,
        question: str,
        oui: str,
        appel: Callable[[str, str], object],
        succes: str,
    ) -> None:
        """Apply `appel` (a use case taking the user and the mémoire) to the chosen
        mémoire, which must be at `statut` and is asked about first. The texts are
        templates: ``{numero}`` and ``{statut}`` name the mémoire and its state."""
        resume = self._choisi()
        if resume is None:
            return
        textes = {"numero": resume.numero, "statut": resume.statut.libelle}
        if resume.statut is not statut:
            self._refuser(refus.format(**textes))
            return
        confirme = await self.app.push_screen_wait(Confirmation(question.format(**textes), oui=oui))
        if not confirme:
            return
        app = chorus(self)
        try:
            await app.appeler(appel, app.utilisateur_id, resume.id)
        except DomainError as erreur:
            self._refuser(erreur.message)
        else:
            self.notify(succes.format(**textes))
        self.action_actualiser()

    @work(exclusive=True, group="action")
    async def action_dupliquer(self) -> None:
        resume = self._choisi()
        if resume is None:
            return
        app = chorus(self)
        try:
            copie = await app.appeler(
                app.services.memoires.dupliquer, app.utilisateur_id, resume.id
            )
        except DomainError as erreur:
            self._refuser(erreur.message)
            self.action_actualiser()
            return
        self.notify(
            f"Le mémoire n°{resume.numero} est dupliqué dans le brouillon n°{copie.numero}, "
            "ouvert pour que vous le complétiez."
        )
        # No refresh here: the synthèse refreshes when it is shown again.
        app.modifier_brouillon(copie.id)

    @work(exclusive=True, group="action")
    async def action_telecharger(self) -> None:
        resume = self._choisi()
        if resume is None:
            return
        app = chorus(self)
        try:
            memoire = await app.appeler(
                app.services.memoires.obtenir, app.utilisateur_id, resume.id
            )
        except DomainError as erreur:
            self._refuser(erreur.message)
            return
        nombre = len(memoire.pieces) + len(memoire.pieces_complementaires)
        if not nombre:
            self.notify(f"Le mémoire n°{memoire.numero} n'a aucune pièce jointe.")
            return
        ecrit = await self.app.push_screen_wait(
            EcranFichier(
                titre=f"Télécharger les pièces jointes du mémoire n°{memoire.numero}",
                libelle="Dossier",
                defaut=f"pieces-{memoire.numero}",
                ecrire=ecriture_pieces(app, memoire),
                dossier=True,
            )
        )
        if ecrit is not None:
            self.notify(
                f"{ecrit.nombre} pièce{'s' if ecrit.nombre > 1 else ''} jointe"
                f"{'s' if ecrit.nombre > 1 else ''} du mémoire n°{memoire.numero} "
                f"enregistrée{'s' if ecrit.nombre > 1 else ''} dans « {ecrit.chemin} »."
            )
