"""What the machine must provide for documents to render fast, and what starting Chorus must
not pay for."""

from __future__ import annotations

from pathlib import Path

import pytest

from chorus.adapters.pdf.rendu import sous_ensemble_rapide
from tests.adapters.pdf.processus import python_neuf


def test_les_polices_sont_reduites_par_harfbuzz() -> None:
    if not sous_ensemble_rapide():
        pytest.fail(
            "WeasyPrint n'utilise pas HarfBuzz pour extraire les sous-ensembles de polices : "
            "il se rabat sur fontTools, environ cinq fois plus lent. Installez la "
            "bibliothèque système libharfbuzz-subset0, version 4.1 ou plus (sudo apt-get "
            "install libharfbuzz-subset0 ; make le fait quand il tourne en root)."
        )


def test_demarrer_chorus_n_importe_pas_weasyprint() -> None:
    # WeasyPrint takes about 0.6 s to import: the terminal UI's cold start (< 1 s) and any
    # command that prints nothing must not pay for it; the first document rendered does.
    importes = python_neuf(
        "-c",
        "import sys, chorus.bootstrap, chorus.adapters.pdf.rendu; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('weasyprint', 'jinja2', 'font_source_sans_pro')))",
    )
    assert importes.strip() == "[]"


def test_la_police_vient_du_paquet_et_non_de_la_machine() -> None:
    import font_source_sans_pro

    from chorus.adapters.pdf.moteur import moteur

    dossier = moteur().dossier_polices
    assert dossier == Path(font_source_sans_pro.font_directory).resolve()
    for fichier in ("SourceSansPro-Regular.ttf", "SourceSansPro-Bold.ttf", "SourceSansPro-It.ttf"):
        assert (dossier / fichier).is_file()
