"""The tabs of the structure screen about its data (its people are in `structure_membres`),
and what they share. Each shows what the screen loaded from the store and changes it only
through the structure use cases; after a change the screen reloads the structure, so every
tab shows the store, never its own guess.

A member who is not gestionnaire sees the same tabs read-only (forms hidden, fields
disabled), except the pool of pièces, which those filing mémoires on the whole structure may
feed as the gestionnaire does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

import attrs
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, Select, Static, Switch

from chorus.adapters.tableurs.csv_francais import enregistrer
from chorus.adapters.tableurs.cycle_de_vie import Export, FormatCycleDeVie
from chorus.adapters.tui.affichage import instant, jour, ou_rien
from chorus.adapters.tui.ecrans.fichier import EcranFichier, Ecrit, Progression
from chorus.adapters.tui.ecrans.structure_communs import (
    OPTIONS_REGIME,
    OPTIONS_TYPE_PIECE,
    TYPES_IDENTIFIANT,
    TablePaginee,
    confirmer,
    element_choisi,
    lire_fichier,
    taille,
)
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    id_erreur,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.domain import acces
from chorus.domain.cycle_de_vie import rang_du_curseur
from chorus.domain.errors import ValidationError
from chorus.domain.organisation import (
    Adresse,
    Application,
    CoordonneeBancaire,
    Profil,
    Regime,
    Structure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.referentiels import EntreeReferentiel
from chorus.domain.utilisateur import Utilisateur

Rechargement = Callable[[], Awaitable[None]]

CHAMP_APRES = "apres"

P = ParamSpec("P")
T = TypeVar("T")

LECTURE_SEULE = (
    "La gestion de la structure est réservée à son gestionnaire : vous la consultez sans "
    "pouvoir la modifier."
)


@attrs.frozen
class EtatStructure:
    """The structure as the signed-in user may see it, and what they may do with it."""

    structure: Structure
    utilisateur_id: str
    gestion: bool
    """The user is a gestionnaire: every tab is theirs to change."""
    depot_pieces: bool
    """The user may add to and remove from the structure's pool of pièces."""
    personnes: Mapping[str, Utilisateur]
    """The accounts of the structure's members and applicants (gestionnaire only)."""
    categories: Sequence[EntreeReferentiel]

    def nom(self, utilisateur_id: str) -> str:
        personne = self.personnes.get(utilisateur_id)
        return personne.nom_complet if personne is not None else "(compte inconnu)"

    def email(self, utilisateur_id: str) -> str:
        personne = self.personnes.get(utilisateur_id)
        return personne.email if personne is not None else ""

    def libelle_service(self, service_id: str | None) -> str:
        if service_id is None:
            return "Toute la structure"
        for service in self.structure.services:
            if service.id == service_id:
                return f"{service.code} – {service.libelle}"
        return "(service inconnu)"


def choix(conteneur: Widget, champ: str) -> str | None:
    """The value of the `Select` for `champ`; None when nothing (or the empty option) is
    chosen."""
    selection = conteneur.query_one(f"#{id_champ(champ)}", Select).value
    return selection if isinstance(selection, str) and selection else None


def remplir_choix(
    conteneur: Widget, champ: str, options: Sequence[tuple[str, str]], defaut: str | None = None
) -> None:
    """Replace the options of a `Select`, keeping the user's choice when still offered."""
    select: Select[str] = conteneur.query_one(f"#{id_champ(champ)}", Select)
    avant = select.value
    select.set_options(options)
    valeurs = [v for _, v in options]
    if isinstance(avant, str) and avant in valeurs:
        select.value = avant
    elif defaut is not None and defaut in valeurs:
        select.value = defaut


def vider(conteneur: Widget) -> None:
    """Empty the text fields of a form whose content was just saved."""
    for saisie in conteneur.query(Input):
        saisie.value = ""


