"""The shared codec: every aggregate survives a trip through JSON, exactly."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import Utilisateur
from tests.monde import Monde, saisie_ligne


def _aller_retour(objet: object, type_: type[object]) -> object:
    return depuis_donnees(json.loads(json.dumps(vers_donnees(objet))), type_)


def test_un_memoire_paye_revient_identique(monde: Monde) -> None:
    memoire = monde.brouillon()
    memoire = monde.chorus.memoires.ajouter_ligne(
        monde.gestionnaire.id,
        memoire.id,
        saisie_ligne(tarif_ht="12.10", frais_divers=(("Déplacement", "7.50"),), debours="3.20"),
    )
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, memoire.id, attestation_sur_honneur=True
    )
    paye = monde.evenement(
        monde.evenement(
            monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION),
            ActionTraitement.CERTIFICATION,
        ),
        ActionTraitement.MISE_EN_PAIEMENT,
    )
    relu = _aller_retour(paye, Memoire)
    assert relu == paye
    assert isinstance(relu, Memoire)
    assert str(relu.lignes[1].tarif_ht) == "12.10"
    assert relu.totaux == paye.totaux


def test_structures_et_utilisateurs_reviennent_identiques(monde: Monde) -> None:
    assert _aller_retour(monde.structure, Structure) == monde.structure
    assert _aller_retour(monde.agent, Utilisateur) == monde.agent


def test_les_decimaux_voyagent_en_texte_jamais_en_flottant(monde: Monde) -> None:
    donnees = vers_donnees(monde.brouillon())
    assert donnees["lignes"][0]["tarif_ht"] == "150.00"
    donnees["lignes"][0]["tarif_ht"] = 150.0
    with pytest.raises(ErreurDeDecodage):
        depuis_donnees(donnees, Memoire)


def test_des_donnees_etrangeres_sont_refusees_clairement() -> None:
    with pytest.raises(ErreurDeDecodage, match="Memoire"):
        depuis_donnees({"id": "x"}, Memoire)
    assert vers_donnees(Decimal("0.10")) == "0.10"
