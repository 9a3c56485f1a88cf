"""The support tickets' use cases: a ticket's life with the back office's answers, the
routing to the right service, the numéro d'objet's checks, who sees which ticket, the emails
the answers cause, the pièces — and refusals that store nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from chorus.domain.errors import (
    AccesRefuse,
    ConflitDeVersion,
    FormatNonAccepte,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.support.referentiel import CategorieTicket, Destinataire, TypeObjet
from chorus.domain.support.ticket import Attente, Cote, NatureActivite, StatutTicket, Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.requetes import Pagination
from chorus.ports.support import CriteresTicket, OngletTicket
from chorus.services.retention import RetentionService
from chorus.services.support import FichierJoint, SaisieTicket, referentiel_tickets
from chorus.services.tic import SaisieEnTeteTic
from tests.monde import BIC, IBAN, PDF, PNG, Monde

pytestmark = pytest.mark.tous_stockages


def _saisie(monde: Monde, **changements: object) -> SaisieTicket:
    valeurs: dict[str, object] = {
        "structure_id": monde.structure.id,
        "categorie": "AUTRE",
        "sous_categorie": "A_QUESTION",
        "resume": "Comment joindre une réquisition ?",
        "description": "Le bouton « Ajouter une pièce » reste grisé.",
    }
    valeurs.update(changements)
    return SaisieTicket(**valeurs)  # type: ignore[arg-type]


def _support(monde: Monde) -> Utilisateur:
    return monde.chorus.utilisateurs.creer_agent(
        email="support@chorus.fr", nom="Roussel", prenom="Nadia", role=RoleAgent.SUPPORT
    )


def _numeros(monde: Monde, acteur: Utilisateur, **criteres: object) -> list[str]:
    page = monde.chorus.tickets.lister(acteur.id, **criteres)  # type: ignore[arg-type]
    return [r.numero for r in page.elements]


def _file(monde: Monde, agent: Utilisateur, **criteres: object) -> list[str]:
    page = monde.chorus.support.file(agent.id, **criteres)  # type: ignore[arg-type]
    return [r.numero for r in page.elements]


def _tous_les_tickets(monde: Monde) -> int:
    with monde.chorus.ports.uow.lecture() as uow:
        return len(uow.tickets.tous(CriteresTicket(structures=None, onglet=None)))


# -- the life of a ticket -------------------------------------------------------------------


def test_le_parcours_complet_avec_les_reponses_du_support(monde: Monde) -> None:
    c, support = monde.chorus, _support(monde)
    ticket = c.tickets.creer(monde.modificateur.id, _saisie(monde, telephone="0478123456"))
    assert ticket.numero == "CPROCS0000001"
    assert ticket.statut is StatutTicket.OUVERT
    assert ticket.destinataire.code is Destinataire.SUPPORT
    assert ticket.emetteur.email == "modificateur@exemple.fr"
    assert ticket.emetteur.telephone == "04 78 12 34 56"
    assert ticket.emetteur.raison_sociale == "Cabinet Durand"
    n = ticket.numero
    assert _file(monde, support) == [n]

    monde.horloge.avancer(timedelta(minutes=5))
    c.support.prendre_en_charge(support.id, n)
    demande = c.support.demander_information(support.id, n, "Quel navigateur utilisez-vous ?")
    assert (demande.statut, demande.attente) == (StatutTicket.ACTION_REQUISE, Attente.INFORMATION)
    assert _numeros(monde, monde.modificateur, onglet=OngletTicket.ACTIONS_REQUISES) == [n]
    assert _file(monde, support) == []  # waiting for the user, not for the back office

    with pytest.raises(TransitionInvalide, match="aucune solution n'attend votre réponse"):
        c.tickets.accepter_solution(monde.modificateur.id, n)
    c.tickets.fournir_information(monde.modificateur.id, n, "Firefox 128.")
    propose = c.support.proposer_solution(support.id, n, "Videz le cache du navigateur.")
    assert propose.attente is Attente.SOLUTION
    with pytest.raises(ValidationError) as refus:
        c.tickets.refuser_solution(monde.modificateur.id, n, "  ")
    assert refus.value.champ == "texte"
    refuse = c.tickets.refuser_solution(monde.modificateur.id, n, "Toujours grisé.")
    assert refuse.statut is StatutTicket.EN_COURS
    c.support.proposer_solution(support.id, n, "Le format du fichier doit être PDF.")
    resolu = c.tickets.accepter_solution(monde.consultant.id, n, commentaire="Merci !")
    assert resolu.statut is StatutTicket.RESOLU
    clos = c.tickets.cloturer(monde.modificateur.id, n)
    assert clos.statut is StatutTicket.CLOS
    with pytest.raises(TransitionInvalide, match="clôturé"):
        c.tickets.commenter(monde.modificateur.id, n, "Encore une chose")
    with pytest.raises(TransitionInvalide):
        c.support.commenter(support.id, n, "Une précision")

    relu = c.tickets.obtenir(monde.gestionnaire.id, n.lower())
    assert relu == clos
    assert [(a.cote, a.nature) for a in relu.activites] == [
        (Cote.UTILISATEUR, NatureActivite.CREATION),
        (Cote.AGENT, NatureActivite.PRISE_EN_CHARGE),
        (Cote.AGENT, NatureActivite.DEMANDE_INFORMATION),
        (Cote.UTILISATEUR, NatureActivite.INFORMATION),
        (Cote.AGENT, NatureActivite.SOLUTION),
        (Cote.UTILISATEUR, NatureActivite.REFUS),
        (Cote.AGENT, NatureActivite.SOLUTION),
        (Cote.UTILISATEUR, NatureActivite.ACCEPTATION),
        (Cote.UTILISATEUR, NatureActivite.CLOTURE),
    ]
    assert relu.activites[1].auteur == "Support – Nadia Roussel (support@chorus.fr)"
    assert relu.activites[7].auteur.startswith("Test Consultant")
    assert relu.date_maj == monde.horloge.maintenant()
    # Closed tickets leave the « Tous » tab, not the store.
    assert _numeros(monde, monde.modificateur) == []
    assert _numeros(monde, monde.modificateur, onglet=None) == [n]


def test_les_reponses_du_support_sont_envoyees_par_courriel_a_l_emetteur(monde: Monde) -> None:
    c, support = monde.chorus, _support(monde)
    n = c.tickets.creer(monde.modificateur.id, _saisie(monde)).numero
    c.support.commenter(support.id, n, "Nous regardons.")
    assert monde.courriels("modificateur@exemple.fr") == []
    c.support.demander_information(support.id, n, "Quel est le nom du fichier ?")
    c.tickets.fournir_information(monde.modificateur.id, n, "requisition.pdf")
    c.support.proposer_solution(support.id, n, "Renommez-le sans accent.")
    demande, solution = monde.courriels("modificateur@exemple.fr")
    assert demande.sujet == f"Chorus Pro – ticket {n} : des informations vous sont demandées"
    assert "Quel est le nom du fichier ?" in demande.corps
    assert solution.sujet == f"Chorus Pro – ticket {n} : une solution vous est proposée"
    assert "Renommez-le sans accent." in solution.corps
    assert "Comment joindre une réquisition ?" in solution.corps
    # Nobody else is told.
    assert monde.courriels("gestionnaire@exemple.fr") == []


def test_le_courriel_part_a_l_adresse_actuelle_de_l_emetteur(monde: Monde) -> None:
    """The ticket keeps the address it was opened with; the email goes to today's."""
    c, support = monde.chorus, _support(monde)
    n = c.tickets.creer(monde.modificateur.id, _saisie(monde)).numero
    with c.ports.uow as uow:
        emetteur = uow.utilisateurs.obtenir(monde.modificateur.id)
        uow.utilisateurs.enregistrer(attrs.evolve(emetteur, email="nouvelle@exemple.fr"))
        uow.commit()
    c.support.proposer_solution(support.id, n, "Renommez-le sans accent.")
    assert monde.courriels("modificateur@exemple.fr") == []
    assert [m.sujet for m in monde.courriels("nouvelle@exemple.fr")] == [
        f"Chorus Pro – ticket {n} : une solution vous est proposée"
    ]
    assert c.tickets.obtenir(monde.modificateur.id, n).emetteur.email == ("modificateur@exemple.fr")


