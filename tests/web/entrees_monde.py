"""The world the malformed-input tests attack, and the snapshot of the store that proves a
refused request changed nothing.

`monter_monde(banc)` builds, through the use cases: a gestionnaire and their structure
(Frais de justice espace, one coordonnée bancaire with its RIB pièce, one service), a
Particulier with their own structure (no espace yet) and attached to the cabinet without
habilitation, an API token of the cabinet, a draft mémoire with one line, a mémoire sent and
made available to its juridiction, an agent of that juridiction and a comptable — each
logged in through the API —, two support tickets of the gestionnaire about the sent mémoire
(routed to that agent, each with a pièce: one with a solution proposed, one still OUVERT)
and a published actualité. `instantane(chorus, contenus)` captures every stored object
(through the unit of work), the number of mémoires, the outbox and whether given contents
sit in the blob store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import attrs
from litestar.testing import TestClient

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.storage.memory import BlobsEnMemoire, MemoireVive, UniteDeTravailEnMemoire
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.adapters.systeme.identifiants import IdsSequentiels
from chorus.adapters.web import ReglagesWeb, creer_app
from chorus.bootstrap import Chorus, assembler
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.flux.flux import FormatFlux
from chorus.domain.jetons import NatureJeton
from chorus.domain.lignes import SaisieLigne
from chorus.domain.organisation import Adresse, Profil, TypeIdentifiant, TypeStructure
from chorus.domain.support.ticket import Ticket
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import RoleAgent
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Tri
from chorus.services.comptes import ReglagesComptes
from chorus.services.contexte import Ports
from chorus.services.support import FichierJoint, SaisieTicket
from tests.doubles import RenduSommaire
from tests.web import aides
from tests.web.conftest import BASE_URL, MAINTENANT, Banc, services_web

Json = dict[str, Any]

AUJOURDHUI = date(2024, 6, 14)
"""Today on the tests' fixed clock (2024-06-14T10:00Z)."""

GESTIONNAIRE = "camille.durand@exemple.fr"
PARTICULIER = "dominique.martin@exemple.fr"
AGENT = "greffe@tj-lyon.fr"
COMPTABLE = "comptable@dgfip.fr"
EMAILS = (GESTIONNAIRE, PARTICULIER, AGENT, COMPTABLE)

JURIDICTION = "TJ-69123"


def corps_ligne(**changements: Any) -> Json:
    """A valid line (1 × 150.00 at 5.5 %), with `changements` applied."""
    prestation = AUJOURDHUI - timedelta(days=10)
    corps: Json = {
        "numero_affaire": "PARQUET-24-001",
        "date_requisition": (prestation - timedelta(days=3)).isoformat(),
        "autorite_requerante": "PROCUREUR_REPUBLIQUE",
        "type_prestation": "EXPERTISE_PSYCHIATRIQUE",
        "date_prestation": prestation.isoformat(),
        "quantite": "1",
        "tarif_ht": "150.00",
        "taux_tva": "5.5",
    }
    corps.update(changements)
    return corps


def _saisie() -> SaisieLigne:
    corps = corps_ligne()
    return SaisieLigne(
        numero_affaire=corps["numero_affaire"],
        date_requisition=date.fromisoformat(corps["date_requisition"]),
        autorite_requerante=corps["autorite_requerante"],
        type_prestation=corps["type_prestation"],
        date_prestation=date.fromisoformat(corps["date_prestation"]),
        quantite=corps["quantite"],
        tarif_ht=corps["tarif_ht"],
        taux_tva=corps["taux_tva"],
    )


@attrs.frozen
class Monde:
    banc: Banc
    entetes: Mapping[str, aides.Entetes]
    """By role: ``gestionnaire``, ``particulier``, ``agent``, ``comptable``."""
    ids: Mapping[str, str]
    """``structure``, ``particulier``, ``coordonnee``, ``rib``, ``service``, ``brouillon``,
    ``envoye``, ``gestionnaire_id``, ``particulier_id`` (also ``membre_id``: attached to
    the cabinet, without habilitation), ``agent_id``, ``jeton_api`` (an API token of the
    cabinet), ``ticket`` (the number of a ticket in ACTION_REQUISE, a solution proposed by
    the agent) and ``piece_ticket`` (its pièce), ``ticket_support`` (an OUVERT one, in the
    agent's queue) and ``piece_ticket_support``, ``actualite``, ``flux`` (the number of a
    flux of the cabinet, integrated: its one mémoire refused)."""

    @property
    def chorus(self) -> Chorus:
        return self.banc.chorus

    def corps_memoire(self, **changements: Any) -> Json:
        corps: Json = {
            "structure_id": self.ids["structure"],
            "juridiction_code": JURIDICTION,
            "coordonnee_bancaire_id": self.ids["coordonnee"],
            "devise": "EUR",
            "texte_reference": "A.43-6",
            "type_tva": "TVA_SUR_DEBITS",
        }
        corps.update(changements)
        return corps


