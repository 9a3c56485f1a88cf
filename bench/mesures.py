"""Latencies of what users wait for, measured through the use cases.

Each scenario is called `repetitions` times (after a warm-up) with values drawn from the
data set (a number, a case, a month…) so that no single lucky value is measured; its p50,
p95 and max are compared with the target. The layer measured is named on each row:

- ``ConsultationService.*``: the prestataire's use cases (a unit of work, the user's
  structures loaded and their habilitations turned into a périmètre, then the query);
- ``TraitementService.rechercher``: the agent's search (the agent loaded, then the query);
- ``requetes.rechercher`` (diagnosis only): the adapter's query alone, with the same
  criteria, to tell the SQL from what the use case adds.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs

from bench.monde import Monde
from bench.progression import Barre, chrono
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.systeme.horloges import HorlogeFixe
from chorus.bootstrap import Chorus, construire
from chorus.domain import acces
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.organisation import Application
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import CleDeTri, CriteresMemoire, FiltresMemoire, Pagination, Tri

CIBLE_MS = 20.0
PAR_PAGE = 50

COUCHE_RECHERCHE = "ConsultationService.rechercher"
COUCHE_AGENT = "TraitementService.rechercher"
COUCHE_ADAPTATEUR = "requetes.rechercher"


@attrs.frozen
class Mesure:
    groupe: str
    nom: str
    couche: str
    durees_ms: tuple[float, ...]
    # Where the time goes when the target is missed (filled by `diagnostiquer`).
    diagnostic: dict[str, Any] | None = None

    @property
    def n(self) -> int:
        return len(self.durees_ms)

    @property
    def p50(self) -> float:
        return statistics.median(self.durees_ms)

    @property
    def p95(self) -> float:
        return centile(self.durees_ms, 95)

    @property
    def max(self) -> float:
        return max(self.durees_ms)

    @property
    def atteint(self) -> bool:
        return self.p95 <= CIBLE_MS

    def en_dict(self) -> dict[str, Any]:
        return {
            "groupe": self.groupe,
            "nom": self.nom,
            "couche": self.couche,
            "n": self.n,
            "p50_ms": round(self.p50, 3),
            "p95_ms": round(self.p95, 3),
            "max_ms": round(self.max, 3),
            "cible_ms": CIBLE_MS,
            "atteint": self.atteint,
            "durees_ms": [round(d, 3) for d in self.durees_ms],
            "diagnostic": self.diagnostic,
        }


def centile(valeurs: Sequence[float], rang: int) -> float:
    """The `rang`-th percentile, by linear interpolation between the closest ranks."""
    ordonnees = sorted(valeurs)
    if len(ordonnees) == 1:
        return ordonnees[0]
    position = (len(ordonnees) - 1) * rang / 100
    bas = int(position)
    haut = min(bas + 1, len(ordonnees) - 1)
    return ordonnees[bas] + (ordonnees[haut] - ordonnees[bas]) * (position - bas)


@attrs.frozen
class Recherche:
    """What a search scenario asks, for its diagnosis at the adapter's level."""

    criteres: Callable[[int], tuple[CriteresMemoire, Tri]]


@attrs.frozen
class Scenario:
    groupe: str
    nom: str
    couche: str
    appel: Callable[[int], object]
    recherche: Recherche | None = None
    repetitions: int | None = None


def chronometrer(
    appel: Callable[[int], object], repetitions: int, budget_s: float, echauffement: int = 3
) -> tuple[float, ...]:
    """`repetitions` timed calls (ms) after `echauffement` untimed ones; stops early (at
    least 5 calls) once `budget_s` seconds are spent, so that a slow scenario does not hold
    the whole run."""
    for k in range(echauffement):
        appel(-1 - k)
    durees: list[float] = []
    depart = chrono()
    for k in range(repetitions):
        debut = chrono()
        appel(k)
        durees.append((chrono() - debut) * 1000)
        if len(durees) >= 5 and chrono() - depart > budget_s:
            break
    return tuple(durees)


# -- the users and the values they search by ----------------------------------------------


@attrs.frozen
class Profil:
    """A user of the data set, what they see, and values found in what they see."""

    groupe: str
    utilisateur_id: str
    agent: bool
    # SQL restricting `memoires` to what the user sees, and its parameters.
    ou: str
    parametres: tuple[Any, ...]
    structures: tuple[str, ...]
    valeurs: dict[str, tuple[Any, ...]]


def _echantillon(
    connexion: sqlite3.Connection,
    requete: str,
    parametres: Sequence[Any],
    rng: random.Random,
    nombre: int = 20,
) -> tuple[Any, ...]:
    valeurs = sorted({ligne[0] for ligne in connexion.execute(requete, parametres)})
    return tuple(rng.sample(valeurs, min(nombre, len(valeurs))))


