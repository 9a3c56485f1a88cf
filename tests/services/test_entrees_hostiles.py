"""Bad input gets a clear error and loses nothing.

Whatever a client sends, a use case (or the domain constructor an adapter calls with client
data: `EnTete.creer`, `SaisieLigne.en_ligne`, `Adresse.creer`, `EvenementTraitement.creer`,
`Tri.depuis`, `Pagination`, `FiltresMemoire`, `TauxTva.depuis`, the `valider_*` functions…)
either succeeds or raises a `DomainError` carrying a non-empty French message — never another
exception — and a refused call leaves the store exactly as it was.

Hypothesis feeds hostile values to every field a client fills: arbitrary unicode (control
characters, NUL, bidi marks, strings up to 10 000 characters), numbers written every way
(exponents, NaN, Infinity, ``-0``, ``1e999999``, Arabic-Indic digits, ``1_000``,
``"  12,5 "``…), huge and negative integers, special `Decimal`s, dates and instants at the
ends of the calendar, naive and aware datetimes, and file contents (random bytes, truncated
signatures, ZIP archives with odd entries, forged central directories). A second family sends
the JSON scalars a client may put in a field of another type (an int where a text is
expected…), as the web layer would hand them over after decoding. One property sends lone
surrogates (what a JSON ``"\\ud800"`` escape decodes to): a text the draft accepted must not
make sending fail otherwise than by a refusal.

Each example runs on a fresh `construire_monde()` over a `MemoireVive` of its own, so that the
committed state (aggregates, search index and sequences) can be compared before and after a
refusal; a refusal of an upload must also leave no new content in the blob store.
"""

from __future__ import annotations

import functools
import hashlib
import io
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from chorus.adapters.storage.memory import MemoireVive, UniteDeTravailEnMemoire
from chorus.bootstrap import Chorus
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.errors import AccesRefuse, DomainError, NonTrouve, TransitionInvalide
from chorus.domain.identifiants import (
    departement_du_code_postal,
    valider_bic,
    valider_email,
    valider_iban,
    valider_siren,
    valider_siret,
    valider_tva_intracommunautaire,
)
from chorus.domain.lignes import SaisieLigne
from chorus.domain.liste_fiscale import Periode
from chorus.domain.memoire import Memoire
from chorus.domain.montants import TauxTva, en_decimal, valider_euros, valider_montant
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Regime,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TAILLE_MAXIMUM, FormatFichier, TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import RoleAgent
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri
from tests.monde import (
    AUJOURDHUI,
    BIC,
    IBAN,
    MAINTENANT,
    PDF,
    PNG,
    SIRET_AUTRE,
    SIRET_CABINET,
    Monde,
    construire_monde,
    saisie_ligne,
)

T = TypeVar("T")

# Derandomised: every run draws the same examples, so a leak found fails every time (and a
# run stays under half a minute); raise `max_examples` locally to explore further.
REGLAGES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    report_multiple_bugs=False,
    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- the bench: a fresh world whose committed state can be compared ---------------------------


@attrs.frozen
class Banc:
    monde: Monde
    vive: MemoireVive

    @property
    def chorus(self) -> Chorus:
        return self.monde.chorus


def banc() -> Banc:
    vive = MemoireVive()
    return Banc(construire_monde(UniteDeTravailEnMemoire(vive)), vive)


def verifier_erreur(erreur: DomainError, *, champ_unique: bool) -> None:
    """A refusal a user can read: a non-empty message and, for one field, that field's name.

    Refusals that are not about a field are exempt from naming one: `NonTrouve` answers « no
    such object, or not yours » for a reference, on purpose without saying more;
    `TransitionInvalide` is about the object's status and `AccesRefuse` about the user's
    rights, whatever the values sent."""
    assert isinstance(erreur.message, str), repr(erreur)
    assert erreur.message.strip(), f"message vide : {erreur!r}"
    assert str(erreur) == erreur.message
    if champ_unique and not isinstance(erreur, NonTrouve | TransitionInvalide | AccesRefuse):
        assert erreur.champ, f"{type(erreur).__name__} sans champ : {erreur.message}"


def essayer(
    b: Banc,
    action: Callable[[], T],
    *,
    champ_unique: bool = True,
    contenu: bytes | None = None,
) -> T | None:
    """Run `action`: success, or a `DomainError` after which nothing stored has changed.

    Any other exception propagates and fails the property."""
    avant = b.vive.etat.copie()
    blobs = b.chorus.ports.blobs
    adresse = hashlib.sha256(contenu).hexdigest() if contenu is not None else None
    deja = adresse is not None and blobs.existe(adresse)
    try:
        return action()
    except DomainError as erreur:
        refus = erreur
    verifier_erreur(refus, champ_unique=champ_unique)
    assert b.vive.etat == avant, f"le refus {refus!r} a modifié le stockage"
    if adresse is not None:
        assert blobs.existe(adresse) == deja, "un contenu refusé est resté dans les blobs"
    return None


def refus_propre(action: Callable[[], T], *, champ_unique: bool = True) -> T | None:
    """As `essayer`, for a pure domain function (nothing stored)."""
    try:
        return action()
    except DomainError as erreur:
        verifier_erreur(erreur, champ_unique=champ_unique)
        return None


# -- hostile values ----------------------------------------------------------------------------

# Characters a form or a JSON body may carry and a naive check may miss.
SPECIAUX = [
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "a\x00b",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9f",
    "\u200b",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u00a0",
    "\u3000",
    "\u2028",
    "\u2029",
    "e\u0301",
    "\u0958",
    "ﬀ",
    "ß",
    "İ",
    "ǅ",
    "\U0001f600",
    "١٢٣",
    "<script>alert(1)</script>",
    "'; DROP TABLE memoires; --",
    "../../etc/passwd",
    "C:\\Windows\\win.ini",
    "%s%n{0}",
    "null",
    "None",
    "true",
    "NaN",
]
_MOTIFS_LONGS = ["a", "é", "\u200f", " ", "x\x00", "e\u0301", "\U0001f600", "ﬀ", "\u0958", "\n"]
TEXTES_LONGS = st.builds(
    lambda motif, n: motif * n, st.sampled_from(_MOTIFS_LONGS), st.integers(0, 10_000)
)
CARACTERES_RARES = st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Nd", "Co"])
TEXTE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAUX),
    TEXTES_LONGS,
    st.text(CARACTERES_RARES, max_size=20),
)
PARASITE = st.sampled_from(["", " ", "\x00", "\u200f", "\ufeff", "\t", "\n", "\u00a0", "\x85"])


def texte_ou(*valides: str) -> st.SearchStrategy[str]:
    """Hostile texts, plus the valid values dressed up (case, invisible characters)."""
    choix = st.sampled_from(valides)
    return st.one_of(
        choix,
        TEXTE,
        st.builds(lambda a, v, z: a + v + z, PARASITE, choix, PARASITE),
        choix.map(str.lower),
        choix.map(lambda v: v[:-1]),
        choix.map(lambda v: v + v),
    )


