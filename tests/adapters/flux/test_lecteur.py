"""The flux reader as the dépôt uses it: one object for the three formats and the ZIP, and
a file of 10,000 mémoires read in well under the time of its integration."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from chorus.adapters.flux import LecteurDeFlux
from chorus.adapters.flux.champs import ESPACE_DE_NOMS
from chorus.adapters.flux.csv_flux import COLONNES
from chorus.domain.flux.flux import FormatFlux
from chorus.domain.flux.lecture import FichierIllisible
from chorus.ports.flux import LecteurFlux
from tests.adapters.flux.outils import donnee

NOMBRE = 10_000
# Measured at about 0.3 s (JSON), 0.4 s (CSV) and 1.1 s (XML, 0.6 s of which in defusedxml's
# parser) of processor time on the 2-core test machine. Processor time, not wall time: other
# tests running beside this one do not count; the bound still catches a quadratic slip.
SECONDES_MAXIMUM = 5.0


def test_le_lecteur_est_celui_que_le_port_decrit() -> None:
    lecteur: LecteurFlux = LecteurDeFlux()
    assert lecteur.lire(FormatFlux.CSV, donnee("exemple.csv"))[0].reference == "INT-2026-0042"
    # The format is the one declared, never guessed from the content.
    with pytest.raises(FichierIllisible):
        lecteur.lire(FormatFlux.XML, donnee("exemple.json"))
    with pytest.raises(FichierIllisible):
        lecteur.lire(FormatFlux.JSON, donnee("exemple.csv"))


def test_les_limites_de_l_archive_se_reglent() -> None:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("a.pdf", b"%PDF" + b"0" * 2000)
    with pytest.raises(FichierIllisible):
        LecteurDeFlux(taille_maximum_piece=1000).pieces(tampon.getvalue())
    with pytest.raises(FichierIllisible):
        LecteurDeFlux(taille_maximum_archive=1000).pieces(tampon.getvalue())
    assert len(LecteurDeFlux().pieces(tampon.getvalue())) == 1


def _memoires() -> list[dict[str, Any]]:
    modele = json.loads(donnee("exemple.json"))["memoires"][0]
    return [{**modele, "reference": f"REF-{i:06d}"} for i in range(NOMBRE)]


def _json(memoires: list[dict[str, Any]]) -> bytes:
    return json.dumps({"version": "1.0", "memoires": memoires}).encode()


def _xml(memoires: list[dict[str, Any]]) -> bytes:
    morceaux = [f'<flux version="1.0" xmlns="{ESPACE_DE_NOMS}">']
    for memoire in memoires:
        morceaux.append("<memoire>")
        for champ, valeur in memoire.items():
            if champ == "lignes":
                morceaux.append("<lignes>")
                for ligne in valeur:
                    morceaux.append(
                        "<ligne>"
                        + "".join(f"<{k}>{v}</{k}>" for k, v in ligne.items())
                        + "</ligne>"
                    )
                morceaux.append("</lignes>")
            else:
                morceaux.append(f"<{champ}>{valeur}</{champ}>")
        morceaux.append("</memoire>\n")
    morceaux.append("</flux>")
    return "".join(morceaux).encode()


def _csv(memoires: list[dict[str, Any]]) -> bytes:
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    for memoire in memoires:
        for ligne in memoire["lignes"]:
            rangee = {**memoire, **ligne}
            ecrivain.writerow([rangee.get(colonne, "") for colonne in COLONNES])
    return tampon.getvalue().encode()


@pytest.mark.parametrize(
    ("format", "ecrire"),
    [(FormatFlux.JSON, _json), (FormatFlux.XML, _xml), (FormatFlux.CSV, _csv)],
    ids=["JSON", "XML", "CSV"],
)
def test_dix_mille_memoires_de_deux_lignes(
    format: FormatFlux, ecrire: Callable[[list[dict[str, Any]]], bytes]
) -> None:
    contenu = ecrire(_memoires())
    debut = time.process_time()
    lus = LecteurDeFlux().lire(format, contenu)
    duree = time.process_time() - debut

    assert len(lus) == NOMBRE
    assert [m.rang for m in lus] == list(range(NOMBRE))
    assert lus[-1].reference == f"REF-{NOMBRE - 1:06d}"
    assert all(len(m.lignes) == 2 and not m.erreurs for m in lus)
    assert lus[-1].lignes[1].valeurs["type_prestation"] == "TRADUCTION_PAGE"
    assert duree < SECONDES_MAXIMUM, f"{format.value} : {duree:.2f} s"
