"""Account use cases: sign-up with captcha, activation, sessions and lock-out, forgotten
password, API tokens, and what every refusal leaves in the store."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache, partial

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from chorus.adapters.securite.argon2id import HacheurArgon2id
from chorus.adapters.securite.echecs_en_memoire import CompteurDEchecsEnMemoire
from chorus.adapters.storage.memory import UniteDeTravailEnMemoire
from chorus.adapters.storage.sqlite import UniteDeTravailSqlite
from chorus.domain.errors import (
    AccesRefuse,
    CompteVerrouille,
    Conflit,
    DomainError,
    JetonPerime,
    NonAuthentifie,
    NonTrouve,
    ValidationError,
)
from chorus.domain.jetons import NatureJeton
from chorus.domain.organisation import (
    Application,
    Habilitation,
    Profil,
    StatutRattachement,
    TypeIdentifiant,
)
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur
from chorus.ports.requetes import FiltresMemoire, Pagination, Tri
from chorus.services.comptes import CompteService, JetonApiCree, ReglagesComptes
from tests.doubles import (
    CODE_CAPTCHA,
    PNG_FACTICE,
    DessinateurFactice,
    SecretsPrevisibles,
    hacheur_rapide,
)
from tests.monde import MAINTENANT, Monde, construire_monde

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages

MOT_DE_PASSE = "Correct-Cheval-42"
AUTRE_MOT_DE_PASSE = "Batterie+Agrafe7"
QUESTION = "Ville de naissance de votre mère ?"
REPONSE = "Saint-Étienne"
EMAIL = "nouvelle@exemple.fr"


# -- helpers ---------------------------------------------------------------------------


def instantane(monde: Monde) -> object:
    """Everything the store holds, to compare before and after a refusal."""
    uow = monde.chorus.ports.uow
    if isinstance(uow, UniteDeTravailEnMemoire):
        return uow.etat.copie()
    assert isinstance(uow, UniteDeTravailSqlite)
    connexion = sqlite3.connect(f"file:{uow.chemin}?mode=ro", uri=True)
    try:
        tables = [
            nom
            for (nom,) in connexion.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(map(repr, connexion.execute(f'SELECT * FROM "{table}"')))
            for table in tables
        }
    finally:
        connexion.close()


def refuse_sans_rien_ecrire(
    monde: Monde, erreur: type[DomainError], agir: Callable[[], object]
) -> DomainError:
    avant = instantane(monde)
    with pytest.raises(erreur) as refus:
        agir()
    assert instantane(monde) == avant, f"le refus {refus.value!r} a modifié le stockage"
    return refus.value


def secret_du_lien(corps: str, chemin: str) -> str:
    trouve = re.search(rf"^http://127\.0\.0\.1:8000/{chemin}\?jeton=(\S+)$", corps, re.MULTILINE)
    assert trouve is not None, corps
    return trouve.group(1)


def utilisateur(monde: Monde, utilisateur_id: str) -> Utilisateur:
    return monde.chorus.utilisateurs.obtenir(utilisateur_id)


def inscrire(monde: Monde, email: str = EMAIL, **changements: str) -> Utilisateur:
    valeurs = {
        "email": email,
        "mot_de_passe": MOT_DE_PASSE,
        "nom": "Lefèvre",
        "prenom": "Anne",
        "question_secrete": QUESTION,
        "reponse_secrete": REPONSE,
        "captcha_reponse": CODE_CAPTCHA.lower(),
    }
    valeurs.update(changements)
    if "captcha_id" not in valeurs:
        valeurs["captcha_id"] = monde.chorus.comptes.nouveau_captcha().id
    return monde.chorus.comptes.inscrire(**valeurs)


def compte_actif(monde: Monde, email: str = EMAIL) -> Utilisateur:
    """Signed up and activated through the email's link, as a person does."""
    inscrire(monde, email)
    secret = secret_du_lien(monde.dernier_courriel(email).corps, "activation")
    return monde.chorus.comptes.activer(jeton=secret)


def lien_de_reinitialisation(monde: Monde, email: str = EMAIL) -> str:
    monde.chorus.comptes.mot_de_passe_oublie(email)
    return secret_du_lien(monde.dernier_courriel(email).corps, "reinitialisation")


def avec_mot_de_passe(monde: Monde, qui: Utilisateur) -> Utilisateur:
    return monde.chorus.comptes.definir_mot_de_passe(qui.id, MOT_DE_PASSE)


def jeton_api(monde: Monde, profil: Profil = Profil.MODIFICATION, jours: int = 30) -> JetonApiCree:
    return monde.chorus.comptes.creer_jeton_api(
        monde.gestionnaire.id,
        monde.structure.id,
        libelle="Logiciel de facturation",
        profil=profil,
        expire_le=MAINTENANT + timedelta(days=jours),
    )


# -- sign-up, activation, login: the whole journey -------------------------------------


