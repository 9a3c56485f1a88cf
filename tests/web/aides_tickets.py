"""Helpers of the support tickets' API tests: the cabinet of the mémoires tests plus a
support agent, tickets opened through the API, and the number of tickets stored."""

from __future__ import annotations

from typing import Any

import attrs

from chorus.domain.utilisateur import RoleAgent
from chorus.ports.support import CriteresTicket
from tests.web import aides
from tests.web.aides_memoires import Cabinet, monter_cabinet
from tests.web.conftest import Banc

Json = dict[str, Any]

SUPPORT = "support@chorus-pro.gouv.fr"
INSTRUCTEUR = "instructeur@douane.fr"


@attrs.define
class Guichet:
    """A cabinet (see `tests.web.aides_memoires`) and the back office's support agent."""

    cabinet: Cabinet
    support: aides.Entetes

    @property
    def banc(self) -> Banc:
        return self.cabinet.banc

    @property
    def client(self) -> aides.Client:
        return self.cabinet.client

    def corps(self, **changements: Any) -> Json:
        corps: Json = {
            "categorie": "AUTRE",
            "sous_categorie": "A_QUESTION",
            "structure_id": self.cabinet.structure.id,
            "resume": "Impossible de joindre ma facture",
            "description": "Le portail refuse mon fichier au moment de l'envoi.",
        }
        corps.update(changements)
        return {cle: valeur for cle, valeur in corps.items() if valeur is not None}

    def ouvrir(self, entetes: aides.Entetes | None = None, **changements: Any) -> Json:
        reponse = self.client.post(
            "/tickets", json=self.corps(**changements), headers=entetes or self.cabinet.gestionnaire
        )
        assert reponse.status_code == 201, reponse.text
        corps: Json = reponse.json()
        return corps

    def lire(self, numero: str, entetes: aides.Entetes | None = None) -> Json:
        reponse = self.client.get(
            f"/tickets/{numero}", headers=entetes or self.cabinet.gestionnaire
        )
        assert reponse.status_code == 200, reponse.text
        corps: Json = reponse.json()
        return corps

    def agir(
        self,
        entetes: aides.Entetes,
        chemin: str,
        corps: Json | None = None,
        version: int | None = None,
    ) -> Json:
        """POST an action; asserts 200 and that the ETag is the answer's version."""
        en_plus = {} if version is None else {"If-Match": f'"{version}"'}
        reponse = self.client.post(chemin, json=corps, headers={**entetes, **en_plus})
        assert reponse.status_code == 200, reponse.text
        ticket: Json = reponse.json()
        assert reponse.headers["etag"] == f'"{ticket["version"]}"'
        return ticket

    def nombre_de_tickets(self) -> int:
        with self.banc.chorus.ports.uow.lecture() as uow:
            return len(uow.tickets.tous(CriteresTicket(structures=None, onglet=None)))


def monter_guichet(banc: Banc) -> Guichet:
    cabinet = monter_cabinet(banc)
    return Guichet(cabinet=cabinet, support=banc.agent(SUPPORT, role=RoleAgent.SUPPORT))
