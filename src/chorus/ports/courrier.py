"""Delivering the outbox's emails."""

from __future__ import annotations

from typing import Protocol

from chorus.domain.courriels import Courriel


class EchecDEnvoi(Exception):
    """The email could not be handed over (server down, refused); it stays in the outbox."""


class Expediteur(Protocol):
    """Hands an email to the outside world (an SMTP server, or a folder of .eml files)."""

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        """Deliver `courriel` from the address `expediteur`, with `Message-ID` derived from
        `courriel.id` (so that a redelivery after a crash can be recognised). Raises
        `EchecDEnvoi` when it could not."""
        ...
