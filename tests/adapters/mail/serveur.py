"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be told to
refuse."""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import threading
from collections import Counter
from email import policy
from email.message import EmailMessage
from types import TracebackType
from typing import Self, cast

import attrs
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def port_libre() -> int:
    """A loopback port nothing listens on (free when asked; taken by nobody else, in practice)."""
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return cast(int, prise.getsockname()[1])


@attrs.frozen
class Recu:
    expediteur: str
    destinataires: tuple[str, ...]
    message: EmailMessage
    brut: bytes
    chiffre: bool
    """Whether it came over a STARTTLS-encrypted connection."""


class Collecteur:
    """The aiosmtpd handler: keeps accepted messages; answers `refus_destinataire` to RCPT
    or `refus_message` to DATA when set (e.g. « 550 … »), and `reponse_quit` to QUIT."""

    def __init__(self, latence: float = 0.0) -> None:
        self.recus: list[Recu] = []
        self.refus_destinataire: str | None = None
        self.refus_message: str | None = None
        self.reponse_quit: str | None = None
        self.latence = latence
        self._verrou = threading.Lock()

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook names)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.refus_destinataire is not None:
            return self.refus_destinataire
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.latence:
            await asyncio.sleep(self.latence)
        if self.refus_message is not None:
            return self.refus_message
        brut = envelope.original_content or b""
        recu = Recu(
            expediteur=str(envelope.mail_from),
            destinataires=tuple(envelope.rcpt_tos),
            message=email.message_from_bytes(brut, policy=policy.default),
            brut=brut,
            chiffre=session.ssl is not None,
        )
        with self._verrou:
            self.recus.append(recu)
        return "250 Message accepted for delivery"

    async def handle_QUIT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        return self.reponse_quit or "221 Bye"

    def copie(self) -> list[Recu]:
        with self._verrou:
            return list(self.recus)

    def par_message_id(self) -> Counter[str]:
        return Counter(str(r.message["Message-ID"]) for r in self.copie())


class ServeurSmtp:
    """`with ServeurSmtp() as serveur:` — listening on 127.0.0.1:`serveur.port` inside."""

    def __init__(
        self,
        port: int | None = None,
        collecteur: Collecteur | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.port = port if port is not None else port_libre()
        self.collecteur = collecteur or Collecteur()
        self._controleur = Controller(
            self.collecteur, hostname="127.0.0.1", port=self.port, tls_context=tls
        )

    @property
    def recus(self) -> list[Recu]:
        return self.collecteur.copie()

    def __enter__(self) -> Self:
        self._controleur.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._controleur.stop()
