"""The WeasyPrint machinery: templates, stylesheets and the embedded font, built once per
process, on the first document rendered.

WeasyPrint takes about 0.6 s to import, Jinja2 a few tens of milliseconds: neither is
imported before a document is asked for, so that the terminal UI and the commands that print
nothing start without them (a test checks that ``import chorus.bootstrap`` leaves them out).

The font, Source Sans Pro (SIL Open Font License), comes from the ``font_source_sans_pro``
package and is declared by ``@font-face`` under a family name of our own: a document never
depends on the fonts of the machine that renders it.
"""

from __future__ import annotations

import atexit
import io
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from chorus.adapters.pdf import ecriture

MODELES = Path(__file__).resolve().parent / "modeles"
VARIANTE_PDF = "pdf/a-3b"


@attrs.frozen
class FichierJoint:
    """A file embedded in the PDF (PDF/A-3 allows any), dated like the document itself."""

    nom: str
    contenu: bytes
    description: str
    date: datetime
    # ISO 32000-2 §7.11.3: « Data » is the data the document presents.
    relation: str = "Data"


@attrs.frozen
class Gabarit:
    """A document to render: its template, what the template reads, the files to embed."""

    modele: str
    contexte: Mapping[str, Any]
    fichiers_joints: tuple[FichierJoint, ...] = ()


def sous_ensemble_rapide() -> bool:
    """True when WeasyPrint subsets fonts with HarfBuzz (the ``libharfbuzz-subset0``
    library, version ≥ 4.1); without it, it falls back to fontTools, about five times
    slower."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


class Moteur:
    """Parsed templates, stylesheets and fonts; renders one document at a time."""

    def __init__(self) -> None:
        import font_source_sans_pro
        import jinja2
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.dossier_polices = Path(font_source_sans_pro.font_directory).resolve()
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(MODELES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update(
            montant=ecriture.montant,
            nombre=ecriture.nombre,
            taux=ecriture.taux,
            taux_publie=ecriture.taux_publie,
            jour=ecriture.jour,
            instant=ecriture.instant,
            instant_w3c=ecriture.instant_w3c,
            iban=ecriture.iban,
            taille=ecriture.taille,
            parametre_url=ecriture.parametre_url,
        )
        self._lecteur = lecteur_de_polices(self.dossier_polices)
        self._polices = FontConfiguration()
        self._feuilles = (
            # Relative font names resolve in the package's font folder.
            CSS(
                filename=MODELES / "polices.css",
                base_url=self.dossier_polices.as_uri() + "/",
                url_fetcher=self._lecteur,
                font_config=self._polices,
            ),
            CSS(filename=MODELES / "document.css", font_config=self._polices),
        )
        for nom in self._env.list_templates(extensions=["html"]):
            self._env.get_template(nom)
        # Pango and the font configuration are shared: one document at a time.
        self._verrou = threading.Lock()

    def prechauffer(self) -> None:
        """Lay out one small page with the embedded font: Pango loads the font and its
        shaping tables on the first text it sets."""
        from weasyprint import HTML

        with self._verrou:
            HTML(string='<p lang="fr">Chorus</p>', url_fetcher=self._lecteur).write_pdf(
                stylesheets=self._feuilles, font_config=self._polices
            )

    def page(self, gabarit: Gabarit) -> str:
        """The HTML of a document, before WeasyPrint lays it out."""
        return self._env.get_template(gabarit.modele).render(gabarit.contexte)

    def rendre(self, gabarit: Gabarit) -> bytes:
        """The PDF/A-3b of a document. Its metadata (title, author, subject, dates) come from
        the ``<meta>`` of the page, so from the description only."""
        from weasyprint import HTML, Attachment

        page = self.page(gabarit)
        joints = [
            Attachment(
                file_obj=io.BytesIO(joint.contenu),
                name=joint.nom,
                description=joint.description,
                # WeasyPrint writes these with a literal « Z »: they must be UTC.
                created=joint.date.astimezone(UTC),
                modified=joint.date.astimezone(UTC),
                relationship=joint.relation,
            )
            for joint in gabarit.fichiers_joints
        ]
        with self._verrou:
            pdf: bytes = HTML(
                string=page, base_url=MODELES.as_uri() + "/", url_fetcher=self._lecteur
            ).write_pdf(
                stylesheets=self._feuilles,
                font_config=self._polices,
                pdf_variant=VARIANTE_PDF,
                attachments=joints,
            )
        return pdf


def lecteur_de_polices(dossier: Path) -> Any:
    """A URL fetcher that reads the font files and nothing else: whatever a template came to
    hold, rendering never reads another file of the machine nor the network."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    racine = dossier.resolve()

    class LecteurDePolices(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            adresse = urlsplit(url)
            chemin = Path(url2pathname(adresse.path)).resolve()
            if adresse.scheme != "file" or not chemin.is_relative_to(racine):
                raise ValueError(f"ressource refusée dans un document : {url}")
            return super().fetch(url, headers)

    return LecteurDePolices(allowed_protocols=("file",), fail_on_errors=True)


_moteur: Moteur | None = None
_construction = threading.Lock()


def moteur() -> Moteur:
    """The process's engine, built on first call."""
    global _moteur
    if _moteur is None:
        with _construction:
            if _moteur is None:
                _moteur = Moteur()
                atexit.register(_arreter)
    return _moteur


def _arreter() -> None:
    # The font configuration removes its temporary folder when collected: at exit, while
    # the modules it needs for that are still there.
    global _moteur
    _moteur = None
