"""The mémoire use cases end to end: draft, lines, pièces, sending, what follows, back office."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chorus.domain.entete import TypeTva
from chorus.domain.errors import (
    Conflit,
    ConflitDeVersion,
    DomainError,
    NonTrouve,
    TransitionInvalide,
    ValidationError,
)
from chorus.domain.lignes import SaisieLigne
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import Adresse, TypeIdentifiant, TypeStructure
from chorus.domain.pieces import FormatFichier, TypePiece
from chorus.domain.statuts import Intervenant, StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from tests.monde import AUJOURDHUI, MAINTENANT, PDF, PNG, Monde, saisie_ligne

# Each test runs on the in-memory store and on a real SQLite database.
pytestmark = pytest.mark.tous_stockages


def relire(monde: Monde, memoire: Memoire) -> Memoire:
    return monde.chorus.memoires.obtenir(monde.gestionnaire.id, memoire.id)


def refuse_sans_rien_changer(
    monde: Monde, memoire: Memoire, erreur: type[DomainError], agir: Callable[[], object]
) -> DomainError:
    avant = relire(monde, memoire)
    with pytest.raises(erreur) as refus:
        agir()
    assert relire(monde, memoire) == avant
    return refus.value


def ligne_recente(monde: Monde) -> SaisieLigne:
    """A line dated a few days before the clock's today (whatever it has been moved to)."""
    return saisie_ligne(date_prestation=monde.horloge.aujourdhui() - timedelta(days=5))


# -- creation --------------------------------------------------------------------------


def test_creation_donne_un_brouillon_numerote_tmp(monde: Monde) -> None:
    memoire = monde.chorus.memoires.creer(monde.gestionnaire.id, monde.entete())
    assert re.fullmatch(r"TMP2024\d{9}", memoire.numero)
    assert memoire.numero_brouillon == memoire.numero
    assert memoire.statut is StatutMemoire.BROUILLON
    assert memoire.date_creation == MAINTENANT
    assert memoire.certificat is None
    assert memoire.parent_id is None
    (entree,) = memoire.historique
    assert entree.statut is StatutMemoire.BROUILLON
    assert entree.intervenant is Intervenant.PRESTATAIRE
    assert "gestionnaire@exemple.fr" in entree.acteur
    assert entree.date_evenement == entree.date_maj == MAINTENANT
    assert relire(monde, memoire) == memoire


def test_numeros_de_brouillon_consecutifs_et_jamais_reutilises(monde: Monde) -> None:
    m = monde.chorus.memoires
    premier = m.creer(monde.gestionnaire.id, monde.entete())
    second = m.creer(monde.gestionnaire.id, monde.entete())
    m.supprimer(monde.gestionnaire.id, second.id)
    troisieme = m.creer(monde.gestionnaire.id, monde.entete())
    assert [premier.numero, second.numero, troisieme.numero] == [
        "TMP2024000000001",
        "TMP2024000000002",
        "TMP2024000000003",
    ]


def test_categorie_par_defaut_celle_de_l_espace(monde: Monde) -> None:
    m = monde.chorus.memoires
    par_defaut = m.creer(monde.gestionnaire.id, monde.entete())
    assert par_defaut.entete.categorie_prestataire == "PSYCHIATRE"
    choisie = m.creer(monde.gestionnaire.id, monde.entete(categorie_prestataire="EXPERT_MEDICAL"))
    assert choisie.entete.categorie_prestataire == "EXPERT_MEDICAL"


@pytest.mark.parametrize(
    ("changement", "champ"),
    [
        pytest.param({"juridiction_code": "TJ-00000"}, "juridiction_code", id="juridiction"),
        pytest.param({"texte_reference": "R.9999"}, "texte_reference", id="texte"),
        pytest.param(
            {"categorie_prestataire": "ASTROLOGUE"}, "categorie_prestataire", id="categorie"
        ),
        pytest.param(
            {"coordonnee_bancaire_id": "coordonnee-inconnue"},
            "coordonnee_bancaire_id",
            id="coordonnee_bancaire",
        ),
        pytest.param({"service_id": "service-inconnu"}, "service_id", id="service"),
    ],
)
def test_creation_refuse_un_code_inconnu(
    monde: Monde, changement: dict[str, str], champ: str
) -> None:
    total = monde.chorus.consultation.tableau_de_bord(monde.gestionnaire.id)
    with pytest.raises(ValidationError) as refus:
        monde.chorus.memoires.creer(monde.gestionnaire.id, monde.entete(**changement))
    assert refus.value.champ == champ
    assert monde.chorus.consultation.tableau_de_bord(monde.gestionnaire.id) == total


@pytest.mark.parametrize(
    ("changement", "champ"),
    [
        pytest.param({"type_prestation": "DIVINATION"}, "type_prestation", id="type_prestation"),
        pytest.param({"autorite_requerante": "ORACLE"}, "autorite_requerante", id="autorite"),
    ],
)
def test_ligne_refuse_un_code_inconnu(monde: Monde, changement: dict[str, str], champ: str) -> None:
    memoire = monde.brouillon()
    ligne = saisie_ligne()
    saisie = SaisieLigne(
        numero_affaire=ligne.numero_affaire,
        date_requisition=ligne.date_requisition,
        autorite_requerante=changement.get("autorite_requerante", ligne.autorite_requerante),
        type_prestation=changement.get("type_prestation", ligne.type_prestation),
        date_prestation=ligne.date_prestation,
        quantite=ligne.quantite,
        tarif_ht=ligne.tarif_ht,
        taux_tva=ligne.taux_tva,
    )
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    erreur = refuse_sans_rien_changer(
        monde, memoire, ValidationError, lambda: m.ajouter_ligne(gid, memoire.id, saisie)
    )
    assert erreur.champ == champ
    erreur = refuse_sans_rien_changer(
        monde, memoire, ValidationError, lambda: m.modifier_ligne(gid, memoire.id, 1, saisie)
    )
    assert erreur.champ == champ


