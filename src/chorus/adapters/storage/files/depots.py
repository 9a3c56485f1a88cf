"""The repositories, queries and sequences of a files store, over the current transaction.

Their semantics are those of the in-memory adapter, the reference, down to the messages;
lookups by identifier, email, number and empreinte go through the cache's indexes rather
than a scan, and searches scan the résumés with the ports' reference filter and order.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from chorus.adapters.storage import activite, purges
from chorus.adapters.storage.demandes_tic import DemandesTicParParcours, compte_pour_l_annee
from chorus.adapters.storage.files.instantane import (
    INDEX_ANNEE,
    INDEX_DESTINATAIRE,
    INDEX_EMAIL,
    INDEX_EMPREINTE,
    INDEX_IDENTIFIANT,
    INDEX_NON_ENVOYE,
    INDEX_NUMERO,
    INDEX_STRUCTURE,
    INDEX_UTILISATEUR,
)
from chorus.adapters.storage.files.transaction import Transaction, Vue
from chorus.adapters.storage.parcours import RequetesParParcours
from chorus.adapters.storage.versions import version_suivante
from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import ESSAIS_MAXIMUM, Courriel
from chorus.domain.errors import Conflit, NonTrouve
from chorus.domain.jetons import Jeton, NatureJeton
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure, TypeIdentifiant
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import (
    ResumeMemoire,
)
from chorus.ports.tic import ResumeDemandeTic

_A = TypeVar("_A", Structure, Utilisateur, Memoire, Jeton, Courriel)


class _Depot:
    def __init__(self, transaction: Callable[[], Transaction]) -> None:
        self._transaction = transaction

    @property
    def _t(self) -> Transaction:
        return self._transaction()


def _suivante(vue: Vue[_A], agregat: _A) -> _A:
    actuel = vue.obtenir(agregat.id)
    return version_suivante(None if actuel is None else actuel.version, agregat)


class DepotStructures(_Depot):
    """Structures, stored under ``structures/``."""

    def ajouter(self, structure: Structure) -> None:
        if (
            self.par_identifiant(structure.type_identifiant, structure.identifiant) is not None
            or self._t.structures.obtenir(structure.id) is not None
        ):
            raise Conflit("Une structure existe déjà avec cet identifiant.", champ="identifiant")
        self._t.structures.poser(structure)

    def obtenir(self, structure_id: str) -> Structure:
        structure = self._t.structures.obtenir(structure_id)
        if structure is None:
            raise NonTrouve(
                "Introuvable : cette structure n'existe pas ou ne vous est pas accessible."
            )
        return structure

    def par_identifiant(
        self, type_identifiant: TypeIdentifiant, identifiant: str
    ) -> Structure | None:
        return self._t.structures.chercher(INDEX_IDENTIFIANT, (type_identifiant, identifiant))

    def enregistrer(self, structure: Structure) -> Structure:
        vue = self._t.structures
        suivante = _suivante(vue, structure)
        vue.poser(suivante)
        return suivante

    def pour_utilisateur(self, utilisateur_id: str) -> Sequence[Structure]:
        return sorted(
            (s for s in self._t.structures.tous() if s.rattachement_de(utilisateur_id) is not None),
            key=lambda s: (s.raison_sociale.casefold(), s.id),
        )

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        return purges.references_des_structures(self._t.structures.tous(), sha256s)


class DepotUtilisateurs(_Depot):
    """Users, stored under ``utilisateurs/``."""

    def ajouter(self, utilisateur: Utilisateur) -> None:
        if (
            self.par_email(utilisateur.email) is not None
            or self._t.utilisateurs.obtenir(utilisateur.id) is not None
        ):
            raise Conflit("Un compte existe déjà avec cette adresse électronique.", champ="email")
        self._t.utilisateurs.poser(utilisateur)

    def obtenir(self, utilisateur_id: str) -> Utilisateur:
        utilisateur = self._t.utilisateurs.obtenir(utilisateur_id)
        if utilisateur is None:
            raise NonTrouve("Introuvable : cet utilisateur n'existe pas.")
        return utilisateur

    def par_email(self, email: str) -> Utilisateur | None:
        return self._t.utilisateurs.chercher(INDEX_EMAIL, email.lower())

    def enregistrer(self, utilisateur: Utilisateur) -> Utilisateur:
        vue = self._t.utilisateurs
        suivant = _suivante(vue, utilisateur)
        vue.poser(suivant)
        return suivant

    def abonnes_au_suivi(
        self, quotidien: bool, apres: str | None, limite: int
    ) -> Sequence[Utilisateur]:
        return activite.abonnes(self._t.utilisateurs.tous(), quotidien, apres, limite)


class DepotMemoires(_Depot, purges.PurgeParParcours):
    """Mémoires, stored under ``memoires/``."""

    def ajouter(self, memoire: Memoire) -> None:
        t = self._t
        if t.purges.obtenir(memoire.id) is not None:
            raise purges.id_purge(memoire.id)
        if (
            t.memoires.obtenir(memoire.id) is not None
            or self.par_numero(memoire.numero) is not None
        ):
            raise Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
        t.poser_memoire(memoire)

    def ajouter_plusieurs(self, memoires: Sequence[Memoire]) -> None:
        t = self._t
        ids: set[str] = set()
        numeros: set[str] = set()
        # Every check before any write: a refusal leaves the transaction as it was.
        for memoire in memoires:
            if t.purges.obtenir(memoire.id) is not None:
                raise purges.id_purge(memoire.id)
            if (
                memoire.id in ids
                or memoire.numero in numeros
                or t.memoires.obtenir(memoire.id) is not None
                or self.par_numero(memoire.numero) is not None
            ):
                raise Conflit(f"Le numéro {memoire.numero} est déjà attribué.", champ="numero")
            ids.add(memoire.id)
            numeros.add(memoire.numero)
        for memoire in memoires:
            t.poser_memoire(memoire)

    def obtenir(self, memoire_id: str) -> Memoire:
        memoire = self._t.memoires.obtenir(memoire_id)
        if memoire is None:
            raise NonTrouve("Introuvable : ce mémoire n'existe pas ou ne vous est pas accessible.")
        return memoire

    def par_numero(self, numero: str) -> Memoire | None:
        return self._t.memoires.chercher(INDEX_NUMERO, numero)

    def par_empreinte(self, empreinte: str) -> Memoire | None:
        return self._t.memoires.chercher(INDEX_EMPREINTE, empreinte)

    def enregistrer(self, memoire: Memoire) -> Memoire:
        t = self._t
        suivant = _suivante(t.memoires, memoire)
        if suivant.numero != self.obtenir(memoire.id).numero:
            autre = self.par_numero(suivant.numero)
            if autre is not None and autre.id != memoire.id:
                raise Conflit(f"Le numéro {suivant.numero} est déjà attribué.", champ="numero")
        t.poser_memoire(suivant)
        return suivant

    def supprimer(self, memoire_id: str) -> None:
        # The store itself refuses to lose a sent mémoire, whatever the caller checked.
        self.obtenir(memoire_id).verifier_suppression()
        self._t.retirer_memoire(memoire_id)

    def purger(self, memoire_id: str, date_purge: datetime) -> MemoirePurgee:
        t = self._t
        purgee = MemoirePurgee.de(self.obtenir(memoire_id), date_purge)
        # One commit writes the entry and deletes the document (see `journal`).
        t.purges.poser(purgee)
        t.retirer_memoire(memoire_id)
        return purgee

    def purgee(self, memoire_id: str) -> MemoirePurgee | None:
        return self._t.purges.obtenir(memoire_id)

    def _resumes_visibles(self) -> Iterable[ResumeMemoire]:
        return self._t.resumes_visibles()

    def _memoires_visibles(self) -> Iterable[Memoire]:
        return self._t.memoires.tous()


class DepotDemandesTic(_Depot, DemandesTicParParcours):
    """The demandes TIC, stored under ``demandes_tic/``; the folder's lock, held for the
    whole transaction, makes the year's uniqueness hold across processes."""

    def _demandes(self) -> Iterable[DemandeTic]:
        return self._t.demandes_tic.tous()

    def _stockee(self, demande_id: str) -> DemandeTic | None:
        return self._t.demandes_tic.obtenir(demande_id)

    def _poser(self, demande: DemandeTic) -> None:
        self._t.demandes_tic.poser(demande)

    def _retirer(self, demande_id: str) -> None:
        self._t.demandes_tic.retirer(demande_id)

    def par_numero(self, numero: str) -> DemandeTic | None:
        return self._t.demandes_tic.chercher(INDEX_NUMERO, numero)

    def actives(self, structure_id: str, annee: int) -> Sequence[ResumeDemandeTic]:
        return sorted(
            (
                ResumeDemandeTic.depuis(d)
                for d in self._t.demandes_tic.tous_pour(INDEX_ANNEE, (structure_id, annee))
                if compte_pour_l_annee(d)
            ),
            key=lambda r: r.id,
        )


