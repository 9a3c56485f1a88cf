"""Step 4 of « Saisir mémoire »: the récapitulatif, the attestation sur l'honneur and
« Valider et envoyer »; then what sending gave (number, empreinte, certificate's words)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, DataTable, Static

from chorus.adapters.tui.affichage import euros, instant
from chorus.adapters.tui.ecrans.envoi import ConfirmationEnvoi
from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import (
    COLONNES_PIECES,
    Etape,
    Publier,
    TableAColonnes,
    TableauLignes,
    court,
    taille,
    taux,
)
from chorus.domain.errors import DomainError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure

ATTESTATION = (
    "En validant le présent mémoire, j'en atteste sur l'honneur la sincérité en ce qui "
    "concerne les informations saisies."
)


class EtapeRecapitulatif(Etape):
    """Everything the draft holds, its totals, and the sending."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "envoyer", "Valider et envoyer"),
    ]
    DEFAULT_CSS = """
    EtapeRecapitulatif #recap-entete { height: auto; }
    EtapeRecapitulatif DataTable { height: auto; max-height: 20; }
    EtapeRecapitulatif #recap-totaux { height: auto; border: round $primary; padding: 0 1; }
    EtapeRecapitulatif #form-envoi { height: auto; margin-top: 1; }
    """

    def __init__(
        self,
        publier: Publier,
        *,
        id: str,
        envoye: Callable[[Memoire], None],
        en_erreur: Callable[[DomainError], None],
    ) -> None:
        super().__init__(publier, id=id)
        self._envoye = envoye
        self._en_erreur = en_erreur

    def compose(self) -> ComposeResult:
        yield Static("Récapitulatif", classes="titre")
        yield Static("EN-TÊTE", classes="sous-titre")
        yield Static("", id="recap-entete", markup=False)
        yield Static("LIGNES DE PRESTATION", classes="sous-titre")
        yield TableauLignes(id="recap-lignes")
        yield Static("RÉCAPITULATIF TVA", classes="sous-titre")
        yield TableAColonnes("Taux", "Base HT", "Montant TVA", id="recap-tva", curseur=False)
        yield Static("PIÈCES JOINTES", classes="sous-titre")
        yield TableAColonnes(*COLONNES_PIECES, id="recap-pieces", curseur=False)
        yield Static(
            "Le RIB des coordonnées bancaires choisies sera joint automatiquement à l'envoi.",
            classes="aide",
        )
        yield Static("MONTANTS TOTAUX", classes="sous-titre")
        yield Static("", id="recap-totaux")
        with Vertical(id="form-envoi"):
            yield Champ(
                "Attestation sur l'honneur",
                "attestation_sur_honneur",
                Checkbox(ATTESTATION),
                obligatoire=True,
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Valider et envoyer", id="valider-envoyer", variant="success")

    def premier_champ(self) -> Widget | None:
        return self.query_one(f"#{id_champ('attestation_sur_honneur')}", Checkbox)

    async def vider(self) -> None:
        self.query_one(f"#{id_champ('attestation_sur_honneur')}", Checkbox).value = False
        effacer_erreurs(self)

    def rafraichir(self) -> None:
        memoire = self.memoire
        self.query_one(TableauLignes).montrer(memoire.lignes if memoire else ())
        self.query_one("#recap-entete", Static).update(
            self._entete(memoire, self.structure) if memoire else ""
        )
        tva = self.query_one("#recap-tva", DataTable)
        tva.clear()
        pieces = self.query_one("#recap-pieces", DataTable)
        pieces.clear()
        totaux = self.query_one("#recap-totaux", Static)
        if memoire is None:
            totaux.update("")
            return
        for recap in memoire.totaux.recapitulatif_tva:
            tva.add_row(taux(recap.taux), euros(recap.base_ht), euros(recap.montant_tva))
        for piece in memoire.pieces:
            pieces.add_row(
                court(piece.type_piece.libelle, 30),
                court(piece.designation, 40),
                court(piece.nom_fichier, 40),
                f"n°{piece.numero_ligne}" if piece.numero_ligne is not None else "mémoire",
                taille(piece.taille),
                piece.sha256[:12] + "…",
            )
        t = memoire.totaux
        totaux.update(
            f"Montant HT : {euros(t.montant_ht)}\n"
            f"Montant TVA : {euros(t.montant_tva)}\n"
            f"Débours : {euros(t.montant_debours)}\n"
            f"Montant TTC avant remise globale : {euros(t.montant_ttc)}\n"
            f"Remise globale TTC : {euros(t.remise_globale_ttc)}\n"
            f"Net à payer : {euros(t.net_a_payer)}"
        )

    def _entete(self, memoire: Memoire, structure: Structure | None) -> str:
        referentiels = chorus(self).services.referentiels
        entete = memoire.entete
        juridiction = referentiels.juridiction(entete.juridiction_code)
        texte = referentiels.texte_reference(entete.texte_reference)
        categorie = (
            referentiels.categorie_prestataire(entete.categorie_prestataire)
            if entete.categorie_prestataire
            else None
        )
        service = "aucun"
        coordonnee = "non renseignée — à choisir à l'étape En-tête"
        raison_sociale = ""
        if structure is not None:
            raison_sociale = (
                f"{structure.raison_sociale} "
                f"({structure.type_identifiant.value} {structure.identifiant})"
            )
            for s in structure.services:
                if s.id == entete.service_id:
                    service = f"{s.code} — {s.libelle}"
            for c in structure.coordonnees_bancaires:
                if c.id == entete.coordonnee_bancaire_id:
                    coordonnee = f"{c.libelle} — {c.iban_masque} — BIC {c.bic}"
        lignes = [
            f"Numéro du mémoire : {memoire.numero}   ·   État : {memoire.statut.libelle}",
            f"Juridiction : {entete.juridiction_code}"
            + (f" — {juridiction.nom}" if juridiction else ""),
            f"Structure : {raison_sociale}",
            f"Service : {service}",
            f"Coordonnée bancaire : {coordonnee}",
            "Catégorie de prestataire : "
            + (
                categorie.libelle if categorie else entete.categorie_prestataire or "non renseignée"
            ),
            f"Devise : {entete.devise}",
            f"Texte de référence : {entete.texte_reference}"
            + (f" — {texte.libelle}" if texte else ""),
            f"Type de TVA : {entete.type_tva.libelle}"
            + (f" — {entete.mention_tva}" if entete.mention_tva else ""),
            f"Numéro de facture : {entete.numero_facture or '—'}   ·   "
            f"Numéro d'engagement juridique : {entete.numero_engagement_juridique or '—'}",
            f"Commentaire : {entete.commentaire or '—'}",
        ]
        return "\n".join(lignes)

    # -- sending -------------------------------------------------------------------------

    async def action_envoyer(self) -> None:
        memoire = self.memoire
        if memoire is None:
            return
        atteste = self.query_one(f"#{id_champ('attestation_sur_honneur')}", Checkbox).value
        if not atteste:
            # The use case is the one to refuse a sending without the attestation: its words
            # are shown under the checkbox, nothing is asked or changed.
            await self._envoyer(memoire, atteste=False)
            return
        juridiction = chorus(self).services.referentiels.juridiction(
            memoire.entete.juridiction_code
        )
        self.app.push_screen(
            ConfirmationEnvoi(
                memoire.numero,
                memoire.totaux.net_a_payer,
                juridiction.nom if juridiction else memoire.entete.juridiction_code,
            ),
            self._confirmation,
        )

    async def _confirmation(self, confirme: bool | None) -> None:
        if confirme and self.memoire is not None:
            await self._envoyer(self.memoire, atteste=True)

    async def _envoyer(self, memoire: Memoire, *, atteste: bool) -> None:
        app = chorus(self)
        memoires = app.services.memoires
        utilisateur = app.utilisateur_id
        formulaire = self.query_one("#form-envoi", Vertical)
        try:
            envoye = await app.appeler(
                memoires.envoyer,
                utilisateur,
                memoire.id,
                attestation_sur_honneur=atteste,
                version_attendue=memoire.version,
            )
        except DomainError as erreur:
            montrer_erreur(formulaire, erreur)
            self._en_erreur(erreur)
            return
        effacer_erreurs(formulaire)
        self.publier(envoye)
        self._envoye(envoye)

    @on(Button.Pressed, "#valider-envoyer")
    async def _valider_et_envoyer(self) -> None:
        await self.action_envoyer()


class ResultatEnvoi(VerticalScroll):
    """What the portal shows once a mémoire is sent: its definitive number, the certificate's
    empreinte and sentence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f7", "nouveau", "Saisir un nouveau mémoire"),
        Binding("f8", "voir", "Voir le mémoire"),
    ]
    DEFAULT_CSS = """
    ResultatEnvoi { height: 1fr; padding: 0 1; }
    ResultatEnvoi #resultat-texte { margin: 1 0; text-style: bold; }
    """

    def __init__(self, nouveau: Callable[[], None], *, id: str) -> None:
        super().__init__(id=id)
        self._nouveau = nouveau
        self._memoire_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Mémoire envoyé", classes="titre succes")
        yield Static("", id="resultat-numero", markup=False)
        yield Static("", id="resultat-certificat", markup=False)
        yield Static("", id="resultat-empreinte", markup=False)
        yield Static("", id="resultat-texte", markup=False)
        yield Static(
            "Le certificat de dépôt reste consultable avec le mémoire pendant 10 ans : "
            "conservez-le comme preuve de dépôt à toutes fins utiles.",
            classes="aide",
        )
        with Horizontal(classes="barre-actions"):
            yield Button("Saisir un nouveau mémoire", id="nouveau-memoire", variant="primary")
            yield Button("Voir le mémoire", id="voir-memoire")

    def montrer(self, memoire: Memoire) -> None:
        self._memoire_id = memoire.id
        certificat = memoire.certificat
        assert certificat is not None  # a sent mémoire always has its certificate
        self.query_one("#resultat-numero", Static).update(
            f"Numéro du mémoire : {memoire.numero}   ·   "
            f"Numéro provisoire : {memoire.numero_brouillon or '—'}   ·   "
            f"Date de dépôt : {instant(certificat.date_depot)}"
        )
        self.query_one("#resultat-certificat", Static).update(
            f"Prestataire : {certificat.prestataire}\n"
            f"Montant HT après remise globale : {euros(certificat.montant_ht_apres_remise)}\n"
            f"Montant TVA : {euros(certificat.montant_tva)}\n"
            f"Montant remise globale TTC : {euros(certificat.remise_globale_ttc)}\n"
            f"Montant TTC avant remise globale : {euros(certificat.montant_ttc_avant_remise)}"
        )
        self.query_one("#resultat-empreinte", Static).update(
            f"Empreinte du certificat de dépôt : {certificat.empreinte}"
        )
        self.query_one("#resultat-texte", Static).update(certificat.texte)

    def premier_champ(self) -> Widget | None:
        return self.query_one("#nouveau-memoire", Button)

    def action_nouveau(self) -> None:
        self._nouveau()

    def action_voir(self) -> None:
        if self._memoire_id is not None:
            chorus(self).ouvrir_memoire(self._memoire_id)

    @on(Button.Pressed, "#nouveau-memoire")
    def _bouton_nouveau(self) -> None:
        self.action_nouveau()

    @on(Button.Pressed, "#voir-memoire")
    def _bouton_voir(self) -> None:
        self.action_voir()
