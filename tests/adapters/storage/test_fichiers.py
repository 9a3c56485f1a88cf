"""What the files store promises beyond the storage contract: its layout on disk, commits
that survive a crash at any point, refusals of folders it cannot use, caches that follow
other processes, and ids that cannot lead a document out of its folder."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.files import UniteDeTravailFichiers
from chorus.adapters.storage.files.noms import identifiant_du_nom, nom_de_fichier
from chorus.domain.errors import ConflitDeVersion, NonTrouve
from chorus.domain.memoire import Memoire
from tests.contract.agregats import (
    ajouter as _ajouter,
)
from tests.contract.agregats import (
    brouillon,
    entete,
    ligne,
    memoire_complete,
    structure,
    utilisateur,
)

RACINE_DU_PROJET = Path(__file__).resolve().parents[3]


class _Plantage(Exception):
    """Stands for the process dying at that instant."""


def _brouillon(id: str = "m-1", numero: str = "TMP2024000000001") -> Memoire:
    return brouillon(id, numero, entete("s-1"), lignes=(ligne(1),))


def _fichiers(dossier: Path) -> set[str]:
    return {p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file()}


def _temporaires(dossier: Path) -> set[str]:
    return {f for f in _fichiers(dossier) if Path(f).name.startswith(".tmp-")}


def _document(dossier: Path, chemin: str) -> dict[str, object]:
    donnees = json.loads((dossier / chemin).read_text(encoding="utf-8"))
    assert isinstance(donnees, dict)
    return donnees


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return tmp_path / "stockage"


# -- layout ------------------------------------------------------------------------------


def test_un_dossier_absent_devient_un_stockage_aux_documents_lisibles(dossier: Path) -> None:
    uow = UniteDeTravailFichiers(dossier / "sous" / "dossier")
    complet = memoire_complete()
    with uow:
        uow.structures.ajouter(structure("s-1"))
        uow.utilisateurs.ajouter(utilisateur("u-1", "Paul.Durand@Exemple.fr"))
        uow.memoires.ajouter(complet)
        assert uow.sequences.suivant("MJ") == 1
        uow.commit()

    racine = dossier / "sous" / "dossier"
    assert _document(racine, "chorus-fichiers.json") == {
        "format": "chorus-fichiers",
        "version": 1,
    }
    assert _document(racine, "sequences.json") == {"MJ": 1}
    assert _document(racine, "utilisateurs/u-1.json")["email"] == "paul.durand@exemple.fr"
    texte = (racine / "memoires" / "m-complete.json").read_text(encoding="utf-8")
    donnees = _document(racine, "memoires/m-complete.json")
    # Pretty, sorted, UTF-8 as is, amounts as strings that keep their exponent.
    assert texte == json.dumps(donnees, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert list(donnees) == sorted(donnees)
    assert "Déplacement" in texte
    assert '"montant_ht": "12.10"' in texte
    lignes = donnees["lignes"]
    assert isinstance(lignes, list)
    assert lignes[0]["frais_divers"][0]["montant_ht"] == "12.10"
    assert lignes[2]["debours"] == "12.10"
    # Once committed, no journal, flag nor temporary file is left.
    assert not (racine / "journal.json").exists()
    assert not (racine / "ecriture-en-cours").exists()
    assert _temporaires(racine) == set()


def test_un_dossier_qui_ne_contient_que_les_pieces_devient_un_stockage(dossier: Path) -> None:
    (dossier / "pieces" / "ab").mkdir(parents=True)
    (dossier / "pieces" / "ab" / "cdef").write_bytes(b"contenu")
    _ajouter(UniteDeTravailFichiers(dossier), structure("s-1"))
    with UniteDeTravailFichiers(dossier) as uow:
        assert uow.structures.obtenir("s-1") == structure("s-1")
    assert (dossier / "pieces" / "ab" / "cdef").read_bytes() == b"contenu"


def test_un_stockage_d_avant_les_jetons_et_courriels_les_range_dans_leurs_dossiers(
    dossier: Path,
) -> None:
    from datetime import timedelta

    from chorus.domain.courriels import Courriel
    from chorus.domain.jetons import Jeton, NatureJeton, empreinte_du_secret
    from tests.contract.agregats import T0

    _ajouter(UniteDeTravailFichiers(dossier), structure("s-1"))
    # A store written by a version that had no such folders.
    (dossier / "jetons").rmdir()
    (dossier / "courriels").rmdir()
    session = Jeton(
        id="j-1",
        nature=NatureJeton.SESSION,
        empreinte=empreinte_du_secret("le secret"),
        cree_le=T0,
        expire_le=T0 + timedelta(hours=1),
        utilisateur_id="u-1",
    )
    message = Courriel.nouveau(
        id="c-1", destinataire="a@exemple.fr", sujet="Objet", corps="Texte", maintenant=T0
    )
    with UniteDeTravailFichiers(dossier) as uow:
        assert uow.structures.obtenir("s-1") == structure("s-1")
        uow.jetons.ajouter(session)
        uow.courriels.ajouter(message)
        uow.commit()
    assert _document(dossier, "jetons/j-1.json")["empreinte"] == session.empreinte
    assert "le secret" not in (dossier / "jetons" / "j-1.json").read_text(encoding="utf-8")
    assert _document(dossier, "courriels/c-1.json")["destinataire"] == "a@exemple.fr"
    with UniteDeTravailFichiers(dossier) as uow:
        assert uow.jetons.obtenir("j-1") == session
        assert uow.courriels.a_envoyer(T0, 5) == [message]


# -- folders it refuses ------------------------------------------------------------------


def test_un_dossier_etranger_est_refuse(dossier: Path) -> None:
    dossier.mkdir()
    (dossier / "notes.txt").write_text("à garder")
    with pytest.raises(StockageInutilisable) as erreur:
        UniteDeTravailFichiers(dossier)
    message = str(erreur.value)
    assert f"Le dossier {dossier} n'est pas un stockage Chorus" in message
    assert "chorus-fichiers.json absent" in message
    assert "choisissez un dossier vide ou un stockage existant" in message
    # Nothing of ours was written there.
    assert [p.name for p in dossier.iterdir()] == ["notes.txt"]


def test_un_fichier_a_la_place_du_dossier_est_refuse(dossier: Path) -> None:
    dossier.write_text("pas un dossier")
    with pytest.raises(StockageInutilisable, match="est un fichier, pas un dossier"):
        UniteDeTravailFichiers(dossier)


@pytest.mark.parametrize(
    ("marqueur", "attendu"),
    [
        (
            {"format": "chorus-fichiers", "version": 2},
            "version 2, plus récent.*mettez Chorus à jour",
        ),
        ({"format": "chorus-fichiers", "version": 0}, "version 0 inconnue"),
        ({"format": "chorus-fichiers", "version": "1"}, "version '1' inconnue"),
        ({"format": "chorus-fichiers", "version": True}, "version True inconnue"),
        ({"format": "chorus-sqlite", "version": 1}, "ne contient pas un stockage Chorus fichiers"),
        (["chorus-fichiers", 1], "ne contient pas un stockage Chorus fichiers"),
    ],
)
def test_un_marqueur_d_un_autre_format_ou_d_une_autre_version_est_refuse(
    dossier: Path, marqueur: object, attendu: str
) -> None:
    UniteDeTravailFichiers(dossier)
    (dossier / "chorus-fichiers.json").write_text(json.dumps(marqueur))
    with pytest.raises(StockageInutilisable, match=attendu):
        UniteDeTravailFichiers(dossier)


def test_un_marqueur_illisible_est_refuse(dossier: Path) -> None:
    UniteDeTravailFichiers(dossier)
    (dossier / "chorus-fichiers.json").write_bytes(b"\xff\xfe")
    with pytest.raises(StockageInutilisable, match=r"chorus-fichiers\.json .*illisible"):
        UniteDeTravailFichiers(dossier)


def _corrompre_en_json_invalide(chemin: Path) -> None:
    chemin.write_text('{"id": "m-1", ', encoding="utf-8")


def _corrompre_un_montant_en_flottant(chemin: Path) -> None:
    donnees = json.loads(chemin.read_text(encoding="utf-8"))
    donnees["lignes"][0]["tarif_ht"] = 150.0
    chemin.write_text(json.dumps(donnees), encoding="utf-8")


def _deplacer_sous_un_autre_nom(chemin: Path) -> None:
    chemin.rename(chemin.with_name("m-2.json"))


@pytest.mark.parametrize(
    ("corrompre", "attendu"),
    [
        (_corrompre_en_json_invalide, r"memoires/m-1\.json .*illisible \(JSON invalide ligne 1"),
        (_corrompre_un_montant_en_flottant, r"memoires/m-1\.json .*pas un objet Memoire valide"),
        (_deplacer_sous_un_autre_nom, r"memoires/m-2\.json .*décrit l'objet « m-1 »"),
    ],
)
def test_un_document_corrompu_arrete_le_stockage_avec_un_message_clair(
    dossier: Path, corrompre: Callable[[Path], None], attendu: str
) -> None:
    _ajouter(UniteDeTravailFichiers(dossier), _brouillon())
    corrompre(dossier / "memoires" / "m-1.json")

    uow = UniteDeTravailFichiers(dossier)  # only the marker is checked at start
    with pytest.raises(StockageInutilisable, match=attendu) as erreur, uow:
        pass
    assert "restaurez-le depuis une sauvegarde" in str(erreur.value)
    # The lock was given back: once the document is repaired, the same object works.
    for chemin in (dossier / "memoires").iterdir():
        chemin.unlink()
    with uow, pytest.raises(NonTrouve):
        uow.memoires.obtenir("m-1")


def test_un_document_change_par_un_autre_processus_et_corrompu_est_signale(
    dossier: Path,
) -> None:
    lecteur, ecrivain = UniteDeTravailFichiers(dossier), UniteDeTravailFichiers(dossier)
    with lecteur:
        pass
    _ajouter(ecrivain, _brouillon())
    _corrompre_en_json_invalide(dossier / "memoires" / "m-1.json")
    with pytest.raises(StockageInutilisable, match=r"memoires/m-1\.json"), lecteur:
        pass


def test_des_sequences_illisibles_sont_signalees(dossier: Path) -> None:
    _ajouter(UniteDeTravailFichiers(dossier), structure("s-1"))
    (dossier / "sequences.json").write_text('{"MJ": "douze"}', encoding="utf-8")
    with (
        pytest.raises(StockageInutilisable, match=r"sequences\.json"),
        UniteDeTravailFichiers(dossier),
    ):
        pass


# -- crashes -----------------------------------------------------------------------------


def _modifier_tout(uow: UniteDeTravailFichiers) -> None:
    """One transaction that writes a changed mémoire, a new user, the sequences, and
    deletes a mémoire: five files."""
    uow.memoires.enregistrer(uow.memoires.obtenir("m-1").ajouter_ligne(ligne(2)))
    uow.memoires.supprimer("m-2")
    uow.utilisateurs.ajouter(utilisateur("u-nouveau"))
    uow.sequences.suivant("MJ")


def _valider(
    uow: UniteDeTravailFichiers, changer: Callable[[UniteDeTravailFichiers], None]
) -> None:
    with uow:
        changer(uow)
        uow.commit()


def _verifier_tout_modifie(dossier: Path) -> None:
    with UniteDeTravailFichiers(dossier) as uow:
        m1 = uow.memoires.obtenir("m-1")
        assert (m1.version, len(m1.lignes)) == (1, 2)
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir("m-2")
        assert uow.utilisateurs.obtenir("u-nouveau") == utilisateur("u-nouveau")
        assert uow.sequences.suivant("MJ") == 2
    assert not (dossier / "journal.json").exists()
    assert not (dossier / "ecriture-en-cours").exists()
    assert _temporaires(dossier) == set()


@pytest.fixture
def depart(dossier: Path) -> Path:
    _ajouter(
        UniteDeTravailFichiers(dossier),
        _brouillon("m-1", "TMP2024000000001"),
        _brouillon("m-2", "TMP2024000000002"),
    )
    return dossier


@pytest.mark.parametrize("renommages_reussis", [0, 1, 3])
def test_un_journal_ecrit_avant_un_arret_brutal_est_rejoue_a_l_ouverture(
    depart: Path, monkeypatch: pytest.MonkeyPatch, renommages_reussis: int
) -> None:
    """The process dies once the journal is on disk, after 0, 1 or 3 of its renames: the
    next unit of work (here, of another "process") finishes the commit."""
    vrai_replace = os.replace
    restants = [renommages_reussis]

    def replace_puis_plantage(source: str | Path, destination: str | Path) -> None:
        if Path(destination).name != "journal.json":
            if restants[0] == 0:
                raise _Plantage
            restants[0] -= 1
        vrai_replace(source, destination)

    uow = UniteDeTravailFichiers(depart)
    monkeypatch.setattr(os, "replace", replace_puis_plantage)
    with pytest.raises(_Plantage):
        _valider(uow, _modifier_tout)
    monkeypatch.undo()

    journal = _document(depart, "journal.json")
    renommages = journal["renommages"]
    assert isinstance(renommages, list)
    assert len(renommages) == 4  # m-1, u-nouveau, sequences, generation
    assert journal["suppressions"] == ["memoires/m-2.json"]
    if renommages_reussis == 0:
        assert _document(depart, "memoires/m-1.json")["version"] == 0

    _verifier_tout_modifie(depart)


def test_le_meme_objet_rejoue_son_propre_journal(
    depart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vrai_replace = os.replace

    def replace_puis_plantage(source: str | Path, destination: str | Path) -> None:
        if Path(destination).name != "journal.json":
            raise _Plantage
        vrai_replace(source, destination)

    uow = UniteDeTravailFichiers(depart)
    with uow:
        uow.memoires.obtenir("m-1")  # the cache is loaded
    monkeypatch.setattr(os, "replace", replace_puis_plantage)
    with pytest.raises(_Plantage):
        _valider(uow, _modifier_tout)
    monkeypatch.undo()
    with uow:
        assert uow.memoires.obtenir("m-1").version == 1
        with pytest.raises(NonTrouve):
            uow.memoires.obtenir("m-2")
    _verifier_tout_modifie(depart)


def test_un_echec_avant_le_journal_n_ecrit_rien_et_ne_laisse_rien(
    depart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def plantage(source: str | Path, destination: str | Path) -> None:
        raise _Plantage

    avant = {f: (depart / f).read_bytes() for f in _fichiers(depart)}
    uow = UniteDeTravailFichiers(depart)
    monkeypatch.setattr(os, "replace", plantage)
    with pytest.raises(_Plantage):
        _valider(uow, _modifier_tout)
    monkeypatch.undo()

    assert {f: (depart / f).read_bytes() for f in _fichiers(depart)} == avant
    with uow:
        assert uow.memoires.obtenir("m-1").version == 0
        assert uow.memoires.obtenir("m-2").numero == "TMP2024000000002"
        assert uow.sequences.suivant("MJ") == 1


def test_les_fichiers_temporaires_orphelins_sont_effaces(depart: Path) -> None:
    """What a process killed while writing its temporary files (before its journal) leaves
    behind: the flag and temporary files, deleted by the next unit of work, committed
    documents untouched."""
    uow = UniteDeTravailFichiers(depart)
    with uow:
        pass
    (depart / "ecriture-en-cours").touch()
    orphelins = {"memoires/.tmp-0123abcd", "utilisateurs/.tmp-4567", ".tmp-89ab"}
    for orphelin in orphelins:
        (depart / orphelin).write_text('{"id": "m-1"}')
    avant = {
        f: (depart / f).read_bytes() for f in _fichiers(depart) - orphelins - {"ecriture-en-cours"}
    }

    with uow:
        assert uow.memoires.obtenir("m-1").version == 0
    assert _temporaires(depart) == set()
    assert not (depart / "ecriture-en-cours").exists()
    assert {f: (depart / f).read_bytes() for f in _fichiers(depart)} == avant


def test_un_processus_qui_demarre_efface_les_orphelins_meme_sans_drapeau(depart: Path) -> None:
    (depart / "memoires" / ".tmp-orphelin").write_text("{")
    with UniteDeTravailFichiers(depart) as uow:
        assert uow.memoires.obtenir("m-1").version == 0
    assert _temporaires(depart) == set()


@pytest.mark.parametrize(
    "journal",
    [
        {"renommages": [], "suppressions": ["../victime.json"]},
        {"renommages": [], "suppressions": ["/tmp/victime.json"]},
        {"renommages": [], "suppressions": ["chorus-fichiers.json"]},
        {"renommages": [["memoires/.tmp-1", "../victime.json"]], "suppressions": []},
        {"renommages": [["../.tmp-1", "memoires/m-1.json"]], "suppressions": []},
        {"renommages": [["structures/.tmp-1", "memoires/m-1.json"]], "suppressions": []},
        {"renommages": [], "suppressions": "memoires/m-1.json"},
        [],
    ],
)
def test_un_journal_qui_vise_hors_des_documents_est_refuse(depart: Path, journal: object) -> None:
    victime = depart.parent / "victime.json"
    victime.write_text("à garder")
    (depart / "journal.json").write_text(json.dumps(journal))
    avant = {f: (depart / f).read_bytes() for f in _fichiers(depart)}
    with (
        pytest.raises(StockageInutilisable, match=r"journal\.json .*invalide"),
        UniteDeTravailFichiers(depart),
    ):
        pass
    assert victime.read_text() == "à garder"
    assert {f: (depart / f).read_bytes() for f in _fichiers(depart)} == avant


_ECRIVAIN = """
import sys
from pathlib import Path

