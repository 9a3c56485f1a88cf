"""Malformed or refused requests on the support tickets' routes, table-driven: each gets a
4xx problem in French naming the field at fault, and the store is exactly as it was (every
stored record, the blobs the request carried, the number of tickets, what the API shows).

Statuses follow the adapter's conventions: a body or parameter of the wrong shape or type
is 400, a value the rules refuse 422, a ticket or numéro d'objet the caller may not see
404, a user of the portal on the back office's routes 403, an action the status forbids or
a stale version 409, a file of the wrong type 415.

One world is built for the module and rewound before each case: the cabinet of the mémoires
tests with a mémoire sent, a support agent, and three tickets — one OUVERT, one waiting for
the answer to a solution, one closed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import httpx
import pytest
from litestar.testing import TestClient

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.storage.memory import BlobsEnMemoire, MemoireVive, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.adapters.web import ReglagesWeb, creer_app
from chorus.bootstrap import assembler
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import RenduSommaire
from tests.web import aides
from tests.web.aides_tickets import Guichet, Json, monter_guichet
from tests.web.conftest import BASE_URL, MAINTENANT, Banc, services_web
from tests.web.entrees_cas import multipart

# -- the world ----------------------------------------------------------------------------


@attrs.frozen
class Ref:
    """An id of the world (``Ref("autre_structure")``), inside a body."""

    nom: str


class _Rien:
    def __repr__(self) -> str:
        return "RIEN"


RIEN: Any = _Rien()


@attrs.frozen
class MondeTickets:
    guichet: Guichet
    vive: MemoireVive
    origine: Any
    ids: Mapping[str, str]

    @property
    def client(self) -> aides.Client:
        return self.guichet.client

    def entetes(self, qui: str | None) -> aides.Entetes:
        if qui is None:
            return {}
        if qui == "support":
            return self.guichet.support
        entetes: aides.Entetes = getattr(self.guichet.cabinet, qui)
        return entetes

    def remettre(self) -> MondeTickets:
        self.vive.etat = self.origine.copie()
        return self


def _monter(banc: Banc, vive: MemoireVive) -> MondeTickets:
    g = monter_guichet(banc)
    memoire = g.cabinet.envoye()
    ouvert = g.ouvrir()
    solution = g.ouvrir(resume="Solution en attente")
    g.agir(g.support, f"/support/tickets/{solution['numero']}/solution", {"texte": "Essayez."})
    clos = g.ouvrir(resume="Ticket clos")
    g.agir(g.cabinet.gestionnaire, f"/tickets/{clos['numero']}/cloture")
    autre = banc.chorus.structures.mes_structures(banc.id_de("etranger@exemple.fr"))[0]
    ids = {
        "structure": g.cabinet.structure.id,
        "autre_structure": autre.id,
        "memoire": memoire["numero"],
        "ouvert": ouvert["numero"],
        "solution": solution["numero"],
        "clos": clos["numero"],
    }
    return MondeTickets(guichet=g, vive=vive, origine=vive.etat.copie(), ids=ids)


@pytest.fixture(scope="module")
def monde_module() -> Iterator[MondeTickets]:
    horloge = HorlogeFixe(MAINTENANT)
    vive = MemoireVive()
    chorus = assembler(
        Ports(
            uow=UniteDeTravailEnMemoire(vive),
            clock=horloge,
            ids=IdsSequentiels(),
            blobs=BlobsEnMemoire(),
            referentiels=ReferentielsDuPaquet(),
            bareme_tic=BaremeTicDuPaquet(),
            documents=RenduSommaire(),
        ),
        reglages=ReglagesComptes(captcha_actif=False),
        hacheur=HacheurArgon2id(memoire_kib=64, passes=1),
    )
    application = creer_app(
        services_web(chorus), ReglagesWeb(captcha_desactive=True, limite_active=False)
    )
    application.state["chorus_de_test"] = chorus
    with TestClient(application, base_url=BASE_URL) as client:
        yield _monter(Banc(client, chorus, horloge), vive)


@pytest.fixture
def monde(monde_module: MondeTickets) -> MondeTickets:
    return monde_module.remettre()


def instantane(monde: MondeTickets, contenus: list[bytes]) -> dict[str, Any]:
    """Every stored record, whether each of `contenus` sits in the blob store, and what the
    API shows of the tickets."""
    etat = monde.vive.etat
    vue: dict[str, Any] = {
        champ.name: dict(getattr(etat, champ.name)) for champ in attrs.fields(type(etat))
    }
    blobs = monde.guichet.banc.chorus.ports.blobs
    vue["blobs"] = [blobs.existe(hashlib.sha256(c).hexdigest()) for c in contenus]
    vue["nombre"] = monde.guichet.nombre_de_tickets()
    g = monde.guichet.cabinet.gestionnaire
    for nom in ("ouvert", "solution", "clos"):
        vue[f"api.{nom}"] = monde.client.get(f"/tickets/{monde.ids[nom]}", headers=g).json()
    return vue


# -- the table ----------------------------------------------------------------------------


@attrs.frozen
class Cas:
    id: str
    methode: str
    chemin: str
    """Relative to ``/api/v1``; ``{ouvert}``, ``{solution}``… are the world's ids."""
    statut: int
    champ: str | None
    corps: Any = RIEN
    qui: str | None = "gestionnaire"
    fichier: tuple[str, bytes, str] | None = None
    formulaire: Mapping[str, str] | None = None
    entetes: Mapping[str, str] = attrs.field(factory=dict)
    brut: bytes | None = None
    type_contenu: str | None = None

    def contenus(self) -> list[bytes]:
        return [] if self.fichier is None else [self.fichier[1]]


