"""The support ticket: its reference data, its creation rules and its status machine (the
table, every refusal, and — by property — that nothing but the table's transitions pass and
that the history only grows)."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.domain.errors import AccesRefuse, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.support import ticket as t
from chorus.domain.support.acces import (
    exiger_perimetre_support,
    perimetre_support,
    traite_les_tickets,
)
from chorus.domain.support.referentiel import (
    SOUS_CATEGORIES,
    CategorieTicket,
    Destinataire,
    SousCategorieTicket,
    TypeObjet,
    lire_categorie,
    lire_sous_categorie,
    lire_type_objet,
    sous_categories_de,
)
from chorus.domain.support.ticket import (
    ETATS,
    TRANSITIONS,
    ActionTicket,
    Cote,
    DestinataireTicket,
    Etat,
    NatureActivite,
    ObjetTicket,
    StatutTicket,
    Ticket,
    actions_possibles,
    numero_ticket,
    valider_telephone,
)
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from tests.unit.fabrique_tickets import AUTEUR, T0, a_l_etat, agir, emetteur, piece, ticket

S = SousCategorieTicket
D = Destinataire
A = ActionTicket


# -- reference data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "categorie", "objet", "obligatoire", "destinataire", "libelle"),
    [
        (S.M_SAISIE, "MEMOIRE", TypeObjet.MEMOIRE, False, D.SUPPORT, "M – Saisie d'un mémoire"),
        (S.M_SUIVI, "MEMOIRE", TypeObjet.MEMOIRE, True, D.SERVICE_CENTRALISATEUR, None),
        (S.M_REFUS, "MEMOIRE", TypeObjet.MEMOIRE, True, D.SERVICE_CENTRALISATEUR, None),
        (S.M_PAIEMENT, "MEMOIRE", TypeObjet.MEMOIRE, True, D.COMPTABLE, None),
        (S.M_LISTE_FISCALE, "MEMOIRE", None, False, D.SUPPORT, "M – Liste fiscale"),
        (S.T_ELIGIBILITE, "TIC", None, False, D.SUPPORT, None),
        (S.T_SUIVI, "TIC", TypeObjet.DEMANDE_TIC, True, D.INSTRUCTION_TIC, None),
        (S.T_PAIEMENT, "TIC", TypeObjet.DEMANDE_TIC, True, D.INSTRUCTION_TIC, None),
        (S.C_CONNEXION, "COMPTE", None, False, D.SUPPORT, None),
        (S.C_NOTIFICATIONS, "COMPTE", None, False, D.SUPPORT, None),
        (S.S_GESTION, "STRUCTURE", None, False, D.SUPPORT, None),
        (S.S_HABILITATIONS, "STRUCTURE", None, False, D.SUPPORT, None),
        (S.S_BANCAIRE, "STRUCTURE", None, False, D.SUPPORT, "S – Coordonnées bancaires"),
        (S.A_QUESTION, "AUTRE", None, False, D.SUPPORT, "A – Question générale"),
    ],
)
def test_chaque_sous_categorie_a_son_objet_et_son_destinataire(
    code: SousCategorieTicket,
    categorie: str,
    objet: TypeObjet | None,
    obligatoire: bool,
    destinataire: Destinataire,
    libelle: str | None,
) -> None:
    definition = SOUS_CATEGORIES[code]
    assert definition.categorie is CategorieTicket(categorie)
    assert (definition.type_objet, definition.objet_obligatoire) == (objet, obligatoire)
    assert definition.destinataire is destinataire
    if libelle is not None:
        assert code.libelle == libelle
    assert definition in sous_categories_de(definition.categorie)


def test_le_referentiel_couvre_toutes_les_sous_categories_une_fois() -> None:
    toutes = [d.code for c in CategorieTicket for d in sous_categories_de(c)]
    assert sorted(toutes, key=lambda s: s.value) == sorted(S, key=lambda s: s.value)
    assert CategorieTicket.TIC.libelle == "Demande de remboursement TIC/TICGN"
    assert D.COMPTABLE.libelle == "Pôle Chorus – comptable"


def test_les_codes_se_lisent_ou_sont_refuses_avec_leur_champ() -> None:
    assert lire_categorie(" memoire ") is CategorieTicket.MEMOIRE
    assert lire_sous_categorie("m_suivi") is S.M_SUIVI
    assert lire_type_objet("") is None
    assert lire_type_objet("DEMANDE_TIC") is TypeObjet.DEMANDE_TIC
    for lire, champ in (
        (lire_categorie, "categorie"),
        (lire_sous_categorie, "sous_categorie"),
        (lire_type_objet, "type_objet"),
    ):
        with pytest.raises(ValidationError) as refus:
            lire("INCONNU")
        assert refus.value.champ == champ
        with pytest.raises(ValidationError):
            lire(12)


# -- numbers, phones, creation ------------------------------------------------------------


def test_le_numero_est_cprocs_et_sept_chiffres() -> None:
    assert numero_ticket(12) == "CPROCS0000012"
    assert numero_ticket(9_999_999) == "CPROCS9999999"
    with pytest.raises(ValueError, match="out of range"):
        numero_ticket(0)


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("0478123456", "04 78 12 34 56"),
        ("04.78.12.34.56", "04 78 12 34 56"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "06 12 34 56 78"),
        ("0033 1 23 45 67 89", "01 23 45 67 89"),
        ("  ", None),
        (None, None),
    ],
)
def test_un_telephone_francais_est_normalise(saisi: str | None, attendu: str | None) -> None:
    assert valider_telephone(saisi) == attendu


@pytest.mark.parametrize("saisi", ["12345", "0078123456", "+44 20 7946 0958", "04781234567", 12])
def test_un_telephone_invalide_est_refuse(saisi: object) -> None:
    with pytest.raises(ValidationError) as refus:
        valider_telephone(saisi)
    assert refus.value.champ == "telephone"


def test_un_ticket_nait_ouvert_avec_son_activite_de_creation() -> None:
    nouveau = ticket(pieces=(piece("p-1"),))
    assert nouveau.numero == "CPROCS0000001"
    assert nouveau.etat == t.OUVERT
    assert nouveau.attente is None
    assert nouveau.categorie is CategorieTicket.AUTRE
    creation, jointe = nouveau.activites
    assert (creation.nature, creation.cote, creation.statut) == (
        NatureActivite.CREATION,
        Cote.UTILISATEUR,
        StatutTicket.OUVERT,
    )
    assert (jointe.nature, jointe.piece_id) == (NatureActivite.PIECE_JOINTE, "p-1")
    assert nouveau.date_maj == nouveau.date_creation == T0


def test_le_service_centralisateur_porte_sa_juridiction() -> None:
    suivi = ticket(sous_categorie=S.M_SUIVI)
    assert suivi.destinataire == DestinataireTicket(
        D.SERVICE_CENTRALISATEUR,
        "Service centralisateur – Tribunal judiciaire de Lyon",
        "TJ-69123",
    )
    assert (suivi.type_objet, suivi.numero_objet) == (TypeObjet.MEMOIRE, "MJ00000000001")
    with pytest.raises(ValidationError) as refus:
        DestinataireTicket.de(D.SERVICE_CENTRALISATEUR, None)
    assert refus.value.champ == "numero_objet"
    assert DestinataireTicket.de(D.SUPPORT, "TJ-69123").juridiction_code is None


def _creer(**changements: object) -> Ticket:
    valeurs: dict[str, object] = {
        "id": "t-1",
        "numero": "CPROCS0000001",
        "sous_categorie": S.A_QUESTION,
        "emetteur": emetteur(),
        "destinataire": DestinataireTicket.de(D.SUPPORT),
        "resume": "Une question",
        "description": "Le détail",
        "auteur": AUTEUR,
        "maintenant": T0,
    }
    valeurs.update(changements)
    return Ticket.creer(**valeurs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changements", "champ"),
    [
        ({"resume": ""}, "resume"),
        ({"resume": "x" * 101}, "resume"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"categorie": CategorieTicket.MEMOIRE}, "sous_categorie"),
        (
            {
                "sous_categorie": S.M_SUIVI,
                "destinataire": DestinataireTicket.de(D.SERVICE_CENTRALISATEUR, "TJ-1"),
            },
            "numero_objet",
        ),
        ({"objet": ObjetTicket(TypeObjet.MEMOIRE, "MJ1", "m-1")}, "type_objet"),
        ({"destinataire": DestinataireTicket.de(D.COMPTABLE)}, "sous_categorie"),
        ({"emetteur": attrs.evolve(emetteur(), telephone="123")}, "telephone"),
        ({"emetteur": attrs.evolve(emetteur(), email="pas-une-adresse")}, "email"),
        ({"pieces": tuple(piece(f"p-{i}") for i in range(51))}, "pieces"),
    ],
)
def test_une_creation_fautive_est_refusee_en_nommant_le_champ(
    changements: dict[str, object], champ: str
) -> None:
    with pytest.raises(ValidationError) as refus:
        _creer(**changements)
    assert refus.value.champ == champ


def test_une_demande_tic_ne_sert_pas_un_ticket_de_memoire() -> None:
    with pytest.raises(ValidationError) as refus:
        _creer(
            sous_categorie=S.M_SAISIE,
            objet=ObjetTicket(TypeObjet.DEMANDE_TIC, "DT1", "d-1"),
        )
    assert "ne porte pas sur une demande TIC/TICGN" in refus.value.message


# -- the status machine -------------------------------------------------------------------

_ATTENDU: dict[tuple[ActionTicket, Etat], Etat] = {
    (A.COMMENTER, t.OUVERT): t.OUVERT,
    (A.COMMENTER, t.EN_COURS): t.EN_COURS,
    (A.COMMENTER, t.SOLUTION_PROPOSEE): t.SOLUTION_PROPOSEE,
    (A.COMMENTER, t.INFORMATION_DEMANDEE): t.INFORMATION_DEMANDEE,
    (A.COMMENTER, t.RESOLU): t.RESOLU,
    (A.AJOUTER_PIECE, t.OUVERT): t.OUVERT,
    (A.AJOUTER_PIECE, t.EN_COURS): t.EN_COURS,
    (A.AJOUTER_PIECE, t.SOLUTION_PROPOSEE): t.SOLUTION_PROPOSEE,
    (A.AJOUTER_PIECE, t.INFORMATION_DEMANDEE): t.INFORMATION_DEMANDEE,
    (A.AJOUTER_PIECE, t.RESOLU): t.RESOLU,
    (A.ACCEPTER_SOLUTION, t.SOLUTION_PROPOSEE): t.RESOLU,
    (A.REFUSER_SOLUTION, t.SOLUTION_PROPOSEE): t.EN_COURS,
    (A.FOURNIR_INFORMATION, t.INFORMATION_DEMANDEE): t.EN_COURS,
    (A.CLOTURER, t.OUVERT): t.CLOS,
    (A.CLOTURER, t.EN_COURS): t.CLOS,
    (A.CLOTURER, t.SOLUTION_PROPOSEE): t.CLOS,
    (A.CLOTURER, t.INFORMATION_DEMANDEE): t.CLOS,
    (A.CLOTURER, t.RESOLU): t.CLOS,
    (A.PRENDRE_EN_CHARGE, t.OUVERT): t.EN_COURS,
    (A.COMMENTER_AGENT, t.OUVERT): t.EN_COURS,
    (A.COMMENTER_AGENT, t.EN_COURS): t.EN_COURS,
    (A.COMMENTER_AGENT, t.SOLUTION_PROPOSEE): t.SOLUTION_PROPOSEE,
    (A.COMMENTER_AGENT, t.INFORMATION_DEMANDEE): t.INFORMATION_DEMANDEE,
    (A.COMMENTER_AGENT, t.RESOLU): t.RESOLU,
    (A.PROPOSER_SOLUTION, t.OUVERT): t.SOLUTION_PROPOSEE,
    (A.PROPOSER_SOLUTION, t.EN_COURS): t.SOLUTION_PROPOSEE,
    (A.DEMANDER_INFORMATION, t.OUVERT): t.INFORMATION_DEMANDEE,
    (A.DEMANDER_INFORMATION, t.EN_COURS): t.INFORMATION_DEMANDEE,
}


def test_la_table_est_celle_du_portail() -> None:
    """Written out once more, by hand: the table is the product's rule, not a detail."""
    table = {(a, e): v for a, r in TRANSITIONS.items() for e, v in r.vers.items()}
    assert table == _ATTENDU
    assert {r.cote for a, r in TRANSITIONS.items() if a.value.endswith("AGENT")} == {Cote.AGENT}
    assert actions_possibles(t.SOLUTION_PROPOSEE, Cote.UTILISATEUR) == (
        A.COMMENTER,
        A.AJOUTER_PIECE,
        A.ACCEPTER_SOLUTION,
        A.REFUSER_SOLUTION,
        A.CLOTURER,
    )
    assert actions_possibles(t.CLOS, Cote.UTILISATEUR) == ()
    assert actions_possibles(t.CLOS, Cote.AGENT) == ()


