"""The activity feed: every status a mémoire or a demande TIC reaches, as the users
habilitated on its structure see it, and the « suivi d'activité » emails that sum it up.

An `EvenementActivite` is one entry of an aggregate's history, copied out when the entry is
appended (`nouveaux_evenements` compares the aggregate before and after a change), so that
the feed of a user is read from one place whatever the kind of object. Its id is derived
from the object's id and the entry's rank in the history: the same entry can never be
written twice. Drafts are not part of it: creating or editing a draft changes no status.

Who sees an event is decided by `PerimetreActivite`: the mémoires of the structures (or
services) where the user holds a « Frais de justice » habilitation, the demandes of those
where they hold a « TIC/TICGN » one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import attrs

from chorus.domain.acces import Perimetre
from chorus.domain.calendrier import FUSEAU_PORTAIL
from chorus.domain.memoire import Memoire
from chorus.domain.montants import en_francais
from chorus.domain.organisation import Application
from chorus.domain.statuts import StatutMemoire
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic


class TypeObjet(enum.Enum):
    """What an event is about; the codes are those the support tickets use too."""

    MEMOIRE = "MEMOIRE"
    DEMANDE_TIC = "DEMANDE_TIC"

    @property
    def libelle(self) -> str:
        if self is TypeObjet.MEMOIRE:
            return "Mémoire de frais de justice"
        return "Demande de remboursement TIC/TICGN"

    @property
    def libelle_pluriel(self) -> str:
        if self is TypeObjet.MEMOIRE:
            return "Mémoires de frais de justice"
        return "Demandes de remboursement TIC/TICGN"

    @property
    def application(self) -> Application:
        return Application.FRAIS_DE_JUSTICE if self is TypeObjet.MEMOIRE else Application.TIC

    @property
    def statuts(self) -> tuple[tuple[str, str], ...]:
        """(code, libellé) of every status an object of this type may reach, in order."""
        if self is TypeObjet.MEMOIRE:
            return tuple((s.value, s.libelle) for s in StatutMemoire)
        return tuple((s.value, s.libelle) for s in StatutDemandeTic)


@attrs.frozen
class EvenementActivite:
    """A status a mémoire or a demande reached, as the feed shows it.

    `date` is when the portal recorded it (the history entry's `date_maj`: a back-office
    event may say it happened earlier); `montant` is the amount the entry states (certified,
    paid, granted), else the amount asked."""

    id: str
    structure_id: str
    application: Application
    service_id: str | None
    type_objet: TypeObjet
    objet_id: str
    numero: str
    statut: str
    libelle_statut: str
    date: datetime
    motif: str | None = None
    montant: Decimal | None = None
    rang: int | None = attrs.field(default=None, eq=False)
    """The order the store recorded it in (`ActiviteRepository.ajouter` gives it, strictly
    increasing in commit order; None before): the cursor of the cycle-de-vie feed. The
    store's bookkeeping, like an aggregate's version, not part of what happened: left out
    of equality, so that an event read back equals the one written."""


def id_evenement(objet_id: str, rang: int) -> str:
    """The id of the event of the `rang`-th entry (from 0) of an object's history; the rank
    is zero-padded so that ids sort in the history's order (ties of the feed's order)."""
    return f"{objet_id}-{rang:04d}"


def _evenements_memoire(avant: Memoire | None, apres: Memoire) -> tuple[EvenementActivite, ...]:
    debut = 0 if avant is None else len(avant.historique)
    return tuple(
        EvenementActivite(
            id=id_evenement(apres.id, rang),
            structure_id=apres.structure_id,
            application=Application.FRAIS_DE_JUSTICE,
            service_id=apres.entete.service_id,
            type_objet=TypeObjet.MEMOIRE,
            objet_id=apres.id,
            numero=apres.numero,
            statut=entree.statut.value,
            libelle_statut=entree.statut.libelle,
            date=entree.date_maj,
            motif=entree.motif,
            montant=entree.montant if entree.montant is not None else apres.totaux.net_a_payer,
        )
        for rang, entree in enumerate(apres.historique)
        if rang >= debut and entree.statut is not StatutMemoire.BROUILLON
    )


def _evenements_demande(
    avant: DemandeTic | None, apres: DemandeTic
) -> tuple[EvenementActivite, ...]:
    debut = 0 if avant is None else len(avant.historique)
    return tuple(
        EvenementActivite(
            id=id_evenement(apres.id, rang),
            structure_id=apres.structure_id,
            application=Application.TIC,
            service_id=None,
            type_objet=TypeObjet.DEMANDE_TIC,
            objet_id=apres.id,
            numero=apres.numero,
            statut=entree.statut.value,
            libelle_statut=entree.statut.libelle,
            date=entree.date_maj,
            motif=entree.motif,
            montant=entree.montant if entree.montant is not None else apres.montant_total,
        )
        for rang, entree in enumerate(apres.historique)
        if rang >= debut and entree.statut is not StatutDemandeTic.BROUILLON
    )


def nouveaux_evenements(
    avant: Memoire | DemandeTic | None, apres: Memoire | DemandeTic
) -> tuple[EvenementActivite, ...]:
    """The events of the history entries `apres` has beyond those of `avant` (None: a new
    object, every entry counts), drafts' entries left out. Histories only grow, so the new
    entries are the last ones."""
    if isinstance(apres, Memoire):
        if avant is not None and not isinstance(avant, Memoire):
            raise TypeError("a mémoire compared with something else")
        return _evenements_memoire(avant, apres)
    if avant is not None and not isinstance(avant, DemandeTic):
        raise TypeError("a demande compared with something else")
    return _evenements_demande(avant, apres)


# -- who sees what -------------------------------------------------------------------------


@attrs.frozen
class UnitePerimetre:
    """One slice of a feed: the events of `application` on a whole structure (`service_id`
    None) or on one of its services. A store reads a feed slice by slice, each from its
    index, newest first."""

    structure_id: str
    application: Application
    service_id: str | None = None

    def couvre(self, evenement: EvenementActivite) -> bool:
        return (
            evenement.structure_id == self.structure_id
            and evenement.application is self.application
            and (self.service_id is None or evenement.service_id == self.service_id)
        )


@attrs.frozen
class PerimetreActivite:
    """What of the activity a user may see: one `Perimetre` per application (from
    `acces.perimetre`). A TIC habilitation limited to a service covers nothing, as in the TIC
    space itself: demandes belong to no service."""

    frais_de_justice: Perimetre = attrs.Factory(Perimetre)
    tic: Perimetre = attrs.Factory(Perimetre)

    def couvre(self, evenement: EvenementActivite) -> bool:
        """The reference semantics of a feed, for the stores that scan."""
        if evenement.application is Application.FRAIS_DE_JUSTICE:
            return self.frais_de_justice.couvre(evenement.structure_id, evenement.service_id)
        return evenement.structure_id in self.tic.structures

    @property
    def unites(self) -> tuple[UnitePerimetre, ...]:
        """The disjoint slices the perimeter is made of, in a stable order."""
        fdj = Application.FRAIS_DE_JUSTICE
        return (
            *(UnitePerimetre(s, fdj) for s in sorted(self.frais_de_justice.structures)),
            *(UnitePerimetre(s, fdj, svc) for s, svc in sorted(self.frais_de_justice.services)),
            *(UnitePerimetre(s, Application.TIC) for s in sorted(self.tic.structures)),
        )

    @property
    def vide(self) -> bool:
        return not self.unites

    @property
    def structures(self) -> frozenset[str]:
        return self.frais_de_justice.toutes_structures | self.tic.structures


def cle_recente(evenement: EvenementActivite) -> tuple[datetime, str]:
    """The feed's order, newest first when sorted in reverse: by `date`, ties by id."""
    return (evenement.date, evenement.id)


