"""What only the blob store on disk promises for the retention purge: a content's last
deposit is its file's modification time, which depositing it again refreshes."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from chorus.adapters.storage.blobs import BlobsSurDisque

CONTENU = b"%PDF-1.4\n% une piece\n"
UN_JOUR = timedelta(days=1)


def _vieillir(blobs: Path, adresse: str, jours: int) -> None:
    """As if the content had last been deposited `jours` days ago."""
    instant = time.time() - jours * 86400
    os.utime(blobs / adresse[:2] / adresse[2:], (instant, instant))


def test_un_contenu_ancien_est_supprime_apres_le_delai_de_grace(tmp_path: Path) -> None:
    blobs = BlobsSurDisque(tmp_path)
    adresse = blobs.deposer(CONTENU)
    _vieillir(tmp_path, adresse, 2)
    assert blobs.supprimer(adresse, delai_de_grace=UN_JOUR) == len(CONTENU)
    assert not (tmp_path / adresse[:2] / adresse[2:]).exists()


def test_un_contenu_depose_a_nouveau_echappe_a_la_purge(tmp_path: Path) -> None:
    blobs = BlobsSurDisque(tmp_path)
    adresse = blobs.deposer(CONTENU)
    _vieillir(tmp_path, adresse, 3650)
    # An upload of the same bytes, while the purge is deciding.
    assert BlobsSurDisque(tmp_path).deposer(CONTENU) == adresse
    assert blobs.supprimer(adresse, delai_de_grace=UN_JOUR) is None
    assert blobs.lire(adresse) == CONTENU


def test_le_verrou_n_est_pas_pris_pour_un_contenu(tmp_path: Path) -> None:
    blobs = BlobsSurDisque(tmp_path)
    adresse = blobs.deposer(CONTENU)
    blobs.deposer(CONTENU)
    assert blobs.taille(".verrou") is None
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [adresse[:2]]
