"""Contract of `TicketRepository` over every storage adapter, through the ports only.

The memory adapter scans with the ports' reference semantics (`correspond`,
`trier_tickets`); every other adapter must give exactly the same answers, the SQLite one from
its columns and its FTS5 index.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import timedelta

import attrs
import pytest

from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve, TransitionInvalide
from chorus.domain.support import ticket as t
from chorus.domain.support.referentiel import Destinataire, SousCategorieTicket
from chorus.domain.support.ticket import ActionTicket, StatutTicket, Ticket
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Pagination
from chorus.ports.support import (
    CriteresTicket,
    OngletTicket,
    ResumeTicket,
    correspond,
    lire_recherche,
    trier_tickets,
)
from tests.contract.agregats import ecarts
from tests.contract.conftest import Magasin
from tests.unit.fabrique_tickets import T0, a_l_etat, agir, piece, ticket

S = SousCategorieTicket
D = Destinataire


def _ajouter(uow: UnitOfWork, *tickets: Ticket) -> None:
    with uow:
        for un in tickets:
            uow.tickets.ajouter(un)
        uow.commit()


def _enregistrer(uow: UnitOfWork, ticket_: Ticket) -> Ticket:
    with uow:
        enregistre = uow.tickets.enregistrer(ticket_)
        uow.commit()
    return enregistre


def _numeros(resumes: Iterable[ResumeTicket]) -> list[str]:
    return [r.numero for r in resumes]


def ticket_complet() -> Ticket:
    """A ticket with every field set: accents and line breaks, a pièce at creation and one
    added, a history through both sides, a service centralisateur with its juridiction."""
    debut = ticket(
        "t-complet",
        7,
        sous_categorie=S.M_REFUS,
        resume="Refus du mémoire : montant taxé à 0 €",
        description="Ligne 1 « expertise »\nLigne 2 : débours refusés.",
        pieces=(piece("p-1", "rapport"),),
    )
    quand = T0
    for action, texte in (
        (ActionTicket.PRENDRE_EN_CHARGE, "Pris en charge"),
        (ActionTicket.DEMANDER_INFORMATION, "Merci de joindre l'ordonnance."),
        (ActionTicket.AJOUTER_PIECE, "Voici l'ordonnance"),
        (ActionTicket.FOURNIR_INFORMATION, "C'est joint."),
        (ActionTicket.PROPOSER_SOLUTION, "Le montant est réexaminé : déposez un nouveau mémoire."),
    ):
        quand += timedelta(minutes=7)
        debut = agir(debut, action, quand, texte)
    return debut


# -- storing and reading back ---------------------------------------------------------------


def test_un_ticket_revient_identique_apres_reouverture(magasin: Magasin) -> None:
    complet = ticket_complet()
    _ajouter(magasin.uow, complet)
    with magasin.rouvrir().lecture() as uow:
        lu = uow.tickets.obtenir("t-complet")
        assert ecarts(lu, complet) == []
        assert lu == complet
        assert uow.tickets.par_numero("CPROCS0000007") == complet
        assert uow.tickets.par_numero("CPROCS0000008") is None
        (resume,) = uow.tickets.tous(CriteresTicket(structures=None, onglet=None))
        assert resume == ResumeTicket.depuis(complet)
        assert resume.destinataire.juridiction_code == "TJ-69123"


def test_un_ticket_inconnu_n_existe_pas(magasin: Magasin) -> None:
    with magasin.uow.lecture() as uow, pytest.raises(NonTrouve):
        uow.tickets.obtenir("t-absent")


def test_un_numero_ou_un_id_deja_pris_est_refuse(magasin: Magasin) -> None:
    _ajouter(magasin.uow, ticket("t-1", 1))
    for doublon in (ticket("t-2", 1), ticket("t-1", 2)):
        with magasin.uow as uow, pytest.raises(Conflit):
            uow.tickets.ajouter(doublon)
    with magasin.rouvrir().lecture() as uow:
        assert _numeros(uow.tickets.tous(CriteresTicket(None, onglet=None))) == ["CPROCS0000001"]


def test_enregistrer_avance_la_version_et_refuse_une_version_perimee(magasin: Magasin) -> None:
    _ajouter(magasin.uow, ticket("t-1", 1))
    lu = ticket("t-1", 1)
    pris = _enregistrer(magasin.uow, agir(lu, ActionTicket.PRENDRE_EN_CHARGE, T0))
    assert pris.version == 1
    # Someone else's change read at version 0: refused, nothing written.
    perime = agir(lu, ActionTicket.CLOTURER, T0 + timedelta(minutes=1))
    with magasin.uow as uow, pytest.raises(ConflitDeVersion):
        uow.tickets.enregistrer(perime)
    with magasin.rouvrir().lecture() as uow:
        relu = uow.tickets.obtenir("t-1")
    assert relu == pris
    assert relu.statut is StatutTicket.EN_COURS


@pytest.mark.parametrize(
    "reecriture",
    [
        lambda x: attrs.evolve(x, activites=x.activites[:-1]),
        lambda x: attrs.evolve(x, resume="Autre chose"),
        lambda x: attrs.evolve(x, pieces=()),
        lambda x: attrs.evolve(x, emetteur=attrs.evolve(x.emetteur, email="autre@exemple.fr")),
    ],
    ids=["historique-raccourci", "resume", "pieces", "emetteur"],
)
def test_un_ticket_ne_se_reecrit_pas(magasin: Magasin, reecriture: object) -> None:
    avec_piece = ticket("t-1", 1, pieces=(piece("p-1"),))
    commente = agir(avec_piece, ActionTicket.COMMENTER, T0)
    _ajouter(magasin.uow, commente)
    assert callable(reecriture)
    with magasin.uow as uow, pytest.raises(TransitionInvalide):
        uow.tickets.enregistrer(reecriture(commente))
    with magasin.rouvrir().lecture() as uow:
        assert uow.tickets.obtenir("t-1") == commente


def test_deux_reponses_concurrentes_une_seule_passe(magasin: Magasin) -> None:
    _ajouter(magasin.uow, ticket("t-1", 1))
    depart = threading.Barrier(4)
    resultats: list[str] = []

    def repondre(rang: int) -> None:
        uow = magasin.rouvrir()
        depart.wait()
        try:
            with uow:
                lu = uow.tickets.obtenir("t-1")
                uow.tickets.enregistrer(
                    agir(lu, ActionTicket.COMMENTER_AGENT, T0, f"Réponse {rang}")
                )
                uow.commit()
            resultats.append("ok")
        except ConflitDeVersion:
            resultats.append("conflit")

    fils = [threading.Thread(target=repondre, args=(rang,)) for rang in range(4)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    # Writers are serialised: each reads the latest version, so every answer lands once.
    assert resultats == ["ok"] * 4
    with magasin.rouvrir().lecture() as uow:
        relu = uow.tickets.obtenir("t-1")
    assert relu.version == 4
    assert sorted(a.texte or "" for a in relu.activites[1:]) == [f"Réponse {i}" for i in range(4)]


def test_les_numeros_de_la_sequence_tickets_ne_servent_qu_une_fois(magasin: Magasin) -> None:
    valeurs: list[int] = []
    verrou = threading.Lock()

    def tirer() -> None:
        uow = magasin.rouvrir()
        for _ in range(5):
            with uow:
                valeur = uow.sequences.suivant("tickets")
                uow.tickets.ajouter(ticket(f"t-{valeur}", valeur))
                uow.commit()
            with verrou:
                valeurs.append(valeur)

    fils = [threading.Thread(target=tirer) for _ in range(3)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert sorted(valeurs) == list(range(1, 16))
    with magasin.rouvrir().lecture() as uow:
        tous = uow.tickets.tous(CriteresTicket(None, onglet=None))
    assert sorted(_numeros(tous)) == [f"CPROCS{n:07d}" for n in range(1, 16)]


def test_les_pieces_des_tickets_sont_gardees_par_la_purge(magasin: Magasin) -> None:
    premier = ticket("t-1", 1, pieces=(piece("p-1", "un"),))
    _ajouter(magasin.uow, premier)
    ajoutee = piece("p-2", "deux")
    second = premier.ajouter_piece(ajoutee, auteur="x", maintenant=T0)
    _enregistrer(magasin.uow, second)
    adresses = {premier.pieces[0].sha256, ajoutee.sha256, "0" * 64}
    with magasin.rouvrir().lecture() as uow:
        assert uow.tickets.contenus_references(adresses) == {
            premier.pieces[0].sha256,
            ajoutee.sha256,
        }
        assert uow.tickets.contenus_references(()) == frozenset()


# -- lists and the keyword search -------------------------------------------------------------


def _jeu() -> list[Ticket]:
    """Tickets of three structures routed everywhere, in every state, with tied updates."""
    heure = timedelta(hours=1)
    return [
        ticket(
            "t-01",
            1,
            structure_id="s-1",
            resume="Problème de connexion",
            description="Je n'arrive pas à me connecter depuis l'élévation de mes droits.",
            quand=T0,
        ),
        a_l_etat(
            t.SOLUTION_PROPOSEE,
            "t-02",
            2,
            structure_id="s-1",
            sous_categorie=S.M_SUIVI,
            resume="Mémoire suspendu",
            description="Où envoyer le rapport d'expertise signé ?",
            quand=T0 + heure,
        ),
        a_l_etat(
            t.EN_COURS,
            "t-03",
            3,
            structure_id="s-2",
            sous_categorie=S.M_SUIVI,
            juridiction="TJ-75056",
            resume="Suivi d'un mémoire à Paris",
            description="Déposé il y a deux mois.",
            quand=T0 + heure,
        ),
        a_l_etat(
            t.CLOS,
            "t-04",
            4,
            structure_id="s-2",
            sous_categorie=S.M_PAIEMENT,
            resume="Paiement en attente",
            description="Le virement n'est pas arrivé.",
            quand=T0 + 2 * heure,
        ),
        a_l_etat(
            t.INFORMATION_DEMANDEE,
            "t-05",
            5,
            structure_id="s-3",
            sous_categorie=S.T_SUIVI,
            resume="Instruction de ma demande TIC",
            description="Gazole non routier, campagne 2024.",
            quand=T0 + 3 * heure,
        ),
        a_l_etat(
            t.RESOLU,
            "t-06",
            6,
            structure_id="s-3",
            resume="Coordonnées bancaires",
            description="Changer d'IBAN.",
            quand=T0 + 3 * heure - timedelta(minutes=1),
        ),
    ]


@pytest.fixture
def rempli(magasin: Magasin) -> Magasin:
    _ajouter(magasin.uow, *_jeu())
    return magasin


def _chercher(magasin: Magasin, criteres: CriteresTicket) -> list[str]:
    with magasin.rouvrir().lecture() as uow:
        page = uow.tickets.rechercher(criteres, Pagination(1, 500))
        tous = uow.tickets.tous(criteres)
    assert list(page.elements) == list(tous)
    assert page.total == len(tous)
    # The reference semantics, by scan.
    attendu = trier_tickets(ResumeTicket.depuis(x) for x in _jeu() if correspond(x, criteres))
    assert _numeros(tous) == _numeros(attendu)
    return [n.removeprefix("CPROCS0000") for n in _numeros(tous)]


def test_les_listes_vont_de_la_derniere_mise_a_jour_a_la_premiere(rempli: Magasin) -> None:
    # 006 and 005, then 003 and 002, were last updated at the same instant: the higher
    # number first.
    assert _chercher(rempli, CriteresTicket(None, onglet=None)) == [
        "006",
        "005",
        "004",
        "003",
        "002",
        "001",
    ]


@pytest.mark.parametrize(
    ("criteres", "attendus"),
    [
        (CriteresTicket(frozenset({"s-1"})), {"001", "002"}),
        (CriteresTicket(frozenset({"s-1", "s-2"})), {"001", "002", "003"}),
        (CriteresTicket(frozenset({"s-2"}), onglet=None), {"003", "004"}),
        (CriteresTicket(frozenset()), set()),
        (CriteresTicket(None, onglet=OngletTicket.ACTIONS_REQUISES), {"002", "005"}),
        (CriteresTicket(None, onglet=OngletTicket.A_TRAITER), {"001", "003"}),
        (CriteresTicket(None), {"001", "002", "003", "005", "006"}),
        (CriteresTicket(None, onglet=None, statut=StatutTicket.CLOS), {"004"}),
        (CriteresTicket(None, statut=StatutTicket.CLOS), set()),
        (
            CriteresTicket(None, destinataires=frozenset({D.SERVICE_CENTRALISATEUR})),
            {"002", "003"},
        ),
        (
            CriteresTicket(
                None,
                destinataires=frozenset({D.SERVICE_CENTRALISATEUR}),
                juridictions=frozenset({"TJ-75056"}),
            ),
            {"003"},
        ),
        (CriteresTicket(None, juridictions=frozenset()), {"001", "005", "006"}),
        (CriteresTicket(None, destinataires=frozenset()), set()),
        (
            CriteresTicket(None, onglet=None, destinataires=frozenset({D.COMPTABLE})),
            {"004"},
        ),
        (CriteresTicket(None, destinataires=frozenset({D.INSTRUCTION_TIC})), {"005"}),
    ],
)
def test_filtres_et_onglets(rempli: Magasin, criteres: CriteresTicket, attendus: set[str]) -> None:
    assert set(_chercher(rempli, criteres)) == attendus


@pytest.mark.parametrize(
    ("q", "attendus"),
    [
        ("connexion", {"001"}),
        ("CONNEX", {"001"}),
        ("elevation", {"001"}),  # « élévation », accents folded
        ("Élév droits", {"001"}),  # every word a prefix, in any order
        ("droits connexion", {"001"}),
        ("droits paiement", set()),  # every word must match
        ("memoire", {"002", "003"}),
        ("mémoire suspendu", {"002"}),
        ("cprocs0000004", {"004"}),
        ("CPROCS000000", {"001", "002", "003", "004", "005", "006"}),
        ("ordonnance", set()),
        ("texte", {"002", "003", "004", "005", "006"}),  # the activities' texts
        ("expertise", {"002"}),
        ("xpertise", set()),  # a prefix, not a substring
        ("d'iban", {"006"}),
        ("gazole non-routier 2024", {"005"}),
        ("l'élévation", {"001"}),
    ],
)
def test_la_recherche_par_mots(rempli: Magasin, q: str, attendus: set[str]) -> None:
    criteres = CriteresTicket(None, onglet=None, mots=lire_recherche(q))
    assert set(_chercher(rempli, criteres)) == attendus


def test_la_recherche_se_combine_aux_filtres_et_se_pagine(rempli: Magasin) -> None:
    criteres = CriteresTicket(frozenset({"s-1", "s-2"}), onglet=None, mots=lire_recherche("m"))
    assert _chercher(rempli, criteres) == ["003", "002", "001"]
    with rempli.rouvrir().lecture() as uow:
        page = uow.tickets.rechercher(criteres, Pagination(2, 2))
    assert page.total == 3
    assert (page.page, page.par_page) == (2, 2)
    assert _numeros(page.elements) == ["CPROCS0000001"]


def test_la_recherche_suit_les_nouvelles_activites(rempli: Magasin) -> None:
    criteres = CriteresTicket(None, mots=lire_recherche("hyperbolique"))
    assert _chercher(rempli, criteres) == []
    with rempli.uow as uow:
        lu = uow.tickets.obtenir("t-01")
        uow.tickets.enregistrer(
            agir(lu, ActionTicket.COMMENTER, T0 + timedelta(days=1), "Erreur hyperbolique")
        )
        uow.commit()
    with rempli.rouvrir().lecture() as uow:
        (trouve,) = uow.tickets.tous(criteres)
    assert trouve.numero == "CPROCS0000001"
    assert trouve.version == 1
    # The commented ticket is now the latest updated.
    with rempli.rouvrir().lecture() as uow:
        premier = uow.tickets.rechercher(CriteresTicket(None), Pagination(1, 1))
    assert _numeros(premier.elements) == ["CPROCS0000001"]
