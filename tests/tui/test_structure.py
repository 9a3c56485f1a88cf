"""Structure management from the terminal: the gestionnaire changes the structure through its
tabs, a member only reads it, a new user creates their structure and acts for it. Every
assertion that matters reads the store through the use cases."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from chorus.adapters.tui.ecrans.espace import EspaceMemoires
from chorus.adapters.tui.ecrans.structure import EcranMesStructures, EcranStructure
from chorus.adapters.tui.ecrans.structure_communs import TablePaginee
from chorus.adapters.tui.formulaires import id_champ, id_erreur
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    StatutRattachement,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.utilisateur import Utilisateur
from tests.monde import PDF, PNG, Monde
from tests.tui.aides import MOT_DE_PASSE, TAILLE, application, attendre, connecter

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]

AUTRE_IBAN = "FR1420041010050500013M02606"
AUTRE_BIC = "PSSTFRPPLIL"
SIRET_NOUVEAU = "73282932000074"


# -- driving the screens ------------------------------------------------------------------


def stockee(monde: Monde) -> Structure:
    """The Cabinet Durand as the store holds it now."""
    return monde.chorus.structures.obtenir_pour_gestion(monde.gestionnaire.id, monde.structure.id)


async def ouvrir_structure(pilot: Pilot[None], utilisateur: Utilisateur) -> EcranStructure:
    await connecter(pilot, utilisateur.email)
    await pilot.press("f3")
    await attendre(
        pilot,
        lambda: isinstance(pilot.app.screen, EcranStructure) and pilot.app.screen.etat is not None,
    )
    ecran = pilot.app.screen
    assert isinstance(ecran, EcranStructure)
    return ecran


async def onglet(pilot: Pilot[None], ecran: EcranStructure, nom: str) -> None:
    ecran.montrer(nom)
    await pilot.pause()


async def remplir(pilot: Pilot[None], formulaire: str, champ: str, texte: str) -> None:
    """Type in the field `champ` of the form `formulaire` (several forms of the screen
    have a « libelle »)."""
    saisie = pilot.app.screen.query_one(f"#{formulaire} #{id_champ(champ)}", Input)
    saisie.value = texte
    await pilot.pause()


async def choisir(pilot: Pilot[None], formulaire: str, champ: str, valeur: str) -> None:
    select: Select[str] = pilot.app.screen.query_one(f"#{formulaire} #{id_champ(champ)}", Select)
    select.value = valeur
    await pilot.pause()


def saisie(pilot: Pilot[None], formulaire: str, champ: str) -> str:
    return pilot.app.screen.query_one(f"#{formulaire} #{id_champ(champ)}", Input).value


def erreur(pilot: Pilot[None], formulaire: str, champ: str) -> str:
    return str(pilot.app.screen.query_one(f"#{formulaire} #{id_erreur(champ)}", Static).render())


async def cliquer(pilot: Pilot[None], selecteur: str) -> None:
    """Click a button, once the notifications that may cover it are gone."""
    pilot.app.clear_notifications()
    pilot.app.screen.query_one(selecteur).scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(selecteur)


def table(pilot: Pilot[None], ident: str) -> TablePaginee:
    return pilot.app.screen.query_one(f"#{ident}", TablePaginee)


def nouvel_utilisateur(monde: Monde, nom: str) -> Utilisateur:
    utilisateur = monde.chorus.utilisateurs.creer_compte(
        email=f"{nom}@exemple.fr", nom=nom.capitalize(), prenom="Nouveau", actif=True
    )
    monde.chorus.comptes.definir_mot_de_passe(utilisateur.id, MOT_DE_PASSE)
    return utilisateur


# -- the gestionnaire ---------------------------------------------------------------------


async def test_le_gestionnaire_gere_services_habilitations_et_rattachements(
    monde: Monde,
) -> None:
    membre = monde.sans_habilitation
    nouveau = nouvel_utilisateur(monde, "candidat")
    demande = monde.chorus.structures.demander_rattachement(
        nouveau.id, monde.structure.id
    ).rattachement_de(nouveau.id)
    assert demande is not None
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_structure(pilot, monde.gestionnaire)
        assert ecran.etat is not None
        assert ecran.etat.gestion

        # -- a service added, refused when its code exists, then deactivated
        await onglet(pilot, ecran, "services")
        await remplir(pilot, "form-ajout-service", "code", "arch")
        await remplir(pilot, "form-ajout-service", "libelle", "Archives")
        await cliquer(pilot, "#ajouter-service")

        def archives() -> list[tuple[str, bool]]:
            return [(s.libelle, s.actif) for s in stockee(monde).services if s.code == "ARCH"]

        await attendre(pilot, lambda: archives() == [("Archives", True)])
        await attendre(pilot, lambda: table(pilot, "table-services").table.row_count == 3)
        # Saved: the form is ready for the next one; the new service is the one selected.
        assert saisie(pilot, "form-ajout-service", "code") == ""
        assert table(pilot, "table-services").selection == next(
            s.id for s in stockee(monde).services if s.code == "ARCH"
        )
        await remplir(pilot, "form-ajout-service", "code", "ARCH")
        await remplir(pilot, "form-ajout-service", "libelle", "Doublon")
        await cliquer(pilot, "#ajouter-service")
        await attendre(pilot, lambda: "existe déjà" in erreur(pilot, "form-ajout-service", "code"))
        assert saisie(pilot, "form-ajout-service", "libelle") == "Doublon"
        assert len(stockee(monde).services) == 3
        await cliquer(pilot, "#basculer-service")
        await attendre(pilot, lambda: archives() == [("Archives", False)])
        await attendre(
            pilot, lambda: "Désactivé" in table(pilot, "table-services").table.get_row_at(2)
        )

        # -- a habilitation granted to a member, then removed
        await onglet(pilot, ecran, "habilitations")
        await choisir(pilot, "form-habilitation", "utilisateur_id", membre.id)
        # The list follows the member chosen: none yet.
        assert table(pilot, "table-habilitations").table.row_count == 0
        await choisir(pilot, "form-habilitation", "profil", Profil.CONSULTATION.value)
        await choisir(pilot, "form-habilitation", "service_id", monde.psy_id)
        await cliquer(pilot, "#accorder-habilitation")
        await attendre(pilot, lambda: len(stockee(monde).habilitations_de(membre.id)) == 1)
        (accordee,) = stockee(monde).habilitations_de(membre.id)
        assert (accordee.application, accordee.profil, accordee.service_id) == (
            Application.FRAIS_DE_JUSTICE,
            Profil.CONSULTATION,
            monde.psy_id,
        )
        await attendre(pilot, lambda: table(pilot, "table-habilitations").selection == accordee.id)
        await cliquer(pilot, "#retirer-habilitation")
        await attendre(pilot, lambda: bool(pilot.app.screen.query("#confirmer")))
        await cliquer(pilot, "#confirmer")
        await attendre(pilot, lambda: stockee(monde).habilitations_de(membre.id) == ())
        await attendre(pilot, lambda: table(pilot, "table-habilitations").table.row_count == 0)

        # One's own rights are another gestionnaire's to change: refused under the field.
        avant = stockee(monde)
        await choisir(pilot, "form-habilitation", "utilisateur_id", monde.gestionnaire.id)
        await cliquer(pilot, "#accorder-habilitation")
        await attendre(
            pilot,
            lambda: "propres habilitations" in erreur(pilot, "form-habilitation", "utilisateur_id"),
        )
        assert stockee(monde) == avant

        # -- a pending request validated
        await onglet(pilot, ecran, "utilisateurs")
        liste = table(pilot, "table-utilisateurs")
        # Pending requests come first, with the applicant's name and email.
        assert liste.selection == demande.id
        cellules = liste.table.get_row(demande.id)
        assert cellules[:3] == ["Nouveau Candidat", nouveau.email, "En cours de validation"]
        await cliquer(pilot, "#valider-rattachement")

        def statut() -> StatutRattachement | None:
            r = stockee(monde).rattachement_de(nouveau.id)
            return None if r is None else r.statut

        await attendre(pilot, lambda: statut() is StatutRattachement.VALIDEE)
        await attendre(pilot, lambda: liste.table.get_row(demande.id)[2] == "Validé")
        # A validated member has no habilitation until one is granted.
        assert stockee(monde).habilitations_de(nouveau.id) == ()


async def test_le_gestionnaire_ajoute_une_coordonnee_bancaire_puis_agit_ailleurs(
    monde: Monde, tmp_path: Path
) -> None:
    rib = tmp_path / "RIB banque postale.pdf"
    contenu = PDF + b"RIB de test"
    rib.write_bytes(contenu)
    avant = stockee(monde)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_structure(pilot, monde.gestionnaire)
        await onglet(pilot, ecran, "coordonnees")
        await remplir(pilot, "form-coordonnee", "libelle", "Compte épargne")
        await remplir(pilot, "form-coordonnee", "iban", AUTRE_IBAN[:-1] + "7")
        await remplir(pilot, "form-coordonnee", "bic", AUTRE_BIC)
        await remplir(pilot, "form-coordonnee", "fichier", str(rib))
        await cliquer(pilot, "#ajouter-coordonnee")
        await attendre(pilot, lambda: "IBAN" in erreur(pilot, "form-coordonnee", "iban"))
        # Refused before anything was deposited: the store is as it was, the form as typed.
        apres_refus = stockee(monde)
        assert apres_refus.version == avant.version
        assert apres_refus.pieces == avant.pieces
        assert apres_refus.coordonnees_bancaires == avant.coordonnees_bancaires
        assert saisie(pilot, "form-coordonnee", "libelle") == "Compte épargne"
        assert saisie(pilot, "form-coordonnee", "fichier") == str(rib)

        await remplir(pilot, "form-coordonnee", "iban", AUTRE_IBAN)
        await cliquer(pilot, "#ajouter-coordonnee")
        await attendre(pilot, lambda: len(stockee(monde).coordonnees_bancaires) == 2)
        structure = stockee(monde)
        ajoutee = structure.coordonnees_bancaires[-1]
        assert (ajoutee.libelle, ajoutee.iban, ajoutee.bic) == (
            "Compte épargne",
            AUTRE_IBAN,
            AUTRE_BIC,
        )
        piece = structure.piece(ajoutee.piece_jointe_id)
        assert piece.type_piece is TypePiece.COORDONNEE_BANCAIRE
        assert piece.sha256 == hashlib.sha256(contenu).hexdigest()
        assert piece.nom_fichier == "RIB banque postale.pdf"
        _, octets = monde.chorus.structures.lire_piece(
            monde.gestionnaire.id, monde.structure.id, piece.id
        )
        assert octets == contenu
        # The tab shows the store: two rows, the IBAN masked but for its last characters.
        await attendre(pilot, lambda: table(pilot, "table-coordonnees").table.row_count == 2)
        cellules = table(pilot, "table-coordonnees").table.get_row(ajoutee.id)
        assert cellules[1] == "FR14 **** **** 2606"
        assert AUTRE_IBAN not in " ".join(cellules)
        assert saisie(pilot, "form-coordonnee", "iban") == ""

        # -- the pool of pièces: a file deposited; the RIB of bank details on file stays
        await onglet(pilot, ecran, "pieces")
        attestation = tmp_path / "attestation.png"
        attestation.write_bytes(PNG)
        await choisir(pilot, "form-piece", "type_piece", TypePiece.AUTRE.value)
        await remplir(pilot, "form-piece", "designation", "Attestation d'assurance")
        await remplir(pilot, "form-piece", "fichier", str(attestation))
        await cliquer(pilot, "#deposer-piece")
        await attendre(pilot, lambda: len(stockee(monde).pieces) == len(structure.pieces) + 1)
        deposee = stockee(monde).pieces[-1]
        assert (deposee.designation, deposee.type_piece, deposee.sha256) == (
            "Attestation d'assurance",
            TypePiece.AUTRE,
            hashlib.sha256(PNG).hexdigest(),
        )
        await attendre(pilot, lambda: table(pilot, "table-pieces").selectionner(piece.id))
        await cliquer(pilot, "#retirer-piece")
        await attendre(pilot, lambda: bool(pilot.app.screen.query("#confirmer")))
        await cliquer(pilot, "#confirmer")
        await attendre(pilot, lambda: "RIB" in erreur(pilot, "liste-pieces", "piece_id"))
        assert piece in stockee(monde).pieces

        # -- then, from « Mes structures » (F6), acting for another structure: the mémoire
        # space is rebuilt for it, not the Cabinet's shown again.
        espace_cabinet = next(e for e in app.screen_stack if isinstance(e, EspaceMemoires))
        # A second structure, created once signed in (else login asks which one).
        autre = monde.chorus.structures.creer(
            monde.gestionnaire.id,
            type_structure=TypeStructure.ASSOCIATION,
            type_identifiant=TypeIdentifiant.SIRET,
            identifiant=SIRET_NOUVEAU,
            raison_sociale="Association d'interprètes",
            adresse=Adresse.creer(ligne1="1 place Bellecour", code_postal="69002", ville="Lyon"),
        )
        await pilot.press("f6")
        await attendre(
            pilot, lambda: isinstance(app.screen, EcranMesStructures) and app.screen.charge
        )
        assert table(pilot, "table-rattachements").selectionner(autre.id)
        await pilot.press("ctrl+o")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceMemoires))
        assert app.session is not None
        assert app.session.structure_id == autre.id
        # The space shown is a new one, for that structure, alone on the stack.
        assert app.screen is not espace_cabinet
        assert [type(e) for e in app.screen_stack[1:]] == [EspaceMemoires]


# -- a member who is not gestionnaire ---------------------------------------------------------


async def test_un_membre_non_gestionnaire_ne_fait_que_consulter(monde: Monde) -> None:
    avant = stockee(monde)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        ecran = await ouvrir_structure(pilot, monde.consultant)
        assert ecran.etat is not None
        assert not ecran.etat.gestion
        assert "réservée à son gestionnaire" in str(
            ecran.query_one("#onglet-informations .lecture-seule", Static).render()
        )
        assert ecran.query_one("#onglet-informations .lecture-seule").display
        # The structure's data is there, read-only.
        informations = ecran.query_one("#form-informations")
        raison_sociale = informations.query_one(f"#{id_champ('raison_sociale')}", Input)
        assert raison_sociale.value == "Cabinet Durand"
        assert raison_sociale.disabled
        assert not ecran.query_one("#onglet-informations .gestion-seule").display
        await onglet(pilot, ecran, "services")
        assert table(pilot, "table-services").table.row_count == 2
        for formulaire in ("#form-ajout-service", "#form-service", "#form-coordonnee"):
            assert not ecran.query_one(formulaire).display
        # Other members and their rights are the gestionnaire's business.
        assert not ecran.query_one("#gestion-utilisateurs").display
        await onglet(pilot, ecran, "habilitations")
        assert table(pilot, "table-habilitations").table.row_count == 1

        # Even driven by the keys, with a form filled behind the scenes, nothing changes.
        await onglet(pilot, ecran, "services")
        await remplir(pilot, "form-ajout-service", "code", "PIRATE")
        await remplir(pilot, "form-ajout-service", "libelle", "Pirate")
        table(pilot, "table-services").table.focus()
        await pilot.press("ctrl+n", "ctrl+t")
        await onglet(pilot, ecran, "informations")
        raison_sociale.disabled = False
        raison_sociale.value = "Cabinet Pirate"
        raison_sociale.focus()
        await pilot.press("ctrl+s")
        # Whatever the keys started has finished (rather than a fixed delay) before the check.
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        apres = stockee(monde)
        assert apres.version == avant.version
        assert apres == avant


# -- a new user -------------------------------------------------------------------------------


async def test_un_nouvel_utilisateur_demande_un_rattachement_cree_sa_structure_et_agit(
    monde: Monde,
) -> None:
    nouveau = nouvel_utilisateur(monde, "creatrice")
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        await connecter(pilot, nouveau.email)
        await attendre(pilot, lambda: isinstance(app.screen, EcranMesStructures))
        ecran = app.screen
        assert isinstance(ecran, EcranMesStructures)
        await attendre(pilot, lambda: ecran.charge)
        assert table(pilot, "table-rattachements").table.row_count == 0

        # -- asking to join the Cabinet Durand, known by its Chorus identifier
        await pilot.press("ctrl+t")
        await remplir(pilot, "form-rattachement", "structure_id", "inconnue")
        await cliquer(pilot, "#demander-rattachement")
        await attendre(
            pilot, lambda: "Aucune structure" in erreur(pilot, "form-rattachement", "structure_id")
        )
        assert monde.chorus.structures.mes_rattachements(nouveau.id) == []
        await remplir(pilot, "form-rattachement", "structure_id", monde.structure.id)
        await cliquer(pilot, "#demander-rattachement")
        await attendre(pilot, lambda: bool(monde.chorus.structures.mes_rattachements(nouveau.id)))
        (ligne,) = monde.chorus.structures.mes_rattachements(nouveau.id)
        assert ligne.structure_id == monde.structure.id
        assert ligne.rattachement.statut is StatutRattachement.EN_COURS_DE_VALIDATION
        await attendre(pilot, lambda: table(pilot, "table-rattachements").table.row_count == 1)
        assert table(pilot, "table-rattachements").table.get_row(monde.structure.id)[1] == (
            "En cours de validation"
        )
        # Not a member yet: no acting for it.
        await cliquer(pilot, "#agir")
        await pilot.pause()
        assert app.session is not None
        assert app.session.structure_id is None

        # -- creating one's own structure: a wrong SIRET refused under its field first
        await pilot.press("ctrl+n")
        await pilot.pause()
        for champ, texte in (
            ("identifiant", "12345678901234"),
            ("raison_sociale", "Traductions Martin"),
            ("adresse.ligne1", "3 rue de la République"),
            ("adresse.code_postal", "20200"),
            ("adresse.ville", "Bastia"),
        ):
            await remplir(pilot, "form-creation", champ, texte)
        await cliquer(pilot, "#creer-structure")
        await attendre(
            pilot, lambda: "clé de contrôle" in erreur(pilot, "form-creation", "identifiant")
        )
        assert monde.chorus.structures.mes_structures(nouveau.id) == []
        assert saisie(pilot, "form-creation", "raison_sociale") == "Traductions Martin"

        await remplir(pilot, "form-creation", "identifiant", SIRET_NOUVEAU)
        await pilot.press("ctrl+s")
        await attendre(pilot, lambda: len(monde.chorus.structures.mes_structures(nouveau.id)) == 1)
        (creee,) = monde.chorus.structures.mes_structures(nouveau.id)
        assert (creee.identifiant, creee.raison_sociale, creee.departement) == (
            SIRET_NOUVEAU,
            "Traductions Martin",
            "2B",
        )
        assert creee.est_gestionnaire(nouveau.id)
        await attendre(pilot, lambda: table(pilot, "table-rattachements").selection == creee.id)
        assert table(pilot, "table-rattachements").table.get_row(creee.id)[:3] == [
            "Traductions Martin",
            "Validé",
            "Gestionnaire",
        ]

        # -- acting for it: the mémoire space opens on it, and F3 shows it managed
        await cliquer(pilot, "#agir")
        await attendre(pilot, lambda: isinstance(app.screen, EspaceMemoires))
        assert app.session is not None
        assert app.session.structure_id == creee.id
        await pilot.press("f3")
        await attendre(
            pilot,
            lambda: isinstance(app.screen, EcranStructure) and app.screen.etat is not None,
        )
        assert isinstance(app.screen, EcranStructure)
        assert app.screen.etat is not None
        assert app.screen.etat.structure.id == creee.id
        assert app.screen.etat.gestion
