"""In-memory storage: every port over Python dicts, for fast tests and `memory://`.

A unit of work works on a copy of the committed state and swaps it in at commit, under one
lock held for the whole transaction: transactions are serialised, a rollback (or an error)
leaves nothing behind, and sequences roll back with the rest, so no number is ever handed out
twice. Aggregates are immutable, so copying the dicts is enough.

A committed state is never changed once swapped in, so a read-only unit of work (`lecture`)
just holds on to the one committed when it started: a snapshot, taken without the lock.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self, TypeVar

import attrs

from chorus.adapters.storage import activite, purges
from chorus.adapters.storage.activite import RANG_ACTIVITE
from chorus.adapters.storage.demandes_tic import DemandesTicParParcours
from chorus.adapters.storage.erreurs import LectureSeule
from chorus.adapters.storage.memory.actualites import DepotActualites
from chorus.adapters.storage.memory.flux import DepotFlux
from chorus.adapters.storage.memory.lots_statuts import DepotLotsStatuts
from chorus.adapters.storage.memory.tickets import DepotTickets
from chorus.adapters.storage.parcours import RequetesParParcours
from chorus.adapters.storage.versions import version_suivante
from chorus.domain.activite import EvenementActivite
from chorus.domain.actualites import Actualite
from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import ESSAIS_MAXIMUM, Courriel
from chorus.domain.errors import Conflit, NonTrouve
from chorus.domain.flux.flux import Flux, ReferenceIntegree, ResultatReference
from chorus.domain.jetons import Jeton, NatureJeton
from chorus.domain.lots_statuts import EvenementEnAttente, LotStatuts
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure, TypeIdentifiant
from chorus.domain.support.ticket import Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import (
    ResumeMemoire,
)
from chorus.ports.tic import ResumeDemandeTic


@attrs.define
class _Etat:
    structures: dict[str, Structure] = attrs.Factory(dict)
    utilisateurs: dict[str, Utilisateur] = attrs.Factory(dict)
    memoires: dict[str, Memoire] = attrs.Factory(dict)
    resumes: dict[str, ResumeMemoire] = attrs.Factory(dict)
    sequences: dict[str, int] = attrs.Factory(dict)
    jetons: dict[str, Jeton] = attrs.Factory(dict)
    courriels: dict[str, Courriel] = attrs.Factory(dict)
    # The register of purges, by mémoire id.
    purges: dict[str, MemoirePurgee] = attrs.Factory(dict)
    demandes_tic: dict[str, DemandeTic] = attrs.Factory(dict)
    resumes_tic: dict[str, ResumeDemandeTic] = attrs.Factory(dict)
    actualites: dict[str, Actualite] = attrs.Factory(dict)
    activites: dict[str, EvenementActivite] = attrs.Factory(dict)
    tickets: dict[str, Ticket] = attrs.Factory(dict)
    flux: dict[str, Flux] = attrs.Factory(dict)
    # A flux's report by flux id, in rank order; the registry of references by key.
    flux_resultats: dict[str, tuple[ResultatReference, ...]] = attrs.Factory(dict)
    flux_references: dict[str, ReferenceIntegree] = attrs.Factory(dict)
    lots_statuts: dict[str, LotStatuts] = attrs.Factory(dict)
    evenements_en_attente: dict[str, EvenementEnAttente] = attrs.Factory(dict)

    def copie(self) -> _Etat:
        return _Etat(
            dict(self.structures),
            dict(self.utilisateurs),
            dict(self.memoires),
            dict(self.resumes),
            dict(self.sequences),
            dict(self.jetons),
            dict(self.courriels),
            dict(self.purges),
            dict(self.demandes_tic),
            dict(self.resumes_tic),
            actualites=dict(self.actualites),
            activites=dict(self.activites),
            tickets=dict(self.tickets),
            flux=dict(self.flux),
            flux_resultats=dict(self.flux_resultats),
            flux_references=dict(self.flux_references),
            lots_statuts=dict(self.lots_statuts),
            evenements_en_attente=dict(self.evenements_en_attente),
        )


class MemoireVive:
    """The committed state shared by every unit of work of one in-memory store."""

    def __init__(self) -> None:
        self.etat = _Etat()
        self.verrou = threading.Lock()


class _Depot:
    def __init__(self, uow: UniteDeTravailEnMemoire) -> None:
        self._uow = uow

    @property
    def _etat(self) -> _Etat:
        """The state to read: the transaction's own copy once it has written, else the
        committed one."""
        return self._uow.etat

    @property
    def _ecrit(self) -> _Etat:
        """The transaction's own copy, made on its first write."""
        return self._uow.etat_a_ecrire()


