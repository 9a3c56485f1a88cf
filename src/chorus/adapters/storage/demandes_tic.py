"""What every store does alike for the demandes TIC: the refusals (a number taken, a second
demande for the same year, a sent demande changed or deleted), the blob-store addresses a
demande holds, and, for the stores that keep every demande at hand (memory, files), the whole
repository by scan in the ports' reference semantics."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import attrs

from chorus.adapters.storage.versions import version_suivante
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide
from chorus.domain.tic.demande import DemandeTic
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.ports.requetes import Page, Pagination
from chorus.ports.tic import (
    CriteresDemandeTic,
    EvenementSuiviTic,
    ResumeDemandeTic,
    TriTic,
    recents,
    trier_tic,
)

INTROUVABLE = "Introuvable : cette demande n'existe pas ou ne vous est pas accessible."


def numero_pris(numero: str) -> Conflit:
    return Conflit(f"Le numéro {numero} est déjà attribué.", champ="numero")


def deja_une_demande(annee: int, autre: ResumeDemandeTic | DemandeTic) -> Conflit:
    """The refusal of a second demande for the same structure and year (« une demande par
    structure et par année, sauf après un rejet »), naming the one that stands."""
    return Conflit(
        f"La structure a déjà une demande pour les livraisons de {annee} "
        f"(n°{autre.numero}, « {autre.statut.libelle} ») : une seule demande par "
        "année, sauf après un rejet.",
        champ="annee",
    )


def compte_pour_l_annee(demande: DemandeTic | ResumeDemandeTic) -> bool:
    """Whether `demande` holds its structure's year: every demande but a rejected one."""
    return demande.statut is not StatutDemandeTic.REJETEE


def contenus_tic(demande: DemandeTic) -> frozenset[str]:
    """The blob-store addresses a demande refers to: its pièces, and its certificate's PDF."""
    adresses = {p.sha256 for p in demande.pieces}
    if demande.certificat is not None:
        adresses |= {p.sha256 for p in demande.certificat.pieces}
        if demande.certificat.document_sha256 is not None:
            adresses.add(demande.certificat.document_sha256)
    return frozenset(adresses)


def _fige(demande: DemandeTic) -> tuple[object, ...]:
    """What a sent demande keeps as it was sent (its certificate's PDF address aside, which
    is set once just after sending)."""
    certificat = (
        None
        if demande.certificat is None
        else attrs.evolve(demande.certificat, document_sha256=None)
    )
    return (
        demande.numero,
        demande.entete,
        demande.campagne,
        demande.date_creation,
        demande.lignes,
        demande.pieces,
        demande.parent_id,
        demande.taux_avance,
        demande.demandeur,
        certificat,
    )


def verifier_changement(stockee: DemandeTic, suivante: DemandeTic) -> None:
    """Refuse to store a change of what was sent: the domain never makes one, and the store
    refuses it too, whatever the caller did."""
    if not stockee.statut.envoyee:
        return
    if (
        not suivante.statut.envoyee
        or _fige(stockee) != _fige(suivante)
        or (
            stockee.certificat is not None
            and suivante.certificat is not None
            and stockee.certificat.document_sha256 is not None
            and suivante.certificat.document_sha256 != stockee.certificat.document_sha256
        )
        or suivante.historique[: len(stockee.historique)] != stockee.historique
    ):
        raise TransitionInvalide(
            f"La demande n°{stockee.numero} a été envoyée : son contenu ne peut plus changer."
        )


def paginer(
    resultats: Sequence[ResumeDemandeTic], pagination: Pagination
) -> Page[ResumeDemandeTic]:
    debut = pagination.decalage
    return Page(
        elements=tuple(resultats[debut : debut + pagination.par_page]),
        total=len(resultats),
        page=pagination.page,
        par_page=pagination.par_page,
    )


