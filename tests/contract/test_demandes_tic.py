"""Contract of `DemandeTicRepository` over every storage adapter, through the ports only.

The memory adapter scans with the ports' reference semantics (`ResumeDemandeTic.correspond`,
`trier_tic`, `recents`); every other adapter must give exactly the same answers. Demandes
are built through the domain (see `agregats_tic`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from chorus.domain.errors import Conflit, ConflitDeVersion, NonTrouve, TransitionInvalide
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EnTeteDemandeTic
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.tic.statuts import ActionInstructionTic, StatutDemandeTic
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Pagination
from chorus.ports.tic import (
    CleDeTriTic,
    CriteresDemandeTic,
    EvenementSuiviTic,
    FiltresDemandeTic,
    ResumeDemandeTic,
    TriTic,
    recents,
    trier_tic,
)
from tests.contract.agregats import T0, ecarts, heure
from tests.contract.agregats_tic import (
    ANNEE,
    bareme,
    brouillon_tic,
    demande_a,
    envoyee_tic,
    instruite_tic,
)
from tests.contract.conftest import Magasin

S = StatutDemandeTic


def _ajouter(uow: UnitOfWork, *demandes: DemandeTic) -> None:
    with uow:
        for demande in demandes:
            uow.demandes_tic.ajouter(demande)
        uow.commit()


def _identiques(lu: object, attendu: object) -> None:
    assert lu == attendu
    assert ecarts(lu, attendu) == []


def _ids(resumes: Iterable[ResumeDemandeTic]) -> list[str]:
    return [r.id for r in resumes]


def _tout_voir(filtres: FiltresDemandeTic | None = None) -> CriteresDemandeTic:
    return CriteresDemandeTic(filtres or FiltresDemandeTic(), structures=None)


def demande_complete() -> DemandeTic:
    """A paid demande with every field set: three products (a rate of three decimals
    among them), an avance, invoices on lines and on the whole demande, the RIB, the
    certificate with its PDF's address, and a history of every step."""
    demande = brouillon_tic(
        "d-complete",
        "DT2024000000001",
        lignes=(
            (ProduitTic.FIOUL_LOURD, "1000.50"),
            (ProduitTic.GAZOLE_NON_ROUTIER, "12.30"),
            (ProduitTic.GAZ_NATUREL_COMBUSTIBLE, "250000"),
        ),
        avance=True,
        type_beneficiaire=TypeBeneficiaire.CUMA,
    )
    assert demande.lignes[0].taux == Decimal("13.765")
    envoyee = envoyee_tic(demande, heure(1)).avec_certificat_archive("ab" * 32)
    instruite = envoyee
    for rang, action in enumerate(
        (
            ActionInstructionTic.MISE_A_DISPOSITION,
            ActionInstructionTic.PRISE_EN_CHARGE,
            ActionInstructionTic.VALIDATION,
            ActionInstructionTic.MISE_EN_PAIEMENT,
        ),
        start=2,
    ):
        instruite = instruite_tic(
            instruite,
            action,
            heure(rang),
            motif="Une facture sans cachet" if action is ActionInstructionTic.VALIDATION else None,
            montant_accorde="100.10" if action is ActionInstructionTic.VALIDATION else None,
        )
    return instruite


# -- round trips -----------------------------------------------------------------------------


def test_une_demande_complete_revient_identique_taux_et_exposants_compris(
    magasin: Magasin,
) -> None:
    complete = demande_complete()
    assert complete.certificat is not None
    assert complete.montant_accorde == Decimal("100.10")
    assert complete.entete.type_beneficiaire is TypeBeneficiaire.CUMA
    brouillon = brouillon_tic("d-brouillon", "DT2024000000002", structure_id="s-2")
    _ajouter(magasin.uow, complete, brouillon)

    with magasin.rouvrir() as uow:
        lu = uow.demandes_tic.obtenir(complete.id)
        _identiques(lu, complete)
        assert str(lu.lignes[0].taux) == "13.765"
        assert lu.montant_total == complete.montant_total
        _identiques(uow.demandes_tic.obtenir(brouillon.id), brouillon)
        _identiques(uow.demandes_tic.par_numero(complete.numero), complete)
        assert uow.demandes_tic.par_numero("DT2024999999999") is None


