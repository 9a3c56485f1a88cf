"""Structure management (for its gestionnaire) and the user's own structures.

`EcranStructure` shows the current structure in tabs, as the portal's « Gérer une
structure » pages: a gestionnaire changes it, any other habilitated member reads it.
`EcranMesStructures` lists the user's rattachements and lets them create a structure, ask to
join one (known by its Chorus identifier, as the API's ``POST /structures/{id}/rattachements``
names it), leave one, or act for one."""

from __future__ import annotations

import asyncio
from contextlib import suppress

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

from chorus.adapters.tui.affichage import jour, ou_rien
from chorus.adapters.tui.ecrans.structure_communs import (
    OPTIONS_TYPE_IDENTIFIANT,
    OPTIONS_TYPE_STRUCTURE,
    STATUTS_RATTACHEMENT,
    TYPES_IDENTIFIANT,
    TablePaginee,
    confirmer,
    libelle_habilitation,
    montrer_onglet,
)
from chorus.adapters.tui.ecrans.structure_membres import OngletHabilitations, OngletUtilisateurs
from chorus.adapters.tui.ecrans.structure_onglets import (
    EtatStructure,
    OngletCoordonnees,
    OngletEspaces,
    OngletInformations,
    OngletPieces,
    OngletServices,
    OngletStructure,
    choix,
    vider,
)
from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, valeur
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.services import ServicesTui
from chorus.domain import acces
from chorus.domain.errors import DomainError, NonTrouve, ValidationError
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    StatutRattachement,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.utilisateur import Utilisateur
from chorus.services.structures import MonRattachement


def charger_etat(
    services: ServicesTui, utilisateur: Utilisateur, structure_id: str
) -> EtatStructure:
    """The structure as `utilisateur` may see it: what any habilitated member reads
    (`obtenir`), and for a gestionnaire what only they may (`obtenir_pour_gestion`) with the
    accounts of the members and applicants."""
    structures = services.structures
    qui = utilisateur.id
    structure = structures.obtenir(qui, structure_id)
    gestion = structure.est_gestionnaire(qui)
    personnes = {qui: utilisateur}
    if gestion:
        structure = structures.obtenir_pour_gestion(qui, structure_id)
        for rattachement in structure.rattachements:
            if rattachement.utilisateur_id not in personnes:
                with suppress(NonTrouve):
                    personnes[rattachement.utilisateur_id] = services.utilisateurs.obtenir(
                        rattachement.utilisateur_id
                    )
    return EtatStructure(
        structure=structure,
        utilisateur_id=qui,
        gestion=gestion,
        depot_pieces=gestion
        or acces.peut(structure, qui, Application.FRAIS_DE_JUSTICE, Profil.MODIFICATION),
        personnes=personnes,
        categories=tuple(services.referentiels.categories_prestataire()),
    )


