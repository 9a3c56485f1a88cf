"""OpenDocument spreadsheets (ODS) of the lists, holding the rows of the French CSV file.

Amounts are ``float`` cells shown ``1 234,56``, days ``date`` cells shown ``JJ/MM/AAAA``.
odfpy writes everything but the rows: the styles, the header row, the view (header frozen),
the manifest, the ``mimetype`` entry first and uncompressed. The rows are streamed into
``content.xml`` as they are fetched: odfpy's tree costs about 30 kB and over a millisecond
per row of 20 cells, minutes and gigabytes for 100,000 rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

from odf.config import (
    ConfigItem,
    ConfigItemMapEntry,
    ConfigItemMapIndexed,
    ConfigItemMapNamed,
    ConfigItemSet,
)
from odf.number import DateStyle, Day, Month, Number, NumberStyle, Year
from odf.number import Text as TexteDeFormat
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import P

from chorus.adapters.tableurs.classeur import (
    DECIMALES_MAXIMUM,
    DECIMALES_MONTANT,
    decimales,
    entree_zip,
    jour_francais,
    lignes_preparees,
    nom_de_feuille,
    nombre_francais,
    texte_xml,
)
from chorus.adapters.tableurs.csv_francais import Cellule

CONTENU = "content.xml"
LIGNES_PAR_ECRITURE = 1_000
CM_PAR_CARACTERE = 0.2
"""Width of a character of the default font (10 pt), for the columns' widths."""

_STYLE_ENTETE = "Entete"
_STYLE_DATE = "Date"
_FIN_DE_TABLE = b"</table:table>"
_BLANCS = re.compile(r"\r\n| +|[\t\r\n]")
_BLANCS_A_ECRIRE = re.compile(r"[\t\r\n]|  |\A | \Z")


def _style_nombre(places: int) -> str:
    return "Montant" if places == DECIMALES_MONTANT else f"Nombre{places}"


def classeur_ods(
    entetes: Sequence[str], lignes: Iterable[Sequence[Cellule]], *, feuille: str
) -> bytes:
    """The spreadsheet of one table named `feuille`: the header row in bold, frozen above
    the rows, then `lignes` (read once, as they come)."""
    mesures, preparees = lignes_preparees(entetes, lignes)
    nom = nom_de_feuille(feuille)
    squelette = _squelette(entetes, mesures, nom)
    contenu = squelette.contentxml()
    coupure = contenu.rindex(_FIN_DE_TABLE)
    modele = io.BytesIO()
    squelette.save(modele)
    sortie = io.BytesIO()
    with ZipFile(modele) as source, ZipFile(sortie, "w", ZIP_DEFLATED) as archive:
        # odfpy's order is kept: the mimetype entry first, stored, as ODF requires.
        for origine in source.infolist():
            entree = entree_zip(origine.filename)
            if origine.filename == "mimetype":
                entree.compress_type = ZIP_STORED
            if origine.filename != CONTENU:
                archive.writestr(entree, source.read(origine))
                continue
            with archive.open(entree, "w") as flux:
                flux.write(contenu[:coupure])
                for morceau in _rangees(preparees):
                    flux.write(morceau)
                flux.write(contenu[coupure:])
    return sortie.getvalue()


def _squelette(entetes: Sequence[str], mesures: Sequence[int], nom: str) -> OpenDocumentSpreadsheet:
    """The document without its rows: styles, columns, header row, frozen header."""
    document = OpenDocumentSpreadsheet()
    # Common styles (styles.xml): odfpy only writes the automatic ones some cell of its tree
    # uses, and the rows are not in its tree.
    entete = Style(name=_STYLE_ENTETE, family="table-cell")
    entete.addElement(
        TextProperties(fontweight="bold", fontweightasian="bold", fontweightcomplex="bold")
    )
    document.styles.addElement(entete)
    for places in range(DECIMALES_MONTANT, DECIMALES_MAXIMUM + 1):
        format_nombre = NumberStyle(name=f"N{places}")
        format_nombre.addElement(Number(decimalplaces=places, minintegerdigits=1, grouping="true"))
        document.styles.addElement(format_nombre)
        document.styles.addElement(
            Style(name=_style_nombre(places), family="table-cell", datastylename=f"N{places}")
        )
    format_date = DateStyle(name="JJMMAAAA")
    for partie in (
        Day(style="long"),
        TexteDeFormat(text="/"),
        Month(style="long"),
        TexteDeFormat(text="/"),
        Year(style="long"),
    ):
        format_date.addElement(partie)
    document.styles.addElement(format_date)
    document.styles.addElement(
        Style(name=_STYLE_DATE, family="table-cell", datastylename="JJMMAAAA")
    )

    table = Table(name=nom)
    for colonne, mesure in enumerate(mesures, start=1):
        style = Style(name=f"co{colonne}", family="table-column")
        style.addElement(
            TableColumnProperties(columnwidth=f"{(mesure + 2) * CM_PAR_CARACTERE:.2f}cm")
        )
        document.automaticstyles.addElement(style)
        table.addElement(TableColumn(stylename=style))
    rangee = TableRow()
    for texte in entetes:
        cellule = TableCell(valuetype="string", stylename=_STYLE_ENTETE)
        cellule.addElement(P(text=texte_xml(texte)))
        rangee.addElement(cellule)
    en_tete = TableHeaderRows()
    en_tete.addElement(rangee)
    table.addElement(en_tete)
    document.spreadsheet.addElement(table)
    document.settings.addElement(_vue_figee(nom))
    return document


