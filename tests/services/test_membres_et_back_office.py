"""Members leaving or managing a structure; the back office's own view of the mémoires."""

from __future__ import annotations

import hashlib

import pytest

from chorus.domain.errors import AccesRefuse, NonTrouve, ValidationError
from chorus.domain.organisation import Adresse, StatutRattachement, TypeIdentifiant, TypeStructure
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri
from tests.monde import Monde

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


def test_un_membre_detache_perd_ses_habilitations_et_son_acces(monde: Monde) -> None:
    s = monde.chorus.structures
    memoire = monde.brouillon(monde.modificateur)
    structure = s.detacher(monde.gestionnaire.id, monde.structure.id, monde.modificateur.id)
    trace = structure.rattachement_de(monde.modificateur.id)
    assert trace is not None
    assert trace.statut is StatutRattachement.DESACTIVEE
    assert structure.habilitations_de(monde.modificateur.id) == ()
    assert not any(h.utilisateur_id == monde.modificateur.id for h in structure.habilitations)
    with pytest.raises(NonTrouve):
        monde.chorus.memoires.obtenir(monde.modificateur.id, memoire.id)
    # the mémoire stays with the structure
    assert monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire.id) == memoire
    # and the user may ask to come back
    revenu = s.demander_rattachement(monde.modificateur.id, monde.structure.id)
    demande = revenu.rattachement_de(monde.modificateur.id)
    assert demande is not None
    assert demande.statut is StatutRattachement.EN_COURS_DE_VALIDATION


def test_un_utilisateur_peut_quitter_une_structure_lui_meme(monde: Monde) -> None:
    structure = monde.chorus.structures.detacher(
        monde.consultant.id, monde.structure.id, monde.consultant.id
    )
    assert not structure.est_membre(monde.consultant.id)


def test_seul_un_gestionnaire_detache_un_autre_membre(monde: Monde) -> None:
    avant = monde.chorus.structures.obtenir(monde.gestionnaire.id, monde.structure.id)
    with pytest.raises(AccesRefuse):
        monde.chorus.structures.detacher(
            monde.modificateur.id, monde.structure.id, monde.consultant.id
        )
    with pytest.raises(NonTrouve):
        monde.chorus.structures.detacher(monde.etranger.id, monde.structure.id, monde.consultant.id)
    assert monde.chorus.structures.obtenir(monde.gestionnaire.id, monde.structure.id) == avant