class DemandesTicParParcours:
    """A `DemandeTicRepository` over the demandes the transaction sees, by scan; the store
    gives the few primitives below, and runs them under its write lock (which makes the
    year's uniqueness hold whatever the concurrency)."""

    def _demandes(self) -> Iterable[DemandeTic]:
        raise NotImplementedError

    def _resumes(self) -> Iterable[ResumeDemandeTic]:
        return (ResumeDemandeTic.depuis(d) for d in self._demandes())

    def _stockee(self, demande_id: str) -> DemandeTic | None:
        raise NotImplementedError

    def _poser(self, demande: DemandeTic) -> None:
        raise NotImplementedError

    def _retirer(self, demande_id: str) -> None:
        raise NotImplementedError

    def par_numero(self, numero: str) -> DemandeTic | None:
        return next((d for d in self._demandes() if d.numero == numero), None)

    def _verifier_annee(self, demande: DemandeTic) -> None:
        if not compte_pour_l_annee(demande):
            return
        for autre in self.actives(demande.structure_id, demande.annee):
            if autre.id != demande.id:
                raise deja_une_demande(demande.annee, autre)

    def ajouter(self, demande: DemandeTic) -> None:
        if self._stockee(demande.id) is not None or self.par_numero(demande.numero) is not None:
            raise numero_pris(demande.numero)
        self._verifier_annee(demande)
        self._poser(demande)

    def obtenir(self, demande_id: str) -> DemandeTic:
        demande = self._stockee(demande_id)
        if demande is None:
            raise NonTrouve(INTROUVABLE)
        return demande

    def enregistrer(self, demande: DemandeTic) -> DemandeTic:
        stockee = self._stockee(demande.id)
        suivante = version_suivante(None if stockee is None else stockee.version, demande)
        assert stockee is not None
        verifier_changement(stockee, suivante)
        if suivante.numero != stockee.numero:
            autre = self.par_numero(suivante.numero)
            if autre is not None and autre.id != demande.id:
                raise numero_pris(suivante.numero)
        self._verifier_annee(suivante)
        self._poser(suivante)
        return suivante

    def supprimer(self, demande_id: str) -> None:
        self.obtenir(demande_id).verifier_suppression()
        self._retirer(demande_id)

    def actives(self, structure_id: str, annee: int) -> Sequence[ResumeDemandeTic]:
        return sorted(
            (
                r
                for r in self._resumes()
                if r.structure_id == structure_id and r.annee == annee and compte_pour_l_annee(r)
            ),
            key=lambda r: r.id,
        )

    def tous(self, criteres: CriteresDemandeTic, tri: TriTic) -> Sequence[ResumeDemandeTic]:
        return trier_tic([r for r in self._resumes() if r.correspond(criteres)], tri)

    def rechercher(
        self, criteres: CriteresDemandeTic, tri: TriTic, pagination: Pagination
    ) -> Page[ResumeDemandeTic]:
        return paginer(self.tous(criteres, tri), pagination)

    def compter_par_statut(
        self, structures: frozenset[str] | None
    ) -> dict[str, dict[StatutDemandeTic, int]]:
        comptes: dict[str, dict[StatutDemandeTic, int]] = {}
        for resume in self._resumes():
            if structures is None:
                if resume.statut is StatutDemandeTic.BROUILLON:
                    continue
            elif resume.structure_id not in structures:
                continue
            par_statut = comptes.setdefault(resume.structure_id, {})
            par_statut[resume.statut] = par_statut.get(resume.statut, 0) + 1
        return comptes

    def evenements_recents(
        self, structures: frozenset[str], limite: int
    ) -> Sequence[EvenementSuiviTic]:
        evenements = [
            e
            for d in self._demandes()
            if d.structure_id in structures
            for e in EvenementSuiviTic.de(d)
        ]
        return recents(evenements, max(0, limite))

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        cherches = frozenset(sha256s)
        trouves: set[str] = set()
        for demande in self._demandes():
            trouves |= contenus_tic(demande) & cherches
        return frozenset(trouves)
