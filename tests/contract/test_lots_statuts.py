"""Contract of the batches of status events (`uow.lots_statuts`): reports stored whole and
read back by number, waiting events in event order per mémoire, one reference at a time,
listed by juridiction — through the ports only, on every store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from chorus.domain.errors import Conflit, NonTrouve
from chorus.domain.lots_statuts import (
    EvenementEnAttente,
    FormatLot,
    IssueEvenement,
    LotStatuts,
    ResultatEvenement,
)
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.ports.requetes import Pagination
from tests.contract.conftest import Magasin

T0 = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)
ETE = timezone(timedelta(hours=2))


def _lot(numero: str = "LS000000001", id: str = "lot-1") -> LotStatuts:
    return LotStatuts(
        id=id,
        numero=numero,
        format=FormatLot.CSV,
        date_import=datetime(2024, 6, 14, 12, 0, 0, 123456, tzinfo=ETE),
        acteur="Import de lot de statuts n° LS000000001",
        resultats=(
            ResultatEvenement(
                "ligne 2", "MJ00000000001", "R1", "CERTIFICATION", IssueEvenement.APPLIQUE
            ),
            ResultatEvenement(
                "ligne 3",
                "MJ00000000002",
                "R2",
                "REFUS",
                IssueEvenement.REFUSE,
                champ="motif",
                message="Le motif est obligatoire pour le refus — « é ».",
            ),
            ResultatEvenement(
                "evenements[0]",
                None,
                None,
                None,
                IssueEvenement.APPLIQUE,
                message="Appliqué (en attente depuis le lot n° LS000000000)",
                en_attente_depuis="LS000000000",
            ),
        ),
        acteur_id="u-agent",
    )


def _attente(
    id: str,
    *,
    memoire: str = "m-1",
    numero: str = "MJ00000000001",
    juridiction: str = "TJ-69123",
    action: ActionTraitement = ActionTraitement.CERTIFICATION,
    heure: int = 1,
    reference: str | None = None,
) -> EvenementEnAttente:
    return EvenementEnAttente(
        id=id,
        memoire_id=memoire,
        numero_memoire=numero,
        juridiction_code=juridiction,
        evenement=EvenementTraitement.creer(
            action=action,
            reference=reference or f"REF-{id}",
            date_evenement=T0 + timedelta(hours=heure),
            motif="Taxé",
            montant_certifie="120.10" if action is ActionTraitement.CERTIFICATION else None,
        ),
        acteur="Lyon Greffe",
        numero_lot="LS000000001",
        position=f"ligne {heure + 1}",
        date_reception=T0,
    )


def test_un_lot_est_relu_tel_quel_apres_reouverture(magasin: Magasin) -> None:
    lot = _lot()
    with magasin.uow as uow:
        uow.lots_statuts.ajouter(lot)
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        relu = uow.lots_statuts.obtenir("LS000000001")
    assert relu == lot
    assert (relu.appliques, relu.refuses, relu.en_attente, relu.deja_appliques) == (2, 1, 0, 0)


def test_un_numero_de_lot_ne_sert_qu_une_fois(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.lots_statuts.ajouter(_lot())
        uow.commit()
    with magasin.uow as uow, pytest.raises(Conflit):
        uow.lots_statuts.ajouter(_lot(id="lot-2"))
    with magasin.uow as uow, pytest.raises(Conflit):
        uow.lots_statuts.ajouter(_lot(numero="LS000000002"))
    with magasin.uow.lecture() as uow, pytest.raises(NonTrouve):
        uow.lots_statuts.obtenir("LS000000002")


def test_un_lot_non_valide_n_est_pas_stocke(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.lots_statuts.ajouter(_lot())
        uow.rollback()
    with magasin.rouvrir().lecture() as uow, pytest.raises(NonTrouve):
        uow.lots_statuts.obtenir("LS000000001")


def test_les_evenements_en_attente_d_un_memoire_dans_l_ordre_des_evenements(
    magasin: Magasin,
) -> None:
    with magasin.uow as uow:
        for attente in (
            _attente("a", action=ActionTraitement.MISE_EN_PAIEMENT, heure=2),
            # Same instant: the lifecycle's rank decides (suspension before certification).
            _attente("b", action=ActionTraitement.CERTIFICATION, heure=1),
            _attente("c", action=ActionTraitement.SUSPENSION, heure=1),
            _attente("d", memoire="m-2", numero="MJ00000000002"),
        ):
            uow.lots_statuts.mettre_en_attente(attente)
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        du_memoire = uow.lots_statuts.en_attente_du_memoire("m-1")
        assert [a.id for a in du_memoire] == ["c", "b", "a"]
        assert du_memoire[1] == _attente("b", action=ActionTraitement.CERTIFICATION, heure=1)
        assert du_memoire[1].evenement.montant_certifie == Decimal("120.10")
        assert uow.lots_statuts.en_attente_du_memoire("m-3") == []


def test_une_reference_n_attend_qu_une_fois_par_memoire(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.lots_statuts.mettre_en_attente(_attente("a", reference="R"))
        # Another mémoire may have an event of that reference.
        uow.lots_statuts.mettre_en_attente(_attente("b", reference="R", memoire="m-2"))
        uow.commit()
    with magasin.uow as uow, pytest.raises(Conflit):
        uow.lots_statuts.mettre_en_attente(_attente("c", reference="R"))
    with magasin.uow.lecture() as uow:
        assert [a.id for a in uow.lots_statuts.en_attente_du_memoire("m-1")] == ["a"]


def test_retirer_de_l_attente(magasin: Magasin) -> None:
    with magasin.uow as uow:
        uow.lots_statuts.mettre_en_attente(_attente("a"))
        uow.lots_statuts.mettre_en_attente(_attente("b", heure=2))
        uow.commit()
    with magasin.uow as uow:
        uow.lots_statuts.retirer_de_l_attente("a")
        uow.lots_statuts.retirer_de_l_attente("inconnu")
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        assert [a.id for a in uow.lots_statuts.en_attente_du_memoire("m-1")] == ["b"]
    with magasin.uow as uow:
        # Its reference may wait again once it left.
        uow.lots_statuts.mettre_en_attente(_attente("a2", reference="REF-a"))
        uow.commit()


def test_la_liste_des_evenements_en_attente_par_juridiction_et_par_page(
    magasin: Magasin,
) -> None:
    with magasin.uow as uow:
        for attente in (
            _attente("x1", memoire="m-2", numero="MJ00000000002", heure=1),
            _attente("x2", memoire="m-1", numero="MJ00000000001", heure=3),
            _attente("x3", memoire="m-1", numero="MJ00000000001", heure=2),
            _attente("y1", memoire="m-3", numero="MJ00000000003", juridiction="TJ-75056"),
        ):
            uow.lots_statuts.mettre_en_attente(attente)
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        tous = uow.lots_statuts.en_attente(None, Pagination(1, 50))
        assert [a.id for a in tous.elements] == ["x3", "x2", "x1", "y1"]
        assert tous.total == 4
        lyon = uow.lots_statuts.en_attente(frozenset({"TJ-69123"}), Pagination(2, 2))
        assert [a.id for a in lyon.elements] == ["x1"]
        assert (lyon.total, lyon.page, lyon.par_page) == (3, 2, 2)
        aucune = uow.lots_statuts.en_attente(frozenset(), Pagination())
        assert (aucune.elements, aucune.total) == ((), 0)


def test_l_issue_differee_d_un_evenement_en_attente_est_notee_dans_son_lot(
    magasin: Magasin,
) -> None:
    attendait = ResultatEvenement(
        "ligne 4", "MJ00000000003", "R3", "CERTIFICATION", IssueEvenement.EN_ATTENTE
    )
    lot = attrs.evolve(_lot(), resultats=(*_lot().resultats, attendait))
    with magasin.uow as uow:
        uow.lots_statuts.ajouter(lot)
        uow.commit()
    finale = attrs.evolve(
        attendait,
        issue=IssueEvenement.REFUSE,
        message="Refusé (en attente depuis le lot n° LS000000001)",
        en_attente_depuis="LS000000001",
    )
    with magasin.uow as uow:
        # Only the waiting line of that position changes; an unknown batch is no error.
        uow.lots_statuts.noter_issue_differee("LS000000001", finale)
        uow.lots_statuts.noter_issue_differee(
            "LS000000001", attrs.evolve(finale, position="ligne 2")
        )
        uow.lots_statuts.noter_issue_differee("LS000000009", finale)
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        relu = uow.lots_statuts.obtenir("LS000000001")
    assert relu.resultats == (*_lot().resultats, finale)
    assert (relu.en_attente, relu.refuses) == (0, 2)

    # Rolled back, nothing is noted.
    with magasin.uow as uow:
        uow.lots_statuts.noter_issue_differee(
            "LS000000001", attrs.evolve(finale, position="ligne 3")
        )
        uow.rollback()
    with magasin.rouvrir().lecture() as uow:
        assert uow.lots_statuts.obtenir("LS000000001") == relu
