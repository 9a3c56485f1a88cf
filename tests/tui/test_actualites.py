"""F7 « Actualités » in the terminal: from the sign-in screen (no account needed), pages of
items newest first with their Markdown bodies, and the sign-in screen's panel of the latest
three; on 80×24 the panel gives way and signing in still works."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, Static, TextArea

from chorus.adapters.tui.app import ChorusApp
from chorus.adapters.tui.ecrans.actualites import ArticleActualite, EcranActualites
from chorus.adapters.tui.ecrans.connexion import EcranConnexion
from chorus.adapters.tui.ecrans.publication_actualite import FenetrePublicationActualite
from chorus.adapters.tui.widgets.actualites import PanneauActualites
from chorus.domain.actualites import Actualite
from chorus.domain.utilisateur import RoleAgent
from tests.monde import Monde, construire_monde
from tests.tui.aides import (
    MOT_DE_PASSE,
    TAILLE,
    application,
    attendre,
    cliquer,
    connecter,
    erreur_de,
    saisir,
)

pytestmark = pytest.mark.anyio

CORPS_PIEGE = (
    "Les traitements sont **opérationnels**.\n\n"
    "**Point d'attention** : la date de modification est celle du statut.\n\n"
    "<script>alert('x')</script> [lien](javascript:alert(1))"
)


def publier(monde: Monde, nombre: int) -> list[Actualite]:
    """`nombre` items a day apart, the last one with a Markdown body; oldest first."""
    publiees = []
    for n in range(nombre):
        corps = CORPS_PIEGE if n == nombre - 1 else f"Corps de l'actualité n° {n}."
        publiees.append(monde.chorus.actualites.publier_en_exploitation(f"Actualité n° {n}", corps))
        monde.horloge.avancer(timedelta(days=1))
    return publiees


def _textes(pilot: Pilot[Any], selecteur: str) -> list[str]:
    return [str(s.render()) for s in pilot.app.screen.query(selecteur).results(Static)]


def _ecran(pilot: Pilot[Any]) -> EcranActualites:
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranActualites)
    return ecran


async def test_f7_depuis_la_connexion_montre_les_actualites_par_pages() -> None:
    monde = construire_monde()
    publiees = publier(monde, 7)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        panneau = app.screen.query_one(PanneauActualites)
        await attendre(pilot, lambda: panneau.charge)
        assert panneau.display
        assert _textes(pilot, "PanneauActualites .titre-actualite") == [
            "Actualité n° 6",
            "Actualité n° 5",
            "Actualité n° 4",
        ]
        assert _textes(pilot, "PanneauActualites .date-actualite")[0] == (
            publiees[6].mention_de_publication
        )
        assert publiees[6].mention_de_publication == "Actualité publiée le 20 juin 2024"

        await pilot.press("f7")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActualites))
        ecran = _ecran(pilot)
        await attendre(pilot, lambda: ecran.charge)
        assert [a.actualite.titre for a in ecran.query(ArticleActualite)] == [
            f"Actualité n° {n}" for n in (6, 5, 4, 3, 2)
        ]
        assert _textes(pilot, "#actualites-position") == ["page 1 / 2 — 7 actualités"]
        # The newest item's body, rendered: bold as bold, raw HTML and the javascript: link
        # as mere text.
        premier = ecran.query(ArticleActualite).first()
        corps = premier.query_one(Markdown)
        assert corps.source == CORPS_PIEGE
        await attendre(pilot, lambda: bool(corps.children))
        rendu = "\n".join(str(bloc.render()) for bloc in corps.children)
        assert "Point d'attention" in rendu
        assert "<script>alert('x')</script>" in rendu
        assert "[lien](javascript:alert(1))" in rendu
        assert "actualite-" in (premier.id or "")
        assert "Actualité publiée le 20 juin 2024" in _textes(pilot, ".date-actualite")

        await pilot.press("]")
        await attendre(pilot, lambda: ecran.charge and ecran.page == 2)
        assert [a.actualite.titre for a in ecran.query(ArticleActualite)] == [
            "Actualité n° 1",
            "Actualité n° 0",
        ]
        assert _textes(pilot, "#actualites-position") == ["page 2 / 2 — 7 actualités"]
        # No page after the last.
        await pilot.press("]")
        await pilot.pause()
        assert ecran.page == 2
        await pilot.click("#actualites-precedentes")
        await attendre(pilot, lambda: ecran.charge and ecran.page == 1)

        await pilot.press("escape")
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))


async def test_f7_reste_ouvert_aux_utilisateurs_connectes() -> None:
    monde = construire_monde()
    publier(monde, 1)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        espace = app.screen
        await pilot.press("f7")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActualites))
        ecran = _ecran(pilot)
        await attendre(pilot, lambda: ecran.charge)
        assert _textes(pilot, "#actualites-position") == ["page 1 / 1 — 1 actualité"]
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is espace)


async def test_sur_80_colonnes_le_panneau_s_efface_et_la_connexion_marche() -> None:
    monde = construire_monde()
    publier(monde, 2)
    app = application(monde)
    async with app.run_test(size=(80, 24)) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        ecran = app.screen
        await attendre(pilot, lambda: ecran.query_one(PanneauActualites).charge)
        assert not ecran.query_one(PanneauActualites).display
        bouton = ecran.query_one("#se-connecter")
        assert bouton.region.right <= 80
        assert bouton.region.bottom <= 24
        await connecter(pilot, monde.gestionnaire.email)
        assert isinstance(app, ChorusApp)
        assert app.session is not None


async def test_sans_actualite_l_ecran_le_dit() -> None:
    monde = construire_monde()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await attendre(pilot, lambda: isinstance(app.screen, EcranConnexion))
        panneau = app.screen.query_one(PanneauActualites)
        await attendre(pilot, lambda: panneau.charge)
        assert _textes(pilot, "PanneauActualites .date-actualite") == ["Aucune actualité."]
        await pilot.press("f7")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActualites))
        ecran = _ecran(pilot)
        await attendre(pilot, lambda: ecran.charge)
        assert "Aucune actualité n'a été publiée." in _textes(pilot, "#actualites-liste Static")
        assert _textes(pilot, "#actualites-position") == ["page 1 / 1 — 0 actualité"]


async def test_un_administrateur_arrive_sur_les_actualites_et_en_publie() -> None:
    monde = construire_monde()
    publier(monde, 1)
    admin = monde.chorus.utilisateurs.creer_agent(
        email="admin@chorus.fr", nom="Roux", prenom="Isabelle", role=RoleAgent.ADMINISTRATEUR
    )
    monde.chorus.comptes.definir_mot_de_passe(admin.id, MOT_DE_PASSE)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, admin.email)
        await attendre(pilot, lambda: isinstance(app.screen, EcranActualites))
        ecran = _ecran(pilot)
        await attendre(pilot, lambda: ecran.charge)
        # Their home screen: nothing under it to go back to.
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is ecran

        await cliquer(pilot, "#actualites-publier")
        await attendre(pilot, lambda: isinstance(app.screen, FenetrePublicationActualite))
        fenetre = app.screen
        await saisir(pilot, "titre", "Maintenance samedi")
        await cliquer(pilot, "#publier-actualite")
        await attendre(pilot, lambda: erreur_de(pilot, "corps") != "")
        assert erreur_de(pilot, "corps") == "Ce champ est obligatoire."
        assert app.screen is fenetre
        fenetre.query_one(TextArea).text = "Le portail sera **fermé** samedi."
        await cliquer(pilot, "#publier-actualite")
        await attendre(pilot, lambda: app.screen is ecran)
        await attendre(pilot, lambda: ecran.charge and ecran.total == 2)
        premier = ecran.query(ArticleActualite).first()
        assert premier.actualite.titre == "Maintenance samedi"
        assert premier.actualite.auteur == "Isabelle Roux"
    assert monde.chorus.actualites.lister().total == 2


async def test_seul_l_administrateur_voit_publier() -> None:
    monde = construire_monde()
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, monde.gestionnaire.email)
        await pilot.press("f7")
        await attendre(pilot, lambda: isinstance(app.screen, EcranActualites))
        ecran = _ecran(pilot)
        await attendre(pilot, lambda: ecran.charge)
        assert not ecran.query("#actualites-publier")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is ecran