class EcranStructure(Screen[None]):
    """The current structure: informations, services, coordonnées bancaires, pièces,
    espaces, utilisateurs and rattachements, habilitations."""

    TITLE = "Ma structure"
    DEFAULT_CSS = """
    EcranStructure #entete-structure { height: auto; padding: 0 1; }
    EcranStructure #titre-structure { text-style: bold; color: $accent; }
    EcranStructure #mode-structure { color: $text-muted; }
    EcranStructure #mode-structure.lecture { color: $warning; }
    EcranStructure #onglets-structure { height: 1fr; }
    EcranStructure #onglets-structure > ContentSwitcher { height: 1fr; }
    EcranStructure #onglets-structure TabPane { height: 1fr; padding: 0; }
    """

    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("f5", "actualiser", "Actualiser"),
        Binding("f6", "mes_structures", "Mes structures"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.etat: EtatStructure | None = None
        self._verrou = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="entete-structure"):
            yield Static("Structure", id="titre-structure")
            yield Static("", id="mode-structure")
            yield Static("", id="erreur-structure", classes="erreur")
        with TabbedContent(id="onglets-structure", initial="informations"):
            with TabPane("Informations", id="informations"):
                yield OngletInformations(self.recharger, id="onglet-informations")
            with TabPane("Services", id="services"):
                yield OngletServices(self.recharger, id="onglet-services")
            with TabPane("Coordonnées bancaires", id="coordonnees"):
                yield OngletCoordonnees(self.recharger, id="onglet-coordonnees")
            with TabPane("Pièces", id="pieces"):
                yield OngletPieces(self.recharger, id="onglet-pieces")
            with TabPane("Espaces", id="espaces"):
                yield OngletEspaces(self.recharger, id="onglet-espaces")
            with TabPane("Utilisateurs et rattachements", id="utilisateurs"):
                yield OngletUtilisateurs(self.recharger, id="onglet-utilisateurs")
            with TabPane("Habilitations", id="habilitations"):
                yield OngletHabilitations(self.recharger, id="onglet-habilitations")
        yield Footer()

    def on_mount(self) -> None:
        # Textual's loading overlay goes away once loaded: a hidden indicator would keep
        # its animation timer running.
        self.query_one(TabbedContent).loading = True

    def on_screen_resume(self) -> None:
        # Each time the screen comes back (first display included): what changed elsewhere
        # (another screen, another user) shows.
        self.run_worker(self.recharger(), group="chargement-structure")

    def montrer(self, onglet: str, *, focaliser: bool = False) -> None:
        """Bring the tab `onglet` (a TabPane id) to the front."""
        montrer_onglet(self.query_one(TabbedContent), onglet, focaliser=focaliser)

    async def recharger(self) -> None:
        """Read the structure from the store again and show it in every tab."""
        async with self._verrou:
            app = chorus(self)
            session = app.session
            erreur = self.query_one("#erreur-structure", Static)
            if session is None or session.structure_id is None:
                self._echec("Aucune structure choisie : F6 pour voir vos structures.")
                return
            try:
                etat = await app.appeler(
                    charger_etat, app.services, session.utilisateur, session.structure_id
                )
            except DomainError as refus:
                if self.is_attached:
                    self._echec(refus.message)
                return
            if not self.is_attached:
                # The user left the screen while the store was read (F6 to act for another
                # structure): there is nothing left to show it in.
                return
            self.etat = etat
            s = etat.structure
            self.query_one("#titre-structure", Static).update(
                f"{s.raison_sociale} — {TYPES_IDENTIFIANT[s.type_identifiant]} {s.identifiant}"
            )
            mode = self.query_one("#mode-structure", Static)
            mode.update(
                "Vous êtes gestionnaire de cette structure."
                if etat.gestion
                else "Vous êtes membre de cette structure, qui est gérée par son gestionnaire."
            )
            mode.set_class(not etat.gestion, "lecture")
            erreur.update("")
            erreur.remove_class("visible")
            for onglet in self.query(OngletStructure):
                onglet.afficher(etat)
            onglets = self.query_one(TabbedContent)
            onglets.loading = False
            onglets.display = True

    def _echec(self, message: str) -> None:
        self.etat = None
        erreur = self.query_one("#erreur-structure", Static)
        erreur.update(message)
        erreur.add_class("visible")
        onglets = self.query_one(TabbedContent)
        onglets.loading = False
        onglets.display = False

    async def action_actualiser(self) -> None:
        await self.recharger()

    def action_mes_structures(self) -> None:
        self.app.push_screen(EcranMesStructures())

    def action_retour(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()


# -- the user's structures ---------------------------------------------------------------


def _role(ligne: MonRattachement) -> str:
    if ligne.rattachement.statut is not StatutRattachement.VALIDEE:
        return ""
    return "Gestionnaire" if ligne.rattachement.gestionnaire else "Membre"


def _habilitations(ligne: MonRattachement) -> str:
    return ", ".join(
        libelle_habilitation(h) + (" (un service)" if h.service_id else "")
        for h in ligne.habilitations
    )


class EcranMesStructures(Screen[None]):
    """The user's rattachements; create a structure, ask to join one, leave one, act for
    one."""

    TITLE = "Mes structures"
    DEFAULT_CSS = """
    EcranMesStructures #intro-mes-structures { padding: 0 1; }
    EcranMesStructures #onglets-mes-structures { height: 1fr; }
    EcranMesStructures #onglets-mes-structures > ContentSwitcher { height: 1fr; }
    EcranMesStructures TabPane { padding: 0 1; height: 1fr; }
    EcranMesStructures .formulaire { border: round $primary-darken-2; padding: 0 1;
        height: auto; max-width: 110; }
    EcranMesStructures .ligne-champs { height: auto; }
    EcranMesStructures .ligne-champs > Champ { width: 1fr; margin-right: 1; }
    """

    BINDINGS = [
        Binding("escape", "retour", "Retour"),
        Binding("f5", "actualiser", "Actualiser"),
        Binding("ctrl+o", "agir", "Agir pour cette structure"),
        Binding("ctrl+r", "quitter", "Quitter la structure"),
        Binding("ctrl+n", "montrer('creer')", "Créer une structure"),
        Binding("ctrl+t", "montrer('demander')", "Demander un rattachement"),
        Binding("ctrl+s", "soumettre", "Soumettre"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lignes: list[MonRattachement] = []
        self.charge = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="intro-mes-structures", classes="aide")
        with TabbedContent(id="onglets-mes-structures", initial="rattachements"):
            with (
                TabPane("Mes rattachements", id="rattachements"),
                Vertical(id="liste-rattachements"),
            ):
                yield TablePaginee(
                    ["Structure", "Statut", "Rôle", "Habilitations", "Demande", "Décision"],
                    vide="Vous n'êtes rattaché à aucune structure.",
                    id="table-rattachements",
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Agir pour cette structure", id="agir", variant="primary")
                    yield Button("Quitter la structure", id="quitter", variant="error")
            with (
                TabPane("Créer une structure", id="creer"),
                VerticalScroll(),
                Vertical(id="form-creation", classes="formulaire"),
            ):
                yield Static("Créer une structure", classes="titre")
                yield Static(
                    "Vous en deviendrez le gestionnaire principal, avec toutes les "
                    "habilitations. Le département est déduit du code postal.",
                    classes="aide",
                )
                with Horizontal(classes="ligne-champs"):
                    yield Champ(
                        "Type de structure",
                        "type_structure",
                        Select(
                            OPTIONS_TYPE_STRUCTURE,
                            allow_blank=False,
                            value=TypeStructure.ENTREPRISE.value,
                        ),
                        obligatoire=True,
                    )
                    yield Champ(
                        "Type d'identifiant",
                        "type_identifiant",
                        Select(
                            OPTIONS_TYPE_IDENTIFIANT,
                            allow_blank=False,
                            value=TypeIdentifiant.SIRET.value,
                        ),
                        obligatoire=True,
                    )
                with Horizontal(classes="ligne-champs"):
                    yield Champ(
                        "Identifiant (SIRET : 14 chiffres)",
                        "identifiant",
                        Input(),
                        obligatoire=True,
                    )
                    yield Champ(
                        "Raison sociale (nom et prénom pour un particulier)",
                        "raison_sociale",
                        Input(),
                        obligatoire=True,
                    )
                with Horizontal(classes="ligne-champs"):
                    yield Champ("Adresse", "adresse.ligne1", Input(), obligatoire=True)
                    yield Champ("Complément d'adresse", "adresse.ligne2", Input())
                with Horizontal(classes="ligne-champs"):
                    yield Champ("Code postal", "adresse.code_postal", Input(), obligatoire=True)
                    yield Champ("Ville", "adresse.ville", Input(), obligatoire=True)
                    yield Champ(
                        "Pays (code ISO : FR, BE…)",
                        "adresse.pays",
                        Input(value="FR"),
                        obligatoire=True,
                    )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Créer la structure", id="creer-structure", variant="primary")
            with (
                TabPane("Demander un rattachement", id="demander"),
                Vertical(id="form-rattachement", classes="formulaire"),
            ):
                yield Static("Demander son rattachement à une structure", classes="titre")
                yield Static(
                    "Demandez l'identifiant Chorus de la structure à son gestionnaire : il "
                    "figure dans l'onglet « Informations » de sa structure (F3). Le "
                    "gestionnaire valide ou refuse votre demande.",
                    classes="aide",
                )
                yield Champ(
                    "Identifiant Chorus de la structure",
                    "structure_id",
                    Input(),
                    obligatoire=True,
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button(
                        "Demander le rattachement",
                        id="demander-rattachement",
                        variant="primary",
                    )
        yield Footer()

    def on_screen_resume(self) -> None:
        self.run_worker(self.recharger(), group="mes-structures")

    async def recharger(self) -> None:
        app = chorus(self)
        self.lignes = sorted(
            await app.appeler(app.services.structures.mes_rattachements, app.utilisateur_id),
            key=lambda ligne: ligne.raison_sociale.casefold(),
        )
        self.query_one("#table-rattachements", TablePaginee).definir(
            [
                (
                    ligne.structure_id,
                    (
                        ligne.raison_sociale,
                        STATUTS_RATTACHEMENT[ligne.rattachement.statut],
                        _role(ligne),
                        _habilitations(ligne),
                        jour(ligne.rattachement.date_demande),
                        jour(ligne.rattachement.date_decision),
                    ),
                )
                for ligne in self.lignes
            ]
        )
        actives = [ligne for ligne in self.lignes if self._peut_agir(ligne)]
        self.query_one("#intro-mes-structures", Static).update(
            "Choisissez la structure pour laquelle vous agissez."
            if actives
            else "Pour déposer des mémoires, créez votre structure ou demandez votre "
            "rattachement à une structure existante."
        )
        self.charge = True

    @staticmethod
    def _peut_agir(ligne: MonRattachement) -> bool:
        r = ligne.rattachement
        return r.statut is StatutRattachement.VALIDEE and (
            r.gestionnaire or bool(ligne.habilitations)
        )

    def _selection(self) -> MonRattachement | None:
        cle = self.query_one("#table-rattachements", TablePaginee).selection
        ligne = next((x for x in self.lignes if x.structure_id == cle), None)
        if ligne is None:
            self.notify("Choisissez d'abord une structure dans la liste.", severity="warning")
        return ligne

    async def action_actualiser(self) -> None:
        await self.recharger()

    def action_montrer(self, onglet: str) -> None:
        montrer_onglet(self.query_one(TabbedContent), onglet)

    def action_retour(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.notify(
                "Créez une structure ou demandez votre rattachement pour continuer "
                "(F9 : déconnexion)."
            )

    async def action_soumettre(self) -> None:
        actif = self.query_one(TabbedContent).active
        if actif == "creer":
            await self.creer()
        elif actif == "demander":
            await self.demander()

    # -- acting for a structure -------------------------------------------------------

    @on(Button.Pressed, "#agir")
    async def action_agir(self) -> None:
        ligne = self._selection()
        if ligne is None:
            return
        if ligne.rattachement.statut is not StatutRattachement.VALIDEE:
            self.notify(
                "Votre rattachement à cette structure n'est pas validé : vous ne pouvez pas "
                "agir pour elle.",
                severity="warning",
            )
            return
        if not self._peut_agir(ligne):
            self.notify(
                "Aucune habilitation ne vous a encore été accordée sur cette structure : "
                "demandez-la à son gestionnaire.",
                severity="warning",
            )
            return
        app = chorus(self)
        session = app.session
        if session is None:
            return
        session.structure_id = ligne.structure_id
        app.action_espace()

    # -- leaving a structure ----------------------------------------------------------

    @on(Button.Pressed, "#quitter")
    async def action_quitter(self) -> None:
        ligne = self._selection()
        if ligne is None:
            return
        if ligne.rattachement.statut is not StatutRattachement.VALIDEE:
            self.notify(
                "Seul un rattachement validé se quitte : celui-ci est "
                f"« {STATUTS_RATTACHEMENT[ligne.rattachement.statut].lower()} ».",
                severity="warning",
            )
            return

        async def quitter() -> None:
            app = chorus(self)
            resultat = await app.tenter(
                self.query_one("#liste-rattachements", Vertical),
                app.services.structures.detacher_rattachement,
                app.utilisateur_id,
                ligne.structure_id,
                ligne.rattachement.id,
            )
            if resultat is None:
                return
            session = app.session
            if session is not None and session.structure_id == ligne.structure_id:
                session.structure_id = None
            self.notify(f"Vous avez quitté la structure « {ligne.raison_sociale} ».")
            await self.recharger()

        confirmer(
            self,
            f"Quitter la structure « {ligne.raison_sociale} » ? Vos habilitations y "
            "disparaissent ; vous pourrez demander de nouveau votre rattachement.",
            "Quitter la structure",
            quitter,
        )

    # -- creating a structure ---------------------------------------------------------

    @on(Select.Changed, "#champ-type_structure")
    def _type_structure(self, evenement: Select.Changed) -> None:
        # A particulier is identified as such, and only a particulier: keep the two
        # choices consistent as the user picks the first.
        type_identifiant: Select[str] = self.query_one("#champ-type_identifiant", Select)
        if evenement.value == TypeStructure.PARTICULIER.value:
            type_identifiant.value = TypeIdentifiant.PARTICULIER.value
        elif type_identifiant.value == TypeIdentifiant.PARTICULIER.value:
            type_identifiant.value = TypeIdentifiant.SIRET.value

    @on(Input.Submitted, "#form-creation Input")
    @on(Button.Pressed, "#creer-structure")
    async def creer(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#form-creation", Vertical)
        service = app.services.structures
        type_structure = choix(formulaire, "type_structure")
        type_identifiant = choix(formulaire, "type_identifiant")
        saisies = {
            champ: valeur(formulaire, champ)
            for champ in (
                "identifiant",
                "raison_sociale",
                "adresse.ligne1",
                "adresse.ligne2",
                "adresse.code_postal",
                "adresse.ville",
                "adresse.pays",
            )
        }

        def creer() -> Structure:
            if type_structure is None or type_identifiant is None:
                raise ValidationError(
                    "Choisissez le type de structure et le type d'identifiant.",
                    champ="type_identifiant",
                )
            return service.creer(
                app.utilisateur_id,
                type_structure=TypeStructure(type_structure),
                type_identifiant=TypeIdentifiant(type_identifiant),
                identifiant=saisies["identifiant"],
                raison_sociale=saisies["raison_sociale"],
                adresse=Adresse.creer(
                    ligne1=saisies["adresse.ligne1"],
                    ligne2=ou_rien(saisies["adresse.ligne2"]),
                    code_postal=saisies["adresse.code_postal"],
                    ville=saisies["adresse.ville"],
                    pays=saisies["adresse.pays"],
                ),
            )

        structure = await app.tenter(formulaire, creer)
        if structure is None:
            return
        vider(formulaire)
        formulaire.query_one("#champ-adresse-pays", Input).value = "FR"
        self.notify(
            f"La structure « {structure.raison_sociale} » est créée : vous en êtes le "
            "gestionnaire principal. Souscrivez son espace Mémoires de frais de justice "
            "(F3, onglet Espaces).",
            timeout=10,
        )
        await self.recharger()
        self.query_one("#table-rattachements", TablePaginee).selectionner(structure.id)
        self.action_montrer("rattachements")

    # -- asking to join one -----------------------------------------------------------

    @on(Input.Submitted, "#champ-structure_id")
    @on(Button.Pressed, "#demander-rattachement")
    async def demander(self) -> None:
        app = chorus(self)
        formulaire = self.query_one("#form-rattachement", Vertical)
        service = app.services.structures
        structure_id = valeur(formulaire, "structure_id").strip()

        def demander() -> Structure:
            if not structure_id:
                raise ValidationError(
                    "Indiquez l'identifiant Chorus de la structure.", champ="structure_id"
                )
            try:
                return service.demander_rattachement(app.utilisateur_id, structure_id)
            except NonTrouve as introuvable:
                raise NonTrouve(
                    "Aucune structure ne porte cet identifiant Chorus : vérifiez-le auprès de "
                    "son gestionnaire.",
                    champ="structure_id",
                ) from introuvable
            except DomainError as refus:
                if refus.champ is None:
                    refus.champ = "structure_id"
                raise

        structure = await app.tenter(formulaire, demander)
        if structure is None:
            return
        vider(formulaire)
        self.notify(
            f"Votre demande de rattachement à « {structure.raison_sociale} » est envoyée : "
            "son gestionnaire la validera.",
            timeout=10,
        )
        await self.recharger()
        self.query_one("#table-rattachements", TablePaginee).selectionner(structure.id)
        self.action_montrer("rattachements")
