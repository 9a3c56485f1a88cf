"""What only the SQLite adapter promises: its schema, its settings, its migrations, and a
database that itself refuses to alter a sent mémoire (beyond the shared contract)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from chorus.adapters.storage.erreurs import StockageInutilisable
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.storage.sqlite.recherche import condition, ordre
from chorus.adapters.storage.sqlite.schema import TABLES
from chorus.domain.acces import Perimetre
from chorus.domain.errors import TransitionInvalide
from chorus.domain.memoire import Memoire
from chorus.domain.statuts import StatutMemoire
from chorus.ports.requetes import CleDeTri, CriteresMemoire, FiltresMemoire, ResumeMemoire, Tri
from tests.contract.agregats import T0, brouillon, entete, envoyer, heure, ligne


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return tmp_path / "chorus.db"


@pytest.fixture
def uow(base: Path) -> Iterator[UniteDeTravailSqlite]:
    unite = UniteDeTravailSqlite(base)
    yield unite
    unite.fermer()


def _brut(base: Path) -> sqlite3.Connection:
    connexion = sqlite3.connect(base, isolation_level=None)
    connexion.execute("PRAGMA foreign_keys = ON")
    return connexion


def _envoye(id_: str = "m-1") -> Memoire:
    draft = brouillon(
        id_,
        "TMP2024000000001",
        entete("s-1"),
        lignes=(ligne(1, tarif_ht="12.10", quantite="1.50"), ligne(2)),
    )
    return envoyer(draft, "MJ00000000001", heure(1))


def _ajouter(uow: UniteDeTravailSqlite, memoire: Memoire) -> None:
    with uow:
        uow.memoires.ajouter(memoire)
        uow.commit()


def test_les_montants_sont_stockes_en_texte_exact(base: Path, uow: UniteDeTravailSqlite) -> None:
    _ajouter(uow, _envoye())
    with _brut(base) as brut:
        tarif, quantite = brut.execute(
            "SELECT tarif_ht, quantite FROM lignes_prestation WHERE numero_ligne = 1"
        ).fetchone()
        ttc, centimes = brut.execute(
            "SELECT montant_ttc, montant_ttc_centimes FROM memoires"
        ).fetchone()
    assert (tarif, quantite) == ("12.10", "1.50")
    assert isinstance(ttc, str)
    assert ttc.split(".")[1].isdigit()
    assert len(ttc.split(".")[1]) == 2
    assert centimes == int(ttc.replace(".", ""))
    with uow:
        relu = uow.memoires.obtenir("m-1")
    assert str(relu.lignes[0].tarif_ht) == "12.10"


def test_tables_strictes_wal_cles_etrangeres_et_attente(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    with _brut(base) as brut:
        strictes = {
            nom
            for nom, strict in brut.execute("SELECT name, strict FROM pragma_table_list")
            if strict
        }
        assert brut.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert strictes >= TABLES
    with uow:
        db = uow.memoires._db
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_une_valeur_du_mauvais_type_est_refusee_par_la_table(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    _ajouter(uow, _envoye())
    with _brut(base) as brut, pytest.raises(sqlite3.IntegrityError, match="cannot store"):
        brut.execute("UPDATE memoires SET version = 'deux'")


def test_les_migrations_sont_appliquees_une_fois(base: Path) -> None:
    for _ in range(3):
        UniteDeTravailSqlite(base).fermer()
    with _brut(base) as brut:
        noms = [n for (n,) in brut.execute("SELECT name FROM _sqlite_migrations")]
    assert noms == [
        "0001_schema_initial",
        "0002_index_de_recherche",
        "0003_index_d_ordre",
        "0004_comptes_par_juridiction",
        "0005_filtres_dans_l_ordre",
        "0006_jetons_et_courriels",
        "0007_purges",
        "0008_demandes_tic",
        "0009_tickets",
        "0010_actualites",
        "0011_activite",
        "0012_flux",
        "0013_lots_statuts",
        "0014_cycle_de_vie",
    ]


def test_une_base_en_0005_passe_en_0006_sans_rien_perdre(base: Path) -> None:
    from sqlite_utils import Database

    from chorus.adapters.storage.sqlite import lignes_sql
    from chorus.adapters.storage.sqlite.schema import MIGRATIONS
    from chorus.domain.jetons import Jeton, NatureJeton
    from tests.contract.agregats import structure_complete

    cabinet = structure_complete("s-1")
    with _brut(base) as brut:
        ancienne = Database(brut)
        MIGRATIONS.apply(ancienne, stop_before="0006_jetons_et_courriels")
        assert "jetons" not in ancienne.table_names()
        ligne = lignes_sql.ligne_structure(cabinet)
        brut.execute(
            f"INSERT INTO structures ({', '.join(ligne)}) VALUES ({', '.join('?' * len(ligne))})",
            list(ligne.values()),
        )
    session = Jeton(
        id="j-1", nature=NatureJeton.SESSION, empreinte="e" * 64, cree_le=T0, expire_le=heure(1)
    )
    unite = UniteDeTravailSqlite(base)
    try:
        with unite:
            assert unite.structures.obtenir("s-1") == cabinet
            unite.jetons.ajouter(session)
            unite.commit()
        with unite:
            assert unite.jetons.par_empreinte("e" * 64) == session
    finally:
        unite.fermer()
    with _brut(base) as brut:
        noms = [n for (n,) in brut.execute("SELECT name FROM _sqlite_migrations")]
    assert noms[4:6] == ["0005_filtres_dans_l_ordre", "0006_jetons_et_courriels"]


def test_jetons_et_courriels_se_lisent_par_un_index_sans_tri(uow: UniteDeTravailSqlite) -> None:
    """The outbox and the sessions grow with use: none of the repositories' reads scans the
    table or sorts (each statement they run is explained as it was run)."""
    from chorus.domain.jetons import NatureJeton

    executees: list[str] = []
    with uow:
        db = uow.jetons._db
        db.conn.set_trace_callback(executees.append)
        try:
            uow.jetons.par_empreinte("e")
            uow.jetons.pour_utilisateur("u-1", NatureJeton.SESSION)
            uow.jetons.pour_structure("s-1", NatureJeton.API)
            uow.jetons.purger(T0)
            uow.courriels.a_envoyer(T0, 10)
            uow.courriels.pour_destinataire("a@exemple.fr")
        finally:
            db.conn.set_trace_callback(None)
        plans = {
            requete: " | ".join(
                ligne["detail"] for ligne in db.execute(f"EXPLAIN QUERY PLAN {requete}")
            )
            for requete in executees
        }
    assert len(plans) == 6, executees
    for requete, plan in plans.items():
        assert "SEARCH" in plan, (requete, plan)
        assert "SCAN" not in plan, (requete, plan)
        assert "TEMP B-TREE" not in plan, (requete, plan)


def test_une_base_d_une_version_plus_recente_est_refusee(base: Path) -> None:
    UniteDeTravailSqlite(base).fermer()
    with _brut(base) as brut:
        brut.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('chorus', '0099_futur', '2030-01-01')"
        )
    with pytest.raises(StockageInutilisable, match="plus récente de Chorus"):
        UniteDeTravailSqlite(base)


@pytest.mark.parametrize(
    "instruction",
    [
        "UPDATE lignes_prestation SET tarif_ht = '1.00' WHERE memoire_id = 'm-1'",
        "DELETE FROM lignes_prestation WHERE memoire_id = 'm-1'",
        "INSERT INTO lignes_prestation SELECT memoire_id, 9, numero_affaire, date_requisition, "
        "autorite_requerante, type_prestation, date_prestation, quantite, tarif_ht, taux_tva, "
        "frais_divers, debours FROM lignes_prestation WHERE numero_ligne = 1",
        "DELETE FROM memoires WHERE id = 'm-1'",
        "UPDATE memoires SET numero = 'MJ00000000999'",
        "UPDATE memoires SET montant_ttc = '0.00'",
        "UPDATE memoires SET document = json_set(document, '$.entete.juridiction_code', 'X')",
        "UPDATE memoires SET document = json_set(document, '$.certificat.empreinte', 'x')",
    ],
)
def test_la_base_refuse_de_changer_un_memoire_envoye(
    base: Path, uow: UniteDeTravailSqlite, instruction: str
) -> None:
    _ajouter(uow, _envoye())
    with _brut(base) as brut:
        avant = brut.execute("SELECT * FROM memoires").fetchall()
        with pytest.raises(sqlite3.IntegrityError, match=r"chorus: .*sent memoire"):
            brut.execute(instruction)
        assert brut.execute("SELECT * FROM memoires").fetchall() == avant
    with uow:
        assert uow.memoires.obtenir("m-1") == _envoye()


def test_un_changement_qui_contourne_le_domaine_est_refuse_sans_rien_ecrire(
    uow: UniteDeTravailSqlite,
) -> None:
    envoye = _envoye()
    _ajouter(uow, envoye)
    # attrs.evolve skips the domain's methods: the database is the last line of defence.
    falsifie = attrs.evolve(
        envoye, lignes=envoye.lignes[:1], entete=attrs.evolve(envoye.entete, numero_facture="F")
    )
    with uow:
        with pytest.raises(TransitionInvalide, match="transmis"):
            uow.memoires.enregistrer(falsifie)
        uow.commit()
    with uow:
        assert uow.memoires.obtenir("m-1") == envoye


def test_le_traitement_d_un_memoire_envoye_reste_possible(uow: UniteDeTravailSqlite) -> None:
    from chorus.domain.traitement import ActionTraitement
    from tests.contract.agregats import traiter

    envoye = _envoye()
    _ajouter(uow, envoye)
    traite = traiter(envoye, ActionTraitement.MISE_A_DISPOSITION, heure(2))
    with uow:
        enregistre = uow.memoires.enregistrer(traite)
        uow.commit()
    with uow:
        assert uow.memoires.obtenir("m-1") == enregistre
        assert uow.requetes.compter_par_statut(Perimetre(frozenset({"s-1"}))) == {
            "s-1": {enregistre.statut: 1}
        }


def test_les_compteurs_suivent_ajouts_envois_et_suppressions(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    brouillons = [
        brouillon(f"m-{n}", f"TMP20240000000{n:02d}", entete("s-1"), lignes=(ligne(1),))
        for n in range(1, 6)
    ]
    with uow:
        for b in brouillons:
            uow.memoires.ajouter(b)
        uow.commit()
    with uow:
        for n, b in enumerate(brouillons[:3], start=1):
            uow.memoires.enregistrer(envoyer(b, f"MJ{n:011d}", heure(n)))
        uow.memoires.supprimer("m-5")
        uow.commit()
    with _brut(base) as brut:
        compteurs = dict(
            brut.execute(
                "SELECT statut, nombre FROM comptes_par_statut WHERE nombre > 0"
            ).fetchall()
        )
        reels = dict(brut.execute("SELECT statut, count(*) FROM memoires GROUP BY statut"))
        par_juridiction = brut.execute(
            "SELECT juridiction_code, statut, nombre FROM comptes_par_juridiction "
            "WHERE nombre > 0 ORDER BY 1, 2"
        ).fetchall()
        reels_par_juridiction = brut.execute(
            "SELECT juridiction_code, statut, count(*) FROM memoires GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    assert compteurs == reels
    assert par_juridiction == reels_par_juridiction
    statut_envoye = envoyer(brouillons[0], "MJ00000000001", heure(1)).statut.value
    assert reels == {StatutMemoire.BROUILLON.value: 1, statut_envoye: 3}


def test_une_unite_partagee_entre_fils_donne_des_numeros_distincts(
    uow: UniteDeTravailSqlite,
) -> None:
    valeurs: list[int] = []
    verrou = threading.Lock()

    def tirer() -> None:
        for _ in range(25):
            with uow:
                valeur = uow.sequences.suivant("MJ")
                uow.commit()
            with verrou:
                valeurs.append(valeur)

    fils = [threading.Thread(target=tirer) for _ in range(4)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(valeurs) == list(range(1, 101))


CRITERES = {
    "numero": FiltresMemoire(numero="MJ00000000001"),
    "service": FiltresMemoire(service_id="svc"),
    "juridiction": FiltresMemoire(juridiction_code="TJ-69123"),
    "engagement": FiltresMemoire(numero_engagement_juridique="NEJ"),
    "categorie": FiltresMemoire(categorie_prestataire="PSYCHIATRE"),
    "texte": FiltresMemoire(texte_reference="A.43-6"),
    "affaire": FiltresMemoire(numero_affaire="AFF"),
    "statut": FiltresMemoire(statuts=frozenset({StatutMemoire.SUSPENDU})),
    "date_depot": FiltresMemoire(date_depot_du=T0.date(), date_depot_au=T0.date()),
    "date_statut": FiltresMemoire(date_statut_du=T0.date()),
}


@pytest.mark.parametrize("nom", list(CRITERES))
@pytest.mark.parametrize("cle", list(CleDeTri), ids=lambda c: c.value)
def test_chaque_recherche_d_un_prestataire_passe_par_un_index(
    uow: UniteDeTravailSqlite, nom: str, cle: CleDeTri
) -> None:
    """No search of a prestataire reads the whole table, whatever the filter and the sort."""
    criteres = CriteresMemoire(CRITERES[nom], perimetre=Perimetre(frozenset({"s-1", "s-2"})))
    ou = condition(criteres)
    with uow:
        plan = " | ".join(
            ligne["detail"]
            for ligne in uow.memoires._db.execute(
                f"EXPLAIN QUERY PLAN SELECT id FROM memoires WHERE {ou.sql} "
                f"ORDER BY {ordre(Tri(cle))} LIMIT 50",
                ou.parametres,
            )
        )
    assert "SCAN memoires" not in plan, plan


def _magasin_de_trois_structures(uow: UniteDeTravailSqlite) -> list[Memoire]:
    from chorus.domain.traitement import ActionTraitement
    from tests.contract.agregats import traiter

    memoires: list[Memoire] = []
    n = 0
    for s, juridiction in (("s-1", "TJ-69123"), ("s-2", "TJ-75056"), ("s-3", "TJ-59350")):
        for k in range(7):
            n += 1
            m = brouillon(
                f"m-{n:02d}",
                f"TMP2024{n:09d}",
                entete(s, juridiction_code=juridiction if k % 3 else "CA-PARIS"),
                lignes=(ligne(1, tarif_ht=f"{(n * 37) % 11 + 1}0.00"),),
                maintenant=heure(n % 5),
            )
            if k % 4:
                m = envoyer(m, f"MJ{n:011d}", heure(10 + (n * 7) % 13))
            if k % 4 == 3:
                m = traiter(m, ActionTraitement.MISE_A_DISPOSITION, heure(30 + n % 3))
            memoires.append(m)
    with uow:
        for m in memoires:
            uow.memoires.ajouter(m)
        uow.commit()
    return memoires


@pytest.mark.parametrize("parcours", [False, True], ids=["trie", "parcours-ou-fusion"])
def test_chaque_plan_de_page_rend_l_ordre_de_reference(
    uow: UniteDeTravailSqlite, monkeypatch: pytest.MonkeyPatch, parcours: bool
) -> None:
    """The three ways of reading a page (sorting the matches, walking an index, merging the
    structures' ordered rows) give the reference order, page after page."""
    from chorus.adapters.storage.sqlite import depots
    from chorus.ports.requetes import Pagination, ResumeMemoire, trier

    memoires = _magasin_de_trois_structures(uow)
    monkeypatch.setattr(depots, "vaut_un_parcours", lambda *_: parcours)
    reference = [ResumeMemoire.depuis(m) for m in memoires]
    perimetres = (
        Perimetre(frozenset({"s-1", "s-2"})),
        Perimetre(frozenset({"s-1", "s-2", "s-3"})),
        Perimetre(frozenset({"s-2"})),
        None,
    )
    with uow:
        for perimetre in perimetres:
            for filtres in (FiltresMemoire(), FiltresMemoire(juridiction_code="CA-PARIS")):
                criteres = CriteresMemoire(filtres, perimetre=perimetre)
                for cle in CleDeTri:
                    for descendant in (False, True):
                        tri = Tri(cle, descendant)
                        attendus = [
                            r.id
                            for r in trier([r for r in reference if r.correspond(criteres)], tri)
                        ]
                        lus: list[str] = []
                        for page in range(1, 8):
                            lus += [
                                r.id
                                for r in uow.requetes.rechercher(
                                    criteres, tri, Pagination(page, 4)
                                ).elements
                            ]
                        assert lus == attendus, (perimetre, filtres, tri)


# -- retention -------------------------------------------------------------------------------


def _paye(uow: UniteDeTravailSqlite) -> Memoire:
    from chorus.domain.traitement import ActionTraitement
    from tests.contract.agregats import traiter

    m = _envoye()
    for n, action in enumerate(
        (
            ActionTraitement.MISE_A_DISPOSITION,
            ActionTraitement.CERTIFICATION,
            ActionTraitement.MISE_EN_PAIEMENT,
        ),
        start=2,
    ):
        m = traiter(m, action, heure(n))
    _ajouter(uow, m)
    return m


def _comptes_exacts(brut: sqlite3.Connection) -> None:
    compteurs = dict(
        brut.execute("SELECT statut, sum(nombre) FROM comptes_par_statut GROUP BY statut")
    )
    reels = dict(brut.execute("SELECT statut, count(*) FROM memoires GROUP BY statut"))
    assert {s: n for s, n in compteurs.items() if n} == reels
    par_juridiction = dict(
        brut.execute("SELECT statut, sum(nombre) FROM comptes_par_juridiction GROUP BY statut")
    )
    assert {s: n for s, n in par_juridiction.items() if n} == reels


def test_un_memoire_envoye_ne_part_que_par_son_entree_au_registre(
    base: Path, uow: UniteDeTravailSqlite
) -> None:
    from chorus.adapters.storage.sqlite.lignes_purges import ligne_purge
    from chorus.domain.conservation import MemoirePurgee

    paye = _paye(uow)
    _ajouter(uow, brouillon("m-2", "TMP2024000000002", entete("s-1"), lignes=(ligne(1),)))
    entree = ligne_purge(MemoirePurgee.de(paye, heure(100)))
    inserer = f"INSERT INTO purges ({', '.join(entree)}) VALUES ({', '.join('?' * len(entree))})"
    with _brut(base) as brut:
        for faussee in (
            {**entree, "memoire_id": "m-2"},  # a draft
            {**entree, "numero": "MJ00000000999"},  # not what is stored
            {**entree, "statut": StatutMemoire.ENVOYE.value},
            {**entree, "memoire_id": "m-inconnu"},
        ):
            with pytest.raises(sqlite3.IntegrityError, match="only a sent memoire"):
                brut.execute(inserer, list(faussee.values()))
        assert brut.execute("SELECT count(*) FROM purges").fetchone()[0] == 0
        assert brut.execute("SELECT count(*) FROM contenus_references").fetchone()[0] > 0

        brut.execute(inserer, list(entree.values()))

        assert brut.execute("SELECT count(*) FROM memoires WHERE id = 'm-1'").fetchone()[0] == 0
        assert (
            brut.execute("SELECT count(*) FROM lignes_prestation WHERE memoire_id = 'm-1'")
        ).fetchone()[0] == 0
        assert (
            brut.execute(
                "SELECT count(*) FROM contenus_references WHERE detenteur_id = 'm-1'"
            ).fetchone()[0]
            == 0
        )
        _comptes_exacts(brut)
        for instruction in (
            "UPDATE purges SET numero = 'X'",
            "DELETE FROM purges",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="register of purges"):
                brut.execute(instruction)
        ligne_memoire = brut.execute("SELECT * FROM memoires WHERE id = 'm-2'").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="purged memoire cannot come back"):
            brut.execute(
                f"INSERT INTO memoires VALUES ({', '.join('?' * len(ligne_memoire))})",
                ["m-1", *ligne_memoire[1:2], "MJ00000000777", *ligne_memoire[3:]],
            )
    with uow:
        assert uow.memoires.purgee("m-1") == MemoirePurgee.de(paye, heure(100))


