"""Every error answer is a problem (RFC 9457, ``application/problem+json``) in French.

- `DomainError` subclasses map to one status each (`STATUTS`), their `champ`/`erreurs` to
  ``errors: [{champ, message}]``.
- Litestar's own refusals (body validation by msgspec, unknown route, wrong method, body too
  large, too many requests, malformed JSON or multipart) are reworded in French here, the
  field named from msgspec's path (``$.lignes[0].quantite`` → ``lignes[0].quantite``).
- `RequeteInvalide` is what the adapter itself raises for a malformed request part the domain
  never sees (an ``If-Match`` header, a wrong ``Content-Type``…).
- Anything else is a bug: logged with its traceback, answered 500 with a generic message.

Routes declare what they may answer with ``responses=reponses(NonTrouve, AccesRefuse, …)``;
`chorus.adapters.web.openapi` adds what every route of a kind may answer (400, 401, 413, 415,
429, 500).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import FrameType
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.exceptions import (
    ClientException,
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from chorus.adapters.web.schemas.communs import ErreurChamp, Probleme
from chorus.domain.errors import (
    AccesRefuse,
    CompteVerrouille,
    Conflit,
    ConflitDeVersion,
    DomainError,
    EmpreinteAlteree,
    FichierTropVolumineux,
    FormatNonAccepte,
    JetonPerime,
    NonAuthentifie,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)

journal = logging.getLogger("chorus.web")

MEDIA_PROBLEME = "application/problem+json"

CORPS = "corps"
"""How `errors[].champ` names the request body as a whole (a malformed or empty body)."""


class RequeteInvalide(ClientException):
    """A request part the adapter reads itself is malformed (400), e.g. ``If-Match``."""

    def __init__(self, message: str, *, champ: str | None = None, statut: int = 400) -> None:
        super().__init__(detail=message, status_code=statut)
        self.message = message
        self.champ = champ


# -- kinds of problem ---------------------------------------------------------------------


class Genre(msgspec.Struct, frozen=True):
    statut: int
    type: str
    titre: str


def _genre(statut: int, nom: str, titre: str) -> Genre:
    return Genre(statut, f"urn:chorus:probleme:{nom}", titre)


REQUETE_INVALIDE = _genre(400, "requete-invalide", "Requête invalide")
NON_AUTHENTIFIE = _genre(401, "non-authentifie", "Authentification requise")
ACCES_REFUSE = _genre(403, "acces-refuse", "Accès refusé")
NON_TROUVE = _genre(404, "non-trouve", "Ressource introuvable")
METHODE_NON_PERMISE = _genre(405, "methode-non-permise", "Méthode non permise")
NON_ACCEPTABLE = _genre(406, "non-acceptable", "Format de réponse non disponible")
TRANSITION_INVALIDE = _genre(409, "transition-invalide", "Action impossible dans cet état")
CONFLIT = _genre(409, "conflit", "Conflit avec les données enregistrées")
CONFLIT_DE_VERSION = _genre(409, "conflit-de-version", "Version périmée")
EMPREINTE_ALTEREE = _genre(409, "empreinte-alteree", "Empreinte non confirmée")
LIEN_PERIME = _genre(410, "lien-perime", "Lien périmé")
TROP_VOLUMINEUX = _genre(413, "trop-volumineux", "Contenu trop volumineux")
FORMAT_NON_ACCEPTE = _genre(415, "format-non-accepte", "Format non accepté")
DONNEES_INVALIDES = _genre(422, "donnees-invalides", "Données invalides")
COMPTE_VERROUILLE = _genre(423, "compte-verrouille", "Compte verrouillé")
TROP_DE_REQUETES = _genre(429, "trop-de-requetes", "Trop de requêtes")
ERREUR_INTERNE = _genre(500, "erreur-interne", "Erreur interne")

# Most specific first: `genre_de` takes the first class the error is an instance of.
GENRES_DU_DOMAINE: tuple[tuple[type[DomainError], Genre], ...] = (
    (FichierTropVolumineux, TROP_VOLUMINEUX),
    (FormatNonAccepte, FORMAT_NON_ACCEPTE),
    (ValidationError, DONNEES_INVALIDES),
    (AccesRefuse, ACCES_REFUSE),
    (NonTrouve, NON_TROUVE),
    (TransitionInvalide, TRANSITION_INVALIDE),
    (ConflitDeVersion, CONFLIT_DE_VERSION),
    (EmpreinteAlteree, EMPREINTE_ALTEREE),
    (Conflit, CONFLIT),
    (NonAuthentifie, NON_AUTHENTIFIE),
    (CompteVerrouille, COMPTE_VERROUILLE),
    (JetonPerime, LIEN_PERIME),
)

GENRES_PAR_STATUT: dict[int, Genre] = {
    400: REQUETE_INVALIDE,
    401: NON_AUTHENTIFIE,
    403: ACCES_REFUSE,
    404: NON_TROUVE,
    405: METHODE_NON_PERMISE,
    406: NON_ACCEPTABLE,
    409: CONFLIT,
    410: LIEN_PERIME,
    413: TROP_VOLUMINEUX,
    415: FORMAT_NON_ACCEPTE,
    422: DONNEES_INVALIDES,
    423: COMPTE_VERROUILLE,
    429: TROP_DE_REQUETES,
    500: ERREUR_INTERNE,
}

DESCRIPTIONS: dict[int, str] = {
    400: "Requête mal formée (JSON invalide, type incorrect, champ inconnu ou manquant).",
    401: "Authentification absente, invalide ou expirée.",
    403: "Habilitation insuffisante.",
    404: "Ressource introuvable (ou appartenant à une autre structure).",
    405: "Méthode non permise sur cette ressource.",
    406: "Format de réponse demandé (Accept) non disponible.",
    409: "Conflit : état ou version de l'objet incompatible avec l'action.",
    410: "Lien expiré ou déjà utilisé.",
    413: "Requête ou fichier trop volumineux.",
    415: "Type de contenu non accepté.",
    422: "Données refusées par les règles de gestion.",
    423: "Compte verrouillé après des échecs de connexion.",
    429: "Trop de requêtes : réessayez plus tard.",
    500: "Erreur interne.",
}


def genre_de(erreur: DomainError) -> Genre:
    for classe, genre in GENRES_DU_DOMAINE:
        if isinstance(erreur, classe):
            return genre
    return DONNEES_INVALIDES


def statut_de(classe: type[DomainError] | int) -> int:
    if isinstance(classe, int):
        return classe
    for connue, genre in GENRES_DU_DOMAINE:
        if issubclass(classe, connue):
            return genre.statut
    return DONNEES_INVALIDES.statut


def reponses(*erreurs: type[DomainError] | int) -> dict[int, ResponseSpec]:
    """The OpenAPI answers of a route's refusals: ``responses=reponses(NonTrouve, 409)``."""
    return {
        statut: ResponseSpec(
            data_container=Probleme,
            media_type=MEDIA_PROBLEME,
            description=DESCRIPTIONS.get(statut, "Erreur."),
            generate_examples=False,
        )
        for statut in sorted({statut_de(e) for e in erreurs})
    }


