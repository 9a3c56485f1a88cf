"""Contract of the repositories and the unit of work, through the ports only."""

from __future__ import annotations

import attrs
import pytest

from chorus.domain.acces import Perimetre
from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve, TransitionInvalide
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure, TypeIdentifiant
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.depots import UnitOfWork
from tests.contract.agregats import (
    GESTIONNAIRE,
    SIRET,
    SIRET_AUTRE,
    T0,
    brouillon,
    ecarts,
    entete,
    envoyer,
    heure,
    ligne,
    memoire_complete,
    structure,
    structure_complete,
    structure_particulier,
    traiter,
    utilisateur,
    utilisateur_complet,
)
from tests.contract.agregats import (
    ajouter as _ajouter,
)
from tests.contract.conftest import Magasin


def _brouillon(id: str = "m-1", numero: str = "TMP2024000000001") -> Memoire:
    return brouillon(id, numero, entete("s-1"), lignes=(ligne(1),))


def _assert_identiques(lu: object, attendu: object) -> None:
    assert lu == attendu
    assert ecarts(lu, attendu) == []


# -- round trips -------------------------------------------------------------------------


def test_une_structure_complete_revient_identique(magasin: Magasin) -> None:
    complete = structure_complete()
    particulier = structure_particulier()
    _ajouter(magasin.uow, complete, particulier)

    with magasin.rouvrir() as uow:
        _assert_identiques(uow.structures.obtenir(complete.id), complete)
        _assert_identiques(uow.structures.obtenir(particulier.id), particulier)


def test_un_utilisateur_complet_revient_identique(magasin: Magasin) -> None:
    agent = utilisateur_complet()
    simple = utilisateur("u-simple")
    _ajouter(magasin.uow, agent, simple)

    with magasin.rouvrir() as uow:
        _assert_identiques(uow.utilisateurs.obtenir(agent.id), agent)
        _assert_identiques(uow.utilisateurs.obtenir(simple.id), simple)


def test_un_memoire_complet_revient_identique_montants_et_exposants_compris(
    magasin: Magasin,
) -> None:
    complet = memoire_complete()
    un_brouillon = _brouillon("m-brouillon")
    _ajouter(magasin.uow, complet, un_brouillon)

    with magasin.rouvrir() as uow:
        lu = uow.memoires.obtenir(complet.id)
        _assert_identiques(lu, complet)
        _assert_identiques(uow.memoires.obtenir(un_brouillon.id), un_brouillon)
    # Amounts keep their two decimals, and derived totals are the same.
    frais = lu.lignes[0].frais_divers[0].montant_ht
    assert str(frais) == "12.10"
    assert str(lu.entete.remise_globale_ttc) == "12.10"
    assert str(lu.lignes[2].debours) == "12.10"
    assert str(lu.montant_certifie) == "400.50"
    assert lu.totaux == complet.totaux
    assert ecarts(lu.totaux, complet.totaux) == []


def test_un_memoire_enregistre_revient_identique(magasin: Magasin) -> None:
    """What `enregistrer` writes (not only what `ajouter` writes) comes back whole."""
    depart = _brouillon()
    _ajouter(magasin.uow, depart)
    complet = attrs.evolve(memoire_complete(id=depart.id, structure_id="s-1"), version=0)

    with magasin.uow as uow:
        enregistre = uow.memoires.enregistrer(complet)
        uow.commit()

    with magasin.rouvrir() as uow:
        _assert_identiques(uow.memoires.obtenir(depart.id), enregistre)
    assert enregistre == attrs.evolve(complet, version=1)


# -- adding, reading, finding ------------------------------------------------------------


def test_obtenir_lit_ce_que_la_meme_unite_vient_d_ajouter(magasin: Magasin) -> None:
    s = structure("s-1")
    u = utilisateur("u-1")
    m = _brouillon()
    with magasin.uow as uow:
        uow.structures.ajouter(s)
        uow.utilisateurs.ajouter(u)
        uow.memoires.ajouter(m)
        assert uow.structures.obtenir(s.id) == s
        assert uow.utilisateurs.obtenir(u.id) == u
        assert uow.memoires.obtenir(m.id) == m
        uow.commit()


