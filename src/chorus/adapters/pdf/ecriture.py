"""How the documents write amounts, dates, instants and codes: the French way, as a reader of
a paper form expects them (the Jinja filters of the templates).

Nothing here reads the clock or the machine's locale: the same value is always written the
same way, which the byte-identical re-rendering of a document relies on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import quote

from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.montants import TauxTva, en_francais

# A no-break space keeps « 6 545,08 EUR » on one line, its unit included.
ESPACE_INSECABLE = "\u00a0"


def montant(valeur: Decimal) -> str:
    """``6 545,08 EUR``."""
    return f"{en_francais(valeur)}{ESPACE_INSECABLE}EUR"


def nombre(valeur: Decimal) -> str:
    """A quantity with its two decimals, ``1 250,50``."""
    return en_francais(valeur)


def taux(valeur: TauxTva) -> str:
    """``5,5 %``."""
    return f"{valeur.code.replace('.', ',')}{ESPACE_INSECABLE}%"


def taux_publie(valeur: Decimal, unite: str) -> str:
    """A refund rate as the law publishes it, every decimal kept (``13,765 €/100 kg``): the
    amount of a line is computed on it, so rounding it would print a rate that does not
    give the amount. At least two decimals, like an amount (``5,00 €/hl``)."""
    entier, _, decimales = format(abs(valeur), "f").partition(".")
    groupes = f"{int(entier):,}".replace(",", ESPACE_INSECABLE)
    signe = "-" if valeur < 0 else ""
    return f"{signe}{groupes},{decimales.ljust(2, '0')}{ESPACE_INSECABLE}{unite}"


def jour(valeur: date) -> str:
    """``25/07/2019``."""
    return valeur.strftime("%d/%m/%Y")


def instant(valeur: datetime) -> str:
    """``25/07/2019 à 10:00``, in Paris time whatever the instant's own zone."""
    return valeur.astimezone(FUSEAU_PORTAIL).strftime("%d/%m/%Y à %H:%M")


def instant_w3c(valeur: datetime) -> str:
    """The instant for the PDF's metadata (``dcterms.created``): W3C date-time in UTC."""
    return valeur.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iban(valeur: str) -> str:
    """An IBAN in groups of four, as printed on a RIB: ``FR76 3000 6000 …``."""
    compact = valeur.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def taille(octets: int) -> str:
    """A file size for a reader: ``512 o``, ``12,3 Ko``, ``1,5 Mo``."""
    if octets < 1024:
        return f"{octets}{ESPACE_INSECABLE}o"
    unite, diviseur = ("Ko", 1024) if octets < 1024**2 else ("Mo", 1024**2)
    valeur = (Decimal(octets) / diviseur).quantize(Decimal("0.1"))
    return f"{format(valeur, 'f').replace('.', ',')}{ESPACE_INSECABLE}{unite}"


def parametre_url(valeur: str) -> str:
    """A value for a query string: an empreinte holds ``+``, ``/`` and ``=``."""
    return quote(valeur, safe="")
