"""Step 1 of « Saisir mémoire »: the en-tête of the draft (juridiction, texte de référence,
TVA, bank details, catégorie, références)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from chorus.adapters.tui.affichage import lire_montant, ou_rien
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
    Etape,
    Publier,
    choisir,
    decimal_saisi,
    plier,
    valeur_choisie,
)
from chorus.domain.entete import MOTIF_EXONERATION_PAR_DEFAUT, EnTete, TypeTva
from chorus.domain.errors import DomainError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.referentiels import Juridiction

SEPARATEUR = " — "
PROPOSITIONS = 8
"""How many juridictions the list under the field offers at once."""


def entree_juridiction(juridiction: Juridiction) -> str:
    """How a juridiction is written in the field: « TJ-69123 — Tribunal judiciaire de Lyon »."""
    return f"{juridiction.code}{SEPARATEUR}{juridiction.nom}"


class SaisieJuridiction(Input):
    """The juridiction field: ↓ moves into the list of juridictions matching what is typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "proposer", "Juridictions proposées", show=False)
    ]

    def action_proposer(self) -> None:
        liste = self.screen.query_one("#juridictions-proposees", OptionList)
        if liste.display and liste.option_count:
            liste.highlighted = 0
            liste.focus()


class EtapeEntete(Etape):
    """The en-tête form; « Suivant » (or « Enregistrer ») creates the draft or saves it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "enregistrer", "Enregistrer l'en-tête"),
    ]
    DEFAULT_CSS = """
    EtapeEntete #juridictions-proposees { height: auto; max-height: 10; display: none; }
    EtapeEntete #juridictions-proposees.ouverte { display: block; }
    EtapeEntete #bloc-motif { height: auto; display: none; }
    EtapeEntete #bloc-motif.visible { display: block; }
    EtapeEntete #entete-structure { margin: 0 0 1 0; }
    EtapeEntete .bloc-juridiction { height: auto; }
    EtapeEntete .devise { color: $text-muted; }
    """

    def __init__(self, publier: Publier, *, id: str) -> None:
        super().__init__(publier, id=id)
        self._juridictions: dict[str, Juridiction] = {}

    def compose(self) -> ComposeResult:
        referentiels = chorus(self).services.referentiels
        juridictions = referentiels.juridictions()
        self._juridictions = {j.code: j for j in juridictions}
        entrees = [entree_juridiction(j) for j in juridictions]
        yield Static("En-tête", classes="titre")
        yield Static("", id="entete-structure", markup=False)
        yield Static("DESTINATAIRE", classes="sous-titre")
        with Vertical(classes="bloc-juridiction"):
            yield Champ(
                "Juridiction (tapez un code, une ville ou un nom, ↓ pour choisir)",
                "juridiction_code",
                SaisieJuridiction(
                    placeholder="ex. TJ-69123 ou Lyon",
                    suggester=SuggestFromList(entrees, case_sensitive=False),
                ),
                obligatoire=True,
            )
            yield OptionList(id="juridictions-proposees")
        yield Static("PRESTATAIRE", classes="sous-titre")
        with Grid(classes="grille"):
            yield Champ("Service", "service_id", Select[str]([], prompt="Aucun service"))
            yield Champ(
                "Coordonnée bancaire",
                "coordonnee_bancaire_id",
                Select[str]([], prompt="Sélectionner une coordonnée bancaire"),
                obligatoire=True,
            )
            yield Champ(
                "Catégorie de prestataire",
                "categorie_prestataire",
                Select(
                    [(c.libelle, c.code) for c in referentiels.categories_prestataire()],
                    prompt="Sélectionner une catégorie",
                ),
                obligatoire=True,
            )
        yield Static("RÉFÉRENCES", classes="sous-titre")
        yield Static("Devise du mémoire : EUR – Euro", classes="devise")
        with Grid(classes="grille"):
            yield Champ(
                "Texte de référence",
                "texte_reference",
                Select(
                    [(f"{t.code} — {t.libelle}", t.code) for t in referentiels.textes_reference()],
                    prompt="Sélectionner un texte de référence",
                ),
                obligatoire=True,
            )
            yield Champ(
                "Type de TVA",
                "type_tva",
                Select(
                    [(t.libelle, t.value) for t in TypeTva],
                    allow_blank=False,
                    value=TypeTva.TVA_SUR_DEBITS.value,
                ),
                obligatoire=True,
            )
            with Vertical(id="bloc-motif"):
                yield Champ(
                    "Motif d'exonération",
                    "motif_exoneration",
                    Input(placeholder=MOTIF_EXONERATION_PAR_DEFAUT),
                )
            yield Champ("Numéro de facture", "numero_facture", Input())
            yield Champ("Numéro d'engagement juridique", "numero_engagement_juridique", Input())
            yield Champ("Remise globale TTC (€)", "remise_globale_ttc", Input(placeholder="0,00"))
        yield Champ("Commentaire", "commentaire", Input())
        yield ErreurGenerale()
        with Horizontal(classes="barre-actions"):
            yield Button("Enregistrer", id="entete-enregistrer")

    def premier_champ(self) -> Widget | None:
        return self.query_one(f"#{id_champ('juridiction_code')}", Input)

    # -- filling the form ----------------------------------------------------------------

    def preparer(self, structure: Structure) -> None:
        """Offer the structure's active services and its bank details."""
        self.structure = structure
        self.query_one("#entete-structure", Static).update(
            f"Structure : {structure.raison_sociale} "
            f"({structure.type_identifiant.value} {structure.identifiant})"
        )
        options = {
            "service_id": [
                (f"{s.code} — {s.libelle}", s.id) for s in structure.services if s.actif
            ],
            "coordonnee_bancaire_id": [
                (f"{c.libelle} — {c.iban_masque}", c.id) for c in structure.coordonnees_bancaires
            ],
        }
        for champ, choix in options.items():
            select = self.choix(champ)
            actuel = valeur_choisie(select)
            select.set_options(choix)
            choisir(select, actuel)

    def remplir(self, memoire: Memoire | None) -> None:
        """The draft's en-tête in the form, or a new one with the structure's defaults."""
        structure = self.structure
        saisies = {
            "juridiction_code": "",
            "numero_facture": "",
            "numero_engagement_juridique": "",
            "commentaire": "",
            "motif_exoneration": "",
            "remise_globale_ttc": "",
        }
        if memoire is None:
            espace = structure.espace_frais_de_justice if structure else None
            coordonnees = structure.coordonnees_bancaires if structure else ()
            choisir(self.choix("service_id"), None)
            # With a single account there is nothing to choose: propose it.
            choisir(
                self.choix("coordonnee_bancaire_id"),
                coordonnees[0].id if len(coordonnees) == 1 else None,
            )
            choisir(
                self.choix("categorie_prestataire"),
                espace.categorie_prestataire if espace else None,
            )
            choisir(self.choix("texte_reference"), None)
            choisir(self.choix("type_tva"), TypeTva.TVA_SUR_DEBITS.value)
        else:
            entete = memoire.entete
            juridiction = self._juridictions.get(entete.juridiction_code)
            saisies.update(
                juridiction_code=(
                    entree_juridiction(juridiction) if juridiction else entete.juridiction_code
                ),
                numero_facture=entete.numero_facture or "",
                numero_engagement_juridique=entete.numero_engagement_juridique or "",
                commentaire=entete.commentaire or "",
                motif_exoneration=entete.motif_exoneration or "",
                remise_globale_ttc=(
                    decimal_saisi(entete.remise_globale_ttc) if entete.remise_globale_ttc else ""
                ),
            )
            choisir(self.choix("service_id"), entete.service_id)
            choisir(self.choix("coordonnee_bancaire_id"), entete.coordonnee_bancaire_id)
            choisir(self.choix("categorie_prestataire"), entete.categorie_prestataire)
            choisir(self.choix("texte_reference"), entete.texte_reference)
            choisir(self.choix("type_tva"), entete.type_tva.value)
        for champ, texte in saisies.items():
            self.query_one(f"#{id_champ(champ)}", Input).value = texte
        self._fermer_propositions()
        self._montrer_motif()
        effacer_erreurs(self)

    # -- juridiction search --------------------------------------------------------------

    def _code_juridiction(self) -> str:
        """The code of the juridiction typed: « CODE — Nom », a code, or an exact name.
        Anything else goes to the use case as typed, which refuses it."""
        brut = valeur(self, "juridiction_code").strip()
        code = brut.split(SEPARATEUR, 1)[0].strip()
        for connu in self._juridictions.values():
            if plier(connu.code) == plier(code) or plier(connu.nom) == plier(brut):
                return connu.code
        return code

    def _propositions(self, texte: str) -> list[Juridiction]:
        mots = plier(texte).split()
        if not mots:
            return []
        trouvees: list[Juridiction] = []
        for juridiction in self._juridictions.values():
            cible = plier(entree_juridiction(juridiction))
            if all(mot in cible for mot in mots):
                trouvees.append(juridiction)
                if len(trouvees) >= PROPOSITIONS:
                    break
        return trouvees

    def _fermer_propositions(self) -> None:
        self.query_one("#juridictions-proposees", OptionList).remove_class("ouverte")

    @on(Input.Changed, "#champ-juridiction_code")
    def _chercher_juridiction(self, evenement: Input.Changed) -> None:
        liste = self.query_one("#juridictions-proposees", OptionList)
        texte = evenement.value.strip()
        exacte = any(texte == entree_juridiction(j) for j in self._juridictions.values())
        trouvees = [] if exacte else self._propositions(texte)
        liste.clear_options()
        liste.add_options(Option(entree_juridiction(j), j.code) for j in trouvees)
        liste.set_class(bool(trouvees), "ouverte")

    @on(Input.Submitted, "#champ-juridiction_code")
    def _premiere_proposition(self, evenement: Input.Submitted) -> None:
        """Entrée in the field takes the first juridiction proposed."""
        evenement.stop()
        liste = self.query_one("#juridictions-proposees", OptionList)
        if liste.has_class("ouverte") and liste.option_count:
            liste.highlighted = 0
            liste.action_select()

    @on(OptionList.OptionSelected, "#juridictions-proposees")
    def _juridiction_choisie(self, evenement: OptionList.OptionSelected) -> None:
        evenement.stop()
        juridiction = self._juridictions.get(evenement.option.id or "")
        if juridiction is None:
            return
        saisie = self.query_one(f"#{id_champ('juridiction_code')}", Input)
        saisie.value = entree_juridiction(juridiction)
        self._fermer_propositions()
        self.choix("service_id").focus()

    # -- TVA -----------------------------------------------------------------------------

    @on(Select.Changed, "#champ-type_tva")
    def _montrer_motif(self) -> None:
        choisi = valeur_choisie(self.choix("type_tva"))
        sans_taxe = choisi is not None and TypeTva(choisi).sans_taxe
        self.query_one("#bloc-motif").set_class(sans_taxe, "visible")

    # -- saving --------------------------------------------------------------------------

    def _entete(self, structure_id: str) -> EnTete:
        type_tva = TypeTva(valeur_choisie(self.choix("type_tva")) or TypeTva.TVA_SUR_DEBITS.value)
        return EnTete.creer(
            structure_id=structure_id,
            juridiction_code=self._code_juridiction(),
            texte_reference=valeur_choisie(self.choix("texte_reference")) or "",
            type_tva=type_tva,
            service_id=valeur_choisie(self.choix("service_id")),
            coordonnee_bancaire_id=valeur_choisie(self.choix("coordonnee_bancaire_id")),
            categorie_prestataire=valeur_choisie(self.choix("categorie_prestataire")),
            numero_facture=ou_rien(valeur(self, "numero_facture")),
            numero_engagement_juridique=ou_rien(valeur(self, "numero_engagement_juridique")),
            commentaire=ou_rien(valeur(self, "commentaire")),
            motif_exoneration=(
                ou_rien(valeur(self, "motif_exoneration")) if type_tva.sans_taxe else None
            ),
            remise_globale_ttc=lire_montant(valeur(self, "remise_globale_ttc")) or "0",
        )

    async def enregistrer(self) -> bool:
        """Create the draft, or save its en-tête against the version last read; True when
        stored."""
        app = chorus(self)
        memoire = self.memoire
        structure_id = memoire.structure_id if memoire else app.structure_id
        if structure_id is None:
            self.notify("Choisissez d'abord une structure (F4).", severity="error")
            return False
        try:
            entete = self._entete(structure_id)
        except DomainError as erreur:
            montrer_erreur(self, erreur)
            return False
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        if memoire is None:
            enregistre = await self.tenter(self, lambda: memoires.creer(utilisateur, entete))
        else:
            enregistre = await self.tenter(
                self,
                lambda: memoires.modifier_entete(
                    utilisateur, memoire.id, entete, version_attendue=memoire.version
                ),
            )
        if enregistre is None:
            return False
        self.publier(enregistre)
        return True

    async def action_enregistrer(self) -> None:
        if await self.enregistrer():
            assert self.memoire is not None
            self.notify(f"En-tête du mémoire n°{self.memoire.numero} enregistré.")

    @on(Button.Pressed, "#entete-enregistrer")
    async def _enregistrer(self) -> None:
        await self.action_enregistrer()