def test_obtenir_un_inconnu_leve_non_trouve(magasin: Magasin) -> None:
    _ajouter(magasin.uow, structure("s-1"), utilisateur("u-1"), _brouillon())
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.structures.obtenir("s-inconnue")
        with pytest.raises(NonTrouve):
            uow.utilisateurs.obtenir("u-inconnu")
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir("m-inconnu")


def test_une_structure_au_meme_identifiant_est_refusee(magasin: Magasin) -> None:
    premiere = structure_complete("s-1", identifiant=SIRET)
    _ajouter(magasin.uow, premiere)
    doublon = structure("s-2", identifiant=SIRET, type_identifiant=TypeIdentifiant.SIRET)
    with magasin.rouvrir() as uow, pytest.raises(Conflit):
        uow.structures.ajouter(doublon)
    # The same value under another identifier type is another identifier.
    _ajouter(magasin.rouvrir(), structure("s-3", identifiant=SIRET))
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.structures.obtenir("s-2")
        assert uow.structures.obtenir("s-1") == premiere


def test_un_id_deja_pris_n_ecrase_jamais(magasin: Magasin) -> None:
    s, u = structure_complete("s-1", identifiant=SIRET), utilisateur("u-1")
    _ajouter(magasin.uow, s, u)
    with magasin.rouvrir() as uow:
        with pytest.raises(Conflit):
            uow.structures.ajouter(structure("s-1", identifiant=SIRET_AUTRE))
        with pytest.raises(Conflit):
            uow.utilisateurs.ajouter(utilisateur("u-1", email="autre@exemple.fr"))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.structures.obtenir("s-1") == s
        assert uow.utilisateurs.obtenir("u-1") == u
        assert uow.utilisateurs.par_email("autre@exemple.fr") is None


def test_par_identifiant(magasin: Magasin) -> None:
    cabinet = structure_complete("s-1", identifiant=SIRET)
    autre = structure("s-2", identifiant=SIRET_AUTRE, type_identifiant=TypeIdentifiant.SIRET)
    etranger = structure("s-3", identifiant=SIRET)
    _ajouter(magasin.uow, cabinet, autre, etranger)
    with magasin.rouvrir() as uow:
        assert uow.structures.par_identifiant(TypeIdentifiant.SIRET, SIRET) == cabinet
        assert uow.structures.par_identifiant(TypeIdentifiant.SIRET, SIRET_AUTRE) == autre
        assert uow.structures.par_identifiant(TypeIdentifiant.HORS_UE, SIRET) == etranger
        assert uow.structures.par_identifiant(TypeIdentifiant.SIRET, "73282932000074") is None
        assert uow.structures.par_identifiant(TypeIdentifiant.RIDET, SIRET) is None


def test_un_email_deja_pris_est_refuse_quelle_que_soit_la_casse(magasin: Magasin) -> None:
    premier = utilisateur("u-1", "jeanne.martin@exemple.fr")
    _ajouter(magasin.uow, premier)
    with magasin.rouvrir() as uow:
        with pytest.raises(Conflit):
            uow.utilisateurs.ajouter(utilisateur("u-2", "Jeanne.MARTIN@Exemple.FR"))
        with pytest.raises(Conflit):
            uow.utilisateurs.ajouter(utilisateur("u-3", "jeanne.martin@exemple.fr"))
    with magasin.rouvrir() as uow, pytest.raises(NonTrouve):
        uow.utilisateurs.obtenir("u-2")


def test_par_email_ignore_la_casse(magasin: Magasin) -> None:
    jeanne = utilisateur("u-1", "jeanne.martin@exemple.fr")
    agent = utilisateur_complet("u-2")
    _ajouter(magasin.uow, jeanne, agent)
    with magasin.rouvrir() as uow:
        assert uow.utilisateurs.par_email("jeanne.martin@exemple.fr") == jeanne
        assert uow.utilisateurs.par_email("Jeanne.Martin@EXEMPLE.fr") == jeanne
        assert uow.utilisateurs.par_email("AGNES.LEFEVRE@JUSTICE.FR") == agent
        assert uow.utilisateurs.par_email("personne@exemple.fr") is None


