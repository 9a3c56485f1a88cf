"""Test doubles: predictable secrets, a captcha drawn in no time, a password hasher fast enough
for hundreds of logins per test run, and documents rendered without layout."""

from __future__ import annotations

import itertools
import threading

from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.domain.documents import CertificatAImprimer, ListeFiscaleAImprimer, MemoireAImprimer
from chorus.domain.tic.document import CertificatTicAImprimer

CODE_CAPTCHA = "K7MPQ2"
"""The text every captcha of `SecretsPrevisibles` shows."""

PNG_FACTICE = b"\x89PNG\r\n\x1a\n"


def hacheur_rapide() -> HacheurArgon2id:
    """Real argon2id at its smallest cost (64 KiB, one pass): the same code paths as in
    production, about 0.2 ms a hash instead of 25."""
    return HacheurArgon2id(memoire_kib=64, passes=1)


class SecretsPrevisibles:
    """Secrets that differ from one another (each is stored under its own hash) and that a
    test can predict: ``secret-000001``…; every captcha shows `CODE_CAPTCHA`. Two of them on
    one store need different prefixes."""

    def __init__(self, code_captcha: str = CODE_CAPTCHA, prefixe: str = "secret") -> None:
        self.code = code_captcha
        self._prefixe = prefixe
        self._compteur = itertools.count(1)
        self._verrou = threading.Lock()
        self.derniers: list[str] = []

    def jeton(self) -> str:
        with self._verrou:
            secret = f"{self._prefixe}-{next(self._compteur):06d}"
            self.derniers.append(secret)
            return secret

    def code_captcha(self) -> str:
        return self.code


class DessinateurFactice:
    """A "PNG" that carries its code in clear, for tests that read it back."""

    def __init__(self) -> None:
        self.codes: list[str] = []

    def dessiner(self, code: str) -> bytes:
        self.codes.append(code)
        return PNG_FACTICE + code.encode("ascii")


def _document_sommaire(titre: str, *lignes: str) -> bytes:
    texte = "\n".join((titre, *lignes))
    return f"%PDF-1.7\n% Chorus : document de test, sans mise en page\n{texte}\n%%EOF\n".encode()


class RenduSommaire:
    """A `DocumentRenderer` for the tests whose subject is not the PDF itself: WeasyPrint
    takes about 90 ms to lay out a certificate, and thousands of tests send mémoires. These
    bytes start like a PDF and carry the document's key text, the same for the same
    description; the tests of the documents use `RenduWeasyPrint`."""

    def certificat_depot(self, document: CertificatAImprimer) -> bytes:
        certificat = document.certificat
        return _document_sommaire(
            "Certificat de dépôt", certificat.numero, certificat.texte, certificat.empreinte
        )

    def certificat_depot_tic(self, document: CertificatTicAImprimer) -> bytes:
        certificat = document.certificat
        return _document_sommaire(
            "Certificat de dépôt TIC/TICGN",
            certificat.numero,
            document.demandeur.siret,
            str(certificat.annee),
            *(f"{ligne.numero_facture} {ligne.montant}" for ligne in document.lignes),
            str(certificat.montant_total),
            certificat.empreinte,
        )

    def memoire(self, document: MemoireAImprimer) -> bytes:
        memoire = document.memoire
        return _document_sommaire(
            "Mémoire de frais de justice",
            memoire.numero,
            *(f"{ligne.numero_ligne} {ligne.numero_affaire}" for ligne in memoire.lignes),
        )

    def liste_fiscale(self, document: ListeFiscaleAImprimer) -> bytes:
        return _document_sommaire(
            "Liste fiscale",
            document.raison_sociale,
            document.periode.du.isoformat(),
            document.periode.au.isoformat(),
            *(ligne.numero for ligne in document.lignes),
        )
