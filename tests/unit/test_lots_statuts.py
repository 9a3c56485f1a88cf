"""The rules of a batch of status events, on one mémoire: event order, once only, waiting,
late and impossible events (`domain.lots_statuts`)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest

from chorus.domain.errors import ValidationError
from chorus.domain.lots_statuts import (
    Candidat,
    EvenementLu,
    IssueEvenement,
    atteignables,
    derouler,
    lire_evenement,
    numero_lot,
    ordre_evenement,
)
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from tests.unit.fabrique import envoye, evenement, heure, traiter

A = ActionTraitement
ISSUE = IssueEvenement
PLUS_TARD = heure(48)
"""When the batches are applied: after every event of these tests."""


def _candidats(*evenements: EvenementTraitement) -> list[Candidat]:
    return [Candidat(e.reference, e, "Import de lot de statuts n° LS000000001") for e in evenements]


def test_l_ordre_des_evenements_est_la_date_puis_le_rang_dans_le_cycle_puis_la_reference() -> None:
    meme_instant = heure(3)
    mad = evenement(A.MISE_A_DISPOSITION, date_evenement=meme_instant, reference="Z")
    suspension = evenement(A.SUSPENSION, date_evenement=meme_instant, reference="A")
    certification = evenement(A.CERTIFICATION, date_evenement=meme_instant, reference="B")
    refus = evenement(A.REFUS, date_evenement=meme_instant, reference="C")
    paiement = evenement(A.MISE_EN_PAIEMENT, date_evenement=meme_instant, reference="0")
    plus_tot = evenement(A.MISE_EN_PAIEMENT, date_evenement=heure(2), reference="Y")
    tries = sorted([paiement, refus, certification, suspension, mad, plus_tot], key=ordre_evenement)
    assert tries == [plus_tot, mad, suspension, certification, refus, paiement]


def test_un_lot_melange_donne_le_resultat_du_lot_ordonne() -> None:
    sequence = [
        evenement(A.MISE_A_DISPOSITION, reference="R1", date_evenement=heure(1)),
        evenement(
            A.CERTIFICATION, reference="R2", date_evenement=heure(2), montant_certifie="100.00"
        ),
        evenement(
            A.MISE_EN_PAIEMENT, reference="R3", date_evenement=heure(3), montant_paye="90.00"
        ),
    ]
    ordonne = derouler(envoye(), _candidats(*sequence), maintenant=PLUS_TARD)
    for graine in range(5):
        melange = sequence[:]
        random.Random(graine).shuffle(melange)
        resultat = derouler(envoye(), _candidats(*melange), maintenant=PLUS_TARD)
        assert resultat.memoire == ordonne.memoire
    memoire = ordonne.memoire
    assert memoire.statut is StatutMemoire.MIS_EN_PAIEMENT
    assert memoire.montant_certifie == Decimal("100.00")
    assert memoire.montant_paye == Decimal("90.00")
    assert [h.reference_evenement for h in memoire.historique[-3:]] == ["R1", "R2", "R3"]
    assert [i.issue for i in ordonne.issues] == [ISSUE.APPLIQUE] * 3


def test_une_reference_deja_dans_l_historique_ne_change_rien() -> None:
    memoire = traiter(envoye(), A.MISE_A_DISPOSITION, reference="R1")
    rejoue = evenement(A.MISE_A_DISPOSITION, reference="R1")
    deroulement = derouler(memoire, _candidats(rejoue), maintenant=PLUS_TARD)
    assert deroulement.memoire is memoire
    assert deroulement.issue("R1").issue is ISSUE.DEJA_APPLIQUE


def test_une_reference_deja_servie_pour_une_autre_action_est_refusee() -> None:
    memoire = traiter(envoye(), A.MISE_A_DISPOSITION, reference="R1")
    autre = evenement(A.SUSPENSION, reference="R1", date_evenement=heure(5))
    issue = derouler(memoire, _candidats(autre), maintenant=PLUS_TARD).issue("R1")
    assert issue.issue is ISSUE.REFUSE
    assert issue.champ == "reference_evenement"


def test_un_evenement_pas_encore_applicable_attend() -> None:
    # Certified before being made available: its turn will come.
    certification = evenement(A.CERTIFICATION, reference="R2", date_evenement=heure(2))
    deroulement = derouler(envoye(), _candidats(certification), maintenant=PLUS_TARD)
    assert deroulement.memoire.statut is StatutMemoire.ENVOYE
    issue = deroulement.issue("R2")
    assert issue.issue is ISSUE.EN_ATTENTE
    assert "Envoyé" in (issue.message or "")


def test_un_evenement_tardif_non_applicable_est_refuse() -> None:
    # Suspended at hour 5; a certification of hour 3 arrives: SUSPENDU cannot be certified
    # (the prestataire must complete it first) and the suspension is newer.
    memoire = traiter(
        envoye(),
        A.MISE_A_DISPOSITION,
        reference="R1",
        date_evenement=heure(1),
        maintenant=PLUS_TARD,
    )
    memoire = traiter(
        memoire, A.SUSPENSION, reference="R2", date_evenement=heure(5), maintenant=PLUS_TARD
    )
    tardif = evenement(A.CERTIFICATION, reference="R3", date_evenement=heure(3))
    issue = derouler(memoire, _candidats(tardif), maintenant=PLUS_TARD).issue("R3")
    assert issue.issue is ISSUE.REFUSE
    assert issue.champ == "date_evenement"
    assert "tardif" in (issue.message or "")


def test_un_evenement_a_jamais_hors_d_atteinte_est_refuse() -> None:
    memoire = traiter(
        envoye(),
        A.MISE_A_DISPOSITION,
        reference="R1",
        date_evenement=heure(1),
        maintenant=PLUS_TARD,
    )
    memoire = traiter(
        memoire, A.REFUS, reference="R2", date_evenement=heure(2), maintenant=PLUS_TARD
    )
    # Refused for good: no later status allows a certification, even dated later.
    apres = evenement(A.CERTIFICATION, reference="R3", date_evenement=heure(10))
    issue = derouler(memoire, _candidats(apres), maintenant=PLUS_TARD).issue("R3")
    assert issue.issue is ISSUE.REFUSE
    assert "ne pourra plus" in (issue.message or "")


def test_un_evenement_en_attente_devenu_tardif_est_refuse_a_la_fin() -> None:
    # The payment waits for the certification, but the refusal (newer) comes instead.
    mad = evenement(A.MISE_A_DISPOSITION, reference="R1", date_evenement=heure(1))
    paiement = evenement(A.MISE_EN_PAIEMENT, reference="R2", date_evenement=heure(2))
    refus = evenement(A.REFUS, reference="R3", date_evenement=heure(3))
    deroulement = derouler(envoye(), _candidats(paiement, refus, mad), maintenant=PLUS_TARD)
    assert deroulement.memoire.statut is StatutMemoire.REFUSE
    assert deroulement.issue("R2").issue is ISSUE.REFUSE
    assert deroulement.issue("R1").issue is ISSUE.APPLIQUE
    assert deroulement.issue("R3").issue is ISSUE.APPLIQUE


def test_les_refus_qui_ne_dependent_pas_de_l_etat_ne_font_pas_attendre() -> None:
    memoire = envoye()
    futur = evenement(A.CERTIFICATION, reference="F", date_evenement=PLUS_TARD + timedelta(hours=1))
    avant_envoi = evenement(A.CERTIFICATION, reference="E", date_evenement=heure(-1))
    trop = evenement(A.CERTIFICATION, reference="T", montant_certifie="100000.00", motif="x")
    deroulement = derouler(memoire, _candidats(futur, avant_envoi, trop), maintenant=PLUS_TARD)
    assert {i.cle: (i.issue, i.champ) for i in deroulement.issues} == {
        "F": (ISSUE.REFUSE, "date_evenement"),
        "E": (ISSUE.REFUSE, "date_evenement"),
        "T": (ISSUE.REFUSE, "montant_certifie"),
    }


def test_un_paiement_superieur_au_certifie_est_refuse_quand_il_s_applique() -> None:
    mad = evenement(A.MISE_A_DISPOSITION, reference="R1", date_evenement=heure(1))
    certification = evenement(
        A.CERTIFICATION, reference="R2", date_evenement=heure(2), montant_certifie="50.00"
    )
    paiement = evenement(
        A.MISE_EN_PAIEMENT, reference="R3", date_evenement=heure(3), montant_paye="60.00"
    )
    deroulement = derouler(envoye(), _candidats(paiement, certification, mad), maintenant=PLUS_TARD)
    assert deroulement.memoire.statut is StatutMemoire.CERTIFIE
    issue = deroulement.issue("R3")
    assert (issue.issue, issue.champ) == (ISSUE.REFUSE, "montant_paye")


def test_les_etats_atteignables() -> None:
    assert StatutMemoire.CERTIFIE in atteignables(StatutMemoire.SUSPENDU)  # via COMPLETE
    assert atteignables(StatutMemoire.MIS_EN_PAIEMENT) == {StatutMemoire.MIS_EN_PAIEMENT}
    assert StatutMemoire.CERTIFIE not in atteignables(StatutMemoire.REFUSE)


# -- reading an event -------------------------------------------------------------------


def _lu(**valeurs: str | None) -> EvenementLu:
    defaut: dict[str, str | None] = {
        "numero_memoire": "MJ00000000001",
        "action": "CERTIFICATION",
        "date_evenement": "2024-05-01T12:00:00+02:00",
        "reference_evenement": "R1",
    }
    defaut.update(valeurs)
    return EvenementLu("ligne 2", **defaut)  # type: ignore[arg-type]


def test_un_evenement_lu_avec_une_virgule_decimale() -> None:
    lu = lire_evenement(_lu(montant_certifie="120,50", motif="Taxé"))
    assert lu.evenement.montant_certifie == Decimal("120.50")
    assert lu.numero_memoire == "MJ00000000001"
    assert lu.position == "ligne 2"
    assert lu.evenement.action is A.CERTIFICATION


@pytest.mark.parametrize(
    ("valeurs", "champ", "extrait"),
    [
        ({"action": "VALIDATION"}, "action", "inconnue"),
        ({"date_evenement": "01/05/2024"}, "date_evenement", "ISO 8601"),
        ({"date_evenement": "2024-05-01T12:00:00"}, "date_evenement", "fuseau"),
        ({"numero_memoire": None}, "numero_memoire", ""),
        ({"reference_evenement": " "}, "reference_evenement", ""),
        ({"action": "REFUS"}, "motif", "obligatoire"),
        ({"montant_certifie": "12,345"}, "montant_certifie", "décimales"),
        ({"montant_paye": "douze"}, "montant_paye", ""),
    ],
)
def test_un_evenement_mal_forme_est_refuse_en_nommant_le_champ(
    valeurs: dict[str, str | None], champ: str, extrait: str
) -> None:
    with pytest.raises(ValidationError) as refus:
        lire_evenement(_lu(**valeurs))
    assert refus.value.champ == champ
    assert extrait in refus.value.message


def test_l_erreur_du_lecteur_refuse_l_evenement() -> None:
    lu = EvenementLu("evenements[2]", erreur=("couleur", "Champ inconnu : « couleur »."))
    with pytest.raises(ValidationError) as refus:
        lire_evenement(lu)
    assert refus.value.champ == "couleur"


def test_numero_de_lot() -> None:
    assert numero_lot(12) == "LS000000012"
    with pytest.raises(ValueError, match="épuisée"):
        numero_lot(10**9)
