"""The public TIC/TICGN lookups and the rates applied to lines, through the API.

Every cell of the DESIGN §3.5 rate table is read back from ``GET /tic/taux``; the boundary
of GPL (taxable from 1 April 2018 only) and the rates not published (fioul lourd 2024) are
refused both on the lookup (404 « taux non publié ») and on a line (422). The eligibility
of a siège social follows the campaign's départements (DESIGN §3.5).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from litestar.testing import TestClient

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.storage.memory import BlobsEnMemoire, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.adapters.web import ReglagesWeb, creer_app
from chorus.bootstrap import assembler
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import RenduSommaire
from tests.web import aides
from tests.web.aides_tic import FL, GNC, GNR, GNV, GPL, Ferme, corps_ligne, monter_ferme
from tests.web.conftest import BASE_URL, MAINTENANT, Banc, services_web

Client = aides.Client


@pytest.fixture(scope="module")
def publique() -> Iterator[Client]:
    """One API for the module's read-only lookups (rates, eligibility, référentiels): building
    the app for each of these 150 cases would cost more than the cases themselves."""
    horloge = HorlogeFixe(MAINTENANT)
    chorus = assembler(
        Ports(
            uow=UniteDeTravailEnMemoire(),
            clock=horloge,
            ids=IdsSequentiels(),
            blobs=BlobsEnMemoire(),
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=RenduSommaire(),
        ),
        reglages=ReglagesComptes(captcha_actif=False),
        hacheur=HacheurArgon2id(memoire_kib=64, passes=1),
    )
    app = creer_app(services_web(chorus), ReglagesWeb(captcha_desactive=True))
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


# -- the rate table of DESIGN §3.5, by year of delivery -----------------------------------

NON_PUBLIE = None

_GNR: dict[int, str | None] = {
    2012: "5.00",
    2013: "5.00",
    2014: "5.00",
    2015: "6.98",
    2016: "8.97",
    2017: "11.23",
}
_GNR |= dict.fromkeys(range(2018, 2024), "14.96") | {2024: "20.95"}
_FL: dict[int, str | None] = {
    2012: "1.665",
    2013: "1.665",
    2014: "2.005",
    2015: "4.345",
    2016: "6.695",
    2017: "9.355",
}
_FL |= dict.fromkeys(range(2018, 2024), "13.765") | {2024: NON_PUBLIE}
_GN_COMMUN: dict[int, str | None] = {
    2012: "1.071",
    2013: "1.071",
    2014: "1.151",
    2015: "2.521",
    2016: "4.221",
}
_GN_COMMUN |= {2017: "5.761", 2018: "8.331", 2019: "8.331"}
_GNC = _GN_COMMUN | {2020: "7.91", 2021: "7.89", 2022: "7.87", 2023: "7.83", 2024: NON_PUBLIE}
_GNV = _GN_COMMUN | dict.fromkeys(range(2020, 2024), "4.69") | {2024: NON_PUBLIE}
_GPL = dict.fromkeys(range(2012, 2018), NON_PUBLIE) | dict.fromkeys(range(2018, 2024), "5.72")
_GPL |= {2024: NON_PUBLIE}

TABLE: dict[str, dict[int, str | None]] = {GNR: _GNR, FL: _FL, GNC: _GNC, GNV: _GNV, GPL: _GPL}
UNITES = {
    GNR: ("€/hl", "l"),
    FL: ("€/100 kg", "kg"),
    GNC: ("€/MWh", "kWh"),
    GNV: ("€/MWh", "kWh"),
    GPL: ("€/100 kg", "kg"),
}
CELLULES = [
    pytest.param(produit, annee, taux, id=f"{produit}-{annee}")
    for produit, annees in TABLE.items()
    for annee, taux in annees.items()
]


def test_la_table_couvre_chaque_annee_de_2012_a_2024() -> None:
    assert len(CELLULES) == 5 * 13
    assert all(sorted(annees) == list(range(2012, 2025)) for annees in TABLE.values())


@pytest.mark.parametrize(("produit", "annee", "taux"), CELLULES)
def test_chaque_cellule_du_bareme(
    publique: Client, produit: str, annee: int, taux: str | None
) -> None:
    reponse = publique.get("/tic/taux", params={"annee": annee, "produit": produit})

    if taux is NON_PUBLIE:
        corps = aides.exiger_probleme(reponse, 404)
        assert "taux non publié" in corps["detail"].lower()
        return
    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    assert Decimal(corps["taux"]) == Decimal(taux)
    assert (corps["annee"], corps["produit"]) == (annee, produit)
    assert (corps["unite"], corps["unite_quantite"]) == UNITES[produit]
    assert corps["reference"]
    # The rate of a year is in force on the year's last day.
    assert date.fromisoformat(corps["valable_du"]) <= date(annee, 12, 31)
    fin = corps["valable_au"]
    assert fin is None or date.fromisoformat(fin) >= date(annee, 12, 31)


def test_un_taux_stable_toute_l_annee_ne_liste_pas_de_periodes(publique: Client) -> None:
    corps = publique.get("/tic/taux", params={"annee": 2019, "produit": GNR}).json()

    assert "periodes" not in corps
    assert (corps["valable_du"], corps["valable_au"]) == ("2019-01-01", "2019-12-31")


def test_le_gpl_2018_ne_vaut_qu_a_partir_du_1er_avril(publique: Client) -> None:
    annee = publique.get("/tic/taux", params={"annee": 2018, "produit": GPL})
    assert annee.status_code == 200, annee.text
    corps = annee.json()
    assert corps["valable_du"] == "2018-04-01"
    assert [(p["taux"], p["valable_du"]) for p in corps["periodes"]] == [("5.72", "2018-04-01")]

    veille = publique.get("/tic/taux", params={"date": "2018-03-31", "produit": GPL})
    assert "taux non publié" in aides.exiger_probleme(veille, 404)["detail"].lower()

    jour = publique.get("/tic/taux", params={"date": "2018-04-01", "produit": GPL})
    assert jour.status_code == 200, jour.text
    assert (jour.json()["taux"], jour.json()["annee"]) == ("5.72", 2018)


def test_date_et_annee_doivent_concorder(publique: Client) -> None:
    reponse = publique.get(
        "/tic/taux", params={"annee": 2019, "date": "2018-05-02", "produit": GPL}
    )
    assert aides.champs_en_erreur(aides.exiger_probleme(reponse, 422)) == ["date"]


@pytest.mark.parametrize(
    ("params", "statut", "champ"),
    [
        ({"annee": "2019", "produit": "ESSENCE"}, 422, "produit"),
        ({"produit": GNR}, 422, "annee"),
        ({"annee": "deux-mille", "produit": GNR}, 400, "annee"),
        ({"annee": "99999", "produit": GNR}, 400, "annee"),
        ({"annee": "2019"}, 400, "produit"),
        ({"date": "2019-02-30", "produit": GNR}, 400, "date"),
    ],
)
def test_une_recherche_de_taux_mal_formee_est_refusee(
    publique: Client, params: dict[str, str], statut: int, champ: str
) -> None:
    corps = aides.exiger_probleme(publique.get("/tic/taux", params=params), statut)
    assert champ in aides.champs_en_erreur(corps) or champ in corps["detail"]


def test_le_produit_inconnu_liste_les_produits(publique: Client) -> None:
    corps = aides.exiger_probleme(
        publique.get("/tic/taux", params={"annee": 2019, "produit": "ESSENCE"}), 422
    )
    assert all(code in corps["detail"] for code in (GNR, FL, GNC, GNV, GPL))


# -- the same rates on lines --------------------------------------------------------------


def _ferme_en(banc: Banc, jour: date) -> Ferme:
    banc.horloge.regler(banc.horloge.maintenant().replace(year=jour.year, month=jour.month))
    return monter_ferme(banc)


def test_1234_56_litres_de_gnr_livres_en_2019_donnent_184_69(banc: Banc) -> None:
    ferme = _ferme_en(banc, date(2021, 6, 1))
    demande = ferme.creer(2019)

    ligne = ferme.ajouter_ligne(demande, date_livraison="2019-09-12", quantite="1234.56")

    assert ligne["montant"] == "184.69"
    assert (ligne["taux"], ligne["unite"], ligne["unite_taux"]) == ("14.96", "l", "€/hl")
    assert ligne["quantite"] == "1234.56"
    assert ferme.lire(demande["id"])["montant_total"] == "184.69"


def test_une_ligne_de_gpl_avant_le_1er_avril_2018_est_refusee(banc: Banc) -> None:
    ferme = _ferme_en(banc, date(2021, 6, 1))
    demande = ferme.creer(2018)
    chemin = f"/tic/demandes/{demande['id']}/lignes"

    veille = ferme.client.post(
        chemin,
        json=corps_ligne(2018, produit=GPL, date_livraison="2018-03-31", quantite="500"),
        headers=ferme.gestionnaire,
    )
    corps = aides.exiger_probleme(veille, 422)
    assert "taux non publié" in corps["detail"].lower()
    assert aides.champs_en_erreur(corps) == ["produit"]
    assert ferme.lire(demande["id"])["lignes"] == []

    jour = ferme.ajouter_ligne(demande, produit=GPL, date_livraison="2018-04-01", quantite="500")
    # 500 kg = 5 × 100 kg at 5.72 €.
    assert (jour["taux"], jour["montant"], jour["unite"]) == ("5.72", "28.60", "kg")


def test_le_fioul_lourd_2024_n_a_pas_de_taux(banc: Banc) -> None:
    ferme = _ferme_en(banc, date(2025, 3, 1))
    lookup = ferme.client.get("/tic/taux", params={"annee": 2024, "produit": FL})
    assert "taux non publié" in aides.exiger_probleme(lookup, 404)["detail"].lower()
    demande = ferme.creer(2024)

    reponse = ferme.client.post(
        f"/tic/demandes/{demande['id']}/lignes",
        json=corps_ligne(2024, produit=FL, date_livraison="2024-05-02", quantite="2000"),
        headers=ferme.gestionnaire,
    )

    corps = aides.exiger_probleme(reponse, 422)
    assert "taux non publié" in corps["detail"].lower()
    assert ferme.lire(demande["id"])["lignes"] == []
    # The GNR of 2024 (bought at the full tariff) has its rate: 20.95 €/hl.
    gnr = ferme.ajouter_ligne(demande, date_livraison="2024-05-02", quantite="2000")
    assert (gnr["taux"], gnr["montant"]) == ("20.95", "419.00")


@pytest.mark.parametrize(
    ("produit", "quantite", "montant"),
    [
        (GNR, "1000", "149.60"),
        (FL, "2500.50", "344.19"),
        (GNC, "125000", "978.75"),
        (GNV, "80000.5", "375.20"),
        (GPL, "1234", "70.58"),
    ],
)
def test_le_montant_convertit_la_quantite_dans_l_unite_du_taux(
    banc: Banc, produit: str, quantite: str, montant: str
) -> None:
    ferme = monter_ferme(banc)
    demande = ferme.creer(2023)

    ligne = ferme.ajouter_ligne(demande, produit=produit, quantite=quantite)

    assert ligne["montant"] == montant
    assert ligne["produit"] == produit
    assert ligne["libelle_produit"]
    assert ligne["reference_taux"]


# -- eligibility --------------------------------------------------------------------------

VINGT = {
    "72": "72000",
    "51": "51100",
    "14": "14000",
    "27": "27000",
    "50": "50000",
    "61": "61000",
    "76": "76000",
    "02": "02100",
    "59": "59000",
    "60": "60000",
    "62": "62000",
    "80": "80000",
    "75": "75001",
    "77": "77000",
    "78": "78000",
    "91": "91000",
    "92": "92100",
    "93": "93100",
    "94": "94000",
    "95": "95000",
}
PILOTES_2015 = ("51", "59", "62", "72", "76", "77", "95")
OUTRE_MER = {"971": "97100", "972": "97200", "973": "97300", "974": "97400", "976": "97600"}


def eligibilite(
    publique: Client, code_postal: str, campagne: int | None = None
) -> dict[str, object]:
    params: dict[str, str | int] = {"code_postal": code_postal}
    if campagne is not None:
        params["campagne"] = campagne
    reponse = publique.get("/tic/eligibilite", params=params)
    assert reponse.status_code == 200, reponse.text
    corps: dict[str, object] = reponse.json()
    return corps


@pytest.mark.parametrize("campagne", [2016, 2017])
@pytest.mark.parametrize(("departement", "code_postal"), sorted(VINGT.items()))
def test_les_vingt_departements_des_campagnes_2016_et_2017(
    publique: Client, campagne: int, departement: str, code_postal: str
) -> None:
    corps = eligibilite(publique, code_postal, campagne)
    assert corps == {
        "eligible": True,
        "departement": departement,
        "motif": None,
        "campagne": campagne,
    }


@pytest.mark.parametrize(
    ("departement", "code_postal"), [("28", "28000"), ("10", "10000"), ("13", "13001")]
)
def test_les_voisins_sont_refuses_en_2016_avec_un_motif(
    publique: Client, departement: str, code_postal: str
) -> None:
    corps = eligibilite(publique, code_postal, 2016)
    assert corps["eligible"] is False
    assert corps["departement"] == departement
    motif = str(corps["motif"])
    assert f"département {departement}" in motif
    assert "2016" in motif


@pytest.mark.parametrize(("departement", "code_postal"), sorted(VINGT.items()))
def test_la_campagne_pilote_2015(publique: Client, departement: str, code_postal: str) -> None:
    corps = eligibilite(publique, code_postal, 2015)
    assert corps["eligible"] is (departement in PILOTES_2015)
    assert (corps["motif"] is None) is (departement in PILOTES_2015)


@pytest.mark.parametrize(("departement", "code_postal"), [("2A", "20000"), ("2B", "20200")])
def test_la_corse_a_partir_de_2018(publique: Client, departement: str, code_postal: str) -> None:
    for campagne in (2018, 2020, 2024):
        corps = eligibilite(publique, code_postal, campagne)
        assert (corps["eligible"], corps["departement"]) == (True, departement)
    avant = eligibilite(publique, code_postal, 2016)
    assert (avant["eligible"], avant["departement"]) == (False, departement)
    assert avant["motif"]


@pytest.mark.parametrize("campagne", [2016, 2024])
@pytest.mark.parametrize(("departement", "code_postal"), sorted(OUTRE_MER.items()))
def test_l_outre_mer_n_est_jamais_eligible(
    publique: Client, campagne: int, departement: str, code_postal: str
) -> None:
    corps = eligibilite(publique, code_postal, campagne)
    assert (corps["eligible"], corps["departement"]) == (False, departement)
    assert "outre-mer" in str(corps["motif"])


def test_la_campagne_par_defaut_est_l_annee_en_cours(publique: Client) -> None:
    corps = eligibilite(publique, "28000")
    assert (corps["campagne"], corps["eligible"]) == (2024, True)


def test_une_annee_sans_campagne_est_refusee_avec_son_motif(publique: Client) -> None:
    corps = eligibilite(publique, "51100", 2014)
    assert corps["eligible"] is False
    assert "2014" in str(corps["motif"])


@pytest.mark.parametrize(
    ("params", "statut"),
    [
        ({"code_postal": "2100"}, 422),
        ({"code_postal": "ABCDE"}, 422),
        ({"code_postal": "20900"}, 422),
        ({"code_postal": "97700", "campagne": "2024"}, 422),
        ({"code_postal": "02100", "campagne": "vingt"}, 400),
    ],
)
def test_un_code_postal_invalide_est_refuse(
    publique: Client, params: dict[str, str], statut: int
) -> None:
    corps = aides.exiger_probleme(publique.get("/tic/eligibilite", params=params), statut)
    champ = "code_postal" if statut == 422 else "campagne"
    assert champ in aides.champs_en_erreur(corps)


def test_la_consultation_est_publique(publique: Client) -> None:
    """No bearer: rates and eligibility are public information."""
    assert publique.get("/tic/eligibilite", params={"code_postal": "51100"}).status_code == 200
    assert publique.get("/tic/taux", params={"annee": 2020, "produit": GNV}).status_code == 200


def test_les_referentiels_tic_repondent(publique: Client) -> None:
    produits = publique.get("/referentiels/produits-tic").json()
    assert {p["code"] for p in produits} == {GNR, FL, GNC, GNV, GPL}
    gnr = next(p for p in produits if p["code"] == GNR)
    assert (gnr["unite"], gnr["unite_taux"], gnr["taxe"]) == ("l", "€/hl", "TICPE")
    assert next(p for p in produits if p["code"] == GNC)["taxe"] == "TICGN"
    statuts = [s["code"] for s in publique.get("/referentiels/statuts-demande-tic").json()]
    assert statuts == [
        "BROUILLON",
        "ENVOYEE",
        "MISE_A_DISPOSITION",
        "EN_INSTRUCTION",
        "VALIDEE",
        "REJETEE",
        "MISE_EN_PAIEMENT",
    ]
    types = publique.get("/referentiels/types-beneficiaire-tic").json()
    assert "CUMA" in {t["code"] for t in types}
    assert all(t["libelle"] for t in types)
