"""Answers of the Archives tab: the transmitted mémoires still kept, each with the day its
retention ends and the addresses of its documents."""

from __future__ import annotations

from datetime import date

import msgspec

from chorus.adapters.web.schemas.memoires import ResumeMemoireSortie, resume_sortie
from chorus.domain.conservation import conserve_jusqu_au
from chorus.ports.requetes import ResumeMemoire


class LiensDocuments(msgspec.Struct, frozen=True):
    """Where a sent mémoire's PDF documents are downloaded (paths from the server's root)."""

    certificat_depot: str
    document: str


class ArchiveSortie(ResumeMemoireSortie):
    """A transmitted mémoire as the Archives tab lists it: its summary, the last day it is
    kept (ten years after its deposit, day for day in Paris) and its documents."""

    conserve_jusqu_au: date
    liens: LiensDocuments


def archive_sortie(resume: ResumeMemoire, liens: LiensDocuments) -> ArchiveSortie:
    if resume.date_depot is None:
        raise ValueError("only a transmitted mémoire is archived")
    return ArchiveSortie(
        **msgspec.structs.asdict(resume_sortie(resume)),
        conserve_jusqu_au=conserve_jusqu_au(resume.date_depot),
        liens=liens,
    )
