"""The actualité as the domain checks it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chorus.domain.actualites import Actualite
from chorus.domain.errors import ValidationError
from chorus.ports.actualites import plus_recentes_d_abord

INSTANT = datetime(2017, 10, 20, 8, 0, tzinfo=UTC)


def _publier(**champs: object) -> Actualite:
    valeurs: dict[str, object] = {
        "id": "a-1",
        "titre": "Titre",
        "corps": "Corps",
        "date_publication": INSTANT,
        "auteur": "Équipe",
    }
    valeurs.update(champs)
    return Actualite.publier(**valeurs)  # type: ignore[arg-type]


def test_les_fins_de_ligne_windows_deviennent_des_retours_simples() -> None:
    actualite = _publier(corps="Premier.\r\n\r\nSecond.\rTroisième.\r\n")
    assert actualite.corps == "Premier.\n\nSecond.\nTroisième."
    assert actualite.version == 0


def test_une_date_sans_fuseau_est_refusee() -> None:
    with pytest.raises(ValidationError) as refus:
        _publier(date_publication=datetime(2017, 10, 20, 8, 0))  # noqa: DTZ001
    assert refus.value.champ == "date_publication"


def test_un_auteur_vide_est_refuse() -> None:
    with pytest.raises(ValidationError) as refus:
        _publier(auteur=" ")
    assert refus.value.champ == "auteur"


def test_l_ordre_de_reference_compare_les_instants_et_non_les_textes() -> None:
    paris = timezone(timedelta(hours=2))
    # 11:00+02:00 is 09:00 UTC: older than 10:00 UTC.
    a = _publier(id="a", date_publication=datetime(2024, 6, 14, 11, 0, tzinfo=paris))
    b = _publier(id="b", date_publication=datetime(2024, 6, 14, 10, 0, tzinfo=UTC))
    c = _publier(id="c", date_publication=datetime(2024, 6, 14, 10, 0, tzinfo=UTC))
    assert [x.id for x in plus_recentes_d_abord([a, b, c])] == ["c", "b", "a"]


def test_la_mention_de_publication_donne_le_jour_a_paris_en_toutes_lettres() -> None:
    assert _publier().mention_de_publication == "Actualité publiée le 20 octobre 2017"
    # 23:30 UTC on 31 July is already 1 August in Paris.
    aout = _publier(date_publication=datetime(2024, 7, 31, 23, 30, tzinfo=UTC))
    assert aout.jour_de_publication == "1er août 2024"
    assert _publier(date_publication=datetime(2025, 12, 9, 12, tzinfo=UTC)).jour_de_publication == (
        "9 décembre 2025"
    )
