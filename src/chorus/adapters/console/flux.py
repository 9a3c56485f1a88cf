"""The dépôt flux on the command line: who deposits, the progress bar of an integration,
and the report as plain French text."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol, TextIO

import click

from chorus.domain.errors import NonTrouve, ValidationError
from chorus.domain.flux.flux import Flux, FormatFlux, IssueReference, ResultatReference, StatutFlux
from chorus.domain.organisation import StatutRattachement, Structure, TypeIdentifiant
from chorus.domain.utilisateur import StatutUtilisateur
from chorus.ports.depots import UnitOfWork

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

CODE_INTEGRE = 0
CODE_REJETE = 1
CODE_INTEGRE_PARTIEL = 2

CODES_DE_SORTIE = {
    StatutFlux.IN_INTEGRE: CODE_INTEGRE,
    StatutFlux.IN_INTEGRE_PARTIEL: CODE_INTEGRE_PARTIEL,
    StatutFlux.IN_REJETE: CODE_REJETE,
}

_EXTENSIONS = {".json": FormatFlux.JSON, ".xml": FormatFlux.XML, ".csv": FormatFlux.CSV}


def code_de_sortie(flux: Sequence[Flux]) -> int:
    """The exit code of integrations: rejected (1) over partial (2) over integrated (0); a
    flux another process is still integrating counts for none."""
    codes = {CODES_DE_SORTIE[f.statut] for f in flux if f.statut in CODES_DE_SORTIE}
    for code in (CODE_REJETE, CODE_INTEGRE_PARTIEL):
        if code in codes:
            return code
    return CODE_INTEGRE


def format_du_fichier(format: str | None, chemin: str) -> FormatFlux:
    """The format given (``--format``), else the one the file's extension tells."""
    if format is not None:
        return FormatFlux(format.upper())
    deduit = _EXTENSIONS.get(PurePath(chemin).suffix.lower())
    if deduit is None:
        raise ValidationError(
            f"Le format du fichier « {PurePath(chemin).name} » ne se déduit pas de son nom : "
            "indiquez --format JSON, XML ou CSV.",
            champ="format",
        )
    return deduit


# -- who acts -------------------------------------------------------------------------------


def structure_designee(uow: UnitOfWork, designation: str) -> Structure:
    """The structure named on the command line by its id or by its identifiant (a SIRET…)."""
    with uow.lecture() as lecture:
        try:
            return lecture.structures.obtenir(designation)
        except NonTrouve:
            pass
        for type_identifiant in TypeIdentifiant:
            structure = lecture.structures.par_identifiant(type_identifiant, designation)
            if structure is not None:
                return structure
    raise NonTrouve(
        f"Aucune structure n'a l'identifiant « {designation} » (ni ce SIRET).", champ="structure"
    )


def compte(uow: UnitOfWork, email: str) -> str:
    """The id of the account of `email` (``--utilisateur``)."""
    with uow.lecture() as lecture:
        utilisateur = lecture.utilisateurs.par_email(email.strip())
    if utilisateur is None:
        raise NonTrouve(f"Aucun compte n'a l'adresse « {email} ».", champ="utilisateur")
    return utilisateur.id


def deposant(uow: UnitOfWork, structure: Structure, email: str | None) -> str:
    """The id of the user acting for `structure`: the account of `email`, or else the
    structure's gestionnaire when it has exactly one active."""
    if email is not None:
        return compte(uow, email)
    with uow.lecture() as lecture:
        actifs = []
        for r in structure.rattachements:
            if r.statut is StatutRattachement.VALIDEE and r.gestionnaire and not r.technique:
                utilisateur = lecture.utilisateurs.obtenir(r.utilisateur_id)
                if utilisateur.statut is StatutUtilisateur.ACTIF:
                    actifs.append(utilisateur)
    if len(actifs) == 1:
        return actifs[0].id
    quantite = "aucun gestionnaire actif" if not actifs else f"{len(actifs)} gestionnaires actifs"
    raise ValidationError(
        f"La structure « {structure.raison_sociale} » a {quantite} : indiquez qui dépose "
        "par --utilisateur EMAIL.",
        champ="utilisateur",
    )


def deposant_du_flux(uow: UnitOfWork, numero: str) -> str:
    """The id of the user who deposited the flux `numero` (who reads its report by default)."""
    with uow.lecture() as lecture:
        flux = lecture.flux.par_numero(numero.strip())
    if flux is None:
        raise NonTrouve(f"Aucun flux n'a le numéro « {numero} ».", champ="numero_flux")
    return flux.deposant_id


# -- integrating ----------------------------------------------------------------------------

ATTENTE = 0.2
"""Seconds between two readings of a flux another process is integrating."""
IMMOBILITE = 10.0
"""Seconds without progress after which that process is deemed gone, and its work taken over."""


