"""A mémoire's detail, for the prestataire: en-tête, lines, pièces, totals, certificate and
history, with what the mémoire's status allows — modify or delete a draft, complete a
suspended one, abandon a refused one, duplicate any, save a pièce to a file, download the
certificat de dépôt and the mémoire of a sent one as PDF."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, Input, Select, Static

from chorus.adapters.tui.affichage import ou_rien
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.widgets.detail_memoire import DetailMemoire, taille_lisible
from chorus.adapters.tui.widgets.documents import (
    ACTIONS_DOCUMENTS,
    DocumentDuMemoire,
    telecharger,
)
from chorus.adapters.tui.widgets.fichiers import lire_fichier
from chorus.adapters.tui.widgets.modales import (
    Confirmation,
    EnregistrerSous,
    piece_a_enregistrer,
)
from chorus.adapters.tui.widgets.tableau import Colonne, TableauPagine
from chorus.domain import acces
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import TRANSITIONS, StatutMemoire

# The actions of the screen, each a button (same id) and a key of the footer.
ACTIONS = (
    "modifier",
    "completer",
    "dupliquer",
    "enregistrer_piece",
    *ACTIONS_DOCUMENTS,
    "abandonner",
    "supprimer",
)
T = TypeVar("T")

_MODIFICATIONS = frozenset({"modifier", "completer", "dupliquer", "abandonner", "supprimer"})


def actions_possibles(memoire: Memoire, *, peut_modifier: bool = True) -> frozenset[str]:
    """What the screen offers for `memoire`: only what its status allows (and, without the
    « modification » habilitation, only reading)."""
    possibles = {"dupliquer"}
    if memoire.pieces or memoire.pieces_complementaires:
        possibles.add("enregistrer_piece")
    if memoire.certificat is not None:
        # Sent: its documents exist (a draft has none, the use case would refuse).
        possibles.update(ACTIONS_DOCUMENTS)
    if memoire.statut is StatutMemoire.BROUILLON:
        possibles |= {"modifier", "supprimer"}
    if memoire.statut in TRANSITIONS[StatutMemoire.ABANDONNE][0]:
        possibles.add("abandonner")
    if memoire.statut in TRANSITIONS[StatutMemoire.COMPLETE][0]:
        possibles.add("completer")
    if not peut_modifier:
        possibles -= _MODIFICATIONS
    return frozenset(possibles)


def lire_numero_ligne(texte: str) -> int | None:
    brut = texte.strip()
    if not brut:
        return None
    if not (brut.isascii() and brut.isdigit()) or len(brut) > 9:
        raise ValidationError(
            "Le numéro de ligne doit être un entier (1, 2, …).", champ="numero_ligne"
        )
    return int(brut)


class FenetreCompleter(ModalScreen[bool]):
    """Answer a suspension: pièces added from files, then the comment sent with them.

    Pièces joined here wait, attached to the mémoire, until « Transmettre »: closing the
    window keeps them (they can still be removed until then)."""

    DEFAULT_CSS = """
    FenetreCompleter { align: center middle; }
    FenetreCompleter > #completer { max-height: 95%; height: auto; }
    FenetreCompleter .ligne-piece { height: auto; }
    FenetreCompleter .ligne-piece > Champ { width: 1fr; margin-right: 1; }
    FenetreCompleter .ligne-piece > Champ.etroit { width: 20; }
    """
    BINDINGS = [
        Binding("escape", "fermer", "Fermer"),
        Binding("ctrl+o", "joindre", "Joindre la pièce"),
        Binding("ctrl+r", "retirer", "Retirer la pièce choisie"),
        Binding("ctrl+t", "transmettre", "Transmettre le complément"),
    ]

    def __init__(self, memoire: Memoire) -> None:
        super().__init__()
        self.memoire = memoire

    def compose(self) -> ComposeResult:
        suspension = next(
            (e for e in reversed(self.memoire.historique) if e.statut is StatutMemoire.SUSPENDU),
            None,
        )
        with VerticalScroll(classes="carte", id="completer"):
            yield Static(f"Compléter le mémoire n°{self.memoire.numero}", classes="titre")
            if suspension is not None and suspension.motif:
                yield Static(
                    f"Motif de la suspension : {suspension.motif}", markup=False, classes="aide"
                )
            yield Static(
                "Pièces ajoutées depuis la suspension (transmises avec le commentaire) :",
                classes="aide",
            )
            yield TableauPagine(
                [Colonne("Nom du fichier"), Colonne("Type"), Colonne("Ligne"), Colonne("Taille")],
                unite="pièces",
                vide="Aucune pièce ajoutée pour l'instant.",
                id="complements",
            )
            with Horizontal(classes="ligne-piece"):
                yield Champ("Fichier à joindre (chemin)", "fichier", Input())
                yield Champ(
                    "Type de pièce",
                    "type_piece",
                    Select(
                        [(t.libelle, t) for t in TypePiece],
                        allow_blank=False,
                        value=TypePiece.AUTRE,
                    ),
                )
            with Horizontal(classes="ligne-piece"):
                yield Champ("Désignation (facultatif)", "designation", Input())
                ligne = Champ("Ligne (facultatif)", "numero_ligne", Input())
                ligne.add_class("etroit")
                yield ligne
            with Horizontal(classes="barre-actions"):
                yield Button("Joindre la pièce", id="joindre-piece")
                yield Button("Retirer la pièce choisie", id="retirer-piece")
            yield Champ(
                "Commentaire pour le service centralisateur",
                "commentaire",
                Input(),
                obligatoire=True,
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Transmettre le complément", id="transmettre", variant="primary")
                yield Button("Fermer", id="fermer")
        yield Footer()

    def on_mount(self) -> None:
        # Wider than the shared card (an inline style: the stylesheet's .carte wins over
        # DEFAULT_CSS), for file paths.
        self.query_one("#completer").styles.width = 110
        self._montrer_complements()
        self.query_one("#champ-fichier", Input).focus()

    def _montrer_complements(self) -> None:
        m = self.memoire
        en_attente = m.pieces_complementaires[m.complements_transmis :]
        self.query_one("#complements", TableauPagine).remplir(
            [
                (
                    p.id,
                    (
                        p.nom_fichier,
                        p.type_piece.libelle,
                        "Tout le mémoire" if p.numero_ligne is None else str(p.numero_ligne),
                        taille_lisible(p.taille),
                    ),
                )
                for p in en_attente
            ]
        )

    @property
    def _formulaire(self) -> VerticalScroll:
        return self.query_one("#completer", VerticalScroll)

    def action_fermer(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#fermer")
    def _fermer(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted, "#champ-fichier")
    @on(Button.Pressed, "#joindre-piece")
    async def action_joindre(self) -> None:
        app = chorus(self)
        formulaire = self._formulaire
        texte = valeur(self, "fichier").strip()
        try:
            if not texte:
                raise ValidationError("Indiquez le chemin du fichier à joindre.", champ="fichier")
            numero_ligne = lire_numero_ligne(valeur(self, "numero_ligne"))
            chemin = Path(os.path.expanduser(texte))
            contenu = await app.appeler(lire_fichier, chemin)
        except ValidationError as erreur:
            montrer_erreur(formulaire, erreur)
            return
        type_piece = self.query_one("#champ-type_piece", Select).value
        piece = await app.tenter(
            formulaire,
            app.services.memoires.joindre_piece,
            app.utilisateur_id,
            self.memoire.id,
            contenu=contenu,
            nom_fichier=chemin.name,
            type_piece=type_piece if isinstance(type_piece, TypePiece) else TypePiece.AUTRE,
            designation=ou_rien(valeur(self, "designation")),
            numero_ligne=numero_ligne,
            version_attendue=self.memoire.version,
        )
        if piece is None:
            return
        if not await self._recharger():
            return
        for champ in ("fichier", "designation", "numero_ligne"):
            self.query_one(f"#champ-{champ}", Input).value = ""
        app.notify(
            f"Pièce « {piece.nom_fichier} » jointe : elle sera transmise avec le commentaire."
        )

    @on(Button.Pressed, "#retirer-piece")
    async def action_retirer(self) -> None:
        app = chorus(self)
        piece_id = self.query_one("#complements", TableauPagine).cle_choisie
        if piece_id is None:
            app.notify("Aucune pièce à retirer.", severity="warning")
            return
        change = await app.tenter(
            self._formulaire,
            app.services.memoires.retirer_piece,
            app.utilisateur_id,
            self.memoire.id,
            piece_id,
            version_attendue=self.memoire.version,
        )
        if change is not None:
            self.memoire = change
            self._montrer_complements()
            app.notify("Pièce retirée.")

    @on(Input.Submitted, "#champ-commentaire")
    @on(Button.Pressed, "#transmettre")
    async def action_transmettre(self) -> None:
        app = chorus(self)
        complete = await app.tenter(
            self._formulaire,
            app.services.memoires.completer,
            app.utilisateur_id,
            self.memoire.id,
            commentaire=valeur(self, "commentaire"),
            version_attendue=self.memoire.version,
        )
        if complete is None:
            return
        app.notify(
            f"Complément transmis : le mémoire n°{complete.numero} est à l'état "
            f"« {complete.statut.libelle} »."
        )
        self.dismiss(True)

    async def _recharger(self) -> bool:
        app = chorus(self)
        memoire = await app.tenter(
            self._formulaire, app.services.memoires.obtenir, app.utilisateur_id, self.memoire.id
        )
        if memoire is None:
            return False
        self.memoire = memoire
        self._montrer_complements()
        return True


class EcranMemoire(Screen[None]):
    """The detail of one mémoire; Échap goes back to where it was opened from."""

    TITLE = "Détail du mémoire"
    DEFAULT_CSS = """
    EcranMemoire #actions-memoire { height: auto; padding: 0 1; }
    EcranMemoire #actions-memoire .barre-actions { margin: 0; }
    EcranMemoire #fichiers-memoire { margin-top: 1; }
    EcranMemoire #detail { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("f5", "actualiser", "Actualiser"),
        Binding("m", "modifier", "Modifier"),
        Binding("c", "completer", "Compléter"),
        Binding("d", "dupliquer", "Dupliquer"),
        Binding("e", "enregistrer_piece", "Enregistrer la pièce sous…"),
        Binding("t", "telecharger_certificat", "Certificat de dépôt"),
        Binding("p", "telecharger_memoire", "Mémoire (PDF)"),
        Binding("a", "abandonner", "Abandonner"),
        Binding("s", "supprimer", "Supprimer"),
    ]

    def __init__(self, memoire_id: str) -> None:
        super().__init__()
        self.memoire_id = memoire_id
        self.memoire: Memoire | None = None
        self._structure: Structure | None = None
        self._occupe = False
        self._offertes: frozenset[str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="actions-memoire"):
            with Horizontal(classes="barre-actions"):
                yield Button("Modifier", id="modifier", variant="primary")
                yield Button("Compléter", id="completer", variant="primary")
                yield Button("Dupliquer", id="dupliquer")
                yield Button("Abandonner", id="abandonner", variant="warning")
                yield Button("Supprimer", id="supprimer", variant="error")
                yield Button("Retour", id="retour")
            # What can be saved to files, on a row of its own: one row is too narrow.
            with Horizontal(classes="barre-actions", id="fichiers-memoire"):
                yield Button("Enregistrer la pièce sous…", id="enregistrer_piece")
                for document in DocumentDuMemoire:
                    yield Button(document.libelle, id=document.value)
            yield ErreurGenerale()
        with VerticalScroll(id="detail"):
            yield DetailMemoire()
        yield Footer()

    def on_mount(self) -> None:
        self._montrer_actions()
        self.query_one(DetailMemoire).loading = True

    def on_screen_resume(self) -> None:
        # Also after a dialog closes: what it did (a complement, a duplicate) shows at once.
        if chorus(self).session is not None:
            self.charger()

    # -- loading ----------------------------------------------------------------------

    @work(exclusive=True, group="chargement")
    async def charger(self) -> None:
        detail = self.query_one(DetailMemoire)
        try:
            memoire, structure = await detail.attendre(self._lire())
        except DomainError as erreur:
            self.memoire = None
            self._montrer_actions()
            montrer_erreur(self._zone_actions, erreur)
            return
        self._afficher(memoire, structure)

    async def _lire(self) -> tuple[Memoire, Structure | None]:
        app = chorus(self)
        memoire = await app.appeler(
            app.services.memoires.obtenir, app.utilisateur_id, self.memoire_id
        )
        try:
            structure: Structure | None = await app.appeler(
                app.services.structures.obtenir, app.utilisateur_id, memoire.structure_id
            )
        except DomainError:
            # Seeing the mémoire without seeing its structure: what was sent is shown.
            structure = None
        return memoire, structure

    def _afficher(self, memoire: Memoire, structure: Structure | None) -> None:
        self.memoire = memoire
        self._structure = structure
        self.sub_title = f"Mémoire n°{memoire.numero} — {memoire.statut.libelle}"
        self.query_one(DetailMemoire).afficher(memoire, structure)
        self._montrer_actions()

    @property
    def _zone_actions(self) -> Vertical:
        return self.query_one("#actions-memoire", Vertical)

    # -- what may be done -------------------------------------------------------------

    @property
    def actions(self) -> frozenset[str]:
        """The actions offered now (buttons shown, keys in the footer)."""
        memoire = self.memoire
        if memoire is None or chorus(self).session is None:
            return frozenset()
        peut_modifier = self._structure is None or acces.peut(
            self._structure,
            chorus(self).utilisateur_id,
            Application.FRAIS_DE_JUSTICE,
            Profil.MODIFICATION,
            memoire.entete.service_id,
        )
        return actions_possibles(memoire, peut_modifier=peut_modifier)

    def _montrer_actions(self) -> None:
        possibles = self.actions
        for action in ACTIONS:
            self.query_one(f"#{action}", Button).display = action in possibles
        fichiers = {"enregistrer_piece", *ACTIONS_DOCUMENTS}
        self.query_one("#fichiers-memoire").display = bool(possibles & fichiers)
        if possibles != self._offertes:
            self._offertes = possibles
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ACTIONS:
            return action in self.actions
        return True

    @on(Button.Pressed, "#actions-memoire Button")
    async def _bouton(self, evenement: Button.Pressed) -> None:
        if evenement.button.id:
            await self.run_action(evenement.button.id)

    # -- actions ----------------------------------------------------------------------

    def action_retour(self) -> None:
        self.app.pop_screen()

    def action_actualiser(self) -> None:
        self.charger()

    def action_modifier(self) -> None:
        if "modifier" in self.actions:
            chorus(self).modifier_brouillon(self.memoire_id)

    def action_enregistrer_piece(self) -> None:
        memoire = self.memoire
        if memoire is None or "enregistrer_piece" not in self.actions:
            return
        piece = self.query_one(DetailMemoire).piece_choisie(memoire)
        if piece is not None:
            self.app.push_screen(
                EnregistrerSous(piece_a_enregistrer(chorus(self), memoire.id, piece))
            )

    def action_telecharger_certificat(self) -> None:
        if DocumentDuMemoire.CERTIFICAT_DEPOT.value in self.actions:
            self._telecharger(DocumentDuMemoire.CERTIFICAT_DEPOT)

    def action_telecharger_memoire(self) -> None:
        if DocumentDuMemoire.MEMOIRE.value in self.actions:
            self._telecharger(DocumentDuMemoire.MEMOIRE)

    def action_completer(self) -> None:
        if self.memoire is not None and "completer" in self.actions:
            self.app.push_screen(FenetreCompleter(self.memoire))

    def action_supprimer(self) -> None:
        if "supprimer" in self.actions:
            self._supprimer()

    def action_abandonner(self) -> None:
        if "abandonner" in self.actions:
            self._abandonner()

    def action_dupliquer(self) -> None:
        if "dupliquer" in self.actions:
            self._dupliquer()

    @contextmanager
    def _prendre(self) -> Iterator[Memoire | None]:
        """The mémoire to act on, unless an action is already under way (None then); the
        screen stays busy until the block ends, so that a second key press waits."""
        if self._occupe or self.memoire is None:
            yield None
            return
        self._occupe = True
        effacer_erreurs(self._zone_actions)
        try:
            yield self.memoire
        finally:
            self._occupe = False

    async def _tenter(self, question: str | None, oui: str, fonction: Callable[[], T]) -> T | None:
        """Ask `question` (unless None), then run `fonction`; a refusal shows above the
        detail, which is read again (it was most likely changed meanwhile). None when the
        user declined or the use case refused."""
        app = chorus(self)
        if question is not None and not await app.push_screen_wait(Confirmation(question, oui=oui)):
            return None
        resultat = await app.tenter(self._zone_actions, fonction)
        if resultat is None:
            self.charger()
        return resultat

    @work(group="action")
    async def _telecharger(self, document: DocumentDuMemoire) -> None:
        with self._prendre() as memoire:
            if memoire is None:
                return
            zone = self._zone_actions
            await telecharger(
                self, document.lecture(chorus(self), memoire.id), partial(montrer_erreur, zone)
            )

    @work(group="action")
    async def _supprimer(self) -> None:
        with self._prendre() as memoire:
            if memoire is None:
                return
            app = chorus(self)
            question = (
                f"Supprimer définitivement le brouillon n°{memoire.numero} ? Il n'a jamais été "
                "transmis : rien n'en sera conservé."
            )

            def supprimer() -> bool:
                app.services.memoires.supprimer(
                    app.utilisateur_id, memoire.id, version_attendue=memoire.version
                )
                return True

            if await self._tenter(question, "Supprimer", supprimer) is None:
                return
            app.notify(f"Le brouillon n°{memoire.numero} a été supprimé.")
            app.pop_screen()

    @work(group="action")
    async def _abandonner(self) -> None:
        with self._prendre() as memoire:
            if memoire is None:
                return
            app = chorus(self)
            question = (
                f"Abandonner le mémoire n°{memoire.numero} ? Il ne sera pas payé et ne pourra "
                "plus être dupliqué pour être corrigé."
            )
            abandonne = await self._tenter(
                question,
                "Abandonner",
                partial(
                    app.services.memoires.abandonner,
                    app.utilisateur_id,
                    memoire.id,
                    version_attendue=memoire.version,
                ),
            )
            if abandonne is None:
                return
            app.notify(f"Le mémoire n°{memoire.numero} est abandonné.")
            self._afficher(abandonne, self._structure)

    @work(group="action")
    async def _dupliquer(self) -> None:
        with self._prendre() as memoire:
            if memoire is None:
                return
            app = chorus(self)
            question = None
            if memoire.statut is StatutMemoire.REFUSE:
                question = (
                    f"Dupliquer le mémoire refusé n°{memoire.numero} ? Un nouveau brouillon "
                    "reprenant ses lignes et ses pièces sera créé, et ce mémoire passera à "
                    f"l'état « {StatutMemoire.DUPLIQUE_POST_REFUS.libelle} »."
                )
            copie = await self._tenter(
                question,
                "Dupliquer",
                partial(
                    app.services.memoires.dupliquer,
                    app.utilisateur_id,
                    memoire.id,
                    version_attendue=memoire.version,
                ),
            )
            if copie is None:
                return
            app.notify(
                f"Mémoire n°{memoire.numero} dupliqué : le brouillon n°{copie.numero} est "
                "ouvert pour être complété."
            )
            app.modifier_brouillon(copie.id)