def test_structure_sans_espace_frais_de_justice(monde: Monde) -> None:
    s = monde.chorus.structures
    createur = monde.chorus.utilisateurs.creer_compte(
        email="createur@exemple.fr", nom="Createur", prenom="Test", actif=True
    )
    nue = s.creer(
        createur.id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant="73282932000074",
        raison_sociale="Sans espace",
        adresse=Adresse.creer(ligne1="1 rue de la Paix", code_postal="75002", ville="Paris"),
    )
    with pytest.raises(ValidationError) as refus:
        monde.chorus.memoires.creer(
            createur.id, monde.entete(structure_id=nue.id, coordonnee_bancaire_id=None)
        )
    assert refus.value.champ == "structure_id"


def test_service_d_une_autre_structure(monde: Monde) -> None:
    autre = monde.chorus.structures.ajouter_service(
        monde.etranger.id, monde.autre_structure.id, code="PSY", libelle="Psychiatrie"
    )
    with pytest.raises(ValidationError) as refus:
        monde.chorus.memoires.creer(
            monde.gestionnaire.id, monde.entete(service_id=autre.services[0].id)
        )
    assert refus.value.champ == "service_id"


def test_coordonnee_bancaire_d_une_autre_structure(monde: Monde) -> None:
    with pytest.raises(ValidationError) as refus:
        monde.chorus.memoires.creer(
            monde.gestionnaire.id,
            monde.entete(coordonnee_bancaire_id=monde.autre_structure.coordonnees_bancaires[0].id),
        )
    assert refus.value.champ == "coordonnee_bancaire_id"


@pytest.mark.parametrize("type_tva", [TypeTva.SANS_TVA, TypeTva.EXONERATION])
def test_sans_tva_refuse_une_ligne_taxee(monde: Monde, type_tva: TypeTva) -> None:
    memoire = monde.brouillon(lignes=0, type_tva=type_tva)
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    erreur = refuse_sans_rien_changer(
        monde,
        memoire,
        ValidationError,
        lambda: m.ajouter_ligne(gid, memoire.id, saisie_ligne(taux_tva="20")),
    )
    assert erreur.champ == "lignes[0].taux_tva"
    avec_ligne = m.ajouter_ligne(gid, memoire.id, saisie_ligne(taux_tva="0"))
    assert avec_ligne.totaux.montant_tva == 0
    assert avec_ligne.entete.mention_tva == "TVA non applicable, art. 293 B du CGI"


def test_passer_en_sans_tva_avec_une_ligne_taxee(monde: Monde) -> None:
    memoire = monde.brouillon()
    m = monde.chorus.memoires
    erreur = refuse_sans_rien_changer(
        monde,
        memoire,
        ValidationError,
        lambda: m.modifier_entete(
            monde.gestionnaire.id, memoire.id, monde.entete(type_tva=TypeTva.SANS_TVA)
        ),
    )
    assert erreur.champ == "lignes[0].taux_tva"


def test_montants_du_brouillon(monde: Monde) -> None:
    memoire = monde.brouillon()
    (ligne,) = memoire.lignes
    assert ligne.numero_ligne == 1
    assert (ligne.montant_ht, ligne.montant_tva, ligne.montant_ttc) == (
        Decimal("150.00"),
        Decimal("8.25"),
        Decimal("158.25"),
    )
    assert memoire.totaux.net_a_payer == Decimal("158.25")


def test_modifier_et_supprimer_une_ligne(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = monde.brouillon(lignes=2)
    memoire = m.modifier_ligne(gid, memoire.id, 2, saisie_ligne(quantite="2"))
    assert memoire.ligne(2).montant_ttc == Decimal("316.50")
    memoire = m.supprimer_ligne(gid, memoire.id, 1)
    assert [x.numero_ligne for x in memoire.lignes] == [2]
    # a new line never takes back a number still in use
    memoire = m.ajouter_ligne(gid, memoire.id, saisie_ligne())
    assert [x.numero_ligne for x in memoire.lignes] == [2, 3]
    for agir in (
        lambda: m.modifier_ligne(gid, memoire.id, 9, saisie_ligne()),
        lambda: m.supprimer_ligne(gid, memoire.id, 9),
    ):
        assert refuse_sans_rien_changer(monde, memoire, NonTrouve, agir).champ == ("numero_ligne")


def test_supprimer_un_brouillon(monde: Monde) -> None:
    memoire = monde.brouillon()
    monde.chorus.memoires.supprimer(monde.gestionnaire.id, memoire.id)
    with pytest.raises(DomainError):
        relire(monde, memoire)


# -- sending ---------------------------------------------------------------------------


def test_envoi_numero_definitif_et_certificat(monde: Monde) -> None:
    brouillon = monde.brouillon()
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, brouillon.id, attestation_sur_honneur=True
    )
    assert re.fullmatch(r"MJ\d{11}", envoye.numero)
    assert envoye.numero == "MJ00000000001"
    assert envoye.numero_brouillon == brouillon.numero
    assert envoye.statut is StatutMemoire.ENVOYE
    assert [e.statut for e in envoye.historique] == [StatutMemoire.BROUILLON, StatutMemoire.ENVOYE]
    assert relire(monde, envoye) == envoye

    # the RIB of the chosen bank details is attached automatically
    rib_structure = monde.structure.pieces[0]
    (rib,) = [p for p in envoye.pieces if p.type_piece is TypePiece.COORDONNEE_BANCAIRE]
    assert rib.sha256 == rib_structure.sha256 == hashlib.sha256(PDF + b"41234567000019").hexdigest()
    assert rib.numero_ligne is None

    certificat = envoye.certificat
    assert certificat is not None
    assert certificat.numero == envoye.numero
    assert certificat.date_depot == MAINTENANT == envoye.date_depot
    assert certificat.prestataire == "41234567000019 – Cabinet Durand"
    assert certificat.juridiction == "Tribunal judiciaire de Lyon"
    assert len(certificat.empreinte) == 44
    assert len(base64.b64decode(certificat.empreinte, validate=True)) == 32
    assert [(p.nom_fichier, p.type_piece, p.sha256) for p in certificat.pieces] == [
        (p.nom_fichier, p.type_piece, p.sha256) for p in envoye.pieces
    ]
    assert all(re.fullmatch(r"[0-9a-f]{64}", p.sha256) for p in certificat.pieces)
    assert certificat.montant_ht_apres_remise == Decimal("150.00")
    assert certificat.montant_tva == Decimal("8.25")
    assert certificat.remise_globale_ttc == Decimal("0")
    assert certificat.montant_ttc_avant_remise == Decimal("158.25")
    assert certificat.texte == (
        f"Le mémoire de frais de justice n°{envoye.numero} d'un montant de 158,25 EUR est en "
        "cours de transfert au Tribunal judiciaire de Lyon."
    )


