"""Concurrent writers on one store: numbers handed out once and without gaps, and two
writers saving the same draft never both win (no lost update, no mix of their changes)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from chorus.bootstrap import Chorus
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from tests.fiabilite.commun import (
    ADAPTATEURS,
    Monde,
    Rapports,
    adresse,
    attendre_ligne,
    ecrire_un_memoire,
    entete,
    lancer_ecrivain,
    marques_de,
    ouvert,
    preparer,
    preparer_edition,
    saisies,
    terminer,
    valeur_mj,
    verifier_magasin,
)

PROCESSUS = 4
ENVOIS_PAR_PROCESSUS = 10
TOURS_EN_FILS = 5
FACONS = ("cas", "depot")


def _valeur(sortie: str, mot: str) -> int:
    (ligne,) = [ligne for ligne in sortie.splitlines() if ligne.startswith(f"{mot} ")]
    return int(ligne.split()[1])


@pytest.mark.parametrize("adaptateur", ADAPTATEURS)
def test_des_envois_simultanes_recoivent_des_numeros_distincts_et_sans_trou(
    adaptateur: str, tmp_path: Path
) -> None:
    url = adresse(adaptateur, tmp_path / "stockage")
    monde = preparer(url)
    rapports = Rapports()
    with ouvert(url) as chorus:
        depart = valeur_mj(
            ecrire_un_memoire(chorus, monde, rapports.noter, entete(chorus, monde)).numero
        )
    barriere = tmp_path / "barriere"
    ecrivains = [
        lancer_ecrivain(
            "lot",
            url,
            monde.acteur_id,
            monde.structure_id,
            str(ENVOIS_PAR_PROCESSUS),
            str(barriere),
        )
        for _ in range(PROCESSUS)
    ]
    try:
        # Every writer has opened the store and waits before any of them starts.
        debuts = [attendre_ligne(ecrivain, "PRET", delai=60) for ecrivain in ecrivains]
        barriere.touch()
        sorties: list[str] = []
        for ecrivain, debut in zip(ecrivains, debuts, strict=True):
            reste, erreurs = terminer(ecrivain, delai=120)
            assert ecrivain.returncode == 0, erreurs
            sorties.append((debut + reste).decode())
    finally:
        for ecrivain in ecrivains:
            if ecrivain.returncode is None:
                ecrivain.kill()
                terminer(ecrivain, delai=30)

    numeros: list[str] = []
    for sortie in sorties:
        envois = Rapports()
        envois.lire(sortie.encode())
        assert len(envois.envoyes) == ENVOIS_PAR_PROCESSUS
        numeros.extend(envois.envoyes.values())
        rapports.brouillons.update(envois.brouillons)
        rapports.envoyes.update(envois.envoyes)
    # They really wrote at the same time: each started before any other had finished.
    assert max(_valeur(s, "DEBUT") for s in sorties) < min(_valeur(s, "FIN") for s in sorties)
    assert len(set(numeros)) == len(numeros) == PROCESSUS * ENVOIS_PAR_PROCESSUS
    assert sorted(valeur_mj(n) for n in numeros) == list(
        range(depart + 1, depart + 1 + PROCESSUS * ENVOIS_PAR_PROCESSUS)
    )

    memoires = verifier_magasin(adaptateur, url, monde, rapports)
    envoyes = [m for m in memoires.values() if m.statut is StatutMemoire.ENVOYE]
    assert len(envoyes) == 1 + PROCESSUS * ENVOIS_PAR_PROCESSUS
    # The sequence is where the last writer left it.
    with ouvert(url) as chorus:
        suivant = ecrire_un_memoire(chorus, monde, rapports.noter, entete(chorus, monde))
    assert valeur_mj(suivant.numero) == depart + 1 + PROCESSUS * ENVOIS_PAR_PROCESSUS


# -- two writers, one draft --------------------------------------------------------------


def _brouillon(chorus: Chorus, monde: Monde) -> Memoire:
    memoire = chorus.memoires.creer(monde.acteur_id, entete(chorus, monde))
    return chorus.memoires.ajouter_ligne(
        monde.acteur_id, memoire.id, saisies(chorus.ports.clock.aujourdhui())[0]
    )


def _verifier_un_seul_gagnant(
    chorus: Chorus, monde: Monde, lu: Memoire, resultats: dict[str, str], facon: str
) -> None:
    """Exactly one writer won; the other was told of the conflict; the draft holds the
    winner's change, all of it, and nothing of the loser's."""
    gagnants = [m for m, r in resultats.items() if r.startswith("GAGNE ")]
    perdants = [m for m, r in resultats.items() if r.startswith("CONFLIT ")]
    assert len(gagnants) == 1, resultats
    assert len(perdants) == 1, resultats
    (gagnant,), (perdant,) = gagnants, perdants
    assert resultats[gagnant] == f"GAGNE {lu.version + 1}"
    assert resultats[perdant] == f"CONFLIT {lu.version} {lu.version + 1}"
    stocke = chorus.memoires.obtenir(monde.acteur_id, lu.id)
    assert stocke.version == lu.version + 1
    assert marques_de(stocke) == {gagnant}
    assert stocke.entete.numero_facture == stocke.entete.commentaire == f"ECRIVAIN-{gagnant}"
    attendues = len(lu.lignes) + (1 if facon == "depot" else 0)
    assert len(stocke.lignes) == attendues
    assert stocke.lignes[: len(lu.lignes)] == lu.lignes


def _en_meme_temps(tentatives: dict[str, Callable[[], str]]) -> dict[str, str]:
    """Run each attempt in its own thread, all released at once; their results."""
    depart = threading.Barrier(len(tentatives))
    resultats: dict[str, str] = {}
    echecs: list[BaseException] = []

    def ecrire(marque: str, tenter: Callable[[], str]) -> None:
        try:
            depart.wait(timeout=30)
            resultats[marque] = tenter()
        except BaseException as echec:
            echecs.append(echec)

    fils = [
        threading.Thread(target=ecrire, args=(marque, tenter))
        for marque, tenter in tentatives.items()
    ]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    assert not any(f.is_alive() for f in fils)
    assert echecs == []
    return resultats


@pytest.mark.parametrize("facon", FACONS)
@pytest.mark.parametrize("adaptateur", ADAPTATEURS)
def test_deux_fils_qui_modifient_le_meme_brouillon_un_seul_gagne(
    adaptateur: str, facon: str, tmp_path: Path
) -> None:
    url = adresse(adaptateur, tmp_path)
    monde = preparer(url)
    with ouvert(url) as chorus:
        for _ in range(TOURS_EN_FILS):
            lu = _brouillon(chorus, monde)
            resultats = _en_meme_temps(
                {marque: preparer_edition(chorus, monde, lu, marque, facon) for marque in "AB"}
            )
            _verifier_un_seul_gagnant(chorus, monde, lu, resultats, facon)


@pytest.mark.parametrize("facon", FACONS)
@pytest.mark.parametrize("adaptateur", ADAPTATEURS)
def test_deux_processus_qui_modifient_le_meme_brouillon_un_seul_gagne(
    adaptateur: str, facon: str, tmp_path: Path
) -> None:
    url = adresse(adaptateur, tmp_path / "stockage")
    monde = preparer(url)
    with ouvert(url) as chorus:
        lu = _brouillon(chorus, monde)
    barriere = tmp_path / "barriere"
    ecrivains = {
        marque: lancer_ecrivain(
            "editer",
            url,
            monde.acteur_id,
            monde.structure_id,
            lu.id,
            str(lu.version),
            marque,
            str(barriere),
            facon,
        )
        for marque in "AB"
    }
    resultats: dict[str, str] = {}
    try:
        for ecrivain in ecrivains.values():
            attendre_ligne(ecrivain, "PRET", delai=60)
        barriere.touch()
        for marque, ecrivain in ecrivains.items():
            sortie, erreurs = terminer(ecrivain, delai=60)
            assert ecrivain.returncode == 0, erreurs
            resultats[marque] = sortie.decode().strip()
    finally:
        for ecrivain in ecrivains.values():
            if ecrivain.returncode is None:
                ecrivain.kill()
                terminer(ecrivain, delai=30)
    with ouvert(url) as chorus:
        _verifier_un_seul_gagnant(chorus, monde, lu, resultats, facon)
