"""Organisation use cases: structures, services, bank details, espaces, rattachements,
habilitations, and user accounts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest

from chorus.domain.errors import (
    AccesRefuse,
    Conflit,
    DomainError,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.organisation import (
    Adresse,
    Application,
    Profil,
    Regime,
    StatutRattachement,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur
from tests.monde import BIC, IBAN, PDF, PNG, SIRET_CABINET, Monde, saisie_ligne

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


SIRET_NOUVEAU = "73282932000074"
IBAN_2 = "DE89370400440532013000"
BIC_2 = "COBADEFFXXX"


def relire(monde: Monde) -> Structure:
    return monde.chorus.structures.obtenir(monde.gestionnaire.id, monde.structure.id)


def refuse_sans_rien_changer(
    monde: Monde, erreur: type[DomainError], agir: Callable[[], object]
) -> DomainError:
    avant = relire(monde)
    with pytest.raises(erreur) as refus:
        agir()
    assert relire(monde) == avant
    return refus.value


def compte(monde: Monde, nom: str) -> Utilisateur:
    return monde.chorus.utilisateurs.creer_compte(
        email=f"{nom}@exemple.fr", nom=nom.capitalize(), prenom="Test", actif=True
    )


def adresse(code_postal: str = "69001") -> Adresse:
    return Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal=code_postal, ville="Lyon")


def creer(
    monde: Monde,
    createur: Utilisateur,
    *,
    identifiant: str = SIRET_NOUVEAU,
    type_structure: TypeStructure = TypeStructure.ENTREPRISE,
    type_identifiant: TypeIdentifiant = TypeIdentifiant.SIRET,
    code_postal: str = "69001",
) -> Structure:
    return monde.chorus.structures.creer(
        createur.id,
        type_structure=type_structure,
        type_identifiant=type_identifiant,
        identifiant=identifiant,
        raison_sociale="Nouvelle structure",
        adresse=adresse(code_postal),
    )


# -- creation ------------------------------------------------------------------------------


def test_le_createur_est_gestionnaire_avec_toutes_les_habilitations(monde: Monde) -> None:
    createur = compte(monde, "createur")
    structure = creer(monde, createur, identifiant="732 829 320 00074")
    assert structure.identifiant == SIRET_NOUVEAU
    assert structure.departement == "69"
    assert structure.est_membre(createur.id)
    assert structure.est_gestionnaire(createur.id)
    (rattachement,) = structure.rattachements
    assert rattachement.statut is StatutRattachement.VALIDEE
    assert rattachement.gestionnaire
    habilitations = structure.habilitations_de(createur.id)
    assert {(h.application, h.profil, h.service_id) for h in habilitations} == {
        (Application.FRAIS_DE_JUSTICE, Profil.MODIFICATION, None),
        (Application.TIC, Profil.MODIFICATION, None),
    }
    assert structure.espace_frais_de_justice is None
    assert monde.chorus.structures.obtenir(createur.id, structure.id) == structure
    assert structure in monde.chorus.structures.mes_structures(createur.id)
    assert structure.libelle == f"{SIRET_NOUVEAU} – Nouvelle structure"


@pytest.mark.parametrize(
    ("code_postal", "departement"),
    [("20000", "2A"), ("20200", "2B"), ("97400", "974"), ("02100", "02")],
)
def test_departement_derive_du_code_postal(
    monde: Monde, code_postal: str, departement: str
) -> None:
    structure = creer(monde, compte(monde, "createur"), code_postal=code_postal)
    assert structure.departement == departement


@pytest.mark.parametrize("identifiant", [SIRET_CABINET, "412 345 670 00019"])
def test_siret_deja_enregistre(monde: Monde, identifiant: str) -> None:
    createur = compte(monde, "createur")
    with pytest.raises(Conflit) as refus:
        creer(monde, createur, identifiant=identifiant)
    assert refus.value.champ == "identifiant"
    assert monde.chorus.structures.mes_structures(createur.id) == []


@pytest.mark.parametrize(
    "identifiant",
    ["41234567000018", "4123456700001", "4123456700001X", ""],
    ids=["cle-fausse", "13-chiffres", "lettre", "vide"],
)
def test_siret_invalide(monde: Monde, identifiant: str) -> None:
    createur = compte(monde, "createur")
    with pytest.raises(ValidationError) as refus:
        creer(monde, createur, identifiant=identifiant)
    assert refus.value.champ == "identifiant"
    assert monde.chorus.structures.mes_structures(createur.id) == []


def test_siret_de_la_poste(monde: Monde) -> None:
    """La Poste's establishments (SIREN 356000000) do not follow the Luhn key."""
    structure = creer(monde, compte(monde, "postier"), identifiant="35600000000048")
    assert structure.identifiant == "35600000000048"