def test_rib_deja_joint_n_est_pas_joint_deux_fois(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    brouillon = monde.brouillon()
    m.importer_piece(gid, brouillon.id, monde.structure.pieces[0].id)
    envoye = m.envoyer(gid, brouillon.id, attestation_sur_honneur=True)
    assert len(envoye.pieces) == 1
    assert envoye.certificat is not None
    assert len(envoye.certificat.pieces) == 1


def test_numeros_definitifs_consecutifs(monde: Monde) -> None:
    premier = monde.envoye()
    jete = monde.brouillon()
    monde.chorus.memoires.supprimer(monde.gestionnaire.id, jete.id)
    second = monde.envoye()
    troisieme = monde.envoye(acteur=monde.modificateur)
    assert [premier.numero, second.numero, troisieme.numero] == [
        "MJ00000000001",
        "MJ00000000002",
        "MJ00000000003",
    ]
    assert len({x.certificat.empreinte for x in (premier, second, troisieme) if x.certificat}) == 3


def _sans_attestation(monde: Monde, memoire: Memoire) -> object:
    return monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, memoire.id, attestation_sur_honneur=False
    )


def _envoyer(monde: Monde, memoire: Memoire) -> object:
    return monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, memoire.id, attestation_sur_honneur=True
    )


def _forclos(monde: Monde, memoire: Memoire) -> object:
    # the line's prestation ended on 2024-06-04; on 2025-06-15 it is foreclosed (art. 800 CPP)
    monde.horloge.avancer(timedelta(days=366))
    return _envoyer(monde, memoire)


@pytest.mark.parametrize(
    ("lignes", "agir", "champ"),
    [
        pytest.param(1, _sans_attestation, "attestation_sur_honneur", id="sans-attestation"),
        pytest.param(0, _envoyer, "lignes", id="sans-ligne"),
        pytest.param(1, _forclos, "lignes[0].date_prestation", id="ligne-forclose"),
    ],
)
def test_envoi_refuse_ne_change_rien(
    monde: Monde, lignes: int, agir: Callable[[Monde, Memoire], object], champ: str
) -> None:
    memoire = monde.brouillon(lignes=lignes)
    erreur = refuse_sans_rien_changer(monde, memoire, ValidationError, lambda: agir(monde, memoire))
    assert erreur.champ == champ
    relu = relire(monde, memoire)
    assert relu.version == memoire.version
    assert relu.statut is StatutMemoire.BROUILLON
    assert relu.numero == memoire.numero
    assert relu.certificat is None
    # no MJ number was consumed
    suivant = monde.brouillon(lignes=0)
    monde.chorus.memoires.ajouter_ligne(monde.gestionnaire.id, suivant.id, ligne_recente(monde))
    assert _envoyer(monde, suivant) == relire(monde, suivant)
    assert relire(monde, suivant).numero == "MJ00000000001"


def test_envoi_apres_retrait_de_la_coordonnee_bancaire(monde: Monde) -> None:
    """The structure may have changed since the draft was written: checked again at sending."""
    s = monde.chorus.structures
    g = monde.gestionnaire.id
    second_rib = s.deposer_piece(
        g,
        monde.structure.id,
        contenu=PDF + b"RIB 2",
        nom_fichier="RIB-2.pdf",
        type_piece=TypePiece.COORDONNEE_BANCAIRE,
    )
    second = s.ajouter_coordonnee_bancaire(
        g,
        monde.structure.id,
        libelle="Second",
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
        piece_jointe_id=second_rib.id,
    )
    memoire = monde.brouillon(coordonnee_bancaire_id=second.id)
    s.retirer_coordonnee_bancaire(g, monde.structure.id, second.id)
    erreur = refuse_sans_rien_changer(
        monde, memoire, ValidationError, lambda: _envoyer(monde, memoire)
    )
    assert erreur.champ == "coordonnee_bancaire_id"
    assert monde.envoye().numero == "MJ00000000001"


@pytest.mark.parametrize(
    ("remise", "champ"),
    [("158.26", "remise_globale_ttc"), ("158.25", "lignes")],
    ids=["remise-superieure-au-ttc", "net-a-payer-nul"],
)
def test_envoi_refuse_une_remise_excessive(monde: Monde, remise: str, champ: str) -> None:
    memoire = monde.brouillon(remise_globale_ttc=remise)
    erreur = refuse_sans_rien_changer(
        monde, memoire, ValidationError, lambda: _envoyer(monde, memoire)
    )
    assert erreur.champ == champ


