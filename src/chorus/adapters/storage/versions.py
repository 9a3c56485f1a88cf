"""Optimistic concurrency, the same for every storage adapter."""

from __future__ import annotations

from typing import TypeVar

import attrs

from chorus.domain.courriels import Courriel
from chorus.domain.errors import ConflitDeVersion, NonTrouve
from chorus.domain.jetons import Jeton
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.support.ticket import Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur

A = TypeVar("A", Structure, Utilisateur, Memoire, Jeton, Courriel, DemandeTic, Ticket)


def version_suivante(stockee: int | None, agregat: A) -> A:
    """`agregat` at its next version, if the store still holds it at the version it was read
    at (`stockee`: the stored version, None once deleted); else `NonTrouve` or
    `ConflitDeVersion`, and the caller writes nothing."""
    if stockee is None:
        raise NonTrouve("Introuvable : l'objet a été supprimé entre-temps.")
    if stockee != agregat.version:
        raise ConflitDeVersion(attendue=agregat.version, actuelle=stockee)
    return attrs.evolve(agregat, version=agregat.version + 1)