def optionnel(strategie: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategie


NOMBRES_ECRITS = [
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-inf",
    "-0",
    "+0",
    "-0.00",
    "0",
    "0.0",
    "1e999999",
    "-1e999999",
    "1E-999999",
    "1e2",
    "١٢٣",
    "۱۲",
    "１２",
    "𝟙𝟚",
    "1_000",
    "1 000",
    "1\u00a0000",
    "  12,5 ",
    "12,5",
    "12.5",
    ".5",
    "5.",
    ",5",
    "",
    " ",
    "+",
    "-",
    ".",
    ",",
    "1.2.3",
    "1,2,3",
    "1.000,50",
    "0x10",
    "0b1",
    "1/2",
    "½",
    "²",
    "Ⅻ",
    "12.345",
    "0.001",
    "99999999.99",
    "99999999.995",
    "100000000",
    "-1",
    "-0.01",
    "12.5\x00",
    "\u200f12",
    "12\u202e",
    "0" * 39 + "1",
    "1" * 41,
    "9" * 40,
    "0." + "0" * 37 + "1",
    "12e",
    "e12",
    "--1",
    "+-1",
    "5.5 %",
    "20%",
]
DECIMAUX = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("-NaN"),
            Decimal("sNaN"),
            Decimal("-sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            Decimal("1E+999999"),
            Decimal("-1E+999999"),
            Decimal("1E-999999"),
            Decimal("-0"),
            Decimal("-0E+5"),
            Decimal("0E+999999999"),
            Decimal("0E-999999999"),
            Decimal("9E+999999999999999999"),
            Decimal("1E-999999999999999999"),
            Decimal("99999999.990"),
            Decimal("99999999.991"),
            Decimal("1." + "0" * 60),
            Decimal("5.50"),
            Decimal("0.001"),
        ]
    ),
)
# What a JSON body can carry (numbers decoded as Decimal): finite, exponents included.
DECIMAUX_JSON = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("1E+999999"), Decimal("1E-999999"), Decimal("-0"), Decimal("5.5")]),
)
ENTIERS = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 2, 2**31, 2**63, 2**64, -(2**63), 10**100, -(10**100), 10**4000]),
)
NOMBRE_TEXTE = st.one_of(
    st.sampled_from(NOMBRES_ECRITS),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: format(d, "e")),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: format(d, "f").replace(".", ",")
    ),
    ENTIERS.map(str),
    st.text(alphabet="0123456789.,+-eE _", max_size=20),
    TEXTE,
)
MONTANT = st.one_of(NOMBRE_TEXTE, ENTIERS, DECIMAUX)
TAUX = st.one_of(MONTANT, st.sampled_from(TauxTva), st.sampled_from(["5,5", " 20 ", "2.10"]))

DATES = st.one_of(
    st.dates(),
    st.sampled_from(
        [
            date.min,
            date.max,
            date(9999, 12, 30),
            date(9999, 1, 1),
            date(1, 1, 2),
            AUJOURDHUI,
            AUJOURDHUI + timedelta(days=1),
            AUJOURDHUI - timedelta(days=366),
            date(2020, 12, 30),
            date(2020, 12, 31),
            date(2000, 2, 29),
            date(2024, 2, 29),
            date(1970, 1, 1),
        ]
    ),
)
FUSEAUX = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m))),
)


def _pres_de_maintenant(ecart: timedelta, fuseau: timezone | None) -> datetime:
    instant = MAINTENANT + ecart
    return instant.astimezone(fuseau) if fuseau is not None else instant.replace(tzinfo=None)


INSTANTS = st.one_of(
    st.datetimes(timezones=FUSEAUX),
    st.sampled_from(
        [
            datetime.min,  # noqa: DTZ901 - naive on purpose
            datetime.max,  # noqa: DTZ901 - naive on purpose
            datetime.min.replace(tzinfo=UTC),
            datetime.max.replace(tzinfo=UTC),
            datetime.min.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))),
            datetime.max.replace(tzinfo=timezone(-timedelta(hours=23, minutes=59))),
            datetime.max.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))),
        ]
    ),
    st.builds(
        _pres_de_maintenant,
        st.timedeltas(min_value=-timedelta(days=3), max_value=timedelta(days=3)),
        FUSEAUX,
    ),
)

# -- hostile file contents ---------------------------------------------------------------------

MAGIQUES = [
    b"%PDF-",
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",
    b"MM\x00*",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"<?xml",
    b"\xef\xbb\xbf<?xml",
    b" \t\r\n<?xml",
]
TRONQUES = sorted({m[:i] for m in MAGIQUES for i in range(len(m))})
NOMS_ZIP = [
    "mimetype",
    "[Content_Types].xml",
    "word/document.xml",
    "xl/workbook.xml",
    "META-INF/manifest.xml",
    "../../evil.sh",
    "/etc/passwd",
    "a\\b",
    "dir/",
    "é.txt",
    "\u202etxt.exe",
]
MIMETYPES = [
    FormatFichier.ODT.value.encode(),
    FormatFichier.ODS.value.encode(),
    b" " + FormatFichier.ODT.value.encode() + b"\n",
    b"",
    b"\xff\xfe\x00",
    b"application/pdf",
    b"x" * 200,
]
DONNEES_ZIP = st.sampled_from(MIMETYPES) | st.binary(max_size=40)


@st.composite
def zips(draw: st.DrawFn) -> bytes:
    """A genuine archive (odd names, stored or deflated), then possibly damaged."""
    entrees = draw(st.lists(st.sampled_from(NOMS_ZIP) | st.text(min_size=1, max_size=15)))
    tampon = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are part of the game
        with zipfile.ZipFile(tampon, "w") as archive:
            for nom in entrees[:5]:
                info = zipfile.ZipInfo(nom)
                info.compress_type = draw(
                    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
                )
                archive.writestr(info, draw(DONNEES_ZIP))
    brut = bytearray(tampon.getvalue())
    for position, octet in draw(st.lists(st.tuples(st.integers(0), st.integers(0, 255)))):
        brut[position % len(brut)] = octet
    coupe = draw(st.none() | st.integers(0, len(brut)))
    return bytes(brut[:coupe] if coupe is not None else brut)


_BORNES_64 = [0, 1, 2**31, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1]


def _souvent(correct: T, hostile: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """The consistent value three times out of four, else a hostile one."""
    return st.sampled_from([True, True, True, False]).flatmap(
        lambda juste: st.just(correct) if juste else hostile
    )


def entree_zip(
    *,
    nom: bytes,
    donnees: bytes,
    methode: int,
    drapeaux: int,
    version: int,
    crc: int,
    taille: int,
    decalage: int,
    zip64: bool,
) -> tuple[bytes, bytes]:
    """One entry, written by hand: its local header with the data, and its central
    directory record (with a ZIP64 extra field giving the local header's offset)."""
    entete_local = (version, 0, drapeaux, methode, 0, 0, crc, len(donnees), len(donnees))
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *entete_local, len(nom), 0)
    extra = struct.pack("<HHQ", 1, 8, decalage) if zip64 else b""
    repertoire = (version, 0, version, 0, drapeaux, methode, 0, 0, crc, taille, taille)
    decalage_32 = 0xFFFFFFFF if zip64 else decalage
    central = struct.pack(
        "<4s4B4HL2L5H2L", b"PK\x01\x02", *repertoire, len(nom), len(extra), 0, 0, 0, 0, decalage_32
    )
    return local + nom + donnees, central + nom + extra


def fin_d_archive(taille_cd: int, debut_cd: int) -> bytes:
    return struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, taille_cd, debut_cd, 0)


def archive_odf_a_en_tete_lointain(decalage: int = 2**63) -> bytes:
    """A well-framed archive whose only entry, an ODF `mimetype` stored uncompressed, puts
    its local header at `decalage` (past what a signed 64-bit seek takes, by default)."""
    donnees = FormatFichier.ODT.value.encode()
    local, central = entree_zip(
        nom=b"mimetype",
        donnees=donnees,
        methode=zipfile.ZIP_STORED,
        drapeaux=0,
        version=20,
        crc=zlib.crc32(donnees),
        taille=len(donnees),
        decalage=decalage,
        zip64=True,
    )
    return local + central + fin_d_archive(len(central), len(local))


