"""The server integrates deposited flux in the background: at start-up it resumes what is
pending, a flux deposited through the API is integrated without anyone asking, and a stop
leaves an integration between two chunks (each committed whole) for the next start."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar.testing import TestClient

from chorus.adapters.systeme.boucle_flux import BoucleDesFlux
from chorus.bootstrap import construire_serveur
from chorus.config import Configuration
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.flux.flux import Flux, FormatFlux, StatutFlux
from tests import flux_a_deposer as fichiers
from tests.contract.agregats import IBAN
from tests.fiabilite.commun import Monde, ouvert, preparer

AUJOURDHUI = jour_a_paris(datetime.now(UTC))
MOT_DE_PASSE = "Solide-Mdp-2024"


def _attendre_la_fin(stockage: str, monde: Monde, numero: str, delai: float = 30) -> Flux:
    limite = time.monotonic() + delai
    with ouvert(stockage) as chorus:
        while True:
            flux = chorus.flux.obtenir(monde.acteur_id, numero)
            if flux.statut.termine or time.monotonic() > limite:
                return flux
            time.sleep(0.05)


def test_le_serveur_integre_les_flux_en_arriere_plan(tmp_path: Path) -> None:
    stockage = f"sqlite:///{tmp_path / 'chorus.db'}"
    monde = preparer(stockage)
    with ouvert(stockage) as chorus:
        # Pending before the server starts (as a killed process would have left it).
        en_attente = chorus.flux.deposer(
            monde.acteur_id,
            structure_id=monde.structure_id,
            format=FormatFlux.JSON,
            nom_fichier="avant.json",
            contenu=fichiers.flux_json(3, IBAN, AUJOURDHUI, prefixe="AVANT"),
        )
        chorus.comptes.definir_mot_de_passe(monde.acteur_id, MOT_DE_PASSE)
    configuration = Configuration(
        stockage=stockage, dossier_courriels=tmp_path / "mail", captcha_actif=False
    )
    serveur = construire_serveur(configuration)
    with TestClient(serveur.application, base_url="http://testserver.local/api/v1") as client:
        assert _attendre_la_fin(stockage, monde, en_attente.numero).statut is StatutFlux.IN_INTEGRE
        session = client.post(
            "/sessions", json={"email": "gestionnaire@fiabilite.fr", "mot_de_passe": MOT_DE_PASSE}
        )
        assert session.status_code == 201, session.text
        reponse = client.post(
            "/flux",
            files={"fichier": ("apres.json", fichiers.flux_json(2, IBAN, AUJOURDHUI), "x/y")},
            data={"structure_id": monde.structure_id},
            headers={"Authorization": f"Bearer {session.json()['jeton']}"},
        )
        assert reponse.status_code == 202, reponse.text
        assert reponse.json()["statut"] == "IN_RECU"
        depose = _attendre_la_fin(stockage, monde, reponse.json()["numero_flux"])
    assert depose.statut is StatutFlux.IN_INTEGRE
    assert depose.integres == 2


def _flux(traites: int) -> Flux:
    return Flux(
        id="f",
        numero="FL2024000000001",
        structure_id="s",
        deposant_id="u",
        deposant="Camille",
        format=FormatFlux.JSON,
        nom_fichier="m.json",
        fichier_sha256="0" * 64,
        pieces_sha256=None,
        envoi_direct=False,
        date_depot=datetime(2024, 6, 14, tzinfo=UTC),
        statut=StatutFlux.IN_EN_TRAITEMENT,
        total=1000,
        traites=traites,
    )


def test_l_arret_laisse_l_integration_entre_deux_lots() -> None:
    """A long integration under way when the server stops: the loop leaves it after the
    chunk under way instead of holding the shutdown until the end of the file."""
    lots: list[int] = []
    en_cours = threading.Event()

    def traiter(progression: Callable[[Flux], None]) -> None:
        for lot in range(1, 1001):
            time.sleep(0.001)  # a chunk committed
            lots.append(lot)
            en_cours.set()
            progression(_flux(lot))

    boucle = BoucleDesFlux(traiter, intervalle=0.05)
    boucle.demarrer()
    assert en_cours.wait(5)
    boucle.arreter(delai=5)
    assert not boucle.en_marche
    assert 0 < len(lots) < 1000


def test_une_passe_en_echec_n_arrete_pas_la_boucle(caplog: pytest.LogCaptureFixture) -> None:
    passes = threading.Semaphore(0)

    def traiter(progression: Callable[[Flux], None]) -> None:
        passes.release()
        raise OSError("disque plein")

    boucle = BoucleDesFlux(traiter, intervalle=0.01)
    boucle.demarrer()
    try:
        assert passes.acquire(timeout=5)
        assert passes.acquire(timeout=5)  # a second pass after the failed one
    finally:
        boucle.arreter(delai=5)
    assert "Échec d'une passe d'intégration des flux" in caplog.text


def test_reveiller_lance_une_passe_sans_attendre_l_intervalle() -> None:
    passes = threading.Semaphore(0)
    boucle = BoucleDesFlux(lambda progression: passes.release(), intervalle=3600)
    boucle.demarrer()
    try:
        assert passes.acquire(timeout=5)  # the pass at start-up
        boucle.reveiller()
        assert passes.acquire(timeout=5)
    finally:
        boucle.arreter(delai=5)
