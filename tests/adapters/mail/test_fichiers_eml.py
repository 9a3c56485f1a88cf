"""`ExpediteurEml`: one `.eml` file per email, written atomically."""

from __future__ import annotations

import email
import os
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.adapters.mail import ExpediteurEml
from chorus.domain.courriels import Courriel
from chorus.ports.courrier import EchecDEnvoi

MAINTENANT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)
EXPEDITEUR = "ne-pas-repondre@chorus.example"


def courriel(
    id: str = "c-1",
    sujet: str = "Réinitialisation de votre mot de passe",
    corps: str = "Bonjour,\n\nVoici votre lien : http://127.0.0.1:8000/r?j=x\n— L'équipe\n",
) -> Courriel:
    return Courriel.nouveau(
        id=id, destinataire="cedric@exemple.fr", sujet=sujet, corps=corps, maintenant=MAINTENANT
    )


def relire(chemin: Path) -> EmailMessage:
    return email.message_from_bytes(chemin.read_bytes(), policy=policy.default)


def test_le_fichier_se_relit_avec_sujet_corps_et_en_tetes(tmp_path: Path) -> None:
    dossier = tmp_path / "var" / "mail"
    ExpediteurEml(dossier).envoyer(courriel(), EXPEDITEUR)

    assert sorted(p.name for p in dossier.iterdir()) == ["c-1.eml"]
    message = relire(dossier / "c-1.eml")
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    assert message["From"] == EXPEDITEUR
    assert message["To"] == "cedric@exemple.fr"
    assert message["Message-ID"] == "<c-1@chorus>"
    assert message.get_content().replace("\r\n", "\n") == courriel().corps


def test_reecrire_le_meme_courriel_est_sans_effet(tmp_path: Path) -> None:
    expediteur = ExpediteurEml(tmp_path)
    expediteur.envoyer(courriel(), EXPEDITEUR)
    premier = (tmp_path / "c-1.eml").read_bytes()
    expediteur.envoyer(courriel(), EXPEDITEUR)

    assert [p.name for p in tmp_path.iterdir()] == ["c-1.eml"]
    assert (tmp_path / "c-1.eml").read_bytes() == premier


@pytest.mark.parametrize("id", ["../evasion", "/etc/passwd", ".cache", "a/b", "", "x" * 300])
def test_un_id_qui_sortirait_du_dossier_est_refuse(tmp_path: Path, id: str) -> None:
    dossier = tmp_path / "mail"
    with pytest.raises(EchecDEnvoi, match="nom de fichier"):
        ExpediteurEml(dossier).envoyer(courriel(id=id), EXPEDITEUR)
    assert not dossier.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["mail"] or list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere")
def test_dossier_non_inscriptible_echec(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(EchecDEnvoi, match="Impossible d'écrire"):
            ExpediteurEml(tmp_path / "mail").envoyer(courriel(), EXPEDITEUR)
    finally:
        tmp_path.chmod(0o700)


def test_dossier_qui_est_un_fichier_echec(tmp_path: Path) -> None:
    (tmp_path / "mail").write_text("pas un dossier")
    with pytest.raises(EchecDEnvoi, match="Impossible d'écrire"):
        ExpediteurEml(tmp_path / "mail").envoyer(courriel(), EXPEDITEUR)


def test_echec_d_ecriture_ne_laisse_ni_fichier_ni_temporaire(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def replace_en_panne(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace_en_panne)
    with pytest.raises(EchecDEnvoi, match="No space left"):
        ExpediteurEml(tmp_path).envoyer(courriel(), EXPEDITEUR)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "sujet",
    [
        "¡¡ 00000000000 000¡¡¡¡¡𐀀𐀀𐀀 ¡ ¡",
        "l'activité délai semaine votre mot » prestataire récapitulatif frais dépassé n° à "
        "réessayez è réessayez délai è récapitulatif Réinitialisation frais en » équipe",
        "Subject in plain ASCII, long enough to be folded by the generator at least once or twice",
    ],
)
def test_un_long_sujet_garde_ses_espaces(tmp_path: Path, sujet: str) -> None:
    # CPython 3.11's modern folder glues the two words around a fold between encoded words.
    ExpediteurEml(tmp_path).envoyer(courriel(sujet=sujet), EXPEDITEUR)

    contenu = (tmp_path / "c-1.eml").read_bytes()
    assert all(len(ligne) <= 78 for ligne in contenu.split(b"\r\n"))
    assert relire(tmp_path / "c-1.eml")["Subject"] == sujet


def test_un_sujet_sur_deux_lignes_est_refuse(tmp_path: Path) -> None:
    with pytest.raises(EchecDEnvoi, match="saut de ligne"):
        ExpediteurEml(tmp_path).envoyer(courriel(sujet="Voilà\nBcc: espion@x.fr"), EXPEDITEUR)
    assert list(tmp_path.iterdir()) == []


texte = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=200
)


# Header whitespace is not content (it folds and unfolds): a subject is words between spaces.
mots = st.lists(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Z")),
        min_size=1,
        max_size=30,
    ),
    min_size=1,
    max_size=12,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(sujet=mots, lignes=st.lists(texte, max_size=6))
def test_tout_sujet_et_corps_francais_revient_intact(
    tmp_path_factory: pytest.TempPathFactory, sujet: str, lignes: list[str]
) -> None:
    dossier = tmp_path_factory.mktemp("eml")
    corps = "\n".join(lignes) + "\n"
    ExpediteurEml(dossier).envoyer(courriel(sujet=sujet, corps=corps), EXPEDITEUR)

    message = relire(dossier / "c-1.eml")
    assert message["Subject"] == sujet
    assert message.get_content().replace("\r\n", "\n") == corps
