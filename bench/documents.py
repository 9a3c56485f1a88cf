"""The PDF documents: rendering a certificate and a mémoire, and serving a stored
certificate.

In a Chorus on SQLite in a temporary folder (built through the use cases: an account, a
structure with its bank details, a one-line mémoire and a 30-line one, both really sent):

- **Start-up** — WeasyPrint's import and the parsing of the templates and the font, which
  the first document of a process pays (reported apart, no target).
- **Certificate** — `RenduWeasyPrint.certificat_depot` of the one-line mémoire (one page).
  Target: median ≤ 150 ms.
- **Bare page** — in turn with each certificate, WeasyPrint rendering the same certificate's
  HTML bare: no stylesheet, no embedded font, not PDF/A, WeasyPrint's defaults
  (`HTML(string=…).write_pdf()`). The ratio certificate ÷ bare is what our templates, font
  and archival format cost over WeasyPrint's own work on that page. Target ≤ 2. Beside it,
  for scale, a minimal bare page (a title and a sentence).
- **Mémoire of 30 lines** — `DocumentService.memoire` as a download asks for it (reading
  the mémoire takes a few milliseconds of it; the rest is rendering), no target.
- **Serving a stored certificate** — `DocumentService.certificat_depot` as a download asks
  for it: read the mémoire, check the user's habilitation, read the PDF stored at sending
  from the blob store. Target: median ≤ 5 ms.

Medians over interleaved runs, so that a load peak of the machine weighs on each side alike;
the processor time of the certificate and of the bare page is reported beside their wall-clock
time, as what they cost whatever else the machine runs.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs

from chorus.adapters.pdf.moteur import moteur
from chorus.adapters.pdf.rendu import (
    RenduWeasyPrint,
    gabarit_certificat_depot,
    sous_ensemble_rapide,
)
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.bootstrap import Chorus, construire
from chorus.domain.documents import CertificatAImprimer
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.lignes import SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Adresse, TypeIdentifiant, TypeStructure

CIBLE_CERTIFICAT_MS = 150.0
CIBLE_RATIO_NU = 2.0
CIBLE_SERVICE_MS = 5.0

DEPOT = datetime(2025, 6, 30, 8, 0, tzinfo=UTC)
PAGE_MINIMALE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Page nue</title>'
    "</head><body><h1>Certificat de dépôt</h1><p>Le mémoire de frais de justice "
    "n°MJ00000000001 d'un montant de 158,25 EUR est en cours de transfert au Tribunal "
    "judiciaire de Lyon.</p></body></html>"
)


@attrs.frozen
class ResultatDocuments:
    mise_en_route_ms: float
    certificats_ms: tuple[float, ...]
    nus_ms: tuple[float, ...]
    # Processor time of the same renderings: what they cost whatever else the machine runs.
    certificats_cpu_ms: tuple[float, ...]
    nus_cpu_ms: tuple[float, ...]
    minimaux_ms: tuple[float, ...]
    memoires_ms: tuple[float, ...]
    services_ms: tuple[float, ...]
    lignes_memoire: int
    pages_memoire: int
    octets_certificat: int
    harfbuzz: bool

    @property
    def certificat_ms(self) -> float:
        return statistics.median(self.certificats_ms)

    @property
    def nu_ms(self) -> float:
        return statistics.median(self.nus_ms)

    @property
    def minimal_ms(self) -> float:
        return statistics.median(self.minimaux_ms)

    @property
    def ratio(self) -> float:
        return self.certificat_ms / self.nu_ms

    @property
    def certificat_cpu_ms(self) -> float:
        return statistics.median(self.certificats_cpu_ms)

    @property
    def ratio_cpu(self) -> float:
        return self.certificat_cpu_ms / statistics.median(self.nus_cpu_ms)

    @property
    def ratio_minimal(self) -> float:
        return self.certificat_ms / self.minimal_ms

    @property
    def memoire_ms(self) -> float:
        return statistics.median(self.memoires_ms)

    @property
    def service_ms(self) -> float:
        return statistics.median(self.services_ms)

    @property
    def atteint(self) -> bool:
        return (
            self.certificat_ms <= CIBLE_CERTIFICAT_MS
            and self.ratio <= CIBLE_RATIO_NU
            and self.service_ms <= CIBLE_SERVICE_MS
        )

    def en_dict(self) -> dict[str, Any]:
        def serie(valeurs: tuple[float, ...], decimales: int = 1) -> dict[str, Any]:
            return {
                "mediane": round(statistics.median(valeurs), decimales),
                "min": round(min(valeurs), decimales),
                "max": round(max(valeurs), decimales),
                "n": len(valeurs),
            }

        return {
            "harfbuzz_subset": self.harfbuzz,
            "mise_en_route_ms": round(self.mise_en_route_ms, 1),
            "certificat_ms": {
                **serie(self.certificats_ms),
                "cible": CIBLE_CERTIFICAT_MS,
                "octets": self.octets_certificat,
            },
            "certificat_cpu_ms": serie(self.certificats_cpu_ms),
            "page_nue_ms": serie(self.nus_ms),
            "page_nue_cpu_ms": serie(self.nus_cpu_ms),
            "ratio_cpu_certificat_page_nue": round(self.ratio_cpu, 2),
            "ratio_certificat_page_nue": {"valeur": round(self.ratio, 2), "cible": CIBLE_RATIO_NU},
            "page_minimale_ms": serie(self.minimaux_ms),
            "ratio_certificat_page_minimale": round(self.ratio_minimal, 2),
            "memoire_ms": {
                **serie(self.memoires_ms),
                "lignes": self.lignes_memoire,
                "pages": self.pages_memoire,
            },
            "service_certificat_stocke_ms": {
                **serie(self.services_ms, 3),
                "cible": CIBLE_SERVICE_MS,
            },
        }


@attrs.frozen
class _Monde:
    chorus: Chorus
    gestionnaire_id: str
    certificat: Memoire
    long: Memoire


def _ligne(numero: int, jour: date) -> SaisieLigne:
    return SaisieLigne(
        numero_affaire=f"PARQUET-25-{numero:04d}",
        date_requisition=jour - timedelta(days=3),
        autorite_requerante="PROCUREUR_REPUBLIQUE",
        type_prestation="EXPERTISE_PSYCHIATRIQUE",
        date_prestation=jour,
        quantite="1",
        tarif_ht="150.00",
        taux_tva="5.5",
        frais_divers=(("Déplacement", "12.50"),) if numero % 3 == 0 else (),
        debours="4.10" if numero % 5 == 0 else "0",
    )


def _construire_monde(dossier: Path) -> _Monde:
    chorus = construire(f"sqlite:///{dossier / 'chorus.db'}", clock=HorlogeFixe(DEPOT))
    gestionnaire = chorus.utilisateurs.creer_compte(
        email="gestionnaire@cabinet-durand.fr", nom="Durand", prenom="Claire", actif=True
    )
    qui = gestionnaire.id
    structure = chorus.structures.creer(
        qui,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant="41234567000019",
        raison_sociale="Cabinet Durand",
        adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
    )
    chorus.structures.definir_espace_frais_de_justice(
        qui, structure.id, categorie_prestataire="PSYCHIATRE", regime=None
    )
    coordonnee = chorus.structures.ajouter_coordonnee_bancaire_avec_rib(
        qui,
        structure.id,
        libelle="Compte courant",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP882",
        contenu_rib=b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
        nom_fichier_rib="RIB.pdf",
    )
    entete = EnTete.creer(
        structure_id=structure.id,
        juridiction_code="TJ-69123",
        texte_reference="A.43-6",
        type_tva=TypeTva.TVA_SUR_DEBITS,
        coordonnee_bancaire_id=coordonnee.id,
    )
    jour = DEPOT.date() - timedelta(days=10)

    def envoye(lignes: int) -> Memoire:
        memoire = chorus.memoires.creer(qui, entete)
        for numero in range(1, lignes + 1):
            chorus.memoires.ajouter_ligne(qui, memoire.id, _ligne(numero, jour))
        return chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)

    return _Monde(chorus, qui, envoye(1), envoye(30))


def _chrono_ms(action: Callable[[], object]) -> float:
    debut = time.perf_counter()
    action()
    return (time.perf_counter() - debut) * 1000


def mesurer_documents(repetitions: int = 21) -> ResultatDocuments:
    import pypdf

    # WeasyPrint's import and the parsing of the templates and fonts, once per process; the
    # first sending below would pay them otherwise.
    mise_en_route_ms = _chrono_ms(moteur)
    from weasyprint import HTML

    rendu = RenduWeasyPrint()
    with tempfile.TemporaryDirectory(prefix="chorus-banc-documents-") as dossier:
        print("  un mémoire d'une ligne et un de 30 lignes envoyés sur SQLite…", flush=True)
        monde = _construire_monde(Path(dossier))
        documents = monde.chorus.documents
        certificat = CertificatAImprimer.depuis(monde.certificat)
        page = moteur().page(gabarit_certificat_depot(certificat))

        print(f"  certificats et pages nues ({repetitions} de chaque, en alternance)…", flush=True)
        certificats, nus, minimaux, certificats_cpu, nus_cpu = [], [], [], [], []
        for _ in range(repetitions):
            cpu = time.process_time()
            certificats.append(_chrono_ms(lambda: rendu.certificat_depot(certificat)))
            certificats_cpu.append((time.process_time() - cpu) * 1000)
            cpu = time.process_time()
            nus.append(_chrono_ms(lambda: HTML(string=page).write_pdf()))
            nus_cpu.append((time.process_time() - cpu) * 1000)
            minimaux.append(_chrono_ms(lambda: HTML(string=PAGE_MINIMALE).write_pdf()))

        fois = max(5, repetitions // 3)
        print(f"  mémoires de 30 lignes ({fois})…", flush=True)
        memoires = [
            _chrono_ms(lambda: documents.memoire(monde.gestionnaire_id, monde.long.id))
            for _ in range(fois)
        ]
        pdf_memoire = documents.memoire(monde.gestionnaire_id, monde.long.id).contenu

        print(f"  certificats stockés servis par DocumentService ({repetitions * 10})…", flush=True)
        for _ in range(5):
            documents.certificat_depot(monde.gestionnaire_id, monde.certificat.id)
        services = [
            _chrono_ms(
                lambda: documents.certificat_depot(monde.gestionnaire_id, monde.certificat.id)
            )
            for _ in range(repetitions * 10)
        ]
        servi = documents.certificat_depot(monde.gestionnaire_id, monde.certificat.id).contenu
        if servi != rendu.certificat_depot(certificat):
            raise RuntimeError("le certificat servi n'est pas celui que le rendu redonne")
    return ResultatDocuments(
        mise_en_route_ms=mise_en_route_ms,
        certificats_ms=tuple(certificats),
        nus_ms=tuple(nus),
        certificats_cpu_ms=tuple(certificats_cpu),
        nus_cpu_ms=tuple(nus_cpu),
        minimaux_ms=tuple(minimaux),
        memoires_ms=tuple(memoires),
        services_ms=tuple(services),
        lignes_memoire=len(monde.long.lignes),
        pages_memoire=len(pypdf.PdfReader(io.BytesIO(pdf_memoire)).pages),
        octets_certificat=len(servi),
        harfbuzz=sous_ensemble_rapide(),
    )
