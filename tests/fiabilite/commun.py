"""What the reliability tests share: store addresses, a small world built through the use
cases, the writer's unit of work, the child processes, and the check of a whole store.

The child processes (`tests.fiabilite.ecrivain`) and the tests import this module, so that
both sides agree on what a mémoire written by the writer looks like.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import os
import re
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs

from chorus.bootstrap import Chorus, construire
from chorus.domain.acces import Perimetre
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.errors import ConflitDeVersion
from chorus.domain.lignes import SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Adresse, TypeIdentifiant, TypeStructure
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import (
    CleDeTri,
    CriteresMemoire,
    FiltresMemoire,
    Pagination,
    ResumeMemoire,
    Tri,
)
from tests.contract.agregats import BIC, IBAN, PDF, SIRET

ADAPTATEURS = ("sqlite", "files")

RACINE_DU_PROJET = Path(__file__).resolve().parents[2]

# The writer's two lines, and what a mémoire holding the first n of them must amount to:
# 1 × 150.00 HT at 5.5 % → 158.25 TTC; (2 × 42.00 + 4.30 frais divers) HT at 20 % = 88.30
# + 17.66 TVA + 18.60 débours → 124.56 TTC.
NET_A_PAYER_PAR_NOMBRE_DE_LIGNES = (Decimal("0"), Decimal("158.25"), Decimal("282.81"))
TVA_PAR_NOMBRE_DE_LIGNES = (Decimal("0"), Decimal("8.25"), Decimal("25.91"))

_MJ = re.compile(r"MJ\d{11}")
_TMP = re.compile(r"TMP\d{13}")


def adresse(adaptateur: str, dossier: Path) -> str:
    """The storage URL of a new store of `adaptateur` in `dossier` (an absolute path)."""
    if adaptateur == "sqlite":
        return f"sqlite:///{dossier / 'chorus.db'}"
    if adaptateur == "files":
        return f"files:///{dossier / 'chorus-fichiers'}"
    raise ValueError(adaptateur)


def chemin_du_stockage(url: str) -> Path:
    """The file or folder a `sqlite:////…` or `files:////…` URL names."""
    return Path(url.split(":///", 1)[1])


def fermer(chorus: Chorus) -> None:
    """Close what the store keeps open in this thread (the SQLite connection)."""
    fermeture: Callable[[], None] | None = getattr(chorus.ports.uow, "fermer", None)
    if fermeture is not None:
        fermeture()


@contextlib.contextmanager
def ouvert(url: str) -> Iterator[Chorus]:
    chorus = construire(url)
    try:
        yield chorus
    finally:
        fermer(chorus)


# -- the world ---------------------------------------------------------------------------


@attrs.frozen
class Monde:
    """A structure ready to file mémoires, and its gestionnaire (every habilitation)."""

    acteur_id: str
    structure_id: str


def preparer(url: str) -> Monde:
    """Create, through the use cases, the account and the structure the writers use."""
    with ouvert(url) as chorus:
        acteur = chorus.utilisateurs.creer_compte(
            email="gestionnaire@fiabilite.fr", nom="Fiable", prenom="Camille", actif=True
        )
        s = chorus.structures
        structure = s.creer(
            acteur.id,
            type_structure=TypeStructure.ENTREPRISE,
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=SIRET,
            raison_sociale="Cabinet Fiable",
            adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
        )
        s.definir_espace_frais_de_justice(
            acteur.id, structure.id, categorie_prestataire="PSYCHIATRE", regime=None
        )
        rib = s.deposer_piece(
            acteur.id,
            structure.id,
            contenu=PDF + b"% RIB\n",
            nom_fichier="RIB.pdf",
            type_piece=TypePiece.COORDONNEE_BANCAIRE,
        )
        s.ajouter_coordonnee_bancaire(
            acteur.id,
            structure.id,
            libelle="Compte courant",
            iban=IBAN,
            bic=BIC,
            piece_jointe_id=rib.id,
        )
        return Monde(acteur_id=acteur.id, structure_id=structure.id)


def saisies(aujourdhui: date) -> tuple[SaisieLigne, SaisieLigne]:
    prestation = aujourdhui - timedelta(days=10)
    return (
        SaisieLigne(
            numero_affaire="PARQUET-24-001",
            date_requisition=prestation - timedelta(days=3),
            autorite_requerante="PROCUREUR_REPUBLIQUE",
            type_prestation="EXPERTISE_PSYCHIATRIQUE",
            date_prestation=prestation,
            quantite="1",
            tarif_ht="150.00",
            taux_tva="5.5",
        ),
        SaisieLigne(
            numero_affaire="INSTR-24-002",
            date_requisition=prestation - timedelta(days=3),
            autorite_requerante="JUGE_INSTRUCTION",
            type_prestation="EXPERTISE_PSYCHIATRIQUE",
            date_prestation=prestation,
            quantite="2",
            tarif_ht="42.00",
            taux_tva="20",
            frais_divers=(("Déplacement", "4.30"),),
            debours="18.60",
        ),
    )


def contenu_requisition(numero_brouillon: str) -> bytes:
    """The réquisition the writer attaches: a valid PDF, different for every mémoire."""
    return PDF + f"% {numero_brouillon}\n".encode()


def entete(
    chorus: Chorus,
    monde: Monde,
    *,
    numero_facture: str | None = None,
    commentaire: str | None = None,
) -> EnTete:
    structure = chorus.structures.obtenir(monde.acteur_id, monde.structure_id)
    return EnTete.creer(
        structure_id=monde.structure_id,
        juridiction_code="TJ-69123",
        texte_reference="A.43-6",
        type_tva=TypeTva.TVA_SUR_DEBITS,
        coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
        numero_facture=numero_facture,
        commentaire=commentaire,
    )


def ecrire_un_memoire(
    chorus: Chorus, monde: Monde, rapporter: Callable[[str], None], en_tete: EnTete
) -> Memoire:
    """Draft, two lines, a réquisition, sending: what a prestataire does, one use case at a
    time; `rapporter` is told each commit that names a number (``BROUILLON id TMP…`` once the
    draft exists, ``ENVOYE id MJ…`` once it is sent)."""
    qui = monde.acteur_id
    memoire = chorus.memoires.creer(qui, en_tete)
    rapporter(f"BROUILLON {memoire.id} {memoire.numero}")
    for saisie in saisies(chorus.ports.clock.aujourdhui()):
        chorus.memoires.ajouter_ligne(qui, memoire.id, saisie)
    chorus.memoires.joindre_piece(
        qui,
        memoire.id,
        contenu=contenu_requisition(memoire.numero),
        nom_fichier="requisition.pdf",
        type_piece=TypePiece.REQUISITION,
        designation="Réquisition",
        numero_ligne=1,
    )
    envoye = chorus.memoires.envoyer(qui, memoire.id, attestation_sur_honneur=True)
    rapporter(f"ENVOYE {envoye.id} {envoye.numero}")
    return envoye


# -- child processes ---------------------------------------------------------------------


def lancer_ecrivain(*arguments: str) -> subprocess.Popen[bytes]:
    """``python -m tests.fiabilite.ecrivain …`` from the project's root, input and output
    piped (the ``boucle`` writer waits for a line on its input before opening the store)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fiabilite.ecrivain", *arguments],
        cwd=RACINE_DU_PROJET,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )


