"""« Créer un compte TIC » (seed 004), from the sign-in screen: the SIRET, the verification
code (captcha), the service « TIC », the option, the data of the account holder and of the
company, then « Finaliser l'inscription ». The activity follow-up is on; an activation email
is sent, whose link (pasted in « Activer mon compte ») chooses the password and the secret
question."""

from __future__ import annotations

from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Select, Static

from chorus.adapters.tui.affichage import ou_rien
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import valeur_choisie
from chorus.adapters.tui.widgets.image_terminal import dessin_terminal
from chorus.adapters.tui.widgets.modales import AEnregistrer, EnregistrerSous
from chorus.domain.errors import Conflit, DomainError
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.services.comptes import Captcha
from chorus.services.inscription_tic import (
    SERVICE_TIC,
    InscriptionTic,
    OptionInscriptionTic,
    SaisieAdresse,
    SaisieEntreprise,
    SaisieTitulaire,
)

CHAMP_CAPTCHA = "captcha_reponse"


def _minutes(secondes: float) -> str:
    minutes = int(secondes // 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


class EcranInscriptionTic(Screen[None]):
    """The TIC sign-up form, in the seed's order; a refusal is written under its field and
    nothing typed is lost (a spent verification code is replaced by a new image)."""

    TITLE = "Créer un compte TIC"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "fermer", "Fermer"),
        Binding("ctrl+s", "finaliser", "Finaliser l'inscription"),
        Binding("ctrl+n", "nouvelle_image", "Nouvelle image"),
    ]
    DEFAULT_CSS = """
    EcranInscriptionTic #inscription-tic { padding: 0 2; }
    EcranInscriptionTic .etape-titre { text-style: bold; color: $accent; margin: 1 0 0 0; }
    EcranInscriptionTic .grille { grid-size: 2; grid-gutter: 0 2; height: auto; grid-rows: auto; }
    EcranInscriptionTic Select { width: 1fr; }
    EcranInscriptionTic #captcha-image { height: auto; margin: 1 0; }
    EcranInscriptionTic #inscription-terminee { height: auto; display: none; }
    EcranInscriptionTic #inscription-terminee.visible { display: block; }
    EcranInscriptionTic #formulaire-tic.cache { display: none; }
    EcranInscriptionTic #formulaire-tic { height: auto; max-width: 120; }
    EcranInscriptionTic #inscription-terminee { max-width: 120; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._captcha: Captcha | None = None
        self.inscription: InscriptionTic | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="inscription-tic"):
            yield Static("Création d'un compte — Remboursement TIC/TICGN", classes="titre")
            with Vertical(id="formulaire-tic"):
                yield Static("Étape 1 — Accueil", classes="etape-titre")
                yield Champ(
                    "Numéro SIRET (14 chiffres)",
                    "siret",
                    Input(placeholder="12345678900012"),
                    obligatoire=True,
                )
                yield Static(
                    "Recopiez le code de vérification de l'image (sans distinction de "
                    "majuscules) :",
                    classes="aide",
                )
                yield Static("", id="captcha-image")
                with Horizontal(classes="barre-actions"):
                    yield Button("Nouvelle image", id="captcha-nouveau")
                    yield Button("Enregistrer l'image…", id="captcha-enregistrer")
                yield Champ("Code de vérification", CHAMP_CAPTCHA, Input(), obligatoire=True)
                yield Static("Sélection du service", classes="etape-titre")
                yield Champ(
                    "Service",
                    "service",
                    Select[str](
                        [("Service TIC — remboursement de la TIC/TICGN", SERVICE_TIC)],
                        allow_blank=False,
                        value=SERVICE_TIC,
                    ),
                    obligatoire=True,
                )
                yield Static("Sélection de l'option", classes="etape-titre")
                yield Champ(
                    "Option",
                    "option",
                    Select[str](
                        [(o.libelle, o.value) for o in OptionInscriptionTic],
                        prompt="Sélectionner une option",
                    ),
                    obligatoire=True,
                )
                yield Static(
                    "Données du compte « fournisseur principal » (une adresse électronique "
                    "valide : le courriel d'activation y est envoyé)",
                    classes="etape-titre",
                )
                with Grid(classes="grille"):
                    yield Champ(
                        "Adresse électronique",
                        "utilisateur.email",
                        Input(placeholder="prenom.nom@exemple.fr"),
                        obligatoire=True,
                    )
                    yield Champ("Téléphone", "utilisateur.telephone", Input())
                    yield Champ("Nom", "utilisateur.nom", Input(), obligatoire=True)
                    yield Champ("Prénom", "utilisateur.prenom", Input(), obligatoire=True)
                yield Static("Données de la société", classes="etape-titre")
                with Grid(classes="grille"):
                    yield Champ(
                        "Raison sociale", "structure.raison_sociale", Input(), obligatoire=True
                    )
                    yield Champ(
                        "Type de bénéficiaire",
                        "structure.type_beneficiaire",
                        Select[str](
                            [(t.libelle, t.value) for t in TypeBeneficiaire],
                            prompt="Sélectionner un type",
                        ),
                    )
                    yield Champ(
                        "Adresse du siège", "structure.adresse.ligne1", Input(), obligatoire=True
                    )
                    yield Champ("Complément d'adresse", "structure.adresse.ligne2", Input())
                    yield Champ(
                        "Code postal",
                        "structure.adresse.code_postal",
                        Input(placeholder="72000"),
                        obligatoire=True,
                    )
                    yield Champ("Ville", "structure.adresse.ville", Input(), obligatoire=True)
                yield Static("Étape 2 — Activation", classes="etape-titre")
                yield Checkbox(
                    "Suivi d'activité : un courriel de suivi de vos demandes (coché "
                    "automatiquement)",
                    value=True,
                    disabled=True,
                    id="suivi-activite",
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Finaliser l'inscription", id="finaliser", variant="primary")
                    yield Button("Annuler", id="annuler-inscription")
            with Vertical(id="inscription-terminee"):
                yield Static("Inscription enregistrée", classes="titre succes")
                yield Static("", id="inscription-message", markup=False)
                with Horizontal(classes="barre-actions"):
                    yield Button("Activer mon compte", id="activer-compte", variant="primary")
                    yield Button("Fermer", id="fermer-inscription")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#{id_champ('siret')}", Input).focus()
        self.nouvelle_image()

    # -- the verification code -----------------------------------------------------------

    @work(exclusive=True, group="captcha")
    async def nouvelle_image(self) -> None:
        app = chorus(self)
        zone = self.query_one("#captcha-image", Static)
        try:
            captcha = await app.appeler(app.services.comptes.nouveau_captcha)
        except DomainError as erreur:
            zone.update(erreur.message)
            return
        self._captcha = captcha
        self.query_one(f"#{id_champ(CHAMP_CAPTCHA)}", Input).value = ""
        dessin = dessin_terminal(captcha.image_png)
        if dessin is None:
            zone.update(
                "L'image du code de vérification ne peut pas s'afficher dans ce terminal : "
                "enregistrez-la (« Enregistrer l'image… ») et ouvrez-la pour lire le code."
            )
        else:
            zone.update(dessin)

    def action_nouvelle_image(self) -> None:
        self.nouvelle_image()

    @on(Button.Pressed, "#captcha-nouveau")
    def _nouvelle_image(self) -> None:
        self.nouvelle_image()

    @on(Button.Pressed, "#captcha-enregistrer")
    def _enregistrer_image(self) -> None:
        captcha = self._captcha
        if captcha is None:
            return
        image = captcha.image_png
        self.app.push_screen(
            EnregistrerSous(
                AEnregistrer(
                    titre="Enregistrer l'image du code de vérification sous…",
                    nom_fichier="code-verification.png",
                    description="Image PNG du code de vérification",
                    lire=lambda: image,
                    enregistre="Image enregistrée",
                )
            )
        )

    # -- finalising ----------------------------------------------------------------------

    def _choix(self, champ: str) -> str | None:
        return valeur_choisie(cast("Select[str]", self.query_one(f"#{id_champ(champ)}", Select)))

    @on(Button.Pressed, "#finaliser")
    async def action_finaliser(self) -> None:
        if self.inscription is not None:
            return
        app = chorus(self)
        formulaire = self.query_one("#formulaire-tic", Vertical)
        captcha = self._captcha
        try:
            inscription = await app.appeler(
                app.services.inscription_tic.inscrire,
                siret=valeur(self, "siret"),
                captcha_id=captcha.id if captcha else "",
                captcha_reponse=valeur(self, CHAMP_CAPTCHA),
                service=self._choix("service") or "",
                option=self._choix("option") or "",
                utilisateur=SaisieTitulaire(
                    email=valeur(self, "utilisateur.email"),
                    nom=valeur(self, "utilisateur.nom"),
                    prenom=valeur(self, "utilisateur.prenom"),
                    telephone=ou_rien(valeur(self, "utilisateur.telephone")),
                ),
                structure=SaisieEntreprise(
                    raison_sociale=valeur(self, "structure.raison_sociale"),
                    adresse=SaisieAdresse(
                        ligne1=valeur(self, "structure.adresse.ligne1"),
                        ligne2=ou_rien(valeur(self, "structure.adresse.ligne2")),
                        code_postal=valeur(self, "structure.adresse.code_postal"),
                        ville=valeur(self, "structure.adresse.ville"),
                    ),
                    type_beneficiaire=self._choix("structure.type_beneficiaire"),
                ),
            )
        except DomainError as erreur:
            montrer_erreur(formulaire, erreur)
            # A refusal of the form itself leaves the code usable; a wrong code, or a
            # refusal once it was checked (SIRET or email already registered), spent it:
            # a new image, the refusal kept under its field.
            if isinstance(erreur, Conflit) or any(e.champ == CHAMP_CAPTCHA for e in erreur.erreurs):
                self.nouvelle_image()
            return
        effacer_erreurs(formulaire)
        self._terminer(inscription)

    def _terminer(self, inscription: InscriptionTic) -> None:
        self.inscription = inscription
        app = chorus(self)
        duree = _minutes(app.services.comptes.reglages.duree_lien.total_seconds())
        structure = inscription.structure
        self.query_one("#inscription-message", Static).update(
            f"Le compte de {inscription.utilisateur.email} et la structure "
            f"{structure.raison_sociale} (SIRET {structure.identifiant}) sont créés, "
            f"option « {inscription.option.libelle} ».\n\n"
            "Le suivi d'activité est coché : vous recevrez par courriel le suivi de vos "
            "demandes.\n\n"
            f"Un courriel d'activation vient d'être envoyé à {inscription.utilisateur.email} : "
            f"cliquez sur le lien « activer compte » qu'il contient (valable {duree}), ou "
            "collez-le dans « Activer mon compte », puis choisissez votre mot de passe (10 "
            "caractères au moins, dont 3 types parmi majuscules, minuscules, chiffres et "
            "caractères spéciaux) et votre question secrète — ne l'oubliez pas : elle vous "
            "sera demandée si vous oubliez votre mot de passe."
        )
        self.query_one("#formulaire-tic").add_class("cache")
        self.query_one("#inscription-terminee").add_class("visible")
        self.query_one("#activer-compte", Button).focus()

    @on(Button.Pressed, "#activer-compte")
    def _activer(self) -> None:
        from chorus.adapters.tui.ecrans.compte import EcranActivation

        self.app.push_screen(EcranActivation())

    @on(Button.Pressed, "#annuler-inscription")
    @on(Button.Pressed, "#fermer-inscription")
    def action_fermer(self) -> None:
        self.app.pop_screen()