@pytest.mark.parametrize("etat", ETATS, ids=lambda e: e.libelle)
@pytest.mark.parametrize("action", list(ActionTicket), ids=lambda a: a.value)
def test_chaque_action_depuis_chaque_etat(action: ActionTicket, etat: Etat) -> None:
    avant = a_l_etat(etat)
    quand = avant.date_maj + timedelta(hours=1)
    attendu = _ATTENDU.get((action, etat))
    if attendu is None:
        with pytest.raises(TransitionInvalide) as refus:
            agir(avant, action, quand)
        assert f"Le ticket n°{avant.numero} est à l'état « {etat.libelle} »" in str(refus.value)
        assert TRANSITIONS[action].refus in str(refus.value)
        return
    apres = agir(avant, action, quand, "  Un texte  ")
    assert apres.etat == attendu
    assert apres.activites[:-1] == avant.activites
    derniere = apres.activites[-1]
    regle = TRANSITIONS[action]
    assert (derniere.cote, derniere.nature, derniere.statut) == (
        regle.cote,
        regle.nature,
        attendu.statut,
    )
    assert derniere.texte == "Un texte"
    assert derniere.date == quand == apres.date_maj
    if action is A.AJOUTER_PIECE:
        assert derniere.piece_id == apres.pieces[-1].id
        assert apres.pieces[:-1] == avant.pieces
    else:
        assert apres.pieces == avant.pieces
        assert derniere.piece_id is None


