"""The CSV flux reader: rows grouped by reference, en-têtes that must agree, frais divers
and pièces in their documented cells, positions as the file's row numbers."""

from __future__ import annotations

import pytest

from chorus.adapters.flux.champs import CHAMPS_ENTETE, CHAMPS_LIGNE
from chorus.adapters.flux.csv_flux import lire_csv
from chorus.domain.flux.lecture import ErreurFlux, FichierIllisible, PieceLue

ENTETE = "reference;juridiction_code;pieces;numero_affaire;quantite;frais_divers;pieces_ligne"


def csv(*rangees: str, entete: str = ENTETE) -> bytes:
    return ("\r\n".join((entete, *rangees)) + "\r\n").encode("utf-8")


def test_les_lignes_sont_regroupees_par_reference_dans_l_ordre_d_apparition() -> None:
    memoires = lire_csv(
        csv(
            "R-1;TJ-1;;A1;1;;",
            "R-2;TJ-2;;B1;2;;",
            ";;;;;;",
            "R-1;TJ-1;;A2;3;;",
        )
    )
    assert [(m.rang, m.reference, m.position) for m in memoires] == [
        (0, "R-1", "ligne 2"),
        (1, "R-2", "ligne 3"),
    ]
    premier = memoires[0]
    assert list(premier.entete) == list(CHAMPS_ENTETE)
    assert premier.entete["juridiction_code"] == "TJ-1"
    assert premier.entete["texte_reference"] is None
    assert [(ligne.position, ligne.valeurs["numero_affaire"]) for ligne in premier.lignes] == [
        ("ligne 2", "A1"),
        ("ligne 5", "A2"),
    ]
    assert list(premier.lignes[0].valeurs) == list(CHAMPS_LIGNE)
    assert all(m.erreurs == () for m in memoires)


def test_valeurs_a_la_francaise_gardees_telles_qu_ecrites() -> None:
    (memoire,) = lire_csv(
        csv('R-1;TJ-1;;" A1 ";"12,50";Déplacement=35,20| Affranchissement = 4,50 |;')
    )
    (ligne,) = memoire.lignes
    assert ligne.valeurs["numero_affaire"] == "A1"
    assert ligne.valeurs["quantite"] == "12,50"
    assert ligne.frais_divers == (("Déplacement", "35,20"), ("Affranchissement", "4,50"))


def test_pieces_du_memoire_et_pieces_de_ligne() -> None:
    pieces = "ATTESTATION_MISSION:mission.pdf:Attestation : mission n° 4|AUTRE:notes.odt"
    (memoire,) = lire_csv(
        csv(
            f"R-1;TJ-1;{pieces};A1;1;;REQUISITION:req-a1.pdf",
            f"R-1;TJ-1;{pieces};A2;1;;REQUISITION:req-a2.pdf|DEVIS:devis.pdf:Devis signé",
        )
    )
    assert memoire.pieces == (
        PieceLue("ligne 2", "mission.pdf", "ATTESTATION_MISSION", "Attestation : mission n° 4"),
        PieceLue("ligne 2", "notes.odt", "AUTRE"),
        PieceLue("ligne 2", "req-a1.pdf", "REQUISITION", None, "1"),
        PieceLue("ligne 3", "req-a2.pdf", "REQUISITION", None, "2"),
        PieceLue("ligne 3", "devis.pdf", "DEVIS", "Devis signé", "2"),
    )
    assert memoire.erreurs == ()


def test_un_memoire_sans_ligne_de_prestation() -> None:
    (memoire,) = lire_csv(csv("R-1;TJ-1;AUTRE:courrier.pdf;;;;"))
    assert memoire.lignes == ()
    assert memoire.pieces == (PieceLue("ligne 2", "courrier.pdf", "AUTRE"),)
    assert memoire.erreurs == ()


