"""CSV files of the lists, written page after page.

The file opens as-is in Excel and LibreOffice set to French: UTF-8 with a byte order mark
(without it Excel reads Windows-1252), ``;`` between cells, a decimal comma, days written
``JJ/MM/AAAA``, CRLF line ends, a header row in French.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would be
run as a formula by a spreadsheet: it is prefixed with ``'`` (OWASP's CSV injection advice).
The cells Chorus writes itself (amounts, dates, counts) are never prefixed.

Exports are generators: they fetch one page of the search at a time (each page its own unit
of work, through the use case) and yield the encoded rows, so that an export of 100,000
mémoires never sits in memory at once.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from chorus.domain.calendrier import jour_a_paris
from chorus.domain.montants import arrondir
from chorus.ports.requetes import PAR_PAGE_MAXIMUM, Page, Pagination, ResumeMemoire
from chorus.services.consultation import ListeFiscale

T = TypeVar("T")

BOM = "\ufeff"
FIN_DE_LIGNE = "\r\n"
PAGE_EXPORT = PAR_PAGE_MAXIMUM
"""Rows fetched per unit of work while exporting."""

_DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")

Cellule = str | Decimal | date | int | None
"""A cell before encoding; a `datetime` (a `date` subclass) is written as its day in Paris."""


def neutraliser(texte: str) -> str:
    """A text cell a spreadsheet will show, never evaluate."""
    if texte.startswith(_DEBUTS_DANGEREUX):
        return "'" + texte
    return texte


def cellule(valeur: Cellule) -> str:
    """One cell as the French spreadsheets read it."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, Decimal):
        return format(valeur, "f").replace(".", ",")
    if isinstance(valeur, datetime):
        return jour_a_paris(valeur).strftime("%d/%m/%Y")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, int):
        return str(valeur)
    return neutraliser(valeur)


def encoder(
    entete: Sequence[str], lignes: Iterable[Sequence[Cellule]], *, lot: int = PAGE_EXPORT
) -> Iterator[bytes]:
    """The CSV file as chunks of UTF-8 bytes: the BOM and the header first, then `lot` rows
    per chunk (a row is only encoded once its page has been fetched)."""
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator=FIN_DE_LIGNE)
    tampon.write(BOM)
    ecrivain.writerow(entete)

    def vider() -> bytes:
        morceau = tampon.getvalue().encode("utf-8")
        tampon.seek(0)
        tampon.truncate()
        return morceau

    yield vider()
    en_attente = 0
    for ligne in lignes:
        ecrivain.writerow([cellule(v) for v in ligne])
        en_attente += 1
        if en_attente >= lot:
            yield vider()
            en_attente = 0
    if en_attente:
        yield vider()


def toutes_les_pages(premiere: Page[T], charger: Callable[[Pagination], Page[T]]) -> Iterator[T]:
    """Every element of a search, from its first page (already fetched, so that refusals
    are answered before the first byte is written) through `charger` for the next ones."""
    page = premiere
    yield from page.elements
    while page.elements and page.page * page.par_page < page.total:
        page = charger(Pagination(page.page + 1, page.par_page))
        yield from page.elements


def enregistrer(chemin: Path, morceaux: Iterable[bytes]) -> None:
    """Write the chunks to `chemin` all or nothing: into a temporary file beside it, renamed
    over it once complete, so that a failed export never leaves half a file (nor destroys
    the previous one). `OSError` when the folder cannot be written."""
    # Not `tempfile.mkstemp`: its file is private (0600), the user's umask should apply.
    temporaire = chemin.with_name(f".{chemin.name}.{secrets.token_hex(6)}.partiel")
    try:
        with temporaire.open("xb") as fichier:
            for morceau in morceaux:
                fichier.write(morceau)
            fichier.flush()
            os.fsync(fichier.fileno())
        os.replace(temporaire, chemin)
    except BaseException:
        with contextlib.suppress(OSError):
            temporaire.unlink()
        raise


# -- the mémoires ------------------------------------------------------------------------

ENTETE_MEMOIRES = (
    "Numéro",
    "Numéro de brouillon",
    "État",
    "Date de l'état",
    "Date de dépôt",
    "Date de création",
    "Juridiction",
    "Structure",
    "Service",
    "Catégorie de prestataire",
    "Texte de référence",
    "Numéro d'engagement juridique",
    "Numéro de facture",
    "Numéros d'affaire",
    "Mode de dépôt",
    "Montant HT",
    "Montant TVA",
    "Montant TTC",
    "Net à payer",
    "Montant payé",
    "Date de paiement",
)


def ligne_memoire(resume: ResumeMemoire) -> tuple[Cellule, ...]:
    return (
        resume.numero,
        resume.numero_brouillon,
        resume.statut.libelle,
        resume.date_statut,
        resume.date_depot,
        resume.date_creation,
        resume.juridiction_code,
        resume.structure_id,
        resume.service_id,
        resume.categorie_prestataire,
        resume.texte_reference,
        resume.numero_engagement_juridique,
        resume.numero_facture,
        ", ".join(resume.numeros_affaire),
        resume.mode_depot.value,
        arrondir(resume.montant_ht),
        arrondir(resume.montant_tva),
        arrondir(resume.montant_ttc),
        arrondir(resume.net_a_payer),
        None if resume.montant_paye is None else arrondir(resume.montant_paye),
        resume.date_paiement,
    )


def lignes_memoires(
    premiere: Page[ResumeMemoire], charger: Callable[[Pagination], Page[ResumeMemoire]]
) -> Iterator[tuple[Cellule, ...]]:
    """The rows of every mémoire of a search, fetched page after page."""
    return (ligne_memoire(r) for r in toutes_les_pages(premiere, charger))


# -- the liste fiscale -------------------------------------------------------------------

ENTETE_LISTE_FISCALE = (
    "Numéro",
    "Date de dépôt",
    "Juridiction",
    "Montant HT",
    "Montant TVA",
    "Montant TTC",
    "Remise globale TTC",
    "Net à payer",
    "Date de mise en paiement",
    "Montant payé",
)


def lignes_liste_fiscale(
    premiere: ListeFiscale, charger: Callable[[Pagination], ListeFiscale]
) -> Iterator[tuple[Cellule, ...]]:
    """The rows of a liste fiscale fetched page after page, then the row of its totals
    (those of the first fetch, which covered the whole period)."""
    liste = premiere
    lu = 0
    while True:
        for ligne in liste.lignes:
            yield (
                ligne.numero,
                ligne.date_depot,
                ligne.juridiction_code,
                ligne.montant_ht,
                ligne.montant_tva,
                ligne.montant_ttc,
                ligne.remise_globale_ttc,
                ligne.net_a_payer,
                ligne.date_mise_en_paiement,
                ligne.montant_paye,
            )
        lu += len(liste.lignes)
        pagination = liste.pagination
        if pagination is None or not liste.lignes or lu >= liste.totaux.nombre:
            break
        liste = charger(Pagination(pagination.page + 1, pagination.par_page))
    totaux = premiere.totaux
    yield (
        f"Total ({totaux.nombre} mémoire{'s' if totaux.nombre > 1 else ''})",
        None,
        None,
        totaux.montant_ht,
        totaux.montant_tva,
        totaux.montant_ttc,
        totaux.remise_globale_ttc,
        totaux.net_a_payer,
        None,
        totaux.montant_paye,
    )
