"""Sign-in from the terminal: the API's rules, errors under the fields, then the right space."""

from __future__ import annotations

import pytest

from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.ecrans.traitement import EcranFileTraitement
from tests.monde import Monde
from tests.tui.aides import TAILLE, application, attendre, connecter, erreur_de, saisir

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


async def test_un_prestataire_arrive_dans_son_espace(monde: Monde) -> None:
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        assert isinstance(app.screen, EspaceMemoires)
        assert app.session is not None
        assert app.session.structure_id == monde.structure.id


async def test_un_agent_arrive_dans_sa_file(monde: Monde) -> None:
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        assert isinstance(app.screen, EcranFileTraitement)


async def test_un_mauvais_mot_de_passe_est_refuse_sous_le_champ(monde: Monde) -> None:
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        await saisir(pilot, "email", monde.gestionnaire.email)
        await saisir(pilot, "mot_de_passe", "pas-le-bon")
        await pilot.click("#se-connecter")
        await attendre(
            pilot,
            lambda: (
                "incorrect" in str(app.screen.query_one(".erreur-generale").render()).lower()
                or bool(erreur_de(pilot, "mot_de_passe"))
            ),
        )
        assert app.session is None
        assert isinstance(app.screen, EcranConnexion)
