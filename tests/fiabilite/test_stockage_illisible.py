"""A store Chorus cannot use — a foreign or damaged file, a folder of something else, a
corrupt document — is refused with a French message naming it, never with a traceback or a
raw sqlite3 error; the command answers it with exit code 2; and the store is left as it was.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.bootstrap import ErreurDeConfiguration, construire
from chorus.cli import main
from chorus.ports.requetes import CriteresMemoire, FiltresMemoire, Tri
from tests.fiabilite.commun import (
    Monde,
    adresse,
    chemin_du_stockage,
    ecrire_un_memoire,
    entete,
    ouvert,
    preparer,
    verifier_memoire,
)

# What every refusal says, in one form or another: what is wrong with the store.
_CONSTATS = (
    "n'est pas",
    "ne peut pas être ouverte",
    "est un dossier",
    "est un fichier",
    "illisible",
)


def _instantane(dossier: Path) -> dict[str, bytes | None]:
    """Every file under `dossier` with its bytes (None for a folder)."""
    return {
        chemin.relative_to(dossier).as_posix(): chemin.read_bytes() if chemin.is_file() else None
        for chemin in sorted(dossier.rglob("*"))
    }


def _verifier_message(message: str, chemin: Path) -> None:
    assert str(chemin) in message
    assert any(constat in message for constat in _CONSTATS), message
    assert "Traceback" not in message


def _demo(url: str) -> Result:
    return CliRunner().invoke(main, ["demo", "--storage", url])


def _verifier_refus_de_la_commande(resultat: Result, nomme: str) -> None:
    assert resultat.exit_code == 2, resultat.output
    assert isinstance(resultat.exception, SystemExit)
    # At start a store is a setting to correct; later, a store that broke.
    assert resultat.stderr.startswith(("Erreur de configuration : ", "Stockage inutilisable : "))
    assert nomme in resultat.stderr
    assert "Traceback" not in resultat.output
    assert resultat.stdout == ""


# -- stores that cannot be opened --------------------------------------------------------


@attrs.frozen
class Cas:
    """A store in `dossier` that Chorus must refuse: its URL, and the path the refusal
    must name."""

    url: str
    nomme: Path


def _fichier_sqlite(dossier: Path, octets: bytes) -> Cas:
    base = dossier / "chorus.db"
    base.write_bytes(octets)
    return Cas(f"sqlite:///{base}", base)


def _octets_aleatoires(dossier: Path) -> Cas:
    return _fichier_sqlite(dossier, random.Random("octets").randbytes(8192))


def _fichier_texte(dossier: Path) -> Cas:
    return _fichier_sqlite(dossier, "Liste de courses : pain, lait, café.\n".encode() * 100)


def _base_tronquee(dossier: Path) -> Cas:
    """A real Chorus database whose first page only survived (the rest is garbage)."""
    source = dossier.parent / f"{dossier.name}-source"
    source.mkdir()
    url = adresse("sqlite", source)
    monde = preparer(url)
    with ouvert(url) as chorus:
        ecrire_un_memoire(chorus, monde, lambda _: None, entete(chorus, monde))
    octets = (source / "chorus.db").read_bytes()
    assert len(octets) > 4 * 4096
    assert not (source / "chorus.db-wal").exists()  # everything is in the file itself
    garbage = random.Random("tronquee").randbytes(len(octets) - 4096)
    return _fichier_sqlite(dossier, octets[:4096] + garbage)


def _base_etrangere(dossier: Path) -> Cas:
    """Another program's SQLite database (rollback journal, as SQLite's default)."""
    base = dossier / "chorus.db"
    with sqlite3.connect(base) as connexion:
        connexion.execute("CREATE TABLE foo (x INTEGER, nom TEXT)")
        connexion.execute("INSERT INTO foo VALUES (1, 'bar')")
    connexion.close()
    return Cas(f"sqlite:///{base}", base)


def _dossier_a_la_place_de_la_base(dossier: Path) -> Cas:
    base = dossier / "chorus.db"
    base.mkdir()
    (base / "lisez-moi.txt").write_text("Ce dossier n'est pas une base.\n")
    return Cas(f"sqlite:///{base}", base)


def _dossier_etranger(dossier: Path) -> Cas:
    """A folder of someone's files, given as a files store."""
    magasin = dossier / "documents"
    (magasin / "archives").mkdir(parents=True)
    (magasin / "notes.txt").write_text("Rendez-vous mardi.\n")
    (magasin / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    (magasin / "archives" / "2023.csv").write_text("date;montant\n2023-01-02;12,50\n")
    return Cas(f"files:///{magasin}", magasin)


def _fichier_a_la_place_du_dossier(dossier: Path) -> Cas:
    fichier = dossier / "chorus-fichiers"
    fichier.write_text("pas un dossier\n")
    return Cas(f"files:///{fichier}", fichier)


CAS: dict[str, Callable[[Path], Cas]] = {
    "sqlite-octets-aleatoires": _octets_aleatoires,
    "sqlite-fichier-texte": _fichier_texte,
    "sqlite-base-tronquee": _base_tronquee,
    "sqlite-base-etrangere": _base_etrangere,
    "sqlite-dossier": _dossier_a_la_place_de_la_base,
    "files-dossier-etranger": _dossier_etranger,
    "files-fichier": _fichier_a_la_place_du_dossier,
}


def _preparer(nom: str, tmp_path: Path) -> tuple[Cas, Path]:
    """The case's store, in a folder of its own (also watched for files created beside)."""
    dossier = tmp_path / "magasin"
    dossier.mkdir()
    return CAS[nom](dossier), dossier


@pytest.mark.parametrize("nom", list(CAS))
def test_un_stockage_illisible_est_refuse_par_un_message_qui_le_nomme(
    nom: str, tmp_path: Path
) -> None:
    cas, _ = _preparer(nom, tmp_path)
    with pytest.raises(ErreurDeConfiguration) as refus:
        construire(cas.url)
    _verifier_message(str(refus.value), cas.nomme)


@pytest.mark.parametrize("nom", list(CAS))
def test_la_commande_refuse_un_stockage_illisible_avec_le_code_2(nom: str, tmp_path: Path) -> None:
    cas, _ = _preparer(nom, tmp_path)
    _verifier_refus_de_la_commande(_demo(cas.url), str(cas.nomme))


@pytest.mark.parametrize(
    "nom",
    list(CAS),
)
def test_un_stockage_illisible_est_laisse_tel_quel(nom: str, tmp_path: Path) -> None:
    cas, dossier = _preparer(nom, tmp_path)
    avant = _instantane(dossier)
    with pytest.raises(ErreurDeConfiguration):
        construire(cas.url)
    assert _demo(cas.url).exit_code == 2
    # Not a byte changed, and nothing created beside it (no -wal, no pièces folder, no lock).
    assert _instantane(dossier) == avant


# -- stores that open, with a document that cannot be read --------------------------------


def _magasin_fichiers(tmp_path: Path) -> tuple[str, Monde, str, str]:
    """A files store with a sent mémoire and a draft: URL, world, their ids."""
    url = adresse("files", tmp_path)
    monde = preparer(url)
    with ouvert(url) as chorus:
        envoye = ecrire_un_memoire(chorus, monde, lambda _: None, entete(chorus, monde))
        brouillon = chorus.memoires.creer(monde.acteur_id, entete(chorus, monde))
    return url, monde, envoye.id, brouillon.id


def test_un_document_de_memoire_corrompu_arrete_le_stockage_en_le_nommant(
    tmp_path: Path,
) -> None:
    url, monde, envoye_id, brouillon_id = _magasin_fichiers(tmp_path)
    racine = chemin_du_stockage(url)
    document = racine / "memoires" / f"{envoye_id}.json"
    intact = document.read_bytes()
    document.write_bytes(intact[: len(intact) // 2])
    avant = _instantane(racine)

    # Only the store's marker is checked when it is opened; the documents when read, and
    # one unreadable document stops every read rather than leaving a mémoire out.
    chorus = construire(url)
    lectures: list[Callable[[], object]] = [
        lambda: chorus.memoires.obtenir(monde.acteur_id, envoye_id),
        lambda: chorus.memoires.obtenir(monde.acteur_id, brouillon_id),
        lambda: chorus.consultation.tableau_de_bord(monde.acteur_id),
    ]
    for lire in lectures:
        with pytest.raises(StockageInutilisable) as refus:
            lire()
        message = str(refus.value)
        assert f"memoires/{envoye_id}.json" in message
        assert "illisible" in message
        assert "JSON invalide" in message
    with pytest.raises(StockageInutilisable), chorus.ports.uow as uow:
        uow.requetes.tous(CriteresMemoire(filtres=FiltresMemoire()), Tri())
    # Nothing was repaired, deleted or rewritten behind the user's back.
    assert _instantane(racine) == avant

    # Once the document is restored, the same store reads it whole again.
    document.write_bytes(intact)
    envoye = chorus.memoires.obtenir(monde.acteur_id, envoye_id)
    verifier_memoire(chorus, envoye)


def test_la_commande_refuse_un_stockage_fichiers_au_document_corrompu(tmp_path: Path) -> None:
    url = adresse("files", tmp_path)
    assert _demo(url).exit_code == 0
    racine = chemin_du_stockage(url)
    document = min((racine / "memoires").glob("*.json"))
    document.write_text('{"id": "tronqué', encoding="utf-8")
    _verifier_refus_de_la_commande(_demo(url), f"memoires/{document.name}")


def _chercher_tous(url: str, monde: Monde) -> None:
    """Open the store and search every mémoire of the world's structure, as a list does."""
    chorus = construire(url)
    chorus.consultation.tableau_de_bord(monde.acteur_id)
    with chorus.ports.uow as uow:
        uow.requetes.tous(CriteresMemoire(filtres=FiltresMemoire()), Tri())


def _page_de_table_endommagee(tmp_path: Path, table: str) -> tuple[str, Monde]:
    """A Chorus database whose schema is sound but one page of `table` is garbage."""
    url = adresse("sqlite", tmp_path)
    monde = preparer(url)
    with ouvert(url) as chorus:
        ecrire_un_memoire(chorus, monde, lambda _: None, entete(chorus, monde))
    base = chemin_du_stockage(url)
    with sqlite3.connect(base) as connexion:
        (taille,) = connexion.execute("PRAGMA page_size").fetchone()
        (racine,) = connexion.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    connexion.close()
    octets = bytearray(base.read_bytes())
    octets[(racine - 1) * taille : racine * taille] = random.Random(table).randbytes(taille)
    base.write_bytes(bytes(octets))
    return url, monde


def test_une_base_sqlite_endommagee_a_la_lecture_est_refusee_en_la_nommant(
    tmp_path: Path,
) -> None:
    url, monde = _page_de_table_endommagee(tmp_path, "memoires")
    with pytest.raises((ErreurDeConfiguration, StockageInutilisable)) as refus:
        _chercher_tous(url, monde)
    _verifier_message(str(refus.value), chemin_du_stockage(url))


def test_la_commande_refuse_une_base_sqlite_endommagee_a_la_lecture(tmp_path: Path) -> None:
    url, _ = _page_de_table_endommagee(tmp_path, "utilisateurs")
    _verifier_refus_de_la_commande(_demo(url), str(chemin_du_stockage(url)))
