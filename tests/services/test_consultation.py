"""The prestataire's read use cases: search (criteria, pages, sorting, visibility), synthèse,
tableau de bord, liste fiscale, and the public check of a certificate's empreinte."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chorus.domain.errors import NonTrouve, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import CleDeTri, FiltresMemoire, Pagination, ResumeMemoire, Tri
from chorus.services.consultation import ListeFiscale
from tests.monde import MAINTENANT, Monde, saisie_ligne

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


Jeu = dict[str, Memoire]
J14, J15, J16, J17 = (date(2024, 6, day) for day in (14, 15, 16, 17))


def deposer(
    monde: Monde,
    *,
    affaire: str,
    quantite: str = "1",
    tarif: str = "150.00",
    acteur: Utilisateur | None = None,
    envoyer: bool = True,
    **entete: Any,
) -> Memoire:
    qui = acteur or monde.gestionnaire
    m = monde.chorus.memoires
    memoire = m.creer(qui.id, monde.entete(**entete))
    memoire = m.ajouter_ligne(
        qui.id,
        memoire.id,
        saisie_ligne(
            numero_affaire=affaire,
            quantite=quantite,
            tarif_ht=tarif,
            date_prestation=monde.horloge.aujourdhui() - timedelta(days=10),
        ),
    )
    if envoyer:
        memoire = m.envoyer(qui.id, memoire.id, attestation_sur_honneur=True)
    return memoire


@pytest.fixture
def jeu(monde: Monde) -> Jeu:
    """The cabinet's four mémoires and one of the other structure, at distinct instants:

    ========== ======= ========= ========= ============== ========== ========== ==========
    label      service juridict. texte     catégorie      affaire    dépôt      statut (date)
    ========== ======= ========= ========= ============== ========== ========== ==========
    brouillon  —       TJ-69123  A.43-6    PSYCHIATRE     AFF-BROU   —          BROUILLON 14
    psy        PSY     TJ-69123  R.122     EXPERT_MEDICAL AFF-PSY    06-14      ENVOYE 14
    med        MED     TJ-75056  A.43-6    PSYCHIATRE     AFF-MED    06-15      ENVOYE 15
    refuse     —       TJ-69123  A.43-6    PSYCHIATRE     AFF-REFUSE 06-16      REFUSE 17
    etranger   (autre structure, same affaire and texte as psy)      06-17      ENVOYE 17
    ========== ======= ========= ========= ============== ========== ========== ==========

    Net à payer: med 105.50 < brouillon 158.25 < psy 316.50 < refuse 474.75.
    """
    heure = timedelta(hours=1)
    jour = timedelta(days=1)
    j: Jeu = {}
    j["brouillon"] = deposer(monde, affaire="AFF-BROU", envoyer=False)
    monde.horloge.avancer(heure)
    j["psy"] = deposer(
        monde,
        affaire="AFF-PSY",
        quantite="2",
        service_id=monde.psy_id,
        texte_reference="R.122",
        categorie_prestataire="EXPERT_MEDICAL",
        numero_engagement_juridique="EJ-2024-001",
    )
    monde.horloge.avancer(jour)
    j["med"] = deposer(
        monde,
        affaire="AFF-MED",
        tarif="100.00",
        service_id=monde.med_id,
        juridiction_code="TJ-75056",
    )
    monde.horloge.avancer(jour)
    refuse = deposer(monde, affaire="AFF-REFUSE", quantite="3")
    refuse = monde.evenement(refuse, ActionTraitement.MISE_A_DISPOSITION)
    monde.horloge.avancer(jour)
    j["refuse"] = monde.evenement(refuse, ActionTraitement.REFUS)
    j["etranger"] = deposer(
        monde,
        affaire="AFF-PSY",
        acteur=monde.etranger,
        structure_id=monde.autre_structure.id,
        coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id,
        texte_reference="R.122",
        categorie_prestataire="EXPERT_MEDICAL",
    )
    return j


def chercher(
    monde: Monde,
    filtres: FiltresMemoire,
    qui: Utilisateur | None = None,
    tri: Tri | None = None,
    pagination: Pagination | None = None,
) -> list[ResumeMemoire]:
    page = monde.chorus.consultation.rechercher(
        (qui or monde.gestionnaire).id, filtres, tri or Tri(), pagination or Pagination(1, 500)
    )
    assert page.total == len(page.elements)
    return list(page.elements)


def labels(jeu: Jeu, resumes: list[ResumeMemoire]) -> list[str]:
    par_id = {m.id: label for label, m in jeu.items()}
    return [par_id[r.id] for r in resumes]


def test_le_jeu_est_celui_annonce(monde: Monde, jeu: Jeu) -> None:
    assert [jeu[x].statut for x in ("brouillon", "psy", "med", "refuse")] == [
        StatutMemoire.BROUILLON,
        StatutMemoire.ENVOYE,
        StatutMemoire.ENVOYE,
        StatutMemoire.REFUSE,
    ]
    assert [jeu[x].totaux.net_a_payer for x in ("med", "brouillon", "psy", "refuse")] == [
        Decimal(v) for v in ("105.50", "158.25", "316.50", "474.75")
    ]


# -- criteria ----------------------------------------------------------------------------

Critere = Callable[[Monde, Jeu], FiltresMemoire]
F = FiltresMemoire
TOUS = {"brouillon", "psy", "med", "refuse"}

CRITERES: list[tuple[str, Critere, set[str]]] = [
    ("aucun", lambda m, j: F(), TOUS),
    ("numero-definitif", lambda m, j: F(numero=j["psy"].numero), {"psy"}),
    ("numero-tmp-d-un-envoye", lambda m, j: F(numero=j["psy"].numero_brouillon), {"psy"}),
    ("numero-tmp-d-un-brouillon", lambda m, j: F(numero=j["brouillon"].numero), {"brouillon"}),
    ("numero-minuscules-espaces", lambda m, j: F(numero=f"  {j['med'].numero.lower()} "), {"med"}),
    ("numero-autre-structure", lambda m, j: F(numero=j["etranger"].numero), set()),
    ("numero-inconnu", lambda m, j: F(numero="MJ99999999999"), set()),
    ("structure", lambda m, j: F(structure_id=m.structure.id), TOUS),
    ("structure-autre", lambda m, j: F(structure_id=m.autre_structure.id), set()),
    ("service-PSY", lambda m, j: F(service_id=m.psy_id), {"psy"}),
    ("service-MED", lambda m, j: F(service_id=m.med_id), {"med"}),
    ("juridiction-Paris", lambda m, j: F(juridiction_code="TJ-75056"), {"med"}),
    ("juridiction-Lyon", lambda m, j: F(juridiction_code="TJ-69123"),
     {"brouillon", "psy", "refuse"}),
    ("engagement-juridique", lambda m, j: F(numero_engagement_juridique="EJ-2024-001"), {"psy"}),
    ("categorie-EXPERT_MEDICAL", lambda m, j: F(categorie_prestataire="EXPERT_MEDICAL"), {"psy"}),
    ("categorie-PSYCHIATRE", lambda m, j: F(categorie_prestataire="PSYCHIATRE"),
     {"brouillon", "med", "refuse"}),
    ("texte-R.122", lambda m, j: F(texte_reference="R.122"), {"psy"}),
    ("texte-A.43-6", lambda m, j: F(texte_reference="A.43-6"), {"brouillon", "med", "refuse"}),
    ("affaire", lambda m, j: F(numero_affaire="AFF-PSY"), {"psy"}),
    ("affaire-d-un-brouillon", lambda m, j: F(numero_affaire="AFF-BROU"), {"brouillon"}),
    ("affaire-inconnue", lambda m, j: F(numero_affaire="AFF-INCONNUE"), set()),
    ("statut-BROUILLON", lambda m, j: F(statuts=frozenset({StatutMemoire.BROUILLON})),
     {"brouillon"}),
    ("statut-ENVOYE", lambda m, j: F(statuts=frozenset({StatutMemoire.ENVOYE})), {"psy", "med"}),
    ("statuts-REFUSE-BROUILLON",
     lambda m, j: F(statuts=frozenset({StatutMemoire.REFUSE, StatutMemoire.BROUILLON})),
     {"refuse", "brouillon"}),
    ("statut-MIS_EN_PAIEMENT", lambda m, j: F(statuts=frozenset({StatutMemoire.MIS_EN_PAIEMENT})),
     set()),
    ("statuts-tous", lambda m, j: F(statuts=frozenset(StatutMemoire)), TOUS),
    ("depot-du", lambda m, j: F(date_depot_du=J15), {"med", "refuse"}),
    ("depot-au", lambda m, j: F(date_depot_au=J14), {"psy"}),
    ("depot-du-au-meme-jour", lambda m, j: F(date_depot_du=J15, date_depot_au=J15), {"med"}),
    ("depot-du-au-periode", lambda m, j: F(date_depot_du=J14, date_depot_au=J17),
     {"psy", "med", "refuse"}),
    ("statut-date-du", lambda m, j: F(date_statut_du=J17), {"refuse"}),
    ("statut-date-au", lambda m, j: F(date_statut_au=J14), {"brouillon", "psy"}),
    ("statut-date-du-au", lambda m, j: F(date_statut_du=J15, date_statut_au=J16), {"med"}),
    ("combines", lambda m, j: F(juridiction_code="TJ-69123",
                                statuts=frozenset({StatutMemoire.ENVOYE})), {"psy"}),
    ("combines-incompatibles", lambda m, j: F(service_id=m.psy_id, juridiction_code="TJ-75056"),
     set()),
]  # fmt: skip


@pytest.mark.parametrize(("critere", "attendus"), [
    pytest.param(c, a, id=n) for n, c, a in CRITERES
])  # fmt: skip
def test_rechercher_par_critere(
    monde: Monde, jeu: Jeu, critere: Critere, attendus: set[str]
) -> None:
    trouves = labels(jeu, chercher(monde, critere(monde, jeu)))
    assert sorted(trouves) == sorted(attendus)


def test_le_resume_reprend_le_memoire(monde: Monde, jeu: Jeu) -> None:
    (resume,) = chercher(monde, F(numero=jeu["psy"].numero))
    psy = jeu["psy"]
    assert resume == ResumeMemoire.depuis(psy)
    assert resume.numero_brouillon == psy.numero_brouillon
    assert resume.date_depot == MAINTENANT + timedelta(hours=1)
    assert resume.numeros_affaire == ("AFF-PSY",)


def test_date_de_fin_avant_le_debut(monde: Monde) -> None:
    with pytest.raises(ValidationError) as refus:
        F(date_depot_du=J15, date_depot_au=J14)
    assert refus.value.champ == "date_depot_au"
    with pytest.raises(ValidationError) as refus:
        F(date_statut_du=J15, date_statut_au=J14)
    assert refus.value.champ == "date_statut_au"


def test_service_psy_ne_voit_que_psy(monde: Monde, jeu: Jeu) -> None:
    psy = monde.service_psy
    assert labels(jeu, chercher(monde, F(), psy)) == ["psy"]
    assert labels(jeu, chercher(monde, F(structure_id=monde.structure.id), psy)) == ["psy"]
    assert chercher(monde, F(service_id=monde.med_id), psy) == []
    assert chercher(monde, F(numero=jeu["med"].numero), psy) == []
    assert chercher(monde, F(numero=jeu["brouillon"].numero), psy) == []


def test_les_memoires_d_une_autre_structure_ne_sortent_jamais(monde: Monde, jeu: Jeu) -> None:
    etranger = jeu["etranger"]
    for qui in (monde.gestionnaire, monde.modificateur, monde.consultant, monde.service_psy):
        for filtres in (
            F(),
            F(numero=etranger.numero),
            F(structure_id=monde.autre_structure.id),
            F(numero_affaire="AFF-PSY"),
            F(statuts=frozenset(StatutMemoire)),
        ):
            assert etranger.id not in {r.id for r in chercher(monde, filtres, qui)}
    assert labels(jeu, chercher(monde, F(), monde.etranger)) == ["etranger"]
    assert chercher(monde, F(), monde.sans_habilitation) == []


# -- pages and order -------------------------------------------------------------------------


def test_pagination(monde: Monde, jeu: Jeu) -> None:
    c = monde.chorus.consultation
    tri = Tri(CleDeTri.DATE_CREATION, descendant=False)
    g = monde.gestionnaire.id
    page1 = c.rechercher(g, F(), tri, Pagination(1, 3))
    page2 = c.rechercher(g, F(), tri, Pagination(2, 3))
    page3 = c.rechercher(g, F(), tri, Pagination(3, 3))
    assert (page1.total, page2.total, page3.total) == (4, 4, 4)
    assert (page1.page, page2.page, page1.par_page) == (1, 2, 3)
    assert labels(jeu, list(page1.elements)) == ["brouillon", "psy", "med"]
    assert labels(jeu, list(page2.elements)) == ["refuse"]
    assert page3.elements == ()


@pytest.mark.parametrize(
    ("page", "par_page", "champ"),
    [(0, 10, "page"), (1, 0, "par_page"), (1, 501, "par_page")],
)
def test_pagination_bornee(page: int, par_page: int, champ: str) -> None:
    with pytest.raises(ValidationError) as refus:
        Pagination(page, par_page)
    assert refus.value.champ == champ


ORDRES_CROISSANTS: dict[CleDeTri, list[str]] = {
    CleDeTri.NUMERO: ["psy", "med", "refuse", "brouillon"],  # MJ… before TMP…
    CleDeTri.DATE_CREATION: ["brouillon", "psy", "med", "refuse"],
    CleDeTri.DATE_STATUT: ["brouillon", "psy", "med", "refuse"],
    CleDeTri.MONTANT_TTC: ["med", "brouillon", "psy", "refuse"],
}

VALEUR: dict[CleDeTri, Callable[[ResumeMemoire], Any]] = {
    CleDeTri.NUMERO: lambda r: r.numero,
    CleDeTri.DATE_CREATION: lambda r: r.date_creation,
    CleDeTri.DATE_DEPOT: lambda r: r.date_depot,
    CleDeTri.DATE_STATUT: lambda r: r.date_statut,
    CleDeTri.MONTANT_TTC: lambda r: r.montant_ttc,
    CleDeTri.NET_A_PAYER: lambda r: r.net_a_payer,
    CleDeTri.JURIDICTION: lambda r: r.juridiction_code,
    CleDeTri.STATUT: lambda r: r.statut.value,
}


@pytest.mark.parametrize("descendant", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("cle", list(CleDeTri), ids=lambda c: c.value)
def test_tri(monde: Monde, jeu: Jeu, cle: CleDeTri, descendant: bool) -> None:
    resultats = chercher(monde, F(), tri=Tri(cle, descendant))
    assert sorted(labels(jeu, resultats)) == sorted(TOUS)
    valeurs = [VALEUR[cle](r) for r in resultats]
    presentes = [v for v in valeurs if v is not None]
    assert presentes == sorted(presentes, reverse=descendant)
    # rows without a value come last, in either direction
    assert valeurs[len(presentes) :] == [None] * (len(valeurs) - len(presentes))
    if cle in ORDRES_CROISSANTS:
        attendu = ORDRES_CROISSANTS[cle]
        assert labels(jeu, resultats) == (attendu[::-1] if descendant else attendu)


@pytest.mark.parametrize(
    ("descendant", "attendu"),
    [
        (False, ["psy", "med", "refuse", "brouillon"]),
        (True, ["refuse", "med", "psy", "brouillon"]),
    ],
    ids=["asc", "desc"],
)
def test_tri_par_date_de_depot_brouillons_en_dernier(
    monde: Monde, jeu: Jeu, descendant: bool, attendu: list[str]
) -> None:
    resultats = chercher(monde, F(), tri=Tri(CleDeTri.DATE_DEPOT, descendant))
    assert labels(jeu, resultats) == attendu


def test_tri_par_defaut_date_de_statut_decroissante(monde: Monde, jeu: Jeu) -> None:
    assert Tri.depuis(None) == Tri() == Tri(CleDeTri.DATE_STATUT, descendant=True)
    assert labels(jeu, chercher(monde, F())) == ["refuse", "med", "psy", "brouillon"]


def test_tri_depuis_la_notation_de_l_api() -> None:
    assert Tri.depuis("-date_depot") == Tri(CleDeTri.DATE_DEPOT, descendant=True)
    assert Tri.depuis("montant_ttc") == Tri(CleDeTri.MONTANT_TTC, descendant=False)
    with pytest.raises(ValidationError) as refus:
        Tri.depuis("-couleur")
    assert refus.value.champ == "tri"


# -- synthèse and tableau de bord ------------------------------------------------------------


def test_synthese(monde: Monde, jeu: Jeu) -> None:
    suspendu = monde.suspendu()
    synthese = monde.chorus.consultation.synthese(monde.gestionnaire.id)
    assert list(synthese) == [StatutMemoire.BROUILLON, StatutMemoire.SUSPENDU, StatutMemoire.REFUSE]
    assert [r.id for r in synthese[StatutMemoire.BROUILLON].elements] == [jeu["brouillon"].id]
    assert [r.id for r in synthese[StatutMemoire.SUSPENDU].elements] == [suspendu.id]
    assert [r.id for r in synthese[StatutMemoire.REFUSE].elements] == [jeu["refuse"].id]
    for statut, page in synthese.items():
        assert all(r.statut is statut for r in page.elements)


def test_synthese_limitee_par_statut(monde: Monde, jeu: Jeu) -> None:
    monde.horloge.avancer(timedelta(hours=1))
    recent = monde.brouillon()
    synthese = monde.chorus.consultation.synthese(monde.gestionnaire.id, par_statut=1)
    brouillons = synthese[StatutMemoire.BROUILLON]
    assert brouillons.total == 2
    assert [r.id for r in brouillons.elements] == [recent.id]  # the most recent first


def test_tableau_de_bord(monde: Monde, jeu: Jeu) -> None:
    c = monde.chorus.consultation
    (ligne,) = c.tableau_de_bord(monde.gestionnaire.id)
    assert (ligne.structure_id, ligne.raison_sociale) == (monde.structure.id, "Cabinet Durand")
    assert set(ligne.compteurs) == set(StatutMemoire)
    attendu = dict.fromkeys(StatutMemoire, 0)
    attendu.update({StatutMemoire.BROUILLON: 1, StatutMemoire.ENVOYE: 2, StatutMemoire.REFUSE: 1})
    assert ligne.compteurs == attendu
    (ligne_psy,) = c.tableau_de_bord(monde.service_psy.id)
    assert ligne_psy.compteurs == {s: int(s is StatutMemoire.ENVOYE) for s in StatutMemoire}
    (ligne_autre,) = c.tableau_de_bord(monde.etranger.id)
    assert ligne_autre.structure_id == monde.autre_structure.id
    assert ligne_autre.compteurs == {s: int(s is StatutMemoire.ENVOYE) for s in StatutMemoire}
    assert c.tableau_de_bord(monde.sans_habilitation.id) == []


def test_tableau_de_bord_vide_tout_a_zero(monde: Monde) -> None:
    (ligne,) = monde.chorus.consultation.tableau_de_bord(monde.consultant.id)
    assert ligne.compteurs == dict.fromkeys(StatutMemoire, 0)


# -- liste fiscale -----------------------------------------------------------------------


def payer(
    monde: Monde,
    memoire: Memoire,
    reference: str,
    *,
    quand: datetime | None = None,
    montant: str | None = None,
) -> Memoire:
    return monde.chorus.traitement.appliquer_evenement(
        monde.comptable.id,
        memoire.id,
        EvenementTraitement.creer(
            action=ActionTraitement.MISE_EN_PAIEMENT,
            reference=reference,
            date_evenement=quand or monde.horloge.maintenant(),
            montant_paye=montant,
        ),
    )


@pytest.fixture
def paiements(monde: Monde) -> Jeu:
    """p1 paid on 06-14; p2 paid 90.00 on 06-25 but recorded on 07-02; p3 paid on 08-01;
    a certified one not paid, and a paid one of the other structure."""
    evt = monde.evenement
    mad, cert = ActionTraitement.MISE_A_DISPOSITION, ActionTraitement.CERTIFICATION
    p: Jeu = {}
    p["p1"] = monde.paye()
    p["certifie"] = evt(evt(monde.envoye(), mad), cert)
    autre = deposer(
        monde,
        affaire="AFF-AUTRE",
        acteur=monde.etranger,
        structure_id=monde.autre_structure.id,
        coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id,
    )
    p["autre"] = evt(evt(evt(autre, mad), cert), ActionTraitement.MISE_EN_PAIEMENT)
    monde.horloge.regler(datetime(2024, 6, 20, 10, 0, tzinfo=UTC))
    p2 = evt(evt(deposer(monde, affaire="AFF-P2", quantite="2"), mad), cert, montant="100.00")
    monde.horloge.regler(datetime(2024, 7, 2, 10, 0, tzinfo=UTC))
    p["p2"] = payer(
        monde, p2, "PAY-P2", quand=datetime(2024, 6, 25, 8, 0, tzinfo=UTC), montant="90.00"
    )
    monde.horloge.regler(datetime(2024, 8, 1, 10, 0, tzinfo=UTC))
    p["p3"] = evt(
        evt(evt(deposer(monde, affaire="AFF-P3"), mad), cert), ActionTraitement.MISE_EN_PAIEMENT
    )
    return p


def liste(monde: Monde, du: date, au: date) -> ListeFiscale:
    return monde.chorus.consultation.liste_fiscale(
        monde.gestionnaire.id, monde.structure.id, du, au
    )


@pytest.mark.parametrize(
    ("du", "au", "attendus"),
    [
        pytest.param(date(2024, 6, 14), date(2024, 6, 14), ["p1"], id="un-jour"),
        pytest.param(date(2024, 6, 14), date(2024, 6, 30), ["p1"], id="juin-date-de-maj"),
        pytest.param(date(2024, 6, 15), date(2024, 7, 1), [], id="avant-la-maj-de-p2"),
        pytest.param(date(2024, 7, 2), date(2024, 7, 2), ["p2"], id="jour-de-la-maj-de-p2"),
        pytest.param(date(2024, 6, 1), date(2024, 8, 31), ["p1", "p2", "p3"], id="ete"),
        pytest.param(date(2024, 6, 15), date(2025, 6, 14), ["p2", "p3"], id="un-an-exactement"),
        pytest.param(date(2023, 6, 14), date(2024, 6, 13), [], id="l-an-passe"),
    ],
)
def test_liste_fiscale_par_date_de_mise_a_jour(
    monde: Monde, paiements: Jeu, du: date, au: date, attendus: list[str]
) -> None:
    resultat = liste(monde, du, au)
    par_numero = {m.numero: label for label, m in paiements.items()}
    assert [par_numero[ligne.numero] for ligne in resultat.lignes] == attendus
    assert resultat.totaux.nombre == len(attendus)
    assert (resultat.periode.du, resultat.periode.au) == (du, au)


def test_liste_fiscale_colonnes_et_totaux(monde: Monde, paiements: Jeu) -> None:
    resultat = liste(monde, date(2024, 6, 1), date(2024, 7, 31))
    p1, p2 = resultat.lignes
    assert p1.numero == paiements["p1"].numero
    assert p1.date_depot == date(2024, 6, 14)
    assert p1.juridiction_code == "TJ-69123"
    assert (p1.montant_ht, p1.montant_tva, p1.montant_ttc) == (
        Decimal("150.00"),
        Decimal("8.25"),
        Decimal("158.25"),
    )
    assert (p1.date_mise_en_paiement, p1.montant_paye) == (date(2024, 6, 14), Decimal("158.25"))
    assert p2.date_depot == date(2024, 6, 20)
    assert (p2.montant_ht, p2.montant_tva, p2.montant_ttc) == (
        Decimal("300.00"),
        Decimal("16.50"),
        Decimal("316.50"),
    )
    # the column shows the date of the payment itself, the selection the date it was recorded
    assert (p2.date_mise_en_paiement, p2.montant_paye) == (date(2024, 6, 25), Decimal("90.00"))
    totaux = resultat.totaux
    assert (totaux.montant_ht, totaux.montant_tva, totaux.montant_ttc, totaux.montant_paye) == (
        Decimal("450.00"),
        Decimal("24.75"),
        Decimal("474.75"),
        Decimal("248.25"),
    )
    assert totaux.nombre == 2
    assert resultat.structure.id == monde.structure.id


def test_liste_fiscale_par_pages_avec_les_totaux_de_toute_la_periode(
    monde: Monde, paiements: Jeu
) -> None:
    complete = liste(monde, date(2024, 6, 1), date(2024, 8, 31))
    pages = [
        monde.chorus.consultation.liste_fiscale(
            monde.gestionnaire.id,
            monde.structure.id,
            date(2024, 6, 1),
            date(2024, 8, 31),
            Pagination(page, 2),
        )
        for page in (1, 2, 3)
    ]
    assert [len(p.lignes) for p in pages] == [2, 1, 0]
    assert tuple(ligne for p in pages for ligne in p.lignes) == complete.lignes
    assert all(p.totaux == complete.totaux for p in pages)
    assert complete.totaux.nombre == 3
    assert str(complete.totaux.montant_paye) == str(
        sum((ligne.montant_paye for ligne in complete.lignes), Decimal("0.00"))
    )


@pytest.mark.parametrize(
    ("du", "au"),
    [
        pytest.param(date(2024, 1, 1), date(2025, 1, 1), id="un-an-et-un-jour"),
        pytest.param(date(2024, 2, 29), date(2025, 2, 28), id="29-fevrier-plus-un-an-et-un-jour"),
        pytest.param(date(2024, 6, 14), date(2024, 6, 13), id="fin-avant-debut"),
    ],
)
def test_liste_fiscale_periode_refusee(monde: Monde, du: date, au: date) -> None:
    with pytest.raises(ValidationError) as refus:
        liste(monde, du, au)
    assert refus.value.champ == "au"


def test_liste_fiscale_un_an_accepte(monde: Monde) -> None:
    assert liste(monde, date(2024, 1, 1), date(2024, 12, 31)).lignes == ()
    assert liste(monde, date(2024, 2, 29), date(2025, 2, 27)).lignes == ()


# -- certificate check -------------------------------------------------------------------


def test_verifier_empreinte(monde: Monde) -> None:
    envoye = monde.envoye()
    certificat = envoye.certificat
    assert certificat is not None
    c = monde.chorus.consultation
    assert c.verifier_empreinte(certificat.empreinte) == certificat
    assert c.verifier_empreinte(f"  {certificat.empreinte}\n") == certificat
    # still the same certificate once the mémoire has moved on
    monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION)
    assert c.verifier_empreinte(certificat.empreinte) == certificat


@pytest.mark.parametrize("empreinte", ["A" * 43 + "=", "", "pas une empreinte"])
def test_verifier_empreinte_inconnue(monde: Monde, empreinte: str) -> None:
    monde.envoye()
    monde.brouillon()
    with pytest.raises(NonTrouve) as refus:
        monde.chorus.consultation.verifier_empreinte(empreinte)
    assert refus.value.champ == "empreinte"


def test_liste_fiscale_avec_remise_reste_coherente(monde: Monde) -> None:
    memoire = monde.brouillon(remise_globale_ttc="8.25")
    g = monde.gestionnaire.id
    envoye = monde.chorus.memoires.envoyer(g, memoire.id, attestation_sur_honneur=True)
    for action in (
        ActionTraitement.MISE_A_DISPOSITION,
        ActionTraitement.CERTIFICATION,
        ActionTraitement.MISE_EN_PAIEMENT,
    ):
        envoye = monde.evenement(envoye, action)
    liste = monde.chorus.consultation.liste_fiscale(
        g, monde.structure.id, date(2024, 1, 1), date(2024, 12, 31)
    )
    (ligne,) = liste.lignes
    assert ligne.montant_ht + ligne.montant_tva == ligne.montant_ttc
    assert (str(ligne.montant_ttc), str(ligne.remise_globale_ttc)) == ("158.25", "8.25")
    assert str(ligne.net_a_payer) == "150.00"
    assert ligne.montant_paye == ligne.net_a_payer
    assert liste.totaux.net_a_payer == ligne.net_a_payer
