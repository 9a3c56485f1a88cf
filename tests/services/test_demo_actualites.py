"""The actualités of the demo: the seed's item of 20 October 2017 and two recent ones, with
an administrator; loaded once, also on a store filled before the actualités existed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.utilisateur import RoleAgent
from chorus.services.demo import _charger, charger_demo
from chorus.services.demo_actualites import (
    EMAIL_ADMINISTRATEUR,
    TITRE_2017,
    charger_demo_actualites,
)
from tests.monde import AUJOURDHUI, construire_chorus


def test_la_demo_publie_l_actualite_du_20_octobre_2017_et_deux_recentes(tmp_path: Path) -> None:
    chorus = construire_chorus(UniteDeTravailSqlite(tmp_path / "chorus.db"))
    donnees = charger_demo(chorus.ports, chorus.comptes)

    page = chorus.actualites.lister()
    assert page.total == 3
    assert page.elements == donnees.actualites
    recente, tic, seed = page.elements
    assert seed.titre == TITRE_2017
    assert jour_a_paris(seed.date_publication) == date(2017, 10, 20)
    assert seed.mention_de_publication == "Actualité publiée le 20 octobre 2017"
    paragraphes = seed.corps.split("\n\n")
    assert len(paragraphes) == 3
    assert paragraphes[0].startswith("Les traitements de mise à jour des statuts")
    assert "interrompus entre le lundi 16 octobre et le jeudi 19 octobre" in paragraphes[0]
    assert paragraphes[2].startswith("**Point d'attention** : la date de modification")
    assert jour_a_paris(recente.date_publication) == AUJOURDHUI - timedelta(days=2)
    assert jour_a_paris(tic.date_publication) == AUJOURDHUI - timedelta(days=21)
    assert "F7" in recente.corps
    assert "F12" in tic.corps

    administrateur = chorus.utilisateurs.par_email(EMAIL_ADMINISTRATEUR)
    assert administrateur is not None
    assert administrateur.role is RoleAgent.ADMINISTRATEUR
    assert administrateur in donnees.utilisateurs
    # The printed password works for the administrator too, who may then publish.
    assert chorus.comptes.ouvrir_session(EMAIL_ADMINISTRATEUR, "Demo-Chorus-2026")
    assert chorus.actualites.publier(administrateur.id, "Titre", "Corps").auteur == "Isabelle Roux"


def test_la_demo_rechargee_ne_publie_rien_deux_fois(tmp_path: Path) -> None:
    base = tmp_path / "chorus.db"
    chorus = construire_chorus(UniteDeTravailSqlite(base))
    premiere = charger_demo(chorus.ports, chorus.comptes)
    # Another day, another process: the items are recognised, not dated anew.
    demain = construire_chorus(UniteDeTravailSqlite(base))
    horloge = demain.ports.clock
    assert isinstance(horloge, HorlogeFixe)
    horloge.avancer(timedelta(days=3))
    seconde = charger_demo(demain.ports, demain.comptes)
    assert seconde.actualites == premiere.actualites
    assert demain.actualites.lister().total == 3


def test_un_stockage_charge_avant_les_actualites_les_gagne(tmp_path: Path) -> None:
    chorus = construire_chorus(UniteDeTravailSqlite(tmp_path / "chorus.db"))
    # The demo as it was before this feature: accounts, structures, mémoires only.
    _charger(chorus.ports)
    chorus.actualites.publier_en_exploitation("Une actualité de l'exploitant", "Corps")
    assert chorus.utilisateurs.par_email(EMAIL_ADMINISTRATEUR) is None

    donnees = charger_demo(chorus.ports, chorus.comptes)
    assert donnees.deja_chargee
    assert chorus.actualites.lister().total == 4
    assert {a.titre for a in donnees.actualites} >= {TITRE_2017}
    assert chorus.utilisateurs.par_email(EMAIL_ADMINISTRATEUR) is not None
    assert charger_demo_actualites(chorus.ports).actualites == donnees.actualites
    assert chorus.actualites.lister().total == 4