def test_un_numero_de_memoire_deja_attribue_est_refuse(magasin: Magasin) -> None:
    premier = _brouillon("m-1", "TMP2024000000001")
    _ajouter(magasin.uow, premier)
    with magasin.rouvrir() as uow, pytest.raises(Conflit):
        uow.memoires.ajouter(_brouillon("m-2", "TMP2024000000001"))
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir("m-2")
        assert uow.memoires.par_numero("TMP2024000000001") == premier


def test_un_identifiant_de_memoire_deja_pris_est_refuse(magasin: Magasin) -> None:
    premier = _brouillon("m-1", "TMP2024000000001")
    _ajouter(magasin.uow, premier)
    with magasin.rouvrir() as uow, pytest.raises(Conflit):
        uow.memoires.ajouter(_brouillon("m-1", "TMP2024000000002"))
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir("m-1") == premier
        assert uow.memoires.par_numero("TMP2024000000002") is None


def test_envoyer_vers_un_numero_deja_attribue_est_refuse(magasin: Magasin) -> None:
    deja = envoyer(_brouillon("m-1", "TMP2024000000001"), "MJ00000000001", T0)
    second = _brouillon("m-2", "TMP2024000000002")
    _ajouter(magasin.uow, deja, second)
    with magasin.rouvrir() as uow, pytest.raises(Conflit):
        uow.memoires.enregistrer(envoyer(second, "MJ00000000001", heure(1)))
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir("m-2") == second


def test_par_numero_suit_le_numero_courant(magasin: Magasin) -> None:
    m = _brouillon("m-1", "TMP2024000000001")
    _ajouter(magasin.uow, m, _brouillon("m-2", "TMP2024000000002"))
    with magasin.rouvrir() as uow:
        assert uow.memoires.par_numero("TMP2024000000001") == m
        envoye = uow.memoires.enregistrer(envoyer(m, "MJ00000000007", heure(1)))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.par_numero("MJ00000000007") == envoye
        assert uow.memoires.par_numero("TMP2024000000001") is None
        assert uow.memoires.par_numero("MJ00000000008") is None
        second = uow.memoires.par_numero("TMP2024000000002")
        assert second is not None
        assert second.id == "m-2"


def test_par_empreinte(magasin: Magasin) -> None:
    complet = memoire_complete()
    _ajouter(magasin.uow, complet, _brouillon("m-brouillon"))
    assert complet.certificat is not None
    with magasin.rouvrir() as uow:
        assert uow.memoires.par_empreinte(complet.certificat.empreinte) == complet
        assert uow.memoires.par_empreinte("A" * 43 + "=") is None


def test_pour_utilisateur_par_raison_sociale_rattachements_en_attente_compris(
    magasin: Magasin,
) -> None:
    gamma = structure("s-gamma", raison_sociale="Gamma expertises", createur_id="u-1")
    beta = structure("s-beta", raison_sociale="beta traductions", createur_id="u-autre")
    alpha = structure(
        "s-alpha", raison_sociale="Alpha interprètes", createur_id="u-autre"
    ).demander_rattachement(id="r-alpha", utilisateur_id="u-1", maintenant=T0)
    delta = (
        structure("s-delta", raison_sociale="Delta", createur_id="u-autre")
        .demander_rattachement(id="r-delta", utilisateur_id="u-1", maintenant=T0)
        .refuser_rattachement("r-delta", heure(1))
    )
    aaa = structure("s-aaa", raison_sociale="Aaa cabinet", createur_id="u-autre")
    _ajouter(magasin.uow, gamma, beta, alpha, delta, aaa)
    with magasin.rouvrir() as uow:
        beta = uow.structures.enregistrer(
            beta.demander_rattachement(id="r-beta", utilisateur_id="u-1", maintenant=T0)
        )
        uow.commit()

    with magasin.rouvrir() as uow:
        assert list(uow.structures.pour_utilisateur("u-1")) == [alpha, beta, delta, gamma]
        assert [s.id for s in uow.structures.pour_utilisateur("u-autre")] == [
            "s-aaa",
            "s-alpha",
            "s-beta",
            "s-delta",
        ]
        assert list(uow.structures.pour_utilisateur("u-personne")) == []


