"""The actualités through the API: public reading (newest first, paginated), publication
by administrators only, problems naming the field, and the body's HTML rendered safely."""

from __future__ import annotations

from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from chorus.domain.utilisateur import RoleAgent
from tests.web import aides
from tests.web.conftest import MAINTENANT, Banc

SEED = (
    "Les traitements de mise à jour des statuts des mémoires de frais et des demandes de "
    "remboursement, interrompus entre le lundi 16 octobre et le jeudi 19 octobre, sont "
    "maintenant opérationnels.\n\n"
    "**Point d'attention** : la date de modification de vos dossiers correspond à la date de "
    "mise à jour du statut."
)


def _admin(banc: Banc, email: str = "admin@chorus.fr") -> aides.Entetes:
    return banc.agent(email, role=RoleAgent.ADMINISTRATEUR, juridictions=())


def _publier(banc: Banc, entetes: aides.Entetes, titre: str, corps: str = SEED) -> Any:
    return banc.client.post("/actualites", json={"titre": titre, "corps": corps}, headers=entetes)


def test_un_administrateur_publie_et_tout_le_monde_lit(banc: Banc) -> None:
    reponse = _publier(banc, _admin(banc), "Statuts des mémoires de frais")
    assert reponse.status_code == 201, reponse.text
    publiee = reponse.json()
    assert publiee["titre"] == "Statuts des mémoires de frais"
    assert publiee["corps"] == SEED
    assert "<strong>Point d'attention</strong>" in publiee["corps_html"]
    assert publiee["corps_html"].startswith("<p>Les traitements")
    assert datetime.fromisoformat(publiee["date_publication"]) == MAINTENANT
    assert publiee["version"] == 0
    assert reponse.headers["location"] == f"/api/v1/actualites/{publiee['id']}"

    # No Authorization header at all: the news are public.
    liste = banc.client.get("/actualites")
    assert liste.status_code == 200
    assert liste.json() == {"elements": [publiee], "total": 1, "page": 1, "par_page": 50}
    une = banc.client.get(f"/actualites/{publiee['id']}")
    assert une.status_code == 200
    assert une.json() == publiee
    assert une.headers["etag"] == '"0"'


def test_la_liste_va_de_la_plus_recente_a_la_plus_ancienne_par_pages(banc: Banc) -> None:
    admin = _admin(banc)
    for n in range(5):
        assert _publier(banc, admin, f"Actualité {n}").status_code == 201
        banc.horloge.avancer(timedelta(minutes=1))
    page = banc.client.get("/actualites", params={"page": 2, "par_page": 2}).json()
    assert [a["titre"] for a in page["elements"]] == ["Actualité 2", "Actualité 1"]
    assert (page["total"], page["page"], page["par_page"]) == (5, 2, 2)
    premiere = banc.client.get("/actualites", params={"par_page": 1}).json()
    assert [a["titre"] for a in premiere["elements"]] == ["Actualité 4"]


@pytest.mark.parametrize(
    ("params", "champ"), [({"page": 0}, "page"), ({"par_page": 501}, "par_page")]
)
def test_une_pagination_hors_limites_est_un_probleme(
    banc: Banc, params: dict[str, int], champ: str
) -> None:
    corps = aides.exiger_probleme(banc.client.get("/actualites", params=params), 400)
    assert aides.champs_en_erreur(corps) == [champ]


def test_sans_session_la_publication_est_refusee_401(banc: Banc) -> None:
    aides.exiger_probleme(banc.client.post("/actualites", json={"titre": "T", "corps": "C"}), 401)
    assert banc.client.get("/actualites").json()["total"] == 0


@pytest.mark.parametrize(
    "role", [RoleAgent.SUPPORT, RoleAgent.COMPTABLE, RoleAgent.INSTRUCTEUR_TIC]
)
def test_un_agent_non_administrateur_est_refuse_403(banc: Banc, role: RoleAgent) -> None:
    entetes = banc.agent("agent@dgfip.fr", role=role, juridictions=())
    corps = aides.exiger_probleme(_publier(banc, entetes, "Titre"), 403)
    assert "administrateurs" in corps["detail"]
    assert banc.client.get("/actualites").json()["total"] == 0