def test_une_version_perimee_est_refusee_sans_rien_changer(monde: Monde) -> None:
    c, support = monde.chorus, _support(monde)
    ticket = c.tickets.creer(monde.modificateur.id, _saisie(monde))
    c.support.prendre_en_charge(support.id, ticket.numero, version_attendue=0)
    with pytest.raises(ConflitDeVersion):
        c.tickets.commenter(monde.modificateur.id, ticket.numero, "Texte", version_attendue=0)
    with pytest.raises(ConflitDeVersion):
        c.support.proposer_solution(support.id, ticket.numero, "x", version_attendue=0)
    relu = c.tickets.obtenir(monde.modificateur.id, ticket.numero)
    assert relu.version == 1
    assert len(relu.activites) == 2
    assert (
        c.tickets.commenter(
            monde.modificateur.id, ticket.numero, "Texte", version_attendue=1
        ).version
        == 2
    )


# -- routing and the numéro d'objet ---------------------------------------------------------


def test_un_suivi_de_memoire_va_au_service_centralisateur_de_sa_juridiction(
    monde: Monde,
) -> None:
    c = monde.chorus
    memoire = monde.envoye()
    ticket = c.tickets.creer(
        monde.consultant.id,
        _saisie(
            monde,
            categorie="MEMOIRE",
            sous_categorie="M_SUIVI",
            type_objet="MEMOIRE",
            numero_objet=f" {memoire.numero.lower()} ",
        ),
    )
    assert (ticket.type_objet, ticket.numero_objet, ticket.objet_id) == (
        TypeObjet.MEMOIRE,
        memoire.numero,
        memoire.id,
    )
    assert ticket.destinataire.code is Destinataire.SERVICE_CENTRALISATEUR
    assert ticket.destinataire.juridiction_code == "TJ-69123"
    assert ticket.destinataire.libelle == "Service centralisateur – Tribunal judiciaire de Lyon"
    # The Lyon agent answers it; Paris's, the comptable and a TIC instructor know nothing of it.
    assert _file(monde, monde.agent) == [ticket.numero]
    c.support.proposer_solution(monde.agent.id, ticket.numero, "Il est en cours de certification.")
    instructeur = c.utilisateurs.creer_agent(
        email="tic@ddfip.fr", nom="Garnier", prenom="Tom", role=RoleAgent.INSTRUCTEUR_TIC
    )
    for etranger in (monde.agent_ailleurs, monde.comptable, instructeur):
        assert _file(monde, etranger, onglet=None) == []
        with pytest.raises(NonTrouve):
            c.support.obtenir(etranger.id, ticket.numero)
        with pytest.raises(NonTrouve):
            c.support.commenter(etranger.id, ticket.numero, "Vu")


