"""Passwords hashed with argon2id (argon2-cffi), at OWASP's parameters."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's second recommended configuration: 19 MiB, 2 passes, 1 lane (~25 ms here).
_MEMOIRE_KIB = 19 * 1024
_PASSES = 2


class HacheurArgon2id:
    def __init__(self, *, memoire_kib: int = _MEMOIRE_KIB, passes: int = _PASSES) -> None:
        self._hacheur = PasswordHasher(
            time_cost=passes, memory_cost=memoire_kib, parallelism=1, type=Type.ID
        )

    def hacher(self, secret: str) -> str:
        return self._hacheur.hash(secret)

    def verifier(self, empreinte: str, secret: str) -> bool:
        try:
            return self._hacheur.verify(empreinte, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def doit_rehacher(self, empreinte: str) -> bool:
        try:
            return self._hacheur.check_needs_rehash(empreinte)
        except InvalidHashError:
            return True