def test_les_colonnes_d_en_tete_doivent_s_accorder_sur_toutes_les_lignes() -> None:
    memoires = lire_csv(
        csv(
            "R-1;TJ-1;AUTRE:a.pdf;A1;1;;",
            "R-2;TJ-2;;B1;1;;",
            "R-1;TJ-9;;A2;1;;",
        )
    )
    assert memoires[0].erreurs == (
        ErreurFlux(
            "ligne 4",
            "juridiction_code",
            "Valeur « TJ-9 » différente de celle de la ligne 2 (« TJ-1 ») : les colonnes "
            "d'en-tête se répètent à l'identique sur chaque ligne d'un mémoire.",
        ),
        ErreurFlux(
            "ligne 4",
            "pieces",
            "Valeur vide différente de celle de la ligne 2 (« AUTRE:a.pdf ») : les colonnes "
            "d'en-tête se répètent à l'identique sur chaque ligne d'un mémoire.",
        ),
    )
    # The row is still read as a line: the report tells everything at once.
    assert len(memoires[0].lignes) == 2
    assert memoires[1].erreurs == ()


def test_une_ligne_sans_reference_est_un_memoire_a_part_en_erreur() -> None:
    memoires = lire_csv(csv("R-1;TJ-1;;A1;1;;", ";TJ-1;;A2;1;;", "  ;TJ-1;;A3;1;;"))
    assert [(m.rang, m.reference, m.position) for m in memoires] == [
        (0, "R-1", "ligne 2"),
        (1, None, "ligne 3"),
        (2, None, "ligne 4"),
    ]
    assert memoires[1].erreurs == (
        ErreurFlux(
            "ligne 3", "reference", "La référence du mémoire est obligatoire sur chaque ligne."
        ),
    )
    assert memoires[1].lignes[0].valeurs["numero_affaire"] == "A2"
    assert memoires[0].erreurs == ()


def test_les_erreurs_d_une_ligne_vont_a_son_memoire() -> None:
    memoires = lire_csv(
        csv(
            "R-1;TJ-1;;A1;1;Déplacement 35,20;",
            "R-1;TJ-1;;A2;1;;requisition.pdf",
            "R-2;TJ-1;;;;;AUTRE:x.pdf",
            "R-3;TJ-1;;A1;1",
            "R-4;TJ-1;;A1;1;;;en trop",
            "R-5;TJ-1;;A1;1;;;;",
        )
    )
    assert memoires[0].erreurs == (
        ErreurFlux(
            "ligne 2",
            "frais_divers",
            "Frais divers « Déplacement 35,20 » : écrire libellé=montant (plusieurs frais "
            "séparés par « | »).",
        ),
        ErreurFlux(
            "ligne 3",
            "pieces_ligne",
            "Pièce « requisition.pdf » : écrire TYPE:fichier ou TYPE:fichier:désignation "
            "(plusieurs pièces séparées par « | »).",
        ),
    )
    assert memoires[1].erreurs == (
        ErreurFlux(
            "ligne 4",
            "pieces_ligne",
            "Des pièces de ligne sont données sur une ligne sans prestation : joignez-les au "
            "mémoire dans la colonne « pieces ».",
        ),
    )
    assert memoires[2].erreurs == (
        ErreurFlux(
            "ligne 5", None, "La ligne compte 5 cellules alors que l'en-tête compte 7 colonnes."
        ),
    )
    assert memoires[3].erreurs == (
        ErreurFlux(
            "ligne 6", None, "La ligne compte 8 cellules alors que l'en-tête compte 7 colonnes."
        ),
    )
    # Empty cells after the last column (a spreadsheet's trailing « ; ») are harmless.
    assert memoires[4].erreurs == ()


def test_une_colonne_sans_nom_doit_rester_vide() -> None:
    memoires = lire_csv(csv("R-1;;", "R-2;x;", entete="reference;;"))
    assert memoires[0].erreurs == ()
    assert memoires[1].erreurs == (
        ErreurFlux("ligne 3", None, "Une valeur figure dans une colonne sans nom."),
    )