def attendre_ligne(processus: subprocess.Popen[bytes], ligne: str, delai: float) -> bytes:
    """Read the child's output until it printed `ligne`; what was read, that line included.
    Fails (with the child's errors) if it dies or stays silent for `delai` seconds."""
    assert processus.stdout is not None
    descripteur = processus.stdout.fileno()
    attendu = ligne.encode() + b"\n"
    lu = b""
    limite = time.monotonic() + delai
    while not (lu.startswith(attendu) or b"\n" + attendu in lu):
        reste = limite - time.monotonic()
        if reste <= 0:
            processus.kill()
            processus.wait()
            raise AssertionError(f"l'écrivain n'a pas écrit {ligne!r} en {delai} s : {lu!r}")
        prets, _, _ = select.select([descripteur], [], [], reste)
        if prets:
            morceau = os.read(descripteur, 65536)
            if not morceau:
                processus.wait()
                raise AssertionError(
                    f"l'écrivain s'est arrêté (code {processus.returncode}) avant {ligne!r} : "
                    f"{erreurs(processus)}"
                )
            lu += morceau
    return lu


def partir(processus: subprocess.Popen[bytes]) -> None:
    """Let a ``boucle`` writer, started beforehand, open the store and write."""
    assert processus.stdin is not None
    processus.stdin.write(b"PARS\n")
    processus.stdin.flush()


