"""`BoucleDEnvoi`: the outbox leaves on its own, and the loop stops cleanly."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from chorus.adapters.mail import BoucleDEnvoi, ExpediteurSmtp
from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.domain.courriels import Courriel
from chorus.services.contexte import Ports
from chorus.services.courriels import BilanDEnvoi, DistributeurDeCourriels
from tests.adapters.mail.serveur import ServeurSmtp
from tests.doubles import RenduSommaire

MAINTENANT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)


def attendre(condition: Callable[[], bool], delai: float = 10.0) -> bool:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class Chaine:
    """Memory storage, a distributor to a real SMTP server, and a way to queue emails."""

    def __init__(self, serveur: ServeurSmtp) -> None:
        self.uow = UniteDeTravailEnMemoire()
        self.horloge = HorlogeFixe(MAINTENANT)
        self.distributeur = DistributeurDeCourriels(
            Ports(
                uow=self.uow,
                clock=self.horloge,
                ids=IdsSequentiels(),
                blobs=BlobsEnMemoire(),
                referentiels=ReferentielsDuPaquet(),
                bareme_tic=BaremeTicDuPaquet(),
                documents=RenduSommaire(),
            ),
            ExpediteurSmtp("127.0.0.1", serveur.port),
            "ne-pas-repondre@chorus.example",
        )
        self.passes = 0

    def distribuer(self) -> BilanDEnvoi:
        bilan = self.distributeur.distribuer()
        self.passes += 1
        return bilan

    def file(self, id: str) -> None:
        with self.uow:
            self.uow.courriels.ajouter(
                Courriel.nouveau(
                    id=id,
                    destinataire="zoe@exemple.fr",
                    sujet="Rappel : mémoire à compléter",
                    corps="Bonjour,\nvotre mémoire attend des pièces.\n",
                    maintenant=self.horloge.maintenant(),
                )
            )
            self.uow.commit()


@pytest.fixture
def serveur() -> Iterator[ServeurSmtp]:
    with ServeurSmtp() as serveur:
        yield serveur


def test_la_boucle_livre_sans_qu_on_l_appelle_et_s_arrete(serveur: ServeurSmtp) -> None:
    chaine = Chaine(serveur)
    boucle = BoucleDEnvoi(chaine.distribuer, intervalle=0.05)
    chaine.file("avant")
    boucle.demarrer()
    try:
        assert attendre(lambda: len(serveur.recus) == 1)
        chaine.file("pendant")
        assert attendre(lambda: len(serveur.recus) == 2)
    finally:
        boucle.arreter(delai=10)
    assert not boucle.en_marche
    assert not any(f.name == "chorus-envoi-courriels" for f in threading.enumerate())
    assert sorted(str(r.message["Message-ID"]) for r in serveur.recus) == [
        "<avant@chorus>",
        "<pendant@chorus>",
    ]


def test_arreter_fait_une_derniere_passe(serveur: ServeurSmtp) -> None:
    chaine = Chaine(serveur)
    boucle = BoucleDEnvoi(chaine.distribuer, intervalle=3600)
    boucle.demarrer()
    assert attendre(lambda: chaine.passes == 1)
    chaine.file("dernier")

    debut = time.monotonic()
    boucle.arreter(delai=10)

    assert time.monotonic() - debut < 5
    assert [str(r.message["Message-ID"]) for r in serveur.recus] == ["<dernier@chorus>"]
    assert chaine.passes == 2
    assert not boucle.en_marche


def test_reveiller_declenche_une_passe_tout_de_suite(serveur: ServeurSmtp) -> None:
    chaine = Chaine(serveur)
    boucle = BoucleDEnvoi(chaine.distribuer, intervalle=3600)
    boucle.demarrer()
    try:
        assert attendre(lambda: chaine.passes == 1)  # now it sleeps for an hour
        chaine.file("urgent")
        boucle.reveiller()
        assert attendre(lambda: len(serveur.recus) == 1, delai=5)
    finally:
        boucle.arreter(delai=10)


def test_une_passe_qui_plante_est_journalisee_et_la_boucle_continue(
    caplog: pytest.LogCaptureFixture,
) -> None:
    appels: list[int] = []

    def distribuer() -> None:
        appels.append(1)
        if len(appels) <= 2:
            raise RuntimeError("base indisponible")

    boucle = BoucleDEnvoi(distribuer, intervalle=0.02)
    with caplog.at_level(logging.ERROR, logger="chorus.adapters.mail.boucle"):
        boucle.demarrer()
        try:
            assert attendre(lambda: len(appels) >= 4)
        finally:
            boucle.arreter(delai=10)

    erreurs = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(erreurs) == 2
    assert erreurs[0].exc_info is not None
    assert "base indisponible" in str(erreurs[0].exc_info[1])
    assert not boucle.en_marche


def test_un_lot_complet_est_suivi_d_une_autre_passe_sans_attendre() -> None:
    appels: list[int] = []

    def distribuer() -> BilanDEnvoi:
        appels.append(1)
        return BilanDEnvoi(envoyes=100, lot_complet=len(appels) < 5)

    boucle = BoucleDEnvoi(distribuer, intervalle=3600)
    boucle.demarrer()
    try:
        assert attendre(lambda: len(appels) >= 5, delai=5)
        time.sleep(0.1)
        assert len(appels) == 5  # then it waits for the interval
    finally:
        boucle.arreter(delai=10)
    assert len(appels) == 6  # the last pass


def test_demarrer_deux_fois_est_refuse_et_arreter_sans_demarrer_ne_fait_rien() -> None:
    boucle = BoucleDEnvoi(lambda: None, intervalle=3600)
    boucle.arreter()
    boucle.demarrer()
    try:
        with pytest.raises(RuntimeError, match="already started"):
            boucle.demarrer()
    finally:
        boucle.arreter(delai=10)
    with pytest.raises(ValueError, match="positive"):
        BoucleDEnvoi(lambda: None, intervalle=0)
