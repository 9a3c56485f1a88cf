"""Public reads: the référentiels and the check of a certificate's empreinte."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from chorus.adapters.storage.memory import MemoireVive
from chorus.adapters.web.controleurs.referentiels import A_VENIR, REFERENTIELS
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from tests.monde import saisie_ligne
from tests.web.aides import exiger_probleme
from tests.web.conftest import Banc

Client = TestClient[Litestar]

NOMS_DU_CONTRAT = (
    "juridictions",
    "types-prestation",
    "autorites-requerantes",
    "textes-reference",
    "categories-prestataire",
    "types-piece-jointe",
    "taux-tva",
    "statuts-memoire",
)


def lire(client: Client, nom: str) -> list[dict[str, Any]]:
    reponse = client.get(f"/referentiels/{nom}")
    assert reponse.status_code == 200, reponse.text
    corps: list[dict[str, Any]] = reponse.json()
    return corps


@pytest.mark.parametrize("nom", sorted(REFERENTIELS))
def test_chaque_referentiel_donne_des_codes_uniques_et_leurs_libelles(
    client: Client, nom: str
) -> None:
    entrees = lire(client, nom)

    assert entrees
    codes = [e["code"] for e in entrees]
    assert len(codes) == len(set(codes))
    assert all(e["code"] and e["libelle"] for e in entrees)


def test_tous_les_referentiels_du_contrat_sont_servis() -> None:
    assert set(NOMS_DU_CONTRAT) <= set(REFERENTIELS)


def test_les_juridictions_portent_type_departement_et_cour_d_appel(client: Client) -> None:
    juridictions = {j["code"]: j for j in lire(client, "juridictions")}

    lyon = juridictions["TJ-69123"]
    assert lyon["type"] == "TJ"
    assert lyon["type_libelle"] == "Tribunal judiciaire"
    assert lyon["departement"] == "69"
    assert lyon["cour_appel_code"] in juridictions
    assert juridictions[lyon["cour_appel_code"]]["type"] == "CA"
    assert "cour_appel_code" not in juridictions[lyon["cour_appel_code"]]


def test_les_taux_de_tva_sont_des_chaines_decimales(client: Client) -> None:
    taux = lire(client, "taux-tva")

    assert [t["code"] for t in taux] == ["20", "10", "5.5", "2.1", "0"]
    assert all(Decimal(t["taux"]) == Decimal(t["code"]) for t in taux)
    assert any("5,5 %" in t["libelle"] for t in taux)


def test_les_statuts_de_memoire_ont_leurs_libelles(client: Client) -> None:
    statuts = {s["code"]: s["libelle"] for s in lire(client, "statuts-memoire")}

    assert statuts == {s.value: s.libelle for s in StatutMemoire}
    assert statuts["DUPLIQUE_POST_REFUS"] == "Dupliqué post refus"


def test_les_types_de_prestation_disent_leur_unite_et_leur_texte(client: Client) -> None:
    types = lire(client, "types-prestation")
    textes = {t["code"] for t in lire(client, "textes-reference")}
    categories = {c["code"] for c in lire(client, "categories-prestataire")}

    assert all(t["unite"] for t in types)
    assert {t["texte_reference"] for t in types} <= textes
    assert {t["categorie_prestataire"] for t in types} <= categories


@pytest.mark.parametrize("nom", A_VENIR)
def test_les_referentiels_tic_a_venir_repondent_404_en_listant_les_noms(
    client: Client, nom: str
) -> None:
    corps = exiger_probleme(client.get(f"/referentiels/{nom}"), 404)

    assert "TIC" in corps["detail"]
    assert "juridictions" in corps["detail"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(nom=st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1))
def test_un_referentiel_inconnu_est_introuvable(client: Client, nom: str) -> None:
    reponse = client.get(f"/referentiels/{quote(nom, safe='')}")

    if nom in REFERENTIELS:
        assert reponse.status_code == 200
    else:
        exiger_probleme(reponse, 404)


def test_les_referentiels_se_mettent_en_cache(client: Client) -> None:
    reponse = client.get("/referentiels/juridictions")

    assert reponse.headers["cache-control"] == "max-age=3600, public"
    assert reponse.headers["x-content-type-options"] == "nosniff"


# -- certificats ----------------------------------------------------------------------------


def _brouillon_de(banc: Banc, email: str) -> str:
    """A draft of one line for the structure of `email`: its id."""
    uid = banc.id_de(email)
    with banc.chorus.ports.uow as uow:
        structure = uow.structures.pour_utilisateur(uid)[0]
    memoires = banc.chorus.memoires
    memoire = memoires.creer(
        uid,
        EnTete.creer(
            structure_id=structure.id,
            juridiction_code="TJ-69123",
            texte_reference="A.43-6",
            type_tva=TypeTva.TVA_SUR_DEBITS,
            coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
        ),
    )
    memoires.ajouter_ligne(uid, memoire.id, saisie_ligne())
    return memoire.id


def memoire_envoye(banc: Banc) -> tuple[str, str]:
    """A mémoire sent by a fresh structure: its number and its certificate's empreinte."""
    banc.connecte("gestion@exemple.fr")
    banc.structure_prete("gestion@exemple.fr")
    envoye = banc.chorus.memoires.envoyer(
        banc.id_de("gestion@exemple.fr"),
        _brouillon_de(banc, "gestion@exemple.fr"),
        attestation_sur_honneur=True,
    )
    assert envoye.certificat is not None
    return envoye.numero, envoye.certificat.empreinte