# -- versions ----------------------------------------------------------------------------


def test_enregistrer_monte_la_version_d_un_et_la_rend(magasin: Magasin) -> None:
    s = structure_complete()
    u = utilisateur_complet()
    m = _brouillon()
    _ajouter(magasin.uow, s, u, m)
    for tour in range(1, 4):
        with magasin.rouvrir() as uow:
            s_lue = uow.structures.obtenir(s.id)
            u_lu = uow.utilisateurs.obtenir(u.id)
            m_lu = uow.memoires.obtenir(m.id)
            assert (s_lue.version, u_lu.version, m_lu.version) == (tour - 1,) * 3
            s2 = uow.structures.enregistrer(s_lue.modifier(raison_sociale=f"Cabinet {tour}"))
            u2 = uow.utilisateurs.enregistrer(attrs.evolve(u_lu, telephone=f"0{tour}"))
            m2 = uow.memoires.enregistrer(m_lu.ajouter_ligne(ligne(tour + 1)))
            assert (s2.version, u2.version, m2.version) == (tour,) * 3
            uow.commit()
        with magasin.rouvrir() as uow:
            assert uow.structures.obtenir(s.id) == s2
            assert uow.utilisateurs.obtenir(u.id) == u2
            assert uow.memoires.obtenir(m.id) == m2
    assert s2.raison_sociale == "Cabinet 3"
    assert u2.telephone == "03"
    assert len(m2.lignes) == 4


def test_deux_enregistrements_dans_la_meme_unite(magasin: Magasin) -> None:
    m = _brouillon()
    _ajouter(magasin.uow, m)
    with magasin.rouvrir() as uow:
        v1 = uow.memoires.enregistrer(uow.memoires.obtenir(m.id).ajouter_ligne(ligne(2)))
        v2 = uow.memoires.enregistrer(v1.ajouter_ligne(ligne(3)))
        with pytest.raises(ConflitDeVersion):
            uow.memoires.enregistrer(v1.ajouter_ligne(ligne(4)))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir(m.id) == v2
    assert v2.version == 2


def test_une_version_perimee_est_refusee_sans_perte_de_la_premiere(magasin: Magasin) -> None:
    """Two readers get version 0; the first to save wins, the second gets a conflict."""
    s = structure_complete()
    u = utilisateur_complet()
    m = envoyer(_brouillon(), "MJ00000000001", T0)
    _ajouter(magasin.uow, s, u, m)
    premier, second = magasin.rouvrir(), magasin.rouvrir()
    with premier:
        s_a = premier.structures.obtenir(s.id)
        u_a = premier.utilisateurs.obtenir(u.id)
        m_a = premier.memoires.obtenir(m.id)
    with second:
        s_b = second.structures.obtenir(s.id)
        u_b = second.utilisateurs.obtenir(u.id)
        m_b = second.memoires.obtenir(m.id)
    assert {s_a.version, u_a.version, m_a.version, s_b.version, u_b.version, m_b.version} == {0}

    with premier:
        gagnants = (
            premier.structures.enregistrer(s_a.modifier(raison_sociale="Gagnant")),
            premier.utilisateurs.enregistrer(attrs.evolve(u_a, nom="Gagnant")),
            premier.memoires.enregistrer(
                traiter(m_a, ActionTraitement.MISE_A_DISPOSITION, heure(2))
            ),
        )
        premier.commit()
    with second:
        with pytest.raises(ConflitDeVersion) as erreur:
            second.structures.enregistrer(s_b.modifier(raison_sociale="Perdant"))
        assert (erreur.value.attendue, erreur.value.actuelle) == (0, 1)
        with pytest.raises(ConflitDeVersion):
            second.utilisateurs.enregistrer(attrs.evolve(u_b, nom="Perdant"))
        with pytest.raises(ConflitDeVersion):
            second.memoires.enregistrer(traiter(m_b, ActionTraitement.MISE_A_DISPOSITION, heure(3)))
        second.commit()

    with magasin.rouvrir() as uow:
        lus = (
            uow.structures.obtenir(s.id),
            uow.utilisateurs.obtenir(u.id),
            uow.memoires.obtenir(m.id),
        )
    assert lus == gagnants
    assert [x.version for x in lus] == [1, 1, 1]


