"""The RFC 5322 message for an outbox email, the same whichever way it leaves."""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime

from chorus.domain.courriels import Courriel

DOMAINE_DES_IDENTIFIANTS = "chorus"


def identifiant_de_message(courriel: Courriel) -> str:
    """`Message-ID` derived from the courriel's id only, so that a copy delivered again after
    a crash carries the same one and a receiver can recognise it."""
    return f"<{courriel.id}@{DOMAINE_DES_IDENTIFIANTS}>"


def construire_message(courriel: Courriel, expediteur: str) -> EmailMessage:
    """The message from `expediteur` to `courriel.destinataire`, body in UTF-8 text.

    Every header is taken from the stored courriel (the date is its creation), never from
    the moment of sending: building it twice gives the same message. Raises `ValueError`
    when an address or the subject cannot be a header (a line break in it, say).
    """
    message = EmailMessage()
    message["From"] = expediteur
    message["To"] = courriel.destinataire
    _mettre_sujet(message, courriel.sujet)
    message["Date"] = format_datetime(courriel.cree_le)
    message["Message-ID"] = identifiant_de_message(courriel)
    # Tells mail robots (out-of-office replies) not to answer a machine.
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = "fr"
    # Quoted-printable keeps the message 7-bit: any relay takes it, even one without 8BITMIME.
    message.set_content(courriel.corps, charset="utf-8", cte="quoted-printable")
    return message


def _mettre_sujet(message: EmailMessage, sujet: str) -> None:
    if len(sujet.splitlines()) > 1:
        raise ValueError("le sujet contient un saut de ligne")
    if sujet.isascii():
        message["Subject"] = sujet
        return
    # The modern policy's folder (CPython 3.11) can drop the space at a fold between two
    # encoded words, so a long accented subject arrives with two words glued together (one
    # in ten such subjects). The legacy `Header` encoder folds correctly: its already
    # folded, pure-ASCII output is stored as is, and no later refolding touches it.
    encode = Header(sujet, "utf-8", header_name="Subject").encode(linesep="\r\n")
    message.set_raw("Subject", encode)
