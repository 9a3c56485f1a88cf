"""The batch file formats (`adapters.lots_statuts`): positions, exact numbers, and a file
that cannot be read refused whole with one French message."""

from __future__ import annotations

import pytest

from chorus.adapters.lots_statuts import LecteurLotsStatuts
from chorus.domain.lots_statuts import EvenementLu, FormatLot, LotIllisible

LIRE = LecteurLotsStatuts().lire


def test_json_positions_et_nombres_exacts() -> None:
    contenu = b"""{"evenements": [
        {"numero_memoire": "MJ00000000001", "action": "CERTIFICATION",
         "date_evenement": "2024-05-01T12:00:00+02:00", "reference_evenement": "R1",
         "montant_certifie": 120.10},
        {"numero_memoire": "MJ00000000002", "action": "MISE_EN_PAIEMENT",
         "date_evenement": "2024-05-02T12:00:00+02:00", "reference_evenement": "R2",
         "montant_paye": 7, "motif": null}
    ]}"""
    lus = LIRE(FormatLot.JSON, contenu)
    assert [lu.position for lu in lus] == ["evenements[0]", "evenements[1]"]
    assert lus[0].montant_certifie == "120.10"
    assert lus[1].montant_paye == "7"
    assert lus[1].motif is None
    assert all(lu.erreur is None for lu in lus)


def test_json_entree_fautive_gardee_avec_son_erreur() -> None:
    contenu = (
        b'{"evenements": [42, {"numero_memoire": "MJ1", "couleur": "bleu"},'
        b' {"numero_memoire": ["MJ1"]}]}'
    )
    lus = LIRE(FormatLot.JSON, contenu)
    assert [lu.erreur for lu in lus] == [
        (None, "Chaque événement doit être un objet JSON."),
        ("couleur", "Champ inconnu : « couleur »."),
        ("numero_memoire", "La valeur doit être un texte ou un nombre."),
    ]


def test_csv_bom_colonnes_dans_le_desordre_lignes_vides_et_positions() -> None:
    contenu = (
        "\ufeffreference_evenement;action;numero_memoire;date_evenement;montant_certifie\n"
        "R1;CERTIFICATION;MJ00000000001;2024-05-01T12:00:00+02:00;120,50\n"
        "\n"
        "R2;MISE_A_DISPOSITION;MJ00000000002;2024-05-01T12:00:00+02:00;\n"
    ).encode()
    lus = LIRE(FormatLot.CSV, contenu)
    assert lus == [
        EvenementLu(
            "ligne 2",
            numero_memoire="MJ00000000001",
            action="CERTIFICATION",
            date_evenement="2024-05-01T12:00:00+02:00",
            reference_evenement="R1",
            montant_certifie="120,50",
        ),
        EvenementLu(
            "ligne 4",
            numero_memoire="MJ00000000002",
            action="MISE_A_DISPOSITION",
            date_evenement="2024-05-01T12:00:00+02:00",
            reference_evenement="R2",
        ),
    ]


def test_csv_ligne_trop_longue() -> None:
    contenu = b"numero_memoire;action;date_evenement;reference_evenement\nMJ1;REFUS;x;R;en trop\n"
    (lu,) = LIRE(FormatLot.CSV, contenu)
    assert lu.erreur is not None
    assert "5 champs pour 4 colonnes" in lu.erreur[1]


@pytest.mark.parametrize(
    ("format_", "contenu", "extrait"),
    [
        (FormatLot.JSON, b"{pas du json", "n'est pas un document JSON valide (ligne 1"),
        (FormatLot.JSON, b"[]", "« evenements »"),
        (FormatLot.JSON, b'{"evenements": [], "autre": 1}', "Champ inconnu à la racine"),
        (FormatLot.JSON, b"\xff\xfe{}", "UTF-8"),
        (FormatLot.CSV, b"", "la ligne d'en-tête manque"),
        (FormatLot.CSV, b"numero_memoire;action;couleur\n", "Colonne inconnue"),
        (FormatLot.CSV, b"numero_memoire;action;date_evenement\n", "reference_evenement"),
        (
            FormatLot.CSV,
            b"numero_memoire;numero_memoire;action;date_evenement;reference_evenement\n",
            "deux fois",
        ),
        (FormatLot.CSV, b"numero_memoire,action,date_evenement,reference_evenement\n", "inconnue"),
    ],
)
def test_fichier_illisible(format_: FormatLot, contenu: bytes, extrait: str) -> None:
    with pytest.raises(LotIllisible) as refus:
        LIRE(format_, contenu)
    assert extrait in refus.value.message
    assert refus.value.champ == "fichier"


def test_json_trop_imbrique_est_illisible() -> None:
    contenu = b'{"evenements": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    with pytest.raises(LotIllisible) as refus:
        LIRE(FormatLot.JSON, contenu)
    assert "imbrication trop profonde" in refus.value.message


def test_csv_positions_apres_un_champ_sur_plusieurs_lignes() -> None:
    contenu = (
        "numero_memoire;action;date_evenement;reference_evenement;motif\n"
        'MJ1;SUSPENSION;2024-05-01;R1;"Pièce\nmanquante\nà fournir"\n'
        "MJ2;CERTIFICATION;2024-05-02;R2;\n"
    ).encode()
    lus = LIRE(FormatLot.CSV, contenu)
    assert [lu.position for lu in lus] == ["ligne 2", "ligne 5"]
    assert lus[0].motif == "Pièce\nmanquante\nà fournir"