def test_un_certificat_se_verifie_sans_authentification(banc: Banc) -> None:
    numero, empreinte = memoire_envoye(banc)

    reponse = banc.client.get("/certificats", params={"empreinte": empreinte})

    assert reponse.status_code == 200, reponse.text
    corps = reponse.json()
    # API.md: the number, the date, the juridiction and the amount; nothing of the
    # prestataire (whoever holds an empreinte is not told who filed it).
    assert set(corps) == {"numero", "date_depot", "juridiction", "montant_ttc"}
    assert corps["numero"] == numero
    assert corps["montant_ttc"] == "158.25"
    assert corps["juridiction"]
    assert corps["date_depot"].startswith("2024-06-14T")


def test_une_empreinte_inconnue_est_introuvable(banc: Banc) -> None:
    _, empreinte = memoire_envoye(banc)
    fausse = ("A" if empreinte[0] != "A" else "B") + empreinte[1:]

    corps = exiger_probleme(banc.client.get("/certificats", params={"empreinte": fausse}), 404)

    assert corps["errors"] == [{"champ": "empreinte", "message": corps["detail"]}]


def _altere_commentaire(memoire: Memoire) -> Memoire:
    return attrs.evolve(memoire, entete=attrs.evolve(memoire.entete, commentaire="Ajouté après"))


def _altere_iban(memoire: Memoire) -> Memoire:
    assert memoire.prestataire is not None
    prestataire = attrs.evolve(memoire.prestataire, iban="FR1420041010050500013M02606")
    return attrs.evolve(memoire, prestataire=prestataire)


def _altere_affaire(memoire: Memoire) -> Memoire:
    ligne = attrs.evolve(memoire.lignes[0], numero_affaire="PARQUET-24-999")
    return attrs.evolve(memoire, lignes=(ligne, *memoire.lignes[1:]))


@pytest.mark.parametrize(
    "alterer",
    [
        pytest.param(_altere_commentaire, id="commentaire"),
        pytest.param(_altere_iban, id="iban du prestataire"),
        pytest.param(_altere_affaire, id="numéro d'affaire d'une ligne"),
    ],
)
def test_un_memoire_altere_hors_du_portail_n_est_plus_confirme(
    banc: Banc, vive: MemoireVive, alterer: Callable[[Memoire], Memoire]
) -> None:
    """A stored field changed behind the domain's back (as by hand in the database): the
    public check answers 409 instead of vouching for data that is no longer what was sent;
    an untouched mémoire is still confirmed."""
    numero, empreinte = memoire_envoye(banc)
    intact = banc.chorus.memoires.envoyer(
        banc.id_de("gestion@exemple.fr"),
        _brouillon_de(banc, "gestion@exemple.fr"),
        attestation_sur_honneur=True,
    )
    assert intact.certificat is not None
    stocke = next(m for m in vive.etat.memoires.values() if m.numero == numero)
    vive.etat.memoires[stocke.id] = alterer(stocke)

    corps = exiger_probleme(banc.client.get("/certificats", params={"empreinte": empreinte}), 409)

    assert numero in corps["detail"]
    assert "ne correspondent plus" in corps["detail"]
    assert corps["errors"] == [{"champ": "empreinte", "message": corps["detail"]}]
    confirme = banc.client.get("/certificats", params={"empreinte": intact.certificat.empreinte})
    assert confirme.status_code == 200, confirme.text
    assert confirme.json()["numero"] == intact.numero
    # Put back as it was, the mémoire is confirmed again: the check reads the stored data.
    vive.etat.memoires[stocke.id] = stocke
    assert banc.client.get("/certificats", params={"empreinte": empreinte}).status_code == 200


@pytest.mark.parametrize(
    ("parametres", "statut"),
    [({}, 400), ({"empreinte": ""}, 404), ({"empreinte": "x" * 201}, 400)],
)
def test_une_empreinte_absente_ou_absurde_est_refusee(
    client: Client, parametres: dict[str, str], statut: int
) -> None:
    corps = exiger_probleme(client.get("/certificats", params=parametres), statut)

    assert corps["errors"][0]["champ"] == "empreinte"
