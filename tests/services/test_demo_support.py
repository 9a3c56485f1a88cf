"""The demo's support tickets: a support agent who can sign in, tickets at several stages on
the demo structures, loaded once — also on a store whose demo predates the tickets."""

from __future__ import annotations

from chorus.domain.support.referentiel import Destinataire
from chorus.domain.support.ticket import StatutTicket
from chorus.domain.utilisateur import RoleAgent
from chorus.services import demo
from chorus.services.demo import charger_demo
from chorus.services.demo_support import EMAIL_SUPPORT, charger_demo_support
from chorus.services.demo_tic import charger_demo_tic
from tests.monde import construire_chorus


def test_la_demo_charge_un_agent_du_support_et_ses_tickets_une_fois() -> None:
    chorus = construire_chorus()
    premiere = charger_demo(chorus.ports)
    (agent,) = [u for u in premiere.utilisateurs if u.email == EMAIL_SUPPORT]
    assert agent.role is RoleAgent.SUPPORT
    statuts = {t.statut for t in premiere.tickets}
    assert {StatutTicket.ACTION_REQUISE, StatutTicket.EN_COURS, StatutTicket.CLOS} <= statuts
    assert {t.destinataire.code for t in premiere.tickets} == {
        Destinataire.SERVICE_CENTRALISATEUR,
        Destinataire.SUPPORT,
        Destinataire.COMPTABLE,
    }
    # The support sees them all; each émetteur sees their structure's.
    assert len(chorus.support.tous(agent.id, onglet=None)) == len(premiere.tickets)
    for ticket in premiere.tickets:
        emetteur = ticket.emetteur.utilisateur_id
        assert chorus.tickets.obtenir(emetteur, ticket.numero) == ticket
    seconde = charger_demo(chorus.ports)
    assert seconde.tickets == premiere.tickets
    assert seconde.utilisateurs == premiere.utilisateurs
    assert len(chorus.support.tous(agent.id, onglet=None)) == len(premiere.tickets)


def test_les_tickets_se_chargent_sur_une_demo_anterieure() -> None:
    chorus = construire_chorus()
    # A store loaded before tickets existed: the mémoires and TIC parts only.
    anterieure = demo._charger(chorus.ports)
    charger_demo_tic(chorus.ports)
    with chorus.ports.uow.lecture() as uow:
        assert uow.utilisateurs.par_email(EMAIL_SUPPORT) is None
    complete = charger_demo(chorus.ports)
    assert complete.deja_chargee
    assert len(complete.tickets) == 3
    assert complete.tickets == charger_demo_support(chorus.ports, anterieure.memoires).tickets


def test_un_chargement_interrompu_apres_l_agent_recoit_ses_tickets() -> None:
    chorus = construire_chorus()
    anterieure = demo._charger(chorus.ports)
    charger_demo_tic(chorus.ports)
    # Stopped right after the agent was created: the next load creates the tickets.
    agent = chorus.utilisateurs.creer_agent(
        email=EMAIL_SUPPORT, nom="Roussel", prenom="Nadia", role=RoleAgent.SUPPORT
    )
    reprise = charger_demo_support(chorus.ports, anterieure.memoires)
    assert reprise.utilisateurs == (agent,)
    assert len(reprise.tickets) == 3
    assert charger_demo_support(chorus.ports, anterieure.memoires).tickets == reprise.tickets
