"""The world of the authorization matrix: two structures with their users at every level,
mémoires of structure A in every status the routes act on, mémoires of structure B, API
tokens, back-office agents, and the bearer header of each actor.

Both structures are also farms filing demandes de remboursement TIC/TICGN (a SIRET, a siège
in the Rhône — eligible since 2018 —, the TIC espace opened, their bank account with its
RIB): A has a draft, a sent and a rejected demande, B a draft and a sent one. A's
consultant and modificateur hold the TIC habilitation of their level (the gestionnaires
hold every habilitation from the structure's creation); the user limited to the PSY
service and the API tokens hold Frais de justice habilitations only. An instructeur TIC
works on every sent demande.

It is built once through the use cases (fast), served by one app, and restored between two
cells of the matrix: the memory store keeps its whole committed state in one `MemoireVive`
whose aggregates are immutable, so a copy of its dicts is a complete snapshot (what a cell
wrote is undone by putting the copy back).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import attrs
from litestar import Litestar
from litestar.testing import TestClient

from chorus.adapters.storage.memory import MemoireVive, UniteDeTravailEnMemoire
from chorus.adapters.web import ReglagesWeb, creer_app
from chorus.bootstrap import Chorus
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Application, Profil, Structure
from chorus.domain.pieces import TypePiece
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EvenementInstructionTic
from chorus.domain.tic.statuts import ActionInstructionTic
from chorus.domain.traitement import ActionTraitement
from chorus.domain.utilisateur import RoleAgent, Utilisateur
from chorus.services.comptes import ReglagesComptes
from chorus.services.tic import SaisieEnTeteTic, SaisieLigneTic
from tests import monde as monde_services
from tests.web import aides
from tests.web.conftest import BASE_URL, services_web

Entetes = dict[str, str]

# -- the actors (the columns of the matrix) -----------------------------------------------

ANONYME = "anonyme"
ETRANGER = "autre structure"
"""The gestionnaire of structure B: a user of another structure, with every right on his."""
SANS_HABILITATION = "membre sans habilitation"
CONSULTANT = "consultation"
MODIFICATEUR = "modification"
SERVICE_PSY = "modification du service PSY"
"""Habilitated in modification on one service of A only."""
GESTIONNAIRE = "gestionnaire"
AGENT = "agent de la juridiction"
"""AGENT_JURIDICTION of TJ-69123, where every mémoire of A is sent."""
AGENT_AILLEURS = "agent d'une autre juridiction"
"""AGENT_JURIDICTION of TJ-75056, where the mémoires of B are sent."""
COMPTABLE = "comptable"
JETON_CONSULTATION = "jeton d'API consultation"
JETON_MODIFICATION = "jeton d'API modification"
INSTRUCTEUR = "instructeur TIC"
"""INSTRUCTEUR_TIC (no juridiction): instructs the sent demandes TIC of every structure."""

ACTEURS = (
    ANONYME,
    ETRANGER,
    SANS_HABILITATION,
    CONSULTANT,
    MODIFICATEUR,
    SERVICE_PSY,
    GESTIONNAIRE,
    AGENT,
    AGENT_AILLEURS,
    COMPTABLE,
    JETON_CONSULTATION,
    JETON_MODIFICATION,
    INSTRUCTEUR,
)

JURIDICTION_A = "TJ-69123"
JURIDICTION_B = "TJ-75056"

NOUVEAU = "nouveau.compte@exemple.fr"
"""An account waiting for activation (its activation link is `MondeAcces.jeton_activation`)."""
OUBLIEUX = "oublieux@exemple.fr"
"""An active account with a password, which asked for a reset link."""
CANDIDAT = "candidat@exemple.fr"
"""A user whose request to join A waits for the gestionnaire."""

INSTRUCTEUR_EMAIL = "instructeur.tic@dgfip.finances.gouv.fr"

ANNEE_TIC_REJETEE = 2021
"""The year of A's rejected demande: a new demande (or the duplicate) for it may be filed."""
ANNEE_TIC_ENVOYEE = 2022
ANNEE_TIC_BROUILLON = 2023
"""The clock stands in June 2024: deliveries of 2021 to 2023 may be claimed, one demande
per structure and year (but after a rejection)."""

CARTE_GRISE = b"%PDF-1.4\n% carte grise\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
PIECE_MEMOIRE = b"%PDF-1.4\n% requisition\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
FACTURE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n% facture "


@attrs.frozen
class Memoires:
    """One structure's mémoires, by status (as built)."""

    brouillon: Memoire
    envoye: Memoire
    mis_a_disposition: Memoire | None = None
    suspendu: Memoire | None = None
    refuse: Memoire | None = None
    certifie: Memoire | None = None
    paye: Memoire | None = None
    brouillon_psy: Memoire | None = None

    def tous(self) -> list[Memoire]:
        return [
            m
            for m in (
                self.brouillon,
                self.envoye,
                self.mis_a_disposition,
                self.suspendu,
                self.refuse,
                self.certifie,
                self.paye,
                self.brouillon_psy,
            )
            if m is not None
        ]


