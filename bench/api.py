"""The HTTP API under load, against a bare endpoint on the same server settings.

`chorus serve` runs on the benchmark's database (a free port of 127.0.0.1), and beside it
the bare app of `bench.api_nue` (same uvicorn, one process, same host): `wrk` loads each in
turn with the same connections, threads and duration, on the same paths, and the API's
throughput is divided by the bare one's. Three requests of the prestataire of the largest
structure are measured:

- ``GET /api/v1/memoires/{id}``: one of 2,000 mémoires of the structure drawn at random;
- ``GET /api/v1/memoires?structure_id=…&page=…``: its first 20 pages of 50 in turn;
- ``POST /api/v1/memoires/{id}/lignes``: a line added to drafts created for the run, in
  turn, about `LIGNES_PAR_BROUILLON` each (a mémoire is saved whole: a draft that grew to
  hundreds of lines would measure its size, not the API).

The bare app answers a JSON object of the size of the API's answer, measured first.

The user has no password in the data set: one is set and a session opened through the use
cases (`CompteService.definir_mot_de_passe`, `ouvrir_session`). What the run creates — the
drafts and their lines, the session — is written to a journal beside the database and
deleted at the end through the use cases (`MemoireService.supprimer`, `fermer_session`),
or at the start of the next run if this one was interrupted; only the password stays.
"""

from __future__ import annotations

import json
import math
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from bench.charge import Charge, Tir, charger
from bench.monde import Monde
from bench.progression import chrono
from chorus.bootstrap import Chorus, construire
from chorus.domain.errors import DomainError
from chorus.domain.memoire import Memoire
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri

CIBLE_RATIO_API = 0.5
MOT_DE_PASSE = "Banc-d-essai-2025"
COMMENTAIRE = "Banc d'essai de l'API : brouillon supprimé en fin de mesure"
LIGNES_PAR_BROUILLON = 20
PAGES = 20
PAR_PAGE = 50
IDENTIFIANTS = 2_000
ATTENTE_DEMARRAGE_S = 600.0


@attrs.frozen
class Comparaison:
    """One request under load on the API and on the bare endpoint."""

    nom: str
    description: str
    taille_octets: int
    api: Charge
    nue: Charge
    cible: float | None

    @property
    def ratio(self) -> float:
        return self.api.debit / self.nue.debit if self.nue.debit else 0.0

    @property
    def valide(self) -> bool:
        """No socket error and no answer ≥ 400 on either side."""
        return self.api.en_erreur == 0 and self.nue.en_erreur == 0

    @property
    def atteint(self) -> bool | None:
        if self.cible is None:
            return None
        return self.valide and self.ratio >= self.cible

    def en_dict(self) -> dict[str, Any]:
        return {
            "nom": self.nom,
            "description": self.description,
            "taille_octets": self.taille_octets,
            "api": self.api.en_dict(),
            "nue": self.nue.en_dict(),
            "ratio": round(self.ratio, 3),
            "cible": self.cible,
            "valide": self.valide,
            "atteint": self.atteint,
        }


@attrs.frozen
class ResultatApi:
    utilisateur: str
    connexions: int
    fils: int
    duree_s: float
    echauffement_s: float
    serveur: str
    comparaisons: tuple[Comparaison, ...]
    brouillons: int
    lignes_ajoutees: int

    def en_dict(self) -> dict[str, Any]:
        return {
            "utilisateur": self.utilisateur,
            "connexions": self.connexions,
            "fils": self.fils,
            "duree_s": self.duree_s,
            "echauffement_s": self.echauffement_s,
            "serveur": self.serveur,
            "cible_ratio": CIBLE_RATIO_API,
            "comparaisons": [c.en_dict() for c in self.comparaisons],
            "brouillons": self.brouillons,
            "lignes_ajoutees": self.lignes_ajoutees,
        }


# -- what the run creates, and its removal ---------------------------------------------------