_A = TypeVar("_A", Structure, Utilisateur, Memoire, Jeton, Courriel)


def _suivante(stockes: dict[str, _A], agregat: _A) -> _A:
    actuel = stockes.get(agregat.id)
    return version_suivante(None if actuel is None else actuel.version, agregat)


class DepotStructures(_Depot):
    def ajouter(self, structure: Structure) -> None:
        if (
            self.par_identifiant(structure.type_identifiant, structure.identifiant) is not None
            or structure.id in self._etat.structures
        ):
            raise Conflit("Une structure existe déjà avec cet identifiant.", champ="identifiant")
        self._ecrit.structures[structure.id] = structure

    def obtenir(self, structure_id: str) -> Structure:
        try:
            return self._etat.structures[structure_id]
        except KeyError:
            raise NonTrouve(
                "Introuvable : cette structure n'existe pas ou ne vous est pas accessible."
            ) from None

    def par_identifiant(
        self, type_identifiant: TypeIdentifiant, identifiant: str
    ) -> Structure | None:
        for structure in self._etat.structures.values():
            if (
                structure.type_identifiant is type_identifiant
                and structure.identifiant == identifiant
            ):
                return structure
        return None

    def enregistrer(self, structure: Structure) -> Structure:
        suivante = _suivante(self._etat.structures, structure)
        self._ecrit.structures[structure.id] = suivante
        return suivante

    def pour_utilisateur(self, utilisateur_id: str) -> Sequence[Structure]:
        return sorted(
            (
                s
                for s in self._etat.structures.values()
                if s.rattachement_de(utilisateur_id) is not None
            ),
            key=lambda s: (s.raison_sociale.casefold(), s.id),
        )

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        return purges.references_des_structures(self._etat.structures.values(), sha256s)


class DepotUtilisateurs(_Depot):
    def ajouter(self, utilisateur: Utilisateur) -> None:
        if (
            self.par_email(utilisateur.email) is not None
            or utilisateur.id in self._etat.utilisateurs
        ):
            raise Conflit("Un compte existe déjà avec cette adresse électronique.", champ="email")
        self._ecrit.utilisateurs[utilisateur.id] = utilisateur

    def obtenir(self, utilisateur_id: str) -> Utilisateur:
        try:
            return self._etat.utilisateurs[utilisateur_id]
        except KeyError:
            raise NonTrouve("Introuvable : cet utilisateur n'existe pas.") from None

    def par_email(self, email: str) -> Utilisateur | None:
        cherche = email.lower()
        return next((u for u in self._etat.utilisateurs.values() if u.email == cherche), None)

    def enregistrer(self, utilisateur: Utilisateur) -> Utilisateur:
        suivant = _suivante(self._etat.utilisateurs, utilisateur)
        self._ecrit.utilisateurs[utilisateur.id] = suivant
        return suivant

    def abonnes_au_suivi(
        self, quotidien: bool, apres: str | None, limite: int
    ) -> Sequence[Utilisateur]:
        return activite.abonnes(self._etat.utilisateurs.values(), quotidien, apres, limite)


