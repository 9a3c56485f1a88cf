"""The assistant « ClaudIA » and the user guide through the API: public, answers with their
guide links (each of which the API serves), the ticket offered when it does not know, and
problems naming ``question``."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from chorus.bootstrap import Chorus


def _demander(client: TestClient[Litestar], question: str) -> Any:
    reponse = client.get("/assistant", params={"question": question})
    assert reponse.status_code == 200, reponse.text
    return reponse.json()


def test_une_question_connue_recoit_sa_reponse_et_ses_liens(
    client: TestClient[Litestar],
) -> None:
    # No Authorization header: someone who cannot sign in is the first to need help.
    corps = _demander(client, "j'ai oublié mon mot de passe")
    assert corps["proposer_ticket"] is False
    assert corps["ticket_prerempli"] is None
    assert corps["message"]
    premiere = corps["reponses"][0]
    assert set(premiere) == {"id", "question", "reponse", "liens", "score"}
    assert premiere["id"] == "mot-de-passe-oublie"
    assert "question secrète" in premiere["reponse"]
    assert 0 < premiere["score"] <= 1
    scores = [r["score"] for r in corps["reponses"]]
    assert scores == sorted(scores, reverse=True)
    lien = premiere["liens"][0]
    assert lien["cible"] == "guide/compte#mot-de-passe-oublie"
    assert lien["url"] == "/api/v1/guide/compte/mot-de-passe-oublie"
    section = client.get(lien["url"].removeprefix("/api/v1"))
    assert section.status_code == 200
    assert section.json()["titre"] == lien["titre"] == "Mot de passe oublié"
    assert section.json()["markdown"].startswith("## Mot de passe oublié\n")


def test_une_question_inconnue_propose_un_ticket_prerempli(
    client: TestClient[Litestar],
) -> None:
    question = "Quelle est la recette de la tarte aux pommes de ma grand-mère ? " * 2
    corps = _demander(client, question)
    assert corps["reponses"] == []
    assert corps["proposer_ticket"] is True
    assert "ne connais pas" in corps["message"]
    assert corps["ticket_prerempli"] == {
        "categorie": "AUTRE",
        "sous_categorie": "A_QUESTION",
        "resume": " ".join(question.split())[:100],
        "description": question.strip(),
    }


def test_une_question_vide_trop_longue_ou_absente_est_refusee(
    client: TestClient[Litestar],
) -> None:
    for question in ("", "   ", "x" * 501):
        reponse = client.get("/assistant", params={"question": question})
        assert reponse.status_code == 422, reponse.text
        assert reponse.headers["content-type"].startswith("application/problem+json")
        assert [e["champ"] for e in reponse.json()["errors"]] == ["question"]
    absente = client.get("/assistant")
    assert absente.status_code == 400
    assert "question" in absente.text


def test_le_guide_sert_chaque_section_vers_laquelle_la_faq_renvoie(
    client: TestClient[Litestar], chorus: Chorus
) -> None:
    guide = client.get("/guide")
    assert guide.status_code == 200
    pages = guide.json()["pages"]
    assert [p["page"] for p in pages][:3] == ["compte", "structures", "memoires"]
    servies = set()
    for page in pages:
        corps = client.get(f"/guide/{page['page']}").json()
        assert corps["titre"] == page["titre"]
        assert "{#" not in corps["markdown"]
        assert [s["ancre"] for s in corps["sections"]] == [s["ancre"] for s in page["sections"]]
        servies |= {f"guide/{page['page']}#{s['ancre']}" for s in corps["sections"]}
    liens = {str(lien) for entree in chorus.assistant.entrees() for lien in entree.liens}
    assert len(chorus.assistant.entrees()) >= 45
    assert liens <= servies


def test_page_ou_section_inconnue(client: TestClient[Litestar]) -> None:
    page = client.get("/guide/nulle-part")
    assert page.status_code == 404
    assert "nulle-part" in page.json()["detail"]
    section = client.get("/guide/memoires/nulle-part")
    assert section.status_code == 404
    assert "nulle-part" in section.json()["detail"]


def test_le_document_openapi_decrit_l_assistant(client: TestClient[Litestar]) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"]["/api/v1/assistant"]["get"]
    assert operation["operationId"] == "interroger_assistant"
    assert "422" in operation["responses"]
    assert "security" not in operation
    assert "404" in document["paths"]["/api/v1/guide/{page}/{ancre}"]["get"]["responses"]
