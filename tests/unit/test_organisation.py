"""Structures, espaces, rattachements, habilitations, bank details, services, users."""

from __future__ import annotations

import attrs
import pytest

from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.organisation import (
    Adresse,
    Application,
    CoordonneeBancaire,
    Habilitation,
    Profil,
    Regime,
    StatutRattachement,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import TypePiece
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur
from tests.unit.fabrique import (
    BIC,
    CREATEUR,
    IBAN,
    MAINTENANT,
    SIRET,
    SIRET_LA_POSTE,
    adresse,
    avec_membre,
    habiliter,
    heure,
    particulier,
    piece,
    piece_rib,
    structure,
)

# -- creation ------------------------------------------------------------------------------


def test_creer_fait_du_createur_le_gestionnaire_avec_modification_partout() -> None:
    s = structure()
    assert s.est_membre(CREATEUR)
    assert s.est_gestionnaire(CREATEUR)
    rattachement = s.rattachement_de(CREATEUR)
    assert rattachement is not None
    assert rattachement.statut is StatutRattachement.VALIDEE
    assert rattachement.gestionnaire
    assert rattachement.date_decision == MAINTENANT
    habilitations = s.habilitations_de(CREATEUR)
    assert {(h.application, h.profil, h.service_id) for h in habilitations} == {
        (Application.FRAIS_DE_JUSTICE, Profil.MODIFICATION, None),
        (Application.TIC, Profil.MODIFICATION, None),
    }
    assert len({h.id for h in habilitations}) == 2
    assert s.date_creation == MAINTENANT
    assert s.version == 0


def test_creer_normalise_le_siret() -> None:
    s = structure(identifiant="732 829 320 00074")
    assert s.identifiant == SIRET
    assert s.libelle == f"{SIRET} – Cabinet Écoute"


def test_creer_accepte_la_poste() -> None:
    assert structure(identifiant=SIRET_LA_POSTE).identifiant == SIRET_LA_POSTE


def test_creer_refuse_un_siret_faux() -> None:
    with pytest.raises(ValidationError) as erreur:
        structure(identifiant="73282932000075")
    assert erreur.value.champ == "identifiant"


@pytest.mark.parametrize(
    ("type_identifiant", "identifiant", "attendu"),
    [
        (TypeIdentifiant.RIDET, "1 234 567", "1234567"),
        (TypeIdentifiant.RIDET, "1234567.001", "1234567001"),
        (TypeIdentifiant.TAHITI, "a12345", "A12345"),
        (TypeIdentifiant.UE_HORS_FRANCE, "BE0403170701", "BE0403170701"),
        (TypeIdentifiant.HORS_UE, "  CH-123.456.789  ", "CH-123.456.789"),
    ],
)
def test_autres_identifiants(
    type_identifiant: TypeIdentifiant, identifiant: str, attendu: str
) -> None:
    s = structure(type_identifiant=type_identifiant, identifiant=identifiant)
    assert s.identifiant == attendu


@pytest.mark.parametrize(
    ("type_identifiant", "identifiant"),
    [
        (TypeIdentifiant.RIDET, "12345"),
        (TypeIdentifiant.RIDET, "12345AB"),
        (TypeIdentifiant.TAHITI, "A1234"),
        (TypeIdentifiant.UE_HORS_FRANCE, "BE0403170702"),
        (TypeIdentifiant.HORS_UE, "   "),
    ],
)
def test_autres_identifiants_invalides(type_identifiant: TypeIdentifiant, identifiant: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        structure(type_identifiant=type_identifiant, identifiant=identifiant)
    assert erreur.value.champ == "identifiant"


@pytest.mark.parametrize(
    ("type_structure", "type_identifiant"),
    [
        (TypeStructure.ENTREPRISE, TypeIdentifiant.PARTICULIER),
        (TypeStructure.ASSOCIATION, TypeIdentifiant.PARTICULIER),
        (TypeStructure.PARTICULIER, TypeIdentifiant.SIRET),
        (TypeStructure.PARTICULIER, TypeIdentifiant.HORS_UE),
    ],
)
def test_particulier_si_et_seulement_si_identifiant_particulier(
    type_structure: TypeStructure, type_identifiant: TypeIdentifiant
) -> None:
    with pytest.raises(ValidationError) as erreur:
        structure(
            type_structure=type_structure, type_identifiant=type_identifiant, identifiant=SIRET
        )
    assert erreur.value.champ == "type_identifiant"


def test_particulier_accepte() -> None:
    s = particulier()
    assert s.type_structure is TypeStructure.PARTICULIER
    assert s.identifiant == "Jeanne Martin"


# -- espace Frais de justice -------------------------------------------------------------


def test_particulier_sans_regime_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        particulier().definir_espace_frais_de_justice("INTERPRETE", None)
    assert erreur.value.champ == "regime"


@pytest.mark.parametrize("regime", list(Regime))
def test_particulier_avec_regime_accepte(regime: Regime) -> None:
    s = particulier().definir_espace_frais_de_justice("INTERPRETE", regime)
    assert s.espace_frais_de_justice is not None
    assert s.espace_frais_de_justice.regime is regime
    assert s.espace_frais_de_justice.categorie_prestataire == "INTERPRETE"


def test_particulier_sans_espace_accepte() -> None:
    assert particulier().espace_frais_de_justice is None


def test_entreprise_sans_regime_acceptee() -> None:
    s = structure().definir_espace_frais_de_justice("LABORATOIRE", None)
    assert s.espace_frais_de_justice is not None
    assert s.espace_frais_de_justice.regime is None


def test_activer_espace_tic() -> None:
    assert not structure().espace_tic
    assert structure().activer_espace_tic().espace_tic


# -- rattachements ---------------------------------------------------------------------------


def test_demande_puis_validation_du_rattachement() -> None:
    s = structure().demander_rattachement(id="r-2", utilisateur_id="u-2", maintenant=heure(1))
    demande = s.rattachement_de("u-2")
    assert demande is not None
    assert demande.statut is StatutRattachement.EN_COURS_DE_VALIDATION
    assert demande.date_demande == heure(1)
    assert not s.est_membre("u-2")
    s = s.valider_rattachement("r-2", heure(2))
    valide = s.rattachement_de("u-2")
    assert valide is not None
    assert valide.statut is StatutRattachement.VALIDEE
    assert valide.date_decision == heure(2)
    assert s.est_membre("u-2")
    assert not s.est_gestionnaire("u-2")
    assert s.habilitations_de("u-2") == ()


def test_refus_du_rattachement_puis_nouvelle_demande() -> None:
    s = structure().demander_rattachement(id="r-2", utilisateur_id="u-2", maintenant=heure(1))
    s = s.refuser_rattachement("r-2", heure(2))
    refuse = s.rattachement_de("u-2")
    assert refuse is not None
    assert refuse.statut is StatutRattachement.REFUSEE
    assert not s.est_membre("u-2")
    s = s.demander_rattachement(id="r-3", utilisateur_id="u-2", maintenant=heure(3))
    nouvelle = s.rattachement_de("u-2")
    assert nouvelle is not None
    assert nouvelle.id == "r-3"
    assert nouvelle.statut is StatutRattachement.EN_COURS_DE_VALIDATION
    assert [r.utilisateur_id for r in s.rattachements].count("u-2") == 1


def test_deja_membre_ne_peut_redemander() -> None:
    with pytest.raises(Conflit):
        structure().demander_rattachement(id="r-x", utilisateur_id=CREATEUR, maintenant=heure(1))


def test_demande_deja_en_cours() -> None:
    s = structure().demander_rattachement(id="r-2", utilisateur_id="u-2", maintenant=heure(1))
    with pytest.raises(Conflit):
        s.demander_rattachement(id="r-3", utilisateur_id="u-2", maintenant=heure(2))


@pytest.mark.parametrize("premiere", ["valider", "refuser"])
@pytest.mark.parametrize("seconde", ["valider", "refuser"])
def test_decider_deux_fois_refuse(premiere: str, seconde: str) -> None:
    s = structure().demander_rattachement(id="r-2", utilisateur_id="u-2", maintenant=heure(1))
    decisions = {
        "valider": Structure.valider_rattachement,
        "refuser": Structure.refuser_rattachement,
    }
    s = decisions[premiere](s, "r-2", heure(2))
    with pytest.raises(TransitionInvalide):
        decisions[seconde](s, "r-2", heure(3))


def test_decider_une_demande_inconnue() -> None:
    with pytest.raises(NonTrouve):
        structure().valider_rattachement("r-inconnu", heure(1))


# -- habilitations -------------------------------------------------------------------------


def _habilitation(
    utilisateur_id: str = "u-2",
    profil: Profil = Profil.CONSULTATION,
    service_id: str | None = None,
    id: str = "h-1",
) -> Habilitation:
    return Habilitation(
        id=id,
        utilisateur_id=utilisateur_id,
        application=Application.FRAIS_DE_JUSTICE,
        profil=profil,
        service_id=service_id,
    )


def test_habilitation_a_un_non_membre_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        structure().accorder_habilitation(_habilitation(), par=CREATEUR)
    assert erreur.value.champ == "utilisateur_id"


def test_habilitation_a_une_demande_en_cours_refusee() -> None:
    s = structure().demander_rattachement(id="r-2", utilisateur_id="u-2", maintenant=heure(1))
    with pytest.raises(ValidationError) as erreur:
        s.accorder_habilitation(_habilitation(), par=CREATEUR)
    assert erreur.value.champ == "utilisateur_id"


def test_habilitation_accordee_puis_remplacee() -> None:
    s = avec_membre(structure(), "u-2")
    s = s.accorder_habilitation(_habilitation(profil=Profil.CONSULTATION, id="h-1"), par=CREATEUR)
    s = s.accorder_habilitation(_habilitation(profil=Profil.MODIFICATION, id="h-2"), par=CREATEUR)
    fj = [h for h in s.habilitations_de("u-2") if h.application is Application.FRAIS_DE_JUSTICE]
    assert [(h.id, h.profil) for h in fj] == [("h-2", Profil.MODIFICATION)]


def test_habilitations_par_application_et_service_distinctes() -> None:
    s = avec_membre(structure().ajouter_service(id="svc-1", code="psy", libelle="Psy"), "u-2")
    s = habiliter(s, "u-2", Profil.CONSULTATION)
    s = habiliter(s, "u-2", Profil.MODIFICATION, service_id="svc-1")
    s = habiliter(s, "u-2", Profil.CONSULTATION, application=Application.TIC)
    assert len(s.habilitations_de("u-2")) == 3


def test_habilitation_sur_un_service_inconnu_refusee() -> None:
    s = avec_membre(structure(), "u-2")
    with pytest.raises(ValidationError) as erreur:
        s.accorder_habilitation(_habilitation(service_id="svc-inconnu"), par=CREATEUR)
    assert erreur.value.champ == "service_id"


def test_retirer_habilitation() -> None:
    s = avec_membre(structure(), "u-2").accorder_habilitation(_habilitation(id="h-9"), par=CREATEUR)
    assert s.retirer_habilitation("h-9", par=CREATEUR).habilitations_de("u-2") == ()
    with pytest.raises(NonTrouve):
        s.retirer_habilitation("h-inconnue", par=CREATEUR)


def test_habilitations_d_un_ancien_membre_ignorees() -> None:
    s = avec_membre(structure(), "u-2").accorder_habilitation(_habilitation(), par=CREATEUR)
    assert s.habilitations_de("u-2")
    rattachement = s.rattachement_de("u-2")
    assert rattachement is not None
    refuse = attrs.evolve(rattachement, statut=StatutRattachement.REFUSEE)
    s = attrs.evolve(s, rattachements=(refuse,))
    assert s.habilitations_de("u-2") == ()


@pytest.mark.parametrize(
    ("detenu", "requis", "couvre"),
    [
        (Profil.CONSULTATION, Profil.CONSULTATION, True),
        (Profil.CONSULTATION, Profil.MODIFICATION, False),
        (Profil.MODIFICATION, Profil.CONSULTATION, True),
        (Profil.MODIFICATION, Profil.MODIFICATION, True),
    ],
)
def test_profil_couvre(detenu: Profil, requis: Profil, couvre: bool) -> None:
    assert detenu.couvre(requis) is couvre


# -- services ------------------------------------------------------------------------------


def test_ajouter_service() -> None:
    s = structure().ajouter_service(id="svc-1", code=" psy ", libelle="Psychiatrie")
    assert s.service("svc-1").code == "PSY"
    assert s.service("svc-1").actif


def test_code_de_service_en_double_refuse() -> None:
    s = structure().ajouter_service(id="svc-1", code="PSY", libelle="Psychiatrie")
    with pytest.raises(Conflit) as erreur:
        s.ajouter_service(id="svc-2", code="psy", libelle="Autre")
    assert erreur.value.champ == "code"


def test_service_inconnu() -> None:
    with pytest.raises(ValidationError) as erreur:
        structure().service("svc-x")
    assert erreur.value.champ == "service_id"


# -- coordonnées bancaires -----------------------------------------------------------------


def _coordonnee(
    piece_jointe_id: str = "p-rib", iban: str = IBAN, id: str = "cb-1"
) -> CoordonneeBancaire:
    return CoordonneeBancaire.creer(
        id=id, libelle="Compte courant", iban=iban, bic=BIC, piece_jointe_id=piece_jointe_id
    )


def test_coordonnee_bancaire_avec_son_rib() -> None:
    s = structure().ajouter_piece(piece_rib()).ajouter_coordonnee_bancaire(_coordonnee())
    assert s.coordonnee_bancaire("cb-1").iban == IBAN
    assert s.coordonnee_bancaire("cb-1").iban_masque == "FR76 **** **** 0189"


def test_coordonnee_bancaire_sans_piece_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        structure().ajouter_coordonnee_bancaire(_coordonnee())
    assert erreur.value.champ == "piece_jointe_id"


def test_coordonnee_bancaire_avec_une_piece_d_un_autre_type_refusee() -> None:
    s = structure().ajouter_piece(piece(id="p-autre", type_piece=TypePiece.AUTRE))
    with pytest.raises(ValidationError) as erreur:
        s.ajouter_coordonnee_bancaire(_coordonnee(piece_jointe_id="p-autre"))
    assert erreur.value.champ == "piece_jointe_id"


def test_meme_iban_deux_fois_refuse() -> None:
    s = structure().ajouter_piece(piece_rib()).ajouter_coordonnee_bancaire(_coordonnee())
    with pytest.raises(Conflit) as erreur:
        s.ajouter_coordonnee_bancaire(_coordonnee(id="cb-2"))
    assert erreur.value.champ == "iban"


def test_retirer_coordonnee_bancaire() -> None:
    s = structure().ajouter_piece(piece_rib()).ajouter_coordonnee_bancaire(_coordonnee())
    assert s.retirer_coordonnee_bancaire("cb-1").coordonnees_bancaires == ()
    with pytest.raises(ValidationError) as erreur:
        s.retirer_coordonnee_bancaire("cb-x")
    assert erreur.value.champ == "coordonnee_bancaire_id"


@pytest.mark.parametrize(
    ("iban", "bic", "champ"),
    [("FR7630006000011234567890188", BIC, "iban"), (IBAN, "AGRI", "bic")],
)
def test_coordonnee_bancaire_invalide(iban: str, bic: str, champ: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        CoordonneeBancaire.creer(
            id="cb-1", libelle="Compte", iban=iban, bic=bic, piece_jointe_id="p-rib"
        )
    assert erreur.value.champ == champ


def test_piece_de_structure_sans_ligne() -> None:
    with pytest.raises(ValidationError) as erreur:
        structure().ajouter_piece(piece(numero_ligne=1))
    assert erreur.value.champ == "numero_ligne"


def test_piece_de_structure_inconnue() -> None:
    with pytest.raises(ValidationError) as erreur:
        structure().piece("p-x")
    assert erreur.value.champ == "piece_structure_id"


# -- adresse -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code_postal", "departement"),
    [("75011", "75"), ("02100", "02"), ("20090", "2A"), ("20200", "2B"), ("97400", "974")],
)
def test_departement_de_l_adresse(code_postal: str, departement: str) -> None:
    assert adresse(code_postal).departement == departement


def test_departement_de_la_structure() -> None:
    assert structure().departement == "75"


def test_adresse_a_l_etranger_sans_departement() -> None:
    a = Adresse.creer(ligne1="Rue Neuve 1", code_postal="1000", ville="Bruxelles", pays="be")
    assert a.pays == "BE"
    assert a.departement is None


def test_adresse_francaise_avec_code_postal_invalide() -> None:
    with pytest.raises(ValidationError) as erreur:
        adresse("20700")
    assert erreur.value.champ == "adresse.code_postal"


@pytest.mark.parametrize("pays", ["FRA", "F1", "  "])
def test_adresse_pays_invalide(pays: str) -> None:
    with pytest.raises(ValidationError) as erreur:
        Adresse.creer(ligne1="x", code_postal="75011", ville="Paris", pays=pays)
    assert erreur.value.champ == "adresse.pays"


def test_modifier_structure() -> None:
    s = structure().modifier(raison_sociale=" Nouveau nom ", adresse=adresse("69001"))
    assert s.raison_sociale == "Nouveau nom"
    assert s.departement == "69"
    with pytest.raises(ValidationError) as erreur:
        s.modifier(raison_sociale="  ")
    assert erreur.value.champ == "raison_sociale"


# -- utilisateurs --------------------------------------------------------------------------


def test_utilisateur_email_en_minuscules() -> None:
    u = Utilisateur.creer(
        id="u-1",
        email=" Jeanne.Martin@Exemple.FR ",
        nom="Martin",
        prenom="Jeanne",
        maintenant=MAINTENANT,
    )
    assert u.email == "jeanne.martin@exemple.fr"
    assert u.nom_complet == "Jeanne Martin"
    assert u.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION
    assert not u.est_agent


def test_utilisateur_email_invalide() -> None:
    with pytest.raises(ValidationError) as erreur:
        Utilisateur.creer(id="u-1", email="jeanne", nom="M", prenom="J", maintenant=MAINTENANT)
    assert erreur.value.champ == "email"


def test_agent_de_juridiction_sans_juridiction_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        Utilisateur.creer(
            id="u-1",
            email="greffe@tj.fr",
            nom="G",
            prenom="T",
            maintenant=MAINTENANT,
            role=RoleAgent.AGENT_JURIDICTION,
        )
    assert erreur.value.champ == "juridictions"
    agent = Utilisateur.creer(
        id="u-1",
        email="greffe@tj.fr",
        nom="G",
        prenom="T",
        maintenant=MAINTENANT,
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=frozenset({"TJ-75056"}),
    )
    assert agent.est_agent


def test_activer_une_seule_fois() -> None:
    u = Utilisateur.creer(id="u-1", email="a@b.fr", nom="M", prenom="J", maintenant=MAINTENANT)
    actif = u.activer()
    assert actif.statut is StatutUtilisateur.ACTIF
    with pytest.raises(TransitionInvalide):
        actif.activer()
