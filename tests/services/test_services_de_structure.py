"""Renaming and deactivating a structure's services."""

from __future__ import annotations

import pytest

from chorus.domain.errors import AccesRefuse, ValidationError
from tests.monde import Monde

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


def test_un_service_desactive_ne_recoit_plus_de_memoire(monde: Monde) -> None:
    s = monde.chorus.structures
    structure = s.modifier_service(
        monde.gestionnaire.id, monde.structure.id, monde.psy_id, libelle="Psychiatrie adulte"
    )
    psy = structure.service(monde.psy_id)
    assert (psy.libelle, psy.actif) == ("Psychiatrie adulte", True)
    s.modifier_service(monde.gestionnaire.id, monde.structure.id, monde.psy_id, actif=False)
    with pytest.raises(ValidationError) as refus:
        monde.brouillon(service_id=monde.psy_id)
    assert refus.value.champ == "service_id"
    monde.brouillon(service_id=monde.med_id)


def test_seul_le_gestionnaire_modifie_un_service(monde: Monde) -> None:
    with pytest.raises(AccesRefuse):
        monde.chorus.structures.modifier_service(
            monde.modificateur.id, monde.structure.id, monde.psy_id, actif=False
        )
    relue = monde.chorus.structures.obtenir(monde.gestionnaire.id, monde.structure.id)
    assert relue.service(monde.psy_id).actif


def test_un_service_inconnu_est_refuse(monde: Monde) -> None:
    with pytest.raises(ValidationError) as refus:
        monde.chorus.structures.modifier_service(
            monde.gestionnaire.id, monde.structure.id, "inconnu", libelle="X"
        )
    assert refus.value.champ == "service_id"