def test_obtenir_lit_ce_que_la_meme_unite_vient_d_ajouter(magasin: Magasin) -> None:
    demande = demande_a(S.EN_INSTRUCTION, "d-1", "DT2024000000001")
    with magasin.uow as uow:
        uow.demandes_tic.ajouter(demande)
        assert uow.demandes_tic.obtenir(demande.id) == demande
        assert _ids(uow.demandes_tic.tous(_tout_voir(), TriTic())) == [demande.id]
        assert len(uow.demandes_tic.evenements_recents(frozenset({"s-1"}), 10)) == 4
        uow.commit()


def test_obtenir_un_inconnu_leve_non_trouve(magasin: Magasin) -> None:
    with magasin.uow as uow, pytest.raises(NonTrouve):
        uow.demandes_tic.obtenir("inconnue")


def test_un_numero_ou_un_identifiant_deja_pris_est_refuse(magasin: Magasin) -> None:
    premiere = brouillon_tic("d-1", "DT2024000000001")
    _ajouter(magasin.uow, premiere)

    for autre in (
        brouillon_tic("d-2", "DT2024000000001", structure_id="s-2"),
        brouillon_tic("d-1", "DT2024000000002", structure_id="s-2"),
    ):
        with magasin.uow as uow, pytest.raises(Conflit) as erreur:
            uow.demandes_tic.ajouter(autre)
        assert erreur.value.champ == "numero"

    with magasin.rouvrir() as uow:
        assert uow.demandes_tic.obtenir("d-1") == premiere
        assert uow.demandes_tic.par_numero("DT2024000000002") is None


# -- versions --------------------------------------------------------------------------------


def test_enregistrer_monte_la_version_d_un_et_la_rend(magasin: Magasin) -> None:
    brouillon = brouillon_tic("d-1", "DT2024000000001")
    _ajouter(magasin.uow, brouillon)

    with magasin.uow as uow:
        envoyee = uow.demandes_tic.enregistrer(envoyee_tic(brouillon, heure(1)))
        assert envoyee.version == 1
        instruite = uow.demandes_tic.enregistrer(
            instruite_tic(envoyee, ActionInstructionTic.MISE_A_DISPOSITION, heure(2))
        )
        assert instruite.version == 2
        uow.commit()

    with magasin.rouvrir() as uow:
        _identiques(uow.demandes_tic.obtenir("d-1"), instruite)


def test_une_version_perimee_est_refusee_sans_rien_ecrire(magasin: Magasin) -> None:
    brouillon = brouillon_tic("d-1", "DT2024000000001")
    _ajouter(magasin.uow, brouillon)
    with magasin.uow as uow:
        premiere = uow.demandes_tic.enregistrer(brouillon.modifie_le(heure(1)))
        uow.commit()

    with magasin.uow as uow:
        with pytest.raises(ConflitDeVersion):
            uow.demandes_tic.enregistrer(envoyee_tic(brouillon, heure(2)))
        uow.commit()

    with magasin.rouvrir() as uow:
        _identiques(uow.demandes_tic.obtenir("d-1"), premiere)


def test_enregistrer_une_demande_supprimee_leve_non_trouve(magasin: Magasin) -> None:
    with magasin.uow as uow, pytest.raises(NonTrouve):
        uow.demandes_tic.enregistrer(brouillon_tic("d-1", "DT2024000000001"))


# -- what is sent stays ----------------------------------------------------------------------


def test_supprimer_un_brouillon(magasin: Magasin) -> None:
    brouillon = brouillon_tic("d-1", "DT2024000000001")
    _ajouter(magasin.uow, brouillon)

    with magasin.uow as uow:
        uow.demandes_tic.supprimer("d-1")
        uow.commit()

    with magasin.rouvrir() as uow:
        with pytest.raises(NonTrouve):
            uow.demandes_tic.obtenir("d-1")
        assert uow.demandes_tic.par_numero(brouillon.numero) is None
        assert uow.demandes_tic.tous(_tout_voir(), TriTic()) == []
        assert uow.demandes_tic.evenements_recents(frozenset({"s-1"}), 10) == []
        assert uow.demandes_tic.contenus_references([p.sha256 for p in brouillon.pieces]) == (
            frozenset()
        )
        with pytest.raises(NonTrouve):
            uow.demandes_tic.supprimer("d-1")


