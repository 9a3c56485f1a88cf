"""A mémoire as the portal shows it: en-tête, lines, pièces, amounts with the TVA recap, the
certificat de dépôt and the history — for the prestataire's detail screen and the back
office alike."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from decimal import Decimal
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from chorus.adapters.tui.affichage import euros, instant, jour
from chorus.adapters.tui.noyau import chorus
from chorus.adapters.tui.widgets.tableau import Cellule, Colonne, TableauPagine
from chorus.domain.conservation import fin_de_conservation
from chorus.domain.errors import DomainError
from chorus.domain.memoire import EvenementHistorique, Memoire
from chorus.domain.montants import TauxTva, en_francais
from chorus.domain.organisation import Structure
from chorus.domain.pieces import PieceJointe
from chorus.ports.referentiels import Referentiels


def grille(paires: Sequence[tuple[str, str | None]]) -> str:
    """« Libellé   valeur » lines, values aligned; a pair without value is left out."""
    remplies: list[tuple[str, str]] = [(lib, val) for lib, val in paires if val]
    largeur = max((len(libelle) for libelle, _ in remplies), default=0) + 2
    suite = "\n" + " " * largeur
    return "\n".join(
        f"{libelle:<{largeur}}{valeur.replace(chr(10), suite)}" for libelle, valeur in remplies
    )


def taille_lisible(octets: int) -> str:
    """``845 octets``, ``12,4 Ko``, ``3,2 Mo``."""
    if octets < 1024:
        return f"{octets} octets"
    if octets < 1024 * 1024:
        return f"{octets / 1024:.1f} Ko".replace(".", ",")
    return f"{octets / (1024 * 1024):.1f} Mo".replace(".", ",")


def taux_lisible(taux: TauxTva) -> str:
    """``5,5 %``, ``20 %``."""
    return f"{format(taux.value, 'f').replace('.', ',')} %"


def _a_droite(texte: str) -> Text:
    return Text(texte, justify="right")


def _code_et_libelle(code: str | None, libelle: str | None) -> str | None:
    if code is None:
        return None
    return f"{code} – {libelle}" if libelle else code


def texte_entete(memoire: Memoire, referentiels: Referentiels, structure: Structure | None) -> str:
    """The en-tête, with the names behind the codes (structure, service, juridiction, …)."""
    entete = memoire.entete
    numero = memoire.numero
    if memoire.numero_brouillon and memoire.numero_brouillon != memoire.numero:
        numero = f"{numero}  (brouillon n°{memoire.numero_brouillon})"

    if structure is not None:
        nom_structure = (
            f"{structure.raison_sociale} ({structure.type_identifiant.value} "
            f"{structure.identifiant})"
        )
    elif memoire.prestataire is not None:
        nom_structure = memoire.prestataire.libelle
    else:
        nom_structure = entete.structure_id

    service: str | None = "Aucun (toute la structure)"
    if entete.service_id is not None:
        service = None
        if structure is not None:
            try:
                trouve = structure.service(entete.service_id)
                service = f"{trouve.code} – {trouve.libelle}"
            except DomainError:
                service = None

    coordonnee: str | None = None
    if memoire.prestataire is not None:
        p = memoire.prestataire
        coordonnee = f"{p.libelle_coordonnee} – IBAN {p.iban} – BIC {p.bic}"
    elif entete.coordonnee_bancaire_id is not None and structure is not None:
        try:
            c = structure.coordonnee_bancaire(entete.coordonnee_bancaire_id)
            coordonnee = f"{c.libelle} – IBAN {c.iban} – BIC {c.bic}"
        except DomainError:
            coordonnee = "Coordonnées supprimées de la structure : choisissez-en d'autres."
    elif entete.coordonnee_bancaire_id is None:
        coordonnee = "Non choisie"

    juridiction = referentiels.juridiction(entete.juridiction_code)
    texte = referentiels.texte_reference(entete.texte_reference)
    categorie = (
        referentiels.categorie_prestataire(entete.categorie_prestataire)
        if entete.categorie_prestataire
        else None
    )
    tva = entete.type_tva.libelle
    if entete.mention_tva:
        tva = f"{tva} — « {entete.mention_tva} »"
    return grille(
        [
            ("Numéro", numero),
            ("État", memoire.statut.libelle),
            ("Structure", nom_structure),
            ("Service", service),
            (
                "Juridiction destinataire",
                _code_et_libelle(entete.juridiction_code, juridiction.nom if juridiction else None),
            ),
            (
                "Texte de référence",
                _code_et_libelle(entete.texte_reference, texte.libelle if texte else None),
            ),
            ("Type de TVA", tva),
            (
                "Catégorie de prestataire",
                _code_et_libelle(
                    entete.categorie_prestataire, categorie.libelle if categorie else None
                )
                or "Non renseignée",
            ),
            ("Devise", entete.devise),
            ("Coordonnées bancaires", coordonnee),
            ("Numéro de facture", entete.numero_facture),
            ("Numéro d'engagement juridique", entete.numero_engagement_juridique),
            ("Commentaire", entete.commentaire),
            ("Mode de dépôt", memoire.mode_depot.value.capitalize()),
            ("Créé le", instant(memoire.date_creation)),
            ("Déposé le", instant(memoire.date_depot)),
            ("Dernière modification", instant(memoire.date_modification)),
            ("Montant certifié", euros(memoire.montant_certifie)),
            ("Montant payé", euros(memoire.montant_paye)),
            ("Date de mise en paiement", jour(memoire.date_paiement)),
        ]
    )


def lignes_de_prestation(
    memoire: Memoire, referentiels: Referentiels
) -> list[tuple[str, Sequence[Cellule]]]:
    rangees: list[tuple[str, Sequence[Cellule]]] = []
    for ligne in memoire.lignes:
        autorite = referentiels.autorite_requerante(ligne.autorite_requerante)
        prestation = referentiels.type_prestation(ligne.type_prestation)
        rangees.append(
            (
                str(ligne.numero_ligne),
                (
                    _a_droite(str(ligne.numero_ligne)),
                    ligne.numero_affaire,
                    jour(ligne.date_requisition),
                    autorite.libelle if autorite else ligne.autorite_requerante,
                    prestation.libelle if prestation else ligne.type_prestation,
                    jour(ligne.date_prestation),
                    _a_droite(en_francais(ligne.quantite)),
                    _a_droite(euros(ligne.tarif_ht)),
                    _a_droite(taux_lisible(ligne.taux_tva)),
                    _a_droite(euros(ligne.montant_frais_divers)),
                    _a_droite(euros(ligne.debours)),
                    _a_droite(euros(ligne.montant_ht)),
                    _a_droite(euros(ligne.montant_tva)),
                    _a_droite(euros(ligne.montant_ttc)),
                ),
            )
        )
    return rangees


COLONNES_LIGNES = [
    Colonne("N°"),
    Colonne("N° d'affaire"),
    Colonne("Réquisition"),
    Colonne("Autorité requérante"),
    Colonne("Type de prestation"),
    Colonne("Prestation"),
    Colonne("Quantité"),
    Colonne("Tarif HT"),
    Colonne("TVA"),
    Colonne("Frais divers HT"),
    Colonne("Débours"),
    Colonne("Montant HT"),
    Colonne("Montant TVA"),
    Colonne("Montant TTC"),
]


def origine_piece(memoire: Memoire, piece: PieceJointe) -> str:
    complements = memoire.pieces_complementaires
    if piece in complements:
        if complements.index(piece) < memoire.complements_transmis:
            return "Complément transmis"
        return "Complément en attente"
    return "Dépôt" if memoire.statut.envoye else "Brouillon"


def pieces_jointes(memoire: Memoire) -> list[tuple[str, Sequence[Cellule]]]:
    return [
        (
            piece.id,
            (
                piece.nom_fichier,
                piece.type_piece.libelle,
                piece.designation,
                "Tout le mémoire" if piece.numero_ligne is None else f"Ligne {piece.numero_ligne}",
                _a_droite(taille_lisible(piece.taille)),
                piece.sha256,
                instant(piece.date_ajout),
                origine_piece(memoire, piece),
            ),
        )
        for piece in (*memoire.pieces, *memoire.pieces_complementaires)
    ]


COLONNES_PIECES = [
    Colonne("Nom du fichier"),
    Colonne("Type"),
    Colonne("Désignation"),
    Colonne("Ligne"),
    Colonne("Taille"),
    Colonne("SHA-256"),
    Colonne("Ajoutée le"),
    Colonne("Origine"),
]


def texte_totaux(memoire: Memoire) -> str:
    totaux = memoire.totaux
    largeur = max(
        len(euros(m))
        for m in (
            totaux.montant_ht,
            totaux.montant_tva,
            totaux.montant_debours,
            totaux.montant_ttc,
            totaux.remise_globale_ttc,
            totaux.net_a_payer,
        )
    )

    def montant(valeur: Decimal) -> str:
        return euros(valeur).rjust(largeur)

    corps = grille(
        [
            ("Montant HT", montant(totaux.montant_ht)),
            ("Montant TVA", montant(totaux.montant_tva)),
            ("Débours (hors TVA)", montant(totaux.montant_debours)),
            ("Montant TTC avant remise globale", montant(totaux.montant_ttc)),
            ("Remise globale TTC", montant(totaux.remise_globale_ttc)),
            ("Net à payer", montant(totaux.net_a_payer)),
        ]
    )
    if not totaux.recapitulatif_tva:
        return corps + "\n\nRécapitulatif de la TVA : aucune ligne."
    recap = ["", "Récapitulatif de la TVA", f"{'Taux':<12}{'Base HT':>16}{'TVA':>16}"]
    for entree in totaux.recapitulatif_tva:
        taux = taux_lisible(entree.taux)
        recap.append(f"{taux:<12}{euros(entree.base_ht):>16}{euros(entree.montant_tva):>16}")
    return corps + "\n" + "\n".join(recap)


def texte_certificat(memoire: Memoire) -> str:
    certificat = memoire.certificat
    if certificat is None:
        return ""
    pieces = "\n".join(f"{p.nom_fichier} — SHA-256 {p.sha256}" for p in certificat.pieces)
    try:
        conforme = memoire.empreinte_recalculee() == certificat.empreinte
    except DomainError:
        conforme = False
    controle = (
        "conforme : le mémoire n'a pas changé depuis son dépôt"
        if conforme
        else "NON CONFORME : le mémoire enregistré diffère de celui déposé"
    )
    return (
        grille(
            [
                ("Numéro du mémoire", certificat.numero),
                ("Date et heure d'envoi", instant(certificat.date_depot)),
                ("Conservé jusqu'au", jour(fin_de_conservation(memoire))),
                ("Prestataire", certificat.prestataire),
                ("Juridiction destinataire", certificat.juridiction),
                ("Montant HT après remise globale", euros(certificat.montant_ht_apres_remise)),
                ("Montant TVA", euros(certificat.montant_tva)),
                ("Remise globale TTC", euros(certificat.remise_globale_ttc)),
                ("Montant TTC avant remise globale", euros(certificat.montant_ttc_avant_remise)),
                ("Pièces certifiées", pieces or "Aucune"),
                ("Empreinte", certificat.empreinte),
                ("Contrôle de l'empreinte", controle),
            ]
        )
        + "\n\n"
        + certificat.texte
    )


def historique(memoire: Memoire) -> list[tuple[str, Sequence[Cellule]]]:
    def rangee(evenement: EvenementHistorique) -> Sequence[Cellule]:
        return (
            evenement.statut.libelle,
            instant(evenement.date_evenement),
            instant(evenement.date_maj),
            Text(evenement.motif or ""),
            _a_droite(euros(evenement.montant)),
            Text(evenement.acteur),
            evenement.intervenant.libelle,
        )

    return [(str(index), rangee(e)) for index, e in enumerate(memoire.historique)]


COLONNES_HISTORIQUE = [
    Colonne("État"),
    Colonne("Date de l'événement"),
    Colonne("Date de mise à jour"),
    Colonne("Motif", 44),
    Colonne("Montant"),
    Colonne("Acteur", 34),
    Colonne("Intervenant"),
]


T = TypeVar("T")


class DetailMemoire(Vertical):
    """Every part of a mémoire, filled by `afficher`."""

    DEFAULT_CSS = """
    DetailMemoire { height: auto; }
    DetailMemoire > .section { text-style: bold; color: $accent; margin-top: 1; }
    DetailMemoire > .bloc { height: auto; padding: 0 1; }
    DetailMemoire > #detail-titre { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-titre", markup=False)
        yield Static("En-tête", classes="section")
        yield Static("", id="detail-entete", classes="bloc", markup=False)
        yield Static("Lignes de prestation", classes="section")
        yield TableauPagine(
            COLONNES_LIGNES, unite="lignes", vide="Aucune ligne de prestation.", id="detail-lignes"
        )
        yield Static("Pièces jointes", classes="section")
        yield TableauPagine(
            COLONNES_PIECES, unite="pièces", vide="Aucune pièce jointe.", id="detail-pieces"
        )
        yield Static("Montants", classes="section")
        yield Static("", id="detail-totaux", classes="bloc", markup=False)
        yield Static("Certificat de dépôt", classes="section", id="detail-titre-certificat")
        yield Static("", id="detail-certificat", classes="bloc", markup=False)
        yield Static("Historique", classes="section")
        yield TableauPagine(
            COLONNES_HISTORIQUE,
            unite="événements",
            vide="Aucun événement.",
            hauteur_variable=True,
            id="detail-historique",
        )

    def afficher(self, memoire: Memoire, structure: Structure | None = None) -> None:
        """Show `memoire`; `structure` (when the reader may see it) names its service and
        bank details, otherwise what was frozen at sending is shown."""
        referentiels = chorus(self).services.referentiels
        self.query_one("#detail-titre", Static).update(
            f"Mémoire n°{memoire.numero} — {memoire.statut.libelle}"
        )
        self.query_one("#detail-entete", Static).update(
            texte_entete(memoire, referentiels, structure)
        )
        self.query_one("#detail-lignes", TableauPagine).remplir(
            lignes_de_prestation(memoire, referentiels)
        )
        self.query_one("#detail-pieces", TableauPagine).remplir(pieces_jointes(memoire))
        self.query_one("#detail-totaux", Static).update(texte_totaux(memoire))
        certificat = texte_certificat(memoire)
        self.query_one("#detail-certificat", Static).update(certificat)
        self.query_one("#detail-certificat").display = bool(certificat)
        self.query_one("#detail-titre-certificat").display = bool(certificat)
        self.query_one("#detail-historique", TableauPagine).remplir(historique(memoire))

    @property
    def pieces(self) -> TableauPagine:
        return self.query_one("#detail-pieces", TableauPagine)

    async def attendre(self, chargement: Awaitable[T]) -> T:
        """Await `chargement` (reading the mémoire) under the loading indicator, which goes
        away once it answers or is refused, so that a refusal is not hidden behind it."""
        # Only a refusal: a cancelled load (a newer one replaces it) keeps the indicator,
        # which the newer one removes.
        try:
            resultat = await chargement
        except DomainError:
            self.loading = False
            raise
        self.loading = False
        return resultat

    def piece_choisie(self, memoire: Memoire) -> PieceJointe | None:
        """The pièce of `memoire` highlighted in the list; when there is none, a warning and
        the focus on the list, so that the user sees where to choose it."""
        tableau = self.pieces
        cle = tableau.cle_choisie
        piece = memoire.piece(cle) if cle is not None else None
        if piece is None:
            self.notify("Choisissez d'abord une pièce dans la liste.", severity="warning")
            tableau.table.focus()
        return piece