def test_la_purge_garde_les_compteurs_exacts(base: Path, uow: UniteDeTravailSqlite) -> None:
    paye = _paye(uow)
    with uow:
        uow.memoires.purger(paye.id, heure(100))
        uow.commit()
    with _brut(base) as brut:
        _comptes_exacts(brut)
        assert brut.execute("SELECT count(*) FROM memoires").fetchone()[0] == 0


def test_les_candidats_a_la_purge_se_lisent_par_l_index_des_depots(
    uow: UniteDeTravailSqlite,
) -> None:
    from chorus.domain.conservation import STATUTS_FINAUX

    paye = _paye(uow)
    resume = _resumes(uow)[0]
    executees: list[str] = []
    with uow:
        db = uow.memoires._db
        db.conn.set_trace_callback(executees.append)
        try:
            uow.memoires.a_purger(
                deposes_avant=heure(100), statuts=STATUTS_FINAUX, apres=resume, limite=500
            )
            uow.memoires.contenus_references({"a" * 64}, sauf={paye.id})
            uow.structures.contenus_references({"a" * 64})
        finally:
            db.conn.set_trace_callback(None)
        plans = [
            " | ".join(ligne["detail"] for ligne in db.execute(f"EXPLAIN QUERY PLAN {requete}"))
            for requete in executees
        ]
    assert len(plans) == 3, executees
    for plan in plans:
        assert "SCAN memoires" not in plan, plan
        assert "SCAN contenus_references" not in plan, plan
    # In the order of deposits: only ties on the instant are sorted, never a whole status.
    assert "USING INDEX memoires_date_depot (date_depot>? AND date_depot<?)" in plans[0]
    assert "TEMP B-TREE FOR ORDER BY" not in plans[0], plans[0]


