"""« Créer un compte TIC » from the sign-in screen (seed 004), on SQLite: the
form in the seed's order, « Finaliser l'inscription », then the activation link pasted in
« Activer mon compte » with the password and secret question, and the first sign-in into
the TIC space; a wrong verification code refused under its field, nothing created."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from chorus.adapters.tui.ecrans.compte import EcranActivation
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.ecrans.espace_tic import EspaceTic
from chorus.adapters.tui.ecrans.inscription_tic import EcranInscriptionTic
from chorus.adapters.tui.formulaires import id_champ
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.utilisateur import StatutUtilisateur, Utilisateur
from chorus.services.inscription_tic import OptionInscriptionTic
from tests.doubles import CODE_CAPTCHA
from tests.monde import courriels_pour
from tests.tui.aides import TAILLE, attendre, connecter
from tests.tui.tic_pilote import (
    SIRET_GAEC,
    MondeTic,
    application_tic,
    choisir,
    construire_monde_tic,
    ecrire,
    erreur,
    presser,
    saisi,
    texte,
)

pytestmark = pytest.mark.anyio

EMAIL = "gaec.deux.rives@exemple.fr"
NOUVEAU_MOT_DE_PASSE = "Tracteur-Rouge-2022"


@pytest.fixture
def monde_tic(tmp_path: Path) -> MondeTic:
    """The TIC world on SQLite, the storage of `chorus tui` (see `tests/tui/conftest.py`)."""
    return construire_monde_tic("sqlite", tmp_path)


def _compte(monde: MondeTic, email: str) -> Utilisateur | None:
    with monde.chorus.ports.uow.lecture() as uow:
        return uow.utilisateurs.par_email(email)


async def _ouvrir(pilot: Pilot[None]) -> EcranInscriptionTic:
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranConnexion))
    await presser(pilot, "#inscription-tic")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranInscriptionTic))
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranInscriptionTic)
    await attendre(pilot, lambda: ecran._captcha is not None)
    return ecran


def _remplir(pilot: Pilot[None], code: str) -> None:
    ecrire(pilot, "siret", SIRET_GAEC)
    ecrire(pilot, "captcha_reponse", code)
    choisir(pilot, "option", OptionInscriptionTic.FOURNISSEUR_PRINCIPAL.value)
    ecrire(pilot, "utilisateur.email", EMAIL)
    ecrire(pilot, "utilisateur.nom", "Rivière")
    ecrire(pilot, "utilisateur.prenom", "Paul")
    ecrire(pilot, "utilisateur.telephone", "02 43 00 00 00")
    ecrire(pilot, "structure.raison_sociale", "GAEC des Deux Rives")
    ecrire(pilot, "structure.adresse.ligne1", "Le Moulin")
    ecrire(pilot, "structure.adresse.code_postal", "72300")
    ecrire(pilot, "structure.adresse.ville", "Sablé-sur-Sarthe")
    choisir(pilot, "structure.type_beneficiaire", TypeBeneficiaire.SOCIETE_AGRICOLE.value)


async def test_creer_un_compte_tic_puis_l_activer(monde_tic: MondeTic) -> None:
    monde = monde_tic
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await _ouvrir(pilot)
        # The test captcha is no real image: the screen says how to read it instead.
        assert "Enregistrer l'image" in texte(pilot, "#captcha-image")
        service = ecran.query_one(f"#{id_champ('service')}", Select)
        assert service.value == "TIC"
        _remplir(pilot, CODE_CAPTCHA.lower())
        await presser(pilot, "#finaliser")
        await attendre(pilot, lambda: ecran.inscription is not None)
        message = texte(pilot, "#inscription-message")
        assert "suivi d'activité est coché" in message
        assert "valable 60 minutes" in message
        assert EMAIL in message
        compte = _compte(monde, EMAIL)
        assert compte is not None
        assert compte.statut is not StatutUtilisateur.ACTIF
        assert compte.empreinte_mot_de_passe is None

        # « Activer mon compte »: the link of the email, the password, the secret question.
        (courriel,) = courriels_pour(monde.chorus, EMAIL)
        lien = re.search(r"https?://\S*jeton=\S+", courriel.corps)
        assert lien is not None
        await presser(pilot, "#activer-compte")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActivation))
        ecrire(pilot, "jeton", lien.group(0))
        ecrire(pilot, "mot_de_passe", "court")
        ecrire(pilot, "question_secrete", "Le nom de mon premier tracteur ?")
        ecrire(pilot, "reponse_secrete", "Fergie")
        await presser(pilot, "#activer")
        await attendre(pilot, lambda: erreur(pilot, "mot_de_passe") != "")
        ecrire(pilot, "mot_de_passe", NOUVEAU_MOT_DE_PASSE)
        await presser(pilot, "#activer")
        await attendre(pilot, lambda: isinstance(app.screen, EcranInscriptionTic))
        active = _compte(monde, EMAIL)
        assert active is not None
        assert active.statut is StatutUtilisateur.ACTIF

        # The first sign-in opens the company's TIC space.
        await presser(pilot, "#fermer-inscription")
        await connecter(pilot, EMAIL, NOUVEAU_MOT_DE_PASSE)
        await attendre(pilot, lambda: isinstance(app.screen, EspaceTic))


async def test_un_code_de_verification_faux_est_refuse_sans_rien_creer(
    monde_tic: MondeTic,
) -> None:
    monde = monde_tic
    app = application_tic(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await _ouvrir(pilot)
        premier = ecran._captcha
        _remplir(pilot, "ABCDEF")
        await presser(pilot, "#finaliser")
        await attendre(
            pilot, lambda: "code de vérification est incorrect" in erreur(pilot, "captcha_reponse")
        )
        assert _compte(monde, EMAIL) is None
        assert courriels_pour(monde.chorus, EMAIL) == []
        # Nothing typed is lost; the code, spent, gives way to a new image.
        assert saisi(pilot, "siret") == SIRET_GAEC
        assert saisi(pilot, "utilisateur.email") == EMAIL
        assert saisi(pilot, "structure.adresse.ville") == "Sablé-sur-Sarthe"
        await attendre(pilot, lambda: ecran._captcha is not None and ecran._captcha != premier)
        assert saisi(pilot, "captcha_reponse") == ""
        # A form error leaves the code usable and is written under its field.
        ecrire(pilot, "utilisateur.email", "pas-une-adresse")
        ecrire(pilot, "captcha_reponse", CODE_CAPTCHA)
        await presser(pilot, "#finaliser")
        await attendre(pilot, lambda: erreur(pilot, "utilisateur.email") != "")
        assert ecran.inscription is None
        assert saisi(pilot, "captcha_reponse") == CODE_CAPTCHA
        ecrire(pilot, "utilisateur.email", EMAIL)
        await presser(pilot, "#finaliser")
        await attendre(pilot, lambda: ecran.inscription is not None)
        assert _compte(monde, EMAIL) is not None


def test_le_code_de_verification_se_dessine_dans_le_terminal() -> None:
    from chorus.adapters.securite.captcha_image import DessinateurImageCaptcha
    from chorus.adapters.tui.widgets.image_terminal import LARGEUR_CAPTCHA, dessin_terminal

    dessin = dessin_terminal(DessinateurImageCaptcha().dessiner(CODE_CAPTCHA))
    assert dessin is not None
    lignes = dessin.plain.split("\n")
    # 220 × 80 pixels, two a cell: 88 cells across, 16 rows.
    assert len(lignes) == 16
    assert {len(ligne) for ligne in lignes} == {LARGEUR_CAPTCHA}
    # What is not an image is said so (the screen then offers to save it).
    assert dessin_terminal(b"\x89PNG\r\n\x1a\n" + CODE_CAPTCHA.encode()) is None