from chorus.adapters.storage.files import UniteDeTravailFichiers
from tests.contract.agregats import utilisateur

uow = UniteDeTravailFichiers(Path(sys.argv[1]))
premier = True
while True:
    with uow:
        n = uow.sequences.suivant("N")
        uow.utilisateurs.ajouter(utilisateur(f"u-{n}"))
        s = uow.structures.obtenir("s-1")
        uow.structures.enregistrer(s.modifier(raison_sociale=f"Cabinet {n}"))
        uow.commit()
    if premier:
        print("pret", flush=True)
        premier = False
"""


def test_un_processus_tue_a_tout_instant_laisse_des_transactions_entieres(dossier: Path) -> None:
    """A writer that commits in a loop is SIGKILLed at random instants: every commit is
    found whole (the user, the sequence and the structure together) or not at all."""
    _ajouter(UniteDeTravailFichiers(dossier), structure("s-1"))
    hasard = random.Random(20240614)
    precedent = 0
    for _ in range(6):
        ecrivain = subprocess.Popen(
            [sys.executable, "-c", _ECRIVAIN, str(dossier)],
            cwd=RACINE_DU_PROJET,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert ecrivain.stdout is not None
        assert ecrivain.stdout.readline() == "pret\n"
        threading.Event().wait(hasard.uniform(0, 0.15))
        ecrivain.send_signal(signal.SIGKILL)
        ecrivain.wait()
        ecrivain.stdout.close()

        with UniteDeTravailFichiers(dossier) as uow:
            n = uow.sequences.suivant("N") - 1
            s = uow.structures.obtenir("s-1")
            assert (s.raison_sociale, s.version) == (f"Cabinet {n}", n)
            assert uow.utilisateurs.obtenir(f"u-{n}").id == f"u-{n}"
            with pytest.raises(NonTrouve):
                uow.utilisateurs.obtenir(f"u-{n + 1}")
        assert n > precedent
        precedent = n
        assert _temporaires(dossier) == set()
        assert not (dossier / "journal.json").exists()


# -- several processes -------------------------------------------------------------------


def test_deux_objets_sur_le_meme_dossier_voient_leurs_validations(dossier: Path) -> None:
    """Two unit-of-work objects stand for two processes: each sees what the other
    committed since its cache was filled, and a save read before it is refused."""
    a, b = UniteDeTravailFichiers(dossier), UniteDeTravailFichiers(dossier)
    _ajouter(a, structure("s-1"), _brouillon("m-1"), _brouillon("m-2", "TMP2024000000002"))
    with b:
        lu_par_b = b.structures.obtenir("s-1")
        assert b.memoires.obtenir("m-2").numero == "TMP2024000000002"

    with a:
        a.structures.enregistrer(a.structures.obtenir("s-1").modifier(raison_sociale="Par A"))
        a.memoires.supprimer("m-2")
        a.utilisateurs.ajouter(utilisateur("u-a"))
        a.sequences.suivant("MJ")
        a.commit()

    with b:
        assert b.structures.obtenir("s-1").raison_sociale == "Par A"
        with pytest.raises(NonTrouve):
            b.memoires.obtenir("m-2")
        assert b.memoires.par_numero("TMP2024000000002") is None
        assert b.utilisateurs.par_email("u-a@exemple.fr") == utilisateur("u-a")
        with pytest.raises(ConflitDeVersion):
            b.structures.enregistrer(lu_par_b.modifier(raison_sociale="Par B"))
        assert b.sequences.suivant("MJ") == 2
        b.commit()

    with a:
        assert a.structures.obtenir("s-1").raison_sociale == "Par A"
        assert a.sequences.suivant("MJ") == 3


def test_un_cache_plus_ancien_que_l_historique_est_relu_entierement(dossier: Path) -> None:
    a, b = UniteDeTravailFichiers(dossier), UniteDeTravailFichiers(dossier)
    _ajouter(a, _brouillon("m-1"), _brouillon("m-2", "TMP2024000000002"))
    with b:
        assert b.memoires.obtenir("m-2").version == 0
    for n in range(70):
        with a:
            a.sequences.suivant("MJ")
            if n == 30:
                a.memoires.supprimer("m-2")
            a.memoires.enregistrer(a.memoires.obtenir("m-1"))
            a.commit()
    with b:
        assert b.sequences.suivant("MJ") == 71
        assert b.memoires.obtenir("m-1").version == 70
        with pytest.raises(NonTrouve):
            b.memoires.obtenir("m-2")


def test_un_grand_import_fait_relire_tout(dossier: Path) -> None:
    a, b = UniteDeTravailFichiers(dossier), UniteDeTravailFichiers(dossier)
    with b:
        pass
    _ajouter(a, *(utilisateur(f"u-{n}") for n in range(300)))
    with b:
        assert b.utilisateurs.par_email("u-299@exemple.fr") == utilisateur("u-299")


def test_un_document_n_est_relu_que_si_une_validation_l_a_change(dossier: Path) -> None:
    """The cache is reused while no commit happened: a file changed behind the store's
    back (here, made unreadable) is not read again."""
    uow = UniteDeTravailFichiers(dossier)
    _ajouter(uow, _brouillon())
    _corrompre_en_json_invalide(dossier / "memoires" / "m-1.json")
    with uow:
        assert uow.memoires.obtenir("m-1") == _brouillon()


_PRENEUR = """
import sys
from pathlib import Path

