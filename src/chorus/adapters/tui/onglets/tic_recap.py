"""Step 4 of a demande TIC/TICGN: the récapitulatif with its total and « Envoyer » (after a
confirmation: once sent, a demande can no longer be changed); then what sending gave — the
number, the certificate's sentence, « Exporter en pdf » and « Fermer »."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from chorus.adapters.tui.affichage import euros, instant
from chorus.adapters.tui.formulaires import ErreurGenerale, effacer_erreurs, montrer_erreur
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.onglets.tic_commun import EtapeTic, PublierTic
from chorus.adapters.tui.widgets.detail_demande_tic import DetailDemandeTic
from chorus.adapters.tui.widgets.documents import telecharger
from chorus.adapters.tui.widgets.modales import Confirmation
from chorus.domain.errors import DomainError
from chorus.domain.tic.demande import DemandeTic

AVERTISSEMENT_ENVOI = "Une fois envoyée, la demande n'est plus modifiable."


def question_envoi(demande: DemandeTic) -> str:
    lignes = len(demande.lignes)
    return (
        f"Envoyer la demande n°{demande.numero} ({lignes} ligne{'s' if lignes > 1 else ''}, "
        f"livraisons de {demande.annee}) d'un montant total de {euros(demande.montant_total)} "
        f"au service instructeur ?\n\nAttention : une fois envoyée, la demande n'est plus "
        "modifiable ! Une demande rejetée se corrige en la dupliquant."
    )


class EtapeRecapitulatifTic(EtapeTic):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f7", "envoyer", "Envoyer")]
    DEFAULT_CSS = """
    EtapeRecapitulatifTic #form-envoi-tic { height: auto; margin-top: 1; }
    EtapeRecapitulatifTic #recap-tic-total {
        height: auto; border: round $primary; padding: 0 1; text-style: bold;
    }
    """

    def __init__(
        self,
        publier: PublierTic,
        *,
        id: str,
        envoyee: Callable[[DemandeTic], None],
        refusee: Callable[[DomainError], None],
    ) -> None:
        super().__init__(publier, id=id)
        self._envoyee = envoyee
        self._refusee = refusee

    def compose(self) -> ComposeResult:
        yield Static("Récapitulatif", classes="titre")
        yield DetailDemandeTic(historique=False, id="recap-tic")
        yield Static("", id="recap-tic-total")
        with Vertical(id="form-envoi-tic"):
            yield Static(
                f"{AVERTISSEMENT_ENVOI} Le RIB de la coordonnée bancaire choisie y est joint et "
                "un certificat de dépôt est délivré.",
                classes="aide",
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Envoyer", id="envoyer-tic", variant="success")

    def premier_champ(self) -> Widget | None:
        return self.query_one("#envoyer-tic", Button)

    def rafraichir(self) -> None:
        demande = self.demande
        if demande is None:
            return
        self.query_one(DetailDemandeTic).afficher(demande, self.structure)
        avance = demande.montant_avance
        self.query_one("#recap-tic-total", Static).update(
            f"Montant total demandé : {euros(demande.montant_total)}"
            + (f"   ·   dont avance demandée : {euros(avance)}" if avance is not None else "")
        )

    @on(Button.Pressed, "#envoyer-tic")
    def action_envoyer(self) -> None:
        self._envoyer()

    @work(exclusive=True, group="envoi-tic")
    async def _envoyer(self) -> None:
        demande = self.demande
        if demande is None:
            return
        if not await self.app.push_screen_wait(
            Confirmation(question_envoi(demande), oui="Envoyer", non="Annuler")
        ):
            return
        app = chorus(self)
        formulaire = self.query_one("#form-envoi-tic", Vertical)
        try:
            envoyee = await app.appeler(
                app.services.tic.envoyer,
                app.utilisateur_id,
                demande.id,
                version_attendue=demande.version,
            )
        except DomainError as erreur:
            montrer_erreur(formulaire, erreur)
            self._refusee(erreur)
            return
        effacer_erreurs(formulaire)
        self.publier(envoyee)
        self._envoyee(envoyee)


class ResultatEnvoiTic(VerticalScroll):
    """What the portal shows once a demande is sent: its number, the certificate's sentence,
    « Exporter en pdf » (strongly advised: the proof of sending) and « Fermer »."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+p", "exporter", "Exporter en pdf"),
        Binding("f8", "voir", "Voir la demande"),
    ]
    DEFAULT_CSS = """
    ResultatEnvoiTic { height: 1fr; padding: 0 1; }
    ResultatEnvoiTic #resultat-tic-texte { margin: 1 0; text-style: bold; }
    """

    def __init__(self, fermer: Callable[[], None], *, id: str) -> None:
        super().__init__(id=id)
        self._fermer = fermer
        self.demande: DemandeTic | None = None

    def compose(self) -> ComposeResult:
        yield Static("Demande envoyée", classes="titre succes")
        yield Static("", id="resultat-tic-numero", markup=False)
        yield Static("", id="resultat-tic-texte", markup=False)
        yield Static(
            "Il est fortement recommandé d'enregistrer le certificat de dépôt pour avoir une "
            "preuve de l'envoi en cas de recours.",
            classes="aide",
        )
        with Vertical(id="resultat-tic-actions"):
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Exporter en pdf", id="exporter-pdf-tic", variant="primary")
                yield Button("Voir la demande", id="voir-demande-tic")
                yield Button("Fermer", id="fermer-tic")

    def montrer(self, demande: DemandeTic) -> None:
        self.demande = demande
        certificat = demande.certificat
        assert certificat is not None  # a sent demande always has its certificate
        self.query_one("#resultat-tic-numero", Static).update(
            f"Numéro de la demande : {demande.numero}   ·   "
            f"Date de dépôt : {instant(certificat.date_depot)}   ·   "
            f"Montant total : {euros(certificat.montant_total)}\n"
            f"Empreinte du certificat de dépôt : {certificat.empreinte}"
        )
        self.query_one("#resultat-tic-texte", Static).update(certificat.texte)

    def premier_champ(self) -> Widget | None:
        return self.query_one("#exporter-pdf-tic", Button)

    @on(Button.Pressed, "#exporter-pdf-tic")
    def action_exporter(self) -> None:
        self._exporter()

    @work(exclusive=True, group="export-tic")
    async def _exporter(self) -> None:
        demande = self.demande
        if demande is None:
            return
        app = chorus(self)
        zone = self.query_one("#resultat-tic-actions", Vertical)
        await telecharger(
            self,
            partial(app.services.tic.certificat_depot, app.utilisateur_id, demande.id),
            partial(montrer_erreur, zone),
        )

    @on(Button.Pressed, "#voir-demande-tic")
    def action_voir(self) -> None:
        from chorus.adapters.tui.ecrans.demande_tic import EcranDemandeTic

        if self.demande is not None:
            self.app.switch_screen(EcranDemandeTic(self.demande.id))

    @on(Button.Pressed, "#fermer-tic")
    def _bouton_fermer(self) -> None:
        self._fermer()