def monter_monde(banc: Banc) -> Monde:
    chorus = banc.chorus
    gestionnaire = banc.connecte(GESTIONNAIRE)
    gid = banc.id_de(GESTIONNAIRE)
    structure = banc.structure_prete(GESTIONNAIRE)
    structure_avec_service = chorus.structures.ajouter_service(
        gid, structure.id, code="SCE-01", libelle="Service expertises"
    )
    service = structure_avec_service.services[0]
    # Its cycle-de-vie feed answers, so that its pages are checked against the schema.
    structure_avec_service = chorus.structures.modifier(
        gid, structure.id, recevoir_cycles_de_vie=True
    )
    particulier = banc.connecte(PARTICULIER, prenom="Dominique", nom="Martin")
    pid = banc.id_de(PARTICULIER)
    # A member of the cabinet without habilitation: the gestionnaire may grant them one.
    aides.rattacher(chorus, structure_avec_service, gid, pid, None)
    structure_particulier = chorus.structures.creer(
        pid,
        type_structure=TypeStructure.PARTICULIER,
        type_identifiant=TypeIdentifiant.PARTICULIER,
        identifiant="Dominique Martin",
        raison_sociale="Dominique Martin",
        adresse=Adresse.creer(ligne1="3 rue Mercière", code_postal="69002", ville="Lyon"),
    )
    coordonnee = structure.coordonnees_bancaires[0]

    def entete() -> EnTete:
        return EnTete.creer(
            structure_id=structure.id,
            juridiction_code=JURIDICTION,
            texte_reference="A.43-6",
            type_tva=TypeTva.TVA_SUR_DEBITS,
            coordonnee_bancaire_id=coordonnee.id,
        )

    brouillon = chorus.memoires.creer(gid, entete())
    chorus.memoires.ajouter_ligne(gid, brouillon.id, _saisie())
    envoye = chorus.memoires.creer(gid, entete())
    chorus.memoires.ajouter_ligne(gid, envoye.id, _saisie())
    chorus.memoires.envoyer(gid, envoye.id, attestation_sur_honneur=True)
    jeton_api = chorus.comptes.creer_jeton_api(
        gid,
        structure.id,
        libelle="Logiciel de facturation",
        profil=Profil.MODIFICATION,
        expire_le=banc.horloge.maintenant() + timedelta(days=90),
    ).jeton
    agent = banc.agent(AGENT, juridictions=(JURIDICTION,))
    comptable = banc.agent(COMPTABLE, role=RoleAgent.COMPTABLE)
    chorus.traitement.appliquer_evenement(
        banc.id_de(AGENT),
        envoye.id,
        EvenementTraitement.creer(
            action=ActionTraitement.MISE_A_DISPOSITION,
            reference="MONDE-0001",
            date_evenement=banc.horloge.maintenant(),
        ),
    )
    numero_envoye = chorus.memoires.obtenir(gid, envoye.id).numero

    def ticket(sous_categorie: str, resume: str) -> Ticket:
        return chorus.tickets.creer(
            gid,
            SaisieTicket(
                structure_id=structure.id,
                categorie="MEMOIRE",
                sous_categorie=sous_categorie,
                resume=resume,
                description=f"À propos du mémoire n°{numero_envoye}.",
                type_objet="MEMOIRE",
                numero_objet=numero_envoye,
                pieces=(FichierJoint("requisition.pdf", aides.PDF + resume.encode()),),
            ),
        )

    # Routed to the service centralisateur of the mémoire's juridiction: the agent's.
    suivi = chorus.support.proposer_solution(
        banc.id_de(AGENT),
        ticket("M_SUIVI", "Où en est mon mémoire ?").numero,
        "Le mémoire est mis à disposition du service ; il sera traité sous huit jours.",
    )
    refus = ticket("M_REFUS", "Montant taxé inférieur au demandé")
    actualite = chorus.actualites.publier_en_exploitation(
        "Maintenance du portail",
        "Le portail sera **indisponible** samedi ; voir [le guide](https://exemple.fr/guide).",
    )
    # A flux integrated, its one mémoire refused: a report with errors, no mémoire added.
    flux = chorus.flux.deposer(
        gid,
        structure_id=structure.id,
        format=FormatFlux.JSON,
        nom_fichier="memoires.json",
        contenu=b'{"version": "1.0", "memoires": [{"reference": "REF-1", "type_tva": "X"}]}',
    )
    chorus.flux.traiter(flux.numero)
    return Monde(
        banc=banc,
        entetes={
            "gestionnaire": gestionnaire,
            "particulier": particulier,
            "agent": agent,
            "comptable": comptable,
        },
        ids={
            "structure": structure.id,
            "particulier": structure_particulier.id,
            "coordonnee": coordonnee.id,
            "rib": coordonnee.piece_jointe_id,
            "service": service.id,
            "brouillon": brouillon.id,
            "envoye": envoye.id,
            "gestionnaire_id": gid,
            "particulier_id": pid,
            "membre_id": pid,
            "agent_id": banc.id_de(AGENT),
            "jeton_api": jeton_api.id,
            "ticket": suivi.numero,
            "piece_ticket": suivi.pieces[0].id,
            "ticket_support": refus.numero,
            "piece_ticket_support": refus.pieces[0].id,
            "actualite": actualite.id,
            "flux": flux.numero,
        },
    )