def test_un_paiement_va_au_comptable(monde: Monde) -> None:
    c = monde.chorus
    memoire = monde.paye()
    ticket = c.tickets.creer(
        monde.gestionnaire.id,
        _saisie(
            monde, categorie="MEMOIRE", sous_categorie="M_PAIEMENT", numero_objet=memoire.numero
        ),
    )
    assert ticket.destinataire.code is Destinataire.COMPTABLE
    assert ticket.destinataire.juridiction_code is None
    assert _file(monde, monde.comptable) == [ticket.numero]
    assert _file(monde, monde.agent) == []
    assert c.support.prendre_en_charge(monde.comptable.id, ticket.numero).statut is (
        StatutTicket.EN_COURS
    )


def _structure_tic(monde: Monde) -> Structure:
    c, gestionnaire = monde.chorus, monde.gestionnaire
    s = c.structures.creer(
        gestionnaire.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant="52012345600003",
        raison_sociale="EARL des Tilleuls",
        adresse=Adresse.creer(ligne1="La Tillerie", code_postal="72000", ville="Le Mans"),
    )
    c.structures.activer_espace_tic(gestionnaire.id, s.id)
    rib = c.structures.deposer_piece(
        gestionnaire.id,
        s.id,
        contenu=PDF + b"tic",
        nom_fichier="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    c.structures.ajouter_coordonnee_bancaire(
        gestionnaire.id, s.id, libelle="Compte", iban=IBAN, bic=BIC, piece_jointe_id=rib.id
    )
    return c.structures.obtenir(gestionnaire.id, s.id)


