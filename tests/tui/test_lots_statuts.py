"""« Importer un lot de statuts » from the agent's queue: a refusal under its field, then a
batch file applied as the agent and its report, one line per event."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from chorus.adapters.tui.ecrans.lots_statuts import EcranLotStatuts
from chorus.adapters.tui.ecrans.traitement import EcranFileTraitement
from chorus.domain.statuts import StatutMemoire
from tests.monde import Monde
from tests.tui.aides import TAILLE, application, attendre, cliquer, connecter, erreur_de, saisir

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


async def test_importer_un_lot_depuis_la_file(monde: Monde, tmp_path: Path) -> None:
    memoire = monde.envoye()
    date = monde.horloge.maintenant().isoformat()
    lot = tmp_path / "lot.csv"
    lot.write_text(
        "numero_memoire;action;date_evenement;reference_evenement\n"
        f"{memoire.numero};MISE_A_DISPOSITION;{date};M-1\n"
        f"{memoire.numero};MISE_EN_PAIEMENT;{date};P-1\n",
        encoding="utf-8",
    )
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.agent.email)
        assert isinstance(app.screen, EcranFileTraitement)
        await pilot.press("f11")
        await attendre(pilot, lambda: isinstance(app.screen, EcranLotStatuts))

        await saisir(pilot, "fichier", str(tmp_path / "absent.csv"))
        await cliquer(pilot, "#importer")
        await attendre(pilot, lambda: "n'existe pas" in erreur_de(pilot, "fichier"))

        illisible = tmp_path / "illisible.json"
        illisible.write_text("{", encoding="utf-8")
        await saisir(pilot, "fichier", str(illisible))
        await cliquer(pilot, "#importer")
        await attendre(pilot, lambda: "JSON valide" in erreur_de(pilot, "fichier"))

        await saisir(pilot, "fichier", str(lot))
        await cliquer(pilot, "#importer")
        table = app.screen.query_one("#lot-resultats", DataTable)
        await attendre(pilot, lambda: table.row_count == 2)
        bilan = str(app.screen.query_one("#lot-bilan", Static).render())
        assert "1 appliqué, 0 déjà appliqué, 0 en attente, 1 refusé." in bilan
        lignes = [[str(c) for c in table.get_row_at(i)] for i in range(2)]
        assert lignes[0][:5] == ["ligne 2", memoire.numero, "MISE_A_DISPOSITION", "M-1", "Appliqué"]
        # The agent of a juridiction does not pay: the comptable does.
        assert lignes[1][4] == "Refusé"
        assert "Comptable" in lignes[1][5]

        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFileTraitement))
    relu = monde.chorus.traitement.obtenir(monde.agent.id, memoire.id)
    assert relu.statut is StatutMemoire.MIS_A_DISPOSITION
