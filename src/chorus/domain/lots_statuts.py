"""Batches of back-office status events (« lots de statuts »): what a batch file holds, the
order events apply in, and how one mémoire's events of a batch play out.

The back office sends its processing in batches, late, out of order or twice. The rules:

* per mémoire, events apply in *event order*: by `date_evenement`, then by the action's rank
  in the lifecycle (MISE_A_DISPOSITION < SUSPENSION < CERTIFICATION, REFUS <
  MISE_EN_PAIEMENT), then by reference — so a shuffled batch gives the ordered one's result;
* each event applies once: a reference already in the mémoire's history changes nothing;
* an event whose move is not possible *yet* (a later status can still lead there, and it is
  not older than the mémoire's last back-office event) waits, stored, and is tried again
  whenever that mémoire's events are next applied;
* every other event that cannot apply is refused with its reason, never dropped.

`derouler` is that play for one mémoire, pure: the use case reads the mémoire and its
waiting events, calls it, and writes what it returns in one unit of work.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs

from chorus.domain.errors import Conflit, DomainError, TransitionInvalide, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import TRANSITIONS, Intervenant, StatutMemoire
from chorus.domain.textes import texte_obligatoire, texte_optionnel
from chorus.domain.traitement import (
    INTERVENANT_PAR_ACTION,
    TOLERANCE_HORLOGE,
    ActionTraitement,
    EvenementTraitement,
)

SEQUENCE_LOTS = "LS"
CHAMPS_DU_LOT = (
    "numero_memoire",
    "action",
    "date_evenement",
    "reference_evenement",
    "motif",
    "montant_certifie",
    "montant_paye",
)
"""The fields of one event of a batch file (the columns of its CSV), in that order."""

# The action's place in the lifecycle: breaks ties between events of the same instant.
RANG_DANS_LE_CYCLE = {
    ActionTraitement.MISE_A_DISPOSITION: 0,
    ActionTraitement.SUSPENSION: 1,
    ActionTraitement.CERTIFICATION: 2,
    ActionTraitement.REFUS: 2,
    ActionTraitement.MISE_EN_PAIEMENT: 3,
}

_DECIMAL_FRANCAIS = re.compile(r"\s*-?\d+,\d+\s*")


def numero_lot(valeur: int) -> str:
    """``LS000000012`` for the 12th batch imported."""
    if not 0 < valeur < 10**9:
        raise ValueError(f"Séquence des lots de statuts épuisée : {valeur}.")
    return f"{SEQUENCE_LOTS}{valeur:09d}"


class FormatLot(enum.Enum):
    """The documented formats of a batch file."""

    JSON = "JSON"
    CSV = "CSV"


class IssueEvenement(enum.Enum):
    """What became of one event of a batch."""

    APPLIQUE = "APPLIQUE"
    DEJA_APPLIQUE = "DEJA_APPLIQUE"
    EN_ATTENTE = "EN_ATTENTE"
    REFUSE = "REFUSE"

    @property
    def libelle(self) -> str:
        return {
            IssueEvenement.APPLIQUE: "Appliqué",
            IssueEvenement.DEJA_APPLIQUE: "Déjà appliqué",
            IssueEvenement.EN_ATTENTE: "En attente",
            IssueEvenement.REFUSE: "Refusé",
        }[self]


@attrs.frozen
class EvenementLu:
    """One event of a batch file as read: every value the text found, None where none.

    `position` says where it is in the file (``evenements[3]`` of a JSON document,
    ``ligne 12`` of a CSV); `erreur` is what the reader itself found wrong with it (an entry
    that is not an object, an unknown field), which refuses it whatever its values.
    """

    position: str
    numero_memoire: str | None = None
    action: str | None = None
    date_evenement: str | None = None
    reference_evenement: str | None = None
    motif: str | None = None
    montant_certifie: str | None = None
    montant_paye: str | None = None
    erreur: tuple[str | None, str] | None = None
    """(field, French message) of the reader's refusal."""


