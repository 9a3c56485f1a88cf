"""The prestataire's read screens through the API: the tableau de bord and the liste fiscale
(JSON and CSV; its PDF is in `test_documents`)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest

from chorus.domain.statuts import StatutMemoire
from tests.web import aides
from tests.web.aides import exiger_probleme
from tests.web.aides_memoires import Cabinet, monter_cabinet
from tests.web.conftest import Banc


@pytest.fixture
def cabinet(banc: Banc) -> Cabinet:
    return monter_cabinet(banc)


def _periode(cabinet: Cabinet, **changements: str) -> dict[str, str]:
    parametres = {"structure_id": cabinet.structure.id, "du": "2024-01-01", "au": "2024-12-31"}
    parametres.update(changements)
    return parametres


# -- tableau de bord ------------------------------------------------------------------------


def test_tableau_de_bord_compte_chaque_etat(cabinet: Cabinet) -> None:
    cabinet.brouillon()
    cabinet.brouillon()
    cabinet.envoye()
    cabinet.refuse()
    reponse = cabinet.client.get("/tableau-de-bord/memoires", headers=cabinet.consultant)
    assert reponse.status_code == 200, reponse.text
    lignes = reponse.json()
    assert [(x["structure_id"], x["raison_sociale"]) for x in lignes] == [
        (cabinet.structure.id, "Cabinet Durand")
    ]
    compteurs = lignes[0]["compteurs"]
    assert set(compteurs) == {s.value for s in StatutMemoire}
    assert compteurs["BROUILLON"] == 2
    assert compteurs["ENVOYE"] == 1
    assert compteurs["REFUSE"] == 1
    assert sum(compteurs.values()) == 4
    autre = cabinet.client.get("/tableau-de-bord/memoires", headers=cabinet.etranger).json()
    assert [x["raison_sociale"] for x in autre] == ["Autre cabinet"]
    assert set(autre[0]["compteurs"].values()) == {0}
    exiger_probleme(cabinet.client.get("/tableau-de-bord/memoires"), 401)


# -- liste fiscale --------------------------------------------------------------------------


def test_liste_fiscale(cabinet: Cabinet) -> None:
    paye = cabinet.paye(montant="150.00")
    cabinet.envoye()  # sent, not paid: not listed
    reponse = cabinet.client.get(
        "/liste-fiscale", params=_periode(cabinet), headers=cabinet.consultant
    )
    assert reponse.status_code == 200, reponse.text
    liste = reponse.json()
    assert liste["structure_id"] == cabinet.structure.id
    assert liste["du"] == "2024-01-01"
    assert liste["au"] == "2024-12-31"
    assert liste["elements"] == [
        {
            "numero": paye["numero"],
            "date_depot": "2024-06-14",
            "juridiction_code": "TJ-69123",
            "montant_ht": "150.00",
            "montant_tva": "8.25",
            "montant_ttc": "158.25",
            "remise_globale_ttc": "0.00",
            "net_a_payer": "158.25",
            "date_mise_en_paiement": "2024-06-14",
            "montant_paye": "150.00",
        }
    ]
    assert liste["totaux"] == {
        "nombre": 1,
        "montant_ht": "150.00",
        "montant_tva": "8.25",
        "montant_ttc": "158.25",
        "remise_globale_ttc": "0.00",
        "net_a_payer": "158.25",
        "montant_paye": "150.00",
    }
    assert liste["total"] == 1
    assert liste["page"] is None
    avant = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet, du="2023-06-14", au="2024-06-13"),
        headers=cabinet.gestionnaire,
    )
    assert avant.json()["elements"] == []
    assert avant.json()["totaux"]["montant_paye"] == "0.00"


def test_liste_fiscale_paginee(cabinet: Cabinet) -> None:
    numeros = []
    for _ in range(3):
        numeros.append(cabinet.paye()["numero"])
        cabinet.banc.horloge.avancer(timedelta(minutes=1))
    reponse = cabinet.client.get(
        "/liste-fiscale",
        params={**_periode(cabinet), "page": "2", "par_page": "2"},
        headers=cabinet.gestionnaire,
    )
    assert reponse.status_code == 200, reponse.text
    liste = reponse.json()
    assert [e["numero"] for e in liste["elements"]] == numeros[2:]
    assert (liste["page"], liste["par_page"], liste["total"]) == (2, 2, 3)
    assert liste["totaux"]["nombre"] == 3
    assert liste["totaux"]["net_a_payer"] == "474.75"


@pytest.mark.parametrize(
    ("changements", "statut", "champ"),
    [
        ({"du": "2024-01-01", "au": "2025-01-01"}, 422, "au"),
        ({"du": "2024-06-01", "au": "2024-05-01"}, 422, "au"),
        ({"du": "01/01/2024"}, 400, "du"),
        ({"par_page": "501"}, 400, "par_page"),
        ({"page": "0"}, 400, "page"),
    ],
)
def test_liste_fiscale_parametres_invalides(
    cabinet: Cabinet, changements: dict[str, str], statut: int, champ: str
) -> None:
    reponse = cabinet.client.get(
        "/liste-fiscale", params=_periode(cabinet, **changements), headers=cabinet.gestionnaire
    )
    assert champ in aides.champs_en_erreur(exiger_probleme(reponse, statut))


def test_liste_fiscale_d_une_autre_structure(cabinet: Cabinet) -> None:
    cabinet.paye()
    reponse = cabinet.client.get(
        "/liste-fiscale", params=_periode(cabinet), headers=cabinet.etranger
    )
    exiger_probleme(reponse, 404)
    en_csv = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.etranger, "Accept": "text/csv"},
    )
    exiger_probleme(en_csv, 404)
    sans_structure = cabinet.client.get(
        "/liste-fiscale",
        params={"du": "2024-01-01", "au": "2024-12-31"},
        headers=cabinet.gestionnaire,
    )
    assert "structure_id" in aides.champs_en_erreur(exiger_probleme(sans_structure, 400))


def _lignes_csv(contenu: bytes) -> list[list[str]]:
    assert contenu.startswith(b"\xef\xbb\xbf")
    texte = contenu.decode("utf-8-sig")
    assert texte.endswith("\r\n")
    return list(csv.reader(io.StringIO(texte, newline=""), delimiter=";"))


def test_liste_fiscale_en_csv(cabinet: Cabinet) -> None:
    premier = cabinet.paye(montant="100.50")
    second = cabinet.paye()
    reponse = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.gestionnaire, "Accept": "text/csv"},
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"].startswith("text/csv")
    assert reponse.headers["content-disposition"] == 'attachment; filename="liste-fiscale.csv"'
    entete, *elements, totaux = _lignes_csv(reponse.content)
    assert entete[:3] == ["Numéro", "Date de dépôt", "Juridiction"]
    assert [ligne[0] for ligne in elements] == [premier["numero"], second["numero"]]
    par_colonne: dict[str, Any] = dict(zip(entete, elements[0], strict=True))
    assert par_colonne["Montant TTC"] == "158,25"
    assert par_colonne["Montant payé"] == "100,50"
    assert par_colonne["Date de mise en paiement"] == "14/06/2024"
    assert totaux[0] == "Total (2 mémoires)"
    assert dict(zip(entete, totaux, strict=True))["Montant payé"] == "258,75"
    assert dict(zip(entete, totaux, strict=True))["Montant TTC"] == "316,50"


def test_liste_fiscale_en_csv_page_par_page(
    cabinet: Cabinet, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        cabinet.paye()
    monkeypatch.setattr("chorus.adapters.web.controleurs.consultation.PAGE_EXPORT", 2)
    appels: list[Any] = []
    liste_fiscale = cabinet.banc.chorus.consultation.liste_fiscale

    def espion(*args: Any) -> Any:
        appels.append(args[-1])
        return liste_fiscale(*args)

    monkeypatch.setattr(cabinet.banc.chorus.consultation, "liste_fiscale", espion)
    reponse = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.gestionnaire, "Accept": "text/csv"},
    )
    _, *elements, totaux = _lignes_csv(reponse.content)
    assert len(elements) == 3
    assert totaux[0] == "Total (3 mémoires)"
    assert [(p.page, p.par_page) for p in appels] == [(1, 2), (2, 2)]


def test_liste_fiscale_406_hors_json_csv_et_pdf(cabinet: Cabinet) -> None:
    reponse = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.gestionnaire, "Accept": "application/xml"},
    )
    assert aides.champs_en_erreur(exiger_probleme(reponse, 406)) == ["Accept"]
    json_d_abord = cabinet.client.get(
        "/liste-fiscale",
        params=_periode(cabinet),
        headers={**cabinet.gestionnaire, "Accept": "application/xml, application/json;q=0.5"},
    )
    assert json_d_abord.status_code == 200
    assert json_d_abord.json()["total"] == 0
