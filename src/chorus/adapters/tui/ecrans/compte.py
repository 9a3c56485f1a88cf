"""What a user does about their account before signing in: reset a forgotten password with
the link received by email and the secret question, or activate a new account.

The email carries a link to the portal (``…/reinitialisation?jeton=…``); in the terminal the
user pastes that link (or the bare secret) and the screen takes the secret from it.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, valeur
from chorus.adapters.tui.noyau import chorus


def secret_du_lien(texte: str) -> str:
    """The secret of a link of the emails, or the text itself when it is the bare secret."""
    brut = texte.strip()
    if "jeton=" in brut:
        valeurs = parse_qs(urlsplit(brut).query).get("jeton") or parse_qs(
            brut.split("?", 1)[-1]
        ).get("jeton")
        if valeurs:
            return valeurs[0]
    return brut


class EcranMotDePasseOublie(ModalScreen[None]):
    """Two steps: ask for the email, then use the link it brings."""

    BINDINGS = [Binding("escape", "dismiss", "Fermer")]

    def __init__(self, email: str = "") -> None:
        super().__init__()
        self._email = email

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="oubli"):
            yield Static("Mot de passe oublié", classes="titre")
            with Vertical(id="oubli-demande"):
                yield Static(
                    "Indiquez l'adresse de votre compte : un courriel vous donnera un lien "
                    "valable 60 minutes.",
                    classes="aide",
                )
                yield Champ("Adresse électronique", "email", Input(value=self._email))
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Envoyer le lien", id="envoyer-lien", variant="primary")
            with Vertical(id="oubli-lien"):
                yield Static("", id="oubli-confirmation", classes="succes")
                yield Champ("Lien reçu par courriel (ou le jeton qu'il contient)", "jeton", Input())
                yield Static("", id="question", classes="aide")
                yield Champ("Réponse à la question secrète", "reponse_secrete", Input())
                yield Champ(
                    "Nouveau mot de passe (10 caractères dont 3 types : A-Z, a-z, 0-9, spéciaux)",
                    "nouveau_mot_de_passe",
                    Input(password=True),
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Lire la question", id="lire-question")
                    yield Button("Changer le mot de passe", id="reinitialiser", variant="primary")
            with Horizontal(classes="barre-actions"):
                yield Button("Fermer", id="fermer")

    def on_mount(self) -> None:
        self.query_one("#oubli-lien").display = False

    @on(Button.Pressed, "#fermer")
    def _fermer(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#envoyer-lien")
    async def envoyer_lien(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#oubli-demande", Vertical)
        email = valeur(self, "email")
        if not await app.reussir(formulaire, app.services.comptes.mot_de_passe_oublie, email):
            return
        self.query_one("#oubli-confirmation", Static).update(
            f"Si un compte actif existe pour {email.strip()}, un courriel vient de lui être "
            "envoyé. Collez ci-dessous le lien qu'il contient."
        )
        # The request is done: its form gives way to the link's, so both fit a small terminal.
        self.query_one("#oubli-demande").display = False
        self.query_one("#oubli-lien").display = True
        self.query_one("#champ-jeton", Input).focus()

    @on(Button.Pressed, "#lire-question")
    async def lire_question(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#oubli-lien", Vertical)
        jeton = secret_du_lien(valeur(self, "jeton"))
        question = await app.tenter(formulaire, app.services.comptes.question_secrete, jeton)
        if question is None:
            return
        self.query_one("#question", Static).update(f"Question secrète : {question}")
        self.query_one("#champ-reponse_secrete", Input).focus()

    @on(Button.Pressed, "#reinitialiser")
    async def reinitialiser(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#oubli-lien", Vertical)
        jeton = secret_du_lien(valeur(self, "jeton"))
        if not await app.reussir(
            formulaire,
            app.services.comptes.reinitialiser,
            jeton=jeton,
            reponse_secrete=valeur(self, "reponse_secrete"),
            nouveau_mot_de_passe=valeur(self, "nouveau_mot_de_passe"),
        ):
            return
        app.notify("Votre mot de passe est changé : connectez-vous avec le nouveau.")
        self.dismiss()


class EcranActivation(ModalScreen[None]):
    """Activate an account with the link of its activation email; an account created
    without a password (the TIC sign-up) chooses it here with its secret question."""

    BINDINGS = [Binding("escape", "dismiss", "Fermer")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="activation"):
            yield Static("Activer mon compte", classes="titre")
            yield Static(
                "Collez le lien reçu par courriel après l'inscription (valable 60 minutes). "
                "Si votre compte n'a pas encore de mot de passe, choisissez-le ici avec votre "
                "question secrète ; sinon laissez ces champs vides.",
                classes="aide",
            )
            yield Champ("Lien d'activation (ou le jeton qu'il contient)", "jeton", Input())
            yield Champ("Mot de passe", "mot_de_passe", Input(password=True))
            yield Champ("Question secrète", "question_secrete", Input())
            yield Champ("Réponse secrète", "reponse_secrete", Input())
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Activer", id="activer", variant="primary")
                yield Button("Fermer", id="fermer")

    @on(Button.Pressed, "#fermer")
    def _fermer(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#activer")
    async def activer(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#activation", Vertical)

        def facultatif(champ: str) -> str | None:
            return valeur(self, champ) or None

        utilisateur = await app.tenter(
            formulaire,
            lambda: app.services.comptes.activer(
                jeton=secret_du_lien(valeur(self, "jeton")),
                mot_de_passe=facultatif("mot_de_passe"),
                question_secrete=facultatif("question_secrete"),
                reponse_secrete=facultatif("reponse_secrete"),
            ),
        )
        if utilisateur is None:
            return
        app.notify(f"Compte {utilisateur.email} activé : vous pouvez vous connecter.")
        self.dismiss()