def _resoudre(valeur: Any, ids: Mapping[str, str]) -> Any:
    if isinstance(valeur, Ref):
        return ids[valeur.nom]
    if isinstance(valeur, dict):
        return {cle: _resoudre(v, ids) for cle, v in valeur.items()}
    return valeur


def envoyer(monde: MondeTickets, cas: Cas) -> httpx.Response:
    entetes = dict(monde.entetes(cas.qui)) | dict(cas.entetes)
    chemin = cas.chemin.format(**monde.ids)
    if cas.fichier is not None or cas.formulaire is not None:
        fichiers = {"fichier": cas.fichier} if cas.fichier is not None else None
        return monde.client.request(
            cas.methode, chemin, headers=entetes, files=fichiers, data=dict(cas.formulaire or {})
        )
    contenu: bytes | None = cas.brut
    if cas.corps is not RIEN:
        contenu = json.dumps(_resoudre(cas.corps, monde.ids)).encode()
        entetes.setdefault("Content-Type", "application/json")
    if cas.type_contenu is not None:
        entetes["Content-Type"] = cas.type_contenu
    return monde.client.request(cas.methode, chemin, headers=entetes, content=contenu)


def ticket(**ch: Any) -> Json:
    corps: Json = {
        "categorie": "AUTRE",
        "sous_categorie": "A_QUESTION",
        "structure_id": Ref("structure"),
        "resume": "Une question",
        "description": "Le détail de la question.",
    } | ch
    return {k: v for k, v in corps.items() if v is not RIEN}


def suivi(**ch: Any) -> Json:
    return ticket(categorie="MEMOIRE", sous_categorie="M_SUIVI", **ch)


P, G = "POST", "GET"
T = "/tickets"
LONG = "x" * 4001
FORMULAIRE_SANS_FICHIER, TYPE_FORMULAIRE = multipart({"designation": "X"})
PDF = ("note.pdf", aides.PDF + b"ticket", "application/pdf")