def erreurs(processus: subprocess.Popen[bytes]) -> str:
    assert processus.stderr is not None
    return processus.stderr.read().decode(errors="replace")


def terminer(processus: subprocess.Popen[bytes], delai: float) -> tuple[bytes, str]:
    """Wait for the child to end; its remaining output and its errors."""
    try:
        sortie, erreur = processus.communicate(timeout=delai)
    except subprocess.TimeoutExpired:
        processus.kill()
        sortie, erreur = processus.communicate()
        raise AssertionError(
            f"l'écrivain ne s'est pas arrêté en {delai} s : {erreur.decode(errors='replace')}"
        ) from None
    return sortie, erreur.decode(errors="replace")


@attrs.define
class Rapports:
    """What writers said they committed: draft ids with their TMP number, sent ids with
    their MJ number (complete lines only: a line cut by a kill says nothing)."""

    brouillons: dict[str, str] = attrs.field(factory=dict)
    envoyes: dict[str, str] = attrs.field(factory=dict)

    def noter(self, ligne: str) -> None:
        mot, *reste = ligne.split()
        if mot == "BROUILLON":
            identifiant, numero = reste
            assert identifiant not in self.brouillons, ligne
            self.brouillons[identifiant] = numero
        elif mot == "ENVOYE":
            identifiant, numero = reste
            assert identifiant not in self.envoyes, ligne
            self.envoyes[identifiant] = numero

    def lire(self, sortie: bytes) -> None:
        texte = sortie.decode()
        complet = texte if texte.endswith("\n") else texte.rsplit("\n", 1)[0]
        for ligne in complet.splitlines():
            if ligne.strip():
                self.noter(ligne)


# -- checking a whole store --------------------------------------------------------------


def verifier_sqlite_brut(base: Path) -> None:
    """SQLite's own view of the file: no corruption, no dangling reference."""
    with contextlib.closing(sqlite3.connect(base)) as connexion:
        assert connexion.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connexion.execute("PRAGMA foreign_key_check").fetchall() == []


def ids_stockes(adaptateur: str, url: str) -> set[str]:
    """The mémoires in the store, read beside the adapter (not through its search)."""
    chemin = chemin_du_stockage(url)
    if adaptateur == "sqlite":
        with contextlib.closing(sqlite3.connect(chemin)) as connexion:
            return {ligne[0] for ligne in connexion.execute("SELECT id FROM memoires")}
    # One document per mémoire, named by its id (ids from IdsAleatoires are plain hex).
    return {
        entree.name.removesuffix(".json")
        for entree in (chemin / "memoires").iterdir()
        if entree.name.endswith(".json") and not entree.name.startswith(".")
    }


TOUS = CriteresMemoire(filtres=FiltresMemoire())
PAR_NUMERO = Tri(CleDeTri.NUMERO, descendant=False)


