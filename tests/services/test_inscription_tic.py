"""TIC account creation (seed 004): the journey from the captcha to a first demande, and
each refusal with its French message and nothing half-created."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from chorus.adapters.storage.memory import UniteDeTravailEnMemoire
from chorus.bootstrap import Chorus
from chorus.domain.errors import Conflit, DomainError, JetonPerime, NonAuthentifie, ValidationError
from chorus.domain.organisation import (
    Application,
    Profil,
    StatutRattachement,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.tic.eligibilite import TypeBeneficiaire
from chorus.domain.tic.statuts import StatutDemandeTic
from chorus.domain.utilisateur import StatutUtilisateur
from chorus.services.comptes import ReglagesComptes
from chorus.services.inscription_tic import (
    InscriptionTic,
    InscriptionTicService,
    OptionInscriptionTic,
    SaisieAdresse,
    SaisieEntreprise,
    SaisieTitulaire,
)
from chorus.services.tic import SaisieEnTeteTic
from tests.doubles import CODE_CAPTCHA
from tests.monde import BIC, IBAN, PDF, SIRET_CABINET, Monde, construire_chorus, courriels_pour
from tests.services.test_comptes import (
    autres_reglages,
    instantane,
    refuse_sans_rien_ecrire,
    secret_du_lien,
)

pytestmark = pytest.mark.tous_stockages

SIRET = "80112233400015"
AUTRE_SIRET = "32812345000012"
EMAIL = "jean.terre@gaec-des-pres.fr"
MOT_DE_PASSE = "Tracteur-Rouge-72"
QUESTION = "Nom de votre première vache ?"
REPONSE = "Marguerite"
CAPTCHA_INCORRECT = "Le code de vérification est incorrect ou a expiré"


# -- helpers ---------------------------------------------------------------------------


def formulaire(chorus: Chorus, **changements: Any) -> dict[str, Any]:
    """The seed's form, filled in by a GAEC of the Sarthe, with a fresh captcha unless
    `captcha_id` is given. `code_postal`, `pays`, `email`, `nom`, `raison_sociale`,
    `type_beneficiaire` change the nested fields."""
    adresse = {
        "ligne1": "La Grande Pièce",
        "code_postal": changements.pop("code_postal", "72000"),
        "ville": "Le Mans",
    }
    if "pays" in changements:
        adresse["pays"] = changements.pop("pays")
    titulaire = {
        "email": changements.pop("email", EMAIL),
        "nom": changements.pop("nom", "Terre"),
        "prenom": "Jean",
        "telephone": changements.pop("telephone", "02 43 00 00 00"),
    }
    entreprise = {
        "raison_sociale": changements.pop("raison_sociale", "GAEC des Prés"),
        "adresse": SaisieAdresse(**adresse),
        "type_beneficiaire": changements.pop("type_beneficiaire", "SOCIETE_AGRICOLE"),
    }
    valeurs: dict[str, Any] = {
        "siret": SIRET,
        "captcha_reponse": CODE_CAPTCHA.lower(),
        "service": "TIC",
        "option": "FOURNISSEUR_PRINCIPAL",
        "utilisateur": SaisieTitulaire(**titulaire),
        "structure": SaisieEntreprise(**entreprise),
    }
    valeurs.update(changements)
    if "captcha_id" not in valeurs:
        valeurs["captcha_id"] = chorus.comptes.nouveau_captcha().id
    return valeurs


def inscrire(monde: Monde, **changements: Any) -> InscriptionTic:
    return monde.chorus.inscription_tic.inscrire(**formulaire(monde.chorus, **changements))


def hors_jetons(monde: Monde) -> object:
    """The store without its jetons: what a refusal that spends the captcha must leave."""
    etat = instantane(monde)
    if isinstance(monde.chorus.ports.uow, UniteDeTravailEnMemoire):
        return attrs.evolve(etat, jetons={})  # type: ignore[misc]
    assert isinstance(etat, dict)
    return {table: lignes for table, lignes in etat.items() if table != "jetons"}


def refuse_en_brulant_le_captcha(
    monde: Monde, erreur: type[DomainError], **changements: Any
) -> DomainError:
    """Refused with nothing created (no account, structure or email), the captcha spent."""
    valeurs = formulaire(monde.chorus, **changements)
    avant = hors_jetons(monde)
    with pytest.raises(erreur) as refus:
        monde.chorus.inscription_tic.inscrire(**valeurs)
    assert hors_jetons(monde) == avant, f"le refus {refus.value!r} a créé quelque chose"
    with monde.chorus.ports.uow as uow:
        assert uow.jetons.obtenir(valeurs["captcha_id"]).utilise_le is not None
    return refus.value


def lien_d_activation(monde: Monde, email: str = EMAIL) -> str:
    return secret_du_lien(monde.dernier_courriel(email).corps, "activation")


def activer(monde: Monde, secret: str, mot_de_passe: str = MOT_DE_PASSE) -> Any:
    return monde.chorus.comptes.activer(
        jeton=secret, mot_de_passe=mot_de_passe, question_secrete=QUESTION, reponse_secrete=REPONSE
    )


# -- the journey -----------------------------------------------------------------------


def test_parcours_du_seed_de_l_inscription_a_la_premiere_demande(monde: Monde) -> None:
    chorus = monde.chorus
    captcha = chorus.comptes.nouveau_captcha()

    inscription = inscrire(monde, captcha_id=captcha.id)

    compte = inscription.utilisateur
    assert compte.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION
    assert compte.email == EMAIL
    assert compte.empreinte_mot_de_passe is None
    # « Le suivi d'activité est coché automatiquement ».
    assert compte.suivi_quotidien
    assert compte.suivi_hebdomadaire
    structure = inscription.structure
    assert structure.type_structure is TypeStructure.ENTREPRISE
    assert structure.type_identifiant is TypeIdentifiant.SIRET
    assert structure.identifiant == SIRET
    assert structure.raison_sociale == "GAEC des Prés"
    assert structure.departement == "72"
    assert structure.espace_tic
    assert structure.est_gestionnaire(compte.id)
    assert {(h.application, h.profil) for h in structure.habilitations_de(compte.id)} == {
        (Application.TIC, Profil.MODIFICATION),
        (Application.FRAIS_DE_JUSTICE, Profil.MODIFICATION),
    }
    assert inscription.option is OptionInscriptionTic.FOURNISSEUR_PRINCIPAL
    assert inscription.type_beneficiaire is TypeBeneficiaire.SOCIETE_AGRICOLE
    assert inscription.eligibilite is not None
    assert inscription.eligibilite.eligible
    assert (inscription.eligibilite.campagne, inscription.eligibilite.departement) == (2024, "72")
    with chorus.ports.uow as uow:
        assert uow.jetons.obtenir(captcha.id).utilise_le is not None
        assert uow.utilisateurs.obtenir(compte.id) == compte
        assert uow.structures.obtenir(structure.id).espace_tic

    # The activation email, link valid 60 minutes.
    (courriel,) = monde.courriels(EMAIL)
    assert "activez votre compte" in courriel.sujet
    assert "dans les 60 minutes" in courriel.corps
    secret = lien_d_activation(monde)
    with pytest.raises(NonAuthentifie):
        chorus.comptes.ouvrir_session(EMAIL, MOT_DE_PASSE)

    # The password and the secret question are chosen on the link.
    sans_rien = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: chorus.comptes.activer(jeton=secret)
    )
    assert [e.champ for e in sans_rien.erreurs] == [
        "mot_de_passe",
        "question_secrete",
        "reponse_secrete",
    ]
    monde.horloge.avancer(timedelta(minutes=59))
    actif = activer(monde, secret)
    assert actif.statut is StatutUtilisateur.ACTIF
    assert actif.question_secrete == QUESTION

    session = chorus.comptes.ouvrir_session(EMAIL, MOT_DE_PASSE)
    assert chorus.comptes.authentifier(session.jeton).utilisateur.id == compte.id
    (mienne,) = chorus.structures.mes_structures(compte.id)
    assert mienne.id == structure.id
    (rattachement,) = chorus.structures.mes_rattachements(compte.id)
    assert rattachement.rattachement.statut is StatutRattachement.VALIDEE
    assert rattachement.rattachement.gestionnaire

    # « Créer une nouvelle demande », with the bank details and their RIB.
    coordonnee = chorus.structures.ajouter_coordonnee_bancaire_avec_rib(
        compte.id,
        structure.id,
        libelle="Compte agricole",
        iban=IBAN,
        bic=BIC,
        contenu_rib=PDF,
        nom_fichier_rib="RIB.pdf",
    )
    demande = chorus.tic.creer(
        compte.id,
        SaisieEnTeteTic(
            structure_id=structure.id,
            annee=2023,
            coordonnee_bancaire_id=coordonnee.id,
            attestation_non_difficulte=True,
            type_beneficiaire=TypeBeneficiaire.SOCIETE_AGRICOLE,
        ),
    )
    assert demande.statut is StatutDemandeTic.BROUILLON
    assert demande.structure_id == structure.id


def test_un_captcha_ne_sert_qu_a_une_inscription(monde: Monde) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    inscrire(monde, captcha_id=captcha.id)
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: inscrire(monde, captcha_id=captcha.id, siret=AUTRE_SIRET, email="autre@exemple.fr"),
    )
    assert refus.champ == "captcha_reponse"


def test_sans_captcha_actif_toute_reponse_passe(monde: Monde) -> None:
    service = InscriptionTicService(
        monde.chorus.ports, autres_reglages(monde, ReglagesComptes(captcha_actif=False))
    )
    inscription = service.inscrire(
        **formulaire(monde.chorus, captcha_id="n'importe", captcha_reponse="quoi")
    )
    assert inscription.structure.espace_tic
    (courriel,) = monde.courriels(EMAIL)
    assert "\nhttp://127.0.0.1:8000/activation?jeton=autre-000001\n" in courriel.corps


# -- activation ------------------------------------------------------------------------


def test_le_lien_d_activation_expire_apres_60_minutes(monde: Monde) -> None:
    inscription = inscrire(monde)
    secret = lien_d_activation(monde)
    monde.horloge.avancer(timedelta(minutes=61))

    refus = refuse_sans_rien_ecrire(monde, JetonPerime, lambda: activer(monde, secret))

    assert "expiré" in str(refus)
    compte = monde.chorus.utilisateurs.obtenir(inscription.utilisateur.id)
    assert compte.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION


@pytest.mark.parametrize(
    "faible",
    [
        pytest.param("abcdefghijk", id="une-seule-classe"),
        pytest.param("abcdefghij1", id="deux-classes"),
        pytest.param("Court-1a", id="trop-court"),
    ],
)
def test_un_mot_de_passe_faible_est_refuse_et_le_lien_reste_valable(
    monde: Monde, faible: str
) -> None:
    inscrire(monde)
    secret = lien_d_activation(monde)

    refus = refuse_sans_rien_ecrire(monde, ValidationError, lambda: activer(monde, secret, faible))

    assert refus.champ == "mot_de_passe"
    assert "au moins 10 caractères et 3 des 4 types" in str(refus)
    assert activer(monde, secret).statut is StatutUtilisateur.ACTIF


# -- refusals before anything is written -------------------------------------------------


def test_le_formulaire_refuse_d_un_coup_chaque_champ_faux_et_garde_le_captcha(
    monde: Monde,
) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: inscrire(
            monde,
            captcha_id=captcha.id,
            siret="80112233400016",
            service="FRAIS_DE_JUSTICE",
            option="FOURNISSEUR",
            email="pas-une-adresse",
            nom=" ",
            raison_sociale="",
            code_postal="7200",
            type_beneficiaire="VIGNERON",
        ),
    )
    assert isinstance(refus, ValidationError)
    assert [e.champ for e in refus.erreurs] == [
        "siret",
        "service",
        "option",
        "utilisateur.email",
        "utilisateur.nom",
        "structure.raison_sociale",
        "structure.adresse.code_postal",
        "structure.type_beneficiaire",
    ]
    # The captcha was not looked at: it still serves.
    assert inscrire(monde, captcha_id=captcha.id).structure.identifiant == SIRET


@pytest.mark.parametrize(
    ("changement", "champ", "message"),
    [
        ({"siret": "80112233400016"}, "siret", "clé de contrôle incorrecte"),
        ({"siret": "8011223340001"}, "siret", "exactement 14 chiffres"),
        ({"siret": ""}, "siret", "obligatoire"),
        ({"service": "FRAIS_DE_JUSTICE"}, "service", "« Service TIC »"),
        ({"option": "INCONNUE"}, "option", "FOURNISSEUR_PRINCIPAL"),
        ({"email": "jean@"}, "utilisateur.email", "n'est pas valide"),
        ({"email": "x@api.chorus.invalid"}, "utilisateur.email", "réservée aux jetons"),
        ({"nom": ""}, "utilisateur.nom", "obligatoire"),
        ({"telephone": "0" * 21}, "utilisateur.telephone", "20 caractères"),
        ({"raison_sociale": " "}, "structure.raison_sociale", "obligatoire"),
        ({"code_postal": "00100"}, "structure.adresse.code_postal", "n'existe pas"),
        ({"pays": "BE"}, "structure.adresse.pays", "siège en France"),
        ({"type_beneficiaire": "VIGNERON"}, "structure.type_beneficiaire", "CUMA"),
    ],
)
def test_chaque_champ_faux_est_refuse_avec_son_message(
    monde: Monde, changement: dict[str, str], champ: str, message: str
) -> None:
    valeurs = formulaire(monde.chorus, **changement)
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: monde.chorus.inscription_tic.inscrire(**valeurs)
    )
    assert [e.champ for e in refus.erreurs] == [champ]
    assert message in refus.erreurs[0].message


def test_un_siege_outre_mer_n_est_pas_eligible(monde: Monde) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: inscrire(monde, captcha_id=captcha.id, code_postal="97100")
    )
    assert refus.champ == "structure.adresse.code_postal"
    assert "outre-mer" in str(refus)
    assert monde.courriels(EMAIL) == []
    # Public information: refused before the captcha, which still serves.
    assert inscrire(monde, captcha_id=captcha.id, code_postal="72000").structure.espace_tic


def chorus_en(annee: int) -> Chorus:
    return construire_chorus(debut=datetime(annee, 3, 15, 9, 0, tzinfo=UTC))


def inscrire_dans(chorus: Chorus, **changements: Any) -> InscriptionTic:
    return chorus.inscription_tic.inscrire(**formulaire(chorus, **changements))


def test_en_2016_seuls_les_departements_de_la_campagne_s_inscrivent() -> None:
    chorus = chorus_en(2016)
    with pytest.raises(ValidationError) as refus:
        inscrire_dans(chorus, code_postal="28000")
    assert refus.value.champ == "structure.adresse.code_postal"
    assert "Le département 28 du siège social ne participe pas à la campagne 2016" in str(
        refus.value
    )
    assert chorus.utilisateurs.par_email(EMAIL) is None
    assert courriels_pour(chorus, EMAIL) == []

    inscription = inscrire_dans(chorus, code_postal="72000")
    assert inscription.eligibilite is not None
    assert (inscription.eligibilite.campagne, inscription.eligibilite.departement) == (2016, "72")
    assert inscription.structure.espace_tic


# -- refusals after the captcha ----------------------------------------------------------


def test_un_captcha_faux_est_refuse_et_brule(monde: Monde) -> None:
    refus = refuse_en_brulant_le_captcha(monde, ValidationError, captcha_reponse="AAAAAA")
    assert refus.champ == "captcha_reponse"
    assert CAPTCHA_INCORRECT in str(refus)
    assert monde.chorus.utilisateurs.par_email(EMAIL) is None


@pytest.mark.parametrize("captcha_id", ["", "inconnu"])
def test_un_captcha_inconnu_est_refuse(monde: Monde, captcha_id: str) -> None:
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: inscrire(monde, captcha_id=captcha_id)
    )
    assert refus.champ == "captcha_reponse"


def test_un_siret_deja_inscrit_renvoie_au_rattachement(monde: Monde) -> None:
    refus = refuse_en_brulant_le_captcha(
        monde, Conflit, siret=SIRET_CABINET[:3] + " " + SIRET_CABINET[3:]
    )
    assert refus.champ == "siret"
    assert f"déjà enregistrée avec le SIRET {SIRET_CABINET}" in str(refus)
    assert "rattachement" in str(refus)
    assert monde.chorus.utilisateurs.par_email(EMAIL) is None


def test_une_adresse_deja_inscrite_est_en_conflit(monde: Monde) -> None:
    refus = refuse_en_brulant_le_captcha(monde, Conflit, email=monde.gestionnaire.email.upper())
    assert refus.champ == "utilisateur.email"
    assert "Un compte existe déjà" in str(refus)


# -- the tiers déposant ------------------------------------------------------------------


def test_un_tiers_deposant_n_a_pas_d_espace_tic_ni_de_controle_d_eligibilite(
    monde: Monde,
) -> None:
    inscription = inscrire(
        monde, option="TIERS_DEPOSANT", raison_sociale="Centre de gestion", code_postal="97100"
    )
    assert inscription.option is OptionInscriptionTic.TIERS_DEPOSANT
    assert inscription.eligibilite is None
    structure = inscription.structure
    assert not structure.espace_tic
    assert structure.est_gestionnaire(inscription.utilisateur.id)
    with monde.chorus.ports.uow as uow:
        assert not uow.structures.obtenir(structure.id).espace_tic
    assert re.search(r"/activation\?jeton=", monde.dernier_courriel(EMAIL).corps)


def test_en_2016_un_tiers_hors_campagne_s_inscrit() -> None:
    chorus = chorus_en(2016)
    inscription = inscrire_dans(chorus, option="TIERS_DEPOSANT", code_postal="28000")
    assert not inscription.structure.espace_tic
    assert inscription.structure.departement == "28"
