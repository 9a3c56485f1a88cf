"""Secrets from the operating system's cryptographic source (`secrets`)."""

from __future__ import annotations

import secrets

# Letters and digits nobody confuses on a noisy image: no 0/O, 1/I/L.
_ALPHABET_CAPTCHA = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class SecretsDuSysteme:
    def jeton(self) -> str:
        return secrets.token_urlsafe(32)

    def code_captcha(self) -> str:
        return "".join(secrets.choice(_ALPHABET_CAPTCHA) for _ in range(6))
