"""What one unit of work sees and changes: its own writes laid over the committed cache.

Nothing is copied when a transaction starts or writes, whatever the size of the store: a
transaction only records the aggregates it sets or deletes, reads look there first, and
the cache itself changes only once a commit is on disk. A rollback forgets the record.
A read-only transaction (`UnitOfWork.lecture`) refuses to record anything.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from typing import Generic

from chorus.adapters.codec import vers_donnees
from chorus.adapters.storage.erreurs import LectureSeule
from chorus.adapters.storage.files.disposition import (
    ACTIVITE,
    ACTUALITES,
    COURRIELS,
    DEMANDES_TIC,
    EVENEMENTS_EN_ATTENTE,
    FLUX,
    FLUX_RAPPORTS,
    FLUX_REFERENCES,
    JETONS,
    LOTS_STATUTS,
    MEMOIRES,
    PURGES,
    SEQUENCES,
    STRUCTURES,
    TICKETS,
    UTILISATEURS,
    encoder,
)
from chorus.adapters.storage.files.instantane import A, Collection, Instantane
from chorus.adapters.storage.files.noms import nom_de_fichier
from chorus.adapters.storage.flux import EntreeDuRegistre, LotDeRapport
from chorus.domain.activite import EvenementActivite
from chorus.domain.actualites import Actualite
from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import Courriel
from chorus.domain.flux.flux import Flux
from chorus.domain.jetons import Jeton
from chorus.domain.lots_statuts import EvenementEnAttente, LotStatuts
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.support.ticket import Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import ResumeMemoire


class Vue(Generic[A]):
    """One kind of aggregate as a transaction sees it."""

    def __init__(self, base: Collection[A], *, lecture_seule: bool = False) -> None:
        self._base = base
        self._lecture_seule = lecture_seule
        # id → the aggregate as this transaction left it, None once deleted.
        self.changes: dict[str, A | None] = {}

    def obtenir(self, identifiant: str) -> A | None:
        if identifiant in self.changes:
            return self.changes[identifiant]
        return self._base.par_id.get(identifiant)

    def tous(self) -> Iterator[A]:
        for identifiant, agregat in self._base.par_id.items():
            if identifiant not in self.changes:
                yield agregat
        for change in self.changes.values():
            if change is not None:
                yield change

    def chercher(self, index: str, valeur: Hashable) -> A | None:
        """The aggregate whose key for `index` is `valeur`, if any."""
        cle = self._base.cles[index]
        for change in self.changes.values():
            if change is not None and cle(change) == valeur:
                return change
        for identifiant in self._base.ids_pour(index, valeur):
            if identifiant not in self.changes:
                return self._base.par_id[identifiant]
        return None

    def tous_pour(self, index: str, valeur: Hashable) -> Iterator[A]:
        """Every aggregate whose key for `index` is `valeur`, in no particular order."""
        cle = self._base.cles[index]
        for identifiant in self._base.ids_pour(index, valeur):
            if identifiant not in self.changes:
                yield self._base.par_id[identifiant]
        for change in self.changes.values():
            if change is not None and cle(change) == valeur:
                yield change

    def poser(self, agregat: A) -> None:
        _verifier_ecriture(self._lecture_seule)
        self.changes[agregat.id] = agregat

    def retirer(self, identifiant: str) -> None:
        _verifier_ecriture(self._lecture_seule)
        self.changes[identifiant] = None

    def stocke(self, identifiant: str) -> bool:
        """Whether `identifiant` has a document on disk."""
        return identifiant in self._base.par_id


class Transaction:
    """The changes of one unit of work since it started or last committed."""

    def __init__(self, base: Instantane, *, lecture_seule: bool = False) -> None:
        self.base = base
        self.lecture_seule = lecture_seule
        self.structures: Vue[Structure] = Vue(base.structures, lecture_seule=lecture_seule)
        self.utilisateurs: Vue[Utilisateur] = Vue(base.utilisateurs, lecture_seule=lecture_seule)
        self.memoires: Vue[Memoire] = Vue(base.memoires, lecture_seule=lecture_seule)
        self.jetons: Vue[Jeton] = Vue(base.jetons, lecture_seule=lecture_seule)
        self.courriels: Vue[Courriel] = Vue(base.courriels, lecture_seule=lecture_seule)
        self.purges: Vue[MemoirePurgee] = Vue(base.purges, lecture_seule=lecture_seule)
        self.demandes_tic: Vue[DemandeTic] = Vue(base.demandes_tic, lecture_seule=lecture_seule)
        self.actualites: Vue[Actualite] = Vue(base.actualites, lecture_seule=lecture_seule)
        self.tickets: Vue[Ticket] = Vue(base.tickets, lecture_seule=lecture_seule)
        self.flux: Vue[Flux] = Vue(base.flux, lecture_seule=lecture_seule)
        self.flux_rapports: Vue[LotDeRapport] = Vue(base.flux_rapports, lecture_seule=lecture_seule)
        self.flux_references: Vue[EntreeDuRegistre] = Vue(
            base.flux_references, lecture_seule=lecture_seule
        )
        self.lots_statuts: Vue[LotStatuts] = Vue(base.lots_statuts, lecture_seule=lecture_seule)
        self.evenements_en_attente: Vue[EvenementEnAttente] = Vue(
            base.evenements_en_attente, lecture_seule=lecture_seule
        )
        self.activites: Vue[EvenementActivite] = Vue(base.activites, lecture_seule=lecture_seule)
        # The résumés of the mémoires this transaction set.
        self.resumes: dict[str, ResumeMemoire] = {}
        self.sequences: dict[str, int] = {}

    def poser_memoire(self, memoire: Memoire) -> None:
        self.memoires.poser(memoire)
        self.resumes[memoire.id] = ResumeMemoire.depuis(memoire)

    def retirer_memoire(self, memoire_id: str) -> None:
        self.memoires.retirer(memoire_id)
        self.resumes.pop(memoire_id, None)

    def resumes_visibles(self) -> Iterator[ResumeMemoire]:
        for identifiant, resume in self.base.resumes.items():
            if identifiant not in self.memoires.changes:
                yield resume
        yield from self.resumes.values()

    def valeur_de_sequence(self, nom: str) -> int:
        return self.sequences.get(nom, self.base.sequences.get(nom, 0))

    def poser_sequence(self, nom: str, valeur: int) -> None:
        _verifier_ecriture(self.lecture_seule)
        self.sequences[nom] = valeur

    def a_change(self) -> bool:
        return bool(
            self.structures.changes
            or self.utilisateurs.changes
            or self.memoires.changes
            or self.jetons.changes
            or self.courriels.changes
            or self.purges.changes
            or self.demandes_tic.changes
            or self.actualites.changes
            or self.tickets.changes
            or self.flux.changes
            or self.flux_rapports.changes
            or self.flux_references.changes
            or self.lots_statuts.changes
            or self.evenements_en_attente.changes
            or self.activites.changes
            or self.sequences
        )

    def documents(self) -> tuple[dict[str, bytes], list[str]]:
        """What committing writes (path relative to the store → content) and deletes."""
        ecritures: dict[str, bytes] = {}
        suppressions: list[str] = []
        vues: Sequence[
            tuple[
                str,
                Vue[Structure]
                | Vue[Utilisateur]
                | Vue[Memoire]
                | Vue[Jeton]
                | Vue[Courriel]
                | Vue[MemoirePurgee]
                | Vue[DemandeTic]
                | Vue[Actualite]
                | Vue[EvenementActivite]
                | Vue[Ticket]
                | Vue[Flux]
                | Vue[LotDeRapport]
                | Vue[EntreeDuRegistre]
                | Vue[LotStatuts]
                | Vue[EvenementEnAttente],
            ]
        ] = (
            (STRUCTURES, self.structures),
            (UTILISATEURS, self.utilisateurs),
            (MEMOIRES, self.memoires),
            (JETONS, self.jetons),
            (COURRIELS, self.courriels),
            (PURGES, self.purges),
            (DEMANDES_TIC, self.demandes_tic),
            (ACTUALITES, self.actualites),
            (TICKETS, self.tickets),
            (FLUX, self.flux),
            (FLUX_RAPPORTS, self.flux_rapports),
            (FLUX_REFERENCES, self.flux_references),
            (LOTS_STATUTS, self.lots_statuts),
            (EVENEMENTS_EN_ATTENTE, self.evenements_en_attente),
            (ACTIVITE, self.activites),
        )
        for dossier, vue in vues:
            for identifiant, agregat in vue.changes.items():
                chemin = f"{dossier}/{nom_de_fichier(identifiant)}"
                if agregat is not None:
                    ecritures[chemin] = encoder(vers_donnees(agregat))
                elif vue.stocke(identifiant):
                    suppressions.append(chemin)
        if self.sequences:
            ecritures[SEQUENCES] = encoder(self.base.sequences | self.sequences)
        return ecritures, suppressions

    def integrer(self) -> None:
        """Make this transaction's changes part of the cache, once they are on disk."""
        base = self.base
        for structure_id, structure in self.structures.changes.items():
            if structure is None:
                base.structures.retirer(structure_id)
            else:
                base.structures.poser(structure)
        for utilisateur_id, utilisateur in self.utilisateurs.changes.items():
            if utilisateur is None:
                base.utilisateurs.retirer(utilisateur_id)
            else:
                base.utilisateurs.poser(utilisateur)
        _integrer(self.jetons, base.jetons)
        _integrer(self.courriels, base.courriels)
        _integrer(self.purges, base.purges)
        _integrer(self.demandes_tic, base.demandes_tic)
        _integrer(self.actualites, base.actualites)
        _integrer(self.tickets, base.tickets)
        _integrer(self.flux, base.flux)
        _integrer(self.flux_rapports, base.flux_rapports)
        _integrer(self.flux_references, base.flux_references)
        _integrer(self.lots_statuts, base.lots_statuts)
        _integrer(self.evenements_en_attente, base.evenements_en_attente)
        _integrer(self.activites, base.activites)
        for memoire_id, memoire in self.memoires.changes.items():
            if memoire is None:
                base.retirer_memoire(memoire_id)
            else:
                base.poser_memoire(memoire, self.resumes[memoire_id])
        base.sequences.update(self.sequences)


def _verifier_ecriture(lecture_seule: bool) -> None:
    if lecture_seule:
        raise LectureSeule("write inside a read-only unit of work")


def _integrer(vue: Vue[A], collection: Collection[A]) -> None:
    for identifiant, agregat in vue.changes.items():
        if agregat is None:
            collection.retirer(identifiant)
        else:
            collection.poser(agregat)
