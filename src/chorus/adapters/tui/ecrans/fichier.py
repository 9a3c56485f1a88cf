"""Where to write a file (an export) or a folder (downloaded pièces): a window asking the
path, checking it can be written, then writing with a progress bar.

The window stays open while it writes, so that a path the system refuses is answered under
the path field with what was typed still there; it closes on success with what was written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, montrer_erreur, valeur
from chorus.adapters.tui.widgets.fichiers import message_ecriture
from chorus.domain.errors import DomainError, ValidationError

CHAMP_CHEMIN = "chemin"

Progression = Callable[[int, int | None], None]
"""Told, from the writing thread, how many items are written out of how many (None: not
known yet)."""

Ecriture = Callable[[Path, Progression], int]
"""Writes to the path (in a worker thread) and answers how many items it wrote."""


@attrs.frozen
class Ecrit:
    """What the window wrote: where, and how many rows or files."""

    chemin: Path
    nombre: int


def chemin_saisi(texte: str) -> Path:
    """The path as typed: ``~`` expanded, a relative path taken from the current folder."""
    chemin = Path(texte.strip()).expanduser()
    return chemin if chemin.is_absolute() else Path.cwd() / chemin


def refus_fichier(chemin: Path) -> str | None:
    """Why a file cannot be written at `chemin` (None when it can)."""
    if chemin.is_dir():
        return f"« {chemin} » est un dossier : indiquez un nom de fichier."
    dossier = chemin.parent
    if not dossier.is_dir():
        return f"Le dossier « {dossier} » n'existe pas."
    if not os.access(dossier, os.W_OK | os.X_OK):
        return f"Vous n'avez pas le droit d'écrire dans le dossier « {dossier} »."
    if chemin.exists():
        return f"Le fichier « {chemin} » existe déjà : choisissez un autre nom."
    return None


def refus_dossier(chemin: Path) -> str | None:
    """Why files cannot be written into the folder `chemin`, created when missing (None
    when they can)."""
    if chemin.exists() and not chemin.is_dir():
        return f"« {chemin} » est un fichier : indiquez un dossier."
    existant = chemin if chemin.exists() else chemin.parent
    if not existant.is_dir():
        return f"Le dossier « {existant} » n'existe pas."
    if not os.access(existant, os.W_OK | os.X_OK):
        return f"Vous n'avez pas le droit d'écrire dans le dossier « {existant} »."
    return None


class EcranFichier(ModalScreen[Ecrit | None]):
    """Asks a path (pre-filled with `defaut`), then runs `ecrire` on it in a worker thread
    with a progress bar. Answers what was written, or None when cancelled."""

    DEFAULT_CSS = """
    EcranFichier { align: center middle; }
    EcranFichier > .carte { width: 100; }
    EcranFichier ProgressBar { margin: 1 0 0 0; display: none; }
    EcranFichier.en-cours ProgressBar { display: block; }
    """

    BINDINGS = [
        Binding("escape", "annuler", "Annuler"),
        Binding("ctrl+s", "valider", "Enregistrer"),
    ]

    def __init__(
        self,
        *,
        titre: str,
        libelle: str,
        defaut: str,
        ecrire: Ecriture,
        dossier: bool = False,
        aide: str = "",
    ) -> None:
        super().__init__()
        self._titre = titre
        self._libelle = libelle
        self._defaut = defaut
        self._ecrire = ecrire
        self._dossier = dossier
        self._aide = aide
        self._en_cours = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="fichier"):
            yield Static(self._titre, classes="titre")
            aide = self._aide or (
                "Indiquez le dossier où enregistrer les fichiers (il est créé s'il n'existe pas)."
                if self._dossier
                else "Indiquez le fichier à écrire ; un chemin relatif part du dossier courant."
            )
            yield Static(aide, classes="aide")
            yield Champ(self._libelle, CHAMP_CHEMIN, Input(value=self._defaut), obligatoire=True)
            yield ProgressBar(id="fichier-progression", show_eta=False)
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Enregistrer", id="fichier-enregistrer", variant="primary")
                yield Button("Annuler", id="fichier-annuler")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Button.Pressed, "#fichier-annuler")
    def action_annuler(self) -> None:
        # Once the worker writes, the file appears whole or not at all: let it finish.
        if not self._en_cours:
            self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#fichier-enregistrer")
    def action_valider(self) -> None:
        if self._en_cours:
            return
        texte = valeur(self, CHAMP_CHEMIN)
        if not texte.strip():
            self._refuser("Indiquez un chemin.")
            return
        chemin = chemin_saisi(texte)
        refus = refus_dossier(chemin) if self._dossier else refus_fichier(chemin)
        if refus is not None:
            self._refuser(refus)
            return
        self._commencer(True)
        self._ecrire_dans(chemin)

    def _refuser(self, message: str) -> None:
        montrer_erreur(self, ValidationError(message, champ=CHAMP_CHEMIN))

    def _commencer(self, en_cours: bool) -> None:
        self._en_cours = en_cours
        self.set_class(en_cours, "en-cours")
        for widget in self.query(Button):
            widget.disabled = en_cours
        self.query_one(Input).disabled = en_cours
        if en_cours:
            self.query_one(ProgressBar).update(total=None, progress=0)

    def _avancer(self, fait: int, total: int | None) -> None:
        self.query_one(ProgressBar).update(total=total, progress=fait)

    def _echec(self, erreur: DomainError) -> None:
        self._commencer(False)
        montrer_erreur(self, erreur)

    @work(thread=True, exclusive=True, group="fichier")
    def _ecrire_dans(self, chemin: Path) -> None:
        def progression(fait: int, total: int | None) -> None:
            self.app.call_from_thread(self._avancer, fait, total)

        try:
            nombre = self._ecrire(chemin, progression)
        except DomainError as erreur:
            self.app.call_from_thread(self._echec, erreur)
        except OSError as erreur:
            self.app.call_from_thread(
                self._echec,
                ValidationError(message_ecriture(erreur, chemin), champ=CHAMP_CHEMIN),
            )
        else:
            self.app.call_from_thread(self.dismiss, Ecrit(chemin, nombre))
