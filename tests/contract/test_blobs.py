"""Contract of the blob store: contents addressed by their SHA-256, stored once, read back
byte for byte."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from chorus.domain.errors import NonTrouve
from tests.contract.agregats import PDF, PNG
from tests.contract.conftest import Magasin

CONTENUS = {
    "pdf": PDF,
    "png": PNG,
    "every byte": bytes(range(256)) * 4,
    "one byte": b"\x00",
    "text with CRLF": "Réquisition n°1\r\nFin\n".encode(),
    "1 MiB": bytes(i % 251 for i in range(1024 * 1024)),
}


@pytest.mark.parametrize("nom", list(CONTENUS))
def test_deposer_rend_le_sha256_et_lire_rend_les_memes_octets(magasin: Magasin, nom: str) -> None:
    contenu = CONTENUS[nom]
    adresse = magasin.blobs.deposer(contenu)
    assert adresse == hashlib.sha256(contenu).hexdigest()
    assert magasin.blobs.lire(adresse) == contenu
    assert magasin.rouvrir_blobs().lire(adresse) == contenu


def test_deposer_est_idempotent(magasin: Magasin) -> None:
    premiere = magasin.blobs.deposer(PDF)
    seconde = magasin.blobs.deposer(bytes(PDF))
    assert premiere == seconde
    assert magasin.rouvrir_blobs().deposer(PDF) == premiere
    assert magasin.blobs.lire(premiere) == PDF
    autre = magasin.blobs.deposer(PNG)
    assert autre != premiere
    assert magasin.blobs.lire(autre) == PNG
    assert magasin.blobs.lire(premiere) == PDF


def test_lire_un_contenu_inconnu_leve_non_trouve(magasin: Magasin) -> None:
    magasin.blobs.deposer(PDF)
    inconnu = hashlib.sha256(b"jamais depose").hexdigest()
    with pytest.raises(NonTrouve):
        magasin.blobs.lire(inconnu)
    with pytest.raises(NonTrouve):
        magasin.rouvrir_blobs().lire(inconnu)


def test_existe(magasin: Magasin) -> None:
    adresse = hashlib.sha256(PNG).hexdigest()
    assert not magasin.blobs.existe(adresse)
    assert magasin.blobs.deposer(PNG) == adresse
    assert magasin.blobs.existe(adresse)
    assert magasin.rouvrir_blobs().existe(adresse)
    assert not magasin.blobs.existe(hashlib.sha256(PDF).hexdigest())


# -- the retention purge's deletion ---------------------------------------------------------

JAMAIS = timedelta(0)
UN_JOUR = timedelta(days=1)


def test_taille(magasin: Magasin) -> None:
    adresse = magasin.blobs.deposer(PNG)
    assert magasin.blobs.taille(adresse) == len(PNG)
    assert magasin.rouvrir_blobs().taille(adresse) == len(PNG)
    assert magasin.blobs.taille(hashlib.sha256(PDF).hexdigest()) is None
    assert magasin.blobs.taille("../../etc/passwd") is None


def test_supprimer_un_contenu_rend_sa_taille_et_l_efface(magasin: Magasin) -> None:
    adresse = magasin.blobs.deposer(PDF)
    garde = magasin.blobs.deposer(PNG)
    assert magasin.blobs.supprimer(adresse, delai_de_grace=JAMAIS) == len(PDF)
    for blobs in (magasin.blobs, magasin.rouvrir_blobs()):
        assert not blobs.existe(adresse)
        assert blobs.taille(adresse) is None
        with pytest.raises(NonTrouve):
            blobs.lire(adresse)
        assert blobs.lire(garde) == PNG
    assert magasin.blobs.supprimer(adresse, delai_de_grace=JAMAIS) is None
    assert magasin.blobs.supprimer("pas une adresse", delai_de_grace=JAMAIS) is None
    # Deposited again, it is stored anew.
    assert magasin.blobs.deposer(PDF) == adresse
    assert magasin.rouvrir_blobs().lire(adresse) == PDF


def test_un_contenu_depose_recemment_n_est_pas_supprime(magasin: Magasin) -> None:
    adresse = magasin.blobs.deposer(PDF)
    assert magasin.blobs.supprimer(adresse, delai_de_grace=UN_JOUR) is None
    assert magasin.rouvrir_blobs().supprimer(adresse, delai_de_grace=UN_JOUR) is None
    assert magasin.rouvrir_blobs().lire(adresse) == PDF
