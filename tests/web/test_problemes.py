"""Every refusal is a French problem (RFC 9457), never a 500: domain errors, Litestar's own
refusals (validation, routing, sizes, media types, rate limit), the last-resort handler; the
security headers; and the OpenAPI document's promises."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

import litestar.concurrency
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Controller, Litestar, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from litestar.testing import TestClient

from chorus.adapters.web import ReglagesWeb, ServicesWeb, creer_app
from chorus.adapters.web.dependances import PaginationDemandee, TriDemande, VersionAttendue
from chorus.adapters.web.entrees import MOTIF_IF_MATCH, lire_if_match
from chorus.adapters.web.openapi import openapi_complet
from chorus.adapters.web.problemes import RequeteInvalide, reponses, traduire_message
from chorus.adapters.web.reglages import LIMITE
from chorus.adapters.web.requete import chemin_hors_bornes
from chorus.adapters.web.schemas.communs import PageDe, page_de
from chorus.bootstrap import Chorus
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
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import Page
from chorus.services.comptes import Authentification
from tests.web.aides import (
    MOT_DE_PASSE,
    champs_en_erreur,
    creer_compte_actif,
    entetes_de,
    exiger_probleme,
)
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
    def creer(self, data: JSONBody[CorpsEssai]) -> Reponse:
        return Reponse(f"{data.nom}:{len(data.lignes)}")

    @get("/erreur/{genre:str}", operation_id="essai_erreur", summary="Essai", sync_to_thread=True)
    def erreur(self, genre: FromPath[str]) -> Reponse:
        raise ERREURS[genre]

    @get("/boum", operation_id="essai_boum", summary="Essai", sync_to_thread=True)
    def boum(self) -> Reponse:
        raise RuntimeError("secret interne de la pile")

    @get("/liste", operation_id="essai_liste", summary="Essai", sync_to_thread=True)
    def liste(self, pagination: PaginationDemandee, tri: TriDemande) -> PageDe[Reponse]:
        page = Page(("a", "b"), total=12, page=pagination.page, par_page=pagination.par_page)
        return page_de(page, lambda e: Reponse(f"{e}:{tri.cle.value}:{tri.descendant}"))

    @get("/version", operation_id="essai_version", summary="Essai", sync_to_thread=True)
    def version(self, version_attendue: VersionAttendue) -> Reponse:
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


@pytest.mark.parametrize("nom", [None, "\\"])
def test_un_texte_a_la_place_du_fichier_est_explique(essai: Client, nom: str | None) -> None:
    # Without a file name (or with one the parser reduces to nothing: ``\\``), the part is a
    # text field.
    reponse = essai.post(
        "/essai/fichier",
        files={"fichier": (nom, b"%PDF-1.4 x", "application/pdf")},
        data={"designation": "RIB"},
    )

    probleme = exiger_probleme(reponse, 400)
    assert champs_en_erreur(probleme) == ["fichier"]
    assert "fichier est attendu" in probleme["detail"]


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
        ({"page": 1_000_001}, 400, "page"),
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


# -- bytes a client may send ------------------------------------------------------------------

JSON_ESSAI = msgspec.json.encode(corps_essai())


@pytest.mark.parametrize(
    ("contenu", "fragment"),
    [
        pytest.param(b'{"nom": "\xff\xfe"}', "UTF-8", id="octets hors UTF-8"),
        pytest.param(b'{"nom": "\xc3("}', "UTF-8", id="séquence UTF-8 tronquée"),
        pytest.param(b'{"nom": "\xed\xa0\x80"}', "UTF-8", id="demi-paire UTF-16 encodée"),
        pytest.param(b"\xef\xbb\xbf" + JSON_ESSAI, "JSON valide", id="BOM"),
        pytest.param(b'{"nom": "a\x00b"}', "JSON valide", id="NUL brut"),
        pytest.param(b'{"nom": "\\ud800"}', "JSON valide", id="demi-paire haute échappée"),
        pytest.param(b'{"nom": "\\udc00x"}', "JSON valide", id="demi-paire basse échappée"),
        pytest.param('{"nom": "é"}'.encode("utf-16"), "JSON valide", id="UTF-16"),
    ],
)
def test_des_octets_qui_ne_font_pas_un_json_sont_nommes_corps(
    essai: Client, contenu: bytes, fragment: str
) -> None:
    reponse = essai.post("/essai", content=contenu, headers={"content-type": "application/json"})

    probleme = exiger_probleme(reponse, 400)
    assert champs_en_erreur(probleme) == ["corps"]
    assert fragment in probleme["detail"]


def test_un_nul_echappe_arrive_jusqu_aux_regles_de_gestion(essai: Client) -> None:
    # Valid JSON: the text holds a NUL, which the domain's own rules judge (not the adapter).
    corps = JSON_ESSAI.replace(b'"nom":"essai"', b'"nom":"a\\u0000b"')
    assert corps != JSON_ESSAI

    reponse = essai.post("/essai", content=corps, headers={"content-type": "application/json"})

    assert reponse.status_code == 201, reponse.text
    assert reponse.json() == {"valeur": "a\x00b:2"}


def _presque_json() -> st.SearchStrategy[bytes]:
    """Bytes near a valid body: the essai body with a few bytes replaced or cut."""

    @st.composite
    def abime(draw: st.DrawFn) -> bytes:
        octets = bytearray(JSON_ESSAI)
        for _ in range(draw(st.integers(1, 4))):
            position = draw(st.integers(0, len(octets) - 1))
            octets[position] = draw(st.integers(0, 255))
        return bytes(octets[: draw(st.integers(0, len(octets)))])

    return abime()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contenu=st.one_of(st.binary(max_size=120), _presque_json()))
def test_aucun_corps_n_aboutit_a_une_erreur_interne(essai: Client, contenu: bytes) -> None:
    reponse = essai.post("/essai", content=contenu, headers={"content-type": "application/json"})

    assert reponse.status_code in (201, 400), (reponse.status_code, reponse.text)
    if reponse.status_code == 400:
        assert champs_en_erreur(exiger_probleme(reponse, 400))


@pytest.mark.parametrize(
    ("contenu", "champ"),
    [
        (JSON_ESSAI.replace(b'"statut"', b'"nombre":1e400,"statut"'), "nombre"),
        (JSON_ESSAI.replace(b'"taux":10', b'"taux":-1e400'), "lignes[1].taux"),
        (b"1e400", "corps"),
    ],
)
def test_un_nombre_hors_des_bornes_nomme_son_champ(
    essai: Client, contenu: bytes, champ: str
) -> None:
    assert b"1e400" in contenu
    reponse = essai.post("/essai", content=contenu, headers={"content-type": "application/json"})

    probleme = exiger_probleme(reponse, 400)
    assert champs_en_erreur(probleme) == [champ]
    assert "bornes" in probleme["errors"][0]["message"]


_SENTINELLE = "\x01hors-bornes\x01"

_FEUILLES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
)
_CLES = st.from_regex(r"[a-z_]{1,6}", fullmatch=True)
_JSON = st.recursive(
    _FEUILLES,
    lambda enfants: st.one_of(
        st.lists(enfants, max_size=4), st.dictionaries(_CLES, enfants, max_size=4)
    ),
    max_leaves=15,
)


@st.composite
def _json_avec_un_nombre_hors_bornes(draw: st.DrawFn) -> tuple[bytes, str]:
    """A JSON document holding ``1e400`` somewhere, and where (``$.a[1].b``)."""
    racine = draw(_JSON)
    chemin = "$"

    def placer(noeud: Any) -> Any:
        nonlocal chemin
        if isinstance(noeud, list) and noeud and draw(st.booleans()):
            i = draw(st.integers(0, len(noeud) - 1))
            chemin += f"[{i}]"
            return [*noeud[:i], placer(noeud[i]), *noeud[i + 1 :]]
        if isinstance(noeud, dict) and noeud and draw(st.booleans()):
            cle = draw(st.sampled_from(sorted(noeud)))
            chemin += f".{cle}"
            return {**noeud, cle: placer(noeud[cle])}
        return _SENTINELLE

    document = msgspec.json.encode(placer(racine))
    sentinelle = msgspec.json.encode(_SENTINELLE)
    assert document.count(sentinelle) == 1
    return document.replace(sentinelle, b"1e400"), chemin


@given(_json_avec_un_nombre_hors_bornes())
def test_le_nombre_hors_des_bornes_est_situe(cas: tuple[bytes, str]) -> None:
    document, chemin = cas

    with pytest.raises(msgspec.ValidationError, match="Number out of range"):
        msgspec.json.decode(document)
    assert chemin_hors_bornes(document) == chemin


@pytest.mark.parametrize(
    ("partie", "fragment"),
    [
        (b"Content-Type: text/plain\r\n\r\nRIB\xff", "UTF-8"),
        (b"Content-Type: text/plain; charset=klingon\r\n\r\nRIB", "UTF-8"),
    ],
)
def test_un_champ_de_formulaire_illisible_est_nomme_corps(
    essai: Client, partie: bytes, fragment: str
) -> None:
    contenu = (
        b'--limite\r\nContent-Disposition: form-data; name="fichier"; filename="rib.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n"
        b'--limite\r\nContent-Disposition: form-data; name="designation"\r\n'
        + partie
        + b"\r\n--limite--\r\n"
    )

    reponse = essai.post("/essai/fichier", content=contenu, headers={"content-type": MULTIPART})

    probleme = exiger_probleme(reponse, 400)
    assert champs_en_erreur(probleme) == ["corps"]
    assert fragment in probleme["detail"]
    # The same form in latin-1, declared so, is read.
    latin = contenu.replace(b"text/plain\r\n", b"text/plain; charset=latin-1\r\n")
    if latin != contenu:
        lu = essai.post("/essai/fichier", content=latin, headers={"content-type": MULTIPART})
        assert lu.json() == {"valeur": "RIB\xff:10"}


# -- the document's promises on headers and empty answers --------------------------------------


def test_aucune_reponse_204_ne_documente_de_corps(document: dict[str, Any]) -> None:
    sans_corps: set[str] = set()
    for _, _, operation in operations(document):
        for statut in ("204", "304"):
            if (reponse := operation["responses"].get(statut)) is not None:
                assert "content" not in reponse, (operation["operationId"], statut)
                sans_corps.add(operation["operationId"])

    # Among them, those answering `Response(None, 204, headers=etag(...))`.
    assert {"supprimer_ligne_memoire", "retirer_piece_memoire", "supprimer_memoire"} <= sans_corps


def _parametres_if_match(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        parametre
        for _, _, operation in operations(document)
        for parametre in operation.get("parameters", [])
        if parametre["in"] == "header" and parametre["name"] == "If-Match"
    ]


def test_if_match_est_documente_par_son_motif(document: dict[str, Any]) -> None:
    parametres = _parametres_if_match(document)

    assert len(parametres) >= 10
    for parametre in parametres:
        assert parametre["required"] is False
        schema = parametre["schema"]
        assert schema["type"] == "string"
        assert schema["pattern"] == MOTIF_IF_MATCH
        assert "oneOf" not in schema


@given(valeur=st.from_regex(MOTIF_IF_MATCH, fullmatch=True))
def test_toute_valeur_au_motif_de_if_match_est_acceptee(valeur: str) -> None:
    version = lire_if_match(valeur)

    assert version is not None
    assert str(version) == valeur.strip(' \t"W/').lstrip("0") or version == 0


@given(valeur=st.text(max_size=25))
def test_toute_valeur_hors_du_motif_de_if_match_est_refusee(valeur: str) -> None:
    if re.fullmatch(MOTIF_IF_MATCH, valeur):
        assert lire_if_match(valeur) is not None
        return
    with pytest.raises(RequeteInvalide) as refus:
        lire_if_match(valeur)
    assert (refus.value.champ, refus.value.status_code) == ("If-Match", 400)


_IMPRIMABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=25)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(valeur=st.one_of(st.from_regex(MOTIF_IF_MATCH, fullmatch=True), _IMPRIMABLE))
def test_l_en_tete_if_match_suit_son_motif_de_bout_en_bout(essai: Client, valeur: str) -> None:
    reponse = essai.get("/essai/version", headers={"If-Match": valeur})

    if re.fullmatch(MOTIF_IF_MATCH, valeur):
        assert reponse.status_code == 200, reponse.text
        assert reponse.json() == {"valeur": str(lire_if_match(valeur))}
    else:
        assert champs_en_erreur(exiger_probleme(reponse, 400)) == ["If-Match"]


# -- OPTIONS and 405: the methods of each path ----------------------------------------------


def _chemin_concret(gabarit: str) -> str:
    """A request path for an OpenAPI path template (any id will do: routing only)."""
    return re.sub(r"\{[^}]+\}", "1", gabarit).removeprefix("/api/v1")


def test_options_liste_les_methodes_de_chaque_chemin(
    client: Client, document: dict[str, Any]
) -> None:
    for gabarit, element in document["paths"].items():
        attendues = {m.upper() for m in element if m in _METHODES} | {"OPTIONS"}

        reponse = client.options(_chemin_concret(gabarit))

        assert reponse.status_code == 204, (gabarit, reponse.text)
        permises = reponse.headers["allow"].split(", ")
        assert permises == sorted(attendues), gabarit


def test_options_sur_les_memoires_liste_get_et_post(client: Client) -> None:
    reponse = client.options("/memoires")

    assert reponse.headers["allow"] == "GET, OPTIONS, POST"
    assert reponse.headers["x-content-type-options"] == "nosniff"


def test_une_reponse_405_dit_les_methodes_permises(client: Client) -> None:
    reponse = client.put("/memoires", json={})

    probleme = exiger_probleme(reponse, 405)
    assert reponse.headers["allow"] == "GET, OPTIONS, POST"
    assert "GET, OPTIONS, POST" in probleme["detail"]


def test_une_reponse_garde_son_propre_cache_control(client: Client) -> None:
    assert "max-age=3600" in client.get("/referentiels/taux-tva").headers["cache-control"]
    assert client.get("/nulle-part").headers["cache-control"] == "no-store"
    assert client.options("/moi").headers["cache-control"] == "no-store"


# -- Litestar 3 readiness -----------------------------------------------------------------


def test_l_application_ne_s_appuie_sur_rien_de_deprecie(services: ServicesWeb) -> None:
    with warnings.catch_warnings(record=True) as avertissements:
        warnings.simplefilter("always")
        app = creer_app(services, ReglagesWeb())
        with TestClient(app, base_url=BASE_URL) as client:
            assert client.get("/schema/openapi.json").status_code == 200
            assert client.get("/referentiels/taux-tva").status_code == 200

    depreciations = [a for a in avertissements if issubclass(a.category, DeprecationWarning)]
    assert depreciations == [], [str(a.message) for a in depreciations]


# -- authentication: in the handler's thread, and before any other refusal ------------------


def _jeton_valide(chorus: Chorus, email: str = "camille.durand@exemple.fr") -> str:
    # Through the use case: this module's rate limit (3 a minute) would stop POST /sessions.
    creer_compte_actif(chorus, email)
    return chorus.comptes.ouvrir_session(email, MOT_DE_PASSE).jeton


def test_l_authentification_se_fait_dans_le_fil_du_handler(
    client: Client, chorus: Chorus, monkeypatch: pytest.MonkeyPatch
) -> None:
    entetes = entetes_de(_jeton_valide(chorus))
    fils: dict[str, int] = {}
    authentifier = chorus.comptes.authentifier
    obtenir = chorus.utilisateurs.obtenir

    def authentifier_espion(secret: str) -> Authentification:
        fils["authentification"] = threading.get_ident()
        return authentifier(secret)

    def obtenir_espion(utilisateur_id: str) -> Utilisateur:
        fils["cas d'usage"] = threading.get_ident()
        return obtenir(utilisateur_id)

    monkeypatch.setattr(chorus.comptes, "authentifier", authentifier_espion)
    monkeypatch.setattr(chorus.utilisateurs, "obtenir", obtenir_espion)
    # Every hop to a worker thread (a handler's, a dependency's) goes through this function.
    sauts: list[str] = []
    vers_un_fil = litestar.concurrency._run_sync_asyncio

    async def compter(fn: Any, *args: Any, **kwargs: Any) -> Any:
        sauts.append(getattr(fn, "__name__", repr(fn)))
        return await vers_un_fil(fn, *args, **kwargs)

    monkeypatch.setattr(litestar.concurrency, "_run_sync_asyncio", compter)

    reponse = client.get("/moi", headers=entetes)

    assert reponse.status_code == 200, reponse.text
    assert len(sauts) == 1, sauts
    assert fils["authentification"] == fils["cas d'usage"]
    assert fils["authentification"] != threading.get_ident()


def _requete_sans_defaut(
    gabarit: str, operation: dict[str, Any]
) -> tuple[str, dict[str, str], bytes | None, dict[str, str]]:
    """A request the operation's parameters accept, with a well-formed body (JSON, or
    multipart when that is all the operation reads) that fails validation."""
    parametres: dict[str, str] = {}
    for parametre in operation.get("parameters", []):
        if parametre["in"] == "query" and parametre.get("required"):
            format_ = parametre["schema"].get("format")
            parametres[parametre["name"]] = "2024-01-01" if format_ == "date" else "x"
    medias = operation.get("requestBody", {}).get("content", {})
    if not medias:
        return _chemin_concret(gabarit), parametres, None, {}
    if "application/json" in medias:
        return (
            _chemin_concret(gabarit),
            parametres,
            b'{"champ_inconnu": 1}',
            {"content-type": "application/json"},
        )
    assert list(medias) == ["multipart/form-data"], medias
    corps = b'--x\r\nContent-Disposition: form-data; name="designation"\r\n\r\nRIB\r\n--x--\r\n'
    return (
        _chemin_concret(gabarit),
        parametres,
        corps,
        {"content-type": "multipart/form-data; boundary=x"},
    )


def test_un_jeton_invalide_prime_sur_toute_autre_erreur(
    client: Client, chorus: Chorus, document: dict[str, Any]
) -> None:
    valide = entetes_de(_jeton_valide(chorus))
    inconnu = entetes_de("inconnu-mais-bien-forme")
    securisees = 0
    for gabarit, methode, operation in operations(document):
        if "security" not in operation:
            continue
        securisees += 1
        chemin, parametres, corps, type_ = _requete_sans_defaut(gabarit, operation)

        refus = client.request(
            methode, chemin, params=parametres, content=corps, headers={**inconnu, **type_}
        )

        assert refus.status_code == 401, (operation["operationId"], refus.text)
        if corps is not None:
            # The same request, authenticated, fails on its body: what the 401 took over.
            autre = client.request(
                methode, chemin, params=parametres, content=corps, headers={**valide, **type_}
            )
            assert autre.status_code == 400, (operation["operationId"], autre.text)
    assert securisees >= 40
