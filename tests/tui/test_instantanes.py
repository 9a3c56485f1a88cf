"""Snapshots of the main screens (pytest-textual-snapshot), on a world with a fixed clock and
sequential ids, so that every run draws the same screen. After a deliberate change of a
screen: ``pytest tests/tui/test_instantanes.py --snapshot-update``, then look at the SVGs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, LoadingIndicator

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.aide import EcranAide
from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.ecrans.memoire import EcranMemoire
from chorus.adapters.tui.ecrans.structure import EcranMesStructures, EcranStructure
from chorus.adapters.tui.ecrans.traitement import EcranTraitementMemoire
from chorus.adapters.tui.onglets.recherche import OngletRecherche
from chorus.adapters.tui.onglets.saisie import OngletSaisie
from chorus.domain.traitement import ActionTraitement
from tests.monde import Monde, construire_monde
from tests.tui.aides import MOT_DE_PASSE, TAILLE, application, attendre, connecter, saisir
from tests.tui.saisie_pilote import appuyer

Comparer = Callable[..., bool]


@pytest.fixture
def monde() -> Monde:
    """Always the in-memory world: the snapshot is of the screen, not of the storage."""
    return construire_monde()


def _avant(
    *etapes: Callable[[Pilot[Any]], Awaitable[None]],
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def executer(pilot: Pilot[Any]) -> None:
        for etape in etapes:
            await etape(pilot)
        await _sans_chargement(pilot)

    return executer


def test_connexion(snap_compare: Comparer, monde: Monde) -> None:
    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=_avant())


def test_connexion_refusee(snap_compare: Comparer, monde: Monde) -> None:
    async def refuser(pilot: Pilot[Any]) -> None:
        await saisir(pilot, "email", monde.gestionnaire.email)
        await saisir(pilot, "mot_de_passe", MOT_DE_PASSE + "x")
        await pilot.click("#se-connecter")
        await attendre(pilot, lambda: bool(pilot.app.screen.query(".erreur.visible")))

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=_avant(refuser))


def test_aide(snap_compare: Comparer, monde: Monde) -> None:
    async def aide(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.gestionnaire.email)
        await pilot.press("f1")
        await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranAide))

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=_avant(aide))


# -- the prestataire's screens, on a world with a mémoire in each interesting status ----------


def _monde_garni(monde: Monde) -> Monde:
    """The world with a draft, a refused mémoire and a paid one, as of its fixed clock."""
    monde.brouillon(lignes=2)
    monde.refuse()
    paye = monde.evenement(monde.mis_a_disposition(), ActionTraitement.CERTIFICATION)
    monde.evenement(paye, ActionTraitement.MISE_EN_PAIEMENT)
    return monde


async def _espace(pilot: Pilot[Any], email: str, onglet: str) -> EspaceMemoires:
    await connecter(pilot, email)
    espace = pilot.app.screen
    assert isinstance(espace, EspaceMemoires)
    espace.montrer(onglet)
    await pilot.pause()
    return espace


async def _sans_chargement(pilot: Pilot[Any]) -> None:
    """Until no loading indicator is left on the screen (the workers are done); then the
    text cursors stop blinking, or the picture would depend on the instant it is taken."""
    await attendre(pilot, lambda: not pilot.app.screen.query(LoadingIndicator))
    await pilot.app.workers.wait_for_complete()
    await attendre(pilot, lambda: not pilot.app.screen.query(LoadingIndicator))
    for saisie in pilot.app.screen.query(Input):
        saisie.cursor_blink = False
    # Tables size their columns on a later refresh than the one showing their rows.
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()


def _onglet(monde: Monde, onglet: str, condition: Callable[[Pilot[Any]], bool]) -> Any:
    async def ouvrir(pilot: Pilot[Any]) -> None:
        await _espace(pilot, monde.gestionnaire.email, onglet)
        await attendre(pilot, lambda: condition(pilot))
        await _sans_chargement(pilot)

    return ouvrir


def _lignes(selecteur: str) -> Callable[[Pilot[Any]], bool]:
    return lambda pilot: pilot.app.screen.query_one(selecteur, DataTable).row_count > 0


@pytest.mark.parametrize(
    ("onglet", "pret"),
    [
        ("synthese", _lignes("#synthese-refuse")),
        ("tableau", _lignes("#tableau-compteurs")),
        ("liste-fiscale", _lignes("#liste-fiscale-lignes")),
        ("archives", _lignes("#archives-resultats")),
        ("saisir", lambda pilot: pilot.app.screen.query_one(OngletSaisie).structure is not None),
    ],
    ids=["synthese", "tableau", "liste-fiscale", "archives", "saisir"],
)
def test_onglets_de_l_espace(
    snap_compare: Comparer, monde: Monde, onglet: str, pret: Callable[[Pilot[Any]], bool]
) -> None:
    _monde_garni(monde)
    assert snap_compare(
        application(monde), terminal_size=TAILLE, run_before=_onglet(monde, onglet, pret)
    )


def test_recherche_par_etat(snap_compare: Comparer, monde: Monde) -> None:
    _monde_garni(monde)

    async def chercher(pilot: Pilot[Any]) -> None:
        espace = await _espace(pilot, monde.gestionnaire.email, "rechercher")
        recherche = espace.query_one(OngletRecherche)
        recherche.rechercher_par(structure_id=monde.structure.id, statut=None)
        await attendre(pilot, lambda: recherche.pages_affichees > 0)
        # The results take the focus once shown (the footer then lists the table's keys):
        # on a loaded machine that comes after the page itself.
        await attendre(pilot, lambda: isinstance(pilot.app.focused, DataTable))
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=chercher)


def test_saisie_des_lignes_et_recapitulatif(snap_compare: Comparer, monde: Monde) -> None:
    brouillon = monde.brouillon(lignes=2)

    async def recapitulatif(pilot: Pilot[Any]) -> None:
        espace = await _espace(pilot, monde.gestionnaire.email, "saisir")
        saisie = espace.query_one(OngletSaisie)
        await attendre(pilot, lambda: saisie.structure is not None)
        saisie.charger(brouillon.id)
        await attendre(pilot, lambda: saisie.memoire is not None)
        for etape in (2, 3, 4):
            await appuyer(pilot, "saisie-suivant")
            await attendre(pilot, lambda e=etape: saisie.etape == e)  # type: ignore[misc]
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=recapitulatif)


def test_detail_d_un_memoire_refuse(snap_compare: Comparer, monde: Monde) -> None:
    refuse = monde.refuse()

    async def detail(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.gestionnaire.email)
        app = pilot.app
        assert isinstance(app, ChorusApp)
        app.ouvrir_memoire(refuse.id)
        await attendre(
            pilot, lambda: isinstance(app.screen, EcranMemoire) and app.screen.memoire is not None
        )
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=detail)


# -- the back office -----------------------------------------------------------------------


def test_file_de_traitement(snap_compare: Comparer, monde: Monde) -> None:
    _monde_garni(monde)

    async def file(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.agent.email)
        pret = _lignes("#file-memoires")
        await attendre(pilot, lambda: pret(pilot))
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=file)


def test_traitement_d_un_memoire(snap_compare: Comparer, monde: Monde) -> None:
    envoye = monde.mis_a_disposition()

    async def traitement(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.agent.email)
        app = pilot.app
        assert isinstance(app, ChorusApp)
        app.ouvrir_traitement(envoye.id)
        await attendre(
            pilot,
            lambda: (
                isinstance(app.screen, EcranTraitementMemoire) and app.screen.memoire is not None
            ),
        )
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=traitement)


# -- structures ------------------------------------------------------------------------


def test_gestion_de_la_structure(snap_compare: Comparer, monde: Monde) -> None:
    async def structure(pilot: Pilot[Any]) -> None:
        await connecter(pilot, monde.gestionnaire.email)
        await pilot.press("f3")
        await attendre(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, EcranStructure) and pilot.app.screen.etat is not None
            ),
        )
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=structure)


def test_mes_structures_d_un_nouvel_utilisateur(snap_compare: Comparer, monde: Monde) -> None:
    nouveau = monde.chorus.utilisateurs.creer_compte(
        email="nouveau@exemple.fr", nom="Nouveau", prenom="Jean", actif=True
    )
    monde.chorus.comptes.definir_mot_de_passe(nouveau.id, MOT_DE_PASSE)

    async def mes_structures(pilot: Pilot[Any]) -> None:
        await connecter(pilot, nouveau.email)
        await attendre(
            pilot,
            lambda: isinstance(pilot.app.screen, EcranMesStructures) and pilot.app.screen.charge,
        )
        await _sans_chargement(pilot)

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=mes_structures)
