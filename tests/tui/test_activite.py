"""F8 « Mon activité » in the terminal: the feed a page at a time, newest first, the line
opening its mémoire, and the « suivi d'activité » switches saved for the user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Static, Switch

from chorus.adapters.tui.ecrans.activite import PAR_PAGE, EcranActivite
from chorus.domain.traitement import ActionTraitement
from tests.monde import Monde
from tests.tui.aides import TAILLE, application, attendre, connecter

pytestmark = pytest.mark.anyio


async def test_mon_activite_par_pages_et_les_preferences(monde: Monde) -> None:
    envoyes = []
    for _ in range(PAR_PAGE + 1):
        monde.horloge.avancer(timedelta(minutes=1))
        envoyes.append(monde.envoye())
    premier = envoyes[0]
    monde.horloge.avancer(timedelta(minutes=1))
    monde.evenement(premier, ActionTraitement.MISE_A_DISPOSITION)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.consultant.email)
        await pilot.press("f8")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActivite) and app.screen.charge)
        ecran = app.screen
        assert isinstance(ecran, EcranActivite)
        table = ecran.query_one(DataTable)
        assert table.row_count == PAR_PAGE
        # Newest first: the mise à disposition, the last one recorded.
        assert [str(c) for c in table.get_row_at(0)[2:4]] == [premier.numero, "Mis à disposition"]
        position = str(ecran.query_one("#activite-position", Static).render())
        assert position == f"page 1 / 2 — {PAR_PAGE + 2} changements"

        await pilot.press("]")
        await attendre(pilot, lambda: ecran.charge and ecran.page == 2)
        assert table.row_count == 2
        assert [str(table.get_row_at(1)[2]), str(table.get_row_at(1)[3])] == [
            premier.numero,
            "Envoyé",
        ]

        # The weekly email switched off, for this user only.
        await attendre(pilot, lambda: not ecran.query_one("#suivi-hebdomadaire", Switch).disabled)
        await pilot.click("#suivi-hebdomadaire")
        await attendre(
            pilot,
            lambda: not monde.chorus.utilisateurs.obtenir(monde.consultant.id).suivi_hebdomadaire,
        )
        assert monde.chorus.utilisateurs.obtenir(monde.consultant.id).suivi_quotidien

        # Entrée opens the mémoire of the line.
        from chorus.adapters.tui.ecrans.memoire import EcranMemoire

        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranMemoire))
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is ecran)
        await pilot.press("escape")
        await attendre(pilot, lambda: not isinstance(app.screen, EcranActivite))


async def test_f8_est_celle_des_prestataires(monde: Monde) -> None:
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        assert app.check_action("activite", ()) is False
        await connecter(pilot, monde.agent.email)
        await pilot.press("f8")
        await pilot.pause()
        assert not isinstance(app.screen, EcranActivite)
