"""« Parcourir… »: a window showing the folders and the files of the accepted kinds, from
which the user picks one file (the path field beside the button receives it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Footer, Static


class ArbreFiltre(DirectoryTree):
    """The folders, and only the files whose extension is one of `extensions`; hidden
    entries (``.git``, ``.venv``…) are left out."""

    def __init__(self, chemin: Path, extensions: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(chemin, id=id)
        self._extensions = frozenset(e.lower() for e in extensions)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        gardes = []
        for chemin in paths:
            if chemin.name.startswith("."):
                continue
            try:
                dossier = chemin.is_dir()
            except OSError:
                # A broken link or an unreadable entry: nothing to open there.
                continue
            if dossier or chemin.suffix.lower() in self._extensions:
                gardes.append(chemin)
        return gardes


def dossier_de_depart(texte: str) -> Path:
    """Where the tree opens: the folder of the path already typed when it exists, else the
    current folder."""
    if texte.strip():
        chemin = Path(texte.strip()).expanduser()
        if not chemin.is_absolute():
            chemin = Path.cwd() / chemin
        for candidat in (chemin, chemin.parent):
            if candidat.is_dir():
                return candidat
    return Path.cwd()


class ChoixFichier(ModalScreen[Path | None]):
    """Answers the file chosen (Entrée on a file, or a click), or None when cancelled."""

    DEFAULT_CSS = """
    ChoixFichier { align: center middle; }
    ChoixFichier > .carte { width: 100; height: 80%; }
    ChoixFichier ArbreFiltre { height: 1fr; border: round $primary-darken-2; }
    ChoixFichier #choix-fichier-dossier { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "annuler", "Annuler"),
        Binding("backspace", "remonter", "Dossier parent"),
    ]

    def __init__(self, *, titre: str, extensions: Sequence[str], depart: Path) -> None:
        super().__init__()
        self._titre = titre
        self._extensions = tuple(extensions)
        self._depart = depart

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte"):
            yield Static(self._titre, classes="titre")
            yield Static(
                f"Fichiers proposés : {', '.join(self._extensions)}. Entrée ouvre un dossier "
                "ou choisit le fichier ; Retour arrière remonte au dossier parent.",
                classes="aide",
            )
            yield Static(str(self._depart), id="choix-fichier-dossier", markup=False)
            yield ArbreFiltre(self._depart, self._extensions, id="choix-fichier-arbre")
            with Horizontal(classes="barre-actions"):
                yield Button("Dossier parent", id="choix-fichier-parent")
                yield Button("Annuler", id="choix-fichier-annuler")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArbreFiltre).focus()

    @property
    def dossier(self) -> Path:
        """The folder the tree shows."""
        return Path(self.query_one(ArbreFiltre).path)

    @on(DirectoryTree.FileSelected)
    def _choisi(self, evenement: DirectoryTree.FileSelected) -> None:
        evenement.stop()
        self.dismiss(evenement.path)

    @on(Button.Pressed, "#choix-fichier-parent")
    def action_remonter(self) -> None:
        arbre = self.query_one(ArbreFiltre)
        parent = Path(arbre.path).parent
        if parent != Path(arbre.path):
            arbre.path = parent
            self.query_one("#choix-fichier-dossier", Static).update(str(parent))

    @on(Button.Pressed, "#choix-fichier-annuler")
    def action_annuler(self) -> None:
        self.dismiss(None)