@st.composite
def zips_forges(draw: st.DrawFn) -> bytes:
    """One entry written by hand: flags, methods, sizes, offsets and ZIP64 records chosen
    freely, the way a hostile sender would; the framing (directory size and offset, ZIP64
    end records) is consistent or not."""
    # The ODF `mimetype` entry is the one the portal opens: it comes most often.
    nom = draw(_souvent("mimetype", st.sampled_from(NOMS_ZIP[1:4]))).encode()
    donnees = draw(DONNEES_ZIP)
    methode = draw(_souvent(zipfile.ZIP_STORED, st.sampled_from([8, 12, 14, 99, 0xFFFF])))
    drapeaux = draw(
        _souvent(0, st.sampled_from([1, 8, 0x20, 0x40, 0x800]) | st.integers(0, 2**16 - 1))
    )
    version = draw(_souvent(20, st.sampled_from([45, 63, 64, 0xFF])))
    crc = draw(_souvent(zlib.crc32(donnees), st.integers(0, 2**32 - 1)))
    taille = draw(_souvent(len(donnees), st.integers(0, 2**32 - 1)))
    zip64 = draw(st.sampled_from([True, True, False]))
    # Where the local header is: small, at a boundary, or past what a signed seek takes.
    decalage = draw(
        st.one_of(
            st.integers(0, 2**32 - 1),
            st.sampled_from(_BORNES_64),
            st.integers(2**63, 2**64 - 1),
        )
        if zip64
        else st.just(0) | st.integers(0, 2**32 - 1)
    )
    local, central = entree_zip(
        nom=nom,
        donnees=donnees,
        methode=methode,
        drapeaux=drapeaux,
        version=version,
        crc=crc,
        taille=taille,
        decalage=decalage,
        zip64=zip64,
    )
    cadre_exact = draw(st.booleans())
    if cadre_exact:
        taille_cd, debut_cd = len(central), len(local)
    else:
        taille_cd = draw(st.integers(0, 2**32 - 1))
        debut_cd = draw(st.integers(0, 2**32 - 1))
    fin64 = b""
    if draw(st.booleans()):
        taille64 = len(central) if cadre_exact else draw(st.sampled_from(_BORNES_64))
        debut64 = len(local) if cadre_exact else draw(st.sampled_from(_BORNES_64))
        position = len(local) + len(central)
        if not cadre_exact:
            position = draw(st.integers(0, 2**64 - 1))
        fin64 = struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, 1, 1, taille64, debut64
        ) + struct.pack("<4sLQL", b"PK\x06\x07", 0, position, 1)
    return local + central + fin64 + fin_d_archive(taille_cd, debut_cd)


TROP_GRAND = b"%PDF-" + bytes(TAILLE_MAXIMUM - 4)
CONTENUS = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(TRONQUES),
    st.builds(lambda m, s: m + s, st.sampled_from(MAGIQUES), st.binary(max_size=100)),
    st.sampled_from([PDF, PNG, TROP_GRAND, TROP_GRAND[:-1]]),
    zips(),  # forged directories have their own test, below
)
# -- JSON scalars in a field of another type -------------------------------------------------

AUTRE_QUE_TEXTE = st.one_of(ENTIERS, st.booleans(), st.none(), DECIMAUX_JSON)
AUTRE_QUE_NOMBRE = st.one_of(st.booleans(), st.none())  # int, str and Decimal are accepted
AUTRE_QUE_BOOLEEN = st.one_of(st.text(max_size=10), ENTIERS, st.none(), DECIMAUX_JSON)
AUTRE_QUE_ENTIER = st.one_of(st.text(max_size=10), st.booleans(), st.none(), DECIMAUX_JSON)
SCALAIRES_JSON = st.one_of(st.text(max_size=10), ENTIERS, st.booleans(), st.none(), DECIMAUX_JSON)


@st.composite
def un_champ(draw: st.DrawFn, strategies: Mapping[str, st.SearchStrategy[Any]]) -> tuple[str, Any]:
    """One field of `strategies`, and a value for it."""
    champ = draw(st.sampled_from(sorted(strategies)))
    return champ, draw(strategies[champ])


# -- the reference world: its identifiers are the same in every fresh one ----------------------

_REFERENCE = construire_monde()
STRUCTURE_ID = _REFERENCE.structure.id
AUTRE_STRUCTURE_ID = _REFERENCE.autre_structure.id
PSY_ID = _REFERENCE.psy_id
MED_ID = _REFERENCE.med_id
COORDONNEE_ID = _REFERENCE.structure.coordonnees_bancaires[0].id
RIB_ID = _REFERENCE.structure.pieces[0].id
AUTRE_COORDONNEE_ID = _REFERENCE.autre_structure.coordonnees_bancaires[0].id
IDS = texte_ou(STRUCTURE_ID, AUTRE_STRUCTURE_ID, PSY_ID, MED_ID, COORDONNEE_ID, RIB_ID)


# -- structures ---------------------------------------------------------------------------------

IDENTIFIANTS = texte_ou(
    SIRET_CABINET,
    SIRET_AUTRE,
    "732 829 320 00074",
    "73282932000074",
    "35600000000048",
    "12345678901234",
    "١٢٣٤٥٦٧٨٩٠١٢٣٤",
    "FR40303265045",
    "DE136695976",
    "ATU13585627",
    "EL094259216",
    "GR094259216",
    "XI123456789",
    "1234567",
    "123456789",
    "A12345",
    "A12345001",
    "Société sans numéro",
)
CHAMPS_ADRESSE: dict[str, st.SearchStrategy[Any]] = {
    "ligne1": texte_ou("8 quai Saint-Vincent"),
    "ligne2": optionnel(texte_ou("Bâtiment B")),
    "code_postal": texte_ou(
        "69001", "20000", "20100", "20250", "97100", "97500", "98800", "00000", "96000", "99000"
    ),
    "ville": texte_ou("Lyon"),
    "pays": texte_ou("FR", "BE", "DE", "ﬀ", "Ωω", "FRA"),
}
ADRESSE_VALIDE: dict[str, Any] = {
    "ligne1": "1 rue de la Paix",
    "ligne2": None,
    "code_postal": "75002",
    "ville": "Paris",
    "pays": "FR",
}
CREATION_STRUCTURE: dict[str, st.SearchStrategy[Any]] = {
    "type_structure": st.sampled_from(TypeStructure),
    "type_identifiant": st.sampled_from(TypeIdentifiant),
    "identifiant": IDENTIFIANTS,
    "raison_sociale": texte_ou("Cabinet Martin"),
}


def creer_structure(b: Banc, valeurs: Mapping[str, Any], adresse: Mapping[str, Any]) -> object:
    return b.chorus.structures.creer(
        b.monde.gestionnaire.id,
        type_structure=valeurs["type_structure"],
        type_identifiant=valeurs["type_identifiant"],
        identifiant=valeurs["identifiant"],
        raison_sociale=valeurs["raison_sociale"],
        adresse=Adresse.creer(**adresse),
    )


@REGLAGES
@given(
    type_structure=st.sampled_from(TypeStructure),
    type_identifiant=st.sampled_from(TypeIdentifiant),
    identifiant=IDENTIFIANTS,
)
def test_creer_une_structure_avec_un_identifiant_hostile(
    type_structure: TypeStructure, type_identifiant: TypeIdentifiant, identifiant: str
) -> None:
    b = banc()
    valeurs = {
        "type_structure": type_structure,
        "type_identifiant": type_identifiant,
        "identifiant": identifiant,
        "raison_sociale": "Cabinet Martin",
    }
    essayer(b, lambda: creer_structure(b, valeurs, ADRESSE_VALIDE))


@REGLAGES
@given(champ=un_champ(CHAMPS_ADRESSE), raison_sociale=texte_ou("Cabinet Martin"))
def test_creer_une_structure_avec_une_adresse_ou_une_raison_sociale_hostile(
    champ: tuple[str, Any], raison_sociale: str
) -> None:
    b = banc()
    nom, valeur = champ
    valeurs = {
        "type_structure": TypeStructure.ENTREPRISE,
        "type_identifiant": TypeIdentifiant.HORS_UE,
        "identifiant": "HK-998877",
        "raison_sociale": raison_sociale,
    }
    essayer(b, lambda: creer_structure(b, valeurs, {**ADRESSE_VALIDE, nom: valeur}))


@REGLAGES
@given(
    valeurs=st.fixed_dictionaries(CREATION_STRUCTURE),
    adresse=st.fixed_dictionaries(CHAMPS_ADRESSE),
)
def test_creer_une_structure_entierement_hostile(
    valeurs: dict[str, Any], adresse: dict[str, Any]
) -> None:
    b = banc()
    essayer(b, lambda: creer_structure(b, valeurs, adresse), champ_unique=False)


