"""The errors of the domain.

Every refusal is a `DomainError` carrying a French message meant for the user and, where one
field is at fault, the name of that field (`champ`, in the API's snake_case and index notation:
``lignes[0].quantite``). Adapters map each class to one HTTP status or one inline message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs


@attrs.frozen
class ErreurDeChamp:
    """One invalid field: where (`champ`) and why (`message`, in French)."""

    champ: str
    message: str


class DomainError(Exception):
    """Base of every refusal the domain or a use case can give."""

    def __init__(self, message: str, *, champ: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.champ = champ

    @property
    def erreurs(self) -> tuple[ErreurDeChamp, ...]:
        """The field errors this refusal carries (empty when no field is at fault)."""
        if self.champ is None:
            return ()
        return (ErreurDeChamp(self.champ, self.message),)

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """The input breaks a rule: a field is missing, malformed or inconsistent (HTTP 422)."""

    def __init__(
        self,
        message: str,
        *,
        champ: str | None = None,
        erreurs: Sequence[ErreurDeChamp] = (),
    ) -> None:
        super().__init__(message, champ=champ)
        self._erreurs = tuple(erreurs)

    @property
    def erreurs(self) -> tuple[ErreurDeChamp, ...]:
        return self._erreurs or super().erreurs

    def prefixee(self, prefixe: str) -> ValidationError:
        """The same error with every field placed under `prefixe` (``lignes[2]``)."""
        erreurs = tuple(
            ErreurDeChamp(f"{prefixe}.{e.champ}" if e.champ else prefixe, e.message)
            for e in self.erreurs
        )
        champ = f"{prefixe}.{self.champ}" if self.champ else prefixe
        return ValidationError(self.message, champ=champ, erreurs=erreurs)


class AccesRefuse(DomainError):
    """The user is known but lacks the habilitation the action needs (HTTP 403)."""


class NonTrouve(DomainError):
    """The object does not exist, or the user may not know it exists (HTTP 404)."""


class TransitionInvalide(DomainError):
    """The action is not allowed in the object's current status (HTTP 409)."""


class Conflit(DomainError):
    """The action collides with the stored state: a duplicate, a stale version (HTTP 409)."""


class EmpreinteAlteree(Conflit):
    """A sent mémoire's stored data no longer hashes to its certificate's empreinte: it was
    changed outside the portal (HTTP 409)."""


class ConflitDeVersion(Conflit):
    """The object changed since the caller read it; nothing was written (HTTP 409)."""

    def __init__(self, attendue: int, actuelle: int) -> None:
        super().__init__(
            f"L'objet a été modifié entre-temps (version {actuelle}, attendue {attendue}) : "
            "rechargez-le avant de recommencer.",
            champ="version",
        )
        self.attendue = attendue
        self.actuelle = actuelle


class NonAuthentifie(DomainError):
    """No valid session or API token accompanies the request, or the credentials are wrong
    (HTTP 401)."""


class CompteVerrouille(DomainError):
    """Too many failed logins: the account is locked for a while (HTTP 423)."""

    def __init__(self, message: str, *, jusqu_au: datetime) -> None:
        super().__init__(message)
        self.jusqu_au = jusqu_au


class JetonPerime(DomainError):
    """A single-use link (activation, password reset) that has expired or was used (HTTP 410)."""


class FichierTropVolumineux(ValidationError):
    """A file over the size limit (HTTP 413)."""


class FormatNonAccepte(ValidationError):
    """A file whose content is of a type the portal does not accept (HTTP 415)."""
