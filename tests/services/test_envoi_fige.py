"""What is sent stays as sent: the prestataire, the bank details and the empreinte."""

from __future__ import annotations

from chorus.domain.memoire import ActionTraitement
from chorus.domain.organisation import Adresse
from tests.monde import IBAN, Monde


def test_le_prestataire_et_le_compte_sont_figes_a_l_envoi(monde: Monde) -> None:
    envoye = monde.evenement(monde.envoye(), ActionTraitement.MISE_A_DISPOSITION)
    assert envoye.prestataire is not None
    assert envoye.prestataire.iban == IBAN
    assert envoye.prestataire.raison_sociale == "Cabinet Durand"
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    s.modifier(
        g,
        monde.structure.id,
        raison_sociale="Cabinet Durand et associés",
        adresse=Adresse.creer(ligne1="1 rue Neuve", code_postal="69002", ville="Lyon"),
    )
    s.retirer_coordonnee_bancaire(
        g, monde.structure.id, monde.structure.coordonnees_bancaires[0].id
    )
    relu = monde.chorus.memoires.obtenir(g, envoye.id)
    assert relu == envoye
    assert relu.certificat is not None
    assert relu.empreinte_recalculee() == relu.certificat.empreinte
    assert "Cabinet Durand" in relu.certificat.prestataire


def test_l_attestation_sur_l_honneur_est_tracee(monde: Monde) -> None:
    envoye = monde.envoye()
    entree = envoye.historique[-1]
    assert entree.motif is not None
    assert "honneur" in entree.motif
    assert monde.gestionnaire.email in entree.acteur


def test_le_certificat_parle_francais_pour_une_cour_d_appel(monde: Monde) -> None:
    envoye = monde.envoye(juridiction_code="CA-LYON")
    assert envoye.certificat is not None
    assert envoye.certificat.texte.endswith(
        "d'un montant de 158,25 EUR est en cours de transfert à la Cour d'appel de Lyon."
    )
