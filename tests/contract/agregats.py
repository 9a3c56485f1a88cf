"""Aggregates for the storage contract, built only through the domain (constructors, methods,
and `attrs.evolve` where the domain has no method for a field), with every field set.

`ecarts` compares two values leaf by leaf with every `Decimal`, date and instant written
out, so that ``Decimal("12.1")`` and ``Decimal("12.10")`` — equal for `==` — count as
different: a store must give back amounts with their exponent.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs

from chorus.domain.certificat import PrestataireEnvoye
from chorus.domain.entete import EnTete, ModeDepot, TypeTva
from chorus.domain.lignes import FraisDivers, LigneDePrestation
from chorus.domain.memoire import Memoire
from chorus.domain.organisation import (
    Adresse,
    Application,
    CoordonneeBancaire,
    Habilitation,
    Profil,
    Regime,
    Structure,
    TypeIdentifiant,
    TypeStructure,
)
from chorus.domain.pieces import PieceJointe, TypePiece
from chorus.domain.traitement import INTERVENANT_PAR_ACTION, ActionTraitement, EvenementTraitement
from chorus.domain.utilisateur import RoleAgent, StatutUtilisateur, Utilisateur
from chorus.ports.depots import UnitOfWork

# An instant with microseconds, so that a store truncating them is caught.
T0 = datetime(2024, 6, 14, 10, 0, 0, 123456, tzinfo=UTC)
AUJOURDHUI = date(2024, 6, 14)

SIRET = "41234567000019"
SIRET_AUTRE = "52345678800018"
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPP882"
IBAN_POSTE = "FR1420041010050500013M02606"
BIC_POSTE = "PSSTFRPPLYO"

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))

GESTIONNAIRE = "u-gestionnaire"


def heure(n: float) -> datetime:
    """`n` hours after T0."""
    return T0 + timedelta(hours=n)


# -- pièces ------------------------------------------------------------------------------


def piece(
    id: str,
    *,
    contenu: bytes = PDF,
    nom: str = "requisition.pdf",
    type_piece: TypePiece = TypePiece.REQUISITION,
    designation: str | None = None,
    numero_ligne: int | None = None,
    date_ajout: datetime = T0,
) -> PieceJointe:
    return PieceJointe.depuis_contenu(
        id=id,
        contenu=contenu,
        nom_fichier=nom,
        type_piece=type_piece,
        designation=designation,
        date_ajout=date_ajout,
        numero_ligne=numero_ligne,
    )


def piece_rib(id: str = "p-rib", contenu: bytes = PDF + b"% RIB\n") -> PieceJointe:
    return piece(id, contenu=contenu, nom="RIB.pdf", type_piece=TypePiece.COORDONNEE_BANCAIRE)


# -- organisation ------------------------------------------------------------------------


def structure(
    id: str,
    *,
    raison_sociale: str = "Cabinet Durand",
    identifiant: str | None = None,
    type_identifiant: TypeIdentifiant = TypeIdentifiant.HORS_UE,
    createur_id: str = GESTIONNAIRE,
) -> Structure:
    """A plain structure (identified HORS_UE by its id unless told otherwise)."""
    return Structure.creer(
        id=id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=type_identifiant,
        identifiant=identifiant if identifiant is not None else f"ID-{id}",
        raison_sociale=raison_sociale,
        adresse=Adresse.creer(ligne1="8 quai Saint-Vincent", code_postal="69001", ville="Lyon"),
        createur_id=createur_id,
        rattachement_id=f"r-{id}-{createur_id}",
        habilitation_ids=(f"h-{id}-fj", f"h-{id}-tic"),
        maintenant=T0,
    )


def structure_complete(id: str = "s-complete", identifiant: str = SIRET) -> Structure:
    """A structure with every field set: address with ligne2, an active and an inactive
    service, two bank accounts, the Frais de justice espace with a régime, the TIC espace,
    rattachements in every status, habilitations with and without service, pièces."""
    s = Structure.creer(
        id=id,
        type_structure=TypeStructure.ENTREPRISE,
        type_identifiant=TypeIdentifiant.SIRET,
        identifiant=identifiant,
        raison_sociale="Cabinet d'expertise Écoute & Associés",
        adresse=Adresse.creer(
            ligne1="8 quai Saint-Vincent",
            ligne2="Bâtiment B, 3ᵉ étage",
            code_postal="20200",
            ville="Bastia",
        ),
        createur_id=GESTIONNAIRE,
        rattachement_id=f"r-{id}-gestionnaire",
        habilitation_ids=(f"h-{id}-fj", f"h-{id}-tic"),
        maintenant=T0,
    )
    s = s.ajouter_service(id=f"{id}-svc-psy", code="psy", libelle="Psychiatrie")
    s = s.ajouter_service(id=f"{id}-svc-med", code="MED", libelle="Médecine légale")
    s = attrs.evolve(s, services=(s.services[0], attrs.evolve(s.services[1], actif=False)))
    rib = piece_rib(f"{id}-p-rib")
    rib_poste = piece_rib(f"{id}-p-rib-poste", contenu=PDF + b"% RIB La Poste\n")
    carte_grise = piece(
        f"{id}-p-carte-grise",
        contenu=PNG,
        nom="carte grise.png",
        type_piece=TypePiece.AUTRE,
        designation="Carte grise du véhicule",
        date_ajout=heure(1),
    )
    s = s.ajouter_piece(rib).ajouter_piece(rib_poste).ajouter_piece(carte_grise)
    s = s.ajouter_coordonnee_bancaire(
        CoordonneeBancaire.creer(
            id=f"{id}-cb-1", libelle="Compte courant", iban=IBAN, bic=BIC, piece_jointe_id=rib.id
        )
    )
    s = s.ajouter_coordonnee_bancaire(
        CoordonneeBancaire.creer(
            id=f"{id}-cb-2",
            libelle="Compte postal",
            iban=IBAN_POSTE,
            bic=BIC_POSTE,
            piece_jointe_id=rib_poste.id,
        )
    )
    s = s.definir_espace_frais_de_justice("PSYCHIATRE", Regime.INDEPENDANT)
    s = s.activer_espace_tic()
    for utilisateur in ("u-valide", "u-refuse", "u-attente"):
        s = s.demander_rattachement(
            id=f"r-{id}-{utilisateur}", utilisateur_id=utilisateur, maintenant=heure(2)
        )
    s = s.valider_rattachement(f"r-{id}-u-valide", heure(3))
    s = s.refuser_rattachement(f"r-{id}-u-refuse", heure(4))
    s = s.accorder_habilitation(
        Habilitation(
            id=f"h-{id}-valide-fj",
            utilisateur_id="u-valide",
            application=Application.FRAIS_DE_JUSTICE,
            profil=Profil.CONSULTATION,
            service_id=f"{id}-svc-psy",
        ),
        par=GESTIONNAIRE,
    )
    return s.accorder_habilitation(
        Habilitation(
            id=f"h-{id}-valide-tic",
            utilisateur_id="u-valide",
            application=Application.TIC,
            profil=Profil.MODIFICATION,
        ),
        par=GESTIONNAIRE,
    )


def structure_particulier(id: str = "s-particulier") -> Structure:
    """A natural person, COSP, outside metropolitan France."""
    s = Structure.creer(
        id=id,
        type_structure=TypeStructure.PARTICULIER,
        type_identifiant=TypeIdentifiant.PARTICULIER,
        identifiant="Jeanne Martin",
        raison_sociale="Jeanne Martin",
        adresse=Adresse.creer(ligne1="1 rue de la Darse", code_postal="97400", ville="Saint-Denis"),
        createur_id=GESTIONNAIRE,
        rattachement_id=f"r-{id}",
        habilitation_ids=(f"h-{id}-fj", f"h-{id}-tic"),
        maintenant=T0,
    )
    return s.definir_espace_frais_de_justice(None, Regime.COSP)


def utilisateur(id: str, email: str | None = None) -> Utilisateur:
    return Utilisateur.creer(
        id=id,
        email=email if email is not None else f"{id}@exemple.fr",
        nom="Durand",
        prenom="Paul",
        maintenant=T0,
    )


def utilisateur_complet(id: str = "u-agent") -> Utilisateur:
    """An agent with role, juridictions, telephone and non-default preferences."""
    u = Utilisateur.creer(
        id=id,
        email="Agnes.Lefevre@Justice.fr",
        nom="Lefèvre",
        prenom="Agnès",
        telephone="+33 4 72 00 00 00",
        role=RoleAgent.AGENT_JURIDICTION,
        juridictions=frozenset({"TJ-69123", "CA-LYON", "TJ-75056"}),
        statut=StatutUtilisateur.ACTIF,
        maintenant=heure(0.5),
    )
    return attrs.evolve(u, suivi_quotidien=False, suivi_hebdomadaire=True)


# -- mémoires ----------------------------------------------------------------------------


def ligne(
    numero_ligne: int,
    *,
    quantite: str = "1",
    tarif_ht: str = "150.00",
    taux_tva: str = "5.5",
    numero_affaire: str = "PARQUET-24-001",
    frais_divers: tuple[tuple[str, str], ...] = (),
    debours: str = "0",
    date_prestation: date = AUJOURDHUI - timedelta(days=10),
) -> LigneDePrestation:
    return LigneDePrestation.creer(
        numero_ligne=numero_ligne,
        numero_affaire=numero_affaire,
        date_requisition=date_prestation - timedelta(days=3),
        autorite_requerante="PROCUREUR_REPUBLIQUE",
        type_prestation="EXPERTISE_PSYCHIATRIQUE",
        date_prestation=date_prestation,
        quantite=quantite,
        tarif_ht=tarif_ht,
        taux_tva=taux_tva,
        aujourdhui=AUJOURDHUI,
        frais_divers=tuple(
            FraisDivers.creer(libelle, montant) for libelle, montant in frais_divers
        ),
        debours=debours,
    )


def entete(
    structure_id: str,
    *,
    juridiction_code: str = "TJ-69123",
    texte_reference: str = "A.43-6",
    service_id: str | None = None,
    categorie_prestataire: str | None = "PSYCHIATRE",
    numero_engagement_juridique: str | None = None,
    remise_globale_ttc: str = "0",
) -> EnTete:
    return EnTete.creer(
        structure_id=structure_id,
        juridiction_code=juridiction_code,
        texte_reference=texte_reference,
        type_tva=TypeTva.TVA_SUR_DEBITS,
        service_id=service_id,
        coordonnee_bancaire_id=f"{structure_id}-cb-1",
        categorie_prestataire=categorie_prestataire,
        numero_engagement_juridique=numero_engagement_juridique,
        remise_globale_ttc=remise_globale_ttc,
    )


def brouillon(
    id: str,
    numero: str,
    en_tete: EnTete,
    *,
    lignes: tuple[LigneDePrestation, ...] = (),
    maintenant: datetime = T0,
) -> Memoire:
    memoire = Memoire.creer(
        id=id, numero=numero, entete=en_tete, acteur="Paul Durand", maintenant=maintenant
    )
    for une_ligne in lignes:
        memoire = memoire.ajouter_ligne(une_ligne)
    return memoire


def envoyer(
    memoire: Memoire, numero: str, maintenant: datetime, rib: PieceJointe | None = None
) -> Memoire:
    """Send a draft as the use case does (RIB attached, certificate with its empreinte)."""
    le_rib = rib if rib is not None else piece_rib(f"{memoire.id}-rib")
    return memoire.envoyer(
        numero_definitif=numero,
        acteur="Paul Durand",
        maintenant=maintenant,
        aujourdhui=maintenant.date(),
        attestation_sur_honneur=True,
        piece_rib=le_rib,
        prestataire=PrestataireEnvoye(
            identifiant=SIRET,
            type_identifiant="SIRET",
            raison_sociale="Cabinet Durand",
            libelle_coordonnee="Compte courant",
            iban=IBAN,
            bic=BIC,
        ),
        juridiction="Tribunal judiciaire de Lyon",
    )


def traiter(
    memoire: Memoire,
    action: ActionTraitement,
    maintenant: datetime,
    *,
    motif: str | None = None,
    montant_certifie: str | None = None,
    montant_paye: str | None = None,
) -> Memoire:
    """Apply a back-office event that happened one hour before it is recorded."""
    return memoire.traiter(
        EvenementTraitement.creer(
            action=action,
            reference=f"EVT-{memoire.id}-{action.value}",
            date_evenement=maintenant - timedelta(hours=1),
            motif=(
                motif
                if motif is not None
                or not (action.motif_obligatoire or montant_certifie is not None)
                else "Motif"
            ),
            montant_certifie=montant_certifie,
            montant_paye=montant_paye,
        ),
        intervenant=INTERVENANT_PAR_ACTION[action],
        acteur=f"Agent {INTERVENANT_PAR_ACTION[action].libelle}",
        maintenant=maintenant,
    )


def memoire_complete(
    id: str = "m-complete", structure_id: str = "s-complete", numero: str = "MJ00000021178"
) -> Memoire:
    """A paid mémoire with every field set: full en-tête, three lines (frais divers, débours,
    several rates), pièces on a line and on the whole mémoire, a complement, a history with
    motifs, references and amounts, the certificate, certified and paid amounts."""
    en_tete = EnTete.creer(
        structure_id=structure_id,
        juridiction_code="TJ-69123",
        texte_reference="A.43-6",
        type_tva=TypeTva.TVA_SUR_ENCAISSEMENTS,
        devise="eur",
        service_id=f"{structure_id}-svc-psy",
        coordonnee_bancaire_id=f"{structure_id}-cb-1",
        categorie_prestataire="PSYCHIATRE",
        numero_facture="F-2024/017",
        numero_engagement_juridique="1300012345",
        commentaire="Expertise réalisée en deux séances.\nDéplacement à Villeurbanne.",
        motif_exoneration="TVA non applicable, art. 293 B du CGI",
        remise_globale_ttc="12.1",
    )
    lignes = (
        ligne(
            1,
            quantite="1.5",
            tarif_ht="150.00",
            taux_tva="5.5",
            frais_divers=(("Déplacement", "12.1"), ("Affranchissement", "3.05")),
            debours="7.2",
        ),
        ligne(2, quantite="2", tarif_ht="0.99", taux_tva="20"),
        ligne(
            3,
            quantite="3.25",
            tarif_ht="80",
            taux_tva="0",
            numero_affaire="PARQUET-24-002",
            debours="12.10",
            date_prestation=AUJOURDHUI - timedelta(days=30),
        ),
    )
    m = brouillon(id, "TMP2024000000042", en_tete, lignes=lignes, maintenant=heure(-48))
    m = m.joindre_piece(
        piece(f"{id}-p-requisition", numero_ligne=1, designation="Réquisition du parquet")
    )
    m = m.joindre_piece(
        piece(
            f"{id}-p-bordereau",
            contenu=PNG,
            nom="bordereau.png",
            type_piece=TypePiece.BORDEREAU_FRAIS,
            date_ajout=heure(-47),
        )
    )
    m = envoyer(m, numero, T0)
    m = traiter(m, ActionTraitement.MISE_A_DISPOSITION, heure(2))
    m = traiter(m, ActionTraitement.SUSPENSION, heure(26), motif="Attestation manquante")
    m = m.joindre_piece(
        piece(
            f"{id}-p-attestation",
            contenu=PDF + b"% attestation\n",
            nom="attestation.pdf",
            type_piece=TypePiece.ATTESTATION_SERVICE_FAIT,
            date_ajout=heure(27),
        )
    )
    m = m.completer(commentaire="Voici l'attestation.", acteur="Paul Durand", maintenant=heure(28))
    m = traiter(m, ActionTraitement.CERTIFICATION, heure(50), montant_certifie="400.5")
    m = traiter(m, ActionTraitement.MISE_EN_PAIEMENT, heure(74), montant_paye="400.5")
    return attrs.evolve(m, parent_id="m-parent", mode_depot=ModeDepot.API)


# -- exact comparison --------------------------------------------------------------------


def representation_exacte(valeur: object, chemin: str = "") -> dict[str, object]:
    """`valeur` flattened into its leaves by path (``lignes[0].frais_divers[1].montant_ht``),
    each leaf with its type and, for decimals, dates and instants, its written form
    (``Decimal("12.10")`` → ``"12.10"``), so that exponents and offsets are compared."""
    if isinstance(valeur, Decimal | datetime | date):
        return {chemin: (type(valeur).__name__, str(valeur))}
    if isinstance(valeur, enum.Enum):
        return {chemin: (type(valeur).__name__, valeur.name)}
    classe = type(valeur)
    if attrs.has(classe):
        feuilles: dict[str, object] = {chemin: classe.__name__}
        for champ in attrs.fields(classe):
            feuilles.update(
                representation_exacte(getattr(valeur, champ.name), f"{chemin}.{champ.name}")
            )
        return feuilles
    if isinstance(valeur, tuple | list):
        feuilles = {chemin: (classe.__name__, len(valeur))}
        for index, element in enumerate(valeur):
            feuilles.update(representation_exacte(element, f"{chemin}[{index}]"))
        return feuilles
    if isinstance(valeur, frozenset | set):
        elements = sorted(repr(sorted(representation_exacte(v).items())) for v in valeur)
        return {chemin: (classe.__name__, tuple(elements))}
    if isinstance(valeur, Mapping):
        feuilles = {chemin: ("dict", len(valeur))}
        for cle, element in valeur.items():
            feuilles.update(representation_exacte(element, f"{chemin}[{cle!r}]"))
        return feuilles
    return {chemin: (classe.__name__, valeur)}


def ecarts(lu: object, attendu: object) -> list[str]:
    """Where `lu` differs from `attendu`, leaf by leaf (empty when they are the same)."""
    a, b = representation_exacte(lu), representation_exacte(attendu)
    return [
        f"{chemin or '<racine>'}: {a.get(chemin, '<absent>')!r} au lieu de "
        f"{b.get(chemin, '<absent>')!r}"
        for chemin in sorted(a.keys() | b.keys())
        if a.get(chemin, "<absent>") != b.get(chemin, "<absent>")
    ]


def ajouter(uow: UnitOfWork, *agregats: Structure | Utilisateur | Memoire) -> None:
    """Store new aggregates in one unit of work, committed."""
    with uow:
        for agregat in agregats:
            if isinstance(agregat, Structure):
                uow.structures.ajouter(agregat)
            elif isinstance(agregat, Utilisateur):
                uow.utilisateurs.ajouter(agregat)
            else:
                uow.memoires.ajouter(agregat)
        uow.commit()