@attrs.frozen
class DemandesTic:
    """One structure's demandes TIC, by status (as built)."""

    brouillon: DemandeTic
    """With one line and its invoice on the whole demande: ready to send."""
    envoyee: DemandeTic
    """With one line, its invoice, the RIB joined at sending and the certificat de dépôt."""
    rejetee: DemandeTic | None = None

    def tous(self) -> list[DemandeTic]:
        return [d for d in (self.brouillon, self.envoyee, self.rejetee) if d is not None]


@attrs.define
class MondeAcces:
    chorus: Chorus
    vive: MemoireVive
    client: TestClient[Litestar]
    services: monde_services.Monde
    a: Structure
    b: Structure
    memoires_a: Memoires
    memoires_b: Memoires
    tic_a: DemandesTic
    tic_b: DemandesTic
    instructeur: Utilisateur
    piece_structure_id: str
    """A pièce of A's pool other than the RIB (a carte grise)."""
    piece_memoire_id: str
    """A pièce uploaded to A's draft."""
    rattachement_candidat: str
    rattachement_consultant: str
    rattachement_modificateur: str
    rattachement_sans_habilitation: str
    habilitation_consultant: str
    jeton_api_consultation_id: str
    jeton_api_de_b_id: str
    jeton_activation: str
    jeton_reinitialisation: str
    entetes: dict[str, Entetes]
    instantane: Any = None

    # -- identities -------------------------------------------------------------------

    @property
    def service_med(self) -> str:
        return self.services.med_id

    @property
    def service_psy(self) -> str:
        return self.services.psy_id

    @property
    def coordonnee_a(self) -> str:
        return self.a.coordonnees_bancaires[0].id

    @property
    def empreinte_a(self) -> str:
        certificat = self.memoires_a.envoye.certificat
        assert certificat is not None
        return certificat.empreinte

    def identifiants_de_a(self) -> list[str]:
        """What would betray structure A in someone else's answer: its id, SIRET, raison
        sociale, its members' emails, and the id and numéros of each of its mémoires."""
        return self._identifiants(self.a, self.memoires_a, self.tic_a)

    def identifiants_de_b(self) -> list[str]:
        return self._identifiants(self.b, self.memoires_b, self.tic_b)

    def _identifiants(
        self, structure: Structure, memoires: Memoires, demandes: DemandesTic
    ) -> list[str]:
        valeurs = [structure.id, structure.identifiant, structure.raison_sociale]
        with self.chorus.ports.uow as uow:
            valeurs += [
                uow.utilisateurs.obtenir(r.utilisateur_id).email for r in structure.rattachements
            ]
        for memoire in memoires.tous():
            valeurs += _numeros(memoire)
        for demande in demandes.tous():
            valeurs += [demande.id, demande.numero]
        return valeurs

    def memoires_de_a_hors_psy(self) -> list[str]:
        """The ids and numéros of A's mémoires filed for no service (hidden from the user
        habilitated on the PSY service only)."""
        valeurs: list[str] = []
        for memoire in self.memoires_a.tous():
            if memoire.entete.service_id is None:
                valeurs += _numeros(memoire)
        return valeurs

    def memoires_courants(self, structure_id: str) -> list[Memoire]:
        """The stored mémoires of a structure now (statuses may differ from the world's)."""
        return [m for m in self.vive.etat.memoires.values() if m.structure_id == structure_id]

    # -- snapshots --------------------------------------------------------------------

    def etat(self) -> dict[str, dict[str, Any]]:
        """The whole committed state of the store, by kind of record (an equal one means
        nothing was written)."""
        etat = self.vive.etat
        return {champ.name: dict(getattr(etat, champ.name)) for champ in attrs.fields(type(etat))}

    def restaurer(self) -> None:
        """Put the world back as it was built (whatever the previous cell wrote)."""
        assert self.instantane is not None
        self.vive.etat = self.instantane.copie()


def _numeros(memoire: Memoire) -> list[str]:
    return [v for v in (memoire.id, memoire.numero, memoire.numero_brouillon) if v]


# -- building -----------------------------------------------------------------------------


def _session(chorus: Chorus, utilisateur: Utilisateur) -> Entetes:
    chorus.comptes.definir_mot_de_passe(utilisateur.id, aides.MOT_DE_PASSE)
    return aides.entetes_de(
        chorus.comptes.ouvrir_session(utilisateur.email, aides.MOT_DE_PASSE).jeton
    )


