"""Throughput of the dépôt flux against raw SQL, in the same run.

A JSON flux of N mémoires (20,000 by default), 2 lines each, valid against the package's
référentiels (juridictions, texte de référence, types de prestation of the catégorie,
autorités requérantes), for one structure (an interpreters' agency with an espace Frais de
justice, two services and a coordonnée bancaire), made through the use cases on a fresh
SQLite file database created by the adapter (same schema, triggers, WAL,
``synchronous = FULL`` as the application). The flux is deposited (`FluxService.deposer`)
and that database is kept as a model; each run works on a copy of it:

- **flux**: `FluxService.traiter` on the deposit, timed whole: reading the file from the
  blob store, parsing, conversion and rules, numbering, storage, report, one unit of work
  per chunk;
- **raw SQL**: the very rows the integration wrote, on a copy of the same model: the
  mémoires read back from the flux's database through the adapter and mapped by its own
  mapping (`lignes_sql`, beforehand, not timed), with the flux's report and reference
  registry rows read back as they are, written per chunk of the flux's own size with
  ``executemany`` (lines, mémoires, report, registry), the flux's row and the draft sequence
  updated, one transaction per chunk.

Each is run twice, alternately, and the faster run of each is kept. Then an untimed
integration of a flux of at most 5,000 mémoires under cProfile tells where the time goes
(reading, conversion and rules, the service, storage), its shares applied to the best time.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from bench.generateur import DOSSIER, Lignes, en_lignes, inserer
from bench.monde import PDF
from bench.progression import chrono
from chorus.adapters.flux import LecteurDeFlux
from chorus.adapters.referentiels.donnees_paquet import ReferentielsDuPaquet
from chorus.adapters.storage.sqlite.connexion import ouvrir
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.bootstrap import Chorus, construire
from chorus.domain.flux.flux import Flux, FormatFlux, IssueReference, StatutFlux
from chorus.domain.memoire import Memoire
from chorus.domain.numerotation import sequence_brouillon
from chorus.domain.organisation import Adresse, TypeIdentifiant, TypeStructure
from chorus.domain.referentiels import TypeJuridiction
from chorus.services.flux import TAILLE_DU_LOT

CIBLE_DEBIT = 5_000.0
CIBLE_RATIO_FLUX = 0.3
# The profiled run integrates a flux of at most this many mémoires (cProfile doubles the time).
MEMOIRES_PROFILEES = 5_000

# The portal's day: every date of the flux is in the 60 days before it.
DEPOT = datetime(2025, 6, 30, 8, 0, tzinfo=UTC)
CATEGORIE = "INTERPRETE_TRADUCTEUR"
IBAN = "FR7630006000011234567890189"
SERVICES = (("NORD", "Antenne nord"), ("SUD", "Antenne sud"))
_PROFIL_NOMS = ("lecture du fichier", "conversion et règles", "service", "stockage", "autre")


@attrs.frozen
class ResultatFlux:
    memoires: int
    lignes: int
    octets: int
    par_lot: int
    flux_s: tuple[float, ...]
    brut_s: tuple[float, ...]
    flux_cpu_s: tuple[float, ...]
    brut_cpu_s: tuple[float, ...]
    # Rows written by the raw side, per table (the same as the flux's).
    lignes_brutes: tuple[tuple[str, int], ...]
    # LecteurDeFlux.lire alone on the file, outside the profile.
    lecture_s: float
    # Where the flux's time goes: (part, seconds), shares of the profiled run applied to
    # the best time; and the functions of most own time in that run (name, share).
    profil: tuple[tuple[str, float], ...]
    fonctions: tuple[tuple[str, float], ...]
    # Tables whose row count differs between the flux's database and the raw side's once
    # both are written (empty: the raw side wrote what the flux wrote).
    ecarts: tuple[str, ...] = ()

    @property
    def debit_flux(self) -> float:
        return self.memoires / min(self.flux_s)

    @property
    def debit_brut(self) -> float:
        return self.memoires / min(self.brut_s)

    @property
    def ratio(self) -> float:
        return self.debit_flux / self.debit_brut

    @property
    def ratio_processeur(self) -> float:
        """The ratio in processor time (the least of each side): less sensitive to a
        machine shared with other work, blind to the waits on the disk."""
        return min(self.brut_cpu_s) / min(self.flux_cpu_s)

    @property
    def debit_atteint(self) -> bool:
        return self.debit_flux >= CIBLE_DEBIT

    @property
    def ratio_atteint(self) -> bool:
        return self.ratio >= CIBLE_RATIO_FLUX

    def en_dict(self) -> dict[str, Any]:
        return {
            "memoires": self.memoires,
            "lignes": self.lignes,
            "octets_fichier": self.octets,
            "memoires_par_lot": self.par_lot,
            "flux_s": [round(d, 3) for d in self.flux_s],
            "brut_s": [round(d, 3) for d in self.brut_s],
            "flux_processeur_s": [round(d, 3) for d in self.flux_cpu_s],
            "brut_processeur_s": [round(d, 3) for d in self.brut_cpu_s],
            "ratio_processeur": round(self.ratio_processeur, 3),
            "debit_flux_par_s": round(self.debit_flux, 1),
            "debit_brut_par_s": round(self.debit_brut, 1),
            "ratio": round(self.ratio, 3),
            "cible_debit_par_s": CIBLE_DEBIT,
            "cible_ratio": CIBLE_RATIO_FLUX,
            "debit_atteint": self.debit_atteint,
            "ratio_atteint": self.ratio_atteint,
            "lignes_ecrites_sql_brut": dict(self.lignes_brutes),
            "tables_en_ecart": list(self.ecarts),
            "lecture_seule_s": round(self.lecture_s, 3),
            "profil_s": {nom: round(s, 3) for nom, s in self.profil},
            "fonctions_les_plus_couteuses": [
                {"fonction": nom, "part": round(part, 3)} for nom, part in self.fonctions
            ],
        }


# -- the flux file ---------------------------------------------------------------------------


def generer_flux(nombre: int, graine: int = 2025, lignes: int = 2) -> bytes:
    """A JSON flux of `nombre` mémoires of `lignes` lines each for the interpreters'
    structure of this module: every code taken from the package's référentiels, dates in
    the 60 days before `DEPOT`, amounts as text (as a prestataire's software writes them)."""
    rng = random.Random(f"{graine}/flux")
    referentiels = ReferentielsDuPaquet()
    tribunaux = [j.code for j in referentiels.juridictions() if j.type is TypeJuridiction.TJ]
    types = [t for t in referentiels.types_prestation() if t.categorie_prestataire == CATEGORIE]
    autorites = [a.code for a in referentiels.autorites_requerantes()]
    textes = sorted({t.texte_reference for t in types})
    aujourdhui = DEPOT.date()
    memoires: list[dict[str, Any]] = []
    for rang in range(nombre):
        tribunal = rng.choice(tribunaux)
        memoire: dict[str, Any] = {
            "reference": f"INT-2025-{rang + 1:07d}",
            "juridiction_code": tribunal,
            "texte_reference": rng.choice(textes),
            "type_tva": "TVA_SUR_DEBITS",
            "iban": IBAN,
            "numero_facture": f"F{rang + 1:08d}",
        }
        if rng.random() < 0.3:
            memoire["service_code"] = rng.choice(SERVICES)[0]
        memoire["lignes"] = [_ligne(rng, types, autorites, aujourdhui) for _ in range(lignes)]
        memoires.append(memoire)
    return json.dumps(
        {"version": "1.0", "memoires": memoires}, ensure_ascii=False, separators=(",", ":")
    ).encode()


def _ligne(
    rng: random.Random, types: Sequence[Any], autorites: Sequence[str], aujourdhui: date
) -> dict[str, Any]:
    type_prestation = rng.choice(types)
    if type_prestation.unite == "page":
        quantite = str(rng.randint(1, 40))
        tarif = Decimal(rng.randint(1_500, 3_000)) / 100
    else:
        quantite = rng.choice(("1", "1.5", "2", "2.5", "3", "4", "6", "8"))
        tarif = Decimal(rng.randint(3_000, 6_500)) / 100
    prestation = aujourdhui - timedelta(days=rng.randint(0, 60))
    ligne: dict[str, Any] = {
        "numero_affaire": f"PARQUET-25-{rng.randint(1, 99_999):05d}",
        "date_requisition": (prestation - timedelta(days=rng.randint(0, 20))).isoformat(),
        "autorite_requerante": rng.choice(autorites),
        "type_prestation": type_prestation.code,
        "date_prestation": prestation.isoformat(),
        "quantite": quantite,
        "tarif_ht": f"{tarif:.2f}",
        "taux_tva": "20",
    }
    if rng.random() < 0.1:
        ligne["frais_divers"] = [
            {"libelle": "Déplacement", "montant": f"{Decimal(rng.randint(800, 9_000)) / 100:.2f}"}
        ]
    if rng.random() < 0.05:
        ligne["debours"] = f"{Decimal(rng.randint(300, 4_000)) / 100:.2f}"
    return ligne


# -- the model database: a structure and the deposited flux ----------------------------------


@attrs.frozen
class _Modele:
    dossier: Path
    gestionnaire_id: str
    numero: str
    contenu: bytes


def _base(dossier: Path) -> Path:
    return dossier / "chorus.db"


def _chorus(dossier: Path) -> Chorus:
    return construire(f"sqlite:///{_base(dossier)}", clock=HorlogeFixe(DEPOT))


def _fermer(chorus: Chorus) -> None:
    fermer: Callable[[], None] | None = getattr(chorus.ports.uow, "fermer", None)
    if fermer is not None:
        fermer()


def _preparer_modele(dossier: Path, nombre: int) -> _Modele:
    """The structure made through the use cases and the flux deposited (not processed), in
    a database of its own whose WAL is then checkpointed, so that copying its folder gives
    the same starting point to every run."""
    shutil.rmtree(dossier, ignore_errors=True)
    dossier.mkdir(parents=True)
    chorus = _chorus(dossier)
    try:
        gestionnaire = chorus.utilisateurs.creer_compte(
            email="flux@interpretes-du-rhone.fr", nom="Garcia", prenom="Inès", actif=True
        )
        qui = gestionnaire.id
        structure = chorus.structures.creer(
            qui,
            type_structure=TypeStructure.ENTREPRISE,
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant="41234567000019",
            raison_sociale="Interprètes du Rhône",
            adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
        )
        chorus.structures.definir_espace_frais_de_justice(
            qui, structure.id, categorie_prestataire=CATEGORIE, regime=None
        )
        for code, libelle in SERVICES:
            chorus.structures.ajouter_service(qui, structure.id, code=code, libelle=libelle)
        chorus.structures.ajouter_coordonnee_bancaire_avec_rib(
            qui,
            structure.id,
            libelle="Compte courant",
            iban=IBAN,
            bic="AGRIFRPP882",
            contenu_rib=PDF,
            nom_fichier_rib="RIB.pdf",
        )
        contenu = generer_flux(nombre)
        flux = chorus.flux.deposer(
            qui,
            structure_id=structure.id,
            format=FormatFlux.JSON,
            nom_fichier="memoires.json",
            contenu=contenu,
        )
    finally:
        _fermer(chorus)
    connexion = sqlite3.connect(_base(dossier))
    try:
        connexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connexion.close()
    return _Modele(dossier, qui, flux.numero, contenu)


def _copie(modele: _Modele, nom: str) -> Path:
    dossier = modele.dossier.with_name(nom)
    shutil.rmtree(dossier, ignore_errors=True)
    shutil.copytree(modele.dossier, dossier)
    return dossier


# -- the two sides ---------------------------------------------------------------------------


def _par_le_flux(
    modele: _Modele, profil: cProfile.Profile | None = None
) -> tuple[float, float, Path]:
    """`FluxService.traiter` on a copy of the model, timed whole; checks that every mémoire
    was integrated. Returns the time, the processor time and the folder of that copy."""
    dossier = _copie(modele, "flux-integration")
    chorus = _chorus(dossier)
    try:
        # Opens the connection (and applies nothing: the model is migrated), untimed.
        avant = chorus.flux.obtenir(modele.gestionnaire_id, modele.numero)
        if avant.statut is not StatutFlux.IN_RECU:
            raise AssertionError(f"le flux du modèle est {avant.statut.value}, pas IN_RECU")
        if profil is not None:
            profil.enable()
        debut, processeur = chrono(), time.process_time()
        flux = chorus.flux.traiter(modele.numero)
        duree, processeur = chrono() - debut, time.process_time() - processeur
        if profil is not None:
            profil.disable()
    finally:
        _fermer(chorus)
    _verifier(flux)
    return duree, processeur, dossier


def _verifier(flux: Flux) -> None:
    if flux.statut is not StatutFlux.IN_INTEGRE or flux.integres != flux.total:
        raise AssertionError(
            f"flux {flux.numero} : {flux.statut.value}, {flux.integres} intégrés sur "
            f"{flux.total} ({flux.refuses} refusés) : le fichier du banc devrait passer entier"
        )


@attrs.frozen
class _Lot:
    """What one chunk of the flux wrote, as rows ready for ``executemany``."""

    memoires: Lignes
    # (table, columns, rows) for the flux's own tables, in writing order.
    tables: tuple[tuple[str, tuple[str, ...], list[tuple[Any, ...]]], ...]
    sequences: tuple[tuple[str, int], ...]
    # The flux's row after this chunk, (column, value) but its id: as the integration left
    # it after the last chunk; before, that row with the status and counters of the moment
    # (a terminated flux may not change any more).
    flux: tuple[tuple[str, Any], ...]


@attrs.frozen
class _Ecritures:
    lots: tuple[_Lot, ...]
    flux_id: str


def _ecritures(dossier: Path, modele: _Modele, taille: int) -> _Ecritures:
    """The rows the integration wrote into `dossier`'s database, grouped by chunk of
    `taille` mémoires of the file: the mémoires read back through the adapter and mapped by
    its mapping, the flux's report and registry rows read as they are."""
    chorus = _chorus(dossier)
    try:
        rapport = chorus.flux.rapport(modele.gestionnaire_id, modele.numero)
        uow = chorus.ports.uow
        with uow.lecture() as lecture:
            par_rang: dict[int, Memoire] = {
                r.rang: lecture.memoires.obtenir(r.memoire_id)
                for r in rapport
                if r.issue is IssueReference.INTEGRE and r.memoire_id is not None
            }
    finally:
        _fermer(chorus)
    connexion = sqlite3.connect(f"file:{_base(dossier)}?mode=ro", uri=True)
    try:
        flux_colonnes, flux_valeurs, flux_id = _ligne_du_flux(connexion, modele.numero)
        tables = _tables_du_flux(
            connexion, flux_id, modele.numero, {r.reference: r.rang for r in rapport}
        )
    finally:
        connexion.close()
    final = tuple((c, v) for c, v in zip(flux_colonnes, flux_valeurs, strict=True) if c != "id")
    nombre_de_lots = (len(rapport) + taille - 1) // taille
    lots: list[_Lot] = []
    issues = dict.fromkeys(IssueReference, 0)
    for k in range(nombre_de_lots):
        rangs = range(k * taille, min((k + 1) * taille, len(rapport)))
        memoires = [par_rang[r] for r in rangs if r in par_rang]
        tables_du_lot = tuple(
            (nom, colonnes, [ligne for rang, ligne in lignes if rang in rangs])
            for nom, colonnes, lignes in tables
        )
        for r in rapport[rangs.start : rangs.stop]:
            issues[r.issue] += 1
        # Before the last chunk the flux is still being integrated (a terminated one may
        # not change): its final row with the status and counters of that moment.
        progression = {
            "statut": StatutFlux.IN_EN_TRAITEMENT.value,
            "traites": rangs.stop,
            "integres": issues[IssueReference.INTEGRE],
            "deja_integres": issues[IssueReference.DEJA_INTEGRE],
            "refuses": issues[IssueReference.REFUSE],
        }
        flux = (
            final
            if k == nombre_de_lots - 1
            else tuple((c, progression.get(c, v)) for c, v in final)
        )
        lots.append(_Lot(en_lignes(memoires), tables_du_lot, _sequences(memoires), flux))
    return _Ecritures(tuple(lots), flux_id)


def _sequences(memoires: Sequence[Memoire]) -> tuple[tuple[str, int], ...]:
    """The draft sequences as the chunk leaves them (``TMP2025000000123`` → 123)."""
    fin: dict[str, int] = {}
    for memoire in memoires:
        numero = memoire.numero_brouillon
        if numero is not None:
            nom = sequence_brouillon(int(numero[3:7]))
            fin[nom] = max(fin.get(nom, 0), int(numero[7:]))
    return tuple(sorted(fin.items()))


def _ligne_du_flux(
    connexion: sqlite3.Connection, numero: str
) -> tuple[tuple[str, ...], tuple[Any, ...], str]:
    curseur = connexion.execute("SELECT * FROM flux WHERE numero = ?", (numero,))
    colonnes = tuple(d[0] for d in curseur.description)
    valeurs = curseur.fetchone()
    return colonnes, tuple(valeurs), str(valeurs[colonnes.index("id")])


def _tables_du_flux(
    connexion: sqlite3.Connection, flux_id: str, numero: str, rangs: dict[str | None, int]
) -> list[tuple[str, tuple[str, ...], list[tuple[int, tuple[Any, ...]]]]]:
    """The rows of the flux's own tables (its report, the references registry) that this
    flux wrote, each with the rank in the file of the mémoire it belongs to (its ``rang``,
    else found by its ``reference`` in `rangs`), in that order."""
    tables: list[tuple[str, tuple[str, ...], list[tuple[int, tuple[Any, ...]]]]] = []
    noms = [
        nom
        for (nom,) in connexion.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%flux%' "
            "AND name != 'flux' ORDER BY name"
        )
    ]
    for nom in noms:
        colonnes = tuple(ligne[1] for ligne in connexion.execute(f"PRAGMA table_info({nom})"))
        if "flux_id" in colonnes:
            filtre, valeur = "flux_id", flux_id
        elif "flux_numero" in colonnes:
            filtre, valeur = "flux_numero", numero
        else:
            continue
        lignes = [
            tuple(ligne)
            for ligne in connexion.execute(
                f"SELECT {', '.join(colonnes)} FROM {nom} WHERE {filtre} = ?", (valeur,)
            )
        ]
        if "rang" in colonnes:
            position = colonnes.index("rang")
            par_rang = [(int(ligne[position]), ligne) for ligne in lignes]
        elif "reference" in colonnes:
            position = colonnes.index("reference")
            par_rang = [(rangs[ligne[position]], ligne) for ligne in lignes]
        else:
            continue
        tables.append((nom, colonnes, sorted(par_rang, key=lambda e: e[0])))
    return tables


