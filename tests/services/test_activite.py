"""The activity feed: every status change lands, in its own unit of work, in the feed of
the users habilitated on it and nowhere else; and the « suivi d'activité » emails."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from chorus.adapters.mail import ExpediteurSmtp
from chorus.domain.activite import EvenementActivite, NatureSuivi, TypeObjet, id_evenement
from chorus.domain.errors import Conflit, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Application, Profil
from chorus.domain.statuts import StatutMemoire
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import ActionInstructionTic
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.services.courriels import DistributeurDeCourriels
from chorus.services.tic import SaisieEnTeteTic, SaisieLigneTic
from tests.adapters.mail.serveur import ServeurSmtp, port_libre
from tests.monde import PDF, Monde, saisie_ligne

pytestmark = pytest.mark.tous_stockages

A = ActionTraitement


@attrs.define
class Banc:
    """The world, with the TIC espace opened on its structure, a user habilitated on TIC
    only, and a TIC instructor."""

    monde: Monde
    tic_seul: Utilisateur
    instructeur: Utilisateur

    def fil(self, qui: Utilisateur) -> list[tuple[str, str]]:
        page = self.monde.chorus.activite.fil(qui.id, 1, 500)
        assert page.total == len(page.elements)
        return [(e.numero, e.statut) for e in page.elements]

    def demande_envoyee(self) -> DemandeTic:
        m = self.monde
        gestionnaire = m.gestionnaire.id
        tic = m.chorus.tic
        demande = tic.creer(
            gestionnaire,
            SaisieEnTeteTic(
                structure_id=m.structure.id,
                annee=2023,
                coordonnee_bancaire_id=m.structure.coordonnees_bancaires[0].id,
                attestation_non_difficulte=True,
            ),
        )
        tic.ajouter_ligne(
            gestionnaire,
            demande.id,
            SaisieLigneTic(
                numero_facture="F-1",
                fournisseur="Coopérative du Rhône",
                date_livraison=date(2023, 6, 1),
                produit=ProduitTic.GAZOLE_NON_ROUTIER,
                quantite="1000",
            ),
        )
        tic.joindre_piece(gestionnaire, demande.id, contenu=PDF + b"f", nom_fichier="f.pdf")
        return tic.envoyer(gestionnaire, demande.id)

    def instruire(self, demande: DemandeTic, action: ActionInstructionTic) -> DemandeTic:
        self.monde.horloge.avancer(timedelta(minutes=1))
        return self.monde.chorus.instruction_tic.appliquer_evenement(
            self.instructeur.id,
            demande.id,
            EvenementInstructionTic.creer(
                action=action,
                reference=f"{demande.numero}-{action.value}",
                date_evenement=self.monde.horloge.maintenant(),
                motif="Factures illisibles" if action is ActionInstructionTic.REJET else None,
            ),
        )


@pytest.fixture
def banc(monde: Monde) -> Banc:
    c = monde.chorus
    g = monde.gestionnaire.id
    c.structures.activer_espace_tic(g, monde.structure.id)
    tic_seul = c.utilisateurs.creer_compte(
        email="tic@exemple.fr", nom="Tic", prenom="Seul", actif=True
    )
    rattachement = c.structures.demander_rattachement(tic_seul.id, monde.structure.id)
    demande = rattachement.rattachement_de(tic_seul.id)
    assert demande is not None
    c.structures.valider_rattachement(g, monde.structure.id, demande.id)
    c.structures.accorder_habilitation(
        g,
        monde.structure.id,
        utilisateur_id=tic_seul.id,
        application=Application.TIC,
        profil=Profil.CONSULTATION,
    )
    instructeur = c.utilisateurs.creer_agent(
        email="tic@ddfip.fr", nom="Garnier", prenom="Tom", role=RoleAgent.INSTRUCTEUR_TIC
    )
    return Banc(monde, tic_seul, instructeur)


# -- capture -------------------------------------------------------------------------------


def test_chaque_etape_d_un_memoire_arrive_dans_le_fil_des_habilites(banc: Banc) -> None:
    m = banc.monde
    brouillon = m.brouillon(service_id=m.psy_id)
    # Drafts' edits are no status change.
    m.chorus.memoires.ajouter_ligne(m.gestionnaire.id, brouillon.id, saisie_ligne())
    assert banc.fil(m.gestionnaire) == []

    envoye = m.chorus.memoires.envoyer(
        m.gestionnaire.id, brouillon.id, attestation_sur_honneur=True
    )
    suspendu = m.evenement(m.evenement(envoye, A.MISE_A_DISPOSITION), A.SUSPENSION)
    m.horloge.avancer(timedelta(hours=1))
    complete = m.chorus.memoires.completer(m.gestionnaire.id, suspendu.id, commentaire="Voici")
    m.horloge.avancer(timedelta(hours=1))
    refuse = m.evenement(complete, A.REFUS, motif="Hors délai")
    m.horloge.avancer(timedelta(hours=1))
    copie = m.chorus.memoires.dupliquer(m.gestionnaire.id, refuse.id)

    n = envoye.numero
    attendu = [
        (n, "DUPLIQUE_POST_REFUS"),
        (n, "REFUSE"),
        (n, "COMPLETE"),
        (n, "SUSPENDU"),
        (n, "MIS_A_DISPOSITION"),
        (n, "ENVOYE"),
    ]
    for habilite in (m.gestionnaire, m.modificateur, m.consultant, m.service_psy):
        assert banc.fil(habilite) == attendu, habilite.email
    for autre in (m.etranger, m.sans_habilitation, banc.tic_seul, m.agent, m.comptable):
        assert banc.fil(autre) == [], autre.email
    # The copy is a draft: nothing of it yet.
    assert copie.numero not in {numero for numero, _ in banc.fil(m.gestionnaire)}

    [refus] = [e for e in m.chorus.activite.fil(m.gestionnaire.id).elements if e.statut == "REFUSE"]
    assert refus == EvenementActivite(
        id=id_evenement(envoye.id, 5),
        structure_id=m.structure.id,
        application=Application.FRAIS_DE_JUSTICE,
        service_id=m.psy_id,
        type_objet=TypeObjet.MEMOIRE,
        objet_id=envoye.id,
        numero=n,
        statut="REFUSE",
        libelle_statut="Refusé",
        date=refuse.date_statut,
        motif="Hors délai",
        montant=envoye.totaux.net_a_payer,
    )


def test_abandon_certification_et_paiement(banc: Banc) -> None:
    m = banc.monde
    abandonne = m.chorus.memoires.abandonner(m.gestionnaire.id, m.refuse().id)
    paye = m.evenement(
        m.evenement(m.mis_a_disposition(), A.CERTIFICATION, montant="100.00"),
        A.MISE_EN_PAIEMENT,
        montant="90.00",
    )
    evenements = {
        (e.numero, e.statut): e for e in m.chorus.activite.fil(m.consultant.id, 1, 100).elements
    }
    assert (abandonne.numero, "ABANDONNE") in evenements
    assert evenements[paye.numero, "CERTIFIE"].montant == Decimal("100.00")
    assert evenements[paye.numero, "MIS_EN_PAIEMENT"].montant == Decimal("90.00")
    assert evenements[paye.numero, "CERTIFIE"].motif == "Motif de test"


def test_un_memoire_sans_service_n_est_pas_vu_par_un_habilite_d_un_service(banc: Banc) -> None:
    m = banc.monde
    sans_service = m.envoye()
    au_med = m.envoye(service_id=m.med_id)
    au_psy = m.envoye(service_id=m.psy_id)
    assert banc.fil(m.service_psy) == [(au_psy.numero, "ENVOYE")]
    assert {numero for numero, _ in banc.fil(m.consultant)} == {
        sans_service.numero,
        au_med.numero,
        au_psy.numero,
    }


def test_le_rejeu_d_un_evenement_n_ajoute_rien(banc: Banc) -> None:
    m = banc.monde
    envoye = m.envoye()
    evenement = m.evenement(envoye, A.MISE_A_DISPOSITION)
    m.references -= 1  # the same reference again
    assert m.evenement(envoye, A.MISE_A_DISPOSITION) == evenement
    assert banc.fil(m.gestionnaire) == [
        (envoye.numero, "MIS_A_DISPOSITION"),
        (envoye.numero, "ENVOYE"),
    ]


def test_le_changement_et_son_evenement_font_une_seule_transaction(banc: Banc) -> None:
    m = banc.monde
    envoye = m.envoye()
    # An event already stored under the id the next change would write: the change fails
    # on it, and must then leave the mémoire as it was.
    occupant = attrs.evolve(
        m.chorus.activite.fil(m.gestionnaire.id).elements[0],
        id=id_evenement(envoye.id, len(envoye.historique)),
    )
    with m.chorus.ports.uow as uow:
        uow.activites.ajouter([occupant])
        uow.commit()
    with pytest.raises(Conflit):
        m.evenement(envoye, A.MISE_A_DISPOSITION)
    assert m.chorus.memoires.obtenir(m.gestionnaire.id, envoye.id).statut is StatutMemoire.ENVOYE


def test_une_demande_tic_n_est_vue_que_des_habilites_tic(banc: Banc) -> None:
    m = banc.monde
    demande = banc.demande_envoyee()
    demande = banc.instruire(demande, ActionInstructionTic.MISE_A_DISPOSITION)
    demande = banc.instruire(demande, ActionInstructionTic.PRISE_EN_CHARGE)
    banc.instruire(demande, ActionInstructionTic.REJET)
    m.horloge.avancer(timedelta(minutes=1))
    memoire = m.envoye()

    n = demande.numero
    tic = [(n, "REJETEE"), (n, "EN_INSTRUCTION"), (n, "MISE_A_DISPOSITION"), (n, "ENVOYEE")]
    assert banc.fil(banc.tic_seul) == tic
    # The gestionnaire holds both habilitations: both feeds, merged newest first.
    assert banc.fil(m.gestionnaire) == [(memoire.numero, "ENVOYE"), *tic]
    # « Frais de justice » only: the mémoires, never the demandes of the same structure.
    assert banc.fil(m.consultant) == [(memoire.numero, "ENVOYE")]
    [rejet] = m.chorus.activite.fil(banc.tic_seul.id, 1, 1).elements
    assert (rejet.type_objet, rejet.application, rejet.service_id) == (
        TypeObjet.DEMANDE_TIC,
        Application.TIC,
        None,
    )
    assert (rejet.motif, rejet.montant) == ("Factures illisibles", demande.montant_total)


def test_le_fil_se_pagine_et_se_borne(banc: Banc) -> None:
    m = banc.monde
    premier = m.envoye()
    m.horloge.avancer(timedelta(hours=2))
    depuis = m.horloge.maintenant()
    second = m.envoye()
    fil = m.chorus.activite
    assert [e.numero for e in fil.fil(m.consultant.id, depuis=depuis).elements] == [second.numero]
    page = fil.fil(m.consultant.id, 2, 1)
    assert ([e.numero for e in page.elements], page.total) == ([premier.numero], 2)
    with pytest.raises(ValidationError) as refus:
        fil.fil(m.consultant.id, depuis=datetime(2024, 6, 14, 10, 0))  # noqa: DTZ001
    assert refus.value.champ == "depuis"
    with pytest.raises(ValidationError) as refus:
        fil.fil(m.consultant.id, 0)
    assert refus.value.champ == "page"


# -- the « suivi d'activité » emails --------------------------------------------------------

LUNDI_SUIVANT = date(2024, 6, 17)


def _semaine_chargee(banc: Banc) -> dict[str, Memoire]:
    """Changes from Friday 14 to Monday 17 June 2024 on the two structures."""
    m = banc.monde
    c = m.chorus
    vendredi = m.envoye()  # Friday 14, 12:00 in Paris
    refuse = m.evenement(m.evenement(vendredi, A.MISE_A_DISPOSITION), A.REFUS)
    m.horloge.regler(datetime(2024, 6, 15, 21, 30, tzinfo=UTC))  # Saturday 23:30 in Paris
    samedi = m.envoye(service_id=m.psy_id)
    ailleurs = m.envoye(
        m.etranger,
        structure_id=m.autre_structure.id,
        coordonnee_bancaire_id=(m.autre_structure.coordonnees_bancaires[0].id),
    )
    m.horloge.regler(datetime(2024, 6, 16, 22, 30, tzinfo=UTC))  # Monday 00:30 in Paris
    lundi = m.envoye()
    c.memoires.dupliquer(m.gestionnaire.id, refuse.id)  # the next week too
    return {"vendredi": vendredi, "samedi": samedi, "ailleurs": ailleurs, "lundi": lundi}


def _preferences(banc: Banc) -> None:
    m = banc.monde
    u = m.chorus.utilisateurs
    u.modifier(m.modificateur.id, suivi_hebdomadaire=False)
    u.modifier(m.consultant.id, suivi_quotidien=False)


def test_le_suivi_hebdomadaire_un_courriel_par_abonne_avec_les_bons_comptes(banc: Banc) -> None:
    m = banc.monde
    memoires = _semaine_chargee(banc)
    _preferences(banc)
    m.horloge.regler(datetime(2024, 6, 17, 6, 0, tzinfo=UTC))

    bilan = m.chorus.notifications.preparer_suivis(NatureSuivi.HEBDOMADAIRE, LUNDI_SUIVANT)

    assert (bilan.periode.du, bilan.periode.au) == (date(2024, 6, 10), date(2024, 6, 16))
    # gestionnaire, consultant, psy and etranger have changes; modificateur unsubscribed;
    # sans_habilitation and the TIC-only user have nothing to be told.
    assert (bilan.prepares, bilan.deja_prepares, bilan.sans_changement) == (4, 0, 2)
    [courriel] = m.courriels(m.gestionnaire.email)
    assert courriel.sujet == (
        "Chorus Portail Pro – suivi d'activité de la semaine du 10 au 16/06/2024"
    )
    corps = courriel.corps
    assert "Bonjour Test," in corps
    assert "4 changements d'état" in corps
    assert (
        "Mémoires de frais de justice : 4\n  - Envoyé : 2\n  - Mis à disposition : 1\n"
        "  - Refusé : 1\n"
    ) in corps
    assert "TIC" not in corps
    assert memoires["lundi"].numero not in corps
    assert memoires["ailleurs"].numero not in corps
    assert f"{memoires['samedi'].numero} : Envoyé le 15/06/2024 à 23:30 – 158,25 EUR" in corps
    assert "http://127.0.0.1:8000/activite" in corps
    assert '{"suivi_hebdomadaire": false}' in corps

    assert m.courriels(m.modificateur.email) == []
    assert m.courriels(m.sans_habilitation.email) == []
    assert m.courriels(banc.tic_seul.email) == []
    [psy] = m.courriels(m.service_psy.email)
    assert "Envoyé : 1" in psy.corps
    assert memoires["vendredi"].numero not in psy.corps
    [etranger] = m.courriels(m.etranger.email)
    assert memoires["ailleurs"].numero in etranger.corps
    assert memoires["samedi"].numero not in etranger.corps
    assert m.courriels(m.agent.email) == []

    # Running it again writes nothing twice.
    encore = m.chorus.notifications.preparer_suivis(NatureSuivi.HEBDOMADAIRE, LUNDI_SUIVANT)
    assert (encore.prepares, encore.deja_prepares) == (0, 4)
    assert len(m.courriels(m.gestionnaire.email)) == 1


def test_le_suivi_quotidien_de_la_veille(banc: Banc) -> None:
    m = banc.monde
    memoires = _semaine_chargee(banc)
    _preferences(banc)
    m.horloge.regler(datetime(2024, 6, 17, 6, 0, tzinfo=UTC))

    bilan = m.chorus.notifications.preparer_suivis(NatureSuivi.QUOTIDIEN, date(2024, 6, 16))

    # Saturday 15 June, Paris time: the mémoires sent at 23:30 in Paris (21:30 UTC): to the
    # gestionnaire, the modificateur, psy and the other structure's (consultant unsubscribed).
    assert bilan.prepares == 4
    [courriel] = m.courriels(m.gestionnaire.email)
    assert courriel.sujet == "Chorus Portail Pro – suivi d'activité du 15/06/2024"
    assert memoires["samedi"].numero in courriel.corps
    assert memoires["vendredi"].numero not in courriel.corps
    assert m.courriels(m.consultant.email) == []
    # Today by default: Monday's summary covers Sunday, when nothing happened.
    assert m.chorus.notifications.preparer_suivis(NatureSuivi.QUOTIDIEN).prepares == 0


def test_une_periode_pas_encore_finie_est_refusee(banc: Banc) -> None:
    m = banc.monde
    m.envoye()
    with pytest.raises(ValidationError) as refus:
        m.chorus.notifications.preparer_suivis(NatureSuivi.QUOTIDIEN, date(2024, 6, 15))
    assert refus.value.champ == "jour"
    assert m.courriels(m.gestionnaire.email) == []


def test_smtp_en_panne_puis_retabli_chaque_suivi_est_remis_une_fois(banc: Banc) -> None:
    m = banc.monde
    _semaine_chargee(banc)
    m.horloge.regler(datetime(2024, 6, 17, 6, 0, tzinfo=UTC))
    port = port_libre()
    distributeur = DistributeurDeCourriels(
        m.chorus.ports, ExpediteurSmtp("127.0.0.1", port), "ne-pas-repondre@chorus.example"
    )
    notifications = m.chorus.notifications

    bilan = notifications.preparer_suivis(NatureSuivi.HEBDOMADAIRE, LUNDI_SUIVANT)
    panne = distributeur.distribuer()  # nothing listens on the port
    assert bilan.prepares == 5
    assert (panne.envoyes, panne.echecs) == (0, 5)
    assert notifications.restant_a_envoyer(bilan.courriels) == 5

    with ServeurSmtp(port) as serveur:
        # The next run finds them prepared already, and the retry delay not yet over.
        encore = notifications.preparer_suivis(NatureSuivi.HEBDOMADAIRE, LUNDI_SUIVANT)
        assert (encore.prepares, encore.deja_prepares) == (0, 5)
        assert distributeur.distribuer().envoyes == 0
        m.horloge.avancer(timedelta(minutes=2))
        assert distributeur.distribuer().envoyes == 5
        m.horloge.avancer(timedelta(hours=2))
        notifications.preparer_suivis(NatureSuivi.HEBDOMADAIRE, LUNDI_SUIVANT)
        assert distributeur.distribuer().envoyes == 0
        recus = serveur.recus

    assert notifications.restant_a_envoyer(bilan.courriels) == 0
    assert Counter(r.destinataires for r in recus) == Counter(
        (u.email,)
        for u in (m.gestionnaire, m.modificateur, m.consultant, m.service_psy, m.etranger)
    )
    assert all(n == 1 for n in Counter(str(r.message["Message-ID"]) for r in recus).values())
    [au_gestionnaire] = [r for r in recus if r.destinataires == (m.gestionnaire.email,)]
    assert au_gestionnaire.message["Subject"] == (
        "Chorus Portail Pro – suivi d'activité de la semaine du 10 au 16/06/2024"
    )
    assert "Envoyé : 2" in au_gestionnaire.message.get_content()
