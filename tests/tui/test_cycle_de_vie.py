"""« Recevoir les cycles de vie » in the structure's Espaces tab: the gestionnaire switches it
on (the store says so), then exports the feed to a CSV file and resumes from its cursor; a
member reads the switch without changing it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Switch

from chorus.adapters.tui.ecrans.fichier import EcranFichier
from chorus.adapters.tui.formulaires import id_champ
from chorus.domain.traitement import ActionTraitement
from tests.monde import Monde
from tests.tui.aides import TAILLE, application, attendre
from tests.tui.test_structure import cliquer, onglet, ouvrir_structure, stockee

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


def _lignes(chemin: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(chemin.read_text("utf-8-sig")), delimiter=";"))


async def _exporter(pilot: Pilot[None], chemin: Path) -> None:
    app = pilot.app
    await cliquer(pilot, "#exporter-cycle-de-vie")
    await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
    app.screen.query_one(f"#{id_champ('chemin')}", Input).value = str(chemin)
    await pilot.pause()
    await cliquer(pilot, "#fichier-enregistrer")
    await attendre(pilot, lambda: not isinstance(app.screen, EcranFichier))


async def test_le_gestionnaire_active_l_option_puis_exporte(monde: Monde, tmp_path: Path) -> None:
    envoye = monde.envoye()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_structure(pilot, monde.gestionnaire)
        await onglet(pilot, ecran, "espaces")
        interrupteur = ecran.query_one("#recevoir-cycles-de-vie", Switch)
        assert not interrupteur.value
        assert not interrupteur.disabled
        assert not ecran.query_one("#export-cycle-de-vie").display

        await cliquer(pilot, "#recevoir-cycles-de-vie")
        await attendre(pilot, lambda: stockee(monde).recoit_cycles_de_vie)
        await attendre(pilot, lambda: ecran.query_one("#export-cycle-de-vie").display)
        assert interrupteur.value

        premier = tmp_path / "cycle-1.csv"
        await _exporter(pilot, premier)
        lignes = _lignes(premier)
        assert [(x[1], x[3]) for x in lignes[1:]] == [(envoye.numero, "ENVOYE")]
        curseur = ecran.query_one(f"#export-cycle-de-vie #{id_champ('apres')}", Input)
        assert curseur.value == lignes[1][0]

        # The next export starts after the cursor the first one left.
        monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION)
        second = tmp_path / "cycle-2.csv"
        await _exporter(pilot, second)
        assert [(x[1], x[3]) for x in _lignes(second)[1:]] == [(envoye.numero, "MIS_A_DISPOSITION")]

        # Off again: stored, and the export goes away.
        await cliquer(pilot, "#recevoir-cycles-de-vie")
        await attendre(pilot, lambda: not stockee(monde).recoit_cycles_de_vie)
        await attendre(pilot, lambda: not ecran.query_one("#export-cycle-de-vie").display)


async def test_un_membre_voit_l_option_sans_pouvoir_la_changer(monde: Monde) -> None:
    monde.chorus.structures.modifier(
        monde.gestionnaire.id, monde.structure.id, recevoir_cycles_de_vie=True
    )
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_structure(pilot, monde.consultant)
        await onglet(pilot, ecran, "espaces")
        interrupteur = ecran.query_one("#recevoir-cycles-de-vie", Switch)
        assert interrupteur.value
        assert interrupteur.disabled
        # A Frais de justice habilitation on the whole structure: the export is theirs.
        assert ecran.query_one("#export-cycle-de-vie").display
        # Even flipped behind the scenes, nothing is stored.
        interrupteur.disabled = False
        interrupteur.value = False
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert stockee(monde).recoit_cycles_de_vie
        assert interrupteur.value
