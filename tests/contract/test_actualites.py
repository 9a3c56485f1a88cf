"""Contract of the news items (`uow.actualites`), through the ports only, on every store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from chorus.adapters.storage.erreurs import LectureSeule
from chorus.domain.actualites import Actualite
from chorus.domain.errors import Conflit, NonTrouve
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Pagination
from tests.contract.agregats import T0, ecarts, heure
from tests.contract.conftest import Magasin

ETE = timezone(timedelta(hours=2))


class _Panne(Exception):
    pass


def actualite(id: str, date_publication: datetime = T0, titre: str | None = None) -> Actualite:
    return Actualite.publier(
        id=id,
        titre=titre or f"Actualité {id}",
        corps=f"Corps de **{id}**.\n\nSecond paragraphe.",
        date_publication=date_publication,
        auteur="Équipe Chorus Portail Pro",
    )


def actualite_complete(id: str = "a-complete") -> Actualite:
    """Non-ASCII Markdown with a list, a link and a table; an instant with microseconds
    and a non-UTC offset."""
    return Actualite.publier(
        id=id,
        titre="Statuts des mémoires de frais — « reprise » des traitements",
        corps=(
            "Les traitements **interrompus** sont opérationnels.\n\n"
            "- point 1 : 12,50 €\n- point 2\t(tabulation)\n\n"
            "[Guide](https://exemple.fr/guide?a=1&b=2) | `code`\n\n"
            "| a | b |\n| --- | --- |\n| é | ß |\n"
        ),
        date_publication=datetime(2017, 10, 20, 9, 30, 0, 654321, tzinfo=ETE),
        auteur="Isabelle Roux",
    )


def _ajouter(magasin: Magasin, *actualites: Actualite) -> None:
    with magasin.uow as uow:
        for a in actualites:
            uow.actualites.ajouter(a)
        uow.commit()


def _ids(uow: UnitOfWork, pagination: Pagination) -> list[str]:
    return [a.id for a in uow.actualites.lister(pagination).elements]


def test_une_actualite_revient_identique_champ_par_champ(magasin: Magasin) -> None:
    complete = actualite_complete()
    simple = actualite("a-simple")
    _ajouter(magasin, complete, simple)
    with magasin.rouvrir() as uow:
        for attendue in (complete, simple):
            lue = uow.actualites.obtenir(attendue.id)
            assert lue == attendue
            assert ecarts(lue, attendue) == []
        # The offset it was published with comes back too, not only the instant.
        assert uow.actualites.obtenir(complete.id).date_publication.utcoffset() == timedelta(
            hours=2
        )


def test_obtenir_une_actualite_inconnue_leve_non_trouve(magasin: Magasin) -> None:
    _ajouter(magasin, actualite("a-1"))
    with magasin.rouvrir() as uow, pytest.raises(NonTrouve) as refus:
        uow.actualites.obtenir("a-inconnue")
    assert "actualité" in refus.value.message


def test_un_id_deja_pris_est_refuse_sans_toucher_au_premier(magasin: Magasin) -> None:
    premiere = actualite("a-1")
    _ajouter(magasin, premiere)
    with magasin.rouvrir() as uow:
        with pytest.raises(Conflit):
            uow.actualites.ajouter(actualite("a-1", heure(5), "Autre titre"))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.actualites.obtenir("a-1") == premiere
        assert uow.actualites.lister(Pagination()).total == 1


def test_la_liste_va_de_la_plus_recente_a_la_plus_ancienne(magasin: Magasin) -> None:
    # 11:30+02:00 is 09:30 UTC: before 10:00 UTC though its text reads later.
    matin = actualite("a-matin", datetime(2024, 6, 14, 11, 30, tzinfo=ETE))
    dix_heures = actualite("a-dix-heures", datetime(2024, 6, 14, 10, 0, tzinfo=UTC))
    # Two items of the same instant: by decreasing id.
    meme_instant_a = actualite("a-meme-a", heure(30))
    meme_instant_b = actualite("a-meme-b", heure(30))
    ancienne = actualite("a-2017", datetime(2017, 10, 20, 8, 0, tzinfo=UTC))
    _ajouter(magasin, matin, ancienne, meme_instant_a, dix_heures, meme_instant_b)
    with magasin.rouvrir() as uow:
        page = uow.actualites.lister(Pagination(1, 50))
    assert [a.id for a in page.elements] == [
        "a-meme-b",
        "a-meme-a",
        "a-dix-heures",
        "a-matin",
        "a-2017",
    ]
    assert (page.total, page.page, page.par_page) == (5, 1, 50)
    assert page.elements[0] == meme_instant_b


def test_la_liste_se_lit_par_pages_avec_le_total(magasin: Magasin) -> None:
    actualites = [actualite(f"a-{n:02d}", heure(n)) for n in range(7)]
    _ajouter(magasin, *reversed(actualites))
    with magasin.rouvrir() as uow:
        assert _ids(uow, Pagination(1, 3)) == ["a-06", "a-05", "a-04"]
        assert _ids(uow, Pagination(2, 3)) == ["a-03", "a-02", "a-01"]
        derniere = uow.actualites.lister(Pagination(3, 3))
        assert [a.id for a in derniere.elements] == ["a-00"]
        assert derniere.total == 7
        au_dela = uow.actualites.lister(Pagination(4, 3))
        assert (au_dela.elements, au_dela.total, au_dela.page) == ((), 7, 4)


def test_un_magasin_vide_n_a_aucune_actualite(magasin: Magasin) -> None:
    with magasin.uow.lecture() as uow:
        page = uow.actualites.lister(Pagination())
    assert (page.elements, page.total) == ((), 0)


def test_sans_commit_rien_n_est_ecrit(magasin: Magasin) -> None:
    gardee = actualite("a-gardee")
    _ajouter(magasin, gardee)
    with magasin.uow as uow:
        uow.actualites.ajouter(actualite("a-sans-commit", heure(1)))

    def echouer(uow: UnitOfWork) -> None:
        with uow:
            uow.actualites.ajouter(actualite("a-exception", heure(2)))
            raise _Panne

    with pytest.raises(_Panne):
        echouer(magasin.uow)
    with magasin.uow as uow:
        uow.actualites.ajouter(actualite("a-annulee", heure(3)))
        uow.rollback()
        uow.commit()
    with magasin.rouvrir() as uow:
        assert _ids(uow, Pagination()) == ["a-gardee"]
        for absente in ("a-sans-commit", "a-exception", "a-annulee"):
            with pytest.raises(NonTrouve):
                uow.actualites.obtenir(absente)


def test_une_lecture_refuse_d_ajouter(magasin: Magasin) -> None:
    _ajouter(magasin, actualite("a-1"))
    with pytest.raises(LectureSeule), magasin.uow.lecture() as uow:
        uow.actualites.ajouter(actualite("a-2", heure(1)))
    with magasin.rouvrir() as uow:
        assert _ids(uow, Pagination()) == ["a-1"]


def test_un_autre_objet_voit_ce_qui_a_ete_publie_depuis(magasin: Magasin) -> None:
    """A store already read (a files store's cache, a SQLite connection) sees the items
    another process published since, not its old picture."""
    _ajouter(magasin, actualite("a-1"))
    with magasin.uow.lecture() as uow:
        assert _ids(uow, Pagination()) == ["a-1"]
    autre = magasin.rouvrir()
    with autre as uow:
        uow.actualites.ajouter(actualite("a-2", heure(1)))
        uow.commit()
    with magasin.uow.lecture() as uow:
        assert _ids(uow, Pagination()) == ["a-2", "a-1"]
        assert uow.actualites.obtenir("a-2").titre == "Actualité a-2"
