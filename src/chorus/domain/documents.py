"""The documents the portal issues as PDF, described as data: what each one shows, with every
code already turned into the label a reader expects.

The use cases build these descriptions (they know the référentiels and the structures); a
`DocumentRenderer` turns them into bytes. A description holds everything its document prints,
so that rendering it twice yields the same document: nothing is read from the clock or a store
while rendering.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime

import attrs

from chorus.domain.certificat import CertificatDepot
from chorus.domain.empreinte import serialisation_canonique
from chorus.domain.errors import TransitionInvalide
from chorus.domain.liste_fiscale import LigneListeFiscale, Periode, TotauxListeFiscale
from chorus.domain.memoire import Memoire

TYPE_PDF = "application/pdf"


class NatureDocument(enum.Enum):
    """Which document; the value names its file."""

    CERTIFICAT_DEPOT = "certificat-depot"
    MEMOIRE = "memoire"
    LISTE_FISCALE = "liste-fiscale"

    @property
    def libelle(self) -> str:
        return {
            NatureDocument.CERTIFICAT_DEPOT: "Certificat de dépôt",
            NatureDocument.MEMOIRE: "Mémoire de frais de justice",
            NatureDocument.LISTE_FISCALE: "Liste fiscale",
        }[self]


@attrs.frozen
class CertificatAImprimer:
    """The certificat de dépôt of a sent mémoire, and the canonical serialisation its
    empreinte was computed on (joined to the PDF, so that whoever holds the file can recompute
    the empreinte without the portal)."""

    certificat: CertificatDepot
    serialisation: bytes

    @staticmethod
    def depuis(memoire: Memoire) -> CertificatAImprimer:
        """The certificate of a sent mémoire; `TransitionInvalide` for a draft."""
        certificat = memoire.certificat
        if certificat is None:
            raise TransitionInvalide(
                f"Le mémoire n°{memoire.numero} n'a pas été envoyé : il n'a pas de "
                "certificat de dépôt."
            )
        return CertificatAImprimer(
            certificat=certificat,
            serialisation=serialisation_canonique(memoire, date_depot=certificat.date_depot),
        )

    @property
    def nom_fichier(self) -> str:
        return f"certificat-depot-{self.certificat.numero}.pdf"


@attrs.frozen(eq=False)
class LibellesMemoire:
    """The labels of the codes a mémoire carries, as the référentiels name them (the code
    itself when a référentiel no longer knows it: a sent mémoire is printed as it was)."""

    juridiction: str
    texte_reference: str
    categorie_prestataire: str | None
    service: str | None
    types_prestation: Mapping[str, str]
    autorites_requerantes: Mapping[str, str]

    def type_prestation(self, code: str) -> str:
        return self.types_prestation.get(code, code)

    def autorite_requerante(self, code: str) -> str:
        return self.autorites_requerantes.get(code, code)


@attrs.frozen(eq=False)
class MemoireAImprimer:
    """A sent mémoire as it was sent: en-tête, lines with their frais divers and débours,
    the TVA recap, the totals and the pièces (status and history are not part of it)."""

    memoire: Memoire
    libelles: LibellesMemoire

    @property
    def certificat(self) -> CertificatDepot:
        certificat = self.memoire.certificat
        if certificat is None:
            raise ValueError("only a sent mémoire is printed")
        return certificat

    @property
    def nom_fichier(self) -> str:
        return f"memoire-{self.memoire.numero}.pdf"


@attrs.frozen(eq=False)
class ListeFiscaleAImprimer:
    """The liste fiscale of a structure for a period, every line of it, and when it was
    issued (the only date on it that is not data)."""

    identifiant: str
    type_identifiant: str
    raison_sociale: str
    periode: Periode
    lignes: tuple[LigneListeFiscale, ...]
    totaux: TotauxListeFiscale
    juridictions: Mapping[str, str]
    edite_le: datetime

    def juridiction(self, code: str) -> str:
        return self.juridictions.get(code, code)

    @property
    def nom_fichier(self) -> str:
        return (
            f"liste-fiscale-{self.identifiant}-{self.periode.du.isoformat()}-"
            f"{self.periode.au.isoformat()}.pdf"
        )


@attrs.frozen
class DocumentPdf:
    """A rendered document: its bytes and the name it is saved under."""

    nature: NatureDocument
    nom_fichier: str
    contenu: bytes

    @property
    def type_media(self) -> str:
        return TYPE_PDF
