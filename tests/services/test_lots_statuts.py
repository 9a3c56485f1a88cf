"""Importing batches of back-office status events (`LotsStatutsService`), on memory and
SQLite: once each, in event order, waiting and late events, the report, who may send what."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta

import pytest

from chorus.domain.errors import AccesRefuse, NonTrouve, ValidationError
from chorus.domain.lots_statuts import (
    EvenementLu,
    FormatLot,
    IssueEvenement,
    LotIllisible,
    LotStatuts,
)
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import Intervenant, StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.ports.requetes import Pagination
from tests.monde import Monde

pytestmark = pytest.mark.tous_stockages

A = ActionTraitement
ISSUE = IssueEvenement


def _date(monde: Monde, heures: int) -> str:
    return (monde.horloge.maintenant() + timedelta(hours=heures)).isoformat()


class Lot:
    """A batch being written: events at hours from the sending."""

    def __init__(self, monde: Monde, debut: datetime) -> None:
        self.monde = monde
        self.debut = debut
        self.lus: list[EvenementLu] = []

    def __call__(
        self,
        memoire: Memoire | str,
        action: ActionTraitement,
        reference: str,
        heure: int,
        **champs: str,
    ) -> Lot:
        if action.motif_obligatoire:
            champs.setdefault("motif", "Pièce manquante")
        self.lus.append(
            EvenementLu(
                f"evenements[{len(self.lus)}]",
                numero_memoire=memoire if isinstance(memoire, str) else memoire.numero,
                action=action.value,
                date_evenement=(self.debut + timedelta(hours=heure)).isoformat(),
                reference_evenement=reference,
                motif=champs.get("motif"),
                montant_certifie=champs.get("montant_certifie"),
                montant_paye=champs.get("montant_paye"),
            )
        )
        return self


def _lot(monde: Monde) -> Lot:
    return Lot(monde, monde.horloge.maintenant())


def _relire(monde: Monde, memoire: Memoire) -> Memoire:
    return monde.chorus.traitement.obtenir(monde.comptable.id, memoire.id)


def _issues(lot: LotStatuts) -> list[tuple[str, IssueEvenement]]:
    return [(r.position, r.issue) for r in lot.resultats]


def _importer(monde: Monde, lot: Lot, acteur_id: str | None = None) -> LotStatuts:
    # The batch is imported a day after its events: none is in the future.
    monde.horloge.avancer(timedelta(days=1))
    return monde.chorus.lots_statuts.importer(lot.lus, FormatLot.JSON, acteur_id=acteur_id)


def test_un_lot_melange_avec_doublons_s_applique_dans_l_ordre_des_evenements(
    monde: Monde,
) -> None:
    memoire = monde.envoye()
    lot = _lot(monde)(memoire, A.MISE_EN_PAIEMENT, "R3", 3, montant_paye="100,00")(
        memoire, A.MISE_A_DISPOSITION, "R1", 1
    )(memoire, A.CERTIFICATION, "R2", 2, montant_certifie="120.00", motif="Taxé")(
        memoire, A.MISE_A_DISPOSITION, "R1", 1
    )
    rapport = _importer(monde, lot)
    assert _issues(rapport) == [
        ("evenements[0]", ISSUE.APPLIQUE),
        ("evenements[1]", ISSUE.APPLIQUE),
        ("evenements[2]", ISSUE.APPLIQUE),
        ("evenements[3]", ISSUE.DEJA_APPLIQUE),
    ]
    assert "Doublon de evenements[1]" in (rapport.resultats[3].message or "")
    assert (rapport.appliques, rapport.deja_appliques, rapport.refuses) == (3, 1, 0)
    relu = _relire(monde, memoire)
    assert relu.statut is StatutMemoire.MIS_EN_PAIEMENT
    assert (str(relu.montant_certifie), str(relu.montant_paye)) == ("120.00", "100.00")
    nouveaux = relu.historique[-3:]
    assert [(h.reference_evenement, h.intervenant) for h in nouveaux] == [
        ("R1", Intervenant.ACHEMINEMENT),
        ("R2", Intervenant.SERVICE_CENTRALISATEUR),
        ("R3", Intervenant.COMPTABLE),
    ]
    assert {h.acteur for h in nouveaux} == {f"Import de lot de statuts n° {rapport.numero}"}
    # The activity feed saw every change, as for an event applied by hand.
    fil = monde.chorus.activite.fil(monde.gestionnaire.id, 1, 50).elements
    assert [e.statut for e in fil[:3]] == ["MIS_EN_PAIEMENT", "CERTIFIE", "MIS_A_DISPOSITION"]
    # The report is stored: the comptable (all juridictions) reads it again.
    assert monde.chorus.lots_statuts.obtenir(monde.comptable.id, rapport.numero) == rapport

    # The same batch again: everything was applied already.
    encore = _importer(monde, lot)
    assert [r.issue for r in encore.resultats] == [ISSUE.DEJA_APPLIQUE] * 4
    assert _relire(monde, memoire) == relu


def test_un_evenement_en_attente_s_applique_avec_un_lot_suivant(monde: Monde) -> None:
    memoire = monde.envoye()
    premier = _importer(
        monde,
        _lot(monde)(memoire, A.CERTIFICATION, "R2", 2)(memoire, A.MISE_EN_PAIEMENT, "R3", 3),
    )
    assert [r.issue for r in premier.resultats] == [ISSUE.EN_ATTENTE] * 2
    assert _relire(monde, memoire).statut is StatutMemoire.ENVOYE
    attente = monde.chorus.lots_statuts.en_attente(monde.agent.id, Pagination())
    assert [a.evenement.reference for a in attente.elements] == ["R2", "R3"]
    assert {a.numero_lot for a in attente.elements} == {premier.numero}

    lot = _lot(monde)
    lot.debut = lot.debut - timedelta(days=1)
    second = _importer(monde, lot(memoire, A.MISE_A_DISPOSITION, "R1", 1))
    assert [(r.position, r.reference_evenement, r.issue) for r in second.resultats] == [
        ("evenements[0]", "R1", ISSUE.APPLIQUE),
        ("evenements[0]", "R2", ISSUE.APPLIQUE),
        ("evenements[1]", "R3", ISSUE.APPLIQUE),
    ]
    assert second.resultats[1].en_attente_depuis == premier.numero
    assert f"(en attente depuis le lot n° {premier.numero})" in (second.resultats[1].message or "")
    relu = _relire(monde, memoire)
    assert relu.statut is StatutMemoire.MIS_EN_PAIEMENT
    assert [h.reference_evenement for h in relu.historique[-3:]] == ["R1", "R2", "R3"]
    # The waiting events name the batch they came with.
    assert relu.historique[-1].acteur == f"Import de lot de statuts n° {premier.numero}"
    assert monde.chorus.lots_statuts.en_attente(monde.agent.id, Pagination()).total == 0


def test_un_evenement_en_attente_s_applique_apres_un_evenement_saisi_a_l_unite(
    monde: Monde,
) -> None:
    memoire = monde.envoye()
    _importer(monde, _lot(monde)(memoire, A.CERTIFICATION, "R2", 2))
    monde.evenement(memoire, A.MISE_A_DISPOSITION)
    relu = _relire(monde, memoire)
    assert relu.statut is StatutMemoire.CERTIFIE
    assert monde.chorus.lots_statuts.en_attente(monde.comptable.id, Pagination()).total == 0


def test_evenements_tardifs_et_impossibles_refuses_avec_leur_raison(monde: Monde) -> None:
    refuse = monde.refuse()
    brouillon = monde.brouillon()
    debut = monde.horloge.maintenant()
    lot = Lot(monde, debut)
    lot(refuse, A.CERTIFICATION, "X1", 1)
    lot("MJ99999999999", A.MISE_A_DISPOSITION, "X2", 1)
    lot(brouillon, A.MISE_A_DISPOSITION, "X3", 1)
    lot(refuse, A.SUSPENSION, "X4", 30 * 24)  # a month ahead: in the future
    lot.lus.append(EvenementLu("evenements[4]", numero_memoire=refuse.numero, action="VALIDER"))
    rapport = _importer(monde, lot)
    assert [(r.issue, r.champ) for r in rapport.resultats] == [
        (ISSUE.REFUSE, None),
        (ISSUE.REFUSE, "numero_memoire"),
        (ISSUE.REFUSE, "numero_memoire"),
        (ISSUE.REFUSE, "date_evenement"),
        (ISSUE.REFUSE, "action"),
    ]
    assert "ne pourra plus" in (rapport.resultats[0].message or "")
    assert "brouillon" in (rapport.resultats[2].message or "")
    assert rapport.refuses == 5
    assert _relire(monde, refuse) == refuse


def test_une_reference_en_double_avec_deux_contenus_n_applique_rien(monde: Monde) -> None:
    memoire = monde.envoye()
    lot = _lot(monde)(memoire, A.MISE_A_DISPOSITION, "R1", 1)(memoire, A.SUSPENSION, "R1", 2)
    rapport = _importer(monde, lot)
    assert [(r.issue, r.champ) for r in rapport.resultats] == [
        (ISSUE.REFUSE, "reference_evenement"),
        (ISSUE.REFUSE, "reference_evenement"),
    ]
    assert _relire(monde, memoire).statut is StatutMemoire.ENVOYE


def test_l_agent_n_applique_que_ce_que_son_role_et_ses_juridictions_permettent(
    monde: Monde,
) -> None:
    memoire = monde.envoye()
    lot = _lot(monde)(memoire, A.MISE_A_DISPOSITION, "R1", 1)(memoire, A.MISE_EN_PAIEMENT, "R9", 9)
    rapport = _importer(monde, lot, monde.agent.id)
    assert [(r.issue, r.champ) for r in rapport.resultats] == [
        (ISSUE.APPLIQUE, None),
        (ISSUE.REFUSE, "action"),
    ]
    assert "Comptable" in (rapport.resultats[1].message or "")
    relu = _relire(monde, memoire)
    assert relu.historique[-1].acteur.endswith("(greffe@tj-lyon.fr)")

    ailleurs = _importer(
        monde, _lot(monde)(memoire, A.SUSPENSION, "R5", 5), monde.agent_ailleurs.id
    )
    assert [(r.issue, r.champ) for r in ailleurs.resultats] == [(ISSUE.REFUSE, "numero_memoire")]
    assert "Introuvable" in (ailleurs.resultats[0].message or "")
    assert _relire(monde, memoire) == relu

    # Who reads a report: its sender, a comptable of every juridiction; no other agent.
    assert monde.chorus.lots_statuts.obtenir(monde.agent.id, rapport.numero) == rapport
    with pytest.raises(NonTrouve):
        monde.chorus.lots_statuts.obtenir(monde.agent.id, ailleurs.numero)
    with pytest.raises(NonTrouve):
        monde.chorus.lots_statuts.obtenir(monde.agent_ailleurs.id, rapport.numero)


def test_un_prestataire_ne_peut_rien_importer(monde: Monde) -> None:
    memoire = monde.envoye()
    with pytest.raises(AccesRefuse):
        _importer(monde, _lot(monde)(memoire, A.MISE_A_DISPOSITION, "R1", 1), monde.gestionnaire.id)
    with pytest.raises(AccesRefuse):
        monde.chorus.lots_statuts.en_attente(monde.gestionnaire.id, Pagination())
    assert _relire(monde, memoire) == memoire


def test_un_fichier_illisible_ou_vide_n_applique_rien(monde: Monde) -> None:
    memoire = monde.envoye()
    lots = monde.chorus.lots_statuts
    with pytest.raises(LotIllisible) as refus:
        lots.importer_fichier(b'{"evenements": [', FormatLot.JSON)
    assert refus.value.champ == "fichier"
    with pytest.raises(ValidationError) as vide:
        lots.importer_fichier(b'{"evenements": []}', FormatLot.JSON)
    assert vide.value.champ == "evenements"
    assert _relire(monde, memoire) == memoire
    # No number was spent on them: the next batch is the first.
    contenu = (
        "numero_memoire;action;date_evenement;reference_evenement\n"
        f"{memoire.numero};MISE_A_DISPOSITION;{_date(monde, 1)};R1\n"
    ).encode()
    monde.horloge.avancer(timedelta(days=1))
    rapport = lots.importer_fichier(contenu, FormatLot.CSV)
    assert rapport.numero == "LS000000001"
    assert [(r.position, r.issue) for r in rapport.resultats] == [("ligne 2", ISSUE.APPLIQUE)]


def test_les_memoires_d_un_lot_sont_traites_chacun_pour_soi(
    monde: Monde, monkeypatch: pytest.MonkeyPatch
) -> None:
    premier, second = monde.envoye(), monde.envoye()
    service = monde.chorus.lots_statuts
    original = service._traiter_memoire

    def en_panne(numero: str, *args: object) -> object:
        if numero == second.numero:
            raise ValidationError("Panne simulée.", champ="numero_memoire")
        return original(numero, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "_traiter_memoire", en_panne)
    lot = _lot(monde)(premier, A.MISE_A_DISPOSITION, "R1", 1)(second, A.MISE_A_DISPOSITION, "R2", 1)
    rapport = _importer(monde, lot)
    assert [r.issue for r in rapport.resultats] == [ISSUE.APPLIQUE, ISSUE.REFUSE]
    assert rapport.resultats[1].message == "Panne simulée."
    assert _relire(monde, premier).statut is StatutMemoire.MIS_A_DISPOSITION
    assert _relire(monde, second).statut is StatutMemoire.ENVOYE


def test_un_evenement_deja_en_attente_n_attend_pas_deux_fois(monde: Monde) -> None:
    memoire = monde.envoye()
    lot = _lot(monde)(memoire, A.CERTIFICATION, "R2", 2)
    premier = _importer(monde, lot)
    second = monde.chorus.lots_statuts.importer(lot.lus, FormatLot.JSON)
    assert second.resultats[0].issue is ISSUE.EN_ATTENTE
    assert f"Déjà en attente depuis le lot n° {premier.numero}" in (
        second.resultats[0].message or ""
    )
    assert monde.chorus.lots_statuts.en_attente(monde.comptable.id, Pagination()).total == 1
    autre = EvenementTraitement.creer(
        action=A.SUSPENSION, reference="R2", date_evenement=monde.horloge.maintenant(), motif="x"
    )
    conflit = Lot(monde, autre.date_evenement)(memoire, A.SUSPENSION, "R2", 0)
    troisieme = monde.chorus.lots_statuts.importer(conflit.lus, FormatLot.JSON)
    assert (troisieme.resultats[0].issue, troisieme.resultats[0].champ) == (
        ISSUE.REFUSE,
        "reference_evenement",
    )


def test_un_lot_est_melange_sans_changer_le_resultat(monde: Monde) -> None:
    """Many mémoires, one batch in file order then the same shuffled on a twin mémoire set."""
    paires = [(monde.envoye(), monde.envoye()) for _ in range(4)]
    ordonne, melange = _lot(monde), _lot(monde)
    for i, (a, b) in enumerate(paires):
        for cible, lot in ((a, ordonne), (b, melange)):
            lot(cible, A.MISE_A_DISPOSITION, f"{cible.numero}-1", 1)
            if i % 2:
                lot(cible, A.SUSPENSION, f"{cible.numero}-2", 2)
                lot(cible, A.REFUS, f"{cible.numero}-3", 3)
            else:
                lot(cible, A.CERTIFICATION, f"{cible.numero}-2", 2)
                lot(cible, A.MISE_EN_PAIEMENT, f"{cible.numero}-3", 3)
    random.Random(8).shuffle(melange.lus)
    _importer(monde, ordonne)
    _importer(monde, melange)
    for a, b in paires:
        ra, rb = _relire(monde, a), _relire(monde, b)
        assert ra.statut == rb.statut
        assert ra.statut in (StatutMemoire.REFUSE, StatutMemoire.MIS_EN_PAIEMENT)
        assert [h.statut for h in ra.historique] == [h.statut for h in rb.historique]


def test_completer_un_memoire_suspendu_applique_la_certification_qui_attendait(
    monde: Monde,
) -> None:
    memoire = monde.mis_a_disposition()
    lot = _lot(monde)(memoire, A.SUSPENSION, "S1", 1)(memoire, A.CERTIFICATION, "C1", 2)
    rapport = _importer(monde, lot)
    assert [r.issue for r in rapport.resultats] == [ISSUE.APPLIQUE, ISSUE.EN_ATTENTE]

    monde.chorus.memoires.completer(monde.gestionnaire.id, memoire.id, commentaire="Voilà.")
    relu = _relire(monde, memoire)
    assert relu.statut is StatutMemoire.CERTIFIE
    assert relu.historique[-1].reference_evenement == "C1"
    assert relu.historique[-1].acteur == f"Import de lot de statuts n° {rapport.numero}"
    assert monde.chorus.lots_statuts.en_attente(monde.comptable.id, Pagination()).total == 0
    # The batch's own report tells what became of its waiting event.
    relu_lot = monde.chorus.lots_statuts.obtenir(monde.comptable.id, rapport.numero)
    assert [r.issue for r in relu_lot.resultats] == [ISSUE.APPLIQUE, ISSUE.APPLIQUE]
    assert relu_lot.resultats[1].en_attente_depuis == rapport.numero


def test_un_evenement_en_attente_refuse_a_l_unite_reste_dans_le_rapport_de_son_lot(
    monde: Monde,
) -> None:
    memoire = monde.evenement(monde.mis_a_disposition(), A.SUSPENSION)
    rapport = _importer(monde, _lot(monde)(memoire, A.CERTIFICATION, "C9", 1))
    assert [r.issue for r in rapport.resultats] == [ISSUE.EN_ATTENTE]

    monde.horloge.avancer(timedelta(hours=1))
    monde.evenement(memoire, A.REFUS)
    assert monde.chorus.lots_statuts.en_attente(monde.comptable.id, Pagination()).total == 0
    relu_lot = monde.chorus.lots_statuts.obtenir(monde.comptable.id, rapport.numero)
    [ligne] = relu_lot.resultats
    assert (ligne.position, ligne.reference_evenement, ligne.issue) == (
        "evenements[0]",
        "C9",
        ISSUE.REFUSE,
    )
    assert ligne.en_attente_depuis == rapport.numero
    assert "ne pourra plus" in (ligne.message or "")
    assert (relu_lot.en_attente, relu_lot.refuses) == (0, 1)


def test_un_evenement_en_attente_renvoye_qui_s_applique_est_compte_applique(
    monde: Monde,
) -> None:
    memoire = monde.envoye()
    debut = monde.horloge.maintenant()
    premier = _importer(monde, Lot(monde, debut)(memoire, A.CERTIFICATION, "C1", 2))
    second = _importer(
        monde,
        Lot(monde, debut)(memoire, A.MISE_A_DISPOSITION, "M1", 1)(
            memoire, A.CERTIFICATION, "C1", 2
        ),
    )
    assert [(r.position, r.reference_evenement, r.issue) for r in second.resultats] == [
        ("evenements[0]", "M1", ISSUE.APPLIQUE),
        ("evenements[1]", "C1", ISSUE.APPLIQUE),
    ]
    assert second.resultats[1].en_attente_depuis == premier.numero
    assert (second.appliques, second.en_attente) == (2, 0)
    assert _relire(monde, memoire).statut is StatutMemoire.CERTIFIE
    relu = monde.chorus.lots_statuts.obtenir(monde.comptable.id, premier.numero)
    assert [r.issue for r in relu.resultats] == [ISSUE.APPLIQUE]


def test_le_doublon_d_un_evenement_refuse_ou_en_attente_partage_son_issue(
    monde: Monde,
) -> None:
    memoire = monde.envoye()
    lot = _lot(monde)(memoire, A.CERTIFICATION, "C1", 2)(memoire, A.CERTIFICATION, "C1", 2)
    lot(memoire, A.MISE_A_DISPOSITION, "F1", 30 * 24)(memoire, A.MISE_A_DISPOSITION, "F1", 30 * 24)
    rapport = _importer(monde, lot)
    assert [(r.issue, r.champ) for r in rapport.resultats] == [
        (ISSUE.EN_ATTENTE, None),
        (ISSUE.EN_ATTENTE, None),
        (ISSUE.REFUSE, "date_evenement"),
        (ISSUE.REFUSE, "date_evenement"),
    ]
    assert "doublon de evenements[0]" in (rapport.resultats[1].message or "")
    assert "doublon de evenements[2]" in (rapport.resultats[3].message or "")
    assert monde.chorus.lots_statuts.en_attente(monde.comptable.id, Pagination()).total == 1


def test_un_agent_ne_distingue_pas_un_numero_inconnu_d_un_memoire_d_ailleurs(
    monde: Monde,
) -> None:
    memoire = monde.envoye()
    lot = _lot(monde)(memoire, A.SUSPENSION, "R1", 1)("MJ99999999999", A.SUSPENSION, "R2", 1)
    rapport = _importer(monde, lot, monde.agent_ailleurs.id)
    messages = {r.message for r in rapport.resultats}
    assert messages == {"Introuvable : ce mémoire n'existe pas ou ne vous est pas accessible."}
    assert {r.champ for r in rapport.resultats} == {"numero_memoire"}
    # The back office's own system (the command line) gets the precise reason.
    systeme = _importer(monde, _lot(monde)("MJ99999999999", A.SUSPENSION, "R3", 1))
    assert systeme.resultats[0].message == "Aucun mémoire ne porte le numéro MJ99999999999."


def test_une_panne_technique_refuse_les_evenements_du_memoire_et_garde_le_rapport(
    monde: Monde, monkeypatch: pytest.MonkeyPatch
) -> None:
    premier, second = monde.envoye(), monde.envoye()
    service = monde.chorus.lots_statuts
    original = service._traiter_memoire

    def verrouille(numero: str, *args: object) -> object:
        if numero == second.numero:
            raise sqlite3.OperationalError("database is locked")
        return original(numero, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "_traiter_memoire", verrouille)
    lot = _lot(monde)(premier, A.MISE_A_DISPOSITION, "R1", 1)(second, A.MISE_A_DISPOSITION, "R2", 1)
    rapport = _importer(monde, lot)
    assert [r.issue for r in rapport.resultats] == [ISSUE.APPLIQUE, ISSUE.REFUSE]
    assert "réessayez" in (rapport.resultats[1].message or "")
    assert service.obtenir(monde.comptable.id, rapport.numero) == rapport
    assert _relire(monde, second).statut is StatutMemoire.ENVOYE
