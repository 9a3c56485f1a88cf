"""The JSON flux reader: values as written, positions as JSON paths, errors per mémoire,
and the whole file refused only when it cannot be read at all."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus.adapters.flux.champs import CHAMPS_ENTETE, CHAMPS_LIGNE, CHAMPS_PIECE
from chorus.adapters.flux.json_flux import lire_json
from chorus.domain.flux.lecture import ErreurFlux, FichierIllisible, MemoireLue


def lire(*memoires: Any) -> list[MemoireLue]:
    return lire_json(json.dumps({"version": "1.0", "memoires": list(memoires)}).encode())


def test_les_nombres_sont_lus_tels_qu_ecrits_jamais_en_flottant() -> None:
    document = (
        b'{"version": "1.0", "memoires": [{"reference": "R", "remise_globale_ttc": 0.10,'
        b' "lignes": [{"quantite": 3, "tarif_ht": 12.10, "taux_tva": 5.5,'
        b' "debours": 1e2, "frais_divers": [{"libelle": "Km", "montant": 0.1000000000000000055}]}],'
        b' "pieces": [{"fichier": "a.pdf", "type_piece": "AUTRE", "numero_ligne": 1}]}]}'
    )
    (memoire,) = lire_json(document)
    assert memoire.entete["remise_globale_ttc"] == "0.10"
    ligne = memoire.lignes[0]
    assert (ligne.valeurs["quantite"], ligne.valeurs["tarif_ht"]) == ("3", "12.10")
    assert (ligne.valeurs["taux_tva"], ligne.valeurs["debours"]) == ("5.5", "1e2")
    assert ligne.frais_divers == (("Km", "0.1000000000000000055"),)
    assert memoire.pieces[0].numero_ligne == "1"
    assert memoire.erreurs == ()


def test_chaque_champ_documente_a_une_cle_absent_vide_ou_null_donnent_none() -> None:
    (memoire,) = lire(
        {"reference": "  R-1 ", "commentaire": "   ", "iban": None, "lignes": [{}], "pieces": [{}]}
    )
    assert memoire.reference == "R-1"
    assert list(memoire.entete) == list(CHAMPS_ENTETE)
    assert memoire.entete["reference"] == "R-1"
    assert memoire.entete["commentaire"] is None
    assert memoire.entete["iban"] is None
    assert list(memoire.lignes[0].valeurs) == list(CHAMPS_LIGNE)
    assert set(memoire.lignes[0].valeurs.values()) == {None}
    piece = memoire.pieces[0]
    assert (piece.fichier, piece.type_piece, piece.designation, piece.numero_ligne) == (
        None,
        None,
        None,
        None,
    )
    assert memoire.erreurs == ()
    assert len(CHAMPS_PIECE) == 4


def test_les_erreurs_portent_la_position_et_le_champ() -> None:
    memoires = lire(
        {"reference": "R-0"},
        {
            "reference": "R-1",
            "juridiction": "TJ-69123",
            "numero_facture": True,
            "lignes": [
                {"quantite": "1"},
                {"quantite": [1], "tva": "20", "frais_divers": [{"libelle": "Km"}, "5"]},
            ],
            "pieces": [{"fichier": "a.pdf", "type": "AUTRE"}, "b.pdf"],
        },
        "R-2",
        {"reference": {"code": "R-3"}, "lignes": {"quantite": "1"}},
    )
    assert [m.rang for m in memoires] == [0, 1, 2, 3]
    assert memoires[0].erreurs == ()
    assert memoires[1].reference == "R-1"
    assert memoires[1].erreurs == (
        ErreurFlux(
            "memoires[1]",
            "juridiction",
            "Champ inconnu « juridiction » (vouliez-vous dire « juridiction_code » ?).",
        ),
        ErreurFlux(
            "memoires[1]",
            "numero_facture",
            "Ce champ doit être un texte ou un nombre, pas un booléen.",
        ),
        ErreurFlux(
            "memoires[1].lignes[1]",
            "quantite",
            "Ce champ doit être un texte ou un nombre, pas une liste.",
        ),
        ErreurFlux("memoires[1].lignes[1]", "tva", "Champ inconnu « tva »."),
        ErreurFlux(
            "memoires[1].lignes[1].frais_divers[1]",
            None,
            'Un frais divers doit être un objet JSON {"libelle": …, "montant": …}.',
        ),
        ErreurFlux("memoires[1].pieces[0]", "type", "Champ inconnu « type »."),
        ErreurFlux("memoires[1].pieces[1]", None, "Une pièce doit être un objet JSON ({…})."),
    )
    # What could be read is still handed over, for the report and the conversion.
    assert memoires[1].lignes[0].valeurs["quantite"] == "1"
    assert memoires[1].lignes[1].frais_divers == (("Km", None), (None, None))
    assert memoires[2] == MemoireLue(
        2,
        "memoires[2]",
        None,
        dict.fromkeys(CHAMPS_ENTETE),
        erreurs=(ErreurFlux("memoires[2]", None, "Un mémoire doit être un objet JSON ({…})."),),
    )
    assert memoires[3].reference is None
    assert memoires[3].erreurs == (
        ErreurFlux(
            "memoires[3]", "reference", "Ce champ doit être un texte ou un nombre, pas un objet."
        ),
        ErreurFlux("memoires[3]", "lignes", "Ce champ doit être une liste ([…])."),
    )


def test_un_champ_donne_deux_fois_est_signale() -> None:
    document = (
        b'{"version": "1.0", "memoires": [{"reference": "R-1", "reference": "R-2",'
        b' "lignes": [{"quantite": "1", "quantite": "2"}]}]}'
    )
    (memoire,) = lire_json(document)
    assert memoire.erreurs == (
        ErreurFlux(
            "memoires[0]",
            "reference",
            "Le champ « reference » est donné plusieurs fois : une seule valeur est permise.",
        ),
        ErreurFlux(
            "memoires[0].lignes[0]",
            "quantite",
            "Le champ « quantite » est donné plusieurs fois : une seule valeur est permise.",
        ),
    )


def test_une_valeur_demesuree_est_refusee_pour_son_memoire_seulement() -> None:
    memoires = lire({"reference": "R-1", "commentaire": "x" * 1_000_000}, {"reference": "R-2"})
    assert memoires[0].entete["commentaire"] is None
    assert memoires[0].erreurs == (
        ErreurFlux("memoires[0]", "commentaire", "La valeur dépasse 10\u202f000 caractères."),
    )
    assert memoires[1].erreurs == ()


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"\xef\xbb\xbf  \n", "Le fichier est vide."),
        (
            b'{"version": "1.0",\n "memoires": [\n  {"reference": "R-1",}\n]}',
            "Le fichier n'est pas un document JSON valide (ligne 3, colonne 23) : "
            "un nom de champ entre guillemets doubles est attendu.",
        ),
        (
            b'{"version": "1.0", "memoires": [{"reference": "R\xe9f"}]}',
            "Le fichier n'est pas encodé en UTF-8 (octet invalide ligne 1) : "
            "enregistrez-le en UTF-8.",
        ),
        (
            b'{"version": "1.0", "memoires": [{"remise_globale_ttc": NaN}]}',
            "Le fichier n'est pas un document JSON valide : « NaN » n'est pas un nombre JSON.",
        ),
        (
            b"[]",
            'Le document doit être un objet JSON {"version": "1.0", "memoires": […]}.',
        ),
        (b'{"memoires": []}', "Le champ « version » est obligatoire (« 1.0 »)."),
        (
            b'{"version": "2.0", "memoires": []}',
            "Version de format « 2.0 » inconnue : la version prise en charge est « 1.0 ».",
        ),
        (
            b'{"version": "1.0"}',
            "Le champ « memoires » est obligatoire : la liste des mémoires.",
        ),
        (
            b'{"version": "1.0", "memoires": {"reference": "R-1"}}',
            "Le champ « memoires » doit être une liste ([…]) de mémoires.",
        ),
        (
            b'{"version": "1.0", "memoire": []}',
            "Champ inconnu « memoire » à la racine du document : seuls « version » et "
            "« memoires » y sont permis.",
        ),
        (
            b'{"version": "1.0", "memoires": [], "memoires": []}',
            "Le champ « memoires » est donné plusieurs fois à la racine du document.",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "Le fichier n'est pas un flux de mémoires : ses données sont imbriquées trop "
            "profondément.",
        ),
    ],
    ids=[
        "vide",
        "vide avec BOM",
        "syntaxe",
        "encodage",
        "NaN",
        "racine liste",
        "sans version",
        "version inconnue",
        "sans memoires",
        "memoires objet",
        "champ inconnu a la racine",
        "memoires en double",
        "imbrication profonde",
    ],
)
def test_un_fichier_illisible_est_refuse_entier(contenu: bytes, message: str) -> None:
    with pytest.raises(FichierIllisible) as refus:
        lire_json(contenu)
    assert refus.value.message == message


def test_le_bom_et_les_autres_encodages_unicode_de_json_sont_acceptes() -> None:
    texte = json.dumps({"version": "1.0", "memoires": [{"reference": "Réf-1"}]})
    for contenu in (b"\xef\xbb\xbf" + texte.encode(), texte.encode("utf-16")):
        (memoire,) = lire_json(contenu)
        assert memoire.reference == "Réf-1"


def test_un_flux_vide_n_a_aucun_memoire() -> None:
    assert lire_json(b'{"version": "1.0", "memoires": []}') == []


# -- round trip ------------------------------------------------------------------------

_textes = st.text(st.characters(codec="utf-8"), max_size=30)
_nombres = st.decimals(
    allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
)
_valeurs = st.one_of(_textes, _nombres, st.none())


def _objet(champs: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(champs), _valeurs, max_size=len(champs))


_lignes = st.lists(
    st.tuples(
        _objet(CHAMPS_LIGNE),
        st.lists(st.fixed_dictionaries({"libelle": _valeurs, "montant": _valeurs}), max_size=3),
    ),
    max_size=3,
)
_memoires = st.lists(
    st.tuples(_objet(CHAMPS_ENTETE), _lignes, st.lists(_objet(CHAMPS_PIECE), max_size=3)),
    max_size=4,
)


def _ecrire(valeur: Any) -> str:
    """JSON in which a Decimal is written as the number it is (json.dumps cannot)."""
    if isinstance(valeur, Decimal):
        return format(valeur, "f")
    if isinstance(valeur, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_ecrire(v)}" for k, v in valeur.items()) + "}"
    if isinstance(valeur, list):
        return "[" + ", ".join(_ecrire(v) for v in valeur) + "]"
    return json.dumps(valeur)


def _attendu(valeur: Any) -> str | None:
    if isinstance(valeur, Decimal):
        return format(valeur, "f")
    if valeur is None:
        return None
    return str(valeur).strip() or None


def _document(memoires: list[Any]) -> dict[str, Any]:
    return {
        "version": "1.0",
        "memoires": [
            {
                **entete,
                "lignes": [{**valeurs, "frais_divers": frais} for valeurs, frais in lignes],
                "pieces": pieces,
            }
            for entete, lignes, pieces in memoires
        ],
    }


def _reecrire(memoires: list[MemoireLue]) -> dict[str, Any]:
    """The document again, from what the reader handed over."""
    return {
        "version": "1.0",
        "memoires": [
            {
                **m.entete,
                "lignes": [
                    {
                        **ligne.valeurs,
                        "frais_divers": [
                            {"libelle": libelle, "montant": montant}
                            for libelle, montant in ligne.frais_divers
                        ],
                    }
                    for ligne in m.lignes
                ],
                "pieces": [
                    {
                        "fichier": p.fichier,
                        "type_piece": p.type_piece,
                        "designation": p.designation,
                        "numero_ligne": p.numero_ligne,
                    }
                    for p in m.pieces
                ],
            }
            for m in memoires
        ],
    }


@settings(max_examples=60, deadline=None)
@given(_memoires)
def test_aller_retour_json_les_valeurs_sont_rendues_telles_qu_ecrites(memoires: list[Any]) -> None:
    document = _document(memoires)
    lus = lire_json(_ecrire(document).encode())

    assert all(m.erreurs == () for m in lus)
    for memoire, (entete, lignes, pieces) in zip(lus, memoires, strict=True):
        assert memoire.entete == {c: _attendu(entete.get(c)) for c in CHAMPS_ENTETE}
        assert memoire.reference == _attendu(entete.get("reference"))
        assert [ligne.valeurs for ligne in memoire.lignes] == [
            {c: _attendu(valeurs.get(c)) for c in CHAMPS_LIGNE} for valeurs, _ in lignes
        ]
        assert [ligne.frais_divers for ligne in memoire.lignes] == [
            tuple((_attendu(f["libelle"]), _attendu(f["montant"])) for f in frais)
            for _, frais in lignes
        ]
        assert [
            (p.fichier, p.type_piece, p.designation, p.numero_ligne) for p in memoire.pieces
        ] == [tuple(_attendu(p.get(c)) for c in CHAMPS_PIECE) for p in pieces]
    # Written back (every value now a text) and read again: the very same mémoires.
    assert lire_json(json.dumps(_reecrire(lus)).encode()) == lus


def test_un_caractere_invalide_est_refuse_a_son_champ() -> None:
    """A lone surrogate (``"\\ud800"``: no character, not writable as UTF-8) is refused
    where it stands, for its mémoire only; a well-formed pair is one character."""
    invalide = "Le texte contient des caractères invalides."
    fautif, sain = lire(
        {
            "reference": "\ud800",
            "commentaire": "note \udfff",
            "\ud800x": "1",
            "lignes": [{"quantite": "\ud800", "frais_divers": [{"libelle": "\udc00"}]}],
            "pieces": [{"fichier": "\ud800.pdf"}],
        },
        {"reference": "R-\U0001f600", "commentaire": "été"},
    )
    assert fautif.reference is None
    assert [(e.ligne, e.champ, e.message) for e in fautif.erreurs] == [
        ("memoires[0]", "reference", invalide),
        ("memoires[0]", "commentaire", invalide),
        ("memoires[0]", "?x", "Champ inconnu « ?x »."),
        ("memoires[0].lignes[0]", "quantite", invalide),
        ("memoires[0].lignes[0].frais_divers[0]", "libelle", invalide),
        ("memoires[0].pieces[0]", "fichier", invalide),
    ]
    for erreur in fautif.erreurs:
        # Every message and field can be stored and shown.
        (erreur.ligne + (erreur.champ or "") + erreur.message).encode("utf-8")
    assert (sain.reference, sain.entete["commentaire"], sain.erreurs) == ("R-\U0001f600", "été", ())
    with pytest.raises(FichierIllisible, match="« \\? » à la racine"):
        lire_json(b'{"version": "1.0", "\\ud800": 1, "memoires": []}')
