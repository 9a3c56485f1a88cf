"""The status machine of a mémoire (DESIGN §3.2), as a table and through the aggregate."""

from __future__ import annotations

import itertools

import pytest

from chorus.domain.errors import TransitionInvalide
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import (
    STATUTS_A_TRAITER,
    TRANSITIONS,
    Intervenant,
    StatutMemoire,
    verifier_transition,
)
from chorus.domain.traitement import ActionTraitement
from tests.unit.fabrique import (
    CREATEUR,
    PRESTATAIRE,
    a_l_etat,
    evenement,
    heure,
    piece_rib,
    traiter,
)

S = StatutMemoire
I = Intervenant  # noqa: E741

# DESIGN.md §3.2, written out again here: (from, to) → who moves it.
TABLE_DU_DESIGN: dict[tuple[StatutMemoire, StatutMemoire], Intervenant] = {
    (S.BROUILLON, S.ENVOYE): I.PRESTATAIRE,
    (S.ENVOYE, S.MIS_A_DISPOSITION): I.ACHEMINEMENT,
    (S.MIS_A_DISPOSITION, S.SUSPENDU): I.SERVICE_CENTRALISATEUR,
    (S.COMPLETE, S.SUSPENDU): I.SERVICE_CENTRALISATEUR,
    (S.SUSPENDU, S.COMPLETE): I.PRESTATAIRE,
    (S.MIS_A_DISPOSITION, S.CERTIFIE): I.SERVICE_CENTRALISATEUR,
    (S.COMPLETE, S.CERTIFIE): I.SERVICE_CENTRALISATEUR,
    (S.MIS_A_DISPOSITION, S.REFUSE): I.SERVICE_CENTRALISATEUR,
    (S.SUSPENDU, S.REFUSE): I.SERVICE_CENTRALISATEUR,
    (S.COMPLETE, S.REFUSE): I.SERVICE_CENTRALISATEUR,
    (S.CERTIFIE, S.MIS_EN_PAIEMENT): I.COMPTABLE,
    (S.REFUSE, S.ABANDONNE): I.PRESTATAIRE,
    (S.REFUSE, S.DUPLIQUE_POST_REFUS): I.PRESTATAIRE,
}


@pytest.mark.parametrize(
    ("depuis", "vers", "intervenant"),
    list(itertools.product(StatutMemoire, StatutMemoire, Intervenant)),
)
def test_verifier_transition_suit_exactement_la_table(
    depuis: StatutMemoire, vers: StatutMemoire, intervenant: Intervenant
) -> None:
    if TABLE_DU_DESIGN.get((depuis, vers)) is intervenant:
        verifier_transition("MJ00000000001", depuis, vers, intervenant)
    else:
        with pytest.raises(TransitionInvalide):
            verifier_transition("MJ00000000001", depuis, vers, intervenant)


def test_table_transitions_egale_au_design() -> None:
    depuis_la_table = {
        (depuis, vers): intervenant
        for vers, (origines, intervenant) in TRANSITIONS.items()
        for depuis in origines
    }
    assert depuis_la_table == TABLE_DU_DESIGN


def test_rien_ne_mene_au_brouillon_et_rien_ne_sort_des_etats_finaux() -> None:
    assert S.BROUILLON not in TRANSITIONS
    finaux = {S.MIS_EN_PAIEMENT, S.ABANDONNE, S.DUPLIQUE_POST_REFUS}
    for origines, _ in TRANSITIONS.values():
        assert not origines & finaux


def test_message_de_transition() -> None:
    with pytest.raises(TransitionInvalide) as erreur:
        verifier_transition("MJ00000000007", S.BROUILLON, S.CERTIFIE, I.SERVICE_CENTRALISATEUR)
    assert "MJ00000000007" in erreur.value.message
    assert "Brouillon" in erreur.value.message
    assert "Certifié" in erreur.value.message
    with pytest.raises(TransitionInvalide) as erreur:
        verifier_transition("MJ00000000007", S.CERTIFIE, S.MIS_EN_PAIEMENT, I.PRESTATAIRE)
    assert "Comptable" in erreur.value.message


