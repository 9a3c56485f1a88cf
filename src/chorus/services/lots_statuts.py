"""Use cases of the batches of back-office status events: import a batch (a file, from the
back office's system on the command line, or from an agent through the API), read its
report again, list the events waiting to apply.

A batch gets its number first (so that its waiting events can name it), then each mémoire's
events are played in one unit of work of their own (`lots_statuts.derouler`, the status
changes noted in the activity feed in that same unit of work): a mémoire is never left half
processed, and one mémoire's failure leaves the others' changes standing. The report is
stored last. An import interrupted midway can simply be run again: what applied is
recognised by its reference and reported « déjà appliqué ».
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from chorus.domain.errors import AccesRefuse, DomainError, NonTrouve, ValidationError
from chorus.domain.lots_statuts import (
    SEQUENCE_LOTS,
    Candidat,
    EvenementDeLot,
    EvenementEnAttente,
    EvenementLu,
    FormatLot,
    IssueEvenement,
    LotStatuts,
    ResultatEvenement,
    acteur_du_systeme,
    conflit_de_reference,
    derouler,
    lire_evenement,
    meme_contenu,
    numero_lot,
    resultat_differe,
)
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import INTERVENANT_PAR_ACTION, ROLE_PAR_INTERVENANT
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.ports.lots_statuts import LecteurLotStatuts
from chorus.ports.requetes import Page, Pagination
from chorus.services.activite import noter_activite
from chorus.services.contexte import Ports, libelle_acteur
from chorus.services.traitement import exiger_visible_par_agent

MAXIMUM_EVENEMENTS = 100_000
"""Events one batch may hold."""

_DU_LOT = "lot:"
_EN_ATTENTE = "attente:"

_ERREUR_TECHNIQUE = (
    "Erreur technique pendant le traitement de ce mémoire (rien n'a été appliqué) : "
    "réessayez en important le lot de nouveau."
)


def _perimetre(agent: Utilisateur) -> frozenset[str] | None:
    """The juridictions whose mémoires the agent processes (None: all, for a comptable
    attached to none), as `TraitementService` decides it; `AccesRefuse` for any other
    role."""
    if agent.role is RoleAgent.AGENT_JURIDICTION:
        return agent.juridictions
    if agent.role is RoleAgent.COMPTABLE:
        return agent.juridictions or None
    if agent.role is None:
        raise AccesRefuse("Cette opération est réservée aux agents de l'administration.")
    raise AccesRefuse(
        f"Le rôle « {agent.role.libelle} » ne donne pas accès au traitement des mémoires."
    )


def _refus(
    position: str, lu: EvenementLu | EvenementDeLot, erreur: DomainError
) -> ResultatEvenement:
    if isinstance(lu, EvenementDeLot):
        numero: str | None = lu.numero_memoire
        reference: str | None = lu.evenement.reference
        action: str | None = lu.evenement.action.value
    else:
        numero, reference, action = lu.numero_memoire, lu.reference_evenement, lu.action
    return ResultatEvenement(
        position=position,
        numero_memoire=numero,
        reference_evenement=reference,
        action=action,
        issue=IssueEvenement.REFUSE,
        champ=erreur.champ,
        message=erreur.message,
    )


def _resultat(
    evenement: EvenementDeLot,
    issue: IssueEvenement,
    *,
    champ: str | None = None,
    message: str | None = None,
) -> ResultatEvenement:
    return ResultatEvenement(
        position=evenement.position,
        numero_memoire=evenement.numero_memoire,
        reference_evenement=evenement.evenement.reference,
        action=evenement.evenement.action.value,
        issue=issue,
        champ=champ,
        message=message,
    )


class LotsStatutsService:
    def __init__(self, ports: Ports, lecteur: LecteurLotStatuts) -> None:
        self._p = ports
        self._lecteur = lecteur

    # -- reading ----------------------------------------------------------------------------

    def obtenir(self, acteur_id: str, numero: str) -> LotStatuts:
        """A batch's report: for the agent who sent it, or a comptable serving every
        juridiction; any other is « introuvable »."""
        with self._p.uow.lecture() as uow:
            agent = uow.utilisateurs.obtenir(acteur_id)
            perimetre = _perimetre(agent)
            lot = uow.lots_statuts.obtenir(numero)
        if lot.acteur_id != agent.id and perimetre is not None:
            raise NonTrouve(f"Introuvable : il n'y a pas de lot de statuts n° {numero}.")
        return lot

    def en_attente(self, acteur_id: str, pagination: Pagination) -> Page[EvenementEnAttente]:
        """The events waiting to apply to the mémoires of the agent's juridictions."""
        with self._p.uow.lecture() as uow:
            agent = uow.utilisateurs.obtenir(acteur_id)
            return uow.lots_statuts.en_attente(_perimetre(agent), pagination)

    # -- importing --------------------------------------------------------------------------

    def importer_fichier(
        self, contenu: bytes, format: FormatLot, *, acteur_id: str | None = None
    ) -> LotStatuts:
        """Import a batch file (`LotIllisible` if it cannot be read: nothing applied)."""
        if acteur_id is not None:
            # Refuse a user outside the back office before reading anything they sent.
            with self._p.uow.lecture() as uow:
                _perimetre(uow.utilisateurs.obtenir(acteur_id))
        return self.importer(self._lecteur.lire(format, contenu), format, acteur_id=acteur_id)

    def importer(
        self, lus: Sequence[EvenementLu], format: FormatLot, *, acteur_id: str | None = None
    ) -> LotStatuts:
        """Apply a batch's events and store its report: one line per event of the batch, in
        file order, then one per event of an earlier batch that applied or was refused at
        last. `acteur_id` None: the back office's own system (the command line); else the
        agent, whose role and juridictions limit what they may apply."""
        if not lus:
            raise ValidationError("Le lot ne contient aucun événement.", champ="evenements")
        if len(lus) > MAXIMUM_EVENEMENTS:
            raise ValidationError(
                f"Un lot contient au plus {MAXIMUM_EVENEMENTS} événements ({len(lus)} reçus) : "
                "découpez-le.",
                champ="evenements",
            )
        agent: Utilisateur | None = None
        if acteur_id is not None:
            with self._p.uow.lecture() as uow:
                agent = uow.utilisateurs.obtenir(acteur_id)
                _perimetre(agent)
        with self._p.uow as uow:
            numero = numero_lot(uow.sequences.suivant(SEQUENCE_LOTS))
            uow.commit()
        acteur = libelle_acteur(agent) if agent is not None else acteur_du_systeme(numero)

        resultats: dict[str, ResultatEvenement] = {}
        valides: list[EvenementDeLot] = []
        for lu in lus:
            try:
                valides.append(lire_evenement(lu))
            except DomainError as erreur:
                resultats[lu.position] = _refus(lu.position, lu, erreur)

        par_reference: dict[str, list[EvenementDeLot]] = {}
        for evenement in valides:
            par_reference.setdefault(evenement.evenement.reference, []).append(evenement)
        par_memoire: dict[str, list[EvenementDeLot]] = {}
        doublons: list[tuple[EvenementDeLot, EvenementDeLot]] = []
        for reference, memes in par_reference.items():
            premier = memes[0]
            if all(meme_contenu(premier, autre) for autre in memes[1:]):
                par_memoire.setdefault(premier.numero_memoire, []).append(premier)
                doublons.extend((doublon, premier) for doublon in memes[1:])
            else:
                for evenement in memes:
                    resultats[evenement.position] = _refus(
                        evenement.position, evenement, conflit_de_reference(reference)
                    )

        anciens: list[ResultatEvenement] = []
        for numero_memoire, evenements in par_memoire.items():
            try:
                du_lot, des_anciens = self._traiter_memoire(
                    numero_memoire, evenements, agent, acteur, numero
                )
            except DomainError as erreur:
                du_lot = [_refus(e.position, e, erreur) for e in evenements]
                des_anciens = []
            except Exception:
                # A technical failure (a locked database…) rolled this mémoire's unit of work
                # back: its events are reported refused, the others' stand, and the report is
                # stored all the same, so that the batch's number always has one.
                du_lot = [
                    _resultat(e, IssueEvenement.REFUSE, message=_ERREUR_TECHNIQUE)
                    for e in evenements
                ]
                des_anciens = []
            for resultat in du_lot:
                resultats[resultat.position] = resultat
            anciens.extend(des_anciens)
        # A copy repeated in the batch shares its first copy's outcome (refused, waiting…);
        # once the first applied, the copy is « déjà appliqué »: applied once, counted once.
        for doublon, premier in doublons:
            issue = resultats[premier.position]
            if issue.issue is IssueEvenement.APPLIQUE:
                resultats[doublon.position] = _resultat(
                    doublon,
                    IssueEvenement.DEJA_APPLIQUE,
                    message=f"Doublon de {premier.position} dans ce lot : pris en compte une "
                    "seule fois.",
                )
            else:
                resultats[doublon.position] = _resultat(
                    doublon,
                    issue.issue,
                    champ=issue.champ,
                    message=(f"{issue.message} " if issue.message else "")
                    + f"(doublon de {premier.position} dans ce lot)",
                )

        lot = LotStatuts(
            id=self._p.ids.nouveau(),
            numero=numero,
            format=format,
            date_import=self._p.clock.maintenant(),
            acteur=acteur,
            acteur_id=agent.id if agent is not None else None,
            resultats=(*(resultats[lu.position] for lu in lus), *anciens),
        )
        with self._p.uow as uow:
            uow.lots_statuts.ajouter(lot)
            uow.commit()
        return lot

    def _exiger_droits(self, agent: Utilisateur | None, memoire: Memoire) -> None:
        if agent is None:
            # The back office's own system: anything sent, never a draft.
            if memoire.statut is StatutMemoire.BROUILLON:
                raise NonTrouve(
                    f"Le mémoire n°{memoire.numero} est un brouillon : il n'a pas été transmis.",
                    champ="numero_memoire",
                )
            return
        try:
            exiger_visible_par_agent(agent, memoire)
        except NonTrouve as erreur:
            raise NonTrouve(erreur.message, champ="numero_memoire") from None

    def _traiter_memoire(
        self,
        numero_memoire: str,
        evenements: Sequence[EvenementDeLot],
        agent: Utilisateur | None,
        acteur: str,
        numero: str,
    ) -> tuple[list[ResultatEvenement], list[ResultatEvenement]]:
        """Play one mémoire's events of the batch with those waiting for it, in one unit of
        work: (the lines of the batch's events, the lines of earlier batches' events that
        left the waiting list)."""
        maintenant = self._p.clock.maintenant()
        du_lot: list[ResultatEvenement] = []
        anciens: list[ResultatEvenement] = []
        with self._p.uow as uow:
            memoire = uow.memoires.par_numero(numero_memoire)
            if memoire is None:
                # An agent learns no more of a number outside their juridictions than of one
                # that does not exist; the back office's own system gets the precise reason.
                erreur = NonTrouve(
                    f"Aucun mémoire ne porte le numéro {numero_memoire}."
                    if agent is None
                    else "Introuvable : ce mémoire n'existe pas ou ne vous est pas accessible.",
                    champ="numero_memoire",
                )
                return [_refus(e.position, e, erreur) for e in evenements], []
            try:
                self._exiger_droits(agent, memoire)
            except DomainError as erreur:
                return [_refus(e.position, e, erreur) for e in evenements], []
            attentes = {a.id: a for a in uow.lots_statuts.en_attente_du_memoire(memoire.id)}
            par_reference = {a.evenement.reference: a for a in attentes.values()}
            candidats: list[Candidat] = []
            du_lot_par_cle: dict[str, EvenementDeLot] = {}
            # Events of this batch re-sending one already waiting: they share its outcome.
            renvois: dict[str, list[EvenementDeLot]] = {}
            for evenement in evenements:
                action = evenement.evenement.action
                role = ROLE_PAR_INTERVENANT[INTERVENANT_PAR_ACTION[action]]
                if agent is not None and agent.role is not role:
                    du_lot.append(
                        _refus(
                            evenement.position,
                            evenement,
                            AccesRefuse(
                                f"{action.avec_article.capitalize()} d'un mémoire relève du "
                                f"rôle « {role.libelle} ».",
                                champ="action",
                            ),
                        )
                    )
                    continue
                attente = par_reference.get(evenement.evenement.reference)
                if attente is not None:
                    if attente.evenement == evenement.evenement:
                        renvois.setdefault(attente.id, []).append(evenement)
                    else:
                        du_lot.append(
                            _refus(
                                evenement.position,
                                evenement,
                                conflit_de_reference(evenement.evenement.reference),
                            )
                        )
                    continue
                cle = _DU_LOT + evenement.position
                du_lot_par_cle[cle] = evenement
                candidats.append(Candidat(cle, evenement.evenement, acteur))
            for attente in attentes.values():
                candidats.append(
                    Candidat(_EN_ATTENTE + attente.id, attente.evenement, attente.acteur)
                )
            deroulement = derouler(memoire, candidats, maintenant=maintenant)
            if deroulement.memoire is not memoire:
                enregistre = uow.memoires.enregistrer(deroulement.memoire)
                noter_activite(uow, memoire, enregistre)
            for issue in deroulement.issues:
                if issue.cle.startswith(_EN_ATTENTE):
                    attente = attentes[issue.cle.removeprefix(_EN_ATTENTE)]
                    renvoyes = renvois.get(attente.id, [])
                    if issue.issue is IssueEvenement.EN_ATTENTE:
                        du_lot.extend(
                            _resultat(
                                renvoye,
                                IssueEvenement.EN_ATTENTE,
                                message="Déjà en attente depuis le lot n° "
                                f"{attente.numero_lot} ({attente.position}).",
                            )
                            for renvoye in renvoyes
                        )
                        continue
                    uow.lots_statuts.retirer_de_l_attente(attente.id)
                    differe = resultat_differe(
                        attente, issue.issue, champ=issue.champ, message=issue.message
                    )
                    uow.lots_statuts.noter_issue_differee(attente.numero_lot, differe)
                    if renvoyes:
                        # Its line in this batch is the re-sent one's: counted once.
                        du_lot.extend(
                            attrs.evolve(differe, position=renvoye.position) for renvoye in renvoyes
                        )
                    else:
                        anciens.append(differe)
                    continue
                evenement = du_lot_par_cle[issue.cle]
                du_lot.append(
                    _resultat(evenement, issue.issue, champ=issue.champ, message=issue.message)
                )
                if issue.issue is IssueEvenement.EN_ATTENTE:
                    uow.lots_statuts.mettre_en_attente(
                        EvenementEnAttente(
                            id=self._p.ids.nouveau(),
                            memoire_id=memoire.id,
                            numero_memoire=memoire.numero,
                            juridiction_code=memoire.entete.juridiction_code,
                            evenement=evenement.evenement,
                            acteur=acteur,
                            numero_lot=numero,
                            position=evenement.position,
                            date_reception=maintenant,
                        )
                    )
            uow.commit()
        return du_lot, anciens
