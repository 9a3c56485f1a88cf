"""The journey of a demande de remboursement TIC/TICGN through the API, from the draft to
the payment, with a rejection and a duplication on the way; the exports of the search (CSV,
XLSX, ODS: the same rows); « Mon suivi », the tableaux de bord; and who may do what.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from odf.namespaces import OFFICENS
from odf.opendocument import load as charger_ods
from odf.table import Table, TableCell, TableRow
from odf.teletype import extractText
from openpyxl import load_workbook

from chorus.adapters.tableurs.demandes_tic import ENTETES_DEMANDES_TIC
from chorus.domain.pieces import TypePiece
from tests.web import aides
from tests.web.aides_tic import (
    FL,
    SIRET_FERME,
    SIRET_SECONDE,
    Ferme,
    Json,
    corps_ligne,
    instant,
    monter_ferme,
    pdf_unique,
    structure_agricole,
)
from tests.web.conftest import Banc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
COLONNES = list(ENTETES_DEMANDES_TIC)
_MONTANTS = (COLONNES.index("Montant demandé"), COLONNES.index("Montant accordé"))


@pytest.fixture
def ferme(banc: Banc) -> Ferme:
    return monter_ferme(banc)


# -- the journey --------------------------------------------------------------------------


def test_du_brouillon_a_la_mise_en_paiement(ferme: Ferme) -> None:
    client, g = ferme.client, ferme.gestionnaire

    # « Créer une nouvelle demande »: a numbered draft of the 2024 campaign.
    demande = ferme.creer(2023, avance=True, type_beneficiaire="SOCIETE_AGRICOLE")
    assert demande["statut"] == "BROUILLON"
    assert demande["libelle_statut"] == "Brouillon"
    assert demande["numero"].startswith("DT2024")
    assert (demande["annee"], demande["campagne"]) == (2023, 2024)
    assert (demande["avance"], demande["taux_avance"]) == (True, "0.50")
    assert demande["attestation_non_difficulte"] is True
    assert demande["certificat"] is None
    assert [e["statut"] for e in demande["historique"]] == ["BROUILLON"]
    assert demande["links"]["self"] == f"/api/v1/tic/demandes/{demande['id']}"
    ident = demande["id"]

    # Lines, one per invoice, rate and amount computed.
    l1 = ferme.ajouter_ligne(demande, numero_facture="F-2023-118", quantite="1000")
    l2 = ferme.ajouter_ligne(
        demande,
        numero_facture="F-2023-377",
        produit=FL,
        quantite="2500.50",
        date_livraison="2023-11-02",
    )
    assert (l1["numero_ligne"], l1["montant"], l1["unite"]) == (1, "149.60", "l")
    assert (l2["numero_ligne"], l2["montant"], l2["unite"]) == (2, "344.19", "kg")

    # Pièces: an invoice on line 1, one on the whole demande, one from the structure's pool.
    sur_ligne = ferme.joindre(ident, numero_ligne=1, nom="F-2023-118.pdf")
    assert (sur_ligne["type_piece"], sur_ligne["numero_ligne"]) == ("FACTURE", 1)
    sur_demande = ferme.joindre(ident, nom="factures-fioul.pdf")
    assert sur_demande["numero_ligne"] is None
    contenu_pool = pdf_unique("attestation de minimis")
    pool = ferme.banc.chorus.structures.deposer_piece(
        ferme.banc.id_de("earl.des.tilleuls@exemple.fr"),
        ferme.structure.id,
        contenu=contenu_pool,
        nom_fichier="de-minimis.pdf",
        type_piece=TypePiece.AUTRE,
    )
    importee = client.post(
        f"/tic/demandes/{ident}/pieces-jointes",
        json={"piece_structure_id": pool.id, "numero_ligne": 2},
        headers=g,
    )
    assert importee.status_code == 201, importee.text
    assert (importee.json()["numero_ligne"], importee.json()["type_piece"]) == (2, "AUTRE")
    telecharge = client.get(
        f"/tic/demandes/{ident}/pieces-jointes/{importee.json()['id']}", headers=g
    )
    assert telecharge.status_code == 200
    assert telecharge.content == contenu_pool

    brouillon = ferme.lire(ident)
    assert brouillon["montant_total"] == "493.79"
    assert brouillon["montant_avance"] == "246.90"
    assert len(brouillon["pieces_jointes"]) == 3

    # « Envoyer »: immutable, the RIB joined, the certificate issued.
    envoyee = ferme.envoyer(ident)
    assert envoyee["statut"] == "ENVOYEE"
    certificat = envoyee["certificat"]
    assert certificat["numero"] == envoyee["numero"]
    assert certificat["montant_total"] == "493.79"
    assert certificat["nombre_lignes"] == 2
    assert len(certificat["empreinte"]) == 44
    assert "493,79" in certificat["texte"]
    assert envoyee["date_depot"] == certificat["date_depot"]
    assert "COORDONNEE_BANCAIRE" in {p["type_piece"] for p in envoyee["pieces_jointes"]}
    assert envoyee["links"]["certificat_depot"].endswith(f"/{ident}/certificat-depot")
    assert envoyee["links"]["lignes"] is None
    refus = client.post(f"/tic/demandes/{ident}/lignes", json=corps_ligne(), headers=g)
    aides.exiger_probleme(refus, 409)

    # The certificate as stored, with what it must show.
    pdf = client.get(f"/tic/demandes/{ident}/certificat-depot", headers=g)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        f'attachment; filename="certificat-depot-{envoyee["numero"]}.pdf"'
    )
    texte = pdf.content.decode("utf-8")
    for attendu in (envoyee["numero"], SIRET_FERME, "2023", "F-2023-118", "F-2023-377", "493.79"):
        assert attendu in texte, attendu
    encore = client.get(
        f"/tic/demandes/{ident}/certificat-depot",
        headers=g | {"If-None-Match": pdf.headers["etag"]},
    )
    assert encore.status_code == 304
    assert encore.content == b""
    au_guichet = client.get(
        f"/traitement/tic/demandes/{ident}/certificat-depot", headers=ferme.instructeur
    )
    assert au_guichet.content == pdf.content

    # The instructor: made available, taken in charge, rejected with its motif.
    ferme.instruire(ident, "MISE_A_DISPOSITION", "PRISE_EN_CHARGE")
    rejet = ferme.evenement(ident, "REJET", motif="Factures au nom d'un tiers")
    assert rejet.status_code == 200, rejet.text
    rejetee = ferme.lire(ident)
    assert rejetee["statut"] == "REJETEE"
    assert rejetee["motif_rejet"] == "Factures au nom d'un tiers"
    assert [e["statut"] for e in rejetee["historique"]] == [
        "BROUILLON",
        "ENVOYEE",
        "MISE_A_DISPOSITION",
        "EN_INSTRUCTION",
        "REJETEE",
    ]
    dernier = rejetee["historique"][-1]
    assert (dernier["motif"], dernier["intervenant"]) == (
        "Factures au nom d'un tiers",
        "INSTRUCTEUR",
    )
    assert dernier["libelle"] == "Rejetée"
    assert rejetee["links"]["duplication"].endswith("/duplication")

    # « Dupliquer »: a new draft to correct, then send again.
    copie = client.post(f"/tic/demandes/{ident}/duplication", headers=g)
    assert copie.status_code == 201, copie.text
    nouvelle = copie.json()
    assert (nouvelle["statut"], nouvelle["parent_id"]) == ("BROUILLON", ident)
    assert nouvelle["numero"] != envoyee["numero"]
    assert [ligne["montant"] for ligne in nouvelle["lignes"]] == ["149.60", "344.19"]
    assert "COORDONNEE_BANCAIRE" not in {p["type_piece"] for p in nouvelle["pieces_jointes"]}
    corrigee = client.put(
        f"/tic/demandes/{nouvelle['id']}/lignes/2",
        json=corps_ligne(
            numero_facture="F-2023-377", produit=FL, quantite="2000", date_livraison="2023-11-02"
        ),
        headers=g,
    )
    assert corrigee.status_code == 200, corrigee.text
    assert corrigee.json()["montant"] == "275.30"
    assert ferme.lire(ident)["statut"] == "REJETEE"
    renvoyee = ferme.envoyer(nouvelle["id"])
    assert renvoyee["montant_total"] == "424.90"

    # Validated for less than asked: a motif is required.
    ferme.instruire(renvoyee["id"], "MISE_A_DISPOSITION", "PRISE_EN_CHARGE")
    sans_motif = ferme.evenement(renvoyee["id"], "VALIDATION", montant_accorde="400.00")
    assert aides.champs_en_erreur(aides.exiger_probleme(sans_motif, 422)) == ["motif"]
    validee = ferme.evenement(
        renvoyee["id"], "VALIDATION", montant_accorde="400.00", motif="Une facture partielle"
    )
    assert validee.status_code == 200, validee.text
    assert (validee.json()["statut"], validee.json()["montant_accorde"]) == ("VALIDEE", "400.00")
    payee = ferme.instruire(renvoyee["id"], "MISE_EN_PAIEMENT")
    assert payee["statut"] == "MISE_EN_PAIEMENT"
    assert payee["date_paiement"] == "2024-06-14"
    assert payee["historique"][-1]["montant"] == "400.00"
    vue = ferme.lire(renvoyee["id"])
    assert (vue["statut"], vue["montant_accorde"]) == ("MISE_EN_PAIEMENT", "400.00")

    # The exports hold the same rows, in the three formats.
    lignes_csv = exporter_csv(ferme)
    assert lignes_csv[0] == COLONNES
    assert sorted(lignes_csv[1:]) == sorted(exporter_xlsx(ferme)[1:])
    assert sorted(lignes_csv[1:]) == sorted(exporter_ods(ferme)[1:])
    assert exporter_xlsx(ferme)[0] == COLONNES == exporter_ods(ferme)[0]
    par_numero = {ligne[0]: ligne for ligne in lignes_csv[1:]}
    rejetee_csv = par_numero[envoyee["numero"]]
    assert rejetee_csv[1:6] == ["EARL des Tilleuls", SIRET_FERME, "2023", "2024", "Rejetée"]
    payee_csv = par_numero[renvoyee["numero"]]
    assert payee_csv[9:] == [
        "2",
        "Fioul lourd, Gazole non routier",
        "424,90",
        "400,00",
        "14/06/2024",
    ]


# -- exports, read back -------------------------------------------------------------------


def _exporter(ferme: Ferme, media: str, params: dict[str, str] | None = None) -> bytes:
    reponse = ferme.client.get(
        "/tic/demandes", params=params or {}, headers=ferme.gestionnaire | {"Accept": media}
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.headers["content-type"].startswith(media)
    assert "demandes-tic." in reponse.headers["content-disposition"]
    contenu: bytes = reponse.content
    return contenu


def exporter_csv(ferme: Ferme, params: dict[str, str] | None = None) -> list[list[str]]:
    texte = _exporter(ferme, "text/csv", params).decode("utf-8")
    assert texte.startswith("\ufeff")
    return [list(ligne) for ligne in csv.reader(io.StringIO(texte[1:]), delimiter=";")]


def _texte(colonne: int, valeur: Any) -> str:
    """A spreadsheet cell written as the CSV file writes it."""
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, str):
        return valeur
    if isinstance(valeur, datetime | date):
        return valeur.strftime("%d/%m/%Y")
    if colonne in _MONTANTS:
        return f"{Decimal(str(valeur)):.2f}".replace(".", ",")
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur)


def _complete(ligne: list[str]) -> list[str]:
    """A row with its trailing empty cells (a spreadsheet need not write them)."""
    return ligne + [""] * (len(COLONNES) - len(ligne))


def exporter_xlsx(ferme: Ferme) -> list[list[str]]:
    classeur = load_workbook(io.BytesIO(_exporter(ferme, XLSX)), read_only=True)
    feuille = classeur.worksheets[0]
    assert feuille.title == "Demandes TIC"
    return [
        _complete([_texte(c, v) for c, v in enumerate(ligne)])
        for ligne in feuille.iter_rows(values_only=True)
    ]


def _valeur_ods(cellule: Any) -> Any:
    genre = cellule.getAttrNS(OFFICENS, "value-type")
    if genre == "float":
        return Decimal(cellule.getAttrNS(OFFICENS, "value"))
    if genre == "date":
        return date.fromisoformat(cellule.getAttrNS(OFFICENS, "date-value")[:10])
    return extractText(cellule)


def exporter_ods(ferme: Ferme) -> list[list[str]]:
    document = charger_ods(io.BytesIO(_exporter(ferme, ODS)))
    table = document.spreadsheet.getElementsByType(Table)[0]
    assert table.getAttribute("name") == "Demandes TIC"
    return [
        _complete(
            [
                _texte(c, _valeur_ods(cellule))
                for c, cellule in enumerate(ligne.getElementsByType(TableCell))
            ]
        )
        for ligne in table.getElementsByType(TableRow)
    ]


def test_la_recherche_filtre_trie_et_pagine(ferme: Ferme) -> None:
    client, g = ferme.client, ferme.gestionnaire
    a = ferme.envoyee(2021)
    b = ferme.prete(2022)
    c = ferme.creer(2023)
    ferme.ajouter_ligne(c, produit=FL, quantite="100")

    def numeros(**params: Any) -> list[str]:
        reponse = client.get("/tic/demandes", params=params, headers=g)
        assert reponse.status_code == 200, reponse.text
        return [e["numero"] for e in reponse.json()["elements"]]

    assert sorted(numeros()) == sorted([a["numero"], b["numero"], c["numero"]])
    assert numeros(statut="ENVOYEE") == [a["numero"]]
    assert sorted(numeros(statut="ENVOYEE,BROUILLON")) == sorted(numeros())
    assert sorted(numeros(statut=["ENVOYEE", "BROUILLON"])) == sorted(numeros())
    assert numeros(annee=2022) == [b["numero"]]
    assert numeros(produit=FL) == [c["numero"]]
    assert numeros(numero=a["numero"].lower()) == [a["numero"]]
    assert numeros(structure_id=ferme.voisine.id) == []
    assert numeros(date_depot_du="2024-06-14", date_depot_au="2024-06-14") == [a["numero"]]
    assert numeros(tri="annee") == [a["numero"], b["numero"], c["numero"]]
    assert numeros(tri="-annee") == [c["numero"], b["numero"], a["numero"]]
    page = client.get("/tic/demandes", params={"par_page": 2, "page": 2, "tri": "annee"}, headers=g)
    assert page.json() | {"elements": None} == {
        "elements": None,
        "total": 3,
        "page": 2,
        "par_page": 2,
    }
    assert [e["numero"] for e in page.json()["elements"]] == [c["numero"]]
    element = page.json()["elements"][0]
    assert (element["produits"], element["nombre_lignes"], element["montant_total"]) == (
        [FL],
        1,
        "13.77",
    )
    # The exports follow the criteria.
    assert [ligne[0] for ligne in exporter_csv(ferme, {"annee": "2021"})[1:]] == [a["numero"]]


def test_un_format_non_disponible_est_refuse(ferme: Ferme) -> None:
    reponse = ferme.client.get(
        "/tic/demandes", headers=ferme.gestionnaire | {"Accept": "application/pdf"}
    )
    corps = aides.exiger_probleme(reponse, 406)
    assert aides.champs_en_erreur(corps) == ["Accept"]


def test_un_export_vide_n_a_que_l_en_tete(ferme: Ferme) -> None:
    assert exporter_csv(ferme) == [COLONNES]
    assert exporter_xlsx(ferme) == [COLONNES]
    assert exporter_ods(ferme) == [COLONNES]


# -- editing a draft ----------------------------------------------------------------------


def test_modifier_l_en_tete_d_un_brouillon(ferme: Ferme) -> None:
    client, g = ferme.client, ferme.gestionnaire
    demande = ferme.creer(2023)
    chemin = f"/tic/demandes/{demande['id']}"

    perimee = client.patch(chemin, json={"annee": 2022}, headers=g | {"If-Match": '"7"'})
    aides.exiger_probleme(perimee, 409)
    modifiee = client.patch(
        chemin,
        json={"annee": 2022, "avance": True},
        headers=g | {"If-Match": f'"{demande["version"]}"'},
    )
    assert modifiee.status_code == 200, modifiee.text
    assert (modifiee.json()["annee"], modifiee.json()["avance"]) == (2022, True)
    assert modifiee.headers["etag"] == f'"{modifiee.json()["version"]}"'
    ferme.ajouter_ligne(modifiee.json())
    # A year that would leave a line outside it is refused.
    hors = client.patch(chemin, json={"annee": 2021}, headers=g)
    assert aides.champs_en_erreur(aides.exiger_probleme(hors, 422)) == ["annee"]


def test_supprimer_un_brouillon_mais_jamais_une_demande_envoyee(ferme: Ferme) -> None:
    client, g = ferme.client, ferme.gestionnaire
    brouillon = ferme.creer(2023)
    envoyee = ferme.envoyee(2022)

    assert client.delete(f"/tic/demandes/{brouillon['id']}", headers=g).status_code == 204
    aides.exiger_probleme(client.get(f"/tic/demandes/{brouillon['id']}", headers=g), 404)
    aides.exiger_probleme(client.delete(f"/tic/demandes/{envoyee['id']}", headers=g), 409)
    # The year is free again: a new draft may be created.
    assert ferme.creer(2023)["annee"] == 2023


def test_supprimer_une_ligne_garde_ses_pieces_sur_la_demande(ferme: Ferme) -> None:
    client, g = ferme.client, ferme.gestionnaire
    demande = ferme.creer(2023)
    ferme.ajouter_ligne(demande)
    piece = ferme.joindre(demande["id"], numero_ligne=1)

    reponse = client.delete(f"/tic/demandes/{demande['id']}/lignes/1", headers=g)

    assert reponse.status_code == 204
    apres = ferme.lire(demande["id"])
    assert reponse.headers["etag"] == f'"{apres["version"]}"'
    assert apres["lignes"] == []
    assert [(p["id"], p["numero_ligne"]) for p in apres["pieces_jointes"]] == [(piece["id"], None)]
    retrait = client.delete(
        f"/tic/demandes/{demande['id']}/pieces-jointes/{piece['id']}", headers=g
    )
    assert retrait.status_code == 204
    assert ferme.lire(demande["id"])["pieces_jointes"] == []


# -- the back office ----------------------------------------------------------------------


def test_l_instructeur_ne_voit_jamais_les_brouillons(ferme: Ferme) -> None:
    client, i = ferme.client, ferme.instructeur
    brouillon = ferme.creer(2023)
    envoyee = ferme.envoyee(2022)

    liste = client.get("/traitement/tic/demandes", headers=i).json()
    assert [e["numero"] for e in liste["elements"]] == [envoyee["numero"]]
    aides.exiger_probleme(client.get(f"/traitement/tic/demandes/{brouillon['id']}", headers=i), 404)
    vue = client.get(f"/traitement/tic/demandes/{envoyee['id']}", headers=i)
    assert vue.status_code == 200
    assert vue.json()["links"]["self"] == f"/api/v1/traitement/tic/demandes/{envoyee['id']}"
    assert vue.json()["links"]["duplication"] is None
    piece = vue.json()["pieces_jointes"][0]
    fichier = client.get(
        f"/traitement/tic/demandes/{envoyee['id']}/pieces-jointes/{piece['id']}", headers=i
    )
    assert fichier.status_code == 200
    assert fichier.content.startswith(b"%PDF")
    tableau = client.get("/traitement/tic/tableau-de-bord", headers=i).json()
    assert tableau["statuts"]["ENVOYEE"] == 1
    assert tableau["statuts"]["BROUILLON"] == 0
    assert tableau["total"] == 1
    csv_bo = client.get("/traitement/tic/demandes", headers=i | {"Accept": "text/csv"})
    assert csv_bo.status_code == 200
    assert envoyee["numero"] in csv_bo.text
    assert brouillon["numero"] not in csv_bo.text


def test_un_evenement_rejoue_ne_change_rien(ferme: Ferme) -> None:
    envoyee = ferme.envoyee(2023)
    corps = {
        "action": "MISE_A_DISPOSITION",
        "date_evenement": instant(ferme.banc),
        "reference_evenement": "DDFIP-REJEU-1",
    }
    chemin = f"/traitement/tic/demandes/{envoyee['id']}/evenements"
    premier = ferme.client.post(chemin, json=corps, headers=ferme.instructeur)
    assert premier.status_code == 200, premier.text
    ferme.banc.horloge.avancer(timedelta(minutes=5))

    rejoue = ferme.client.post(chemin, json=corps, headers=ferme.instructeur)

    assert rejoue.status_code == 200
    assert rejoue.json() == premier.json()
    autre = ferme.client.post(
        chemin, json=corps | {"action": "PRISE_EN_CHARGE"}, headers=ferme.instructeur
    )
    assert aides.champs_en_erreur(aides.exiger_probleme(autre, 409)) == ["reference_evenement"]


def test_seul_un_instructeur_tic_instruit(ferme: Ferme) -> None:
    envoyee = ferme.envoyee(2023)
    agent = ferme.banc.agent("greffe@tj-lyon.fr")
    for entetes in (ferme.gestionnaire, agent):
        aides.exiger_probleme(ferme.client.get("/traitement/tic/demandes", headers=entetes), 403)
        aides.exiger_probleme(
            ferme.evenement(envoyee["id"], "MISE_A_DISPOSITION", entetes=entetes), 403
        )
        aides.exiger_probleme(
            ferme.client.get("/traitement/tic/tableau-de-bord", headers=entetes), 403
        )
    assert ferme.lire(envoyee["id"])["statut"] == "ENVOYEE"


# -- follow-up screens --------------------------------------------------------------------


def test_mon_suivi_et_le_tableau_de_bord(ferme: Ferme) -> None:
    client, g = ferme.client, ferme.gestionnaire
    seconde = structure_agricole(
        ferme.banc,
        g,
        "earl.des.tilleuls@exemple.fr",
        siret=SIRET_SECONDE,
        raison_sociale="SCEA Bis",
    )
    envoyee = ferme.envoyee(2023)
    ferme.banc.horloge.avancer(timedelta(hours=1))
    ferme.instruire(envoyee["id"], "MISE_A_DISPOSITION")
    brouillon = ferme.creer(2022)

    suivi = client.get("/tic/suivi", params={"limite": 2}, headers=g)
    assert suivi.status_code == 200, suivi.text
    evenements = suivi.json()["evenements"]
    assert len(evenements) == 2
    assert (evenements[0]["numero"], evenements[0]["statut"]) == (brouillon["numero"], "BROUILLON")
    assert (evenements[1]["statut"], evenements[1]["libelle_statut"]) == (
        "MISE_A_DISPOSITION",
        "Mise à disposition",
    )
    assert len(client.get("/tic/suivi", headers=g).json()["evenements"]) == 4

    tableau = client.get("/tableau-de-bord/tic", headers=g)
    assert tableau.status_code == 200, tableau.text
    par_structure = {t["structure_id"]: t for t in tableau.json()}
    assert set(par_structure) == {ferme.structure.id, seconde.id}
    earl = par_structure[ferme.structure.id]
    assert earl["raison_sociale"] == "EARL des Tilleuls"
    assert earl["statuts"] == {
        "BROUILLON": 1,
        "ENVOYEE": 0,
        "MISE_A_DISPOSITION": 1,
        "EN_INSTRUCTION": 0,
        "VALIDEE": 0,
        "REJETEE": 0,
        "MISE_EN_PAIEMENT": 0,
    }
    assert earl["total"] == 2
    assert par_structure[seconde.id]["total"] == 0
    # The neighbour sees none of it.
    assert client.get("/tic/suivi", headers=ferme.etranger).json()["evenements"] == []
    voisin = client.get("/tableau-de-bord/tic", headers=ferme.etranger).json()
    assert [t["structure_id"] for t in voisin] == [ferme.voisine.id]


# -- who may do what ----------------------------------------------------------------------


def _ecritures(ferme: Ferme, brouillon: Json, envoyee: Json) -> Sequence[tuple[str, str, Any]]:
    b, e = brouillon["id"], envoyee["id"]
    return [
        ("POST", "/tic/demandes", ferme.corps_demande(2021)),
        ("PATCH", f"/tic/demandes/{b}", {"avance": True}),
        ("DELETE", f"/tic/demandes/{b}", None),
        ("POST", f"/tic/demandes/{b}/lignes", corps_ligne()),
        ("PUT", f"/tic/demandes/{b}/lignes/1", corps_ligne(quantite="5")),
        ("DELETE", f"/tic/demandes/{b}/lignes/1", None),
        ("POST", f"/tic/demandes/{b}/pieces-jointes", {"piece_structure_id": "x"}),
        ("POST", f"/tic/demandes/{b}/envoi", None),
        ("POST", f"/tic/demandes/{e}/duplication", None),
    ]


def _lectures(brouillon: Json, envoyee: Json) -> Sequence[str]:
    piece = envoyee["pieces_jointes"][0]["id"]
    return [
        f"/tic/demandes/{brouillon['id']}",
        f"/tic/demandes/{envoyee['id']}",
        f"/tic/demandes/{envoyee['id']}/certificat-depot",
        f"/tic/demandes/{envoyee['id']}/pieces-jointes/{piece}",
    ]


def test_une_autre_structure_ne_trouve_rien(ferme: Ferme) -> None:
    client, x = ferme.client, ferme.etranger
    brouillon = ferme.creer(2023)
    ferme.ajouter_ligne(brouillon)
    envoyee = ferme.envoyee(2022)
    avant = ferme.lire(brouillon["id"])

    for chemin in _lectures(brouillon, envoyee):
        corps = aides.exiger_probleme(client.get(chemin, headers=x), 404)
        assert SIRET_FERME not in str(corps)
    for methode, chemin, corps in _ecritures(ferme, brouillon, envoyee):
        if chemin == "/tic/demandes":
            # Creating for the other structure: it is not disclosed either.
            corps = ferme.corps_demande(2021)
        reponse = client.request(methode, chemin, headers=x, json=corps)
        aides.exiger_probleme(reponse, 404)
    assert ferme.lire(brouillon["id"]) == avant
    assert client.get("/tic/demandes", headers=x).json()["total"] == 0
    assert (
        client.get("/tic/demandes", params={"structure_id": ferme.structure.id}, headers=x).json()[
            "total"
        ]
        == 0
    )


def test_la_consultation_lit_mais_n_ecrit_pas(ferme: Ferme) -> None:
    client, c = ferme.client, ferme.consultant
    brouillon = ferme.creer(2023)
    ferme.ajouter_ligne(brouillon)
    envoyee = ferme.envoyee(2022)
    avant = ferme.lire(brouillon["id"])

    for chemin in _lectures(brouillon, envoyee):
        assert client.get(chemin, headers=c).status_code == 200, chemin
    assert client.get("/tic/demandes", headers=c).json()["total"] == 2
    for methode, chemin, corps in _ecritures(ferme, brouillon, envoyee):
        reponse = client.request(methode, chemin, headers=c, json=corps)
        aides.exiger_probleme(reponse, 403)
    assert ferme.lire(brouillon["id"]) == avant
    assert client.get("/tic/demandes", headers=ferme.gestionnaire).json()["total"] == 2


def test_la_modification_ecrit(ferme: Ferme) -> None:
    demande = ferme.creer(2023)
    reponse = ferme.client.post(
        f"/tic/demandes/{demande['id']}/lignes", json=corps_ligne(), headers=ferme.modificateur
    )
    assert reponse.status_code == 201, reponse.text
    assert ferme.lire(demande["id"])["historique"][0]["acteur"]


def test_sans_authentification(ferme: Ferme) -> None:
    demande = ferme.creer(2023)
    for chemin in (
        "/tic/demandes",
        f"/tic/demandes/{demande['id']}",
        "/tic/suivi",
        "/tableau-de-bord/tic",
        "/traitement/tic/demandes",
    ):
        aides.exiger_probleme(ferme.client.get(chemin), 401)
    aides.exiger_probleme(ferme.client.post("/tic/demandes", json=ferme.corps_demande()), 401)


def test_une_structure_sans_espace_tic_ne_peut_pas_deposer(banc: Banc) -> None:
    g = banc.connecte("cabinet@exemple.fr")
    structure = banc.structure_prete("cabinet@exemple.fr")
    reponse = banc.client.post(
        "/tic/demandes",
        json={
            "structure_id": structure.id,
            "annee": 2023,
            "coordonnee_bancaire_id": structure.coordonnees_bancaires[0].id,
            "attestation_non_difficulte": True,
        },
        headers=g,
    )
    assert aides.champs_en_erreur(aides.exiger_probleme(reponse, 422)) == ["structure_id"]


def test_un_siege_hors_campagne_ne_peut_pas_deposer(banc: Banc) -> None:
    banc.horloge.regler(datetime(2016, 6, 14, 10, 0, tzinfo=UTC))
    g = banc.connecte("ferme.eure.et.loir@exemple.fr")
    structure = structure_agricole(
        banc,
        g,
        "ferme.eure.et.loir@exemple.fr",
        siret=SIRET_FERME,
        raison_sociale="EARL Beauce",
        code_postal="28000",
        ville="Chartres",
    )
    reponse = banc.client.post(
        "/tic/demandes",
        json={
            "structure_id": structure.id,
            "annee": 2015,
            "coordonnee_bancaire_id": structure.coordonnees_bancaires[0].id,
            "attestation_non_difficulte": True,
        },
        headers=g,
    )
    corps = aides.exiger_probleme(reponse, 422)
    assert aides.champs_en_erreur(corps) == ["structure_id"]
    assert "28" in corps["detail"]
