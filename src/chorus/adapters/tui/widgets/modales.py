"""Small dialogs: a yes/no confirmation, and « Enregistrer sous… » for a pièce jointe or a
document."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, montrer_erreur, valeur
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.widgets.detail_memoire import taille_lisible
from chorus.adapters.tui.widgets.fichiers import ecrire_fichier, message_ecriture
from chorus.domain.errors import ValidationError
from chorus.domain.pieces import PieceJointe


class Confirmation(ModalScreen[bool]):
    """Asks before an irreversible action; answers True for « Oui »."""

    DEFAULT_CSS = """
    Confirmation { align: center middle; }
    """
    BINDINGS = [
        Binding("escape,n", "repondre(False)", "Non"),
        Binding("o", "repondre(True)", "Oui"),
    ]

    def __init__(self, question: str, *, oui: str = "Oui", non: str = "Non") -> None:
        super().__init__()
        self._question = question
        self._oui = oui
        self._non = non

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte"):
            yield Static(self._question, markup=False, id="question")
            with Horizontal(classes="barre-actions"):
                yield Button(self._oui, id="oui", variant="error")
                yield Button(self._non, id="non")
        yield Footer()

    def on_mount(self) -> None:
        # The safe answer has the focus: Entrée alone never destroys anything.
        self.query_one("#non", Button).focus()

    def action_repondre(self, reponse: bool) -> None:
        self.dismiss(reponse)

    @on(Button.Pressed, "#oui")
    def _oui_choisi(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#non")
    def _non_choisi(self) -> None:
        self.dismiss(False)


@attrs.frozen
class AEnregistrer:
    """A file « Enregistrer sous… » writes: the name it proposes, what the window says of it,
    how its bytes are read (in a worker thread, once the user has said where; a refusal is
    shown in the window) and what the notification says once it is written."""

    titre: str
    nom_fichier: str
    description: str
    lire: Callable[[], bytes]
    enregistre: str
    """« Pièce enregistrée », followed by « dans « chemin » (taille). »"""


def piece_a_enregistrer(
    app: AppChorus, memoire_id: str, piece: PieceJointe, *, back_office: bool = False
) -> AEnregistrer:
    """A pièce jointe of a mémoire, read when saved (the back office reads it through its own
    use case: by juridiction, not by structure)."""
    lecture = (
        app.services.traitement.lire_piece if back_office else app.services.memoires.lire_piece
    )
    acteur_id = app.utilisateur_id

    def lire() -> bytes:
        _, contenu = lecture(acteur_id, memoire_id, piece.id)
        return contenu

    return AEnregistrer(
        titre="Enregistrer la pièce sous…",
        nom_fichier=piece.nom_fichier,
        description=f"{piece.nom_fichier} — {taille_lisible(piece.taille)}",
        lire=lire,
        enregistre="Pièce enregistrée",
    )


class EnregistrerSous(ModalScreen[Path | None]):
    """Saves a file (a pièce, a document) where the user says, never over an existing one;
    answers the path written."""

    DEFAULT_CSS = """
    EnregistrerSous { align: center middle; }
    """
    BINDINGS = [
        Binding("escape", "annuler", "Annuler"),
        Binding("ctrl+s", "enregistrer", "Enregistrer"),
    ]

    def __init__(self, fichier: AEnregistrer, dossier: Path | None = None) -> None:
        super().__init__()
        self._fichier = fichier
        self._dossier = dossier if dossier is not None else Path.cwd()

    def compose(self) -> ComposeResult:
        fichier = self._fichier
        with Vertical(classes="carte", id="enregistrer-sous"):
            yield Static(fichier.titre, classes="titre", markup=False)
            yield Static(fichier.description, classes="aide", markup=False)
            yield Champ(
                "Fichier de destination (un dossier : le fichier y garde son nom)",
                "chemin",
                Input(value=str(self._dossier / fichier.nom_fichier)),
                obligatoire=True,
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Enregistrer", id="enregistrer", variant="primary")
                yield Button("Annuler", id="annuler")
        yield Footer()

    def on_mount(self) -> None:
        # Wider than the shared card, for file paths (inline: .carte wins over DEFAULT_CSS).
        self.query_one("#enregistrer-sous").styles.width = 100
        self.query_one(Input).focus()

    async def action_enregistrer(self) -> None:
        await self.enregistrer()

    def action_annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#annuler")
    def _annuler(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#enregistrer")
    async def enregistrer(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#enregistrer-sous", Vertical)
        texte = valeur(self, "chemin").strip()
        if not texte:
            montrer_erreur(
                formulaire,
                ValidationError("Indiquez le fichier où enregistrer.", champ="chemin"),
            )
            return
        chemin = Path(os.path.expanduser(texte))
        if await app.appeler(chemin.is_dir):
            chemin = chemin / self._fichier.nom_fichier
        contenu = await app.tenter(formulaire, self._fichier.lire)
        if contenu is None:
            return
        try:
            await app.appeler(ecrire_fichier, chemin, contenu)
        except OSError as erreur:
            montrer_erreur(
                formulaire, ValidationError(message_ecriture(erreur, chemin), champ="chemin")
            )
            return
        app.notify(
            f"{self._fichier.enregistre} dans « {chemin} » ({taille_lisible(len(contenu))})."
        )
        self.dismiss(chemin)
