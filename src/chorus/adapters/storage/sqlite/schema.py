"""The database schema, as numbered migrations applied when a database is opened.

Each aggregate is one row whose typed columns are what searches, sorts, uniqueness and
counters need, and whose `document` column holds the rest of it as the codec's JSON (so that
a field added to the domain needs no migration to be stored). A mémoire's lines of service
have their own table: they are what a mémoire is made of, they are searched by case number,
and the database itself refuses to change them once the mémoire is sent.

Instants are stored as integer microseconds since 1970-01-01 UTC (exact, sortable, compact
in indexes); amounts as the decimal's text (``"12.10"`` comes back as ``12.10``), with an
integer number of cents beside the amounts lists are sorted by.

Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from chorus.adapters.storage.sqlite import (
    schema_activite,
    schema_actualites,
    schema_cycle_de_vie,
    schema_flux,
    schema_lots_statuts,
    schema_tickets,
)

MIGRATIONS = Migrations("chorus")


_SCHEMA_INITIAL = (
    """
    CREATE TABLE structures (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        type_identifiant TEXT NOT NULL,
        identifiant TEXT NOT NULL,
        raison_sociale TEXT NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document)),
        UNIQUE (type_identifiant, identifiant)
    ) STRICT
    """,
    # Who is attached to which structure, for « my structures » without reading them all.
    """
    CREATE TABLE rattachements (
        utilisateur_id TEXT NOT NULL,
        structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
        PRIMARY KEY (utilisateur_id, structure_id)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TABLE utilisateurs (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        email TEXT NOT NULL UNIQUE,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    """
    CREATE TABLE memoires (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        numero TEXT NOT NULL UNIQUE,
        numero_brouillon TEXT,
        statut TEXT NOT NULL,
        structure_id TEXT NOT NULL,
        service_id TEXT,
        juridiction_code TEXT NOT NULL,
        categorie_prestataire TEXT,
        texte_reference TEXT NOT NULL,
        numero_engagement_juridique TEXT,
        numero_facture TEXT,
        mode_depot TEXT NOT NULL,
        date_creation INTEGER NOT NULL,
        date_depot INTEGER,
        date_statut INTEGER NOT NULL,
        montant_ht TEXT NOT NULL,
        montant_tva TEXT NOT NULL,
        montant_ttc TEXT NOT NULL,
        net_a_payer TEXT NOT NULL,
        montant_ttc_centimes INTEGER NOT NULL,
        net_a_payer_centimes INTEGER NOT NULL,
        montant_paye TEXT,
        date_paiement TEXT,
        numeros_affaire TEXT NOT NULL CHECK (json_valid(numeros_affaire)),
        parent_id TEXT,
        empreinte TEXT UNIQUE,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # Lines reference their mémoire with a deferred key: a new mémoire's lines are written
    # before its row, which lets the trigger below tell « lines of a mémoire being stored »
    # from « lines added to a mémoire already sent ».
    """
    CREATE TABLE lignes_prestation (
        memoire_id TEXT NOT NULL
            REFERENCES memoires (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        numero_ligne INTEGER NOT NULL,
        numero_affaire TEXT NOT NULL,
        date_requisition TEXT NOT NULL,
        autorite_requerante TEXT NOT NULL,
        type_prestation TEXT NOT NULL,
        date_prestation TEXT NOT NULL,
        quantite TEXT NOT NULL,
        tarif_ht TEXT NOT NULL,
        taux_tva TEXT NOT NULL,
        frais_divers TEXT NOT NULL CHECK (json_valid(frais_divers)),
        debours TEXT NOT NULL,
        PRIMARY KEY (memoire_id, numero_ligne)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TABLE sequences (
        nom TEXT PRIMARY KEY,
        valeur INTEGER NOT NULL CHECK (valeur >= 1)
    ) STRICT, WITHOUT ROWID
    """,
    # The tableau de bord's counts, kept by the triggers below in the same transaction as
    # the change: a GROUP BY over a million mémoires is too slow to run at each display.
    """
    CREATE TABLE comptes_par_statut (
        structure_id TEXT NOT NULL,
        service_id TEXT NOT NULL,
        statut TEXT NOT NULL,
        nombre INTEGER NOT NULL CHECK (nombre >= 0),
        PRIMARY KEY (structure_id, service_id, statut)
    ) STRICT, WITHOUT ROWID
    """,
    # One index per way of reaching mémoires: a prestataire's lists go through his
    # structures, an agent's through his juridictions; each is ordered by the usual sorts.
    "CREATE INDEX memoires_structure_statut ON memoires (structure_id, statut, date_statut)",
    "CREATE INDEX memoires_structure_date_statut ON memoires (structure_id, date_statut)",
    "CREATE INDEX memoires_structure_date_depot ON memoires (structure_id, date_depot)",
    "CREATE INDEX memoires_structure_date_creation ON memoires (structure_id, date_creation)",
    "CREATE INDEX memoires_structure_montant_ttc ON memoires (structure_id, montant_ttc_centimes)",
    "CREATE INDEX memoires_structure_net ON memoires (structure_id, net_a_payer_centimes)",
    "CREATE INDEX memoires_structure_service ON memoires (structure_id, service_id, date_statut)",
    "CREATE INDEX memoires_juridiction_statut ON memoires (juridiction_code, statut, date_statut)",
    "CREATE INDEX memoires_juridiction_date_statut ON memoires (juridiction_code, date_statut)",
    "CREATE INDEX memoires_numero_brouillon ON memoires (numero_brouillon)",
    "CREATE INDEX memoires_engagement ON memoires (numero_engagement_juridique)",
    "CREATE INDEX memoires_categorie ON memoires (categorie_prestataire, date_statut)",
    "CREATE INDEX memoires_texte ON memoires (texte_reference, date_statut)",
    "CREATE INDEX memoires_date_statut ON memoires (date_statut)",
    "CREATE INDEX memoires_date_depot ON memoires (date_depot)",
    "CREATE INDEX memoires_parent ON memoires (parent_id)",
    "CREATE INDEX lignes_affaire ON lignes_prestation (numero_affaire, memoire_id)",
    # -- counters ---------------------------------------------------------------------
    """
    CREATE TRIGGER memoires_compter_ajout AFTER INSERT ON memoires
    BEGIN
        INSERT INTO comptes_par_statut (structure_id, service_id, statut, nombre)
        VALUES (NEW.structure_id, coalesce(NEW.service_id, ''), NEW.statut, 1)
        ON CONFLICT (structure_id, service_id, statut) DO UPDATE SET nombre = nombre + 1;
    END
    """,
    """
    CREATE TRIGGER memoires_compter_suppression AFTER DELETE ON memoires
    BEGIN
        UPDATE comptes_par_statut SET nombre = nombre - 1
        WHERE structure_id = OLD.structure_id
          AND service_id = coalesce(OLD.service_id, '')
          AND statut = OLD.statut;
    END
    """,
    """
    CREATE TRIGGER memoires_compter_changement
    AFTER UPDATE OF statut, structure_id, service_id ON memoires
    WHEN NEW.statut IS NOT OLD.statut
      OR NEW.structure_id IS NOT OLD.structure_id
      OR NEW.service_id IS NOT OLD.service_id
    BEGIN
        UPDATE comptes_par_statut SET nombre = nombre - 1
        WHERE structure_id = OLD.structure_id
          AND service_id = coalesce(OLD.service_id, '')
          AND statut = OLD.statut;
        INSERT INTO comptes_par_statut (structure_id, service_id, statut, nombre)
        VALUES (NEW.structure_id, coalesce(NEW.service_id, ''), NEW.statut, 1)
        ON CONFLICT (structure_id, service_id, statut) DO UPDATE SET nombre = nombre + 1;
    END
    """,
    # -- what is sent stays as it was sent ------------------------------------------------
    # The domain already refuses these changes; the database refuses them too, so that no
    # bug and no hand-written SQL can alter a sent mémoire behind the domain's back.
    """
    CREATE TRIGGER memoires_envoyes_non_supprimes BEFORE DELETE ON memoires
    WHEN OLD.statut <> 'BROUILLON'
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a sent memoire cannot be deleted');
    END
    """,
    """
    CREATE TRIGGER memoires_envoyes_figes BEFORE UPDATE ON memoires
    WHEN OLD.statut <> 'BROUILLON' AND (
        NEW.numero IS NOT OLD.numero
        OR NEW.empreinte IS NOT OLD.empreinte
        OR NEW.structure_id IS NOT OLD.structure_id
        OR NEW.montant_ttc IS NOT OLD.montant_ttc
        OR NEW.net_a_payer IS NOT OLD.net_a_payer
        OR json_extract(NEW.document, '$.entete') IS NOT json_extract(OLD.document, '$.entete')
        OR json_extract(NEW.document, '$.certificat')
            IS NOT json_extract(OLD.document, '$.certificat')
        OR json_extract(NEW.document, '$.prestataire')
            IS NOT json_extract(OLD.document, '$.prestataire')
    )
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a sent memoire cannot be changed');
    END
    """,
    """
    CREATE TRIGGER lignes_envoyees_sans_ajout BEFORE INSERT ON lignes_prestation
    WHEN (SELECT statut FROM memoires WHERE id = NEW.memoire_id) <> 'BROUILLON'
    BEGIN
        SELECT RAISE (ABORT, 'chorus: the lines of a sent memoire cannot be changed');
    END
    """,
    """
    CREATE TRIGGER lignes_envoyees_sans_changement BEFORE UPDATE ON lignes_prestation
    WHEN (SELECT statut FROM memoires WHERE id = OLD.memoire_id) <> 'BROUILLON'
    BEGIN
        SELECT RAISE (ABORT, 'chorus: the lines of a sent memoire cannot be changed');
    END
    """,
    """
    CREATE TRIGGER lignes_envoyees_sans_suppression BEFORE DELETE ON lignes_prestation
    WHEN (SELECT statut FROM memoires WHERE id = OLD.memoire_id) <> 'BROUILLON'
    BEGIN
        SELECT RAISE (ABORT, 'chorus: the lines of a sent memoire cannot be changed');
    END
    """,
)

# What the triggers raise, to tell their refusals from other integrity errors.
PREFIXE_DES_REFUS = "chorus: "


@MIGRATIONS(name="0001_schema_initial")
def _schema_initial(db: Database) -> None:
    for instruction in _SCHEMA_INITIAL:
        db.execute(instruction)


_INDEX_DE_RECHERCHE = (
    # Measured on the benchmark (1M mémoires): a filter within a large structure must be
    # counted from an index, not by reading the structure's rows.
    "DROP INDEX memoires_categorie",
    "DROP INDEX memoires_texte",
    "CREATE INDEX memoires_structure_juridiction ON memoires (structure_id, juridiction_code)",
    "CREATE INDEX memoires_structure_categorie ON memoires (structure_id, categorie_prestataire)",
    "CREATE INDEX memoires_structure_texte ON memoires (structure_id, texte_reference)",
    "CREATE INDEX memoires_structure_numero ON memoires (structure_id, numero)",
    "CREATE INDEX memoires_juridiction_structure ON memoires (juridiction_code, structure_id)",
    "CREATE INDEX memoires_juridiction_categorie ON memoires "
    "(juridiction_code, categorie_prestataire)",
    "CREATE INDEX memoires_juridiction_texte ON memoires (juridiction_code, texte_reference)",
    "CREATE INDEX memoires_juridiction_date_depot ON memoires (juridiction_code, date_depot)",
    # Whole-table orders, walked while filtering when the matches are too many to sort.
    "CREATE INDEX memoires_date_creation ON memoires (date_creation)",
    "CREATE INDEX memoires_montant_ttc ON memoires (montant_ttc_centimes)",
    "CREATE INDEX memoires_net ON memoires (net_a_payer_centimes)",
    "CREATE INDEX memoires_statut ON memoires (statut, date_statut)",
    "CREATE INDEX memoires_service ON memoires (service_id)",
)


@MIGRATIONS(name="0002_index_de_recherche")
def _index_de_recherche(db: Database) -> None:
    for instruction in _INDEX_DE_RECHERCHE:
        db.execute(instruction)


_INDEX_D_ORDRE = (
    # Ties on a sort key are broken by id: with the id in the index, a page is read in
    # order without sorting each run of equal keys (measured: 94 → 11 ms, 675 → 37 ms).
    "CREATE INDEX memoires_juridiction_id ON memoires (juridiction_code, id)",
    "CREATE INDEX memoires_statut_id ON memoires (statut, id)",
    "CREATE INDEX memoires_structure_juridiction_id ON memoires "
    "(structure_id, juridiction_code, id)",
    "CREATE INDEX memoires_structure_statut_id ON memoires (structure_id, statut, id)",
    "CREATE INDEX memoires_juridiction_statut_id ON memoires (juridiction_code, statut, id)",
    "CREATE INDEX memoires_juridiction_numero ON memoires (juridiction_code, numero)",
    "CREATE INDEX memoires_juridiction_date_creation ON memoires (juridiction_code, date_creation)",
    "CREATE INDEX memoires_juridiction_montant_ttc ON memoires "
    "(juridiction_code, montant_ttc_centimes)",
    "CREATE INDEX memoires_juridiction_net ON memoires (juridiction_code, net_a_payer_centimes)",
    # A liste fiscale adds up a year of a structure's payments from the index alone.
    "DROP INDEX memoires_structure_statut",
    "CREATE INDEX memoires_structure_statut_montants ON memoires "
    "(structure_id, statut, date_statut, montant_ht, montant_tva, montant_ttc, net_a_payer, "
    "montant_paye)",
)


@MIGRATIONS(name="0003_index_d_ordre")
def _index_d_ordre(db: Database) -> None:
    for instruction in _INDEX_D_ORDRE:
        db.execute(instruction)


_COMPTES_PAR_JURIDICTION = (
    # An agent's searches count a whole court's mémoires (150,000 in Paris on the
    # benchmark: 15–25 ms each from an index); the counts are kept as for the structures.
    """
    CREATE TABLE comptes_par_juridiction (
        juridiction_code TEXT NOT NULL,
        statut TEXT NOT NULL,
        nombre INTEGER NOT NULL CHECK (nombre >= 0),
        PRIMARY KEY (juridiction_code, statut)
    ) STRICT, WITHOUT ROWID
    """,
    """
    INSERT INTO comptes_par_juridiction (juridiction_code, statut, nombre)
    SELECT juridiction_code, statut, count(*) FROM memoires GROUP BY juridiction_code, statut
    """,
    """
    CREATE TRIGGER memoires_compter_ajout_juridiction AFTER INSERT ON memoires
    BEGIN
        INSERT INTO comptes_par_juridiction (juridiction_code, statut, nombre)
        VALUES (NEW.juridiction_code, NEW.statut, 1)
        ON CONFLICT (juridiction_code, statut) DO UPDATE SET nombre = nombre + 1;
    END
    """,
    """
    CREATE TRIGGER memoires_compter_suppression_juridiction AFTER DELETE ON memoires
    BEGIN
        UPDATE comptes_par_juridiction SET nombre = nombre - 1
        WHERE juridiction_code = OLD.juridiction_code AND statut = OLD.statut;
    END
    """,
    """
    CREATE TRIGGER memoires_compter_changement_juridiction
    AFTER UPDATE OF statut, juridiction_code ON memoires
    WHEN NEW.statut IS NOT OLD.statut OR NEW.juridiction_code IS NOT OLD.juridiction_code
    BEGIN
        UPDATE comptes_par_juridiction SET nombre = nombre - 1
        WHERE juridiction_code = OLD.juridiction_code AND statut = OLD.statut;
        INSERT INTO comptes_par_juridiction (juridiction_code, statut, nombre)
        VALUES (NEW.juridiction_code, NEW.statut, 1)
        ON CONFLICT (juridiction_code, statut) DO UPDATE SET nombre = nombre + 1;
    END
    """,
)


@MIGRATIONS(name="0004_comptes_par_juridiction")
def _comptes_par_juridiction(db: Database) -> None:
    for instruction in _COMPTES_PAR_JURIDICTION:
        db.execute(instruction)


_COLONNES = {
    "structure": "structure_id",
    "juridiction": "juridiction_code",
    "categorie": "categorie_prestataire",
    "texte": "texte_reference",
}

_FILTRES_DANS_L_ORDRE = (
    # A filter over many mémoires (a court's catégorie, a large structure's court) is read
    # in the default order (date de statut) from its index instead of sorted afterwards.
    *(
        instruction
        for ancre, filtre in (
            ("structure", "juridiction"),
            ("structure", "categorie"),
            ("structure", "texte"),
            ("juridiction", "structure"),
            ("juridiction", "categorie"),
            ("juridiction", "texte"),
        )
        for instruction in (
            f"DROP INDEX memoires_{ancre}_{filtre}",
            f"CREATE INDEX memoires_{ancre}_{filtre} ON memoires "
            f"({_COLONNES[ancre]}, {_COLONNES[filtre]}, date_statut)",
        )
    ),
)


@MIGRATIONS(name="0005_filtres_dans_l_ordre")
def _filtres_dans_l_ordre(db: Database) -> None:
    for instruction in _FILTRES_DANS_L_ORDRE:
        db.execute(instruction)


_JETONS_ET_COURRIELS = (
    # Secrets are looked up by their hash only; the owner's columns list a user's sessions
    # or a structure's API tokens, `expire_le` lets the purge delete without a full scan.
    """
    CREATE TABLE jetons (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        nature TEXT NOT NULL,
        empreinte TEXT NOT NULL UNIQUE,
        utilisateur_id TEXT,
        structure_id TEXT,
        cree_le INTEGER NOT NULL,
        expire_le INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    "CREATE INDEX jetons_utilisateur ON jetons (utilisateur_id, nature, cree_le, id) "
    "WHERE utilisateur_id IS NOT NULL",
    "CREATE INDEX jetons_structure ON jetons (structure_id, nature, cree_le, id) "
    "WHERE structure_id IS NOT NULL",
    "CREATE INDEX jetons_expiration ON jetons (expire_le)",
    """
    CREATE TABLE courriels (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        destinataire TEXT NOT NULL,
        cree_le INTEGER NOT NULL,
        disponible_le INTEGER NOT NULL,
        envoye_le INTEGER,
        tentatives INTEGER NOT NULL CHECK (tentatives >= 0),
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # The sender's query reads only the unsent emails, in the order it takes them; the
    # outbox keeps every email sent, which this index leaves out.
    "CREATE INDEX courriels_a_envoyer ON courriels (disponible_le, id, tentatives) "
    "WHERE envoye_le IS NULL",
    "CREATE INDEX courriels_destinataire ON courriels (destinataire, cree_le, id)",
)


@MIGRATIONS(name="0006_jetons_et_courriels")
def _jetons_et_courriels(db: Database) -> None:
    for instruction in _JETONS_ET_COURRIELS:
        db.execute(instruction)


# -- retention (DESIGN 3.4) ----------------------------------------------------------------

# The blob-store addresses a mémoire or a structure refers to — what
# `conservation.contenus` says of a mémoire, and a structure's pool of pièces — as the
# lists of its document they sit in, and the single addresses.
_LISTES_DE_PIECES = {
    "memoire": ("$.pieces", "$.pieces_complementaires"),
    "structure": ("$.pieces",),
}
_ADRESSES_SEULES = {"memoire": ("$.certificat.document_sha256",), "structure": ()}
_TABLES_DES_DETENTEURS = {"memoire": "memoires", "structure": "structures"}


def _chemins(detenteur: str) -> str:
    return ", ".join(
        f"'{c}'" for c in (*_LISTES_DE_PIECES[detenteur], *_ADRESSES_SEULES[detenteur])
    )


def _adresses(detenteur: str, ligne: str, table: str | None = None) -> str:
    """A SELECT of (sha256, detenteur_id): the addresses the row `ligne` holds (NEW or OLD
    in a trigger) or, with `table`, those of every row of it (`ligne` is then its alias).

    The document is parsed once (a million of them take half a minute per parse): one
    `json_extract` of every path, whose result is small to walk — with several paths, an
    array of their values, the single addresses among its items."""
    listes = _LISTES_DE_PIECES[detenteur]
    seules = [
        f"'$[{rang}]'"
        for rang in range(len(listes), len(listes) + len(_ADRESSES_SEULES[detenteur]))
    ]
    condition = "n.key = 'sha256'" + (f" OR n.fullkey IN ({', '.join(seules)})" if seules else "")
    de = f"{table} AS {ligne}, " if table else ""
    return (
        f"SELECT n.atom AS sha256, {ligne}.id AS detenteur_id "
        f"FROM {de}json_tree(json_extract({ligne}.document, {_chemins(detenteur)})) AS n "
        f"WHERE ({condition}) AND n.atom IS NOT NULL"
    )


def _references_tenues(detenteur: str) -> tuple[str, ...]:
    """The triggers that keep `contenus_references` exact for one kind of holder, in the
    same transaction as the change, whoever writes the row (the benchmark's loader too),
    then the references of the rows already stored.

    A holder's references are exactly the addresses its document holds: they are
    forgotten by those addresses (the table's key), so no second index is needed."""
    table = _TABLES_DES_DETENTEURS[detenteur]

    def inserer(ligne: str, de: str | None = None) -> str:
        return (
            "INSERT OR IGNORE INTO contenus_references (sha256, detenteur, detenteur_id) "
            f"SELECT sha256, '{detenteur}', detenteur_id FROM ({_adresses(detenteur, ligne, de)})"
            # Millions of rows at once go in in key order: appended, not scattered.
            + (" ORDER BY sha256, detenteur_id" if de else "")
        )

    oublier = (
        f"DELETE FROM contenus_references WHERE detenteur = '{detenteur}' "
        f"AND detenteur_id = OLD.id AND sha256 IN (SELECT sha256 FROM "
        f"({_adresses(detenteur, 'OLD')}))"
    )
    chemins = _chemins(detenteur)
    return (
        f"CREATE TRIGGER {table}_contenus_ajout AFTER INSERT ON {table} "
        f"BEGIN {inserer('NEW')}; END",
        # Only a change of what holds addresses rewrites the references (a mémoire's
        # status changes far more often than its pièces).
        f"CREATE TRIGGER {table}_contenus_changement AFTER UPDATE OF document ON {table} "
        f"WHEN json_extract(NEW.document, {chemins}) IS NOT json_extract(OLD.document, {chemins}) "
        f"BEGIN {oublier}; {inserer('NEW')}; END",
        f"CREATE TRIGGER {table}_contenus_suppression AFTER DELETE ON {table} BEGIN {oublier}; END",
        inserer("t", table),
    )


_PURGES = (
    # The register of purges: what the retention purge removed, kept for ever (the entry's
    # columns for SQL, its whole `MemoirePurgee` in `document`).
    """
    CREATE TABLE purges (
        memoire_id TEXT PRIMARY KEY,
        numero TEXT NOT NULL,
        structure_id TEXT NOT NULL,
        juridiction_code TEXT NOT NULL,
        date_depot INTEGER NOT NULL,
        statut TEXT NOT NULL,
        date_purge INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # Which contents are still referenced, by whom: the purge deletes a content from the
    # blob store only when no row here names it. Kept by triggers (`_references_tenues`).
    """
    CREATE TABLE contenus_references (
        sha256 TEXT NOT NULL,
        detenteur TEXT NOT NULL CHECK (detenteur IN ('memoire', 'structure')),
        detenteur_id TEXT NOT NULL,
        PRIMARY KEY (sha256, detenteur, detenteur_id)
    ) STRICT, WITHOUT ROWID
    """,
    # A sent mémoire leaves only by the purge, and the purge is the writing of its entry:
    # an entry describes a sent mémoire stored, its trigger deletes that mémoire's lines
    # and row in the same statement, and the delete triggers let these through because
    # the entry exists. No entry thus ever stands beside its mémoire, and a purged id
    # never comes back: « the register holds this id » means « it is being purged now ».
    """
    CREATE TRIGGER purges_d_un_memoire_envoye BEFORE INSERT ON purges
    WHEN NOT EXISTS (
        SELECT 1 FROM memoires
        WHERE id = NEW.memoire_id AND numero = NEW.numero AND statut = NEW.statut
          AND statut <> 'BROUILLON'
    )
    BEGIN
        SELECT RAISE (ABORT, 'chorus: only a sent memoire stored can be purged');
    END
    """,
    """
    CREATE TRIGGER purges_retirer_le_memoire AFTER INSERT ON purges
    BEGIN
        DELETE FROM lignes_prestation WHERE memoire_id = NEW.memoire_id;
        DELETE FROM memoires WHERE id = NEW.memoire_id;
    END
    """,
    """
    CREATE TRIGGER purges_sans_changement BEFORE UPDATE ON purges
    BEGIN
        SELECT RAISE (ABORT, 'chorus: the register of purges cannot be changed');
    END
    """,
    """
    CREATE TRIGGER purges_sans_suppression BEFORE DELETE ON purges
    BEGIN
        SELECT RAISE (ABORT, 'chorus: the register of purges cannot be changed');
    END
    """,
    """
    CREATE TRIGGER memoires_purges_sans_retour BEFORE INSERT ON memoires
    WHEN EXISTS (SELECT 1 FROM purges WHERE memoire_id = NEW.id)
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a purged memoire cannot come back');
    END
    """,
    "DROP TRIGGER memoires_envoyes_non_supprimes",
    """
    CREATE TRIGGER memoires_envoyes_non_supprimes BEFORE DELETE ON memoires
    WHEN OLD.statut <> 'BROUILLON'
      AND NOT EXISTS (SELECT 1 FROM purges WHERE memoire_id = OLD.id)
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a sent memoire cannot be deleted');
    END
    """,
    "DROP TRIGGER lignes_envoyees_sans_suppression",
    """
    CREATE TRIGGER lignes_envoyees_sans_suppression BEFORE DELETE ON lignes_prestation
    WHEN (SELECT statut FROM memoires WHERE id = OLD.memoire_id) <> 'BROUILLON'
      AND NOT EXISTS (SELECT 1 FROM purges WHERE memoire_id = OLD.memoire_id)
    BEGIN
        SELECT RAISE (ABORT, 'chorus: the lines of a sent memoire cannot be changed');
    END
    """,
    *_references_tenues("memoire"),
    *_references_tenues("structure"),
)


@MIGRATIONS(name="0007_purges")
def _purges(db: Database) -> None:
    for instruction in _PURGES:
        db.execute(instruction)


# -- demandes de remboursement TIC/TICGN (DESIGN 3.5) ---------------------------------------

# The blob-store addresses a demande's document holds: its pièces' (and its certificate's
# list of them), and its certificate's PDF.
_ADRESSES_TIC = (
    "SELECT n.atom AS sha256 FROM json_tree({ligne}.document) AS n "
    "WHERE (n.key = 'sha256' OR (n.key = 'document_sha256' AND n.path = '$.certificat')) "
    "AND n.atom IS NOT NULL"
)
_CHEMINS_TIC = "'$.pieces', '$.certificat'"


def _inserer_adresses_tic(ligne: str) -> str:
    return (
        "INSERT OR IGNORE INTO contenus_tic (sha256, demande_id) "
        f"SELECT sha256, {ligne}.id FROM ({_ADRESSES_TIC.format(ligne=ligne)})"
    )


_DEMANDES_TIC = (
    # One row per demande: the columns searches, sorts, uniqueness and counts need, and the
    # whole aggregate in `document` (a demande has at most 50 lines: they stay inside it).
    """
    CREATE TABLE demandes_tic (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        numero TEXT NOT NULL UNIQUE,
        structure_id TEXT NOT NULL,
        annee INTEGER NOT NULL,
        campagne INTEGER NOT NULL,
        statut TEXT NOT NULL,
        date_creation INTEGER NOT NULL,
        date_depot INTEGER,
        date_statut INTEGER NOT NULL,
        montant_total TEXT NOT NULL,
        montant_total_centimes INTEGER NOT NULL,
        montant_accorde TEXT,
        date_paiement TEXT,
        nombre_lignes INTEGER NOT NULL CHECK (nombre_lignes >= 0),
        produits TEXT NOT NULL CHECK (json_valid(produits)),
        parent_id TEXT,
        siret TEXT,
        raison_sociale TEXT,
        document TEXT NOT NULL CHECK (json_valid(document))
    ) STRICT
    """,
    # « Une demande par structure et par année, sauf après un rejet »: the database itself
    # refuses a second one, so that two concurrent creations cannot both pass.
    "CREATE UNIQUE INDEX demandes_tic_une_par_annee ON demandes_tic (structure_id, annee) "
    "WHERE statut <> 'REJETEE'",
    "CREATE INDEX demandes_tic_structure_statut ON demandes_tic (structure_id, statut)",
    "CREATE INDEX demandes_tic_structure_date_statut ON demandes_tic (structure_id, date_statut)",
    "CREATE INDEX demandes_tic_statut ON demandes_tic (statut, date_statut)",
    "CREATE INDEX demandes_tic_date_statut ON demandes_tic (date_statut)",
    "CREATE INDEX demandes_tic_date_depot ON demandes_tic (date_depot)",
    # « Mon suivi »: every history entry with what the feed sorts and shows, so that the
    # latest entries of a farmer's structures come from an index, not from every document.
    # Written by the repository with the row; they go with it.
    """
    CREATE TABLE evenements_tic (
        demande_id TEXT NOT NULL REFERENCES demandes_tic (id) ON DELETE CASCADE,
        rang INTEGER NOT NULL,
        structure_id TEXT NOT NULL,
        numero TEXT NOT NULL,
        date_maj INTEGER NOT NULL,
        document TEXT NOT NULL CHECK (json_valid(document)),
        PRIMARY KEY (demande_id, rang)
    ) STRICT, WITHOUT ROWID
    """,
    "CREATE INDEX evenements_tic_structure ON evenements_tic (structure_id, date_maj)",
    # The addresses each demande refers to, for the retention purge; kept by triggers.
    """
    CREATE TABLE contenus_tic (
        sha256 TEXT NOT NULL,
        demande_id TEXT NOT NULL,
        PRIMARY KEY (sha256, demande_id)
    ) STRICT, WITHOUT ROWID
    """,
    "CREATE INDEX contenus_tic_demande ON contenus_tic (demande_id)",
    f"CREATE TRIGGER demandes_tic_contenus_ajout AFTER INSERT ON demandes_tic "
    f"BEGIN {_inserer_adresses_tic('NEW')}; END",
    f"CREATE TRIGGER demandes_tic_contenus_changement AFTER UPDATE OF document ON demandes_tic "
    f"WHEN json_extract(NEW.document, {_CHEMINS_TIC}) "
    f"IS NOT json_extract(OLD.document, {_CHEMINS_TIC}) "
    f"BEGIN DELETE FROM contenus_tic WHERE demande_id = OLD.id; "
    f"{_inserer_adresses_tic('NEW')}; END",
    "CREATE TRIGGER demandes_tic_contenus_suppression AFTER DELETE ON demandes_tic "
    "BEGIN DELETE FROM contenus_tic WHERE demande_id = OLD.id; END",
    # What is sent stays as it was sent: the domain refuses these changes, the database too.
    """
    CREATE TRIGGER demandes_tic_envoyees_non_supprimees BEFORE DELETE ON demandes_tic
    WHEN OLD.statut <> 'BROUILLON'
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a sent demande TIC cannot be deleted');
    END
    """,
    """
    CREATE TRIGGER demandes_tic_envoyees_figees BEFORE UPDATE ON demandes_tic
    WHEN OLD.statut <> 'BROUILLON' AND (
        NEW.statut = 'BROUILLON'
        OR NEW.id IS NOT OLD.id
        OR NEW.numero IS NOT OLD.numero
        OR NEW.structure_id IS NOT OLD.structure_id
        OR NEW.annee IS NOT OLD.annee
        OR NEW.campagne IS NOT OLD.campagne
        OR NEW.date_depot IS NOT OLD.date_depot
        OR NEW.montant_total IS NOT OLD.montant_total
        OR json_extract(NEW.document, '$.entete') IS NOT json_extract(OLD.document, '$.entete')
        OR json_extract(NEW.document, '$.lignes') IS NOT json_extract(OLD.document, '$.lignes')
        OR json_extract(NEW.document, '$.pieces') IS NOT json_extract(OLD.document, '$.pieces')
        OR json_extract(NEW.document, '$.demandeur')
            IS NOT json_extract(OLD.document, '$.demandeur')
        OR json_remove(json_extract(NEW.document, '$.certificat'), '$.document_sha256')
            IS NOT json_remove(json_extract(OLD.document, '$.certificat'), '$.document_sha256')
        OR (json_extract(OLD.document, '$.certificat.document_sha256') IS NOT NULL
            AND json_extract(NEW.document, '$.certificat.document_sha256')
                IS NOT json_extract(OLD.document, '$.certificat.document_sha256'))
    )
    BEGIN
        SELECT RAISE (ABORT, 'chorus: a sent demande TIC cannot be changed');
    END
    """,
)


@MIGRATIONS(name="0008_demandes_tic")
def _demandes_tic(db: Database) -> None:
    for instruction in _DEMANDES_TIC:
        db.execute(instruction)


@MIGRATIONS(name="0009_tickets")
def _tickets(db: Database) -> None:
    for instruction in schema_tickets.INSTRUCTIONS:
        db.execute(instruction)


@MIGRATIONS(name="0010_actualites")
def _actualites(db: Database) -> None:
    for instruction in schema_actualites.INSTRUCTIONS:
        db.execute(instruction)


@MIGRATIONS(name="0011_activite")
def _activite(db: Database) -> None:
    for instruction in schema_activite.INSTRUCTIONS:
        db.execute(instruction)


@MIGRATIONS(name="0012_flux")
def _flux(db: Database) -> None:
    for instruction in schema_flux.INSTRUCTIONS:
        db.execute(instruction)


@MIGRATIONS(name="0013_lots_statuts")
def _lots_statuts(db: Database) -> None:
    for instruction in schema_lots_statuts.INSTRUCTIONS:
        db.execute(instruction)


@MIGRATIONS(name="0014_cycle_de_vie")
def _cycle_de_vie(db: Database) -> None:
    for instruction in schema_cycle_de_vie.INSTRUCTIONS:
        db.execute(instruction)


# Every migration this version knows; a database that applied another one is newer.
NOMS_DES_MIGRATIONS = frozenset(
    {
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
    }
)

TABLES = frozenset(
    {
        "structures",
        "rattachements",
        "utilisateurs",
        "memoires",
        "lignes_prestation",
        "sequences",
        "comptes_par_statut",
        "comptes_par_juridiction",
        "jetons",
        "courriels",
        "purges",
        "contenus_references",
        "demandes_tic",
        "evenements_tic",
        "contenus_tic",
        "tickets",
        "contenus_tickets",
        "lots_statuts",
        "evenements_en_attente",
        "actualites",
        "activites",
        "activites_comptes",
        "flux",
        "flux_resultats",
        "flux_references",
    }
)
