"""A support ticket's page, for its émetteur's structure or for the back office: the header
(numéro, résumé, créé le, catégorie, sous-catégorie, statut, destinataire), the tabs
« Contenu du ticket » and « Activités » (newest first), and the actions its status allows to
the side looking at it — each refusal written in the window where it was typed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from chorus.adapters.tui.affichage import instant
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import AppChorus, chorus
from chorus.adapters.tui.widgets.detail_memoire import taille_lisible
from chorus.adapters.tui.widgets.fichiers import lire_fichier
from chorus.adapters.tui.widgets.modales import AEnregistrer, Confirmation, EnregistrerSous
from chorus.adapters.tui.widgets.tableau import Colonne, TableauPagine
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.support.ticket import ActionTicket, Attente, Cote, NatureActivite, Ticket

# The screen's actions (each a button of the same id and a key), and what each does.
ACTIONS_UTILISATEUR: dict[str, ActionTicket] = {
    "accepter": ActionTicket.ACCEPTER_SOLUTION,
    "refuser": ActionTicket.REFUSER_SOLUTION,
    "fournir": ActionTicket.FOURNIR_INFORMATION,
    "commenter": ActionTicket.COMMENTER,
    "joindre": ActionTicket.AJOUTER_PIECE,
    "cloturer": ActionTicket.CLOTURER,
}
ACTIONS_AGENT: dict[str, ActionTicket] = {
    "prendre": ActionTicket.PRENDRE_EN_CHARGE,
    "commenter": ActionTicket.COMMENTER_AGENT,
    "proposer": ActionTicket.PROPOSER_SOLUTION,
    "demander": ActionTicket.DEMANDER_INFORMATION,
}
BOUTONS = (
    ("prendre", "Prendre en charge", "primary"),
    ("accepter", "Accepter la solution", "success"),
    ("refuser", "Refuser la solution", "warning"),
    ("fournir", "Fournir des informations", "primary"),
    ("proposer", "Proposer une solution", "primary"),
    ("demander", "Demander des informations", "default"),
    ("commenter", "Ajouter un commentaire", "default"),
    ("joindre", "Ajouter une pièce jointe", "default"),
    ("telecharger", "Télécharger la pièce", "default"),
    ("cloturer", "Fermer le ticket", "error"),
)
NOMS_ACTIONS = tuple(nom for nom, _, _ in BOUTONS)

COLONNES_ACTIVITES = (
    Colonne("Date", 16),
    Colonne("Auteur", 26),
    Colonne("Activité", 22),
    Colonne("Statut", 14),
    Colonne("Texte", 50),
)
COLONNES_PIECES = (Colonne("Nom du fichier", 50), Colonne("Taille", 10), Colonne("Ajoutée le", 16))


def actions_offertes(ticket: Ticket, *, agent: bool) -> frozenset[str]:
    """The actions of the screen `ticket`'s status allows to the side looking at it."""
    cote = Cote.AGENT if agent else Cote.UTILISATEUR
    table = ACTIONS_AGENT if agent else ACTIONS_UTILISATEUR
    possibles = set(ticket.actions_possibles(cote))
    offertes = {nom for nom, action in table.items() if action in possibles}
    if ticket.pieces:
        offertes.add("telecharger")
    return frozenset(offertes)


def lignes_activites(ticket: Ticket) -> list[tuple[str, tuple[str, ...]]]:
    """The history, newest first; an added pièce named in its activity's text."""
    noms = {p.id: p.nom_fichier for p in ticket.pieces}
    lignes: list[tuple[str, tuple[str, ...]]] = []
    for rang, a in reversed(list(enumerate(ticket.activites))):
        texte = a.texte or ""
        nom = noms.get(a.piece_id or "")
        if nom is not None and nom not in texte:
            piece = f"Pièce jointe : {nom}"
            texte = f"{piece}\n{texte}" if texte else piece
        lignes.append(
            (str(rang), (instant(a.date), a.auteur, a.nature.libelle, a.statut.libelle, texte))
        )
    return lignes


def libelle_etat(ticket: Ticket) -> str:
    if ticket.attente is None:
        return ticket.statut.libelle
    return f"{ticket.statut.libelle} – {ticket.attente.libelle}"