class Integration(Protocol):
    """What `integrer` needs of `FluxService`."""

    def traiter(
        self, numero: str, *, progression: Callable[[Flux], None] | None = None
    ) -> Flux: ...

    def obtenir(self, acteur_id: str, numero: str) -> Flux: ...


def integrer(
    service: Integration,
    acteur_id: str,
    numero: str,
    progression: Callable[[Flux], None],
    *,
    dormir: Callable[[float], None] = time.sleep,
    horloge: Callable[[], float] = time.monotonic,
) -> Flux:
    """Integrate the flux `numero` to its end. When another process integrates it meanwhile
    (the server's loop took it up), follow its progress; take over if it stops moving (the
    service claims each chunk: nothing is done twice)."""
    flux = service.traiter(numero, progression=progression)
    vu, depuis = flux.traites, horloge()
    while not flux.statut.termine:
        dormir(ATTENTE)
        flux = service.obtenir(acteur_id, numero)
        progression(flux)
        if flux.traites != vu:
            vu, depuis = flux.traites, horloge()
        elif horloge() - depuis > IMMOBILITE:
            flux = service.traiter(numero, progression=progression)
            vu, depuis = flux.traites, horloge()
    return flux


# -- progress -------------------------------------------------------------------------------


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


class Progression:
    """The progress of integrations, mémoires handled of the total, on `sortie` (standard
    error by default, so that the report alone goes to standard output).

    On a terminal: a bar per flux. Elsewhere (a log, a pipe): a line per committed chunk.
    Give it as the ``progression`` of `FluxService.traiter`; call `fermer` at the end."""

    def __init__(self, sortie: TextIO | None = None) -> None:
        self._sortie = sortie or sys.stderr
        self._terminal = self._sortie.isatty()
        self._barre: ProgressBar[int] | None = None
        self._numero: str | None = None
        self._montre = 0

    def __call__(self, flux: Flux) -> None:
        if flux.total is None:
            return
        if flux.numero != self._numero:
            self.fermer()
            self._numero = flux.numero
            self._montre = 0
            if self._terminal:
                self._barre = click.progressbar(
                    length=max(flux.total, 1),
                    label=f"Flux {flux.numero}",
                    file=self._sortie,
                    show_pos=True,
                    show_percent=True,
                    show_eta=True,
                )
                self._barre.render_progress()
        if self._barre is not None:
            self._barre.update(flux.traites - self._montre)
        else:
            click.echo(
                f"Flux {flux.numero} : {_nombre(flux.traites)} / {_nombre(flux.total)} "
                "mémoires traités",
                file=self._sortie,
            )
        self._montre = flux.traites

    def fermer(self) -> None:
        if self._barre is not None:
            self._barre.render_finish()
            self._barre = None


# -- the report -----------------------------------------------------------------------------


def _accord(n: int, singulier: str, pluriel: str) -> str:
    return singulier if n < 2 else pluriel


def texte_du_rapport(
    flux: Flux, rapport: Sequence[ResultatReference], *, tous: bool = False
) -> list[str]:
    """The flux's status and counts, then each refused mémoire with every error (position,
    field, message); with `tous`, also each integrated mémoire with its number."""
    lignes = [
        f"Flux {flux.numero} — {flux.statut.libelle} ({flux.format.value}, "
        f"« {flux.nom_fichier} », déposé par {flux.deposant})"
    ]
    if flux.motif_rejet:
        lignes.append(f"Motif du rejet : {flux.motif_rejet}")
    if flux.total is not None:
        lignes.append(
            f"Mémoires : {_nombre(flux.total)} ; traités : {_nombre(flux.traites)} ; "
            f"{_accord(flux.integres, 'intégré', 'intégrés')} : {_nombre(flux.integres)} ; "
            f"déjà {_accord(flux.deja_integres, 'intégré', 'intégrés')} : "
            f"{_nombre(flux.deja_integres)} ; "
            f"{_accord(flux.refuses, 'refusé', 'refusés')} : {_nombre(flux.refuses)}."
        )
    if flux.envoi_direct and flux.integres:
        lignes.append("Les mémoires intégrés ont été envoyés (envoi direct).")
    refuses = [r for r in rapport if r.issue is IssueReference.REFUSE]
    if refuses:
        lignes.append("Mémoires refusés :")
        for resultat in refuses:
            reference = resultat.reference or "(sans référence)"
            lignes.append(f"  {reference} (mémoire n° {resultat.rang + 1} du fichier) :")
            for erreur in resultat.erreurs:
                champ = f", {erreur.champ}" if erreur.champ else ""
                lignes.append(f"    {erreur.ligne}{champ} : {erreur.message}")
    if tous:
        acceptes = [r for r in rapport if r.issue is not IssueReference.REFUSE]
        if acceptes:
            lignes.append("Mémoires intégrés :")
            for resultat in acceptes:
                lignes.append(
                    f"  {resultat.reference or '(sans référence)'} → {resultat.numero_memoire}"
                    f" ({resultat.issue.libelle.lower()})"
                )
    return lignes