def test_inscription_activation_puis_connexion_par_le_lien_du_courriel(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    captcha = comptes.nouveau_captcha()
    assert captcha.image_png == PNG_FACTICE + CODE_CAPTCHA.encode()
    assert captcha.expire_le == MAINTENANT + timedelta(minutes=10)

    inscrit = comptes.inscrire(
        email="  Nouvelle@Exemple.FR ",
        mot_de_passe=MOT_DE_PASSE,
        nom="Lefèvre",
        prenom="Anne",
        telephone="0601020304",
        question_secrete=QUESTION,
        reponse_secrete=REPONSE,
        captcha_id=captcha.id,
        captcha_reponse=f" {CODE_CAPTCHA.lower()} ",
    )
    assert inscrit.email == EMAIL
    assert inscrit.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION
    stocke = utilisateur(monde, inscrit.id)
    assert stocke.empreinte_mot_de_passe is not None
    assert stocke.empreinte_mot_de_passe.startswith("$argon2id$")
    assert MOT_DE_PASSE not in stocke.empreinte_mot_de_passe
    assert stocke.question_secrete == QUESTION
    assert stocke.empreinte_reponse_secrete is not None
    assert REPONSE not in stocke.empreinte_reponse_secrete

    (courriel,) = monde.courriels(EMAIL)
    assert "activez votre compte" in courriel.sujet
    assert "60 minutes" in courriel.corps
    assert courriel.envoye_le is None
    secret = secret_du_lien(courriel.corps, "activation")

    with pytest.raises(NonAuthentifie, match="pas encore activé"):
        comptes.ouvrir_session(EMAIL, MOT_DE_PASSE)

    active = comptes.activer(jeton=secret)
    assert active.statut is StatutUtilisateur.ACTIF

    monde.horloge.avancer(timedelta(minutes=5))
    session = comptes.ouvrir_session("NOUVELLE@exemple.fr", MOT_DE_PASSE)
    assert session.utilisateur_id == inscrit.id
    assert session.expire_le == MAINTENANT + timedelta(minutes=5, hours=8)
    qui = comptes.authentifier(session.jeton)
    assert qui.utilisateur.id == inscrit.id
    assert qui.jeton.nature is NatureJeton.SESSION

    comptes.fermer_session(session.jeton)
    with pytest.raises(NonAuthentifie):
        comptes.authentifier(session.jeton)
    comptes.fermer_session(session.jeton)  # idempotent


def test_le_lien_d_activation_vaut_moins_de_60_minutes(monde: Monde) -> None:
    inscrit = inscrire(monde)
    secret = secret_du_lien(monde.dernier_courriel(EMAIL).corps, "activation")
    monde.horloge.avancer(timedelta(minutes=59, seconds=59))
    assert monde.chorus.comptes.activer(jeton=secret).id == inscrit.id


def test_un_lien_d_activation_expire_est_perime_et_un_nouveau_s_obtient(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    inscrit = inscrire(monde)
    secret = secret_du_lien(monde.dernier_courriel(EMAIL).corps, "activation")
    monde.horloge.avancer(timedelta(minutes=60))

    refus = refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.activer(jeton=secret))
    assert "expiré" in str(refus)
    assert utilisateur(monde, inscrit.id).statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION

    # The way out: « mot de passe oublié » sends a new activation link to a pending account.
    comptes.mot_de_passe_oublie(EMAIL)
    nouveau = secret_du_lien(monde.dernier_courriel(EMAIL).corps, "activation")
    assert nouveau != secret
    assert comptes.activer(jeton=nouveau).statut is StatutUtilisateur.ACTIF


def test_un_lien_d_activation_ne_sert_qu_une_fois(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    inscrire(monde)
    secret = secret_du_lien(monde.dernier_courriel(EMAIL).corps, "activation")
    comptes.activer(jeton=secret)
    refus = refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.activer(jeton=secret))
    assert "déjà été utilisé" in str(refus)


@pytest.mark.parametrize("secret", ["", "inconnu", "secret-999999", " "])
def test_un_lien_inconnu_est_perime_sans_dire_pourquoi(monde: Monde, secret: str) -> None:
    comptes = monde.chorus.comptes
    inscrire(monde)
    refus = refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.activer(jeton=secret))
    assert "n'est pas valide ou a expiré" in str(refus)
    refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.question_secrete(secret))


def test_un_lien_ne_sert_qu_a_sa_nature(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    compte_actif(monde)
    reinitialisation = lien_de_reinitialisation(monde)
    session = comptes.ouvrir_session(EMAIL, MOT_DE_PASSE).jeton
    refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.activer(jeton=reinitialisation))
    refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.activer(jeton=session))
    refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.question_secrete(session))
    # A link is no bearer token.
    refuse_sans_rien_ecrire(monde, NonAuthentifie, lambda: comptes.authentifier(reinitialisation))


def test_l_activation_d_un_compte_sans_mot_de_passe_le_fait_choisir(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    # An account made without password, as the TIC inscription makes them.
    sans = monde.chorus.utilisateurs.creer_compte(email=EMAIL, nom="Terre", prenom="Jean")
    comptes.mot_de_passe_oublie(EMAIL)
    secret = secret_du_lien(monde.dernier_courriel(EMAIL).corps, "activation")

    refus = refuse_sans_rien_ecrire(monde, ValidationError, lambda: comptes.activer(jeton=secret))
    assert isinstance(refus, ValidationError)
    assert [e.champ for e in refus.erreurs] == [
        "mot_de_passe",
        "question_secrete",
        "reponse_secrete",
    ]
    faible = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: comptes.activer(
            jeton=secret, mot_de_passe="court", question_secrete=QUESTION, reponse_secrete="x"
        ),
    )
    assert faible.champ == "mot_de_passe"

    active = comptes.activer(
        jeton=secret,
        mot_de_passe=MOT_DE_PASSE,
        question_secrete=QUESTION,
        reponse_secrete=REPONSE,
    )
    assert active.id == sans.id
    assert active.statut is StatutUtilisateur.ACTIF
    assert active.question_secrete == QUESTION
    assert comptes.ouvrir_session(EMAIL, MOT_DE_PASSE).utilisateur_id == sans.id


def test_un_compte_qui_a_son_mot_de_passe_n_en_recoit_pas_a_l_activation(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    inscrire(monde)
    secret = secret_du_lien(monde.dernier_courriel(EMAIL).corps, "activation")
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: comptes.activer(jeton=secret, mot_de_passe=AUTRE_MOT_DE_PASSE),
    )
    assert refus.champ == "mot_de_passe"
    comptes.activer(jeton=secret)
    with pytest.raises(NonAuthentifie):
        comptes.ouvrir_session(EMAIL, AUTRE_MOT_DE_PASSE)


# -- the sign-up form and its captcha ---------------------------------------------------