_JETON_EXISTANT = "Ce jeton existe déjà."


class DepotJetons(_Depot):
    """Secrets' records, stored under ``jetons/``."""

    def ajouter(self, jeton: Jeton) -> None:
        vue = self._t.jetons
        if vue.obtenir(jeton.id) is not None or self.par_empreinte(jeton.empreinte) is not None:
            raise Conflit(_JETON_EXISTANT, champ="jeton")
        vue.poser(jeton)

    def obtenir(self, jeton_id: str) -> Jeton:
        jeton = self._t.jetons.obtenir(jeton_id)
        if jeton is None:
            raise NonTrouve("Introuvable : ce jeton n'existe pas.")
        return jeton

    def par_empreinte(self, empreinte: str) -> Jeton | None:
        return self._t.jetons.chercher(INDEX_EMPREINTE, empreinte)

    def enregistrer(self, jeton: Jeton) -> Jeton:
        vue = self._t.jetons
        suivant = _suivante(vue, jeton)
        autre = self.par_empreinte(suivant.empreinte)
        if autre is not None and autre.id != jeton.id:
            raise Conflit(_JETON_EXISTANT, champ="jeton")
        vue.poser(suivant)
        return suivant

    def supprimer(self, jeton_id: str) -> None:
        vue = self._t.jetons
        if vue.obtenir(jeton_id) is not None:
            vue.retirer(jeton_id)

    def pour_structure(self, structure_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        return _plus_anciens(self._t.jetons.tous_pour(INDEX_STRUCTURE, (structure_id, nature)))

    def pour_utilisateur(self, utilisateur_id: str, nature: NatureJeton) -> Sequence[Jeton]:
        return _plus_anciens(self._t.jetons.tous_pour(INDEX_UTILISATEUR, (utilisateur_id, nature)))

    def purger(self, avant: datetime) -> int:
        vue = self._t.jetons
        perimes = [j.id for j in vue.tous() if j.expire_le < avant]
        for jeton_id in perimes:
            vue.retirer(jeton_id)
        return len(perimes)


def _plus_anciens(jetons: Iterable[Jeton]) -> list[Jeton]:
    return sorted(jetons, key=lambda j: (j.cree_le, j.id))


class DepotCourriels(_Depot):
    """The outbox, stored under ``courriels/``."""

    def ajouter(self, courriel: Courriel) -> None:
        vue = self._t.courriels
        if vue.obtenir(courriel.id) is not None:
            raise Conflit("Ce courriel existe déjà.", champ="courriel")
        vue.poser(courriel)

    def obtenir(self, courriel_id: str) -> Courriel:
        courriel = self._t.courriels.obtenir(courriel_id)
        if courriel is None:
            raise NonTrouve("Introuvable : ce courriel n'existe pas.")
        return courriel

    def enregistrer(self, courriel: Courriel) -> Courriel:
        vue = self._t.courriels
        suivant = _suivante(vue, courriel)
        vue.poser(suivant)
        return suivant

    def a_envoyer(self, maintenant: datetime, limite: int) -> Sequence[Courriel]:
        prets = sorted(
            (
                c
                for c in self._t.courriels.tous_pour(INDEX_NON_ENVOYE, True)
                if c.tentatives < ESSAIS_MAXIMUM and c.disponible_le <= maintenant
            ),
            key=lambda c: (c.disponible_le, c.id),
        )
        return prets[: max(0, limite)]

    def pour_destinataire(self, destinataire: str) -> Sequence[Courriel]:
        return sorted(
            self._t.courriels.tous_pour(INDEX_DESTINATAIRE, destinataire),
            key=lambda c: (c.cree_le, c.id),
        )


class RequetesMemoires(_Depot, RequetesParParcours):
    """Searches by scan of the résumés, in the ports' reference semantics."""

    def _resumes(self) -> Iterable[ResumeMemoire]:
        return self._t.resumes_visibles()


class SequencesFichiers(_Depot):
    """Counters in ``sequences.json``, written with the rest of the transaction."""

    def suivant(self, nom: str) -> int:
        t = self._t
        valeur = t.valeur_de_sequence(nom) + 1
        t.poser_sequence(nom, valeur)
        return valeur

    def reserver(self, nom: str, nombre: int) -> range:
        t = self._t
        debut = t.valeur_de_sequence(nom) + 1
        if nombre > 0:
            t.poser_sequence(nom, debut + nombre - 1)
        return range(debut, debut + max(0, nombre))
