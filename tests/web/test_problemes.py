"""Every refusal is a French problem (RFC 9457), never a 500: domain errors, Litestar's own
refusals (validation, routing, sizes, media types, rate limit), the last-resort handler; the
security headers; and the OpenAPI document's promises."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from litestar import Controller, Litestar, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.testing import TestClient

from chorus.adapters.web import ReglagesWeb, ServicesWeb, creer_app
from chorus.adapters.web.entrees import lire_if_match
from chorus.adapters.web.openapi import openapi_complet
from chorus.adapters.web.problemes import RequeteInvalide, reponses, traduire_message
from chorus.adapters.web.reglages import LIMITE
from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.domain.errors import (
    AccesRefuse,
    CompteVerrouille,
    Conflit,
    ConflitDeVersion,
    DomainError,
    ErreurDeChamp,
    FichierTropVolumineux,
    FormatNonAccepte,
    JetonPerime,
    NonAuthentifie,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import Page, Pagination, Tri
from tests.web.aides import MOT_DE_PASSE, champs_en_erreur, exiger_probleme
from tests.web.conftest import BASE_URL, MAINTENANT

Client = TestClient[Litestar]

# -- a controller that exercises the skeleton -------------------------------------------------


class LigneEssai(msgspec.Struct, forbid_unknown_fields=True):
    quantite: str
    taux: int


class CorpsEssai(msgspec.Struct, forbid_unknown_fields=True):
    nom: str
    jour: date
    statut: StatutMemoire
    lignes: list[LigneEssai] = []
    nombre: Annotated[int, msgspec.Meta(ge=1)] = 1


class Reponse(msgspec.Struct):
    valeur: str


@dataclass
class Formulaire:
    fichier: UploadFile
    designation: str


ERREURS: dict[str, DomainError] = {
    "validation": ValidationError(
        "Deux champs sont faux.",
        erreurs=(
            ErreurDeChamp("lignes[0].quantite", "Quantité invalide."),
            ErreurDeChamp("nom", "Nom absent."),
        ),
    ),
    "acces": AccesRefuse("Vous n'avez pas l'habilitation requise."),
    "introuvable": NonTrouve("Ce mémoire n'existe pas.", champ="memoire_id"),
    "transition": TransitionInvalide("Le mémoire est déjà envoyé."),
    "conflit": Conflit("Cet identifiant est pris.", champ="identifiant"),
    "version": ConflitDeVersion(attendue=2, actuelle=3),
    "authentification": NonAuthentifie("Identifiants incorrects."),
    "verrou": CompteVerrouille("Compte verrouillé.", jusqu_au=MAINTENANT + timedelta(minutes=20)),
    "lien": JetonPerime("Ce lien a expiré."),
    "taille": FichierTropVolumineux("Le fichier dépasse 10 Mo.", champ="fichier"),
    "format": FormatNonAccepte("Format de fichier refusé.", champ="fichier"),
}


class EssaiControleur(Controller):
    path = "/essai"
    tags = ("Essai",)

    @post(
        "/",
        operation_id="essai_creer",
        summary="Essai",
        sync_to_thread=True,
        opt={LIMITE: True},
        responses=reponses(ValidationError),
    )
    def creer(self, data: CorpsEssai) -> Reponse:
        return Reponse(f"{data.nom}:{len(data.lignes)}")

    @get("/erreur/{genre:str}", operation_id="essai_erreur", summary="Essai", sync_to_thread=True)
    def erreur(self, genre: str) -> Reponse:
        raise ERREURS[genre]

    @get("/boum", operation_id="essai_boum", summary="Essai", sync_to_thread=True)
    def boum(self) -> Reponse:
        raise RuntimeError("secret interne de la pile")

    @get("/liste", operation_id="essai_liste", summary="Essai", sync_to_thread=True)
    def liste(self, pagination: Pagination, tri: Tri) -> PageDe[Reponse]:
        page = Page(("a", "b"), total=12, page=pagination.page, par_page=pagination.par_page)
        return page_de(page, lambda e: Reponse(f"{e}:{tri.cle.value}:{tri.descendant}"))

    @get("/version", operation_id="essai_version", summary="Essai", sync_to_thread=True)
    def version(self, version_attendue: int | None) -> Reponse:
        return Reponse(str(version_attendue))

    @post(
        "/fichier",
        operation_id="essai_fichier",
        summary="Essai",
        request_max_body_size=64 * 1024,
    )
    async def fichier(
        self,
        data: Annotated[Formulaire, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Reponse:
        contenu = await data.fichier.read()
        return Reponse(f"{data.designation}:{len(contenu)}")


@pytest.fixture
def essai(services: ServicesWeb) -> Iterator[Client]:
    app = creer_app(
        services, ReglagesWeb(limite_comptes=("minute", 1000)), controleurs=[EssaiControleur]
    )
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


def corps_essai(**changements: Any) -> dict[str, Any]:
    corps: dict[str, Any] = {
        "nom": "essai",
        "jour": "2024-06-01",
        "statut": "BROUILLON",
        "lignes": [{"quantite": "1.5", "taux": 20}, {"quantite": "2", "taux": 10}],
    }
    corps.update(changements)
    return corps


def test_un_corps_valide_passe(essai: Client) -> None:
    reponse = essai.post("/essai", json=corps_essai())

    assert reponse.status_code == 201
    assert reponse.json() == {"valeur": "essai:2"}


# -- domain errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("genre", "statut", "type_", "champs"),
    [
        ("validation", 422, "donnees-invalides", ["lignes[0].quantite", "nom"]),
        ("acces", 403, "acces-refuse", []),
        ("introuvable", 404, "non-trouve", ["memoire_id"]),
        ("transition", 409, "transition-invalide", []),
        ("conflit", 409, "conflit", ["identifiant"]),
        ("version", 409, "conflit-de-version", ["version"]),
        ("authentification", 401, "non-authentifie", []),
        ("verrou", 423, "compte-verrouille", []),
        ("lien", 410, "lien-perime", []),
        ("taille", 413, "trop-volumineux", ["fichier"]),
        ("format", 415, "format-non-accepte", ["fichier"]),
    ],
)
def test_chaque_erreur_du_domaine_a_son_statut(
    essai: Client, genre: str, statut: int, type_: str, champs: list[str]
) -> None:
    reponse = essai.get(f"/essai/erreur/{genre}")

    corps = exiger_probleme(reponse, statut)
    assert corps["type"] == f"urn:chorus:probleme:{type_}"
    assert corps["detail"] == ERREURS[genre].message
    assert champs_en_erreur(corps) == champs
    if not champs:
        assert "errors" not in corps


def test_un_refus_d_authentification_appelle_un_jeton_porteur(essai: Client) -> None:
    reponse = essai.get("/essai/erreur/authentification")

    assert reponse.headers["www-authenticate"] == 'Bearer realm="chorus"'


def test_un_compte_verrouille_dit_quand_reessayer(essai: Client) -> None:
    reponse = essai.get("/essai/erreur/verrou")

    assert reponse.headers["retry-after"] == str(20 * 60)


# -- Litestar's refusals, in French -------------------------------------------------------------


@pytest.mark.parametrize(
    ("corps", "champ", "fragment"),
    [
        ({k: v for k, v in corps_essai().items() if k != "nom"}, "nom", "obligatoire"),
        (corps_essai(inconnu=1), "inconnu", "inconnu"),
        (corps_essai(nom=3), "nom", "un texte attendu, un entier reçu"),
        (corps_essai(jour="2024-13-01"), "jour", "AAAA-MM-JJ"),
        (corps_essai(jour=20240601), "jour", "un entier reçu"),
        (corps_essai(statut="PERDU"), "statut", "« PERDU »"),
        (corps_essai(nombre=0), "nombre", "supérieure ou égale à 1"),
        (corps_essai(lignes={"a": 1}), "lignes", "une liste attendu"),
        (corps_essai(lignes=[{"quantite": "1", "taux": 1}, {"quantite": 2, "taux": 1}]),
         "lignes[1].quantite", "un texte attendu"),
        (corps_essai(lignes=[{"quantite": "1"}]), "lignes[0].taux", "obligatoire"),
        (corps_essai(lignes=[{"quantite": "1", "taux": 1, "remise": 0}]),
         "lignes[0].remise", "inconnu"),
    ],
)  # fmt: skip
def test_une_saisie_mal_formee_nomme_son_champ_en_francais(
    essai: Client, corps: dict[str, Any], champ: str, fragment: str
) -> None:
    probleme = exiger_probleme(essai.post("/essai", json=corps), 400)

    assert probleme["type"] == "urn:chorus:probleme:requete-invalide"
    assert champs_en_erreur(probleme) == [champ]
    message = probleme["errors"][0]["message"]
    assert fragment in message, message
    assert champ in probleme["detail"]
    assert not re.search(r"\b(Expected|Object|Invalid|missing)\b", probleme["detail"])


@pytest.mark.parametrize(
    ("contenu", "fragment"),
    [
        (b"{", "JSON valide"),
        (b'{"nom": "a",}', "JSON valide"),
        (b"\xff\xfe", "JSON valide"),
        (b"", "vide"),
        (b"[]", "objet JSON"),
        (b"null", "objet JSON"),
        (b'"texte"', "objet JSON"),
        (b"[" * 100_000, "imbriqué"),
        (b'{"nom": ' * 50_000, "imbriqué"),
        (b'{"nom": "a"} {}', "JSON valide"),
    ],
)
def test_un_corps_qui_n_est_pas_un_objet_json_est_nomme_corps(
    essai: Client, contenu: bytes, fragment: str
) -> None:
    reponse = essai.post("/essai", content=contenu, headers={"content-type": "application/json"})

    probleme = exiger_probleme(reponse, 400)
    assert champs_en_erreur(probleme) == ["corps"]
    assert fragment in probleme["detail"]


def test_un_corps_json_enorme_est_trop_volumineux(client: Client) -> None:
    enorme = b'{"email": "' + b"a" * (2 * 1024 * 1024) + b'"}'

    reponse = client.post("/sessions", content=enorme, headers={"content-type": "application/json"})

    probleme = exiger_probleme(reponse, 413)
    assert champs_en_erreur(probleme) == ["corps"]


def test_un_corps_juste_sous_la_limite_est_lu(client: Client) -> None:
    gros = {"email": "x@exemple.fr", "mot_de_passe": "a" * (1024 * 1024 - 100)}

    reponse = client.post("/sessions", json=gros)

    assert reponse.status_code in (401, 422)


@pytest.mark.parametrize(
    "type_de_contenu",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"],
)
def test_un_corps_json_sous_un_autre_type_est_refuse(client: Client, type_de_contenu: str) -> None:
    reponse = client.post(
        "/sessions",
        content=b'{"email": "x@exemple.fr", "mot_de_passe": "x"}',
        headers={"content-type": type_de_contenu},
    )

    probleme = exiger_probleme(reponse, 415)
    assert champs_en_erreur(probleme) == ["Content-Type"]
    assert "application/json" in probleme["detail"]


def test_le_json_se_reconnait_a_son_type_avec_parametres(client: Client) -> None:
    reponse = client.post(
        "/sessions",
        content=b'{"email": "x@exemple.fr", "mot_de_passe": "Faux-mot-2-passe"}',
        headers={"content-type": "application/json; charset=utf-8"},
    )

    exiger_probleme(reponse, 401)


def test_une_adresse_inconnue_est_un_probleme_404(client: Client) -> None:
    probleme = exiger_probleme(client.get("/nulle-part"), 404)

    assert "/api/v1/nulle-part" in probleme["detail"]
    exiger_probleme(client.get("http://testserver.local/ailleurs"), 404)


def test_une_methode_non_permise_est_un_probleme_405(client: Client) -> None:
    reponse = client.put("/sessions", json={})

    probleme = exiger_probleme(reponse, 405)
    assert "PUT" in probleme["detail"]
    assert "POST" in reponse.headers["allow"]


def test_une_erreur_inattendue_est_consignee_et_ne_dit_rien(
    essai: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="chorus.web"):
        reponse = essai.get("/essai/boum")

    probleme = exiger_probleme(reponse, 500)
    assert "secret" not in reponse.text
    assert "erreur interne" in probleme["detail"]
    enregistrement = next(r for r in caplog.records if r.name == "chorus.web")
    assert enregistrement.exc_info is not None
    assert "secret interne" in str(enregistrement.exc_info[1])


# -- multipart --------------------------------------------------------------------------------


def test_un_formulaire_multipart_valide_passe(essai: Client) -> None:
    reponse = essai.post(
        "/essai/fichier",
        files={"fichier": ("rib.pdf", b"%PDF-1.4 x", "application/pdf")},
        data={"designation": "RIB"},
    )

    assert reponse.status_code == 201, reponse.text
    assert reponse.json() == {"valeur": "RIB:10"}


MULTIPART = "multipart/form-data; boundary=limite"


@pytest.mark.parametrize(
    ("contenu", "type_de_contenu", "statut"),
    [
        (b'--limite\r\nContent-Disposition: form-data; name="x"\r\n\r\nval', MULTIPART, 400),
        (b"n'importe quoi", MULTIPART, 400),
        (b"--limite--\r\n", "multipart/form-data", 400),
        (b"x" * (65 * 1024), MULTIPART, 413),
        (b'{"designation": "RIB"}', "application/json", 415),
    ],
)  # fmt: skip
def test_un_multipart_mal_forme_est_refuse_en_francais(
    essai: Client, contenu: bytes, type_de_contenu: str, statut: int
) -> None:
    reponse = essai.post(
        "/essai/fichier", content=contenu, headers={"content-type": type_de_contenu}
    )

    probleme = exiger_probleme(reponse, statut)
    assert not re.search(r"\b(Expected|Invalid|missing|Unexpected)\b", probleme["detail"])


def test_un_multipart_sans_le_fichier_nomme_le_champ(essai: Client) -> None:
    reponse = essai.post("/essai/fichier", files={"designation": (None, b"RIB")})

    probleme = exiger_probleme(reponse, 400)
    assert "fichier" in champs_en_erreur(probleme)


# -- pages, sort orders, If-Match ---------------------------------------------------------------


def test_la_pagination_et_le_tri_se_lisent_dans_la_requete(essai: Client) -> None:
    reponse = essai.get("/essai/liste", params={"page": 2, "par_page": 5, "tri": "montant_ttc"})

    assert reponse.json() == {
        "elements": [{"valeur": "a:montant_ttc:False"}, {"valeur": "b:montant_ttc:False"}],
        "total": 12,
        "page": 2,
        "par_page": 5,
    }
    defaut = essai.get("/essai/liste").json()
    assert (defaut["page"], defaut["par_page"]) == (1, 50)
    assert defaut["elements"][0]["valeur"] == "a:date_statut:True"


@pytest.mark.parametrize(
    ("parametres", "statut", "champ"),
    [
        ({"page": 0}, 400, "page"),
        ({"page": "deux"}, 400, "page"),
        ({"par_page": 501}, 400, "par_page"),
        ({"par_page": 0}, 400, "par_page"),
        ({"tri": "-couleur"}, 422, "tri"),
    ],
)
def test_une_pagination_ou_un_tri_invalide_est_refuse(
    essai: Client, parametres: dict[str, Any], statut: int, champ: str
) -> None:
    probleme = exiger_probleme(essai.get("/essai/liste", params=parametres), statut)

    assert champs_en_erreur(probleme) == [champ]


@pytest.mark.parametrize(
    ("entete", "version"), [("3", 3), ('"3"', 3), ('W/"12"', 12), (" 7 ", 7), (None, None)]
)
def test_if_match_accepte_les_formes_usuelles(
    essai: Client, entete: str | None, version: int | None
) -> None:
    entetes = {} if entete is None else {"If-Match": entete}

    assert essai.get("/essai/version", headers=entetes).json() == {"valeur": str(version)}


@given(version=st.integers(min_value=0, max_value=10**15))
def test_if_match_relit_toute_version_ecrite_par_etag(version: int) -> None:
    for forme in (str(version), f'"{version}"', f'W/"{version}"'):
        assert lire_if_match(forme) == version


@given(texte=st.text(max_size=30))
def test_if_match_refuse_proprement_tout_autre_texte(texte: str) -> None:
    refus: RequeteInvalide | None = None
    version = None
    try:
        version = lire_if_match(texte)
    except RequeteInvalide as erreur:
        refus = erreur
    if refus is not None:
        assert (refus.champ, refus.status_code) == ("If-Match", 400)
    else:
        assert version is not None
        assert str(version) in texte


@pytest.mark.parametrize("entete", ["*", "abc", '"3', 'W/"x"', "-1", "1.5", '"1", "2"'])
def test_un_if_match_invalide_est_une_requete_invalide(essai: Client, entete: str) -> None:
    probleme = exiger_probleme(essai.get("/essai/version", headers={"If-Match": entete}), 400)

    assert champs_en_erreur(probleme) == ["If-Match"]


@given(message=st.text(max_size=80))
def test_tout_message_de_msgspec_se_traduit(message: str) -> None:
    texte, champ = traduire_message(message)

    assert texte
    assert champ is None or champ in message


# -- rate limit -------------------------------------------------------------------------------


@pytest.fixture
def reglages_web() -> ReglagesWeb:
    return ReglagesWeb(limite_comptes=("minute", 3))


def test_la_connexion_est_limitee_par_adresse(client: Client) -> None:
    mauvais = {"email": "x@exemple.fr", "mot_de_passe": MOT_DE_PASSE}
    for _ in range(3):
        exiger_probleme(client.post("/sessions", json=mauvais), 401)

    trop = client.post("/sessions", json=mauvais)

    probleme = exiger_probleme(trop, 429)
    assert "patientez" in probleme["detail"]
    assert 0 < int(trop.headers["retry-after"]) <= 60
    # Sign-up and links share the budget; other routes do not count.
    exiger_probleme(client.post("/comptes", json={}), 429)
    exiger_probleme(client.post("/comptes/mot-de-passe-oublie", json={"email": "a@b.fr"}), 429)
    assert client.get("/referentiels/taux-tva").status_code == 200


def test_la_limite_est_propre_a_chaque_application(client: Client, app: Litestar) -> None:
    for _ in range(3):
        client.get("/captcha")
    exiger_probleme(client.get("/captcha"), 429)

    services = app.state["services"]
    with TestClient(creer_app(services, ReglagesWeb(limite_comptes=("minute", 3))),
                    base_url=BASE_URL) as autre:  # fmt: skip
        assert autre.get("/captcha").status_code == 200


# -- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "chemin", ["/referentiels/taux-tva", "/nulle-part", "/moi", "/schema", "/schema/openapi.json"]
)
def test_chaque_reponse_porte_les_entetes_de_securite(client: Client, chemin: str) -> None:
    reponse = client.get(chemin)

    assert reponse.headers["x-content-type-options"] == "nosniff"
    assert reponse.headers["referrer-policy"] == "no-referrer"
    assert reponse.headers["x-frame-options"] == "DENY"
    assert "cache-control" in reponse.headers


# -- the OpenAPI document --------------------------------------------------------------------

_METHODES = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    reponse = client.get("/schema/openapi.json")
    assert reponse.status_code == 200
    corps: dict[str, Any] = reponse.json()
    return corps


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for chemin, element in document["paths"].items():
        for methode, operation in element.items():
            if methode in _METHODES:
                yield chemin, methode, operation


def test_le_document_openapi_decrit_l_api(document: dict[str, Any]) -> None:
    assert document["info"]["title"] == "Chorus — API"
    assert document["components"]["securitySchemes"]["jeton"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["jeton"]["description"],
    }
    assert {"/api/v1/sessions", "/api/v1/comptes", "/api/v1/moi"} <= set(document["paths"])


def test_chaque_operation_a_un_identifiant_des_etiquettes_et_un_resume(
    document: dict[str, Any],
) -> None:
    vus: set[str] = set()
    for chemin, methode, operation in operations(document):
        identifiant = operation.get("operationId")
        assert identifiant, (methode, chemin)
        assert re.fullmatch(r"[a-z][a-z0-9_]*", identifiant), identifiant
        assert identifiant not in vus, identifiant
        vus.add(identifiant)
        assert operation.get("tags"), identifiant
        assert operation.get("summary"), identifiant
        assert chemin.startswith("/api/v1/"), chemin
    assert len(vus) >= 12


def test_chaque_erreur_documentee_est_un_probleme(document: dict[str, Any]) -> None:
    for _, _, operation in operations(document):
        for statut, reponse in operation["responses"].items():
            if int(statut) >= 400:
                assert list(reponse["content"]) == ["application/problem+json"], (
                    operation["operationId"],
                    statut,
                )
    probleme = document["components"]["schemas"]["Probleme"]
    assert set(probleme["required"]) == {"type", "title", "status", "detail"}


def test_les_operations_authentifiees_le_declarent(document: dict[str, Any]) -> None:
    par_id = {op["operationId"]: op for _, _, op in operations(document)}

    for identifiant in ("lire_moi", "modifier_moi", "fermer_session"):
        assert par_id[identifiant]["security"] == [{"jeton": []}]
        assert "401" in par_id[identifiant]["responses"]
    for identifiant in (
        "ouvrir_session",
        "creer_compte",
        "lire_referentiel",
        "verifier_certificat",
    ):
        assert "security" not in par_id[identifiant], identifiant


@pytest.mark.parametrize(
    ("identifiant", "statuts"),
    [
        ("obtenir_captcha", {"200", "429"}),
        ("creer_compte", {"201", "400", "409", "413", "415", "422", "429"}),
        ("activer_compte", {"200", "410", "422", "429"}),
        ("signaler_mot_de_passe_oublie", {"202", "422", "429"}),
        ("reinitialiser_mot_de_passe", {"204", "410", "422", "423", "429"}),
        ("ouvrir_session", {"201", "401", "422", "423", "429"}),
        ("fermer_session", {"204", "401"}),
        ("lire_moi", {"200", "401"}),
        ("modifier_moi", {"200", "400", "401", "409", "422"}),
        ("lire_referentiel", {"200", "404"}),
        ("verifier_certificat", {"200", "400", "404"}),
    ],
)
def test_les_statuts_promis_sont_documentes(
    document: dict[str, Any], identifiant: str, statuts: set[str]
) -> None:
    operation = next(op for _, _, op in operations(document) if op["operationId"] == identifiant)

    assert statuts <= set(operation["responses"])


def test_la_page_de_l_api_est_servie(client: Client) -> None:
    reponse = client.get("/schema")

    assert reponse.status_code == 200
    assert reponse.headers["content-type"].startswith("text/html")
    assert "Chorus" in reponse.text


def test_le_document_se_complete_aussi_sans_requete(app: Litestar) -> None:
    document = openapi_complet(app)

    moi = document.paths["/api/v1/moi"].get  # type: ignore[index]
    assert moi is not None
    assert moi.security == [{"jeton": []}]
    assert openapi_complet(app) is document