def _demande_tic(monde: Monde) -> tuple[Structure, DemandeTic]:
    structure = _structure_tic(monde)
    demande = monde.chorus.tic.creer(
        monde.gestionnaire.id,
        SaisieEnTeteTic(
            structure_id=structure.id,
            annee=2023,
            coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
            attestation_non_difficulte=True,
        ),
    )
    return structure, demande


def test_un_suivi_de_demande_tic_va_a_l_instruction(monde: Monde) -> None:
    c = monde.chorus
    structure, demande = _demande_tic(monde)
    ticket = c.tickets.creer(
        monde.gestionnaire.id,
        _saisie(
            monde,
            structure_id=structure.id,
            categorie="TIC",
            sous_categorie="T_SUIVI",
            numero_objet=demande.numero,
        ),
    )
    assert (ticket.type_objet, ticket.objet_id) == (TypeObjet.DEMANDE_TIC, demande.id)
    assert ticket.destinataire.code is Destinataire.INSTRUCTION_TIC
    instructeur = c.utilisateurs.creer_agent(
        email="tic@ddfip.fr", nom="Garnier", prenom="Tom", role=RoleAgent.INSTRUCTEUR_TIC
    )
    assert _file(monde, instructeur) == [ticket.numero]
    assert _file(monde, monde.comptable) == []
    # A demande of the structure is no mémoire of it, and a mémoire's structure must match.
    with pytest.raises(NonTrouve) as refus:
        c.tickets.creer(
            monde.gestionnaire.id,
            _saisie(
                monde,
                structure_id=structure.id,
                categorie="MEMOIRE",
                sous_categorie="M_SUIVI",
                numero_objet=monde.envoye().numero,
            ),
        )
    assert refus.value.champ == "numero_objet"


def test_le_support_voit_tout_et_filtre_par_destinataire(monde: Monde) -> None:
    c, support = monde.chorus, _support(monde)
    question = c.tickets.creer(monde.modificateur.id, _saisie(monde)).numero
    suivi = c.tickets.creer(
        monde.modificateur.id,
        _saisie(
            monde,
            categorie="MEMOIRE",
            sous_categorie="M_SUIVI",
            numero_objet=monde.envoye().numero,
        ),
    ).numero
    assert _file(monde, support) == [suivi, question]
    assert _file(monde, support, destinataire=Destinataire.SUPPORT) == [question]
    assert _file(monde, monde.agent, destinataire=Destinataire.SUPPORT) == []
    assert _file(monde, support, q="réquisition grisé") == [suivi, question]
    assert list(c.support.tous(support.id, q="grise")) == list(c.support.file(support.id).elements)
    # The service centralisateur's ticket, answered by the support.
    assert c.support.proposer_solution(support.id, suivi, "Voir le greffe.").attente is (
        Attente.SOLUTION
    )
    assert _file(monde, support, onglet=OngletTicket.ACTIONS_REQUISES) == [suivi]