def test_remise_globale(monde: Monde) -> None:
    memoire = monde.brouillon(remise_globale_ttc="8.25")
    envoye = _envoyer(monde, memoire)
    assert isinstance(envoye, Memoire)
    assert envoye.totaux.net_a_payer == Decimal("150.00")
    assert envoye.certificat is not None
    assert envoye.certificat.remise_globale_ttc == Decimal("8.25")
    assert envoye.certificat.montant_ttc_avant_remise == Decimal("158.25")
    assert "d'un montant de 150,00 EUR" in envoye.certificat.texte


def test_numerotation_des_brouillons_par_annee(monde: Monde) -> None:
    monde.brouillon()
    monde.horloge.regler(datetime(2025, 1, 2, 10, 0, tzinfo=UTC))
    memoire = monde.chorus.memoires.creer(monde.gestionnaire.id, monde.entete())
    assert memoire.numero == "TMP2025000000001"


def test_la_structure_d_un_memoire_ne_change_pas(monde: Monde) -> None:
    memoire = monde.brouillon()
    erreur = refuse_sans_rien_changer(
        monde,
        memoire,
        ValidationError,
        lambda: monde.chorus.memoires.modifier_entete(
            monde.gestionnaire.id, memoire.id, monde.entete(structure_id=monde.autre_structure.id)
        ),
    )
    assert erreur.champ == "structure_id"


def test_forclusion_au_jour_pres(monde: Monde) -> None:
    """Exactly one year after the prestation, sending is still allowed."""
    memoire = monde.brouillon()
    monde.horloge.regler(datetime(2025, 6, 4, 10, 0, tzinfo=UTC))
    assert monde.horloge.aujourdhui() == memoire.lignes[0].date_prestation.replace(year=2025)
    envoye = monde.chorus.memoires.envoyer(
        monde.gestionnaire.id, memoire.id, attestation_sur_honneur=True
    )
    assert envoye.statut is StatutMemoire.ENVOYE


def _envoi_modifier_entete(monde: Monde, m: Memoire) -> object:
    return monde.chorus.memoires.modifier_entete(
        monde.gestionnaire.id, m.id, monde.entete(commentaire="Trop tard")
    )


OPERATIONS_SUR_ENVOYE: list[tuple[str, Callable[[Monde, Memoire], object]]] = [
    ("modifier_entete", _envoi_modifier_entete),
    ("supprimer", lambda monde, m: monde.chorus.memoires.supprimer(monde.gestionnaire.id, m.id)),
    (
        "ajouter_ligne",
        lambda monde, m: monde.chorus.memoires.ajouter_ligne(
            monde.gestionnaire.id, m.id, saisie_ligne()
        ),
    ),
    (
        "modifier_ligne",
        lambda monde, m: monde.chorus.memoires.modifier_ligne(
            monde.gestionnaire.id, m.id, 1, saisie_ligne(quantite="3")
        ),
    ),
    (
        "supprimer_ligne",
        lambda monde, m: monde.chorus.memoires.supprimer_ligne(monde.gestionnaire.id, m.id, 1),
    ),
    (
        "joindre_piece",
        lambda monde, m: monde.chorus.memoires.joindre_piece(
            monde.gestionnaire.id,
            m.id,
            contenu=PNG,
            nom_fichier="x.png",
            type_piece=TypePiece.AUTRE,
        ),
    ),
    (
        "importer_piece",
        lambda monde, m: monde.chorus.memoires.importer_piece(
            monde.gestionnaire.id, m.id, monde.structure.pieces[0].id
        ),
    ),
    (
        "retirer_piece",
        lambda monde, m: monde.chorus.memoires.retirer_piece(
            monde.gestionnaire.id, m.id, m.pieces[0].id
        ),
    ),
    ("envoyer", _envoyer),
    (
        "completer",
        lambda monde, m: monde.chorus.memoires.completer(
            monde.gestionnaire.id, m.id, commentaire="Rien"
        ),
    ),
    ("abandonner", lambda monde, m: monde.chorus.memoires.abandonner(monde.gestionnaire.id, m.id)),
]


def _en_statut(monde: Monde, statut: StatutMemoire) -> Memoire:
    return {
        StatutMemoire.ENVOYE: monde.envoye,
        StatutMemoire.MIS_A_DISPOSITION: monde.mis_a_disposition,
        StatutMemoire.MIS_EN_PAIEMENT: monde.paye,
    }[statut]()


@pytest.mark.parametrize(
    "statut",
    [StatutMemoire.ENVOYE, StatutMemoire.MIS_A_DISPOSITION, StatutMemoire.MIS_EN_PAIEMENT],
    ids=lambda s: s.value,
)
@pytest.mark.parametrize(
    ("nom", "agir"), OPERATIONS_SUR_ENVOYE, ids=[n for n, _ in OPERATIONS_SUR_ENVOYE]
)
def test_un_memoire_envoye_est_immuable(
    monde: Monde, statut: StatutMemoire, nom: str, agir: Callable[[Monde, Memoire], object]
) -> None:
    memoire = _en_statut(monde, statut)
    erreur = refuse_sans_rien_changer(
        monde, memoire, TransitionInvalide, lambda: agir(monde, memoire)
    )
    assert erreur.message


# -- optimistic concurrency ----------------------------------------------------------------

