"""Use cases of the back office: the juridiction's service centralisateur and the comptable
apply their processing events to sent mémoires."""

from __future__ import annotations

from chorus.domain.errors import AccesRefuse, NonTrouve
from chorus.domain.memoire import Memoire
from chorus.domain.pieces import PieceJointe
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import (
    INTERVENANT_PAR_ACTION,
    ROLE_PAR_INTERVENANT,
    EvenementTraitement,
)
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.requetes import (
    CriteresMemoire,
    FiltresMemoire,
    Page,
    Pagination,
    ResumeMemoire,
    Tri,
)
from chorus.services.activite import noter_activite
from chorus.services.contexte import Ports, libelle_acteur
from chorus.services.evenements_en_attente import reprendre_en_attente


def _juridictions_visibles(agent: Utilisateur) -> frozenset[str] | None:
    """An agent sees the mémoires of their juridictions; a comptable with none, all."""
    if agent.role is None:
        raise AccesRefuse("Cette opération est réservée aux agents de l'administration.")
    if agent.role is RoleAgent.AGENT_JURIDICTION:
        # Never "all": an agent without a juridiction (refused at creation) sees nothing.
        return agent.juridictions
    if agent.role is RoleAgent.COMPTABLE:
        return agent.juridictions or None
    raise AccesRefuse(
        f"Le rôle « {agent.role.libelle} » ne donne pas accès au traitement des mémoires."
    )


def exiger_visible_par_agent(agent: Utilisateur, memoire: Memoire) -> None:
    """Refuse (as if it did not exist) a draft, or a mémoire of a juridiction the agent does
    not serve."""
    juridictions = _juridictions_visibles(agent)
    if memoire.statut is StatutMemoire.BROUILLON or (
        juridictions is not None and memoire.entete.juridiction_code not in juridictions
    ):
        raise NonTrouve("Introuvable : ce mémoire n'existe pas ou ne vous est pas accessible.")


class TraitementService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def _visible(self, agent: Utilisateur, memoire: Memoire) -> None:
        exiger_visible_par_agent(agent, memoire)

    def obtenir(self, acteur_id: str, memoire_id: str) -> Memoire:
        with self._p.uow.lecture() as uow:
            agent = uow.utilisateurs.obtenir(acteur_id)
            memoire = uow.memoires.obtenir(memoire_id)
            self._visible(agent, memoire)
            return memoire

    def lire_piece(
        self, acteur_id: str, memoire_id: str, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        """A pièce of a mémoire the agent may process, with its content (checked against its
        SHA-256 by the blob store)."""
        memoire = self.obtenir(acteur_id, memoire_id)
        piece = memoire.piece(piece_id)
        if piece is None:
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return piece, self._p.blobs.lire(piece.sha256)

    def rechercher(
        self, acteur_id: str, filtres: FiltresMemoire, tri: Tri, pagination: Pagination
    ) -> Page[ResumeMemoire]:
        """The sent mémoires of the agent's juridictions."""
        with self._p.uow.lecture() as uow:
            agent = uow.utilisateurs.obtenir(acteur_id)
            criteres = CriteresMemoire(
                filtres=filtres,
                juridictions=_juridictions_visibles(agent),
                inclure_brouillons=False,
            )
            return uow.requetes.rechercher(criteres, tri, pagination)

    def appliquer_evenement(
        self, acteur_id: str, memoire_id: str, evenement: EvenementTraitement
    ) -> Memoire:
        """Apply one processing event; replaying the same reference changes nothing."""
        with self._p.uow as uow:
            agent = uow.utilisateurs.obtenir(acteur_id)
            memoire = uow.memoires.obtenir(memoire_id)
            self._visible(agent, memoire)
            intervenant = INTERVENANT_PAR_ACTION[evenement.action]
            role = ROLE_PAR_INTERVENANT[intervenant]
            if agent.role is not role:
                raise AccesRefuse(
                    f"{evenement.action.avec_article.capitalize()} d'un mémoire relève du rôle "
                    f"« {role.libelle} »."
                )
            maintenant = self._p.clock.maintenant()
            traite = memoire.traiter(
                evenement,
                intervenant=intervenant,
                acteur=libelle_acteur(agent),
                maintenant=maintenant,
            )
            if traite is memoire:
                return memoire
            # Events of a batch that waited for this one may apply now (`lots_statuts`).
            traite, _ = reprendre_en_attente(uow, traite, maintenant)
            enregistre = uow.memoires.enregistrer(traite)
            noter_activite(uow, memoire, enregistre)
            uow.commit()
            return enregistre
