"""The empreinte of a sent mémoire and its canonical serialisation."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from chorus.domain.empreinte import FORMAT_CANONIQUE, empreinte, serialisation_canonique
from chorus.domain.memoire import Memoire
from tests.unit.fabrique import (
    BIC,
    IBAN,
    MAINTENANT,
    NUMERO_DEFINITIF,
    PNG,
    PRESTATAIRE,
    RAISON_SOCIALE,
    SIRET,
    brouillon,
    entete,
    ligne,
    piece,
    piece_rib,
)


def _a_envoyer(m: Memoire | None = None, numero: str = NUMERO_DEFINITIF) -> Memoire:
    return (
        m if m is not None else brouillon(pieces=(piece(contenu=PNG, nom="scan.png"),))
    ).memoire_a_envoyer(numero_definitif=numero, piece_rib=piece_rib(), maintenant=MAINTENANT)


def _serialiser(
    m: Memoire, *, date_depot: datetime = MAINTENANT, raison: str = RAISON_SOCIALE
) -> bytes:
    prestataire = attrs.evolve(PRESTATAIRE, raison_sociale=raison)
    return serialisation_canonique(attrs.evolve(m, prestataire=prestataire), date_depot=date_depot)


def _document(m: Memoire) -> Any:
    return json.loads(_serialiser(m).decode("utf-8"))


def test_empreinte_est_le_base64_du_sha256() -> None:
    octets = _serialiser(_a_envoyer())
    resultat = empreinte(octets)
    assert len(resultat) == 44
    assert resultat.endswith("=")
    assert base64.b64decode(resultat) == hashlib.sha256(octets).digest()


def test_empreinte_connue() -> None:
    assert empreinte(b"") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


def test_empreinte_deterministe() -> None:
    assert _serialiser(_a_envoyer()) == _serialiser(_a_envoyer())
    assert empreinte(_serialiser(_a_envoyer())) == empreinte(_serialiser(_a_envoyer()))


def test_serialisation_canonique_json_trie_compact_utf8() -> None:
    octets = _serialiser(_a_envoyer())
    document = json.loads(octets.decode("utf-8"))
    recanonique = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert octets == recanonique
    assert b": " not in octets
    assert b", " not in octets
    assert "Cabinet Écoute".encode() in octets
    assert b"\\u00c9" not in octets


def test_serialisation_contenu() -> None:
    document = _document(_a_envoyer())
    assert document["format"] == FORMAT_CANONIQUE == 1
    assert document["numero"] == NUMERO_DEFINITIF
    assert document["date_depot"] == "2024-05-01T10:00:00.000000Z"
    assert document["prestataire"] == {
        "identifiant": SIRET,
        "type_identifiant": "SIRET",
        "raison_sociale": RAISON_SOCIALE,
    }
    assert document["coordonnee_bancaire"] == {"iban": IBAN, "bic": BIC}
    assert document["devise"] == "EUR"
    assert document["type_tva"] == "TVA_SUR_DEBITS"
    assert document["mention_tva"] is None
    assert document["numero_facture"] is None
    [une] = document["lignes"]
    assert une["quantite"] == "1.00"
    assert une["tarif_ht"] == "150.00"
    assert une["taux_tva"] == "5.5"
    assert une["debours"] == "0.00"
    assert une["montant_ht"] == "150.00"
    assert une["montant_tva"] == "8.25"
    assert une["montant_ttc"] == "158.25"
    assert une["date_prestation"] == "2024-04-21"
    assert document["totaux"]["montant_ttc"] == "158.25"
    assert document["totaux"]["net_a_payer"] == "158.25"
    assert document["totaux"]["recapitulatif_tva"] == [
        {"taux": "5.5", "base_ht": "150.00", "montant_tva": "8.25"}
    ]
    assert [p["type_piece"] for p in document["pieces"]] == ["REQUISITION", "COORDONNEE_BANCAIRE"]
    assert document["pieces"][0]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert document["pieces"][0]["taille"] == len(PNG)
    assert document["pieces"][0]["numero_ligne"] is None


def test_date_de_depot_en_utc() -> None:
    paris = timezone(timedelta(hours=2))
    m = _a_envoyer()
    assert _serialiser(m, date_depot=datetime(2024, 5, 1, 12, tzinfo=paris)) == _serialiser(
        m, date_depot=datetime(2024, 5, 1, 10, tzinfo=UTC)
    )


def _empreinte(m: Memoire, **kwargs: Any) -> str:
    return empreinte(_serialiser(m, **kwargs))


REFERENCE = _empreinte(_a_envoyer())


@pytest.mark.parametrize(
    "variante",
    [
        pytest.param(lambda: _a_envoyer(numero="MJ00000021179"), id="numéro"),
        pytest.param(
            lambda: _a_envoyer(
                brouillon(
                    lignes=(ligne(tarif_ht="150.01"),),
                    pieces=(piece(contenu=PNG, nom="scan.png"),),
                )
            ),
            id="montant de ligne",
        ),
        pytest.param(
            lambda: _a_envoyer(
                brouillon(
                    lignes=(ligne(debours="0.01"),),
                    pieces=(piece(contenu=PNG, nom="scan.png"),),
                )
            ),
            id="débours",
        ),
        pytest.param(
            lambda: _a_envoyer(brouillon(pieces=(piece(contenu=PNG + b"\x00", nom="scan.png"),))),
            id="sha256 d'une pièce",
        ),
        pytest.param(
            lambda: _a_envoyer(
                brouillon(
                    en_tete=entete(remise_globale_ttc="0.01"),
                    pieces=(piece(contenu=PNG, nom="scan.png"),),
                )
            ),
            id="remise",
        ),
        pytest.param(
            lambda: _a_envoyer(brouillon(pieces=(piece(contenu=PNG, nom="autre.png"),))),
            id="nom de pièce",
        ),
    ],
)
def test_empreinte_change_si_le_contenu_change(variante: Any) -> None:
    autre: Memoire = variante()
    assert _empreinte(autre) != REFERENCE


def test_empreinte_change_si_le_sha256_d_une_piece_change() -> None:
    m = _a_envoyer()
    falsifiee = attrs.evolve(m.pieces[0], sha256="0" * 64)
    assert _empreinte(attrs.evolve(m, pieces=(falsifiee, *m.pieces[1:]))) != REFERENCE


def test_empreinte_change_avec_le_prestataire_et_la_date() -> None:
    m = _a_envoyer()
    assert _empreinte(m, raison="Autre cabinet") != REFERENCE
    assert _empreinte(m, date_depot=MAINTENANT + timedelta(microseconds=1)) != REFERENCE


def test_zero_negatif_ne_change_pas_la_serialisation() -> None:
    """Equal amounts serialise alike: a débours typed « -0 » is the débours 0.00."""
    normal = _a_envoyer(brouillon(lignes=(ligne(debours="0"),)))
    moins_zero = _a_envoyer(brouillon(lignes=(ligne(debours="-0"),)))
    assert moins_zero.lignes == normal.lignes
    assert b'"-0.00"' not in _serialiser(moins_zero)
    assert _serialiser(moins_zero) == _serialiser(normal)