def test_seuls_les_agents_traitent_les_tickets(monde: Monde) -> None:
    c = monde.chorus
    n = c.tickets.creer(monde.modificateur.id, _saisie(monde)).numero
    administrateur = c.utilisateurs.creer_agent(
        email="admin@chorus.fr", nom="Admin", prenom="Ada", role=RoleAgent.ADMINISTRATEUR
    )
    for personne in (monde.gestionnaire, administrateur):
        assert not c.support.traite_les_tickets(personne)
        with pytest.raises(AccesRefuse):
            c.support.file(personne.id)
        with pytest.raises(AccesRefuse):
            c.support.proposer_solution(personne.id, n, "Réponse")
    assert c.support.traite_les_tickets(monde.agent)
    assert c.tickets.obtenir(monde.modificateur.id, n).statut is StatutTicket.OUVERT


_SAISIES_FAUTIVES: list[tuple[dict[str, object], str, type[Exception]]] = [
    ({"numero_objet": "MJ99999999999", "sous_categorie": "M_SUIVI"}, "numero_objet", NonTrouve),
    ({"sous_categorie": "M_SUIVI"}, "numero_objet", ValidationError),
    ({"sous_categorie": "T_PAIEMENT", "categorie": "TIC"}, "numero_objet", ValidationError),
    ({"numero_objet": "MJ00000000001"}, "numero_objet", ValidationError),
    ({"type_objet": "MEMOIRE"}, "type_objet", ValidationError),
    ({"type_objet": "AUTRE"}, "type_objet", ValidationError),
    ({"categorie": "MEMOIRE"}, "sous_categorie", ValidationError),
    # The catégorie is checked before the mémoire is looked for.
    (
        {"categorie": "TIC", "sous_categorie": "M_SUIVI", "numero_objet": "MJ9"},
        "sous_categorie",
        ValidationError,
    ),
    ({"sous_categorie": "INCONNUE"}, "sous_categorie", ValidationError),
    ({"categorie": None}, "categorie", ValidationError),
    ({"resume": "x" * 101}, "resume", ValidationError),
    ({"description": ""}, "description", ValidationError),
    ({"telephone": "12 34"}, "telephone", ValidationError),
    ({"structure_id": 12}, "structure_id", ValidationError),
    (
        {"numero_objet": "DT2024000000001", "sous_categorie": "T_SUIVI", "categorie": "TIC"},
        "numero_objet",
        NonTrouve,
    ),
]


def test_une_saisie_fautive_est_refusee_sans_rien_enregistrer(monde: Monde) -> None:
    for changements, champ, erreur in _SAISIES_FAUTIVES:
        valeurs: dict[str, object] = {
            "categorie": "MEMOIRE" if "M_" in str(changements) else "AUTRE"
        }
        valeurs.update(changements)
        with pytest.raises(erreur) as refus:
            monde.chorus.tickets.creer(monde.modificateur.id, _saisie(monde, **valeurs))
        assert getattr(refus.value, "champ", None) == champ, changements
    assert _tous_les_tickets(monde) == 0
    # Nor was a number used up: the next ticket is the first.
    assert monde.chorus.tickets.creer(monde.modificateur.id, _saisie(monde)).numero == (
        "CPROCS0000001"
    )


@pytest.mark.parametrize(
    ("categorie", "sous_categorie", "objet"),
    [
        ("MEMOIRE", "M_SUIVI", "du mémoire"),
        ("MEMOIRE", "M_REFUS", "du mémoire"),
        ("MEMOIRE", "M_PAIEMENT", "du mémoire"),
        ("TIC", "T_SUIVI", "de la demande"),
        ("TIC", "T_PAIEMENT", "de la demande"),
    ],
)
def test_sans_numero_d_objet_le_refus_dit_qu_il_est_obligatoire(
    monde: Monde, categorie: str, sous_categorie: str, objet: str
) -> None:
    """Checked before the routing, which depends on the object (a mémoire's juridiction)."""
    saisie = _saisie(monde, categorie=categorie, sous_categorie=sous_categorie)
    with pytest.raises(ValidationError, match=f"Le numéro {objet}.* est obligatoire") as refus:
        monde.chorus.tickets.creer(monde.modificateur.id, saisie)
    assert refus.value.champ == "numero_objet"


