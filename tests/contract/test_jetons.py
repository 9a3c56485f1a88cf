"""Contract of the secrets' records (`uow.jetons`), through the ports only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest

from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve
from chorus.domain.jetons import Jeton, NatureJeton, empreinte_du_secret
from chorus.domain.organisation import Profil
from chorus.ports.depots import UnitOfWork
from tests.contract.agregats import T0, ecarts, heure
from tests.contract.conftest import Magasin

# An offset other than UTC: an instant must come back with the offset it was given.
ETE = timezone(timedelta(hours=2))


class _Panne(Exception):
    pass


def jeton(
    id: str,
    nature: NatureJeton = NatureJeton.SESSION,
    *,
    utilisateur_id: str | None = "u-1",
    structure_id: str | None = None,
    cree_le: datetime = T0,
    expire_le: datetime | None = None,
) -> Jeton:
    return Jeton(
        id=id,
        nature=nature,
        empreinte=empreinte_du_secret(f"secret de {id}"),
        cree_le=cree_le,
        expire_le=expire_le if expire_le is not None else cree_le + timedelta(hours=1),
        utilisateur_id=utilisateur_id,
        structure_id=structure_id,
    )


def jeton_complet(id: str = "j-api") -> Jeton:
    """Every optional field set, instants with microseconds and a non-UTC offset."""
    return Jeton(
        id=id,
        nature=NatureJeton.API,
        empreinte=empreinte_du_secret("secret complet"),
        cree_le=datetime(2024, 6, 14, 12, 30, 1, 250_001, tzinfo=ETE),
        expire_le=datetime(2025, 6, 14, 12, 30, 1, 250_001, tzinfo=ETE),
        utilisateur_id="u-technique",
        structure_id="s-1",
        profil=Profil.CONSULTATION,
        libelle="Logiciel de facturation « Cabinet »",
        cree_par="u-gestionnaire",
        utilise_le=datetime(2024, 6, 14, 13, 0, 0, 1, tzinfo=ETE),
    )


def _ajouter(magasin: Magasin, *jetons: Jeton) -> None:
    with magasin.uow as uow:
        for j in jetons:
            uow.jetons.ajouter(j)
        uow.commit()


def _assert_identiques(lu: object, attendu: object) -> None:
    assert lu == attendu
    assert ecarts(lu, attendu) == []


# -- round trips -------------------------------------------------------------------------


def test_un_jeton_revient_identique_champ_par_champ(magasin: Magasin) -> None:
    complet = jeton_complet()
    minimal = Jeton(
        id="j-minimal",
        nature=NatureJeton.CAPTCHA,
        empreinte=empreinte_du_secret("j-minimal:ABC123"),
        cree_le=T0,
        expire_le=T0 + timedelta(minutes=10),
    )
    _ajouter(magasin, complet, minimal)

    with magasin.rouvrir() as uow:
        _assert_identiques(uow.jetons.obtenir(complet.id), complet)
        _assert_identiques(uow.jetons.obtenir(minimal.id), minimal)
        lu = uow.jetons.obtenir(complet.id)
    assert str(lu.cree_le) == "2024-06-14 12:30:01.250001+02:00"
    assert lu.cree_le.utcoffset() == timedelta(hours=2)


def test_un_jeton_enregistre_revient_identique(magasin: Magasin) -> None:
    lien = jeton("j-lien", NatureJeton.ACTIVATION)
    _ajouter(magasin, lien)
    with magasin.uow as uow:
        utilise = uow.jetons.enregistrer(lien.utiliser(heure(0.5)))
        uow.commit()
    assert utilise == attrs.evolve(lien, utilise_le=heure(0.5), version=1)
    with magasin.rouvrir() as uow:
        _assert_identiques(uow.jetons.obtenir(lien.id), utilise)
        _assert_identiques(uow.jetons.par_empreinte(lien.empreinte), utilise)


# -- adding, reading, finding ------------------------------------------------------------


def test_obtenir_un_jeton_inconnu_leve_non_trouve(magasin: Magasin) -> None:
    _ajouter(magasin, jeton("j-1"))
    with magasin.rouvrir() as uow, pytest.raises(NonTrouve):
        uow.jetons.obtenir("j-inconnu")


def test_un_id_ou_une_empreinte_deja_stocke_est_refuse(magasin: Magasin) -> None:
    premier = jeton("j-1")
    _ajouter(magasin, premier)
    meme_id = attrs.evolve(jeton("j-autre"), id="j-1")
    meme_empreinte = attrs.evolve(jeton("j-2"), empreinte=premier.empreinte)
    with magasin.rouvrir() as uow:
        with pytest.raises(Conflit):
            uow.jetons.ajouter(meme_id)
        with pytest.raises(Conflit):
            uow.jetons.ajouter(meme_empreinte)
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.jetons.obtenir("j-1") == premier
        assert uow.jetons.par_empreinte(meme_id.empreinte) is None
        with pytest.raises(NonTrouve):
            uow.jetons.obtenir("j-2")


def test_une_empreinte_ajoutee_dans_la_meme_unite_est_refusee(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.jetons.ajouter(jeton("j-1"))
        with pytest.raises(Conflit):
            uow.jetons.ajouter(attrs.evolve(jeton("j-2"), empreinte=jeton("j-1").empreinte))
        uow.commit()
    with magasin.rouvrir() as uow, pytest.raises(NonTrouve):
        uow.jetons.obtenir("j-2")


def test_enregistrer_vers_l_empreinte_d_un_autre_est_refuse(magasin: Magasin) -> None:
    a, b = jeton("j-a"), jeton("j-b")
    _ajouter(magasin, a, b)
    with magasin.rouvrir() as uow, pytest.raises(Conflit):
        uow.jetons.enregistrer(attrs.evolve(b, empreinte=a.empreinte))
    with magasin.rouvrir() as uow:
        assert uow.jetons.obtenir("j-b") == b
        assert uow.jetons.par_empreinte(a.empreinte) == a


def test_par_empreinte(magasin: Magasin) -> None:
    a, b = jeton("j-a"), jeton_complet("j-b")
    _ajouter(magasin, a, b)
    with magasin.rouvrir() as uow:
        assert uow.jetons.par_empreinte(a.empreinte) == a
        assert uow.jetons.par_empreinte(b.empreinte) == b
        assert uow.jetons.par_empreinte(empreinte_du_secret("inconnu")) is None
        # The secret itself is not its empreinte.
        assert uow.jetons.par_empreinte("secret de j-a") is None
        c = jeton("j-c")
        uow.jetons.ajouter(c)
        assert uow.jetons.par_empreinte(c.empreinte) == c


# -- versions and transactions -------------------------------------------------------------


def test_une_version_perimee_est_refusee_sans_perte_de_la_premiere(magasin: Magasin) -> None:
    lien = jeton("j-lien", NatureJeton.REINITIALISATION)
    _ajouter(magasin, lien)
    with magasin.rouvrir() as uow:
        lu = uow.jetons.obtenir(lien.id)
    with magasin.rouvrir() as uow:
        gagnant = uow.jetons.enregistrer(lu.utiliser(heure(0.1)))
        uow.commit()
    with magasin.rouvrir() as uow:
        with pytest.raises(ConflitDeVersion) as erreur:
            uow.jetons.enregistrer(lu.utiliser(heure(0.2)))
        assert (erreur.value.attendue, erreur.value.actuelle) == (0, 1)
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.jetons.obtenir(lien.id) == gagnant
    assert gagnant.version == 1
    assert gagnant.utilise_le == heure(0.1)


def test_enregistrer_un_jeton_supprime_leve_non_trouve(magasin: Magasin) -> None:
    session = jeton("j-1")
    _ajouter(magasin, session)
    with magasin.uow as uow:
        uow.jetons.supprimer(session.id)
        uow.commit()
    with magasin.rouvrir() as uow, pytest.raises(NonTrouve):
        uow.jetons.enregistrer(session.utiliser(heure(0.1)))


def test_sans_commit_rien_n_est_ecrit_ni_supprime(magasin: Magasin) -> None:
    garde = jeton("j-garde", expire_le=heure(1))
    _ajouter(magasin, garde)
    with magasin.uow as uow:
        uow.jetons.ajouter(jeton("j-nouveau"))
        uow.jetons.supprimer(garde.id)
        assert uow.jetons.purger(heure(10)) == 1

    def echouer(uow: UnitOfWork) -> None:
        with uow:
            uow.jetons.ajouter(jeton("j-exception"))
            uow.jetons.supprimer(garde.id)
            raise _Panne

    with pytest.raises(_Panne):
        echouer(magasin.uow)
    with magasin.uow as uow:
        uow.jetons.ajouter(jeton("j-annule"))
        uow.rollback()
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.jetons.obtenir(garde.id) == garde
        for absent in ("j-nouveau", "j-exception", "j-annule"):
            assert uow.jetons.par_empreinte(jeton(absent).empreinte) is None
            with pytest.raises(NonTrouve):
                uow.jetons.obtenir(absent)
        assert [j.id for j in uow.jetons.pour_utilisateur("u-1", NatureJeton.SESSION)] == [garde.id]


def test_une_autre_unite_voit_ajouts_et_suppressions_commis(magasin: Magasin) -> None:
    """A store opened before the changes sees them afterwards (its cache, if any, too)."""
    a, b = jeton("j-a"), jeton("j-b")
    _ajouter(magasin, a)
    lecteur = magasin.rouvrir()
    with lecteur:
        assert lecteur.jetons.par_empreinte(a.empreinte) == a
    with magasin.uow as uow:
        uow.jetons.ajouter(b)
        uow.jetons.supprimer(a.id)
        uow.commit()
    with lecteur:
        assert lecteur.jetons.par_empreinte(a.empreinte) is None
        assert lecteur.jetons.par_empreinte(b.empreinte) == b
        assert lecteur.jetons.pour_utilisateur("u-1", NatureJeton.SESSION) == [b]


# -- lists ---------------------------------------------------------------------------------


def test_pour_utilisateur_par_nature_les_plus_anciens_d_abord(magasin: Magasin) -> None:
    # Ordered as instants: 12:00+02:00 is before 11:00 UTC, though its text sorts after.
    recente = jeton("j-recente", cree_le=datetime(2024, 6, 14, 11, 0, tzinfo=UTC))
    ancienne = jeton("j-ancienne", cree_le=datetime(2024, 6, 14, 12, 0, tzinfo=ETE))
    moyenne = jeton("j-moyenne", cree_le=datetime(2024, 6, 14, 10, 30, tzinfo=UTC))
    lien = jeton("j-lien", NatureJeton.ACTIVATION, cree_le=T0)
    autre = jeton("j-autre", utilisateur_id="u-2")
    sans = jeton("j-captcha", NatureJeton.CAPTCHA, utilisateur_id=None)
    _ajouter(magasin, recente, lien, ancienne, autre, sans, moyenne)

    with magasin.rouvrir() as uow:
        assert list(uow.jetons.pour_utilisateur("u-1", NatureJeton.SESSION)) == [
            ancienne,
            moyenne,
            recente,
        ]
        assert list(uow.jetons.pour_utilisateur("u-1", NatureJeton.ACTIVATION)) == [lien]
        assert list(uow.jetons.pour_utilisateur("u-2", NatureJeton.SESSION)) == [autre]
        assert list(uow.jetons.pour_utilisateur("u-2", NatureJeton.ACTIVATION)) == []
        assert list(uow.jetons.pour_utilisateur("u-inconnu", NatureJeton.SESSION)) == []
        # What the transaction itself wrote counts.
        nouvelle = jeton("j-nouvelle", cree_le=heure(5))
        uow.jetons.ajouter(nouvelle)
        uow.jetons.supprimer(moyenne.id)
        assert list(uow.jetons.pour_utilisateur("u-1", NatureJeton.SESSION)) == [
            ancienne,
            recente,
            nouvelle,
        ]


def test_pour_structure_par_nature_les_plus_anciens_d_abord(magasin: Magasin) -> None:
    second = jeton(
        "j-api-2", NatureJeton.API, utilisateur_id="u-t2", structure_id="s-1", cree_le=heure(2)
    )
    premier = jeton_complet("j-api-1")  # created at 10:30 UTC, before T0 + 2 h
    premier = attrs.evolve(premier, structure_id="s-1")
    ailleurs = jeton("j-api-3", NatureJeton.API, structure_id="s-2", cree_le=heure(-5))
    session = jeton("j-session", structure_id="s-1", cree_le=heure(-5))
    _ajouter(magasin, second, premier, ailleurs, session)

    with magasin.rouvrir() as uow:
        assert list(uow.jetons.pour_structure("s-1", NatureJeton.API)) == [premier, second]
        assert list(uow.jetons.pour_structure("s-2", NatureJeton.API)) == [ailleurs]
        assert list(uow.jetons.pour_structure("s-1", NatureJeton.SESSION)) == [session]
        assert list(uow.jetons.pour_structure("s-3", NatureJeton.API)) == []
        # A structure's list follows a record that changed owner within the transaction.
        deplace = uow.jetons.enregistrer(attrs.evolve(second, structure_id="s-2"))
        assert list(uow.jetons.pour_structure("s-1", NatureJeton.API)) == [premier]
        assert list(uow.jetons.pour_structure("s-2", NatureJeton.API)) == [ailleurs, deplace]
        uow.commit()
    with magasin.rouvrir() as uow:
        assert list(uow.jetons.pour_structure("s-2", NatureJeton.API)) == [ailleurs, deplace]


# -- deleting ------------------------------------------------------------------------------


def test_supprimer_est_idempotent(magasin: Magasin) -> None:
    session, garde = jeton("j-1"), jeton("j-2")
    _ajouter(magasin, session, garde)
    with magasin.rouvrir() as uow:
        uow.jetons.supprimer(session.id)
        uow.jetons.supprimer(session.id)
        uow.jetons.supprimer("j-inconnu")
        with pytest.raises(NonTrouve):
            uow.jetons.obtenir(session.id)
        uow.commit()
    with magasin.rouvrir() as uow:
        uow.jetons.supprimer(session.id)
        uow.commit()
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.jetons.obtenir(session.id)
        assert uow.jetons.par_empreinte(session.empreinte) is None
        assert uow.jetons.obtenir(garde.id) == garde
        # Its empreinte is free again.
        uow.jetons.ajouter(attrs.evolve(session, id="j-3"))
        uow.commit()


def test_purger_supprime_ce_qui_a_expire_avant_l_instant(magasin: Magasin) -> None:
    avant = datetime(2024, 6, 14, 12, 0, tzinfo=UTC)
    perime = jeton("j-perime", expire_le=avant - timedelta(microseconds=1))
    # 13:00+02:00 is 11:00 UTC: expired, though its text is later than 12:00.
    perime_ailleurs = jeton(
        "j-perime-ete", NatureJeton.CAPTCHA, expire_le=datetime(2024, 6, 14, 13, 0, tzinfo=ETE)
    )
    a_l_instant = jeton("j-pile", expire_le=avant)
    valide = jeton_complet("j-valide")
    _ajouter(magasin, perime, perime_ailleurs, a_l_instant, valide)

    with magasin.rouvrir() as uow:
        assert uow.jetons.purger(avant) == 2
        assert uow.jetons.purger(avant) == 0
        uow.commit()
    with magasin.rouvrir() as uow:
        for parti in (perime, perime_ailleurs):
            with pytest.raises(NonTrouve):
                uow.jetons.obtenir(parti.id)
            assert uow.jetons.par_empreinte(parti.empreinte) is None
        assert uow.jetons.obtenir(a_l_instant.id) == a_l_instant
        assert uow.jetons.obtenir(valide.id) == valide
        assert uow.jetons.purger(T0 - timedelta(days=1)) == 0
