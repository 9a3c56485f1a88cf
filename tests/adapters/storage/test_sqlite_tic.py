"""What only the SQLite adapter promises of the demandes TIC (beyond the shared contract):
its table, a database that itself refuses a second demande for the year and any change to
a sent demande, the references it keeps for the purge, and searches through indexes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from chorus.adapters.storage.sqlite import UniteDeTravailSqlite, lignes_tic
from chorus.domain.errors import TransitionInvalide
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import ActionInstructionTic, StatutDemandeTic
from chorus.ports.tic import CriteresDemandeTic, FiltresDemandeTic, TriTic
from tests.contract.agregats import heure
from tests.contract.agregats_tic import brouillon_tic, demande_a, envoyee_tic, instruite_tic


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return tmp_path / "chorus.db"


@pytest.fixture
def uow(base: Path) -> Iterator[UniteDeTravailSqlite]:
    unite = UniteDeTravailSqlite(base)
    yield unite
    unite.fermer()


def _brut(base: Path) -> sqlite3.Connection:
    connexion = sqlite3.connect(base, isolation_level=None)
    connexion.execute("PRAGMA foreign_keys = ON")
    return connexion


def _ajouter(uow: UniteDeTravailSqlite, *demandes: DemandeTic) -> None:
    with uow:
        for demande in demandes:
            uow.demandes_tic.ajouter(demande)
        uow.commit()


def _inserer_brut(brut: sqlite3.Connection, demande: DemandeTic) -> None:
    ligne = lignes_tic.ligne_demande_tic(demande)
    brut.execute(
        f"INSERT INTO demandes_tic ({', '.join(ligne)}) VALUES ({', '.join('?' * len(ligne))})",
        list(ligne.values()),
    )


def test_les_montants_et_les_taux_sont_stockes_en_texte_exact(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    from chorus.domain.tic.bareme import ProduitTic

    demande = demande_a(
        StatutDemandeTic.ENVOYEE,
        "d-1",
        "DT2024000000001",
        lignes=((ProduitTic.FIOUL_LOURD, "1000.50"),),
    )
    _ajouter(uow, demande)
    with _brut(base) as brut:
        montant, centimes, taux = brut.execute(
            "SELECT montant_total, montant_total_centimes, "
            "json_extract(document, '$.lignes[0].taux') FROM demandes_tic"
        ).fetchone()
    assert (montant, centimes, taux) == ("137.72", 13772, "13.765")


def test_la_base_refuse_une_seconde_demande_pour_l_annee_quel_que_soit_l_ecrivain(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    _ajouter(uow, brouillon_tic("d-1", "DT2024000000001"))
    with _brut(base) as brut:
        with pytest.raises(sqlite3.IntegrityError, match=r"demandes_tic\.structure_id"):
            _inserer_brut(brut, brouillon_tic("d-2", "DT2024000000002"))
        # A rejected one does not hold the year.
        _inserer_brut(brut, demande_a(StatutDemandeTic.REJETEE, "d-3", "DT2024000000003"))


@pytest.mark.parametrize(
    "instruction",
    [
        "DELETE FROM demandes_tic WHERE id = 'd-1'",
        "UPDATE demandes_tic SET statut = 'BROUILLON'",
        "UPDATE demandes_tic SET numero = 'DT2024000000999'",
        "UPDATE demandes_tic SET annee = 2022",
        "UPDATE demandes_tic SET montant_total = '0.00'",
        "UPDATE demandes_tic SET document = json_set(document, '$.lignes[0].quantite', '1.00')",
        "UPDATE demandes_tic SET document = json_remove(document, '$.pieces[0]')",
        "UPDATE demandes_tic SET document = json_set(document, '$.entete.avance', json('true'))",
        "UPDATE demandes_tic SET document = json_set(document, '$.demandeur.iban', 'FR76')",
        "UPDATE demandes_tic SET document = json_set(document, '$.certificat.empreinte', 'x')",
    ],
)
def test_la_base_refuse_de_changer_une_demande_envoyee(
    base: Path, uow: UniteDeTravailSqlite, instruction: str
) -> None:
    envoyee = demande_a(StatutDemandeTic.ENVOYEE, "d-1", "DT2024000000001")
    _ajouter(uow, envoyee)
    with _brut(base) as brut:
        avant = brut.execute("SELECT * FROM demandes_tic").fetchall()
        with pytest.raises(sqlite3.IntegrityError, match=r"chorus: .*sent demande TIC"):
            brut.execute(instruction)
        assert brut.execute("SELECT * FROM demandes_tic").fetchall() == avant
    with uow:
        assert uow.demandes_tic.obtenir("d-1") == envoyee


def test_l_adresse_du_certificat_se_pose_une_fois(base: Path, uow: UniteDeTravailSqlite) -> None:
    envoyee = demande_a(StatutDemandeTic.ENVOYEE, "d-1", "DT2024000000001")
    _ajouter(uow, envoyee)
    poser = (
        "UPDATE demandes_tic SET document = json_set(document, '$.certificat.document_sha256', ?)"
    )
    with _brut(base) as brut:
        brut.execute(poser, ("ab" * 32,))
        with pytest.raises(sqlite3.IntegrityError, match="chorus: "):
            brut.execute(poser, ("cd" * 32,))
        assert brut.execute("SELECT sha256 FROM contenus_tic WHERE sha256 = ?", ("ab" * 32,))


def test_les_triggers_sont_la_derniere_defense(
    uow: UniteDeTravailSqlite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the repository's own check out of the way, the database still refuses, and the
    refusal reaches the caller as the domain's error."""
    from chorus.adapters.storage.sqlite import demandes_tic

    envoyee = demande_a(StatutDemandeTic.ENVOYEE, "d-1", "DT2024000000001")
    _ajouter(uow, envoyee)
    monkeypatch.setattr(demandes_tic, "verifier_changement", lambda stockee, suivante: None)
    with uow:
        with pytest.raises(TransitionInvalide, match="DT2024000000001"):
            uow.demandes_tic.enregistrer(attrs.evolve(envoyee, lignes=()))
        uow.commit()
    with uow:
        assert uow.demandes_tic.obtenir("d-1") == envoyee