def _memoires_de_b(m: monde_services.Monde) -> Memoires:
    b = m.autre_structure
    entete: dict[str, object] = {
        "structure_id": b.id,
        "coordonnee_bancaire_id": b.coordonnees_bancaires[0].id,
        "juridiction_code": JURIDICTION_B,
    }
    brouillon = m.brouillon(m.etranger, 1, **entete)
    envoye = m.envoye(m.etranger, **entete)
    paye = m.envoye(m.etranger, **entete)
    for action in (
        ActionTraitement.MISE_A_DISPOSITION,
        ActionTraitement.CERTIFICATION,
        ActionTraitement.MISE_EN_PAIEMENT,
    ):
        paye = m.evenement(
            paye,
            action,
            agent=m.comptable if action is ActionTraitement.MISE_EN_PAIEMENT else m.agent_ailleurs,
        )
    return Memoires(brouillon=brouillon, envoye=envoye, paye=paye)


def _demandes_tic(
    chorus: Chorus,
    gestionnaire_id: str,
    structure: Structure,
    instructeur: Utilisateur,
    *,
    rejetee: bool,
) -> DemandesTic:
    """The structure's TIC espace opened and its demandes filed through the use cases."""
    tic = chorus.tic
    chorus.structures.activer_espace_tic(gestionnaire_id, structure.id)
    factures = iter(range(1, 100))

    def prete(annee: int) -> DemandeTic:
        demande = tic.creer(
            gestionnaire_id,
            SaisieEnTeteTic(
                structure_id=structure.id,
                annee=annee,
                coordonnee_bancaire_id=structure.coordonnees_bancaires[0].id,
                attestation_non_difficulte=True,
            ),
        )
        numero = f"FAC-{structure.identifiant}-{annee}-{next(factures)}"
        tic.ajouter_ligne(
            gestionnaire_id,
            demande.id,
            SaisieLigneTic(
                numero_facture=numero,
                fournisseur="Coopérative du Val",
                date_livraison=date(annee, 3, 10),
                produit=ProduitTic.GAZOLE_NON_ROUTIER,
                quantite="1000",
            ),
        )
        tic.joindre_piece(
            gestionnaire_id,
            demande.id,
            contenu=FACTURE + numero.encode() + b"\n",
            nom_fichier="facture.pdf",
            designation="Facture du fournisseur",
        )
        return tic.obtenir(gestionnaire_id, demande.id)

    def envoyee(annee: int) -> DemandeTic:
        return tic.envoyer(gestionnaire_id, prete(annee).id)

    rejet: DemandeTic | None = None
    if rejetee:
        rejet = envoyee(ANNEE_TIC_REJETEE)
        for reference, action in enumerate(
            (ActionInstructionTic.MISE_A_DISPOSITION, ActionInstructionTic.REJET)
        ):
            rejet = chorus.instruction_tic.appliquer_evenement(
                instructeur.id,
                rejet.id,
                EvenementInstructionTic.creer(
                    action=action,
                    reference=f"DDFIP-{structure.identifiant}-{reference}",
                    date_evenement=chorus.ports.clock.maintenant(),
                    motif="Factures illisibles" if action.motif_obligatoire else None,
                ),
            )
    return DemandesTic(
        envoyee=envoyee(ANNEE_TIC_ENVOYEE), brouillon=prete(ANNEE_TIC_BROUILLON), rejetee=rejet
    )


