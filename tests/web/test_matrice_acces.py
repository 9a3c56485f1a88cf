"""The authorization matrix: every operation of the served OpenAPI document, called by every
kind of actor, answers the documented status — and a refusal changes nothing.

API.md: missing/invalid authentication → 401; authenticated but not habilitated → 403;
another structure's object → 404 (existence is not disclosed). DESIGN §3.1: consultation
lets a user see, modification lets a user create, edit, send, duplicate, abandon, delete;
managing the structure is for its gestionnaires; a habilitation limited to a service covers
only that service. The back office sees only its juridictions' mémoires (others: 404) and a
prestataire has no access to it (403).

Demandes TIC/TICGN follow the same rules with the TIC habilitation: consultation reads,
modification writes, another structure's demande is « introuvable » (404). Their back
office (/traitement/tic) is for the instructeurs TIC alone (anyone else: 403); it never
knows a draft (404). The eligibility and rate lookups are public.

One world (`tests.web.monde_acces`) is built once through the use cases; before each cell
it is restored to its initial state, so a success never leaks into the next cell.
After the request the store's whole committed state is compared with the state before:
unchanged on every refusal and every read, changed by every successful write.

In every cell, no answer to B's gestionnaire or to the agent of another juridiction holds
anything of A but what the request itself named. The data isolation tests then read every
list, count, export and profile as users of either structure and as agents, look for the
other structure's identifiers in the raw answers, and check the counts and totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest

from chorus.domain.flux.flux import FormatFlux
from chorus.domain.lots_statuts import FormatLot
from chorus.services.support import FichierJoint, SaisieTicket
from tests.web import aides
from tests.web.monde_acces import (
    ACTEURS,
    AGENT,
    AGENT_AILLEURS,
    ANNEE_TIC_BROUILLON,
    ANNEE_TIC_REJETEE,
    ANONYME,
    COMPTABLE,
    CONSULTANT,
    ETRANGER,
    GESTIONNAIRE,
    INSTRUCTEUR,
    JETON_CONSULTATION,
    JETON_MODIFICATION,
    JURIDICTION_A,
    MODIFICATEUR,
    OUBLIEUX,
    SANS_HABILITATION,
    SERVICE_PSY,
    MondeAcces,
    construire,
)

Json = dict[str, Any]
Statuts = dict[str, int]

# -- who is who ---------------------------------------------------------------------------

AGENTS = (AGENT, AGENT_AILLEURS, COMPTABLE, INSTRUCTEUR)
HORS_DE_A = (ETRANGER, *AGENTS)
"""Authenticated actors who are not members of structure A."""
MEMBRES_DE_A = (
    SANS_HABILITATION,
    CONSULTANT,
    MODIFICATEUR,
    SERVICE_PSY,
    GESTIONNAIRE,
    JETON_CONSULTATION,
    JETON_MODIFICATION,
)
PRESTATAIRES = (ETRANGER, *MEMBRES_DE_A)

LECTEURS_STRUCTURE = frozenset(
    {CONSULTANT, MODIFICATEUR, SERVICE_PSY, GESTIONNAIRE, JETON_CONSULTATION, JETON_MODIFICATION}
)
"""Who may read structure A (any habilitation on it, or gestionnaire)."""
LECTEURS_MEMOIRE = LECTEURS_STRUCTURE - {SERVICE_PSY}
"""Who may read a mémoire of A filed for no service (the PSY-only user may not)."""
REDACTEURS = frozenset({MODIFICATEUR, GESTIONNAIRE, JETON_MODIFICATION})
"""Who may write a mémoire of A filed for no service (and the structure's pièces)."""
GESTION = frozenset({GESTIONNAIRE})
LECTEURS_TIC = frozenset({CONSULTANT, MODIFICATEUR, GESTIONNAIRE})
"""Who holds a TIC habilitation on A (the PSY-only user and the API tokens hold Frais de
justice ones only)."""
REDACTEURS_TIC = frozenset({MODIFICATEUR, GESTIONNAIRE})

DU, AU = "2024-01-01", "2024-12-31"
CSV = {"Accept": "text/csv"}
PDF = {"Accept": "application/pdf"}
XLSX = {"Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ODS = {"Accept": "application/vnd.oasis.opendocument.spreadsheet"}


def tous(statut: int) -> Statuts:
    return dict.fromkeys(ACTEURS, statut)


def authentifies(statut: int) -> Statuts:
    return {**tous(statut), ANONYME: 401}


def sur_a(succes: int, autorises: Iterable[str]) -> Statuts:
    """An object of structure A: 404 to outsiders, 403 to members lacking the right."""
    autorises = frozenset(autorises)
    statuts: Statuts = {ANONYME: 401, **dict.fromkeys(HORS_DE_A, 404)}
    statuts.update({a: succes if a in autorises else 403 for a in MEMBRES_DE_A})
    return statuts


def traitement(agent: int, comptable: int, ailleurs: int) -> Statuts:
    """A back-office route on A's mémoires (sent to the agent's juridiction)."""
    return {
        ANONYME: 401,
        **dict.fromkeys(PRESTATAIRES, 403),
        AGENT: agent,
        COMPTABLE: comptable,
        AGENT_AILLEURS: ailleurs,
        # An instructeur TIC has no part in the mémoires.
        INSTRUCTEUR: 403,
    }


def ticket_de_a(succes: int) -> Statuts:
    """A support ticket of A: its structure's members (whatever their habilitations) act on
    it, anyone else is told it does not exist."""
    return {
        ANONYME: 401,
        **dict.fromkeys(HORS_DE_A, 404),
        **dict.fromkeys(MEMBRES_DE_A, succes),
    }


def support(agent: int) -> Statuts:
    """A back-office route on a ticket of A routed to the service centralisateur of A's
    juridiction: its agent answers, other agents do not know it, prestataires are refused."""
    return {
        **authentifies(403),
        AGENT: agent,
        AGENT_AILLEURS: 404,
        COMPTABLE: 404,
        INSTRUCTEUR: 404,
    }


def traitement_tic(instructeur: int) -> Statuts:
    """A route of the TIC back office: the instructeurs TIC's alone."""
    return {**authentifies(403), INSTRUCTEUR: instructeur}


# -- the rows -----------------------------------------------------------------------------


@attrs.frozen
class Requete:
    methode: str
    chemin: str
    json: Any = None
    fichiers: dict[str, tuple[str, bytes, str]] | None = None
    donnees: dict[str, str] | None = None
    params: dict[str, str] | None = None
    entetes: dict[str, str] = attrs.Factory(dict)


@attrs.frozen
class Ligne:
    operation: str
    """``METHOD /path`` exactly as in the OpenAPI document (without ``/api/v1``)."""
    requete: Callable[[MondeAcces], Requete]
    attendus: Statuts
    variante: str = ""
    ecrit: bool | None = None
    """Whether a success writes to the store (default: any method but GET)."""
    sans_effet: frozenset[str] = frozenset()
    """Actors whose success is documented to change nothing."""

    @property
    def nom(self) -> str:
        return f"{self.operation} [{self.variante}]" if self.variante else self.operation

    @property
    def ecriture(self) -> bool:
        if self.ecrit is not None:
            return self.ecrit
        return not self.operation.startswith("GET ")


def _fichier(nom: str, contenu: bytes = aides.PDF) -> dict[str, tuple[str, bytes, str]]:
    return {"fichier": (nom, contenu, "application/pdf")}


def _ticket_de_a(w: MondeAcces, attente: str | None = None) -> str:
    """The number of a ticket of A (with a pièce) about its sent mémoire, routed to the
    service centralisateur of A's juridiction, opened by A's gestionnaire before the request
    is sent; `attente`: the agent of that juridiction has proposed a solution (SOLUTION) or
    asked for information (INFORMATION)."""
    saisie = SaisieTicket(
        structure_id=w.a.id,
        categorie="MEMOIRE",
        sous_categorie="M_SUIVI",
        numero_objet=w.memoires_a.envoye.numero,
        resume="Suivi du mémoire",
        description="Où en est le paiement ?",
        pieces=(FichierJoint("note.pdf", aides.PDF),),
    )
    numero = w.chorus.tickets.creer(w.services.gestionnaire.id, saisie).numero
    agent = w.services.agent.id
    if attente == "SOLUTION":
        w.chorus.support.proposer_solution(agent, numero, "Il est mis en paiement.")
    elif attente == "INFORMATION":
        w.chorus.support.demander_information(agent, numero, "Quel est le RIB ?")
    return numero


def _piece_de_ticket(w: MondeAcces, numero: str) -> str:
    return w.chorus.tickets.obtenir(w.services.gestionnaire.id, numero).pieces[0].id


_FLUX = b'{"version": "1.0", "memoires": []}'


def _flux_de_a(w: MondeAcces) -> str:
    """The number of a flux of A, deposited by its gestionnaire before the request is sent
    (never integrated: the reading routes do not need it)."""
    return w.chorus.flux.deposer(
        w.services.gestionnaire.id,
        structure_id=w.a.id,
        format=FormatFlux.JSON,
        nom_fichier="memoires.json",
        contenu=_FLUX,
    ).numero


def _une_actualite(w: MondeAcces) -> str:
    """The id of a news item, published (from the console) before the request is sent."""
    return w.chorus.actualites.publier_en_exploitation("Maintenance", "Portail fermé samedi.").id


def _corps_memoire(w: MondeAcces, **changements: Any) -> Json:
    return {
        "structure_id": w.a.id,
        "juridiction_code": JURIDICTION_A,
        "coordonnee_bancaire_id": w.coordonnee_a,
        "devise": "EUR",
        "texte_reference": "A.43-6",
        "type_tva": "TVA_SUR_DEBITS",
        **changements,
    }


CORPS_LIGNE: Json = {
    "numero_affaire": "PARQUET-24-077",
    "date_requisition": "2024-05-20",
    "autorite_requerante": "PROCUREUR_REPUBLIQUE",
    "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
    "date_prestation": "2024-05-27",
    "quantite": "2",
    "tarif_ht": "150.00",
    "taux_tva": "20",
}

CORPS_STRUCTURE: Json = {
    "type_structure": "ENTREPRISE",
    "type_identifiant": "SIRET",
    "identifiant": "73282932000074",
    "raison_sociale": "Cabinet nouveau",
    "adresse": {"ligne1": "1 rue de la République", "code_postal": "69002", "ville": "Lyon"},
}


def _evenement(action: str, **champs: str) -> Json:
    return {
        "action": action,
        "date_evenement": "2024-06-14T12:00:00+02:00",
        "reference_evenement": f"MATRICE-{action}",
        **champs,
    }


def _evenement_de_lot(w: MondeAcces) -> Json:
    return {"numero_memoire": w.memoires_a.envoye.numero, **_evenement("MISE_A_DISPOSITION")}


def _lot_csv(w: MondeAcces) -> bytes:
    evenement = _evenement_de_lot(w)
    return (";".join(evenement) + "\n" + ";".join(evenement.values()) + "\n").encode()


def _lot_de_l_agent(w: MondeAcces) -> str:
    """A batch the juridiction's agent sent (through the use case: the row reads it)."""
    lot = w.chorus.lots_statuts.importer_fichier(
        _lot_csv(w), FormatLot.CSV, acteur_id=w.services.agent.id
    )
    return lot.numero


def _m(w: MondeAcces) -> str:
    return f"/memoires/{w.memoires_a.brouillon.id}"


def _s(w: MondeAcces) -> str:
    return f"/structures/{w.a.id}"


def _cycle_de_vie(w: MondeAcces, suite: str) -> Requete:
    """The cycle-de-vie feed of A (the whole structure's, not the PSY service's), A having
    opted in (through the use case) before the request is sent."""
    w.chorus.structures.modifier(w.services.gestionnaire.id, w.a.id, recevoir_cycles_de_vie=True)
    return Requete("GET", f"{_s(w)}/cycle-de-vie{suite}")


def _t(w: MondeAcces) -> str:
    """A's draft demande TIC (one line, its invoice)."""
    return f"/tic/demandes/{w.tic_a.brouillon.id}"


def _te(w: MondeAcces) -> str:
    """A's sent demande TIC."""
    return f"/tic/demandes/{w.tic_a.envoyee.id}"


def _tt(w: MondeAcces, demande: Any) -> str:
    """A demande TIC as the back office addresses it."""
    return f"/traitement/tic/demandes/{_id(demande)}"


def _corps_demande_tic(w: MondeAcces, **changements: Any) -> Json:
    return {
        "structure_id": w.a.id,
        "annee": ANNEE_TIC_REJETEE,
        "coordonnee_bancaire_id": w.coordonnee_a,
        "attestation_non_difficulte": True,
        **changements,
    }


CORPS_LIGNE_TIC: Json = {
    "numero_facture": "FAC-MATRICE-1",
    "fournisseur": "Négoce agricole du Rhône",
    "date_livraison": f"{ANNEE_TIC_BROUILLON}-04-02",
    "produit": "GAZOLE_NON_ROUTIER",
    "quantite": "850",
}


def _recherche_tic(entetes: dict[str, str]) -> Callable[[MondeAcces], Requete]:
    return lambda w: Requete("GET", "/tic/demandes", entetes=entetes)


def _evenement_tic(action: str, **champs: str) -> Json:
    return {
        "action": action,
        "date_evenement": "2024-06-14T12:00:00+02:00",
        "reference_evenement": f"MATRICE-TIC-{action}",
        **champs,
    }


def _id(memoire: Any) -> str:
    assert memoire is not None
    identifiant: str = memoire.id
    return identifiant


LIGNES: list[Ligne] = [
    # -- comptes et sessions (public, except what is about the caller) --------------------
    Ligne("GET /captcha", lambda w: Requete("GET", "/captcha"), tous(200), ecrit=True),
    Ligne(
        "POST /comptes",
        lambda w: Requete(
            "POST",
            "/comptes",
            json={
                "email": "inscrit@exemple.fr",
                "mot_de_passe": aides.MOT_DE_PASSE,
                "nom": "Inscrit",
                "prenom": "Alix",
                "question_secrete": aides.QUESTION,
                "reponse_secrete": aides.REPONSE,
                "captcha_id": "sans-objet",
                "captcha_reponse": "sans-objet",
            },
        ),
        tous(201),
    ),
    Ligne(
        "POST /tic/inscriptions",
        lambda w: Requete(
            "POST",
            "/tic/inscriptions",
            json={
                "siret": "80112233400015",
                "captcha_id": "sans-objet",
                "captcha_reponse": "sans-objet",
                "service": "TIC",
                "option": "FOURNISSEUR_PRINCIPAL",
                "utilisateur": {"email": "gaec@exemple.fr", "nom": "Terre", "prenom": "Jean"},
                "structure": {
                    "raison_sociale": "GAEC des Prés",
                    "adresse": {"ligne1": "Le Bourg", "code_postal": "72000", "ville": "Le Mans"},
                },
            },
        ),
        tous(201),
    ),
    Ligne(
        "POST /comptes/activation",
        lambda w: Requete("POST", "/comptes/activation", json={"jeton": w.jeton_activation}),
        tous(200),
    ),
    Ligne(
        "POST /comptes/mot-de-passe-oublie",
        lambda w: Requete("POST", "/comptes/mot-de-passe-oublie", json={"email": OUBLIEUX}),
        tous(202),
    ),
    Ligne(
        "GET /comptes/reinitialisation/question",
        lambda w: Requete(
            "GET",
            "/comptes/reinitialisation/question",
            params={"jeton": w.jeton_reinitialisation},
        ),
        tous(200),
    ),
    Ligne(
        "POST /comptes/reinitialisation",
        lambda w: Requete(
            "POST",
            "/comptes/reinitialisation",
            json={
                "jeton": w.jeton_reinitialisation,
                "reponse_secrete": aides.REPONSE,
                "nouveau_mot_de_passe": "Nouveau-mot-de-passe-2",
            },
        ),
        tous(204),
    ),
    Ligne(
        "POST /sessions",
        lambda w: Requete(
            "POST", "/sessions", json={"email": OUBLIEUX, "mot_de_passe": aides.MOT_DE_PASSE}
        ),
        tous(201),
    ),
    Ligne(
        "DELETE /sessions/courante",
        lambda w: Requete("DELETE", "/sessions/courante"),
        authentifies(204),
        # An API token is not a session: logging out with it is a no-op (comptes docstring).
        sans_effet=frozenset({JETON_CONSULTATION, JETON_MODIFICATION}),
    ),
    Ligne("GET /moi", lambda w: Requete("GET", "/moi"), authentifies(200)),
    Ligne(
        "PATCH /moi",
        lambda w: Requete("PATCH", "/moi", json={"telephone": "0478000000"}),
        # An API token's account is named in histories: the token cannot rename it.
        {**authentifies(200), JETON_CONSULTATION: 403, JETON_MODIFICATION: 403},
    ),
    # -- référentiels and certificates (public) ------------------------------------------
    Ligne(
        "GET /referentiels/{nom}", lambda w: Requete("GET", "/referentiels/juridictions"), tous(200)
    ),
    Ligne(
        "GET /certificats",
        lambda w: Requete("GET", "/certificats", params={"empreinte": w.empreinte_a}),
        tous(200),
    ),
    # -- actualités: public reading, publication by administrators (none among the actors)
    Ligne("GET /actualites", lambda w: Requete("GET", "/actualites"), tous(200)),
    Ligne(
        "GET /actualites/{actualite_id}",
        lambda w: Requete("GET", f"/actualites/{_une_actualite(w)}"),
        tous(200),
    ),
    Ligne(
        "POST /actualites",
        lambda w: Requete("POST", "/actualites", json={"titre": "Titre", "corps": "Corps"}),
        authentifies(403),
    ),
    # -- the assistant and its guide: public, the same answer for everyone
    Ligne(
        "GET /assistant",
        lambda w: Requete("GET", "/assistant", params={"question": "mot de passe oublié"}),
        tous(200),
    ),
    Ligne("GET /guide", lambda w: Requete("GET", "/guide"), tous(200)),
    Ligne("GET /guide/{page}", lambda w: Requete("GET", "/guide/memoires"), tous(200)),
    Ligne(
        "GET /guide/{page}/{ancre}",
        lambda w: Requete("GET", "/guide/memoires/envoi"),
        tous(200),
    ),
    # -- activity feed: every authenticated caller reads their own (agents' is empty)
    Ligne("GET /activite", lambda w: Requete("GET", "/activite"), authentifies(200)),
    # -- structures ----------------------------------------------------------------------
    Ligne(
        "POST /structures",
        lambda w: Requete("POST", "/structures", json=CORPS_STRUCTURE),
        # Agents file nothing (separation of duties); an API token acts for its structure
        # only: neither may create one.
        {
            **authentifies(201),
            **dict.fromkeys(AGENTS, 403),
            JETON_CONSULTATION: 403,
            JETON_MODIFICATION: 403,
        },
    ),
    Ligne("GET /structures", lambda w: Requete("GET", "/structures"), authentifies(200)),
    Ligne(
        "GET /structures/{structure_id}",
        lambda w: Requete("GET", _s(w)),
        sur_a(200, LECTEURS_STRUCTURE),
    ),
    Ligne(
        "PATCH /structures/{structure_id}",
        lambda w: Requete("PATCH", _s(w), json={"raison_sociale": "Cabinet Durand et associés"}),
        sur_a(200, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/services",
        lambda w: Requete(
            "POST", f"{_s(w)}/services", json={"code": "ENQ", "libelle": "Enquêtes sociales"}
        ),
        sur_a(201, GESTION),
    ),
    Ligne(
        "GET /structures/{structure_id}/services",
        lambda w: Requete("GET", f"{_s(w)}/services"),
        sur_a(200, LECTEURS_STRUCTURE),
    ),
    Ligne(
        "PATCH /structures/{structure_id}/services/{service_id}",
        lambda w: Requete(
            "PATCH", f"{_s(w)}/services/{w.service_med}", json={"libelle": "Médecine légale"}
        ),
        sur_a(200, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/coordonnees-bancaires",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/coordonnees-bancaires",
            json={
                "libelle": "Compte professionnel",
                "iban": "FR1420041010050500013M02606",
                "bic": "PSSTFRPPLIL",
                "piece_jointe_id": w.a.coordonnees_bancaires[0].piece_jointe_id,
            },
        ),
        sur_a(201, GESTION),
    ),
    Ligne(
        "GET /structures/{structure_id}/coordonnees-bancaires",
        lambda w: Requete("GET", f"{_s(w)}/coordonnees-bancaires"),
        sur_a(200, LECTEURS_STRUCTURE),
    ),
    Ligne(
        "DELETE /structures/{structure_id}/coordonnees-bancaires/{coordonnee_id}",
        lambda w: Requete("DELETE", f"{_s(w)}/coordonnees-bancaires/{w.coordonnee_a}"),
        sur_a(204, GESTION),
    ),
    Ligne(
        "PUT /structures/{structure_id}/espaces/frais-de-justice",
        lambda w: Requete(
            "PUT",
            f"{_s(w)}/espaces/frais-de-justice",
            json={"categorie_prestataire": "INTERPRETE_TRADUCTEUR"},
        ),
        sur_a(200, GESTION),
    ),
    Ligne(
        "PUT /structures/{structure_id}/espaces/tic",
        lambda w: Requete("PUT", f"{_s(w)}/espaces/tic", json={}),
        sur_a(200, GESTION),
    ),
    Ligne(
        "PATCH /structures/{structure_id}",
        lambda w: Requete("PATCH", _s(w), json={"recevoir_cycles_de_vie": True}),
        sur_a(200, GESTION),
        variante="recevoir les cycles de vie",
    ),
    Ligne(
        "GET /structures/{structure_id}/cycle-de-vie",
        lambda w: _cycle_de_vie(w, ""),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /structures/{structure_id}/cycle-de-vie",
        lambda w: Requete("GET", f"{_s(w)}/cycle-de-vie"),
        sur_a(409, LECTEURS_MEMOIRE),
        variante="sans l'option",
    ),
    Ligne(
        "GET /structures/{structure_id}/cycle-de-vie/export",
        lambda w: _cycle_de_vie(w, "/export"),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "POST /structures/{structure_id}/rattachements",
        lambda w: Requete("POST", f"{_s(w)}/rattachements"),
        # Anyone may ask to join (its members already are: 409); neither an agent nor an
        # API token (it acts for its own structure only) may (403).
        {
            ANONYME: 401,
            ETRANGER: 201,
            **dict.fromkeys(MEMBRES_DE_A, 409),
            **dict.fromkeys(AGENTS, 403),
            JETON_CONSULTATION: 403,
            JETON_MODIFICATION: 403,
        },
    ),
    Ligne(
        "GET /structures/{structure_id}/rattachements",
        lambda w: Requete("GET", f"{_s(w)}/rattachements"),
        sur_a(200, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/rattachements/{rattachement_id}/validation",
        lambda w: Requete("POST", f"{_s(w)}/rattachements/{w.rattachement_candidat}/validation"),
        sur_a(200, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/rattachements/{rattachement_id}/refus",
        lambda w: Requete("POST", f"{_s(w)}/rattachements/{w.rattachement_candidat}/refus"),
        sur_a(200, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/rattachements/{rattachement_id}/gestionnaire",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/rattachements/{w.rattachement_modificateur}/gestionnaire",
            json={"gestionnaire": True},
        ),
        sur_a(200, GESTION),
    ),
    Ligne(
        "DELETE /structures/{structure_id}/rattachements/{rattachement_id}",
        lambda w: Requete("DELETE", f"{_s(w)}/rattachements/{w.rattachement_consultant}"),
        # A gestionnaire detaches anyone; a member detaches themself (here: the consultant).
        sur_a(204, GESTION | {CONSULTANT}),
    ),
    Ligne(
        "DELETE /structures/{structure_id}/rattachements/{rattachement_id}",
        lambda w: Requete("DELETE", f"{_s(w)}/rattachements/{w.rattachement_sans_habilitation}"),
        # A member without any habilitation may leave too: being a member is enough.
        sur_a(204, GESTION | {SANS_HABILITATION}),
        variante="départ d'un membre sans habilitation",
    ),
    Ligne(
        "GET /structures/{structure_id}/habilitations",
        lambda w: Requete("GET", f"{_s(w)}/habilitations"),
        sur_a(200, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/habilitations",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/habilitations",
            json={
                "utilisateur_id": w.services.sans_habilitation.id,
                "application": "FRAIS_DE_JUSTICE",
                "profil": "CONSULTATION",
            },
        ),
        sur_a(201, GESTION),
    ),
    Ligne(
        "DELETE /structures/{structure_id}/habilitations/{habilitation_id}",
        lambda w: Requete("DELETE", f"{_s(w)}/habilitations/{w.habilitation_consultant}"),
        sur_a(204, GESTION),
    ),
    Ligne(
        "POST /structures/{structure_id}/pieces-jointes",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/pieces-jointes",
            fichiers=_fichier("kbis.pdf", aides.PDF + b"% kbis\n"),
            donnees={"type_piece": "AUTRE", "designation": "Extrait Kbis"},
        ),
        sur_a(201, REDACTEURS),
    ),
    Ligne(
        "GET /structures/{structure_id}/pieces-jointes",
        lambda w: Requete("GET", f"{_s(w)}/pieces-jointes"),
        sur_a(200, LECTEURS_STRUCTURE),
    ),
    Ligne(
        "GET /structures/{structure_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("GET", f"{_s(w)}/pieces-jointes/{w.piece_structure_id}"),
        sur_a(200, LECTEURS_STRUCTURE),
    ),
    Ligne(
        "DELETE /structures/{structure_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("DELETE", f"{_s(w)}/pieces-jointes/{w.piece_structure_id}"),
        sur_a(204, REDACTEURS),
    ),
    Ligne(
        "POST /structures/{structure_id}/jetons-api",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/jetons-api",
            json={
                "libelle": "Logiciel de facturation",
                "profil": "CONSULTATION",
                "expire_le": "2024-09-01T00:00:00+02:00",
            },
        ),
        sur_a(201, GESTION),
    ),
    Ligne(
        "GET /structures/{structure_id}/jetons-api",
        lambda w: Requete("GET", f"{_s(w)}/jetons-api"),
        sur_a(200, GESTION),
    ),
    Ligne(
        "DELETE /structures/{structure_id}/jetons-api/{jeton_id}",
        lambda w: Requete("DELETE", f"{_s(w)}/jetons-api/{w.jeton_api_consultation_id}"),
        sur_a(204, GESTION),
    ),
    # -- mémoires ------------------------------------------------------------------------
    Ligne(
        "POST /memoires",
        lambda w: Requete("POST", "/memoires", json=_corps_memoire(w)),
        sur_a(201, REDACTEURS),
    ),
    Ligne(
        "POST /memoires",
        lambda w: Requete("POST", "/memoires", json=_corps_memoire(w, service_id=w.service_psy)),
        sur_a(201, REDACTEURS | {SERVICE_PSY}),
        variante="service PSY",
    ),
    Ligne("GET /memoires", lambda w: Requete("GET", "/memoires"), authentifies(200)),
    Ligne(
        "GET /memoires",
        lambda w: Requete("GET", "/memoires", entetes=CSV),
        authentifies(200),
        variante="CSV",
    ),
    Ligne(
        "GET /memoires/synthese", lambda w: Requete("GET", "/memoires/synthese"), authentifies(200)
    ),
    Ligne(
        "GET /memoires/{memoire_id}",
        lambda w: Requete("GET", _m(w)),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /memoires/{memoire_id}",
        lambda w: Requete("GET", f"/memoires/{_id(w.memoires_a.brouillon_psy)}"),
        sur_a(200, LECTEURS_STRUCTURE),
        variante="service PSY",
    ),
    Ligne(
        "PATCH /memoires/{memoire_id}",
        lambda w: Requete("PATCH", _m(w), json={"commentaire": "Mission du 27 mai"}),
        sur_a(200, REDACTEURS),
    ),
    Ligne(
        "PATCH /memoires/{memoire_id}",
        lambda w: Requete(
            "PATCH",
            f"/memoires/{_id(w.memoires_a.brouillon_psy)}",
            json={"commentaire": "Mission du 27 mai"},
        ),
        sur_a(200, REDACTEURS | {SERVICE_PSY}),
        variante="service PSY",
    ),
    Ligne(
        "DELETE /memoires/{memoire_id}", lambda w: Requete("DELETE", _m(w)), sur_a(204, REDACTEURS)
    ),
    Ligne(
        "POST /memoires/{memoire_id}/lignes",
        lambda w: Requete("POST", f"{_m(w)}/lignes", json=CORPS_LIGNE),
        sur_a(201, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/lignes",
        lambda w: Requete(
            "POST", f"/memoires/{_id(w.memoires_a.brouillon_psy)}/lignes", json=CORPS_LIGNE
        ),
        sur_a(201, REDACTEURS | {SERVICE_PSY}),
        variante="service PSY",
    ),
    Ligne(
        "PUT /memoires/{memoire_id}/lignes/{numero_ligne}",
        lambda w: Requete("PUT", f"{_m(w)}/lignes/1", json=CORPS_LIGNE),
        sur_a(200, REDACTEURS),
    ),
    Ligne(
        "DELETE /memoires/{memoire_id}/lignes/{numero_ligne}",
        lambda w: Requete("DELETE", f"{_m(w)}/lignes/1"),
        sur_a(204, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/pieces-jointes",
        lambda w: Requete(
            "POST",
            f"{_m(w)}/pieces-jointes",
            fichiers=_fichier("attestation.pdf", aides.PDF + b"% attestation\n"),
            donnees={"type_piece": "ATTESTATION_SERVICE_FAIT", "numero_ligne": "1"},
        ),
        sur_a(201, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/pieces-jointes",
        lambda w: Requete(
            "POST",
            f"{_m(w)}/pieces-jointes",
            json={"piece_structure_id": w.piece_structure_id},
        ),
        sur_a(201, REDACTEURS),
        variante="import d'une pièce de la structure",
    ),
    Ligne(
        "GET /memoires/{memoire_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("GET", f"{_m(w)}/pieces-jointes/{w.piece_memoire_id}"),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "DELETE /memoires/{memoire_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("DELETE", f"{_m(w)}/pieces-jointes/{w.piece_memoire_id}"),
        sur_a(204, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/envoi",
        lambda w: Requete("POST", f"{_m(w)}/envoi", json={"attestation_sur_honneur": True}),
        sur_a(200, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/complement",
        lambda w: Requete(
            "POST",
            f"/memoires/{_id(w.memoires_a.suspendu)}/complement",
            json={"commentaire": "La réquisition est jointe."},
        ),
        sur_a(200, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/abandon",
        lambda w: Requete("POST", f"/memoires/{_id(w.memoires_a.refuse)}/abandon"),
        sur_a(200, REDACTEURS),
    ),
    Ligne(
        "POST /memoires/{memoire_id}/duplication",
        lambda w: Requete("POST", f"/memoires/{_id(w.memoires_a.refuse)}/duplication"),
        sur_a(201, REDACTEURS),
    ),
    Ligne(
        "GET /memoires/archives", lambda w: Requete("GET", "/memoires/archives"), authentifies(200)
    ),
    Ligne(
        "GET /memoires/{memoire_id}/certificat-depot",
        lambda w: Requete("GET", f"/memoires/{w.memoires_a.envoye.id}/certificat-depot"),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /memoires/{memoire_id}/certificat-depot",
        lambda w: Requete("GET", f"{_m(w)}/certificat-depot"),
        # A draft has no documents (409); the back office never knows a draft (404).
        sur_a(409, LECTEURS_MEMOIRE),
        variante="brouillon",
    ),
    Ligne(
        "GET /memoires/{memoire_id}/document",
        lambda w: Requete("GET", f"/memoires/{w.memoires_a.envoye.id}/document"),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /memoires/{memoire_id}/document",
        lambda w: Requete("GET", f"{_m(w)}/document"),
        sur_a(409, LECTEURS_MEMOIRE),
        variante="brouillon",
    ),
    Ligne(
        "GET /memoires/{memoire_id}/historique",
        lambda w: Requete("GET", f"/memoires/{w.memoires_a.envoye.id}/historique"),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /tableau-de-bord/memoires",
        lambda w: Requete("GET", "/tableau-de-bord/memoires"),
        authentifies(200),
    ),
    Ligne(
        "GET /liste-fiscale",
        lambda w: Requete(
            "GET", "/liste-fiscale", params={"structure_id": w.a.id, "du": DU, "au": AU}
        ),
        sur_a(200, LECTEURS_STRUCTURE),
    ),
    Ligne(
        "GET /liste-fiscale",
        lambda w: Requete(
            "GET",
            "/liste-fiscale",
            params={"structure_id": w.a.id, "du": DU, "au": AU},
            entetes=CSV,
        ),
        sur_a(200, LECTEURS_STRUCTURE),
        variante="CSV",
    ),
    Ligne(
        "GET /liste-fiscale",
        lambda w: Requete(
            "GET",
            "/liste-fiscale",
            params={"structure_id": w.a.id, "du": DU, "au": AU},
            entetes=PDF,
        ),
        sur_a(200, LECTEURS_STRUCTURE),
        variante="PDF",
    ),
    # -- back office ---------------------------------------------------------------------
    Ligne(
        "GET /traitement/memoires",
        lambda w: Requete("GET", "/traitement/memoires"),
        traitement(200, 200, 200),
    ),
    Ligne(
        "GET /traitement/memoires",
        lambda w: Requete("GET", "/traitement/memoires", entetes=CSV),
        traitement(200, 200, 200),
        variante="CSV",
    ),
    Ligne(
        "GET /traitement/memoires/{memoire_id}",
        lambda w: Requete("GET", f"/traitement/memoires/{w.memoires_a.envoye.id}"),
        traitement(200, 200, 404),
    ),
    Ligne(
        "GET /traitement/memoires/{memoire_id}",
        lambda w: Requete("GET", f"/traitement/memoires/{w.memoires_a.brouillon.id}"),
        # A draft was never transmitted: nobody in the back office knows it.
        traitement(404, 404, 404),
        variante="brouillon",
    ),
    Ligne(
        "POST /traitement/memoires/{memoire_id}/evenements",
        lambda w: Requete(
            "POST",
            f"/traitement/memoires/{w.memoires_a.envoye.id}/evenements",
            json=_evenement("MISE_A_DISPOSITION"),
        ),
        traitement(200, 403, 404),
    ),
    Ligne(
        "POST /traitement/memoires/{memoire_id}/evenements",
        lambda w: Requete(
            "POST",
            f"/traitement/memoires/{_id(w.memoires_a.certifie)}/evenements",
            json=_evenement("MISE_EN_PAIEMENT"),
        ),
        traitement(403, 200, 404),
        variante="mise en paiement",
    ),
    Ligne(
        "GET /traitement/memoires/{memoire_id}/pieces-jointes/{piece_id}",
        lambda w: Requete(
            "GET",
            f"/traitement/memoires/{w.memoires_a.envoye.id}/pieces-jointes/"
            f"{w.memoires_a.envoye.pieces[0].id}",
        ),
        traitement(200, 200, 404),
    ),
    Ligne(
        "GET /traitement/memoires/{memoire_id}/certificat-depot",
        lambda w: Requete("GET", f"/traitement/memoires/{w.memoires_a.envoye.id}/certificat-depot"),
        traitement(200, 200, 404),
    ),
    Ligne(
        "GET /traitement/memoires/{memoire_id}/certificat-depot",
        lambda w: Requete(
            "GET", f"/traitement/memoires/{w.memoires_a.brouillon.id}/certificat-depot"
        ),
        traitement(404, 404, 404),
        variante="brouillon",
    ),
    Ligne(
        "GET /traitement/memoires/{memoire_id}/document",
        lambda w: Requete("GET", f"/traitement/memoires/{w.memoires_a.envoye.id}/document"),
        traitement(200, 200, 404),
    ),
    # A batch is accepted from any back-office agent: an event outside their role or
    # juridictions is refused in its report (which the batch stores: a write).
    Ligne(
        "POST /traitement/lots-statuts",
        lambda w: Requete(
            "POST", "/traitement/lots-statuts", json={"evenements": [_evenement_de_lot(w)]}
        ),
        traitement(200, 200, 200),
    ),
    Ligne(
        "POST /traitement/lots-statuts",
        lambda w: Requete(
            "POST",
            "/traitement/lots-statuts",
            fichiers={"fichier": ("lot.csv", _lot_csv(w), "text/csv")},
        ),
        traitement(200, 200, 200),
        variante="fichier CSV",
    ),
    Ligne(
        "GET /traitement/lots-statuts/{numero}",
        lambda w: Requete("GET", f"/traitement/lots-statuts/{_lot_de_l_agent(w)}"),
        traitement(200, 200, 404),
    ),
    Ligne(
        "GET /traitement/evenements-en-attente",
        lambda w: Requete("GET", "/traitement/evenements-en-attente"),
        traitement(200, 200, 200),
    ),
    # -- demandes TIC/TICGN (public lookups) ---------------------------------------------
    Ligne(
        "GET /tic/eligibilite",
        lambda w: Requete("GET", "/tic/eligibilite", params={"code_postal": "69001"}),
        tous(200),
    ),
    Ligne(
        "GET /tic/taux",
        lambda w: Requete(
            "GET", "/tic/taux", params={"produit": "GAZOLE_NON_ROUTIER", "annee": "2023"}
        ),
        tous(200),
    ),
    # -- demandes TIC/TICGN (the demandeur) ----------------------------------------------
    Ligne(
        "POST /tic/demandes",
        # A's demande of that year was rejected: a new one may be filed.
        lambda w: Requete("POST", "/tic/demandes", json=_corps_demande_tic(w)),
        sur_a(201, REDACTEURS_TIC),
    ),
    Ligne("GET /tic/demandes", lambda w: Requete("GET", "/tic/demandes"), authentifies(200)),
    *(
        Ligne(
            "GET /tic/demandes",
            _recherche_tic(entetes),
            authentifies(200),
            variante=format_,
        )
        for format_, entetes in (("CSV", CSV), ("XLSX", XLSX), ("ODS", ODS))
    ),
    Ligne(
        "GET /tic/demandes/{demande_id}",
        lambda w: Requete("GET", _t(w)),
        sur_a(200, LECTEURS_TIC),
    ),
    Ligne(
        "GET /tic/demandes/{demande_id}",
        lambda w: Requete("GET", _te(w)),
        sur_a(200, LECTEURS_TIC),
        variante="envoyée",
    ),
    Ligne(
        "PATCH /tic/demandes/{demande_id}",
        lambda w: Requete("PATCH", _t(w), json={"attestation_non_difficulte": True}),
        sur_a(200, REDACTEURS_TIC),
    ),
    Ligne(
        "DELETE /tic/demandes/{demande_id}",
        lambda w: Requete("DELETE", _t(w)),
        sur_a(204, REDACTEURS_TIC),
    ),
    Ligne(
        "POST /tic/demandes/{demande_id}/lignes",
        lambda w: Requete("POST", f"{_t(w)}/lignes", json=CORPS_LIGNE_TIC),
        sur_a(201, REDACTEURS_TIC),
    ),
    Ligne(
        "PUT /tic/demandes/{demande_id}/lignes/{numero_ligne}",
        lambda w: Requete("PUT", f"{_t(w)}/lignes/1", json=CORPS_LIGNE_TIC),
        sur_a(200, REDACTEURS_TIC),
    ),
    Ligne(
        "DELETE /tic/demandes/{demande_id}/lignes/{numero_ligne}",
        lambda w: Requete("DELETE", f"{_t(w)}/lignes/1"),
        sur_a(204, REDACTEURS_TIC),
    ),
    Ligne(
        "POST /tic/demandes/{demande_id}/pieces-jointes",
        lambda w: Requete(
            "POST",
            f"{_t(w)}/pieces-jointes",
            fichiers=_fichier("facture-2.pdf", aides.PDF + b"% facture 2\n"),
            donnees={"type_piece": "FACTURE", "numero_ligne": "1"},
        ),
        sur_a(201, REDACTEURS_TIC),
    ),
    Ligne(
        "POST /tic/demandes/{demande_id}/pieces-jointes",
        lambda w: Requete(
            "POST", f"{_t(w)}/pieces-jointes", json={"piece_structure_id": w.piece_structure_id}
        ),
        sur_a(201, REDACTEURS_TIC),
        variante="import d'une pièce de la structure",
    ),
    Ligne(
        "GET /tic/demandes/{demande_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("GET", f"{_t(w)}/pieces-jointes/{w.tic_a.brouillon.pieces[0].id}"),
        sur_a(200, LECTEURS_TIC),
    ),
    Ligne(
        "DELETE /tic/demandes/{demande_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("DELETE", f"{_t(w)}/pieces-jointes/{w.tic_a.brouillon.pieces[0].id}"),
        sur_a(204, REDACTEURS_TIC),
    ),
    Ligne(
        "POST /tic/demandes/{demande_id}/envoi",
        lambda w: Requete("POST", f"{_t(w)}/envoi"),
        sur_a(200, REDACTEURS_TIC),
    ),
    Ligne(
        "POST /tic/demandes/{demande_id}/duplication",
        lambda w: Requete("POST", f"/tic/demandes/{_id(w.tic_a.rejetee)}/duplication"),
        sur_a(201, REDACTEURS_TIC),
    ),
    Ligne(
        "GET /tic/demandes/{demande_id}/certificat-depot",
        lambda w: Requete("GET", f"{_te(w)}/certificat-depot"),
        sur_a(200, LECTEURS_TIC),
    ),
    Ligne(
        "GET /tic/demandes/{demande_id}/certificat-depot",
        lambda w: Requete("GET", f"{_t(w)}/certificat-depot"),
        sur_a(409, LECTEURS_TIC),
        variante="brouillon",
    ),
    Ligne("GET /tic/suivi", lambda w: Requete("GET", "/tic/suivi"), authentifies(200)),
    Ligne(
        "GET /tableau-de-bord/tic",
        lambda w: Requete("GET", "/tableau-de-bord/tic"),
        authentifies(200),
    ),
    # -- demandes TIC/TICGN (the instructeurs) -------------------------------------------
    Ligne(
        "GET /traitement/tic/demandes",
        lambda w: Requete("GET", "/traitement/tic/demandes"),
        traitement_tic(200),
    ),
    Ligne(
        "GET /traitement/tic/demandes",
        lambda w: Requete("GET", "/traitement/tic/demandes", entetes=CSV),
        traitement_tic(200),
        variante="CSV",
    ),
    Ligne(
        "GET /traitement/tic/tableau-de-bord",
        lambda w: Requete("GET", "/traitement/tic/tableau-de-bord"),
        traitement_tic(200),
    ),
    Ligne(
        "GET /traitement/tic/demandes/{demande_id}",
        lambda w: Requete("GET", _tt(w, w.tic_a.envoyee)),
        traitement_tic(200),
    ),
    Ligne(
        "GET /traitement/tic/demandes/{demande_id}",
        lambda w: Requete("GET", _tt(w, w.tic_a.brouillon)),
        # A draft was never transmitted: the instructeur does not know it.
        traitement_tic(404),
        variante="brouillon",
    ),
    Ligne(
        "POST /traitement/tic/demandes/{demande_id}/evenements",
        lambda w: Requete(
            "POST",
            f"{_tt(w, w.tic_a.envoyee)}/evenements",
            json=_evenement_tic("MISE_A_DISPOSITION"),
        ),
        traitement_tic(200),
    ),
    Ligne(
        "POST /traitement/tic/demandes/{demande_id}/evenements",
        lambda w: Requete(
            "POST",
            f"{_tt(w, w.tic_a.brouillon)}/evenements",
            json=_evenement_tic("MISE_A_DISPOSITION"),
        ),
        traitement_tic(404),
        variante="brouillon",
    ),
    Ligne(
        "GET /traitement/tic/demandes/{demande_id}/pieces-jointes/{piece_id}",
        lambda w: Requete(
            "GET",
            f"{_tt(w, w.tic_a.envoyee)}/pieces-jointes/{w.tic_a.envoyee.pieces[0].id}",
        ),
        traitement_tic(200),
    ),
    Ligne(
        "GET /traitement/tic/demandes/{demande_id}/certificat-depot",
        lambda w: Requete("GET", f"{_tt(w, w.tic_a.envoyee)}/certificat-depot"),
        traitement_tic(200),
    ),
    Ligne(
        "GET /traitement/tic/demandes/{demande_id}/certificat-depot",
        lambda w: Requete("GET", f"{_tt(w, w.tic_a.brouillon)}/certificat-depot"),
        traitement_tic(404),
        variante="brouillon",
    ),
    # -- support tickets: A's members on their structure's tickets, the agents on theirs
    Ligne(
        "GET /referentiels/categories-ticket",
        lambda w: Requete("GET", "/referentiels/categories-ticket"),
        tous(200),
    ),
    Ligne(
        "POST /tickets",
        lambda w: Requete(
            "POST",
            "/tickets",
            json={
                "categorie": "AUTRE",
                "sous_categorie": "A_QUESTION",
                "structure_id": w.a.id,
                "resume": "Question",
                "description": "Une question générale.",
            },
        ),
        ticket_de_a(201),
    ),
    Ligne(
        "GET /tickets",
        lambda w: Requete("GET", "/tickets", params={"q": _ticket_de_a(w)}),
        authentifies(200),
    ),
    Ligne(
        "GET /tickets",
        lambda w: Requete("GET", "/tickets", entetes=CSV, params={"q": _ticket_de_a(w)}),
        authentifies(200),
        variante="CSV",
    ),
    Ligne(
        "GET /tickets/{numero}",
        lambda w: Requete("GET", f"/tickets/{_ticket_de_a(w)}"),
        ticket_de_a(200),
    ),
    Ligne(
        "POST /tickets/{numero}/commentaires",
        lambda w: Requete("POST", f"/tickets/{_ticket_de_a(w)}/commentaires", json={"texte": "A"}),
        ticket_de_a(200),
    ),
    Ligne(
        "POST /tickets/{numero}/pieces-jointes",
        lambda w: Requete(
            "POST", f"/tickets/{_ticket_de_a(w)}/pieces-jointes", fichiers=_fichier("b.pdf")
        ),
        ticket_de_a(201),
    ),
    Ligne(
        "GET /tickets/{numero}/pieces-jointes/{piece_id}",
        lambda w: Requete(
            "GET",
            f"/tickets/{(n := _ticket_de_a(w))}/pieces-jointes/{_piece_de_ticket(w, n)}",
        ),
        ticket_de_a(200),
    ),
    Ligne(
        "POST /tickets/{numero}/informations",
        lambda w: Requete(
            "POST",
            f"/tickets/{_ticket_de_a(w, 'INFORMATION')}/informations",
            json={"texte": "FR76…"},
        ),
        ticket_de_a(200),
    ),
    Ligne(
        "POST /tickets/{numero}/acceptation-solution",
        lambda w: Requete("POST", f"/tickets/{_ticket_de_a(w, 'SOLUTION')}/acceptation-solution"),
        ticket_de_a(200),
    ),
    Ligne(
        "POST /tickets/{numero}/refus-solution",
        lambda w: Requete(
            "POST",
            f"/tickets/{_ticket_de_a(w, 'SOLUTION')}/refus-solution",
            json={"commentaire": "Toujours pas payé."},
        ),
        ticket_de_a(200),
    ),
    Ligne(
        "POST /tickets/{numero}/cloture",
        lambda w: Requete("POST", f"/tickets/{_ticket_de_a(w)}/cloture"),
        ticket_de_a(200),
    ),
    Ligne(
        "GET /support/tickets",
        lambda w: Requete("GET", "/support/tickets", params={"q": _ticket_de_a(w)}),
        {**support(200), AGENT_AILLEURS: 200, COMPTABLE: 200, INSTRUCTEUR: 200},
    ),
    Ligne(
        "GET /support/tickets/{numero}",
        lambda w: Requete("GET", f"/support/tickets/{_ticket_de_a(w)}"),
        support(200),
    ),
    Ligne(
        "GET /support/tickets/{numero}/pieces-jointes/{piece_id}",
        lambda w: Requete(
            "GET",
            f"/support/tickets/{(n := _ticket_de_a(w))}/pieces-jointes/{_piece_de_ticket(w, n)}",
        ),
        support(200),
    ),
    Ligne(
        "POST /support/tickets/{numero}/prise-en-charge",
        lambda w: Requete("POST", f"/support/tickets/{_ticket_de_a(w)}/prise-en-charge"),
        support(200),
    ),
    Ligne(
        "POST /support/tickets/{numero}/commentaires",
        lambda w: Requete(
            "POST", f"/support/tickets/{_ticket_de_a(w)}/commentaires", json={"texte": "Vu."}
        ),
        support(200),
    ),
    Ligne(
        "POST /support/tickets/{numero}/solution",
        lambda w: Requete(
            "POST", f"/support/tickets/{_ticket_de_a(w)}/solution", json={"texte": "Payé."}
        ),
        support(200),
    ),
    Ligne(
        "POST /support/tickets/{numero}/demande-information",
        lambda w: Requete(
            "POST",
            f"/support/tickets/{_ticket_de_a(w)}/demande-information",
            json={"texte": "Quel RIB ?"},
        ),
        support(200),
    ),
    # -- dépôt flux: the Frais de justice habilitations of A, the published formats public
    Ligne(
        "POST /flux",
        lambda w: Requete(
            "POST",
            "/flux",
            fichiers={"fichier": ("memoires.json", _FLUX, "application/json")},
            donnees={"structure_id": w.a.id},
        ),
        sur_a(202, REDACTEURS),
    ),
    Ligne(
        "GET /flux",
        lambda w: Requete("GET", "/flux", params={"structure_id": w.a.id}),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /flux/{numero_flux}",
        lambda w: Requete("GET", f"/flux/{_flux_de_a(w)}"),
        sur_a(200, LECTEURS_MEMOIRE),
    ),
    Ligne(
        "GET /flux/{numero_flux}",
        lambda w: Requete("GET", f"/flux/{_flux_de_a(w)}", entetes=CSV),
        sur_a(200, LECTEURS_MEMOIRE),
        variante="CSV",
    ),
    Ligne(
        "GET /flux/schemas/memoires.schema.json",
        lambda w: Requete("GET", "/flux/schemas/memoires.schema.json"),
        tous(200),
    ),
    Ligne(
        "GET /flux/schemas/memoires.xsd",
        lambda w: Requete("GET", "/flux/schemas/memoires.xsd"),
        tous(200),
    ),
]

# Cells that answer otherwise today: the defect is written in /tmp/issue4/defauts_matrice.md.
# Known defects, marked xfail(strict=True) so that a fix shows: none today.
DEFAUTS: dict[tuple[str, str], str] = {}


PUBLIQUES_SUR_A = frozenset({"GET /certificats"})
"""Rows that show A's data to anyone, by design (whoever holds a certificate checks it)."""


def _cellules() -> Iterator[Any]:
    for ligne in LIGNES:
        for acteur in ACTEURS:
            raison = DEFAUTS.get((ligne.nom, acteur))
            marques = [pytest.mark.xfail(strict=True, reason=raison)] if raison else []
            yield pytest.param(ligne, acteur, id=f"{ligne.nom} — {acteur}", marks=marques)


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def monde() -> Iterator[MondeAcces]:
    yield from construire()


@pytest.fixture
def w(monde: MondeAcces) -> MondeAcces:
    """The world as built, whatever the previous test did."""
    monde.restaurer()
    return monde


def envoyer(w: MondeAcces, requete: Requete, acteur: str) -> Any:
    return w.client.request(
        requete.methode,
        requete.chemin,
        headers={**w.entetes[acteur], **requete.entetes},
        json=requete.json,
        files=requete.fichiers,
        data=requete.donnees,
        params=requete.params,
    )


# -- the matrix ---------------------------------------------------------------------------


def test_chaque_operation_du_schema_a_sa_ligne(monde: MondeAcces) -> None:
    """A route added without its row in the matrix fails here (and a row whose route is
    gone too)."""
    reponse = monde.client.get("/schema/openapi.json")
    assert reponse.status_code == 200
    servies = {
        f"{methode.upper()} {chemin.removeprefix('/api/v1')}"
        for chemin, operations in reponse.json()["paths"].items()
        for methode in operations
        if methode in {"get", "post", "put", "patch", "delete"}
    }
    couvertes = {ligne.operation for ligne in LIGNES}
    assert sorted(servies - couvertes) == [], "opérations sans ligne dans la matrice"
    assert sorted(couvertes - servies) == [], "lignes de la matrice sans opération servie"


def test_chaque_ligne_couvre_chaque_acteur() -> None:
    for ligne in LIGNES:
        assert set(ligne.attendus) == set(ACTEURS), ligne.nom
    noms = [(ligne.nom) for ligne in LIGNES]
    assert len(noms) == len(set(noms)), "deux lignes portent le même nom"


@pytest.mark.parametrize(("ligne", "acteur"), list(_cellules()))
def test_matrice(w: MondeAcces, ligne: Ligne, acteur: str) -> None:
    requete = ligne.requete(w)
    avant = w.etat()
    reponse = envoyer(w, requete, acteur)
    attendu = ligne.attendus[acteur]
    assert reponse.status_code == attendu, (
        f"{requete.methode} {requete.chemin} par « {acteur} » : attendu {attendu}, reçu "
        f"{reponse.status_code} {reponse.text[:300]}"
    )
    if acteur in (ETRANGER, AGENT_AILLEURS) and ligne.operation not in PUBLIQUES_SUR_A:
        # What the caller sent (an id in the path) is no disclosure; anything else of A is.
        envoye = f"{requete.chemin} {requete.params} {requete.json} {requete.fichiers}"
        fuites = [s for s in w.identifiants_de_a() if s in reponse.text and s not in envoye]
        assert fuites == [], f"la réponse montre des données de A : {fuites}"
    apres = w.etat()
    if attendu >= 400:
        aides.exiger_probleme(reponse, attendu)
        assert apres == avant, "un refus a modifié les données enregistrées"
    elif not ligne.ecriture or acteur in ligne.sans_effet:
        assert apres == avant, "une lecture a modifié les données enregistrées"
    else:
        assert apres != avant, "un succès d'écriture n'a rien enregistré"


# -- the objects of structure B, seen from A ----------------------------------------------

OBJETS_DE_B: list[tuple[str, Callable[[MondeAcces], Requete]]] = [
    ("GET /flux", lambda w: Requete("GET", "/flux", params={"structure_id": w.b.id})),
    (
        "POST /flux",
        lambda w: Requete(
            "POST",
            "/flux",
            fichiers={"fichier": ("memoires.json", _FLUX, "application/json")},
            donnees={"structure_id": w.b.id},
        ),
    ),
    (
        "GET /memoires/{memoire_id}",
        lambda w: Requete("GET", f"/memoires/{w.memoires_b.brouillon.id}"),
    ),
    (
        "GET /memoires/{memoire_id}/historique",
        lambda w: Requete("GET", f"/memoires/{w.memoires_b.envoye.id}/historique"),
    ),
    (
        "PATCH /memoires/{memoire_id}",
        lambda w: Requete(
            "PATCH", f"/memoires/{w.memoires_b.brouillon.id}", json={"commentaire": "Intrus"}
        ),
    ),
    (
        "DELETE /memoires/{memoire_id}",
        lambda w: Requete("DELETE", f"/memoires/{w.memoires_b.brouillon.id}"),
    ),
    (
        "POST /memoires/{memoire_id}/lignes",
        lambda w: Requete(
            "POST", f"/memoires/{w.memoires_b.brouillon.id}/lignes", json=CORPS_LIGNE
        ),
    ),
    (
        "POST /memoires/{memoire_id}/envoi",
        lambda w: Requete(
            "POST",
            f"/memoires/{w.memoires_b.brouillon.id}/envoi",
            json={"attestation_sur_honneur": True},
        ),
    ),
    (
        "POST /memoires/{memoire_id}/duplication",
        lambda w: Requete("POST", f"/memoires/{w.memoires_b.envoye.id}/duplication"),
    ),
    (
        "POST /memoires",
        lambda w: Requete(
            "POST",
            "/memoires",
            json=_corps_memoire(
                w, structure_id=w.b.id, coordonnee_bancaire_id=w.b.coordonnees_bancaires[0].id
            ),
        ),
    ),
    ("GET /structures/{structure_id}", lambda w: Requete("GET", f"/structures/{w.b.id}")),
    (
        "GET /structures/{structure_id}/pieces-jointes/{piece_id}",
        lambda w: Requete("GET", f"/structures/{w.b.id}/pieces-jointes/{w.b.pieces[0].id}"),
    ),
    (
        "PATCH /structures/{structure_id}",
        lambda w: Requete("PATCH", f"/structures/{w.b.id}", json={"raison_sociale": "Pris"}),
    ),
    (
        "GET /liste-fiscale",
        lambda w: Requete(
            "GET", "/liste-fiscale", params={"structure_id": w.b.id, "du": DU, "au": AU}
        ),
    ),
    (
        "GET /liste-fiscale (PDF)",
        lambda w: Requete(
            "GET",
            "/liste-fiscale",
            params={"structure_id": w.b.id, "du": DU, "au": AU},
            entetes=PDF,
        ),
    ),
    (
        "GET /memoires/{memoire_id}/certificat-depot",
        lambda w: Requete("GET", f"/memoires/{w.memoires_b.envoye.id}/certificat-depot"),
    ),
    (
        "GET /memoires/{memoire_id}/document",
        lambda w: Requete("GET", f"/memoires/{w.memoires_b.envoye.id}/document"),
    ),
    (
        "POST /tic/demandes",
        lambda w: Requete(
            "POST",
            "/tic/demandes",
            json=_corps_demande_tic(
                w, structure_id=w.b.id, coordonnee_bancaire_id=w.b.coordonnees_bancaires[0].id
            ),
        ),
    ),
    (
        "GET /tic/demandes/{demande_id}",
        lambda w: Requete("GET", f"/tic/demandes/{w.tic_b.brouillon.id}"),
    ),
    (
        "GET /tic/demandes/{demande_id} (envoyée)",
        lambda w: Requete("GET", f"/tic/demandes/{w.tic_b.envoyee.id}"),
    ),
    (
        "PATCH /tic/demandes/{demande_id}",
        lambda w: Requete(
            "PATCH",
            f"/tic/demandes/{w.tic_b.brouillon.id}",
            json={"attestation_non_difficulte": True},
        ),
    ),
    (
        "DELETE /tic/demandes/{demande_id}",
        lambda w: Requete("DELETE", f"/tic/demandes/{w.tic_b.brouillon.id}"),
    ),
    (
        "POST /tic/demandes/{demande_id}/lignes",
        lambda w: Requete(
            "POST", f"/tic/demandes/{w.tic_b.brouillon.id}/lignes", json=CORPS_LIGNE_TIC
        ),
    ),
    (
        "DELETE /tic/demandes/{demande_id}/lignes/{numero_ligne}",
        lambda w: Requete("DELETE", f"/tic/demandes/{w.tic_b.brouillon.id}/lignes/1"),
    ),
    (
        "POST /tic/demandes/{demande_id}/envoi",
        lambda w: Requete("POST", f"/tic/demandes/{w.tic_b.brouillon.id}/envoi"),
    ),
    (
        "POST /tic/demandes/{demande_id}/duplication",
        lambda w: Requete("POST", f"/tic/demandes/{w.tic_b.envoyee.id}/duplication"),
    ),
    (
        "GET /tic/demandes/{demande_id}/pieces-jointes/{piece_id}",
        lambda w: Requete(
            "GET",
            f"/tic/demandes/{w.tic_b.envoyee.id}/pieces-jointes/{w.tic_b.envoyee.pieces[0].id}",
        ),
    ),
    (
        "DELETE /tic/demandes/{demande_id}/pieces-jointes/{piece_id}",
        lambda w: Requete(
            "DELETE",
            f"/tic/demandes/{w.tic_b.brouillon.id}/pieces-jointes/{w.tic_b.brouillon.pieces[0].id}",
        ),
    ),
    (
        "GET /tic/demandes/{demande_id}/certificat-depot",
        lambda w: Requete("GET", f"/tic/demandes/{w.tic_b.envoyee.id}/certificat-depot"),
    ),
]


@pytest.mark.parametrize(
    ("operation", "requete", "acteur"),
    [
        pytest.param(operation, requete, acteur, id=f"{operation} de B — {acteur}")
        for operation, requete in OBJETS_DE_B
        for acteur in MEMBRES_DE_A
    ],
)
def test_les_objets_de_b_sont_introuvables_depuis_a(
    w: MondeAcces, operation: str, requete: Callable[[MondeAcces], Requete], acteur: str
) -> None:
    """Every user and API token of A gets 404 on B's objects, and nothing changes."""
    avant = w.etat()
    reponse = envoyer(w, requete(w), acteur)
    corps = aides.exiger_probleme(reponse, 404)
    assert w.etat() == avant
    for identifiant in (w.b.identifiant, w.b.raison_sociale):
        assert identifiant not in str(corps)


@pytest.mark.parametrize(
    ("requete", "acteur", "statut"),
    [
        pytest.param(
            lambda w: Requete("GET", f"/traitement/memoires/{w.memoires_b.envoye.id}"),
            AGENT,
            404,
            id="GET /traitement/memoires/{memoire_id} de B — agent de la juridiction",
        ),
        pytest.param(
            lambda w: Requete(
                "POST",
                f"/traitement/memoires/{w.memoires_b.envoye.id}/evenements",
                json=_evenement("MISE_A_DISPOSITION"),
            ),
            AGENT,
            404,
            id="POST /traitement/memoires/{memoire_id}/evenements de B — agent de la juridiction",
        ),
        pytest.param(
            lambda w: Requete("GET", f"/traitement/memoires/{w.memoires_b.envoye.id}"),
            AGENT_AILLEURS,
            200,
            id="GET /traitement/memoires/{memoire_id} de B — agent d'une autre juridiction",
        ),
        *(
            pytest.param(
                lambda w, prefixe=prefixe, suffixe=suffixe: Requete(
                    "GET", f"{prefixe}/memoires/{w.memoires_b.envoye.id}/{suffixe}"
                ),
                acteur,
                statut,
                id=f"GET {prefixe}/memoires/{{memoire_id}}/{suffixe} de B — {acteur}",
            )
            for suffixe in ("certificat-depot", "document")
            for prefixe, acteur, statut in (
                ("/traitement", AGENT, 404),
                ("/traitement", AGENT_AILLEURS, 200),
                # The prestataire's routes know no agent, as for the mémoire itself.
                ("", AGENT_AILLEURS, 404),
            )
        ),
        pytest.param(
            lambda w: Requete(
                "GET",
                f"/traitement/memoires/{w.memoires_b.envoye.id}/pieces-jointes/"
                f"{w.memoires_b.envoye.pieces[0].id}",
            ),
            AGENT,
            404,
            id="GET /traitement/memoires/{memoire_id}/pieces-jointes/{piece_id} de B — "
            "agent de la juridiction",
        ),
    ],
)
def test_le_back_office_de_chaque_juridiction_est_cloisonne(
    w: MondeAcces, requete: Callable[[MondeAcces], Requete], acteur: str, statut: int
) -> None:
    """The mirror of the matrix: B's mémoires (sent to TJ-75056) are out of reach of the
    agent of TJ-69123 and in reach of the agent of TJ-75056."""
    avant = w.etat()
    reponse = envoyer(w, requete(w), acteur)
    assert reponse.status_code == statut, reponse.text
    if statut >= 400:
        aides.exiger_probleme(reponse, statut)
        assert w.etat() == avant


# -- references to another structure's objects --------------------------------------------


REFERENCES_CROISEES: list[tuple[str, Callable[[MondeAcces], Requete]]] = [
    (
        "import d'une pièce de B dans un brouillon de A",
        lambda w: Requete(
            "POST", f"{_m(w)}/pieces-jointes", json={"piece_structure_id": w.b.pieces[0].id}
        ),
    ),
    (
        "mémoire de A payé sur les coordonnées bancaires de B",
        lambda w: Requete(
            "POST",
            "/memoires",
            json=_corps_memoire(w, coordonnee_bancaire_id=w.b.coordonnees_bancaires[0].id),
        ),
    ),
    (
        "brouillon de A basculé sur les coordonnées bancaires de B",
        lambda w: Requete(
            "PATCH", _m(w), json={"coordonnee_bancaire_id": w.b.coordonnees_bancaires[0].id}
        ),
    ),
    (
        "mémoire de A pour un service de B",
        lambda w: Requete("POST", "/memoires", json=_corps_memoire(w, service_id="id-inconnu")),
    ),
    (
        "coordonnées bancaires de A avec le RIB de B",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/coordonnees-bancaires",
            json={
                "libelle": "Compte d'autrui",
                "iban": "FR1420041010050500013M02606",
                "bic": "PSSTFRPPLIL",
                "piece_jointe_id": w.b.pieces[0].id,
            },
        ),
    ),
    (
        "habilitation sur A pour le gestionnaire de B (non membre)",
        lambda w: Requete(
            "POST",
            f"{_s(w)}/habilitations",
            json={
                "utilisateur_id": w.services.etranger.id,
                "application": "FRAIS_DE_JUSTICE",
                "profil": "MODIFICATION",
            },
        ),
    ),
    (
        "validation, sur A, d'un rattachement de B",
        lambda w: Requete("POST", f"{_s(w)}/rattachements/{w.b.rattachements[0].id}/validation"),
    ),
    (
        "retrait, sur A, d'une habilitation de B",
        lambda w: Requete("DELETE", f"{_s(w)}/habilitations/{w.b.habilitations[0].id}"),
    ),
    (
        "révocation, sur A, d'un jeton d'API de B",
        lambda w: Requete("DELETE", f"{_s(w)}/jetons-api/{w.jeton_api_de_b_id}"),
    ),
    (
        "retrait, sur A, des coordonnées bancaires de B",
        lambda w: Requete(
            "DELETE", f"{_s(w)}/coordonnees-bancaires/{w.b.coordonnees_bancaires[0].id}"
        ),
    ),
    (
        "téléchargement, par A, d'une pièce de B",
        lambda w: Requete("GET", f"{_s(w)}/pieces-jointes/{w.b.pieces[0].id}"),
    ),
    (
        "téléchargement, dans un mémoire de A, d'une pièce d'un mémoire de B",
        lambda w: Requete("GET", f"{_m(w)}/pieces-jointes/{w.memoires_b.envoye.pieces[0].id}"),
    ),
    (
        "retrait, d'un mémoire de A, d'une pièce d'un mémoire de B",
        lambda w: Requete("DELETE", f"{_m(w)}/pieces-jointes/{w.memoires_b.envoye.pieces[0].id}"),
    ),
    (
        "demande TIC de A payée sur les coordonnées bancaires de B",
        lambda w: Requete(
            "POST",
            "/tic/demandes",
            json=_corps_demande_tic(w, coordonnee_bancaire_id=w.b.coordonnees_bancaires[0].id),
        ),
    ),
    (
        "brouillon TIC de A basculé sur les coordonnées bancaires de B",
        lambda w: Requete(
            "PATCH", _t(w), json={"coordonnee_bancaire_id": w.b.coordonnees_bancaires[0].id}
        ),
    ),
    (
        "brouillon TIC de A basculé sur la structure B",
        lambda w: Requete("PATCH", _t(w), json={"structure_id": w.b.id}),
    ),
    (
        "import d'une pièce de B dans un brouillon TIC de A",
        lambda w: Requete(
            "POST", f"{_t(w)}/pieces-jointes", json={"piece_structure_id": w.b.pieces[0].id}
        ),
    ),
    (
        "téléchargement, dans une demande TIC de A, d'une pièce d'une demande de B",
        lambda w: Requete("GET", f"{_te(w)}/pieces-jointes/{w.tic_b.envoyee.pieces[0].id}"),
    ),
    (
        "retrait, d'un brouillon TIC de A, d'une pièce d'un brouillon de B",
        lambda w: Requete("DELETE", f"{_t(w)}/pieces-jointes/{w.tic_b.brouillon.pieces[0].id}"),
    ),
]


@pytest.mark.parametrize(
    "requete", [pytest.param(requete, id=nom) for nom, requete in REFERENCES_CROISEES]
)
def test_le_gestionnaire_de_a_ne_peut_pas_designer_les_objets_de_b(
    w: MondeAcces, requete: Callable[[MondeAcces], Requete]
) -> None:
    """Even with every right on A, an id of B's (pièce, bank details, user, rattachement,
    habilitation) slipped into a request on A is refused and changes nothing."""
    avant = w.etat()
    reponse = envoyer(w, requete(w), GESTIONNAIRE)
    assert reponse.status_code in (404, 409, 422), reponse.text
    aides.exiger_probleme(reponse, reponse.status_code)
    assert w.etat() == avant
    for identifiant in (w.b.identifiant, w.b.raison_sociale, aides.IBAN):
        assert identifiant not in reponse.text


# -- data isolation in lists, counts and exports ------------------------------------------


def _lignes_csv(texte: str) -> list[dict[str, str]]:
    assert texte.startswith("\ufeff"), "un export CSV commence par le BOM UTF-8"
    return list(csv.DictReader(io.StringIO(texte.removeprefix("\ufeff")), delimiter=";"))


def _lectures(w: MondeAcces, cible: str, voisine: str) -> dict[str, Requete]:
    """Every answer where an actor could see something of `cible` (a structure id), the
    lists filtered on it included; `voisine` is the actor's own structure, if any."""
    memoire_cible = w.memoires_a.envoye if cible == w.a.id else w.memoires_b.envoye
    demande_cible = (w.tic_a if cible == w.a.id else w.tic_b).envoyee
    lectures = {
        "GET /moi": Requete("GET", "/moi"),
        "GET /structures": Requete("GET", "/structures"),
        "GET /memoires": Requete("GET", "/memoires", params={"par_page": "500"}),
        "GET /memoires (CSV)": Requete("GET", "/memoires", entetes=CSV),
        "GET /memoires?structure_id=…": Requete("GET", "/memoires", params={"structure_id": cible}),
        "GET /memoires?structure_id=… (CSV)": Requete(
            "GET", "/memoires", params={"structure_id": cible}, entetes=CSV
        ),
        "GET /memoires?numero=…": Requete(
            "GET", "/memoires", params={"numero": memoire_cible.numero}
        ),
        "GET /memoires/synthese": Requete("GET", "/memoires/synthese"),
        "GET /memoires/archives": Requete("GET", "/memoires/archives", params={"par_page": "500"}),
        "GET /memoires/archives?structure_id=…": Requete(
            "GET", "/memoires/archives", params={"structure_id": cible}
        ),
        "GET /tableau-de-bord/memoires": Requete("GET", "/tableau-de-bord/memoires"),
        "GET /traitement/memoires": Requete(
            "GET", "/traitement/memoires", params={"par_page": "500"}
        ),
        "GET /traitement/memoires (CSV)": Requete("GET", "/traitement/memoires", entetes=CSV),
        "GET /traitement/memoires?structure_id=…": Requete(
            "GET", "/traitement/memoires", params={"structure_id": cible}
        ),
        "GET /traitement/memoires?numero=…": Requete(
            "GET", "/traitement/memoires", params={"numero": memoire_cible.numero}
        ),
        "GET /liste-fiscale?structure_id=…": Requete(
            "GET", "/liste-fiscale", params={"structure_id": cible, "du": DU, "au": AU}
        ),
        "GET /tic/demandes": Requete("GET", "/tic/demandes", params={"par_page": "500"}),
        "GET /tic/demandes (CSV)": Requete("GET", "/tic/demandes", entetes=CSV),
        "GET /tic/demandes?structure_id=…": Requete(
            "GET", "/tic/demandes", params={"structure_id": cible}
        ),
        "GET /tic/demandes?numero=…": Requete(
            "GET", "/tic/demandes", params={"numero": demande_cible.numero}
        ),
        "GET /tic/suivi": Requete("GET", "/tic/suivi", params={"limite": "500"}),
        "GET /tableau-de-bord/tic": Requete("GET", "/tableau-de-bord/tic"),
        "GET /traitement/tic/demandes": Requete(
            "GET", "/traitement/tic/demandes", params={"par_page": "500"}
        ),
        "GET /traitement/tic/demandes?structure_id=…": Requete(
            "GET", "/traitement/tic/demandes", params={"structure_id": cible}
        ),
    }
    if voisine:
        periode = {"structure_id": voisine, "du": DU, "au": AU}
        lectures["GET /liste-fiscale (sa structure)"] = Requete(
            "GET", "/liste-fiscale", params=periode
        )
        lectures["GET /liste-fiscale (sa structure, CSV)"] = Requete(
            "GET", "/liste-fiscale", params=periode, entetes=CSV
        )
    return lectures


OBSERVATEURS = (
    # (actor, whose data they must never see)
    (ETRANGER, "A"),
    (AGENT_AILLEURS, "A"),
    (AGENT, "B"),
    (CONSULTANT, "B"),
    (GESTIONNAIRE, "B"),
    (JETON_CONSULTATION, "B"),
    (JETON_MODIFICATION, "B"),
)


@pytest.mark.parametrize(
    ("acteur", "cachee"),
    [pytest.param(a, c, id=f"{a} ne voit rien de {c}") for a, c in OBSERVATEURS],
)
def test_aucune_reponse_ne_montre_les_donnees_d_une_autre_structure(
    w: MondeAcces, acteur: str, cachee: str
) -> None:
    """Search the raw text of every list, count, export and profile answer for the hidden
    structure's id, SIRET, raison sociale, members' emails and mémoire ids and numéros."""
    cible, secrets = (
        (w.a.id, w.identifiants_de_a()) if cachee == "A" else (w.b.id, w.identifiants_de_b())
    )
    voisine = {ETRANGER: w.b.id, AGENT_AILLEURS: "", AGENT: ""}.get(acteur, w.a.id)
    # What the actor does see (so that an answer emptied by a bug cannot pass for tight).
    visible = (w.memoires_b if cachee == "A" else w.memoires_a).envoye.numero
    fuites: list[str] = []
    vu = False
    for nom, requete in _lectures(w, cible, voisine).items():
        reponse = envoyer(w, requete, acteur)
        assert reponse.status_code in (200, 403, 404), (nom, reponse.status_code, reponse.text)
        fuites += [f"{nom} : {s}" for s in secrets if s in reponse.text]
        vu = vu or visible in reponse.text
    assert fuites == []
    assert vu, f"« {acteur} » ne voit même pas {visible}"


def _total(w: MondeAcces, acteur: str, chemin: str, **params: str) -> int:
    reponse = envoyer(w, Requete("GET", chemin, params=params), acteur)
    assert reponse.status_code == 200, reponse.text
    total: int = reponse.json()["total"]
    return total


def _total_csv(w: MondeAcces, acteur: str, chemin: str) -> int:
    reponse = envoyer(w, Requete("GET", chemin, entetes=CSV), acteur)
    assert reponse.status_code == 200, reponse.text
    return len(_lignes_csv(reponse.text))


def test_les_comptes_de_l_autre_structure_excluent_a(w: MondeAcces) -> None:
    """B's gestionnaire: search, export, synthèse, tableau de bord and liste fiscale count
    B's mémoires and nothing of A's."""
    b = w.memoires_b
    assert _total(w, ETRANGER, "/memoires") == len(b.tous()) == 3
    assert _total_csv(w, ETRANGER, "/memoires") == 3
    assert _total(w, ETRANGER, "/memoires", structure_id=w.a.id) == 0

    synthese = envoyer(w, Requete("GET", "/memoires/synthese"), ETRANGER).json()
    assert {statut: page["total"] for statut, page in synthese.items()} == {
        "BROUILLON": 1,
        "SUSPENDU": 0,
        "REFUSE": 0,
    }

    tableau = envoyer(w, Requete("GET", "/tableau-de-bord/memoires"), ETRANGER).json()
    assert [ligne["structure_id"] for ligne in tableau] == [w.b.id]
    compteurs = tableau[0]["compteurs"]
    assert {k: v for k, v in compteurs.items() if v} == {
        "BROUILLON": 1,
        "ENVOYE": 1,
        "MIS_EN_PAIEMENT": 1,
    }

    liste = envoyer(
        w,
        Requete("GET", "/liste-fiscale", params={"structure_id": w.b.id, "du": DU, "au": AU}),
        ETRANGER,
    ).json()
    assert liste["total"] == liste["totaux"]["nombre"] == 1
    assert b.paye is not None
    assert [e["numero"] for e in liste["elements"]] == [b.paye.numero]
    assert liste["totaux"]["net_a_payer"] == f"{b.paye.totaux.net_a_payer:.2f}"


def test_les_comptes_d_un_agent_se_limitent_a_ses_juridictions(w: MondeAcces) -> None:
    envoyes_a = [m for m in w.memoires_a.tous() if m.certificat is not None]
    envoyes_b = [m for m in w.memoires_b.tous() if m.certificat is not None]
    assert (len(envoyes_a), len(envoyes_b)) == (6, 2)
    for acteur, attendus, juridiction in (
        (AGENT, envoyes_a, JURIDICTION_A),
        (AGENT_AILLEURS, envoyes_b, "TJ-75056"),
    ):
        page = envoyer(
            w, Requete("GET", "/traitement/memoires", params={"par_page": "500"}), acteur
        ).json()
        assert page["total"] == len(attendus), acteur
        assert sorted(e["id"] for e in page["elements"]) == sorted(m.id for m in attendus)
        assert {e["juridiction_code"] for e in page["elements"]} == {juridiction}
        export = envoyer(w, Requete("GET", "/traitement/memoires", entetes=CSV), acteur)
        assert sorted(r["Numéro"] for r in _lignes_csv(export.text)) == sorted(
            m.numero for m in attendus
        )
        # The prestataire's own screens show an agent nothing at all.
        assert _total(w, acteur, "/memoires") == 0
        assert envoyer(w, Requete("GET", "/tableau-de-bord/memoires"), acteur).json() == []
        assert envoyer(w, Requete("GET", "/structures"), acteur).json()["total"] == 0
    # A comptable without juridiction sees every sent mémoire (documented), drafts never.
    assert _total(w, COMPTABLE, "/traitement/memoires") == len(envoyes_a) + len(envoyes_b)


def test_un_utilisateur_limite_a_un_service_ne_voit_que_ce_service(w: MondeAcces) -> None:
    psy = w.memoires_a.brouillon_psy
    assert psy is not None
    page = envoyer(w, Requete("GET", "/memoires", params={"par_page": "500"}), SERVICE_PSY)
    assert [e["id"] for e in page.json()["elements"]] == [psy.id]
    assert page.json()["total"] == 1
    tableau = envoyer(w, Requete("GET", "/tableau-de-bord/memoires"), SERVICE_PSY).json()
    assert [(t["structure_id"], sum(t["compteurs"].values())) for t in tableau] == [(w.a.id, 1)]
    liste = envoyer(
        w,
        Requete("GET", "/liste-fiscale", params={"structure_id": w.a.id, "du": DU, "au": AU}),
        SERVICE_PSY,
    ).json()
    assert liste["total"] == liste["totaux"]["nombre"] == 0
    cachees = w.memoires_de_a_hors_psy()
    for nom, requete in _lectures(w, w.a.id, w.a.id).items():
        texte = envoyer(w, requete, SERVICE_PSY).text
        assert [c for c in cachees if c in texte] == [], nom


def test_les_demandes_tic_se_limitent_aux_habilitations_tic(w: MondeAcces) -> None:
    """Search, export, suivi and tableau de bord count the demandes of the structures
    where the user holds a TIC habilitation, and nothing else; the instructeur counts every
    sent demande, of either structure, and never a draft."""
    ids_a = sorted(d.id for d in w.tic_a.tous())
    ids_b = sorted(d.id for d in w.tic_b.tous())
    for acteur, attendus, structure in (
        (CONSULTANT, ids_a, w.a.id),
        (GESTIONNAIRE, ids_a, w.a.id),
        (ETRANGER, ids_b, w.b.id),
    ):
        page = envoyer(
            w, Requete("GET", "/tic/demandes", params={"par_page": "500"}), acteur
        ).json()
        assert sorted(e["id"] for e in page["elements"]) == attendus, acteur
        assert page["total"] == len(attendus)
        assert _total_csv(w, acteur, "/tic/demandes") == len(attendus)
        tableau = envoyer(w, Requete("GET", "/tableau-de-bord/tic"), acteur).json()
        assert [(t["structure_id"], t["total"]) for t in tableau] == [(structure, len(attendus))]
        suivi = envoyer(w, Requete("GET", "/tic/suivi"), acteur).json()["evenements"]
        assert suivi, acteur
        assert {e["structure_id"] for e in suivi} == {structure}
    # Members of A without a TIC habilitation, and every agent, see no demande at all.
    for acteur in (
        SANS_HABILITATION,
        SERVICE_PSY,
        JETON_CONSULTATION,
        JETON_MODIFICATION,
        *AGENTS,
    ):
        assert _total(w, acteur, "/tic/demandes") == 0, acteur
        assert envoyer(w, Requete("GET", "/tableau-de-bord/tic"), acteur).json() == [], acteur
        suivi = envoyer(w, Requete("GET", "/tic/suivi"), acteur).json()
        assert suivi == {"evenements": []}, acteur

    transmises = sorted(
        d.id for d in (*w.tic_a.tous(), *w.tic_b.tous()) if d.certificat is not None
    )
    assert len(transmises) == 3
    page = envoyer(
        w, Requete("GET", "/traitement/tic/demandes", params={"par_page": "500"}), INSTRUCTEUR
    ).json()
    assert sorted(e["id"] for e in page["elements"]) == transmises
    assert page["total"] == len(transmises)
    assert _total_csv(w, INSTRUCTEUR, "/traitement/tic/demandes") == len(transmises)
    tableau = envoyer(w, Requete("GET", "/traitement/tic/tableau-de-bord"), INSTRUCTEUR).json()
    assert tableau["total"] == len(transmises)
    assert tableau["statuts"]["BROUILLON"] == 0


# -- API tokens ----------------------------------------------------------------------------


def test_un_jeton_de_consultation_lit_a_et_rien_d_autre(w: MondeAcces) -> None:
    """A's consultation token lists every mémoire of A (and only them), reads one, is
    refused every write (403) and B's objects (404), and cannot manage the structure."""
    tous_a = w.memoires_a.tous()
    page = envoyer(w, Requete("GET", "/memoires", params={"par_page": "500"}), JETON_CONSULTATION)
    assert sorted(e["id"] for e in page.json()["elements"]) == sorted(m.id for m in tous_a)
    assert {e["structure_id"] for e in page.json()["elements"]} == {w.a.id}
    assert envoyer(w, Requete("GET", _m(w)), JETON_CONSULTATION).status_code == 200

    avant = w.etat()
    refus = {
        "écrire un mémoire": Requete("PATCH", _m(w), json={"commentaire": "Par jeton"}),
        "envoyer": Requete("POST", f"{_m(w)}/envoi", json={"attestation_sur_honneur": True}),
        "créer un mémoire": Requete("POST", "/memoires", json=_corps_memoire(w)),
        "créer un jeton": Requete(
            "POST",
            f"{_s(w)}/jetons-api",
            json={"libelle": "Bis", "profil": "MODIFICATION", "expire_le": "2024-07-01T00:00:00Z"},
        ),
        "lister les jetons": Requete("GET", f"{_s(w)}/jetons-api"),
        "s'habiliter en modification": Requete(
            "POST",
            f"{_s(w)}/habilitations",
            json={
                "utilisateur_id": envoyer(w, Requete("GET", "/moi"), JETON_CONSULTATION).json()[
                    "id"
                ],
                "application": "FRAIS_DE_JUSTICE",
                "profil": "MODIFICATION",
            },
        ),
        "modifier la structure": Requete("PATCH", _s(w), json={"raison_sociale": "Jeton"}),
        "créer une structure": Requete("POST", "/structures", json=CORPS_STRUCTURE),
        "rejoindre B": Requete("POST", f"/structures/{w.b.id}/rattachements"),
    }
    for nom, requete in refus.items():
        reponse = envoyer(w, requete, JETON_CONSULTATION)
        assert reponse.status_code == 403, (nom, reponse.text)
    assert (
        envoyer(
            w, Requete("GET", f"/memoires/{w.memoires_b.brouillon.id}"), JETON_CONSULTATION
        ).status_code
        == 404
    )
    assert w.etat() == avant


def test_un_jeton_revoque_ou_perime_ne_donne_plus_acces(w: MondeAcces) -> None:
    assert envoyer(w, Requete("GET", _m(w)), JETON_CONSULTATION).status_code == 200
    revocation = envoyer(
        w,
        Requete("DELETE", f"{_s(w)}/jetons-api/{w.jeton_api_consultation_id}"),
        GESTIONNAIRE,
    )
    assert revocation.status_code == 204, revocation.text
    for requete in (Requete("GET", _m(w)), Requete("GET", "/memoires"), Requete("GET", "/moi")):
        reponse = envoyer(w, requete, JETON_CONSULTATION)
        aides.exiger_probleme(reponse, 401)
    # The other token is untouched.
    assert envoyer(w, Requete("GET", _m(w)), JETON_MODIFICATION).status_code == 200


# -- credentials that are not (or no longer) valid ----------------------------------------

ECHANTILLON_PROTEGE = (
    ("GET", "/moi"),
    ("GET", "/memoires"),
    ("GET", "/structures"),
    ("GET", "/traitement/memoires"),
    ("POST", "/memoires"),
)


@pytest.mark.parametrize(
    "autorisation",
    [
        pytest.param("Bearer inconnu", id="jeton inconnu"),
        pytest.param("Basic Z2VzdGlvbm5haXJlOm1kcA==", id="schéma Basic"),
        pytest.param("Bearer", id="Bearer sans jeton"),
        pytest.param("Bearer " + "x" * 600, id="jeton démesuré"),
    ],
)
def test_une_autorisation_invalide_vaut_anonyme(w: MondeAcces, autorisation: str) -> None:
    avant = w.etat()
    for methode, chemin in ECHANTILLON_PROTEGE:
        reponse = w.client.request(methode, chemin, headers={"Authorization": autorisation})
        aides.exiger_probleme(reponse, 401)
    assert w.etat() == avant


def test_une_session_fermee_ou_expiree_ne_donne_plus_acces(w: MondeAcces) -> None:
    horloge = w.services.horloge
    debut = horloge.maintenant()
    try:
        horloge.avancer(timedelta(hours=8))
        for acteur in (GESTIONNAIRE, AGENT):
            aides.exiger_probleme(envoyer(w, Requete("GET", "/moi"), acteur), 401)
        # An API token lives until its own expiry (30 days here), not a session's 8 hours.
        assert envoyer(w, Requete("GET", "/moi"), JETON_CONSULTATION).status_code == 200
        horloge.avancer(timedelta(days=30))
        aides.exiger_probleme(envoyer(w, Requete("GET", "/moi"), JETON_CONSULTATION), 401)
    finally:
        horloge.regler(debut)
    assert envoyer(w, Requete("DELETE", "/sessions/courante"), GESTIONNAIRE).status_code == 204
    aides.exiger_probleme(envoyer(w, Requete("GET", _m(w)), GESTIONNAIRE), 401)
    assert envoyer(w, Requete("GET", _m(w)), MODIFICATEUR).status_code == 200
