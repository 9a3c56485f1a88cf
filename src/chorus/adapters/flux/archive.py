"""The ZIP of pièces deposited beside a flux, read file by file when the conversion asks.

Nothing is ever written to disk (no name can escape anywhere), yet an unsafe name (absolute,
or climbing with ``..``) still refuses the archive: it says the archive was not made for
this. Sizes are bounded twice: by the sizes the archive declares, checked before anything
is inflated, and by the bytes really inflated while a file is read, since a zip bomb lies
in its headers.

Every file is inflated once, and dropped, when the archive is opened: a damaged one (bad
CRC, truncated stream, a size that lies) then refuses the whole archive before any mémoire
is integrated, instead of failing halfway through the integration. The content itself is
only kept when asked for, one file at a time.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping

from chorus.adapters.flux.champs import extrait
from chorus.domain.flux.lecture import FichierIllisible
from chorus.domain.pieces import TAILLE_MAXIMUM

TAILLE_MAXIMUM_ARCHIVE = 200 * 1024 * 1024
"""The total size of the files of an archive, once inflated."""

NOMBRE_MAXIMUM_FICHIERS = 50_000
"""Far beyond 10,000 mémoires with a few pièces each; bounds the directory read in memory."""

_MORCEAU = 64 * 1024
_METHODES = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_LECTEUR_WINDOWS = re.compile(r"^[A-Za-z]:")


def _mo(octets: int) -> str:
    return f"{octets / (1024 * 1024):g} Mo".replace(".", ",")


def _nom_sur(nom: str) -> bool:
    chemin = nom.replace("\\", "/")
    return not (
        chemin.startswith("/") or _LECTEUR_WINDOWS.match(chemin) or ".." in chemin.split("/")
    )


def lire_archive(
    archive: bytes,
    *,
    taille_maximum_totale: int = TAILLE_MAXIMUM_ARCHIVE,
    taille_maximum_fichier: int = TAILLE_MAXIMUM,
) -> Mapping[str, bytes]:
    """The files of the ZIP by their name inside it (folders included, ``/``-separated,
    Unicode-normalised to NFC as file names in a flux are), each inflated on access."""
    if not archive:
        raise FichierIllisible("L'archive des pièces est vide.")
    try:
        fichier_zip = zipfile.ZipFile(io.BytesIO(archive))
        infos = fichier_zip.infolist()
    except Exception:
        # A forged archive makes zipfile fail in many ways (BadZipFile, EOFError,
        # struct.error, ValueError…): all mean the same to the sender.
        raise FichierIllisible("L'archive des pièces n'est pas un fichier ZIP lisible.") from None
    if len(infos) > NOMBRE_MAXIMUM_FICHIERS:
        raise FichierIllisible(
            f"L'archive des pièces contient plus de {NOMBRE_MAXIMUM_FICHIERS:_} fichiers.".replace(
                "_", "\u202f"
            )
        )
    fichiers: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        nom = info.filename
        if not _nom_sur(nom):
            raise FichierIllisible(
                f"Nom refusé dans l'archive des pièces : « {extrait(nom)} » (un chemin "
                "absolu ou remontant avec « .. » n'est pas permis)."
            )
        if info.is_dir():
            continue
        cle = unicodedata.normalize("NFC", nom.replace("\\", "/"))
        if cle in fichiers:
            raise FichierIllisible(
                f"Le fichier « {extrait(cle)} » figure deux fois dans l'archive des pièces."
            )
        if info.flag_bits & 0x1:
            raise FichierIllisible(
                f"Le fichier « {extrait(cle)} » de l'archive est chiffré : les pièces doivent "
                "être lisibles sans mot de passe."
            )
        if info.compress_type not in _METHODES:
            raise FichierIllisible(
                f"Le fichier « {extrait(cle)} » de l'archive utilise une méthode de "
                "compression non prise en charge."
            )
        if info.file_size > taille_maximum_fichier:
            raise FichierIllisible(
                f"Le fichier « {extrait(cle)} » de l'archive dépasse la taille maximale "
                f"d'une pièce ({_mo(taille_maximum_fichier)})."
            )
        total += info.file_size
        if total > taille_maximum_totale:
            raise FichierIllisible(
                "Les fichiers de l'archive des pièces dépassent ensemble "
                f"{_mo(taille_maximum_totale)} une fois décompressés."
            )
        fichiers[cle] = info
    for cle, info in fichiers.items():
        for _ in _morceaux(fichier_zip, info, cle, taille_maximum_fichier):
            pass
    return _Pieces(fichier_zip, fichiers, taille_maximum_fichier)


def _morceaux(
    fichier_zip: zipfile.ZipFile, info: zipfile.ZipInfo, nom: str, maximum: int
) -> Iterator[bytes]:
    """The inflated content of one file, chunk by chunk, counted as it comes: never more
    than its declared size nor than `maximum`, whatever its stream holds."""
    limite = min(info.file_size, maximum)
    lu = 0
    try:
        with fichier_zip.open(info) as entree:
            while morceau := entree.read(_MORCEAU):
                lu += len(morceau)
                if lu > limite:
                    raise FichierIllisible(
                        f"Le fichier « {extrait(nom)} » de l'archive est plus grand que la "
                        "taille qu'elle annonce : archive refusée."
                    )
                yield morceau
    except FichierIllisible:
        raise
    except Exception:
        # Bad CRC, truncated or forged stream: zipfile raises many kinds.
        raise FichierIllisible(
            f"Le fichier « {extrait(nom)} » de l'archive des pièces est endommagé."
        ) from None


class _Pieces(Mapping[str, bytes]):
    """The archive's files, inflated on access (one pièce in memory at a time unless the
    caller keeps them). Each was checked whole when the archive was opened; each read
    counts its bytes again all the same."""

    def __init__(
        self,
        fichier_zip: zipfile.ZipFile,
        fichiers: dict[str, zipfile.ZipInfo],
        taille_maximum_fichier: int,
    ) -> None:
        self._zip = fichier_zip
        self._fichiers = fichiers
        self._maximum = taille_maximum_fichier

    def __getitem__(self, nom: str) -> bytes:
        info = self._fichiers[nom]
        return b"".join(_morceaux(self._zip, info, nom, self._maximum))

    def __contains__(self, nom: object) -> bool:
        return nom in self._fichiers

    def __iter__(self) -> Iterator[str]:
        return iter(self._fichiers)

    def __len__(self) -> int:
        return len(self._fichiers)
