"""Step 1 of a demande TIC/TICGN: the en-tête (structure, coordonnée bancaire, année of the
deliveries, attestation de non-difficulté, avance, type de bénéficiaire); « Enregistrer »
creates the draft or saves it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Select, Static

from chorus.adapters.tui.formulaires import (
    Champ,
    ErreurGenerale,
    effacer_erreurs,
    id_champ,
    montrer_erreur,
)
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.saisie_commun import choisir, valeur_choisie
from chorus.adapters.tui.onglets.tic_commun import EtapeTic, PublierTic
from chorus.adapters.tui.widgets.detail_demande_tic import decimal_francais, libelle_structure
from chorus.domain.errors import ValidationError
from chorus.domain.organisation import Structure
from chorus.domain.tic.demande import ANNEES_DE_DEPOT, ATTESTATION_NON_DIFFICULTE, DemandeTic
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.services.tic import SaisieEnTeteTic


def annees_possibles(annee_en_cours: int) -> list[int]:
    """The delivery years a demande may be filed for this year: the last three, newest
    first (year N is claimed from N+1 until 31 December N+3)."""
    return [annee_en_cours - ecart for ecart in range(1, ANNEES_DE_DEPOT + 1)]


class EtapeEnTeteTic(EtapeTic):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "enregistrer", "Enregistrer l'en-tête"),
    ]
    DEFAULT_CSS = """
    EtapeEnTeteTic #tic-entete-aide { margin: 0 0 1 0; }
    EtapeEnTeteTic Checkbox { width: 1fr; height: auto; }
    EtapeEnTeteTic #bloc-avance { height: auto; }
    """

    def __init__(self, publier: PublierTic, *, id: str, enregistre: Callable[[], None]) -> None:
        super().__init__(publier, id=id)
        self._enregistre = enregistre
        """What follows a save by the step's own button or key: the lines' step."""
        self.structures: list[Structure] = []
        self._taux_avance: Decimal | None = None

    def compose(self) -> ComposeResult:
        app = chorus(self)
        annee = app.services.clock.aujourdhui().year
        yield Static("En-tête de la demande", classes="titre")
        yield Static(
            f"Les livraisons d'une année N se déclarent à partir de la campagne N+1 et "
            f"jusqu'au 31 décembre N+{ANNEES_DE_DEPOT} ; une seule demande par structure et "
            "par année, sauf après un rejet.",
            id="tic-entete-aide",
            classes="aide",
        )
        with Grid(classes="grille"):
            yield Champ(
                "Structure (SIRET)",
                "structure_id",
                Select[str]([], prompt="Sélectionner une structure"),
                obligatoire=True,
            )
            yield Champ(
                "Coordonnée bancaire",
                "coordonnee_bancaire_id",
                Select[str]([], prompt="Sélectionner une coordonnée bancaire"),
                obligatoire=True,
            )
            yield Champ(
                "Année des livraisons",
                "annee",
                Select[str](
                    [(str(a), str(a)) for a in annees_possibles(annee)],
                    prompt="Sélectionner l'année",
                ),
                obligatoire=True,
            )
            yield Champ(
                "Type de bénéficiaire",
                "type_beneficiaire",
                Select[str](
                    [(t.libelle, t.value) for t in TypeBeneficiaire],
                    allow_blank=False,
                    value=TypeBeneficiaire.EXPLOITANT_AGRICOLE.value,
                ),
                obligatoire=True,
            )
        yield Champ(
            "Attestation sur l'honneur",
            "attestation_non_difficulte",
            Checkbox(ATTESTATION_NON_DIFFICULTE),
            obligatoire=True,
        )
        with Vertical(id="bloc-avance"):
            yield Champ("Avance", "avance", Checkbox("Demander une avance sur le remboursement"))
        yield ErreurGenerale()
        with Horizontal(classes="barre-actions"):
            yield Button("Enregistrer", id="entete-tic-enregistrer", variant="primary")

    def premier_champ(self) -> Widget | None:
        select = self.choix("structure_id")
        return self.choix("coordonnee_bancaire_id") if select.disabled else select

    # -- filling the form ----------------------------------------------------------------

    def preparer(
        self,
        structures: Sequence[Structure],
        structure: Structure | None,
        taux_avance: Decimal | None,
    ) -> None:
        """Offer the structures that may file (the TIC espace opened) and the avance when
        the campaign has one."""
        self.structures = list(structures)
        self.structure = structure
        self._taux_avance = taux_avance
        select = self.choix("structure_id")
        select.set_options((libelle_structure(s), s.id) for s in structures)
        choisir(select, structure.id if structure else None)
        self._coordonnees()
        avance = self.query_one("#bloc-avance")
        avance.display = taux_avance is not None
        if taux_avance is not None:
            self.query_one(f"#{id_champ('avance')}", Checkbox).label = (
                "Demander une avance sur le remboursement "
                f"({decimal_francais((taux_avance * 100).normalize())} % du montant demandé)"
            )

    def _coordonnees(self) -> None:
        select = self.choix("coordonnee_bancaire_id")
        actuelle = valeur_choisie(select)
        coordonnees = self.structure.coordonnees_bancaires if self.structure else ()
        select.set_options((f"{c.libelle} — {c.iban_masque}", c.id) for c in coordonnees)
        # With a single account there is nothing to choose: propose it.
        choisir(select, actuelle or (coordonnees[0].id if len(coordonnees) == 1 else None))

    def remplir(self, demande: DemandeTic | None) -> None:
        """The draft's en-tête in the form (a blank one for a new demande); the structure of
        a draft cannot change."""
        self.query_one(f"#{id_champ('structure_id')}", Select).disabled = demande is not None
        attestation = self.query_one(f"#{id_champ('attestation_non_difficulte')}", Checkbox)
        avance = self.query_one(f"#{id_champ('avance')}", Checkbox)
        if demande is None:
            self._proposer_annees(None)
            choisir(self.choix("annee"), None)
            choisir(self.choix("type_beneficiaire"), TypeBeneficiaire.EXPLOITANT_AGRICOLE.value)
            attestation.value = False
            avance.value = False
        else:
            entete = demande.entete
            choisir(self.choix("structure_id"), entete.structure_id)
            choisir(self.choix("coordonnee_bancaire_id"), entete.coordonnee_bancaire_id)
            # A draft of a year no longer offered shows it still: the use case says why it
            # cannot be saved as it is.
            self._proposer_annees(entete.annee)
            choisir(self.choix("annee"), str(entete.annee))
            choisir(self.choix("type_beneficiaire"), entete.type_beneficiaire.value)
            attestation.value = entete.attestation_non_difficulte
            avance.value = entete.avance
        effacer_erreurs(self)

    def _proposer_annees(self, annee: int | None) -> None:
        possibles = set(annees_possibles(chorus(self).services.clock.aujourdhui().year))
        if annee is not None:
            possibles.add(annee)
        self.choix("annee").set_options((str(a), str(a)) for a in sorted(possibles, reverse=True))

    @on(Select.Changed, "#champ-structure_id")
    def _structure_changee(self, evenement: Select.Changed) -> None:
        choisie = evenement.value
        for structure in self.structures:
            if structure.id == choisie and structure is not self.structure:
                self.structure = structure
                self._coordonnees()

    # -- saving --------------------------------------------------------------------------

    def saisie(self) -> SaisieEnTeteTic:
        annee = valeur_choisie(self.choix("annee"))
        return SaisieEnTeteTic(
            structure_id=valeur_choisie(self.choix("structure_id")) or "",
            annee=int(annee) if annee is not None else None,
            coordonnee_bancaire_id=valeur_choisie(self.choix("coordonnee_bancaire_id")),
            attestation_non_difficulte=self.query_one(
                f"#{id_champ('attestation_non_difficulte')}", Checkbox
            ).value,
            avance=self._taux_avance is not None
            and self.query_one(f"#{id_champ('avance')}", Checkbox).value,
            type_beneficiaire=TypeBeneficiaire(
                valeur_choisie(self.choix("type_beneficiaire"))
                or TypeBeneficiaire.EXPLOITANT_AGRICOLE.value
            ),
        )

    async def enregistrer(self) -> bool:
        """Create the draft, or save its en-tête against the version last read; True when
        stored."""
        app = chorus(self)
        saisie = self.saisie()
        if not saisie.structure_id:
            montrer_erreur(
                self,
                ValidationError(
                    "Choisissez la structure pour laquelle la demande est déposée.",
                    champ="structure_id",
                ),
            )
            return False
        tic = app.services.tic
        utilisateur = app.utilisateur_id
        demande = self.demande
        if demande is None:
            enregistree = await self.tenter(self, lambda: tic.creer(utilisateur, saisie))
        else:
            enregistree = await self.tenter(
                self,
                lambda: tic.modifier_entete(
                    utilisateur, demande.id, saisie, version_attendue=demande.version
                ),
            )
        if enregistree is None:
            return False
        self.publier(enregistree)
        self.notify(
            f"Demande n°{enregistree.numero} créée en brouillon."
            if demande is None
            else f"En-tête de la demande n°{enregistree.numero} enregistré."
        )
        return True

    @on(Button.Pressed, "#entete-tic-enregistrer")
    async def action_enregistrer(self) -> None:
        if await self.enregistrer():
            self._enregistre()