def plus_recents(evenements: Iterable[EvenementActivite]) -> list[EvenementActivite]:
    """The reference order of a feed: the latest `date` first, ties by id (descending)."""
    return sorted(evenements, key=cle_recente, reverse=True)


def dans_la_periode(evenement: EvenementActivite, du: datetime | None, au: datetime | None) -> bool:
    """Whether the event was recorded in [`du`, `au`[ (a bound None is open)."""
    return (du is None or evenement.date >= du) and (au is None or evenement.date < au)


# -- the « suivi d'activité » emails -------------------------------------------------------


class NatureSuivi(enum.Enum):
    QUOTIDIEN = "QUOTIDIEN"
    HEBDOMADAIRE = "HEBDOMADAIRE"

    @property
    def adjectif(self) -> str:
        return "quotidien" if self is NatureSuivi.QUOTIDIEN else "hebdomadaire"

    @property
    def preference(self) -> str:
        """The user's preference (field of `PATCH /moi`) that turns it on or off."""
        return "suivi_quotidien" if self is NatureSuivi.QUOTIDIEN else "suivi_hebdomadaire"


def debut_du_jour(jour: date) -> datetime:
    """Midnight of `jour` in metropolitan France, as an instant in UTC (Python compares and
    subtracts two instants of the same zone by their wall-clock times, which is wrong across
    a change of time; in UTC it is exact)."""
    return datetime.combine(jour, time(0), tzinfo=FUSEAU_PORTAIL).astimezone(UTC)