def test_l_inscription_refuse_d_un_coup_chaque_champ_faux_sans_rien_ecrire(monde: Monde) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: inscrire(
            monde,
            email="pas-une-adresse",
            mot_de_passe="court",
            question_secrete=" ",
            reponse_secrete="",
            captcha_id=captcha.id,
        ),
    )
    assert isinstance(refus, ValidationError)
    assert [e.champ for e in refus.erreurs] == [
        "email",
        "mot_de_passe",
        "question_secrete",
        "reponse_secrete",
    ]
    # The captcha was not looked at: it still serves.
    assert inscrire(monde, captcha_id=captcha.id).email == EMAIL


def test_une_adresse_de_jeton_d_api_ne_s_inscrit_pas(monde: Monde) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: inscrire(monde, email="jeton-x@api.chorus.invalid", captcha_id=captcha.id),
    )
    assert refus.champ == "email"


def test_un_captcha_ne_sert_qu_une_fois(monde: Monde) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    inscrire(monde, captcha_id=captcha.id)
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: inscrire(monde, "autre@exemple.fr", captcha_id=captcha.id),
    )
    assert refus.champ == "captcha_reponse"
    assert monde.chorus.utilisateurs.par_email("autre@exemple.fr") is None


def test_une_mauvaise_reponse_brule_le_captcha_et_rien_d_autre(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    captcha = comptes.nouveau_captcha()
    with pytest.raises(ValidationError) as refus:
        inscrire(monde, captcha_id=captcha.id, captcha_reponse="AAAAAA")
    assert refus.value.champ == "captcha_reponse"
    assert monde.chorus.utilisateurs.par_email(EMAIL) is None
    assert monde.courriels(EMAIL) == []
    with monde.chorus.ports.uow as uow:
        assert uow.jetons.obtenir(captcha.id).utilise_le == MAINTENANT
    # Burnt: the right answer no longer opens it.
    with pytest.raises(ValidationError, match="code de vérification"):
        inscrire(monde, captcha_id=captcha.id)
    assert monde.chorus.utilisateurs.par_email(EMAIL) is None


def test_un_captcha_expire_est_refuse(monde: Monde) -> None:
    captcha = monde.chorus.comptes.nouveau_captcha()
    monde.horloge.avancer(timedelta(minutes=10))
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: inscrire(monde, captcha_id=captcha.id)
    )
    assert refus.champ == "captcha_reponse"


@pytest.mark.parametrize("captcha_id", ["", "inconnu"])
def test_un_captcha_inconnu_est_refuse(monde: Monde, captcha_id: str) -> None:
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: inscrire(monde, captcha_id=captcha_id)
    )
    assert refus.champ == "captcha_reponse"


def test_un_autre_jeton_ne_passe_pas_pour_un_captcha(monde: Monde) -> None:
    qui = compte_actif(monde)
    with monde.chorus.ports.uow as uow:
        (lien,) = uow.jetons.pour_utilisateur(qui.id, NatureJeton.ACTIVATION)
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: inscrire(monde, "autre@exemple.fr", captcha_id=lien.id)
    )
    assert refus.champ == "captcha_reponse"


def test_une_adresse_deja_inscrite_est_en_conflit_et_le_captcha_brule(monde: Monde) -> None:
    inscrire(monde)
    captcha = monde.chorus.comptes.nouveau_captcha()
    with pytest.raises(Conflit) as refus:
        inscrire(monde, EMAIL.upper(), captcha_id=captcha.id)
    assert refus.value.champ == "email"
    assert len(monde.courriels(EMAIL)) == 1
    with monde.chorus.ports.uow as uow:
        assert uow.jetons.obtenir(captcha.id).utilise_le is not None
    with pytest.raises(ValidationError):
        inscrire(monde, "autre@exemple.fr", captcha_id=captcha.id)


def autres_reglages(monde: Monde, reglages: ReglagesComptes) -> CompteService:
    """The account use cases on the same store and clock, with other settings."""
    return CompteService(
        monde.chorus.ports,
        hacheur=hacheur_rapide(),
        secrets=SecretsPrevisibles(prefixe="autre"),
        dessinateur=DessinateurFactice(),
        reglages=reglages,
        echecs=CompteurDEchecsEnMemoire(),
    )


def inscrire_sans_captcha(comptes: CompteService, email: str = EMAIL) -> Utilisateur:
    return comptes.inscrire(
        email=email,
        mot_de_passe=MOT_DE_PASSE,
        nom="Lefèvre",
        prenom="Anne",
        question_secrete=QUESTION,
        reponse_secrete=REPONSE,
        captcha_id="n'importe",
        captcha_reponse="quoi",
    )


def test_sans_captcha_actif_toute_reponse_passe(monde: Monde) -> None:
    sans_captcha = autres_reglages(monde, ReglagesComptes(captcha_actif=False))
    inscrit = inscrire_sans_captcha(sans_captcha)
    assert inscrit.statut is StatutUtilisateur.EN_ATTENTE_ACTIVATION
    assert len(monde.courriels(EMAIL)) == 1
    # The same store with the captcha on still checks it.
    with pytest.raises(ValidationError):
        inscrire(monde, "autre@exemple.fr", captcha_id="n'importe", captcha_reponse="quoi")


def test_les_liens_suivent_l_adresse_de_base_configuree(monde: Monde) -> None:
    ailleurs = autres_reglages(
        monde, ReglagesComptes(url_de_base="https://chorus.exemple.fr/", captcha_actif=False)
    )
    inscrire_sans_captcha(ailleurs)
    (courriel,) = monde.courriels(EMAIL)
    assert "\nhttps://chorus.exemple.fr/activation?jeton=autre-000001\n" in courriel.corps


# -- the password rule -------------------------------------------------------------------


@cache
def monde_des_mots_de_passe() -> Monde:
    """One world for every example: each only sets a password and logs in."""
    return construire_monde()


_CLASSES = {
    "majuscule": st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÉÀ"),
    "minuscule": st.sampled_from("abcdefghijklmnopqrstuvwxyzéèçß"),
    "chiffre": st.sampled_from("0123456789"),
    "special": st.sampled_from(" !#$%&'()*+,-./:;<=>?@[]^_{|}~€"),
}