def verifier_memoire(chorus: Chorus, memoire: Memoire) -> None:
    """One mémoire is whole: numbers, lines, amounts, pièces and their contents, and, once
    sent, its certificate and an empreinte the stored mémoire still recomputes."""
    assert memoire.numero_brouillon is not None
    assert _TMP.fullmatch(memoire.numero_brouillon)
    lignes = len(memoire.lignes)
    assert [ligne.numero_ligne for ligne in memoire.lignes] == list(range(1, lignes + 1))
    assert lignes <= 2
    totaux = memoire.totaux
    assert totaux.net_a_payer == NET_A_PAYER_PAR_NOMBRE_DE_LIGNES[lignes]
    assert totaux.montant_tva == TVA_PAR_NOMBRE_DE_LIGNES[lignes]
    pieces = (*memoire.pieces, *memoire.pieces_complementaires)
    for piece in pieces:
        contenu = chorus.ports.blobs.lire(piece.sha256)
        assert hashlib.sha256(contenu).hexdigest() == piece.sha256
        assert len(contenu) == piece.taille
    requisitions = [p for p in pieces if p.type_piece is TypePiece.REQUISITION]
    assert len(requisitions) <= 1
    for requisition in requisitions:
        assert chorus.ports.blobs.lire(requisition.sha256) == contenu_requisition(
            memoire.numero_brouillon
        )
    if memoire.statut is StatutMemoire.BROUILLON:
        assert memoire.numero == memoire.numero_brouillon
        assert memoire.certificat is None
        assert len(pieces) <= 1
        return
    assert memoire.statut is StatutMemoire.ENVOYE
    assert _MJ.fullmatch(memoire.numero), memoire.numero
    assert lignes == 2
    assert len(requisitions) == 1
    assert {p.type_piece for p in memoire.pieces} == {
        TypePiece.REQUISITION,
        TypePiece.COORDONNEE_BANCAIRE,
    }
    certificat = memoire.certificat
    assert certificat is not None
    assert certificat.numero == memoire.numero
    assert certificat.net_a_payer == totaux.net_a_payer
    assert certificat.montant_tva == totaux.montant_tva
    assert certificat.montant_ttc_avant_remise == totaux.montant_ttc
    assert [p.sha256 for p in certificat.pieces] == [p.sha256 for p in memoire.pieces]
    assert memoire.empreinte_recalculee() == certificat.empreinte


def parcourir_les_pages(chorus: Chorus, par_page: int) -> list[ResumeMemoire]:
    resumes: list[ResumeMemoire] = []
    page = 1
    with chorus.ports.uow as uow:
        while True:
            lue = uow.requetes.rechercher(TOUS, PAR_NUMERO, Pagination(page, par_page))
            resumes.extend(lue.elements)
            if page * par_page >= lue.total:
                assert len(resumes) == lue.total
                return resumes
            page += 1


def verifier_magasin(
    adaptateur: str,
    url: str,
    monde: Monde,
    rapports: Rapports,
    *,
    deja_vus: Collection[str] = frozenset(),
) -> dict[str, Memoire]:
    """Open the store again and check all of it; the mémoires found, by id.

    `deja_vus` are ids an earlier check went through: the searches by number, slower, are
    run for the others only (every other check runs over every mémoire every time).
    """
    if adaptateur == "sqlite":
        verifier_sqlite_brut(chemin_du_stockage(url))
    with ouvert(url) as chorus:
        with chorus.ports.uow as uow:
            resumes = list(uow.requetes.tous(TOUS, PAR_NUMERO))
            memoires = {r.id: uow.memoires.obtenir(r.id) for r in resumes}
            comptes = uow.requetes.compter_par_statut(
                Perimetre(structures=frozenset({monde.structure_id}))
            )
        # Read once the store finished what the crash interrupted (a files store replays
        # its journal when it is opened).
        bruts = ids_stockes(adaptateur, url)
        # The search and the store agree: the same mémoires, summed up as they are.
        assert len(memoires) == len(resumes)
        assert set(memoires) == bruts
        for resume in resumes:
            assert resume == ResumeMemoire.depuis(memoires[resume.id])
        assert [r.id for r in parcourir_les_pages(chorus, 7)] == [r.id for r in resumes]
        par_statut = collections.Counter(r.statut for r in resumes)
        assert comptes.get(monde.structure_id, {}) == dict(par_statut)
        # No number handed out twice.
        numeros = collections.Counter(m.numero for m in memoires.values())
        assert [n for n, fois in numeros.items() if fois > 1] == []
        brouillons = collections.Counter(m.numero_brouillon for m in memoires.values())
        assert [n for n, fois in brouillons.items() if fois > 1] == []
        # Each mémoire is whole.
        for memoire in memoires.values():
            verifier_memoire(chorus, memoire)
        # What a writer was told is committed is there: committed means durable.
        for identifiant, numero in rapports.brouillons.items():
            assert identifiant in memoires, f"brouillon {numero} perdu"
            assert memoires[identifiant].numero_brouillon == numero
        for identifiant, numero in rapports.envoyes.items():
            assert identifiant in memoires, f"mémoire envoyé {numero} perdu"
            assert memoires[identifiant].numero == numero
            assert memoires[identifiant].statut is StatutMemoire.ENVOYE
        # Every mémoire is found by each of its numbers, and a certificate by its empreinte.
        with chorus.ports.uow as uow:
            for identifiant in sorted(memoires.keys() - set(deja_vus)):
                memoire = memoires[identifiant]
                trouve = uow.memoires.par_numero(memoire.numero)
                assert trouve is not None
                assert trouve.id == identifiant
                assert memoire.numero_brouillon is not None
                for numero in {memoire.numero, memoire.numero_brouillon}:
                    page = uow.requetes.rechercher(
                        CriteresMemoire(filtres=FiltresMemoire(numero=numero)),
                        PAR_NUMERO,
                        Pagination(),
                    )
                    assert [r.id for r in page.elements] == [identifiant]
                if memoire.certificat is not None:
                    certifie = uow.memoires.par_empreinte(memoire.certificat.empreinte)
                    assert certifie is not None
                    assert certifie.id == identifiant
    return memoires


