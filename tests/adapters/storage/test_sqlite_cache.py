"""The SQLite adapter's cache of decoded aggregates (`sqlite.cache`): a read whose row is
unchanged gets the very object decoded before; any change of the stored text — a commit
of another process, a raw edit that kept the version, a write rolled back and its version
number reused, a draft deleted then added again under its id — is seen by the next read;
the cache stays within its bounds; threads reading while another writes each get the
aggregate of their own snapshot.

No durations are measured: threads wait for each other through events, and `_ATTENTE`
only turns a deadlock into a failure.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.storage.sqlite.cache import CacheDeDecodage
from chorus.domain.acces import Perimetre
from chorus.domain.memoire import Memoire
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Tri
from tests.contract.agregats import (
    ajouter,
    brouillon,
    entete,
    ligne,
    memoire_complete,
    structure,
    structure_complete,
    utilisateur,
    utilisateur_complet,
)
from tests.contract.test_jetons import jeton

_ATTENTE = 30.0
_NUMERO = "TMP2024000000001"


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
        brouillon("m-1", _NUMERO, entete("s-1"), lignes=(ligne(1), ligne(2))),
    )
    yield unite
    unite.fermer()


@pytest.fixture
def autre(base: Path, uow: UniteDeTravailSqlite) -> Iterator[UniteDeTravailSqlite]:
    """Another process: its own object, connections and caches over the same file."""
    unite = UniteDeTravailSqlite(base)
    yield unite
    unite.fermer()


def _lire(uow: UniteDeTravailSqlite, memoire_id: str = "m-1") -> Memoire:
    with uow.lecture() as lecture:
        return lecture.memoires.obtenir(memoire_id)


def _engagement(memoire: Memoire, valeur: str) -> Memoire:
    return attrs.evolve(
        memoire, entete=attrs.evolve(memoire.entete, numero_engagement_juridique=valeur)
    )


def _changer(uow: UniteDeTravailSqlite, valeur: str, *, valider: bool = True) -> Memoire:
    """Save m-1 with a new engagement number; committed unless `valider` is False."""
    with uow as u:
        enregistre = u.memoires.enregistrer(_engagement(u.memoires.obtenir("m-1"), valeur))
        # Read back inside the open transaction: the uncommitted row is decoded (and may
        # be cached) here.
        assert u.memoires.obtenir("m-1") == enregistre
        if valider:
            u.commit()
    return enregistre


def _document(base: Path, table: str, id: str) -> tuple[int, str]:
    with sqlite3.connect(base) as brut:
        version, document = brut.execute(
            f"SELECT version, document FROM {table} WHERE id = ?", (id,)
        ).fetchone()
    return version, document


# -- hits --------------------------------------------------------------------------------


def test_une_ligne_inchangee_rend_le_meme_objet(uow: UniteDeTravailSqlite) -> None:
    with uow.lecture() as lecture:
        memoire = lecture.memoires.obtenir("m-1")
        structure_lue = lecture.structures.obtenir("s-1")
        utilisateur_lu = lecture.utilisateurs.obtenir("u-1")
    with uow.lecture() as lecture:
        assert lecture.memoires.obtenir("m-1") is memoire
        assert lecture.memoires.par_numero(_NUMERO) is memoire
        assert lecture.structures.obtenir("s-1") is structure_lue
        assert (
            lecture.structures.par_identifiant(
                structure_lue.type_identifiant, structure_lue.identifiant
            )
            is structure_lue
        )
        assert lecture.structures.pour_utilisateur("u-1") == [structure_lue]
        assert lecture.structures.pour_utilisateur("u-1")[0] is structure_lue
        assert lecture.utilisateurs.obtenir("u-1") is utilisateur_lu
        assert lecture.utilisateurs.par_email("U-1@exemple.fr") is utilisateur_lu
    # A writing unit of work (its own connection) shares the cache.
    with uow as u:
        assert u.memoires.obtenir("m-1") is memoire
        assert u.structures.obtenir("s-1") is structure_lue
    assert len(memoire.lignes) == 2


def test_un_jeton_inchange_rend_le_meme_objet_et_un_jeton_supprime_n_est_plus_rendu(
    uow: UniteDeTravailSqlite, autre: UniteDeTravailSqlite
) -> None:
    session = jeton("j-1")
    with uow as u:
        u.jetons.ajouter(session)
        u.commit()
    with uow.lecture() as lecture:
        lu = lecture.jetons.par_empreinte(session.empreinte)
        assert lu == session
    with uow.lecture() as lecture:
        assert lecture.jetons.par_empreinte(session.empreinte) is lu
        assert lecture.jetons.obtenir("j-1") is lu
    with autre as u:
        u.jetons.supprimer("j-1")
        u.commit()
    with uow.lecture() as lecture:
        assert lecture.jetons.par_empreinte(session.empreinte) is None


def test_les_agregats_partages_sont_immuables_jusqu_au_bout(
    uow: UniteDeTravailSqlite,
) -> None:
    """One decoded object serves every thread: nothing in it may be a list, dict or set."""
    ajouter(uow, structure_complete(), utilisateur_complet(), memoire_complete())
    with uow.lecture() as lecture:
        agregats = (
            lecture.structures.obtenir("s-complete"),
            lecture.utilisateurs.obtenir("u-agent"),
            lecture.memoires.obtenir("m-complete"),
        )

    def parcourir(valeur: object, chemin: str) -> None:
        assert not isinstance(valeur, list | dict | set | bytearray), chemin
        if attrs.has(type(valeur)):
            assert type(valeur).__setattr__ is not object.__setattr__, f"{chemin} not frozen"
            for champ in attrs.fields(cast(Any, type(valeur))):
                parcourir(getattr(valeur, champ.name), f"{chemin}.{champ.name}")
        elif isinstance(valeur, tuple | frozenset):
            for i, element in enumerate(valeur):
                parcourir(element, f"{chemin}[{i}]")

    for agregat in agregats:
        parcourir(agregat, type(agregat).__name__)


# -- what must never be served ------------------------------------------------------------


def test_l_ecriture_d_un_autre_processus_est_vue(
    base: Path, uow: UniteDeTravailSqlite, autre: UniteDeTravailSqlite
) -> None:
    avant = _lire(uow)
    with uow.lecture() as lecture:
        utilisateur_avant = lecture.utilisateurs.obtenir("u-1")
        structure_avant = lecture.structures.obtenir("s-1")
    ecrit = _changer(autre, "EJ-AUTRE")
    with autre as u:
        u.utilisateurs.enregistrer(u.utilisateurs.obtenir("u-1").modifier(nom="Neuf"))
        u.structures.enregistrer(u.structures.obtenir("s-1").modifier(raison_sociale="Neuve"))
        u.commit()
    with uow.lecture() as lecture:
        apres = lecture.memoires.obtenir("m-1")
        assert apres == ecrit
        assert apres.version == avant.version + 1 == _document(base, "memoires", "m-1")[0]
        assert apres.entete.numero_engagement_juridique == "EJ-AUTRE"
        utilisateur_apres = lecture.utilisateurs.obtenir("u-1")
        assert (utilisateur_apres.nom, utilisateur_apres.version) == (
            "Neuf",
            utilisateur_avant.version + 1,
        )
        structure_apres = lecture.structures.obtenir("s-1")
        assert (structure_apres.raison_sociale, structure_apres.version) == (
            "Neuve",
            structure_avant.version + 1,
        )


def test_un_document_change_sans_changer_de_version_est_vu(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    """A raw edit that keeps the version (a repair by hand, another tool) is seen too."""
    avant = _lire(uow)
    with uow.lecture() as lecture:
        assert lecture.utilisateurs.obtenir("u-1").nom == "Durand"
    with sqlite3.connect(base) as brut:
        brut.execute("UPDATE utilisateurs SET document = json_set(document, '$.nom', 'Brut')")
        brut.execute("UPDATE lignes_prestation SET numero_affaire = 'BRUT' WHERE numero_ligne = 2")
    with uow.lecture() as lecture:
        assert lecture.utilisateurs.obtenir("u-1").nom == "Brut"
        apres = lecture.memoires.obtenir("m-1")
    assert apres.version == avant.version
    assert [l_.numero_affaire for l_ in apres.lignes] == [avant.lignes[0].numero_affaire, "BRUT"]


@pytest.mark.parametrize("annulation", ["fin_du_bloc", "rollback"])
def test_une_ecriture_annulee_n_est_jamais_rendue(
    base: Path, uow: UniteDeTravailSqlite, autre: UniteDeTravailSqlite, annulation: str
) -> None:
    """Version N+1 written and read back, then rolled back; another writer commits a
    different N+1: the rolled-back object must not be served for it."""
    avant = _lire(uow)
    with uow as u:
        annule = u.memoires.enregistrer(_engagement(u.memoires.obtenir("m-1"), "EJ-ANNULE"))
        assert u.memoires.obtenir("m-1") == annule
        u.utilisateurs.enregistrer(u.utilisateurs.obtenir("u-1").modifier(nom="Annule"))
        assert u.utilisateurs.obtenir("u-1").nom == "Annule"
        if annulation == "rollback":
            u.rollback()
            assert u.memoires.obtenir("m-1") == avant
    assert _lire(uow) == avant
    ecrit = _changer(autre, "EJ-VALIDE")
    with autre as u:
        u.utilisateurs.enregistrer(u.utilisateurs.obtenir("u-1").modifier(nom="Valide"))
        u.commit()
    assert ecrit.version == annule.version
    with uow.lecture() as lecture:
        lu = lecture.memoires.obtenir("m-1")
        assert lu.entete.numero_engagement_juridique == "EJ-VALIDE"
        assert lu == ecrit
        assert lecture.utilisateurs.obtenir("u-1").nom == "Valide"
    with uow as u:
        assert u.memoires.obtenir("m-1").entete.numero_engagement_juridique == "EJ-VALIDE"
    assert _document(base, "memoires", "m-1")[0] == lu.version


@pytest.mark.parametrize("ecrivain", ["meme_processus", "autre_processus"])
def test_un_brouillon_supprime_puis_rajoute_sous_son_id_n_est_pas_rendu_perime(
    base: Path, uow: UniteDeTravailSqlite, autre: UniteDeTravailSqlite, ecrivain: str
) -> None:
    """The new draft's row is the old one's, byte for byte (same version, same document):
    only its lines differ."""
    avant = _lire(uow)
    document_avant = _document(base, "memoires", "m-1")
    unite = uow if ecrivain == "meme_processus" else autre
    with unite as u:
        u.memoires.supprimer("m-1")
        u.commit()
    with uow.lecture() as lecture:
        assert lecture.memoires.par_numero(_NUMERO) is None
    rajoute = brouillon("m-1", _NUMERO, entete("s-1"), lignes=(ligne(1, quantite="3"),))
    ajouter(unite, rajoute)
    assert _document(base, "memoires", "m-1") == document_avant
    with uow.lecture() as lecture:
        lu = lecture.memoires.obtenir("m-1")
        assert lu is not avant
        assert lu == rajoute
        assert len(lu.lignes) == 1
        assert lecture.memoires.par_numero(_NUMERO) is lu


# -- bounds --------------------------------------------------------------------------------


def test_le_cache_garde_au_plus_sa_capacite_les_moins_recents_partent(base: Path) -> None:
    uow = UniteDeTravailSqlite(base, cache_memoires=2)
    try:
        ajouter(
            uow,
            structure("s-1"),
            *(brouillon(f"m-{n}", f"TMP202400000000{n}", entete("s-1")) for n in (1, 2, 3)),
        )
        m1, m2 = _lire(uow, "m-1"), _lire(uow, "m-2")
        assert _lire(uow, "m-1") is m1  # m-1 is now the most recent
        m3 = _lire(uow, "m-3")
        assert len(uow.cache_memoires) == 2
        assert "m-2" not in uow.cache_memoires
        assert _lire(uow, "m-1") is m1
        assert _lire(uow, "m-3") is m3
        relu = _lire(uow, "m-2")
        assert relu == m2
        assert relu is not m2
        assert len(uow.cache_memoires) == 2
        assert "m-1" not in uow.cache_memoires
    finally:
        uow.fermer()


def test_un_cache_de_capacite_nulle_ne_garde_rien(base: Path) -> None:
    uow = UniteDeTravailSqlite(
        base, cache_memoires=0, cache_structures=0, cache_utilisateurs=0, cache_jetons=0
    )
    try:
        ajouter(uow, structure("s-1"), brouillon("m-1", _NUMERO, entete("s-1")))
        premier = _lire(uow)
        second = _lire(uow)
        assert premier == second
        assert premier is not second
        assert len(uow.cache_memoires) == 0
    finally:
        uow.fermer()


def test_une_capacite_negative_est_refusee() -> None:
    with pytest.raises(ValueError, match="negative"):
        CacheDeDecodage[object](-1)


def test_une_erreur_de_decodage_ne_laisse_rien_en_cache() -> None:
    cache = CacheDeDecodage[object](4)

    def echouer() -> object:
        raise RuntimeError("illisible")

    with pytest.raises(RuntimeError):
        cache.obtenir("a", "texte", echouer)
    assert len(cache) == 0
    objet = object()
    assert cache.obtenir("a", "texte", lambda: objet) is objet
    assert cache.obtenir("a", "texte", echouer) is objet
    cache.vider()
    assert "a" not in cache


# -- threads -------------------------------------------------------------------------------


def test_des_lecteurs_pendant_un_ecrivain_lisent_chacun_l_etat_de_leur_instantane(
    uow: UniteDeTravailSqlite,
) -> None:
    """Readers loop over the shared object while a writer (another thread) saves m-1 again
    and again, its engagement number telling its version. After each commit the writer
    waits until every reader has finished a read begun after it. Each read checks, in one
    snapshot, that the object matches the row's columns (read without the cache) and is not
    older than the last commit the reader knew of before it began."""
    lecteurs = 3
    ecritures = 12
    depart = _lire(uow).version
    with uow as u:
        u.memoires.enregistrer(_engagement(u.memoires.obtenir("m-1"), f"EJ{depart + 1}"))
        u.commit()
    criteres = CriteresMemoire(
        filtres=FiltresMemoire(), perimetre=Perimetre(structures=frozenset({"s-1"}))
    )
    etat = threading.Condition()
    commis = [depart + 1]  # the last committed version
    vu = [0] * lecteurs  # per reader: the last committed version a finished read began after
    fini = threading.Event()
    erreurs: list[BaseException] = []
    lectures = [0] * lecteurs

    def lire(n: int) -> None:
        while not fini.is_set():
            with etat:
                connu = commis[0]
            with uow.lecture() as lecture:
                memoire = lecture.memoires.obtenir("m-1")
                (resume,) = lecture.requetes.tous(criteres, Tri())
                par_numero = lecture.memoires.par_numero(_NUMERO)
            assert memoire.version >= connu, (memoire.version, connu)
            assert memoire.entete.numero_engagement_juridique == f"EJ{memoire.version}"
            assert resume.numero_engagement_juridique == f"EJ{memoire.version}"
            # Equal, not always the same object: another thread may have replaced the
            # entry between the two reads.
            assert par_numero == memoire
            lectures[n] += 1
            with etat:
                vu[n] = connu
                etat.notify_all()

    def ecrire() -> None:
        for _ in range(ecritures):
            with uow as u:
                memoire = u.memoires.obtenir("m-1")
                u.memoires.enregistrer(_engagement(memoire, f"EJ{memoire.version + 1}"))
                u.commit()
            with etat:
                commis[0] = memoire.version + 1
                assert etat.wait_for(lambda: fini.is_set() or min(vu) >= commis[0], _ATTENTE)

    def garder(travail: Callable[[], None]) -> Callable[[], None]:
        def executer() -> None:
            try:
                travail()
            except BaseException as erreur:
                erreurs.append(erreur)
                fini.set()
                with etat:
                    etat.notify_all()

        return executer

    fils = [threading.Thread(target=garder(functools.partial(lire, n))) for n in range(lecteurs)]
    for fil in fils:
        fil.start()
    ecrivain = threading.Thread(target=garder(ecrire))
    ecrivain.start()
    ecrivain.join(_ATTENTE * 2)
    fini.set()
    for fil in fils:
        fil.join(_ATTENTE)
    assert not erreurs, erreurs
    assert not ecrivain.is_alive()
    assert not any(fil.is_alive() for fil in fils)
    assert min(lectures) >= ecritures
    assert _lire(uow).version == depart + 1 + ecritures
