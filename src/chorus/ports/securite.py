"""What accounts need from the machine: password hashing, secrets, captcha images."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class HacheurDeMotsDePasse(Protocol):
    """A slow, salted password hash (argon2id in production)."""

    def hacher(self, secret: str) -> str:
        """The encoded hash of `secret` (algorithm, parameters and salt included)."""
        ...

    def verifier(self, empreinte: str, secret: str) -> bool:
        """Whether `secret` matches the hash; False (never an exception) for a wrong one or
        a malformed hash."""
        ...

    def doit_rehacher(self, empreinte: str) -> bool:
        """Whether the hash was made with weaker parameters than today's."""
        ...


class GenerateurDeSecrets(Protocol):
    """Unpredictable values, from the operating system's cryptographic source."""

    def jeton(self) -> str:
        """A URL-safe secret of at least 256 bits."""
        ...

    def code_captcha(self) -> str:
        """The text a captcha image shows: 6 characters easy to read (no 0/O, 1/I/l)."""
        ...


class DessinateurDeCaptcha(Protocol):
    """Draws the captcha's text as a distorted image a program cannot easily read."""

    def dessiner(self, code: str) -> bytes:
        """A PNG image of `code`."""
        ...


class CompteurDEchecs(Protocol):
    """Failed logins of addresses that have no account able to log in, counted as an
    account's are: so that the lock (5 failures, one hour) tells nothing about whether an
    address is registered. Such counts need not survive a restart."""

    def verrouille_jusqu_au(self, cle: str, maintenant: datetime) -> datetime | None:
        """When the lock of `cle` ends, if it is locked at `maintenant`."""
        ...

    def echec(self, cle: str, maintenant: datetime) -> datetime | None:
        """Count a failure; when it is the one that locks `cle`, when the lock ends."""
        ...