def test_une_demande_envoyee_ne_se_supprime_pas(magasin: Magasin) -> None:
    envoyee = demande_a(S.ENVOYEE, "d-1", "DT2024000000001")
    _ajouter(magasin.uow, envoyee)

    with magasin.uow as uow:
        with pytest.raises(TransitionInvalide, match="DT2024000000001"):
            uow.demandes_tic.supprimer("d-1")
        uow.commit()

    with magasin.rouvrir() as uow:
        assert uow.demandes_tic.obtenir("d-1") == envoyee


def test_le_contenu_d_une_demande_envoyee_ne_change_plus(magasin: Magasin) -> None:
    envoyee = demande_a(S.ENVOYEE, "d-1", "DT2024000000001")
    _ajouter(magasin.uow, envoyee)
    assert envoyee.certificat is not None

    changees = (
        attrs.evolve(envoyee, lignes=envoyee.lignes[:0]),
        attrs.evolve(envoyee, pieces=envoyee.pieces[1:]),
        attrs.evolve(envoyee, statut=S.BROUILLON),
        attrs.evolve(envoyee, entete=attrs.evolve(envoyee.entete, avance=True)),
        attrs.evolve(envoyee, historique=envoyee.historique[1:]),
        attrs.evolve(envoyee, certificat=attrs.evolve(envoyee.certificat, empreinte="falsifiee")),
    )
    for changee in changees:
        with magasin.uow as uow, pytest.raises(TransitionInvalide):
            uow.demandes_tic.enregistrer(changee)

    with magasin.uow as uow:
        archivee = uow.demandes_tic.enregistrer(envoyee.avec_certificat_archive("ab" * 32))
        uow.commit()
    assert archivee.certificat is not None
    with magasin.uow as uow, pytest.raises(TransitionInvalide):
        uow.demandes_tic.enregistrer(
            attrs.evolve(
                archivee, certificat=attrs.evolve(archivee.certificat, document_sha256="cd" * 32)
            )
        )

    with magasin.rouvrir() as uow:
        _identiques(uow.demandes_tic.obtenir("d-1"), archivee)


# -- one demande per structure and year ------------------------------------------------------


def test_une_seconde_demande_pour_la_meme_annee_est_refusee(magasin: Magasin) -> None:
    premiere = demande_a(S.EN_INSTRUCTION, "d-1", "DT2024000000001")
    _ajouter(magasin.uow, premiere)

    with magasin.uow as uow, pytest.raises(Conflit) as erreur:
        uow.demandes_tic.ajouter(brouillon_tic("d-2", "DT2024000000002"))
    assert erreur.value.champ == "annee"
    assert "DT2024000000001" in erreur.value.message
    assert "2023" in erreur.value.message

    # Another year, another structure: allowed.
    _ajouter(
        magasin.uow,
        brouillon_tic("d-3", "DT2024000000003", annee=ANNEE - 1),
        brouillon_tic("d-4", "DT2024000000004", structure_id="s-2"),
    )
    with magasin.rouvrir() as uow:
        assert _ids(uow.demandes_tic.actives("s-1", ANNEE)) == ["d-1"]
        assert _ids(uow.demandes_tic.actives("s-1", ANNEE - 1)) == ["d-3"]
        assert _ids(uow.demandes_tic.actives("s-2", ANNEE)) == ["d-4"]
        assert uow.demandes_tic.actives("s-3", ANNEE) == []