def test_un_memoire_invisible_se_refuse_comme_un_memoire_inconnu(monde: Monde) -> None:
    c = monde.chorus
    chez_l_autre = monde.envoye(
        monde.etranger,
        structure_id=monde.autre_structure.id,
        coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id,
    )
    en_medecine = monde.envoye(service_id=monde.med_id)
    en_psychiatrie = monde.envoye(service_id=monde.psy_id)

    def suivi(qui: Utilisateur, numero: str) -> Ticket:
        return c.tickets.creer(
            qui.id,
            _saisie(monde, categorie="MEMOIRE", sous_categorie="M_SUIVI", numero_objet=numero),
        )

    messages = set()
    for qui, numero in (
        (monde.modificateur, chez_l_autre.numero),  # another structure's
        (monde.service_psy, en_medecine.numero),  # a service the user is not habilitated on
        (monde.sans_habilitation, en_psychiatrie.numero),  # a member without habilitation
        (monde.modificateur, "MJ99999999999"),  # unknown
    ):
        with pytest.raises(NonTrouve) as refus:
            suivi(qui, numero)
        assert refus.value.champ == "numero_objet"
        messages.add(refus.value.message.replace(numero, "<n>"))
    assert len(messages) == 1
    assert _tous_les_tickets(monde) == 0
    # Those who may see them may ask about them.
    assert suivi(monde.service_psy, en_psychiatrie.numero).objet_id == en_psychiatrie.id
    # A draft is a mémoire too (« M – Saisie d'un mémoire »), and the objet is optional there.
    brouillon = monde.brouillon()
    saisie = c.tickets.creer(
        monde.modificateur.id,
        _saisie(
            monde, categorie="MEMOIRE", sous_categorie="M_SAISIE", numero_objet=brouillon.numero
        ),
    )
    assert saisie.destinataire.code is Destinataire.SUPPORT
    assert saisie.numero_objet == brouillon.numero
    sans = c.tickets.creer(
        monde.modificateur.id, _saisie(monde, categorie="MEMOIRE", sous_categorie="M_SAISIE")
    )
    assert sans.numero_objet is None


# -- who sees which ticket --------------------------------------------------------------------


def test_un_utilisateur_ne_voit_que_les_tickets_de_ses_structures(monde: Monde) -> None:
    c = monde.chorus
    du_cabinet = c.tickets.creer(monde.modificateur.id, _saisie(monde)).numero
    de_l_autre = c.tickets.creer(
        monde.etranger.id, _saisie(monde, structure_id=monde.autre_structure.id)
    ).numero
    # Colleagues share their structure's tickets, whatever their habilitation.
    for collegue in (monde.gestionnaire, monde.consultant, monde.sans_habilitation):
        assert _numeros(monde, collegue) == [du_cabinet]
        assert c.tickets.obtenir(collegue.id, du_cabinet).numero == du_cabinet
    assert _numeros(monde, monde.etranger) == [de_l_autre]
    for qui, numero in ((monde.etranger, du_cabinet), (monde.modificateur, de_l_autre)):
        with pytest.raises(NonTrouve):
            c.tickets.obtenir(qui.id, numero)
        with pytest.raises(NonTrouve):
            c.tickets.commenter(qui.id, numero, "Je m'invite")
        with pytest.raises(NonTrouve):
            c.tickets.cloturer(qui.id, numero)
    # Unknown and invisible read the same.
    with pytest.raises(NonTrouve) as inconnu:
        c.tickets.obtenir(monde.etranger.id, "CPROCS9999999")
    with pytest.raises(NonTrouve) as invisible:
        c.tickets.obtenir(monde.etranger.id, du_cabinet)
    assert inconnu.value.message == invisible.value.message
    # Nobody opens a ticket for a structure they are not a member of.
    with pytest.raises(NonTrouve):
        c.tickets.creer(monde.etranger.id, _saisie(monde))
    # A pending rattachement is not a membership.
    nouveau = c.utilisateurs.creer_compte(
        email="nouveau@exemple.fr", nom="Nouveau", prenom="Test", actif=True
    )
    c.structures.demander_rattachement(nouveau.id, monde.structure.id)
    assert _numeros(monde, nouveau) == []
    with pytest.raises(NonTrouve):
        c.tickets.obtenir(nouveau.id, du_cabinet)
    # An agent has no structure, hence no ticket of their own.
    assert _numeros(monde, monde.agent, onglet=None) == []