@attrs.frozen
class MondePartage:
    """One world served by one app for a whole module (building the app costs about a
    second): `remettre` puts the store back as the world left it before each request."""

    monde: Monde
    vive: MemoireVive
    origine: Any

    def remettre(self) -> Monde:
        self.vive.etat = self.origine.copie()
        return self.monde


@contextmanager
def monde_partage(reglages: ReglagesWeb) -> Iterator[MondePartage]:
    """The conftest's bench (memory storage, fixed clock, sequential ids, fast argon2, no
    captcha) over a store the caller can rewind, with the world built on it; the test
    client stays open inside the ``with``."""
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
    application = creer_app(services_web(chorus), reglages)
    application.state["chorus_de_test"] = chorus
    with TestClient(application, base_url=BASE_URL) as client:
        monde = monter_monde(Banc(client, chorus, horloge))
        yield MondePartage(monde=monde, vive=vive, origine=vive.etat.copie())


def construire_monde_partage(reglages: ReglagesWeb) -> MondePartage:
    """`monde_partage` for a caller that needs only the app afterwards (it is served by
    another client, e.g. schemathesis' own)."""
    with monde_partage(reglages) as partage:
        return partage


# -- the snapshot --------------------------------------------------------------------------

_LOIN = datetime(9999, 1, 1).astimezone()


def sha256(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def instantane(chorus: Chorus, contenus: Iterable[bytes] = ()) -> dict[str, Any]:
    """Everything stored, by kind: each user, structure and mémoire (whole, versions
    included), the number of mémoires, the jetons, the outbox, the sequences, and for each
    of `contenus` whether the blob store holds it. Two snapshots compare with ``==``;
    `differences` says where they part."""
    uow = chorus.ports.uow
    with uow:
        tous = uow.requetes.tous(CriteresMemoire(FiltresMemoire()), Tri())
        memoires = {r.id: uow.memoires.obtenir(r.id) for r in tous}
        utilisateurs = {e: uow.utilisateurs.par_email(e) for e in EMAILS}
        structures = {
            s.id: s
            for u in utilisateurs.values()
            if u is not None
            for s in uow.structures.pour_utilisateur(u.id)
        }
        jetons = {
            e: tuple(uow.jetons.pour_utilisateur(u.id, nature) for nature in NatureJeton)
            for e, u in utilisateurs.items()
            if u is not None
        }
        en_attente = len(uow.courriels.a_envoyer(_LOIN, 1_000_000))
        courriels = {e: tuple(uow.courriels.pour_destinataire(e)) for e in EMAILS}
        vue: dict[str, Any] = {
            "utilisateurs": utilisateurs,
            "structures": structures,
            "memoires": memoires,
            "nombre_de_memoires": len(tous),
            "jetons": jetons,
            "courriels_en_attente": en_attente,
            "courriels": courriels,
        }
        if isinstance(uow, UniteDeTravailEnMemoire):
            # The memory store can show everything, including what no known id reaches
            # (an account created under a new email, a structure nobody can see).
            etat = uow.etat
            vue["tout"] = {
                "structures": dict(etat.structures),
                "utilisateurs": dict(etat.utilisateurs),
                "memoires": dict(etat.memoires),
                "resumes": dict(etat.resumes),
                "sequences": dict(etat.sequences),
                "jetons": dict(etat.jetons),
                "courriels": dict(etat.courriels),
            }
    vue["blobs"] = {sha256(c): chorus.ports.blobs.existe(sha256(c)) for c in contenus}
    return vue


def differences(avant: Mapping[str, Any], apres: Mapping[str, Any]) -> list[str]:
    """Where two snapshots differ, as readable paths (``memoires[7]``, ``tout.jetons``)."""
    ecarts: list[str] = []
    for cle in sorted(set(avant) | set(apres)):
        a, b = avant.get(cle), apres.get(cle)
        if a == b:
            continue
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            for sous in sorted(set(a) | set(b), key=str):
                if a.get(sous) != b.get(sous):
                    ecarts.append(f"{cle}[{sous}]")
        else:
            ecarts.append(f"{cle}: {a!r} → {b!r}")
    return ecarts