@pytest.mark.parametrize(
    ("action", "etat", "message"),
    [
        (A.REFUSER_SOLUTION, t.SOLUTION_PROPOSEE, "le commentaire est obligatoire"),
        (A.FOURNIR_INFORMATION, t.INFORMATION_DEMANDEE, "Saisissez les informations"),
        (A.PROPOSER_SOLUTION, t.EN_COURS, "Décrivez la solution"),
        (A.DEMANDER_INFORMATION, t.OUVERT, "Précisez les informations"),
        (A.COMMENTER, t.OUVERT, "Saisissez votre commentaire"),
        (A.COMMENTER_AGENT, t.EN_COURS, "Saisissez votre commentaire"),
    ],
)
def test_le_texte_obligatoire_est_exige(action: ActionTicket, etat: Etat, message: str) -> None:
    avant = a_l_etat(etat)
    for vide in (None, "", "   \n"):
        with pytest.raises(ValidationError) as refus:
            avant.agir(action, auteur=AUTEUR, maintenant=T0, texte=vide)
        assert refus.value.champ == "texte"
        assert message in refus.value.message


def test_les_textes_facultatifs_peuvent_manquer_et_tous_sont_bornes() -> None:
    resolu = a_l_etat(t.SOLUTION_PROPOSEE).accepter_solution(auteur=AUTEUR, maintenant=T0)
    assert resolu.activites[-1].texte is None
    with pytest.raises(ValidationError) as refus:
        a_l_etat(t.OUVERT).commenter(auteur=AUTEUR, maintenant=T0, texte="x" * 4001)
    assert refus.value.champ == "texte"


