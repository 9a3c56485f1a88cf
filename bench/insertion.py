"""Insert throughput of the SQLite adapter against raw SQL, in the same run.

The mémoires are built wholly through the domain (draft, lines, sending, back-office events:
`Fabrique.brouillon` and `Fabrique.parcours`, no derivation). Then, each on a fresh database
created by the adapter (same schema, same triggers, same connection settings: WAL,
``synchronous = FULL``, foreign keys):

- the adapter: ``uow.memoires.ajouter(m)`` for each, one unit of work (``commit``) per batch;
- raw SQL: the very rows the adapter's mapping gives for them (mapped beforehand, not
  timed), written with two ``executemany`` per batch (lines, then mémoires) in one
  transaction.

Each is run twice, alternately, and the faster run of each is kept (the machine may be
shared). The ratio is the adapter's throughput over raw SQL's; a second ratio counts the
building of the aggregates through the domain as part of the adapter's side.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from bench.generateur import DOSSIER, en_lignes, inserer
from bench.memoires import DESTINS, Destin, Fabrique, choix_pondere
from bench.monde import Monde, affectation, rangs_locaux
from bench.progression import chrono
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.storage.sqlite.connexion import ouvrir
from chorus.domain.memoire import Memoire

CIBLE_RATIO = 0.3
_DESTINS_SANS_COPIE = [(d, p) for d, p in DESTINS if d is not Destin.REFUSE_DUPLIQUE]


@attrs.frozen
class ResultatInsertion:
    memoires: int
    lignes: int
    par_unite_de_travail: int
    construction_s: float
    adaptateur_s: tuple[float, ...]
    brut_s: tuple[float, ...]

    @property
    def debit_adaptateur(self) -> float:
        return self.memoires / min(self.adaptateur_s)

    @property
    def debit_brut(self) -> float:
        return self.memoires / min(self.brut_s)

    @property
    def debit_construction_et_adaptateur(self) -> float:
        return self.memoires / (self.construction_s + min(self.adaptateur_s))

    @property
    def ratio(self) -> float:
        return self.debit_adaptateur / self.debit_brut

    @property
    def ratio_avec_construction(self) -> float:
        return self.debit_construction_et_adaptateur / self.debit_brut

    def en_dict(self) -> dict[str, Any]:
        return {
            "memoires": self.memoires,
            "lignes": self.lignes,
            "par_unite_de_travail": self.par_unite_de_travail,
            "construction_domaine_s": round(self.construction_s, 3),
            "adaptateur_s": [round(d, 3) for d in self.adaptateur_s],
            "brut_s": [round(d, 3) for d in self.brut_s],
            "debit_adaptateur_par_s": round(self.debit_adaptateur, 1),
            "debit_brut_par_s": round(self.debit_brut, 1),
            "debit_construction_et_adaptateur_par_s": round(
                self.debit_construction_et_adaptateur, 1
            ),
            "ratio": round(self.ratio, 3),
            "ratio_avec_construction": round(self.ratio_avec_construction, 3),
            "cible_ratio": CIBLE_RATIO,
        }


def construire_par_le_domaine(monde: Monde, nombre: int) -> list[Memoire]:
    """`nombre` mémoires of the data set's world, each built wholly through the domain (the
    fates' proportions; no copies, whose numbers would follow their parent's)."""
    rangs = affectation(monde)
    locaux = rangs_locaux(rangs)
    nombre = min(nombre, len(rangs))
    fabrique = Fabrique(monde, random.Random(f"{monde.parametres.graine}/insertion"))
    pas = max(1, len(rangs) // nombre)
    memoires: list[Memoire] = []
    for k in range(nombre):
        index = (k * pas) % len(rangs)
        s = monde.structures[rangs[index]]
        place = fabrique.place(index, s, locaux[index], fabrique.creation(index))
        destin = Destin(choix_pondere(fabrique.rng, _DESTINS_SANS_COPIE))
        etats, _ = fabrique.parcours(fabrique.brouillon(place), place, destin, fabrique.fin)
        memoires.append(etats[-1])
    return memoires


def _lots(memoires: Sequence[Memoire], taille: int) -> list[Sequence[Memoire]]:
    return [memoires[k : k + taille] for k in range(0, len(memoires), taille)]


def _base_neuve(nom: str) -> Path:
    chemin = DOSSIER / nom
    for fichier in (chemin, Path(f"{chemin}-wal"), Path(f"{chemin}-shm")):
        fichier.unlink(missing_ok=True)
    return chemin


def _par_l_adaptateur(memoires: Sequence[Memoire], taille: int) -> float:
    uow = UniteDeTravailSqlite(_base_neuve("insertion-adaptateur.db"))
    try:
        debut = chrono()
        for lot in _lots(memoires, taille):
            with uow:
                for memoire in lot:
                    uow.memoires.ajouter(memoire)
                uow.commit()
        return chrono() - debut
    finally:
        uow.fermer()


def _en_sql_brut(memoires: Sequence[Memoire], taille: int) -> float:
    lots = [en_lignes(list(lot)) for lot in _lots(memoires, taille)]
    db = ouvrir(_base_neuve("insertion-brute.db"))
    try:
        connexion = db.conn
        debut = chrono()
        for lot in lots:
            connexion.execute("BEGIN IMMEDIATE")
            inserer(connexion, lot)
            connexion.execute("COMMIT")
        return chrono() - debut
    finally:
        db.close()


def mesurer_insertion(monde: Monde, nombre: int, taille: int = 1_000) -> ResultatInsertion:
    print(f"Insertion : construction de {nombre} mémoires par le domaine…", flush=True)
    debut = chrono()
    memoires = construire_par_le_domaine(monde, nombre)
    construction = chrono() - debut
    adaptateur: list[float] = []
    brut: list[float] = []
    for tour in (1, 2):
        print(f"Insertion : tour {tour}/2 (adaptateur, puis SQL brut)…", flush=True)
        adaptateur.append(_par_l_adaptateur(memoires, taille))
        brut.append(_en_sql_brut(memoires, taille))
    for nom in ("insertion-adaptateur.db", "insertion-brute.db"):
        _base_neuve(nom)
    return ResultatInsertion(
        memoires=len(memoires),
        lignes=sum(len(m.lignes) for m in memoires),
        par_unite_de_travail=taille,
        construction_s=construction,
        adaptateur_s=tuple(adaptateur),
        brut_s=tuple(brut),
    )