def _ecarts(base_du_flux: Path, base_brute: Path) -> tuple[str, ...]:
    """The tables whose row counts differ between the two databases: what the flux wrote
    that the raw side did not (or the reverse), said beside the figures."""

    def comptes(dossier: Path) -> dict[str, int]:
        connexion = sqlite3.connect(f"file:{_base(dossier)}?mode=ro", uri=True)
        try:
            noms = [
                nom
                for (nom,) in connexion.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                nom: connexion.execute(f'SELECT count(*) FROM "{nom}"').fetchone()[0]
                for nom in noms
            }
        finally:
            connexion.close()

    flux, brut = comptes(base_du_flux), comptes(base_brute)
    return tuple(
        f"{nom} ({flux.get(nom)} contre {brut.get(nom)})"
        for nom in sorted(flux.keys() | brut.keys())
        if flux.get(nom) != brut.get(nom)
    )


def _en_sql_brut(modele: _Modele, ecritures: _Ecritures) -> tuple[float, float, Path]:
    """The same rows into a copy of the model, with ``executemany``, one transaction per
    chunk. Returns the time, the processor time and the folder of that copy."""
    dossier = _copie(modele, "flux-sql-brut")
    # The adapter's own opening: the application's settings (WAL, synchronous = FULL,
    # foreign keys, cache), nothing to migrate in a copy of the model.
    db = ouvrir(_base(dossier))
    connexion = db.conn
    try:
        maj_flux = [
            (
                f"UPDATE flux SET {', '.join(f'{c} = ?' for c, _ in lot.flux)} WHERE id = ?",
                (*(v for _, v in lot.flux), ecritures.flux_id),
            )
            for lot in ecritures.lots
        ]
        debut, processeur = chrono(), time.process_time()
        for lot, (maj, parametres) in zip(ecritures.lots, maj_flux, strict=True):
            connexion.execute("BEGIN IMMEDIATE")
            inserer(connexion, lot.memoires)
            for nom, cols, lignes in lot.tables:
                connexion.executemany(
                    f"INSERT INTO {nom} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    lignes,
                )
            connexion.executemany(
                "INSERT INTO sequences (nom, valeur) VALUES (?, ?) "
                "ON CONFLICT (nom) DO UPDATE SET valeur = max(valeur, excluded.valeur)",
                lot.sequences,
            )
            connexion.execute(maj, parametres)
            connexion.execute("COMMIT")
        return chrono() - debut, time.process_time() - processeur, dossier
    finally:
        db.close()