def profil(
    connexion: sqlite3.Connection,
    monde: Monde,
    groupe: str,
    utilisateur_id: str,
    structures: Sequence[str],
    agent: bool = False,
) -> Profil:
    """The values a user may search by, drawn (with a fixed seed) from what they see."""
    rng = random.Random(f"{monde.parametres.graine}/profil/{utilisateur_id}")
    if agent:
        juridictions = sorted(monde.agent.juridictions)
        ou = f"juridiction_code IN ({', '.join('?' * len(juridictions))}) AND statut <> ?"
        parametres: tuple[Any, ...] = (*juridictions, StatutMemoire.BROUILLON.value)
    else:
        ou = f"structure_id IN ({', '.join('?' * len(structures))})"
        parametres = tuple(structures)
    limite = "LIMIT 20000"

    def valeurs(colonne: str) -> tuple[Any, ...]:
        return _echantillon(
            connexion,
            f"SELECT {colonne} FROM memoires WHERE {ou} AND {colonne} IS NOT NULL {limite}",
            parametres,
            rng,
        )

    return Profil(
        groupe=groupe,
        utilisateur_id=utilisateur_id,
        agent=agent,
        ou=ou,
        parametres=parametres,
        structures=tuple(structures),
        valeurs={
            "numero": valeurs("numero"),
            "structure_id": valeurs("structure_id"),
            "service_id": valeurs("service_id"),
            "juridiction_code": valeurs("juridiction_code"),
            "numero_engagement_juridique": valeurs("numero_engagement_juridique"),
            "categorie_prestataire": valeurs("categorie_prestataire"),
            "texte_reference": valeurs("texte_reference"),
            "numero_affaire": _echantillon(
                connexion,
                "SELECT l.numero_affaire FROM memoires m "
                "JOIN lignes_prestation l ON l.memoire_id = m.id "
                f"WHERE {ou.replace('juridiction_code', 'm.juridiction_code')} {limite}",
                parametres,
                rng,
            ),
        },
    )


def _mois(monde: Monde, k: int) -> tuple[date, date]:
    """A month-long window somewhere in the data set's years (the k-th of a fixed draw)."""
    rng = random.Random(f"{monde.parametres.graine}/mois/{k}")
    fin = monde.parametres.fin
    premier = jour_a_paris(monde.parametres.instant_debut)
    du = premier + timedelta(days=rng.randrange((fin - premier).days - 30))
    return du, du + timedelta(days=30)


# -- scenarios ------------------------------------------------------------------------------


def scenarios_de_recherche(chorus: Chorus, monde: Monde, p: Profil) -> list[Scenario]:
    """A search by each criterion (first page of 50), then every sort order unfiltered."""
    couche = COUCHE_AGENT if p.agent else COUCHE_RECHERCHE
    pagination = Pagination(1, PAR_PAGE)
    tri_defaut = Tri()

    def service(filtres: FiltresMemoire, tri: Tri) -> object:
        if p.agent:
            return chorus.traitement.rechercher(p.utilisateur_id, filtres, tri, pagination)
        return chorus.consultation.rechercher(p.utilisateur_id, filtres, tri, pagination)

    def criteres(filtres: FiltresMemoire, tri: Tri) -> tuple[CriteresMemoire, Tri]:
        """The criteria the use case hands the adapter for this user and these filters."""
        with chorus.ports.uow as uow:
            if p.agent:
                agent = uow.utilisateurs.obtenir(p.utilisateur_id)
                return (
                    CriteresMemoire(
                        filtres=filtres,
                        juridictions=frozenset(agent.juridictions),
                        inclure_brouillons=False,
                    ),
                    tri,
                )
            structures = [
                s
                for s in uow.structures.pour_utilisateur(p.utilisateur_id)
                if s.est_membre(p.utilisateur_id)
            ]
        perimetre = acces.perimetre(structures, p.utilisateur_id, Application.FRAIS_DE_JUSTICE)
        return CriteresMemoire(filtres=filtres, perimetre=perimetre), tri

    def scenario(
        nom: str, filtres: Callable[[int], FiltresMemoire], tri: Callable[[int], Tri]
    ) -> Scenario:
        return Scenario(
            groupe=p.groupe,
            nom=nom,
            couche=couche,
            appel=lambda k: service(filtres(k), tri(k)),
            recherche=Recherche(lambda k: criteres(filtres(k), tri(k))),
        )

    def par_valeur(nom: str, champ: str) -> Scenario | None:
        valeurs = p.valeurs[champ]
        if not valeurs:
            return None
        return scenario(
            nom,
            lambda k: FiltresMemoire(**{champ: valeurs[k % len(valeurs)]}),
            lambda k: tri_defaut,
        )

    liste: list[Scenario | None] = [
        par_valeur("numéro", "numero"),
        par_valeur("structure", "structure_id"),
        par_valeur("service", "service_id"),
        par_valeur("juridiction", "juridiction_code"),
        par_valeur("n° d'engagement juridique", "numero_engagement_juridique"),
        par_valeur("catégorie", "categorie_prestataire"),
        par_valeur("texte de référence", "texte_reference"),
        par_valeur("n° d'affaire", "numero_affaire"),
        scenario(
            "statut fréquent (MIS_EN_PAIEMENT)",
            lambda k: FiltresMemoire(statuts=frozenset({StatutMemoire.MIS_EN_PAIEMENT})),
            lambda k: tri_defaut,
        ),
        scenario(
            "statuts rares (SUSPENDU, COMPLETE)",
            lambda k: FiltresMemoire(
                statuts=frozenset({StatutMemoire.SUSPENDU, StatutMemoire.COMPLETE})
            ),
            lambda k: tri_defaut,
        ),
        scenario(
            "date de dépôt (1 mois)",
            lambda k: FiltresMemoire(
                date_depot_du=_mois(monde, k)[0], date_depot_au=_mois(monde, k)[1]
            ),
            lambda k: tri_defaut,
        ),
        scenario(
            "date de statut (1 mois)",
            lambda k: FiltresMemoire(
                date_statut_du=_mois(monde, k)[0], date_statut_au=_mois(monde, k)[1]
            ),
            lambda k: tri_defaut,
        ),
    ]
    for cle in CleDeTri:
        for descendant in (True, False):
            sens = "↓" if descendant else "↑"
            liste.append(
                scenario(
                    f"tri {cle.value} {sens}",
                    lambda k: FiltresMemoire(),
                    lambda k, cle=cle, descendant=descendant: Tri(cle, descendant),  # type: ignore[misc]
                )
            )
    return [s for s in liste if s is not None]


