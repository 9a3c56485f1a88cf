"""The support tickets in the terminal (F6), on SQLite: a user's ticket from « Créer un
ticket » to its closing, with a support agent's replies at the keyboard of the agent's
queue; refusals written under their fields with nothing stored; the two tabs, the keyword
search and « Exporter le tableau »; the ticket the assistant proposes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, Static, TextArea

from chorus.adapters.storage.blobs import BlobsSurDisque
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.adapters.tui.ecrans.creer_ticket import EcranCreerTicket
from chorus.adapters.tui.ecrans.fichier import EcranFichier
from chorus.adapters.tui.ecrans.support import (
    ACTIONS_REQUISES,
    TOUS,
    EcranFileSupport,
    EspaceSupport,
)
from chorus.adapters.tui.ecrans.ticket import EcranTicket, FenetreTexte
from chorus.adapters.tui.formulaires import id_champ, valeur
from chorus.adapters.tui.messages import TicketPropose
from chorus.adapters.tui.widgets.modales import Confirmation, EnregistrerSous
from chorus.adapters.tui.widgets.tableau import TableauPagine
from chorus.adapters.tui.widgets.tickets import ListeTickets
from chorus.domain.support.ticket import NatureActivite, StatutTicket, Ticket
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.services.support import FichierJoint, SaisieTicket
from tests.monde import PDF, Monde, construire_monde
from tests.tui.aides import (
    MOT_DE_PASSE,
    TAILLE,
    application,
    attendre,
    cliquer,
    connecter,
    erreur_de,
    saisir,
)

Comparer = Callable[..., bool]


@pytest.fixture
def monde(tmp_path: Path) -> Monde:
    return construire_monde(
        UniteDeTravailSqlite(tmp_path / "chorus.db"), BlobsSurDisque(tmp_path / "pieces")
    )


def _agent_support(monde: Monde) -> Utilisateur:
    agent = monde.chorus.utilisateurs.creer_agent(
        email="support@chorus-pro.gouv.fr",
        nom="Roussel",
        prenom="Nadia",
        role=RoleAgent.SUPPORT,
    )
    monde.chorus.comptes.definir_mot_de_passe(agent.id, MOT_DE_PASSE)
    return agent


def _ticket(monde: Monde, resume: str, description: str = "Détails de la demande.") -> Ticket:
    return monde.chorus.tickets.creer(
        monde.gestionnaire.id,
        SaisieTicket(
            structure_id=monde.structure.id,
            categorie="COMPTE",
            sous_categorie="C_CONNEXION",
            resume=resume,
            description=description,
        ),
    )


def _choisir(pilot: Pilot[None], champ: str, valeur: str) -> None:
    pilot.app.screen.query_one(f"#{id_champ(champ)}", Select).value = valeur


def _ecran_ticket(pilot: Pilot[None]) -> EcranTicket:
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranTicket)
    return ecran


async def _repondre(pilot: Pilot[None], touche: str, texte: str) -> None:
    """An action asking a text, from its key: the window, the text, « Valider »."""
    await pilot.press(touche)
    await attendre(pilot, lambda: isinstance(pilot.app.screen, FenetreTexte))
    pilot.app.screen.query_one(TextArea).text = texte
    await cliquer(pilot, "#valider-texte")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EcranTicket))


async def _ouvrir_support(pilot: Pilot[None], email: str) -> EspaceSupport:
    await connecter(pilot, email)
    await pilot.press("f6")
    await attendre(pilot, lambda: isinstance(pilot.app.screen, EspaceSupport))
    espace = pilot.app.screen
    assert isinstance(espace, EspaceSupport)
    return espace


async def _statut(pilot: Pilot[None], statut: StatutTicket, attente: str | None = None) -> Ticket:
    ecran = _ecran_ticket(pilot)
    await attendre(
        pilot,
        lambda: (
            ecran.ticket is not None
            and ecran.ticket.statut is statut
            and (
                attente is None or (ecran.ticket.attente and ecran.ticket.attente.value) == attente
            )
        ),
    )
    assert ecran.ticket is not None
    return ecran.ticket


def _boutons(pilot: Pilot[None]) -> set[str]:
    from textual.widgets import Button

    return {
        b.id or ""
        for b in pilot.app.screen.query("#entete-ticket Button").results(Button)
        if b.display
    }


@pytest.mark.anyio
async def test_cycle_de_vie_d_un_ticket_avec_les_reponses_du_support(
    monde: Monde, tmp_path: Path
) -> None:
    agent = _agent_support(monde)
    fichier = tmp_path / "capture.pdf"
    fichier.write_bytes(PDF + b"% capture de l'erreur\n")

    # The user creates the ticket from F6 « Créer un ticket ».
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        espace = await _ouvrir_support(pilot, monde.gestionnaire.email)
        await cliquer(pilot, "#creer-ticket")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCreerTicket))
        form = app.screen
        assert isinstance(form, EcranCreerTicket)
        await attendre(pilot, lambda: form.pret)
        _choisir(pilot, "categorie", "COMPTE")
        await pilot.pause()
        _choisir(pilot, "sous_categorie", "C_CONNEXION")
        await pilot.pause()
        # The destinataire follows the sous-catégorie; no object for this one.
        assert "Support Chorus Portail Pro" in str(
            form.query_one("#destinataire-prevu", Static).render()
        )
        assert not form.query_one(f"#{id_champ('numero_objet')}").parent.display  # type: ignore[union-attr]
        await saisir(pilot, "telephone", "04.78.12.34.56")
        await saisir(pilot, "resume", "Mot de passe refusé")
        form.query_one(
            f"#{id_champ('description')}", TextArea
        ).text = "Mon mot de passe est refusé depuis ce matin."
        await saisir(pilot, "fichier", str(fichier))
        await cliquer(pilot, "#ajouter-piece")
        await attendre(pilot, lambda: len(form.pieces) == 1)
        await cliquer(pilot, "#soumettre")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        cree = await _statut(pilot, StatutTicket.OUVERT)
        numero = cree.numero
        assert numero == "CPROCS0000001"
        assert cree.emetteur.telephone == "04 78 12 34 56"
        assert [p.nom_fichier for p in cree.pieces] == ["capture.pdf"]
        assert _boutons(pilot) == {"commenter", "joindre", "telecharger", "cloturer"}
        await pilot.press("escape")
        await attendre(pilot, lambda: app.screen is espace)
        tous = espace.liste(TOUS)
        espace.montrer(TOUS)
        await attendre(pilot, lambda: tous.numeros == [numero])

    # The support agent lands on the queue, takes the ticket and asks for information; an
    # empty request is refused in the window.
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, agent.email)
        await attendre(pilot, lambda: isinstance(app.screen, EcranFileSupport))
        file = app.screen.query_one(ListeTickets)
        await attendre(pilot, lambda: file.numeros == [numero])
        file.query_one("TableTickets").focus()
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        await _statut(pilot, StatutTicket.OUVERT)
        assert _boutons(pilot) == {
            "prendre",
            "proposer",
            "demander",
            "commenter",
            "telecharger",
        }
        await pilot.press("p")
        await _statut(pilot, StatutTicket.EN_COURS)
        await pilot.press("d")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreTexte))
        await cliquer(pilot, "#valider-texte")
        await attendre(pilot, lambda: "Précisez" in erreur_de(pilot, "texte"))
        assert isinstance(app.screen, FenetreTexte)
        app.screen.query_one(TextArea).text = "Quel navigateur utilisez-vous ?"
        await cliquer(pilot, "#valider-texte")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        await _statut(pilot, StatutTicket.ACTION_REQUISE, "INFORMATION")
    assert (
        "des informations vous sont demandées"
        in monde.dernier_courriel(monde.gestionnaire.email).sujet
    )

    # The user finds it under « Actions requises », provides the information.
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        espace = await _ouvrir_support(pilot, monde.gestionnaire.email)
        requises = espace.liste(ACTIONS_REQUISES)
        await attendre(pilot, lambda: requises.numeros == [numero])
        requises.query_one("TableTickets").focus()
        await pilot.press("enter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        await _statut(pilot, StatutTicket.ACTION_REQUISE)
        assert "Quel navigateur" in str(app.screen.query_one("#attente-ticket", Static).render())
        assert "fournir" in _boutons(pilot)
        assert "accepter" not in _boutons(pilot)
        await _repondre(pilot, "i", "Firefox 128 sous Windows.")
        await _statut(pilot, StatutTicket.EN_COURS)

        # The agent proposes a solution (their side, through the use case).
        monde.chorus.support.proposer_solution(
            agent.id, numero, "Videz le cache du navigateur puis reconnectez-vous."
        )
        _ecran_ticket(pilot).charger()
        await _statut(pilot, StatutTicket.ACTION_REQUISE, "SOLUTION")
        assert {"accepter", "refuser"} <= _boutons(pilot)
        # Refusing needs a comment: refused in the window, nothing changes.
        await pilot.press("r")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreTexte))
        await cliquer(pilot, "#valider-texte")
        await attendre(pilot, lambda: "obligatoire" in erreur_de(pilot, "texte"))
        assert monde.chorus.tickets.obtenir(monde.gestionnaire.id, numero).attente is not None
        assert isinstance(app.screen, FenetreTexte)
        app.screen.query_one(TextArea).text = "Le problème persiste après avoir vidé le cache."
        await cliquer(pilot, "#valider-texte")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        await _statut(pilot, StatutTicket.EN_COURS)

        monde.chorus.support.proposer_solution(
            agent.id, numero, "Votre compte était verrouillé : il est débloqué."
        )
        _ecran_ticket(pilot).charger()
        await _statut(pilot, StatutTicket.ACTION_REQUISE, "SOLUTION")
        # The agent adds a word meanwhile: the answer to the version shown is refused in
        # the window, and the page shows the ticket as it now is once the window is closed.
        monde.chorus.support.commenter(agent.id, numero, "Prévenez-nous si cela persiste.")
        await pilot.press("a")
        await attendre(pilot, lambda: isinstance(app.screen, FenetreTexte))
        await cliquer(pilot, "#valider-texte")
        await attendre(pilot, lambda: bool(app.screen.query(".erreur-generale.visible")))
        await pilot.press("escape")
        ecran = _ecran_ticket(pilot)
        await attendre(pilot, lambda: ecran.ticket is not None and len(ecran.ticket.activites) == 9)
        await _repondre(pilot, "a", "Merci, cela fonctionne.")
        await _statut(pilot, StatutTicket.RESOLU)

        # « Fermer le ticket » asks first.
        await pilot.press("f")
        await attendre(pilot, lambda: isinstance(app.screen, Confirmation))
        await cliquer(pilot, "#oui")
        ticket = await _statut(pilot, StatutTicket.CLOS)
        assert _boutons(pilot) == {"telecharger"}
        # « Activités »: the newest first.
        activites = app.screen.query_one("#table-activites", TableauPagine)
        assert activites.cellules(activites.cles[0])[2] == NatureActivite.CLOTURE.libelle
        assert activites.cles == [str(i) for i in reversed(range(len(ticket.activites)))]

        # A closed ticket's pièce can still be saved, never over an existing file.
        copie = tmp_path / "copie.pdf"
        await pilot.press("t")
        await attendre(pilot, lambda: isinstance(app.screen, EnregistrerSous))
        await saisir(pilot, "chemin", str(copie))
        await cliquer(pilot, "#enregistrer")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        assert copie.read_bytes() == fichier.read_bytes()

    assert [a.nature for a in ticket.activites] == [
        NatureActivite.CREATION,
        NatureActivite.PIECE_JOINTE,
        NatureActivite.PRISE_EN_CHARGE,
        NatureActivite.DEMANDE_INFORMATION,
        NatureActivite.INFORMATION,
        NatureActivite.SOLUTION,
        NatureActivite.REFUS,
        NatureActivite.SOLUTION,
        NatureActivite.COMMENTAIRE,
        NatureActivite.ACCEPTATION,
        NatureActivite.CLOTURE,
    ]
    assert ticket.activites[6].texte == "Le problème persiste après avoir vidé le cache."


@pytest.mark.anyio
async def test_refus_ecrits_sous_les_champs_sans_rien_enregistrer(monde: Monde) -> None:
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await _ouvrir_support(pilot, monde.gestionnaire.email)
        await pilot.press("ctrl+n")
        await attendre(pilot, lambda: isinstance(app.screen, EcranCreerTicket))
        form = app.screen
        assert isinstance(form, EcranCreerTicket)
        await attendre(pilot, lambda: form.pret)

        await cliquer(pilot, "#soumettre")
        await attendre(pilot, lambda: erreur_de(pilot, "categorie") != "")

        # A mémoire's follow-up needs its number; an unknown one is refused as such.
        _choisir(pilot, "categorie", "MEMOIRE")
        await pilot.pause()
        _choisir(pilot, "sous_categorie", "M_SUIVI")
        await pilot.pause()
        assert "Service centralisateur" in str(
            form.query_one("#destinataire-prevu", Static).render()
        )
        await saisir(pilot, "resume", "Où en est mon mémoire ?")
        form.query_one(f"#{id_champ('description')}", TextArea).text = "Déposé il y a un mois."
        # F6 (« Support ») does not throw away a ticket being written.
        await pilot.press("f6")
        await pilot.pause()
        assert form.is_current
        assert valeur(form, "resume") == "Où en est mon mémoire ?"
        await cliquer(pilot, "#soumettre")
        await attendre(pilot, lambda: "mémoire" in erreur_de(pilot, "numero_objet"))
        await saisir(pilot, "numero_objet", "MJ99999999999")
        await cliquer(pilot, "#soumettre")
        await attendre(pilot, lambda: "Introuvable" in erreur_de(pilot, "numero_objet"))

        # A bad telephone and a file that is no pièce are refused under their fields.
        _choisir(pilot, "categorie", "AUTRE")
        await pilot.pause()
        await saisir(pilot, "telephone", "12")
        await cliquer(pilot, "#soumettre")
        await attendre(pilot, lambda: erreur_de(pilot, "telephone") != "")
        await saisir(pilot, "fichier", "/nulle/part/absent.pdf")
        await cliquer(pilot, "#ajouter-piece")
        await attendre(pilot, lambda: "n'existe pas" in erreur_de(pilot, "fichier"))
        assert form.pieces == []
        assert isinstance(app.screen, EcranCreerTicket)

    assert monde.chorus.tickets.tous(monde.gestionnaire.id, onglet=None) == []


@pytest.mark.anyio
async def test_onglets_recherche_et_export(monde: Monde, tmp_path: Path) -> None:
    agent = _agent_support(monde)
    attente = _ticket(monde, "Accès refusé", "Le portail répond « accès refusé ».")
    monde.chorus.support.demander_information(agent.id, attente.numero, "Votre identifiant ?")
    en_cours = _ticket(monde, "Changement de courriel", "Je change d'adresse électronique.")
    monde.chorus.support.prendre_en_charge(agent.id, en_cours.numero)
    clos = _ticket(monde, "Question réglée")
    monde.chorus.tickets.cloturer(monde.gestionnaire.id, clos.numero)
    # Another structure's ticket is never shown.
    monde.chorus.tickets.creer(
        monde.etranger.id,
        SaisieTicket(
            structure_id=monde.autre_structure.id,
            categorie="AUTRE",
            sous_categorie="A_QUESTION",
            resume="Accès d'un autre cabinet",
            description="Rien à voir.",
        ),
    )

    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        espace = await _ouvrir_support(pilot, monde.consultant.email)
        requises, tous = espace.liste(ACTIONS_REQUISES), espace.liste(TOUS)
        await attendre(pilot, lambda: requises.numeros == [attente.numero])
        espace.montrer(TOUS)
        await attendre(pilot, lambda: tous.numeros == [en_cours.numero, attente.numero])

        # Keywords, accents folded and prefixes allowed, reach the activities' texts.
        await saisir(pilot, "tto.q", "identi")
        await cliquer(pilot, "#tto-rechercher")
        await attendre(pilot, lambda: tous.numeros == [attente.numero])
        await saisir(pilot, "tto.q", "electronique")
        await cliquer(pilot, "#tto-rechercher")
        await attendre(pilot, lambda: tous.numeros == [en_cours.numero])
        await cliquer(pilot, "#tto-reinitialiser")
        await attendre(pilot, lambda: len(tous.numeros) == 2)

        chemin = tmp_path / "tickets.csv"
        await cliquer(pilot, "#tto-exporter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
        await saisir(pilot, "chemin", str(chemin))
        await cliquer(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceSupport) and chemin.exists())

        # Never over an existing file.
        await cliquer(pilot, "#tto-exporter")
        await attendre(pilot, lambda: isinstance(app.screen, EcranFichier))
        await saisir(pilot, "chemin", str(chemin))
        await cliquer(pilot, "#fichier-enregistrer")
        await attendre(pilot, lambda: "existe déjà" in erreur_de(pilot, "chemin"))

    brut = chemin.read_bytes()
    assert brut.startswith(b"\xef\xbb\xbf")
    lignes: Sequence[list[str]] = list(
        csv.reader(io.StringIO(brut.decode("utf-8-sig")), delimiter=";")
    )
    assert lignes[0][:7] == [
        "Numéro",
        "Résumé",
        "Créé le",
        "Mis à jour le",
        "Catégorie",
        "Sous-catégorie",
        "Statut",
    ]
    assert [(ligne[0], ligne[6]) for ligne in lignes[1:]] == [
        (en_cours.numero, "En cours"),
        (attente.numero, "Action requise"),
    ]
    assert lignes[1][2] == monde.horloge.aujourdhui().strftime("%d/%m/%Y")


@pytest.mark.anyio
async def test_ticket_propose_par_l_assistant(monde: Monde) -> None:
    question = (
        "Bonjour, je voudrais savoir comment rattacher un deuxième cabinet à mon compte "
        "alors que le premier est déjà validé depuis longtemps, merci"
    )
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        # Not signed in: a notice, no form.
        app.post_message(TicketPropose(question))
        await attendre(pilot, lambda: bool(app._notifications))
        assert "Connectez-vous" in next(iter(app._notifications)).message
        assert not isinstance(app.screen, EcranCreerTicket)

        await connecter(pilot, monde.gestionnaire.email)
        app.post_message(TicketPropose(question))
        await attendre(pilot, lambda: isinstance(app.screen, EcranCreerTicket))
        form = app.screen
        assert isinstance(form, EcranCreerTicket)
        await attendre(pilot, lambda: form.pret)
        await pilot.pause()
        assert form.query_one(f"#{id_champ('categorie')}", Select).value == "AUTRE"
        assert form.query_one(f"#{id_champ('sous_categorie')}", Select).value == "A_QUESTION"
        resume = form.query_one(f"#{id_champ('resume')}").value  # type: ignore[attr-defined]
        assert resume == question[:100]
        assert form.query_one(f"#{id_champ('description')}", TextArea).text == question
        await cliquer(pilot, "#soumettre")
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        ticket = await _statut(pilot, StatutTicket.OUVERT)
    assert ticket.sous_categorie.value == "A_QUESTION"
    assert ticket.resume == question[:100].strip()
    assert ticket.description == question


@pytest.mark.anyio
async def test_f6_mene_l_agent_de_juridiction_a_sa_file(monde: Monde) -> None:
    """F6 needs a session; an agent of a juridiction reaches the queue of the tickets routed
    to their service centralisateur, and no other."""
    memoire = monde.envoye()
    suivi = monde.chorus.tickets.creer(
        monde.gestionnaire.id,
        SaisieTicket(
            structure_id=monde.structure.id,
            categorie="MEMOIRE",
            sous_categorie="M_SUIVI",
            numero_objet=memoire.numero,
            resume="Où en est mon mémoire ?",
            description="Envoyé il y a un mois.",
        ),
    )
    _ticket(monde, "Pour le support seulement")
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await pilot.press("f6")
        await attendre(pilot, lambda: bool(app._notifications))
        assert "Connectez-vous" in next(iter(app._notifications)).message
        await connecter(pilot, monde.agent.email)
        # The processing queue keeps F6 for « Effacer les critères »: the application's
        # action, as F6 runs it from the other screens.
        app.action_support()
        await attendre(pilot, lambda: isinstance(app.screen, EcranFileSupport))
        file = app.screen.query_one(ListeTickets)
        await attendre(pilot, lambda: file.numeros == [suivi.numero])
        app.push_screen(EcranTicket(suivi.numero, agent=True))
        await attendre(pilot, lambda: isinstance(app.screen, EcranTicket))
        await _statut(pilot, StatutTicket.OUVERT)
        assert "Service centralisateur" in str(
            app.screen.query_one("#infos-ticket", Static).render()
        )
        assert "prendre" in _boutons(pilot)


def test_instantane_page_d_un_ticket(snap_compare: Comparer) -> None:
    """The user's page of a ticket waiting for their answer to a solution (in memory, fixed
    clock and sequential ids)."""
    monde = construire_monde()
    agent = _agent_support(monde)
    ticket = monde.chorus.tickets.creer(
        monde.gestionnaire.id,
        SaisieTicket(
            structure_id=monde.structure.id,
            categorie="COMPTE",
            sous_categorie="C_CONNEXION",
            resume="Mot de passe refusé",
            description="Mon mot de passe est refusé depuis ce matin.",
            telephone="0478123456",
            pieces=(FichierJoint("capture.pdf", PDF),),
        ),
    )
    monde.chorus.support.prendre_en_charge(agent.id, ticket.numero)
    monde.chorus.support.proposer_solution(
        agent.id, ticket.numero, "Videz le cache de votre navigateur puis reconnectez-vous."
    )

    async def page(pilot: Pilot[None]) -> None:
        await connecter(pilot, monde.gestionnaire.email)
        pilot.app.push_screen(EcranTicket(ticket.numero))
        await attendre(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, EcranTicket) and pilot.app.screen.ticket is not None
            ),
        )
        await pilot.app.workers.wait_for_complete()
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()

    assert snap_compare(application(monde), terminal_size=TAILLE, run_before=page)
