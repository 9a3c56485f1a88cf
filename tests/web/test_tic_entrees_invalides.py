"""Malformed or refused requests on the TIC/TICGN routes, table-driven: each gets a 4xx
problem (never a 500) in French naming the field at fault, and the store is exactly as it
was — every stored record, the blobs the request carried, and what the API shows (the
demandes, the search totals).

Statuses follow the adapter's conventions: a body or parameter of the wrong shape or type
is 400, a value the rules refuse 422, another structure's object 404, a missing
habilitation or role 403, an action the status forbids or a stale version 409, a file of
the wrong type 415.

One world is built for the module and rewound before each case: a farm with a draft of
2023 holding one line and no invoice, an empty draft of 2022, a demande of 2021 being
instructed (EN_INSTRUCTION), a second farm of the same manager with a draft of 50 lines, a
neighbouring farm, an instructor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import date
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
from chorus.domain.pieces import TypePiece
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from tests.doubles import RenduSommaire
from tests.web import aides
from tests.web.aides_tic import (
    GESTIONNAIRE,
    GPL,
    SIRET_SECONDE,
    Ferme,
    Json,
    corps_ligne,
    monter_ferme,
    pdf_unique,
    regler_horloge,
    structure_agricole,
)
from tests.web.conftest import BASE_URL, MAINTENANT, Banc, services_web
from tests.web.entrees_cas import multipart

# -- the world ----------------------------------------------------------------------------


@attrs.frozen
class Ref:
    """An id of the world (``Ref("voisine")``), inside a body."""

    nom: str


class _Rien:
    def __repr__(self) -> str:
        return "RIEN"


RIEN: Any = _Rien()


@attrs.frozen
class MondeTic:
    ferme: Ferme
    vive: MemoireVive
    origine: Any
    ids: Mapping[str, str]

    @property
    def client(self) -> aides.Client:
        return self.ferme.client

    def entetes(self, qui: str | None) -> aides.Entetes:
        if qui is None:
            return {}
        entetes: aides.Entetes = getattr(self.ferme, qui)
        return entetes

    def remettre(self) -> MondeTic:
        self.vive.etat = self.origine.copie()
        return self


def _monter(banc: Banc, vive: MemoireVive) -> MondeTic:
    ferme = monter_ferme(banc)
    gid = banc.id_de(GESTIONNAIRE)
    brouillon = ferme.creer(2023)
    ferme.ajouter_ligne(brouillon, numero_facture="FAC-EXISTANTE", fournisseur="Coop du Val")
    vide = ferme.creer(2022)
    instruite = ferme.envoyee(2021)
    ferme.instruire(instruite["id"], "MISE_A_DISPOSITION", "PRISE_EN_CHARGE")
    seconde = structure_agricole(
        banc, ferme.gestionnaire, GESTIONNAIRE, siret=SIRET_SECONDE, raison_sociale="SCEA Bis"
    )
    reponse = ferme.client.post(
        "/tic/demandes",
        json=ferme.corps_demande(2023, structure_id=seconde.id)
        | {"coordonnee_bancaire_id": seconde.coordonnees_bancaires[0].id},
        headers=ferme.gestionnaire,
    )
    assert reponse.status_code == 201, reponse.text
    plein = reponse.json()
    for _ in range(50):
        ferme.ajouter_ligne(plein)
    pool = banc.chorus.structures.deposer_piece(
        gid,
        ferme.structure.id,
        contenu=pdf_unique("pool"),
        nom_fichier="facture-scannee.pdf",
        type_piece=TypePiece.FACTURE,
    )
    ids = {
        "structure": ferme.structure.id,
        "coordonnee": ferme.coordonnee_id,
        "voisine": ferme.voisine.id,
        "coordonnee_voisine": ferme.voisine.coordonnees_bancaires[0].id,
        "rib_voisine": ferme.voisine.coordonnees_bancaires[0].piece_jointe_id,
        "brouillon": brouillon["id"],
        "vide": vide["id"],
        "instruite": instruite["id"],
        "plein": plein["id"],
        "pool": pool.id,
    }
    return MondeTic(ferme=ferme, vive=vive, origine=vive.etat.copie(), ids=ids)


@pytest.fixture(scope="module")
def monde_module() -> Iterator[MondeTic]:
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
def monde(monde_module: MondeTic) -> MondeTic:
    return monde_module.remettre()


# -- the snapshot -------------------------------------------------------------------------


def instantane(monde: MondeTic, contenus: list[bytes]) -> dict[str, Any]:
    """Every stored record, whether each of `contenus` sits in the blob store, and what
    the API shows of the world's demandes and searches."""
    etat = monde.vive.etat
    vue: dict[str, Any] = {
        champ.name: dict(getattr(etat, champ.name)) for champ in attrs.fields(type(etat))
    }
    blobs = monde.ferme.banc.chorus.ports.blobs
    vue["blobs"] = [blobs.existe(_sha256(c)) for c in contenus]
    g, i = monde.ferme.gestionnaire, monde.ferme.instructeur
    for nom in ("brouillon", "vide", "instruite", "plein"):
        vue[f"api.{nom}"] = monde.client.get(f"/tic/demandes/{monde.ids[nom]}", headers=g).json()
    vue["api.recherche"] = monde.client.get("/tic/demandes", headers=g).json()["total"]
    vue["api.instruction"] = monde.client.get("/traitement/tic/demandes", headers=i).json()["total"]
    return vue


