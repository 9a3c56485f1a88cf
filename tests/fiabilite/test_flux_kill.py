"""`chorus flux deposer` killed (SIGKILL) in the middle of integrating a 10,000-mémoire flux,
then `chorus flux traiter`: the flux resumes where its last committed chunk left it and
ends IN_INTEGRE with exactly 10,000 mémoires — each whole (its two lines), none twice, the
report complete and in file order.

The kill falls between two chunks or inside one: either way what a chunk wrote (mémoires,
report entries, references, the flux's counters) is one transaction, so the resumed
integration neither loses nor repeats anything.
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.flux.flux import Flux, IssueReference, StatutFlux
from chorus.ports.requetes import Pagination
from tests import flux_a_deposer as fichiers
from tests.contract.agregats import IBAN
from tests.fiabilite.commun import (
    RACINE_DU_PROJET,
    adresse,
    chemin_du_stockage,
    ouvert,
    preparer,
    verifier_sqlite_brut,
)

NOMBRE = 10_000
DELAI_MAXIMUM = 60.0


def _chorus(*arguments: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "chorus.cli", *arguments],
        cwd=RACINE_DU_PROJET,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_un_depot_tue_pendant_l_integration_reprend_sans_perte_ni_doublon(
    tmp_path: Path,
) -> None:
    url = adresse("sqlite", tmp_path)
    monde = preparer(url)
    chemin = tmp_path / "memoires.json"
    chemin.write_bytes(fichiers.flux_json(NOMBRE, IBAN, jour_a_paris(datetime.now(UTC))))

    depot = _chorus("flux", "deposer", str(chemin), "--structure", monde.structure_id,
                    "--storage", url)  # fmt: skip
    vu: Flux | None = None
    try:
        with ouvert(url) as chorus:
            limite = time.monotonic() + DELAI_MAXIMUM
            # Polled through a reading of its own, as another process would.
            while time.monotonic() < limite and depot.poll() is None:
                page = chorus.flux.lister(monde.acteur_id, monde.structure_id, Pagination())
                if page.elements and 0 < page.elements[0].traites < NOMBRE:
                    vu = page.elements[0]
                    break
                time.sleep(0.005)
    finally:
        depot.send_signal(signal.SIGKILL)
        _, erreurs = depot.communicate(timeout=30)
    assert vu is not None, f"intégration jamais vue en cours : {erreurs.decode()[-2000:]}"
    assert depot.returncode == -signal.SIGKILL, erreurs.decode()[-2000:]

    with ouvert(url) as chorus:
        (coupe,) = chorus.flux.lister(monde.acteur_id, monde.structure_id, Pagination()).elements
    # Killed in the middle: part of the mémoires committed, the flux still being integrated.
    assert coupe.statut is StatutFlux.IN_EN_TRAITEMENT
    assert 0 < coupe.traites < NOMBRE
    assert coupe.integres == coupe.traites

    reprise = _chorus("flux", "traiter", "--storage", url)
    sortie, erreurs = reprise.communicate(timeout=DELAI_MAXIMUM)
    assert reprise.returncode == 0, (sortie + erreurs).decode()[-2000:]
    assert f"Flux {coupe.numero} — Intégré" in sortie.decode()

    with ouvert(url) as chorus:
        flux = chorus.flux.obtenir(monde.acteur_id, coupe.numero)
        rapport = chorus.flux.rapport(monde.acteur_id, coupe.numero)
    assert flux.statut is StatutFlux.IN_INTEGRE
    assert (flux.total, flux.traites, flux.integres, flux.deja_integres, flux.refuses) == (
        NOMBRE,
        NOMBRE,
        NOMBRE,
        0,
        0,
    )
    assert [r.rang for r in rapport] == list(range(NOMBRE))
    assert [r.reference for r in rapport] == [f"REF-{i:06d}" for i in range(1, NOMBRE + 1)]
    assert {r.issue for r in rapport} == {IssueReference.INTEGRE}
    ids_du_rapport = [r.memoire_id for r in rapport]
    numeros_du_rapport = [r.numero_memoire for r in rapport]
    assert len(set(ids_du_rapport)) == NOMBRE
    assert len(set(numeros_du_rapport)) == NOMBRE

    base = chemin_du_stockage(url)
    verifier_sqlite_brut(base)
    with contextlib.closing(sqlite3.connect(base)) as connexion:
        memoires = dict(connexion.execute("SELECT id, numero FROM memoires").fetchall())
        lignes = dict(
            connexion.execute(
                "SELECT memoire_id, count(*) FROM lignes_prestation GROUP BY memoire_id"
            ).fetchall()
        )
        modes = connexion.execute("SELECT DISTINCT mode_depot FROM memoires").fetchall()
    # Exactly the mémoires of the report: none lost, none stored twice, each whole.
    assert memoires == dict(zip(ids_du_rapport, numeros_du_rapport, strict=True))
    assert lignes == dict.fromkeys(memoires, 2)
    assert modes == [("FLUX",)]