def scenarios(chemin: Path, monde: Monde) -> tuple[Chorus, list[Scenario]]:
    """Every scenario of the run, on Chorus wired by `construire` to the database."""
    chorus = construire(f"sqlite:///{chemin}", clock=HorlogeFixe(monde.parametres.instant_fin))
    typique = monde.structures[monde.rang_typique]
    grande = monde.structures[0]
    multi = [monde.structures[r] for r in monde.rangs_du_multi]
    connexion = sqlite3.connect(f"file:{chemin}?mode=ro", uri=True)
    try:
        profils = [
            profil(
                connexion,
                monde,
                f"Prestataire d'une structure typique ({typique.nombre} mémoires)",
                typique.gestionnaire.id,
                [typique.structure.id],
            ),
            profil(
                connexion,
                monde,
                f"Prestataire de la plus grande structure ({grande.nombre} mémoires)",
                grande.gestionnaire.id,
                [grande.structure.id],
            ),
            profil(
                connexion,
                monde,
                f"Utilisateur rattaché à 20 structures ({sum(s.nombre for s in multi)} mémoires)",
                monde.multi.id,
                [s.structure.id for s in multi],
            ),
            profil(
                connexion,
                monde,
                f"Agent de la juridiction {monde.juridiction_de_l_agent} (recherche agent)",
                monde.agent.id,
                [],
                agent=True,
            ),
        ]
    finally:
        connexion.close()
    liste: list[Scenario] = []
    for p in profils:
        liste.extend(scenarios_de_recherche(chorus, monde, p))
    consultation = chorus.consultation
    for groupe, utilisateur in (
        ("Synthèse", typique.gestionnaire),
        ("Synthèse", grande.gestionnaire),
        ("Synthèse", monde.multi),
    ):
        liste.append(
            Scenario(
                groupe=groupe,
                nom=_qui(monde, utilisateur.id),
                couche="ConsultationService.synthese",
                appel=lambda k, u=utilisateur.id: consultation.synthese(u),  # type: ignore[misc]
            )
        )
    for utilisateur in (typique.gestionnaire, grande.gestionnaire, monde.multi):
        liste.append(
            Scenario(
                groupe="Tableau de bord",
                nom=_qui(monde, utilisateur.id),
                couche="ConsultationService.tableau_de_bord",
                appel=lambda k, u=utilisateur.id: consultation.tableau_de_bord(u),  # type: ignore[misc]
            )
        )
    annees = [monde.parametres.fin.year - 1 - k for k in range(monde.parametres.annees - 1)]

    def liste_fiscale(pagination: Pagination | None) -> Callable[[int], object]:
        def appel(k: int) -> object:
            annee = annees[k % len(annees)]
            return consultation.liste_fiscale(
                grande.gestionnaire.id,
                grande.structure.id,
                date(annee, 1, 1),
                date(annee, 12, 31),
                pagination=pagination,
            )

        return appel

    periode = f"une année civile ({annees[-1]}–{annees[0]})"
    liste.append(
        Scenario(
            groupe="Liste fiscale (plus grande structure)",
            nom=f"{periode}, page de {PAR_PAGE} et totaux",
            couche="ConsultationService.liste_fiscale",
            appel=liste_fiscale(Pagination(1, PAR_PAGE)),
            repetitions=len(annees) * 3,
        )
    )
    liste.append(
        Scenario(
            groupe="Liste fiscale (plus grande structure)",
            nom=f"{periode}, liste entière (export)",
            couche="ConsultationService.liste_fiscale",
            appel=liste_fiscale(None),
            repetitions=len(annees) * 2,
        )
    )
    return chorus, liste


