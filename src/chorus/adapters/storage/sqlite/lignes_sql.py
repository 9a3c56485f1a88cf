"""From aggregates to table rows and back, through the shared codec.

The codec says how every value travels (decimals as exact text, dates as ISO text); this
module only decides which part of an aggregate goes to which column.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.domain.entete import ModeDepot
from chorus.domain.lignes import LigneDePrestation
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.statuts import StatutMemoire
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import ResumeMemoire

_EPOQUE = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECONDE = timedelta(microseconds=1)
_CENTIME = Decimal("0.01")

# Columns of `lignes_prestation` holding JSON rather than a scalar.
_COLONNES_JSON_DES_LIGNES = frozenset({"frais_divers"})


def en_json(donnees: Any) -> str:
    # Compact and in the codec's field order: stored once, read by programs.
    return json.dumps(donnees, ensure_ascii=False, separators=(",", ":"))


def instant_en_entier(instant: datetime) -> int:
    """Microseconds since 1970 UTC: exact, and sorts like the instants."""
    return (instant - _EPOQUE) // _MICROSECONDE


def entier_en_instant(valeur: int) -> datetime:
    return _EPOQUE + valeur * _MICROSECONDE


_DEUX_DECIMALES = re.compile(r"-?[0-9]+\.[0-9]{2}")


def texte_monetaire(montant: Decimal) -> str:
    """An amount of the summary as stored: its text, which must carry exactly two decimals
    (the domain rounds every total to the cent) so that SQL can add amounts up in cents."""
    texte = str(montant)
    if not _DEUX_DECIMALES.fullmatch(texte):
        raise ValueError(f"an amount of a summary must carry two decimals, got {texte!r}")
    return texte


def en_centimes(montant: Decimal) -> int:
    """A sort key for an amount; amounts are rounded to the cent, so it is exact."""
    return int((montant / _CENTIME).to_integral_value())


def _illisible(quoi: str, identifiant: str, erreur: Exception) -> StockageInutilisable:
    return StockageInutilisable(
        f"La base contient {quoi} illisible (id {identifiant}) : {erreur}. Restaurez la base "
        "depuis une sauvegarde ou signalez l'anomalie."
    )


def _document(ligne: sqlite3.Row) -> dict[str, Any]:
    donnees = json.loads(ligne["document"])
    if not isinstance(donnees, dict):
        raise ErreurDeDecodage("the document is not an object")
    return donnees


# -- structures and users -----------------------------------------------------------------


def ligne_structure(structure: Structure) -> dict[str, Any]:
    return {
        "id": structure.id,
        "version": structure.version,
        "type_identifiant": structure.type_identifiant.value,
        "identifiant": structure.identifiant,
        "raison_sociale": structure.raison_sociale,
        "document": en_json(vers_donnees(structure)),
    }


def structure_de(ligne: sqlite3.Row) -> Structure:
    try:
        return depuis_donnees(_document(ligne), Structure)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("une structure", ligne["id"], erreur) from erreur


def ligne_utilisateur(utilisateur: Utilisateur) -> dict[str, Any]:
    return {
        "id": utilisateur.id,
        "version": utilisateur.version,
        "email": utilisateur.email,
        "document": en_json(vers_donnees(utilisateur)),
    }


def utilisateur_de(ligne: sqlite3.Row) -> Utilisateur:
    try:
        return depuis_donnees(_document(ligne), Utilisateur)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un utilisateur", ligne["id"], erreur) from erreur


# -- mémoires -------------------------------------------------------------------------------


def ligne_memoire(memoire: Memoire) -> dict[str, Any]:
    """The row of `memoires`: the summary's columns, and the aggregate without its lines."""
    resume = ResumeMemoire.depuis(memoire)
    document = vers_donnees(memoire)
    del document["lignes"]
    return {
        "id": memoire.id,
        "version": memoire.version,
        "numero": memoire.numero,
        "numero_brouillon": memoire.numero_brouillon,
        "statut": memoire.statut.value,
        "structure_id": resume.structure_id,
        "service_id": resume.service_id,
        "juridiction_code": resume.juridiction_code,
        "categorie_prestataire": resume.categorie_prestataire,
        "texte_reference": resume.texte_reference,
        "numero_engagement_juridique": resume.numero_engagement_juridique,
        "numero_facture": resume.numero_facture,
        "mode_depot": resume.mode_depot.value,
        "date_creation": instant_en_entier(resume.date_creation),
        "date_depot": None if resume.date_depot is None else instant_en_entier(resume.date_depot),
        "date_statut": instant_en_entier(resume.date_statut),
        "montant_ht": texte_monetaire(resume.montant_ht),
        "montant_tva": texte_monetaire(resume.montant_tva),
        "montant_ttc": texte_monetaire(resume.montant_ttc),
        "net_a_payer": texte_monetaire(resume.net_a_payer),
        "montant_ttc_centimes": en_centimes(resume.montant_ttc),
        "net_a_payer_centimes": en_centimes(resume.net_a_payer),
        "montant_paye": None
        if resume.montant_paye is None
        else texte_monetaire(resume.montant_paye),
        "date_paiement": None if resume.date_paiement is None else resume.date_paiement.isoformat(),
        "numeros_affaire": en_json(list(resume.numeros_affaire)),
        "parent_id": resume.parent_id,
        "empreinte": memoire.certificat.empreinte if memoire.certificat else None,
        "document": en_json(document),
    }


