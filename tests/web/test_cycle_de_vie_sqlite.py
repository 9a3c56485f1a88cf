"""The cycle-de-vie feed over the API on the real database: a forged cursor whose rank no
SQLite integer holds is a 422 naming `apres`, never a 500."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.bootstrap import Chorus, assembler
from chorus.ports.documents import DocumentRenderer
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.web import aides
from tests.web.conftest import Banc

PAUL = "paul@exemple.fr"


@pytest.fixture
def chorus(horloge: HorlogeFixe, rendu: DocumentRenderer, tmp_path: Path) -> Chorus:
    return assembler(
        Ports(
            uow=UniteDeTravailSqlite(tmp_path / "chorus.db"),
            clock=horloge,
            ids=IdsSequentiels(),
            blobs=BlobsSurDisque(tmp_path / "pieces"),
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=rendu,
        ),
        reglages=ReglagesComptes(captcha_actif=False),
        hacheur=HacheurArgon2id(memoire_kib=64, passes=1),
    )


def _curseur(rang: str, structure_id: str) -> str:
    texte = f"cdv1:{rang}:{structure_id}".encode()
    return base64.urlsafe_b64encode(texte).decode().rstrip("=")


def test_un_curseur_au_rang_demesure_est_un_422(banc: Banc) -> None:
    entetes = banc.connecte(PAUL)
    structure = banc.structure_prete(PAUL)
    banc.chorus.structures.modifier(banc.id_de(PAUL), structure.id, recevoir_cycles_de_vie=True)
    chemin = f"/structures/{structure.id}/cycle-de-vie"

    # The largest SQLite integer is a rank like any other: nothing after it.
    plus_grand = banc.client.get(
        chemin, params={"apres": _curseur(str(2**63 - 1), structure.id)}, headers=entetes
    )
    assert plus_grand.status_code == 200, plus_grand.text
    assert plus_grand.json()["evenements"] == []
    for rang in (str(2**63), "1" + "0" * 30):
        for route in (chemin, f"{chemin}/export"):
            corps = aides.exiger_probleme(
                banc.client.get(
                    route, params={"apres": _curseur(rang, structure.id)}, headers=entetes
                ),
                422,
            )
            assert aides.champs_en_erreur(corps) == ["apres"], corps
