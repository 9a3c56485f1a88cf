"""« Importer un lot de statuts », from the agent's queue: a batch file of processing events
(JSON or CSV, see ``docs/statuts.md``) applied as the signed-in agent, and its report — what
applied, what waits, what was refused and why."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, montrer_erreur, valeur
from chorus.adapters.tui.noyau import chorus
from chorus.domain.errors import ValidationError
from chorus.domain.lots_statuts import FormatLot, IssueEvenement, LotStatuts

TAILLE_MAXIMUM = 20 * 1024 * 1024
"""As the API's: about 100,000 events."""

_EXTENSIONS = {".json": FormatLot.JSON, ".csv": FormatLot.CSV}
_COULEURS = {
    IssueEvenement.APPLIQUE: "green",
    IssueEvenement.DEJA_APPLIQUE: "",
    IssueEvenement.EN_ATTENTE: "yellow",
    IssueEvenement.REFUSE: "red",
}


def lire_lot(texte: str, choisi: FormatLot | None) -> tuple[FormatLot, bytes]:
    """The format (chosen, or told by the extension) and the bytes of the file typed; a
    French refusal naming `fichier` or `format` otherwise."""
    if not texte.strip():
        raise ValidationError("Indiquez le fichier du lot.", champ="fichier")
    chemin = Path(texte.strip()).expanduser()
    format_ = choisi or _EXTENSIONS.get(chemin.suffix.lower())
    if format_ is None:
        raise ValidationError(
            "Choisissez le format du lot (JSON ou CSV) : il ne se déduit pas du nom du fichier.",
            champ="format",
        )
    try:
        if chemin.is_dir():
            raise ValidationError(
                f"« {chemin} » est un dossier : indiquez un fichier.", champ="fichier"
            )
        if chemin.stat().st_size > TAILLE_MAXIMUM:
            raise ValidationError(
                f"Le fichier dépasse la taille maximale de {TAILLE_MAXIMUM // 1024 // 1024} Mo.",
                champ="fichier",
            )
        return format_, chemin.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Le fichier « {chemin} » n'existe pas.", champ="fichier") from None
    except OSError as erreur:
        raise ValidationError(
            f"Impossible de lire « {chemin} » ({erreur.strerror or erreur}).", champ="fichier"
        ) from None


def bilan(lot: LotStatuts) -> str:
    def nombre(n: int, singulier: str, pluriel: str) -> str:
        return f"{n} {singulier if n < 2 else pluriel}"

    return (
        f"Lot de statuts n° {lot.numero} : {nombre(lot.appliques, 'appliqué', 'appliqués')}, "
        f"{lot.deja_appliques} déjà {'appliqué' if lot.deja_appliques < 2 else 'appliqués'}, "
        f"{lot.en_attente} en attente, {nombre(lot.refuses, 'refusé', 'refusés')}."
    )


class EcranLotStatuts(Screen[None]):
    """The batch's file, then its report, one line per event."""

    TITLE = "Importer un lot de statuts"
    DEFAULT_CSS = """
    EcranLotStatuts #lot { padding: 0 1; height: 1fr; }
    EcranLotStatuts #lot-saisie { height: auto; }
    EcranLotStatuts #lot-saisie > Champ { margin-right: 1; }
    EcranLotStatuts #lot-saisie > .fichier { width: 3fr; }
    EcranLotStatuts #lot-saisie > .format { width: 1fr; }
    EcranLotStatuts #lot-saisie > Button { margin-top: 1; }
    EcranLotStatuts #lot-bilan { height: auto; margin: 1 0; }
    EcranLotStatuts #lot-resultats { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("ctrl+s", "importer", "Importer le lot"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="lot"):
            yield Static("Importer un lot de statuts", classes="titre")
            yield Static(
                "Un fichier JSON ou CSV d'événements de traitement (format : docs/statuts.md). "
                "Chaque événement s'applique une fois, dans l'ordre des événements de son "
                "mémoire ; celui qui ne peut pas encore s'appliquer attend le suivant.",
                classes="aide",
            )
            with Horizontal(id="lot-saisie"):
                fichier = Champ(
                    "Fichier du lot",
                    "fichier",
                    Input(placeholder="chemin du fichier .json ou .csv"),
                )
                fichier.add_class("fichier")
                yield fichier
                choix = Champ(
                    "Format",
                    "format",
                    Select[FormatLot](
                        [(f.value, f) for f in FormatLot], prompt="Selon l'extension"
                    ),
                )
                choix.add_class("format")
                yield choix
                yield Button("Importer", id="importer", variant="primary")
            yield ErreurGenerale()
            yield Static("", id="lot-bilan")
            table: DataTable[str | Text] = DataTable(
                id="lot-resultats", cursor_type="row", zebra_stripes=True
            )
            yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#lot-resultats", DataTable)
        table.add_columns("Position", "Mémoire", "Action", "Référence", "Issue", "Motif")
        self.query_one("#champ-fichier", Input).focus()

    def action_retour(self) -> None:
        self.app.pop_screen()

    def action_importer(self) -> None:
        self.importer()

    @on(Button.Pressed, "#importer")
    def _importer(self) -> None:
        self.importer()

    @on(Input.Submitted, "#champ-fichier")
    def _fichier_saisi(self) -> None:
        self.importer()

    @work(exclusive=True, group="import")
    async def importer(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#lot", Vertical)
        choisi = self.query_one("#champ-format", Select).value
        try:
            format_, contenu = lire_lot(
                valeur(self, "fichier"), choisi if isinstance(choisi, FormatLot) else None
            )
        except ValidationError as erreur:
            montrer_erreur(formulaire, erreur)
            return
        lot = await app.tenter(
            formulaire,
            app.services.lots_statuts.importer_fichier,
            contenu,
            format_,
            acteur_id=app.utilisateur_id,
        )
        if lot is not None:
            self.afficher(lot)

    def afficher(self, lot: LotStatuts) -> None:
        self.query_one("#lot-bilan", Static).update(bilan(lot))
        table = self.query_one("#lot-resultats", DataTable)
        table.clear()
        for r in lot.resultats:
            motif = r.message or ""
            if r.issue is IssueEvenement.REFUSE and r.champ:
                motif = f"{r.champ} : {motif}"
            table.add_row(
                r.position,
                r.numero_memoire or "",
                r.action or "",
                r.reference_evenement or "",
                Text(r.issue.libelle, style=_COULEURS[r.issue]),
                motif,
            )
        table.focus()
