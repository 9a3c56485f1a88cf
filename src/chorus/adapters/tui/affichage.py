"""How the terminal UI writes and reads amounts, dates and statuses: the French way."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from chorus.domain.calendrier import FUSEAU_PORTAIL, jour_a_paris
from chorus.domain.errors import ValidationError
from chorus.domain.montants import en_francais


def euros(montant: Decimal | None) -> str:
    """``1 234,50 €``; an empty cell for no amount."""
    return "" if montant is None else f"{en_francais(montant)} €"


def jour(valeur: date | datetime | None) -> str:
    """``JJ/MM/AAAA``; an instant is read as its day in Paris."""
    if valeur is None:
        return ""
    if isinstance(valeur, datetime):
        valeur = jour_a_paris(valeur)
    return valeur.strftime("%d/%m/%Y")


def instant(valeur: datetime | None) -> str:
    """``JJ/MM/AAAA HH:MM`` in Paris time."""
    return "" if valeur is None else valeur.astimezone(FUSEAU_PORTAIL).strftime("%d/%m/%Y %H:%M")


def lire_jour(texte: str, champ: str) -> date:
    """A day typed ``JJ/MM/AAAA`` (or ``AAAA-MM-JJ``); a `ValidationError` naming `champ`
    otherwise."""
    brut = texte.strip()
    if not brut:
        raise ValidationError("Ce champ est obligatoire : une date JJ/MM/AAAA.", champ=champ)
    for forme in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            # Only the calendar day is kept: no instant, so no time zone.
            return datetime.strptime(brut, forme).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValidationError(
        f"« {brut[:20]} » n'est pas une date : écrivez-la JJ/MM/AAAA.", champ=champ
    )


def lire_jour_facultatif(texte: str, champ: str) -> date | None:
    """`lire_jour`, or None for an empty field."""
    return lire_jour(texte, champ) if texte.strip() else None


def lire_montant(texte: str) -> str:
    """An amount as typed, with a decimal comma accepted and spaces dropped; the domain
    checks it (and names the field) when it becomes a `Decimal`."""
    return texte.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")


def ou_rien(texte: str) -> str | None:
    """A text field's value, None when left empty."""
    return texte.strip() or None