def valeur_mj(numero: str) -> int:
    assert _MJ.fullmatch(numero), numero
    return int(numero[2:])


# -- two writers on one draft ------------------------------------------------------------


def marques_de(memoire: Memoire) -> set[str]:
    """The writers' marks a draft carries (in its header and its lines)."""
    textes = [
        memoire.entete.numero_facture or "",
        memoire.entete.commentaire or "",
        *(ligne.numero_affaire for ligne in memoire.lignes),
    ]
    return {texte.rsplit("-", 1)[1] for texte in textes if texte.startswith("ECRIVAIN-")}


def preparer_edition(
    chorus: Chorus, monde: Monde, lu: Memoire, marque: str, facon: str
) -> Callable[[], str]:
    """The save a writer holding `lu` will attempt, ready to run at once (everything it
    needs is read beforehand): ``GAGNE <version>`` or ``CONFLIT <attendue> <actuelle>``.

    ``facon`` is ``cas`` (the use case, with `version_attendue`) or ``depot`` (the
    repository, saving the aggregate read at its version, with a line added as well).
    """
    nouvelle = entete(
        chorus, monde, numero_facture=f"ECRIVAIN-{marque}", commentaire=f"ECRIVAIN-{marque}"
    )
    aujourdhui = chorus.ports.clock.aujourdhui()
    ligne = attrs.evolve(saisies(aujourdhui)[0], numero_affaire=f"ECRIVAIN-{marque}").en_ligne(
        lu.prochain_numero_ligne(), aujourdhui
    )

    def sauver() -> Memoire:
        if facon == "cas":
            return chorus.memoires.modifier_entete(
                monde.acteur_id, lu.id, nouvelle, version_attendue=lu.version
            )
        assert facon == "depot", facon
        with chorus.ports.uow as uow:
            enregistre = uow.memoires.enregistrer(lu.modifier_entete(nouvelle).ajouter_ligne(ligne))
            uow.commit()
            return enregistre

    def tenter() -> str:
        try:
            enregistre = sauver()
        except ConflitDeVersion as conflit:
            return f"CONFLIT {conflit.attendue} {conflit.actuelle}"
        return f"GAGNE {enregistre.version}"

    return tenter


def attendre_barriere(barriere: Path, delai: float = 60.0) -> None:
    """Wait until the file `barriere` exists (every waiting process starts together)."""
    limite = time.monotonic() + delai
    while not barriere.exists():
        if time.monotonic() > limite:
            raise SystemExit(f"barrière {barriere} jamais levée")
        time.sleep(0.0005)