def _qui(monde: Monde, utilisateur_id: str) -> str:
    if utilisateur_id == monde.multi.id:
        return "utilisateur rattaché à 20 structures"
    if utilisateur_id == monde.structures[0].gestionnaire.id:
        return f"plus grande structure ({monde.structures[0].nombre} mémoires)"
    typique = monde.structures[monde.rang_typique]
    return f"structure typique ({typique.nombre} mémoires)"


def mesurer(liste: Sequence[Scenario], repetitions: int, budget_s: float) -> list[Mesure]:
    mesures: list[Mesure] = []
    with Barre("Mesure des latences", len(liste)) as barre:
        for s in liste:
            durees = chronometrer(s.appel, s.repetitions or repetitions, budget_s)
            mesures.append(Mesure(s.groupe, s.nom, s.couche, durees))
            barre.avancer(1)
    return mesures


# -- diagnosis of the misses -------------------------------------------------------------


def _base_de(uow: object) -> Any:
    """The sqlite-utils `Database` of this thread's unit of work (the adapter's own), to
    record the statements it runs; None if the adapter keeps it elsewhere."""
    db = getattr(getattr(uow, "_fil", None), "db", None)
    return db if callable(getattr(db, "execute", None)) else None


def diagnostiquer(
    chemin: Path, s: Scenario, mesure: Mesure, repetitions: int, budget_s: float
) -> Mesure:
    """For a search that misses its target: the adapter's query alone (same criteria as
    the use case builds), then each SQL statement it runs (recorded on its connection, with
    its parameters) timed apart on that connection, with its query plan."""
    if s.recherche is None:
        return mesure
    recherche = s.recherche
    uow = UniteDeTravailSqlite(chemin)
    try:

        def adaptateur(k: int) -> object:
            criteres, tri = recherche.criteres(k)
            with uow:
                return uow.requetes.rechercher(criteres, tri, Pagination(1, PAR_PAGE))

        durees = chronometrer(adaptateur, repetitions, budget_s)
        criteres, tri = recherche.criteres(0)
        requetes: list[dict[str, Any]] = []
        with uow:
            db = _base_de(uow)
            if db is not None:
                # Every statement with its own parameters, as the adapter runs it (the
                # planner may choose otherwise for the same SQL with literal values).
                executees: list[tuple[str, Any]] = []
                executer = db.execute

                def enregistrer(sql: str, parametres: Any = None) -> Any:
                    executees.append((sql, parametres))
                    return executer(sql, parametres) if parametres is not None else executer(sql)

                db.execute = enregistrer
                try:
                    uow.requetes.rechercher(criteres, tri, Pagination(1, PAR_PAGE))
                finally:
                    del db.execute
                connexion: sqlite3.Connection = db.conn
                for sql, parametres in executees:
                    if not sql.lstrip().upper().startswith("SELECT"):
                        continue
                    valeurs = parametres if parametres is not None else ()
                    temps = chronometrer(
                        lambda k, sql=sql, v=valeurs: connexion.execute(sql, v).fetchall(),  # type: ignore[misc]
                        repetitions,
                        budget_s,
                        echauffement=1,
                    )
                    plan = [
                        ligne[3]
                        for ligne in connexion.execute(f"EXPLAIN QUERY PLAN {sql}", valeurs)
                    ]
                    requetes.append(
                        {
                            "sql": sql,
                            "parametres": [str(v) for v in valeurs]
                            if not isinstance(valeurs, dict)
                            else {k: str(v) for k, v in valeurs.items()},
                            "p50_ms": round(statistics.median(temps), 3),
                            "plan": plan,
                        }
                    )
    finally:
        uow.fermer()
    return attrs.evolve(
        mesure,
        diagnostic={
            "adaptateur_p50_ms": round(statistics.median(durees), 3),
            "adaptateur_p95_ms": round(centile(durees, 95), 3),
            "requetes": requetes,
        },
    )
