"""Use cases of the TIC instructors (DDFiP): the queue of sent demandes, their pièces and
certificate, and the instruction events (mise à disposition, prise en charge, validation
— possibly for less than asked, with a motif —, rejet with its motif, mise en paiement)."""

from __future__ import annotations

from chorus.domain.documents import DocumentPdf
from chorus.domain.errors import AccesRefuse, NonTrouve
from chorus.domain.pieces import PieceJointe
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.depots import UnitOfWork
from chorus.ports.requetes import Page, Pagination
from chorus.ports.tic import CriteresDemandeTic, FiltresDemandeTic, ResumeDemandeTic, TriTic
from chorus.services.activite import noter_activite
from chorus.services.contexte import Ports, libelle_acteur
from chorus.services.tic import certificat_stocke


def exiger_instructeur(agent: Utilisateur) -> None:
    """Only an instructeur TIC works on the demandes."""
    if agent.role is not RoleAgent.INSTRUCTEUR_TIC:
        raise AccesRefuse(
            "Cette opération est réservée aux instructeurs TIC (rôle « Instructeur TIC »)."
        )


class InstructionTicService:
    def __init__(self, ports: Ports) -> None:
        self._p = ports

    def _demande(self, uow: UnitOfWork, acteur_id: str, demande_id: str) -> DemandeTic:
        exiger_instructeur(uow.utilisateurs.obtenir(acteur_id))
        demande = uow.demandes_tic.obtenir(demande_id)
        if demande.statut is StatutDemandeTic.BROUILLON:
            # A draft was never transmitted: the back office does not know it exists.
            raise NonTrouve(
                "Introuvable : cette demande n'existe pas ou ne vous est pas accessible."
            )
        return demande

    def obtenir(self, acteur_id: str, demande_id: str) -> DemandeTic:
        with self._p.uow.lecture() as uow:
            return self._demande(uow, acteur_id, demande_id)

    def lire_piece(
        self, acteur_id: str, demande_id: str, piece_id: str
    ) -> tuple[PieceJointe, bytes]:
        demande = self.obtenir(acteur_id, demande_id)
        piece = demande.piece(piece_id)
        if piece is None:
            raise NonTrouve("Cette pièce jointe n'existe pas.", champ="piece_id")
        return piece, self._p.blobs.lire(piece.sha256)

    def certificat_depot(self, acteur_id: str, demande_id: str) -> DocumentPdf:
        return certificat_stocke(self._p, self.obtenir(acteur_id, demande_id))

    def rechercher(
        self, acteur_id: str, filtres: FiltresDemandeTic, tri: TriTic, pagination: Pagination
    ) -> Page[ResumeDemandeTic]:
        """The queue: every sent demande (drafts never), filtered and sorted."""
        with self._p.uow.lecture() as uow:
            exiger_instructeur(uow.utilisateurs.obtenir(acteur_id))
            criteres = CriteresDemandeTic(filtres, None, inclure_brouillons=False)
            return uow.demandes_tic.rechercher(criteres, tri, pagination)

    def compter_par_statut(self, acteur_id: str) -> dict[StatutDemandeTic, int]:
        """The instructor's dashboard: sent demandes per status, all structures together."""
        with self._p.uow.lecture() as uow:
            exiger_instructeur(uow.utilisateurs.obtenir(acteur_id))
            total: dict[StatutDemandeTic, int] = {}
            for par_statut in uow.demandes_tic.compter_par_statut(None).values():
                for statut, nombre in par_statut.items():
                    total[statut] = total.get(statut, 0) + nombre
            return total

    def appliquer_evenement(
        self, acteur_id: str, demande_id: str, evenement: EvenementInstructionTic
    ) -> DemandeTic:
        """Apply one instruction event; replaying the same reference changes nothing."""
        with self._p.uow as uow:
            agent = uow.utilisateurs.obtenir(acteur_id)
            demande = self._demande(uow, acteur_id, demande_id)
            instruite = demande.instruire(
                evenement, acteur=libelle_acteur(agent), maintenant=self._p.clock.maintenant()
            )
            if instruite is demande:
                return demande
            enregistre = uow.demandes_tic.enregistrer(instruite)
            noter_activite(uow, demande, enregistre)
            uow.commit()
            return enregistre
