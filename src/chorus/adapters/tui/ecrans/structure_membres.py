"""The tabs of the structure screen about its people: the rattachements a gestionnaire
decides and ends, and the habilitations they grant. A member who is not gestionnaire sees
only their own rattachement and habilitations, as the API shows them (``GET /moi``)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Select, Static

from chorus.adapters.tui.affichage import jour
from chorus.adapters.tui.ecrans.structure_communs import (
    OPTIONS_APPLICATION,
    OPTIONS_PROFIL,
    PROFILS,
    STATUTS_RATTACHEMENT,
    TablePaginee,
    confirmer,
    element_choisi,
    libelle_habilitation,
    oui_non,
)
from chorus.adapters.tui.ecrans.structure_onglets import (
    EtatStructure,
    OngletStructure,
    choix,
    remplir_choix,
)
from chorus.adapters.tui.formulaires import Champ, ErreurGenerale, id_erreur
from chorus.adapters.tui.noyau import chorus
from chorus.domain.errors import ValidationError
from chorus.domain.organisation import (
    Application,
    Habilitation,
    Profil,
    Rattachement,
    StatutRattachement,
    Structure,
)

# -- Utilisateurs et rattachements -----------------------------------------------------


def _ordre(rattachement: Rattachement) -> int:
    # Requests waiting for a decision first, then members, then the past.
    return list(STATUTS_RATTACHEMENT).index(rattachement.statut)


class OngletUtilisateurs(OngletStructure):
    BINDINGS = [
        Binding("ctrl+o", "valider", "Valider"),
        Binding("ctrl+b", "refuser", "Refuser"),
        Binding("ctrl+g", "gestionnaire", "Gestionnaire"),
        Binding("ctrl+r", "detacher", "Détacher"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "La gestion des utilisateurs et des rattachements est réservée au gestionnaire de "
            "la structure.",
            classes="lecture-seule",
        )
        yield Static("", id="mon-rattachement", classes="aide")
        with Vertical(id="gestion-utilisateurs", classes="gestion-seule"):
            yield Static("", id="aide-rattachement", classes="aide")
            yield TablePaginee(
                [
                    "Utilisateur",
                    "Adresse électronique",
                    "Statut",
                    "Gestionnaire",
                    "Demande",
                    "Décision",
                ],
                vide="Aucun utilisateur.",
                id="table-utilisateurs",
            )
            yield ErreurGenerale()
            with Horizontal(classes="barre-actions"):
                yield Button("Valider la demande", id="valider-rattachement", variant="success")
                yield Button("Refuser la demande", id="refuser-rattachement", variant="warning")
                yield Button("Nommer gestionnaire", id="basculer-gestionnaire")
                yield Button("Détacher", id="detacher-membre", variant="error")

    def montrer(self, etat: EtatStructure) -> None:
        s = etat.structure
        moi = s.rattachement_de(etat.utilisateur_id)
        if moi is not None:
            role = "gestionnaire" if moi.gestionnaire else "membre"
            self.query_one("#mon-rattachement", Static).update(
                f"Vous êtes {role} de la structure depuis le {jour(moi.date_decision)}."
            )
        if not etat.gestion:
            return
        self.query_one("#aide-rattachement", Static).update(
            "Pour rejoindre la structure, un utilisateur demande son rattachement avec "
            f"l'identifiant Chorus {s.id} ; validé, il n'a encore aucune habilitation : "
            "accordez-la dans l'onglet Habilitations."
        )
        lignes = []
        for r in sorted(s.rattachements, key=_ordre):
            nom = etat.nom(r.utilisateur_id) + (" (jeton d'API)" if r.technique else "")
            lignes.append(
                (
                    r.id,
                    (
                        nom,
                        etat.email(r.utilisateur_id),
                        STATUTS_RATTACHEMENT[r.statut],
                        oui_non(r.gestionnaire),
                        jour(r.date_demande),
                        jour(r.date_decision),
                    ),
                )
            )
        self.query_one("#table-utilisateurs", TablePaginee).definir(lignes)
        self._suivre_selection()

    @on(DataTable.RowHighlighted)
    def _suivre_selection(self) -> None:
        rattachement = self._selection(avertir=False)
        en_attente = (
            rattachement is not None
            and rattachement.statut is StatutRattachement.EN_COURS_DE_VALIDATION
        )
        membre = rattachement is not None and rattachement.statut is StatutRattachement.VALIDEE
        self.query_one("#valider-rattachement", Button).disabled = not en_attente
        self.query_one("#refuser-rattachement", Button).disabled = not en_attente
        self.query_one("#detacher-membre", Button).disabled = not membre
        bascule = self.query_one("#basculer-gestionnaire", Button)
        bascule.disabled = not membre
        bascule.label = (
            "Retirer le rôle de gestionnaire"
            if rattachement is not None and rattachement.gestionnaire
            else "Nommer gestionnaire"
        )

    def _selection(self, *, avertir: bool = True) -> Rattachement | None:
        if self.etat is None:
            return None
        return element_choisi(
            self,
            "#table-utilisateurs",
            self.etat.structure.rattachements,
            "Choisissez d'abord un utilisateur dans la liste." if avertir else None,
        )

    async def _agir(
        self, appel: Callable[[Structure, Rattachement], Structure], succes: str
    ) -> None:
        etat = self.exiger_modification()
        rattachement = self._selection() if etat is not None else None
        if etat is None or rattachement is None:
            return
        await self.appliquer(
            self.query_one("#gestion-utilisateurs", Vertical),
            succes.format(nom=etat.nom(rattachement.utilisateur_id)),
            appel,
            etat.structure,
            rattachement,
        )

    @on(Button.Pressed, "#valider-rattachement")
    async def action_valider(self) -> None:
        app = chorus(self)
        await self._agir(
            lambda s, r: app.services.structures.valider_rattachement(
                app.utilisateur_id, s.id, r.id
            ),
            "Le rattachement de {nom} est validé : accordez-lui ses habilitations.",
        )

    @on(Button.Pressed, "#refuser-rattachement")
    async def action_refuser(self) -> None:
        app = chorus(self)
        await self._agir(
            lambda s, r: app.services.structures.refuser_rattachement(
                app.utilisateur_id, s.id, r.id
            ),
            "La demande de rattachement de {nom} est refusée.",
        )

    @on(Button.Pressed, "#basculer-gestionnaire")
    async def action_gestionnaire(self) -> None:
        app = chorus(self)
        cible = self._selection(avertir=False)
        nommer = cible is None or not cible.gestionnaire
        await self._agir(
            lambda s, r: app.services.structures.definir_gestionnaire(
                app.utilisateur_id, s.id, r.utilisateur_id, gestionnaire=nommer
            ),
            "{nom} est désormais gestionnaire de la structure."
            if nommer
            else "{nom} n'est plus gestionnaire de la structure.",
        )

    @on(Button.Pressed, "#detacher-membre")
    async def action_detacher(self) -> None:
        etat = self.exiger_modification()
        rattachement = self._selection() if etat is not None else None
        if etat is None or rattachement is None:
            return
        app = chorus(self)

        async def detacher() -> None:
            conteneur = self.query_one("#gestion-utilisateurs", Vertical)
            resultat = await app.tenter(
                conteneur,
                app.services.structures.detacher_rattachement,
                app.utilisateur_id,
                etat.structure.id,
                rattachement.id,
            )
            if resultat is None:
                return
            session = app.session
            if session is not None and rattachement.utilisateur_id == app.utilisateur_id:
                # Leaving the structure one acts for: there is none to act for any more.
                session.structure_id = None
            self.notify(f"{etat.nom(rattachement.utilisateur_id)} est détaché de la structure.")
            await self.recharger()

        confirmer(
            self,
            f"Détacher {etat.nom(rattachement.utilisateur_id)} de la structure ? Ses "
            "habilitations disparaissent ; il pourra demander de nouveau son rattachement.",
            "Détacher",
            detacher,
        )


# -- Habilitations ---------------------------------------------------------------------


class OngletHabilitations(OngletStructure):
    BINDINGS = [
        Binding("ctrl+n", "accorder", "Accorder"),
        Binding("ctrl+r", "retirer", "Retirer"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "La gestion des habilitations est réservée au gestionnaire de la structure ; "
            "voici les vôtres.",
            classes="lecture-seule",
        )
        with Horizontal(classes="colonnes"):
            with Vertical(id="liste-habilitations", classes="liste"):
                yield Static("", id="titre-habilitations", classes="sous-titre")
                yield TablePaginee(
                    ["Utilisateur", "Application", "Profil", "Service"],
                    vide="Aucune habilitation.",
                    id="table-habilitations",
                )
                yield Static("", id=id_erreur("habilitation_id"), classes="erreur")
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions gestion-seule"):
                    yield Button(
                        "Retirer l'habilitation", id="retirer-habilitation", variant="error"
                    )
            with Vertical(id="form-habilitation", classes="formulaire gestion-seule"):
                yield Static("Ajouter des habilitations", classes="titre")
                yield Champ(
                    "Utilisateur (la liste montre ses habilitations)",
                    "utilisateur_id",
                    Select[str]([], prompt="Tous les membres"),
                    obligatoire=True,
                )
                yield Champ(
                    "Application",
                    "application",
                    Select(
                        OPTIONS_APPLICATION,
                        allow_blank=False,
                        value=Application.FRAIS_DE_JUSTICE.value,
                    ),
                    obligatoire=True,
                )
                yield Champ(
                    "Profil",
                    "profil",
                    Select(OPTIONS_PROFIL, allow_blank=False, value=Profil.MODIFICATION.value),
                    obligatoire=True,
                )
                yield Champ(
                    "Service",
                    "service_id",
                    Select([("Toute la structure", "")], allow_blank=False, value=""),
                )
                yield Static(
                    "Accorder de nouveau pour la même application et le même service remplace "
                    "le profil.",
                    classes="aide",
                )
                yield ErreurGenerale()
                with Horizontal(classes="barre-actions"):
                    yield Button("Accorder", id="accorder-habilitation", variant="primary")

    def montrer(self, etat: EtatStructure) -> None:
        s = etat.structure
        formulaire = self.query_one("#form-habilitation")
        if etat.gestion:
            membres = [r for r in s.rattachements if r.statut is StatutRattachement.VALIDEE]
            remplir_choix(
                formulaire,
                "utilisateur_id",
                [(etat.nom(r.utilisateur_id), r.utilisateur_id) for r in membres],
            )
            remplir_choix(
                formulaire,
                "service_id",
                [("Toute la structure", "")]
                + [(f"{v.code} – {v.libelle}", v.id) for v in s.services if v.actif],
                defaut="",
            )
        self._lister()

    @on(Select.Changed, "#champ-utilisateur_id")
    def _membre_choisi(self) -> None:
        self._lister()

    def _lister(self) -> None:
        etat = self.etat
        if etat is None:
            return
        s = etat.structure
        if etat.gestion:
            membre = choix(self.query_one("#form-habilitation"), "utilisateur_id")
            habilitations = [h for h in s.habilitations if membre in (None, h.utilisateur_id)]
            titre = (
                f"Habilitations de {etat.nom(membre)}"
                if membre
                else "Habilitations accordées dans la structure"
            )
        else:
            habilitations = list(s.habilitations_de(etat.utilisateur_id))
            titre = "Mes habilitations"
        self.query_one("#titre-habilitations", Static).update(titre)
        self.query_one("#table-habilitations", TablePaginee).definir(
            [
                (
                    h.id,
                    (
                        etat.nom(h.utilisateur_id),
                        h.application.libelle,
                        PROFILS[h.profil].capitalize(),
                        etat.libelle_service(h.service_id),
                    ),
                )
                for h in sorted(habilitations, key=lambda h: (etat.nom(h.utilisateur_id), h.id))
            ]
        )

    @on(Button.Pressed, "#accorder-habilitation")
    async def action_accorder(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        app = chorus(self)
        formulaire = self.query_one("#form-habilitation", Vertical)
        service = app.services.structures
        membre = choix(formulaire, "utilisateur_id")
        application = choix(formulaire, "application")
        profil = choix(formulaire, "profil")
        service_id = choix(formulaire, "service_id")

        def accorder() -> Habilitation:
            if membre is None:
                raise ValidationError(
                    "Choisissez l'utilisateur à habiliter.", champ="utilisateur_id"
                )
            if application is None or profil is None:
                raise ValidationError("Choisissez l'application et le profil.", champ="profil")
            return service.accorder_habilitation(
                app.utilisateur_id,
                etat.structure.id,
                utilisateur_id=membre,
                application=Application(application),
                profil=Profil(profil),
                service_id=service_id,
            )

        habilitation = await app.tenter(formulaire, accorder)
        if habilitation is None:
            return
        self.notify(
            f"Habilitation « {libelle_habilitation(habilitation)} » accordée à "
            f"{etat.nom(habilitation.utilisateur_id)}."
        )
        await self.recharger()
        self.query_one("#table-habilitations", TablePaginee).selectionner(habilitation.id)

    @on(Button.Pressed, "#retirer-habilitation")
    async def action_retirer(self) -> None:
        etat = self.exiger_modification()
        if etat is None:
            return
        habilitation = element_choisi(
            self,
            "#table-habilitations",
            etat.structure.habilitations,
            "Choisissez d'abord une habilitation dans la liste.",
        )
        if habilitation is None:
            return
        app = chorus(self)
        self.confirmer_puis_appliquer(
            f"Retirer l'habilitation « {libelle_habilitation(habilitation)} » "
            f"({etat.libelle_service(habilitation.service_id)}) de "
            f"{etat.nom(habilitation.utilisateur_id)} ?",
            "Retirer",
            "#liste-habilitations",
            "L'habilitation est retirée.",
            app.services.structures.retirer_habilitation,
            app.utilisateur_id,
            etat.structure.id,
            habilitation.id,
        )
