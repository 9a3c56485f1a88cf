"""The per-process count of failed logins for addresses without an account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chorus.adapters.securite.echecs_en_memoire import CompteurDEchecsEnMemoire

T0 = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)


def test_le_cinquieme_echec_verrouille_une_heure_puis_tout_recommence() -> None:
    compteur = CompteurDEchecsEnMemoire()
    assert [compteur.echec("a", T0) for _ in range(4)] == [None] * 4
    assert compteur.echec("a", T0) == T0 + timedelta(hours=1)
    assert compteur.verrouille_jusqu_au("a", T0 + timedelta(minutes=59)) == T0 + timedelta(hours=1)
    assert compteur.verrouille_jusqu_au("b", T0) is None
    apres = T0 + timedelta(hours=1)
    assert compteur.verrouille_jusqu_au("a", apres) is None
    assert [compteur.echec("a", apres) for _ in range(4)] == [None] * 4


def test_les_cles_les_plus_anciennes_sont_oubliees_au_dela_de_la_capacite() -> None:
    compteur = CompteurDEchecsEnMemoire(capacite=2)
    for _ in range(4):
        compteur.echec("ancienne", T0)
    compteur.echec("b", T0)
    compteur.echec("c", T0)
    # "ancienne" was forgotten: its count starts again.
    assert [compteur.echec("ancienne", T0) for _ in range(4)] == [None] * 4
    assert compteur.echec("ancienne", T0) == T0 + timedelta(hours=1)