def test_enregistrer_un_agregat_inconnu_leve_non_trouve(magasin: Magasin) -> None:
    _ajouter(magasin.uow, structure("s-1"))
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.structures.enregistrer(structure("s-2"))
        with pytest.raises(NonTrouve):
            uow.utilisateurs.enregistrer(utilisateur("u-2"))
        with pytest.raises(NonTrouve):
            uow.memoires.enregistrer(_brouillon("m-2"))


# -- transactions ------------------------------------------------------------------------


class _Echec(Exception):
    pass


def _tout_changer(uow: UnitOfWork) -> None:
    """Add, change and delete one of each, and take sequence values."""
    uow.structures.ajouter(structure("s-nouvelle", raison_sociale="Nouvelle"))
    uow.utilisateurs.ajouter(utilisateur("u-nouveau"))
    uow.memoires.ajouter(_brouillon("m-nouveau", "TMP2024000000099"))
    uow.structures.enregistrer(uow.structures.obtenir("s-1").modifier(raison_sociale="Changée"))
    uow.utilisateurs.enregistrer(attrs.evolve(uow.utilisateurs.obtenir("u-1"), nom="Changé"))
    uow.memoires.enregistrer(uow.memoires.obtenir("m-1").ajouter_ligne(ligne(2)))
    uow.memoires.supprimer("m-2")
    uow.sequences.suivant("TEST")
    uow.sequences.suivant("TEST")


def _rien_n_a_change(
    magasin: Magasin, depart: tuple[Structure, Utilisateur, Memoire, Memoire]
) -> None:
    s, u, m1, m2 = depart
    with magasin.rouvrir() as uow:
        assert uow.structures.obtenir("s-1") == s
        assert uow.utilisateurs.obtenir("u-1") == u
        assert uow.memoires.obtenir("m-1") == m1
        assert uow.memoires.obtenir("m-2") == m2
        for obtenir, id in (
            (uow.structures.obtenir, "s-nouvelle"),
            (uow.utilisateurs.obtenir, "u-nouveau"),
            (uow.memoires.obtenir, "m-nouveau"),
        ):
            with pytest.raises(NonTrouve):
                obtenir(id)
        assert uow.structures.par_identifiant(TypeIdentifiant.HORS_UE, "ID-s-nouvelle") is None
        assert uow.utilisateurs.par_email("u-nouveau@exemple.fr") is None
        assert uow.memoires.par_numero("TMP2024000000099") is None
        assert [x.id for x in uow.structures.pour_utilisateur(GESTIONNAIRE)] == ["s-1"]


@pytest.fixture
def depart(magasin: Magasin) -> tuple[Structure, Utilisateur, Memoire, Memoire]:
    agregats = (
        structure("s-1"),
        utilisateur("u-1"),
        _brouillon("m-1", "TMP2024000000001"),
        _brouillon("m-2", "TMP2024000000002"),
    )
    _ajouter(magasin.uow, *agregats)
    return agregats


def test_une_exception_dans_l_unite_annule_tout(
    magasin: Magasin, depart: tuple[Structure, Utilisateur, Memoire, Memoire]
) -> None:
    def echouer(uow: UnitOfWork) -> None:
        with uow:
            _tout_changer(uow)
            raise _Echec

    with pytest.raises(_Echec):
        echouer(magasin.rouvrir())
    _rien_n_a_change(magasin, depart)