def test_particulier_s_identifie_comme_particulier(monde: Monde) -> None:
    with pytest.raises(ValidationError) as refus:
        creer(monde, compte(monde, "createur"), type_structure=TypeStructure.PARTICULIER)
    assert refus.value.champ == "type_identifiant"


def test_particulier_avec_espace_frais_de_justice_exige_un_regime(monde: Monde) -> None:
    createur = compte(monde, "expert")
    s = monde.chorus.structures
    particulier = creer(
        monde,
        createur,
        identifiant="Jean Expert",
        type_structure=TypeStructure.PARTICULIER,
        type_identifiant=TypeIdentifiant.PARTICULIER,
    )
    with pytest.raises(ValidationError) as refus:
        s.definir_espace_frais_de_justice(
            createur.id, particulier.id, categorie_prestataire="EXPERT", regime=None
        )
    assert refus.value.champ == "regime"
    assert s.obtenir(createur.id, particulier.id) == particulier
    for regime in (Regime.INDEPENDANT, Regime.COSP):
        change = s.definir_espace_frais_de_justice(
            createur.id, particulier.id, categorie_prestataire="EXPERT", regime=regime
        )
        assert change.espace_frais_de_justice is not None
        assert change.espace_frais_de_justice.regime is regime


def test_espace_frais_de_justice(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    change = s.definir_espace_frais_de_justice(
        g, monde.structure.id, categorie_prestataire="EXPERT_MEDICAL", regime=None
    )
    assert change.espace_frais_de_justice is not None
    assert change.espace_frais_de_justice.categorie_prestataire == "EXPERT_MEDICAL"
    memoire = monde.chorus.memoires.creer(g, monde.entete())
    assert memoire.entete.categorie_prestataire == "EXPERT_MEDICAL"
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        lambda: s.definir_espace_frais_de_justice(
            g, monde.structure.id, categorie_prestataire="ASTROLOGUE", regime=None
        ),
    )
    assert erreur.champ == "categorie_prestataire"