def test_la_structure_garde_toujours_un_gestionnaire(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    with pytest.raises(ValidationError) as refus:
        s.detacher(g, monde.structure.id, g)
    assert refus.value.champ == "utilisateur_id"
    with pytest.raises(ValidationError):
        s.definir_gestionnaire(g, monde.structure.id, g, gestionnaire=False)
    # once another gestionnaire is named, the first may step down
    structure = s.definir_gestionnaire(
        g, monde.structure.id, monde.modificateur.id, gestionnaire=True
    )
    assert structure.est_gestionnaire(monde.modificateur.id)
    structure = s.definir_gestionnaire(g, monde.structure.id, g, gestionnaire=False)
    assert not structure.est_gestionnaire(g)
    with pytest.raises(AccesRefuse):
        s.ajouter_service(g, monde.structure.id, code="NEW", libelle="Nouveau")


def test_nommer_gestionnaire_un_non_membre_est_refuse(monde: Monde) -> None:
    with pytest.raises(ValidationError) as refus:
        monde.chorus.structures.definir_gestionnaire(
            monde.gestionnaire.id, monde.structure.id, monde.etranger.id, gestionnaire=True
        )
    assert refus.value.champ == "utilisateur_id"


def test_le_back_office_ne_voit_que_les_memoires_envoyes_de_ses_juridictions(
    monde: Monde,
) -> None:
    t = monde.chorus.traitement
    brouillon = monde.brouillon()
    lyon = monde.mis_a_disposition()
    paris = monde.envoye(juridiction_code="TJ-75056")
    tout = FiltresMemoire()
    vus = t.rechercher(monde.agent.id, tout, Tri(), Pagination())
    assert [r.id for r in vus.elements] == [lyon.id]
    vus_paris = t.rechercher(monde.agent_ailleurs.id, tout, Tri(), Pagination())
    assert [r.id for r in vus_paris.elements] == [paris.id]
    # a comptable without juridictions sees every sent mémoire, never a draft
    vus_comptable = t.rechercher(monde.comptable.id, tout, Tri(), Pagination())
    assert {r.id for r in vus_comptable.elements} == {lyon.id, paris.id}
    filtre = FiltresMemoire(statuts=frozenset({StatutMemoire.MIS_A_DISPOSITION}))
    assert t.rechercher(monde.comptable.id, filtre, Tri(), Pagination()).total == 1
    assert t.obtenir(monde.agent.id, lyon.id) == lyon
    with pytest.raises(NonTrouve):
        t.obtenir(monde.agent.id, paris.id)
    with pytest.raises(NonTrouve):
        t.obtenir(monde.agent.id, brouillon.id)
    with pytest.raises(AccesRefuse):
        t.rechercher(monde.gestionnaire.id, tout, Tri(), Pagination())


def test_la_certification_peut_reduire_le_montant(monde: Monde) -> None:
    certifie = monde.evenement(
        monde.mis_a_disposition(), ActionTraitement.CERTIFICATION, montant="100.00"
    )
    assert str(certifie.montant_certifie) == "100.00"
    paye = monde.evenement(certifie, ActionTraitement.MISE_EN_PAIEMENT)
    assert str(paye.montant_paye) == "100.00"
    assert paye.historique[-1].montant == paye.montant_paye


def test_un_agent_ne_cree_ni_ne_rejoint_de_structure(monde: Monde) -> None:
    with pytest.raises(AccesRefuse):
        monde.chorus.structures.creer(
            monde.agent.id,
            type_structure=TypeStructure.ENTREPRISE,
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant="78912345200011",
            raison_sociale="Greffier entreprenant",
            adresse=Adresse.creer(ligne1="1 rue du Palais", code_postal="69005", ville="Lyon"),
        )
    with pytest.raises(AccesRefuse):
        monde.chorus.structures.demander_rattachement(monde.comptable.id, monde.structure.id)
    relue = monde.chorus.structures.obtenir(monde.gestionnaire.id, monde.structure.id)
    assert relue.rattachement_de(monde.comptable.id) is None


def test_un_agent_lit_les_pieces_des_memoires_de_sa_juridiction_seulement(
    monde: Monde,
) -> None:
    envoye = monde.envoye()
    rib = envoye.pieces[0]
    piece, contenu = monde.chorus.traitement.lire_piece(monde.agent.id, envoye.id, rib.id)
    assert piece == rib
    assert hashlib.sha256(contenu).hexdigest() == rib.sha256
    with pytest.raises(NonTrouve):
        monde.chorus.traitement.lire_piece(monde.agent_ailleurs.id, envoye.id, rib.id)
    with pytest.raises(NonTrouve):
        monde.chorus.traitement.lire_piece(monde.agent.id, envoye.id, "inconnue")
    brouillon = monde.brouillon()
    with pytest.raises(NonTrouve):
        monde.chorus.traitement.lire_piece(monde.agent.id, brouillon.id, rib.id)
    with pytest.raises(AccesRefuse):
        monde.chorus.traitement.lire_piece(monde.gestionnaire.id, envoye.id, rib.id)


def test_le_refus_reserve_a_l_agent_est_dit_en_bon_francais(monde: Monde) -> None:
    envoye = monde.mis_a_disposition()
    with pytest.raises(AccesRefuse, match=r"^Le refus d'un mémoire relève du rôle"):
        monde.evenement(envoye, ActionTraitement.REFUS, agent=monde.comptable)
    with pytest.raises(ValidationError, match="obligatoire pour le refus"):
        monde.chorus.traitement.appliquer_evenement(
            monde.agent.id,
            envoye.id,
            EvenementTraitement.creer(
                action=ActionTraitement.REFUS,
                reference="EVT-SANS-MOTIF",
                date_evenement=monde.horloge.maintenant(),
            ),
        )