class FenetreTexte(ModalScreen["Ticket | None"]):
    """A text to send with an action (a comment, the information asked, a solution…): the
    use case runs from the window, whose refusals are written under the text; answers the
    ticket saved (None when cancelled)."""

    DEFAULT_CSS = """
    FenetreTexte { align: center middle; }
    FenetreTexte TextArea { height: 8; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "annuler", "Annuler"),
        Binding("ctrl+s", "valider", "Valider"),
    ]

    def __init__(
        self,
        *,
        titre: str,
        libelle: str,
        obligatoire: bool,
        valider: str,
        envoyer: Callable[[str | None], Ticket],
        aide: str = "",
    ) -> None:
        super().__init__()
        self._titre = titre
        self._libelle = libelle
        self._obligatoire = obligatoire
        self._valider = valider
        self._envoyer = envoyer
        self._aide = aide

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="fenetre-texte"):
            yield Static(self._titre, classes="titre", markup=False)
            if self._aide:
                yield Static(self._aide, classes="aide", markup=False)
            yield Champ(self._libelle, "texte", TextArea(), obligatoire=self._obligatoire)
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button(self._valider, id="valider-texte", variant="primary")
                yield Button("Annuler", id="annuler-texte")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fenetre-texte").styles.width = 100
        self.query_one(TextArea).focus()

    def action_annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#annuler-texte")
    def _annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#valider-texte")
    async def action_valider(self) -> None:
        app = chorus(self)
        texte = self.query_one(TextArea).text.strip() or None
        ticket = await app.tenter(self.query_one("#fenetre-texte", Vertical), self._envoyer, texte)
        if ticket is not None:
            self.dismiss(ticket)


class FenetrePiece(ModalScreen["Ticket | None"]):
    """« Ajouter une pièce jointe »: a file by its path, with an optional comment."""

    DEFAULT_CSS = """
    FenetrePiece { align: center middle; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "annuler", "Annuler"),
        Binding("ctrl+s", "valider", "Joindre"),
    ]

    def __init__(self, ticket: Ticket) -> None:
        super().__init__()
        self.ticket = ticket

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="fenetre-piece"):
            yield Static(
                f"Ajouter une pièce jointe au ticket n°{self.ticket.numero}", classes="titre"
            )
            yield Champ("Fichier à joindre (chemin)", "fichier", Input(), obligatoire=True)
            yield Champ("Commentaire (facultatif)", "texte", Input())
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Joindre", id="valider-piece", variant="primary")
                yield Button("Annuler", id="annuler-piece")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fenetre-piece").styles.width = 100
        self.query_one(Input).focus()

    def action_annuler(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#annuler-piece")
    def _annuler(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#valider-piece")
    async def action_valider(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#fenetre-piece", Vertical)
        brut = valeur(self, "fichier").strip()
        if not brut:
            montrer_erreur(
                formulaire, ValidationError("Indiquez le fichier à joindre.", champ="fichier")
            )
            return
        chemin = Path(brut).expanduser()
        contenu = await app.tenter(formulaire, lire_fichier, chemin, "fichier")
        if contenu is None:
            return
        ticket = await app.tenter(
            formulaire,
            app.services.tickets.ajouter_piece,
            app.utilisateur_id,
            self.ticket.numero,
            contenu=contenu,
            nom_fichier=chemin.name,
            commentaire=valeur(self, "texte").strip() or None,
            version_attendue=self.ticket.version,
        )
        if ticket is not None:
            self.dismiss(ticket)


def piece_ticket_a_enregistrer(
    app: AppChorus, ticket: Ticket, piece_id: str, *, agent: bool
) -> AEnregistrer | None:
    """A pièce of the ticket, read through the side's use case once the user says where."""
    piece = ticket.piece(piece_id)
    if piece is None:
        return None
    lecture = app.services.support.lire_piece if agent else app.services.tickets.lire_piece
    acteur_id = app.utilisateur_id
    numero = ticket.numero

    def lire() -> bytes:
        _, contenu = lecture(acteur_id, numero, piece_id)
        return contenu

    return AEnregistrer(
        titre="Enregistrer la pièce sous…",
        nom_fichier=piece.nom_fichier,
        description=f"{piece.nom_fichier} — {taille_lisible(piece.taille)}",
        lire=lire,
        enregistre="Pièce enregistrée",
    )


class EcranTicket(Screen[None]):
    """One ticket; Échap goes back to the list it was opened from."""

    TITLE = "Support – Ticket"
    DEFAULT_CSS = """
    EcranTicket #entete-ticket { height: auto; padding: 0 1; }
    EcranTicket #entete-ticket .barre-actions { margin: 0; height: auto; }
    EcranTicket #resume-ticket { text-style: bold; }
    EcranTicket #onglets-ticket { height: 1fr; }
    EcranTicket .solution { border: round $success; padding: 0 1; height: auto; }
    EcranTicket .information { border: round $warning; padding: 0 1; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "retour", "Retour"),
        Binding("ctrl+r", "actualiser", "Actualiser"),
        Binding("p", "prendre", "Prendre en charge"),
        Binding("a", "accepter", "Accepter la solution"),
        Binding("r", "refuser", "Refuser la solution"),
        Binding("i", "fournir", "Fournir des informations"),
        Binding("s", "proposer", "Proposer une solution"),
        Binding("d", "demander", "Demander des informations"),
        Binding("c", "commenter", "Commenter"),
        Binding("j", "joindre", "Joindre une pièce"),
        Binding("t", "telecharger", "Télécharger la pièce"),
        Binding("f", "cloturer", "Fermer le ticket"),
    ]

    def __init__(self, numero: str, *, agent: bool = False) -> None:
        super().__init__()
        self.numero = numero
        self.agent = agent
        self.ticket: Ticket | None = None
        self._occupe = False
        self._offertes: frozenset[str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="entete-ticket"):
            yield Static("", id="resume-ticket", markup=False)
            yield Static("", id="infos-ticket", markup=False)
            with Horizontal(classes="barre-actions"):
                for nom, libelle, variante in BOUTONS:
                    yield Button(libelle, id=nom, variant=variante)  # type: ignore[arg-type]
            yield ErreurGenerale()
        with TabbedContent(id="onglets-ticket", initial="contenu-ticket"):
            with TabPane("Contenu du ticket", id="contenu-ticket"), VerticalScroll():
                yield Static("", id="attente-ticket", markup=False)
                yield Static("", id="emetteur-ticket", markup=False)
                yield Static("Description", classes="titre")
                yield Static("", id="description-ticket", markup=False)
                yield Static("Pièces jointes", classes="titre")
                yield TableauPagine(
                    COLONNES_PIECES,
                    unite="pièces",
                    vide="Aucune pièce jointe.",
                    id="pieces-ticket",
                )
            with TabPane("Activités", id="activites-ticket"):
                yield TableauPagine(
                    COLONNES_ACTIVITES,
                    unite="activités",
                    vide="Aucune activité.",
                    hauteur_variable=True,
                    id="table-activites",
                )
        yield Footer()

    def on_mount(self) -> None:
        self._montrer_actions()
        self.charger()

    # -- loading -------------------------------------------------------------------------

    @property
    def _zone(self) -> Vertical:
        return self.query_one("#entete-ticket", Vertical)

    @work(exclusive=True, group="chargement-ticket")
    async def charger(self) -> None:
        app = chorus(self)
        lecture = app.services.support.obtenir if self.agent else app.services.tickets.obtenir
        # Not `tenter`: a refusal of the action just tried stays written above the ticket.
        try:
            ticket = await app.appeler(lecture, app.utilisateur_id, self.numero)
        except DomainError as erreur:
            montrer_erreur(self._zone, erreur)
            return
        self.afficher(ticket)

    def afficher(self, ticket: Ticket) -> None:
        self.ticket = ticket
        self.numero = ticket.numero
        self.sub_title = f"Ticket n°{ticket.numero} — {libelle_etat(ticket)}"
        self.query_one("#resume-ticket", Static).update(
            f"Ticket n°{ticket.numero} — {ticket.resume}"
        )
        objet = (
            ""
            if ticket.type_objet is None or ticket.numero_objet is None
            else f"\n{ticket.type_objet.libelle} n°{ticket.numero_objet}"
        )
        self.query_one("#infos-ticket", Static).update(
            f"Créé le {instant(ticket.date_creation)} · Statut : {libelle_etat(ticket)}\n"
            f"Catégorie : {ticket.categorie.libelle} · Sous-catégorie : "
            f"{ticket.sous_categorie.libelle}\n"
            f"Destinataire : {ticket.destinataire.libelle}{objet}"
        )
        self._afficher_contenu(ticket)
        self.query_one("#table-activites", TableauPagine).remplir(lignes_activites(ticket))
        self._montrer_actions()

    def _afficher_contenu(self, ticket: Ticket) -> None:
        attente = self.query_one("#attente-ticket", Static)
        attente.remove_class("solution", "information")
        derniere = None
        if ticket.attente is not None:
            nature = (
                NatureActivite.SOLUTION
                if ticket.attente is Attente.SOLUTION
                else NatureActivite.DEMANDE_INFORMATION
            )
            derniere = ticket.derniere(nature)
        if derniere is not None and ticket.attente is not None:
            titre = (
                "Solution proposée"
                if derniere.nature is NatureActivite.SOLUTION
                else "Informations demandées"
            )
            attente.update(f"{titre} le {instant(derniere.date)} :\n{derniere.texte or ''}")
            attente.add_class(
                "solution" if derniere.nature is NatureActivite.SOLUTION else "information"
            )
            attente.display = True
        else:
            attente.display = False
        e = ticket.emetteur
        telephone = f" · {e.telephone}" if e.telephone else ""
        self.query_one("#emetteur-ticket", Static).update(
            f"Émetteur : {e.raison_sociale} — {e.nom} ({e.email}{telephone})"
        )
        self.query_one("#description-ticket", Static).update(ticket.description)
        self.query_one("#pieces-ticket", TableauPagine).remplir(
            [
                (p.id, (p.nom_fichier, taille_lisible(p.taille), instant(p.date_ajout)))
                for p in ticket.pieces
            ]
        )

    # -- what may be done ----------------------------------------------------------------

    @property
    def actions(self) -> frozenset[str]:
        if self.ticket is None or chorus(self).session is None:
            return frozenset()
        return actions_offertes(self.ticket, agent=self.agent)

    def _montrer_actions(self) -> None:
        possibles = self.actions
        for nom in NOMS_ACTIONS:
            self.query_one(f"#{nom}", Button).display = nom in possibles
        if possibles != self._offertes:
            self._offertes = possibles
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NOMS_ACTIONS:
            return action in self.actions
        return True

    @on(Button.Pressed, "#entete-ticket Button")
    async def _bouton(self, evenement: Button.Pressed) -> None:
        evenement.stop()
        if evenement.button.id:
            await self.run_action(evenement.button.id)

    @contextmanager
    def _prendre(self, nom: str) -> Iterator[Ticket | None]:
        """The ticket to act on, unless an action is under way or `nom` is not offered."""
        if self._occupe or self.ticket is None or nom not in self.actions:
            yield None
            return
        self._occupe = True
        effacer_erreurs(self._zone)
        try:
            yield self.ticket
        finally:
            self._occupe = False

    def _fait(self, ticket: Ticket | None, message: str) -> None:
        if ticket is None:
            # Cancelled or refused (the other side may have answered meanwhile: a stale
            # version is refused): show the ticket as it is now.
            self.charger()
            return
        self.afficher(ticket)
        self.notify(message)

    # -- actions -------------------------------------------------------------------------

    def action_retour(self) -> None:
        self.app.pop_screen()

    def action_actualiser(self) -> None:
        self.charger()

    @work(group="action-ticket")
    async def _texte(
        self,
        nom: str,
        *,
        titre: str,
        libelle: str,
        obligatoire: bool,
        valider: str,
        fait: str,
        appel: Callable[[Ticket, str | None], Ticket],
        aide: str = "",
    ) -> None:
        with self._prendre(nom) as ticket:
            if ticket is None:
                return
            resultat = await self.app.push_screen_wait(
                FenetreTexte(
                    titre=f"{titre} — ticket n°{ticket.numero}",
                    libelle=libelle,
                    obligatoire=obligatoire,
                    valider=valider,
                    envoyer=lambda texte: appel(ticket, texte),
                    aide=aide,
                )
            )
            self._fait(resultat, fait)

    # The émetteur's side.

    def action_accepter(self) -> None:
        app = chorus(self)
        self._texte(
            "accepter",
            titre="Accepter la solution",
            libelle="Commentaire (facultatif)",
            obligatoire=False,
            valider="Accepter la solution",
            fait="Solution acceptée : le ticket est résolu.",
            appel=lambda t, texte: app.services.tickets.accepter_solution(
                app.utilisateur_id, t.numero, commentaire=texte, version_attendue=t.version
            ),
        )

    def action_refuser(self) -> None:
        app = chorus(self)
        self._texte(
            "refuser",
            titre="Refuser la solution",
            libelle="Pourquoi la solution ne convient pas",
            obligatoire=True,
            valider="Refuser la solution",
            fait="Solution refusée : le ticket est repris par le support.",
            appel=lambda t, texte: app.services.tickets.refuser_solution(
                app.utilisateur_id, t.numero, texte, version_attendue=t.version
            ),
        )

    def action_fournir(self) -> None:
        app = chorus(self)
        self._texte(
            "fournir",
            titre="Fournir des informations",
            libelle="Informations demandées",
            obligatoire=True,
            valider="Envoyer",
            fait="Informations envoyées : le ticket est repris par le support.",
            appel=lambda t, texte: app.services.tickets.fournir_information(
                app.utilisateur_id, t.numero, texte, version_attendue=t.version
            ),
        )

    def action_commenter(self) -> None:
        app = chorus(self)
        agent = self.agent

        def commenter(t: Ticket, texte: str | None) -> Ticket:
            service = app.services.support if agent else app.services.tickets
            return service.commenter(
                app.utilisateur_id, t.numero, texte, version_attendue=t.version
            )

        self._texte(
            "commenter",
            titre="Ajouter un commentaire",
            libelle="Commentaire",
            obligatoire=True,
            valider="Ajouter le commentaire",
            fait="Commentaire ajouté.",
            appel=commenter,
        )

    @work(group="action-ticket")
    async def action_joindre(self) -> None:
        with self._prendre("joindre") as ticket:
            if ticket is None:
                return
            resultat = await self.app.push_screen_wait(FenetrePiece(ticket))
            self._fait(resultat, "Pièce jointe ajoutée au ticket.")

    def action_telecharger(self) -> None:
        ticket = self.ticket
        if ticket is None or "telecharger" not in self.actions:
            return
        tableau = self.query_one("#pieces-ticket", TableauPagine)
        piece_id = tableau.cle_choisie
        if piece_id is None:
            return
        fichier = piece_ticket_a_enregistrer(chorus(self), ticket, piece_id, agent=self.agent)
        if fichier is not None:
            self.app.push_screen(EnregistrerSous(fichier))

    @work(group="action-ticket")
    async def action_cloturer(self) -> None:
        with self._prendre("cloturer") as ticket:
            if ticket is None:
                return
            app = chorus(self)
            question = (
                f"Fermer le ticket n°{ticket.numero} ? Un ticket clôturé ne peut plus recevoir "
                "de réponse : pour une nouvelle question, il faudra en créer un autre."
            )
            if not await app.push_screen_wait(Confirmation(question, oui="Fermer le ticket")):
                return
            resultat = await app.tenter(
                self._zone,
                app.services.tickets.cloturer,
                app.utilisateur_id,
                ticket.numero,
                version_attendue=ticket.version,
            )
            self._fait(resultat, f"Le ticket n°{ticket.numero} est clôturé.")

    # The back office's side.

    @work(group="action-ticket")
    async def action_prendre(self) -> None:
        with self._prendre("prendre") as ticket:
            if ticket is None:
                return
            app = chorus(self)
            resultat = await app.tenter(
                self._zone,
                app.services.support.prendre_en_charge,
                app.utilisateur_id,
                ticket.numero,
                version_attendue=ticket.version,
            )
            self._fait(resultat, f"Ticket n°{ticket.numero} pris en charge.")

    def action_proposer(self) -> None:
        app = chorus(self)
        self._texte(
            "proposer",
            titre="Proposer une solution",
            libelle="Solution proposée",
            obligatoire=True,
            valider="Proposer la solution",
            fait="Solution proposée : l'émetteur est prévenu par courriel.",
            aide="L'émetteur l'acceptera ou la refusera ; il est prévenu par courriel.",
            appel=lambda t, texte: app.services.support.proposer_solution(
                app.utilisateur_id, t.numero, texte, version_attendue=t.version
            ),
        )

    def action_demander(self) -> None:
        app = chorus(self)
        self._texte(
            "demander",
            titre="Demander des informations",
            libelle="Informations demandées",
            obligatoire=True,
            valider="Demander",
            fait="Informations demandées : l'émetteur est prévenu par courriel.",
            appel=lambda t, texte: app.services.support.demander_information(
                app.utilisateur_id, t.numero, texte, version_attendue=t.version
            ),
        )
