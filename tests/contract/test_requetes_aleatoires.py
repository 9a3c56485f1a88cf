"""Differential contract of the read side: every adapter against the reference semantics.

Hypothesis builds a random store (up to 22 mémoires, and the copies their duplication made,
of three structures, two services, three juridictions; lines whose numéros d'affaire and
amounts collide; every status from draft to paid, refused, abandoned and duplicated; instants
around midnight in Paris, on the days the clocks change, with various offsets; drafts deleted
after being stored, mémoires stored as drafts and sent or processed later by `enregistrer`, a
unit of work left without commit), then random criteria, sort orders and pages. Each adapter
must answer exactly what the reference answers over the same mémoires:
`ResumeMemoire.correspond` for the selection, `trier` for the order, a slice for the page,
and a plain count for `compter_par_statut`.

Résumés are compared with ``==`` and leaf by leaf (decimals written out, so that exponents
count); instants are compared as instants, since a database may give them back in UTC.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chorus.domain.acces import Perimetre
from chorus.domain.calendrier import jour_a_paris
from chorus.domain.entete import EnTete, ModeDepot, TypeTva
from chorus.domain.lignes import Totaux
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import (
    CleDeTri,
    CriteresMemoire,
    FiltresMemoire,
    Pagination,
    ResumeMemoire,
    Sommes,
    Tri,
    trier,
)
from tests.contract.agregats import envoyer, ligne, traiter
from tests.contract.conftest import Fabrique, Magasin

S = StatutMemoire
PARIS = ZoneInfo("Europe/Paris")

STRUCTURES = ("s-1", "s-2", "s-3")
SERVICES = ("svc-a", "svc-b")
JURIDICTIONS = ("TJ-69123", "TJ-75056", "CA-LYON")
CATEGORIES = (None, "PSYCHIATRE", "PSYCHOLOGUE", "INTERPRETE_TRADUCTEUR", "PSYCHIATRE")
TEXTES = ("A.43-6", "R.92", "R.93-1")
ENGAGEMENTS = (None, "NEJ-1", "NEJ-2")
FACTURES = (None, "F-2024/017")
AFFAIRES = ("AFF-1", "AFF-2", "AFF-3", "PARQUET-24-001")
QUANTITES = ("1", "2", "0.5")
TARIFS = ("0", "0.01", "10", "10.00", "33.33", "150", "150.00", "33.33")
TAUX = ("0", "5.5", "20")
REMISES = ("0", "0", "0", "0", "0", "10", "25.50")
DATE_PRESTATION = date(2024, 3, 1)
ACTEUR = "Paul Durand"

# Days around the changes of time in Paris (2024-03-31 and 2024-10-27) and an ordinary one.
JOURS = (
    date(2024, 3, 30),
    date(2024, 3, 31),
    date(2024, 4, 1),
    date(2024, 6, 14),
    date(2024, 10, 26),
    date(2024, 10, 27),
    date(2024, 10, 28),
    date(2025, 1, 1),
)
# Minutes from midnight in Paris: the hour before, the skipped or repeated hours after.
DECALAGES: tuple[int, ...] = (-150, -121, -120, -119, -90, -61, -60, -59, -30, -1, 0, 1)
DECALAGES += (30, 59, 60, 61, 119, 120, 121, 180)
MICROSECONDES = (-1, 0, 1, 123_456)
# Offsets, not Europe/Paris itself: Python never finds an instant of the repeated hour of
# 27 October (02:00–03:00) in a `ZoneInfo` equal to the same instant in another zone
# (PEP 495), so `==` on résumés would fail whatever the store.
FUSEAUX: tuple[tzinfo, ...] = (
    UTC,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-3, minutes=-30)),
)

# Every path a mémoire may take after its creation (each plan stops somewhere along one).
CHEMINS: tuple[tuple[StatutMemoire, ...], ...] = (
    (S.ENVOYE, S.MIS_A_DISPOSITION, S.CERTIFIE, S.MIS_EN_PAIEMENT),
    (S.ENVOYE, S.MIS_A_DISPOSITION, S.SUSPENDU, S.COMPLETE, S.CERTIFIE, S.MIS_EN_PAIEMENT),
    (S.ENVOYE, S.MIS_A_DISPOSITION, S.REFUSE, S.ABANDONNE),
    (S.ENVOYE, S.MIS_A_DISPOSITION, S.SUSPENDU, S.REFUSE, S.DUPLIQUE_POST_REFUS),
    (S.ENVOYE, S.MIS_A_DISPOSITION, S.SUSPENDU, S.COMPLETE, S.REFUSE, S.ABANDONNE),
    (S.ENVOYE, S.MIS_A_DISPOSITION, S.REFUSE, S.DUPLIQUE_POST_REFUS),
)

ACTIONS = {
    S.MIS_A_DISPOSITION: ActionTraitement.MISE_A_DISPOSITION,
    S.SUSPENDU: ActionTraitement.SUSPENSION,
    S.CERTIFIE: ActionTraitement.CERTIFICATION,
    S.REFUSE: ActionTraitement.REFUS,
    S.MIS_EN_PAIEMENT: ActionTraitement.MISE_EN_PAIEMENT,
}


# -- plans: what the store holds, as small values (so that a failing example reads well) ----


@attrs.frozen
class PlanLigne:
    affaire: str
    quantite: str
    tarif: str
    taux: str


@attrs.frozen
class PlanMemoire:
    """One mémoire: its en-tête, lines, the statuses it goes through (one instant each, the
    first being its creation), and at which of those stages it is written: the first by
    `ajouter`, the others by `enregistrer`, each in its own unit of work."""

    id: str
    numero: str
    numero_definitif: str
    structure_id: str
    service_id: str | None
    juridiction_code: str
    categorie: str | None
    texte: str
    engagement: str | None
    facture: str | None
    remise: str
    mode_depot: ModeDepot
    lignes: tuple[PlanLigne, ...]
    etapes: tuple[StatutMemoire, ...]
    instants: tuple[datetime, ...]
    ecritures: tuple[int, ...]
    montant_certifie: str | None
    montant_paye: str | None
    id_copie: str
    numero_copie: str


@attrs.frozen
class Scenario:
    gardes: tuple[PlanMemoire, ...]
    # Drafts stored, then deleted in a later unit of work.
    supprimes: tuple[PlanMemoire, ...]
    # A last unit of work deletes the kept drafts and adds the deleted ones again, then
    # ends without commit: none of it may show.
    abandon: bool


@attrs.frozen
class Requete:
    criteres: CriteresMemoire
    tri: Tri
    pagination: Pagination


def _minuit_a_paris(jour: date) -> datetime:
    return datetime.combine(jour, time(0), tzinfo=PARIS).astimezone(UTC)


instants = st.builds(
    lambda jour, minutes, micro: (
        _minuit_a_paris(jour) + timedelta(minutes=minutes, microseconds=micro)
    ),
    st.sampled_from(JOURS),
    st.sampled_from(DECALAGES),
    st.sampled_from(MICROSECONDES),
)

lignes_plan = st.builds(
    PlanLigne,
    affaire=st.sampled_from(AFFAIRES),
    quantite=st.sampled_from(QUANTITES),
    tarif=st.sampled_from(TARIFS),
    taux=st.sampled_from(TAUX),
)


def _entete(plan: PlanMemoire) -> EnTete:
    return EnTete.creer(
        structure_id=plan.structure_id,
        juridiction_code=plan.juridiction_code,
        texte_reference=plan.texte,
        type_tva=TypeTva.TVA_SUR_DEBITS,
        service_id=plan.service_id,
        coordonnee_bancaire_id=f"{plan.structure_id}-cb-1",
        categorie_prestataire=plan.categorie,
        numero_facture=plan.facture,
        numero_engagement_juridique=plan.engagement,
        remise_globale_ttc=plan.remise,
    )


def _etapes(plan: PlanMemoire) -> tuple[list[Memoire], Memoire | None]:
    """Every stage of the mémoire (the draft first), and the copy a duplication made."""
    memoire = Memoire.creer(
        id=plan.id,
        numero=plan.numero,
        entete=_entete(plan),
        acteur=ACTEUR,
        maintenant=plan.instants[0],
        mode_depot=plan.mode_depot,
    )
    for numero_ligne, une in enumerate(plan.lignes, start=1):
        memoire = memoire.ajouter_ligne(
            ligne(
                numero_ligne,
                quantite=une.quantite,
                tarif_ht=une.tarif,
                taux_tva=une.taux,
                numero_affaire=une.affaire,
                date_prestation=DATE_PRESTATION,
            )
        )
    etapes = [memoire]
    copie: Memoire | None = None
    for statut, instant in zip(plan.etapes, plan.instants[1:], strict=True):
        if statut is S.ENVOYE:
            memoire = envoyer(memoire, plan.numero_definitif, instant)
        elif statut is S.COMPLETE:
            memoire = memoire.completer(commentaire="Voici.", acteur=ACTEUR, maintenant=instant)
        elif statut is S.ABANDONNE:
            memoire = memoire.abandonner(acteur=ACTEUR, maintenant=instant)
        elif statut is S.DUPLIQUE_POST_REFUS:
            memoire, copie = memoire.dupliquer(
                id=plan.id_copie,
                numero=plan.numero_copie,
                acteur=ACTEUR,
                maintenant=instant,
                pieces=memoire.pieces_a_dupliquer(),
            )
        else:
            memoire = traiter(
                memoire,
                ACTIONS[statut],
                instant,
                montant_certifie=plan.montant_certifie if statut is S.CERTIFIE else None,
                montant_paye=plan.montant_paye if statut is S.MIS_EN_PAIEMENT else None,
            )
        assert memoire.statut is statut
        etapes.append(memoire)
    return etapes, copie


# Strategies are built once: hypothesis validates each new strategy object, which would
# cost more than the whole store when they are built for every draw.
_un = functools.cache(st.sampled_from)
_entre = functools.cache(st.integers)
_OUI_NON = st.booleans()
_LIGNES = st.lists(lignes_plan, min_size=1, max_size=3)


@functools.cache
def _distincts(minimum: int, maximum: int, nombre: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(minimum, maximum), min_size=nombre, max_size=nombre, unique=True)


def _net_a_payer(les_lignes: Sequence[PlanLigne], remise: str) -> Decimal:
    return Totaux.calculer(
        [
            ligne(
                n,
                quantite=une.quantite,
                tarif_ht=une.tarif,
                taux_tva=une.taux,
                numero_affaire=une.affaire,
                date_prestation=DATE_PRESTATION,
            )
            for n, une in enumerate(les_lignes, start=1)
        ],
        Decimal(remise),
    ).net_a_payer


def _plan(
    draw: st.DrawFn,
    *,
    id: str,
    numero: str,
    numero_definitif: str,
    id_copie: str,
    numero_copie: str,
    supprime: bool,
) -> PlanMemoire:
    categorie = draw(_un(CATEGORIES))
    remise = draw(_un(REMISES))
    les_lignes = tuple(draw(_LIGNES))
    etapes: tuple[StatutMemoire, ...] = ()
    # Only a draft with a catégorie and something to pay may be sent.
    if not supprime and categorie is not None and _net_a_payer(les_lignes, remise) > 0:
        chemin = draw(_un(CHEMINS))
        if draw(_un((True, True, True, True, False))):
            etapes = chemin[: draw(_entre(1, len(chemin)))]
    bruts = sorted(draw(instants) for _ in range(len(etapes) + 1))
    # The back office's events come at least an hour after the dépôt (they are dated an hour
    # before they are recorded, and may not precede it).
    for n in range(2, len(bruts)):
        bruts[n] = max(bruts[n], bruts[n - 1], bruts[1] + timedelta(hours=1))
    dates = tuple(instant.astimezone(draw(_un(FUSEAUX))) for instant in bruts)
    derniere = len(etapes)
    premiere = draw(_entre(0, derniere))
    milieu = draw(_entre(premiere, derniere)) if draw(_OUI_NON) else derniere
    return PlanMemoire(
        id=id,
        numero=numero,
        numero_definitif=numero_definitif,
        structure_id=draw(_un(STRUCTURES)),
        service_id=draw(_un((None, *SERVICES))),
        juridiction_code=draw(_un(JURIDICTIONS)),
        categorie=categorie,
        texte=draw(_un(TEXTES)),
        engagement=draw(_un(ENGAGEMENTS)),
        facture=draw(_un(FACTURES)),
        remise=remise,
        mode_depot=draw(_un(tuple(ModeDepot))),
        lignes=les_lignes,
        etapes=etapes,
        instants=dates,
        ecritures=tuple(sorted({premiere, milieu, derniere})),
        montant_certifie=draw(_un((None, "0.01"))),
        montant_paye=draw(_un((None, "0.01"))),
        id_copie=id_copie,
        numero_copie=numero_copie,
    )


def _scenario(draw: st.DrawFn) -> Scenario:
    # Mostly larger stores (hypothesis favours small values), and every size.
    gardes = draw(_entre(7, 22) if draw(_un((True, True, False))) else _entre(0, 6))
    supprimes = draw(_entre(0, 3))
    n = gardes + supprimes
    ids = draw(_distincts(0, 99, 2 * n))
    tmp = draw(_distincts(1, 999, 2 * n))
    mj = draw(_distincts(1, 999, n))
    tous = [
        _plan(
            draw,
            id=f"m-{ids[k]:02d}",
            numero=f"TMP2024000000{tmp[k]:03d}",
            numero_definitif=f"MJ00000000{mj[k]:03d}",
            id_copie=f"m-{ids[n + k]:02d}",
            numero_copie=f"TMP2024000000{tmp[n + k]:03d}",
            supprime=k >= gardes,
        )
        for k in range(n)
    ]
    return Scenario(tuple(tous[:gardes]), tuple(tous[gardes:]), draw(_OUI_NON))


def _numeros(scenario: Scenario) -> tuple[str, ...]:
    """Every number the store ever held, and one it never did."""
    numeros = []
    for plan in scenario.gardes:
        numeros.append(plan.numero)
        if plan.etapes:
            numeros.append(plan.numero_definitif)
        if S.DUPLIQUE_POST_REFUS in plan.etapes:
            numeros.append(plan.numero_copie)
    numeros.extend(plan.numero for plan in scenario.supprimes)
    return (*numeros, "MJ00000099999")


# The value each equality filter may be searched for (including one nothing has).
EGALITES: dict[str, tuple[str, ...]] = {
    "structure_id": (*STRUCTURES, "s-inconnue"),
    "service_id": SERVICES,
    "juridiction_code": JURIDICTIONS,
    "numero_engagement_juridique": ("NEJ-1", "NEJ-2"),
    "categorie_prestataire": ("PSYCHIATRE", "PSYCHOLOGUE", "INTERPRETE_TRADUCTEUR"),
    "texte_reference": TEXTES,
    "numero_affaire": (*AFFAIRES, "AFF-9"),
}
DATES = (
    frozenset({"date_statut"}),
    frozenset({"date_depot"}),
    frozenset({"date_statut", "date_depot"}),
)
FILTRES = ("date_statut", "date_depot", "numero", "statuts", *EGALITES)
_STATUTS = st.frozensets(st.sampled_from(StatutMemoire), min_size=1)
_JURIDICTIONS = st.frozensets(st.sampled_from((*JURIDICTIONS, "TJ-00000")), max_size=3)
_PAR_PAGE = st.sampled_from((1, 2, 3, 5, 500))

perimetres = st.builds(
    Perimetre,
    structures=st.frozensets(st.sampled_from((*STRUCTURES, "s-inconnue")), max_size=3),
    services=st.frozensets(
        st.tuples(st.sampled_from(STRUCTURES), st.sampled_from((*SERVICES, "svc-z"))),
        max_size=4,
    ),
)
_COMPTES = st.lists(perimetres, min_size=1, max_size=2)


def _jours(scenario: Scenario) -> tuple[date, ...]:
    """The days, in Paris and in UTC, of the store's instants (where a day in Paris is not the
    day in UTC, a bound on it tells them apart), or the days around the changes of time."""
    jours = {
        jour
        for plan in scenario.gardes
        for instant in plan.instants
        for jour in (jour_a_paris(instant), instant.astimezone(UTC).date())
    }
    return tuple(sorted(jours)) or JOURS


def _bornes(draw: st.DrawFn, jours: tuple[date, ...]) -> tuple[date | None, date | None]:
    """A range of days: one bound or both, possibly equal, reaching the calendar's ends, or
    excluding everything."""
    forme = draw(_un(("du", "au", "les deux", "egales", "extremes", "avant tout", "apres tout")))
    un, autre = draw(_un(jours)), draw(_un(jours))
    du, au = min(un, autre), max(un, autre)
    if forme == "egales":
        return un, un
    if forme == "du":
        return un, None
    if forme == "au":
        return None, un
    if forme == "extremes":
        return draw(_un((date.min, du))), draw(_un((date.max, au)))
    if forme == "avant tout":
        return draw(_un((None, date.min))), draw(_un((date(2023, 12, 31), date(2024, 3, 29))))
    if forme == "apres tout":
        return draw(_un((date(2024, 10, 29), date(2025, 1, 1)))), draw(_un((None, date.max)))
    return du, au


def _numero(draw: st.DrawFn, numeros: tuple[str, ...]) -> str:
    """A number as a user types it: lower case, with blanks around."""
    numero = draw(_un(numeros))
    if draw(_un((True, True, False))):
        numero = numero.lower()
    avant = draw(_un(("", " ", "  ", "\t")))
    apres = draw(_un(("", " ", "   ")))
    return f"{avant}{numero}{apres}"


def _filtres(
    draw: st.DrawFn,
    numeros: tuple[str, ...],
    jours: tuple[date, ...],
    actifs: frozenset[str] | None = None,
) -> FiltresMemoire:
    if actifs is None:
        actifs = frozenset(draw(_un(FILTRES)) for _ in range(draw(_un((0, 1, 1, 2, 3)))))
    valeurs: dict[str, object] = {}
    if "numero" in actifs:
        valeurs["numero"] = _numero(draw, numeros)
    for nom, possibles in EGALITES.items():
        if nom in actifs:
            valeurs[nom] = draw(_un(possibles))
    if "statuts" in actifs:
        valeurs["statuts"] = draw(_STATUTS)
    for nom in ("date_depot", "date_statut"):
        if nom in actifs:
            valeurs[f"{nom}_du"], valeurs[f"{nom}_au"] = _bornes(draw, jours)
    return FiltresMemoire(**valeurs)  # type: ignore[arg-type]


# Often no restriction or a wide one, sometimes a random one (which mostly excludes a lot).
def _perimetre(draw: st.DrawFn) -> Perimetre | None:
    forme = draw(_un(("aucun", "toutes", "aucun", "au hasard")))
    if forme == "aucun":
        return None
    return Perimetre(frozenset(STRUCTURES)) if forme == "toutes" else draw(perimetres)


def _juridictions(draw: st.DrawFn) -> frozenset[str] | None:
    forme = draw(_un(("aucun", "toutes", "aucun", "au hasard")))
    if forme == "aucun":
        return None
    return frozenset(JURIDICTIONS) if forme == "toutes" else draw(_JURIDICTIONS)


def _requete(
    draw: st.DrawFn,
    numeros: tuple[str, ...],
    jours: tuple[date, ...],
    actifs: frozenset[str] | None = None,
) -> Requete:
    """Any criteria; or, given `actifs`, only those filters and no other restriction."""
    if actifs is None:
        criteres = CriteresMemoire(
            filtres=_filtres(draw, numeros, jours),
            perimetre=_perimetre(draw),
            juridictions=_juridictions(draw),
            inclure_brouillons=draw(_un((True, True, False))),
        )
    else:
        criteres = CriteresMemoire(filtres=_filtres(draw, numeros, jours, actifs))
    return Requete(criteres, _tri(draw), _pagination(draw))


def _tri(draw: st.DrawFn) -> Tri:
    return Tri(draw(_un(tuple(CleDeTri))), draw(_OUI_NON))


def _pagination(draw: st.DrawFn) -> Pagination:
    return Pagination(page=draw(_un((1, 2, 3, 4, 9))), par_page=draw(_PAR_PAGE))


@st.composite
def cas(draw: st.DrawFn) -> tuple[Scenario, tuple[Requete, ...], tuple[Perimetre, ...]]:
    scenario = _scenario(draw)
    numeros = _numeros(scenario)
    jours = _jours(scenario)
    # A search by number alone, by dates alone, within a périmètre or some juridictions
    # alone, then with any criteria.
    les_requetes = (
        _requete(draw, numeros, jours, frozenset({"numero"})),
        _requete(draw, numeros, jours, draw(_un(DATES))),
        Requete(
            CriteresMemoire(FiltresMemoire(), perimetre=draw(perimetres)),
            _tri(draw),
            _pagination(draw),
        ),
        Requete(
            CriteresMemoire(
                FiltresMemoire(),
                juridictions=draw(_JURIDICTIONS),
                inclure_brouillons=draw(_OUI_NON),
            ),
            _tri(draw),
            _pagination(draw),
        ),
        *(_requete(draw, numeros, jours) for _ in range(draw(_entre(1, 4)))),
    )
    return scenario, les_requetes, tuple(draw(_COMPTES))


# -- storing ---------------------------------------------------------------------------------


def _stocker(magasin: Magasin, scenario: Scenario) -> list[Memoire]:
    """Write the scenario as the use cases would, unit of work by unit of work; the mémoires
    the store must then hold."""
    phases: dict[int, list[tuple[str, Memoire]]] = {}
    finaux: list[Memoire] = []
    for plan in scenario.gardes:
        etapes, copie = _etapes(plan)
        for phase, etape in enumerate(plan.ecritures):
            phases.setdefault(phase, []).append(
                ("ajouter" if phase == 0 else "enregistrer", etapes[etape])
            )
        finaux.append(etapes[-1])
        if copie is not None:
            phases.setdefault(len(plan.ecritures) - 1, []).append(("ajouter", copie))
            finaux.append(copie)
    brouillons_supprimes = [_etapes(plan)[0][0] for plan in scenario.supprimes]
    for brouillon in brouillons_supprimes:
        phases.setdefault(0, []).append(("ajouter", brouillon))
        phases.setdefault(1, []).append(("supprimer", brouillon))

    versions: dict[str, int] = {}
    for phase in sorted(phases):
        with magasin.uow if phase == 0 else magasin.rouvrir() as uow:
            for operation, memoire in phases[phase]:
                if operation == "ajouter":
                    uow.memoires.ajouter(memoire)
                    versions[memoire.id] = memoire.version
                elif operation == "enregistrer":
                    enregistre = uow.memoires.enregistrer(
                        attrs.evolve(memoire, version=versions[memoire.id])
                    )
                    versions[memoire.id] = enregistre.version
                else:
                    uow.memoires.supprimer(memoire.id)
            uow.commit()

    if scenario.abandon:
        with magasin.rouvrir() as uow:
            for memoire in finaux:
                if memoire.statut is S.BROUILLON:
                    uow.memoires.supprimer(memoire.id)
            for brouillon in brouillons_supprimes:
                uow.memoires.ajouter(brouillon)
            # No commit: the unit of work ends in a rollback.
    return finaux


# -- exact comparison ------------------------------------------------------------------------


def _exacte(valeur: object) -> object:
    """A value written out with its type: decimals with their exponent, instants in UTC (a
    store may give back the same instant with another offset, but never a naive one)."""
    if isinstance(valeur, datetime):
        assert valeur.tzinfo is not None, valeur
        assert valeur.utcoffset() is not None, valeur
        return ("datetime", valeur.astimezone(UTC).isoformat())
    if isinstance(valeur, Decimal | date):
        return (type(valeur).__name__, str(valeur))
    if isinstance(valeur, enum.Enum):
        return (type(valeur).__name__, valeur.name)
    if isinstance(valeur, tuple):
        return ("tuple", tuple(_exacte(element) for element in valeur))
    return (type(valeur).__name__, valeur)


CHAMPS = tuple(champ.name for champ in attrs.fields(ResumeMemoire))


def _ecarts(lu: ResumeMemoire, attendu: ResumeMemoire) -> list[str]:
    ecarts = []
    for champ in CHAMPS:
        a, b = _exacte(getattr(lu, champ)), _exacte(getattr(attendu, champ))
        if a != b:
            ecarts.append(f"{champ}: {a!r} au lieu de {b!r}")
    return ecarts


def _verifier(
    lus: Sequence[ResumeMemoire],
    attendus: Sequence[ResumeMemoire],
    quoi: str,
    *,
    exacte: bool = True,
) -> None:
    """The same résumés in the same order, equal, and (unless told: it costs) written out
    the same."""
    assert [r.id for r in lus] == [r.id for r in attendus], quoi
    for lu, attendu in zip(lus, attendus, strict=True):
        assert type(lu) is ResumeMemoire, quoi
        assert lu == attendu, f"{quoi}: {lu.id}"
        if exacte:
            assert _ecarts(lu, attendu) == [], f"{quoi}: {lu.id}"


def _compter(
    resumes: Sequence[ResumeMemoire], perimetre: Perimetre
) -> dict[str, dict[StatutMemoire, int]]:
    comptes: dict[str, dict[StatutMemoire, int]] = {}
    for resume in resumes:
        if perimetre.couvre(resume.structure_id, resume.service_id):
            par_statut = comptes.setdefault(resume.structure_id, {})
            par_statut[resume.statut] = par_statut.get(resume.statut, 0) + 1
    return comptes


def _lire(
    uow: UnitOfWork,
    resumes: Sequence[ResumeMemoire],
    requetes_: Sequence[Requete],
    comptes: Sequence[Perimetre],
) -> None:
    # Everything, in every order (written out exactly once).
    tout = CriteresMemoire(FiltresMemoire())
    for n, tri in enumerate(
        Tri(cle, descendant) for cle in CleDeTri for descendant in (False, True)
    ):
        _verifier(uow.requetes.tous(tout, tri), trier(resumes, tri), f"tout, {tri}", exacte=n == 0)

    # Day by day, on every day of an instant in Paris or in UTC: each mémoire falls on its
    # day in Paris, whatever the offset and the time of year.
    jours = {
        jour
        for resume in resumes
        for instant in (resume.date_depot, resume.date_statut)
        if instant is not None
        for jour in (jour_a_paris(instant), instant.astimezone(UTC).date())
    }
    for jour in sorted(jours):
        for filtres in (
            FiltresMemoire(date_depot_du=jour, date_depot_au=jour),
            FiltresMemoire(date_statut_du=jour, date_statut_au=jour),
        ):
            criteres = CriteresMemoire(filtres)
            attendus = trier([r for r in resumes if r.correspond(criteres)], Tri())
            du_jour = uow.requetes.tous(criteres, Tri())
            _verifier(du_jour, attendus, f"jour, {filtres}", exacte=False)

    for n, requete in enumerate(requetes_):
        criteres, tri, pagination = requete.criteres, requete.tri, requete.pagination
        quoi = f"requête {n} : {requete!r}"

        attendus = trier([r for r in resumes if r.correspond(criteres)], tri)
        _verifier(uow.requetes.tous(criteres, tri), attendus, f"tous, {quoi}")

        page = uow.requetes.rechercher(criteres, tri, pagination)
        debut = pagination.decalage
        _verifier(page.elements, attendus[debut : debut + pagination.par_page], f"page, {quoi}")
        assert type(page.elements) is tuple, quoi
        assert (page.total, page.page, page.par_page) == (
            len(attendus),
            pagination.page,
            pagination.par_page,
        ), quoi

        sommes = uow.requetes.sommer(criteres)
        reference = Sommes.de(attendus)
        # Exponents count: totals are amounts, written with two decimals.
        assert attrs.astuple(sommes, recurse=False) == attrs.astuple(reference), quoi
        assert [str(v) for v in attrs.astuple(sommes)] == [
            str(v) for v in attrs.astuple(reference)
        ], quoi

    for perimetre in (*comptes, Perimetre(frozenset(STRUCTURES))):
        lus = uow.requetes.compter_par_statut(perimetre)
        # A structure without mémoires may be absent or map to no status.
        non_vides = {structure: par_statut for structure, par_statut in lus.items() if par_statut}
        assert non_vides == _compter(resumes, perimetre), perimetre
        assert all(n > 0 for par_statut in lus.values() for n in par_statut.values()), lus
        assert set(lus) <= perimetre.toutes_structures, perimetre


# -- the test --------------------------------------------------------------------------------


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(donnees=cas())
def test_les_requetes_donnent_ce_que_donne_la_reference(
    fabrique: Fabrique, donnees: tuple[Scenario, tuple[Requete, ...], tuple[Perimetre, ...]]
) -> None:
    scenario, les_requetes, comptes = donnees
    magasin = fabrique.creer()
    resumes = [ResumeMemoire.depuis(m) for m in _stocker(magasin, scenario)]
    with magasin.rouvrir() as uow:
        _lire(uow, resumes, les_requetes, comptes)
