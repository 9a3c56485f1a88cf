"""Driving the « Saisir mémoire » tab in tests: fields by the domain's names within the tab
(other tabs of the screen use the same names), buttons, the draft read back from the store."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.formulaires import id_champ, id_erreur
from chorus.adapters.tui.onglets.saisie import OngletSaisie
from chorus.domain.memoire import Memoire
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri
from tests.monde import AUJOURDHUI, Monde
from tests.tui.aides import attendre, connecter

IL_Y_A_DIX_JOURS = AUJOURDHUI - timedelta(days=10)
IL_Y_A_DOUZE_JOURS = AUJOURDHUI - timedelta(days=12)


def onglet(pilot: Pilot[None]) -> OngletSaisie:
    return pilot.app.screen.query_one(OngletSaisie)


def zone(pilot: Pilot[None], conteneur: str | None) -> Widget:
    """Where to look for a field: the tab, or one of its forms (two forms of the pièces step
    both have a « numero_ligne »)."""
    racine = onglet(pilot)
    return racine if conteneur is None else racine.query_one(conteneur)


def remplir(pilot: Pilot[None], champ: str, texte: str, conteneur: str | None = None) -> None:
    # No pause here: the screen is refreshed once, by the next `appuyer`, `attendre` or
    # `texte`, not after each field (a layout of this screen is what a test waits for).
    zone(pilot, conteneur).query_one(f"#{id_champ(champ)}", Input).value = texte


def choisir(pilot: Pilot[None], champ: str, valeur: str, conteneur: str | None = None) -> None:
    select: Select[str] = zone(pilot, conteneur).query_one(f"#{id_champ(champ)}", Select)
    select.value = valeur


def saisi(pilot: Pilot[None], champ: str) -> str:
    return onglet(pilot).query_one(f"#{id_champ(champ)}", Input).value


def choisi(pilot: Pilot[None], champ: str) -> object:
    return onglet(pilot).query_one(f"#{id_champ(champ)}", Select).value


def erreur(pilot: Pilot[None], champ: str, conteneur: str | None = None) -> str:
    return str(zone(pilot, conteneur).query_one(f"#{id_erreur(champ)}", Static).render())


def texte(pilot: Pilot[None], selecteur: str) -> str:
    return str(onglet(pilot).query_one(selecteur, Static).render())


async def appuyer(pilot: Pilot[None], bouton: str) -> None:
    onglet(pilot).query_one(f"#{bouton}", Button).press()
    await pilot.pause()


async def ouvrir(pilot: Pilot[None], monde: Monde, memoire_id: str | None = None) -> OngletSaisie:
    """Sign in as the gestionnaire and bring « Saisir mémoire » to the front (on a draft)."""
    await connecter(pilot, monde.gestionnaire.email)
    espace = pilot.app.screen
    assert isinstance(espace, EspaceMemoires)
    espace.montrer("saisir")
    saisie = onglet(pilot)
    await attendre(pilot, lambda: saisie.structure is not None)
    if memoire_id is not None:
        saisie.charger(memoire_id)
        await attendre(
            pilot, lambda: saisie.memoire is not None and saisie.memoire.id == memoire_id
        )
    return saisie


def memoires_de(monde: Monde) -> list[Memoire]:
    """Every mémoire of the structure, read back from the store."""
    chorus = monde.chorus
    page = chorus.consultation.rechercher(
        monde.gestionnaire.id,
        FiltresMemoire(structure_id=monde.structure.id),
        Tri(),
        Pagination(par_page=50),
    )
    return [chorus.memoires.obtenir(monde.gestionnaire.id, r.id) for r in page.elements]


def stocke(monde: Monde, memoire_id: str) -> Memoire:
    return monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire_id)


def saisir_ligne(
    pilot: Pilot[None],
    *,
    quantite: str,
    tarif: str,
    taux: str,
    frais: tuple[str, str] = ("", ""),
    debours: str = "",
) -> None:
    remplir(pilot, "numero_affaire", "PARQUET-24-001")
    remplir(pilot, "date_requisition", IL_Y_A_DOUZE_JOURS.strftime("%d/%m/%Y"))
    remplir(pilot, "date_prestation", IL_Y_A_DIX_JOURS.strftime("%d/%m/%Y"))
    choisir(pilot, "autorite_requerante", "PROCUREUR_REPUBLIQUE")
    choisir(pilot, "type_prestation", "EXPERTISE_PSYCHIATRIQUE")
    remplir(pilot, "quantite", quantite)
    remplir(pilot, "tarif_ht", tarif)
    choisir(pilot, "taux_tva", taux)
    remplir(pilot, "frais_divers[0].libelle", frais[0])
    remplir(pilot, "frais_divers[0].montant_ht", frais[1])
    remplir(pilot, "debours", debours)
