"""What is sent stays as sent: the prestataire, the bank details and the empreinte."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from chorus.domain.errors import TransitionInvalide, ValidationError
from chorus.domain.organisation import Adresse
from chorus.domain.pieces import TypePiece
from chorus.domain.traitement import ActionTraitement
from tests.monde import IBAN, PDF, Monde, saisie_ligne

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


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


def test_dupliquer_un_refus_apres_changement_de_rib(monde: Monde) -> None:
    refuse = monde.refuse()
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    ancienne = monde.structure.coordonnees_bancaires[0]
    rib = s.deposer_piece(
        g,
        monde.structure.id,
        contenu=PDF + b"nouveau RIB",
        nom_fichier="RIB-2.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    nouvelle = s.ajouter_coordonnee_bancaire(
        g,
        monde.structure.id,
        libelle="Nouveau compte",
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPLYO",
        piece_jointe_id=rib.id,
    )
    s.retirer_coordonnee_bancaire(g, monde.structure.id, ancienne.id)
    copie = monde.chorus.memoires.dupliquer(g, refuse.id)
    assert copie.entete.coordonnee_bancaire_id is None
    assert copie.lignes == refuse.lignes
    with pytest.raises(ValidationError) as refus:
        monde.chorus.memoires.envoyer(g, copie.id, attestation_sur_honneur=True)
    assert refus.value.champ == "coordonnee_bancaire_id"
    corrigee = monde.chorus.memoires.modifier_entete(
        g,
        copie.id,
        attrs.evolve(copie.entete, coordonnee_bancaire_id=nouvelle.id),
    )
    envoye = monde.chorus.memoires.envoyer(g, corrigee.id, attestation_sur_honneur=True)
    assert envoye.prestataire is not None
    assert envoye.prestataire.iban == nouvelle.iban


def test_un_complement_non_transmis_peut_etre_retire(monde: Monde) -> None:
    m = monde.chorus.memoires
    g = monde.gestionnaire.id
    suspendu = monde.suspendu()
    erreur = m.joindre_piece(
        g,
        suspendu.id,
        contenu=PDF + b"erreur",
        nom_fichier="mauvais.pdf",
        type_piece=TypePiece.AUTRE,
    )
    bon = m.joindre_piece(
        g,
        suspendu.id,
        contenu=PDF + b"rapport",
        nom_fichier="rapport.pdf",
        type_piece=TypePiece.ATTESTATION_MISSION,
    )
    apres = m.retirer_piece(g, suspendu.id, erreur.id)
    assert apres.pieces_complementaires == (bon,)
    assert apres.pieces == suspendu.pieces
    # the pièces sent with the mémoire never go
    with pytest.raises(TransitionInvalide):
        m.retirer_piece(g, suspendu.id, suspendu.pieces[0].id)
    complete = m.completer(g, suspendu.id, commentaire="Rapport joint")
    # once transmitted, and after a new suspension, the complement stays
    resuspendu = monde.evenement(complete, ActionTraitement.SUSPENSION)
    with pytest.raises(TransitionInvalide):
        m.retirer_piece(g, resuspendu.id, bon.id)
    relu = m.obtenir(g, resuspendu.id)
    assert relu.pieces_complementaires == (bon,)
    assert relu.complements_transmis == 1


def test_un_memoire_envoye_refuse_toute_saisie_par_son_etat_d_abord(monde: Monde) -> None:
    m = monde.chorus.memoires
    g = monde.gestionnaire.id
    envoye = monde.envoye()
    mauvaise = saisie_ligne(quantite="0")  # invalid too, but the state answers first
    with pytest.raises(TransitionInvalide):
        m.ajouter_ligne(g, envoye.id, mauvaise)
    with pytest.raises(TransitionInvalide):
        m.modifier_ligne(g, envoye.id, 1, mauvaise)
    with pytest.raises(TransitionInvalide):
        m.modifier_entete(g, envoye.id, monde.entete(juridiction_code="TJ-INCONNU"))
    assert m.obtenir(g, envoye.id) == envoye


def test_chaque_modification_d_un_brouillon_est_datee(monde: Monde) -> None:
    memoire = monde.brouillon(lignes=0)
    assert memoire.date_modification == memoire.date_creation
    monde.horloge.avancer(timedelta(hours=2))
    memoire = monde.chorus.memoires.ajouter_ligne(monde.gestionnaire.id, memoire.id, saisie_ligne())
    assert memoire.date_modification == memoire.date_creation + timedelta(hours=2)


def test_seul_un_oui_explicite_atteste_sur_l_honneur(monde: Monde) -> None:
    memoire = monde.brouillon()
    for reponse in ("false", "oui", 1):
        with pytest.raises(ValidationError) as refus:
            monde.chorus.memoires.envoyer(
                monde.gestionnaire.id,
                memoire.id,
                attestation_sur_honneur=reponse,  # type: ignore[arg-type]
            )
        assert refus.value.champ == "attestation_sur_honneur"
    assert monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire.id) == memoire


def test_un_numero_de_ligne_doit_etre_un_entier(monde: Monde) -> None:
    memoire = monde.brouillon()
    for numero in (True, 0, "1"):
        with pytest.raises(ValidationError) as refus:
            monde.chorus.memoires.joindre_piece(
                monde.gestionnaire.id,
                memoire.id,
                contenu=PDF,
                nom_fichier="a.pdf",
                type_piece=TypePiece.AUTRE,
                numero_ligne=numero,  # type: ignore[arg-type]
            )
        assert refus.value.champ == "numero_ligne"
