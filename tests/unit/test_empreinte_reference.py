"""A reference vector for the published canonical serialisation (format 1).

Third parties recompute empreintes from this format: any change to it — a key added,
renamed or reordered, an amount written differently — must show here, deliberately.
"""

from __future__ import annotations

from chorus.domain.empreinte import empreinte, serialisation_canonique
from tests.unit.fabrique import envoye

SERIALISATION_DE_REFERENCE = (
    '{"categorie_prestataire":"EXPERT","commentaire":null,"coordonnee_bancaire":'
    '{"bic":"AGRIFRPP882","iban":"FR7630006000011234567890189"},'
    '"date_depot":"2024-05-01T10:00:00.000000Z","devise":"EUR","format":1,'
    '"juridiction_code":"TJ-75056","lignes":[{"autorite_requerante":"PROCUREUR_REPUBLIQUE",'
    '"date_prestation":"2024-04-21","date_requisition":"2024-04-21","debours":"0.00",'
    '"frais_divers":[],"montant_ht":"150.00","montant_ttc":"158.25","montant_tva":"8.25",'
    '"numero_affaire":"PARQUET-24-001","numero_ligne":1,"quantite":"1.00",'
    '"tarif_ht":"150.00","taux_tva":"5.5","type_prestation":"EXPERTISE_PSYCHIATRIQUE"}],'
    '"mention_tva":null,"numero":"MJ00000021178","numero_engagement_juridique":null,'
    '"numero_facture":null,"pieces":[{"designation":"RIB.pdf","nom_fichier":"RIB.pdf",'
    '"numero_ligne":null,'
    '"sha256":"d7ca76134e9be2d20dd64013463eea36eaae09722b45e91edba20d43c6d72990",'
    '"taille":75,"type_piece":"COORDONNEE_BANCAIRE"}],"prestataire":'
    '{"identifiant":"73282932000074","raison_sociale":"Cabinet Écoute",'
    '"type_identifiant":"SIRET"},"service_id":null,"texte_reference":"R.92",'
    '"totaux":{"montant_debours":"0.00","montant_ht":"150.00","montant_ttc":"158.25",'
    '"montant_tva":"8.25","net_a_payer":"158.25","recapitulatif_tva":[{"base_ht":"150.00",'
    '"montant_tva":"8.25","taux":"5.5"}],"remise_globale_ttc":"0.00"},'
    '"type_tva":"TVA_SUR_DEBITS"}'
)
EMPREINTE_DE_REFERENCE = "VOUyfg74JwaEuLZD+1W9UWzyokGJf7NSWckTUwIAecM="


def test_la_serialisation_du_memoire_de_reference_est_figee() -> None:
    memoire = envoye()
    assert memoire.certificat is not None
    octets = serialisation_canonique(memoire, date_depot=memoire.certificat.date_depot)
    assert octets == SERIALISATION_DE_REFERENCE.encode("utf-8")


def test_l_empreinte_du_memoire_de_reference_est_figee() -> None:
    memoire = envoye()
    assert memoire.certificat is not None
    assert memoire.certificat.empreinte == EMPREINTE_DE_REFERENCE
    assert empreinte(SERIALISATION_DE_REFERENCE.encode("utf-8")) == EMPREINTE_DE_REFERENCE