def _vue_figee(nom: str) -> ConfigItemSet:
    """LibreOffice's view settings freezing the header row of table `nom`."""
    onglet = ConfigItemMapEntry(name=nom)
    for reglage, genre, valeur in (
        ("HorizontalSplitMode", "short", "0"),
        ("VerticalSplitMode", "short", "2"),
        ("HorizontalSplitPosition", "int", "0"),
        ("VerticalSplitPosition", "int", "1"),
        ("ActiveSplitRange", "short", "2"),
        ("PositionLeft", "int", "0"),
        ("PositionRight", "int", "0"),
        ("PositionTop", "int", "0"),
        ("PositionBottom", "int", "1"),
    ):
        onglet.addElement(ConfigItem(name=reglage, type=genre, text=valeur))
    onglets = ConfigItemMapNamed(name="Tables")
    onglets.addElement(onglet)
    vue = ConfigItemMapEntry()
    vue.addElement(ConfigItem(name="ViewId", type="string", text="view1"))
    vue.addElement(onglets)
    vue.addElement(ConfigItem(name="ActiveTable", type="string", text=nom))
    vues = ConfigItemMapIndexed(name="Views")
    vues.addElement(vue)
    reglages = ConfigItemSet(name="ooo:view-settings")
    reglages.addElement(vues)
    return reglages


def _rangees(lignes: Iterator[tuple[Cellule, ...]]) -> Iterator[bytes]:
    """The ``table:table-row`` elements of `lignes`, encoded a thousand at a time."""
    lot: list[str] = []
    for numero, ligne in enumerate(lignes, start=1):
        lot.append("<table:table-row>")
        lot.extend(_cellule(valeur) for valeur in ligne)
        lot.append("</table:table-row>")
        if numero % LIGNES_PAR_ECRITURE == 0:
            yield "".join(lot).encode("utf-8")
            lot.clear()
    if lot:
        yield "".join(lot).encode("utf-8")


def _cellule(valeur: Cellule) -> str:
    if valeur is None:
        return "<table:table-cell/>"
    if isinstance(valeur, str):
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{_paragraphe(valeur)}</text:p></table:table-cell>"
        )
    if isinstance(valeur, Decimal):
        return (
            f'<table:table-cell table:style-name="{_style_nombre(decimales(valeur))}"'
            f' office:value-type="float" office:value="{valeur:f}">'
            f"<text:p>{nombre_francais(valeur)}</text:p></table:table-cell>"
        )
    if isinstance(valeur, date):
        return (
            f'<table:table-cell table:style-name="{_STYLE_DATE}" office:value-type="date"'
            f' office:date-value="{valeur.isoformat()}">'
            f"<text:p>{jour_francais(valeur)}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="float" office:value="{valeur}">'
        f"<text:p>{valeur}</text:p></table:table-cell>"
    )


def _paragraphe(texte: str) -> str:
    """`texte` as the content of a ``text:p``, whose reader collapses white space: tabs,
    line ends and every space but a single one between two other characters are written as
    elements."""
    texte = escape(texte)
    if not _BLANCS_A_ECRIRE.search(texte):
        return texte

    def ecrire(blanc: re.Match[str]) -> str:
        if blanc[0] == "\t":
            return "<text:tab/>"
        if blanc[0][0] in "\r\n":
            return "<text:line-break/>"
        debut, fin = blanc.span()
        if (
            fin - debut == 1
            and debut > 0
            and fin < len(texte)
            and texte[debut - 1] not in "\t\r\n"
            and texte[fin] not in "\t\r\n"
        ):
            return " "
        return f'<text:s text:c="{fin - debut}"/>'

    return _BLANCS.sub(ecrire, texte)