class DepotMemoires(_Depot, purges.PurgeParParcours):
    def _indexer(self, memoire: Memoire) -> None:
        etat = self._ecrit
        etat.memoires[memoire.id] = memoire
        etat.resumes[memoire.id] = ResumeMemoire.depuis(memoire)

    def ajouter(self, memoire: Memoire) -> None:
        if memoire.id in self._etat.purges:
            raise purges.id_purge(memoire.id)
        if memoire.id in self._etat.memoires or self.par_numero(memoire.numero) is not None:
            raise Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
        self._indexer(memoire)

    def ajouter_plusieurs(self, memoires: Sequence[Memoire]) -> None:
        etat = self._etat
        numeros = {m.numero for m in etat.memoires.values()}
        ids: set[str] = set()
        # Every check before any write: a refusal leaves the transaction as it was.
        for memoire in memoires:
            if memoire.id in etat.purges:
                raise purges.id_purge(memoire.id)
            if memoire.id in etat.memoires or memoire.id in ids or memoire.numero in numeros:
                raise Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
            numeros.add(memoire.numero)
            ids.add(memoire.id)
        for memoire in memoires:
            self._indexer(memoire)

    def obtenir(self, memoire_id: str) -> Memoire:
        try:
            return self._etat.memoires[memoire_id]
        except KeyError:
            raise NonTrouve(
                "Introuvable : ce mémoire n'existe pas ou ne vous est pas accessible."
            ) from None

    def par_numero(self, numero: str) -> Memoire | None:
        return next((m for m in self._etat.memoires.values() if m.numero == numero), None)

    def par_empreinte(self, empreinte: str) -> Memoire | None:
        return next(
            (
                m
                for m in self._etat.memoires.values()
                if m.certificat is not None and m.certificat.empreinte == empreinte
            ),
            None,
        )

    def enregistrer(self, memoire: Memoire) -> Memoire:
        suivant = _suivante(self._etat.memoires, memoire)
        if suivant.numero != self._etat.memoires[memoire.id].numero:
            autre = self.par_numero(suivant.numero)
            if autre is not None and autre.id != memoire.id:
                raise Conflit(f"Le numéro {suivant.numero} est déjà attribué.", champ="numero")
        self._indexer(suivant)
        return suivant

    def supprimer(self, memoire_id: str) -> None:
        self.obtenir(memoire_id).verifier_suppression()
        etat = self._ecrit
        del etat.memoires[memoire_id]
        del etat.resumes[memoire_id]

    def purger(self, memoire_id: str, date_purge: datetime) -> MemoirePurgee:
        purgee = MemoirePurgee.de(self.obtenir(memoire_id), date_purge)
        etat = self._ecrit
        del etat.memoires[memoire_id]
        del etat.resumes[memoire_id]
        etat.purges[memoire_id] = purgee
        return purgee

    def purgee(self, memoire_id: str) -> MemoirePurgee | None:
        return self._etat.purges.get(memoire_id)

    def _resumes_visibles(self) -> Iterable[ResumeMemoire]:
        return self._etat.resumes.values()

    def _memoires_visibles(self) -> Iterable[Memoire]:
        return self._etat.memoires.values()


class DepotDemandesTic(_Depot, DemandesTicParParcours):
    """The demandes TIC, with their résumés kept beside them for the searches; the
    transaction's lock makes the year's uniqueness hold."""

    def _demandes(self) -> Iterable[DemandeTic]:
        return self._etat.demandes_tic.values()

    def _resumes(self) -> Iterable[ResumeDemandeTic]:
        return self._etat.resumes_tic.values()

    def _stockee(self, demande_id: str) -> DemandeTic | None:
        return self._etat.demandes_tic.get(demande_id)

    def _poser(self, demande: DemandeTic) -> None:
        etat = self._ecrit
        etat.demandes_tic[demande.id] = demande
        etat.resumes_tic[demande.id] = ResumeDemandeTic.depuis(demande)

    def _retirer(self, demande_id: str) -> None:
        etat = self._ecrit
        del etat.demandes_tic[demande_id]
        del etat.resumes_tic[demande_id]


class DepotActivites(_Depot, activite.ActivitesParParcours):
    """The activity feed, by scan."""

    def _evenements_des(self, structures: frozenset[str]) -> Iterable[EvenementActivite]:
        return (e for e in self._etat.activites.values() if e.structure_id in structures)

    def _existe(self, evenement_id: str) -> bool:
        return evenement_id in self._etat.activites

    def _poser(self, evenement: EvenementActivite) -> None:
        self._ecrit.activites[evenement.id] = evenement

    def _rang_suivant(self) -> int:
        # A counter among the sequences: transactions are serialised and a rollback
        # forgets it with the rest, so ranks follow the commits.
        sequences = self._ecrit.sequences
        sequences[RANG_ACTIVITE] = sequences.get(RANG_ACTIVITE, 0) + 1
        return sequences[RANG_ACTIVITE]

    def _evenements_de_l_objet(self, objet_id: str) -> Iterable[EvenementActivite]:
        return (e for e in self._etat.activites.values() if e.objet_id == objet_id)

    def _retirer(self, evenement_id: str) -> None:
        del self._ecrit.activites[evenement_id]