def test_une_cellule_demesuree_est_refusee_pour_son_memoire_seulement() -> None:
    memoires = lire_csv(csv(f"R-1;TJ-1;;{'x' * 20_000};1;;", "R-2;TJ-1;;A1;1;;"))
    assert memoires[0].lignes[0].valeurs["numero_affaire"] is None
    assert memoires[0].erreurs == (
        ErreurFlux("ligne 2", "numero_affaire", "La valeur dépasse 10\u202f000 caractères."),
    )
    assert memoires[1].erreurs == ()


def test_guillemets_retours_a_la_ligne_et_bom() -> None:
    contenu = (
        "\ufeffreference;commentaire;numero_affaire\n"
        'R-1;"Scellés n° 4 ; 5\nsur deux lignes";"A ""1"""\n'
        "R-2;;B1\n"
    ).encode()
    premier, second = lire_csv(contenu)
    assert premier.entete["commentaire"] == "Scellés n° 4 ; 5\nsur deux lignes"
    assert premier.lignes[0].valeurs["numero_affaire"] == 'A "1"'
    # Positions count rows (records), as a spreadsheet shows them.
    assert second.position == "ligne 3"


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"\xef\xbb\xbf\r\n;;\r\n", "Le fichier est vide."),
        (
            "reference;numero_affaire\r\nR-1;Aff\xe9\r\n".encode("latin-1"),
            "Le fichier n'est pas encodé en UTF-8 (octet invalide ligne 2) : enregistrez-le "
            "au format « CSV UTF-8 ».",
        ),
        (
            b"reference;juridiction;numero_affaire\r\n",
            "Colonne inconnue « juridiction » dans la ligne d'en-tête. Vouliez-vous dire "
            "« juridiction_code » ?",
        ),
        (
            b"Reference;Numero_Affaire\r\n",
            "Colonne inconnue « Reference » dans la ligne d'en-tête. Vouliez-vous dire "
            "« reference » ?",
        ),
        (
            b"reference,numero_affaire\r\nR-1,A1\r\n",
            "Colonne inconnue « reference,numero_affaire » dans la ligne d'en-tête. Les "
            "colonnes sont séparées par « ; ».",
        ),
        (
            b"juridiction_code;numero_affaire\r\nTJ-1;A1\r\n",
            "La colonne « reference » est obligatoire : elle regroupe les lignes de chaque "
            "mémoire.",
        ),
        (
            b"reference;quantite;quantite\r\n",
            "La colonne « quantite » figure deux fois dans l'en-tête.",
        ),
        (
            b"reference;numero_affaire\r\nR-1;A\x001\r\n",
            "Le fichier CSV est illisible (ligne 2) : le fichier contient un caractère nul (ce "
            "n'est pas un fichier texte).",
        ),
        (
            b'reference;commentaire\r\nR-1;x\r\nR-2;"' + b"y" * 200_000 + b'"\r\n',
            "Le fichier CSV est illisible (ligne 3) : une cellule dépasse 131\u202f072 caractères.",
        ),
        (
            b'reference;commentaire\r\nR-1;x\r\nR-2;"sans fin\r\nR-3;y\r\n',
            "Le fichier CSV est illisible (ligne 3) : des guillemets ouverts ne sont jamais "
            "refermés.",
        ),
        (
            b'reference;commentaire\r\nR-1;"x"y\r\n',
            "Le fichier CSV est illisible (ligne 2) : une cellule entre guillemets doit être "
            "suivie de « ; » ou de la fin de ligne.",
        ),
    ],
    ids=[
        "vide",
        "blanc",
        "windows-1252",
        "colonne inconnue",
        "majuscules",
        "separateur virgule",
        "sans reference",
        "colonne en double",
        "caractere nul",
        "cellule geante",
        "guillemets ouverts",
        "texte apres guillemets",
    ],
)
def test_un_fichier_illisible_est_refuse_entier(contenu: bytes, message: str) -> None:
    with pytest.raises(FichierIllisible) as refus:
        lire_csv(contenu)
    assert refus.value.message == message


def test_un_en_tete_seul_ne_donne_aucun_memoire() -> None:
    assert lire_csv(b"reference;numero_affaire\r\n") == []
