"""« Saisir mémoire » from the terminal: en-tête, lines with live amounts, pièces, récapitulatif
and sending, checked in the store; refusals under their field with nothing stored."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, OptionList

from chorus.adapters.tui.ecrans.envoi import ConfirmationEnvoi
from chorus.adapters.tui.formulaires import id_champ
from chorus.adapters.tui.onglets.saisie_pieces import MEMOIRE_ENTIER
from chorus.domain.pieces import TypePiece
from chorus.domain.statuts import StatutMemoire
from tests.monde import AUJOURDHUI, PDF, Monde
from tests.tui.aides import TAILLE, application, attendre
from tests.tui.saisie_pilote import (
    IL_Y_A_DIX_JOURS,
    appuyer,
    choisi,
    choisir,
    erreur,
    memoires_de,
    ouvrir,
    remplir,
    saisi,
    saisir_ligne,
    stocke,
    texte,
)

pytestmark = [pytest.mark.ecrans_sur_sqlite, pytest.mark.anyio]


# -- the whole entry -------------------------------------------------------------------------


async def test_saisie_complete_jusqu_a_l_envoi(monde: Monde, tmp_path: Path) -> None:
    attestation = PDF + b"% attestation de service fait\n"
    requisition = PDF + b"% requisition\n"
    (tmp_path / "attestation.pdf").write_bytes(attestation)
    (tmp_path / "requisition.pdf").write_bytes(requisition)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        saisie = await ouvrir(pilot, monde)
        assert saisie.etape == 1
        # The structure's defaults: its only bank account, the espace's catégorie.
        rib = monde.structure.coordonnees_bancaires[0].id
        assert choisi(pilot, "coordonnee_bancaire_id") == rib
        assert choisi(pilot, "categorie_prestataire") == "PSYCHIATRE"

        # The juridiction is found by typing part of its name.
        remplir(pilot, "juridiction_code", "judiciaire lyon")
        await pilot.pause()
        propositions = saisie.query_one("#juridictions-proposees", OptionList)
        assert propositions.display
        codes = [propositions.get_option_at_index(i).id for i in range(propositions.option_count)]
        assert codes == ["TJ-69123"]
        propositions.highlighted = 0
        propositions.action_select()
        await pilot.pause()
        assert saisi(pilot, "juridiction_code") == "TJ-69123 — Tribunal judiciaire de Lyon"
        choisir(pilot, "service_id", monde.psy_id)
        choisir(pilot, "texte_reference", "A.43-6")
        remplir(pilot, "numero_facture", "F-2024-17")
        remplir(pilot, "numero_engagement_juridique", "EJ-1234")
        remplir(pilot, "commentaire", "Expertise de M. X")
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 2)

        (brouillon,) = memoires_de(monde)
        assert brouillon.statut is StatutMemoire.BROUILLON
        assert brouillon.numero.startswith("TMP2024")
        entete = brouillon.entete
        assert entete.juridiction_code == "TJ-69123"
        assert entete.service_id == monde.psy_id
        assert entete.coordonnee_bancaire_id == rib
        assert entete.texte_reference == "A.43-6"
        assert entete.categorie_prestataire == "PSYCHIATRE"
        assert entete.numero_facture == "F-2024-17"
        assert entete.numero_engagement_juridique == "EJ-1234"
        assert entete.commentaire == "Expertise de M. X"
        assert brouillon.numero in texte(pilot, "#saisie-memoire")

        # Line 1, the seed's example: 1 × 150.00 at 5.5 % → TTC 158.25, shown while typing.
        saisir_ligne(pilot, quantite="1", tarif="150,00", taux="5.5")
        await pilot.pause()
        assert texte(pilot, "#apercu-tva") == "TVA (5,5 %) : 8,25 €"
        assert texte(pilot, "#apercu-ttc") == "Montant de la prestation TTC : 158,25 €"
        assert stocke(monde, brouillon.id).lignes == ()  # a preview is never stored
        await appuyer(pilot, "ligne-valider-ajouter")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).lignes) == 1)
        await attendre(pilot, lambda: saisi(pilot, "quantite") == "")
        # What the next line of the same case shares is kept; the amounts are cleared.
        assert saisi(pilot, "numero_affaire") == "PARQUET-24-001"
        assert saisi(pilot, "date_prestation") == IL_Y_A_DIX_JOURS.strftime("%d/%m/%Y")
        assert choisi(pilot, "type_prestation") == "EXPERTISE_PSYCHIATRIQUE"
        assert saisi(pilot, "tarif_ht") == ""

        # Line 2: 2 × 100 + 12.50 + 2.00 of frais divers at 20 %, 5.00 of débours.
        remplir(pilot, "quantite", "2")
        remplir(pilot, "tarif_ht", "100")
        choisir(pilot, "taux_tva", "20")
        remplir(pilot, "frais_divers[0].libelle", "Déplacement")
        remplir(pilot, "frais_divers[0].montant_ht", "12,50")
        await appuyer(pilot, "ligne-frais")  # a second item of the bordereau
        await attendre(pilot, lambda: bool(saisie.query(f"#{id_champ('frais_divers[1].libelle')}")))
        remplir(pilot, "frais_divers[1].libelle", "Affranchissement")
        remplir(pilot, "frais_divers[1].montant_ht", "2")
        remplir(pilot, "debours", "5")
        await pilot.pause()
        assert texte(pilot, "#apercu-ht") == "Base HT : 214,50 €"
        assert texte(pilot, "#apercu-tva") == "TVA (20 %) : 42,90 €"
        assert texte(pilot, "#apercu-ttc") == "Montant de la prestation TTC : 262,40 €"
        await appuyer(pilot, "ligne-valider")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).lignes) == 2)
        table = saisie.query_one("#tableau-lignes DataTable", DataTable)
        await attendre(pilot, lambda: table.row_count == 2)
        assert "Net à payer : 420,65 €" in texte(pilot, "#lignes-totaux")

        # Pièces: one on line 1 from a file, one for the whole mémoire.
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 3)
        remplir(pilot, "fichier", str(tmp_path / "attestation.pdf"))
        choisir(pilot, "type_piece", TypePiece.ATTESTATION_SERVICE_FAIT.value)
        remplir(pilot, "designation", "Attestation de service fait")
        choisir(pilot, "numero_ligne", "1", "#form-fichier")
        await appuyer(pilot, "piece-ajouter")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).pieces) == 1)
        remplir(pilot, "fichier", str(tmp_path / "requisition.pdf"))
        choisir(pilot, "type_piece", TypePiece.REQUISITION.value)
        # The line chosen for the previous pièce stays chosen: this one is for the mémoire.
        choisir(pilot, "numero_ligne", MEMOIRE_ENTIER, "#form-fichier")
        await appuyer(pilot, "piece-ajouter")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).pieces) == 2)
        pieces = saisie.query_one("#table-pieces", DataTable)
        await attendre(pilot, lambda: pieces.row_count == 2)
        jointes = stocke(monde, brouillon.id).pieces

        # A pièce of the structure's pool, imported, then withdrawn from the list.
        choisir(pilot, "piece_structure_id", monde.structure.pieces[0].id)
        await appuyer(pilot, "piece-importer")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).pieces) == 3)
        assert stocke(monde, brouillon.id).pieces[2].sha256 == monde.structure.pieces[0].sha256
        await attendre(pilot, lambda: pieces.row_count == 3)
        pieces.move_cursor(row=2)
        await appuyer(pilot, "piece-retirer")
        await attendre(pilot, lambda: stocke(monde, brouillon.id).pieces == jointes)
        await attendre(pilot, lambda: pieces.row_count == 2)
        assert pieces.get_row_at(0)[3] == "n°1"
        assert pieces.get_row_at(1)[3] == "mémoire"
        assert pieces.get_row_at(0)[5] == hashlib.sha256(attestation).hexdigest()[:12] + "…"

        # The récapitulatif, then the sending with the attestation, confirmed.
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 4)
        totaux = texte(pilot, "#recap-totaux")
        assert "Montant HT : 364,50 €" in totaux
        assert "Montant TVA : 51,15 €" in totaux
        assert "Montant TTC avant remise globale : 420,65 €" in totaux
        assert "Net à payer : 420,65 €" in totaux
        tva = saisie.query_one("#recap-tva", DataTable)
        assert [tva.get_row_at(i) for i in range(tva.row_count)] == [
            ["20 %", "214,50 €", "42,90 €"],
            ["5,5 %", "150,00 €", "8,25 €"],
        ]
        assert "TJ-69123 — Tribunal judiciaire de Lyon" in texte(pilot, "#recap-entete")
        saisie.query_one(f"#{id_champ('attestation_sur_honneur')}", Checkbox).value = True
        await appuyer(pilot, "valider-envoyer")
        await attendre(pilot, lambda: isinstance(app.screen, ConfirmationEnvoi))
        assert stocke(monde, brouillon.id).statut is StatutMemoire.BROUILLON
        app.screen.query_one("#confirmer-envoi", Button).press()
        await attendre(pilot, lambda: saisie.etape == 5)

        envoye = stocke(monde, brouillon.id)
        assert envoye.statut is StatutMemoire.ENVOYE
        assert envoye.numero.startswith("MJ")
        assert [
            (ligne.montant_ht, ligne.montant_tva, ligne.montant_ttc) for ligne in envoye.lignes
        ] == [
            (Decimal("150.00"), Decimal("8.25"), Decimal("158.25")),
            (Decimal("214.50"), Decimal("42.90"), Decimal("262.40")),
        ]
        assert envoye.lignes[1].debours == Decimal("5.00")
        assert [(f.libelle, f.montant_ht) for f in envoye.lignes[1].frais_divers] == [
            ("Déplacement", Decimal("12.50")),
            ("Affranchissement", Decimal("2.00")),
        ]
        assert envoye.totaux.net_a_payer == Decimal("420.65")
        assert [(p.type_piece, p.numero_ligne, p.sha256) for p in envoye.pieces] == [
            (
                TypePiece.ATTESTATION_SERVICE_FAIT,
                1,
                hashlib.sha256(attestation).hexdigest(),
            ),
            (TypePiece.REQUISITION, None, hashlib.sha256(requisition).hexdigest()),
            (
                TypePiece.COORDONNEE_BANCAIRE,
                None,
                monde.structure.pieces[0].sha256,
            ),
        ]
        certificat = envoye.certificat
        assert certificat is not None
        assert envoye.numero in texte(pilot, "#resultat-numero")
        assert certificat.empreinte in texte(pilot, "#resultat-empreinte")
        assert (
            f"Le mémoire de frais de justice n°{envoye.numero} d'un montant de 420,65 EUR est "
            "en cours de transfert au Tribunal judiciaire de Lyon."
        ) in texte(pilot, "#resultat-texte")

        # « Saisir un nouveau mémoire » starts afresh.
        await appuyer(pilot, "nouveau-memoire")
        await attendre(pilot, lambda: saisie.etape == 1 and saisie.memoire is None)
        assert saisi(pilot, "juridiction_code") == ""


# -- refusals --------------------------------------------------------------------------------


async def test_les_refus_restent_sous_le_champ_sans_rien_enregistrer(
    monde: Monde, tmp_path: Path
) -> None:
    # One line, but no bank details chosen yet: sending will ask for them.
    brouillon = monde.brouillon(lignes=1, coordonnee_bancaire_id=None)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        saisie = await ouvrir(pilot, monde, brouillon.id)

        # A juridiction that does not exist.
        remplir(pilot, "juridiction_code", "TJ-00000")
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: "n'existe pas" in erreur(pilot, "juridiction_code"))
        assert saisie.etape == 1
        assert stocke(monde, brouillon.id) == brouillon
        assert saisi(pilot, "juridiction_code") == "TJ-00000"
        remplir(pilot, "juridiction_code", "tj-69123")
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 2)
        avant = stocke(monde, brouillon.id)

        # A quantity of zero: the preview says why, « Valider » writes it under the field.
        saisir_ligne(pilot, quantite="0", tarif="150", taux="20")
        await pilot.pause()
        assert "strictement positive" in texte(pilot, "#apercu-refus")
        await appuyer(pilot, "ligne-valider")
        await attendre(pilot, lambda: "strictement positive" in erreur(pilot, "quantite"))
        assert stocke(monde, brouillon.id) == avant
        assert saisi(pilot, "tarif_ht") == "150"

        # A prestation in the future.
        remplir(pilot, "quantite", "1")
        demain = (AUJOURDHUI + timedelta(days=1)).strftime("%d/%m/%Y")
        remplir(pilot, "date_prestation", demain)
        await appuyer(pilot, "ligne-valider")
        await attendre(pilot, lambda: "futur" in erreur(pilot, "date_prestation"))
        assert erreur(pilot, "quantite") == ""
        assert stocke(monde, brouillon.id) == avant
        assert saisi(pilot, "date_prestation") == demain

        # A file that is not there.
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 3)
        absent = str(tmp_path / "absent.pdf")
        remplir(pilot, "fichier", absent)
        choisir(pilot, "type_piece", TypePiece.AUTRE.value)
        await appuyer(pilot, "piece-ajouter")
        await attendre(pilot, lambda: "introuvable" in erreur(pilot, "fichier"))
        assert stocke(monde, brouillon.id) == avant
        assert saisi(pilot, "fichier") == absent

        # A file whose content is not an accepted format: the domain's words.
        (tmp_path / "page.html").write_text("<html></html>")
        remplir(pilot, "fichier", str(tmp_path / "page.html"))
        await appuyer(pilot, "piece-ajouter")
        await attendre(pilot, lambda: "pas accepté" in erreur(pilot, "fichier"))
        assert stocke(monde, brouillon.id) == avant

        # Sending without the attestation: refused before anything is asked.
        await appuyer(pilot, "saisie-suivant")
        await attendre(pilot, lambda: saisie.etape == 4)
        await appuyer(pilot, "valider-envoyer")
        await attendre(
            pilot, lambda: "attester sur l'honneur" in erreur(pilot, "attestation_sur_honneur")
        )
        assert not isinstance(app.screen, ConfirmationEnvoi)
        assert stocke(monde, brouillon.id) == avant

        # With the attestation but no bank details: refused after the confirmation, in the
        # form and under the en-tête's field, where it is fixed.
        saisie.query_one(f"#{id_champ('attestation_sur_honneur')}", Checkbox).value = True
        await appuyer(pilot, "valider-envoyer")
        await attendre(pilot, lambda: isinstance(app.screen, ConfirmationEnvoi))
        app.screen.query_one("#confirmer-envoi", Button).press()
        await attendre(
            pilot,
            lambda: "coordonnées bancaires" in texte(pilot, "#form-envoi .erreur-generale"),
        )
        assert erreur(pilot, "attestation_sur_honneur") == ""
        assert "coordonnées bancaires" in erreur(pilot, "coordonnee_bancaire_id", "#etape-1")
        assert saisie.etape == 4
        assert stocke(monde, brouillon.id) == avant


# -- an existing draft -----------------------------------------------------------------------


async def test_charger_un_brouillon_le_montre_et_le_modifie(monde: Monde) -> None:
    brouillon = monde.brouillon(lignes=2, numero_facture="F-1", service_id=monde.med_id)
    app = application(monde)
    async with app.run_test(size=TAILLE) as pilot:
        saisie = await ouvrir(pilot, monde, brouillon.id)
        assert saisie.etape == 1
        assert saisi(pilot, "juridiction_code") == "TJ-69123 — Tribunal judiciaire de Lyon"
        assert saisi(pilot, "numero_facture") == "F-1"
        assert choisi(pilot, "service_id") == monde.med_id
        assert choisi(pilot, "texte_reference") == "A.43-6"

        # Someone else changes the draft meanwhile: the save is refused, what is typed stays.
        change = monde.chorus.memoires.modifier_entete(
            monde.gestionnaire.id,
            brouillon.id,
            lambda e: attrs.evolve(e, numero_facture="F-AUTRE"),
            version_attendue=brouillon.version,
        )
        remplir(pilot, "numero_facture", "F-2")
        await appuyer(pilot, "saisie-suivant")
        await attendre(
            pilot, lambda: "modifié entre-temps" in texte(pilot, "#etape-1 > .erreur-generale")
        )
        assert saisie.etape == 1
        assert stocke(monde, brouillon.id) == change
        assert saisi(pilot, "numero_facture") == "F-2"
        # « Recharger » shows the stored en-tête; then the change goes through.
        saisie.query_one(f"#{id_champ('numero_facture')}", Input).focus()
        await pilot.press("ctrl+l")
        await attendre(pilot, lambda: saisi(pilot, "numero_facture") == "F-AUTRE")
        remplir(pilot, "numero_facture", "F-2")
        remplir(pilot, "remise_globale_ttc", "10,00")
        await pilot.press("f6")  # « Suivant » from the keyboard
        await attendre(pilot, lambda: saisie.etape == 2)
        apres = stocke(monde, brouillon.id)
        assert apres.entete.numero_facture == "F-2"
        assert apres.entete.remise_globale_ttc == Decimal("10.00")
        assert apres.version == change.version + 1

        # Select line 2 of the table, change its quantity.
        table = saisie.query_one("#tableau-lignes DataTable", DataTable)
        assert table.row_count == 2
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await attendre(pilot, lambda: "N°2" in texte(pilot, "#ligne-mode"))
        assert saisi(pilot, "quantite") == "1"
        remplir(pilot, "quantite", "3")
        await pilot.pause()
        assert texte(pilot, "#apercu-ttc") == "Montant de la prestation TTC : 474,75 €"
        await pilot.press("f7")  # « Valider la ligne » from the keyboard
        await attendre(pilot, lambda: stocke(monde, brouillon.id).lignes[1].quantite == 3)
        assert stocke(monde, brouillon.id).lignes[1].montant_ttc == Decimal("474.75")
        assert stocke(monde, brouillon.id).lignes[0].quantite == 1

        # Select line 1 and delete it.
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await attendre(pilot, lambda: "N°1" in texte(pilot, "#ligne-mode"))
        await appuyer(pilot, "ligne-supprimer")
        await attendre(pilot, lambda: len(stocke(monde, brouillon.id).lignes) == 1)
        assert [ligne.numero_ligne for ligne in stocke(monde, brouillon.id).lignes] == [2]
        await attendre(pilot, lambda: table.row_count == 1)
        assert "Net à payer : 464,75 €" in texte(pilot, "#lignes-totaux")
