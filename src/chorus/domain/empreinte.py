"""The empreinte of a sent mémoire: base64 of the SHA-256 of its canonical serialisation.

Canonical serialisation, version 1 (a published format: anyone holding a certificate and the
mémoire's data can recompute it):

- a JSON object, keys sorted, separators ``,`` and ``:`` with no space, UTF-8, non-ASCII
  characters written as themselves;
- amounts and quantities as strings with exactly two decimals (``"158.25"``); TVA rates as
  their code (``"5.5"``); dates ``YYYY-MM-DD``; the sending instant in UTC,
  ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; absent optional values as ``null``;
- content: ``format`` (1), ``numero``, ``date_depot``, ``prestataire`` (``identifiant``,
  ``type_identifiant``, ``raison_sociale``), the en-tête fields, ``coordonnee_bancaire``
  (``iban``, ``bic``), ``lignes`` (in line order, every field and amount), ``totaux`` and
  ``pieces`` (in attachment order: ``nom_fichier``, ``type_piece``, ``designation``,
  ``numero_ligne``, ``taille``, ``sha256``).

The result is 44 characters long, e.g. ``XOkhdnGi1pKBCuig5gYdmETGEUWGwesxEFKYTPilk14=``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from chorus.domain.montants import arrondir

if TYPE_CHECKING:
    from chorus.domain.memoire import Memoire

FORMAT_CANONIQUE = 1


def _montant(valeur: Decimal) -> str:
    return format(arrondir(valeur), "f")


def instant_canonique(valeur: datetime) -> str:
    """An instant as the canonical serialisations write it: UTC, microseconds, ``Z``."""
    return valeur.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def serialisation_canonique(memoire: Memoire, *, date_depot: datetime) -> bytes:
    """The bytes the empreinte is computed on (see the module's documentation), from the
    mémoire as sent: its definitive number and its frozen prestataire."""
    prestataire = memoire.prestataire
    if prestataire is None:
        raise ValueError("the canonical serialisation needs the prestataire as sent")
    identifiant = prestataire.identifiant
    type_identifiant = prestataire.type_identifiant
    raison_sociale = prestataire.raison_sociale
    iban = prestataire.iban
    bic = prestataire.bic
    entete = memoire.entete
    totaux = memoire.totaux
    document = {
        "format": FORMAT_CANONIQUE,
        "numero": memoire.numero,
        "date_depot": instant_canonique(date_depot),
        "prestataire": {
            "identifiant": identifiant,
            "type_identifiant": type_identifiant,
            "raison_sociale": raison_sociale,
        },
        "service_id": entete.service_id,
        "juridiction_code": entete.juridiction_code,
        "categorie_prestataire": entete.categorie_prestataire,
        "devise": entete.devise,
        "texte_reference": entete.texte_reference,
        "type_tva": entete.type_tva.value,
        "mention_tva": entete.mention_tva,
        "numero_facture": entete.numero_facture,
        "numero_engagement_juridique": entete.numero_engagement_juridique,
        "commentaire": entete.commentaire,
        "coordonnee_bancaire": {"iban": iban, "bic": bic},
        "lignes": [
            {
                "numero_ligne": ligne.numero_ligne,
                "numero_affaire": ligne.numero_affaire,
                "date_requisition": ligne.date_requisition.isoformat(),
                "autorite_requerante": ligne.autorite_requerante,
                "type_prestation": ligne.type_prestation,
                "date_prestation": ligne.date_prestation.isoformat(),
                "quantite": _montant(ligne.quantite),
                "tarif_ht": _montant(ligne.tarif_ht),
                "taux_tva": ligne.taux_tva.code,
                "frais_divers": [
                    {"libelle": f.libelle, "montant_ht": _montant(f.montant_ht)}
                    for f in ligne.frais_divers
                ],
                "debours": _montant(ligne.debours),
                "montant_ht": _montant(ligne.montant_ht),
                "montant_tva": _montant(ligne.montant_tva),
                "montant_ttc": _montant(ligne.montant_ttc),
            }
            for ligne in memoire.lignes
        ],
        "totaux": {
            "montant_ht": _montant(totaux.montant_ht),
            "montant_tva": _montant(totaux.montant_tva),
            "recapitulatif_tva": [
                {
                    "taux": r.taux.code,
                    "base_ht": _montant(r.base_ht),
                    "montant_tva": _montant(r.montant_tva),
                }
                for r in totaux.recapitulatif_tva
            ],
            "montant_debours": _montant(totaux.montant_debours),
            "montant_ttc": _montant(totaux.montant_ttc),
            "remise_globale_ttc": _montant(totaux.remise_globale_ttc),
            "net_a_payer": _montant(totaux.net_a_payer),
        },
        "pieces": [
            {
                "nom_fichier": p.nom_fichier,
                "type_piece": p.type_piece.value,
                "designation": p.designation,
                "numero_ligne": p.numero_ligne,
                "taille": p.taille,
                "sha256": p.sha256,
            }
            for p in memoire.pieces
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def empreinte(serialisation: bytes) -> str:
    """Base64 (standard alphabet, padded) of the SHA-256 of `serialisation`: 44 characters."""
    return base64.b64encode(hashlib.sha256(serialisation).digest()).decode("ascii")


def calculer_empreinte(memoire: Memoire, *, date_depot: datetime) -> str:
    """The empreinte of a mémoire as sent."""
    return empreinte(serialisation_canonique(memoire, date_depot=date_depot))