def test_sortir_sans_commit_n_ecrit_rien(
    magasin: Magasin, depart: tuple[Structure, Utilisateur, Memoire, Memoire]
) -> None:
    uow = magasin.rouvrir()
    with uow:
        _tout_changer(uow)
    _rien_n_a_change(magasin, depart)
    # The same unit of work, entered again, sees the committed state only.
    with uow:
        assert uow.structures.obtenir("s-1") == depart[0]
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir("m-nouveau")


def test_rollback_annule_ce_qui_suit_le_dernier_commit(
    magasin: Magasin, depart: tuple[Structure, Utilisateur, Memoire, Memoire]
) -> None:
    uow = magasin.rouvrir()
    with uow:
        _tout_changer(uow)
        uow.rollback()
        uow.utilisateurs.ajouter(utilisateur("u-apres"))
        uow.commit()
        uow.structures.ajouter(structure("s-jamais"))
    with magasin.rouvrir() as lecteur:
        assert lecteur.utilisateurs.obtenir("u-apres") == utilisateur("u-apres")
        with pytest.raises(NonTrouve):
            lecteur.structures.obtenir("s-jamais")
    with magasin.rouvrir() as lecteur:
        lecteur.utilisateurs.obtenir("u-apres")
    # Apart from u-apres, nothing changed.
    _rien_n_a_change(magasin, depart)


def test_une_unite_se_reutilise_transaction_apres_transaction(magasin: Magasin) -> None:
    uow = magasin.uow
    for n in range(1, 4):
        with uow:
            uow.structures.ajouter(structure(f"s-{n}"))
            uow.commit()
    with magasin.rouvrir() as lecteur:
        for n in range(1, 4):
            assert lecteur.structures.obtenir(f"s-{n}") == structure(f"s-{n}")


def test_un_conflit_de_version_n_ecrit_rien(magasin: Magasin) -> None:
    m = _brouillon()
    _ajouter(magasin.uow, m)
    with magasin.rouvrir() as uow:
        gagnant = uow.memoires.enregistrer(m.ajouter_ligne(ligne(2)))
        uow.commit()
    with magasin.rouvrir() as uow:
        with pytest.raises(ConflitDeVersion):
            uow.memoires.enregistrer(m.ajouter_ligne(ligne(3)))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir(m.id) == gagnant


# -- deleting ----------------------------------------------------------------------------


def test_supprimer_un_memoire(magasin: Magasin) -> None:
    garde = _brouillon("m-garde", "TMP2024000000001")
    supprime = _brouillon("m-supprime", "TMP2024000000002")
    _ajouter(magasin.uow, garde, supprime)
    with magasin.rouvrir() as uow:
        uow.memoires.supprimer(supprime.id)
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir(supprime.id)
        uow.commit()
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir(supprime.id)
        assert uow.memoires.par_numero("TMP2024000000002") is None
        assert uow.memoires.obtenir(garde.id) == garde
        with pytest.raises(NonTrouve):
            uow.memoires.supprimer("m-inconnu")
        with pytest.raises(NonTrouve):
            uow.memoires.enregistrer(supprime.ajouter_ligne(ligne(2)))
    # Its number is free again for a new mémoire (a draft number is never reused by the
    # use cases, but the store holds no tombstone).
    _ajouter(magasin.rouvrir(), _brouillon("m-autre", "TMP2024000000002"))


def test_un_memoire_envoye_ne_se_supprime_pas(magasin: Magasin) -> None:
    envoye = envoyer(_brouillon("m-envoye", "TMP2024000000001"), "MJ00000000001", heure(1))
    _ajouter(magasin.uow, envoye)
    with magasin.rouvrir() as uow:
        with pytest.raises(TransitionInvalide, match="ne peut pas être supprimé"):
            uow.memoires.supprimer(envoye.id)
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir(envoye.id) == envoye
        assert uow.requetes.compter_par_statut(Perimetre(frozenset({"s-1"}))) == {
            "s-1": {envoye.statut: 1}
        }
