"""Contract of the number sequences: from 1, one by one, per name, never the same value
committed twice, whatever the concurrency."""

from __future__ import annotations

import threading

from tests.contract.conftest import Magasin


def _prendre(magasin: Magasin, nom: str, combien: int = 1) -> list[int]:
    """`combien` values of `nom`, taken and committed in one unit of work."""
    with magasin.rouvrir() as uow:
        valeurs = [uow.sequences.suivant(nom) for _ in range(combien)]
        uow.commit()
    return valeurs


def test_une_sequence_part_de_1_et_avance_de_1(magasin: Magasin) -> None:
    assert _prendre(magasin, "MJ", 3) == [1, 2, 3]
    assert _prendre(magasin, "MJ") == [4]
    assert _prendre(magasin, "MJ", 2) == [5, 6]


def test_les_sequences_sont_independantes(magasin: Magasin) -> None:
    assert _prendre(magasin, "TMP2024", 2) == [1, 2]
    assert _prendre(magasin, "TMP2025") == [1]
    assert _prendre(magasin, "MJ") == [1]
    assert _prendre(magasin, "TMP2024") == [3]
    assert _prendre(magasin, "TMP2025") == [2]
    with magasin.uow as uow:
        assert [uow.sequences.suivant(nom) for nom in ("A", "B", "A", "B", "A")] == [
            1,
            1,
            2,
            2,
            3,
        ]
        uow.commit()


def test_la_valeur_survit_a_la_reouverture(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.sequences.suivant("MJ")
        uow.sequences.suivant("MJ")
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.sequences.suivant("MJ") == 3


def test_une_valeur_prise_dans_une_transaction_annulee_n_est_jamais_attribuee_deux_fois(
    magasin: Magasin,
) -> None:
    """A value taken in a rolled-back transaction was never assigned: a store may hand it
    out again (the memory store does: its sequences are transactional) or skip it; the
    values committed stay distinct and consecutive within a transaction."""
    engagees = _prendre(magasin, "MJ", 2)
    assert engagees == [1, 2]

    with magasin.rouvrir() as uow:
        annulee = uow.sequences.suivant("MJ")
        assert annulee > 2
    uow = magasin.rouvrir()
    with uow:
        uow.sequences.suivant("MJ")
        uow.rollback()
        apres_rollback = uow.sequences.suivant("MJ")
        uow.commit()
    assert apres_rollback > 2
    engagees.append(apres_rollback)
    engagees += _prendre(magasin, "MJ", 3)

    assert len(set(engagees)) == len(engagees)
    assert engagees == sorted(engagees)
    assert engagees[-3:] == list(range(engagees[-3], engagees[-3] + 3))
    assert engagees[-3] > apres_rollback


def test_valeurs_distinctes_et_consecutives_sous_concurrence(magasin: Magasin) -> None:
    """4 threads each take 50 values, one unit of work per value: 1..200, each once."""
    par_fil: dict[int, list[int]] = {}
    erreurs: list[BaseException] = []
    depart = threading.Barrier(4)

    def travailler(numero: int) -> None:
        try:
            uow = magasin.rouvrir()
            depart.wait()
            valeurs = []
            for _ in range(50):
                with uow:
                    valeurs.append(uow.sequences.suivant("MJ"))
                    uow.commit()
            par_fil[numero] = valeurs
        except BaseException as erreur:  # reported below, in the test's thread
            erreurs.append(erreur)

    fils = [threading.Thread(target=travailler, args=(n,)) for n in range(4)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)
    assert not erreurs, erreurs
    assert all(not fil.is_alive() for fil in fils)
    toutes = [v for valeurs in par_fil.values() for v in valeurs]
    assert sorted(toutes) == list(range(1, 201))
    for valeurs in par_fil.values():
        assert valeurs == sorted(valeurs)
    assert _prendre(magasin, "MJ") == [201]
