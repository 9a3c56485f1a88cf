"""The structure's pool of pièces can shrink; users keep their own details up to date."""

from __future__ import annotations

import pytest

from chorus.domain.errors import AccesRefuse, Conflit, ConflitDeVersion, ValidationError
from chorus.domain.pieces import TypePiece
from tests.monde import PDF, Monde

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


def test_retirer_une_piece_du_fonds(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    carte_grise = s.deposer_piece(
        g,
        monde.structure.id,
        contenu=PDF + b"cg",
        nom_fichier="carte-grise.pdf",
        type_piece=TypePiece.AUTRE,
    )
    memoire = monde.brouillon()
    importee = monde.chorus.memoires.importer_piece(g, memoire.id, carte_grise.id)
    apres = s.retirer_piece(monde.modificateur.id, monde.structure.id, carte_grise.id)
    assert all(p.id != carte_grise.id for p in apres.pieces)
    # the mémoire keeps its own copy
    relu = monde.chorus.memoires.obtenir(g, memoire.id)
    assert importee in relu.pieces
    _, octets = monde.chorus.memoires.lire_piece(g, memoire.id, importee.id)
    assert octets == PDF + b"cg"


def test_le_rib_de_coordonnees_enregistrees_reste(monde: Monde) -> None:
    rib = monde.structure.coordonnees_bancaires[0].piece_jointe_id
    with pytest.raises(Conflit) as refus:
        monde.chorus.structures.retirer_piece(monde.gestionnaire.id, monde.structure.id, rib)
    assert refus.value.champ == "piece_id"


def test_un_consultant_ne_retire_rien_du_fonds(monde: Monde) -> None:
    piece = monde.structure.pieces[0]
    with pytest.raises(AccesRefuse):
        monde.chorus.structures.retirer_piece(monde.consultant.id, monde.structure.id, piece.id)
    with pytest.raises(ValidationError):
        monde.chorus.structures.retirer_piece(monde.gestionnaire.id, monde.structure.id, "x")


def test_un_utilisateur_modifie_ses_coordonnees_et_ses_preferences(monde: Monde) -> None:
    u = monde.chorus.utilisateurs
    moi = monde.consultant
    assert moi.suivi_quotidien
    assert moi.suivi_hebdomadaire
    apres = u.modifier(moi.id, prenom="Camille", telephone="0611223344", suivi_quotidien=False)
    assert (apres.prenom, apres.nom, apres.telephone) == ("Camille", moi.nom, "0611223344")
    assert not apres.suivi_quotidien
    assert apres.suivi_hebdomadaire
    assert apres.email == moi.email
    sans_telephone = u.modifier(moi.id, telephone="  ")
    assert sans_telephone.telephone is None
    with pytest.raises(ValidationError) as refus:
        u.modifier(moi.id, nom=" ")
    assert refus.value.champ == "nom"
    with pytest.raises(ConflitDeVersion):
        u.modifier(moi.id, nom="Autre", version_attendue=apres.version)
    assert u.obtenir(moi.id) == sans_telephone
