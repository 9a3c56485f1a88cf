"""What every use case is given: the ports, wired once by `chorus.bootstrap`."""

from __future__ import annotations

import attrs

from chorus.domain.errors import ConflitDeVersion
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.utilisateur import Utilisateur
from chorus.ports.bareme_tic import SourceDuBaremeTic
from chorus.ports.depots import UnitOfWork
from chorus.ports.documents import DocumentRenderer
from chorus.ports.flux import LecteurFlux
from chorus.ports.referentiels import Referentiels
from chorus.ports.systeme import BlobStore, Clock, IdGenerator


@attrs.frozen
class Ports:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    blobs: BlobStore
    referentiels: Referentiels
    documents: DocumentRenderer
    bareme_tic: SourceDuBaremeTic
    # The reader of the dépôt flux's formats; `bootstrap.assembler` wires the real one when
    # none is given (tests may give a fake).
    lecteur_flux: LecteurFlux | None = None

    def nouvelle_piece(
        self,
        *,
        contenu: bytes,
        nom_fichier: str,
        type_piece: TypePiece,
        designation: str | None,
        numero_ligne: int | None = None,
    ) -> PieceJointe:
        """An uploaded file checked and described, with a fresh id, dated now (its content
        is stored by the caller, inside its unit of work)."""
        return PieceJointe.depuis_contenu(
            id=self.ids.nouveau(),
            contenu=contenu,
            nom_fichier=nom_fichier,
            type_piece=type_piece,
            designation=designation,
            date_ajout=self.clock.maintenant(),
            numero_ligne=numero_ligne,
        )


def libelle_acteur(utilisateur: Utilisateur) -> str:
    """How a user is named in a history: « Prénom Nom (email) », with the role of an agent."""
    nom = f"{utilisateur.nom_complet} ({utilisateur.email})"
    if utilisateur.role is not None:
        return f"{utilisateur.role.libelle} – {nom}"
    return nom


def verifier_version(actuelle: int, attendue: int | None) -> None:
    """Honour an `If-Match`: refuse when the caller's version is not the stored one."""
    if attendue is not None and attendue != actuelle:
        raise ConflitDeVersion(attendue=attendue, actuelle=actuelle)
