"""Sending over SMTP with the standard library's `smtplib`."""

from __future__ import annotations

import smtplib
import ssl

from chorus.adapters.mail.message import construire_message
from chorus.domain.courriels import Courriel
from chorus.ports.courrier import EchecDEnvoi


class ExpediteurSmtp:
    """An `Expediteur` handing each email to the SMTP server at `hote:port`.

    One connection per email: the outbox is small and a fresh connection cannot be left in
    a broken state by the previous email. When the server offers STARTTLS (and `starttls`
    is true) the connection is encrypted first, checking the server's certificate against
    `contexte_tls` (the system's authorities by default); a server without STARTTLS gets
    plain SMTP, as on a loopback relay. `delai` bounds every network wait, in seconds.

    Every failure becomes `EchecDEnvoi` with a French message: the email stays in the outbox.
    Once the server has accepted the message, nothing that follows (a failing QUIT) counts
    as a failure, so an accepted email is never reported unsent.
    """

    def __init__(
        self,
        hote: str,
        port: int,
        delai: float = 10.0,
        *,
        starttls: bool = True,
        contexte_tls: ssl.SSLContext | None = None,
    ) -> None:
        self.hote = hote
        self.port = port
        self.delai = delai
        self.starttls = starttls
        self._contexte_tls = contexte_tls

    def envoyer(self, courriel: Courriel, expediteur: str) -> None:
        try:
            message = construire_message(courriel, expediteur)
        except ValueError as erreur:
            raise EchecDEnvoi(f"Courriel impossible à composer : {erreur}.") from erreur
        try:
            connexion = smtplib.SMTP(self.hote, self.port, timeout=self.delai)
        except (OSError, smtplib.SMTPException) as erreur:
            raise EchecDEnvoi(self._decrire(erreur)) from erreur
        try:
            self._chiffrer_si_possible(connexion)
            refuses = connexion.send_message(
                message, from_addr=expediteur, to_addrs=[courriel.destinataire]
            )
        except (OSError, smtplib.SMTPException) as erreur:
            connexion.close()
            raise EchecDEnvoi(self._decrire(erreur)) from erreur
        try:
            connexion.quit()
        except (OSError, smtplib.SMTPException):
            connexion.close()
        if refuses:
            # Only reachable with several recipients; kept so that a refusal is never silent.
            details = ", ".join(f"{adresse} ({code})" for adresse, (code, _) in refuses.items())
            raise EchecDEnvoi(f"Destinataire refusé par le serveur SMTP : {details}.")

    def _chiffrer_si_possible(self, connexion: smtplib.SMTP) -> None:
        connexion.ehlo()
        if self.starttls and connexion.has_extn("starttls"):
            contexte = self._contexte_tls or ssl.create_default_context()
            connexion.starttls(context=contexte)
            connexion.ehlo()

    def _decrire(self, erreur: BaseException) -> str:
        serveur = f"{self.hote}:{self.port}"
        if isinstance(erreur, smtplib.SMTPServerDisconnected) and isinstance(
            erreur.__context__, OSError
        ):
            # smtplib hides a read timeout (or a reset) behind « unexpectedly closed ».
            erreur = erreur.__context__
        match erreur:
            case ConnectionRefusedError():
                return f"Serveur SMTP injoignable ({serveur}) : connexion refusée."
            case TimeoutError():
                return f"Serveur SMTP {serveur} muet : délai de {self.delai:g} s dépassé."
            case ssl.SSLError() | ssl.CertificateError():
                return f"Chiffrement STARTTLS impossible avec {serveur} : {erreur}."
            case smtplib.SMTPRecipientsRefused():
                details = ", ".join(
                    f"{adresse} ({code} {_texte(reponse)})"
                    for adresse, (code, reponse) in erreur.recipients.items()
                )
                return f"Destinataire refusé par le serveur SMTP {serveur} : {details}."
            case smtplib.SMTPSenderRefused():
                return (
                    f"Expéditeur {erreur.sender} refusé par le serveur SMTP {serveur} : "
                    f"{erreur.smtp_code} {_texte(erreur.smtp_error)}."
                )
            case smtplib.SMTPDataError():
                return (
                    f"Message refusé par le serveur SMTP {serveur} : "
                    f"{erreur.smtp_code} {_texte(erreur.smtp_error)}."
                )
            case smtplib.SMTPResponseException():
                return (
                    f"Le serveur SMTP {serveur} a répondu {erreur.smtp_code} "
                    f"{_texte(erreur.smtp_error)}."
                )
            case smtplib.SMTPServerDisconnected():
                return f"Connexion au serveur SMTP {serveur} interrompue avant la fin de l'échange."
            case smtplib.SMTPNotSupportedError():
                return f"Le serveur SMTP {serveur} ne prend pas en charge : {erreur}."
            case smtplib.SMTPException():
                return f"Erreur SMTP avec {serveur} : {erreur}."
            case ConnectionError():
                return f"Connexion au serveur SMTP {serveur} interrompue : {erreur}."
            case _:
                return f"Erreur réseau avec le serveur SMTP {serveur} : {erreur}."


def _texte(reponse: bytes | str) -> str:
    if isinstance(reponse, bytes):
        return reponse.decode("utf-8", errors="replace")
    return reponse
