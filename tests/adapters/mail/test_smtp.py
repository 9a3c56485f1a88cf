"""`ExpediteurSmtp` against a real SMTP server on loopback."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from chorus.adapters.mail import ExpediteurSmtp
from chorus.domain.courriels import Courriel
from chorus.ports.courrier import EchecDEnvoi
from tests.adapters.mail.serveur import ServeurSmtp, port_libre

MAINTENANT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)
EXPEDITEUR = "ne-pas-repondre@chorus.example"
SUJET = "Activez votre compte Chorus Pro – lien valable 60 minutes"
CORPS = (
    "Bonjour Éloïse,\n\n"
    "Votre compte a été créé. Cliquez sur le lien ci-dessous pour l'activer :\n"
    "http://127.0.0.1:8000/activation?jeton=abc\n\n"
    "Reçu d'un « prestataire » ; montant : 158,25 €.\n"
)


def courriel(id: str = "c-1", destinataire: str = "eloise@exemple.fr") -> Courriel:
    return Courriel.nouveau(
        id=id, destinataire=destinataire, sujet=SUJET, corps=CORPS, maintenant=MAINTENANT
    )


@pytest.fixture
def serveur() -> Iterator[ServeurSmtp]:
    with ServeurSmtp() as serveur:
        yield serveur


def test_le_message_remis_porte_les_bons_en_tetes_et_le_corps_en_utf8(
    serveur: ServeurSmtp,
) -> None:
    ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(courriel(), EXPEDITEUR)

    [recu] = serveur.recus
    assert recu.expediteur == EXPEDITEUR
    assert recu.destinataires == ("eloise@exemple.fr",)
    message = recu.message
    assert message["From"] == EXPEDITEUR
    assert message["To"] == "eloise@exemple.fr"
    assert message["Subject"] == SUJET
    assert message["Message-ID"] == "<c-1@chorus>"
    assert parsedate_to_datetime(str(message["Date"])) == MAINTENANT
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == CORPS
    # What travelled is 7-bit clean: no server can mangle it.
    assert all(octet < 128 for octet in recu.brut)
    assert not recu.chiffre


def test_deux_envois_du_meme_courriel_portent_le_meme_message_id(serveur: ServeurSmtp) -> None:
    expediteur = ExpediteurSmtp("127.0.0.1", serveur.port)
    expediteur.envoyer(courriel("c-7"), EXPEDITEUR)
    expediteur.envoyer(courriel("c-7"), EXPEDITEUR)
    expediteur.envoyer(courriel("c-8"), EXPEDITEUR)

    ids = [str(r.message["Message-ID"]) for r in serveur.recus]
    assert ids == ["<c-7@chorus>", "<c-7@chorus>", "<c-8@chorus>"]


def test_serveur_arrete_echec_en_francais() -> None:
    port = port_libre()
    with pytest.raises(EchecDEnvoi, match=rf"injoignable \(127\.0\.0\.1:{port}\).*refusée"):
        ExpediteurSmtp("127.0.0.1", port).envoyer(courriel(), EXPEDITEUR)


def test_destinataire_refuse_550(serveur: ServeurSmtp) -> None:
    serveur.collecteur.refus_destinataire = "550 5.1.1 Boîte inconnue"

    with pytest.raises(EchecDEnvoi, match=r"Destinataire refusé.*eloise@exemple\.fr \(550"):
        ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(courriel(), EXPEDITEUR)
    assert serveur.recus == []


def test_message_refuse_550(serveur: ServeurSmtp) -> None:
    serveur.collecteur.refus_message = "550 5.7.1 Contenu refusé"

    with pytest.raises(EchecDEnvoi, match=r"Message refusé par le serveur SMTP .*: 550"):
        ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(courriel(), EXPEDITEUR)


def test_refus_temporaire_451(serveur: ServeurSmtp) -> None:
    serveur.collecteur.refus_message = "451 4.3.0 Réessayez plus tard"

    with pytest.raises(EchecDEnvoi, match="451"):
        ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(courriel(), EXPEDITEUR)


def test_une_fin_de_session_ratee_apres_acceptation_n_est_pas_un_echec(
    serveur: ServeurSmtp,
) -> None:
    # The server took the message: reporting a failure would send it a second time.
    serveur.collecteur.reponse_quit = "421 4.3.2 Arrêt du service"

    ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(courriel(), EXPEDITEUR)

    assert len(serveur.recus) == 1


def test_serveur_muet_delai_depasse() -> None:
    # Accepts the connection (the kernel's backlog) but never greets.
    with socket.socket() as muet:
        muet.bind(("127.0.0.1", 0))
        muet.listen()
        port = muet.getsockname()[1]
        with pytest.raises(EchecDEnvoi, match=r"muet : délai de 0\.3 s dépassé"):
            ExpediteurSmtp("127.0.0.1", port, delai=0.3).envoyer(courriel(), EXPEDITEUR)


def test_serveur_qui_raccroche() -> None:
    with socket.socket() as brutal:
        brutal.bind(("127.0.0.1", 0))
        brutal.listen()

        def raccrocher() -> None:
            # Accept then close at once, before the greeting.
            connexion, _ = brutal.accept()
            connexion.close()

        fil = threading.Thread(target=raccrocher)
        fil.start()
        client = ExpediteurSmtp("127.0.0.1", brutal.getsockname()[1], delai=2)
        try:
            with pytest.raises(EchecDEnvoi, match="interrompue"):
                client.envoyer(courriel(), EXPEDITEUR)
        finally:
            fil.join()


def test_en_tete_impossible_echec_sans_connexion(serveur: ServeurSmtp) -> None:
    with pytest.raises(EchecDEnvoi, match="impossible à composer"):
        ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(
            courriel(destinataire="a@b.fr\r\nBcc: espion@ailleurs.fr"), EXPEDITEUR
        )
    assert serveur.recus == []


@pytest.fixture
def certificat(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cle, cert = tmp_path / "cle.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(cle), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cle, cert


def contexte_serveur(certificat: tuple[Path, Path]) -> ssl.SSLContext:
    contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexte.load_cert_chain(certfile=certificat[1], keyfile=certificat[0])
    return contexte


def test_starttls_quand_le_serveur_le_propose(certificat: tuple[Path, Path]) -> None:
    confiance = ssl.create_default_context(cafile=str(certificat[1]))
    with ServeurSmtp(tls=contexte_serveur(certificat)) as serveur:
        ExpediteurSmtp("127.0.0.1", serveur.port, contexte_tls=confiance).envoyer(
            courriel(), EXPEDITEUR
        )
        [recu] = serveur.recus
    assert recu.chiffre
    assert recu.message.get_content().replace("\r\n", "\n") == CORPS


def test_starttls_certificat_non_reconnu_echec(certificat: tuple[Path, Path]) -> None:
    with ServeurSmtp(tls=contexte_serveur(certificat)) as serveur:
        with pytest.raises(EchecDEnvoi, match="STARTTLS impossible"):
            ExpediteurSmtp("127.0.0.1", serveur.port).envoyer(courriel(), EXPEDITEUR)
        assert serveur.recus == []


def test_starttls_desactive_envoie_en_clair(certificat: tuple[Path, Path]) -> None:
    with ServeurSmtp(tls=contexte_serveur(certificat)) as serveur:
        ExpediteurSmtp("127.0.0.1", serveur.port, starttls=False).envoyer(courriel(), EXPEDITEUR)
        [recu] = serveur.recus
    assert not recu.chiffre
