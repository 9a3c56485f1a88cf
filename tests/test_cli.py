"""The `chorus` command: the demo the README promises, and clear refusals."""

from __future__ import annotations

import email
from pathlib import Path

import anyio.to_thread
import attrs
import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from chorus.bootstrap import Chorus, construire, construire_serveur
from chorus.cli import main
from chorus.config import Configuration
from chorus.domain.courriels import Courriel
from chorus.domain.utilisateur import RoleAgent
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Tri
from chorus.services.demo import EMAIL_TEMOIN, EMAILS_DEMO, MOT_DE_PASSE_DEMO, charger_demo
from tests.doubles import hacheur_rapide
from tests.monde import construire_chorus


def test_la_demo_montre_comptes_structures_et_memoires() -> None:
    resultat = CliRunner().invoke(main, ["demo", "--storage", "memory://"])
    assert resultat.exit_code == 0, resultat.output
    sortie = resultat.output
    for attendu in (
        "claire.martin@demo.chorus.fr",
        "Cabinet d'expertises Durand",
        "département 69",
        "Mis en paiement",
        "Dupliqué post refus",
        "Suspendu",
        "Brouillon",
        "158,25 €",  # the seed's worked example: 1 × 150.00 HT at 5.5 %
        "empreinte ",
    ):
        assert attendu in sortie, attendu
    assert "MJ00000000001" in sortie
    assert "TMP2" in sortie


def _compter(chorus: Chorus) -> tuple[int, int, int]:
    with chorus.ports.uow as uow:
        requete = CriteresMemoire(filtres=FiltresMemoire())
        memoires = len(uow.requetes.tous(requete, Tri()))
    demo = charger_demo(chorus.ports)  # a reload reports what is there
    return len(demo.utilisateurs), len(demo.structures), memoires


def test_la_demo_est_idempotente() -> None:
    chorus = construire_chorus()
    premiere = charger_demo(chorus.ports)
    assert not premiere.deja_chargee
    assert len(premiere.memoires) == 8
    avant = _compter(chorus)
    seconde = charger_demo(chorus.ports)
    assert seconde.deja_chargee
    assert _compter(chorus) == avant
    assert avant[2] == len(premiere.memoires)
    # A reload shows the same set, as the first load did.
    assert seconde.utilisateurs == premiere.utilisateurs
    assert seconde.structures == premiere.structures
    assert seconde.memoires == premiere.memoires


def test_un_stockage_inconnu_est_refuse_clairement() -> None:
    resultat = CliRunner().invoke(main, ["demo", "--storage", "postgres://x"])
    assert resultat.exit_code == 2
    assert "non reconnue" in resultat.output


def test_la_demo_donne_un_mot_de_passe_a_chaque_compte(tmp_path: Path) -> None:
    stockage = f"sqlite:///{tmp_path / 'chorus.db'}"
    resultat = CliRunner().invoke(main, ["demo", "--storage", stockage])
    assert resultat.exit_code == 0, resultat.output
    assert MOT_DE_PASSE_DEMO in resultat.output
    chorus = construire(stockage, hacheur=hacheur_rapide())
    for adresse in EMAILS_DEMO:
        session = chorus.comptes.ouvrir_session(adresse, MOT_DE_PASSE_DEMO)
        assert chorus.comptes.authentifier(session.jeton).utilisateur.email == adresse
    # A second run keeps the passwords (and says the set was there).
    encore = CliRunner().invoke(main, ["demo", "--storage", stockage])
    assert "déjà chargées" in encore.output
    assert chorus.comptes.ouvrir_session(EMAIL_TEMOIN, MOT_DE_PASSE_DEMO).jeton


