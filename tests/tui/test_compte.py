"""Before sign-in, from the terminal: activating a new account with the emailed link, and
resetting a forgotten password through the secret question — then signing in with it."""

from __future__ import annotations

import re

import pytest

from chorus.adapters.tui.ecrans.compte import (
    EcranActivation,
    EcranMotDePasseOublie,
    secret_du_lien,
)
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.ecrans.structure import EcranMesStructures
from chorus.domain.utilisateur import StatutUtilisateur
from tests.doubles import CODE_CAPTCHA
from tests.monde import Monde
from tests.tui.aides import TAILLE, application, attendre, cliquer, connecter, erreur_de, saisir

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]

EMAIL = "anne.lefevre@exemple.fr"
MOT_DE_PASSE_INITIAL = "Premier-Mot-2024"
NOUVEAU = "Nouveau-Secret-2024!"


def _lien(monde: Monde, chemin: str) -> str:
    corps = monde.dernier_courriel(EMAIL).corps
    trouve = re.search(rf"https?://\S+/{chemin}\?jeton=\S+", corps)
    assert trouve, corps
    return trouve.group(0)


def _inscrire(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    comptes.inscrire(
        email=EMAIL,
        mot_de_passe=MOT_DE_PASSE_INITIAL,
        nom="Lefèvre",
        prenom="Anne",
        question_secrete="Ville de naissance ?",
        reponse_secrete="Lyon",
        captcha_id=comptes.nouveau_captcha().id,
        captcha_reponse=CODE_CAPTCHA,
    )


def test_le_secret_se_lit_dans_le_lien_ou_seul() -> None:
    assert secret_du_lien("https://chorus.exemple/activation?jeton=abc-123") == "abc-123"
    assert secret_du_lien("  abc-123 ") == "abc-123"


async def test_activer_puis_oublier_son_mot_de_passe(monde: Monde) -> None:
    _inscrire(monde)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        await cliquer(pilot, "#activation")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActivation))
        await saisir(pilot, "jeton", "pas-un-vrai-lien")
        await cliquer(pilot, "#activer")
        await attendre(pilot, lambda: bool(app.screen.query(".erreur.visible")))
        compte = monde.chorus.utilisateurs.par_email(EMAIL)
        assert compte is not None
        assert compte.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION

        await saisir(pilot, "jeton", _lien(monde, "activation"))
        await cliquer(pilot, "#activer")
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        compte = monde.chorus.utilisateurs.par_email(EMAIL)
        assert compte is not None
        assert compte.statut is StatutUtilisateur.ACTIF

        await saisir(pilot, "email", EMAIL)
        await cliquer(pilot, "#oubli")
        await attendre(pilot, lambda: isinstance(app.screen, EcranMotDePasseOublie))
        await cliquer(pilot, "#envoyer-lien")
        await attendre(pilot, lambda: app.screen.query_one("#oubli-lien").display)
        await saisir(pilot, "jeton", _lien(monde, "reinitialisation"))
        await cliquer(pilot, "#lire-question")
        await attendre(
            pilot, lambda: "Ville de naissance" in str(app.screen.query_one("#question").render())
        )
        await saisir(pilot, "reponse_secrete", "Lyon")
        await saisir(pilot, "nouveau_mot_de_passe", "court")
        await cliquer(pilot, "#reinitialiser")
        await attendre(pilot, lambda: bool(erreur_de(pilot, "nouveau_mot_de_passe")))
        await saisir(pilot, "nouveau_mot_de_passe", NOUVEAU)
        await cliquer(pilot, "#reinitialiser")
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))

        await connecter(pilot, EMAIL, NOUVEAU)
        # A new account belongs to no structure yet: it lands where it can create or join one.
        await attendre(pilot, lambda: isinstance(app.screen, EcranMesStructures))
    monde.chorus.comptes.ouvrir_session(EMAIL, NOUVEAU)