def test_apres_un_rejet_une_nouvelle_demande_est_acceptee(magasin: Magasin) -> None:
    premiere = demande_a(S.EN_INSTRUCTION, "d-1", "DT2024000000001")
    _ajouter(magasin.uow, premiere)

    with magasin.uow as uow:
        uow.demandes_tic.enregistrer(
            instruite_tic(premiere, ActionInstructionTic.REJET, heure(4), motif="Illisible")
        )
        uow.demandes_tic.ajouter(brouillon_tic("d-2", "DT2024000000002", maintenant=heure(5)))
        uow.commit()

    with magasin.rouvrir() as uow:
        assert _ids(uow.demandes_tic.actives("s-1", ANNEE)) == ["d-2"]
        with pytest.raises(Conflit):
            uow.demandes_tic.ajouter(brouillon_tic("d-3", "DT2024000000003"))


def test_une_demande_rejetee_ne_tient_pas_l_annee(magasin: Magasin) -> None:
    _ajouter(magasin.uow, brouillon_tic("d-1", "DT2024000000001"))
    rejetee = demande_a(S.REJETEE, "d-2", "DT2024000000002")
    _ajouter(magasin.uow, rejetee)

    with magasin.rouvrir() as uow:
        assert _ids(uow.demandes_tic.actives("s-1", ANNEE)) == ["d-1"]


def test_changer_l_annee_d_un_brouillon_vers_une_annee_prise_est_refuse(
    magasin: Magasin,
) -> None:
    _ajouter(
        magasin.uow,
        brouillon_tic("d-1", "DT2024000000001"),
        brouillon_tic("d-2", "DT2024000000002", annee=ANNEE - 1, lignes=()),
    )
    with magasin.uow as uow:
        autre = uow.demandes_tic.obtenir("d-2")
        changee = autre.modifier_entete(
            attrs.evolve(autre.entete, annee=ANNEE), bareme=bareme(), taux_avance=None
        )
        with pytest.raises(Conflit) as erreur:
            uow.demandes_tic.enregistrer(changee)
        assert erreur.value.champ == "annee"
        assert "DT2024000000001" in erreur.value.message

    with magasin.rouvrir() as uow:
        assert uow.demandes_tic.obtenir("d-2").annee == ANNEE - 1


def test_une_seconde_unite_de_travail_est_refusee_apres_la_premiere(magasin: Magasin) -> None:
    _ajouter(magasin.uow, brouillon_tic("d-1", "DT2024000000001"))

    autre = magasin.rouvrir()
    with autre as uow, pytest.raises(Conflit, match="DT2024000000001"):
        uow.demandes_tic.ajouter(brouillon_tic("d-2", "DT2024000000002"))


