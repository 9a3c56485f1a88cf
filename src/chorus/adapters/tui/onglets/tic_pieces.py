"""Step 3 of a demande TIC/TICGN: the pièces justificatives (the invoices), from a file of
this computer (« ajouter PJ ») or from the account's saved pièces (« sélectionner une PJ du
compte »), attached to one line or to the whole demande."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import choisir, court, valeur_choisie
from chorus.adapters.tui.onglets.saisie_pieces import lire_fichier
from chorus.adapters.tui.onglets.tic_commun import (
    DEMANDE_ENTIERE,
    EtapeTic,
    numero_de_ligne,
    options_rattachement,
)
from chorus.adapters.tui.widgets.detail_demande_tic import COLONNES_PIECES_TIC, pieces_tic
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.domain.errors import ValidationError
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.demande import NOMBRE_MAXIMUM_DE_PIECES_TIC, DemandeTic

TYPES_TIC = (TypePiece.FACTURE, TypePiece.AUTRE)


def _rattachee() -> Champ:
    return Champ(
        "Rattachée à",
        "numero_ligne",
        Select([("la demande entière", DEMANDE_ENTIERE)], allow_blank=False, value=DEMANDE_ENTIERE),
    )


class EtapePiecesTic(EtapeTic):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "joindre", "Ajouter la PJ"),
        Binding("f8", "importer", "Sélectionner une PJ du compte"),
        Binding("ctrl+r", "retirer", "Retirer la pièce"),
    ]
    DEFAULT_CSS = """
    EtapePiecesTic #form-fichier-tic, EtapePiecesTic #form-import-tic,
    EtapePiecesTic #form-retrait-tic { height: auto; }
    EtapePiecesTic .grille-3 { grid-size: 3; grid-gutter: 0 2; height: auto; grid-rows: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Pièces jointes", classes="titre")
        yield Static(
            "Joignez chaque facture, sur sa ligne ou sur la demande entière : PDF, JPEG, PNG, "
            f"TIFF, ODT, ODS, DOC(X), XLS(X), XML, ZIP — 10 Mo au plus par fichier, "
            f"{NOMBRE_MAXIMUM_DE_PIECES_TIC} pièces au plus. Le RIB de la coordonnée bancaire "
            "choisie est joint automatiquement à l'envoi.",
            classes="aide",
        )
        with Vertical(id="form-fichier-tic"):
            yield Static("AJOUTER UNE PJ (fichier de cet ordinateur)", classes="sous-titre")
            yield Champ(
                "Fichier (chemin)",
                "fichier",
                Input(placeholder="/chemin/vers/la/facture.pdf"),
                obligatoire=True,
            )
            with Grid(classes="grille-3"):
                yield Champ(
                    "Type de pièce",
                    "type_piece",
                    Select(
                        [(t.libelle, t.value) for t in TYPES_TIC],
                        allow_blank=False,
                        value=TypePiece.FACTURE.value,
                    ),
                )
                yield Champ(
                    "Désignation", "designation", Input(placeholder="par défaut, le nom du fichier")
                )
                yield _rattachee()
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Ajouter la PJ", id="piece-tic-ajouter", variant="primary")
        with Vertical(id="form-import-tic"):
            yield Static("SÉLECTIONNER UNE PJ DU COMPTE", classes="sous-titre")
            with Grid(classes="grille"):
                yield Champ(
                    "Pièce enregistrée sur le compte de la structure",
                    "piece_structure_id",
                    Select[str]([], prompt="Sélectionner une pièce"),
                    obligatoire=True,
                )
                yield _rattachee()
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Sélectionner cette PJ", id="piece-tic-importer")
        yield Static("PIÈCES JOINTES DE LA DEMANDE", classes="sous-titre")
        yield TableauPagine(
            COLONNES_PIECES_TIC, unite="pièces", vide="Aucune pièce jointe.", id="table-pieces-tic"
        )
        with Vertical(id="form-retrait-tic"):
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Retirer la pièce choisie", id="piece-tic-retirer", variant="error")

    def premier_champ(self) -> Widget | None:
        return self.query_one(f"#{id_champ('fichier')}", Input)

    def rafraichir(self) -> None:
        demande = self.demande
        options = options_rattachement(demande)
        for formulaire in ("#form-fichier-tic", "#form-import-tic"):
            select = self.choix("numero_ligne", self.query_one(formulaire))
            actuel = valeur_choisie(select)
            select.set_options(options)
            choisir(select, actuel or DEMANDE_ENTIERE)
        reserve = self.choix("piece_structure_id")
        actuelle = valeur_choisie(reserve)
        pieces_structure = self.structure.pieces if self.structure else ()
        reserve.set_options(
            (court(f"{p.designation} — {p.nom_fichier} ({p.type_piece.libelle})", 90), p.id)
            for p in pieces_structure
        )
        choisir(reserve, actuelle)
        self.query_one("#table-pieces-tic", TableauPagine).remplir(
            pieces_tic(demande) if demande else []
        )
        self.query_one("#piece-tic-retirer", Button).disabled = not (demande and demande.pieces)

    def vider(self) -> None:
        formulaire = self.query_one("#form-fichier-tic")
        for champ in ("fichier", "designation"):
            formulaire.query_one(f"#{id_champ(champ)}", Input).value = ""
        effacer_erreurs(self)

    # -- actions -------------------------------------------------------------------------

    @on(Input.Submitted, "#champ-fichier")
    @on(Button.Pressed, "#piece-tic-ajouter")
    async def action_joindre(self) -> None:
        demande = self.demande
        if demande is None:
            return
        formulaire = self.query_one("#form-fichier-tic", Vertical)
        app = chorus(self)
        tic = app.services.tic
        utilisateur = app.utilisateur_id
        chemin = valeur(formulaire, "fichier")
        designation = valeur(formulaire, "designation").strip() or None
        type_piece = TypePiece(
            valeur_choisie(self.choix("type_piece", formulaire)) or TypePiece.FACTURE.value
        )
        ligne = numero_de_ligne(valeur_choisie(self.choix("numero_ligne", formulaire)))

        def joindre() -> DemandeTic:
            contenu, nom = lire_fichier(chemin)
            tic.joindre_piece(
                utilisateur,
                demande.id,
                contenu=contenu,
                nom_fichier=nom,
                type_piece=type_piece,
                designation=designation,
                numero_ligne=ligne,
                version_attendue=demande.version,
            )
            return tic.obtenir(utilisateur, demande.id)

        enregistree = await self.tenter(formulaire, joindre)
        if enregistree is None:
            return
        self.publier(enregistree)
        piece = enregistree.pieces[-1]
        self.notify(f"Pièce « {piece.nom_fichier} » jointe à {_a(piece.numero_ligne)}.")
        self.vider()
        formulaire.query_one(f"#{id_champ('fichier')}", Input).focus()

    @on(Button.Pressed, "#piece-tic-importer")
    async def action_importer(self) -> None:
        demande = self.demande
        if demande is None:
            return
        formulaire = self.query_one("#form-import-tic", Vertical)
        piece_id = valeur_choisie(self.choix("piece_structure_id"))
        if piece_id is None:
            montrer_erreur(
                formulaire,
                ValidationError(
                    "Choisissez une pièce enregistrée sur le compte.", champ="piece_structure_id"
                ),
            )
            return
        app = chorus(self)
        tic = app.services.tic
        utilisateur = app.utilisateur_id
        ligne = numero_de_ligne(valeur_choisie(self.choix("numero_ligne", formulaire)))

        def importer() -> DemandeTic:
            tic.importer_piece(
                utilisateur,
                demande.id,
                piece_id,
                numero_ligne=ligne,
                version_attendue=demande.version,
            )
            return tic.obtenir(utilisateur, demande.id)

        enregistree = await self.tenter(formulaire, importer)
        if enregistree is None:
            return
        self.publier(enregistree)
        piece = enregistree.pieces[-1]
        self.notify(f"Pièce « {piece.nom_fichier} » du compte jointe à {_a(piece.numero_ligne)}.")

    @on(Button.Pressed, "#piece-tic-retirer")
    async def action_retirer(self) -> None:
        demande = self.demande
        cle = self.query_one("#table-pieces-tic", TableauPagine).cle_choisie
        piece = demande.piece(cle) if demande is not None and cle is not None else None
        if demande is None or piece is None:
            return
        app = chorus(self)
        tic = app.services.tic
        utilisateur = app.utilisateur_id
        enregistree = await self.tenter(
            self.query_one("#form-retrait-tic"),
            lambda: tic.retirer_piece(
                utilisateur, demande.id, piece.id, version_attendue=demande.version
            ),
        )
        if enregistree is None:
            return
        self.publier(enregistree)
        self.notify(f"Pièce « {piece.nom_fichier} » retirée de la demande.")


def _a(numero_ligne: int | None) -> str:
    return "la demande" if numero_ligne is None else f"la ligne n°{numero_ligne}"