def test_libelles_et_envoye() -> None:
    assert S.DUPLIQUE_POST_REFUS.libelle == "Dupliqué post refus"
    assert S.COMPLETE.libelle == "Complété"
    assert all(s.libelle for s in S)
    assert [s for s in S if not s.envoye] == [S.BROUILLON]
    assert STATUTS_A_TRAITER == (S.BROUILLON, S.SUSPENDU, S.REFUSE)


# -- the same table, through the aggregate -----------------------------------------------


@pytest.mark.parametrize(
    ("statut", "action"), list(itertools.product(StatutMemoire, ActionTraitement))
)
def test_traiter_depuis_chaque_etat(statut: StatutMemoire, action: ActionTraitement) -> None:
    memoire = a_l_etat(statut)
    assert memoire.statut is statut
    permis = (statut, action.statut) in TABLE_DU_DESIGN
    if permis:
        suivant = traiter(memoire, action, reference="EVT-NOUVEAU", maintenant=heure(5))
        assert suivant.statut is action.statut
        assert suivant.historique[-1].reference_evenement == "EVT-NOUVEAU"
    else:
        with pytest.raises(TransitionInvalide):
            traiter(memoire, action, reference="EVT-NOUVEAU", maintenant=heure(5))


def test_traiter_par_le_mauvais_intervenant_refuse() -> None:
    memoire = a_l_etat(S.MIS_A_DISPOSITION)
    with pytest.raises(TransitionInvalide):
        memoire.traiter(
            evenement(ActionTraitement.CERTIFICATION),
            intervenant=I.COMPTABLE,
            acteur="comptable",
            maintenant=heure(5),
        )


@pytest.mark.parametrize("statut", list(StatutMemoire))
def test_abandonner_seulement_depuis_refuse(statut: StatutMemoire) -> None:
    memoire = a_l_etat(statut)
    if statut is S.REFUSE:
        abandonne = memoire.abandonner(acteur=CREATEUR, maintenant=heure(5))
        assert abandonne.statut is S.ABANDONNE
        assert abandonne.historique[-1].intervenant is I.PRESTATAIRE
    else:
        with pytest.raises(TransitionInvalide):
            memoire.abandonner(acteur=CREATEUR, maintenant=heure(5))


@pytest.mark.parametrize("statut", list(StatutMemoire))
def test_completer_seulement_depuis_suspendu(statut: StatutMemoire) -> None:
    memoire = a_l_etat(statut)
    if statut is S.SUSPENDU:
        assert (
            memoire.completer(
                commentaire="Pièce ajoutée", acteur=CREATEUR, maintenant=heure(5)
            ).statut
            is S.COMPLETE
        )
    else:
        with pytest.raises(TransitionInvalide):
            memoire.completer(commentaire="Pièce ajoutée", acteur=CREATEUR, maintenant=heure(5))


@pytest.mark.parametrize("statut", [s for s in StatutMemoire if s is not S.BROUILLON])
def test_envoyer_seulement_un_brouillon(statut: StatutMemoire) -> None:
    memoire = a_l_etat(statut)
    with pytest.raises(TransitionInvalide):
        memoire.envoyer(
            numero_definitif="MJ00000099999",
            acteur=CREATEUR,
            maintenant=heure(5),
            aujourdhui=heure(5).date(),
            attestation_sur_honneur=True,
            piece_rib=piece_rib(),
            prestataire=PRESTATAIRE,
            juridiction="y",
        )


@pytest.mark.parametrize("statut", list(StatutMemoire))
def test_dupliquer_change_l_etat_seulement_d_un_refuse(statut: StatutMemoire) -> None:
    memoire: Memoire = a_l_etat(statut)
    original, copie = memoire.dupliquer(
        id="m-copie", numero="TMP2024000000099", acteur=CREATEUR, maintenant=heure(5), pieces=()
    )
    assert copie.statut is S.BROUILLON
    assert copie.parent_id == memoire.id
    if statut is S.REFUSE:
        assert original.statut is S.DUPLIQUE_POST_REFUS
        assert len(original.historique) == len(memoire.historique) + 1
    else:
        assert original is memoire