def test_onglets_recherche_pagination_et_export(monde: Monde) -> None:
    c, support = monde.chorus, _support(monde)
    numeros = []
    for i, resume in enumerate(("Problème d'accès", "Coordonnées bancaires", "Accès refusé")):
        monde.horloge.avancer(timedelta(minutes=1))
        numeros.append(
            c.tickets.creer(
                monde.modificateur.id,
                _saisie(monde, resume=resume, description=f"Détail numéro {i}"),
            ).numero
        )
    un, deux, trois = numeros
    monde.horloge.avancer(timedelta(minutes=1))
    c.support.proposer_solution(support.id, deux, "Déposez un nouveau RIB.")
    assert _numeros(monde, monde.consultant) == [deux, trois, un]
    assert _numeros(monde, monde.consultant, onglet=OngletTicket.ACTIONS_REQUISES) == [deux]
    assert _numeros(monde, monde.consultant, q="acces") == [trois, un]
    assert _numeros(monde, monde.consultant, q="ACCÈS refus") == [trois]
    assert _numeros(monde, monde.consultant, q="rib") == [deux]
    assert _numeros(monde, monde.consultant, statut=StatutTicket.OUVERT) == [trois, un]
    page = c.tickets.lister(monde.consultant.id, pagination=Pagination(2, 2))
    assert [r.numero for r in page.elements] == [un]
    assert page.total == 3
    export = c.tickets.tous(monde.consultant.id, q="détail")
    assert [r.numero for r in export] == [deux, trois, un]
    assert export[0].categorie is CategorieTicket.AUTRE
    with pytest.raises(ValidationError) as refus:
        c.tickets.lister(monde.consultant.id, q="x" * 201)
    assert refus.value.champ == "q"


# -- pièces -----------------------------------------------------------------------------------


def test_les_pieces_se_joignent_se_telechargent_et_sont_bornees(monde: Monde) -> None:
    c, support = monde.chorus, _support(monde)
    ticket = c.tickets.creer(
        monde.modificateur.id,
        _saisie(monde, pieces=(FichierJoint("capture.png", PNG),)),
    )
    (capture,) = ticket.pieces
    assert capture.type_piece is TypePiece.AUTRE
    assert ticket.activites[-1].piece_id == capture.id
    joint = c.tickets.ajouter_piece(
        monde.consultant.id,
        ticket.numero,
        contenu=PDF + b"note",
        nom_fichier="note.html",
        commentaire="La note du greffe",
    )
    note = joint.pieces[-1]
    assert note.nom_fichier == "note.html.pdf"
    assert joint.activites[-1].texte == "La note du greffe"
    for piece, contenu in (
        c.tickets.lire_piece(monde.gestionnaire.id, ticket.numero, note.id),
        c.support.lire_piece(support.id, ticket.numero, note.id),
    ):
        assert piece == note
        assert contenu == PDF + b"note"
    with pytest.raises(NonTrouve):
        c.tickets.lire_piece(monde.etranger.id, ticket.numero, note.id)
    with pytest.raises(NonTrouve) as absente:
        c.tickets.lire_piece(monde.modificateur.id, ticket.numero, "p-absente")
    assert absente.value.champ == "piece_id"
    # A file of a refused format: nothing attached, nothing stored.
    with pytest.raises(FormatNonAccepte):
        c.tickets.ajouter_piece(
            monde.modificateur.id, ticket.numero, contenu=b"MZ\x90\x00", nom_fichier="x.exe"
        )
    with pytest.raises(FormatNonAccepte):
        c.tickets.creer(
            monde.modificateur.id, _saisie(monde, pieces=(FichierJoint("a.exe", b"MZ"),))
        )
    assert len(c.tickets.obtenir(monde.modificateur.id, ticket.numero).pieces) == 2
    assert _tous_les_tickets(monde) == 1
    # The retention purge keeps what a ticket holds.
    with c.ports.uow.lecture() as uow:
        assert uow.tickets.contenus_references({capture.sha256, note.sha256}) == {
            capture.sha256,
            note.sha256,
        }
    c.tickets.cloturer(monde.modificateur.id, ticket.numero)
    with pytest.raises(TransitionInvalide):
        c.tickets.ajouter_piece(
            monde.modificateur.id, ticket.numero, contenu=PDF, nom_fichier="tard.pdf"
        )


