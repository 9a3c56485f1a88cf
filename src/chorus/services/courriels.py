"""Delivering the outbox: claim, send, record.

A pass takes the emails available now and reserves each in one unit of work (its version
moves on, so of two distributors that read the same email only the first to save it gets
it; the other skips it). It then hands each reserved email to the `Expediteur` and, right
after, records the outcome in a unit of work of its own: sent, or failed (the domain sets
the retry delay, and gives up after `ESSAIS_MAXIMUM` failures).

What is promised, honestly:
- An email is never lost: it leaves the outbox only by being marked sent after the
  `Expediteur` accepted it; a failure, or a crash at any point, leaves it to a later pass.
- In normal operation an email is sent once: the reservation keeps every other
  distributor (thread or process) away for `RESERVATION` (10 minutes).
- After a crash between the SMTP server's acceptance and the recording of it (or if one
  delivery outlasts the reservation), the email is sent again once the reservation has
  passed: delivery is at least once, not exactly once. Every copy carries the same
  `Message-ID` (derived from the courriel's id by the `Expediteur`), so a receiver can
  recognise the duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import attrs

from chorus.domain.courriels import Courriel
from chorus.domain.errors import ConflitDeVersion, NonTrouve
from chorus.ports.courrier import EchecDEnvoi, Expediteur
from chorus.services.contexte import Ports

journal = logging.getLogger(__name__)


@attrs.frozen
class BilanDEnvoi:
    """What one pass did."""

    envoyes: int = 0
    echecs: int = 0
    pris_ailleurs: int = 0
    """Emails another distributor reserved first (skipped here)."""
    lot_complet: bool = False
    """The pass took as many emails as it was allowed: more may be waiting."""


class DistributeurDeCourriels:
    def __init__(self, ports: Ports, expediteur: Expediteur, adresse_expediteur: str) -> None:
        self._p = ports
        self._expediteur = expediteur
        self._adresse = adresse_expediteur

    def distribuer(self, limite: int = 100) -> BilanDEnvoi:
        """Deliver up to `limite` of the emails available now; see the module's docstring."""
        if limite < 1:
            raise ValueError("limite must be at least 1")
        disponibles, reserves = self._reserver(limite)
        envoyes = echecs = 0
        for courriel in reserves:
            erreur = self._envoyer(courriel)
            self._noter(courriel, erreur)
            if erreur is None:
                envoyes += 1
            else:
                echecs += 1
        return BilanDEnvoi(
            envoyes=envoyes,
            echecs=echecs,
            pris_ailleurs=disponibles - len(reserves),
            lot_complet=disponibles >= limite,
        )

    def _reserver(self, limite: int) -> tuple[int, Sequence[Courriel]]:
        uow = self._p.uow
        with uow:
            maintenant = self._p.clock.maintenant()
            disponibles = uow.courriels.a_envoyer(maintenant, limite)
            reserves: list[Courriel] = []
            for courriel in disponibles:
                try:
                    reserves.append(uow.courriels.enregistrer(courriel.reserver(maintenant)))
                except (ConflitDeVersion, NonTrouve):
                    # Another distributor saved it first: it is that one's to send.
                    continue
            uow.commit()
        return len(disponibles), reserves

    def _envoyer(self, courriel: Courriel) -> str | None:
        """None once accepted, else why not (in French, stored with the email)."""
        try:
            self._expediteur.envoyer(courriel, self._adresse)
        except EchecDEnvoi as echec:
            return str(echec) or "Échec de l'envoi."
        except Exception as inattendue:
            # A fault in the sender must not strand the rest of the batch; the email will
            # be tried again like any failed one.
            journal.exception("Erreur inattendue en envoyant le courriel %s", courriel.id)
            return f"Erreur inattendue de l'expéditeur : {type(inattendue).__name__}."
        return None

    def _noter(self, reserve: Courriel, erreur: str | None) -> None:
        uow = self._p.uow
        with uow:
            maintenant = self._p.clock.maintenant()
            try:
                actuel = uow.courriels.obtenir(reserve.id)
            except NonTrouve:
                return
            if actuel.envoye_le is not None:
                return
            if erreur is None:
                # Sent is sent, even if another distributor took it over meanwhile (this
                # delivery outlasted the reservation): saying so spares a further copy.
                uow.courriels.enregistrer(actuel.envoye(maintenant))
            elif actuel.version == reserve.version:
                uow.courriels.enregistrer(actuel.echec(maintenant, erreur))
            else:
                # Re-reserved by another distributor meanwhile: its outcome is the one to keep.
                return
            uow.commit()