class DepotJetons(_Depot):
    def ajouter(self, jeton: Jeton) -> None:
        if jeton.id in self._etat.jetons or self.par_empreinte(jeton.empreinte) is not None:
            raise Conflit("Ce jeton existe déjà.", champ="jeton")
        self._ecrit.jetons[jeton.id] = jeton

    def obtenir(self, jeton_id: str) -> Jeton:
        try:
            return self._etat.jetons[jeton_id]
        except KeyError:
            raise NonTrouve("Introuvable : ce jeton n'existe pas.") from None

    def par_empreinte(self, empreinte: str) -> Jeton | None:
        return next((j for j in self._etat.jetons.values() if j.empreinte == empreinte), None)

    def enregistrer(self, jeton: Jeton) -> Jeton:
        suivant = _suivante(self._etat.jetons, jeton)
        autre = self.par_empreinte(suivant.empreinte)
        if autre is not None and autre.id != jeton.id:
            raise Conflit("Ce jeton existe déjà.", champ="jeton")
        self._ecrit.jetons[jeton.id] = suivant
        return suivant

    def supprimer(self, jeton_id: str) -> None:
        if jeton_id in self._etat.jetons:
            del self._ecrit.jetons[jeton_id]

    def pour_structure(self, structure_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        return _plus_anciens(
            j
            for j in self._etat.jetons.values()
            if j.structure_id == structure_id and j.nature is nature
        )

    def pour_utilisateur(self, utilisateur_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        return _plus_anciens(
            j
            for j in self._etat.jetons.values()
            if j.utilisateur_id == utilisateur_id and j.nature is nature
        )

    def purger(self, avant: datetime) -> int:
        perimes = [j.id for j in self._etat.jetons.values() if j.expire_le < avant]
        if perimes:
            jetons = self._ecrit.jetons
            for jeton_id in perimes:
                del jetons[jeton_id]
        return len(perimes)


def _plus_anciens(jetons: Iterable[Jeton]) -> list[Jeton]:
    return sorted(jetons, key=lambda j: (j.cree_le, j.id))


class DepotCourriels(_Depot):
    def ajouter(self, courriel: Courriel) -> None:
        if courriel.id in self._etat.courriels:
            raise Conflit("Ce courriel existe déjà.", champ="courriel")
        self._ecrit.courriels[courriel.id] = courriel

    def obtenir(self, courriel_id: str) -> Courriel:
        try:
            return self._etat.courriels[courriel_id]
        except KeyError:
            raise NonTrouve("Introuvable : ce courriel n'existe pas.") from None

    def enregistrer(self, courriel: Courriel) -> Courriel:
        suivant = _suivante(self._etat.courriels, courriel)
        self._ecrit.courriels[courriel.id] = suivant
        return suivant

    def a_envoyer(self, maintenant: datetime, limite: int) -> Sequence[Courriel]:
        prets = sorted(
            (
                c
                for c in self._etat.courriels.values()
                if c.envoye_le is None
                and c.tentatives < ESSAIS_MAXIMUM
                and c.disponible_le <= maintenant
            ),
            key=lambda c: (c.disponible_le, c.id),
        )
        return prets[: max(0, limite)]

    def pour_destinataire(self, destinataire: str) -> Sequence[Courriel]:
        return sorted(
            (c for c in self._etat.courriels.values() if c.destinataire == destinataire),
            key=lambda c: (c.cree_le, c.id),
        )


class RequetesMemoires(_Depot, RequetesParParcours):
    def _resumes(self) -> Iterable[ResumeMemoire]:
        return self._etat.resumes.values()


class SequencesEnMemoire(_Depot):
    def suivant(self, nom: str) -> int:
        etat = self._ecrit
        valeur = etat.sequences.get(nom, 0) + 1
        etat.sequences[nom] = valeur
        return valeur

    def reserver(self, nom: str, nombre: int) -> range:
        if nombre <= 0:
            debut = self._etat.sequences.get(nom, 0) + 1
            return range(debut, debut)
        etat = self._ecrit
        debut = etat.sequences.get(nom, 0) + 1
        etat.sequences[nom] = debut + nombre - 1
        return range(debut, debut + nombre)


class _Fil(threading.local):
    """One thread's transaction on a unit of work."""

    ouverte: bool = False
    # The transaction's own state, made on its first write.
    copie: _Etat | None = None
    # The committed state a read-only unit of work reads.
    instantane: _Etat | None = None


class UniteDeTravailEnMemoire:
    """A unit of work over a `MemoireVive`; re-enterable, one transaction per `with`, and
    shareable between threads (each has its own transaction).

    Reads see the committed state until the transaction first writes; only then is the
    state copied, so reading costs nothing however large the store.
    """

    def __init__(self, memoire_vive: MemoireVive | None = None) -> None:
        self._vive = memoire_vive or MemoireVive()
        self._local = _Fil()
        self.structures = DepotStructures(self)
        self.utilisateurs = DepotUtilisateurs(self)
        self.memoires = DepotMemoires(self)
        self.requetes = RequetesMemoires(self)
        self.sequences = SequencesEnMemoire(self)
        self.jetons = DepotJetons(self)
        self.courriels = DepotCourriels(self)
        self.demandes_tic = DepotDemandesTic(self)
        self.actualites = DepotActualites(self)
        self.activites = DepotActivites(self)
        self.tickets = DepotTickets(self)
        self.flux = DepotFlux(self)
        self.lots_statuts = DepotLotsStatuts(self)

    @property
    def etat(self) -> _Etat:
        fil = self._local
        if fil.instantane is not None:
            return fil.instantane
        return fil.copie if fil.copie is not None else self._vive.etat

    def etat_a_ecrire(self) -> _Etat:
        fil = self._local
        if not fil.ouverte:
            raise RuntimeError("write outside a unit of work")
        if fil.instantane is not None:
            raise LectureSeule("write inside a read-only unit of work")
        if fil.copie is None:
            fil.copie = self._vive.etat.copie()
        return fil.copie

    def _verifier_libre(self) -> None:
        if self._local.ouverte:
            # Waiting for our own lock would hang forever: say what went wrong instead.
            raise RuntimeError("unit of work entered twice in the same thread")

    def __enter__(self) -> Self:
        self._verifier_libre()
        self._vive.verrou.acquire()
        self._local.ouverte = True
        self._local.copie = None
        return self

    @contextmanager
    def lecture(self) -> Iterator[Self]:
        """A read-only unit of work (see `UnitOfWork.lecture`) over the state committed
        when it starts; it neither takes nor waits for the lock."""
        self._verifier_libre()
        fil = self._local
        fil.instantane = self._vive.etat
        fil.ouverte = True
        try:
            yield self
        finally:
            fil.ouverte = False
            fil.instantane = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._local.ouverte = False
            self._vive.verrou.release()

    def commit(self) -> None:
        fil = self._local
        if not fil.ouverte:
            raise RuntimeError("commit outside a unit of work")
        if fil.instantane is not None:
            raise LectureSeule("commit of a read-only unit of work")
        if fil.copie is not None:
            self._vive.etat = fil.copie
            fil.copie = None

    def rollback(self) -> None:
        fil = self._local
        fil.copie = None
        if fil.instantane is not None:
            # As a new read transaction would: see what was committed since.
            fil.instantane = self._vive.etat


class BlobsEnMemoire:
    """Contents by SHA-256, in a dict, with when each was last deposited (a monotonic
    clock: the purge's grace period is measured by the store, see `BlobStore.supprimer`).
    One lock covers every operation, so a deletion and a deposit never interleave."""

    def __init__(self) -> None:
        self._contenus: dict[str, bytes] = {}
        self._deposes_le: dict[str, float] = {}
        self._verrou = threading.Lock()

    def deposer(self, contenu: bytes) -> str:
        adresse = hashlib.sha256(contenu).hexdigest()
        with self._verrou:
            self._contenus.setdefault(adresse, bytes(contenu))
            self._deposes_le[adresse] = time.monotonic()
        return adresse

    def lire(self, sha256: str) -> bytes:
        with self._verrou:
            try:
                return self._contenus[sha256]
            except KeyError:
                raise NonTrouve("Le contenu de cette pièce jointe est introuvable.") from None

    def existe(self, sha256: str) -> bool:
        with self._verrou:
            return sha256 in self._contenus

    def taille(self, sha256: str) -> int | None:
        with self._verrou:
            contenu = self._contenus.get(sha256)
        return None if contenu is None else len(contenu)

    def supprimer(self, sha256: str, *, delai_de_grace: timedelta) -> int | None:
        with self._verrou:
            contenu = self._contenus.get(sha256)
            if contenu is None:
                return None
            if time.monotonic() - self._deposes_le[sha256] < delai_de_grace.total_seconds():
                return None
            del self._contenus[sha256], self._deposes_le[sha256]
        return len(contenu)