def _resumes(uow: UniteDeTravailSqlite) -> list[ResumeMemoire]:
    with uow:
        return list(uow.requetes.tous(CriteresMemoire(FiltresMemoire()), Tri()))


def test_une_base_en_0006_passe_en_0007_avec_les_references_de_ses_contenus(base: Path) -> None:
    import hashlib

    from sqlite_utils import Database

    from chorus.adapters.storage.sqlite import lignes_sql
    from chorus.adapters.storage.sqlite.schema import MIGRATIONS
    from tests.contract.agregats import PDF, memoire_complete, structure_complete

    cabinet = structure_complete("s-1")
    paye = memoire_complete("m-1", structure_id="s-1")
    with _brut(base) as brut:
        ancienne = Database(brut)
        MIGRATIONS.apply(ancienne, stop_before="0007_purges")
        for table, ligne_ in (
            ("structures", lignes_sql.ligne_structure(cabinet)),
            ("memoires", lignes_sql.ligne_memoire(paye)),
        ):
            brut.execute(
                f"INSERT INTO {table} ({', '.join(ligne_)}) "
                f"VALUES ({', '.join('?' * len(ligne_))})",
                list(ligne_.values()),
            )
    adresses = {p.sha256 for p in (*paye.pieces, *paye.pieces_complementaires)}
    du_pool = {p.sha256 for p in cabinet.pieces}
    unite = UniteDeTravailSqlite(base)
    try:
        with unite:
            cherches = adresses | du_pool | {hashlib.sha256(b"autre").hexdigest()}
            assert unite.memoires.contenus_references(cherches) == adresses
            assert unite.structures.contenus_references(cherches) == du_pool
            assert hashlib.sha256(PDF).hexdigest() in adresses
    finally:
        unite.fermer()