from chorus.adapters.storage.files import UniteDeTravailFichiers

uow = UniteDeTravailFichiers(Path(sys.argv[1]))
for _ in range(40):
    with uow:
        print(uow.sequences.suivant("MJ"), flush=True)
        uow.commit()
"""


def test_deux_processus_ne_prennent_jamais_la_meme_valeur(dossier: Path) -> None:
    local = UniteDeTravailFichiers(dossier)
    with local:
        assert local.sequences.suivant("MJ") == 1
        local.commit()
    preneurs = [
        subprocess.Popen(
            [sys.executable, "-c", _PRENEUR, str(dossier)],
            cwd=RACINE_DU_PROJET,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    valeurs = [1]
    for preneur in preneurs:
        sortie, _ = preneur.communicate(timeout=120)
        assert preneur.returncode == 0
        valeurs += [int(valeur) for valeur in sortie.split()]
    assert sorted(valeurs) == list(range(1, 82))
    with local:
        assert local.sequences.suivant("MJ") == 82


# -- threads -----------------------------------------------------------------------------


def test_entrer_deux_fois_dans_le_meme_fil_est_une_erreur(dossier: Path) -> None:
    uow = UniteDeTravailFichiers(dossier)
    autre = UniteDeTravailFichiers(dossier)
    with uow:
        with pytest.raises(RuntimeError):
            uow.__enter__()
        # Another object on the same folder would wait for this thread forever.
        with pytest.raises(RuntimeError):
            autre.__enter__()
        uow.structures.ajouter(structure("s-1"))
        uow.commit()
    with autre:
        assert autre.structures.obtenir("s-1") == structure("s-1")


def test_chaque_fil_a_sa_transaction(dossier: Path) -> None:
    """One object shared by threads: another thread does not work in this thread's
    transaction (it would see its uncommitted structure); outside a unit of work of its
    own, it may not use the repositories at all."""
    uow = UniteDeTravailFichiers(dossier)
    erreurs: list[BaseException] = []

    def hors_transaction() -> None:
        try:
            uow.structures.obtenir("s-1")
        except BaseException as erreur:  # reported in the test's thread
            erreurs.append(erreur)

    with uow:
        uow.structures.ajouter(structure("s-1"))
        fil = threading.Thread(target=hors_transaction)
        fil.start()
        fil.join()
        uow.commit()
    assert len(erreurs) == 1
    assert isinstance(erreurs[0], RuntimeError)


# -- ids as file names -------------------------------------------------------------------

IDS_DANGEREUX = [
    "../../evasion",
    "a/b",
    "..",
    ".",
    "",
    "/etc/passwd",
    "C:\\Windows",
    "nul\x00octet",
    "é",
    "~41",
    "A",
    ".tmp-faux",
    "x" * 121,
    "é" * 100,
]


def test_un_id_ne_fait_jamais_sortir_un_document_de_son_dossier(dossier: Path) -> None:
    parent = dossier.parent
    autour = set(os.listdir(parent))
    structures = [
        attrs.evolve(structure(f"s-{n}", raison_sociale=f"Cabinet {n}"), id=id)
        for n, id in enumerate(IDS_DANGEREUX)
    ]
    _ajouter(UniteDeTravailFichiers(dossier), *structures)

    assert set(os.listdir(parent)) == autour | {"stockage"}
    noms = os.listdir(dossier / "structures")
    assert len(noms) == len(IDS_DANGEREUX)
    assert sorted(noms) == sorted(nom_de_fichier(id) for id in IDS_DANGEREUX)
    for id in IDS_DANGEREUX:
        nom = nom_de_fichier(id)
        assert "/" not in nom
        assert not nom.startswith(".")
        if len(id.encode()) <= 120:
            assert identifiant_du_nom(nom) == id
    assert nom_de_fichier("m-1_A") == "m-1_A.json"

    with UniteDeTravailFichiers(dossier) as uow:
        for attendue in structures:
            assert uow.structures.obtenir(attendue.id) == attendue
        reecrite = uow.structures.enregistrer(
            uow.structures.obtenir("../../evasion").modifier(raison_sociale="Changée")
        )
        uow.commit()
    with UniteDeTravailFichiers(dossier) as uow:
        assert uow.structures.obtenir("../../evasion") == reecrite
    assert len(os.listdir(dossier / "structures")) == len(IDS_DANGEREUX)


def test_un_memoire_a_l_id_etrange_se_supprime(dossier: Path) -> None:
    memoire = attrs.evolve(_brouillon(), id="../m/1")
    _ajouter(UniteDeTravailFichiers(dossier), memoire)
    with UniteDeTravailFichiers(dossier) as uow:
        uow.memoires.supprimer("../m/1")
        uow.commit()
    assert os.listdir(dossier / "memoires") == []


def test_un_stockage_tenu_trop_longtemps_est_signale_occupe(
    dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chorus.adapters.storage.files import verrous

    monkeypatch.setattr(verrous, "ATTENTE_MAXIMALE", 0.2)
    tenant = UniteDeTravailFichiers(dossier)
    entre, fini = threading.Event(), threading.Event()

    def tenir() -> None:
        with tenant:
            entre.set()
            fini.wait(10)

    fil = threading.Thread(target=tenir)
    fil.start()
    try:
        assert entre.wait(10)
        with pytest.raises(StockageInutilisable, match="occupé"), UniteDeTravailFichiers(dossier):
            pass
    finally:
        fini.set()
        fil.join()
    with UniteDeTravailFichiers(dossier) as uow:
        assert uow.sequences.suivant("S") == 1
