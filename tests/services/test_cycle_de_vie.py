"""The cycle-de-vie feed through its use cases: the opt-in (« Recevoir les cycles de vie »,
set by a gestionnaire), who may read it, and what it holds — every status change of the
structure's mémoires, in the order recorded, resumed by a cursor without loss."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from chorus.domain.cycle_de_vie import curseur
from chorus.domain.errors import AccesRefuse, Conflit, NonTrouve, ValidationError
from chorus.domain.organisation import Adresse, TypeIdentifiant, TypeStructure
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import Utilisateur
from chorus.services import cycle_de_vie as service_cycle_de_vie
from tests.monde import Monde

pytestmark = pytest.mark.tous_stockages

A = ActionTraitement


def abonner(m: Monde, recevoir: bool = True) -> None:
    m.chorus.structures.modifier(m.gestionnaire.id, m.structure.id, recevoir_cycles_de_vie=recevoir)


def statuts(m: Monde, qui: Utilisateur, apres: str | None = None) -> list[tuple[str, str]]:
    page = m.chorus.cycle_de_vie.lire(qui.id, m.structure.id, apres, 1000)
    return [(e.numero, e.statut) for e in page.evenements]


# -- opting in -----------------------------------------------------------------------------


def test_sans_l_option_le_fil_est_refuse_et_le_gestionnaire_l_active(monde: Monde) -> None:
    m = monde
    m.envoye()
    assert not m.chorus.structures.obtenir(m.gestionnaire.id, m.structure.id).recoit_cycles_de_vie
    with pytest.raises(Conflit, match="Recevoir les cycles de vie"):
        m.chorus.cycle_de_vie.lire(m.gestionnaire.id, m.structure.id)

    abonner(m)
    structure = m.chorus.structures.obtenir(m.consultant.id, m.structure.id)
    assert structure.recoit_cycles_de_vie
    assert structure.espace_frais_de_justice is not None
    assert structure.espace_frais_de_justice.categorie_prestataire == "PSYCHIATRE"
    # The events recorded before opting in are there: the feed is the mémoires' history.
    assert len(statuts(m, m.gestionnaire)) == 1

    abonner(m, False)
    with pytest.raises(Conflit):
        m.chorus.cycle_de_vie.lire(m.gestionnaire.id, m.structure.id)


@pytest.mark.parametrize("qui", ["modificateur", "consultant", "service_psy", "sans_habilitation"])
def test_seul_un_gestionnaire_change_l_option(monde: Monde, qui: str) -> None:
    membre: Utilisateur = getattr(monde, qui)
    with pytest.raises(AccesRefuse):
        monde.chorus.structures.modifier(membre.id, monde.structure.id, recevoir_cycles_de_vie=True)
    with pytest.raises(NonTrouve):
        monde.chorus.structures.modifier(
            monde.etranger.id, monde.structure.id, recevoir_cycles_de_vie=True
        )
    assert not monde.chorus.structures.obtenir(
        monde.gestionnaire.id, monde.structure.id
    ).recoit_cycles_de_vie


def test_l_option_demande_l_espace_frais_de_justice(monde: Monde) -> None:
    m = monde
    nue = m.chorus.structures.creer(
        m.gestionnaire.id,
        type_structure=TypeStructure.ASSOCIATION,
        type_identifiant=TypeIdentifiant.HORS_UE,
        identifiant="ASSO-42",
        raison_sociale="Association sans espace",
        adresse=Adresse.creer(ligne1="1 rue Haute", code_postal="69002", ville="Lyon"),
    )
    with pytest.raises(Conflit, match="espace Frais de justice") as refus:
        m.chorus.structures.modifier(m.gestionnaire.id, nue.id, recevoir_cycles_de_vie=True)
    assert refus.value.champ == "recevoir_cycles_de_vie"
    assert not m.chorus.structures.obtenir(m.gestionnaire.id, nue.id).recoit_cycles_de_vie


# -- who reads -----------------------------------------------------------------------------


def test_qui_peut_lire_le_fil(monde: Monde) -> None:
    m = monde
    m.envoye()
    abonner(m)
    for lecteur in (m.gestionnaire, m.modificateur, m.consultant):
        assert len(statuts(m, lecteur)) == 1, lecteur.email
    for refuse in (m.service_psy, m.sans_habilitation):
        with pytest.raises(AccesRefuse, match="toute la structure"):
            m.chorus.cycle_de_vie.lire(refuse.id, m.structure.id)
    for inconnu in (m.etranger, m.agent, m.comptable):
        with pytest.raises(NonTrouve):
            m.chorus.cycle_de_vie.lire(inconnu.id, m.structure.id)
    with pytest.raises(NonTrouve):
        m.chorus.cycle_de_vie.lire(m.gestionnaire.id, "structure-inconnue")


def test_un_non_membre_ne_sait_meme_pas_si_l_option_est_active(monde: Monde) -> None:
    # Not opted in: the stranger still gets 404, not the 409 that would tell them.
    with pytest.raises(NonTrouve):
        monde.chorus.cycle_de_vie.lire(monde.etranger.id, monde.structure.id)


# -- what it holds -------------------------------------------------------------------------


def test_chaque_changement_d_etat_dans_l_ordre_enregistre(monde: Monde) -> None:
    m = monde
    abonner(m)
    brouillon = m.brouillon(service_id=m.psy_id)
    assert statuts(m, m.gestionnaire) == []  # drafts are not in it
    envoye = m.chorus.memoires.envoyer(
        m.gestionnaire.id, brouillon.id, attestation_sur_honneur=True
    )
    m.horloge.avancer(timedelta(minutes=5))
    autre = m.envoye()
    m.horloge.avancer(timedelta(minutes=5))
    certifie = m.evenement(
        m.evenement(envoye, A.MISE_A_DISPOSITION), A.CERTIFICATION, montant="100.00"
    )
    refuse = m.evenement(m.evenement(autre, A.MISE_A_DISPOSITION), A.REFUS, motif="Hors délai")
    # Another structure's mémoire is not in this feed.
    ailleurs = m.chorus.memoires.creer(
        m.etranger.id,
        m.entete(
            structure_id=m.autre_structure.id,
            coordonnee_bancaire_id=m.autre_structure.coordonnees_bancaires[0].id,
        ),
    )
    assert ailleurs.structure_id != m.structure.id

    page = m.chorus.cycle_de_vie.lire(m.consultant.id, m.structure.id)
    assert [(e.numero, e.statut) for e in page.evenements] == [
        (envoye.numero, "ENVOYE"),
        (autre.numero, "ENVOYE"),
        (envoye.numero, "MIS_A_DISPOSITION"),
        (envoye.numero, "CERTIFIE"),
        (autre.numero, "MIS_A_DISPOSITION"),
        (autre.numero, "REFUSE"),
    ]
    certification = page.evenements[3]
    assert certification.objet_id == certifie.id
    assert certification.montant == Decimal("100.00")
    assert certification.service_id == m.psy_id
    assert certification.libelle_statut == "Certifié"
    assert certification.date == certifie.date_statut
    assert page.evenements[5].motif == "Hors délai"
    assert page.evenements[5].objet_id == refuse.id
    assert page.curseur == page.curseur_de(page.evenements[-1])


def test_le_curseur_reprend_apres_le_dernier_sans_perte_ni_doublon(monde: Monde) -> None:
    m = monde
    abonner(m)
    premiers = [m.envoye() for _ in range(3)]
    lecteur = m.modificateur.id
    page = m.chorus.cycle_de_vie.lire(lecteur, m.structure.id, None, 2)
    assert [e.numero for e in page.evenements] == [p.numero for p in premiers[:2]]
    # Written between two pages: found on the next ones, after what was already there.
    suivant = m.evenement(premiers[0], A.MISE_A_DISPOSITION)
    page2 = m.chorus.cycle_de_vie.lire(lecteur, m.structure.id, page.curseur, 2)
    assert [(e.numero, e.statut) for e in page2.evenements] == [
        (premiers[2].numero, "ENVOYE"),
        (suivant.numero, "MIS_A_DISPOSITION"),
    ]
    # Nothing new: an empty page, the same cursor.
    page3 = m.chorus.cycle_de_vie.lire(lecteur, m.structure.id, page2.curseur, 2)
    assert page3.evenements == ()
    assert page3.curseur == page2.curseur
    # Resuming from an event's own cursor.
    assert statuts(m, m.gestionnaire, page2.curseur_de(page2.evenements[0])) == [
        (suivant.numero, "MIS_A_DISPOSITION")
    ]


def test_un_curseur_etranger_ou_mal_forme_et_une_limite_hors_bornes(monde: Monde) -> None:
    m = monde
    abonner(m)
    for mauvais in ("pas-un-curseur", curseur(m.autre_structure.id, 0)):
        with pytest.raises(ValidationError) as refus:
            m.chorus.cycle_de_vie.lire(m.gestionnaire.id, m.structure.id, mauvais)
        assert refus.value.champ == "apres"
    for limite in (0, 1001):
        with pytest.raises(ValidationError) as refus:
            m.chorus.cycle_de_vie.lire(m.gestionnaire.id, m.structure.id, None, limite)
        assert refus.value.champ == "limite"


def test_l_export_parcourt_toutes_les_pages(monde: Monde, monkeypatch: pytest.MonkeyPatch) -> None:
    m = monde
    abonner(m)
    envoyes = [m.envoye() for _ in range(5)]
    # Pages of two, so that the export needs several.
    monkeypatch.setattr(service_cycle_de_vie, "LIMITE_MAXIMUM", 2)
    pages = list(m.chorus.cycle_de_vie.pages(m.consultant.id, m.structure.id))
    assert [len(p.evenements) for p in pages] == [2, 2, 1]
    assert [e.numero for p in pages for e in p.evenements] == [e.numero for e in envoyes]
    depuis = list(m.chorus.cycle_de_vie.pages(m.consultant.id, m.structure.id, pages[1].curseur))
    assert [e.numero for p in depuis for e in p.evenements] == [envoyes[4].numero]
    # The operator's export, without a user, still needs the option.
    exploitation = list(m.chorus.cycle_de_vie.pages_pour_exploitation(m.structure.id))
    assert sum(len(p.evenements) for p in exploitation) == 5
    abonner(m, False)
    with pytest.raises(Conflit):
        m.chorus.cycle_de_vie.pages_pour_exploitation(m.structure.id)
    # A refusal comes when asked, not at the first page read.
    with pytest.raises(NonTrouve):
        m.chorus.cycle_de_vie.pages(m.etranger.id, m.structure.id)
