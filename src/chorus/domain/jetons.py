"""Secrets handed to a user or a program: activation and password-reset links, login
sessions, a structure's API tokens, captcha challenges.

Only the SHA-256 of a secret is stored (`empreinte`); whoever reads the store cannot log in
with what they read. The secret itself is shown once, to whoever asked for it.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

import attrs

from chorus.domain.errors import JetonPerime
from chorus.domain.organisation import Profil


class NatureJeton(enum.Enum):
    ACTIVATION = "ACTIVATION"
    REINITIALISATION = "REINITIALISATION"
    SESSION = "SESSION"
    API = "API"
    CAPTCHA = "CAPTCHA"


def empreinte_du_secret(secret: str) -> str:
    """How a secret is stored and looked up: the hex SHA-256 of its UTF-8 bytes.

    A plain hash is enough (unlike passwords): the secrets are 256-bit random values, out of
    reach of any dictionary.
    """
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@attrs.frozen
class Jeton:
    """One secret's record.

    - ACTIVATION / REINITIALISATION: `utilisateur_id`, single use (`utilise_le`), 60 minutes.
    - SESSION: `utilisateur_id`, until `expire_le` or logout (the record is deleted).
    - API: `structure_id`, `profil`, `libelle`, `utilisateur_id` = the technical account
      that acts for the token (see `chorus.services.comptes`), until `expire_le` or revocation.
    - CAPTCHA: `empreinte` = `empreinte_du_secret(f"{id}:{answer}")`, single use, 10 minutes.
    """

    id: str
    nature: NatureJeton
    empreinte: str
    cree_le: datetime
    expire_le: datetime
    utilisateur_id: str | None = None
    structure_id: str | None = None
    profil: Profil | None = None
    libelle: str | None = None
    cree_par: str | None = None
    utilise_le: datetime | None = None
    version: int = 0

    def valide(self, maintenant: datetime) -> bool:
        """Not expired, and not used if it is single-use."""
        return self.utilise_le is None and maintenant < self.expire_le

    def utiliser(self, maintenant: datetime) -> Jeton:
        """Spend a single-use secret; `JetonPerime` when it is spent or expired."""
        if self.utilise_le is not None:
            raise JetonPerime("Ce lien a déjà été utilisé : demandez-en un nouveau.")
        if maintenant >= self.expire_le:
            raise JetonPerime("Ce lien a expiré : demandez-en un nouveau.")
        return attrs.evolve(self, utilise_le=maintenant)
