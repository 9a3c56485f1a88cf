"""A writer killed at any instant (SIGKILL: no handler, no cleanup) leaves a whole store.

A child process writes and sends mémoires as fast as it can and is killed after a random
delay, again and again on the same store. After each kill the store is opened afresh and
checked from end to end: SQLite's own integrity checks, every mémoire whole (lines, amounts,
pièces and their contents, certificate and empreinte), no number handed out twice, every
commit the writer reported still there, the search and the counters in agreement with the
mémoires themselves — and the store takes a new mémoire, with a number never used before.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from chorus.domain.statuts import StatutMemoire
from tests.fiabilite.commun import (
    ADAPTATEURS,
    Rapports,
    adresse,
    attendre_ligne,
    ecrire_un_memoire,
    entete,
    lancer_ecrivain,
    ouvert,
    partir,
    preparer,
    terminer,
    valeur_mj,
    verifier_magasin,
)

NOMBRE_DE_COUPURES = 20
# How long the writer runs after it said it was ready, in seconds.
DELAI_MINIMUM, DELAI_MAXIMUM = 0.05, 0.4


@pytest.mark.parametrize("adaptateur", ADAPTATEURS)
def test_un_ecrivain_tue_a_tout_instant_laisse_un_stockage_entier(
    adaptateur: str, tmp_path: Path
) -> None:
    url = adresse(adaptateur, tmp_path)
    monde = preparer(url)
    hasard = random.Random(f"coupures-{adaptateur}")
    rapports = Rapports()
    vus: set[str] = set()
    envoyes_par_l_ecrivain = 0
    coupures_apres_ecriture = 0
    # Each writer is started one round ahead and waits: its imports overlap the checks.
    prochain = lancer_ecrivain("boucle", url, monde.acteur_id, monde.structure_id)
    try:
        for coupure in range(NOMBRE_DE_COUPURES):
            ecrivain = prochain
            try:
                partir(ecrivain)
                lu = attendre_ligne(ecrivain, "PRET", delai=60)
                time.sleep(hasard.uniform(DELAI_MINIMUM, DELAI_MAXIMUM))
            finally:
                ecrivain.kill()
            reste, erreurs = terminer(ecrivain, delai=30)
            # Killed while writing, not dead of an error of its own before.
            assert ecrivain.returncode == -signal.SIGKILL, erreurs
            if coupure + 1 < NOMBRE_DE_COUPURES:
                prochain = lancer_ecrivain("boucle", url, monde.acteur_id, monde.structure_id)
            avant = (len(rapports.brouillons), len(rapports.envoyes))
            rapports.lire(lu + reste)
            envoyes_par_l_ecrivain += len(rapports.envoyes) - avant[1]
            coupures_apres_ecriture += (len(rapports.brouillons), len(rapports.envoyes)) != avant

            memoires = verifier_magasin(adaptateur, url, monde, rapports, deja_vus=vus)
            vus |= memoires.keys()

            # The store takes a new mémoire after the crash, numbered past every number used.
            with ouvert(url) as chorus:
                apres = ecrire_un_memoire(chorus, monde, rapports.noter, entete(chorus, monde))
            anciens_mj = [
                valeur_mj(m.numero) for m in memoires.values() if m.statut is StatutMemoire.ENVOYE
            ]
            assert valeur_mj(apres.numero) > max(anciens_mj, default=0)
            assert apres.numero_brouillon not in {m.numero_brouillon for m in memoires.values()}
    finally:
        if prochain.returncode is None:
            prochain.kill()
            terminer(prochain, delai=30)

    verifier_magasin(adaptateur, url, monde, rapports)
    # The writer really wrote before most kills, and sent some mémoires (else the kills
    # would all have hit an idle process and this test would prove nothing).
    assert coupures_apres_ecriture >= NOMBRE_DE_COUPURES // 2
    assert envoyes_par_l_ecrivain >= 1