AVEC_VERSION: list[tuple[str, Callable[[Monde, Memoire, int], object]]] = [
    (
        "modifier_entete",
        lambda monde, m, v: monde.chorus.memoires.modifier_entete(
            monde.gestionnaire.id, m.id, monde.entete(commentaire="x"), version_attendue=v
        ),
    ),
    (
        "supprimer",
        lambda monde, m, v: monde.chorus.memoires.supprimer(
            monde.gestionnaire.id, m.id, version_attendue=v
        ),
    ),
    (
        "ajouter_ligne",
        lambda monde, m, v: monde.chorus.memoires.ajouter_ligne(
            monde.gestionnaire.id, m.id, saisie_ligne(), version_attendue=v
        ),
    ),
    (
        "modifier_ligne",
        lambda monde, m, v: monde.chorus.memoires.modifier_ligne(
            monde.gestionnaire.id, m.id, 1, saisie_ligne(quantite="2"), version_attendue=v
        ),
    ),
    (
        "supprimer_ligne",
        lambda monde, m, v: monde.chorus.memoires.supprimer_ligne(
            monde.gestionnaire.id, m.id, 1, version_attendue=v
        ),
    ),
    (
        "envoyer",
        lambda monde, m, v: monde.chorus.memoires.envoyer(
            monde.gestionnaire.id, m.id, attestation_sur_honneur=True, version_attendue=v
        ),
    ),
]


@pytest.mark.parametrize(("nom", "agir"), AVEC_VERSION, ids=[n for n, _ in AVEC_VERSION])
def test_version_perimee(
    monde: Monde, nom: str, agir: Callable[[Monde, Memoire, int], object]
) -> None:
    lu = monde.brouillon()
    # someone else changed it since `lu` was read
    monde.chorus.memoires.modifier_entete(
        monde.modificateur.id, lu.id, monde.entete(commentaire="Par un collègue")
    )
    erreur = refuse_sans_rien_changer(
        monde, lu, ConflitDeVersion, lambda: agir(monde, lu, lu.version)
    )
    assert isinstance(erreur, Conflit)
    assert erreur.champ == "version"
    # with the current version it goes through
    actuel = relire(monde, lu)
    agir(monde, actuel, actuel.version)
    if nom == "envoyer":
        assert relire(monde, lu).numero == "MJ00000000001"


