"""What only the files adapter promises of the demandes TIC (beyond the shared contract):
one readable document each under ``demandes_tic/``, commits all or nothing through the
journal, and processes that see each other's demandes through the generation."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.files import UniteDeTravailFichiers
from chorus.domain.errors import Conflit, NonTrouve
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import ActionInstructionTic, StatutDemandeTic
from tests.contract.agregats import heure
from tests.contract.agregats_tic import ANNEE, brouillon_tic, demande_a, instruite_tic


class _Plantage(Exception):
    """Stands for the process dying at that instant."""


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return tmp_path / "stockage"


def _ajouter(uow: UniteDeTravailFichiers, *demandes: DemandeTic) -> None:
    with uow:
        for demande in demandes:
            uow.demandes_tic.ajouter(demande)
        uow.commit()


def _supprimer_et_ajouter(uow: UniteDeTravailFichiers) -> None:
    uow.demandes_tic.supprimer("d-2")
    uow.demandes_tic.ajouter(brouillon_tic("d-3", "DT2024000000003", structure_id="s-3"))


def _valider(
    uow: UniteDeTravailFichiers, changer: Callable[[UniteDeTravailFichiers], None]
) -> None:
    with uow:
        changer(uow)
        uow.commit()


def test_une_demande_est_un_document_lisible(dossier: Path) -> None:
    demande = demande_a(
        StatutDemandeTic.ENVOYEE,
        "d-1",
        "DT2024000000001",
        lignes=((ProduitTic.FIOUL_LOURD, "1000.50"),),
    )
    _ajouter(UniteDeTravailFichiers(dossier), demande)

    texte = (dossier / "demandes_tic" / "d-1.json").read_text(encoding="utf-8")
    donnees = json.loads(texte)
    assert texte == json.dumps(donnees, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert donnees["lignes"][0]["taux"] == "13.765"
    assert donnees["lignes"][0]["montant"] == "137.72"
    assert donnees["statut"] == "ENVOYEE"
    assert "Coopérative du Val" in texte


def test_un_stockage_d_avant_les_demandes_tic_les_range_dans_leur_dossier(
    dossier: Path,
) -> None:
    with UniteDeTravailFichiers(dossier):
        pass
    (dossier / "demandes_tic").rmdir()
    _ajouter(UniteDeTravailFichiers(dossier), brouillon_tic("d-1", "DT2024000000001"))
    with UniteDeTravailFichiers(dossier) as uow:
        assert uow.demandes_tic.obtenir("d-1").numero == "DT2024000000001"


def test_deux_processus_voient_leurs_demandes_et_l_unicite_de_l_annee(dossier: Path) -> None:
    a, b = UniteDeTravailFichiers(dossier), UniteDeTravailFichiers(dossier)
    envoyee = demande_a(StatutDemandeTic.EN_INSTRUCTION, "d-1", "DT2024000000001")
    _ajouter(a, envoyee, brouillon_tic("d-2", "DT2024000000002", structure_id="s-2"))
    with b:
        assert b.demandes_tic.obtenir("d-2").structure_id == "s-2"

    with a:
        a.demandes_tic.supprimer("d-2")
        a.demandes_tic.enregistrer(
            instruite_tic(envoyee, ActionInstructionTic.REJET, heure(5), motif="Illisible")
        )
        a.commit()

    with b:
        with pytest.raises(NonTrouve):
            b.demandes_tic.obtenir("d-2")
        assert b.demandes_tic.par_numero("DT2024000000002") is None
        assert b.demandes_tic.obtenir("d-1").statut is StatutDemandeTic.REJETEE
        assert b.demandes_tic.actives("s-1", ANNEE) == []
        b.demandes_tic.ajouter(brouillon_tic("d-3", "DT2024000000003"))
        b.commit()

    with a, pytest.raises(Conflit, match="DT2024000000003"):
        a.demandes_tic.ajouter(brouillon_tic("d-4", "DT2024000000004"))


def test_un_journal_de_demandes_ecrit_avant_un_arret_brutal_est_rejoue(
    dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ajouter(
        UniteDeTravailFichiers(dossier),
        brouillon_tic("d-1", "DT2024000000001"),
        brouillon_tic("d-2", "DT2024000000002", structure_id="s-2"),
    )
    vrai_replace = os.replace

    def replace_puis_plantage(source: str | Path, destination: str | Path) -> None:
        if Path(destination).name != "journal.json":
            raise _Plantage
        vrai_replace(source, destination)

    uow = UniteDeTravailFichiers(dossier)
    monkeypatch.setattr(os, "replace", replace_puis_plantage)
    with pytest.raises(_Plantage):
        _valider(uow, _supprimer_et_ajouter)
    monkeypatch.undo()

    journal = json.loads((dossier / "journal.json").read_text(encoding="utf-8"))
    assert journal["suppressions"] == ["demandes_tic/d-2.json"]
    assert "demandes_tic/d-3.json" in [final for _, final in journal["renommages"]]

    with UniteDeTravailFichiers(dossier) as autre:
        assert autre.demandes_tic.obtenir("d-3").structure_id == "s-3"
        with pytest.raises(NonTrouve):
            autre.demandes_tic.obtenir("d-2")
    assert not (dossier / "journal.json").exists()
    assert not any(p.name.startswith(".tmp-") for p in (dossier / "demandes_tic").iterdir())


def test_un_echec_avant_le_journal_n_ecrit_aucune_demande(
    dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ajouter(
        UniteDeTravailFichiers(dossier),
        brouillon_tic("d-1", "DT2024000000001"),
        brouillon_tic("d-2", "DT2024000000002", structure_id="s-2"),
    )

    def plantage(source: str | Path, destination: str | Path) -> None:
        raise _Plantage

    uow = UniteDeTravailFichiers(dossier)
    monkeypatch.setattr(os, "replace", plantage)
    with pytest.raises(_Plantage):
        _valider(uow, _supprimer_et_ajouter)
    monkeypatch.undo()

    assert sorted(p.name for p in (dossier / "demandes_tic").iterdir()) == ["d-1.json", "d-2.json"]
    with uow:
        assert uow.demandes_tic.obtenir("d-2").structure_id == "s-2"
        assert uow.demandes_tic.par_numero("DT2024000000003") is None


def test_un_document_de_demande_corrompu_est_signale(dossier: Path) -> None:
    _ajouter(UniteDeTravailFichiers(dossier), brouillon_tic("d-1", "DT2024000000001"))
    chemin = dossier / "demandes_tic" / "d-1.json"
    donnees = json.loads(chemin.read_text(encoding="utf-8"))
    donnees["lignes"][0]["taux"] = 14.96
    chemin.write_text(json.dumps(donnees), encoding="utf-8")

    with (
        pytest.raises(StockageInutilisable, match=r"demandes_tic/d-1\.json .*DemandeTic"),
        UniteDeTravailFichiers(dossier),
    ):
        pass
