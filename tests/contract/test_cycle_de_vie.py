"""Contract of the cycle-de-vie feed (`uow.activites.cycle_de_vie`) and of the ranks the
stores give the activity events, through the ports only: ranks follow the commits, and a
reader resuming after the last rank it received never misses nor repeats an event, whatever
is written (or purged) between its pages."""

from __future__ import annotations

import threading

import pytest

from chorus.domain.activite import EvenementActivite
from chorus.domain.errors import Conflit
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Pagination
from tests.contract.conftest import Magasin
from tests.contract.test_activite import ajouter, evenement, fdj


def lire(uow: UnitOfWork, structure_id: str, apres: int, limite: int) -> list[EvenementActivite]:
    with uow.lecture() as lecture:
        return list(lecture.activites.cycle_de_vie(structure_id, apres, limite))


def tout_lire(uow: UnitOfWork, structure_id: str, limite: int = 3) -> list[EvenementActivite]:
    """The whole feed, page after page, as a reader with a cursor reads it."""
    lus: list[EvenementActivite] = []
    apres = 0
    while page := lire(uow, structure_id, apres, limite):
        lus += page
        apres = page[-1].rang or 0
    return lus


def rangs(evenements: list[EvenementActivite]) -> list[int]:
    return [e.rang or 0 for e in evenements]


def test_les_rangs_croissent_dans_l_ordre_des_ecritures(magasin: Magasin) -> None:
    # Dates out of order: the feed follows the recording, not the date of the event.
    ajouter(magasin.uow, evenement("a", minutes=30), evenement("b", minutes=10))
    ajouter(magasin.uow, evenement("c", minutes=20))
    ajouter(magasin.uow, evenement("d", "s-2"), evenement("e", minutes=5))

    lus = lire(magasin.rouvrir(), "s-1", 0, 100)
    assert [e.id for e in lus] == ["a", "b", "c", "e"]
    assert all(e.rang is not None and e.rang > 0 for e in lus)
    assert rangs(lus) == sorted(set(rangs(lus)))
    # The activity feed reads the same events, ranks included.
    with magasin.rouvrir().lecture() as uow:
        fil = {e.id: e.rang for e in uow.activites.fil(fdj("s-1"), Pagination()).elements}
    assert fil == {e.id: e.rang for e in lus}


def test_la_limite_et_le_curseur(magasin: Magasin) -> None:
    ajouter(magasin.uow, *(evenement(f"e{i:02d}", minutes=i) for i in range(10)))
    tous = lire(magasin.uow, "s-1", 0, 100)
    assert len(tous) == 10
    assert lire(magasin.uow, "s-1", 0, 4) == tous[:4]
    assert lire(magasin.uow, "s-1", tous[3].rang or 0, 4) == tous[4:8]
    assert lire(magasin.uow, "s-1", tous[-1].rang or 0, 4) == []
    assert lire(magasin.uow, "s-1", 0, 0) == []
    assert [e.id for e in tout_lire(magasin.rouvrir(), "s-1")] == [f"e{i:02d}" for i in range(10)]


def test_seuls_les_memoires_de_la_structure(magasin: Magasin) -> None:
    ajouter(
        magasin.uow,
        evenement("a", "s-1"),
        evenement("tic", "s-1", tic=True),
        evenement("b", "s-2"),
        evenement("c", "s-1", service_id="psy"),
    )
    assert [e.id for e in lire(magasin.uow, "s-1", 0, 100)] == ["a", "c"]
    assert [e.id for e in lire(magasin.uow, "s-2", 0, 100)] == ["b"]
    assert lire(magasin.uow, "s-inconnue", 0, 100) == []


def test_les_pages_ne_sautent_ni_ne_repetent_malgre_les_ecritures_entre_elles(
    magasin: Magasin,
) -> None:
    ajouter(magasin.uow, *(evenement(f"a{i}") for i in range(5)))
    lecteur = magasin.rouvrir()
    lus: list[EvenementActivite] = []
    apres = 0
    ecrits = 5
    for tour in range(12):
        page = lire(lecteur, "s-1", apres, 2)
        lus += page
        if page:
            apres = page[-1].rang or 0
        # Between two pages: new events here and elsewhere, and a rolled-back batch.
        if tour < 8:
            ajouter(magasin.uow, evenement(f"n{tour}"), evenement(f"x{tour}", "s-2"))
            ecrits += 1
        with magasin.uow as uow:
            uow.activites.ajouter([evenement(f"annule{tour}")])
            # Left without commit: rolled back.
    lus += lire(lecteur, "s-1", apres, 100)

    ids = [e.id for e in lus]
    assert len(ids) == len(set(ids)) == ecrits
    assert ids == [*(f"a{i}" for i in range(5)), *(f"n{i}" for i in range(8))]
    assert rangs(lus) == sorted(rangs(lus))