def test_version_augmente_a_chaque_ecriture(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = m.creer(gid, monde.entete())
    v0 = relire(monde, memoire).version
    apres = m.ajouter_ligne(gid, memoire.id, saisie_ligne(), version_attendue=v0)
    assert apres.version == v0 + 1 == relire(monde, memoire).version


# -- pièces ------------------------------------------------------------------------------


def test_joindre_lire_et_retirer_une_piece(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = monde.brouillon()
    contenu = PDF + b"requisition"
    piece = m.joindre_piece(
        gid,
        memoire.id,
        contenu=contenu,
        nom_fichier="C:\\Users\\expert\\Réquisition.pdf",
        type_piece=TypePiece.REQUISITION,
        designation="Réquisition du parquet",
        numero_ligne=1,
    )
    assert piece.nom_fichier == "Réquisition.pdf"
    assert piece.sha256 == hashlib.sha256(contenu).hexdigest()
    assert piece.taille == len(contenu)
    assert piece.format is FormatFichier.PDF
    assert piece.numero_ligne == 1
    assert relire(monde, memoire).pieces == (piece,)
    lue, octets = m.lire_piece(monde.consultant.id, memoire.id, piece.id)
    assert lue == piece
    assert octets == contenu
    retire = m.retirer_piece(gid, memoire.id, piece.id)
    assert retire.pieces == ()
    erreur = refuse_sans_rien_changer(
        monde, retire, NonTrouve, lambda: m.retirer_piece(gid, memoire.id, piece.id)
    )
    assert erreur.champ == "piece_id"


def test_format_reconnu_par_le_contenu_pas_par_le_nom(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = monde.brouillon()
    erreur = refuse_sans_rien_changer(
        monde,
        memoire,
        ValidationError,
        lambda: m.joindre_piece(
            gid,
            memoire.id,
            contenu=b"Ceci n'est pas un PDF, seulement du texte.",
            nom_fichier="facture.pdf",
            type_piece=TypePiece.AUTRE,
        ),
    )
    assert erreur.champ == "fichier"
    image = m.joindre_piece(
        gid, memoire.id, contenu=PNG, nom_fichier="scan.pdf", type_piece=TypePiece.AUTRE
    )
    assert image.format is FormatFichier.PNG


def test_cinquante_pieces_au_plus(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = monde.brouillon()
    for numero in range(50):
        m.joindre_piece(
            gid,
            memoire.id,
            contenu=PDF + str(numero).encode(),
            nom_fichier=f"piece-{numero}.pdf",
            type_piece=TypePiece.AUTRE,
        )
    plein = relire(monde, memoire)
    assert len(plein.pieces) == 50
    erreur = refuse_sans_rien_changer(
        monde,
        plein,
        ValidationError,
        lambda: m.joindre_piece(
            gid, memoire.id, contenu=PDF + b"51", nom_fichier="51.pdf", type_piece=TypePiece.AUTRE
        ),
    )
    assert erreur.champ == "fichier"
    erreur = refuse_sans_rien_changer(
        monde,
        plein,
        ValidationError,
        lambda: m.importer_piece(gid, memoire.id, monde.structure.pieces[0].id),
    )
    assert erreur.champ == "fichier"


def test_piece_sur_une_ligne_inconnue(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = monde.brouillon()
    for agir in (
        lambda: m.joindre_piece(
            gid,
            memoire.id,
            contenu=PDF,
            nom_fichier="a.pdf",
            type_piece=TypePiece.AUTRE,
            numero_ligne=7,
        ),
        lambda: m.importer_piece(gid, memoire.id, monde.structure.pieces[0].id, numero_ligne=7),
    ):
        assert refuse_sans_rien_changer(monde, memoire, ValidationError, agir).champ == (
            "numero_ligne"
        )


def test_importer_depuis_le_fonds_de_la_structure(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    contenu = PNG + b"carte grise"
    fonds = monde.chorus.structures.deposer_piece(
        gid,
        monde.structure.id,
        contenu=contenu,
        nom_fichier="carte-grise.png",
        type_piece=TypePiece.AUTRE,
        designation="Carte grise du véhicule",
    )
    memoire = monde.brouillon()
    importee = m.importer_piece(monde.modificateur.id, memoire.id, fonds.id, numero_ligne=1)
    assert importee.id != fonds.id
    assert (importee.sha256, importee.nom_fichier, importee.designation, importee.type_piece) == (
        fonds.sha256,
        fonds.nom_fichier,
        fonds.designation,
        fonds.type_piece,
    )
    assert importee.numero_ligne == 1
    assert relire(monde, memoire).pieces == (importee,)
    assert m.lire_piece(gid, memoire.id, importee.id)[1] == contenu
    # the pool keeps its pièce
    assert fonds in monde.chorus.structures.obtenir(gid, monde.structure.id).pieces
    erreur = refuse_sans_rien_changer(
        monde, memoire, ValidationError, lambda: m.importer_piece(gid, memoire.id, "inconnue")
    )
    assert erreur.champ == "piece_structure_id"


def test_supprimer_une_ligne_garde_ses_pieces(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    memoire = monde.brouillon(lignes=2)
    piece = m.joindre_piece(
        gid,
        memoire.id,
        contenu=PDF,
        nom_fichier="a.pdf",
        type_piece=TypePiece.AUTRE,
        numero_ligne=1,
    )
    autre = m.joindre_piece(
        gid,
        memoire.id,
        contenu=PNG,
        nom_fichier="b.png",
        type_piece=TypePiece.AUTRE,
        numero_ligne=2,
    )
    apres = m.supprimer_ligne(gid, memoire.id, 1)
    assert [(p.id, p.numero_ligne) for p in apres.pieces] == [(piece.id, None), (autre.id, 2)]
    assert m.lire_piece(gid, memoire.id, piece.id)[1] == PDF


# -- suspension and complement -------------------------------------------------------------


def test_suspendu_complete_puis_certifie(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    suspendu = monde.suspendu()
    assert suspendu.statut is StatutMemoire.SUSPENDU
    piece = m.joindre_piece(
        gid,
        suspendu.id,
        contenu=PDF + b"attestation",
        nom_fichier="attestation.pdf",
        type_piece=TypePiece.ATTESTATION_SERVICE_FAIT,
    )
    relu = relire(monde, suspendu)
    assert relu.pieces == suspendu.pieces
    assert relu.pieces_complementaires == (piece,)
    assert relu.certificat == suspendu.certificat
    assert relu.statut is StatutMemoire.SUSPENDU
    assert m.lire_piece(gid, suspendu.id, piece.id)[1] == PDF + b"attestation"

    complete = m.completer(gid, suspendu.id, commentaire="Voici l'attestation demandée.")
    assert complete.statut is StatutMemoire.COMPLETE
    derniere = complete.historique[-1]
    assert derniere.statut is StatutMemoire.COMPLETE
    assert derniere.motif == "Voici l'attestation demandée."
    assert derniere.intervenant is Intervenant.PRESTATAIRE
    assert complete.pieces_complementaires == (piece,)

    certifie = monde.evenement(complete, ActionTraitement.CERTIFICATION)
    assert certifie.statut is StatutMemoire.CERTIFIE
    assert certifie.montant_certifie == Decimal("158.25")


def test_completer_sans_commentaire_ou_hors_suspension(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    suspendu = monde.suspendu()
    erreur = refuse_sans_rien_changer(
        monde, suspendu, ValidationError, lambda: m.completer(gid, suspendu.id, commentaire="  ")
    )
    assert erreur.champ == "commentaire"
    disponible = monde.mis_a_disposition()
    refuse_sans_rien_changer(
        monde,
        disponible,
        TransitionInvalide,
        lambda: m.completer(gid, disponible.id, commentaire="Rien"),
    )


# -- duplication and abandon ----------------------------------------------------------------


def test_dupliquer_un_refuse(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    brouillon = monde.brouillon()
    annexe = m.joindre_piece(
        gid, brouillon.id, contenu=PDF + b"annexe", nom_fichier="annexe.pdf",
        type_piece=TypePiece.REQUISITION, numero_ligne=1,
    )  # fmt: skip
    envoye = m.envoyer(gid, brouillon.id, attestation_sur_honneur=True)
    refuse = monde.evenement(
        monde.evenement(envoye, ActionTraitement.MISE_A_DISPOSITION), ActionTraitement.REFUS
    )
    copie = m.dupliquer(monde.modificateur.id, refuse.id)

    original = relire(monde, refuse)
    assert original.statut is StatutMemoire.DUPLIQUE_POST_REFUS
    assert original.historique[-1].motif == f"Dupliqué en {copie.numero}"
    assert original.pieces == refuse.pieces
    assert original.certificat == refuse.certificat

    assert copie == relire(monde, copie)
    assert copie.statut is StatutMemoire.BROUILLON
    assert re.fullmatch(r"TMP2024\d{9}", copie.numero)
    assert copie.parent_id == refuse.id
    assert copie.certificat is None
    assert copie.lignes == refuse.lignes
    assert copie.entete == refuse.entete
    assert len(copie.historique) == 1
    (piece,) = copie.pieces  # the RIB is left out: sending attaches the current one
    assert piece.id != annexe.id
    assert (piece.sha256, piece.type_piece, piece.numero_ligne) == (
        annexe.sha256,
        TypePiece.REQUISITION,
        1,
    )
    # the copy lives its own life
    renvoye = m.envoyer(gid, copie.id, attestation_sur_honneur=True)
    assert renvoye.numero == "MJ00000000002"
    # the original, now « Dupliqué post refus », can no longer be abandoned; duplicating it
    # again gives another copy but leaves it as it is
    refuse_sans_rien_changer(
        monde, original, TransitionInvalide, lambda: m.abandonner(gid, refuse.id)
    )
    encore = m.dupliquer(gid, refuse.id)
    assert encore.parent_id == refuse.id
    assert relire(monde, refuse) == original


def test_dupliquer_copie_aussi_les_complements(monde: Monde) -> None:
    m = monde.chorus.memoires
    gid = monde.gestionnaire.id
    suspendu = monde.suspendu()
    complement = m.joindre_piece(
        gid, suspendu.id, contenu=PNG, nom_fichier="c.png", type_piece=TypePiece.AUTRE
    )
    refuse = monde.evenement(relire(monde, suspendu), ActionTraitement.REFUS)
    copie = m.dupliquer(gid, refuse.id)
    assert [p.sha256 for p in copie.pieces] == [complement.sha256]
    assert copie.pieces_complementaires == ()


@pytest.mark.parametrize(
    "statut",
    [StatutMemoire.ENVOYE, StatutMemoire.MIS_A_DISPOSITION, StatutMemoire.MIS_EN_PAIEMENT],
    ids=lambda s: s.value,
)
def test_dupliquer_sans_refus_laisse_l_original(monde: Monde, statut: StatutMemoire) -> None:
    original = _en_statut(monde, statut)
    copie = monde.chorus.memoires.dupliquer(monde.gestionnaire.id, original.id)
    assert relire(monde, original) == original
    assert copie.statut is StatutMemoire.BROUILLON
    assert copie.parent_id == original.id
    assert copie.lignes == original.lignes


def test_abandonner_un_refuse(monde: Monde) -> None:
    refuse = monde.refuse()
    abandonne = monde.chorus.memoires.abandonner(monde.modificateur.id, refuse.id)
    assert abandonne.statut is StatutMemoire.ABANDONNE
    assert abandonne.historique[-1].intervenant is Intervenant.PRESTATAIRE
    assert relire(monde, refuse) == abandonne


@pytest.mark.parametrize(
    "preparer",
    [
        pytest.param(lambda monde: monde.brouillon(), id="BROUILLON"),
        pytest.param(lambda monde: monde.envoye(), id="ENVOYE"),
        pytest.param(lambda monde: monde.mis_a_disposition(), id="MIS_A_DISPOSITION"),
        pytest.param(lambda monde: monde.suspendu(), id="SUSPENDU"),
        pytest.param(lambda monde: monde.paye(), id="MIS_EN_PAIEMENT"),
    ],
)
def test_abandonner_seulement_un_refuse(monde: Monde, preparer: Callable[[Monde], Memoire]) -> None:
    memoire = preparer(monde)
    refuse_sans_rien_changer(
        monde,
        memoire,
        TransitionInvalide,
        lambda: monde.chorus.memoires.abandonner(monde.gestionnaire.id, memoire.id),
    )


# -- back office -------------------------------------------------------------------------


def evenement(
    monde: Monde,
    action: ActionTraitement,
    reference: str,
    *,
    quand: datetime | None = None,
    motif: str | None = None,
    montant_certifie: str | None = None,
    montant_paye: str | None = None,
) -> EvenementTraitement:
    return EvenementTraitement.creer(
        action=action,
        reference=reference,
        date_evenement=quand or monde.horloge.maintenant(),
        motif=motif,
        montant_certifie=montant_certifie,
        montant_paye=montant_paye,
    )


def test_evenement_rejoue_ne_change_rien(monde: Monde) -> None:
    t = monde.chorus.traitement
    envoye = monde.envoye()
    mad = evenement(monde, ActionTraitement.MISE_A_DISPOSITION, "REF-1")
    une_fois = t.appliquer_evenement(monde.agent.id, envoye.id, mad)
    monde.horloge.avancer(timedelta(hours=3))
    deux_fois = t.appliquer_evenement(monde.agent.id, envoye.id, mad)
    assert deux_fois == une_fois == relire(monde, envoye)
    assert deux_fois.version == une_fois.version
    assert len(deux_fois.historique) == len(une_fois.historique) == 3
    # even after later events, a late replay changes nothing
    suspendu = t.appliquer_evenement(
        monde.agent.id,
        envoye.id,
        evenement(monde, ActionTraitement.SUSPENSION, "REF-2", motif="Pièce manquante"),
    )
    assert t.appliquer_evenement(monde.agent.id, envoye.id, mad) == suspendu
    assert relire(monde, envoye) == suspendu
    # a reference reused for another action is a conflict
    erreur = refuse_sans_rien_changer(
        monde,
        suspendu,
        Conflit,
        lambda: t.appliquer_evenement(
            monde.agent.id,
            envoye.id,
            evenement(monde, ActionTraitement.REFUS, "REF-2", motif="Autre"),
        ),
    )
    assert erreur.champ == "reference_evenement"


def test_historique_date_evenement_et_date_de_mise_a_jour(monde: Monde) -> None:
    envoye = monde.envoye()
    monde.horloge.avancer(timedelta(days=3))
    quand = MAINTENANT + timedelta(days=1)
    apres = monde.chorus.traitement.appliquer_evenement(
        monde.agent.id,
        envoye.id,
        evenement(monde, ActionTraitement.MISE_A_DISPOSITION, "R", quand=quand),
    )
    derniere = apres.historique[-1]
    assert derniere.date_evenement == quand
    assert derniere.date_maj == MAINTENANT + timedelta(days=3) == apres.date_statut
    assert derniere.intervenant is Intervenant.ACHEMINEMENT
    assert derniere.reference_evenement == "R"
    assert "greffe@tj-lyon.fr" in derniere.acteur


def certifier(
    monde: Monde, memoire: Memoire, reference: str, montant: str, motif: str | None = None
) -> Memoire:
    """The Lyon agent certifies `memoire` for `montant`."""
    return monde.chorus.traitement.appliquer_evenement(
        monde.agent.id,
        memoire.id,
        evenement(
            monde, ActionTraitement.CERTIFICATION, reference, montant_certifie=montant, motif=motif
        ),
    )


def test_certification_minoree_puis_paiement(monde: Monde) -> None:
    t = monde.chorus.traitement
    disponible = monde.mis_a_disposition()
    certifie = certifier(
        monde, disponible, "C-1", "120.00", motif="Taxation : tarif de l'article A.43-6 appliqué"
    )
    assert certifie.statut is StatutMemoire.CERTIFIE
    assert certifie.montant_certifie == Decimal("120.00")
    assert certifie.historique[-1].montant == Decimal("120.00")
    assert certifie.totaux.net_a_payer == Decimal("158.25")  # what was asked stays as sent

    monde.horloge.avancer(timedelta(days=20))
    paye = t.appliquer_evenement(
        monde.comptable.id,
        disponible.id,
        evenement(monde, ActionTraitement.MISE_EN_PAIEMENT, "P-1"),
    )
    assert paye.statut is StatutMemoire.MIS_EN_PAIEMENT
    assert paye.montant_paye == Decimal("120.00")
    assert paye.date_paiement == AUJOURDHUI + timedelta(days=20)
    assert relire(monde, disponible) == paye


def test_paiement_partiel_a_sa_date_d_evenement(monde: Monde) -> None:
    t = monde.chorus.traitement
    certifie = monde.evenement(monde.mis_a_disposition(), ActionTraitement.CERTIFICATION)
    monde.horloge.avancer(timedelta(days=10))
    quand = datetime(2024, 6, 20, 23, 30, tzinfo=UTC)  # already the 21st in Paris
    paye = t.appliquer_evenement(
        monde.comptable.id,
        certifie.id,
        evenement(
            monde, ActionTraitement.MISE_EN_PAIEMENT, "P-1", quand=quand, montant_paye="100.00"
        ),
    )
    assert paye.montant_paye == Decimal("100.00")
    assert paye.date_paiement == AUJOURDHUI.replace(day=21)


def test_une_certification_minoree_exige_son_motif(monde: Monde) -> None:
    disponible = monde.mis_a_disposition()
    erreur = refuse_sans_rien_changer(
        monde, disponible, ValidationError, lambda: certifier(monde, disponible, "C-1", "100.00")
    )
    assert erreur.champ == "motif"
    # certifying the amount asked needs no reason
    certifie = certifier(monde, disponible, "C-2", "158.25")
    assert certifie.statut is StatutMemoire.CERTIFIE


def test_un_evenement_date_de_quelques_minutes_d_avance_est_accepte(monde: Monde) -> None:
    t = monde.chorus.traitement
    envoye = monde.envoye()
    quand = MAINTENANT + timedelta(minutes=4)
    apres = t.appliquer_evenement(
        monde.agent.id,
        envoye.id,
        evenement(monde, ActionTraitement.MISE_A_DISPOSITION, "R", quand=quand),
    )
    assert apres.historique[-1].date_evenement == quand


def test_montants_du_back_office_bornes(monde: Monde) -> None:
    t = monde.chorus.traitement
    disponible = monde.mis_a_disposition()
    erreur = refuse_sans_rien_changer(
        monde, disponible, ValidationError, lambda: certifier(monde, disponible, "C-1", "158.26")
    )
    assert erreur.champ == "montant_certifie"
    certifie = certifier(monde, disponible, "C-1", "100", motif="Taxé")
    erreur = refuse_sans_rien_changer(
        monde,
        certifie,
        ValidationError,
        lambda: t.appliquer_evenement(
            monde.comptable.id,
            disponible.id,
            evenement(monde, ActionTraitement.MISE_EN_PAIEMENT, "P-1", montant_paye="100.01"),
        ),
    )
    assert erreur.champ == "montant_paye"


@pytest.mark.parametrize(
    "decalage",
    [pytest.param(-1, id="avant-l-envoi"), pytest.param(1, id="dans-le-futur")],
)
def test_dates_d_evenement_bornees(monde: Monde, decalage: int) -> None:
    t = monde.chorus.traitement
    envoye = monde.envoye()
    # beyond the five minutes of clock drift the portal tolerates
    quand = MAINTENANT + timedelta(minutes=6 * decalage)
    erreur = refuse_sans_rien_changer(
        monde,
        envoye,
        ValidationError,
        lambda: t.appliquer_evenement(
            monde.agent.id,
            envoye.id,
            evenement(monde, ActionTraitement.MISE_A_DISPOSITION, "R", quand=quand),
        ),
    )
    assert erreur.champ == "date_evenement"


def test_transitions_du_back_office(monde: Monde) -> None:
    t = monde.chorus.traitement
    envoye = monde.envoye()
    refuse_sans_rien_changer(
        monde,
        envoye,
        TransitionInvalide,
        lambda: t.appliquer_evenement(
            monde.agent.id, envoye.id, evenement(monde, ActionTraitement.CERTIFICATION, "C")
        ),
    )
    refuse_sans_rien_changer(
        monde,
        envoye,
        TransitionInvalide,
        lambda: t.appliquer_evenement(
            monde.comptable.id, envoye.id, evenement(monde, ActionTraitement.MISE_EN_PAIEMENT, "P")
        ),
    )
    with pytest.raises(ValidationError) as refus:
        evenement(monde, ActionTraitement.REFUS, "R")
    assert refus.value.champ == "motif"