class OngletStructure(VerticalScroll):
    """Base of the tabs: the state to show, the reload to ask for after a change, and the
    line telling a member that managing is the gestionnaire's."""

    DEFAULT_CSS = """
    OngletStructure { padding: 0 1; }
    OngletStructure .colonnes { height: auto; }
    OngletStructure .colonnes > .liste { width: 1fr; height: auto; margin-right: 2; }
    OngletStructure .colonnes > .formulaire { width: 58; height: auto; }
    OngletStructure .formulaire { border: round $primary-darken-2; padding: 0 1; height: auto; }
    OngletStructure .ligne-champs { height: auto; }
    OngletStructure .ligne-champs > Champ { width: 1fr; margin-right: 1; }
    OngletStructure .lecture-seule { color: $warning; margin-bottom: 1; }
    OngletStructure .sous-titre { text-style: bold; margin: 1 0 0 0; }
    """

    def __init__(self, recharger: Rechargement, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._recharger = recharger
        self.etat: EtatStructure | None = None

    def ligne_lecture_seule(self) -> Static:
        return Static(LECTURE_SEULE, classes="lecture-seule")

    @property
    def gestion(self) -> bool:
        return self.etat is not None and self.etat.gestion

    def afficher(self, etat: EtatStructure) -> None:
        self.etat = etat
        for ligne in self.query(".lecture-seule"):
            ligne.display = not self.peut_modifier
        for zone in self.query(".gestion-seule"):
            zone.display = self.peut_modifier
        self.montrer(etat)
        self.refresh_bindings()

    @property
    def peut_modifier(self) -> bool:
        """Whether this tab's forms are the user's to use."""
        return self.gestion

    def montrer(self, etat: EtatStructure) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The tab's own keys all change the structure: hidden from whoever may not.
        propre = any(isinstance(b, Binding) and b.action == action for b in type(self).BINDINGS)
        return self.peut_modifier or not propre

    def exiger_modification(self) -> EtatStructure | None:
        """The state when the user may change this tab; a notice (and None) otherwise, so
        that a key pressed on a read-only tab does nothing behind the user's back."""
        if self.etat is None:
            return None
        if not self.peut_modifier:
            self.notify(LECTURE_SEULE, severity="warning")
            return None
        return self.etat

    async def recharger(self) -> None:
        await self._recharger()

    async def appliquer(
        self,
        conteneur: Widget,
        succes: str,
        fonction: Callable[P, T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T | None:
        """`tenter` a structure use case for `conteneur`; once accepted, tell the user
        `succes` and reload, so that every tab shows the store. None when refused."""
        resultat = await chorus(self).tenter(conteneur, fonction, *args, **kwargs)
        if resultat is not None:
            self.notify(succes)
            await self.recharger()
        return resultat

    def confirmer_puis_appliquer(
        self,
        question: str,
        action: str,
        conteneur: str,
        succes: str,
        fonction: Callable[P, object],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """Ask `question` first (`Confirmation`), then `appliquer` the use case for the
        `Vertical` `conteneur` (a selector), which shows its refusal."""

        async def agir() -> None:
            conteneur_ = self.query_one(conteneur, Vertical)
            await self.appliquer(conteneur_, succes, fonction, *args, **kwargs)

        confirmer(self, question, action, agir)


# -- Informations ----------------------------------------------------------------------


class OngletInformations(OngletStructure):
    BINDINGS = [Binding("ctrl+s", "enregistrer", "Enregistrer")]

    def __init__(self, recharger: Rechargement, *, id: str | None = None) -> None:
        super().__init__(recharger, id=id)
        self._montree: tuple[str, Adresse] | None = None

    def compose(self) -> ComposeResult:
        yield self.ligne_lecture_seule()
        yield Static("", id="identite-structure")
        with Vertical(id="form-informations", classes="formulaire"):
            yield Static("Informations générales et adresse postale du siège", classes="titre")
            yield Champ("Raison sociale", "raison_sociale", Input(), obligatoire=True)
            with Horizontal(classes="ligne-champs"):
                yield Champ("Adresse", "adresse.ligne1", Input(), obligatoire=True)
                yield Champ("Complément d'adresse", "adresse.ligne2", Input())
            with Horizontal(classes="ligne-champs"):
                yield Champ("Code postal", "adresse.code_postal", Input(), obligatoire=True)
                yield Champ("Ville", "adresse.ville", Input(), obligatoire=True)
                yield Champ("Pays (code ISO : FR, BE…)", "adresse.pays", Input(), obligatoire=True)
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions gestion-seule"):
                yield Button("Enregistrer", id="enregistrer-informations", variant="primary")

    def montrer(self, etat: EtatStructure) -> None:
        s = etat.structure
        espace = s.espace_frais_de_justice
        lignes = [
            f"Type de structure : {s.type_structure.libelle}",
            f"Type d'identifiant : {TYPES_IDENTIFIANT[s.type_identifiant]}",
            f"Identifiant : {s.identifiant}",
            f"Département : {s.departement or 'hors de France'}",
            f"Créée le : {jour(s.date_creation)}",
            f"Espaces souscrits : {self._espaces(s)}",
            f"Identifiant Chorus (à donner à qui demande son rattachement) : {s.id}",
        ]
        if espace is not None and espace.regime is not None:
            lignes.insert(5, f"Régime : {espace.regime.libelle}")
        self.query_one("#identite-structure", Static).update("\n".join(lignes))
        # The fields are set only when the store's values changed: a reload caused by
        # another tab must not erase what the user is typing here.
        stockee = (s.raison_sociale, s.adresse)
        if stockee != self._montree:
            self._montree = stockee
            formulaire = self.query_one("#form-informations")
            for champ, texte in (
                ("raison_sociale", s.raison_sociale),
                ("adresse.ligne1", s.adresse.ligne1),
                ("adresse.ligne2", s.adresse.ligne2 or ""),
                ("adresse.code_postal", s.adresse.code_postal),
                ("adresse.ville", s.adresse.ville),
                ("adresse.pays", s.adresse.pays),
            ):
                formulaire.query_one(f"#{id_champ(champ)}", Input).value = texte
        for saisie in self.query_one("#form-informations").query(Input):
            saisie.disabled = not etat.gestion

    @staticmethod
    def _espaces(structure: Structure) -> str:
        espaces = []
        if structure.espace_frais_de_justice is not None:
            espaces.append("Mémoires de frais de justice")
        if structure.espace_tic:
            espaces.append("TIC/TICGN")
        return ", ".join(espaces) or "aucun"

    @on(Input.Submitted, "#form-informations Input")
    @on(Button.Pressed, "#enregistrer-informations")
    async def action_enregistrer(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-informations", Vertical)
        service = app.services.structures
        version = etat.structure.version

        def enregistrer() -> Structure:
            adresse = Adresse.creer(
                ligne1=valeur(formulaire, "adresse.ligne1"),
                ligne2=ou_rien(valeur(formulaire, "adresse.ligne2")),
                code_postal=valeur(formulaire, "adresse.code_postal"),
                ville=valeur(formulaire, "adresse.ville"),
                pays=valeur(formulaire, "adresse.pays"),
            )
            return service.modifier(
                app.utilisateur_id,
                etat.structure.id,
                raison_sociale=valeur(formulaire, "raison_sociale"),
                adresse=adresse,
                version_attendue=version,
            )

        await self.appliquer(
            formulaire, "Les informations de la structure sont enregistrées.", enregistrer
        )


# -- Services --------------------------------------------------------------------------


class OngletServices(OngletStructure):
    BINDINGS = [
        Binding("ctrl+n", "ajouter", "Ajouter le service"),
        Binding("ctrl+s", "renommer", "Renommer"),
        Binding("ctrl+t", "basculer", "Désactiver / réactiver"),
    ]

    def __init__(self, recharger: Rechargement, *, id: str | None = None) -> None:
        super().__init__(recharger, id=id)
        self._choisi: str | None = None

    def compose(self) -> ComposeResult:
        yield self.ligne_lecture_seule()
        yield Static(
            "Les services orientent les mémoires dans la structure ; un service désactivé ne "
            "reçoit plus de nouveau mémoire.",
            classes="aide",
        )
        with Horizontal(classes="colonnes"):
            with Vertical(classes="liste"):
                yield TablePaginee(
                    ["Code", "Libellé", "Statut"],
                    vide="Aucun service : leur paramétrage est facultatif.",
                    id="table-services",
                )
                with Vertical(id="form-service", classes="gestion-seule"):
                    yield Static("Service sélectionné", classes="sous-titre")
                    yield Champ("Libellé", "libelle", Input())
                    yield ErreurGenerale()
                    with Horizontal(classes="barre-actions"):
                        yield Button("Renommer", id="renommer-service")
                        yield Button("Désactiver", id="basculer-service", variant="warning")
            with Vertical(id="form-ajout-service", classes="formulaire gestion-seule"):
                yield Static("Ajouter un service", classes="titre")
                yield Champ("Code", "code", Input(placeholder="PSY"), obligatoire=True)
                yield Champ("Libellé", "libelle", Input(), obligatoire=True)
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Ajouter le service", id="ajouter-service", variant="primary")

    def montrer(self, etat: EtatStructure) -> None:
        table = self.query_one("#table-services", TablePaginee)
        table.definir(
            [
                (s.id, (s.code, s.libelle, "Actif" if s.actif else "Désactivé"))
                for s in etat.structure.services
            ]
        )
        self._suivre_selection()

    @on(DataTable.RowHighlighted)
    def _ligne(self) -> None:
        self._suivre_selection()

    def _suivre_selection(self) -> None:
        if self.etat is None:
            return
        cle = self.query_one("#table-services", TablePaginee).selection
        service = next((s for s in self.etat.structure.services if s.id == cle), None)
        bouton = self.query_one("#basculer-service", Button)
        bouton.label = "Réactiver" if service is not None and not service.actif else "Désactiver"
        if cle != self._choisi:
            # A new selection fills the rename field; the same one keeps what is typed.
            self._choisi = cle
            formulaire = self.query_one("#form-service")
            formulaire.query_one(Input).value = service.libelle if service else ""
            effacer_erreurs(formulaire)

    @on(Input.Submitted, "#form-ajout-service Input")
    @on(Button.Pressed, "#ajouter-service")
    async def action_ajouter(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-ajout-service", Vertical)
        code = valeur(formulaire, "code")
        structure = await app.tenter(
            formulaire,
            app.services.structures.ajouter_service,
            app.utilisateur_id,
            etat.structure.id,
            code=code,
            libelle=valeur(formulaire, "libelle"),
        )
        if structure is None:
            return
        vider(formulaire)
        ajoute = structure.services[-1]
        self.notify(f"Le service {ajoute.code} est ajouté.")
        await self.recharger()
        self.query_one("#table-services", TablePaginee).selectionner(ajoute.id)

    def _service_choisi(self) -> str | None:
        cle = self.query_one("#table-services", TablePaginee).selection
        if cle is None:
            self.notify("Choisissez d'abord un service dans la liste.", severity="warning")
        return cle

    @on(Input.Submitted, "#form-service Input")
    @on(Button.Pressed, "#renommer-service")
    async def action_renommer(self) -> None:
        etat = self.exiger_modification()
        service_id = self._service_choisi() if etat is not None else None
        if etat is None or service_id is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-service", Vertical)
        await self.appliquer(
            formulaire,
            "Le service est renommé.",
            app.services.structures.modifier_service,
            app.utilisateur_id,
            etat.structure.id,
            service_id,
            libelle=valeur(formulaire, "libelle"),
        )

    @on(Button.Pressed, "#basculer-service")
    async def action_basculer(self) -> None:
        etat = self.exiger_modification()
        service_id = self._service_choisi() if etat is not None else None
        if etat is None or service_id is None:
            return
        actif = next(s.actif for s in etat.structure.services if s.id == service_id)
        app = chorus(self)
        await self.appliquer(
            self.query_one("#form-service", Vertical),
            "Le service est désactivé." if actif else "Le service est réactivé.",
            app.services.structures.modifier_service,
            app.utilisateur_id,
            etat.structure.id,
            service_id,
            actif=not actif,
        )


# -- Coordonnées bancaires -------------------------------------------------------------


class OngletCoordonnees(OngletStructure):
    BINDINGS = [
        Binding("ctrl+n", "ajouter", "Ajouter"),
        Binding("ctrl+r", "retirer", "Retirer"),
    ]

    def compose(self) -> ComposeResult:
        yield self.ligne_lecture_seule()
        yield Static(
            "Le RIB est joint automatiquement aux pièces du mémoire au moment de son envoi.",
            classes="aide",
        )
        with Horizontal(classes="colonnes"):
            with Vertical(id="liste-coordonnees", classes="liste"):
                yield TablePaginee(
                    ["Libellé", "IBAN", "BIC", "RIB"],
                    vide="Aucune coordonnée bancaire.",
                    id="table-coordonnees",
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions gestion-seule"):
                    yield Button("Retirer", id="retirer-coordonnee", variant="error")
            with Vertical(id="form-coordonnee", classes="formulaire gestion-seule"):
                yield Static("Créer une coordonnée bancaire", classes="titre")
                yield Champ(
                    "Libellé", "libelle", Input(placeholder="Compte courant"), obligatoire=True
                )
                yield Champ("IBAN", "iban", Input(placeholder="FR76 …"), obligatoire=True)
                yield Champ("BIC ou SWIFT", "bic", Input(), obligatoire=True)
                yield Champ(
                    "Fichier du RIB (chemin : PDF, image…)",
                    "fichier",
                    Input(placeholder="~/Documents/RIB.pdf"),
                    obligatoire=True,
                )
                yield Static("", id=id_erreur("piece_jointe_id"), classes="erreur")
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Ajouter", id="ajouter-coordonnee", variant="primary")

    def montrer(self, etat: EtatStructure) -> None:
        pieces = {p.id: p for p in etat.structure.pieces}
        self.query_one("#table-coordonnees", TablePaginee).definir(
            [
                (
                    c.id,
                    (
                        c.libelle,
                        c.iban_masque,
                        c.bic,
                        pieces[c.piece_jointe_id].nom_fichier
                        if c.piece_jointe_id in pieces
                        else "",
                    ),
                )
                for c in etat.structure.coordonnees_bancaires
            ]
        )

    @on(Input.Submitted, "#form-coordonnee Input")
    @on(Button.Pressed, "#ajouter-coordonnee")
    async def action_ajouter(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-coordonnee", Vertical)
        service = app.services.structures
        qui, structure = app.utilisateur_id, etat.structure
        libelle, iban = valeur(formulaire, "libelle"), valeur(formulaire, "iban")
        bic, chemin = valeur(formulaire, "bic"), valeur(formulaire, "fichier")

        def ajouter() -> CoordonneeBancaire:
            contenu, nom = lire_fichier(chemin)
            # One use case, one transaction: the RIB joins the pool only with its details.
            return service.ajouter_coordonnee_bancaire_avec_rib(
                qui,
                structure.id,
                libelle=libelle,
                iban=iban,
                bic=bic,
                contenu_rib=contenu,
                nom_fichier_rib=nom,
            )

        coordonnee = await app.tenter(formulaire, ajouter)
        if coordonnee is None:
            return
        vider(formulaire)
        self.notify(f"Les coordonnées bancaires « {coordonnee.libelle} » sont enregistrées.")
        await self.recharger()
        self.query_one("#table-coordonnees", TablePaginee).selectionner(coordonnee.id)

    @on(Button.Pressed, "#retirer-coordonnee")
    async def action_retirer(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        coordonnee = element_choisi(
            self,
            "#table-coordonnees",
            etat.structure.coordonnees_bancaires,
            "Choisissez d'abord des coordonnées dans la liste.",
        )
        if coordonnee is None:
            return
        app = chorus(self)
        self.confirmer_puis_appliquer(
            f"Retirer les coordonnées bancaires « {coordonnee.libelle} » "
            f"({coordonnee.iban_masque}) ? Les mémoires déjà envoyés gardent les leurs.",
            "Retirer",
            "#liste-coordonnees",
            f"Les coordonnées « {coordonnee.libelle} » sont retirées.",
            app.services.structures.retirer_coordonnee_bancaire,
            app.utilisateur_id,
            etat.structure.id,
            coordonnee.id,
        )


# -- Pièces ----------------------------------------------------------------------------


class OngletPieces(OngletStructure):
    BINDINGS = [
        Binding("ctrl+n", "deposer", "Déposer"),
        Binding("ctrl+r", "retirer", "Retirer"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "La gestion des pièces de la structure est réservée à son gestionnaire et aux "
            "utilisateurs habilités « Frais de justice modification » sur toute la structure.",
            classes="lecture-seule",
        )
        yield Static(
            "Pièces réutilisables : elles s'importent dans les mémoires, qui en gardent leur "
            "copie.",
            classes="aide",
        )
        with Horizontal(classes="colonnes"):
            with Vertical(id="liste-pieces", classes="liste"):
                yield TablePaginee(
                    ["Désignation", "Type", "Fichier", "Taille", "Ajoutée le"],
                    vide="Aucune pièce dans la structure.",
                    id="table-pieces",
                )
                yield Static("", id=id_erreur("piece_id"), classes="erreur")
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions gestion-seule"):
                    yield Button("Retirer la pièce", id="retirer-piece", variant="error")
            with Vertical(id="form-piece", classes="formulaire gestion-seule"):
                yield Static("Déposer une pièce", classes="titre")
                yield Champ(
                    "Type de pièce",
                    "type_piece",
                    Select(OPTIONS_TYPE_PIECE, prompt="Choisissez le type"),
                    obligatoire=True,
                )
                yield Champ("Désignation (le nom du fichier sinon)", "designation", Input())
                yield Champ(
                    "Fichier (chemin)",
                    "fichier",
                    Input(placeholder="~/Documents/piece.pdf"),
                    obligatoire=True,
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Déposer", id="deposer-piece", variant="primary")

    @property
    def peut_modifier(self) -> bool:
        return self.etat is not None and self.etat.depot_pieces

    def montrer(self, etat: EtatStructure) -> None:
        self.query_one("#table-pieces", TablePaginee).definir(
            [
                (
                    p.id,
                    (
                        p.designation,
                        p.type_piece.libelle,
                        p.nom_fichier,
                        taille(p.taille),
                        instant(p.date_ajout),
                    ),
                )
                for p in etat.structure.pieces
            ]
        )

    @on(Input.Submitted, "#form-piece Input")
    @on(Button.Pressed, "#deposer-piece")
    async def action_deposer(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-piece", Vertical)
        service = app.services.structures
        qui, structure_id = app.utilisateur_id, etat.structure.id
        type_piece = choix(formulaire, "type_piece")
        designation = ou_rien(valeur(formulaire, "designation"))
        chemin = valeur(formulaire, "fichier")

        def deposer() -> object:
            if type_piece is None:
                raise ValidationError("Choisissez le type de la pièce.", champ="type_piece")
            contenu, nom = lire_fichier(chemin)
            return service.deposer_piece(
                qui,
                structure_id,
                contenu=contenu,
                nom_fichier=nom,
                type_piece=TypePiece(type_piece),
                designation=designation,
            )

        if await app.tenter(formulaire, deposer) is None:
            return
        vider(formulaire)
        self.notify("La pièce est déposée dans la structure.")
        await self.recharger()

    @on(Button.Pressed, "#retirer-piece")
    async def action_retirer(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        piece = element_choisi(
            self,
            "#table-pieces",
            etat.structure.pieces,
            "Choisissez d'abord une pièce dans la liste.",
        )
        if piece is None:
            return
        app = chorus(self)
        self.confirmer_puis_appliquer(
            f"Retirer la pièce « {piece.designation} » de la structure ? Les mémoires qui "
            "l'ont importée gardent leur copie.",
            "Retirer",
            "#liste-pieces",
            f"La pièce « {piece.designation} » est retirée.",
            app.services.structures.retirer_piece,
            app.utilisateur_id,
            etat.structure.id,
            piece.id,
        )


# -- Espaces ---------------------------------------------------------------------------


class OngletEspaces(OngletStructure):
    BINDINGS = [
        Binding("ctrl+s", "frais_de_justice", "Enregistrer l'espace Frais de justice"),
        Binding("ctrl+t", "tic", "Souscrire TIC/TICGN"),
    ]

    def __init__(self, recharger: Rechargement, *, id: str | None = None) -> None:
        super().__init__(recharger, id=id)
        self._montre: tuple[str | None, Regime | None] | None = None

    def compose(self) -> ComposeResult:
        yield self.ligne_lecture_seule()
        with Vertical(id="form-espace-fdj", classes="formulaire"):
            yield Static("Mémoires de frais de justice", classes="titre")
            yield Static("", id="etat-espace-fdj")
            yield Champ(
                "Catégorie de prestataire (par défaut des nouveaux mémoires)",
                "categorie_prestataire",
                Select[str]([], prompt="Aucune"),
            )
            yield Champ(
                "Régime / statut (obligatoire pour un particulier)",
                "regime",
                Select(OPTIONS_REGIME, prompt="Aucun"),
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions gestion-seule"):
                yield Button("Soumettre", id="enregistrer-espace-fdj", variant="primary")
        with Vertical(id="form-cycle-de-vie", classes="formulaire"):
            yield Static("Cycles de vie des mémoires", classes="titre")
            yield Static("", id="etat-cycle-de-vie")
            with Horizontal(classes="ligne-interrupteur"):
                yield Switch(value=False, id="recevoir-cycles-de-vie", disabled=True)
                yield Label("Recevoir les cycles de vie")
            with Vertical(id="export-cycle-de-vie"):
                yield Champ(
                    "Après le curseur (vide : depuis le premier événement)",
                    CHAMP_APRES,
                    Input(placeholder="curseur du dernier export"),
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Exporter le cycle de vie", id="exporter-cycle-de-vie")
        with Vertical(id="form-espace-tic", classes="formulaire"):
            yield Static("TIC/TICGN (remboursement des taxes sur le carburant)", classes="titre")
            yield Static("", id="etat-espace-tic")
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions gestion-seule"):
                yield Button("Souscrire l'espace TIC/TICGN", id="activer-tic", variant="primary")

    def montrer(self, etat: EtatStructure) -> None:
        espace = etat.structure.espace_frais_de_justice
        libelles = {c.code: c.libelle for c in etat.categories}
        if espace is None:
            texte = "Non souscrit : choisissez la catégorie, puis « Soumettre »."
        else:
            categorie = espace.categorie_prestataire
            texte = (
                "Souscrit — catégorie : "
                f"{libelles.get(categorie, categorie) if categorie else 'aucune'}"
                f"{' — régime : ' + espace.regime.libelle if espace.regime else ''}"
            )
        self.query_one("#etat-espace-fdj", Static).update(texte)
        formulaire = self.query_one("#form-espace-fdj")
        remplir_choix(
            formulaire, "categorie_prestataire", [(c.libelle, c.code) for c in etat.categories]
        )
        stocke = (
            (espace.categorie_prestataire, espace.regime) if espace is not None else (None, None)
        )
        if stocke != self._montre:
            self._montre = stocke
            for champ, code in (
                ("categorie_prestataire", stocke[0]),
                ("regime", stocke[1].value if stocke[1] is not None else None),
            ):
                select: Select[str] = formulaire.query_one(f"#{id_champ(champ)}", Select)
                if code is None:
                    select.clear()
                else:
                    select.value = code
        for select_ in formulaire.query(Select):
            select_.disabled = not etat.gestion
        tic = etat.structure.espace_tic
        self.query_one("#etat-espace-tic", Static).update("Souscrit." if tic else "Non souscrit.")
        self.query_one("#activer-tic", Button).disabled = tic
        self._montrer_cycle_de_vie(etat)

    # -- cycles de vie ---------------------------------------------------------------

    def _montrer_cycle_de_vie(self, etat: EtatStructure) -> None:
        structure = etat.structure
        recoit = structure.recoit_cycles_de_vie
        lecteur = etat.gestion or acces.peut(
            structure, etat.utilisateur_id, Application.FRAIS_DE_JUSTICE, Profil.CONSULTATION
        )
        if structure.espace_frais_de_justice is None:
            texte = "Souscrivez d'abord l'espace Mémoires de frais de justice."
        elif recoit:
            texte = (
                "Activé : chaque changement d'état des mémoires de la structure est "
                "disponible, dans l'ordre, par l'API (GET /api/v1/structures/"
                f"{structure.id}/cycle-de-vie) et en export."
            )
        else:
            texte = "Désactivé : le cycle de vie des mémoires n'est pas mis à disposition."
        if recoit and not lecteur:
            reserve = "Export réservé aux habilités « Frais de justice » sur toute la structure."
            texte = f"{texte} {reserve}"
        self.query_one("#etat-cycle-de-vie", Static).update(texte)
        interrupteur = self.query_one("#recevoir-cycles-de-vie", Switch)
        # Set from the store: no change to save.
        with interrupteur.prevent(Switch.Changed):
            interrupteur.value = recoit
        interrupteur.disabled = not etat.gestion or structure.espace_frais_de_justice is None
        self.query_one("#export-cycle-de-vie").display = recoit and lecteur

    @on(Switch.Changed, "#recevoir-cycles-de-vie")
    async def _basculer_cycle_de_vie(self, evenement: Switch.Changed) -> None:
        etat = self.etat
        if etat is None or evenement.value == etat.structure.recoit_cycles_de_vie:
            return
        if self.exiger_modification() is None:
            # Not theirs to change: the switch shows the option as it is.
            with evenement.switch.prevent(Switch.Changed):
                evenement.switch.value = etat.structure.recoit_cycles_de_vie
            return
        app = chorus(self)
        fait = await self.appliquer(
            self.query_one("#form-cycle-de-vie", Vertical),
            "Vous recevez désormais les cycles de vie des mémoires."
            if evenement.value
            else "Vous ne recevez plus les cycles de vie des mémoires.",
            app.services.structures.modifier,
            app.utilisateur_id,
            etat.structure.id,
            recevoir_cycles_de_vie=evenement.value,
        )
        if fait is None:
            # Refused: the switch shows the option as it still is.
            with evenement.switch.prevent(Switch.Changed):
                evenement.switch.value = etat.structure.recoit_cycles_de_vie

    @on(Button.Pressed, "#exporter-cycle-de-vie")
    def action_exporter_cycle_de_vie(self) -> None:
        if self.etat is None:
            return
        structure = self.etat.structure
        formulaire = self.query_one("#export-cycle-de-vie", Vertical)
        apres = valeur(formulaire, CHAMP_APRES) or None
        try:
            rang_du_curseur(structure.id, apres)
        except ValidationError as refus:
            montrer_erreur(formulaire, refus)
            return
        effacer_erreurs(formulaire)
        app = chorus(self)
        export: list[Export] = []

        def ecrire(chemin: Path, progression: Progression) -> int:
            pages = app.services.cycle_de_vie.pages(app.utilisateur_id, structure.id, apres)
            export.append(Export(pages, FormatCycleDeVie.CSV))
            enregistrer(chemin, export[0].morceaux())
            progression(export[0].nombre, export[0].nombre)
            return export[0].nombre

        def exporte(ecrit: Ecrit | None) -> None:
            if ecrit is None or not export:
                return
            curseur = export[0].curseur or ""
            # Ready for the next export: it resumes where this one ended.
            formulaire.query_one(f"#{id_champ(CHAMP_APRES)}", Input).value = curseur
            self.notify(
                f"{ecrit.nombre} événement(s) exporté(s) dans {ecrit.chemin}. Curseur suivant "
                f"(repris pour le prochain export) : {curseur}",
                timeout=12,
            )

        self.app.push_screen(
            EcranFichier(
                titre="Exporter le cycle de vie des mémoires en CSV",
                libelle="Fichier CSV",
                defaut=f"cycle-de-vie-{structure.identifiant}.csv",
                ecrire=ecrire,
                aide="Les changements d'état enregistrés après le curseur, dans l'ordre ; "
                "chaque ligne porte son curseur. Un chemin relatif part du dossier courant.",
            ),
            exporte,
        )

    @on(Button.Pressed, "#enregistrer-espace-fdj")
    async def action_frais_de_justice(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-espace-fdj", Vertical)
        regime = choix(formulaire, "regime")
        await self.appliquer(
            formulaire,
            "L'espace Mémoires de frais de justice est enregistré.",
            app.services.structures.definir_espace_frais_de_justice,
            app.utilisateur_id,
            etat.structure.id,
            categorie_prestataire=choix(formulaire, "categorie_prestataire"),
            regime=Regime(regime) if regime else None,
        )

    @on(Button.Pressed, "#activer-tic")
    async def action_tic(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        if etat.structure.espace_tic:
            self.notify("L'espace TIC/TICGN est déjà souscrit.")
            return
        app = chorus(self)
        await self.appliquer(
            self.query_one("#form-espace-tic", Vertical),
            "L'espace TIC/TICGN est souscrit.",
            app.services.structures.activer_espace_tic,
            app.utilisateur_id,
            etat.structure.id,
        )