@attrs.frozen
class PeriodeSuivi:
    """The days a summary covers: the day before `jour` (daily), or the ISO week, Monday to
    Sunday, before the one `jour` falls in (weekly) — Paris calendar days."""

    nature: NatureSuivi
    du: date
    au: date

    @staticmethod
    def pour(nature: NatureSuivi, jour: date) -> PeriodeSuivi:
        if nature is NatureSuivi.QUOTIDIEN:
            veille = jour - timedelta(days=1)
            return PeriodeSuivi(nature, veille, veille)
        lundi = jour - timedelta(days=jour.weekday()) - timedelta(days=7)
        return PeriodeSuivi(nature, lundi, lundi + timedelta(days=6))

    @property
    def debut(self) -> datetime:
        """The first instant of the period (included)."""
        return debut_du_jour(self.du)

    @property
    def fin(self) -> datetime:
        """The first instant after the period (excluded); a day of a change of time is 23
        or 25 hours long, and counted so."""
        return debut_du_jour(self.au + timedelta(days=1))

    @property
    def libelle(self) -> str:
        """« du 22/11/2026 » or « de la semaine du 16 au 22/11/2026 »."""
        if self.nature is NatureSuivi.QUOTIDIEN:
            return f"du {self.du:%d/%m/%Y}"
        if self.du.year != self.au.year:
            debut = f"{self.du:%d/%m/%Y}"
        elif self.du.month != self.au.month:
            debut = f"{self.du:%d/%m}"
        else:
            debut = f"{self.du:%d}"
        return f"de la semaine du {debut} au {self.au:%d/%m/%Y}"

    @property
    def cle(self) -> str:
        """What names the period in ids: « quotidien-2026-11-22 », « hebdomadaire-2026-11-16 »."""
        return f"{self.nature.adjectif}-{self.du.isoformat()}"


def id_courriel_suivi(periode: PeriodeSuivi, utilisateur_id: str) -> str:
    """The outbox id of a user's summary of a period: preparing it again finds it taken."""
    return f"suivi-{periode.cle}-{utilisateur_id}"


@attrs.frozen
class CompteStatut:
    """How many changes reached one status in the period."""

    type_objet: TypeObjet
    statut: str
    libelle_statut: str
    nombre: int


def compter(evenements: Iterable[EvenementActivite]) -> tuple[CompteStatut, ...]:
    """The number of events per type of object and status: types in `TypeObjet` order,
    statuses in their lifecycle's order, only those with at least one."""
    nombres: dict[tuple[TypeObjet, str], int] = {}
    for e in evenements:
        nombres[e.type_objet, e.statut] = nombres.get((e.type_objet, e.statut), 0) + 1
    return ordonner(nombres)


