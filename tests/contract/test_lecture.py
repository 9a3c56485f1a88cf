"""Contract of the read-only unit of work, `UnitOfWork.lecture()`: it reads what is
committed, refuses to commit or to write (a `LectureSeule`, a `RuntimeError`, not a
`DomainError`), leaves the store as it was, nests like ``with uow``, and keeps one snapshot
while writers commit beside it (where the adapter does not serialise them)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import attrs
import pytest

from chorus.adapters.storage.erreurs import LectureSeule
from chorus.domain.errors import DomainError, NonTrouve
from chorus.domain.jetons import NatureJeton
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Pagination, Tri
from tests.contract.agregats import (
    T0,
    ajouter,
    brouillon,
    entete,
    envoyer,
    heure,
    ligne,
    structure,
    utilisateur,
)
from tests.contract.conftest import Fabrique, Magasin
from tests.contract.test_courriels import courriel
from tests.contract.test_jetons import jeton

# Generous bound on a wait between threads, only so that a broken adapter fails the test
# instead of hanging it: nothing is asserted about durations.
_ATTENTE = 30.0

_TOUS = CriteresMemoire(filtres=FiltresMemoire())


def _peupler(magasin: Magasin) -> None:
    """One of each aggregate, a sent mémoire and a draft, a sequence at 1."""
    ajouter(
        magasin.uow,
        structure("s-1", createur_id="u-1"),
        utilisateur("u-1"),
        envoyer(
            brouillon("m-1", "TMP2024000000001", entete("s-1"), lignes=(ligne(1),)),
            "MJ00000000001",
            heure(1),
        ),
        brouillon("m-2", "TMP2024000000002", entete("s-1"), lignes=(ligne(1),)),
    )
    with magasin.uow as uow:
        uow.jetons.ajouter(jeton("j-1", utilisateur_id="u-1", expire_le=T0 + timedelta(hours=1)))
        uow.courriels.ajouter(courriel("c-1"))
        assert uow.sequences.suivant("S") == 1
        uow.commit()


def _ou_rien(lire: Callable[[str], object], *ids: str) -> tuple[object, ...]:
    """Each aggregate by id, None for an id with none."""
    trouves: list[object] = []
    for i in ids:
        try:
            trouves.append(lire(i))
        except NonTrouve:
            trouves.append(None)
    return tuple(trouves)


def _etat(uow: UnitOfWork) -> tuple[object, ...]:
    """What `_peupler` stored and what `ECRITURES` may add, as one comparable value."""
    return (
        *_ou_rien(uow.structures.obtenir, "s-1", "s-2"),
        *_ou_rien(uow.utilisateurs.obtenir, "u-1", "u-2"),
        *_ou_rien(uow.memoires.obtenir, "m-1", "m-2", "m-3"),
        *_ou_rien(uow.jetons.obtenir, "j-1", "j-2"),
        *_ou_rien(uow.courriels.obtenir, "c-1", "c-2"),
        uow.requetes.rechercher(_TOUS, Tri(), Pagination(1, 10)),
        uow.requetes.sommer(_TOUS),
    )


def _verifier_inchange(magasin: Magasin, avant: tuple[object, ...]) -> None:
    """The store holds exactly what `_peupler` stored, seen from a new unit of work."""
    autre = magasin.rouvrir()
    with autre.lecture() as uow:
        assert _etat(uow) == avant
    with autre as uow:
        # Nothing committed took the sequence's next value.
        assert uow.sequences.suivant("S") == 2


def test_une_lecture_lit_ce_qui_est_commis(magasin: Magasin) -> None:
    _peupler(magasin)
    with magasin.uow as uow:
        attendu = _etat(uow)
    presents = [i for i, agregat in enumerate(attendu[:11]) if agregat is not None]
    assert presents == [0, 2, 4, 5, 7, 9]
    with magasin.rouvrir().lecture() as uow:
        assert _etat(uow) == attendu
        assert uow.utilisateurs.par_email("u-1@exemple.fr") == attendu[2]
        assert uow.memoires.par_numero("MJ00000000001") == attendu[4]
        assert uow.structures.pour_utilisateur("u-1") == [attendu[0]]
        assert [j.id for j in uow.jetons.pour_utilisateur("u-1", NatureJeton.SESSION)] == ["j-1"]
        assert [c.id for c in uow.courriels.a_envoyer(T0, 10)] == ["c-1"]
        assert {r.id for r in uow.requetes.tous(_TOUS, Tri())} == {"m-1", "m-2"}
        assert uow.requetes.sommer(_TOUS).nombre == 2


def test_une_lecture_voit_ce_que_le_meme_objet_vient_de_commettre(magasin: Magasin) -> None:
    _peupler(magasin)
    with magasin.uow.lecture() as uow:
        assert uow.utilisateurs.obtenir("u-1").nom == "Durand"
    with magasin.uow as uow:
        uow.utilisateurs.enregistrer(uow.utilisateurs.obtenir("u-1").modifier(nom="Neuf"))
        uow.commit()
    with magasin.uow.lecture() as uow:
        assert uow.utilisateurs.obtenir("u-1").nom == "Neuf"


def test_une_lecture_sur_un_magasin_vide_ne_trouve_rien(magasin: Magasin) -> None:
    with magasin.uow.lecture() as uow:
        assert uow.utilisateurs.par_email("personne@exemple.fr") is None
        assert uow.requetes.rechercher(_TOUS, Tri(), Pagination()).total == 0


def test_commit_dans_une_lecture_est_refuse(magasin: Magasin) -> None:
    _peupler(magasin)
    avant = _etat_commis(magasin)
    with magasin.uow.lecture() as uow:
        with pytest.raises(LectureSeule) as refus:
            uow.commit()
        # Still readable after the refusal.
        assert uow.memoires.obtenir("m-1").numero == "MJ00000000001"
    assert isinstance(refus.value, RuntimeError)
    assert not isinstance(refus.value, DomainError)
    _verifier_inchange(magasin, avant)


def _etat_commis(magasin: Magasin) -> tuple[object, ...]:
    with magasin.rouvrir() as uow:
        return _etat(uow)


# One write per repository method that writes, on the data `_peupler` stored.
ECRITURES: dict[str, Callable[[UnitOfWork], object]] = {
    "structures.ajouter": lambda u: u.structures.ajouter(structure("s-2")),
    "structures.enregistrer": lambda u: u.structures.enregistrer(
        attrs.evolve(u.structures.obtenir("s-1"), raison_sociale="Autre nom")
    ),
    "utilisateurs.ajouter": lambda u: u.utilisateurs.ajouter(utilisateur("u-2")),
    "utilisateurs.enregistrer": lambda u: u.utilisateurs.enregistrer(
        u.utilisateurs.obtenir("u-1").modifier(nom="Martin")
    ),
    "memoires.ajouter": lambda u: u.memoires.ajouter(
        brouillon("m-3", "TMP2024000000003", entete("s-1"))
    ),
    "memoires.enregistrer": lambda u: u.memoires.enregistrer(
        u.memoires.obtenir("m-2").ajouter_ligne(ligne(2))
    ),
    "memoires.supprimer": lambda u: u.memoires.supprimer("m-2"),
    "jetons.ajouter": lambda u: u.jetons.ajouter(jeton("j-2", utilisateur_id="u-1")),
    "jetons.enregistrer": lambda u: u.jetons.enregistrer(
        attrs.evolve(u.jetons.obtenir("j-1"), utilise_le=heure(2))
    ),
    "jetons.supprimer": lambda u: u.jetons.supprimer("j-1"),
    "jetons.purger": lambda u: u.jetons.purger(T0 + timedelta(days=1)),
    "courriels.ajouter": lambda u: u.courriels.ajouter(courriel("c-2")),
    "courriels.enregistrer": lambda u: u.courriels.enregistrer(
        attrs.evolve(u.courriels.obtenir("c-1"), tentatives=1)
    ),
    "sequences.suivant": lambda u: u.sequences.suivant("S"),
}


@pytest.mark.parametrize("ecriture", list(ECRITURES))
def test_une_ecriture_dans_une_lecture_est_refusee_et_rien_n_est_stocke(
    magasin: Magasin, ecriture: str
) -> None:
    """Every adapter detects the write itself (memory and files at the call, SQLite when the
    block ends, from the database's refusal), not only the commit that would follow."""
    _peupler(magasin)
    avant = _etat_commis(magasin)
    with pytest.raises(LectureSeule), magasin.uow.lecture() as uow:
        ECRITURES[ecriture](uow)
    _verifier_inchange(magasin, avant)


@pytest.mark.parametrize("ecriture", list(ECRITURES))
def test_apres_une_lecture_refusee_la_meme_ecriture_passe_dans_le_meme_fil(
    magasin: Magasin, ecriture: str
) -> None:
    """Nothing of the read-only mode survives its block (SQLite: the connection, kept per
    thread, is writable again); and the write does change the store, so the refusal above
    is not vacuous."""
    _peupler(magasin)
    avant = _etat_commis(magasin)
    with pytest.raises(LectureSeule), magasin.uow.lecture() as uow:
        ECRITURES[ecriture](uow)
    with magasin.uow as uow:
        ECRITURES[ecriture](uow)
        uow.commit()
    if ecriture == "sequences.suivant":
        with magasin.rouvrir() as uow:
            assert uow.sequences.suivant("S") == 3
    else:
        assert _etat_commis(magasin) != avant


def test_une_exception_dans_une_lecture_la_referme(magasin: Magasin) -> None:
    _peupler(magasin)

    class _Panne(Exception):
        pass

    with pytest.raises(_Panne), magasin.uow.lecture():
        raise _Panne
    with magasin.uow as uow:
        assert uow.sequences.suivant("S") == 2
        uow.commit()
    with magasin.uow.lecture() as uow:
        assert uow.memoires.obtenir("m-1").numero == "MJ00000000001"


def test_rollback_dans_une_lecture_reste_en_lecture(magasin: Magasin) -> None:
    _peupler(magasin)
    with magasin.uow.lecture() as uow:
        uow.rollback()
        assert uow.structures.obtenir("s-1").id == "s-1"
        with pytest.raises(LectureSeule):
            uow.commit()


def test_une_lecture_ne_s_ouvre_pas_dans_une_autre_unite_du_meme_fil(magasin: Magasin) -> None:
    _peupler(magasin)
    with magasin.uow as uow:
        with pytest.raises(RuntimeError, match="twice"), uow.lecture():
            pass  # pragma: no cover - never entered
        # The writing transaction is intact.
        uow.sequences.suivant("S")
        uow.commit()
    with magasin.uow.lecture() as uow:
        with pytest.raises(RuntimeError, match="twice"), uow:
            pass  # pragma: no cover - never entered
        with pytest.raises(RuntimeError, match="twice"), uow.lecture():
            pass  # pragma: no cover - never entered
        assert uow.memoires.obtenir("m-1").numero == "MJ00000000001"
    # Both modes can be entered again afterwards, one after the other.
    for _ in range(2):
        with magasin.uow.lecture() as uow:
            assert uow.utilisateurs.obtenir("u-1").id == "u-1"
        with magasin.uow as uow:
            assert uow.sequences.suivant("S") == 3
    with magasin.rouvrir() as uow:
        assert uow.sequences.suivant("S") == 3


def test_le_depot_hors_unite_reste_refuse_apres_une_lecture(magasin: Magasin) -> None:
    _peupler(magasin)
    with magasin.uow.lecture() as uow:
        uow.structures.obtenir("s-1")
    with pytest.raises(RuntimeError):
        magasin.uow.commit()


def test_une_lecture_garde_son_instantane_pendant_qu_un_autre_fil_ecrit(
    fabrique: Fabrique,
) -> None:
    """The server's case: one unit-of-work object shared by threads. A read that has started
    keeps seeing the same committed state while a writer of another thread commits (without
    waiting for the read); the next read sees the commit."""
    if fabrique.nom == "fichiers":
        pytest.skip("the files store serialises a read with the writers (documented)")
    magasin = fabrique.creer()
    _peupler(magasin)
    uow_partage = magasin.uow
    lu = threading.Event()
    ecrit = threading.Event()
    erreurs: list[BaseException] = []

    def ecrivain() -> None:
        try:
            assert lu.wait(_ATTENTE)
            with uow_partage as uow:
                uow.utilisateurs.enregistrer(uow.utilisateurs.obtenir("u-1").modifier(nom="Neuf"))
                uow.memoires.ajouter(brouillon("m-3", "TMP2024000000003", entete("s-1")))
                uow.commit()
            ecrit.set()
        except BaseException as erreur:  # pragma: no cover - reported below
            erreurs.append(erreur)

    fil = threading.Thread(target=ecrivain)
    fil.start()
    try:
        with uow_partage.lecture() as uow:
            avant = _etat(uow)
            lu.set()
            # The writer commits while this read is still open: it did not wait for it.
            assert ecrit.wait(_ATTENTE), erreurs
            assert _etat(uow) == avant
            assert uow.utilisateurs.obtenir("u-1").nom == "Durand"
            assert uow.memoires.par_numero("TMP2024000000003") is None
    finally:
        lu.set()
        fil.join(_ATTENTE)
    assert not erreurs
    with uow_partage.lecture() as uow:
        assert uow.utilisateurs.obtenir("u-1").nom == "Neuf"
        assert uow.requetes.sommer(_TOUS).nombre == 3