# -- where the time goes ---------------------------------------------------------------------

_Fonction = tuple[str, int, str]


def _partie_propre(fonction: _Fonction) -> str | None:
    """The part of the integration a function's own time belongs to, by its module; None
    for what serves several parts (the standard library, attrs and cattrs, built-ins, the
    ports' read models, the codec), whose time goes to their caller's part."""
    fichier = fonction[0].replace("\\", "/")
    if "/chorus/adapters/flux/" in fichier:
        return "lecture du fichier"
    if "/chorus/adapters/storage/" in fichier or "/sqlite_utils/" in fichier:
        return "stockage"
    if fichier == "~" and "sqlite3." in fonction[2]:
        return "stockage"
    if "/chorus/domain/" in fichier or "<attrs generated" in fichier:
        return "conversion et règles"
    if "/chorus/services/" in fichier:
        return "service"
    return None


def _repartir(stats: dict[_Fonction, Any]) -> tuple[dict[str, float], float]:
    """Own time per part; a function of no part of its own takes its main caller's part
    (the caller of largest cumulative time through it)."""
    connues: dict[_Fonction, str] = {}

    def partie(fonction: _Fonction, profondeur: int = 0) -> str:
        if fonction in connues:
            return connues[fonction]
        trouvee = _partie_propre(fonction)
        if trouvee is None:
            appelants = stats[fonction][4] if fonction in stats else {}
            if not appelants or profondeur > 50:
                trouvee = "autre"
            else:
                principal = max(appelants, key=lambda a: appelants[a][3])
                trouvee = partie(principal, profondeur + 1)
        connues[fonction] = trouvee
        return trouvee

    parts = dict.fromkeys(_PROFIL_NOMS, 0.0)
    total = 0.0
    for fonction, (_, _, propre, _, _) in stats.items():
        parts[partie(fonction)] += propre
        total += propre
    return parts, total