@REGLAGES
@given(
    raison_sociale=optionnel(texte_ou("Cabinet Durand")),
    adresse=optionnel(un_champ(CHAMPS_ADRESSE)),
    version=optionnel(ENTIERS),
)
def test_modifier_une_structure_hostile(
    raison_sociale: str | None, adresse: tuple[str, Any] | None, version: int | None
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id

    def modifier() -> object:
        nouvelle = Adresse.creer(**{**ADRESSE_VALIDE, adresse[0]: adresse[1]}) if adresse else None
        return b.chorus.structures.modifier(
            g,
            STRUCTURE_ID,
            raison_sociale=raison_sociale,
            adresse=nouvelle,
            version_attendue=version,
        )

    essayer(b, modifier, champ_unique=False)


@REGLAGES
@given(
    code=texte_ou("PSY", "psy", "MED", "LAB"),
    libelle=texte_ou("Laboratoire"),
    service_id=IDS,
    nouveau_libelle=optionnel(texte_ou("Psychiatrie")),
    actif=optionnel(st.booleans()),
)
def test_ajouter_et_modifier_un_service_hostile(
    code: str, libelle: str, service_id: str, nouveau_libelle: str | None, actif: bool | None
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    s = b.chorus.structures
    essayer(b, lambda: s.ajouter_service(g, STRUCTURE_ID, code=code, libelle=libelle))
    essayer(
        b,
        lambda: s.modifier_service(
            g, STRUCTURE_ID, service_id, libelle=nouveau_libelle, actif=actif
        ),
    )


CHAMPS_COORDONNEE: dict[str, st.SearchStrategy[Any]] = {
    "libelle": texte_ou("Compte pro"),
    "iban": texte_ou(
        IBAN,
        "FR76 3000 6000 0112 3456 7890 189",
        "fr7630006000011234567890189",
        "FR7630006000011234567890188",
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "FR76３０００6000011234567890189",
        "FR76",
        "XX0000",
    ),
    "bic": texte_ou(BIC, "agrifrpp", "AGRIFRPP88", "1234FRPP", "AGRIFRPPXXX", "ＡＧＲＩＦＲＰＰ"),
    "piece_jointe_id": IDS,
}


@REGLAGES
@given(champ=un_champ(CHAMPS_COORDONNEE))
def test_ajouter_des_coordonnees_bancaires_avec_un_champ_hostile(champ: tuple[str, Any]) -> None:
    b = banc()
    valeurs = {
        "libelle": "Compte pro",
        "iban": "DE89370400440532013000",
        "bic": "COBADEFFXXX",
        "piece_jointe_id": RIB_ID,
        champ[0]: champ[1],
    }
    essayer(
        b,
        lambda: b.chorus.structures.ajouter_coordonnee_bancaire(
            b.monde.gestionnaire.id, STRUCTURE_ID, **valeurs
        ),
    )


@REGLAGES
@given(valeurs=st.fixed_dictionaries(CHAMPS_COORDONNEE))
def test_ajouter_des_coordonnees_bancaires_entierement_hostiles(valeurs: dict[str, Any]) -> None:
    b = banc()
    essayer(
        b,
        lambda: b.chorus.structures.ajouter_coordonnee_bancaire(
            b.monde.gestionnaire.id, STRUCTURE_ID, **valeurs
        ),
        champ_unique=False,
    )


@REGLAGES
@given(
    categorie=optionnel(texte_ou("PSYCHIATRE", "INTERPRETE", "MEDECIN")),
    regime=optionnel(st.sampled_from(Regime)),
    piece_id=IDS,
    coordonnee_id=IDS,
)
def test_espace_et_retraits_hostiles(
    categorie: str | None, regime: Regime | None, piece_id: str, coordonnee_id: str
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    s = b.chorus.structures
    essayer(
        b,
        lambda: s.definir_espace_frais_de_justice(
            g, STRUCTURE_ID, categorie_prestataire=categorie, regime=regime
        ),
    )
    essayer(b, lambda: s.retirer_piece(g, STRUCTURE_ID, piece_id))
    essayer(b, lambda: s.retirer_coordonnee_bancaire(g, STRUCTURE_ID, coordonnee_id))


# -- pièces -------------------------------------------------------------------------------------

NOMS_FICHIER = texte_ou("rapport.pdf", "RIB.PDF", "scan.png", "a" * 120 + ".pdf", ".pdf", "...")
CHAMPS_PIECE: dict[str, st.SearchStrategy[Any]] = {
    "nom_fichier": NOMS_FICHIER,
    "type_piece": st.sampled_from(TypePiece),
    "designation": optionnel(texte_ou("Rapport d'expertise")),
    "numero_ligne": optionnel(ENTIERS),
}


@REGLAGES
@given(champ=un_champ(CHAMPS_PIECE), contenu=st.sampled_from([PDF, PNG]))
def test_joindre_une_piece_avec_un_champ_hostile(champ: tuple[str, Any], contenu: bytes) -> None:
    b = banc()
    memoire = b.monde.brouillon()
    valeurs = {
        "nom_fichier": "rapport.pdf",
        "type_piece": TypePiece.AUTRE,
        "designation": None,
        "numero_ligne": None,
        champ[0]: champ[1],
    }
    essayer(
        b,
        lambda: b.chorus.memoires.joindre_piece(
            b.monde.gestionnaire.id, memoire.id, contenu=contenu, **valeurs
        ),
        contenu=contenu,
    )


@REGLAGES
@given(contenu=CONTENUS, nom_fichier=NOMS_FICHIER, type_piece=st.sampled_from(TypePiece))
def test_joindre_une_piece_au_contenu_hostile(
    contenu: bytes, nom_fichier: str, type_piece: TypePiece
) -> None:
    b = banc()
    memoire = b.monde.brouillon()
    essayer(
        b,
        lambda: b.chorus.memoires.joindre_piece(
            b.monde.gestionnaire.id,
            memoire.id,
            contenu=contenu,
            nom_fichier=nom_fichier,
            type_piece=type_piece,
        ),
        contenu=contenu,
    )


@settings(REGLAGES, max_examples=150)
@given(archive=zips(), forgee=zips_forges())
@example(archive=b"PK\x05\x06" + bytes(18), forgee=archive_odf_a_en_tete_lointain())
def test_une_archive_zip_hostile_jointe_a_un_memoire_ou_deposee_dans_la_structure(
    archive: bytes, forgee: bytes
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    memoire = b.monde.brouillon()

    def joindre(contenu: bytes) -> object:
        return b.chorus.memoires.joindre_piece(
            g, memoire.id, contenu=contenu, nom_fichier="archive.zip", type_piece=TypePiece.AUTRE
        )

    def deposer(contenu: bytes) -> object:
        return b.chorus.structures.deposer_piece(
            g, STRUCTURE_ID, contenu=contenu, nom_fichier="a.zip", type_piece=TypePiece.AUTRE
        )

    for contenu in (archive, forgee):
        essayer(b, functools.partial(joindre, contenu), contenu=contenu)
        essayer(b, functools.partial(deposer, contenu), contenu=contenu)


@REGLAGES
@given(
    contenu=CONTENUS,
    nom_fichier=NOMS_FICHIER,
    designation=optionnel(TEXTE),
    type_piece=st.sampled_from(TypePiece),
)
def test_deposer_une_piece_hostile_dans_les_pieces_de_la_structure(
    contenu: bytes, nom_fichier: str, designation: str | None, type_piece: TypePiece
) -> None:
    b = banc()
    essayer(
        b,
        lambda: b.chorus.structures.deposer_piece(
            b.monde.gestionnaire.id,
            STRUCTURE_ID,
            contenu=contenu,
            nom_fichier=nom_fichier,
            type_piece=type_piece,
            designation=designation,
        ),
        contenu=contenu,
        champ_unique=False,
    )


# -- en-tête ------------------------------------------------------------------------------------

CHAMPS_ENTETE: dict[str, st.SearchStrategy[Any]] = {
    "structure_id": IDS,
    "juridiction_code": texte_ou("TJ-69123", "TJ-75056", "CA-69123"),
    "texte_reference": texte_ou("A.43-6", "R.92"),
    "type_tva": st.sampled_from(TypeTva),
    "devise": texte_ou("EUR", "€", "EURO", "USD", "eu"),
    "service_id": optionnel(IDS),
    "coordonnee_bancaire_id": optionnel(texte_ou(COORDONNEE_ID, AUTRE_COORDONNEE_ID, RIB_ID)),
    "categorie_prestataire": optionnel(texte_ou("PSYCHIATRE", "INTERPRETE")),
    "numero_facture": optionnel(texte_ou("F-2024-001")),
    "numero_engagement_juridique": optionnel(texte_ou("1300012345")),
    "commentaire": optionnel(TEXTE),
    "motif_exoneration": optionnel(TEXTE),
    "remise_globale_ttc": MONTANT,
}


def entete_valide() -> dict[str, Any]:
    return {
        "structure_id": STRUCTURE_ID,
        "juridiction_code": "TJ-69123",
        "texte_reference": "A.43-6",
        "type_tva": TypeTva.TVA_SUR_DEBITS,
        "coordonnee_bancaire_id": COORDONNEE_ID,
    }


@REGLAGES
@given(champ=un_champ(CHAMPS_ENTETE))
def test_creer_un_memoire_avec_un_champ_d_en_tete_hostile(champ: tuple[str, Any]) -> None:
    b = banc()
    valeurs = {**entete_valide(), champ[0]: champ[1]}
    essayer(b, lambda: b.chorus.memoires.creer(b.monde.gestionnaire.id, EnTete.creer(**valeurs)))


@REGLAGES
@given(valeurs=st.fixed_dictionaries(CHAMPS_ENTETE))
def test_creer_un_memoire_a_l_en_tete_entierement_hostile(valeurs: dict[str, Any]) -> None:
    b = banc()
    essayer(
        b,
        lambda: b.chorus.memoires.creer(b.monde.gestionnaire.id, EnTete.creer(**valeurs)),
        champ_unique=False,
    )


@REGLAGES
@given(champ=un_champ(CHAMPS_ENTETE), version=optionnel(ENTIERS), memoire_id=optionnel(IDS))
def test_modifier_l_en_tete_hostile(
    champ: tuple[str, Any], version: int | None, memoire_id: str | None
) -> None:
    b = banc()
    brouillon = b.monde.brouillon()
    cible = memoire_id if memoire_id is not None else brouillon.id
    valeurs = {**entete_valide(), champ[0]: champ[1]}
    essayer(
        b,
        lambda: b.chorus.memoires.modifier_entete(
            b.monde.gestionnaire.id, cible, EnTete.creer(**valeurs), version_attendue=version
        ),
        champ_unique=memoire_id is None and version is None,
    )


# -- lignes -------------------------------------------------------------------------------------

FRAIS_DIVERS = st.lists(
    st.tuples(texte_ou("Déplacement"), MONTANT | st.sampled_from(["30.00", "5,50"])),
    max_size=55,
).map(tuple)
CHAMPS_LIGNE: dict[str, st.SearchStrategy[Any]] = {
    "numero_affaire": texte_ou("PARQUET-24-001"),
    "date_requisition": DATES,
    "autorite_requerante": texte_ou("PROCUREUR_REPUBLIQUE", "JUGE_INSTRUCTION"),
    "type_prestation": texte_ou("EXPERTISE_PSYCHIATRIQUE", "INTERPRETARIAT"),
    "date_prestation": DATES,
    "quantite": MONTANT,
    "tarif_ht": MONTANT,
    "taux_tva": TAUX,
    "frais_divers": FRAIS_DIVERS,
    "debours": MONTANT,
}


@REGLAGES
@given(champ=un_champ(CHAMPS_LIGNE))
def test_ajouter_une_ligne_avec_un_champ_hostile(champ: tuple[str, Any]) -> None:
    b = banc()
    memoire = b.monde.brouillon(lignes=0)
    saisie = attrs.evolve(saisie_ligne(), **{champ[0]: champ[1]})
    essayer(b, lambda: b.chorus.memoires.ajouter_ligne(b.monde.gestionnaire.id, memoire.id, saisie))


@REGLAGES
@given(valeurs=st.fixed_dictionaries(CHAMPS_LIGNE), numero_ligne=ENTIERS)
def test_ajouter_et_modifier_une_ligne_entierement_hostile(
    valeurs: dict[str, Any], numero_ligne: int
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    memoire = b.monde.brouillon(lignes=1)
    saisie = SaisieLigne(**valeurs)
    essayer(b, lambda: b.chorus.memoires.ajouter_ligne(g, memoire.id, saisie), champ_unique=False)
    essayer(
        b,
        lambda: b.chorus.memoires.modifier_ligne(g, memoire.id, numero_ligne, saisie),
        champ_unique=False,
    )
    essayer(
        b, lambda: b.chorus.memoires.modifier_ligne(g, memoire.id, 1, saisie), champ_unique=False
    )
    essayer(b, lambda: b.chorus.memoires.supprimer_ligne(g, memoire.id, numero_ligne))


# -- sending ------------------------------------------------------------------------------------


@REGLAGES
@given(
    entete=un_champ(CHAMPS_ENTETE),
    ligne=un_champ(CHAMPS_LIGNE),
    attestation=st.booleans(),
    version=optionnel(ENTIERS),
)
def test_envoyer_un_memoire_saisi_avec_des_valeurs_hostiles(
    entete: tuple[str, Any], ligne: tuple[str, Any], attestation: bool, version: int | None
) -> None:
    """What the draft accepted, sending accepts or refuses cleanly."""
    b = banc()
    g = b.monde.gestionnaire.id
    m = b.chorus.memoires
    memoire = essayer(
        b, lambda: m.creer(g, EnTete.creer(**{**entete_valide(), entete[0]: entete[1]}))
    )
    if memoire is None:
        return
    saisie = attrs.evolve(saisie_ligne(), **{ligne[0]: ligne[1]})
    avec_ligne = essayer(b, lambda: m.ajouter_ligne(g, memoire.id, saisie)) or memoire
    essayer(
        b,
        lambda: m.envoyer(
            g, avec_ligne.id, attestation_sur_honneur=attestation, version_attendue=version
        ),
        champ_unique=False,
    )


# JSON decodes ``"\ud800"`` into a lone surrogate: a str Python holds but UTF-8 cannot encode.
SURROGATES = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
TEXTE_A_SURROGATE = st.builds(
    lambda a, s, z: a + s + z, st.text(max_size=5), SURROGATES, st.text(max_size=5)
)


CHAMPS_A_SURROGATE = {
    "entete": ["commentaire", "numero_facture", "numero_engagement_juridique", "motif_exoneration"],
    "ligne": ["numero_affaire", "frais_divers"],
    "piece": ["nom_fichier", "designation"],
    "structure": ["raison_sociale"],
}


@REGLAGES
@given(
    champ=st.sampled_from(sorted(c for champs in CHAMPS_A_SURROGATE.values() for c in champs)),
    texte=TEXTE_A_SURROGATE,
)
@example(champ="commentaire", texte="\ud800")
def test_un_texte_a_surrogate_isole_est_refuse_a_la_saisie_ou_envoye(
    champ: str, texte: str
) -> None:
    """A text the draft accepted must not make sending fail otherwise than by a refusal."""
    b = banc()
    g = b.monde.gestionnaire.id
    m = b.chorus.memoires
    if champ == "raison_sociale" and (
        essayer(b, lambda: b.chorus.structures.modifier(g, STRUCTURE_ID, raison_sociale=texte))
        is None
    ):
        return
    valeurs = entete_valide()
    if champ in CHAMPS_A_SURROGATE["entete"]:
        valeurs[champ] = texte
    memoire = essayer(b, lambda: m.creer(g, EnTete.creer(**valeurs)))
    if memoire is None:
        return
    saisie = saisie_ligne()
    if champ == "numero_affaire":
        saisie = attrs.evolve(saisie, numero_affaire=texte)
    if champ == "frais_divers":
        saisie = attrs.evolve(saisie, frais_divers=((texte, "1.00"),))
    if essayer(b, lambda: m.ajouter_ligne(g, memoire.id, saisie)) is None:
        return
    if champ in CHAMPS_A_SURROGATE["piece"]:
        nom = texte if champ == "nom_fichier" else "rapport.pdf"
        designation = texte if champ == "designation" else None
        piece = essayer(
            b,
            lambda: m.joindre_piece(
                g,
                memoire.id,
                contenu=PDF,
                nom_fichier=nom,
                designation=designation,
                type_piece=TypePiece.AUTRE,
            ),
            contenu=PDF,
        )
        if piece is None:
            return
    essayer(b, lambda: m.envoyer(g, memoire.id, attestation_sur_honneur=True), champ_unique=False)


# -- back office --------------------------------------------------------------------------------

CHAMPS_EVENEMENT: dict[str, st.SearchStrategy[Any]] = {
    "reference": texte_ou("EVT-00001", "EVT-00002", "EVT-NOUVEAU"),
    "date_evenement": INSTANTS,
    "motif": optionnel(texte_ou("Pièce manquante")),
    "montant_certifie": optionnel(MONTANT | st.sampled_from(["158.25", "158.24", "158.26"])),
    "montant_paye": optionnel(MONTANT | st.sampled_from(["158.25", "158.24", "158.26"])),
}


def memoire_au_statut(monde: Monde, statut: StatutMemoire) -> Memoire:
    if statut is StatutMemoire.ENVOYE:
        return monde.envoye()
    memoire = monde.mis_a_disposition()
    if statut is StatutMemoire.CERTIFIE:
        return monde.evenement(memoire, ActionTraitement.CERTIFICATION)
    return memoire


@REGLAGES
@given(
    action=st.sampled_from(ActionTraitement),
    statut=st.sampled_from(
        [StatutMemoire.ENVOYE, StatutMemoire.MIS_A_DISPOSITION, StatutMemoire.CERTIFIE]
    ),
    champ=un_champ(CHAMPS_EVENEMENT),
)
def test_evenement_de_traitement_avec_un_champ_hostile(
    action: ActionTraitement, statut: StatutMemoire, champ: tuple[str, Any]
) -> None:
    b = banc()
    memoire = memoire_au_statut(b.monde, statut)
    agent = b.monde.comptable if action is ActionTraitement.MISE_EN_PAIEMENT else b.monde.agent
    valeurs = {
        "reference": "EVT-NOUVEAU",
        "date_evenement": MAINTENANT,
        "motif": "Motif",
        champ[0]: champ[1],
    }
    essayer(
        b,
        lambda: b.chorus.traitement.appliquer_evenement(
            agent.id, memoire.id, EvenementTraitement.creer(action=action, **valeurs)
        ),
    )


@REGLAGES
@given(
    action=st.sampled_from(ActionTraitement),
    statut=st.sampled_from(
        [StatutMemoire.ENVOYE, StatutMemoire.MIS_A_DISPOSITION, StatutMemoire.CERTIFIE]
    ),
    valeurs=st.fixed_dictionaries(CHAMPS_EVENEMENT),
)
def test_evenement_de_traitement_entierement_hostile(
    action: ActionTraitement, statut: StatutMemoire, valeurs: dict[str, Any]
) -> None:
    b = banc()
    memoire = memoire_au_statut(b.monde, statut)
    agent = b.monde.comptable if action is ActionTraitement.MISE_EN_PAIEMENT else b.monde.agent
    essayer(
        b,
        lambda: b.chorus.traitement.appliquer_evenement(
            agent.id, memoire.id, EvenementTraitement.creer(action=action, **valeurs)
        ),
        champ_unique=False,
    )


@REGLAGES
@given(commentaire=texte_ou("Voici la pièce demandée."), piece_id=IDS, version=optionnel(ENTIERS))
def test_completer_un_memoire_suspendu_hostile(
    commentaire: str, piece_id: str, version: int | None
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    m = b.chorus.memoires
    suspendu = b.monde.suspendu()
    essayer(b, lambda: m.retirer_piece(g, suspendu.id, piece_id))
    essayer(
        b,
        lambda: m.completer(g, suspendu.id, commentaire=commentaire, version_attendue=version),
    )


IDS_MEMBRES = texte_ou(
    *(u.id for u in (_REFERENCE.gestionnaire, _REFERENCE.modificateur, _REFERENCE.consultant)),
    *(r.id for r in _REFERENCE.structure.rattachements),
    *(h.id for h in _REFERENCE.structure.habilitations),
    _REFERENCE.etranger.id,
    _REFERENCE.agent.id,
)


@REGLAGES
@given(
    ident=st.one_of(IDS, IDS_MEMBRES),
    numero_ligne=optionnel(ENTIERS),
    gestionnaire=st.booleans(),
    application=st.sampled_from(Application),
    profil=st.sampled_from(Profil),
    service_id=optionnel(IDS),
)
def test_operations_designees_par_un_identifiant_hostile(
    ident: str,
    numero_ligne: int | None,
    gestionnaire: bool,
    application: Application,
    profil: Profil,
    service_id: str | None,
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    m = b.chorus.memoires
    s = b.chorus.structures
    brouillon = b.monde.brouillon()
    # Identifiers sent in a body: a refusal names the field.
    dans_le_corps: list[Callable[[], object]] = [
        lambda: m.importer_piece(g, brouillon.id, ident, numero_ligne=numero_ligne),
        lambda: s.definir_gestionnaire(g, STRUCTURE_ID, ident, gestionnaire=gestionnaire),
        lambda: s.accorder_habilitation(
            g,
            STRUCTURE_ID,
            utilisateur_id=ident,
            application=application,
            profil=profil,
            service_id=service_id,
        ),
    ]
    # Identifiers in the path: a refusal need not name a field.
    dans_le_chemin: list[Callable[[], object]] = [
        lambda: m.retirer_piece(g, brouillon.id, ident),
        lambda: m.lire_piece(g, brouillon.id, ident),
        lambda: m.obtenir(g, ident),
        lambda: m.supprimer(g, ident),
        lambda: m.abandonner(g, ident),
        lambda: m.dupliquer(g, ident),
        lambda: b.chorus.traitement.obtenir(b.monde.agent.id, ident),
        lambda: s.obtenir(g, ident),
        lambda: s.lire_piece(g, STRUCTURE_ID, ident),
        lambda: s.valider_rattachement(g, STRUCTURE_ID, ident),
        lambda: s.refuser_rattachement(g, STRUCTURE_ID, ident),
        lambda: s.detacher(g, STRUCTURE_ID, ident),
        lambda: s.retirer_habilitation(g, STRUCTURE_ID, ident),
    ]
    for action in dans_le_corps:
        essayer(b, action)
    for action in dans_le_chemin:
        essayer(b, action, champ_unique=False)


# -- reading: liste fiscale, searches, synthèse, empreinte --------------------------------------


@REGLAGES
@given(
    du=DATES,
    au=DATES,
    structure_id=st.just(STRUCTURE_ID) | IDS,
)
@example(du=date.max, au=date.max, structure_id=STRUCTURE_ID)
@example(du=date(9999, 1, 1), au=date(9999, 6, 30), structure_id=STRUCTURE_ID)
def test_liste_fiscale_sur_une_periode_hostile(du: date, au: date, structure_id: str) -> None:
    b = banc()
    b.monde.paye()
    essayer(
        b,
        lambda: b.chorus.consultation.liste_fiscale(b.monde.gestionnaire.id, structure_id, du, au),
    )
    refus_propre(lambda: Periode.creer(du, au))


CHAMPS_FILTRES: dict[str, st.SearchStrategy[Any]] = {
    "numero": optionnel(texte_ou("MJ00000000001", "TMP2024000001", "mj00000000001")),
    "structure_id": optionnel(IDS),
    "service_id": optionnel(IDS),
    "juridiction_code": optionnel(texte_ou("TJ-69123")),
    "numero_engagement_juridique": optionnel(TEXTE),
    "categorie_prestataire": optionnel(texte_ou("PSYCHIATRE")),
    "texte_reference": optionnel(texte_ou("A.43-6")),
    "numero_affaire": optionnel(texte_ou("PARQUET-24-001")),
    "statuts": st.frozensets(st.sampled_from(StatutMemoire)),
    "date_depot_du": optionnel(DATES),
    "date_depot_au": optionnel(DATES),
    "date_statut_du": optionnel(DATES),
    "date_statut_au": optionnel(DATES),
}
TRIS = optionnel(
    texte_ou(
        "-date_depot",
        "date_statut",
        "+numero",
        "--montant_ttc",
        "-+net_a_payer",
        "juridiction_code",
    )
)


@REGLAGES
@given(
    filtres=st.fixed_dictionaries(CHAMPS_FILTRES),
    tri=TRIS,
    page=ENTIERS,
    par_page=ENTIERS | st.sampled_from([1, 50, 500, 501]),
)
def test_rechercher_avec_des_criteres_hostiles(
    filtres: dict[str, Any], tri: str | None, page: int, par_page: int
) -> None:
    b = banc()
    b.monde.envoye()
    b.monde.brouillon()

    def prestataire() -> object:
        return b.chorus.consultation.rechercher(
            b.monde.gestionnaire.id,
            FiltresMemoire(**filtres),
            Tri.depuis(tri),
            Pagination(page, par_page),
        )

    def agent() -> object:
        return b.chorus.traitement.rechercher(
            b.monde.agent.id, FiltresMemoire(**filtres), Tri.depuis(tri), Pagination(page, par_page)
        )

    essayer(b, prestataire, champ_unique=False)
    essayer(b, agent, champ_unique=False)


@REGLAGES
@given(par_statut=ENTIERS, empreinte=TEXTE, tri=TRIS)
def test_synthese_empreinte_et_tri_hostiles(
    par_statut: int, empreinte: str, tri: str | None
) -> None:
    b = banc()
    b.monde.envoye()
    essayer(b, lambda: b.chorus.consultation.synthese(b.monde.gestionnaire.id, par_statut))
    essayer(b, lambda: b.chorus.consultation.verifier_empreinte(empreinte))
    refus_propre(lambda: Tri.depuis(tri))


# -- users --------------------------------------------------------------------------------------

EMAILS = texte_ou(
    "nouveau@exemple.fr",
    "GESTIONNAIRE@exemple.fr",
    "gestionnaire@exemple.fr",
    "é@exemple.fr",
    "a@b",
    "a@@b.fr",
    "a..b@c.fr",
    "a@-b.fr",
    "a" * 250 + "@b.fr",
    "x@" + "a" * 63 + "." + "b" * 63 + ".fr",
)
CHAMPS_COMPTE: dict[str, st.SearchStrategy[Any]] = {
    "email": EMAILS,
    "nom": texte_ou("Martin"),
    "prenom": texte_ou("Léa"),
    "telephone": optionnel(texte_ou("+33 6 12 34 56 78", "0612345678")),
}


@REGLAGES
@given(champ=un_champ(CHAMPS_COMPTE), actif=st.booleans())
def test_creer_un_compte_avec_un_champ_hostile(champ: tuple[str, Any], actif: bool) -> None:
    b = banc()
    valeurs = {
        "email": "nouveau@exemple.fr",
        "nom": "Martin",
        "prenom": "Léa",
        "telephone": None,
        champ[0]: champ[1],
    }
    essayer(b, lambda: b.chorus.utilisateurs.creer_compte(actif=actif, **valeurs))


@REGLAGES
@given(
    valeurs=st.fixed_dictionaries(
        {
            "email": EMAILS,
            "nom": texte_ou("Greffe"),
            "prenom": texte_ou("Bordeaux"),
            "role": st.sampled_from(RoleAgent),
            "juridictions": st.lists(texte_ou("TJ-69123", "TJ-75056", "CA-69123"), max_size=4),
        }
    )
)
def test_creer_un_agent_hostile(valeurs: dict[str, Any]) -> None:
    b = banc()
    essayer(b, lambda: b.chorus.utilisateurs.creer_agent(**valeurs), champ_unique=False)


@REGLAGES
@given(
    nom=optionnel(texte_ou("Durand")),
    prenom=optionnel(texte_ou("Paul")),
    telephone=optionnel(texte_ou("0612345678")),
    suivi_quotidien=optionnel(st.booleans()),
    suivi_hebdomadaire=optionnel(st.booleans()),
    version=optionnel(ENTIERS),
    email=EMAILS,
)
def test_modifier_un_utilisateur_et_chercher_un_email_hostiles(
    nom: str | None,
    prenom: str | None,
    telephone: str | None,
    suivi_quotidien: bool | None,
    suivi_hebdomadaire: bool | None,
    version: int | None,
    email: str,
) -> None:
    b = banc()
    u = b.chorus.utilisateurs
    essayer(
        b,
        lambda: u.modifier(
            b.monde.gestionnaire.id,
            nom=nom,
            prenom=prenom,
            telephone=telephone,
            suivi_quotidien=suivi_quotidien,
            suivi_hebdomadaire=suivi_hebdomadaire,
            version_attendue=version,
        ),
        champ_unique=False,
    )
    essayer(b, lambda: u.par_email(email))


# -- the domain's own validators, called directly by adapters -----------------------------------

VALIDATEURS_TEXTE: list[Callable[[str], object]] = [
    valider_siret,
    valider_siren,
    valider_iban,
    valider_bic,
    valider_tva_intracommunautaire,
    valider_email,
    departement_du_code_postal,
]


@REGLAGES
@given(
    valeur=st.one_of(IDENTIFIANTS, CHAMPS_COORDONNEE["iban"], CHAMPS_COORDONNEE["bic"], EMAILS),
    code_postal=CHAMPS_ADRESSE["code_postal"],
)
def test_validateurs_d_identifiants_sur_du_texte_hostile(valeur: str, code_postal: str) -> None:
    for valider in VALIDATEURS_TEXTE:
        refus_propre(lambda: valider(valeur))  # noqa: B023 - called at once
    refus_propre(lambda: departement_du_code_postal(code_postal))


@REGLAGES
@given(valeur=TAUX, decimales=st.integers(0, 4))
def test_montants_et_taux_sur_des_nombres_hostiles(valeur: Any, decimales: int) -> None:
    refus_propre(lambda: TauxTva.depuis(valeur))
    refus_propre(lambda: valider_euros(valeur, "montant"))
    refus_propre(lambda: valider_montant(valeur, "quantite", decimales=decimales))
    if not isinstance(valeur, TauxTva):
        refus_propre(lambda: en_decimal(valeur, "montant"))


# -- JSON scalars in a field of another type ----------------------------------------------------


@REGLAGES
@given(
    champ=st.sampled_from(["identifiant", "raison_sociale", *CHAMPS_ADRESSE]),
    valeur=AUTRE_QUE_TEXTE,
)
def test_confusion_de_types_a_la_creation_d_une_structure(champ: str, valeur: Any) -> None:
    b = banc()
    valeurs: dict[str, Any] = {
        "type_structure": TypeStructure.ENTREPRISE,
        "type_identifiant": TypeIdentifiant.HORS_UE,
        "identifiant": "HK-998877",
        "raison_sociale": "Cabinet Martin",
    }
    adresse = dict(ADRESSE_VALIDE)
    if champ in CHAMPS_ADRESSE:
        adresse[champ] = valeur
    else:
        valeurs[champ] = valeur
    essayer(b, lambda: creer_structure(b, valeurs, adresse))


@REGLAGES
@given(
    champ=st.sampled_from(
        ["code", "libelle", "actif", "coordonnee.libelle", "iban", "bic", "piece_jointe_id"]
    ),
    texte=AUTRE_QUE_TEXTE,
    booleen=AUTRE_QUE_BOOLEEN,
)
def test_confusion_de_types_sur_les_services_et_coordonnees(
    champ: str, texte: Any, booleen: Any
) -> None:
    b = banc()
    g = b.monde.gestionnaire.id
    s = b.chorus.structures
    if champ == "code":
        essayer(b, lambda: s.ajouter_service(g, STRUCTURE_ID, code=texte, libelle="Labo"))
    elif champ == "libelle":
        essayer(b, lambda: s.ajouter_service(g, STRUCTURE_ID, code="LAB", libelle=texte))
        essayer(b, lambda: s.modifier_service(g, STRUCTURE_ID, PSY_ID, libelle=texte))
    elif champ == "actif":
        essayer(b, lambda: s.modifier_service(g, STRUCTURE_ID, PSY_ID, actif=booleen))
    else:
        valeurs: dict[str, Any] = {
            "libelle": "Compte pro",
            "iban": "DE89370400440532013000",
            "bic": "COBADEFFXXX",
            "piece_jointe_id": RIB_ID,
        }
        valeurs[champ.removeprefix("coordonnee.")] = texte
        essayer(b, lambda: s.ajouter_coordonnee_bancaire(g, STRUCTURE_ID, **valeurs))


@REGLAGES
@given(
    champ=st.sampled_from(sorted(set(CHAMPS_ENTETE) - {"type_tva"})),
    valeur=AUTRE_QUE_TEXTE,
)
def test_confusion_de_types_dans_l_en_tete(champ: str, valeur: Any) -> None:
    b = banc()
    if champ == "remise_globale_ttc" and not isinstance(valeur, bool | None):
        return  # int and Decimal are amounts' own types
    valeurs = {**entete_valide(), champ: valeur}
    essayer(b, lambda: b.chorus.memoires.creer(b.monde.gestionnaire.id, EnTete.creer(**valeurs)))


CHAMPS_LIGNE_TEXTE = ["numero_affaire", "autorite_requerante", "type_prestation"]
CHAMPS_LIGNE_NOMBRE = ["quantite", "tarif_ht", "taux_tva", "debours"]


@REGLAGES
@given(
    champ=st.sampled_from(
        [*CHAMPS_LIGNE_TEXTE, *CHAMPS_LIGNE_NOMBRE, "frais.libelle", "frais.montant"]
    ),
    texte=AUTRE_QUE_TEXTE,
    nombre=AUTRE_QUE_NOMBRE,
)
def test_confusion_de_types_dans_une_ligne(champ: str, texte: Any, nombre: Any) -> None:
    b = banc()
    memoire = b.monde.brouillon(lignes=0)
    saisie = saisie_ligne()
    if champ in CHAMPS_LIGNE_TEXTE:
        saisie = attrs.evolve(saisie, **{champ: texte})
    elif champ in CHAMPS_LIGNE_NOMBRE:
        saisie = attrs.evolve(saisie, **{champ: nombre})
    elif champ == "frais.libelle":
        saisie = attrs.evolve(saisie, frais_divers=((texte, "1.00"),))
    else:
        saisie = attrs.evolve(saisie, frais_divers=(("Déplacement", nombre),))
    essayer(b, lambda: b.chorus.memoires.ajouter_ligne(b.monde.gestionnaire.id, memoire.id, saisie))


@REGLAGES
@given(
    champ=st.sampled_from(["nom_fichier", "designation", "numero_ligne"]),
    texte=AUTRE_QUE_TEXTE,
    entier=AUTRE_QUE_ENTIER,
)
def test_confusion_de_types_en_joignant_une_piece(champ: str, texte: Any, entier: Any) -> None:
    b = banc()
    memoire = b.monde.brouillon()
    valeurs: dict[str, Any] = {
        "nom_fichier": "rapport.pdf",
        "designation": None,
        "numero_ligne": None,
    }
    valeurs[champ] = entier if champ == "numero_ligne" else texte
    essayer(
        b,
        lambda: b.chorus.memoires.joindre_piece(
            b.monde.gestionnaire.id, memoire.id, contenu=PDF, type_piece=TypePiece.AUTRE, **valeurs
        ),
        contenu=PDF,
    )


@REGLAGES
@given(attestation=AUTRE_QUE_BOOLEEN, version=AUTRE_QUE_ENTIER, commentaire=AUTRE_QUE_TEXTE)
def test_confusion_de_types_a_l_envoi_et_au_complement(
    attestation: Any, version: Any, commentaire: Any
) -> None:
    b = banc()
    memoire = b.monde.brouillon()
    g = b.monde.gestionnaire.id
    suspendu = b.monde.suspendu()
    essayer(b, lambda: b.chorus.memoires.completer(g, suspendu.id, commentaire=commentaire))
    essayer(
        b,
        lambda: b.chorus.memoires.envoyer(g, memoire.id, attestation_sur_honneur=attestation),
    )
    essayer(
        b,
        lambda: b.chorus.memoires.envoyer(
            g, memoire.id, attestation_sur_honneur=True, version_attendue=version
        ),
    )


@REGLAGES
@given(
    champ=st.sampled_from(["reference", "motif", "montant_certifie", "montant_paye"]),
    texte=AUTRE_QUE_TEXTE,
    nombre=AUTRE_QUE_NOMBRE,
)
def test_confusion_de_types_dans_un_evenement(champ: str, texte: Any, nombre: Any) -> None:
    b = banc()
    memoire = b.monde.mis_a_disposition()
    valeurs: dict[str, Any] = {
        "reference": "EVT-NOUVEAU",
        "date_evenement": MAINTENANT,
        "motif": "Motif",
        champ: texte if champ in ("reference", "motif") else nombre,
    }
    essayer(
        b,
        lambda: b.chorus.traitement.appliquer_evenement(
            b.monde.agent.id,
            memoire.id,
            EvenementTraitement.creer(action=ActionTraitement.CERTIFICATION, **valeurs),
        ),
    )


@REGLAGES
@given(
    champ=st.sampled_from(
        ["email", "nom", "prenom", "telephone", "juridictions", "suivi_quotidien", "par_email"]
    ),
    texte=AUTRE_QUE_TEXTE,
    booleen=AUTRE_QUE_BOOLEEN,
    liste=st.lists(SCALAIRES_JSON, min_size=1, max_size=3) | AUTRE_QUE_TEXTE,
)
def test_confusion_de_types_sur_les_utilisateurs(
    champ: str, texte: Any, booleen: Any, liste: Any
) -> None:
    b = banc()
    u = b.chorus.utilisateurs
    g = b.monde.gestionnaire.id
    if champ in CHAMPS_COMPTE:
        valeurs: dict[str, Any] = {
            "email": "nouveau@exemple.fr",
            "nom": "Martin",
            "prenom": "Léa",
            "telephone": None,
            champ: texte,
        }
        essayer(b, lambda: u.creer_compte(**valeurs))
        if champ != "email":
            essayer(b, lambda: u.modifier(g, **{champ: texte}))
    elif champ == "juridictions":
        essayer(
            b,
            lambda: u.creer_agent(
                email="agent@exemple.fr",
                nom="Greffe",
                prenom="Lyon",
                role=RoleAgent.AGENT_JURIDICTION,
                juridictions=liste,
            ),
        )
    elif champ == "suivi_quotidien":
        essayer(b, lambda: u.modifier(g, suivi_quotidien=booleen))
    else:
        essayer(b, lambda: u.par_email(texte))


CHAMPS_RECHERCHE_TEXTE = ["numero", "structure_id", "numero_affaire", "tri", "empreinte"]
CHAMPS_RECHERCHE_ENTIER = ["page", "par_page", "par_statut"]


@REGLAGES
@given(
    champ=st.sampled_from(CHAMPS_RECHERCHE_TEXTE + CHAMPS_RECHERCHE_ENTIER),
    texte=AUTRE_QUE_TEXTE,
    entier=AUTRE_QUE_ENTIER,
)
def test_confusion_de_types_dans_une_recherche(champ: str, texte: Any, entier: Any) -> None:
    b = banc()
    b.monde.envoye()
    g = b.monde.gestionnaire.id
    c = b.chorus.consultation
    valeur = texte if champ in CHAMPS_RECHERCHE_TEXTE else entier
    if champ == "empreinte":
        essayer(b, lambda: c.verifier_empreinte(valeur))
        return
    if champ == "par_statut":
        essayer(b, lambda: c.synthese(g, valeur))
        return
    filtres: dict[str, Any] = {}
    tri: Any = None
    pagination: dict[str, Any] = {}
    if champ == "tri":
        tri = valeur
    elif champ in CHAMPS_RECHERCHE_ENTIER:
        pagination[champ] = valeur
    else:
        filtres[champ] = valeur
    essayer(
        b,
        lambda: c.rechercher(
            g, FiltresMemoire(**filtres), Tri.depuis(tri), Pagination(**pagination)
        ),
    )


@REGLAGES
@given(valeur=AUTRE_QUE_TEXTE)
def test_confusion_de_types_dans_les_validateurs_d_identifiants(valeur: Any) -> None:
    for valider in VALIDATEURS_TEXTE:
        refus_propre(lambda: valider(valeur))  # noqa: B023 - called at once
