"""What a prestataire types is printed as text, never read as markup: the templates escape
it (Jinja2's autoescape)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chorus.adapters.pdf.moteur import lecteur_de_polices
from chorus.domain.documents import CertificatAImprimer
from tests.adapters.pdf.lecture import pages, texte
from tests.monde import Monde, saisie_ligne

COMMENTAIRE = '<script>alert("x")</script></td></tr></table><h1>Faux titre</h1>'
FRAIS = "</td><td>99 999,99</td></tr><tr><td>Ligne ajoutée"
FACTURE = "<b>F-1</b>&amp;"


def test_le_balisage_saisi_est_imprime_tel_quel(monde: Monde) -> None:
    qui = monde.gestionnaire.id
    memoire = monde.chorus.memoires.creer(
        qui, monde.entete(commentaire=COMMENTAIRE, numero_facture=FACTURE)
    )
    monde.chorus.memoires.ajouter_ligne(
        qui, memoire.id, saisie_ligne(frais_divers=((FRAIS, "10.00"),))
    )
    envoye = monde.chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)
    pdf = monde.chorus.documents.memoire(qui, envoye.id).contenu

    lu = texte(pdf)
    assert f"Commentaire {COMMENTAIRE}" in lu
    assert f"Numéro de facture {FACTURE}" in lu
    assert f"Frais divers : {FRAIS}, 10,00 HT" in lu
    # The table still has its one line, and the totals their amounts: nothing was injected.
    assert "Net à payer 168,80 EUR" in lu
    assert "1,00 150,00 5,5 % 160,00 8,80 0,00 168,80" in lu
    assert len(pages(pdf)) == 1

    certificat = monde.chorus.ports.documents.certificat_depot(CertificatAImprimer.depuis(envoye))
    assert "Faux titre" not in texte(certificat)


def test_le_rendu_ne_lit_que_les_fichiers_de_police(tmp_path: Path) -> None:
    # Defence in depth: even a template that came to hold a link could not make WeasyPrint
    # read a file of the machine or the network.
    police = tmp_path / "polices" / "Police.ttf"
    police.parent.mkdir()
    police.write_bytes(b"police")
    (tmp_path / "secret.txt").write_text("secret")
    lecteur = lecteur_de_polices(police.parent)

    assert lecteur.fetch(police.as_uri()).read() == b"police"
    for refusee in (
        (tmp_path / "secret.txt").as_uri(),
        police.parent.as_uri() + "/../secret.txt",
        "https://exemple.fr/police.ttf",
    ):
        with pytest.raises(ValueError, match="ressource refusée"):
            lecteur.fetch(refusee)