class Journal:
    """The drafts and sessions a run created, on disk until they are deleted, so that an
    interrupted run is cleaned up by the next one."""

    def __init__(self, base: Path) -> None:
        self.chemin = base.with_name(base.name + ".banc-api.json")
        self.utilisateur_id = ""
        self.brouillons: list[str] = []
        self.sessions: list[str] = []

    def _ecrire(self) -> None:
        self.chemin.write_text(
            json.dumps(
                {
                    "utilisateur_id": self.utilisateur_id,
                    "brouillons": self.brouillons,
                    "sessions": self.sessions,
                }
            ),
            encoding="utf-8",
        )

    def session(self, utilisateur_id: str, jeton: str) -> None:
        self.utilisateur_id = utilisateur_id
        self.sessions.append(jeton)
        self._ecrire()

    def brouillon(self, memoire_id: str) -> None:
        self.brouillons.append(memoire_id)
        self._ecrire()

    def nettoyer(self, chorus: Chorus) -> int:
        """Delete what the journal lists (this run's, or an interrupted one's); returns the
        number of drafts deleted."""
        if self.chemin.exists():
            contenu = json.loads(self.chemin.read_text(encoding="utf-8"))
            self.utilisateur_id = contenu["utilisateur_id"]
            self.brouillons = list(dict.fromkeys([*contenu["brouillons"], *self.brouillons]))
            self.sessions = list(dict.fromkeys([*contenu["sessions"], *self.sessions]))
        supprimes = 0
        for memoire_id in self.brouillons:
            try:
                chorus.memoires.supprimer(self.utilisateur_id, memoire_id)
                supprimes += 1
            except DomainError:
                pass  # already gone
        for jeton in self.sessions:
            chorus.comptes.fermer_session(jeton)
        self.brouillons, self.sessions = [], []
        self.chemin.unlink(missing_ok=True)
        return supprimes


# -- the servers ---------------------------------------------------------------------------


