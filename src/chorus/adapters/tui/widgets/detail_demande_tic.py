"""A demande de remboursement TIC/TICGN as the portal shows it: en-tête, invoice lines with
their rate, unit and amount, pièces, amounts, certificate and history — for the detail screen
and the récapitulatif before sending."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from decimal import Decimal
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from chorus.adapters.tui.affichage import euros, instant, jour
from chorus.adapters.tui.widgets.detail_memoire import grille, taille_lisible
from chorus.adapters.tui.widgets.tableau import Cellule, Colonne, TableauPagine
from chorus.domain.errors import DomainError
from chorus.domain.montants import en_francais
from chorus.domain.organisation import Structure
from chorus.domain.pieces import PieceJointe
from chorus.domain.tic.bareme import ProduitTic
from chorus.domain.tic.demande import DemandeTic, EvenementDemandeTic, LigneDemandeTic

T = TypeVar("T")


def decimal_francais(valeur: Decimal) -> str:
    """A decimal with its own places (a rate of 13,765 keeps its three): ``1 234,567``."""
    texte = format(valeur, "f")
    entier, virgule, decimales = texte.partition(".")
    signe = "-" if entier.startswith("-") else ""
    groupes = f"{int(entier.lstrip('-')):,}".replace(",", "\u00a0")
    return f"{signe}{groupes}{',' if virgule else ''}{decimales}"


def quantite_tic(quantite: Decimal, produit: ProduitTic) -> str:
    """``1 234,56 l``: the quantity in the unit it is typed in."""
    return f"{en_francais(quantite)} {produit.unite}"


def taux_tic(taux: Decimal, produit: ProduitTic) -> str:
    """``14,96 €/hl``: the rate in the unit it is published per."""
    return f"{decimal_francais(taux)} {produit.unite_taux}"


def _a_droite(texte: str) -> Text:
    return Text(texte, justify="right")


COLONNES_LIGNES_TIC = [
    Colonne("N°"),
    Colonne("N° de facture"),
    Colonne("Fournisseur"),
    Colonne("Livraison"),
    Colonne("Produit"),
    Colonne("Quantité"),
    Colonne("Taux"),
    Colonne("Montant"),
]


def ligne_tic(ligne: LigneDemandeTic) -> Sequence[Cellule]:
    return (
        _a_droite(str(ligne.numero_ligne)),
        Text(ligne.numero_facture),
        Text(ligne.fournisseur),
        jour(ligne.date_livraison),
        ligne.produit.libelle,
        _a_droite(quantite_tic(ligne.quantite, ligne.produit)),
        _a_droite(taux_tic(ligne.taux, ligne.produit)),
        _a_droite(euros(ligne.montant)),
    )


def lignes_tic(demande: DemandeTic) -> list[tuple[str, Sequence[Cellule]]]:
    """The rows of the lines, keyed by line number."""
    return [(str(ligne.numero_ligne), ligne_tic(ligne)) for ligne in demande.lignes]


COLONNES_PIECES_TIC = [
    Colonne("Nom du fichier"),
    Colonne("Type"),
    Colonne("Désignation"),
    Colonne("Rattachée à"),
    Colonne("Taille"),
    Colonne("Ajoutée le"),
]


def rattachement(piece: PieceJointe) -> str:
    return "la demande" if piece.numero_ligne is None else f"ligne n°{piece.numero_ligne}"


def pieces_tic(demande: DemandeTic) -> list[tuple[str, Sequence[Cellule]]]:
    """The rows of the pièces, keyed by the pièce's id."""
    return [
        (
            piece.id,
            (
                Text(piece.nom_fichier),
                piece.type_piece.libelle,
                Text(piece.designation),
                rattachement(piece),
                _a_droite(taille_lisible(piece.taille)),
                instant(piece.date_ajout),
            ),
        )
        for piece in demande.pieces
    ]


COLONNES_HISTORIQUE_TIC = [
    Colonne("Date"),
    Colonne("Statut"),
    Colonne("Acteur", 30),
    Colonne("Intervenant"),
    Colonne("Motif", 44),
    Colonne("Montant"),
]


def evenement_tic(evenement: EvenementDemandeTic) -> Sequence[Cellule]:
    return (
        instant(evenement.date_evenement),
        evenement.statut.libelle,
        Text(evenement.acteur),
        evenement.intervenant.libelle,
        Text(evenement.motif or ""),
        _a_droite(euros(evenement.montant)),
    )


def historique_tic(demande: DemandeTic) -> list[tuple[str, Sequence[Cellule]]]:
    """The history, oldest first, keyed by rank."""
    return [(str(rang), evenement_tic(e)) for rang, e in enumerate(demande.historique)]


def libelle_structure(structure: Structure) -> str:
    return (
        f"{structure.raison_sociale} ({structure.type_identifiant.value} {structure.identifiant})"
    )


