"""Contract of the outbox (`uow.courriels`), through the ports only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorus.domain.courriels import ESSAIS_MAXIMUM, RESERVATION, Courriel
from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve
from chorus.ports.depots import UnitOfWork
from tests.contract.agregats import T0, ecarts, heure
from tests.contract.conftest import Fabrique, Magasin

ETE = timezone(timedelta(hours=2))
MOINS = timezone(timedelta(hours=-5, minutes=-30))


class _Panne(Exception):
    pass


def courriel(
    id: str,
    destinataire: str = "jeanne.martin@exemple.fr",
    *,
    cree_le: datetime = T0,
    disponible_le: datetime | None = None,
    envoye_le: datetime | None = None,
    tentatives: int = 0,
) -> Courriel:
    return attrs.evolve(
        Courriel.nouveau(
            id=id,
            destinataire=destinataire,
            sujet=f"Sujet {id}",
            corps=f"Bonjour,\n\nmessage {id}.\n",
            maintenant=cree_le,
        ),
        disponible_le=disponible_le if disponible_le is not None else cree_le,
        envoye_le=envoye_le,
        tentatives=tentatives,
    )


def courriel_complet(id: str = "c-complet") -> Courriel:
    """Every optional field set, non-ASCII text, instants with a non-UTC offset."""
    return Courriel(
        id=id,
        destinataire="agnès.lefèvre@justice.fr",
        sujet="Activez votre compte Chorus Pro — frais de justice",
        corps="Bonjour Agnès,\n\n« Cliquez » ici : https://exemple.fr/activer?x=1&y=2\n\t€\n",
        cree_le=datetime(2024, 6, 14, 12, 0, 0, 1, tzinfo=ETE),
        disponible_le=datetime(2024, 6, 14, 12, 10, 0, 999_999, tzinfo=ETE),
        envoye_le=datetime(2024, 6, 14, 6, 11, 0, tzinfo=MOINS),
        tentatives=3,
        derniere_erreur="451 4.7.1 Réessayez plus tard",
    )


def _ajouter(magasin: Magasin, *courriels: Courriel) -> None:
    with magasin.uow as uow:
        for c in courriels:
            uow.courriels.ajouter(c)
        uow.commit()


def _assert_identiques(lu: object, attendu: object) -> None:
    assert lu == attendu
    assert ecarts(lu, attendu) == []


# -- round trips -------------------------------------------------------------------------


def test_un_courriel_revient_identique_champ_par_champ(magasin: Magasin) -> None:
    complet = courriel_complet()
    nouveau = courriel("c-nouveau")
    _ajouter(magasin, complet, nouveau)
    with magasin.rouvrir() as uow:
        _assert_identiques(uow.courriels.obtenir(complet.id), complet)
        _assert_identiques(uow.courriels.obtenir(nouveau.id), nouveau)
    assert nouveau.envoye_le is None
    assert nouveau.derniere_erreur is None


def test_un_courriel_enregistre_revient_identique(magasin: Magasin) -> None:
    c = courriel("c-1")
    _ajouter(magasin, c)
    with magasin.uow as uow:
        reserve = uow.courriels.enregistrer(c.reserver(heure(1)))
        echoue = uow.courriels.enregistrer(reserve.echec(heure(1.1), "connexion refusée"))
        uow.commit()
    assert (reserve.version, echoue.version) == (1, 2)
    with magasin.rouvrir() as uow:
        _assert_identiques(uow.courriels.obtenir(c.id), echoue)
        envoye = uow.courriels.enregistrer(echoue.reserver(heure(2)).envoye(heure(2)))
        uow.commit()
    with magasin.rouvrir() as uow:
        _assert_identiques(uow.courriels.obtenir(c.id), envoye)
    assert envoye.envoye_le == heure(2)
    assert envoye.version == 3


# -- adding, versions, transactions ----------------------------------------------------------


def test_obtenir_un_courriel_inconnu_leve_non_trouve(magasin: Magasin) -> None:
    _ajouter(magasin, courriel("c-1"))
    with magasin.rouvrir() as uow, pytest.raises(NonTrouve):
        uow.courriels.obtenir("c-inconnu")


def test_un_id_deja_pris_est_refuse(magasin: Magasin) -> None:
    premier = courriel("c-1")
    _ajouter(magasin, premier)
    with magasin.rouvrir() as uow:
        with pytest.raises(Conflit):
            uow.courriels.ajouter(courriel("c-1", "autre@exemple.fr"))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.courriels.obtenir("c-1") == premier
        assert uow.courriels.pour_destinataire("autre@exemple.fr") == []


def test_une_version_perimee_est_refusee_sans_perte_de_la_premiere(magasin: Magasin) -> None:
    c = courriel("c-1")
    _ajouter(magasin, c)
    with magasin.rouvrir() as uow:
        gagnant = uow.courriels.enregistrer(c.reserver(heure(1)))
        uow.commit()
    with magasin.rouvrir() as uow:
        with pytest.raises(ConflitDeVersion) as erreur:
            uow.courriels.enregistrer(c.reserver(heure(1)))
        assert (erreur.value.attendue, erreur.value.actuelle) == (0, 1)
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.courriels.obtenir(c.id) == gagnant
        assert uow.courriels.obtenir(c.id).tentatives == 1


def test_sans_commit_rien_n_est_ecrit(magasin: Magasin) -> None:
    c = courriel("c-1")
    _ajouter(magasin, c)
    with magasin.uow as uow:
        uow.courriels.ajouter(courriel("c-sans-commit"))
        uow.courriels.enregistrer(c.reserver(heure(1)))

    def echouer(uow: UnitOfWork) -> None:
        with uow:
            uow.courriels.ajouter(courriel("c-exception"))
            raise _Panne

    with pytest.raises(_Panne):
        echouer(magasin.uow)
    with magasin.uow as uow:
        uow.courriels.ajouter(courriel("c-annule"))
        uow.rollback()
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.courriels.obtenir(c.id) == c
        for absent in ("c-sans-commit", "c-exception", "c-annule"):
            with pytest.raises(NonTrouve):
                uow.courriels.obtenir(absent)
        assert uow.courriels.pour_destinataire(c.destinataire) == [c]
        assert uow.courriels.a_envoyer(heure(1), 10) == [c]


# -- the sender's queue ----------------------------------------------------------------------


def test_a_envoyer_les_disponibles_non_envoyes_non_abandonnes(magasin: Magasin) -> None:
    maintenant = datetime(2024, 6, 14, 12, 0, tzinfo=UTC)
    # 13:30+02:00 is 11:30 UTC: available, and before 11:45 UTC though its text is not.
    premier = courriel("c-premier", disponible_le=datetime(2024, 6, 14, 13, 30, tzinfo=ETE))
    second = courriel("c-second", disponible_le=datetime(2024, 6, 14, 11, 45, tzinfo=UTC))
    pile = courriel("c-pile", disponible_le=maintenant)
    dernier_essai = courriel(
        "c-dernier-essai",
        disponible_le=maintenant - timedelta(hours=3),
        tentatives=ESSAIS_MAXIMUM - 1,
    )
    plus_tard = courriel("c-plus-tard", disponible_le=maintenant + timedelta(microseconds=1))
    envoye = courriel(
        "c-envoye", disponible_le=maintenant - timedelta(hours=5), envoye_le=heure(-1)
    )
    abandonne = courriel(
        "c-abandonne", disponible_le=maintenant - timedelta(hours=5), tentatives=ESSAIS_MAXIMUM
    )
    assert abandonne.abandonne
    _ajouter(magasin, plus_tard, pile, envoye, second, abandonne, premier, dernier_essai)

    with magasin.rouvrir() as uow:
        assert list(uow.courriels.a_envoyer(maintenant, 10)) == [
            dernier_essai,
            premier,
            second,
            pile,
        ]
        assert list(uow.courriels.a_envoyer(maintenant, 2)) == [dernier_essai, premier]
        assert list(uow.courriels.a_envoyer(maintenant, 0)) == []
        assert list(uow.courriels.a_envoyer(T0 - timedelta(days=1), 10)) == []
        assert plus_tard in uow.courriels.a_envoyer(maintenant + timedelta(seconds=1), 10)


def test_un_courriel_reserve_ou_envoye_quitte_la_file(magasin: Magasin) -> None:
    a, b = courriel("c-a", cree_le=heure(0)), courriel("c-b", cree_le=heure(0.5))
    _ajouter(magasin, a, b)
    maintenant = heure(1)
    with magasin.rouvrir() as uow:
        reserve = uow.courriels.enregistrer(a.reserver(maintenant))
        envoye = uow.courriels.enregistrer(b.reserver(maintenant).envoye(maintenant))
        # The transaction sees its own writes.
        assert uow.courriels.a_envoyer(maintenant, 10) == []
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.courriels.a_envoyer(maintenant, 10) == []
        assert uow.courriels.a_envoyer(maintenant + RESERVATION, 10) == [reserve]
        assert uow.courriels.a_envoyer(heure(100), 10) == [reserve]
        assert uow.courriels.obtenir(b.id) == envoye


def test_pour_destinataire_envoyes_ou_non_les_plus_anciens_d_abord(magasin: Magasin) -> None:
    jeanne = "jeanne.martin@exemple.fr"
    envoye = courriel("c-z", jeanne, cree_le=datetime(2024, 6, 14, 11, 0, tzinfo=ETE))
    envoye = envoye.envoye(heure(1))
    recent = courriel("c-a", jeanne, cree_le=datetime(2024, 6, 14, 10, 0, tzinfo=UTC))
    abandonne = courriel("c-m", jeanne, cree_le=heure(2), tentatives=ESSAIS_MAXIMUM)
    autre = courriel("c-autre", "paul.durand@exemple.fr")
    _ajouter(magasin, abandonne, recent, autre, envoye)
    with magasin.rouvrir() as uow:
        assert list(uow.courriels.pour_destinataire(jeanne)) == [envoye, recent, abandonne]
        assert list(uow.courriels.pour_destinataire("paul.durand@exemple.fr")) == [autre]
        assert list(uow.courriels.pour_destinataire("personne@exemple.fr")) == []
        nouveau = courriel("c-nouveau", jeanne, cree_le=heure(3))
        uow.courriels.ajouter(nouveau)
        assert list(uow.courriels.pour_destinataire(jeanne)) == [
            envoye,
            recent,
            abandonne,
            nouveau,
        ]


# -- the queue against its definition, on random outboxes -------------------------------------

_DECALAGES = st.sampled_from((UTC, ETE, MOINS))
_INSTANTS = st.builds(
    lambda minutes, fuseau: (T0 + timedelta(minutes=minutes)).astimezone(fuseau),
    st.integers(min_value=-3, max_value=3),
    _DECALAGES,
)


@st.composite
def _boites(draw: st.DrawFn) -> list[Courriel]:
    nombre = draw(st.integers(min_value=0, max_value=9))
    return [
        courriel(
            f"c-{rang}",
            draw(st.sampled_from(("a@exemple.fr", "b@exemple.fr"))),
            cree_le=draw(_INSTANTS),
            disponible_le=draw(_INSTANTS),
            envoye_le=draw(st.none() | _INSTANTS),
            tentatives=draw(
                st.sampled_from((0, 1, ESSAIS_MAXIMUM - 1, ESSAIS_MAXIMUM, ESSAIS_MAXIMUM + 1))
            ),
        )
        for rang in range(nombre)
    ]


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(boite=_boites(), maintenant=_INSTANTS, limite=st.integers(min_value=0, max_value=6))
def test_a_envoyer_rend_ce_que_dit_sa_definition(
    fabrique: Fabrique, boite: list[Courriel], maintenant: datetime, limite: int
) -> None:
    magasin = fabrique.creer()
    _ajouter(magasin, *boite)
    prets = sorted(
        (
            c
            for c in boite
            if c.envoye_le is None and not c.abandonne and c.disponible_le <= maintenant
        ),
        key=lambda c: c.disponible_le,
    )
    with magasin.rouvrir() as uow:
        lus = list(uow.courriels.a_envoyer(maintenant, limite))
        par_destinataire = {
            d: list(uow.courriels.pour_destinataire(d)) for d in ("a@exemple.fr", "b@exemple.fr")
        }
    # Which of equally available emails come first is not promised: compare the instants,
    # and that each email is one of those the definition selects.
    assert [c.disponible_le for c in lus] == [c.disponible_le for c in prets[:limite]]
    assert len({c.id for c in lus}) == len(lus)
    assert all(c in prets for c in lus)
    for destinataire in ("a@exemple.fr", "b@exemple.fr"):
        attendus = [c for c in boite if c.destinataire == destinataire]
        lus_d = par_destinataire[destinataire]
        assert sorted(lus_d, key=lambda c: c.id) == sorted(attendus, key=lambda c: c.id)
        assert [c.cree_le for c in lus_d] == sorted(c.cree_le for c in attendus)