def port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serveur(nom: str, commande: Sequence[str], port: int, dossier: Path) -> Iterator[str]:
    """Run `commande` (a server listening on 127.0.0.1:`port`) until the block ends; yields
    its base URL once it answers HTTP. Its output goes to a log in `dossier`, shown if it
    fails to start."""
    journal = dossier / f"{nom}.log"
    environnement = {**os.environ, "CHORUS_MAIL_DIR": str(dossier / "courriels")}
    environnement.pop("CHORUS_STORAGE", None)
    with journal.open("wb") as sortie:
        processus = subprocess.Popen(
            list(commande), stdout=sortie, stderr=subprocess.STDOUT, env=environnement
        )
    url = f"http://127.0.0.1:{port}"
    try:
        debut = chrono()
        while True:
            if processus.poll() is not None:
                raise RuntimeError(
                    f"le serveur {nom} s'est arrêté au démarrage ({processus.returncode}) :\n"
                    + journal.read_text(encoding="utf-8", errors="replace")[-3000:]
                )
            try:
                urllib.request.urlopen(f"{url}/api/v1/memoires/pret", timeout=5).close()
                break
            except urllib.error.HTTPError:
                break  # any HTTP answer (401, 404) means it serves
            except OSError:
                if chrono() - debut > ATTENTE_DEMARRAGE_S:
                    raise RuntimeError(
                        f"le serveur {nom} ne répond pas après {ATTENTE_DEMARRAGE_S:.0f} s"
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        if processus.poll() is None:
            processus.send_signal(signal.SIGINT)
            try:
                processus.wait(timeout=30)
            except subprocess.TimeoutExpired:
                processus.kill()
                processus.wait()


def demander(
    url: str, jeton: str, methode: str = "GET", corps: bytes | None = None
) -> tuple[int, bytes]:
    """One request (outside the load) to check an answer and measure its size."""
    entetes = {"Authorization": f"Bearer {jeton}"}
    if corps is not None:
        entetes["Content-Type"] = "application/json"
    requete = urllib.request.Request(url, data=corps, headers=entetes, method=methode)
    try:
        with urllib.request.urlopen(requete, timeout=60) as reponse:
            statut: int = reponse.status
            return statut, reponse.read()
    except urllib.error.HTTPError as erreur:
        return erreur.code, erreur.read()


def _exiger(statut: int, attendu: int, corps: bytes, quoi: str) -> None:
    if statut != attendu:
        raise RuntimeError(
            f"{quoi} : l'API a répondu {statut} au lieu de {attendu} : "
            f"{corps[:1000].decode('utf-8', errors='replace')}"
        )


# -- the requests ---------------------------------------------------------------------------


def identifiants(chemin: Path, structure_id: str, graine: int) -> list[str]:
    """`IDENTIFIANTS` mémoires of the structure drawn with a fixed seed."""
    connexion = sqlite3.connect(f"file:{chemin}?mode=ro", uri=True)
    try:
        tous = sorted(
            ligne[0]
            for ligne in connexion.execute(
                "SELECT id FROM memoires WHERE structure_id = ?", (structure_id,)
            )
        )
    finally:
        connexion.close()
    rng = random.Random(f"{graine}/api")
    return rng.sample(tous, min(IDENTIFIANTS, len(tous)))


def corps_de_ligne(memoire: Memoire) -> bytes:
    """The body of `POST …/lignes` (API.md): the mémoire's first line, entered again."""
    ligne = memoire.lignes[0]
    return json.dumps(
        {
            "numero_affaire": ligne.numero_affaire,
            "date_requisition": ligne.date_requisition.isoformat(),
            "autorite_requerante": ligne.autorite_requerante,
            "type_prestation": ligne.type_prestation,
            "date_prestation": ligne.date_prestation.isoformat(),
            "quantite": str(ligne.quantite),
            "tarif_ht": str(ligne.tarif_ht),
            "taux_tva": str(ligne.taux_tva.value),
            "frais_divers": [
                {"libelle": f.libelle, "montant_ht": str(f.montant_ht)} for f in ligne.frais_divers
            ],
            "debours": str(ligne.debours),
        }
    ).encode()


def _comparer(
    tir: Tir,
    nom: str,
    description: str,
    taille: int,
    url_api: str,
    url_nue: str,
    requetes: Sequence[str],
    jeton: str,
    corps: bytes | None,
    cible: float | None,
) -> Comparaison:
    mesures: dict[str, Charge] = {}
    for cote, url in (("nue", url_nue), ("api", url_api)):
        print(f"  {nom} — {'API' if cote == 'api' else 'point nu'}…", flush=True)
        if tir.echauffement_s > 0:
            charger(tir, url, requetes, corps, jeton, duree_s=tir.echauffement_s)
        mesures[cote] = charger(tir, url, requetes, corps, jeton)
    return Comparaison(nom, description, taille, mesures["api"], mesures["nue"], cible)


def mesurer_api(chemin: Path, monde: Monde, tir: Tir) -> ResultatApi:
    """Every comparison of the run (see the module's docstring)."""
    chemin = chemin.resolve()
    # The system clock, as the server's: the session must not have expired by its reckoning.
    chorus = construire(f"sqlite:///{chemin}")
    journal = Journal(chemin)
    restes = journal.nettoyer(chorus)
    if restes:
        print(f"  {restes} brouillons d'une mesure interrompue supprimés", flush=True)
    grande = monde.structures[0]
    utilisateur = grande.gestionnaire
    structure_id = grande.structure.id
    lignes_ajoutees = 0
    brouillons: list[str] = []
    try:
        chorus.comptes.definir_mot_de_passe(utilisateur.id, MOT_DE_PASSE)
        session = chorus.comptes.ouvrir_session(utilisateur.email, MOT_DE_PASSE)
        journal.session(utilisateur.id, session.jeton)
        jeton = session.jeton
        ids = identifiants(chemin, structure_id, monde.parametres.graine)
        recent = chorus.consultation.rechercher(
            utilisateur.id, FiltresMemoire(structure_id=structure_id), Tri(), Pagination(1, 1)
        ).elements[0]
        modele = chorus.memoires.obtenir(utilisateur.id, recent.id)
        entete = attrs.evolve(modele.entete, commentaire=COMMENTAIRE, numero_facture=None)
        corps = corps_de_ligne(modele)

        def nouveau_brouillon() -> str:
            memoire_id = chorus.memoires.creer(utilisateur.id, entete).id
            journal.brouillon(memoire_id)
            return memoire_id

        get_memoire = [f"GET /api/v1/memoires/{i}" for i in ids]
        get_page = [
            f"GET /api/v1/memoires?structure_id={structure_id}&page={p}&par_page={PAR_PAGE}"
            for p in range(1, PAGES + 1)
        ]
        with tempfile.TemporaryDirectory(prefix="banc-api-") as dossier:
            port_api = port_libre()
            commande_api = [
                sys.executable,
                "-m",
                "chorus.cli",
                "serve",
                "--storage",
                f"sqlite:///{chemin}",
                "--port",
                str(port_api),
            ]
            print(f"  démarrage de chorus serve sur 127.0.0.1:{port_api}…", flush=True)
            with serveur("api", commande_api, port_api, Path(dossier)) as url_api:
                tailles_memoire = []
                for memoire_id in ids[:20]:
                    statut, reponse = demander(f"{url_api}/api/v1/memoires/{memoire_id}", jeton)
                    _exiger(statut, 200, reponse, f"GET /api/v1/memoires/{memoire_id}")
                    tailles_memoire.append(len(reponse))
                statut, reponse = demander(url_api + get_page[0].split(" ", 1)[1], jeton)
                _exiger(statut, 200, reponse, "GET /api/v1/memoires?structure_id=…")
                taille_page = len(reponse)
                essai = nouveau_brouillon()
                statut, reponse = demander(
                    f"{url_api}/api/v1/memoires/{essai}/lignes", jeton, "POST", corps
                )
                _exiger(statut, 201, reponse, "POST /api/v1/memoires/{id}/lignes")
                taille_ligne = len(reponse)
                taille_memoire = round(statistics.median(tailles_memoire))
                port_nu = port_libre()
                commande_nue = [
                    sys.executable,
                    "-m",
                    "bench.api_nue",
                    "--port",
                    str(port_nu),
                    "--memoire",
                    str(taille_memoire),
                    "--page",
                    str(taille_page),
                    "--ligne",
                    str(taille_ligne),
                ]
                with serveur("nu", commande_nue, port_nu, Path(dossier)) as url_nue:
                    comparaisons = [
                        _comparer(
                            tir,
                            "GET /api/v1/memoires/{id}",
                            f"un mémoire parmi {len(ids)} de la structure",
                            taille_memoire,
                            url_api,
                            url_nue,
                            get_memoire,
                            jeton,
                            None,
                            CIBLE_RATIO_API,
                        ),
                        _comparer(
                            tir,
                            "GET /api/v1/memoires?structure_id=…&page=…",
                            f"pages 1 à {PAGES} de {PAR_PAGE} mémoires de la structure",
                            taille_page,
                            url_api,
                            url_nue,
                            get_page,
                            jeton,
                            None,
                            CIBLE_RATIO_API,
                        ),
                    ]
                    # Enough drafts that each receives about LIGNES_PAR_BROUILLON lines,
                    # reckoned on the reading throughput (adding a line is not faster).
                    attendues = comparaisons[0].api.debit * (tir.duree_s + tir.echauffement_s)
                    nombre = min(2000, max(4, math.ceil(attendues / LIGNES_PAR_BROUILLON)))
                    print(f"  création de {nombre} brouillons…", flush=True)
                    brouillons = [nouveau_brouillon() for _ in range(nombre)]
                    comparaison_ligne = _comparer(
                        tir,
                        "POST /api/v1/memoires/{id}/lignes",
                        f"une ligne ajoutée à l'un de {nombre} brouillons",
                        taille_ligne,
                        url_api,
                        url_nue,
                        [f"POST /api/v1/memoires/{b}/lignes" for b in brouillons],
                        jeton,
                        corps,
                        None,
                    )
                    comparaisons.append(comparaison_ligne)
                    lignes_ajoutees = comparaison_ligne.api.requetes
    finally:
        supprimes = journal.nettoyer(chorus)
        print(
            f"  {supprimes} brouillons créés pour la mesure supprimés (MemoireService.supprimer)",
            flush=True,
        )
    return ResultatApi(
        utilisateur=f"prestataire de la plus grande structure ({grande.nombre} mémoires)",
        connexions=tir.connexions,
        fils=tir.fils,
        duree_s=tir.duree_s,
        echauffement_s=tir.echauffement_s,
        serveur="uvicorn, 1 processus (réglages de chorus serve), 127.0.0.1, port libre",
        comparaisons=tuple(comparaisons),
        brouillons=len(brouillons) + 1,
        lignes_ajoutees=lignes_ajoutees,
    )
