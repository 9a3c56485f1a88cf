"""The mémoire aggregate: drafting, sending, forclusion, back-office events, duplication."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from chorus.domain.certificat import PieceCertifiee
from chorus.domain.empreinte import empreinte, serialisation_canonique
from chorus.domain.entete import MOTIF_EXONERATION_PAR_DEFAUT, EnTete, TypeTva
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.memoire import Memoire
from chorus.domain.pieces import NOMBRE_MAXIMUM_PAR_MEMOIRE, TypePiece
from chorus.domain.statuts import Intervenant, StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement
from tests.unit.fabrique import (
    CREATEUR,
    JURIDICTION,
    MAINTENANT,
    NUMERO_BROUILLON,
    NUMERO_DEFINITIF,
    PNG,
    PRESTATAIRE,
    RAISON_SOCIALE,
    SIRET,
    a_l_etat,
    brouillon,
    entete,
    envoye,
    heure,
    ligne,
    piece,
    piece_rib,
    traiter,
)

S = StatutMemoire
A = ActionTraitement
D = Decimal

# -- creation and header -------------------------------------------------------------------


def test_creer_un_brouillon() -> None:
    m = Memoire.creer(
        id="m-1", numero=NUMERO_BROUILLON, entete=entete(), acteur=CREATEUR, maintenant=MAINTENANT
    )
    assert m.statut is S.BROUILLON
    assert m.numero == m.numero_brouillon == NUMERO_BROUILLON
    assert m.lignes == ()
    assert m.pieces == ()
    assert m.certificat is None
    assert m.date_depot is None
    assert len(m.historique) == 1
    premier = m.historique[0]
    assert premier.statut is S.BROUILLON
    assert premier.intervenant is Intervenant.PRESTATAIRE
    assert premier.acteur == CREATEUR
    assert premier.date_evenement == premier.date_maj == MAINTENANT
    assert m.date_statut == MAINTENANT
    assert m.structure_id == "s-1"


def test_entete_devise_en_majuscules_et_seulement_eur() -> None:
    assert (
        EnTete.creer(
            structure_id="s-1",
            juridiction_code="TJ-75056",
            texte_reference="R.92",
            type_tva=TypeTva.TVA_SUR_DEBITS,
            devise="eur",
        ).devise
        == "EUR"
    )
    with pytest.raises(ValidationError) as erreur:
        EnTete.creer(
            structure_id="s-1",
            juridiction_code="TJ-75056",
            texte_reference="R.92",
            type_tva=TypeTva.TVA_SUR_DEBITS,
            devise="USD",
        )
    assert erreur.value.champ == "devise"


def test_entete_remise_validee() -> None:
    assert entete(remise_globale_ttc="5").remise_globale_ttc == D("5.00")
    for remise in ("-1", "1.001"):
        with pytest.raises(ValidationError) as erreur:
            entete(remise_globale_ttc=remise)
        assert erreur.value.champ == "remise_globale_ttc"


@pytest.mark.parametrize(
    ("type_tva", "motif", "mention"),
    [
        (TypeTva.TVA_SUR_DEBITS, None, None),
        (TypeTva.TVA_SUR_ENCAISSEMENTS, "ignoré", None),
        (TypeTva.EXONERATION, None, MOTIF_EXONERATION_PAR_DEFAUT),
        (TypeTva.SANS_TVA, None, "TVA non applicable, art. 293 B du CGI"),
        (
            TypeTva.EXONERATION,
            "Exonération, art. 261-4-1° du CGI",
            "Exonération, art. 261-4-1° du CGI",
        ),
    ],
)
def test_mention_tva(type_tva: TypeTva, motif: str | None, mention: str | None) -> None:
    assert entete(type_tva=type_tva, motif_exoneration=motif).mention_tva == mention


# -- editing a draft -----------------------------------------------------------------------


def test_sans_tva_exige_des_lignes_a_taux_zero() -> None:
    m = brouillon(lignes=(), en_tete=entete(type_tva=TypeTva.SANS_TVA))
    m = m.ajouter_ligne(ligne(numero_ligne=1, taux_tva="0"))
    with pytest.raises(ValidationError) as erreur:
        m.ajouter_ligne(ligne(numero_ligne=2, taux_tva="20"))
    assert erreur.value.champ == "lignes[1].taux_tva"
    with pytest.raises(ValidationError) as erreur:
        m.remplacer_ligne(ligne(numero_ligne=1, taux_tva="5.5"))
    assert erreur.value.champ == "lignes[0].taux_tva"


def test_passer_en_exoneration_avec_des_lignes_taxees_refuse() -> None:
    m = brouillon()
    with pytest.raises(ValidationError) as erreur:
        m.modifier_entete(entete(type_tva=TypeTva.EXONERATION))
    assert erreur.value.champ == "lignes[0].taux_tva"


def test_modifier_entete() -> None:
    m = brouillon().modifier_entete(entete(remise_globale_ttc="8.25"))
    assert m.totaux.net_a_payer == D("150.00")


def test_modifier_entete_ne_change_pas_la_structure() -> None:
    with pytest.raises(ValidationError) as erreur:
        brouillon().modifier_entete(entete(structure_id="s-2"))
    assert erreur.value.champ == "structure_id"


def test_ajouter_une_ligne_deja_numerotee_refuse() -> None:
    with pytest.raises(Conflit) as erreur:
        brouillon().ajouter_ligne(ligne(numero_ligne=1))
    assert erreur.value.champ == "numero_ligne"


def test_prochain_numero_ligne() -> None:
    assert brouillon(lignes=()).prochain_numero_ligne() == 1
    m = brouillon(lignes=(ligne(numero_ligne=1), ligne(numero_ligne=4)))
    assert m.prochain_numero_ligne() == 5
    assert m.supprimer_ligne(4).prochain_numero_ligne() == 2


def test_remplacer_ligne() -> None:
    m = brouillon().remplacer_ligne(ligne(numero_ligne=1, tarif_ht="200.00", taux_tva="20"))
    assert m.totaux.montant_ttc == D("240.00")
    with pytest.raises(NonTrouve) as erreur:
        m.remplacer_ligne(ligne(numero_ligne=9))
    assert erreur.value.champ == "numero_ligne"


def test_supprimer_ligne_garde_ses_pieces_sur_le_memoire() -> None:
    m = brouillon(
        lignes=(ligne(numero_ligne=1), ligne(numero_ligne=2)),
        pieces=(piece(id="p-1", numero_ligne=2), piece(id="p-2", numero_ligne=1)),
    )
    m = m.supprimer_ligne(2)
    assert [x.numero_ligne for x in m.lignes] == [1]
    assert [(p.id, p.numero_ligne) for p in m.pieces] == [("p-1", None), ("p-2", 1)]
    with pytest.raises(NonTrouve):
        m.supprimer_ligne(2)


def test_joindre_piece_a_une_ligne_inconnue_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        brouillon().joindre_piece(piece(numero_ligne=3))
    assert erreur.value.champ == "numero_ligne"


def test_au_plus_50_pieces() -> None:
    m = brouillon(pieces=tuple(piece(id=f"p-{i}") for i in range(NOMBRE_MAXIMUM_PAR_MEMOIRE)))
    assert len(m.pieces) == 50
    with pytest.raises(ValidationError) as erreur:
        m.joindre_piece(piece(id="p-51"))
    assert erreur.value.champ == "fichier"


def test_rib_en_51e_piece_refuse() -> None:
    m = brouillon(pieces=tuple(piece(id=f"p-{i}") for i in range(NOMBRE_MAXIMUM_PAR_MEMOIRE)))
    with pytest.raises(ValidationError) as erreur:
        envoye(m)
    assert erreur.value.champ == "pieces_jointes"


def test_retirer_piece() -> None:
    m = brouillon(pieces=(piece(id="p-1"), piece(id="p-2")))
    assert [p.id for p in m.retirer_piece("p-1").pieces] == ["p-2"]
    with pytest.raises(NonTrouve) as erreur:
        m.retirer_piece("p-x")
    assert erreur.value.champ == "piece_id"
    assert m.piece("p-2") is not None
    assert m.piece("p-x") is None


def test_ligne_inconnue() -> None:
    with pytest.raises(NonTrouve) as erreur:
        brouillon().ligne(2)
    assert erreur.value.champ == "numero_ligne"


def test_un_brouillon_peut_etre_supprime() -> None:
    brouillon().verifier_suppression()


_MODIFICATIONS: dict[str, Callable[[Memoire], object]] = {
    "modifier_entete": lambda m: m.modifier_entete(entete()),
    "ajouter_ligne": lambda m: m.ajouter_ligne(ligne(numero_ligne=2)),
    "remplacer_ligne": lambda m: m.remplacer_ligne(ligne(numero_ligne=1, tarif_ht="1.00")),
    "supprimer_ligne": lambda m: m.supprimer_ligne(1),
    "retirer_piece": lambda m: m.retirer_piece(m.pieces[0].id),
    "verifier_suppression": lambda m: m.verifier_suppression(),
    "verifier_envoi": lambda m: m.verifier_envoi(
        aujourdhui=heure(5).date(), attestation_sur_honneur=True
    ),
}


@pytest.mark.parametrize("operation", list(_MODIFICATIONS))
@pytest.mark.parametrize("statut", [s for s in StatutMemoire if s is not S.BROUILLON])
def test_un_memoire_envoye_est_immuable(statut: StatutMemoire, operation: str) -> None:
    memoire = a_l_etat(statut)
    with pytest.raises(TransitionInvalide):
        _MODIFICATIONS[operation](memoire)


@pytest.mark.parametrize("statut", [s for s in StatutMemoire if s not in (S.BROUILLON, S.SUSPENDU)])
def test_joindre_une_piece_apres_envoi_seulement_si_suspendu(statut: StatutMemoire) -> None:
    with pytest.raises(TransitionInvalide):
        a_l_etat(statut).joindre_piece(piece(id="p-tard"))


# -- sending preconditions -----------------------------------------------------------------


def _verifier(m: Memoire, attestation: bool = True) -> None:
    m.verifier_envoi(aujourdhui=MAINTENANT.date(), attestation_sur_honneur=attestation)


def test_envoi_sans_attestation_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        _verifier(brouillon(), attestation=False)
    assert erreur.value.champ == "attestation_sur_honneur"


@pytest.mark.parametrize(
    ("memoire", "champ"),
    [
        (lambda: brouillon(lignes=()), "lignes"),
        (lambda: brouillon(en_tete=entete(coordonnee_bancaire_id=None)), "coordonnee_bancaire_id"),
        (lambda: brouillon(en_tete=entete(categorie_prestataire=None)), "categorie_prestataire"),
        (lambda: brouillon(en_tete=entete(remise_globale_ttc="158.26")), "remise_globale_ttc"),
        (lambda: brouillon(en_tete=entete(remise_globale_ttc="158.25")), "lignes"),
        (lambda: brouillon(lignes=(ligne(tarif_ht="0.00"),)), "lignes"),
    ],
    ids=["sans ligne", "sans RIB", "sans catégorie", "remise > TTC", "net nul", "TTC nul"],
)
def test_envoi_refuse_avec_son_champ(memoire: Callable[[], Memoire], champ: str) -> None:
    m = memoire()
    with pytest.raises(ValidationError) as erreur:
        _verifier(m)
    assert erreur.value.champ == champ
    with pytest.raises(ValidationError):
        envoye(m)


def test_envoi_avec_remise_partielle_accepte() -> None:
    m = envoye(brouillon(en_tete=entete(remise_globale_ttc="158.24")))
    assert m.totaux.net_a_payer == D("0.01")


# -- forclusion (art. 800 CPP) -------------------------------------------------------------


def _envoi_le(date_prestation: date, jour_envoi: date) -> Memoire:
    m = brouillon(
        lignes=(
            ligne(numero_ligne=1),
            ligne(numero_ligne=2, date_prestation=date_prestation, aujourdhui=date_prestation),
        )
    )
    instant = datetime(jour_envoi.year, jour_envoi.month, jour_envoi.day, 10, tzinfo=UTC)
    return envoye(m, maintenant=instant, aujourdhui=jour_envoi)


def test_prestation_achevee_un_an_jour_pour_jour_avant_l_envoi_acceptee() -> None:
    assert _envoi_le(date(2023, 5, 1), date(2024, 5, 1)).statut is S.ENVOYE


def test_prestation_achevee_un_an_et_un_jour_avant_l_envoi_forclose() -> None:
    with pytest.raises(ValidationError) as erreur:
        _envoi_le(date(2023, 5, 1), date(2024, 5, 2))
    assert erreur.value.champ == "lignes[1].date_prestation"
    assert "n°2" in erreur.value.message
    assert "800" in erreur.value.message


def test_prestation_du_29_fevrier_forclose_apres_le_28_fevrier() -> None:
    assert _envoi_le(date(2024, 2, 29), date(2025, 2, 28)).statut is S.ENVOYE
    with pytest.raises(ValidationError):
        _envoi_le(date(2024, 2, 29), date(2025, 3, 1))


def test_prestation_avant_le_31_decembre_2020_jamais_forclose() -> None:
    assert _envoi_le(date(2020, 12, 30), date(2024, 5, 1)).statut is S.ENVOYE


def test_prestation_du_31_decembre_2020_forclose() -> None:
    assert _envoi_le(date(2020, 12, 31), date(2021, 12, 31)).statut is S.ENVOYE
    with pytest.raises(ValidationError):
        _envoi_le(date(2020, 12, 31), date(2022, 1, 1))


def test_lignes_forcloses() -> None:
    m = brouillon(
        lignes=(
            ligne(numero_ligne=1, date_prestation=date(2023, 4, 30)),
            ligne(numero_ligne=2, date_prestation=date(2023, 5, 1)),
            ligne(numero_ligne=3, date_prestation=date(2019, 1, 1)),
        )
    )
    assert [x.numero_ligne for x in m.lignes_forcloses(date(2024, 5, 1))] == [1]
    assert m.lignes_forcloses(date(2024, 4, 30)) == ()


# -- sending -------------------------------------------------------------------------------


def test_envoyer() -> None:
    avant = brouillon(pieces=(piece(id="p-1", contenu=PNG, nom="scan.png"),))
    rib = piece_rib()
    m = envoye(avant, rib=rib)
    assert m.statut is S.ENVOYE
    assert m.numero == NUMERO_DEFINITIF
    assert m.numero_brouillon == NUMERO_BROUILLON
    assert m.date_depot == MAINTENANT
    assert m.date_statut == MAINTENANT
    assert [p.id for p in m.pieces] == ["p-1", "p-rib"]
    assert m.pieces[-1].type_piece is TypePiece.COORDONNEE_BANCAIRE
    assert m.pieces[-1].date_ajout == MAINTENANT
    dernier = m.historique[-1]
    assert (dernier.statut, dernier.intervenant, dernier.acteur) == (
        S.ENVOYE,
        Intervenant.PRESTATAIRE,
        CREATEUR,
    )
    assert dernier.date_evenement == dernier.date_maj == MAINTENANT
    assert len(m.historique) == 2


def test_certificat_de_depot() -> None:
    avant = brouillon(
        lignes=(ligne(numero_ligne=1), ligne(numero_ligne=2, tarif_ht="100.00", taux_tva="20")),
        en_tete=entete(remise_globale_ttc="10.00"),
        pieces=(piece(id="p-1", contenu=PNG, nom="scan.png"),),
    )
    m = envoye(avant)
    c = m.certificat
    assert c is not None
    assert c.numero == NUMERO_DEFINITIF
    assert c.date_depot == MAINTENANT
    assert c.prestataire == f"{SIRET} – {RAISON_SOCIALE}"
    assert c.juridiction == JURIDICTION
    assert c.montant_ttc_avant_remise == D("278.25")
    assert c.remise_globale_ttc == D("10.00")
    assert c.net_a_payer == D("268.25")
    assert c.montant_tva == D("28.25")
    assert c.montant_ht_apres_remise == D("241.02")  # 250 × 268.25 / 278.25 = 241.015…
    assert c.pieces == (
        PieceCertifiee("scan.png", TypePiece.REQUISITION, m.pieces[0].sha256),
        PieceCertifiee("RIB.pdf", TypePiece.COORDONNEE_BANCAIRE, piece_rib().sha256),
    )
    assert all(len(p.sha256) == 64 for p in c.pieces)
    tel_qu_envoye = attrs.evolve(
        avant.memoire_a_envoyer(
            numero_definitif=NUMERO_DEFINITIF, piece_rib=piece_rib(), maintenant=MAINTENANT
        ),
        prestataire=PRESTATAIRE,
    )
    assert c.empreinte == empreinte(serialisation_canonique(tel_qu_envoye, date_depot=MAINTENANT))
    assert c.empreinte == m.empreinte_recalculee()
    assert m.prestataire == PRESTATAIRE
    assert len(c.empreinte) == 44
    assert c.texte == (
        "Le mémoire de frais de justice n°MJ00000021178 d'un montant de 268,25 EUR est en "
        "cours de transfert au Tribunal judiciaire de Paris."
    )


def test_rib_deja_joint_n_est_pas_joint_deux_fois() -> None:
    rib = piece_rib(id="p-rib-deja")
    m = envoye(brouillon(pieces=(rib,)), rib=piece_rib(id="p-rib-structure"))
    ribs = [p for p in m.pieces if p.type_piece is TypePiece.COORDONNEE_BANCAIRE]
    assert [p.id for p in ribs] == ["p-rib-deja"]
    assert m.certificat is not None
    assert len(m.certificat.pieces) == 1


def test_un_autre_rib_est_joint() -> None:
    ancien = piece_rib(id="p-ancien", contenu=b"%PDF-1.4 ancien RIB")
    m = envoye(brouillon(pieces=(ancien,)), rib=piece_rib())
    assert [p.id for p in m.pieces] == ["p-ancien", "p-rib"]


def test_rib_joint_au_memoire_pas_a_une_ligne() -> None:
    rib = attrs.evolve(piece_rib(), numero_ligne=1)
    m = envoye(brouillon(), rib=rib)
    assert m.pieces[-1].numero_ligne is None


def test_memoire_a_envoyer_ne_change_pas_le_statut() -> None:
    m = brouillon()
    a_envoyer = m.memoire_a_envoyer(
        numero_definitif=NUMERO_DEFINITIF, piece_rib=piece_rib(), maintenant=MAINTENANT
    )
    assert a_envoyer.statut is S.BROUILLON
    assert a_envoyer.numero == NUMERO_DEFINITIF
    assert a_envoyer.certificat is None


# -- back-office events --------------------------------------------------------------------


def test_evenement_motif_obligatoire_pour_suspension_et_refus() -> None:
    for action in (A.SUSPENSION, A.REFUS):
        for motif in (None, "   "):
            with pytest.raises(ValidationError) as erreur:
                EvenementTraitement.creer(
                    action=action, reference="E1", date_evenement=heure(1), motif=motif
                )
            assert erreur.value.champ == "motif"
    for action in (A.MISE_A_DISPOSITION, A.CERTIFICATION, A.MISE_EN_PAIEMENT):
        assert (
            EvenementTraitement.creer(action=action, reference="E1", date_evenement=heure(1)).motif
            is None
        )


def test_evenement_date_sans_fuseau_refusee() -> None:
    with pytest.raises(ValidationError) as erreur:
        EvenementTraitement.creer(
            action=A.MISE_A_DISPOSITION,
            reference="E1",
            date_evenement=datetime(2024, 5, 1, 12),  # noqa: DTZ001
        )
    assert erreur.value.champ == "date_evenement"


def test_evenement_reference_et_montants() -> None:
    with pytest.raises(ValidationError) as erreur:
        EvenementTraitement.creer(
            action=A.MISE_A_DISPOSITION, reference=" ", date_evenement=heure(1)
        )
    assert erreur.value.champ == "reference_evenement"
    with pytest.raises(ValidationError) as erreur:
        EvenementTraitement.creer(
            action=A.CERTIFICATION, reference="E", date_evenement=heure(1), montant_certifie="1.001"
        )
    assert erreur.value.champ == "montant_certifie"
    e = EvenementTraitement.creer(
        action=A.MISE_EN_PAIEMENT, reference="E", date_evenement=heure(1), montant_paye="100"
    )
    assert e.montant_paye == D("100.00")


def test_traiter_enregistre_les_deux_dates() -> None:
    m = traiter(envoye(), A.MISE_A_DISPOSITION, date_evenement=heure(1), maintenant=heure(30))
    dernier = m.historique[-1]
    assert dernier.statut is S.MIS_A_DISPOSITION
    assert dernier.intervenant is Intervenant.ACHEMINEMENT
    assert dernier.date_evenement == heure(1)
    assert dernier.date_maj == heure(30)
    assert m.date_statut == heure(30)
    assert m.references_evenements == {"EVT-MISE_A_DISPOSITION"}


def test_traiter_rejoue_ne_change_rien() -> None:
    m = traiter(envoye(), A.MISE_A_DISPOSITION, reference="EVT-1")
    assert traiter(m, A.MISE_A_DISPOSITION, reference="EVT-1") is m
    m2 = traiter(m, A.REFUS, reference="EVT-2", motif="Hors délai")
    # The old event arrives again, late: nothing moves.
    assert traiter(m2, A.MISE_A_DISPOSITION, reference="EVT-1") is m2


def test_meme_reference_autre_action_conflit() -> None:
    m = traiter(envoye(), A.MISE_A_DISPOSITION, reference="EVT-1")
    with pytest.raises(Conflit) as erreur:
        traiter(m, A.CERTIFICATION, reference="EVT-1")
    assert erreur.value.champ == "reference_evenement"


def test_motif_enregistre() -> None:
    m = traiter(a_l_etat(S.MIS_A_DISPOSITION), A.SUSPENSION, motif="Joindre la réquisition")
    assert m.historique[-1].motif == "Joindre la réquisition"


def test_evenement_avant_l_envoi_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        traiter(envoye(), A.MISE_A_DISPOSITION, date_evenement=MAINTENANT - timedelta(seconds=1))
    assert erreur.value.champ == "date_evenement"
    assert traiter(envoye(), A.MISE_A_DISPOSITION, date_evenement=MAINTENANT).statut is (
        S.MIS_A_DISPOSITION
    )


def test_evenement_dans_le_futur_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        traiter(envoye(), A.MISE_A_DISPOSITION, date_evenement=heure(3), maintenant=heure(2))
    assert erreur.value.champ == "date_evenement"


def test_certification_par_defaut_au_net_a_payer() -> None:
    m = traiter(a_l_etat(S.MIS_A_DISPOSITION), A.CERTIFICATION)
    assert m.montant_certifie == D("158.25")
    assert m.historique[-1].montant == D("158.25")


def test_taxation_a_un_montant_inferieur() -> None:
    m = traiter(a_l_etat(S.MIS_A_DISPOSITION), A.CERTIFICATION, montant_certifie="120.00")
    assert m.montant_certifie == D("120.00")


def test_montant_certifie_superieur_au_net_refuse() -> None:
    with pytest.raises(ValidationError) as erreur:
        traiter(a_l_etat(S.MIS_A_DISPOSITION), A.CERTIFICATION, montant_certifie="158.26")
    assert erreur.value.champ == "montant_certifie"


def test_mise_en_paiement() -> None:
    certifie = traiter(a_l_etat(S.MIS_A_DISPOSITION), A.CERTIFICATION, montant_certifie="120.00")
    paye = traiter(certifie, A.MISE_EN_PAIEMENT, reference="PAI-1", maintenant=heure(3))
    assert paye.statut is S.MIS_EN_PAIEMENT
    assert paye.montant_paye == D("120.00")
    assert paye.date_paiement == date(2024, 5, 1)
    assert paye.historique[-1].intervenant is Intervenant.COMPTABLE
    partiel = traiter(certifie, A.MISE_EN_PAIEMENT, montant_paye="100.00", maintenant=heure(3))
    assert partiel.montant_paye == D("100.00")


def test_date_de_paiement_au_jour_de_paris() -> None:
    certifie = traiter(a_l_etat(S.MIS_A_DISPOSITION), A.CERTIFICATION)
    tard = datetime(2024, 5, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 May in Paris
    paye = traiter(certifie, A.MISE_EN_PAIEMENT, date_evenement=tard, maintenant=tard)
    assert paye.date_paiement == date(2024, 5, 2)


def test_montant_paye_superieur_au_certifie_refuse() -> None:
    certifie = traiter(a_l_etat(S.MIS_A_DISPOSITION), A.CERTIFICATION, montant_certifie="120.00")
    with pytest.raises(ValidationError) as erreur:
        traiter(certifie, A.MISE_EN_PAIEMENT, montant_paye="120.01")
    assert erreur.value.champ == "montant_paye"


def test_un_refus_ne_rend_pas_le_memoire_modifiable() -> None:
    m = a_l_etat(S.REFUSE)
    assert m.historique[-1].motif == "Pièce manquante"
    with pytest.raises(TransitionInvalide):
        m.ajouter_ligne(ligne(numero_ligne=2))


# -- suspension and complement ----------------------------------------------------------


def test_pieces_d_un_suspendu_vont_aux_complements_puis_completer() -> None:
    suspendu = a_l_etat(S.SUSPENDU)
    pieces_envoyees = suspendu.pieces
    complete = suspendu.joindre_piece(piece(id="p-complement", contenu=PNG, nom="req.png"))
    assert complete.pieces == pieces_envoyees
    assert [p.id for p in complete.pieces_complementaires] == ["p-complement"]
    assert complete.piece("p-complement") is not None
    assert complete.certificat == suspendu.certificat
    complete = complete.completer(
        commentaire=" Réquisition jointe ", acteur=CREATEUR, maintenant=heure(4)
    )
    assert complete.statut is S.COMPLETE
    assert complete.historique[-1].motif == "Réquisition jointe"
    assert complete.historique[-1].intervenant is Intervenant.PRESTATAIRE
    with pytest.raises(TransitionInvalide):
        complete.joindre_piece(piece(id="p-encore"))


def test_completer_exige_un_commentaire() -> None:
    with pytest.raises(ValidationError) as erreur:
        a_l_etat(S.SUSPENDU).completer(commentaire="  ", acteur=CREATEUR, maintenant=heure(4))
    assert erreur.value.champ == "commentaire"


def test_complements_limites_avec_les_pieces() -> None:
    suspendu = attrs.evolve(
        a_l_etat(S.SUSPENDU),
        pieces=tuple(piece(id=f"p-{i}") for i in range(NOMBRE_MAXIMUM_PAR_MEMOIRE)),
    )
    with pytest.raises(ValidationError):
        suspendu.joindre_piece(piece(id="p-trop"))


# -- duplication -----------------------------------------------------------------------------


def test_dupliquer_un_refuse() -> None:
    refuse = a_l_etat(S.REFUSE)
    copies = tuple(attrs.evolve(p, id=f"{p.id}-copie") for p in refuse.pieces_a_dupliquer())
    original, copie = refuse.dupliquer(
        id="m-2", numero="TMP2024000000002", acteur=CREATEUR, maintenant=heure(5), pieces=copies
    )
    assert original.statut is S.DUPLIQUE_POST_REFUS
    assert original.historique[-1].motif == "Dupliqué en TMP2024000000002"
    assert original.historique[-1].intervenant is Intervenant.PRESTATAIRE
    assert copie.statut is S.BROUILLON
    assert copie.id == "m-2"
    assert copie.numero == copie.numero_brouillon == "TMP2024000000002"
    assert copie.parent_id == refuse.id
    assert copie.lignes == refuse.lignes
    assert copie.entete == refuse.entete
    assert copie.pieces == copies
    assert copie.certificat is None
    assert len(copie.historique) == 1
    assert copie.date_creation == heure(5)
    assert copie.totaux == refuse.totaux


def test_pieces_a_dupliquer_sans_le_rib() -> None:
    m = a_l_etat(S.REFUSE)
    assert any(p.type_piece is TypePiece.COORDONNEE_BANCAIRE for p in m.pieces)
    assert all(p.type_piece is not TypePiece.COORDONNEE_BANCAIRE for p in m.pieces_a_dupliquer())


def test_dupliquer_un_paye_le_laisse_intact() -> None:
    paye = a_l_etat(S.MIS_EN_PAIEMENT)
    original, copie = paye.dupliquer(
        id="m-2", numero="TMP2024000000002", acteur=CREATEUR, maintenant=heure(5), pieces=()
    )
    assert original is paye
    assert original.statut is S.MIS_EN_PAIEMENT
    assert copie.parent_id == paye.id
    assert copie.lignes == paye.lignes


def test_dupliquer_un_duplique_ne_change_rien() -> None:
    deja = a_l_etat(S.DUPLIQUE_POST_REFUS)
    original, _ = deja.dupliquer(
        id="m-3", numero="TMP2024000000003", acteur=CREATEUR, maintenant=heure(6), pieces=()
    )
    assert original is deja


def test_totaux_recalcules_apres_chaque_modification() -> None:
    m = brouillon()
    assert m.totaux.montant_ttc == D("158.25")  # computed (and cached) before the change
    m2 = m.ajouter_ligne(ligne(numero_ligne=2, tarif_ht="100.00", taux_tva="20"))
    assert m2.totaux.montant_ttc == D("278.25")
    m3 = m2.remplacer_ligne(ligne(numero_ligne=2, tarif_ht="10.00", taux_tva="20"))
    assert m3.totaux.montant_ttc == D("170.25")
    m4 = m3.modifier_entete(entete(remise_globale_ttc="0.25"))
    assert m4.totaux.net_a_payer == D("170.00")
    assert m4.supprimer_ligne(2).totaux.montant_ttc == D("158.25")
    assert m.totaux.montant_ttc == D("158.25")