def test_le_referentiel_des_categories() -> None:
    referentiel = referentiel_tickets()
    assert [c.categorie for c in referentiel] == list(CategorieTicket)
    memoire = referentiel[0]
    assert [s.code.value for s in memoire.sous_categories] == [
        "M_SAISIE",
        "M_SUIVI",
        "M_REFUS",
        "M_PAIEMENT",
        "M_LISTE_FISCALE",
    ]


def test_l_habilitation_tic_ouvre_les_tickets_sur_ses_demandes(monde: Monde) -> None:
    c = monde.chorus
    structure, demande = _demande_tic(monde)
    # The consultant joins the TIC structure without any TIC habilitation: the demande is
    # not theirs to ask about.
    rattache = c.structures.demander_rattachement(monde.consultant.id, structure.id)
    rattachement = rattache.rattachement_de(monde.consultant.id)
    assert rattachement is not None
    c.structures.valider_rattachement(monde.gestionnaire.id, structure.id, rattachement.id)
    saisie = _saisie(
        monde,
        structure_id=structure.id,
        categorie="TIC",
        sous_categorie="T_PAIEMENT",
        numero_objet=demande.numero,
    )
    with pytest.raises(NonTrouve):
        c.tickets.creer(monde.consultant.id, saisie)
    c.structures.accorder_habilitation(
        monde.gestionnaire.id,
        structure.id,
        utilisateur_id=monde.consultant.id,
        application=Application.TIC,
        profil=Profil.CONSULTATION,
    )
    assert c.tickets.creer(monde.consultant.id, saisie).objet_id == demande.id


def test_un_contenu_partage_avec_un_ticket_survit_a_la_purge(monde: Monde) -> None:
    partage = PDF + b"% requisition envoyee aussi au support\n"
    memoire = monde.brouillon()
    monde.chorus.memoires.joindre_piece(
        monde.gestionnaire.id,
        memoire.id,
        contenu=partage,
        nom_fichier="requisition.pdf",
        type_piece=TypePiece.REQUISITION,
    )
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, memoire.id, attestation_sur_honneur=True
    )
    mis = monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION)
    monde.evenement(
        monde.evenement(mis, ActionTraitement.CERTIFICATION), ActionTraitement.MISE_EN_PAIEMENT
    )
    monde.chorus.tickets.creer(
        monde.gestionnaire.id, _saisie(monde, pieces=(FichierJoint("requisition.pdf", partage),))
    )
    retention = RetentionService(monde.chorus.ports, delai_de_grace=timedelta(0))
    monde.horloge.regler(datetime(2034, 6, 15, 10, 0, tzinfo=UTC))
    rapport = retention.purger()
    assert [m.numero for m in rapport.memoires] == [envoye.numero]
    assert monde.chorus.ports.blobs.lire(hashlib.sha256(partage).hexdigest()) == partage
