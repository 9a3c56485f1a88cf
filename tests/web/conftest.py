"""Fixtures of the HTTP API tests: Chorus on memory storage with a fixed clock, sequential
ids, a fast argon2 and no captcha, served by `creer_app` through Litestar's test client.

The client's base URL ends in ``/api/v1``: tests write ``client.get("/moi")``. Helpers to make
accounts, logins, structures and agents are in `tests.web.aides`; the `banc` fixture gathers
them for one test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import anyio
import attrs
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.storage.memory import BlobsEnMemoire, MemoireVive, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.adapters.web import ReglagesWeb, ServicesWeb, creer_app
from chorus.bootstrap import Chorus, assembler
from chorus.domain.organisation import Structure
from chorus.ports.documents import DocumentRenderer
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import RenduSommaire
from tests.web import aides

MAINTENANT = datetime(2024, 6, 14, 10, 0, tzinfo=UTC)
BASE_URL = "http://testserver.local/api/v1"


def services_web(chorus: Chorus) -> ServicesWeb:
    return ServicesWeb(
        comptes=chorus.comptes,
        utilisateurs=chorus.utilisateurs,
        structures=chorus.structures,
        memoires=chorus.memoires,
        traitement=chorus.traitement,
        consultation=chorus.consultation,
        documents=chorus.documents,
        tic=chorus.tic,
        instruction_tic=chorus.instruction_tic,
        inscription_tic=chorus.inscription_tic,
        assistant=chorus.assistant,
        actualites=chorus.actualites,
        activite=chorus.activite,
        cycle_de_vie=chorus.cycle_de_vie,
        lots_statuts=chorus.lots_statuts,
        tickets=chorus.tickets,
        support=chorus.support,
        flux=chorus.flux,
        referentiels=chorus.ports.referentiels,
        clock=chorus.ports.clock,
    )


@pytest.fixture
def horloge() -> HorlogeFixe:
    return HorlogeFixe(MAINTENANT)


@pytest.fixture
def vive() -> MemoireVive:
    """The memory store's committed state: a test may change a stored aggregate behind the
    use cases' back (as someone editing the database would)."""
    return MemoireVive()


@pytest.fixture
def rendu() -> DocumentRenderer:
    """The PDF renderer: without layout, fast, unless a module about the documents overrides
    this fixture with `RenduWeasyPrint`."""
    return RenduSommaire()


@pytest.fixture
def chorus(horloge: HorlogeFixe, vive: MemoireVive, rendu: DocumentRenderer) -> Chorus:
    return assembler(
        Ports(
            uow=UniteDeTravailEnMemoire(vive),
            clock=horloge,
            ids=IdsSequentiels(),
            blobs=BlobsEnMemoire(),
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=rendu,
        ),
        reglages=ReglagesComptes(captcha_actif=False),
        hacheur=HacheurArgon2id(memoire_kib=64, passes=1),
    )


@pytest.fixture
def services(chorus: Chorus) -> ServicesWeb:
    return services_web(chorus)


@pytest.fixture
def reglages_web() -> ReglagesWeb:
    """Override in a test module to change a setting (the rate limit is high here so that
    helpers may log in many users; `test_problemes` lowers it)."""
    return ReglagesWeb(captcha_desactive=True, limite_comptes=("minute", 10_000))


_APPLICATIONS: dict[ReglagesWeb, Litestar] = {}


@pytest.fixture
def app(services: ServicesWeb, reglages_web: ReglagesWeb, chorus: Chorus) -> Litestar:
    """The API over this test's world. Building the app costs about 0.35 s, more than most
    tests: one app per setting serves every test, given the test's use cases (the app reads
    them from its state) and emptied stores (the rate limiter's counts)."""
    application = _APPLICATIONS.get(reglages_web)
    if application is None:
        application = _APPLICATIONS[reglages_web] = creer_app(services, reglages_web)
    application.state["services"] = services
    # Lets helpers reach the use cases from the client alone (never read by the app).
    application.state["chorus_de_test"] = chorus
    for nom in ("limite_comptes",):
        anyio.run(application.stores.get(nom).delete_all)
    return application


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Litestar]]:
    with TestClient(app, base_url=BASE_URL) as test_client:
        yield test_client


@attrs.define
class Banc:
    """One test's API and world: ``banc.connecte("a@b.fr")`` gives an Authorization header."""

    client: TestClient[Litestar]
    chorus: Chorus
    horloge: HorlogeFixe

    def connecte(self, email: str = "camille.durand@exemple.fr", **champs: str) -> aides.Entetes:
        return aides.inscrire_et_connecter(self.client, self.chorus, email, **champs)

    def id_de(self, email: str) -> str:
        return aides.utilisateur(self.chorus, email).id

    def structure_prete(self, email_gestionnaire: str, **champs: str) -> Structure:
        return aides.structure_prete(self.chorus, self.id_de(email_gestionnaire), **champs)

    def agent(self, email: str = "greffe@tj-lyon.fr", **champs: object) -> aides.Entetes:
        return aides.agent_connecte(self.client, self.chorus, email, **champs)  # type: ignore[arg-type]


@pytest.fixture
def banc(client: TestClient[Litestar], chorus: Chorus, horloge: HorlogeFixe) -> Banc:
    return Banc(client, chorus, horloge)
