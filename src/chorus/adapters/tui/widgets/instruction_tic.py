"""A sent demande de remboursement TIC/TICGN as the instructor reads it: the demandeur and
bank details frozen at sending, the invoices, the pièces, the total, the certificat de dépôt
and the history."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from chorus.adapters.tui.affichage import euros, instant, jour
from chorus.adapters.tui.widgets.detail_memoire import grille, taille_lisible
from chorus.adapters.tui.widgets.tableau import Cellule, Colonne, TableauPagine
from chorus.domain.errors import DomainError
from chorus.domain.montants import en_francais
from chorus.domain.pieces import PieceJointe
from chorus.domain.tic.demande import DemandeTic, EvenementDemandeTic, LigneDemandeTic


def _a_droite(texte: str) -> Text:
    return Text(texte, justify="right")


def nombre(valeur: Decimal) -> str:
    """A rate or a quantity as published, with a decimal comma: a rate may have more
    decimals than a cent, and none of them may be lost to rounding."""
    return format(valeur, "f").replace(".", ",")


def texte_demandeur(demande: DemandeTic) -> str:
    """« SIRET – raison sociale » as frozen at sending (the structure's id for a demande
    stored before that was frozen)."""
    return demande.demandeur.libelle if demande.demandeur else demande.structure_id


def texte_entete(demande: DemandeTic) -> str:
    demandeur = demande.demandeur
    entete = demande.entete
    if demande.montant_avance is not None and demande.taux_avance is not None:
        taux = nombre((demande.taux_avance * 100).normalize())
        avance = f"Demandée : {taux} % du montant, soit {euros(demande.montant_avance)}"
    else:
        avance = "Non demandée"
    return grille(
        [
            ("Numéro", demande.numero),
            ("État", demande.statut.libelle),
            ("Demandeur (SIRET)", texte_demandeur(demande)),
            ("Adresse du siège", demandeur.adresse if demandeur else None),
            ("Département", demandeur.departement if demandeur else None),
            ("Type de bénéficiaire", entete.type_beneficiaire.libelle),
            ("Année des livraisons", str(demande.annee)),
            ("Campagne", str(demande.campagne)),
            ("Coordonnées bancaires", demandeur.libelle_coordonnee if demandeur else None),
            ("IBAN", demandeur.iban if demandeur else None),
            ("BIC", demandeur.bic if demandeur else None),
            ("Avance", avance),
            ("Déposée le", instant(demande.date_depot)),
            ("Montant accordé", euros(demande.montant_accorde)),
            ("Motif du rejet", demande.motif_rejet),
            ("Date de mise en paiement", jour(demande.date_paiement)),
        ]
    )


def lignes(demande: DemandeTic) -> list[tuple[str, Sequence[Cellule]]]:
    def rangee(ligne: LigneDemandeTic) -> Sequence[Cellule]:
        return (
            _a_droite(str(ligne.numero_ligne)),
            Text(ligne.numero_facture),
            jour(ligne.date_livraison),
            ligne.produit.libelle,
            _a_droite(f"{en_francais(ligne.quantite)} {ligne.unite}"),
            _a_droite(f"{nombre(ligne.taux)} {ligne.unite_taux}"),
            _a_droite(euros(ligne.montant)),
            Text(ligne.fournisseur),
        )

    return [(str(ligne.numero_ligne), rangee(ligne)) for ligne in demande.lignes]


COLONNES_LIGNES = [
    Colonne("N°"),
    Colonne("Facture"),
    Colonne("Livraison"),
    Colonne("Produit"),
    Colonne("Quantité"),
    Colonne("Taux"),
    Colonne("Montant"),
    Colonne("Fournisseur"),
]


def pieces(demande: DemandeTic) -> list[tuple[str, Sequence[Cellule]]]:
    def rangee(piece: PieceJointe) -> Sequence[Cellule]:
        return (
            Text(piece.nom_fichier),
            piece.type_piece.libelle,
            "Toute la demande" if piece.numero_ligne is None else f"Ligne {piece.numero_ligne}",
            _a_droite(taille_lisible(piece.taille)),
            instant(piece.date_ajout),
            Text(piece.designation),
        )

    return [(piece.id, rangee(piece)) for piece in demande.pieces]


COLONNES_PIECES = [
    Colonne("Nom du fichier"),
    Colonne("Type"),
    Colonne("Ligne"),
    Colonne("Taille"),
    Colonne("Ajoutée le"),
    Colonne("Désignation"),
]


def texte_montants(demande: DemandeTic) -> str:
    return grille(
        [
            ("Montant demandé", euros(demande.montant_total)),
            ("Dont avance demandée", euros(demande.montant_avance)),
            ("Montant accordé", euros(demande.montant_accorde)),
        ]
    )


def texte_certificat(demande: DemandeTic) -> str:
    certificat = demande.certificat
    if certificat is None:
        return ""
    try:
        conforme = demande.empreinte_recalculee() == certificat.empreinte
    except DomainError:
        conforme = False
    controle = (
        "conforme : la demande n'a pas changé depuis son dépôt"
        if conforme
        else "NON CONFORME : la demande enregistrée diffère de celle déposée"
    )
    return grille(
        [
            ("Numéro", certificat.numero),
            ("Date et heure d'envoi", instant(certificat.date_depot)),
            ("Demandeur", certificat.demandeur),
            ("Montant demandé", euros(certificat.montant_total)),
            ("Pièces certifiées", str(len(certificat.pieces))),
            ("Empreinte", certificat.empreinte),
            ("Contrôle de l'empreinte", controle),
        ]
    )


def historique(demande: DemandeTic) -> list[tuple[str, Sequence[Cellule]]]:
    def rangee(evenement: EvenementDemandeTic) -> Sequence[Cellule]:
        return (
            evenement.statut.libelle,
            instant(evenement.date_evenement),
            instant(evenement.date_maj),
            Text(evenement.acteur),
            Text(evenement.motif or ""),
            _a_droite(euros(evenement.montant)),
            evenement.intervenant.libelle,
        )

    return [(str(index), rangee(e)) for index, e in enumerate(demande.historique)]


COLONNES_HISTORIQUE = [
    Colonne("État"),
    Colonne("Date de l'événement"),
    Colonne("Mise à jour"),
    Colonne("Acteur", 34),
    Colonne("Motif", 40),
    Colonne("Montant"),
    Colonne("Intervenant"),
]


class DetailDemandeTic(Vertical):
    """Every part of a sent demande, filled by `afficher`."""

    DEFAULT_CSS = """
    DetailDemandeTic { height: auto; }
    DetailDemandeTic > .section { text-style: bold; color: $accent; margin-top: 1; }
    DetailDemandeTic > .bloc { height: auto; padding: 0 1; }
    DetailDemandeTic > #tic-titre { text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="tic-titre", markup=False)
        yield Static("En-tête", classes="section")
        yield Static("", id="tic-entete", classes="bloc", markup=False)
        yield Static("Lignes (une par facture)", classes="section")
        yield TableauPagine(COLONNES_LIGNES, unite="lignes", vide="Aucune ligne.", id="tic-lignes")
        yield Static("Pièces jointes", classes="section")
        yield TableauPagine(
            COLONNES_PIECES, unite="pièces", vide="Aucune pièce jointe.", id="tic-pieces"
        )
        yield Static("Montants", classes="section")
        yield Static("", id="tic-montants", classes="bloc", markup=False)
        yield Static("Certificat de dépôt", classes="section")
        yield Static("", id="tic-certificat", classes="bloc", markup=False)
        yield Static("Historique", classes="section")
        yield TableauPagine(
            COLONNES_HISTORIQUE,
            unite="événements",
            vide="Aucun événement.",
            hauteur_variable=True,
            id="tic-historique",
        )

    def afficher(self, demande: DemandeTic) -> None:
        self.query_one("#tic-titre", Static).update(
            f"Demande n°{demande.numero} — {demande.statut.libelle}"
        )
        self.query_one("#tic-entete", Static).update(texte_entete(demande))
        self.query_one("#tic-lignes", TableauPagine).remplir(lignes(demande))
        self.pieces.remplir(pieces(demande))
        self.query_one("#tic-montants", Static).update(texte_montants(demande))
        self.query_one("#tic-certificat", Static).update(
            texte_certificat(demande) or "Aucun certificat."
        )
        self.query_one("#tic-historique", TableauPagine).remplir(historique(demande))

    @property
    def pieces(self) -> TableauPagine:
        return self.query_one("#tic-pieces", TableauPagine)

    def piece_choisie(self, demande: DemandeTic) -> PieceJointe | None:
        """The pièce highlighted in the list; when there is none, a warning and the focus on
        the list, so that the user sees where to choose it."""
        tableau = self.pieces
        cle = tableau.cle_choisie
        piece = demande.piece(cle) if cle is not None else None
        if piece is None:
            self.notify("Choisissez d'abord une pièce dans la liste.", severity="warning")
            tableau.table.focus()
        return piece
