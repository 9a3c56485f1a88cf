"""« Ajouter une ligne de demande »: one invoice of a demande TIC/TICGN (numéro de facture,
fournisseur, date de livraison, produit, quantité in the product's unit), with the rate and
the amount shown as the user types, read from the published barème."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Select, Static

from chorus.adapters.tui.affichage import euros, jour, lire_jour, lire_montant
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
    valeur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import choisir, sans_prefixe_de_ligne, valeur_choisie
from chorus.adapters.tui.widgets.detail_demande_tic import taux_tic
from chorus.domain.errors import DomainError, ErreurDeChamp, ValidationError
from chorus.domain.montants import en_francais
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, LigneDemandeTic, valider_quantite
from chorus.services.tic import SaisieLigneTic


def lire_ligne(
    numero_facture: str, fournisseur: str, date_livraison: str, produit: str | None, quantite: str
) -> SaisieLigneTic:
    """The line as typed; a `ValidationError` naming every field the form itself can tell
    is wrong (a missing date or product, an empty quantity). The rest is the domain's."""
    fautes: list[ErreurDeChamp] = []
    jour_livraison: date | None = None
    try:
        jour_livraison = lire_jour(date_livraison, "date_livraison")
    except ValidationError as erreur:
        fautes += erreur.erreurs
    if produit is None:
        fautes.append(ErreurDeChamp("produit", "Choisissez le produit livré."))
    quantite_saisie = lire_montant(quantite)
    if not quantite_saisie:
        fautes.append(ErreurDeChamp("quantite", "Ce champ est obligatoire : la quantité facturée."))
    if fautes:
        raise ValidationError(fautes[0].message, champ=fautes[0].champ, erreurs=fautes)
    assert jour_livraison is not None
    assert produit is not None
    return SaisieLigneTic(
        numero_facture=numero_facture,
        fournisseur=fournisseur,
        date_livraison=jour_livraison,
        produit=ProduitTic(produit),
        quantite=quantite_saisie,
    )