# -- building answers ---------------------------------------------------------------------


def reponse_probleme(
    genre: Genre,
    detail: str,
    erreurs: Iterable[ErreurChamp] = (),
    *,
    entetes: Mapping[str, str] | None = None,
    statut: int | None = None,
) -> Response[bytes]:
    liste = list(erreurs)
    probleme = Probleme(
        type=genre.type,
        title=genre.titre,
        status=statut or genre.statut,
        detail=detail,
        errors=liste or None,
    )
    return Response(
        content=msgspec.json.encode(probleme),
        status_code=statut or genre.statut,
        media_type=MEDIA_PROBLEME,
        headers=dict(entetes or {}),
    )


def _secondes_restantes(request: Request[Any, Any, Any], jusqu_au: datetime) -> int:
    services = request.app.state.get("services")
    if services is None:
        return 3600
    maintenant: datetime = services.clock.maintenant()
    return max(1, math.ceil((jusqu_au - maintenant).total_seconds()))


def traiter_erreur_du_domaine(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    assert isinstance(exc, DomainError)
    genre = genre_de(exc)
    erreurs = [ErreurChamp(champ=e.champ, message=e.message) for e in exc.erreurs]
    entetes: dict[str, str] = {}
    if isinstance(exc, NonAuthentifie):
        entetes["WWW-Authenticate"] = 'Bearer realm="chorus"'
    if isinstance(exc, CompteVerrouille):
        entetes["Retry-After"] = str(_secondes_restantes(request, exc.jusqu_au))
    return reponse_probleme(genre, exc.message, erreurs, entetes=entetes)


# -- Litestar's own refusals ----------------------------------------------------------------

_TYPES = {
    "str": "un texte",
    "int": "un entier",
    "float": "un nombre",
    "bool": "un booléen (true ou false)",
    "object": "un objet",
    "array": "une liste",
    "null": "null",
    "date": "une date (AAAA-MM-JJ)",
    "datetime": "un instant ISO 8601 avec décalage",
    "time": "une heure",
    "uuid": "un identifiant UUID",
    "decimal": "un nombre décimal",
    "bytes": "des octets (base64)",
}

_ATTENDU = re.compile(r"^Expected `(?P<attendu>[^`]+)`, got `(?P<recu>[^`]+)`$")
_BORNE = re.compile(
    r"^Expected `(?P<type>[^`]+)`(?P<longueur> of length)? (?P<op>[<>]=?) (?P<n>\S+)$"
)
_MANQUANT = re.compile(r"^Object missing required field `(?P<champ>[^`]+)`$")
_INCONNU = re.compile(r"^Object contains unknown field `(?P<champ>[^`]+)`$")
_ENUM = re.compile(r"^Invalid enum value (?P<valeur>.+)$")
_PARAMETRE_MANQUANT = re.compile(
    r"^Missing required (?P<source>\w+) parameter '(?P<champ>[^']+)' for path"
)
_LIEU = re.compile(r"^(?P<message>.*) - at `\$(?P<chemin>[^`]*)`$")


def _type_lisible(nom: str) -> str:
    morceaux = [m.strip() for m in nom.split("|")]
    return " ou ".join(_TYPES.get(m, f"« {m} »") for m in morceaux)


def traduire_message(message: str) -> tuple[str, str | None]:
    """msgspec's English message in French, and the field it names itself, if any."""
    if m := _ATTENDU.match(message):
        return (
            f"Type incorrect : {_type_lisible(m['attendu'])} attendu, "
            f"{_type_lisible(m['recu'])} reçu.",
            None,
        )
    if m := _BORNE.match(message):
        n = m["n"]
        if m["longueur"]:
            quoi = "caractères" if m["type"] == "str" else "éléments"
            borne = "au moins" if m["op"].startswith(">") else "au plus"
            return f"Longueur incorrecte : {borne} {n} {quoi} attendus.", None
        sens = {">=": "supérieure ou égale à", ">": "supérieure à", "<=": "inférieure ou égale à"}
        return f"Valeur incorrecte : {sens.get(m['op'], 'inférieure à')} {n} attendue.", None
    if m := _MANQUANT.match(message):
        return "Champ obligatoire manquant.", m["champ"]
    if m := _INCONNU.match(message):
        return "Champ inconnu : retirez-le de la requête.", m["champ"]
    if m := _ENUM.match(message):
        valeur = m["valeur"]
        if len(valeur) >= 2 and valeur[0] == valeur[-1] and valeur[0] in "'\"":
            valeur = valeur[1:-1]
        return f"Valeur « {valeur} » non reconnue.", None
    if m := _PARAMETRE_MANQUANT.match(message):
        return "Paramètre obligatoire manquant.", m["champ"]
    if message == "Invalid RFC3339 encoded date":
        return "Date invalide : le format attendu est AAAA-MM-JJ.", None
    if message == "Invalid RFC3339 encoded datetime":
        return "Instant invalide : le format attendu est ISO 8601 avec décalage.", None
    if message == "Invalid RFC3339 encoded time":
        return "Heure invalide.", None
    if message.startswith("Invalid decimal"):
        return "Nombre décimal invalide.", None
    if message.startswith("Invalid UUID"):
        return "Identifiant UUID invalide.", None
    if message.startswith("Invalid base64"):
        return "Contenu base64 invalide.", None
    if message.startswith("Integer value out of range"):
        return "Entier hors des bornes acceptées.", None
    if message == "Unsupported type: <class 'str'>":
        # The one custom type of our bodies: a form part sent without a file name.
        return "Un fichier est attendu (une partie du formulaire avec son nom de fichier).", None
    if message == "Number out of range":
        return "Nombre hors des bornes acceptées.", None
    return "Valeur invalide.", None


def _erreur_de_validation(brute: Mapping[str, Any]) -> ErreurChamp:
    message = str(brute.get("message", ""))
    cle = str(brute.get("key") or "")
    source = getattr(brute.get("source"), "value", brute.get("source"))
    # msgspec appends « - at `$.a.b` » when Litestar could not split the path off itself.
    if m := _LIEU.match(message):
        message = m["message"]
        chemin = m["chemin"].lstrip(".")
        if chemin:
            cle = chemin if cle in ("", "data") else f"{cle}.{chemin}"
    if source == "body" and message == "'data'":
        return ErreurChamp(CORPS, "Le corps de la requête est vide : un objet JSON est attendu.")
    texte, nomme = traduire_message(message)
    if cle in ("", "data"):
        champ = nomme or CORPS
    elif nomme:
        champ = f"{cle}.{nomme}"
    else:
        champ = cle
    if champ == CORPS and nomme is None and message.startswith("Expected `object`"):
        texte = f"Le corps de la requête doit être un objet JSON. {texte}"
    return ErreurChamp(champ, texte)


def _traiter_validation(exc: ValidationException) -> Response[bytes]:
    brutes = exc.extra if isinstance(exc.extra, list) else []
    erreurs = [_erreur_de_validation(b) for b in brutes if isinstance(b, Mapping)]
    detail_anglais = str(exc.detail or "")
    if not erreurs and (m := _PARAMETRE_MANQUANT.match(detail_anglais)):
        genre = {"query": "Paramètre", "header": "En-tête", "cookie": "Cookie"}.get(
            m["source"], "Paramètre"
        )
        erreurs = [ErreurChamp(m["champ"], f"{genre} obligatoire manquant.")]
    if not erreurs and detail_anglais.startswith("multipart boundary missing"):
        erreurs = [ErreurChamp("Content-Type", "La frontière (boundary) multipart est absente.")]
    if not erreurs:
        erreurs = [ErreurChamp(CORPS, "Requête invalide.")]
    if len(erreurs) == 1:
        detail = f"Le champ « {erreurs[0].champ} » est invalide : {erreurs[0].message}"
        if erreurs[0].champ == CORPS:
            detail = erreurs[0].message
    else:
        detail = "Plusieurs champs sont invalides : " + ", ".join(f"« {e.champ} »" for e in erreurs)
    return reponse_probleme(REQUETE_INVALIDE, detail, erreurs)


def _traiter_client(exc: HTTPException) -> Response[bytes] | None:
    """French wording of Litestar's 400 ClientExceptions, or None when not recognised."""
    detail = str(exc.detail or "")
    if detail.startswith("JSON is malformed") or detail == "Input data was truncated":
        message = "Le corps de la requête n'est pas un JSON valide."
        return reponse_probleme(REQUETE_INVALIDE, message, [ErreurChamp(CORPS, message)])
    if "multipart/form-data" in detail:
        message = "Le corps multipart/form-data est mal formé."
        return reponse_probleme(REQUETE_INVALIDE, message, [ErreurChamp(CORPS, message)])
    if detail == "Request Entity Too Large":
        # The multipart parser's part-count limit: Litestar 2 still answers it as a 400.
        return reponse_probleme(
            TROP_VOLUMINEUX, "Le formulaire compte trop de parties.", statut=413
        )
    if detail.startswith("Invalid content-length"):
        return reponse_probleme(REQUETE_INVALIDE, "L'en-tête Content-Length est invalide.")
    return None


def _methodes(entetes: Mapping[str, str]) -> str:
    for cle, valeur in entetes.items():
        if cle.lower() == "allow":
            return valeur
    return ""


def traiter_erreur_http(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    assert isinstance(exc, HTTPException)
    entetes = dict(exc.headers or {})
    if isinstance(exc, RequeteInvalide):
        genre = GENRES_PAR_STATUT.get(exc.status_code, REQUETE_INVALIDE)
        erreurs = [ErreurChamp(exc.champ, exc.message)] if exc.champ else []
        return reponse_probleme(genre, exc.message, erreurs, entetes=entetes)
    if isinstance(exc, ValidationException):
        return _traiter_validation(exc)
    if isinstance(exc, NotFoundException):
        return reponse_probleme(
            NON_TROUVE, f"Aucune ressource à l'adresse {request.url.path}.", entetes=entetes
        )
    if isinstance(exc, MethodNotAllowedException):
        # In a stable order, as OPTIONS answers them.
        permises = ", ".join(sorted({m.strip() for m in _methodes(entetes).split(",")} - {""}))
        entetes = {cle: valeur for cle, valeur in entetes.items() if cle.lower() != "allow"}
        if permises:
            entetes["Allow"] = permises
        suite = f" ; méthodes permises : {permises}" if permises else ""
        return reponse_probleme(
            METHODE_NON_PERMISE,
            f"La méthode {request.method} n'est pas permise sur {request.url.path}{suite}.",
            entetes=entetes,
        )
    if isinstance(exc, TooManyRequestsException):
        reset = next((v for k, v in entetes.items() if k.lower() == "ratelimit-reset"), None)
        if reset is not None:
            entetes["Retry-After"] = reset
        return reponse_probleme(
            TROP_DE_REQUETES,
            "Trop de requêtes depuis votre adresse : patientez avant de réessayer.",
            entetes=entetes,
        )
    statut = exc.status_code
    if statut == 413:
        return reponse_probleme(
            TROP_VOLUMINEUX,
            "Le corps de la requête dépasse la taille maximale acceptée.",
            [ErreurChamp(CORPS, "Corps de requête trop volumineux.")],
            entetes=entetes,
        )
    if statut == 400 and (reponse := _traiter_client(exc)) is not None:
        return reponse
    if statut >= HTTP_500_INTERNAL_SERVER_ERROR:
        return traiter_erreur_inattendue(request, exc)
    genre = GENRES_PAR_STATUT.get(statut, REQUETE_INVALIDE)
    return reponse_probleme(genre, DESCRIPTIONS.get(statut, "Requête refusée."), statut=statut)


_PARSEUR_MULTIPART = "litestar/_multipart.py"


def _cadre_leveur(exc: BaseException) -> FrameType | None:
    """The innermost Python frame `exc` was raised in."""
    trace = exc.__traceback__
    cadre = None
    while trace is not None:
        cadre = trace.tb_frame
        trace = trace.tb_next
    return cadre


def _fermer_les_fichiers_recus(cadre: FrameType) -> None:
    """Close the files the multipart parser had already received when it gave up: it only
    closes them itself on the errors it expects (each holds a temporary file)."""
    recus = cadre.f_locals.get("fields") or {}
    valeurs = [v for liste in recus.values() for v in liste] + [cadre.f_locals.get("data")]
    for valeur in valeurs:
        if isinstance(valeur, UploadFile):
            valeur.file.close()


def traiter_erreur_inattendue(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    cadre = _cadre_leveur(exc)
    lecture_du_formulaire = cadre is not None and cadre.f_code.co_filename.replace(
        "\\", "/"
    ).endswith(_PARSEUR_MULTIPART)
    if isinstance(exc, UnicodeDecodeError | LookupError) and lecture_du_formulaire:
        # Litestar decodes each text part of a form with the part's charset (UTF-8 by
        # default) and lets the error through: bytes that do not decode, or an unknown
        # charset, are the client's doing.
        assert cadre is not None
        _fermer_les_fichiers_recus(cadre)
        message = (
            "Le formulaire multipart/form-data contient un champ texte illisible (UTF-8 attendu)."
        )
        return reponse_probleme(REQUETE_INVALIDE, message, [ErreurChamp(CORPS, message)])
    journal.error("Erreur inattendue sur %s %s", request.method, request.url.path, exc_info=exc)
    return reponse_probleme(
        ERREUR_INTERNE,
        "Une erreur interne est survenue ; elle a été consignée. Réessayez plus tard ou "
        "contactez le support.",
    )


def traiter_recursion(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    # msgspec's decoder raises RecursionError on absurdly nested JSON (``[[[[…``): a client's
    # doing, not a bug; logged all the same in case one of ours ever recurses too deep.
    journal.warning("Récursion trop profonde sur %s %s", request.method, request.url.path)
    message = "Le corps de la requête est trop profondément imbriqué."
    return reponse_probleme(REQUETE_INVALIDE, message, [ErreurChamp(CORPS, message)])


GESTIONNAIRES_D_ERREURS: ExceptionHandlersMap = {
    DomainError: traiter_erreur_du_domaine,
    HTTPException: traiter_erreur_http,
    RecursionError: traiter_recursion,
    Exception: traiter_erreur_inattendue,
}


def champs_en_erreur(reponse: Mapping[str, Any]) -> Sequence[str]:
    """The `champ` of each error of a problem body (tests and clients)."""
    return [e["champ"] for e in reponse.get("errors") or ()]