def construire(reglages_web: ReglagesWeb | None = None) -> Iterator[MondeAcces]:
    """Build the world and serve it; yields it with its test client open."""
    vive = MemoireVive()
    m = monde_services.construire_monde(
        UniteDeTravailEnMemoire(vive), reglages=ReglagesComptes(captcha_actif=False)
    )
    chorus = m.chorus
    s = chorus.structures
    gid = m.gestionnaire.id

    carte_grise = s.deposer_piece(
        gid,
        m.structure.id,
        contenu=CARTE_GRISE,
        nom_fichier="carte-grise.pdf",
        type_piece=TypePiece.AUTRE,
        designation="Carte grise",
    )
    brouillon = m.brouillon()
    piece = chorus.memoires.joindre_piece(
        gid,
        brouillon.id,
        contenu=PIECE_MEMOIRE,
        nom_fichier="requisition.pdf",
        type_piece=TypePiece.REQUISITION,
    )
    memoires_a = Memoires(
        brouillon=chorus.memoires.obtenir(gid, brouillon.id),
        envoye=m.envoye(),
        mis_a_disposition=m.mis_a_disposition(),
        suspendu=m.suspendu(),
        refuse=m.refuse(),
        certifie=m.evenement(m.mis_a_disposition(), ActionTraitement.CERTIFICATION),
        paye=m.paye(),
        brouillon_psy=m.brouillon(service_id=m.psy_id),
    )
    memoires_b = _memoires_de_b(m)

    instructeur = chorus.utilisateurs.creer_agent(
        email=INSTRUCTEUR_EMAIL, nom="Instructeur", prenom="TIC", role=RoleAgent.INSTRUCTEUR_TIC
    )
    for membre, profil in (
        (m.consultant, Profil.CONSULTATION),
        (m.modificateur, Profil.MODIFICATION),
    ):
        s.accorder_habilitation(
            gid,
            m.structure.id,
            utilisateur_id=membre.id,
            application=Application.TIC,
            profil=profil,
        )
    tic_a = _demandes_tic(chorus, gid, m.structure, instructeur, rejetee=True)
    tic_b = _demandes_tic(chorus, m.etranger.id, m.autre_structure, instructeur, rejetee=False)

    candidat = chorus.utilisateurs.creer_compte(
        email=CANDIDAT, nom="Candidat", prenom="Test", actif=True
    )
    a = s.demander_rattachement(candidat.id, m.structure.id)
    expire = m.horloge.maintenant() + timedelta(days=30)
    jeton_consultation = chorus.comptes.creer_jeton_api(
        gid, a.id, libelle="Lecture", profil=Profil.CONSULTATION, expire_le=expire
    )
    jeton_modification = chorus.comptes.creer_jeton_api(
        gid, a.id, libelle="Intégration", profil=Profil.MODIFICATION, expire_le=expire
    )
    a = s.obtenir(gid, a.id)
    jeton_de_b = chorus.comptes.creer_jeton_api(
        m.etranger.id,
        m.autre_structure.id,
        libelle="Logiciel de B",
        profil=Profil.CONSULTATION,
        expire_le=expire,
    )

    def rattachement(utilisateur: Utilisateur) -> str:
        trouve = a.rattachement_de(utilisateur.id)
        assert trouve is not None
        return trouve.id

    habilitation_consultant = next(
        h.id
        for h in a.habilitations_de(m.consultant.id)
        if h.application is Application.FRAIS_DE_JUSTICE
    )

    chorus.comptes.inscrire(
        email=NOUVEAU,
        mot_de_passe=aides.MOT_DE_PASSE,
        nom="Nouveau",
        prenom="Compte",
        question_secrete=aides.QUESTION,
        reponse_secrete=aides.REPONSE,
        captcha_id="sans-objet",
        captcha_reponse="sans-objet",
    )
    aides.creer_compte_actif(chorus, OUBLIEUX, nom="Oublieux")
    chorus.comptes.mot_de_passe_oublie(OUBLIEUX)

    entetes: dict[str, Entetes] = {ANONYME: {}}
    for nom, utilisateur in (
        (ETRANGER, m.etranger),
        (SANS_HABILITATION, m.sans_habilitation),
        (CONSULTANT, m.consultant),
        (MODIFICATEUR, m.modificateur),
        (SERVICE_PSY, m.service_psy),
        (GESTIONNAIRE, m.gestionnaire),
        (AGENT, m.agent),
        (AGENT_AILLEURS, m.agent_ailleurs),
        (COMPTABLE, m.comptable),
        (INSTRUCTEUR, instructeur),
    ):
        entetes[nom] = _session(chorus, utilisateur)
    entetes[JETON_CONSULTATION] = aides.entetes_de(jeton_consultation.secret)
    entetes[JETON_MODIFICATION] = aides.entetes_de(jeton_modification.secret)

    app = creer_app(
        services_web(chorus),
        reglages_web or ReglagesWeb(captcha_desactive=True, limite_comptes=("minute", 100_000)),
    )
    app.state["chorus_de_test"] = chorus
    with TestClient(app, base_url=BASE_URL) as client:
        monde = MondeAcces(
            chorus=chorus,
            vive=vive,
            client=client,
            services=m,
            a=a,
            b=s.obtenir(m.etranger.id, m.autre_structure.id),
            memoires_a=memoires_a,
            memoires_b=memoires_b,
            tic_a=tic_a,
            tic_b=tic_b,
            instructeur=instructeur,
            piece_structure_id=carte_grise.id,
            piece_memoire_id=piece.id,
            rattachement_candidat=rattachement(candidat),
            rattachement_consultant=rattachement(m.consultant),
            rattachement_modificateur=rattachement(m.modificateur),
            rattachement_sans_habilitation=rattachement(m.sans_habilitation),
            habilitation_consultant=habilitation_consultant,
            jeton_api_consultation_id=jeton_consultation.jeton.id,
            jeton_api_de_b_id=jeton_de_b.jeton.id,
            jeton_activation=aides.jeton_du_courriel(chorus, NOUVEAU, "activation"),
            jeton_reinitialisation=aides.jeton_du_courriel(chorus, OUBLIEUX, "reinitialisation"),
            entetes=entetes,
        )
        monde.instantane = vive.etat.copie()
        yield monde
