"""« Créer un ticket »: catégorie and sous-catégorie (which decide the object asked for and
the destinataire, filled in automatically), the émetteur (one of the user's structures, the
contact's e-mail and telephone), the résumé and the long description, pièces jointes, then
« Soumettre ». A refusal is written under the field it names and nothing is stored; the
ticket created opens in place of the form."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static, TextArea

from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.liste_memoires import mes_structures
from chorus.adapters.tui.onglets.saisie_commun import choisir, valeur_choisie
from chorus.adapters.tui.widgets.detail_memoire import taille_lisible
from chorus.adapters.tui.widgets.fichiers import lire_fichier
from chorus.adapters.tui.widgets.tableau import Colonne, TableauPagine
from chorus.domain.errors import ValidationError
from chorus.domain.pieces import detecter_format
from chorus.domain.support.referentiel import (
    SOUS_CATEGORIES,
    CategorieTicket,
    DefinitionSousCategorie,
    Destinataire,
    SousCategorieTicket,
    sous_categories_de,
)
from chorus.domain.support.ticket import LONGUEUR_RESUME
from chorus.services.support import FichierJoint, SaisieTicket

CHAMP_PIECE = "fichier"


def libelle_destinataire_prevu(definition: DefinitionSousCategorie | None) -> str:
    """Who will answer, as the form shows it before the ticket exists."""
    if definition is None:
        return "Choisissez une sous-catégorie : le destinataire en dépend."
    if definition.destinataire is Destinataire.SERVICE_CENTRALISATEUR:
        return f"{definition.destinataire.libelle} de la juridiction du mémoire"
    return definition.destinataire.libelle


class EcranCreerTicket(Screen[None]):
    """The form of a new ticket, possibly pre-filled (the assistant's proposal)."""

    TITLE = "Support – Créer un ticket"
    DEFAULT_CSS = """
    EcranCreerTicket #formulaire-ticket { padding: 0 1; }
    EcranCreerTicket .grille { grid-size: 2; grid-gutter: 0 2; height: auto; }
    EcranCreerTicket .lecture { color: $text-muted; height: auto; margin-bottom: 1; }
    EcranCreerTicket #champ-description { height: 8; }
    EcranCreerTicket .ligne-piece { height: auto; }
    EcranCreerTicket .ligne-piece > Champ { width: 1fr; margin-right: 1; }
    EcranCreerTicket .ligne-piece > Button { margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "annuler", "Annuler"),
        Binding("ctrl+s", "soumettre", "Soumettre"),
    ]

    def __init__(
        self,
        *,
        categorie: CategorieTicket | None = None,
        sous_categorie: SousCategorieTicket | None = None,
        resume: str = "",
        description: str = "",
    ) -> None:
        super().__init__()
        self._categorie = categorie
        self._sous_categorie = sous_categorie
        self._resume = resume
        self._description = description
        self.pieces: list[FichierJoint] = []
        self.pret = False
        """The user's structures are loaded (what a test waits on)."""
        self._occupe = False

    # -- the form ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        app = chorus(self)
        utilisateur = None if app.session is None else app.session.utilisateur
        sous_categories = sous_categories_de(self._categorie) if self._categorie is not None else ()
        yield Header()
        with VerticalScroll(id="formulaire-ticket"):
            yield Static(
                "Renseignez votre ticket afin qu'il soit pris en charge par les équipes "
                "support. Les champs avec une * sont obligatoires.",
                classes="aide",
            )
            yield Static("Informations générales", classes="titre")
            with Grid(classes="grille"):
                yield Champ(
                    "Catégorie",
                    "categorie",
                    Select[str](
                        ((c.libelle, c.value) for c in CategorieTicket),
                        prompt="Choisissez une catégorie",
                    ),
                    obligatoire=True,
                )
                yield Champ(
                    "Sous-catégorie",
                    "sous_categorie",
                    Select[str](
                        ((d.libelle, d.code.value) for d in sous_categories),
                        prompt="Choisissez une sous-catégorie",
                    ),
                    obligatoire=True,
                )
                yield Champ("Type d'objet", "type_objet", Static("", classes="lecture"))
                yield Champ("N° d'objet", "numero_objet", Input(placeholder="MJ… ou DT…"))
            yield Static("Émetteur", classes="titre")
            with Grid(classes="grille"):
                yield Champ(
                    "Structure émettrice",
                    "structure_id",
                    Select[str]((), prompt="Choisissez la structure"),
                    obligatoire=True,
                )
                yield Champ(
                    "E-mail du contact",
                    "email",
                    Static(utilisateur.email if utilisateur else "", classes="lecture"),
                )
                yield Champ(
                    "Téléphone du contact",
                    "telephone",
                    Input(placeholder="04 78 12 34 56"),
                )
            yield Static("Organisation destinataire", classes="titre")
            yield Static("", id="destinataire-prevu", classes="lecture")
            yield Static("Problème rencontré", classes="titre")
            yield Champ(
                "Résumé",
                "resume",
                Input(value=self._resume, max_length=LONGUEUR_RESUME),
                obligatoire=True,
            )
            yield Champ(
                "Description longue",
                "description",
                TextArea(self._description),
                obligatoire=True,
            )
            yield Static("Pièces jointes", classes="titre")
            yield TableauPagine(
                [Colonne("Nom du fichier", 60), Colonne("Taille", 12)],
                unite="pièces",
                vide="Aucune pièce jointe (réquisition, attestation de mission, capture d'écran…).",
                id="pieces-nouveau-ticket",
            )
            with Horizontal(classes="ligne-piece"):
                yield Champ("Fichier à joindre (chemin)", CHAMP_PIECE, Input())
                yield Button("Ajouter la pièce", id="ajouter-piece")
                yield Button("Retirer la pièce choisie", id="retirer-piece")
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Soumettre", id="soumettre", variant="primary")
                yield Button("Annuler", id="annuler")
        yield Footer()

    def on_mount(self) -> None:
        # A proposal (the assistant's) arrives chosen; the options were built for it.
        if self._categorie is not None:
            choisir(self._select("categorie"), self._categorie.value)
        if self._sous_categorie is not None:
            choisir(self._select("sous_categorie"), self._sous_categorie.value)
        self._montrer_sous_categorie()
        self._charger_structures()
        self.query_one(f"#{id_champ('categorie')}", Select).focus()

    @property
    def _formulaire(self) -> VerticalScroll:
        return self.query_one("#formulaire-ticket", VerticalScroll)

    def _select(self, champ: str) -> Select[str]:
        return self.query_one(f"#{id_champ(champ)}", Select)

    @work(group="structures-ticket")
    async def _charger_structures(self) -> None:
        structures = await mes_structures(self)
        if structures is None:
            return
        select = self._select("structure_id")
        select.set_options((f"{s.raison_sociale} ({s.identifiant})", s.id) for s in structures)
        # The structure acted for, or the only one, is proposed.
        courante = chorus(self).structure_id
        if len(structures) == 1:
            choisir(select, structures[0].id)
        elif courante is not None:
            choisir(select, courante)
        self.pret = True

    def _definition(self) -> DefinitionSousCategorie | None:
        code = valeur_choisie(self._select("sous_categorie"))
        return None if code is None else SOUS_CATEGORIES[SousCategorieTicket(code)]

    def _montrer_sous_categorie(self) -> None:
        """The object and destinataire the chosen sous-catégorie implies."""
        definition = self._definition()
        type_objet = self.query_one(f"#{id_champ('type_objet')}", Static)
        numero = self.query_one(f"#{id_champ('numero_objet')}", Input)
        champ_numero = numero.parent
        avec_objet = definition is not None and definition.type_objet is not None
        if definition is not None and definition.type_objet is not None:
            precision = "obligatoire" if definition.objet_obligatoire else "facultatif"
            type_objet.update(f"{definition.type_objet.libelle} (n° {precision})")
        else:
            type_objet.update("Aucun objet pour cette sous-catégorie")
        if champ_numero is not None:
            libelle = champ_numero.query_one(Label)
            obligatoire = definition is not None and definition.objet_obligatoire
            libelle.update("N° d'objet *" if obligatoire else "N° d'objet")
            champ_numero.display = avec_objet
        self.query_one("#destinataire-prevu", Static).update(libelle_destinataire_prevu(definition))

    @on(Select.Changed, f"#{id_champ('categorie')}")
    def _categorie_changee(self, evenement: Select.Changed) -> None:
        evenement.stop()
        code = valeur_choisie(self._select("categorie"))
        categorie = None if code is None else CategorieTicket(code)
        if categorie is self._categorie:
            return
        self._categorie = categorie
        select = self._select("sous_categorie")
        definitions = sous_categories_de(categorie) if categorie is not None else ()
        select.set_options((d.libelle, d.code.value) for d in definitions)
        if len(definitions) == 1:
            select.value = definitions[0].code.value
        self._montrer_sous_categorie()

    @on(Select.Changed, f"#{id_champ('sous_categorie')}")
    def _sous_categorie_changee(self, evenement: Select.Changed) -> None:
        evenement.stop()
        self._montrer_sous_categorie()

    # -- pièces jointes ------------------------------------------------------------------

    def _montrer_pieces(self) -> None:
        self.query_one("#pieces-nouveau-ticket", TableauPagine).remplir(
            [
                (str(rang), (p.nom_fichier, taille_lisible(len(p.contenu))))
                for rang, p in enumerate(self.pieces)
            ]
        )

    @on(Button.Pressed, "#ajouter-piece")
    async def ajouter_piece(self) -> None:
        app = chorus(self)
        brut = valeur(self, CHAMP_PIECE).strip()
        if not brut:
            montrer_erreur(
                self._formulaire,
                ValidationError("Indiquez le fichier à joindre.", champ=CHAMP_PIECE),
            )
            return
        chemin = Path(brut).expanduser()
        contenu = await app.tenter(self._formulaire, lire_fichier, chemin, CHAMP_PIECE)
        if contenu is None:
            return
        # The format is checked now, so that a wrong file is refused where it was chosen.
        if await app.tenter(self._formulaire, detecter_format, contenu, chemin.name) is None:
            return
        self.pieces.append(FichierJoint(chemin.name, contenu))
        self.query_one(f"#{id_champ(CHAMP_PIECE)}", Input).value = ""
        self._montrer_pieces()

    @on(Button.Pressed, "#retirer-piece")
    def retirer_piece(self) -> None:
        cle = self.query_one("#pieces-nouveau-ticket", TableauPagine).cle_choisie
        if cle is not None:
            del self.pieces[int(cle)]
            self._montrer_pieces()

    # -- submitting ----------------------------------------------------------------------

    def saisie(self) -> SaisieTicket:
        """The ticket as typed (checked by the use case)."""
        definition = self._definition()
        numero = valeur(self, "numero_objet").strip()
        avec_objet = definition is not None and definition.type_objet is not None
        return SaisieTicket(
            structure_id=valeur_choisie(self._select("structure_id")),
            categorie=valeur_choisie(self._select("categorie")),
            sous_categorie=valeur_choisie(self._select("sous_categorie")),
            resume=valeur(self, "resume"),
            description=self.query_one(f"#{id_champ('description')}", TextArea).text,
            type_objet=definition.type_objet if definition is not None else None,
            numero_objet=(numero or None) if avec_objet else None,
            telephone=valeur(self, "telephone").strip() or None,
            pieces=tuple(self.pieces),
        )

    def action_soumettre(self) -> None:
        self.soumettre()

    @on(Button.Pressed, "#soumettre")
    def _soumettre(self) -> None:
        self.soumettre()

    @work(group="soumettre-ticket", exclusive=True)
    async def soumettre(self) -> None:
        from chorus.adapters.tui.ecrans.ticket import EcranTicket

        if self._occupe:
            return
        self._occupe = True
        try:
            app = chorus(self)
            effacer_erreurs(self._formulaire)
            ticket = await app.tenter(
                self._formulaire, app.services.tickets.creer, app.utilisateur_id, self.saisie()
            )
        finally:
            self._occupe = False
        if ticket is None:
            return
        app.notify(
            f"Ticket n°{ticket.numero} créé : il est adressé à {ticket.destinataire.libelle}."
        )
        app.switch_screen(EcranTicket(ticket.numero))

    def action_annuler(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#annuler")
    def _annuler(self) -> None:
        self.app.pop_screen()