def ordonner(nombres: Mapping[tuple[TypeObjet, str], int]) -> tuple[CompteStatut, ...]:
    """`nombres` (type, status code) → count as `CompteStatut`s in the lifecycle's order;
    a code unknown to this version comes last, under its code."""
    resultat: list[CompteStatut] = []
    for type_objet in TypeObjet:
        connus = dict(type_objet.statuts)
        codes = [c for c in connus if nombres.get((type_objet, c), 0) > 0]
        codes += sorted(
            c for (t, c), n in nombres.items() if t is type_objet and c not in connus and n > 0
        )
        resultat.extend(
            CompteStatut(type_objet, c, connus.get(c, c), nombres[type_objet, c]) for c in codes
        )
    return tuple(resultat)


def _accord(n: int, singulier: str, pluriel: str) -> str:
    # French counts 0 and 1 in the singular.
    return f"{n} {singulier if n < 2 else pluriel}"


def _instant(instant: datetime) -> str:
    local = instant.astimezone(FUSEAU_PORTAIL)
    return f"{local:%d/%m/%Y} à {local:%H:%M}"


@attrs.frozen
class CourrielSuivi:
    sujet: str
    corps: str


CHANGEMENTS_MAXIMUM = 200
"""How many changes a summary lists one by one; the counts cover them all."""


def rediger_suivi(
    *,
    periode: PeriodeSuivi,
    prenom: str,
    comptes: Sequence[CompteStatut],
    changements: Sequence[EvenementActivite],
    structures: Mapping[str, str],
    url_de_base: str,
) -> CourrielSuivi:
    """The « suivi d'activité » email of a period: the counts per type and status, the
    changes (newest first, at most `CHANGEMENTS_MAXIMUM` of them; `changements` may hold
    only those), where to see them all and how to stop receiving it. `structures` names
    the structures (id → raison sociale)."""
    url = url_de_base.rstrip("/")
    total = sum(c.nombre for c in comptes)
    sujet = f"Chorus Portail Pro – suivi d'activité {periode.libelle}"
    lignes = [
        f"Bonjour {prenom},",
        "",
        f"Voici le suivi d'activité {periode.libelle} sur les structures pour lesquelles vous "
        f"êtes habilité : {_accord(total, 'changement', 'changements')} d'état.",
    ]
    for type_objet in TypeObjet:
        du_type = [c for c in comptes if c.type_objet is type_objet]
        if not du_type:
            continue
        sous_total = sum(c.nombre for c in du_type)
        lignes += ["", f"{type_objet.libelle_pluriel} : {sous_total}"]
        lignes += [f"  - {c.libelle_statut} : {c.nombre}" for c in du_type]
    listes = list(changements[:CHANGEMENTS_MAXIMUM])
    lignes += ["", "Détail des changements (les plus récents d'abord) :"]
    for e in listes:
        montant = "" if e.montant is None else f" – {en_francais(e.montant)} EUR"
        structure = structures.get(e.structure_id)
        chez = f" – {structure}" if structure else ""
        motif = f" (motif : {e.motif})" if e.motif else ""
        lignes.append(
            f"  - {e.numero} : {e.libelle_statut} le {_instant(e.date)}{montant}{chez}{motif}"
        )
    if total > len(listes):
        reste = total - len(listes)
        lignes.append(f"  … et {_accord(reste, 'autre changement', 'autres changements')}.")
    lignes += [
        "",
        f"Retrouvez votre activité sur le portail : {url}/activite",
        "",
        f"Vous recevez ce suivi {periode.nature.adjectif} parce qu'il est activé dans les "
        "préférences de votre compte. Pour ne plus le recevoir, désactivez-le dans « Mon "
        f"activité » du portail ({url}/activite), ou par l'API : PATCH /api/v1/moi avec "
        f'{{"{periode.nature.preference}": false}}.',
        "",
        "Ce message est envoyé automatiquement : merci de ne pas y répondre.",
        "Chorus Portail Pro",
    ]
    return CourrielSuivi(sujet=sujet, corps="\n".join(lignes) + "\n")
