"""Malformed requests, table-driven: each gets its documented 4xx as a French problem naming
the field, and the store is exactly as it was.

The table covers every area (comptes, sessions, moi, structures and their services, bank
details, espaces, habilitations, jetons d'API and pièces; mémoires, lignes, pièces, envoi,
complément; the back office's events; query parameters; and the request's envelope: size,
content type, JSON syntax, method, route, ``If-Match``). Statuses follow API.md and the
adapter's conventions: a body or parameter of the wrong shape or type is 400 (msgspec and
Litestar), a value the domain's rules refuse is 422, a stale version 409, a file too large
413, a file or body of the wrong type 415.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chorus.adapters.web import ReglagesWeb
from chorus.adapters.web.reglages import TAILLE_MAX_JSON
from chorus.domain.pieces import TAILLE_MAXIMUM
from tests.web import aides
from tests.web.entrees_cas import Cas, Ref, envoyer, multipart
from tests.web.entrees_monde import (
    AUJOURDHUI,
    Monde,
    MondePartage,
    corps_ligne,
    differences,
    instantane,
    monde_partage,
)

Json = dict[str, Any]

# -- valid bodies, spoilt one field at a time ------------------------------------------------

SIRET_NEUF = aides.SIRET_AUTRE
IBAN_NEUF = "FR1420041010050500013M02606"
MAINTENANT_PARIS = "2024-06-14T12:00:00+02:00"
DEMAIN = "2024-06-15"


def sans(corps: Json, *cles: str) -> Json:
    return {k: v for k, v in corps.items() if k not in cles}


def compte(**ch: Any) -> Json:
    return {
        "email": "alex.nouveau@exemple.fr",
        "mot_de_passe": aides.MOT_DE_PASSE,
        "nom": "Nouveau",
        "prenom": "Alex",
        "question_secrete": aides.QUESTION,
        "reponse_secrete": aides.REPONSE,
        "captcha_id": "sans-objet",
        "captcha_reponse": "sans-objet",
    } | ch


def connexion(**ch: Any) -> Json:
    return {"email": "camille.durand@exemple.fr", "mot_de_passe": aides.MOT_DE_PASSE} | ch


def adresse(**ch: Any) -> Json:
    return {"ligne1": "12 rue Garibaldi", "code_postal": "69003", "ville": "Lyon"} | ch


def structure(**ch: Any) -> Json:
    return {
        "type_structure": "ENTREPRISE",
        "type_identifiant": "SIRET",
        "identifiant": SIRET_NEUF,
        "raison_sociale": "Cabinet Neuf",
        "adresse": adresse(),
    } | ch


def coordonnee(**ch: Any) -> Json:
    return {
        "libelle": "Compte épargne",
        "iban": IBAN_NEUF,
        "bic": aides.BIC,
        "piece_jointe_id": Ref("rib"),
    } | ch


def habilitation(**ch: Any) -> Json:
    return {
        "utilisateur_id": Ref("membre_id"),
        "application": "FRAIS_DE_JUSTICE",
        "profil": "CONSULTATION",
    } | ch


def jeton_api(**ch: Any) -> Json:
    return {
        "libelle": "Logiciel de facturation",
        "profil": "MODIFICATION",
        "expire_le": "2024-12-31T00:00:00+00:00",
    } | ch


def memoire(**ch: Any) -> Json:
    return {
        "structure_id": Ref("structure"),
        "juridiction_code": "TJ-69123",
        "coordonnee_bancaire_id": Ref("coordonnee"),
        "devise": "EUR",
        "texte_reference": "A.43-6",
        "type_tva": "TVA_SUR_DEBITS",
    } | ch


def ligne(**ch: Any) -> Json:
    return corps_ligne(**ch)


def evenement(**ch: Any) -> Json:
    return {
        "action": "CERTIFICATION",
        "date_evenement": MAINTENANT_PARIS,
        "reference_evenement": "REF-TEST-1",
        "montant_certifie": "158.25",
    } | ch


def ligne_brute(fragment: str) -> bytes:
    """A line whose `quantite` is written as raw JSON (what `json.dumps` cannot write)."""
    corps = ligne()
    del corps["quantite"]
    texte = json.dumps(corps)
    return (texte[:-1] + f', "quantite": {fragment}}}').encode()


def json_enorme() -> bytes:
    """A syntactically valid mémoire body over 1 MiB (a huge commentaire)."""
    corps = memoire(structure_id="s", coordonnee_bancaire_id="c", commentaire="x" * TAILLE_MAX_JSON)
    return json.dumps(corps).encode()


def pdf_de(taille: int) -> Callable[[], bytes]:
    def fabriquer() -> bytes:
        return aides.PDF + b"0" * (taille - len(aides.PDF))

    return fabriquer


TEXTE = b"Ceci n'est pas un PDF, seulement du texte.\n"
PIECE = {"type_piece": "AUTRE", "designation": "Pièce de test"}
FORMULAIRE_SANS_FICHIER, MULTIPART = multipart(PIECE)
PIECES_STRUCTURE = "/structures/{structure}/pieces-jointes"
PIECES_MEMOIRE = "/memoires/{brouillon}/pieces-jointes"
LIGNES = "/memoires/{brouillon}/lignes"
EVENEMENTS = "/traitement/memoires/{envoye}/evenements"

# -- the table -------------------------------------------------------------------------------

P, G, A = "POST", "GET", "agent"

CAS: list[Cas] = [
    # comptes
    Cas("compte-email-invalide", P, "/comptes", 422, "email", None, compte(email="pas-un-email")),
    Cas("compte-email-entier", P, "/comptes", 400, "email", None, compte(email=42)),
    Cas("compte-email-absent", P, "/comptes", 400, "email", None, sans(compte(), "email")),
    Cas("compte-mdp-court", P, "/comptes", 422, "mot_de_passe", None, compte(mot_de_passe="Ab1!")),
    Cas(
        "compte-mdp-une-classe",
        P,
        "/comptes",
        422,
        "mot_de_passe",
        None,
        compte(mot_de_passe="abcdefghijklmnop"),
    ),
    Cas(
        "compte-sans-captcha-id",
        P,
        "/comptes",
        400,
        "captcha_id",
        None,
        sans(compte(), "captcha_id"),
    ),
    Cas(
        "compte-sans-captcha-reponse",
        P,
        "/comptes",
        400,
        "captcha_reponse",
        None,
        sans(compte(), "captcha_reponse"),
    ),
    Cas("compte-champ-inconnu", P, "/comptes", 400, "role", None, compte(role="ADMINISTRATEUR")),
    Cas("compte-nom-vide", P, "/comptes", 422, "nom", None, compte(nom="   ")),
    Cas("compte-corps-liste", P, "/comptes", 400, "corps", None, [compte()]),
    Cas(
        "compte-email-fleuve",
        P,
        "/comptes",
        422,
        "email",
        None,
        compte(email="a" * 300 + "@exemple.fr"),
    ),
    Cas("activation-sans-jeton", P, "/comptes/activation", 400, "jeton", None, {}),
    Cas(
        "activation-jeton-entier",
        P,
        "/comptes/activation",
        400,
        "jeton",
        None,
        {"jeton": 123456},
    ),
    Cas(
        "oubli-email-liste",
        P,
        "/comptes/mot-de-passe-oublie",
        400,
        "email",
        None,
        {"email": ["a@b.fr"]},
    ),
    Cas(
        "reinitialisation-sans-nouveau-mdp",
        P,
        "/comptes/reinitialisation",
        400,
        "nouveau_mot_de_passe",
        None,
        {"jeton": "x", "reponse_secrete": "Médor"},
    ),
    # sessions
    Cas(
        "session-sans-mdp",
        P,
        "/sessions",
        400,
        "mot_de_passe",
        None,
        sans(connexion(), "mot_de_passe"),
    ),
    Cas("session-email-null", P, "/sessions", 400, "email", None, connexion(email=None)),
    Cas("session-champ-inconnu", P, "/sessions", 400, "duree", None, connexion(duree=3600)),
    Cas("session-corps-texte-json", P, "/sessions", 400, "corps", None, "bonjour"),
    # moi
    Cas(
        "moi-suivi-texte", "PATCH", "/moi", 400, "suivi_quotidien", json={"suivi_quotidien": "oui"}
    ),
    Cas("moi-email-non-modifiable", "PATCH", "/moi", 400, "email", json={"email": "x@y.fr"}),
    Cas("moi-nom-vide", "PATCH", "/moi", 422, "nom", json={"nom": ""}),
    Cas("moi-nom-entier", "PATCH", "/moi", 400, "nom", json={"nom": 12}),
    Cas("moi-corps-nombre", "PATCH", "/moi", 400, "corps", json=42),
    # structures
    Cas(
        "structure-siret-luhn",
        P,
        "/structures",
        422,
        "identifiant",
        json=structure(identifiant="52345678800019"),
    ),
    Cas(
        "structure-siret-13",
        P,
        "/structures",
        422,
        "identifiant",
        json=structure(identifiant="5234567880001"),
    ),
    Cas(
        "structure-siret-lettre",
        P,
        "/structures",
        422,
        "identifiant",
        json=structure(identifiant="5234567880001A"),
    ),
    Cas(
        "structure-type-inconnu",
        P,
        "/structures",
        400,
        "type_structure",
        json=structure(type_structure="SOCIETE_ANONYME"),
    ),
    Cas(
        "structure-type-identifiant-inconnu",
        P,
        "/structures",
        400,
        "type_identifiant",
        json=structure(type_identifiant="NIR"),
    ),
    Cas(
        "structure-particulier-avec-siret",
        P,
        "/structures",
        422,
        "type_identifiant",
        json=structure(type_structure="PARTICULIER"),
    ),
    Cas(
        "structure-code-postal-court",
        P,
        "/structures",
        422,
        "adresse.code_postal",
        json=structure(adresse=adresse(code_postal="6900")),
    ),
    Cas(
        "structure-code-postal-inexistant",
        P,
        "/structures",
        422,
        "adresse.code_postal",
        json=structure(adresse=adresse(code_postal="00000")),
    ),
    Cas(
        "structure-code-postal-entier",
        P,
        "/structures",
        400,
        "adresse.code_postal",
        json=structure(adresse=adresse(code_postal=69003)),
    ),
    Cas(
        "structure-sans-adresse",
        P,
        "/structures",
        400,
        "adresse",
        json=sans(structure(), "adresse"),
    ),
    Cas(
        "structure-adresse-sans-ligne1",
        P,
        "/structures",
        400,
        "adresse.ligne1",
        json=structure(adresse=sans(adresse(), "ligne1")),
    ),
    Cas(
        "structure-adresse-champ-inconnu",
        P,
        "/structures",
        400,
        "adresse.cedex",
        json=structure(adresse=adresse(cedex="CEDEX 03")),
    ),
    Cas(
        "structure-raison-sociale-vide",
        P,
        "/structures",
        422,
        "raison_sociale",
        json=structure(raison_sociale=""),
    ),
    Cas(
        "structure-raison-sociale-liste",
        P,
        "/structures",
        400,
        "raison_sociale",
        json=structure(raison_sociale=["Cabinet"]),
    ),
    Cas(
        "structure-champ-inconnu",
        P,
        "/structures",
        400,
        "departement",
        json=structure(departement="69"),
    ),
    Cas(
        "structure-modif-raison-sociale-vide",
        "PATCH",
        "/structures/{structure}",
        422,
        "raison_sociale",
        json={"raison_sociale": " "},
    ),
    Cas(
        "structure-modif-code-postal",
        "PATCH",
        "/structures/{structure}",
        422,
        "adresse.code_postal",
        json={"adresse": adresse(code_postal="ABCDE")},
    ),
    Cas(
        "structure-modif-if-match-texte",
        "PATCH",
        "/structures/{structure}",
        400,
        "If-Match",
        json={"raison_sociale": "Cabinet Renommé"},
        entetes={"If-Match": "abc"},
    ),
    Cas(
        "structure-modif-if-match-perime",
        "PATCH",
        "/structures/{structure}",
        409,
        None,
        json={"raison_sociale": "Cabinet Renommé"},
        entetes={"If-Match": '"99"'},
    ),
    Cas(
        "service-sans-libelle",
        P,
        "/structures/{structure}/services",
        400,
        "libelle",
        json={"code": "SCE-02"},
    ),
    Cas(
        "service-code-vide",
        P,
        "/structures/{structure}/services",
        422,
        "code",
        json={"code": "", "libelle": "Service"},
    ),
    Cas(
        "service-code-existant",
        P,
        "/structures/{structure}/services",
        409,
        "code",
        json={"code": "SCE-01", "libelle": "Doublon"},
    ),
    # coordonnées bancaires
    Cas(
        "iban-cle-fausse",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        422,
        "iban",
        json=coordonnee(iban="FR1420041010050500013M02607"),
    ),
    Cas(
        "iban-trop-court",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        422,
        "iban",
        json=coordonnee(iban="FR76300060"),
    ),
    Cas(
        "iban-entier",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        400,
        "iban",
        json=coordonnee(iban=7630006000011234),
    ),
    Cas(
        "iban-deja-enregistre",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        409,
        "iban",
        json=coordonnee(iban=aides.IBAN),
    ),
    Cas(
        "bic-invalide",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        422,
        "bic",
        json=coordonnee(bic="AGRI"),
    ),
    Cas(
        "rib-piece-inconnue",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        422,
        "piece_jointe_id",
        json=coordonnee(piece_jointe_id="piece-inconnue"),
    ),
    Cas(
        "rib-sans-piece",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        400,
        "piece_jointe_id",
        json=sans(coordonnee(), "piece_jointe_id"),
    ),
    # espaces
    Cas(
        "espace-categorie-inconnue",
        "PUT",
        "/structures/{structure}/espaces/frais-de-justice",
        422,
        "categorie_prestataire",
        json={"categorie_prestataire": "ASTROLOGUE"},
    ),
    Cas(
        "espace-regime-inconnu",
        "PUT",
        "/structures/{structure}/espaces/frais-de-justice",
        400,
        "regime",
        json={"categorie_prestataire": "PSYCHIATRE", "regime": "SALARIE"},
    ),
    Cas(
        "espace-particulier-sans-regime",
        "PUT",
        "/structures/{particulier}/espaces/frais-de-justice",
        422,
        "regime",
        "particulier",
        json={"categorie_prestataire": "INTERPRETE_TRADUCTEUR"},
    ),
    Cas(
        "espace-tic-champ-inconnu",
        "PUT",
        "/structures/{structure}/espaces/tic",
        400,
        "option",
        json={"option": "FOURNISSEUR_PRINCIPAL"},
    ),
    # habilitations
    Cas(
        "habilitation-profil-inconnu",
        P,
        "/structures/{structure}/habilitations",
        400,
        "profil",
        json=habilitation(profil="ADMIN"),
    ),
    Cas(
        "habilitation-application-inconnue",
        P,
        "/structures/{structure}/habilitations",
        400,
        "application",
        json=habilitation(application="TICGN"),
    ),
    Cas(
        "habilitation-utilisateur-non-rattache",
        P,
        "/structures/{structure}/habilitations",
        422,
        "utilisateur_id",
        json=habilitation(utilisateur_id=Ref("agent_id")),
    ),
    Cas(
        "habilitation-service-inconnu",
        P,
        "/structures/{structure}/habilitations",
        422,
        "service_id",
        json=habilitation(service_id="service-inconnu"),
    ),
    # jetons d'API
    Cas(
        "jeton-api-sans-fuseau",
        P,
        "/structures/{structure}/jetons-api",
        400,
        "expire_le",
        json=jeton_api(expire_le="2024-12-31T00:00:00"),
    ),
    Cas(
        "jeton-api-expire-passe",
        P,
        "/structures/{structure}/jetons-api",
        422,
        "expire_le",
        json=jeton_api(expire_le="2024-01-01T00:00:00+00:00"),
    ),
    Cas(
        "jeton-api-profil-inconnu",
        P,
        "/structures/{structure}/jetons-api",
        400,
        "profil",
        json=jeton_api(profil="TOUT"),
    ),
    Cas(
        "jeton-api-libelle-vide",
        P,
        "/structures/{structure}/jetons-api",
        422,
        "libelle",
        json=jeton_api(libelle=" "),
    ),
    Cas(
        "coordonnee-retrait-inconnue",
        "DELETE",
        "/structures/{structure}/coordonnees-bancaires/coordonnee-inconnue",
        404,
        None,
    ),
    # pièces de la structure
    Cas(
        "piece-structure-11-mo",
        P,
        PIECES_STRUCTURE,
        413,
        "fichier",
        fichier=("gros.pdf", pdf_de(11_000_000), "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-structure-10-mio-plus-1",
        P,
        PIECES_STRUCTURE,
        413,
        "fichier",
        fichier=("limite.pdf", pdf_de(TAILLE_MAXIMUM + 1), "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-structure-12-mio-corps",
        P,
        PIECES_STRUCTURE,
        413,
        "corps",
        fichier=("enorme.pdf", pdf_de(12 * 1024 * 1024), "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-structure-texte-nomme-pdf",
        P,
        PIECES_STRUCTURE,
        415,
        "fichier",
        fichier=("facture.pdf", TEXTE, "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-structure-vide",
        P,
        PIECES_STRUCTURE,
        422,
        "fichier",
        fichier=("vide.pdf", b"", "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-structure-sans-fichier",
        P,
        PIECES_STRUCTURE,
        400,
        "fichier",
        brut=FORMULAIRE_SANS_FICHIER,
        type_contenu=MULTIPART,
    ),
    Cas(
        "piece-structure-type-inconnu",
        P,
        PIECES_STRUCTURE,
        400,
        "type_piece",
        fichier=("rib.pdf", aides.PDF + b"type", "application/pdf"),
        formulaire={"type_piece": "PHOTO_DE_VACANCES"},
    ),
    Cas(
        "piece-structure-designation-latin1",
        P,
        PIECES_STRUCTURE,
        400,
        "corps",
        brut=lambda: multipart(
            {"type_piece": "AUTRE", "designation": "@@"},
            ("rib.pdf", aides.PDF + b"latin1", "application/pdf"),
        )[0].replace(b"@@", "Pièce".encode("latin-1")),
        type_contenu=MULTIPART,
    ),
    Cas(
        "piece-structure-en-json",
        P,
        PIECES_STRUCTURE,
        415,
        "Content-Type",
        json={"fichier": "JVBERi0xLjQ=", "type_piece": "AUTRE"},
    ),
    # mémoires : en-tête
    Cas(
        "memoire-juridiction-inconnue",
        P,
        "/memoires",
        422,
        "juridiction_code",
        json=memoire(juridiction_code="TJ-00000"),
    ),
    Cas(
        "memoire-texte-reference-inconnu",
        P,
        "/memoires",
        422,
        "texte_reference",
        json=memoire(texte_reference="R.999-99"),
    ),
    Cas(
        "memoire-type-tva-inconnu",
        P,
        "/memoires",
        400,
        "type_tva",
        json=memoire(type_tva="TVA_A_7"),
    ),
    Cas(
        "memoire-remise-negative",
        P,
        "/memoires",
        422,
        "remise_globale_ttc",
        json=memoire(remise_globale_ttc="-5"),
    ),
    Cas(
        "memoire-remise-texte",
        P,
        "/memoires",
        422,
        "remise_globale_ttc",
        json=memoire(remise_globale_ttc="cinq"),
    ),
    Cas(
        "memoire-remise-nombre-json",
        P,
        "/memoires",
        400,
        "remise_globale_ttc",
        json=memoire(remise_globale_ttc=5),
    ),
    Cas(
        "memoire-remise-absurde",
        P,
        "/memoires",
        422,
        "remise_globale_ttc",
        json=memoire(remise_globale_ttc="1e30"),
    ),
    Cas("memoire-devise-usd", P, "/memoires", 422, "devise", json=memoire(devise="USD")),
    Cas(
        "memoire-sans-structure",
        P,
        "/memoires",
        400,
        "structure_id",
        json=sans(memoire(), "structure_id"),
    ),
    Cas(
        "memoire-coordonnee-inconnue",
        P,
        "/memoires",
        422,
        "coordonnee_bancaire_id",
        json=memoire(coordonnee_bancaire_id="coordonnee-inconnue"),
    ),
    Cas(
        "memoire-service-inconnu",
        P,
        "/memoires",
        422,
        "service_id",
        json=memoire(service_id="service-inconnu"),
    ),
    Cas(
        "memoire-categorie-inconnue",
        P,
        "/memoires",
        422,
        "categorie_prestataire",
        json=memoire(categorie_prestataire="ASTROLOGUE"),
    ),
    Cas("memoire-statut-impose", P, "/memoires", 400, "statut", json=memoire(statut="ENVOYE")),
    Cas(
        "memoire-commentaire-fleuve",
        P,
        "/memoires",
        422,
        "commentaire",
        json=memoire(commentaire="x" * 100_000),
    ),
    Cas(
        "memoire-modif-juridiction",
        "PATCH",
        "/memoires/{brouillon}",
        422,
        "juridiction_code",
        json={"juridiction_code": "TJ-00000"},
    ),
    Cas(
        "memoire-modif-remise-3-decimales",
        "PATCH",
        "/memoires/{brouillon}",
        422,
        "remise_globale_ttc",
        json={"remise_globale_ttc": "1.234"},
    ),
    Cas(
        "memoire-modif-structure",
        "PATCH",
        "/memoires/{brouillon}",
        400,
        "structure_id",
        json={"structure_id": Ref("particulier")},
    ),
    Cas(
        "memoire-modif-if-match-faible-texte",
        "PATCH",
        "/memoires/{brouillon}",
        400,
        "If-Match",
        json={"commentaire": "Vu"},
        entetes={"If-Match": 'W/"abc"'},
    ),
    Cas(
        "memoire-modif-if-match-perime",
        "PATCH",
        "/memoires/{brouillon}",
        409,
        None,
        json={"commentaire": "Vu"},
        entetes={"If-Match": "99"},
    ),
    Cas(
        "memoire-suppression-if-match-guillemet",
        "DELETE",
        "/memoires/{brouillon}",
        400,
        "If-Match",
        entetes={"If-Match": '"1'},
    ),
    # lignes
    Cas("ligne-quantite-3-decimales", P, LIGNES, 422, "quantite", json=ligne(quantite="1.234")),
    Cas("ligne-quantite-negative", P, LIGNES, 422, "quantite", json=ligne(quantite="-1")),
    Cas("ligne-quantite-nulle", P, LIGNES, 422, "quantite", json=ligne(quantite="0")),
    Cas("ligne-quantite-texte", P, LIGNES, 422, "quantite", json=ligne(quantite="abc")),
    Cas("ligne-quantite-nan", P, LIGNES, 422, "quantite", json=ligne(quantite="NaN")),
    Cas("ligne-quantite-infinie", P, LIGNES, 422, "quantite", json=ligne(quantite="Infinity")),
    Cas("ligne-quantite-1e400-texte", P, LIGNES, 422, "quantite", json=ligne(quantite="1e400")),
    Cas(
        "ligne-quantite-1e400-nombre",
        P,
        LIGNES,
        400,
        "quantite",
        brut=ligne_brute("1e400"),
        type_contenu="application/json",
    ),
    Cas("ligne-quantite-nombre-json", P, LIGNES, 400, "quantite", json=ligne(quantite=2)),
    Cas("ligne-quantite-vide", P, LIGNES, 422, "quantite", json=ligne(quantite="")),
    Cas("ligne-tarif-negatif", P, LIGNES, 422, "tarif_ht", json=ligne(tarif_ht="-150")),
    Cas("ligne-tarif-absurde", P, LIGNES, 422, "tarif_ht", json=ligne(tarif_ht="99999999999999")),
    Cas("ligne-tarif-3-decimales", P, LIGNES, 422, "tarif_ht", json=ligne(tarif_ht="150.001")),
    Cas("ligne-taux-tva-7", P, LIGNES, 422, "taux_tva", json=ligne(taux_tva="7")),
    Cas("ligne-taux-tva-nombre", P, LIGNES, 400, "taux_tva", json=ligne(taux_tva=5.5)),
    Cas(
        "ligne-prestation-future",
        P,
        LIGNES,
        422,
        "date_prestation",
        json=ligne(date_prestation=DEMAIN),
    ),
    Cas(
        "ligne-requisition-apres-prestation",
        P,
        LIGNES,
        422,
        "date_requisition",
        json=ligne(date_requisition=AUJOURDHUI.isoformat()),
    ),
    Cas(
        "ligne-date-30-fevrier",
        P,
        LIGNES,
        400,
        "date_prestation",
        json=ligne(date_prestation="2024-02-30"),
    ),
    Cas(
        "ligne-date-francaise",
        P,
        LIGNES,
        400,
        "date_prestation",
        json=ligne(date_prestation="04/06/2024"),
    ),
    Cas(
        "ligne-type-prestation-inconnu",
        P,
        LIGNES,
        422,
        "type_prestation",
        json=ligne(type_prestation="VOYANCE"),
    ),
    Cas(
        "ligne-autorite-inconnue",
        P,
        LIGNES,
        422,
        "autorite_requerante",
        json=ligne(autorite_requerante="MAIRE"),
    ),
    Cas(
        "ligne-frais-divers-texte", P, LIGNES, 400, "frais_divers", json=ligne(frais_divers="taxi")
    ),
    Cas(
        "ligne-frais-divers-sans-montant",
        P,
        LIGNES,
        400,
        "frais_divers[0].montant_ht",
        json=ligne(frais_divers=[{"libelle": "Taxi"}]),
    ),
    Cas(
        "ligne-frais-divers-negatif",
        P,
        LIGNES,
        422,
        "frais_divers[0]",
        json=ligne(frais_divers=[{"libelle": "Taxi", "montant_ht": "-12"}]),
    ),
    Cas("ligne-debours-negatifs", P, LIGNES, 422, "debours", json=ligne(debours="-1")),
    Cas(
        "ligne-sans-numero-affaire",
        P,
        LIGNES,
        400,
        "numero_affaire",
        json=sans(ligne(), "numero_affaire"),
    ),
    Cas(
        "ligne-numero-affaire-vide", P, LIGNES, 422, "numero_affaire", json=ligne(numero_affaire="")
    ),
    Cas("ligne-montant-impose", P, LIGNES, 400, "montant_ht", json=ligne(montant_ht="1.00")),
    Cas("ligne-quantite-millieme", P, LIGNES, 422, "quantite", json=ligne(quantite="0.001")),
    Cas(
        "ligne-date-requisition-instant",
        P,
        LIGNES,
        400,
        "date_requisition",
        json=ligne(date_requisition="2024-06-01T00:00:00"),
    ),
    Cas("ligne-sur-memoire-envoye", P, "/memoires/{envoye}/lignes", 409, None, json=ligne()),
    Cas(
        "ligne-modif-quantite", "PUT", LIGNES + "/1", 422, "quantite", json=ligne(quantite="1.234")
    ),
    Cas("ligne-modif-inexistante", "PUT", LIGNES + "/99", 404, "numero_ligne", json=ligne()),
    Cas("ligne-modif-numero-zero", "PUT", LIGNES + "/0", 400, "numero_ligne", json=ligne()),
    Cas("ligne-suppression-inexistante", "DELETE", LIGNES + "/99", 404, "numero_ligne"),
    Cas("ligne-numero-demesure", "DELETE", LIGNES + "/99999999999", 400, "numero_ligne"),
    # pièces du mémoire
    Cas(
        "piece-memoire-11-mo",
        P,
        PIECES_MEMOIRE,
        413,
        "fichier",
        fichier=("gros.pdf", pdf_de(11_000_000), "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-memoire-texte-nomme-pdf",
        P,
        PIECES_MEMOIRE,
        415,
        "fichier",
        fichier=("requisition.pdf", TEXTE, "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-memoire-sans-fichier",
        P,
        PIECES_MEMOIRE,
        400,
        "fichier",
        brut=FORMULAIRE_SANS_FICHIER,
        type_contenu=MULTIPART,
    ),
    Cas(
        "piece-memoire-ligne-texte",
        P,
        PIECES_MEMOIRE,
        400,
        "numero_ligne",
        fichier=("req.pdf", aides.PDF + b"ligne", "application/pdf"),
        formulaire=PIECE | {"numero_ligne": "un"},
    ),
    Cas(
        "piece-memoire-ligne-inexistante",
        P,
        PIECES_MEMOIRE,
        422,
        "numero_ligne",
        fichier=("req.pdf", aides.PDF + b"ligne", "application/pdf"),
        formulaire=PIECE | {"numero_ligne": "99"},
    ),
    Cas(
        "piece-memoire-champ-inconnu",
        P,
        PIECES_MEMOIRE,
        400,
        "sha256",
        fichier=("req.pdf", aides.PDF + b"inconnu", "application/pdf"),
        formulaire=PIECE | {"sha256": "0" * 64},
    ),
    Cas(
        "piece-memoire-import-inconnue",
        P,
        PIECES_MEMOIRE,
        422,
        "piece_structure_id",
        json={"piece_structure_id": "piece-inconnue"},
    ),
    Cas(
        "piece-memoire-import-ligne-texte",
        P,
        PIECES_MEMOIRE,
        400,
        "numero_ligne",
        json={"piece_structure_id": Ref("rib"), "numero_ligne": "un"},
    ),
    Cas(
        "piece-memoire-import-ligne-demesuree",
        P,
        PIECES_MEMOIRE,
        422,
        "numero_ligne",
        json={"piece_structure_id": Ref("rib"), "numero_ligne": 10**30},
    ),
    Cas(
        "piece-memoire-designation-latin1",
        P,
        PIECES_MEMOIRE,
        400,
        "corps",
        brut=lambda: multipart(
            {"type_piece": "AUTRE", "designation": "@@"},
            ("req.pdf", aides.PDF + b"latin1", "application/pdf"),
        )[0].replace(b"@@", "Pièce".encode("latin-1")),
        type_contenu=MULTIPART,
    ),
    Cas(
        "piece-memoire-texte-brut",
        P,
        PIECES_MEMOIRE,
        415,
        "Content-Type",
        brut=aides.PDF,
        type_contenu="text/plain",
    ),
    # envoi, complément
    Cas(
        "envoi-sans-attestation",
        P,
        "/memoires/{brouillon}/envoi",
        422,
        "attestation_sur_honneur",
        json={},
    ),
    Cas(
        "envoi-attestation-fausse",
        P,
        "/memoires/{brouillon}/envoi",
        422,
        "attestation_sur_honneur",
        json={"attestation_sur_honneur": False},
    ),
    Cas(
        "envoi-attestation-texte",
        P,
        "/memoires/{brouillon}/envoi",
        400,
        "attestation_sur_honneur",
        json={"attestation_sur_honneur": "oui"},
    ),
    Cas("suppression-memoire-envoye", "DELETE", "/memoires/{envoye}", 409, None),
    Cas("abandon-brouillon", P, "/memoires/{brouillon}/abandon", 409, None),
    Cas(
        "complement-brouillon",
        P,
        "/memoires/{brouillon}/complement",
        409,
        None,
        json={"commentaire": "Voici la réquisition."},
    ),
    Cas(
        "piece-memoire-inconnue",
        G,
        "/memoires/{brouillon}/pieces-jointes/piece-inconnue",
        404,
        "piece_id",
    ),
    Cas(
        "complement-sans-commentaire",
        P,
        "/memoires/{envoye}/complement",
        400,
        "commentaire",
        json={},
    ),
    # back office
    Cas(
        "evenement-action-inconnue", P, EVENEMENTS, 400, "action", A, evenement(action="ARCHIVAGE")
    ),
    Cas(
        "evenement-refus-sans-motif",
        P,
        EVENEMENTS,
        422,
        "motif",
        A,
        evenement(action="REFUS", montant_certifie=None),
    ),
    Cas(
        "evenement-suspension-motif-vide",
        P,
        EVENEMENTS,
        422,
        "motif",
        A,
        evenement(action="SUSPENSION", montant_certifie=None, motif="  "),
    ),
    Cas(
        "evenement-montant-texte",
        P,
        EVENEMENTS,
        422,
        "montant_certifie",
        A,
        evenement(montant_certifie="beaucoup"),
    ),
    Cas(
        "evenement-montant-negatif",
        P,
        EVENEMENTS,
        422,
        "montant_certifie",
        A,
        evenement(montant_certifie="-5"),
    ),
    Cas(
        "evenement-montant-absurde",
        P,
        EVENEMENTS,
        422,
        "montant_certifie",
        A,
        evenement(montant_certifie="1000000000"),
    ),
    Cas(
        "evenement-montant-nombre",
        P,
        EVENEMENTS,
        400,
        "montant_certifie",
        A,
        evenement(montant_certifie=158.25),
    ),
    Cas(
        "evenement-date-future",
        P,
        EVENEMENTS,
        422,
        "date_evenement",
        A,
        evenement(date_evenement="2024-06-20T12:00:00+02:00"),
    ),
    Cas(
        "evenement-date-sans-fuseau",
        P,
        EVENEMENTS,
        422,
        "date_evenement",
        A,
        evenement(date_evenement="2024-06-14T12:00:00"),
    ),
    Cas(
        "evenement-reference-fleuve",
        P,
        EVENEMENTS,
        422,
        "reference_evenement",
        A,
        evenement(reference_evenement="R" * 101),
    ),
    Cas(
        "evenement-sans-reference",
        P,
        EVENEMENTS,
        400,
        "reference_evenement",
        A,
        sans(evenement(), "reference_evenement"),
    ),
    # query parameters
    Cas("recherche-par-page-0", G, "/memoires?par_page=0", 400, "par_page"),
    Cas("recherche-par-page-501", G, "/memoires?par_page=501", 400, "par_page"),
    Cas("recherche-par-page-texte", G, "/memoires?par_page=x", 400, "par_page"),
    Cas("recherche-page-negative", G, "/memoires?page=-1", 400, "page"),
    Cas("recherche-statut-minuscules", G, "/memoires?statut=brouillon", 400, "statut"),
    Cas(
        "recherche-date-instant",
        G,
        "/memoires?date_statut_du=2024-06-01T00:00:00",
        400,
        "date_statut_du",
    ),
    Cas(
        "recherche-accept-xml", G, "/memoires", 406, "Accept", entetes={"Accept": "application/xml"}
    ),
    Cas("recherche-tri-inconnu", G, "/memoires?tri=-prenom", 422, "tri"),
    Cas("recherche-statut-inconnu", G, "/memoires?statut=PERDU", 400, "statut"),
    Cas("recherche-date-malformee", G, "/memoires?date_depot_du=2024-13-01", 400, "date_depot_du"),
    Cas(
        "recherche-dates-inversees",
        G,
        "/memoires?date_depot_du=2024-06-01&date_depot_au=2024-05-01",
        422,
        "date_depot_au",
    ),
    Cas("recherche-numero-trop-long", G, "/memoires?numero=" + "9" * 101, 400, "numero"),
    Cas("synthese-par-statut-0", G, "/memoires/synthese?par_statut=0", 400, "par_statut"),
    Cas("synthese-par-statut-texte", G, "/memoires/synthese?par_statut=dix", 400, "par_statut"),
    Cas("traitement-par-page-1000", G, "/traitement/memoires?par_page=1000", 400, "par_page", A),
    Cas("traitement-tri-inconnu", G, "/traitement/memoires?tri=hasard", 422, "tri", A),
    Cas(
        "liste-fiscale-plus-d-un-an",
        G,
        "/liste-fiscale?structure_id={structure}&du=2023-01-01&au=2024-06-01",
        422,
        "au",
    ),
    Cas(
        "liste-fiscale-dates-inversees",
        G,
        "/liste-fiscale?structure_id={structure}&du=2024-06-01&au=2024-01-01",
        422,
        "au",
    ),
    Cas(
        "liste-fiscale-sans-du",
        G,
        "/liste-fiscale?structure_id={structure}&au=2024-06-01",
        400,
        "du",
    ),
    Cas(
        "liste-fiscale-du-malforme",
        G,
        "/liste-fiscale?structure_id={structure}&du=hier&au=2024-06-01",
        400,
        "du",
    ),
    Cas(
        "liste-fiscale-sans-structure",
        G,
        "/liste-fiscale?du=2024-01-01&au=2024-06-01",
        400,
        "structure_id",
    ),
    Cas("structures-par-page-0", G, "/structures?par_page=0", 400, "par_page"),
    Cas("certificat-sans-empreinte", G, "/certificats", 400, "empreinte", None),
    Cas("referentiel-inconnu", G, "/referentiels/planetes", 404, "nom", None),
    Cas("memoire-id-trop-long", G, "/memoires/" + "x" * 65, 400, "memoire_id"),
    # the request's envelope
    Cas(
        "json-enorme-memoire",
        P,
        "/memoires",
        413,
        "corps",
        brut=json_enorme,
        type_contenu="application/json",
    ),
    Cas(
        "json-enorme-compte",
        P,
        "/comptes",
        413,
        "corps",
        None,
        brut=json_enorme,
        type_contenu="application/json",
    ),
    Cas(
        "texte-brut-memoire",
        P,
        "/memoires",
        415,
        "Content-Type",
        json=memoire(),
        type_contenu="text/plain",
    ),
    Cas(
        "texte-brut-session",
        P,
        "/sessions",
        415,
        "Content-Type",
        None,
        connexion(),
        type_contenu="text/plain",
    ),
    Cas(
        "xml-ligne",
        P,
        LIGNES,
        415,
        "Content-Type",
        brut=b"<ligne/>",
        type_contenu="application/xml",
    ),
    Cas(
        "formulaire-sur-route-json",
        P,
        "/structures",
        415,
        "Content-Type",
        brut=b"type_structure=ENTREPRISE",
        type_contenu="application/x-www-form-urlencoded",
    ),
    Cas(
        "json-malforme-memoire",
        P,
        "/memoires",
        400,
        "corps",
        brut=b'{"structure_id": ',
        type_contenu="application/json",
    ),
    Cas(
        "json-tronque-ligne",
        P,
        LIGNES,
        400,
        "corps",
        brut=b'{"quantite": "1"',
        type_contenu="application/json",
    ),
    Cas(
        "json-utf8-invalide",
        P,
        "/structures",
        400,
        "corps",
        brut=b'{"raison_sociale": "\xff\xfe"}',
        type_contenu="application/json",
    ),
    Cas(
        "json-imbrique-profond",
        P,
        "/structures",
        400,
        "corps",
        brut=lambda: b"[" * 100_000 + b"]" * 100_000,
        type_contenu="application/json",
    ),
    Cas(
        "corps-vide-structure",
        P,
        "/structures",
        400,
        "corps",
        brut=b"",
        type_contenu="application/json",
    ),
    Cas("corps-null-ligne", P, LIGNES, 400, "corps", json=None),
    Cas("methode-put-memoires", "PUT", "/memoires", 405, None, json=memoire()),
    Cas("methode-delete-moi", "DELETE", "/moi", 405, None),
    Cas("methode-patch-session", "PATCH", "/sessions/courante", 405, None, json={}),
    Cas("route-inconnue", G, "/factures", 404, None),
    Cas(
        "authentification-basique",
        G,
        "/moi",
        401,
        None,
        None,
        entetes={"Authorization": "Basic YTpi"},
    ),
    Cas(
        "authentification-jeton-vide",
        G,
        "/moi",
        401,
        None,
        None,
        entetes={"Authorization": "Bearer "},
    ),
    Cas("sous-route-inconnue", G, "/memoires/{brouillon}/annexes", 404, None),
    Cas("memoire-inconnu", G, "/memoires/memoire-inconnu", 404, None),
]


# -- the world -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def partage() -> Iterator[MondePartage]:
    # Rate limit on but out of reach: the table sends many requests to /comptes and /sessions.
    with monde_partage(
        ReglagesWeb(captcha_desactive=True, limite_comptes=("minute", 100_000))
    ) as p:
        yield p


@pytest.fixture
def monde_web(partage: MondePartage) -> Monde:
    """The world as built, whatever the previous test did to the store."""
    return partage.remettre()


# -- the checks ------------------------------------------------------------------------------

_FRANCAIS = re.compile(
    r"[àâçéèêëîïôûùüœ«»]|\b(le|la|les|de|du|des|un|une|est|doit|pas|ce|cette|champ|aucun|"
    r"aucune|invalide|trop|inconnu|inconnue|manquant|obligatoire|requête|valeur|envoyez)\b",
    re.IGNORECASE,
)
_ANGLAIS = re.compile(
    r"\b(Expected|Invalid|missing|required|Object|contains|unknown field|not allowed|"
    r"Internal Server Error|Not Found|Method Not Allowed|Request Entity)\b"
)


def est_francais(texte: str) -> bool:
    return bool(_FRANCAIS.search(texte)) and not _ANGLAIS.search(texte)


def nomme(corps: Json, champ: str) -> bool:
    """The problem names `champ`: an error of that field (or of one inside it, or the same
    field at a deeper path such as ``lignes[0].quantite``), or the detail quotes it
    (« champ »)."""
    for c in aides.champs_en_erreur(corps):
        if c == champ or c.endswith("." + champ) or c.startswith((champ + ".", champ + "[")):
            return True
    return f"« {champ} »" in str(corps.get("detail", ""))


def test_la_table_compte_au_moins_cent_cas_aux_noms_uniques() -> None:
    noms = [c.id for c in CAS]
    assert len(noms) >= 100
    assert len(set(noms)) == len(noms), [n for n in noms if noms.count(n) > 1]


def test_le_controle_du_francais_distingue_les_langues() -> None:
    assert est_francais("Le champ « quantite » est invalide : 3 décimales.")
    assert not est_francais("Expected `str`, got `int` - at `$.quantite`")
    assert not est_francais("Object missing required field `email`")


TEMOINS: list[Cas] = [
    # The valid bodies the table spoils, accepted as they are: a refusal above is due to the
    # one field each case changes.
    Cas("compte", P, "/comptes", 201, None, None, compte()),
    Cas("session", P, "/sessions", 201, None, None, connexion()),
    Cas("structure", P, "/structures", 201, None, json=structure()),
    Cas(
        "coordonnee",
        P,
        "/structures/{structure}/coordonnees-bancaires",
        201,
        None,
        json=coordonnee(),
    ),
    Cas("habilitation", P, "/structures/{structure}/habilitations", 201, None, json=habilitation()),
    Cas("jeton-api", P, "/structures/{structure}/jetons-api", 201, None, json=jeton_api()),
    Cas(
        "espace-particulier",
        "PUT",
        "/structures/{particulier}/espaces/frais-de-justice",
        200,
        None,
        "particulier",
        json={"categorie_prestataire": "INTERPRETE_TRADUCTEUR", "regime": "INDEPENDANT"},
    ),
    Cas("memoire", P, "/memoires", 201, None, json=memoire()),
    Cas("ligne", P, LIGNES, 201, None, json=ligne()),
    Cas("ligne-modifiee", "PUT", LIGNES + "/1", 200, None, json=ligne(quantite="2")),
    Cas(
        "piece",
        P,
        PIECES_MEMOIRE,
        201,
        None,
        fichier=("req.pdf", aides.PDF + b"temoin", "application/pdf"),
        formulaire=PIECE | {"numero_ligne": "1"},
    ),
    Cas("import-piece", P, PIECES_MEMOIRE, 201, None, json={"piece_structure_id": Ref("rib")}),
    Cas(
        "envoi", P, "/memoires/{brouillon}/envoi", 200, None, json={"attestation_sur_honneur": True}
    ),
    Cas("evenement", P, EVENEMENTS, 200, None, A, evenement()),
    Cas(
        "liste-fiscale",
        G,
        "/liste-fiscale?structure_id={structure}&du=2023-07-01&au=2024-06-14",
        200,
        None,
    ),
]


@pytest.mark.parametrize("temoin", TEMOINS, ids=[t.id for t in TEMOINS])
def test_les_corps_de_base_sont_acceptes(monde_web: Monde, temoin: Cas) -> None:
    reponse = envoyer(monde_web, temoin)
    assert reponse.status_code == temoin.statut, reponse.text


def test_instantane_voit_un_changement(monde_web: Monde) -> None:
    """The snapshot is not blind: a real change (a new line) shows in it."""
    banc = monde_web.banc
    avant = instantane(monde_web.chorus)
    reponse = banc.client.post(
        f"/memoires/{monde_web.ids['brouillon']}/lignes",
        json=ligne(),
        headers=monde_web.entetes["gestionnaire"],
    )
    assert reponse.status_code == 201, reponse.text
    ecarts = differences(avant, instantane(monde_web.chorus))
    assert f"memoires[{monde_web.ids['brouillon']}]" in ecarts


@pytest.mark.parametrize("cas", CAS, ids=[c.id for c in CAS])
def test_requete_invalide_refusee_sans_rien_changer(monde_web: Monde, cas: Cas) -> None:
    contenus = cas.contenus()
    avant = instantane(monde_web.chorus, contenus)
    # The blob store is not rewound between tests: each case sends contents of its own.
    assert not any(avant["blobs"].values()), "le contenu envoyé était déjà stocké"

    reponse = envoyer(monde_web, cas)

    corps = aides.exiger_probleme(reponse, cas.statut)
    assert est_francais(corps["detail"]), corps
    for erreur in corps.get("errors") or ():
        assert est_francais(erreur["message"]), erreur
    if cas.champ is not None:
        assert nomme(corps, cas.champ), (cas.champ, corps)
    apres = instantane(monde_web.chorus, contenus)
    assert differences(avant, apres) == []
    assert avant == apres


# -- a path-traversal file name is accepted, its stored name made safe ---------------------

_NOMS_DANGEREUX = ["../../etc/passwd.pdf", "..\\..\\windows\\system32\\rib.pdf", "/etc/passwd.pdf"]


def _nom_sur(nom: str) -> bool:
    return (
        "/" not in nom
        and "\\" not in nom
        and ".." not in nom
        and 0 < len(nom) <= 100
        and nom.isprintable()
    )


@pytest.mark.parametrize("nom", _NOMS_DANGEREUX)
@pytest.mark.parametrize("ou", ["structure", "memoire"])
def test_nom_de_fichier_traversant_nettoye(monde_web: Monde, nom: str, ou: str) -> None:
    banc = monde_web.banc
    contenu = aides.PDF + nom.encode()
    chemin = (PIECES_STRUCTURE if ou == "structure" else PIECES_MEMOIRE).format(**monde_web.ids)
    corps, type_de_contenu = multipart(PIECE, (nom, contenu, "application/pdf"))
    entetes = monde_web.entetes["gestionnaire"] | {"Content-Type": type_de_contenu}
    reponse = banc.client.post(chemin, headers=entetes, content=corps)
    assert reponse.status_code == 201, reponse.text
    piece = reponse.json()
    assert _nom_sur(piece["nom_fichier"]), piece["nom_fichier"]
    assert piece["nom_fichier"].endswith(".pdf")
    assert piece["sha256"] == hashlib.sha256(contenu).hexdigest()
    # The stored name is the safe one too, and the download says so.
    gid = monde_web.ids["gestionnaire_id"]
    if ou == "structure":
        stockees = monde_web.chorus.structures.obtenir(gid, monde_web.ids["structure"]).pieces
    else:
        stockees = monde_web.chorus.memoires.obtenir(gid, monde_web.ids["brouillon"]).pieces
    stockee = next(p for p in stockees if p.id == piece["id"])
    assert stockee.nom_fichier == piece["nom_fichier"]
    lecture = banc.client.get(f"{chemin}/{piece['id']}", headers=monde_web.entetes["gestionnaire"])
    assert lecture.status_code == 200
    assert lecture.content == contenu
    disposition = lecture.headers["content-disposition"]
    assert "/" not in disposition.split("filename*=")[0]
    assert ".." not in disposition


def test_fichier_mal_nomme_reconnu_a_son_contenu(monde_web: Monde) -> None:
    """A PNG named ``.pdf`` is accepted for what it is (type checked on content)."""
    reponse = monde_web.banc.client.post(
        PIECES_STRUCTURE.format(**monde_web.ids),
        headers=monde_web.entetes["gestionnaire"],
        files={"fichier": ("scan.pdf", aides.PNG, "application/pdf")},
        data=PIECE,
    )
    assert reponse.status_code == 201, reponse.text
    assert reponse.json()["content_type"] == "image/png"
