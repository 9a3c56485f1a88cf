"""The support tickets over one SQLite connection (tables of migration 0009).

Lists filter and sort in SQL with the semantics of `chorus.ports.support.correspond` and
`trier_tickets`; the keyword search is an FTS5 prefix query on `tickets_fts`, whose
`unicode61 remove_diacritics 2` tokenizer folds accents and case as `ports.support.mots`
does. A ticket is never deleted and its history only grows: the triggers refuse otherwise,
as this repository does first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any

from chorus.adapters.codec import ErreurDeDecodage, depuis_donnees, vers_donnees
from chorus.adapters.storage.sqlite.depots import _Depot
from chorus.adapters.storage.sqlite.lignes_sql import _document, _illisible, en_json
from chorus.adapters.storage.sqlite.lignes_sql import instant_en_entier as _instant
from chorus.adapters.storage.sqlite.schema import PREFIXE_DES_REFUS
from chorus.adapters.storage.tickets import numero_pris, verifier_changement
from chorus.adapters.storage.versions import version_suivante
from chorus.domain.errors import NonTrouve, TransitionInvalide
from chorus.domain.support.acces import INTROUVABLE
from chorus.domain.support.referentiel import Destinataire
from chorus.domain.support.ticket import Ticket
from chorus.ports.requetes import Page, Pagination
from chorus.ports.support import CriteresTicket, ResumeTicket, textes_du_ticket

_ORDRE = "date_maj DESC, numero DESC"


def ligne_ticket(ticket: Ticket) -> dict[str, Any]:
    """The row of `tickets` (but its `rang`, which the database gives)."""
    return {
        "id": ticket.id,
        "version": ticket.version,
        "numero": ticket.numero,
        "structure_id": ticket.emetteur.structure_id,
        "destinataire": ticket.destinataire.code.value,
        "juridiction_code": ticket.destinataire.juridiction_code,
        "statut": ticket.statut.value,
        "date_creation": _instant(ticket.date_creation),
        "date_maj": _instant(ticket.date_maj),
        "nombre_activites": len(ticket.activites),
        "resume": en_json(vers_donnees(ResumeTicket.depuis(ticket))),
        "document": en_json(vers_donnees(ticket)),
    }


def texte_indexe(ticket: Ticket) -> str:
    """What `tickets_fts` holds for a ticket: every text the keyword search reads."""
    return "\n".join(textes_du_ticket(ticket))


def _ticket_de(ligne: sqlite3.Row) -> Ticket:
    try:
        return depuis_donnees(_document(ligne), Ticket)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un ticket", ligne["id"], erreur) from erreur


def _resume_de(ligne: sqlite3.Row) -> ResumeTicket:
    try:
        return depuis_donnees(json.loads(ligne["resume"]), ResumeTicket)
    except (ErreurDeDecodage, ValueError) as erreur:
        raise _illisible("un ticket", ligne["id"], erreur) from erreur


def _places(valeurs: Collection[str]) -> tuple[str, list[str]]:
    tries = sorted(valeurs)
    return ", ".join("?" * len(tries)), tries


def _condition(criteres: CriteresTicket) -> tuple[str, list[Any]] | None:
    """The WHERE clause of `criteres` and its parameters; None when nothing can match."""
    termes: list[str] = []
    parametres: list[Any] = []

    def dans(colonne: str, valeurs: Collection[str]) -> None:
        places, tries = _places(valeurs)
        termes.append(f"{colonne} IN ({places})")
        parametres.extend(tries)

    if criteres.structures is not None:
        if not criteres.structures:
            return None
        dans("structure_id", criteres.structures)
    if criteres.destinataires is not None:
        if not criteres.destinataires:
            return None
        dans("destinataire", {d.value for d in criteres.destinataires})
    if criteres.juridictions is not None:
        centralisateur = Destinataire.SERVICE_CENTRALISATEUR.value
        if criteres.juridictions:
            places, tries = _places(criteres.juridictions)
            termes.append(f"(destinataire <> ? OR juridiction_code IN ({places}))")
            parametres.extend([centralisateur, *tries])
        else:
            termes.append("destinataire <> ?")
            parametres.append(centralisateur)
    if criteres.onglet is not None:
        dans("statut", {s.value for s in criteres.onglet.statuts})
    if criteres.statut is not None:
        termes.append("statut = ?")
        parametres.append(criteres.statut.value)
    if criteres.mots:
        # Each word is letters and digits only (`ports.support.mots`): quoted, it is a
        # plain FTS5 string, never an operator.
        termes.append("rang IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)")
        parametres.append(" AND ".join(f'"{mot}"*' for mot in criteres.mots))
    return " AND ".join(termes) or "1", parametres


class DepotTickets(_Depot):
    # -- writing ---------------------------------------------------------------------------

    def ajouter(self, ticket: Ticket) -> None:
        if (
            self._une(
                "SELECT 1 FROM tickets WHERE id = ? OR numero = ?", (ticket.id, ticket.numero)
            )
            is not None
        ):
            raise numero_pris(ticket.numero)
        ligne = ligne_ticket(ticket)
        colonnes = ", ".join(ligne)
        places = ", ".join(f":{c}" for c in ligne)
        try:
            curseur = self._db.execute(f"INSERT INTO tickets ({colonnes}) VALUES ({places})", ligne)
        except sqlite3.IntegrityError as erreur:
            raise self._traduire(erreur, ticket) from None
        self._db.execute(
            "INSERT INTO tickets_fts (rowid, texte) VALUES (?, ?)",
            (curseur.lastrowid, texte_indexe(ticket)),
        )

    def obtenir(self, ticket_id: str) -> Ticket:
        ticket = self._charger("id = ?", ticket_id)
        if ticket is None:
            raise NonTrouve(INTROUVABLE)
        return ticket

    def _charger(self, ou: str, valeur: str) -> Ticket | None:
        ligne = self._une(f"SELECT id, document FROM tickets WHERE {ou}", (valeur,))
        return None if ligne is None else _ticket_de(ligne)

    def par_numero(self, numero: str) -> Ticket | None:
        return self._charger("numero = ?", numero)

    def enregistrer(self, ticket: Ticket) -> Ticket:
        stocke = self._une("SELECT rang, version FROM tickets WHERE id = ?", (ticket.id,))
        suivant = version_suivante(None if stocke is None else stocke["version"], ticket)
        assert stocke is not None
        verifier_changement(self.obtenir(ticket.id), suivant)
        try:
            self._remplacer("tickets", ligne_ticket(suivant), ticket.version)
        except sqlite3.IntegrityError as erreur:
            raise self._traduire(erreur, suivant) from None
        self._db.execute(
            "UPDATE tickets_fts SET texte = ? WHERE rowid = ?",
            (texte_indexe(suivant), stocke["rang"]),
        )
        return suivant

    def _traduire(self, erreur: sqlite3.IntegrityError, ticket: Ticket) -> Exception:
        """The domain's error for a constraint the database enforced."""
        message = str(erreur)
        if message.startswith(PREFIXE_DES_REFUS):
            return TransitionInvalide(
                f"Le ticket n°{ticket.numero} ne peut pas être réécrit ni supprimé : son "
                "historique ne fait que s'allonger."
            )
        if "tickets.numero" in message or "tickets.id" in message:
            return numero_pris(ticket.numero)
        return erreur

    # -- reading ---------------------------------------------------------------------------

    def rechercher(self, criteres: CriteresTicket, pagination: Pagination) -> Page[ResumeTicket]:
        ou = _condition(criteres)
        if ou is None:
            return Page((), 0, pagination.page, pagination.par_page)
        sql, parametres = ou
        total: int = self._db.execute(
            f"SELECT count(*) FROM tickets WHERE {sql}", parametres
        ).fetchone()[0]
        lignes = self._db.execute(
            f"SELECT id, resume FROM tickets WHERE {sql} ORDER BY {_ORDRE} LIMIT ? OFFSET ?",
            (*parametres, pagination.par_page, pagination.decalage),
        )
        return Page(
            tuple(_resume_de(ligne) for ligne in lignes),
            total,
            pagination.page,
            pagination.par_page,
        )

    def tous(self, criteres: CriteresTicket) -> Sequence[ResumeTicket]:
        ou = _condition(criteres)
        if ou is None:
            return []
        sql, parametres = ou
        lignes = self._db.execute(
            f"SELECT id, resume FROM tickets WHERE {sql} ORDER BY {_ORDRE}", parametres
        )
        return [_resume_de(ligne) for ligne in lignes]

    def contenus_references(self, sha256s: Collection[str]) -> frozenset[str]:
        lignes = self._db.execute(
            "SELECT c.value FROM json_each(?) AS c "
            "WHERE EXISTS (SELECT 1 FROM contenus_tickets AS r WHERE r.sha256 = c.value)",
            (json.dumps(sorted(set(sha256s))),),
        )
        return frozenset(ligne[0] for ligne in lignes)