CAS: list[Cas] = [
    # opening a ticket
    Cas("categorie-inconnue", P, T, 422, "categorie", ticket(categorie="FACTURES")),
    Cas("sous-categorie-inconnue", P, T, 422, "sous_categorie", ticket(sous_categorie="Z")),
    Cas(
        "sous-categorie-d-une-autre-categorie",
        P,
        T,
        422,
        "sous_categorie",
        ticket(categorie="TIC"),
    ),
    Cas("categorie-absente", P, T, 400, "categorie", ticket(categorie=RIEN)),
    Cas("resume-vide", P, T, 422, "resume", ticket(resume="  ")),
    Cas("resume-trop-long", P, T, 422, "resume", ticket(resume="r" * 101)),
    Cas("resume-nombre", P, T, 400, "resume", ticket(resume=12)),
    Cas("description-absente", P, T, 400, "description", ticket(description=RIEN)),
    Cas("description-trop-longue", P, T, 422, "description", ticket(description=LONG)),
    Cas("telephone-invalide", P, T, 422, "telephone", ticket(telephone="12 34")),
    Cas("type-objet-inconnu", P, T, 422, "type_objet", ticket(type_objet="FACTURE")),
    Cas(
        "type-objet-d-une-autre-sous-categorie",
        P,
        T,
        422,
        "type_objet",
        suivi(type_objet="DEMANDE_TIC", numero_objet=Ref("memoire")),
    ),
    Cas("numero-objet-manquant", P, T, 422, "numero_objet", suivi()),
    Cas(
        "numero-objet-sans-objet",
        P,
        T,
        422,
        "numero_objet",
        ticket(numero_objet=Ref("memoire")),
    ),
    Cas("numero-objet-inconnu", P, T, 404, "numero_objet", suivi(numero_objet="MJ00000000")),
    Cas(
        "numero-objet-autre-structure",
        P,
        T,
        404,
        "numero_objet",
        suivi(numero_objet=Ref("memoire"), structure_id=Ref("autre_structure")),
        qui="etranger",
    ),
    Cas(
        "structure-d-un-autre",
        P,
        T,
        404,
        None,
        ticket(structure_id=Ref("autre_structure")),
    ),
    Cas("champ-inconnu", P, T, 400, "priorite", ticket(priorite="HAUTE")),
    Cas("corps-pas-json", P, T, 400, "corps", brut=b"{", type_contenu="application/json"),
    Cas("corps-en-texte", P, T, 415, "Content-Type", brut=b"x", type_contenu="text/plain"),
    Cas("anonyme", P, T, 401, None, ticket(), qui=None),
    # the user's answers
    Cas("commentaire-vide", P, "/tickets/{ouvert}/commentaires", 422, "texte", {"texte": " "}),
    Cas("commentaire-absent", P, "/tickets/{ouvert}/commentaires", 400, "texte", {}),
    Cas(
        "commentaire-trop-long", P, "/tickets/{ouvert}/commentaires", 422, "texte", {"texte": LONG}
    ),
    Cas("commentaire-clos", P, "/tickets/{clos}/commentaires", 409, None, {"texte": "Et ?"}),
    Cas(
        "refus-sans-commentaire",
        P,
        "/tickets/{solution}/refus-solution",
        422,
        "commentaire",
        {"commentaire": ""},
    ),
    Cas("refus-corps-absent", P, "/tickets/{solution}/refus-solution", 400, "commentaire", {}),
    Cas(
        "acceptation-commentaire-trop-long",
        P,
        "/tickets/{solution}/acceptation-solution",
        422,
        "commentaire",
        {"commentaire": LONG},
    ),
    Cas("acceptation-sans-solution", P, "/tickets/{ouvert}/acceptation-solution", 409, None),
    Cas(
        "informations-non-demandees",
        P,
        "/tickets/{solution}/informations",
        409,
        None,
        {"texte": "Voici"},
    ),
    Cas("cloture-deja-clos", P, "/tickets/{clos}/cloture", 409, None),
    Cas(
        "version-perimee",
        P,
        "/tickets/{solution}/acceptation-solution",
        409,
        None,
        entetes={"If-Match": '"0"'},
    ),
    Cas(
        "if-match-mal-forme",
        P,
        "/tickets/{ouvert}/cloture",
        400,
        "If-Match",
        entetes={"If-Match": "v1"},
    ),
    Cas("ticket-inconnu", P, "/tickets/CPROCS0000099/cloture", 404, None),
    Cas("ticket-d-un-autre", P, "/tickets/{ouvert}/cloture", 404, None, qui="etranger"),
    # pièces
    Cas(
        "piece-sans-fichier",
        P,
        "/tickets/{ouvert}/pieces-jointes",
        400,
        "fichier",
        brut=FORMULAIRE_SANS_FICHIER,
        type_contenu=TYPE_FORMULAIRE,
    ),
    Cas(
        "piece-champ-inconnu",
        P,
        "/tickets/{ouvert}/pieces-jointes",
        400,
        "type_piece",
        fichier=PDF,
        formulaire={"type_piece": "FACTURE"},
    ),
    Cas(
        "piece-format-refuse",
        P,
        "/tickets/{ouvert}/pieces-jointes",
        415,
        "fichier",
        fichier=("script.sh", b"#!/bin/sh\necho x\n", "text/x-sh"),
    ),
    Cas(
        "piece-en-json",
        P,
        "/tickets/{ouvert}/pieces-jointes",
        415,
        "Content-Type",
        {"fichier": "x"},
    ),
    Cas(
        "piece-designation-trop-longue",
        P,
        "/tickets/{ouvert}/pieces-jointes",
        422,
        "designation",
        fichier=PDF,
        formulaire={"designation": LONG},
    ),
    Cas("piece-ticket-clos", P, "/tickets/{clos}/pieces-jointes", 409, None, fichier=PDF),
    # lists
    Cas("onglet-inconnu", G, "/tickets?onglet=urgent", 422, "onglet"),
    Cas("statut-inconnu", G, "/tickets?statut=PERDU", 422, "statut"),
    Cas("recherche-trop-de-mots", G, "/tickets?q=" + "+".join("abcdefghijklm"), 422, "q"),
    Cas("recherche-trop-longue", G, "/tickets?q=" + "a" * 201, 400, "q"),
    Cas("page-zero", G, "/tickets?page=0", 400, "page"),
    Cas("format-inconnu", G, "/tickets", 406, "Accept", entetes={"Accept": "application/xml"}),
    # the back office
    Cas("file-utilisateur", G, "/support/tickets", 403, None),
    Cas("solution-utilisateur", P, "/support/tickets/{ouvert}/solution", 403, None, {"texte": "X"}),
    Cas(
        "file-destinataire-inconnu",
        G,
        "/support/tickets?destinataire=DGFIP",
        422,
        "destinataire",
        qui="support",
    ),
    Cas(
        "solution-vide",
        P,
        "/support/tickets/{ouvert}/solution",
        422,
        "texte",
        {"texte": ""},
        qui="support",
    ),
    Cas(
        "demande-information-vide",
        P,
        "/support/tickets/{ouvert}/demande-information",
        422,
        "texte",
        {"texte": "\n"},
        qui="support",
    ),
    Cas(
        "demande-information-en-attente",
        P,
        "/support/tickets/{solution}/demande-information",
        409,
        None,
        {"texte": "Précisez"},
        qui="support",
    ),
    Cas(
        "prise-en-charge-commentaire-trop-long",
        P,
        "/support/tickets/{ouvert}/prise-en-charge",
        422,
        "commentaire",
        {"commentaire": LONG},
        qui="support",
    ),
    Cas(
        "prise-en-charge-clos",
        P,
        "/support/tickets/{clos}/prise-en-charge",
        409,
        None,
        qui="support",
    ),
    Cas(
        "ticket-hors-perimetre",
        P,
        "/support/tickets/{ouvert}/solution",
        404,
        None,
        {"texte": "X"},
        qui="comptable",
    ),
    Cas(
        "solution-version-perimee",
        P,
        "/support/tickets/{ouvert}/solution",
        409,
        None,
        {"texte": "X"},
        qui="support",
        entetes={"If-Match": '"5"'},
    ),
]


