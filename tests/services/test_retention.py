"""The retention purge: ten years day for day from transmission and a final status, a dry run
first, drafts and living mémoires never touched, contents deleted once nothing refers to
them. The fixed clock is moved ten years on, as the world would be."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.errors import NonTrouve, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from chorus.services.retention import RapportPurge, RetentionService
from tests.monde import MAINTENANT, PDF, Monde

pytestmark = pytest.mark.tous_stockages

A = ActionTraitement
# MAINTENANT is 14 June 2024 at noon in Paris: a mémoire sent then is kept to 14 June 2034.
DERNIER_JOUR = datetime(2034, 6, 14, 10, 0, tzinfo=UTC)


def _le(monde: Monde, instant: datetime) -> None:
    monde.horloge.regler(instant)


def _sans_grace(monde: Monde) -> RetentionService:
    """The purge with no grace period: the contents this test just deposited count as old
    (in the real world they were deposited ten years ago)."""
    return RetentionService(monde.chorus.ports, delai_de_grace=timedelta(0))


def _existe(monde: Monde, memoire: Memoire) -> bool:
    try:
        monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire.id)
    except NonTrouve:
        return False
    return True


def _numeros(rapport: RapportPurge) -> list[str]:
    return [m.numero for m in rapport.memoires]


def _payer(monde: Monde, memoire: Memoire) -> Memoire:
    mis = monde.evenement(memoire, A.MISE_A_DISPOSITION)
    return monde.evenement(monde.evenement(mis, A.CERTIFICATION), A.MISE_EN_PAIEMENT)


def _envoye_avec(monde: Monde, *contenus: bytes) -> Memoire:
    """A mémoire sent with a pièce of each of `contenus`."""
    brouillon = monde.brouillon()
    for n, contenu in enumerate(contenus):
        monde.chorus.memoires.joindre_piece(
            monde.gestionnaire.id,
            brouillon.id,
            contenu=contenu,
            nom_fichier=f"piece-{n}.pdf",
            type_piece=TypePiece.REQUISITION,
        )
    return monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, brouillon.id, attestation_sur_honneur=True
    )


def _adresse(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


# -- ten years, day for day ------------------------------------------------------------------


def test_dix_ans_moins_un_jour_garde_dix_ans_plus_un_jour_purge(monde: Monde) -> None:
    paye = monde.paye()
    assert paye.certificat is not None
    retention = monde.chorus.retention

    for jour in (DERNIER_JOUR - timedelta(days=1), DERNIER_JOUR):
        _le(monde, jour)
        rapport = retention.purger()
        assert rapport.memoires == ()
        assert _existe(monde, paye)
    assert rapport.limite == date(2024, 6, 14)

    _le(monde, DERNIER_JOUR + timedelta(days=1))
    rapport = retention.purger()

    assert rapport.limite == date(2024, 6, 15)
    assert not rapport.simulation
    assert len(rapport.memoires) == 1
    purge = rapport.memoires[0]
    assert (purge.numero, purge.structure_id, purge.juridiction_code) == (
        paye.numero,
        monde.structure.id,
        "TJ-69123",
    )
    assert jour_a_paris(purge.date_depot) == date(2024, 6, 14)
    assert purge.statut is StatutMemoire.MIS_EN_PAIEMENT
    assert purge.nombre_pieces == len(paye.pieces) == 1  # the RIB
    assert purge.prestataire == paye.certificat.prestataire
    assert not _existe(monde, paye)
    assert monde.chorus.retention.purger().memoires == ()
    with monde.chorus.ports.uow.lecture() as uow:
        assert uow.memoires.purgee(paye.id) == purge
        assert uow.memoires.par_numero(paye.numero) is None


def test_la_simulation_montre_ce_que_la_purge_fera_sans_rien_changer(monde: Monde) -> None:
    paye = _payer(monde, _envoye_avec(monde, PDF + b"% requisition\n"))
    assert paye.certificat is not None
    assert paye.certificat.document_sha256 is not None
    retention = _sans_grace(monde)
    _le(monde, DERNIER_JOUR + timedelta(days=1))

    simulation = retention.purger(simulation=True)

    assert simulation.simulation
    assert _numeros(simulation) == [paye.numero]
    # The pièce and the certificate; the RIB stays in the structure's pool.
    assert simulation.contenus_supprimes == 2
    assert simulation.octets_supprimes > len(PDF)
    assert _existe(monde, paye)
    blobs = monde.chorus.ports.blobs
    assert blobs.existe(paye.certificat.document_sha256)
    assert blobs.existe(_adresse(PDF + b"% requisition\n"))
    with monde.chorus.ports.uow.lecture() as uow:
        assert uow.memoires.purgee(paye.id) is None

    purge = retention.purger()

    assert purge.memoires == simulation.memoires
    assert (purge.contenus_supprimes, purge.octets_supprimes) == (
        simulation.contenus_supprimes,
        simulation.octets_supprimes,
    )
    assert not _existe(monde, paye)
    assert not blobs.existe(paye.certificat.document_sha256)
    assert not blobs.existe(_adresse(PDF + b"% requisition\n"))
    assert blobs.existe(paye.pieces[-1].sha256)  # the RIB


# -- what the purge never touches ------------------------------------------------------------


def test_ni_brouillon_ni_memoire_qui_peut_encore_bouger_quel_que_soit_son_age(
    monde: Monde,
) -> None:
    brouillon = monde.brouillon()
    vivants = [
        monde.envoye(),
        monde.mis_a_disposition(),
        monde.suspendu(),
        monde.refuse(),
        monde.evenement(monde.mis_a_disposition(), A.CERTIFICATION),
    ]
    assert [m.statut for m in vivants] == [
        StatutMemoire.ENVOYE,
        StatutMemoire.MIS_A_DISPOSITION,
        StatutMemoire.SUSPENDU,
        StatutMemoire.REFUSE,
        StatutMemoire.CERTIFIE,
    ]
    refuse = monde.refuse()
    abandonne = monde.chorus.memoires.abandonner(monde.gestionnaire.id, refuse.id)
    paye = monde.paye()
    _le(monde, MAINTENANT + timedelta(days=365 * 40))

    for simulation in (True, False):
        rapport = _sans_grace(monde).purger(simulation=simulation)
        assert sorted(_numeros(rapport)) == sorted([abandonne.numero, paye.numero])

    for memoire in (brouillon, *vivants):
        assert _existe(monde, memoire), memoire.statut
    assert not _existe(monde, abandonne)
    assert not _existe(monde, paye)


def test_une_date_limite_plus_recente_que_dix_ans_est_refusee(monde: Monde) -> None:
    paye = monde.paye()
    _le(monde, DERNIER_JOUR + timedelta(days=1))
    retention = monde.chorus.retention

    for simulation in (True, False):
        with pytest.raises(ValidationError, match="15/06/2024") as refus:
            retention.purger(avant=date(2024, 6, 16), simulation=simulation)
        assert refus.value.champ == "avant"
        assert "encore conservés" in str(refus.value)
    assert _existe(monde, paye)

    # Earlier is allowed: deposited on the 14th, it is not deposited before the 14th.
    rapport = retention.purger(avant=date(2024, 6, 14))
    assert (rapport.limite, rapport.memoires) == (date(2024, 6, 14), ())
    assert _existe(monde, paye)

    assert _numeros(retention.purger(avant=date(2024, 6, 15))) == [paye.numero]


# -- contents --------------------------------------------------------------------------------


def test_un_contenu_partage_survit_tant_qu_il_est_reference(monde: Monde) -> None:
    partage, unique = PDF + b"% partage\n", PDF + b"% unique\n"
    ancien = _payer(monde, _envoye_avec(monde, partage, unique))
    _le(monde, MAINTENANT + timedelta(days=30))
    recent = _payer(monde, _envoye_avec(monde, partage))
    assert ancien.certificat is not None
    assert recent.certificat is not None
    blobs = monde.chorus.ports.blobs
    retention = _sans_grace(monde)

    taille_certificat = len(blobs.lire(ancien.certificat.document_sha256 or ""))
    _le(monde, DERNIER_JOUR + timedelta(days=1))
    rapport = retention.purger()

    assert _numeros(rapport) == [ancien.numero]
    assert rapport.contenus_supprimes == 2
    assert rapport.octets_supprimes == len(unique) + taille_certificat
    assert not blobs.existe(_adresse(unique))
    assert not blobs.existe(ancien.certificat.document_sha256 or "")
    assert blobs.existe(_adresse(partage))
    assert blobs.existe(ancien.pieces[-1].sha256)  # the RIB, in the structure's pool
    assert blobs.lire(recent.certificat.document_sha256 or "").startswith(b"%PDF")

    _le(monde, DERNIER_JOUR + timedelta(days=31))
    rapport = retention.purger()

    assert _numeros(rapport) == [recent.numero]
    assert rapport.contenus_supprimes == 2
    assert not blobs.existe(_adresse(partage))
    assert blobs.existe(recent.pieces[-1].sha256)


def test_par_petits_lots_la_simulation_compte_ce_que_la_purge_supprimera(monde: Monde) -> None:
    partage = PDF + b"% partage\n"
    premier = _payer(monde, _envoye_avec(monde, partage))
    _le(monde, MAINTENANT + timedelta(days=1))
    second = _payer(monde, _envoye_avec(monde, partage))
    _le(monde, MAINTENANT + timedelta(days=2))
    recent = _payer(monde, _envoye_avec(monde, PDF + b"% recent\n"))
    # One mémoire a batch: the shared pièce is freed only by the second batch.
    retention = RetentionService(monde.chorus.ports, taille_des_lots=1, delai_de_grace=timedelta(0))
    _le(monde, DERNIER_JOUR + timedelta(days=2))

    simulation = retention.purger(simulation=True)
    purge = retention.purger()

    assert _numeros(simulation) == _numeros(purge) == [premier.numero, second.numero]
    # the shared pièce and the two certificates
    assert simulation.contenus_supprimes == purge.contenus_supprimes == 3
    assert simulation.octets_supprimes == purge.octets_supprimes
    assert not monde.chorus.ports.blobs.existe(_adresse(partage))
    assert _existe(monde, recent)


def test_un_contenu_depose_a_nouveau_pendant_la_purge_est_garde(monde: Monde) -> None:
    piece = PDF + b"% requisition\n"
    paye = _payer(monde, _envoye_avec(monde, piece))
    assert paye.certificat is not None
    assert paye.certificat.document_sha256 is not None
    _le(monde, DERNIER_JOUR + timedelta(days=1))

    # With the real grace period, what this test deposited is as fresh as an upload that
    # started just before the purge: nothing refers to it any more, but it stays.
    rapport = monde.chorus.retention.purger()

    assert _numeros(rapport) == [paye.numero]
    assert (rapport.contenus_supprimes, rapport.octets_supprimes) == (0, 0)
    assert monde.chorus.ports.blobs.lire(_adresse(piece)) == piece


# -- the activity feed ------------------------------------------------------------------------


def test_le_fil_d_activite_perd_les_evenements_du_memoire_purge_seulement(monde: Monde) -> None:
    purge = monde.paye()
    _le(monde, MAINTENANT + timedelta(days=30))
    garde = monde.paye()
    lecteurs = (monde.gestionnaire, monde.consultant)

    def fils() -> list[list[tuple[str, str]]]:
        return [
            [(e.numero, e.statut) for e in monde.chorus.activite.fil(u.id, 1, 500).elements]
            for u in lecteurs
        ]

    avant = fils()
    for fil in avant:
        assert {numero for numero, _ in fil} == {purge.numero, garde.numero}
    _le(monde, DERNIER_JOUR + timedelta(days=1))
    assert _numeros(monde.chorus.retention.purger(simulation=True)) == [purge.numero]
    assert fils() == avant

    assert _numeros(monde.chorus.retention.purger()) == [purge.numero]

    # Nothing left that would link to the purged mémoire; the other one's history intact.
    assert fils() == [[(n, s) for n, s in fil if n == garde.numero] for fil in avant]
    assert [s for _, s in fils()[0]] == [
        "MIS_EN_PAIEMENT",
        "CERTIFIE",
        "MIS_A_DISPOSITION",
        "ENVOYE",
    ]


# -- duplicates --------------------------------------------------------------------------------


def test_purger_un_parent_laisse_son_duplicata_intact(monde: Monde) -> None:
    piece = PDF + b"% requisition\n"
    refuse = monde.evenement(
        monde.evenement(_envoye_avec(monde, piece), A.MISE_A_DISPOSITION), A.REFUS
    )
    _le(monde, MAINTENANT + timedelta(days=2))
    copie = monde.chorus.memoires.dupliquer(monde.gestionnaire.id, refuse.id)
    copie = _payer(
        monde,
        monde.chorus.memoires.envoyer(
            monde.gestionnaire.id, copie.id, attestation_sur_honneur=True
        ),
    )
    parent = monde.chorus.memoires.obtenir(monde.gestionnaire.id, refuse.id)
    assert parent.statut is StatutMemoire.DUPLIQUE_POST_REFUS
    assert copie.parent_id == parent.id

    _le(monde, DERNIER_JOUR + timedelta(days=5))
    # The duplicate was deposited two days later: a limit between the two takes the parent.
    rapport = _sans_grace(monde).purger(avant=date(2024, 6, 15))

    assert _numeros(rapport) == [parent.numero]
    assert monde.chorus.memoires.obtenir(monde.gestionnaire.id, copie.id) == copie
    _, contenu = monde.chorus.memoires.lire_piece(
        monde.gestionnaire.id, copie.id, copie.pieces[0].id
    )
    assert contenu == piece


def test_purger_un_duplicata_laisse_son_parent_intact(monde: Monde) -> None:
    certifie = monde.evenement(monde.mis_a_disposition(), A.CERTIFICATION)
    copie = monde.chorus.memoires.dupliquer(monde.gestionnaire.id, certifie.id)
    copie = _payer(
        monde,
        monde.chorus.memoires.envoyer(
            monde.gestionnaire.id, copie.id, attestation_sur_honneur=True
        ),
    )
    _le(monde, DERNIER_JOUR + timedelta(days=1))

    rapport = _sans_grace(monde).purger()

    assert _numeros(rapport) == [copie.numero]
    assert monde.chorus.memoires.obtenir(monde.gestionnaire.id, certifie.id) == certifie
