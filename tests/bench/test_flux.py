"""The dépôt flux part of the benchmark (`bench.flux`), on a small flux: its file is one the
portal integrates whole, and its raw SQL side writes exactly the rows the integration
wrote — else its ratio would compare different work."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bench import flux as banc
from chorus.adapters.flux import LecteurDeFlux
from chorus.domain.flux.flux import FormatFlux


def _lignes(dossier: Path, requete: str) -> list[tuple[Any, ...]]:
    connexion = sqlite3.connect(f"file:{dossier / 'chorus.db'}?mode=ro", uri=True)
    try:
        return [tuple(ligne) for ligne in connexion.execute(requete)]
    finally:
        connexion.close()


def test_le_flux_genere_est_lisible_et_conforme_au_schema_publie() -> None:
    contenu = banc.generer_flux(40)
    lues = LecteurDeFlux().lire(FormatFlux.JSON, contenu)
    assert [m.rang for m in lues] == list(range(40))
    assert all(not m.erreurs and len(m.lignes) == 2 for m in lues)
    assert len({m.reference for m in lues}) == 40
    schema = Path(banc.__file__).parents[1] / "src/chorus/data/flux/memoires.schema.json"
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    jsonschema_rs.validate(json.loads(schema.read_text(encoding="utf-8")), json.loads(contenu))


def test_le_sql_brut_ecrit_les_memes_lignes_que_l_integration(tmp_path: Path) -> None:
    modele = banc._preparer_modele(tmp_path / "modele", 30)
    _, _, base_du_flux = banc._par_le_flux(modele)
    ecritures = banc._ecritures(base_du_flux, modele, 7)
    assert len(ecritures.lots) == 5  # 30 mémoires in chunks of 7
    assert [len(lot.memoires.memoires) for lot in ecritures.lots] == [7, 7, 7, 7, 2]
    _, _, base_brute = banc._en_sql_brut(modele, ecritures)
    assert banc._ecarts(base_du_flux, base_brute) == ()
    tables = ["memoires", "lignes_prestation", "flux", "sequences"]
    tables += [nom for nom, _, _ in ecritures.lots[0].tables]
    assert len(tables) > 4  # the flux's report and registry were found
    for table in tables:
        requete = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert _lignes(base_brute, requete) == _lignes(base_du_flux, requete), table
    assert len(_lignes(base_brute, "SELECT id FROM memoires")) == 30


def test_la_mesure_donne_les_debits_et_ou_va_le_temps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The profiled run on a smaller flux of its own, as at full size.
    monkeypatch.setattr(banc, "MEMOIRES_PROFILEES", 20)
    resultat = banc.mesurer_flux(40, tmp_path / "flux")
    assert resultat.memoires == 40
    assert resultat.lignes == 80
    assert resultat.octets == len(banc.generer_flux(40))
    assert len(resultat.flux_s) == len(resultat.brut_s) == len(resultat.flux_cpu_s) == 2
    assert resultat.ecarts == ()
    assert dict(resultat.lignes_brutes)["memoires"] == 40
    assert sum(s for _, s in resultat.profil) == pytest.approx(min(resultat.flux_s))
    assert dict(resultat.profil)["stockage"] > 0
    assert dict(resultat.profil)["lecture du fichier"] > 0
    assert resultat.en_dict()["ratio"] == round(resultat.ratio, 3)
    assert not (tmp_path / "flux").exists()
