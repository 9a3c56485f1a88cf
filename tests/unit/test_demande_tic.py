"""The demande TIC/TICGN aggregate: the draft's rules, sending, instruction, duplication."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus.adapters.referentiels.bareme_yaml import BaremeTicDuPaquet
from chorus.domain.errors import Conflit, NonTrouve, TransitionInvalide, ValidationError
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.tic.bareme import BaremeTic, ProduitTic, TauxNonPublie
from chorus.domain.tic.demande import (
    NOMBRE_MAXIMUM_DE_LIGNES_TIC,
    DemandeTic,
    DemandeurEnvoye,
    EnTeteDemandeTic,
    EvenementInstructionTic,
    LigneDemandeTic,
    date_limite_de_depot,
    empreinte_tic,
    valider_quantite,
    verifier_annee,
)
from chorus.domain.tic.document import CertificatTicAImprimer
from chorus.domain.tic.statuts import (
    STATUTS_FINAUX_TIC,
    TRANSITIONS_TIC,
    ActionInstructionTic,
    StatutDemandeTic,
)
from tests.unit.fabrique import PDF, piece, piece_rib

MAINTENANT = datetime(2026, 3, 2, 9, tzinfo=UTC)
AUJOURDHUI = date(2026, 3, 2)
BAREME: BaremeTic = BaremeTicDuPaquet().bareme()
DEMANDEUR = DemandeurEnvoye(
    siret="73282932000074",
    raison_sociale="EARL des Tilleuls",
    adresse="2 route de Laval 72000 Le Mans",
    departement="72",
    libelle_coordonnee="Compte courant",
    iban="FR7630006000011234567890189",
    bic="AGRIFRPP882",
)


def entete(annee: int = 2024, avance: bool = False) -> EnTeteDemandeTic:
    return EnTeteDemandeTic.creer(
        structure_id="s-1",
        annee=annee,
        coordonnee_bancaire_id="cb-1",
        attestation_non_difficulte=True,
        avance=avance,
        aujourdhui=AUJOURDHUI,
    )


def brouillon(annee: int = 2023, avance: bool = False) -> DemandeTic:
    return DemandeTic.creer(
        id="d-1",
        numero="DT2026000000001",
        entete=entete(annee, avance),
        campagne=2026,
        taux_avance=BAREME.taux_avance(2026),
        acteur="Jeanne Martin",
        maintenant=MAINTENANT,
    )


def ligne(
    numero: int = 1,
    *,
    produit: ProduitTic = ProduitTic.GAZOLE_NON_ROUTIER,
    livraison: date = date(2023, 6, 15),
    quantite: str = "1234.56",
    facture: str | None = None,
    annee: int = 2023,
) -> LigneDemandeTic:
    return LigneDemandeTic.creer(
        numero_ligne=numero,
        numero_facture=facture or f"F-{numero}",
        fournisseur="Coopérative du Maine",
        date_livraison=livraison,
        produit=produit,
        quantite=quantite,
        annee=annee,
        bareme=BAREME,
    )


def facture(numero_ligne: int | None, id: str = "p-1") -> PieceJointe:
    return piece(
        id=id,
        contenu=PDF + id.encode(),
        nom="facture.pdf",
        type_piece=TypePiece.FACTURE,
        numero_ligne=numero_ligne,
    )


def prete() -> DemandeTic:
    demande = (
        brouillon()
        .ajouter_ligne(ligne(1))
        .ajouter_ligne(ligne(2, produit=ProduitTic.FIOUL_LOURD, quantite="1000"))
    )
    return demande.joindre_piece(facture(None))


def envoyee() -> DemandeTic:
    return prete().envoyer(
        acteur="Jeanne Martin",
        maintenant=MAINTENANT,
        bareme=BAREME,
        piece_rib=piece_rib(),
        demandeur=DEMANDEUR,
    )


def instruire(
    demande: DemandeTic,
    action: ActionInstructionTic,
    *,
    motif: str | None = None,
    montant: str | None = None,
    heures: int = 1,
) -> DemandeTic:
    return demande.instruire(
        EvenementInstructionTic.creer(
            action=action,
            reference=f"ref-{action.value}",
            date_evenement=MAINTENANT + timedelta(hours=heures),
            motif=motif,
            montant_accorde=montant,
        ),
        acteur="Instructeur TIC – Paul (paul@ddfip.fr)",
        maintenant=MAINTENANT + timedelta(hours=heures),
    )


# -- the year and the quantity -----------------------------------------------------------


def test_l_annee_doit_etre_ecoulee_et_dans_le_delai_de_depot() -> None:
    assert verifier_annee(2025, AUJOURDHUI) == 2025
    assert verifier_annee(2023, AUJOURDHUI) == 2023
    with pytest.raises(ValidationError, match="campagne 2027") as courante:
        verifier_annee(2026, AUJOURDHUI)
    assert courante.value.champ == "annee"
    with pytest.raises(ValidationError, match="31/12/2025"):
        verifier_annee(2022, AUJOURDHUI)
    assert date_limite_de_depot(2022) == date(2025, 12, 31)
    # The last day of the window still counts.
    assert verifier_annee(2022, date(2025, 12, 31)) == 2022
    with pytest.raises(ValidationError, match="nombre entier"):
        verifier_annee("2023", AUJOURDHUI)


@pytest.mark.parametrize(
    ("saisie", "attendue"),
    [("1234.56", "1234.56"), ("1234,5", "1234.50"), ("999999.99", "999999.99"), (12, "12.00")],
)
def test_quantites_acceptees(saisie: str | int, attendue: str) -> None:
    assert valider_quantite(saisie) == Decimal(attendue)


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("0", "supérieure à zéro"),
        ("-3", "supérieure à zéro"),
        ("1.234", "2 décimales"),
        ("1000000", "6 chiffres avant la virgule"),
        ("12345678", "6 chiffres avant la virgule"),
        ("abc", "nombre décimal"),
    ],
)
def test_quantites_refusees(saisie: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as erreur:
        valider_quantite(saisie)
    assert erreur.value.champ == "quantite"


def test_une_quantite_flottante_est_refusee() -> None:
    with pytest.raises(ValidationError):
        valider_quantite(1.5)  # type: ignore[arg-type]


# -- lines -------------------------------------------------------------------------------


def test_le_montant_d_une_ligne_de_gnr_2019() -> None:
    gnr = ligne(livraison=date(2019, 3, 1), annee=2019)
    assert (gnr.taux, gnr.montant, gnr.unite, gnr.unite_taux) == (
        Decimal("14.96"),
        Decimal("184.69"),
        "l",
        "€/hl",
    )


def test_le_taux_du_fioul_lourd_garde_ses_trois_decimales() -> None:
    fioul = ligne(produit=ProduitTic.FIOUL_LOURD, quantite="1000")
    assert fioul.taux == Decimal("13.765")
    assert fioul.montant == Decimal("137.65")


def test_le_gaz_naturel_se_compte_en_kwh_au_taux_par_mwh() -> None:
    gaz = ligne(produit=ProduitTic.GAZ_NATUREL_CARBURANT, quantite="250000")
    assert gaz.montant == Decimal("1172.50")  # 250 MWh × 4.69


def test_la_livraison_doit_etre_dans_l_annee_de_la_demande() -> None:
    with pytest.raises(ValidationError, match="dans l'année de la demande") as erreur:
        ligne(livraison=date(2022, 12, 31))
    assert erreur.value.champ == "date_livraison"


def test_un_taux_non_publie_est_refuse_jamais_devine() -> None:
    with pytest.raises(TauxNonPublie, match="Taux non publié") as erreur:
        ligne(produit=ProduitTic.FIOUL_LOURD, livraison=date(2024, 2, 1), annee=2024)
    assert erreur.value.champ == "produit"
    with pytest.raises(TauxNonPublie):
        ligne(produit=ProduitTic.GPL, livraison=date(2018, 3, 31), annee=2018)
    assert ligne(produit=ProduitTic.GPL, livraison=date(2018, 4, 1), annee=2018).taux == Decimal(
        "5.72"
    )


def test_une_facture_ne_se_declare_qu_une_fois_par_produit() -> None:
    demande = brouillon().ajouter_ligne(ligne(1, facture="F-9"))
    with pytest.raises(Conflit, match="déjà déclarée"):
        demande.ajouter_ligne(ligne(2, facture="F-9"))
    # The same invoice for another product is another line.
    demande.ajouter_ligne(ligne(2, facture="F-9", produit=ProduitTic.FIOUL_LOURD))


def test_cinquante_lignes_au_plus() -> None:
    demande = brouillon()
    for numero in range(1, NOMBRE_MAXIMUM_DE_LIGNES_TIC + 1):
        demande = demande.ajouter_ligne(ligne(numero))
    with pytest.raises(ValidationError, match="plus de 50 lignes") as erreur:
        demande.ajouter_ligne(ligne(51))
    assert erreur.value.champ == "lignes"


def test_supprimer_une_ligne_garde_ses_pieces_sur_la_demande() -> None:
    demande = brouillon().ajouter_ligne(ligne(1)).joindre_piece(facture(1))
    apres = demande.supprimer_ligne(1)
    assert apres.lignes == ()
    assert [p.numero_ligne for p in apres.pieces] == [None]


def test_une_piece_ne_se_rattache_qu_a_une_ligne_existante() -> None:
    with pytest.raises(ValidationError, match="pas de ligne n°3"):
        brouillon().joindre_piece(facture(3))
    with pytest.raises(NonTrouve):
        brouillon().retirer_piece("inconnue")


def test_changer_d_annee_exige_que_les_lignes_suivent() -> None:
    demande = brouillon().ajouter_ligne(ligne(1))
    with pytest.raises(ValidationError, match="hors de l'année 2024") as erreur:
        demande.modifier_entete(entete(2024), bareme=BAREME, taux_avance=None)
    assert erreur.value.champ == "annee"
    vide = brouillon()
    assert vide.modifier_entete(entete(2024), bareme=BAREME, taux_avance=None).annee == 2024


def test_l_avance_exige_une_campagne_qui_en_prevoit() -> None:
    with pytest.raises(ValidationError, match="ne prévoit pas d'avance") as erreur:
        DemandeTic.creer(
            id="d",
            numero="DT2023000000001",
            entete=entete(avance=True),
            campagne=2023,
            taux_avance=BAREME.taux_avance(2023),
            acteur="x",
            maintenant=MAINTENANT,
        )
    assert erreur.value.champ == "avance"
    avec = brouillon(avance=True).ajouter_ligne(ligne(1))
    assert avec.taux_avance == Decimal("0.50")
    assert avec.montant_avance == Decimal("92.35")  # 184.69 × 0.5, half-up


def test_attestation_obligatoire() -> None:
    for valeur in (False, "true", None, 1):
        with pytest.raises(ValidationError) as erreur:
            EnTeteDemandeTic.creer(
                structure_id="s",
                annee=2023,
                coordonnee_bancaire_id="cb",
                attestation_non_difficulte=valeur,
                aujourdhui=AUJOURDHUI,
            )
        assert erreur.value.champ == "attestation_non_difficulte"


# -- sending -----------------------------------------------------------------------------


def test_l_envoi_fige_la_demande_et_delivre_le_certificat() -> None:
    demande = envoyee()
    assert demande.statut is StatutDemandeTic.ENVOYEE
    certificat = demande.certificat
    assert certificat is not None
    assert certificat.montant_total == Decimal("322.34") == demande.montant_total
    assert certificat.nombre_lignes == 2
    assert "DT2026000000001" in certificat.texte
    assert "322,34 EUR" in certificat.texte
    assert [p.type_piece for p in demande.pieces][-1] is TypePiece.COORDONNEE_BANCAIRE
    assert len(certificat.empreinte) == 44
    assert demande.empreinte_recalculee() == certificat.empreinte
    for changement in (
        lambda d: d.ajouter_ligne(ligne(3)),
        lambda d: d.supprimer_ligne(1),
        lambda d: d.joindre_piece(facture(None, "p-9")),
        lambda d: d.retirer_piece("p-1"),
        lambda d: d.modifier_entete(entete(2023), bareme=BAREME, taux_avance=None),
        DemandeTic.verifier_suppression,
    ):
        with pytest.raises(TransitionInvalide):
            changement(demande)


def test_l_empreinte_change_si_une_ligne_change() -> None:
    demande = envoyee()
    assert demande.certificat is not None
    alteree = attrs.evolve(
        demande, lignes=(attrs.evolve(demande.lignes[0], quantite=Decimal("1")), demande.lignes[1])
    )
    assert empreinte_tic(alteree, date_depot=demande.certificat.date_depot) != (
        demande.certificat.empreinte
    )


def test_l_envoi_exige_des_lignes_et_leurs_factures() -> None:
    with pytest.raises(ValidationError, match="au moins une ligne"):
        brouillon().verifier_envoi(aujourdhui=AUJOURDHUI)
    sans = brouillon().ajouter_ligne(ligne(1)).ajouter_ligne(ligne(2))
    with pytest.raises(ValidationError, match="ligne n°1, n°2") as erreur:
        sans.verifier_envoi(aujourdhui=AUJOURDHUI)
    assert erreur.value.champ == "lignes[0].pieces_jointes"
    une = sans.joindre_piece(facture(1))
    with pytest.raises(ValidationError, match="ligne n°2"):
        une.verifier_envoi(aujourdhui=AUJOURDHUI)
    une.joindre_piece(facture(2, "p-2")).verifier_envoi(aujourdhui=AUJOURDHUI)


def test_l_envoi_apres_le_delai_est_refuse() -> None:
    with pytest.raises(ValidationError, match="délai de dépôt") as erreur:
        prete().verifier_envoi(aujourdhui=date(2027, 1, 1))
    assert erreur.value.champ == "annee"


def test_le_certificat_a_imprimer_porte_la_serialisation() -> None:
    document = CertificatTicAImprimer.depuis(envoyee())
    assert document.nom_fichier == "certificat-depot-DT2026000000001.pdf"
    assert b'"siret":"73282932000074"' in document.serialisation
    with pytest.raises(TransitionInvalide):
        CertificatTicAImprimer.depuis(prete())


# -- instruction -------------------------------------------------------------------------


def test_le_parcours_complet_jusqu_au_paiement() -> None:
    demande = envoyee()
    demande = instruire(demande, ActionInstructionTic.MISE_A_DISPOSITION)
    demande = instruire(demande, ActionInstructionTic.PRISE_EN_CHARGE, heures=2)
    with pytest.raises(ValidationError, match="motif est obligatoire") as sans_motif:
        instruire(demande, ActionInstructionTic.VALIDATION, montant="300.00", heures=3)
    assert sans_motif.value.champ == "motif"
    with pytest.raises(ValidationError, match="ne peut pas dépasser"):
        instruire(demande, ActionInstructionTic.VALIDATION, montant="400.00", heures=3)
    demande = instruire(
        demande,
        ActionInstructionTic.VALIDATION,
        montant="300.00",
        motif="Facture F-2 illisible",
        heures=3,
    )
    assert demande.montant_accorde == Decimal("300.00")
    demande = instruire(demande, ActionInstructionTic.MISE_EN_PAIEMENT, heures=4)
    assert demande.statut is StatutDemandeTic.MISE_EN_PAIEMENT
    assert demande.date_paiement == date(2026, 3, 2)
    assert [e.statut for e in demande.historique] == [
        StatutDemandeTic.BROUILLON,
        StatutDemandeTic.ENVOYEE,
        StatutDemandeTic.MISE_A_DISPOSITION,
        StatutDemandeTic.EN_INSTRUCTION,
        StatutDemandeTic.VALIDEE,
        StatutDemandeTic.MISE_EN_PAIEMENT,
    ]
    assert demande.historique[-1].montant == Decimal("300.00")


def test_un_evenement_rejoue_ne_change_rien() -> None:
    une_fois = instruire(envoyee(), ActionInstructionTic.MISE_A_DISPOSITION)
    assert instruire(une_fois, ActionInstructionTic.MISE_A_DISPOSITION) is une_fois


def test_le_rejet_exige_un_motif_et_autorise_la_duplication() -> None:
    with pytest.raises(ValidationError, match="motif est obligatoire"):
        EvenementInstructionTic.creer(
            action=ActionInstructionTic.REJET, reference="r", date_evenement=MAINTENANT
        )
    demande = instruire(envoyee(), ActionInstructionTic.MISE_A_DISPOSITION)
    rejetee = instruire(demande, ActionInstructionTic.REJET, motif="RIB illisible", heures=2)
    assert rejetee.motif_rejet == "RIB illisible"
    assert rejetee.historique[-1].motif == "RIB illisible"
    copie = rejetee.dupliquer(
        id="d-2",
        numero="DT2026000000002",
        campagne=2026,
        taux_avance=BAREME.taux_avance(2026),
        acteur="Jeanne Martin",
        maintenant=MAINTENANT + timedelta(days=1),
        bareme=BAREME,
    )
    assert copie.statut is StatutDemandeTic.BROUILLON
    assert copie.parent_id == "d-1"
    assert copie.lignes == rejetee.lignes
    assert all(p.type_piece is not TypePiece.COORDONNEE_BANCAIRE for p in copie.pieces)
    assert rejetee.statut is StatutDemandeTic.REJETEE
    with pytest.raises(TransitionInvalide, match="seule une demande rejetée"):
        envoyee().dupliquer(
            id="x",
            numero="y",
            campagne=2026,
            taux_avance=None,
            acteur="a",
            maintenant=MAINTENANT,
            bareme=BAREME,
        )


def test_un_evenement_ne_precede_pas_l_envoi_ni_n_est_futur() -> None:
    demande = envoyee()
    with pytest.raises(ValidationError, match="précéder l'envoi"):
        instruire(demande, ActionInstructionTic.MISE_A_DISPOSITION, heures=-1)
    with pytest.raises(ValidationError, match="futur"):
        demande.instruire(
            EvenementInstructionTic.creer(
                action=ActionInstructionTic.MISE_A_DISPOSITION,
                reference="r",
                date_evenement=MAINTENANT + timedelta(hours=2),
            ),
            acteur="a",
            maintenant=MAINTENANT,
        )


def test_le_montant_accorde_ne_va_qu_avec_la_validation() -> None:
    with pytest.raises(ValidationError) as erreur:
        EvenementInstructionTic.creer(
            action=ActionInstructionTic.REJET,
            reference="r",
            date_evenement=MAINTENANT,
            motif="m",
            montant_accorde="1.00",
        )
    assert erreur.value.champ == "montant_accorde"


def test_les_statuts_finaux() -> None:
    assert {StatutDemandeTic.REJETEE, StatutDemandeTic.MISE_EN_PAIEMENT} == STATUTS_FINAUX_TIC


@given(st.lists(st.sampled_from(list(ActionInstructionTic)), max_size=8))
def test_seules_les_transitions_de_la_table_passent(actions: list[ActionInstructionTic]) -> None:
    """Whatever the order of the instructor's actions, a demande only ever moves along the
    table, and once sent its lines and total never change."""
    demande = envoyee()
    total = demande.montant_total
    for rang, action in enumerate(actions):
        avant = demande.statut
        autorise = avant in TRANSITIONS_TIC[action.statut][0]
        try:
            demande = demande.instruire(
                EvenementInstructionTic.creer(
                    action=action,
                    reference=f"r{rang}",
                    date_evenement=MAINTENANT + timedelta(minutes=rang + 1),
                    motif="motif" if action is ActionInstructionTic.REJET else None,
                ),
                acteur="a",
                maintenant=MAINTENANT + timedelta(minutes=rang + 1),
            )
        except TransitionInvalide:
            assert not autorise
            continue
        assert autorise
        assert demande.statut is action.statut
        assert demande.montant_total == total