def test_deux_creations_concurrentes_une_seule_passe(magasin: Magasin) -> None:
    depart = threading.Barrier(4)
    resultats: list[str] = []

    def creer(rang: int) -> None:
        uow = magasin.rouvrir()
        depart.wait()
        try:
            with uow:
                uow.demandes_tic.ajouter(brouillon_tic(f"d-{rang}", f"DT202400000000{rang}"))
                uow.commit()
            resultats.append("ok")
        except Conflit:
            resultats.append("conflit")

    fils = [threading.Thread(target=creer, args=(rang,)) for rang in range(1, 5)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()

    assert sorted(resultats) == ["conflit", "conflit", "conflit", "ok"]
    with magasin.rouvrir() as uow:
        assert len(uow.demandes_tic.actives("s-1", ANNEE)) == 1


# -- searches --------------------------------------------------------------------------------

GNR, FIOUL, GAZ = ProduitTic.GAZOLE_NON_ROUTIER, ProduitTic.FIOUL_LOURD, ProduitTic.GPL
# 21:30 UTC is still the 14th in Paris; 22:30 UTC is already the 15th.
SOIR = datetime(2024, 6, 14, 21, 30, tzinfo=UTC)
MINUIT_PASSE = datetime(2024, 6, 14, 22, 30, tzinfo=UTC)


def _jeu() -> list[DemandeTic]:
    """Demandes of three structures, years and products, in every status, with equal
    years, amounts and statuses to tie on."""
    return [
        brouillon_tic("d-01", "DT2024000000011", lignes=((GNR, "100"),)),
        demande_a(
            S.ENVOYEE, "d-02", "DT2024000000002", annee=2022, lignes=((GNR, "100"),), envoi=SOIR
        ),
        demande_a(
            S.REJETEE,
            "d-03",
            "DT2024000000003",
            lignes=((FIOUL, "5000"), (GNR, "10")),
            creation=heure(-5),
            envoi=MINUIT_PASSE,
        ),
        demande_a(S.VALIDEE, "d-04", "DT2024000000004", structure_id="s-2", lignes=((GNR, "100"),)),
        demande_a(
            S.MISE_EN_PAIEMENT,
            "d-05",
            "DT2024000000005",
            structure_id="s-2",
            annee=2021,
            lignes=((GAZ, "3000"),),
            creation=heure(-10),
        ),
        brouillon_tic(
            "d-06", "DT2024000000006", structure_id="s-3", annee=2022, lignes=((FIOUL, "10"),)
        ),
        demande_a(
            S.MISE_A_DISPOSITION,
            "d-07",
            "DT2024000000007",
            structure_id="s-3",
            lignes=((GNR, "100"),),
            creation=heure(-1),
            envoi=heure(3),
        ),
        demande_a(
            S.EN_INSTRUCTION,
            "d-08",
            "DT2024000000008",
            structure_id="s-3",
            annee=2021,
            lignes=((GNR, "100"), (GAZ, "1")),
            creation=heure(-2),
            envoi=heure(2),
        ),
    ]


@pytest.fixture
def jeu(magasin: Magasin) -> list[DemandeTic]:
    demandes = _jeu()
    _ajouter(magasin.uow, *demandes)
    return demandes


def _reference(
    demandes: Iterable[DemandeTic], criteres: CriteresDemandeTic, tri: TriTic
) -> list[ResumeDemandeTic]:
    return trier_tic(
        [r for r in map(ResumeDemandeTic.depuis, demandes) if r.correspond(criteres)], tri
    )


_FILTRES: list[tuple[FiltresDemandeTic, set[str]]] = [
    (FiltresDemandeTic(), {f"d-0{n}" for n in range(1, 9)}),
    (FiltresDemandeTic(numero=" dt2024000000004 "), {"d-04"}),
    (FiltresDemandeTic(numero="DT2024000000099"), set()),
    (FiltresDemandeTic(structure_id="s-2"), {"d-04", "d-05"}),
    (FiltresDemandeTic(annee=2021), {"d-05", "d-08"}),
    (FiltresDemandeTic(produit=FIOUL), {"d-03", "d-06"}),
    (FiltresDemandeTic(produit=GAZ), {"d-05", "d-08"}),
    (FiltresDemandeTic(statuts=frozenset({S.BROUILLON, S.VALIDEE})), {"d-01", "d-04", "d-06"}),
    (FiltresDemandeTic(date_depot_du=date(2024, 6, 15)), {"d-03"}),
    (FiltresDemandeTic(date_depot_au=date(2024, 6, 14)), {"d-02", "d-04", "d-05", "d-07", "d-08"}),
    (
        FiltresDemandeTic(date_depot_du=date(2024, 6, 14), date_depot_au=date(2024, 6, 14)),
        {"d-02", "d-04", "d-05", "d-07", "d-08"},
    ),
    (FiltresDemandeTic(date_depot_du=date(1, 1, 1), date_depot_au=date(9999, 12, 31)), set()),
    (FiltresDemandeTic(structure_id="s-3", annee=2021, produit=GNR), {"d-08"}),
]


@pytest.mark.parametrize(("filtres", "attendus"), _FILTRES)
def test_chaque_filtre(
    magasin: Magasin,
    jeu: list[DemandeTic],
    filtres: FiltresDemandeTic,
    attendus: set[str],
) -> None:
    if filtres.date_depot_du == date(1, 1, 1):
        attendus = {d.id for d in jeu if d.date_depot is not None}
    with magasin.rouvrir().lecture() as uow:
        for criteres in (
            _tout_voir(filtres),
            CriteresDemandeTic(filtres, structures=frozenset({"s-1", "s-3"})),
            CriteresDemandeTic(filtres, structures=None, inclure_brouillons=False),
            CriteresDemandeTic(filtres, structures=frozenset()),
        ):
            trouves = uow.demandes_tic.tous(criteres, TriTic())
            attendu = _reference(jeu, criteres, TriTic())
            assert trouves == attendu
            if criteres.structures is None and criteres.inclure_brouillons:
                assert set(_ids(trouves)) == attendus


@pytest.mark.parametrize("descendant", [False, True], ids=["croissant", "decroissant"])
@pytest.mark.parametrize("cle", list(CleDeTriTic), ids=lambda c: c.value)
def test_chaque_tri_departage_par_id(
    magasin: Magasin, jeu: list[DemandeTic], cle: CleDeTriTic, descendant: bool
) -> None:
    tri = TriTic(cle, descendant)
    with magasin.rouvrir().lecture() as uow:
        for criteres in (_tout_voir(), CriteresDemandeTic(FiltresDemandeTic(), frozenset({"s-3"}))):
            trouves = uow.demandes_tic.tous(criteres, tri)
            assert _ids(trouves) == _ids(_reference(jeu, criteres, tri))
            page = uow.demandes_tic.rechercher(criteres, tri, Pagination(1, 100))
            assert _ids(page.elements) == _ids(trouves)


def test_les_egalites_et_les_valeurs_absentes_a_la_main(magasin: Magasin, jeu: object) -> None:
    with magasin.rouvrir().lecture() as uow:

        def ids(tri: str) -> list[str]:
            return _ids(uow.demandes_tic.tous(_tout_voir(), TriTic.depuis(tri)))

        # d-02 and d-06 are of 2022: tied, by id; the drafts, without a date de dépôt, last.
        assert ids("annee") == ["d-05", "d-08", "d-02", "d-06", "d-01", "d-03", "d-04", "d-07"]
        assert ids("-annee") == ["d-07", "d-04", "d-03", "d-01", "d-06", "d-02", "d-08", "d-05"]
        assert ids("date_depot")[-2:] == ["d-01", "d-06"]
        assert ids("-date_depot")[-2:] == ["d-06", "d-01"]
        assert ids("-date_depot")[0] == "d-03"
        # 100 l of GNR at 14.96 €/hl: four demandes of 14.96 €, tied.
        assert ids("montant_total")[:5] == ["d-06", "d-01", "d-02", "d-04", "d-07"]


def test_la_pagination_donne_le_total_et_des_pages_qui_se_suivent(
    magasin: Magasin, jeu: list[DemandeTic]
) -> None:
    tri = TriTic(CleDeTriTic.DATE_DEPOT, descendant=False)
    with magasin.rouvrir().lecture() as uow:
        tous = _ids(uow.demandes_tic.tous(_tout_voir(), tri))
        pages = [
            uow.demandes_tic.rechercher(_tout_voir(), tri, Pagination(n, 3)) for n in (1, 2, 3)
        ]
        assert [p.total for p in pages] == [8, 8, 8]
        assert [len(p.elements) for p in pages] == [3, 3, 2]
        assert [(p.page, p.par_page) for p in pages] == [(1, 3), (2, 3), (3, 3)]
        assert [i for p in pages for i in _ids(p.elements)] == tous
        au_dela = uow.demandes_tic.rechercher(_tout_voir(), tri, Pagination(4, 3))
        assert (au_dela.elements, au_dela.total) == ((), 8)
        filtree = uow.demandes_tic.rechercher(
            _tout_voir(FiltresDemandeTic(structure_id="s-3")), tri, Pagination(1, 1)
        )
        assert (filtree.total, _ids(filtree.elements)) == (3, ["d-08"])
        vide = uow.demandes_tic.rechercher(
            CriteresDemandeTic(FiltresDemandeTic(), frozenset()), tri, Pagination()
        )
        assert (vide.elements, vide.total) == ((), 0)


def test_compter_par_statut(magasin: Magasin, jeu: object) -> None:
    with magasin.rouvrir().lecture() as uow:
        assert uow.demandes_tic.compter_par_statut(None) == {
            "s-1": {S.ENVOYEE: 1, S.REJETEE: 1},
            "s-2": {S.VALIDEE: 1, S.MISE_EN_PAIEMENT: 1},
            "s-3": {S.MISE_A_DISPOSITION: 1, S.EN_INSTRUCTION: 1},
        }
        assert uow.demandes_tic.compter_par_statut(frozenset({"s-1", "s-3", "s-9"})) == {
            "s-1": {S.BROUILLON: 1, S.ENVOYEE: 1, S.REJETEE: 1},
            "s-3": {S.BROUILLON: 1, S.MISE_A_DISPOSITION: 1, S.EN_INSTRUCTION: 1},
        }
        assert uow.demandes_tic.compter_par_statut(frozenset()) == {}


def test_les_recherches_voient_les_changements_de_la_transaction(
    magasin: Magasin, jeu: list[DemandeTic]
) -> None:
    with magasin.uow as uow:
        uow.demandes_tic.supprimer("d-01")
        d07 = uow.demandes_tic.obtenir("d-07")
        uow.demandes_tic.enregistrer(
            instruite_tic(d07, ActionInstructionTic.PRISE_EN_CHARGE, heure(9))
        )
        assert uow.demandes_tic.compter_par_statut(frozenset({"s-1", "s-3"})) == {
            "s-1": {S.ENVOYEE: 1, S.REJETEE: 1},
            "s-3": {S.BROUILLON: 1, S.EN_INSTRUCTION: 2},
        }
        criteres = _tout_voir(FiltresDemandeTic(statuts=frozenset({S.EN_INSTRUCTION})))
        assert _ids(uow.demandes_tic.tous(criteres, TriTic())) == ["d-07", "d-08"]


# -- « Mon suivi » ---------------------------------------------------------------------------


def _evenements(
    demandes: Iterable[DemandeTic], structures: frozenset[str]
) -> list[EvenementSuiviTic]:
    return [e for d in demandes if d.structure_id in structures for e in EvenementSuiviTic.de(d)]


def test_evenements_recents_dans_l_ordre_de_reference(magasin: Magasin) -> None:
    demandes = [
        *_jeu(),
        # Two steps recorded at the same instant: they keep the history's order.
        demande_a(
            S.EN_INSTRUCTION,
            "d-09",
            "DT2024000000009",
            structure_id="s-4",
            envoi=heure(2),
            pas=timedelta(0),
        ),
        # Same instants as d-09's, another number: the higher number first.
        demande_a(
            S.EN_INSTRUCTION,
            "d-10",
            "DT2024000000010",
            structure_id="s-4",
            annee=2022,
            envoi=heure(2),
            pas=timedelta(0),
        ),
    ]
    _ajouter(magasin.uow, *demandes)

    with magasin.rouvrir().lecture() as uow:
        for structures, limite in (
            (frozenset({"s-4"}), 100),
            (frozenset({"s-4"}), 3),
            (frozenset({"s-1", "s-3", "s-4"}), 100),
            (frozenset({"s-1", "s-3", "s-4"}), 7),
            (frozenset({"s-2", "s-9"}), 100),
        ):
            lus = list(uow.demandes_tic.evenements_recents(structures, limite))
            attendus = recents(_evenements(demandes, structures), limite)
            assert lus == attendus
            assert ecarts(lus, attendus) == []
        quatre = uow.demandes_tic.evenements_recents(frozenset({"s-4"}), 4)
        assert [(e.numero, e.statut) for e in quatre] == [
            ("DT2024000000010", S.ENVOYEE),
            ("DT2024000000010", S.MISE_A_DISPOSITION),
            ("DT2024000000010", S.EN_INSTRUCTION),
            ("DT2024000000009", S.ENVOYEE),
        ]
        assert uow.demandes_tic.evenements_recents(frozenset({"s-4"}), 0) == []
        assert uow.demandes_tic.evenements_recents(frozenset(), 10) == []


# -- retention -------------------------------------------------------------------------------


def test_contenus_references_pieces_et_certificat(magasin: Magasin) -> None:
    brouillon = brouillon_tic("d-1", "DT2024000000001")
    envoyee = envoyee_tic(
        brouillon_tic("d-2", "DT2024000000002", structure_id="s-2"), heure(1)
    ).avec_certificat_archive("ab" * 32)
    _ajouter(magasin.uow, brouillon, envoyee)
    des_pieces = {p.sha256 for d in (brouillon, envoyee) for p in d.pieces}
    assert len(des_pieces) == 3  # two invoices and a RIB

    with magasin.rouvrir().lecture() as uow:
        assert uow.demandes_tic.contenus_references([*des_pieces, "ab" * 32, "ef" * 32]) == (
            frozenset({*des_pieces, "ab" * 32})
        )
        assert uow.demandes_tic.contenus_references([]) == frozenset()

    with magasin.uow as uow:
        uow.demandes_tic.supprimer("d-1")
        uow.commit()
    with magasin.rouvrir().lecture() as uow:
        assert uow.demandes_tic.contenus_references(des_pieces) == frozenset(
            p.sha256 for p in envoyee.pieces
        )


# -- transactions ----------------------------------------------------------------------------


def test_sans_commit_rien_n_est_ecrit(magasin: Magasin) -> None:
    _ajouter(magasin.uow, brouillon_tic("d-1", "DT2024000000001"))
    with magasin.uow as uow:
        uow.demandes_tic.ajouter(brouillon_tic("d-2", "DT2024000000002", structure_id="s-2"))
        uow.demandes_tic.enregistrer(envoyee_tic(uow.demandes_tic.obtenir("d-1"), heure(1)))

    def panne(uow: UnitOfWork) -> None:
        with uow:
            uow.demandes_tic.supprimer("d-1")
            raise RuntimeError("panne")

    with pytest.raises(RuntimeError, match="panne"):
        panne(magasin.uow)

    with magasin.uow as uow:
        uow.demandes_tic.ajouter(brouillon_tic("d-3", "DT2024000000003", structure_id="s-3"))
        uow.rollback()

    with magasin.rouvrir() as uow:
        assert _ids(uow.demandes_tic.tous(_tout_voir(), TriTic())) == ["d-1"]
        assert uow.demandes_tic.obtenir("d-1").statut is S.BROUILLON
        assert uow.demandes_tic.compter_par_statut(None) == {}
        assert [e.statut for e in uow.demandes_tic.evenements_recents(frozenset({"s-1"}), 9)] == [
            S.BROUILLON
        ]
        assert uow.demandes_tic.actives("s-2", ANNEE) == []


def test_une_lecture_ne_peut_pas_ecrire(magasin: Magasin) -> None:
    with pytest.raises(RuntimeError), magasin.uow.lecture() as uow:
        uow.demandes_tic.ajouter(brouillon_tic("d-1", "DT2024000000001"))
    with magasin.rouvrir() as uow:
        assert uow.demandes_tic.par_numero("DT2024000000001") is None


def test_le_meme_entete_revient_apres_modification(magasin: Magasin) -> None:
    brouillon = brouillon_tic("d-1", "DT2024000000001")
    _ajouter(magasin.uow, brouillon)
    entete = EnTeteDemandeTic.creer(
        structure_id="s-1",
        annee=ANNEE - 1,
        coordonnee_bancaire_id="cb-autre",
        attestation_non_difficulte=True,
        type_beneficiaire=TypeBeneficiaire.EXPLOITATION_FORESTIERE,
        aujourdhui=T0.date(),
    )
    with magasin.uow as uow:
        sans_lignes = uow.demandes_tic.obtenir("d-1").supprimer_ligne(1)
        changee = uow.demandes_tic.enregistrer(
            sans_lignes.modifier_entete(entete, bareme=bareme(), taux_avance=None)
        )
        uow.commit()

    with magasin.rouvrir() as uow:
        _identiques(uow.demandes_tic.obtenir("d-1"), changee)
        assert _ids(uow.demandes_tic.actives("s-1", ANNEE - 1)) == ["d-1"]
        assert uow.demandes_tic.actives("s-1", ANNEE) == []
        assert _ids(
            uow.demandes_tic.tous(_tout_voir(FiltresDemandeTic(annee=ANNEE - 1)), TriTic())
        ) == ["d-1"]
