"""What SQLite's read-only unit of work promises beyond the shared contract: it takes no
lock (WAL), so writers of other threads or processes commit while it is open and it keeps
its snapshot; a writer holding the write lock does not delay it, even on a thread's first
connection; and it reads through a connection that refuses writes.

No durations are measured: a read or a write that waited for the other would wait for
ever (the other side waits for it in turn, through events), and fail the test after the
busy timeout or `_ATTENTE`; where a lock is probed, it is with a busy timeout of zero.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.domain.acces import Perimetre
from chorus.domain.statuts import StatutMemoire
from tests.contract.agregats import ajouter, brouillon, entete, structure, utilisateur

_ATTENTE = 30.0

_PERIMETRE = Perimetre(structures=frozenset({"s-1"}))


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return tmp_path / "chorus.db"


@pytest.fixture
def uow(base: Path) -> Iterator[UniteDeTravailSqlite]:
    unite = UniteDeTravailSqlite(base)
    ajouter(
        unite,
        structure("s-1", createur_id="u-1"),
        utilisateur("u-1"),
        brouillon("m-1", "TMP2024000000001", entete("s-1")),
    )
    yield unite
    unite.fermer()


def _brut(base: Path) -> sqlite3.Connection:
    """Another process's connection, that never waits for a lock."""
    return sqlite3.connect(base, isolation_level=None, timeout=0)


def _brouillons(uow: UniteDeTravailSqlite) -> int:
    return (
        uow.requetes.compter_par_statut(_PERIMETRE).get("s-1", {}).get(StatutMemoire.BROUILLON, 0)
    )


def _dans_un_fil(travail: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    erreurs: list[BaseException] = []

    def executer() -> None:
        try:
            travail()
        except BaseException as erreur:
            erreurs.append(erreur)

    fil = threading.Thread(target=executer)
    fil.start()
    return fil, erreurs


def test_une_lecture_ne_prend_pas_le_verrou_d_ecriture(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    with uow.lecture() as lecture:
        assert lecture.utilisateurs.obtenir("u-1").nom == "Durand"
        with _brut(base) as brut:
            # A busy timeout of zero: this fails at once if the read held the lock.
            brut.execute("BEGIN IMMEDIATE")
            brut.execute("UPDATE utilisateurs SET document = json_set(document, '$.nom', 'Neuf')")
            brut.execute("COMMIT")
        assert lecture.utilisateurs.obtenir("u-1").nom == "Durand"
    with uow.lecture() as lecture:
        assert lecture.utilisateurs.obtenir("u-1").nom == "Neuf"


def test_une_unite_d_ecriture_prend_le_verrou_d_ecriture(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    """The probe of the test above does detect a held lock."""
    with uow, _brut(base) as brut, pytest.raises(sqlite3.OperationalError, match="locked"):
        brut.execute("BEGIN IMMEDIATE")


def test_un_ecrivain_d_un_autre_fil_commet_sans_attendre_la_lecture(
    uow: UniteDeTravailSqlite,
) -> None:
    """One object shared by two threads, as in the web server."""
    lu = threading.Event()
    ecrit = threading.Event()

    def ecrire() -> None:
        assert lu.wait(_ATTENTE)
        with uow as u:
            u.memoires.ajouter(brouillon("m-2", "TMP2024000000002", entete("s-1")))
            u.utilisateurs.enregistrer(u.utilisateurs.obtenir("u-1").modifier(nom="Neuf"))
            u.commit()
        ecrit.set()

    fil, erreurs = _dans_un_fil(ecrire)
    try:
        with uow.lecture() as lecture:
            assert _brouillons(lecture) == 1
            lu.set()
            assert ecrit.wait(_ATTENTE), erreurs
            # The commit happened while this read was open; it still sees its snapshot.
            assert _brouillons(lecture) == 1
            assert lecture.memoires.par_numero("TMP2024000000002") is None
            assert lecture.utilisateurs.obtenir("u-1").nom == "Durand"
    finally:
        lu.set()
        fil.join(_ATTENTE)
    assert not erreurs
    with uow.lecture() as lecture:
        assert _brouillons(lecture) == 2
        assert lecture.utilisateurs.obtenir("u-1").nom == "Neuf"


@pytest.mark.parametrize("premiere_connexion", [False, True], ids=["fil_connu", "fil_neuf"])
def test_un_ecrivain_qui_tient_le_verrou_ne_retarde_pas_la_lecture(
    uow: UniteDeTravailSqlite, premiere_connexion: bool
) -> None:
    """The writer holds `BEGIN IMMEDIATE` (and has written) until the reader is done. The
    reader runs in this thread (its connection already open) or in a new thread, whose
    first unit of work opens its connection while the writer holds the lock."""
    tient = threading.Event()
    fini = threading.Event()

    def ecrire() -> None:
        with uow as u:
            u.utilisateurs.enregistrer(u.utilisateurs.obtenir("u-1").modifier(nom="Neuf"))
            tient.set()
            assert fini.wait(_ATTENTE)
            u.commit()

    lus: list[str] = []

    def lire() -> None:
        with uow.lecture() as lecture:
            lus.append(lecture.utilisateurs.obtenir("u-1").nom)

    ecrivain, erreurs = _dans_un_fil(ecrire)
    try:
        assert tient.wait(_ATTENTE), erreurs
        if premiere_connexion:
            lecteur, erreurs_du_lecteur = _dans_un_fil(lire)
            lecteur.join(_ATTENTE)
            assert not erreurs_du_lecteur
        else:
            lire()
        # Read before the writer could commit, and without its uncommitted change.
        assert lus == ["Durand"]
    finally:
        fini.set()
        ecrivain.join(_ATTENTE)
    assert not erreurs
    lire()
    assert lus == ["Durand", "Neuf"]


def test_une_lecture_passe_par_une_connexion_en_lecture_seule(
    uow: UniteDeTravailSqlite,
) -> None:
    """The thread's connection for reads refuses writes; the one for writes does not."""
    with uow.lecture() as lecture:
        db = lecture.memoires._db
        assert db.execute("PRAGMA query_only").fetchone()[0] == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("DELETE FROM memoires")
    with uow as ecriture:
        assert ecriture.memoires._db.execute("PRAGMA query_only").fetchone()[0] == 0


def test_un_nouveau_fil_n_ouvre_pas_sa_connexion_sous_le_verrou(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    """Opening a connection to a database that needs no migration takes no lock: a lock
    held by another process does not keep a new thread from reading."""
    lus: list[str] = []

    def lire() -> None:
        with uow.lecture() as lecture:
            lus.append(lecture.utilisateurs.obtenir("u-1").nom)

    with _brut(base) as brut:
        brut.execute("BEGIN IMMEDIATE")
        brut.execute("UPDATE utilisateurs SET document = json_set(document, '$.nom', 'Neuf')")
        lecteur, erreurs = _dans_un_fil(lire)
        lecteur.join(_ATTENTE)
        brut.execute("ROLLBACK")
    assert not erreurs
    assert lus == ["Durand"]
