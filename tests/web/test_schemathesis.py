"""Schemathesis over every operation of the served OpenAPI document, in-process (ASGI).

Each operation gets a fixed, derandomized number of generated requests, valid and invalid
(schemathesis' « examples » and « fuzzing » phases, positive and negative modes). Every answer
must be: no 5xx (`not_a_server_error`), a status the operation documents
(`status_code_conformance`), with a documented content type (`content_type_conformance`) and
a body that matches its schema (`response_schema_conformance`).

The requests carry the bearer header of the gestionnaire of a structure with mémoires (the
world of `tests.web.entrees_monde`) — those of the back office's ticket routes, the header
of the agent the world's tickets are routed to —, and the path parameters name that world's
objects (the structure, a draft mémoire, its first line, the RIB pièce, a ticket and its
pièce, an actualité…), so that authenticated operations reach their handlers' rules instead
of stopping at 401, 403 or 404. The store is put back as the world left it before each
request. The rate limiter is off for this module.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chorus.adapters.web import ReglagesWeb
from tests.web.entrees_monde import MondePartage, construire_monde_partage

EXEMPLES_PAR_OPERATION = 20
SCHEMA = "/api/v1/schema/openapi.json"
SUPPORT = "/api/v1/support/"
"""The back office's ticket routes, requested as the world's agent."""
TEXTE = "Voici les précisions demandées."
TEXTES = {  # half the tickets' texts are a real one: else nearly all are blank or refused
    f"body.{champ}": {"dictionary": "textes", "probability": 0.5}
    for champ in ("texte", "commentaire")
}

VERIFICATIONS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def configuration(partage: MondePartage) -> SchemathesisConfig:
    ids = partage.monde.ids
    structure = partage.monde.chorus.structures.obtenir(ids["gestionnaire_id"], ids["structure"])
    membre = structure.rattachement_de(ids["membre_id"])
    assert membre is not None
    return SchemathesisConfig.from_dict(
        {
            "seed": 20240614,
            "generation": {
                "mode": "all",
                "max-examples": EXEMPLES_PAR_OPERATION,
                "deterministic": True,
            },
            "phases": {
                "examples": {"enabled": True},
                "fuzzing": {"enabled": True},
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
            },
            "parameters": {
                "structure_id": ids["structure"],
                "memoire_id": ids["brouillon"],
                "numero_ligne": 1,
                "piece_id": ids["rib"],
                "coordonnee_id": ids["coordonnee"],
                "service_id": ids["service"],
                "jeton_id": ids["jeton_api"],
                "rattachement_id": membre.id,
                "habilitation_id": structure.habilitations[0].id,
                "actualite_id": ids["actualite"],
                "numero_flux": ids["flux"],
            },
            # A ticket's number and pièce: the user's side answers on a ticket awaiting
            # their answer to a solution, the back office's on an OUVERT one.
            "dictionaries": {"textes": {"values": [TEXTE]}},
            "operations": [
                {
                    "include-path-regex": "^/api/v1/tickets/",
                    "parameters": {
                        "numero": ids["ticket"],
                        "piece_id": ids["piece_ticket"],
                        **TEXTES,
                    },
                },
                {
                    "include-path-regex": f"^{SUPPORT}tickets/",
                    "parameters": {
                        "numero": ids["ticket_support"],
                        "piece_id": ids["piece_ticket_support"],
                        **TEXTES,
                    },
                },
            ],
        }
    )


# Built when the module is imported: `schema.parametrize()` needs the document then (and
# schemathesis' fixture-based lazy loading does not work under pytest 9).
PARTAGE = construire_monde_partage(ReglagesWeb(captcha_desactive=True, limite_active=False))
schema = schemathesis.openapi.from_asgi(
    SCHEMA, PARTAGE.monde.banc.client.app, config=configuration(PARTAGE)
)


@pytest.fixture
def partage() -> MondePartage:
    return PARTAGE


@schema.parametrize()
@settings(
    max_examples=EXEMPLES_PAR_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_schema_respecte(case: Any, partage: MondePartage) -> None:
    monde = partage.remettre()
    role = "agent" if case.operation.path.startswith(SUPPORT) else "gestionnaire"
    reponse = case.call(headers=dict(monde.entetes[role]))
    case.validate_response(reponse, checks=VERIFICATIONS)


def test_aucun_204_ne_documente_de_corps() -> None:
    """A 204 has no body: documenting one (as Litestar does from ``-> Response[None]``)
    fails the content-type and schema checks whenever the generator reaches the success."""
    document: dict[str, Any] = PARTAGE.monde.banc.client.app.openapi_schema.to_schema()
    fautives = [
        f"{methode.upper()} {chemin}"
        for chemin, operations in document["paths"].items()
        for methode, operation in operations.items()
        if isinstance(operation, dict)
        and operation.get("responses", {}).get("204", {}).get("content")
    ]
    assert fautives == []


def test_le_porteur_et_les_parametres_atteignent_le_monde() -> None:
    """What the generated requests carry reaches real objects (else every authenticated
    operation would stop at 401 or 404 and the run would prove little)."""
    monde = PARTAGE.remettre()
    client = monde.banc.client
    entetes = monde.entetes["gestionnaire"]
    with client:
        assert client.get("/moi", headers=entetes).status_code == 200
        assert client.get(f"/memoires/{monde.ids['brouillon']}", headers=entetes).status_code == 200
        lignes = client.get(f"/memoires/{monde.ids['brouillon']}", headers=entetes).json()["lignes"]
        assert [ligne["numero_ligne"] for ligne in lignes] == [1]
        jetons = client.get(f"/structures/{monde.ids['structure']}/jetons-api", headers=entetes)
        assert monde.ids["jeton_api"] in [j["id"] for j in jetons.json()["elements"]]
        ticket = client.get(f"/tickets/{monde.ids['ticket']}", headers=entetes).json()
        assert ticket["statut"] == "ACTION_REQUISE"
        assert [p["id"] for p in ticket["pieces"]] == [monde.ids["piece_ticket"]]
        agent = monde.entetes["agent"]
        support = client.get(f"/support/tickets/{monde.ids['ticket_support']}", headers=agent)
        assert support.json()["statut"] == "OUVERT"
        assert [p["id"] for p in support.json()["pieces"]] == [monde.ids["piece_ticket_support"]]
        assert client.get(f"/actualites/{monde.ids['actualite']}").status_code == 200