def test_un_lot_refuse_ne_prend_aucun_rang_visible(magasin: Magasin) -> None:
    ajouter(magasin.uow, evenement("a"))
    with magasin.uow as uow:
        with pytest.raises(Conflit):
            uow.activites.ajouter([evenement("b"), evenement("a")])
        uow.commit()
    ajouter(magasin.uow, evenement("c"))
    lus = lire(magasin.rouvrir(), "s-1", 0, 100)
    assert [e.id for e in lus] == ["a", "c"]
    assert (lus[1].rang or 0) > (lus[0].rang or 0)


def test_la_purge_d_un_memoire_garde_le_fil_coherent(magasin: Magasin) -> None:
    ajouter(magasin.uow, evenement("a"), evenement("b"))
    ajouter(magasin.uow, evenement("c"))
    avant = lire(magasin.uow, "s-1", 0, 100)
    curseur = avant[-1].rang or 0  # the reader has read everything, c included
    with magasin.uow as uow:
        # c is the last event ever recorded: its rank must not be handed out again.
        assert uow.activites.supprimer_objet("o-c") == 1
        assert uow.activites.supprimer_objet("o-a") == 1
        uow.commit()
    ajouter(magasin.uow, evenement("d"))

    autre = magasin.rouvrir()
    assert [e.id for e in lire(autre, "s-1", curseur, 100)] == ["d"]
    assert [e.id for e in lire(autre, "s-1", 0, 100)] == ["b", "d"]
    assert [e.rang for e in lire(autre, "s-1", 0, 100)] == [avant[1].rang, (curseur or 0) + 1]


def test_les_rangs_continuent_apres_reouverture(magasin: Magasin) -> None:
    ajouter(magasin.uow, evenement("a"), evenement("b"))
    autre = magasin.rouvrir()
    ajouter(autre, evenement("c"))
    ajouter(magasin.uow, evenement("d"))
    lus = lire(magasin.rouvrir(), "s-1", 0, 100)
    assert [e.id for e in lus] == ["a", "b", "c", "d"]
    assert rangs(lus) == sorted(set(rangs(lus)))


def test_un_lecteur_suit_des_ecrivains_concurrents_sans_rien_manquer(magasin: Magasin) -> None:
    ecrivains, lots = 3, 15
    termine = threading.Event()
    erreurs: list[BaseException] = []
    lus: list[EvenementActivite] = []

    def ecrire(numero: int) -> None:
        uow = magasin.rouvrir()
        try:
            for lot in range(lots):
                ajouter(uow, evenement(f"w{numero}-{lot}-1"), evenement(f"w{numero}-{lot}-2"))
        except BaseException as erreur:  # reported by the main thread
            erreurs.append(erreur)

    def lire_en_continu() -> None:
        uow = magasin.rouvrir()
        apres = 0
        try:
            while True:
                fini = termine.is_set()
                page = lire(uow, "s-1", apres, 4)
                lus.extend(page)
                if page:
                    apres = page[-1].rang or 0
                elif fini:
                    return
        except BaseException as erreur:
            erreurs.append(erreur)

    lecteur = threading.Thread(target=lire_en_continu)
    fils = [threading.Thread(target=ecrire, args=(n,)) for n in range(ecrivains)]
    lecteur.start()
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    termine.set()
    lecteur.join()

    assert erreurs == []
    ids = [e.id for e in lus]
    assert len(ids) == len(set(ids)) == ecrivains * lots * 2
    assert rangs(lus) == sorted(rangs(lus))
    # Each writer's batches arrive whole and in its own order.
    for n in range(ecrivains):
        siens = [i for i in ids if i.startswith(f"w{n}-")]
        assert siens == [f"w{n}-{lot}-{k}" for lot in range(lots) for k in (1, 2)]