def _nom_court(fonction: _Fonction) -> str:
    fichier, ligne, nom = fonction
    if fichier == "~":
        return nom
    chemin = fichier.replace("\\", "/")
    if "/chorus/" in chemin:
        chemin = "chorus/" + chemin.rsplit("/chorus/", 1)[1]
    else:
        chemin = chemin.rsplit("/", 1)[-1]
    return f"{chemin}:{ligne}({nom})"


def _profiler(
    modele: _Modele, meilleur_s: float
) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]:
    profil = cProfile.Profile()
    _par_le_flux(modele, profil)
    stats: dict[_Fonction, Any] = pstats.Stats(profil).stats  # type: ignore[attr-defined]
    parts, total = _repartir(stats)
    total = total or 1.0
    repartition = tuple((nom, meilleur_s * parts[nom] / total) for nom in _PROFIL_NOMS)
    plus_couteuses = sorted(stats.items(), key=lambda e: e[1][2], reverse=True)[:10]
    fonctions = tuple((_nom_court(f), valeurs[2] / total) for f, valeurs in plus_couteuses)
    return repartition, fonctions


# -- the measure -----------------------------------------------------------------------------


def mesurer_flux(nombre: int, dossier: Path | None = None) -> ResultatFlux:
    """Both sides, twice each in turn, then the profiled run; the folders are removed."""
    racine = dossier or DOSSIER / "flux"
    print(
        f"Flux : génération d'un flux JSON de {nombre} mémoires et dépôt sur une base neuve…",
        flush=True,
    )
    modele = _preparer_modele(racine / "modele", nombre)
    try:
        debut = chrono()
        LecteurDeFlux().lire(FormatFlux.JSON, modele.contenu)
        lecture = chrono() - debut
        integration: list[float] = []
        brut: list[float] = []
        # Processor time beside: what each side costs whatever else the machine runs.
        integration_cpu: list[float] = []
        brut_cpu: list[float] = []
        ecritures: _Ecritures | None = None
        ecarts: tuple[str, ...] = ()
        for tour in (1, 2):
            print(f"Flux : tour {tour}/2 (intégration, puis SQL brut)…", flush=True)
            duree, processeur, base_du_flux = _par_le_flux(modele)
            integration.append(duree)
            integration_cpu.append(processeur)
            premier = ecritures is None
            if ecritures is None:
                ecritures = _ecritures(base_du_flux, modele, TAILLE_DU_LOT)
            duree, processeur, base_brute = _en_sql_brut(modele, ecritures)
            brut.append(duree)
            brut_cpu.append(processeur)
            if premier:
                ecarts = _ecarts(base_du_flux, base_brute)
        assert ecritures is not None
        # Its costs are per mémoire: a smaller flux tells the shares as well, sooner.
        profile = min(nombre, MEMOIRES_PROFILEES)
        print(
            f"Flux : une intégration de {profile} mémoires sous cProfile (où va le temps)…",
            flush=True,
        )
        modele_profile = (
            modele if profile == nombre else _preparer_modele(racine / "modele-profil", profile)
        )
        profil, fonctions = _profiler(modele_profile, min(integration))
    finally:
        shutil.rmtree(racine, ignore_errors=True)
    comptes: dict[str, int] = {}
    for lot in ecritures.lots:
        comptes["lignes_prestation"] = comptes.get("lignes_prestation", 0) + len(
            lot.memoires.lignes
        )
        comptes["memoires"] = comptes.get("memoires", 0) + len(lot.memoires.memoires)
        for nom, _, lignes in lot.tables:
            comptes[nom] = comptes.get(nom, 0) + len(lignes)
    return ResultatFlux(
        memoires=nombre,
        lignes=comptes.get("lignes_prestation", 0),
        octets=len(modele.contenu),
        par_lot=TAILLE_DU_LOT,
        flux_s=tuple(integration),
        brut_s=tuple(brut),
        flux_cpu_s=tuple(integration_cpu),
        brut_cpu_s=tuple(brut_cpu),
        lignes_brutes=tuple(comptes.items()),
        lecture_s=lecture,
        profil=profil,
        fonctions=fonctions,
        ecarts=ecarts,
    )
