"""The retention purge keeps what a demande TIC refers to: a content shared by a purged
mémoire and a demande TIC survives, and so does a demande's certificate."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from chorus.domain.memoire import Memoire
from chorus.domain.pieces import TypePiece
from chorus.domain.traitement import ActionTraitement
from chorus.services.retention import RetentionService
from tests.contract.agregats import piece
from tests.contract.agregats_tic import brouillon_tic, envoyee_tic
from tests.monde import MAINTENANT, PDF, Monde

pytestmark = pytest.mark.tous_stockages

A = ActionTraitement
# A mémoire sent at MAINTENANT (14 June 2024) is kept to 14 June 2034.
APRES_DIX_ANS = datetime(2034, 6, 15, 10, 0, tzinfo=UTC)


def _adresse(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def _paye_avec(monde: Monde, *contenus: bytes) -> Memoire:
    brouillon = monde.brouillon()
    for n, contenu in enumerate(contenus):
        monde.chorus.memoires.joindre_piece(
            monde.gestionnaire.id,
            brouillon.id,
            contenu=contenu,
            nom_fichier=f"piece-{n}.pdf",
            type_piece=TypePiece.REQUISITION,
        )
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, brouillon.id, attestation_sur_honneur=True
    )
    mis = monde.evenement(envoye, A.MISE_A_DISPOSITION)
    return monde.evenement(monde.evenement(mis, A.CERTIFICATION), A.MISE_EN_PAIEMENT)


def test_un_contenu_partage_avec_une_demande_tic_survit_a_la_purge(monde: Monde) -> None:
    partage, unique = PDF + b"% facture partagee\n", PDF + b"% unique\n"
    paye = _paye_avec(monde, partage, unique)
    blobs = monde.chorus.ports.blobs
    certificat_tic = blobs.deposer(PDF + b"% certificat de depot TIC\n")
    demande = brouillon_tic(
        "d-1", "DT2024000000001", structure_id=monde.structure.id, maintenant=MAINTENANT
    ).joindre_piece(
        piece("p-partage", contenu=partage, type_piece=TypePiece.FACTURE, date_ajout=MAINTENANT)
    )
    demande = envoyee_tic(demande, MAINTENANT).avec_certificat_archive(certificat_tic)
    uow = monde.chorus.ports.uow
    with uow:
        uow.demandes_tic.ajouter(demande)
        uow.commit()
    retention = RetentionService(monde.chorus.ports, delai_de_grace=timedelta(0))
    monde.horloge.regler(APRES_DIX_ANS)

    simulation = retention.purger(simulation=True)
    rapport = retention.purger()

    assert [m.numero for m in rapport.memoires] == [paye.numero]
    # The unique pièce and the mémoire's certificate; not the shared invoice.
    assert simulation.contenus_supprimes == rapport.contenus_supprimes == 2
    assert not blobs.existe(_adresse(unique))
    assert blobs.lire(_adresse(partage)) == partage
    assert blobs.existe(certificat_tic)
    with uow.lecture() as lecture:
        assert lecture.demandes_tic.obtenir("d-1") == demande