def texte_entete_tic(demande: DemandeTic, structure: Structure | None) -> str:
    """The en-tête: as frozen at sending once sent, from the structure while a draft."""
    entete = demande.entete
    demandeur = demande.demandeur
    if demandeur is not None:
        nom = f"{demandeur.raison_sociale} (SIRET {demandeur.siret})"
        coordonnee = f"{demandeur.libelle_coordonnee} – IBAN {demandeur.iban} – BIC {demandeur.bic}"
    elif structure is not None:
        nom = libelle_structure(structure)
        coordonnee = "Supprimée de la structure : choisissez-en une autre."
        for c in structure.coordonnees_bancaires:
            if c.id == entete.coordonnee_bancaire_id:
                coordonnee = f"{c.libelle} – IBAN {c.iban_masque} – BIC {c.bic}"
    else:
        nom, coordonnee = entete.structure_id, entete.coordonnee_bancaire_id
    avance = "Non"
    if entete.avance:
        part = "" if demande.taux_avance is None else f" ({_pourcentage(demande.taux_avance)})"
        avance = f"Oui{part}"
    return grille(
        [
            ("Numéro", demande.numero),
            ("Statut", demande.statut.libelle),
            ("Structure", nom),
            ("Coordonnée bancaire", coordonnee),
            ("Année des livraisons", str(entete.annee)),
            ("Campagne", str(demande.campagne)),
            ("Type de bénéficiaire", entete.type_beneficiaire.libelle),
            (
                "Attestation de non-difficulté",
                "Oui" if entete.attestation_non_difficulte else "Non",
            ),
            ("Avance demandée", avance),
            ("Créée le", instant(demande.date_creation)),
            ("Déposée le", instant(demande.date_depot)),
        ]
    )


def _pourcentage(part: Decimal) -> str:
    return f"{decimal_francais((part * 100).normalize())} %"


def texte_montants_tic(demande: DemandeTic) -> str:
    nombre = len(demande.lignes)
    return grille(
        [
            ("Nombre de lignes", str(nombre)),
            ("Montant total demandé", euros(demande.montant_total)),
            ("Montant de l'avance", euros(demande.montant_avance)),
            ("Montant accordé", euros(demande.montant_accorde)),
            ("Date de mise en paiement", jour(demande.date_paiement)),
            ("Motif du rejet", demande.motif_rejet),
        ]
    )


def texte_certificat_tic(demande: DemandeTic) -> str:
    certificat = demande.certificat
    if certificat is None:
        return ""
    return (
        grille(
            [
                ("Numéro de la demande", certificat.numero),
                ("Date et heure d'envoi", instant(certificat.date_depot)),
                ("Demandeur", certificat.demandeur),
                ("Montant total", euros(certificat.montant_total)),
                ("Empreinte", certificat.empreinte),
            ]
        )
        + "\n\n"
        + certificat.texte
    )


class DetailDemandeTic(Vertical):
    """Every part of a demande, filled by `afficher`."""

    DEFAULT_CSS = """
    DetailDemandeTic { height: auto; }
    DetailDemandeTic > .section { text-style: bold; color: $accent; margin-top: 1; }
    DetailDemandeTic > .bloc { height: auto; padding: 0 1; }
    DetailDemandeTic > #tic-titre { text-style: bold; }
    """

    def __init__(self, *, historique: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self._historique = historique

    def compose(self) -> ComposeResult:
        yield Static("", id="tic-titre", markup=False)
        yield Static("En-tête", classes="section")
        yield Static("", id="tic-entete", classes="bloc", markup=False)
        yield Static("Lignes de la demande", classes="section")
        yield TableauPagine(
            COLONNES_LIGNES_TIC, unite="lignes", vide="Aucune ligne de demande.", id="tic-lignes"
        )
        yield Static("Pièces jointes", classes="section")
        yield TableauPagine(
            COLONNES_PIECES_TIC, unite="pièces", vide="Aucune pièce jointe.", id="tic-pieces"
        )
        yield Static("Montants", classes="section")
        yield Static("", id="tic-montants", classes="bloc", markup=False)
        yield Static("Certificat de dépôt", classes="section", id="tic-titre-certificat")
        yield Static("", id="tic-certificat", classes="bloc", markup=False)
        if self._historique:
            yield Static("Historique", classes="section")
            yield TableauPagine(
                COLONNES_HISTORIQUE_TIC,
                unite="événements",
                vide="Aucun événement.",
                hauteur_variable=True,
                id="tic-historique",
            )

    def afficher(self, demande: DemandeTic, structure: Structure | None = None) -> None:
        self.query_one("#tic-titre", Static).update(
            f"Demande de remboursement TIC/TICGN n°{demande.numero} — {demande.statut.libelle}"
        )
        self.query_one("#tic-entete", Static).update(texte_entete_tic(demande, structure))
        self.query_one("#tic-lignes", TableauPagine).remplir(lignes_tic(demande))
        self.pieces.remplir(pieces_tic(demande))
        self.query_one("#tic-montants", Static).update(texte_montants_tic(demande))
        certificat = texte_certificat_tic(demande)
        self.query_one("#tic-certificat", Static).update(certificat)
        self.query_one("#tic-certificat").display = bool(certificat)
        self.query_one("#tic-titre-certificat").display = bool(certificat)
        if self._historique:
            self.query_one("#tic-historique", TableauPagine).remplir(historique_tic(demande))

    @property
    def pieces(self) -> TableauPagine:
        return self.query_one("#tic-pieces", TableauPagine)

    async def attendre(self, chargement: Awaitable[T]) -> T:
        """Await `chargement` under the loading indicator, removed on a refusal too."""
        try:
            resultat = await chargement
        except DomainError:
            self.loading = False
            raise
        self.loading = False
        return resultat

    def piece_choisie(self, demande: DemandeTic) -> PieceJointe | None:
        """The pièce highlighted in the list; a warning and the focus on the list when none."""
        tableau = self.pieces
        cle = tableau.cle_choisie
        piece = demande.piece(cle) if cle is not None else None
        if piece is None:
            self.notify("Choisissez d'abord une pièce dans la liste.", severity="warning")
            tableau.table.focus()
        return piece