@st.composite
def mots_de_passe(draw: st.DrawFn) -> tuple[str, bool]:
    """A password and whether the rule accepts it, the oracle knowing each character's
    class from where it was drawn."""
    classes = draw(st.lists(st.sampled_from(sorted(_CLASSES)), max_size=24))
    texte = "".join(draw(_CLASSES[c]) for c in classes)
    return texte, len(texte) >= 10 and len(set(classes)) >= 3


@settings(max_examples=150, deadline=None)
@given(cas=mots_de_passe())
def test_un_mot_de_passe_est_accepte_ssi_10_caracteres_et_3_classes(
    cas: tuple[str, bool],
) -> None:
    mot_de_passe, accepte = cas
    monde = monde_des_mots_de_passe()
    comptes = monde.chorus.comptes
    if accepte:
        comptes.definir_mot_de_passe(monde.consultant.id, mot_de_passe)
        assert comptes.ouvrir_session(monde.consultant.email, mot_de_passe)
    else:
        with pytest.raises(ValidationError) as refus:
            comptes.definir_mot_de_passe(monde.consultant.id, mot_de_passe)
        assert refus.value.champ == "mot_de_passe"


@pytest.mark.parametrize(
    ("mot_de_passe", "accepte"),
    [
        ("Abcdefghi1", True),
        ("Abcdefgh1", False),
        ("abcdefgh1!", True),
        ("ABCDEFGH1!", True),
        ("abcdefghij1", False),
        ("abcdefghijkl", False),
        ("Aa1!" * 64, True),
        ("Aa1!" * 64 + "x", False),
    ],
)
def test_la_regle_du_mot_de_passe_aux_bornes(
    monde: Monde, mot_de_passe: str, accepte: bool
) -> None:
    comptes = monde.chorus.comptes
    if accepte:
        comptes.definir_mot_de_passe(monde.consultant.id, mot_de_passe)
    else:
        refus = refuse_sans_rien_ecrire(
            monde,
            ValidationError,
            lambda: comptes.definir_mot_de_passe(monde.consultant.id, mot_de_passe),
        )
        assert refus.champ == "mot_de_passe"


# -- sessions and lock-out ---------------------------------------------------------------


def test_cinq_echecs_verrouillent_une_heure_meme_contre_le_bon_mot_de_passe(
    monde: Monde,
) -> None:
    comptes = monde.chorus.comptes
    qui = avec_mot_de_passe(monde, monde.consultant)
    for essai in range(1, 5):
        with pytest.raises(NonAuthentifie, match="Adresse électronique ou mot de passe"):
            comptes.ouvrir_session(qui.email, f"Mauvais-{essai}-essai")
        assert utilisateur(monde, qui.id).echecs_connexion == essai
    with pytest.raises(CompteVerrouille) as verrou:
        comptes.ouvrir_session(qui.email, "Mauvais-5-essai")
    assert verrou.value.jusqu_au == MAINTENANT + timedelta(hours=1)

    monde.horloge.avancer(timedelta(minutes=59))
    refuse_sans_rien_ecrire(
        monde, CompteVerrouille, lambda: comptes.ouvrir_session(qui.email, MOT_DE_PASSE)
    )
    monde.horloge.avancer(timedelta(minutes=1))
    assert comptes.ouvrir_session(qui.email, MOT_DE_PASSE).utilisateur_id == qui.id
    apres = utilisateur(monde, qui.id)
    assert apres.echecs_connexion == 0
    assert apres.verrouille_jusqu_au is None


