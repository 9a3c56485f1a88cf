"""Delivering the outbox: over SMTP, or into `.eml` files when no SMTP server is configured,
and the background loop that drives the delivery."""

from chorus.adapters.mail.boucle import BoucleDEnvoi
from chorus.adapters.mail.fichiers_eml import ExpediteurEml
from chorus.adapters.mail.message import construire_message, identifiant_de_message
from chorus.adapters.mail.smtp import ExpediteurSmtp

__all__ = [
    "BoucleDEnvoi",
    "ExpediteurEml",
    "ExpediteurSmtp",
    "construire_message",
    "identifiant_de_message",
]