def test_la_table_compte_des_cas_aux_noms_uniques() -> None:
    assert len(CAS) >= 50
    noms = [c.id for c in CAS]
    assert len(noms) == len(set(noms))


def test_le_monde_est_celui_annonce(monde: MondeTickets) -> None:
    g = monde.guichet.cabinet.gestionnaire

    def lire(nom: str) -> Json:
        corps: Json = monde.client.get(f"/tickets/{monde.ids[nom]}", headers=g).json()
        return corps

    assert lire("ouvert")["statut"] == "OUVERT"
    assert (lire("solution")["statut"], lire("solution")["attente"]) == (
        "ACTION_REQUISE",
        "SOLUTION",
    )
    assert lire("clos")["statut"] == "CLOS"
    assert monde.guichet.nombre_de_tickets() == 3


def test_l_instantane_voit_un_changement(monde: MondeTickets) -> None:
    avant = instantane(monde, [])
    monde.guichet.ouvrir()
    assert instantane(monde, [])["nombre"] == avant["nombre"] + 1


@pytest.mark.parametrize("cas", CAS, ids=[c.id for c in CAS])
def test_requete_refusee_sans_rien_changer(monde: MondeTickets, cas: Cas) -> None:
    contenus = cas.contenus()
    avant = instantane(monde, contenus)
    assert not any(avant["blobs"]), "le contenu envoyé était déjà stocké"

    reponse = envoyer(monde, cas)

    corps = aides.exiger_probleme(reponse, cas.statut)
    if cas.champ is not None:
        champs = aides.champs_en_erreur(corps)
        assert cas.champ in champs or f"« {cas.champ} »" in corps["detail"], (cas.champ, corps)
    apres = instantane(monde, contenus)
    ecarts = sorted(cle for cle in avant if avant[cle] != apres[cle])
    assert ecarts == []
