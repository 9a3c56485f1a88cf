"""Step 2 of « Saisir mémoire »: the lignes de prestation, with their amounts computed live
by the domain while the user types."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from chorus.adapters.tui.affichage import euros, jour, lire_jour, lire_montant
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
from chorus.adapters.tui.onglets.saisie_commun import (
    Etape,
    Publier,
    TableauLignes,
    choisir,
    decimal_saisi,
    quantite,
    taux,
    texte_totaux,
    valeur_choisie,
)
from chorus.domain.entete import TypeTva
from chorus.domain.errors import DomainError, ValidationError
from chorus.domain.lignes import NOMBRE_MAXIMUM_DE_FRAIS_DIVERS, LigneDePrestation, SaisieLigne
from chorus.domain.montants import TauxTva

# What « Valider et ajouter une nouvelle ligne » keeps for the next line: a mémoire usually
# bills several prestations of one case, ordered by one authority on one réquisition (and
# often on the same day, at the same rate). Quantity, price, frais divers and débours are
# what differ from one line to the next: they are cleared.
GARDES_POUR_LA_LIGNE_SUIVANTE = (
    "numero_affaire",
    "date_requisition",
    "date_prestation",
    "autorite_requerante",
    "type_prestation",
    "taux_tva",
)

_LIBELLES = {
    "numero_affaire": "N° d'affaire",
    "date_requisition": "Date de réquisition",
    "autorite_requerante": "Autorité requérante",
    "type_prestation": "Type de prestation",
    "date_prestation": "Date de prestation",
    "quantite": "Quantité",
    "tarif_ht": "Tarif HT",
    "taux_tva": "Taux de TVA",
    "debours": "Débours",
    "frais_divers": "Frais divers",
}

_SAISIES = ("numero_affaire", "date_requisition", "date_prestation", "quantite", "tarif_ht")

# The live amounts before any figure is typed (what `_apercu` falls back to).
_APERCU_VIDE = {
    "apercu-prestation": "Montant de la prestation HT : —",
    "apercu-frais": "Frais divers : —",
    "apercu-ht": "Base HT : —",
    "apercu-tva": "TVA : —",
    "apercu-debours": "Débours : —",
    "apercu-ttc": "Montant de la prestation TTC : —",
}


def _libelle_du_champ(champ: str) -> str:
    if champ.startswith("frais_divers["):
        index = int(champ[len("frais_divers[") :].split("]", 1)[0])
        partie = "libellé" if champ.endswith("libelle") else "montant"
        return f"Frais divers n°{index + 1} ({partie})"
    return _LIBELLES.get(champ, champ)


class FraisDivers(Horizontal):
    """One item of the bordereau de frais divers: libellé and amount HT."""

    DEFAULT_CSS = """
    FraisDivers { height: auto; }
    FraisDivers > Champ { width: 1fr; margin-right: 2; }
    """

    def __init__(self, index: int) -> None:
        super().__init__(classes="frais-divers")
        self.index = index

    def compose(self) -> ComposeResult:
        numero = self.index + 1
        yield Champ(
            f"Frais divers n°{numero} — libellé (déplacement, affranchissement…)",
            f"frais_divers[{self.index}].libelle",
            Input(),
        )
        yield Champ(
            f"Frais divers n°{numero} — montant HT (€)",
            f"frais_divers[{self.index}].montant_ht",
            Input(placeholder="0,00"),
        )

    def valeurs(self) -> tuple[str, str]:
        return (
            valeur(self, f"frais_divers[{self.index}].libelle"),
            valeur(self, f"frais_divers[{self.index}].montant_ht"),
        )

    def remplir(self, libelle: str, montant: str) -> None:
        self.query_one(f"#{id_champ(f'frais_divers[{self.index}].libelle')}", Input).value = libelle
        self.query_one(
            f"#{id_champ(f'frais_divers[{self.index}].montant_ht')}", Input
        ).value = montant


class EtapeLignes(Etape):
    """The line form with its live amounts, and the table of the draft's lines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "valider(False)", "Valider la ligne"),
        Binding("f8", "valider(True)", "Valider et ajouter une ligne"),
        Binding("ctrl+f", "ajouter_frais", "Autre frais divers"),
        Binding("ctrl+r", "supprimer", "Supprimer la ligne"),
        Binding("escape", "annuler", "Annuler la modification"),
    ]
    DEFAULT_CSS = """
    EtapeLignes #form-ligne { height: auto; }
    EtapeLignes #apercu {
        grid-size: 3; grid-rows: auto; height: auto;
        border: round $primary; border-title-color: $accent; padding: 0 1; margin: 1 0 0 0;
    }
    EtapeLignes #apercu-ttc { text-style: bold; }
    EtapeLignes #apercu-refus { color: $warning; }
    EtapeLignes #lignes-totaux { margin: 1 0; text-style: bold; }
    EtapeLignes #frais { height: auto; }
    """

    def __init__(self, publier: Publier, *, id: str) -> None:
        super().__init__(publier, id=id)
        self._en_modification: int | None = None
        self._nombre_de_frais = 1
        # The catégorie the catalogue is ordered for (the list is only rebuilt on a change).
        self._types_pour: tuple[str | None] | None = None
        self._type_tva: TypeTva | None = None

    def compose(self) -> ComposeResult:
        # The initial state (preview, hidden buttons) is set here, not in `on_mount`: a step
        # removed while still mounting (the application quitting, the space replaced) gets
        # its Mount event though Textual no longer mounts its children.
        referentiels = chorus(self).services.referentiels
        yield Static("Lignes de prestation", classes="titre")
        with Vertical(id="form-ligne"):
            yield Static("SAISIE D'UNE LIGNE DE PRESTATION", id="ligne-mode", classes="sous-titre")
            with Grid(classes="grille-3"):
                yield Champ("N° d'affaire", "numero_affaire", Input(), obligatoire=True)
                yield Champ(
                    "Date de la réquisition",
                    "date_requisition",
                    Input(placeholder="JJ/MM/AAAA"),
                    obligatoire=True,
                )
                yield Champ(
                    "Autorité requérante",
                    "autorite_requerante",
                    Select(
                        [(a.libelle, a.code) for a in referentiels.autorites_requerantes()],
                        prompt="Sélectionner une autorité",
                    ),
                    obligatoire=True,
                )
                yield Champ(
                    "Type de prestation",
                    "type_prestation",
                    Select[str]([], prompt="Sélectionner un type de prestation"),
                    obligatoire=True,
                )
                yield Champ(
                    "Date de la prestation",
                    "date_prestation",
                    Input(placeholder="JJ/MM/AAAA"),
                    obligatoire=True,
                )
                yield Champ("Quantité", "quantite", Input(placeholder="1"), obligatoire=True)
                yield Champ(
                    "Tarif de la prestation HT (€)",
                    "tarif_ht",
                    Input(placeholder="0,00"),
                    obligatoire=True,
                )
                yield Champ(
                    "Taux de TVA",
                    "taux_tva",
                    Select(
                        [(t.libelle, t.code) for t in TauxTva],
                        allow_blank=False,
                        value=TauxTva.NORMAL.code,
                    ),
                    obligatoire=True,
                )
                yield Champ("Débours (non soumis à TVA, €)", "debours", Input(placeholder="0,00"))
            yield Static("AUTRES MONTANTS — frais divers", classes="sous-titre")
            with Vertical(id="frais"):
                yield FraisDivers(0)
            yield Static("", id=id_erreur("frais_divers"), classes="erreur")
            apercu = Grid(id="apercu")
            apercu.border_title = "Montants de la ligne (calcul en direct)"
            with apercu:
                for ident, texte in _APERCU_VIDE.items():
                    yield Static(texte, id=ident)
            yield Static("", id="apercu-refus", markup=False)
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Valider la ligne", id="ligne-valider", variant="primary")
                yield Button("Valider et ajouter une nouvelle ligne", id="ligne-valider-ajouter")
                yield Button("Autre frais divers", id="ligne-frais")
                # Only while a line of the table is being modified (see `_mode`).
                supprimer = Button("Supprimer la ligne", id="ligne-supprimer", variant="error")
                supprimer.display = False
                yield supprimer
                annuler = Button("Annuler la modification", id="ligne-annuler")
                annuler.display = False
                yield annuler
            yield Static(
                "« Valider et ajouter une nouvelle ligne » garde le n° d'affaire, les dates, "
                "l'autorité requérante, le type de prestation et le taux de TVA pour la ligne "
                "suivante. Choisissez une ligne du tableau (Entrée) pour la modifier ou la "
                "supprimer.",
                classes="aide",
            )
        yield Static("LIGNES DE PRESTATION DU MÉMOIRE", classes="sous-titre")
        yield TableauLignes(id="tableau-lignes")
        yield Static("", id="lignes-totaux")

    def premier_champ(self) -> Widget | None:
        return self.query_one(f"#{id_champ('numero_affaire')}", Input)

    # -- showing the draft ---------------------------------------------------------------

    def rafraichir(self) -> None:
        memoire = self.memoire
        lignes = memoire.lignes if memoire else ()
        self.query_one(TableauLignes).montrer(lignes)
        self.query_one("#lignes-totaux", Static).update(
            texte_totaux(memoire.totaux) if memoire else ""
        )
        self._proposer_types()
        type_tva = memoire.entete.type_tva if memoire else None
        if type_tva != self._type_tva and self._en_modification is None:
            # The en-tête's TVA type changed (or another draft is shown): offer its rate.
            self._type_tva = type_tva
            choisir(self.choix("taux_tva"), self._taux_par_defaut())
        if self._en_modification is not None and not any(
            ligne.numero_ligne == self._en_modification for ligne in lignes
        ):
            # The line was deleted (here or elsewhere): what is typed stays, as a new line.
            self._en_modification = None
            self._mode()
        self._apercu()

    def _proposer_types(self) -> None:
        """The catalogue, the prestations of the mémoire's catégorie first."""
        categorie = self.memoire.entete.categorie_prestataire if self.memoire else None
        if self._types_pour == (categorie,):
            return
        self._types_pour = (categorie,)
        select = self.choix("type_prestation")
        actuel = valeur_choisie(select)
        types = sorted(
            chorus(self).services.referentiels.types_prestation(),
            key=lambda t: t.categorie_prestataire != categorie,
        )
        select.set_options([(f"{t.libelle} ({t.unite})", t.code) for t in types])
        choisir(select, actuel)

    def _mode(self) -> None:
        modification = self._en_modification is not None
        self.query_one("#ligne-mode", Static).update(
            f"MODIFICATION DE LA LIGNE N°{self._en_modification}"
            if modification
            else "SAISIE D'UNE LIGNE DE PRESTATION"
        )
        supprimer = self.query_one("#ligne-supprimer", Button)
        if supprimer.display != modification:
            supprimer.display = modification
            self.query_one("#ligne-annuler", Button).display = modification
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("supprimer", "annuler"):
            return self._en_modification is not None
        return True

    # -- the form ------------------------------------------------------------------------

    def _taux_par_defaut(self) -> str:
        sans_taxe = self.memoire is not None and self.memoire.entete.type_tva.sans_taxe
        return (TauxTva.NUL if sans_taxe else TauxTva.NORMAL).code

    def _frais(self) -> list[FraisDivers]:
        return list(self.query(FraisDivers))

    async def _nombre_frais(self, nombre: int) -> None:
        """Show exactly `nombre` (≥ 1) frais divers rows, the first ones kept."""
        conteneur = self.query_one("#frais", Vertical)
        lignes = self._frais()
        for ligne in lignes[nombre:]:
            await ligne.remove()
        if len(lignes) < nombre:
            await conteneur.mount_all(FraisDivers(i) for i in range(len(lignes), nombre))
        self._nombre_de_frais = nombre

    async def vider_formulaire(self, *, garder: bool = False) -> None:
        """Clear the line form; with `garder`, keep what the next line of the same case
        shares (`GARDES_POUR_LA_LIGNE_SUIVANTE`)."""
        gardes = GARDES_POUR_LA_LIGNE_SUIVANTE if garder else ()
        for champ in (*_SAISIES, "debours"):
            if champ not in gardes:
                self.query_one(f"#{id_champ(champ)}", Input).value = ""
        for champ in ("autorite_requerante", "type_prestation"):
            if champ not in gardes:
                choisir(self.choix(champ), None)
        if "taux_tva" not in gardes:
            choisir(self.choix("taux_tva"), self._taux_par_defaut())
        await self._nombre_frais(1)
        self._frais()[0].remplir("", "")
        self._en_modification = None
        self._mode()
        effacer_erreurs(self.query_one("#form-ligne"))
        self._apercu()

    async def vider(self) -> None:
        await self.vider_formulaire()

    def saisie_en_cours(self) -> bool:
        """Whether the form holds a line typed but not validated."""
        if any(valeur(self, champ).strip() for champ in _SAISIES):
            return True
        return any(any(v.strip() for v in frais.valeurs()) for frais in self._frais())

    async def _remplir(self, ligne: LigneDePrestation) -> None:
        textes = {
            "numero_affaire": ligne.numero_affaire,
            "date_requisition": jour(ligne.date_requisition),
            "date_prestation": jour(ligne.date_prestation),
            "quantite": quantite(ligne.quantite),
            "tarif_ht": decimal_saisi(ligne.tarif_ht),
            "debours": decimal_saisi(ligne.debours) if ligne.debours else "",
        }
        for champ, texte in textes.items():
            self.query_one(f"#{id_champ(champ)}", Input).value = texte
        choisir(self.choix("autorite_requerante"), ligne.autorite_requerante)
        choisir(self.choix("type_prestation"), ligne.type_prestation)
        choisir(self.choix("taux_tva"), ligne.taux_tva.code)
        await self._nombre_frais(max(1, len(ligne.frais_divers)))
        lignes_frais = self._frais()
        lignes_frais[0].remplir("", "")
        for frais, saisie in zip(ligne.frais_divers, lignes_frais, strict=False):
            saisie.remplir(frais.libelle, decimal_saisi(frais.montant_ht))
        self._en_modification = ligne.numero_ligne
        self._mode()
        effacer_erreurs(self.query_one("#form-ligne"))
        self._apercu()

    def _saisie(self, *, apercu: bool = False) -> SaisieLigne:
        """The line as typed. For the preview only amounts matter: a missing date or text
        stands in as today or a dash, so that amounts show from the first figure typed."""
        aujourdhui = chorus(self).services.clock.aujourdhui()

        def texte(champ: str) -> str:
            brut = valeur(self, champ).strip()
            return brut or ("—" if apercu else "")

        def code(champ: str) -> str:
            return valeur_choisie(self.choix(champ)) or ("—" if apercu else "")

        def jour_saisi(champ: str) -> date:
            brut = valeur(self, champ)
            if apercu:
                try:
                    return lire_jour(brut, champ)
                except ValidationError:
                    return aujourdhui
            return lire_jour(brut, champ)

        def montant(champ: str, *, obligatoire: bool) -> str:
            brut = lire_montant(valeur(self, champ))
            if brut:
                return brut
            if obligatoire and not apercu:
                raise ValidationError("Ce champ est obligatoire.", champ=champ)
            return "0"

        saisis = [f.valeurs() for f in self._frais()]
        # Only the empty rows at the end are left out, so that the domain's index of a
        # faulty item (``frais_divers[1].libelle``) is the row the user sees.
        while saisis and not any(v.strip() for v in saisis[-1]):
            saisis.pop()
        frais: list[tuple[str, str]] = []
        for index, (libelle, montant_ht) in enumerate(saisis):
            if not montant_ht.strip() and not apercu:
                raise ValidationError(
                    "Ce champ est obligatoire.", champ=f"frais_divers[{index}].montant_ht"
                )
            frais.append((libelle.strip(), lire_montant(montant_ht) or "0"))
        date_requisition = jour_saisi("date_requisition")
        date_prestation = jour_saisi("date_prestation")
        if apercu and not valeur(self, "date_requisition").strip():
            date_requisition = date_prestation
        return SaisieLigne(
            numero_affaire=texte("numero_affaire"),
            date_requisition=date_requisition,
            autorite_requerante=code("autorite_requerante"),
            type_prestation=code("type_prestation"),
            date_prestation=date_prestation,
            quantite=montant("quantite", obligatoire=True),
            tarif_ht=montant("tarif_ht", obligatoire=True),
            taux_tva=valeur_choisie(self.choix("taux_tva")) or TauxTva.NORMAL.code,
            frais_divers=tuple(frais),
            debours=montant("debours", obligatoire=False),
        )

    # -- live amounts --------------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    def _saisie_changee(self) -> None:
        self._apercu()

    def _apercu(self) -> None:
        """The amounts of the line being typed, computed by the domain and never stored."""
        cases = _APERCU_VIDE
        refus = ""
        if valeur(self, "quantite").strip() or valeur(self, "tarif_ht").strip():
            numero = self._en_modification or (
                self.memoire.prochain_numero_ligne() if self.memoire else 1
            )
            try:
                ligne = self._saisie(apercu=True).en_ligne(
                    numero, chorus(self).services.clock.aujourdhui()
                )
            except DomainError as erreur:
                champ = erreur.erreurs[0].champ if erreur.erreurs else ""
                refus = f"Montants non calculés — {_libelle_du_champ(champ)} : {erreur.message}"
            else:
                prestation = ligne.montant_ht - ligne.montant_frais_divers
                cases = {
                    "apercu-prestation": f"Montant de la prestation HT : {euros(prestation)}",
                    "apercu-frais": f"Frais divers : {euros(ligne.montant_frais_divers)}",
                    "apercu-ht": f"Base HT : {euros(ligne.montant_ht)}",
                    "apercu-tva": f"TVA ({taux(ligne.taux_tva)}) : {euros(ligne.montant_tva)}",
                    "apercu-debours": f"Débours : {euros(ligne.debours)}",
                    "apercu-ttc": f"Montant de la prestation TTC : {euros(ligne.montant_ttc)}",
                }
        for ident, texte in cases.items():
            self.query_one(f"#{ident}", Static).update(texte)
        self.query_one("#apercu-refus", Static).update(refus)

    # -- actions -------------------------------------------------------------------------

    async def action_valider(self, nouvelle: bool) -> None:
        """Add the line (or save the line being modified); with `nouvelle`, keep the form
        ready for the next line of the same case."""
        memoire = self.memoire
        formulaire = self.query_one("#form-ligne", Vertical)
        if memoire is None:
            self.notify("Enregistrez d'abord l'en-tête du mémoire.", severity="error")
            return
        try:
            saisie = self._saisie()
        except DomainError as erreur:
            montrer_erreur(formulaire, erreur)
            return
        app = chorus(self)
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        numero = self._en_modification
        if numero is None:
            enregistre = await self.tenter(
                formulaire,
                lambda: memoires.ajouter_ligne(
                    utilisateur, memoire.id, saisie, version_attendue=memoire.version
                ),
            )
        else:
            enregistre = await self.tenter(
                formulaire,
                lambda: memoires.modifier_ligne(
                    utilisateur, memoire.id, numero, saisie, version_attendue=memoire.version
                ),
            )
        if enregistre is None:
            return
        self.publier(enregistre)
        self.notify(
            f"Ligne n°{numero} modifiée."
            if numero is not None
            else f"Ligne n°{enregistre.lignes[-1].numero_ligne} ajoutée."
        )
        await self.vider_formulaire(garder=nouvelle)
        if nouvelle:
            self.choix("type_prestation").focus()
        else:
            self.query_one(f"#{id_champ('numero_affaire')}", Input).focus()

    async def action_ajouter_frais(self) -> None:
        if self._nombre_de_frais >= NOMBRE_MAXIMUM_DE_FRAIS_DIVERS:
            self.notify(
                f"Une ligne ne peut pas porter plus de {NOMBRE_MAXIMUM_DE_FRAIS_DIVERS} frais "
                "divers.",
                severity="warning",
            )
            return
        await self._nombre_frais(self._nombre_de_frais + 1)
        dernier = self._frais()[-1]
        self.query_one(f"#{id_champ(f'frais_divers[{dernier.index}].libelle')}", Input).focus()

    async def action_supprimer(self) -> None:
        memoire = self.memoire
        numero = self._en_modification
        if memoire is None or numero is None:
            return
        app = chorus(self)
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        enregistre = await self.tenter(
            self.query_one("#form-ligne"),
            lambda: memoires.supprimer_ligne(
                utilisateur, memoire.id, numero, version_attendue=memoire.version
            ),
        )
        if enregistre is None:
            return
        self.publier(enregistre)
        self.notify(f"Ligne n°{numero} supprimée ; ses pièces jointes restent jointes au mémoire.")
        await self.vider_formulaire()

    async def action_annuler(self) -> None:
        if self._en_modification is not None:
            await self.vider_formulaire()

    @on(DataTable.RowSelected)
    async def _ligne_choisie(self, evenement: DataTable.RowSelected) -> None:
        evenement.stop()
        if self.memoire is None or evenement.row_key.value is None:
            return
        numero = int(evenement.row_key.value)
        for ligne in self.memoire.lignes:
            if ligne.numero_ligne == numero:
                await self._remplir(ligne)
                self.query_one(f"#{id_champ('quantite')}", Input).focus()
                self.scroll_home()
                return

    @on(Button.Pressed, "#ligne-valider")
    async def _valider(self) -> None:
        await self.action_valider(False)

    @on(Button.Pressed, "#ligne-valider-ajouter")
    async def _valider_et_ajouter(self) -> None:
        await self.action_valider(True)

    @on(Button.Pressed, "#ligne-frais")
    async def _autre_frais(self) -> None:
        await self.action_ajouter_frais()

    @on(Button.Pressed, "#ligne-supprimer")
    async def _supprimer(self) -> None:
        await self.action_supprimer()

    @on(Button.Pressed, "#ligne-annuler")
    async def _annuler(self) -> None:
        await self.action_annuler()