def test_creer_agent_cree_un_compte_actif_qui_se_connecte(tmp_path: Path) -> None:
    stockage = f"sqlite:///{tmp_path / 'chorus.db'}"
    resultat = CliRunner().invoke(
        main,
        [
            "admin",
            "creer-agent",
            "--email",
            "Greffe@TJ-Lyon.justice.fr",
            "--mot-de-passe",
            "Greffe-Lyon-2024",
            "--role",
            "AGENT_JURIDICTION",
            "--juridiction",
            "TJ-69123",
            "--storage",
            stockage,
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    assert "greffe@tj-lyon.justice.fr" in resultat.output
    assert "TJ-69123" in resultat.output
    chorus = construire(stockage)
    session = chorus.comptes.ouvrir_session("greffe@tj-lyon.justice.fr", "Greffe-Lyon-2024")
    agent = chorus.comptes.authentifier(session.jeton).utilisateur
    assert agent.role is RoleAgent.AGENT_JURIDICTION
    assert agent.juridictions == frozenset({"TJ-69123"})


@pytest.mark.parametrize(
    ("arguments", "attendu"),
    [
        (["--role", "AGENT_JURIDICTION"], "juridiction"),
        (["--role", "COMPTABLE", "--juridiction", "TJ-00000"], "TJ-00000"),
        (["--role", "COMPTABLE", "--mot-de-passe", "court"], "10 caractères"),
        (["--role", "PAPE"], "PAPE"),
    ],
)
def test_creer_agent_refuse_clairement(tmp_path: Path, arguments: list[str], attendu: str) -> None:
    stockage = f"sqlite:///{tmp_path / 'chorus.db'}"
    base = ["admin", "creer-agent", "--email", "a@b.fr", "--mot-de-passe", "Solide-Mdp-2024"]
    resultat = CliRunner().invoke(main, [*base, *arguments, "--storage", stockage])
    assert resultat.exit_code in (1, 2)
    assert attendu in resultat.output
    with construire(stockage).ports.uow as uow:
        assert uow.utilisateurs.par_email("a@b.fr") is None


def test_envoyer_les_courriels_sans_smtp_ecrit_des_fichiers_eml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stockage = f"sqlite:///{tmp_path / 'chorus.db'}"
    monkeypatch.setenv("CHORUS_MAIL_DIR", str(tmp_path / "mail"))
    monkeypatch.delenv("CHORUS_SMTP_HOST", raising=False)
    chorus = construire(stockage)
    chorus.comptes.mot_de_passe_oublie("inconnu@exemple.fr")  # queues nothing
    with chorus.ports.uow as uow:
        uow.courriels.ajouter(
            Courriel.nouveau(
                id="c1",
                destinataire="claire@exemple.fr",
                sujet="Activation de votre compte",
                corps="Bonjour,\\nvoici le lien.",
                maintenant=chorus.ports.clock.maintenant(),
            )
        )
        uow.commit()
    resultat = CliRunner().invoke(main, ["courriels", "envoyer", "--storage", stockage])
    assert resultat.exit_code == 0, resultat.output
    assert "Courriels envoyés : 1" in resultat.output
    message = email.message_from_bytes((tmp_path / "mail" / "c1.eml").read_bytes())
    assert message["To"] == "claire@exemple.fr"
    # Sent once: a second run sends nothing more.
    encore = CliRunner().invoke(main, ["courriels", "envoyer", "--storage", stockage])
    assert "Courriels envoyés : 0" in encore.output


def test_le_serveur_demarre_et_arrete_l_envoi_des_courriels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHORUS_MAIL_DIR", str(tmp_path / "mail"))
    configuration = Configuration(
        stockage=f"sqlite:///{tmp_path / 'chorus.db'}",
        dossier_courriels=tmp_path / "mail",
        captcha_actif=False,
    )
    configuration = attrs.evolve(configuration, fils_de_travail=3)
    serveur = construire_serveur(configuration)
    assert "fichiers .eml" in serveur.courriels
    with TestClient(serveur.application) as client:
        assert client.blocking_portal is not None
        limite = client.blocking_portal.call(
            lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
        )
        assert limite == 3
        assert client.get("/api/v1/schema/openapi.json").status_code == 200
        captcha = client.get("/api/v1/captcha")
        assert captcha.status_code == 200
        reponse = client.post(
            "/api/v1/comptes",
            json={
                "email": "claire@exemple.fr",
                "mot_de_passe": "Solide-Mdp-2024",
                "nom": "Roy",
                "prenom": "Claire",
                "question_secrete": "Ville ?",
                "reponse_secrete": "Valence",
                "captcha_id": "x",
                "captcha_reponse": "y",
            },
        )
        assert reponse.status_code == 201, reponse.text
    # Stopping the application ran a last delivery pass: the activation email left.
    (fichier,) = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(fichier.read_bytes())
    assert message["To"] == "claire@exemple.fr"
    assert "activation?jeton=" in message.get_payload(decode=True).decode()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("variable", "valeur"),
    [
        ("CHORUS_SMTP_PORT", "soixante"),
        ("CHORUS_SMTP_PORT", "70000"),
        ("CHORUS_WORKER_THREADS", "0"),
        ("CHORUS_CAPTCHA", "non"),
        ("CHORUS_BASE_URL", "chorus.fr"),
    ],
)
def test_une_configuration_invalide_est_refusee(
    monkeypatch: pytest.MonkeyPatch, variable: str, valeur: str
) -> None:
    monkeypatch.setenv(variable, valeur)
    resultat = CliRunner().invoke(main, ["demo", "--storage", "memory://"])
    assert resultat.exit_code == 2
    assert variable in resultat.output


# -- retention ---------------------------------------------------------------------------------


def _archives_d_il_y_a_douze_ans(base: Path) -> tuple[str, str]:
    """On the SQLite store `base`, a mémoire sent and paid twelve years ago (with a pièce),
    and one paid recently; their numbers. The contents are dated as if deposited then."""
    import os
    from datetime import UTC, datetime, timedelta

    from chorus.adapters.storage.blobs import BlobsSurDisque
    from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
    from chorus.domain.pieces import TypePiece
    from chorus.domain.traitement import ActionTraitement
    from tests.monde import PDF, construire_monde, saisie_ligne

    pieces = base.with_name(f"{base.stem}-pieces")
    uow = UniteDeTravailSqlite(base)
    monde = construire_monde(uow, BlobsSurDisque(pieces))
    recent = monde.paye()
    il_y_a_douze_ans = datetime.now(UTC) - timedelta(days=365 * 12)
    monde.horloge.regler(il_y_a_douze_ans)
    m = monde.chorus.memoires
    qui = monde.gestionnaire.id
    ancien = m.creer(qui, monde.entete())
    m.ajouter_ligne(
        qui, ancien.id, saisie_ligne(date_prestation=il_y_a_douze_ans.date() - timedelta(days=9))
    )
    m.joindre_piece(
        qui,
        ancien.id,
        contenu=PDF + b"% requisition de 2014\n",
        nom_fichier="requisition.pdf",
        type_piece=TypePiece.REQUISITION,
    )
    ancien = m.envoyer(qui, ancien.id, attestation_sur_honneur=True)
    for action in (
        ActionTraitement.MISE_A_DISPOSITION,
        ActionTraitement.CERTIFICATION,
        ActionTraitement.MISE_EN_PAIEMENT,
    ):
        ancien = monde.evenement(ancien, action)
    uow.fermer()
    autrefois = il_y_a_douze_ans.timestamp()
    for fichier in pieces.rglob("*"):
        if fichier.is_file():
            os.utime(fichier, (autrefois, autrefois))
    return ancien.numero, recent.numero


def _purger(stockage: str, *options: str) -> tuple[int, str]:
    resultat = CliRunner().invoke(main, ["retention", "purger", *options, "--storage", stockage])
    return resultat.exit_code, resultat.output


def test_la_purge_simule_puis_supprime_ce_qui_a_plus_de_dix_ans(tmp_path: Path) -> None:
    base = tmp_path / "chorus.db"
    stockage = f"sqlite:///{base}"
    ancien, recent = _archives_d_il_y_a_douze_ans(base)

    code, sortie = _purger(stockage, "--simulation")

    assert code == 0, sortie
    assert "Simulation : rien n'est supprimé." in sortie
    assert ancien in sortie
    assert recent not in sortie
    assert "Mis en paiement" in sortie
    assert "TJ-69123" in sortie
    assert "41234567000019 – Cabinet Durand" in sortie
    # the pièce and the certificate; the RIB stays in the structure's pool
    assert "Bilan : 1 mémoire serait supprimé ; 2 fichiers seraient supprimés" in sortie
    with construire(stockage).ports.uow.lecture() as uow:
        assert uow.memoires.par_numero(ancien) is not None

    code, sortie = _purger(stockage)

    assert code == 0, sortie
    assert "Simulation" not in sortie
    assert ancien in sortie
    assert "Bilan : 1 mémoire supprimé ; 2 fichiers supprimés" in sortie
    with construire(stockage).ports.uow.lecture() as uow:
        assert uow.memoires.par_numero(ancien) is None
        assert uow.memoires.par_numero(recent) is not None

    code, sortie = _purger(stockage)
    assert code == 0, sortie
    assert (
        "Bilan : 0 mémoire supprimé ; 0 fichier supprimé (pièces et certificats, 0 octet)."
        in sortie
    )


@pytest.mark.parametrize(
    ("avant", "code_attendu", "attendu"),
    [
        ("14/06/2014", 2, "Date invalide pour --avant : « 14/06/2014 »"),
        ("2014-13-45", 2, "attendue au format AAAA-MM-JJ"),
        ("2099-01-01", 1, "Refusé (avant) : Date limite trop récente (01/01/2099)"),
    ],
)
def test_la_purge_refuse_une_date_incorrecte_sans_rien_supprimer(
    tmp_path: Path, avant: str, code_attendu: int, attendu: str
) -> None:
    base = tmp_path / "chorus.db"
    stockage = f"sqlite:///{base}"
    ancien, _ = _archives_d_il_y_a_douze_ans(base)

    code, sortie = _purger(stockage, "--avant", avant)

    assert code == code_attendu, sortie
    assert attendu in sortie
    assert "rien n'a été supprimé" in sortie.lower()
    with construire(stockage).ports.uow.lecture() as uow:
        assert uow.memoires.par_numero(ancien) is not None
