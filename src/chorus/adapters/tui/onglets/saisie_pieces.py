"""Step 3 of « Saisir mémoire »: the pièces jointes, from a file of this computer or from the
structure's pool, attached to the whole mémoire or to one line."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import (
    COLONNES_PIECES,
    Etape,
    TableAColonnes,
    choisir,
    court,
    taille,
    valeur_choisie,
)
from chorus.domain.errors import FichierTropVolumineux, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.pieces import NOMBRE_MAXIMUM_PAR_MEMOIRE, TAILLE_MAXIMUM, TypePiece

MEMOIRE_ENTIER = "memoire"
"""The value of the « attached to » choice meaning the whole mémoire."""


def lire_fichier(chemin: str) -> tuple[bytes, str]:
    """The content and name of the file at `chemin` (run in a worker thread); a missing,
    unreadable or oversized file is refused under the path field."""
    texte = chemin.strip()
    if not texte:
        raise ValidationError("Indiquez le chemin du fichier à joindre.", champ="fichier")
    fichier = Path(texte).expanduser()
    try:
        if not fichier.exists():
            raise ValidationError(f"Le fichier « {texte} » est introuvable.", champ="fichier")
        if not fichier.is_file():
            raise ValidationError(f"« {texte} » n'est pas un fichier.", champ="fichier")
        octets = fichier.stat().st_size
        if octets > TAILLE_MAXIMUM:
            # Refused before reading, so that a huge file is never loaded; same words as the
            # domain's own check.
            raise FichierTropVolumineux(
                f"Le fichier dépasse la taille maximale de 10 Mo ({octets} octets).",
                champ="fichier",
            )
        with fichier.open("rb") as flux:
            contenu = flux.read(TAILLE_MAXIMUM + 1)
    except OSError as erreur:
        cause = (
            "accès refusé" if erreur.errno in (errno.EACCES, errno.EPERM) else "erreur de lecture"
        )
        raise ValidationError(
            f"Le fichier « {texte} » ne peut pas être lu ({cause}).", champ="fichier"
        ) from None
    return contenu, fichier.name


def _champ_ligne() -> Champ:
    """« Rattachée à »: the whole mémoire, or one of its lines (options set per draft)."""
    return Champ(
        "Rattachée à",
        "numero_ligne",
        Select(
            [("l'ensemble du mémoire", MEMOIRE_ENTIER)], allow_blank=False, value=MEMOIRE_ENTIER
        ),
    )


class EtapePieces(Etape):
    """Attach pièces to the draft, and the list of those attached with « Retirer »."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "joindre", "Ajouter la pièce"),
        Binding("f8", "importer", "Importer la pièce de la structure"),
        Binding("ctrl+r", "retirer", "Retirer la pièce"),
    ]
    DEFAULT_CSS = """
    EtapePieces #form-fichier, EtapePieces #form-import, EtapePieces #form-retrait {
        height: auto;
    }
    EtapePieces #table-pieces { height: auto; max-height: 20; }
    """

    def compose(self) -> ComposeResult:
        types = [(t.libelle, t.value) for t in TypePiece]
        yield Static("Pièces jointes", classes="titre")
        yield Static(
            "Formats acceptés : PDF, JPEG, PNG, TIFF, ODT, ODS, DOC(X), XLS(X), XML, ZIP — "
            f"10 Mo au plus par fichier, {NOMBRE_MAXIMUM_PAR_MEMOIRE} pièces au plus par "
            "mémoire. Le RIB des coordonnées bancaires choisies est joint automatiquement à "
            "l'envoi.",
            classes="aide",
        )
        with Vertical(id="form-fichier"):
            yield Static("AJOUTER UNE PIÈCE JOINTE", classes="sous-titre")
            yield Champ(
                "Fichier (chemin sur cet ordinateur)",
                "fichier",
                Input(placeholder="/chemin/vers/la/piece.pdf"),
                obligatoire=True,
            )
            with Grid(classes="grille-3"):
                yield Champ(
                    "Type de pièce jointe",
                    "type_piece",
                    Select(types, prompt="Sélectionner un type"),
                    obligatoire=True,
                )
                yield Champ(
                    "Désignation",
                    "designation",
                    Input(placeholder="par défaut, le nom du fichier"),
                )
                yield _champ_ligne()
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Ajouter la pièce", id="piece-ajouter", variant="primary")
        with Vertical(id="form-import"):
            yield Static("PIÈCES DISPONIBLES DE LA STRUCTURE", classes="sous-titre")
            with Grid(classes="grille"):
                yield Champ(
                    "Pièce de la structure",
                    "piece_structure_id",
                    Select[str]([], prompt="Sélectionner une pièce"),
                    obligatoire=True,
                )
                yield _champ_ligne()
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Importer la pièce", id="piece-importer")
        yield Static("PIÈCES JOINTES DU MÉMOIRE", classes="sous-titre")
        yield TableAColonnes(*COLONNES_PIECES, id="table-pieces")
        yield Static("", id="pieces-nombre")
        with Vertical(id="form-retrait"):
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Retirer la pièce", id="piece-retirer", variant="error")

    def premier_champ(self) -> Widget | None:
        return self.query_one(f"#{id_champ('fichier')}", Input)

    # -- showing the draft ---------------------------------------------------------------

    def rafraichir(self) -> None:
        memoire = self.memoire
        options = [("l'ensemble du mémoire", MEMOIRE_ENTIER)] + [
            (
                court(f"ligne n°{ligne.numero_ligne} — {ligne.numero_affaire}", 60),
                str(ligne.numero_ligne),
            )
            for ligne in (memoire.lignes if memoire else ())
        ]
        for formulaire in ("#form-fichier", "#form-import"):
            select = self.choix("numero_ligne", self.query_one(formulaire))
            actuel = valeur_choisie(select)
            select.set_options(options)
            choisir(select, actuel or MEMOIRE_ENTIER)
        reserve = self.choix("piece_structure_id")
        actuelle = valeur_choisie(reserve)
        pieces_structure = self.structure.pieces if self.structure else ()
        reserve.set_options(
            [
                (court(f"{p.designation} — {p.nom_fichier} ({p.type_piece.libelle})", 90), p.id)
                for p in pieces_structure
            ]
        )
        choisir(reserve, actuelle)
        table = self.query_one("#table-pieces", DataTable)
        curseur = table.cursor_row
        table.clear()
        pieces = memoire.pieces if memoire else ()
        for piece in pieces:
            table.add_row(
                court(piece.type_piece.libelle, 30),
                court(piece.designation, 40),
                court(piece.nom_fichier, 40),
                f"n°{piece.numero_ligne}" if piece.numero_ligne is not None else "mémoire",
                taille(piece.taille),
                piece.sha256[:12] + "…",
                key=piece.id,
            )
        if table.row_count:
            table.move_cursor(row=min(curseur, table.row_count - 1))
        self.query_one("#pieces-nombre", Static).update(
            f"{len(pieces)} pièce(s) jointe(s) sur {NOMBRE_MAXIMUM_PAR_MEMOIRE} possibles"
        )
        self.query_one("#piece-retirer", Button).disabled = not pieces

    async def vider(self) -> None:
        formulaire = self.query_one("#form-fichier")
        for champ in ("fichier", "designation"):
            formulaire.query_one(f"#{id_champ(champ)}", Input).value = ""
        choisir(self.choix("type_piece"), None)
        for selecteur in ("#form-fichier", "#form-import"):
            choisir(self.choix("numero_ligne", self.query_one(selecteur)), MEMOIRE_ENTIER)
        choisir(self.choix("piece_structure_id"), None)
        effacer_erreurs(self)

    # -- actions -------------------------------------------------------------------------

    def _ligne(self, formulaire: Widget) -> int | None:
        choisi = valeur_choisie(self.choix("numero_ligne", formulaire))
        return None if choisi in (None, MEMOIRE_ENTIER) else int(choisi)

    async def action_joindre(self) -> None:
        memoire = self.memoire
        if memoire is None:
            return
        formulaire = self.query_one("#form-fichier", Vertical)
        type_choisi = valeur_choisie(self.choix("type_piece"))
        if type_choisi is None:
            montrer_erreur(
                formulaire,
                ValidationError("Choisissez le type de la pièce jointe.", champ="type_piece"),
            )
            return
        app = chorus(self)
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        chemin = valeur(formulaire, "fichier")
        designation = valeur(formulaire, "designation").strip() or None
        numero_ligne = self._ligne(formulaire)

        def joindre() -> Memoire:
            contenu, nom = lire_fichier(chemin)
            memoires.joindre_piece(
                utilisateur,
                memoire.id,
                contenu=contenu,
                nom_fichier=nom,
                type_piece=TypePiece(type_choisi),
                designation=designation,
                numero_ligne=numero_ligne,
                version_attendue=memoire.version,
            )
            return memoires.obtenir(utilisateur, memoire.id)

        enregistre = await self.tenter(formulaire, joindre)
        if enregistre is None:
            return
        self.publier(enregistre)
        piece = enregistre.pieces[-1]
        self.notify(f"Pièce « {piece.nom_fichier} » jointe.")
        for champ in ("fichier", "designation"):
            formulaire.query_one(f"#{id_champ(champ)}", Input).value = ""
        formulaire.query_one(f"#{id_champ('fichier')}", Input).focus()

    async def action_importer(self) -> None:
        memoire = self.memoire
        if memoire is None:
            return
        formulaire = self.query_one("#form-import", Vertical)
        piece_id = valeur_choisie(self.choix("piece_structure_id"))
        if piece_id is None:
            montrer_erreur(
                formulaire,
                ValidationError(
                    "Choisissez une pièce de la structure.", champ="piece_structure_id"
                ),
            )
            return
        app = chorus(self)
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        numero_ligne = self._ligne(formulaire)

        def importer() -> Memoire:
            memoires.importer_piece(
                utilisateur,
                memoire.id,
                piece_id,
                numero_ligne=numero_ligne,
                version_attendue=memoire.version,
            )
            return memoires.obtenir(utilisateur, memoire.id)

        enregistre = await self.tenter(formulaire, importer)
        if enregistre is None:
            return
        self.publier(enregistre)
        self.notify(f"Pièce « {enregistre.pieces[-1].nom_fichier} » importée.")

    async def action_retirer(self) -> None:
        memoire = self.memoire
        table = self.query_one("#table-pieces", DataTable)
        if memoire is None or not table.row_count:
            return
        cle = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        piece = memoire.piece(cle or "")
        if piece is None:
            return
        app = chorus(self)
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        enregistre = await self.tenter(
            self.query_one("#form-retrait"),
            lambda: memoires.retirer_piece(
                utilisateur, memoire.id, piece.id, version_attendue=memoire.version
            ),
        )
        if enregistre is None:
            return
        self.publier(enregistre)
        self.notify(f"Pièce « {piece.nom_fichier} » retirée du mémoire.")

    @on(Button.Pressed, "#piece-ajouter")
    async def _joindre(self) -> None:
        await self.action_joindre()

    @on(Button.Pressed, "#piece-importer")
    async def _importer(self) -> None:
        await self.action_importer()

    @on(Button.Pressed, "#piece-retirer")
    async def _retirer(self) -> None:
        await self.action_retirer()

    @on(DataTable.RowSelected, "#table-pieces")
    def _piece_choisie(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        self.query_one("#piece-retirer", Button).focus()
