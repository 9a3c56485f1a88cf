"""Settings read from the environment (and overridden by command-line flags)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

STOCKAGE_PAR_DEFAUT = "sqlite:///var/chorus.db"
URL_DE_BASE_PAR_DEFAUT = "http://127.0.0.1:8000"
EXPEDITEUR_PAR_DEFAUT = "ne-pas-repondre@chorus-pro.local"
# More threads than this only make SQLite readers fight over the GIL on a small machine.
FILS_DE_TRAVAIL_PAR_DEFAUT = 8
DOSSIER_COURRIELS_PAR_DEFAUT = Path("var/mail")


class ErreurDeConfiguration(Exception):
    """A setting Chorus cannot start with; the message says what to change (in French)."""


@attrs.frozen
class Configuration:
    stockage: str = STOCKAGE_PAR_DEFAUT
    smtp_hote: str | None = None
    smtp_port: int = 25
    dossier_courriels: Path = DOSSIER_COURRIELS_PAR_DEFAUT
    """Where emails go as `.eml` files when no SMTP server is configured."""
    url_de_base: str = URL_DE_BASE_PAR_DEFAUT
    captcha_actif: bool = True
    adresse_expediteur: str = EXPEDITEUR_PAR_DEFAUT
    fils_de_travail: int = FILS_DE_TRAVAIL_PAR_DEFAUT
    """How many threads run the (blocking) use cases of HTTP requests at once."""

    @staticmethod
    def depuis_environnement(env: Mapping[str, str] | None = None) -> Configuration:
        """`CHORUS_STORAGE`, `CHORUS_SMTP_HOST`, `CHORUS_SMTP_PORT`, `CHORUS_BASE_URL`,
        `CHORUS_CAPTCHA=desactive`, `CHORUS_MAIL_DIR`, `CHORUS_MAIL_FROM`,
        `CHORUS_WORKER_THREADS`."""
        env = os.environ if env is None else env
        port_texte = env.get("CHORUS_SMTP_PORT", "").strip() or "25"
        if not port_texte.isdigit() or not 0 < int(port_texte) < 65536:
            raise ErreurDeConfiguration(
                f"CHORUS_SMTP_PORT « {port_texte} » n'est pas un port valide (1 à 65535)."
            )
        fils_texte = env.get("CHORUS_WORKER_THREADS", "").strip() or str(FILS_DE_TRAVAIL_PAR_DEFAUT)
        if not fils_texte.isdigit() or not 1 <= int(fils_texte) <= 256:
            raise ErreurDeConfiguration(
                f"CHORUS_WORKER_THREADS « {fils_texte} » doit être un entier de 1 à 256."
            )
        captcha = env.get("CHORUS_CAPTCHA", "").strip().lower()
        if captcha not in ("", "actif", "desactive"):
            raise ErreurDeConfiguration(
                f"CHORUS_CAPTCHA « {captcha} » inconnu : seule la valeur « desactive » est "
                "reconnue."
            )
        url = (env.get("CHORUS_BASE_URL", "").strip() or URL_DE_BASE_PAR_DEFAUT).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ErreurDeConfiguration(
                f"CHORUS_BASE_URL « {url} » doit commencer par http:// ou https://."
            )
        return Configuration(
            stockage=env.get("CHORUS_STORAGE", "").strip() or STOCKAGE_PAR_DEFAUT,
            smtp_hote=env.get("CHORUS_SMTP_HOST", "").strip() or None,
            smtp_port=int(port_texte),
            dossier_courriels=Path(
                env.get("CHORUS_MAIL_DIR", "").strip() or DOSSIER_COURRIELS_PAR_DEFAUT
            ),
            url_de_base=url,
            captcha_actif=captcha != "desactive",
            adresse_expediteur=env.get("CHORUS_MAIL_FROM", "").strip() or EXPEDITEUR_PAR_DEFAUT,
        )
