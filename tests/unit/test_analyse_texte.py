"""The assistant's French text analysis: folding, elision, stop words, stemming, synonyms
and the correction of typos against the FAQ's vocabulary."""

from __future__ import annotations

import pytest

from chorus.domain.analyse_texte import (
    Vocabulaire,
    analyser_question,
    distance_edition,
    mots,
    plier,
    raciner,
    significatifs,
    termes,
    tolerance,
)


def test_plier_retire_accents_ligatures_et_majuscules() -> None:
    assert plier("Éligibilité À L’ŒUVRE ça") == "eligibilite a l'oeuvre ca"
    assert plier("Mémoire DUPLIQUÉ post refus") == "memoire duplique post refus"


@pytest.mark.parametrize(
    ("texte", "attendus"),
    [
        ("l'activation", ["activation"]),
        ("L’habilitation d'un utilisateur", ["habilitation", "un", "utilisateur"]),
        ("qu'est-ce qu'un mémoire", ["est", "ce", "un", "memoire"]),
        ("jusqu'au 31 décembre", ["jusqu", "au", "31", "decembre"]),
        ("mot-de-passe", ["mot", "de", "passe"]),
        ("aujourd'hui", ["aujourd", "hui"]),
    ],
)
def test_mots_et_elisions(texte: str, attendus: list[str]) -> None:
    assert mots(texte) == attendus


def test_les_mots_vides_et_les_tournures_de_question_sont_ecartes() -> None:
    assert significatifs("Comment est-ce que je peux envoyer mon mémoire ?") == [
        "envoyer",
        "memoire",
    ]


@pytest.mark.parametrize(
    "formes",
    [
        ("mémoire", "memoires", "MÉMOIRES"),
        ("déposer", "déposée", "deposee", "dépose"),
        ("rejeté", "rejetée", "rejet", "refusé", "refus"),
        ("envoyer", "envoyé", "envoi"),
        ("paiement", "payé", "payer", "virement", "versement"),
        ("habilitation", "habilitations", "droits", "permissions"),
        ("éligible", "eligibles"),
    ],
)
def test_les_formes_d_un_mot_et_ses_synonymes_ont_un_seul_terme(formes: tuple[str, ...]) -> None:
    assert len({tuple(termes(forme)) for forme in formes}) == 1


def test_synonymes_sur_plusieurs_mots() -> None:
    assert termes("mdp") == termes("mot de passe") == ["mot", "pass"]
    assert termes("identifiants") == termes("login") == [raciner("identifiant")]
    assert termes("e-mail") == termes("courriel")
    # « facture » is a mémoire here, and an invoice of a demande TIC: both.
    assert termes("facture") == [raciner("facture"), raciner("memoire")]


def test_raciner_garde_les_mots_courts_et_les_nombres() -> None:
    assert raciner("tic") == "tic"
    assert raciner("2019") == "2019"
    assert raciner("envoyé") != "envoyé"  # only folded words reach it, as `termes` does


def test_distance_edition() -> None:
    assert distance_edition("certificat", "certficat", 2) == 1
    assert distance_edition("habilitation", "habilitaiton", 2) == 1  # one transposition
    assert distance_edition("remboursement", "rembourcment", 2) == 2
    assert distance_edition("tarte", "carte", 1) == 1
    assert distance_edition("abc", "xyzxyz", 2) == 3


def test_tolerance_selon_la_longueur() -> None:
    assert [tolerance("x" * n) for n in (2, 3, 4, 7, 8, 12)] == [0, 0, 1, 1, 2, 2]


VOCABULAIRE = Vocabulaire.depuis_textes(
    [
        "Mot de passe oublié : réinitialisation du mot de passe.",
        "Certificat de dépôt et remboursement de la TIC.",
        "Les habilitations d'un utilisateur ; la carte grise ; l'activation du compte.",
    ]
)


@pytest.mark.parametrize(
    ("faute", "correction"),
    [
        ("certficat", "certificat"),
        ("habilitaiton", "habilitation"),
        ("remboursment", "remboursement"),
        ("pase", "passe"),
        ("dactivation", "activation"),
        ("oubiler", None),  # two edits in a 7-letter word: too far
        ("tarte", None),  # a typo keeps its first letter
        ("mot", None),  # too short to correct
    ],
)
def test_correction_vers_le_mot_le_plus_proche(faute: str, correction: str | None) -> None:
    assert VOCABULAIRE.corriger(faute) == correction


def test_analyser_question_corrige_et_signale_les_inconnus() -> None:
    requete = analyser_question("Certficat de la TIC et recette de cuisine", VOCABULAIRE)
    assert requete.corrections == {"certficat": "certificat"}
    assert requete.termes == ("certificat", "tic", raciner("recette"), raciner("cuisine"))
    assert requete.inconnus == {raciner("recette"), raciner("cuisine")}
    # A word the FAQ knows by its stem is not « corrected »: « habilitée » is no typo.
    assert analyser_question("habilitations", VOCABULAIRE).corrections == {}
    assert analyser_question("  ", VOCABULAIRE).vide
    assert analyser_question("comment est-ce que", VOCABULAIRE).vide


def test_les_termes_trouves_par_correction_sont_signales() -> None:
    """A corrected word is a guess: its terms are `corriges`, unless typed as well."""
    requete = analyser_question("certficat de remboursement", VOCABULAIRE)
    assert requete.corriges == {"certificat"}
    assert raciner("remboursement") not in requete.corriges
    deux_fois = analyser_question("certficat du certificat", VOCABULAIRE)
    assert deux_fois.corrections == {"certficat": "certificat"}
    assert deux_fois.corriges == frozenset()