def test_modifier_la_structure(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    avant = relire(monde)
    apres = s.modifier(
        g,
        monde.structure.id,
        raison_sociale="Cabinet Durand & associés",
        adresse=adresse("75002"),
        version_attendue=avant.version,
    )
    assert apres.raison_sociale == "Cabinet Durand & associés"
    assert apres.departement == "75"
    assert apres.version == avant.version + 1
    assert relire(monde) == apres
    refuse_sans_rien_changer(
        monde,
        Conflit,
        lambda: s.modifier(
            g, monde.structure.id, raison_sociale="X", version_attendue=avant.version
        ),
    )
    erreur = refuse_sans_rien_changer(
        monde, ValidationError, lambda: s.modifier(g, monde.structure.id, raison_sociale="  ")
    )
    assert erreur.champ == "raison_sociale"


# -- services ------------------------------------------------------------------------------


def test_services(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    structure = s.ajouter_service(g, monde.structure.id, code="leg", libelle="Médecine légale")
    service = structure.services[-1]
    assert (service.code, service.libelle, service.actif) == ("LEG", "Médecine légale", True)
    assert [x.code for x in structure.services] == ["PSY", "MED", "LEG"]
    # the new service can carry mémoires
    memoire = monde.chorus.memoires.creer(g, monde.entete(service_id=service.id))
    assert memoire.entete.service_id == service.id
    erreur = refuse_sans_rien_changer(
        monde, Conflit, lambda: s.ajouter_service(g, monde.structure.id, code="psy", libelle="Bis")
    )
    assert erreur.champ == "code"
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        lambda: s.ajouter_service(g, monde.structure.id, code="", libelle="x"),
    )
    assert erreur.champ == "code"


# -- bank details --------------------------------------------------------------------------


def deposer_rib(monde: Monde, contenu: bytes = PDF + b"RIB 2") -> str:
    return monde.chorus.structures.deposer_piece(
        monde.gestionnaire.id,
        monde.structure.id,
        contenu=contenu,
        nom_fichier="RIB-2.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    ).id


def test_ajouter_une_coordonnee_bancaire(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    rib = deposer_rib(monde)
    coordonnee = s.ajouter_coordonnee_bancaire(
        g,
        monde.structure.id,
        libelle="Compte professionnel",
        iban="de89 3704 0044 0532 0130 00",
        bic=BIC_2,
        piece_jointe_id=rib,
    )
    assert coordonnee.iban == IBAN_2
    assert coordonnee.iban_masque == "DE89 **** **** 3000"
    assert relire(monde).coordonnees_bancaires[-1] == coordonnee
    # a mémoire paid on it gets its RIB at sending
    memoire = monde.brouillon(coordonnee_bancaire_id=coordonnee.id)
    envoye = monde.chorus.memoires.envoyer(g, memoire.id, attestation_sur_honneur=True)
    (rib_joint,) = [p for p in envoye.pieces if p.type_piece is TypePiece.COORDONNEE_BANCAIRE]
    assert rib_joint.sha256 == relire(monde).piece(rib).sha256


@pytest.mark.parametrize(
    ("iban", "bic", "champ"),
    [
        pytest.param("FR7630006000011234567890188", BIC, "iban", id="iban-cle-fausse"),
        pytest.param("FR76300060000112345", BIC, "iban", id="iban-trop-court"),
        pytest.param("pas un iban", BIC, "iban", id="iban-illisible"),
        pytest.param(IBAN_2, "COBA", "bic", id="bic-trop-court"),
    ],
)
def test_coordonnee_bancaire_invalide(monde: Monde, iban: str, bic: str, champ: str) -> None:
    rib = deposer_rib(monde)
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        lambda: monde.chorus.structures.ajouter_coordonnee_bancaire(
            monde.gestionnaire.id,
            monde.structure.id,
            libelle="Compte",
            iban=iban,
            bic=bic,
            piece_jointe_id=rib,
        ),
    )
    assert erreur.champ == champ


def test_le_rib_doit_etre_une_piece_coordonnee_bancaire(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    autre = s.deposer_piece(
        g, monde.structure.id, contenu=PNG, nom_fichier="photo.png", type_piece=TypePiece.AUTRE
    )
    for piece_id in (autre.id, "piece-inconnue"):
        erreur = refuse_sans_rien_changer(
            monde,
            ValidationError,
            partial(
                s.ajouter_coordonnee_bancaire,
                g,
                monde.structure.id,
                libelle="Compte",
                iban=IBAN_2,
                bic=BIC_2,
                piece_jointe_id=piece_id,
            ),
        )
        assert erreur.champ == "piece_jointe_id"


def test_meme_iban_deux_fois(monde: Monde) -> None:
    rib = deposer_rib(monde)
    erreur = refuse_sans_rien_changer(
        monde,
        Conflit,
        lambda: monde.chorus.structures.ajouter_coordonnee_bancaire(
            monde.gestionnaire.id,
            monde.structure.id,
            libelle="Doublon",
            iban=IBAN.lower()[:4] + " " + IBAN[4:],
            bic=BIC,
            piece_jointe_id=rib,
        ),
    )
    assert erreur.champ == "iban"


def test_retirer_une_coordonnee_bancaire(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    coordonnee = s.ajouter_coordonnee_bancaire(
        g,
        monde.structure.id,
        libelle="Second",
        iban=IBAN_2,
        bic=BIC_2,
        piece_jointe_id=deposer_rib(monde),
    )
    apres = s.retirer_coordonnee_bancaire(g, monde.structure.id, coordonnee.id)
    assert [c.id for c in apres.coordonnees_bancaires] == [
        monde.structure.coordonnees_bancaires[0].id
    ]
    refuse_sans_rien_changer(
        monde,
        AccesRefuse,
        lambda: s.retirer_coordonnee_bancaire(
            monde.modificateur.id, monde.structure.id, apres.coordonnees_bancaires[0].id
        ),
    )


# -- pièces of the structure ---------------------------------------------------------------


def test_deposer_et_relire_une_piece_de_la_structure(monde: Monde) -> None:
    s = monde.chorus.structures
    contenu = PNG + b"carte grise"
    piece = s.deposer_piece(
        monde.modificateur.id,
        monde.structure.id,
        contenu=contenu,
        nom_fichier="../carte grise.png",
        type_piece=TypePiece.AUTRE,
    )
    assert piece.nom_fichier == "carte grise.png"
    assert piece.numero_ligne is None
    assert relire(monde).pieces[-1] == piece
    lue, octets = s.lire_piece(monde.consultant.id, monde.structure.id, piece.id)
    assert (lue, octets) == (piece, contenu)
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        lambda: s.deposer_piece(
            monde.gestionnaire.id,
            monde.structure.id,
            contenu=b"MZ\x90\x00 un executable",
            nom_fichier="rib.pdf",
            type_piece=TypePiece.COORDONNEE_BANCAIRE,
        ),
    )
    assert erreur.champ == "fichier"
    with pytest.raises(NonTrouve):
        s.lire_piece(monde.etranger.id, monde.structure.id, piece.id)


# -- rattachements ---------------------------------------------------------------------------


def test_rattachement_demande_puis_valide(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    nouveau = compte(monde, "nouveau")
    demande = s.demander_rattachement(nouveau.id, monde.structure.id).rattachement_de(nouveau.id)
    assert demande is not None
    assert demande.statut is StatutRattachement.EN_COURS_DE_VALIDATION
    assert not demande.gestionnaire
    with pytest.raises(NonTrouve):
        s.obtenir(nouveau.id, monde.structure.id)
    assert s.mes_structures(nouveau.id) == []
    refuse_sans_rien_changer(
        monde, Conflit, lambda: s.demander_rattachement(nouveau.id, monde.structure.id)
    )

    valide = s.valider_rattachement(g, monde.structure.id, demande.id)
    decision = valide.rattachement_de(nouveau.id)
    assert decision is not None
    assert decision.statut is StatutRattachement.VALIDEE
    assert decision.date_decision is not None
    assert valide.est_membre(nouveau.id)
    assert not valide.est_gestionnaire(nouveau.id)
    assert valide.habilitations_de(nouveau.id) == ()
    # a member without any habilitation sees nothing of the structure yet
    assert s.mes_structures(nouveau.id) == []
    with pytest.raises(AccesRefuse):
        s.obtenir(nouveau.id, monde.structure.id)
    # nor may act on mémoires
    with pytest.raises(AccesRefuse):
        monde.chorus.memoires.creer(nouveau.id, monde.entete())

    refuse_sans_rien_changer(
        monde, TransitionInvalide, lambda: s.valider_rattachement(g, monde.structure.id, demande.id)
    )
    refuse_sans_rien_changer(
        monde, Conflit, lambda: s.demander_rattachement(nouveau.id, monde.structure.id)
    )


def test_rattachement_refuse_puis_redemande(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    nouveau = compte(monde, "nouveau")
    demande = s.demander_rattachement(nouveau.id, monde.structure.id).rattachement_de(nouveau.id)
    assert demande is not None
    refusee = s.refuser_rattachement(g, monde.structure.id, demande.id)
    decision = refusee.rattachement_de(nouveau.id)
    assert decision is not None
    assert decision.statut is StatutRattachement.REFUSEE
    assert not refusee.est_membre(nouveau.id)
    with pytest.raises(NonTrouve):
        s.obtenir(nouveau.id, monde.structure.id)
    refuse_sans_rien_changer(
        monde, TransitionInvalide, lambda: s.valider_rattachement(g, monde.structure.id, demande.id)
    )
    # a refused user may ask again
    encore = s.demander_rattachement(nouveau.id, monde.structure.id).rattachement_de(nouveau.id)
    assert encore is not None
    assert encore.statut is StatutRattachement.EN_COURS_DE_VALIDATION
    assert encore.id != demande.id


def test_rattachement_inconnu(monde: Monde) -> None:
    s = monde.chorus.structures
    refuse_sans_rien_changer(
        monde,
        NonTrouve,
        lambda: s.valider_rattachement(monde.gestionnaire.id, monde.structure.id, "inconnu"),
    )
    with pytest.raises(NonTrouve):
        s.demander_rattachement(monde.consultant.id, "structure-inconnue")


def test_un_membre_ne_redemande_pas(monde: Monde) -> None:
    refuse_sans_rien_changer(
        monde,
        Conflit,
        lambda: monde.chorus.structures.demander_rattachement(
            monde.consultant.id, monde.structure.id
        ),
    )


# -- habilitations -------------------------------------------------------------------------


def habiliter(
    monde: Monde, qui: Utilisateur, profil: Profil, service_id: str | None = None
) -> Structure:
    monde.chorus.structures.accorder_habilitation(
        monde.gestionnaire.id,
        monde.structure.id,
        utilisateur_id=qui.id,
        application=Application.FRAIS_DE_JUSTICE,
        profil=profil,
        service_id=service_id,
    )
    return relire(monde)


def test_accorder_puis_remplacer_une_habilitation(monde: Monde) -> None:
    qui = monde.sans_habilitation
    cible = monde.brouillon()
    structure = habiliter(monde, qui, Profil.CONSULTATION)
    (h,) = structure.habilitations_de(qui.id)
    assert (h.application, h.profil, h.service_id) == (
        Application.FRAIS_DE_JUSTICE,
        Profil.CONSULTATION,
        None,
    )
    assert monde.chorus.memoires.obtenir(qui.id, cible.id) == cible
    with pytest.raises(AccesRefuse):
        monde.chorus.memoires.creer(qui.id, monde.entete())
    # granting again the same application and scope replaces the profile
    structure = habiliter(monde, qui, Profil.MODIFICATION)
    (h2,) = structure.habilitations_de(qui.id)
    assert h2.profil is Profil.MODIFICATION
    assert monde.chorus.memoires.creer(qui.id, monde.entete()).statut.value == "BROUILLON"
    # another scope (a service) is another habilitation
    structure = habiliter(monde, qui, Profil.CONSULTATION, monde.med_id)
    assert {(x.profil, x.service_id) for x in structure.habilitations_de(qui.id)} == {
        (Profil.MODIFICATION, None),
        (Profil.CONSULTATION, monde.med_id),
    }


def test_habilitation_limitee_a_un_service(monde: Monde) -> None:
    qui = monde.sans_habilitation
    habiliter(monde, qui, Profil.MODIFICATION, monde.med_id)
    m = monde.chorus.memoires
    med = m.creer(qui.id, monde.entete(service_id=monde.med_id))
    m.ajouter_ligne(qui.id, med.id, saisie_ligne())
    psy = monde.brouillon(service_id=monde.psy_id)
    with pytest.raises(AccesRefuse):
        m.obtenir(qui.id, psy.id)
    with pytest.raises(AccesRefuse):
        m.creer(qui.id, monde.entete(service_id=monde.psy_id))


def test_accorder_refuse(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    etranger_au_cabinet = compte(monde, "visiteur")
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        lambda: s.accorder_habilitation(
            g,
            monde.structure.id,
            utilisateur_id=etranger_au_cabinet.id,
            application=Application.FRAIS_DE_JUSTICE,
            profil=Profil.CONSULTATION,
        ),
    )
    assert erreur.champ == "utilisateur_id"
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        lambda: s.accorder_habilitation(
            g,
            monde.structure.id,
            utilisateur_id=monde.sans_habilitation.id,
            application=Application.FRAIS_DE_JUSTICE,
            profil=Profil.CONSULTATION,
            service_id="service-inconnu",
        ),
    )
    assert erreur.champ == "service_id"


def test_retirer_une_habilitation(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    cible = monde.brouillon()
    (h,) = relire(monde).habilitations_de(monde.consultant.id)
    apres = s.retirer_habilitation(g, monde.structure.id, h.id)
    assert apres.habilitations_de(monde.consultant.id) == ()
    assert apres.est_membre(monde.consultant.id)
    with pytest.raises(AccesRefuse):
        monde.chorus.memoires.obtenir(monde.consultant.id, cible.id)
    refuse_sans_rien_changer(
        monde, NonTrouve, lambda: s.retirer_habilitation(g, monde.structure.id, h.id)
    )


def test_le_gestionnaire_ne_retire_pas_ses_propres_habilitations(monde: Monde) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    for h in relire(monde).habilitations_de(g):
        erreur = refuse_sans_rien_changer(
            monde,
            ValidationError,
            partial(s.retirer_habilitation, g, monde.structure.id, h.id),
        )
        assert erreur.champ == "habilitation_id"


# -- user accounts ---------------------------------------------------------------------------


def test_compte_utilisateur(monde: Monde) -> None:
    u = monde.chorus.utilisateurs
    cree = u.creer_compte(
        email="  Marie.Curie@Exemple.FR ", nom="Curie", prenom="Marie", telephone="0600000000"
    )
    assert cree.email == "marie.curie@exemple.fr"
    assert cree.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION
    assert cree.role is None
    assert u.obtenir(cree.id) == cree
    assert u.par_email("MARIE.CURIE@exemple.fr") == cree
    assert u.par_email("inconnu@exemple.fr") is None
    actif = u.activer(cree.id)
    assert actif.statut is StatutUtilisateur.ACTIF
    with pytest.raises(TransitionInvalide):
        u.activer(cree.id)
    assert u.obtenir(cree.id) == actif


@pytest.mark.parametrize(
    "email", ["gestionnaire@exemple.fr", "GESTIONNAIRE@EXEMPLE.FR", " Gestionnaire@Exemple.fr "]
)
def test_email_unique_sans_tenir_compte_de_la_casse(monde: Monde, email: str) -> None:
    u = monde.chorus.utilisateurs
    with pytest.raises(Conflit) as refus:
        u.creer_compte(email=email, nom="Double", prenom="Test")
    assert refus.value.champ == "email"
    with pytest.raises(Conflit) as refus:
        u.creer_agent(email=email, nom="Double", prenom="Test", role=RoleAgent.COMPTABLE)
    assert refus.value.champ == "email"
    assert u.par_email("gestionnaire@exemple.fr") == monde.gestionnaire


@pytest.mark.parametrize("email", ["sans-arobase", "a@b", "deux..points@exemple.fr", ""])
def test_email_invalide(monde: Monde, email: str) -> None:
    with pytest.raises(ValidationError) as refus:
        monde.chorus.utilisateurs.creer_compte(email=email, nom="X", prenom="Y")
    assert refus.value.champ == "email"


def test_agents(monde: Monde) -> None:
    u = monde.chorus.utilisateurs
    agent = u.creer_agent(
        email="greffe@tj-villefranche.fr",
        nom="Greffe",
        prenom="Villefranche",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-69264", "TJ-69123"),
    )
    assert agent.statut is StatutUtilisateur.ACTIF
    assert agent.juridictions == frozenset({"TJ-69264", "TJ-69123"})
    assert agent.est_agent
    with pytest.raises(ValidationError) as refus:
        u.creer_agent(
            email="greffe@tj-atlantide.fr",
            nom="Greffe",
            prenom="Atlantide",
            role=RoleAgent.AGENT_JURIDICTION,
            juridictions=("TJ-69123", "TJ-00000"),
        )
    assert refus.value.champ == "juridictions"
    assert u.par_email("greffe@tj-atlantide.fr") is None
    with pytest.raises(ValidationError) as refus:
        u.creer_agent(
            email="greffe@nulle-part.fr",
            nom="Greffe",
            prenom="Nulle part",
            role=RoleAgent.AGENT_JURIDICTION,
        )
    assert refus.value.champ == "juridictions"
    assert u.par_email("greffe@nulle-part.fr") is None


def test_le_gestionnaire_ne_reduit_pas_non_plus_ses_droits_en_se_les_accordant(
    monde: Monde,
) -> None:
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    erreur = refuse_sans_rien_changer(
        monde,
        ValidationError,
        partial(
            s.accorder_habilitation,
            g,
            monde.structure.id,
            utilisateur_id=g,
            application=Application.FRAIS_DE_JUSTICE,
            profil=Profil.CONSULTATION,
        ),
    )
    assert erreur.champ == "utilisateur_id"


def test_les_membres_et_habilitations_ne_se_lisent_que_par_un_gestionnaire(monde: Monde) -> None:
    s = monde.chorus.structures
    lue = s.obtenir_pour_gestion(monde.gestionnaire.id, monde.structure.id)
    assert lue.rattachements == monde.structure.rattachements
    with pytest.raises(AccesRefuse):
        s.obtenir_pour_gestion(monde.consultant.id, monde.structure.id)
    with pytest.raises(NonTrouve):
        s.obtenir_pour_gestion(monde.etranger.id, monde.structure.id)


def test_coordonnee_bancaire_et_son_rib_en_une_fois(monde: Monde) -> None:
    s = monde.chorus.structures
    ajouter = partial(
        s.ajouter_coordonnee_bancaire_avec_rib,
        monde.gestionnaire.id,
        monde.structure.id,
        libelle="Compte allemand",
        bic=BIC_2,
        contenu_rib=PDF,
        nom_fichier_rib="rib.pdf",
    )
    # A refusal of the bank details, of the RIB or of the caller adds no pièce either.
    refuse_sans_rien_changer(monde, ValidationError, partial(ajouter, iban="FR76300060000112345"))
    refuse_sans_rien_changer(monde, Conflit, partial(ajouter, iban=IBAN))
    with pytest.raises(ValidationError) as erreur:
        s.ajouter_coordonnee_bancaire_avec_rib(
            monde.gestionnaire.id,
            monde.structure.id,
            libelle="Compte allemand",
            iban=IBAN_2,
            bic=BIC_2,
            contenu_rib=b"ceci n'est pas un RIB",
            nom_fichier_rib="rib.pdf",
        )
    assert relire(monde) == monde.structure
    refuse_sans_rien_changer(
        monde,
        AccesRefuse,
        partial(
            s.ajouter_coordonnee_bancaire_avec_rib,
            monde.modificateur.id,
            monde.structure.id,
            libelle="Compte allemand",
            iban=IBAN_2,
            bic=BIC_2,
            contenu_rib=PDF,
            nom_fichier_rib="rib.pdf",
        ),
    )
    assert erreur.value.champ is not None

    coordonnee = ajouter(iban=IBAN_2)
    structure = relire(monde)
    assert structure.coordonnees_bancaires[-1] == coordonnee
    rib = structure.piece(coordonnee.piece_jointe_id)
    assert rib.type_piece is TypePiece.COORDONNEE_BANCAIRE
    assert rib.designation == "RIB – Compte allemand"
    assert monde.chorus.ports.blobs.lire(rib.sha256) == PDF
    assert structure.version == monde.structure.version + 1