def test_une_connexion_reussie_remet_le_compte_des_echecs_a_zero(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    qui = avec_mot_de_passe(monde, monde.consultant)
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(NonAuthentifie):
                comptes.ouvrir_session(qui.email, AUTRE_MOT_DE_PASSE)
        comptes.ouvrir_session(qui.email, MOT_DE_PASSE)
    assert utilisateur(monde, qui.id).echecs_connexion == 0


def test_le_verrou_n_interrompt_pas_les_sessions_ouvertes(monde: Monde) -> None:
    """Whoever knows an email could otherwise log its owner out for an hour at will."""
    comptes = monde.chorus.comptes
    qui = avec_mot_de_passe(monde, monde.consultant)
    session = comptes.ouvrir_session(qui.email, MOT_DE_PASSE)
    for _ in range(5):
        with pytest.raises((NonAuthentifie, CompteVerrouille)):
            comptes.ouvrir_session(qui.email, AUTRE_MOT_DE_PASSE)
    with pytest.raises(CompteVerrouille):
        comptes.ouvrir_session(qui.email, MOT_DE_PASSE)
    assert comptes.authentifier(session.jeton).utilisateur.id == qui.id


@pytest.mark.parametrize("email", ["inconnu@exemple.fr", "pas une adresse", ""])
def test_une_adresse_inconnue_recoit_le_meme_refus_sans_rien_ecrire(
    monde: Monde, email: str
) -> None:
    avec_mot_de_passe(monde, monde.consultant)
    comptes = monde.chorus.comptes
    inconnu = refuse_sans_rien_ecrire(
        monde, NonAuthentifie, lambda: comptes.ouvrir_session(email, MOT_DE_PASSE)
    )
    with pytest.raises(NonAuthentifie) as mauvais:
        comptes.ouvrir_session(monde.consultant.email, AUTRE_MOT_DE_PASSE)
    assert str(inconnu) == str(mauvais.value) == "Adresse électronique ou mot de passe incorrect."


def test_un_mot_de_passe_demesure_est_faux_sans_etre_hache(monde: Monde) -> None:
    qui = avec_mot_de_passe(monde, monde.consultant)
    with pytest.raises(NonAuthentifie):
        monde.chorus.comptes.ouvrir_session(qui.email, MOT_DE_PASSE + "x" * 1_000_000)
    assert utilisateur(monde, qui.id).echecs_connexion == 1


def test_un_compte_sans_mot_de_passe_ne_se_connecte_pas(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    refuse_sans_rien_ecrire(
        monde, NonAuthentifie, lambda: comptes.ouvrir_session(monde.consultant.email, "")
    )


def test_une_session_expire_apres_sa_duree(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    avec_mot_de_passe(monde, monde.consultant)
    session = comptes.ouvrir_session(monde.consultant.email, MOT_DE_PASSE)
    monde.horloge.avancer(timedelta(hours=8) - timedelta(seconds=1))
    comptes.authentifier(session.jeton)
    monde.horloge.avancer(timedelta(seconds=1))
    refuse_sans_rien_ecrire(monde, NonAuthentifie, lambda: comptes.authentifier(session.jeton))


@pytest.mark.parametrize("secret", ["", "inconnu", "secret-000001"])
def test_un_jeton_inconnu_n_authentifie_personne(monde: Monde, secret: str) -> None:
    refuse_sans_rien_ecrire(
        monde, NonAuthentifie, lambda: monde.chorus.comptes.authentifier(secret)
    )


def test_un_hachage_d_anciens_parametres_est_refait_a_la_connexion(monde: Monde) -> None:
    qui = avec_mot_de_passe(monde, monde.consultant)
    assert qui.empreinte_mot_de_passe is not None
    assert "m=64," in qui.empreinte_mot_de_passe
    plus_fort = CompteService(
        monde.chorus.ports,
        hacheur=HacheurArgon2id(memoire_kib=128, passes=1),
        secrets=SecretsPrevisibles(),
        dessinateur=DessinateurFactice(),
        reglages=ReglagesComptes(),
        echecs=CompteurDEchecsEnMemoire(),
    )
    plus_fort.ouvrir_session(qui.email, MOT_DE_PASSE)
    rehache = utilisateur(monde, qui.id).empreinte_mot_de_passe
    assert rehache is not None
    assert "m=128," in rehache
    assert plus_fort.ouvrir_session(qui.email, MOT_DE_PASSE).utilisateur_id == qui.id


def test_definir_un_mot_de_passe_ferme_les_sessions(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    qui = avec_mot_de_passe(monde, monde.consultant)
    session = comptes.ouvrir_session(qui.email, MOT_DE_PASSE)
    comptes.definir_mot_de_passe(qui.id, AUTRE_MOT_DE_PASSE)
    with pytest.raises(NonAuthentifie):
        comptes.authentifier(session.jeton)
    with pytest.raises(NonAuthentifie):
        comptes.ouvrir_session(qui.email, MOT_DE_PASSE)
    comptes.ouvrir_session(qui.email, AUTRE_MOT_DE_PASSE)


# -- forgotten password ------------------------------------------------------------------


def test_reinitialisation_par_la_question_secrete(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    qui = compte_actif(monde)
    session = comptes.ouvrir_session(EMAIL, MOT_DE_PASSE)
    secret = lien_de_reinitialisation(monde)
    courriel = monde.dernier_courriel(EMAIL)
    assert "réinitialisation" in courriel.sujet
    assert "60 minutes" in courriel.corps
    assert comptes.question_secrete(secret) == QUESTION

    with pytest.raises(ValidationError) as faux:
        comptes.reinitialiser(
            jeton=secret, reponse_secrete="Lyon", nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE
        )
    assert faux.value.champ == "reponse_secrete"
    assert utilisateur(monde, qui.id).echecs_connexion == 1  # counted, deliberately
    comptes.authentifier(session.jeton)  # a wrong answer closes nothing

    regle = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: comptes.reinitialiser(
            jeton=secret, reponse_secrete=REPONSE, nouveau_mot_de_passe="court"
        ),
    )
    assert regle.champ == "nouveau_mot_de_passe"

    comptes.reinitialiser(
        jeton=secret,
        reponse_secrete="  saint-étienne ",
        nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE,
    )
    apres = utilisateur(monde, qui.id)
    assert apres.echecs_connexion == 0
    with pytest.raises(NonAuthentifie):
        comptes.authentifier(session.jeton)
    with monde.chorus.ports.uow as uow:
        assert uow.jetons.pour_utilisateur(qui.id, NatureJeton.SESSION) == []
    with pytest.raises(NonAuthentifie):
        comptes.ouvrir_session(EMAIL, MOT_DE_PASSE)
    assert comptes.ouvrir_session(EMAIL, AUTRE_MOT_DE_PASSE).utilisateur_id == qui.id
    refuse_sans_rien_ecrire(
        monde,
        JetonPerime,
        lambda: comptes.reinitialiser(
            jeton=secret, reponse_secrete=REPONSE, nouveau_mot_de_passe=MOT_DE_PASSE
        ),
    )


def test_une_reinitialisation_reussie_perime_les_autres_liens(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    compte_actif(monde)
    premier = lien_de_reinitialisation(monde)
    second = lien_de_reinitialisation(monde)
    comptes.reinitialiser(
        jeton=second, reponse_secrete=REPONSE, nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE
    )
    with pytest.raises(JetonPerime):
        comptes.question_secrete(premier)


def test_les_mauvaises_reponses_verrouillent_comme_les_mauvais_mots_de_passe(
    monde: Monde,
) -> None:
    comptes = monde.chorus.comptes
    compte_actif(monde)
    secret = lien_de_reinitialisation(monde)
    for _ in range(4):
        with pytest.raises(ValidationError):
            comptes.reinitialiser(
                jeton=secret, reponse_secrete="Lyon", nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE
            )
    with pytest.raises(CompteVerrouille):
        comptes.reinitialiser(
            jeton=secret, reponse_secrete="Lyon", nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE
        )
    # During the lock, even the right answer is not looked at.
    refuse_sans_rien_ecrire(
        monde,
        CompteVerrouille,
        lambda: comptes.reinitialiser(
            jeton=secret, reponse_secrete=REPONSE, nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE
        ),
    )
    refuse_sans_rien_ecrire(
        monde, CompteVerrouille, lambda: comptes.ouvrir_session(EMAIL, MOT_DE_PASSE)
    )


def test_une_reinitialisation_remet_les_echecs_a_zero(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    qui = compte_actif(monde)
    for _ in range(3):
        with pytest.raises(NonAuthentifie):
            comptes.ouvrir_session(EMAIL, AUTRE_MOT_DE_PASSE)
    comptes.reinitialiser(
        jeton=lien_de_reinitialisation(monde),
        reponse_secrete=REPONSE,
        nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE,
    )
    assert utilisateur(monde, qui.id).echecs_connexion == 0


def test_un_lien_de_reinitialisation_expire_apres_60_minutes(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    compte_actif(monde)
    secret = lien_de_reinitialisation(monde)
    monde.horloge.avancer(timedelta(minutes=60))
    refuse_sans_rien_ecrire(monde, JetonPerime, lambda: comptes.question_secrete(secret))
    refuse_sans_rien_ecrire(
        monde,
        JetonPerime,
        lambda: comptes.reinitialiser(
            jeton=secret, reponse_secrete=REPONSE, nouveau_mot_de_passe=AUTRE_MOT_DE_PASSE
        ),
    )


def test_mot_de_passe_oublie_pour_une_adresse_inconnue_n_envoie_rien(monde: Monde) -> None:
    avant = instantane(monde)
    monde.chorus.comptes.mot_de_passe_oublie("inconnu@exemple.fr")  # no refusal either
    assert instantane(monde) == avant
    assert monde.courriels("inconnu@exemple.fr") == []


def test_mot_de_passe_oublie_refuse_une_adresse_mal_formee(monde: Monde) -> None:
    refus = refuse_sans_rien_ecrire(
        monde, ValidationError, lambda: monde.chorus.comptes.mot_de_passe_oublie("pas@adresse")
    )
    assert refus.champ == "email"


def test_sans_question_secrete_le_courriel_renvoie_a_l_administrateur(monde: Monde) -> None:
    avec_mot_de_passe(monde, monde.consultant)
    monde.chorus.comptes.mot_de_passe_oublie(monde.consultant.email)
    courriel = monde.dernier_courriel(monde.consultant.email)
    assert "administrateur" in courriel.corps
    assert "jeton=" not in courriel.corps


# -- API tokens --------------------------------------------------------------------------


def test_un_jeton_d_api_agit_comme_un_compte_technique_de_la_seule_structure(
    monde: Monde,
) -> None:
    comptes = monde.chorus.comptes
    cree = jeton_api(monde)
    assert cree.jeton.nature is NatureJeton.API
    assert cree.jeton.structure_id == monde.structure.id
    assert cree.jeton.cree_par == monde.gestionnaire.id
    assert cree.secret not in repr(cree.jeton)

    qui = comptes.authentifier(cree.secret)
    technique = qui.utilisateur
    assert technique.est_technique
    assert technique.technique_pour == monde.structure.id
    assert technique.email.endswith("@api.chorus.invalid")
    assert qui.jeton.id == cree.jeton.id

    a_nous = monde.brouillon()
    chez_autres = monde.chorus.memoires.creer(
        monde.etranger.id,
        monde.entete(
            structure_id=monde.autre_structure.id,
            coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id,
        ),
    )
    memoires = monde.chorus.memoires
    assert memoires.obtenir(technique.id, a_nous.id).id == a_nous.id
    with pytest.raises(NonTrouve):
        memoires.obtenir(technique.id, chez_autres.id)
    page = monde.chorus.consultation.rechercher(
        technique.id, FiltresMemoire(), Tri(), Pagination(1, 50)
    )
    assert [r.id for r in page.elements] == [a_nous.id]
    cree_par_jeton = memoires.creer(technique.id, monde.entete())
    assert cree_par_jeton.structure_id == monde.structure.id

    # An API token's account never logs in, not even if someone gave it a password.
    with pytest.raises(NonAuthentifie):
        comptes.ouvrir_session(technique.email, "")
    with pytest.raises(ValidationError):
        comptes.definir_mot_de_passe(technique.id, MOT_DE_PASSE)
    # Nor does it manage the structure, open another one or ask to join one.
    with pytest.raises(AccesRefuse):
        comptes.jetons_api(technique.id, monde.structure.id)
    with pytest.raises(AccesRefuse, match="jeton d'API"):
        monde.chorus.structures.demander_rattachement(technique.id, monde.autre_structure.id)
    with pytest.raises(AccesRefuse, match="jeton d'API"):
        monde.chorus.structures.creer(
            technique.id,
            type_structure=monde.autre_structure.type_structure,
            type_identifiant=TypeIdentifiant.PARTICULIER,
            identifiant="JETON-STRUCTURE-1",
            raison_sociale="Structure ouverte par un jeton",
            adresse=monde.structure.adresse,
        )


def test_un_jeton_de_consultation_ne_cree_pas_de_memoire(monde: Monde) -> None:
    technique = monde.chorus.comptes.authentifier(
        jeton_api(monde, Profil.CONSULTATION).secret
    ).utilisateur
    a_nous = monde.brouillon()
    assert monde.chorus.memoires.obtenir(technique.id, a_nous.id).id == a_nous.id
    refuse_sans_rien_ecrire(
        monde, AccesRefuse, lambda: monde.chorus.memoires.creer(technique.id, monde.entete())
    )


def test_seul_un_gestionnaire_cree_liste_et_revoque_les_jetons(monde: Monde) -> None:
    comptes = monde.chorus.comptes

    def creer(acteur: Utilisateur) -> Callable[[], object]:
        return lambda: comptes.creer_jeton_api(
            acteur.id,
            monde.structure.id,
            libelle="Intrus",
            profil=Profil.MODIFICATION,
            expire_le=MAINTENANT + timedelta(days=1),
        )

    refuse_sans_rien_ecrire(monde, NonTrouve, creer(monde.etranger))
    refuse_sans_rien_ecrire(monde, AccesRefuse, creer(monde.modificateur))
    refuse_sans_rien_ecrire(monde, NonTrouve, creer(monde.agent))
    cree = jeton_api(monde)
    intrus: list[tuple[Utilisateur, type[DomainError]]] = [
        (monde.etranger, NonTrouve),
        (monde.modificateur, AccesRefuse),
    ]
    for qui, erreur in intrus:
        refuse_sans_rien_ecrire(
            monde, erreur, partial(comptes.jetons_api, qui.id, monde.structure.id)
        )
        refuse_sans_rien_ecrire(
            monde,
            erreur,
            partial(comptes.revoquer_jeton_api, qui.id, monde.structure.id, cree.jeton.id),
        )
    assert comptes.jetons_api(monde.gestionnaire.id, monde.structure.id) == [cree.jeton]
    assert comptes.jetons_api(monde.etranger.id, monde.autre_structure.id) == []


def test_un_jeton_expire_ou_revoque_n_authentifie_plus(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    bref = jeton_api(monde, jours=1)
    durable = jeton_api(monde, jours=365)
    technique = comptes.authentifier(durable.secret).utilisateur

    monde.horloge.avancer(timedelta(days=1))
    refuse_sans_rien_ecrire(monde, NonAuthentifie, lambda: comptes.authentifier(bref.secret))

    # Logging out with an API token does not revoke it.
    comptes.fermer_session(durable.secret)
    assert comptes.authentifier(durable.secret).utilisateur.id == technique.id

    comptes.revoquer_jeton_api(monde.gestionnaire.id, monde.structure.id, durable.jeton.id)
    with pytest.raises(NonAuthentifie):
        comptes.authentifier(durable.secret)
    structure = monde.chorus.structures.obtenir(monde.gestionnaire.id, monde.structure.id)
    rattachement = structure.rattachement_de(technique.id)
    assert rattachement is not None
    assert rattachement.statut is StatutRattachement.DESACTIVEE
    assert structure.habilitations_de(technique.id) == ()
    assert not any(h.utilisateur_id == technique.id for h in structure.habilitations)
    with pytest.raises(NonTrouve):
        monde.chorus.memoires.obtenir(technique.id, monde.brouillon().id)
    assert comptes.jetons_api(monde.gestionnaire.id, monde.structure.id) == [bref.jeton]
    refuse_sans_rien_ecrire(
        monde,
        NonTrouve,
        lambda: comptes.revoquer_jeton_api(
            monde.gestionnaire.id, monde.structure.id, durable.jeton.id
        ),
    )


def test_on_ne_revoque_que_les_jetons_de_sa_structure(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    cree = jeton_api(monde)
    ailleurs = comptes.creer_jeton_api(
        monde.etranger.id,
        monde.autre_structure.id,
        libelle="Autre logiciel",
        profil=Profil.CONSULTATION,
        expire_le=MAINTENANT + timedelta(days=3),
    )
    refuse_sans_rien_ecrire(
        monde,
        NonTrouve,
        lambda: comptes.revoquer_jeton_api(
            monde.gestionnaire.id, monde.structure.id, ailleurs.jeton.id
        ),
    )
    # A session's record is no API token either.
    avec_mot_de_passe(monde, monde.gestionnaire)
    comptes.ouvrir_session(monde.gestionnaire.email, MOT_DE_PASSE)
    with monde.chorus.ports.uow as uow:
        (session,) = uow.jetons.pour_utilisateur(monde.gestionnaire.id, NatureJeton.SESSION)
    refuse_sans_rien_ecrire(
        monde,
        NonTrouve,
        lambda: comptes.revoquer_jeton_api(monde.gestionnaire.id, monde.structure.id, session.id),
    )
    assert comptes.jetons_api(monde.gestionnaire.id, monde.structure.id) == [cree.jeton]
    refuse_sans_rien_ecrire(
        monde,
        NonTrouve,
        lambda: comptes.revoquer_jeton_api(monde.gestionnaire.id, monde.structure.id, "inconnu"),
    )


@pytest.mark.parametrize(
    ("changements", "champ"),
    [
        ({"libelle": "  "}, "libelle"),
        ({"libelle": "x" * 101}, "libelle"),
        ({"expire_le": MAINTENANT}, "expire_le"),
        ({"expire_le": MAINTENANT - timedelta(days=1)}, "expire_le"),
        ({"expire_le": MAINTENANT + timedelta(days=366, seconds=1)}, "expire_le"),
        ({"expire_le": datetime(2024, 7, 1, 12, 0)}, "expire_le"),  # noqa: DTZ001 (naive)
        ({"expire_le": "2024-07-01T12:00:00+00:00"}, "expire_le"),
        ({"profil": "MODIFICATION"}, "profil"),
    ],
)
def test_un_jeton_mal_decrit_est_refuse_sans_rien_ecrire(
    monde: Monde, changements: dict[str, object], champ: str
) -> None:
    valeurs: dict[str, object] = {
        "libelle": "Logiciel",
        "profil": Profil.MODIFICATION,
        "expire_le": MAINTENANT + timedelta(days=30),
    }
    valeurs.update(changements)
    refus = refuse_sans_rien_ecrire(
        monde,
        ValidationError,
        lambda: monde.chorus.comptes.creer_jeton_api(
            monde.gestionnaire.id,
            monde.structure.id,
            **valeurs,  # type: ignore[arg-type]
        ),
    )
    assert refus.champ == champ


def test_le_compte_technique_entre_membre_avec_sa_seule_habilitation(monde: Monde) -> None:
    structure = monde.structure
    habilitation = Habilitation(
        id="h",
        utilisateur_id="technique",
        application=Application.FRAIS_DE_JUSTICE,
        profil=Profil.CONSULTATION,
    )
    avec = structure.ajouter_compte_technique(
        utilisateur_id="technique",
        rattachement_id="r",
        habilitation=habilitation,
        maintenant=MAINTENANT,
    )
    assert avec.est_membre("technique")
    assert not avec.est_gestionnaire("technique")
    assert avec.habilitations_de("technique") == (habilitation,)
    with pytest.raises(Conflit):
        avec.ajouter_compte_technique(
            utilisateur_id="technique",
            rattachement_id="r2",
            habilitation=habilitation,
            maintenant=MAINTENANT,
        )
    with pytest.raises(ValidationError):
        structure.ajouter_compte_technique(
            utilisateur_id=monde.modificateur.id + "-autre",
            rattachement_id="r",
            habilitation=habilitation,
            maintenant=MAINTENANT,
        )
    with pytest.raises(ValidationError):
        structure.ajouter_compte_technique(
            utilisateur_id="technique",
            rattachement_id="r",
            habilitation=attrs.evolve(habilitation, service_id="inconnu"),
            maintenant=MAINTENANT,
        )


def test_un_jeton_vaut_jusqu_a_366_jours(monde: Monde) -> None:
    echeance = datetime(2025, 6, 15, 10, 0, tzinfo=UTC)
    assert echeance - MAINTENANT == timedelta(days=366)
    cree = monde.chorus.comptes.creer_jeton_api(
        monde.gestionnaire.id,
        monde.structure.id,
        libelle="x" * 100,
        profil=Profil.CONSULTATION,
        expire_le=echeance,
    )
    assert cree.jeton.expire_le == echeance
    assert cree.jeton.libelle == "x" * 100


# -- operators ---------------------------------------------------------------------------


def test_un_agent_cree_avec_son_mot_de_passe_se_connecte(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    agent = comptes.creer_agent(
        email="agent@tj-lyon.fr",
        mot_de_passe=MOT_DE_PASSE,
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=("TJ-69123",),
        nom="Greffe",
        prenom="Lyon",
    )
    assert agent.statut is StatutUtilisateur.ACTIF
    assert agent.juridictions == frozenset({"TJ-69123"})
    assert comptes.ouvrir_session("agent@tj-lyon.fr", MOT_DE_PASSE).utilisateur_id == agent.id


@pytest.mark.parametrize(
    ("changements", "champ"),
    [
        ({"mot_de_passe": "faible"}, "mot_de_passe"),
        ({"juridictions": ("TJ-00000",)}, "juridictions"),
        ({"juridictions": ()}, "juridictions"),
        ({"email": "greffe@tj-lyon.fr"}, "email"),
    ],
)
def test_un_agent_refuse_n_est_pas_cree(
    monde: Monde, changements: dict[str, object], champ: str
) -> None:
    valeurs: dict[str, object] = {
        "email": "agent@tj-lyon.fr",
        "mot_de_passe": MOT_DE_PASSE,
        "role": RoleAgent.AGENT_JURIDICTION,
        "juridictions": ("TJ-69123",),
    }
    valeurs.update(changements)
    refus = refuse_sans_rien_ecrire(
        monde,
        DomainError,
        lambda: monde.chorus.comptes.creer_agent(**valeurs),  # type: ignore[arg-type]
    )
    assert refus.champ == champ


def test_la_purge_oublie_les_seuls_jetons_expires(monde: Monde) -> None:
    comptes = monde.chorus.comptes
    ancien = comptes.nouveau_captcha()
    monde.horloge.avancer(timedelta(minutes=11))
    recent = comptes.nouveau_captcha()
    assert comptes.purger_jetons_expires() == 1
    assert comptes.purger_jetons_expires() == 0
    with monde.chorus.ports.uow as uow:
        with pytest.raises(NonTrouve):
            uow.jetons.obtenir(ancien.id)
        assert uow.jetons.obtenir(recent.id).id == recent.id


def test_les_droits_d_un_jeton_d_api_ne_s_elargissent_pas(monde: Monde) -> None:
    technique = monde.chorus.comptes.authentifier(
        jeton_api(monde, Profil.CONSULTATION).secret
    ).utilisateur
    structures = monde.chorus.structures
    with pytest.raises(ValidationError, match="jeton d'API") as refus:
        structures.accorder_habilitation(
            monde.gestionnaire.id,
            monde.structure.id,
            utilisateur_id=technique.id,
            application=Application.FRAIS_DE_JUSTICE,
            profil=Profil.MODIFICATION,
        )
    assert refus.value.champ == "utilisateur_id"
    with pytest.raises(ValidationError, match="jeton d'API"):
        structures.definir_gestionnaire(
            monde.gestionnaire.id, monde.structure.id, technique.id, gestionnaire=True
        )
    with pytest.raises(AccesRefuse):
        monde.chorus.memoires.creer(technique.id, monde.entete())


@pytest.mark.parametrize("email", ["inconnu@exemple.fr", "pas une adresse"])
def test_une_adresse_inconnue_se_verrouille_comme_un_compte(monde: Monde, email: str) -> None:
    """Otherwise five wrong passwords would tell whether an address has an account."""
    comptes = monde.chorus.comptes
    connu = avec_mot_de_passe(monde, monde.consultant)
    for adresse in (email, connu.email):
        for _ in range(4):
            with pytest.raises(NonAuthentifie):
                comptes.ouvrir_session(adresse, AUTRE_MOT_DE_PASSE)
        with pytest.raises(CompteVerrouille) as verrou:
            comptes.ouvrir_session(adresse, AUTRE_MOT_DE_PASSE)
        assert verrou.value.jusqu_au == monde.horloge.maintenant() + timedelta(hours=1)
        with pytest.raises(CompteVerrouille) as encore:
            comptes.ouvrir_session(adresse, MOT_DE_PASSE)
        assert str(encore.value) == str(verrou.value)
    monde.horloge.avancer(timedelta(hours=1))
    with pytest.raises(NonAuthentifie):
        comptes.ouvrir_session(email, AUTRE_MOT_DE_PASSE)
    assert comptes.ouvrir_session(connu.email, MOT_DE_PASSE).jeton
