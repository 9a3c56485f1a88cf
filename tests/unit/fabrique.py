"""Small typed factories for the unit tests of the domain: structures, pièces, lines and
mémoires at any status, built only from the domain itself (no port, no storage)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from chorus.domain.certificat import PrestataireEnvoye
from chorus.domain.entete import EnTete, TypeTva
from chorus.domain.lignes import FraisDivers, LigneDePrestation
from chorus.domain.memoire import Memoire
from chorus.domain.montants import TauxTva
from chorus.domain.organisation import (
    Adresse,
    Application,
    Habilitation,
    Profil,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.statuts import Intervenant, StatutMemoire
from chorus.domain.traitement import ActionTraitement, EvenementTraitement

MAINTENANT = datetime(2024, 5, 1, 10, tzinfo=UTC)
AUJOURDHUI = date(2024, 5, 1)

SIRET = "73282932000074"
SIRET_LA_POSTE = "35600000049837"
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP882"
RAISON_SOCIALE = "Cabinet Écoute"
JURIDICTION = "Tribunal judiciaire de Paris"

CREATEUR = "u-createur"
NUMERO_BROUILLON = "TMP2024000000001"
NUMERO_DEFINITIF = "MJ00000021178"

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
RIB_PDF = PDF + b"% RIB\n"


def heure(n: int) -> datetime:
    """`n` hours after MAINTENANT (the sending instant of `envoye`)."""
    return MAINTENANT + timedelta(hours=n)


# -- organisation ------------------------------------------------------------------------


def adresse(code_postal: str = "75011", pays: str = "FR") -> Adresse:
    return Adresse.creer(
        ligne1="12 rue de la Roquette", code_postal=code_postal, ville="Paris", pays=pays
    )


def structure(
    *,
    type_structure: TypeStructure = TypeStructure.ENTREPRISE,
    type_identifiant: TypeIdentifiant = TypeIdentifiant.SIRET,
    identifiant: str = SIRET,
    createur_id: str = CREATEUR,
    id: str = "s-1",
) -> Structure:
    return Structure.creer(
        id=id,
        type_structure=type_structure,
        type_identifiant=type_identifiant,
        identifiant=identifiant,
        raison_sociale=RAISON_SOCIALE,
        adresse=adresse(),
        createur_id=createur_id,
        rattachement_id=f"r-{createur_id}",
        habilitation_ids=(f"h-{createur_id}-fj", f"h-{createur_id}-tic"),
        maintenant=MAINTENANT,
    )


def particulier() -> Structure:
    return structure(
        type_structure=TypeStructure.PARTICULIER,
        type_identifiant=TypeIdentifiant.PARTICULIER,
        identifiant="Jeanne Martin",
    )


def avec_membre(s: Structure, utilisateur_id: str) -> Structure:
    """`s` with `utilisateur_id` rattaché (request validated), without any habilitation."""
    demande = s.demander_rattachement(
        id=f"r-{utilisateur_id}", utilisateur_id=utilisateur_id, maintenant=MAINTENANT
    )
    return demande.valider_rattachement(f"r-{utilisateur_id}", heure(1))


def habiliter(
    s: Structure,
    utilisateur_id: str,
    profil: Profil,
    *,
    application: Application = Application.FRAIS_DE_JUSTICE,
    service_id: str | None = None,
) -> Structure:
    return s.accorder_habilitation(
        Habilitation(
            id=f"h-{utilisateur_id}-{application.value}-{service_id}",
            utilisateur_id=utilisateur_id,
            application=application,
            profil=profil,
            service_id=service_id,
        ),
        par=CREATEUR,
    )


# -- pièces ------------------------------------------------------------------------------


def piece(
    *,
    id: str = "p-1",
    contenu: bytes = PDF,
    nom: str = "requisition.pdf",
    type_piece: TypePiece = TypePiece.REQUISITION,
    numero_ligne: int | None = None,
    date_ajout: datetime = MAINTENANT,
) -> PieceJointe:
    return PieceJointe.depuis_contenu(
        id=id,
        contenu=contenu,
        nom_fichier=nom,
        type_piece=type_piece,
        designation=None,
        date_ajout=date_ajout,
        numero_ligne=numero_ligne,
    )


def piece_rib(id: str = "p-rib", contenu: bytes = RIB_PDF) -> PieceJointe:
    return piece(id=id, contenu=contenu, nom="RIB.pdf", type_piece=TypePiece.COORDONNEE_BANCAIRE)


# -- lignes ------------------------------------------------------------------------------


def ligne(
    *,
    numero_ligne: int = 1,
    quantite: Decimal | str = "1",
    tarif_ht: Decimal | str = "150.00",
    taux_tva: TauxTva | str = "5.5",
    frais_divers: tuple[tuple[str, str], ...] = (),
    debours: Decimal | str = "0",
    date_prestation: date = AUJOURDHUI - timedelta(days=10),
    date_requisition: date | None = None,
    aujourdhui: date = AUJOURDHUI,
) -> LigneDePrestation:
    return LigneDePrestation.creer(
        numero_ligne=numero_ligne,
        numero_affaire="PARQUET-24-001",
        date_requisition=(date_requisition if date_requisition is not None else date_prestation),
        autorite_requerante="PROCUREUR_REPUBLIQUE",
        type_prestation="EXPERTISE_PSYCHIATRIQUE",
        date_prestation=date_prestation,
        quantite=quantite,
        tarif_ht=tarif_ht,
        taux_tva=taux_tva,
        aujourdhui=aujourdhui,
        frais_divers=tuple(FraisDivers.creer(lib, montant) for lib, montant in frais_divers),
        debours=debours,
    )


# -- mémoires ----------------------------------------------------------------------------


def entete(
    *,
    type_tva: TypeTva = TypeTva.TVA_SUR_DEBITS,
    coordonnee_bancaire_id: str | None = "cb-1",
    categorie_prestataire: str | None = "EXPERT",
    remise_globale_ttc: Decimal | str = "0",
    structure_id: str = "s-1",
    motif_exoneration: str | None = None,
) -> EnTete:
    return EnTete.creer(
        structure_id=structure_id,
        juridiction_code="TJ-75056",
        texte_reference="R.92",
        type_tva=type_tva,
        coordonnee_bancaire_id=coordonnee_bancaire_id,
        categorie_prestataire=categorie_prestataire,
        remise_globale_ttc=remise_globale_ttc,
        motif_exoneration=motif_exoneration,
    )


def brouillon(
    *,
    lignes: tuple[LigneDePrestation, ...] | None = None,
    en_tete: EnTete | None = None,
    pieces: tuple[PieceJointe, ...] = (),
    id: str = "m-1",
) -> Memoire:
    memoire = Memoire.creer(
        id=id,
        numero=NUMERO_BROUILLON,
        entete=en_tete if en_tete is not None else entete(),
        acteur=CREATEUR,
        maintenant=MAINTENANT - timedelta(days=1),
    )
    for une_ligne in lignes if lignes is not None else (ligne(),):
        memoire = memoire.ajouter_ligne(une_ligne)
    for une_piece in pieces:
        memoire = memoire.joindre_piece(une_piece)
    return memoire


PRESTATAIRE = PrestataireEnvoye(
    identifiant=SIRET,
    type_identifiant="SIRET",
    raison_sociale=RAISON_SOCIALE,
    libelle_coordonnee="Compte courant",
    iban=IBAN,
    bic=BIC,
)


def envoye(
    memoire: Memoire | None = None,
    *,
    maintenant: datetime = MAINTENANT,
    aujourdhui: date | None = None,
    numero: str = NUMERO_DEFINITIF,
    rib: PieceJointe | None = None,
) -> Memoire:
    depart = memoire if memoire is not None else brouillon()
    le_rib = rib if rib is not None else piece_rib()
    return depart.envoyer(
        numero_definitif=numero,
        acteur=CREATEUR,
        maintenant=maintenant,
        aujourdhui=aujourdhui if aujourdhui is not None else maintenant.date(),
        attestation_sur_honneur=True,
        piece_rib=le_rib,
        prestataire=PRESTATAIRE,
        juridiction=JURIDICTION,
    )


INTERVENANTS = {
    ActionTraitement.MISE_A_DISPOSITION: Intervenant.ACHEMINEMENT,
    ActionTraitement.SUSPENSION: Intervenant.SERVICE_CENTRALISATEUR,
    ActionTraitement.CERTIFICATION: Intervenant.SERVICE_CENTRALISATEUR,
    ActionTraitement.REFUS: Intervenant.SERVICE_CENTRALISATEUR,
    ActionTraitement.MISE_EN_PAIEMENT: Intervenant.COMPTABLE,
}


def evenement(
    action: ActionTraitement,
    *,
    reference: str | None = None,
    date_evenement: datetime | None = None,
    motif: str | None = None,
    montant_certifie: str | None = None,
    montant_paye: str | None = None,
) -> EvenementTraitement:
    return EvenementTraitement.creer(
        action=action,
        reference=reference if reference is not None else f"EVT-{action.value}",
        date_evenement=date_evenement if date_evenement is not None else heure(1),
        motif=motif
        if motif is not None or not _motif_requis(action, montant_certifie)
        else "Pièce manquante",
        montant_certifie=montant_certifie,
        montant_paye=montant_paye,
    )


def _motif_requis(action: ActionTraitement, montant_certifie: str | None) -> bool:
    # A certification below the amount asked needs its reason, as a refusal does.
    minoree = action is ActionTraitement.CERTIFICATION and montant_certifie is not None
    return action.motif_obligatoire or minoree


def traiter(
    memoire: Memoire,
    action: ActionTraitement,
    *,
    reference: str | None = None,
    date_evenement: datetime | None = None,
    maintenant: datetime | None = None,
    motif: str | None = None,
    montant_certifie: str | None = None,
    montant_paye: str | None = None,
) -> Memoire:
    """Apply a back-office event by its own intervenant, recorded two hours after sending."""
    return memoire.traiter(
        evenement(
            action,
            reference=reference,
            date_evenement=date_evenement,
            motif=motif,
            montant_certifie=montant_certifie,
            montant_paye=montant_paye,
        ),
        intervenant=INTERVENANTS[action],
        acteur=f"agent-{INTERVENANTS[action].value.lower()}",
        maintenant=maintenant if maintenant is not None else heure(2),
    )


def a_l_etat(statut: StatutMemoire) -> Memoire:
    """A mémoire (one line of 1 × 150.00 at 5.5 %) brought to `statut` by the normal path."""
    A = ActionTraitement  # noqa: N806
    S = StatutMemoire  # noqa: N806
    if statut is S.BROUILLON:
        return brouillon()
    m = envoye()
    if statut is S.ENVOYE:
        return m
    m = traiter(m, A.MISE_A_DISPOSITION)
    if statut is S.MIS_A_DISPOSITION:
        return m
    if statut in (S.SUSPENDU, S.COMPLETE):
        m = traiter(m, A.SUSPENSION)
        if statut is S.SUSPENDU:
            return m
        return m.completer(commentaire="Voici la pièce", acteur=CREATEUR, maintenant=heure(3))
    if statut in (S.CERTIFIE, S.MIS_EN_PAIEMENT):
        m = traiter(m, A.CERTIFICATION)
        if statut is S.CERTIFIE:
            return m
        return traiter(m, A.MISE_EN_PAIEMENT, maintenant=heure(3))
    m = traiter(m, A.REFUS)
    if statut is S.REFUSE:
        return m
    if statut is S.ABANDONNE:
        return m.abandonner(acteur=CREATEUR, maintenant=heure(3))
    original, _copie = m.dupliquer(
        id="m-2", numero="TMP2024000000002", acteur=CREATEUR, maintenant=heure(3), pieces=()
    )
    return original