def test_l_instruction_d_une_demande_envoyee_reste_possible(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    envoyee = demande_a(StatutDemandeTic.ENVOYEE, "d-1", "DT2024000000001")
    _ajouter(uow, envoyee)
    with uow:
        archivee = uow.demandes_tic.enregistrer(envoyee.avec_certificat_archive("ab" * 32))
        mise = uow.demandes_tic.enregistrer(
            instruite_tic(archivee, ActionInstructionTic.MISE_A_DISPOSITION, heure(2))
        )
        uow.commit()
    with _brut(base) as brut:
        rangs = brut.execute(
            "SELECT rang, json_extract(document, '$.statut') FROM evenements_tic ORDER BY rang"
        ).fetchall()
    assert rangs == [(0, "BROUILLON"), (1, "ENVOYEE"), (2, "MISE_A_DISPOSITION")]
    with uow:
        assert uow.demandes_tic.obtenir("d-1") == mise


def test_les_references_des_contenus_suivent_le_document(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    brouillon = brouillon_tic("d-1", "DT2024000000001")
    _ajouter(uow, brouillon)
    facture = brouillon.pieces[0].sha256

    def references() -> set[str]:
        with _brut(base) as brut:
            return {s for (s,) in brut.execute("SELECT sha256 FROM contenus_tic")}

    assert references() == {facture}
    with uow:
        envoyee = uow.demandes_tic.enregistrer(envoyee_tic(brouillon, heure(1)))
        uow.commit()
    rib = envoyee.pieces[-1].sha256
    assert references() == {facture, rib}
    with uow:
        uow.demandes_tic.enregistrer(envoyee.avec_certificat_archive("ab" * 32))
        uow.commit()
    assert references() == {facture, rib, "ab" * 32}

    _ajouter(uow, brouillon_tic("d-2", "DT2024000000002", structure_id="s-2"))
    with uow:
        uow.demandes_tic.supprimer("d-2")
        uow.commit()
    assert references() == {facture, rib, "ab" * 32}


def test_une_base_en_0007_passe_en_0008(base: Path) -> None:
    from sqlite_utils import Database

    from chorus.adapters.storage.sqlite.schema import MIGRATIONS

    with _brut(base) as brut:
        ancienne = Database(brut)
        MIGRATIONS.apply(ancienne, stop_before="0008_demandes_tic")
        assert "demandes_tic" not in ancienne.table_names()
    unite = UniteDeTravailSqlite(base)
    try:
        _ajouter(unite, brouillon_tic("d-1", "DT2024000000001"))
        with unite:
            assert unite.demandes_tic.obtenir("d-1").numero == "DT2024000000001"
    finally:
        unite.fermer()


def _plans(base: Path, requete: str, parametres: tuple[object, ...]) -> str:
    with _brut(base) as brut:
        return " | ".join(
            ligne[3] for ligne in brut.execute(f"EXPLAIN QUERY PLAN {requete}", parametres)
        )


def test_les_lectures_d_un_demandeur_passent_par_un_index(
    base: Path, uow: UniteDeTravailSqlite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A farmer's lists, feed and uniqueness check read his structures' rows through an
    index, never the whole table (each statement is explained as it was run)."""
    _ajouter(
        uow,
        *(
            demande_a(
                StatutDemandeTic.ENVOYEE, f"d-{n}", f"DT20240000000{n:02}", structure_id=f"s-{n}"
            )
            for n in range(1, 30)
        ),
    )
    with _brut(base) as brut:
        brut.execute("ANALYZE")
    executees: list[tuple[str, tuple[object, ...]]] = []
    with uow:
        db = uow.demandes_tic._db
        vrai = db.execute

        def espionner(sql: str, parametres: object = ()) -> object:
            if "demandes_tic" in sql or "evenements_tic" in sql:
                executees.append((sql, tuple(parametres)))  # type: ignore[arg-type]
            return vrai(sql, parametres)  # type: ignore[arg-type]

        monkeypatch.setattr(db, "execute", espionner)
        uow.demandes_tic.tous(
            CriteresDemandeTic(FiltresDemandeTic(), structures=frozenset({"s-3"})), TriTic()
        )
        uow.demandes_tic.actives("s-3", 2023)
        uow.demandes_tic.evenements_recents(frozenset({"s-3", "s-4"}), 20)
        uow.demandes_tic.compter_par_statut(frozenset({"s-3"}))
        uow.demandes_tic.par_numero("DT2024000000003")
        monkeypatch.undo()
    assert len(executees) == 5
    for requete, parametres in executees:
        plan = _plans(base, requete, parametres)
        assert "SCAN" not in plan, plan
