"""Contract of the read side: every criterion, périmètre, sort key and page.

The data set (built once per store) holds seven mémoires of two structures, at every stage;
each test names the ones it expects by id. Ids are chosen so that no sort order is the id
order. Days are days in Paris: one mémoire is sent at 22:30 UTC (the next day in Paris), one
draft created at 22:00 UTC (midnight in Paris).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from chorus.domain.acces import Perimetre
from chorus.domain.lignes import LigneDePrestation
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import (
    CleDeTri,
    CriteresMemoire,
    FiltresMemoire,
    Pagination,
    ResumeMemoire,
    Tri,
)
from tests.contract.agregats import T0, brouillon, entete, envoyer, ligne, traiter
from tests.contract.conftest import Magasin

S1, S2 = "s-1", "s-2"
SVC_A, SVC_B = "s-1-svc-a", "s-1-svc-b"
TOUS = frozenset({"m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7"})
J = timedelta(days=1)
H = timedelta(hours=1)


def _lignes(*montants: tuple[str, str]) -> tuple[LigneDePrestation, ...]:
    """Lines at 0 % TVA (so that amounts are easy to read): (numéro d'affaire, tarif)."""
    return tuple(
        ligne(
            n,
            numero_affaire=affaire,
            tarif_ht=tarif,
            taux_tva="0",
            date_prestation=date(2024, 5, 20),
        )
        for n, (affaire, tarif) in enumerate(montants, start=1)
    )


def _jeu() -> tuple[dict[str, Memoire], Memoire, Memoire]:
    """The final mémoires by id; plus m-2 as a draft (stored first, then sent by
    `enregistrer`) and m-8 (stored, then deleted)."""
    A = ActionTraitement  # noqa: N806
    m5 = brouillon(
        "m-5",
        "TMP2024000000005",
        entete(S1),
        lignes=_lignes(("AFF-1", "120")),
        maintenant=T0,
    )
    m2_brouillon = brouillon(
        "m-2",
        "TMP2024000000002",
        entete(
            S1,
            service_id=SVC_A,
            texte_reference="R.92",
            categorie_prestataire="EXPERT_MEDICAL",
            numero_engagement_juridique="NEJ-1",
        ),
        lignes=_lignes(("AFF-2", "300")),
        maintenant=T0 - 5 * J,
    )
    m2 = envoyer(m2_brouillon, "MJ00000000004", T0 - 4 * J)
    m4 = brouillon(
        "m-4",
        "TMP2024000000004",
        entete(
            S1,
            service_id=SVC_B,
            juridiction_code="TJ-75056",
            numero_engagement_juridique="NEJ-2",
        ),
        lignes=_lignes(("AFF-1", "50"), ("AFF-3", "60")),
        maintenant=T0 - 6 * J,
    )
    # 2024-06-08 22:30 UTC is 2024-06-09 00:30 in Paris.
    m4 = envoyer(m4, "MJ00000000003", datetime(2024, 6, 8, 22, 30, tzinfo=UTC))
    m4 = traiter(m4, A.MISE_A_DISPOSITION, T0 - 5 * J)
    m4 = traiter(m4, A.CERTIFICATION, T0 - 2 * J)
    m1 = brouillon(
        "m-1",
        "TMP2024000000001",
        entete(
            S2,
            juridiction_code="TJ-75056",
            texte_reference="R.92",
            categorie_prestataire="INTERPRETE_TRADUCTEUR",
            remise_globale_ttc="450",
        ),
        lignes=_lignes(("AFF-4", "500")),
        maintenant=T0 - 10 * J,
    )
    m1 = envoyer(m1, "MJ00000000001", T0 - 9 * J)
    m1 = traiter(m1, A.MISE_A_DISPOSITION, T0 - 9 * J + 2 * H)
    m1 = traiter(m1, A.CERTIFICATION, T0 - 8 * J)
    m1 = traiter(m1, A.MISE_EN_PAIEMENT, T0 - 1 * J)
    m3 = brouillon(
        "m-3",
        "TMP2024000000003",
        entete(S2),
        lignes=_lignes(("AFF-5", "200")),
        maintenant=T0 - 7 * J,
    )
    m3 = envoyer(m3, "MJ00000000002", T0 - 7 * J + H)
    m3 = traiter(m3, A.MISE_A_DISPOSITION, T0 - 7 * J + 3 * H)
    m3 = traiter(m3, A.REFUS, T0 - 3 * J)
    # 2024-06-13 22:00 UTC is midnight, 2024-06-14, in Paris.
    m6 = brouillon(
        "m-6",
        "TMP2024000000006",
        entete(S2, juridiction_code="TJ-75056", categorie_prestataire="PSYCHOLOGUE"),
        lignes=_lignes(("AFF-6", "80")),
        maintenant=T0 - 12 * H,
    )
    m7 = brouillon(
        "m-7",
        "TMP2024000000007",
        entete(S1, service_id=SVC_A, texte_reference="R.92", categorie_prestataire="PSYCHOLOGUE"),
        lignes=_lignes(("AFF-2", "90")),
        maintenant=T0 - 2 * H,
    )
    m8 = brouillon(
        "m-8", "TMP2024000000008", entete(S1), lignes=_lignes(("AFF-1", "10")), maintenant=T0
    )
    finaux = {m.id: m for m in (m1, m2, m3, m4, m5, m6, m7)}
    return finaux, m2_brouillon, m8


@pytest.fixture
def jeu(magasin: Magasin) -> dict[str, Memoire]:
    """The data set, stored; the mémoires as the store holds them."""
    finaux, m2_brouillon, m8 = _jeu()
    with magasin.uow as uow:
        for memoire in finaux.values():
            uow.memoires.ajouter(m2_brouillon if memoire.id == "m-2" else memoire)
        uow.memoires.ajouter(m8)
        uow.commit()
    with magasin.rouvrir() as uow:
        uow.memoires.enregistrer(finaux["m-2"])
        uow.memoires.supprimer("m-8")
        uow.commit()
    with magasin.rouvrir() as uow:
        return {id: uow.memoires.obtenir(id) for id in sorted(TOUS)}


@pytest.fixture
def lecteur(magasin: Magasin, jeu: dict[str, Memoire]) -> UnitOfWork:
    """A unit of work over the stored data set (a new one, to read what was committed)."""
    return magasin.rouvrir()


def _ids(
    uow: UnitOfWork,
    filtres: FiltresMemoire | None = None,
    *,
    perimetre: Perimetre | None = None,
    juridictions: frozenset[str] | None = None,
    inclure_brouillons: bool = True,
) -> set[str]:
    criteres = CriteresMemoire(
        filtres=filtres or FiltresMemoire(),
        perimetre=perimetre,
        juridictions=juridictions,
        inclure_brouillons=inclure_brouillons,
    )
    with uow:
        tous = {r.id for r in uow.requetes.tous(criteres, Tri())}
        page = uow.requetes.rechercher(criteres, Tri(), Pagination(par_page=500))
    assert {r.id for r in page.elements} == tous
    assert page.total == len(tous)
    return tous


def test_les_resumes_decrivent_les_memoires_stockes(
    lecteur: UnitOfWork, jeu: dict[str, Memoire]
) -> None:
    criteres = CriteresMemoire(filtres=FiltresMemoire())
    with lecteur as uow:
        resumes = uow.requetes.tous(criteres, Tri(CleDeTri.NUMERO, descendant=False))
    assert len(resumes) == len(jeu)
    for resume in resumes:
        assert resume == ResumeMemoire.depuis(jeu[resume.id])
    m2 = next(r for r in resumes if r.id == "m-2")
    assert (m2.numero, m2.numero_brouillon) == ("MJ00000000004", "TMP2024000000002")
    assert str(next(r for r in resumes if r.id == "m-1").net_a_payer) == "50.00"


CRITERES: dict[str, tuple[FiltresMemoire, set[str]]] = {
    "aucun": (FiltresMemoire(), set(TOUS)),
    "numero definitif": (FiltresMemoire(numero="MJ00000000004"), {"m-2"}),
    "numero en minuscules et espaces": (FiltresMemoire(numero="  mj00000000004 "), {"m-2"}),
    "numero de brouillon d'un envoye": (FiltresMemoire(numero="TMP2024000000002"), {"m-2"}),
    "numero de brouillon": (FiltresMemoire(numero="TMP2024000000005"), {"m-5"}),
    "numero supprime": (FiltresMemoire(numero="TMP2024000000008"), set()),
    "numero inconnu": (FiltresMemoire(numero="MJ00000000099"), set()),
    "structure 1": (FiltresMemoire(structure_id=S1), {"m-2", "m-4", "m-5", "m-7"}),
    "structure 2": (FiltresMemoire(structure_id=S2), {"m-1", "m-3", "m-6"}),
    "service": (FiltresMemoire(service_id=SVC_A), {"m-2", "m-7"}),
    "juridiction": (FiltresMemoire(juridiction_code="TJ-75056"), {"m-1", "m-4", "m-6"}),
    "engagement juridique": (FiltresMemoire(numero_engagement_juridique="NEJ-1"), {"m-2"}),
    "categorie": (FiltresMemoire(categorie_prestataire="PSYCHOLOGUE"), {"m-6", "m-7"}),
    "categorie par defaut": (
        FiltresMemoire(categorie_prestataire="PSYCHIATRE"),
        {"m-3", "m-4", "m-5"},
    ),
    "texte de reference": (FiltresMemoire(texte_reference="R.92"), {"m-1", "m-2", "m-7"}),
    "numero d'affaire sur une ligne": (FiltresMemoire(numero_affaire="AFF-1"), {"m-4", "m-5"}),
    "numero d'affaire en seconde ligne": (FiltresMemoire(numero_affaire="AFF-3"), {"m-4"}),
    "numero d'affaire inconnu": (FiltresMemoire(numero_affaire="AFF"), set()),
    "statuts": (
        FiltresMemoire(statuts=frozenset({StatutMemoire.CERTIFIE, StatutMemoire.REFUSE})),
        {"m-3", "m-4"},
    ),
    "brouillons": (
        FiltresMemoire(statuts=frozenset({StatutMemoire.BROUILLON})),
        {"m-5", "m-6", "m-7"},
    ),
    "depot un jour a Paris": (
        FiltresMemoire(date_depot_du=date(2024, 6, 9), date_depot_au=date(2024, 6, 9)),
        {"m-4"},
    ),
    "depot la veille a Paris": (
        FiltresMemoire(date_depot_du=date(2024, 6, 8), date_depot_au=date(2024, 6, 8)),
        set(),
    ),
    "depot du": (FiltresMemoire(date_depot_du=date(2024, 6, 9)), {"m-2", "m-4"}),
    "depot au": (FiltresMemoire(date_depot_au=date(2024, 6, 7)), {"m-1", "m-3"}),
    "statut du (minuit a Paris)": (
        FiltresMemoire(date_statut_du=date(2024, 6, 14)),
        {"m-5", "m-6", "m-7"},
    ),
    "statut au": (
        FiltresMemoire(date_statut_au=date(2024, 6, 13)),
        {"m-1", "m-2", "m-3", "m-4"},
    ),
    "statut du au": (
        FiltresMemoire(date_statut_du=date(2024, 6, 11), date_statut_au=date(2024, 6, 12)),
        {"m-3", "m-4"},
    ),
    "plusieurs criteres": (
        FiltresMemoire(structure_id=S1, statuts=frozenset({StatutMemoire.ENVOYE})),
        {"m-2"},
    ),
    "criteres incompatibles": (FiltresMemoire(structure_id=S2, service_id=SVC_A), set()),
}


@pytest.mark.parametrize("nom", list(CRITERES))
def test_chaque_critere(lecteur: UnitOfWork, nom: str) -> None:
    filtres, attendus = CRITERES[nom]
    assert _ids(lecteur, filtres) == attendus


def test_perimetre_structures_entieres_et_services(lecteur: UnitOfWork) -> None:
    assert _ids(lecteur, perimetre=Perimetre(structures=frozenset({S2}))) == {
        "m-1",
        "m-3",
        "m-6",
    }
    assert _ids(
        lecteur,
        perimetre=Perimetre(structures=frozenset({S2}), services=frozenset({(S1, SVC_A)})),
    ) == {"m-1", "m-3", "m-6", "m-2", "m-7"}
    # A service pair covers that service of that structure only.
    assert _ids(lecteur, perimetre=Perimetre(services=frozenset({(S1, SVC_B), (S2, SVC_A)}))) == {
        "m-4"
    }
    assert _ids(lecteur, perimetre=Perimetre()) == set()
    assert _ids(
        lecteur,
        FiltresMemoire(statuts=frozenset({StatutMemoire.BROUILLON})),
        perimetre=Perimetre(structures=frozenset({S1})),
    ) == {"m-5", "m-7"}


def test_juridictions_et_brouillons(lecteur: UnitOfWork) -> None:
    assert _ids(lecteur, juridictions=frozenset({"TJ-75056"})) == {"m-1", "m-4", "m-6"}
    assert _ids(lecteur, juridictions=frozenset({"TJ-75056", "TJ-69123"})) == set(TOUS)
    assert _ids(lecteur, juridictions=frozenset()) == set()
    assert _ids(lecteur, inclure_brouillons=False) == {"m-1", "m-2", "m-3", "m-4"}
    assert _ids(lecteur, juridictions=frozenset({"TJ-75056"}), inclure_brouillons=False) == {
        "m-1",
        "m-4",
    }
    assert _ids(
        lecteur,
        FiltresMemoire(structure_id=S1),
        perimetre=Perimetre(structures=frozenset({S1, S2})),
        juridictions=frozenset({"TJ-69123"}),
        inclure_brouillons=False,
    ) == {"m-2"}


# The reference order: the key, ties broken by id (in the same direction); rows without a
# value (no date de dépôt for a draft) last in both directions, by id. MONTANT_TTC sorts by
# the TTC before the remise globale, NET_A_PAYER by what is left after it.
_CLES: dict[CleDeTri, Callable[[ResumeMemoire], object]] = {
    CleDeTri.NUMERO: lambda r: r.numero,
    CleDeTri.DATE_CREATION: lambda r: r.date_creation,
    CleDeTri.DATE_DEPOT: lambda r: r.date_depot,
    CleDeTri.DATE_STATUT: lambda r: r.date_statut,
    CleDeTri.MONTANT_TTC: lambda r: r.montant_ttc,
    CleDeTri.NET_A_PAYER: lambda r: r.net_a_payer,
    CleDeTri.JURIDICTION: lambda r: r.juridiction_code,
    CleDeTri.STATUT: lambda r: r.statut.value,
}

ORDRES_CROISSANTS: dict[CleDeTri, list[str]] = {
    CleDeTri.NUMERO: ["m-1", "m-3", "m-4", "m-2", "m-5", "m-6", "m-7"],
    CleDeTri.DATE_CREATION: ["m-1", "m-3", "m-4", "m-2", "m-6", "m-7", "m-5"],
    CleDeTri.DATE_DEPOT: ["m-1", "m-3", "m-4", "m-2", "m-5", "m-6", "m-7"],
    CleDeTri.DATE_STATUT: ["m-2", "m-3", "m-4", "m-1", "m-6", "m-7", "m-5"],
    CleDeTri.MONTANT_TTC: ["m-6", "m-7", "m-4", "m-5", "m-3", "m-2", "m-1"],
    CleDeTri.NET_A_PAYER: ["m-1", "m-6", "m-7", "m-4", "m-5", "m-3", "m-2"],
    CleDeTri.JURIDICTION: ["m-2", "m-3", "m-5", "m-7", "m-1", "m-4", "m-6"],
    CleDeTri.STATUT: ["m-5", "m-6", "m-7", "m-4", "m-2", "m-1", "m-3"],
}

ORDRES_DECROISSANTS: dict[CleDeTri, list[str]] = {
    CleDeTri.DATE_DEPOT: ["m-2", "m-4", "m-3", "m-1", "m-7", "m-6", "m-5"],
    CleDeTri.STATUT: ["m-3", "m-1", "m-2", "m-4", "m-7", "m-6", "m-5"],
    CleDeTri.MONTANT_TTC: ["m-1", "m-2", "m-3", "m-5", "m-4", "m-7", "m-6"],
    CleDeTri.NET_A_PAYER: ["m-2", "m-3", "m-5", "m-4", "m-7", "m-6", "m-1"],
}


def _ordre_de_reference(resumes: list[ResumeMemoire], tri: Tri) -> list[str]:
    cle = _CLES[tri.cle]
    avec = [r for r in resumes if cle(r) is not None]
    sans = [r for r in resumes if cle(r) is None]
    avec.sort(key=lambda r: (cle(r), r.id), reverse=tri.descendant)
    sans.sort(key=lambda r: r.id, reverse=tri.descendant)
    return [r.id for r in avec + sans]


@pytest.mark.parametrize("descendant", [False, True], ids=["croissant", "decroissant"])
@pytest.mark.parametrize("cle", list(CleDeTri), ids=lambda c: c.value)
def test_chaque_tri_dans_les_deux_sens(
    lecteur: UnitOfWork, jeu: dict[str, Memoire], cle: CleDeTri, descendant: bool
) -> None:
    tri = Tri(cle, descendant)
    criteres = CriteresMemoire(filtres=FiltresMemoire())
    with lecteur as uow:
        ordre = [r.id for r in uow.requetes.tous(criteres, tri)]
        page = uow.requetes.rechercher(criteres, tri, Pagination(par_page=500))
    assert [r.id for r in page.elements] == ordre
    resumes = [ResumeMemoire.depuis(m) for m in jeu.values()]
    assert ordre == _ordre_de_reference(resumes, tri)
    attendus = ORDRES_DECROISSANTS if descendant else ORDRES_CROISSANTS
    if cle in attendus:
        assert ordre == attendus[cle]


def test_tri_par_defaut_date_de_statut_decroissante(lecteur: UnitOfWork) -> None:
    with lecteur as uow:
        ordre = [r.id for r in uow.requetes.tous(CriteresMemoire(FiltresMemoire()), Tri())]
    assert ordre == list(reversed(ORDRES_CROISSANTS[CleDeTri.DATE_STATUT]))


@pytest.mark.parametrize("descendant", [False, True], ids=["croissant", "decroissant"])
@pytest.mark.parametrize("cle", list(CleDeTri), ids=lambda c: c.value)
def test_pagination_decoupe_le_meme_ordre(
    lecteur: UnitOfWork, cle: CleDeTri, descendant: bool
) -> None:
    tri = Tri(cle, descendant)
    criteres = CriteresMemoire(filtres=FiltresMemoire())
    with lecteur as uow:
        tous = [r.id for r in uow.requetes.tous(criteres, tri)]
        pages = [uow.requetes.rechercher(criteres, tri, Pagination(n, 3)) for n in (1, 2, 3, 4)]
    assert [len(p.elements) for p in pages] == [3, 3, 1, 0]
    assert [(p.total, p.page, p.par_page) for p in pages] == [(7, n, 3) for n in (1, 2, 3, 4)]
    assert [r.id for p in pages for r in p.elements] == tous


def test_une_page_au_dela_de_la_fin_est_vide_avec_le_bon_total(lecteur: UnitOfWork) -> None:
    criteres = CriteresMemoire(filtres=FiltresMemoire(structure_id=S1))
    with lecteur as uow:
        loin = uow.requetes.rechercher(criteres, Tri(), Pagination(page=99, par_page=2))
        derniere = uow.requetes.rechercher(criteres, Tri(), Pagination(page=2, par_page=2))
        vide = uow.requetes.rechercher(
            CriteresMemoire(filtres=FiltresMemoire(numero="MJ00000000099")), Tri(), Pagination()
        )
    assert (loin.elements, loin.total, loin.page, loin.par_page) == ((), 4, 99, 2)
    assert (len(derniere.elements), derniere.total) == (2, 4)
    assert (vide.elements, vide.total) == ((), 0)


def test_compter_par_statut_par_structure(lecteur: UnitOfWork) -> None:
    S = StatutMemoire  # noqa: N806
    with lecteur as uow:
        deux = uow.requetes.compter_par_statut(Perimetre(structures=frozenset({S1, S2, "s-3"})))
        service = uow.requetes.compter_par_statut(Perimetre(services=frozenset({(S1, SVC_A)})))
        mixte = uow.requetes.compter_par_statut(
            Perimetre(structures=frozenset({S2}), services=frozenset({(S1, SVC_B)}))
        )
        rien = uow.requetes.compter_par_statut(Perimetre())

    def sans_vides(
        comptes: dict[str, dict[StatutMemoire, int]],
    ) -> dict[str, dict[StatutMemoire, int]]:
        """A structure without mémoires may be absent or map to no status."""
        return {structure: par_statut for structure, par_statut in comptes.items() if par_statut}

    assert sans_vides(deux) == {
        S1: {S.BROUILLON: 2, S.ENVOYE: 1, S.CERTIFIE: 1},
        S2: {S.BROUILLON: 1, S.MIS_EN_PAIEMENT: 1, S.REFUSE: 1},
    }
    assert sans_vides(service) == {S1: {S.BROUILLON: 1, S.ENVOYE: 1}}
    assert sans_vides(mixte) == {
        S1: {S.CERTIFIE: 1},
        S2: {S.BROUILLON: 1, S.MIS_EN_PAIEMENT: 1, S.REFUSE: 1},
    }
    assert sans_vides(rien) == {}


def test_les_requetes_suivent_les_changements_commis(
    magasin: Magasin, jeu: dict[str, Memoire]
) -> None:
    """A change (status, deletion) shows in searches and counts once committed, and a
    rolled-back one never does."""
    with magasin.rouvrir() as uow:
        uow.memoires.enregistrer(
            traiter(jeu["m-2"], ActionTraitement.MISE_A_DISPOSITION, T0 - 3 * J)
        )
        uow.memoires.supprimer("m-5")
        uow.commit()
    with magasin.rouvrir() as uow:
        uow.memoires.supprimer("m-7")
    lecteur = magasin.rouvrir()
    assert _ids(lecteur, FiltresMemoire(statuts=frozenset({StatutMemoire.ENVOYE}))) == set()
    assert _ids(lecteur, FiltresMemoire(statuts=frozenset({StatutMemoire.MIS_A_DISPOSITION}))) == {
        "m-2"
    }
    assert _ids(lecteur, FiltresMemoire(structure_id=S1)) == {"m-2", "m-4", "m-7"}
    with lecteur as uow:
        comptes = uow.requetes.compter_par_statut(Perimetre(structures=frozenset({S1})))
    assert comptes[S1] == {
        StatutMemoire.BROUILLON: 1,
        StatutMemoire.MIS_A_DISPOSITION: 1,
        StatutMemoire.CERTIFIE: 1,
    }
