"""Sign-in: email and password, with the API's rules (five failures lock the account for one
hour, a pending account is told to activate)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, valeur
from chorus.adapters.tui.noyau import SessionTui, chorus
from chorus.adapters.tui.widgets.actualites import PanneauActualites


class EcranConnexion(Screen[None]):
    TITLE = "Connexion"
    # Narrower than the form and the side panel of actualités side by side (80 + 42
    # columns), the panel gives way: F7 still opens the actualités.
    HORIZONTAL_BREAKPOINTS = [(0, "-etroit"), (124, "-large")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="connexion-page"):
            yield from self._formulaire()
            yield PanneauActualites()
        yield Footer()

    def _formulaire(self) -> ComposeResult:
        with Center(), Vertical(id="connexion", classes="carte"):
            yield Static("Chorus Portail Pro", classes="titre")
            yield Static(
                "Frais de justice et remboursement TIC/TICGN — identifiez-vous.",
                classes="aide",
            )
            yield Champ("Adresse électronique", "email", Input(placeholder="prenom.nom@exemple.fr"))
            yield Champ("Mot de passe", "mot_de_passe", Input(password=True))
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Se connecter", id="se-connecter", variant="primary")
                yield Button("Mot de passe oublié ?", id="oubli")
                yield Button("Activer mon compte", id="activation")
            # The farmers' own sign-up (seed 004), on a row of its own: one row is too narrow.
            with Horizontal(classes="barre-actions"):
                yield Button("Créer un compte TIC", id="inscription-tic")

    def on_mount(self) -> None:
        self.query_one("#champ-email", Input).focus()

    @on(Input.Submitted)
    async def _valider(self, evenement: Input.Submitted) -> None:
        if evenement.input.id == "champ-email":
            self.query_one("#champ-mot_de_passe", Input).focus()
        else:
            await self.se_connecter()

    @on(Button.Pressed, "#oubli")
    def oubli(self) -> None:
        from chorus.adapters.tui.ecrans.compte import EcranMotDePasseOublie

        self.app.push_screen(EcranMotDePasseOublie(valeur(self, "email")))

    @on(Button.Pressed, "#activation")
    def activation(self) -> None:
        from chorus.adapters.tui.ecrans.compte import EcranActivation

        self.app.push_screen(EcranActivation())

    @on(Button.Pressed, "#inscription-tic")
    def inscription_tic(self) -> None:
        from chorus.adapters.tui.ecrans.inscription_tic import EcranInscriptionTic

        self.app.push_screen(EcranInscriptionTic())

    @on(Button.Pressed, "#se-connecter")
    async def se_connecter(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#connexion", Vertical)
        comptes = app.services.comptes
        session = await app.tenter(
            formulaire,
            comptes.ouvrir_session,
            valeur(self, "email"),
            valeur(self, "mot_de_passe"),
        )
        if session is None:
            return
        authentification = await app.appeler(comptes.authentifier, session.jeton)
        app.session = SessionTui(session.jeton, authentification.utilisateur)
        app.refresh_bindings()
        self.query_one("#champ-mot_de_passe", Input).value = ""
        await app.apres_connexion()
