"""`chorus notifications envoyer`: the summaries prepared and delivered, once, through a real
SMTP server; exit 0 while the server is down (they wait in the outbox)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.cli import main
from chorus.domain.traitement import ActionTraitement
from tests.adapters.mail.serveur import ServeurSmtp, port_libre
from tests.monde import construire_monde


def _base_avec_une_semaine(base: Path) -> list[str]:
    """A store where mémoires moved in the week of 10 to 16 June 2024; who subscribed and
    has changes (gestionnaire, modificateur, consultant, and the psy service's user)."""
    monde = construire_monde(UniteDeTravailSqlite(base), BlobsSurDisque(base.parent / "pieces"))
    monde.evenement(monde.envoye(service_id=monde.psy_id), ActionTraitement.MISE_A_DISPOSITION)
    monde.horloge.regler(datetime(2024, 6, 15, 9, 0, tzinfo=UTC))
    monde.envoye()
    return [
        u.email
        for u in (monde.gestionnaire, monde.modificateur, monde.consultant, monde.service_psy)
    ]


def _envoyer(stockage: str, *options: str) -> tuple[int, str]:
    resultat = CliRunner().invoke(
        main, ["notifications", "envoyer", *options, "--storage", stockage]
    )
    return resultat.exit_code, resultat.output


@pytest.fixture
def stockage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHORUS_BASE_URL", "https://chorus.exemple.fr")
    monkeypatch.delenv("CHORUS_SMTP_HOST", raising=False)
    return f"sqlite:///{tmp_path / 'chorus.db'}"


def test_le_suivi_hebdomadaire_est_remis_une_fois_apres_une_panne_smtp(
    tmp_path: Path, stockage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _base_avec_une_semaine(tmp_path / "chorus.db")
    port = port_libre()
    monkeypatch.setenv("CHORUS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHORUS_SMTP_PORT", str(port))

    code, sortie = _envoyer(stockage, "--hebdomadaire", "--jour", "2024-06-17")
    assert code == 0, sortie
    assert "de la semaine du 10 au 16/06/2024 : 4 courriels préparés" in sortie
    assert "Courriels envoyés : 0 ; en échec : 4." in sortie
    assert "Suivis en attente d'un prochain passage : 4" in sortie

    with ServeurSmtp(port) as serveur:
        code, sortie = _envoyer(stockage, "--hebdomadaire", "--jour", "2024-06-17")
        recus = serveur.recus
    # Nothing prepared twice; the failed ones wait for their retry delay (a minute, on the
    # real clock here: the delivery once the server is back is proven with a fake clock in
    # tests/services/test_activite.py).
    assert code == 0, sortie
    assert "0 courriel préparé ; 4 déjà préparés auparavant" in sortie
    assert recus == []
    assert "Suivis en attente d'un prochain passage : 4" in sortie


def test_le_suivi_quotidien_est_remis_puis_rien_n_est_envoye_deux_fois(
    tmp_path: Path, stockage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    abonnes = _base_avec_une_semaine(tmp_path / "chorus.db")
    with ServeurSmtp() as serveur:
        monkeypatch.setenv("CHORUS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CHORUS_SMTP_PORT", str(serveur.port))
        code, sortie = _envoyer(stockage, "--quotidien", "--jour", "2024-06-16")
        assert code == 0, sortie
        encore_code, encore = _envoyer(stockage, "--quotidien", "--jour", "2024-06-16")
        recus = serveur.recus

    # Saturday 15 June: the mémoire sent that day, seen by every habilitated user but psy.
    assert "Suivi d'activité quotidien du 15/06/2024 : 3 courriels préparés" in sortie
    assert "Courriels envoyés : 3 ; en échec : 0." in sortie
    assert "Aucun suivi en attente." in sortie
    assert encore_code == 0
    assert "0 courriel préparé ; 3 déjà préparés auparavant" in encore
    assert "Courriels envoyés : 0" in encore
    assert Counter(r.destinataires[0] for r in recus) == Counter(
        a for a in abonnes if not a.startswith("psy")
    )
    assert "https://chorus.exemple.fr/activite" in recus[0].message.get_content()


def test_les_refus_de_la_commande(stockage: str) -> None:
    code, sortie = _envoyer(stockage)
    assert code == 2
    assert "Indiquez --quotidien ou --hebdomadaire." in sortie
    code, sortie = _envoyer(stockage, "--quotidien", "--jour", "23/11/2026")
    assert code == 2
    assert "Date invalide pour --jour : « 23/11/2026 »" in sortie
    code, sortie = _envoyer(stockage, "--quotidien", "--jour", "2999-01-02")
    assert code == 1
    assert "Refusé (jour) : La période du 01/01/2999 n'est pas terminée" in sortie
