"""Helpers for the HTTP API tests: accounts, logins, a structure ready to file mémoires,
agents. Accounts and structures are made through the use cases (fast, and independent of
the controllers under test); logins give the ``Authorization`` header of a real session."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from chorus.bootstrap import Chorus
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.utilisateur import RoleAgent, Utilisateur

Client = TestClient[Litestar]
Entetes = dict[str, str]

MOT_DE_PASSE = "Motdepasse-solide-1"
QUESTION = "Nom de votre premier animal ?"
REPONSE = "Médor"

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

SIRET_CABINET = "41234567000019"
SIRET_AUTRE = "52345678800018"
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP882"

_LIEN = re.compile(r"/(activation|reinitialisation)\?jeton=(\S+)")


def entetes_de(jeton: str) -> Entetes:
    return {"Authorization": f"Bearer {jeton}"}


def jeton_du_courriel(chorus: Chorus, email: str, nature: str = "activation") -> str:
    """The secret of the latest `nature` link (activation, reinitialisation) mailed to
    `email`, read from the outbox."""
    with chorus.ports.uow as uow:
        courriels = list(uow.courriels.pour_destinataire(email))
    for courriel in reversed(courriels):
        for trouve in _LIEN.finditer(courriel.corps):
            if trouve[1] == nature:
                return trouve[2]
    raise AssertionError(f"aucun lien « {nature} » envoyé à {email}")


def creer_compte_actif(
    chorus: Chorus,
    email: str,
    *,
    nom: str = "Durand",
    prenom: str = "Camille",
    mot_de_passe: str = MOT_DE_PASSE,
) -> Utilisateur:
    """An active account with a password and secret question, through the use cases."""
    chorus.comptes.inscrire(
        email=email,
        mot_de_passe=mot_de_passe,
        nom=nom,
        prenom=prenom,
        question_secrete=QUESTION,
        reponse_secrete=REPONSE,
        captcha_id="sans-objet",
        captcha_reponse="sans-objet",
    )
    return chorus.comptes.activer(jeton=jeton_du_courriel(chorus, email))


def connecter(client: Client, email: str, mot_de_passe: str = MOT_DE_PASSE) -> Entetes:
    """Log in through the API (``POST /sessions``) when it is served, else through the use
    case: the bearer header of a real session either way."""
    reponse = client.post("/sessions", json={"email": email, "mot_de_passe": mot_de_passe})
    if reponse.status_code == 201:
        return entetes_de(reponse.json()["jeton"])
    if reponse.status_code != 404:
        raise AssertionError(f"connexion refusée : {reponse.status_code} {reponse.text}")
    chorus: Chorus = client.app.state["chorus_de_test"]
    return entetes_de(chorus.comptes.ouvrir_session(email, mot_de_passe).jeton)


def inscrire_et_connecter(
    client: Client,
    chorus: Chorus,
    email: str = "camille.durand@exemple.fr",
    **champs: Any,
) -> Entetes:
    """A new active account, logged in: its ``Authorization`` header."""
    creer_compte_actif(chorus, email, **champs)
    return connecter(client, email)


def utilisateur(chorus: Chorus, email: str) -> Utilisateur:
    with chorus.ports.uow as uow:
        trouve = uow.utilisateurs.par_email(email)
    assert trouve is not None, email
    return trouve


def structure_prete(
    chorus: Chorus,
    gestionnaire_id: str,
    *,
    siret: str = SIRET_CABINET,
    raison_sociale: str = "Cabinet Durand",
    categorie_prestataire: str = "PSYCHIATRE",
) -> Structure:
    """A structure managed by `gestionnaire_id` with the Frais de justice espace and one
    coordonnée bancaire with its RIB (a PDF pièce of the structure)."""
    s = chorus.structures
    structure = s.creer(
        gestionnaire_id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=siret,
        raison_sociale=raison_sociale,
        adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
    )
    s.definir_espace_frais_de_justice(
        gestionnaire_id,
        structure.id,
        categorie_prestataire=categorie_prestataire,
        regime=None,
    )
    rib = s.deposer_piece(
        gestionnaire_id,
        structure.id,
        contenu=PDF + siret.encode(),
        nom_fichier="RIB.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    s.ajouter_coordonnee_bancaire(
        gestionnaire_id,
        structure.id,
        libelle="Compte courant",
        iban=IBAN,
        bic=BIC,
        piece_jointe_id=rib.id,
    )
    return s.obtenir(gestionnaire_id, structure.id)


def rattacher(
    chorus: Chorus,
    structure: Structure,
    gestionnaire_id: str,
    membre_id: str,
    profil: Profil | None,
    *,
    application: Application = Application.FRAIS_DE_JUSTICE,
    service_id: str | None = None,
) -> Structure:
    """`membre_id` attached to the structure (request validated by its gestionnaire), with
    the habilitation `profil` (none when None)."""
    s = chorus.structures
    demande = s.demander_rattachement(membre_id, structure.id).rattachement_de(membre_id)
    assert demande is not None
    s.valider_rattachement(gestionnaire_id, structure.id, demande.id)
    if profil is not None:
        s.accorder_habilitation(
            gestionnaire_id,
            structure.id,
            utilisateur_id=membre_id,
            application=application,
            profil=profil,
            service_id=service_id,
        )
    return s.obtenir(gestionnaire_id, structure.id)


def creer_agent(
    chorus: Chorus,
    email: str = "greffe@tj-lyon.fr",
    *,
    role: RoleAgent = RoleAgent.AGENT_JURIDICTION,
    juridictions: tuple[str, ...] = ("TJ-69123",),
) -> Utilisateur:
    return chorus.comptes.creer_agent(
        email=email,
        mot_de_passe=MOT_DE_PASSE,
        role=role,
        juridictions=juridictions if role is RoleAgent.AGENT_JURIDICTION else (),
        nom="Agent",
        prenom=role.libelle,
    )


def agent_connecte(
    client: Client,
    chorus: Chorus,
    email: str = "greffe@tj-lyon.fr",
    *,
    role: RoleAgent = RoleAgent.AGENT_JURIDICTION,
    juridictions: tuple[str, ...] = ("TJ-69123",),
) -> Entetes:
    creer_agent(chorus, email, role=role, juridictions=juridictions)
    return connecter(client, email)


def champs_en_erreur(corps: Mapping[str, Any]) -> list[str]:
    """The `champ` of each entry of a problem's `errors`."""
    return [e["champ"] for e in corps.get("errors") or ()]


def exiger_probleme(reponse: Any, statut: int) -> dict[str, Any]:
    """Assert `reponse` is a problem+json of `statut` with a French detail; its body."""
    assert reponse.status_code == statut, (reponse.status_code, reponse.text)
    assert reponse.headers["content-type"].startswith("application/problem+json")
    corps: dict[str, Any] = reponse.json()
    assert corps["status"] == statut
    assert corps["title"]
    assert corps["detail"]
    assert corps["type"]
    return corps
