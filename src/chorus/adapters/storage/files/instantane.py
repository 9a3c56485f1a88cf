"""The in-process cache of a files store: every committed aggregate, decoded, with the
indexes its lookups need and the résumés its searches scan.

It is only read or changed under the store's lock, by one unit of work at a time, and is
valid while the generation it was read at is the one on disk (see `chargement`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Generic, Protocol, TypeVar

from chorus.adapters.storage.files.generation import Generation
from chorus.adapters.storage.flux import EntreeDuRegistre, LotDeRapport
from chorus.domain.activite import EvenementActivite
from chorus.domain.actualites import Actualite
from chorus.domain.conservation import MemoirePurgee
from chorus.domain.courriels import Courriel
from chorus.domain.flux.flux import Flux
from chorus.domain.jetons import Jeton, NatureJeton
from chorus.domain.lots_statuts import EvenementEnAttente, LotStatuts
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Structure
from chorus.domain.support.ticket import Ticket
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.requetes import ResumeMemoire


class _AvecId(Protocol):
    @property
    def id(self) -> str: ...


A = TypeVar("A", bound=_AvecId)

Cle = Callable[[A], Hashable | None]


class Collection(Generic[A]):
    """The aggregates of one kind by id, and for each index its key → ids (in the order
    they were set, which is the order a scan would meet them)."""

    def __init__(self, cles: Mapping[str, Cle[A]]) -> None:
        self.par_id: dict[str, A] = {}
        self.cles = dict(cles)
        self._index: dict[str, dict[Hashable, dict[str, None]]] = {nom: {} for nom in cles}

    def poser(self, agregat: A) -> None:
        self.retirer(agregat.id)
        self.par_id[agregat.id] = agregat
        for nom, cle in self.cles.items():
            valeur = cle(agregat)
            if valeur is not None:
                self._index[nom].setdefault(valeur, {})[agregat.id] = None

    def retirer(self, identifiant: str) -> None:
        ancien = self.par_id.pop(identifiant, None)
        if ancien is None:
            return
        for nom, cle in self.cles.items():
            valeur = cle(ancien)
            ids = self._index[nom].get(valeur) if valeur is not None else None
            if ids is not None:
                ids.pop(identifiant, None)
                if not ids:
                    del self._index[nom][valeur]

    def ids_pour(self, index: str, valeur: Hashable) -> Iterable[str]:
        return tuple(self._index[index].get(valeur, ()))


INDEX_IDENTIFIANT = "identifiant"
INDEX_EMAIL = "email"
INDEX_NUMERO = "numero"
INDEX_EMPREINTE = "empreinte"
INDEX_UTILISATEUR = "utilisateur"
INDEX_STRUCTURE = "structure"
INDEX_NON_ENVOYE = "non_envoye"
INDEX_DESTINATAIRE = "destinataire"
INDEX_ANNEE = "annee"
INDEX_OBJET = "objet"
INDEX_FLUX = "flux"


def _cle_identifiant(structure: Structure) -> Hashable:
    return (structure.type_identifiant, structure.identifiant)


def _cle_email(utilisateur: Utilisateur) -> Hashable:
    return utilisateur.email


def _cle_numero(memoire: Memoire) -> Hashable:
    return memoire.numero


def _cle_empreinte(memoire: Memoire) -> Hashable | None:
    return memoire.certificat.empreinte if memoire.certificat is not None else None


def _cle_empreinte_jeton(jeton: Jeton) -> Hashable:
    return jeton.empreinte


def _cle_utilisateur(jeton: Jeton) -> tuple[str, NatureJeton] | None:
    return None if jeton.utilisateur_id is None else (jeton.utilisateur_id, jeton.nature)


def _cle_structure(jeton: Jeton) -> tuple[str, NatureJeton] | None:
    return None if jeton.structure_id is None else (jeton.structure_id, jeton.nature)


def _cle_non_envoye(courriel: Courriel) -> Hashable | None:
    # The outbox keeps every email sent: the sender only looks at the others.
    return True if courriel.envoye_le is None else None


def _cle_destinataire(courriel: Courriel) -> Hashable:
    return courriel.destinataire


def _cle_numero_flux(flux: Flux) -> Hashable:
    return flux.numero


def _cle_flux_du_lot(lot: LotDeRapport) -> Hashable:
    return lot.flux_id


def _cle_numero_tic(demande: DemandeTic) -> Hashable:
    return demande.numero


def _cle_annee(demande: DemandeTic) -> Hashable:
    return (demande.structure_id, demande.annee)


def _cle_numero_ticket(ticket: Ticket) -> Hashable:
    return ticket.numero


def _cle_structure_activite(evenement: EvenementActivite) -> Hashable:
    return evenement.structure_id


def _cle_objet_activite(evenement: EvenementActivite) -> Hashable:
    return evenement.objet_id


class Instantane:
    """The committed state of the store as this process last read or wrote it."""

    def __init__(self, generation: Generation, octets_generation: bytes) -> None:
        self.generation = generation
        # The generation file as read: when the file on disk has the same bytes, nothing
        # changed since.
        self.octets_generation = octets_generation
        self.structures: Collection[Structure] = Collection({INDEX_IDENTIFIANT: _cle_identifiant})
        self.utilisateurs: Collection[Utilisateur] = Collection({INDEX_EMAIL: _cle_email})
        self.memoires: Collection[Memoire] = Collection(
            {INDEX_NUMERO: _cle_numero, INDEX_EMPREINTE: _cle_empreinte}
        )
        self.jetons: Collection[Jeton] = Collection(
            {
                INDEX_EMPREINTE: _cle_empreinte_jeton,
                INDEX_UTILISATEUR: _cle_utilisateur,
                INDEX_STRUCTURE: _cle_structure,
            }
        )
        self.courriels: Collection[Courriel] = Collection(
            {INDEX_NON_ENVOYE: _cle_non_envoye, INDEX_DESTINATAIRE: _cle_destinataire}
        )
        self.purges: Collection[MemoirePurgee] = Collection({})
        self.demandes_tic: Collection[DemandeTic] = Collection(
            {INDEX_NUMERO: _cle_numero_tic, INDEX_ANNEE: _cle_annee}
        )
        self.actualites: Collection[Actualite] = Collection({})
        self.tickets: Collection[Ticket] = Collection({INDEX_NUMERO: _cle_numero_ticket})
        self.flux: Collection[Flux] = Collection({INDEX_NUMERO: _cle_numero_flux})
        self.flux_rapports: Collection[LotDeRapport] = Collection({INDEX_FLUX: _cle_flux_du_lot})
        self.flux_references: Collection[EntreeDuRegistre] = Collection({})
        self.lots_statuts: Collection[LotStatuts] = Collection({})
        self.evenements_en_attente: Collection[EvenementEnAttente] = Collection({})
        # Indexed by structure: a feed reads the events of the user's structures only; and by
        # object: the retention purge removes a mémoire's events with it.
        self.activites: Collection[EvenementActivite] = Collection(
            {INDEX_STRUCTURE: _cle_structure_activite, INDEX_OBJET: _cle_objet_activite}
        )
        self.resumes: dict[str, ResumeMemoire] = {}
        self.sequences: dict[str, int] = {}

    def poser_memoire(self, memoire: Memoire, resume: ResumeMemoire | None = None) -> None:
        self.memoires.poser(memoire)
        self.resumes[memoire.id] = resume if resume is not None else ResumeMemoire.depuis(memoire)

    def retirer_memoire(self, memoire_id: str) -> None:
        self.memoires.retirer(memoire_id)
        self.resumes.pop(memoire_id, None)