def test_une_piece_est_exigee_et_bornee() -> None:
    ouvert = a_l_etat(t.OUVERT)
    with pytest.raises(ValidationError) as refus:
        ouvert.agir(A.AJOUTER_PIECE, auteur=AUTEUR, maintenant=T0)
    assert refus.value.champ == "fichier"
    plein = ticket(pieces=tuple(piece(f"p-{i}") for i in range(50)))
    with pytest.raises(ValidationError) as refus:
        plein.ajouter_piece(piece("p-50"), auteur=AUTEUR, maintenant=T0)
    assert "50 pièces" in refus.value.message


def test_les_methodes_nommees_suivent_la_table() -> None:
    q = T0 + timedelta(minutes=5)
    ticket_ = (
        a_l_etat(t.OUVERT)
        .prendre_en_charge(auteur="agent", maintenant=q)
        .demander_information(auteur="agent", maintenant=q, texte="Quel mémoire ?")
        .fournir_information(auteur=AUTEUR, maintenant=q, texte="Le MJ1")
        .commenter_agent(auteur="agent", maintenant=q, texte="Merci")
        .proposer_solution(auteur="agent", maintenant=q, texte="Faites ceci")
        .refuser_solution(auteur=AUTEUR, maintenant=q, texte="Cela ne marche pas")
        .proposer_solution(auteur="agent", maintenant=q, texte="Alors cela")
        .accepter_solution(auteur=AUTEUR, maintenant=q)
        .commenter(auteur=AUTEUR, maintenant=q, texte="Parfait")
        .cloturer(auteur=AUTEUR, maintenant=q)
    )
    assert ticket_.clos
    assert [a.nature for a in ticket_.activites] == [
        NatureActivite.CREATION,
        NatureActivite.PRISE_EN_CHARGE,
        NatureActivite.DEMANDE_INFORMATION,
        NatureActivite.INFORMATION,
        NatureActivite.COMMENTAIRE,
        NatureActivite.SOLUTION,
        NatureActivite.REFUS,
        NatureActivite.SOLUTION,
        NatureActivite.ACCEPTATION,
        NatureActivite.COMMENTAIRE,
        NatureActivite.CLOTURE,
    ]
    solution = ticket_.derniere(NatureActivite.SOLUTION)
    assert solution is not None
    assert solution.texte == "Alors cela"
    assert ticket_.derniere(NatureActivite.PIECE_JOINTE) is None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(ActionTicket)), st.sampled_from(["", "Un texte"])),
        max_size=25,
    )
)
def test_seules_les_transitions_de_la_table_passent(
    actions: list[tuple[ActionTicket, str]],
) -> None:
    courant = ticket()
    quand = courant.date_creation
    for action, texte in actions:
        quand += timedelta(minutes=1)
        attendu = TRANSITIONS[action].vers.get(courant.etat)
        texte_requis = TRANSITIONS[action].texte is t.ExigenceTexte.OBLIGATOIRE
        if attendu is None:
            with pytest.raises(TransitionInvalide):
                agir(courant, action, quand, texte)
            continue
        if texte_requis and not texte:
            with pytest.raises(ValidationError) as refus:
                agir(courant, action, quand, texte)
            assert refus.value.champ == "texte"
            continue
        suivant = agir(courant, action, quand, texte)
        assert suivant.etat == attendu
        # The history only grows, by one entry recording the new status.
        assert suivant.activites[: len(courant.activites)] == courant.activites
        assert len(suivant.activites) == len(courant.activites) + 1
        assert suivant.activites[-1].statut is suivant.statut
        assert (suivant.attente is not None) == (suivant.statut is StatutTicket.ACTION_REQUISE)
        courant = suivant