def _sha256(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


# -- the table ----------------------------------------------------------------------------


@attrs.frozen
class Cas:
    id: str
    methode: str
    chemin: str
    """Relative to ``/api/v1``; ``{brouillon}``, ``{instruite}``… are the world's ids."""
    statut: int
    champ: str | None
    corps: Any = RIEN
    qui: str | None = "gestionnaire"
    fichier: tuple[str, bytes, str] | None = None
    formulaire: Mapping[str, str] | None = None
    params: Mapping[str, Any] | None = None
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
    if isinstance(valeur, list):
        return [_resoudre(v, ids) for v in valeur]
    return valeur


def envoyer(monde: MondeTic, cas: Cas) -> httpx.Response:
    entetes = dict(monde.entetes(cas.qui)) | dict(cas.entetes)
    chemin = cas.chemin.format(**monde.ids)
    params = _resoudre(dict(cas.params), monde.ids) if cas.params is not None else None
    if cas.fichier is not None or cas.formulaire is not None:
        fichiers = {"fichier": cas.fichier} if cas.fichier is not None else None
        return monde.client.request(
            cas.methode,
            chemin,
            headers=entetes,
            files=fichiers,
            data=dict(cas.formulaire or {}),
            params=params,
        )
    contenu: bytes | None = cas.brut
    if cas.corps is not RIEN:
        contenu = json.dumps(_resoudre(cas.corps, monde.ids)).encode()
        entetes.setdefault("Content-Type", "application/json")
    if cas.type_contenu is not None:
        entetes["Content-Type"] = cas.type_contenu
    return monde.client.request(
        cas.methode, chemin, headers=entetes, content=contenu, params=params
    )


def demande(**ch: Any) -> Json:
    return {
        "structure_id": Ref("structure"),
        "annee": 2023,
        "coordonnee_bancaire_id": Ref("coordonnee"),
        "attestation_non_difficulte": True,
    } | ch


def sans(corps: Json, *cles: str) -> Json:
    return {k: v for k, v in corps.items() if k not in cles}


def ligne(**ch: Any) -> Json:
    return corps_ligne(2023, numero_facture="FAC-NOUVELLE") | ch


def ligne_brute(fragment: str) -> bytes:
    """A line whose `quantite` is raw JSON (a float `json.dumps` would write otherwise)."""
    texte = json.dumps(sans(ligne(), "quantite"))
    return (texte[:-1] + f', "quantite": {fragment}}}').encode()


MAINTENANT_PARIS = "2024-06-14T12:00:00+02:00"


def evenement(action: str = "VALIDATION", **ch: Any) -> Json:
    return {
        "action": action,
        "date_evenement": MAINTENANT_PARIS,
        "reference_evenement": "DDFIP-CAS-1",
    } | ch


P, G = "POST", "GET"
DEMANDES = "/tic/demandes"
LIGNES = "/tic/demandes/{brouillon}/lignes"
PIECES = "/tic/demandes/{brouillon}/pieces-jointes"
EVENEMENTS = "/traitement/tic/demandes/{instruite}/evenements"
PIECE = {"designation": "Facture"}
FORMULAIRE_SANS_FICHIER, TYPE_FORMULAIRE = multipart(PIECE)


def _pdf(etiquette: str) -> tuple[str, bytes, str]:
    return (f"{etiquette}.pdf", pdf_unique(etiquette), "application/pdf")


CAS: list[Cas] = [
    # creation
    Cas("annee-future", P, DEMANDES, 422, "annee", demande(annee=2025)),
    Cas("annee-en-cours", P, DEMANDES, 422, "annee", demande(annee=2024)),
    Cas("annee-prescrite-n-plus-3", P, DEMANDES, 422, "annee", demande(annee=2020)),
    Cas("annee-texte", P, DEMANDES, 400, "annee", demande(annee="2023")),
    Cas("annee-decimale", P, DEMANDES, 400, "annee", demande(annee=2023.5)),
    Cas("annee-absente", P, DEMANDES, 400, "annee", sans(demande(), "annee")),
    Cas(
        "attestation-false",
        P,
        DEMANDES,
        422,
        "attestation_non_difficulte",
        demande(attestation_non_difficulte=False),
    ),
    Cas(
        "attestation-absente",
        P,
        DEMANDES,
        400,
        "attestation_non_difficulte",
        sans(demande(), "attestation_non_difficulte"),
    ),
    Cas(
        "attestation-texte",
        P,
        DEMANDES,
        400,
        "attestation_non_difficulte",
        demande(attestation_non_difficulte="true"),
    ),
    Cas(
        "coordonnee-inconnue",
        P,
        DEMANDES,
        422,
        "coordonnee_bancaire_id",
        demande(coordonnee_bancaire_id="inconnue"),
    ),
    Cas(
        "coordonnee-de-la-voisine",
        P,
        DEMANDES,
        422,
        "coordonnee_bancaire_id",
        demande(coordonnee_bancaire_id=Ref("coordonnee_voisine")),
    ),
    Cas(
        "structure-de-la-voisine",
        P,
        DEMANDES,
        404,
        None,
        demande(structure_id=Ref("voisine"), coordonnee_bancaire_id=Ref("coordonnee_voisine")),
    ),
    Cas("structure-inconnue", P, DEMANDES, 404, None, demande(structure_id="inconnue")),
    Cas("seconde-demande-meme-annee", P, DEMANDES, 409, "annee", demande()),
    Cas("avance-texte", P, DEMANDES, 400, "avance", demande(avance="oui")),
    Cas(
        "type-beneficiaire-inconnu",
        P,
        DEMANDES,
        400,
        "type_beneficiaire",
        demande(type_beneficiaire="PARTICULIER"),
    ),
    Cas("champ-inconnu", P, DEMANDES, 400, "montant", demande(montant="10")),
    Cas("creation-corps-liste", P, DEMANDES, 400, "corps", [demande()]),
    Cas("creation-sans-jeton", P, DEMANDES, 401, None, demande(), qui=None),
    # lines
    Cas("quantite-trois-decimales", P, LIGNES, 422, "quantite", ligne(quantite="10.123")),
    Cas("quantite-sept-chiffres", P, LIGNES, 422, "quantite", ligne(quantite="1234567")),
    Cas("quantite-zero", P, LIGNES, 422, "quantite", ligne(quantite="0")),
    Cas("quantite-negative", P, LIGNES, 422, "quantite", ligne(quantite="-5")),
    Cas(
        "quantite-nombre-flottant",
        P,
        LIGNES,
        400,
        "quantite",
        brut=ligne_brute("12.5"),
        type_contenu="application/json",
    ),
    Cas("quantite-abc", P, LIGNES, 422, "quantite", ligne(quantite="abc")),
    Cas("quantite-entier-negatif", P, LIGNES, 422, "quantite", ligne(quantite=-3)),
    Cas(
        "livraison-hors-annee",
        P,
        LIGNES,
        422,
        "date_livraison",
        ligne(date_livraison="2022-12-31"),
    ),
    Cas(
        "livraison-mal-formee",
        P,
        LIGNES,
        400,
        "date_livraison",
        ligne(date_livraison="2023-13-01"),
    ),
    Cas(
        "livraison-a-la-francaise",
        P,
        LIGNES,
        400,
        "date_livraison",
        ligne(date_livraison="31/12/2023"),
    ),
    Cas("produit-inconnu", P, LIGNES, 422, "produit", ligne(produit="ESSENCE")),
    Cas("produit-absent", P, LIGNES, 400, "produit", sans(ligne(), "produit")),
    Cas("numero-facture-vide", P, LIGNES, 422, "numero_facture", ligne(numero_facture="")),
    Cas("fournisseur-blanc", P, LIGNES, 422, "fournisseur", ligne(fournisseur="   ")),
    Cas(
        "facture-en-double",
        P,
        LIGNES,
        409,
        "numero_facture",
        ligne(numero_facture="FAC-EXISTANTE", fournisseur="COOP DU VAL"),
    ),
    Cas("cinquante-et-unieme-ligne", P, "/tic/demandes/{plein}/lignes", 422, "lignes", ligne()),
    Cas("ligne-sur-demande-envoyee", P, "/tic/demandes/{instruite}/lignes", 409, None, ligne()),
    Cas("ligne-absente", "PUT", LIGNES + "/9", 404, "numero_ligne", ligne()),
    Cas(
        "ligne-modifiee-invalide",
        "PUT",
        LIGNES + "/1",
        422,
        "quantite",
        ligne(quantite="0,001"),
    ),
    Cas("ligne-supprimee-apres-envoi", "DELETE", "/tic/demandes/{instruite}/lignes/1", 409, None),
    Cas("ligne-numero-zero", "DELETE", LIGNES + "/0", 400, "numero_ligne"),
    Cas("ligne-par-la-consultation", P, LIGNES, 403, None, ligne(), qui="consultant"),
    Cas("ligne-par-la-voisine", P, LIGNES, 404, None, ligne(), qui="etranger"),
    Cas(
        "ligne-version-perimee",
        P,
        LIGNES,
        409,
        None,
        ligne(),
        entetes={"If-Match": '"99"'},
    ),
    # pièces
    Cas(
        "piece-type-inconnu",
        P,
        PIECES,
        400,
        "type_piece",
        fichier=_pdf("type-inconnu"),
        formulaire=PIECE | {"type_piece": "BON_DE_LIVRAISON"},
    ),
    Cas(
        "piece-ligne-inexistante",
        P,
        PIECES,
        422,
        "numero_ligne",
        fichier=_pdf("ligne-7"),
        formulaire=PIECE | {"numero_ligne": "7"},
    ),
    Cas(
        "piece-ligne-texte",
        P,
        PIECES,
        400,
        "numero_ligne",
        fichier=_pdf("ligne-un"),
        formulaire=PIECE | {"numero_ligne": "un"},
    ),
    Cas(
        "piece-sans-fichier",
        P,
        PIECES,
        400,
        "fichier",
        brut=FORMULAIRE_SANS_FICHIER,
        type_contenu=TYPE_FORMULAIRE,
    ),
    Cas(
        "piece-texte-brut",
        P,
        PIECES,
        415,
        "fichier",
        fichier=("facture.pdf", b"Ceci n'est pas un PDF (TIC).\n", "application/pdf"),
        formulaire=PIECE,
    ),
    Cas(
        "piece-champ-inconnu",
        P,
        PIECES,
        400,
        "montant",
        fichier=_pdf("champ-inconnu"),
        formulaire=PIECE | {"montant": "12"},
    ),
    Cas(
        "piece-sur-demande-envoyee",
        P,
        "/tic/demandes/{instruite}/pieces-jointes",
        409,
        None,
        fichier=_pdf("apres-envoi"),
        formulaire=PIECE,
    ),
    Cas(
        "import-piece-inconnue",
        P,
        PIECES,
        422,
        "piece_structure_id",
        {"piece_structure_id": "inconnue"},
    ),
    Cas(
        "import-piece-de-la-voisine",
        P,
        PIECES,
        422,
        "piece_structure_id",
        {"piece_structure_id": Ref("rib_voisine")},
    ),
    Cas(
        "import-ligne-inexistante",
        P,
        PIECES,
        422,
        "numero_ligne",
        {"piece_structure_id": Ref("pool"), "numero_ligne": 4},
    ),
    Cas(
        "piece-en-texte-brut",
        P,
        PIECES,
        415,
        "Content-Type",
        brut=b"facture",
        type_contenu="text/plain",
    ),
    Cas("retrait-piece-inconnue", "DELETE", PIECES + "/inconnue", 404, "piece_id"),
    Cas("lecture-piece-inconnue", G, PIECES + "/inconnue", 404, "piece_id"),
    # sending
    Cas("envoi-sans-ligne", P, "/tic/demandes/{vide}/envoi", 422, "lignes"),
    Cas(
        "envoi-sans-facture",
        P,
        "/tic/demandes/{brouillon}/envoi",
        422,
        "lignes[0].pieces_jointes",
    ),
    Cas("envoi-deja-envoyee", P, "/tic/demandes/{instruite}/envoi", 409, None),
    Cas(
        "envoi-version-perimee",
        P,
        "/tic/demandes/{vide}/envoi",
        409,
        None,
        entetes={"If-Match": "42"},
    ),
    Cas(
        "envoi-if-match-illisible",
        P,
        "/tic/demandes/{vide}/envoi",
        400,
        "If-Match",
        entetes={"If-Match": "version-3"},
    ),
    Cas("certificat-d-un-brouillon", G, "/tic/demandes/{brouillon}/certificat-depot", 409, None),
    # duplication, header, deletion
    Cas("dupliquer-non-rejetee", P, "/tic/demandes/{instruite}/duplication", 409, None),
    Cas("dupliquer-brouillon", P, "/tic/demandes/{brouillon}/duplication", 409, None),
    Cas("modifier-annee-en-cours", "PATCH", "/tic/demandes/{vide}", 422, "annee", {"annee": 2024}),
    Cas(
        "modifier-annee-deja-prise",
        "PATCH",
        "/tic/demandes/{vide}",
        409,
        "annee",
        {"annee": 2023},
    ),
    Cas(
        "modifier-structure",
        "PATCH",
        "/tic/demandes/{vide}",
        422,
        "structure_id",
        {"structure_id": Ref("voisine")},
    ),
    Cas(
        "modifier-attestation",
        "PATCH",
        "/tic/demandes/{vide}",
        422,
        "attestation_non_difficulte",
        {"attestation_non_difficulte": False},
    ),
    Cas("modifier-envoyee", "PATCH", "/tic/demandes/{instruite}", 409, None, {"avance": True}),
    Cas(
        "modifier-version-perimee",
        "PATCH",
        "/tic/demandes/{vide}",
        409,
        None,
        {"avance": True},
        entetes={"If-Match": 'W/"17"'},
    ),
    Cas("supprimer-envoyee", "DELETE", "/tic/demandes/{instruite}", 409, None),
    # instruction
    Cas(
        "montant-accorde-superieur",
        P,
        EVENEMENTS,
        422,
        "montant_accorde",
        evenement(montant_accorde="150.00"),
        qui="instructeur",
    ),
    Cas(
        "montant-accorde-abc",
        P,
        EVENEMENTS,
        422,
        "montant_accorde",
        evenement(montant_accorde="abc"),
        qui="instructeur",
    ),
    Cas(
        "montant-sans-validation",
        P,
        EVENEMENTS,
        422,
        "montant_accorde",
        evenement("REJET", motif="Incomplet", montant_accorde="10.00"),
        qui="instructeur",
    ),
    Cas("rejet-sans-motif", P, EVENEMENTS, 422, "motif", evenement("REJET"), qui="instructeur"),
    Cas(
        "rejet-motif-blanc",
        P,
        EVENEMENTS,
        422,
        "motif",
        evenement("REJET", motif="   "),
        qui="instructeur",
    ),
    Cas(
        "evenement-futur",
        P,
        EVENEMENTS,
        422,
        "date_evenement",
        evenement(date_evenement="2024-06-15T12:00:00+02:00"),
        qui="instructeur",
    ),
    Cas(
        "evenement-avant-l-envoi",
        P,
        EVENEMENTS,
        422,
        "date_evenement",
        evenement(date_evenement="2023-01-02T12:00:00+01:00"),
        qui="instructeur",
    ),
    Cas(
        "evenement-sans-fuseau",
        P,
        EVENEMENTS,
        422,
        "date_evenement",
        evenement(date_evenement="2024-06-14T11:00:00"),
        qui="instructeur",
    ),
    Cas(
        "reference-vide",
        P,
        EVENEMENTS,
        422,
        "reference_evenement",
        evenement(reference_evenement=""),
        qui="instructeur",
    ),
    Cas(
        "action-inconnue",
        P,
        EVENEMENTS,
        400,
        "action",
        evenement("SUSPENSION"),
        qui="instructeur",
    ),
    Cas(
        "action-impossible-dans-l-etat",
        P,
        EVENEMENTS,
        409,
        None,
        evenement("MISE_EN_PAIEMENT"),
        qui="instructeur",
    ),
    Cas("evenement-par-le-demandeur", P, EVENEMENTS, 403, None, evenement()),
    Cas(
        "brouillon-invisible-a-l-instructeur",
        P,
        "/traitement/tic/demandes/{brouillon}/evenements",
        404,
        None,
        evenement("MISE_A_DISPOSITION"),
        qui="instructeur",
    ),
    Cas(
        "lecture-d-un-brouillon-par-l-instructeur",
        G,
        "/traitement/tic/demandes/{brouillon}",
        404,
        None,
        qui="instructeur",
    ),
    # queries
    Cas("recherche-produit-inconnu", G, DEMANDES, 422, "produit", params={"produit": "ESSENCE"}),
    Cas("recherche-statut-inconnu", G, DEMANDES, 422, "statut", params={"statut": "ENVOYE,X"}),
    Cas("recherche-tri-inconnu", G, DEMANDES, 422, "tri", params={"tri": "-montant"}),
    Cas("recherche-annee-texte", G, DEMANDES, 400, "annee", params={"annee": "2023a"}),
    Cas(
        "recherche-dates-inversees",
        G,
        DEMANDES,
        422,
        "date_depot_au",
        params={"date_depot_du": "2024-06-14", "date_depot_au": "2024-01-01"},
    ),
    Cas("recherche-par-page-excessif", G, DEMANDES, 400, "par_page", params={"par_page": 501}),
    Cas("recherche-en-pdf", G, DEMANDES, 406, "Accept", entetes={"Accept": "application/pdf"}),
    Cas("file-d-instruction-au-demandeur", G, "/traitement/tic/demandes", 403, None),
    Cas("suivi-limite-nulle", G, "/tic/suivi", 400, "limite", params={"limite": 0}),
    Cas("taux-produit-inconnu", G, "/tic/taux", 422, "produit", params={"produit": "X"}),
    Cas(
        "taux-gpl-non-publie",
        G,
        "/tic/taux",
        404,
        None,
        params={"produit": GPL, "annee": 2017},
    ),
    Cas(
        "eligibilite-code-postal",
        G,
        "/tic/eligibilite",
        422,
        "code_postal",
        params={"code_postal": "7500"},
    ),
]


def test_la_table_compte_au_moins_quarante_cas_aux_noms_uniques() -> None:
    assert len(CAS) >= 40
    noms = [c.id for c in CAS]
    assert len(noms) == len(set(noms))


def test_le_monde_est_celui_annonce(monde: MondeTic) -> None:
    g = monde.ferme.gestionnaire

    def lire(nom: str) -> Json:
        corps: Json = monde.client.get(f"/tic/demandes/{monde.ids[nom]}", headers=g).json()
        return corps

    assert (lire("brouillon")["statut"], len(lire("brouillon")["lignes"])) == ("BROUILLON", 1)
    assert lire("brouillon")["pieces_jointes"] == []
    assert lire("vide")["lignes"] == []
    assert lire("instruite")["statut"] == "EN_INSTRUCTION"
    assert lire("instruite")["montant_total"] == "149.60"
    assert len(lire("plein")["lignes"]) == 50


def test_l_instantane_voit_un_changement(monde: MondeTic) -> None:
    avant = instantane(monde, [])
    reponse = monde.client.post(
        f"/tic/demandes/{monde.ids['brouillon']}/lignes",
        json=ligne(),
        headers=monde.ferme.gestionnaire,
    )
    assert reponse.status_code == 201, reponse.text
    assert instantane(monde, []) != avant


@pytest.mark.parametrize("cas", CAS, ids=[c.id for c in CAS])
def test_requete_refusee_sans_rien_changer(monde: MondeTic, cas: Cas) -> None:
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


# -- an avance in a campaign that offers none ---------------------------------------------


def test_une_avance_hors_des_campagnes_qui_en_offrent_est_refusee(banc: Banc) -> None:
    """The 2023 campaign regularised the 2022 acompte and offered no avance."""
    regler_horloge(banc, date(2023, 6, 14))
    ferme = monter_ferme(banc)
    avant = ferme.client.get("/tic/demandes", headers=ferme.gestionnaire).json()

    reponse = ferme.client.post(
        "/tic/demandes", json=ferme.corps_demande(2022, avance=True), headers=ferme.gestionnaire
    )

    corps = aides.exiger_probleme(reponse, 422)
    assert aides.champs_en_erreur(corps) == ["avance"]
    assert "2023" in corps["detail"]
    assert ferme.client.get("/tic/demandes", headers=ferme.gestionnaire).json() == avant
    sans_avance = ferme.creer(2022)
    assert (sans_avance["avance"], sans_avance["taux_avance"]) == (False, None)
    patch = ferme.client.patch(
        f"/tic/demandes/{sans_avance['id']}", json={"avance": True}, headers=ferme.gestionnaire
    )
    assert aides.champs_en_erreur(aides.exiger_probleme(patch, 422)) == ["avance"]
    assert ferme.lire(sans_avance["id"]) == sans_avance