def lignes_de_prestation(memoire: Memoire) -> list[dict[str, Any]]:
    """The rows of `lignes_prestation`, one per line, each field in its column."""
    lignes = []
    for ligne in memoire.lignes:
        donnees: dict[str, Any] = vers_donnees(ligne)
        for colonne in _COLONNES_JSON_DES_LIGNES:
            donnees[colonne] = en_json(donnees[colonne])
        donnees["memoire_id"] = memoire.id
        lignes.append(donnees)
    return lignes


def memoire_de(ligne: sqlite3.Row, lignes: Iterable[sqlite3.Row]) -> Memoire:
    try:
        document = _document(ligne)
        document["lignes"] = [
            {
                nom: json.loads(valeur) if nom in _COLONNES_JSON_DES_LIGNES else valeur
                for nom, valeur in zip(l_.keys(), l_, strict=True)
                if nom != "memoire_id"
            }
            for l_ in lignes
        ]
        return depuis_donnees(document, Memoire)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un mémoire", ligne["id"], erreur) from erreur


def colonnes_des_lignes() -> tuple[str, ...]:
    """The columns of `lignes_prestation`, in the order rows are written."""
    return ("memoire_id", *(a.name for a in LigneDePrestation.__attrs_attrs__))


def _decimal(valeur: str | None) -> Decimal | None:
    return None if valeur is None else Decimal(valeur)


def resume_de(ligne: Mapping[str, Any] | sqlite3.Row) -> ResumeMemoire:
    """A summary straight from the row's columns, without decoding the document."""
    try:
        date_depot = ligne["date_depot"]
        date_paiement = ligne["date_paiement"]
        return ResumeMemoire(
            id=ligne["id"],
            numero=ligne["numero"],
            numero_brouillon=ligne["numero_brouillon"],
            structure_id=ligne["structure_id"],
            service_id=ligne["service_id"],
            juridiction_code=ligne["juridiction_code"],
            categorie_prestataire=ligne["categorie_prestataire"],
            texte_reference=ligne["texte_reference"],
            numero_engagement_juridique=ligne["numero_engagement_juridique"],
            numero_facture=ligne["numero_facture"],
            statut=StatutMemoire(ligne["statut"]),
            mode_depot=ModeDepot(ligne["mode_depot"]),
            date_creation=entier_en_instant(ligne["date_creation"]),
            date_depot=None if date_depot is None else entier_en_instant(date_depot),
            date_statut=entier_en_instant(ligne["date_statut"]),
            montant_ht=Decimal(ligne["montant_ht"]),
            montant_tva=Decimal(ligne["montant_tva"]),
            montant_ttc=Decimal(ligne["montant_ttc"]),
            net_a_payer=Decimal(ligne["net_a_payer"]),
            montant_paye=_decimal(ligne["montant_paye"]),
            date_paiement=None if date_paiement is None else date.fromisoformat(date_paiement),
            numeros_affaire=tuple(json.loads(ligne["numeros_affaire"])),
            parent_id=ligne["parent_id"],
        )
    except (ErreurDeDecodage, ValueError, ArithmeticError) as erreur:
        raise _illisible("un mémoire", ligne["id"], erreur) from erreur
