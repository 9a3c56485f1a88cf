"""The liste fiscale as a reader sees it: the structure, the period, one line per mémoire put
into payment with the columns of DESIGN §3.3, the totals and when it was issued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chorus.domain.traitement import ActionTraitement
from tests.adapters.pdf.fabrique import memoire_realiste
from tests.adapters.pdf.lecture import lecteur, pages, texte
from tests.monde import AUJOURDHUI, SIRET_CABINET, Monde

ENTETE = "Numéro Date de dépôt Juridiction Montant HT TVA TTC Mise en paiement Montant payé"


def test_la_liste_fiscale_ses_lignes_et_ses_totaux(monde: Monde) -> None:
    premier = monde.paye()
    second = monde.paye()
    realiste = monde.evenement(memoire_realiste(monde), ActionTraitement.MISE_A_DISPOSITION)
    realiste = monde.evenement(realiste, ActionTraitement.CERTIFICATION)
    realiste = monde.evenement(realiste, ActionTraitement.MISE_EN_PAIEMENT, montant="8000.00")
    monde.brouillon()  # neither a draft nor a mémoire not yet paid is listed
    monde.envoye()
    # Issued later in the day than the payments.
    monde.horloge.avancer(timedelta(hours=5, minutes=30))

    pdf = monde.chorus.documents.liste_fiscale(
        monde.gestionnaire.id, monde.structure.id, AUJOURDHUI - timedelta(days=30), AUJOURDHUI
    ).contenu
    lu = texte(pdf)
    assert len(pages(pdf)) == 1
    assert "Liste fiscale" in lu
    assert f"Structure SIRET {SIRET_CABINET} – Cabinet Durand" in lu
    assert "Période du 15/05/2024 au 14/06/2024" in lu
    assert ENTETE in lu
    # One line 1 × 150,00 at 5,5 %: 150,00 HT, 8,25 TVA, 158,25 TTC, paid in full.
    for paye in (premier, second):
        assert (
            f"{paye.numero} 14/06/2024 Tribunal judiciaire de Lyon 150,00 EUR 8,25 EUR "
            "158,25 EUR 14/06/2024 158,25 EUR" in lu
        )
    assert (
        f"{realiste.numero} 14/06/2024 Tribunal judiciaire de Lyon 6 808,25 EUR 1 317,98 EUR "
        "8 161,31 EUR 14/06/2024 8 000,00 EUR" in lu
    )
    assert lu.count(" 14/06/2024 Tribunal judiciaire de Lyon ") == 3
    assert "Total (3 mémoires) 7 108,25 EUR 1 334,48 EUR 8 477,81 EUR 8 316,50 EUR" in lu
    # 10:00 UTC + 5 h 30 is 17:30 in Paris (summer time).
    assert "Édité le 14/06/2024 à 17:30 (heure de Paris)" in lu

    info = lecteur(pdf).metadata
    assert info is not None
    assert info.author == "Chorus"
    assert info.title == f"Liste fiscale {SIRET_CABINET} – du 15/05/2024 au 14/06/2024"
    assert info.creation_date == datetime(2024, 6, 14, 15, 30, tzinfo=UTC)


def test_une_liste_fiscale_vide(monde: Monde) -> None:
    pdf = monde.chorus.documents.liste_fiscale(
        monde.gestionnaire.id, monde.structure.id, AUJOURDHUI - timedelta(days=30), AUJOURDHUI
    ).contenu
    lu = texte(pdf)
    assert "Aucun mémoire mis en paiement sur la période." in lu
    assert "Total (0 mémoire) 0,00 EUR 0,00 EUR 0,00 EUR 0,00 EUR" in lu