# -- who in the back office answers -------------------------------------------------------


def _agent(role: RoleAgent | None, juridictions: frozenset[str] = frozenset()) -> Utilisateur:
    return Utilisateur(
        id="a",
        email="a@b.fr",
        nom="A",
        prenom="B",
        date_creation=T0,
        role=role,
        juridictions=juridictions,
    )


def test_chaque_role_traite_ses_tickets() -> None:
    support = _agent(RoleAgent.SUPPORT)
    lyon = _agent(RoleAgent.AGENT_JURIDICTION, frozenset({"TJ-69123"}))
    comptable = _agent(RoleAgent.COMPTABLE)
    instructeur = _agent(RoleAgent.INSTRUCTEUR_TIC)
    cas = [
        (D.SUPPORT, None, {support}),
        (D.SERVICE_CENTRALISATEUR, "TJ-69123", {support, lyon}),
        (D.SERVICE_CENTRALISATEUR, "TJ-75056", {support}),
        (D.COMPTABLE, None, {support, comptable}),
        (D.INSTRUCTION_TIC, None, {support, instructeur}),
    ]
    for destinataire, juridiction, qui in cas:
        for agent in (support, lyon, comptable, instructeur):
            couvert = perimetre_support(agent).couvre(destinataire, juridiction)
            assert couvert == (agent in qui), (agent.role, destinataire, juridiction)
            if not couvert:
                with pytest.raises(NonTrouve):
                    exiger_perimetre_support(agent, destinataire, juridiction)
    for personne in (_agent(None), _agent(RoleAgent.ADMINISTRATEUR)):
        assert not traite_les_tickets(personne)
        with pytest.raises(AccesRefuse):
            perimetre_support(personne)
    assert all(traite_les_tickets(a) for a in (support, lyon, comptable, instructeur))