class FenetreLigneTic(ModalScreen[None]):
    """Adds a line to the draft (or changes the line `ligne`): « Valider et fermer »,
    « Valider et ajouter une nouvelle ligne ». Each stored demande is handed to `publier`;
    a refusal is written under its field, with everything typed kept."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "fermer", "Fermer"),
        Binding("ctrl+s", "valider(False)", "Valider et fermer"),
        Binding("ctrl+n", "valider(True)", "Valider et ajouter une nouvelle ligne"),
    ]
    DEFAULT_CSS = """
    FenetreLigneTic { align: center middle; }
    FenetreLigneTic .grille { grid-size: 2; grid-gutter: 0 2; height: auto; grid-rows: auto; }
    FenetreLigneTic Select { width: 1fr; }
    FenetreLigneTic #bloc-quantite { height: auto; }
    FenetreLigneTic #bloc-quantite > Champ { width: 1fr; }
    FenetreLigneTic #unite-quantite { width: 12; padding: 2 1 0 1; text-style: bold; }
    FenetreLigneTic #apercu-ligne-tic {
        height: auto; border: round $primary; padding: 0 1; margin-top: 1;
    }
    """

    def __init__(
        self,
        demande: DemandeTic,
        publier: Callable[[DemandeTic], None],
        ligne: LigneDemandeTic | None = None,
    ) -> None:
        super().__init__()
        self.demande = demande
        self._publier = publier
        self._numero = ligne.numero_ligne if ligne is not None else None
        self._ligne = ligne
        self._occupe = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="carte", id="ligne-tic"):
            yield Static("", id="titre-ligne-tic", classes="titre")
            yield Static(
                f"Une ligne par facture ; la date de livraison doit être en "
                f"{self.demande.annee}, l'année de la demande.",
                classes="aide",
            )
            with Grid(classes="grille"):
                yield Champ("Numéro de facture", "numero_facture", Input(), obligatoire=True)
                yield Champ("Fournisseur", "fournisseur", Input(), obligatoire=True)
                yield Champ(
                    "Date de livraison",
                    "date_livraison",
                    Input(placeholder="JJ/MM/AAAA"),
                    obligatoire=True,
                )
                yield Champ(
                    "Produit",
                    "produit",
                    Select[str](
                        [(p.libelle, p.value) for p in ProduitTic], prompt="Sélectionner un produit"
                    ),
                    obligatoire=True,
                )
            with Horizontal(id="bloc-quantite"):
                yield Champ(
                    "Quantité (8 chiffres dont 2 décimales au plus)",
                    "quantite",
                    Input(placeholder="0,00"),
                    obligatoire=True,
                )
                yield Static("", id="unite-quantite")
            yield Static("", id="apercu-ligne-tic")
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Valider et fermer", id="ligne-tic-valider", variant="primary")
                yield Button(
                    "Valider et ajouter une nouvelle ligne", id="ligne-tic-valider-ajouter"
                )
                yield Button("Annuler", id="ligne-tic-annuler")
        yield Footer()

    def on_mount(self) -> None:
        # Wider than the shared card (inline: the stylesheet's .carte wins over DEFAULT_CSS).
        self.query_one("#ligne-tic").styles.width = 104
        ligne = self._ligne
        if ligne is not None:
            textes = {
                "numero_facture": ligne.numero_facture,
                "fournisseur": ligne.fournisseur,
                "date_livraison": jour(ligne.date_livraison),
                "quantite": format(ligne.quantite, "f").replace(".", ","),
            }
            for champ, texte in textes.items():
                self._saisie(champ).value = texte
            choisir(self._produit(), ligne.produit.value)
        self._titre()
        self._unite()
        self.apercu()
        self._saisie("numero_facture").focus()

    def _saisie(self, champ: str) -> Input:
        return self.query_one(f"#{id_champ(champ)}", Input)

    def _produit(self) -> Select[str]:
        return cast("Select[str]", self.query_one(f"#{id_champ('produit')}", Select))

    def _titre(self) -> None:
        self.query_one("#titre-ligne-tic", Static).update(
            f"Modifier la ligne n°{self._numero} — demande n°{self.demande.numero}"
            if self._numero is not None
            else f"Ajouter une ligne de demande — demande n°{self.demande.numero}"
        )

    @property
    def produit(self) -> ProduitTic | None:
        choisi = valeur_choisie(self._produit())
        return ProduitTic(choisi) if choisi is not None else None

    def _unite(self) -> None:
        produit = self.produit
        self.query_one("#unite-quantite", Static).update(
            produit.unite if produit is not None else ""
        )

    # -- the rate and amount, live -------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    def _saisie_changee(self) -> None:
        self._unite()
        self.apercu()

    @work(exclusive=True, group="apercu-ligne-tic")
    async def apercu(self) -> None:
        """The rate of the product on the delivery date (`services.tic.taux_au`) and the
        line's amount, never stored."""
        zone = self.query_one("#apercu-ligne-tic", Static)
        produit = self.produit
        texte_jour = valeur(self, "date_livraison")
        if produit is None or not texte_jour.strip():
            zone.update("Taux et montant : choisissez le produit et la date de livraison.")
            return
        try:
            livraison = lire_jour(texte_jour, "date_livraison")
        except ValidationError as erreur:
            zone.update(f"Taux et montant non calculés — {erreur.message}")
            return
        app = chorus(self)
        try:
            taux = await app.appeler(app.services.tic.taux_au, produit, livraison)
        except DomainError as erreur:
            zone.update(f"Taux et montant non calculés — {erreur.message}")
            return
        lignes = [f"Taux : {taux_tic(taux.taux, produit)}"]
        quantite = lire_montant(valeur(self, "quantite"))
        if quantite:
            try:
                volume = valider_quantite(quantite)
            except DomainError as erreur:
                lignes.append(f"Montant non calculé — {erreur.message}")
            else:
                lignes.append(
                    f"Montant : {euros(taux.montant(volume))} "
                    f"({en_francais(volume)} {produit.unite} ÷ {produit.diviseur} × "
                    f"{taux_tic(taux.taux, produit)})"
                )
        if livraison.year != self.demande.annee:
            lignes.append(
                f"Attention : la livraison du {jour(livraison)} n'est pas dans l'année "
                f"{self.demande.annee} de la demande."
            )
        zone.update("\n".join(lignes))

    # -- saving --------------------------------------------------------------------------

    def _vider(self) -> None:
        """Ready for the next invoice of the same supplier: its name and product stay."""
        for champ in ("numero_facture", "date_livraison", "quantite"):
            self._saisie(champ).value = ""
        self._numero = None
        self._ligne = None
        self._titre()
        effacer_erreurs(self)
        self._saisie("numero_facture").focus()

    async def action_valider(self, nouvelle: bool) -> None:
        if self._occupe:
            return
        formulaire = self.query_one("#ligne-tic", Vertical)
        try:
            saisie = lire_ligne(
                valeur(self, "numero_facture"),
                valeur(self, "fournisseur"),
                valeur(self, "date_livraison"),
                valeur_choisie(self._produit()),
                valeur(self, "quantite"),
            )
        except ValidationError as erreur:
            montrer_erreur(formulaire, erreur)
            return
        app = chorus(self)
        tic = app.services.tic
        utilisateur = app.utilisateur_id
        demande = self.demande
        numero = self._numero
        self._occupe = True
        try:
            if numero is None:
                resultat = await app.appeler(
                    tic.ajouter_ligne,
                    utilisateur,
                    demande.id,
                    saisie,
                    version_attendue=demande.version,
                )
            else:
                resultat = await app.appeler(
                    tic.modifier_ligne,
                    utilisateur,
                    demande.id,
                    numero,
                    saisie,
                    version_attendue=demande.version,
                )
        except DomainError as erreur:
            montrer_erreur(formulaire, sans_prefixe_de_ligne(erreur))
            return
        finally:
            self._occupe = False
        enregistree, ligne = resultat
        self.demande = enregistree
        self._publier(enregistree)
        app.notify(
            f"Ligne n°{ligne.numero_ligne} {'ajoutée' if numero is None else 'modifiée'} : "
            f"{quantite_et_montant(ligne)}."
        )
        if nouvelle:
            self._vider()
        else:
            self.dismiss(None)

    def action_fermer(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ligne-tic-valider")
    async def _valider(self) -> None:
        await self.action_valider(False)

    @on(Button.Pressed, "#ligne-tic-valider-ajouter")
    async def _valider_et_ajouter(self) -> None:
        await self.action_valider(True)

    @on(Button.Pressed, "#ligne-tic-annuler")
    def _annuler(self) -> None:
        self.dismiss(None)


def quantite_et_montant(ligne: LigneDemandeTic) -> str:
    """« 1 234,56 l à 14,96 €/hl = 184,69 € »."""
    return (
        f"{en_francais(ligne.quantite)} {ligne.unite} à {taux_tic(ligne.taux, ligne.produit)} "
        f"= {euros(ligne.montant)}"
    )
