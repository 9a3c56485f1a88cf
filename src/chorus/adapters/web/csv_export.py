"""CSV exports of the lists (``Accept: text/csv``), streamed page after page.

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

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from litestar import Request
from litestar.datastructures import Accept
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.response import Stream

from chorus.adapters.web.problemes import RequeteInvalide
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.montants import arrondir
from chorus.ports.requetes import PAR_PAGE_MAXIMUM, Page, Pagination, ResumeMemoire
from chorus.services.consultation import ListeFiscale

T = TypeVar("T")

MEDIA_TYPE_CSV = "text/csv"
BOM = "\ufeff"
FIN_DE_LIGNE = "\r\n"
PAGE_EXPORT = PAR_PAGE_MAXIMUM
"""Rows fetched per unit of work while exporting."""

_QUALITE_NULLE = re.compile(r";\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)", re.IGNORECASE)

_DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")

Cellule = str | Decimal | date | int | None
"""A cell before encoding; a `datetime` (a `date` subclass) is written as its day in Paris."""


def format_csv_demande(request: Request[Any, Any, Any]) -> bool:
    """Whether the client asked for CSV (``Accept``), JSON being the default; 406 when it
    accepts neither."""
    entete = request.headers.get("accept", "*/*")
    # Litestar's matching ignores a zero quality, which means "not this one" (RFC 9110).
    acceptes = ",".join(p for p in entete.split(",") if not _QUALITE_NULLE.search(p))
    choix = Accept(acceptes).best_match(["application/json", MEDIA_TYPE_CSV])
    if choix is None:
        raise RequeteInvalide(
            "Format de réponse non disponible : cette liste est servie en application/json ou "
            "en text/csv (en-tête Accept).",
            champ="Accept",
            statut=406,
        )
    return choix == MEDIA_TYPE_CSV


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
    are answered before the stream starts) through `charger` for the next ones."""
    page = premiere
    yield from page.elements
    while page.elements and page.page * page.par_page < page.total:
        page = charger(Pagination(page.page + 1, page.par_page))
        yield from page.elements


def flux_csv(contenu: Iterator[bytes], nom_fichier: str) -> Stream:
    """The streamed answer: an attachment the browser saves as `nom_fichier`."""
    return Stream(
        contenu,
        media_type=MEDIA_TYPE_CSV,
        headers={"Content-Disposition": f'attachment; filename="{nom_fichier}"'},
    )


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


def export_memoires(
    premiere: Page[ResumeMemoire], charger: Callable[[Pagination], Page[ResumeMemoire]]
) -> Stream:
    """Every mémoire of a search, as ``memoires.csv``."""
    lignes = (ligne_memoire(r) for r in toutes_les_pages(premiere, charger))
    return flux_csv(encoder(ENTETE_MEMOIRES, lignes), "memoires.csv")


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


def export_liste_fiscale(
    premiere: ListeFiscale, charger: Callable[[Pagination], ListeFiscale]
) -> Stream:
    """The liste fiscale as ``liste-fiscale.csv``: its mémoires, then the totals row."""
    lignes = lignes_liste_fiscale(premiere, charger)
    return flux_csv(encoder(ENTETE_LISTE_FISCALE, lignes), "liste-fiscale.csv")


# -- OpenAPI -----------------------------------------------------------------------------


@dataclass
class OperationAvecCsv(Operation):
    """An operation whose 200 answer is JSON, or CSV when the client sends
    ``Accept: text/csv``: the second media type is added to the generated document (Litestar
    derives one media type per answer from the handler's return annotation)."""

    def __post_init__(self) -> None:
        reponse: Any = (self.responses or {}).get("200")
        if isinstance(reponse, OpenAPIResponse):
            contenu = dict(reponse.content or {})
            contenu[MEDIA_TYPE_CSV] = OpenAPIMediaType(
                schema=Schema(
                    type=OpenAPIType.STRING,
                    description=(
                        "Export CSV (UTF-8 avec BOM, séparateur « ; », virgule décimale, dates "
                        "JJ/MM/AAAA) de tous les résultats, sans pagination."
                    ),
                )
            )
            reponse.content = contenu
            reponse.description = (
                f"{reponse.description} — JSON, ou CSV avec l'en-tête « Accept: text/csv »."
            )