class LotIllisible(ValidationError):
    """The batch file cannot be read at all: nothing of it is applied (the field at fault
    is the file itself)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, champ="fichier")


@attrs.frozen
class EvenementDeLot:
    """A well-formed event of a batch, with the mémoire it is for and where it was."""

    position: str
    numero_memoire: str
    evenement: EvenementTraitement

    @property
    def ordre(self) -> tuple[datetime, int, str]:
        return ordre_evenement(self.evenement)


def ordre_evenement(evenement: EvenementTraitement) -> tuple[datetime, int, str]:
    """The key of event order (see the module's docstring)."""
    return (evenement.date_evenement, RANG_DANS_LE_CYCLE[evenement.action], evenement.reference)


def _montant(texte: str | None) -> str | None:
    if texte is None:
        return None
    # A CSV from a French spreadsheet writes « 12,50 »; the thousands never have a comma.
    return texte.replace(",", ".") if _DECIMAL_FRANCAIS.fullmatch(texte) else texte


def _date(texte: str | None) -> datetime:
    propre = texte_obligatoire(texte, "date_evenement", maximum=40)
    try:
        return datetime.fromisoformat(propre)
    except ValueError:
        raise ValidationError(
            f"La date de l'événement « {propre} » n'est pas une date et heure ISO 8601 (par "
            "exemple 2026-03-01T14:30:00+01:00).",
            champ="date_evenement",
        ) from None


def _action(texte: str | None) -> ActionTraitement:
    propre = texte_obligatoire(texte, "action", maximum=40)
    try:
        return ActionTraitement(propre.upper())
    except ValueError:
        connues = ", ".join(a.value for a in ActionTraitement)
        raise ValidationError(
            f"L'action « {propre} » est inconnue : attendue {connues}.", champ="action"
        ) from None


def lire_evenement(lu: EvenementLu) -> EvenementDeLot:
    """The event `lu` describes; `ValidationError` naming the first field at fault."""
    if lu.erreur is not None:
        champ, message = lu.erreur
        raise ValidationError(message, champ=champ)
    numero = texte_obligatoire(lu.numero_memoire, "numero_memoire", maximum=40)
    action = _action(lu.action)
    reference = texte_obligatoire(lu.reference_evenement, "reference_evenement", maximum=100)
    evenement = EvenementTraitement.creer(
        action=action,
        reference=reference,
        date_evenement=_date(lu.date_evenement),
        motif=texte_optionnel(lu.motif, "motif", maximum=2000),
        montant_certifie=_montant(lu.montant_certifie),
        montant_paye=_montant(lu.montant_paye),
    )
    return EvenementDeLot(position=lu.position, numero_memoire=numero, evenement=evenement)


@attrs.frozen
class ResultatEvenement:
    """One line of a batch's report."""

    position: str
    numero_memoire: str | None
    reference_evenement: str | None
    action: str | None
    issue: IssueEvenement
    champ: str | None = None
    message: str | None = None
    en_attente_depuis: str | None = None
    """For an event of an earlier batch that waited: that batch's number."""


@attrs.frozen
class LotStatuts:
    """An imported batch and its report (stored, read again by its number)."""

    id: str
    numero: str
    format: FormatLot
    date_import: datetime
    acteur: str
    resultats: tuple[ResultatEvenement, ...]
    acteur_id: str | None = None
    """The agent who sent it through the API; None for the command line (the back office's
    own system)."""

    def _compter(self, issue: IssueEvenement) -> int:
        return sum(1 for r in self.resultats if r.issue is issue)

    @property
    def appliques(self) -> int:
        return self._compter(IssueEvenement.APPLIQUE)

    @property
    def deja_appliques(self) -> int:
        return self._compter(IssueEvenement.DEJA_APPLIQUE)

    @property
    def en_attente(self) -> int:
        return self._compter(IssueEvenement.EN_ATTENTE)

    @property
    def refuses(self) -> int:
        return self._compter(IssueEvenement.REFUSE)


@attrs.frozen
class EvenementEnAttente:
    """An event of a batch that could not apply yet, kept until it can (or never will)."""

    id: str
    memoire_id: str
    numero_memoire: str
    juridiction_code: str
    evenement: EvenementTraitement
    acteur: str
    """Who the history will name when it applies: the batch's sender."""
    numero_lot: str
    position: str
    date_reception: datetime


def resultat_differe(
    attente: EvenementEnAttente,
    issue: IssueEvenement,
    *,
    champ: str | None = None,
    message: str | None = None,
) -> ResultatEvenement:
    """The report line of a waiting event that applied or was refused at last."""
    return ResultatEvenement(
        position=attente.position,
        numero_memoire=attente.numero_memoire,
        reference_evenement=attente.evenement.reference,
        action=attente.evenement.action.value,
        issue=issue,
        champ=champ,
        message=(f"{message} " if message else f"{issue.libelle} ")
        + f"(en attente depuis le lot n° {attente.numero_lot})",
        en_attente_depuis=attente.numero_lot,
    )


def avec_issue_differee(lot: LotStatuts, resultat: ResultatEvenement) -> LotStatuts:
    """`lot` whose line still waiting at `resultat.position` now reads its final outcome
    (so that the batch's own report tells what became of it); `lot` itself if no such line
    waits."""
    lignes = list(lot.resultats)
    for rang, ligne in enumerate(lignes):
        if ligne.position == resultat.position and ligne.issue is IssueEvenement.EN_ATTENTE:
            lignes[rang] = resultat
            return attrs.evolve(lot, resultats=tuple(lignes))
    return lot


def acteur_du_systeme(numero: str) -> str:
    """How a history names the back-office system importing batch `numero`."""
    return f"Import de lot de statuts n° {numero}"


# -- one mémoire's play ----------------------------------------------------------------------


@attrs.frozen
class Candidat:
    """An event to try on one mémoire: of this batch (`cle` its position) or waiting from an
    earlier one (`cle` the waiting event's id)."""

    cle: str
    evenement: EvenementTraitement
    acteur: str


@attrs.frozen
class Issue:
    cle: str
    issue: IssueEvenement
    champ: str | None = None
    message: str | None = None


@attrs.frozen
class Deroulement:
    """What `derouler` made of a mémoire's events: the mémoire after them and one issue per
    candidate, in event order."""

    memoire: Memoire
    issues: tuple[Issue, ...]

    def issue(self, cle: str) -> Issue:
        return next(i for i in self.issues if i.cle == cle)


def _suivants(statut: StatutMemoire) -> Iterable[StatutMemoire]:
    return (vers for vers, (depuis, _) in TRANSITIONS.items() if statut in depuis)


@functools.cache
def atteignables(statut: StatutMemoire) -> frozenset[StatutMemoire]:
    """`statut` and every status some sequence of moves can lead to from it."""
    vus = {statut}
    a_voir = [statut]
    while a_voir:
        for suivant in _suivants(a_voir.pop()):
            if suivant not in vus:
                vus.add(suivant)
                a_voir.append(suivant)
    return frozenset(vus)


def pourra_s_appliquer(memoire: Memoire, action: ActionTraitement) -> bool:
    """Whether some later status of `memoire` allows `action`."""
    return bool(atteignables(memoire.statut) & TRANSITIONS[action.statut][0])


def dernier_evenement_du_back_office(memoire: Memoire) -> datetime | None:
    """When the last back-office event of the mémoire's history happened."""
    dates = [
        h.date_evenement for h in memoire.historique if h.intervenant is not Intervenant.PRESTATAIRE
    ]
    return max(dates) if dates else None


def _deja(memoire: Memoire, evenement: EvenementTraitement) -> Issue | None:
    """The issue of an event whose reference the history holds already, else None."""
    for passe in memoire.historique:
        if passe.reference_evenement == evenement.reference:
            if passe.statut is evenement.action.statut:
                return Issue("", IssueEvenement.DEJA_APPLIQUE)
            return Issue(
                "",
                IssueEvenement.REFUSE,
                champ="reference_evenement",
                message=f"La référence d'événement {evenement.reference} a déjà servi pour une "
                "autre action.",
            )
    return None


def _refus_fixe(
    memoire: Memoire, evenement: EvenementTraitement, maintenant: datetime
) -> DomainError | None:
    """What refuses an event whatever the mémoire's status: its dates, an amount above what
    was asked, a move no later status allows."""
    if memoire.certificat is not None and evenement.date_evenement < memoire.certificat.date_depot:
        return ValidationError(
            "La date de l'événement ne peut pas précéder l'envoi du mémoire.",
            champ="date_evenement",
        )
    if evenement.date_evenement > maintenant + TOLERANCE_HORLOGE:
        return ValidationError(
            "La date de l'événement ne peut pas être dans le futur.", champ="date_evenement"
        )
    if (
        evenement.action is ActionTraitement.CERTIFICATION
        and evenement.montant_certifie is not None
    ):
        demande = memoire.totaux.net_a_payer
        if evenement.montant_certifie > demande:
            return ValidationError(
                f"Le montant certifié ({evenement.montant_certifie} EUR) ne peut pas dépasser "
                f"le montant demandé ({demande} EUR).",
                champ="montant_certifie",
            )
        if evenement.montant_certifie < demande and evenement.motif is None:
            return ValidationError(
                "Le motif est obligatoire quand le montant certifié est inférieur au montant "
                "demandé.",
                champ="motif",
            )
    return _jamais(memoire, evenement.action)


def _jamais(memoire: Memoire, action: ActionTraitement) -> DomainError | None:
    if pourra_s_appliquer(memoire, action):
        return None
    return TransitionInvalide(
        f"Le mémoire n°{memoire.numero} est à l'état « {memoire.statut.libelle} » : il ne "
        f"pourra plus passer à l'état « {action.statut.libelle} »."
    )


def _refus(cle: str, erreur: DomainError) -> Issue:
    return Issue(cle, IssueEvenement.REFUSE, champ=erreur.champ, message=erreur.message)


def derouler(
    memoire: Memoire, candidats: Sequence[Candidat], *, maintenant: datetime
) -> Deroulement:
    """Play `candidats` (distinct references) on the sent `memoire`, in event order.

    Repeatedly, the first candidate in event order whose move the current status allows is
    applied (`Memoire.traiter`), until none is; a refusal of `traiter` (an amount above the
    one certified…) refuses that candidate. Then each one left waits if a later status can
    still allow it and it is not older than the mémoire's last back-office event, and is
    refused otherwise — late, or for ever out of reach.
    """
    issues: dict[str, Issue] = {}
    restants: list[Candidat] = []
    for candidat in sorted(candidats, key=lambda c: ordre_evenement(c.evenement)):
        deja = _deja(memoire, candidat.evenement)
        if deja is not None:
            issues[candidat.cle] = attrs.evolve(deja, cle=candidat.cle)
            continue
        erreur = _refus_fixe(memoire, candidat.evenement, maintenant)
        if erreur is not None:
            issues[candidat.cle] = _refus(candidat.cle, erreur)
            continue
        restants.append(candidat)
    courant = memoire
    applique = True
    while applique:
        applique = False
        for candidat in restants:
            evenement = candidat.evenement
            try:
                courant = courant.traiter(
                    evenement,
                    intervenant=INTERVENANT_PAR_ACTION[evenement.action],
                    acteur=candidat.acteur,
                    maintenant=maintenant,
                )
            except TransitionInvalide:
                continue
            except (ValidationError, Conflit) as erreur:
                issues[candidat.cle] = _refus(candidat.cle, erreur)
            else:
                issues[candidat.cle] = Issue(candidat.cle, IssueEvenement.APPLIQUE)
                applique = True
            restants.remove(candidat)
            break
    dernier = dernier_evenement_du_back_office(courant)
    for candidat in restants:
        evenement = candidat.evenement
        jamais = _jamais(courant, evenement.action)
        if jamais is not None:
            issues[candidat.cle] = _refus(candidat.cle, jamais)
        elif dernier is not None and evenement.date_evenement < dernier:
            issues[candidat.cle] = Issue(
                candidat.cle,
                IssueEvenement.REFUSE,
                champ="date_evenement",
                message=f"Événement tardif : le mémoire n°{courant.numero} est à l'état "
                f"« {courant.statut.libelle} » depuis un événement plus récent ; "
                f"{evenement.action.avec_article} ne peut pas s'y appliquer.",
            )
        else:
            issues[candidat.cle] = Issue(
                candidat.cle,
                IssueEvenement.EN_ATTENTE,
                message=f"En attente : le mémoire n°{courant.numero} est à l'état "
                f"« {courant.statut.libelle} » ; {evenement.action.avec_article} s'appliquera "
                "dès que son état le permettra.",
            )
    ordre = {c.cle: ordre_evenement(c.evenement) for c in candidats}
    return Deroulement(
        memoire=courant, issues=tuple(sorted(issues.values(), key=lambda i: ordre[i.cle]))
    )


def meme_contenu(a: EvenementDeLot, b: EvenementDeLot) -> bool:
    """Whether two events of a batch say the same thing (their position aside)."""
    return a.numero_memoire == b.numero_memoire and a.evenement == b.evenement


def conflit_de_reference(reference: str) -> Conflit:
    return Conflit(
        f"La référence d'événement {reference} figure plusieurs fois dans le lot avec des "
        "contenus différents : aucune de ces occurrences n'est appliquée.",
        champ="reference_evenement",
    )
