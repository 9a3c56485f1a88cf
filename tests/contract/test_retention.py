"""Contract of the retention purge's ports: the candidates, the purge of a sent mémoire with
its entry in the register, what still refers to a content."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import attrs
import pytest

from chorus.domain.acces import Perimetre
from chorus.domain.conservation import STATUTS_FINAUX, MemoirePurgee
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Pagination, Tri
from tests.contract.agregats import (
    PDF,
    PNG,
    ajouter,
    brouillon,
    ecarts,
    entete,
    envoyer,
    heure,
    ligne,
    memoire_complete,
    piece,
    structure_complete,
    traiter,
)
from tests.contract.conftest import Magasin

A = ActionTraitement
PURGE_LE = heure(24 * 3653)


def _sha(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def _envoye(n: int, depot: datetime, structure_id: str = "s-1") -> Memoire:
    draft = brouillon(f"m-{n:02d}", f"TMP2024{n:09d}", entete(structure_id), lignes=(ligne(1),))
    return envoyer(draft, f"MJ{n:011d}", depot)


def _refuse(m: Memoire, le: datetime) -> Memoire:
    return traiter(traiter(m, A.MISE_A_DISPOSITION, le), A.REFUS, le + timedelta(hours=2))


def _a_l_etat(n: int, depot: datetime, statut: StatutMemoire) -> Memoire:
    """A mémoire sent at `depot`, brought to `statut` in the hours after."""
    m = _envoye(n, depot)
    suite = depot + timedelta(hours=2)
    if statut is StatutMemoire.ENVOYE:
        return m
    if statut is StatutMemoire.REFUSE:
        return _refuse(m, suite)
    if statut is StatutMemoire.ABANDONNE:
        return _refuse(m, suite).abandonner(
            acteur="Paul Durand", maintenant=suite + timedelta(hours=3)
        )
    m = traiter(
        traiter(m, A.MISE_A_DISPOSITION, suite), A.CERTIFICATION, suite + timedelta(hours=2)
    )
    if statut is StatutMemoire.CERTIFIE:
        return m
    assert statut is StatutMemoire.MIS_EN_PAIEMENT
    return traiter(m, A.MISE_EN_PAIEMENT, suite + timedelta(hours=4))


def _paye(n: int = 1, depot: datetime | None = None) -> Memoire:
    return _a_l_etat(n, depot or heure(1), StatutMemoire.MIS_EN_PAIEMENT)


def _purger(magasin: Magasin, memoire_id: str) -> MemoirePurgee:
    with magasin.rouvrir() as uow:
        purgee = uow.memoires.purger(memoire_id, PURGE_LE)
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir(memoire_id)
        uow.commit()
    return purgee


# -- the purge of one mémoire --------------------------------------------------------------


def test_purger_retire_le_memoire_et_l_inscrit_au_registre(magasin: Magasin) -> None:
    paye = memoire_complete()
    garde = _paye(2)
    ajouter(magasin.uow, paye, garde)
    assert paye.certificat is not None

    purgee = _purger(magasin, paye.id)

    assert purgee == MemoirePurgee.de(paye, PURGE_LE)
    # The store that wrote the mémoire learns of its purge by another one.
    with magasin.uow as uow:
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir(paye.id)
        assert uow.memoires.purgee(paye.id) == purgee
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir(paye.id)
        assert uow.memoires.par_numero(paye.numero) is None
        assert uow.memoires.par_empreinte(paye.certificat.empreinte) is None
        trouves = uow.requetes.rechercher(
            CriteresMemoire(FiltresMemoire(numero=paye.numero)), Tri(), Pagination()
        )
        assert trouves.total == 0
        assert not trouves.elements
        tous = uow.requetes.tous(CriteresMemoire(FiltresMemoire()), Tri())
        assert [r.id for r in tous] == [garde.id]
        assert uow.requetes.compter_par_statut(Perimetre(frozenset({"s-1", "s-complete"}))) == {
            "s-1": {StatutMemoire.MIS_EN_PAIEMENT: 1}
        }
        lue = uow.memoires.purgee(paye.id)
        assert uow.memoires.purgee(garde.id) is None
        assert uow.memoires.obtenir(garde.id) == garde
    assert lue is not None
    assert ecarts(lue, purgee) == []
    assert (lue.numero, lue.statut, lue.nombre_pieces) == (
        "MJ00000021178",
        StatutMemoire.MIS_EN_PAIEMENT,
        len(paye.pieces) + len(paye.pieces_complementaires),
    )


def test_un_memoire_purge_reste_purge_et_son_identifiant_ne_resert_pas(
    magasin: Magasin,
) -> None:
    paye = _paye()
    ajouter(magasin.uow, paye)
    _purger(magasin, paye.id)
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.memoires.purger(paye.id, PURGE_LE)
        with pytest.raises(Conflit):
            uow.memoires.ajouter(paye)
        uow.commit()
    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir(paye.id)
        assert uow.memoires.purgee(paye.id) is not None


def test_une_purge_annulee_ne_laisse_rien(magasin: Magasin) -> None:
    paye = _paye()
    ajouter(magasin.uow, paye)
    with magasin.rouvrir() as uow:
        uow.memoires.purger(paye.id, PURGE_LE)
        uow.rollback()
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir(paye.id) == paye
        assert uow.memoires.purgee(paye.id) is None


def test_supprimer_refuse_toujours_un_memoire_envoye_meme_purgeable(magasin: Magasin) -> None:
    paye = _paye()
    ajouter(magasin.uow, paye)
    with magasin.rouvrir() as uow:
        with pytest.raises(TransitionInvalide, match="ne peut pas être supprimé"):
            uow.memoires.supprimer(paye.id)
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir(paye.id) == paye
        assert uow.memoires.purgee(paye.id) is None


def test_la_purge_ne_prend_pas_un_brouillon(magasin: Magasin) -> None:
    draft = brouillon("m-brouillon", "TMP2024000000009", entete("s-1"), lignes=(ligne(1),))
    ajouter(magasin.uow, draft)
    with magasin.rouvrir() as uow:
        with pytest.raises(TransitionInvalide, match="brouillon"):
            uow.memoires.purger(draft.id, PURGE_LE)
        with pytest.raises(NonTrouve):
            uow.memoires.purger("m-inconnu", PURGE_LE)
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.obtenir(draft.id) == draft
        assert uow.memoires.purgee(draft.id) is None


# -- the candidates --------------------------------------------------------------------------


def test_les_candidats_se_choisissent_par_date_et_par_statut(magasin: Magasin) -> None:
    S = StatutMemoire  # noqa: N806
    memoires = [
        _a_l_etat(1, heure(30), S.MIS_EN_PAIEMENT),
        _a_l_etat(2, heure(10), S.ABANDONNE),
        _a_l_etat(3, heure(20), S.MIS_EN_PAIEMENT),
        _a_l_etat(4, heure(5), S.REFUSE),
        _a_l_etat(5, heure(6), S.CERTIFIE),
        _a_l_etat(6, heure(7), S.ENVOYE),
        # deposited at the limit itself: not before it
        _a_l_etat(7, heure(40), S.MIS_EN_PAIEMENT),
        _a_l_etat(8, heure(50), S.MIS_EN_PAIEMENT),
        # the same instant as n°3: the id breaks the tie
        _a_l_etat(9, heure(20), S.ABANDONNE),
        brouillon("m-brouillon", "TMP2024000000099", entete("s-1"), lignes=(ligne(1),)),
    ]
    ajouter(magasin.uow, *memoires)

    def lister(limite: int, apres_id: str | None = None) -> list[str]:
        with magasin.rouvrir() as uow:
            apres = None
            if apres_id is not None:
                apres = next(
                    r
                    for r in uow.requetes.tous(CriteresMemoire(FiltresMemoire()), Tri())
                    if r.id == apres_id
                )
            return [
                r.id
                for r in uow.memoires.a_purger(
                    deposes_avant=heure(40), statuts=STATUTS_FINAUX, apres=apres, limite=limite
                )
            ]

    attendus = ["m-02", "m-03", "m-09", "m-01"]
    assert lister(10) == attendus
    assert lister(2) == attendus[:2]
    assert lister(2, "m-03") == ["m-09", "m-01"]
    assert lister(10, "m-01") == []
    assert lister(0) == []
    with magasin.rouvrir() as uow:
        seulement_abandonnes = uow.memoires.a_purger(
            deposes_avant=heure(100),
            statuts=frozenset({S.ABANDONNE, S.REFUSE}),
            apres=None,
            limite=10,
        )
        assert [r.id for r in seulement_abandonnes] == ["m-04", "m-02", "m-09"]
        assert seulement_abandonnes[0].numero == "MJ00000000004"


def test_un_candidat_purge_ne_revient_plus(magasin: Magasin) -> None:
    premier, second = _paye(1, heure(1)), _paye(2, heure(2))
    ajouter(magasin.uow, premier, second)
    _purger(magasin, premier.id)
    with magasin.rouvrir() as uow:
        restants = uow.memoires.a_purger(
            deposes_avant=heure(10), statuts=STATUTS_FINAUX, apres=None, limite=10
        )
    assert [r.id for r in restants] == [second.id]


# -- what still refers to a content ------------------------------------------------------------


def test_les_contenus_references_par_les_memoires_et_les_structures(magasin: Magasin) -> None:
    cabinet = structure_complete("s-1")
    paye = memoire_complete("m-paye", structure_id="s-1")
    assert paye.certificat is not None
    paye = attrs.evolve(
        paye,
        certificat=attrs.evolve(paye.certificat, document_sha256=_sha(b"%PDF certificat")),
    )
    draft = brouillon("m-brouillon", "TMP2024000000009", entete("s-1"), lignes=(ligne(1),))
    draft = draft.joindre_piece(piece("p-brouillon", contenu=PDF + b"% brouillon\n"))
    ajouter(magasin.uow, cabinet, paye, draft)
    certificat = _sha(b"%PDF certificat")
    requisition, bordereau = _sha(PDF), _sha(PNG)
    complement = _sha(PDF + b"% attestation\n")
    rib = _sha(PDF + b"% RIB\n")
    du_brouillon = _sha(PDF + b"% brouillon\n")
    inconnu = _sha(b"inconnu")
    tous = {certificat, requisition, bordereau, complement, rib, du_brouillon, inconnu}

    with magasin.rouvrir() as uow:
        assert uow.memoires.contenus_references(tous) == tous - {inconnu}
        assert uow.memoires.contenus_references(tous, sauf={paye.id}) == {du_brouillon}
        assert uow.memoires.contenus_references(tous, sauf={paye.id, draft.id}) == set()
        assert uow.memoires.contenus_references(set()) == set()
        # the pool: both RIBs and the carte grise (a PNG, as the bordereau)
        assert uow.structures.contenus_references(tous) == {rib, bordereau}

    _purger(magasin, paye.id)
    with magasin.rouvrir() as uow:
        assert uow.memoires.contenus_references(tous) == {du_brouillon}
        # The draft and the structure change what they hold.
        uow.memoires.enregistrer(
            draft.retirer_piece("p-brouillon").joindre_piece(piece("p-autre", contenu=PDF))
        )
        uow.structures.enregistrer(cabinet.retirer_piece("s-1-p-carte-grise"))
        uow.commit()
    with magasin.rouvrir() as uow:
        assert uow.memoires.contenus_references(tous) == {requisition}
        assert uow.structures.contenus_references(tous) == {rib}