def test_un_prestataire_est_refuse_403(banc: Banc) -> None:
    aides.exiger_probleme(_publier(banc, banc.connecte(), "Titre"), 403)
    assert banc.client.get("/actualites").json()["total"] == 0


@pytest.mark.parametrize(
    ("corps_json", "champ", "statut"),
    [
        ({"titre": "", "corps": "Corps"}, "titre", 422),
        ({"titre": "x" * 201, "corps": "Corps"}, "titre", 422),
        ({"titre": "Deux\nlignes", "corps": "Corps"}, "titre", 422),
        ({"titre": "Titre", "corps": "   "}, "corps", 422),
        ({"titre": "Titre", "corps": "x" * 20_001}, "corps", 422),
        ({"corps": "Corps"}, "titre", 400),
        ({"titre": "Titre", "corps": 12}, "corps", 400),
        (
            {"titre": "Titre", "corps": "C", "date_publication": "2017-10-20"},
            "date_publication",
            400,
        ),
    ],
)
def test_une_saisie_invalide_est_un_probleme_nommant_le_champ(
    banc: Banc, corps_json: dict[str, Any], champ: str, statut: int
) -> None:
    reponse = banc.client.post("/actualites", json=corps_json, headers=_admin(banc))
    corps = aides.exiger_probleme(reponse, statut)
    assert aides.champs_en_erreur(corps) == [champ]
    assert banc.client.get("/actualites").json()["total"] == 0


def test_une_actualite_inconnue_est_404(banc: Banc) -> None:
    aides.exiger_probleme(banc.client.get("/actualites/inconnue"), 404)


@pytest.mark.parametrize(
    ("markdown", "interdit"),
    [
        ("Avant <script>alert(1)</script> après", "<script"),
        ("Une image <img src=x onerror=alert(1)>", "<img"),
        ("[Cliquez](javascript:alert(1))", "href"),
        ("[Cliquez](JaVaScRiPt:alert(1))", "href"),
        ("[Cliquez](jav&#x09;ascript:alert(1))", "href"),
        ("<javascript:alert(1)>", "href"),
        ("[Données](data:text/html;base64,PHNjcmlwdD4=)", "href"),
        ('<div onclick="alert(1)">\n\nbloc HTML\n\n</div>', "<div"),
        ("![suivi](https://traqueur.exemple/pixel.png)", "<img"),
    ],
)
def test_le_corps_html_neutralise_ce_qui_est_dangereux(
    banc: Banc, markdown: str, interdit: str
) -> None:
    publiee = _publier(banc, _admin(banc), "Piège", markdown).json()
    assert publiee["corps"] == markdown
    assert interdit not in publiee["corps_html"]
    balises = _Balises()
    balises.feed(publiee["corps_html"])
    # Only the tags CommonMark makes of text, no event handler, links to allowed schemes.
    assert {nom for nom, _ in balises.vues} <= {"p", "a", "strong", "em", "code", "br"}
    for _, attributs in balises.vues:
        assert all(not nom.startswith("on") for nom, _ in attributs)
        for nom, valeur in attributs:
            if nom == "href":
                assert (valeur or "").split(":")[0] in {"http", "https", "mailto"}


class _Balises(HTMLParser):
    """Every start tag of an HTML text, with its attributes as a browser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.vues: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.vues.append((tag, attrs))


def test_les_liens_permis_restent_des_liens(banc: Banc) -> None:
    markdown = (
        "[Guide](https://chorus.exemple/guide) · [Écrire](mailto:support@chorus.exemple) · "
        "[Aide](/aide#actualites)"
    )
    html = _publier(banc, _admin(banc), "Liens", markdown).json()["corps_html"]
    assert '<a href="https://chorus.exemple/guide" rel="nofollow noopener noreferrer">' in html
    assert '<a href="mailto:support@chorus.exemple"' in html
    assert '<a href="/aide#actualites"' in html
